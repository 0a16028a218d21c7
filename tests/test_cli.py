import io
import subprocess
import sys
from pathlib import Path

import pytest

from fieldservice.cli import main


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_standard_show_prints_every_rule_number() -> None:
    code, text = run("standard", "show")
    assert code == 0
    for needle in ("B5  booking lead time     24h", "20:00-08:00", "C1", "K2", "电信条例 Art. 33"):
        assert needle in text


def test_standard_show_toml_is_the_standard() -> None:
    code, text = run("standard", "show", "--toml")
    assert code == 0
    from fieldservice import ServiceStandard

    assert ServiceStandard.from_toml(text) == ServiceStandard.default()


def test_standard_check_accepts_a_good_branch(tmp_path: Path) -> None:
    path = tmp_path / "branch.toml"
    path.write_text('name = "Pudong"\n[hours]\nquiet = ["21:00", "08:00"]\n', encoding="utf-8")
    assert run("standard", "check", str(path)) == (0, f"{path}: valid standard 'Pudong'\n")


def test_F4_standard_check_refuses_a_branch_above_the_legal_ceiling(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "branch.toml"
    path.write_text('[clocks.repair]\ncity = { diamond = "50h" }\n', encoding="utf-8")
    code, _ = run("standard", "check", str(path))
    assert code == 1
    err = capsys.readouterr().err
    assert "[invalid_standard]" in err
    assert "repair.city.diamond: 50h exceeds the legal ceiling of 48h" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("standard")[0] == 2
    assert run("nonsense")[0] == 2
    assert "usage:" in capsys.readouterr().err


def test_demo_runs_on_the_default_standard_and_masks_personal_data() -> None:
    code, text = run("demo")
    assert code == 0
    assert "default" in text
    assert "13800138000" not in text
    assert "张三" not in text


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fieldservice", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("fieldservice ")

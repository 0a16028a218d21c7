"""An output that is an input, or another output of the same run, is refused before anything.

Found by an outside reviewer: ``fieldservice sla same.jsonl -o same.jsonl`` put the report
in place of the orders and exited with 0, as did ``ics``, an output through a link, and
``demo --jsonl d.x --ics d.x``. Every command now refuses such a run with one line on
stderr and exit code 1, before it reads or writes: the input is left byte for byte as it
was, and no output or ``.partial`` file appears. ``-``, a FIFO and a device such as
``/dev/null`` are never the same file.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from test_cli_failures import one_line
from test_cli_plan import TEAM

from fieldservice import ServiceStandard, demo
from fieldservice.cli import main

SRC = str(Path(__file__).resolve().parents[1] / "src")
AT = "2026-11-26T00:00"
WHAT_TO_DO = "write the report to another file"


def _orders(path: Path) -> bytes:
    """The demo day's orders in ``path``, personal data and all; returns the bytes."""
    orders = demo.build_day(ServiceStandard.default())
    data = "".join(o.to_json(include_personal=True) + "\n" for o in orders).encode()
    path.write_bytes(data)
    return data


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def _refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run a command that must be refused: exit 1, nothing printed, the one line on stderr."""
    code, text = _run(*argv)
    line = one_line(capsys.readouterr().err)
    assert code == 1, line
    assert text == ""
    assert line.startswith("fieldservice: error [invalid_input]: cannot write "), line
    assert line.endswith(WHAT_TO_DO), line
    return line


def _same_name(folder: Path, orders: Path) -> Path:
    return orders


def _symbolic_link(folder: Path, orders: Path) -> Path:
    link = folder / "link.jsonl"
    link.symlink_to(orders.name)
    return link


def _hard_link(folder: Path, orders: Path) -> Path:
    link = folder / "hard.jsonl"
    os.link(orders, link)
    return link


def _spelled_otherwise(folder: Path, orders: Path) -> Path:
    (folder / "sub").mkdir()
    return folder / "sub" / ".." / "." / orders.name


def _through_a_linked_folder(folder: Path, orders: Path) -> Path:
    (folder / "again").symlink_to(".", target_is_directory=True)
    return folder / "again" / orders.name


WAYS = [_same_name, _symbolic_link, _hard_link, _spelled_otherwise, _through_a_linked_folder]


def _command(name: str, orders: Path, output: Path) -> list[str]:
    if name == "sla":
        return ["sla", str(orders), "--at", AT, "--quiet", "-o", str(output)]
    return ["ics", str(orders), "-o", str(output), "--plain", "--quiet"]


@pytest.mark.parametrize("way", WAYS, ids=lambda w: w.__name__.strip("_"))
@pytest.mark.parametrize("command", ["sla", "ics"])
def test_regression_an_output_that_is_the_orders_file_is_refused_and_the_orders_kept(
    command: str,
    way: Callable[[Path, Path], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    orders = Path("orders.jsonl")
    before = _orders(orders)
    inode = orders.stat().st_ino
    output = way(Path(), orders)
    line = _refused(capsys, *_command(command, orders, output))
    assert f"-o {str(output)!r}: it is the same file as the orders 'orders.jsonl'" in line
    assert orders.read_bytes() == before
    assert orders.stat().st_ino == inode  # not replaced by a copy of itself either
    assert not list(tmp_path.rglob("*.partial"))


def test_regression_sla_refuses_the_exact_command_of_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    before = _orders(Path("same.jsonl"))
    line = _refused(capsys, "sla", "same.jsonl", "--at", AT, "-o", "same.jsonl")
    assert line == (
        "fieldservice: error [invalid_input]: cannot write -o 'same.jsonl': it is the same "
        "file as the orders 'same.jsonl'; write the report to another file"
    )
    assert Path("same.jsonl").read_bytes() == before
    assert sorted(os.listdir()) == ["same.jsonl"]


def test_regression_ics_refuses_the_orders_given_through_a_link_as_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    before = _orders(Path("o3.jsonl"))
    Path("l3.jsonl").symlink_to("o3.jsonl")
    line = _refused(capsys, "ics", "o3.jsonl", "-o", "l3.jsonl", "--plain")
    assert "cannot write -o 'l3.jsonl': it is the same file as the orders 'o3.jsonl'" in line
    assert Path("o3.jsonl").read_bytes() == before
    assert Path("l3.jsonl").is_symlink()


@pytest.mark.parametrize("command", ["sla", "ics"])
def test_regression_an_output_whose_partial_file_is_the_orders_is_refused(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # -o NAME is written to NAME.partial, removed first: it was the orders, lost with exit 0.
    orders = tmp_path / "report.partial"
    before = _orders(orders)
    line = _refused(capsys, *_command(command, orders, tmp_path / "report"))
    assert "its .partial file, which is the orders" in line, line
    assert orders.read_bytes() == before
    assert not (tmp_path / "report").exists()


@pytest.mark.parametrize("command", ["sla", "ics"])
def test_regression_an_output_that_is_the_standard_file_is_refused(
    command: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    orders = Path("orders.jsonl")
    _orders(orders)
    branch = Path("branch.toml")
    branch.write_text('name = "Pudong"\n', encoding="utf-8")
    argv = [*_command(command, orders, branch), "--standard", str(branch)]
    line = _refused(capsys, *argv)
    assert f"it is the same file as --standard {str(branch)!r}" in line, line
    assert branch.read_text(encoding="utf-8") == 'name = "Pudong"\n'


def test_regression_the_refusal_does_not_show_a_file_name_that_may_be_personal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    orders = tmp_path / "张三 13800138000.jsonl"
    before = _orders(orders)
    line = _refused(capsys, *_command("sla", orders, orders))
    assert line == (
        "fieldservice: error [invalid_input]: cannot write -o: it is the same file as the "
        "orders; write the report to another file"
    )
    assert orders.read_bytes() == before


@pytest.mark.parametrize("link", [False, True], ids=["same name", "a link to the other"])
def test_regression_demo_refuses_jsonl_and_ics_that_are_one_file_and_writes_neither(
    link: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "d.x"
    other = tmp_path / "l.x"
    if link:
        other.symlink_to("d.x")  # a link to a file not made yet
    line = _refused(capsys, "demo", "--jsonl", str(target), "--ics", str(other if link else target))
    assert "it is the same file as --jsonl" in line, line
    assert not target.exists()


def test_regression_demo_refuses_an_output_that_is_its_standard_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    branch = Path("branch.toml")
    branch.write_text('name = "Pudong"\n', encoding="utf-8")
    hard = Path("hard.toml")
    os.link(branch, hard)
    for option in ("--jsonl", "--ics"):
        line = _refused(capsys, "demo", "--standard", str(branch), option, str(hard))
        assert f"cannot write {option} {str(hard)!r}: it is the same file as --standard" in line
        assert branch.read_text(encoding="utf-8") == 'name = "Pudong"\n'


@pytest.mark.parametrize("input_", ["the orders", "--team"])
def test_regression_plan_refuses_a_calendar_of_ics_dir_that_is_an_input(
    input_: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The calendars are named by the team's members: T1 writes ics/T1.ics.
    (tmp_path / "ics").mkdir()
    orders, team = tmp_path / "orders.jsonl", tmp_path / "team.toml"
    if input_ == "--team":
        team = tmp_path / "ics" / "T1.ics"
    else:
        orders = tmp_path / "ics" / "T1.ics"
    before = _orders(orders)
    team.write_text(TEAM, encoding="utf-8")
    argv = ["plan", str(orders), "--team", str(team), "--day", "2026-11-26", "--solver", "greedy"]
    line = _refused(capsys, *argv, "--ics-dir", str(tmp_path / "ics"))
    assert f"it is the same file as {input_}" in line, line
    assert orders.read_bytes() == before
    assert team.read_text(encoding="utf-8") == TEAM
    assert sorted(p.name for p in (tmp_path / "ics").iterdir()) == ["T1.ics"]


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_regression_dev_null_is_never_the_same_file_even_given_twice(tmp_path: Path) -> None:
    orders = tmp_path / "orders.jsonl"
    before = _orders(orders)
    code, text = _run("demo", "--jsonl", os.devnull, "--ics", os.devnull)
    assert code == 0
    assert text.endswith(f"Wrote 5 visits to {os.devnull}\n")
    assert _run(*_command("sla", orders, Path(os.devnull)))[0] == 0
    assert _run(*_command("ics", orders, Path(os.devnull)))[0] == 0
    assert orders.read_bytes() == before


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="needs /dev/stdout")
def test_regression_dev_stdout_on_a_pipe_and_stdin_are_never_the_same_file(
    tmp_path: Path,
) -> None:
    orders = tmp_path / "orders.jsonl"
    before = _orders(orders)
    env = {**os.environ, "PYTHONPATH": SRC}
    for argv in (
        ["demo", "--jsonl", "/dev/stdout", "--ics", "/dev/stdout"],
        ["sla", "-", "--at", AT, "-o", "/dev/stdout"],
        ["ics", "-", "-o", "-", "--plain"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "fieldservice", *argv],
            input=before,
            capture_output=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout, argv
    assert orders.read_bytes() == before


def test_regression_distinct_files_are_still_written(tmp_path: Path) -> None:
    orders = tmp_path / "orders.jsonl"
    before = _orders(orders)
    old = tmp_path / "old.txt"
    old.write_text("last week's\n", encoding="utf-8")
    assert _run(*_command("sla", orders, old))[0] == 0
    assert old.read_text(encoding="utf-8").startswith("SLA report at ")
    assert _run(*_command("ics", orders, tmp_path / "day.ics"))[0] == 0
    argv = ["demo", "--jsonl", str(tmp_path / "d.jsonl"), "--ics", str(tmp_path / "d.ics")]
    assert _run(*argv)[0] == 0
    assert (tmp_path / "d.jsonl").read_bytes() == before  # the same day, written again
    assert _run("generate", "3", "--quiet", "-o", str(old))[0] == 0
    assert len(old.read_text(encoding="utf-8").splitlines()) == 3
    assert orders.read_bytes() == before

"""The command line fails in one line, never a traceback (issue 17).

Output that cannot be written (standard output closed, a full disk, an encoding
without the Chinese labels) and input too deep or too large to read each give
one line on stderr and exit 1; a reader that closes the pipe ends the command
quietly.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fieldservice.cli import main

SRC = str(Path(__file__).resolve().parents[1] / "src")
COMMANDS = [["standard", "show"], ["standard", "show", "--toml"], ["demo"]]


def cli(
    *argv: str, stdout: object = subprocess.PIPE, env: dict[str, str] | None = None, **kw: object
) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "PYTHONPATH": SRC, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "fieldservice", *argv],
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        text=True,
        env=environ,
        timeout=120,
        **kw,  # type: ignore[arg-type]
    )


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("fieldservice: error")
    return lines[0]


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_regression_closed_stdout_is_one_line_and_exit_1(argv: list[str]) -> None:
    done = cli(*argv, stdout=None, pass_fds=(), preexec_fn=lambda: os.close(1))
    assert done.returncode == 1
    assert "closed" in one_line(done.stderr)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_regression_a_full_disk_is_one_line_and_exit_1(argv: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = cli(*argv, stdout=full)
    assert done.returncode == 1
    assert "No space left" in one_line(done.stderr)


@pytest.mark.parametrize("argv", [*COMMANDS, ["--help"]], ids=" ".join)
def test_regression_an_ascii_terminal_is_one_line_and_exit_1(argv: list[str]) -> None:
    done = cli(*argv, env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 1
    assert "PYTHONIOENCODING=utf-8" in one_line(done.stderr)


def test_a_closed_pipe_ends_the_command_quietly() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "fieldservice", "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": SRC},
    )
    assert process.stdout is not None
    process.stdout.read(10)
    process.stdout.close()  # like `| head -c 10`
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0
    assert err == b""


DEEP_JSON = "[" * 100_000 + "]" * 100_000 + "\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["sla", "{orders}", "--at", "2026-11-26T10:00"],
        ["ics", "{orders}", "-o", "{out}"],
        ["standard", "check", "{toml}"],
        ["sla", "{orders}", "--at", "2026-11-26T10:00", "--standard", "{toml}"],
    ],
    ids=lambda argv: argv[0] + ("+standard" if "--standard" in argv else ""),
)
def test_regression_deep_input_is_one_line_not_a_traceback(tmp_path: Path, argv: list[str]) -> None:
    orders = tmp_path / "orders.jsonl"
    orders.write_text(DEEP_JSON, encoding="utf-8")
    toml = tmp_path / "deep.toml"
    toml.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    names = {"orders": str(orders), "toml": str(toml), "out": str(tmp_path / "x.ics")}
    done = cli(*(a.format(**names) for a in argv))
    assert done.returncode == 1
    one_line(done.stderr)


def test_regression_standard_check_refuses_a_branch_that_never_offers_a_window(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "branch.toml"
    path.write_text('[booking]\narrival_window = "13h"\n[calendar]\nholidays = "XX"\n')
    assert main(["standard", "check", str(path)], out=io.StringIO()) == 1
    err = capsys.readouterr().err
    assert "[invalid_standard]" in err
    assert "arrival_window 13h" in err
    assert "'XX'" in err


def test_regression_standard_show_never_prints_terminal_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "branch.toml"
    path.write_text('[sources]\nB2 = "\\u001b[2J\\u001b[31mowned"\n', encoding="utf-8")
    out = io.StringIO()
    assert main(["standard", "show", str(path)], out=out) == 1
    assert "\x1b" not in out.getvalue() + capsys.readouterr().err


# Found by the long hypothesis profile: an output name with a lone surrogate, or no name.
@pytest.mark.parametrize("name", ["\ud800", "."], ids=["surrogate", "no-name"])
def test_regression_ics_output_name_that_cannot_be_a_file_is_one_line_exit_1(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    orders = tmp_path / "orders.jsonl"
    orders.write_text("", encoding="utf-8")
    assert main(["ics", str(orders), "-o", name], out=io.StringIO()) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "cannot write that output" in err

"""The command line against hostile files and values: links, FIFOs, folders, full disks.

Found by an outside probe. Each failure is one line on stderr and exit code 1 (2 for a
command line that is wrong), never a traceback; an output file appears whole or not at
all, and a link or a FIFO given as the output stays what it is.
"""

from __future__ import annotations

import errno
import io
import json
import os
import shlex
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from _planning_days import order
from test_cli_failures import one_line
from test_cli_plan import TEAM

import fieldservice as fs
from fieldservice import ServiceStandard, demo
from fieldservice.cli import main

SRC = str(Path(__file__).resolve().parents[1] / "src")
ROOT = Path(__file__).resolve().parents[1]


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def cli(*argv: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fieldservice", *argv],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": SRC},
        timeout=120,
        **kw,
    )


@pytest.fixture(scope="module")
def day_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "day.jsonl"
    orders = demo.build_day(ServiceStandard.default())
    path.write_text("".join(o.to_json(include_personal=True) + "\n" for o in orders))
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


# --- 1. ics -o: a link, a FIFO, a folder ----------------------------------------------


def test_regression_ics_output_through_a_link_writes_the_file_and_keeps_the_link(
    day_file: Path, tmp_path: Path
) -> None:
    real = tmp_path / "real.ics"
    real.write_text("old\n")
    link = tmp_path / "link.ics"
    link.symlink_to(real)
    code, _ = run("ics", str(day_file), "-o", str(link), "--plain")
    assert code == 0
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert leftovers(tmp_path) == []


def test_regression_ics_output_through_a_link_to_no_file_yet_makes_the_file(
    day_file: Path, tmp_path: Path
) -> None:
    link = tmp_path / "link.ics"
    link.symlink_to(tmp_path / "made.ics")
    code, _ = run("ics", str(day_file), "-o", str(link), "--plain")
    assert code == 0
    assert link.is_symlink()
    assert (tmp_path / "made.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_regression_ics_never_writes_through_a_partial_file_left_as_a_link(
    day_file: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.txt"
    other.write_text("someone else's file\n")
    (tmp_path / "visits.ics.partial").symlink_to(other)
    assert run("ics", str(day_file), "-o", str(tmp_path / "visits.ics"), "--plain")[0] == 0
    assert other.read_text() == "someone else's file\n"
    assert (tmp_path / "visits.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert leftovers(tmp_path) == []


def test_regression_ics_output_replacing_a_file_keeps_its_permissions(
    day_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "visits.ics"
    target.write_text("old\n")
    target.chmod(0o640)
    assert run("ics", str(day_file), "-o", str(target), "--plain")[0] == 0
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_regression_ics_output_to_a_fifo_writes_into_it_and_leaves_it_a_fifo(
    day_file: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "visits.ics"
    os.mkfifo(fifo)
    copy = "import sys; sys.stdout.buffer.write(open(sys.argv[1], 'rb').read())"
    reader = subprocess.Popen([sys.executable, "-c", copy, str(fifo)], stdout=subprocess.PIPE)
    try:
        code, text = run("ics", str(day_file), "-o", str(fifo), "--plain")
        received, _ = reader.communicate(timeout=30)
    finally:
        if reader.poll() is None:  # the FIFO was replaced: the reader waits for ever
            reader.kill()
            reader.communicate()
    assert code == 0
    assert "visits for the technician, no METHOD" in text
    assert received.startswith(b"BEGIN:VCALENDAR")
    assert received.endswith(b"END:VCALENDAR\r\n")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert leftovers(tmp_path) == []


def test_regression_ics_output_to_a_folder_is_one_line_exit_1_and_leaves_no_partial(
    day_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "adir"
    folder.mkdir()
    assert run("ics", str(day_file), "-o", str(folder), "--plain")[0] == 1
    assert "names a folder; give a file name" in one_line(capsys.readouterr().err)
    assert leftovers(tmp_path) == []
    assert list(folder.iterdir()) == []


def test_regression_ics_whose_every_line_is_refused_leaves_the_old_file_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    orders = tmp_path / "bad.jsonl"
    orders.write_text("not an order\n")
    target = tmp_path / "visits.ics"
    target.write_text("yesterday's calendar\n")
    assert run("ics", str(orders), "-o", str(target))[0] == 1
    assert target.read_text() == "yesterday's calendar\n"
    assert leftovers(tmp_path) == []


def test_ics_summary_says_cancel_for_a_calendar_of_cancelled_visits(
    tmp_path: Path,
) -> None:
    # The summary reads the METHOD as the calendar goes by, not from the file written.
    cancelled = [o for o in demo.build_day(ServiceStandard.default()) if o.id == "WO-103"]
    orders = tmp_path / "absent.jsonl"
    orders.write_text(cancelled[0].to_json(include_personal=True) + "\n")
    code, text = run("ics", str(orders), "-o", str(tmp_path / "x.ics"), "--json")
    assert code == 0
    assert json.loads(text)["method"] == "CANCEL"
    assert b"METHOD:CANCEL" in (tmp_path / "x.ics").read_bytes()


# --- 2. sla -o: a write or the flush at close fails -----------------------------------


class _FullDisk:
    """A file whose write, or whose last flush at close, fails as on a full disk."""

    def __init__(self, handle: Any, fail_on: str) -> None:
        self._handle = handle
        self._fail_on = fail_on

    def write(self, data: Any) -> int:
        if self._fail_on == "write":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written: int = self._handle.write(data)
        return written

    def flush(self) -> None:
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()
        if self._fail_on == "close":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@pytest.mark.parametrize("fail_on", ["write", "close"])
def test_regression_sla_report_to_a_full_disk_is_one_line_exit_1_and_no_half_file(
    fail_on: str,
    day_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = tmp_path / "report.txt"
    target.write_text("last week's report\n")
    from fieldservice import _outputs

    opened = _outputs.open_output

    def full_disk(path: Path, *, text: bool, fresh: bool) -> Any:
        handle = opened(path, text=text, fresh=fresh)
        return _FullDisk(handle, fail_on) if path.name.startswith("report.txt") else handle

    monkeypatch.setattr(_outputs, "open_output", full_disk)
    code, _ = run("sla", str(day_file), "--at", "2026-11-25T20:00", "-o", str(target))
    assert code == 1
    assert "No space left on device" in one_line(capsys.readouterr().err)
    assert target.read_text() == "last week's report\n"
    assert leftovers(tmp_path) == []


# --- 3. plan --ics-dir: a file in the way ---------------------------------------------


def _plan_files(tmp_path: Path) -> tuple[Path, Path]:
    team = tmp_path / "team.toml"
    team.write_text(TEAM, encoding="utf-8")
    lines = []
    for n, (oid, coords) in enumerate((("A", (31.21, 121.50)), ("B", (31.22, 121.51)))):
        data = order(f"O{n}").to_dict(include_personal=True)
        data["id"] = oid
        data["customer"]["address"]["coordinates"] = list(coords)
        lines.append(fs.WorkOrder.from_dict(data).to_json(include_personal=True))
    orders = tmp_path / "orders.jsonl"
    orders.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return orders, team


@pytest.mark.parametrize("under", ["", "sub"], ids=["the-file", "a-folder-under-it"])
def test_regression_plan_ics_dir_that_is_a_file_is_one_line_exit_1(
    under: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    orders, team = _plan_files(tmp_path)
    afile = tmp_path / "afile"
    afile.write_text("keep\n")
    folder = afile / under if under else afile
    argv = ["plan", str(orders), "--team", str(team), "--day", "2026-11-26"]
    code, text = run(*argv, "--solver", "greedy", "--ics-dir", str(folder))
    assert code == 1
    assert text == ""  # refused before the search: no plan printed
    assert "not a folder; give a folder path" in one_line(capsys.readouterr().err)
    assert afile.read_text() == "keep\n"


def test_regression_plan_json_writes_the_calendars_of_ics_dir_too(tmp_path: Path) -> None:
    orders, team = _plan_files(tmp_path)
    argv = ["plan", str(orders), "--team", str(team), "--day", "2026-11-26", "--json"]
    code, text = run(*argv, "--solver", "greedy", "--ics-dir", str(tmp_path / "ics"))
    assert code == 0
    assert all(json.loads(line) for line in text.splitlines())  # JSON Lines only
    assert b"BEGIN:VEVENT" in (tmp_path / "ics" / "T1.ics").read_bytes()


# --- 4. generate --partition-by onto a file -------------------------------------------


def test_regression_generate_partitioned_onto_a_file_is_one_line_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = tmp_path / "g.jsonl"
    existing.write_text("keep\n")
    argv = ["generate", "10", "--seed", "1", "-o", str(existing), "--partition-by", "day"]
    assert run(*argv)[0] == 1
    assert "a file of that name exists" in one_line(capsys.readouterr().err)
    assert existing.read_text() == "keep\n"


# --- 5. plan --time-limit: not a sane number of seconds -------------------------------


@pytest.mark.parametrize("limit", ["nan", "inf", "1e308", "0", "-1", "3601"])
def test_regression_plan_time_limit_that_is_not_sane_seconds_is_a_usage_error(
    limit: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    orders, team = _plan_files(tmp_path)
    argv = ["plan", str(orders), "--team", str(team), "--day", "2026-11-26"]
    assert run(*argv, "--time-limit", limit)[0] == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "argument --time-limit:" in err.splitlines()[-1]


def test_plan_time_limit_of_a_fraction_of_a_second_is_taken(tmp_path: Path) -> None:
    orders, team = _plan_files(tmp_path)
    argv = ["plan", str(orders), "--team", str(team), "--day", "2026-11-26"]
    code, text = run(*argv, "--solver", "greedy", "--time-limit", "0.5")
    assert code == 0
    assert "2 visits served" in text


# --- 6. orders from standard input, closed --------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [["sla", "-", "--at", "2026-11-25T20:00"], ["ics", "-", "-o", "x.ics"]],
    ids=["sla", "ics"],
)
def test_regression_orders_from_a_closed_stdin_is_one_line_exit_1(
    argv: list[str], tmp_path: Path
) -> None:
    done = cli(*argv, cwd=tmp_path, stdin=None, preexec_fn=lambda: os.close(0))
    assert done.returncode == 1
    assert "standard input is closed" in one_line(done.stderr)
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "x.ics").exists()


# --- 7. plan --day: the error on stderr -----------------------------------------------


def test_regression_plan_day_that_is_not_a_date_is_a_usage_error_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    orders, team = _plan_files(tmp_path)
    code, text = run("plan", str(orders), "--team", str(team), "--day", "26/11")
    assert code == 2
    assert text == ""
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (
        "fieldservice plan: error: argument --day: '26/11' is not a date like 2026-11-26"
    )


# --- 8. wall times in a summer-time gap or overlap ------------------------------------


@pytest.fixture
def new_york(tmp_path: Path) -> Path:
    path = tmp_path / "ny.toml"
    path.write_text('name = "NY"\ntimezone = "America/New_York"\n', encoding="utf-8")
    return path


def _sla_at(wall: str, standard: Path, tmp_path: Path) -> str:
    """The instant ``fieldservice sla --at WALL`` judges at, read back from its JSON."""
    empty = tmp_path / "none.jsonl"
    empty.write_text("")
    code, text = run("sla", str(empty), "--at", wall, "--standard", str(standard), "--json")
    assert code == 0
    at: str = json.loads(text)["at"]
    return at


@pytest.mark.parametrize(
    ("wall", "instant"),
    [
        ("2026-03-08T02:30", "2026-03-08T03:00:00-04:00"),  # the gap: when the clocks jump
        ("2026-03-08T02:30:15.250000", "2026-03-08T03:00:00.250000-04:00"),
    ],
    ids=["gap", "gap-with-fractions"],
)
def test_regression_sla_at_a_wall_time_in_the_spring_gap_is_when_the_clocks_jump(
    wall: str, instant: str, new_york: Path, tmp_path: Path
) -> None:
    assert _sla_at(wall, new_york, tmp_path) == instant


def test_sla_at_a_wall_time_that_happens_twice_is_its_first_occurrence(
    new_york: Path, tmp_path: Path
) -> None:
    # EDT, before the fall back
    assert _sla_at("2026-11-01T01:30", new_york, tmp_path) == "2026-11-01T01:30:00-04:00"


def test_regression_slots_booked_in_the_spring_gap_is_booked_when_the_clocks_jump(
    new_york: Path,
) -> None:
    argv = ["slots", "--booked-at", "2026-03-08T02:30", "--count", "1"]
    code, text = run(*argv, "--standard", str(new_york))
    assert code == 0
    assert "for a booking at 2026-03-08 03:00 (America/New_York)" in text.splitlines()[0]


# --- 9. the year range, in the terms of the time typed --------------------------------


def test_regression_a_time_before_1970_in_utc_says_what_it_is_in_utc(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run("slots", "--booked-at", "1970-01-01T00:00")[0] == 1
    line = one_line(capsys.readouterr().err)
    assert "--booked-at 1970-01-01T00:00 in Asia/Shanghai is 1969-12-31T16:00Z" in line
    assert "1970-01-01T00:00Z to 2198-12-31T23:59Z" in line


def test_a_wall_time_late_in_1969_that_is_1970_in_utc_is_taken(
    new_york: Path, tmp_path: Path
) -> None:
    assert _sla_at("1969-12-31T20:00", new_york, tmp_path) == "1969-12-31T20:00:00-05:00"


# --- 10. the README's commands work as written ----------------------------------------


def test_regression_readme_commands_on_orders_jsonl_work_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("The command line:")[1].split("```console\n")[1].split("```")[0]
    commands = [line.split("#")[0] for line in block.splitlines() if "orders.jsonl" in line]
    assert commands[0].split()[:2] == ["fieldservice", "demo"]  # where orders.jsonl comes from
    monkeypatch.chdir(tmp_path)
    for command in commands:
        argv = shlex.split(command.replace("[", "").replace("]", ""))
        assert argv[0] == "fieldservice"
        code, _ = run(*argv[1:])
        assert code == 0, command
    assert (tmp_path / "visits.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_regression_a_partial_file_left_as_a_link_is_refused_not_written_through(
    day_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A review: when the stale partial could not be removed (a sticky folder), it was
    # opened through the link. It is created with O_EXCL and O_NOFOLLOW: never followed.
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me\n")
    target = tmp_path / "report.ics"
    (tmp_path / "report.ics.partial").symlink_to(precious)
    real_unlink = Path.unlink

    def stuck(self: Path, missing_ok: bool = False) -> None:
        if self.name.endswith(".partial") and self.is_symlink():
            raise PermissionError(1, "Operation not permitted")
        real_unlink(self, missing_ok=missing_ok)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Path, "unlink", stuck)
        code, _ = run("ics", str(day_file), "-o", str(target), "--plain")
    assert code == 1
    assert one_line(capsys.readouterr().err)
    assert precious.read_text() == "keep me\n"
    assert not target.exists()


def test_regression_a_new_output_gets_the_usual_mode_and_a_partial_only_the_owner_reads(
    day_file: Path, tmp_path: Path
) -> None:
    from fieldservice import _outputs

    modes: list[int] = []
    opened = _outputs.open_output

    def noting(path: Path, *, text: bool, fresh: bool) -> Any:
        handle = opened(path, text=text, fresh=fresh)
        modes.append(stat.S_IMODE(os.stat(path).st_mode))
        return handle

    target = tmp_path / "new.txt"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_outputs, "open_output", noting)
        assert run("sla", str(day_file), "--at", "2026-11-25T20:00", "-o", str(target))[0] == 0
    assert modes == [0o600]
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask

"""`fieldservice slots`: the next bookable half-day windows (B2, B5, B6)."""

import io
from pathlib import Path

import pytest

from fieldservice.cli import main


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_B5_slots_lists_the_next_windows_from_the_lead_time() -> None:
    code, text = run("slots", "--booked-at", "2026-11-24T10:30", "--count", "4")
    assert code == 0
    lines = text.splitlines()
    assert "2026-11-24 10:30 (Asia/Shanghai)" in lines[0]
    assert lines[1:] == [
        "  2026-11-25 Wed  上午 morning    08:00-12:00  from 10:30",
        "  2026-11-25 Wed  下午 afternoon  12:00-20:00",
        "  2026-11-26 Thu  上午 morning    08:00-12:00",
        "  2026-11-26 Thu  下午 afternoon  12:00-20:00",
    ]


def test_B5_slots_reads_an_offset_when_given() -> None:
    # 02:30 UTC is 10:30 in Shanghai: the same windows.
    _, utc = run("slots", "--booked-at", "2026-11-24T02:30+00:00", "--count", "2")
    _, local = run("slots", "--booked-at", "2026-11-24T10:30", "--count", "2")
    assert utc == local


def test_B6_slots_uses_a_branchs_standard(tmp_path: Path) -> None:
    path = tmp_path / "branch.toml"
    path.write_text('name = "Pudong"\n[hours]\nquiet = ["21:00", "08:00"]\n', encoding="utf-8")
    code, text = run(
        "slots", "--booked-at", "2026-11-24T10:30", "--count", "2", "--standard", str(path)
    )
    assert code == 0
    assert text.splitlines()[2] == "  2026-11-25 Wed  下午 afternoon  12:00-21:00"


def test_slots_refuses_a_bad_time_or_count(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("slots", "--booked-at", "tomorrow")[0] == 2
    assert "is not an ISO date and time" in capsys.readouterr().err
    assert run("slots", "--booked-at", "2026-11-24T10:30", "--count", "0")[0] == 2
    assert "--count: must be from 1 to 1000 (got 0)" in capsys.readouterr().err


def test_B6_slots_marks_windows_on_estimated_holidays_provisional(tmp_path: Path) -> None:
    path = tmp_path / "branch.toml"
    path.write_text(
        '[calendar]\nclose_visits_on_holidays = true\nunconfirmed_years = "estimated"\n',
        encoding="utf-8",
    )
    code, text = run(
        "slots", "--booked-at", "2026-12-30T10:30", "--count", "3", "--standard", str(path)
    )
    assert code == 0
    assert text.splitlines()[1:] == [
        "  2026-12-31 Thu  上午 morning    08:00-12:00  from 10:30",
        "  2026-12-31 Thu  下午 afternoon  12:00-20:00",
        "  2027-01-04 Mon  上午 morning    08:00-12:00  (provisional)",
        "  provisional: the public holidays of 2027 are not announced; these windows rest on "
        "the holidays package's estimate",
    ]


@pytest.mark.parametrize("count", ["0", "-1", "1001", "x", "2.5"])
def test_regression_an_out_of_range_count_is_a_usage_error(
    count: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("slots", "--booked-at", "2026-11-24T10:30", "--count", count)[0] == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: fieldservice slots")
    assert "argument --count" in err


def test_slots_takes_the_largest_count() -> None:
    code, text = run("slots", "--booked-at", "2026-11-24T10:30", "--count", "1000")
    assert code == 0
    lines = text.splitlines()
    # Fewer than asked: the search looks a year ahead; every window found is listed.
    assert lines[0].startswith(f"Next {len(lines) - 1} appointment windows")
    assert len(lines) - 1 > 700

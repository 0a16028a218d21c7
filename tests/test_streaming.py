"""Big files: the streaming SLA path, mergeable summaries and the command line's flags."""

import io
import itertools
import json
import math
import tracemalloc
from pathlib import Path

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fieldservice as fs
from fieldservice import sla
from fieldservice.cli import main
from fieldservice.errors import StandardMismatch
from fieldservice.synthetic import synthetic_lines, synthetic_order

STD = fs.ServiceStandard.default()
TZ = "Asia/Shanghai"
FIRST = pendulum.datetime(2026, 9, 1, tz=TZ)
LINES = list(synthetic_lines(400, seed=11))


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def same_clocks(row: sla.OrderClocks, report: sla.SlaReport) -> None:
    for index, status in enumerate(report):
        assert row.states()[index] is status.state, (row.id, status.clock)
        if status.deadline is None:
            assert math.isnan(row.deadline[index])
        else:
            assert row.deadline[index] == pytest.approx(status.deadline.timestamp(), abs=1e-6)
        assert row.elapsed[index] == pytest.approx(status.elapsed.total_seconds(), abs=1e-5)
        assert bool(row.at_risk[index]) is status.at_risk


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**9), days=st.integers(0, 100), minutes=st.integers(0, 1439))
def test_streaming_clocks_equal_evaluate_on_generated_orders(
    seed: int, days: int, minutes: int
) -> None:
    order = synthetic_order(seed)
    at = FIRST.add(days=days, minutes=minutes)
    row = sla.OrderJudge(at=at, standard=STD).judge(json.loads(order.to_json()))
    assert row.id == order.id
    same_clocks(row, sla.evaluate(order, at=at))


def test_streaming_refuses_an_order_of_another_standard() -> None:
    data = json.loads(LINES[0])
    data["standard"]["digest"] = "0" * 64
    with pytest.raises(StandardMismatch):
        sla.OrderJudge(at=FIRST, standard=STD).judge(data)


def test_streaming_names_both_digests_when_two_versions_of_a_standard_share_its_name() -> None:
    data = json.loads(LINES[0])
    data["standard"] = {"name": STD.name, "digest": "0" * 64}
    with pytest.raises(StandardMismatch) as info:
        sla.OrderJudge(at=FIRST, standard=STD).judge(data)
    assert "(000000000000)" in info.value.message
    assert f"({STD.digest[:12]})" in info.value.message


@pytest.mark.parametrize("kind", [["accepted"], {"kind": "accepted"}, 7, None])
def test_order_judge_refuses_an_event_kind_that_is_not_text(kind: object) -> None:
    data = json.loads(LINES[0])
    data["events"][0]["kind"] = kind
    with pytest.raises(fs.InvalidEvent):
        sla.OrderJudge(at=FIRST, standard=STD).judge(data)


def test_streaming_refuses_events_out_of_time_order() -> None:
    data = json.loads(LINES[1])
    data["events"].append(dict(data["events"][0], at="2020-01-01T00:00:00+08:00"))
    with pytest.raises(fs.InvalidEvent):
        sla.OrderJudge(at=FIRST.add(days=200), standard=STD).judge(data)


def test_memory_stays_flat_over_200000_orders(tmp_path: Path) -> None:
    path = tmp_path / "branch.jsonl"
    tiers = [t.value for t in fs.Tier]
    with path.open("w", encoding="utf-8") as f:
        for i in range(200_000):
            at = FIRST.add(minutes=i % 5000).isoformat()
            data = {
                "order_kind": "repair",
                "tier": tiers[i % 4],
                "area": "city",
                "products": ["broadband"],
            }
            event = {"kind": "reported", "at": at, "actor": "desk", "data": data}
            f.write(json.dumps({"id": f"WO-{i}", "events": [event]}) + "\n")
    out = io.StringIO()
    tracemalloc.start()
    try:
        code = main(["sla", str(path), "--at", "2026-09-01T12:00", "--quiet"], out=out)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 0
    assert "200000 orders" in out.getvalue()
    # One order at a time and the summary's sketches: far below what 200,000 restored
    # orders would hold (about 1.5 kB each, 300 MB), and flat in their number.
    assert peak < 16 * 2**20, peak


# --- mergeable summaries ------------------------------------------------------------------


def batch_of(lines: list[str], at: pendulum.DateTime) -> sla.SlaBatch:
    return sla.evaluate_many([fs.WorkOrder.from_json(line) for line in lines], at=at, standard=STD)


AT = pendulum.datetime(2026, 11, 24, 20, tz=TZ)
WHOLE = batch_of(LINES, AT)


@settings(max_examples=40, deadline=None)
@given(cuts=st.lists(st.integers(0, len(LINES)), max_size=6))
def test_merged_summaries_of_any_split_equal_the_whole(cuts: list[int]) -> None:
    bounds = [0, *sorted(cuts), len(LINES)]
    parts = [sla.summarize(batch_of(LINES[a:b], AT)) for a, b in itertools.pairwise(bounds)]
    merged = parts[0]
    for part in parts[1:]:
        merged = merged.merge(part)
    whole = sla.summarize(WHOLE)
    assert merged.orders == len(LINES)
    for clock in sla.ClockName:
        for got, want in zip(merged.tiers(clock), whole.tiers(clock), strict=True):
            counts = ("count", "running", "met", "breached", "met_share")
            assert [getattr(got, k) for k in counts] == [getattr(want, k) for k in counts]
            exact = sorted(
                e
                for e, s, t in zip(
                    WHOLE.elapsed[clock], WHOLE.state[clock], WHOLE.tier[clock], strict=True
                )
                if s and t == list(fs.Tier).index(got.tier)
            )
            if not exact:
                assert got.median_elapsed is None
                continue
            for q, value in ((0.5, got.median_elapsed), (0.95, got.p95_elapsed)):
                assert value is not None
                # DDSketch: within the relative accuracy of the value at the sketch's rank.
                rank = max(0, math.floor(q * (len(exact) - 1)))
                near = exact[max(0, rank - 1) : rank + 2]
                bound = sla.RELATIVE_ACCURACY * max(near) + 1  # rounded to the second
                assert min(near) - bound <= value.total_seconds() <= max(near) + bound


def test_summary_merges_only_with_a_summary() -> None:
    with pytest.raises(fs.InvalidInput):
        sla.SlaSummary().merge("counts")  # type: ignore[arg-type]


# --- the command line on big files ----------------------------------------------------------


@pytest.fixture(scope="module")
def orders_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "orders.jsonl"
    path.write_text("".join(line + "\n" for line in LINES), encoding="utf-8")
    return path


def test_sla_command_streams_the_same_counts_as_evaluate_many(orders_file: Path) -> None:
    code, text = run("sla", str(orders_file), "--at", AT.isoformat(), "--json")
    assert code == 0
    assert text.count("\n") == 1  # one JSON line
    data = json.loads(text)
    assert data["orders"] == len(LINES)
    assert data["refused_lines"] == 0
    whole = sla.summarize(WHOLE)
    expected = [(r["clock"], r["tier"], r["count"], r["breached"]) for r in whole.to_records()]
    assert [(r["clock"], r["tier"], r["count"], r["breached"]) for r in data["tiers"]] == expected
    assert [(b["order"], b["clock"]) for b in data["breaches"]] == [
        (o, c.value) for o, c in sla.breaches(WHOLE)
    ]


def test_sla_command_reports_a_bad_line_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(f"{LINES[0]}\nnot json\n{LINES[1]}\n", encoding="utf-8")
    code, text = run("sla", str(path), "--at", AT.isoformat())
    assert code == 1
    assert ", 2 orders" in text
    assert "1 lines refused" in text
    err = capsys.readouterr().err
    assert "line 2" in err
    assert err.count("\n") == 1


def test_sla_command_strict_stops_at_the_first_bad_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(f"{LINES[0]}\n{{}}\n{LINES[1]}\n", encoding="utf-8")
    code, text = run("sla", str(path), "--at", AT.isoformat(), "--strict")
    assert (code, text) == (1, "")
    assert "line 2" in capsys.readouterr().err


def test_sla_command_columns_never_run_together(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    event = {
        "kind": "reported",
        "at": "2026-11-24T10:00:00+08:00",
        "actor": "desk",
        "data": {"order_kind": "repair", "tier": "gold", "area": "city", "products": ["broadband"]},
    }
    # Distinct orders: an order given twice is counted once.
    with path.open("w", encoding="utf-8") as f:
        for i in range(100_001):
            f.write(json.dumps({"id": f"WO-{i}", "events": [event]}) + "\n")
    code, text = run("sla", str(path), "--at", "2026-11-24T12:00", "--clock", "repair")
    assert code == 0
    row = next(r for r in text.splitlines() if r.strip().startswith("repair"))
    assert row.split()[:7] == ["repair", "F4", "gold", "100001", "100001", "0", "0"]


def test_sla_command_writes_to_a_file_and_takes_now(orders_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, text = run("sla", str(orders_file), "--at", "now", "--json", "-o", str(target))
    assert (code, text) == (0, "")
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["at"].endswith("+08:00")  # now, in the standard's zone
    assert data["orders"] == len(LINES)


def test_generate_writes_orders_that_restore_and_the_same_for_a_seed(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert run("generate", "50", "--seed", "3", "-o", str(first))[0] == 0
    assert run("generate", "50", "--seed", "3", "-o", str(second), "--quiet") == (0, "")
    assert first.read_bytes() == second.read_bytes()
    orders = fs.orders_io.read_orders(first)
    assert [o.id for o in orders] == [f"WO-{i}" for i in range(50)]


def test_generate_first_id_numbers_partitions_made_apart_without_shared_ids(
    tmp_path: Path,
) -> None:
    parts = [tmp_path / "p0.jsonl", tmp_path / "p1.jsonl"]
    assert run("generate", "20", "--seed", "0", "-o", str(parts[0]), "--quiet")[0] == 0
    assert run("generate", "20", "--seed", "1", "--first-id", "20", "-o", str(parts[1]))[0] == 0
    ids = [o.id for part in parts for o in fs.orders_io.read_orders(part)]
    assert ids == [f"WO-{i}" for i in range(40)]
    code, _ = run("generate", "2", "--first-id", "-1", "-o", str(tmp_path / "x.jsonl"))
    assert code == 2  # an argparse error, nothing written
    assert not (tmp_path / "x.jsonl").exists()
    with pytest.raises(fs.FieldServiceError, match="first must be a whole number"):
        synthetic_lines(2, first=-1)


def test_demo_writes_its_orders_as_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "day.jsonl"
    assert run("demo", "--jsonl", str(path))[0] == 0
    assert [o.id for o in fs.orders_io.read_orders(path)][:2] == ["WO-101", "WO-102"]


def test_arrow_without_the_extra_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from fieldservice import columnar

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(fs.InvalidInput, match=r"pip install 'fieldservice\[arrow\]'"):
        sla.evaluate_table("events.parquet", at=AT)
    with pytest.raises(fs.InvalidInput, match="'arrow' extra"):
        columnar.events_table([])


@settings(max_examples=15, deadline=None)
@given(seeds=st.lists(st.integers(0, 10**6), max_size=12, unique=True), plain=st.booleans())
def test_write_ical_streams_the_bytes_of_to_ical(seeds: list[int], plain: bool) -> None:
    from fieldservice import calendar

    orders = [synthetic_order(s) for s in seeds]
    out = io.BytesIO()
    try:
        expected = calendar.to_ical(orders, itip=not plain)
    except fs.InvalidInput:
        with pytest.raises(fs.InvalidInput):
            calendar.write_ical(orders, out, itip=not plain)
        assert out.getvalue() == b""  # nothing half-written
        return
    assert calendar.write_ical(orders, out, itip=not plain) == expected.count(b"BEGIN:VEVENT")
    assert out.getvalue() == expected


def test_ics_command_reports_a_bad_line_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(f"{LINES[0]}\nnot json\n" + "".join(x + "\n" for x in LINES[1:60]))
    target = tmp_path / "out.ics"
    code, text = run("ics", str(path), "-o", str(target), "--plain", "--json")
    assert code == 1
    summary = json.loads(text)
    assert summary["refused_lines"] == 1
    assert target.read_bytes().count(b"BEGIN:VEVENT") == summary["visits"] > 0
    assert "line 2" in capsys.readouterr().err
    code, text = run("ics", str(path), "-o", "-", "--plain", "--quiet")
    assert text.startswith("BEGIN:VCALENDAR")


def test_slots_json_prints_one_window_a_line() -> None:
    code, text = run("slots", "--booked-at", "2026-11-24T10:30", "--count", "3", "--json")
    assert code == 0
    rows = [json.loads(line) for line in text.splitlines()]
    assert [(r["date"], r["half"]) for r in rows] == [
        ("2026-11-25", "morning"),
        ("2026-11-25", "afternoon"),
        ("2026-11-26", "morning"),
    ]
    assert rows[0]["earliest_arrival"] == "2026-11-25T10:30:00+08:00"  # B5: 24 h lead time


def test_standard_show_json_is_one_line_with_the_digest() -> None:
    code, text = run("standard", "show", "--json")
    assert code == 0
    data = json.loads(text)
    assert (data["name"], data["digest"]) == ("default", STD.digest)
    assert data["timezone"] == "Asia/Shanghai"


def test_sla_table_counts_every_breach_and_names_the_first_20(tmp_path: Path) -> None:
    path = tmp_path / "late.jsonl"
    event = {
        "kind": "reported",
        "at": "2026-11-20T10:00:00+08:00",
        "actor": "desk",
        "data": {"order_kind": "repair", "tier": "gold", "area": "city", "products": ["broadband"]},
    }
    path.write_text(
        "".join(json.dumps({"id": f"WO-{i}", "events": [event]}) + "\n" for i in range(30))
    )
    code, text = run("sla", str(path), "--at", "2026-11-24T12:00", "--clock", "repair")
    assert code == 0
    last = text.splitlines()[-1]
    assert last.startswith("  30 breached clocks: WO-0 repair, WO-1 repair, ")
    assert last.endswith("WO-19 repair ...")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("quiet", [False, True])
def test_progress_goes_to_a_terminal_stderr_only(
    orders_file: Path, monkeypatch: pytest.MonkeyPatch, quiet: bool
) -> None:
    pytest.importorskip("rich", reason="the progress bar is the 'progress' extra")
    import sys

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    argv = ["sla", str(orders_file), "--at", AT.isoformat(), "--json"]
    code, text = run(*argv, *(["--quiet"] if quiet else []))
    assert code == 0
    json.loads(text)  # standard output holds the report alone
    assert (terminal.getvalue() != "") is not quiet


def _both_readers() -> tuple[object, object]:
    from fieldservice import _branch_report

    pytest.importorskip("msgspec")
    return _branch_report.read_json, _branch_report._clock_reader()


def _clock_keys(data: object) -> object:
    from fieldservice import _branch_report

    if data is _branch_report.NOT_JSON or not isinstance(data, dict):
        return data if data is _branch_report.NOT_JSON else ("not an object", data)
    return (data.get("id"), data.get("events"), data.get("standard"))


@settings(deadline=None)
@given(
    line=st.sampled_from(LINES[:20]),
    where=st.integers(0, 10**6),
    junk=st.binary(min_size=1, max_size=4)
    | st.sampled_from([b"\xff", b"\xed\xa0\x80", b"NaN", b"\\ud800", b"\x00", b"[" * 3000]),
)
def test_the_fast_reader_accepts_and_reads_what_the_standard_library_does(
    line: str, where: int, junk: bytes
) -> None:
    # The fast extra's decoder skips the customer unread: a malformed byte there must
    # still refuse the line, as json.loads does.
    std, fast = _both_readers()
    raw = line.encode()
    cut = where % (len(raw) + 1)
    for text in (raw, raw[:cut] + junk + raw[cut:]):
        assert _clock_keys(fast(text)) == _clock_keys(std(text))  # type: ignore[operator]


def test_sla_command_counts_the_same_with_either_reader(
    orders_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fieldservice import _branch_report

    std, fast = _both_readers()
    texts = []
    for reader in (std, fast):
        monkeypatch.setattr(_branch_report, "clock_reader", lambda reader=reader: reader)
        code, text = run("sla", str(orders_file), "--at", AT.isoformat(), "--json")
        assert code == 0
        texts.append(text)
    assert texts[0] == texts[1]


@pytest.mark.parametrize("depth", [250, 255, 256, 257, 900, 993, 995, 1100, 100_000])
def test_the_fast_reader_refuses_nesting_where_the_standard_library_does(depth: int) -> None:
    # One rule for both, whatever the stack depth: deeper than DEEPEST is refused. A
    # bracket inside a text does not count.
    from fieldservice import _branch_report

    std, fast = _both_readers()
    line = (
        b'{"id": "WO-1", "events": [], "note": "[[[[", "customer": '
        + b"[" * (depth - 1)
        + b"]" * (depth - 1)
        + b"}"
    )
    deep = depth > _branch_report.DEEPEST
    for reader in (std, fast):
        assert (reader(line) is _branch_report.NOT_JSON) is deep  # type: ignore[operator]


@pytest.mark.parametrize("digits", [19, 400, 4300, 4301, 10_000])
def test_both_readers_read_a_number_of_any_length(digits: int) -> None:
    # json.loads alone refuses past the interpreter's digit limit; msgspec skips unread.
    from fieldservice import _branch_report

    std, fast = _both_readers()
    skipped = b'{"id": "WO-1", "events": [], "x": ' + b"7" * digits + b"}"
    kept = b'{"id": "WO-1", "events": [' + b"7" * digits + b"]}"
    for line in (skipped, kept):
        assert std(line) is not _branch_report.NOT_JSON  # type: ignore[operator]
        assert _clock_keys(fast(line)) == _clock_keys(std(line))  # type: ignore[operator]


@pytest.mark.parametrize("events", [[{"kind": "booked"}], ["booked"], [None]])
def test_judge_events_refuses_what_is_not_an_event(events: list[object]) -> None:
    with pytest.raises(fs.InvalidInput, match="Event objects"):
        sla.OrderJudge(at=FIRST, standard=STD).judge_events("WO-1", events)  # type: ignore[arg-type]


def test_judge_events_refuses_a_phone_number_for_an_order_id() -> None:
    with pytest.raises(fs.InvalidInput, match="phone number"):
        sla.OrderJudge(at=FIRST, standard=STD).judge_events("13800138000", [])


def test_judge_events_reads_an_iterator_as_its_list() -> None:
    order = synthetic_order(12)
    judge = sla.OrderJudge(at=FIRST.add(days=100), standard=STD)
    assert judge.judge_events(order.id, iter(order.events)) == judge.judge_events(
        order.id, list(order.events)
    )
    with pytest.raises(fs.InvalidInput, match="sequence of Event"):
        judge.judge_events(order.id, None)  # type: ignore[arg-type]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)


@settings(max_examples=60, deadline=None)
@given(kind=JSON_VALUES, where=st.integers(0, 100))
def test_regression_a_line_with_any_json_as_an_event_kind_is_refused_or_judged(
    kind: object, where: int
) -> None:
    # OrderJudge looks a kind up in a set: a list or object there was a TypeError that
    # ended the whole run with a traceback, not a refused line.
    from fieldservice import _branch_report

    data = json.loads(LINES[3])
    data["events"][where % len(data["events"])]["kind"] = kind
    chunk = _branch_report.Chunk([1, 2], [json.dumps(data).encode(), LINES[4].encode()], 0)
    judge = sla.OrderJudge(at=AT, standard=STD)
    part = _branch_report.judge_chunk(judge, tuple(sla.ClockName), chunk)
    assert part.summary.orders + len(part.refused) == 2
    assert all(isinstance(err, fs.InvalidEvent) for _, err in part.refused)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_regression_sla_command_refuses_an_event_kind_that_is_a_list_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    data = json.loads(LINES[5])
    data["events"][0]["kind"] = ["accepted"]
    path = tmp_path / "kinds.jsonl"
    path.write_text(f"{LINES[0]}\n{json.dumps(data)}\n{LINES[1]}\n", encoding="utf-8")
    code, text = run("sla", str(path), "--at", AT.isoformat(), "--jobs", jobs)
    assert code == 1
    assert ", 2 orders" in text
    assert "1 lines refused" in text
    err = capsys.readouterr().err
    assert "line 2" in err
    assert "[invalid_event]" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("count", ["99999999999999999999", "1_000_000_001", "-1"])
def test_generate_refuses_a_count_past_a_billion_orders_as_a_usage_error(
    count: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # It would run until the disk is full: a usage error (2) at once, nothing written.
    target = tmp_path / "g.jsonl"
    assert run("generate", count, "-o", str(target))[0] == 2
    assert "must be from 0 to 1000000000" in capsys.readouterr().err
    assert not target.exists()


# --- an order given twice --------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("gap", [1, 2100])
def test_sla_command_counts_an_order_given_twice_once_and_names_both_lines(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    jobs: str,
    gap: int,
) -> None:
    # The same order again, in the same chunk of lines or in a later one (chunks of 2048).
    lines = list(synthetic_lines(gap + 3, seed=5))
    again = [*lines[: gap + 1], lines[0], *lines[gap + 1 :]]
    path = tmp_path / "again.jsonl"
    path.write_text("\n".join(again) + "\n", encoding="utf-8")
    once = tmp_path / "once.jsonl"
    once.write_text("\n".join(lines) + "\n", encoding="utf-8")
    at = ["--at", AT.isoformat(), "--jobs", jobs, "--json"]

    code, text = run("sla", str(path), *at)
    _, want = run("sla", str(once), *at)

    assert code == 1
    report, expected = json.loads(text), json.loads(want)
    assert report["orders"] == expected["orders"] == len(lines)
    assert report["refused_lines"] == 1
    assert report["tiers"] == expected["tiers"]
    assert report["breaches"] == expected["breaches"]
    err = capsys.readouterr().err
    assert f"line {gap + 2}" in err
    assert "first on line 1" in err
    assert "Traceback" not in err


def test_sla_command_strict_stops_at_an_order_given_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "again.jsonl"
    path.write_text(f"{LINES[0]}\n{LINES[1]}\n{LINES[0]}\n{LINES[2]}\n", encoding="utf-8")
    code, text = run("sla", str(path), "--at", AT.isoformat(), "--strict")
    assert code == 1
    assert text == ""
    err = capsys.readouterr().err
    assert "line 3: order WO-" in err
    assert "is given again (first on line 1)" in err


@settings(deadline=None)
@given(ids=st.lists(st.integers(0, 40), max_size=300))
def test_seen_orders_names_the_first_line_of_every_id_given_again(ids: list[int]) -> None:
    from fieldservice._branch_report import SeenOrders

    seen, first = SeenOrders(), {}
    for number, i in enumerate(ids, start=1):
        order_id = f"WO-{i}"
        assert seen.first_line(order_id, number) == first.get(order_id)
        first.setdefault(order_id, number)


def test_seen_orders_keeps_every_id_as_it_grows() -> None:
    from fieldservice._branch_report import SeenOrders

    seen = SeenOrders()
    assert all(seen.first_line(f"WO-{i}", i + 1) is None for i in range(20_000))
    assert all(seen.first_line(f"WO-{i}", 0) == i + 1 for i in range(0, 20_000, 7))

"""``fieldservice sla`` reads the lines ``WorkOrder.from_json`` reads, by every reader path.

A line written in a schema version this release does not read, or whose JSON holds a key
twice, is refused by ``from_json`` (and so by ``ics`` and ``read_orders``); ``sla`` refused
neither (an outside probe, item 4). It now refuses them as any bad line: counted, named on
stderr by its number, exit code 1; with or without the ``fast`` extra (msgspec), in one
process or in worker processes.

So it refuses, in ``from_json``'s words, a line with an event of a kind the library does not
know (where no clock reads it too), and one whose opening event names no order kind,
products, tier or area, or is not its kind's opening: ``sla`` judged and counted them.
"""

from __future__ import annotations

import copy
import io
import json
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fieldservice as fs
from fieldservice import _branch_report, demo, sla
from fieldservice.cli import main

STD = fs.ServiceStandard.default()
AT = "2026-11-25T20:00"
_JUDGE = sla.OrderJudge(at=pendulum.datetime(2026, 11, 25, 20, tz="Asia/Shanghai"), standard=STD)
LINES = [o.to_json(include_personal=True) for o in demo.build_day(STD)]
GOOD, MIDDLE, LAST = LINES[0], LINES[1], LINES[2]  # WO-101, WO-102, WO-103
assert MIDDLE.startswith('{"schema_version":1,"id":"WO-102",')

BAD_LINES = {
    "schema_version 2": MIDDLE.replace('"schema_version":1', '"schema_version":2', 1),
    "schema_version of 5000 digits": MIDDLE.replace(
        '"schema_version":1', '"schema_version":' + "9" * 5000, 1
    ),
    "schema_version NaN": MIDDLE.replace('"schema_version":1', '"schema_version":NaN', 1),
    "schema_version 1.0": MIDDLE.replace('"schema_version":1', '"schema_version":1.0', 1),
    "schema_version true": MIDDLE.replace('"schema_version":1', '"schema_version":true', 1),
    "schema_version null": MIDDLE.replace('"schema_version":1', '"schema_version":null', 1),
    "id twice": MIDDLE.replace('"id":"WO-102"', '"id":"WO-102","id":"WO-999"', 1),
    "id twice, spelled apart": MIDDLE.replace(
        '"id":"WO-102"', '"id":"WO-102","\\u0069d":"WO-9"', 1
    ),
    "a key twice in an event": MIDDLE.replace(
        '"actor":"desk-2"', '"actor":"desk-2","actor":"desk-2"', 1
    ),
    "a key twice in the customer": MIDDLE.replace('"name":"李四"', '"name":"李四","name":"李"', 1),
    # One pair dropped, one colon spelled \u003a kept: as many colons as the line holds.
    "a key twice, a colon spelled as an escape": MIDDLE.replace(
        '"name":"李四"', '"name":"李四","name":"\\u003a"', 1
    ),
}


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


@pytest.fixture(params=["msgspec", "json"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The reader ``sla`` uses: msgspec (the ``fast`` extra), or json as without it."""
    if request.param == "msgspec":
        pytest.importorskip("msgspec")
    else:
        monkeypatch.setitem(sys.modules, "msgspec", None)  # the import fails
    _branch_report.clock_reader.cache_clear()
    # Made in this process before any worker is forked, which inherits it.
    assert (_branch_report.clock_reader() is _branch_report.read_json) is (request.param == "json")
    yield request.param
    _branch_report.clock_reader.cache_clear()


def _from_json_refusal(line: str) -> str:
    with pytest.raises(fs.InvalidInput) as caught:
        fs.WorkOrder.from_json(line)
    return caught.value.message


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("case", sorted(BAD_LINES))
def test_sla_refuses_the_lines_from_json_refuses_and_judges_the_rest(
    case: str, jobs: str, reader: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = BAD_LINES[case]
    path = tmp_path / "orders.jsonl"
    path.write_text(f"{GOOD}\n{bad}\n{LAST}\n", encoding="utf-8")
    capsys.readouterr()
    code, text = run("sla", str(path), "--at", AT, "--json", "--quiet", "--jobs", jobs)
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    report = json.loads(text)
    assert (report["orders"], report["refused_lines"]) == (2, 1)  # the good lines judged
    assert len(err) == 1
    assert f"{path}, line 2: " in err[0]
    expected = _from_json_refusal(bad)
    if case != "schema_version of 5000 digits":  # json refuses it unread: see below
        assert err[0].endswith(f": {expected}")


def test_a_schema_version_past_the_digit_limit_is_refused_by_both() -> None:
    # from_json's json refuses a number past the interpreter's digit limit as not JSON;
    # sla's readers read any number (as a float past the limit), so its version is refused.
    line = BAD_LINES["schema_version of 5000 digits"]
    assert _from_json_refusal(line).startswith("the order is not valid JSON")
    chunk = _branch_report.Chunk([7], [line.encode()], 0)
    part = _branch_report.judge_chunk(_JUDGE, tuple(sla.ClockName), chunk)
    ((number, why),) = part.refused
    assert number == 7
    assert why is not None
    assert why.message.startswith("the order is written in schema version float;")


@pytest.mark.parametrize("case", ["schema_version 2", "id twice"])
def test_strict_stops_at_the_line(
    case: str, reader: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "orders.jsonl"
    path.write_text(f"{GOOD}\n{BAD_LINES[case]}\n{LAST}\n", encoding="utf-8")
    capsys.readouterr()
    code, text = run("sla", str(path), "--at", AT, "--json", "--quiet", "--strict")
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert text == ""
    assert len(err) == 1
    assert f"{path}, line 2: {_from_json_refusal(BAD_LINES[case])}" in err[0]


GOOD_SPELLINGS = {
    "a colon spelled as an escape": MIDDLE.replace('"name":"李四"', '"name":"李\\u003a四"', 1),
    "spaced": "  " + json.dumps(json.loads(MIDDLE), ensure_ascii=False, indent=1).replace("\n", ""),
    "ASCII only": json.dumps(json.loads(MIDDLE)),
    "a key spelled with an escape": MIDDLE.replace('"id":"WO-102"', '"\\u0069d":"WO-102"', 1),
}


@pytest.mark.parametrize("case", sorted(GOOD_SPELLINGS))
def test_a_line_spelled_otherwise_is_no_refusal(
    case: str, reader: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The fast reader shows a line holds each key once by comparing it with msgspec's own
    # spelling, else by counting colons; a colon spelled \u003a sends the line to json,
    # which reads it. No line of distinct keys is refused, however it is spelled.
    line = GOOD_SPELLINGS[case]
    fs.WorkOrder.from_json(line)
    path = tmp_path / "orders.jsonl"
    path.write_text(f"{GOOD}\n{line}\n{LAST}\n", encoding="utf-8")
    code, text = run("sla", str(path), "--at", AT, "--json", "--quiet")
    assert code == 0, capsys.readouterr().err
    assert json.loads(text)["orders"] == 3


@pytest.mark.parametrize("case", ["spaced", "ASCII only", "a key spelled with an escape"])
def test_the_fast_reader_keeps_a_line_of_distinct_keys_however_spaced(case: str) -> None:
    # Counting colons decides these without json: only a colon spelled \u003a needs it.
    msgspec = pytest.importorskip("msgspec")
    line = GOOD_SPELLINGS[case].encode()
    again = msgspec.json.encode(msgspec.json.decode(line))
    assert not line.startswith(again)
    assert _branch_report._each_key_once(line, again)


def test_order_judge_refuses_a_version_it_does_not_read_as_from_dict_does() -> None:
    data = json.loads(MIDDLE)
    _JUDGE.judge(data)
    del data["schema_version"], data["standard"]
    _JUDGE.judge(data)  # version 0, as written before the event schema
    for version in (2, -1, 1.0, 0.0, True, False, None, "1", [1], math.nan, math.inf):
        data["schema_version"] = version
        with pytest.raises(fs.InvalidInput) as caught:
            _JUDGE.judge(data)
        assert caught.value.message == _from_dict_refusal(data)


def _from_dict_refusal(data: dict[str, Any]) -> str:
    with pytest.raises(fs.InvalidInput) as caught:
        fs.WorkOrder.from_dict(data)
    return caught.value.message


# --- the property: sla refuses a line for its JSON exactly where from_json does -----------


class Obj(list[tuple[Any, Any]]):
    """A JSON object as its pairs, in order, so that a key may be given twice."""


class Raw(str):
    """JSON text written as it is: a key or value spelled with escapes."""


def _dump(value: Any) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, Obj):
        return "{" + ",".join(f"{_dump(k)}:{_dump(v)}" for k, v in value) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_dump(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _objects(value: Any) -> list[Obj]:
    found: list[Obj] = []
    if isinstance(value, Obj):
        found.append(value)
        for _, v in value:
            found.extend(_objects(v))
    elif isinstance(value, list):
        for v in value:
            found.extend(_objects(v))
    return found


VALUES: list[Any] = [
    None, True, False, 0, 1, 2, -1, 1.0, 0.5, "", "x", "10:00", "WO-9", [], Obj(),
    math.nan, math.inf, 10**30,
    Raw('"\\u003a"'), Raw('"a\\\\u003a"'), Raw('"\\u0069d"'), Raw("1e400"), Raw("-0"),
]  # fmt: skip
"""Values a key is given: wrong types, colons, escapes. No number past the digit limit:
from_json's json refuses it unread, where sla reads it (see the test above)."""

KEYS: list[Any] = [
    "schema_version", "id", "kind", "x", "at", Raw('"\\u0069d"'), Raw('"a:b"'),
    Raw('"schema\\u005fversion"'),
]  # fmt: skip


@st.composite
def mutated_lines(draw: st.DrawFn) -> str:
    base = draw(st.sampled_from(LINES))
    top = json.loads(base, object_pairs_hook=Obj)
    for _ in range(draw(st.integers(1, 3))):
        targets = _objects(top)
        obj = draw(st.sampled_from(targets[:1] * 3 + targets))  # the order's own keys often
        how = draw(st.sampled_from(["drop", "twice", "retype", "retype", "add", "version"]))
        if how == "version":  # the order's schema_version: left out, or any value
            kept = [(k, v) for k, v in top if k != "schema_version"]
            top[:] = kept
            if draw(st.booleans()):
                top.insert(
                    0, ("schema_version", copy.deepcopy(draw(st.sampled_from([0, 1, *VALUES]))))
                )
            continue
        if how == "add" or not obj:
            obj.insert(
                draw(st.integers(0, len(obj))),
                (draw(st.sampled_from(KEYS)), copy.deepcopy(draw(st.sampled_from(VALUES)))),
            )
            continue
        at = draw(st.integers(0, len(obj) - 1))
        key, value = obj[at]
        if how == "drop":
            del obj[at]
        elif how == "twice":
            again = copy.deepcopy(draw(st.sampled_from([value, *VALUES])))
            obj.insert(draw(st.integers(0, len(obj))), (key, again))
        else:
            obj[at] = (key, copy.deepcopy(draw(st.sampled_from(VALUES))))
    return _dump(top)


def _refused_for_its_json(message: str | None) -> bool:
    """Whether a refusal is of the line's JSON: not JSON, a key twice, an unread version."""
    return message is None or message.startswith(
        ("the order is not valid JSON", "the order is written in schema version")
    )


@given(line=mutated_lines())
def test_sla_refuses_a_line_for_its_json_iff_from_json_does(line: str) -> None:
    try:
        fs.WorkOrder.from_json(line)
        from_json = ""
    except fs.FieldServiceError as err:
        from_json = err.message
    refused_by_from_json = from_json != "" and _refused_for_its_json(from_json)
    raw = line.encode()
    outcomes = [_outcome(reader, raw) for reader in READERS]
    for kind, detail in outcomes:
        refused_here = kind == "refused" and _refused_for_its_json(detail)
        assert refused_here is refused_by_from_json, (line, from_json, detail)
        if refused_by_from_json and detail is not None:
            assert detail == from_json
    assert all(o == outcomes[0] for o in outcomes)  # the readers agree on every line


def _readers() -> list[Any]:
    """The reader without the ``fast`` extra, and with it if it is installed."""
    try:
        import msgspec  # noqa: F401
    except ImportError:
        return [_branch_report.read_json]
    return [_branch_report.read_json, _branch_report._clock_reader()]


READERS = _readers()


def _outcome(read: Any, line: bytes) -> tuple[str, Any]:
    """What sla makes of one line with ``read`` as its reader: refused (why) or judged."""
    original = _branch_report.clock_reader
    _branch_report.clock_reader = lambda: read  # type: ignore[assignment]
    try:
        part = _branch_report.judge_chunk(
            _JUDGE, tuple(sla.ClockName), _branch_report.Chunk([1], [line], 0)
        )
    finally:
        _branch_report.clock_reader = original
    if part.refused:
        ((_, why),) = part.refused
        return ("refused", None if why is None else why.message)
    return ("judged", part.judged)


# --- the property: sla refuses a line for its events' kinds or its opening as from_json does ---

UNKNOWN_KINDS = ["teleported", "", "Accepted", " booked", "booked ", "签收", "accepted2"]
"""Kinds the library does not know, text all: an event of one is refused by from_json."""

OPENING_VALUES: dict[str, list[Any]] = {
    "order_kind": ["install", "move", "repair", None, "x", 5],
    "products": [[], ["broadband"], ["iptv", "fixed_line"], None, "x"],
    "tier": ["gold", "ordinary", None, "x"],
    "area": ["city", "countryside", None, 5],
}

_KINDS_OR_OPENING = (
    "event kind must be one of",
    "order kind must be one of",
    "the first event must list the order's products",
    "the first event of an order must name the customer's tier and area",
    "an order's events start with accepted or reported, not ",
)


def _refused_for_kinds_or_opening(message: str) -> bool:
    """Whether from_json refused a line for an event's kind or for its opening event."""
    return message.startswith(_KINDS_OR_OPENING) or " order's log must start with " in message


@st.composite
def kind_and_opening_lines(draw: st.DrawFn) -> str:
    """An order's line whose events' kinds are made unknown, or whose opening is edited."""
    data = json.loads(draw(st.sampled_from(LINES)))
    events = data["events"]
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["kind", "opening key", "opening key", "opens by"]))
        if how == "kind":  # any event, of a kind a clock reads or not
            event = events[draw(st.integers(0, len(events) - 1))]
            event["kind"] = draw(st.sampled_from(UNKNOWN_KINDS))
        elif how == "opens by":
            events[0]["kind"] = draw(st.sampled_from(["accepted", "reported"]))
        else:
            key = draw(st.sampled_from(sorted(OPENING_VALUES)))
            opened = events[0].setdefault("data", {})
            if draw(st.booleans()):
                opened.pop(key, None)
            else:
                opened[key] = draw(st.sampled_from(OPENING_VALUES[key]))
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@given(line=kind_and_opening_lines())
def test_sla_refuses_a_line_for_its_event_kinds_or_opening_iff_from_json_does(line: str) -> None:
    # sla skips the events no clock reads, and read none of the opening's order kind or
    # products: it judged lines from_json refuses. Every such line is refused now, in
    # from_json's words, and sla refuses no line of these for anything from_json does not.
    try:
        fs.WorkOrder.from_json(line)
        from_json = ""
    except fs.FieldServiceError as err:
        from_json = err.message
    outcomes = [_outcome(reader, line.encode()) for reader in READERS]
    for kind, detail in outcomes:
        if kind == "refused":
            assert detail == from_json, (line, from_json, detail)
        elif from_json:
            # Judged: from_json refused it for what only a restore reads (the workflow).
            assert not _refused_for_kinds_or_opening(from_json), (line, from_json)
    assert all(o == outcomes[0] for o in outcomes)  # the readers agree on every line

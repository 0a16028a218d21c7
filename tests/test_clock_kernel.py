"""The compiled clock judge of evaluate_table (the 'fast' extra) against the Python judge.

Both judge the same part of an events table; the compiled one must give the same
table, number for number, or hand the part back to Python, which decides (and
raises) as it always did.
"""

from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import Any

import pendulum
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import fieldservice as fs
from fieldservice import columnar, sla
from fieldservice.errors import CalendarNotCovered, StandardMismatch
from fieldservice.events import Event, PackedLog
from fieldservice.sla import _clocks, _kernel_tables, _table
from fieldservice.synthetic import synthetic_order

pa = pytest.importorskip("pyarrow", reason="Arrow and Parquet need the 'arrow' extra")
pytest.importorskip("numba", reason="the compiled judge needs the 'fast' extra")

T0 = pendulum.datetime(2026, 11, 20, 8, tz="Asia/Shanghai")
DEFAULT = fs.ServiceStandard.default()
# F4 on service time: the repair clock reads the calendar's open hours and the ceiling.
SERVICE_TIME = DEFAULT.replace(
    repair=fs.ClockRule(
        "F4", fs.ClockBasis.SERVICE, DEFAULT.repair.city, DEFAULT.repair.countryside
    )
)
STANDARDS = st.sampled_from([DEFAULT, SERVICE_TIME])
TIERS = [t.value for t in fs.Tier]
AREAS = [a.value for a in fs.Area]
CLOCK_NAMES = [c.value for c in sla.ClockName]


def judged(table: Any, standard: fs.ServiceStandard, at: pendulum.DateTime) -> tuple[Any, Any]:
    """(compiled, python): the compiled table (None if it handed the part back), Python's."""
    compiled = _table._PartJudge(standard, at)
    assert compiled.kernel is not None
    python = _table._PartJudge(standard, at, compiled=False)
    return compiled._compiled(table, compiled.kernel), python.clocks(table)


def _window(draw: st.DrawFn, hours: int, base: pendulum.DateTime) -> dict[str, str]:
    start = base.add(hours=draw(st.integers(-48, 24 * 8)))
    return {"start": start.isoformat(), "end": start.add(hours=hours).isoformat()}


@st.composite
def event_data(draw: st.DrawFn, kind: str, base: pendulum.DateTime = T0) -> dict[str, object]:
    """Valid data for an event of ``kind``, with what changes a clock drawn at random."""
    if kind in ("accepted", "reported"):
        data: dict[str, object] = {}
        if draw(st.booleans()):
            data["tier"] = draw(st.sampled_from(TIERS))
        if draw(st.booleans()):
            data["area"] = draw(st.sampled_from(AREAS))
        return data
    if kind == "tier_changed":
        return {"tier": draw(st.sampled_from(TIERS))}
    if kind in ("booked", "rescheduled"):
        return _window(draw, draw(st.sampled_from([4, 6])), base)
    if kind == "confirmed":
        return _window(draw, 1, base)
    if kind in ("clock_paused", "clock_resumed"):
        data = {}
        if kind == "clock_paused":
            reasons = ["customer_request", "waiting_for_customer", "network_fault"]
            data["reason"] = draw(st.sampled_from(reasons))
        if draw(st.booleans()):
            data["clocks"] = draw(st.lists(st.sampled_from(CLOCK_NAMES), max_size=3))
        return data
    return {}


KINDS = sorted(sla.OrderJudge.KINDS)


@st.composite
def event_logs(draw: st.DrawFn, base: pendulum.DateTime = T0) -> dict[str, object]:
    """An order's log of clock events in time order, in any order of kinds."""
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=14))
    minutes = sorted(draw(st.lists(st.integers(0, 60 * 24 * 10), min_size=len(kinds))))
    events = [
        Event(kind, base.add(minutes=m), actor="desk", data=draw(event_data(kind, base))).to_dict()
        for kind, m in zip(kinds, minutes, strict=False)
    ]
    return {"events": events}


@settings(deadline=None)
@given(
    logs=st.lists(event_logs(), min_size=1, max_size=6),
    standard=STANDARDS,
    hours=st.integers(-24, 24 * 14),
)
def test_both_compiled_paths_give_the_python_results_on_any_log(
    logs: list[dict[str, Any]], standard: fs.ServiceStandard, hours: int
) -> None:
    orders = [dict(log, id=f"WO-{i}") for i, log in enumerate(logs)]
    at = T0.add(hours=hours)
    table, python_table = judged(columnar.events_table(orders), standard, at)
    assert table is not None, "the kernel handed back a part it can judge"
    assert table.to_pylist() == python_table.to_pylist()
    events = [tuple(Event.from_dict(e) for e in log["events"]) for log in logs]
    batch, python_batch = both_batches(events, standard, at)
    assert batch_bytes(batch) == batch_bytes(python_batch)


# National Day (1-7 October 2026) closes the clocks of a standard that closes them on
# holidays; 2027's holidays are not confirmed, so a clock reaching into it raises.
BEFORE_NATIONAL_DAY = pendulum.datetime(2026, 9, 26, 8, tz="Asia/Shanghai")
HOLIDAYS = SERVICE_TIME.replace(close_clocks_on_holidays=True)


@settings(deadline=None)
@given(
    logs=st.lists(event_logs(BEFORE_NATIONAL_DAY), min_size=1, max_size=4),
    # Over the holidays, or on into January 2027, whose holidays are not confirmed.
    hours=st.one_of(st.integers(-24, 24 * 20), st.integers(24 * 97, 24 * 110)),
)
def test_F4_on_holidays_the_compiled_judge_judges_or_hands_back_where_python_raises(
    logs: list[dict[str, object]], hours: int
) -> None:
    orders = [dict(log, id=f"WO-{i}") for i, log in enumerate(logs)]
    table = columnar.events_table(orders)
    at = BEFORE_NATIONAL_DAY.add(hours=hours)
    judge = _table._PartJudge(HOLIDAYS, at)
    assert judge.kernel is not None
    compiled = judge._compiled(table, judge.kernel)
    try:
        want = _table._PartJudge(HOLIDAYS, at, compiled=False).clocks(table)
    except CalendarNotCovered:
        event("Python raised: the kernel handed the part back")
        assert compiled is None
    else:
        event("judged by both")
        assert compiled is not None
        assert compiled.to_pylist() == want.to_pylist()


def test_F4_a_repair_paused_more_often_than_the_kernel_keeps_is_judged_in_python() -> None:
    log = [Event("reported", T0, actor="desk", data={"tier": "gold"})]
    for n in range(40):
        t = T0.add(minutes=10 * n + 1)
        log.append(Event("clock_paused", t, actor="desk", data={"reason": "customer_request"}))
        log.append(Event("clock_resumed", t.add(minutes=5), actor="desk"))
    table = columnar.events_table([{"id": "WO-1", "events": [e.to_dict() for e in log]}])
    at = T0.add(days=2)
    compiled, python = judged(table, SERVICE_TIME, at)
    assert compiled is None
    got = sla.evaluate_table(table, at=at, standard=SERVICE_TIME)
    assert got.to_pylist() == python.to_pylist()
    repair = next(r for r in got.to_pylist() if r["clock"] == "repair")
    assert repair["elapsed_s"] == pytest.approx(2 * 86400 - 40 * 300)


def test_F4_an_instant_in_a_year_of_unconfirmed_holidays_raises_as_the_python_judge() -> None:
    standard = SERVICE_TIME.replace(close_clocks_on_holidays=True)
    t = pendulum.datetime(2030, 3, 4, 9, tz="Asia/Shanghai")
    log = [Event("reported", t, actor="desk", data={"tier": "gold"}).to_dict()]
    table = columnar.events_table([{"id": "WO-1", "events": log}])
    with pytest.raises(CalendarNotCovered, match="2030"):
        sla.evaluate_table(table, at=t.add(hours=5), standard=standard)


def test_without_the_fast_extra_evaluate_table_judges_in_python(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "fieldservice._clock_kernel", None)  # import fails
    assert _table._PartJudge(DEFAULT, T0).kernel is None
    orders = [synthetic_order(s) for s in range(30)]
    at = pendulum.datetime(2026, 11, 24, 20, tz="Asia/Shanghai")
    got = sla.evaluate_table(columnar.events_table(orders), at=at)
    want = sla.evaluate_many(orders, at=at).to_records()
    assert sorted(got.to_pylist(), key=str) == sorted(want, key=str)


def batch_bytes(batch: sla.SlaBatch) -> dict[str, object]:
    """Every column of a batch as bytes: NaN deadlines compare equal, -0.0 does not."""
    columns: dict[str, object] = {"ids": batch.ids}
    for name in ("state", "deadline", "elapsed", "limit", "at_risk", "tier"):
        for clock, values in getattr(batch, name).items():
            columns[f"{name}:{clock.value}"] = (values.typecode, values.tobytes())
    return columns


def both_batches(
    logs: list[Any], standard: fs.ServiceStandard, at: pendulum.DateTime, part: int = 65_536
) -> tuple[sla.SlaBatch, sla.SlaBatch]:
    """The compiled batch (reading ``part`` orders at a time) and the Python one."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sla, "COMPILED_FROM", 1)
        patch.setattr(_kernel_tables, "_READ_PART", part)
        compiled = sla.evaluate_many(logs, at=at, standard=standard)
        patch.setattr(_kernel_tables.KernelTables, "made", classmethod(lambda cls, lim: None))
        python = sla.evaluate_many(logs, at=at, standard=standard)
    return compiled, python


@settings(deadline=None)
@given(
    seeds=st.lists(st.integers(0, 10**6), min_size=1, max_size=10, unique=True),
    standard=STANDARDS,
    hours=st.integers(-2000, 600),
    part=st.integers(1, 12),
    restored=st.sampled_from(["none", "all", "every other"]),
)
def test_both_compiled_paths_give_the_python_results_on_generated_orders(
    seeds: list[int], standard: fs.ServiceStandard, hours: int, part: int, restored: str
) -> None:
    orders = [synthetic_order(s, standard=standard) for s in seeds]
    at = pendulum.datetime(2026, 11, 24, 20, tz="Asia/Shanghai").add(hours=hours)
    table, python_table = judged(columnar.events_table(orders), standard, at)
    assert table is not None
    assert table.to_pylist() == python_table.to_pylist()
    # Read in parts of any size, while the kernel judges the part before; and orders
    # restored from JSON, whose packed logs are read without building their events: as
    # columns where a part holds only those, order by order where it is mixed.
    rows = [
        fs.WorkOrder.from_json(o.to_json(include_personal=True), standard=standard)
        if restored == "all" or (restored == "every other" and i % 2)
        else o
        for i, o in enumerate(orders)
    ]
    event(f"parts read: {min(-(-len(orders) // part), 3)}{'+' * (len(orders) > 2 * part)}")
    event(f"restored: {restored}")
    batch, python_batch = both_batches(rows, standard, at, part)
    assert batch_bytes(batch) == batch_bytes(both_batches(orders, standard, at)[1])
    assert batch_bytes(batch) == batch_bytes(python_batch)


def test_evaluate_many_reads_a_restored_order_without_building_its_events(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    order = fs.WorkOrder.from_json(synthetic_order(5).to_json(include_personal=True))
    assert isinstance(order.event_log, PackedLog)

    def built(self: PackedLog) -> tuple[Event, ...]:
        raise AssertionError("the compiled path built the events of a packed log")

    monkeypatch.setattr(sla, "COMPILED_FROM", 1)
    monkeypatch.setattr(PackedLog, "events", built)
    at = T0.add(days=3)
    batch = sla.evaluate_many([order], at=at)
    monkeypatch.undo()
    assert batch.states(sla.ClockName.REPAIR) == sla.evaluate_many([order.events], at=at,
        standard=DEFAULT).states(sla.ClockName.REPAIR)  # fmt: skip


def test_evaluate_many_read_in_parts_hands_a_late_bad_row_back_to_python(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The first parts are judged by the worker while the third is read; its bad row sends
    # the whole batch to Python, which names the row, as it does for one part.
    monkeypatch.setattr(sla, "COMPILED_FROM", 1)
    monkeypatch.setattr(_kernel_tables, "_READ_PART", 2)
    good = (Event("reported", T0, actor="desk", data={"tier": "gold"}),)
    bad = (Event("reported", T0.add(hours=1), actor="desk"), Event("cleared", T0, actor="desk"))
    with pytest.raises(fs.InvalidEvent, match="earlier than event 1"):
        sla.evaluate_many([good] * 5 + [bad], at=T0.add(hours=2), standard=DEFAULT)


def test_evaluate_many_leaves_a_log_out_of_time_order_to_python_which_names_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sla, "COMPILED_FROM", 1)
    late = Event("reported", T0.add(hours=1), actor="desk")
    early = Event("cleared", T0, actor="desk")
    with pytest.raises(fs.InvalidEvent, match="earlier than event 1"):
        sla.evaluate_many([(late,), (late, early)], at=T0.add(hours=2), standard=DEFAULT)


def test_evaluate_many_reads_an_iterator_of_events_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sla, "COMPILED_FROM", 1)
    log = [Event("reported", T0, actor="desk", data={"tier": "gold"})]
    batch = sla.evaluate_many([iter(log)], at=T0.add(hours=2), standard=DEFAULT)
    assert batch.states(sla.ClockName.REPAIR) == [sla.ClockState.RUNNING]


def test_evaluate_many_refuses_an_order_of_another_standard_as_python_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sla, "COMPILED_FROM", 1)
    order = synthetic_order(3, standard=SERVICE_TIME)
    with pytest.raises(StandardMismatch):
        sla.evaluate_many([order], at=T0, standard=DEFAULT)


def test_regression_a_payload_the_encoding_cannot_read_goes_to_python(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The encoding reads every payload, even one recorded after `at` that the Python scan
    # never reaches: an error there is not the batch's.
    t = T0
    window = {"start": t.add(days=2).isoformat(), "end": t.add(days=2, hours=4).isoformat()}
    log = (
        Event("reported", t, actor="desk", data={"tier": "gold"}),
        Event("booked", t.add(hours=5), actor="desk", data=window),
    )

    def refuse(self: object, booking: object) -> float:
        raise ValueError("year 0 is out of range")

    monkeypatch.setattr(sla, "COMPILED_FROM", 1)
    monkeypatch.setattr(_clocks.Limits, "due_of", refuse)
    batch = sla.evaluate_many([log], at=t.add(hours=3), standard=DEFAULT)
    assert batch.states(sla.ClockName.REPAIR) == [sla.ClockState.RUNNING]


def test_regression_of_two_bad_rows_the_first_ones_error_is_raised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sla, "COMPILED_FROM", 1)
    standard = SERVICE_TIME.replace(close_clocks_on_holidays=True)
    t = pendulum.datetime(2030, 3, 4, 9, tz="Asia/Shanghai")
    first = [Event("reported", t, actor="desk", data={"tier": "gold"})]
    with pytest.raises(CalendarNotCovered, match="2030"):
        sla.evaluate_many([first, SimpleNamespace(events=())], at=t.add(hours=5), standard=standard)


def test_regression_an_order_whose_events_are_an_iterator_is_read_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sla, "COMPILED_FROM", 1)
    log = [Event("reported", T0, actor="desk", data={"tier": "gold"})]
    paused = list(log)
    for n in range(40):  # more pauses than the kernel keeps: the batch goes back to Python
        at = T0.add(minutes=10 * n + 1)
        paused.append(Event("clock_paused", at, actor="desk", data={"reason": "customer_request"}))
        paused.append(Event("clock_resumed", at.add(minutes=5), actor="desk"))
    rows = [SimpleNamespace(events=iter(log), id="WO-A"), paused]
    batch = sla.evaluate_many(rows, at=T0.add(hours=9), standard=DEFAULT)
    assert batch.states(sla.ClockName.REPAIR)[0] is sla.ClockState.RUNNING


def _both_rows(rows: list[Any], part: int = 1) -> tuple[Any, Any]:
    """What each judge gives (a batch's bytes, or the error's type and words)."""

    def outcome(judge: Any) -> Any:
        try:
            return batch_bytes(judge())
        except Exception as error:
            return type(error), str(error)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sla, "COMPILED_FROM", 1)
        patch.setattr(_kernel_tables, "_READ_PART", part)
        compiled = outcome(lambda: sla.evaluate_many(rows, at=T0.add(hours=30), standard=DEFAULT))
        patch.setattr(_kernel_tables.KernelTables, "made", classmethod(lambda cls, lim: None))
        python = outcome(lambda: sla.evaluate_many(rows, at=T0.add(hours=30), standard=DEFAULT))
    return compiled, python


def _reported(tier: str) -> list[Event]:
    return [Event("reported", T0, actor="desk", data={"tier": tier})]


def test_regression_both_judges_read_an_orders_event_log_where_it_has_one() -> None:
    # The compiled path read event_log, the Python judge events: a wrapper whose two
    # differ was judged by one log or the other depending on the batch's size.
    differ = SimpleNamespace(id="WO-1", events=_reported("diamond"), event_log=_reported("gold"))
    only_log = SimpleNamespace(id="WO-2", event_log=PackedLog(_reported("gold")))
    empty = SimpleNamespace(id="WO-3", events=[], event_log=PackedLog([]))
    compiled, python = _both_rows([differ, only_log, empty])
    assert compiled == python
    assert (
        sla.evaluate(differ, at=T0.add(hours=30), standard=DEFAULT)["repair"].tier.value == "gold"
    )


def test_regression_an_error_reading_a_part_of_packed_logs_goes_to_python() -> None:
    class OddId:
        def __str__(self) -> str:
            raise ValueError("an ID that cannot be shown")

    odd = SimpleNamespace(id=OddId(), event_log=PackedLog(_reported("gold")))
    late = [Event("reported", T0, actor="desk"), Event("cleared", T0.subtract(hours=1), actor="d")]
    compiled, python = _both_rows([odd, late])
    assert compiled == python
    assert python[0] is fs.InvalidEvent  # the first row Python reaches that it refuses


def test_a_bare_packed_log_is_judged_as_its_events() -> None:
    paused = Event(
        "clock_paused", T0.add(hours=1), actor="desk", data={"reason": "customer_request"}
    )
    log = [*_reported("silver"), paused]
    compiled, python = _both_rows([PackedLog(log), log], part=2)
    assert compiled == python
    paused_code = tuple(sla.ClockState).index(sla.ClockState.PAUSED)
    assert compiled["state:repair"] == ("b", bytes([paused_code, paused_code]))


def test_regression_without_a_thread_the_parts_are_judged_where_they_are_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # At interpreter shutdown no thread can be started; evaluate_many answered before.
    class NoThreads:
        def __init__(self, *args: object) -> None: ...

        def submit(self, *args: object) -> None:
            raise RuntimeError("cannot schedule new futures after interpreter shutdown")

        def shutdown(self) -> None: ...

    monkeypatch.setattr(_kernel_tables, "ThreadPoolExecutor", NoThreads)
    rows = [_reported(tier) for tier in ("diamond", "gold", "silver")]
    compiled, python = _both_rows(rows, part=1)
    assert compiled == python
    assert isinstance(compiled, dict)


def test_the_constants_sla_documents_are_the_ones_it_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    # sla's modules read COMPILED_FROM and RELATIVE_ACCURACY from the package when called,
    # so setting one where it is documented takes effect everywhere, evaluate_table too.
    pytest.importorskip("numba")
    calls: list[object] = []
    made = _kernel_tables.KernelTables.made
    monkeypatch.setattr(
        _kernel_tables.KernelTables, "made", classmethod(lambda cls, lim: calls.append(lim))
    )
    monkeypatch.setattr(_kernel_tables.KernelTables, "warm", classmethod(lambda cls: False))
    orders = [synthetic_order(n) for n in range(1, 4)]
    at = T0.add(days=3)
    sla.evaluate_many(orders, at=at)
    sla.evaluate_table(columnar.events_table(orders), at=at)
    assert calls == []  # below the threshold: the Python judge
    monkeypatch.setattr(sla, "COMPILED_FROM", 1)
    sla.evaluate_many(orders, at=at)
    assert len(calls) == 1
    sla.evaluate_table(columnar.events_table(orders), at=at)
    assert len(calls) == 2
    monkeypatch.setattr(_kernel_tables.KernelTables, "made", made)
    monkeypatch.setattr(sla, "RELATIVE_ACCURACY", 0.05)
    summary = sla.summarize(sla.evaluate_many(orders, at=at))
    sketches = list(summary._sketches.values())
    assert sketches
    assert {s._relative_accuracy for s in sketches} == {0.05}


@pytest.mark.parametrize(
    ("kinds", "clock"),
    [
        (("accepted", "cancelled", "resources_built"), "booking_contact"),
        (("accepted", "cancelled", "accepted"), "booking_contact"),
        (("reported", "cancelled", "reported"), "repair"),
        (("accepted", "resources_missing", "cancelled", "resources_built"), "booking_contact"),
    ],
)
def test_regression_a_clock_cancelled_with_its_order_never_starts_again(
    kinds: tuple[str, ...], clock: str
) -> None:
    # A review: DO_START restarted any cancelled clock, so a raw log with an event after
    # the order's cancellation showed a breach the order never had. Only a clock that
    # lapsed alone (B3 while resources are missing) starts again; both judges agree.
    log = [
        Event(kind, T0.add(minutes=30 * n), actor="desk").to_dict() for n, kind in enumerate(kinds)
    ]
    at = T0.add(days=6)
    report = sla.evaluate([Event.from_dict(e) for e in log], at=at, standard=DEFAULT)
    assert report[clock].state is sla.ClockState.CANCELLED
    table, python_table = judged(
        columnar.events_table([{"id": "WO-1", "events": log}]), DEFAULT, at
    )
    assert table is not None
    assert table.to_pylist() == python_table.to_pylist()
    # Built before the order was cancelled, B3 starts again as R3 says.
    lapsed = [Event(k, T0.add(minutes=30 * n), actor="desk") for n, k in
              enumerate(("accepted", "resources_missing", "resources_built"))]  # fmt: skip
    assert sla.evaluate(lapsed, at=T0.add(hours=2), standard=DEFAULT)[
        "booking_contact"
    ].started == (T0.add(minutes=60))

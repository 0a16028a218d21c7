"""Arrow and Parquet event logs, and the clocks judged from them (the 'arrow' extra)."""

import json
from pathlib import Path

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fieldservice as fs
from fieldservice import columnar, sla
from fieldservice.synthetic import synthetic_order

pa = pytest.importorskip("pyarrow", reason="Arrow and Parquet need the 'arrow' extra")

AT = pendulum.datetime(2026, 11, 24, 20, tz="Asia/Shanghai")
ORDERS = [synthetic_order(seed) for seed in range(120)]


def records(orders: list[fs.WorkOrder], at: pendulum.DateTime) -> list[dict[str, object]]:
    rows = sla.evaluate_many(orders, at=at).to_records()
    return sorted(rows, key=lambda r: (str(r["order_id"]), str(r["clock"])))


def table_rows(table: object) -> list[dict[str, object]]:
    return sorted(table.to_pylist(), key=lambda r: (r["order_id"], r["clock"]))  # type: ignore[attr-defined]


@settings(max_examples=25, deadline=None)
@given(
    seeds=st.lists(st.integers(0, 10**6), min_size=1, max_size=8, unique=True),
    hours=st.integers(-2000, 600),
)
def test_evaluate_table_equals_evaluate_on_every_order(seeds: list[int], hours: int) -> None:
    orders = [synthetic_order(s) for s in seeds]
    at = AT.add(hours=hours)
    got = table_rows(sla.evaluate_table(columnar.events_table(orders), at=at))
    assert got == records(orders, at)


@pytest.mark.parametrize("partition_by", [None, "day", "branch"])
def test_parquet_round_trip_gives_the_same_clocks(tmp_path: Path, partition_by: str | None) -> None:
    target = tmp_path / ("events.parquet" if partition_by is None else "events")
    columnar.write_events(ORDERS, target, partition_by=partition_by)
    table = columnar.read_events(target)
    assert table.num_rows == sum(len(o.events) for o in ORDERS)
    assert table_rows(sla.evaluate_table(target, at=AT)) == records(ORDERS, AT)


def test_a_day_partition_keeps_each_order_whole(tmp_path: Path) -> None:
    columnar.write_events(ORDERS, tmp_path / "events", partition_by="day")
    seen: dict[str, str] = {}
    for part in (tmp_path / "events").iterdir():
        for order_id in set(columnar.read_events(part).column("order_id").to_pylist()):
            assert order_id not in seen
            seen[order_id] = part.name
    assert len(seen) == len(ORDERS)


def test_event_logs_give_back_the_events(tmp_path: Path) -> None:
    logs = {log["id"]: log for log in columnar.event_logs(columnar.events_table(ORDERS[:5]))}
    for order in ORDERS[:5]:
        written = json.loads(order.to_json())["events"]
        assert logs[order.id]["events"] == written


def test_event_logs_of_some_kinds_keep_every_order_and_those_events_in_order() -> None:
    orders = [synthetic_order(seed) for seed in range(30)]
    table = columnar.events_table(orders)
    wanted = {"booked", "confirmed", "arrived"}
    whole = list(columnar.event_logs(table))
    some = list(columnar.event_logs(table, kinds=wanted))
    # Every order comes out, even one with none of those kinds, so each is still judged.
    assert [log["id"] for log in some] == [log["id"] for log in whole]
    assert [log["events"] for log in some] == [
        [e for e in log["events"] if e["kind"] in wanted] for log in whole
    ]
    assert any(not log["events"] for log in some)
    with pytest.raises(fs.InvalidInput, match="collection of event kinds"):
        next(columnar.event_logs(table, kinds="booked"))


def test_write_events_refuses_another_partition(tmp_path: Path) -> None:
    with pytest.raises(fs.InvalidInput, match="partition_by"):
        columnar.write_events(ORDERS[:1], tmp_path / "x", partition_by="tier")


def test_read_events_names_a_missing_dataset(tmp_path: Path) -> None:
    with pytest.raises(fs.InvalidInput, match="no such Parquet"):
        columnar.read_events(tmp_path / "absent")


def test_generate_writes_parquet_that_judges_like_the_json_lines(tmp_path: Path) -> None:
    import io

    from fieldservice.cli import main

    for argv in (
        ["-o", str(tmp_path / "g.parquet")],
        ["-o", str(tmp_path / "ds"), "--partition-by", "day"],
    ):
        assert main(["generate", "120", "--seed", "2", *argv], out=io.StringIO()) == 0
    assert (
        main(["generate", "120", "--seed", "2", "-o", str(tmp_path / "g.jsonl")], out=io.StringIO())
        == 0
    )
    orders = fs.orders_io.read_orders(tmp_path / "g.jsonl")
    want = records(orders, AT)
    assert table_rows(sla.evaluate_table(tmp_path / "g.parquet", at=AT)) == want
    assert table_rows(sla.evaluate_table(tmp_path / "ds", at=AT)) == want


def _with_column(table: object, name: str, values: object, kind: object) -> object:
    index = table.schema.get_field_index(name)  # type: ignore[attr-defined]
    column = values if kind is None else pa.array(values, kind)
    return table.set_column(index, name, column)  # type: ignore[attr-defined]


@settings(max_examples=20, deadline=None)
@given(
    seeds=st.lists(st.integers(0, 10**6), min_size=1, max_size=6, unique=True),
    wanted=st.none() | st.sets(st.sampled_from(sorted(k.value for k in fs.EventKind))),
)
def test_order_events_are_the_events_json_gives_back(
    seeds: list[int], wanted: set[str] | None
) -> None:
    # Built straight from the columns, the events equal those read from the JSON form,
    # instant, offset and payload alike: the columns hold nothing that the text does not.
    table = columnar.events_table([synthetic_order(s) for s in seeds])
    built = list(columnar.order_events(table, kinds=wanted))
    read = [
        (log["id"], [fs.Event.from_dict(e) for e in log["events"]])
        for log in columnar.event_logs(table, kinds=wanted)
    ]
    assert [order_id for order_id, _ in built] == [order_id for order_id, _ in read]
    for (_, got), (_, expected) in zip(built, read, strict=True):
        assert got == expected
        assert [e.at.isoformat() for e in got] == [e.at.isoformat() for e in expected]


@settings(deadline=None)  # the profile's count: the reader's checks are open-ended
@given(
    seeds=st.lists(st.integers(0, 10**6), min_size=1, max_size=6, unique=True),
    wanted=st.none() | st.sets(st.sampled_from(sorted(k.value for k in fs.EventKind))),
)
def test_order_marks_are_the_events_order_events_builds(
    seeds: list[int], wanted: set[str] | None
) -> None:
    # The quick reader checks on the columns what order_events checks per row: the same
    # orders, and per event the same kind, instant, offset and payload.
    table = columnar.events_table([synthetic_order(s) for s in seeds])
    marked = list(columnar.order_marks(table, kinds=wanted))
    built = list(columnar.order_events(table, kinds=wanted))
    assert [order_id for order_id, _ in marked] == [order_id for order_id, _ in built]
    for (_, marks), (_, events) in zip(marked, built, strict=True):
        assert [(m.kind, m.epoch, m.data) for m in marks] == [
            (e.kind, e.epoch, e.data) for e in events
        ]
        assert [m.at.isoformat() for m in marks] == [e.at.isoformat() for e in events]


def test_evaluate_table_refuses_an_order_out_of_time_order_naming_the_event() -> None:
    table = columnar.events_table([ORDERS[0]])
    values = table.column("at").cast(pa.int64()).to_pylist()
    kinds = table.column("kind").to_pylist()
    late = [i for i, kind in enumerate(kinds) if kind in sla.OrderJudge.KINDS][1]
    values[late] = values[0] - 60_000_000  # a clock's second event a minute before the first
    at_type = table.schema.field("at").type
    moved = _with_column(table, "at", pa.array(values, pa.int64()).cast(at_type), None)
    with pytest.raises(fs.InvalidEvent, match=r"event 2 \(.*\) is earlier than event 1"):
        sla.evaluate_table(moved, at=AT)


def test_order_events_keep_a_table_of_orders_in_log_order() -> None:
    order = ORDERS[3]
    table = columnar.events_table([order])
    shuffled = table.take(pa.array(list(reversed(range(table.num_rows)))))
    assert next(columnar.order_events(shuffled)) == (order.id, list(order.events))


def _read_by_order_events(table: object) -> object:
    return list(columnar.order_events(table))


def _read_by_order_marks(table: object) -> object:
    return list(columnar.order_marks(table))


def _read_by_event_logs(table: object) -> object:
    return [fs.Event.from_dict(e) for log in columnar.event_logs(table) for e in log["events"]]


@pytest.mark.parametrize("read", [_read_by_order_events, _read_by_order_marks, _read_by_event_logs])
@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("kind", "teleported", "event kind"),
        ("at", None, "instant"),
        ("at", 2**62, "years"),
        ("at", -(2**62), "years"),
        ("offset_s", None, "offset"),
        ("offset_s", 90_000, "within a day"),
        ("actor", None, "event actor"),
        ("actor", "13800138000", "phone number"),
        ("data", "{not json", "not JSON"),
        ("data", '{"tier": "platinum"}', "tier"),
        ("data", "[1, 2]", "mapping"),
    ],
)
def test_every_columnar_reader_refuses_a_malformed_row(
    read: object, column: str, value: object, message: str
) -> None:
    # A row Arrow holds but the log cannot: a coded refusal from either reader, never a
    # raw OverflowError, JSONDecodeError or AttributeError.
    table = columnar.events_table([ORDERS[0]])
    if column == "at":
        values = table.column("at").cast(pa.int64()).to_pylist()
        values[0] = value
        bad = _with_column(table, "at", values, pa.int64())
        bad = _with_column(bad, "at", bad.column("at").cast(pa.timestamp("us", tz="UTC")), None)  # type: ignore[attr-defined]
    else:
        values = table.column(column).to_pylist()
        values[0] = value
        bad = _with_column(table, column, values, table.schema.field(column).type)
    with pytest.raises(fs.InvalidEvent, match=message):
        read(bad)  # type: ignore[operator]


def test_order_events_refuse_one_kind_given_bare() -> None:
    with pytest.raises(fs.InvalidInput, match="collection of event kinds"):
        columnar.order_events(columnar.events_table(ORDERS[:1]), kinds="booked")


@pytest.mark.parametrize("read", [_read_by_order_events, _read_by_order_marks, _read_by_event_logs])
def test_every_columnar_reader_refuses_a_row_without_its_order(read: object) -> None:
    table = columnar.events_table(ORDERS[:2])
    ids = table.column("order_id").to_pylist()
    bad = _with_column(
        table, "order_id", [None if i == ORDERS[1].id else i for i in ids], pa.string()
    )
    with pytest.raises(fs.InvalidEvent, match="order_id"):
        read(bad)  # type: ignore[operator]


@pytest.mark.parametrize("unit", ["s", "ms", "us"])
def test_instants_in_another_unit_are_read_in_that_unit(unit: str) -> None:
    order = ORDERS[4]
    table = columnar.events_table([order])
    coarse = table.column("at").cast(pa.timestamp(unit, tz="UTC"), safe=False)
    moved = _with_column(table, "at", coarse, None)
    ((_, events),) = columnar.order_events(moved)
    for got, expected in zip(events, order.events, strict=True):
        assert abs(got.epoch - expected.epoch) < (1.0 if unit == "s" else 1e-3)


@pytest.mark.parametrize("read", [_read_by_order_events, _read_by_order_marks, _read_by_event_logs])
def test_every_columnar_reader_refuses_a_column_of_another_type(read: object) -> None:
    table = columnar.events_table(ORDERS[:1])
    texts = ["not an instant"] * table.num_rows
    with pytest.raises(fs.InvalidEvent, match="types"):
        read(_with_column(table, "at", texts, pa.string()))  # type: ignore[operator]


def test_evaluate_table_in_worker_processes_gives_the_clocks_of_one_process(
    tmp_path: Path,
) -> None:
    # Parts judged in two processes come back in order and equal to the parts judged here.
    path = tmp_path / "orders.parquet"
    columnar.write_events(ORDERS, path, partition_by="day")
    alone = sla.evaluate_table(path, at=AT)
    shared = sla.evaluate_table(path, at=AT, jobs=2)
    assert shared.num_rows > 0
    assert shared.to_pylist() == alone.to_pylist()
    assert table_rows(alone) == records(ORDERS, AT)


def test_worker_processes_read_the_row_groups_of_one_file_themselves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Three orders to a row group: the file has several, each a part a worker reads.
    monkeypatch.setattr(columnar, "_CHUNK", 3)
    path = columnar.write_events(ORDERS, tmp_path / "orders.parquet")
    located = list(columnar.part_locations(path))
    assert [part.row_group for part in located] == list(range(len(located)))
    assert len(located) > 2
    read = [part.read() for part in located]
    assert [t.to_pylist() for t in read] == [t.to_pylist() for t in columnar.parts(path)]
    shared = sla.evaluate_table(path, at=AT, jobs=2)
    assert shared.to_pylist() == sla.evaluate_table(path, at=AT).to_pylist()
    assert table_rows(shared) == records(ORDERS, AT)


def test_a_part_of_a_partitioned_folder_carries_its_partition_value(tmp_path: Path) -> None:
    columnar.write_events(ORDERS, tmp_path / "events", partition_by="branch")
    for part in columnar.part_locations(tmp_path / "events"):
        assert dict(part.partition).keys() == {"branch"}
        branches = set(part.read().column("branch").to_pylist())
        assert branches == {dict(part.partition)["branch"]}


@pytest.mark.parametrize("jobs", [0, -1, 1.5, "2", True])
def test_evaluate_table_refuses_a_count_of_jobs_that_is_not_a_whole_number(jobs: object) -> None:
    with pytest.raises(fs.InvalidInput, match="jobs must be a whole number"):
        sla.evaluate_table(columnar.events_table(ORDERS[:1]), at=AT, jobs=jobs)  # type: ignore[arg-type]


def _read_by_evaluate_table(source: object) -> object:
    return sla.evaluate_table(source, at=AT)


def _not_event_logs(tmp_path: Path) -> dict[str, object]:
    junk = tmp_path / "junk.parquet"
    junk.write_bytes("张三 13800138000".encode() * 8)
    empty = tmp_path / "empty.parquet"
    empty.write_bytes(b"")
    folder = tmp_path / "dataset" / "day=2026-11-24"
    folder.mkdir(parents=True)
    (folder / "part-0.parquet").write_bytes(b"PAR1")
    return {
        "junk file": junk,
        "empty file": empty,
        "folder of junk": tmp_path / "dataset",
        "NUL in the name": str(tmp_path / "a\0b.parquet"),
        "None": None,
        "a number": 5,
        "a list": [ORDERS[0].to_json()],
    }


@pytest.mark.parametrize(
    "read",
    [
        _read_by_order_events,
        _read_by_order_marks,
        _read_by_event_logs,
        _read_by_evaluate_table,
        columnar.read_events,
        lambda source: list(columnar.parts(source)),
        lambda source: [part.read() for part in columnar.part_locations(source)],
        lambda source: sla.evaluate_table(source, at=AT, jobs=2),
    ],
)
def test_regression_every_columnar_reader_refuses_what_is_not_an_event_log(
    tmp_path: Path, read: object
) -> None:
    # A file that is not Parquet was a raw ArrowInvalid, and anything but a table given
    # to event_logs or order_events an AttributeError.
    for name, source in _not_event_logs(tmp_path).items():
        with pytest.raises(fs.InvalidInput) as refused:
            read(source)  # type: ignore[operator]
        assert "张三" not in str(refused.value), name
        assert refused.value.__context__ is None, name


@pytest.mark.parametrize("kinds", [[["booked"]], 5, [{"booked": 1}]])
def test_regression_columnar_readers_refuse_kinds_that_are_not_a_collection_of_text(
    kinds: object,
) -> None:
    table = columnar.events_table(ORDERS[:1])
    for read in (columnar.event_logs, columnar.order_events, columnar.order_marks):
        with pytest.raises(fs.InvalidInput, match="kinds"):
            list(read(table, kinds=kinds))  # type: ignore[arg-type]


def _line_with(change: str) -> object:
    data = json.loads(ORDERS[0].to_json())
    event = data["events"][0]
    if change == "not json":
        return ORDERS[0].to_json()[:-2]
    if change == "a number":
        return 5
    if change == "events not a list":
        data["events"] = 5
    elif change == "event not an object":
        data["events"][0] = "张三"
    elif change == "no at":
        del event["at"]
    elif change == "at not iso":
        event["at"] = "张三"
    elif change == "at a number":
        event["at"] = 5
    elif change == "naive at":
        event["at"] = "2026-11-24T10:00:00"
    elif change == "no kind":
        del event["kind"]
    return data


@pytest.mark.parametrize(
    "change",
    [
        "not json",
        "a number",
        "events not a list",
        "event not an object",
        "no at",
        "at not iso",
        "at a number",
        "naive at",
        "no kind",
    ],
)
def test_regression_events_table_refuses_a_line_that_is_not_an_order(
    tmp_path: Path, change: str
) -> None:
    # Raw KeyError, TypeError, ValueError or AttributeError, and a naive instant was
    # written as the machine's local time.
    line = _line_with(change)
    with pytest.raises(fs.InvalidInput) as refused:
        columnar.events_table([ORDERS[1], line])
    assert "张三" not in str(refused.value)
    assert refused.value.__context__ is None
    with pytest.raises(fs.InvalidInput):
        columnar.write_events([line], tmp_path / "x.parquet")


@pytest.mark.parametrize("partition_by", [None, "day"])
def test_write_events_refused_halfway_leaves_the_target_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, partition_by: str | None
) -> None:
    # Nothing half-changed: the orders before the refused one are not written either.
    monkeypatch.setattr(columnar, "_CHUNK", 2)
    target = tmp_path / ("events.parquet" if partition_by is None else "events")
    columnar.write_events(ORDERS[:1], target, partition_by=partition_by)
    before = columnar.read_events(target).to_pylist()
    with pytest.raises(fs.InvalidInput):
        columnar.write_events([*ORDERS, "not an order"], target, partition_by=partition_by)
    assert columnar.read_events(target).to_pylist() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]

"""Public entry points given the wrong type of input: a coded refusal that says what to pass.

Found by a hostile-input probe: each of these raised a bare TypeError, AttributeError or
OverflowError from deep inside the library (or silently accepted a naive datetime, a
Parquet file that is not an event log, a line that is not an order, a key given twice).
Every refusal here is a FieldServiceError with a stable code, shows the type of what was
given and never its value (G1).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pendulum
import pytest

import fieldservice as fs
from fieldservice import appointments, calendar, orders_io, reminders, routes, sla, views, visits
from fieldservice.cli import main
from fieldservice.errors import InvalidEvent, InvalidInput
from fieldservice.events import Event

ROOT = Path(__file__).resolve().parent.parent
STD = fs.ServiceStandard.default()
T0 = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
AT = T0.add(days=1)
NAME, PHONE = "张三", "13800138000"


def _order() -> fs.WorkOrder:
    customer = fs.Customer(
        id="C1", name=NAME, tier="gold", phones=PHONE, address="上海市闵行区幸福路 1 号"
    )
    order = fs.WorkOrder.install(
        id="WO-1", customer=customer, products={"broadband"}, accepted_at=T0, by="desk-1"
    )
    order.check_resources(True, at=T0.add(minutes=5), by="desk-1")
    return order


def _refused(error: pytest.ExceptionInfo[InvalidInput], *words: str) -> str:
    """The refusal's message, checked: coded, nothing personal, and the words it must say."""
    message = str(error.value)
    assert error.value.code in {"invalid_input", "invalid_event"}
    assert NAME not in message
    assert PHONE not in message
    for word in words:
        assert word in message, message
    return message


# --- 1. the SLA clocks and the reminder plan --------------------------------------------


@pytest.mark.parametrize("given", [None, 7, "WO-1", {"id": "WO-1", "events": []}])
def test_regression_evaluate_refuses_what_is_neither_an_order_nor_its_events(given: Any) -> None:
    with pytest.raises(InvalidInput) as error:
        sla.evaluate(given, at=AT, standard=STD)
    _refused(error, type(given).__name__, "Event.from_dict")


def test_regression_evaluate_refuses_an_orders_json_events_naming_the_readers() -> None:
    # The realistic slip: the "events" of an order's JSON data, a list of dicts.
    data = _order().to_dict(include_personal=True)["events"]
    with pytest.raises(InvalidInput) as error:
        sla.evaluate(data, at=AT, standard=STD)
    _refused(error, "Event objects", "(got dict)", "Event.from_dict", "WorkOrder.from_dict")
    # What the message says to do works.
    report = sla.evaluate([Event.from_dict(d) for d in data], at=AT, standard=STD)
    assert report["booking_contact"].state is sla.ClockState.BREACHED


def test_regression_evaluate_reports_the_wrong_type_before_a_missing_standard() -> None:
    data = _order().to_dict()["events"]
    with pytest.raises(InvalidInput) as error:
        sla.evaluate(data, at=AT)
    _refused(error, "Event objects")


def test_regression_evaluate_many_refuses_an_item_that_is_not_an_order() -> None:
    with pytest.raises(InvalidInput) as error:
        sla.evaluate_many([_order(), None], at=AT)
    _refused(error, "NoneType")
    with pytest.raises(InvalidInput) as error:
        sla.evaluate_many(None, at=AT)  # type: ignore[arg-type]
    _refused(error, "NoneType")


def test_regression_evaluate_many_reports_the_wrong_type_before_a_missing_standard() -> None:
    data = _order().to_dict()["events"]
    for rows in ([data], [None]):
        with pytest.raises(InvalidInput) as error:
            sla.evaluate_many(rows, at=AT)
        assert "standard=" not in _refused(error, "Event")


def test_regression_reminder_plan_refuses_what_is_not_an_order_type_first() -> None:
    with pytest.raises(InvalidInput) as error:
        reminders.plan(None, standard=STD)  # type: ignore[arg-type]
    _refused(error, "NoneType")
    data = _order().to_dict()["events"]
    with pytest.raises(InvalidInput) as error:
        reminders.plan(data)  # no standard= either: the type is the news
    assert "standard=" not in _refused(error, "(got dict)", "Event.from_dict")
    # An order still plans as before.
    assert reminders.plan(_order()).order_id == "WO-1"


def test_regression_shown_id_and_breaches_refuse_the_wrong_type() -> None:
    with pytest.raises(InvalidInput) as error:
        sla.shown_id(None)  # type: ignore[arg-type]
    _refused(error, "NoneType")
    with pytest.raises(InvalidInput) as error:
        sla.breaches(None)  # type: ignore[arg-type]
    _refused(error, "SlaBatch", "evaluate_many")
    assert sla.breaches(sla.evaluate_many([_order()], at=AT)) == [
        ("WO-1", sla.ClockName.BOOKING_CONTACT)
    ]


@pytest.mark.parametrize("jobs", [10**12, 257, 2**63])
def test_regression_evaluate_table_bounds_jobs(jobs: int) -> None:
    pytest.importorskip("pyarrow")
    from fieldservice import columnar

    table = columnar.events_table([_order()])
    with pytest.raises(InvalidInput) as error:
        sla.evaluate_table(table, at=AT, jobs=jobs)
    _refused(error, "from 1 to 256")


# --- 2. the orders reader ----------------------------------------------------------------


@pytest.mark.parametrize("path", [None, 3, b"orders.jsonl", ["orders.jsonl"]])
def test_regression_read_orders_refuses_what_is_not_a_path(path: Any) -> None:
    for read in (orders_io.read_orders, calendar.orders_from_jsonl):
        with pytest.raises(InvalidInput) as error:
            read(path)
        _refused(error, "str or os.PathLike", type(path).__name__)


def test_read_orders_still_reads_a_str_and_a_path(tmp_path: Path) -> None:
    path = tmp_path / "orders.jsonl"
    path.write_text(_order().to_json(include_personal=True) + "\n", encoding="utf-8")
    assert [o.id for o in orders_io.read_orders(str(path))] == ["WO-1"]
    assert [o.id for o in orders_io.read_orders(path)] == ["WO-1"]


# --- 3. views, the appointment, routes -----------------------------------------------------


@pytest.mark.parametrize("show", [views.order_html, views.order_records])
def test_regression_views_refuse_what_is_not_a_work_order(show: Any) -> None:
    for given in (None, _order().to_dict()):
        with pytest.raises(InvalidInput) as error:
            show(given)
        _refused(error, "WorkOrder", type(given).__name__)


def test_regression_appointment_of_refuses_items_that_are_not_events() -> None:
    for given in ([None], [{"kind": "booked"}], None, 3):
        with pytest.raises(InvalidInput) as error:
            visits.appointment_of(given)  # type: ignore[arg-type]
        _refused(error, "Event")
    assert visits.appointment_of(_order().events) is visits.NOTHING_BOOKED


@pytest.mark.parametrize("kind", [[], {}, [None]])
def test_regression_changes_appointment_refuses_an_unhashable_kind(kind: Any) -> None:
    with pytest.raises(InvalidInput) as error:
        visits.changes_appointment(kind)
    _refused(error, "EventKind", type(kind).__name__)


def test_regression_plan_route_refuses_what_is_not_a_collection_of_orders() -> None:
    day = dt.date(2026, 11, 26)
    for given in (None, 3, _order()):
        with pytest.raises(InvalidInput) as error:
            routes.plan_route(given, day)  # type: ignore[arg-type]
        _refused(error, "WorkOrder", type(given).__name__)
    with pytest.raises(InvalidInput) as error:
        routes.plan_route([], day, technician=7)  # type: ignore[arg-type]
    _refused(error, "Technician")


# --- 4. the confirm-by instant -----------------------------------------------------------


def test_regression_confirm_due_refuses_a_naive_booking_instant() -> None:
    # Read in the machine's zone, the answer depended on TZ (None under UTC, a number
    # under Asia/Shanghai): refused, as every naive datetime is.
    naive = dt.datetime(2026, 11, 26, 8, 30)
    with pytest.raises(InvalidInput) as error:
        appointments.confirm_due(dt.date(2026, 11, 26), naive, STD)
    _refused(error, "naive", "booked_at")


def test_regression_confirm_due_is_machine_zone_free_in_a_subprocess() -> None:
    code = (
        "import datetime as dt, fieldservice as fs\n"
        "from fieldservice.appointments import confirm_due\n"
        "try:\n"
        "    confirm_due(dt.date(2026, 11, 26), dt.datetime(2026, 11, 26, 8, 30),\n"
        "                fs.ServiceStandard.default())\n"
        "except fs.InvalidInput as err:\n"
        "    print(err.code)\n"
    )
    for zone in ("UTC", "Asia/Shanghai"):
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "TZ": zone},
        )
        assert done.stdout.strip() == "invalid_input", (zone, done.stdout)


@pytest.mark.parametrize(
    ("day", "booked_at", "standard", "names"),
    [
        (None, T0, STD, "day"),
        ("2026-11-26", T0, STD, "day"),
        (dt.date(2026, 11, 26), 0, STD, "booked_at"),
        (dt.date(2026, 11, 26), "2026-11-24T10:00+08:00", STD, "booked_at"),
        (dt.date(2026, 11, 26), T0, None, "standard"),
        (dt.date(2026, 11, 26), T0, T0, "standard"),
    ],
)
def test_regression_confirm_due_refuses_the_wrong_types(
    day: Any, booked_at: Any, standard: Any, names: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        appointments.confirm_due(day, booked_at, standard)
    _refused(error, names)


def test_confirm_due_still_answers_for_aware_instants() -> None:
    due = appointments.confirm_due(dt.date(2026, 11, 26), T0, STD)
    assert due == pendulum.datetime(2026, 11, 26, 9, tz="Asia/Shanghai").timestamp()
    assert appointments.confirm_due(dt.date(2026, 11, 24), T0, STD) is None
    assert appointments.confirm_due(dt.date(2026, 11, 26), None, STD) == due


# --- 5. Parquet that is not an event log ---------------------------------------------------


def test_regression_read_events_refuses_a_parquet_file_that_is_not_an_event_log(
    tmp_path: Path,
) -> None:
    pytest.importorskip("pyarrow")
    import pyarrow as pa
    import pyarrow.parquet as pq

    from fieldservice import columnar

    other = tmp_path / "other.parquet"
    pq.write_table(pa.table({"a": [1, 2]}), other)
    for read in (columnar.read_events, lambda p: list(columnar.parts(p))):
        with pytest.raises(InvalidInput) as error:
            read(other)
        _refused(error, "not a Parquet event log", "order_id", "kind")
    with pytest.raises(InvalidInput) as error:
        sla.evaluate_table(other, at=AT)
    _refused(error, "not a Parquet event log")
    # A table in memory that lacks the log's columns is refused too, not read as nulls.
    with pytest.raises(InvalidEvent) as event_error:
        list(columnar.order_events(pa.table({"a": [1, 2]})))
    _refused(event_error, "order_id")


def test_regression_read_events_says_a_path_is_expected_for_the_wrong_type() -> None:
    pytest.importorskip("pyarrow")
    from fieldservice import columnar

    for given in (5, None, b"events.parquet"):
        with pytest.raises(InvalidInput) as error:
            columnar.read_events(given)
        message = _refused(error, "path", "os.PathLike", type(given).__name__)
        assert "no such" not in message


def test_a_partitioned_dataset_and_one_partition_still_read(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    from fieldservice import columnar

    orders = [_order()]
    folder = tmp_path / "events"
    columnar.write_events(orders, folder, partition_by="day")
    whole = columnar.read_events(folder)
    assert whole.num_rows == len(orders[0].events)
    (part,) = sorted(folder.rglob("*.parquet"))
    assert columnar.read_events(part).num_rows == whole.num_rows  # the day from its folder


@pytest.mark.parametrize("partition_by", [None, "day", "branch"])
def test_an_empty_event_log_still_reads_back(tmp_path: Path, partition_by: str | None) -> None:
    pytest.importorskip("pyarrow")
    from fieldservice import columnar

    target = tmp_path / ("events" if partition_by else "events.parquet")
    columnar.write_events([], target, partition_by=partition_by)  # an empty folder, if partitioned
    assert columnar.read_events(target).num_rows == 0
    assert sla.evaluate_table(target, at=AT).num_rows == 0


# --- 6. fieldservice sla: a line that is not an order ----------------------------------------


@pytest.mark.parametrize(
    "events",
    [
        [],
        [{"kind": "contacted", "at": "2026-11-24T10:00:00+08:00", "actor": "desk", "data": {}}],
    ],
)
def test_regression_sla_command_leaves_out_a_line_whose_log_does_not_open_an_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], events: list[object]
) -> None:
    path = tmp_path / "orders.jsonl"
    good = _order().to_json(include_personal=True)
    path.write_text(good + "\n" + json.dumps({"id": "WO-2", "events": events}) + "\n")
    out = io.StringIO()
    code = main(["sla", str(path), "--at", AT.isoformat(), "--json"], out=out)
    assert code == 1
    report = json.loads(out.getvalue())
    assert (report["orders"], report["refused_lines"]) == (1, 1)
    err = capsys.readouterr().err
    assert re.search(
        r"error \[invalid_event\]: .*orders\.jsonl, line 2: an order's events start", err
    )


def test_regression_order_judge_refuses_a_log_that_does_not_open_an_order() -> None:
    judge = sla.OrderJudge(at=AT, standard=STD)
    with pytest.raises(InvalidEvent, match="none"):
        judge.judge({"id": "WO-1", "events": []})
    data = _order().to_dict()
    data["events"] = data["events"][1:]
    with pytest.raises(InvalidEvent, match=r"not resources_available: give the whole log"):
        judge.judge(data)


# --- 7. a JSON key given twice ----------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        b'{"id": "WO-1", "id": "WO-2", "events": []}',
        b'{"id": "WO-1", "events": [{"kind": "accepted", "kind": "reported"}]}',
        b'{"id": "WO-1", "events": [], "customer": {"name": "a", "name": "b"}}',
    ],
)
def test_regression_the_sla_reader_refuses_a_key_given_twice(line: bytes) -> None:
    from fieldservice import _branch_report

    assert _branch_report.read_json(line) is _branch_report.NOT_JSON


@pytest.mark.parametrize(
    "line",
    [
        b'{"id": "WO-1", "events": []}',
        b'\xef\xbb\xbf{"id": "WO-1", "events": []}',  # a byte-order mark, dropped
        '{"id": "WO-1", "events": []}'.encode("utf-16"),
        b'{"id": "\xed\xa0\x80", "events": []}',  # a lone surrogate, kept as json.loads does
        b'{"id": "WO-1", "n": ' + b"7" * 5000 + b"}",
        b"\xff",
        b"[1, 2",
    ],
)
def test_the_sla_reader_still_reads_bytes_as_json_loads_does(line: bytes) -> None:
    from fieldservice import _branch_report

    try:
        expected: object = json.loads(line, parse_int=_branch_report._whole)
    except ValueError:
        expected = _branch_report.NOT_JSON
    assert _branch_report.read_json(line) == expected


# --- 8. the big-files page without pytest in its examples -------------------------------------


def test_regression_bigfiles_page_shows_no_pytest_in_its_examples() -> None:
    page = (ROOT / "docs" / "bigfiles.md").read_text(encoding="utf-8")
    shown = re.sub(r"<!--.*?-->", "", page, flags=re.DOTALL)  # what a reader sees
    fences = re.findall(r"```python\n(.*?)```", shown, flags=re.DOTALL)
    assert fences
    assert not [f for f in fences if "pytest" in f]
    assert "importorskip" in page  # hidden, the test run still skips without the extra


def test_bigfiles_page_skips_without_the_arrow_extra(tmp_path: Path) -> None:
    # An environment without pyarrow: the page's doctest is skipped, never failed.
    code = (
        "import sys, pytest\n"
        "class NoArrow:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'pyarrow':\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, NoArrow())\n"
        "sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', '-rs', sys.argv[1]]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "docs" / "bigfiles.md")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "1 skipped" in done.stdout, done.stdout[-2000:]

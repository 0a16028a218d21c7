"""Event logs as Apache Arrow tables and Parquet datasets: one row per event.

With the ``arrow`` extra (``pip install 'fieldservice[arrow]'``, pyarrow). The
columns are those of the event schema (``fieldservice schema events``) plus the
order they belong to:

==============  ==========================  ===============================================
column          type                        what
==============  ==========================  ===============================================
``order_id``    string                      the order's ID
``branch``      string                      the name of the order's standard
``day``         date32                      the day the order was opened (its first
                                            event), in the standard's zone
``seq``         int32                       the event's position in the order's log
``kind``        string                      :class:`~fieldservice.events.EventKind` value
``at``          timestamp[us, UTC]          the instant
``offset_s``    int32                       the UTC offset ``at`` was recorded with
``actor``       string                      who recorded it
``data``        string                      the payload as JSON (personal values masked
                                            unless ``include_personal``)
==============  ==========================  ===============================================

A dataset is partitioned by ``day`` or ``branch`` (Hive style, ``day=2026-11-24/``):
an order's events always stay in one partition, so each partition is judged on its
own (:func:`fieldservice.sla.evaluate_table`, ``examples/dask_sla_report.py``).

>>> import pytest; pa = pytest.importorskip("pyarrow")
>>> from fieldservice.synthetic import synthetic_order
>>> table = events_table([synthetic_order(1), synthetic_order(2)])
>>> table.column_names[:4], len(set(table.column("order_id").to_pylist()))
(['order_id', 'branch', 'day', 'seq'], 2)
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import shutil
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from fieldservice import _time, _validate
from fieldservice.errors import InvalidEvent, InvalidInput

if TYPE_CHECKING:
    from fieldservice.events import Event, EventKind
    from fieldservice.payloads import Payload

__all__ = [
    "PARTITIONS",
    "EventMark",
    "MarkColumns",
    "Part",
    "event_logs",
    "events_table",
    "mark_columns",
    "order_events",
    "order_marks",
    "part_locations",
    "parts",
    "read_events",
    "write_events",
]

PARTITIONS = ("day", "branch")
"""The columns a dataset may be partitioned by."""


def pyarrow() -> Any:
    """The ``pyarrow`` module, or an error that names the extra to install.

    >>> import pytest; _ = pytest.importorskip("pyarrow")
    >>> pyarrow().__name__
    'pyarrow'
    """
    try:
        import pyarrow as pa
        import pyarrow.compute
        import pyarrow.dataset
        import pyarrow.parquet
    except ImportError:
        msg = "Arrow and Parquet need the 'arrow' extra: pip install 'fieldservice[arrow]'"
        raise InvalidInput(msg) from None
    return pa


def _schema(pa: Any) -> Any:
    return pa.schema(
        [
            ("order_id", pa.string()),
            ("branch", pa.string()),
            ("day", pa.date32()),
            ("seq", pa.int32()),
            ("kind", pa.string()),
            ("at", pa.timestamp("us", tz="UTC")),
            ("offset_s", pa.int32()),
            ("actor", pa.string()),
            ("data", pa.string()),
        ]
    )


def _order_data(order: Any, include_personal: bool) -> tuple[Mapping[str, Any], bool]:
    """The order's data, and whether it is written as asked (a WorkOrder's own ``to_dict``).

    A line or a dict holds whatever it was written with: its events' data is masked
    by :func:`events_table` unless ``include_personal`` (G1).
    """
    if isinstance(order, Mapping):
        return order, include_personal
    if isinstance(order, str | bytes):
        data = _validate.json_or_not(order)
        if not isinstance(data, Mapping):
            msg = "a line given to events_table is not an order's JSON: give WorkOrder.to_json"
            raise InvalidInput(msg)
        return data, include_personal
    if not callable(getattr(order, "to_dict", None)):
        msg = (
            f"events_table takes work orders, their JSON lines or dicts (got "
            f"{type(order).__name__})"
        )
        raise InvalidInput(msg)
    return order.to_dict(include_personal=include_personal), True


def _data_text(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# An instant for reading a payload alone: a kind's data is checked whatever its instant.
_PROBE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _masked_text(kind: str, data: object, text: str, masked: dict[tuple[str, str], str]) -> str:
    """The JSON of an event's data as ``Event.to_dict()`` writes it: personal values masked.

    Read as :meth:`Event.from_dict <fieldservice.events.Event.from_dict>` reads it (so a
    personal value in any form it takes, ``{"$secret": "..."}`` or plain text, is found)
    and written again without personal data (G1). ``masked`` holds what was written for
    each (kind, JSON text) so far: a log repeats the same details, and the table is local
    to one call, so no clear value outlives it.

    Raises:
        InvalidEvent: The kind is unknown or the data does not fit it: what is personal
            in it cannot be told.
    """
    found = masked.get((kind, text))
    if found is None:
        from fieldservice.events import Event

        refused: str | None = None
        try:
            payload = Event.read(kind, _PROBE, "reader", data).data
        except InvalidEvent as err:
            refused = err.message
        if refused is not None:
            # Raised here, not in the handler: the error it would chain to says it again.
            raise InvalidEvent(refused)
        found = _data_text(payload.to_json_data(include_personal=False))
        if len(masked) >= _DETAILS_MAX:
            masked.clear()
        masked[kind, text] = found
    return found


def _event_at(event: object) -> dt.datetime:
    """The aware instant of one event of a line or dict given to :func:`events_table`."""
    text = event.get("at") if isinstance(event, Mapping) else None
    at = _time.iso_or_none(text) if isinstance(text, str) else None
    if at is None or at.utcoffset() is None or not isinstance(event, Mapping):
        # A naive instant would be written as the machine's local time.
        msg = "an event given to events_table needs its 'at' as ISO 8601 text with an offset"
        raise InvalidInput(msg)
    if not isinstance(event.get("kind"), str) or not isinstance(event.get("actor"), str):
        msg = "an event given to events_table needs its kind and actor as text"
        raise InvalidInput(msg)
    return at


def events_table(orders: Iterable[Any], *, include_personal: bool = False) -> Any:
    """One Arrow row per event of every order (WorkOrders, their JSON lines or dicts).

    The ``data`` column holds each event's data as ``WorkOrder.to_json()`` writes it:
    personal values (names, notes, reasons, the modem password) as ``{"$secret":null}``
    (G1), whatever the form an order is given in. A line or dict written with
    ``include_personal=True`` is masked as the order itself would be: each event's data
    is read as :meth:`Event.from_dict <fieldservice.events.Event.from_dict>` reads it
    and written again. With ``include_personal=True``, a WorkOrder's personal values are
    written in clear, and lines and dicts as they are.

    Args:
        orders: Work orders, or lines (or parsed lines) of ``WorkOrder.to_json``.
        include_personal: Write personal values of the events' data in clear (G1).

    Returns:
        A ``pyarrow.Table`` with the columns of the module's table, one row per event.

    Raises:
        InvalidInput: An item is not an order, its line or dict; an event lacks its
            instant (with an offset), kind or actor; ``include_personal`` is not True or
            False; or the ``arrow`` extra is missing.
        InvalidEvent: Without ``include_personal``, an event of a line or dict has an
            unknown kind or data that does not fit it (what to mask cannot be told).

    >>> import pytest; _ = pytest.importorskip("pyarrow")
    >>> import pendulum, fieldservice as fs
    >>> cust = fs.Customer(id="C1", name="张三", phones="13800138000", address="幸福路 1 号")
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> order = fs.WorkOrder.install(id="WO-1", customer=cust, products={"broadband"},
    ...                              accepted_at=t, by="desk")
    >>> _ = order.cancel(at=t.add(minutes=5), by="desk", reason="张三改天再装")
    >>> line = order.to_json(include_personal=True)
    >>> events_table([line]).column("data").to_pylist()[-1]
    '{"reason":{"$secret":null}}'
    >>> events_table([line], include_personal=True).column("data").to_pylist()[-1]
    '{"reason":"张三改天再装"}'
    >>> events_table([line]).equals(events_table([order]))
    True
    """
    personal = _validate.consent("include_personal", include_personal)
    pa = pyarrow()
    cols: dict[str, list[Any]] = {name: [] for name in _schema(pa).names}
    zones: dict[str, zoneinfo.ZoneInfo] = {}
    masked: dict[tuple[str, str], str] = {}
    for order in orders:
        data, as_asked = _order_data(order, personal)
        events = data.get("events") or []
        if not isinstance(events, list):
            msg = "an order given to events_table holds its events as a list"
            raise InvalidInput(msg)
        standard = data.get("standard") or {}
        branch = standard.get("name", "default") if isinstance(standard, Mapping) else "default"
        order_id = str(data.get("id"))
        day = None
        for seq, event in enumerate(events):
            at = _event_at(event)
            if day is None:
                # The opening day in the order's own zone; the default standard's zone when
                # the line does not say (the zone of its first instant is as good a guess).
                zone = zones.setdefault(branch, _zone_of(branch, at))
                day = at.astimezone(zone).date()
            offset = at.utcoffset()
            cols["order_id"].append(order_id)
            cols["branch"].append(branch)
            cols["day"].append(day)
            cols["seq"].append(seq)
            cols["kind"].append(event["kind"])
            cols["at"].append(at.astimezone(dt.UTC))
            cols["offset_s"].append(0 if offset is None else int(offset.total_seconds()))
            cols["actor"].append(event["actor"])
            text = _data_text(event.get("data") or {})
            if not as_asked:
                text = _masked_text(event["kind"], event.get("data"), text, masked)
            cols["data"].append(text)
    return pa.table(cols, schema=_schema(pa))


def _zone_of(branch: str, at: dt.datetime) -> Any:
    from fieldservice.standard import ServiceStandard

    default = ServiceStandard.default()
    return zoneinfo.ZoneInfo(default.timezone) if branch == default.name else at.tzinfo


def write_events(
    orders: Iterable[Any],
    path: str | Path,
    *,
    partition_by: str | None = None,
    include_personal: bool = False,
) -> Path:
    """Write the event log of ``orders`` as Parquet: one file, or a dataset by day or branch.

    The rows are those of :func:`events_table`: personal values of the events' data
    are written as ``{"$secret":null}`` (G1) whether an order is given as a WorkOrder,
    its JSON line or its dict, unless ``include_personal`` is true.

    Args:
        orders: Work orders, or lines (or parsed lines) of ``WorkOrder.to_json``.
        path: The Parquet file, or the dataset folder with ``partition_by``.
        partition_by: ``"day"`` or ``"branch"`` for a Hive-style dataset folder, or None
            for one file.
        include_personal: Write personal values of the events' data in clear (G1).

    Returns:
        ``path``, as a :class:`~pathlib.Path`.

    Raises:
        InvalidInput: ``partition_by`` is not ``"day"`` or ``"branch"``,
            ``include_personal`` is not True or False, an order is refused as
            :func:`events_table` refuses it (the target is then left as it was), or the
            ``arrow`` extra is missing.

    >>> import pathlib, tempfile, pytest; _ = pytest.importorskip("pyarrow")
    >>> from fieldservice.synthetic import synthetic_order
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "events"
    >>> _ = write_events([synthetic_order(1), synthetic_order(2)], folder, partition_by="day")
    >>> sorted(p.name for p in folder.iterdir())[0].startswith("day=")
    True

    A line written with the personal data keeps it out of the file all the same:

    >>> import pendulum, fieldservice as fs
    >>> cust = fs.Customer(id="C1", name="张三", phones="13800138000", address="幸福路 1 号")
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> order = fs.WorkOrder.install(id="WO-1", customer=cust, products={"broadband"},
    ...                              accepted_at=t, by="desk")
    >>> _ = order.cancel(at=t.add(minutes=5), by="desk", reason="张三改天再装")
    >>> path = write_events([order.to_json(include_personal=True)], folder.with_suffix(".parquet"))
    >>> read_events(path).column("data").to_pylist()[-1]
    '{"reason":{"$secret":null}}'
    """
    if partition_by is not None and partition_by not in PARTITIONS:
        msg = f"partition_by must be one of {', '.join(PARTITIONS)} (or None)"
        raise InvalidInput(msg)
    # Checked before anything is written, even when no order comes: a flag that is not
    # True or False ("false", 0) is refused, never read as either (G1).
    include_personal = _validate.consent("include_personal", include_personal)
    pa = pyarrow()
    target = Path(path)
    # Written beside the target and moved into place once every order is in: an order
    # refused halfway leaves the target as it was, not a file of the orders before it.
    staging = target.with_name(f".{target.name}.{os.getpid()}.partial")
    writer = None
    try:
        for number, chunk in enumerate(_chunks(orders, _CHUNK)):
            table = events_table(chunk, include_personal=include_personal)
            if partition_by is None:
                if writer is None:
                    writer = pa.parquet.ParquetWriter(staging, table.schema)
                writer.write_table(table)
                continue
            # A chunk at a time, each its own files: memory stays flat in the number of
            # orders, and an order's events are always in one file.
            pa.dataset.write_dataset(
                table,
                staging,
                format="parquet",
                partitioning=pa.dataset.partitioning(
                    pa.schema([table.schema.field(partition_by)]), flavor="hive"
                ),
                basename_template=f"part-{number}-{{i}}.parquet",
                existing_data_behavior="overwrite_or_ignore",
            )
        if writer is not None:
            writer.close()
            writer = None
        if partition_by is None:
            if not staging.exists():
                pa.parquet.write_table(events_table([]), staging)
            os.replace(staging, target)
        elif staging.exists():
            for file in sorted(staging.rglob("*.parquet")):
                placed = target / file.relative_to(staging)
                placed.parent.mkdir(parents=True, exist_ok=True)
                os.replace(file, placed)
        else:
            target.mkdir(parents=True, exist_ok=True)
    finally:
        if writer is not None:
            writer.close()
        if staging.is_dir():
            shutil.rmtree(staging, ignore_errors=True)
        else:
            staging.unlink(missing_ok=True)
    return target


_CHUNK = 50_000


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def read_events(source: Any) -> Any:
    """An Arrow table of events from a table, a Parquet file or a partitioned dataset folder.

    Raises:
        InvalidInput: The ``arrow`` extra is missing; ``source`` is neither a table
            nor a path (``str`` or ``os.PathLike``), or names nothing; or the file or
            folder is not a Parquet event log (or not one of its types): a column of
            the log is missing, or is not of the log's type.

    >>> import pathlib, tempfile, pytest; _ = pytest.importorskip("pyarrow")
    >>> from fieldservice.synthetic import synthetic_order
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "events"
    >>> _ = write_events([synthetic_order(1)], folder, partition_by="branch")
    >>> read_events(folder).num_rows == len(synthetic_order(1).events)
    True
    """
    pa = pyarrow()
    if isinstance(source, pa.Table):
        return source
    target = _existing(source)
    if not target.is_dir():
        return _read_file(pa, target, _named(target.parent.name))

    def read() -> Any:
        return pa.dataset.dataset(target, format="parquet", partitioning="hive").to_table()

    # A partition column comes back dictionary-encoded: cast to the log's own schema.
    # One partition folder read on its own lacks its column: its name has it.
    return _parquet(pa, lambda: _conform(pa, read(), _schema(pa), _named(target.name)))


def _existing(source: Any) -> Path:
    if not isinstance(source, str | os.PathLike):
        msg = (
            f"give an Arrow table, or the path (str or os.PathLike) of the Parquet file or "
            f"dataset folder write_events wrote (got {type(source).__name__})"
        )
        raise InvalidInput(msg)
    try:
        target = Path(source)
        found = target.exists()
    except (TypeError, ValueError):  # a path of bytes (os.PathLike may give them), or a NUL
        found = False
    if not found:
        msg = (
            "no such Parquet file or dataset folder: give an Arrow table, or the path "
            "write_events wrote"
        )
        raise InvalidInput(msg)
    return target


def _row_group(pa: Any, reader: Any, group: int, schema: Any) -> Any:
    return _conform(pa, reader.read_row_group(group), schema, {})


def _parquet(pa: Any, read: Callable[[], Any]) -> Any:
    """``read()`` of a Parquet file or dataset, or a coded refusal if it is not an event log.

    Refused after the handler: Arrow's error may quote a cell of the file (G1).
    """
    try:
        return read()
    except (pa.ArrowException, OSError, TypeError):
        pass
    msg = f"{_NOT_A_LOG}: give what write_events wrote"
    raise InvalidInput(msg)


_NOT_A_LOG = "the file or folder is not a Parquet event log (or not one of its types)"


def _named(*folders: str) -> dict[str, str]:
    """Hive partition values from folder names such as ``day=2026-11-24``."""
    return dict(f.split("=", 1) for f in folders if "=" in f)


def _read_file(pa: Any, file: Path, named: Mapping[str, str]) -> Any:
    return _parquet(
        pa, lambda: _conform(pa, pa.parquet.ParquetFile(file).read(), _schema(pa), named)
    )


def _missing(table: Any, schema: Any, named: Mapping[str, str]) -> list[str]:
    """The log's columns ``table`` lacks: all but a partition column (``day``, ``branch``).

    A partition column is left out of the files of a dataset partitioned by it (the folder
    names hold it), and of a file read from such a folder on its own. A table of no
    columns and no rows lacks nothing: it is the empty folder of a dataset of no orders.
    """
    names = set(table.column_names)
    if not names and not table.num_rows:
        return []
    return [
        field.name
        for field in schema
        if field.name not in names and field.name not in named and field.name not in PARTITIONS
    ]


def _columns(names: Sequence[str]) -> str:
    """Columns of the log, named in a message (the log's own names: nothing of the file's)."""
    return f"the column{'s' if len(names) > 1 else ''} {', '.join(names)}"


def _conform(pa: Any, table: Any, schema: Any, named: Mapping[str, str]) -> Any:
    """The table in the log's own schema; a missing partition column from ``named``.

    Raises:
        InvalidInput: Another column is missing: the table is not an event log.
    """
    missing = _missing(table, schema, named)
    if missing:
        msg = f"{_NOT_A_LOG}: it lacks {_columns(missing)}; give what write_events wrote"
        raise InvalidInput(msg)
    columns = []
    for field in schema:
        if field.name in table.column_names:
            columns.append(table.column(field.name).cast(field.type))
        else:
            value = pa.array([named.get(field.name)] * table.num_rows, pa.string())
            columns.append(value.cast(field.type))
    return pa.table(columns, schema=schema)


def _conformed(pa: Any, table: Any) -> tuple[Any, str | None]:
    """The table in the log's schema, or the name of the error that refused the cast.

    A table that lacks a column of the log (a partition column aside) is refused.

    The name, not the error: Arrow's message quotes the cell it could not cast, and a
    refusal raised in its handler would keep it as ``__context__`` (G1).
    """
    schema = _schema(pa)
    missing = _missing(table, schema, {})
    if missing:
        msg = (
            f"an events table needs the log's columns, and this one lacks {_columns(missing)}: "
            "make it with events_table, or read it with read_events"
        )
        raise InvalidEvent(msg)
    try:
        return _conform(pa, table, schema, {}), None
    except (pa.ArrowException, TypeError) as err:
        return table, type(err).__name__


def event_logs(table: Any, *, kinds: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
    """Each order of an events table as the data of its JSON line (id, standard, events).

    Rows are grouped by order and put back in log order (``seq``). With ``kinds``,
    only events of those kinds (and any whose kind is missing, for the reader to
    refuse) are turned back into data and the others are left out; every order
    still comes out, so a reader that needs a few kinds skips the cost of the rest.
    The kind, actor and data are given as the table holds them, for the reader to
    check (:meth:`Event.from_dict <fieldservice.events.Event.from_dict>`).

    Raises:
        InvalidInput: ``kinds`` is a bare string, not a collection of kinds.
        InvalidEvent: A row cannot be given as JSON data: it has no order ID,
            instant or offset, its instant lies outside the years the library
            reads, its data is not JSON, or a column is not of the log's type.

    >>> import pytest; _ = pytest.importorskip("pyarrow")
    >>> from fieldservice.synthetic import synthetic_order
    >>> order = synthetic_order(1)
    >>> [log["id"] for log in event_logs(events_table([order]))]
    ['WO-1']
    >>> [e["kind"] for log in event_logs(events_table([order]), kinds={"booked"})
    ...  for e in log["events"]]
    ['booked']
    """
    return _logs(_table(table), _wanted(kinds))


def _wanted(kinds: Iterable[str] | None) -> frozenset[str] | None:
    # Checked when called, not at the first order a caller happens to read.
    pyarrow()
    if isinstance(kinds, str):  # one kind given bare would be read as its letters
        msg = "kinds must be a collection of event kinds, like {'booked'}, not one text"
        raise InvalidInput(msg)
    if kinds is None:
        return None
    try:
        wanted: frozenset[object] = frozenset(kinds)
    except TypeError:  # not iterable, or an item that is a list or a dict
        wanted = frozenset({None})
    if not all(isinstance(kind, str) for kind in wanted):
        msg = "kinds must be a collection of event kinds (text), like {'booked'}"
        raise InvalidInput(msg)
    return frozenset(str(kind) for kind in wanted)


def _table(table: Any) -> Any:
    """``table`` if it is an Arrow table; the readers of files are read_events and parts."""
    pa = pyarrow()
    if not isinstance(table, pa.Table):
        msg = (
            f"an events table must be a pyarrow.Table (got {type(table).__name__}); read a "
            "Parquet file or dataset with read_events"
        )
        raise InvalidInput(msg)
    return table


_Row = tuple[Any, Any, Any, Any, Any]
"""One event row as Python values: kind, microseconds, offset_s, actor, data text."""


def _order_rows(table: Any, wanted: frozenset[str] | None) -> Iterator[tuple[str, list[_Row]]]:
    """Each order's rows in log order; with ``wanted``, only those kinds (and missing kinds)."""
    pa = pyarrow()
    # In the log's own types: an instant in milliseconds is read as one, not as
    # microseconds, and a column that cannot be cast is refused.
    table, failed = _conformed(pa, table)
    if failed is not None:
        msg = f"an events table's columns must have the log's types ({failed})"
        raise InvalidEvent(msg)
    table = table.sort_by([("order_id", "ascending"), ("seq", "ascending")])
    current: str | None = None
    rows: list[_Row] = []
    # A batch at a time: Python objects for one batch of rows, never for the whole table.
    for batch in table.to_batches(max_chunksize=65_536):
        columns = [
            batch.column("order_id").to_pylist(),
            batch.column("kind").to_pylist(),
            # Microseconds as integers: exact, and no datetime made by Arrow to be converted.
            batch.column("at").cast(pa.int64()).to_pylist(),
            batch.column("offset_s").to_pylist(),
            batch.column("actor").to_pylist(),
            batch.column("data").to_pylist(),
        ]
        for order_id, kind, us, offset, actor, text in zip(*columns, strict=True):
            if order_id is None:
                msg = "an event row needs the ID of its order (order_id)"
                raise InvalidEvent(msg)
            if order_id != current:
                if current is not None:
                    yield current, rows
                current, rows = order_id, []
            if wanted is None or kind in wanted or kind is None:
                rows.append((kind, us, offset, actor, text))
    if current is not None:
        yield current, rows


def _logs(table: Any, wanted: frozenset[str] | None) -> Iterator[dict[str, Any]]:
    zones: dict[int, dt.timezone] = {}
    for order_id, rows in _order_rows(table, wanted):
        events = [
            {
                "kind": kind,
                "at": _instant(us, offset, zones).isoformat(),
                "actor": actor,
                "data": None if text is None else _json_data(text),
            }
            for kind, us, offset, actor, text in rows
        ]
        yield {"id": order_id, "events": events}


def order_events(
    table: Any, *, kinds: Iterable[str] | None = None
) -> Iterator[tuple[str, list[Event]]]:
    """Each order of an events table as its ID and its :class:`~fieldservice.events.Event` list.

    The events are built straight from the columns, checked as
    :meth:`Event.from_dict <fieldservice.events.Event.from_dict>` checks them,
    without turning the instants into ISO text and back: the reader for code
    that judges or replays the events (:func:`fieldservice.sla.evaluate_table`).
    Rows are grouped by order and put back in log order (``seq``); ``kinds``
    keeps only events of those kinds (and any whose kind is missing, to be
    refused), as in :func:`event_logs`.

    Raises:
        InvalidInput: ``kinds`` is a bare string.
        InvalidEvent: A row is malformed: an unknown kind, a missing instant,
            offset or actor, data that is not JSON or does not fit its kind.

    >>> import pytest; _ = pytest.importorskip("pyarrow")
    >>> from fieldservice.synthetic import synthetic_order
    >>> order = synthetic_order(1)
    >>> [(order_id, events == list(order.events))
    ...  for order_id, events in order_events(events_table([order]))]
    [('WO-1', True)]
    """
    return _order_events(_table(table), _wanted(kinds))


_UNIX: dt.datetime = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_DETAILS_MAX = 4096


def _order_events(table: Any, wanted: frozenset[str] | None) -> Iterator[tuple[str, list[Event]]]:
    from fieldservice.events import Event

    read = Event.read
    zones: dict[int, dt.timezone] = {}
    # The payloads read so far by kind and JSON text: a log repeats the same details (the
    # windows of a day, the tiers), and a payload is immutable. The table is local to this
    # read, so no detail outlives the read of the table that holds it.
    details: dict[tuple[str, str], Payload] = {}
    for order_id, rows in _order_rows(table, wanted):
        events = []
        for kind, us, offset, actor, text in rows:
            at = _instant(us, offset, zones)
            known = None if text is None else details.get((kind, text))
            if known is not None or text is None:
                events.append(read(kind, at, actor, known))
                continue
            event = read(kind, at, actor, _json_data(text))
            if len(details) >= _DETAILS_MAX:
                details.clear()
            details[kind, text] = event.data
            events.append(event)
        yield order_id, events


class EventMark:
    """An event as a clock reads it: its kind, its instant in epoch seconds, its checked data.

    What :func:`order_marks` gives instead of an :class:`~fieldservice.events.Event`:
    the same checks were made, but the instant is kept as a number and ``at`` is
    built only when asked for, a plain :class:`datetime.datetime` in the offset
    the event was recorded with. No actor is kept: no clock reads it.

    >>> import datetime as dt
    >>> from fieldservice.events import EventKind
    >>> from fieldservice.payloads import NO_DATA
    >>> mark = EventMark(EventKind.ARRIVED, 1795500000.0, NO_DATA, 28800)
    >>> mark.at.isoformat()
    '2026-11-24T14:00:00+08:00'
    """

    __slots__ = ("data", "epoch", "kind", "offset")

    def __init__(self, kind: EventKind, epoch: float, data: Payload, offset: int) -> None:
        self.kind = kind
        self.epoch = epoch
        self.data = data
        self.offset = offset

    @property
    def at(self) -> dt.datetime:
        """The instant, in the UTC offset it was recorded with."""
        zone = dt.timezone(dt.timedelta(seconds=self.offset))
        return dt.datetime.fromtimestamp(self.epoch, zone)

    def __repr__(self) -> str:
        return f"EventMark({self.kind.value!r}, {self.at.isoformat()!r})"


def order_marks(
    table: Any, *, kinds: Iterable[str] | None = None
) -> Iterator[tuple[str, Sequence[EventMark | Event]]]:
    """Each order of an events table as its ID and its events as the clocks read them.

    :func:`order_events` for readers of instants and details only, such as
    :func:`fieldservice.sla.evaluate_table`: the checks are made on the
    columns, each distinct actor and each distinct (kind, data) once per part,
    and each event comes as an :class:`EventMark`. A part with a row the checks
    refuse, or an order whose events are out of time order, is read by
    :func:`order_events` instead, which refuses it with the same error.

    Raises:
        InvalidInput: ``kinds`` is a bare string.
        InvalidEvent: A row is malformed (as :func:`order_events`).

    >>> import pytest; _ = pytest.importorskip("pyarrow")
    >>> from fieldservice.synthetic import synthetic_order
    >>> order = synthetic_order(1)
    >>> [(order_id, [m.epoch for m in marks] == [e.epoch for e in order.events])
    ...  for order_id, marks in order_marks(events_table([order]))]
    [('WO-1', True)]
    """
    wanted = _wanted(kinds)
    for part in parts(table):
        marked = _marks(part, wanted)
        if marked is None:  # a row the quick checks do not pass: the full reader decides
            yield from _order_events(part, wanted)
        else:
            yield from marked


_FIRST_US = (dt.datetime(_time.FIRST_YEAR, 1, 1, tzinfo=dt.UTC) - _UNIX) // dt.timedelta(
    microseconds=1
)
_END_US = (dt.datetime(_time.LAST_YEAR, 1, 1, tzinfo=dt.UTC) - _UNIX) // dt.timedelta(
    microseconds=1
)


@attrs.frozen
class MarkColumns:
    """One part's events as the clocks read them, in columns: :func:`mark_columns` gives it.

    Row ``j`` is an event of the order ``order_ids[order_of[j]]``, of the checked
    kind and data ``details[codes[j]]``, at ``epochs[j]`` (seconds) recorded with
    the UTC offset ``offsets[j]``; rows are in log order within each order, and
    each distinct (kind, data) of the part is checked and built once. The four
    row columns are NumPy arrays (pyarrow's own dependency), for readers that
    judge the rows without a Python object per event.

    >>> import pytest; _ = pytest.importorskip("pyarrow")
    >>> from fieldservice.synthetic import synthetic_order
    >>> columns = mark_columns(events_table([synthetic_order(1)]))
    >>> columns.order_ids, len(columns.epochs) == len(synthetic_order(1).events)
    (('WO-1',), True)
    """

    order_ids: tuple[str, ...]
    """Each order of the part, by ID, in ID order (an order without rows kept)."""
    order_of: Any
    """The index in :attr:`order_ids` of each row's order (int64, never decreasing)."""
    codes: Any
    """The index in :attr:`details` of each row's kind and data (int64)."""
    epochs: Any
    """The instant of each row in epoch seconds (float64)."""
    offsets: Any
    """The UTC offset in seconds each row's instant was recorded with (int64)."""
    details: tuple[tuple[EventKind, Payload], ...]
    """The distinct kinds and data of the part, each checked once.

    The checks are those of :meth:`fieldservice.events.Event.read`.
    """


def mark_columns(part: Any, *, kinds: Iterable[str] | None = None) -> MarkColumns | None:
    """One part of an events table in :class:`MarkColumns`, or None if a row needs a verdict.

    The checks of :func:`order_marks`, made on the columns: None means a row
    is one they do not pass (or an order is out of time order), and
    :func:`order_events` on the part refuses it with its error.

    Raises:
        InvalidInput: ``kinds`` is a bare string.

    >>> import pytest; _ = pytest.importorskip("pyarrow")
    >>> from fieldservice.synthetic import synthetic_order
    >>> order = synthetic_order(1)
    >>> first = order.events[0].kind.value
    >>> columns = mark_columns(events_table([order]), kinds={first})
    >>> {kind.value for kind, _ in columns.details} == {first}
    True
    """
    return _mark_columns(_table(part), _wanted(kinds))


def _mark_columns(part: Any, wanted: frozenset[str] | None) -> MarkColumns | None:
    from fieldservice.events import Event

    pa = pyarrow()
    pc = pa.compute
    np = _numpy()
    schema = _schema(pa)
    if _missing(part, schema, {}):
        return None  # the full reader words the refusal
    try:
        table = _conform(pa, part, schema, {})
    except (pa.ArrowException, TypeError):
        return None
    needed = ("order_id", "kind", "at", "offset_s", "actor")
    if any(table.column(name).null_count for name in needed):
        return None
    table = table.sort_by([("order_id", "ascending"), ("seq", "ascending")]).combine_chunks()
    empty = np.zeros(0, np.int64)
    if not table.num_rows:
        return MarkColumns((), empty, empty, np.zeros(0, np.float64), empty, ())
    ids = table.column("order_id")
    # Each order is numbered before the kinds are picked: one with none of them stays.
    first = pc.invert(pc.equal(ids[1:], ids[:-1]))
    first = pa.concat_arrays([pa.array([True]), first.combine_chunks()])
    order_ids = tuple(ids.filter(first).to_pylist())
    numbers = pc.subtract(pc.cumulative_sum(first.cast(pa.int64())), 1)
    table = table.append_column("order_number", numbers)
    if wanted is not None:
        picked = pa.array(sorted(wanted), pa.string())
        table = table.filter(pc.is_in(table.column("kind"), value_set=picked))
    if not table.num_rows:
        return MarkColumns(order_ids, empty, empty, np.zeros(0, np.float64), empty, ())
    numbers = table.column("order_number")
    micros = table.column("at").cast(pa.int64())
    offsets = table.column("offset_s")
    low, high = pc.min_max(micros).values()
    lowest, highest = pc.min_max(offsets).values()
    if not (low.as_py() >= _FIRST_US and high.as_py() < _END_US):
        return None
    if not (lowest.as_py() > -86400 and highest.as_py() < 86400):
        return None
    same = pc.equal(numbers[1:], numbers[:-1])
    if pc.any(pc.and_(same, pc.less(micros[1:], micros[:-1]))).as_py():
        return None  # out of time order: the judge names the culprit
    for actor in table.column("actor").unique().to_pylist():
        try:
            _validate.identifier("event actor", actor)
        except InvalidInput:
            return None
    kind_codes = table.column("kind").dictionary_encode().combine_chunks()
    data_codes = table.column("data").dictionary_encode().combine_chunks()
    texts = data_codes.dictionary.to_pylist()
    width = len(texts) + 1  # the last code is "no data"
    codes = pc.add(
        pc.multiply(kind_codes.indices.cast(pa.int64()), width),
        pc.fill_null(data_codes.indices.cast(pa.int64()), len(texts)),
    ).to_numpy()
    distinct, dense = np.unique(codes, return_inverse=True)
    kind_values = kind_codes.dictionary.to_pylist()
    # Each distinct (kind, data) is checked once, as Event.read checks it.
    details: list[tuple[EventKind, Payload]] = []
    for code in distinct.tolist():
        kind, text = divmod(code, width)
        try:
            data = None if text == len(texts) else _json_data(texts[text])
            event = Event.read(kind_values[kind], _PROBE, "reader", data)
        except InvalidEvent:
            return None
        details.append((event.kind, event.data))
    return MarkColumns(
        order_ids,
        numbers.to_numpy(),
        dense.astype(np.int64),
        micros.to_numpy() / 1e6,
        offsets.to_numpy().astype(np.int64),
        tuple(details),
    )


def _numpy() -> Any:
    import numpy  # pyarrow's own dependency: here whenever pyarrow is

    return numpy


def _marks(part: Any, wanted: frozenset[str] | None) -> list[tuple[str, list[EventMark]]] | None:
    """The orders of one part as marks, or None if a row needs the full reader's verdict."""
    columns = _mark_columns(part, wanted)
    if columns is None:
        return None
    out: list[tuple[str, list[EventMark]]] = [(order_id, []) for order_id in columns.order_ids]
    details = columns.details
    rows = zip(
        columns.order_of.tolist(),
        columns.codes.tolist(),
        columns.epochs.tolist(),
        columns.offsets.tolist(),
        strict=True,
    )
    for number, code, epoch, offset in rows:
        kind_of, payload = details[code]
        out[number][1].append(EventMark(kind_of, epoch, payload, offset))
    return out


def _instant(us: int | None, offset: int | None, zones: dict[int, dt.timezone]) -> dt.datetime:
    """The instant of a row, in the offset it was recorded with; a malformed one is refused."""
    if us is None or offset is None:
        msg = "an event row needs its instant (at) and its UTC offset (offset_s)"
        raise InvalidEvent(msg)
    zone = zones.get(offset)
    if zone is None:
        try:
            zone = zones[offset] = dt.timezone(dt.timedelta(seconds=offset))
        except ValueError:
            msg = "an event row's offset_s must lie within a day either side of UTC"
            raise InvalidEvent(msg) from None
    try:
        return (_UNIX + dt.timedelta(microseconds=us)).astimezone(zone)
    except OverflowError:
        # Arrow holds instants far past what datetime can: the range check words it.
        raise InvalidEvent(_time.out_of_range("event at").message) from None


def _json_data(text: str) -> object:
    data = _validate.json_or_not(text)
    if data is _validate.NOT_JSON:
        msg = "an event row's data is not JSON: write the payload as events_table does"
        raise InvalidEvent(msg)
    return data


@attrs.frozen
class Part:
    """Where one part of an events table (whole orders) is, to be read when it is judged.

    A row group of a Parquet file, a file of a dataset folder with its partition
    values, or a table in memory. A part named by its file is small to send to a
    worker process, which reads it there: the parent does not read, copy and
    send the rows (``sla.evaluate_table(jobs=...)``).

    >>> import pathlib, tempfile, pytest; _ = pytest.importorskip("pyarrow")
    >>> from fieldservice.synthetic import synthetic_order
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "events.parquet"
    >>> _ = write_events([synthetic_order(1)], path)
    >>> [part.row_group for part in part_locations(path)], next(part_locations(path)).read().num_rows > 0
    ([0], True)
    """

    path: Path | None = None
    """The Parquet file, or None for a table in memory."""
    row_group: int | None = None
    """The row group of ``path``; None for the whole file."""
    partition: tuple[tuple[str, str], ...] = ()
    """Hive partition values from the folder names (``day=2026-11-24``)."""
    table: Any = attrs.field(default=None, repr=False)
    """The table itself, when the part is in memory."""

    def read(self) -> Any:
        """The part as an Arrow table in the log's own schema."""
        pa = pyarrow()
        if self.path is None:
            return self.table
        if self.row_group is None:
            return _read_file(pa, self.path, dict(self.partition))
        reader = _parquet(pa, functools.partial(pa.parquet.ParquetFile, self.path))
        return _parquet(pa, functools.partial(_row_group, pa, reader, self.row_group, _schema(pa)))


def part_locations(source: Any) -> Iterator[Part]:
    """The parts of a table, Parquet file or dataset folder, each to be read on its own.

    The same parts, in the same order, as :func:`parts` reads.

    Raises:
        InvalidInput: The path does not exist, or the ``arrow`` extra is missing.

    >>> import pytest; pa = pytest.importorskip("pyarrow")
    >>> from fieldservice.synthetic import synthetic_order
    >>> [part.path for part in part_locations(events_table([synthetic_order(1)]))]
    [None]
    """
    pa = pyarrow()
    if isinstance(source, pa.Table):
        yield Part(table=source)
        return
    target = _existing(source)
    if target.is_dir():
        for file in sorted(target.rglob("*.parquet")):
            named = _named(*file.relative_to(target).parts[:-1], target.name)
            yield Part(file, None, tuple(sorted(named.items())))
        return
    reader = _parquet(pa, functools.partial(pa.parquet.ParquetFile, target))
    for group in range(reader.num_row_groups):
        yield Part(target, group)


def parts(source: Any) -> Iterator[Any]:
    """Tables of whole orders from a table, a Parquet file or a dataset folder, one at a time.

    A file is read a row group at a time and a folder a file at a time (what
    :func:`write_events` writes keeps each order in one row group), so a reader
    holds one part in memory, not the dataset.

    >>> import pathlib, tempfile, pytest; _ = pytest.importorskip("pyarrow")
    >>> from fieldservice.synthetic import synthetic_order
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "events.parquet"
    >>> _ = write_events([synthetic_order(1), synthetic_order(2)], path)
    >>> sum(part.num_rows for part in parts(path)) == read_events(path).num_rows
    True
    """
    pa = pyarrow()
    if isinstance(source, pa.Table):
        yield source
        return
    target = _existing(source)
    if target.is_dir():
        for part in part_locations(target):
            yield part.read()
        return
    # One open file for all its row groups: Part.read opens it for each.
    schema = _schema(pa)
    reader = _parquet(pa, lambda: pa.parquet.ParquetFile(target))
    for group in range(reader.num_row_groups):
        yield _parquet(pa, functools.partial(_row_group, pa, reader, group, schema))

"""Many orders at once: :func:`evaluate_many`, its columns, and the judge of one JSON line.

Part of :mod:`fieldservice.sla`, which re-exports its public names.
"""

from __future__ import annotations

import datetime as dt
import math
from array import array
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

import attrs
import pendulum

from fieldservice import (
    _labels,
    _validate,
    sla,  # the package: its constants, read when called
)
from fieldservice.errors import InvalidEvent, InvalidInput, StandardMismatch
from fieldservice.events import (
    Event,
    EventKind,
    events_of,
    read_schema_version,
)
from fieldservice.model import OrderKind
from fieldservice.payloads import Opened
from fieldservice.sla._clocks import (
    CLOCK_KINDS,
    CLOCKS,
    S_BREACHED,
    S_NOT_STARTED,
    STATES,
    TIERS,
    ClockName,
    ClockState,
    Limits,
    Orderish,
    checked_standard,
    clock_name,
    judge_clock,
    not_events,
    scan_log,
)
from fieldservice.sla._kernel_tables import KernelTables
from fieldservice.sla._report import SlaReport, evaluate, instant_in
from fieldservice.standard import ServiceStandard, standard_of

# --- the batch path --------------------------------------------------------------------


def _column_bits(columns: Mapping[ClockName, array[float]]) -> dict[ClockName, bytes]:
    return {clock: values.tobytes() for clock, values in columns.items()}


def _tuple_bits(values: tuple[float, ...]) -> bytes:
    return array("d", values).tobytes()


@attrs.frozen(repr=False)
class SlaBatch:
    """The clocks of many orders in columns: one array per field and clock.

    Built by :func:`evaluate_many`; rows are orders in input order. The columns
    hold the same numbers :func:`evaluate` gives (epoch seconds, seconds, state
    codes); :meth:`report` builds one order's :class:`SlaReport` on demand.

    >>> import pendulum, fieldservice as fs
    >>> from fieldservice.events import Event
    >>> from fieldservice.sla import evaluate_many, ClockName, ClockState
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> orders = [[Event("reported", t, actor="desk", data={"tier": tier})]
    ...           for tier in ("diamond", "ordinary")]
    >>> batch = evaluate_many(orders, at=t.add(hours=30), standard=fs.ServiceStandard.default())
    >>> batch.states(ClockName.REPAIR)
    [<ClockState.BREACHED: 'breached'>, <ClockState.RUNNING: 'running'>]
    """

    at: pendulum.DateTime
    standard: ServiceStandard
    ids: tuple[str, ...]
    state: Mapping[ClockName, array[int]]
    # Compared by their bytes: a clock not started has a NaN deadline, and NaN != NaN
    # would make a batch unequal to its own copy (pickle, deepcopy).
    deadline: Mapping[ClockName, array[float]] = attrs.field(eq=_column_bits)
    elapsed: Mapping[ClockName, array[float]] = attrs.field(eq=_column_bits)
    limit: Mapping[ClockName, array[float]] = attrs.field(eq=_column_bits)
    at_risk: Mapping[ClockName, array[int]]
    tier: Mapping[ClockName, array[int]]
    """Per clock, the index in ``tuple(Tier)`` of the tier that governs it."""

    def __len__(self) -> int:
        return len(self.ids)

    def states(self, clock: ClockName) -> list[ClockState]:
        """The state of ``clock`` for every order."""
        return [STATES[s] for s in self.state[clock]]

    def report(self, row: int, order: Orderish) -> SlaReport:
        """The full report of the order in ``row`` (it must be the same order)."""
        return evaluate(order, at=self.at, standard=self.standard)

    def __repr__(self) -> str:
        # Short: a batch of a million orders must not print a million numbers per column.
        breached = sum(col.count(S_BREACHED) for col in self.state.values())
        return (
            f"<SlaBatch {len(self)} orders at {self.at.isoformat()} under "
            f"{self.standard.name!r}: {breached} breached clocks>"
        )

    def to_records(self) -> list[dict[str, object]]:
        """One plain dict per order and started clock, with the order's ID, for data frames.

        Deadlines are timezone-aware instants in the standard's zone; elapsed and
        limit are seconds in the clock's own time.

        >>> import pendulum, fieldservice as fs
        >>> from fieldservice.synthetic import synthetic_order
        >>> orders = [synthetic_order(1), synthetic_order(2)]
        >>> batch = evaluate_many(orders, at=pendulum.datetime(2026, 12, 1, tz="UTC"))
        >>> batch  # doctest: +ELLIPSIS
        <SlaBatch 2 orders at 2026-12-01T08:00:00+08:00 under 'default': ... breached clocks>
        >>> sorted({r["order_id"] for r in batch.to_records()})
        ['WO-1', 'WO-2']
        """
        tz = self.standard.timezone
        out: list[dict[str, object]] = []
        for row, order_id in enumerate(self.ids):
            for name in CLOCKS:
                state = self.state[name][row]
                if state == S_NOT_STARTED:
                    continue
                out.append(
                    {
                        "order_id": order_id,
                        "clock": name.value,
                        "rule": name.rule,
                        "state": STATES[state].value,
                        "tier": None
                        if name is ClockName.ARRIVAL
                        else TIERS[self.tier[name][row]].value,
                        "deadline": instant_in(self.deadline[name][row], tz),
                        "elapsed_s": self.elapsed[name][row],
                        "limit_s": self.limit[name][row],
                        "at_risk": bool(self.at_risk[name][row]),
                    }
                )
        return out


def evaluate_many(
    orders: Iterable[Orderish], *, at: dt.datetime, standard: ServiceStandard | None = None
) -> SlaBatch:
    """Judge the clocks of many orders at once, in columns, with the numbers of :func:`evaluate`.

    It keeps no state between calls, so a caller with more orders than one
    machine holds runs it per partition (Dask, Spark) and concatenates.

    Args:
        orders: Work orders or event logs, any iterable (read once).
        at: The instant to judge at.
        standard: The standard whose limits and calendar apply: when left out,
            the orders' own (they must share one; bare event logs need it).

    Raises:
        InvalidInput: ``orders`` is not a collection, an item is neither an order
            nor its events, ``at`` is naive, or an event's data is malformed.
        InvalidEvent: An order's events are not in time order.
        StandardMismatch: An order is under another standard.
    """
    rows = orders if isinstance(orders, list | tuple) else _rows(orders)
    if standard is None:
        if not rows:
            msg = "pass standard=: there is no order to take it from"
            raise InvalidInput(msg)
        first = rows[0]
        if not isinstance(getattr(first, "standard", None), ServiceStandard):
            # standard_of refuses it: a wrong type is the news to give first.
            wrong = not_events(events_of(first))
            if wrong is not None:
                raise wrong
        standard = standard_of(first, None)
    when = _validate.aware("at", at)
    at_epoch = when.timestamp()
    lim = Limits.compile(checked_standard(standard))
    n = len(rows)
    # Read where it is documented, when called: setting sla.COMPILED_FROM takes effect.
    kernel = KernelTables.made(lim) if n >= sla.COMPILED_FROM or KernelTables.warm() else None
    if kernel is not None:
        compiled = _compiled_batch(kernel, rows, standard, when)
        if compiled is not None:
            return compiled
    # Columns are made whole up front and filled by index: a clock not started keeps
    # the defaults, so the loop touches only the clocks an order has started.
    state = {c: array("b", bytes(n)) for c in CLOCKS}
    deadline = {c: array("d", [math.nan]) * n for c in CLOCKS}
    elapsed = {c: array("d", [0.0]) * n for c in CLOCKS}
    limit = {c: array("d", [0.0]) * n for c in CLOCKS}
    at_risk = {c: array("b", bytes(n)) for c in CLOCKS}
    tiers = {c: array("b", bytes(n)) for c in CLOCKS}
    columns = [(state[c], deadline[c], elapsed[c], limit[c], at_risk[c], tiers[c]) for c in CLOCKS]
    ids = [None] * n
    judge = judge_clock
    scan = scan_log
    for row, order in enumerate(rows):
        ids[row] = getattr(order, "id", None)
        own = getattr(order, "standard", standard)
        if own is not standard:
            standard_of(order, standard)  # raises unless it is an equal standard
        clocks, area = scan(events_of(order), at_epoch, lim)
        for index, clock in clocks.items():
            s, d, e, li, r = judge(clock, index, area, at_epoch, lim)
            col_s, col_d, col_e, col_l, col_r, col_t = columns[index]
            col_s[row] = s
            col_d[row] = d
            col_e[row] = e
            col_l[row] = li
            col_r[row] = r
            col_t[row] = clock.tier
    return SlaBatch(
        at=when.in_timezone(standard.timezone),
        standard=standard,
        ids=tuple(str(row) if i is None else str(i) for row, i in enumerate(ids)),
        state=state,
        deadline=deadline,
        elapsed=elapsed,
        limit=limit,
        at_risk=at_risk,
        tier=tiers,
    )


def _rows(orders: object) -> list[Orderish]:
    """The orders of an iterable that is not a list or tuple, read once; anything else refused."""
    items = _validate.items_of(orders)
    if items is None:
        msg = (
            f"orders must be a collection of work orders or event logs (got "
            f"{type(orders).__name__}); for one order, call evaluate"
        )
        raise InvalidInput(msg)
    return list(items)


def _compiled_batch(
    kernel: KernelTables,
    rows: Sequence[Orderish],
    standard: ServiceStandard,
    when: pendulum.DateTime,
) -> SlaBatch | None:
    """:func:`evaluate_many` by the compiled judge, or None where Python must decide."""
    judged = kernel.judge_logs(rows, standard, when.timestamp())
    if judged is None:
        return None
    ids, (state, tier, deadline, elapsed, limit, risk) = judged
    np = kernel.np

    def column(values: Any, code: str, index: int) -> array[Any]:
        out = array(code)
        # One copy, not two: the array reads the contiguous column's buffer as bytes.
        out.frombytes(memoryview(np.ascontiguousarray(values[:, index])).cast("B"))
        return out

    tiers = tier.astype(np.int8)
    return SlaBatch(
        at=when.in_timezone(standard.timezone),
        standard=standard,
        ids=tuple(ids),
        state={c: column(state, "b", i) for i, c in enumerate(CLOCKS)},
        deadline={c: column(deadline, "d", i) for i, c in enumerate(CLOCKS)},
        elapsed={c: column(elapsed, "d", i) for i, c in enumerate(CLOCKS)},
        limit={c: column(limit, "d", i) for i, c in enumerate(CLOCKS)},
        at_risk={c: column(risk, "b", i) for i, c in enumerate(CLOCKS)},
        tier={c: column(tiers, "b", i) for i, c in enumerate(CLOCKS)},
    )


@attrs.frozen
class OrderClocks:
    """One order's clocks in plain numbers, by clock index (:class:`ClockName` order).

    ``state`` holds :class:`ClockState` codes (their index in ``tuple(ClockState)``),
    ``tier`` indexes in ``tuple(Tier)``; ``deadline`` is epoch seconds (NaN if
    the clock has not started), ``elapsed`` and ``limit`` seconds, as in
    :class:`SlaBatch`'s columns.

    >>> OrderClocks("WO-1", (0,) * 5, (0,) * 5, (math.nan,) * 5, (0.0,) * 5, (0.0,) * 5,
    ...             (0,) * 5).states()[0]
    <ClockState.NOT_STARTED: 'not_started'>
    """

    id: str = attrs.field(repr=_validate.id_repr)
    state: tuple[int, ...]
    tier: tuple[int, ...]
    # By their bytes, as SlaBatch's columns: NaN marks a clock not started.
    deadline: tuple[float, ...] = attrs.field(eq=_tuple_bits)
    elapsed: tuple[float, ...] = attrs.field(eq=_tuple_bits)
    limit: tuple[float, ...] = attrs.field(eq=_tuple_bits)
    at_risk: tuple[int, ...]

    def states(self) -> list[ClockState]:
        """The state of every clock, in :class:`ClockName` order."""
        return [STATES[s] for s in self.state]

    def breached(self) -> list[ClockName]:
        """The clocks that are breached."""
        return [name for name, s in zip(CLOCKS, self.state, strict=True) if s == S_BREACHED]


class OrderJudge:
    """Judge orders one at a time from their JSON data: the streaming path of big files.

    :meth:`judge` takes one parsed line of :meth:`WorkOrder.to_json
    <fieldservice.workflow.WorkOrder.to_json>` and returns its clocks with the
    numbers of :func:`evaluate`, without restoring the order: only the events
    a clock reads are built (and checked), nothing personal is read, and
    nothing is kept between calls, so memory stays flat however many orders
    pass through. A log that does not open an order (no events, or a first
    event other than ``accepted`` or ``reported``) is refused: it is not an order.
    So is one whose first event does not name the order's kind (or is not that
    kind's opening event), its products, or the customer's tier and area, and one
    holding an event of a kind the library does not know, though no clock reads
    it; and an order written in a ``schema_version`` this release does not read. Each
    is refused as :meth:`WorkOrder.from_dict <fieldservice.workflow.WorkOrder.from_dict>`
    refuses it, in its words.

    Raises (from :meth:`judge`):
        InvalidInput: Not an order, a schema version not read, bad event data, no order kind.
        InvalidEvent: An event malformed, of an unknown kind or out of time order; a bad opening.
        StandardMismatch: The order was written under another standard.

    >>> import pendulum, fieldservice as fs
    >>> from fieldservice.synthetic import synthetic_order
    >>> order = synthetic_order(5)
    >>> at = pendulum.datetime(2026, 12, 1, tz="Asia/Shanghai")
    >>> judge = OrderJudge(at=at, standard=order.standard)
    >>> row = judge.judge(order.to_dict())
    >>> row.states() == [c.state for c in evaluate(order, at=at)]
    True
    """

    KINDS: ClassVar[frozenset[str]] = CLOCK_KINDS
    """The values of the event kinds a clock reads; a reader may skip every other event.

    >>> "booked" in OrderJudge.KINDS, "signed" in OrderJudge.KINDS
    (True, False)
    """

    def __init__(self, *, at: dt.datetime, standard: ServiceStandard) -> None:
        self.standard = checked_standard(standard)
        when = _validate.aware("at", at)
        self.at = when.in_timezone(standard.timezone)
        self._at = when.timestamp()
        self._lim = Limits.compile(standard)

    def __repr__(self) -> str:
        return f"OrderJudge(at={self.at.isoformat()!r}, standard={self.standard.name!r})"

    def judge(self, data: Mapping[str, Any]) -> OrderClocks:
        """The clocks of one order given as the data of its JSON line."""
        if type(data) is not dict and not isinstance(data, Mapping):
            msg = f"an order must be a JSON object (got {type(data).__name__})"
            raise InvalidInput(msg)
        # Refused first, by the rule of WorkOrder.from_dict: a later version's order may
        # mean another thing by the same keys (absent: version 0).
        read_schema_version(data.get("schema_version", 0))
        order_id = data.get("id")
        raw = data.get("events")
        if not isinstance(order_id, str) or not isinstance(raw, list):
            msg = "an order needs an id (text) and its events (a list)"
            raise InvalidInput(msg)
        # The ID is shown in reports: it must pass the ID check first (G1: it may be anything).
        _validate.identifier("order id", order_id)
        recorded = data.get("standard")
        if recorded is not None:
            digest = recorded.get("digest") if isinstance(recorded, Mapping) else None
            if digest != self.standard.digest:
                name = recorded.get("name") if isinstance(recorded, Mapping) else None
                # With the digests: two versions of one standard may share its name.
                std = self.standard
                msg = (
                    f"the order was written under the standard "
                    f"{_validate.standard_shown(name, digest)}, not "
                    f"{_validate.standard_shown(std.name, std.digest)}; "
                    "judge it under its own standard (--standard)"
                )
                raise StandardMismatch(msg)
        kinds = CLOCK_KINDS
        from_dict = Event.from_dict
        # A line that is not an order's whole log is not counted as an order: as the
        # other readers of orders (ics, read_orders) refuse it, it is refused here too.
        head = raw[0] if raw else None
        opens = head.get("kind") if type(head) is dict else None
        if type(opens) is not str or opens not in _OPENING_KINDS:
            first = None if head is None else from_dict(head)  # refuses a malformed one
            if first is None or first.kind.value not in _OPENING_KINDS:
                raise _not_opened(first)
        known = _EVENT_KINDS
        events = []
        for item in raw:
            kind = item.get("kind") if isinstance(item, dict) else None
            # Not text first: a list or object cannot be looked up in a set.
            if type(kind) is not str or kind in kinds:
                events.append(from_dict(item))  # checks it, and refuses what is malformed
            elif kind not in known:
                from_dict(item)  # an unknown kind: refused as from_json refuses it
        # What the restore asks of the opening event, after every event is read, as there.
        _check_opening(events[0])
        return self._clocks(order_id, events)

    def judge_events(self, order_id: str, events: Sequence[Event]) -> OrderClocks:
        """The clocks of one order given as its ID and its events, in log order.

        For readers that build the events themselves, such as
        :func:`fieldservice.columnar.order_events`; events of kinds outside
        :attr:`KINDS` may be left out, as no clock reads them.

        Raises:
            InvalidInput: The order ID is malformed, or an item is not an
                :class:`~fieldservice.events.Event`.
            InvalidEvent: The events are not in time order.

        >>> import pendulum
        >>> from fieldservice.synthetic import synthetic_order
        >>> order = synthetic_order(5)
        >>> judge = OrderJudge(at=pendulum.datetime(2026, 12, 1, tz="UTC"), standard=order.standard)
        >>> judge.judge_events(order.id, order.events) == judge.judge(order.to_dict())
        True
        """
        _validate.identifier("order id", order_id)
        if not isinstance(events, Sequence):
            try:
                events = tuple(events)  # an iterator is read once, here, not by the check
            except TypeError:
                msg = f"events must be a sequence of Event objects (got {type(events).__name__})"
                raise InvalidInput(msg) from None
        for event in events:
            if not isinstance(event, Event):
                msg = (
                    f"events must be Event objects (got {type(event).__name__}); read them "
                    "with Event.from_dict or columnar.order_events"
                )
                raise InvalidInput(msg)
        return self._clocks(order_id, events)

    def _clocks(self, order_id: str, events: Sequence[Event]) -> OrderClocks:
        clocks, area = scan_log(events, self._at, self._lim)
        n = len(CLOCKS)
        state = [0] * n
        tier = [0] * n
        deadline = [math.nan] * n
        elapsed = [0.0] * n
        limit = [0.0] * n
        at_risk = [0] * n
        for index, clock in clocks.items():
            s, d, e, li, r = judge_clock(clock, index, area, self._at, self._lim)
            state[index], deadline[index], elapsed[index] = s, d, e
            limit[index], at_risk[index], tier[index] = li, int(r), clock.tier
        return OrderClocks(
            order_id,
            tuple(state),
            tuple(tier),
            tuple(deadline),
            tuple(elapsed),
            tuple(limit),
            tuple(at_risk),
        )


_OPENING_KINDS = frozenset({"accepted", "reported"})
_EVENT_KINDS = frozenset(k.value for k in EventKind)
"""The value of every event kind: a line with any other is not an order (from_json)."""


def _check_opening(first: Event) -> None:
    """Refuse an opening event that does not name what opens an order, as a restore does.

    The order's kind (and that it opens with its kind's event), its products, the
    customer's tier and area: :meth:`WorkOrder.from_json
    <fieldservice.workflow.WorkOrder.from_json>` refuses a log without them, in these
    words, and so the judge does; its clocks are those of the restored order.
    """
    data = first.data
    if not isinstance(data, Opened):
        return  # not an opening event: refused before this by _not_opened
    kind = data.order_kind
    repair = kind is OrderKind.REPAIR
    if (
        kind is not None
        and repair is (first.kind is EventKind.REPORTED)  # else it is accepted
        and data.products
        and data.tier is not None
        and data.area is not None
    ):
        return  # an order's opening, as the library writes it
    if kind is None:
        _validate.enum_member(OrderKind, "order kind", kind)  # raises, in the restore's words
        return
    expected = "reported" if repair else "accepted"
    if first.kind.value != expected:
        msg = f"{_labels.with_article(kind.value)} order's log must start with {expected}"
        raise InvalidEvent(msg)
    if not data.products:
        msg = "the first event must list the order's products"
        raise InvalidEvent(msg)
    msg = "the first event of an order must name the customer's tier and area"
    raise InvalidEvent(msg)


def _not_opened(first: Event | None) -> InvalidEvent:
    """The refusal of a log that does not open an order (an event checked, so its kind is known)."""
    if first is None:
        msg = "an order's events start with accepted or reported, and this one has none"
    else:
        msg = (
            f"an order's events start with accepted or reported, not {first.kind.value}: "
            "give the whole log"
        )
    return InvalidEvent(msg)


def shown_id(order_id: str) -> str:
    """An order ID as a text report shows it: hidden if it may hold a phone number (G1).

    An ID with a run of nine or more digits is replaced, as every refusal that names
    an order replaces it; the ``--json`` output and :meth:`SlaBatch.to_records` keep
    every ID as it is, for the systems that read them.

    Raises:
        InvalidInput: ``order_id`` is not a text.

    >>> shown_id("WO-20261124-0001"), shown_id("WO-13800138000")
    ('WO-20261124-0001', '(an order ID not shown)')
    """
    if not isinstance(order_id, str):
        msg = f"an order ID is a text (got {type(order_id).__name__})"
        raise InvalidInput(msg)
    return _validate.id_text(order_id)


def breaches(batch: SlaBatch, clock: ClockName | None = None) -> list[tuple[str, ClockName]]:
    """The (order id, clock) pairs that are breached, in order.

    >>> import pendulum, fieldservice as fs
    >>> from fieldservice.events import Event
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> batch = evaluate_many([[Event("reported", t, actor="desk", data={"tier": "diamond"})]],
    ...                       at=t.add(hours=25), standard=fs.ServiceStandard.default())
    >>> breaches(batch)
    [('0', <ClockName.REPAIR: 'repair'>)]
    """
    if not isinstance(batch, SlaBatch):
        msg = (
            f"breaches reads an SlaBatch (got {type(batch).__name__}): judge the orders "
            "with evaluate_many first"
        )
        raise InvalidInput(msg)
    wanted = CLOCKS if clock is None else (clock_name(clock),)
    return [
        (batch.ids[row], name)
        for row in range(len(batch))
        for name in wanted
        if batch.state[name][row] == S_BREACHED
    ]

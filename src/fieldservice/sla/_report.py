"""One order's clocks at one instant: :func:`evaluate` and its report.

Part of :mod:`fieldservice.sla`, which re-exports its public names.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator

import attrs
import pendulum

from fieldservice import _validate
from fieldservice.errors import FieldServiceError
from fieldservice.events import (
    events_of,
)
from fieldservice.model import Tier
from fieldservice.servicecal import ServiceCalendar
from fieldservice.sla._clocks import (
    CLOCK_INDEX,
    CLOCKS,
    STATES,
    TIERS,
    WINDOWED,
    ClockName,
    ClockState,
    Limits,
    Orderish,
    checked_standard,
    clock_name,
    is_capped,
    judge_clock,
    not_events,
    risk_start,
    scan_log,
)
from fieldservice.standard import ClockBasis, ServiceStandard, standard_of

# --- results --------------------------------------------------------------------------


@attrs.frozen
class Pause:
    """A stretch of time a customer paused a clock; ``end`` is None while it lasts.

    >>> import pendulum
    >>> Pause(pendulum.datetime(2026, 11, 24, 10, tz="UTC"), None).open
    True
    """

    start: pendulum.DateTime
    end: pendulum.DateTime | None

    @property
    def open(self) -> bool:
        """Whether the pause has not ended yet."""
        return self.end is None


@attrs.frozen
class ClockStatus:
    """One clock of one order, judged at one instant.

    ``elapsed`` and ``remaining`` are in the clock's own time (service time for
    a service-time clock), pauses excluded; while running, ``elapsed + remaining
    == limit``. ``remaining`` is negative once the deadline has passed.

    >>> import pendulum, fieldservice as fs
    >>> from fieldservice.events import Event
    >>> from fieldservice.sla import evaluate, ClockName
    >>> t = pendulum.datetime(2026, 11, 24, 9, tz="Asia/Shanghai")
    >>> log = [Event("reported", t, actor="desk", data={"tier": "gold"})]
    >>> s = evaluate(log, at=t.add(hours=30), standard=fs.ServiceStandard.default())[ClockName.REPAIR]
    >>> s.state, s.at_risk, s.elapsed + s.remaining == s.limit
    (<ClockState.RUNNING: 'running'>, True, True)
    """

    clock: ClockName
    state: ClockState
    basis: ClockBasis
    tier: Tier | None
    limit: dt.timedelta
    started: pendulum.DateTime | None
    deadline: pendulum.DateTime | None
    stopped: pendulum.DateTime | None
    elapsed: dt.timedelta
    remaining: dt.timedelta
    paused: tuple[Pause, ...]
    at_risk: bool
    at_risk_from: pendulum.DateTime | None = None
    capped: bool = False
    """True when the legal repair ceiling (wall time) binds before the service-time limit;
    ``limit``, ``elapsed`` and ``remaining`` are then wall time against the ceiling."""
    _calendar_gaps: tuple[tuple[pendulum.DateTime, pendulum.DateTime], ...] = attrs.field(
        alias="calendar_gaps", default=(), repr=False
    )

    @property
    def rule(self) -> str:
        """The rule ID the clock carries."""
        return self.clock.rule

    def explain(self) -> tuple[str, ...]:
        """Say, step by step, how the deadline was reached.

        >>> import pendulum, fieldservice as fs
        >>> from fieldservice.events import Event
        >>> from fieldservice.sla import evaluate, ClockName
        >>> t = pendulum.datetime(2026, 11, 24, 19, 30, tz="Asia/Shanghai")
        >>> log = [Event("accepted", t, actor="desk", data={"tier": "diamond"})]
        >>> std = fs.ServiceStandard.default()
        >>> for line in evaluate(log, at=t, standard=std)[ClockName.BOOKING_CONTACT].explain():
        ...     print(line)
        B3 booking_contact: diamond limit 4:00:00 of service time
        started 2026-11-24 19:30 +08:00
        closed 2026-11-24 20:00 +08:00 to 2026-11-25 08:00 +08:00 (not counted)
        deadline 2026-11-25 11:30 +08:00
        running at the instant judged
        """
        fmt = "%Y-%m-%d %H:%M %z"

        def show(moment: pendulum.DateTime) -> str:
            text = moment.strftime(fmt)
            return f"{text[:-2]}:{text[-2:]}"

        tier = f"{self.tier.value} " if self.tier is not None else ""
        lines = [
            f"{self.rule} {self.clock.value}: {tier}limit {self.limit} of {self.basis.value} time"
        ]
        if self.started is None:
            return (*lines, "not started")
        lines.append(f"started {show(self.started)}")
        events: list[tuple[pendulum.DateTime, str]] = []
        for pause in self.paused:
            until = "still paused" if pause.end is None else f"resumed {show(pause.end)}"
            events.append((pause.start, f"paused by the customer {show(pause.start)}, {until}"))
        for begin, end in self._calendar_gaps:
            events.append((begin, f"closed {show(begin)} to {show(end)} (not counted)"))
        lines += [text for _, text in sorted(events, key=lambda e: e[0])]
        if self.capped:
            lines.append(
                f"capped by the legal ceiling of {self.limit} of wall time (电信条例 Art. 33, F4)"
            )
        if self.deadline is not None:
            lines.append(f"deadline {show(self.deadline)}")
        if self.stopped is not None:
            lines.append(f"stopped {show(self.stopped)}")
        lines.append(f"{self.state.value.replace('_', ' ')} at the instant judged")
        return tuple(lines)


@attrs.frozen
class SlaReport:
    """Every clock of one order at one instant.

    >>> import pendulum, fieldservice as fs
    >>> from fieldservice.sla import evaluate
    >>> report = evaluate([], at=pendulum.datetime(2026, 11, 24, tz="UTC"),
    ...                   standard=fs.ServiceStandard.default())
    >>> {s.state.value for s in report}
    {'not_started'}
    """

    at: pendulum.DateTime
    clocks: tuple[ClockStatus, ...]
    order_id: str | None = attrs.field(default=None, kw_only=True, repr=_validate.id_repr)
    """The ID of the order judged (None for a bare event log)."""

    def __getitem__(self, name: ClockName | str) -> ClockStatus:
        return self.clocks[CLOCK_INDEX[clock_name(name)]]

    def __iter__(self) -> Iterator[ClockStatus]:
        return iter(self.clocks)

    @property
    def breached(self) -> tuple[ClockStatus, ...]:
        """The clocks that are breached."""
        return tuple(c for c in self.clocks if c.state is ClockState.BREACHED)

    def to_records(self) -> list[dict[str, object]]:
        """One plain dict per started clock, with the order's ID, ready for ``pandas.DataFrame``.

        >>> import pendulum, fieldservice as fs
        >>> from fieldservice.synthetic import synthetic_order
        >>> order = synthetic_order(1)
        >>> report = evaluate(order, at=pendulum.datetime(2026, 12, 1, tz="UTC"))
        >>> {r["order_id"] for r in report.to_records()}
        {'WO-1'}
        """
        order_id = self.order_id
        return [_record(s, order_id) for s in self.clocks if s.state is not ClockState.NOT_STARTED]

    def _repr_html_(self) -> str:
        """Show the report in a notebook: a table of the started clocks, coloured by state.

        Met is green, breached red, paused or at risk amber, cancelled grey and
        running neutral; the state is also written out, so nothing rests on colour
        alone. Times are shown in the timezone of ``at``; durations as h:mm, in
        the clock's own time (a negative remaining time is past the deadline).

        >>> import pendulum, fieldservice as fs
        >>> from fieldservice.events import Event
        >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
        >>> log = [Event("reported", t, actor="desk", data={"tier": "gold"}),
        ...        Event("cleared", t.add(hours=2), actor="T7")]
        >>> page = evaluate(log, at=t.add(hours=3), standard=fs.ServiceStandard.default())._repr_html_()
        >>> "<td>repair</td>" in page, "background:#d4edda" in page  # met: green
        (True, True)

        .. versionadded:: 0.1.0
        """
        esc = html.escape
        tz = self.at.tzinfo

        def when(moment: pendulum.DateTime | None) -> str:
            return "" if moment is None else esc(moment.astimezone(tz).format("YYYY-MM-DD HH:mm"))

        def span(value: dt.timedelta) -> str:
            seconds = int(value.total_seconds())
            hours, rest = divmod(abs(seconds), 3600)
            return f"{'-' if seconds < 0 else ''}{hours}:{rest // 60:02d}"

        colours = {
            ClockState.MET: "#d4edda",
            ClockState.BREACHED: "#f8d7da",
            ClockState.PAUSED: "#fff3cd",
            ClockState.CANCELLED: "#e2e3e5",
        }
        rows = []
        for s in self.clocks:
            if s.state is ClockState.NOT_STARTED:
                continue
            state = s.state.value.replace("_", " ") + (", at risk" if s.at_risk else "")
            colour = "#fff3cd" if s.at_risk else colours.get(s.state)
            style = f' style="background:{colour}"' if colour else ""
            rows.append(
                f"<tr{style}><td>{esc(s.clock.value)}</td><td>{esc(s.rule)}</td>"
                f"<td>{esc(state)}</td><td>{esc(s.tier.value if s.tier else '')}</td>"
                f"<td>{when(s.started)}</td><td>{when(s.deadline)}</td><td>{when(s.stopped)}</td>"
                f"<td>{span(s.elapsed)}</td><td>{span(s.remaining)}</td></tr>"
            )
        body = "".join(rows) or '<tr><td colspan="9">no clock has started</td></tr>'
        return (
            '<table class="fieldservice-sla">'
            f"<caption>SLA clocks at {when(self.at)} ({esc(self.at.timezone_name or '')})</caption>"
            "<thead><tr><th>clock</th><th>rule</th><th>state</th><th>tier</th><th>started</th>"
            "<th>deadline</th><th>stopped</th><th>elapsed</th><th>remaining</th></tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )


def _record(status: ClockStatus, order_id: str | None) -> dict[str, object]:
    return {
        "order_id": order_id,
        "clock": status.clock.value,
        "rule": status.rule,
        "state": status.state.value,
        "tier": None if status.tier is None else status.tier.value,
        "started": status.started,
        "deadline": status.deadline,
        "stopped": status.stopped,
        "elapsed_s": status.elapsed.total_seconds(),
        "remaining_s": status.remaining.total_seconds(),
        "at_risk": status.at_risk,
    }


def instant_in(epoch: float, tz: str) -> pendulum.DateTime:
    """The instant ``epoch`` in ``tz``; one no date can hold is refused with InvalidInput."""
    try:
        return pendulum.from_timestamp(epoch, tz=tz)
    except (OverflowError, ValueError, OSError):
        pass
    # Raised here, not in the except: Python's error repeats the year or the epoch.
    from fieldservice.errors import InvalidInput
    from fieldservice.servicecal import FIRST_YEAR, LAST_YEAR

    msg = (
        f"a clock's instant falls outside the years {FIRST_YEAR}-{LAST_YEAR} the library "
        "reads; check the standard's time limits (fieldservice standard check) and the "
        "order's times"
    )
    raise InvalidInput(msg)


def as_timedelta(value: float) -> dt.timedelta:
    return dt.timedelta(seconds=round(value, 6))


def _gaps(
    start: float, end: float, std: ServiceStandard
) -> tuple[tuple[pendulum.DateTime, pendulum.DateTime], ...]:
    calendar = ServiceCalendar.for_clocks(std)
    tz = std.timezone
    return tuple(calendar.closed_intervals(instant_in(start, tz), instant_in(end, tz)))


def _not_started(name: ClockName, basis: ClockBasis) -> ClockStatus:
    return ClockStatus(
        clock=name,
        state=ClockState.NOT_STARTED,
        basis=basis,
        tier=None,
        limit=dt.timedelta(0),
        started=None,
        deadline=None,
        stopped=None,
        elapsed=dt.timedelta(0),
        remaining=dt.timedelta(0),
        paused=(),
        at_risk=False,
    )


def evaluate(
    order: Orderish, *, at: dt.datetime, standard: ServiceStandard | None = None
) -> SlaReport:
    """Judge every clock of one order at ``at``.

    Args:
        order: A work order (anything with ``.events``) or its events in time order.
        at: The instant to judge at; events after it are ignored.
        standard: The standard whose limits and calendar apply: the order's own
            when left out (a bare event log needs it).

    Raises:
        InvalidInput: ``at`` is naive, or an event's data is malformed.
        InvalidEvent: The events are not in time order.
        StandardMismatch: ``standard`` differs from the order's own.

    >>> import pendulum, fieldservice as fs
    >>> from fieldservice.events import Event
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> log = [Event("reported", t, actor="desk", data={"tier": "diamond", "area": "city"}),
    ...        Event("cleared", t.add(hours=20), actor="T7")]
    >>> evaluate(log, at=t.add(days=2), standard=fs.ServiceStandard.default())["repair"].state
    <ClockState.MET: 'met'>
    """
    events = events_of(order)  # first: a wrong type is the caller's first problem
    try:
        standard = standard_of(order, standard)
    except FieldServiceError:
        wrong = not_events(events)  # a list of JSON dicts, say: that is what to say first
        if wrong is None:
            raise
        raise wrong from None
    when = _validate.aware("at", at)
    at_epoch = when.timestamp()
    lim = Limits.compile(checked_standard(standard))
    clocks, area = scan_log(events, at_epoch, lim)
    tz = standard.timezone
    statuses = []
    for index, name in enumerate(CLOCKS):
        basis = ClockBasis.WALL if index >= WINDOWED else lim.basis(index)
        clock = clocks.get(index)
        if clock is None:
            statuses.append(_not_started(name, basis))
            continue
        state, deadline, elapsed, limit, at_risk = judge_clock(clock, index, area, at_epoch, lim)
        risk_from = risk_start(clock, index, area, at_epoch, lim)
        stopped = clock.stop if clock.stop is not None else clock.cancelled
        capped = is_capped(clock, index, area, at_epoch if stopped is None else stopped, lim)
        service = basis is ClockBasis.SERVICE
        statuses.append(
            ClockStatus(
                clock=name,
                state=STATES[state],
                basis=basis,
                tier=None if index >= WINDOWED else TIERS[clock.tier],
                limit=as_timedelta(limit),
                started=instant_in(clock.start, tz),
                deadline=instant_in(deadline, tz),
                stopped=instant_in(stopped, tz) if stopped is not None else None,
                elapsed=as_timedelta(elapsed),
                remaining=as_timedelta(limit - elapsed),
                paused=tuple(
                    Pause(instant_in(p[0], tz), instant_in(p[1], tz) if len(p) == 2 else None)
                    for p in clock.pauses
                ),
                at_risk=at_risk,
                at_risk_from=None if risk_from is None else instant_in(risk_from, tz),
                capped=capped,
                calendar_gaps=_gaps(clock.start, deadline, standard)
                if service and not capped
                else (),
            )
        )
    order_id = getattr(order, "id", None)
    return SlaReport(
        at=when.in_timezone(tz),
        clocks=tuple(statuses),
        order_id=None if order_id is None else str(order_id),
    )

"""SLA clocks: every time limit of the standard as a pure function of (events, standard, at).

A clock starts and stops on events of the order's log (:mod:`fieldservice.events`),
counts wall time or the calendar's service time (:class:`~fieldservice.standard.ClockBasis`),
and may be paused by the customer. Nothing here reads the clock or knows the
workflow: give it the events and the instant to judge at.

========================  =====  ==============================  ============================  ==========
clock                     rule   starts (restarts) on            stops on                      limit
========================  =====  ==============================  ============================  ==========
``booking_contact``       B3     accepted, resources_built,      contacted, booked,            per tier
                                 customer_absent (K3)            resource_notice_given
``resource_notice``       R1     resources_missing               resource_notice_given         per tier
``remote_follow_up``      F2     remote_guidance_given           followed_up                   30 min
``repair``                F4     reported                        cleared                       per tier
``arrival``               T2     booked, rescheduled,            arrived                       the window
                                 confirmed (C1)
``confirmation``          C1     booked, rescheduled             confirmed                     09:00 of
                                                                                               the day
``punctuality``           T2     confirmed                       arrived                       the hour's
                                                                                               start
``missed_window``         B8     a reschedule after the          (breached when it starts)     the window's
                                 window in force began                                         start
``missed_confirmation``   C1     a reschedule or new booking     (breached when it starts)     09:00 of the
                                 after a late or missing                                       old day
                                 confirmation
========================  =====  ==============================  ============================  ==========

Rules the clocks follow, each a decision written down once:

* **Pauses.** Only the customer pauses a clock (``clock_paused`` with reason
  ``customer_request`` or ``waiting_for_customer``); a pause with any other
  reason is ignored, so a provider delay never stops a clock. Pauses apply to
  the tiered clocks (B3, R1, F4) unless the event names its ``clocks``. Paused
  time is counted once even when pauses overlap, and a pause can only move a
  deadline later. While paused, the deadline shown is the one that holds if
  the clock resumed at ``at``.
* **Tier changes.** The tier in force when a clock starts governs it until it
  stops; a ``tier_changed`` event applies to clocks that start later. So an
  upgrade never breaches a clock retroactively, and a downgrade never extends one.
* **Service time.** A clock on service time counts only the open hours of
  :meth:`ServiceCalendar.for_clocks <fieldservice.servicecal.ServiceCalendar.for_clocks>`;
  its deadline is the instant the last needed second of open time ends. A repair
  clock (F4) on service time is also capped by the legal ceiling in wall time
  (:data:`~fieldservice.standard.LEGAL_REPAIR_CEILING`, extended by pauses).
* **Windows.** ``arrival`` follows the window in force: a reschedule opens a
  new clock for the new window. A reschedule made after the window in force
  began (B8: the customer is told beforehand) starts ``missed_window``, breached
  at once and for good, so a missed visit stays in every report judged later.
  ``confirmation`` (C1) is due at the standard's ``confirm_by`` of the visit
  day, and not started for a booking made after that instant. A reschedule (or
  a new booking after K3) restarts it for the new day; if the old day's
  confirmation came late or not at all, ``missed_confirmation`` keeps that
  breach, at once and for good, as ``missed_window`` keeps a missed window.
  ``punctuality``
  judges the arrival against the start of the confirmed hour plus the standard's
  ``arrival_tolerance`` (the card's "按约定时间或提前5分钟到达").
* **Judging.** Events after ``at`` are ignored. A clock is ``BREACHED`` once
  ``at`` is past its deadline (one second past is enough) or when it stopped
  after it; ``MET`` when it stopped at or before it; ``CANCELLED`` when the
  order was cancelled while it ran, before its deadline.

>>> import pendulum, fieldservice as fs
>>> from fieldservice.events import Event
>>> from fieldservice.sla import ClockName, evaluate
>>> at = pendulum.datetime(2026, 11, 24, 10, 0, tz="Asia/Shanghai")
>>> log = [Event("accepted", at, actor="desk", data={"tier": "diamond", "area": "city"})]
>>> report = evaluate(log, at=at.add(hours=1), standard=fs.ServiceStandard.default())
>>> status = report[ClockName.BOOKING_CONTACT]
>>> status.state, status.deadline.isoformat(), status.remaining
(<ClockState.RUNNING: 'running'>, '2026-11-24T14:00:00+08:00', datetime.timedelta(seconds=10800))
"""

# One concept per module (issue 14): the rules and the judgement of one clock (_clocks),
# an order's report (_report), batches and JSON lines (_batch), Arrow tables (_table),
# the compiled judge's tables (_kernel_tables) and a branch's summary (_summary).
from __future__ import annotations

from fieldservice.events import HasEvents
from fieldservice.sla._batch import (
    OrderClocks,
    OrderJudge,
    SlaBatch,
    breaches,
    evaluate_many,
    shown_id,
)
from fieldservice.sla._clocks import ClockName, ClockState
from fieldservice.sla._clocks import Orderish as Orderish
from fieldservice.sla._report import ClockStatus, Pause, SlaReport, evaluate
from fieldservice.sla._summary import SlaSummary, TierSummary, summarize
from fieldservice.sla._table import evaluate_table

COMPILED_FROM = 50_000
"""From this many orders (or rows of a table's part), the compiled judge is used when the
``fast`` extra is installed: below it, loading the compiled code (about 0.3 s from numba's
cache) costs more than it saves. Once loaded in a process, it judges every call.

>>> COMPILED_FROM
50000
"""

RELATIVE_ACCURACY = 0.01
"""The relative accuracy of :class:`SlaSummary`'s percentiles: a percentile it
gives is within 1 % of a value at that rank (DDSketch's guarantee)."""

__all__ = [
    "COMPILED_FROM",
    "RELATIVE_ACCURACY",
    "ClockName",
    "ClockState",
    "ClockStatus",
    "HasEvents",
    "OrderClocks",
    "OrderJudge",
    "Pause",
    "SlaBatch",
    "SlaReport",
    "SlaSummary",
    "TierSummary",
    "breaches",
    "evaluate",
    "evaluate_many",
    "evaluate_table",
    "shown_id",
    "summarize",
]

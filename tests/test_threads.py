"""Concurrency (issue 10): orders driven from 8 threads at once on the shared Machines show no cross-talk.

The thread-safety contract these tests hold the library to:

* **Values are immutable and shareable.** ``Customer``, ``Technician``, ``Event``,
  ``AppointmentWindow``, ``ArrivalWindow``, ``ServiceStandard``, ``Checklist``,
  ``WorkSheet``, ``Signature``, ``SlaReport``, ``SlaBatch`` and ``ReminderPlan`` never
  change after construction; any number of threads may read them at once.
* **Shared machinery is safe.** The two workflow Machines (``INSTALL_MACHINE``,
  ``REPAIR_MACHINE``) and the transition tables compiled from them are read-only after
  import, and no order ever joins a Machine; the service-calendar cache, its year tables
  and the holiday data are built under locks; the other caches are pure. Any number of
  threads may use the library at the same time, including its first use of a standard,
  a calendar year or a phone-number region.
* **A ``WorkOrder`` is a mutable entity with one writer.** Different orders may be
  driven from different threads at the same time with no cross-talk. Commands on
  *one* order must not run concurrently: serialize them (one thread per order, or a
  lock per order). A command replaces the order's state in one assignment, so a
  reader that takes ``order.events`` (an immutable tuple) gets a consistent log even
  while the owner thread issues commands; give readers that snapshot (or the order
  once its writer is done), not an order under change.
* **Pure functions are re-entrant.** ``sla.evaluate``/``evaluate_many``,
  ``reminders.plan``, ``calendar.to_ical``/``feed``, the ``check_*``/``validate_*``
  functions, ``next_windows`` and ``WorkOrder.from_json``/``from_events`` keep no state
  between calls and may run concurrently on the same inputs.

The tests start 8 threads together at a ``threading.Barrier``, with the interpreter's
switch interval lowered so that threads interleave often, on a standard that no
thread has used yet (its calendars are built by the racing threads), and compare
everything against the same work done on one thread. One test repeats this in a fresh
process, where nothing is cached or loaded yet. ``FIELDSERVICE_THREAD_ORDERS`` sets the
lifecycles per thread (80).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pendulum
import pytest
from test_roundtrip import DEFAULT, lifecycle, snapshot, technicians

import fieldservice as fs
from fieldservice import calendar, reminders, sla
from fieldservice.workflow import INSTALL_MACHINE, REPAIR_MACHINE, WorkOrder

THREADS = 8
ORDERS = int(os.environ.get("FIELDSERVICE_THREAD_ORDERS", "80"))
"""Lifecycles per thread."""
T = TypeVar("T")


@contextmanager
def busy_switching() -> Iterator[None]:
    """Make the interpreter switch threads very often, to shake out races."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def run_together(work: Callable[[int], T], threads: int = THREADS) -> list[T]:
    """Run ``work(k)`` on ``threads`` threads that start at one barrier; return the results."""
    barrier = threading.Barrier(threads)
    results: list[Any] = [None] * threads
    errors: list[BaseException] = []

    def run(k: int) -> None:
        try:
            barrier.wait()
            results[k] = work(k)
        except BaseException as err:  # reported by the main thread
            errors.append(err)
            barrier.abort()

    pool = [threading.Thread(target=run, args=(k,), name=f"fs-{k}") for k in range(threads)]
    with busy_switching():
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join(timeout=300)
    assert not any(t.is_alive() for t in pool), "a thread did not finish"
    if errors:
        raise errors[0]
    return results


def columns(batch: sla.SlaBatch) -> tuple[object, ...]:
    """A batch as comparable values (its deadline columns hold NaN, which never equals itself)."""
    fields = (batch.state, batch.deadline, batch.elapsed, batch.limit, batch.at_risk, batch.tier)
    return (
        batch.at,
        batch.ids,
        tuple(
            tuple((c.value, tuple(None if v != v else v for v in col[c])) for c in sla.ClockName)
            for col in fields
        ),
    )


def _fresh_standard(name: str) -> fs.ServiceStandard:
    # A value no cache has seen: the racing threads build its calendars.
    return DEFAULT.replace(name=name)


def _actors(tag: str) -> set[str]:
    t1, t2 = technicians(tag)
    roles = ("desk", "desk2", "desk3", "dispatch", "network")
    return {f"{role}-{tag}" for role in roles} | {t1.id, t2.id}


def _seeds(k: int) -> range:
    return range(k * 10_000, k * 10_000 + ORDERS)


def _drive(k: int, std: fs.ServiceStandard) -> list[tuple[WorkOrder, object, object, str]]:
    """Thread k's work: its orders through their lifecycles, and what the readers say of them."""
    tag = f"t{k}"
    done = []
    for seed in _seeds(k):
        order = lifecycle(seed, tag=tag, standard=std)
        last = order.events[-1].at
        report = sla.evaluate(order, at=last, standard=std)
        plan = reminders.plan(order, standard=std)
        done.append((order, report, plan, order.to_json(include_personal=True)))
    return done


def test_orders_driven_from_8_threads_at_once_show_no_cross_talk() -> None:
    std = _fresh_standard("threads-lifecycles")
    results = run_together(lambda k: _drive(k, std))
    for k, done in enumerate(results):
        tag = f"t{k}"
        allowed = _actors(tag)
        assert len(done) == ORDERS
        for order, report, plan, text in done:
            assert order.id.startswith(f"WO-{tag}-")
            # Every event was made by this thread's actors, and only its technicians work it.
            strangers = {e.actor for e in order.events} - allowed
            assert not strangers, (order.id, strangers)
            assert {t.id for t in order.technicians} <= allowed
            assert order.owner in allowed
            # The same lifecycle on one thread gives the same order, clocks and reminders.
            seed = int(order.id.rsplit("-", 1)[1])
            alone = lifecycle(seed, tag=tag, standard=std)
            assert snapshot(order) == snapshot(alone)
            assert text == alone.to_json(include_personal=True)
            last = alone.events[-1].at
            assert report == sla.evaluate(alone, at=last, standard=std)
            assert plan == reminders.plan(alone, standard=std)
    # The Machines are definitions only: no order ever joined one.
    assert INSTALL_MACHINE.models == []
    assert REPAIR_MACHINE.models == []


def _other_countries(k: int) -> fs.Customer:
    # Numbers of regions whose phone metadata may not be loaded yet: the threads load it.
    phones = {
        0: "+81 3-1234-5678",
        1: "+49 30 123456",
        2: "+33 1 23 45 67 89",
        3: "+55 11 91234-5678",
        4: "+61 2 9876 5432",
        5: "+82 2-312-3456",
        6: "+7 495 123-45-67",
        7: "+52 55 1234 5678",
    }
    return fs.Customer(
        id=f"C-intl-{k}",
        name=f"客户{k}号",
        phones=[phones[k % len(phones)], "138 0013 8000"],
        address=fs.Address(region="上海市浦东新区", detail=f"世纪大道 {k} 号"),
    )


def test_first_use_of_phone_regions_standards_and_calendar_years_from_8_threads() -> None:
    std = _fresh_standard("threads-first-use")
    at = pendulum.datetime(2025, 3, 3, 10, tz="Asia/Shanghai")

    def deadlines(k: int) -> list[str]:
        cal = fs.ServiceCalendar.for_clocks(std)
        return [
            cal.add_service_time(at.add(days=53 * k + d), pendulum.duration(hours=30)).isoformat()
            for d in range(0, 700, 97)  # reaches other years: tables extended concurrently
        ]

    def work(k: int) -> tuple[fs.Customer, tuple[fs.AppointmentWindow, ...], list[str]]:
        customer = _other_countries(k)
        windows = fs.next_windows(at.add(days=37 * k), std, count=6)
        return customer, windows, deadlines(k)

    results = run_together(work)
    for k, (customer, windows, found) in enumerate(results):
        assert customer == _other_countries(k)
        assert windows == fs.next_windows(at.add(days=37 * k), std, count=6)
        assert found == deadlines(k)


@pytest.fixture(scope="module")
def finished() -> list[WorkOrder]:
    return [lifecycle(seed) for seed in range(300)]


def test_readers_run_concurrently_on_shared_orders(finished: list[WorkOrder]) -> None:
    std = finished[0].standard
    # A batch is judged under one standard; the lifecycles use several.
    finished = [o for o in finished if o.standard == std]
    moments = [pendulum.datetime(2025, 6, 1, tz="Asia/Shanghai").add(days=41 * k) for k in range(8)]
    booked = [o for o in finished if calendar.visit_of(o) is not None and not o.state.is_final]
    texts = [o.to_json(include_personal=True) for o in finished[:60]]

    def read(k: int) -> tuple[object, ...]:
        return (
            [sla.evaluate_many(finished, at=moments[(k + j) % 8], standard=std) for j in range(3)],
            [reminders.plan(o, standard=std) for o in finished[k::8]],
            calendar.to_ical(booked[:40], itip=False),
            [snapshot(WorkOrder.from_json(t, standard=std)) for t in texts[k::8]],
            sla.evaluate(finished[k], at=moments[k], standard=std),
        )

    results = run_together(read)
    for k, (batches, plans, ics, restored, report) in enumerate(results):
        for j, batch in enumerate(batches):
            alone = sla.evaluate_many(finished, at=moments[(k + j) % 8], standard=std)
            assert columns(batch) == columns(alone)
        assert plans == [reminders.plan(o, standard=std) for o in finished[k::8]]
        assert ics == calendar.to_ical(booked[:40], itip=False)
        assert restored == [snapshot(o) for o in finished[:60][k::8]]
        assert report == sla.evaluate(finished[k], at=moments[k], standard=std)


def test_one_order_shared_by_8_threads_with_a_lock_per_order_keeps_every_event() -> None:
    """The contract's pattern for one order and many threads: serialize its commands."""
    customer = _other_countries(0)
    at = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")
    order = WorkOrder.install(
        id="WO-shared", customer=customer, products={"broadband"}, accepted_at=at, by="desk-0"
    )
    lock = threading.Lock()
    rounds = 25

    def work(k: int) -> None:
        for _ in range(rounds):
            with lock:
                moment = order.events[-1].at.add(seconds=1)
                order.pause_clocks("customer_request", at=moment, by=f"desk-{k}")
                order.resume_clocks(at=moment.add(seconds=1), by=f"desk-{k}")

    run_together(work)
    assert len(order.events) == 1 + THREADS * rounds * 2
    kinds = [e.kind.value for e in order.events[1:]]
    assert kinds == ["clock_paused", "clock_resumed"] * (THREADS * rounds)
    back = WorkOrder.from_events(id=order.id, customer=customer, events=order.events)
    assert snapshot(back) == snapshot(order)


def cold_start() -> None:
    """The tests above that race on first use, in a process where nothing is loaded yet."""
    test_first_use_of_phone_regions_standards_and_calendar_years_from_8_threads()
    test_orders_driven_from_8_threads_at_once_show_no_cross_talk()


def test_cold_start_in_a_fresh_process() -> None:
    tests = Path(__file__).parent
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "import test_threads; test_threads.cold_start(); print('ok')"
    )
    env = {**os.environ, "FIELDSERVICE_THREAD_ORDERS": "25"}
    done = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error", "-c", code, str(tests)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("ok")

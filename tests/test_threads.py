"""Concurrency: orders driven from 8 threads at once on the shared Machines show no cross-talk.

The contract (SECURITY.md): the workflow definitions and every value are immutable and
shared; a WorkOrder is driven by one thread at a time; evaluate_many keeps no state.
"""

from __future__ import annotations

import threading

import pendulum

import fieldservice as fs
from fieldservice.events import EventKind
from fieldservice.sla import ClockName, evaluate, evaluate_many
from fieldservice.workflow import INSTALL_MACHINE, REPAIR_MACHINE

THREADS = 8
ORDERS_PER_THREAD = 25
TZ = "Asia/Shanghai"
STD = fs.ServiceStandard.default()
LABEL = fs.ModemLabel("AD0001", "ad0001@bb", "pw-1")


def lifecycle(worker: int, n: int) -> fs.WorkOrder:
    actor = f"T{worker}"
    t = pendulum.datetime(2026, 11, 24, 9, tz=TZ).add(minutes=worker)
    cust = fs.Customer(
        id=f"C-{worker}-{n}",
        name="客户",
        tier=list(fs.Tier)[worker % 4],
        phones="13800138000",
        address="x",
    )
    order = fs.WorkOrder.install(
        id=f"WO-{worker}-{n}", customer=cust, products={"broadband"}, accepted_at=t, by=actor
    )
    order.check_resources(True, at=t.add(minutes=1), by=actor)
    order.contact_customer(at=t.add(minutes=2), by=actor)
    order.book(("2026-11-25", "afternoon"), at=t.add(minutes=3), by=actor)
    tech = fs.Technician(id=actor, name="师傅", certificate=f"ZW-{worker}")
    order.assign([tech], contact=tech, at=t.add(minutes=4), by=actor)
    day = pendulum.datetime(2026, 11, 25, 8, tz=TZ)
    order.confirm(14, at=day, by=actor)
    order.depart(at=day.add(hours=5), by=actor)
    order.arrive(at=day.add(hours=5, minutes=50), by=actor)
    order.enter(at=day.add(hours=5, minutes=52), by=actor)
    order.start_work(at=day.add(hours=6), by=actor)
    moment = day.add(hours=6, minutes=1)
    for item in order.checklist.missing():
        evidence = {"optical_power_dbm": -18.0} if item.id == "S5" else None
        label = LABEL if item.id == "L1" else None
        order.tick(item.id, at=moment, by=actor, evidence=evidence, label=label)
    sheet = fs.WorkSheet(technicians=(actor,)).with_opinion(fs.CustomerOpinion(True))
    order.fill_worksheet(sheet, at=moment, by=actor)
    order.finish_work(at=moment, by=actor)
    order.sign(signer="客户", role="customer", at=moment.add(minutes=1), by=actor)
    order.complete(at=moment.add(minutes=2), by=actor)
    return order


def test_eight_threads_drive_orders_without_cross_talk() -> None:
    start = threading.Barrier(THREADS)
    results: dict[int, list[fs.WorkOrder]] = {}
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            start.wait()
            results[worker] = [lifecycle(worker, n) for n in range(ORDERS_PER_THREAD)]
        except BaseException as err:  # reported by the main thread
            errors.append(err)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for worker, orders in results.items():
        for order in orders:
            assert order.state is fs.State.COMPLETED
            # Every event of the order is its own thread's: nothing crossed over.
            assert {e.actor for e in order.events} == {f"T{worker}"}
            assert order.events[0].at.minute == worker
            assert [e.kind for e in order.events].count(EventKind.COMPLETED) == 1
    assert INSTALL_MACHINE.models == []
    assert REPAIR_MACHINE.models == []


def test_evaluate_many_from_eight_threads_gives_the_single_thread_answer() -> None:
    orders = [lifecycle(w, n) for w in range(2) for n in range(10)]
    at = pendulum.datetime(2026, 11, 26, tz=TZ)
    expected = [evaluate(o, at=at, standard=STD)[ClockName.ARRIVAL].state for o in orders]
    start = threading.Barrier(THREADS)
    seen: list[list[object]] = []

    def work() -> None:
        start.wait()
        seen.extend(
            evaluate_many(orders, at=at, standard=STD).states(ClockName.ARRIVAL) for _ in range(5)
        )

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == THREADS * 5
    assert all(states == expected for states in seen)

"""Nothing lost (issue 10): random lifecycles survive JSON with state, events, SLA and reminders.

Each lifecycle is a random prefix of the install/move or repair command path
(resources, booking, reschedules, the visit, the checklist, sign-off, closing,
with random pauses, hand-overs, tier changes, absences and cancellations) at
random times, driven through the real ``WorkOrder`` commands. It is written
with ``to_json(include_personal=True)`` and read back with ``from_json``; the
restored order must have the same state, the same events (``==``), write the
same JSON again, and give the same SLA report (``sla.evaluate`` at the last
event) and the same reminder plan (``reminders.plan``).

How many, set by environment variables (the CI defaults are the issue's):

* ``FIELDSERVICE_ROUNDTRIP_COUNT`` (100000): lifecycles checked for state,
  events and JSON;
* ``FIELDSERVICE_ROUNDTRIP_SLA_EVERY`` (10): every n-th of them is also
  checked for the SLA report and the reminder plan (1 checks all; they cost
  as much again as the rest);
* ``FIELDSERVICE_ROUNDTRIP_WORKERS`` (the CPU count, at most 4): processes
  that share the work; 1 runs it in the test process.

Each lifecycle is a pure function of its seed: a failure names the seed, and
``check_round_trip(lifecycle(seed), deep=True)`` replays it.

The lifecycle generator lives here and the other issue-10 suites
(``test_fuzz``, ``test_leaks``, ``test_threads``) import it from this module.
"""

from __future__ import annotations

import collections
import concurrent.futures
import copy
import datetime as dt
import itertools
import math
import multiprocessing
import os
import pickle
import random
import time
import traceback
from collections.abc import Callable
from typing import Any

import pendulum
import pytest

import fieldservice as fs
from fieldservice import reminders, sla
from fieldservice.events import EventKind
from fieldservice.workflow import State

TZ = "Asia/Shanghai"
DEFAULT = fs.ServiceStandard.default()
BRANCH = DEFAULT.replace(
    name="branch-late",
    quiet_hours=DEFAULT.quiet_hours.with_start(dt.time(21)),
    lead_time=dt.timedelta(hours=48),
)
STANDARDS = (DEFAULT, BRANCH)

# Personal data, distinct enough that a leak scan cannot mistake anything else for it.
CUSTOMERS = (
    fs.Customer(
        id="C-1",
        name="欧阳娜娜",
        tier="diamond",
        phones=("138 0013 8000", "010-8888 6666"),
        address=fs.Address(region="上海市浦东新区", detail="张江路 100 弄 5 号 302"),
    ),
    fs.Customer(
        id="C-2",
        name="司马懿",
        tier="gold",
        phones="+86 139 0139 0000",
        address=fs.Address(region="北京市海淀区", detail="中关村大街 27 号 1101 室"),
        area="countryside",
        language="yue",
    ),
    fs.Customer(
        id="C-3",
        name="诸葛孔明",
        tier="silver",
        phones=["021-6888 1234"],
        address="锦里西路 9 号 3 栋",
    ),
    fs.Customer(
        id="C-4",
        name="Zoë O'Brien-Ünal",
        tier="ordinary",
        phones="+44 20 7946 0018",
        address=fs.Address(region="London", detail="221B Baker Street, Flat 2"),
        language="en-GB",
        area="countryside",
    ),
)
TECHNICIAN_NAMES = (("慕容复", "137 0013 7000"), ("独孤求败", None))
PASSWORDS = ("Pw-k3y-9Q#Zx", "Pw-7yT!qq-2v", "Pw-m0d3m-Ü8")
LABELS = tuple(
    fs.ModemLabel(f"AD0211234567{i}", f"ad0211234567{i}@bb", pw) for i, pw in enumerate(PASSWORDS)
)
NOTES = ("二楼有狗", "Gate code at the desk", "请先电话联系 🙂", "line one\nline two")
TRAVEL = dt.timedelta(minutes=35)

_TECHNICIANS: dict[str, tuple[fs.Technician, fs.Technician]] = {}


def technicians(tag: str) -> tuple[fs.Technician, fs.Technician]:
    """The two technicians of actor tag ``tag``, IDs ``T-<tag>-1`` and ``T-<tag>-2``."""
    found = _TECHNICIANS.get(tag)
    if found is None:
        (n1, p1), (n2, p2) = TECHNICIAN_NAMES
        found = (
            fs.Technician(id=f"T-{tag}-1", name=n1, certificate=f"ZW-{tag}-1", phone=p1),
            fs.Technician(id=f"T-{tag}-2", name=n2, certificate=f"ZW-{tag}-2", phone=p2),
        )
        _TECHNICIANS[tag] = found
    return found


class _Stop(Exception):
    """The lifecycle's random prefix is complete."""


class _Life:
    """Drives one order with random choices; every actor ID carries the tag."""

    def __init__(self, rng: random.Random, order: fs.WorkOrder, limit: int, tag: str) -> None:
        self.rng = rng
        self.order = order
        self.limit = limit
        self.tag = tag
        self.done = 0
        self.t: pendulum.DateTime = order.events[-1].at
        self.techs = technicians(tag)
        # The rare records (O1, G5, S9) draw from their own generator: the path that
        # ``rng`` drives stays what it was for every seed.
        self.side = random.Random(f"{order.id}-side")

    def actor(self, role: str) -> str:
        return f"{role}-{self.tag}"

    def when(self, lo: int = 1, hi: int = 240) -> pendulum.DateTime:
        r = self.rng.random()
        if r < 0.05:
            minutes = 0 if lo <= 1 else lo  # two events at one instant are allowed
        elif r < 0.12:
            minutes = self.rng.randint(600, 5 * 24 * 60)  # long gaps breach clocks
        else:
            minutes = self.rng.randint(lo, hi)
        self.t = self.t + dt.timedelta(minutes=minutes)
        return self.t

    def run(self, command: str, *args: Any, **kwargs: Any) -> None:
        """One command of the path, unless the prefix ends here (or a random cancel)."""
        if self.done >= self.limit:
            raise _Stop
        self.done += 1
        if self.rng.random() < 0.015 and "cancel" in self.order.allowed_commands():
            reason = self.rng.choice(("客户撤单", "duplicate order"))
            self.order.cancel(at=self.when(), by=self.order.owner, reason=reason)
            raise _Stop
        getattr(self.order, command)(*args, **kwargs)

    def do(self, command: str, *args: Any, lo: int = 1, hi: int = 240, **kwargs: Any) -> None:
        self.run(command, *args, at=self.when(lo, hi), **kwargs)

    def extras(self) -> None:
        """What may happen to any open order: clocks paused (G4), hand-over (G2), tier (G3)."""
        rng = self.rng
        if rng.random() < 0.12:
            reason = rng.choice(("customer_request", "waiting_for_customer"))
            self.do("pause_clocks", reason, by=self.order.owner)
            if rng.random() < 0.8:
                self.do("resume_clocks", by=self.order.owner, lo=5, hi=900)
        if rng.random() < 0.06:
            to = self.actor(rng.choice(("desk2", "desk3")))
            self.do("hand_over", to, by=self.order.owner)
        if rng.random() < 0.05:
            self.do("change_tier", rng.choice(list(fs.Tier)), by=self.order.owner)

    def window(self, at: pendulum.DateTime) -> fs.AppointmentWindow:
        return self.rng.choice(fs.next_windows(at, self.order.standard, count=3))

    def rare(self, where: str, tech: str | None = None) -> None:
        """Now and then, a record that changes no state: O1 before booking, G5 and S9 on site."""
        side = self.side
        if self.done >= self.limit or side.random() >= 0.1:
            return
        self.t = self.t + dt.timedelta(minutes=1)
        if where == "booking":
            via = side.choice(("system", "dispatcher"))
            self.order.check_customer_data(via, at=self.t, by=self.order.owner)
        elif side.random() < 0.5:
            self.order.use_customer_phone(at=self.t, by=tech, consent=True, purpose="10000")
        else:
            self.order.record_out_of_scope(
                "帮忙修电视", at=self.t, by=tech, explanation="不在装维服务范围内"
            )

    def book(self) -> None:
        self.rare("booking")
        if self.rng.random() < 0.7:
            note = self.rng.choice((None, *NOTES))
            self.do("contact_customer", by=self.order.owner, note=note)
        self.extras()
        at = self.when()
        self.run("book", self.window(at), at=at, by=self.order.owner)
        t1, t2 = self.techs
        crew = [t1, t2] if self.rng.random() < 0.6 else [self.rng.choice((t1, t2))]
        contact = self.rng.choice(crew)
        self.do(
            "assign",
            crew,
            contact=contact if self.rng.random() < 0.5 else contact.id,
            by=self.actor("dispatch"),
            hi=60,
        )

    def reschedule(self) -> None:
        at = self.when(1, 120)
        party = self.rng.choice(list(fs.Party))
        reason = self.rng.choice(("客户出差", "technician ill", "线路抢修"))
        self.run(
            "reschedule",
            self.window(at),
            at=at,
            by=self.order.owner,
            requested_by=party,
            reason=reason,
            consent=True,
        )

    def confirm(self) -> fs.ArrivalWindow:
        booking = next(
            e
            for e in reversed(self.order.events)
            if e.kind in (EventKind.BOOKED, EventKind.RESCHEDULED)
        )
        earliest = pendulum.parse(booking.data["start"]).in_timezone(self.order.standard.timezone)
        end = pendulum.parse(booking.data["end"]).in_timezone(self.order.standard.timezone)
        hours = [h for h in range(24) if earliest <= earliest.set(hour=h, minute=0) < end]
        if hours:
            hour = self.rng.choice(hours)
            start: pendulum.DateTime = earliest.set(hour=hour, minute=0)
            arg: int | dt.time = hour
        else:
            start, arg = earliest, dt.time(earliest.hour, earliest.minute)
        room = int((start - self.t).total_seconds() // 60) - 1
        if room < 1:  # the time has passed: rebook first (B8/B9)
            self.reschedule()
            return self.confirm()
        self.t = self.t + dt.timedelta(minutes=self.rng.randint(1, min(room, 2000)))
        self.run("confirm", arg, at=self.t, by=self.techs[0].id)
        assert self.order.arrival is not None
        return self.order.arrival

    def visit(self) -> None:
        """From booking to sign-off, with reschedules and absences (B2-B9, C1, T, K, S, L, W)."""
        rng = self.rng
        for _ in range(3):
            self.book()
            if rng.random() < 0.15:
                self.reschedule()
            self.confirm()
            tech = self.techs[0].id
            if rng.random() < 0.05:
                self.reschedule()
                self.confirm()
            self.do(
                "depart",
                by=tech,
                hi=120,
                travel=rng.choice((None, TRAVEL, dt.timedelta(minutes=rng.randint(5, 90)))),
            )
            if rng.random() < 0.15:
                self.do(
                    "report_delay",
                    rng.choice(("traffic", "weather")),
                    by=tech,
                    hi=30,
                    minutes=rng.randint(5, 60),
                    customer_told=True,
                )
            self.do("arrive", by=tech, hi=120)
            if rng.random() >= 0.1:
                break
            self.do(
                "customer_absent",
                by=tech,
                lo=3,
                hi=30,
                note_left=True,
                neighbours_asked=rng.random() < 0.5,
            )
            self.extras()
        else:
            raise _Stop
        self.do("enter", by=tech, hi=10)
        self.do("start_work", by=tech, hi=15)
        self.rare("site", tech)
        self.work(tech)

    def work(self, tech: str) -> None:
        rng = self.rng
        order = self.order
        broadband_repair = (
            order.kind is fs.OrderKind.REPAIR and fs.Product.BROADBAND in order.products
        )
        if broadband_repair and rng.random() < 0.5:
            self.do("report_finding", fs.Finding.LABEL_MISSING, by=tech, hi=5)
        if rng.random() < 0.2:
            self.do("report_finding", "lightning_protection", by=tech, hi=5)
        if rng.random() < 0.1:  # outdoor line or port work (S8)
            self.do(
                "leave_temporarily",
                "外线端口施工",
                by=tech,
                hi=10,
                customer_told=True,
                minutes=rng.randint(5, 60),
            )
        label = rng.choice(LABELS)
        for item in order.checklist.items:
            if not item.is_open:
                continue
            r = rng.random()
            if item.id in ("S2", "L1", "L2", "L3") and r < 0.15:
                told = {"hotline_told": True} if item.id.startswith("L") else {}
                self.do(
                    "decline", item.id, by=tech, hi=5, reason="用户赶时间,已告知10000热线", **told
                )
            elif item.id in ("S4", "S6", "S7", "L3") and r < 0.3:
                self.do("mark_not_applicable", item.id, by=tech, hi=5, reason="沿用原有布线")
            elif item.required or r < 0.5:
                evidence: dict[str, object] | None = None
                if item.id == "S5":
                    evidence = rng.choice(
                        ({"optical_power_dbm": -18.5}, {"dial_tone": True}, {"speed_mbps": 300})
                    )
                elif r < 0.1:
                    evidence = {"photo": f"IMG_{rng.randint(1000, 9999)}.jpg"}
                self.do(
                    "tick",
                    item.id,
                    by=tech,
                    hi=5,
                    evidence=evidence,
                    label=label if item.id in ("L1", "L2") else None,
                )
        sheet = fs.WorkSheet(technicians=[t.id for t in order.technicians])
        if rng.random() < 0.7:
            sheet = sheet.add_material("皮线光缆", rng.choice((20, "12.5", "0.0001")), "m")
        if rng.random() < 0.5:
            sheet = sheet.add_parameter("收光功率", "-18.5", "dBm")
        opinion = (
            fs.CustomerOpinion(True)
            if rng.random() < 0.8
            else fs.CustomerOpinion(
                False, remedy=rng.choice(list(fs.Remedy)), action="重新整理了走线"
            )
        )
        self.do("fill_worksheet", sheet.with_opinion(opinion), by=tech, hi=10)
        self.do("finish_work", by=tech, hi=10)
        name = order.customer.name
        self.do("sign", signer=name, role="customer", by=tech, hi=5)
        if rng.random() < 0.05:  # a change after signing voids the signature (W2): sign again
            self.do("fill_worksheet", order.worksheet.add_parameter("VLAN", "100"), by=tech, hi=5)
            self.do("sign", signer="代签人", role="proxy", by=tech, hi=5)
        self.do("complete", by=tech, hi=5)
        self.do("close", by=self.order.owner, lo=30, hi=3000)

    def install(self) -> None:
        rng = self.rng
        self.extras()
        available = rng.random() < 0.75
        gap = None if available or rng.random() < 0.3 else "FTTH 分光器端口不足"
        self.do(
            "check_resources", available, by=self.order.owner, immediate=rng.random() < 0.3, gap=gap
        )
        if not available:
            if rng.random() < 0.8:
                self.do("notify_resources_missing", by=self.order.owner)
            if rng.random() < 0.5:
                self.do("record_resource_gap", "需新建光交箱", by=self.order.owner)
            self.do("resources_built", by=self.actor("network"), lo=600, hi=20000)
        self.visit()

    def repair(self) -> None:
        rng = self.rng
        self.extras()
        remote = rng.random() < 0.6
        self.do("triage", remote_possible=remote, by=self.order.owner, hi=60)
        if remote and rng.random() < 0.85:
            self.do("guide", by=self.order.owner, hi=30)
            solved = rng.random() < 0.5
            self.do("follow_up", solved=solved, by=self.order.owner, lo=5, hi=90)
            if solved:
                self.do("close", by=self.order.owner, lo=30, hi=3000)
                return
        else:
            self.do("request_visit", by=self.order.owner, reason="用户不愿远程操作")
        self.visit()


def lifecycle(
    seed: int, *, tag: str = "x", standard: fs.ServiceStandard | None = None
) -> fs.WorkOrder:
    """A random lifecycle prefix, a pure function of ``seed`` (and ``tag``, ``standard``).

    Every actor ID of its events ends in ``-<tag>`` (or is ``T-<tag>-n``).
    """
    rng = random.Random(seed)
    std = rng.choice(STANDARDS) if standard is None else standard
    customer = rng.choice(CUSTOMERS)
    kind = rng.choice(("install", "move", "repair"))
    products = rng.choice(
        (
            {"broadband"},
            {"fixed_line"},
            {"iptv"},
            {"broadband", "fixed_line"},
            {"broadband", "iptv", "fixed_line"},
        )
    )
    # Years whose holidays the calendar knows, well inside them (no clock reaches 2027).
    t0 = pendulum.datetime(2024, 1, 1, tz=TZ) + dt.timedelta(
        minutes=rng.randrange(0, 2 * 366 * 24 * 60 + 200 * 24 * 60)
    )
    by = f"desk-{tag}"
    order_id = f"WO-{tag}-{seed}"
    if kind == "repair":
        order = fs.WorkOrder.repair(
            id=order_id, customer=customer, products=products, reported_at=t0, by=by, standard=std
        )
    else:
        make = fs.WorkOrder.install if kind == "install" else fs.WorkOrder.move
        order = make(
            id=order_id, customer=customer, products=products, accepted_at=t0, by=by, standard=std
        )
    life = _Life(rng, order, rng.randint(0, 45), tag)
    try:
        if kind == "repair":
            life.repair()
        else:
            life.install()
    except _Stop:
        pass
    return order


def snapshot(order: fs.WorkOrder) -> tuple[object, ...]:
    """Everything an order is, as values to compare."""
    return (
        order.id,
        order.kind,
        order.state,
        order.events,
        tuple(e.at.isoformat() for e in order.events),
        order.products,
        order.owner,
        order.tier,
        order.customer,
        order.technicians,
        order.contact,
        order.checklist,
        order.worksheet,
        order.signature,
        order.window,
        order.arrival,
        order.reschedules,
        order.allowed_commands(),
    )


def check_round_trip(order: fs.WorkOrder, *, deep: bool) -> None:
    """Assert that JSON loses nothing; ``deep`` adds the SLA report and the reminder plan."""
    std = order.standard
    text = order.to_json(include_personal=True)
    back = fs.WorkOrder.from_json(text, standard=std)
    assert snapshot(back) == snapshot(order)
    assert back.to_json(include_personal=True) == text
    assert back.to_json() == order.to_json()
    if deep:
        # Issue 14: an order crosses a process boundary (multiprocessing, dask) whole, made
        # by commands or restored, evidence, labels and signatures included.
        for made in (order, back):
            for again in (pickle.loads(pickle.dumps(made)), copy.deepcopy(made)):
                assert snapshot(again) == snapshot(made)
                assert again.to_json(include_personal=True) == text
        last = order.events[-1].at
        assert sla.evaluate(back, at=last, standard=std) == sla.evaluate(
            order, at=last, standard=std
        )
        later = last + dt.timedelta(hours=30)
        assert sla.evaluate(back, at=later, standard=std) == sla.evaluate(
            order, at=later, standard=std
        )
        assert reminders.plan(back, standard=std) == reminders.plan(order, standard=std)
        assert reminders.plan(back, standard=std, travel=TRAVEL) == reminders.plan(
            order, standard=std, travel=TRAVEL
        )


# --- the 100,000 ------------------------------------------------------------------------------

COUNT = int(os.environ.get("FIELDSERVICE_ROUNDTRIP_COUNT", "100000"))
SLA_EVERY = max(1, int(os.environ.get("FIELDSERVICE_ROUNDTRIP_SLA_EVERY", "10")))
WORKERS = max(1, int(os.environ.get("FIELDSERVICE_ROUNDTRIP_WORKERS", min(os.cpu_count() or 1, 4))))


def _check_range(start: int, stop: int, every: int) -> dict[str, Any]:
    """Check the lifecycles with seeds ``start`` to ``stop - 1``; return counts and failures."""
    began = time.process_time()
    checked = deep = events = 0
    states: collections.Counter[str] = collections.Counter()
    kinds: set[str] = set()
    failures: list[tuple[int, str]] = []
    for seed in range(start, stop):
        try:
            order = lifecycle(seed)
            check_round_trip(order, deep=seed % every == 0)
        except Exception:  # every failure is reported with its seed
            failures.append((seed, traceback.format_exc(limit=6)))
            continue
        checked += 1
        deep += seed % every == 0
        events += len(order.events)
        states[f"{order.kind.value}:{order.state.value}"] += 1
        kinds.update(e.kind.value for e in order.events)
    return {
        "checked": checked,
        "deep": deep,
        "events": events,
        "states": states,
        "kinds": kinds,
        "failures": failures[:5],
        "failed": len(failures),
        "cpu": time.process_time() - began,
    }


def _merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {
        "checked": 0,
        "deep": 0,
        "events": 0,
        "states": collections.Counter(),
        "kinds": set(),
        "failures": [],
        "failed": 0,
        "cpu": 0.0,
    }
    for part in parts:
        for key in ("checked", "deep", "events", "failed", "cpu"):
            total[key] += part[key]
        total["states"].update(part["states"])
        total["kinds"] |= part["kinds"]
        total["failures"] += part["failures"]
    return total


def _run_all(count: int, every: int, workers: int) -> dict[str, Any]:
    if workers == 1 or count < 2000:
        return _check_range(0, count, every)
    chunks = workers * 4
    bounds = [count * i // chunks for i in range(chunks + 1)]
    # spawn, not fork: a forked test process may hold locks of other threads.
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        futures = [
            pool.submit(_check_range, lo, hi, every) for lo, hi in itertools.pairwise(bounds)
        ]
        return _merge([f.result() for f in futures])


def test_lifecycles_restored_from_json_lose_nothing(record_property: Callable[..., None]) -> None:
    began = time.perf_counter()
    result = _run_all(COUNT, SLA_EVERY, WORKERS)
    wall = time.perf_counter() - began
    summary = (
        f"{result['checked']} lifecycles ({result['events']} events) restored from JSON with "
        f"identical state, events and JSON; {result['deep']} (every {SLA_EVERY}th) also with "
        f"identical SLA reports and reminder plans; {WORKERS} worker(s), {wall:.1f} s wall, "
        f"{result['cpu']:.1f} s CPU in the checks"
    )
    print(summary)  # shown with pytest -s
    record_property("roundtrip", summary)
    failures = "\n".join(f"seed {seed}:\n{text}" for seed, text in result["failures"])
    assert result["failed"] == 0, (
        f"{result['failed']} lifecycles lost something; replay one with "
        f"check_round_trip(lifecycle(seed), deep=True)\n{failures}"
    )
    assert result["checked"] == COUNT
    assert result["deep"] == math.ceil(COUNT / SLA_EVERY)
    if COUNT >= 10_000:
        # The generator reaches every state of both workflows and every kind of event.
        reached = {s.split(":")[1] for s in result["states"]}
        assert reached == {s.value for s in State}, sorted({s.value for s in State} - reached)
        assert result["kinds"] == {k.value for k in EventKind}, sorted(
            {k.value for k in EventKind} - result["kinds"]
        )


@pytest.mark.parametrize("seed", range(40))
def test_a_lifecycle_replays_from_its_seed_and_restores_in_full(seed: int) -> None:
    order = lifecycle(seed)
    assert snapshot(lifecycle(seed)) == snapshot(order)
    check_round_trip(order, deep=True)
    back = fs.WorkOrder.from_events(
        id=order.id,
        customer=order.customer,
        events=order.events,
        standard=order.standard,
        technicians=order.technicians,
    )
    assert snapshot(back) == snapshot(order)


# --- a big restore and the cycle collector --------------------------------------------
# A restore of thousands of events pauses the collector (fieldservice._nogc): it must give
# it back as it found it, whether the restore succeeds or is refused half-way.


def _paused_repair_json(events: int) -> dict[str, Any]:
    """A repair whose clocks the customer pauses and resumes until it has ``events`` events."""
    t = pendulum.datetime(2026, 11, 24, 10, 30, tz="Asia/Shanghai")
    cust = fs.Customer(id="C1", name="张三", phones="13800138000", address="幸福路 1 号")
    order = fs.WorkOrder.repair(
        id="WO-9", customer=cust, products={"broadband"}, reported_at=t, by="hotline-3"
    )
    data = order.to_dict(include_personal=True)
    first = data["events"][0]
    for i in range(1, events):
        at = t.add(seconds=i).isoformat()
        kind, body = (
            ("clock_paused", {"reason": "customer_request"}) if i % 2 else ("clock_resumed", {})
        )
        data["events"].append({"kind": kind, "at": at, "actor": first["actor"], "data": body})
    return data


@pytest.mark.parametrize("collector_on", [True, False])
def test_a_big_restore_leaves_the_cycle_collector_as_it_found_it(collector_on: bool) -> None:
    import gc
    import json

    data = _paused_repair_json(5_000)
    text = json.dumps(data, ensure_ascii=False)
    was = gc.isenabled()
    try:
        gc.enable() if collector_on else gc.disable()
        restored = fs.WorkOrder.from_json(text)
        assert len(restored.events) == 5_000
        assert gc.isenabled() is collector_on
        again = fs.WorkOrder.from_events(
            id=restored.id, customer=restored.customer, events=restored.events
        )
        assert again.events == restored.events
        assert gc.isenabled() is collector_on
        data["events"][4_000]["kind"] = "no_such_kind"  # refused deep into the log
        with pytest.raises(fs.InvalidEvent):
            fs.WorkOrder.from_dict(data)
        assert gc.isenabled() is collector_on
    finally:
        gc.enable() if was else gc.disable()


def test_overlapping_big_restores_give_the_collector_back_when_the_last_one_ends() -> None:
    # Two threads restoring big orders: the first to finish must not turn the collector on
    # under the second, nor leave it off after both.
    import gc

    from fieldservice._nogc import MANY, Pause

    was = gc.isenabled()
    try:
        gc.enable()
        first, second = Pause(MANY), Pause(MANY)
        first.__enter__()
        second.__enter__()
        first.__exit__(None, None, None)  # out of order, as threads end
        assert not gc.isenabled()
        second.__exit__(None, None, None)
        assert gc.isenabled()
        gc.disable()  # an application that runs without it keeps it off
        with Pause(MANY):
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable() if was else gc.disable()


# --- a copy carries on: every command still works on a pickled or copied order -----------------


def _install_steps() -> list[Callable[[fs.WorkOrder], object]]:
    """The commands of one install, each a function of the order, in time order."""

    def t(day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
        return pendulum.datetime(2026, 11, day, hour, minute, tz=TZ)

    t7 = fs.Technician(id="T7", name="王五", certificate="ZW-7", phone="139 0139 0000")
    t8 = fs.Technician(id="T8", name="赵六", certificate="ZW-8")
    label = fs.ModemLabel("AD02112345678", "ad02112345678@bb", "k3y-9Q")
    sheet = fs.WorkSheet(technicians=("T7", "T8")).add_material("皮线光缆", 20, "m")
    sheet = sheet.with_opinion(fs.CustomerOpinion(True))
    window = fs.AppointmentWindow(dt.date(2026, 11, 26), "afternoon")
    steps: list[Callable[[fs.WorkOrder], object]] = [
        lambda o: o.check_resources(True, at=t(24, 10, 1), by="desk-1"),
        lambda o: o.contact_customer(at=t(24, 10, 20), by="desk-1", note="二楼"),
        lambda o: o.book(window, at=t(24, 10, 30), by="desk-1"),
        lambda o: o.assign([t7, t8], contact=t7, at=t(24, 11), by="dispatch-1"),
        lambda o: o.confirm(14, at=t(26, 8, 30), by="T7"),
        lambda o: o.depart(at=t(26, 13, 20), by="T7", travel=dt.timedelta(minutes=30)),
        lambda o: o.arrive(at=t(26, 13, 55), by="T7"),
        lambda o: o.enter(at=t(26, 14), by="T7"),
        lambda o: o.start_work(at=t(26, 14, 5), by="T7"),
    ]
    minute = 10
    for item in fs.Checklist.for_order(fs.OrderKind.INSTALL, [fs.Product.BROADBAND]).items:
        evidence = {"download_mbps": 300} if item.rule == "S5" else None
        stuck = label if item.rule == "L1" else None
        steps.append(
            lambda o, i=item.id, m=minute, e=evidence, s=stuck: o.tick(
                i, at=t(26, 14, m), by="T7", evidence=e, label=s
            )
        )
        minute += 2
    steps += [
        lambda o: o.fill_worksheet(sheet, at=t(26, 15, 10), by="T7"),
        lambda o: o.finish_work(at=t(26, 15, 20), by="T7"),
        lambda o: o.sign(signer="张三", role="customer", at=t(26, 15, 25), by="T7"),
        lambda o: o.complete(at=t(26, 15, 30), by="T7"),
        lambda o: o.close(at=t(27, 9), by="desk-1"),
    ]
    return steps


@pytest.mark.parametrize("how", ["deepcopy", "copy", "pickle"])
def test_a_copied_order_takes_every_later_command_as_the_original_does(how: str) -> None:
    # The integrator probe: after copy.deepcopy, confirm() said booked_at was naive (pendulum
    # drops a stdlib fixed offset when it deep-copies a DateTime).
    copier: Callable[[fs.WorkOrder], fs.WorkOrder] = {
        "deepcopy": copy.deepcopy,
        "copy": copy.copy,
        "pickle": lambda o: pickle.loads(pickle.dumps(o)),
    }[how]
    steps = _install_steps()
    start = pendulum.datetime(2026, 11, 24, 10, tz=TZ)
    customer = CUSTOMERS[0]

    def opened() -> fs.WorkOrder:
        return fs.WorkOrder.install(
            id="WO-C", customer=customer, products={"broadband"}, accepted_at=start, by="desk-1"
        )

    whole = opened()
    for step in steps:
        step(whole)
    assert whole.state is State.CLOSED
    expected = whole.to_json(include_personal=True)
    for cut in range(len(steps) + 1):
        order = opened()
        for step in steps[:cut]:
            step(order)
        copied = copier(order)
        for step in steps[cut:]:
            step(copied)
        assert copied.to_json(include_personal=True) == expected, f"copied after step {cut}"
        assert snapshot(copied) == snapshot(whole)

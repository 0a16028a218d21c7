"""iCalendar export of 10,000 visits with alarms, against a bare icalendar loop.

    python benchmarks/bench_ics.py            # 10,000 visits
    python benchmarks/bench_ics.py --quick    # 1,000 visits, for a smoke test
    python benchmarks/bench_ics.py --strict   # exit 1 if the target is missed

``to_ical`` derives every visit from its order's events (window, arrival hour,
SEQUENCE, status), asks the reminder plan for its alarms (C1, C2), and builds
and writes the calendar with icalendar. The baseline is the bare icalendar loop
an integrator would write with every value already at hand: the same
``Event``/``Alarm`` calls on values read back from the export, so that it
writes byte for byte the same events (checked). The ratio is what deriving the
visits from the events costs on top of icalendar itself (target: <= 1.25x).

Half the visits are confirmed to the hour (one alarm, C2), half are still a
half-day window (two alarms, C1 and C2); each has one or two technicians. Each
figure is the best of a few runs; the orders are built before timing.

For diagnosis it also prints the parts spent outside icalendar, and the export
again with every order's reminder plan computed beforehand: what the calendar
costs apart from ``reminders.plan``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from typing import Any

import attrs
import icalendar
import pendulum

import fieldservice as fs
from fieldservice import calendar
from fieldservice.calendar import to_ical, visit_of
from fieldservice.events import Event
from fieldservice.reminders import plan

TZ = "Asia/Shanghai"
SEED = 20261124
TARGET = 1.25
STD = fs.ServiceStandard.default()
TECHNICIANS = [
    fs.Technician(id=f"T{i}", name="王师傅", certificate=f"ZW-310-{i:04d}") for i in range(40)
]
CUSTOMER = fs.Customer(
    id="C-1001",
    name="张三",
    tier=fs.Tier.GOLD,
    phones="138 0013 8000",
    address=fs.Address(region="上海市浦东新区", detail="张江路 100 弄 5 号 302"),
)


@attrs.frozen
class Order:
    """What the calendar reads of a work order (fieldservice.calendar.VisitOrder)."""

    id: str
    kind: fs.OrderKind
    products: frozenset[fs.Product]
    customer: fs.Customer
    technicians: tuple[fs.Technician, ...]
    standard: fs.ServiceStandard
    events: tuple[Event, ...]


def make_orders(n: int) -> list[Order]:
    rng = random.Random(SEED)
    base = pendulum.datetime(2026, 11, 24, 10, tz=TZ)
    products = [frozenset({fs.Product.BROADBAND}),
                frozenset({fs.Product.BROADBAND, fs.Product.FIXED_LINE}),
                frozenset({fs.Product.IPTV, fs.Product.BROADBAND})]  # fmt: skip
    orders = []
    for i in range(n):
        accepted = base.add(minutes=rng.randrange(0, 600))
        day = accepted.add(days=rng.randrange(2, 60)).start_of("day")
        morning = rng.random() < 0.5
        start, end = (day.add(hours=8), day.add(hours=12)) if morning else (
            day.add(hours=12), day.add(hours=20))  # fmt: skip
        log = [
            Event("accepted", accepted, actor="desk", data={"tier": "gold"}),
            Event("booked", accepted.add(minutes=5), actor="desk",
                  data={"date": day.date().isoformat(), "half": "morning" if morning else "afternoon",
                        "start": start.isoformat(), "end": end.isoformat()}),
        ]  # fmt: skip
        if i % 2:
            hour = start.add(hours=rng.randrange(1, 3))
            log.append(Event("confirmed", day.add(hours=7, minutes=30), actor="T1",
                             data={"start": hour.isoformat(), "end": hour.add(hours=1).isoformat()}))  # fmt: skip
        crew = tuple(rng.sample(TECHNICIANS, rng.choice((1, 2))))
        orders.append(Order(f"WO-{i:06d}", rng.choice(list(fs.OrderKind)), rng.choice(products),
                            CUSTOMER, crew, STD, tuple(log)))  # fmt: skip
    return orders


# --- the baseline: the same events from values at hand ------------------------------------


def address(value: icalendar.vCalAddress) -> tuple[str, dict[str, str]]:
    return str(value), dict(value.params)


def cal_address(uri: str, params: dict[str, str]) -> icalendar.vCalAddress:
    value = icalendar.vCalAddress(uri)
    value.params.update(params)
    return value


def records(data: bytes) -> list[dict[str, Any]]:
    """Every value of every VEVENT, as plain Python values, read back from the export."""
    out = []
    for event in icalendar.Calendar.from_ical(data).walk("VEVENT"):
        attendees = event.get("ATTENDEE", [])
        out.append({
            "uid": str(event["UID"]), "stamp": event["DTSTAMP"].dt, "start": event.start,
            "end": event.end, "sequence": int(event["SEQUENCE"]), "status": str(event["STATUS"]),
            "summary": str(event["SUMMARY"]), "location": str(event["LOCATION"]),
            "description": str(event["DESCRIPTION"]), "organizer": address(event["ORGANIZER"]),
            "attendees": [address(a) for a in (attendees if isinstance(attendees, list) else [attendees])],
            "x": [(name, str(event[name])) for name in event if name.startswith("X-")],
            "alarms": [(a["TRIGGER"].dt, str(a["DESCRIPTION"]),
                        [(name, str(a[name])) for name in a if name.startswith("X-")])
                       for a in event.walk("VALARM")],
        })  # fmt: skip
    return out


def bare_loop(rows: list[dict[str, Any]], vtimezone: icalendar.Timezone) -> bytes:
    cal = icalendar.Calendar()
    cal.add("PRODID", "-//fieldservice//home-visit service standard//ZH")
    cal.add("VERSION", "2.0")
    cal.add("METHOD", "REQUEST")
    cal.add_component(vtimezone)
    for row in rows:
        event = icalendar.Event()
        event.add("UID", row["uid"])
        event.add("DTSTAMP", row["stamp"])
        event.add("DTSTART", row["start"])
        event.add("DTEND", row["end"])
        event.add("SEQUENCE", row["sequence"])
        event.add("STATUS", row["status"])
        event.add("SUMMARY", row["summary"])
        event.add("LOCATION", row["location"])
        event.add("DESCRIPTION", row["description"])
        event.add("ORGANIZER", cal_address(*row["organizer"]))
        for attendee in row["attendees"]:
            event.add("ATTENDEE", cal_address(*attendee))
        for trigger, text, extensions in row["alarms"]:
            alarm = icalendar.Alarm()
            alarm.add("ACTION", "DISPLAY")
            alarm.add("TRIGGER", trigger)
            alarm.add("DESCRIPTION", text)
            for name, value in extensions:  # the rule, and a call in the quiet hours
                alarm.add(name, icalendar.vText(value))
            event.add_component(alarm)
        for name, value in row["x"]:
            event.add(name, icalendar.vText(value))
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def best(run: Callable[[], object], repeats: int) -> float:
    fastest = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 visits")
    parser.add_argument("--strict", action="store_true", help="exit 1 if the target is missed")
    args = parser.parse_args(argv)
    n = 1_000 if args.quick else 10_000
    repeats = 3

    orders = make_orders(n)
    exported = to_ical(orders)  # also warms the caches (VTIMEZONE, labels)
    rows = records(exported)
    vtimezone = icalendar.Timezone.from_tzid(TZ)
    baseline = bare_loop(rows, vtimezone)
    events_of = exported[exported.index(b"BEGIN:VEVENT") :]
    assert events_of == baseline[baseline.index(b"BEGIN:VEVENT") :], "not the same events"
    alarms = exported.count(b"BEGIN:VALARM")

    ours = best(lambda: to_ical(orders), repeats)
    bare = best(lambda: bare_loop(rows, vtimezone), repeats)
    planning = best(
        lambda: [plan(o, standard=o.standard, kinds=calendar._ALARM_KINDS) for o in orders], repeats
    )
    deriving = best(lambda: [visit_of(o) for o in orders], repeats)
    # Diagnosis only: the same export with every order's plan computed beforehand,
    # to show what the calendar itself costs apart from the reminder plan.
    # Made with the arguments the calendar passes (whose plan it is, M2), recorded once.
    plans: dict[tuple[str, object], object] = {}

    def record(order: object, **kwargs: object) -> object:
        key = (order.id, kwargs.get("technician"))  # type: ignore[attr-defined]
        plans[key] = plan(order, **kwargs)  # type: ignore[arg-type]
        return plans[key]

    calendar.plan = record
    to_ical(orders)
    calendar.plan = lambda order, **kwargs: plans[(order.id, kwargs.get("technician"))]
    try:
        assert to_ical(orders) == exported
        planned = best(lambda: to_ical(orders), repeats)
    finally:
        calendar.plan = plan

    ratio = ours / bare
    print(f"ICS export of {n:,} visits with {alarms:,} alarms ({len(exported) / 1e6:.1f} MB), "
          f"best of {repeats}:")  # fmt: skip
    print(f"  fieldservice.calendar.to_ical  {ours:6.2f} s  {ours / n * 1e6:5.0f} us/visit")
    print(f"  bare icalendar loop            {bare:6.2f} s  {bare / n * 1e6:5.0f} us/visit"
          "  (same events, byte for byte)")  # fmt: skip
    print(f"  ratio                          {ratio:6.2f}x  (target <= {TARGET}x)")
    print("  of which, outside icalendar:")
    print(f"    reminders.plan (alarms)      {planning:6.2f} s  {planning / n * 1e6:5.0f} us/visit")
    print(f"    visit_of (window, SEQUENCE)  {deriving:6.2f} s  {deriving / n * 1e6:5.0f} us/visit")
    print(f"  with the plans made beforehand {planned:6.2f} s  {planned / n * 1e6:5.0f} us/visit"
          f"  = {planned / bare:.2f}x the bare loop")  # fmt: skip
    met = ratio <= TARGET
    print(f"  target {'met' if met else 'MISSED'}")
    return 1 if args.strict and not met else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

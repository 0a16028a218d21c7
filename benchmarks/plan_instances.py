"""Generated city-scale days for the planner: orders, a team, a day (used by bench_plan).

A city of about 20 km across (coordinates around Shanghai's centre), depots on
a ring, customers spread over the city. Tiers as a branch sees them (5 %
diamond, 15 % gold, 30 % silver, 50 % ordinary); installs, moves and repairs
with one to three products; about 40 % confirmed to the hour (C1), the rest a
half-day (B2); one visit in 40 needs two technicians (M2). Shifts alternate
08:00-18:00 and 10:00-20:00 with a 12:00-13:00 lunch; one technician in five
lacks IPTV, one in ten does repairs only.

The on-site times are shorter than the standard's examples (25-35 min per
product), as for a branch whose visits are mostly simple.
"""

from __future__ import annotations

import datetime as dt
import math
import random

import pendulum

import fieldservice as fs
from fieldservice.planning import Member, Place, Team, dayplan
from fieldservice.planning._problem import Problem

DAY = dt.date(2026, 11, 26)
CENTRE = (31.23, 121.47)
TZ = "Asia/Shanghai"


def standard() -> fs.ServiceStandard:
    from fieldservice.standard import ServiceDurations

    std = fs.ServiceStandard.default()
    minutes = {"install": 35, "move": 30, "repair": 25}
    table = {
        (fs.OrderKind(k), p): dt.timedelta(minutes=m - (10 if p is not fs.Product.BROADBAND else 0))
        for k, m in minutes.items()
        for p in fs.Product
    }
    return std.replace(
        service_durations=ServiceDurations(table),
        lunch_break=fs.TimeRange(dt.time(12), dt.time(13)),
    )


def _point(rng: random.Random, radius_km: float) -> tuple[float, float]:
    r = radius_km * math.sqrt(rng.random())
    a = rng.random() * 2 * math.pi
    return (
        CENTRE[0] + r * math.cos(a) / 111.0,
        CENTRE[1] + r * math.sin(a) / (111.0 * math.cos(math.radians(CENTRE[0]))),
    )


def team(n: int, std: fs.ServiceStandard, rng: random.Random) -> Team:
    depots = [
        Place(
            f"depot-{d}",
            coordinates=(
                CENTRE[0] + 0.05 * math.cos(d * 2 * math.pi / 5),
                CENTRE[1] + 0.06 * math.sin(d * 2 * math.pi / 5),
            ),
        )
        for d in range(5)
    ]
    members = []
    for i in range(n):
        products = set(fs.Product) - ({fs.Product.IPTV} if i % 5 == 4 else set())
        kinds = {fs.OrderKind.REPAIR} if i % 10 == 9 else set(fs.OrderKind)
        shift = (
            fs.TimeRange(dt.time(8), dt.time(18))
            if i % 2 == 0
            else fs.TimeRange(dt.time(10), dt.time(20))
        )
        members.append(
            Member(
                f"T{i + 1:02d}",
                products=products,
                kinds=kinds,
                start=depots[i % 5],
                shift=shift,
                daily_cap=14,
            )
        )
    return Team(members=members, standard=std)


def orders(
    n: int, std: fs.ServiceStandard, rng: random.Random
) -> tuple[list[fs.WorkOrder], dict[str, int]]:
    booked_at = pendulum.datetime(2026, 11, 24, 9, tz=TZ)
    out = []
    crew: dict[str, int] = {}
    tiers = (
        [fs.Tier.DIAMOND] * 5
        + [fs.Tier.GOLD] * 15
        + [fs.Tier.SILVER] * 30
        + [fs.Tier.ORDINARY] * 50
    )
    for i in range(n):
        tier = rng.choice(tiers)
        cust = fs.Customer(
            id=f"C{i}",
            name="张三",
            tier=tier,
            phones="13800138000",
            address=fs.Address(region="上海市", detail=f"路 {i} 号", coordinates=_point(rng, 10)),
        )
        roll = rng.random()
        products = {fs.Product.BROADBAND}
        if rng.random() < 0.3:
            products.add(fs.Product.FIXED_LINE)
        if rng.random() < 0.15:
            products.add(fs.Product.IPTV)
        oid = f"WO-{i:04d}"
        if roll < 0.3:
            at = booked_at.add(hours=rng.randint(6, 40))
            order = fs.WorkOrder.repair(
                id=oid, customer=cust, products=products, reported_at=at, by="hotline"
            )
            order.triage(remote_possible=False, at=at.add(minutes=5), by="hotline")
            order.request_visit(at=at.add(minutes=6), by="hotline", reason="on site")
            at = at.add(minutes=7)
        else:
            kind = fs.WorkOrder.install if roll < 0.8 else fs.WorkOrder.move
            order = kind(id=oid, customer=cust, products=products, accepted_at=booked_at, by="desk")
            order.check_resources(True, at=booked_at, by="desk")
            at = booked_at.add(minutes=1)
        half = "morning" if rng.random() < 0.45 else "afternoon"
        order.book((DAY, half), at=at, by="desk")
        if rng.random() < 0.4:
            hour = rng.randint(8, 11) if half == "morning" else rng.randint(13, 18)  # not in lunch
            order.confirm(hour, at=pendulum.datetime(2026, 11, 26, 7, 30, tz=TZ), by="desk")
        if rng.random() < 1 / 40:
            crew[oid] = 2
        out.append(order)
    return out, crew


def instance(
    techs: int, visits: int, seed: int = 1
) -> tuple[list[fs.WorkOrder], Team, dict[str, int]]:
    """Orders, team and crew sizes of one generated day."""
    rng = random.Random(seed)
    std = standard()
    made, crew = orders(visits, std, rng)
    return made, team(techs, std, rng), crew


def problem(
    made: list[fs.WorkOrder], team: Team, crew: dict[str, int] | None = None
) -> tuple[Problem, list[fs.WorkOrder]]:
    """The planner's private problem of the day, and the order of each job.

    A benchmark may look inside: the VROOM and PyVRP adapters solve this same
    record, and the audit maps their routes back to orders.
    """
    chosen = [
        o
        for o in made
        if o.state in dayplan._PLANNED_STATES and o.window is not None and o.window.date == DAY
    ]
    midnight = pendulum.datetime(DAY.year, DAY.month, DAY.day, tz=team.standard.timezone)
    prob, visits = dayplan._problem(
        chosen, team, DAY, dayplan._travel(None, team), {}, crew or {}, midnight
    )
    return prob, [v.order for v in visits if v.job is not None]

"""Hand-made days for the planning tests: orders on a line, travel = distance in minutes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pendulum

import fieldservice as fs
from fieldservice.planning import Member, Place, Team, TravelFunction

TZ = "Asia/Shanghai"
DAY = dt.date(2026, 11, 26)
STD = fs.ServiceStandard.default()
BOOKED = pendulum.datetime(2026, 11, 24, 9, tz=TZ)


def at(hour: int, minute: int = 0, day: int = 26) -> pendulum.DateTime:
    return pendulum.datetime(2026, 11, day, hour, minute, tz=TZ)


def order(
    oid: str,
    tier: str = "ordinary",
    *,
    half: str = "morning",
    kind: str = "install",
    products: Iterable[str] = ("broadband",),
    confirm: int | None = None,
    reported: pendulum.DateTime | None = None,
    detail: str = "幸福路 1 号 302",
) -> fs.WorkOrder:
    cust = fs.Customer(
        id=f"C-{oid}",
        name="张三丰",
        tier=tier,
        phones="13800138000",
        address=fs.Address(region="浦东", detail=detail),
    )
    if kind == "repair":
        when = reported or BOOKED
        o = fs.WorkOrder.repair(
            id=oid, customer=cust, products=set(products), reported_at=when, by="hotline"
        )
        o.triage(remote_possible=False, at=when.add(minutes=1), by="hotline")
        o.request_visit(at=when.add(minutes=2), by="hotline", reason="on site")
        booked = when.add(minutes=3)
    else:
        make = fs.WorkOrder.install if kind == "install" else fs.WorkOrder.move
        o = make(id=oid, customer=cust, products=set(products), accepted_at=BOOKED, by="desk")
        o.check_resources(True, at=BOOKED, by="desk")
        booked = BOOKED.add(minutes=1)
    o.book((DAY, half), at=booked, by="desk")
    if confirm is not None:
        o.confirm(confirm, at=at(7, 30), by="desk")
    return o


def line(positions: dict[str, float]) -> TravelFunction:
    """Travel minutes = distance on a line between the places' positions."""
    return TravelFunction(lambda a, b: abs(positions[a.key] - positions[b.key]))


def places(keys: Iterable[str]) -> dict[str, Place]:
    return {k: Place(k) for k in keys}


def member(mid: str, **kw: object) -> Member:
    kw.setdefault("products", set(fs.Product))
    kw.setdefault("kinds", set(fs.OrderKind))
    kw.setdefault("start", Place("depot"))
    return Member(mid, **kw)  # type: ignore[arg-type]


def team(*members: Member, std: fs.ServiceStandard = STD) -> Team:
    return Team(members=members, standard=std)

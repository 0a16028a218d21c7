"""The work-order double the calendar tests export: exactly what the calendar reads."""

from __future__ import annotations

import io

import attrs
import icalendar

import fieldservice as fs
from fieldservice.calendar import add_timezones, event_for, write_ical
from fieldservice.events import Event

STD = fs.ServiceStandard.default()
T7 = fs.Technician(id="T7", name="王师傅", certificate="ZW-310-0042", phone="139 0139 0000")
T8 = fs.Technician(id="T8", name="赵六", certificate="ZW-310-0043")
CUSTOMER = fs.Customer(
    id="C-1001",
    name="张三丰",
    tier=fs.Tier.GOLD,
    phones="138 0013 8000",
    address=fs.Address(region="上海市浦东新区", detail="张江路 100 弄 5 号 302"),
)


@attrs.frozen
class Order:
    """A test double of the work order: what the calendar reads (VisitOrder)."""

    id: str
    events: tuple[Event, ...]
    kind: fs.OrderKind = fs.OrderKind.INSTALL
    products: frozenset[fs.Product] = frozenset({fs.Product.BROADBAND})
    customer: fs.Customer = CUSTOMER
    technicians: tuple[fs.Technician, ...] = (T7, T8)
    standard: fs.ServiceStandard = STD


def written(order: Order) -> bytes:
    """The calendar ``write_ical`` streams for one order, without iTIP."""
    out = io.BytesIO()
    write_ical([order], out, itip=False)
    return out.getvalue()


def own_calendar(order: Order) -> bytes:
    """An integrator's own calendar of one ``event_for`` entry, its zones added."""
    mine = icalendar.Calendar()
    mine.add("PRODID", "-//test//integrator//EN")
    mine.add("VERSION", "2.0")
    mine.add_component(event_for(order))
    add_timezones(mine)
    data: bytes = mine.to_ical()
    return data

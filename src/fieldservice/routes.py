"""The day's route of a technician (B7): visits by arrival hour, higher tiers first.

>>> import datetime as dt
>>> from fieldservice.routes import plan_route
>>> plan_route([], dt.date(2026, 11, 25))
()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping

from fieldservice.errors import InvalidInput
from fieldservice.model import Technician
from fieldservice.workflow import WorkOrder

__all__ = ["plan_route"]


def plan_route(
    orders: Iterable[WorkOrder], day: dt.date, *, technician: Technician | str | None = None
) -> tuple[WorkOrder, ...]:
    """Order a day's confirmed visits (B7): by arrival hour, higher tiers first on a tie.

    Booked but unconfirmed visits follow their half-day's start. Only orders with
    a visit on ``day`` (and, if given, assigned to ``technician``) are kept.

    Raises:
        InvalidInput: ``orders`` is not a collection of work orders, ``day`` is
            not a date, or ``technician`` is neither a technician nor an ID.

    >>> plan_route([], __import__("datetime").date(2026, 11, 25))
    ()
    """
    if not isinstance(day, dt.date):
        msg = "day must be a datetime.date"
        raise InvalidInput(msg)
    if technician is not None and not isinstance(technician, Technician | str):
        msg = f"technician must be a Technician or a technician's ID (got {type(technician).__name__})"
        raise InvalidInput(msg)
    tech_id = technician.id if isinstance(technician, Technician) else technician
    items: Iterator[WorkOrder] | None = None
    if not isinstance(orders, str | bytes | bytearray | Mapping | WorkOrder):
        try:
            items = iter(orders)
        except TypeError:
            items = None  # refused below, outside the handler
    if items is None:
        msg = f"orders must be a collection of WorkOrders (got {type(orders).__name__})"
        raise InvalidInput(msg)
    chosen: list[tuple[float, int, str, WorkOrder]] = []
    for order in items:
        if not isinstance(order, WorkOrder):
            msg = f"each order must be a WorkOrder (got {type(order).__name__})"
            raise InvalidInput(msg)
        window = order.window
        if window is None or window.date != day or order.state.is_final:
            continue
        if tech_id is not None and all(t.id != tech_id for t in order.technicians):
            continue
        start = order.arrival.start if order.arrival else window.start(order.standard)
        chosen.append((start.timestamp(), -order.tier.priority, order.id, order))
    return tuple(entry[3] for entry in sorted(chosen, key=lambda e: e[:3]))

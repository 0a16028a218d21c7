"""The day's route of a technician (B7): visits by arrival hour, higher tiers first.

>>> import datetime as dt
>>> from fieldservice.routes import plan_route
>>> plan_route([], dt.date(2026, 11, 25))
()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

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

    >>> plan_route([], __import__("datetime").date(2026, 11, 25))
    ()
    """
    if not isinstance(day, dt.date):
        msg = "day must be a datetime.date"
        raise InvalidInput(msg)
    tech_id = technician.id if isinstance(technician, Technician) else technician
    chosen: list[tuple[float, int, str, WorkOrder]] = []
    for order in orders:
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

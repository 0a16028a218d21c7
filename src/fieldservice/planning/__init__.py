"""Planning a branch's day (B7, G4): the team, travel times, offering, the day plan.

The names live in one module each (``team``, ``travel``, ``offering``,
``dayplan``) and are all imported from here. The solver, Google OR-Tools, comes with
the optional extra ``fieldservice[plan]`` and is imported only when a plan is
made; without it, the plan uses a greedy tier-first insertion.

>>> from fieldservice import planning
>>> planning.Place("depot")
Place(key='depot', coordinates=None)
"""

from fieldservice.planning._base import PlanInputError
from fieldservice.planning.dayplan import DayPlan, LeftOut, Route, Stop, plan_day
from fieldservice.planning.offering import Hold, hold, offer_windows
from fieldservice.planning.team import Member, Team
from fieldservice.planning.travel import (
    GreatCircle,
    Place,
    TravelFunction,
    TravelMatrix,
    TravelTimes,
)

__all__ = [
    "DayPlan",
    "GreatCircle",
    "Hold",
    "LeftOut",
    "Member",
    "Place",
    "PlanInputError",
    "Route",
    "Stop",
    "Team",
    "TravelFunction",
    "TravelMatrix",
    "TravelTimes",
    "hold",
    "offer_windows",
    "plan_day",
]

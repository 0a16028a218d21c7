"""PyVRP on the planner's own numbers, for bench_plan's comparison.

Reads the problem the planner builds (a private record of
``fieldservice.planning``; a benchmark may look inside), like
``vroom_adapter.py``. Mapping, checked against pyvrp 0.14's ``ProblemData``:

- a vehicle type per technician (``num_available=1``): its start and end
  place as depots, its shift as the type's time window, its daily cap as a
  capacity (each visit delivers one unit);
- a client per visit: its start window (B2/C1, already cut by the quiet
  hours, B6), its on-site minutes, and a prize by tier (five times more per
  tier up, above the travel one visit adds) with ``required=False``, so the
  search may leave visits out and leaves the lower tiers out first (B7,
  though not strictly: five ordinary visits weigh one silver);
- travel minutes as the distance (the cost), travel plus the T2 margin into
  a visit as the duration;
- skills (M1) as routing profiles: one profile per set of technicians with
  the same skills, whose matrices make the visits they cannot do
  unreachable (a distance and duration far beyond any prize or shift).

- the lunch break, which PyVRP 0.14 cannot give a vehicle: one required
  "lunch" client per technician with a lunch, fixed at the break's start,
  its length as on-site time, at a place zero minutes from everywhere. No
  route can hold two (both start at the same minute), so each technician
  takes one. The travel from the visit before lunch to the one after is then
  unseen by the search, so the routes are re-timed afterwards by the
  planner's own rules (``_problem.repair``), which drops the visits that no
  longer fit, and those get the one greedy re-insertion that the planner's
  own OR-Tools routes get; the adapter reports how many were dropped.

Dropped: crews of several technicians at one time (M2), which PyVRP has no
way to state; the comparison is on the day without crew visits, as for
VROOM. A fixed seed; the same time limit as ours.
"""

from __future__ import annotations

import numpy as np
import pyvrp
from pyvrp.stop import MaxRuntime

from fieldservice.planning import _greedy
from fieldservice.planning._problem import Problem, Routes, repair

# Over the travel any one visit adds; five times more per tier up. Not larger:
# PyVRP weighs a prize against its penalty for lateness (at most 100,000 per
# minute), and prizes of 10**8 made it trade lateness for prizes and warn.
_ORDINARY_PRIZE = 200
_TIER_FACTOR = 5
_UNREACHABLE = 10**9  # distance and duration into a visit a technician cannot do (M1)


def solve(prob: Problem, limit: float, seed: int = 1, lunch: bool = True) -> tuple[Routes, int]:
    """PyVRP's routes, re-timed by the planner's rules, and how many visits that dropped.

    ``lunch=False`` leaves the lunch breaks out and returns PyVRP's own
    routes: a relaxed day, to show what the break costs PyVRP (the planner's
    check then counts the routes that work through lunch).
    """
    n = len(prob.travel) + 1  # the last place is where lunch is taken
    lunch_place = n - 1
    visit_places = {j.place for j in prob.jobs}
    travel = np.zeros((n, n), dtype=np.int64)
    travel[:-1, :-1] = np.array(prob.travel, dtype=np.int64)
    duration = travel.copy()
    for b in visit_places:
        col = duration[:, b]
        col[np.arange(n) != b] += prob.margin  # T2: arrive early at every visit
    # Locations: every place of the matrix, in its order, so indices carry over.
    locations = [pyvrp.Location(x=0, y=0) for _ in range(n)]
    depot_places = sorted({p for t in prob.techs for p in (t.start_place, t.end_place)})
    depot_of = {place: k for k, place in enumerate(depot_places)}
    depots = [pyvrp.Depot(location=p) for p in depot_places]
    jobs = [i for i, j in enumerate(prob.jobs) if j.crew == 1 and j.earliest <= j.latest]
    clients = [
        pyvrp.Client(
            location=prob.jobs[i].place,
            delivery=[1],
            service_duration=prob.jobs[i].duration,
            tw_early=prob.jobs[i].earliest,
            tw_late=prob.jobs[i].latest,
            prize=_ORDINARY_PRIZE * _TIER_FACTOR ** prob.jobs[i].priority,
            required=False,
        )
        for i in jobs
    ]
    clients += [
        pyvrp.Client(
            location=lunch_place,
            delivery=[0],
            service_duration=t.lunch[1] - t.lunch[0],
            tw_early=t.lunch[0],
            tw_late=t.lunch[0],
            required=True,
        )
        for t in prob.techs
        if t.lunch is not None and lunch
    ]
    # One profile per distinct skill set: the visits its technicians cannot do.
    profiles: dict[frozenset[int], int] = {}
    for v in range(len(prob.techs)):
        cannot = frozenset(i for i in jobs if v not in prob.jobs[i].skilled)
        profiles.setdefault(cannot, len(profiles))
    distances, durations = [], []
    for cannot in profiles:
        dist, dur = travel.copy(), duration.copy()
        blocked = [prob.jobs[i].place for i in cannot]
        dist[:, blocked] = _UNREACHABLE
        dur[:, blocked] = _UNREACHABLE
        np.fill_diagonal(dist, 0)
        np.fill_diagonal(dur, 0)
        distances.append(dist)
        durations.append(dur)
    vehicle_types = []
    for v, t in enumerate(prob.techs):
        cannot = frozenset(i for i in jobs if v not in prob.jobs[i].skilled)
        vehicle_types.append(
            pyvrp.VehicleType(
                num_available=1,
                capacity=[min(t.cap, len(jobs))],
                start_depot=depot_of[t.start_place],
                end_depot=depot_of[t.end_place],
                tw_early=t.shift_start,
                tw_late=t.shift_end,
                profile=profiles[cannot],
                name=str(v),
            )
        )
    data = pyvrp.ProblemData(
        locations, clients, depots, vehicle_types, distances, durations, [], []
    )
    result = pyvrp.solve(data, MaxRuntime(limit), seed=seed, collect_stats=False, display=False)
    routes: Routes = [[] for _ in prob.techs]
    if not result.best.is_feasible():
        return routes, 0
    for route in result.best.routes():
        tech = route.vehicle_type()
        for act in route.schedule():
            if act.is_client() and act.idx < len(jobs):  # not a lunch client
                routes[tech].append((jobs[act.idx], act.start_time))
    if not lunch:
        return routes, 0
    timed, dropped = repair(prob, routes)
    _greedy.insert(prob, timed, (i for i in dropped if prob.jobs[i].crew == 1))
    return timed, len(dropped)

"""The default solver: Google OR-Tools' routing library (private).

Needs the optional extra ``fieldservice[plan]``; it is imported only when a
plan asks for it. The model:

- one vehicle per technician, from their start place to their end place,
  inside their shift; a visit node per technician a visit needs (M2);
- transit = on-site minutes + travel + the T2 margin before each visit; the
  time dimension's cumul at a visit is its start, bounded by its window (B2 or
  the C1 hour) and by the quiet hours (B6);
- skills as the allowed vehicles of each node (M1), the cap as a count
  dimension, lunch as a hole in each visit's start window (no visit overlaps
  it; the travel around it is settled after the search, see ``_problem.repair``);
- a visit may be dropped at a penalty that grows tenfold per tier (B7); a
  crew's nodes are all served or all dropped, on different technicians, at
  the same minute (M2); a repair past its F4 deadline costs a soft penalty;
- the cost is the travel minutes; cheapest insertion builds a first plan
  (unless one is given), guided local search improves it until the time limit.

The routing search has no random element: the same input and limits give the
same plan, except that a time limit stops it where the machine's speed lets
it reach (``solution_limit`` stops it at a fixed point instead).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fieldservice.planning._problem import Problem, Routes

__all__ = ["available", "solve"]

_BASE_PENALTY = 1_000_000  # an ordinary visit left out costs this; each tier up ten times more
_LATE_PER_MINUTE = 100  # a repair visit after its F4 deadline, per minute
_DAY = 24 * 60
_SLOW_OPERATORS = (  # see _parameters
    "use_global_cheapest_insertion_path_lns",
    "use_local_cheapest_insertion_path_lns",
    "use_relocate_path_global_cheapest_insertion_insert_unperformed",
    "use_global_cheapest_insertion_visit_types_lns",
    "use_local_cheapest_insertion_visit_types_lns",
)


def available() -> bool:
    """Whether the ``ortools`` package can be imported."""
    try:
        import ortools.constraint_solver.pywrapcp  # noqa: F401
    except ImportError:
        return False
    return True


def solve(
    problem: Problem,
    time_limit: dt.timedelta,
    solution_limit: int | None = None,
    start: Routes | None = None,
    only: frozenset[int] | None = None,
) -> Routes:
    """Return each tech's visits in order with their start minutes.

    ``only``: the jobs the model holds (all by default). The others get no
    node, so the search spends no time trying to insert them.
    """
    from ortools.constraint_solver import pywrapcp

    techs, jobs = problem.techs, problem.jobs
    n_techs = len(techs)
    # Nodes: 0..T-1 starts, T..2T-1 ends, then one node per crew seat of each job.
    node_place = [t.start_place for t in techs] + [t.end_place for t in techs]
    node_job: list[int | None] = [None] * (2 * n_techs)
    seats: list[list[int]] = []
    for i, j in enumerate(jobs):
        seats.append([])
        if only is not None and i not in only:
            continue
        for _ in range(j.crew):
            seats[i].append(len(node_place))
            node_place.append(j.place)
            node_job.append(i)
    manager = pywrapcp.RoutingIndexManager(
        len(node_place), n_techs, list(range(n_techs)), list(range(n_techs, 2 * n_techs))
    )
    routing = pywrapcp.RoutingModel(manager)
    solver = routing.solver()
    travel = problem.travel
    # Both matrices are by node (OR-Tools maps indices to nodes itself).
    service = [0 if job is None else jobs[job].duration for job in node_job]
    to_visit = [0 if job is None else problem.margin for job in node_job]
    cost_rows = [[travel[a][b] for b in node_place] for a in node_place]
    time_rows = [
        [service[i] + travel[a][b] + to_visit[k] for k, b in enumerate(node_place)]
        for i, a in enumerate(node_place)
    ]
    cost = routing.RegisterTransitMatrix(cost_rows)
    routing.SetArcCostEvaluatorOfAllVehicles(cost)
    transit = routing.RegisterTransitMatrix(time_rows)
    routing.AddDimension(transit, _DAY, _DAY, False, "time")
    time = routing.GetDimensionOrDie("time")
    count = routing.RegisterUnaryTransitVector(
        [0 if node_job[n] is None else 1 for n in range(len(node_place))]
    )
    routing.AddDimensionWithVehicleCapacity(
        count, 0, [min(t.cap, len(node_place)) for t in techs], True, "visits"
    )
    for v, t in enumerate(techs):
        time.CumulVar(routing.Start(v)).SetRange(t.shift_start, t.shift_end)
        time.CumulVar(routing.End(v)).SetRange(t.shift_start, t.shift_end)
    for i, j in enumerate(jobs):
        if not seats[i]:
            continue
        penalty = _BASE_PENALTY * 10**j.priority
        indices = [manager.NodeToIndex(n) for n in seats[i]]
        for index in indices:
            routing.AddDisjunction([index], penalty)
        # Lunch: no visit overlaps it when all who may do the visit share it.
        # (OR-Tools' break intervals propagate too slowly for a city's team;
        # the travel around lunch is settled by the repair after the search.)
        lunches = {techs[t].lunch for t in j.skilled}
        hole = next(iter(lunches)) if len(lunches) == 1 else None
        lo, hi = j.earliest, j.latest
        if hole is not None:
            cut = (hole[0] - j.duration + 1, hole[1] - 1)
            if cut[0] <= lo and hi <= cut[1]:
                hi = lo - 1  # the whole window lies in the hole
            else:
                hole = cut
        if hi < lo:  # no start at all: never served (an empty domain would fail the model)
            for index in indices:
                routing.ActiveVar(index).SetValue(0)
            continue
        for index in indices:
            time.CumulVar(index).SetRange(lo, hi)
            if hole is not None and hole[0] <= hole[1]:
                time.CumulVar(index).RemoveInterval(hole[0], hole[1])
            routing.VehicleVar(index).SetValues([-1, *sorted(j.skilled)])
            if j.deadline is not None and j.earliest <= j.deadline < j.latest:
                time.SetCumulVarSoftUpperBound(index, j.deadline, _LATE_PER_MINUTE)
        _crew(solver, routing, time, indices)
    for v in range(n_techs):
        routing.AddVariableMinimizedByFinalizer(time.CumulVar(routing.Start(v)))
        routing.AddVariableMaximizedByFinalizer(time.CumulVar(routing.End(v)))
    params = _parameters(time_limit, solution_limit)
    solution = None
    if start is not None:
        # Start from the given plan: the local search then only improves it.
        routing.CloseModelWithParameters(params)
        taken = [0] * len(jobs)
        paths = []
        for route in start:
            path = []
            for job, _ in route:
                path.append(manager.NodeToIndex(seats[job][taken[job]]))
                taken[job] += 1
            paths.append(path)
        initial = routing.ReadAssignmentFromRoutes(paths, True)
        if initial is not None:
            solution = routing.SolveFromAssignmentWithParameters(initial, params)
    if solution is None:
        solution = routing.SolveWithParameters(params)
    routes: Routes = [[] for _ in techs]
    if solution is None:
        return routes
    for v in range(n_techs):
        index = solution.Value(routing.NextVar(routing.Start(v)))
        while not routing.IsEnd(index):
            job = node_job[manager.IndexToNode(index)]
            assert job is not None
            routes[v].append((job, solution.Value(time.CumulVar(index))))
            index = solution.Value(routing.NextVar(index))
    return routes


def _parameters(time_limit: dt.timedelta, solution_limit: int | None) -> Any:
    """The search parameters: where the search starts, how it escapes local optima, when it stops."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2
    from ortools.util import optional_boolean_pb2

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    # Off: the operators that take visits out and insert them again with a
    # cheapest-insertion heuristic. With them a search of 4.6 s once ran 14 s
    # on the 50 x 600 city day; without them each search keeps to its time,
    # and the plans of the benchmark days are no longer.
    operators = params.local_search_operators
    for name in _SLOW_OPERATORS:
        setattr(operators, name, optional_boolean_pb2.BOOL_FALSE)
    params.time_limit.FromTimedelta(time_limit)
    if solution_limit is not None:
        params.solution_limit = solution_limit
    return params


def _crew(solver: Any, routing: Any, time: Any, indices: list[int]) -> None:
    """All seats of an M2 visit: served together, on different techs, at one minute."""
    first = indices[0]
    for other in indices[1:]:
        solver.Add(routing.ActiveVar(first) == routing.ActiveVar(other))
        solver.Add(time.CumulVar(first) == time.CumulVar(other))
    for a, x in enumerate(indices):
        for y in indices[a + 1 :]:
            differ = solver.IsDifferentVar(routing.VehicleVar(x), routing.VehicleVar(y))
            solver.Add(differ + (1 - routing.ActiveVar(x)) >= 1)

"""The fallback solver: tier-first cheapest insertion (private).

Used when OR-Tools (``fieldservice[plan]``) is not installed, and as the
benchmark's baseline. Visits are taken in service order (B7: higher tiers
first; then repairs by their F4 deadline; then the tightest window first) and
each is put where it adds the least travel on a technician who is skilled for
it and can still take it. A visit for a crew (M2) goes to the cheapest set of
technicians that can all start it at one common time. No visit is moved once
placed, so the plan is quick and predictable, not short; the one exception is
a visit that fits nowhere and takes the place of a lower-tier one (B7), which
only happens when the routes come back from the OR-Tools search (in service
order, the higher tiers are all placed before any lower one).
"""

from __future__ import annotations

from collections.abc import Iterable

from fieldservice.planning._problem import Problem, Routes, schedule

__all__ = ["insert", "solve"]

_LATE = 10_000  # cost per job that would start after its F4 deadline


def _order(problem: Problem) -> list[int]:
    def key(i: int) -> tuple[int, int, int, int]:
        j = problem.jobs[i]
        deadline = j.deadline if j.deadline is not None else 10**9
        return (-j.priority, deadline, j.latest - j.earliest, i)

    return sorted(range(len(problem.jobs)), key=key)


def _insertions(
    problem: Problem, tech: int, route: list[tuple[int, int]], job: int, pinned: int | None
) -> list[tuple[int, int, int]]:
    """(cost, position, start) of each feasible place for ``job`` in ``route``."""
    travel = problem.travel
    t = problem.techs[tech]
    j = problem.jobs[job]
    base = [(i, s if problem.jobs[i].crew > 1 else None) for i, s in route]
    places = [t.start_place, *(problem.jobs[i].place for i, _ in route), t.end_place]
    found = []
    late_before = _late(problem, route)
    for pos in range(len(route) + 1):
        a, b = places[pos], places[pos + 1]
        added = travel[a][j.place] + travel[j.place][b] - travel[a][b]
        candidate = [*base[:pos], (job, pinned), *base[pos:]]
        starts = schedule(problem, tech, candidate)
        if starts is None:
            continue
        late = _late(problem, list(zip((i for i, _ in candidate), starts, strict=True)))
        found.append((added + _LATE * (late - late_before), pos, starts[pos]))
    return found


def _late(problem: Problem, route: list[tuple[int, int]]) -> int:
    """How many repair visits of the route start after their F4 deadline (G4)."""
    jobs = problem.jobs
    late = 0
    for i, start in route:
        deadline = jobs[i].deadline
        if deadline is not None and start > deadline:
            late += 1
    return late


def _commit(problem: Problem, routes: Routes, tech: int, pos: int, job: int, start: int) -> None:
    route = routes[tech]
    route.insert(pos, (job, start))
    pinned = [(i, s if problem.jobs[i].crew > 1 else None) for i, s in route]
    starts = schedule(problem, tech, pinned)
    assert starts is not None  # the insertion was checked feasible
    routes[tech] = [(i, s) for (i, _), s in zip(route, starts, strict=True)]


def solve(problem: Problem) -> Routes:
    """Return each tech's visits in order with their start minutes."""
    routes: Routes = [[] for _ in problem.techs]
    insert(problem, routes, range(len(problem.jobs)))
    return routes


def insert(problem: Problem, routes: Routes, jobs: Iterable[int]) -> None:
    """Insert ``jobs`` into ``routes`` in service order, each where it costs least."""
    wanted = set(jobs)
    for job in (i for i in _order(problem) if i in wanted):
        j = problem.jobs[job]
        skilled = sorted(j.skilled)
        if j.crew == 1:
            best: tuple[int, int, int, int] | None = None
            for tech in skilled:
                for cost, pos, start in _insertions(problem, tech, routes[tech], job, None):
                    # On a tie, the later position: routes then grow in time order.
                    if best is None or (cost, tech, -pos) < (best[0], best[1], -best[2]):
                        best = (cost, tech, pos, start)
            if best is not None:
                _commit(problem, routes, best[1], best[2], job, best[3])
            else:
                _displace(problem, routes, job, skilled)
            continue
        _place_crew(problem, routes, job, skilled)


def _displace(problem: Problem, routes: Routes, job: int, skilled: list[int]) -> None:
    """Put ``job`` in place of a lower-tier visit when it fits nowhere else (B7).

    Routes built in service order never need this; routes that come back from
    the search and its re-timing may hold an ordinary visit where a gold one
    that was dropped would fit. The lowest tier goes first, then the cheapest
    swap. The displaced visit gets one try elsewhere, where it may in turn
    displace only a still lower tier, so a chain ends within the four tiers.
    Crew visits (M2) are never displaced: their start is shared with other
    routes.
    """
    jobs = problem.jobs
    priority = jobs[job].priority
    best: tuple[int, int, int, int, int, int] | None = None  # (tier, cost, tech, k, pos, start)
    for tech in skilled:
        route = routes[tech]
        for k, (victim, _) in enumerate(route):
            v = jobs[victim]
            if v.priority >= priority or v.crew > 1:
                continue
            rest = route[:k] + route[k + 1 :]
            for cost, pos, start in _insertions(problem, tech, rest, job, None):
                option = (v.priority, cost, tech, k, pos, start)
                if best is None or option < best:
                    best = option
    if best is None:
        return
    _, _, tech, k, pos, start = best
    victim = routes[tech].pop(k)[0]
    _commit(problem, routes, tech, pos, job, start)
    insert(problem, routes, [victim])  # one try elsewhere; it displaces only lower tiers


def _place_crew(problem: Problem, routes: Routes, job: int, skilled: list[int]) -> None:
    """Place an M2 visit on ``crew`` techs at one common start, if there is one."""
    j = problem.jobs[job]
    times = sorted(
        {
            start
            for tech in skilled
            for _, _, start in _insertions(problem, tech, routes[tech], job, None)
        }
    )
    for start in times[:40]:
        options = []
        for tech in skilled:
            fits = _insertions(problem, tech, routes[tech], job, start)
            if fits:
                cost, pos, _ = min(fits)
                options.append((cost, tech, pos))
        if len(options) >= j.crew:
            for _, tech, pos in sorted(options)[: j.crew]:
                _commit(problem, routes, tech, pos, job, start)
            return

"""The day plan as numbers: what the solvers read and write (private).

Times are whole minutes after the plan day's local midnight. Places are
indices into the travel matrix. The solvers (:mod:`._greedy`, :mod:`._ortools`)
see only these records, and :func:`check` verifies any plan against them.
"""

from __future__ import annotations

import itertools

import attrs

__all__ = ["Crew", "Job", "Problem", "Tech", "check", "repair", "route_travel", "schedule"]


@attrs.frozen
class Tech:
    """One technician: start/end place, shift, lunch and cap."""

    start_place: int
    end_place: int
    shift_start: int
    shift_end: int
    lunch: tuple[int, int] | None  # [start, end) of a fixed lunch break
    cap: int  # visits per day (a large number when there is no cap)


@attrs.frozen
class Job:
    """One visit: its place, start window, on-site minutes, priority and crew."""

    place: int
    earliest: int  # the earliest start of the visit (B2 half-day or C1 hour)
    latest: int  # the latest start (window end and quiet hours, B6)
    duration: int
    priority: int  # the tier's priority, 3 (diamond) to 0 (ordinary), B7
    crew: int  # technicians needed at once (M2)
    skilled: frozenset[int]  # the techs who can do it (M1)
    deadline: int | None  # a repair's F4 deadline, in minutes (may lie outside the day)


@attrs.frozen
class Problem:
    """A whole day: techs, jobs, the travel matrix and the T2 margin."""

    techs: tuple[Tech, ...]
    jobs: tuple[Job, ...]
    travel: tuple[tuple[int, ...], ...]
    margin: int  # arrive this many minutes before the start (T2)


Crew = tuple[int, ...]
# A solution: for each tech, its visits in order as (job index, start minute).
Routes = list[list[tuple[int, int]]]


def route_travel(problem: Problem, tech: int, route: list[tuple[int, int]]) -> int:
    """The minutes ``tech`` travels on ``route``: out, between its visits, and back (0 if empty)."""
    if not route:
        return 0
    t = problem.techs[tech]
    places = [t.start_place, *(problem.jobs[job].place for job, _ in route), t.end_place]
    return sum(problem.travel[a][b] for a, b in itertools.pairwise(places))


def schedule(problem: Problem, tech: int, stops: list[tuple[int, int | None]]) -> list[int] | None:
    """Earliest start of every stop in order, or ``None`` when the route is infeasible.

    A stop's start may be pinned (an M2 visit shared with other techs). The
    lunch break is taken in the gap before the first visit that would end
    after it starts; the gap must then hold the travel, the T2 margin and the
    break, and no visit overlaps the break.
    """
    t = problem.techs[tech]
    travel = problem.travel
    jobs = problem.jobs
    free = t.shift_start
    place = t.start_place
    lunch_due = t.lunch is not None
    starts: list[int] = []
    if len(stops) > t.cap:
        return None
    for job_index, pinned in stops:
        j = jobs[job_index]
        ready = free + travel[place][j.place] + problem.margin
        start = max(ready, j.earliest)
        if lunch_due and t.lunch is not None and start + j.duration > t.lunch[0]:
            if free > t.lunch[0]:
                return None
            length = t.lunch[1] - t.lunch[0]
            start = max(start, t.lunch[1], ready + length)
            lunch_due = False
        if pinned is not None:
            if start > pinned:
                return None
            start = pinned
        if start > j.latest:
            return None
        starts.append(start)
        free = start + j.duration
        place = j.place
    back = free + travel[place][t.end_place]
    if lunch_due and t.lunch is not None and back > t.lunch[0]:
        if free > t.lunch[0]:
            return None
        back += t.lunch[1] - t.lunch[0]
    if back > t.shift_end:
        return None
    return starts


def check(problem: Problem, routes: Routes) -> list[str]:
    """Every rule a plan breaks, as text (empty when the plan is sound).

    Independent of the solvers: windows (B2/C1), quiet hours (via ``latest``,
    B6), skills (M1), crews at the same time (M2), travel with the T2 margin,
    shifts, lunch breaks and caps.
    """
    problems: list[str] = []
    seen: dict[int, list[tuple[int, int]]] = {}
    for tech, route in enumerate(routes):
        t = problem.techs[tech]
        if len(route) > t.cap:
            problems.append(f"tech {tech}: {len(route)} visits over its cap {t.cap}")
        free, place = t.shift_start, t.start_place
        gaps: list[tuple[int, int, int]] = []  # (free from, next start, travel+margin)
        for job_index, start in route:
            j = problem.jobs[job_index]
            seen.setdefault(job_index, []).append((tech, start))
            if tech not in j.skilled:
                problems.append(f"job {job_index}: tech {tech} lacks the skills (M1)")
            if not j.earliest <= start <= j.latest:
                problems.append(f"job {job_index}: start {start} outside {j.earliest}-{j.latest}")
            need = travel_time = problem.travel[place][j.place] + problem.margin
            if start < free + need:
                problems.append(f"job {job_index}: start {start} before {free} + {travel_time}")
            gaps.append((free, start, travel_time))
            free, place = start + j.duration, j.place
        back = problem.travel[place][t.end_place]
        gaps.append((free, t.shift_end, back))
        if free + back > t.shift_end:
            problems.append(f"tech {tech}: back after its shift end {t.shift_end}")
        if t.lunch is not None and route:
            ls, le = t.lunch
            length = le - ls
            # The break lies in one gap between visits (or before the first, or
            # after the last), and that gap holds the travel and the break.
            fits = any(a <= ls and b >= le and b - a >= need + length for a, b, need in gaps)
            if not fits:
                problems.append(f"tech {tech}: no room for the lunch break {ls}-{le}")
    for job_index, crew in seen.items():
        j = problem.jobs[job_index]
        techs = {c[0] for c in crew}
        if len(crew) != j.crew or len(techs) != j.crew:
            problems.append(f"job {job_index}: {len(techs)} techs for a crew of {j.crew} (M2)")
        if len({c[1] for c in crew}) > 1:
            problems.append(f"job {job_index}: the crew starts at different times (M2)")
    return problems


def repair(problem: Problem, routes: Routes) -> tuple[Routes, list[int]]:
    """Re-time each route in its order; drop visits until every route holds.

    Returns the re-timed routes and the jobs dropped (lowest tier first, then
    the latest in the route). A crew visit keeps its common start (M2) and is
    dropped from every route at once.
    """
    jobs = problem.jobs
    current = [list(r) for r in routes]
    dropped: list[int] = []
    while True:
        pinned = {i: s for r in current for i, s in r if jobs[i].crew > 1}
        bad = None
        timed: Routes = []
        for tech, route in enumerate(current):
            starts = schedule(problem, tech, [(i, pinned.get(i)) for i, _ in route])
            if starts is None:
                bad = tech
                break
            timed.append([(i, s) for (i, _), s in zip(route, starts, strict=True)])
        if bad is None:
            return timed, dropped
        route = current[bad]
        victim = min(range(len(route)), key=lambda k: (jobs[route[k][0]].priority, -k))
        job = route[victim][0]
        dropped.append(job)
        current = [[x for x in r if x[0] != job] for r in current]

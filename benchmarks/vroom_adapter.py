"""VROOM (pyvroom) on the planner's own numbers, for bench_plan's comparison.

Reads the problem the planner builds (a private record of
``fieldservice.planning``; a benchmark may look inside). Mapping: a vehicle
per technician (shift as its time window, lunch as a fixed break, the daily
cap as a capacity); a job per visit (start window, on-site time, a skill per
set of technicians who may do it, priority by tier). The T2 margin is added to
every travel into a visit. VROOM has no crews: instances with M2 visits are
compared without them. The problem comes from ``plan_instances.problem``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import vroom

from fieldservice.planning._problem import Problem, Routes


def solve(prob: Problem, limit: float, exploration: int = 5) -> Routes:
    """Each technician's visits in order with their start minutes, from VROOM.

    VROOM stops at ``limit`` seconds, as ours does, and uses both cores (ours one).
    """
    n = len(prob.travel)
    visit_places = {j.place for j in prob.jobs}
    matrix = np.array(
        [
            [
                prob.travel[a][b] + (prob.margin if b in visit_places and a != b else 0)
                for b in range(n)
            ]
            for a in range(n)
        ],
        dtype=np.uint32,
    )
    inp = vroom.Input()
    inp.set_durations_matrix(profile="car", matrix_input=matrix)
    skill_ids: dict[frozenset[int], int] = {}
    for j in prob.jobs:
        skill_ids.setdefault(j.skilled, len(skill_ids) + 1)
    for v, t in enumerate(prob.techs):
        breaks = []
        if t.lunch is not None:
            breaks.append(
                vroom.Break(
                    1, [vroom.TimeWindow(t.lunch[0], t.lunch[0])], service=t.lunch[1] - t.lunch[0]
                )
            )
        inp.add_vehicle(
            vroom.Vehicle(
                v + 1,
                start=t.start_place,
                end=t.end_place,
                capacity=vroom.Amount([min(t.cap, 1000)]),
                skills={sid for s, sid in skill_ids.items() if v in s},
                time_window=vroom.TimeWindow(t.shift_start, t.shift_end),
                breaks=breaks,
            )
        )
    for i, j in enumerate(prob.jobs):
        if j.crew > 1 or j.latest < j.earliest:
            continue
        inp.add_job(
            vroom.Job(
                i + 1,
                location=j.place,
                default_service=j.duration,
                delivery=vroom.Amount([1]),
                skills={skill_ids[j.skilled]},
                priority=[1, 10, 30, 100][j.priority],
                time_windows=[vroom.TimeWindow(j.earliest, j.latest)],
            )
        )
    sol = inp.solve(
        exploration_level=exploration, nb_threads=2, timeout=dt.timedelta(seconds=limit)
    )
    routes: Routes = [[] for _ in prob.techs]
    steps = sol.routes
    for _, step in steps[steps["type"] == "job"].iterrows():
        # The T2 margin is in the travel, so the service begins at arrival + waiting.
        start = int(step["arrival"]) + int(step["waiting_time"])
        routes[int(step["vehicle_id"]) - 1].append((int(step["id"]) - 1, start))
    return routes

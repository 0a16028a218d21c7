"""Our planner on Solomon's VRPTW instances RC101 and RC208 (``bench_plan.py --solomon``).

Solomon's customers have no tiers, half-days or opening hours, so they cannot
go through ``plan_day``'s work orders honestly; this builds the planner's
private problem record directly and runs the same solver path as
``plan_day`` (``dayplan._solve``: the greedy start, OR-Tools' guided local
search, the re-timing and the planner's own check).

Mapping: a technician per vehicle of the file, starting and ending at the
depot, its shift the depot's time window; a visit per customer with its time
window as the start window and the service time as on-site time; no T2
margin, no lunch, one skill. The planner counts whole minutes within one day
(its time dimension ends at 1,440), so Solomon's units are its minutes and each
travel time is the Euclidean distance rounded up: a plan that holds in these
times holds in the exact ones, at the price of some slack the best-known
solutions do not have. The distance printed is the routes' Euclidean length
with each leg truncated to one decimal (the DIMACS convention of the
best-known figures). Every visit has the same tier,
so the planner's left-out penalty (far above any travel) makes it serve all
it can. Not modelled: the vehicle capacity, because the planner's cap counts
visits, not load; the output prints each route's load against it instead.

Best-known distances, with their sources (``data/solomon/README.md``):
RC208 776.1 from PyVRP's ``notebooks/data/RC208.sol`` (a 4-route solution);
RC101 1619.8 with 15 vehicles as the issue cites it from SINTEF's Solomon
table, not checked against a file here.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import time
from pathlib import Path

from fieldservice.planning import dayplan
from fieldservice.planning._problem import Job, Problem, Tech, check

DATA = Path(__file__).parent / "data" / "solomon"
BEST_KNOWN = {"RC101": (1619.8, 15), "RC208": (776.1, 4)}


def read(path: Path) -> dict[str, object]:
    """The few sections of a VRPLIB-style Solomon file that the planner needs."""
    lines = path.read_text().splitlines()
    head: dict[str, str] = {}
    sections: dict[str, list[list[int]]] = {}
    current = None
    for line in lines:
        if ":" in line and current is None:
            key, value = line.split(":", 1)
            head[key.strip()] = value.strip()
        elif line.strip().endswith("_SECTION"):
            current = line.strip()
            sections[current] = []
        elif line.strip() in ("EOF", "-1"):
            current = None
        elif current is not None and line.strip():
            sections[current].append([int(x) for x in line.split()])
    return {"head": head, **sections}


def problem(path: Path) -> tuple[Problem, list[tuple[int, int]], list[int], int]:
    """The planner's problem for one file, the places' coordinates, the demands and the capacity."""
    inst = read(path)
    head = inst["head"]
    assert isinstance(head, dict)
    coords = [(x, y) for _, x, y in inst["NODE_COORD_SECTION"]]  # type: ignore[attr-defined]
    demand = [d for _, d in inst["DEMAND_SECTION"]]  # type: ignore[attr-defined]
    windows = [(a, b) for _, a, b in inst["TIME_WINDOW_SECTION"]]  # type: ignore[attr-defined]
    vehicles = int(head["VEHICLES"])
    service = int(head["SERVICE_TIME"])
    # Places: each vehicle's start and end (the depot), then the customers.
    places = [coords[0]] * (2 * vehicles) + coords[1:]

    travel = tuple(tuple(math.ceil(math.dist(a, b)) for b in places) for a in places)
    depot_open, depot_close = windows[0]
    techs = tuple(
        Tech(2 * v, 2 * v + 1, depot_open, depot_close, None, 10**6) for v in range(vehicles)
    )
    jobs = tuple(
        Job(
            place=2 * vehicles + c,
            earliest=windows[c + 1][0],
            latest=windows[c + 1][1],
            duration=service,
            priority=0,
            crew=1,
            skilled=frozenset(range(vehicles)),
            deadline=None,
        )
        for c in range(len(coords) - 1)
    )
    return Problem(techs, jobs, travel, 0), coords, demand, int(head["CAPACITY"])


def run(name: str, limit: float) -> None:
    prob, coords, demand, capacity = problem(DATA / f"{name}.vrp")
    t0 = time.perf_counter()
    routes, used = dayplan._solve(prob, "ortools", dt.timedelta(seconds=limit), None)
    took = time.perf_counter() - t0
    assert not check(prob, routes), "the planner returned a plan that breaks its own rules"
    distance = 0.0
    for route in routes:
        if not route:
            continue
        # Customer c is job c - 1; 0 is the depot. Each leg truncated to one decimal.
        stops = [0, *(job + 1 for job, _ in route), 0]
        for a, b in itertools.pairwise(stops):
            distance += math.floor(10 * math.dist(coords[a], coords[b])) / 10
    served = sum(len(r) for r in routes)
    vehicles = sum(1 for r in routes if r)
    load = max((sum(demand[j + 1] for j, _ in r) for r in routes), default=0)
    best, best_vehicles = BEST_KNOWN[name]
    print(
        f"  {name}: served {served}/{len(prob.jobs)}, distance {distance:.1f} with "
        f"{vehicles} vehicles ({used}, {took:.1f} s); best known {best} with {best_vehicles}: "
        f"gap {distance / best - 1:+.1%}; largest route load {load} of capacity {capacity}"
        + ("" if load <= capacity else " (over: capacity is not modelled)")
    )


def main(limit: float = 25.0) -> None:
    print(f"\nSolomon VRPTW, our planner (search limit {limit:.0f} s)")
    for name in ("RC101", "RC208"):
        run(name, limit)


if __name__ == "__main__":
    main()

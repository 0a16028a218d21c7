"""The day plan at city scale: our solvers against VROOM and PyVRP (not run in CI).

    python benchmarks/bench_plan.py            # 20 x 200 and 50 x 600, 25 s search
    python benchmarks/bench_plan.py --quick    # 5 x 40, 3 s search
    python benchmarks/bench_plan.py --solomon  # Solomon RC101 and RC208 (solomon_adapter.py)

Two tables per instance, one row per solver: visits served by tier, travel
minutes, late arrivals (a visit starting outside its window: must be 0),
quiet-hour violations (a visit ending after the service hours: must be 0),
B7 inversions (a diamond or gold visit left out for lack of time while an
ordinary one of the same window is served), rule breaks found by the
planner's own check, and the wall time.

1. The day as generated, crews (M2) included: greedy and OR-Tools through
   ``plan_day``. Target: OR-Tools travel <= 0.8x the greedy's with at least
   as many visits served and no B7 inversion.
2. The same day without its crew visits, which VROOM and PyVRP cannot model:
   greedy, OR-Tools (the planner's own ``_solve``, the heart of ``plan_day``),
   VROOM (``vroom_adapter.py``) and PyVRP (``pyvrp_adapter.py``), all on the
   one private problem record. Target: OR-Tools within 5 % of the best of
   VROOM and PyVRP, compared as travel per served visit (they serve different
   numbers of visits) and as travel. VROOM and PyVRP get the same time limit
   as ours (VROOM at its highest exploration level, on both cores; PyVRP with
   a fixed seed). PyVRP-nl is PyVRP on the day without lunch breaks: a
   relaxed problem, printed to show what the lunch encoding costs it, and
   left out of the comparison.

Instances come from ``plan_instances.py``; the wall times are of one run on
whatever machine runs it (start it with ``nice`` on a shared one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import plan_instances

import fieldservice as fs
from fieldservice.planning import dayplan, plan_day
from fieldservice.planning._problem import Problem, Routes, check, route_travel


def _audit(plan, orders):  # type: ignore[no-untyped-def]
    by_id = {o.id: o for o in orders}
    std = plan_instances.standard()
    late = quiet = 0
    served_windows: dict[object, set[fs.Tier]] = {}
    for route in plan.routes:
        for s in route.stops:
            o = by_id[s.order_id]
            lo, hi = (o.arrival.start, o.arrival.end) if o.arrival else o.window.bounds(std)
            late += not (lo <= s.start < hi)
            quiet += s.end.time() > std.quiet_hours.start
            served_windows.setdefault((o.window, o.arrival), set()).add(s.tier)
    inversions = sum(
        1
        for x in plan.left_out
        if x.code == "day_full"
        and x.tier >= fs.Tier.GOLD
        and fs.Tier.ORDINARY
        in served_windows.get((by_id[x.order_id].window, by_id[x.order_id].arrival), set())
    )
    return late, quiet, inversions


def _row(
    name: str, tiers: Counter[fs.Tier], travel: float, audit: tuple[int, ...], took: float
) -> str:
    by_tier = " ".join(f"{t.value}={tiers[t]}" for t in sorted(fs.Tier, reverse=True))
    late, quiet, inversions, breaks = (*audit, 0)[:4]
    return (
        f"  {name:8} served {sum(tiers.values()):4} ({by_tier}), travel {travel:6.0f} min, "
        f"late {late}, quiet-hours {quiet}, B7 inversions {inversions}, rule breaks {breaks}, "
        f"{took:5.1f} s"
    )


def _job_audit(
    prob: Problem, by_job: list[fs.WorkOrder], routes: Routes
) -> tuple[Counter[fs.Tier], float, tuple[int, int, int, int]]:
    """The table's figures for routes over the private problem (any solver's)."""
    std = plan_instances.standard()
    midnight = dt.datetime.combine(plan_instances.DAY, dt.time(), tzinfo=None)
    quiet_start = std.quiet_hours.start.hour * 60 + std.quiet_hours.start.minute
    served: dict[int, int] = {}
    travel = late = quiet = 0
    windows: dict[object, set[fs.Tier]] = {}
    for tech, route in enumerate(routes):
        travel += route_travel(prob, tech, route)
        for job, start in route:
            j, o = prob.jobs[job], by_job[job]
            served[job] = start
            lo, hi = (o.arrival.start, o.arrival.end) if o.arrival else o.window.bounds(std)
            lo_min = (lo.naive() - midnight).total_seconds() // 60
            hi_min = (hi.naive() - midnight).total_seconds() // 60
            late += not (lo_min <= start < hi_min)
            quiet += start + j.duration > quiet_start
            windows.setdefault((o.window, o.arrival), set()).add(o.tier)
    inversions = sum(
        1
        for i, o in enumerate(by_job)
        if i not in served
        and o.tier >= fs.Tier.GOLD
        and dayplan._why(prob, i)[1] == "day_full"
        and fs.Tier.ORDINARY in windows.get((o.window, o.arrival), set())
    )
    tiers = Counter(by_job[i].tier for i in served)
    return tiers, travel, (late, quiet, inversions, len(check(prob, routes)))


def run(techs: int, visits: int, limit: float) -> None:
    orders, team, crew = plan_instances.instance(techs, visits)
    print(f"\n{techs} technicians x {visits} visits (search limit {limit:.0f} s)")
    print(f"  the day with its {len(crew)} crew visits (M2), through plan_day:")
    travel = {}
    served = {}
    inversions = {}
    for solver in ("greedy", "ortools"):
        t0 = time.perf_counter()
        plan = plan_day(
            orders, team, plan_instances.DAY, crew=crew, time_limit=limit, solver=solver
        )
        took = time.perf_counter() - t0
        audit = _audit(plan, orders)
        tiers = Counter(plan.served)
        travel[solver] = plan.travel.total_seconds() / 60
        served[solver] = sum(tiers.values())
        inversions[solver] = audit[2]
        print(_row(solver, tiers, travel[solver], audit, took) + f"  [plan.solver={plan.solver!r}]")
    ratio = travel["ortools"] / travel["greedy"]
    print(
        f"  OR-Tools / greedy travel: {ratio:.2f}x (target <= 0.80x), served "
        f"{served['ortools'] - served['greedy']:+d} (target >= +0), B7 inversions "
        f"{inversions['ortools']} (target 0); travel per served visit "
        f"{travel['ortools'] / served['ortools']:.1f} vs {travel['greedy'] / served['greedy']:.1f} min"
    )
    _without_crews(orders, team, limit)


def _without_crews(orders: list[fs.WorkOrder], team: fs.planning.Team, limit: float) -> None:
    prob, by_job = plan_instances.problem(orders, team)
    print("  the same day without its crew visits (VROOM and PyVRP cannot model M2):")
    seconds = dt.timedelta(seconds=limit)
    solvers: dict[str, Callable[[], Routes]] = {
        "greedy": lambda: dayplan._solve(prob, "greedy", seconds, None)[0],
        "ortools": lambda: dayplan._solve(prob, "ortools", seconds, None)[0],
    }
    notes: dict[str, str] = {}
    try:
        import vroom_adapter
    except ImportError:
        print("  VROOM: pyvroom is not installed (pip install 'fieldservice[bench]')")
    else:
        solvers["VROOM"] = lambda: vroom_adapter.solve(prob, limit)
    try:
        import pyvrp_adapter
    except ImportError:
        print("  PyVRP: pyvrp is not installed (pip install 'fieldservice[bench]')")
    else:

        def _pyvrp() -> Routes:
            routes, dropped = pyvrp_adapter.solve(prob, limit)
            notes["PyVRP"] = f"  [{dropped} dropped by the re-timing around lunch, offered again]"
            return routes

        solvers["PyVRP"] = _pyvrp
        # Not comparable (no lunch): what the lunch encoding costs PyVRP.
        solvers["PyVRP-nl"] = lambda: pyvrp_adapter.solve(prob, limit, lunch=False)[0]
        notes["PyVRP-nl"] = "  [no lunch breaks: a relaxed day, not compared]"
    per_visit = {}
    totals = {}
    for name, solve in solvers.items():
        t0 = time.perf_counter()
        routes = solve()
        took = time.perf_counter() - t0
        tiers, travel, audit = _job_audit(prob, by_job, routes)
        per_visit[name] = travel / max(1, sum(tiers.values()))
        totals[name] = (travel, sum(tiers.values()))
        print(_row(name, tiers, travel, audit, took) + notes.get(name, ""))
    others = [n for n in ("VROOM", "PyVRP") if n in per_visit]
    if others:
        best = min(others, key=lambda n: per_visit[n])
        gap = per_visit["ortools"] / per_visit[best] - 1
        travel_gap = totals["ortools"][0] / min(totals[n][0] for n in others) - 1
        print(
            f"  OR-Tools vs the best of {'/'.join(others)} ({best}): travel per served visit "
            f"{per_visit['ortools']:.2f} vs {per_visit[best]:.2f} min, gap {gap:+.1%} "
            f"(target <= +5 %); total travel gap {travel_gap:+.1%}, served "
            f"{totals['ortools'][1]} vs {max(totals[n][1] for n in others)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--solomon", action="store_true")
    parser.add_argument("--limit", type=float, default=25.0)
    args = parser.parse_args()
    if args.solomon:
        import solomon_adapter

        solomon_adapter.main(args.limit)
        return
    if args.quick:
        run(5, 40, 3)
        return
    run(20, 200, args.limit)
    run(50, 600, args.limit)


if __name__ == "__main__":
    main()

"""The day plan at city scale: OR-Tools against the greedy fallback (not run in CI).

    python benchmarks/bench_plan.py            # 20 x 200 and 50 x 600, 25 s search
    python benchmarks/bench_plan.py --quick    # 5 x 40, 3 s search

Prints, per instance and solver: visits served by tier, travel minutes, late
arrivals (a visit starting after its window: must be 0), quiet-hour
violations (a visit ending after the service hours: must be 0), B7 inversions
(a diamond or gold visit left out for lack of time while an ordinary one of
the same window is served), and the wall time, model building included.
Targets: 50 x 600 in <= 30 s; OR-Tools travel <= 0.8x the greedy's with at
least as many visits served. Instances come from ``plan_instances.py``.

Also VROOM (``vroom_adapter.py``, pyvroom from ``fieldservice[bench]``) on the
same day without its crew visits, which VROOM cannot model. Not here yet: PyVRP
(installs, adapter still to write) and the Solomon RC101/RC208 instances
(their files are not available offline).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import plan_instances

import fieldservice as fs
from fieldservice.planning import plan_day


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


def run(techs: int, visits: int, limit: float) -> None:
    orders, team, crew = plan_instances.instance(techs, visits)
    print(f"\n{techs} technicians x {visits} visits (search limit {limit:.0f} s)")
    travel = {}
    served = {}
    for solver in ("greedy", "ortools"):
        t0 = time.perf_counter()
        plan = plan_day(
            orders, team, plan_instances.DAY, crew=crew, time_limit=limit, solver=solver
        )
        took = time.perf_counter() - t0
        late, quiet, inversions = _audit(plan, orders)
        tiers = Counter(plan.served)
        travel[solver] = plan.travel.total_seconds() / 60
        served[solver] = sum(tiers.values())
        by_tier = " ".join(f"{t.value}={tiers[t]}" for t in sorted(fs.Tier, reverse=True))
        print(
            f"  {solver:8} served {served[solver]:4} ({by_tier}), travel {travel[solver]:7.0f} min, "
            f"late {late}, quiet-hours {quiet}, B7 inversions {inversions}, {took:5.1f} s"
        )
    print(
        f"  OR-Tools / greedy travel: {travel['ortools'] / travel['greedy']:.2f}x, "
        f"served {served['ortools'] - served['greedy']:+d}; travel per served visit "
        f"{travel['ortools'] / served['ortools']:.1f} vs {travel['greedy'] / served['greedy']:.1f} min"
    )
    _vroom(orders, team, limit)


def _vroom(orders, team, limit: float) -> None:  # type: ignore[no-untyped-def]
    try:
        import vroom_adapter
    except ImportError:
        print("  VROOM: pyvroom is not installed (pip install 'fieldservice[bench]')")
        return
    # VROOM has no crews (M2): both solvers get the day without them.
    t0 = time.perf_counter()
    plan = plan_day(orders, team, plan_instances.DAY, time_limit=limit, solver="ortools")
    ours = (sum(plan.served.values()), plan.travel.total_seconds() / 60, time.perf_counter() - t0)
    t0 = time.perf_counter()
    served, travel, _ = vroom_adapter.solve(vroom_adapter.problem(orders, team, plan_instances.DAY))
    took = time.perf_counter() - t0
    print(
        f"  without crews: ortools served {ours[0]}, travel {ours[1]:.0f} min, {ours[2]:.1f} s; "
        f"VROOM served {served}, travel {travel} min, {took:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--limit", type=float, default=25.0)
    args = parser.parse_args()
    if args.quick:
        run(5, 40, 3)
        return
    run(20, 200, args.limit)
    run(50, 600, args.limit)


if __name__ == "__main__":
    main()

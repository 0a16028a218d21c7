"""Plan a branch's day and draw the routes (B7, G4).

    python examples/plan_day.py                 # print each technician's route
    python examples/plan_day.py --draw day.png  # and draw them (needs matplotlib)

Twelve visits around a depot, three technicians, the seed's standard with a
12:00-13:00 lunch. The plan comes from OR-Tools when ``fieldservice[plan]``
is installed, else from the greedy fallback. The drawing reads the plan's
records with ``include_personal=True``: coordinates are personal data (G1),
so only a caller who asks gets them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random

import pendulum

import fieldservice as fs
from fieldservice.planning import Member, Place, Team, plan_day

DAY = dt.date(2026, 11, 26)
DEPOT = Place("depot", coordinates=(31.2304, 121.4737))


def build() -> tuple[list[fs.WorkOrder], Team]:
    rng = random.Random(7)
    std = fs.ServiceStandard.default().replace(lunch_break=fs.TimeRange(dt.time(12), dt.time(13)))
    team = Team(
        members=[
            Member(f"T{i}", products=set(fs.Product), kinds=set(fs.OrderKind), start=DEPOT)
            for i in (1, 2, 3)
        ],
        standard=std,
    )
    at = pendulum.datetime(2026, 11, 24, 9, tz=std.timezone)
    orders = []
    for i in range(12):
        place = (31.2304 + rng.uniform(-0.05, 0.05), 121.4737 + rng.uniform(-0.06, 0.06))
        cust = fs.Customer(
            id=f"C{i}",
            name="张三",
            tier=rng.choice(list(fs.Tier)),
            phones="13800138000",
            address=fs.Address(region="上海市", detail=f"路 {i} 号", coordinates=place),
        )
        order = fs.WorkOrder.install(
            id=f"WO-{i:02d}", customer=cust, products={"broadband"}, accepted_at=at, by="desk"
        )
        order.check_resources(True, at=at, by="desk")
        order.book((DAY, "morning" if i % 2 else "afternoon"), at=at.add(minutes=1), by="desk")
        orders.append(order)
    return orders, team


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draw", metavar="PNG")
    args = parser.parse_args()
    orders, team = build()
    plan = plan_day(orders, team, DAY, time_limit=2)
    print(f"{DAY}: {sum(plan.served.values())} visits, travel {plan.travel}, solver {plan.solver}")
    for route in plan.routes:
        print(
            f"  {route.technician}: "
            + ", ".join(f"{s.start:%H:%M} {s.order_id} ({s.tier.value})" for s in route.stops)
        )
    for x in plan.left_out:
        print(f"  left out {x.order_id}: [{x.rule}/{x.code}]")
    if args.draw:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        records = plan.to_records(include_personal=True)
        fig, ax = plt.subplots(figsize=(6, 6))
        assert DEPOT.coordinates is not None
        for tech in sorted({r["technician"] for r in records}):
            stops = [r for r in records if r["technician"] == tech]
            lats = [DEPOT.coordinates[0], *(r["lat"] for r in stops), DEPOT.coordinates[0]]
            lons = [DEPOT.coordinates[1], *(r["lon"] for r in stops), DEPOT.coordinates[1]]
            ax.plot(lons, lats, marker="o", label=str(tech))
        ax.plot(DEPOT.coordinates[1], DEPOT.coordinates[0], "ks", label="depot")
        ax.legend()
        ax.set_title(f"Routes of {DAY}")
        fig.savefig(args.draw)
        print(f"  drew {args.draw}")


if __name__ == "__main__":
    main()

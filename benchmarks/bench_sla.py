"""SLA clocks: evaluate_many throughput on open orders, and its ratio to a per-order loop.

Run: python benchmarks/bench_sla.py [N]   (default N = 1,000,000)

Prints, in one run:
- evaluate_many on N open orders (one in three a repair on a service-time clock, the rest
  installs waiting for booking contact), orders per second and seconds;
- the straightforward baseline, calling evaluate() per order, measured on a sample and
  scaled, as a ratio;
- a check that both give the same states and deadlines on the sample.
"""

from __future__ import annotations

import gc
import math
import random
import sys
import time

import pendulum

import fieldservice as fs
from fieldservice.events import Event
from fieldservice.sla import ClockName, evaluate, evaluate_many

TZ = "Asia/Shanghai"


def make_orders(n: int, seed: int = 7) -> list[tuple[Event, ...]]:
    rng = random.Random(seed)
    base = pendulum.datetime(2026, 11, 20, tz=TZ)
    tiers = [t.value for t in fs.Tier]
    # Build a pool of distinct logs and reuse them: the cost measured is evaluation.
    pool = []
    for i in range(2000):
        start = base.add(minutes=rng.randrange(0, 5 * 24 * 60))
        tier = rng.choice(tiers)
        area = "countryside" if i % 7 == 0 else "city"
        if i % 3 == 0:
            log = [Event("reported", start, actor="desk", data={"tier": tier, "area": area})]
            if i % 9 == 0:
                log.append(
                    Event(
                        "clock_paused",
                        start.add(hours=1),
                        actor="desk",
                        data={"reason": "customer_request"},
                    )
                )
                log.append(Event("clock_resumed", start.add(hours=3), actor="desk"))
        else:
            log = [
                Event("accepted", start, actor="desk", data={"tier": tier, "area": area}),
                Event("resources_available", start.add(minutes=5), actor="desk"),
            ]
        pool.append(tuple(log))
    return [pool[i % len(pool)] for i in range(n)]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    std = fs.ServiceStandard.default().replace(
        repair=fs.ClockRule(
            "F4",
            fs.ClockBasis.SERVICE,
            fs.ServiceStandard.default().repair.city,
            fs.ServiceStandard.default().repair.countryside,
        )
    )
    at = pendulum.datetime(2026, 11, 26, 12, tz=TZ)
    orders = make_orders(n)
    evaluate_many(orders[:1000], at=at, standard=std)  # warm the calendar table

    gc.collect()
    t0 = time.perf_counter()
    batch = evaluate_many(orders, at=at, standard=std)
    fast = time.perf_counter() - t0

    sample = orders[:20_000]
    t0 = time.perf_counter()
    reports = [evaluate(o, at=at, standard=std) for o in sample]
    slow = (time.perf_counter() - t0) * (n / len(sample))

    states = {clock: batch.states(clock) for clock in ClockName}
    for row, report in enumerate(reports):
        for status in report:
            assert states[status.clock][row] is status.state
            d = batch.deadline[status.clock][row]
            assert (math.isnan(d) and status.deadline is None) or abs(
                d - status.deadline.timestamp()  # type: ignore[union-attr]
            ) < 1e-6

    print(
        f"evaluate_many: {n:,} open orders in {fast:.2f} s = {n / fast:,.0f} orders/s "
        f"(target: 1,000,000 in <= 3 s)"
    )
    print(f"per-order evaluate(): {slow:.1f} s for {n:,} (measured on {len(sample):,}, scaled)")
    print(f"ratio evaluate_many / per-order evaluate: {slow / fast:.1f}x faster")
    breached = sum(1 for s in batch.state[ClockName.REPAIR] if s == 4)
    print(f"same answers on the sample: yes; repair clocks breached: {breached:,}")


if __name__ == "__main__":
    main()

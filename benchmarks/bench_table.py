"""``sla.evaluate_table`` on Parquet: the column reader against the per-row Event reader.

    python benchmarks/bench_table.py                # 100,000 orders, three rounds
    python benchmarks/bench_table.py --orders 1000000 --rounds 1

Writes N synthetic orders (``fieldservice.synthetic``, seed 3) as Parquet once, then
alternates in one process, round by round:

* **marks**: ``evaluate_table(path)`` as it is: ``columnar.order_marks`` checks the
  columns (each distinct actor and (kind, data) once per part) and gives the clocks
  plain numbers, no ``Event`` or ``pendulum.DateTime`` per row;
* **marks, jobs**: the same with ``jobs=`` one process per CPU (the parts, row groups of
  whole orders, read and judged in worker processes), with the parent's own CPU time;
* **events**: the reader it replaced, ``columnar.order_events`` (an ``Event`` per row,
  checked per row) with ``OrderJudge.judge_events`` on each order.

Prints seconds per round for both, the ratio, and the issue's target for 1,000,000
orders (10 s).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import tempfile
import time

import pendulum

import fieldservice as fs
from fieldservice import columnar, sla
from fieldservice.synthetic import synthetic_lines

AT = pendulum.datetime(2026, 12, 1, tz="Asia/Shanghai")


def by_events(path: pathlib.Path) -> int:
    judge = sla.OrderJudge(at=AT, standard=fs.ServiceStandard.default())
    started = 0
    for part in columnar.parts(path):
        for order_id, events in columnar.order_events(part, kinds=sla.OrderJudge.KINDS):
            started += sum(1 for s in judge.judge_events(order_id, events).state if s)
    return started


def by_marks(path: pathlib.Path, jobs: int = 1) -> int:
    return int(sla.evaluate_table(path, at=AT, jobs=jobs).num_rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    jobs = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "orders.parquet"
        columnar.write_events(synthetic_lines(args.orders, seed=3), path)
        for round_ in range(args.rounds):
            t0 = time.perf_counter()
            marks = by_marks(path)
            t1 = time.perf_counter()
            c1 = time.process_time()
            shared = by_marks(path, jobs)
            parent = time.process_time() - c1  # the parent's own share: reading nothing
            t2 = time.perf_counter()
            events = by_events(path)
            t3 = time.perf_counter()
            assert marks == shared == events, (marks, shared, events)
            scale = 1_000_000 / args.orders
            print(
                f"round {round_ + 1}: {args.orders:,} orders, {marks:,} started clocks: "
                f"marks {t1 - t0:.2f} s, marks with jobs={jobs} {t2 - t1:.2f} s "
                f"(parent CPU {parent:.2f} s), "
                f"events {t3 - t2:.2f} s; ratio marks/events {(t3 - t2) / (t1 - t0):.2f}x; "
                f"at 1,000,000 orders: {(t1 - t0) * scale:.1f} s, with jobs={jobs} "
                f"{(t2 - t1) * scale:.1f} s (target 10 s)"
            )


if __name__ == "__main__":
    main()

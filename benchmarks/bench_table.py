"""``sla.evaluate_table`` on Parquet: the compiled judge against the Python judges.

    python benchmarks/bench_table.py                # 100,000 orders, three rounds
    python benchmarks/bench_table.py --orders 1000000 --rounds 1

Writes N synthetic orders (``fieldservice.synthetic``, seed 3) as Parquet once, then
alternates in one process, round by round:

* **compiled**: ``evaluate_table(path)`` as it is with the ``fast`` extra: each part's
  columns checked once (``columnar.mark_columns``) and judged by the compiled kernel;
* **compiled, jobs**: the same with ``jobs=`` one process per CPU, with the parent's own
  CPU time;
* **marks**: the Python judge it falls back to (and the path without numba):
  ``columnar.order_marks`` with the scan and judgement of ``sla`` per order;
* **events**: the reader before that, ``columnar.order_events`` (an ``Event`` per row)
  with ``OrderJudge.judge_events`` on each order.

The first call of a process loads the compiled kernel from numba's cache (a few
seconds the very first time, when it compiles); a warm-up call on a small table comes
before the rounds. Prints seconds per round, the ratios, and the issue's target for
1,000,000 orders (10 s).
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
from fieldservice.sla import _table
from fieldservice.synthetic import synthetic_lines

AT = pendulum.datetime(2026, 12, 1, tz="Asia/Shanghai")


def by_events(path: pathlib.Path) -> int:
    judge = sla.OrderJudge(at=AT, standard=fs.ServiceStandard.default())
    started = 0
    for part in columnar.parts(path):
        for order_id, events in columnar.order_events(part, kinds=sla.OrderJudge.KINDS):
            started += sum(1 for s in judge.judge_events(order_id, events).state if s)
    return started


def by_table(path: pathlib.Path, jobs: int = 1) -> int:
    return int(sla.evaluate_table(path, at=AT, jobs=jobs).num_rows)


def by_marks(path: pathlib.Path) -> int:
    judge = _table._PartJudge(fs.ServiceStandard.default(), AT, compiled=False)
    return sum(judge.clocks(part).num_rows for part in columnar.parts(path))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    jobs = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "orders.parquet"
        columnar.write_events(synthetic_lines(args.orders, seed=3), path)
        warm = pathlib.Path(folder) / "warm.parquet"
        columnar.write_events(synthetic_lines(100, seed=4), warm)
        by_table(warm)  # loads (or the very first time compiles) the kernel
        scale = 1_000_000 / args.orders
        for round_ in range(args.rounds):
            t0 = time.perf_counter()
            compiled = by_table(path)
            t1 = time.perf_counter()
            c1 = time.process_time()
            shared = by_table(path, jobs)
            parent = time.process_time() - c1  # the parent's own share: reading nothing
            t2 = time.perf_counter()
            marks = by_marks(path)
            t3 = time.perf_counter()
            events = by_events(path)
            t4 = time.perf_counter()
            assert compiled == shared == marks == events, (compiled, shared, marks, events)
            print(
                f"round {round_ + 1}: {args.orders:,} orders, {compiled:,} started clocks: "
                f"compiled {t1 - t0:.2f} s, compiled with jobs={jobs} {t2 - t1:.2f} s "
                f"(parent CPU {parent:.2f} s), Python marks {t3 - t2:.2f} s, "
                f"Python events {t4 - t3:.2f} s; ratio marks/compiled "
                f"{(t3 - t2) / (t1 - t0):.1f}x, events/compiled {(t4 - t3) / (t1 - t0):.1f}x; "
                f"at 1,000,000 orders: compiled {(t1 - t0) * scale:.1f} s, with jobs={jobs} "
                f"{(t2 - t1) * scale:.1f} s (target 10 s)"
            )


if __name__ == "__main__":
    main()

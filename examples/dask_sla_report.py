"""The nightly SLA report scaled out with ``dask.bag``: partitions of a JSON-lines file.

``sla.evaluate_many`` keeps no state between calls, so a file too big for one
process is judged per partition and the per-tier counts are added up: the table
is the one ``nightly_sla_report.py`` prints for the same file and instant.

``dask.bag.read_text`` splits the file into byte blocks cut at line ends (one
partition per block); ``map_partitions`` runs ``evaluate_many`` + ``summarize``
on each and returns its counts and breaches, which are combined here. It runs
on a local scheduler: ``threads`` (the default) or ``sync`` (one thread, for
debugging). The same graph runs on ``dask.distributed`` for a real cluster.
Only counts combine exactly; the median and p95 of ``summarize`` do not, so
this table leaves them out (as does ``nightly_sla_report.py``).

Dask is an optional extra: ``pip install 'fieldservice[dask]'``.

    python examples/dask_sla_report.py                          # the demo day, generated
    python examples/dask_sla_report.py orders.jsonl --at 2026-11-25T20:00 --partitions 8
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

import dask.bag as db
import pendulum

from fieldservice import ServiceStandard, Tier, sla
from fieldservice.demo import build_day
from fieldservice.events import Event

DEMO_NIGHT = "2026-11-25T20:00"

# (clock, tier) -> [clocks, running, met, breached]: plain counts that add up.
Counts = dict[tuple[str, str], list[int]]


class Logged(NamedTuple):
    """An order as the clocks need it (``sla.HasEvents``): its ID and its events."""

    id: str
    events: tuple[Event, ...]


def read_line(line: str) -> Logged:
    """One line of ``WorkOrder.to_json`` output as an ID and its events, nothing personal."""
    data = json.loads(line)
    return Logged(str(data["id"]), tuple(Event.from_dict(e) for e in data["events"]))


def count(batch: sla.SlaBatch) -> Counts:
    """Per clock and tier, how many clocks started, run (or are paused), were met or breached."""
    return {
        (clock.value, row.tier.value): [row.count, row.running, row.met, row.breached]
        for clock in sla.ClockName
        for row in sla.summarize(batch, clock)
        if row.count
    }


def judge_partition(
    lines: Iterable[str], *, at: pendulum.DateTime, standard: ServiceStandard
) -> list[dict[str, Any]]:
    """One partition: judge its orders and return one plain summary (picklable, small)."""
    orders = [read_line(line) for line in lines if line.strip()]
    batch = sla.evaluate_many(orders, at=at, standard=standard)
    return [
        {
            "orders": len(batch),
            "counts": count(batch),
            "breached": [f"{order} {clock.value}" for order, clock in sla.breaches(batch)],
        }
    ]


def combine(parts: Iterable[dict[str, Any]]) -> tuple[int, Counts, list[str]]:
    """Add the partitions' counts up; breaches stay in file order (partitions are in order)."""
    orders = 0
    counts: Counts = {}
    breached: list[str] = []
    for part in parts:
        orders += part["orders"]
        for key, row in part["counts"].items():
            total = counts.setdefault(key, [0, 0, 0, 0])
            for i, value in enumerate(row):
                total[i] += value
        breached += part["breached"]
    return orders, counts, breached


def table(at: pendulum.DateTime, orders: int, counts: Counts, breached: list[str]) -> list[str]:
    """The report: a header, one row per clock and tier (highest tier first), the breaches."""
    lines = [
        f"SLA report at {at:%Y-%m-%d %H:%M} ({at.timezone_name}), {orders} orders",
        f"  {'clock':<17}{'rule':<5}{'tier':<9}{'clocks':>7}{'running':>8}{'met':>6}"
        f"{'breached':>9}{'met %':>7}",
    ]
    for clock in sla.ClockName:
        for tier in sorted(Tier, reverse=True):
            row = counts.get((clock.value, tier.value))
            if row is None:
                continue
            n, running, met, bad = row
            share = f"{met / (met + bad):.0%}" if met + bad else "-"
            lines.append(
                f"  {clock.value:<17}{clock.rule:<5}{tier.value:<9}{n:>7}{running:>8}{met:>6}"
                f"{bad:>9}{share:>7}"
            )
    listed = ", ".join(breached[:20]) + (" ..." if len(breached) > 20 else "")
    lines.append(f"  {len(breached)} breached clocks{': ' + listed if breached else ''}")
    return lines


def judging_instant(text: str | None, std: ServiceStandard) -> pendulum.DateTime:
    """``--at`` as an aware instant (a wall time in the standard's timezone), or now."""
    if text is None:
        return pendulum.now(std.timezone)
    return pendulum.instance(dt.datetime.fromisoformat(text), tz=std.timezone)


def write_demo_day(path: Path, std: ServiceStandard) -> None:
    """Write the demo day as JSON lines, without personal data: the report needs none."""
    lines = (order.to_json() + "\n" for order in build_day(std))
    path.write_text("".join(lines), encoding="utf-8")


def report(
    path: Path, at: pendulum.DateTime, std: ServiceStandard, partitions: int, scheduler: str
) -> tuple[int, list[str]]:
    """Judge the file partition by partition; return the partition count and the report."""
    # Blocks of size // partitions bytes, each read on to a line end: whole orders only.
    # A block with no line start of its own is an empty partition, which counts nothing.
    blocksize = max(1, path.stat().st_size // partitions)
    bag = db.read_text(str(path), blocksize=blocksize, encoding="utf-8")
    parts = bag.map_partitions(judge_partition, at=at, standard=std).compute(scheduler=scheduler)
    orders, counts, breached = combine(parts)
    return bag.npartitions, table(at.in_timezone(std.timezone), orders, counts, breached)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "orders", nargs="?", type=Path, help="orders, one WorkOrder.to_json per line"
    )
    parser.add_argument(
        "--at", help="judge at this ISO 8601 instant (default: now, or the demo night)"
    )
    parser.add_argument("--partitions", type=int, default=3, help="how many partitions (default 3)")
    parser.add_argument("--scheduler", choices=["threads", "sync"], default="threads")
    args = parser.parse_args()
    std = ServiceStandard.default()
    with tempfile.TemporaryDirectory() as tmp:
        path: Path = args.orders
        at = args.at
        if path is None:
            path = Path(tmp) / "orders.jsonl"
            write_demo_day(path, std)
            at = at or DEMO_NIGHT
            print(f"No file given: wrote the demo day to {path.name} in a temporary directory")
        npartitions, lines = report(
            path, judging_instant(at, std), std, max(1, args.partitions), args.scheduler
        )
        print(f"dask: {npartitions} partitions, {args.scheduler} scheduler")
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

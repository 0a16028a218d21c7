"""The nightly SLA report scaled out with Dask: partitions of a JSON-lines file or Parquet.

Each partition is judged on its own, one order at a time (``sla.OrderJudge``), into an
``sla.SlaSummary``: exact counts per clock and tier, and elapsed-time percentiles in a
DDSketch. Summaries merge: the counts of the merged report are those of one process on
the whole file, and its median and p95 are within ``sla.RELATIVE_ACCURACY`` (1 %) of the
exact ones. The count table is the one ``nightly_sla_report.py`` prints.

Two inputs:

* a JSON-lines file (``dask.bag.read_text`` cuts it into byte blocks at line ends);
* ``--parquet DIR``: an event log written by ``fieldservice.columnar.write_events``, one
  task per Parquet file (partitioned by day or branch, an order never spans two).

Where it runs:

* ``--scheduler threads`` (the default) or ``sync``: in this process;
* ``--cluster local``: a ``dask.distributed`` ``LocalCluster`` of ``--workers`` processes;
* ``--cluster tcp://scheduler-host:8786``: a real cluster. Start one with
  ``dask scheduler`` on one machine and ``dask worker tcp://scheduler-host:8786`` on each of
  the others, all with ``pip install 'fieldservice[dask,arrow]'``; the Parquet folder (or
  file) must be readable at the same path on every worker (a shared file system or an
  object store path that pyarrow opens).

Needs the ``dask`` extra (and ``arrow`` for Parquet): ``pip install 'fieldservice[dask,arrow]'``.

    python examples/dask_sla_report.py                          # the demo day, generated
    python examples/dask_sla_report.py orders.jsonl --at 2026-11-25T20:00 --partitions 8
    python examples/dask_sla_report.py --parquet events/ --at 2026-11-25T20:00 --cluster local
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import dask
import dask.bag as db
import pendulum

from fieldservice import ServiceStandard, Tier, columnar, sla
from fieldservice.demo import build_day
from fieldservice.standard import format_duration

DEMO_NIGHT = "2026-11-25T20:00"

# (clock, tier) -> [clocks, running, met, breached]: plain counts that add up.
Counts = dict[tuple[str, str], list[int]]
# A partition's summary, the first LISTED breached clocks it holds, and how many it holds.
Part = tuple[sla.SlaSummary, list[str], int]
Breaches = tuple[list[str], int]
# The report names the first 20 breached clocks and counts the rest: only those 20 travel
# back from a partition, not millions of names (a branch's whole history breaches many).
LISTED = 20


def tally(rows: Iterable[sla.OrderClocks]) -> Part:
    """Orders' clocks into a summary and the breaches."""
    summary = sla.SlaSummary()
    listed: list[str] = []
    count = 0
    for row in rows:
        summary.add_clocks(row.state, row.tier, row.elapsed)
        bad = row.breached()
        count += len(bad)
        if len(listed) < LISTED:
            # An ID that may hold a phone number is not printed (G1), as in the command.
            shown = sla.shown_id(row.id)
            listed += [f"{shown} {clock.value}" for clock in bad][: LISTED - len(listed)]
    return summary, listed, count


def judge_partition(
    lines: Iterable[str], *, at: pendulum.DateTime, standard: ServiceStandard
) -> list[Part]:
    """One partition of JSON lines: one summary (small, picklable), and its breaches."""
    judge = sla.OrderJudge(at=at, standard=standard)
    return [tally(judge.judge(json.loads(line)) for line in lines if line.strip())]


def judge_parquet(path: str, *, at: pendulum.DateTime, standard: ServiceStandard) -> Part:
    """One Parquet file of an event log, judged on the worker that reads it.

    A row group at a time (``columnar.parts``), and only the events a clock reads are
    built (``OrderJudge.KINDS``): the worker holds one row group, not the file.
    """
    judge = sla.OrderJudge(at=at, standard=standard)
    return tally(
        judge.judge_events(order_id, events)
        for part in columnar.parts(path)
        for order_id, events in columnar.order_events(part, kinds=judge.KINDS)
    )


def combine(parts: Iterable[Part]) -> tuple[sla.SlaSummary, Breaches]:
    """Merge the partitions' summaries; the listed breaches stay in partition order.

    The merged counts are checked against the plain sum of every partition's exact
    counts: merging must lose or double nothing, however the orders were split.
    """
    summary = sla.SlaSummary()
    listed: list[str] = []
    count = 0
    added: Counts = {}
    for part, names, bad in parts:
        summary = summary.merge(part)
        listed += names[: LISTED - len(listed)]
        count += bad
        for key, numbers in counts_of(part).items():
            so_far = added.setdefault(key, [0, 0, 0, 0])
            added[key] = [a + b for a, b in zip(so_far, numbers, strict=True)]
    if counts_of(summary) != added:
        msg = "the merged summary's counts differ from the sum of the partitions' counts"
        raise AssertionError(msg)
    return summary, (listed, count)


def counts_of(summary: sla.SlaSummary) -> Counts:
    """Per clock and tier, how many clocks started, run (or are paused), were met or breached."""
    return {
        (r["clock"], r["tier"]): [r["count"], r["running"], r["met"], r["breached"]]
        for r in summary.to_records()
    }


def percentiles(summary: sla.SlaSummary) -> list[str]:
    """The merged median and p95 of elapsed time per clock and tier."""

    def span(seconds: object) -> str:
        if not isinstance(seconds, float):
            return "-"
        return format_duration(dt.timedelta(minutes=round(seconds / 60)))

    lines = [f"Merged percentiles (DDSketch, within {sla.RELATIVE_ACCURACY:.0%}):"]
    lines += [
        f"  {r['clock']:<17}{r['tier']:<9} median {span(r['median_elapsed_s']):>9}"
        f"  p95 {span(r['p95_elapsed_s']):>9}"
        for r in summary.to_records()
    ]
    return lines


def table(at: pendulum.DateTime, orders: int, counts: Counts, breached: Breaches) -> list[str]:
    """The report: a header, one row per clock and tier (highest tier first), the breaches.

    Each count column is as wide as its largest number and starts with a space, so
    numbers never run together, however many orders there are.
    """
    heads = ("clocks", "running", "met", "breached")
    widths = [
        max([len(h), *(len(str(row[i])) for row in counts.values())]) for i, h in enumerate(heads)
    ]
    lines = [
        f"SLA report at {at:%Y-%m-%d %H:%M} ({at.timezone_name}), {orders} orders",
        f"  {'clock':<17}{'rule':<5}{'tier':<8}"
        + "".join(f" {h:>{w}}" for h, w in zip(heads, widths, strict=True))
        + f" {'met %':>6}",
    ]
    for clock in sla.ClockName:
        for tier in sorted(Tier, reverse=True):
            row = counts.get((clock.value, tier.value))
            if row is None:
                continue
            met, bad = row[2], row[3]
            share = f"{met / (met + bad):.0%}" if met + bad else "-"
            cells = "".join(f" {n:>{w}}" for n, w in zip(row, widths, strict=True))
            lines.append(f"  {clock.value:<17}{clock.rule:<5}{tier.value:<8}{cells} {share:>6}")
    names, count = breached
    listed = ", ".join(names[:LISTED]) + (" ..." if count > LISTED else "")
    lines.append(f"  {count} breached clocks{': ' + listed if count else ''}")
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
) -> tuple[int, sla.SlaSummary, Breaches]:
    """Judge a JSON-lines file partition by partition: the partition count, summary, breaches."""
    # Blocks of size // partitions bytes, each read on to a line end: whole orders only.
    # A block with no line start of its own is an empty partition, which counts nothing.
    blocksize = max(1, path.stat().st_size // partitions)
    bag = db.read_text(str(path), blocksize=blocksize, encoding="utf-8")
    kwargs = {} if scheduler == "cluster" else {"scheduler": scheduler}
    parts = bag.map_partitions(judge_partition, at=at, standard=std).compute(**kwargs)
    summary, breached = combine(parts)
    return bag.npartitions, summary, breached


def report_parquet(
    folder: Path, at: pendulum.DateTime, std: ServiceStandard, scheduler: str
) -> tuple[int, sla.SlaSummary, Breaches]:
    """Judge a Parquet event log, one task per file."""
    files = sorted(str(p) for p in folder.rglob("*.parquet")) if folder.is_dir() else [str(folder)]
    tasks = [dask.delayed(judge_parquet)(f, at=at, standard=std) for f in files]
    kwargs = {} if scheduler == "cluster" else {"scheduler": scheduler}
    parts = dask.compute(*tasks, **kwargs)
    summary, breached = combine(parts)
    return len(files), summary, breached


def connect(address: str, workers: int) -> Any:
    """A dask.distributed client: a LocalCluster for ``local``, else the scheduler's address."""
    from dask.distributed import Client, LocalCluster

    if address == "local":
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        return Client(cluster)
    return Client(address)


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
    parser.add_argument("--parquet", type=Path, help="a Parquet event log (file or folder)")
    parser.add_argument(
        "--cluster", help="local (a LocalCluster), or a dask scheduler's address tcp://host:8786"
    )
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster workers (2)")
    args = parser.parse_args()
    std = ServiceStandard.default()
    client = None if args.cluster is None else connect(args.cluster, args.workers)
    scheduler = "cluster" if client is not None else args.scheduler
    try:
        return run(args, std, scheduler)
    finally:
        if client is not None:
            cluster = client.cluster
            client.close()
            if cluster is not None:
                cluster.close()


def run(args: argparse.Namespace, std: ServiceStandard, scheduler: str) -> int:
    """Read, judge and print, on the scheduler chosen."""
    with tempfile.TemporaryDirectory() as tmp:
        path: Path = args.orders
        at = args.at
        if args.parquet is not None:
            when = judging_instant(at, std)
            n, summary, breached = report_parquet(args.parquet, when, std, scheduler)
            print(
                f"dask: {n} Parquet partitions, {scheduler} scheduler; merged counts equal "
                f"the sum of the partitions' exact counts ({summary.orders} orders)"
            )
            show(when.in_timezone(std.timezone), summary, breached)
            return 0
        if path is None:
            path = Path(tmp) / "orders.jsonl"
            write_demo_day(path, std)
            at = at or DEMO_NIGHT
            print(f"No file given: wrote the demo day to {path.name} in a temporary directory")
        when = judging_instant(at, std)
        npartitions, summary, breached = report(path, when, std, max(1, args.partitions), scheduler)
        print(f"dask: {npartitions} partitions, {scheduler} scheduler")
        show(when.in_timezone(std.timezone), summary, breached)
    return 0


def show(at: pendulum.DateTime, summary: sla.SlaSummary, breached: Breaches) -> None:
    """The count table (as nightly_sla_report.py prints it), then the merged percentiles."""
    print("\n".join(table(at, summary.orders, counts_of(summary), breached)))
    print("\n".join(percentiles(summary)))


if __name__ == "__main__":
    raise SystemExit(main())

"""A nightly SLA report: every clock of every order in a JSON-lines file, per clock and tier.

Each line of the file is one order as ``WorkOrder.to_json`` writes it. The SLA
clocks are pure functions of an order's events, so the report reads only each
line's ``id`` and ``events`` (``Event.from_dict``): it works on an export made
*without* personal data (``to_json()``, the G1 default) as well as on a full one,
and never prints a name, phone or address. ``sla.evaluate_many`` judges all
orders at one instant in one pass; ``sla.summarize`` gives the per-tier counts.

    python examples/nightly_sla_report.py                      # the demo day, generated
    python examples/nightly_sla_report.py orders.jsonl --at 2026-11-25T20:00

Without a file it writes the demo day (``fieldservice.demo.build_day``) into a
temporary directory and judges it at 20:00 that day. With a file and no
``--at`` it judges at the current time: the library never reads the clock, but
a nightly job may. ``dask_sla_report.py`` prints the same table, scaled out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import NamedTuple

import pendulum

from fieldservice import ServiceStandard, Tier, sla
from fieldservice.demo import build_day
from fieldservice.events import Event

DEMO_NIGHT = "2026-11-25T20:00"

# (clock, tier) -> [clocks, running, met, breached]: plain counts, so they add up
# across partitions (dask_sla_report.py). Cancelled clocks count only in "clocks".
Counts = dict[tuple[str, str], list[int]]
# The breached clocks the report names (the first LISTED), and how many there are.
Breaches = tuple[list[str], int]
LISTED = 20


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


def report(path: Path, at: pendulum.DateTime, std: ServiceStandard) -> list[str]:
    """Read the file, judge every order at ``at`` and return the report's lines."""
    with path.open(encoding="utf-8") as lines:
        orders = [read_line(line) for line in lines if line.strip()]
    batch = sla.evaluate_many(orders, at=at, standard=std)
    # An ID that may hold a phone number is not printed (G1): sla.shown_id, as the command.
    breached = [f"{sla.shown_id(order)} {clock.value}" for order, clock in sla.breaches(batch)]
    return table(batch.at, len(batch), count(batch), (breached[:LISTED], len(breached)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "orders", nargs="?", type=Path, help="orders, one WorkOrder.to_json per line"
    )
    parser.add_argument(
        "--at", help="judge at this ISO 8601 instant (default: now, or the demo night)"
    )
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
        print("\n".join(report(path, judging_instant(at, std), std)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

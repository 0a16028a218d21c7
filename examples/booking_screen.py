"""A dispatcher's booking screen: the next bookable half-day windows, a refused wish, paging on.

A customer calls on the afternoon of 2026-09-29, just before the National Day
holiday (国庆). The screen lists the earliest windows the standard allows
(``next_windows``: B2 half-days, B5 lead time, B6 service hours), once on the
seed's standard and once for a branch that closes visits on public holidays.
The customer's own wish is checked with ``check_window``, which returns every
broken rule as data (rule ID, code, message) for the screen to show; the
dispatcher pages on with ``after=`` and books the window the customer takes.

Run it with ``python examples/booking_screen.py``.
"""

from __future__ import annotations

import pendulum

import fieldservice as fs

# A real screen judges "now" (pendulum.now(std.timezone)); the library never reads
# the clock, so the instant is always passed in. Fixed here to keep the output stable.
CALL_AT = (2026, 9, 29, 16, 0)


def show(
    windows: tuple[fs.AppointmentWindow, ...], booked_at: pendulum.DateTime, std: fs.ServiceStandard
) -> None:
    for window in windows:
        start, end = window.bounds(std)
        offered = fs.check_window(window, booked_at, std).earliest_arrival
        later = f"  (from {offered:%H:%M}, B5)" if offered is not None and offered > start else ""
        print(
            f"  {window.date:%Y-%m-%d %a}  {window.half.label_zh} {start:%H:%M}-{end:%H:%M}{later}"
        )


def main() -> int:
    seed = fs.ServiceStandard.default()
    branch = seed.replace(name="closed-on-holidays", close_visits_on_holidays=True)
    booked_at = pendulum.datetime(*CALL_AT, tz=seed.timezone)
    print(f"Customer calls at {booked_at:%Y-%m-%d %H:%M} ({seed.timezone})")

    for std in (seed, branch):
        print(f"Next 4 windows, standard {std.name!r}:")
        show(fs.next_windows(booked_at, std, count=4), booked_at, std)

    # The customer wants tomorrow morning, then 2 October: both refused, with reasons.
    for wish in (
        fs.AppointmentWindow("2026-09-30", "morning"),
        fs.AppointmentWindow("2026-10-02", "morning"),
    ):
        check = fs.check_window(wish, booked_at, branch)
        verdict = "ok" if check.ok else "refused"
        print(f"Wish {wish}: {verdict}")
        for violation in check.violations:
            print(f"  {violation.rule} {violation.code}: {violation.message}")

    # Page on: the four windows after the last one shown.
    first = fs.next_windows(booked_at, branch, count=4)
    more = fs.next_windows(booked_at, branch, count=4, after=first[-1])
    print(f"More windows after {first[-1]}:")
    show(more, booked_at, branch)

    # The customer takes the first window after the holiday: book it on an order.
    customer = fs.Customer(
        id="C-7", name="李四", tier="silver", phones="139 0139 0000", address="漕溪北路 8 号"
    )
    order = fs.WorkOrder.install(
        id="WO-7",
        customer=customer,
        products={"broadband"},
        accepted_at=booked_at.subtract(minutes=10),
        by="desk-2",
        standard=branch,
    )
    order.check_resources(True, at=booked_at.subtract(minutes=5), by="desk-2")
    order.book(first[1], at=booked_at, by="desk-2")
    print(f"Booked {order.id} for {order.window}: {order.state.label_zh} ({order.state.value})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

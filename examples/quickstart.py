"""Quick start: one install order from acceptance (受理) to a judged SLA clock and its reminders.

It shows the five things an integrator does first: take the standard, describe a
customer (masked wherever shown, G1), open an order, book a window the standard
allows, and ask the order where it stands (its state, its SLA clocks, the
reminders still to come). Every time is explicit: the library never reads the
clock, so the script passes ``at=`` everywhere.

Run it with ``python examples/quickstart.py``.
"""

from __future__ import annotations

import datetime as dt

import pendulum

import fieldservice as fs


def main() -> int:
    std = fs.ServiceStandard.default()  # the seed's numbers; a branch uses from_toml()
    tz = std.timezone

    # Personal data is wrapped: repr, str and f-strings show it masked (G1).
    customer = fs.Customer(
        id="C-1",
        name="张三",
        tier="gold",
        phones="138 0013 8000",
        address=fs.Address(region="上海市浦东新区", detail="张江路 100 弄 5 号 302"),
    )
    print(f"customer {customer.id}: {customer.tier.label_zh}, name {customer.name}")

    accepted = pendulum.datetime(2026, 11, 24, 10, 30, tz=tz)
    order = fs.WorkOrder.install(
        id="WO-1",
        customer=customer,
        products={"broadband", "fixed_line"},  # M1: one order, one visit for both
        accepted_at=accepted,
        by="desk-1",
        standard=std,
    )
    order.check_resources(True, at=accepted.add(minutes=1), by="desk-1")
    print(f"{order.id}: {order.state.label_zh} ({order.state.value})")

    # The earliest windows the standard allows (B5: 24 h lead time, B6: no quiet hours).
    windows = fs.next_windows(accepted.add(minutes=5), std, count=2)
    print("offered:", ", ".join(str(w) for w in windows))

    order.contact_customer(at=accepted.add(minutes=4), by="desk-1")
    order.book(windows[0], at=accepted.add(minutes=5), by="desk-1")
    print(f"{order.id}: {order.state.label_zh} ({order.state.value}), window {order.window}")

    # A refused command raises a typed error with the broken rules, and changes nothing.
    try:
        order.confirm(9, at=accepted.add(hours=20), by="T7")  # 09:00 is within 24 h of booking (B5)
    except fs.InvalidAppointment as err:
        rules = ", ".join(f"{v.rule} {v.code}" for v in err.violations)
        print(f"refused [{err.code}]: {rules}; still {order.state.value}")

    # SLA clocks are pure functions of the events and an instant to judge at.
    report = fs.sla.evaluate(order, at=accepted.add(hours=1), standard=std)
    for status in report:
        if status.state is not fs.ClockState.NOT_STARTED:
            print(f"clock {status.clock.value} ({status.rule}): {status.state.value}")

    # Reminders still to come, each with a stable idempotency key for a notifier.
    plan = fs.reminders.plan(order, standard=std, travel=dt.timedelta(minutes=30))
    for reminder in plan:
        when = reminder.due.format("MM-DD HH:mm")
        print(
            f"reminder {reminder.rule} {reminder.kind.value} at {when} to {reminder.audience.value}"
        )

    # The event log is the order: restoring it gives the same answers.
    again = fs.WorkOrder.from_json(order.to_json(include_personal=True), standard=std)
    same = again.state is order.state and again.events == order.events
    print(f"restored from JSON: {'same state and events' if same else 'DIFFERENT'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())

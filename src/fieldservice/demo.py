"""The ``fieldservice demo`` day: a small team's Wednesday on the standard, end to end.

Six orders for three technicians: two installs, a move (移机), a customer who is
not at home (K3), a customer's reschedule (B9), a technician late on the way
(T3), and two repairs, one cleared remotely (销障, F2) and one needing a visit.
It only composes the public API and prints: the timeline, the SLA table, the
reminders still to come and a per-tier summary. Personal data stays masked (G1).

>>> import io
>>> from fieldservice import ServiceStandard
>>> out = io.StringIO()
>>> run(ServiceStandard.default(), out)
0
>>> "SLA clocks at 2026-11-25 20:00" in out.getvalue()
True
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TextIO

import pendulum

from fieldservice import sla
from fieldservice._validate import id_text, staff_text
from fieldservice.errors import InvalidInput
from fieldservice.model import Address, Area, Customer, Technician, Tier
from fieldservice.modemlabel import ModemLabel
from fieldservice.reminders import plan
from fieldservice.standard import ServiceStandard
from fieldservice.workflow import WorkOrder
from fieldservice.worksheet import CustomerOpinion, WorkSheet

__all__ = ["build_day", "run"]

_DAY = dt.date(2026, 11, 25)

_TEAM = (
    Technician(id="T7", name="王建国", certificate="ZW-310-0042", phone="139 0139 0000"),
    Technician(id="T8", name="李明", certificate="ZW-310-0043"),
    Technician(id="T9", name="陈强", certificate="ZW-310-0044"),
)


def _customer(
    cid: str, name: str, tier: Tier, phone: str, region: str, detail: str, area: Area = Area.CITY
) -> Customer:
    return Customer(
        id=cid,
        name=name,
        tier=tier,
        phones=phone,
        address=Address(region=region, detail=detail),
        area=area,
    )


def _work(
    order: WorkOrder, by: str, start: pendulum.DateTime, sheet: WorkSheet
) -> pendulum.DateTime:
    """Do the on-site work: tick every open item, fill the sheet, have it signed."""
    moment = start
    order.start_work(at=moment, by=by)
    for item in order.checklist.missing():
        moment = moment.add(minutes=4)
        evidence = {"optical_power_dbm": -18.2} if item.id == "S5" else None
        label = (
            ModemLabel("AD0211234567", "ad0211234567@bb", "Kx7-29qL")
            if item.id in ("L1", "L2")
            else None
        )
        order.tick(item.id, at=moment, by=by, evidence=evidence, label=label)
    moment = moment.add(minutes=5)
    order.fill_worksheet(sheet, at=moment, by=by)
    order.finish_work(at=moment, by=by)
    order.sign(
        signer=order.customer.name.reveal(), role="customer", at=moment.add(minutes=2), by=by
    )
    order.complete(at=moment.add(minutes=3), by=by)
    return moment.add(minutes=3)


def build_day(std: ServiceStandard) -> list[WorkOrder]:
    """Build the demo's orders, driven through their day with the standard ``std``.

    The examples, the notebook and ``fieldservice sla`` start from this day.

    >>> from fieldservice import ServiceStandard
    >>> [o.id for o in build_day(ServiceStandard.default())]
    ['WO-101', 'WO-102', 'WO-103', 'WO-104', 'WO-201', 'WO-202']
    """
    tz = std.timezone

    def at(day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
        return pendulum.datetime(2026, 11, day, hour, minute, tz=tz)

    t7, t8, t9 = _TEAM
    sheet = (
        WorkSheet(technicians=("T7", "T8"))
        .add_material("皮线光缆", 35, "m")
        .add_parameter("收光功率", "-18.2", "dBm")
        .with_opinion(CustomerOpinion(True))
    )
    orders = []

    # WO-101: broadband + fixed line for a gold customer, one visit for both (M1).
    o = WorkOrder.install(
        id="WO-101",
        customer=_customer(
            "C-2001", "张三", Tier.GOLD, "138 0013 8000", "上海市浦东新区", "张江路 100 弄 5 号 302"
        ),
        products={"broadband", "fixed_line"},
        accepted_at=at(24, 9, 10),
        by="desk-1",
        standard=std,
    )
    o.check_resources(True, at=at(24, 9, 12), by="desk-1", immediate=True)
    o.contact_customer(at=at(24, 9, 40), by="desk-1")
    o.book(("2026-11-25", "afternoon"), at=at(24, 9, 45), by="desk-1")
    o.assign([t7, t8], contact=t7, at=at(24, 17), by="dispatch-1")
    o.confirm(14, at=at(25, 8, 20), by="T7")
    o.depart(at=at(25, 13, 15), by="T7", travel=dt.timedelta(minutes=35))
    o.arrive(at=at(25, 13, 52), by="T7")
    o.enter(at=at(25, 13, 55), by="T7")
    done = _work(o, "T7", at(25, 14, 5), sheet)
    o.close(at=done.add(minutes=30), by="desk-1")
    orders.append(o)

    # WO-102: a move (移机) for a silver customer; the technician is late on the way (T3).
    o = WorkOrder.move(
        id="WO-102",
        customer=_customer(
            "C-2002", "李四", Tier.SILVER, "021-6888 1234", "上海市徐汇区", "漕溪北路 8 号 1201"
        ),
        products={"fixed_line"},
        accepted_at=at(24, 8, 30),
        by="desk-2",
        standard=std,
    )
    o.check_resources(True, at=at(24, 8, 35), by="desk-2")
    o.contact_customer(at=at(24, 9, 30), by="desk-2")
    o.book(("2026-11-25", "morning"), at=at(24, 9, 35), by="desk-2")
    o.assign([t9], contact=t9, at=at(24, 17, 5), by="dispatch-1")
    o.confirm(10, at=at(25, 8, 10), by="T9")
    o.depart(at=at(25, 9, 30), by="T9", travel=dt.timedelta(minutes=25))
    o.report_delay(
        "traffic", note="道路施工堵车", at=at(25, 9, 50), by="T9", minutes=25, customer_told=True
    )
    o.arrive(at=at(25, 11, 12), by="T9")
    o.enter(at=at(25, 11, 14), by="T9")
    _work(o, "T9", at(25, 11, 20), sheet.with_opinion(CustomerOpinion(True)))
    orders.append(o)

    # WO-103: nobody at home; after the knock protocol a note is left (K3).
    o = WorkOrder.install(
        id="WO-103",
        customer=_customer(
            "C-2003", "王五", Tier.ORDINARY, "139 0139 1111", "上海市闵行区", "莘庄镇 3 号 501"
        ),
        products={"broadband"},
        accepted_at=at(24, 11),
        by="desk-1",
        standard=std,
    )
    o.check_resources(True, at=at(24, 11, 2), by="desk-1")
    o.contact_customer(at=at(24, 14), by="desk-1")
    o.book(("2026-11-25", "afternoon"), at=at(24, 14, 5), by="desk-1")
    o.assign([t8], contact=t8, at=at(24, 17, 10), by="dispatch-1")
    o.confirm(16, at=at(25, 8, 40), by="T8")
    o.depart(at=at(25, 15, 30), by="T8")
    o.arrive(at=at(25, 15, 55), by="T8")
    o.customer_absent(at=at(25, 15, 59), by="T8", note_left=True, neighbours_asked=True)
    orders.append(o)

    # WO-104: a diamond customer asks to move the visit to Thursday morning (B9).
    o = WorkOrder.install(
        id="WO-104",
        customer=_customer(
            "C-2004", "赵六", Tier.DIAMOND, "137 0137 2222", "上海市静安区", "南京西路 1 号 2801"
        ),
        products={"broadband", "iptv"},
        accepted_at=at(24, 8),
        by="desk-2",
        standard=std,
    )
    o.check_resources(True, at=at(24, 8, 2), by="desk-2")
    o.contact_customer(at=at(24, 8, 30), by="desk-2")
    o.book(("2026-11-25", "afternoon"), at=at(24, 8, 35), by="desk-2")
    o.reschedule(
        ("2026-11-26", "morning"),
        at=at(25, 8, 5),
        by="desk-2",
        requested_by="customer",
        reason="客户临时出差",
        consent=True,
    )
    orders.append(o)

    # WO-201: a broadband fault cleared remotely (F1, F2 销障).
    o = WorkOrder.repair(
        id="WO-201",
        customer=_customer(
            "C-2005", "钱七", Tier.DIAMOND, "135 0135 3333", "上海市黄浦区", "淮海中路 9 号 1602"
        ),
        products={"broadband"},
        reported_at=at(25, 8, 20),
        by="hotline-3",
        standard=std,
    )
    o.triage(remote_possible=True, at=at(25, 8, 25), by="hotline-3")
    o.guide(at=at(25, 8, 30), by="hotline-3")
    o.follow_up(solved=True, at=at(25, 9), by="hotline-3")
    o.close(at=at(25, 9, 5), by="hotline-3")
    orders.append(o)

    # WO-202: a countryside fixed-line fault that needs a visit (F3); still open at night.
    o = WorkOrder.repair(
        id="WO-202",
        customer=_customer(
            "C-2006",
            "孙八",
            Tier.ORDINARY,
            "136 0136 4444",
            "崇明区",
            "新河镇 3 组 17 号",
            area=Area.COUNTRYSIDE,
        ),
        products={"fixed_line"},
        reported_at=at(24, 16),
        by="hotline-1",
        standard=std,
    )
    o.triage(remote_possible=False, at=at(24, 16, 10), by="hotline-1")
    o.request_visit(at=at(24, 16, 12), by="hotline-1", reason="线路外线故障, 需上门")
    o.book(("2026-11-26", "morning"), at=at(24, 16, 20), by="hotline-1")
    o.assign([t7], contact=t7, at=at(25, 17, 30), by="dispatch-1")
    orders.append(o)
    return orders


def _fmt(moment: pendulum.DateTime | None) -> str:
    return "-" if moment is None else moment.format("MM-DD HH:mm")


def run(std: ServiceStandard, out: TextIO, *, ics: Path | None = None) -> int:
    """Print the demo day for ``std`` to ``out``; write its visits to ``ics`` if given.

    Returns:
        The exit code of ``fieldservice demo``: 0.

    >>> import io
    >>> from fieldservice import ServiceStandard
    >>> out = io.StringIO()
    >>> run(ServiceStandard.default(), out), out.getvalue().splitlines()[0]
    (0, "fieldservice demo: one day of a small team on the standard 'default' (Asia/Shanghai); personal data masked (G1)")
    """
    orders = build_day(std)
    night = pendulum.datetime(_DAY.year, _DAY.month, _DAY.day, 20, tz=std.timezone)
    out.write(
        f"fieldservice demo: one day of a small team on the standard {std.name!r} "
        f"({std.timezone}); personal data masked (G1)\n\n"
    )
    out.write("Orders\n")
    for o in orders:
        products = "+".join(sorted(p.label_zh for p in o.products))
        out.write(
            f"  {o.id}  {o.kind.label_zh}{products:<8} {o.customer.tier.label_zh}  "
            f"{o.customer.name}  {o.customer.phones[0]}  {o.customer.address}  "
            f"-> {o.state.label_zh} ({o.state.value})\n"
        )

    out.write(f"\nTimeline of {_DAY.isoformat()}\n")
    day_events = sorted(
        ((e, o) for o in orders for e in o.events if e.at.date() == _DAY),
        key=lambda pair: (pair[0].at, pair[1].id),
    )
    for event, order in day_events:
        if event.kind.value == "checklist_updated":
            continue  # one line per checklist item would drown the day
        out.write(
            f"  {event.at.format('HH:mm')}  {id_text(order.id)}  {staff_text(event.actor):<10} "
            f"{event.kind.value} ({event.kind.label_zh}, {event.rule})\n"
        )

    out.write(f"\nSLA clocks at {night.format('YYYY-MM-DD HH:mm')}\n")
    out.write(f"  {'order':<7} {'clock':<17} {'rule':<4} {'state':<11} {'deadline':<12} elapsed\n")
    for o in orders:
        for status in sla.evaluate(o, at=night, standard=std):
            if status.state is sla.ClockState.NOT_STARTED:
                continue
            flag = "  at risk" if status.at_risk else ""
            out.write(
                f"  {o.id:<7} {status.clock.value:<17} {status.rule:<4} "
                f"{status.state.value:<11} {_fmt(status.deadline):<12} "
                f"{status.elapsed}{flag}\n"
            )

    out.write(f"\nReminders still to send at {night.format('MM-DD HH:mm')}\n")
    for o in orders:
        for reminder in plan(o, standard=std, travel=dt.timedelta(minutes=30)):
            moved = "  (no time outside quiet hours)" if reminder.quiet_hours_conflict else ""
            # The plan is what is owed now: one due before the report was not sent on time.
            late = "  (overdue)" if reminder.due < night else ""
            out.write(
                f"  {o.id}  {_fmt(reminder.due)}  {reminder.rule:<3} "
                f"{reminder.kind.value:<20} to {reminder.audience.value}{moved}{late}\n"
            )

    batch = sla.evaluate_many(orders, at=night, standard=std)
    out.write("\nPer tier (all clocks of the day)\n")
    for clock in (sla.ClockName.BOOKING_CONTACT, sla.ClockName.ARRIVAL, sla.ClockName.REPAIR):
        for row in sla.summarize(batch, clock):
            if row.count:
                share = "-" if row.met_share is None else f"{row.met_share:.0%}"
                out.write(
                    f"  {clock.value:<16} {row.tier.label_zh}  {row.count} clocks, "
                    f"{row.met} met, {row.breached} breached, {row.running} running, "
                    f"met {share}\n"
                )
    if ics is not None:
        from fieldservice import calendar

        # Every order ever booked: the customer-absent visit (K3) is written CANCELLED,
        # so a calendar that had it removes it, instead of keeping a visit that is off.
        booked = [o for o in orders if calendar.visit_of(o) is not None]
        try:
            ics.write_bytes(calendar.to_ical(booked, itip=False))
        except (OSError, ValueError) as err:
            reason = getattr(err, "strerror", None) or "not a writable file name"
            msg = f"cannot write the calendar file: {reason}; give a writable file path"
            raise InvalidInput(msg) from None
        out.write(f"\nWrote {len(booked)} visits to {ics}\n")
    return 0

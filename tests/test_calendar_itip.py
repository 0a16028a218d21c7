"""Calendars as clients read them (issue 18): M2 alarms, iTIP attendees, SEQUENCE, DST, UIDs.

Each export path is parsed back, by icalendar and by the independent ``vobject``
parser (the ``integration`` extra), and checked against what RFC 5545/5546 ask.
"""

import datetime as dt
import re
import warnings
from collections.abc import Callable

import attrs
import icalendar
import pendulum
import pytest
import vobject
from _calendar_orders import CUSTOMER, STD, T7, T8, Order
from hypothesis import given
from hypothesis import strategies as st

import fieldservice as fs
from fieldservice import demo
from fieldservice.calendar import IcsAudience, event_for, feed, to_ical, visit_of
from fieldservice.events import Event
from fieldservice.reminders import ReminderKind, plan
from fieldservice.visits import appointment_of

TZ = "Asia/Shanghai"
T9 = fs.Technician(id="T9", name="钱七", certificate="ZW-310-0044")


def at(day: int, hour: int, minute: int = 0, tz: str = TZ) -> pendulum.DateTime:
    return pendulum.datetime(2026, 11, day, hour, minute, tz=tz)


def ev(kind: str, when: dt.datetime, **data: object) -> Event:
    return Event(kind, when, actor="desk", data=data)


def span(kind: str, when: dt.datetime, start: dt.datetime, end: dt.datetime) -> Event:
    data: dict[str, object] = {"start": start.isoformat(), "end": end.isoformat()}
    if kind == "rescheduled":
        data.update(requested_by="customer", reason="出差", consent=True)
    return ev(kind, when, **data)


def booked() -> list[Event]:
    return [
        ev("accepted", at(24, 10), tier="gold", order_kind="install"),
        span("booked", at(24, 10, 5), at(26, 12), at(26, 18)),
        ev("technicians_assigned", at(24, 11), technicians=["T7", "T8"], contact="T7"),
    ]


def confirmed() -> list[Event]:
    return [*booked(), span("confirmed", at(26, 8, 30), at(26, 14), at(26, 15))]


def vevents(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def alarms(event: icalendar.Event) -> dict[str, dt.timedelta]:
    return {str(a["X-FIELDSERVICE-RULE"]): a["TRIGGER"].dt for a in event.walk("VALARM")}


def planned(order: Order, technician: str, travel: dt.timedelta | None = None) -> dict[str, float]:
    """The technician's alarm kinds of the plan, as seconds before the entry's start."""
    visit = visit_of(order)
    assert visit is not None
    kinds = {ReminderKind.DAY_OF_CONFIRMATION, ReminderKind.CALL_AHEAD, ReminderKind.DEPARTURE}
    return {
        r.rule: r.due.timestamp() - visit.start.timestamp()
        for r in plan(order, technician=technician, travel=travel, kinds=kinds)
    }


# --- M2: one contact calls the customer ------------------------------------------------------


@pytest.mark.parametrize("log", [booked, confirmed], ids=["booked", "confirmed"])
def test_M2_only_the_contacts_feed_carries_the_customer_calls(
    log: Callable[[], list[Event]],
) -> None:
    order = Order("WO-1", tuple(log()))
    (mine,) = vevents(feed(T7, [order], at(24, 0), at(30, 0)))
    (theirs,) = vevents(feed(T8, [order], at(24, 0), at(30, 0)))
    assert "C2" in alarms(mine)
    assert "T2" not in alarms(mine)
    # T8 goes too, but never calls the customer (M2): reminded to leave on time (T2).
    assert set(alarms(theirs)) == {"T2"}
    assert alarms(theirs)["T2"] == -STD.early_arrival[1]
    for tech, event in (("T7", mine), ("T8", theirs)):
        shown = {rule: trigger.total_seconds() for rule, trigger in alarms(event).items()}
        assert shown == planned(order, tech), f"the plan and {tech}'s feed disagree"


def test_M2_the_feed_and_the_plan_agree_on_the_departure_with_a_travel_time() -> None:
    order = Order("WO-1", tuple(confirmed()))
    travel = dt.timedelta(minutes=40)
    for tech in (T7, T8):
        (event,) = vevents(feed(tech, [order], at(24, 0), at(30, 0), travel=travel))
        shown = {rule: trigger.total_seconds() for rule, trigger in alarms(event).items()}
        assert shown == planned(order, tech.id, travel)
    (theirs,) = vevents(feed(T8, [order], at(24, 0), at(30, 0), travel=travel))
    assert alarms(theirs) == {"T2": -(travel + STD.early_arrival[1])}


def test_M2_a_message_to_several_technicians_carries_no_customer_call() -> None:
    (shared,) = vevents(to_ical([Order("WO-1", tuple(confirmed()))]))
    assert set(alarms(shared)) == {"T2"}
    (alone,) = vevents(to_ical([Order("WO-1", tuple(confirmed()), technicians=(T7,))]))
    assert set(alarms(alone)) == {"C2"}


def test_M2_the_plan_follows_a_new_contact() -> None:
    log = [
        *confirmed(),
        ev("technicians_assigned", at(26, 8, 45), technicians=["T8", "T9"], contact="T9"),
    ]
    order = Order("WO-1", tuple(log), technicians=(T9, T8))
    assert set(planned(order, "T9")) == {"C2"}
    assert set(planned(order, "T8")) == {"T2"}
    with pytest.raises(fs.InvalidInput, match="technician must be"):
        plan(order, technician="张三 13800138000")


# --- iTIP: an attendee on every message ------------------------------------------------------


def test_regression_itip_for_an_order_without_technicians_names_the_dispatch_desk() -> None:
    # RFC 5546 3.2.2 (REQUEST) and 3.2.5 (CANCEL) require an ATTENDEE.
    log = [
        ev("accepted", at(24, 10), tier="gold"),
        span("booked", at(24, 10, 5), at(26, 12), at(26, 18)),
    ]
    live = Order("WO-1", tuple(log), technicians=())
    gone = Order("WO-2", (*log, ev("cancelled", at(25, 9), reason="撤单")), technicians=())
    for order, method in ((live, "REQUEST"), (gone, "CANCEL")):
        data = to_ical([order])
        assert icalendar.Calendar.from_ical(data)["METHOD"] == method
        (event,) = vevents(data)
        attendee = event["ATTENDEE"]
        assert (attendee.params["CN"], attendee.params["CUTYPE"]) == ("dispatch", "GROUP")
        assert str(attendee) == str(event["ORGANIZER"])


# --- SEQUENCE: every change of date or time --------------------------------------------------


def test_regression_SEQUENCE_rises_when_the_confirmation_narrows_the_window() -> None:
    log = booked()
    before = vevents(to_ical([Order("WO-1", tuple(log))]))[0]
    log.append(span("confirmed", at(26, 8, 30), at(26, 14), at(26, 15)))
    after = vevents(to_ical([Order("WO-1", tuple(log))]))[0]
    assert after.start != before.start
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    # Confirmed again to the same hour: nothing moved, nothing to raise.
    log.append(span("confirmed", at(26, 8, 40), at(26, 14), at(26, 15)))
    again = vevents(to_ical([Order("WO-1", tuple(log))]))[0]
    assert again["SEQUENCE"] == after["SEQUENCE"]
    # Confirmed to another hour: moved, raised.
    log.append(span("confirmed", at(26, 8, 50), at(26, 16), at(26, 17)))
    moved = vevents(to_ical([Order("WO-1", tuple(log))]))[0]
    assert moved["SEQUENCE"] == again["SEQUENCE"] + 1
    # Every reader agrees: the calendar's SEQUENCE is the appointment's.
    assert moved["SEQUENCE"] == appointment_of(log).sequence


# --- DST: the repeated autumn hour -----------------------------------------------------------

BERLIN = "Europe/Berlin"
NIGHT = STD.replace(timezone=BERLIN)
# The arrival hour 02:30+02:00 to 02:30+01:00: one hour, two equal wall times.
DST_START = dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)
DST_END = dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)


def night_order() -> Order:
    t = pendulum.datetime(2026, 10, 20, 10, tz=BERLIN)
    log = (
        ev("accepted", t, tier="gold", order_kind="install"),
        span(
            "booked",
            t.add(minutes=5),
            DST_START - dt.timedelta(hours=2),
            DST_END + dt.timedelta(hours=3),
        ),
        ev("technicians_assigned", t.add(hours=1), technicians=["T7", "T8"], contact="T7"),
        span("confirmed", t.add(days=4), DST_START, DST_END),
    )
    return Order("WO-N1", log, standard=NIGHT)


def _instants(event: icalendar.Event) -> tuple[float, float]:
    return event.start.timestamp(), event.end.timestamp()


EXPORTS: dict[str, Callable[[Order], bytes]] = {
    "to_ical technician": lambda o: to_ical([o]),
    "to_ical customer": lambda o: to_ical([o], audience=IcsAudience.CUSTOMER),
    "to_ical technician plain": lambda o: to_ical([o], itip=False),
    "to_ical customer plain": lambda o: to_ical([o], audience="customer", itip=False),
    "feed contact": lambda o: feed(T7, [o], DST_START, DST_END),
    "feed other": lambda o: feed(T8, [o], DST_START, DST_END),
}


@pytest.mark.parametrize("export", list(EXPORTS), ids=list(EXPORTS))
def test_regression_DST_an_arrival_hour_across_the_repeated_hour_exports(export: str) -> None:
    data = EXPORTS[export](night_order())
    (event,) = vevents(data)
    assert _instants(event) == (DST_START.timestamp(), DST_END.timestamp())
    assert "02:30 (UTC+02:00)-02:30 (UTC+01:00)" in str(event["DESCRIPTION"])
    parsed = vobject.readOne(data.decode()).vevent
    assert parsed.dtstart.value.timestamp() == DST_START.timestamp()
    assert parsed.dtend.value.timestamp() == DST_END.timestamp()


def test_regression_DST_event_for_and_the_feed_range_compare_instants() -> None:
    event = event_for(night_order(), audience="customer")
    assert _instants(event) == (DST_START.timestamp(), DST_END.timestamp())
    # A feed of the second 02:00-03:00 only (01:10Z-01:20Z) overlaps the visit.
    second = dt.datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert len(vevents(feed(T7, [night_order()], second, second + dt.timedelta(minutes=10)))) == 1
    later = DST_END + dt.timedelta(minutes=1)
    assert vevents(feed(T7, [night_order()], later, later + dt.timedelta(hours=1))) == []


def test_regression_DST_the_feed_orders_visits_by_instant() -> None:
    # 02:45+02:00 comes before 02:15+01:00, though its wall time is later.
    first = night_order()
    t = pendulum.datetime(2026, 10, 20, 10, tz=BERLIN)
    second = attrs.evolve(
        first,
        id="WO-N2",
        events=(
            *first.events[:3],
            span(
                "confirmed",
                t.add(days=4),
                DST_END - dt.timedelta(minutes=15),
                DST_END + dt.timedelta(minutes=45),
            ),
        ),
    )
    early = attrs.evolve(
        first,
        id="WO-N3",
        events=(
            *first.events[:3],
            span("confirmed", t.add(days=4), DST_START + dt.timedelta(minutes=15), DST_END),
        ),
    )
    data = feed(
        T7, [second, early], DST_START - dt.timedelta(hours=1), DST_END + dt.timedelta(hours=2)
    )
    assert [str(e["X-FIELDSERVICE-ORDER-ID"]) for e in vevents(data)] == ["WO-N3", "WO-N2"]


# --- UIDs and what a done visit becomes ------------------------------------------------------


def test_regression_UID_carries_the_standards_domain() -> None:
    order = Order("WO-1", tuple(booked()))
    default = str(vevents(to_ical([order]))[0]["UID"])
    # The default domain keeps the UIDs of earlier releases.
    assert default == "fc07d250-da13-5ff3-9904-5eb44bbffd3d@fieldservice"
    uids = {default}
    for domain in ("sh.example-telecom.cn", "bj.example-telecom.cn"):
        other = attrs.evolve(order, standard=STD.replace(domain=domain))
        uid = str(vevents(to_ical([other]))[0]["UID"])
        assert uid.endswith("@" + domain)
        uids.add(uid)
    assert len(uids) == 3  # WO-1 of three deployments: three entries


def _addresses(ics: bytes) -> list[str]:
    """Every ORGANIZER and ATTENDEE address of a calendar, in order."""
    found = []
    for vevent in vevents(ics):
        attendees = vevent.get("ATTENDEE", [])
        if not isinstance(attendees, list):
            attendees = [attendees]
        found += [str(vevent["ORGANIZER"]), *(str(a) for a in attendees)]
    return found


def _every_export_path(order: Order) -> dict[str, bytes]:
    """The bytes of each export path for one order: REQUEST, CANCEL, stream, feed, VEVENT."""
    import io

    from fieldservice.calendar import write_ical

    gone = attrs.evolve(order, events=(*order.events, ev("cancelled", at(25, 9), reason="撤单")))
    written = io.BytesIO()
    write_ical([order], written)
    cal = icalendar.Calendar()
    cal.add_component(event_for(order))
    return {
        "to_ical REQUEST": to_ical([order]),
        "to_ical CANCEL": to_ical([gone]),
        "to_ical customer": to_ical([order], audience="customer"),
        "to_ical no iTIP": to_ical([order], itip=False),
        "write_ical": written.getvalue(),
        "feed": feed(T7, [order], at(24, 0), at(30, 0)),
        "event_for": cal.to_ical(),
    }


@pytest.mark.parametrize("technicians", [(T7, T8), ()], ids=["technicians", "dispatch desk"])
def test_regression_attendee_addresses_carry_the_standards_domain(
    technicians: tuple[fs.Technician, ...],
) -> None:
    # Issue 18: technician and dispatch-desk addresses were the same in every deployment,
    # so two deployments' invitations addressed one person.
    order = Order("WO-1", tuple(booked()), technicians=technicians)
    if not technicians:  # booked, nobody assigned yet: the dispatch desk is addressed
        order = attrs.evolve(order, events=order.events[:2])
    by_domain = {}
    for domain in ("fieldservice", "sh.example-telecom.cn", "bj.example-telecom.cn"):
        this = attrs.evolve(order, standard=STD.replace(domain=domain))
        paths = _every_export_path(this)
        addresses = {name: _addresses(ics) for name, ics in paths.items() if name != "feed"}
        if technicians:
            addresses["feed"] = _addresses(paths["feed"])
        assert all(addresses.values()), addresses
        by_domain[domain] = {a for found in addresses.values() for a in found}
        assert all(a.startswith("urn:uuid:") for a in by_domain[domain])
    # Three deployments: no address in common.
    first, second, third = by_domain.values()
    assert len(first | second | third) == len(first) + len(second) + len(third)
    # The default domain keeps the addresses of earlier releases (docs/calendar.md).
    if technicians:
        assert "urn:uuid:6e75f2bf-51e8-56c2-932e-5dff68c4755f" in first  # T7


def test_regression_the_domain_is_read_from_and_written_to_toml() -> None:
    branch = fs.ServiceStandard.from_toml('domain = "sh.example-telecom.cn"')
    assert branch.domain == "sh.example-telecom.cn"
    assert fs.ServiceStandard.from_toml(branch.to_toml()).domain == branch.domain
    for bad in ('domain = "Not A Domain"', 'domain = "a..b"', "domain = 7"):
        with pytest.raises(fs.StandardError, match="domain"):
            fs.ServiceStandard.from_toml(bad)


def test_regression_completed_and_closed_visits_stay_confirmed_with_their_outcome() -> None:
    orders = {o.id: o for o in demo.build_day(STD)}
    events = {
        str(e["X-FIELDSERVICE-ORDER-ID"]): e
        for e in vevents(to_ical(list(orders.values()), itip=False))
    }
    for order_id, outcome in (("WO-101", "closed"), ("WO-102", "completed")):
        event = events[order_id]
        assert event["STATUS"] == "CONFIRMED"
        assert event["X-FIELDSERVICE-OUTCOME"] == outcome
        assert event.walk("VALARM") == []
        # Done is no change of time: the SEQUENCE is the appointment's.
        assert event["SEQUENCE"] == appointment_of(orders[order_id].events).sequence
    # A done visit is still a REQUEST on its own (nothing to cancel).
    assert icalendar.Calendar.from_ical(to_ical([orders["WO-102"]]))["METHOD"] == "REQUEST"


# --- a plain address keeps its region --------------------------------------------------------


def test_regression_a_plain_string_address_keeps_its_region_in_LOCATION() -> None:
    customer = attrs.evolve(CUSTOMER, address="上海市浦东新区张江路 100 弄 5 号 302")
    assert customer.address.region == "上海市浦东新区"
    (event,) = vevents(to_ical([Order("WO-1", tuple(booked()), customer=customer)]))
    assert event["LOCATION"] == "上海市浦东新区"
    assert "张江路" not in to_ical([Order("WO-1", tuple(booked()), customer=customer)]).decode()


def test_regression_an_address_without_a_province_has_no_region_and_says_how() -> None:
    customer = attrs.evolve(CUSTOMER, address="阳光小区 3 栋 502")
    assert customer.address.region == ""
    (event,) = vevents(to_ical([Order("WO-1", tuple(booked()), customer=customer)]))
    assert "LOCATION" not in event
    assert "Address(region=" in (fs.Address.parse.__doc__ or "")


@given(
    st.text(
        alphabet=st.sampled_from("上海市浦东新区广州省县旗盟自治区张江路 1号阳光小"),
        min_size=1,
        max_size=30,
    )
)
def test_regression_address_parse_loses_nothing_and_shows_only_a_division(text: str) -> None:
    try:
        address = fs.Address.parse(text)
    except fs.InvalidInput:
        return  # blank text is refused as a detail, as before
    # Nothing lost: region and detail are the text, spaces aside.
    assert "".join(address.reveal().split()) == "".join(text.split())
    # A region is shown only when the text starts with a province-level division.
    assert address.region == "" or re.match("(上海|广东)(省|市|自治区)", address.region)


# --- one spelling of the opt-in --------------------------------------------------------------


@pytest.mark.parametrize("old", ["include_secret", "include_secrets"])
def test_regression_include_personal_is_the_one_spelling(old: str) -> None:
    order = Order("WO-1", tuple(booked()))
    wanted = to_ical([order], include_personal=True)
    calls: list[Callable[..., object]] = [
        lambda **kw: to_ical([order], **kw),
        lambda **kw: event_for(order, **kw).to_ical(),
        lambda **kw: feed(T7, [order], at(24, 0), at(30, 0), **kw),
    ]
    for call in calls:
        with pytest.warns(DeprecationWarning, match="include_personal"):
            shown = call(**{old: True})
        assert (b"13800138000" in shown) is (b"13800138000" in wanted)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            with pytest.raises(fs.InvalidInput, match="disagree"):
                call(include_personal=True, **{old: False})


# --- every exported file, through vobject ----------------------------------------------------


def _lifecycle() -> list[tuple[str, list[Event]]]:
    """The stages of one order's visit, each a log to export."""
    log = booked()
    stages = [("booked", list(log))]
    log.append(span("confirmed", at(26, 8, 30), at(26, 14), at(26, 15)))
    stages.append(("confirmed", list(log)))
    log.append(span("confirmed", at(26, 8, 40), at(26, 14), at(26, 15)))
    stages.append(("confirmed again", list(log)))
    log.append(span("rescheduled", at(26, 9), at(27, 8), at(27, 12)))
    stages.append(("rescheduled", list(log)))
    log.append(span("confirmed", at(27, 8, 20), at(27, 10), at(27, 11)))
    stages.append(("confirmed after the reschedule", list(log)))
    log.append(ev("cancelled", at(27, 9), reason="撤单"))
    stages.append(("cancelled", list(log)))
    return stages


def _exports(order: Order) -> list[bytes]:
    return [
        to_ical([order]),
        to_ical([order], audience="customer"),
        to_ical([order], itip=False),
        to_ical([order], audience="customer", itip=False),
        feed(T7, [order], at(20, 0), at(30, 0)),
        feed(T8, [order], at(20, 0), at(30, 0)),
    ]


def test_regression_vobject_reads_every_export_with_an_attendee_and_rising_sequence() -> None:
    seen: dict[str, tuple[int, float, float]] = {}
    files = 0
    for crew in ((T7, T8), ()):
        seen.clear()
        for stage, log in _lifecycle():
            order = Order("WO-1", tuple(log), technicians=crew)
            for data in _exports(order):
                if not crew and b"X-WR-CALNAME" in data:
                    continue  # an empty feed: no technician, no visit in it
                cal = vobject.readOne(data.decode())  # every file parses
                files += 1
                method = cal.contents.get("method")
                for vevent in cal.vevent_list:
                    if method is not None:
                        attendees = vevent.contents.get("attendee", [])
                        assert attendees, f"{stage}: METHOD:{method[0].value} without ATTENDEE"
                    sequence = int(vevent.sequence.value)
                    times = (vevent.dtstart.value.timestamp(), vevent.dtend.value.timestamp())
                    uid = vevent.uid.value
                    if uid in seen:
                        before, *was = seen[uid]
                        assert sequence >= before, f"{stage}: SEQUENCE went down"
                        if tuple(was) != times:
                            assert sequence > before, f"{stage}: time changed, SEQUENCE kept"
                    seen[uid] = (sequence, *times)
    # The night order's exports parse too.
    for data in EXPORTS.values():
        vobject.readOne(data(night_order()).decode())
        files += 1
    assert files >= 60


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("北京市张三家小区5号楼302", "北京市"),
        ("上海市阳光小区3栋302", "上海市"),
        ("广东省广州市阳光小区3栋", "广东省广州市"),
        ("上海市徐汇区康健街区1号", "上海市徐汇区"),
        ("北京市望京社区3号", "北京市"),
        ("江苏省苏州市工业园区星湖街1号", "江苏省苏州市工业园区"),  # 园区: an area's
        ("山东省东营市东营区西城街道1号", "山东省东营市东营区"),  # 营: a district's
        ("北京市钢铁厂家属区3号楼", "北京市"),
        ("北京市阳光别墅区2号", "北京市"),
        ("上海市幸福生活区2号", "上海市"),
        ("山西省大同市城区新建路1号", "山西省大同市城区"),
    ],
)
def test_G1_an_estate_after_the_city_is_never_read_as_a_district(text: str, region: str) -> None:
    # 小区, 街区, 社区, 园区 ... end an estate's or a campus's name, never a district's:
    # the estate (here even a person's name) stays in the private detail.
    address = fs.Address.parse(text)
    assert address.region == region
    assert address.reveal_detail() == text[len(region) :]
    customer = attrs.evolve(CUSTOMER, address=text)
    (event,) = vevents(to_ical([Order("WO-1", tuple(booked()), customer=customer)]))
    assert event["LOCATION"] == region


def test_regression_DST_a_confirmed_hour_in_a_repeated_hour_west_of_utc_reads_unambiguously() -> (
    None
):
    # An outside probe: "01:00-04:00-01:00-05:00" (New York, the night summer time ends)
    # read as neither a range nor two offsets. The offsets are bracketed and named.
    ny = "America/New_York"
    standard = STD.replace(timezone=ny, quiet_hours=fs.TimeRange(dt.time(23, 30), dt.time(0, 30)))
    t = pendulum.datetime(2026, 10, 29, 10, tz=ny)
    order = fs.WorkOrder.install(
        id="WO-1",
        customer=CUSTOMER,
        products={"broadband"},
        accepted_at=t,
        by="desk",
        standard=standard,
    )
    order.check_resources(True, at=t, by="desk")
    order.book(("2026-11-01", "morning"), at=t.add(minutes=1), by="desk")
    order.confirm(1, at=pendulum.datetime(2026, 10, 31, 22, tz=ny), by="desk")
    (event,) = vevents(to_ical([order]))
    assert "确认 confirmed (C1): 01:00 (UTC-04:00)-01:00 (UTC-05:00)" in str(event["DESCRIPTION"])


# --- ORGANIZER: the contact technician organises the entry -------------------------------------


STAFF = {"T7": T7, "T8": T8, "T9": T9}


def _entry(log: list[Event], staff: tuple[str, ...] = ()) -> icalendar.Event:
    # A VisitOrder's technicians are those of the last assignment, contact first.
    order = Order("WO-1", tuple(log), technicians=tuple(STAFF[t] for t in staff))
    (event,) = vevents(to_ical([order]))
    return event


def test_M2_a_new_contact_is_a_new_organizer_and_one_sequence_up() -> None:
    # RFC 5546 3.2.2.4: the new organizer sends the entry with SEQUENCE incremented.
    log = [
        ev("accepted", at(24, 10), tier="gold", order_kind="install"),
        span("booked", at(24, 10, 5), at(26, 12), at(26, 18)),
    ]
    seen = [_entry(log)]
    steps = [
        (["T7"], "T7"),  # dispatch hands the entry to T7: a new organizer
        (["T7", "T8"], "T7"),  # T8 joins: attendees only
        (["T9"], "T9"),  # T9 takes over: a new organizer
        (["T9", "T7"], "T9"),
    ]
    for minute, (staff, contact) in enumerate(steps, start=1):
        log.append(
            ev("technicians_assigned", at(24, 11, minute), technicians=staff, contact=contact)
        )
        seen.append(_entry(log, tuple(staff)))
    organizers = [str(e["ORGANIZER"].params["CN"]) for e in seen]
    assert organizers == ["dispatch", "T7", "T7", "T9", "T9"]
    assert [e["SEQUENCE"] for e in seen] == [0, 1, 1, 2, 2]
    # Every reader agrees: the calendar's SEQUENCE is the appointment's.
    assert seen[-1]["SEQUENCE"] == appointment_of(log).sequence


def test_M2_technicians_assigned_before_the_booking_raise_no_sequence() -> None:
    log = [
        ev("accepted", at(24, 10), tier="gold", order_kind="install"),
        ev("technicians_assigned", at(24, 10, 1), technicians=["T7"], contact="T7"),
        span("booked", at(24, 10, 5), at(26, 12), at(26, 18)),
    ]
    entry = _entry(log, ("T7",))
    assert (str(entry["ORGANIZER"].params["CN"]), entry["SEQUENCE"]) == ("T7", 0)


def test_M2_a_workorder_reassigned_to_a_new_contact_is_one_sequence_up() -> None:
    order = fs.WorkOrder.install(
        id="WO-1", customer=CUSTOMER, products={"broadband"}, accepted_at=at(24, 10), by="desk-1"
    )
    order.check_resources(True, at=at(24, 10, 1), by="desk-1")
    order.book(fs.AppointmentWindow(dt.date(2026, 11, 26), "afternoon"), at=at(24, 10, 5), by="d")
    order.assign([T7, T8], contact=T7, at=at(24, 11), by="dispatch-1")
    before = vevents(to_ical([order]))[0]
    order.assign([T8], contact=T8, at=at(24, 12), by="dispatch-1")
    after = vevents(to_ical([order]))[0]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert str(after["ORGANIZER"].params["CN"]) == "T8"
    # The order restored from its JSON says the same.
    again = fs.WorkOrder.from_json(order.to_json(include_personal=True))
    assert vevents(to_ical([again]))[0]["SEQUENCE"] == after["SEQUENCE"]

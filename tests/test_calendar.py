"""iCalendar export (B2, B8, C1, C2, K3, M2, G1): files that calendar clients and parsers accept."""

import datetime as dt
import re
import subprocess
import sys
from typing import Any

import attrs
import icalendar
import pendulum
import pytest
import vobject
from hypothesis import given
from hypothesis import strategies as st

import fieldservice as fs
from fieldservice.calendar import (
    IcsAudience,
    VisitStatus,
    event_for,
    feed,
    orders_from_jsonl,
    to_ical,
    visit_of,
)
from fieldservice.events import Event

TZ = "Asia/Shanghai"
STD = fs.ServiceStandard.default()
PHONE = "138 0013 8000"
T7 = fs.Technician(id="T7", name="王师傅", certificate="ZW-310-0042", phone="139 0139 0000")
T8 = fs.Technician(id="T8", name="赵六", certificate="ZW-310-0043")
CUSTOMER = fs.Customer(
    id="C-1001",
    name="张三丰",
    tier=fs.Tier.GOLD,
    phones=[PHONE, "021-6888 1234"],
    address=fs.Address(region="上海市浦东新区", detail="张江路 100 弄 5 号 302"),
)
# Everything personal in CUSTOMER, T7 and the logs below, in every form it could be written.
PERSONAL = (
    "张三丰", "张三", "13800138000", "138 0013", "1380013", "8000", "02168881234", "6888",
    "张江路", "302", "王师傅", "赵六", "13901390000", "二楼有狗", "pw-Secret-42",
)  # fmt: skip


@attrs.frozen
class Order:
    """A test double of the work order: exactly what the calendar reads (VisitOrder)."""

    id: str
    events: tuple[Event, ...]
    kind: fs.OrderKind = fs.OrderKind.INSTALL
    products: frozenset[fs.Product] = frozenset({fs.Product.BROADBAND, fs.Product.FIXED_LINE})
    customer: fs.Customer = CUSTOMER
    technicians: tuple[fs.Technician, ...] = (T7, T8)
    standard: fs.ServiceStandard = STD


def at(day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, 11, day, hour, minute, tz=TZ)


def ev(kind: str, when: pendulum.DateTime, **data: object) -> Event:
    return Event(kind, when, actor="desk", data=data)


def window(
    kind: str,
    when: pendulum.DateTime,
    start: pendulum.DateTime,
    end: pendulum.DateTime,
    **extra: object,
) -> Event:
    half = "afternoon" if start.hour >= 12 else "morning"
    note = extra.pop("note", None)
    event = ev(
        kind,
        when,
        date=start.date().isoformat(),
        half=half,
        start=start.isoformat(),
        end=end.isoformat(),
        **({} if note is None else {"note": "占位"}),
        **extra,
    )
    if note is not None:
        # A note that skipped the event schema's text check: data from elsewhere. The
        # schema refuses control characters at entry; the calendar escapes whatever
        # reaches it all the same (defence in depth).
        object.__setattr__(event.data.note, "_Secret__clear", note)
    return event


def booked(**extra: object) -> list[Event]:
    return [
        ev("accepted", at(24, 10), tier="gold", order_kind="install"),
        ev("contacted", at(24, 10, 2), note="二楼有狗"),
        window("booked", at(24, 10, 5), at(26, 12), at(26, 20), **extra),
    ]


def confirmed() -> list[Event]:
    return [
        *booked(),
        ev("confirmed", at(26, 8, 30), start=at(26, 14).isoformat(), end=at(26, 15).isoformat()),
    ]


def rescheduled(times: int = 1) -> list[Event]:
    log = booked()
    for i in range(times):
        log.append(
            window(
                "rescheduled",
                at(24, 11 + i),
                at(27 + i, 8),
                at(27 + i, 12),
                requested_by="customer",
                reason="出差",
                consent=True,
            )
        )
    return log


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def vevent(data: bytes) -> icalendar.Event:
    (only,) = parse(data).walk("VEVENT")
    return only


def alarms(event: icalendar.Event) -> dict[str, dt.timedelta]:
    return {str(a["X-FIELDSERVICE-RULE"]): a["TRIGGER"].dt for a in event.walk("VALARM")}


# --- B2 / C1: the times of the entry ----------------------------------------------------


def test_B2_a_booked_order_is_one_tentative_event_over_its_half_day() -> None:
    data = to_ical([Order("WO-1", tuple(booked()))])
    cal = parse(data)
    assert cal["METHOD"] == "REQUEST"
    (event,) = cal.walk("VEVENT")
    assert event.start == at(26, 12)
    assert event.end == at(26, 20)
    assert event["DTSTART"].params["TZID"] == TZ
    assert event["STATUS"] == "TENTATIVE"
    assert event["SEQUENCE"] == 0
    assert event["DTSTAMP"].dt == at(24, 10, 5)  # the last event: no clock is read
    # The zone's VTIMEZONE (fieldservice._vtimezone) is there, and nothing is missing.
    assert [tz.tz_name for tz in cal.timezones] == [TZ]
    assert cal.get_missing_tzids() == set()


def test_C1_the_confirmed_hour_replaces_the_half_day() -> None:
    event = vevent(to_ical([Order("WO-1", tuple(confirmed()))]))
    assert (event.start, event.end) == (at(26, 14), at(26, 15))
    assert event["STATUS"] == "CONFIRMED"
    # Narrowing DTSTART/DTEND to the hour is a change of time (RFC 5545 3.8.7.4).
    assert event["SEQUENCE"] == 1
    assert event["DTSTAMP"].dt == at(26, 8, 30)


def test_B8_a_confirmation_of_the_old_window_does_not_survive_a_reschedule() -> None:
    log = [
        *confirmed(),
        window(
            "rescheduled",
            at(26, 9),
            at(27, 8),
            at(27, 12),
            requested_by="provider",
            reason="车辆故障",
            consent=True,
        ),
    ]
    visit = visit_of(Order("WO-1", tuple(log)))
    assert visit is not None
    assert (visit.start, visit.end, visit.status) == (at(27, 8), at(27, 12), VisitStatus.TENTATIVE)


def test_a_time_in_the_repeated_hour_of_a_summer_time_end_keeps_its_instant() -> None:
    # Sydney, 2026-04-05: at 03:00 summer time (+11) clocks go back to 02:00 (+10).
    sydney = STD.replace(timezone="Australia/Sydney")
    first = ev(
        "booked", at(1, 10), start="2026-04-05T02:30:00+11:00", end="2026-04-05T09:00:00+10:00"
    )
    second = ev(
        "booked", at(1, 10), start="2026-04-05T02:30:00+10:00", end="2026-04-05T09:00:00+10:00"
    )
    for booking, written in (
        (first, "DTSTART;TZID=Australia/Sydney:20260405T023000"),
        (second, "DTSTART:20260404T163000Z"),
    ):
        data = to_ical([Order("WO-9", (booking,), standard=sydney)])
        assert written in data.decode().splitlines()
        expected = dt.datetime.fromisoformat(booking.data["start"]).timestamp()
        assert vevent(data).start.timestamp() == expected
        assert vobject.readOne(data.decode()).vevent.dtstart.value.timestamp() == expected


def test_an_order_never_booked_has_no_event() -> None:
    never = Order("WO-2", (ev("accepted", at(24, 10), tier="gold"),))
    assert visit_of(never) is None
    assert b"BEGIN:VEVENT" not in to_ical([never], itip=False)
    with pytest.raises(fs.InvalidInput, match="no booked visit"):
        event_for(never)
    with pytest.raises(fs.InvalidInput, match="needs one"):
        to_ical([never])


def test_malformed_window_data_is_a_coded_error() -> None:
    # The event schema refuses it where the event is made: no calendar ever sees it.
    with pytest.raises(fs.InvalidInput, match="has no offset"):
        ev("booked", at(24, 10), start="2026-11-26T12:00", end="soon")
    with pytest.raises(fs.InvalidInput, match="must come after its start"):
        window("booked", at(24, 10), at(26, 20), at(26, 12))


# --- iTIP: UID, SEQUENCE, METHOD --------------------------------------------------------


def test_uid_is_stable_opaque_and_one_per_order() -> None:
    first = vevent(to_ical([Order("WO-1", tuple(booked()))]))["UID"]
    again = vevent(to_ical([Order("WO-1", tuple(confirmed()))], audience="customer"))["UID"]
    other = vevent(to_ical([Order("WO-2", tuple(booked()))]))["UID"]
    assert first == again != other
    assert first.endswith("@fieldservice")
    assert "WO-1" not in first
    assert "C-1001" not in first


def test_B8_a_reschedule_keeps_the_uid_and_raises_the_sequence_by_one() -> None:
    before = vevent(to_ical([Order("WO-1", tuple(booked()))]))
    after = vevent(to_ical([Order("WO-1", tuple(rescheduled()))]))
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert (after.start, after.end) == (at(27, 8), at(27, 12))
    assert parse(to_ical([Order("WO-1", tuple(rescheduled()))]))["METHOD"] == "REQUEST"
    assert "B8" in str(after["X-FIELDSERVICE-RULES"]).split()


@pytest.mark.parametrize("times", [1, 2, 3])
def test_B8_the_sequence_is_the_number_of_reschedules(times: int) -> None:
    assert vevent(to_ical([Order("WO-1", tuple(rescheduled(times)))]))["SEQUENCE"] == times


def test_a_cancel_is_method_cancel_with_the_same_uid_and_a_higher_sequence() -> None:
    live = vevent(to_ical([Order("WO-1", tuple(rescheduled()))]))
    log = (*rescheduled(), ev("cancelled", at(25, 9), reason="客户撤单"))
    data = to_ical([Order("WO-1", log)])
    cal = parse(data)
    assert cal["METHOD"] == "CANCEL"
    (cancel,) = cal.walk("VEVENT")
    assert cancel["UID"] == live["UID"]
    assert cancel["SEQUENCE"] == live["SEQUENCE"] + 1
    assert cancel["STATUS"] == "CANCELLED"
    assert (cancel.start, cancel.end) == (live.start, live.end)
    assert cancel.walk("VALARM") == []  # nothing left to remind of
    assert "客户撤单" not in data.decode()


def test_K3_customer_absent_cancels_the_entry_until_it_is_booked_again() -> None:
    log = [
        *confirmed(),
        ev("arrived", at(26, 14, 2)),
        ev("customer_absent", at(26, 14, 8), note_left=True, neighbours_asked=True),
    ]
    absent = vevent(to_ical([Order("WO-1", tuple(log))]))
    assert parse(to_ical([Order("WO-1", tuple(log))]))["METHOD"] == "CANCEL"
    assert absent["STATUS"] == "CANCELLED"
    assert absent["SEQUENCE"] == 2  # the confirmed hour was revision 1
    assert absent.walk("VALARM") == []
    # Booked again: the same entry moves, as after a reschedule, with a higher SEQUENCE.
    log.append(window("booked", at(26, 15), at(28, 8), at(28, 12)))
    rebooked = vevent(to_ical([Order("WO-1", tuple(log))]))
    assert rebooked["UID"] == absent["UID"]
    assert rebooked["STATUS"] == "TENTATIVE"
    assert rebooked["SEQUENCE"] == 3
    assert rebooked.start == at(28, 8)


def test_one_itip_message_does_not_mix_requests_and_cancellations() -> None:
    live = Order("WO-1", tuple(booked()))
    gone = Order("WO-2", (*booked(), ev("cancelled", at(25, 9), reason="撤单")))
    with pytest.raises(fs.InvalidInput, match="cannot both request and cancel"):
        to_ical([live, gone])
    plain = parse(to_ical([live, gone], itip=False))
    assert "METHOD" not in plain
    assert sorted(str(e["STATUS"]) for e in plain.walk("VEVENT")) == ["CANCELLED", "TENTATIVE"]
    assert parse(to_ical([gone]))["METHOD"] == "CANCEL"
    with pytest.raises(fs.InvalidInput, match="given twice"):
        to_ical([live, live])  # one UID, one entry


# --- M2: who organises and attends --------------------------------------------------------


def test_M2_the_contact_technician_organises_and_the_others_attend() -> None:
    event = vevent(to_ical([Order("WO-1", tuple(booked()))]))
    organizer = event["ORGANIZER"]
    attendees = event["ATTENDEE"]
    assert organizer.params["CN"] == "T7"
    assert [a.params["CN"] for a in attendees] == ["T7", "T8"]
    assert [a.params["ROLE"] for a in attendees] == ["CHAIR", "REQ-PARTICIPANT"]
    assert str(attendees[0]) == str(organizer)
    assert all(str(a).startswith("urn:uuid:") for a in [organizer, *attendees])


def test_M2_the_customer_attends_only_in_the_customers_calendar() -> None:
    event = vevent(to_ical([Order("WO-1", tuple(booked()))], audience=IcsAudience.CUSTOMER))
    assert [a.params["CN"] for a in event["ATTENDEE"]] == ["T7", "T8", "C-1001"]
    assert "X-FIELDSERVICE-TIER" not in event  # an internal label, not for the customer


def test_M2_an_order_without_technicians_is_organised_by_dispatch() -> None:
    event = vevent(to_ical([attrs.evolve(Order("WO-1", tuple(booked())), technicians=())]))
    assert event["ORGANIZER"].params["CN"] == "dispatch"
    # RFC 5546 3.2.2: a REQUEST names an attendee; the dispatch desk stands in.
    assert event["ATTENDEE"].params["CN"] == "dispatch"
    assert event["ATTENDEE"].params["CUTYPE"] == "GROUP"
    assert "M2" not in str(event["X-FIELDSERVICE-RULES"]).split()


def test_technician_phone_becomes_a_tel_uri_only_on_request() -> None:
    event = vevent(to_ical([Order("WO-1", tuple(booked()))], include_personal=True))
    assert str(event["ORGANIZER"]) == "tel:+8613901390000"
    assert event["ORGANIZER"].params["CN"] == "王师傅"
    # T8 has no phone: an opaque address, named in full on request.
    assert str(event["ATTENDEE"][1]).startswith("urn:uuid:")
    assert event["ATTENDEE"][1].params["CN"] == "赵六"


# --- C1 / C2: alarms from the reminder plan -----------------------------------------------


def test_C2_the_technician_is_reminded_to_call_30_minutes_before_arrival() -> None:
    event = vevent(to_ical([Order("WO-1", tuple(confirmed()), technicians=(T7,))]))
    assert alarms(event) == {"C2": -dt.timedelta(minutes=30)}
    (alarm,) = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert "30" in str(alarm["DESCRIPTION"])


def test_C1_an_unconfirmed_visit_reminds_the_technician_to_confirm_by_0900() -> None:
    event = vevent(to_ical([Order("WO-1", tuple(booked()), technicians=(T7,))]))
    # The afternoon starts at 12:00: confirm at 08:00, when quiet hours end (B6), by 09:00.
    assert alarms(event) == {"C1": -dt.timedelta(hours=4), "C2": -dt.timedelta(minutes=30)}


def test_C2_the_customer_gets_a_display_alarm_before_the_visit() -> None:
    event = vevent(to_ical([Order("WO-1", tuple(booked()))], audience="customer"))
    assert alarms(event) == {"C2": -dt.timedelta(minutes=30)}


def test_C2_a_branch_call_ahead_moves_the_alarm() -> None:
    branch = STD.replace(call_ahead=dt.timedelta(minutes=45))
    order = Order("WO-1", tuple(confirmed()), technicians=(T7,), standard=branch)
    event = vevent(to_ical([order]))
    assert alarms(event) == {"C2": -dt.timedelta(minutes=45)}
    assert "45" in str(event.walk("VALARM")[0]["DESCRIPTION"])


def test_C2_no_alarm_once_the_technician_has_arrived() -> None:
    log = [*confirmed(), ev("departed", at(26, 13, 20)), ev("arrived", at(26, 13, 55))]
    assert vevent(to_ical([Order("WO-1", tuple(log))])).walk("VALARM") == []


# --- G1: privacy --------------------------------------------------------------------------


def personal_log() -> tuple[Event, ...]:
    label = fs.ModemLabel("AD0001", "ad0001@bb", "pw-Secret-42")
    return (
        *confirmed(),
        ev("checklist_updated", at(26, 15), action="tick", item="L1", label=label),
    )


@pytest.mark.parametrize("audience", list(IcsAudience))
def test_G1_by_default_no_phone_name_address_detail_note_or_password(audience: IcsAudience) -> None:
    text = to_ical([Order("WO-1", personal_log())], audience=audience).decode()
    assert [p for p in PERSONAL if p in text] == []
    event = vevent(text.encode())
    assert event["LOCATION"] == "上海市浦东新区"  # the public region only
    assert "CLASS" not in event


def test_G1_personal_data_is_written_only_on_request_and_marked_confidential() -> None:
    text = to_ical([Order("WO-1", personal_log())], include_personal=True).decode()
    event = vevent(text.encode())
    assert event["CLASS"] == "CONFIDENTIAL"
    assert event["LOCATION"] == "上海市浦东新区 张江路 100 弄 5 号 302"
    assert "张三丰" in str(event["SUMMARY"])
    description = str(event["DESCRIPTION"])
    assert "+8613800138000" in description
    assert "二楼有狗" in description
    assert "pw-Secret-42" not in text  # a password is never written (L1, G1)


def test_G1_alarm_texts_carry_no_personal_data() -> None:
    for audience in IcsAudience:
        event = vevent(
            to_ical([Order("WO-1", personal_log())], audience=audience, include_personal=True)
        )
        texts = " ".join(str(a["DESCRIPTION"]) for a in event.walk("VALARM"))
        assert [p for p in PERSONAL if p in texts] == []


# --- escaping: customer text cannot add properties ------------------------------------------

EXPECTED = {
    "UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "STATUS", "SUMMARY", "LOCATION",
    "DESCRIPTION", "CLASS", "ORGANIZER", "ATTENDEE", "X-FIELDSERVICE-ORDER-ID",
    "X-FIELDSERVICE-ORDER-KIND", "X-FIELDSERVICE-TIER", "X-FIELDSERVICE-RULES",
}  # fmt: skip
LINE_NAMES = EXPECTED | {
    "BEGIN", "END", "VERSION", "PRODID", "METHOD", "TZID", "COMMENT", "TZNAME", "TZOFFSETFROM",
    "TZOFFSETTO", "RDATE", "RRULE", "ACTION", "TRIGGER", "X-FIELDSERVICE-RULE",
}  # fmt: skip
ATTACK = 'x"\r\nATTENDEE:mailto:evil@example.com\r\nX-EVIL;A=1:2\nEND:VEVENT\r;,\\:'


def forged(name: str) -> fs.Customer:
    """A customer whose name skipped validation: defence in depth for data from elsewhere."""
    customer = attrs.evolve(CUSTOMER, name="占位")
    object.__setattr__(customer.name, "_PersonalName__clear", name)
    return customer


def assert_only_our_properties(data: bytes) -> icalendar.Event:
    cal = parse(data)
    (event,) = cal.walk("VEVENT")
    assert set(event.keys()) <= EXPECTED
    assert len(cal.walk("VEVENT")) == 1
    assert all(
        set(a.keys()) == {"ACTION", "TRIGGER", "DESCRIPTION", "X-FIELDSERVICE-RULE"}
        for a in event.walk("VALARM")
    )
    text = data.decode()
    assert all(line.endswith("\r") or not line for line in text.split("\n"))  # CRLF only
    # Unfolded, every content line is one of ours: the attack stayed inside a value.
    lines = re.sub(r"\r\n[ \t]", "", text).split("\r\n")[:-1]
    assert {re.match(r"[A-Z0-9-]+", line).group() for line in lines} <= LINE_NAMES  # type: ignore[union-attr]
    assert lines.count("END:VEVENT") == 1
    assert not any(line.startswith(("ATTENDEE:mailto", "X-EVIL")) for line in lines)
    return event


@pytest.mark.parametrize("audience", list(IcsAudience))
def test_G1_a_name_with_crlf_and_semicolon_cannot_inject_a_property(audience: IcsAudience) -> None:
    order = Order("WO-1", tuple(booked(note=ATTACK)), customer=forged("张三" + ATTACK))
    data = to_ical([order], audience=audience, include_personal=True)
    event = assert_only_our_properties(data)
    v = vobject.readOne(data.decode())
    assert len(v.vevent_list) == 1
    assert v.vevent.uid.value == event["UID"]
    assert not hasattr(v.vevent, "x_evil")
    assert ATTACK.replace("\r\n", "\n").replace("\r", "\n").strip() in str(event["DESCRIPTION"])


unsafe_text = st.text(
    alphabet=st.one_of(
        st.sampled_from('\r\n;,\\:"^\t\x00\x0b\x1b\x7f\x85\u2028\u2029'),
        st.characters(codec="utf-8"),
    ),
    min_size=1,
    max_size=60,
)
name_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(";,\\:\"^'=张三丰王\x85"), st.characters(categories=["L", "N", "P"])
    ),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip())
zones = st.sampled_from(["Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Sydney"])
starts = st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2031, 12, 31))


@given(note=unsafe_text, zone=zones, start=starts, hours=st.integers(1, 8))
def test_G1_random_notes_never_add_properties_and_round_trip_the_times(
    note: str, zone: str, start: dt.datetime, hours: int
) -> None:
    begin = pendulum.instance(start.replace(second=0, microsecond=0), tz=zone)
    end = begin.add(hours=hours)
    log = (window("booked", begin.subtract(days=2), begin, end, note=note),)
    order = Order("WO-7", log, standard=STD.replace(timezone=zone))
    data = to_ical([order], include_personal=True)
    event = assert_only_our_properties(data)
    # Instants, not ==: Python never finds an ambiguous local time equal across zones.
    assert (event.start.timestamp(), event.end.timestamp()) == (begin.timestamp(), end.timestamp())
    v = vobject.readOne(data.decode()).vevent
    assert v.uid.value == event["UID"]
    assert (v.dtstart.value.timestamp(), v.dtend.value.timestamp()) == (
        begin.timestamp(),
        end.timestamp(),
    )


@given(name=name_text)
def test_G1_random_names_round_trip_as_cn_without_breaking_the_file(name: str) -> None:
    customer = attrs.evolve(CUSTOMER, name=name)
    data = to_ical(
        [Order("WO-8", tuple(booked()), customer=customer)],
        audience="customer",
        include_personal=True,
    )
    event = assert_only_our_properties(data)
    # Whitespace runs become one space; a backslash, which icalendar would read as an
    # escape, and a double quote, which vobject shows as RFC 6868's ^', their full-width
    # look-alikes.
    shown = " ".join(customer.name.reveal().split())
    shown = shown.replace("\\", "\uff3c").replace('"', "\uff02").replace("^", "\uff3e")
    assert event["ATTENDEE"][-1].params["CN"] == shown
    v = vobject.readOne(data.decode())
    assert v.vevent.uid.value == event["UID"]
    assert len(v.vevent.attendee_list) == 3
    assert v.vevent.attendee_list[-1].params["CN"] == [shown]  # both parsers read one name


# --- an independent parser --------------------------------------------------------------------


def test_vobject_reads_the_same_entry_times_and_alarms() -> None:
    data = to_ical([Order("WO-1", tuple(confirmed()), technicians=(T7,))])
    v = vobject.readOne(data.decode())
    assert v.method.value == "REQUEST"
    event = v.vevent
    assert event.uid.value == vevent(data)["UID"]
    assert (event.dtstart.value, event.dtend.value) == (at(26, 14), at(26, 15))
    assert event.sequence.value == "1"
    assert [a.trigger.value for a in event.valarm_list] == [-dt.timedelta(minutes=30)]
    assert event.summary.value == "装机：固话、宽带 / install: fixed line, broadband"


# --- event_for, feed, orders_from_jsonl ---------------------------------------------------------


def test_event_for_gives_an_icalendar_event_to_compose() -> None:
    event = event_for(Order("WO-1", tuple(confirmed())), audience="customer")
    assert isinstance(event, icalendar.Event)
    cal = icalendar.Calendar()
    cal.add("PRODID", "-//integrator//EN")
    cal.add("VERSION", "2.0")
    cal.add_component(event)
    assert cal.get_missing_tzids() == {TZ}
    cal.add_missing_timezones()
    assert vevent(cal.to_ical()).start == at(26, 14)
    with pytest.raises(fs.InvalidInput, match="audience must be one of"):
        event_for(Order("WO-1", tuple(confirmed())), audience="dispatcher")


def test_feed_holds_one_technicians_visits_in_range() -> None:
    mine = Order("WO-1", tuple(confirmed()))
    later = Order("WO-2", tuple(rescheduled(2)))  # now on the 28th
    gone = Order("WO-3", (*booked(), ev("cancelled", at(25, 9), reason="撤单")))
    not_mine = Order("WO-4", tuple(booked()), technicians=(T8,))
    data = feed(T7, [later, not_mine, gone, mine], at(26, 0), at(28, 0))
    cal = parse(data)
    assert "METHOD" not in cal
    assert cal["X-WR-CALNAME"] == "fieldservice T7"
    ids = [(str(e["X-FIELDSERVICE-ORDER-ID"]), str(e["STATUS"])) for e in cal.walk("VEVENT")]
    assert ids == [("WO-3", "CANCELLED"), ("WO-1", "CONFIRMED")]  # by start, then UID
    assert "王师傅" not in data.decode()
    assert parse(feed(T7, [mine], at(27, 0), at(28, 0))).walk("VEVENT") == []


def test_feed_needs_an_aware_range_that_moves_forward() -> None:
    with pytest.raises(fs.InvalidInput, match="naive"):
        feed(T7, [], dt.datetime(2026, 11, 26), at(27, 0))
    with pytest.raises(fs.InvalidInput, match="after start"):
        feed(T7, [], at(27, 0), at(26, 0))


def test_orders_from_jsonl_names_the_file_it_cannot_read(tmp_path: pytest.TempPathFactory) -> None:
    with pytest.raises(fs.InvalidInput, match="cannot read"):
        orders_from_jsonl(f"{tmp_path}/missing.jsonl")


# --- packaging -------------------------------------------------------------------------------


def test_importing_fieldservice_does_not_import_icalendar() -> None:
    code = "import sys, fieldservice; print('icalendar' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_ics_lines_are_folded_to_75_octets() -> None:
    data = to_ical([Order("WO-1", personal_log())], include_personal=True)
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    assert re.search(rb"[^\r]\n", data) is None


@given(st.text())
def test_B9_uid_is_the_uuid5_of_the_order_id(order_id: str) -> None:
    """The UID is spelt out for speed; it must stay uuid5's, or clients duplicate entries."""
    import uuid

    from fieldservice import calendar

    name = "fieldservice:order:" + order_id
    try:
        expected = f"{uuid.uuid5(calendar._NAMESPACE, name)}@fieldservice"
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8, no UID either way
        with pytest.raises(UnicodeEncodeError):
            calendar._uid(order_id)
        return
    assert calendar._uid(order_id) == expected


# --- duck-typed and malformed orders (issue 17) -------------------------------------------

_T = pendulum.datetime(2026, 11, 24, 10, tz=TZ)
_JUNK: tuple[object, ...] = (
    None, 7, 1.5, "install", "WO-\ud800", "13800138000", b"WO", (), [], {}, object(),
    frozenset({"iptv"}), ("T1",), "broadband",
)  # fmt: skip
_MEMBERS = ("id", "kind", "products", "customer", "technicians", "standard", "events")


def _duck(**changes: object) -> object:
    from types import SimpleNamespace

    tech = fs.Technician(id="T1", name="王五", certificate="ZW-1")
    members: dict[str, object] = {
        "id": "WO-1",
        "kind": fs.OrderKind.REPAIR,
        "products": frozenset({fs.Product.BROADBAND}),
        "customer": CUSTOMER,
        "technicians": (tech,),
        "standard": STD,
        "events": [
            Event(
                "booked",
                _T,
                actor="desk",
                data={"start": "2026-11-25T08:00:00+08:00", "end": "2026-11-25T12:00:00+08:00"},
            )
        ],
    }
    members.update(changes)
    return SimpleNamespace(**members)


def _exports(order: object) -> list[Any]:
    tech = fs.Technician(id="T1", name="王五", certificate="ZW-1")
    return [
        lambda: to_ical([order], itip=False),
        lambda: to_ical([order], include_personal=True, itip=False),
        lambda: event_for(order, audience="customer", include_personal=True),
        lambda: feed(tech, [order], _T, _T.add(days=7), include_personal=True),
    ]


@given(member=st.sampled_from(_MEMBERS), junk=st.sampled_from(_JUNK))
def test_regression_malformed_duck_typed_orders_are_coded_errors(member: str, junk: object) -> None:
    for export in _exports(_duck(**{member: junk})):
        assert _outcome(export) in {"ok", "refused"}


def _outcome(export: Any) -> str:
    """'ok', or 'refused' for InvalidInput (or a subclass); anything else propagates (fails)."""
    try:
        export()
    except fs.InvalidInput:
        return "refused"
    return "ok"


def test_regression_a_duck_typed_order_with_a_string_kind_or_no_customer_is_invalid_input() -> None:
    for changes in ({"kind": "repair"}, {"customer": None}, {"id": 7}, {"id": "WO-\ud800"}):
        for export in _exports(_duck(**changes)):
            with pytest.raises(fs.InvalidInput, match="order"):
                export()


def test_a_well_formed_duck_typed_order_still_exports() -> None:
    for export in _exports(_duck()):
        assert export()


def _alarms_of(order: fs.WorkOrder, audience: str) -> list[icalendar.Alarm]:
    cal = icalendar.Calendar.from_ical(to_ical([order], audience=audience))
    return [a for e in cal.walk("VEVENT") for a in e.walk("VALARM")]


def test_B6_the_call_ahead_alarm_in_the_quiet_hours_says_not_to_call() -> None:
    # An outside probe: the call 30 minutes before an 08:00 arrival (C2) falls at 07:30,
    # in the quiet hours (B6). The reminder plan flags it for a person to decide; the
    # technician's alarm asked for the call all the same.
    t = pendulum.datetime(2026, 11, 23, 10, tz=TZ)
    order = fs.WorkOrder.install(
        id="WO-1", customer=CUSTOMER, products={"broadband"}, accepted_at=t, by="desk-1"
    )
    order.check_resources(True, at=t, by="desk-1")
    order.book(("2026-11-25", "morning"), at=t.add(minutes=1), by="desk-1")
    order.assign([T7], contact=T7, at=t.add(minutes=2), by="desk-1")
    flagged = {r.rule for r in fs.reminders.plan(order) if r.quiet_hours_conflict}
    assert flagged == {"C2"}
    for audience, words in [("technician", "勿致电客户"), ("customer", "不致电")]:
        by_rule = {str(a["X-FIELDSERVICE-RULE"]): a for a in _alarms_of(order, audience)}
        call = by_rule["C2"]
        assert words in str(call["DESCRIPTION"])
        assert "20:00-08:00" in str(call["DESCRIPTION"])
        assert str(call["X-FIELDSERVICE-QUIET-HOURS-CONFLICT"]) == "TRUE"
        if audience == "customer":
            # The second probe: it said "and calls you first" beside "no call" (B6).
            assert "致电您" not in str(call["DESCRIPTION"])
            assert "calls you" not in str(call["DESCRIPTION"])
            assert "约30分钟后上门" in str(call["DESCRIPTION"])
        others = [a for rule, a in by_rule.items() if rule != "C2"]
        assert all("X-FIELDSERVICE-QUIET-HOURS-CONFLICT" not in a for a in others)
        assert all("B6" not in str(a["DESCRIPTION"]) for a in others)
    # An afternoon visit's call (13:30) is outside the quiet hours: asked for plainly.
    order.reschedule(
        ("2026-11-25", "afternoon"), at=t.add(minutes=3), by="desk-1",
        requested_by="customer", reason="下午方便", consent=True,
    )  # fmt: skip
    (call,) = [a for a in _alarms_of(order, "technician") if str(a["X-FIELDSERVICE-RULE"]) == "C2"]
    assert (
        str(call["DESCRIPTION"])
        == "上门前30分钟致电客户 / call the customer 30 minutes before arrival"
    )

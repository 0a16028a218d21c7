import copy
import datetime as dt
import json
import pickle

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldservice import payloads
from fieldservice.errors import InvalidEvent, InvalidInput
from fieldservice.events import Event, EventKind, PackedLog, check_time_order
from fieldservice.model import Tier

T0 = pendulum.datetime(2026, 11, 24, 10, 30, tz="Asia/Shanghai")


def test_event_kinds_are_past_tense_and_name_their_rule() -> None:
    for kind in EventKind:
        assert kind.rule[0] in "BCFGKLMORSTW"
        assert kind.label_zh
    assert EventKind.RESCHEDULED.label_zh == "改约"
    assert EventKind.CLEARED.label_zh == "销障"


def test_event_data_is_a_typed_read_only_payload() -> None:
    e = Event(EventKind.ACCEPTED, T0, actor="T7", data={"tier": "gold", "products": ["iptv"]})
    assert isinstance(e.data, payloads.Opened)
    assert e.data.tier is Tier.GOLD
    assert e.data["products"] == ("iptv",)  # the JSON form, frozen
    with pytest.raises(TypeError):
        e.data["x"] = 1  # type: ignore[index]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        e.data.tier = Tier.DIAMOND  # type: ignore[misc]


@pytest.mark.parametrize("kind", list(EventKind))
def test_every_kind_refuses_a_key_it_does_not_define(kind: EventKind) -> None:
    with pytest.raises(InvalidInput, match="has no key 'colour'") as info:
        Event(kind, T0, actor="T7", data={"colour": "red"})
    assert info.value.code == "invalid_input"
    with pytest.raises(InvalidEvent, match="has no key 'colour'"):
        Event.from_dict(
            {"kind": kind.value, "at": T0.isoformat(), "actor": "T7", "data": {"colour": 1}}
        )


def test_an_event_with_an_unknown_top_level_key_is_refused() -> None:
    with pytest.raises(InvalidEvent, match="kind, at, actor and data only"):
        Event.from_dict({"kind": "arrived", "at": T0.isoformat(), "actor": "T7", "extra": 1})


def test_data_nested_500_deep_is_refused_without_recursing() -> None:
    deep: object = "x"
    for _ in range(500):
        deep = {"a": deep}
    with pytest.raises(InvalidEvent):
        Event.from_dict({"kind": "booked", "at": T0.isoformat(), "actor": "T7", "data": deep})
    with pytest.raises(InvalidEvent):
        Event.from_dict(
            {"kind": "cancelled", "at": T0.isoformat(), "actor": "T7", "data": {"reason": deep}}
        )


# Printable text with inner spaces, never at the ends: drawn so, not filtered (cheap).
_WORDS = st.text(st.characters(exclude_categories=("C", "Z")), min_size=1, max_size=12)
texts = st.lists(_WORDS, min_size=1, max_size=3).map(" ".join)
instants = st.integers(0, 10**8).map(lambda s: T0.add(seconds=s))


@st.composite
def payload_data(draw: st.DrawFn, kind: EventKind) -> dict[str, object]:
    """Valid data for ``kind``, in JSON form, drawn across every field the schema has."""
    start = draw(instants)
    end = start.add(minutes=draw(st.integers(1, 600)))
    window = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "date": start.date().isoformat(),
        "half": draw(st.sampled_from(["morning", "afternoon"])),
    }
    tech = draw(
        st.lists(
            st.from_regex(r"T[0-9]{1,3}", fullmatch=True), min_size=1, max_size=20, unique=True
        )
    )
    maybe = st.none() | st.just(True)
    table: dict[EventKind, dict[str, object]] = {
        EventKind.ACCEPTED: {
            "tier": draw(st.sampled_from([t.value for t in Tier])),
            "products": ["broadband"],
        },
        EventKind.BOOKED: window,
        EventKind.RESCHEDULED: {
            **window,
            "requested_by": "customer",
            "reason": draw(texts),
            "consent": True,
        },
        EventKind.CONFIRMED: {"start": start.isoformat(), "end": end.isoformat()},
        EventKind.CONTACTED: {"note": {"$secret": draw(texts)}} if draw(maybe) else {},
        EventKind.TECHNICIANS_ASSIGNED: {"technicians": tech, "contact": tech[-1]},
        EventKind.DEPARTED: {"travel_s": draw(st.integers(0, 86_400))},
        EventKind.DELAYED: {
            "reason": draw(texts),
            "minutes": draw(st.integers(1, 600)),
            "customer_told": True,
        },
        EventKind.CUSTOMER_ABSENT: {"note_left": True, "neighbours_asked": draw(st.booleans())},
        EventKind.CHECKLIST_UPDATED: {
            "action": "tick",
            "item": "S5",
            "evidence": {"optical_power_dbm": draw(st.floats(-40, 0))},
        },
        EventKind.CLOCK_PAUSED: {"reason": "customer_request", "clocks": ["repair"]},
        EventKind.TIER_CHANGED: {"tier": "silver"},
        EventKind.HANDED_OVER: {"to": "desk-9"},
        EventKind.CANCELLED: {"reason": draw(texts)},
        EventKind.LEFT_TEMPORARILY: {"reason": draw(texts), "minutes": 5},
        EventKind.WORKSHEET_UPDATED: {
            "worksheet": {"technicians": tech, "materials": [], "parameters": [], "opinion": None}
        },
        EventKind.SIGNED: {
            "signature": {
                "signer": {"$secret": draw(texts)},
                "role": draw(st.sampled_from(["customer", "proxy"])),
                "at": start.isoformat(),
                "digest": "a" * 64,
            }
        },
    }
    return table.get(kind, {})


@given(
    st.sampled_from(list(EventKind)).flatmap(
        lambda k: st.tuples(st.just(k), payload_data(k), instants)
    )
)
def test_events_of_every_kind_round_trip_through_json_pickle_and_deepcopy(
    case: tuple[EventKind, dict[str, object], pendulum.DateTime],
) -> None:
    kind, data, when = case
    e = Event(kind, when, actor="dispatcher-1", data=data)
    back = Event.from_dict(json.loads(json.dumps(e.to_dict(include_personal=True))))
    assert back == e
    assert back.to_dict(include_personal=True) == e.to_dict(include_personal=True)
    assert pickle.loads(pickle.dumps(e)) == e
    assert copy.deepcopy(e) == e
    assert copy.copy(e) == e


def test_naive_event_time_is_refused() -> None:
    with pytest.raises(InvalidInput, match="naive"):
        Event(EventKind.ACCEPTED, dt.datetime(2026, 11, 24, 10, 30), actor="T7")


def test_event_accepts_stdlib_aware_datetimes() -> None:
    at = dt.datetime(2026, 11, 24, 2, 30, tzinfo=dt.UTC)
    assert Event("accepted", at, actor="T7").at == T0


@pytest.mark.parametrize(
    "data", [{"reason": object()}, {1: "a"}, {"reason": float("nan")}, ["not", "a", "map"]]
)
def test_non_json_data_is_refused(data: object) -> None:
    with pytest.raises(InvalidInput):
        Event(EventKind.ACCEPTED, T0, actor="T7", data=data)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"kind": "accepted", "actor": "T7"}, "needs at"),
        ({"kind": "accepted", "at": "2026-11-24T10:30:00", "actor": "T7"}, "has no offset"),
        ({"kind": "accepted", "at": "yesterday", "actor": "T7"}, "not an ISO 8601"),
        (
            {"kind": "teleported", "at": "2026-11-24T10:30:00+08:00", "actor": "T7"},
            "event kind must be one of",
        ),
        ({"kind": "accepted", "at": 5, "actor": "T7"}, "ISO 8601 text"),
        ("accepted", "must be a JSON object"),
    ],
)
def test_tampered_events_are_refused(value: object, message: str) -> None:
    with pytest.raises(InvalidEvent, match=message) as info:
        Event.from_dict(value)  # type: ignore[arg-type]
    assert info.value.code == "invalid_event"


def test_events_out_of_time_order_are_refused() -> None:
    a = Event(EventKind.ACCEPTED, T0, actor="S")
    b = Event(EventKind.CONTACTED, T0.subtract(seconds=1), actor="S")
    with pytest.raises(InvalidEvent, match="earlier than event 1"):
        check_time_order([a, b])
    # Equal instants are in order: two things may be recorded in the same second.
    assert check_time_order([a, a]) == (a, a)


@given(st.lists(st.integers(0, 10**6), max_size=12))
def test_time_order_check_accepts_exactly_the_sorted_logs(offsets: list[int]) -> None:
    events = [Event(EventKind.CONTACTED, T0.add(seconds=o), actor="S") for o in offsets]
    if offsets == sorted(offsets):
        assert check_time_order(events) == tuple(events)
    else:
        with pytest.raises(InvalidEvent):
            check_time_order(events)


_ZONES = st.sampled_from(
    [
        "Asia/Shanghai",
        "UTC",
        "Europe/London",
        "America/New_York",
        "Australia/Lord_Howe",  # a half-hour summer time
        "America/St_Johns",  # an offset of minutes
        "Pacific/Chatham",
    ]
)


@st.composite
def _any_aware(draw: st.DrawFn) -> dt.datetime:
    """An aware datetime as a caller may give one: pendulum or stdlib, named zone or offset,
    either fold, even a wall time in a summer-time gap that pendulum never normalised."""
    wall = draw(st.datetimes(dt.datetime(1970, 1, 2), dt.datetime(2198, 12, 30)))
    fold = draw(st.integers(0, 1))
    how = draw(st.sampled_from(["pendulum", "zoneinfo", "offset", "pendulum offset"]))
    if how == "pendulum":
        zone = pendulum.timezone(draw(_ZONES))
        return pendulum.DateTime(*wall.timetuple()[:6], wall.microsecond, tzinfo=zone, fold=fold)
    if how == "zoneinfo":
        import zoneinfo

        return wall.replace(tzinfo=zoneinfo.ZoneInfo(draw(_ZONES)), fold=fold)
    minutes = draw(st.integers(-14 * 60, 14 * 60))
    if how == "offset":
        return wall.replace(tzinfo=dt.timezone(dt.timedelta(minutes=minutes)), fold=fold)
    zone = pendulum.FixedTimezone(minutes * 60)
    return pendulum.DateTime(*wall.timetuple()[:6], wall.microsecond, tzinfo=zone, fold=fold)


@given(_any_aware())
def test_G1_an_event_rebuilds_the_instant_it_was_given_to_the_microsecond(
    when: dt.datetime,
) -> None:
    # An event keeps its zone and epoch, not a DateTime (memory of a branch's logs):
    # ``at`` must still show exactly what the event was made with: wall time, offset, zone, fold.
    from fieldservice import _validate

    expected = _validate.aware("event at", when)
    e = Event("arrived", when, actor="T7")
    for got in (e.at, pickle.loads(pickle.dumps(e)).at, copy.deepcopy(e).at):
        assert isinstance(got, pendulum.DateTime)
        assert got.isoformat() == expected.isoformat()
        assert (got.utcoffset(), got.tzinfo) == (expected.utcoffset(), expected.tzinfo)
        # Even fold, where it means nothing yet: wall-clock arithmetic into a repeated hour
        # (replace) reads it.
        assert got.fold == expected.fold
        assert got.timestamp() == e.epoch == expected.timestamp()
    assert e.to_dict()["at"] == expected.isoformat()
    back = Event.from_dict(e.to_dict())
    assert back == e
    assert back.to_dict()["at"] == back.at.isoformat() == expected.isoformat()


def test_an_event_holds_no_datetime_of_its_own() -> None:
    import gc

    read = Event.from_dict({"kind": "arrived", "at": "2026-11-24T14:00:00.5+08:00", "actor": "T7"})
    made = Event("arrived", pendulum.datetime(2026, 11, 24, 14, tz="Asia/Shanghai"), actor="T7")
    for e in (read, made):
        assert not [r for r in gc.get_referents(e) if isinstance(r, dt.datetime)]
    assert read.at.isoformat() == "2026-11-24T14:00:00.500000+08:00"
    assert made.at.timezone_name == "Asia/Shanghai"


def test_an_event_keeps_a_wall_time_pendulum_never_normalised() -> None:
    # 02:30 on 2026-03-08 does not exist in New York (the clocks jump 02:00 -> 03:00);
    # pendulum.DateTime() keeps it as given, and so must the event, not show 03:30.
    gap = pendulum.DateTime(2026, 3, 8, 2, 30, tzinfo=pendulum.timezone("America/New_York"))
    e = Event("arrived", gap, actor="T7")
    assert (e.at.hour, e.at.minute) == (2, 30)
    assert e.at.timestamp() == e.epoch


def test_an_event_is_still_an_attrs_class_with_at_among_its_fields() -> None:
    import weakref

    e = Event("arrived", pendulum.datetime(2026, 11, 24, 14, tz="Asia/Shanghai"), actor="T7")
    assert [f.name for f in attrs.fields(Event)] == ["kind", "at", "actor", "data", "epoch"]
    assert attrs.asdict(e, recurse=False)["at"] == e.at
    moved = attrs.evolve(e, actor="T8")
    assert (moved.actor, moved.at, moved.epoch) == ("T8", e.at, e.epoch)
    match e:
        case Event(kind, at):
            assert (kind, at) == (EventKind.ARRIVED, e.at)
    assert weakref.ref(e)() is e
    assert repr(e).startswith("Event(kind=<EventKind.ARRIVED: 'arrived'>, at=DateTime(2026, 11, 24")


def test_an_event_at_a_wall_time_a_repeated_hour_reads_keeps_its_fold() -> None:
    # pendulum.datetime() gives fold=1; replace() into the hour New York repeats on
    # 1 November 2026 reads it to pick the later offset.
    given = pendulum.datetime(2026, 10, 31, 1, 30, tz="America/New_York")
    e = Event("arrived", given, actor="T7")
    moved = e.at.replace(month=11, day=1)
    assert moved.utcoffset() == given.replace(month=11, day=1).utcoffset()


def test_an_event_in_a_zone_that_cannot_convert_from_utc_keeps_its_instant() -> None:
    class Plus8(dt.tzinfo):  # no dst(): datetime cannot convert into it from UTC
        def utcoffset(self, d: dt.datetime | None) -> dt.timedelta:
            return dt.timedelta(hours=8)

        def tzname(self, d: dt.datetime | None) -> str:
            return "+08"

    given = pendulum.DateTime(2026, 6, 1, 12, tzinfo=Plus8())
    e = Event("arrived", given, actor="T7")
    assert e.at.isoformat() == "2026-06-01T12:00:00+08:00"
    assert e.epoch == given.timestamp()


def test_an_appointment_reads_its_booking_time_as_before() -> None:
    # The fold hands the visit the booking's event; booked_at reads back its instant, and
    # an appointment made by hand with a datetime equals the one the fold made.
    from fieldservice.visits import Appointment, appointment_of

    t = pendulum.datetime(2026, 11, 24, 11, tz="Asia/Shanghai")
    window = {
        "date": "2026-11-26",
        "half": "afternoon",
        "start": "2026-11-26T12:00:00+08:00",
        "end": "2026-11-26T18:00:00+08:00",
    }
    folded = appointment_of([Event("booked", t, actor="T7", data=window)])
    by_hand = Appointment(folded.booking, t, None, live=True, revision=1)
    assert folded.booked_at == t
    assert folded == by_hand
    assert hash(folded) == hash(by_hand)
    assert attrs.evolve(folded, live=False).booked_at == t
    assert attrs.asdict(folded, recurse=False)["booked_at"] == t
    assert "booked_at=DateTime(2026, 11, 24, 11" in repr(folded)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        folded.booked_at = t  # type: ignore[misc]


@pytest.mark.parametrize("day", ["0001-01-01", "1969-12-31", "2199-01-01", "9999-12-31"])
def test_C1_a_booking_whose_day_lies_outside_the_years_read_is_refused(day: str) -> None:
    # The day's confirm-by time is an instant the clocks read (C1): a day no instant can
    # name was read, and raised a bare ValueError only when a clock reached it.
    t = pendulum.datetime(2026, 11, 20, 8, tz="Asia/Shanghai")
    window = {"start": t.add(days=2).isoformat(), "end": t.add(days=2, hours=4).isoformat()}
    for kind in ("booked", "rescheduled"):
        with pytest.raises(InvalidInput, match="1970 to 2198"):
            Event(kind, t, actor="desk", data=dict(window, date=day, half="morning"))
    with pytest.raises(InvalidInput, match="1970 to 2198"):
        payloads.Booked(
            window["start"], window["end"], date=dt.date.fromisoformat(day), half="morning"
        )


def test_C1_a_booking_on_the_first_and_last_days_read_is_kept() -> None:
    t = pendulum.datetime(2026, 11, 20, 8, tz="Asia/Shanghai")
    for day in ("1970-01-01", "2198-12-31"):
        # The window's date is the day its start falls on (B2): 08:00-12:00 of that day.
        window = {"start": f"{day}T08:00:00+08:00", "end": f"{day}T12:00:00+08:00"}
        event = Event("booked", t, actor="desk", data=dict(window, date=day, half="morning"))
        assert event.data.date == dt.date.fromisoformat(day)  # type: ignore[attr-defined]


# -- the packed log of a restored order ---------------------------------------------


@st.composite
def _logs(draw: st.DrawFn) -> list[Event]:
    """Events of every kind, at any instant a caller may give, by a few actors."""
    events = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(list(EventKind)))
        events.append(
            Event(
                kind,
                draw(_any_aware() | instants),
                actor=draw(st.sampled_from(["desk-1", "T7", "dispatch-2"])),
                data=draw(payload_data(kind)),
            )
        )
    return events


def _same_event(got: Event, want: Event) -> None:
    assert got == want
    assert (got.kind, got.actor, got.data, got.epoch) == (
        want.kind,
        want.actor,
        want.data,
        want.epoch,
    )
    assert got.at.isoformat() == want.at.isoformat()
    assert (got.at.tzinfo, got.at.fold) == (want.at.tzinfo, want.at.fold)


@given(_logs())
def test_a_packed_log_gives_back_every_event_as_it_was_made(events: list[Event]) -> None:
    events.sort(key=lambda e: e.epoch)  # stable: events at one instant keep their order
    log = PackedLog(events)
    assert len(log) == len(events)
    assert log.kinds() == tuple(e.kind for e in events)
    assert log.epochs() == tuple(e.epoch for e in events)
    for got, want in zip(log.events(), events, strict=True):
        _same_event(got, want)
    for i in range(-len(events), len(events)):
        _same_event(log[i], events[i])
    assert log[1:] == tuple(events[1:])
    assert list(log) == events
    for again in (pickle.loads(pickle.dumps(log)), copy.deepcopy(log)):
        assert isinstance(again, PackedLog)
        assert again == log
        for got, want in zip(again, events, strict=True):
            _same_event(got, want)
    with pytest.raises(IndexError):
        log[len(events)]


@given(st.lists(_logs(), max_size=5))
def test_packed_logs_read_as_columns_give_each_events_kind_instant_and_data(
    logs: list[list[Event]],
) -> None:
    for events in logs:
        events.sort(key=lambda e: e.epoch)
    packed = [PackedLog(events) for events in logs]
    columns = PackedLog.columns_of(packed)
    flat = [e for events in logs for e in events]
    assert list(columns.counts) == [len(events) for events in logs]
    assert [tuple(EventKind)[k] for k in columns.kinds] == [e.kind for e in flat]
    assert list(columns.epochs) == [e.epoch for e in flat]
    assert all(got is e.data for got, e in zip(columns.payloads, flat, strict=True))
    assert "desk-1" not in repr(columns)


def test_packed_log_columns_read_packed_logs_only() -> None:
    with pytest.raises(InvalidEvent, match="PackedLogs only"):
        PackedLog.columns_of([[Event("arrived", T0, actor="T7")]])  # type: ignore[list-item]


def test_a_packed_log_holds_events_only_and_cannot_be_changed() -> None:
    with pytest.raises(InvalidEvent, match="a log holds events only"):
        PackedLog([Event("arrived", T0, actor="T7"), "arrived"])  # type: ignore[list-item]
    late, early = (
        Event("arrived", T0, actor="T7"),
        Event("departed", T0.subtract(seconds=1), actor="T7"),
    )
    with pytest.raises(InvalidEvent, match=r"event 2 \(departed\) is earlier than event 1"):
        PackedLog([late, early])
    assert len(PackedLog([late, late])) == 2  # the same instant is in order
    log = PackedLog([Event("arrived", T0, actor="T7")])
    with pytest.raises(AttributeError):
        log._packed = b""  # type: ignore[misc]
    assert "T7" not in repr(log)


class _LocalizedZone(dt.tzinfo):
    """A zone as pytz makes them: a tzinfo object per offset, fromutc choosing the one due."""

    def __init__(self, hours: int) -> None:
        self.hours = hours

    def utcoffset(self, moment: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(hours=self.hours)

    def dst(self, moment: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(0)

    def fromutc(self, moment: dt.datetime) -> dt.datetime:
        winter = _LocalizedZone(-5)  # the offset the instant really has
        return (moment + winter.utcoffset(None)).replace(tzinfo=winter)


def test_G1_an_event_in_a_zone_that_converts_into_another_tzinfo_keeps_its_wall_time() -> None:
    # A summer offset put on a winter date, as pytz's localize of another date gives: the
    # event must give back the wall time and offset it was given, not a rebuilt one (a
    # comparison of wall times by subtraction compared instants across two tzinfo objects).
    at = pendulum.DateTime(2026, 1, 1, 10, tzinfo=_LocalizedZone(-4))
    event = Event("arrived", at, actor="T7")
    assert event.to_dict()["at"] == "2026-01-01T10:00:00-04:00"
    assert (event.at.hour, event.at.utcoffset()) == (10, dt.timedelta(hours=-4))
    assert event.epoch == at.timestamp()

import datetime as dt
import json

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldservice.errors import InvalidEvent, InvalidInput
from fieldservice.events import Event, EventKind, check_time_order

T0 = pendulum.datetime(2026, 11, 24, 10, 30, tz="Asia/Shanghai")

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def test_event_kinds_are_past_tense_and_name_their_rule() -> None:
    for kind in EventKind:
        assert kind.rule[0] in "BCFGKLMORSTW"
        assert kind.label_zh
    assert EventKind.RESCHEDULED.label_zh == "改约"
    assert EventKind.CLEARED.label_zh == "销障"


def test_event_data_is_frozen() -> None:
    e = Event(
        EventKind.BOOKED, T0, actor="T7", data={"window": {"date": "2026-11-25"}, "products": ["a"]}
    )
    assert e.data["products"] == ("a",)
    with pytest.raises(TypeError):
        e.data["x"] = 1  # type: ignore[index]
    with pytest.raises(TypeError):
        e.data["window"]["date"] = "x"  # type: ignore[index]


def test_naive_event_time_is_refused() -> None:
    with pytest.raises(InvalidInput, match="naive"):
        Event(EventKind.ACCEPTED, dt.datetime(2026, 11, 24, 10, 30), actor="T7")


def test_event_accepts_stdlib_aware_datetimes() -> None:
    at = dt.datetime(2026, 11, 24, 2, 30, tzinfo=dt.UTC)
    assert Event("accepted", at, actor="T7").at == T0


@pytest.mark.parametrize(
    "data", [{"x": object()}, {1: "a"}, {"x": float("nan")}, ["not", "a", "map"]]
)
def test_non_json_data_is_refused(data: object) -> None:
    with pytest.raises(InvalidInput):
        Event(EventKind.ACCEPTED, T0, actor="T7", data=data)  # type: ignore[arg-type]


@given(st.dictionaries(st.text(max_size=10), json_values, max_size=5), st.integers(0, 10**9))
def test_event_round_trips_through_json(data: dict[str, object], offset: int) -> None:
    e = Event(EventKind.CONFIRMED, T0.add(seconds=offset), actor="dispatcher-1", data=data)
    back = Event.from_dict(json.loads(json.dumps(e.to_dict())))
    assert back == e
    assert back.to_dict() == e.to_dict()


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

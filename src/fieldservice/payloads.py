"""The event log's schema: one typed payload per kind of event.

An :class:`~fieldservice.events.Event` carries its details as one of the frozen
classes below, chosen by its kind. Every field is typed and checked once, where
the event enters the library (a command, or a reader of JSON); the workflow, the
SLA clocks, the reminder plan and the calendar read the typed fields and never
parse text again. A key that the kind does not define is refused, not carried.

The same classes write and read the log's JSON form, and give it as JSON Schema
(draft 2020-12, :func:`fieldservice.schema.event_schema`) for systems that write
or read the log without Python.

>>> import pendulum
>>> from fieldservice.events import Event
>>> t = pendulum.datetime(2026, 11, 24, 11, tz="Asia/Shanghai")
>>> e = Event("booked", t, actor="desk-1", data={
...     "date": "2026-11-26", "half": "afternoon",
...     "start": "2026-11-26T12:00:00+08:00", "end": "2026-11-26T18:00:00+08:00"})
>>> e.data
Booked(start=datetime.datetime(2026, 11, 26, 12, 0, ...), ..., half=<HalfDay.AFTERNOON: 'afternoon'>, note=None)
>>> e.data.half.value, e.data["start"]          # typed fields, and the JSON form
('afternoon', '2026-11-26T12:00:00+08:00')
>>> Event("booked", t, actor="desk-1", data={"date": "2026-11-26", "colour": "red"})
Traceback (most recent call last):
...
fieldservice.errors.InvalidInput: a booked event has no key 'colour'; its data holds start, end, date, half, note

A field that only the workflow needs (a cancellation's reason, a delay's minutes, ...)
is optional in the schema, so a bare log for the clocks may leave it out; restoring an
order refuses a log without it.

Payloads are read-only mappings of their JSON form too (``e.data["half"]``,
``e.data.get("reason")``), so code written against plain event data keeps working.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Final, Self, TypeVar

import attrs

from fieldservice import _jsondata, _labels, _time, _validate
from fieldservice._bounded import BoundedTable
from fieldservice._frozen import FrozenMap
from fieldservice.errors import InvalidInput
from fieldservice.model import (
    Area,
    DelayCause,
    FreeText,
    OrderKind,
    Party,
    PersonalName,
    Product,
    Secret,
    Tier,
    WithheldText,
)

if TYPE_CHECKING:
    from fieldservice.appointments import HalfDay
    from fieldservice.checklist import Finding
    from fieldservice.modemlabel import ModemLabel
    from fieldservice.signoff import Signature
    from fieldservice.worksheet import WorkSheet

__all__ = [
    "PERSONAL_KINDS",
    "Arrived",
    "Booked",
    "ChecklistUpdated",
    "ClockPaused",
    "ClockResumed",
    "Confirmed",
    "Contacted",
    "CustomerAbsent",
    "CustomerDataChecked",
    "CustomerPhoneUsed",
    "Delayed",
    "Departed",
    "FeasibilityAnswered",
    "FollowedUp",
    "HandedOver",
    "LeftTemporarily",
    "NoData",
    "Opened",
    "OutOfScopeRequested",
    "Payload",
    "Reason",
    "Rescheduled",
    "ResourceGapRecorded",
    "Signed",
    "TechniciansAssigned",
    "TierChanged",
    "Triaged",
    "Withheld",
    "WithheldName",
    "WorksheetUpdated",
]

SECRET_KEY: Final = "$secret"
"""How JSON writes a personal or secret value: ``{"$secret": "..."}``, or ``null`` when masked."""

_E = TypeVar("_E", bound=enum.Enum)


# --- personal values an export withheld ---------------------------------------------------


class Withheld(Secret):
    """A personal or secret value that an export masked: it was there, and cannot be read.

    Reading a masked export (``include_personal=False``) back gives events whose
    personal fields are ``Withheld``: enough for the clocks, the reminders and
    reports, never for restoring an order (which refuses such an export).

    >>> w = Withheld()
    >>> w, str(w), w == Withheld()
    (Withheld(), '******', True)
    >>> w.reveal()
    Traceback (most recent call last):
    ...
    fieldservice.errors.InvalidInput: this value was exported without personal data; ...
    """

    __slots__ = ()

    def __init__(self) -> None:  # no value: there is none to keep
        pass

    def reveal(self) -> str:
        """Refuse: the value was not exported."""
        msg = (
            "this value was exported without personal data; read it from an export "
            "written with include_personal=True"
        )
        raise InvalidInput(msg)

    def __repr__(self) -> str:
        return "Withheld()"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Withheld)

    def __hash__(self) -> int:
        return hash(Withheld)


class WithheldName(PersonalName):
    """A person's name that an export masked (the signer of a signature): never readable.

    >>> WithheldName(), WithheldName() == WithheldName()
    (PersonalName('***'), True)
    """

    __slots__ = ()

    def __init__(self) -> None:  # no value: there is none to keep
        pass

    reveal = Withheld.reveal

    def __str__(self) -> str:
        return "***"

    def __repr__(self) -> str:
        return "PersonalName('***')"

    def __format__(self, spec: str) -> str:
        return format("***", spec)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WithheldName)

    def __hash__(self) -> int:
        return hash(WithheldName)


_WITHHELD_TYPES: Final = frozenset({Withheld, WithheldName, WithheldText})


def _holds_withheld(name: str, value: Any) -> bool:
    """Whether a value of a personal field holds a masked value inside it."""
    if name == "signature":
        return is_withheld(value.signer)
    if name == "label":
        return is_withheld(value.password)
    if name == "evidence":
        return any(map(is_withheld, value.values()))
    if name == "worksheet":
        return value.opinion is not None and is_withheld(value.opinion.action)
    return False


def is_withheld(value: object) -> bool:
    """Whether ``value`` is a personal value that an export masked.

    >>> is_withheld(Withheld()), is_withheld(Secret("x")), is_withheld(WithheldText())
    (True, False, True)
    """
    # By exact type: these are the reader's own classes, and an isinstance check against
    # the ABC behind Secret runs Python code for every field of every event restored.
    return type(value) in _WITHHELD_TYPES


# --- how one field is read, written and described ---------------------------------------


@attrs.frozen
class _Spec:
    """How one field of a payload is read from JSON or a command, written, and described."""

    parse: Callable[[object, str], object]
    dump: Callable[[Any, bool], object]
    view: Callable[[Any], object]
    schema: Mapping[str, object]
    shareable: bool = False
    """Whether the parsed value depends on the JSON value alone and is nothing personal:
    payloads made only of such fields are read once and shared (:meth:`Payload.from_json_data`)."""
    personal: bool = False
    """Whether the value may be personal or secret, masked in an export without
    ``include_personal`` (G1): an order holding a masked one cannot be restored."""


def _same(value: object, _: bool = False) -> object:
    return value


# --- what the readers accept, as JSON Schema (fieldservice.schema publishes it) ------------
#
# Each pattern says what the reader of its field checks, so that a log the schema accepts is
# one the library reads. Plain ECMA-262 syntax, no look-around: every validator runs it.
# ``[0-9]``, never ``\d``: Python's ``\d`` takes any script's digits, the readers do not.

_YEAR: Final = "(?:19[7-9][0-9]|20[0-9]{2}|21[0-8][0-9]|219[0-8])"  # 1970-2198
_INNER_YEAR: Final = "(?:19(?:7[1-9]|[89][0-9])|20[0-9]{2}|21(?:[0-8][0-9]|9[0-7]))"  # 1971-2197
_LEAP_YEAR: Final = (  # the leap years among them: 2100 is none
    "(?:19(?:7[26]|8[048]|9[26])|20(?:[02468][048]|[13579][26])"
    "|21(?:0[48]|[2468][048]|[13579][26]))"
)
_DAY_31: Final = "(?:0[1-9]|[12][0-9]|3[01])"
_DAY_30: Final = "(?:0[1-9]|[12][0-9]|30)"
_DAY_28: Final = "(?:0[1-9]|1[0-9]|2[0-8])"
_SHORT_MONTHS: Final = f"(?:0[469]|11)-{_DAY_30}|02-{_DAY_28}"
_MONTH_DAY: Final = f"(?:(?:0[13578]|1[02])-{_DAY_31}|{_SHORT_MONTHS})"
_DATE_PATTERN: Final = f"^(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)$"
# The days of 1970-01-02 to 2198-12-30: any time and offset there lies in the years read.
_INNER_DAY: Final = (
    f"(?:{_INNER_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29"
    f"|1970-(?:01-(?:0[2-9]|[12][0-9]|3[01])|(?:0[3578]|1[02])-{_DAY_31}|{_SHORT_MONTHS})"
    f"|2198-(?:12-(?:0[1-9]|[12][0-9]|30)|(?:0[13578]|10)-{_DAY_31}|{_SHORT_MONTHS}))"
)
_HOUR: Final = "(?:[01][0-9]|2[0-3])"  # no 24:00
_SECOND: Final = ":[0-5][0-9](?:\\.[0-9]+)?"  # no leap second
_MINUTE_SECOND: Final = f"[0-5][0-9]{_SECOND}"
_ANY_MINUTE: Final = "[0-5][0-9]"


def _hours(first: int, last: int) -> str:
    """The two-digit hours from ``first`` to ``last``: ``(?:0[7-9]|1[0-2])`` for 7 to 12."""
    ranges = []
    for tens in range(3):
        low, high = max(first, 10 * tens) - 10 * tens, min(last, 10 * tens + 9) - 10 * tens
        if low <= high:
            ranges.append(f"{tens}{low}" if low == high else f"{tens}[{low}-{high}]")
    return f"(?:{'|'.join(ranges)})"


def _ends_of_the_years() -> str:
    """Instants on the four local days where the years read (counted in UTC) begin and end.

    There a time and its offset together say whether the instant is in: 1969-12-31T19:00
    -05:00 is (00:00 UTC), 1970-01-01T07:00+08:00 is not. Exact for offsets of whole,
    half and three-quarter hours, as the zones of the years read have; an instant with
    another offset, or an offset with seconds, is refused on these days: UTC writes it.
    """
    before, first, last, after = [], [], [], []
    for hour in range(24):
        h, rest = f"{hour:02}", 23 - hour
        # 1969-12-31 behind UTC: in when the hour and the offset's make a day or more.
        ways = [f"{_MINUTE_SECOND}-{_hours(24 - hour, 23)}:{_ANY_MINUTE}"] if hour else []
        ways += [
            f"[3-5][0-9]{_SECOND}-{rest:02}:30",
            f"(?:1[5-9]|[2-5][0-9]){_SECOND}-{rest:02}:45",
        ]
        before.append(f"{h}:(?:{'|'.join(ways)})")
        # 1970-01-01 ahead of UTC: in from the offset's own time of day on.
        ways = [f"{_MINUTE_SECOND}\\+{_hours(0, hour - 1)}:{_ANY_MINUTE}"] if hour else []
        ways += [f"{_MINUTE_SECOND}\\+{h}:00", f"[3-5][0-9]{_SECOND}\\+{h}:30"]
        ways += [f"(?:4[5-9]|5[0-9]){_SECOND}\\+{h}:45"]
        first.append(f"{h}:(?:{'|'.join(ways)})")
        # 2198-12-31 behind UTC: in while the hour and the offset's make less than a day.
        ways = [f"{_MINUTE_SECOND}-{_hours(0, 22 - hour)}:{_ANY_MINUTE}"] if rest else []
        ways += [f"{_MINUTE_SECOND}-{rest:02}:00", f"[0-2][0-9]{_SECOND}-{rest:02}:30"]
        ways += [f"(?:0[0-9]|1[0-4]){_SECOND}-{rest:02}:45"]
        last.append(f"{h}:(?:{'|'.join(ways)})")
        # 2199-01-01 ahead of UTC: in until the offset's own time of day.
        ways = [f"{_MINUTE_SECOND}\\+{_hours(hour + 1, 23)}:{_ANY_MINUTE}"] if rest else []
        ways += [f"[0-2][0-9]{_SECOND}\\+{h}:30", f"(?:[0-3][0-9]|4[0-4]){_SECOND}\\+{h}:45"]
        after.append(f"{h}:(?:{'|'.join(ways)})")
    clock = f"{_HOUR}:{_MINUTE_SECOND}"
    return (
        f"1969-12-31T(?:{'|'.join(before)})"
        f"|1970-01-01T(?:{clock}(?:Z|-{_HOUR}:{_ANY_MINUTE})|{'|'.join(first)})"
        f"|2198-12-31T(?:{clock}(?:Z|\\+{_HOUR}:{_ANY_MINUTE})|{'|'.join(last)})"
        f"|2199-01-01T(?:{'|'.join(after)})"
    )


# RFC 3339 with the offset required (seconds of an offset too, as old zones have), and the
# years the readers take, counted in UTC (_time.check_range).
_INSTANT_PATTERN: Final = (
    f"^(?:{_INNER_DAY}T{_HOUR}:{_MINUTE_SECOND}"
    f"(?:Z|[+-]{_HOUR}:{_ANY_MINUTE}(?::[0-5][0-9])?)|{_ends_of_the_years()})$"
)
INSTANT_SCHEMA: Final[Mapping[str, object]] = {
    "type": "string",
    "format": "date-time",
    "pattern": _INSTANT_PATTERN,
    "description": (
        "an instant with its UTC offset, in the years 1970 to 2198 counted in UTC: "
        "2026-11-26T14:00:00+08:00"
    ),
}
"""An instant as every reader of the log takes it, as JSON Schema (``$defs/instant``)."""

# _validate.text: stripped of what str.strip() removes (_STRIPPED), not empty, and then no
# control characters (a line feed and a tab only in multi-line text).
_CONTROL: Final = "\\u0000-\\u0008\\u000b-\\u001f\\u007f\\u2028\\u2029"
_STRIPPED: Final = (
    "\\t\\n\\u000b\\u000c\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a"
    "\\u2028\\u2029\\u202f\\u205f\\u3000"
)


def _text_pattern(*, multiline: bool) -> str:
    control = _CONTROL if multiline else "\\t\\n" + _CONTROL
    # Blanks either side, then text that begins and ends with a character neither
    # blank nor control, and holds no control character in between.
    shown = f"[^{control}{_STRIPPED}]"
    return f"^[{_STRIPPED}]*{shown}(?:[^{control}]*{shown})?[{_STRIPPED}]*$"


def _text_schema(max_length: int, *, multiline: bool = False) -> dict[str, object]:
    """Text as :func:`fieldservice._validate.text` reads it: not blank, no control characters."""
    return {
        "type": "string",
        "minLength": 1,
        "maxLength": max_length,
        "pattern": _text_pattern(multiline=multiline),
    }


# _validate.identifier: 1-64 letters, digits and . _ : -; not digits and separators alone
# holding 7 digits or more, which could be a phone number (G1).
_ID_PATTERN: Final = "^[A-Za-z0-9][A-Za-z0-9._:\\-]{0,63}$"
_PHONE_LIKE_ID: Final = "^[._:\\-]*(?:[0-9][._:\\-]*){7,}$"
ID_SCHEMA: Final[Mapping[str, object]] = {
    "type": "string",
    "pattern": _ID_PATTERN,
    "not": {"pattern": _PHONE_LIKE_ID},
}
"""A staff ID (an actor, a technician) as the readers take it, as JSON Schema."""
# _validate.person_id, a technician on the work sheet: nor 7 digits in a row anywhere.
_PERSON_ID_SCHEMA: Final[Mapping[str, object]] = {
    "type": "string",
    "pattern": _ID_PATTERN,
    "not": {"anyOf": [{"pattern": _PHONE_LIKE_ID}, {"pattern": "[0-9]{7}"}]},
}


def _text_spec(max_length: int = 200, *, multiline: bool = False) -> _Spec:
    def parse(value: object, where: str) -> str:
        return _validate.text(where, value, max_length=max_length, multiline=multiline)

    return _Spec(parse, _same, _same, _text_schema(max_length, multiline=multiline))


def _free_text_spec(max_length: int = 200, *, multiline: bool = False) -> _Spec:
    """Words a person wrote: personal (G1), read as :class:`~fieldservice.model.FreeText`."""

    def parse(value: object, where: str) -> FreeText:
        return _jsondata.words(where, value, max_length=max_length, multiline=multiline)

    schema = {
        # Writers write the words as a string, or the masked object in an export
        # made without personal data.
        **_words_schema(max_length, multiline=multiline),
        "description": "words a person wrote; personal, null where the export masked it (G1)",
    }
    return _Spec(parse, _free_text_dump, _same, schema, personal=True)


def _free_text_dump(value: FreeText, personal: bool) -> object:
    return _jsondata.free_text(value, _jsondata.CLEAR_FORM if personal else _jsondata.MASKED_FORM)


def _code_or_words_spec(max_length: int) -> _Spec:
    """A reason given as a code (``customer_request``), kept as it is, or in words.

    Commands write codes; a log from elsewhere may hold words someone typed, read
    as :class:`~fieldservice.model.FreeText` (personal, masked, G1). The codes stay
    in clear in every export, so the clocks judge a masked export as the full one.
    """

    def parse(value: object, where: str) -> str:
        # A str subclass (a str-valued Enum) is a code too; FreeText is words already.
        if (
            isinstance(value, str)
            and not isinstance(value, FreeText)
            and _REASON_CODE.fullmatch(value)
        ):
            return str.__str__(value)  # the text itself: str() of an Enum member is its name
        return _jsondata.words(where, value, max_length=max_length)

    def dump(value: str, personal: bool) -> object:
        if isinstance(value, FreeText):
            return _free_text_dump(value, personal)
        return value

    schema = {
        **_words_schema(max_length),
        "description": (
            "a code such as customer_request, kept in clear; other words are personal, "
            "null where the export masked them (G1)"
        ),
    }
    return _Spec(parse, dump, _same, schema, personal=True)


# What a system writes as a reason code: lower-case words joined by underscores. No
# digits: a run of them may be a phone number, which only words (masked) may hold.
_REASON_CODE: Final = re.compile(r"[a-z][a-z_]{0,63}")


def _masked_schema(max_length: int, *, multiline: bool = False) -> dict[str, object]:
    """The object form of a personal value: ``{"$secret": text}``, ``null`` where masked."""
    # The text keywords apply to a string only: null passes them.
    text = {**_text_schema(max_length, multiline=multiline), "type": ["string", "null"]}
    return {
        "type": "object",
        "properties": {SECRET_KEY: text},
        "required": [SECRET_KEY],
        "additionalProperties": False,
    }


def _words_forms(max_length: int, *, multiline: bool = False) -> list[dict[str, object]]:
    """Words as text, or in the object form of a personal value (:func:`_masked_schema`)."""
    return [
        _text_schema(max_length, multiline=multiline),
        _masked_schema(max_length, multiline=multiline),
    ]


def _words_schema(max_length: int, *, multiline: bool = False) -> dict[str, object]:
    return {"anyOf": _words_forms(max_length, multiline=multiline)}


def _id_spec() -> _Spec:
    def parse(value: object, where: str) -> str:
        return _validate.identifier(where, value)

    # Staff IDs, nothing personal: a crew's assignments repeat across a branch's orders.
    return _Spec(parse, _same, _same, dict(ID_SCHEMA), shareable=True)


def _bool_parse(value: object, where: str) -> bool:
    if value is True or value is False:
        return value
    msg = f"{where} must be true or false"
    raise InvalidInput(msg)


_BOOL: Final = _Spec(_bool_parse, _same, _same, {"type": "boolean"}, shareable=True)


def _count_spec(lowest: int, highest: int) -> _Spec:
    def parse(value: object, where: str) -> int:
        if type(value) is not int or not lowest <= value <= highest:
            msg = f"{where} must be a whole number from {lowest} to {highest}"
            raise InvalidInput(msg)
        return value

    schema = {"type": "integer", "minimum": lowest, "maximum": highest}
    return _Spec(parse, _same, _same, schema, shareable=True)


def _enum_spec(load: Callable[[], type[_E]], values: tuple[str, ...]) -> _Spec:
    # ``load`` imports the enum on first use: appointments and the checklist are not
    # part of the foundation that ``import fieldservice`` loads.
    def parse(value: object, where: str) -> _E:
        return _validate.enum_member(load(), where, value)

    def dump(value: enum.Enum, _: bool = False) -> object:
        return value.value

    return _Spec(parse, dump, dump, {"enum": list(values)}, shareable=True)


def _of(enum_type: type[_E]) -> Callable[[], type[_E]]:
    return lambda: enum_type


_LOADED: dict[str, Any] = {}


def _half_day() -> type[HalfDay]:
    found = _LOADED.get("HalfDay")
    if found is None:
        from fieldservice.appointments import HalfDay

        found = _LOADED["HalfDay"] = HalfDay
    return found


def _finding() -> type[Finding]:
    found = _LOADED.get("Finding")
    if found is None:
        from fieldservice.checklist import Finding

        found = _LOADED["Finding"] = Finding
    return found


def _date_parse(value: object, where: str) -> dt.date:
    day: dt.date | None = value if type(value) is dt.date else None
    if isinstance(value, str):
        with contextlib.suppress(ValueError):  # worded below, as any other non-date
            day = dt.date.fromisoformat(value)
    if day is None:
        msg = f"{where} must be a date like 2026-11-26"
        raise InvalidInput(msg)
    if not _time.FIRST_YEAR <= day.year < _time.LAST_YEAR:
        # As an instant: the day's confirm-by time is an instant the clocks read (C1).
        raise _time.out_of_range(where)
    return day


def _iso(value: dt.date, _: bool = False) -> str:
    return value.isoformat()


_DATE: Final = _Spec(
    _date_parse,
    _iso,
    _iso,
    {"type": "string", "format": "date", "pattern": _DATE_PATTERN},
    shareable=True,
)


@functools.lru_cache(maxsize=256)
def _shared_offset(zone: dt.tzinfo) -> dt.tzinfo:
    return zone  # equal fixed offsets hash alike: the first one read stands for all


def _instant_parse(value: object, where: str) -> dt.datetime:
    if isinstance(value, str):
        parsed = _time.iso_or_none(value)
        if parsed is None:
            msg = f"{where} is not an ISO 8601 date-time; write it like 2026-11-26T14:00:00+08:00"
            raise InvalidInput(msg)
        if parsed.tzinfo is None:
            msg = f"{where} has no offset; write it like 2026-11-26T14:00:00+08:00"
            raise InvalidInput(msg)
        _time.epoch_of(where, parsed)
        # One shared zone object per offset, not one per text read: a million restored
        # orders would otherwise hold a million copies of "+08:00".
        return parsed.replace(tzinfo=_shared_offset(parsed.tzinfo))
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or _time.offset_of(where, value) is None:
            msg = f"{where} is a naive datetime; pass a timezone-aware one"
            raise InvalidInput(msg)
        _time.epoch_of(where, value)
        return value
    msg = f"{where} must be an ISO 8601 date-time with an offset"
    raise InvalidInput(msg)


_INSTANT: Final = _Spec(_instant_parse, _iso, _iso, INSTANT_SCHEMA, shareable=True)


def _secret_parse(value: object, where: str) -> Secret:
    """A personal value: a :class:`Secret`, its JSON form, or plain text (made a secret)."""
    if isinstance(value, Secret):
        return value
    if isinstance(value, Mapping) and value.keys() == {SECRET_KEY}:
        value = value[SECRET_KEY]
        if value is None:
            return Withheld()  # a masked export: the clocks and reports read it all the same
    # Whatever its form, a personal field stays personal (G1): plain text becomes a Secret.
    text = _validate.text(where, value, max_length=500, multiline=True)
    return Secret(text)


def _secret_dump(value: Secret, secrets: bool) -> object:
    return {SECRET_KEY: value.reveal() if secrets and not is_withheld(value) else None}


_SECRET_SCHEMA: Final = {
    # Writers always write the object; plain text is read too (and made a secret).
    "anyOf": [_masked_schema(500, multiline=True), _text_schema(500, multiline=True)],
    "description": "personal or secret text; null where the export masked it (G1)",
}
_SECRET: Final = _Spec(_secret_parse, _secret_dump, _same, _SECRET_SCHEMA, personal=True)


def _ids_parse(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not value or len(value) > 20:
        msg = f"{where} must be a list of 1 to 20 technician IDs"
        raise InvalidInput(msg)
    return tuple(_validate.identifier(where, v) for v in value)


def _listed(value: tuple[object, ...], _: bool = False) -> object:
    return list(value)


_IDS: Final = _Spec(
    _ids_parse,
    _listed,
    _same,
    {
        "type": "array",
        "items": ID_SCHEMA,
        "minItems": 1,
        "maxItems": 20,
        "uniqueItems": True,  # TechniciansAssigned: no technician twice
    },
    shareable=True,
)


def _products_parse(value: object, where: str) -> tuple[Product, ...]:
    if not isinstance(value, list | tuple | frozenset | set) or len(value) > len(Product):
        msg = f"{where} must be a list of products"
        raise InvalidInput(msg)
    chosen = {_validate.enum_member(Product, where, v) for v in value}
    return tuple(sorted(chosen, key=lambda p: p.value))


def _values(value: tuple[enum.Enum, ...], _: bool = False) -> object:
    return [p.value for p in value]


def _value_tuple(value: tuple[enum.Enum, ...]) -> object:
    return tuple(p.value for p in value)


_PRODUCTS: Final = _Spec(
    _products_parse,
    _values,
    _value_tuple,
    {"type": "array", "items": {"enum": [p.value for p in Product]}, "uniqueItems": True},
    shareable=True,
)


def _clock_names_parse(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or len(value) > 20:
        msg = f"{where} must be a list of clock names"
        raise InvalidInput(msg)
    return tuple(_validate.text(where, v, max_length=40) for v in value)


_CLOCKS: Final = _Spec(
    _clock_names_parse,
    _listed,
    _same,
    {"type": "array", "items": _text_schema(40), "maxItems": 20},
)

_EVIDENCE_SCALAR = (str, int, float, bool)


def _evidence_parse(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping) or len(value) > 20:
        msg = f"{where} must be a mapping of up to 20 measurements, e.g. {{'optical_power_dbm': -18.5}}"
        raise InvalidInput(msg)
    frozen: dict[str, object] = {}
    for key, item in value.items():
        masked = _jsondata.is_masked_form(item)
        if not isinstance(key, str) or not (masked or isinstance(item, _EVIDENCE_SCALAR)):
            msg = f"{where} maps names to numbers, text or true/false"
            raise InvalidInput(msg)
        if isinstance(item, float) and (item != item or item in (float("inf"), float("-inf"))):
            msg = f"{where} must hold finite numbers"
            raise InvalidInput(msg)
        if isinstance(item, str) or masked:
            # Text a technician typed: words staff write, personal (G1); a mapping is
            # the masked form an export writes.
            item = _jsondata.words(where, item, max_length=200)
        # A key names a measurement, as the checklist checks it: an identifier, never
        # words (an export writes keys in clear). One that may hold a phone is refused by
        # the commands and hidden in reprs; a log that holds one is read as written.
        frozen[_validate.identifier(f"{where} key", key)] = item
    return FrozenMap(frozen)


def _evidence_dump(value: Mapping[str, object], personal: bool) -> object:
    return _jsondata.evidence(value, _jsondata.CLEAR_FORM if personal else _jsondata.MASKED_FORM)


def _evidence_shown(value: Mapping[str, object] | None) -> str:
    """Evidence in a repr: a key that may hold a phone (in a log read as written) not shown."""
    if value is None:
        return "None"
    return f"FrozenMap({_validate.keys_shown(value)!r})"


_EVIDENCE: Final = _Spec(
    _evidence_parse,
    _evidence_dump,
    _same,
    {
        "type": "object",
        "maxProperties": 20,
        "propertyNames": ID_SCHEMA,
        "additionalProperties": {
            "anyOf": [{"type": ["number", "boolean"]}, *_words_forms(200)],
        },
        "description": (
            "measurements, readings and yes/no as they are; text is words a technician "
            "wrote: personal, null where the export masked it (G1)"
        ),
    },
    personal=True,
)


def _label_parse(value: object, where: str) -> ModemLabel:
    from fieldservice.modemlabel import ModemLabel

    if isinstance(value, ModemLabel):
        if type(value) is not ModemLabel:  # kept as restoring the event would build it
            return ModemLabel(value.account, value.user_name, value.password)
        return value
    if not isinstance(value, Mapping) or value.keys() != {"account", "user_name", "password"}:
        msg = f"{where} must hold account, user_name and password"
        raise InvalidInput(msg)
    password = _secret_parse(value["password"], f"{where} password")
    return ModemLabel(value["account"], value["user_name"], password)


def _label_dump(value: ModemLabel, secrets: bool) -> object:
    return {
        "account": value.account,
        "user_name": value.user_name,
        "password": _secret_dump(value.password, secrets),
    }


def _label_view(value: ModemLabel) -> object:
    return FrozenMap(
        {"account": value.account, "user_name": value.user_name, "password": value.password}
    )


_LABEL: Final = _Spec(
    _label_parse,
    _label_dump,
    _label_view,
    {
        "type": "object",
        "properties": {
            "account": _text_schema(64),
            "user_name": _text_schema(64),
            "password": _SECRET_SCHEMA,
        },
        "required": ["account", "user_name", "password"],
        "additionalProperties": False,
    },
    personal=True,
)


def _worksheet_parse(value: object, where: str) -> WorkSheet:
    from fieldservice.worksheet import WorkSheet

    if isinstance(value, WorkSheet):
        if type(value) is not WorkSheet:  # kept as restoring the event would build it
            return WorkSheet.from_dict(value.to_dict(include_personal=True))
        return value
    if not isinstance(value, Mapping):
        msg = f"{where} must be a work sheet"
        raise InvalidInput(msg)
    return WorkSheet.from_dict(value)


def _worksheet_dump(value: WorkSheet, personal: bool = False) -> object:
    return value.to_dict(include_personal=personal)


def _frozen(value: object) -> object:
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return FrozenMap({k: _frozen(v) for k, v in value.items()})
    return value


def _worksheet_view(value: WorkSheet) -> object:
    return _frozen(value.to_dict())


# worksheet.Material: a positive decimal up to 1,000,000 with at most 4 decimals, as text
# (written normalised: "20", "0.5"); plain digits, no sign, exponent or spaces.
_QUANTITY_PATTERN: Final = (
    "^(?:[1-9][0-9]{0,5}(?:\\.[0-9]{1,4})?"
    "|0\\.(?:[1-9][0-9]{0,3}|0[1-9][0-9]{0,2}|00[1-9][0-9]?|000[1-9])"
    "|1000000(?:\\.0{1,4})?)$"
)
_REMEDIES: Final = ("resolved", "explained")  # worksheet.Remedy
_WORKSHEET_SCHEMA: Final = {
    "type": "object",
    "description": "the work sheet (施工单, W1): technicians, materials, parameters, opinion",
    "properties": {
        "technicians": {"type": "array", "items": _PERSON_ID_SCHEMA, "uniqueItems": True},
        "materials": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": _text_schema(100),
                    "quantity": {
                        "type": "string",
                        "pattern": _QUANTITY_PATTERN,
                        "description": "a positive decimal up to 1000000, at most 4 decimals",
                    },
                    "unit": _text_schema(20),
                },
                "required": ["name", "quantity", "unit"],
                "additionalProperties": False,
            },
        },
        "parameters": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": _text_schema(100),
                    "value": _text_schema(200),
                    "unit": {"anyOf": [{"const": ""}, _text_schema(20)]},
                },
                "required": ["name", "value", "unit"],
                "additionalProperties": False,
            },
        },
        "opinion": {
            "type": ["object", "null"],
            "properties": {
                "satisfied": {"type": "boolean"},
                "remedy": {"enum": [*_REMEDIES, None]},
                "action": {
                    "anyOf": [{"type": "null"}, *_words_forms(500, multiline=True)],
                    "description": "what was done or explained (W3); personal words, "
                    "null where the export masked them (G1)",
                },
            },
            "required": ["satisfied", "remedy", "action"],
            "additionalProperties": False,
            # W3: a dissatisfied customer's opinion holds the remedy and what was done; a
            # satisfied one holds neither.
            "if": {"properties": {"satisfied": {"const": False}}},
            "then": {
                "properties": {
                    "remedy": {"not": {"type": "null"}},
                    "action": {"not": {"type": "null"}},
                }
            },
            "else": {"properties": {"remedy": {"type": "null"}, "action": {"type": "null"}}},
        },
    },
    "required": ["technicians", "materials", "parameters", "opinion"],
    "additionalProperties": False,
}
_WORKSHEET: Final = _Spec(
    _worksheet_parse, _worksheet_dump, _worksheet_view, _WORKSHEET_SCHEMA, personal=True
)


def _signature_parse(value: object, where: str) -> Signature:
    from fieldservice.signoff import Signature

    if isinstance(value, Signature):
        return value
    if not isinstance(value, Mapping) or value.keys() != {"signer", "role", "at", "digest"}:
        msg = f"{where} must hold signer, role, at and digest"
        raise InvalidInput(msg)
    signer = _secret_parse(value["signer"], f"{where} signer")
    if is_withheld(signer):
        at = _instant_parse(value["at"], f"{where} at")
        return Signature(WithheldName(), value["role"], at, digest=value["digest"])
    return Signature.from_dict({**value, "signer": signer.reveal()})


def _signature_dump(value: Signature, secrets: bool) -> object:
    data = value.to_dict()
    signer = value.signer
    data["signer"] = {SECRET_KEY: signer.reveal() if secrets and not is_withheld(signer) else None}
    return data


def _signature_view(value: Signature) -> object:
    data = value.to_dict()
    signer = value.signer
    data["signer"] = Withheld() if is_withheld(signer) else Secret(signer.reveal())
    return FrozenMap(data)


_SIGNATURE: Final = _Spec(
    _signature_parse,
    _signature_dump,
    _signature_view,
    {
        "type": "object",
        "properties": {
            # The signer's name (model.PersonalName): one line of up to 100 characters.
            "signer": {
                "anyOf": [_masked_schema(100), _text_schema(100)],
                "description": _SECRET_SCHEMA["description"],
            },
            "role": {"enum": ["customer", "proxy"]},
            "at": INSTANT_SCHEMA,
            "digest": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        },
        "required": ["signer", "role", "at", "digest"],
        "additionalProperties": False,
    },
    personal=True,
)


_ORDER_KIND: Final = _enum_spec(_of(OrderKind), tuple(k.value for k in OrderKind))
_TIER: Final = _enum_spec(_of(Tier), tuple(t.value for t in Tier))
_AREA: Final = _enum_spec(_of(Area), tuple(a.value for a in Area))
_PARTY: Final = _enum_spec(_of(Party), tuple(p.value for p in Party))
_CAUSE: Final = _enum_spec(_of(DelayCause), tuple(c.value for c in DelayCause))


def _field(
    spec: _Spec, name: str, *, optional: bool = False, shown: Callable[[Any], str] = repr
) -> Any:
    """An attrs field whose converter checks the value with ``spec``: at every boundary.

    ``shown`` writes the value in the payload's ``repr``.
    """
    metadata = {"spec": spec}
    parse = spec.parse

    if optional:

        def convert_optional(value: object) -> object:
            return None if value is None else parse(value, name)

        return attrs.field(
            default=None, converter=convert_optional, metadata=metadata, kw_only=True, repr=shown
        )

    def convert(value: object) -> object:
        return parse(value, name)

    return attrs.field(converter=convert, metadata=metadata, repr=shown)


# --- the payloads -------------------------------------------------------------------------


@attrs.frozen(slots=True)
class Payload(Mapping[str, Any]):
    """The details of one event, typed; also a read-only mapping of its JSON form.

    Subclasses name their fields; an optional field left out is ``None`` and is
    not written. :meth:`to_json_data` writes the JSON form and
    :meth:`from_json_data` reads it, refusing unknown keys.

    >>> Reason(reason="duplicate order")["reason"] == Reason(reason="duplicate order").reason
    True
    >>> Reason(reason="duplicate order")  # words people write are personal (G1)
    Reason(reason=FreeText('******'))
    """

    KEYS: ClassVar[tuple[str, ...]] = ()
    # What the checks across fields (__attrs_post_init__) ask, as JSON Schema keywords of
    # the data's object: fieldservice.schema adds them to the kind's definition.
    SCHEMA_RULES: ClassVar[Mapping[str, Any]] = {}

    @classmethod
    def _specs(cls) -> tuple[tuple[str, _Spec, bool], ...]:
        found = _SPECS.get(cls)
        if found is None:
            found = _SPECS[cls] = tuple(
                (f.name, f.metadata["spec"], f.default is None) for f in attrs.fields(cls)
            )
        return found

    @classmethod
    def from_json_data(cls, data: Mapping[str, object], kind: str) -> Payload:
        """Read a payload from its JSON form (or a command's values), checking every field.

        Args:
            data: The event's data.
            kind: The event's kind, to name it in messages.

        Raises:
            InvalidInput: A key is unknown or missing, or a value is of the wrong form.

        >>> print(Reason.from_json_data({"reason": "客户出差"}, "cancelled").reason)
        客户出差
        """
        key = _share_key(cls, data) if type(data) is dict else None
        if key is not None:
            found = _SHARED.get(key)
            if found is not None:
                return found
        specs = cls._specs()
        keyset = _KEYSETS.get(cls)
        if keyset is None:
            msg = f"{cls.__name__} is not the payload of a kind; read data with payload_class(kind)"
            raise TypeError(msg)
        if not isinstance(data, Mapping):
            msg = f"the data of {event_named(kind)} must be a mapping (got {type(data).__name__})"
            raise InvalidInput(msg)
        if len(data) > len(specs) or not data.keys() <= keyset:
            listed = _validate.shown_keys(k for k in data if k not in keyset)
            holds = ", ".join(name for name, _, _ in specs) or "nothing"
            msg = f"{event_named(kind)} has no key {listed}; its data holds {holds}"
            raise InvalidInput(msg)
        for name, _, optional in specs:
            if not optional and data.get(name) is None:
                msg = f"{event_named(kind)} needs '{name}'"
                raise InvalidInput(msg)
        try:
            made = cls(**{k: v for k, v in data.items() if v is not None})
        except InvalidInput as err:
            msg = f"{err.message} (in the data of {event_named(kind)})"
            raise type(err)(msg) from None
        if key is not None:
            _SHARED.keep(key, made)
        return made

    @classmethod
    def of_command(cls, fields: Mapping[str, Any], kind: str) -> Self:
        """The payload of an event a command records, from the fields it writes.

        Each field is checked by its converter, as for any payload. The keys are
        the command's own, so :meth:`from_json_data`'s checks of the keys (and its
        table of shared payloads, which is for logs read in bulk) are left out. A
        kind's payload without fields is one shared instance.

        Raises:
            InvalidInput: A value is of the wrong form; the message names the event.

        >>> Departed.of_command({"travel_s": 1800}, "departed").travel_s
        1800
        >>> Arrived.of_command({}, "arrived") is Arrived.of_command({}, "arrived")
        True
        """
        if not fields:
            empty = _EMPTY.get(cls)
            if empty is None:
                empty = _EMPTY[cls] = cls()
            return empty  # type: ignore[return-value]  # _EMPTY holds each class's own
        try:
            return cls(**fields)
        except InvalidInput as err:
            msg = f"{err.message} (in the data of {event_named(kind)})"
            raise type(err)(msg) from None

    def to_json_data(self, *, include_personal: bool = False) -> dict[str, object]:
        """The JSON form: personal and secret values masked unless ``include_personal``.

        >>> Reason(reason="duplicate order").to_json_data(include_personal=True)
        {'reason': 'duplicate order'}
        >>> Reason(reason="duplicate order").to_json_data()
        {'reason': {'$secret': None}}
        """
        out: dict[str, object] = {}
        for name, spec, _ in self._specs():
            value = getattr(self, name)
            if value is not None:
                out[name] = spec.dump(value, include_personal)
        return out

    @property
    def withheld(self) -> bool:
        """Whether a personal value of this payload was masked by the export it was read from.

        >>> Contacted(note={"$secret": None}).withheld, Contacted(note="带梯子").withheld
        (True, False)
        """
        for name in _personal_fields(type(self)):
            value = getattr(self, name)
            if value is None:
                continue
            if is_withheld(value) or _holds_withheld(name, value):
                return True
        return False

    # -- the read-only mapping of the JSON form (secrets stay Secret objects) --

    def __getitem__(self, key: str) -> Any:
        for name, spec, _ in self._specs():
            if name == key:
                value = getattr(self, name)
                if value is not None:
                    return spec.view(value)
                break
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (name for name, _, _ in self._specs() if getattr(self, name) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, key: object) -> bool:
        return (
            isinstance(key, str) and key in _KEYSETS[type(self)] and getattr(self, key) is not None
        )

    # Mapping's __eq__ would compare JSON forms; attrs compares typed fields (instants
    # by instant), and its hash follows.


_SPECS: dict[type[Payload], tuple[tuple[str, _Spec, bool], ...]] = {}
_EMPTY: dict[type[Payload], Payload] = {}  # each kind's payload without fields, once
_KEYSETS: dict[type[Payload], frozenset[str]] = {}
_SHAREABLE_KEYS: dict[type[Payload], frozenset[str]] = {}
# The fields whose values may be personal, by payload class: what ``withheld`` looks at.
_PERSONAL_FIELDS: dict[type[Payload], tuple[str, ...]] = {}


def _personal_fields(cls: type[Payload]) -> tuple[str, ...]:
    found = _PERSONAL_FIELDS.get(cls)
    if found is None:  # once per class: the schema's here, a subclass's when first asked
        found = _PERSONAL_FIELDS[cls] = tuple(
            f.name for f in attrs.fields(cls) if f.metadata["spec"].personal
        )
    return found


# A branch's logs repeat the same details millions of times: the same half-day windows,
# the same tier, area and products. A payload is immutable, so equal JSON read twice can
# be one object; reading it again costs a dictionary lookup, and a million restored orders
# hold one copy. Only fields whose value is nothing personal are shared (G1: no customer's
# note outlives its order in this table), and the table is emptied when full.
_SHARED = BoundedTable[tuple[object, ...], Payload](8192)
_SCALARS: Final = frozenset({str, int, bool})


def _share_key(cls: type[Payload], data: dict[object, object]) -> tuple[object, ...] | None:
    """The key of JSON data in the shared table, or None when it is not to be shared."""
    shareable = _SHAREABLE_KEYS.get(cls)
    if shareable is None:
        return None  # not a payload of the schema: from_json_data says so
    key: list[object] = [cls]
    for name, value in data.items():
        if name not in shareable:
            return None
        kind = type(value)
        if kind is list:
            items: tuple[object, ...] = tuple(value)  # type: ignore[arg-type]
            if not all(type(v) is str for v in items):
                return None
            value = items
        elif kind not in _SCALARS:
            return None  # a float, a mapping, null: read as it comes
        # The type is part of the key: 1 == True, but only true is a boolean.
        key += (name, kind, value)
    return tuple(key)


@attrs.frozen(slots=True)
class NoData(Payload):
    """The payload of a kind that carries no details (``arrived``, ``closed``, ...).

    >>> len(NoData()), dict(NoData())
    (0, {})
    """


@attrs.frozen(slots=True)
class Opened(Payload):
    """``accepted`` (B3) / ``reported`` (F4): the order's kind, tier, area and products.

    Every field is optional for a bare log (the SLA clocks read ``tier``, as
    ``ordinary`` when absent, and ``area``, as ``city``); the workflow writes all four.

    >>> Opened(tier=Tier.GOLD).to_json_data()
    {'tier': 'gold'}
    """

    order_kind: OrderKind | None = _field(_ORDER_KIND, "order_kind", optional=True)
    tier: Tier | None = _field(_TIER, "tier", optional=True)
    area: Area | None = _field(_AREA, "area", optional=True)
    products: tuple[Product, ...] | None = _field(_PRODUCTS, "products", optional=True)


@attrs.frozen(slots=True)
class FeasibilityAnswered(Payload):
    """``feasibility_answered`` (B4): whether resources were there when asked at the counter.

    >>> FeasibilityAnswered(available=True)["available"]
    True
    """

    available: bool | None = _field(_BOOL, "available", optional=True)


@attrs.frozen(slots=True)
class ResourceGapRecorded(Payload):
    """``resource_gap_recorded`` (R2): what the network lacks.

    >>> print(ResourceGapRecorded(gap="无空闲端口").gap)
    无空闲端口
    """

    gap: FreeText | None = _field(_free_text_spec(500, multiline=True), "gap", optional=True)


@attrs.frozen(slots=True)
class Contacted(Payload):
    """``contacted`` (B3): the first contact; ``note``, what the visit needs, is personal (G1).

    >>> Contacted(note=Secret("带梯子")).to_json_data()
    {'note': {'$secret': None}}
    """

    note: Secret | None = _field(_SECRET, "note", optional=True)
    reluctant: bool | None = _field(_BOOL, "reluctant", optional=True)
    """Whether the customer did not want to talk (C4); the order's note stands in for questions."""


_HALVES: Final = ("morning", "afternoon")


@attrs.frozen(slots=True)
class Booked(Payload):
    """``booked`` (B2): the instants the booking promises, and its half-day window.

    ``start`` is the earliest arrival the booking allows (B5) and ``end`` the end
    of the half-day: the arrival clock, the reminders and the calendar read these.
    ``date`` and ``half`` name the window; the workflow writes them and needs them
    to restore an order, a bare log for the clocks may leave them out. ``date`` is
    the day ``start`` falls on, in the offset ``start`` is written with; whether
    ``half`` is the half-day that holds ``start`` and ``end`` depends on the
    standard's hours, and restoring an order checks it. ``note`` is what the
    customer said the visit needs (C3): personal (G1).

    Raises:
        InvalidInput: ``end`` is not after ``start``, only one of ``date`` and
            ``half`` is given, or ``date`` is not the day of ``start``.

    >>> import datetime as dt
    >>> b = Booked("2026-11-26T12:00:00+08:00", "2026-11-26T18:00:00+08:00",
    ...            date=dt.date(2026, 11, 26), half="afternoon")
    >>> b.end - b.start, b.half
    (datetime.timedelta(seconds=21600), <HalfDay.AFTERNOON: 'afternoon'>)
    """

    start: dt.datetime = _field(_INSTANT, "start")
    end: dt.datetime = _field(_INSTANT, "end")
    date: dt.date | None = _field(_DATE, "date", optional=True)
    half: HalfDay | None = _field(_enum_spec(_half_day, _HALVES), "half", optional=True)
    note: Secret | None = _field(_SECRET, "note", optional=True)

    SCHEMA_RULES: ClassVar[Mapping[str, Any]] = {
        "dependentRequired": {"date": ["half"], "half": ["date"]}
    }

    def __attrs_post_init__(self) -> None:
        if self.end.timestamp() <= self.start.timestamp():
            msg = f"the end of a {_kind_of(self)} window must come after its start"
            raise InvalidInput(msg)
        date = self.date
        if (date is None) is not (self.half is None):
            msg = f"a {_kind_of(self)} window names both its date and its half-day, or neither"
            raise InvalidInput(msg)
        # B2: the half-day begins on its date. The workflow writes ``start`` in the standard's
        # zone, so its wall date is the window's; a log that says otherwise would have the
        # order's window, its clocks and its calendar each tell another day.
        if date is not None and self.start.date() != date:
            msg = (
                f"the date of a {_kind_of(self)} window must be the day its start falls on, "
                "in the offset start is written with (B2); write that day as the date, or "
                "correct start and end"
            )
            raise InvalidInput(msg)


def _kind_of(payload: Payload) -> str:
    return "rescheduled" if isinstance(payload, Rescheduled) else "booked"


@attrs.frozen(slots=True)
class Rescheduled(Booked):
    """``rescheduled`` (B8, B9): a new window, who asked, why, and the customer's consent.

    The workflow writes all three; a bare log for the clocks may leave them out.

    >>> r = Rescheduled("2026-11-27T08:00:00+08:00", "2026-11-27T12:00:00+08:00",
    ...                 date="2026-11-27", half="morning",
    ...                 requested_by="customer", reason="客户出差", consent=True)
    >>> r.requested_by
    <Party.CUSTOMER: 'customer'>
    """

    requested_by: Party | None = _field(_PARTY, "requested_by", optional=True)
    reason: FreeText | None = _field(_free_text_spec(500, multiline=True), "reason", optional=True)
    consent: bool | None = _field(_BOOL, "consent", optional=True)
    """The one flag of logs before 0.3, contacted and agreed at once; read, no longer written."""
    contacted: bool | None = _field(_BOOL, "contacted", optional=True)
    """Whether the customer was contacted beforehand (B8)."""
    agreed: bool | None = _field(_BOOL, "agreed", optional=True)
    """Whether the customer agreed to the new time (B8, B9)."""
    cause: DelayCause | None = _field(_CAUSE, "cause", optional=True)
    """A provider reschedule's kind of reason (T4); ``reason`` holds the words."""
    late: bool | None = _field(_BOOL, "late", optional=True)
    """Whether it came after the window in force had begun; the missed window stays breached."""

    @property
    def was_contacted(self) -> bool | None:
        """Whether the customer was contacted beforehand (an old log's ``consent``).

        >>> Rescheduled("2026-11-27T08:00:00+08:00", "2026-11-27T12:00:00+08:00",
        ...             consent=True).was_contacted
        True
        """
        return self.consent if self.contacted is None else self.contacted

    @property
    def was_agreed(self) -> bool | None:
        """Whether the customer agreed to the new time (an old log's ``consent``).

        >>> Rescheduled("2026-11-27T08:00:00+08:00", "2026-11-27T12:00:00+08:00",
        ...             contacted=True, agreed=False).was_agreed
        False
        """
        return self.consent if self.agreed is None else self.agreed


@attrs.frozen(slots=True)
class Confirmed(Payload):
    """``confirmed`` (C1): the arrival hour agreed on the day; ``note`` as for :class:`Booked`.

    >>> Confirmed("2026-11-26T14:00:00+08:00", "2026-11-26T15:00:00+08:00").start.hour
    14
    """

    start: dt.datetime = _field(_INSTANT, "start")
    end: dt.datetime = _field(_INSTANT, "end")
    note: Secret | None = _field(_SECRET, "note", optional=True)
    late: bool | None = _field(_BOOL, "late", optional=True)
    """Whether it came after the standard's confirm-by time of the visit day (C1)."""
    reluctant: bool | None = _field(_BOOL, "reluctant", optional=True)
    """Whether the customer did not want to talk (C4); the order's note stands in for questions."""

    def __attrs_post_init__(self) -> None:
        if self.end.timestamp() <= self.start.timestamp():
            msg = "the end of a confirmed hour must come after its start"
            raise InvalidInput(msg)


@attrs.frozen(slots=True)
class TechniciansAssigned(Payload):
    """``technicians_assigned`` (M2): who goes, and the one contact among them.

    Raises:
        InvalidInput: The contact is not one of the technicians.

    >>> TechniciansAssigned(("T7", "T8"), "T7").contact
    'T7'
    """

    technicians: tuple[str, ...] = _field(_IDS, "technicians")
    contact: str = _field(_id_spec(), "contact")

    def __attrs_post_init__(self) -> None:
        # A restored log must hold what the command enforces: one contact, among the staff.
        if self.contact not in self.technicians:
            msg = "the contact of a technicians_assigned event must be one of its technicians (M2)"
            raise InvalidInput(msg)
        if len(set(self.technicians)) != len(self.technicians):
            msg = "the technicians of a technicians_assigned event must not repeat"
            raise InvalidInput(msg)


@attrs.frozen(slots=True)
class Departed(Payload):
    """``departed`` (T2): the expected travel time in seconds, if known.

    >>> Departed(travel_s=1800).travel_s
    1800
    """

    travel_s: int | None = _field(_count_spec(0, 86_400), "travel_s", optional=True)


@attrs.frozen(slots=True)
class Delayed(Payload):
    """``delayed`` (T3, T4): the kind of reason given, the minutes late, that the customer was told.

    ``cause`` is one of a closed set (:class:`~fieldservice.model.DelayCause`), so
    "too many customers" is never a reason given (T4); ``note`` keeps the words.
    A log written before 0.3 holds free text in ``reason``: it is read as
    ``other`` with that text as the note.

    >>> Delayed(cause="traffic", note="内环高架事故", minutes=20, customer_told=True).cause
    <DelayCause.TRAFFIC: 'traffic'>
    >>> old = Delayed(reason="road works", minutes=20, customer_told=True)
    >>> old.delay_cause, old.delay_note == "road works"
    (<DelayCause.OTHER: 'other'>, True)
    """

    reason: FreeText | None = _field(_free_text_spec(200), "reason", optional=True)
    """The free text of logs before 0.3. Read, no longer written."""
    minutes: int | None = _field(_count_spec(1, 24 * 60), "minutes", optional=True)
    customer_told: bool | None = _field(_BOOL, "customer_told", optional=True)
    cause: DelayCause | None = _field(_CAUSE, "cause", optional=True)
    note: FreeText | None = _field(_free_text_spec(200), "note", optional=True)

    @property
    def delay_cause(self) -> DelayCause | None:
        """The kind of reason, ``cause``, or ``other`` for an old log's free text."""
        if self.cause is not None:
            return self.cause
        return None if self.reason is None else DelayCause.OTHER

    @property
    def delay_note(self) -> str | None:
        """The words kept with the reason, ``note``, or an old log's free text."""
        return self.note if self.note is not None else self.reason


@attrs.frozen(slots=True)
class Arrived(Payload):
    """``arrived`` (T2, T3): at the door; a late arrival says how late, and whether it was called ahead.

    Written only when the technician arrives after the start of the confirmed
    hour plus the standard's ``arrival_tolerance``: ``late_minutes`` and
    ``called_ahead`` (a ``delayed`` event told the customer, T3).

    >>> Arrived(late_minutes=12, called_ahead=False).called_ahead
    False
    >>> dict(Arrived())
    {}
    """

    late_minutes: int | None = _field(_count_spec(1, 24 * 60), "late_minutes", optional=True)
    called_ahead: bool | None = _field(_BOOL, "called_ahead", optional=True)


@attrs.frozen(slots=True)
class CustomerAbsent(Payload):
    """``customer_absent`` (K3): a message note left, and whether neighbours were asked.

    >>> CustomerAbsent(note_left=True, neighbours_asked=False).note_left
    True
    """

    note_left: bool | None = _field(_BOOL, "note_left", optional=True)
    neighbours_asked: bool | None = _field(_BOOL, "neighbours_asked", optional=True)


_ACTIONS: Final = ("tick", "not_applicable", "decline", "finding")


def _action_parse(value: object, where: str) -> str:
    if value not in _ACTIONS:
        msg = f"{where} must be one of {', '.join(_ACTIONS)}"
        raise InvalidInput(msg)
    return str(value)


_FINDINGS: Final = ("label_missing", "lightning_protection")


def _hotline_parse(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.isdigit() or not 3 <= len(value) <= 16:
        msg = f"{where} must be a service number of 3 to 16 digits, like '10000'"
        raise InvalidInput(msg)
    return value


_HOTLINE: Final = _Spec(
    _hotline_parse, _same, _same, {"type": "string", "pattern": "^[0-9]{3,16}$"}
)
_FINDING_RULE: Final = {"label_missing": "L2", "lightning_protection": "L3"}
_RULE_ID: Final = re.compile(r"[A-Z][0-9]{1,2}")


@attrs.frozen(slots=True)
class ChecklistUpdated(Payload):
    """``checklist_updated`` (S, L, W items): a tick, an item not applicable or declined, a finding.

    ``tick`` names an ``item`` with optional ``evidence`` and ``label``;
    ``not_applicable`` and ``decline`` name an ``item`` and a ``reason``;
    ``finding`` names a ``finding``.

    Raises:
        InvalidInput: The fields do not fit the action.

    >>> ChecklistUpdated("tick", item="S5", evidence={"optical_power_dbm": -18.5})["evidence"]
    FrozenMap({'optical_power_dbm': -18.5})
    """

    action: str = _field(
        _Spec(_action_parse, _same, _same, {"enum": list(_ACTIONS)}, shareable=True), "action"
    )
    item: str | None = _field(_text_spec(16), "item", optional=True)
    evidence: Mapping[str, object] | None = _field(
        _EVIDENCE, "evidence", optional=True, shown=_evidence_shown
    )
    label: ModemLabel | None = _field(_LABEL, "label", optional=True)
    reason: FreeText | None = _field(_free_text_spec(500, multiline=True), "reason", optional=True)
    finding: Finding | None = _field(_enum_spec(_finding, _FINDINGS), "finding", optional=True)
    hotline: str | None = _field(_HOTLINE, "hotline", optional=True)
    """The hotline number the customer was told for later help, on a declined label (L4)."""

    # What __attrs_post_init__ asks of each action, as JSON Schema.
    SCHEMA_RULES: ClassVar[Mapping[str, Any]] = {
        "allOf": [
            {
                "if": {"required": ["action"], "properties": {"action": {"const": action}}},
                "then": {
                    "required": list(needs),
                    "properties": dict.fromkeys(refused, False),
                },
            }
            for action, needs, refused in (
                ("tick", ("item",), ("reason", "finding", "hotline")),
                ("not_applicable", ("item", "reason"), ("evidence", "label", "hotline")),
                ("decline", ("item", "reason"), ("evidence", "label")),
                ("finding", ("finding",), ("item", "evidence", "label", "hotline")),
            )
        ]
    }

    @classmethod
    def tick_of(cls, item: str) -> ChecklistUpdated:
        """The payload of a tick without evidence or label: one shared instance per item.

        Most ticks of a visit carry no proof, and every order ticks the same items. Only
        an item named like a rule (``S1``, ``L2``) is shared: other text may be anything a
        caller typed, a phone number among it, and no table outlives an order with it (G1).

        Raises:
            InvalidInput: ``item`` is not an item ID.

        >>> ChecklistUpdated.tick_of("S1") is ChecklistUpdated.tick_of("S1")
        True
        """
        shared = type(item) is str and _RULE_ID.fullmatch(item) is not None
        found = _PLAIN_TICKS.get(item) if shared else None
        if found is None:
            found = cls.of_command({"action": "tick", "item": item}, "checklist_updated")
            if shared:
                _PLAIN_TICKS.keep(item, found)
        return found

    @property
    def rule(self) -> str:
        """The rule of the item this event resolves, the item's own (not always S5).

        A template's items are named by their rule (``S1``, ``W2``, ``L1``); a
        finding adds a label item (L2 a missing label, L3 lightning protection).

        >>> ChecklistUpdated("tick", item="W2").rule, ChecklistUpdated("finding", finding="label_missing").rule
        ('W2', 'L2')
        """
        if self.finding is not None:
            return _FINDING_RULE[self.finding.value]
        item = self.item or ""
        return item if _RULE_ID.fullmatch(item) else "S5"

    def __attrs_post_init__(self) -> None:
        action = self.action
        if action == "tick":
            fits = self.item is not None and self.reason is None and self.finding is None
            extra = self.hotline is not None
        else:
            if action == "finding":
                fits = self.finding is not None and self.item is None
            else:  # not_applicable, decline
                fits = self.item is not None and self.reason is not None
            extra = self.evidence is not None or self.label is not None
            extra = extra or (action != "decline" and self.hotline is not None)
        if not fits or extra:
            msg = (
                "a checklist_updated event holds: tick with item (evidence, label); "
                "not_applicable or decline with item and reason (a declined label: "
                "hotline); finding with finding"
            )
            raise InvalidInput(msg)


_PLAIN_TICKS = BoundedTable[str, ChecklistUpdated](1024)


@attrs.frozen(slots=True)
class WorksheetUpdated(Payload):
    """``worksheet_updated`` (W1): the work sheet as it stands now.

    >>> from fieldservice.worksheet import WorkSheet
    >>> WorksheetUpdated(WorkSheet(technicians=("T7",))).worksheet.technicians
    ('T7',)
    """

    worksheet: WorkSheet = _field(_WORKSHEET, "worksheet")


@attrs.frozen(slots=True)
class Signed(Payload):
    """``signed`` (W2): the customer's signature over the checklist and work sheet.

    The signer's name is personal: masked in the JSON form unless asked for (G1).
    """

    signature: Signature = _field(_SIGNATURE, "signature")


@attrs.frozen(slots=True)
class LeftTemporarily(Payload):
    """``left_temporarily`` (S8): why the technician left the home, and for how long.

    >>> LeftTemporarily(reason="外线端口施工", minutes=30).minutes
    30
    """

    reason: FreeText | None = _field(_free_text_spec(200), "reason", optional=True)
    minutes: int | None = _field(_count_spec(1, 24 * 60), "minutes", optional=True)


@attrs.frozen(slots=True)
class Triaged(Payload):
    """``triaged`` (F1): whether the fault can be cleared remotely.

    >>> Triaged(remote_possible=True).remote_possible
    True
    """

    remote_possible: bool | None = _field(_BOOL, "remote_possible", optional=True)


@attrs.frozen(slots=True)
class FollowedUp(Payload):
    """``followed_up`` (F2): whether remote guidance solved the fault.

    >>> FollowedUp(solved=False).solved
    False
    """

    solved: bool | None = _field(_BOOL, "solved", optional=True)


@attrs.frozen(slots=True)
class Reason(Payload):
    """``visit_needed`` (F3) and ``cancelled`` (G2): the reason, as text.

    >>> print(Reason(reason="用户不愿远程操作").reason)
    用户不愿远程操作
    """

    reason: FreeText | None = _field(_free_text_spec(500, multiline=True), "reason", optional=True)


@attrs.frozen(slots=True)
class HandedOver(Payload):
    """``handed_over`` (G2): the new owner's ID.

    >>> HandedOver("desk-3").to
    'desk-3'
    """

    to: str = _field(_id_spec(), "to", shown=_validate.staff_repr)  # may hold a phone (G1)


@attrs.frozen(slots=True)
class ClockPaused(Payload):
    """``clock_paused`` (G4): why, and optionally which clocks (all pausable ones if none).

    Only a customer's reason (``customer_request``, ``waiting_for_customer``)
    pauses a clock; the SLA module decides, the log records what was said. A
    reason that is not a code (lower-case letters joined by ``_``, no digits) is words someone
    wrote: :class:`~fieldservice.model.FreeText`, masked in exports (G1).

    >>> ClockPaused(reason="customer_request").clocks is None
    True
    """

    reason: str | None = _field(_code_or_words_spec(64), "reason", optional=True)
    clocks: tuple[str, ...] | None = _field(_CLOCKS, "clocks", optional=True)


@attrs.frozen(slots=True)
class ClockResumed(Payload):
    """``clock_resumed`` (G4): optionally which clocks resume.

    >>> ClockResumed().clocks is None
    True
    """

    reason: str | None = _field(_code_or_words_spec(64), "reason", optional=True)
    clocks: tuple[str, ...] | None = _field(_CLOCKS, "clocks", optional=True)


_VIA: Final = ("system", "dispatcher")


def _via_parse(value: object, where: str) -> str:
    if value not in _VIA:
        msg = f"{where} must be one of {', '.join(_VIA)}"
        raise InvalidInput(msg)
    return str(value)


@attrs.frozen(slots=True)
class CustomerDataChecked(Payload):
    """``customer_data_checked`` (O1): unclear customer data checked before booking.

    ``via`` is how: in the ``system`` or with the ``dispatcher`` (调度员);
    ``note``, what was unclear and what was found, is personal (G1).

    >>> CustomerDataChecked(via="dispatcher").via
    'dispatcher'
    """

    via: str | None = _field(
        _Spec(_via_parse, _same, _same, {"enum": list(_VIA)}), "via", optional=True
    )
    note: Secret | None = _field(_SECRET, "note", optional=True)


@attrs.frozen(slots=True)
class CustomerPhoneUsed(Payload):
    """``customer_phone_used`` (G5): the customer's phone used for a work call, with consent.

    >>> CustomerPhoneUsed(consent=True, purpose="联系机房确认端口").consent
    True
    """

    consent: bool | None = _field(_BOOL, "consent", optional=True)
    purpose: FreeText | None = _field(_free_text_spec(200), "purpose", optional=True)


@attrs.frozen(slots=True)
class OutOfScopeRequested(Payload):
    """``out_of_scope_requested`` (S9): what the customer asked beyond the service, and the explanation given.

    >>> print(OutOfScopeRequested(request="帮忙修电视", explanation="电视维修不在电信服务范围").request)
    帮忙修电视
    """

    request: FreeText | None = _field(
        _free_text_spec(500, multiline=True), "request", optional=True
    )
    explanation: FreeText | None = _field(
        _free_text_spec(500, multiline=True), "explanation", optional=True
    )


@attrs.frozen(slots=True)
class TierChanged(Payload):
    """``tier_changed`` (G3): the customer's new tier.

    >>> TierChanged("diamond").tier
    <Tier.DIAMOND: 'diamond'>
    """

    tier: Tier = _field(_TIER, "tier")


for _cls in (
    NoData,
    Opened,
    FeasibilityAnswered,
    ResourceGapRecorded,
    Contacted,
    Booked,
    Rescheduled,
    Confirmed,
    TechniciansAssigned,
    Departed,
    Delayed,
    Arrived,
    CustomerAbsent,
    ChecklistUpdated,
    WorksheetUpdated,
    Signed,
    LeftTemporarily,
    Triaged,
    FollowedUp,
    Reason,
    HandedOver,
    ClockPaused,
    ClockResumed,
    TierChanged,
    CustomerDataChecked,
    CustomerPhoneUsed,
    OutOfScopeRequested,
):
    _KEYSETS[_cls] = frozenset(f.name for f in attrs.fields(_cls))
    _SHAREABLE_KEYS[_cls] = frozenset(
        f.name for f in attrs.fields(_cls) if f.metadata["spec"].shareable
    )
    _cls.KEYS = tuple(f.name for f in attrs.fields(_cls))
    _personal_fields(_cls)
del _cls


PAYLOAD_OF: Final[Mapping[str, type[Payload]]] = FrozenMap(
    {
        "accepted": Opened,
        "reported": Opened,
        "feasibility_answered": FeasibilityAnswered,
        "resource_gap_recorded": ResourceGapRecorded,
        "contacted": Contacted,
        "booked": Booked,
        "rescheduled": Rescheduled,
        "confirmed": Confirmed,
        "technicians_assigned": TechniciansAssigned,
        "departed": Departed,
        "delayed": Delayed,
        "arrived": Arrived,
        "customer_absent": CustomerAbsent,
        "checklist_updated": ChecklistUpdated,
        "worksheet_updated": WorksheetUpdated,
        "signed": Signed,
        "left_temporarily": LeftTemporarily,
        "triaged": Triaged,
        "followed_up": FollowedUp,
        "visit_needed": Reason,
        "cancelled": Reason,
        "handed_over": HandedOver,
        "clock_paused": ClockPaused,
        "clock_resumed": ClockResumed,
        "tier_changed": TierChanged,
        "customer_data_checked": CustomerDataChecked,
        "customer_phone_used": CustomerPhoneUsed,
        "out_of_scope_requested": OutOfScopeRequested,
    }
)
"""The payload class of each event kind (by the kind's value); every other kind is :class:`NoData`."""

PERSONAL_KINDS: Final = frozenset(
    kind
    for kind, cls in PAYLOAD_OF.items()
    if any(f.metadata["spec"].personal for f in attrs.fields(cls))
)
"""The event kinds whose data may hold a personal or secret value (G1), by value:
an export without ``include_personal`` masks it, and an order holding such a
masked value cannot be restored.

>>> sorted(PERSONAL_KINDS)[:3]
['booked', 'cancelled', 'checklist_updated']
"""


def event_named(kind: str) -> str:
    """An event of ``kind`` named in a message, with its article.

    >>> event_named("arrived"), event_named("booked")
    ('an arrived event', 'a booked event')
    """
    return f"{_labels.with_article(kind)} event"


def payload_class(kind: str) -> type[Payload]:
    """The payload class of an event kind's value.

    >>> payload_class("confirmed").__name__, payload_class("entered").__name__
    ('Confirmed', 'NoData')
    """
    return _CLASS_OF.get(kind, NoData)


_CLASS_OF: Final = dict(PAYLOAD_OF)  # a dict's own get: every event made looks its class up


NO_DATA: Final = NoData()
"""The one payload of every event without details: shared, as it is immutable."""
_EMPTY[NoData] = NO_DATA

"""Validators and converters used at the boundary of every value class.

They follow attrs' own (``attrs.validators``): small callables that raise during
construction, here always with a coded :class:`~fieldservice.errors.InvalidInput`
whose message names the field and says what to pass instead.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import inspect
import json
import math
import os
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs

from fieldservice._time import aware, check_range
from fieldservice.errors import InvalidInput, Violation

E = TypeVar("E", bound=enum.Enum)

# events.py reads these two here until the event reducer's rewrite (issue 14) moves it
# to fieldservice._time, their home.
__all__ = ["aware", "check_range"]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}")
# Seven digits in a row, separators aside, can be a phone number (G1): such text is
# neither an ID nor shown in a message.
_DIGIT_RUN = re.compile(r"\d{7}")
# What people put between the digit groups of a phone number, full-width forms too:
# 138 0013 8000, 138-0013-8000, 138.0013.8000, 138/0013/8000, (138)0013-8000, 138,0013,8000.
_PHONE_SEPARATOR_CHARS: Final = r"\s.\-:_/(),，、（）－．／："
_SEPARATORS = re.compile(rf"[{_PHONE_SEPARATOR_CHARS}+＋]")
_ONLY_DIGITS = re.compile(r"[\d.\-:_]+")  # "138-0013-8000" as an ID is a phone number
_PLAIN_TOKEN = re.compile(r"[A-Za-z0-9 .:+_/\-]{1,40}")


NOT_JSON: Any = object()
"""What :func:`json_or_not` gives for text that is not JSON."""


def json_or_not(text: object) -> Any:
    """``json.loads(text)``, or :data:`NOT_JSON` where ``text`` is not JSON (or too deep).

    The marker, not the error: a refusal raised in its handler would keep it as
    ``__context__``, and a ``JSONDecodeError`` (``.doc``) or ``UnicodeDecodeError``
    (``.object``) holds the whole text it could not read, personal data and all (G1).

    An object that holds a key twice is not taken either: parsers differ on which
    value wins, so a second ``"id"`` could pass one reader and fool another.

    >>> json_or_not('{"a": 1}'), json_or_not('{"张三": ') is NOT_JSON
    ({'a': 1}, True)
    >>> json_or_not('{"id": "WO-1", "id": "WO-2"}') is NOT_JSON
    True
    """
    try:
        if type(text) is str:
            return _UNIQUE_KEYS.decode(text)
        return json.loads(text, object_pairs_hook=_unique_keys)  # type: ignore[arg-type]
    except (ValueError, TypeError, RecursionError):
        return NOT_JSON


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    made = dict(pairs)
    if len(made) != len(pairs):
        raise ValueError  # caught by json_or_not: the key is not repeated in any message
    return made


_UNIQUE_KEYS: Final = json.JSONDecoder(object_pairs_hook=_unique_keys)


def items_of(value: object) -> Iterator[Any] | None:
    """An iterator over a collection's items; None for text, a mapping or no collection.

    For readers that take "a collection of X" and refuse anything else themselves:
    a text or a dict iterates too, over letters and keys, which no caller means.

    >>> list(items_of((1, 2))), items_of("ab"), items_of({"a": 1}), items_of(3)
    ([1, 2], None, None, None)
    """
    if isinstance(value, str | bytes | bytearray | Mapping):
        return None
    try:
        return iter(value)  # type: ignore[call-overload, no-any-return]
    except TypeError:
        return None


def _shown(value: object) -> str:
    """Describe a rejected value by its type only: it may be personal data (G1)."""
    return type(value).__name__


_SHOWN_NUMBER_LIMIT = 10**6


def as_float(value: float) -> float:
    """A number read from outside as a float: an int too large for one is infinite.

    ``float(10**400)`` raises OverflowError; the caller's range check, which refuses
    infinity, then refuses it with its own message, as for any number out of range.

    >>> as_float(3), as_float(-(10**400)), as_float(0.5)
    (3.0, -inf, 0.5)
    """
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def phone_like(text: str) -> bool:
    """Whether ``text`` holds seven or more digits in a row, separators aside (a phone number?).

    Coarse, for text that holds no numbers of its own (a region, a word shown in a
    message): every digit group in the text counts, so a date does too. Free text that
    may hold measurements and dates is judged by :func:`holds_phone`.

    >>> phone_like("138,0013,8000"), phone_like("上海市浦东新区"), phone_like("2026-11-26")
    (True, False, True)
    """
    return bool(_DIGIT_RUN.search(_SEPARATORS.sub("", text)))


def holds_phone(text: str) -> bool:
    """Whether free text holds a phone number, however its digits are grouped (G1).

    The library's one phone detector for text people write: work-sheet text
    (refused) and a modem label's account and user name (hidden in a ``repr``).
    A phone number is sought in each run of digit groups joined by up to three
    separators (spaces, ``. - / ( ) , _ :`` and their full-width forms), and is:

    - a Chinese mobile number, eleven digits from ``13`` to ``19``, with or without
      ``86`` or ``0086`` before it: from a group of three or more digits, or over
      groups of two or more each (``138 0013 8000``, ``(138)0013-8000``,
      ``+86 139 1234 5678``);
    - a landline with its area code: ten to twelve digits in a row from ``0`` and a
      non-zero digit (``02188886666``), or an area code group (``021``, ``0571``)
      followed by groups of three or more digits that make seven or eight
      (``(021) 8888-6666``);
    - after ``+``, any number of nine digits or more (``+852 2345 6789``).

    A dotted quad that is an IPv4 address (``192.168.10.100``) is an address, not a
    phone. What a work sheet holds otherwise is not a phone: measurements, models
    and dates (``-18.5 dBm``, ``ZTE F650``, ``1000M``, ``2026-11-26 14:30``). A local
    number without its area code (``8888 6666``) cannot be told from other numbers,
    and a name cannot be detected at all.

    >>> holds_phone("回拨 13912345678"), holds_phone("AD 139 1234 5678")
    (True, True)
    >>> holds_phone("138/0013/8000@bb"), holds_phone("(021) 8888-6666")
    (True, True)
    >>> holds_phone("收光功率 -18.5 dBm"), holds_phone("ZTE F650 1000M 2026-11-26 14:30")
    (False, False)
    """
    if len(_ANY_DIGIT.findall(text)) < 9:  # every phone sought has nine digits or more
        return False
    text = _IPV4.sub("#", text)
    for chain in _DIGIT_CHAIN.finditer(text):
        groups = [_ascii_digits(g) for g in _ANY_DIGITS.findall(chain.group())]
        if _PLUS_BEFORE.search(text, 0, chain.start()) and _international(groups):
            return True
        if _spelt_in(groups):
            return True
    return False


def hides_text(text: str) -> bool:
    """Whether free text is not shown in a ``repr``: :func:`holds_phone`, or an ID's rule (G1).

    A text is hidden where it may hold a phone number: where :func:`holds_phone`
    finds one, or where :func:`hides_id` would hide it as an ID (nine digits in a row).

    >>> hides_text("AD0211234567"), hides_text("ad0001@bb"), hides_text("138,0013,8000")
    (True, False, True)
    """
    return _LONG_DIGITS.search(text) is not None or holds_phone(text)


def text_repr(value: object) -> str:
    """``repr(value)`` in a value's repr, or ``(text not shown)`` where it may hold a phone (G1).

    For attrs fields of free text that is shown as written: ``attrs.field(repr=text_repr)``.

    >>> text_repr("皮线光缆"), text_repr("回拨 139-1234-5678"), text_repr(None)
    ("'皮线光缆'", '(text not shown)', 'None')
    """
    if isinstance(value, str) and hides_text(value):
        return TEXT_NOT_SHOWN
    return repr(value)


def no_phone(field: str, value: str) -> str:
    """Return ``value``, or refuse it with a coded error where it holds a phone (G1).

    For text that is shown and exported as written, where a phone number would
    be carried everywhere. The message names the field and never the text.

    >>> no_phone("material name", "皮线光缆")
    '皮线光缆'
    >>> no_phone("material name", "客户 139 1234 5678")
    Traceback (most recent call last):
    ...
    fieldservice.errors.InvalidInput: material name must not hold a phone number (G1): ...
    """
    if holds_phone(value):
        msg = (
            f"{field} must not hold a phone number (G1): it is shown and exported as "
            "written; keep the customer's phone in the customer record (Customer.phones), "
            "where it is masked, and leave it out here"
        )
        raise InvalidInput(
            msg,
            violations=(
                Violation("G1", "phone_number", f"{field} holds what reads as a phone number"),
            ),
        )
    return value


TEXT_NOT_SHOWN: Final = "(text not shown)"
_ANY_DIGIT = re.compile(r"\d")
_ANY_DIGITS = re.compile(r"\d+")
_DIGIT_CHAIN = re.compile(rf"\d+(?:[{_PHONE_SEPARATOR_CHARS}]{{1,3}}\d+)*")
_PLUS_BEFORE = re.compile(r"[+＋][\s(（]?\Z")
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = re.compile(rf"(?<![0-9.]){_OCTET}(?:\.{_OCTET}){{3}}(?!\.?[0-9])")
_MOBILE_DIGITS = re.compile(r"(?:(?:00)?86)?1[3-9][0-9]{9}")
_LANDLINE_DIGITS = re.compile(r"0[1-9][0-9]{8,10}")
_AREA_CODE = re.compile(r"0[1-9][0-9]{1,2}")


def _ascii_digits(group: str) -> str:
    # \d matches every decimal digit: a full-width ３ is a 3 to whoever reads it.
    return group if group.isascii() else "".join(str(unicodedata.decimal(c)) for c in group)


def _international(groups: list[str]) -> bool:
    # The country code, then groups of two or more digits: nine digits in all or more.
    total = len(groups[0])
    for group in groups[1:]:
        if len(group) < 2:
            break
        total += len(group)
    return total >= 9


def _spelt_in(groups: list[str]) -> bool:
    """Whether consecutive digit groups spell a mobile or a landline with its area code."""
    for first, group in enumerate(groups):
        if len(group) < 2:
            continue
        if _LANDLINE_DIGITS.fullmatch(group):
            return True
        if _AREA_CODE.fullmatch(group):
            local = ""
            for more in groups[first + 1 :]:
                if len(more) < 3 or len(local) >= 7:
                    break
                local += more
            if 7 <= len(local) <= 8:
                return True
        # From a group of three digits or more, any groups may follow (138-0013-800-0);
        # from a shorter one, groups of two or more only, so that a list of readings
        # (-18.5 -19.2 -17.8) never spells one.
        any_size = len(group) >= 3
        joined = ""
        for more in groups[first:]:
            if len(more) < 2 and not any_size:
                break
            joined += more
            if len(joined) > 15:
                break
            if _MOBILE_DIGITS.fullmatch(joined):
                return True
    return False


_DIGEST = re.compile(r"[0-9a-f]{64}")


def standard_shown(name: object, digest: object) -> str:
    """A standard an order records, as a message shows it: name and digest, if not personal.

    Both are input (G1): the name goes through :func:`echo`, and the digest shows
    its first twelve digits only when it is a digest (64 hex digits).

    >>> standard_shown("default", "0" * 64), standard_shown("张三", "13800138000")
    ("'default' (000000000000)", 'str (a digest not shown)')
    """
    shown = digest[:12] if isinstance(digest, str) and _DIGEST.fullmatch(digest) else None
    return f"{echo(name)} ({shown or 'a digest not shown'})"


def echo(value: object) -> str:
    """Show a refused value in a message only if it cannot be personal data (G1).

    ``None``, ``True``/``False`` and enum members show as ``repr``; so do numbers
    and short plain ASCII tokens without a phone-number-like run of digits.
    Anything else (Chinese text, long text, many digits, control characters,
    containers) is described by its type alone.

    >>> echo("13h"), echo(0.5), echo("张三"), echo("138 0013 8000"), echo([1])
    ("'13h'", '0.5', 'str', 'str', 'list')
    >>> echo(0), echo(-3), echo(True), echo(None), echo(13800138000)
    ('0', '-3', 'True', 'None', 'int')
    """
    if value is None or isinstance(value, bool | enum.Enum):
        return repr(value)
    if isinstance(value, int | float):
        # Only small finite numbers: a local phone number (7-8 digits) passed as a
        # number in the wrong place is never shown.
        if -_SHOWN_NUMBER_LIMIT < value < _SHOWN_NUMBER_LIMIT:
            return repr(value)
        return _shown(value)
    if isinstance(value, str) and _PLAIN_TOKEN.fullmatch(value) and not phone_like(value):
        return repr(value)
    return _shown(value)


shown = echo  # the name the standard's checks use


def shown_keys(keys: Iterable[object]) -> str:
    """Name unknown keys in a message: plain ones by name, the others counted (G1).

    A key is input like any value: one that may be personal is not shown.

    >>> shown_keys(["colour", "13800138000"])
    "'colour' and 1 not shown (it may be personal)"
    """
    unknown = sorted(str(k) for k in keys)
    named = [e for e in map(echo, unknown) if e.startswith("'")]
    hidden = len(unknown) - len(named)
    listed = ", ".join(named[:3]) + (", ..." if len(named) > 3 else "")
    if hidden:
        listed += f"{' and ' if named else ''}{hidden} not shown (it may be personal)"
    return listed


def shown_id(value: object) -> str:
    """An order ID as a refusal shows it: unless it is no ID, or may hold a phone (G1).

    IDs name what a message is about, but one read from a file is input like any
    value, and an operator's scheme may put a phone number in one. An ID with a run
    of nine or more digits is replaced as :func:`fieldservice.sla.shown_id` replaces
    it in a text report (:func:`hides_id`).

    >>> shown_id("WO-20261124-0001"), shown_id("zhang.san-13800138000"), shown_id("张三")
    ('WO-20261124-0001', '(an order ID not shown)', '(an order with an invalid id)')
    """
    try:
        checked = identifier("order id", value)
    except InvalidInput:
        return "(an order with an invalid id)"
    return id_text(checked)


def hides_id(order_id: str) -> bool:
    """Whether an ID is not shown as text: it may hold a phone number (G1).

    It may when it has a run of nine or more digits, longer than a date stamp
    (``WO-20261124-0001``) and as long as a phone number; or when digit groups joined
    by ``. _ : -`` spell a mobile number (:func:`spells_phone`). Ordinary numbering
    with separators is shown.

    >>> hides_id("WO-20261124-0001"), hides_id("WO-13800138000")
    (False, True)
    >>> hides_id("zs.138-0013-8000"), hides_id("SH-021-2026-0001"), hides_id("WO-2026-11-24-0001")
    (True, False, False)
    """
    return _LONG_DIGITS.search(order_id) is not None or spells_phone(order_id)


def keys_shown(value: Mapping[str, object]) -> dict[str, object]:
    """A mapping as a repr may show it: a key that may hold a phone is not shown (G1).

    >>> keys_shown({"optical_power_dbm": -18.5, "callback-13800138000": 1})
    {'optical_power_dbm': -18.5, '(a key not shown)': 1}
    """
    return {("(a key not shown)" if hides_id(k) else k): v for k, v in value.items()}


def spells_phone(text: str) -> bool:
    """Whether digit groups joined by ``. _ : -`` spell a mobile number (G1).

    Eleven digits from a group of three or more that begins ``13``-``19`` to the end
    of a later group: ``138-0013-8000``, ``13800_138000``. A landline is not sought:
    an area code and a local number (``021-2026-0001``) read as a region code, a
    year and a serial, which operators' ID schemes are made of. Neither are dates.

    >>> spells_phone("zs.138-0013-8000"), spells_phone("WO-2026-11-24-0001")
    (True, False)
    >>> spells_phone("SH-021-2026-0001"), spells_phone("WO-15-2026-00012")
    (False, False)
    """
    for found in _DIGIT_GROUPS.finditer(text):
        groups = _GROUP_SEPARATOR.split(found.group())
        for first, group in enumerate(groups):
            if len(group) < 3 or _MOBILE_START.match(group) is None:
                continue
            joined = group
            for more in groups[first + 1 :]:
                joined += more
                if len(joined) >= 11:
                    if len(joined) == 11 and _MOBILE.fullmatch(joined):
                        return True
                    break
    return False


def id_text(order_id: str) -> str:
    """An order ID as text for people shows it: a repr, a view, a calendar, a plan (G1).

    The ID itself, unless :func:`hides_id`: then ``(an order ID not shown)``, as a
    refusal shows it. JSON, records and tables, read by systems, keep every ID.

    >>> id_text("WO-20261124-0001"), id_text("zhang.san-13800138000")
    ('WO-20261124-0001', '(an order ID not shown)')
    """
    return ID_NOT_SHOWN if hides_id(order_id) else order_id


def id_repr(order_id: object) -> str:
    """``repr(order_id)`` in a value's repr, or ``(an order ID not shown)`` (G1).

    For attrs fields that hold an order ID: ``attrs.field(repr=id_repr)``.

    >>> id_repr("WO-1"), id_repr("WO-13800138000"), id_repr(None)
    ("'WO-1'", '(an order ID not shown)', 'None')
    """
    if isinstance(order_id, str) and hides_id(order_id):
        return ID_NOT_SHOWN
    return repr(order_id)


def staff_text(staff_id: str) -> str:
    """A staff member's ID (who recorded an event, an owner, a certificate) as people see it.

    As :func:`id_text` shows an order ID: hidden if it may hold a phone (G1).

    >>> staff_text("desk-1"), staff_text("zhang.san-138-0013-8000")
    ('desk-1', '(an ID not shown)')
    """
    return STAFF_ID_NOT_SHOWN if hides_id(staff_id) else staff_id


def staff_repr(staff_id: object) -> str:
    """``repr(staff_id)`` in a value's repr, or ``(an ID not shown)`` (G1).

    >>> staff_repr("T7"), staff_repr("zs.13800138000"), staff_repr(None)
    ("'T7'", '(an ID not shown)', 'None')
    """
    if isinstance(staff_id, str) and hides_id(staff_id):
        return STAFF_ID_NOT_SHOWN
    return repr(staff_id)


STAFF_ID_NOT_SHOWN = "(an ID not shown)"
_LONG_DIGITS = re.compile(r"\d{9}")
# Digit groups an ID joins with its separators, and the mobile number they may spell.
_DIGIT_GROUPS = re.compile(r"\d+(?:[._:\-]\d+)+")
_GROUP_SEPARATOR = re.compile(r"[._:\-]")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_MOBILE_START = re.compile(r"1[3-9]")
ID_NOT_SHOWN = "(an order ID not shown)"


def _word_or_type(value: object, enum_type: type[enum.Enum]) -> str:
    """Show a misspelt member as given, with the member meant; anything else by its type.

    A word near no member may be anything, a name among them ('Smith'): it is
    described by its type, as :func:`echo` describes free text (G1).

    >>> from fieldservice.model import Tier
    >>> _word_or_type("Glod", Tier), _word_or_type("Smith", Tier), _word_or_type(5, Tier)
    ("'Glod'; did you mean 'gold'?", 'str', '5')
    """
    if isinstance(value, str) and value.isascii() and len(value) <= 40:
        members = [str(m.value) for m in enum_type]
        near = difflib.get_close_matches(value.strip().lower(), members, n=1, cutoff=0.75)
        if near and _PLAIN_TOKEN.fullmatch(value) and not phone_like(value):
            return f"{value!r}; did you mean {near[0]!r}?"
        return _shown(value)
    return echo(value)


def text(field: str, value: object, *, max_length: int = 200, multiline: bool = False) -> str:
    """Return ``value`` as stripped text, or raise if it is not acceptable text."""
    if not isinstance(value, str):
        msg = f"{field} must be text (got {_shown(value)})"
        raise InvalidInput(msg)
    stripped = value.strip()
    if not stripped:
        msg = f"{field} must not be empty"
        raise InvalidInput(msg)
    if len(stripped) > max_length:
        msg = f"{field} is longer than {max_length} characters; shorten it"
        raise InvalidInput(msg)
    pattern = _CONTROL if multiline else _CONTROL_OR_NEWLINE
    if pattern.search(stripped):
        msg = f"{field} contains control characters; remove them"
        raise InvalidInput(msg)
    if _SURROGATE.search(stripped):
        # A lone surrogate passes str checks but cannot be written as UTF-8: JSON out,
        # the signature's digest and calendar files would each fail on it later.
        msg = f"{field} contains characters that are not valid Unicode text; remove them"
        raise InvalidInput(msg)
    return stripped


def identifier(field: str, value: object) -> str:
    """Return ``value`` if it is an identifier such as ``"WO-2026-0001"``."""
    if not isinstance(value, str) or not _IDENTIFIER.fullmatch(value):
        msg = (
            f"{field} must be 1-64 characters of letters, digits and . _ : - "
            f"starting with a letter or digit (got {_shown(value)})"
        )
        raise InvalidInput(msg)
    if _ONLY_DIGITS.fullmatch(value) and phone_like(value):
        # A phone number is not an ID (SECURITY.md): refused, so no message, repr,
        # JSON or calendar that shows IDs can show it.
        msg = (
            f"{field} must not be 7 or more digits alone: it could be a phone number (G1); "
            "use the operator's own ID scheme, with a letter prefix"
        )
        raise InvalidInput(msg)
    return value


def person_id(field: str, value: object) -> str:
    """Return ``value`` if it is an ID of a person (customer, technician) that holds no phone.

    Stricter than :func:`identifier`: a person's ID is where a phone number is most
    often misused as an ID, so no run of 7 or more digits is taken, nor digit groups
    that spell a phone (:func:`spells_phone`, G1).

    >>> person_id("customer id", "C-2026-0042")
    'C-2026-0042'
    >>> person_id("customer id", "C13800138000")
    Traceback (most recent call last):
    ...
    fieldservice.errors.InvalidInput: customer id must not hold 7 or more digits in a row: ...
    >>> person_id("customer id", "C-138-0013-8000")
    Traceback (most recent call last):
    ...
    fieldservice.errors.InvalidInput: customer id must not hold a phone number written with ...
    """
    checked = identifier(field, value)
    if _DIGIT_RUN.search(checked):
        msg = (
            f"{field} must not hold 7 or more digits in a row: it could be a phone number "
            "(G1); use the operator's own ID scheme with letters or separators"
        )
        raise InvalidInput(msg)
    if spells_phone(checked):
        msg = (
            f"{field} must not hold a phone number written with separators "
            "(G1); use the operator's own ID scheme"
        )
        raise InvalidInput(msg)
    return checked


LONGEST_TRAVEL = dt.timedelta(days=1)


def travel(value: object) -> dt.timedelta:
    """Return a travel time: a ``timedelta`` from 0 to one day (T2)."""
    if not isinstance(value, dt.timedelta) or not dt.timedelta(0) <= value <= LONGEST_TRAVEL:
        msg = "travel must be a timedelta from 0 to one day"
        raise InvalidInput(msg)
    return value


_A = TypeVar("_A", bound=attrs.AttrsInstance)


def checked_copy(value: _A, changes: Mapping[str, object]) -> _A:
    """A copy of a frozen attrs value with ``changes`` that the caller has already checked.

    No converter or validator runs: the caller vouches for the new values, and
    the rest were checked when ``value`` was made. ``attrs.evolve`` introspects
    the class and runs them all on every call; the workflow's fold and the
    checklist's ticks run once per event.
    """
    copy: Callable[[_A, Mapping[str, object]], _A] | None = _COPIERS.get(type(value))
    if copy is None:
        copy = _COPIERS[type(value)] = _copier(type(value))
    return copy(value, changes)


def _copier(cls: type[_A]) -> Callable[[_A, Mapping[str, object]], _A]:
    # The fields written out, as attrs writes an __init__: a loop over the names costs
    # about twice as much, and the fold copies once per event.
    names = [f.name for f in attrs.fields(cls)]
    lines = [
        "def copy(value, changes):",
        "    new = new_(cls)",
        *(f"    set_(new, {name!r}, value.{name})" for name in names),
        "    for name, changed in changes.items():",
        "        set_(new, name, changed)",
        "    return new",
    ]
    scope: dict[str, Any] = {"new_": object.__new__, "set_": object.__setattr__, "cls": cls}
    exec(compile("\n".join(lines), f"<checked_copy of {cls.__qualname__}>", "exec"), scope)
    copy: Callable[[_A, Mapping[str, object]], _A] = scope["copy"]
    return copy


_COPIERS: dict[type[Any], Callable[[Any, Mapping[str, object]], Any]] = {}


def include_personal(value: object, **aliases: object) -> bool:
    """Read the personal-data opt-in, spelt ``include_personal``, and its old spellings.

    A function that used to take ``include_secret`` or ``include_secrets``
    passes them here as ``aliases`` (``None`` when not given): each one given
    warns (:class:`DeprecationWarning`) and counts as ``include_personal``;
    giving two that differ is an error. The answer is checked by :func:`consent`.

    >>> include_personal(True, include_secret=None)
    True
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     include_personal(False, include_secret=True), caught[0].category.__name__
    (True, 'DeprecationWarning')
    """
    given = {name: flag for name, flag in aliases.items() if flag is not None}
    for name in given:
        deprecated(f"{name} is deprecated; pass include_personal instead")
    if not given:
        return consent("include_personal", value)
    flags = {consent(name, flag) for name, flag in given.items()}
    if value is not False:
        flags.add(consent("include_personal", value))
    if len(flags) > 1:
        msg = (
            f"include_personal and {', '.join(sorted(given))} disagree; pass include_personal only"
        )
        raise InvalidInput(msg)
    return flags.pop()


_PACKAGE = str(Path(__file__).resolve().parent) + os.sep


def deprecated(message: str) -> None:
    """Warn (:class:`DeprecationWarning`) at the first caller outside the library.

    The warning names the user's file and line however many of the library's
    functions lie between it and this call (``Checklist.to_dict`` reaches here
    through two), so a fixed ``stacklevel`` would point inside the library.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     deprecated("old is deprecated; pass new instead")
    >>> caught[0].category.__name__, caught[0].filename.startswith(_PACKAGE)
    ('DeprecationWarning', False)
    """
    frame = inspect.currentframe()
    frame = frame.f_back if frame is not None else None  # the caller: stacklevel 2
    level = 2
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame = frame.f_back
        level += 1
    warnings.warn(message, DeprecationWarning, stacklevel=level)


def consent(field: str, value: object) -> bool:
    """Return a consent flag: only ``True`` or ``False``, so ``"false"`` never reveals (G1)."""
    if value is True or value is False:
        return value
    msg = (
        f"{field} must be True or False (got {_shown(value)}); personal data is shown only on True"
    )
    raise InvalidInput(msg)


def enum_member(enum_type: type[E], field: str, value: object) -> E:
    """Return the member of ``enum_type`` named by ``value``.

    ``value`` may be a member, its value, or one of the labels the library
    prints for it (``label_zh`` / ``label_en``, for enums that have them):
    what the library shows, it takes back.

    >>> from fieldservice.model import Tier
    >>> enum_member(Tier, "tier", "金卡"), enum_member(Tier, "tier", "gold")
    (<Tier.GOLD: 'gold'>, <Tier.GOLD: 'gold'>)
    """
    if isinstance(value, enum_type):
        return value
    try:
        return enum_type(value)
    except (ValueError, TypeError):
        pass
    # Raised outside the except block: its __context__ would keep the ValueError,
    # whose message repeats the value ("'张三' is not a valid Tier"), G1.
    allowed = ", ".join(repr(m.value) for m in enum_type)
    msg = f"{field} must be one of {allowed} (got {_word_or_type(value, enum_type)})"
    raise InvalidInput(msg)


def not_a_member(enum_type: type[enum.Enum], value: object) -> InvalidInput:
    """The error for ``EnumType(value)`` with no such member: an enum's ``_missing_`` raises it.

    Python's own error repeats the value (``'张三' is not a valid Tier``); this
    one names the members and shows the value only if it cannot be personal.

    >>> not_a_member(enum.Enum("Half", "MORNING"), "张三")
    InvalidInput('Half must be one of 1 (got str)')
    """
    allowed = ", ".join(repr(m.value) for m in enum_type)
    return InvalidInput(
        f"{enum_type.__name__} must be one of {allowed} (got {_word_or_type(value, enum_type)})"
    )


def to_enum(enum_type: type[E], field: str) -> Callable[[Any], E]:
    """Make an attrs converter that accepts a member or its value."""

    def convert(value: Any) -> E:
        return enum_member(enum_type, field, value)

    return convert

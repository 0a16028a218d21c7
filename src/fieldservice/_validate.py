"""Validators and converters used at the boundary of every value class.

They follow attrs' own (``attrs.validators``): small callables that raise during
construction, here always with a coded :class:`~fieldservice.errors.InvalidInput`
whose message names the field and says what to pass instead.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import warnings
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs
import pendulum

from fieldservice.errors import InvalidInput

E = TypeVar("E", bound=enum.Enum)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}")


def _shown(value: object) -> str:
    """Describe a rejected value by its type only: it may be personal data (G1)."""
    return type(value).__name__


# Numbers shown in errors stay below seven digits: a phone number (even a local one,
# 7-8 digits) passed as a number in the wrong place is never echoed (G1).
_SHOWN_NUMBER_LIMIT = 10**6
_TOKEN = re.compile(r"[A-Za-z][A-Za-z_]{0,19}")


def shown(value: object) -> str:
    """Show a rejected value that cannot be personal; describe anything else by its type.

    Shown: ``None``, ``True``/``False``, enum members, and numbers of fewer than
    seven digits (a count of 0, an hour of 25). Never text, which may be
    personal data (G1): it is described by its type.

    >>> shown(0), shown(-3), shown(2.5), shown(True), shown("张三"), shown(13800138000)
    ('0', '-3', '2.5', 'True', 'str', 'int')
    """
    if value is None or isinstance(value, bool | enum.Enum):
        return repr(value)
    if isinstance(value, int | float) and -_SHOWN_NUMBER_LIMIT < value < _SHOWN_NUMBER_LIMIT:
        return repr(value)
    return _shown(value)


def _word_or_type(value: object) -> str:
    """Show a short plain word (an enum-like token) or a small number; else the type."""
    if isinstance(value, str) and _TOKEN.fullmatch(value):
        return repr(value)
    return shown(value)


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
    return value


def aware(field: str, value: object) -> pendulum.DateTime:
    """Return ``value`` as a timezone-aware pendulum DateTime; naive is an error."""
    if not isinstance(value, dt.datetime):
        msg = f"{field} must be a timezone-aware datetime (got {_shown(value)})"
        raise InvalidInput(msg)
    if value.tzinfo is None or value.utcoffset() is None:
        msg = (
            f"{field} is a naive datetime; pass a timezone-aware one, "
            "e.g. pendulum.datetime(2026, 11, 24, 10, 30, tz='Asia/Shanghai')"
        )
        raise InvalidInput(msg)
    epoch_of(field, value)
    if isinstance(value, pendulum.DateTime):
        return value
    return pendulum.instance(value)


@functools.cache
def zone(name: str) -> pendulum.Timezone:
    """The pendulum zone of a standard's zone name, looked up once (pendulum does it per call)."""
    found = pendulum.timezone(name)
    assert isinstance(found, pendulum.Timezone)  # a zone name, never a fixed offset
    return found


FIRST_YEAR = 1970
LAST_YEAR = 2199


_FIRST_EPOCH: float = dt.datetime(FIRST_YEAR, 1, 1, tzinfo=dt.UTC).timestamp()
_END_EPOCH: float = dt.datetime(LAST_YEAR, 1, 1, tzinfo=dt.UTC).timestamp()


def epoch_of(field: str, value: dt.datetime) -> float:
    """Return an aware datetime as epoch seconds, if it lies in the years the library reads."""
    try:
        epoch = value.timestamp()
    except (OverflowError, ValueError):
        epoch = -1.0  # out of any range: check_range says which
    check_epoch(field, value, epoch)
    return epoch


def check_epoch(field: str, value: dt.datetime, epoch: float) -> None:
    """:func:`check_range` for an instant whose epoch seconds the caller already has."""
    if not _FIRST_EPOCH <= epoch < _END_EPOCH:
        check_range(field, value)


def check_range(field: str, value: dt.datetime) -> None:
    """Refuse instants the service calendar does not cover (and datetime cannot convert)."""
    try:
        year = value.astimezone(dt.UTC).year
    except (OverflowError, ValueError):
        year = 0
    if not FIRST_YEAR <= year <= LAST_YEAR - 1:
        msg = f"{field} must lie in the years {FIRST_YEAR} to {LAST_YEAR - 1}"
        raise InvalidInput(msg)


LONGEST_TRAVEL = dt.timedelta(days=1)


def travel(value: object) -> dt.timedelta:
    """Return a travel time: a ``timedelta`` from 0 to one day (T2)."""
    if not isinstance(value, dt.timedelta) or not dt.timedelta(0) <= value <= LONGEST_TRAVEL:
        msg = "travel must be a timedelta from 0 to one day"
        raise InvalidInput(msg)
    return value


_A = TypeVar("_A", bound=attrs.AttrsInstance)
_FIELD_NAMES: dict[type[attrs.AttrsInstance], tuple[str, ...]] = {}


def checked_copy(value: _A, changes: Mapping[str, object]) -> _A:
    """A copy of a frozen attrs value with ``changes`` that the caller has already checked.

    No converter or validator runs: the caller vouches for the new values, and
    the rest were checked when ``value`` was made. ``attrs.evolve`` introspects
    the class and runs them all on every call; the workflow's fold and the
    checklist's ticks run once per event.
    """
    cls = type(value)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in attrs.fields(cls))
    new = object.__new__(cls)
    for name in names:
        object.__setattr__(new, name, changes[name] if name in changes else getattr(value, name))
    return new


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
        warnings.warn(
            f"{name} is deprecated; pass include_personal instead",
            DeprecationWarning,
            stacklevel=3,
        )
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
    if isinstance(value, str):
        for member in enum_type:
            if value in (getattr(member, "label_zh", None), getattr(member, "label_en", None)):
                return member
    allowed = ", ".join(repr(m.value) for m in enum_type)
    msg = f"{field} must be one of {allowed} (got {_word_or_type(value)})"
    raise InvalidInput(msg) from None


def to_enum(enum_type: type[E], field: str) -> Callable[[Any], E]:
    """Make an attrs converter that accepts a member or its value."""

    def convert(value: Any) -> E:
        return enum_member(enum_type, field, value)

    return convert

"""Validators and converters used at the boundary of every value class.

They follow attrs' own (``attrs.validators``): small callables that raise during
construction, here always with a coded :class:`~fieldservice.errors.InvalidInput`
whose message names the field and says what to pass instead.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs

from fieldservice._time import aware, check_range
from fieldservice.errors import InvalidInput

E = TypeVar("E", bound=enum.Enum)

# events.py reads these two here until the event reducer's rewrite (issue 14) moves it
# to fieldservice._time, their home.
__all__ = ["aware", "check_range"]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}")


def _shown(value: object) -> str:
    """Describe a rejected value by its type only: it may be personal data (G1)."""
    return type(value).__name__


def _word_or_type(value: object) -> str:
    """Show a short plain word as is; anything else by type, as it may be personal."""
    if isinstance(value, str) and value.isascii() and value.isalpha() and len(value) <= 20:
        return repr(value)
    return _shown(value)


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


def consent(field: str, value: object) -> bool:
    """Return a consent flag: only ``True`` or ``False``, so ``"false"`` never reveals (G1)."""
    if value is True or value is False:
        return value
    msg = (
        f"{field} must be True or False (got {_shown(value)}); personal data is shown only on True"
    )
    raise InvalidInput(msg)


def enum_member(enum_type: type[E], field: str, value: object) -> E:
    """Return the member of ``enum_type`` named by ``value`` (a member or its value)."""
    if isinstance(value, enum_type):
        return value
    try:
        return enum_type(value)
    except (ValueError, TypeError):
        allowed = ", ".join(repr(m.value) for m in enum_type)
        msg = f"{field} must be one of {allowed} (got {_word_or_type(value)})"
        raise InvalidInput(msg) from None


def to_enum(enum_type: type[E], field: str) -> Callable[[Any], E]:
    """Make an attrs converter that accepts a member or its value."""

    def convert(value: Any) -> E:
        return enum_member(enum_type, field, value)

    return convert

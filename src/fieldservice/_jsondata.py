"""The JSON and secret toolkit the value modules share (private: for fieldservice only).

Converters at the boundary (an actor id, an aware time, a reason, products),
how a value is written out (:class:`Form`: secrets masked, in clear or left out;
times as given or in UTC) and how JSON data is read back (:func:`json_object`
refuses missing and unknown keys, :func:`parse_at` wants an offset).

>>> json_object({"a": 1}, "thing", ("a",))
{'a': 1}
>>> stamp(pendulum.datetime(2026, 11, 26, 15, tz="Asia/Shanghai"), CANONICAL_FORM)
'2026-11-26T07:00:00+00:00'
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, TypeGuard

import attrs
import pendulum

from fieldservice import _labels, _time, _validate
from fieldservice.errors import InvalidInput
from fieldservice.model import FreeText, OrderKind, Product, Secret, WithheldText


def text(field: str, value: object, *, max_length: int = 200, multiline: bool = False) -> str:
    return _validate.text(field, value, max_length=max_length, multiline=multiline)


def flag(field: str, value: object) -> bool:
    if not isinstance(value, bool):
        msg = f"{field} must be True or False (got {type(value).__name__})"
        raise InvalidInput(msg)
    return value


def to_kind(value: object) -> OrderKind:
    return _validate.enum_member(OrderKind, "order kind", value)


def by(value: object) -> str:
    return _validate.identifier("by", value)


def optional_by(value: object) -> str | None:
    return None if value is None else by(value)


def at(value: object) -> pendulum.DateTime:
    return _time.aware("at", value)


def optional_at(value: object) -> pendulum.DateTime | None:
    return None if value is None else at(value)


def instant(value: dt.datetime | None) -> float | None:
    """What an ``at`` compares by: the instant, as epoch seconds.

    ``==`` between datetimes of different zones is False for a local time that
    occurs twice, in the hour a summer time ends (PEP 495): by that a value would
    not equal its own copy read back from JSON.
    """
    return None if value is None else value.timestamp()


def words(field: str, value: object, *, max_length: int = 200, multiline: bool = False) -> FreeText:
    """Words a person wrote, checked; the masked form of an export reads as withheld (G1)."""
    if is_masked_form(value):
        value = value["$secret"]
        if value is None:
            return _WITHHELD_TEXT  # a masked export: read, never restored
    checked = text(field, value, max_length=max_length, multiline=multiline)
    if isinstance(value, FreeText) and value == checked:
        return value
    return FreeText(checked)


def is_masked_form(value: object) -> TypeGuard[Mapping[str, object]]:
    """Whether ``value`` is the form an export writes in place of a personal value.

    >>> is_masked_form({"$secret": None}), is_masked_form({"a": 1}), is_masked_form("x")
    (True, False, False)
    """
    return isinstance(value, Mapping) and value.keys() == {"$secret"}


def evidence(values: Mapping[str, object], form: Form) -> dict[str, object]:
    """A tick's evidence as an export writes it: measurements as they are, text as words (G1).

    >>> from fieldservice.model import FreeText
    >>> evidence({"optical_power_dbm": -18.5, "seen": FreeText("张三在家")}, MASKED_FORM)
    {'optical_power_dbm': -18.5, 'seen': {'$secret': None}}
    """
    return {k: free_text(v, form) if isinstance(v, FreeText) else v for k, v in values.items()}


def reason(value: object) -> FreeText:
    return words("reason", value)


def optional_reason(value: object) -> FreeText | None:
    return None if value is None else reason(value)


def free_text(value: FreeText, form: Form) -> object:
    """Words a person wrote as an export writes them: masked unless personal data is asked (G1).

    The canonical form (a signature's digest) keeps them: the digest covers what was signed.
    """
    if form.secrets is Secrets.MASKED or value.withheld:
        return {"$secret": None}
    return str(value)


_WITHHELD_TEXT: Final = WithheldText()


def to_products(value: object) -> tuple[Product, ...]:
    if isinstance(value, str | Product):
        value = (value,)
    if not isinstance(value, Iterable):
        msg = f"products must be a sequence of products (got {type(value).__name__})"
        raise InvalidInput(msg)
    products = {_validate.enum_member(Product, "product", p) for p in value}
    if not products:
        msg = "an order has at least one product; pass e.g. [Product.BROADBAND]"
        raise InvalidInput(msg)
    # Sorted so that repr and to_dict() are the same in every process.
    return tuple(sorted(products, key=lambda p: p.value))


def to_secret(value: Secret | str) -> Secret:
    return value if isinstance(value, Secret) else Secret(value)


class Secrets(_labels.IdentityEnum):
    MASKED = "masked"
    CLEAR = "clear"
    EXCLUDED = "excluded"


@attrs.frozen
class Form:
    """How to write a value: what to do with secrets, and whether times go to UTC."""

    secrets: Secrets
    utc: bool


MASKED_FORM: Final = Form(Secrets.MASKED, utc=False)


CLEAR_FORM: Final = Form(Secrets.CLEAR, utc=False)


CANONICAL_FORM: Final = Form(Secrets.EXCLUDED, utc=True)


def form_of(include_personal: object, include_secret: object = None) -> Form:
    """The form an export asks for: ``include_personal``, or its old spelling (deprecated)."""
    clear = _validate.include_personal(include_personal, include_secret=include_secret)
    return CLEAR_FORM if clear else MASKED_FORM


def _password_masked(_: Secret) -> dict[str, Any]:
    return {"password": None}


def _password_clear(secret: Secret) -> dict[str, Any]:
    return {"password": secret.reveal()}


def _password_excluded(_: Secret) -> dict[str, Any]:
    # The customer signs the work, not the password; a digest over a short initial
    # password would let anyone holding the signature test guesses of it (G1).
    return {"password": "(not signed)"}


PASSWORD_WRITERS: Final[Mapping[Secrets, Callable[[Secret], dict[str, Any]]]] = (
    types.MappingProxyType(
        {
            Secrets.MASKED: _password_masked,
            Secrets.CLEAR: _password_clear,
            Secrets.EXCLUDED: _password_excluded,
        }
    )
)


def stamp(at: pendulum.DateTime | None, form: Form) -> str | None:
    if at is None:
        return None
    if not form.utc:
        return at.isoformat()
    # The digest must not change when the same instant is written in another zone. The
    # wall time less its offset, in a plain datetime: the text astimezone(UTC) gives, where
    # converting a pendulum DateTime builds a DateTime again, at half again the cost (a
    # signature writes one per checklist item).
    offset = _utcoffset(at)
    assert offset is not None  # every time the library keeps is aware
    wall = dt.datetime(at.year, at.month, at.day, at.hour, at.minute, at.second, at.microsecond)
    return f"{(wall - offset).isoformat()}+00:00"


_utcoffset: Final = dt.datetime.utcoffset


def json_object(value: object, where: str, keys: Iterable[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        msg = f"{where} must be a JSON object (got {type(value).__name__}); pass to_dict() output"
        raise InvalidInput(msg)
    expected = set(keys)
    missing = expected - value.keys()
    if missing:
        msg = f"{where} needs {', '.join(sorted(missing))}; pass to_dict() output"
        raise InvalidInput(msg)
    unknown = value.keys() - expected
    if unknown:
        # Unknown keys would be dropped silently and break an exact round trip.
        msg = f"{where} has keys this version does not know: {_validate.shown_keys(unknown)}"
        raise InvalidInput(msg)
    return value


def json_array(value: object, where: str) -> list[Any] | tuple[Any, ...]:
    if not isinstance(value, list | tuple):
        msg = f"{where} must be a JSON array (got {type(value).__name__})"
        raise InvalidInput(msg)
    return value


def parse_at(value: object, where: str) -> pendulum.DateTime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        msg = f"{where} must be ISO 8601 text with an offset, like 2026-11-26T15:00:00+08:00"
        raise InvalidInput(msg)
    parsed = _time.iso_or_none(value)
    if parsed is None:
        msg = f"{where} is not an ISO 8601 date-time; write it like 2026-11-26T15:00:00+08:00"
        raise InvalidInput(msg)
    return _time.aware(where, parsed)


def rule(value: object) -> str:
    return _validate.identifier("rule", value)

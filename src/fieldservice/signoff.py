"""The customer's signature (W2): who signs, what blocks signing, and the digest.

:func:`sign_off` refuses while anything blocks (:func:`check_sign_off` lists
it) and otherwise returns a :class:`Signature` whose digest
:meth:`Signature.verify` checks later against the checklist and the work sheet.

>>> from fieldservice.signoff import SignerRole
>>> SignerRole("proxy").label_zh
'代签人'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs
import pendulum

from fieldservice import _jsondata, _labels, _validate
from fieldservice._bounded import BoundedTable
from fieldservice.checklist import Checklist, ChecklistItem, ItemStatus
from fieldservice.errors import ChecklistIncomplete, InvalidInput, Violation
from fieldservice.model import PersonalName
from fieldservice.worksheet import WorkSheet

__all__ = [
    "Signature",
    "SignerRole",
    "check_sign_off",
    "sign_off",
]


class SignerRole(_labels.Labelled):
    """Who signs the work sheet (W2): the customer, or someone at home for them (C3).

    >>> SignerRole("proxy").label_zh
    '代签人'

    .. versionadded:: 0.1.0
    """

    CUSTOMER = "customer"
    PROXY = "proxy"


_labels.add_labels(
    {
        SignerRole.CUSTOMER: ("客户本人", "the customer"),
        SignerRole.PROXY: ("代签人", "someone signing for the customer"),
    }
)


def _to_role(value: object) -> SignerRole:
    return _validate.enum_member(SignerRole, "signer role", value)


def _has_technicians(sheet: WorkSheet) -> bool:
    return bool(sheet.technicians)


def _has_opinion(sheet: WorkSheet) -> bool:
    return sheet.opinion is not None


# What the work sheet needs before the customer signs: rule, code, test, advice.
_SHEET_RULES: Final[tuple[tuple[str, str, Callable[[WorkSheet], bool], str], ...]] = (
    ("W1", "no_technicians", _has_technicians, "list the technicians on the work sheet"),
    ("W2", "opinion_missing", _has_opinion, "record the customer's opinion on the work sheet"),
)


def check_sign_off(checklist: Checklist, worksheet: WorkSheet) -> tuple[Violation, ...]:
    """Return everything that blocks sign-off: open required items, then work-sheet gaps.

    One :class:`~fieldservice.errors.Violation` per open item (code
    ``"item_open"``, rule of the item) and per gap in the work sheet (W1, W2).
    An empty result means :func:`sign_off` will accept.

    Raises:
        InvalidInput: ``checklist`` or ``worksheet`` is of the wrong type.

    >>> from fieldservice import OrderKind, Product
    >>> from fieldservice.worksheet import CustomerOpinion
    >>> c = Checklist.for_order(OrderKind.REPAIR, [Product.FIXED_LINE])
    >>> [(v.rule, v.code) for v in check_sign_off(c, WorkSheet())][-3:]
    [('W2', 'item_open'), ('W1', 'no_technicians'), ('W2', 'opinion_missing')]

    .. versionadded:: 0.1.0
    """
    _ensure_types(checklist, worksheet)
    items = tuple(
        Violation(
            i.rule,
            "item_open",
            f"{i.id} ({i.label_en}) is open; tick it, or mark it not applicable with a reason",
        )
        for i in checklist.missing()
    )
    sheet = tuple(
        Violation(rule, code, advice)
        for rule, code, holds, advice in _SHEET_RULES
        if not holds(worksheet)
    )
    return items + sheet


def _ensure_types(checklist: object, worksheet: object) -> None:
    if not isinstance(checklist, Checklist) or not isinstance(worksheet, WorkSheet):
        msg = (
            f"expected a Checklist and a WorkSheet (got {type(checklist).__name__} "
            f"and {type(worksheet).__name__})"
        )
        raise InvalidInput(msg)


def _to_signer(value: PersonalName | str) -> PersonalName:
    return value if isinstance(value, PersonalName) else PersonalName(value)


_DIGEST = re.compile(r"[0-9a-f]{64}")


def _digest(value: object) -> str:
    if not isinstance(value, str) or not _DIGEST.fullmatch(value):
        msg = "digest must be 64 lowercase hexadecimal characters (a SHA-256)"
        raise InvalidInput(msg)
    return value


def _canonical_text(
    checklist: Checklist,
    worksheet: WorkSheet,
    signer: PersonalName,
    role: SignerRole,
    at: pendulum.DateTime,
) -> str:
    """The exact text a signature's digest is the SHA-256 of.

    Times are in UTC; the modem label's password is left out (G1).
    """
    # The text is _CANONICAL_JSON.encode of {"checklist": checklist.data_as(CANONICAL_FORM),
    # "signature": {...}, "worksheet": ...}; the checklist, most of it, is written by
    # _checklist_text, and the keys below come in the order sort_keys puts them.
    signed = {
        "signer": signer.reveal(),
        "role": role.value,
        "at": _jsondata.stamp(at, _jsondata.CANONICAL_FORM),
    }
    worksheet_text = _encode(worksheet.to_dict(include_personal=True))
    return (
        f'{{"checklist":{_checklist_text(checklist)},"signature":{_encode(signed)},'
        f'"worksheet":{worksheet_text}}}'
    )


# The encoder json.dumps would build on every call for these options, built once.
_CANONICAL_JSON: Final = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)
_encode: Final = _CANONICAL_JSON.encode


def _checklist_text(checklist: Checklist) -> str:
    """``_encode(checklist.data_as(CANONICAL_FORM))``, the same text, written item by item.

    Every order signs its template's labels, most of the text: each item's fixed
    fields are encoded once per template item (:func:`_fixed_parts`), and only
    what the visit recorded is encoded per signature. JSON's text of an object is
    the text of its values joined in key order, so the pieces join to the same text.
    """
    items = ",".join([_item_text(item) for item in checklist.items])
    products = _encode([p.value for p in checklist.products])
    return (
        f'{{"items":[{items}],"kind":{_encode(checklist.kind.value)},"products":{products},'
        f'"template_version":{_encode(checklist.template_version)}}}'
    )


def _item_text(item: ChecklistItem) -> str:
    # Keys in sort_keys order: at, by, evidence, id, label, label_en, label_zh, reason,
    # required, rule, status; the fixed ones come from the template item and the status.
    key = (item.id, item.rule, item.label_zh, item.label_en, item.required, item.status)
    fixed = _FIXED_PARTS.get(key)
    if fixed is None:
        fixed = _fixed_parts(key)
    after_evidence, after_label, after_reason = fixed
    at, by, evidence = item.at, item.by, item.evidence
    label, reason = item.label, item.reason
    return "".join(
        (
            '{"at":',
            "null" if at is None else _text(_jsondata.stamp(at, _FORM)),  # type: ignore[arg-type]
            ',"by":',
            "null" if by is None else _text(by),
            ',"evidence":',
            _encode(_jsondata.evidence(evidence, _FORM)) if evidence else "{}",
            after_evidence,
            "null" if label is None else _encode(label.data_as(_FORM)),
            after_label,
            "null" if reason is None else _encode(_jsondata.free_text(reason, _FORM)),
            after_reason,
        )
    )


def _fixed_parts(key: tuple[str, str, str, str, bool, ItemStatus]) -> tuple[str, str, str]:
    """The text between an item's recorded values: its ID, labels, whether required, rule, status."""
    item_id, rule, label_zh, label_en, required, status = key
    parts = (
        f',"id":{_encode(item_id)},"label":',
        f',"label_en":{_encode(label_en)},"label_zh":{_encode(label_zh)},"reason":',
        f',"required":{_encode(required)},"rule":{_encode(rule)},"status":{_encode(status.value)}}}',
    )
    # Templates are few; a caller's own items could be many.
    return _FIXED_PARTS.keep(key, parts)


_FIXED_PARTS = BoundedTable[tuple[str, str, str, str, bool, ItemStatus], tuple[str, str, str]](1024)
_FORM: Final = _jsondata.CANONICAL_FORM
# What the encoder writes for a str (ensure_ascii=False): the C function it calls itself.
_text: Final[Callable[[str], str]] = json.encoder.encode_basestring


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@attrs.frozen
class Signature:
    """The customer's signature on the work sheet (W2), bound to what was signed.

    ``digest`` is the SHA-256 of a canonical JSON text of the checklist, the
    work sheet, and the signer, role and time: keys sorted, no spaces, UTF-8,
    times in UTC, with the modem label's password left out (G1). Any later
    change to any of them makes :meth:`verify` false. Build it with
    :func:`sign_off`.

    Args:
        signer: The signer's name; shown masked (G1).
        role: Who signed: :class:`SignerRole` or its value.
        at: When, timezone-aware.
        digest: The SHA-256 hex digest of what was signed.

    >>> import pendulum
    >>> Signature("张三", "customer", pendulum.datetime(2026, 11, 26, 15, tz="UTC"), digest="0" * 64)
    Signature(signer=PersonalName('张*'), role=<SignerRole.CUSTOMER: 'customer'>, at=DateTime(2026, 11, 26, 15, 0, 0, tzinfo=Timezone('UTC')), digest='000...')

    .. versionadded:: 0.1.0
    """

    signer: PersonalName = attrs.field(converter=_to_signer)
    role: SignerRole = attrs.field(converter=_to_role)
    at: pendulum.DateTime = attrs.field(converter=_jsondata.at, eq=_jsondata.instant)
    digest: str = attrs.field(kw_only=True, converter=_digest)

    def verify(self, checklist: Checklist, worksheet: WorkSheet) -> bool:
        """Return whether ``checklist`` and ``worksheet`` are exactly what was signed.

        Raises:
            InvalidInput: ``checklist`` or ``worksheet`` is of the wrong type.

        >>> import pendulum
        >>> from fieldservice import OrderKind, Product
        >>> from fieldservice.worksheet import CustomerOpinion
        >>> at = pendulum.datetime(2026, 11, 26, 15, tz="Asia/Shanghai")
        >>> c = Checklist.for_order(OrderKind.REPAIR, [Product.FIXED_LINE])
        >>> for i in c.missing():
        ...     c = c.tick(i.id, by="T7", at=at, evidence={"dial_tone": True})
        >>> sheet = WorkSheet(technicians=["T7"], opinion=CustomerOpinion(satisfied=True))
        >>> sig = sign_off(c, sheet, signer="张三", role="customer", at=at)
        >>> sig.verify(c, sheet), sig.verify(c, sheet.add_parameter("VLAN", "100"))
        (True, False)
        """
        _ensure_types(checklist, worksheet)
        text = _canonical_text(checklist, worksheet, self.signer, self.role, self.at)
        return hmac.compare_digest(_sha256(text), self.digest)

    def to_dict(self, *, include_personal: bool = False) -> dict[str, Any]:
        """Return the signature as JSON-ready data.

        Args:
            include_personal: Write the signer's name; without it the name is
                ``None`` (G1) and :meth:`from_dict` refuses the data.

        >>> import pendulum
        >>> sig = Signature("张三", "proxy", pendulum.datetime(2026, 11, 26, 15, tz="UTC"),
        ...                 digest="0" * 64)
        >>> sig.to_dict()["signer"], sig.to_dict(include_personal=True)["signer"]
        (None, '张三')
        """
        personal = _validate.consent("include_personal", include_personal)
        return {
            "signer": self.signer.reveal() if personal else None,
            "role": self.role.value,
            "at": _jsondata.stamp(self.at, _jsondata.CLEAR_FORM),
            "digest": self.digest,
        }

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> Signature:
        """Rebuild a signature from ``to_dict(include_personal=True)`` output, exactly.

        Raises:
            InvalidInput: A key is missing or unknown, a value is wrong, or the
                data was written without the signer's name.

        >>> import pendulum
        >>> sig = Signature("张三", "customer", pendulum.datetime(2026, 11, 26, 15, tz="UTC"),
        ...                 digest="0" * 64)
        >>> Signature.from_dict(sig.to_dict(include_personal=True)) == sig
        True
        >>> Signature.from_dict(sig.to_dict())
        Traceback (most recent call last):
        ...
        fieldservice.errors.InvalidInput: the signature was written without the signer's name; ...
        """
        data = _jsondata.json_object(value, "signature", ("signer", "role", "at", "digest"))
        if data["signer"] is None:
            msg = (
                "the signature was written without the signer's name; write it with "
                "to_dict(include_personal=True) to restore it"
            )
            raise InvalidInput(msg)
        return cls(
            data["signer"],
            data["role"],
            _jsondata.parse_at(data["at"], "signature at"),
            digest=data["digest"],
        )


def sign_off(
    checklist: Checklist,
    worksheet: WorkSheet,
    *,
    signer: PersonalName | str,
    role: SignerRole | str,
    at: dt.datetime,
) -> Signature:
    """Have the customer sign the work sheet (W2), if nothing blocks it.

    Args:
        checklist: The visit's checklist; every required item resolved.
        worksheet: The filled work sheet: technicians listed (W1), the
            customer's opinion recorded (W2, W3).
        signer: Who signs; shown masked.
        role: :class:`SignerRole` or its value.
        at: When, timezone-aware; not before any item was resolved.

    Returns:
        A :class:`Signature` over exactly these values. Neither value changes;
        keep the signature next to them.

    Raises:
        ChecklistIncomplete: Something blocks sign-off; ``violations`` lists each
            item and gap, as :func:`check_sign_off` does.
        InvalidInput: A bad argument, or ``at`` is before an item was resolved.

    >>> import pendulum
    >>> from fieldservice import OrderKind, Product
    >>> from fieldservice.worksheet import CustomerOpinion
    >>> at = pendulum.datetime(2026, 11, 26, 15, tz="Asia/Shanghai")
    >>> c = Checklist.for_order(OrderKind.REPAIR, [Product.FIXED_LINE])
    >>> sheet = WorkSheet(technicians=["T7"], opinion=CustomerOpinion(satisfied=True))
    >>> for i in c.missing():
    ...     if i.id != "S5":
    ...         c = c.tick(i.id, by="T7", at=at)
    >>> sign_off(c, sheet, signer="张三", role="customer", at=at)
    Traceback (most recent call last):
    ...
    fieldservice.errors.ChecklistIncomplete: sign-off is blocked: S5:
      - [S5/item_open] ...

    .. versionadded:: 0.1.0
    """
    _ensure_types(checklist, worksheet)
    who, as_role, when = _to_signer(signer), _to_role(role), _jsondata.at(at)
    blocking = check_sign_off(checklist, worksheet)
    if blocking:
        named = ", ".join(dict.fromkeys(v.rule for v in blocking))
        msg = f"sign-off is blocked: {named}"
        raise ChecklistIncomplete(msg, violations=blocking)
    # By instant: in the hour a summer time ends, wall times in one zone mislead (PEP 495).
    signed_at = when.timestamp()
    later = [i for i in checklist.items if i.at is not None and i.at.timestamp() > signed_at]
    if later:
        msg = f"sign-off at is before {later[0].id} was resolved; sign after the work is done"
        raise InvalidInput(
            msg,
            violations=(Violation("W2", "signed_too_early", f"{later[0].id} resolved later"),),
        )
    return _signature(checklist, worksheet, who, as_role, when)


def sign_off_in_order(
    checklist: Checklist,
    worksheet: WorkSheet,
    signer: str,
    role: SignerRole | str,
    at: pendulum.DateTime,
) -> Signature:
    """:func:`sign_off` for a work order's command, whose ``at`` is already checked.

    The order has checked ``at`` (aware, in range) and that it is not before its
    last event, and every item was resolved by one of those events: the per-item
    time check of :func:`sign_off` could not fail. What blocks sign-off is still checked.

    :meta private:
    """
    who, as_role = _to_signer(signer), _to_role(role)
    blocking = check_sign_off(checklist, worksheet)
    if blocking:
        named = ", ".join(dict.fromkeys(v.rule for v in blocking))
        msg = f"sign-off is blocked: {named}"
        raise ChecklistIncomplete(msg, violations=blocking)
    return _signature(checklist, worksheet, who, as_role, at)


def _signature(
    checklist: Checklist,
    worksheet: WorkSheet,
    who: PersonalName,
    role: SignerRole,
    at: pendulum.DateTime,
) -> Signature:
    # Every field is checked by the caller and the digest is made here: no converter runs.
    signature = object.__new__(Signature)
    put = object.__setattr__
    put(signature, "signer", who)
    put(signature, "role", role)
    put(signature, "at", at)
    put(signature, "digest", _sha256(_canonical_text(checklist, worksheet, who, role, at)))
    return signature

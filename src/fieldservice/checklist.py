"""The completion checklist, the work sheet (施工单), the modem label and the signature.

A home visit ends when the customer signs (W2). Before that, every required
step of the guidance card's on-site part is ticked on a :class:`Checklist`:
introduce yourself (S1), shoe covers (S2), explain the service boundary (S3),
consent for wiring (S4), the end-to-end test (S5), demo and manual (S6),
restore and clean (S7), the labels (L1-L3), the work sheet (W1) and the
customer's opinion (W2). The :class:`WorkSheet` records materials, technical
parameters, technicians and the opinion; :func:`sign_off` refuses while
anything blocks and otherwise returns a :class:`Signature` whose digest
:meth:`Signature.verify` checks later. :func:`kit_list` says what to carry
before leaving (T1, O2).

Everything here is an immutable value: each command returns a new object and
a refused command raises a coded :class:`~fieldservice.errors.FieldServiceError`.
The modem label's password is a :class:`Secret`, masked everywhere unless asked
for (G1).

>>> import pendulum
>>> from fieldservice import OrderKind, Product
>>> from fieldservice.checklist import Checklist, ModemLabel, WorkSheet, CustomerOpinion, sign_off
>>> at = pendulum.datetime(2026, 11, 26, 15, tz="Asia/Shanghai")
>>> c = Checklist.for_order(OrderKind.INSTALL, [Product.BROADBAND])
>>> [i.id for i in c.items]
['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'L1', 'L3', 'S7', 'W1', 'W2']
>>> for step in ("S1", "S2", "S3", "S4", "S6", "S7", "W1", "W2"):
...     c = c.tick(step, by="T7", at=at)
>>> c = c.tick("L1", by="T7", at=at, label=ModemLabel("AD0001", "ad0001@bb", "k3y-9Q"))
>>> [i.id for i in c.missing()]
['S5']
>>> c = c.tick("S5", by="T7", at=at, evidence={"optical_power_dbm": -18.5})
>>> sheet = WorkSheet(technicians=["T7"], opinion=CustomerOpinion(satisfied=True))
>>> sig = sign_off(c, sheet, signer="张三", role="customer", at=at.add(minutes=5))
>>> sig.verify(c, sheet), sig.verify(c, sheet.add_material("皮线光缆", "20", "m"))
(True, False)
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import functools
import hashlib
import hmac
import json
import re
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, TypeAlias

import attrs
import pendulum

from fieldservice import _validate
from fieldservice.errors import ChecklistIncomplete, InvalidInput, Violation
from fieldservice.model import OrderKind, PersonalName, Product, Secret

__all__ = [
    "DEFAULT_TEMPLATE",
    "TEMPLATE_VERSIONS",
    "Checklist",
    "ChecklistItem",
    "CustomerOpinion",
    "EvidenceValue",
    "Finding",
    "ItemStatus",
    "KitItem",
    "Material",
    "ModemLabel",
    "Remedy",
    "Secret",
    "Signature",
    "SignerRole",
    "TechnicalParameter",
    "WorkSheet",
    "check_sign_off",
    "kit_list",
    "sign_off",
]

EvidenceValue: TypeAlias = str | int | float | bool
"""The type of one value of a tick's evidence, such as a measurement, a reading or a yes/no."""


# --- enums with the seed's labels -----------------------------------------------


class _Labelled(enum.Enum):
    """An enum whose members carry a Chinese label from the seed and an English one."""

    # Members are singletons and compare by identity: hashing them by identity
    # too is C-fast, where Enum.__hash__ hashes the name in Python. Lookups keyed
    # by these members run on every event.
    __hash__ = object.__hash__

    @property
    def label_zh(self) -> str:
        """The member's label in the seed's Chinese terms."""
        return _ENUM_LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The member's label in English."""
        return _ENUM_LABELS[self][1]


class ItemStatus(_Labelled):
    """Where a checklist item stands.

    ``OPEN`` items that are required block sign-off; the three others resolve
    an item. ``NOT_APPLICABLE`` is the technician's call and ``DECLINED`` the
    customer's (S2 shoe covers, L4 labels); both need a reason.

    >>> ItemStatus.DECLINED.label_zh, ItemStatus("done").label_en
    ('客户拒绝', 'done')

    .. versionadded:: 0.1.0
    """

    OPEN = "open"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"
    DECLINED = "declined"


class Finding(_Labelled):
    """Something the technician finds on site that makes an optional item required.

    >>> Finding.LABEL_MISSING.label_zh
    '维修时发现无标签'

    .. versionadded:: 0.1.0
    """

    LABEL_MISSING = "label_missing"
    LIGHTNING_PROTECTION = "lightning_protection"


class SignerRole(_Labelled):
    """Who signs the work sheet (W2): the customer, or someone at home for them (C3).

    >>> SignerRole("proxy").label_zh
    '代签人'

    .. versionadded:: 0.1.0
    """

    CUSTOMER = "customer"
    PROXY = "proxy"


class Remedy(_Labelled):
    """What was done about a dissatisfied customer (W3): resolved, or explained.

    >>> Remedy.EXPLAINED.label_zh
    '给予合理解释'

    .. versionadded:: 0.1.0
    """

    RESOLVED = "resolved"
    EXPLAINED = "explained"


_ENUM_LABELS: Final[Mapping[enum.Enum, tuple[str, str]]] = types.MappingProxyType(
    {
        ItemStatus.OPEN: ("待办", "open"),
        ItemStatus.DONE: ("已完成", "done"),
        ItemStatus.NOT_APPLICABLE: ("不适用", "not applicable"),
        ItemStatus.DECLINED: ("客户拒绝", "declined by the customer"),
        Finding.LABEL_MISSING: ("维修时发现无标签", "no modem label found on a repair"),
        Finding.LIGHTNING_PROTECTION: ("终端设备须防雷", "terminal needs lightning protection"),
        SignerRole.CUSTOMER: ("客户本人", "the customer"),
        SignerRole.PROXY: ("代签人", "someone signing for the customer"),
        Remedy.RESOLVED: ("及时处理解决", "resolved on the spot"),
        Remedy.EXPLAINED: ("给予合理解释", "explained to the customer"),
    }
)


# --- converters at the boundary ------------------------------------------------


def _text(field: str, value: object, *, max_length: int = 200, multiline: bool = False) -> str:
    return _validate.text(field, value, max_length=max_length, multiline=multiline)


def _flag(field: str, value: object) -> bool:
    if not isinstance(value, bool):
        msg = f"{field} must be True or False (got {type(value).__name__})"
        raise InvalidInput(msg)
    return value


def _item_id(value: object) -> str:
    return _validate.identifier("checklist item id", value)


def _rule(value: object) -> str:
    return _validate.identifier("rule", value)


def _label_zh(value: object) -> str:
    return _text("label_zh", value)


def _label_en(value: object) -> str:
    return _text("label_en", value)


def _required(value: object) -> bool:
    return _flag("required", value)


def _to_status(value: object) -> ItemStatus:
    return _validate.enum_member(ItemStatus, "item status", value)


def _to_role(value: object) -> SignerRole:
    return _validate.enum_member(SignerRole, "signer role", value)


def _to_remedy(value: object) -> Remedy | None:
    return None if value is None else _validate.enum_member(Remedy, "remedy", value)


def _to_kind(value: object) -> OrderKind:
    return _validate.enum_member(OrderKind, "order kind", value)


def _by(value: object) -> str:
    return _validate.identifier("by", value)


def _optional_by(value: object) -> str | None:
    return None if value is None else _by(value)


def _at(value: object) -> pendulum.DateTime:
    return _validate.aware("at", value)


def _optional_at(value: object) -> pendulum.DateTime | None:
    return None if value is None else _at(value)


def _instant(value: dt.datetime | None) -> float | None:
    """What an ``at`` compares by: the instant, as epoch seconds.

    ``==`` between datetimes of different zones is False for a local time that
    occurs twice, in the hour a summer time ends (PEP 495): by that a value would
    not equal its own copy read back from JSON.
    """
    return None if value is None else value.timestamp()


def _reason(value: object) -> str:
    return _text("reason", value)


def _optional_reason(value: object) -> str | None:
    return None if value is None else _reason(value)


def _to_products(value: object) -> tuple[Product, ...]:
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


_MAX_EVIDENCE = 20
_JSON_SAFE_INT = 2**53


def _evidence_value(key: str, value: object) -> EvidenceValue:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        if abs(value) > _JSON_SAFE_INT:
            msg = f"evidence {key} is beyond ±2**53, which JSON readers cannot hold exactly"
            raise InvalidInput(msg)
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            msg = f"evidence {key} must be a finite number"
            raise InvalidInput(msg)
        return value
    if isinstance(value, str):
        return _text(f"evidence {key}", value)
    msg = f"evidence {key} must be text, a number or True/False (got {type(value).__name__})"
    raise InvalidInput(msg)


def _to_evidence(value: object) -> Mapping[str, EvidenceValue]:
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        msg = f"evidence must be a mapping such as {{'optical_power_dbm': -18.5}} (got {type(value).__name__})"
        raise InvalidInput(msg)
    if len(value) > _MAX_EVIDENCE:
        msg = f"evidence holds at most {_MAX_EVIDENCE} values; keep the ones the rule asks for"
        raise InvalidInput(msg)
    frozen = {
        _validate.identifier("evidence key", k): _evidence_value(k, v)
        for k, v in sorted(value.items(), key=_key_text)
    }
    return types.MappingProxyType(frozen)


def _key_text(pair: tuple[object, object]) -> str:
    return str(pair[0])


def _evidence_repr(value: Mapping[str, EvidenceValue]) -> str:
    return repr(dict(value))


# --- the secret ------------------------------------------------------------------


def _to_secret(value: Secret | str) -> Secret:
    return value if isinstance(value, Secret) else Secret(value)


# --- how values are written out ----------------------------------------------------


class _Secrets(enum.Enum):
    MASKED = "masked"
    CLEAR = "clear"
    EXCLUDED = "excluded"


@attrs.frozen
class _Form:
    """How to write a value: what to do with secrets, and whether times go to UTC."""

    secrets: _Secrets
    utc: bool


_MASKED_FORM: Final = _Form(_Secrets.MASKED, utc=False)
_CLEAR_FORM: Final = _Form(_Secrets.CLEAR, utc=False)
_CANONICAL_FORM: Final = _Form(_Secrets.EXCLUDED, utc=True)


def _form(include_secret: object) -> _Form:
    return _CLEAR_FORM if _flag("include_secret", include_secret) else _MASKED_FORM


def _password_masked(_: Secret) -> dict[str, Any]:
    return {"password": None}


def _password_clear(secret: Secret) -> dict[str, Any]:
    return {"password": secret.reveal()}


def _password_excluded(_: Secret) -> dict[str, Any]:
    # The customer signs the work, not the password; a digest over a short initial
    # password would let anyone holding the signature test guesses of it (G1).
    return {"password": "(not signed)"}


_PASSWORD_WRITERS: Final[Mapping[_Secrets, Callable[[Secret], dict[str, Any]]]] = (
    types.MappingProxyType(
        {
            _Secrets.MASKED: _password_masked,
            _Secrets.CLEAR: _password_clear,
            _Secrets.EXCLUDED: _password_excluded,
        }
    )
)


def _stamp(at: pendulum.DateTime | None, form: _Form) -> str | None:
    if at is None:
        return None
    # The digest must not change when the same instant is written in another zone.
    # (datetime's own astimezone: the same text as pendulum's in_timezone, a tenth the work.)
    return dt.datetime.astimezone(at, dt.UTC).isoformat() if form.utc else at.isoformat()


# --- reading JSON data back ----------------------------------------------------------


def _object(value: object, where: str, keys: Iterable[str]) -> Mapping[str, Any]:
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
        names = ", ".join(sorted(str(k)[:30] for k in unknown))
        msg = f"{where} has keys this version does not know: {names}"
        raise InvalidInput(msg)
    return value


def _array(value: object, where: str) -> list[Any] | tuple[Any, ...]:
    if not isinstance(value, list | tuple):
        msg = f"{where} must be a JSON array (got {type(value).__name__})"
        raise InvalidInput(msg)
    return value


def _parse_at(value: object, where: str) -> pendulum.DateTime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        msg = f"{where} must be ISO 8601 text with an offset, like 2026-11-26T15:00:00+08:00"
        raise InvalidInput(msg)
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        msg = f"{where} is not an ISO 8601 date-time; write it like 2026-11-26T15:00:00+08:00"
        raise InvalidInput(msg) from None
    return _validate.aware(where, parsed)


# --- the modem label (L1) -------------------------------------------------------------


def _account(value: object) -> str:
    return _text("broadband account", value, max_length=64)


def _user_name(value: object) -> str:
    return _text("user name", value, max_length=64)


@attrs.frozen
class ModemLabel:
    """The label stuck on a new broadband modem (L1): account, user name, initial password.

    The password is a :class:`Secret`: masked in ``repr``, ``str``, errors and
    :meth:`to_dict` unless ``include_secret=True`` is asked for (G1).

    Args:
        account: The broadband account number (宽带编号).
        user_name: The user name for going online (上网用户名).
        password: The initial password (初始密码): text or a :class:`Secret`.

    Raises:
        InvalidInput: A field is empty, too long or not text.

    >>> label = ModemLabel("AD0001", "ad0001@bb", "k3y-9Q")
    >>> label
    ModemLabel(account='AD0001', user_name='ad0001@bb', password=Secret('******'))
    >>> label.to_dict()
    {'account': 'AD0001', 'user_name': 'ad0001@bb', 'password': None}
    >>> ModemLabel.from_dict(label.to_dict(include_secret=True)) == label
    True

    .. versionadded:: 0.1.0
    """

    account: str = attrs.field(converter=_account)
    user_name: str = attrs.field(converter=_user_name)
    password: Secret = attrs.field(converter=_to_secret)

    def to_dict(self, *, include_secret: bool = False) -> dict[str, Any]:
        """Return the label as JSON-ready data; the password is ``None`` unless asked for.

        Args:
            include_secret: Write the password in clear. Only for storage that
                must restore the label, never for display or logs.

        >>> ModemLabel("AD0001", "u1", "pw-1").to_dict(include_secret=True)["password"]
        'pw-1'
        """
        return self._data(_form(include_secret))

    def _data(self, form: _Form) -> dict[str, Any]:
        return {
            "account": self.account,
            "user_name": self.user_name,
            **_PASSWORD_WRITERS[form.secrets](self.password),
        }

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> ModemLabel:
        """Rebuild a label from ``to_dict(include_secret=True)`` output.

        A masked export (``password`` is ``None``) cannot be restored: the
        password is not in it, and a label without one would not be a label.

        Raises:
            InvalidInput: A key is missing, a value is wrong, or the password
                was masked.

        >>> ModemLabel.from_dict(ModemLabel("AD0001", "u1", "pw-1").to_dict())
        Traceback (most recent call last):
        ...
        fieldservice.errors.InvalidInput: the modem label's password was masked ...
        """
        data = _object(value, "modem label", ("account", "user_name", "password"))
        if data["password"] is None:
            msg = (
                "the modem label's password was masked in this export; "
                "restore from to_dict(include_secret=True) output"
            )
            raise InvalidInput(msg)
        return cls(data["account"], data["user_name"], data["password"])


def _optional_label(value: object) -> ModemLabel | None:
    if value is None or isinstance(value, ModemLabel):
        return value
    msg = f"label must be a ModemLabel (got {type(value).__name__})"
    raise InvalidInput(msg)


# --- the checklist's rules, as data -----------------------------------------------------


class _Proof(enum.Enum):
    """What ticking an item must carry."""

    NONE = "none"
    MEASUREMENT = "measurement"
    MODEM_LABEL = "modem_label"


@attrs.frozen
class _ItemSpec:
    """One step of the guidance card, as a template lists it."""

    id: str
    rule: str
    label_zh: str
    label_en: str
    proof: _Proof = _Proof.NONE
    # Steps the standard wants on every visit cannot be waived as not applicable.
    waivable: bool = True
    # The rule that lets the customer decline the step, if any.
    declinable_under: str | None = None
    # A finding on site that turns the step from optional to required.
    raised_by: Finding | None = None


@attrs.frozen
class _Entry:
    """An item of a template: the step, whether it is required, and which products it needs."""

    spec: _ItemSpec
    required: bool
    # Empty: every order; otherwise the order must have one of these products.
    products: frozenset[Product] = frozenset()


_S1 = _ItemSpec(
    "S1",
    "S1",
    "自我介绍并出示服务资格证,确认用户情况,说明上门原因及主要的服务内容",
    "Introduce yourself, show the service certificate, confirm the customer, "
    "state the reason and main content of the visit",
    waivable=False,
)
_S2 = _ItemSpec(
    "S2",
    "S2",
    "穿上鞋套,用垫布放置工具包,用盖布盖好附近物品",
    "Shoe covers on, tool box on a mat, nearby items covered",
    # Guidance card step 7, 2.1: the customer who insists on slippers is followed.
    declinable_under="S2",
)
_S3 = _ItemSpec(
    "S3",
    "S3",
    "施工作业开始前向客户说明电信服务的界面",
    "Explain the boundary of the operator's service before work",
    waivable=False,
)
_S4 = _ItemSpec(
    "S4",
    "S4",
    "布线走线、终端摆放、搬动客户物品征得客户同意",
    "Customer's consent for wiring, terminal placement and moving their things",
)
_S5 = _ItemSpec(
    "S5",
    "S5",
    "施工作业完毕后做通检测试,确保使用正常",
    "Test the product end to end after work",
    proof=_Proof.MEASUREMENT,
    waivable=False,
)
_S6 = _ItemSpec(
    "S6",
    "S6",
    "现场使用演示,讲解基本知识及简单维修保养常识,赠送使用手册",
    "Demonstrate use, explain basics and simple care, hand over the user manual",
)
_S7 = _ItemSpec(
    "S7",
    "S7",
    "挪动的客户物品复位,清理现场,废弃杂物放入垃圾袋",
    "Put moved things back, clean up, take the waste away",
)
_W1 = _ItemSpec(
    "W1",
    "W1",
    "当场填写施工单(材料、技术参数、施工人员)",
    "Fill in the work sheet on the spot (materials, technical parameters, technicians)",
    waivable=False,
)
_W2 = _ItemSpec(
    "W2",
    "W2",
    "征询客户意见",
    "Ask the customer's opinion",
    waivable=False,
)
_L1 = _ItemSpec(
    "L1",
    "L1",
    "MODEM 上贴标签:宽带编号、上网用户名、初始密码",
    "Label the modem: broadband account, user name, initial password",
    proof=_Proof.MODEM_LABEL,
    declinable_under="L4",
)
_L2 = _ItemSpec(
    "L2",
    "L2",
    "维修时发现无标签须补贴",
    "A repair finds no modem label: add it",
    proof=_Proof.MODEM_LABEL,
    declinable_under="L4",
    raised_by=Finding.LABEL_MISSING,
)
_L3 = _ItemSpec(
    "L3",
    "L3",
    "须防雷的终端设备上贴标签",
    "Label terminal equipment that needs lightning protection",
    declinable_under="L4",
    raised_by=Finding.LIGHTNING_PROTECTION,
)

_BROADBAND: Final = frozenset({Product.BROADBAND})

# Installs and moves (装移机) follow the card's steps 7-10 in order.
_INSTALL_OR_MOVE_2026_1: Final = (
    _Entry(_S1, required=True),
    _Entry(_S2, required=True),
    _Entry(_S3, required=True),
    _Entry(_S4, required=True),
    _Entry(_S5, required=True),
    _Entry(_S6, required=True),
    _Entry(_L1, required=True, products=_BROADBAND),
    _Entry(_L3, required=False),
    _Entry(_S7, required=True),
    _Entry(_W1, required=True),
    _Entry(_W2, required=True),
)
# Repairs (修障) skip consent for new wiring and the demo; the label is added
# only when found missing (L2), and only broadband has a modem label.
_REPAIR_2026_1: Final = (
    _Entry(_S1, required=True),
    _Entry(_S2, required=True),
    _Entry(_S3, required=True),
    _Entry(_S5, required=True),
    _Entry(_L2, required=False, products=_BROADBAND),
    _Entry(_L3, required=False),
    _Entry(_S7, required=True),
    _Entry(_W1, required=True),
    _Entry(_W2, required=True),
)

_TEMPLATES: Final[Mapping[str, Mapping[OrderKind, tuple[_Entry, ...]]]] = types.MappingProxyType(
    {
        "2026.1": types.MappingProxyType(
            {
                OrderKind.INSTALL: _INSTALL_OR_MOVE_2026_1,
                OrderKind.MOVE: _INSTALL_OR_MOVE_2026_1,
                OrderKind.REPAIR: _REPAIR_2026_1,
            }
        ),
    }
)

DEFAULT_TEMPLATE: Final = "2026.1"
"""The template version :meth:`Checklist.for_order` uses unless told otherwise."""

TEMPLATE_VERSIONS: Final = tuple(_TEMPLATES)
"""Every checklist template version this release knows, oldest first.

>>> TEMPLATE_VERSIONS
('2026.1',)
"""


def _template_version(value: object) -> str:
    if not isinstance(value, str) or value not in _TEMPLATES:
        known = ", ".join(repr(v) for v in _TEMPLATES)
        msg = f"unknown checklist template version; use one of {known}"
        raise InvalidInput(msg)
    return value


def _template(version: str) -> Mapping[OrderKind, tuple[_Entry, ...]]:
    return _TEMPLATES[_template_version(version)]


def _entries(version: str, kind: OrderKind, products: Iterable[Product]) -> tuple[_Entry, ...]:
    have = frozenset(products)
    return tuple(e for e in _template(version)[kind] if not e.products or e.products & have)


_SPECS: Final[Mapping[tuple[str, OrderKind], Mapping[str, _ItemSpec]]] = {
    (version, kind): {e.spec.id: e.spec for e in entries}
    for version, template in _TEMPLATES.items()
    for kind, entries in template.items()
}
"""Each template's steps by item ID: a tick looks its step up once per call."""


# What each kind of proof demands of a tick; each returns the broken rules.


def _proof_none(
    spec: _ItemSpec, evidence: Mapping[str, EvidenceValue], label: ModemLabel | None
) -> tuple[Violation, ...]:
    if label is not None:
        return (Violation(spec.rule, "label_not_expected", f"{spec.id} takes no modem label"),)
    return ()


def _proof_measurement(
    spec: _ItemSpec, evidence: Mapping[str, EvidenceValue], label: ModemLabel | None
) -> tuple[Violation, ...]:
    found = list(_proof_none(spec, evidence, label))
    if not evidence:
        found.append(
            Violation(
                spec.rule,
                "evidence_missing",
                f"{spec.id} needs the test's result as evidence, "
                "e.g. evidence={'optical_power_dbm': -18.5}",
            )
        )
    return tuple(found)


def _proof_modem_label(
    spec: _ItemSpec, evidence: Mapping[str, EvidenceValue], label: ModemLabel | None
) -> tuple[Violation, ...]:
    if label is None:
        return (
            Violation(
                spec.rule,
                "label_missing",
                f"{spec.id} needs the label that was stuck on: label=ModemLabel(...)",
            ),
        )
    return ()


_PROOF_CHECKS: Final[
    Mapping[
        _Proof,
        Callable[
            [_ItemSpec, Mapping[str, EvidenceValue], ModemLabel | None], tuple[Violation, ...]
        ],
    ]
] = types.MappingProxyType(
    {
        _Proof.NONE: _proof_none,
        _Proof.MEASUREMENT: _proof_measurement,
        _Proof.MODEM_LABEL: _proof_modem_label,
    }
)


@attrs.frozen
class _Shape:
    """What an item of one status carries."""

    recorded: bool  # by and at
    reason: bool
    proof: bool  # evidence or a label


_SHAPES: Final[Mapping[ItemStatus, _Shape]] = types.MappingProxyType(
    {
        ItemStatus.OPEN: _Shape(recorded=False, reason=False, proof=False),
        ItemStatus.DONE: _Shape(recorded=True, reason=False, proof=True),
        ItemStatus.NOT_APPLICABLE: _Shape(recorded=True, reason=True, proof=False),
        ItemStatus.DECLINED: _Shape(recorded=True, reason=True, proof=False),
    }
)


# --- the checklist ----------------------------------------------------------------------


@attrs.frozen(hash=False)
class ChecklistItem:
    """One step of the checklist: what it is, whether it is required, and how it was resolved.

    Items come from :meth:`Checklist.for_order`; build one directly only to
    restore it (:meth:`from_dict`). Compared by value (``at`` by instant); not hashable, as the
    evidence is a mapping.

    Args:
        id: The item's ID on the checklist (``"S5"``).
        rule: The rule of the standard it carries (``"S5"``).
        label_zh: The step in the seed's Chinese terms.
        label_en: The step in English.
        required: Whether an open item blocks sign-off.
        status: Where it stands (:class:`ItemStatus`).
        by: Who resolved it (a technician ID), once resolved.
        at: When it was resolved, timezone-aware.
        evidence: What a tick recorded, e.g. ``{"optical_power_dbm": -18.5}`` for S5.
        reason: Why it was marked not applicable or declined.
        label: The modem label stuck on (L1, L2).

    Raises:
        InvalidInput: A field is malformed, or the fields do not fit the status
            (a done item without ``at``, an open item with a reason, ...).

    >>> item = ChecklistItem("S3", rule="S3", label_zh="说明服务界面",
    ...                      label_en="Explain the service boundary", required=True)
    >>> item.status, item.is_open
    (<ItemStatus.OPEN: 'open'>, True)

    .. versionadded:: 0.1.0
    """

    id: str = attrs.field(converter=_item_id)
    rule: str = attrs.field(kw_only=True, converter=_rule)
    label_zh: str = attrs.field(kw_only=True, converter=_label_zh)
    label_en: str = attrs.field(kw_only=True, converter=_label_en)
    required: bool = attrs.field(kw_only=True, converter=_required)
    status: ItemStatus = attrs.field(kw_only=True, default=ItemStatus.OPEN, converter=_to_status)
    by: str | None = attrs.field(kw_only=True, default=None, converter=_optional_by)
    at: pendulum.DateTime | None = attrs.field(
        kw_only=True, default=None, converter=_optional_at, eq=_instant
    )
    evidence: Mapping[str, EvidenceValue] = attrs.field(
        kw_only=True, factory=dict, converter=_to_evidence, repr=_evidence_repr
    )
    reason: str | None = attrs.field(kw_only=True, default=None, converter=_optional_reason)
    label: ModemLabel | None = attrs.field(kw_only=True, default=None, converter=_optional_label)

    def __attrs_post_init__(self) -> None:
        shape = _SHAPES[self.status]
        recorded = (self.by is not None, self.at is not None)
        if recorded != (shape.recorded, shape.recorded):
            need = "needs" if shape.recorded else "must not have"
            msg = f"item {self.id} is {self.status.value}: it {need} by and at"
            raise InvalidInput(msg)
        if (self.reason is not None) != shape.reason:
            need = "needs" if shape.reason else "must not have"
            msg = f"item {self.id} is {self.status.value}: it {need} a reason"
            raise InvalidInput(msg)
        if not shape.proof and (self.evidence or self.label is not None):
            msg = f"item {self.id} is {self.status.value}: only a done item has evidence or a label"
            raise InvalidInput(msg)

    @property
    def is_open(self) -> bool:
        """Whether the item is still to be resolved."""
        return self.status is ItemStatus.OPEN

    @property
    def blocks_sign_off(self) -> bool:
        """Whether the item is required and still open."""
        return self.required and self.is_open

    def to_dict(self, *, include_secret: bool = False) -> dict[str, Any]:
        """Return the item as JSON-ready data (``at`` as ISO 8601 with its offset).

        Args:
            include_secret: Write a modem label's password in clear.

        >>> ChecklistItem("S7", rule="S7", label_zh="清理现场", label_en="Clean up",
        ...               required=True).to_dict()["status"]
        'open'
        """
        return self._data(_form(include_secret))

    def _data(self, form: _Form) -> dict[str, Any]:
        return {
            "id": self.id,
            "rule": self.rule,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "required": self.required,
            "status": self.status.value,
            "by": self.by,
            "at": _stamp(self.at, form),
            "evidence": dict(self.evidence),
            "reason": self.reason,
            "label": None if self.label is None else self.label._data(form),
        }

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> ChecklistItem:
        """Rebuild an item from :meth:`to_dict` output.

        Raises:
            InvalidInput: A key is missing or unknown, or a value is wrong.

        >>> item = ChecklistItem("S7", rule="S7", label_zh="清理现场", label_en="Clean up",
        ...                      required=True)
        >>> ChecklistItem.from_dict(item.to_dict()) == item
        True
        """
        data = _object(value, "checklist item", _ITEM_KEYS)
        label = data["label"]
        return cls(
            data["id"],
            rule=data["rule"],
            label_zh=data["label_zh"],
            label_en=data["label_en"],
            required=data["required"],
            status=data["status"],
            by=data["by"],
            at=_parse_at(data["at"], "checklist item at"),
            evidence=data["evidence"],
            reason=data["reason"],
            label=None if label is None else ModemLabel.from_dict(label),
        )


_SHOWN_ID: Final = re.compile(r"[A-Za-z0-9.]{1,8}")

_ITEM_KEYS: Final = (
    "id",
    "rule",
    "label_zh",
    "label_en",
    "required",
    "status",
    "by",
    "at",
    "evidence",
    "reason",
    "label",
)


def _to_items(value: object) -> tuple[ChecklistItem, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(i, ChecklistItem) for i in value):
        msg = "items must be a sequence of ChecklistItem; build a checklist with Checklist.for_order()"
        raise InvalidInput(msg)
    return tuple(value)


def _conforms(item: ChecklistItem, entry: _Entry) -> str | None:
    """Say how an item departs from its template entry, or return None."""
    spec = entry.spec
    if (item.rule, item.label_zh, item.label_en) != (spec.rule, spec.label_zh, spec.label_en):
        return f"item {item.id} has a rule or label other than its template's"
    if item.required != entry.required and not (item.required and spec.raised_by is not None):
        return (
            f"item {item.id} is {'required' if item.required else 'optional'} against its template"
        )
    if item.status is ItemStatus.DONE and _PROOF_CHECKS[spec.proof](
        spec, item.evidence, item.label
    ):
        return f"item {item.id} is done without the proof its rule asks for"
    if item.status is ItemStatus.NOT_APPLICABLE and not spec.waivable:
        return f"item {item.id} cannot be not applicable"
    if item.status is ItemStatus.DECLINED and spec.declinable_under is None:
        return f"item {item.id} cannot be declined"
    return None


@attrs.frozen(hash=False)
class Checklist:
    """The completion checklist of one visit, from a versioned template.

    Build it with :meth:`for_order`. It is immutable: :meth:`tick`,
    :meth:`mark_not_applicable`, :meth:`decline` and :meth:`report_finding`
    return a new checklist, and a refused change raises
    :class:`~fieldservice.errors.InvalidInput` (its ``violations`` name the
    rule). :meth:`missing` lists the required items still open; they block
    :func:`sign_off`.

    Args:
        kind: The order's kind (install, move, repair).
        products: The order's products.
        template_version: The template the items come from.
        items: The items, in the template's order and matching it.

    Raises:
        InvalidInput: The version is unknown, or the items do not match the
            template for this kind and these products.

    >>> from fieldservice import OrderKind, Product
    >>> c = Checklist.for_order(OrderKind.REPAIR, [Product.FIXED_LINE])
    >>> [(i.id, i.required) for i in c.items]  # doctest: +NORMALIZE_WHITESPACE
    [('S1', True), ('S2', True), ('S3', True), ('S5', True), ('L3', False),
     ('S7', True), ('W1', True), ('W2', True)]

    .. versionadded:: 0.1.0
    """

    kind: OrderKind = attrs.field(converter=_to_kind)
    products: tuple[Product, ...] = attrs.field(converter=_to_products)
    template_version: str = attrs.field(kw_only=True, converter=_template_version)
    items: tuple[ChecklistItem, ...] = attrs.field(kw_only=True, converter=_to_items)

    def __attrs_post_init__(self) -> None:
        entries = _entries(self.template_version, self.kind, self.products)
        if tuple(i.id for i in self.items) != tuple(e.spec.id for e in entries):
            msg = (
                f"the items do not match template {self.template_version} for a "
                f"{self.kind.value} of {', '.join(p.value for p in self.products)}; "
                "build the checklist with Checklist.for_order()"
            )
            raise InvalidInput(msg)
        for item, entry in zip(self.items, entries, strict=True):
            problem = _conforms(item, entry)
            if problem is not None:
                msg = f"{problem}; build the checklist with Checklist.for_order()"
                raise InvalidInput(msg)

    @classmethod
    def for_order(
        cls,
        kind: OrderKind | str,
        products: Iterable[Product | str],
        *,
        template_version: str = DEFAULT_TEMPLATE,
    ) -> Checklist:
        """Build the open checklist for an order of ``kind`` with ``products``.

        Installs and moves get S1-S7, W1 and W2, plus L1 when broadband is on the
        order; repairs get S1-S3, S5, S7, W1 and W2, plus L2 (optional until a
        missing label is reported) for broadband. Every kind has L3, optional
        until a terminal needing lightning protection is reported.

        Args:
            kind: An :class:`~fieldservice.model.OrderKind` or its value.
            products: The order's products (at least one).
            template_version: Which template to use; see :data:`TEMPLATE_VERSIONS`.

        Returns:
            A checklist with every item open.

        Raises:
            InvalidInput: Unknown kind, product or template version; no products.

        >>> from fieldservice import OrderKind, Product
        >>> c = Checklist.for_order("move", [Product.BROADBAND, Product.IPTV])
        >>> c.item("L1").label_zh
        'MODEM 上贴标签:宽带编号、上网用户名、初始密码'
        >>> Checklist.for_order("install", ["broadband"], template_version="1999.1")
        Traceback (most recent call last):
        ...
        fieldservice.errors.InvalidInput: unknown checklist template version; use one of '2026.1'
        """
        version = _template_version(template_version)
        kind = _to_kind(kind)
        chosen = _to_products(products)
        if cls is not Checklist:
            return cls._open(version, kind, chosen)  # the shared ones are of the class itself
        return _open_checklist(version, kind, chosen)

    @classmethod
    def _open(cls, version: str, kind: OrderKind, products: tuple[Product, ...]) -> Checklist:
        items = tuple(
            ChecklistItem(
                e.spec.id,
                rule=e.spec.rule,
                label_zh=e.spec.label_zh,
                label_en=e.spec.label_en,
                required=e.required,
            )
            for e in _entries(version, kind, products)
        )
        return cls(kind, products, template_version=version, items=items)

    def item(self, item_id: str) -> ChecklistItem:
        """Return the item with this ID, or the one item carrying this rule ID.

        Raises:
            InvalidInput: No item (or more than one) matches.

        >>> from fieldservice import OrderKind, Product
        >>> Checklist.for_order(OrderKind.INSTALL, [Product.FIXED_LINE]).item("S5").label_en
        'Test the product end to end after work'
        """
        return self.items[self._index(item_id)]

    def missing(self) -> tuple[ChecklistItem, ...]:
        """Return the required items still open: what blocks sign-off on the checklist's side.

        >>> from fieldservice import OrderKind, Product
        >>> c = Checklist.for_order(OrderKind.REPAIR, [Product.FIXED_LINE])
        >>> [i.id for i in c.missing()]
        ['S1', 'S2', 'S3', 'S5', 'S7', 'W1', 'W2']
        """
        return tuple(i for i in self.items if i.blocks_sign_off)

    def tick(
        self,
        item_id: str,
        *,
        by: str,
        at: dt.datetime,
        evidence: Mapping[str, EvidenceValue] | None = None,
        label: ModemLabel | None = None,
    ) -> Checklist:
        """Return a checklist with the item done, by whom, when, and with what proof.

        S5 needs ``evidence`` (the test's result); L1 and L2 need the ``label``
        stuck on the modem. Other items take optional evidence.

        Args:
            item_id: The item's ID or its rule ID (``"S5"``).
            by: The ID of the technician who did it.
            at: When, timezone-aware.
            evidence: What shows it was done, e.g. ``{"optical_power_dbm": -18.5}``.
            label: The modem label (L1, L2).

        Returns:
            A new checklist; this one is unchanged.

        Raises:
            InvalidInput: Unknown item, item already resolved, naive ``at``, bad
                ``by``, or missing proof; ``violations`` name the rule.

        >>> import pendulum
        >>> from fieldservice import OrderKind, Product
        >>> at = pendulum.datetime(2026, 11, 26, 15, tz="Asia/Shanghai")
        >>> c = Checklist.for_order(OrderKind.INSTALL, [Product.FIXED_LINE])
        >>> c.tick("S5", by="T7", at=at, evidence={"dial_tone": True}).item("S5").evidence
        mappingproxy({'dial_tone': True})
        >>> c.tick("S5", by="T7", at=at)
        Traceback (most recent call last):
        ...
        fieldservice.errors.InvalidInput: S5 cannot be ticked; ... ([S5/evidence_missing] ...)
        """
        index = self._index(item_id)
        return self._tick(index, _by(by), _at(at), evidence, label)

    def _tick(
        self,
        index: int,
        who: str,
        when: pendulum.DateTime,
        evidence: Mapping[str, EvidenceValue] | None,
        label: ModemLabel | None,
    ) -> Checklist:
        """:meth:`tick` once the item is found and ``by`` and ``at`` are checked.

        The workflow has checked both for the command's event; the proof is
        checked here, against the item's rule.
        """
        item = self.items[index]
        proof, stuck = _to_evidence(evidence), _optional_label(label)
        self._ensure_open(item)
        spec = self._spec(item)
        problems = _PROOF_CHECKS[spec.proof](spec, proof, stuck)
        if problems:
            msg = f"{item.id} cannot be ticked; give what its rule asks for"
            raise InvalidInput(msg, violations=problems)
        done = _validate.checked_copy(
            item,
            {"status": ItemStatus.DONE, "by": who, "at": when, "evidence": proof, "label": stuck},
        )
        return self._with(index, done)

    def mark_not_applicable(
        self, item_id: str, *, by: str, at: dt.datetime, reason: str
    ) -> Checklist:
        """Return a checklist with the item marked not applicable, with the reason why.

        S1, S3, S5, W1 and W2 apply to every visit and cannot be marked so.

        Args:
            item_id: The item's ID or its rule ID.
            by: The ID of the technician who decided.
            at: When, timezone-aware.
            reason: Why the step does not apply (required).

        Raises:
            InvalidInput: Unknown or resolved item, an item that always applies,
                or no reason.

        >>> import pendulum
        >>> from fieldservice import OrderKind, Product
        >>> at = pendulum.datetime(2026, 11, 26, 15, tz="Asia/Shanghai")
        >>> c = Checklist.for_order(OrderKind.MOVE, [Product.FIXED_LINE])
        >>> c.mark_not_applicable("S4", by="T7", at=at, reason="沿用原有布线").item("S4").status
        <ItemStatus.NOT_APPLICABLE: 'not_applicable'>
        """
        index = self._index(item_id)
        item = self.items[index]
        who, when, why = _by(by), _at(at), _reason(reason)
        self._ensure_open(item)
        if not self._spec(item).waivable:
            msg = f"{item.id} applies to every visit; tick it instead"
            raise InvalidInput(
                msg, violations=(Violation(item.rule, "not_waivable", f"{item.id} always applies"),)
            )
        waived = _validate.checked_copy(
            item, {"status": ItemStatus.NOT_APPLICABLE, "by": who, "at": when, "reason": why}
        )
        return self._with(index, waived)

    def decline(self, item_id: str, *, by: str, at: dt.datetime, reason: str) -> Checklist:
        """Return a checklist recording that the customer declined the step.

        Only steps the standard lets the customer decline: shoe covers (S2, the
        card's step 7) and labels (L1-L3, under L4: explain why the label is
        needed and give the hotline for later help).

        Args:
            item_id: The item's ID or its rule ID.
            by: The ID of the technician who records it.
            at: When, timezone-aware.
            reason: What the customer said (required).

        Raises:
            InvalidInput: Unknown or resolved item, a step that cannot be
                declined, or no reason.

        >>> import pendulum
        >>> from fieldservice import OrderKind, Product
        >>> at = pendulum.datetime(2026, 11, 26, 15, tz="Asia/Shanghai")
        >>> c = Checklist.for_order(OrderKind.INSTALL, [Product.BROADBAND])
        >>> c = c.decline("L1", by="T7", at=at, reason="用户赶时间,已告知10000热线")
        >>> c.item("L1").status.label_zh, [i.id for i in c.missing()][:3]
        ('客户拒绝', ['S1', 'S2', 'S3'])
        """
        index = self._index(item_id)
        item = self.items[index]
        who, when, why = _by(by), _at(at), _reason(reason)
        self._ensure_open(item)
        if self._spec(item).declinable_under is None:
            msg = (
                f"the customer cannot decline {item.id}; "
                "only shoe covers (S2) and labels (L4) may be declined"
            )
            raise InvalidInput(
                msg,
                violations=(
                    Violation(item.rule, "not_declinable", f"{item.id} cannot be declined"),
                ),
            )
        declined = _validate.checked_copy(
            item, {"status": ItemStatus.DECLINED, "by": who, "at": when, "reason": why}
        )
        return self._with(index, declined)

    def report_finding(self, finding: Finding | str) -> Checklist:
        """Return a checklist in which the step the finding calls for is required.

        A repair that finds no modem label makes L2 required; a terminal that
        needs lightning protection makes L3 required. Reporting twice is harmless.

        Raises:
            InvalidInput: No item on this checklist answers the finding, or that
                item was marked not applicable.

        >>> from fieldservice import OrderKind, Product
        >>> c = Checklist.for_order(OrderKind.REPAIR, [Product.BROADBAND])
        >>> c.item("L2").required, c.report_finding("label_missing").item("L2").required
        (False, True)
        """
        found = _validate.enum_member(Finding, "finding", finding)
        matches = [n for n, i in enumerate(self.items) if self._spec(i).raised_by is found]
        if not matches:
            msg = (
                f"no item on this {self.kind.value} checklist answers {found.value}; "
                "a missing modem label is added on broadband repairs only"
            )
            raise InvalidInput(msg)
        index = matches[0]
        item = self.items[index]
        if item.status is ItemStatus.NOT_APPLICABLE:
            msg = f"{item.id} was marked not applicable; the finding contradicts it"
            raise InvalidInput(
                msg,
                violations=(
                    Violation(item.rule, "contradicts_not_applicable", f"{item.id} was waived"),
                ),
            )
        return self._with(index, _validate.checked_copy(item, {"required": True}))

    def to_dict(self, *, include_secret: bool = False) -> dict[str, Any]:
        """Return the checklist as JSON-ready data.

        Args:
            include_secret: Write the modem label's password in clear; without
                it the password is ``None`` and :meth:`from_dict` refuses the data.

        >>> from fieldservice import OrderKind, Product
        >>> d = Checklist.for_order(OrderKind.INSTALL, [Product.BROADBAND]).to_dict()
        >>> d["template_version"], d["kind"], d["products"], len(d["items"])
        ('2026.1', 'install', ['broadband'], 11)
        """
        return self._data(_form(include_secret))

    def _data(self, form: _Form) -> dict[str, Any]:
        return {
            "template_version": self.template_version,
            "kind": self.kind.value,
            "products": [p.value for p in self.products],
            "items": [i._data(form) for i in self.items],
        }

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> Checklist:
        """Rebuild a checklist from ``to_dict(include_secret=True)`` output, exactly.

        Raises:
            InvalidInput: The data is malformed, does not match its template, or
                holds a masked modem label.

        >>> from fieldservice import OrderKind, Product
        >>> c = Checklist.for_order(OrderKind.REPAIR, [Product.BROADBAND])
        >>> Checklist.from_dict(c.to_dict(include_secret=True)) == c
        True
        """
        data = _object(value, "checklist", ("template_version", "kind", "products", "items"))
        items = tuple(ChecklistItem.from_dict(i) for i in _array(data["items"], "checklist items"))
        return cls(
            data["kind"],
            _array(data["products"], "checklist products"),
            template_version=data["template_version"],
            items=items,
        )

    def _index(self, item_id: str) -> int:
        for n, i in enumerate(self.items):
            if i.id == item_id:  # a template's IDs are unique
                return n
        by_rule = [n for n, i in enumerate(self.items) if i.rule == item_id]
        if len(by_rule) == 1:
            return by_rule[0]
        have = ", ".join(i.id for i in self.items)
        # Echo only what looks like an item ID: anything else may be personal text (G1).
        shown = (
            repr(item_id)
            if isinstance(item_id, str) and _SHOWN_ID.fullmatch(item_id)
            else "of that ID"
        )
        msg = f"no single item {shown} on this checklist; it has {have}"
        raise InvalidInput(msg)

    def _spec(self, item: ChecklistItem) -> _ItemSpec:
        return _SPECS[self.template_version, self.kind][item.id]

    @staticmethod
    def _ensure_open(item: ChecklistItem) -> None:
        if not item.is_open:
            msg = f"{item.id} is already {item.status.label_en}; an item is resolved once"
            raise InvalidInput(
                msg,
                violations=(Violation(item.rule, "item_closed", f"{item.id} is resolved"),),
            )

    def _with(self, index: int, item: ChecklistItem) -> Checklist:
        # The callers checked ``item`` against its step: the rest still matches the template.
        items = (*self.items[:index], item, *self.items[index + 1 :])
        return _validate.checked_copy(self, {"items": items})


@functools.cache
def _open_checklist(version: str, kind: OrderKind, products: tuple[Product, ...]) -> Checklist:
    # A checklist is immutable, so every order of the same kind and products can
    # start from the one built (and checked against its template) the first time.
    return Checklist._open(version, kind, products)


# --- the work sheet (施工单, W1) ---------------------------------------------------------

_MAX_QUANTITY: Final = decimal.Decimal(1_000_000)
_QUANTITY_PLACES: Final = 4


def _quantity(value: object) -> decimal.Decimal:
    hint = f"a positive number up to {_MAX_QUANTITY} with at most {_QUANTITY_PLACES} decimals"
    if isinstance(value, bool) or not isinstance(value, int | float | str | decimal.Decimal):
        msg = f"material quantity must be {hint} (got {type(value).__name__})"
        raise InvalidInput(msg)
    try:
        # A float goes through its shortest repr, so 0.1 stays 0.1.
        number = decimal.Decimal(repr(value) if isinstance(value, float) else value)
    except (decimal.InvalidOperation, ValueError):
        msg = f"material quantity must be {hint}"
        raise InvalidInput(msg) from None
    if not number.is_finite() or not 0 < number <= _MAX_QUANTITY:
        msg = f"material quantity must be {hint}"
        raise InvalidInput(msg)
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -_QUANTITY_PLACES:
        msg = f"material quantity must be {hint}"
        raise InvalidInput(msg)
    # One written form per value, so that equal sheets have equal digests.
    return decimal.Decimal(format(number.normalize(), "f"))


def _material_name(value: object) -> str:
    return _text("material name", value, max_length=100)


def _unit(value: object) -> str:
    return _text("unit", value, max_length=20)


def _optional_unit(value: object) -> str:
    return "" if value == "" else _unit(value)


def _parameter_name(value: object) -> str:
    return _text("parameter name", value, max_length=100)


def _parameter_value(value: object) -> str:
    return _text("parameter value", value, max_length=200)


@attrs.frozen
class Material:
    """A material used on the visit, as the work sheet lists it (W1).

    Args:
        name: What was used (皮线光缆, 水晶头, ...).
        quantity: How much: an int, a decimal text or a :class:`decimal.Decimal`,
            positive, with at most 4 decimals.
        unit: The unit (m, 个, ...).

    Raises:
        InvalidInput: Empty name or unit, or a quantity out of range.

    >>> Material("皮线光缆", "20.50", "m")
    Material(name='皮线光缆', quantity=Decimal('20.5'), unit='m')

    .. versionadded:: 0.1.0
    """

    name: str = attrs.field(converter=_material_name)
    quantity: decimal.Decimal = attrs.field(converter=_quantity)
    unit: str = attrs.field(converter=_unit)

    def to_dict(self) -> dict[str, Any]:
        """Return the material as JSON-ready data; the quantity is decimal text.

        >>> Material("水晶头", 2, "个").to_dict()
        {'name': '水晶头', 'quantity': '2', 'unit': '个'}
        """
        return {"name": self.name, "quantity": format(self.quantity, "f"), "unit": self.unit}

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> Material:
        """Rebuild a material from :meth:`to_dict` output.

        >>> Material.from_dict({"name": "水晶头", "quantity": "2", "unit": "个"}).quantity
        Decimal('2')
        """
        data = _object(value, "material", ("name", "quantity", "unit"))
        return cls(data["name"], data["quantity"], data["unit"])


@attrs.frozen
class TechnicalParameter:
    """A technical parameter recorded on the work sheet (W1), as read on site.

    Args:
        name: What was measured or set (收光功率, VLAN, ...).
        value: The value as written, e.g. ``"-18.5"``.
        unit: The unit, or ``""`` for none.

    >>> TechnicalParameter("收光功率", "-18.5", "dBm")
    TechnicalParameter(name='收光功率', value='-18.5', unit='dBm')

    .. versionadded:: 0.1.0
    """

    name: str = attrs.field(converter=_parameter_name)
    value: str = attrs.field(converter=_parameter_value)
    unit: str = attrs.field(default="", converter=_optional_unit)

    def to_dict(self) -> dict[str, Any]:
        """Return the parameter as JSON-ready data.

        >>> TechnicalParameter("VLAN", "100").to_dict()
        {'name': 'VLAN', 'value': '100', 'unit': ''}
        """
        return {"name": self.name, "value": self.value, "unit": self.unit}

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> TechnicalParameter:
        """Rebuild a parameter from :meth:`to_dict` output.

        >>> TechnicalParameter.from_dict({"name": "VLAN", "value": "100", "unit": ""}).value
        '100'
        """
        data = _object(value, "technical parameter", ("name", "value", "unit"))
        return cls(data["name"], data["value"], data["unit"])


def _satisfied(value: object) -> bool:
    return _flag("satisfied", value)


def _optional_action(value: object) -> str | None:
    return None if value is None else _text("action", value, max_length=500, multiline=True)


@attrs.frozen
class CustomerOpinion:
    """The customer's opinion asked for on the work sheet (W2), and what was done about it (W3).

    A dissatisfied customer's opinion needs the remedy (resolved on the spot,
    or explained) and what was done; a satisfied one has neither.

    Args:
        satisfied: Whether the customer is satisfied (满意 / 不满意).
        remedy: For a dissatisfied customer: :class:`Remedy` or its value.
        action: For a dissatisfied customer: what was done or explained.

    Raises:
        InvalidInput: The remedy or action is missing for a dissatisfied
            customer, or given for a satisfied one; ``violations`` name W3.

    >>> CustomerOpinion(satisfied=False, remedy="resolved", action="重新整理了走线").remedy
    <Remedy.RESOLVED: 'resolved'>
    >>> CustomerOpinion(satisfied=False)
    Traceback (most recent call last):
    ...
    fieldservice.errors.InvalidInput: a dissatisfied customer's opinion needs ... ([W3/outcome_missing] ...)

    .. versionadded:: 0.1.0
    """

    satisfied: bool = attrs.field(converter=_satisfied)
    remedy: Remedy | None = attrs.field(kw_only=True, default=None, converter=_to_remedy)
    action: str | None = attrs.field(kw_only=True, default=None, converter=_optional_action)

    def __attrs_post_init__(self) -> None:
        outcome = (self.remedy is not None, self.action is not None)
        if not self.satisfied and outcome != (True, True):
            msg = (
                "a dissatisfied customer's opinion needs the remedy (resolved or explained) "
                "and what was done"
            )
            raise InvalidInput(
                msg,
                violations=(
                    Violation("W3", "outcome_missing", "record how the dissatisfaction was met"),
                ),
            )
        if self.satisfied and any(outcome):
            msg = "a satisfied customer's opinion has no remedy or action; leave them out"
            raise InvalidInput(msg)

    def to_dict(self) -> dict[str, Any]:
        """Return the opinion as JSON-ready data.

        >>> CustomerOpinion(satisfied=True).to_dict()
        {'satisfied': True, 'remedy': None, 'action': None}
        """
        return {
            "satisfied": self.satisfied,
            "remedy": None if self.remedy is None else self.remedy.value,
            "action": self.action,
        }

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> CustomerOpinion:
        """Rebuild an opinion from :meth:`to_dict` output.

        >>> CustomerOpinion.from_dict({"satisfied": True, "remedy": None, "action": None})
        CustomerOpinion(satisfied=True, remedy=None, action=None)
        """
        data = _object(value, "customer opinion", ("satisfied", "remedy", "action"))
        return cls(data["satisfied"], remedy=data["remedy"], action=data["action"])


def _to_technicians(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        msg = "technicians must be a sequence of technician IDs such as ['T7']"
        raise InvalidInput(msg)
    ids = tuple(_validate.identifier("technician id", t) for t in value)
    if len(set(ids)) != len(ids):
        msg = "technicians lists an ID twice; give each technician once"
        raise InvalidInput(msg)
    return ids


def _to_materials(value: object) -> tuple[Material, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(m, Material) for m in value):
        msg = "materials must be a sequence of Material"
        raise InvalidInput(msg)
    return tuple(value)


def _to_parameters(value: object) -> tuple[TechnicalParameter, ...]:
    if not isinstance(value, list | tuple) or not all(
        isinstance(p, TechnicalParameter) for p in value
    ):
        msg = "parameters must be a sequence of TechnicalParameter"
        raise InvalidInput(msg)
    return tuple(value)


def _optional_opinion(value: object) -> CustomerOpinion | None:
    if value is None or isinstance(value, CustomerOpinion):
        return value
    msg = f"opinion must be a CustomerOpinion (got {type(value).__name__})"
    raise InvalidInput(msg)


@attrs.frozen
class WorkSheet:
    """The work sheet (施工单) filled in on the spot (W1) and signed by the customer (W2).

    Args:
        technicians: The IDs of the technicians who did the work.
        materials: What was used (:class:`Material`).
        parameters: What was measured or set (:class:`TechnicalParameter`).
        opinion: The customer's opinion (:class:`CustomerOpinion`), once asked.

    Raises:
        InvalidInput: A field is malformed, or a technician is listed twice.

    >>> sheet = WorkSheet(technicians=["T7"]).add_material("皮线光缆", "20", "m")
    >>> sheet = sheet.add_parameter("收光功率", "-18.5", "dBm")
    >>> sheet.materials[0].quantity, sheet.opinion is None
    (Decimal('20'), True)

    .. versionadded:: 0.1.0
    """

    technicians: tuple[str, ...] = attrs.field(kw_only=True, default=(), converter=_to_technicians)
    materials: tuple[Material, ...] = attrs.field(kw_only=True, default=(), converter=_to_materials)
    parameters: tuple[TechnicalParameter, ...] = attrs.field(
        kw_only=True, default=(), converter=_to_parameters
    )
    opinion: CustomerOpinion | None = attrs.field(
        kw_only=True, default=None, converter=_optional_opinion
    )

    def add_material(
        self, name: str, quantity: int | str | decimal.Decimal, unit: str
    ) -> WorkSheet:
        """Return a sheet with one more material.

        >>> WorkSheet().add_material("水晶头", 2, "个").materials
        (Material(name='水晶头', quantity=Decimal('2'), unit='个'),)
        """
        return attrs.evolve(self, materials=(*self.materials, Material(name, quantity, unit)))

    def add_parameter(self, name: str, value: str, unit: str = "") -> WorkSheet:
        """Return a sheet with one more technical parameter.

        >>> WorkSheet().add_parameter("VLAN", "100").parameters[0].name
        'VLAN'
        """
        return attrs.evolve(
            self, parameters=(*self.parameters, TechnicalParameter(name, value, unit))
        )

    def with_opinion(self, opinion: CustomerOpinion) -> WorkSheet:
        """Return a sheet with the customer's opinion recorded (W2, W3).

        >>> WorkSheet().with_opinion(CustomerOpinion(satisfied=True)).opinion.satisfied
        True
        """
        return attrs.evolve(self, opinion=opinion)

    def to_dict(self) -> dict[str, Any]:
        """Return the sheet as JSON-ready data.

        >>> WorkSheet(technicians=["T7"]).to_dict()
        {'technicians': ['T7'], 'materials': [], 'parameters': [], 'opinion': None}
        """
        return {
            "technicians": list(self.technicians),
            "materials": [m.to_dict() for m in self.materials],
            "parameters": [p.to_dict() for p in self.parameters],
            "opinion": None if self.opinion is None else self.opinion.to_dict(),
        }

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> WorkSheet:
        """Rebuild a sheet from :meth:`to_dict` output, exactly.

        Raises:
            InvalidInput: A key is missing or unknown, or a value is wrong.

        >>> sheet = WorkSheet(technicians=["T7"]).add_material("水晶头", 2, "个")
        >>> WorkSheet.from_dict(sheet.to_dict()) == sheet
        True
        """
        data = _object(value, "work sheet", ("technicians", "materials", "parameters", "opinion"))
        opinion = data["opinion"]
        return cls(
            technicians=_array(data["technicians"], "work sheet technicians"),
            materials=[Material.from_dict(m) for m in _array(data["materials"], "materials")],
            parameters=[
                TechnicalParameter.from_dict(p) for p in _array(data["parameters"], "parameters")
            ],
            opinion=None if opinion is None else CustomerOpinion.from_dict(opinion),
        )


# --- sign-off (W2) -------------------------------------------------------------------------


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
    payload = {
        "checklist": checklist._data(_CANONICAL_FORM),
        "worksheet": worksheet.to_dict(),
        "signature": {
            "signer": signer.reveal(),
            "role": role.value,
            "at": _stamp(at, _CANONICAL_FORM),
        },
    }
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


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
    at: pendulum.DateTime = attrs.field(converter=_at, eq=_instant)
    digest: str = attrs.field(kw_only=True, converter=_digest)

    def verify(self, checklist: Checklist, worksheet: WorkSheet) -> bool:
        """Return whether ``checklist`` and ``worksheet`` are exactly what was signed.

        Raises:
            InvalidInput: ``checklist`` or ``worksheet`` is of the wrong type.

        >>> import pendulum
        >>> from fieldservice import OrderKind, Product
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
            "at": _stamp(self.at, _CLEAR_FORM),
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
        data = _object(value, "signature", ("signer", "role", "at", "digest"))
        if data["signer"] is None:
            msg = (
                "the signature was written without the signer's name; write it with "
                "to_dict(include_personal=True) to restore it"
            )
            raise InvalidInput(msg)
        return cls(
            data["signer"],
            data["role"],
            _parse_at(data["at"], "signature at"),
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
    >>> at = pendulum.datetime(2026, 11, 26, 15, tz="Asia/Shanghai")
    >>> c = Checklist.for_order(OrderKind.REPAIR, [Product.FIXED_LINE])
    >>> sheet = WorkSheet(technicians=["T7"], opinion=CustomerOpinion(satisfied=True))
    >>> for i in c.missing():
    ...     if i.id != "S5":
    ...         c = c.tick(i.id, by="T7", at=at)
    >>> sign_off(c, sheet, signer="张三", role="customer", at=at)
    Traceback (most recent call last):
    ...
    fieldservice.errors.ChecklistIncomplete: sign-off is blocked: S5 ([S5/item_open] ...)

    .. versionadded:: 0.1.0
    """
    _ensure_types(checklist, worksheet)
    who, as_role, when = _to_signer(signer), _to_role(role), _at(at)
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
    text = _canonical_text(checklist, worksheet, who, as_role, when)
    return Signature(who, as_role, when, digest=_sha256(text))


# --- before leaving (T1, O2) ----------------------------------------------------------------


def _kit_text(value: object) -> str:
    return _text("kit label", value, max_length=120)


@attrs.frozen
class KitItem:
    """Something to carry on the visit, and the rule that asks for it (T1, O2, L1, L2, K3).

    >>> KitItem("K3", "留言条", "message notes")
    KitItem(rule='K3', label_zh='留言条', label_en='message notes')

    .. versionadded:: 0.1.0
    """

    rule: str = attrs.field(converter=_rule)
    label_zh: str = attrs.field(converter=_kit_text)
    label_en: str = attrs.field(converter=_kit_text)

    def to_dict(self) -> dict[str, Any]:
        """Return the kit item as JSON-ready data.

        >>> KitItem("O2", "收费发票", "invoice").to_dict()
        {'rule': 'O2', 'label_zh': '收费发票', 'label_en': 'invoice'}
        """
        return {"rule": self.rule, "label_zh": self.label_zh, "label_en": self.label_en}

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> KitItem:
        """Rebuild a kit item from :meth:`to_dict` output.

        >>> KitItem.from_dict({"rule": "O2", "label_zh": "收费发票", "label_en": "invoice"}).rule
        'O2'
        """
        data = _object(value, "kit item", ("rule", "label_zh", "label_en"))
        return cls(data["rule"], data["label_zh"], data["label_en"])


@attrs.frozen
class _KitOrder:
    """What of an order decides the kit."""

    kind: OrderKind
    products: frozenset[Product]
    charges: bool
    agreement: bool


_NEW_LINE_KINDS: Final = frozenset({OrderKind.INSTALL, OrderKind.MOVE})


def _always(_: _KitOrder) -> bool:
    return True


def _with_charges(order: _KitOrder) -> bool:
    return order.charges


def _with_agreement(order: _KitOrder) -> bool:
    return order.agreement


def _broadband_new_line(order: _KitOrder) -> bool:
    return Product.BROADBAND in order.products and order.kind in _NEW_LINE_KINDS


def _broadband_repair(order: _KitOrder) -> bool:
    return Product.BROADBAND in order.products and order.kind is OrderKind.REPAIR


# The guidance card's steps 2, 4 and 5: what to check before leaving.
_KIT: Final[tuple[tuple[KitItem, Callable[[_KitOrder], bool]], ...]] = (
    (KitItem("T1", "工具包", "tool kit"), _always),
    (KitItem("T1", "施工材料、修障备件、附件", "materials, spares and accessories"), _always),
    (KitItem("T1", "意见征询函", "customer opinion forms"), _always),
    (KitItem("T1", "客户使用手册", "user manuals"), _always),
    (KitItem("K3", "留言条", "message notes"), _always),
    (KitItem("O2", "收费发票", "invoice"), _with_charges),
    (KitItem("O2", "协议资料", "agreement papers"), _with_agreement),
    (KitItem("L1", "MODEM 标签", "modem label stickers"), _broadband_new_line),
    # A repair that finds the label missing adds it (L2), so the stickers travel too.
    (KitItem("L2", "MODEM 标签", "modem label stickers"), _broadband_repair),
)


def _gift(value: object) -> KitItem:
    name = _text("gift", value, max_length=100)
    return KitItem("T1", f"赠品:{name}", f"gift: {name}")


def kit_list(
    kind: OrderKind | str,
    products: Iterable[Product | str],
    *,
    charges: bool = False,
    agreement: bool = False,
    gifts: Iterable[str] = (),
) -> tuple[KitItem, ...]:
    """Return what to carry on the visit, checked before leaving (T1, O2).

    Always: tools, materials and spares, opinion forms, user manuals and message
    notes (留言条, for a customer who is out, K3). An invoice for an order with
    charges and agreement papers for one with an agreement (O2); modem label
    stickers for broadband (L1 on installs and moves, L2 on repairs); and each
    gift the order names.

    Args:
        kind: The order's kind.
        products: The order's products.
        charges: Whether the order carries charges (收费工单).
        agreement: Whether an agreement is to be signed (签订协议).
        gifts: The gifts the order names.

    Raises:
        InvalidInput: Unknown kind or product, no products, or a bad gift name.

    >>> [k.label_zh for k in kit_list("install", ["broadband"], charges=True, gifts=["路由器"])]
    ['工具包', '施工材料、修障备件、附件', '意见征询函', '客户使用手册', '留言条', '收费发票', 'MODEM 标签', '赠品:路由器']

    .. versionadded:: 0.1.0
    """
    if isinstance(gifts, str) or not isinstance(gifts, Iterable):
        msg = "gifts must be a sequence of names such as ['路由器']"
        raise InvalidInput(msg)
    order = _KitOrder(
        _to_kind(kind),
        frozenset(_to_products(products)),
        _flag("charges", charges),
        _flag("agreement", agreement),
    )
    carried = tuple(item for item, wanted in _KIT if wanted(order))
    return carried + tuple(_gift(g) for g in gifts)

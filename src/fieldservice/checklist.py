"""The completion checklist: its items, their templates, and how they are ticked.

A home visit ends when the customer signs (W2). Before that, every required
step of the guidance card's on-site part is ticked on a :class:`Checklist`:
introduce yourself (S1), shoe covers (S2), explain the service boundary (S3),
consent for wiring (S4), the end-to-end test (S5), demo and manual (S6),
restore and clean (S7), the labels (L1-L3), the work sheet (W1) and the
customer's opinion (W2). The :class:`~fieldservice.worksheet.WorkSheet` records materials, technical
parameters, technicians and the opinion; :func:`~fieldservice.signoff.sign_off` refuses while
anything blocks and otherwise returns a :class:`~fieldservice.signoff.Signature` whose digest
:meth:`~fieldservice.signoff.Signature.verify` checks later. :func:`~fieldservice.kit.kit_list` says what to carry
before leaving (T1, O2).

Everything here is an immutable value: each command returns a new object and
a refused command raises a coded :class:`~fieldservice.errors.FieldServiceError`.
The modem label's password is a :class:`~fieldservice.model.Secret`, masked everywhere unless asked
for (G1).

>>> import pendulum
>>> from fieldservice import OrderKind, Product
>>> from fieldservice.checklist import Checklist
>>> from fieldservice.modemlabel import ModemLabel
>>> from fieldservice.worksheet import CustomerOpinion, WorkSheet
>>> from fieldservice.signoff import sign_off
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
import functools
import importlib
import re
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, TypeAlias

import attrs
import pendulum

from fieldservice import _jsondata, _labels, _validate
from fieldservice._frozen import FrozenMap
from fieldservice.errors import InvalidInput, Violation
from fieldservice.model import FreeText, OrderKind, Product, Secret
from fieldservice.modemlabel import ModemLabel

__all__ = [
    "DEFAULT_TEMPLATE",
    "TEMPLATE_VERSIONS",
    "Checklist",
    "ChecklistItem",
    "EvidenceValue",
    "Finding",
    "ItemStatus",
    "Secret",
]


EvidenceValue: TypeAlias = str | int | float | bool
"""The type of one value of a tick's evidence, such as a measurement, a reading or a yes/no."""


class ItemStatus(_labels.Labelled):
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


class Finding(_labels.Labelled):
    """Something the technician finds on site that makes an optional item required.

    >>> Finding.LABEL_MISSING.label_zh
    '维修时发现无标签'

    .. versionadded:: 0.1.0
    """

    LABEL_MISSING = "label_missing"
    LIGHTNING_PROTECTION = "lightning_protection"


_labels.add_labels(
    {
        ItemStatus.OPEN: ("待办", "open"),
        ItemStatus.DONE: ("已完成", "done"),
        ItemStatus.NOT_APPLICABLE: ("不适用", "not applicable"),
        ItemStatus.DECLINED: ("客户拒绝", "declined by the customer"),
        Finding.LABEL_MISSING: ("维修时发现无标签", "no modem label found on a repair"),
        Finding.LIGHTNING_PROTECTION: ("终端设备须防雷", "terminal needs lightning protection"),
    }
)


def _item_id(value: object) -> str:
    return _validate.identifier("checklist item id", value)


def _label_zh(value: object) -> str:
    return _jsondata.text("label_zh", value)


def _label_en(value: object) -> str:
    return _jsondata.text("label_en", value)


def _required(value: object) -> bool:
    return _jsondata.flag("required", value)


def _to_status(value: object) -> ItemStatus:
    return _validate.enum_member(ItemStatus, "item status", value)


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
    if isinstance(value, str) or _jsondata.is_masked_form(value):
        # Text a technician typed is words staff write: personal (G1), masked when shown.
        # A mapping is the masked form of an export, read as withheld.
        return _jsondata.words(f"evidence {key}", value)
    msg = f"evidence {key} must be text, a number or True/False (got {type(value).__name__})"
    raise InvalidInput(msg)


def _to_evidence(value: object) -> Mapping[str, EvidenceValue]:
    if value is None:
        return _NO_EVIDENCE  # most ticks carry none: one shared, read-only empty mapping
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
    # A FrozenMap, not a mappingproxy: an order holding evidence must pickle and deep-copy.
    return FrozenMap(frozen)


_NO_EVIDENCE: Final[Mapping[str, EvidenceValue]] = FrozenMap({})


def _key_text(pair: tuple[object, object]) -> str:
    return str(pair[0])


def _evidence_repr(value: Mapping[str, EvidenceValue]) -> str:
    # A key that may hold a phone (a log written before commands refused one) is not shown.
    return repr(_validate.keys_shown(value))


def refuse_phone_keys(evidence: Mapping[Any, object]) -> None:
    """Refuse evidence keys that may hold a phone number, as a command takes them (G1).

    A key is written in clear in the log and its exports: ``callback-13800138000``
    would carry the number everywhere. Measurement names with shorter numbers
    (``download_mbps_1000``) are keys like any other; a log read back keeps its keys.

    >>> refuse_phone_keys({"optical_power_dbm": -18.5, "speedtest_20261124": 1})
    >>> refuse_phone_keys({"callback-13800138000": 1})
    Traceback (most recent call last):
    ...
    fieldservice.errors.InvalidInput: an evidence key may not hold a phone number (G1); ...
    """
    for key in evidence:
        if isinstance(key, str) and _validate.hides_id(key):
            msg = (
                "an evidence key may not hold a phone number (G1); name the measurement, "
                "e.g. 'optical_power_dbm', and keep numbers in the values"
            )
            raise InvalidInput(msg)


def _optional_label(value: object) -> ModemLabel | None:
    if value is None or isinstance(value, ModemLabel):
        return value
    msg = f"label must be a ModemLabel (got {type(value).__name__})"
    raise InvalidInput(msg)


class _Proof(_labels.IdentityEnum):
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
    # A step every new install keeps (L1, 新装须贴标签): declined under its rule, never
    # "not applicable". A move's modem already carries its label.
    kept_on_installs: bool = False
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
    kept_on_installs=True,
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
    rule: str = attrs.field(kw_only=True, converter=_jsondata.rule)
    label_zh: str = attrs.field(kw_only=True, converter=_label_zh)
    label_en: str = attrs.field(kw_only=True, converter=_label_en)
    required: bool = attrs.field(kw_only=True, converter=_required)
    status: ItemStatus = attrs.field(kw_only=True, default=ItemStatus.OPEN, converter=_to_status)
    by: str | None = attrs.field(
        kw_only=True, default=None, converter=_jsondata.optional_by, repr=_validate.staff_repr
    )
    at: pendulum.DateTime | None = attrs.field(
        kw_only=True, default=None, converter=_jsondata.optional_at, eq=_jsondata.instant
    )
    evidence: Mapping[str, EvidenceValue] = attrs.field(
        kw_only=True, factory=dict, converter=_to_evidence, repr=_evidence_repr
    )
    reason: FreeText | None = attrs.field(
        kw_only=True, default=None, converter=_jsondata.optional_reason
    )
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

    def to_dict(
        self, *, include_personal: bool = False, include_secret: bool | None = None
    ) -> dict[str, Any]:
        """Return the item as JSON-ready data (``at`` as ISO 8601 with its offset).

        Args:
            include_personal: Write a modem label's password in clear.
            include_secret: The old spelling of ``include_personal``: deprecated.

        >>> ChecklistItem("S7", rule="S7", label_zh="清理现场", label_en="Clean up",
        ...               required=True).to_dict()["status"]
        'open'
        """
        return self._data(_jsondata.form_of(include_personal, include_secret))

    def _data(self, form: _jsondata.Form) -> dict[str, Any]:
        return {
            "id": self.id,
            "rule": self.rule,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "required": self.required,
            "status": self.status.value,
            "by": self.by,
            "at": _jsondata.stamp(self.at, form),
            "evidence": _jsondata.evidence(self.evidence, form),
            "reason": None if self.reason is None else _jsondata.free_text(self.reason, form),
            "label": None if self.label is None else self.label.data_as(form),
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
        data = _jsondata.json_object(value, "checklist item", _ITEM_KEYS)
        label = data["label"]
        return cls(
            data["id"],
            rule=data["rule"],
            label_zh=data["label_zh"],
            label_en=data["label_en"],
            required=data["required"],
            status=data["status"],
            by=data["by"],
            at=_jsondata.parse_at(data["at"], "checklist item at"),
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
    :func:`~fieldservice.signoff.sign_off`.

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

    kind: OrderKind = attrs.field(converter=_jsondata.to_kind)
    products: tuple[Product, ...] = attrs.field(converter=_jsondata.to_products)
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
        kind = _jsondata.to_kind(kind)
        chosen = _jsondata.to_products(products)
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
        return self.items[self.index_of(item_id)]

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
        FrozenMap({'dial_tone': True})
        >>> c.tick("S5", by="T7", at=at)
        Traceback (most recent call last):
        ...
        fieldservice.errors.InvalidInput: S5 cannot be ticked; ... ([S5/evidence_missing] ...)
        """
        index = self.index_of(item_id)
        if isinstance(evidence, Mapping):
            refuse_phone_keys(evidence)
        return self.tick_checked(index, _jsondata.by(by), _jsondata.at(at), evidence, label)

    def tick_checked(
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

        :meta private:
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

        S1, S3, S5, W1 and W2 apply to every visit and cannot be marked so, nor L1
        on a new install: a customer who will not have the label declines it (L4).

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
        >>> new = Checklist.for_order(OrderKind.INSTALL, [Product.BROADBAND])
        >>> new.mark_not_applicable("L1", by="T7", at=at, reason="用户赶时间")
        Traceback (most recent call last):
        ...
        fieldservice.errors.InvalidInput: L1 applies to every new install; ... ([L1/not_waivable] ...)
        """
        index = self.index_of(item_id)
        item = self.items[index]
        who, when, why = _jsondata.by(by), _jsondata.at(at), _jsondata.reason(reason)
        if self._spec(item).kept_on_installs and self.kind is OrderKind.INSTALL:
            self._ensure_open(item)
            text = f"{item.id} applies to every new install"
            msg = (
                f"{text}; tick it, or record that the customer declined it "
                "with the hotline told (L4)"
            )
            raise InvalidInput(msg, violations=(Violation(item.rule, "not_waivable", text),))
        return self._waived(index, who, when, why)

    def waive_as_recorded(
        self, item_id: str, *, by: str, at: dt.datetime, reason: str
    ) -> Checklist:
        """:meth:`mark_not_applicable` as a log records it: L1 on a new install included.

        A log keeps what was recorded: a waiver of L1 written by a release before L1
        was kept on new installs restores as it was written. Every other check holds.

        >>> import pendulum
        >>> at = pendulum.datetime(2026, 11, 26, 15, tz="Asia/Shanghai")
        >>> c = Checklist.for_order("install", ["broadband"])
        >>> c.waive_as_recorded("L1", by="T7", at=at, reason="用户赶时间").item("L1").status
        <ItemStatus.NOT_APPLICABLE: 'not_applicable'>
        """
        index = self.index_of(item_id)
        who, when, why = _jsondata.by(by), _jsondata.at(at), _jsondata.reason(reason)
        return self._waived(index, who, when, why)

    def _waived(self, index: int, who: str, when: pendulum.DateTime, why: FreeText) -> Checklist:
        item = self.items[index]
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
        index = self.index_of(item_id)
        item = self.items[index]
        who, when, why = _jsondata.by(by), _jsondata.at(at), _jsondata.reason(reason)
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

    def to_dict(
        self, *, include_personal: bool = False, include_secret: bool | None = None
    ) -> dict[str, Any]:
        """Return the checklist as JSON-ready data.

        Args:
            include_personal: Write the modem label's password in clear; without
                it the password is ``None`` and :meth:`from_dict` refuses the data.
            include_secret: The old spelling of ``include_personal``: deprecated.

        >>> from fieldservice import OrderKind, Product
        >>> d = Checklist.for_order(OrderKind.INSTALL, [Product.BROADBAND]).to_dict()
        >>> d["template_version"], d["kind"], d["products"], len(d["items"])
        ('2026.1', 'install', ['broadband'], 11)
        """
        return self.data_as(_jsondata.form_of(include_personal, include_secret))

    def data_as(self, form: _jsondata.Form) -> dict[str, Any]:
        """The checklist as JSON-ready data written in that form (the signature's digest).

        :meta private:
        """
        return {
            "template_version": self.template_version,
            "kind": self.kind.value,
            "products": [p.value for p in self.products],
            "items": [i._data(form) for i in self.items],
        }

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> Checklist:
        """Rebuild a checklist from ``to_dict(include_personal=True)`` output, exactly.

        Raises:
            InvalidInput: The data is malformed, does not match its template, or
                holds a masked modem label.

        >>> from fieldservice import OrderKind, Product
        >>> c = Checklist.for_order(OrderKind.REPAIR, [Product.BROADBAND])
        >>> Checklist.from_dict(c.to_dict(include_personal=True)) == c
        True
        """
        data = _jsondata.json_object(
            value, "checklist", ("template_version", "kind", "products", "items")
        )
        items = tuple(
            ChecklistItem.from_dict(i)
            for i in _jsondata.json_array(data["items"], "checklist items")
        )
        return cls(
            data["kind"],
            _jsondata.json_array(data["products"], "checklist products"),
            template_version=data["template_version"],
            items=items,
        )

    def index_of(self, item_id: str) -> int:
        """The position of the item with that ID, or of the one item of that rule.

        For the workflow, which finds the item before it checks its event.

        :meta private:
        """
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


# --- names that moved (issue 14) -------------------------------------------------------------

# Until 0.2 these lived here; ``from fieldservice.checklist import WorkSheet`` keeps
# working for users of that release. New code imports them from their own modules.
_MOVED: Final[Mapping[str, str]] = types.MappingProxyType(
    {
        "CustomerOpinion": "worksheet",
        "Material": "worksheet",
        "Remedy": "worksheet",
        "TechnicalParameter": "worksheet",
        "WorkSheet": "worksheet",
        "Signature": "signoff",
        "SignerRole": "signoff",
        "check_sign_off": "signoff",
        "sign_off": "signoff",
        "ModemLabel": "modemlabel",
        "KitItem": "kit",
        "kit_list": "kit",
    }
)


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        # Loaded on use: signoff imports this module, so an eager import would be a cycle.
        return getattr(importlib.import_module(f"fieldservice.{_MOVED[name]}"), name)
    msg = f"module 'fieldservice.checklist' has no attribute {name!r}"
    raise AttributeError(msg)

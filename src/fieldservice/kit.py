"""What to carry on the visit, checked before leaving (T1, O2).

>>> from fieldservice.kit import kit_list
>>> [k.label_en for k in kit_list("repair", ["fixed_line"])][:2]
['tool kit', 'materials, spares and accessories']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import attrs

from fieldservice import _jsondata
from fieldservice.errors import InvalidInput
from fieldservice.model import OrderKind, Product

__all__ = [
    "KitItem",
    "kit_list",
]


def _kit_text(value: object) -> str:
    return _jsondata.text("kit label", value, max_length=120)


@attrs.frozen
class KitItem:
    """Something to carry on the visit, and the rule that asks for it (T1, O2, L1, L2, K3).

    >>> KitItem("K3", "留言条", "message notes")
    KitItem(rule='K3', label_zh='留言条', label_en='message notes')

    .. versionadded:: 0.1.0
    """

    rule: str = attrs.field(converter=_jsondata.rule)
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
        data = _jsondata.json_object(value, "kit item", ("rule", "label_zh", "label_en"))
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
    name = _jsondata.text("gift", value, max_length=100)
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
        _jsondata.to_kind(kind),
        frozenset(_jsondata.to_products(products)),
        _jsondata.flag("charges", charges),
        _jsondata.flag("agreement", agreement),
    )
    carried = tuple(item for item, wanted in _KIT if wanted(order))
    return carried + tuple(_gift(g) for g in gifts)

"""How a work order shows in a notebook and in a data frame, kept out of the domain class.

:func:`order_html` is what a :class:`~fieldservice.workflow.WorkOrder` shows in
Jupyter; :func:`order_records` is
what :meth:`~fieldservice.workflow.WorkOrder.to_records` returns. Neither shows
anything personal (G1): no name, phone or address, and no event data.

>>> import pendulum, fieldservice as fs
>>> from fieldservice.views import order_html, order_records
>>> cust = fs.Customer(id="C1", name="张三", phones="13800138000", address="幸福路 1 号")
>>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
>>> order = fs.WorkOrder.repair(id="WO-9", customer=cust, products={"broadband"},
...                             reported_at=t, by="hotline-3")
>>> [r["kind"] for r in order_records(order)], "张三" in order_html(order)
(['reported'], False)
"""

from __future__ import annotations

import html

from fieldservice._validate import id_text, staff_text
from fieldservice.errors import InvalidInput
from fieldservice.workflow import WorkOrder

__all__ = ["order_html", "order_records"]


def _check_order(order: object) -> None:
    if not isinstance(order, WorkOrder):
        msg = (
            f"pass a WorkOrder (got {type(order).__name__}); restore one from its JSON "
            "with WorkOrder.from_dict or WorkOrder.from_json"
        )
        raise InvalidInput(msg)


def order_records(order: WorkOrder) -> list[dict[str, object]]:
    """One plain dict per event of ``order``, oldest first, ready for ``pandas.DataFrame``.

    Each record holds the order ID, the instant (``at``, timezone-aware), the
    event kind, its Chinese term, its rule ID and the actor: never the event's
    data, which may hold personal data or secrets (G1).

    Raises:
        InvalidInput: ``order`` is not a :class:`~fieldservice.workflow.WorkOrder`.

    >>> import pendulum, fieldservice as fs
    >>> cust = fs.Customer(id="C1", name="张三", phones="13800138000", address="幸福路 1 号")
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> order = fs.WorkOrder.repair(id="WO-9", customer=cust, products={"broadband"},
    ...                             reported_at=t, by="hotline-3")
    >>> [(r["order_id"], r["rule"], r["actor"]) for r in order_records(order)]
    [('WO-9', 'F4', 'hotline-3')]
    """
    _check_order(order)
    return [
        {
            "order_id": order.id,
            "at": e.at,
            "kind": e.kind.value,
            "label_zh": e.kind.label_zh,
            "rule": e.rule,
            "actor": e.actor,
        }
        for e in order.events
    ]


def order_html(order: WorkOrder) -> str:
    """Show ``order`` as HTML: its state, products, tier and timeline.

    The timeline has one row per event (time in the standard's timezone, kind,
    Chinese term, rule, actor). Nothing personal is shown (G1): no name, phone
    or address, and no event data. Every text is HTML-escaped.

    Raises:
        InvalidInput: ``order`` is not a :class:`~fieldservice.workflow.WorkOrder`.

    >>> import pendulum, fieldservice as fs
    >>> cust = fs.Customer(id="C1", name="张三", phones="13800138000", address="幸福路 1 号")
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> order = fs.WorkOrder.repair(id="WO-9", customer=cust, products={"broadband"},
    ...                             reported_at=t, by="hotline-3")
    >>> page = order_html(order)
    >>> "已申告" in page, "2026-11-24 10:00" in page, "13800138000" in page
    (True, True, False)
    """
    _check_order(order)
    esc = html.escape
    tz = order.standard.timezone
    products = ", ".join(
        f"{esc(p.label_zh)} {esc(p.label_en)}"
        for p in sorted(order.products, key=lambda p: p.value)
    )
    rows = "".join(
        f"<tr><td>{esc(e.at.in_timezone(tz).format('YYYY-MM-DD HH:mm'))}</td>"
        f"<td><code>{esc(e.kind.value)}</code></td><td>{esc(e.kind.label_zh)}</td>"
        f"<td>{esc(e.rule)}</td><td>{esc(staff_text(e.actor))}</td></tr>"
        for e in order.events
    )
    return (
        '<div class="fieldservice-order">'
        f"<p><strong>{esc(id_text(order.id))}</strong> {esc(order.kind.label_zh)} "
        f"{esc(order.kind.label_en)} &middot; "
        f"<strong>{esc(order.state.label_zh)}</strong> (<code>{esc(order.state.value)}</code>)"
        f" &middot; {esc(order.tier.label_zh)} {esc(order.tier.label_en)} &middot; {products}"
        f" &middot; owner {esc(staff_text(order.owner))}</p>"
        f"<table><caption>Timeline ({esc(tz)}), {len(order.events)} events</caption>"
        "<thead><tr><th>time</th><th>kind</th><th>中文</th><th>rule</th><th>actor</th></tr>"
        f"</thead><tbody>{rows}</tbody></table></div>"
    )

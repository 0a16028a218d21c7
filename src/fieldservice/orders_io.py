"""Reading orders from a JSON Lines file, one order a line.

Each line is what :meth:`~fieldservice.workflow.WorkOrder.to_json` writes.

The command line and :func:`fieldservice.calendar.orders_from_jsonl` read
orders with :func:`read_orders`.
"""

from __future__ import annotations

import os
from pathlib import Path

from fieldservice.errors import FieldServiceError, InvalidInput
from fieldservice.standard import ServiceStandard
from fieldservice.workflow import WorkOrder

__all__ = ["read_orders"]


def read_orders(path: str | Path, standard: ServiceStandard | None = None) -> list[WorkOrder]:
    r"""Read one order per line of a JSON Lines file.

    Each line is what :meth:`~fieldservice.workflow.WorkOrder.to_json` writes.

    Lines end at ``"\n"`` only (a ``"\r\n"`` ending is read too), as JSON Lines
    says: a customer's name may hold characters that ``str.splitlines()`` would
    also break at (U+0085, U+2028, ``\x1c``). Blank lines are skipped, and so is a
    byte-order mark at the start of the file.

    Args:
        path: The path of the file (``str`` or ``os.PathLike``), UTF-8.
        standard: The standard to restore the orders under; the default one if
            left out.

    Raises:
        InvalidInput: ``path`` is not a path, the file cannot be read, or a line
            is not an order; the error names the line.

    >>> import pathlib, tempfile, pendulum, fieldservice as fs
    >>> cust = fs.Customer(id="C1", name="张三", phones="13800138000", address="幸福路 1 号")
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> order = fs.WorkOrder.repair(id="WO-9", customer=cust, products={"broadband"},
    ...                             reported_at=t, by="hotline-3")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "orders.jsonl"
    >>> _ = path.write_text(order.to_json(include_personal=True) + "\n", encoding="utf-8")
    >>> [o.id for o in read_orders(path)]
    ['WO-9']
    """
    file = _path(path)
    try:
        # utf-8-sig: a byte-order mark an editor put first is dropped, as the CLI's
        # readers drop it, and not read as part of the first order.
        text: str | None = file.read_text(encoding="utf-8-sig")
    except OSError as err:
        msg = f"cannot read {path}: {err.strerror}"
        raise InvalidInput(msg) from None
    except ValueError:  # not UTF-8, or a NUL or lone surrogate in the path
        # Raised below, not here: a UnicodeDecodeError holds the whole file (G1).
        text = None
    if text is None:
        msg = "cannot read the orders file: give a readable UTF-8 JSON-lines file"
        raise InvalidInput(msg)
    lines = text.split("\n")
    orders = []
    for number, line in enumerate(lines, start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            orders.append(WorkOrder.from_json(line, standard=standard))
        except FieldServiceError as err:
            msg = f"{path}, line {number}: {err.message}"
            raise type(err)(msg, violations=err.violations) from None
    return orders


def _path(path: object) -> Path:
    """``path`` as a Path, if it is one: a text or an ``os.PathLike`` of text."""
    made: Path | None = None
    if isinstance(path, str | os.PathLike):
        try:
            made = Path(path)
        except TypeError:  # an os.PathLike that gives bytes
            made = None  # refused below, outside the handler
    if made is None:
        msg = (
            f"give the path of a JSON-lines file of orders, as a str or os.PathLike "
            f"(got {type(path).__name__})"
        )
        raise InvalidInput(msg)
    return made

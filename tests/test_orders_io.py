"""Reading orders from JSON Lines: one order a line, split at "\\n" only."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pendulum
import pytest

import fieldservice as fs
from fieldservice.calendar import orders_from_jsonl
from fieldservice.cli import main
from fieldservice.orders_io import read_orders

AT = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")


def _order(order_id: str, name: str) -> fs.WorkOrder:
    customer = fs.Customer(id="C1", name=name, phones="13800138000", address="幸福路 1 号")
    order = fs.WorkOrder.repair(
        id=order_id, customer=customer, products={"broadband"}, reported_at=AT, by="hotline-3"
    )
    order.triage(remote_possible=True, at=AT.add(minutes=5), by="hotline-3")
    return order


# U+0085 (NEXT LINE) is text a name may hold; str.splitlines() also breaks lines there.
NEL_NAME = "张\x85三"


def _write(tmp_path: Path, *orders: fs.WorkOrder, end: str = "\n") -> Path:
    path = tmp_path / "orders.jsonl"
    text = "".join(o.to_json(include_personal=True) + end for o in orders)
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_regression_read_orders_splits_at_newline_only(tmp_path: Path) -> None:
    first, second = _order("WO-1", NEL_NAME), _order("WO-2", "李四")
    assert "\x85" in first.to_json(include_personal=True)  # written as is, not escaped
    path = _write(tmp_path, first, second)
    read = read_orders(path)
    assert [o.id for o in read] == ["WO-1", "WO-2"]
    assert read[0].customer.name.reveal() == NEL_NAME
    assert [o.to_json(include_personal=True) for o in read] == [
        first.to_json(include_personal=True),
        second.to_json(include_personal=True),
    ]


def test_regression_orders_from_jsonl_keeps_a_name_with_next_line(tmp_path: Path) -> None:
    path = _write(tmp_path, _order("WO-1", NEL_NAME))
    assert [o.id for o in orders_from_jsonl(path)] == ["WO-1"]


def test_read_orders_reads_crlf_endings_and_skips_blank_lines(tmp_path: Path) -> None:
    path = _write(tmp_path, _order("WO-1", "张三"), _order("WO-2", "李四"), end="\r\n\r\n")
    assert [o.id for o in read_orders(path)] == ["WO-1", "WO-2"]


def test_read_orders_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "orders.jsonl"
    good = _order("WO-1", "张三").to_json(include_personal=True)
    path.write_text(good + "\n\nnot json\n", encoding="utf-8")
    with pytest.raises(fs.FieldServiceError, match=r"line 3"):
        read_orders(path)


def test_regression_a_file_that_starts_with_a_byte_order_mark_is_read_as_the_cli_reads_it(
    tmp_path: Path,
) -> None:
    # An editor on Windows starts a UTF-8 file with U+FEFF: `fieldservice sla` and `ics`
    # read such a file, read_orders (and orders_from_jsonl) refused its first line.
    path = _write(tmp_path, _order("WO-1", "张三"), _order("WO-2", "李四"))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert [o.id for o in read_orders(path)] == ["WO-1", "WO-2"]
    assert [o.id for o in orders_from_jsonl(path)] == ["WO-1", "WO-2"]
    out = io.StringIO()
    assert main(["sla", str(path), "--at", "2026-11-25T10:00", "--json"], out=out) == 0
    assert json.loads(out.getvalue())["orders"] == 2

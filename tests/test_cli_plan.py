"""`fieldservice plan`: the day plan from the command line (B7)."""

from __future__ import annotations

import io
from pathlib import Path

from _planning_days import order

import fieldservice as fs
from fieldservice.cli import main

TEAM = """
[[technician]]
id = "T1"
products = ["broadband", "fixed_line"]
kinds = ["install", "repair"]
start = { key = "depot", coordinates = [31.20, 121.50] }
"""


def _orders(path: Path, ids: tuple[str, str] = ("A", "B")) -> Path:
    lines = []
    for n, (oid, coords) in enumerate(zip(ids, ((31.21, 121.50), (31.22, 121.51)), strict=True)):
        o = order(f"O{n}")
        data = o.to_dict(include_personal=True)
        data["id"] = oid  # the customer's ID is made from the order's: not from this one
        data["customer"]["address"]["coordinates"] = list(coords)
        lines.append(fs.WorkOrder.from_dict(data).to_json(include_personal=True))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_B7_plan_prints_each_route_and_writes_a_calendar_per_technician(tmp_path: Path) -> None:
    team = tmp_path / "team.toml"
    team.write_text(TEAM, encoding="utf-8")
    out = io.StringIO()
    code = main(
        [
            "plan",
            str(_orders(tmp_path / "orders.jsonl")),
            "--team",
            str(team),
            "--day",
            "2026-11-26",
            "--solver",
            "greedy",
            "--ics-dir",
            str(tmp_path / "ics"),
        ],
        out,
    )
    text = out.getvalue()
    assert code == 0, text
    assert "2 visits served" in text
    assert "T1: 2 visits" in text
    assert b"BEGIN:VEVENT" in (tmp_path / "ics" / "T1.ics").read_bytes()
    # Each stop in the standard's terms as well (an outside probe found English only),
    # and a call in the quiet hours says it is one (B6).
    stops = [line for line in text.splitlines() if line.startswith("    ")]
    assert stops
    assert all(" 装机 install " in line or " 修障 repair " in line for line in stops), stops
    for line in stops:
        call = line.split("call ", 1)[1][:5]
        assert ("in the quiet hours (B6)" in line) == (not "08:00" <= call < "20:00"), line


def test_B6_plan_refuses_a_team_whose_shift_ends_before_it_starts(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    team = tmp_path / "team.toml"
    team.write_text(TEAM + 'shift = ["18:00", "09:00"]\n', encoding="utf-8")
    code = main(
        ["plan", str(_orders(tmp_path / "o.jsonl")), "--team", str(team), "--day", "2026-11-26"]
    )
    assert code == 1
    assert "invalid_plan_input" in capsys.readouterr().err


def test_plan_json_prints_one_stop_a_line(tmp_path: Path) -> None:
    import json

    team = tmp_path / "team.toml"
    team.write_text(TEAM, encoding="utf-8")
    out = io.StringIO()
    argv = ["plan", str(_orders(tmp_path / "o.jsonl")), "--team", str(team)]
    code = main([*argv, "--day", "2026-11-26", "--solver", "greedy", "--json"], out)
    assert code == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(r["technician"], r["seq"]) for r in rows] == [("T1", 1), ("T1", 2)]
    assert {r["order_id"] for r in rows} == {"A", "B"}


def test_G1_plan_prints_no_order_id_that_may_hold_a_phone_number(tmp_path: Path) -> None:
    # The text and the calendars are read by people: an ID with a phone-length run of
    # digits is shown as a refusal shows it; --json keeps it, for the systems that read it.
    team = tmp_path / "team.toml"
    team.write_text(TEAM, encoding="utf-8")
    orders = _orders(tmp_path / "o.jsonl", ("WO-A", "zhang.san-13800138000"))
    argv = ["plan", str(orders), "--team", str(team), "--day", "2026-11-26", "--solver", "greedy"]
    out = io.StringIO()
    assert main([*argv, "--ics-dir", str(tmp_path / "ics")], out) == 0
    assert "WO-A" in out.getvalue()
    assert "(an order ID not shown)" in out.getvalue()
    assert "13800138000" not in out.getvalue() + (tmp_path / "ics" / "T1.ics").read_text()
    as_json = io.StringIO()
    assert main([*argv, "--json"], as_json) == 0
    assert "zhang.san-13800138000" in as_json.getvalue()

"""The commands that read orders name the line that stops them, speak in options, and agree.

- ``--strict`` stopped ``fieldservice ics`` silently when no line before the bad one was an
  order: exit code 1 and nothing on stderr (an outside integrator's review). Every command
  that reads orders now names the line that stopped it, with its error code, once.
- ``ics`` and ``plan`` told a user whose orders were written under a branch's standard to
  "pass standard=", a Python parameter; they say ``--standard FILE``, as ``sla`` does.
- ``sla`` judged and counted lines ``WorkOrder.from_json`` (and so ``ics``) refuses: an
  event of a kind the library does not know, a first event that names no order kind,
  products, tier or area. It refuses them too, in the words ``from_json`` uses.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest

import fieldservice as fs
from fieldservice import _branch_report, demo, sla
from fieldservice.cli import main

STD = fs.ServiceStandard.default()
AT = "2026-11-25T20:00"
ORDERS = demo.build_day(STD)
LINES = [o.to_json(include_personal=True) for o in ORDERS]
GOOD, MIDDLE, LAST = LINES[0], LINES[1], LINES[2]  # WO-101, WO-102 (a move), WO-103
REPAIR = LINES[4]  # WO-201
assert json.loads(MIDDLE)["events"][0]["data"]["order_kind"] == "move"
assert json.loads(REPAIR)["events"][0]["kind"] == "reported"

TEAM = """
[[technician]]
id = "T1"
products = ["broadband", "fixed_line", "iptv"]
kinds = ["install", "move", "repair"]
start = { key = "depot", coordinates = [31.20, 121.50] }
"""


def _edited(line: str, edit: Callable[[dict[str, Any]], None]) -> str:
    data = json.loads(line)
    edit(data)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _event(n: int, **changes: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        data["events"][n].update(changes)

    return edit


def _opening(drop: str = "", **changes: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        opened = data["events"][0]["data"]
        opened.pop(drop, None)
        opened.update(changes)

    return edit


# WO-102's events: accepted, resources_available, contacted, booked, technicians_assigned, ...
# technicians_assigned (4) and feasibility_answered are kinds no clock reads.
OUT_OF_ORDER = _edited(MIDDLE, _event(3, at="2026-11-24T08:00:00+08:00"))
UNKNOWN_KIND = _edited(MIDDLE, _event(4, kind="teleported"))
MASKED = ORDERS[1].to_json()

# Lines sla judged and counted where from_json refuses them.
REFUSED_BY_FROM_JSON = {
    "an unknown kind where no clock reads": UNKNOWN_KIND,
    "an unknown kind last": _edited(MIDDLE, _event(-1, kind="teleported")),
    "an unknown kind in a repair": _edited(REPAIR, _event(1, kind="teleported")),
    "no order_kind": _edited(MIDDLE, _opening("order_kind")),
    "no products": _edited(MIDDLE, _opening("products")),
    "products empty": _edited(MIDDLE, _opening(products=[])),
    "no tier": _edited(MIDDLE, _opening("tier")),
    "no area": _edited(MIDDLE, _opening("area")),
    "a repair opened by accepted": _edited(MIDDLE, _opening(order_kind="repair")),
    "a move opened by reported": _edited(REPAIR, _opening(order_kind="move")),
}


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def _from_json_refusal(line: str) -> fs.FieldServiceError:
    with pytest.raises(fs.FieldServiceError) as caught:
        fs.WorkOrder.from_json(line)
    return caught.value


def _write(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture(params=["msgspec", "json"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The reader ``sla`` uses: msgspec (the ``fast`` extra), or json as without it."""
    if request.param == "msgspec":
        pytest.importorskip("msgspec")
    else:
        monkeypatch.setitem(sys.modules, "msgspec", None)  # the import fails
    _branch_report.clock_reader.cache_clear()
    yield request.param
    _branch_report.clock_reader.cache_clear()


# --- --strict names the line that stopped it, once ----------------------------------------


@pytest.mark.parametrize(
    "bad", [OUT_OF_ORDER, UNKNOWN_KIND, MASKED], ids=["out of order", "unknown kind", "masked"]
)
def test_regression_ics_strict_says_why_it_stopped(
    bad: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # One order, refused: `ics --strict` exited 1 with nothing at all on stderr.
    path = _write(tmp_path / "ooo.jsonl", bad)
    target = tmp_path / "s.ics"
    code, text = run("ics", str(path), "-o", str(target), "--strict")
    err = capsys.readouterr().err
    refusal = _from_json_refusal(bad)
    assert (code, text) == (1, "")
    assert err == f"fieldservice: error [{refusal.code}]: {path}, line 1: {refusal.message}\n"
    assert not target.exists()


@pytest.mark.parametrize("where", ["first", "after a good line"])
@pytest.mark.parametrize(
    "argv",
    [
        ("ics", "{path}", "-o", "{out}", "--plain"),
        ("ics", "{path}", "-o", "-", "--plain", "--quiet"),
        ("sla", "{path}", "--at", AT, "--jobs", "1"),
        ("sla", "{path}", "--at", AT, "--jobs", "2", "--json"),
        ("sla", "{path}", "--at", AT, "-o", "{out}"),
    ],
    ids=lambda argv: " ".join(a for a in argv if not a.startswith("{")),
)
@pytest.mark.parametrize(
    "bad",
    [OUT_OF_ORDER, UNKNOWN_KIND, "not an order", GOOD],
    ids=["out of order", "unknown kind", "not JSON", "given again"],
)
def test_every_strict_command_names_the_line_that_stopped_it_once(
    argv: tuple[str, ...], where: str, bad: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [GOOD, bad, LAST] if where != "first" or bad == GOOD else [bad, LAST]
    path = _write(tmp_path / "orders.jsonl", *lines)
    number = lines.index(bad, 1 if bad == GOOD else 0) + 1
    out = tmp_path / "out"
    filled = [a.format(path=path, out=out) for a in argv]
    capsys.readouterr()
    code, text = run(*filled, "--strict")
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert text == ""
    assert not out.exists()
    assert len(err) == 1, err
    assert err[0].startswith("fieldservice: error [invalid_"), err
    assert f"]: {path}, line {number}: " in err[0]


def test_plan_names_the_line_that_stopped_it_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # plan has no --strict: it stops at the first line that is not an order, always.
    team = tmp_path / "team.toml"
    team.write_text(TEAM, encoding="utf-8")
    path = _write(tmp_path / "orders.jsonl", GOOD, UNKNOWN_KIND, LAST)
    code, text = run("plan", str(path), "--team", str(team), "--day", "2026-11-26")
    err = capsys.readouterr().err
    refusal = _from_json_refusal(UNKNOWN_KIND)
    assert (code, text) == (1, "")
    assert err == f"fieldservice: error [{refusal.code}]: {path}, line 2: {refusal.message}\n"


def test_ics_without_strict_names_each_refused_line_once_when_none_is_an_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every line refused: write_ical's "none of the orders has a booked visit" would only
    # repeat what the lines said, and stays unsaid.
    path = _write(tmp_path / "bad.jsonl", OUT_OF_ORDER, UNKNOWN_KIND)
    code, text = run("ics", str(path), "-o", str(tmp_path / "x.ics"))
    err = capsys.readouterr().err.splitlines()
    assert (code, text) == (1, "")
    assert [line.split(": ", 3)[2] for line in err] == [f"{path}, line 1", f"{path}, line 2"]


# --- --standard FILE, not standard= ---------------------------------------------------------


@pytest.fixture
def branch(tmp_path: Path) -> tuple[Path, Path]:
    """A branch's standard, and a day of orders written under it."""
    toml = tmp_path / "pudong.toml"
    toml.write_text('name = "Pudong"\n[hours]\nquiet = ["21:00", "08:00"]\n', encoding="utf-8")
    std = fs.ServiceStandard.from_toml(toml)
    orders = [o.to_json(include_personal=True) for o in demo.build_day(std)]
    return toml, _write(tmp_path / "branch.jsonl", *orders)


@pytest.mark.parametrize("command", ["ics", "ics --strict", "plan", "sla", "sla --jobs 2"])
def test_regression_a_branch_standard_is_asked_for_as_the_standard_option(
    command: str,
    branch: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    toml, orders = branch
    team = tmp_path / "team.toml"
    team.write_text(TEAM, encoding="utf-8")
    name, *options = command.split()
    argv = {
        "ics": ["ics", str(orders), "-o", str(tmp_path / "x.ics"), "--plain"],
        "plan": ["plan", str(orders), "--team", str(team), "--day", "2026-11-26"],
        "sla": ["sla", str(orders), "--at", AT],
    }[name]
    assert run(*argv, *options)[0] == 1
    err = capsys.readouterr().err.splitlines()
    assert err
    for line in err:
        assert "'Pudong'" in line
        assert "--standard FILE" in line, line
        assert "standard=" not in line, line
    # And so it is read.
    if name != "plan":  # the plan needs coordinates the demo's customers lack
        assert run(*argv, *options, "--standard", str(toml))[0] == 0
        assert capsys.readouterr().err == ""


# --- sla refuses what from_json refuses -------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("case", sorted(REFUSED_BY_FROM_JSON))
def test_regression_sla_refuses_the_lines_from_json_refuses_in_its_words(
    case: str, jobs: str, reader: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = REFUSED_BY_FROM_JSON[case]
    refusal = _from_json_refusal(bad)
    path = _write(tmp_path / "orders.jsonl", GOOD, bad, LAST)
    capsys.readouterr()
    code, text = run("sla", str(path), "--at", AT, "--json", "--quiet", "--jobs", jobs)
    err = capsys.readouterr().err
    assert code == 1
    report = json.loads(text)
    assert (report["orders"], report["refused_lines"]) == (2, 1)
    assert err == f"fieldservice: error [{refusal.code}]: {path}, line 2: {refusal.message}\n"
    # --strict stops there, saying the same.
    code, text = run("sla", str(path), "--at", AT, "--quiet", "--jobs", jobs, "--strict")
    assert (code, text) == (1, "")
    assert capsys.readouterr().err == err


@pytest.mark.parametrize("case", sorted(REFUSED_BY_FROM_JSON))
def test_sla_and_ics_refuse_the_same_lines_of_one_file(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "orders.jsonl", *LINES[:2], REFUSED_BY_FROM_JSON[case], *LINES[2:])
    code, text = run("sla", str(path), "--at", AT, "--json", "--quiet")
    sla_err = capsys.readouterr().err
    assert (code, json.loads(text)["refused_lines"]) == (1, 1)
    code, text = run("ics", str(path), "-o", str(tmp_path / "x.ics"), "--plain", "--json")
    assert (code, json.loads(text)["refused_lines"]) == (1, 1)
    assert capsys.readouterr().err == sla_err


def test_order_judge_refuses_an_unknown_kind_no_clock_would_read() -> None:
    judge = sla.OrderJudge(at=pendulum.datetime(2026, 11, 25, 20, tz=STD.timezone), standard=STD)
    for line in REFUSED_BY_FROM_JSON.values():
        refusal = _from_json_refusal(line)
        with pytest.raises(type(refusal)) as caught:
            judge.judge(json.loads(line))
        assert (caught.value.code, caught.value.message) == (refusal.code, refusal.message)
    # The kinds no clock reads, and the lines the library writes, are judged as before.
    for line in LINES:
        assert judge.judge(json.loads(line)).id == json.loads(line)["id"]


def test_sla_still_judges_a_masked_export_which_from_json_refuses(tmp_path: Path) -> None:
    # Not closed: the judge reads nothing personal, by design (docs/bigfiles.md).
    assert _from_json_refusal(MASKED).code == "invalid_input"
    path = _write(tmp_path / "masked.jsonl", MASKED)
    code, text = run("sla", str(path), "--at", AT, "--json", "--quiet")
    assert (code, json.loads(text)["orders"]) == (0, 1)

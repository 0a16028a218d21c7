"""Nothing lost across schema versions: JSON written before the event schema still restores.

``tests/data/orders-v0.jsonl`` holds 400 orders as the release before the event schema
wrote them (schema 0: no ``schema_version``, no recorded standard), and
``expected-v0.json`` that release's own answers for each: state, allowed commands,
masked JSON, SLA reports and reminder plans (see ``tests/data/make_corpus_v0.py``).
This release must give the same answers, and write them back as schema 1.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import pathlib
import re
from typing import Any

import attrs
import pendulum
import pytest
from test_roundtrip import BRANCH, DEFAULT, TRAVEL

import fieldservice as fs
from fieldservice import payloads, reminders, sla
from fieldservice.errors import InvalidInput, StandardMismatch
from fieldservice.workflow import SCHEMA_VERSION

DATA = pathlib.Path(__file__).parent / "data"
LINES = (DATA / "orders-v0.jsonl").read_text(encoding="utf-8").splitlines()
EXPECTED = json.loads((DATA / "expected-v0.json").read_text(encoding="utf-8"))
STANDARDS = {s.name: s for s in (DEFAULT, BRANCH)}


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


NEW_CLOCKS = frozenset({"confirmation", "punctuality", "missed_window", "missed_confirmation"})
"""Clocks added after schema 0 (#18: C1, T2 punctuality, B8 missed windows): new answers,
left out here; every clock schema 0 had must answer as it did."""


NEW_COMMANDS = frozenset({"check_customer_data", "use_customer_phone", "record_out_of_scope"})
"""Commands added after schema 0 (#18: O1, G5, S9): new answers, left out here."""


FIXED_SINCE_SCHEMA_0: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # R1 replaces B3 while resources are missing; R3 ends R1 (CHANGELOG, "Fixed").
    "resources_missing": (
        frozenset({"booking_contact", "resource_notice"}),
        frozenset({"B3", "R1"}),
    ),
    "resources_built": (frozenset({"booking_contact", "resource_notice"}), frozenset({"B3", "R1"})),
    # A cancelled visit's arrival clock holds no time after the cancellation.
    "cancelled": (frozenset({"arrival"}), frozenset()),
}
"""Answers a fix changed on purpose, by an event kind in the log: (clocks, reminder rules).

Left out of the comparison for the orders whose log holds that kind; every other answer
of those orders, and every answer of the rest, must be as schema 0 gave it. The tests
of the fixes (test_sla.py) hold the new answers."""


def _without_fixed(answers: dict[str, Any], kinds: set[str]) -> dict[str, Any]:
    clocks: set[str] = set()
    rules: set[str] = set()
    for kind in kinds & FIXED_SINCE_SCHEMA_0.keys():
        clocks |= FIXED_SINCE_SCHEMA_0[kind][0]
        rules |= FIXED_SINCE_SCHEMA_0[kind][1]
    out = dict(answers)
    for key in ("sla_at_last", "sla_30h_later"):
        out[key] = [r for r in answers[key] if r["clock"] not in clocks]
        if "clock_paused" in kinds:
            # A clock that ended while paused: its deadline moved with the instant judged
            # at; it is where the clock ended now (CHANGELOG). The state is compared.
            out[key] = [
                {k: v for k, v in r.items() if k != "deadline" or r.get("stopped") is None}
                for r in out[key]
            ]
    for key in ("plan", "plan_travel"):
        out[key] = [r for r in answers[key] if r["rule"] not in rules]
    return out


def _clock_records(report: sla.SlaReport) -> object:
    # SLA records carry the order ID since the big-files release; the corpus predates it.
    records = report.to_records()
    assert all(r.pop("order_id") == report.order_id for r in records)
    return _plain([r for r in records if r["clock"] not in NEW_CLOCKS])


def _answers(order: fs.WorkOrder) -> dict[str, Any]:
    std = order.standard
    last = order.events[-1].at
    masked = json.loads(order.to_json())
    return {
        "id": order.id,
        "standard": std.name,
        "state": order.state.value,
        "allowed": [c for c in order.allowed_commands() if c not in NEW_COMMANDS],
        # Schema 1 adds the version and the standard; everything else is as it was.
        "masked_json": {k: v for k, v in masked.items() if k not in ("schema_version", "standard")},
        "sla_at_last": _clock_records(sla.evaluate(order, at=last)),
        "sla_30h_later": _clock_records(sla.evaluate(order, at=last + dt.timedelta(hours=30))),
        "plan": _plain(reminders.plan(order).to_records()),
        "plan_travel": _plain(reminders.plan(order, travel=TRAVEL).to_records()),
    }


def test_the_corpus_covers_every_state_and_both_standards() -> None:
    assert len(LINES) == len(EXPECTED) == 400
    assert {e["standard"] for e in EXPECTED} == set(STANDARDS)
    assert len({e["state"] for e in EXPECTED}) >= 14


FREE_TEXT: dict[str, frozenset[str]] = {
    kind: frozenset(f.name for f in attrs.fields(cls) if "FreeText" in str(f.type))
    for kind, cls in payloads.PAYLOAD_OF.items()
}
"""The fields of words people write, by kind: schema 0's masked JSON wrote them in clear;
since they are personal (G1), a masked export writes ``{"$secret": null}`` instead."""


def _masked_now(want: dict[str, Any]) -> dict[str, Any]:
    """Schema 0's answers with the words people wrote masked, as the masked JSON now writes them."""
    out = copy.deepcopy(want)
    for event in out["masked_json"]["events"]:
        data = event.get("data") or {}
        for name in FREE_TEXT.get(event["kind"], frozenset()) & data.keys():
            data[name] = {"$secret": None}
        opinion = (data.get("worksheet") or {}).get("opinion") or {}
        if opinion.get("action") is not None:
            opinion["action"] = {"$secret": None}  # the work sheet's words (W3), likewise
        evidence = data.get("evidence") or {}
        for key, value in evidence.items():
            if isinstance(value, str):
                evidence[key] = {"$secret": None}  # text a technician gave as evidence
        reason = data.get("reason")
        in_words = isinstance(reason, str) and not re.fullmatch(r"[a-z][a-z_]{0,63}", reason)
        if event["kind"] in {"clock_paused", "clock_resumed"} and in_words:
            data["reason"] = {"$secret": None}  # a pause's reason in words, not a code
    return out


def test_the_corpus_holds_words_people_wrote() -> None:
    masked = [_masked_now(w) for w in EXPECTED]
    assert sum(m != w for m, w in zip(masked, EXPECTED, strict=True)) >= 50


@pytest.mark.parametrize("index", range(400))
def test_schema_0_orders_restore_with_the_same_answers(index: int) -> None:
    want = EXPECTED[index]
    order = fs.WorkOrder.from_json(LINES[index], standard=STANDARDS[want["standard"]])
    kinds = {e.kind.value for e in order.events}
    if _opens_before_confirm_by(order):
        kinds.add(EARLY_WINDOW)
    assert _without_fixed(_answers(order), kinds) == _without_fixed(_masked_now(want), kinds)


EARLY_WINDOW = "a window that opens before confirm_by"
FIXED_SINCE_SCHEMA_0[EARLY_WINDOW] = (frozenset(), frozenset({"C1"}))
# C1's reminder is due until confirm_by (09:00), as the C1 clock judges it, even for a
# window that opens earlier; schema 0 ended it when the window opened (CHANGELOG, "Fixed").


def _opens_before_confirm_by(order: fs.WorkOrder) -> bool:
    by = order.standard.confirm_by
    return any(
        e.kind.value in {"booked", "rescheduled"}
        and e.data.start.astimezone(pendulum.timezone(order.standard.timezone)).time() < by  # type: ignore[attr-defined]
        for e in order.events
    )


def test_the_fixes_since_schema_0_leave_most_of_the_corpus_compared_whole() -> None:
    touched = sum(
        bool(FIXED_SINCE_SCHEMA_0.keys() & {e["kind"] for e in json.loads(line)["events"]})
        for line in LINES
    )
    assert touched <= 150, touched  # the rest compare every answer


def test_schema_0_orders_are_written_back_as_schema_1_and_read_again_equal() -> None:
    for line, want in zip(LINES[:100], EXPECTED[:100], strict=True):
        order = fs.WorkOrder.from_json(line, standard=STANDARDS[want["standard"]])
        text = order.to_json(include_personal=True)
        data = json.loads(text)
        assert data["schema_version"] == SCHEMA_VERSION == 1
        assert data["standard"] == {"name": want["standard"], "digest": order.standard.digest}
        back = fs.WorkOrder.from_json(text, standard=order.standard)
        assert back.events == order.events
        assert back.to_json(include_personal=True) == text


def test_an_order_of_a_branch_standard_is_not_restored_under_the_default() -> None:
    branch_line = next(
        line for line, want in zip(LINES, EXPECTED, strict=True) if want["standard"] != "default"
    )
    order = fs.WorkOrder.from_json(branch_line, standard=BRANCH)
    text = order.to_json(include_personal=True)
    with pytest.raises(StandardMismatch, match="branch-late") as info:
        fs.WorkOrder.from_json(text)
    assert info.value.code == "standard_mismatch"
    assert "default" in info.value.message
    # On purpose, with the branch's standard: restored, and judged by it.
    back = fs.WorkOrder.from_json(text, standard=BRANCH)
    assert back.standard is BRANCH
    assert sla.evaluate(back, at=back.events[-1].at) == sla.evaluate(
        order, at=order.events[-1].at, standard=BRANCH
    )


def test_an_order_is_judged_by_its_own_standard_and_another_is_refused() -> None:
    order = fs.WorkOrder.from_json(LINES[0], standard=BRANCH)
    at = order.events[-1].at
    assert sla.evaluate(order, at=at) == sla.evaluate(order, at=at, standard=BRANCH)
    with pytest.raises(StandardMismatch):
        sla.evaluate(order, at=at, standard=DEFAULT)
    with pytest.raises(StandardMismatch):
        sla.evaluate_many([order], at=at, standard=DEFAULT)
    with pytest.raises(StandardMismatch):
        reminders.plan(order, standard=DEFAULT)
    assert reminders.plan(order) == reminders.plan(order, standard=BRANCH)


def test_a_bare_log_still_needs_its_standard() -> None:
    order = fs.WorkOrder.from_json(LINES[0])
    with pytest.raises(InvalidInput, match="pass standard="):
        sla.evaluate(list(order.events), at=order.events[-1].at)


@pytest.mark.parametrize("version", [2, -1, "1", 1.0, None])
def test_an_unknown_schema_version_is_refused_with_what_to_do(version: object) -> None:
    data = json.loads(LINES[0])
    data["schema_version"] = version
    with pytest.raises(InvalidInput, match=r"schema version|upgrade"):
        fs.WorkOrder.from_dict(data)

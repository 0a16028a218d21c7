"""The event log's JSON Schema: the contract a non-Python system writes and reads by.

Besides these tests, ``conftest.py`` validates every event payload the whole suite
produces against the schema when the session ends.
"""

from __future__ import annotations

import io
import json
import pathlib
from typing import Any

import jsonschema
import pytest
from conftest import audited_events
from hypothesis import given
from hypothesis import strategies as st
from test_roundtrip import BRANCH, DEFAULT, lifecycle

import fieldservice as fs
from fieldservice.cli import main
from fieldservice.events import Event, EventKind
from fieldservice.schema import event_schema, order_schema

DATA = pathlib.Path(__file__).parent / "data"
LINES = (DATA / "orders-v0.jsonl").read_text("utf-8").splitlines()
WANT = json.loads((DATA / "expected-v0.json").read_text("utf-8"))
STANDARDS = {s.name: s for s in (DEFAULT, BRANCH)}
CHECKER = jsonschema.Draft202012Validator.FORMAT_CHECKER
EVENTS = jsonschema.Draft202012Validator(event_schema(), format_checker=CHECKER)
ORDERS = jsonschema.Draft202012Validator(order_schema(), format_checker=CHECKER)


def errors(validator: jsonschema.Draft202012Validator, value: object) -> list[str]:
    return [e.message for e in validator.iter_errors(value)]


@pytest.mark.parametrize("made", [event_schema, order_schema], ids=["events", "order"])
def test_the_schemas_are_valid_draft_2020_12(made: Any) -> None:
    jsonschema.Draft202012Validator.check_schema(made())


def test_every_kind_has_its_definition() -> None:
    defs = event_schema()["$defs"]
    assert {k.value for k in EventKind} <= defs.keys()
    assert all(defs[k.value]["properties"]["kind"] == {"const": k.value} for k in EventKind)


@pytest.mark.parametrize("what", ["events", "order"])
def test_the_cli_prints_the_schema(what: str) -> None:
    out = io.StringIO()
    assert main(["schema", what], out=out) == 0
    assert json.loads(out.getvalue()) == (event_schema() if what == "events" else order_schema())


def test_a_caller_may_change_its_copy() -> None:
    event_schema()["$defs"].clear()
    assert "booked" in event_schema()["$defs"]


@pytest.mark.parametrize("personal", [False, True], ids=["masked", "personal"])
def test_the_old_corpus_restored_and_written_again_is_valid(personal: bool) -> None:
    for line, want in zip(LINES, WANT, strict=True):
        order = fs.WorkOrder.from_json(line, standard=STANDARDS[want["standard"]])
        assert errors(ORDERS, order.to_dict(include_personal=personal)) == []


@given(st.integers(0, 10_000))
def test_every_lifecycle_writes_valid_orders(seed: int) -> None:
    order = lifecycle(seed)
    for personal in (False, True):
        assert errors(ORDERS, order.to_dict(include_personal=personal)) == []


@given(
    seed=st.integers(0, 2_000),
    key=st.from_regex(r"[^\W\d]\w{0,11}", fullmatch=True).filter(str.isidentifier),
)
def test_a_key_the_kind_does_not_define_is_refused_by_both(seed: int, key: str) -> None:
    event = lifecycle(seed).events[-1].to_dict(include_personal=True)
    if key in event_schema()["$defs"][event["kind"]]["properties"]["data"]["properties"]:
        return
    event["data"][key] = 1
    assert errors(EVENTS, event) != []
    with pytest.raises(fs.InvalidEvent):
        Event.from_dict(event)


@pytest.mark.parametrize(
    ("field", "value"),
    [("at", "2026-11-24T10:00:00"), ("at", "24/11/2026"), ("actor", ""), ("kind", "moved_in")],
    ids=["naive", "not-iso", "no-actor", "unknown-kind"],
)
def test_what_the_library_refuses_the_schema_refuses(field: str, value: str) -> None:
    event = lifecycle(3).events[0].to_dict()
    event[field] = value
    assert errors(EVENTS, event) != []
    with pytest.raises(fs.InvalidEvent):
        Event.from_dict(event)


def test_the_suite_audit_sees_the_events_made() -> None:
    before, _ = audited_events()
    lifecycle(11)
    after, distinct = audited_events()
    assert after > before
    assert distinct

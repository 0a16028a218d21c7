"""The event log as JSON Schema: the integrator's contract.

A system that does not run Python writes and reads the order log by this schema
(draft 2020-12). It is made from the same payload classes that check every event
the library records (:mod:`fieldservice.payloads`): each field's schema is kept with
the reader of that field, and says what the reader takes (an instant's hours
00-23 and its years, a quantity's decimals, the fields a checklist action needs).
``fieldservice schema events`` prints it.

>>> schema = event_schema()
>>> schema["$schema"]
'https://json-schema.org/draft/2020-12/schema'
>>> sorted(schema["$defs"]["booked"]["properties"]["data"]["required"])
['end', 'start']

A few rules within one event cannot be written in JSON Schema (an end after its
start, a booking's date the day of its start, a contact among the assigned
technicians): the library checks them when it reads the event. Restoring an order
adds the rules of an order (the first event names the order's kind and products,
a booking names its half-day, time order, the workflow's states): the schema's
``$comment`` and the CLI documentation list them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Final

import attrs

from fieldservice import payloads
from fieldservice.events import EventKind
from fieldservice.payloads import Payload, payload_class

__all__ = ["SCHEMA_ID", "event_schema", "order_schema"]

SCHEMA_ID: Final = "https://fieldservice.invalid/schema/1/event.json"
"""The ``$id`` of the event schema; the number is the order JSON's ``schema_version``."""

_DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"
# The event's actor, as the payloads' staff IDs: what _validate.identifier reads.
_IDENTIFIER: Final = payloads.ID_SCHEMA
# RFC 3339 with the offset required: the clocks judge instants, never wall times. The
# pattern is what the readers take: hours 00-23, no leap second, the years they read.
_INSTANT: Final = payloads.INSTANT_SCHEMA

# What the library checks beyond this schema: the CLI documentation lists it in full.
_ONE_EVENT_RULES: Final = (
    "Reading one event, the library also refuses what JSON Schema cannot state: an end "
    "not after its start (booked, rescheduled, confirmed); a date that is not the day "
    "start falls on, in the offset start is written with (booked, rescheduled); a contact "
    "not among the technicians (technicians_assigned); a technician ID on the work sheet "
    "that spells a mobile number with separators (worksheet_updated); text holding a lone "
    "surrogate. "
)


def _order_rules() -> str:
    """The rules restoring an order adds, from the fold that checks them (``_orderstate``)."""
    from fieldservice import _orderstate

    needs = "; ".join(
        f"{kind.value}: {', '.join(names)}" for kind, names in _orderstate.ORDER_NEEDS.items()
    )
    either = "; ".join(
        f"{kind.value}: {' or '.join(names)}" for kind, names in _orderstate.EITHER_NEEDS.items()
    )
    return (
        "Restoring an order adds the rules of an order, which a bare log for the clocks "
        "need not keep: the first event is reported (repair) or accepted (install, move) "
        "and names order_kind, tier, area and one product or more; the fields the workflow "
        f"always writes are there ({needs}) with one of ({either}); a booked or "
        "rescheduled window is the half-day of the order's standard that holds its start "
        "and end (B2); the events are in time order, each allowed by the workflow where "
        "the order stands; the technicians they assign are given with the order; a "
        "checklist item is one of the order's checklist, resolved once, with what its "
        "rule asks; no value is masked by an export."
    )


def _with_instant_refs(schema: Any) -> Any:
    """``schema`` with every instant written as a reference to ``$defs/instant``."""
    if isinstance(schema, Mapping):
        if schema.get("format") == "date-time":
            return {"$ref": "#/$defs/instant"}
        return {key: _with_instant_refs(value) for key, value in schema.items()}
    if isinstance(schema, list | tuple):
        return [_with_instant_refs(value) for value in schema]
    return schema


def _data_schema(payload: type[Payload]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(payload):
        properties[field.name] = _with_instant_refs(field.metadata["spec"].schema)
        if field.default is not None:  # optional fields default to None
            required.append(field.name)
    data: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        data["required"] = required
    # The rules across fields (a window's date with its half, a checklist action's fields).
    data.update(_with_instant_refs(payload.SCHEMA_RULES))
    doc = (payload.__doc__ or "").strip().splitlines()
    if doc:
        data["description"] = doc[0]
    return data


def _event_schema_of(kind: EventKind) -> dict[str, Any]:
    data = _data_schema(payload_class(kind.value))
    event: dict[str, Any] = {
        "type": "object",
        "description": f"{kind.value}: {kind.label_zh} ({kind.rule})",
        "properties": {
            "kind": {"const": kind.value},
            "at": {"$ref": "#/$defs/instant"},
            "actor": {"$ref": "#/$defs/identifier"},
            "data": data,
        },
        "required": ["kind", "at", "actor"] + (["data"] if "required" in data else []),
        "additionalProperties": False,
    }
    return event


@functools.cache
def _cached_event_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {"instant": dict(_INSTANT), "identifier": dict(_IDENTIFIER)}
    for kind in EventKind:
        defs[kind.value] = _event_schema_of(kind)
    return {
        "$schema": _DRAFT,
        "$id": SCHEMA_ID,
        "title": "fieldservice event",
        "description": (
            "One event of a work order's log (工单事件): what happened, when (with its UTC "
            "offset), who recorded it, and the details its kind defines. Personal and "
            'secret values are {"$secret": text}, or {"$secret": null} where an export '
            "masked them (G1)."
        ),
        "$comment": _ONE_EVENT_RULES + _order_rules(),
        "type": "object",
        "required": ["kind", "at", "actor"],
        "properties": {"kind": {"enum": [k.value for k in EventKind]}},
        # Chosen by kind with if/then, so a validator reports the errors of that kind
        # only, not those of every other branch of a oneOf.
        "allOf": [
            {
                "if": {"properties": {"kind": {"const": kind.value}}},
                "then": {"$ref": f"#/$defs/{kind.value}"},
            }
            for kind in EventKind
        ],
        "$defs": defs,
    }


def event_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one event of the log.

    Returns a new copy each call, so a caller may change it freely.

    >>> s = event_schema()
    >>> [f.get("type") for f in s["$defs"]["cancelled"]["properties"]["data"]["properties"]["reason"]["anyOf"]]
    ['string', 'object']
    >>> "colour" in s["$defs"]["booked"]["properties"]["data"]["properties"]
    False
    """
    import copy

    return copy.deepcopy(_cached_event_schema())


def order_schema() -> dict[str, Any]:
    """The JSON Schema of a whole order as :meth:`~fieldservice.workflow.WorkOrder.to_json` writes it.

    The events are checked by :func:`event_schema` (under ``$defs``); the customer
    and the checklist are described loosely, as the library's own readers check them.

    >>> s = order_schema()
    >>> s["properties"]["schema_version"]["const"], s["required"][:2]
    (1, ['schema_version', 'id'])
    """
    from fieldservice.workflow import SCHEMA_VERSION

    events = event_schema()
    events.pop("$schema")
    events.pop("$id")
    defs = events.pop("$defs")
    defs["event"] = events
    return {
        "$schema": _DRAFT,
        "$id": SCHEMA_ID.replace("event.json", "order.json"),
        "title": "fieldservice work order",
        "description": "A work order (工单) as its event log, with the standard it is under.",
        "$comment": (
            "Each event is one of $defs/event, whose $comment says what the library checks "
            "beyond it, the rules of an order among them. The customer and the technicians "
            "are described loosely: the library's readers check their fields. An order "
            "written under another standard than the reader's is refused unless that "
            "standard is given on purpose."
        ),
        "type": "object",
        "required": ["schema_version", "id", "standard", "customer", "technicians", "events"],
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "id": {"$ref": "#/$defs/identifier"},
            "standard": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "digest": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                },
                "required": ["name", "digest"],
            },
            "customer": {"type": "object"},
            "technicians": {"type": "array", "items": {"type": "object"}},
            "events": {"type": "array", "items": {"$ref": "#/$defs/event"}},
        },
        "$defs": defs,
    }

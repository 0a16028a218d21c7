"""The event log as JSON Schema: the integrator's contract.

A system that does not run Python writes and reads the order log by this schema
(draft 2020-12). It is made from the same payload classes that check every event
the library records (:mod:`fieldservice.payloads`), so it cannot drift from them.
``fieldservice schema events`` prints it.

>>> schema = event_schema()
>>> schema["$schema"]
'https://json-schema.org/draft/2020-12/schema'
>>> sorted(schema["$defs"]["booked"]["properties"]["data"]["required"])
['end', 'start']

The schema describes the shape of each event; rules that span several events (time
order, the workflow's state machine, a contact among the assigned technicians)
are the library's to check when it restores the order.
"""

from __future__ import annotations

import functools
from typing import Any, Final

import attrs

from fieldservice.events import EventKind
from fieldservice.payloads import Payload, payload_class

__all__ = ["SCHEMA_ID", "event_schema", "order_schema"]

SCHEMA_ID: Final = "https://fieldservice.invalid/schema/1/event.json"
"""The ``$id`` of the event schema; the number is the order JSON's ``schema_version``."""

_DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"
_IDENTIFIER: Final = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._:\\-]{0,63}$"}
# RFC 3339 with the offset required: the clocks judge instants, never wall times.
_INSTANT: Final = {
    "type": "string",
    "format": "date-time",
    "pattern": "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([+-]\\d{2}:\\d{2}|Z)$",
}


def _data_schema(payload: type[Payload]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(payload):
        prop = dict(field.metadata["spec"].schema)
        if prop.get("format") == "date-time":
            prop = {"$ref": "#/$defs/instant"}
        properties[field.name] = prop
        if field.default is not None:  # optional fields default to None
            required.append(field.name)
    data: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        data["required"] = required
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
    defs: dict[str, Any] = {"instant": _INSTANT, "identifier": _IDENTIFIER}
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

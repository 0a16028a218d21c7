"""Shared test settings: hypothesis profiles for CI and for long local runs."""

import functools
import os

from hypothesis import HealthCheck, settings

# CI is derandomized: the same examples every run, so a red run is reproducible and a new
# find never turns an unrelated change red. The dev and long profiles keep exploring.
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("long", max_examples=5_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

# The corpus script under data/ is run by hand on an old release, never collected.
collect_ignore = ["data"]

# --- the schema audit: every event the suite produces must validate against the
# published JSON Schema (fieldservice schema events). Every payload enters through
# events._payload (commands, readers, Event()); each distinct one is kept once and
# validated, masked and in clear, when the session ends.

import fieldservice.events as _events  # noqa: E402

_AUDIT: dict[tuple[str, object], None] = {}
_PRODUCED = [0]
_plain_payload = _events._payload


def _recording_payload(kind: _events.EventKind, data: object) -> object:
    payload = _plain_payload(kind, data)
    _PRODUCED[0] += 1
    try:
        _AUDIT[(kind.value, payload)] = None
    except TypeError:  # an unhashable value in a payload: keep it by identity
        _AUDIT[(kind.value, _Unhashable(payload))] = None
    return payload


class _Unhashable:
    __slots__ = ("payload",)

    def __init__(self, payload: object) -> None:
        self.payload = payload


_events._payload = _recording_payload  # type: ignore[assignment]

# The instant and the actor of every event written out are checked as they are
# written (a regex each: cheap enough for the 100,000-lifecycle round trip).
_BAD_HEADS: list[str] = []
_plain_to_dict = _events.Event.to_dict


@functools.wraps(_plain_to_dict)  # inspect.signature still shows the library's own
def _recording_to_dict(self: _events.Event, **kwargs: bool) -> dict[str, object]:
    out = _plain_to_dict(self, **kwargs)
    if not _INSTANT.fullmatch(out["at"]) or not _ACTOR.fullmatch(out["actor"]):  # type: ignore[arg-type]
        _BAD_HEADS.append(f"{out['kind']}: at {out['at']!r} / actor {out['actor']!r}")
    return out


_events.Event.to_dict = _recording_to_dict  # type: ignore[method-assign]


def _schema_patterns() -> tuple[object, object]:
    import re

    from fieldservice.schema import event_schema

    defs = event_schema()["$defs"]
    return re.compile(defs["instant"]["pattern"]), re.compile(defs["identifier"]["pattern"])


_INSTANT, _ACTOR = _schema_patterns()


def audited_events() -> tuple[int, list[tuple[str, object]]]:
    """How many payloads the suite produced so far, and the distinct ones."""
    found = []
    for kind, payload in _AUDIT:
        found.append((kind, payload.payload if isinstance(payload, _Unhashable) else payload))
    return _PRODUCED[0], found


def pytest_sessionfinish(session: object, exitstatus: int) -> None:
    import sys

    import jsonschema

    from fieldservice.schema import event_schema

    produced, found = audited_events()
    if not found:
        return
    bad = list(_BAD_HEADS)
    validator = jsonschema.Draft202012Validator(
        event_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    for kind, payload in found:
        for personal in (False, True):
            event = {
                "kind": kind,
                "at": "2026-11-24T10:00:00+08:00",
                "actor": "T-1",
                "data": payload.to_json_data(include_personal=personal),  # type: ignore[attr-defined]
            }
            error = jsonschema.exceptions.best_match(validator.iter_errors(event))
            if error is not None:
                bad.append(f"{kind}: {error.message} at {list(error.absolute_path)}")
    sys.stderr.write(
        f"\nschema audit: {produced} event payloads produced, {len(found)} distinct, "
        f"{len(bad)} not valid against `fieldservice schema events`\n"
    )
    if bad:
        for line in bad[:20]:
            sys.stderr.write(f"  {line}\n")
        session.exitstatus = 1  # type: ignore[attr-defined]

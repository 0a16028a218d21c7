"""Write the schema-0 corpus: orders as the release before the event schema wrote them.

Run once, on the code *before* the event-schema redesign (commit ef26aea); it is kept
to show how ``orders-v0.jsonl`` and ``expected-v0.json`` were made. The expected
answers (state, SLA reports, reminder plans, masked JSON) are that release's own, so
``test_schema_versions.py`` can hold every later release to them.

    PYTHONPATH=tests python tests/data/make_corpus_v0.py
"""

from __future__ import annotations

import datetime as dt
import json
import pathlib

from test_roundtrip import TRAVEL, lifecycle

from fieldservice import reminders, sla

HERE = pathlib.Path(__file__).parent
SEEDS = range(400)


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return str(value) if isinstance(value, dt.timedelta) else value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def expected(order) -> dict[str, object]:  # type: ignore[no-untyped-def]
    std = order.standard
    last = order.events[-1].at
    return {
        "id": order.id,
        "standard": std.name,
        "state": order.state.value,
        "allowed": order.allowed_commands(),
        "masked_json": json.loads(order.to_json()),
        "sla_at_last": _plain(sla.evaluate(order, at=last, standard=std).to_records()),
        "sla_30h_later": _plain(
            sla.evaluate(order, at=last + dt.timedelta(hours=30), standard=std).to_records()
        ),
        "plan": _plain(reminders.plan(order, standard=std).to_records()),
        "plan_travel": _plain(reminders.plan(order, standard=std, travel=TRAVEL).to_records()),
    }


def main() -> None:
    orders = [lifecycle(seed, tag="v0") for seed in SEEDS]
    with (HERE / "orders-v0.jsonl").open("w", encoding="utf-8") as out:
        for order in orders:
            out.write(order.to_json(include_personal=True) + "\n")
    answers = [expected(o) for o in orders]
    (HERE / "expected-v0.json").write_text(
        json.dumps(answers, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()

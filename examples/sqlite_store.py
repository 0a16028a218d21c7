"""Embedding work orders in SQLite (stdlib ``sqlite3``): an event-log store and restore.

An order *is* its event log, so the store keeps two tables: ``orders`` (the
order ID, the customer and the technicians as JSON) and ``events`` (one row per
event: order ID, sequence number, the event as JSON). Saving an order appends
only the events the database does not have yet; loading one reads the rows back
and rebuilds it with ``WorkOrder.from_events``, the same fold the commands use.
The script stores the demo day, drives one order further, saves again, restores
every order and checks that state, events, checklist and work sheet are equal.

Personal data (G1): restoring needs ``to_dict(include_personal=True)``, so the
database holds customers' names, phones and addresses, technicians' names and
phones, and secrets such as modem passwords, in clear. Protect it as personal
data: restrict access, encrypt the disk or use SQLCipher, keep it out of logs
and backups nobody guards, and delete what you no longer need. For reporting,
export ``to_json()`` (masked) instead: the SLA clocks need only the events.

    python examples/sqlite_store.py [orders.sqlite]     # default: a temporary file
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from pathlib import Path

import pendulum

from fieldservice import ServiceStandard, WorkOrder
from fieldservice.demo import build_day
from fieldservice.events import Event
from fieldservice.model import customer_from_dict, technician_from_dict

SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    id          TEXT PRIMARY KEY,
    customer    TEXT NOT NULL,   -- JSON, personal data in clear (G1): protect the database
    technicians TEXT NOT NULL    -- JSON list, names and phones in clear
);
CREATE TABLE IF NOT EXISTS events (
    order_id TEXT    NOT NULL REFERENCES orders (id),
    seq      INTEGER NOT NULL,   -- 0, 1, 2, ...: the order of the log
    json     TEXT    NOT NULL,   -- Event.to_dict(include_personal=True)
    PRIMARY KEY (order_id, seq)
);
"""


def dumps(value: object) -> str:
    """JSON text as stored: UTF-8, Chinese kept readable."""
    return json.dumps(value, ensure_ascii=False)


def save(db: sqlite3.Connection, order: WorkOrder) -> int:
    """Store an order; append the events the database lacks. Return how many were added."""
    # include_personal=True: without it the customer and secrets could not be restored.
    data = order.to_dict(include_personal=True)
    with db:  # one transaction: the order row and its new events, or nothing
        db.execute(
            "INSERT INTO orders (id, customer, technicians) VALUES (?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET customer = excluded.customer, "
            "technicians = excluded.technicians",
            (order.id, dumps(data["customer"]), dumps(data["technicians"])),
        )
        (stored,) = db.execute(
            "SELECT count(*) FROM events WHERE order_id = ?", (order.id,)
        ).fetchone()
        # Events are only ever appended. (order_id, seq) is the primary key, so if two
        # writers race to append to one order, the second fails instead of interleaving.
        new = data["events"][stored:]
        db.executemany(
            "INSERT INTO events (order_id, seq, json) VALUES (?, ?, ?)",
            [(order.id, stored + i, dumps(event)) for i, event in enumerate(new)],
        )
    return len(new)


def load(db: sqlite3.Connection, order_id: str, standard: ServiceStandard) -> WorkOrder:
    """Rebuild an order from its rows: customer, technicians, then its events in order."""
    customer, technicians = db.execute(
        "SELECT customer, technicians FROM orders WHERE id = ?", (order_id,)
    ).fetchone()
    rows = db.execute("SELECT json FROM events WHERE order_id = ? ORDER BY seq", (order_id,))
    return WorkOrder.from_events(
        id=order_id,
        customer=customer_from_dict(json.loads(customer)),
        technicians=[technician_from_dict(t) for t in json.loads(technicians)],
        events=[Event.from_dict(json.loads(text)) for (text,) in rows],
        standard=standard,
    )


def same(a: WorkOrder, b: WorkOrder) -> bool:
    """Whether two orders are the same order as far as anyone can tell."""

    def facts(o: WorkOrder) -> tuple[object, ...]:
        return (o.state, o.events, o.checklist, o.worksheet, o.signature, o.technicians)

    return facts(a) == facts(b)


def main() -> int:
    std = ServiceStandard.default()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tmp) / "orders.sqlite"
        db = sqlite3.connect(path)
        try:
            db.executescript(SCHEMA)
            orders = build_day(std)
            added = sum(save(db, order) for order in orders)
            print(f"stored {len(orders)} orders, {added} events")

            # The customer of WO-104 cancels: one more event, and only it is written.
            wo104 = next(o for o in orders if o.id == "WO-104")
            wo104.cancel(
                at=pendulum.datetime(2026, 11, 25, 19, tz=std.timezone),
                by="desk-2",
                reason="客户取消",
            )
            print(f"saved {wo104.id} again: appended {save(db, wo104)} event(s)")

            (total,) = db.execute("SELECT count(*) FROM events").fetchone()
            print(f"the events table holds {total} events")
            ok = True
            for order in orders:
                back = load(db, order.id, std)
                equal = same(back, order)
                ok = ok and equal
                print(
                    f"restored {back.id}: {back.state.value} ({back.state.label_zh}), "
                    f"{len(back.events)} events, "
                    + ("same state, events, checklist, work sheet" if equal else "DIFFERENT")
                )
        finally:
            db.close()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

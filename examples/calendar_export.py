"""Calendar export: a day's visits as one iCalendar file (RFC 5545) to import or publish.

``fieldservice.calendar.to_ical`` turns each booked order into one ``VEVENT``
derived from its events: the half-day window (B2) or the confirmed arrival hour
(C1), ``STATUS`` TENTATIVE, CONFIRMED or CANCELLED, a ``UID`` fixed per order and
a ``SEQUENCE`` that grows with each change of date or time, with the reminders as alarms.

The demo day is a mixed batch: one visit was cancelled (the customer was away,
K3) while the others are live. An iTIP message (``itip=True``, the default, for
email invitations) cannot both request and cancel, so the library refuses it;
a plain calendar to import or put on a CalDAV server takes ``itip=False``, where
``STATUS`` says which visits are cancelled. Nothing personal is written unless
``include_personal=True`` is asked for (G1): technicians and the customer appear
by ID and the place by its region. ``calendar.feed`` gives one technician's feed.

    python examples/calendar_export.py [-o day.ics]     # default: a temporary directory
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from pathlib import Path

import pendulum

from fieldservice import InvalidInput, ServiceStandard, calendar
from fieldservice.demo import build_day


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, help="the .ics file to write")
    args = parser.parse_args()
    std = ServiceStandard.default()
    orders = build_day(std)

    for order in orders:
        visit = calendar.visit_of(order)
        if visit is None:
            print(f"{order.id}: no visit booked")
        else:
            print(
                f"{order.id}: {visit.status.value:<9} {visit.start:%m-%d %H:%M}-{visit.end:%H:%M} "
                f"sequence {visit.sequence}"
            )

    try:
        calendar.to_ical(orders)  # an iTIP REQUEST cannot also cancel a visit
    except InvalidInput as err:
        print(f"as one iTIP message: refused [{err.code}]")
    # For invitations, send the live and the cancelled visits as two messages.
    visits = {o.id: calendar.visit_of(o) for o in orders}
    for cancelled in (False, True):
        chosen = [o for o in orders if (v := visits[o.id]) is not None and v.cancelled is cancelled]
        message = calendar.to_ical(chosen)
        method = next(line for line in message.decode().splitlines() if line.startswith("METHOD:"))
        print(f"iTIP message {method} with {message.count(b'BEGIN:VEVENT')} visits")

    data = calendar.to_ical(orders, itip=False)
    statuses = Counter(
        line.split(":", 1)[1] for line in data.decode().splitlines() if line.startswith("STATUS:")
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = args.output or Path(tmp) / "day.ics"
        path.write_bytes(data)
        print(
            f"wrote {data.count(b'BEGIN:VEVENT')} visits to {path.name}: "
            + ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
            + f"; METHOD {'present' if b'METHOD:' in data else 'absent'}"
        )

    # One technician's visits over the next days, as a feed a calendar app subscribes to.
    t7 = next(t for o in orders for t in o.technicians if t.id == "T7")
    start = pendulum.datetime(2026, 11, 25, tz=std.timezone)
    feed = calendar.feed(t7, orders, start, start.add(days=7))
    print(f"feed for {t7.id}: {feed.count(b'BEGIN:VEVENT')} visits")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

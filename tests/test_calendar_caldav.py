"""A real CalDAV server (Radicale) accepts exported visits, their reschedules and cancellations.

Radicale (GPL-3) and the ``caldav`` client are test-only: the ``integration``
extra, which CI installs. The server runs in its own process on 127.0.0.1, on a
free port, with its storage in the test's temporary folder.
"""

import datetime as dt
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import attrs
import icalendar
import pendulum
import pytest

import fieldservice as fs
from fieldservice.calendar import to_ical
from fieldservice.events import Event

try:
    import caldav
    import radicale  # noqa: F401  (it runs in a subprocess; imported to know it is there)
except ImportError as err:  # pragma: no cover - CI installs the extra
    pytest.skip(
        f"{err.name} is not installed: pip install 'fieldservice[integration]' to run the "
        "CalDAV round trip against a Radicale server",
        allow_module_level=True,
    )

TZ = "Asia/Shanghai"
STD = fs.ServiceStandard.default()
STARTUP = 15.0  # seconds: the longest wait for the server to answer
T7 = fs.Technician(id="T7", name="王师傅", certificate="ZW-310-0042")
CUSTOMER = fs.Customer(
    id="C-1001",
    name="张三",
    tier="gold",
    phones="138 0013 8000",
    address=fs.Address(region="上海市浦东新区", detail="张江路 100 弄"),
)


@attrs.frozen
class Order:
    """A test double of the work order: what the calendar reads (VisitOrder)."""

    id: str
    events: tuple[Event, ...]
    kind: fs.OrderKind = fs.OrderKind.INSTALL
    products: frozenset[fs.Product] = frozenset({fs.Product.BROADBAND})
    customer: fs.Customer = CUSTOMER
    technicians: tuple[fs.Technician, ...] = (T7,)
    standard: fs.ServiceStandard = STD


def at(day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, 11, day, hour, minute, tz=TZ)


def window(
    kind: str,
    when: pendulum.DateTime,
    start: pendulum.DateTime,
    end: pendulum.DateTime,
    **extra: object,
) -> Event:
    return Event(
        kind, when, actor="desk", data={"start": start.isoformat(), "end": end.isoformat(), **extra}
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A Radicale server of its own: no authentication, files under tmp_path."""
    port = free_port()
    config = tmp_path / "radicale.conf"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n"
        "[auth]\ntype = none\n"
        f"[storage]\nfilesystem_folder = {tmp_path / 'collections'}\n"
        "[logging]\nlevel = warning\n",
        encoding="utf-8",
    )
    url = f"http://127.0.0.1:{port}/"
    log_path = tmp_path / "radicale.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + STARTUP
            while True:
                try:
                    with urllib.request.urlopen(url, timeout=1):
                        break
                except urllib.error.HTTPError:
                    break  # it answers: any HTTP status will do
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        reason = log_path.read_text(encoding="utf-8", errors="replace")
                        pytest.fail(f"Radicale did not start on port {port}:\n{reason}")
                    time.sleep(0.05)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover - a stuck server
                process.kill()
                process.wait(timeout=10)


def upload(calendar: "caldav.Calendar", order: Order) -> str:
    """Store an order's entry as a CalDAV resource: a plain calendar, no METHOD (RFC 4791)."""
    data = to_ical([order], itip=False)
    # Stored as exported: caldav would otherwise raise SEQUENCE on every save.
    calendar.add_event(data.decode(), increase_seqno=False)
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    return str(event["UID"])


def stored(calendar: "caldav.Calendar", uid: str) -> icalendar.Event:
    (event,) = icalendar.Calendar.from_ical(calendar.get_event_by_uid(uid).data).walk("VEVENT")
    return event


def uids_between(
    calendar: "caldav.Calendar", start: pendulum.DateTime, end: pendulum.DateTime
) -> set[str]:
    """The UIDs the server itself finds in a time range: it read our TZID times."""
    found = calendar.search(start=start, end=end, event=True)
    return {str(e.icalendar_component["UID"]) for e in found}


def triggers(event: icalendar.Event) -> dict[str, dt.timedelta]:
    return {str(a["X-FIELDSERVICE-RULE"]): a["TRIGGER"].dt for a in event.walk("VALARM")}


def test_B8_radicale_keeps_uid_times_and_alarms_and_applies_reschedule_and_cancel(
    server: str,
) -> None:
    accepted = Event("accepted", at(24, 10), actor="desk", data={"tier": "gold"})
    confirmed = (
        accepted,
        window("booked", at(24, 10, 5), at(26, 12), at(26, 20)),
        window("confirmed", at(26, 8, 30), at(26, 14), at(26, 15)),
    )
    unconfirmed = (accepted, window("booked", at(24, 10, 5), at(26, 8), at(26, 12)))
    first, second = Order("WO-1", confirmed), Order("WO-2", unconfirmed)

    with caldav.DAVClient(
        url=server, username="T7", password="-", auth_type="basic", timeout=10
    ) as client:
        calendar = client.get_principal().make_calendar(name="visits", cal_id="visits")
        uid1, uid2 = upload(calendar, first), upload(calendar, second)

        held = stored(calendar, uid1)
        assert (held.start, held.end) == (at(26, 14), at(26, 15))
        assert held["DTSTART"].params["TZID"] == TZ
        assert (held["SEQUENCE"], held["STATUS"]) == (1, "CONFIRMED")  # narrowed to the hour
        assert triggers(held) == {"C2": -dt.timedelta(minutes=30)}
        assert triggers(stored(calendar, uid2)) == {
            "C1": dt.timedelta(0),
            "C2": -dt.timedelta(minutes=30),
        }
        assert uids_between(calendar, at(26, 0), at(27, 0)) == {uid1, uid2}
        assert uids_between(calendar, at(27, 0), at(28, 0)) == set()

        # The customer moves WO-1 to the 27th (B9): the same resource, a higher SEQUENCE.
        moved = attrs.evolve(
            first,
            events=(
                *confirmed,
                window(
                    "rescheduled",
                    at(26, 9),
                    at(27, 8),
                    at(27, 12),
                    requested_by="customer",
                    reason="出差",
                    consent=True,
                ),
            ),
        )
        assert upload(calendar, moved) == uid1
        held = stored(calendar, uid1)
        assert (held.start, held.end) == (at(27, 8), at(27, 12))
        assert (held["SEQUENCE"], held["STATUS"]) == (2, "TENTATIVE")
        assert uids_between(calendar, at(27, 0), at(28, 0)) == {uid1}

        # WO-2 is cancelled: the server holds the cancelled entry, not a second one.
        cancelled = attrs.evolve(
            second,
            events=(
                *unconfirmed,
                Event("cancelled", at(25, 9), actor="desk", data={"reason": "撤单"}),
            ),
        )
        assert upload(calendar, cancelled) == uid2
        held = stored(calendar, uid2)
        assert (held["SEQUENCE"], held["STATUS"]) == (1, "CANCELLED")
        assert held.walk("VALARM") == []

        assert sorted(str(e.icalendar_component["UID"]) for e in calendar.get_events()) == sorted(
            [uid1, uid2]
        )

"""Fuzz (issue 10): every public entry point fed random and hostile input.

The contract under test: whatever a caller passes, only a
:class:`~fieldservice.errors.FieldServiceError` subclass comes out (a stray
``TypeError``, ``ValueError``, ``KeyError``, ``AttributeError`` or
``OverflowError`` is a bug), every such error is well formed (a stable
``code``, a message, violations, picklable), and a refused work-order command
leaves the order exactly as it was. What is accepted must also be usable: a
standard read from TOML works in the clocks and the slot search, an order
read from tampered JSON works in the clocks, the reminders and the calendar.

Inputs: naive and far-future datetimes (years 1 and 9999, every offset),
wrong types, empty, huge, unicode and control-character text, unknown enum
values, truncated and tampered JSON and TOML, events out of order, random
``argv`` for the CLI.

Example counts come from the hypothesis profile of ``tests/conftest.py``
(``ci``: 200 per test, derandomized; ``HYPOTHESIS_PROFILE=long`` for 5,000 new
ones locally). The lifecycles of a DST branch ask for at least 1,000.

Known bugs
----------
Bugs this suite found are listed in :data:`KNOWN_BUGS`: each has a test
``test_bug_...`` with its minimal input, marked ``xfail(strict=True)``, so it
fails loudly once the bug is fixed. Until then the broad tests tolerate the
exception at exactly the places the bug names (the exception type, the module
and the function where it leaves fieldservice), so that they keep checking
everything else. Fixing a bug: remove its ``xfail`` mark and its entry in
:data:`KNOWN_BUGS` (the test becomes a ``test_regression_...``).

``FIELDSERVICE_FUZZ_STRICT=1`` tolerates nothing and shows every known bug in
the broad tests as well. ``FIELDSERVICE_FUZZ_RECORD=FILE`` tolerates every
exception instead and appends where each one left fieldservice to FILE: one run
lists every site a new batch of inputs reaches.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import decimal
import fractions
import inspect
import io
import json
import os
import pickle
import random
import re
import traceback
import types
import zoneinfo
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import icalendar
import pendulum
import pytest
from hypothesis import HealthCheck, assume, event, given, note, settings
from hypothesis import strategies as st
from test_roundtrip import (
    CUSTOMERS,
    LABELS,
    STANDARDS,
    check_round_trip,
    lifecycle,
    snapshot,
    technicians,
)

import fieldservice as fs
from fieldservice import calendar, reminders, sla
from fieldservice.cli import main
from fieldservice.events import Event, EventKind, check_time_order
from fieldservice.servicecal import ServiceCalendar
from fieldservice.workflow import WorkOrder

TZ = "Asia/Shanghai"
STD = fs.ServiceStandard.default()
STRICT = os.environ.get("FIELDSERVICE_FUZZ_STRICT") == "1"
RECORD = os.environ.get("FIELDSERVICE_FUZZ_RECORD")

# --- known bugs -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class KnownBug:
    """A bug found by this suite: where its exception leaves fieldservice, and what it is."""

    summary: str
    sites: frozenset[tuple[str, str, str]]
    """(exception type, module file, function) of the innermost fieldservice frame."""


def _sites(*entries: str) -> frozenset[tuple[str, str, str]]:
    found = set()
    for entry in entries:
        exc, module, function = entry.split(":")
        found.add((exc, module, function))
    return frozenset(found)


KNOWN_BUGS: dict[str, KnownBug] = {}
"""Bugs this suite found and that are still open, by ID; each has a ``test_bug_...`` below
with its minimal input. None is open: each one fixed became a ``test_regression_...``."""


def _innermost_site(err: BaseException) -> tuple[str, str, str] | None:
    frames = [
        f
        for f in traceback.extract_tb(err.__traceback__)
        if f"{os.sep}fieldservice{os.sep}" in f.filename
        and f"{os.sep}tests{os.sep}" not in f.filename
    ]
    if not frames:
        return None
    last = frames[-1]
    return type(err).__name__, Path(last.filename).name, last.name


def known_bug(err: BaseException) -> str | None:
    """The ID of the known bug that raised ``err``, if any."""
    site = _innermost_site(err)
    if RECORD:
        # Survey mode: tolerate every exception and list where each one leaves fieldservice.
        where = traceback.extract_tb(err.__traceback__)[-1]
        with open(RECORD, "a", encoding="utf-8") as log:
            test = os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0]
            line = f"{site}\t{type(err).__name__}: {str(err)[:120]!r}\t{where.filename}:{where.lineno}\t{test}\n"
            log.write(line)
        return "recorded"
    if STRICT:
        return None
    return next((key for key, bug in KNOWN_BUGS.items() if site in bug.sites), None)


# --- the contract --------------------------------------------------------------------------


class _Outcome:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


REFUSED = _Outcome("REFUSED")
"""The entry point refused the input with a FieldServiceError."""
KNOWN = _Outcome("KNOWN")
"""The entry point failed with a known bug (see KNOWN_BUGS)."""


def well_formed(err: fs.FieldServiceError) -> None:
    """A refusal is a coded error with a message, rule violations, and it pickles."""
    assert isinstance(err.code, str)
    assert err.code
    assert err.code == type(err).code
    assert isinstance(err.message, str)
    assert err.message
    assert isinstance(str(err), str)
    assert all(isinstance(v, fs.Violation) for v in err.violations)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is type(err)
    assert (back.message, back.violations) == (err.message, err.violations)


def attempt(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """Call an entry point: its result, REFUSED, or KNOWN; any other exception is a bug."""
    try:
        return fn(*args, **kwargs)
    except fs.FieldServiceError as err:
        well_formed(err)
        return REFUSED
    except Exception as err:
        bug = known_bug(err)
        if bug is None:
            raise
        event(f"known bug {bug}")
        return KNOWN


def ok(result: Any) -> bool:
    return result is not REFUSED and result is not KNOWN


def found_known_bug(bug: str, condition: bool) -> bool:
    """Whether ``condition`` shows the known bug ``bug`` (a failure in strict mode)."""
    assert bug in KNOWN_BUGS, bug
    if not condition:
        return False
    if STRICT:
        pytest.fail(f"known bug {bug}: {KNOWN_BUGS[bug].summary}")
    event(f"known bug {bug}")
    return True


# --- strategies: hostile values -----------------------------------------------------------------

ZONES = st.sampled_from(
    [
        dt.UTC,
        dt.timezone(dt.timedelta(hours=14)),
        dt.timezone(-dt.timedelta(hours=12)),
        dt.timezone(dt.timedelta(hours=5, minutes=45)),
        dt.timezone(dt.timedelta(hours=23, minutes=59)),
        dt.timezone(-dt.timedelta(hours=23, minutes=59)),
        zoneinfo.ZoneInfo("Asia/Shanghai"),
        zoneinfo.ZoneInfo("America/New_York"),
        zoneinfo.ZoneInfo("Europe/London"),
        zoneinfo.ZoneInfo("Pacific/Kiritimati"),
        pendulum.timezone("Asia/Shanghai"),
        pendulum.timezone("America/Sao_Paulo"),
    ]
)


class _NoOffset(dt.tzinfo):
    """A tzinfo that is there but gives no offset: a naive datetime in disguise."""

    def utcoffset(self, _: dt.datetime | None) -> None:
        return None

    def dst(self, _: dt.datetime | None) -> None:
        return None

    def tzname(self, _: dt.datetime | None) -> None:
        return None


EDGE_INSTANTS = [
    dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
    dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.timezone(-dt.timedelta(hours=12))),
    dt.datetime(9999, 12, 31, 12, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")),
    dt.datetime(1, 1, 1, tzinfo=dt.UTC),
    dt.datetime(1, 1, 1, 6, tzinfo=dt.timezone(dt.timedelta(hours=14))),
    dt.datetime(1969, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
    dt.datetime(1970, 1, 1, tzinfo=dt.UTC),
    dt.datetime(2199, 12, 31, 23, 0, tzinfo=dt.UTC),
    dt.datetime(2200, 1, 1, tzinfo=dt.UTC),
    dt.datetime(2038, 1, 19, 3, 14, 8, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 8, 2, 30, tzinfo=zoneinfo.ZoneInfo("America/New_York")),  # no such time
    dt.datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=zoneinfo.ZoneInfo("America/New_York")),
    dt.datetime(2026, 11, 24, 10, 30, tzinfo=_NoOffset()),
    pendulum.datetime(9999, 12, 31, 23, 59, 59, tz="Asia/Shanghai"),
    pendulum.datetime(2027, 6, 1, 10, tz="Asia/Shanghai"),  # a year whose holidays are not known
    pendulum.datetime(2150, 6, 1, 10, tz="Asia/Shanghai"),
]

NAIVE = st.datetimes()
AWARE = st.datetimes(timezones=ZONES)
REALISTIC = st.datetimes(
    min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2026, 10, 1), timezones=ZONES
)
DATETIMES = st.one_of(REALISTIC, NAIVE, AWARE, st.sampled_from(EDGE_INSTANTS))

SPECIAL_TEXT = [
    "",
    " ",
    "\t",
    "\x00",
    "a\x00b",
    "\r\n",
    "line\nbreak",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u202eevil",
    "\x1b[31mred",
    "\x85",
    "\ud800",
    "a\\",
    "\\n",
    '"; DROP TABLE orders; --',
    "${jndi:ldap://x}",
    "%s%n{0}{}",
    "NaN",
    "-inf",
    "1e309",
    "-0",
    "０１２",
    "١٢٣",
    "🙂" * 3,
    "e\u0301" * 5,
    "ǅ",
    "İ",
    "ß",
    "None",
    "true",
    "null",
    "[]",
    "{}",
    "morning",
    "afternoon",
    "gold",
    "Gold",
    "GOLD",
    " gold ",
    "broadband",
    "2026-11-25",
    "2026-02-30",
    "+8613800138000",
]
HUGE_TEXT = st.builds(
    lambda char, n: char * n,
    st.sampled_from(["x", "界", "\x00", " ", "9"]),
    st.integers(64, 70_000),
)
TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(SPECIAL_TEXT),
    st.text(st.characters(codec=None, categories=["Cc", "Cf", "Zl", "Zp", "Co", "Cs"]), max_size=8),
    HUGE_TEXT,
)


class _Thing:
    """An object of no type the library knows."""

    def __repr__(self) -> str:
        return "<thing>"


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**100, -(10**100), 2**63, -(2**63) - 1, 0, -1]),
    st.floats(),
    st.complex_numbers(max_magnitude=1e10),
    st.decimals(),
    st.fractions(max_denominator=100),
    st.binary(max_size=16),
    TEXT,
    DATETIMES,
    st.dates(),
    st.times(timezones=st.none() | ZONES),
    st.timedeltas(),
    st.sampled_from(
        [
            dt.timedelta.max,
            dt.timedelta.min,
            dt.timedelta(0),
            dt.timedelta(microseconds=1),
            dt.timedelta(seconds=-1),
            dt.date.min,
            dt.date.max,
            dt.time.max,
            float("nan"),
            decimal.Decimal("sNaN"),
            decimal.Decimal("-Infinity"),
            fractions.Fraction(1, 3),
            _Thing(),
            object(),
            Ellipsis,
            NotImplemented,
            int,
            fs.Tier.GOLD,
            fs.Product.IPTV,
            fs.HalfDay.MORNING,
            fs.State.CLOSED,
            EventKind.BOOKED,
            fs.Party.CUSTOMER,
            lambda: None,
            ValueError("x"),
            Path("/nonexistent"),
            bytearray(b"\xff"),
            memoryview(b"ab"),
            range(3),
            iter([1, 2]),
            types.MappingProxyType({"a": 1}),
        ]
    ),
)


def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    keys = st.one_of(st.text(max_size=8), st.integers(), st.none(), st.sampled_from(["kind", "at"]))
    return st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(tuple),
        st.dictionaries(keys, children, max_size=4),
        st.frozensets(st.integers() | st.text(max_size=4), max_size=3),
    )


HOSTILE = st.recursive(SCALARS, _containers, max_leaves=8)
"""Anything at all: the wrong type, or the right type with a hostile value."""

IDENTIFIER = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}", fullmatch=True)
JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(SPECIAL_TEXT),
)


def _json_containers(kids: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=8), kids, max_size=3)


JSON = st.recursive(JSON_SCALARS, _json_containers, max_leaves=6)


def made(cls: Callable[..., Any], *args: Any) -> Any:
    """An instance if the arguments make one, else the arguments (hostile in their own right)."""
    try:
        return cls(*args)
    except fs.FieldServiceError:
        return args


def either(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A valid value most of the time, a hostile one otherwise."""
    return st.one_of(valid, valid, HOSTILE)


def enum_values(enum_type: type[Any]) -> st.SearchStrategy[Any]:
    """Members, their values, and unknown values of an enum."""
    members = list(enum_type)
    return st.one_of(
        st.sampled_from(members),
        st.sampled_from([m.value for m in members]),
        st.sampled_from([str(m.value).upper() for m in members] + ["unknown", ""]),
        HOSTILE,
    )


PHONES = st.one_of(
    st.sampled_from(
        [
            "138 0013 8000",
            "13800138000",
            "+86 10 8888 6666",
            "010-8888 6666",
            "(010) 8888-6666",
            "+44 20 7946 0018",
            "+1 202 555 0143",
            "12345",
            "+86",
            "+",
            "0" * 30,
            "+86 138 0013 8000 ext. 12",
            "tel:+86-138-0013-8000",
            "１３８００１３８０００",
        ]
    ),
    st.from_regex(r"\+?[0-9 ()\-]{0,24}", fullmatch=True),
    TEXT,
)
REGIONS = st.one_of(
    st.sampled_from(["CN", "cn", "GB", "US", "HK", "ZZ", "001", "", "XK", "ǅ", "ss", "İ"]), HOSTILE
)
NAMES = st.one_of(st.sampled_from(["张三", "欧阳娜娜", "Zoë O'Brien", "x"]), TEXT)


@contextlib.contextmanager
def quiet() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    """Catch what the CLI and argparse print (hypothesis cannot use capsys)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        yield out, err


# --- usable once accepted -------------------------------------------------------------------------

_SAMPLE_LOGS = [lifecycle(seed).events for seed in (1, 2, 3, 5, 8)]


def check_standard_usable(std: fs.ServiceStandard) -> None:
    """A standard that was accepted works everywhere (refusals must still be coded)."""
    assert isinstance(std, fs.ServiceStandard)
    # What it writes, it reads back.
    assert attempt(lambda: fs.ServiceStandard.from_toml(std.to_toml())) in (std, KNOWN)
    at = pendulum.datetime(2026, 3, 2, 10, 30, tz=TZ)
    windows = attempt(fs.next_windows, at, std, count=3)
    if ok(windows):
        for window in windows:
            check = attempt(fs.check_window, window, at, std)
            assert check is KNOWN or check.ok, (window, check)
    attempt(fs.check_window, fs.AppointmentWindow("2026-03-03", "afternoon"), at, std)
    attempt(fs.AppointmentWindow("2026-03-03", "morning").refine, 9, std)
    attempt(lambda: ServiceCalendar.for_clocks(std).add_service_time(at, dt.timedelta(hours=30)))
    late = pendulum.datetime(2026, 12, 30, 10, 30, tz=TZ)  # the search runs into 2027
    windows = attempt(fs.next_windows, late, std, count=4)
    if ok(windows):
        for window in windows:
            check = attempt(fs.check_window, window, late, std)
            provisional = attempt(window.is_provisional, std)
            assert check is KNOWN or provisional is KNOWN or check.provisional == provisional
    for log in _SAMPLE_LOGS:
        attempt(sla.evaluate, log, at=log[-1].at + dt.timedelta(hours=5), standard=std)
        attempt(reminders.plan, log, standard=std, order_id="WO-1")
    attempt(sla.evaluate_many, _SAMPLE_LOGS, at=at, standard=std)
    attempt(reminders.knock_protocol, at, std)
    attempt(fs.departure_time, at, dt.timedelta(minutes=20), std)


def plus(moment: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """``moment + delta``, or ``moment`` where that leaves the years datetime has."""
    try:
        return moment + delta
    except OverflowError:
        return moment


def check_restores(order: fs.WorkOrder) -> None:
    """JSON loses nothing, and the readers answer the restored copy as they answer the order."""
    check_round_trip(order, deep=False)
    back = WorkOrder.from_json(order.to_json(include_personal=True), standard=order.standard)
    std = order.standard
    for at in (order.events[-1].at, plus(order.events[-1].at, dt.timedelta(hours=30))):
        assert attempt(sla.evaluate, back, at=at, standard=std) == attempt(
            sla.evaluate, order, at=at, standard=std
        )
    assert attempt(reminders.plan, back, standard=std) == attempt(
        reminders.plan, order, standard=std
    )


def ambiguous_at(at: dt.datetime) -> bool:
    """Whether a local time occurs twice (the hour a summer time ends)."""
    return at.replace(fold=1 - at.fold).utcoffset() != at.utcoffset()


def check_order_usable(order: fs.WorkOrder) -> None:
    """An order that was accepted (built or restored) works in every reader."""
    last = order.events[-1].at
    std = order.standard
    attempt(sla.evaluate, order, at=last, standard=std)
    attempt(sla.evaluate, order, at=plus(last, dt.timedelta(days=3)), standard=std)
    attempt(sla.evaluate_many, [order], at=last, standard=std)
    attempt(reminders.plan, order, standard=std, travel=dt.timedelta(minutes=20))
    attempt(calendar.visit_of, order)
    for audience in ("technician", "customer"):
        attempt(calendar.to_ical, [order], audience=audience, itip=False)
    attempt(fs.plan_route, [order], last.date())
    for text in (repr(order), str(order), order.to_json(), order._repr_html_()):
        assert isinstance(text, str)


# --- model ------------------------------------------------------------------------------------


@given(
    id=either(IDENTIFIER),
    name=either(NAMES),
    tier=enum_values(fs.Tier),
    phones=st.one_of(PHONES, st.lists(PHONES, max_size=3), HOSTILE),
    address=st.one_of(
        TEXT,
        st.sampled_from(
            [
                fs.Address(region="上海市浦东新区", detail="张江路 100 弄"),
                fs.Address(region="", detail="x"),
            ]
        ),
        HOSTILE,
    ),
    language=either(st.sampled_from(["zh-CN", "yue", "en-GB", "en"])),
    area=enum_values(fs.Area),
)
def test_customer_takes_anything_and_refuses_with_coded_errors(**fields: Any) -> None:
    customer = attempt(fs.Customer, **fields)
    if ok(customer):
        assert isinstance(repr(customer), str)
        data = customer.personal_data()
        assert data["phones"]
        back = attempt(
            fs.model.customer_from_dict, fs.model.customer_to_dict(customer, include_personal=True)
        )
        assert back == customer


@given(text=either(PHONES), region=REGIONS)
def test_contact_phone_parse_takes_anything(text: Any, region: Any) -> None:
    phone = attempt(fs.ContactPhone.parse, text, region)
    if ok(phone):
        assert re.fullmatch(r"\+[1-9]\d{5,14}", phone.e164)
        assert phone.e164 not in repr(phone)
        assert phone.e164 not in str(phone)
        assert fs.ContactPhone.parse(phone.e164) == phone


@given(
    e164=either(st.from_regex(r"\+[0-9]{1,16}", fullmatch=True)), code=either(st.integers(0, 999))
)
def test_contact_phone_constructor_takes_anything(e164: Any, code: Any) -> None:
    phone = attempt(fs.ContactPhone, e164=e164, country_code=code)
    if ok(phone):
        assert isinstance(repr(phone), str)
        assert isinstance(phone.masked, str)


@given(value=either(NAMES))
def test_personal_name_and_secret_take_anything(value: Any) -> None:
    name = attempt(fs.PersonalName, value)
    if ok(name):
        assert isinstance(repr(name), str)
        assert name.reveal() == value.strip()
    secret = attempt(fs.Secret, value)
    if ok(secret):
        assert repr(secret) == "Secret('******')"
        assert f"{secret}" == "******"


@given(region=either(st.sampled_from(["", "上海市浦东新区"]) | TEXT), detail=either(TEXT))
def test_address_takes_anything(region: Any, detail: Any) -> None:
    address = attempt(fs.Address, region=region, detail=detail)
    if ok(address):
        assert isinstance(repr(address), str)
        assert isinstance(address.reveal(), str)


@given(
    id=either(IDENTIFIER),
    name=either(NAMES),
    certificate=either(IDENTIFIER),
    phone=st.one_of(st.none(), PHONES, HOSTILE),
)
def test_technician_takes_anything(**fields: Any) -> None:
    tech = attempt(fs.Technician, **fields)
    if ok(tech):
        assert isinstance(repr(tech), str)
        back = attempt(
            fs.model.technician_from_dict, fs.model.technician_to_dict(tech, include_personal=True)
        )
        assert back == tech


# --- the standard -----------------------------------------------------------------------------

_DEFAULT_TOML = STD.to_toml()
_TOML_VALUES = [
    '"0h"',
    '"-3h"',
    '"99999999999h"',
    '"1h30m"',
    '"24:00"',
    '"23:59:60"',
    '"7:5"',
    '""',
    '"abc"',
    '"\\u0000"',
    "0",
    "-1",
    "1e400",
    "inf",
    "nan",
    "true",
    "[]",
    '["21:00", "08:00"]',
    '["08:00", "08:00"]',
    '["25:00", "08:00"]',
    '["5m"]',
    '["10m", "5m"]',
    "2026-13-01",
    "2026-11-25",
    "{}",
    '{ diamond = "1h" }',
    '{ diamond = "500h", gold = "1h", silver = "1h", ordinary = "1h" }',
    "[2031, 2032]",
    "[1969]",
    "[99999]",
    '"Mars/Olympus"',
    '"UTC"',
    '"Etc/GMT+12"',
    '"Pacific/Kiritimati"',
    '"ordinary"',
    '"wall"',
    '"service"',
    '"XX"',
    "1.5",
    "99999999999999999999999",
]


@st.composite
def mutated_toml(draw: st.DrawFn) -> str:
    """The seed's TOML with lines deleted, values replaced, lines duplicated or added."""
    lines = _DEFAULT_TOML.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["value", "value", "delete", "duplicate", "insert", "header"]))
        if op == "value" and "=" in lines[i]:
            key = lines[i].split("=", 1)[0]
            lines[i] = f"{key}= {draw(st.sampled_from(_TOML_VALUES))}"
        elif op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "insert":
            key = draw(st.sampled_from(["speed", "name", "rounds", "city", "\u0000", "ä"]))
            lines.insert(i, f"{key} = {draw(st.sampled_from(_TOML_VALUES))}")
        else:
            section = draw(st.sampled_from(["hours", "booking", "knock", "clocks.repair", "x"]))
            lines.insert(i, f"[{section}]")
    return "\n".join(lines)


_DATE_TABLES = st.lists(
    st.fixed_dictionaries(
        {"date": st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 1, 1))},
        optional={
            "hours": st.lists(
                st.lists(
                    st.sampled_from(["08:00", "12:00", "13:00", "18:00", "21:00"]), max_size=2
                ),
                max_size=2,
            ),
            "closed": st.booleans(),
            "note": st.text(max_size=8),
        },
    ),
    max_size=3,
)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return repr(value)


@st.composite
def structured_toml(draw: st.DrawFn) -> str:
    """Well-formed TOML with plausible keys and random values."""

    def pick(*values: object) -> str:
        return _toml_value(draw(st.sampled_from(values)))

    parts = [
        f"name = {_toml_value(draw(st.text(max_size=10)))}",
        f"timezone = {pick('Asia/Shanghai', 'UTC', 'America/New_York', 'Asia/Kolkata')}",
        "[hours]",
        f"quiet = [{pick('20:00', '21:00', '22:00', '18:00', '00:00', '08:00')}, "
        f"{pick('08:00', '07:30', '06:00', '09:00')}]",
        f"midday = {pick('12:00', '13:00', '08:00', '20:00')}",
        "[booking]",
        f"lead_time = {pick('0h', '-3h', '99999999999h', '1h30m', '1h', '48h', '1s', '')}",
        f"arrival_window = {pick('1h', '2h', '30m', '13h', '1s')}",
        "[contact]",
        f"hotline = {pick('10000', '400-820-8820', '+86 10000', 'x', '', '1-')}",
        "[calendar]",
        f"unconfirmed_years = {pick('raise', 'ordinary', 'estimated')}",
        f"holidays = {pick('CN', '', 'US', 'XX')}",
        f"close_visits_on_holidays = {_toml_value(draw(st.booleans()))}",
        f"close_clocks_on_holidays = {_toml_value(draw(st.booleans()))}",
        f"confirmed_years = {_toml_value(draw(st.lists(st.integers(2020, 2035), max_size=2)))}",
    ]
    for table in draw(_DATE_TABLES):
        parts.append("[[calendar.dates]]")
        parts.extend(f"{k} = {_toml_value(v)}" for k, v in table.items())
    return "\n".join(parts)


@given(text=st.one_of(TEXT, mutated_toml(), structured_toml(), HOSTILE))
def test_standard_from_toml_takes_anything_and_what_it_accepts_works(text: Any) -> None:
    std = attempt(fs.ServiceStandard.from_toml, text)
    if ok(std):
        check_standard_usable(std)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.binary(max_size=64), mutated_toml().map(str.encode)))
def test_standard_from_toml_reads_any_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "branch.toml"
    path.write_bytes(content)
    for source in (path, tmp_path, tmp_path / "missing.toml", Path("bad\x00name.toml")):
        std = attempt(fs.ServiceStandard.from_toml, source)
        if ok(std):
            check_standard_usable(std)


_FIELDS = sorted(a.alias for a in __import__("attrs").fields(fs.ServiceStandard))
_PLAUSIBLE = {
    "name": st.text(max_size=10),
    "timezone": st.sampled_from(["UTC", "Asia/Kolkata", "America/New_York", "Mars/Base", ""]),
    "quiet_hours": st.builds(lambda a, b: made(fs.TimeRange, a, b), st.times(), st.times()),
    "midday": st.times(),
    "lead_time": st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=3000)),
    "arrival_window": st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=2)),
    "call_ahead": st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=2)),
    "follow_up": st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=2)),
    "hotline": st.one_of(st.sampled_from(["10000", "400-820-8820", ""]), st.text(max_size=25)),
    "confirm_by": st.times(),
    "early_arrival": st.tuples(st.timedeltas(), st.timedeltas()),
    "holiday_country": st.sampled_from(["CN", "", "US", "XX", "cn"]),
    "close_visits_on_holidays": st.booleans(),
    "close_clocks_on_holidays": st.booleans(),
    "unconfirmed_years": st.sampled_from(list(fs.UnconfirmedYears)),
    "confirmed_years": st.lists(st.integers(1900, 2300), max_size=3),
    "at_risk_share": st.floats(),
    "weekly_hours": st.lists(
        st.tuples(
            st.integers(-1, 8),
            st.lists(
                st.builds(lambda a, b: made(fs.TimeRange, a, b), st.times(), st.times()), max_size=2
            ),
        ),
        max_size=2,
    ),
}


@given(data=st.data())
def test_standard_replace_takes_anything_and_what_it_accepts_works(data: st.DataObject) -> None:
    keys = data.draw(
        st.lists(st.sampled_from([*_FIELDS, "speed", "_sources"]), max_size=3, unique=True)
    )
    changes = {k: data.draw(either(_PLAUSIBLE.get(k, HOSTILE)), label=k) for k in keys}
    std = attempt(STD.replace, **changes)
    if ok(std):
        check_standard_usable(std)


# --- events -------------------------------------------------------------------------------------

DATA_KEYS = [
    "start",
    "end",
    "date",
    "half",
    "tier",
    "area",
    "products",
    "clocks",
    "reason",
    "technicians",
    "contact",
    "to",
    "solved",
    "remote_possible",
    "action",
    "item",
    "signature",
    "worksheet",
    "label",
    "order_kind",
    "requested_by",
    "note",
]
INSTANT_TEXT = st.one_of(
    st.sampled_from(
        [
            "2026-11-26T14:00:00+08:00",
            "2026-11-26T14:00",
            "9999-12-31T23:00:00-12:00",
            "0001-01-01T00:00:00+14:00",
            "2026-02-30T10:00:00+08:00",
            "2026-11-26T14:00:00+24:00",
            "2026-11-26T14:00:00Z",
            "2026-11-26",
            "",
        ]
    ),
    DATETIMES.filter(lambda d: d.tzinfo is None or d.utcoffset() is not None).map(
        lambda d: d.isoformat()
    ),
)
EVENT_DATA = st.dictionaries(
    st.sampled_from(DATA_KEYS) | st.text(max_size=6),
    st.one_of(
        INSTANT_TEXT,
        enum_values(fs.Tier),
        st.lists(st.sampled_from(["booking_contact", "repair", "nonsense"]) | JSON, max_size=3),
        JSON,
    ),
    max_size=5,
)

K = EventKind
READS: dict[EventKind, tuple[str, ...]] = {
    K.ACCEPTED: ("order_kind", "tier", "area", "products"),
    K.REPORTED: ("order_kind", "tier", "area", "products"),
    K.BOOKED: ("date", "half", "start", "end"),
    K.RESCHEDULED: (
        "date",
        "half",
        "start",
        "end",
        "requested_by",
        "reason",
        "consent",
        "contacted",
        "agreed",
    ),
    K.CONFIRMED: ("start", "end"),
    K.CLOCK_PAUSED: ("reason", "clocks"),
    K.CLOCK_RESUMED: ("clocks",),
    K.TIER_CHANGED: ("tier",),
    K.FOLLOWED_UP: ("solved",),
    K.TRIAGED: ("remote_possible",),
    K.TECHNICIANS_ASSIGNED: ("technicians", "contact"),
    K.HANDED_OVER: ("to",),
    K.CHECKLIST_UPDATED: ("action", "item", "evidence", "label", "finding", "reason"),
    K.WORKSHEET_UPDATED: ("worksheet",),
    K.SIGNED: ("signature",),
    K.CONTACTED: ("note",),
    K.CUSTOMER_ABSENT: ("note_left",),
}
"""The data keys that readers (workflow, clocks, reminders, calendar) read, by event kind."""
PLAUSIBLE_DATA: dict[str, st.SearchStrategy[Any]] = {
    "order_kind": st.sampled_from(["install", "move", "repair", "installation"]),
    "tier": st.sampled_from(["gold", "diamond", "platinum", ""]),
    "area": st.sampled_from(["city", "countryside", "moon"]),
    "products": st.lists(st.sampled_from(["broadband", "iptv", "fax"]), max_size=2),
    "date": st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 1, 1)).map(str),
    "half": st.sampled_from(["morning", "afternoon", "evening"]),
    "start": INSTANT_TEXT,
    "end": INSTANT_TEXT,
    "requested_by": st.sampled_from(["customer", "provider", "nobody"]),
    "reason": st.sampled_from(["customer_request", "waiting_for_customer", "provider_busy"]),
    "clocks": st.one_of(
        st.lists(st.sampled_from([*(c.value for c in sla.ClockName), "nonsense"]), max_size=3),
        st.sampled_from(["repair", 5, None, True, {"repair": 1}, [["repair"]], [{}], [1.5]]),
    ),
    "action": st.sampled_from(["tick", "not_applicable", "decline", "finding", "erase"]),
    "finding": st.sampled_from(["label_missing", "lightning_protection", "flood", ""]),
    "item": st.sampled_from(["S1", "S5", "L1", "W2", "Z9"]),
    "label": st.sampled_from(
        [
            None,
            {"account": "A1", "user_name": "u", "password": {"$secret": "pw-1"}},
            {"account": "A1", "user_name": "u", "password": {"$secret": None}},
        ]
    ),
    "signature": st.sampled_from(
        [
            {
                "signer": "张三",
                "role": "customer",
                "at": "2026-11-26T15:00:00+08:00",
                "digest": "0" * 64,
            },
            {
                "signer": {"$secret": "张三"},
                "role": "proxy",
                "at": "2026-11-26T15:00:00",
                "digest": "0",
            },
        ]
    ),
}
"""Values near the ones readers expect, and just beside them."""


@st.composite
def event_data(draw: st.DrawFn, kind: EventKind) -> dict[str, Any]:
    """Data for an event of ``kind``: the keys its readers read, plausible or hostile."""
    data: dict[str, Any] = {}
    for key in READS.get(kind, ()):
        if draw(st.integers(0, 9)) < 8:
            data[key] = draw(st.one_of(PLAUSIBLE_DATA.get(key, JSON), JSON), label=key)
    return data


@given(
    kind=enum_values(EventKind),
    at=either(DATETIMES),
    actor=either(IDENTIFIER),
    data=st.one_of(EVENT_DATA, HOSTILE),
)
def test_event_takes_anything_and_round_trips_what_it_accepts(
    kind: Any, at: Any, actor: Any, data: Any
) -> None:
    made = attempt(Event, kind, at, actor=actor, data=data)
    if ok(made):
        assert attempt(Event.from_dict, made.to_dict(include_personal=True)) in (made, KNOWN)
        assert isinstance(repr(made), str)


@given(
    value=st.one_of(
        HOSTILE,
        JSON,
        st.fixed_dictionaries({"kind": JSON, "at": JSON, "actor": JSON}, optional={"data": JSON}),
    )
)
def test_event_from_dict_takes_anything(value: Any) -> None:
    attempt(Event.from_dict, value)


@given(
    kind=st.one_of(st.sampled_from([k.value for k in fs.EventKind]), HOSTILE),
    at=either(DATETIMES),
    actor=st.one_of(st.sampled_from(["T7", "desk-1"]), HOSTILE),
    data=st.one_of(st.none(), JSON, HOSTILE),
)
def test_event_read_takes_anything(kind: Any, at: Any, actor: Any, data: Any) -> None:
    # The reader for stores that keep the fields apart: a value, or a coded refusal.
    made = attempt(Event.read, kind, at, actor, data)
    if ok(made):
        assert Event.from_dict(made.to_dict(include_personal=True)) == made


@given(
    events=st.one_of(st.lists(HOSTILE, max_size=3), HOSTILE),
    order_id=st.one_of(st.just("WO-1"), HOSTILE),
)
def test_judge_events_takes_anything(events: Any, order_id: Any) -> None:
    at = pendulum.datetime(2026, 11, 24, 20, tz="Asia/Shanghai")
    judge = fs.sla.OrderJudge(at=at, standard=fs.ServiceStandard.default())
    attempt(judge.judge_events, order_id, events)


@st.composite
def event_logs(draw: st.DrawFn) -> list[Event]:
    """Random logs: random kinds with their data, mostly in time order, sometimes not."""
    log: list[Event] = []
    t = draw(st.one_of(REALISTIC, REALISTIC, st.sampled_from(EDGE_INSTANTS[5:10])))
    steps = st.one_of(
        st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=3)),
        st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=3)),
        st.timedeltas(min_value=dt.timedelta(days=-3), max_value=dt.timedelta(0)),
    )
    for i in range(draw(st.integers(0, 8))):
        if i == 0 and draw(st.booleans()):
            kind = draw(st.sampled_from([EventKind.ACCEPTED, EventKind.REPORTED]))
        else:
            kind = draw(st.sampled_from(list(EventKind)))
        if draw(st.integers(0, 19)):
            t = plus(t, draw(steps))
        else:
            t = draw(st.sampled_from(EDGE_INSTANTS).filter(lambda d: d.utcoffset() is not None))
        data = draw(st.one_of(event_data(kind), event_data(kind), EVENT_DATA))
        with contextlib.suppress(fs.FieldServiceError):
            log.append(Event(kind, t, actor="x", data=data))
    return log


@given(log=event_logs(), at=either(DATETIMES))
def test_readers_of_random_logs_refuse_with_coded_errors(log: list[Event], at: Any) -> None:
    std = STD
    attempt(sla.evaluate, log, at=at, standard=std)
    batch = attempt(sla.evaluate_many, [log, log[:1]], at=at, standard=std)
    if ok(batch):
        attempt(sla.breaches, batch)
        for clock in sla.ClockName:
            attempt(sla.summarize, batch, clock)
    attempt(reminders.plan, log, standard=std, order_id="WO-1")
    order = types.SimpleNamespace(
        id="WO-1",
        kind=fs.OrderKind.INSTALL,
        products=frozenset({fs.Product.BROADBAND}),
        customer=CUSTOMERS[0],
        technicians=technicians("f"),
        standard=std,
        events=log,
    )
    attempt(calendar.to_ical, [order])
    attempt(calendar.to_ical, [order], itip=False, include_personal=True, audience="customer")
    attempt(calendar.feed, technicians("f")[0], [order], at, at)
    restored = attempt(
        WorkOrder.from_events,
        id="WO-1",
        customer=CUSTOMERS[0],
        events=log,
        technicians=technicians("f"),
    )
    if ok(restored):
        check_order_usable(restored)


# --- appointment windows ------------------------------------------------------------------------

WINDOW_DATES = st.one_of(
    st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31)),
    st.dates(),
    st.sampled_from(["2026-11-25", "2026-13-01", "20261125", "2026-W48-3", "", "+2026-11-25"]),
    HOSTILE,
)
WINDOWS = st.one_of(
    st.builds(
        fs.AppointmentWindow,
        st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 6, 1)),
        st.sampled_from(list(fs.HalfDay)),
    ),
    st.builds(fs.AppointmentWindow, st.dates(), st.sampled_from(list(fs.HalfDay))),
)
STANDARD_ARGS = st.one_of(st.sampled_from(STANDARDS), HOSTILE)


@given(date=WINDOW_DATES, half=enum_values(fs.HalfDay))
def test_appointment_window_takes_anything(date: Any, half: Any) -> None:
    window = attempt(fs.AppointmentWindow, date, half)
    if ok(window):
        assert isinstance(str(window), str)


@given(
    window=either(WINDOWS),
    booked_at=either(DATETIMES),
    standard=STANDARD_ARGS,
    start=either(st.integers(-3, 26) | st.times()),
)
def test_window_checks_take_anything(
    window: Any, booked_at: Any, standard: Any, start: Any
) -> None:
    check = attempt(fs.check_window, window, booked_at, standard)
    passed = attempt(fs.validate_window, window, booked_at, standard)
    if ok(check) and passed is not KNOWN:
        assert isinstance(check, fs.WindowCheck)
        assert (passed is not REFUSED) == check.ok
    if isinstance(window, fs.AppointmentWindow):
        attempt(window.bounds, standard)
        arrival = attempt(window.refine, start, standard)
        if ok(arrival):
            attempt(fs.check_arrival, arrival, booked_at, standard)


@given(
    booked_at=either(DATETIMES),
    standard=STANDARD_ARGS,
    count=either(st.integers(-2, 1200)),
    after=st.one_of(st.none(), WINDOWS, DATETIMES, HOSTILE),
)
def test_next_windows_takes_anything(booked_at: Any, standard: Any, count: Any, after: Any) -> None:
    found = attempt(fs.next_windows, booked_at, standard, count, after)
    if ok(found):
        assert len(found) <= count
        for window in found:
            check = attempt(fs.check_window, window, booked_at, standard)
            assert check is KNOWN or check.ok, (window, check)


@given(
    start=either(DATETIMES),
    length=either(
        st.timedeltas(min_value=dt.timedelta(minutes=1), max_value=dt.timedelta(hours=2))
        | st.timedeltas()
    ),
    booked_at=either(DATETIMES),
    standard=STANDARD_ARGS,
)
def test_arrival_windows_take_anything(
    start: Any, length: Any, booked_at: Any, standard: Any
) -> None:
    try:
        end = start + length
    except (TypeError, ArithmeticError):  # Decimal('sNaN') + False: the test's own sum
        end = length  # hostile as it is
    arrival = attempt(fs.ArrivalWindow, start, end)
    if ok(arrival):
        assert isinstance(str(arrival), str)
        check = attempt(fs.check_arrival, arrival, booked_at, standard)
        passed = attempt(fs.validate_arrival, arrival, booked_at, standard)
        if ok(check) and passed is not KNOWN:
            assert (passed is not REFUSED) == check.ok
    else:
        attempt(fs.check_arrival, start, booked_at, standard)


@given(
    arrival=st.one_of(DATETIMES, HOSTILE),
    travel=either(st.timedeltas()),
    standard=STANDARD_ARGS,
    margin=st.one_of(st.none(), st.timedeltas(), HOSTILE),
)
def test_departure_time_takes_anything(
    arrival: Any, travel: Any, standard: Any, margin: Any
) -> None:
    attempt(fs.departure_time, arrival, travel, standard, margin=margin)


@given(
    arrived_at=either(DATETIMES),
    standard=STANDARD_ARGS,
)
def test_knock_protocol_takes_anything(arrived_at: Any, standard: Any) -> None:
    attempt(reminders.knock_protocol, arrived_at, standard)


@given(
    method=st.sampled_from(
        [
            "is_service_day",
            "is_open",
            "next_open",
            "add_service_time",
            "service_time_between",
            "open_intervals",
            "closed_intervals",
            "to_service_seconds",
            "from_service_seconds",
            "hours_on",
        ]
    ),
    args=st.lists(
        st.one_of(DATETIMES, st.dates(), st.timedeltas(), st.floats(), st.integers(), HOSTILE),
        min_size=1,
        max_size=2,
    ),
    purpose=st.sampled_from(["for_visits", "for_clocks"]),
    standard=STANDARD_ARGS,
)
def test_service_calendar_takes_anything(
    method: str, args: list[Any], purpose: str, standard: Any
) -> None:
    cal = attempt(getattr(ServiceCalendar, purpose), standard)
    if ok(cal):
        fn = getattr(cal, method)
        wanted = len(inspect.signature(fn).parameters)
        attempt(fn, *(args * 2)[:wanted])


# --- work orders ------------------------------------------------------------------------------


@given(
    kind=st.sampled_from(["install", "move", "repair"]),
    id=either(IDENTIFIER),
    customer=st.one_of(st.sampled_from(CUSTOMERS), HOSTILE),
    products=st.one_of(
        st.sets(st.sampled_from(list(fs.Product))),
        st.sets(st.sampled_from(["broadband", "tv"])),
        HOSTILE,
    ),
    at=either(DATETIMES),
    by=either(IDENTIFIER),
    standard=st.one_of(st.none(), st.sampled_from(STANDARDS), HOSTILE),
)
def test_work_order_constructors_take_anything(
    kind: str, id: Any, customer: Any, products: Any, at: Any, by: Any, standard: Any
) -> None:
    when = "reported_at" if kind == "repair" else "accepted_at"
    order = attempt(
        getattr(WorkOrder, kind),
        id=id,
        customer=customer,
        products=products,
        by=by,
        standard=standard,
        **{when: at},
    )
    if ok(order):
        check_restores(order)
        check_order_usable(order)


def _commands() -> dict[str, inspect.Signature]:
    found = {}
    for name, fn in inspect.getmembers(WorkOrder, inspect.isfunction):
        if name.startswith("_"):
            continue
        params = inspect.signature(fn).parameters
        if "at" in params and "by" in params:
            found[name] = inspect.signature(fn)
    return found


COMMANDS = _commands()


def _worksheets(order: WorkOrder) -> st.SearchStrategy[Any]:
    ids = [t.id for t in order.technicians] or ["T7"]
    return st.builds(
        lambda techs, opinion, material: (
            fs.WorkSheet(technicians=techs, opinion=opinion).add_material(*material)
            if material
            else fs.WorkSheet(technicians=techs, opinion=opinion)
        ),
        st.lists(st.sampled_from(ids), unique=True),
        st.one_of(
            st.none(),
            st.just(fs.CustomerOpinion(True)),
            st.just(fs.CustomerOpinion(False, remedy="explained", action="解释了服务界面")),
        ),
        st.one_of(
            st.none(),
            st.tuples(st.sampled_from(["皮线光缆", "水晶头"]), st.integers(1, 50), st.just("m")),
        ),
    )


def _valid_window(order: WorkOrder, at: Any) -> Any:
    """A window the standard allows for a booking at ``at`` (or the booked one)."""
    try:
        return fs.next_windows(at, order.standard, count=2)[-1]
    except (fs.FieldServiceError, IndexError, TypeError):
        return order.window or ("2026-12-10", "afternoon")


def arguments(name: str, order: WorkOrder) -> tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]:
    """Strategies for a command's argument, by its name: (valid or nearly, hostile)."""
    last = order.events[-1].at
    items = [i.id for i in order.checklist.items]
    techs = technicians("f")
    later = st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=3)).map(
        lambda d: plus(last, d)
    )
    earlier = st.timedeltas(min_value=dt.timedelta(days=-20), max_value=dt.timedelta(0)).map(
        lambda d: plus(last, d)
    )
    text = st.sampled_from(["客户出差", "road works", "线路抢修 🙂", "a\tb", "x" * 200])
    table: dict[str, tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]] = {
        "at": (later, st.one_of(earlier, DATETIMES, HOSTILE)),
        "by": (st.sampled_from([order.owner, "T-f-1"]) | IDENTIFIER, HOSTILE),
        "to": (IDENTIFIER, HOSTILE),
        "reason": (
            st.sampled_from(["customer_request", "waiting_for_customer"]) | text,
            st.one_of(
                TEXT, st.sampled_from(["too many customers", "客户太多了", "x" * 501]), HOSTILE
            ),
        ),
        "gap": (text, st.one_of(TEXT, HOSTILE)),
        "via": (st.sampled_from(["system", "dispatcher"]), st.one_of(TEXT, HOSTILE)),
        "purpose": (st.none() | text, st.one_of(TEXT, HOSTILE)),
        "request": (text, st.one_of(TEXT, HOSTILE)),
        "explanation": (text, st.one_of(TEXT, HOSTILE)),
        "cause": (
            st.sampled_from([*fs.DelayCause, "traffic", "天气原因", "weather"]),
            st.one_of(st.sampled_from(["too many orders", "客户很多", "other "]), TEXT, HOSTILE),
        ),
        "note": (
            st.none() | text | st.just("n" * 128),
            st.one_of(TEXT, st.just("n" * 129), HOSTILE),
        ),
        "window": (
            st.builds(lambda: _valid_window(order, plus(last, dt.timedelta(minutes=1)))),
            st.one_of(WINDOWS, st.tuples(WINDOW_DATES, enum_values(fs.HalfDay)), HOSTILE),
        ),
        "technicians": (
            st.lists(st.sampled_from(techs), min_size=1, max_size=2, unique_by=lambda t: t.id),
            st.one_of(st.lists(st.one_of(st.sampled_from(techs), HOSTILE), max_size=3), HOSTILE),
        ),
        "contact": (
            st.sampled_from([techs[0], techs[0].id]),
            st.one_of(st.just("T-other"), HOSTILE),
        ),
        "start": (st.integers(8, 19) | st.times(), st.one_of(st.integers(-2, 25), HOSTILE)),
        "requested_by": (st.sampled_from(list(fs.Party)), enum_values(fs.Party)),
        "travel": (
            st.none() | st.timedeltas(dt.timedelta(0), dt.timedelta(hours=3)),
            st.one_of(st.timedeltas(), HOSTILE),
        ),
        "minutes": (st.integers(1, 600), st.one_of(st.integers(-5, 10**20), HOSTILE)),
        "item": (
            st.sampled_from(items),
            st.one_of(st.sampled_from(["S5", "L2", "nope", ""]), HOSTILE),
        ),
        "evidence": (
            st.none() | st.dictionaries(st.text(max_size=10), JSON_SCALARS, max_size=3),
            st.one_of(
                st.dictionaries(st.text(max_size=4), st.floats() | HOSTILE, max_size=2), HOSTILE
            ),
        ),
        "label": (st.none() | st.sampled_from(LABELS), HOSTILE),
        "finding": (st.sampled_from(list(fs.Finding)), enum_values(fs.Finding)),
        "worksheet": (_worksheets(order), HOSTILE),
        "signer": (st.sampled_from([order.customer.name, "代签人"]), st.one_of(NAMES, HOSTILE)),
        "role": (st.sampled_from(list(fs.SignerRole)), enum_values(fs.SignerRole)),
        "tier": (st.sampled_from(list(fs.Tier)), enum_values(fs.Tier)),
    }
    flags = (
        "available",
        "immediate",
        "consent",
        "contacted",
        "agreed",
        "hotline_told",
        "reluctant",
        "customer_told",
        "note_left",
        "neighbours_asked",
        "remote_possible",
        "solved",
    )
    if name in flags:
        return st.booleans(), st.one_of(st.none(), st.integers(0, 1), st.just("yes"), HOSTILE)
    return table[name]


def test_every_command_parameter_has_a_fuzz_strategy() -> None:
    order = lifecycle(4)
    for name, sig in COMMANDS.items():
        for param in sig.parameters.values():
            if param.name != "self":
                assert arguments(param.name, order), (name, param.name)


@st.composite
def command_calls(draw: st.DrawFn, order: WorkOrder) -> tuple[str, list[Any], dict[str, Any]]:
    """A command with arguments: all valid, one hostile, or anything, on an allowed command or not."""
    allowed = order.allowed_commands()
    names = sorted(COMMANDS)
    mode = draw(st.sampled_from(["valid", "valid", "one hostile", "wild"]))
    if mode != "wild" and allowed and draw(st.integers(0, 4)):
        name = draw(st.sampled_from(allowed))
    else:
        name = draw(st.sampled_from(names))
    params = [p for p in COMMANDS[name].parameters.values() if p.name != "self"]
    hostile = draw(st.sampled_from([p.name for p in params])) if mode == "one hostile" else None
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for param in params:
        if param.default is not inspect.Parameter.empty and draw(st.booleans()):
            continue
        valid, wrong = arguments(param.name, order)
        bad = param.name == hostile or (mode == "wild" and draw(st.booleans()))
        value = draw(wrong if bad else valid, label=f"{name}.{param.name}")
        if param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
            args.append(value)
        else:
            kwargs[param.name] = value
    event(f"mode {mode}")
    return name, args, kwargs


@given(seed=st.integers(0, 10**6), data=st.data())
def test_work_order_commands_take_anything_and_a_refused_one_changes_nothing(
    seed: int, data: st.DataObject
) -> None:
    order = lifecycle(seed)
    accepted = 0
    for _ in range(data.draw(st.integers(1, 6), label="commands")):
        name, args, kwargs = data.draw(command_calls(order))
        before = snapshot(order)
        count = len(order.events)
        result = attempt(getattr(order, name), *args, **kwargs)
        if ok(result):
            accepted += 1
            assert isinstance(result, Event)
            assert order.events[-1] is result
            assert len(order.events) > count
        else:
            assert snapshot(order) == before, f"a refused {name} changed the order"
    event(f"accepted {accepted}")
    check_restores(order)
    check_order_usable(order)


# --- JSON in --------------------------------------------------------------------------------------


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*path, i))


def _at_path(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


@st.composite
def tampered_json(draw: st.DrawFn) -> str | bytes:
    """An order's JSON (with personal data), truncated, flipped, or with parts removed or changed."""
    order = lifecycle(draw(st.integers(0, 10**6), label="seed"))
    text = order.to_json(include_personal=draw(st.integers(0, 5)) > 0)
    how = draw(
        st.sampled_from(["truncate", "flip", "remove", "replace", "events", "retime", "data"])
    )
    event(f"tamper {how}")
    if how == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    if how == "flip":
        raw = bytearray(text.encode())
        for _ in range(draw(st.integers(1, 4))):
            i = draw(st.integers(0, len(raw) - 1))
            raw[i] ^= 1 << draw(st.integers(0, 7))
        return bytes(raw)
    data = json.loads(text)
    if how == "remove":
        for _ in range(draw(st.integers(1, 3))):
            paths_now = [p for p in _paths(data) if p]
            if not paths_now:
                break
            path = draw(st.sampled_from(paths_now))
            parent = _at_path(data, path[:-1])
            del parent[path[-1]]
    elif how == "replace":
        for _ in range(draw(st.integers(1, 3))):
            path = draw(st.sampled_from([p for p in _paths(data) if p]))
            _at_path(data, path[:-1])[path[-1]] = draw(
                st.one_of(JSON, INSTANT_TEXT, st.sampled_from([k.value for k in EventKind]))
            )
    elif how == "events":
        events = data["events"]
        op = draw(st.sampled_from(["shuffle", "reverse", "duplicate", "drop", "swap_kind"]))
        if op == "shuffle":
            random.Random(draw(st.integers())).shuffle(events)
        elif op == "reverse":
            events.reverse()
        elif op == "duplicate" and events:
            events.insert(draw(st.integers(0, len(events))), dict(draw(st.sampled_from(events))))
        elif op == "drop" and events:
            del events[draw(st.integers(0, len(events) - 1))]
        elif events:
            i = draw(st.integers(0, len(events) - 1))
            events[i]["kind"] = draw(st.sampled_from([k.value for k in EventKind]))
    elif how == "data":
        for _ in range(draw(st.integers(1, 3))):
            raw = draw(st.sampled_from(data["events"]))
            kind = EventKind(raw["kind"])
            key = draw(st.sampled_from([*READS.get(kind, ()), "clocks", "start", "tier"]))
            raw["data"][key] = draw(st.one_of(PLAUSIBLE_DATA.get(key, JSON), JSON))
    else:
        events = data["events"]
        if events:
            i = draw(st.integers(0, len(events) - 1))
            events[i]["at"] = draw(INSTANT_TEXT)
    text = json.dumps(data, ensure_ascii=draw(st.booleans()))
    return text.encode("utf-8", "surrogatepass") if draw(st.booleans()) else text


@given(
    text=st.one_of(tampered_json(), TEXT, st.binary(max_size=64), HOSTILE),
    standard=st.one_of(st.none(), st.sampled_from(STANDARDS), HOSTILE),
)
def test_work_order_from_json_takes_anything_and_what_it_accepts_works(
    text: Any, standard: Any
) -> None:
    order = attempt(WorkOrder.from_json, text, standard=standard)
    if ok(order):
        event("tampered order accepted")
        check_restores(order)
        check_order_usable(order)


@given(
    value=st.one_of(
        HOSTILE,
        JSON,
        st.fixed_dictionaries({"id": JSON, "customer": JSON, "technicians": JSON, "events": JSON}),
    )
)
def test_work_order_from_dict_takes_anything(value: Any) -> None:
    attempt(WorkOrder.from_dict, value)


@given(
    id=either(IDENTIFIER),
    customer=st.one_of(st.sampled_from(CUSTOMERS), HOSTILE),
    events=st.one_of(event_logs(), st.lists(HOSTILE, max_size=3), HOSTILE),
    standard=st.one_of(st.none(), st.sampled_from(STANDARDS), HOSTILE),
    techs=st.one_of(st.just(technicians("f")), st.lists(HOSTILE, max_size=2), HOSTILE),
)
def test_work_order_from_events_takes_anything(
    id: Any, customer: Any, events: Any, standard: Any, techs: Any
) -> None:
    order = attempt(
        WorkOrder.from_events,
        id=id,
        customer=customer,
        events=events,
        standard=standard,
        technicians=techs,
    )
    if ok(order):
        check_order_usable(order)


# --- the checklist, the work sheet, the signature ------------------------------------------------

KINDS = enum_values(fs.OrderKind)
PRODUCTS = st.one_of(
    st.lists(st.sampled_from(list(fs.Product)), min_size=1, max_size=3),
    st.lists(enum_values(fs.Product), max_size=2),
    HOSTILE,
)


@given(kind=KINDS, products=PRODUCTS, version=either(st.just("2026.1")), data=st.data())
def test_checklist_takes_anything(
    kind: Any, products: Any, version: Any, data: st.DataObject
) -> None:
    checklist = attempt(fs.Checklist.for_order, kind, products, template_version=version)
    if not ok(checklist):
        return
    at = pendulum.datetime(2026, 11, 26, 15, tz=TZ)
    ids = [i.id for i in checklist.items]
    for _ in range(data.draw(st.integers(1, 8))):
        op = data.draw(
            st.sampled_from(["tick", "mark_not_applicable", "decline", "report_finding"])
        )
        item = data.draw(either(st.sampled_from(ids)))
        by = data.draw(either(IDENTIFIER))
        when = data.draw(either(st.just(at) | DATETIMES))
        if op == "tick":
            changed = attempt(
                checklist.tick,
                item,
                by=by,
                at=when,
                evidence=data.draw(
                    st.one_of(
                        st.none(),
                        st.dictionaries(st.text(max_size=5), JSON_SCALARS | st.floats()),
                        HOSTILE,
                    )
                ),
                label=data.draw(st.one_of(st.none(), st.sampled_from(LABELS), HOSTILE)),
            )
        elif op == "report_finding":
            changed = attempt(checklist.report_finding, data.draw(enum_values(fs.Finding)))
        else:
            changed = attempt(
                getattr(checklist, op), item, by=by, at=when, reason=data.draw(either(TEXT))
            )
        if ok(changed):
            checklist = changed
            back = attempt(fs.Checklist.from_dict, checklist.to_dict(include_personal=True))
            assert back in (checklist, KNOWN)
    attempt(fs.Checklist.from_dict, checklist.to_dict())
    attempt(fs.Checklist.from_dict, data.draw(HOSTILE | JSON))
    attempt(fs.ChecklistItem.from_dict, data.draw(HOSTILE | JSON))
    attempt(checklist.to_dict, include_personal=data.draw(HOSTILE))
    attempt(checklist.item, data.draw(either(st.sampled_from(ids))))
    sheet = fs.WorkSheet(technicians=["T7"], opinion=fs.CustomerOpinion(True))
    attempt(fs.check_sign_off, checklist, data.draw(st.just(sheet) | HOSTILE))
    signature = attempt(
        fs.sign_off,
        checklist,
        sheet,
        signer=data.draw(either(NAMES)),
        role=data.draw(enum_values(fs.SignerRole)),
        at=data.draw(either(st.just(at) | DATETIMES)),
    )
    if ok(signature):
        assert signature.verify(checklist, sheet)
        assert (
            attempt(fs.Signature.from_dict, signature.to_dict(include_personal=True)) == signature
        )
        attempt(signature.verify, data.draw(HOSTILE), sheet)


@given(
    technicians_=either(st.lists(IDENTIFIER, max_size=3)),
    material=st.tuples(
        either(TEXT), either(st.integers() | st.decimals() | st.floats() | TEXT), either(TEXT)
    ),
    parameter=st.tuples(either(TEXT), either(TEXT), either(TEXT)),
    opinion=st.tuples(
        either(st.booleans()), enum_values(fs.Remedy), st.one_of(st.none(), TEXT, HOSTILE)
    ),
    data=st.data(),
)
def test_work_sheet_takes_anything(
    technicians_: Any, material: Any, parameter: Any, opinion: Any, data: st.DataObject
) -> None:
    sheet = attempt(fs.WorkSheet, technicians=technicians_)
    if not ok(sheet):
        sheet = fs.WorkSheet()
    for changed in (
        attempt(sheet.add_material, *material),
        attempt(sheet.add_parameter, *parameter),
        attempt(
            lambda: sheet.with_opinion(
                fs.CustomerOpinion(opinion[0], remedy=opinion[1], action=opinion[2])
            )
        ),
        attempt(sheet.with_opinion, data.draw(HOSTILE)),
    ):
        if ok(changed):
            assert fs.WorkSheet.from_dict(changed.to_dict(include_personal=True)) == changed
    for cls in (
        fs.WorkSheet,
        fs.Material,
        fs.TechnicalParameter,
        fs.CustomerOpinion,
        fs.ModemLabel,
        fs.Signature,
        fs.checklist.Material,
    ):
        attempt(cls.from_dict, data.draw(HOSTILE | JSON))
    label = attempt(fs.ModemLabel, *data.draw(st.tuples(either(TEXT), either(TEXT), either(TEXT))))
    if ok(label):
        assert fs.ModemLabel.from_dict(label.to_dict(include_personal=True)) == label
    attempt(
        fs.Signature,
        data.draw(either(NAMES)),
        data.draw(enum_values(fs.SignerRole)),
        data.draw(either(DATETIMES)),
        digest=data.draw(either(st.just("0" * 64))),
    )
    attempt(
        fs.kit_list,
        data.draw(KINDS),
        data.draw(PRODUCTS),
        charges=data.draw(either(st.booleans())),
        agreement=data.draw(either(st.booleans())),
        gifts=data.draw(either(st.lists(TEXT, max_size=2))),
    )


# --- SLA, reminders, routes, calendars on real orders ----------------------------------------------


@given(
    seeds=st.lists(st.integers(0, 10**6), min_size=1, max_size=4, unique=True),
    at=either(DATETIMES),
    standard=STANDARD_ARGS,
    clock=st.one_of(st.none(), enum_values(sla.ClockName)),
    kind=enum_values(reminders.ReminderKind),
    travel=st.one_of(st.none(), st.timedeltas(), HOSTILE),
    kinds=st.one_of(st.none(), st.lists(enum_values(reminders.ReminderKind), max_size=2), HOSTILE),
)
def test_clocks_reminders_and_routes_take_anything(
    seeds: list[int], at: Any, standard: Any, clock: Any, kind: Any, travel: Any, kinds: Any
) -> None:
    orders = [lifecycle(s) for s in seeds]
    report = attempt(sla.evaluate, orders[0], at=at, standard=standard)
    if ok(report):
        attempt(lambda: report[clock])
        for status in report:
            assert isinstance(status.explain(), tuple)
        assert isinstance(report.to_records(), list)
    batch = attempt(sla.evaluate_many, orders, at=at, standard=standard)
    if ok(batch):
        attempt(sla.breaches, batch, clock)
        attempt(sla.summarize, batch, clock)
    plan = attempt(reminders.plan, orders[0], standard=standard, travel=travel, kinds=kinds)
    if ok(plan):
        attempt(plan.of_kind, kind)
        attempt(reminders.diff, plan, plan)
    attempt(reminders.diff, plan, orders[0])
    attempt(reminders.plan, orders[0].events, standard=STD, order_id=at)
    day = at.date() if isinstance(at, dt.datetime) else at
    attempt(fs.plan_route, orders, day, technician=kind)
    attempt(fs.plan_route, [*orders, at], day)


NAMES_FOR_ICS = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"])
    | st.sampled_from(list(";,:\\\"'<>")),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip())


@given(
    seeds=st.lists(st.integers(0, 10**6), min_size=1, max_size=4, unique=True),
    name=NAMES_FOR_ICS,
    detail=NAMES_FOR_ICS,
    region=NAMES_FOR_ICS,
    audience=enum_values(calendar.IcsAudience),
    include_personal=st.booleans(),
    itip=st.booleans(),
)
def test_to_ical_on_fuzzed_orders_writes_only_what_it_should(
    seeds: list[int],
    name: str,
    detail: str,
    region: str,
    audience: Any,
    include_personal: bool,
    itip: bool,
) -> None:
    # A region that could be a phone number is refused (G1): no calendar to write then.
    address = attempt(fs.Address, region=region, detail=detail)
    assume(ok(address))
    customer = attempt(fs.Customer, id="C-ics", name=name, phones="13800138000", address=address)
    assume(ok(customer))
    orders = []
    for seed in seeds:
        base = lifecycle(seed)
        orders.append(
            WorkOrder.from_events(
                id=base.id,
                customer=customer,
                events=base.events,
                standard=base.standard,
                technicians=base.technicians,
            )
        )
    data = attempt(
        calendar.to_ical, orders, audience=audience, include_personal=include_personal, itip=itip
    )
    if not ok(data):
        return
    parsed = icalendar.Calendar.from_ical(data)
    booked = [o for o in orders if calendar.visit_of(o) is not None]
    vevents = parsed.walk("VEVENT")
    assert len(vevents) == len(booked)
    for vevent in vevents:
        # Customer text cannot add properties or components of its own.
        assert set(vevent.keys()) <= {
            "UID",
            "DTSTAMP",
            "DTSTART",
            "DTEND",
            "SEQUENCE",
            "STATUS",
            "SUMMARY",
            "LOCATION",
            "DESCRIPTION",
            "CLASS",
            "ORGANIZER",
            "ATTENDEE",
            "X-FIELDSERVICE-ORDER-ID",
            "X-FIELDSERVICE-ORDER-KIND",
            "X-FIELDSERVICE-TIER",
            "X-FIELDSERVICE-RULES",
            "X-FIELDSERVICE-OUTCOME",
        }
        assert {c.name for c in vevent.subcomponents} <= {"VALARM"}
    for tech in {t.id: t for o in orders for t in o.technicians}.values():
        t0 = orders[0].events[0].at
        attempt(
            calendar.feed,
            tech,
            orders,
            t0,
            t0 + dt.timedelta(days=60),
            include_personal=include_personal,
        )


@given(
    orders=st.one_of(st.lists(HOSTILE, max_size=2), HOSTILE),
    audience=enum_values(calendar.IcsAudience),
    itip=either(st.booleans()),
)
def test_to_ical_takes_anything(orders: Any, audience: Any, itip: Any) -> None:
    attempt(calendar.to_ical, orders, audience=audience, itip=itip)
    attempt(calendar.event_for, orders, audience=audience)
    attempt(calendar.feed, orders, [], EDGE_INSTANTS[6], EDGE_INSTANTS[7])


# --- the CLI -----------------------------------------------------------------------------------


class _Files:
    """Files for the CLI: TOML, JSON lines, bytes, a directory, paths that cannot exist."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cwd = root / "cwd"
        self.good = [lifecycle(s).to_json(include_personal=True) for s in (11, 12, 13, 14, 15)]
        self.masked = lifecycle(11).to_json()
        self.reset()

    def reset(self) -> None:
        """Write the fixed files again: a command may have written over one (``-o``)."""
        root = self.root
        for path in (root / "dir", self.cwd):
            if path.is_file():
                path.unlink()
            path.mkdir(parents=True, exist_ok=True)
        (root / "orders.jsonl").write_text("\n".join(self.good) + "\n", encoding="utf-8")
        (root / "masked.jsonl").write_text(self.masked + "\n", encoding="utf-8")
        (root / "branch.toml").write_text(STANDARDS[1].to_toml(), encoding="utf-8")
        (root / "empty").write_text("", encoding="utf-8")
        (root / "missing").unlink(missing_ok=True)

    def write(self, name: str, content: str | bytes) -> str:
        path = self.root / name
        path.write_bytes(
            content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
        )
        return str(path)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> _Files:
    return _Files(tmp_path_factory.mktemp("cli"))


@st.composite
def argvs(draw: st.DrawFn, files: _Files) -> list[str]:
    root = files.root
    paths = st.sampled_from(
        [
            str(root / n)
            for n in ("orders.jsonl", "masked.jsonl", "branch.toml", "empty", "dir", "missing")
        ]
        + ["", "-", "bad\x00path", "\udcff", str(root / "dir" / "deep" / "x.ics"), "/dev/null"]
    )
    content = st.one_of(
        st.binary(max_size=40),
        mutated_toml(),
        tampered_json().map(
            lambda t: t if isinstance(t, bytes) else t.encode("utf-8", "surrogatepass")
        ),
        st.lists(st.sampled_from(files.good), max_size=3).map(lambda ls: "\n".join(ls)),
        TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
    )
    file_arg = st.one_of(
        paths, st.builds(files.write, st.sampled_from(["a", "b.toml", "c.jsonl"]), content)
    )
    times = st.one_of(
        st.sampled_from(
            [
                "2026-11-24T10:30",
                "2026-11-24T10:30+08:00",
                "9999-12-31T23:59",
                "0001-01-01T00:00+14:00",
                "0001-01-01T00:00",
                "9999-12-31T23:59-23:59",
                "2026-02-30T10:00",
                "tomorrow",
                "",
                "2026-11-24T10:30:00.123456Z",
            ]
        ),
        DATETIMES.filter(lambda d: d.tzinfo is None or d.utcoffset() is not None).map(
            lambda d: d.isoformat()
        ),
    )
    tokens = st.one_of(
        st.sampled_from(
            [
                "standard",
                "show",
                "check",
                "demo",
                "slots",
                "sla",
                "ics",
                "--toml",
                "--standard",
                "--ics",
                "--booked-at",
                "--count",
                "--at",
                "--clock",
                "--json",
                "-o",
                "--output",
                "--audience",
                "--include-personal",
                "--plain",
                "--help",
                "-h",
                "--version",
                "technician",
                "customer",
                "repair",
                "booking_contact",
                "--",
                "-x",
                "--count=0",
                "--count=-1",
                "--count=99999999999999999999",
                "=",
                "@file",
            ]
        ),
        file_arg,
        times,
        st.integers(-5, 2000).map(str),
        TEXT,
    )
    command = draw(
        st.sampled_from(
            [
                [],
                ["standard", "show"],
                ["standard", "show", "--toml"],
                ["standard", "check"],
                ["demo"],
                ["demo", "--ics"],
                ["demo", "--standard"],
                ["slots", "--booked-at"],
                ["slots", "--standard"],
                ["sla"],
                ["ics"],
                ["sla", "--at"],
                ["ics", "-o"],
            ]
        )
    )
    return command + draw(st.lists(tokens, max_size=6))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_cli_main_returns_an_exit_code_for_any_argv(files: _Files, data: st.DataObject) -> None:
    files.reset()
    argv = data.draw(argvs(files), label="argv")
    out = io.StringIO()
    # Relative paths in argv land in a scratch directory, not in the repository.
    with contextlib.chdir(files.cwd), quiet() as (stdout, stderr):
        try:
            code = main(argv, out=out)
        except SystemExit as exit_:  # pragma: no cover - a bug
            pytest.fail(f"SystemExit({exit_.code!r}) escaped main({argv!r})")
        except Exception as err:
            if known_bug(err) is None:
                raise
            event(f"known bug {known_bug(err)}")
            return
    assert isinstance(code, int)
    assert code in (0, 1, 2), code
    if code == 1:
        # "fieldservice: error [code]: ..." for a refusal; "fieldservice: error: cannot
        # write ..." when the output file cannot be written.
        assert stderr.getvalue().startswith("fieldservice: error"), stderr.getvalue()
    note(f"stdout={stdout.getvalue()[:200]!r} stderr={stderr.getvalue()[:200]!r}")


# --- bugs found: one test each, with the minimal input that showed it ------------------------------
#
# A bug that is still open is marked @bug("id", Exception): xfail(strict=True) with the entry of
# KNOWN_BUGS as the reason, so that it fails loudly once fixed. Then remove the mark and the entry.
# The tests below are the bugs this suite found while it was written; all are fixed (96e9dde)
# and stay as regression tests.


def refuses(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> None:
    """``fn`` must refuse with a FieldServiceError (any other exception propagates)."""
    try:
        fn(*args, **kwargs)
    except fs.FieldServiceError as err:
        well_formed(err)
        return
    msg = "accepted, not refused"
    raise AssertionError(msg)


def bug(key: str, *exceptions: type[BaseException]) -> pytest.MarkDecorator:
    return pytest.mark.xfail(
        raises=exceptions or None, strict=True, reason=f"bug: {key}: {KNOWN_BUGS[key].summary}"
    )


_T = pendulum.datetime(2026, 11, 24, 10, tz=TZ)
_FAR = dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC)
_YEAR_1 = dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=14)))


def _booked_log(start: str, end: str) -> list[Event]:
    return [
        Event("accepted", _T, actor="desk-1", data={"tier": "gold"}),
        Event("booked", _T, actor="desk-1", data={"start": start, "end": end}),
    ]


def _visit_order(log: list[Event]) -> types.SimpleNamespace:
    return types.SimpleNamespace(
        id="WO-1",
        kind=fs.OrderKind.INSTALL,
        products=frozenset({fs.Product.IPTV}),
        customer=CUSTOMERS[0],
        technicians=(),
        standard=STD,
        events=log,
    )


def _accepted_order() -> WorkOrder:
    order = WorkOrder.install(
        id="WO-1", customer=CUSTOMERS[0], products={"broadband"}, accepted_at=_T, by="desk-1"
    )
    order.check_resources(True, at=_T.add(minutes=1), by="desk-1")
    return order


_FAR_BOOKING = ("9999-12-31T20:00:00-12:00", "9999-12-31T21:00:00-12:00")
_INSTANT_RANGE = [
    pytest.param(
        lambda: WorkOrder.install(
            id="WO-1", customer=CUSTOMERS[0], products={"iptv"}, accepted_at=_FAR, by="desk-1"
        ),
        id="WorkOrder.install(accepted_at=9999-12-31T23:59Z)",
    ),
    pytest.param(
        lambda: WorkOrder.repair(
            id="WO-1", customer=CUSTOMERS[0], products={"iptv"}, reported_at=_YEAR_1, by="desk-1"
        ),
        id="WorkOrder.repair(reported_at=0001-01-01T00:00+14:00)",
    ),
    pytest.param(
        lambda: _accepted_order().cancel(at=_FAR, by="desk-1", reason="x"),
        id="order.cancel(at=9999-12-31T23:59Z)",
    ),
    pytest.param(
        lambda: sla.evaluate([], at=_YEAR_1, standard=STD),
        id="sla.evaluate([], at=0001-01-01T00:00+14:00)",
    ),
    pytest.param(
        lambda: sla.evaluate(
            [
                Event(
                    "confirmed",
                    _T,
                    actor="x",
                    data={"start": "9999-12-31T23:00:00-12:00", "end": "2026-11-26T14:00:00+08:00"},
                )
            ],
            at=_FAR,
            standard=STD,
        ),
        id="sla.evaluate(confirmed for 9999-12-31T23:00-12:00)",
    ),
    pytest.param(
        lambda: sla.evaluate_many([], at=_FAR, standard=STD),
        id="sla.evaluate_many([], at=9999-12-31T23:59Z)",
    ),
    pytest.param(
        lambda: reminders.plan(_booked_log(*_FAR_BOOKING), standard=STD, order_id="WO-1"),
        id="reminders.plan(log booked for 9999-12-31T20:00-12:00)",
    ),
    pytest.param(
        lambda: reminders.knock_protocol(_FAR, STD),
        id="reminders.knock_protocol(9999-12-31T23:59Z)",
    ),
    pytest.param(
        lambda: calendar.to_ical([_visit_order(_booked_log(*_FAR_BOOKING))]),
        id="calendar.to_ical(order booked for 9999-12-31T20:00-12:00)",
    ),
    pytest.param(
        lambda: fs.check_window(fs.AppointmentWindow("2026-11-25", "morning"), _FAR, STD),
        id="check_window(2026-11-25 morning, booked_at=9999-12-31T23:59Z)",
    ),
    pytest.param(
        lambda: fs.check_arrival(
            fs.ArrivalWindow(
                dt.datetime(1, 1, 1, tzinfo=dt.UTC), dt.datetime(1, 1, 1, 1, tzinfo=dt.UTC)
            ),
            _T,
            STD,
        ),
        id="check_arrival(0001-01-01T00:00Z-01:00Z, booked_at=2026)",
    ),
    pytest.param(
        lambda: fs.check_arrival(
            fs.ArrivalWindow(
                dt.datetime(9999, 12, 31, 12, tzinfo=dt.UTC),
                dt.datetime(9999, 12, 31, 13, tzinfo=dt.UTC),
            ),
            _T,
            STD,
        ),
        id="check_arrival(9999-12-31T12:00Z-13:00Z, booked_at=2026)",
    ),
    pytest.param(
        lambda: fs.departure_time(_T, dt.timedelta.max, STD),
        id="departure_time(2026, travel=timedelta.max)",
    ),
    pytest.param(
        lambda: fs.departure_time(dt.datetime(1, 1, 1, tzinfo=dt.UTC), dt.timedelta(0), STD),
        id="departure_time(0001-01-01T00:00Z, travel=0)",
    ),
]


# Found by this suite as bugs "instant-range" (fixed in 96e9dde) and
# "appointment-instant-range" (the appointment checks and departure_time).
@pytest.mark.parametrize("call", _INSTANT_RANGE)
def test_regression_instants_at_the_ends_of_datetime_are_refused_with_a_coded_error(
    call: Callable[[], object],
) -> None:
    refuses(call)


# Found by this suite as bug "instant-range"; fixed in 96e9dde.
@pytest.mark.parametrize("at", ["0001-01-01T00:00+14:00", "9999-12-31T23:59-23:59"])
def test_regression_cli_sla_at_the_ends_of_datetime_exits_1(tmp_path: Path, at: str) -> None:
    empty = tmp_path / "orders.jsonl"
    empty.write_text("", encoding="utf-8")
    with quiet():
        assert main(["sla", str(empty), "--at", at], out=io.StringIO()) == 1


def _paused_log(clocks: object) -> list[Event]:
    return [
        Event("accepted", _T, actor="desk-1", data={"tier": "gold"}),
        Event(
            "clock_paused",
            _T.add(minutes=5),
            actor="desk-1",
            data={"reason": "customer_request", "clocks": clocks},
        ),
    ]


# Found by this suite as bug "pause-clock-names"; fixed in 96e9dde.
@pytest.mark.parametrize("clocks", [5, [{}]], ids=["number", "object"])
def test_regression_pause_with_malformed_clock_names_is_refused(clocks: object) -> None:
    # Refused where the event is made now (the event schema), before any clock reads it.
    refuses(lambda: sla.evaluate(_paused_log(clocks), at=_T.add(hours=1), standard=STD))


# Found by this suite as bug "pause-clock-names"; fixed in 96e9dde.
def test_regression_order_from_tampered_json_with_malformed_clock_names_breaks_the_clocks() -> None:
    order = _accepted_order()
    order.pause_clocks("customer_request", at=_T.add(minutes=5), by="desk-1")
    data = json.loads(order.to_json(include_personal=True))
    data["events"][-1]["data"]["clocks"] = 5
    text = json.dumps(data)
    try:
        back = WorkOrder.from_json(text)
    except fs.FieldServiceError:
        return  # refused on the way in: fixed that way
    refuses(sla.evaluate, back, at=_T.add(hours=1), standard=STD)


# Found by this suite as bug "unreadable-path"; fixed in 96e9dde.
@pytest.mark.parametrize(
    "call",
    [
        lambda p: fs.ServiceStandard.from_toml(Path("bad\x00name.toml")),
        lambda p: fs.ServiceStandard.from_toml(p),
        lambda p: fs.ServiceStandard.from_toml(Path("\ud800.toml")),
        lambda p: calendar.orders_from_jsonl("bad\x00name.jsonl"),
        lambda p: calendar.orders_from_jsonl("\ud800.jsonl"),
    ],
    ids=[
        "from_toml NUL",
        "from_toml not UTF-8",
        "from_toml surrogate",
        "orders_from_jsonl NUL",
        "orders_from_jsonl surrogate",
    ],
)
def test_regression_unreadable_paths_are_refused_with_a_coded_error(
    tmp_path: Path, call: Callable[[Path], object]
) -> None:
    latin = tmp_path / "latin1.toml"
    latin.write_bytes('name = "Zürich"'.encode("latin-1"))
    refuses(call, latin)


# Found by this suite as bug "unreadable-path"; fixed in 96e9dde.
@pytest.mark.parametrize(
    "argv",
    [
        ["standard", "check", "{latin}"],
        ["standard", "show", "bad\x00name.toml"],
        ["slots", "--booked-at", "2026-11-24T10:30", "--standard", "{latin}"],
        ["sla", "{latin}", "--at", "2026-11-24T10:30"],
        ["sla", "bad\x00name.jsonl", "--at", "2026-11-24T10:30"],
        ["ics", "bad\x00name.jsonl", "-o", "{out}"],
    ],
    ids=[
        "standard check",
        "standard show",
        "slots --standard",
        "sla not UTF-8",
        "sla NUL",
        "ics NUL",
    ],
)
def test_regression_cli_unreadable_files_exit_1(tmp_path: Path, argv: list[str]) -> None:
    latin = tmp_path / "latin1.txt"
    latin.write_bytes('name = "Zürich"'.encode("latin-1"))
    args = [a.format(latin=latin, out=tmp_path / "out.ics") for a in argv]
    with quiet():
        assert main(args, out=io.StringIO()) == 1


# Found by this suite as bug "demo-ics-unwritable"; fixed in 96e9dde.
@pytest.mark.parametrize("target", ["{dir}", "{dir}/missing/visits.ics", "bad\x00name.ics"])
def test_regression_cli_demo_to_an_unwritable_ics_path_exits_1(tmp_path: Path, target: str) -> None:
    with quiet():
        assert main(["demo", "--ics", target.format(dir=tmp_path)], out=io.StringIO()) == 1


# Found by this suite as bug "toml-shapes"; fixed in 96e9dde.
@pytest.mark.parametrize(
    "text",
    ['[clocks.repair]\ncity = "0h"', '[booking]\nlead_time = "99999999999h"'],
    ids=["area as a string", "duration too large"],
)
def test_regression_toml_of_the_wrong_shape_is_refused_with_a_coded_error(text: str) -> None:
    refuses(fs.ServiceStandard.from_toml, text)


# Found by this suite as bug "toml-subsecond"; fixed in 96e9dde.
@pytest.mark.parametrize("longest", [dt.timedelta(microseconds=1), dt.timedelta(seconds=90.5)])
def test_regression_a_standard_reads_back_what_it_writes(longest: dt.timedelta) -> None:
    std = attempt(STD.replace, early_arrival=(dt.timedelta(0), longest))
    assert std is REFUSED or fs.ServiceStandard.from_toml(std.to_toml()) == std


# Found by this suite as bug "standard-unchecked"; fixed in 96e9dde.
@pytest.mark.parametrize("how", ["from_events", "from_json"])
def test_regression_an_order_refuses_a_standard_that_is_not_one(how: str) -> None:
    order = _accepted_order()
    if how == "from_events":
        refuses(
            WorkOrder.from_events,
            id="WO-1",
            customer=CUSTOMERS[0],
            events=order.events,
            standard=[],
        )
    else:
        refuses(WorkOrder.from_json, order.to_json(include_personal=True), standard="default")


# Found by this suite as bug "tick-evidence-unchecked"; fixed in 96e9dde.
@pytest.mark.parametrize("evidence", [False, frozenset({""}), ["ab"]], ids=["bool", "set", "list"])
def test_regression_tick_refuses_evidence_that_is_not_a_mapping(evidence: object) -> None:
    order = lifecycle(6)
    assert order.state is fs.State.IN_PROGRESS, order.state
    item = order.checklist.missing()[0].id
    refuses(order.tick, item, at=order.events[-1].at, by="T-x-1", evidence=evidence)


# Found by this suite as bug "technicians-unchecked"; fixed in 96e9dde.
@pytest.mark.parametrize("how", ["assign", "from_events"])
def test_regression_technicians_that_are_not_a_sequence_are_refused(how: str) -> None:
    order = _accepted_order()
    if how == "assign":
        refuses(order.assign, dt.timedelta(1), contact="T7", at=_T.add(minutes=2), by="desk-1")
    else:
        refuses(
            WorkOrder.from_events,
            id="WO-1",
            customer=CUSTOMERS[0],
            events=order.events,
            technicians=5,
        )


# Found by this suite as bug "reader-standard-unchecked"; fixed in 96e9dde.
@pytest.mark.parametrize(
    "call",
    [
        lambda o: sla.evaluate(o, at=_T, standard=42),  # type: ignore[arg-type]
        lambda o: sla.evaluate_many([o], at=_T, standard="default"),  # type: ignore[arg-type]
        lambda o: reminders.plan(o, standard=object()),  # type: ignore[arg-type]
        lambda o: reminders.knock_protocol(_T, None),
    ],
    ids=["sla.evaluate", "sla.evaluate_many", "reminders.plan", "reminders.knock_protocol"],
)
def test_regression_readers_refuse_a_standard_that_is_not_one(
    call: Callable[[WorkOrder], object],
) -> None:
    refuses(call, _accepted_order())


def _report_and_batch() -> tuple[sla.SlaReport, sla.SlaBatch]:
    order = _accepted_order()
    return (
        sla.evaluate(order, at=_T.add(hours=1), standard=STD),
        sla.evaluate_many([order], at=_T.add(hours=1), standard=STD),
    )


# Found by this suite as bug "clock-name-unchecked"; fixed in 96e9dde.
@pytest.mark.parametrize(
    "call",
    [
        lambda r, b: r["nonsense"],
        lambda r, b: sla.summarize(b, "nonsense"),
        lambda r, b: sla.breaches(b, "nonsense"),
        lambda r, b: sla.summarize(b, ["repair"]),
    ],
    ids=["SlaReport[name]", "summarize", "breaches", "summarize unhashable"],
)
def test_regression_unknown_clock_names_are_refused_with_a_coded_error(
    call: Callable[[sla.SlaReport, sla.SlaBatch], object],
) -> None:
    refuses(call, *_report_and_batch())


# Found by this suite as bug "reminder-args-unchecked"; fixed in 96e9dde.
@pytest.mark.parametrize(
    "call",
    [
        lambda o: reminders.diff(None, None),
        lambda o: reminders.diff(reminders.plan(o, standard=STD), o),
        lambda o: reminders.plan(o, standard=STD, kinds=[["call_ahead"]]),
    ],
    ids=["diff(None, None)", "diff(plan, order)", "plan(kinds=[[...]])"],
)
def test_regression_reminder_arguments_of_the_wrong_type_are_refused(
    call: Callable[[WorkOrder], object],
) -> None:
    refuses(call, _accepted_order())


# Found by this suite as bug "calendar-args-unchecked".
@pytest.mark.parametrize(
    "call",
    [
        lambda: calendar.to_ical(None),
        lambda: calendar.to_ical([None]),
        lambda: calendar.visit_of("WO-1"),
        lambda: calendar.event_for(None),
        lambda: calendar.feed(None, [], _T, _T.add(days=1)),
    ],
    ids=["to_ical(None)", "to_ical([None])", "visit_of(str)", "event_for(None)", "feed(None)"],
)
def test_regression_calendar_arguments_of_the_wrong_type_are_refused(
    call: Callable[[], object],
) -> None:
    refuses(call)


# Found by this suite as bug "contact-note-limit"; fixed in 96e9dde.
def test_regression_a_contact_note_of_up_to_500_characters_is_taken() -> None:
    order = _accepted_order()
    order.contact_customer(at=_T.add(minutes=2), by="desk-1", note="请先电话联系。" * 25)  # 175
    assert order.state is fs.State.AWAITING_BOOKING


# Found by this suite as bug "fold-equality"; fixed in 96e9dde.
@pytest.mark.parametrize("fold", [0, 1])
def test_regression_an_event_in_the_repeated_hour_equals_its_copy_from_json(fold: int) -> None:
    at = dt.datetime(2026, 11, 1, 1, 30, fold=fold, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    made = Event("accepted", at, actor="desk-1")
    assert Event.from_dict(made.to_dict()) == made


# Found by this suite as bug "fold-equality"; fixed in 96e9dde.
def test_regression_an_order_of_a_dst_branch_restores_its_events_equal() -> None:
    std = STD.replace(name="new-york", timezone="America/New_York", holiday_country="US")
    at = pendulum.datetime(2026, 11, 1, 5, 30, tz="UTC")  # 01:30 EDT, the first of two
    order = WorkOrder.repair(
        id="WO-1",
        customer=CUSTOMERS[0],
        products={"iptv"},
        reported_at=at,
        by="desk-1",
        standard=std,
    )
    back = WorkOrder.from_json(order.to_json(include_personal=True), standard=std)
    assert back.events == order.events


LONDON = STD.replace(name="london", timezone="Europe/London", holiday_country="GB")


@given(seed=st.integers(0, 10**6))
@settings(max_examples=max(settings().max_examples, 1000))
def test_lifecycles_of_a_branch_in_a_dst_zone_restore_in_full(seed: int) -> None:
    order = lifecycle(seed, standard=LONDON)  # its instants only ever grow
    back = WorkOrder.from_json(order.to_json(include_personal=True), standard=LONDON)
    assert back.to_json(include_personal=True) == order.to_json(include_personal=True)
    assert [e.epoch for e in back.events] == [e.epoch for e in order.events]
    check_restores(order)


# Found by this suite as bug "fold-equality-values": ChecklistItem.at and Signature.at
# compared with datetime ==, False across zones for the second of two equal wall times.
@pytest.mark.parametrize("what", ["checklist", "signature"])
def test_regression_a_checklist_or_signature_in_the_repeated_hour_equals_its_copy_from_json(
    what: str,
) -> None:
    at = dt.datetime(2026, 11, 1, 1, 30, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    if what == "checklist":
        checklist = fs.Checklist.for_order("install", ["fixed_line"]).tick("S1", by="T7", at=at)
        assert fs.Checklist.from_dict(checklist.to_dict(include_personal=True)) == checklist
    else:
        signature = fs.Signature("张三", "customer", at, digest="0" * 64)
        assert fs.Signature.from_dict(signature.to_dict(include_personal=True)) == signature


# Found by this suite as bug "timezone-unchecked".
@pytest.mark.parametrize("zone", [(None, False), "x" * 300], ids=["tuple", "long name"])
def test_regression_a_timezone_that_is_not_a_zone_name_is_refused(zone: object) -> None:
    refuses(STD.replace, timezone=zone)


# Found by this suite as bug "depart-travel-unchecked".
@pytest.mark.parametrize(
    "travel", [[], "30m", -dt.timedelta(minutes=5)], ids=["list", "text", "negative"]
)
def test_regression_depart_refuses_a_travel_time_that_is_not_one(travel: object) -> None:
    order = lifecycle(next(s for s in range(500) if lifecycle(s).state is fs.State.CONFIRMED))
    refuses(order.depart, at=order.events[-1].at, by="T-x-1", travel=travel)


# Found by this suite as bug "pause-reason-unhashable": the clocks hashed the reason.
@pytest.mark.parametrize("how", ["events", "from_json"])
def test_regression_a_pause_with_a_reason_that_is_not_text_is_refused(how: str) -> None:
    order = _accepted_order()
    order.pause_clocks("customer_request", at=_T.add(minutes=5), by="desk-1")
    data = json.loads(order.to_json(include_personal=True))
    data["events"][-1]["data"]["reason"] = {}
    if how == "events":
        # Refused where the event enters: a reader never sees it.
        refuses(lambda: [Event.from_dict(e) for e in data["events"]])
        return
    try:
        back = WorkOrder.from_json(json.dumps(data))
    except fs.FieldServiceError:
        return  # refused on the way in: fixed that way
    refuses(sla.evaluate, back, at=_T.add(hours=1), standard=STD)


# Found by this suite as bug "finding-unchecked".
@pytest.mark.parametrize("finding", ["flood", ""])
def test_regression_an_unknown_checklist_finding_in_json_is_refused(finding: str) -> None:
    order = lifecycle(next(s for s in range(500) if lifecycle(s).state is fs.State.IN_PROGRESS))
    data = json.loads(order.to_json(include_personal=True))
    data["events"].append(
        {
            "kind": "checklist_updated",
            "at": data["events"][-1]["at"],
            "actor": "T-x-1",
            "data": {"action": "finding", "finding": finding},
        }
    )
    refuses(WorkOrder.from_json, json.dumps(data))


# Found by this suite as bug "surrogate-text".
@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: fs.PersonalName("\ud800x"), id="PersonalName"),
        pytest.param(
            lambda: fs.Customer(id="C1", name="张三", phones="13800138000", address="x\udc00y"),
            id="Customer(address=)",
        ),
        pytest.param(
            lambda: _order_in(fs.State.AWAITING_SIGNOFF).sign(
                signer="\ud800", role="customer", at=_T.add(days=400), by="T-x-1"
            ),
            id="order.sign(signer=)",
        ),
        pytest.param(
            lambda: _order_in(fs.State.BOOKED).cancel(
                at=_T.add(days=400), by="desk-x", reason="\ud800"
            ),
            id="order.cancel(reason=)",
        ),
    ],
)
def test_regression_text_that_is_not_unicode_is_refused(call: Callable[[], object]) -> None:
    refuses(call)


def _order_in(state: fs.State) -> WorkOrder:
    return lifecycle(next(s for s in range(500) if lifecycle(s).state is state))


_LONDON_FIRST = pendulum.datetime(2025, 10, 26, 0, 43, tz="UTC")  # 01:43 BST
_LONDON_LATER = pendulum.datetime(2025, 10, 26, 1, 16, tz="UTC")  # 01:16 GMT, 33 min later


def _london_order(at: dt.datetime) -> WorkOrder:
    return WorkOrder.repair(
        id="WO-1",
        customer=CUSTOMERS[0],
        products={"iptv"},
        reported_at=at,
        by="desk-1",
        standard=LONDON,
    )


@pytest.mark.parametrize("case", ["later accepted", "earlier refused", "check_time_order"])
def test_regression_time_order_holds_in_the_hour_a_summer_time_ends(case: str) -> None:
    # In that hour, instants in the standard's zone used to be ordered by wall time.
    if case == "later accepted":
        order = _london_order(_LONDON_FIRST)
        order.pause_clocks("customer_request", at=_LONDON_LATER, by="desk-1")
        # By instant: == between zones is False for the second 01:16 (PEP 495).
        assert order.events[-1].epoch == _LONDON_LATER.timestamp()
    elif case == "earlier refused":
        order = _london_order(_LONDON_LATER)
        refuses(order.pause_clocks, "customer_request", at=_LONDON_FIRST, by="desk-1")
    else:
        late = Event("reported", _LONDON_LATER.in_timezone("Europe/London"), actor="desk-1")
        early = Event("triaged", _LONDON_FIRST.in_timezone("Europe/London"), actor="desk-1")
        refuses(check_time_order, [late, early])

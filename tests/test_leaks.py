"""Nothing leaked (issue 10, G1): personal data shows only where the caller opted in.

Personal data here: a customer's or technician's name, a phone number (E.164 and
the national forms people write), the detail of an address (the region may
show), a modem password, and the words of a contact note or of a signer.

The scan renders, for a corpus of orders at every stage of both workflows, every
object's ``repr``/``str``/format, what generic tools show of it (``pprint``,
``rich.pretty``, which rich tracebacks use for locals, and ``attrs.asdict`` /
``attrs.astuple``), the HTML and record views, ``to_json``/``to_dict``
without ``include_personal``, the SLA reports and reminder plans, the iCalendar
output without ``include_personal``, the CLI's output, every error message the
commands and the JSON reader give (including for tampered JSON that moves personal
data into other fields), and every log record; and finds none of that data, in
any written form (raw, JSON-escaped, HTML-escaped, iCalendar-escaped and
unfolded). The opt-in paths (``reveal()``, ``personal_data()``,
``include_personal=True``, ``include_secret(s)=True``) are checked to contain it,
so that the scan can fail.

Findings that are still open are ``xfail(strict=True)`` with the reason.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import html
import io
import json
import logging
import random
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pendulum
import phonenumbers
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_fuzz import command_calls, known_bug
from test_roundtrip import (
    CUSTOMERS,
    LABELS,
    NOTES,
    PASSWORDS,
    TECHNICIAN_NAMES,
    lifecycle,
    technicians,
)

import fieldservice as fs
from fieldservice import calendar, model, reminders, sla
from fieldservice.cli import main
from fieldservice.workflow import WorkOrder

TZ = "Asia/Shanghai"
STD = fs.ServiceStandard.default()
KNOWN_LEAKS: dict[str, str] = {}
"""Renderings with a known, open leak: each has an xfail test; the scans skip only these."""


# --- what must not show ----------------------------------------------------------------------


def _ics_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def written_forms(value: str) -> set[str]:
    """The ways a value can be written in the library's outputs."""
    found = {value, json.dumps(value)[1:-1], html.escape(value), _ics_escape(value)}
    return {f for f in found if f}


def phone_forms(phone: fs.ContactPhone) -> set[str]:
    """E.164, the national and international forms, and the digits alone."""
    number = phonenumbers.parse(phone.reveal())
    fmt = phonenumbers.PhoneNumberFormat
    national = phonenumbers.format_number(number, fmt.NATIONAL)
    found = {
        phone.reveal(),
        phone.reveal()[1:],
        phonenumbers.format_number(number, fmt.INTERNATIONAL),
        national,
        national.replace(" ", ""),
        national.replace(" ", "-"),
        str(number.national_number),
    }
    return {f for f in found if len(f) >= 7}


def personal_values(
    customers: Iterable[fs.Customer],
    techs: Iterable[fs.Technician],
    secrets: Iterable[str] = (),
) -> dict[str, str]:
    """Every written form of the personal data given -> what it is (for the messages)."""
    found: dict[str, str] = {}
    for customer in customers:
        data = customer.personal_data()
        for form in written_forms(str(data["name"])):
            found[form] = f"name of {customer.id}"
        for phone in customer.phones:
            for form in phone_forms(phone):
                found[form] = f"phone of {customer.id}"
        detail = str(data["address"])[len(customer.address.region) :].strip()
        for form in written_forms(detail) | written_forms(str(data["address"])):
            found[form] = f"address detail of {customer.id}"
    for tech in techs:
        for form in written_forms(tech.name.reveal()):
            found[form] = f"name of {tech.id}"
        if tech.phone is not None:
            for form in phone_forms(tech.phone):
                found[form] = f"phone of {tech.id}"
    for secret in secrets:
        for form in written_forms(secret):
            found[form] = "a password, note or signer"
    return found


_SECRETS = (*PASSWORDS, *NOTES, "line one line two", "代签人")
FORBIDDEN = personal_values(
    CUSTOMERS, technicians("x"), [*_SECRETS, *(n for n, _ in TECHNICIAN_NAMES)]
)


def _normal(text: str) -> str:
    # iCalendar folds long lines: a value may be split by a CRLF and one space.
    return text.replace("\r\n ", "").replace("\r\n\t", "")


def leaks(text: str, forbidden: dict[str, str] = FORBIDDEN) -> list[str]:
    """What personal data ``text`` shows."""
    text = _normal(text)
    return sorted({what for form, what in forbidden.items() if form in text})


def shows_all(text: str, values: Iterable[str]) -> list[str]:
    """The values that ``text`` does not show (in any written form)."""
    text = _normal(text)
    return [v for v in values if not any(f in text for f in written_forms(v))]


# --- the corpus and what it renders ---------------------------------------------------------------

T0 = pendulum.datetime(2026, 11, 24, 10, 30, tz=TZ)


def full_visit(
    customer: fs.Customer,
    crew: tuple[fs.Technician, fs.Technician],
    label: fs.ModemLabel,
    note: str,
    *,
    signer: str | None = None,
    order_id: str = "WO-V1",
) -> WorkOrder:
    """An install of broadband and a fixed line from acceptance to closing, every step."""
    t = T0
    order = WorkOrder.install(
        id=order_id,
        customer=customer,
        products={"broadband", "fixed_line"},
        accepted_at=t,
        by="desk-1",
    )

    def at(minutes: int) -> pendulum.DateTime:
        return t.add(minutes=minutes)

    order.check_resources(True, at=at(1), by="desk-1")
    order.contact_customer(at=at(30), by="desk-1", note=note)
    order.book(("2026-11-25", "afternoon"), at=at(35), by="desk-1")
    order.assign(list(crew), contact=crew[0], at=at(90), by="dispatch-1")
    tech = crew[0].id
    order.confirm(14, at=t.add(hours=22), by=tech)
    order.depart(at=t.add(hours=26, minutes=50), by=tech, travel=dt.timedelta(minutes=30))
    order.arrive(at=t.add(hours=27, minutes=22), by=tech)
    order.enter(at=t.add(hours=27, minutes=25), by=tech)
    order.start_work(at=t.add(hours=27, minutes=30), by=tech)
    minute = 40
    for item in order.checklist.missing():
        kwargs: dict[str, Any] = {}
        if item.id == "S5":
            kwargs["evidence"] = {"optical_power_dbm": -18.5}
        if item.id in ("L1", "L2"):
            kwargs["label"] = label
        order.tick(item.id, at=t.add(hours=27, minutes=minute), by=tech, **kwargs)
        minute += 1
    sheet = fs.WorkSheet(technicians=[c.id for c in crew]).with_opinion(fs.CustomerOpinion(True))
    order.fill_worksheet(sheet, at=t.add(hours=28, minutes=30), by=tech)
    order.finish_work(at=t.add(hours=28, minutes=31), by=tech)
    who = customer.name.reveal() if signer is None else signer
    order.sign(signer=who, role="customer", at=t.add(hours=28, minutes=32), by=tech)
    order.complete(at=t.add(hours=28, minutes=33), by=tech)
    return order


def _visits() -> list[WorkOrder]:
    crew = technicians("x")
    return [
        full_visit(c, crew, LABELS[i % len(LABELS)], NOTES[i % len(NOTES)], order_id=f"WO-V{i}")
        for i, c in enumerate(CUSTOMERS)
    ]


def _ics(orders: list[WorkOrder], **kwargs: Any) -> str:
    return calendar.to_ical(orders, itip=False, **kwargs).decode("utf-8")


def _objects(order: WorkOrder) -> Iterator[tuple[str, object]]:
    customer = order.customer
    yield "order", order
    yield "customer", customer
    yield "customer.name", customer.name
    yield "customer.address", customer.address
    yield "customer.phones", customer.phones
    for i, phone in enumerate(customer.phones):
        yield f"customer.phones[{i}]", phone
    yield "technicians", order.technicians
    yield "contact", order.contact
    for tech in order.technicians:
        yield f"technician {tech.id}.name", tech.name
        yield f"technician {tech.id}.phone", tech.phone
    yield "events", order.events
    for e in order.events:
        yield f"event {e.kind.value}", e
        yield f"event {e.kind.value}.data", e.data
    yield "checklist", order.checklist
    for item in order.checklist.items:
        yield f"checklist item {item.id}", item
        if item.label is not None:
            yield f"checklist item {item.id}.label", item.label
            yield f"checklist item {item.id}.label.password", item.label.password
    yield "worksheet", order.worksheet
    yield "signature", order.signature
    yield "window", order.window
    yield "arrival", order.arrival


def renderings(order: WorkOrder) -> Iterator[tuple[str, str]]:
    """Everything the library shows of an order when nobody opted in."""
    for name, value in _objects(order):
        yield f"repr({name})", repr(value)
        yield f"str({name})", str(value)
        yield f"f'{{{name}}}'", f"{value}"
    yield "order._repr_html_()", order._repr_html_()
    yield "order.to_records()", repr(order.to_records())
    yield "order.to_json()", order.to_json()
    yield "order.to_dict()", repr(order.to_dict())
    yield "customer_to_dict()", repr(model.customer_to_dict(order.customer))
    for tech in order.technicians:
        yield f"technician_to_dict({tech.id})", repr(model.technician_to_dict(tech))
    for e in order.events:
        yield f"event {e.kind.value}.to_dict()", json.dumps(e.to_dict(), ensure_ascii=False)
    yield "checklist.to_dict()", json.dumps(order.checklist.to_dict(), ensure_ascii=False)
    for item in order.checklist.items:
        yield f"item {item.id}.to_dict()", repr(item.to_dict())
        if item.label is not None:
            yield f"item {item.id}.label.to_dict()", repr(item.label.to_dict())
    yield "worksheet.to_dict()", repr(order.worksheet.to_dict())
    last = order.events[-1].at
    report = sla.evaluate(order, at=last.add(hours=5), standard=order.standard)
    yield "sla report", repr(report)
    yield "sla report records", repr(report.to_records())
    yield "sla explain", repr([status.explain() for status in report])
    yield "evaluate_many", repr(sla.evaluate_many([order], at=last, standard=order.standard))
    plan = reminders.plan(order, standard=order.standard, travel=dt.timedelta(minutes=20))
    yield "reminder plan", repr(plan)
    yield "reminder records", repr(plan.to_records())
    visit = calendar.visit_of(order)
    yield "visit_of", repr(visit)
    if visit is not None:
        for audience in ("technician", "customer"):
            yield f"to_ical({audience})", _ics([order], audience=audience)
            vevent = calendar.event_for(order, audience=audience)
            yield f"event_for({audience})", vevent.to_ical().decode()
        for tech in order.technicians:
            yield (
                f"feed({tech.id})",
                calendar.feed(tech, [order], last.subtract(days=30), last.add(days=30)).decode(),
            )
    route = fs.plan_route([order], order.window.date) if order.window else ()
    yield "plan_route", repr(route)


def generic_renderings(order: WorkOrder) -> Iterator[tuple[str, str]]:
    """What generic tools show of an order's objects: pprint, rich, attrs introspection.

    These walk an object by themselves (``attrs.asdict`` and ``rich.pretty`` read
    an attrs class's fields, rich tracebacks render locals with ``rich.pretty``),
    so a value masked only in its own ``repr`` would show here.
    """
    import pprint

    import attrs
    import rich.pretty

    last = order.events[-1].at
    objects = [
        *_objects(order),
        ("sla report", sla.evaluate(order, at=last.add(hours=5), standard=order.standard)),
        ("reminder plan", reminders.plan(order, standard=order.standard)),
        ("visit", calendar.visit_of(order)),
    ]
    for name, value in objects:
        yield f"pprint({name})", pprint.pformat(value)
        yield f"rich.pretty({name})", rich.pretty.pretty_repr(value)
        if attrs.has(type(value)):
            yield f"attrs.asdict({name})", repr(attrs.asdict(value))  # type: ignore[arg-type]
            yield f"attrs.astuple({name})", repr(attrs.astuple(value))  # type: ignore[arg-type]


@functools.cache
def _seeds() -> tuple[int, ...]:
    """The first 100 lifecycles, and 5 more that end in each state of either workflow."""
    chosen = list(range(100))
    per_state: dict[fs.State, int] = {}
    for seed in range(100, 4000):
        state = lifecycle(seed).state
        if per_state.get(state, 0) < 5:
            per_state[state] = per_state.get(state, 0) + 1
            chosen.append(seed)
    return tuple(chosen)


def _corpus() -> list[WorkOrder]:
    """The orders scanned: lifecycles at every state, and full visits of every customer."""
    return [lifecycle(seed) for seed in _seeds()] + _visits()


# --- the scan -------------------------------------------------------------------------------------


def test_the_corpus_covers_every_state_and_holds_every_kind_of_personal_data() -> None:
    corpus = _corpus()
    assert {o.state for o in corpus} == set(fs.State)
    text = "".join(o.to_json(include_personal=True) for o in corpus)
    assert not shows_all(text, [*PASSWORDS, "二楼有狗"])
    assert len(FORBIDDEN) > 40


def test_G1_no_rendering_of_any_order_shows_personal_data() -> None:
    found = []
    for order in _corpus():
        for what, text in renderings(order):
            if what not in KNOWN_LEAKS:
                found += [f"{order.id}: {what} shows the {leak}" for leak in leaks(text)]
    assert not found, "\n".join(found[:40])


def test_G1_generic_renderers_show_no_personal_data() -> None:
    # Issue 17: rich.pretty, rich tracebacks and attrs.asdict showed Secret('Kx7-29qL'),
    # PersonalName('张三') and full phone numbers.
    found = []
    for order in _corpus():
        for what, text in generic_renderings(order):
            if what not in KNOWN_LEAKS:
                found += [f"{order.id}: {what} shows the {leak}" for leak in leaks(text)]
    assert not found, "\n".join(found[:40])


def test_G1_attrs_asdict_of_a_visit_shows_no_note() -> None:
    # Issue 17: calendar.Visit.note was a plain str attrs field, shown by attrs.asdict.
    import attrs

    visits = [v for order in _visits() if (v := calendar.visit_of(order)) is not None]
    assert any(v.note is not None for v in visits)  # the scan reaches a note
    found = [
        f"{leaks(text)}"
        for visit in visits
        for text in (repr(attrs.asdict(visit)), repr(attrs.astuple(visit)))
        if leaks(text)
    ]
    assert not found, found


def test_G1_generic_renderers_are_reached() -> None:
    # The scan above can fail: the same renderers show the data of an opted-in export.
    import rich.pretty

    order = _visits()[0]
    shown = rich.pretty.pretty_repr(order.to_dict(include_personal=True))
    assert leaks(shown)
    assert {what.split("(")[0] for what, _ in generic_renderings(order)} >= {
        "pprint",
        "rich.pretty",
        "attrs.asdict",
        "attrs.astuple",
    }


def test_G1_a_visit_shows_no_contact_note() -> None:
    found = [
        f"{order.id}: {leaks(text)}"
        for order in _corpus()
        for what, text in renderings(order)
        if what == "visit_of" and leaks(text)
    ]
    assert not found, found[:5]


def test_G1_format_specs_on_masked_values_show_no_personal_data() -> None:
    customer = CUSTOMERS[0]
    secret = LABELS[0].password
    for value in (customer.name, customer.address, customer.phones[0], secret):
        for spec in ("", ">40", "<5", "^30", "s"):
            try:
                shown = format(value, spec)
            except TypeError:
                continue  # no format spec for this type: nothing shown either
            assert not leaks(shown), (value, spec)


# Was a bug: Signature.to_dict() wrote the signer's name with no opt-in.
def test_G1_signature_to_dict_shows_no_name_without_opt_in() -> None:
    order = _visits()[0]
    assert order.signature is not None
    assert not leaks(repr(order.signature.to_dict()))


# --- the opt-in paths do show it (so that the scan can fail) ----------------------------------------


def test_G1_opt_in_paths_show_the_personal_data() -> None:
    crew = technicians("x")
    for i, order in enumerate(_visits()):
        customer = order.customer
        data = customer.personal_data()
        label = LABELS[i % len(LABELS)]
        note = NOTES[i % len(NOTES)]
        wanted = [
            str(data["name"]),
            *(p.reveal() for p in customer.phones),
            str(data["address"])[len(customer.address.region) :].strip(),
            label.password.reveal(),
            " ".join(note.split()),
            *(t.name.reveal() for t in crew),
        ]
        opted = order.to_json(include_personal=True)
        assert not shows_all(opted, wanted), shows_all(opted, wanted)
        assert customer.name.reveal() == data["name"]
        assert customer.address.reveal() == data["address"]
        ics = _ics([order], include_personal=True)
        assert not shows_all(ics, [str(data["name"]), customer.phones[0].reveal()])
        detail = str(data["address"])[len(customer.address.region) :].strip()
        assert not shows_all(ics, [detail])
        customer_ics = _ics([order], include_personal=True, audience="customer")
        assert not shows_all(customer_ics, [customer.phones[0].reveal()])
        assert label.to_dict(include_personal=True)["password"] == label.password.reveal()
        assert not shows_all(
            json.dumps(order.checklist.to_dict(include_personal=True), ensure_ascii=False),
            [label.password.reveal()],
        )
        ticked = [e for e in order.events if "label" in e.data]
        assert ticked
        assert not shows_all(
            json.dumps(ticked[0].to_dict(include_personal=True), ensure_ascii=False),
            [label.password.reveal()],
        )
        # ... and the scan finds what they show.
        assert leaks(opted)
        assert leaks(ics)


@pytest.mark.parametrize("flag", ["false", "no", "0"])
def test_G1_an_opt_in_flag_that_is_not_a_bool_does_not_reveal(flag: str) -> None:
    order = _visits()[0]
    label = LABELS[0]
    outputs: list[Callable[[], object]] = [
        lambda: label.to_dict(include_personal=flag),
        lambda: order.checklist.to_dict(include_personal=flag),
    ]
    for output in outputs:
        try:
            shown = output()
        except fs.FieldServiceError:
            continue
        assert not leaks(repr(shown)), shown


@pytest.mark.parametrize("flag", ["false", "no", "0"])
def test_G1_include_personal_that_is_not_a_bool_does_not_reveal(flag: str) -> None:
    order = _visits()[0]
    outputs: list[Callable[[], object]] = [
        lambda: order.to_json(include_personal=flag),  # type: ignore[arg-type]
        lambda: order.to_dict(include_personal=flag),  # type: ignore[arg-type]
        lambda: [e.to_dict(include_personal=flag) for e in order.events],  # type: ignore[arg-type]
        lambda: calendar.to_ical([order], include_personal=flag, itip=False),  # type: ignore[arg-type]
        lambda: model.customer_to_dict(order.customer, include_personal=flag),  # type: ignore[arg-type]
        lambda: model.technician_to_dict(order.technicians[0], include_personal=flag),  # type: ignore[arg-type]
        lambda: calendar.event_for(order, include_personal=flag).to_ical(),  # type: ignore[arg-type]
    ]
    shown_anything = []
    for output in outputs:
        try:
            shown = output()
        except fs.FieldServiceError:
            continue
        text = shown.decode() if isinstance(shown, bytes) else repr(shown)
        shown_anything += leaks(text)
    assert not shown_anything, shown_anything


# Was a bug: calendar.feed(include_personal=...) took any truthy value as consent.
@pytest.mark.parametrize("flag", ["false", "no", "0"])
def test_G1_a_feed_with_include_personal_that_is_not_a_bool_does_not_reveal(flag: str) -> None:
    order = _visits()[0]
    last = order.events[-1].at
    try:
        shown = calendar.feed(
            order.technicians[0],
            [order],
            last.subtract(days=30),
            last.add(days=30),
            include_personal=flag,  # type: ignore[arg-type]
        )
    except fs.FieldServiceError:
        return
    assert not leaks(shown.decode()), leaks(shown.decode())


# --- random personal data --------------------------------------------------------------------------

# Every value starts with a character no label of the library uses, so that what shows
# can only be the value itself.
RARE = st.sampled_from(list("䶵䶶䶷䶸䶹"))
WORDS = st.text(
    st.characters(codec="utf-8", categories=["L", "N", "Zs", "P"], exclude_characters="\\"),
    min_size=2,
    max_size=12,
)


@st.composite
def people(draw: st.DrawFn) -> tuple[fs.Customer, tuple[fs.Technician, fs.Technician], str, str]:
    """A customer, two technicians, a modem password and a note, all random."""

    def text(prefix: str) -> str:
        value = " ".join((draw(RARE) + prefix + draw(WORDS)).split())
        assume(len(value) >= 3)
        return value

    def mobile() -> str:
        prefix = draw(st.sampled_from(["139", "138", "136", "150", "186", "188", "177"]))
        return prefix + "".join(draw(st.sampled_from("0123456789")) for _ in range(8))

    try:
        customer = fs.Customer(
            id="C-R",
            name=text(""),
            tier=draw(st.sampled_from(list(fs.Tier))),
            phones=[mobile() for _ in range(draw(st.integers(1, 2)))],
            address=fs.Address(region="上海市浦东新区", detail=text("路")),
        )
        crew = (
            fs.Technician(id="T-r-1", name=text(""), certificate="ZW-R-1", phone=mobile()),
            fs.Technician(id="T-r-2", name=text(""), certificate="ZW-R-2"),
        )
        letters = st.characters(codec="ascii", categories=["L", "N"])
        password = "Pw-" + draw(st.text(letters, min_size=6, max_size=20))
        fs.Secret(password)
        note = text("备注")
        fs.Secret(note)
    except fs.InvalidInput:
        assume(False)
        raise
    return customer, crew, password, note


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(who=people())
def test_G1_random_personal_data_shows_only_where_opted_in(
    who: tuple[fs.Customer, tuple[fs.Technician, fs.Technician], str, str],
) -> None:
    customer, crew, password, note = who
    label = fs.ModemLabel("AD0211234567", "ad0211234567@bb", password)
    order = full_visit(customer, crew, label, note)
    forbidden = personal_values([customer], crew, [password, note])
    for what, text in [*renderings(order), *generic_renderings(order)]:
        if what not in KNOWN_LEAKS:
            assert not leaks(text, forbidden), f"{what} shows the {leaks(text, forbidden)}"
    back = WorkOrder.from_json(order.to_json(include_personal=True), standard=order.standard)
    assert back.customer == customer
    assert leaks(order.to_json(include_personal=True), forbidden)
    assert leaks(_ics([order], include_personal=True), forbidden)


# --- error messages -------------------------------------------------------------------------------

_PERSONAL_TEXTS = sorted(
    {
        CUSTOMERS[0].name.reveal(),
        CUSTOMERS[3].name.reveal(),
        CUSTOMERS[0].phones[0].reveal(),
        "13800138000",
        "138 0013 8000",
        "张江路 100 弄 5 号 302",
        PASSWORDS[0],
    }
)


@functools.cache
def _seed_at(state: fs.State) -> int:
    return next(s for s in range(400) if lifecycle(s).state is state)


def _order_at(state: fs.State) -> WorkOrder:
    return lifecycle(_seed_at(state))


ECHOES: dict[str, Callable[[str], object]] = {
    "Customer(language=)": lambda p: fs.Customer(
        id="C1", name="x", phones="13800138000", address="x", language=p
    ),
    "Customer(tier=)": lambda p: fs.Customer(
        id="C1", name="x", phones="13800138000", address="x", tier=p
    ),
    "Customer(phones=)": lambda p: fs.Customer(id="C1", name="x", phones=p + "x", address="x"),
    "ContactPhone.parse(text=)": lambda p: fs.ContactPhone.parse(p + "#"),
    "ContactPhone(e164=)": lambda p: fs.ContactPhone(e164=p, country_code=7),
    "Secret(value=)": lambda p: fs.Secret(p + "\n"),
    "ModemLabel(account=)": lambda p: fs.ModemLabel(p + "\x00", "u", "pw"),
    "AppointmentWindow(date=)": lambda p: fs.AppointmentWindow(p, "morning"),
    "AppointmentWindow(half=)": lambda p: fs.AppointmentWindow("2026-11-25", p),
    "window.refine(start=)": lambda p: fs.AppointmentWindow("2026-11-25", "morning").refine(
        p,
        STD,  # type: ignore[arg-type]
    ),
    "next_windows(count=)": lambda p: fs.next_windows(T0, STD, count=p),  # type: ignore[arg-type]
    "departure_time(travel=)": lambda p: fs.departure_time(T0, p, STD),  # type: ignore[arg-type]
    "order.book(window=(p, half))": lambda p: _order_at(fs.State.AWAITING_BOOKING).book(
        (p, "morning"), at=T0.add(days=900), by="desk-x"
    ),
    "order.confirm(start=)": lambda p: _order_at(fs.State.BOOKED).confirm(
        p,  # type: ignore[arg-type]
        at=T0.add(days=900),
        by="T-x-1",
    ),
    "order.tick(item=)": lambda p: _order_at(fs.State.IN_PROGRESS).tick(
        p, at=T0.add(days=900), by="T-x-1"
    ),
    "order.change_tier(tier=)": lambda p: _order_at(fs.State.RECEIVED).change_tier(
        p, at=T0.add(days=900), by="desk-x"
    ),
    "order.pause_clocks(reason=)": lambda p: _order_at(fs.State.RECEIVED).pause_clocks(
        p, at=T0.add(days=900), by="desk-x"
    ),
    "order.report_finding(finding=)": lambda p: _order_at(fs.State.IN_PROGRESS).report_finding(
        p, at=T0.add(days=900), by="T-x-1"
    ),
    "Checklist.for_order(kind=)": lambda p: fs.Checklist.for_order(p, ["broadband"]),
    "Event(kind=)": lambda p: fs.Event(p, T0, actor="x"),
    "Event.from_dict(at=)": lambda p: fs.Event.from_dict(
        {"kind": "accepted", "at": p, "actor": "x"}
    ),
    "sla report[name]": lambda p: sla.evaluate([], at=T0, standard=STD)[p],
    "calendar.to_ical(audience=)": lambda p: calendar.to_ical([], audience=p),
}
"""Entry points that refuse a value of the wrong form: the refusal must not echo it."""


def _tampered_action(value: str) -> WorkOrder:
    order = _visits()[0]
    data = json.loads(order.to_json(include_personal=True))
    ticked = next(e for e in data["events"] if e["kind"] == "checklist_updated")
    ticked["data"]["action"] = value
    return WorkOrder.from_json(json.dumps(data))


ECHOES["WorkOrder.from_json(checklist action=)"] = _tampered_action

_ECHOING: dict[str, str] = {}
"""Refusals known to echo the rejected value: none open (fixed in 96e9dde's follow-up)."""
_ECHOING_MESSAGES = (
    "is not an ISO date like",
    "start must be an hour",
    "count must be a whole number",
    "travel must be a timedelta",
    "unknown checklist action",
)


def _echo_cases() -> Iterator[Any]:
    for name, call in ECHOES.items():
        marks = []
        if name in _ECHOING:
            marks = [
                pytest.mark.xfail(
                    strict=True,
                    raises=AssertionError,
                    reason=f"bug: a refusal echoes the rejected value (G1): {_ECHOING[name]}; "
                    "_validate shows a rejected value by its type only",
                )
            ]
        yield pytest.param(call, id=name, marks=marks)


@pytest.mark.parametrize("call", list(_echo_cases()))
def test_G1_a_refusal_does_not_echo_personal_data_given_in_the_wrong_place(
    call: Callable[[str], object],
) -> None:
    shown = []
    for value in _PERSONAL_TEXTS:
        try:
            call(value)
        except fs.FieldServiceError as err:
            texts = [str(err), repr(err), *(str(v) for v in err.violations)]
            shown += [f"{value!r} in {text!r}" for text in texts if value in text]
    assert not shown, shown


@st.composite
def displaced(draw: st.DrawFn) -> str:
    """An order's JSON with a piece of its personal data moved into another field."""
    order = lifecycle(draw(st.integers(0, 10**6)))
    data = json.loads(order.to_json(include_personal=True))
    value = draw(st.sampled_from(_PERSONAL_TEXTS))
    for _ in range(draw(st.integers(1, 3))):
        target = draw(st.sampled_from(data["events"]))
        field = draw(st.sampled_from(["kind", "at", "actor", "data"]))
        if field == "data":
            keys = [*target["data"], "start", "date", "half", "tier", "action", "item", "clocks"]
            target["data"][draw(st.sampled_from(keys))] = value
        else:
            target[field] = value
    if draw(st.booleans()):
        key = draw(st.sampled_from(["tier", "language", "area", "id"]))
        data["customer"][key] = value
    return json.dumps(data, ensure_ascii=False)


@given(text=displaced())
def test_G1_tampered_json_with_personal_data_in_other_fields_is_refused_without_echo(
    text: str,
) -> None:
    try:
        WorkOrder.from_json(text)
    except Exception as err:
        if not isinstance(err, fs.FieldServiceError):
            if known_bug(err) is None:
                raise  # the contract of test_fuzz: only coded errors come out
            return
        message = " ".join([str(err), *(str(v) for v in err.violations)])
        shown = leaks(message)
        if shown and any(m in message for m in _ECHOING_MESSAGES):
            return  # an open finding: see test_G1_a_refusal_does_not_echo_personal_data...
        assert not shown, f"{shown}: {message}"
    # Accepted: the personal data now sits in a field nobody reads; that is the caller's.


@given(seed=st.integers(0, 10**6), data=st.data())
def test_G1_fuzzed_commands_on_orders_with_personal_data_never_echo_it(
    seed: int, data: st.DataObject
) -> None:
    order = lifecycle(seed)
    for _ in range(data.draw(st.integers(1, 4))):
        name, args, kwargs = data.draw(command_calls(order))
        try:
            getattr(order, name)(*args, **kwargs)
        except fs.FieldServiceError as err:
            message = " ".join([str(err), *(str(v) for v in err.violations)])
            assert not leaks(message), f"{name}: {leaks(message)}: {message}"
        except Exception:  # the fuzz suite owns these
            return
    assert not leaks(repr(order.events))
    assert not leaks(order.to_json())


# --- the CLI ---------------------------------------------------------------------------------------


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main(list(argv), out=out)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def orders_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("leaks") / "orders.jsonl"
    # The CLI restores each order under the default standard unless --standard names
    # another: the file holds the default's orders (a branch's are refused, not misread).
    booked = [
        o
        for o in _corpus()
        if o.standard.name == "default"
        and calendar.visit_of(o) is not None
        and not o.state.is_final
    ]
    lines = [o.to_json(include_personal=True) for o in booked[:25]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_G1_cli_output_shows_no_personal_data(orders_file: Path, tmp_path: Path) -> None:
    ics = tmp_path / "visits.ics"
    runs = [
        ("ics", str(orders_file), "-o", str(ics), "--plain"),
        ("ics", str(orders_file), "-o", str(ics), "--plain", "--audience", "customer"),
        ("sla", str(orders_file), "--at", "2026-12-01T10:00"),
        ("sla", str(orders_file), "--at", "2026-12-01T10:00", "--json"),
    ]
    for argv in runs:
        code, out, err = _cli(*argv)
        assert code == 0, err
        assert not leaks(out + err), (argv, leaks(out + err))
        if argv[0] == "ics":
            assert not leaks(ics.read_text(encoding="utf-8")), argv
    code, _, _ = _cli("ics", str(orders_file), "-o", str(ics), "--plain", "--include-personal")
    assert code == 0
    assert leaks(ics.read_text(encoding="utf-8"))


def _bad_line(where: str) -> str:
    """An order's JSON line with the customer's phone or name put where it does not belong."""
    order = _visits()[0]
    data = json.loads(order.to_json(include_personal=True))
    phone, name = order.customer.phones[0].reveal(), order.customer.name.reveal()
    if where == "phones":
        data["customer"]["phones"] = [name]
    elif where == "booked date":
        booked = next(e for e in data["events"] if e["kind"] == "booked")
        booked["data"]["date"] = phone
    else:
        data["customer"][where] = phone
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize(
    "where",
    ["tier", "language", "area", "phones", "booked date"],
)
@pytest.mark.parametrize("command", ["ics", "sla"])
def test_G1_cli_errors_about_a_bad_line_show_no_personal_data(
    tmp_path: Path, where: str, command: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(_bad_line(where) + "\n", encoding="utf-8")
    if command == "ics":
        argv: tuple[str, ...] = ("ics", str(path), "-o", str(tmp_path / "x.ics"))
    else:
        argv = ("sla", str(path), "--at", "2026-12-01T10:00")
    code, out, err = _cli(*argv)
    # fieldservice sla judges clocks from the events alone and never reads the customer:
    # a bad customer field is not its business (the line is judged), an event's is.
    refused = command == "ics" or where == "booked date"
    assert code == (1 if refused else 0), err
    assert not leaks(out + err), err


# --- logs, network, clock ----------------------------------------------------------------------


def _exercise() -> None:
    """Every reader and writer, on every order of the corpus."""
    for order in _corpus():
        for _ in renderings(order):
            pass
        WorkOrder.from_json(order.to_json(include_personal=True), standard=order.standard)
        calendar.to_ical([order], include_personal=True, itip=False)


def test_G1_nothing_personal_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        _exercise()
        with contextlib.suppress(fs.FieldServiceError):
            WorkOrder.from_json(_visits()[0].to_json())  # refused: masked
    assert not [r for r in caplog.records if leaks(r.getMessage())]
    assert not [r for r in caplog.records if r.name.startswith("fieldservice")], (
        "fieldservice logs nothing; if it starts to, keep personal data out"
    )


def test_no_network_and_no_clock_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*_: object, **__: object) -> None:
        msg = "fieldservice must not use the network or read the clock"
        raise AssertionError(msg)

    rng = random.Random(7)
    seeds = rng.sample(range(10_000), 20)
    with monkeypatch.context() as patch:
        for name in ("connect", "connect_ex", "sendto", "bind"):
            patch.setattr(socket.socket, name, refused)
        patch.setattr(socket, "create_connection", refused)
        patch.setattr(socket, "getaddrinfo", refused)
        for name in ("time", "time_ns", "localtime", "gmtime", "ctime"):
            patch.setattr(time, name, refused)
        for name in ("now", "today", "yesterday", "tomorrow", "local_timezone"):
            patch.setattr(pendulum, name, refused)
        for seed in seeds:
            order = lifecycle(seed)
            for _ in renderings(order):
                pass
            WorkOrder.from_json(order.to_json(include_personal=True), standard=order.standard)
        for order in _visits():
            calendar.to_ical([order], include_personal=True, itip=False)
        assert _cli("standard", "show")[0] == 0
        assert _cli("slots", "--booked-at", "2026-11-24T10:30")[0] == 0


# --- words people write into the log -----------------------------------------------------------


def staff_words_visit(
    customer: fs.Customer, crew: tuple[fs.Technician, ...], words: str
) -> list[WorkOrder]:
    """Orders in which every free-text field of the log holds ``words``.

    Staff write what they see: a reason or a note may name the customer or hold their
    phone. An install through a visit (resource gap, reschedule, delay, text evidence of
    a tick, leaving for a while, the customer's phone, a request out of scope, an item not
    applicable and one declined), one cancelled, and a repair that needed a visit.
    """
    t = T0
    tech = crew[0].id
    visit = WorkOrder.install(
        id="WO-W1", customer=customer, products={"broadband"}, accepted_at=t, by="desk-1"
    )
    visit.check_resources(False, at=t.add(minutes=1), by="desk-1")
    visit.record_resource_gap(words, at=t.add(minutes=2), by="desk-1")
    visit.resources_built(at=t.add(minutes=3), by="desk-1")
    visit.contact_customer(at=t.add(minutes=30), by="desk-1")
    visit.book(("2026-11-25", "afternoon"), at=t.add(minutes=35), by="desk-1")
    visit.reschedule(
        ("2026-11-26", "afternoon"),
        at=t.add(minutes=40),
        by="desk-1",
        requested_by="customer",
        reason=words,
        contacted=True,
        agreed=True,
    )
    visit.assign(list(crew), contact=crew[0], at=t.add(minutes=90), by="dispatch-1")
    visit.confirm(14, at=t.add(hours=46), by=tech)
    visit.depart(at=t.add(hours=50, minutes=50), by=tech, travel=dt.timedelta(minutes=30))
    visit.report_delay(
        "other", at=t.add(hours=51), by=tech, minutes=20, customer_told=True, note=words
    )
    visit.arrive(at=t.add(hours=51, minutes=40), by=tech)
    visit.enter(at=t.add(hours=51, minutes=42), by=tech)
    visit.start_work(at=t.add(hours=51, minutes=45), by=tech)
    visit.tick("S1", at=t.add(hours=51, minutes=46), by=tech, evidence={"seen": words})
    visit.leave_temporarily(
        words, at=t.add(hours=51, minutes=50), by=tech, customer_told=True, minutes=10
    )
    visit.use_customer_phone(at=t.add(hours=52, minutes=5), by=tech, consent=True, purpose=words)
    visit.record_out_of_scope(words, at=t.add(hours=52, minutes=6), by=tech, explanation=words)
    visit.mark_not_applicable("S2", at=t.add(hours=52, minutes=7), by=tech, reason=words)
    visit.decline("L1", at=t.add(hours=52, minutes=8), by=tech, reason=words, hotline_told=True)
    unhappy = fs.CustomerOpinion(False, remedy="explained", action=words)
    sheet = fs.WorkSheet(technicians=[c.id for c in crew]).with_opinion(unhappy)
    visit.fill_worksheet(sheet, at=t.add(hours=52, minutes=9), by=tech)
    cancelled = WorkOrder.install(
        id="WO-W2", customer=customer, products={"broadband"}, accepted_at=t, by="desk-1"
    )
    cancelled.cancel(at=t.add(minutes=5), by="desk-1", reason=words)
    repair = WorkOrder.repair(
        id="WO-W3", customer=customer, products={"broadband"}, reported_at=t, by="desk-1"
    )
    repair.triage(remote_possible=False, at=t.add(minutes=4), by="desk-1")
    repair.request_visit(at=t.add(minutes=5), by="desk-1", reason=words)
    return [visit, cancelled, repair]


def _free_text_fields(orders: Iterable[WorkOrder]) -> set[str]:
    return (
        {
            f"{e.kind.value}.{name}"
            for order in orders
            for e in order.events
            for name in e.data
            if isinstance(e.data[name], fs.FreeText)
        }
        | {
            f"{e.kind.value}.evidence"
            for order in orders
            for e in order.events
            if any(
                isinstance(v, fs.FreeText)
                for v in (getattr(e.data, "evidence", None) or {}).values()
            )
        }
        | {
            f"checklist {item.status.value}.evidence"
            for order in orders
            for item in order.checklist.items
            if any(isinstance(v, fs.FreeText) for v in item.evidence.values())
        }
        | {
            f"checklist {item.status.value}.reason"
            for order in orders
            for item in order.checklist.items
            if item.reason is not None
        }
        | {
            "work sheet opinion.action"
            for order in orders
            if order.worksheet.opinion is not None
            and isinstance(order.worksheet.opinion.action, fs.FreeText)
        }
    )


def test_G1_the_staff_words_corpus_reaches_every_free_text_field() -> None:
    from fieldservice import payloads

    customer, crew = CUSTOMERS[0], technicians("x")
    orders = staff_words_visit(customer, crew, "客户出差")
    # Every payload field written as words, minus the old spelling of a delay's note.
    declared = {
        f"{kind}.{f.name}"
        for kind, cls in payloads.PAYLOAD_OF.items()
        for f in attrs.fields(cls)
        if f.type in ("FreeText | None", "FreeText")
    } - {"delayed.reason"}
    assert declared <= _free_text_fields(orders)
    assert {
        "checklist_updated.evidence",
        "checklist done.evidence",
        "checklist not_applicable.reason",
        "checklist declined.reason",
        "work sheet opinion.action",
    } <= _free_text_fields(orders)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(who=people())
def test_G1_personal_data_in_staff_words_shows_only_where_opted_in(
    who: tuple[fs.Customer, tuple[fs.Technician, fs.Technician], str, str],
) -> None:
    customer, crew, _, note = who
    phone = customer.phones[0].reveal()
    words = f"{customer.name.reveal()} {phone} {note}"
    try:
        orders = staff_words_visit(customer, crew, words)
    except fs.InvalidInput as err:
        # Random words may blame the load, which a delay's note may never do (T4).
        assume(not any(v.rule == "T4" for v in err.violations))
        raise
    forbidden = personal_values([customer], crew, [words])
    for order in orders:
        for what, text in [*renderings(order), *generic_renderings(order)]:
            assert not leaks(text, forbidden), (
                f"{order.id}: {what} shows the {leaks(text, forbidden)}"
            )
        for event in order.events:
            assert not leaks(repr(event), forbidden)
        clear = order.to_json(include_personal=True)
        assert leaks(clear, forbidden)
        back = WorkOrder.from_json(clear, standard=order.standard)
        assert back.events == order.events
        assert [e.to_dict(include_personal=True) for e in back.events] == [
            e.to_dict(include_personal=True) for e in order.events
        ]
        assert back.checklist == order.checklist


def test_G1_a_masked_export_of_staff_words_reads_for_the_clocks_and_never_restores() -> None:
    customer, crew = CUSTOMERS[0], technicians("x")
    for order in staff_words_visit(customer, crew, "客户张三 13800138000"):
        masked = json.loads(order.to_json())
        events = [fs.Event.from_dict(e) for e in masked["events"]]
        words = [e.data[k] for e in events for k in e.data if isinstance(e.data[k], fs.FreeText)]
        assert words
        assert all(w.withheld for w in words)
        at = order.events[-1].at.add(hours=1)
        read = sla.evaluate_many([events], at=at, standard=order.standard)
        kept = sla.evaluate_many([order.events], at=at, standard=order.standard)
        assert repr(read.to_records()) == repr(kept.to_records())
        masked["customer"] = json.loads(order.to_json(include_personal=True))["customer"]
        with pytest.raises(fs.InvalidInput, match="exported without secrets"):
            WorkOrder.from_json(json.dumps(masked), standard=order.standard)


def test_G1_a_pause_reason_in_words_is_masked_and_a_code_stays_in_clear() -> None:
    # Commands write codes; a log from another system may give its reason in words.
    # The words are personal (masked); the codes stay, so the clocks judge a masked
    # export as the full log (G4: only a customer's code pauses a clock).
    customer = CUSTOMERS[0]
    words = f"{customer.name.reveal()} {customer.phones[0].reveal()} 出差"
    t = pendulum.datetime(2026, 11, 24, 9, tz="Asia/Shanghai")
    order = WorkOrder.repair(
        id="WO-P1", customer=customer, products={"broadband"}, reported_at=t, by="desk-1"
    )
    order.pause_clocks("customer_request", at=t.add(hours=1), by="desk-1")
    order.resume_clocks(at=t.add(hours=2), by="desk-1")
    log = [
        *order.events,
        fs.Event("clock_paused", t.add(hours=3), actor="desk-1", data={"reason": words}),
        fs.Event("clock_resumed", t.add(hours=4), actor="desk-1", data={"reason": words}),
    ]
    restored = WorkOrder.from_events(
        id="WO-P1", customer=customer, events=log, standard=order.standard
    )
    forbidden = personal_values([customer], (), [words])
    for event in restored.events:
        assert not leaks(repr(event), forbidden)
    masked = json.loads(restored.to_json())
    assert not leaks(json.dumps(masked, ensure_ascii=False), forbidden)
    reasons = [e["data"].get("reason") for e in masked["events"] if "clock" in e["kind"]]
    assert reasons[0] == "customer_request"
    assert reasons[2:] == [{"$secret": None}, {"$secret": None}]
    at = t.add(days=1)
    read = [fs.Event.from_dict(e) for e in masked["events"]]
    assert repr(sla.evaluate_many([read], at=at, standard=order.standard).to_records()) == repr(
        sla.evaluate_many([log], at=at, standard=order.standard).to_records()
    )
    clear = restored.to_json(include_personal=True)
    assert words in json.loads(clear)["events"][-1]["data"]["reason"]
    assert WorkOrder.from_json(clear, standard=order.standard).events == restored.events
    masked["customer"] = json.loads(clear)["customer"]
    with pytest.raises(fs.InvalidInput, match="exported without secrets"):
        WorkOrder.from_json(json.dumps(masked), standard=order.standard)


def test_G1_a_masked_work_sheet_action_alone_is_never_restored() -> None:
    # Nothing lost: an export whose only masked value is what was done for a dissatisfied
    # customer (W3) must be refused, not restored with the words gone.
    customer, crew = CUSTOMERS[0], technicians("x")
    tech = crew[0].id
    t = T0
    order = WorkOrder.install(
        id="WO-W9", customer=customer, products={"broadband"}, accepted_at=t, by="desk-1"
    )
    order.check_resources(True, at=t.add(minutes=1), by="desk-1")
    order.contact_customer(at=t.add(minutes=30), by="desk-1")
    order.book(("2026-11-26", "afternoon"), at=t.add(minutes=35), by="desk-1")
    order.assign(list(crew), contact=crew[0], at=t.add(minutes=90), by="dispatch-1")
    order.confirm(14, at=t.add(hours=46), by=tech)
    order.depart(at=t.add(hours=50, minutes=50), by=tech, travel=dt.timedelta(minutes=30))
    order.arrive(at=t.add(hours=51, minutes=20), by=tech)
    order.enter(at=t.add(hours=51, minutes=22), by=tech)
    order.start_work(at=t.add(hours=51, minutes=25), by=tech)
    unhappy = fs.CustomerOpinion(False, remedy="explained", action="客户张三 13800138000")
    sheet = fs.WorkSheet(technicians=[c.id for c in crew]).with_opinion(unhappy)
    order.fill_worksheet(sheet, at=t.add(hours=52), by=tech)
    clear = json.loads(order.to_json(include_personal=True))
    masked = json.loads(order.to_json())
    masked["customer"], masked["technicians"] = clear["customer"], clear["technicians"]
    assert [e for e in masked["events"] if e != clear["events"][masked["events"].index(e)]]
    with pytest.raises(fs.InvalidInput, match="exported without secrets"):
        WorkOrder.from_json(json.dumps(masked), standard=order.standard)


def test_G4_a_pause_code_given_as_a_str_enum_stays_a_code_and_digits_are_words() -> None:
    import enum

    class PauseReason(str, enum.Enum):  # noqa: UP042  # the older spelling users still write
        CUSTOMER_REQUEST = "customer_request"

    t = pendulum.datetime(2026, 11, 24, 9, tz="Asia/Shanghai")
    paused = fs.Event(
        "clock_paused", t, actor="desk-1", data={"reason": PauseReason.CUSTOMER_REQUEST}
    )
    assert type(paused.data.reason) is str  # type: ignore[attr-defined]
    assert paused.data.reason == "customer_request"  # type: ignore[attr-defined]
    assert paused.to_dict()["data"] == {"reason": "customer_request"}
    # A run of digits may be a phone number: only words, masked, hold it.
    coded = fs.Event("clock_paused", t, actor="desk-1", data={"reason": "zhang_13800138000"})
    assert "13800138000" not in repr(coded)
    assert coded.to_dict()["data"] == {"reason": {"$secret": None}}


def test_G1_withheld_is_read_on_a_subclass_of_a_payload_too() -> None:
    from fieldservice import payloads

    @attrs.frozen(slots=True)
    class MyContacted(payloads.Contacted):
        pass

    assert MyContacted(note={"$secret": None}).withheld
    assert not MyContacted(note="带梯子").withheld


def test_G1_an_evidence_key_is_an_identifier_on_every_path() -> None:
    # An export writes evidence keys in clear: a key names a measurement, never words, in
    # a bare event as in a tick (the checklist has always refused such keys).
    t = pendulum.datetime(2026, 11, 24, 9, tz="Asia/Shanghai")
    for key in ("张三 13800138000", "13800138000"):
        data = {"action": "tick", "item": "S5", "evidence": {key: True}}
        with pytest.raises(fs.InvalidInput) as info:
            fs.Event("checklist_updated", t, actor="T7", data=data)
        assert "13800138000" not in str(info.value)
        with pytest.raises(fs.InvalidInput):
            fs.Checklist.for_order("install", ["broadband"]).tick(
                "S5", by="T7", at=t, evidence={key: True}
            )

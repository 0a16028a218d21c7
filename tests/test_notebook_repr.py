"""Notebook views: ``_repr_html_`` of orders, SLA reports and reminder plans, and ``to_records``.

The HTML is well-formed, escapes every text, colours SLA clocks by state and
never shows personal data (G1): no name, phone, address detail, signer or secret.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pendulum
import pytest

import fieldservice as fs
from fieldservice import demo
from fieldservice.reminders import Audience, Reminder, ReminderKind, ReminderPlan, plan
from fieldservice.sla import evaluate

STD = fs.ServiceStandard.default()
TZ = STD.timezone
NIGHT = pendulum.datetime(2026, 11, 25, 20, tz=TZ)
GREEN, RED, AMBER, GREY = "#d4edda", "#f8d7da", "#fff3cd", "#e2e3e5"


@pytest.fixture(scope="module")
def day() -> dict[str, fs.WorkOrder]:
    return {o.id: o for o in demo.build_day(STD)}


class _Tags(HTMLParser):
    """Checks that every tag opened is closed, in order, and counts the rows."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.rows = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append(tag)
        self.rows += tag == "tr"

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"</{tag}> closes nothing"
        assert self.open.pop() == tag, f"</{tag}> closes another tag"


def parse(page: str) -> _Tags:
    tags = _Tags()
    tags.feed(page)
    tags.close()
    assert tags.open == [], f"unclosed tags: {tags.open}"
    return tags


def personal(order: fs.WorkOrder) -> set[str]:
    c = order.customer
    found = {c.name.reveal(), c.address.reveal().removeprefix(c.address.region).strip()}
    for phone in c.phones:
        found |= {phone.reveal(), phone.reveal().removeprefix("+86")}
    for tech in order.technicians:
        found.add(tech.name.reveal())
        if tech.phone is not None:
            found |= {tech.phone.reveal(), tech.phone.reveal().removeprefix("+86")}
    return found


def row_of(page: str, clock: str) -> str:
    start = page.index(f"<td>{clock}</td>")
    return page[page.rindex("<tr", 0, start) : page.index("</tr>", start)]


# --- WorkOrder -------------------------------------------------------------------------


def test_an_order_shows_its_state_tier_products_and_one_timeline_row_per_event(
    day: dict[str, fs.WorkOrder],
) -> None:
    order = day["WO-101"]
    page = order._repr_html_()
    assert parse(page).rows == len(order.events) + 1  # the header row, then one per event
    assert "<strong>已归档</strong> (<code>closed</code>)" in page
    assert "金卡 gold" in page
    assert "宽带 broadband, 固话 fixed line" in page
    assert "<td>2026-11-25 13:52</td><td><code>arrived</code></td><td>到达</td><td>T2</td>" in page


def test_an_order_shows_no_personal_data_no_event_data_and_no_secret(
    day: dict[str, fs.WorkOrder],
) -> None:
    order = day["WO-101"]  # signed by the customer, with a modem label and its password
    page = order._repr_html_()
    assert not [p for p in personal(order) if p in page]
    assert "Kx7-29qL" not in page  # the modem password
    assert "皮线光缆" not in page  # work-sheet data stays out too


def test_a_hostile_free_text_never_reaches_the_order_html() -> None:
    customer = fs.Customer(id="C-9", name="<b>张三</b>", phones="13800138000", address="<i>1</i>")
    t = pendulum.datetime(2026, 11, 24, 10, tz=TZ)
    order = fs.WorkOrder.repair(
        id="WO-9", customer=customer, products={"broadband"}, reported_at=t, by="hotline-3"
    )
    order.cancel(at=t.add(minutes=1), by="hotline-3", reason="<script>alert('x')</script>")
    page = order._repr_html_()
    assert "<script" not in page
    assert "script" not in page  # the reason is event data: not shown at all
    assert "<b>" not in page
    assert "&lt;b&gt;" not in page  # nor the name, escaped or not
    assert "<i>" not in page
    parse(page)


def test_an_order_records_one_plain_dict_per_event(day: dict[str, fs.WorkOrder]) -> None:
    order = day["WO-102"]
    records = order.to_records()
    assert len(records) == len(order.events)
    assert {tuple(r) for r in records} == {("order_id", "at", "kind", "label_zh", "rule", "actor")}
    delayed = next(r for r in records if r["kind"] == "delayed")
    assert delayed == {
        "order_id": "WO-102",
        "at": pendulum.datetime(2026, 11, 25, 9, 50, tz=TZ),
        "kind": "delayed",
        "label_zh": "迟到",
        "rule": "T3",
        "actor": "T9",
    }
    text = repr(records)
    assert not [p for p in personal(order) if p in text]
    assert "道路施工堵车" not in text  # the delay reason is event data


# --- SlaReport -------------------------------------------------------------------------


def test_a_report_colours_met_green_and_breached_red(day: dict[str, fs.WorkOrder]) -> None:
    page = evaluate(day["WO-102"], at=NIGHT, standard=STD)._repr_html_()
    # The header, booking_contact, arrival, confirmation (C1) and punctuality (T2).
    assert parse(page).rows == 5
    assert f'style="background:{GREEN}"><td>booking_contact</td><td>B3</td><td>met</td>' in page
    arrival = row_of(page, "arrival")
    assert f"background:{RED}" in arrival
    assert "<td>breached</td>" in arrival
    assert "<td>2026-11-25 11:00</td>" in arrival  # the deadline: the window's end
    assert "<td>-0:12</td>" in arrival  # 12 minutes past it
    assert "SLA clocks at 2026-11-25 20:00 (Asia/Shanghai)" in page


def test_a_report_colours_running_neutral_and_at_risk_amber(day: dict[str, fs.WorkOrder]) -> None:
    order = day["WO-202"]  # the countryside repair, still open
    report = evaluate(order, at=NIGHT, standard=STD)
    assert "<tr><td>repair</td>" in report._repr_html_()  # running, no colour
    risk_from = report["repair"].at_risk_from
    assert risk_from is not None
    risky = evaluate(order, at=risk_from.add(minutes=1), standard=STD)._repr_html_()
    assert f"background:{AMBER}" in row_of(risky, "repair")
    assert "running, at risk" in row_of(risky, "repair")


def test_a_report_colours_paused_amber_and_cancelled_grey() -> None:
    customer = fs.Customer(id="C-9", name="张三", phones="13800138000", address="幸福路 1 号")
    t = pendulum.datetime(2026, 11, 24, 10, tz=TZ)
    order = fs.WorkOrder.repair(
        id="WO-9", customer=customer, products={"broadband"}, reported_at=t, by="hotline-3"
    )
    order.pause_clocks("customer_request", at=t.add(hours=1), by="hotline-3")
    paused = evaluate(order, at=t.add(hours=2), standard=STD)._repr_html_()
    assert f"background:{AMBER}" in row_of(paused, "repair")
    assert "<td>paused</td>" in paused
    order.cancel(at=t.add(hours=3), by="hotline-3", reason="客户撤单")
    cancelled = evaluate(order, at=t.add(hours=4), standard=STD)._repr_html_()
    assert f"background:{GREY}" in row_of(cancelled, "repair")
    assert not [p for p in personal(order) if p in paused + cancelled]


def test_a_report_with_no_started_clock_says_so() -> None:
    page = evaluate([], at=NIGHT, standard=STD)._repr_html_()
    assert "no clock has started" in page
    assert parse(page).rows == 2


# --- ReminderPlan ----------------------------------------------------------------------


def test_a_plan_shows_each_reminder_and_flags_quiet_hours(day: dict[str, fs.WorkOrder]) -> None:
    order = day["WO-202"]
    reminders = plan(order, standard=STD, travel=dt.timedelta(minutes=30))
    page = reminders._repr_html_()
    assert parse(page).rows == len(reminders) + 1
    assert "Reminders of WO-202: 4" in page
    call = page[page.index("<code>call_ahead</code>") :]
    assert call.index("no time outside quiet hours (B6)") < call.index("</tr>")
    assert "<td>2026-11-26 07:30 +08:00</td>" in page
    assert not [p for p in personal(order) if p in page]


def test_a_plan_escapes_its_texts() -> None:
    t = pendulum.datetime(2026, 11, 26, 8, tz=TZ)
    reminder = Reminder(ReminderKind.CALL_AHEAD, t, t, Audience.CUSTOMER, "<C2>", "k")
    page = ReminderPlan(order_id='<img src=x onerror="alert(1)">', reminders=(reminder,))
    html = page._repr_html_()
    assert "<img" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "<td>&lt;C2&gt;</td>" in html
    parse(html)


def test_an_empty_plan_says_so() -> None:
    page = ReminderPlan(order_id="WO-1", reminders=())._repr_html_()
    assert "no reminder still to come" in page
    assert parse(page).rows == 2

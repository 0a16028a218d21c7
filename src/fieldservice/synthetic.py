"""Realistic synthetic work orders, made through the library's own commands.

For benchmarks, demos and tests of big files: :func:`synthetic_order` drives one
order (install, move or repair) with seeded random choices through the workflow's
commands, so every event is one the library itself would record, and stops it at
a random stage, so a file holds a branch's mix: orders waiting for contact,
booked, confirmed (C1), on site, paused by the customer (G4), upgraded (G3),
cancelled, repairs with remote guidance (F1, F2) and visits.

:func:`synthetic_lines` writes ``n`` orders as JSON lines: a pool of distinct
lifecycles (a pure function of the seed) repeated under distinct order IDs, so a
million orders cost what a few thousand do to make.

>>> from fieldservice.synthetic import synthetic_order
>>> order = synthetic_order(7)
>>> order.id, order is not synthetic_order(7), order.events == synthetic_order(7).events
('WO-7', True, True)
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator

import pendulum

from fieldservice import _validate
from fieldservice.appointments import next_windows
from fieldservice.errors import FieldServiceError, InvalidInput
from fieldservice.model import Area, Customer, Technician, Tier
from fieldservice.standard import ServiceStandard
from fieldservice.workflow import WorkOrder

__all__ = ["POOL", "synthetic_lines", "synthetic_order"]

POOL = 2000
"""How many distinct lifecycles :func:`synthetic_lines` makes before repeating them."""

_TZ = "Asia/Shanghai"
_START = pendulum.datetime(2026, 9, 1, tz=_TZ)
_DAYS = 80  # orders open from September to late November 2026, years the calendar knows
_TIERS = (Tier.ORDINARY,) * 6 + (Tier.SILVER,) * 2 + (Tier.GOLD, Tier.DIAMOND)
_PRODUCTS = (("broadband",), ("fixed_line",), ("iptv",), ("broadband", "iptv"))


class _Stop(Exception):
    """The order's random stage is reached."""


class _Drive:
    """One order driven by seeded choices; ``step`` stops at the chosen stage."""

    def __init__(self, rng: random.Random, order: WorkOrder, stages: int) -> None:
        self.rng = rng
        self.order = order
        self.left = stages
        self.t: pendulum.DateTime = order.events[-1].at
        self.tech = Technician(id=f"T{rng.randint(1, 40)}", name="王师傅", certificate="ZW-1")

    def later(self, lo: int, hi: int) -> pendulum.DateTime:
        # One gap in ten is long: clocks breach, as they do in a real branch.
        minutes = (
            self.rng.randint(600, 3000) if self.rng.random() < 0.1 else self.rng.randint(lo, hi)
        )
        self.t = self.t + dt.timedelta(minutes=minutes)
        return self.t

    def step(self, command: str, *args: object, lo: int = 1, hi: int = 180, **kw: object) -> None:
        if self.left <= 0:
            raise _Stop
        self.left -= 1
        owner = self.order.owner
        if self.rng.random() < 0.01:
            self.order.cancel(at=self.later(1, 60), by=owner, reason="客户撤单")
            raise _Stop
        kw.setdefault("by", owner)
        getattr(self.order, command)(*args, at=self.later(lo, hi), **kw)

    def extras(self) -> None:
        if self.rng.random() < 0.1:
            self.step("pause_clocks", self.rng.choice(("customer_request", "waiting_for_customer")))
            if self.rng.random() < 0.7:
                self.step("resume_clocks", lo=30, hi=900)
        if self.rng.random() < 0.04:
            self.step("change_tier", self.rng.choice(_TIERS[6:]))

    def visit(self) -> None:
        self.extras()
        at = self.later(5, 120)
        window = self.rng.choice(next_windows(at, self.order.standard, count=3))
        self.step("book", window)
        self.step("assign", [self.tech], contact=self.tech, by="dispatch", hi=60)
        arrival_start, arrival_end = window.bounds(self.order.standard)
        hour = self.rng.randrange(arrival_start.hour, max(arrival_start.hour + 1, arrival_end.hour))
        confirm_at = pendulum.instance(arrival_start).start_of("day").add(hours=7, minutes=30)
        self.t = max(self.t, confirm_at)
        self.step("confirm", hour, by=self.tech.id, lo=0, hi=30)
        promised = pendulum.instance(arrival_start).set(hour=hour)
        if promised > self.t:
            self.t = promised.subtract(minutes=self.rng.randint(20, 60))
        by = self.tech.id
        self.step("depart", by=by, hi=20)
        self.step("arrive", by=by, lo=5, hi=40 if self.rng.random() < 0.9 else 200)
        self.step("enter", by=by, hi=5)
        self.step("start_work", by=by, hi=10)

    def install(self) -> None:
        if self.rng.random() < 0.1:
            self.step("check_resources", False)
            self.step("notify_resources_missing", lo=10, hi=300)
            self.step("resources_built", lo=600, hi=4000)
        else:
            self.step("check_resources", True, hi=30)
        self.step("contact_customer", lo=10, hi=300)
        self.visit()

    def repair(self) -> None:
        remote = self.rng.random() < 0.5
        self.step("triage", remote_possible=remote, hi=30)
        if remote:
            self.step("guide", hi=60)
            solved = self.rng.random() < 0.6
            self.step("follow_up", solved=solved, lo=5, hi=40)
            if solved:
                return
        else:
            self.step("request_visit", reason="远程未解决", hi=10)
        self.step("contact_customer", hi=60)
        self.visit()


def synthetic_order(seed: int, *, standard: ServiceStandard | None = None) -> WorkOrder:
    """One order's random lifecycle prefix, a pure function of ``seed``.

    >>> synthetic_order(3).kind in set(type(synthetic_order(3).kind))
    True
    """
    rng = random.Random(seed)
    std = ServiceStandard.default() if standard is None else standard
    customer = Customer(
        id=f"C-{seed % 100_000}",
        name="张三",
        tier=rng.choice(_TIERS),
        phones="13800138000",
        address="幸福路 1 号",
        area=Area.COUNTRYSIDE if rng.random() < 0.15 else Area.CITY,
    )
    t0 = _START.add(minutes=rng.randrange(0, _DAYS * 24 * 60))
    products = rng.choice(_PRODUCTS)
    kind = rng.random()
    if kind < 0.45:
        order = WorkOrder.repair(
            id=f"WO-{seed}",
            customer=customer,
            products=products,
            reported_at=t0,
            by="hotline",
            standard=std,
        )
    else:
        make = WorkOrder.install if kind < 0.9 else WorkOrder.move
        order = make(
            id=f"WO-{seed}",
            customer=customer,
            products=products,
            accepted_at=t0,
            by="desk",
            standard=std,
        )
    drive = _Drive(rng, order, rng.randint(0, 14))
    try:
        drive.repair() if kind < 0.45 else drive.install()
    except _Stop:
        pass
    except FieldServiceError:
        pass  # a choice the standard refuses (a window gone): the order stops there, valid
    return order


def synthetic_lines(n: int, *, seed: int = 0, first: int = 0) -> Iterator[str]:
    """``n`` orders as JSON lines (no line ends), order IDs ``WO-<first>`` onwards.

    The first :data:`POOL` lifecycles are made through the commands; later orders
    repeat them under their own ID, so the cost stays flat per order. ``first``
    numbers the IDs, so that partitions made apart (another seed each) never
    share an order ID.

    >>> lines = list(synthetic_lines(3, seed=1))
    >>> [json.loads(line)["id"] for line in lines]
    ['WO-0', 'WO-1', 'WO-2']
    >>> [json.loads(line)["id"] for line in synthetic_lines(2, seed=2, first=1_000_000)]
    ['WO-1000000', 'WO-1000001']
    """
    # Checked here, when called, not at the first line a caller happens to read.
    if type(first) is not int or first < 0:
        msg = f"first must be a whole number, 0 or more (got {_validate.echo(first)})"
        raise InvalidInput(msg)
    return _lines(n, seed, first)


def _lines(n: int, seed: int, first: int) -> Iterator[str]:
    pool: list[tuple[str, str]] = []
    for i in range(n):
        if i < POOL:
            order = synthetic_order(seed * 1_000_003 + i)
            # Made-up names and numbers: written in full so that the orders restore.
            data = order.to_dict(include_personal=True)
            data["id"] = "\x00ID\x00"
            head, tail = json.dumps(data, ensure_ascii=False, separators=(",", ":")).split(
                '"\\u0000ID\\u0000"'
            )
            pool.append((head, tail))
        head, tail = pool[i % POOL]
        yield f'{head}"WO-{first + i}"{tail}'

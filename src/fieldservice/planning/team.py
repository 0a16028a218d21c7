"""The branch's team as data: who can do what, from where, and when.

A :class:`Member` is one technician as the day plan sees them: the order
kinds and products they are skilled for, where they start and end the day,
their shift (default: the standard's service hours, B6), their lunch break
(default: the standard's, if the branch sets one) and a daily visit cap. A
:class:`Team` is the members of one branch under one standard; read one from
TOML with :meth:`Team.from_toml`.

>>> import fieldservice as fs
>>> from fieldservice.planning import Member, Place, Team
>>> team = Team(
...     members=[Member("T1", products={"broadband", "fixed_line"}, kinds={"install", "repair"},
...                     start=Place("depot"), daily_cap=6)],
...     standard=fs.ServiceStandard.default(),
... )
>>> team.members[0].can_do(fs.OrderKind.INSTALL, {fs.Product.BROADBAND})
True
>>> [str(r) for r in team.shift_of(team.members[0])]
['08:00-20:00']
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from fieldservice._validate import enum_member, identifier
from fieldservice.model import OrderKind, Product
from fieldservice.planning._base import PlanInputError, fail
from fieldservice.planning.travel import Place
from fieldservice.standard import ServiceStandard, TimeRange

__all__ = ["Member", "Team"]

_MAX_CAP = 100


def _member_id(value: object) -> str:
    return identifier("technician id", value)


def _products(value: Iterable[Product | str]) -> frozenset[Product]:
    return frozenset(enum_member(Product, "product", v) for v in value)


def _kinds(value: Iterable[OrderKind | str]) -> frozenset[OrderKind]:
    return frozenset(enum_member(OrderKind, "order kind", v) for v in value)


class _Unset:
    def __repr__(self) -> str:
        return "STANDARD"


STANDARD_LUNCH: Any = _Unset()
"""The default of :attr:`Member.lunch`: the standard's ``lunch_break``."""


@attrs.frozen
class Member:
    """One technician of the team, as the day plan needs them.

    Args:
        id: The technician's staff ID (the :class:`~fieldservice.model.Technician` ID).
        products: The products they are skilled for.
        kinds: The order kinds they do (install, move, repair).
        start: Where they start the day.
        end: Where they end it; ``None`` means back at ``start``.
        shift: Their working hours that day; ``None`` means the standard's
            service hours (B6). Visits stay out of the quiet hours either way.
        lunch: Their lunch break, ``None`` for none; by default the standard's.
        daily_cap: The most visits they take in a day, or ``None`` for no cap.

    A member can do an order when they do its kind and every one of its
    products: one visit serves all of them (M1).

    >>> m = Member("T2", products={"iptv"}, kinds={"repair"}, start=Place("depot"))
    >>> m.can_do("repair", {"iptv"}), m.can_do("install", {"iptv"})
    (True, False)

    .. versionadded:: 0.2.0
    """

    id: str = attrs.field(converter=_member_id)
    products: frozenset[Product] = attrs.field(kw_only=True, converter=_products)
    kinds: frozenset[OrderKind] = attrs.field(kw_only=True, converter=_kinds)
    start: Place = attrs.field(kw_only=True, validator=attrs.validators.instance_of(Place))
    end: Place | None = attrs.field(
        kw_only=True,
        default=None,
        validator=attrs.validators.optional(attrs.validators.instance_of(Place)),
    )
    shift: TimeRange | None = attrs.field(kw_only=True, default=None)
    lunch: TimeRange | None = attrs.field(kw_only=True, default=STANDARD_LUNCH)
    daily_cap: int | None = attrs.field(kw_only=True, default=None)

    def __attrs_post_init__(self) -> None:
        where = f"member {self.id}"
        for name in ("shift", "lunch"):
            value = getattr(self, name)
            if value is None or value is STANDARD_LUNCH:
                continue
            if not isinstance(value, TimeRange):
                fail("B6", f"{name}_type", f"{where}.{name}", "must be a TimeRange")
            if value.wraps_midnight:
                fail(
                    "B6",
                    f"{name}_reversed",
                    f"{where}.{name}",
                    f"{value} ends before it starts; give a range within one day",
                )
        cap = self.daily_cap
        if cap is not None and (
            isinstance(cap, bool) or not isinstance(cap, int) or not 1 <= cap <= _MAX_CAP
        ):
            fail("B7", "daily_cap", f"{where}.daily_cap", f"must be a whole number 1-{_MAX_CAP}")

    def can_do(self, kind: OrderKind | str, products: Iterable[Product | str]) -> bool:
        """Whether they do ``kind`` and every one of ``products`` (M1: one visit)."""
        return _kinds((kind,)) <= self.kinds and _products(products) <= self.products


def _members(value: Iterable[Member]) -> tuple[Member, ...]:
    members = tuple(value)
    seen: set[str] = set()
    for i, m in enumerate(members):
        if not isinstance(m, Member):
            fail("B7", "member_type", f"team.members[{i}]", "must be a Member")
        if m.id in seen:
            fail("B7", "member_twice", f"team.members[{i}]", f"{m.id} is listed twice")
        seen.add(m.id)
    if not members:
        fail("B7", "empty_team", "team.members", "a team needs at least one member")
    return members


@attrs.frozen
class Team:
    """The members of one branch, under the standard they work to.

    >>> import fieldservice as fs
    >>> Team(members=[], standard=fs.ServiceStandard.default())
    Traceback (most recent call last):
    ...
    fieldservice.planning.PlanInputError: team.members: a team needs at least one member ...

    .. versionadded:: 0.2.0
    """

    members: tuple[Member, ...] = attrs.field(converter=_members)
    standard: ServiceStandard = attrs.field(
        kw_only=True, validator=attrs.validators.instance_of(ServiceStandard)
    )

    def member(self, member_id: str) -> Member:
        """Return the member with that ID.

        Raises:
            KeyError: No member has that ID.
        """
        for m in self.members:
            if m.id == member_id:
                return m
        raise KeyError(member_id)

    def shift_of(self, member: Member) -> tuple[TimeRange, ...]:
        """The member's working hours: their shift, or the standard's service hours."""
        return (member.shift,) if member.shift is not None else (self.standard.service_hours,)

    def lunch_of(self, member: Member) -> TimeRange | None:
        """The member's lunch break: their own, or the standard's."""
        if member.lunch is STANDARD_LUNCH:
            return self.standard.lunch_break
        lunch: TimeRange | None = member.lunch
        return lunch

    def skilled_for(self, kind: OrderKind, products: Iterable[Product]) -> tuple[Member, ...]:
        """The members who can do a visit of ``kind`` for all ``products`` (M1)."""
        wanted = frozenset(products)
        return tuple(m for m in self.members if kind in m.kinds and wanted <= m.products)

    @classmethod
    def from_toml(cls, source: str | Path, *, standard: ServiceStandard | None = None) -> Team:
        r"""Read a team from TOML text or a file: one ``[[technician]]`` table per member.

        Keys: ``id``, ``products``, ``kinds``, ``start`` (``{key, coordinates}``),
        ``end``, ``shift`` (``["08:00", "17:00"]``), ``lunch``, ``daily_cap``.

        Raises:
            PlanInputError: A key or value is wrong; the message names it
                (``technician[1].shift``).

        >>> team = Team.from_toml('''
        ... [[technician]]
        ... id = "T1"
        ... products = ["broadband"]
        ... kinds = ["install", "repair"]
        ... start = { key = "depot", coordinates = [31.2, 121.5] }
        ... shift = ["09:00", "18:00"]
        ... daily_cap = 5
        ... ''')
        >>> m = team.members[0]
        >>> m.id, str(m.shift), m.daily_cap, m.start
        ('T1', '09:00-18:00', 5, Place(key='depot', coordinates='***'))
        >>> Team.from_toml('''
        ... [[technician]]
        ... id = "T1"
        ... products = []
        ... kinds = []
        ... start = { key = "d" }
        ... shift = ["18:00", "09:00"]
        ... ''')
        Traceback (most recent call last):
        ...
        fieldservice.planning.PlanInputError: technician[0].shift: 18:00-09:00 ends before it starts; ...
        """
        if isinstance(source, Path):
            try:
                text = source.read_text(encoding="utf-8")
            except (OSError, ValueError):
                fail("B7", "team_unreadable", str(source), "cannot read the team file")
        elif isinstance(source, str):
            text = source
        else:
            fail("B7", "team_type", "team", "give TOML text or a pathlib.Path")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            fail("B7", "team_toml", "team", f"not valid TOML: {err}")
        std = ServiceStandard.default() if standard is None else standard
        rows = data.get("technician", [])
        if not isinstance(rows, list):
            fail("B7", "team_toml", "technician", "must be an array of tables [[technician]]")
        return cls(members=[_member_from(row, i) for i, row in enumerate(rows)], standard=std)


_KEYS = {"id", "products", "kinds", "start", "end", "shift", "lunch", "daily_cap"}


def _member_from(row: object, i: int) -> Member:
    where = f"technician[{i}]"
    if not isinstance(row, dict):
        fail("B7", "team_toml", where, "must be a table")
    for key in row:
        if key not in _KEYS:
            fail("B7", "unknown_key", f"{where}.{key}", f"unknown key; known: {sorted(_KEYS)}")
    for key in ("id", "products", "kinds", "start"):
        if key not in row:
            fail("B7", "missing_key", f"{where}.{key}", "is required")
    try:
        kwargs: dict[str, Any] = {
            "products": list(row["products"]),
            "kinds": list(row["kinds"]),
            "start": _place(row["start"], f"{where}.start"),
        }
        if "end" in row:
            kwargs["end"] = _place(row["end"], f"{where}.end")
        for key in ("shift", "lunch"):
            if key in row:
                kwargs[key] = None if row[key] == [] else _range(row[key], f"{where}.{key}")
        if "daily_cap" in row:
            kwargs["daily_cap"] = row["daily_cap"]
        member = Member(row["id"], **kwargs)
    except PlanInputError:
        raise
    except (TypeError, ValueError) as err:
        fail("B7", "team_value", where, getattr(err, "message", str(err)))
    return member


def _range(value: object, where: str) -> TimeRange:
    if not isinstance(value, list) or len(value) != 2:
        fail("B6", "range_form", where, "must be a pair of times like ['08:00', '17:00']")
    try:
        start, end = (dt.time.fromisoformat(v) for v in value)
    except (TypeError, ValueError):
        fail("B6", "range_form", where, "must be a pair of times like ['08:00', '17:00']")
    span = TimeRange(start, end)
    if span.wraps_midnight:
        code = where.rsplit(".", 1)[-1] + "_reversed"
        fail("B6", code, where, f"{span} ends before it starts; give a range within one day")
    return span


def _place(value: object, where: str) -> Place:
    if not isinstance(value, Mapping) or "key" not in value:
        fail(
            "B7",
            "place_form",
            where,
            "must be a table like { key = 'depot', coordinates = [lat, lon] }",
        )
    try:
        return Place(value["key"], coordinates=value.get("coordinates"))
    except (TypeError, ValueError) as err:
        fail("B7", "place_form", where, getattr(err, "message", str(err)))

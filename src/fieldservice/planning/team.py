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
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from fieldservice._validate import as_float, enum_member, person_id, shown_keys
from fieldservice.errors import FieldServiceError, InvalidInput
from fieldservice.model import OrderKind, Product
from fieldservice.planning._base import PlanInputError, fail
from fieldservice.planning.travel import Place
from fieldservice.standard import ServiceStandard, TimeRange, read_toml, toml_shape_problem

__all__ = ["Member", "Team"]

_MAX_CAP = 100
# A team file is a page, as a standard is: read no more than the standard's reader reads.
_LONGEST_TEAM_FILE = 4_000_000


def _member_id(value: object) -> str:
    # A technician's ID, as Technician takes it: never one that may hold a phone (G1), so
    # none reaches a repr, a message, a plan or a calendar file's name.
    return person_id("technician id", value)


_PRODUCTS_FORM = "a list of product names like ['broadband', 'iptv']"
_KINDS_FORM = "a list of order kinds like ['install', 'repair']"


def _names(value: object, field: str, form: str) -> list[object]:
    """The items of a list or set of names; text, a number or a table is none."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        msg = f"{field} must be {form} (got {type(value).__name__})"
        raise InvalidInput(msg)
    return list(value)


def _products(value: Iterable[Product | str]) -> frozenset[Product]:
    names = _names(value, "products", _PRODUCTS_FORM)
    return frozenset(enum_member(Product, "product", v) for v in names)


def _kinds(value: Iterable[OrderKind | str]) -> frozenset[OrderKind]:
    names = _names(value, "kinds", _KINDS_FORM)
    return frozenset(enum_member(OrderKind, "order kind", v) for v in names)


class _Unset:
    def __repr__(self) -> str:
        return "STANDARD"


STANDARD_LUNCH: Any = _Unset()
"""The default of :attr:`Member.lunch`: the standard's ``lunch_break``."""


@attrs.frozen
class Member:
    """One technician of the team, as the day plan needs them.

    Args:
        id: The technician's staff ID (the :class:`~fieldservice.model.Technician` ID),
            checked as that one is: an ID that may hold a phone number is refused (G1).
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
        ``end``, ``shift`` (``["08:00", "17:00"]``), ``lunch``, ``daily_cap``. Any
        other key is refused, and shown only if it cannot be personal (G1); so is a
        file larger or nested deeper than a standard's. One leading byte-order mark
        is dropped.

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
            text = _read_team_file(source)
        elif isinstance(source, str):
            text = source
        else:
            fail("B7", "team_type", "team", "give TOML text or a pathlib.Path")
        # One byte-order mark an editor put first is dropped, as the standard's reader does.
        text = text.removeprefix("\ufeff")
        problem = toml_shape_problem(text, "the team file")
        if problem is not None:
            fail("B7", "team_too_large", "team", problem)
        data = read_toml(text)
        if isinstance(data, str):
            code = "team_too_large" if data.startswith("is too") else "team_toml"
            fail("B7", code, "team", f"the team file {data}")
        _known(data, "team", {"technician"})
        std = ServiceStandard.default() if standard is None else standard
        rows = data.get("technician", [])
        if not isinstance(rows, list):
            fail("B7", "team_toml", "technician", "must be an array of tables [[technician]]")
        return cls(members=[_member_from(row, i) for i, row in enumerate(rows)], standard=std)


def _read_team_file(path: Path) -> str:
    data: bytes | None = None
    reason = "give a readable UTF-8 TOML file"  # a NUL or lone surrogate in the path
    try:
        with path.open("rb") as file:
            data = file.read(_LONGEST_TEAM_FILE + 1)
    except OSError as err:
        reason = err.strerror or reason
    except ValueError:
        pass
    if data is None:  # raised here, not in the except: the OS error repeats the path
        name = str(path) if str(path).isprintable() else ascii(str(path))
        fail("B7", "team_unreadable", f"{name:.200}", f"cannot read the team file: {reason}")
    if len(data) > _LONGEST_TEAM_FILE:
        fail(
            "B7",
            "team_too_large",
            "team",
            f"the team file is larger than {_LONGEST_TEAM_FILE:,} bytes; a team file is a page",
        )
    try:
        text: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None:  # raised here, not in the except: the decode error holds the bytes
        fail("B7", "team_unreadable", "team", "cannot read the team file: give a UTF-8 TOML file")
    return text


_KEYS = {"id", "products", "kinds", "start", "end", "shift", "lunch", "daily_cap"}
_PLACE_KEYS = {"key", "coordinates"}


def _known(table: Mapping[str, Any], where: str, keys: set[str]) -> None:
    """Refuse keys a table does not know; a key is shown only if it cannot be personal (G1)."""
    unknown = [key for key in table if key not in keys]
    if unknown:
        fail(
            "B7",
            "unknown_key",
            where,
            f"unknown keys: {shown_keys(unknown)}; known keys here are {', '.join(sorted(keys))}",
        )


def _member_from(row: object, i: int) -> Member:
    where = f"technician[{i}]"
    if not isinstance(row, dict):
        fail("B7", "team_toml", where, "must be a table")
    _known(row, where, _KEYS)
    for key in ("id", "products", "kinds", "start"):
        if key not in row:
            fail("B7", "missing_key", f"{where}.{key}", "is required")
    for key, form in (("products", _PRODUCTS_FORM), ("kinds", _KINDS_FORM)):
        if not isinstance(row[key], list):
            fail(
                "B7",
                f"{key}_form",
                f"{where}.{key}",
                f"must be {form} (got {_toml_type(row[key])})",
            )
    try:
        kwargs: dict[str, Any] = {
            "products": row["products"],
            "kinds": row["kinds"],
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
        # Only the library's own messages: Python's may repeat the value (G1).
        problem = err.message if isinstance(err, FieldServiceError) else "a value is not valid"
        fail("B7", "team_value", where, problem)
    return member


def _toml_type(value: object) -> str:
    """What a TOML value is, in TOML's words: a refused value is never shown (G1)."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a table"
    return "an array" if isinstance(value, list) else "a date or time"


def _range(value: object, where: str) -> TimeRange:
    if not isinstance(value, list) or len(value) != 2:
        fail("B6", "range_form", where, "must be a pair of times like ['08:00', '17:00']")
    try:
        start, end = (dt.time.fromisoformat(v) for v in value)
    except (TypeError, ValueError):
        fail("B6", "range_form", where, "must be a pair of times like ['08:00', '17:00']")
    if any(t.tzinfo is not None or t.microsecond for t in (start, end)):
        fail("B6", "range_form", where, "must be a pair of plain times like ['08:00', '17:00']")
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
    _known(value, where, _PLACE_KEYS)
    coordinates = value.get("coordinates")
    if coordinates is not None and not _is_coordinates(coordinates):
        # The value is never shown: coordinates locate a person (G1).
        fail(
            "B7",
            "place_form",
            f"{where}.coordinates",
            "must be [latitude, longitude]: two numbers, latitude -90 to 90 and "
            "longitude -180 to 180 degrees",
        )
    try:
        return Place(value["key"], coordinates=coordinates)
    except (TypeError, ValueError) as err:
        problem = err.message if isinstance(err, FieldServiceError) else "a value is not valid"
        fail("B7", "place_form", where, problem)


def _is_coordinates(value: object) -> bool:
    """Whether ``value`` is a [latitude, longitude] pair: numbers, not true/false, in range."""
    if not isinstance(value, list) or len(value) != 2:
        return False
    if any(isinstance(v, bool) or not isinstance(v, int | float) for v in value):
        return False
    lat, lon = (as_float(v) for v in value)
    return math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180

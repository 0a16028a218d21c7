"""Travel times between places, in minutes: the integrator's map, or an estimate.

A :class:`Place` is where a technician starts or ends the day, or where a
customer lives. Its coordinates locate a person, so they are personal data
(G1): ``repr`` and ``str`` mask them, and no error message shows them.

A plan asks a :class:`TravelTimes` for the minutes between every pair of its
places. Fill one from a map service (:class:`TravelMatrix`, keyed by the
places' keys, or :class:`TravelFunction` around a callable); without one, the
plan estimates from coordinates with :class:`GreatCircle`: the great-circle
distance times the standard's road factor, at its travel speed. The library
makes no network call.

>>> import fieldservice as fs
>>> a = Place("depot", coordinates=(31.2304, 121.4737))
>>> b = Place("WO-1", coordinates=(31.2404, 121.4737))   # 1.1 km north
>>> a
Place(key='depot', coordinates='***')
>>> GreatCircle.from_standard(fs.ServiceStandard.default()).matrix([a, b])
[[0.0, 3.7...], [3.7..., 0.0]]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol, runtime_checkable

import attrs

from fieldservice._validate import id_repr, identifier
from fieldservice.model import Address
from fieldservice.planning._base import fail
from fieldservice.standard import ServiceStandard

__all__ = [
    "GreatCircle",
    "Place",
    "TravelFunction",
    "TravelMatrix",
    "TravelTimes",
    "checked_matrix",
]

_EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)


def _key(value: object) -> str:
    return identifier("place key", value)


def _coordinates(value: object) -> tuple[float, float] | None:
    # Address's converter checks the range without showing the value (G1).
    return Address(region="", detail="-", coordinates=value).coordinates


@attrs.frozen(repr=False)
class Place:
    """A place of the plan: a key (a depot, a zone, an order's ID) and coordinates.

    Args:
        key: Names the place for a :class:`TravelMatrix` and in error messages;
            it is not personal data (use an order or depot ID, never an address).
        coordinates: (latitude, longitude) in degrees, or ``None`` when the
            travel times come from a matrix. Masked wherever shown (G1).

    >>> Place("depot-east", coordinates=(31.2, 121.6))
    Place(key='depot-east', coordinates='***')
    >>> str(Place("zone-7"))
    'zone-7'

    .. versionadded:: 0.2.0
    """

    key: str = attrs.field(converter=_key)
    coordinates: tuple[float, float] | None = attrs.field(
        default=None, kw_only=True, converter=_coordinates
    )

    def __repr__(self) -> str:
        shown = "None" if self.coordinates is None else "'***'"
        return f"Place(key={id_repr(self.key)}, coordinates={shown})"

    def __str__(self) -> str:
        return self.key  # the key itself: a travel function may look places up by it


def _pairs_repr(minutes: Mapping[tuple[str, str], float]) -> str:
    pairs = ", ".join(f"({id_repr(a)}, {id_repr(b)}): {m!r}" for (a, b), m in minutes.items())
    return f"{{{pairs}}}"


@runtime_checkable
class TravelTimes(Protocol):
    """Anything that gives the travel minutes between places (B7, T2).

    ``matrix(places)[i][j]`` is the time from ``places[i]`` to ``places[j]``
    in minutes: not negative, and never missing (``None`` or NaN).

    >>> isinstance(GreatCircle(speed_kmh=25, road_factor=1.4), TravelTimes)
    True

    .. versionadded:: 0.2.0
    """

    def matrix(self, places: Sequence[Place]) -> Sequence[Sequence[float | None]]:
        """Return the square matrix of travel minutes between ``places``."""
        ...  # pragma: no cover


@attrs.frozen
class GreatCircle:
    """The default travel model: great-circle km × road factor ÷ speed, in minutes.

    Args:
        speed_kmh: Average speed, traffic included.
        road_factor: Road distance over the straight distance (about 1.3-1.4 in cities).

    >>> GreatCircle(speed_kmh=30, road_factor=1.0).matrix(
    ...     [Place("a", coordinates=(0, 0)), Place("b", coordinates=(0, 1))])[0][1]
    222.3...

    .. versionadded:: 0.2.0
    """

    speed_kmh: float
    road_factor: float

    @classmethod
    def from_standard(cls, standard: ServiceStandard) -> GreatCircle:
        """The model with the standard's ``travel_speed`` and ``road_factor``."""
        return cls(speed_kmh=standard.travel_speed, road_factor=standard.road_factor)

    def matrix(self, places: Sequence[Place]) -> list[list[float | None]]:
        """Return the estimated minutes between every pair; ``None`` where a place has no coordinates."""
        per_km = 60.0 * self.road_factor / self.speed_kmh
        points = [
            None
            if p.coordinates is None
            else (math.radians(p.coordinates[0]), math.radians(p.coordinates[1]))
            for p in places
        ]
        rows: list[list[float | None]] = []
        for a in points:
            row: list[float | None] = []
            for b in points:
                if a is None or b is None:
                    row.append(None)
                    continue
                h = (
                    math.sin((b[0] - a[0]) / 2) ** 2
                    + math.cos(a[0]) * math.cos(b[0]) * math.sin((b[1] - a[1]) / 2) ** 2
                )
                km = 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
                row.append(km * per_km)
            rows.append(row)
        return rows


@attrs.frozen
class TravelMatrix:
    """Travel minutes from a map service, keyed by the places' keys.

    Args:
        minutes: ``{(from_key, to_key): minutes}``. A pair not given is missing,
            except from a place to itself (0).

    >>> m = TravelMatrix({("depot", "WO-1"): 12, ("WO-1", "depot"): 14})
    >>> m.matrix([Place("depot"), Place("WO-1")])
    [[0.0, 12], [14, 0.0]]

    .. versionadded:: 0.2.0
    """

    # Its keys are places' keys, an order's ID by default: shown as a Place shows one (G1).
    minutes: Mapping[tuple[str, str], float] = attrs.field(converter=dict, repr=_pairs_repr)

    def matrix(self, places: Sequence[Place]) -> list[list[float | None]]:
        """Return the minutes between every pair; ``None`` where the map has no entry."""
        get = self.minutes.get
        return [[0.0 if a.key == b.key else get((a.key, b.key)) for b in places] for a in places]


@attrs.frozen
class TravelFunction:
    """Travel minutes from a callable ``(origin, destination) -> minutes``.

    >>> TravelFunction(lambda a, b: 10.0).matrix([Place("a"), Place("b")])
    [[0.0, 10.0], [10.0, 0.0]]

    .. versionadded:: 0.2.0
    """

    minutes: Callable[[Place, Place], float | None]

    def matrix(self, places: Sequence[Place]) -> list[list[float | None]]:
        """Call the function for every pair of distinct places."""
        return [[0.0 if a is b else self.minutes(a, b) for b in places] for a in places]


def checked_matrix(
    travel: TravelTimes, places: Sequence[Place], labels: Sequence[str]
) -> list[list[int]]:
    """Ask ``travel`` for its matrix and check it: whole minutes, rounded up.

    Raises:
        PlanInputError: An entry is missing or negative (T2: the departure time
            needs every travel time), or the matrix has the wrong shape; the
            message names the pair by ``labels``.

    >>> checked_matrix(TravelMatrix({("a", "b"): 1.5}), [Place("a"), Place("b")], ["a", "b"])
    Traceback (most recent call last):
    ...
    fieldservice.planning.PlanInputError: travel[b -> a]: no travel time; ...
    """
    try:
        rows = [list(row) for row in travel.matrix(places)]
    except (TypeError, ValueError) as err:
        fail("T2", "travel_failed", "travel", f"the travel times could not be read: {err}")
    n = len(places)
    if len(rows) != n or any(len(row) != n for row in rows):
        fail("T2", "travel_shape", "travel", f"the matrix must be {n} x {n}")
    out: list[list[int]] = []
    for i, row in enumerate(rows):
        ints: list[int] = []
        for j, value in enumerate(row):
            where = f"travel[{labels[i]} -> {labels[j]}]"
            if (
                value is None
                or isinstance(value, bool)
                or not isinstance(value, int | float)
                or math.isnan(value)
            ):
                fail("T2", "travel_missing", where, "no travel time; give every pair of places")
            if value < 0 or math.isinf(value):
                fail(
                    "T2",
                    "travel_negative",
                    where,
                    f"{value!r:.20} minutes is not a travel time; give 0 or more",
                )
            ints.append(math.ceil(value))
        out.append(ints)
    return out

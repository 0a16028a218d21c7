"""How a branch fared: counts, shares met and elapsed percentiles per clock and tier.

Part of :mod:`fieldservice.sla`, which re-exports its public names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from fieldservice import (
    _validate,
    sla,  # the package: its constants, read when called
)
from fieldservice.errors import InvalidInput
from fieldservice.model import Tier
from fieldservice.sla._batch import SlaBatch
from fieldservice.sla._clocks import (
    CLOCK_INDEX,
    CLOCKS,
    S_BREACHED,
    S_MET,
    S_NOT_STARTED,
    S_PAUSED,
    S_RUNNING,
    TIERS,
    ClockName,
    clock_name,
)
from fieldservice.sla._report import as_timedelta


@attrs.frozen
class TierSummary:
    """How one clock fared for one tier: counts, share met, elapsed percentiles.

    ``met_share`` is met / (met + breached), or None when nothing has finished.
    The percentiles come from a :class:`SlaSummary`'s sketch: within its
    relative accuracy of the exact ones (exact for one value, or all equal).

    >>> TierSummary(ClockName.REPAIR, Tier.GOLD, 1, 0, 1, 0, 1.0, None, None).count
    1
    """

    clock: ClockName
    tier: Tier
    count: int
    running: int
    met: int
    breached: int
    met_share: float | None
    median_elapsed: dt.timedelta | None
    p95_elapsed: dt.timedelta | None


# Per (clock index, tier index): clocks, running (or paused), met, breached, cancelled.
_COUNTS = 5


def _sketch() -> Any:
    from ddsketch import DDSketch  # imported here: only summaries need it

    return DDSketch(relative_accuracy=sla.RELATIVE_ACCURACY)  # read when called, as it was


@attrs.define(eq=False)
class SlaSummary:
    """Per clock and tier: exact counts and mergeable elapsed-time percentiles.

    Made by :func:`summarize` (or empty, then fed with :meth:`add_batch` and
    :meth:`add_clocks`); two summaries of disjoint sets of orders
    :meth:`merge` into the summary of their union: counts add exactly, the
    percentiles come from DDSketch quantile sketches that merge without loss
    (:data:`~fieldservice.sla.RELATIVE_ACCURACY`), clamped to the exact minimum and maximum.
    As a sequence it holds :class:`TierSummary` rows, clock by clock in
    :class:`ClockName` order, highest tier first, for the clocks it was made for.

    >>> import pendulum, fieldservice as fs
    >>> from fieldservice.events import Event
    >>> from fieldservice.sla import evaluate_many
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> std = fs.ServiceStandard.default()
    >>> one = summarize(evaluate_many([[Event("reported", t, actor="d", data={"tier": "gold"})]],
    ...                               at=t.add(hours=2), standard=std))
    >>> two = summarize(evaluate_many([[Event("reported", t, actor="d", data={"tier": "gold"})]],
    ...                               at=t.add(hours=4), standard=std))
    >>> gold = one.merge(two).tiers(ClockName.REPAIR)[1]
    >>> gold.count, gold.running, gold.median_elapsed <= dt.timedelta(hours=4)
    (2, 2, True)
    """

    clocks: tuple[ClockName, ...] = CLOCKS
    orders: int = 0
    _counts: dict[tuple[int, int], list[int]] = attrs.field(
        factory=dict, alias="counts", repr=False
    )
    _sketches: dict[tuple[int, int], Any] = attrs.field(factory=dict, alias="sketches", repr=False)
    _bounds: dict[tuple[int, int], list[float]] = attrs.field(
        factory=dict, alias="bounds", repr=False
    )

    def add_clocks(
        self, states: Sequence[int], tiers: Sequence[int], elapsed: Sequence[float]
    ) -> None:
        """Count one order's clocks: state codes, tier indexes and elapsed seconds by clock index.

        For streaming readers that judge an order at a time (:class:`OrderJudge`).
        """
        self.orders += 1
        for index, state in enumerate(states):
            if state != S_NOT_STARTED:
                self._put(index, tiers[index], state, elapsed[index])

    def _put(self, index: int, tier: int, state: int, elapsed: float) -> None:
        key = (index, tier)
        counts = self._counts.get(key)
        if counts is None:
            counts = self._counts[key] = [0] * _COUNTS
            self._sketches[key] = _sketch()
            self._bounds[key] = [elapsed, elapsed]
        counts[0] += 1
        if state in (S_RUNNING, S_PAUSED):
            counts[1] += 1
        elif state == S_MET:
            counts[2] += 1
        elif state == S_BREACHED:
            counts[3] += 1
        else:
            counts[4] += 1
        self._sketches[key].add(elapsed)
        bounds = self._bounds[key]
        if elapsed < bounds[0]:
            bounds[0] = elapsed
        elif elapsed > bounds[1]:
            bounds[1] = elapsed

    def add_batch(self, batch: SlaBatch) -> None:
        """Count every order of a batch."""
        self.orders += len(batch)
        for index, name in enumerate(CLOCKS):
            states, tiers, elapsed = batch.state[name], batch.tier[name], batch.elapsed[name]
            for row, state in enumerate(states):
                if state != S_NOT_STARTED:
                    self._put(index, tiers[row], state, elapsed[row])

    def merge(self, other: SlaSummary) -> SlaSummary:
        """The summary of both sets of orders (neither summary changes).

        Raises:
            InvalidInput: ``other`` is not an :class:`SlaSummary`.
        """
        if not isinstance(other, SlaSummary):
            msg = f"only an SlaSummary merges with an SlaSummary (got {type(other).__name__})"
            raise InvalidInput(msg)
        clocks = tuple(c for c in CLOCKS if c in self.clocks or c in other.clocks)
        out = SlaSummary(clocks=clocks, orders=self.orders + other.orders)
        for part in (self, other):
            for key, counts in part._counts.items():
                mine = out._counts.get(key)
                if mine is None:
                    out._counts[key] = list(counts)
                    out._sketches[key] = _sketch()
                    out._sketches[key].merge(part._sketches[key])
                    out._bounds[key] = list(part._bounds[key])
                    continue
                for i, value in enumerate(counts):
                    mine[i] += value
                out._sketches[key].merge(part._sketches[key])
                low, high = part._bounds[key]
                bounds = out._bounds[key]
                bounds[0], bounds[1] = min(bounds[0], low), max(bounds[1], high)
        return out

    def percentile(self, clock: ClockName | str, tier: Tier | str, q: float) -> float | None:
        """The ``q`` quantile (0 to 1) of elapsed seconds for a clock and tier, None if none."""
        key = (
            CLOCK_INDEX[clock_name(clock)],
            TIERS.index(_validate.enum_member(Tier, "tier", tier)),
        )
        sketch = self._sketches.get(key)
        if sketch is None:
            return None
        low, high = self._bounds[key]
        value = sketch.get_quantile_value(q)
        return float(min(max(value, low), high))

    def tiers(self, clock: ClockName | str) -> tuple[TierSummary, ...]:
        """The rows of one clock, highest tier first (a tier with no clock has count 0)."""
        clock = clock_name(clock)
        index = CLOCK_INDEX[clock]
        out = []
        for tier in sorted(Tier, reverse=True):
            counts = self._counts.get((index, TIERS.index(tier)), [0] * _COUNTS)
            met, breached = counts[2], counts[3]
            median = self.percentile(clock, tier, 0.5)
            p95 = self.percentile(clock, tier, 0.95)
            out.append(
                TierSummary(
                    clock=clock,
                    tier=tier,
                    count=counts[0],
                    running=counts[1],
                    met=met,
                    breached=breached,
                    met_share=met / (met + breached) if met + breached else None,
                    median_elapsed=None if median is None else as_timedelta(round(median)),
                    p95_elapsed=None if p95 is None else as_timedelta(round(p95)),
                )
            )
        return tuple(out)

    def _rows(self) -> tuple[TierSummary, ...]:
        return tuple(row for clock in self.clocks for row in self.tiers(clock))

    def __len__(self) -> int:
        return len(self.clocks) * len(TIERS)

    def __getitem__(self, item: int) -> TierSummary:
        return self._rows()[item]

    def __iter__(self) -> Iterator[TierSummary]:
        return iter(self._rows())

    def to_records(self) -> list[dict[str, object]]:
        """One plain dict per clock and tier that has clocks, for reports and data frames."""
        return [
            {
                "clock": r.clock.value,
                "rule": r.clock.rule,
                "tier": r.tier.value,
                "count": r.count,
                "running": r.running,
                "met": r.met,
                "breached": r.breached,
                "met_share": r.met_share,
                "median_elapsed_s": None
                if r.median_elapsed is None
                else r.median_elapsed.total_seconds(),
                "p95_elapsed_s": None if r.p95_elapsed is None else r.p95_elapsed.total_seconds(),
            }
            for r in self._rows()
            if r.count
        ]


def summarize(batch: SlaBatch, clock: ClockName | str | None = None) -> SlaSummary:
    """A per-tier summary of one clock (or every clock), mergeable across partitions.

    The result is a sequence of :class:`TierSummary` rows, highest tier first,
    and an :class:`SlaSummary` that merges with the summaries of other batches.

    >>> import pendulum, fieldservice as fs
    >>> from fieldservice.events import Event
    >>> from fieldservice.sla import evaluate_many
    >>> from fieldservice.sla import ClockName
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> batch = evaluate_many([[Event("reported", t, actor="desk", data={"tier": "gold"}),
    ...                         Event("cleared", t.add(hours=2), actor="T7")]],
    ...                       at=t.add(hours=3), standard=fs.ServiceStandard.default())
    >>> gold = summarize(batch, ClockName.REPAIR)[1]
    >>> gold.tier, gold.met, gold.met_share, gold.median_elapsed
    (<Tier.GOLD: 'gold'>, 1, 1.0, datetime.timedelta(seconds=7200))
    """
    clocks = CLOCKS if clock is None else (clock_name(clock),)
    out = SlaSummary(clocks=clocks)
    if not isinstance(batch, SlaBatch):
        msg = f"summarize takes an SlaBatch from evaluate_many (got {type(batch).__name__})"
        raise InvalidInput(msg)
    out.add_batch(batch)
    return out

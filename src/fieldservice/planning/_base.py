"""What the planning modules share: their coded error, and minutes of a day.

A private module: the planning modules import it by name; its error class is
re-exported by :mod:`fieldservice.planning`.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, NoReturn

import pendulum

from fieldservice.errors import InvalidInput, Violation

__all__ = ["PlanInputError", "fail", "minute_of", "moment_at"]


class PlanInputError(InvalidInput):
    """The input of a plan is not usable: the team, the travel times or a visit.

    Each broken rule is in :attr:`~fieldservice.errors.FieldServiceError.violations`;
    the message names the value's place (``team.technician[2].shift``,
    ``travel[T1 start -> WO-7]``, ``order WO-7``). Nothing was planned.

    >>> PlanInputError("order WO-7: no technician can do it").code
    'invalid_plan_input'

    .. versionadded:: 0.2.0
    """

    code: ClassVar[str] = "invalid_plan_input"


# Shown where users meet it: the package that re-exports it.
PlanInputError.__module__ = "fieldservice.planning"


def fail(rule: str, code: str, where: str, message: str) -> NoReturn:
    """Raise :class:`PlanInputError` for one broken rule at ``where``."""
    text = f"{where}: {message}"
    raise PlanInputError(text, violations=(Violation(rule, code, text),))


def minute_of(moment: dt.datetime, midnight: pendulum.DateTime) -> int:
    """Whole minutes from the plan day's local midnight to ``moment`` (rounded down)."""
    return int((moment.timestamp() - midnight.timestamp()) // 60)


def moment_at(minute: int, midnight: pendulum.DateTime) -> pendulum.DateTime:
    """The instant ``minute`` elapsed minutes after the plan day's local midnight."""
    return midnight.add(minutes=minute)

"""The errors fieldservice raises: one root, a stable ``code`` on each class.

Every error the library raises on purpose is a :class:`FieldServiceError`. Each
subclass also inherits the builtin it refines (``ValueError``, ``LookupError``,
...), so code that already catches builtins keeps working. Callers branch on
:attr:`FieldServiceError.code`, a short string that never changes between
releases; the message is for people and says what to do.

Where rules of the standard were broken, the error carries every broken rule
as a :class:`Violation` in :attr:`FieldServiceError.violations`, the same list
a ``check_*`` function returns as data.

>>> from fieldservice.errors import InvalidAppointment, Violation
>>> err = InvalidAppointment(
...     "Pick a window that starts after the lead time.",
...     violations=(Violation("B5", "before_lead_time", "starts before 2026-11-25 10:30"),),
... )
>>> err.code, [v.rule for v in err.violations]
('invalid_appointment', ['B5'])
>>> isinstance(err, ValueError)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

import attrs

__all__ = [
    "CalendarNotCovered",
    "ChecklistIncomplete",
    "FieldServiceError",
    "InvalidAppointment",
    "InvalidEvent",
    "InvalidInput",
    "InvalidPhoneNumber",
    "StandardError",
    "StandardMismatch",
    "TransitionNotAllowed",
    "Violation",
]


@attrs.frozen
class Violation:
    """One broken rule of the standard: which rule, a stable code, and why.

    Args:
        rule: The rule ID of ``STANDARD.md`` (``"B5"``, ``"B6"``, ...).
        code: A stable, machine-readable reason (``"quiet_hours"``).
        message: A sentence for people; it never holds personal data.

    >>> Violation("B6", "quiet_hours", "20:30 falls in the quiet hours 20:00-08:00")
    Violation(rule='B6', code='quiet_hours', message='20:30 falls in the quiet hours 20:00-08:00')

    """

    rule: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}/{self.code}] {self.message}"


class FieldServiceError(Exception):
    """The root of every error fieldservice raises on purpose.

    Args:
        message: What went wrong and what to do about it.
        violations: Each rule of the standard that was broken, if any.

    Attributes:
        code: The stable, machine-readable name of the error; branch on it.
        message: The message, as given.
        violations: Each broken rule as a :class:`Violation` (may be empty).

    >>> try:
    ...     raise FieldServiceError("something is off")
    ... except FieldServiceError as err:
    ...     print(err.code, "-", err)
    fieldservice_error - something is off

    .. versionadded:: 0.1.0

    """

    code: ClassVar[str] = "fieldservice_error"

    def __init__(self, message: str, *, violations: Iterable[Violation] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.violations: tuple[Violation, ...] = tuple(violations)

    def __str__(self) -> str:
        if not self.violations:
            return self.message
        listed = "; ".join(str(v) for v in self.violations)
        return f"{self.message} ({listed})"

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments do not survive the default pickling of exceptions.
        return (_rebuild, (type(self), self.message, self.violations))


def _rebuild(
    cls: type[FieldServiceError], message: str, violations: tuple[Violation, ...]
) -> FieldServiceError:
    return cls(message, violations=violations)


class InvalidInput(FieldServiceError, ValueError):
    """A value given to the library has the wrong type, form or range.

    >>> InvalidInput("at must be timezone-aware").code
    'invalid_input'

    .. versionadded:: 0.1.0
    """

    code: ClassVar[str] = "invalid_input"


class InvalidPhoneNumber(InvalidInput):
    """A contact phone number cannot be parsed or is not a valid number.

    >>> InvalidPhoneNumber("not a phone number").code
    'invalid_phone_number'

    .. versionadded:: 0.1.0
    """

    code: ClassVar[str] = "invalid_phone_number"


class InvalidAppointment(InvalidInput):
    """An appointment window breaks rules of the standard (B2, B5, B6, C1, ...).

    The broken rules are in :attr:`~FieldServiceError.violations`.

    >>> InvalidAppointment("window refused").code
    'invalid_appointment'

    .. versionadded:: 0.1.0
    """

    code: ClassVar[str] = "invalid_appointment"


class InvalidEvent(InvalidInput):
    """An event cannot be recorded: out of time order, or of the wrong shape.

    >>> InvalidEvent("event is earlier than the last one").code
    'invalid_event'

    .. versionadded:: 0.1.0
    """

    code: ClassVar[str] = "invalid_event"


class StandardMismatch(InvalidInput):
    """An order is read or evaluated under a standard other than the one it was written under.

    The message names both. Pass the order's own standard (``standard=``) to
    restore it, or leave ``standard=`` out where the order carries it.

    >>> StandardMismatch("order WO-1 was written under 'branch-7'").code
    'standard_mismatch'

    .. versionadded:: 0.2.0
    """

    code: ClassVar[str] = "standard_mismatch"


class TransitionNotAllowed(FieldServiceError, RuntimeError):
    """A work-order command is not allowed in the order's current state.

    The order is left exactly as it was.

    >>> TransitionNotAllowed("cannot confirm an order that is not booked").code
    'transition_not_allowed'

    .. versionadded:: 0.1.0
    """

    code: ClassVar[str] = "transition_not_allowed"


class ChecklistIncomplete(FieldServiceError, ValueError):
    """Sign-off was asked for while required checklist items are still open.

    The open items are in :attr:`~FieldServiceError.violations`, one per item.

    Its text lists them one per line, each with its rule ID, so a long list
    stays readable in a log or a terminal.

    >>> ChecklistIncomplete("S5 is not done").code
    'checklist_incomplete'
    >>> print(ChecklistIncomplete("cannot sign: 2 items are open", violations=(
    ...     Violation("S5", "item_open", "S5 test end to end is open"),
    ...     Violation("W2", "item_open", "W2 ask the opinion is open"))))
    cannot sign: 2 items are open:
      - [S5/item_open] S5 test end to end is open
      - [W2/item_open] W2 ask the opinion is open

    .. versionadded:: 0.1.0
    """

    code: ClassVar[str] = "checklist_incomplete"

    def __str__(self) -> str:
        if not self.violations:
            return self.message
        return "\n".join([f"{self.message}:", *(f"  - {v}" for v in self.violations)])


class StandardError(FieldServiceError, ValueError):
    """A service standard (a branch's TOML, or a replaced field) is not valid.

    The message names the key and the value that are wrong.

    >>> StandardError("limits.repair.city.diamond: '80h' exceeds 48h").code
    'invalid_standard'

    .. versionadded:: 0.1.0
    """

    code: ClassVar[str] = "invalid_standard"


class CalendarNotCovered(FieldServiceError, LookupError):
    """A date lies in a year whose public holidays are not confirmed.

    Raised when the standard's policy for unconfirmed years is ``"raise"``.
    Load the official list into the branch's TOML, or choose the policy
    ``"ordinary"`` to treat such years as ordinary weeks, or ``"estimated"`` to
    close the holidays the ``holidays`` package computes, with provisional answers.

    >>> CalendarNotCovered("2031 is not covered").code
    'calendar_not_covered'

    .. versionadded:: 0.1.0
    """

    code: ClassVar[str] = "calendar_not_covered"

"""Where a work order stands, and the two workflows as ``transitions`` Machines.

:class:`State` names every state of both workflows with the seed's term.
Each workflow is defined once, as a :class:`transitions.Machine` built at
import (states, triggers, conditions; no ``to_<state>`` back doors):
:data:`INSTALL_MACHINE` for installs and moves, :data:`REPAIR_MACHINE` for
repairs. From each a plain transition table is compiled once; the work order
(:class:`~fieldservice.workflow.WorkOrder`) dispatches through that table, so
no order ever builds or joins a Machine.

>>> from fieldservice.states import INSTALL_MACHINE, State
>>> State.BOOKED.label_zh, State.BOOKED.is_final
('已预约', False)
>>> "book" in INSTALL_MACHINE.events
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs
from transitions import Machine

from fieldservice import _labels
from fieldservice.model import OrderKind

__all__ = [
    "INSTALL_MACHINE",
    "REPAIR_MACHINE",
    "State",
]


class State(_labels.IdentityEnum):
    """Where a work order stands, with the seed's Chinese term.

    >>> State.RESOURCES_MISSING.label_zh, State.CLEARED_REMOTELY.label_zh
    ('资源不具备', '远程销障')
    """

    RECEIVED = "received"
    RESOURCES_MISSING = "resources_missing"
    AWAITING_BOOKING = "awaiting_booking"
    BOOKED = "booked"
    CONFIRMED = "confirmed"
    EN_ROUTE = "en_route"
    AT_DOOR = "at_door"
    ON_SITE = "on_site"
    IN_PROGRESS = "in_progress"
    AWAITING_SIGNOFF = "awaiting_signoff"
    COMPLETED = "completed"
    REPORTED = "reported"
    TRIAGED = "triaged"
    REMOTE_GUIDANCE = "remote_guidance"
    CLEARED_REMOTELY = "cleared_remotely"
    CLEARED = "cleared"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def label_zh(self) -> str:
        """The state in the seed's Chinese terms."""
        return _STATE_LABELS[self]

    @property
    def is_final(self) -> bool:
        """Whether nothing more can happen to an order in this state."""
        return self in (State.CLOSED, State.CANCELLED)


_STATE_LABELS = {
    State.RECEIVED: "已受理",
    State.RESOURCES_MISSING: "资源不具备",
    State.AWAITING_BOOKING: "待预约",
    State.BOOKED: "已预约",
    State.CONFIRMED: "已二次确认",
    State.EN_ROUTE: "已出发",
    State.AT_DOOR: "已到达",
    State.ON_SITE: "已进门",
    State.IN_PROGRESS: "施工中",
    State.AWAITING_SIGNOFF: "待签字",
    State.COMPLETED: "已竣工",
    State.REPORTED: "已申告",
    State.TRIAGED: "已预判",
    State.REMOTE_GUIDANCE: "远程指导中",
    State.CLEARED_REMOTELY: "远程销障",
    State.CLEARED: "已销障",
    State.CLOSED: "已归档",
    State.CANCELLED: "已撤单",
}

# --- the two workflows, as data --------------------------------------------------------

S = State
_VISIT_OPEN = (
    S.AWAITING_BOOKING,
    S.BOOKED,
    S.CONFIRMED,
    S.EN_ROUTE,
    S.AT_DOOR,
    S.ON_SITE,
    S.IN_PROGRESS,
    S.AWAITING_SIGNOFF,
)
_ON_SITE = (S.ON_SITE, S.IN_PROGRESS, S.AWAITING_SIGNOFF)


def _visit_path(done: State) -> list[dict[str, Any]]:
    """The visit from booking to sign-off, shared by both workflows (B2-B9, C1, T2-T4, K3, S, W)."""
    return [
        {"trigger": "contact_customer", "source": S.AWAITING_BOOKING, "dest": "="},
        {"trigger": "check_customer_data", "source": S.AWAITING_BOOKING, "dest": "="},
        {"trigger": "book", "source": S.AWAITING_BOOKING, "dest": S.BOOKED},
        {"trigger": "assign", "source": [S.AWAITING_BOOKING, S.BOOKED, S.CONFIRMED], "dest": "="},
        {"trigger": "confirm", "source": S.BOOKED, "dest": S.CONFIRMED},
        {"trigger": "reschedule", "source": [S.BOOKED, S.CONFIRMED, S.EN_ROUTE], "dest": S.BOOKED},
        {"trigger": "depart", "source": S.CONFIRMED, "dest": S.EN_ROUTE},
        {"trigger": "report_delay", "source": S.EN_ROUTE, "dest": "="},
        {"trigger": "arrive", "source": S.EN_ROUTE, "dest": S.AT_DOOR},
        {"trigger": "customer_absent", "source": S.AT_DOOR, "dest": S.AWAITING_BOOKING},
        {"trigger": "enter", "source": S.AT_DOOR, "dest": S.ON_SITE},
        {"trigger": "start_work", "source": S.ON_SITE, "dest": S.IN_PROGRESS},
        {"trigger": "update_checklist", "source": list(_ON_SITE), "dest": "="},
        {"trigger": "fill_worksheet", "source": list(_ON_SITE), "dest": "="},
        {"trigger": "leave_temporarily", "source": S.IN_PROGRESS, "dest": "="},
        {"trigger": "use_customer_phone", "source": list(_ON_SITE), "dest": "="},
        {"trigger": "record_out_of_scope", "source": list(_ON_SITE), "dest": "="},
        {"trigger": "finish_work", "source": S.IN_PROGRESS, "dest": S.AWAITING_SIGNOFF},
        {"trigger": "sign", "source": S.AWAITING_SIGNOFF, "dest": "="},
        {"trigger": "complete", "source": S.AWAITING_SIGNOFF, "dest": done, "conditions": "signed"},
        {"trigger": "close", "source": done, "dest": S.CLOSED},
    ]


def _everywhere(open_states: Sequence[State]) -> list[dict[str, Any]]:
    """Commands any open order takes: cancel, hand over (G2), pause and resume clocks."""
    return [
        {"trigger": "cancel", "source": list(open_states), "dest": S.CANCELLED},
        {"trigger": "hand_over", "source": list(open_states), "dest": "="},
        {"trigger": "pause_clocks", "source": list(open_states), "dest": "="},
        {"trigger": "resume_clocks", "source": list(open_states), "dest": "="},
        {"trigger": "change_tier", "source": list(open_states), "dest": "="},
    ]


_INSTALL_OPEN = (S.RECEIVED, S.RESOURCES_MISSING, *_VISIT_OPEN)
_INSTALL_TRANSITIONS: Final[list[dict[str, Any]]] = [
    {"trigger": "answer_feasibility", "source": S.RECEIVED, "dest": "="},
    {
        "trigger": "check_resources",
        "source": S.RECEIVED,
        "dest": S.AWAITING_BOOKING,
        "conditions": "resources_available",
    },
    {
        "trigger": "check_resources",
        "source": S.RECEIVED,
        "dest": S.RESOURCES_MISSING,
        "unless": "resources_available",
    },
    {"trigger": "notify_resources_missing", "source": S.RESOURCES_MISSING, "dest": "="},
    {"trigger": "record_resource_gap", "source": S.RESOURCES_MISSING, "dest": "="},
    {"trigger": "resources_built", "source": S.RESOURCES_MISSING, "dest": S.AWAITING_BOOKING},
    *_visit_path(S.COMPLETED),
    *_everywhere(_INSTALL_OPEN),
]

_REPAIR_OPEN = (S.REPORTED, S.TRIAGED, S.REMOTE_GUIDANCE, *_VISIT_OPEN)
_REPAIR_TRANSITIONS: Final[list[dict[str, Any]]] = [
    {"trigger": "triage", "source": S.REPORTED, "dest": S.TRIAGED},
    {
        "trigger": "guide",
        "source": S.TRIAGED,
        "dest": S.REMOTE_GUIDANCE,
        "conditions": "remote_possible",
    },
    {
        "trigger": "request_visit",
        "source": [S.TRIAGED, S.REMOTE_GUIDANCE],
        "dest": S.AWAITING_BOOKING,
    },
    {
        "trigger": "follow_up",
        "source": S.REMOTE_GUIDANCE,
        "dest": S.CLEARED_REMOTELY,
        "conditions": "solved",
    },
    {
        "trigger": "follow_up",
        "source": S.REMOTE_GUIDANCE,
        "dest": S.AWAITING_BOOKING,
        "unless": "solved",
    },
    {"trigger": "clear", "source": [S.CLEARED_REMOTELY, S.CLEARED], "dest": "="},
    {"trigger": "close", "source": S.CLEARED_REMOTELY, "dest": S.CLOSED},
    *_visit_path(S.CLEARED),
    *_everywhere(_REPAIR_OPEN),
]


def _machine(transitions: list[dict[str, Any]], initial: State) -> Machine:
    # model=None: the Machine is the definition only; orders never join it.
    return Machine(
        model=None,
        states=list(State),
        transitions=transitions,
        initial=initial,
        auto_transitions=False,
        ignore_invalid_triggers=False,
    )


INSTALL_MACHINE: Final = _machine(_INSTALL_TRANSITIONS, S.RECEIVED)
"""The install and move workflow as a :class:`transitions.Machine` (the definition)."""

REPAIR_MACHINE: Final = _machine(_REPAIR_TRANSITIONS, S.REPORTED)
"""The repair workflow as a :class:`transitions.Machine` (the definition)."""


# --- the table the workflow dispatches through -----------------------------------------
# Not in __all__: the workflow's own, compiled once from the Machines.


@attrs.frozen
class Route:
    """Where a trigger leads from a state, and on which named conditions."""

    dest: State
    conditions: tuple[str, ...]
    unless: tuple[str, ...]
    guarded: bool = attrs.field(init=False)

    @guarded.default
    def _has_conditions(self) -> bool:
        return bool(self.conditions or self.unless)


Table = Mapping[tuple[State, str], tuple[Route, ...]]
"""(state, trigger) -> the routes a Machine allows, in its order."""


def compile_table(machine: Machine) -> Table:
    """Read (state, trigger) -> routes out of a Machine, once."""
    table: dict[tuple[State, str], list[Route]] = {}
    for trigger, event in machine.events.items():
        for source, transitions in event.transitions.items():
            for t in transitions:
                # transitions names Enum states by member name.
                state = State[source]
                dest = state if t.dest is None else State[t.dest]
                table.setdefault((state, trigger), []).append(
                    Route(
                        dest,
                        tuple(str(c.func) for c in t.conditions if c.target),
                        tuple(str(c.func) for c in t.conditions if not c.target),
                    )
                )
    return {key: tuple(routes) for key, routes in table.items()}


TABLES: Final[Mapping[OrderKind, Table]] = {  # each order kind's dispatch table
    OrderKind.INSTALL: compile_table(INSTALL_MACHINE),
    OrderKind.MOVE: compile_table(INSTALL_MACHINE),
    OrderKind.REPAIR: compile_table(REPAIR_MACHINE),
}

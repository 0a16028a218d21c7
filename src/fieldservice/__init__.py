"""fieldservice: the home-visit service standard (装维上门服务规范) as a Python library.

The public names live here; each is documented in its module. The foundation
(errors, model, standard, events) loads with the package; every other module,
and with it ``holidays``, ``phonenumbers`` metadata and ``icalendar``, loads on
first use of one of its names (``fieldservice.WorkOrder``, ``fieldservice.sla``).

>>> import fieldservice as fs
>>> fs.ServiceStandard.default().lead_time
datetime.timedelta(days=1)
>>> fs.calendar.to_ical  # doctest: +ELLIPSIS
<function to_ical at ...>
"""

import importlib
from typing import TYPE_CHECKING, Any

from fieldservice import events
from fieldservice._version import __version__
from fieldservice.errors import (
    CalendarNotCovered,
    ChecklistIncomplete,
    FieldServiceError,
    InvalidAppointment,
    InvalidEvent,
    InvalidInput,
    InvalidPhoneNumber,
    StandardError,
    TransitionNotAllowed,
    Violation,
)
from fieldservice.events import (
    Event,
    EventKind,
)
from fieldservice.model import (
    Address,
    Area,
    ContactPhone,
    Customer,
    OrderKind,
    Party,
    PersonalName,
    Product,
    Secret,
    Technician,
    Tier,
)
from fieldservice.standard import (
    LEGAL_REPAIR_CEILING,
    ClockBasis,
    ClockRule,
    DateOverride,
    KnockProtocol,
    ServiceStandard,
    TierLimits,
    TimeRange,
    UnconfirmedYears,
)

if TYPE_CHECKING:
    from fieldservice import (
        appointments,
        calendar,
        checklist,
        planning,
        reminders,
        servicecal,
        sla,
        workflow,
    )
    from fieldservice.appointments import (
        AppointmentWindow,
        ArrivalWindow,
        HalfDay,
        WindowCheck,
        check_arrival,
        check_window,
        departure_time,
        next_windows,
        validate_arrival,
        validate_window,
    )
    from fieldservice.checklist import (
        Checklist,
        ChecklistItem,
        CustomerOpinion,
        Finding,
        ItemStatus,
        KitItem,
        Material,
        ModemLabel,
        Remedy,
        Signature,
        SignerRole,
        TechnicalParameter,
        WorkSheet,
        check_sign_off,
        kit_list,
        sign_off,
    )
    from fieldservice.reminders import (
        Reminder,
        ReminderKind,
        ReminderPlan,
    )
    from fieldservice.servicecal import (
        CalendarPurpose,
        ServiceCalendar,
    )
    from fieldservice.sla import (
        ClockName,
        ClockState,
        ClockStatus,
        SlaBatch,
        SlaReport,
    )
    from fieldservice.workflow import (
        State,
        WorkOrder,
        plan_route,
    )

# Name -> the module that defines it, loaded on first use (attrs' _LAZY_SUBMODULES idea).
_LAZY_NAMES: dict[str, str] = {
    "AppointmentWindow": "appointments",
    "ArrivalWindow": "appointments",
    "HalfDay": "appointments",
    "WindowCheck": "appointments",
    "check_arrival": "appointments",
    "check_window": "appointments",
    "departure_time": "appointments",
    "next_windows": "appointments",
    "validate_arrival": "appointments",
    "validate_window": "appointments",
    "Checklist": "checklist",
    "ChecklistItem": "checklist",
    "CustomerOpinion": "checklist",
    "Finding": "checklist",
    "ItemStatus": "checklist",
    "KitItem": "checklist",
    "Material": "checklist",
    "ModemLabel": "checklist",
    "Remedy": "checklist",
    "Signature": "checklist",
    "SignerRole": "checklist",
    "TechnicalParameter": "checklist",
    "WorkSheet": "checklist",
    "check_sign_off": "checklist",
    "kit_list": "checklist",
    "sign_off": "checklist",
    "Reminder": "reminders",
    "ReminderKind": "reminders",
    "ReminderPlan": "reminders",
    "CalendarPurpose": "servicecal",
    "ServiceCalendar": "servicecal",
    "ClockName": "sla",
    "ClockState": "sla",
    "ClockStatus": "sla",
    "SlaBatch": "sla",
    "SlaReport": "sla",
    "State": "workflow",
    "WorkOrder": "workflow",
    "plan_route": "workflow",
}
_LAZY_SUBMODULES = frozenset(
    {
        "appointments",
        "calendar",
        "checklist",
        "planning",
        "reminders",
        "servicecal",
        "sla",
        "workflow",
    }
)


def __getattr__(name: str) -> Any:
    if name in _LAZY_SUBMODULES:
        value: Any = importlib.import_module(f"fieldservice.{name}")
    elif name in _LAZY_NAMES:
        module = importlib.import_module(f"fieldservice.{_LAZY_NAMES[name]}")
        value = getattr(module, name)
    else:
        msg = f"module 'fieldservice' has no attribute {name!r}"
        raise AttributeError(msg)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "LEGAL_REPAIR_CEILING",
    "Address",
    "AppointmentWindow",
    "Area",
    "ArrivalWindow",
    "CalendarNotCovered",
    "CalendarPurpose",
    "Checklist",
    "ChecklistIncomplete",
    "ChecklistItem",
    "ClockBasis",
    "ClockName",
    "ClockRule",
    "ClockState",
    "ClockStatus",
    "ContactPhone",
    "Customer",
    "CustomerOpinion",
    "DateOverride",
    "Event",
    "EventKind",
    "FieldServiceError",
    "Finding",
    "HalfDay",
    "InvalidAppointment",
    "InvalidEvent",
    "InvalidInput",
    "InvalidPhoneNumber",
    "ItemStatus",
    "KitItem",
    "KnockProtocol",
    "Material",
    "ModemLabel",
    "OrderKind",
    "Party",
    "PersonalName",
    "Product",
    "Remedy",
    "Reminder",
    "ReminderKind",
    "ReminderPlan",
    "Secret",
    "ServiceCalendar",
    "ServiceStandard",
    "Signature",
    "SignerRole",
    "SlaBatch",
    "SlaReport",
    "StandardError",
    "State",
    "TechnicalParameter",
    "Technician",
    "Tier",
    "TierLimits",
    "TimeRange",
    "TransitionNotAllowed",
    "UnconfirmedYears",
    "Violation",
    "WindowCheck",
    "WorkOrder",
    "WorkSheet",
    "__version__",
    "appointments",
    "calendar",
    "check_arrival",
    "check_sign_off",
    "check_window",
    "checklist",
    "departure_time",
    "events",
    "kit_list",
    "next_windows",
    "plan_route",
    "planning",
    "reminders",
    "servicecal",
    "sign_off",
    "sla",
    "validate_arrival",
    "validate_window",
    "workflow",
]

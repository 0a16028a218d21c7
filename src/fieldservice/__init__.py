"""fieldservice: the home-visit service standard (装维上门服务规范) as a Python library.

The public names live here; each is documented in its module. The submodules
``sla``, ``reminders`` and ``calendar`` are also reached as attributes
(``fieldservice.sla.evaluate``); ``calendar`` (and with it ``icalendar``) is
imported only when first used.

>>> import fieldservice as fs
>>> fs.ServiceStandard.default().lead_time
datetime.timedelta(days=1)
>>> fs.calendar.to_ical  # doctest: +ELLIPSIS
<function to_ical at ...>
"""

import importlib
from types import ModuleType

from fieldservice import appointments, checklist, events, reminders, servicecal, sla, workflow
from fieldservice._version import __version__
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
from fieldservice.workflow import (
    State,
    WorkOrder,
    plan_route,
)

_LAZY_SUBMODULES = frozenset({"calendar"})


def __getattr__(name: str) -> ModuleType:
    # icalendar is needed only for calendar export: load it on first use.
    if name in _LAZY_SUBMODULES:
        module = importlib.import_module(f"fieldservice.{name}")
        globals()[name] = module
        return module
    msg = f"module 'fieldservice' has no attribute {name!r}"
    raise AttributeError(msg)


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
    "reminders",
    "servicecal",
    "sign_off",
    "sla",
    "validate_arrival",
    "validate_window",
    "workflow",
]

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
    DelayCause,
    FreeText,
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
        kit,
        modemlabel,
        orders_io,
        planning,
        reminders,
        routes,
        servicecal,
        signoff,
        sla,
        states,
        views,
        workflow,
        worksheet,
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
        Finding,
        ItemStatus,
    )
    from fieldservice.kit import KitItem, kit_list
    from fieldservice.modemlabel import ModemLabel
    from fieldservice.reminders import (
        Reminder,
        ReminderKind,
        ReminderPlan,
    )
    from fieldservice.routes import plan_route
    from fieldservice.servicecal import (
        CalendarPurpose,
        ServiceCalendar,
    )
    from fieldservice.signoff import (
        Signature,
        SignerRole,
        check_sign_off,
        sign_off,
    )
    from fieldservice.sla import (
        ClockName,
        ClockState,
        ClockStatus,
        SlaBatch,
        SlaReport,
    )
    from fieldservice.states import State
    from fieldservice.workflow import SignatureRecord, WorkOrder
    from fieldservice.worksheet import (
        CustomerOpinion,
        Material,
        Remedy,
        TechnicalParameter,
        WorkSheet,
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
    "CustomerOpinion": "worksheet",
    "Finding": "checklist",
    "ItemStatus": "checklist",
    "KitItem": "kit",
    "Material": "worksheet",
    "ModemLabel": "modemlabel",
    "Remedy": "worksheet",
    "Signature": "signoff",
    "SignatureRecord": "workflow",
    "SignerRole": "signoff",
    "TechnicalParameter": "worksheet",
    "WorkSheet": "worksheet",
    "check_sign_off": "signoff",
    "kit_list": "kit",
    "sign_off": "signoff",
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
    "State": "states",
    "WorkOrder": "workflow",
    "plan_route": "routes",
}
_LAZY_SUBMODULES = frozenset(
    {
        "appointments",
        "calendar",
        "checklist",
        "kit",
        "modemlabel",
        "orders_io",
        "planning",
        "reminders",
        "routes",
        "servicecal",
        "signoff",
        "sla",
        "states",
        "views",
        "visit_entry",
        "workflow",
        "worksheet",
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
    "DelayCause",
    "Event",
    "EventKind",
    "FieldServiceError",
    "Finding",
    "FreeText",
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
    "SignatureRecord",
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
    "kit",
    "kit_list",
    "modemlabel",
    "next_windows",
    "orders_io",
    "plan_route",
    "planning",
    "reminders",
    "routes",
    "servicecal",
    "sign_off",
    "signoff",
    "sla",
    "states",
    "validate_arrival",
    "validate_window",
    "views",
    "visit_entry",
    "workflow",
    "worksheet",
]

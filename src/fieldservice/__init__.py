"""fieldservice: the home-visit service standard (装维上门服务规范) as a Python library.

The public names live here; each is documented in its own module.

>>> import fieldservice as fs
>>> fs.ServiceStandard.default().lead_time
datetime.timedelta(days=1)
"""

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
from fieldservice.model import (
    Address,
    Area,
    ContactPhone,
    Customer,
    OrderKind,
    Party,
    PersonalName,
    Product,
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

__all__ = [
    "LEGAL_REPAIR_CEILING",
    "Address",
    "Area",
    "CalendarNotCovered",
    "ChecklistIncomplete",
    "ClockBasis",
    "ClockRule",
    "ContactPhone",
    "Customer",
    "DateOverride",
    "FieldServiceError",
    "InvalidAppointment",
    "InvalidEvent",
    "InvalidInput",
    "InvalidPhoneNumber",
    "KnockProtocol",
    "OrderKind",
    "Party",
    "PersonalName",
    "Product",
    "ServiceStandard",
    "StandardError",
    "Technician",
    "Tier",
    "TierLimits",
    "TimeRange",
    "TransitionNotAllowed",
    "UnconfirmedYears",
    "Violation",
    "__version__",
]

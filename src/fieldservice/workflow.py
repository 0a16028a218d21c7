"""The work order and its commands; ``_orderstate`` folds their events into its state.

Its two workflows, install/move and repair, are defined in
:mod:`fieldservice.states` as ``transitions`` Machines; orders are dispatched
through the plain transition table compiled from them once, so no order ever
builds or joins a Machine and creating or restoring orders costs none.
``tests/test_workflow.py`` checks that table and Machine agree on every
(state, trigger) pair.

A :class:`WorkOrder` *is* its event log. Every command checks first, builds its
events, folds them into a new state with the same pure function that
:meth:`WorkOrder.from_events` uses to rebuild an order (``_orderstate.fold``), and
only then replaces the order's state: a refused command leaves the order exactly
as it was.

>>> import datetime as dt, pendulum, fieldservice as fs
>>> std = fs.ServiceStandard.default()
>>> cust = fs.Customer(id="C1", name="张三", tier="gold", phones="13800138000", address="幸福路 1 号")
>>> t = pendulum.datetime(2026, 11, 24, 10, 30, tz="Asia/Shanghai")
>>> order = fs.WorkOrder.install(id="WO-1", customer=cust, products={"broadband", "fixed_line"},
...                              accepted_at=t, by="desk-1", standard=std)
>>> _ = order.check_resources(True, at=t.add(minutes=1), by="desk-1")
>>> _ = order.book(fs.AppointmentWindow(dt.date(2026, 11, 25), "afternoon"),
...                at=t.add(minutes=2), by="desk-1")
>>> order.state, order.state.label_zh
(<State.BOOKED: 'booked'>, '已预约')
>>> order.confirm(9, at=t.add(hours=20), by="T7")
Traceback (most recent call last):
...
fieldservice.errors.InvalidAppointment: cannot refine 2026-11-25 下午 afternoon to 09:00 ...
>>> order.state
<State.BOOKED: 'booked'>
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs
import pendulum

from fieldservice import _nogc, _time, _validate
from fieldservice._orderstate import (
    TRIGGERS,
    OrderState,
    SignatureRecord,
    commands_allowed,
    fold,
    shown_in,
    start,
)
from fieldservice.appointments import (
    AppointmentWindow,
    ArrivalWindow,
    HalfDay,
    check_arrival,
    confirm_due,
    validate_window,
)
from fieldservice.checklist import Checklist, Finding, refuse_phone_keys
from fieldservice.errors import (
    ChecklistIncomplete,
    InvalidAppointment,
    InvalidEvent,
    InvalidInput,
    StandardMismatch,
    TransitionNotAllowed,
    Violation,
)
from fieldservice.events import SCHEMA_VERSION as SCHEMA_VERSION
from fieldservice.events import Event, EventKind, PackedLog, actor_id, read_schema_version
from fieldservice.model import (
    Customer,
    DelayCause,
    OrderKind,
    Party,
    Product,
    Secret,
    Technician,
    Tier,
    customer_from_dict,
    customer_to_dict,
    technician_from_dict,
    technician_to_dict,
)
from fieldservice.modemlabel import ModemLabel
from fieldservice.payloads import (
    PERSONAL_KINDS,
    ChecklistUpdated,
    Payload,
    payload_class,
)
from fieldservice.signoff import (
    Signature,
    SignerRole,
    check_sign_off,
    sign_off_in_order,
)
from fieldservice.standard import ServiceStandard
from fieldservice.states import INSTALL_MACHINE as INSTALL_MACHINE
from fieldservice.states import REPAIR_MACHINE as REPAIR_MACHINE
from fieldservice.states import State as State
from fieldservice.worksheet import WorkSheet

# State and the Machines are defined in fieldservice.states and importable from here too.
__all__ = ["SignatureRecord", "WorkOrder"]


# --- the work order -----------------------------------------------------------------

_MAY_HOLD_SECRETS: Final = frozenset(EventKind(kind) for kind in PERSONAL_KINDS)
_ORDER_KEYS_V0: Final = frozenset({"id", "customer", "technicians", "events"})
_ORDER_KEYS: Final = _ORDER_KEYS_V0 | {"schema_version", "standard"}


def _recorded_standard(
    data: Mapping[str, Any], given: ServiceStandard | None
) -> ServiceStandard | None:
    """The standard to restore under: ``given`` on purpose, else the one the JSON records."""
    record = data.get("standard")
    if record is None:
        return given  # schema 0: the standard was not recorded
    if (
        not isinstance(record, Mapping)
        or record.keys() != {"name", "digest"}
        or not isinstance(record["name"], str)
        or not isinstance(record["digest"], str)
    ):
        msg = "an order's standard is recorded as {name, digest}"
        raise InvalidInput(msg)
    if given is not None:
        return given  # the caller names the standard on purpose
    default = ServiceStandard.default()
    if record["digest"] == default.digest:
        return default
    name = _validate.text("the recorded standard's name", record["name"], max_length=200)
    msg = (
        f"order {_validate.shown_id(data['id'])} was written under the standard "
        f"{_validate.standard_shown(name, record['digest'])}, not "
        f"{_validate.standard_shown(default.name, default.digest)}; "
        "pass standard= with that standard to restore it"
    )
    raise StandardMismatch(msg)


def _products(value: Iterable[Product | str]) -> frozenset[Product]:
    if isinstance(value, str | Product):
        value = (value,)
    try:
        products = frozenset(_validate.enum_member(Product, "product", p) for p in value)
    except TypeError:
        msg = "products must be a set of Product values"
        raise InvalidInput(msg) from None
    if not products:
        msg = "an order needs at least one product (M1: one order, all its products, one visit)"
        raise InvalidInput(msg)
    return products


def _flag(value: object, name: str) -> bool:
    if value is True or value is False:
        return value
    msg = f"{name} must be True or False (got {type(value).__name__})"
    raise InvalidInput(msg)


def _is(value: object, kind: type, name: str) -> None:
    if not isinstance(value, kind):
        msg = f"{name} must be a {kind.__name__} (got {type(value).__name__})"
        raise InvalidInput(msg)


def _window(value: AppointmentWindow | tuple[dt.date | str, HalfDay | str]) -> AppointmentWindow:
    if type(value) is AppointmentWindow:
        return value
    if isinstance(value, AppointmentWindow):
        # The order keeps what restoring its events would build: the class itself.
        return AppointmentWindow(value.date, value.half)
    if isinstance(value, tuple) and len(value) == 2:
        return AppointmentWindow(*value)
    msg = "window must be an AppointmentWindow or a (date, half) pair"
    raise InvalidInput(msg)


_LABEL_RULES: Final = frozenset({"L1", "L2", "L3"})
"""Label items: declining one needs the hotline told (L4)."""

# T4: "too many customers" is never a reason given. Caught in an ``other`` reason's words,
# however written: fullwidth or cased letters, doubled or odd spaces, traditional
# characters, "clients" for "customers", 工单 for 单子, the words either way round. A
# closed set of causes keeps the rule by construction; this catches the words a note may
# still carry, and leaves alone what only looks alike (多次: "many times"; 生活).
_LOAD: Final = r"(?:客户|用户|顾客|单子|工单|订单|派单|排单|(?<!生)活儿?|单)"
_BLAMES_THE_LOAD: Final = re.compile(
    r"too (?:many|much) (?:of )?(?:our |the |other )*(?:customers?|clients?|users?|orders?"
    r"|jobs?|visits?|appointments?|tickets?|calls?|workload)\b"
    rf"|{_LOAD}(?:太|很|特别|非常|比较|实在|过)多(?!次)"
    r"|(?:客户|用户|顾客|工单|单子|订单)多(?![次数少])"
    rf"|(?:太|很|特别|非常|过)多(?:的)?{_LOAD}"
)
_SPACES: Final = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")
# Traditional forms NFKC leaves alone: 客戶太多 is 客户太多.
_SIMPLIFIED: Final = str.maketrans("戶單過來訂顧們", "户单过来订顾们")


def _blames_the_load(words: str) -> bool:
    r"""Whether a reason's words give the load ("too many customers") as the reason (T4).

    >>> _blames_the_load("Too  many\tCLIENTS today"), _blames_the_load("今天 客户 太多")
    (True, True)
    >>> _blames_the_load("road works on Zhangjiang Road"), _blames_the_load("客户多次来电")
    (False, False)
    """
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", words).casefold()).translate(_SIMPLIFIED)
    return bool(_BLAMES_THE_LOAD.search(text) or _BLAMES_THE_LOAD.search(text.replace(" ", "")))


_B8_TEXT: Final = "contact the customer beforehand, explain, and agree the new time"
_B9_TEXT: Final = "rebook only with the customer's consent"


def _delay_cause(value: object, words: str | None) -> DelayCause:
    """The kind of reason given (T4); ``other`` needs words, and they must not blame the load."""
    if isinstance(value, str) and not isinstance(value, DelayCause):
        value = _CAUSE_LABELS.get(value, value)
    try:
        kind = _validate.enum_member(DelayCause, "cause", value)
    except InvalidInput:
        kinds = ", ".join(c.value for c in DelayCause)
        text = f"a delay's reason is one of {kinds} (with a note for other)"
        msg = f"refused delay reason: {text}"
        raise InvalidInput(msg, violations=(Violation("T4", "reason_not_allowed", text),)) from None
    if kind is DelayCause.OTHER and not words:
        msg = "a delay for another reason needs the reason in words: pass note="
        raise InvalidInput(msg)
    if words is not None and _blames_the_load(words):
        text = "'too many customers' is never a reason given to a customer"
        msg = f"refused delay reason: {text}"
        raise InvalidInput(msg, violations=(Violation("T4", "reason_not_allowed", text),))
    return kind


_CAUSE_LABELS: Final = {label: c.value for c in DelayCause for label in (c.label_zh, c.label_en)}


def _contact_and_agreement(
    consent: object, contacted: object, agreed: object, party: Party
) -> tuple[bool, bool]:
    """Contacted and agreed, from the two flags or the old single ``consent``."""
    for name, flag in (("consent", consent), ("contacted", contacted), ("agreed", agreed)):
        if flag is not None:
            _is(flag, bool, name)
    if consent is not None:
        if (contacted is not None and contacted != consent) or (
            agreed is not None and agreed != consent
        ):
            msg = "consent stands for contacted and agreed; pass contacted= and agreed= only"
            raise InvalidInput(msg)
        contacted = agreed = consent
    if party is Party.CUSTOMER and contacted is None:
        contacted = True  # the customer asked: that is the contact
    if contacted is None or agreed is None:
        msg = "a reschedule records whether the customer was contacted and agreed: pass contacted= and agreed="
        raise InvalidInput(msg)
    return bool(contacted), bool(agreed)


_OPENING_KINDS: Final = frozenset({EventKind.ACCEPTED, EventKind.REPORTED})


def _refuse_withheld(order_id: object, events: Iterable[Event]) -> None:
    """Refuse events holding a value a masked export withheld (``{"$secret": null}``).

    An order holding one could never be restored from its own JSON; commands refuse
    to record one.
    """
    if any(e.data.withheld for e in events if e.kind in _MAY_HOLD_SECRETS):
        msg = (
            f"order {_validate.shown_id(order_id)} was exported without secrets; export it "
            "with include_personal=True to store and restore it"
        )
        raise InvalidInput(msg)


# init=False: an order is built by its named constructors only; attrs makes
# __attrs_init__ for them, so the public signature names no private state.
def _with_staff(
    staff: tuple[Technician, ...], more: Iterable[Technician]
) -> tuple[Technician, ...]:
    """``staff`` with ``more`` added, ordered by ID; one given again replaces the one held."""
    by_id = {t.id: t for t in staff}
    by_id.update((t.id, t) for t in more)
    return tuple(by_id[k] for k in sorted(by_id))


@attrs.define(eq=False, slots=True, init=False)
class WorkOrder:
    """A work order: an install, a move or a repair, and everything that happened to it.

    An entity: compared by identity, hashable, and driven by typed commands.
    Each command takes ``at=`` (when, timezone-aware, not earlier than the last
    event) and ``by=`` (who), appends one or more events, and returns the last
    one. A refused command raises a :class:`~fieldservice.errors.FieldServiceError`
    (:class:`~fieldservice.errors.TransitionNotAllowed`, or the typed error of the
    rule it breaks) and changes nothing.

    Build one with :meth:`install`, :meth:`move`, :meth:`repair` or restore one
    with :meth:`from_events` / :meth:`from_json`.

    >>> import pendulum, fieldservice as fs
    >>> cust = fs.Customer(id="C1", name="张三", phones="13800138000", address="幸福路 1 号")
    >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    >>> order = fs.WorkOrder.repair(id="WO-9", customer=cust, products={"broadband"},
    ...                             reported_at=t, by="hotline-3")
    >>> order.state, order.owner, order.allowed_commands()
    (<State.REPORTED: 'reported'>, 'hotline-3', ['cancel', 'change_tier', 'hand_over', 'pause_clocks', 'resume_clocks', 'triage'])
    """

    id: str
    customer: Customer
    standard: ServiceStandard
    _s: OrderState = attrs.field(alias="s", repr=False)
    # The log, appended once per event (a state keeps only the last instant), and the
    # tuple ``events`` hands out, made again only after the log grew. A restored order
    # keeps its log packed (a branch holds millions, seldom read) until a command
    # appends to it; its ``events`` are built again on each read.
    _log: list[Event] | PackedLog = attrs.field(alias="log", repr=False)
    # The technicians the events name, by ID: a tuple, not a dict, as an order has one or
    # two, and a branch holds millions of orders (a dict is 184 bytes, a tuple 48).
    _staff: tuple[Technician, ...] = attrs.field(alias="staff", default=(), repr=False)
    _events: tuple[Event, ...] | None = attrs.field(init=False, default=None, repr=False)
    # The last instant _when checked and its epoch seconds, so _event need not
    # compute them again; compared by identity, so a stale one is never used.
    _checked_at: tuple[dt.datetime, float] | None = attrs.field(
        init=False, default=None, repr=False
    )

    @property
    def _tz(self) -> pendulum.Timezone:
        # The standard's zone, which every command converts into: looked up in a cache,
        # not kept in a slot (eight bytes in each of a branch's millions of orders).
        return _time.zone(self.standard.timezone)

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Refused: an order starts with a named constructor or is restored from its log."""
        msg = (
            "build a WorkOrder with WorkOrder.install(), move() or repair(), "
            "or restore one with WorkOrder.from_events() or from_json()"
        )
        raise InvalidInput(msg)

    def __copy__(self) -> WorkOrder:
        """A second order with the same log so far, which each then changes apart.

        Everything an order holds is immutable but its growing log: the copy gets its
        own, so a command on one never writes into the other's.

        >>> import copy, pendulum, fieldservice as fs
        >>> cust = fs.Customer(id="C1", name="张三", phones="13800138000", address="幸福路 1 号")
        >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
        >>> order = fs.WorkOrder.repair(id="WO-9", customer=cust, products={"broadband"},
        ...                             reported_at=t, by="hotline-3")
        >>> twin = copy.copy(order)
        >>> _ = twin.cancel(at=t.add(minutes=5), by="hotline-3", reason="客户撤单")
        >>> len(order.events), len(twin.events), order.state.value
        (1, 2, 'reported')
        """
        cls = type(self)
        twin = cls.__new__(cls)
        for field in attrs.fields(cls):
            object.__setattr__(twin, field.name, getattr(self, field.name))
        if type(self._log) is list:
            twin._log = list(self._log)
        return twin

    @classmethod
    def _made(
        cls,
        id: str,
        customer: Customer,
        standard: ServiceStandard,
        s: OrderState,
        log: list[Event] | PackedLog,
        staff: tuple[Technician, ...] = (),
    ) -> WorkOrder:
        """The order with that state and log, built without the refusing ``__init__``."""
        order = cls.__new__(cls)
        order.__attrs_init__(id, customer, standard, s=s, log=log, staff=staff)
        return order

    # -- constructors --

    @classmethod
    def install(
        cls,
        *,
        id: str,
        customer: Customer,
        products: Iterable[Product | str],
        accepted_at: dt.datetime,
        by: str,
        standard: ServiceStandard | None = None,
    ) -> WorkOrder:
        """Accept (受理) an install order: the first contact becomes its owner (G2).

        Args:
            id: The order ID.
            customer: Who it is for.
            products: Every product of the order, installed in one visit (M1).
            accepted_at: When the order was accepted (受理, B3's clock starts). A
                repair's first instant is ``reported_at`` instead (:meth:`repair`):
                each is named after what starts the order's clock.
            by: Who accepted it: the owner until a hand-over (G2).
            standard: The standard that applies; the seed's by default.
        """
        return cls._open(OrderKind.INSTALL, id, customer, products, accepted_at, by, standard)

    @classmethod
    def move(
        cls,
        *,
        id: str,
        customer: Customer,
        products: Iterable[Product | str],
        accepted_at: dt.datetime,
        by: str,
        standard: ServiceStandard | None = None,
    ) -> WorkOrder:
        """Accept (受理) a move order (移机); the same workflow as an install."""
        return cls._open(OrderKind.MOVE, id, customer, products, accepted_at, by, standard)

    @classmethod
    def repair(
        cls,
        *,
        id: str,
        customer: Customer,
        products: Iterable[Product | str],
        reported_at: dt.datetime,
        by: str,
        standard: ServiceStandard | None = None,
    ) -> WorkOrder:
        """Record a fault report (障碍申告): the repair clock (F4) starts.

        Args:
            id: The order ID.
            customer: Who it is for.
            products: The products at fault.
            reported_at: When the fault was reported (申告, F4's clock starts): the
                counterpart of ``accepted_at`` of :meth:`install` and :meth:`move`.
            by: Who took the report: the owner until a hand-over (G2).
            standard: The standard that applies; the seed's by default.
        """
        return cls._open(OrderKind.REPAIR, id, customer, products, reported_at, by, standard)

    @classmethod
    def _open(
        cls,
        kind: OrderKind,
        id: str,
        customer: Customer,
        products: Iterable[Product | str],
        at: dt.datetime,
        by: str,
        standard: ServiceStandard | None,
    ) -> WorkOrder:
        order_id = _validate.identifier("order id", id)
        _is(customer, Customer, "customer")
        std = ServiceStandard.default() if standard is None else standard
        _is(std, ServiceStandard, "standard")
        chosen = _products(products)
        zone = _time.zone(std.timezone)
        at = _time.aware("at", at)
        if type(at) is not pendulum.DateTime or at.tzinfo is not zone:
            at = at.in_timezone(zone)  # seldom: callers pass the zone's time
        first = Event(
            EventKind.REPORTED if kind is OrderKind.REPAIR else EventKind.ACCEPTED,
            at,
            actor=by,
            data={
                "order_kind": kind.value,
                "tier": customer.tier.value,
                "area": customer.area.value,
                "products": sorted(p.value for p in chosen),
            },
        )
        return cls._made(order_id, customer, std, s=start(kind, first), log=[first])

    @classmethod
    def from_events(
        cls,
        *,
        id: str,
        customer: Customer,
        events: Iterable[Event],
        standard: ServiceStandard | None = None,
        technicians: Iterable[Technician] = (),
    ) -> WorkOrder:
        """Rebuild an order from its events, with the same fold the commands use.

        No Machine is built or joined: restoring costs a pass over the events.

        Args:
            id: The order ID.
            customer: The customer the order is for.
            events: The order's events in time order.
            standard: The standard that applies; the seed's by default.
            technicians: Every technician the events assign.

        Raises:
            InvalidEvent: The events are out of order or malformed.
            TransitionNotAllowed: An event is not allowed where it stands.
            InvalidInput: A technician the events assign is not given, or an event
                holds a value a masked export withheld (``{"$secret": null}``).
        """
        try:
            log = tuple(events)
            staff_given = tuple(technicians)
        except TypeError:
            msg = "from_events needs sequences of events and technicians"
            raise InvalidInput(msg) from None
        if not all(isinstance(t, Technician) for t in staff_given):
            msg = "technicians must be Technician objects"
            raise InvalidInput(msg)
        if not log or not all(isinstance(e, Event) for e in log):
            msg = "from_events needs the order's events, starting with accepted or reported"
            raise InvalidEvent(msg)
        _refuse_withheld(id, log)
        return cls._restored(id, customer, log, standard, staff_given)

    @classmethod
    def _restored(
        cls,
        id: object,
        customer: Customer,
        log: tuple[Event, ...],
        standard: ServiceStandard | None,
        staff_given: tuple[Technician, ...],
    ) -> WorkOrder:
        """:meth:`from_events` once its events and technicians are known to be such."""
        if not log:  # from_dict's list may be empty
            msg = "from_events needs the order's events, starting with accepted or reported"
            raise InvalidEvent(msg)
        if log[0].kind not in _OPENING_KINDS:
            msg = (
                f"an order's events start with accepted or reported, not {log[0].kind.value}: "
                "give the whole log"
            )
            raise InvalidEvent(msg)
        if len({t.id for t in staff_given}) != len(staff_given):
            # Which record is the technician's? Keeping one would lose the other unseen.
            msg = "technicians lists an ID twice; give each technician once"
            raise InvalidInput(msg)
        kind = _validate.enum_member(
            OrderKind, "order kind", getattr(log[0].data, "order_kind", None)
        )
        std = ServiceStandard.default() if standard is None else standard
        _is(std, ServiceStandard, "standard")
        with _nogc.Pause(len(log)):
            state = start(kind, log[0])
            for event in log[1:]:
                state = fold(state, event)
        _is(customer, Customer, "customer")
        staff = _with_staff((), staff_given)
        given_ids = {t.id for t in staff}
        missing = [t for t in state.facts.staff if t not in given_ids]
        if missing:
            # The IDs are input: one that may hold a phone number is counted, not shown (G1).
            msg = f"the events assign technicians that were not given: {_validate.shown_keys(missing)}"
            raise InvalidInput(msg)
        order_id = _validate.identifier("order id", id)
        return cls._made(order_id, customer, std, s=state, staff=staff, log=PackedLog(log))

    # -- what an order is now (all derived from the events) --

    @property
    def events(self) -> tuple[Event, ...]:
        """The order's events, oldest first."""
        events = self._events
        log = self._log
        if type(log) is PackedLog:
            return log.events()
        if events is None or len(events) != len(log):
            events = self._events = tuple(log)
        return events

    @property
    def event_log(self) -> Sequence[Event]:
        """The order's events as it keeps them, for readers of many orders at once.

        A restored order not changed since keeps a :class:`~fieldservice.events.PackedLog`,
        whose kinds, epochs and payloads are read without building an event; any
        other order gives its :attr:`events`.

        >>> import pendulum
        >>> import fieldservice as fs
        >>> cust = fs.Customer(id="C1", name="张三", phones="13800138000", address="幸福路 1 号")
        >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
        >>> order = fs.WorkOrder.repair(id="WO-9", customer=cust, products={"broadband"},
        ...                             reported_at=t, by="hotline-3")
        >>> order.event_log == order.events
        True
        >>> restored = fs.WorkOrder.from_json(order.to_json(include_personal=True))
        >>> restored.event_log
        <PackedLog of 1 events>
        """
        log = self._log
        return log if type(log) is PackedLog else self.events

    @property
    def kind(self) -> OrderKind:
        """Install, move or repair."""
        return self._s.kind

    @property
    def state(self) -> State:
        """Where the order stands."""
        return self._s.state

    @property
    def products(self) -> frozenset[Product]:
        """Every product of the order, all served by one visit (M1)."""
        return self._s.facts.products

    @property
    def owner(self) -> str:
        """Who owns the order (G2), its first contact until a hand-over."""
        return self._s.facts.owner

    @property
    def tier(self) -> Tier:
        """The customer's tier as the order's events know it (G3)."""
        return self._s.facts.tier

    @property
    def window(self) -> AppointmentWindow | None:
        """The booked half-day (B2), if any."""
        return self._s.facts.window

    @property
    def arrival(self) -> ArrivalWindow | None:
        """The arrival hour agreed on the day (C1), if any."""
        confirmed = self._s.facts.confirmed
        if confirmed is None:
            return None
        return ArrivalWindow(pendulum.instance(confirmed.start), pendulum.instance(confirmed.end))

    @property
    def reschedules(self) -> int:
        """How many times the visit was rescheduled (B8, B9)."""
        return self._s.facts.visit.reschedules

    @property
    def technicians(self) -> tuple[Technician, ...]:
        """The assigned technicians, the customer's one contact first (M2)."""
        ids = self._s.facts.staff
        contact = self._s.facts.contact
        ordered = sorted(ids, key=lambda t: t != contact)
        return tuple(self._technician(t) for t in ordered)

    @property
    def contact(self) -> Technician | None:
        """The one technician who deals with the customer (M2)."""
        contact = self._s.facts.contact
        return None if contact is None else self._technician(contact)

    def _technician(self, technician_id: str) -> Technician:
        return next(t for t in self._staff if t.id == technician_id)

    @property
    def checklist(self) -> Checklist:
        """The completion checklist as it stands."""
        return self._s.work.checklist

    @property
    def worksheet(self) -> WorkSheet:
        """The work sheet (施工单) as it stands."""
        return self._s.work.worksheet

    @property
    def signature(self) -> Signature | None:
        """The customer's signature, while it still matches what is there (W2)."""
        return self._s.work.signature

    @property
    def signatures(self) -> tuple[SignatureRecord, ...]:
        """Every signature of the order, oldest first, each with the edit that voided it (W2).

        After an edit of the checklist or work sheet :attr:`signature` is ``None``;
        the voided signature stays here, with ``voided_by`` the edit's event.
        """
        return self._s.work.history

    @property
    def _lead_time(self) -> dt.timedelta | None:
        # B5's lead time is for installs and moves (装移机); a repair visit is
        # arranged as soon as possible (F2, F3).
        return dt.timedelta(0) if self._s.kind is OrderKind.REPAIR else None

    def allowed_commands(self) -> list[str]:
        """The command methods the order's state allows now (conditions aside)."""
        return commands_allowed(self._s)

    def __repr__(self) -> str:
        return (
            f"WorkOrder(id={_validate.id_repr(self.id)}, kind={self.kind.value!r}, "
            f"state={self.state.value!r}, "
            f"customer={self.customer.id!r}, events={len(self._log)})"
        )

    # -- the machinery of a command --

    def _when(self, at: dt.datetime) -> pendulum.DateTime:
        zone = self._tz
        if type(at) is pendulum.DateTime and at.tzinfo is zone:
            # Already in the standard's zone: only the range is left to check.
            moment = at
            epoch = _time.epoch_of("at", at)
        else:
            moment = _time.aware("at", at).in_timezone(zone)
            epoch = moment.timestamp()
        last = self._s.last
        # By instant: same-zone datetimes compare by wall time (PEP 495).
        if epoch < last:
            msg = (
                f"at {moment.isoformat()} is earlier than the order's last event "
                f"({shown_in(last, moment)}); commands must come in time order"
            )
            raise InvalidEvent(msg)
        self._checked_at = (moment, epoch)
        return moment

    def _may(self, trigger: str) -> None:
        s = self._s
        if trigger not in TRIGGERS[s.kind, s.state]:
            allowed = ", ".join(self.allowed_commands()) or "nothing (the order is final)"
            msg = (
                f"{trigger} is not allowed while order {_validate.shown_id(self.id)} is {self._s.state.value} "
                f"({self._s.state.label_zh}); allowed now: {allowed}"
            )
            raise TransitionNotAllowed(msg)

    def _commit(self, *events: Event, made: object = None) -> Event:
        """Fold ``events`` into the order; ``made`` is what the last one's data builds."""
        state = self._s
        last = events[-1]
        for event in events[:-1]:
            state = fold(state, event)
        self._s = fold(state, last, made)  # the one change of state: the folds passed or raised
        log = self._log
        if type(log) is list:
            log += events
        else:
            self._log = [*log, *events]
        return last

    def _event(self, kind: EventKind, at: pendulum.DateTime, by: str, /, **data: object) -> Event:
        """The command's event, its payload made from the values the command checked."""
        value = kind._value_
        actor = actor_id(by)  # before the data, as an event checks them
        return self._event_with(kind, at, actor, payload_class(value).of_command(data, value))

    def _event_read(
        self, kind: EventKind, at: pendulum.DateTime, by: str, data: dict[str, object]
    ) -> Event:
        """The command's event, its payload read from ``data`` as a log's JSON is read.

        For the windows and hours a branch books again and again: the orders of one
        window, or one confirmed hour, share one payload, as restored orders do.
        """
        value = kind._value_
        actor = actor_id(by)  # before the data, as an event checks them
        return self._event_with(kind, at, actor, payload_class(value).from_json_data(data, value))

    def _event_with(
        self, kind: EventKind, at: pendulum.DateTime, by: str, payload: Payload
    ) -> Event:
        # ``at`` came through _when: aware, in range, in order.
        if kind in _MAY_HOLD_SECRETS and payload.withheld:
            # {"$secret": null} is what an export writes in place of a personal value: read
            # from a masked export it means "not given". A command that recorded it would
            # make an order no export can restore.
            msg = (
                f"{kind.value} was given {{'$secret': None}}, the mark a masked export "
                "writes in place of a personal value; give the value itself"
            )
            raise InvalidInput(msg)
        checked = self._checked_at
        epoch = checked[1] if checked is not None and checked[0] is at else at.timestamp()
        self._checked_at = None  # an order held for long keeps no DateTime of its last command
        return Event.of_command(kind, at, epoch, by, payload)

    # -- resources (B1, B4, R1-R3) --

    def check_resources(
        self,
        available: bool,
        *,
        at: dt.datetime,
        by: str,
        immediate: bool = False,
        gap: str | None = None,
    ) -> Event:
        """Record whether resources allow the install (B1); at once at the desk with ``immediate`` (B4).

        Available: the order goes to booking (B1). Missing: it waits for the
        network (R1 clock starts); ``gap`` records what is missing (R2).
        """
        self._may("check_resources")
        _is(available, bool, "available")
        when = self._when(at)
        events = []
        if immediate:
            events.append(
                self._event(EventKind.FEASIBILITY_ANSWERED, when, by, available=available)
            )
        kind = EventKind.RESOURCES_AVAILABLE if available else EventKind.RESOURCES_MISSING
        events.append(self._event(kind, when, by))
        if not available and gap is not None:
            events.append(
                self._event(
                    EventKind.RESOURCE_GAP_RECORDED,
                    when,
                    by,
                    gap=_validate.text("gap", gap, max_length=500, multiline=True),
                )
            )
        return self._commit(*events)

    def notify_resources_missing(self, *, at: dt.datetime, by: str) -> Event:
        """Record that the customer was told resources are missing (R1: stops its clock)."""
        self._may("notify_resources_missing")
        return self._commit(self._event(EventKind.RESOURCE_NOTICE_GIVEN, self._when(at), by))

    def record_resource_gap(self, gap: str, *, at: dt.datetime, by: str) -> Event:
        """Record the line and device resources the order needs (R2), for analysis."""
        self._may("record_resource_gap")
        text = _validate.text("gap", gap, max_length=500, multiline=True)
        return self._commit(
            self._event(EventKind.RESOURCE_GAP_RECORDED, self._when(at), by, gap=text)
        )

    def resources_built(self, *, at: dt.datetime, by: str) -> Event:
        """The network is built: the order returns to booking (R3) and B3's clock restarts."""
        self._may("resources_built")
        return self._commit(self._event(EventKind.RESOURCES_BUILT, self._when(at), by))

    # -- booking (B2-B9, C1, M2) --

    def contact_customer(
        self, *, at: dt.datetime, by: str, note: str | None = None, reluctant: bool = False
    ) -> Event:
        """Record the first contact with the customer to book (B3: stops its clock).

        Args:
            at: When the customer was reached.
            by: Who called.
            note: What the visit needs (C3), kept on the order (:attr:`note`).
            reluctant: The customer did not want to talk (C4): nothing more is
                asked; the technician works from what the order says.
        """
        self._may("contact_customer")
        data: dict[str, object] = {}
        if note is not None:
            # What the customer says the visit needs may be personal: masked (G1).
            text = _validate.text("note", note, max_length=500, multiline=True)
            data["note"] = Secret(" ".join(text.split()))
        if _flag(reluctant, "reluctant"):
            data["reluctant"] = True
        return self._commit(self._event(EventKind.CONTACTED, self._when(at), by, **data))

    def check_customer_data(
        self, via: str, *, at: dt.datetime, by: str, note: str | None = None
    ) -> Event:
        """Record that unclear customer data was checked before booking (O1, 取单分析).

        Args:
            via: How: ``"system"`` (checked in the system) or ``"dispatcher"``
                (with the dispatcher, 调度员).
            at: When.
            by: Who checked.
            note: What was unclear and what was found: personal, masked (G1).

        Raises:
            InvalidInput: ``via`` is neither.
            TransitionNotAllowed: The order is booked already: check before booking.
        """
        self._may("check_customer_data")
        data: dict[str, object] = {"via": via}
        if note is not None:
            text = _validate.text("note", note, max_length=500, multiline=True)
            data["note"] = Secret(" ".join(text.split()))
        return self._commit(
            self._event(EventKind.CUSTOMER_DATA_CHECKED, self._when(at), by, **data)
        )

    @property
    def note(self) -> Secret | None:
        """What the order says the visit needs (C3), personal (G1), read instead of asking again (C4).

        The last note given at the contact, the booking or the confirmation.
        """
        return self._s.facts.visit.note

    @property
    def customer_data_checked(self) -> bool:
        """Whether unclear customer data was checked before booking (O1)."""
        return EventKind.CUSTOMER_DATA_CHECKED in self._kinds()

    def book(
        self,
        window: AppointmentWindow | tuple[dt.date | str, HalfDay | str],
        *,
        at: dt.datetime,
        by: str,
    ) -> Event:
        """Book a half-day window (B2) that the standard allows (B5, B6).

        Raises:
            InvalidAppointment: The window breaks rules; every one is listed.
        """
        self._may("book")
        chosen = _window(window)
        when = self._when(at)
        return self._commit(self._booked(EventKind.BOOKED, chosen, when, by), made=chosen)

    def _booked(
        self,
        kind: EventKind,
        window: AppointmentWindow,
        when: pendulum.DateTime,
        by: str,
        **extra: object,
    ) -> Event:
        check = validate_window(window, when, self.standard, lead_time=self._lead_time)
        earliest = check.earliest_arrival
        assert earliest is not None  # an accepted window has one
        if earliest.tzinfo is not self._tz:  # the checks give it in the zone: seldom converted
            earliest = earliest.in_timezone(self._tz)
        data = {
            "date": window.date.isoformat(),
            "half": window.half._value_,
            "start": earliest.isoformat(),
            "end": window.end(self.standard).isoformat(),
            **extra,
        }
        return self._event_read(kind, when, by, data)

    def assign(
        self,
        technicians: Sequence[Technician],
        *,
        contact: Technician | str,
        at: dt.datetime,
        by: str,
    ) -> Event:
        """Assign the technicians of the visit, exactly one of them the customer's contact (M2)."""
        self._may("assign")
        given = _validate.items_of(technicians)  # a dict would give its keys
        staff = () if given is None else tuple(given)
        if not staff or not all(isinstance(t, Technician) for t in staff):
            msg = "assign needs one or more Technician objects"
            raise InvalidInput(msg)
        ids = [t.id for t in staff]
        if len(set(ids)) != len(ids):
            msg = "a technician is assigned twice; list each once"
            raise InvalidInput(msg)
        contact_id = contact.id if isinstance(contact, Technician) else contact
        if contact_id not in ids:
            msg = "the contact must be one of the assigned technicians (M2)"
            raise InvalidInput(msg, violations=(Violation("M2", "contact_not_assigned", msg),))
        event = self._event(
            EventKind.TECHNICIANS_ASSIGNED, self._when(at), by, technicians=ids, contact=contact_id
        )
        self._commit(event)
        self._staff = _with_staff(self._staff, staff)
        return event

    def confirm(
        self, start: int | dt.time, *, at: dt.datetime, by: str, reluctant: bool = False
    ) -> Event:
        """The day-of second confirmation (C1): refine the half-day to the arrival hour.

        ``reluctant=True`` records that the customer did not want to talk (C4):
        the hour is agreed and nothing more is asked; the order's :attr:`note`
        says what the visit needs.

        Raises:
            InvalidAppointment: The hour is outside the booked half-day, in the
                quiet hours (B6), before the booking allows (B5), or the
                confirmation comes after the hour begins.
        """
        self._may("confirm")
        window = self._s.facts.window
        booked_at = self._s.facts.visit.booked_at
        assert window is not None
        assert booked_at is not None
        when = self._when(at)
        arrival = window.refine(start, self.standard)
        check = check_arrival(arrival, booked_at, self.standard, lead_time=self._lead_time)
        violations = list(check.violations)
        if when >= arrival.start:
            violations.append(Violation("C1", "too_late", "confirm before the arrival hour begins"))
        if violations:
            msg = f"cannot confirm {arrival}"
            raise InvalidAppointment(msg, violations=violations)
        extra = {"reluctant": True} if _flag(reluctant, "reluctant") else {}
        # C1: by 09:00 of the visit day. Accepted later (the customer is still told
        # the hour), but the event says it was late and the C1 clock is breached.
        due = confirm_due(window.date, booked_at, self.standard)
        if due is not None and when.timestamp() > due:
            extra["late"] = True
        data = {"start": arrival.start.isoformat(), "end": arrival.end.isoformat(), **extra}
        return self._commit(
            self._event_read(EventKind.CONFIRMED, when, by, data)
        )  # no made=: the fold reads the hour from the event, with its offsets, on both paths

    def reschedule(
        self,
        window: AppointmentWindow | tuple[dt.date | str, HalfDay | str],
        *,
        at: dt.datetime,
        by: str,
        requested_by: Party | str,
        reason: str,
        consent: bool | None = None,
        contacted: bool | None = None,
        agreed: bool | None = None,
        cause: DelayCause | str | None = None,
    ) -> Event:
        """Rebook the visit (改约) with who asked, why, and what the customer said (B8, B9).

        Two facts are recorded apart: whether the customer was ``contacted``
        beforehand, and whether they ``agreed`` to the new time. A provider
        reschedule needs the contact (B8); when the customer, contacted, does not
        agree, that is recorded as it was (``agreed=False``). A customer's own
        request is rebooked only with their agreement (B9). ``consent=True``, the
        one flag of releases before 0.3, stands for both.

        A provider reschedule's ``cause`` is one of :class:`~fieldservice.model.DelayCause` (T4;
        ``other`` when left out), ``reason`` the words. A reschedule made after
        the window in force began is a late one: the event says so, and the
        missed window's arrival clock stays breached. Neither pauses an SLA clock.

        Raises:
            TransitionNotAllowed: No prior contact (B8), or no agreement to a
                customer's request (B9): the violation names the rule.
            InvalidAppointment: The new window breaks rules.
            InvalidInput: ``consent`` disagrees with ``contacted`` or ``agreed``, or
                the cause is not one of the kinds.
        """
        self._may("reschedule")
        party = _validate.enum_member(Party, "requested_by", requested_by)
        why = _validate.text("reason", reason, max_length=500, multiline=True)
        contacted, agreed = _contact_and_agreement(consent, contacted, agreed, party)
        kind = None
        if party is Party.PROVIDER:
            kind = _delay_cause(DelayCause.OTHER if cause is None else cause, why)
        elif cause is not None:
            msg = "cause is for a provider reschedule (B8, T4); a customer's request has none"
            raise InvalidInput(msg)
        refusal = None
        if not contacted:
            refusal = (
                ("B8", "no_prior_contact", _B8_TEXT)
                if party is Party.PROVIDER
                else ("B9", "no_consent", _B9_TEXT)
            )
        elif not agreed and party is Party.CUSTOMER:
            refusal = ("B9", "no_consent", _B9_TEXT)
        if refusal is not None:
            rule, code, text = refusal
            msg = f"cannot reschedule order {_validate.shown_id(self.id)}: {text}"
            raise TransitionNotAllowed(msg, violations=(Violation(rule, code, text),))
        chosen = _window(window)
        when = self._when(at)
        extra: dict[str, object] = {"contacted": contacted, "agreed": agreed}
        if kind is not None:
            extra["cause"] = kind.value
        begun = self._s.facts.visit.promised_start
        if self._s.facts.visit.live and begun is not None and when.timestamp() > begun.timestamp():
            extra["late"] = True
        event = self._booked(
            EventKind.RESCHEDULED,
            chosen,
            when,
            by,
            requested_by=party.value,
            reason=why,
            **extra,
        )
        return self._commit(event, made=chosen)

    # -- the visit (T1-T4, K1-K3, S1) --

    def depart(self, *, at: dt.datetime, by: str, travel: dt.timedelta | None = None) -> Event:
        """Record the technician's departure (T2), with the expected travel time."""
        self._may("depart")
        data = {} if travel is None else {"travel_s": int(_validate.travel(travel).total_seconds())}
        return self._commit(self._event(EventKind.DEPARTED, self._when(at), by, **data))

    def report_delay(
        self,
        cause: DelayCause | str,
        *,
        at: dt.datetime,
        by: str,
        minutes: int,
        customer_told: bool,
        note: str | None = None,
    ) -> Event:
        """Record a delay on the way (T3): the customer is called ahead and given a reason.

        Args:
            cause: The kind of reason given (T4), one of :class:`~fieldservice.model.DelayCause`
                (value, Chinese or English label): traffic, previous visit
                overran, vehicle, weather, provider reschedule, or other with
                ``note``. "Too many customers" is not one of them.
            at: When the delay was reported.
            by: Who reported it.
            minutes: How late the technician will be.
            customer_told: Whether the customer was called ahead (T3): must be true.
            note: The words kept with the reason (required for ``other``).

        Raises:
            InvalidInput: The customer was not told (T3), the cause is not one of
                the kinds, or ``other`` without a note, or a note that gives
                "too many customers" as the reason (T4).
        """
        self._may("report_delay")
        words = None if note is None else _validate.text("note", note, max_length=200)
        kind = _delay_cause(cause, words)
        if customer_told is not True:
            text = "call the customer ahead, apologise and explain (T3)"
            msg = f"a delay must be told: {text}"
            raise InvalidInput(
                msg,
                violations=(Violation("T3", "customer_not_told", text),),
            )
        if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
            msg = "minutes must be a positive whole number"
            raise InvalidInput(msg)
        return self._commit(
            self._event(
                EventKind.DELAYED,
                self._when(at),
                by,
                cause=kind.value,
                minutes=minutes,
                customer_told=True,
                **({} if words is None else {"note": words}),
            )
        )

    def arrive(self, *, at: dt.datetime, by: str) -> Event:
        """Record arrival at the door (T2; the arrival clock stops).

        An arrival after the start of the confirmed hour (plus the standard's
        ``arrival_tolerance``) is a late one: the event records how many minutes
        late, and whether the customer was called ahead (a :meth:`report_delay`
        since the confirmation, T3). Without a call it is flagged, not refused:
        the technician is at the door.
        """
        self._may("arrive")
        when = self._when(at)
        extra: dict[str, object] = {}
        confirmed = self._s.facts.confirmed
        if confirmed is not None:
            on_time = confirmed.start.timestamp() + self.standard.arrival_tolerance.total_seconds()
            late_s = when.timestamp() - on_time
            if late_s > 0:
                extra["late_minutes"] = min(24 * 60, max(1, math.ceil(late_s / 60)))
                extra["called_ahead"] = self._called_ahead()
        return self._commit(self._event(EventKind.ARRIVED, when, by, **extra))

    def _called_ahead(self) -> bool:
        """Whether a delay was told the customer since the hour was confirmed (T3)."""
        for kind in reversed(self._kinds()):
            if kind is EventKind.DELAYED:
                return True
            if kind is EventKind.CONFIRMED:
                return False
        return False

    def _kinds(self) -> Sequence[EventKind]:
        """The kind of each event, oldest first, without unpacking a packed log."""
        log = self._log
        return log.kinds() if type(log) is PackedLog else [e.kind for e in log]

    def customer_absent(
        self, *, at: dt.datetime, by: str, note_left: bool, neighbours_asked: bool = False
    ) -> Event:
        """Record that nobody answered (K1-K3): a note is left, the order goes back to booking.

        Raises:
            InvalidInput: The knock protocol is not over yet (K2: call after
                3 minutes), or no message note was left (K3).
        """
        self._may("customer_absent")
        when = self._when(at)
        arrived = self._s.facts.arrived_at
        assert arrived is not None  # at the door means arrived
        if when - arrived < self.standard.knock.call_after:
            text = f"knock and call for {self.standard.knock.call_after} before giving up (K1-K2)"
            msg = f"too early to record the customer absent: {text}"
            raise InvalidInput(
                msg,
                violations=(Violation("K2", "knock_protocol_not_done", text),),
            )
        if note_left is not True:
            text = "leave a message note (留言条) on the door"
            msg = f"customer absent needs a note: {text}"
            raise InvalidInput(
                msg,
                violations=(Violation("K3", "no_message_note", text),),
            )
        return self._commit(
            self._event(
                EventKind.CUSTOMER_ABSENT,
                when,
                by,
                note_left=True,
                neighbours_asked=_flag(neighbours_asked, "neighbours_asked"),
            )
        )

    def enter(self, *, at: dt.datetime, by: str) -> Event:
        """Record entering the customer's home (S1 follows: introduce, show the certificate)."""
        self._may("enter")
        return self._commit(self._event(EventKind.ENTERED, self._when(at), by))

    def start_work(self, *, at: dt.datetime, by: str) -> Event:
        """Record the start of the work, after the service boundary was explained (S3)."""
        self._may("start_work")
        return self._commit(self._event(EventKind.WORK_STARTED, self._when(at), by))

    # -- the checklist and the work sheet (S, L, W) --

    def tick(
        self,
        item: str,
        *,
        at: dt.datetime,
        by: str,
        evidence: Mapping[str, object] | None = None,
        label: ModemLabel | None = None,
    ) -> Event:
        """Tick a checklist item (S1-S7, L1-L3, W1-W2), with evidence where it needs some."""
        self._may("update_checklist")
        proof: Any = None  # the checklist checks what it holds
        if evidence is not None:
            if type(evidence) is not dict and not isinstance(evidence, Mapping):
                msg = (
                    "evidence must be a mapping of measurements, e.g. {'optical_power_dbm': -18.5}"
                )
                raise InvalidInput(msg)
            refuse_phone_keys(evidence)
            proof = dict(evidence)
        if label is not None:
            _is(label, ModemLabel, "label")
            if type(label) is not ModemLabel:  # as restoring the event would build it
                label = ModemLabel(label.account, label.user_name, label.password)
        when = self._when(at)
        by = actor_id(by)  # before the data, as an event checks them
        if proof is None and label is None:
            payload: Payload = ChecklistUpdated.tick_of(item)
        else:
            fields = {"action": "tick", "item": item, "evidence": proof, "label": label}
            payload = ChecklistUpdated.of_command(fields, EventKind.CHECKLIST_UPDATED._value_)
        event = self._event_with(EventKind.CHECKLIST_UPDATED, when, by, payload)
        checklist = self._s.work.checklist
        # The event has checked by and at: the checklist checks the item and its proof.
        ticked = checklist.tick_checked(checklist.index_of(item), event.actor, when, proof, label)
        return self._commit(event, made=ticked)

    def mark_not_applicable(self, item: str, *, at: dt.datetime, by: str, reason: str) -> Event:
        """Mark a checklist item not applicable, with the reason.

        Raises:
            InvalidInput: An item every visit needs (S1, S3, S5, W1, W2), or L1 on a
                new install, which the customer may only decline (L4, :meth:`decline`).
        """
        return self._resolve_item("not_applicable", item, at, by, reason)

    def decline(
        self,
        item: str,
        *,
        at: dt.datetime,
        by: str,
        reason: str,
        hotline_told: bool | None = None,
    ) -> Event:
        """Record that the customer declined an item (S2 shoe covers, labels: L4).

        A declined label (L1-L3) records that the customer was told the hotline
        for later help (L4): ``hotline_told=True`` is required, and the event
        holds the number, the standard's :attr:`~fieldservice.standard.ServiceStandard.hotline`.

        Raises:
            InvalidInput: A label declined without telling the hotline (L4), or
                an item that cannot be declined.
        """
        self._may("update_checklist")
        extra: dict[str, object] = {}
        if self._s.work.checklist.item(item).rule in _LABEL_RULES:
            if hotline_told is not True:
                text = (
                    f"tell the customer to call the {self.standard.hotline} hotline for later help"
                )
                msg = f"cannot record the label declined: {text} (L4)"
                raise InvalidInput(msg, violations=(Violation("L4", "hotline_not_told", text),))
            extra["hotline"] = self.standard.hotline
        elif hotline_told is not None:
            msg = "hotline_told is for a declined label (L1-L3, L4) only"
            raise InvalidInput(msg)
        return self._resolve_item("decline", item, at, by, reason, **extra)

    def _resolve_item(
        self, action: str, item: str, at: dt.datetime, by: str, reason: str, **extra: object
    ) -> Event:
        self._may("update_checklist")
        event = self._event(
            EventKind.CHECKLIST_UPDATED,
            self._when(at),
            by,
            action=action,
            item=item,
            reason=reason,
            **extra,
        )
        checklist = self._s.work.checklist
        change = checklist.decline if action == "decline" else checklist.mark_not_applicable
        return self._commit(event, made=change(item, by=event.actor, at=event.at, reason=reason))

    def report_finding(self, finding: Finding | str, *, at: dt.datetime, by: str) -> Event:
        """Report what the visit found that adds a label item (L2 label missing, L3)."""
        self._may("update_checklist")
        value = _validate.enum_member(Finding, "finding", finding)
        event = self._event(
            EventKind.CHECKLIST_UPDATED, self._when(at), by, action="finding", finding=value.value
        )
        return self._commit(event, made=self._s.work.checklist.report_finding(value))

    def fill_worksheet(self, worksheet: WorkSheet, *, at: dt.datetime, by: str) -> Event:
        """Record the work sheet as it stands (W1, W3); a new one replaces the last."""
        self._may("fill_worksheet")
        _is(worksheet, WorkSheet, "worksheet")
        # The payload keeps a subclass as the class itself, as restoring would build it.
        return self._commit(
            self._event(EventKind.WORKSHEET_UPDATED, self._when(at), by, worksheet=worksheet)
        )

    def leave_temporarily(
        self, reason: str, *, at: dt.datetime, by: str, customer_told: bool, minutes: int
    ) -> Event:
        """Record leaving the home for a while, e.g. for outdoor line or port work (S8).

        Raises:
            InvalidInput: The customer was not told, or ``minutes`` is not a
                positive whole number. The technician stays reachable by phone.
        """
        self._may("leave_temporarily")
        why = _validate.text("reason", reason, max_length=200)
        if customer_told is not True:
            text = "tell the customer before leaving and stay reachable (S8)"
            msg = f"cannot leave the site: {text}"
            raise InvalidInput(msg, violations=(Violation("S8", "customer_not_told", text),))
        if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
            msg = "minutes must be a positive whole number"
            raise InvalidInput(msg)
        return self._commit(
            self._event(EventKind.LEFT_TEMPORARILY, self._when(at), by, reason=why, minutes=minutes)
        )

    def use_customer_phone(
        self, *, at: dt.datetime, by: str, consent: bool, purpose: str | None = None
    ) -> Event:
        """Record a work call made on the customer's phone, with their consent (G5).

        Args:
            at: When.
            by: Who made the call.
            consent: The customer agreed first: must be true.
            purpose: What the call was for (a free service number, the exchange, ...).

        Raises:
            InvalidInput: No consent (G5): the phone is not used and nothing is recorded.
        """
        self._may("use_customer_phone")
        if not _flag(consent, "consent"):
            text = "ask the customer before using their phone (G5)"
            msg = f"cannot use the customer's phone: {text}"
            raise InvalidInput(msg, violations=(Violation("G5", "no_consent", text),))
        data: dict[str, object] = {"consent": True}
        if purpose is not None:
            data["purpose"] = _validate.text("purpose", purpose, max_length=200)
        return self._commit(self._event(EventKind.CUSTOMER_PHONE_USED, self._when(at), by, **data))

    def record_out_of_scope(
        self, request: str, *, at: dt.datetime, by: str, explanation: str
    ) -> Event:
        """Record a request beyond the service scope and the explanation given (S9).

        The technician explains the scope (S3) and never argues: the order keeps
        what was asked and what the customer was told.

        Raises:
            InvalidInput: The request or the explanation is empty.
        """
        self._may("record_out_of_scope")
        asked = _validate.text("request", request, max_length=500, multiline=True)
        told = _validate.text("explanation", explanation, max_length=500, multiline=True)
        return self._commit(
            self._event(
                EventKind.OUT_OF_SCOPE_REQUESTED,
                self._when(at),
                by,
                request=asked,
                explanation=told,
            )
        )

    def finish_work(self, *, at: dt.datetime, by: str) -> Event:
        """Record the end of the work: the order awaits the customer's signature."""
        self._may("finish_work")
        return self._commit(self._event(EventKind.WORK_FINISHED, self._when(at), by))

    def sign(self, *, signer: str, role: SignerRole | str, at: dt.datetime, by: str) -> Event:
        """The customer signs the work sheet (W2), once the checklist is complete.

        Raises:
            ChecklistIncomplete: Items are still open; each is listed.
        """
        self._may("sign")
        when = self._when(at)
        signature = sign_off_in_order(
            self._s.work.checklist, self._s.work.worksheet, signer, role, when
        )
        # The payload keeps the signer's name personal in every export (G1).
        return self._commit(
            self._event(EventKind.SIGNED, when, by, signature=signature), made=signature
        )

    def complete(self, *, at: dt.datetime, by: str) -> Event:
        """Complete the order (竣工); a repair is cleared (销障, F4's clock stops).

        Raises:
            ChecklistIncomplete: The checklist is not complete.
            TransitionNotAllowed: Nothing signed, or the signature no longer
                matches the checklist and work sheet (W2).
        """
        self._may("complete")
        open_items = check_sign_off(self._s.work.checklist, self._s.work.worksheet)
        if open_items:
            msg = f"order {_validate.shown_id(self.id)} cannot be completed: the checklist is not complete"
            raise ChecklistIncomplete(msg, violations=open_items)
        when = self._when(at)
        events = [self._event(EventKind.COMPLETED, when, by)]
        if self.kind is OrderKind.REPAIR:
            events.append(self._event(EventKind.CLEARED, when, by))
        return self._commit(*events)

    def close(self, *, at: dt.datetime, by: str) -> Event:
        """Close (归档) a completed or cleared order."""
        self._may("close")
        return self._commit(self._event(EventKind.CLOSED, self._when(at), by))

    # -- repair (F1-F3) --

    def triage(self, *, remote_possible: bool, at: dt.datetime, by: str) -> Event:
        """Judge whether the fault can be handled remotely (F1)."""
        self._may("triage")
        _is(remote_possible, bool, "remote_possible")
        return self._commit(
            self._event(EventKind.TRIAGED, self._when(at), by, remote_possible=remote_possible)
        )

    def guide(self, *, at: dt.datetime, by: str) -> Event:
        """Guide the customer remotely by phone (F1); the follow-up clock starts (F2)."""
        self._may("guide")
        if not self._s.facts.remote_possible:
            text = "triage judged the fault not fit for remote handling; request a visit"
            msg = f"cannot guide remotely: {text}"
            raise TransitionNotAllowed(msg, violations=(Violation("F1", "not_remote", text),))
        return self._commit(self._event(EventKind.REMOTE_GUIDANCE_GIVEN, self._when(at), by))

    def follow_up(self, *, solved: bool, at: dt.datetime, by: str) -> Event:
        """Follow up after remote guidance (F2): solved clears the fault (销障), else a visit."""
        self._may("follow_up")
        _is(solved, bool, "solved")
        when = self._when(at)
        events = [self._event(EventKind.FOLLOWED_UP, when, by, solved=solved)]
        if solved:
            events.append(self._event(EventKind.CLEARED, when, by))
        return self._commit(*events)

    def request_visit(self, *, at: dt.datetime, by: str, reason: str) -> Event:
        """The customer is unwilling, or guidance cannot help: agree a visit (F3)."""
        self._may("request_visit")
        why = _validate.text("reason", reason, max_length=500, multiline=True)
        return self._commit(self._event(EventKind.VISIT_NEEDED, self._when(at), by, reason=why))

    # -- any open order (G2, G3, G4) --

    def cancel(self, *, at: dt.datetime, by: str, reason: str) -> Event:
        """Cancel (撤单) an open order; its running clocks stop as cancelled."""
        self._may("cancel")
        why = _validate.text("reason", reason, max_length=500, multiline=True)
        return self._commit(self._event(EventKind.CANCELLED, self._when(at), by, reason=why))

    def hand_over(self, to: str, *, at: dt.datetime, by: str) -> Event:
        """Hand the order to a new owner (G2); only the owner hands it over."""
        self._may("hand_over")
        new_owner = _validate.identifier("to", to)
        if by != self._s.facts.owner:
            text = (
                f"only the owner ({_validate.staff_text(self._s.facts.owner)}) hands the order over"
            )
            msg = f"cannot hand over order {_validate.shown_id(self.id)}: {text}"
            raise TransitionNotAllowed(
                msg,
                violations=(Violation("G2", "not_owner", text),),
            )
        return self._commit(self._event(EventKind.HANDED_OVER, self._when(at), by, to=new_owner))

    def pause_clocks(self, reason: str, *, at: dt.datetime, by: str) -> Event:
        """Pause the tiered SLA clocks at the customer's request (G4).

        Args:
            reason: ``"customer_request"`` or ``"waiting_for_customer"``: only the
                customer pauses a clock; a provider delay never does.
            at: When the customer asked.
            by: Who recorded it.
        """
        self._may("pause_clocks")
        if reason not in ("customer_request", "waiting_for_customer"):
            text = "only the customer pauses a clock: customer_request or waiting_for_customer"
            msg = f"cannot pause: {text}"
            raise InvalidInput(
                msg,
                violations=(Violation("G4", "not_a_customer_reason", text),),
            )
        return self._commit(self._event(EventKind.CLOCK_PAUSED, self._when(at), by, reason=reason))

    def resume_clocks(self, *, at: dt.datetime, by: str) -> Event:
        """Resume the clocks the customer paused."""
        self._may("resume_clocks")
        return self._commit(self._event(EventKind.CLOCK_RESUMED, self._when(at), by))

    def change_tier(self, tier: Tier | str, *, at: dt.datetime, by: str) -> Event:
        """Record a change of the customer's tier (G3); running clocks keep theirs."""
        self._may("change_tier")
        value = _validate.enum_member(Tier, "tier", tier)
        return self._commit(
            self._event(EventKind.TIER_CHANGED, self._when(at), by, tier=value.value)
        )

    # -- JSON --

    def to_dict(self, *, include_personal: bool = False) -> dict[str, Any]:
        """The order as JSON-ready data.

        Args:
            include_personal: Write personal data (names, phones, address detail)
                and secrets (the modem password) in clear. Without it the data is
                safe to show but cannot be restored (G1).
        """
        include_personal = _validate.consent("include_personal", include_personal)
        return {
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "standard": {"name": self.standard.name, "digest": self.standard.digest},
            "customer": customer_to_dict(self.customer, include_personal=include_personal),
            "technicians": [
                technician_to_dict(t, include_personal=include_personal) for t in self._staff
            ],
            "events": [e.to_dict(include_personal=include_personal) for e in self.events],
        }

    def to_json(self, *, include_personal: bool = False) -> str:
        """The order as one line of JSON; see :meth:`to_dict`."""
        return json.dumps(
            self.to_dict(include_personal=include_personal),
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, standard: ServiceStandard | None = None
    ) -> WorkOrder:
        """Restore an order written by :meth:`to_dict` with ``include_personal=True``.

        Raises:
            InvalidInput: A key is missing, a value is wrong, or the data was
                written without personal data.
            InvalidEvent: An event is malformed or out of order.
            TransitionNotAllowed: The events do not follow the workflow.
        """
        if not isinstance(data, Mapping):
            msg = f"an order must be a JSON object (got {type(data).__name__})"
            raise InvalidInput(msg)
        version = read_schema_version(data.get("schema_version", 0))
        allowed = _ORDER_KEYS if version else _ORDER_KEYS_V0
        missing = allowed - {"standard"} - data.keys()
        if missing:
            msg = f"an order needs {', '.join(sorted(missing))}"
            raise InvalidInput(msg)
        if not data.keys() <= allowed:
            msg = f"an order holds {', '.join(sorted(allowed))} only"
            raise InvalidInput(msg)
        raw_events = data["events"]
        if not isinstance(raw_events, list) or not isinstance(data["technicians"], list):
            msg = "an order's events and technicians must be lists"
            raise InvalidInput(msg)
        std = _recorded_standard(data, standard)
        with _nogc.Pause(len(raw_events)):
            events = [Event.from_dict(e) for e in raw_events]
            # Before the customer and technicians are read, whose masked forms say the same
            # in their own words; from_events checks it again for its own callers.
            _refuse_withheld(data["id"], events)
            return cls._restored(
                data["id"],
                customer_from_dict(data["customer"]),
                tuple(events),
                std,
                tuple(technician_from_dict(t) for t in data["technicians"]),
            )

    @classmethod
    def from_json(cls, text: str | bytes, *, standard: ServiceStandard | None = None) -> WorkOrder:
        """Restore an order from :meth:`to_json` output (with ``include_personal=True``).

        >>> import pendulum, fieldservice as fs
        >>> cust = fs.Customer(id="C1", name="张三", phones="13800138000", address="幸福路 1 号")
        >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
        >>> order = fs.WorkOrder.repair(id="WO-9", customer=cust, products={"broadband"},
        ...                             reported_at=t, by="hotline-3")
        >>> back = fs.WorkOrder.from_json(order.to_json(include_personal=True))
        >>> back.events == order.events, back.state
        (True, <State.REPORTED: 'reported'>)
        >>> fs.WorkOrder.from_json(order.to_json())
        Traceback (most recent call last):
        ...
        fieldservice.errors.InvalidInput: customer C1 was exported without personal data; ...
        """
        # A big text is a big log: its decoding makes as many objects as the events do.
        size = len(text) if isinstance(text, str | bytes | bytearray) else 0
        with _nogc.Pause(size >> 10):
            data = _validate.json_or_not(text)
        if data is _validate.NOT_JSON:
            msg = (
                "the order is not valid JSON, or an object in it holds a key twice; "
                "write it with WorkOrder.to_json"
            )
            raise InvalidInput(msg)
        return cls.from_dict(data, standard=standard)

    # -- notebooks and data frames --

    def to_records(self) -> list[dict[str, object]]:
        """One plain dict per event, oldest first, ready for ``pandas.DataFrame``.

        Each record holds the order ID, the instant (``at``, timezone-aware), the
        event kind, its Chinese term, its rule ID and the actor: never the event's
        data, which may hold personal data or secrets (G1).

        >>> import pendulum, fieldservice as fs
        >>> cust = fs.Customer(id="C1", name="张三", phones="13800138000", address="幸福路 1 号")
        >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
        >>> order = fs.WorkOrder.repair(id="WO-9", customer=cust, products={"broadband"},
        ...                             reported_at=t, by="hotline-3")
        >>> _ = order.triage(remote_possible=True, at=t.add(minutes=5), by="hotline-3")
        >>> [(r["kind"], r["label_zh"], r["rule"], r["actor"]) for r in order.to_records()]
        [('reported', '障碍申告', 'F4', 'hotline-3'), ('triaged', '预判', 'F1', 'hotline-3')]

        .. versionadded:: 0.1.0
        """
        from fieldservice import views  # views imports this module

        return views.order_records(self)

    def _repr_html_(self) -> str:
        """Show the order in a notebook: its state, products, tier and timeline.

        The timeline has one row per event (time in the standard's timezone, kind,
        Chinese term, rule, actor). Nothing personal is shown (G1): no name, phone
        or address, and no event data. Every text is HTML-escaped.

        >>> import pendulum, fieldservice as fs
        >>> cust = fs.Customer(id="C1", name="张三", phones="13800138000", address="幸福路 1 号")
        >>> t = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
        >>> order = fs.WorkOrder.repair(id="WO-9", customer=cust, products={"broadband"},
        ...                             reported_at=t, by="hotline-3")
        >>> page = order._repr_html_()
        >>> "已申告" in page, "2026-11-24 10:00" in page, "张三" in page, "13800138000" in page
        (True, True, False, False)

        .. versionadded:: 0.1.0
        """
        from fieldservice import views  # views imports this module

        return views.order_html(self)


# Until 0.2 plan_route lived here; ``from fieldservice.workflow import plan_route`` keeps
# working. It loads on use: fieldservice.routes imports this module.
def __getattr__(name: str) -> Any:
    if name == "plan_route":
        from fieldservice.routes import plan_route

        return plan_route
    msg = f"module 'fieldservice.workflow' has no attribute {name!r}"
    raise AttributeError(msg)

"""The work sheet (施工单, W1): materials, technical parameters, technicians and the opinion.

Before the customer signs (W2) the technician fills in the work sheet; the
customer's opinion records whether they are satisfied and, if not, what was
done about it (W3).

The words of materials and parameters (皮线光缆, 收光功率 -18.5 dBm) are shown and
exported as written: a command refuses text that holds a phone number (G1), and
no customer's name belongs there either.

>>> from fieldservice.worksheet import CustomerOpinion, WorkSheet
>>> sheet = WorkSheet(technicians=["T7"]).add_material("皮线光缆", "20", "m")
>>> sheet.with_opinion(CustomerOpinion(satisfied=True)).opinion.satisfied
True
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping
from typing import Any, Final, TypeVar

import attrs

from fieldservice import _jsondata, _labels, _validate
from fieldservice.errors import InvalidInput, Violation
from fieldservice.model import FreeText

__all__ = [
    "CustomerOpinion",
    "Material",
    "Remedy",
    "TechnicalParameter",
    "WorkSheet",
]


class Remedy(_labels.Labelled):
    """What was done about a dissatisfied customer (W3): resolved, or explained.

    >>> Remedy.EXPLAINED.label_zh
    '给予合理解释'

    .. versionadded:: 0.1.0
    """

    RESOLVED = "resolved"
    EXPLAINED = "explained"


_labels.add_labels(
    {
        Remedy.RESOLVED: ("及时处理解决", "resolved on the spot"),
        Remedy.EXPLAINED: ("给予合理解释", "explained to the customer"),
    }
)


def _to_remedy(value: object) -> Remedy | None:
    return None if value is None else _validate.enum_member(Remedy, "remedy", value)


_MAX_QUANTITY: Final = decimal.Decimal(1_000_000)


_QUANTITY_PLACES: Final = 4


def _quantity(value: object) -> decimal.Decimal:
    hint = f"a positive number up to {_MAX_QUANTITY} with at most {_QUANTITY_PLACES} decimals"
    if isinstance(value, bool) or not isinstance(value, int | float | str | decimal.Decimal):
        msg = f"material quantity must be {hint} (got {type(value).__name__})"
        raise InvalidInput(msg)
    try:
        # A float goes through its shortest repr, so 0.1 stays 0.1.
        number = decimal.Decimal(repr(value) if isinstance(value, float) else value)
    except (decimal.InvalidOperation, ValueError):
        # Refused below, outside the handler: a float subclass's own __repr__ may raise
        # with any text, and __context__ would keep it (G1).
        number = decimal.Decimal("NaN")
    if not number.is_finite() or not 0 < number <= _MAX_QUANTITY:
        msg = f"material quantity must be {hint}"
        raise InvalidInput(msg)
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -_QUANTITY_PLACES:
        msg = f"material quantity must be {hint}"
        raise InvalidInput(msg)
    # One written form per value, so that equal sheets have equal digests.
    return decimal.Decimal(format(number.normalize(), "f"))


def _material_name(value: object) -> str:
    return _jsondata.text("material name", value, max_length=100)


def _unit(value: object) -> str:
    return _jsondata.text("unit", value, max_length=20)


def _optional_unit(value: object) -> str:
    return "" if value == "" else _unit(value)


def _parameter_name(value: object) -> str:
    return _jsondata.text("parameter name", value, max_length=100)


def _parameter_value(value: object) -> str:
    return _jsondata.text("parameter value", value, max_length=200)


_T = TypeVar("_T")


def _read(cls: type[_T], **fields: object) -> _T:
    """A value of ``cls`` from fields its converters have checked, as a log holds them.

    No ``__attrs_post_init__``: what a command refuses (a phone, G1), an older log
    may hold, and a reader reads what was written.
    """
    made = object.__new__(cls)
    for name, value in fields.items():
        object.__setattr__(made, name, value)
    return made


@attrs.frozen
class Material:
    """A material used on the visit, as the work sheet lists it (W1).

    The name and unit are shown and exported as written: text that holds a phone
    number is refused (G1). A log written before that rule is read back as it is
    (:meth:`from_dict`), and such text is not shown in the ``repr``.

    Args:
        name: What was used (皮线光缆, 水晶头, ...).
        quantity: How much: an int, a decimal text or a :class:`decimal.Decimal`,
            positive, with at most 4 decimals.
        unit: The unit (m, 个, ...).

    Raises:
        InvalidInput: Empty name or unit, a quantity out of range, or a name or
            unit that holds a phone number (G1): they are shown and exported as
            written.

    >>> Material("皮线光缆", "20.50", "m")
    Material(name='皮线光缆', quantity=Decimal('20.5'), unit='m')

    .. versionadded:: 0.1.0
    """

    name: str = attrs.field(converter=_material_name, repr=_validate.text_repr)
    quantity: decimal.Decimal = attrs.field(converter=_quantity)
    unit: str = attrs.field(converter=_unit, repr=_validate.text_repr)

    def __attrs_post_init__(self) -> None:
        _validate.no_phone("material name", self.name)
        _validate.no_phone("unit", self.unit)

    def to_dict(self) -> dict[str, Any]:
        """Return the material as JSON-ready data; the quantity is decimal text.

        >>> Material("水晶头", 2, "个").to_dict()
        {'name': '水晶头', 'quantity': '2', 'unit': '个'}
        """
        return {"name": self.name, "quantity": format(self.quantity, "f"), "unit": self.unit}

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> Material:
        """Rebuild a material from :meth:`to_dict` output.

        >>> Material.from_dict({"name": "水晶头", "quantity": "2", "unit": "个"}).quantity
        Decimal('2')
        """
        data = _jsondata.json_object(value, "material", ("name", "quantity", "unit"))
        # What a log holds is read as written, a phone an older version took included.
        return _read(
            cls,
            name=_material_name(data["name"]),
            quantity=_quantity(data["quantity"]),
            unit=_unit(data["unit"]),
        )


@attrs.frozen
class TechnicalParameter:
    """A technical parameter recorded on the work sheet (W1), as read on site.

    Its name, value and unit are shown and exported as written: text that holds a
    phone number is refused (G1). A log written before that rule is read back as it
    is (:meth:`from_dict`), and such text is not shown in the ``repr``.

    Args:
        name: What was measured or set (收光功率, VLAN, ...).
        value: The value as written, e.g. ``"-18.5"``.
        unit: The unit, or ``""`` for none.

    Raises:
        InvalidInput: An empty name or value, or text that holds a phone number
            (G1): it is shown and exported as written.

    >>> TechnicalParameter("收光功率", "-18.5", "dBm")
    TechnicalParameter(name='收光功率', value='-18.5', unit='dBm')

    .. versionadded:: 0.1.0
    """

    name: str = attrs.field(converter=_parameter_name, repr=_validate.text_repr)
    value: str = attrs.field(converter=_parameter_value, repr=_validate.text_repr)
    unit: str = attrs.field(default="", converter=_optional_unit, repr=_validate.text_repr)

    def __attrs_post_init__(self) -> None:
        _validate.no_phone("parameter name", self.name)
        _validate.no_phone("parameter value", self.value)
        _validate.no_phone("unit", self.unit)

    def to_dict(self) -> dict[str, Any]:
        """Return the parameter as JSON-ready data.

        >>> TechnicalParameter("VLAN", "100").to_dict()
        {'name': 'VLAN', 'value': '100', 'unit': ''}
        """
        return {"name": self.name, "value": self.value, "unit": self.unit}

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> TechnicalParameter:
        """Rebuild a parameter from :meth:`to_dict` output.

        >>> TechnicalParameter.from_dict({"name": "VLAN", "value": "100", "unit": ""}).value
        '100'
        """
        data = _jsondata.json_object(value, "technical parameter", ("name", "value", "unit"))
        # What a log holds is read as written, a phone an older version took included.
        return _read(
            cls,
            name=_parameter_name(data["name"]),
            value=_parameter_value(data["value"]),
            unit=_optional_unit(data["unit"]),
        )


def _satisfied(value: object) -> bool:
    return _jsondata.flag("satisfied", value)


def _optional_action(value: object) -> FreeText | None:
    # What was done or explained may name the customer: personal words (G1).
    return (
        None if value is None else _jsondata.words("action", value, max_length=500, multiline=True)
    )


@attrs.frozen
class CustomerOpinion:
    """The customer's opinion asked for on the work sheet (W2), and what was done about it (W3).

    A dissatisfied customer's opinion needs the remedy (resolved on the spot,
    or explained) and what was done; a satisfied one has neither.

    Args:
        satisfied: Whether the customer is satisfied (满意 / 不满意).
        remedy: For a dissatisfied customer: :class:`Remedy` or its value.
        action: For a dissatisfied customer: what was done or explained.

    Raises:
        InvalidInput: The remedy or action is missing for a dissatisfied
            customer, or given for a satisfied one; ``violations`` name W3.

    >>> CustomerOpinion(satisfied=False, remedy="resolved", action="重新整理了走线").remedy
    <Remedy.RESOLVED: 'resolved'>
    >>> CustomerOpinion(satisfied=False)
    Traceback (most recent call last):
    ...
    fieldservice.errors.InvalidInput: a dissatisfied customer's opinion needs ... ([W3/outcome_missing] ...)

    .. versionadded:: 0.1.0
    """

    satisfied: bool = attrs.field(converter=_satisfied)
    remedy: Remedy | None = attrs.field(kw_only=True, default=None, converter=_to_remedy)
    action: FreeText | None = attrs.field(kw_only=True, default=None, converter=_optional_action)

    def __attrs_post_init__(self) -> None:
        outcome = (self.remedy is not None, self.action is not None)
        if not self.satisfied and outcome != (True, True):
            msg = (
                "a dissatisfied customer's opinion needs the remedy (resolved or explained) "
                "and what was done"
            )
            raise InvalidInput(
                msg,
                violations=(
                    Violation("W3", "outcome_missing", "record how the dissatisfaction was met"),
                ),
            )
        if self.satisfied and any(outcome):
            msg = "a satisfied customer's opinion has no remedy or action; leave them out"
            raise InvalidInput(msg)

    def to_dict(self, *, include_personal: bool = False) -> dict[str, Any]:
        """Return the opinion as JSON-ready data; ``action`` masked unless ``include_personal``.

        >>> CustomerOpinion(satisfied=True).to_dict()
        {'satisfied': True, 'remedy': None, 'action': None}
        >>> redone = CustomerOpinion(satisfied=False, remedy="resolved", action="重新整理了走线")
        >>> redone.to_dict()["action"], redone.to_dict(include_personal=True)["action"]
        ({'$secret': None}, '重新整理了走线')
        """
        form = _jsondata.form_of(include_personal)
        return {
            "satisfied": self.satisfied,
            "remedy": None if self.remedy is None else self.remedy.value,
            "action": None if self.action is None else _jsondata.free_text(self.action, form),
        }

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> CustomerOpinion:
        """Rebuild an opinion from :meth:`to_dict` output.

        >>> CustomerOpinion.from_dict({"satisfied": True, "remedy": None, "action": None})
        CustomerOpinion(satisfied=True, remedy=None, action=None)
        """
        data = _jsondata.json_object(value, "customer opinion", ("satisfied", "remedy", "action"))
        return cls(data["satisfied"], remedy=data["remedy"], action=data["action"])


def _to_technicians(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        msg = "technicians must be a sequence of technician IDs such as ['T7']"
        raise InvalidInput(msg)
    ids = tuple(_validate.person_id("technician id", t) for t in value)  # as Technician (G1)
    if len(set(ids)) != len(ids):
        msg = "technicians lists an ID twice; give each technician once"
        raise InvalidInput(msg)
    return ids


def _to_materials(value: object) -> tuple[Material, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(m, Material) for m in value):
        msg = "materials must be a sequence of Material"
        raise InvalidInput(msg)
    return tuple(value)


def _to_parameters(value: object) -> tuple[TechnicalParameter, ...]:
    if not isinstance(value, list | tuple) or not all(
        isinstance(p, TechnicalParameter) for p in value
    ):
        msg = "parameters must be a sequence of TechnicalParameter"
        raise InvalidInput(msg)
    return tuple(value)


def _optional_opinion(value: object) -> CustomerOpinion | None:
    if value is None or isinstance(value, CustomerOpinion):
        return value
    msg = f"opinion must be a CustomerOpinion (got {type(value).__name__})"
    raise InvalidInput(msg)


@attrs.frozen
class WorkSheet:
    """The work sheet (施工单) filled in on the spot (W1) and signed by the customer (W2).

    Materials and parameters are shown and exported as written (G1): the ``repr``, the
    ``worksheet_updated`` event, the order's JSON and its event tables carry them in
    clear, so that a work sheet stays readable (皮线光缆 20 m, 收光功率 -18.5 dBm).
    Staff must not write a customer's name or phone number there. A phone number is
    refused wherever a material or parameter is made (:meth:`add_material`,
    :meth:`add_parameter`, :class:`Material`, :class:`TechnicalParameter`, and a
    new sheet made of materials or parameters read back from an older log); a name
    cannot be told from other words, and is not sought. Only the customer's opinion
    (W3) is personal words, masked unless asked for.

    Args:
        technicians: The IDs of the technicians who did the work.
        materials: What was used (:class:`Material`).
        parameters: What was measured or set (:class:`TechnicalParameter`).
        opinion: The customer's opinion (:class:`CustomerOpinion`), once asked.

    Raises:
        InvalidInput: A field is malformed, a technician is listed twice, or a
            material or parameter holds a phone number (G1).

    >>> sheet = WorkSheet(technicians=["T7"]).add_material("皮线光缆", "20", "m")
    >>> sheet = sheet.add_parameter("收光功率", "-18.5", "dBm")
    >>> sheet.materials[0].quantity, sheet.opinion is None
    (Decimal('20'), True)
    >>> sheet.add_parameter("回拨", "139 1234 5678")
    Traceback (most recent call last):
    ...
    fieldservice.errors.InvalidInput: parameter value must not hold a phone number (G1): ...

    .. versionadded:: 0.1.0
    """

    technicians: tuple[str, ...] = attrs.field(kw_only=True, default=(), converter=_to_technicians)
    materials: tuple[Material, ...] = attrs.field(kw_only=True, default=(), converter=_to_materials)
    parameters: tuple[TechnicalParameter, ...] = attrs.field(
        kw_only=True, default=(), converter=_to_parameters
    )
    opinion: CustomerOpinion | None = attrs.field(
        kw_only=True, default=None, converter=_optional_opinion
    )

    def __attrs_post_init__(self) -> None:
        # A material or parameter read back from an older log may hold a phone: a new
        # sheet (and so every command on one) does not take it on (G1).
        for material in self.materials:
            _validate.no_phone("a material name on the work sheet", material.name)
            _validate.no_phone("a material unit on the work sheet", material.unit)
        for parameter in self.parameters:
            for text in (parameter.name, parameter.value, parameter.unit):
                _validate.no_phone("a technical parameter on the work sheet", text)

    def add_material(
        self, name: str, quantity: int | str | decimal.Decimal, unit: str
    ) -> WorkSheet:
        """Return a sheet with one more material.

        >>> WorkSheet().add_material("水晶头", 2, "个").materials
        (Material(name='水晶头', quantity=Decimal('2'), unit='个'),)
        """
        return attrs.evolve(self, materials=(*self.materials, Material(name, quantity, unit)))

    def add_parameter(self, name: str, value: str, unit: str = "") -> WorkSheet:
        """Return a sheet with one more technical parameter.

        >>> WorkSheet().add_parameter("VLAN", "100").parameters[0].name
        'VLAN'
        """
        return attrs.evolve(
            self, parameters=(*self.parameters, TechnicalParameter(name, value, unit))
        )

    def with_opinion(self, opinion: CustomerOpinion) -> WorkSheet:
        """Return a sheet with the customer's opinion recorded (W2, W3).

        >>> WorkSheet().with_opinion(CustomerOpinion(satisfied=True)).opinion.satisfied
        True
        """
        return attrs.evolve(self, opinion=opinion)

    def to_dict(self, *, include_personal: bool = False) -> dict[str, Any]:
        """Return the sheet as JSON-ready data; the opinion's words masked unless ``include_personal``.

        >>> WorkSheet(technicians=["T7"]).to_dict()
        {'technicians': ['T7'], 'materials': [], 'parameters': [], 'opinion': None}
        """
        opinion = self.opinion
        return {
            "technicians": list(self.technicians),
            "materials": [m.to_dict() for m in self.materials],
            "parameters": [p.to_dict() for p in self.parameters],
            "opinion": None
            if opinion is None
            else opinion.to_dict(include_personal=include_personal),
        }

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> WorkSheet:
        """Rebuild a sheet from :meth:`to_dict` output, exactly.

        A log is read as it was written: a material or parameter that holds a phone
        number, which an older version took, is read too (and not shown in a ``repr``).

        Raises:
            InvalidInput: A key is missing or unknown, or a value is wrong.

        >>> sheet = WorkSheet(technicians=["T7"]).add_material("水晶头", 2, "个")
        >>> WorkSheet.from_dict(sheet.to_dict()) == sheet
        True
        >>> old = {"name": "回拨", "value": "13912345678", "unit": ""}
        >>> WorkSheet.from_dict({"technicians": ["T7"], "materials": [], "parameters": [old],
        ...                      "opinion": None}).parameters
        (TechnicalParameter(name='回拨', value=(text not shown), unit=''),)
        """
        data = _jsondata.json_object(
            value, "work sheet", ("technicians", "materials", "parameters", "opinion")
        )
        opinion = data["opinion"]
        materials = [
            Material.from_dict(m) for m in _jsondata.json_array(data["materials"], "materials")
        ]
        parameters = [
            TechnicalParameter.from_dict(p)
            for p in _jsondata.json_array(data["parameters"], "parameters")
        ]
        return _read(
            cls,
            technicians=_to_technicians(
                _jsondata.json_array(data["technicians"], "work sheet technicians")
            ),
            materials=_to_materials(materials),
            parameters=_to_parameters(parameters),
            opinion=None if opinion is None else CustomerOpinion.from_dict(opinion),
        )

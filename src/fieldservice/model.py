"""Who and what a home visit is about: customers, technicians, products, tiers.

Everything here is a frozen, slotted value compared by value. Personal data
(a customer's name, phones and address detail) is wrapped so that ``repr``,
``str`` and f-strings show it masked (G1); each wrapper has an explicit
``reveal()`` for the code that really needs the full value.

>>> import fieldservice as fs
>>> cust = fs.Customer(
...     id="C1", name="张三", tier=fs.Tier.GOLD, phones="138 0013 8000",
...     address=fs.Address(region="上海市浦东新区", detail="张江路 100 弄 5 号 302"),
... )
>>> cust
Customer(id='C1', name=PersonalName('张*'), tier=<Tier.GOLD: 'gold'>, phones=(ContactPhone('+86 138****8000'),), address=Address(region='上海市浦东新区', detail='***'), language='zh-CN', area=<Area.CITY: 'city'>)
>>> cust.phones[0].reveal()
'+8613800138000'
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable

import attrs

from fieldservice import _validate
from fieldservice.errors import InvalidInput, InvalidPhoneNumber

__all__ = [
    "Address",
    "Area",
    "ContactPhone",
    "Customer",
    "OrderKind",
    "Party",
    "PersonalName",
    "Product",
    "Secret",
    "Technician",
    "Tier",
    "customer_from_dict",
    "customer_to_dict",
    "technician_from_dict",
    "technician_to_dict",
]


class _Labelled(enum.Enum):
    """An enum whose members carry the seed's Chinese label and an English one."""

    # Members are singletons and compare by identity: hashing them by identity
    # too is C-fast, where Enum.__hash__ hashes the name in Python. Lookups keyed
    # by these members run on every event.
    __hash__ = object.__hash__

    @property
    def label_zh(self) -> str:
        """The member's label in the seed's Chinese terms."""
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The member's label in English."""
        return _LABELS[self][1]


class Tier(_Labelled):
    """A customer's tier (客户等级, G3), ordered by service priority.

    A higher tier compares greater, so ``max()`` picks the customer served
    first and ``sorted(..., reverse=True)`` lists tiers in service order.

    >>> from fieldservice import Tier
    >>> Tier.DIAMOND > Tier.GOLD > Tier.SILVER > Tier.ORDINARY
    True
    >>> [t.label_zh for t in sorted(Tier, reverse=True)]
    ['钻石', '金卡', '银卡', '普通']
    >>> Tier("gold").priority
    2
    """

    DIAMOND = "diamond"
    GOLD = "gold"
    SILVER = "silver"
    ORDINARY = "ordinary"

    @property
    def priority(self) -> int:
        """Service priority, from 3 for diamond down to 0 for ordinary (B7, G3)."""
        return _TIER_PRIORITY[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Tier):
            return NotImplemented
        return self.priority < other.priority

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Tier):
            return NotImplemented
        return self.priority <= other.priority

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Tier):
            return NotImplemented
        return self.priority > other.priority

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Tier):
            return NotImplemented
        return self.priority >= other.priority


class Product(_Labelled):
    """A product a work order installs, moves or repairs.

    >>> from fieldservice import Product
    >>> Product.BROADBAND.label_zh, Product.BROADBAND.label_en
    ('宽带', 'broadband')
    """

    FIXED_LINE = "fixed_line"
    BROADBAND = "broadband"
    IPTV = "iptv"


class OrderKind(_Labelled):
    """What a work order is for: install (装机), move (移机) or repair (修障).

    >>> from fieldservice import OrderKind
    >>> [k.label_zh for k in OrderKind]
    ['装机', '移机', '修障']
    """

    INSTALL = "install"
    MOVE = "move"
    REPAIR = "repair"


class Area(_Labelled):
    """Where the customer lives, for limits that differ by area (F4).

    >>> from fieldservice import Area
    >>> Area.COUNTRYSIDE.label_zh
    '农村'
    """

    CITY = "city"
    COUNTRYSIDE = "countryside"


class Party(_Labelled):
    """Who asked for something, e.g. a reschedule (B8 provider, B9 customer).

    >>> from fieldservice import Party
    >>> Party.CUSTOMER.label_zh
    '客户'
    """

    CUSTOMER = "customer"
    PROVIDER = "provider"


_LABELS: dict[enum.Enum, tuple[str, str]] = {
    Tier.DIAMOND: ("钻石", "diamond"),
    Tier.GOLD: ("金卡", "gold"),
    Tier.SILVER: ("银卡", "silver"),
    Tier.ORDINARY: ("普通", "ordinary"),
    Product.FIXED_LINE: ("固话", "fixed line"),
    Product.BROADBAND: ("宽带", "broadband"),
    Product.IPTV: ("IPTV", "IPTV"),
    OrderKind.INSTALL: ("装机", "install"),
    OrderKind.MOVE: ("移机", "move"),
    OrderKind.REPAIR: ("修障", "repair"),
    Area.CITY: ("城市", "city"),
    Area.COUNTRYSIDE: ("农村", "countryside"),
    Party.CUSTOMER: ("客户", "customer"),
    Party.PROVIDER: ("装维方", "provider"),
}

_TIER_PRIORITY = {Tier.DIAMOND: 3, Tier.GOLD: 2, Tier.SILVER: 1, Tier.ORDINARY: 0}


# --- converters at the boundary ------------------------------------------------


def _name_text(value: object) -> str:
    return _validate.text("name", value, max_length=100)


def _region_text(value: object) -> str:
    return "" if value == "" else _validate.text("address region", value)


def _detail_text(value: object) -> str:
    return _validate.text("address detail", value, max_length=300)


def _customer_id(value: object) -> str:
    return _validate.identifier("customer id", value)


def _technician_id(value: object) -> str:
    return _validate.identifier("technician id", value)


def _certificate(value: object) -> str:
    return _validate.identifier("certificate number", value)


def _to_tier(value: object) -> Tier:
    return _validate.enum_member(Tier, "customer tier", value)


def _to_area(value: object) -> Area:
    return _validate.enum_member(Area, "customer area", value)


# --- personal data (G1) -------------------------------------------------------


def _mask_name(name: str) -> str:
    # One visible character is enough for a technician to greet the right person.
    return name[0] + "*" * max(1, min(len(name) - 1, 3))


@attrs.frozen(repr=False)
class PersonalName:
    """A person's name, masked wherever it is shown (G1).

    >>> from fieldservice import PersonalName
    >>> name = PersonalName("张三丰")
    >>> name, str(name), f"{name}"
    (PersonalName('张**'), '张**', '张**')
    >>> name.reveal()
    '张三丰'
    """

    _value: str = attrs.field(converter=_name_text)

    def reveal(self) -> str:
        """Return the full name. Call it only where the name is really needed."""
        return self._value

    def __str__(self) -> str:
        return _mask_name(self._value)

    def __repr__(self) -> str:
        return f"PersonalName({str(self)!r})"


def _to_name(value: PersonalName | str) -> PersonalName:
    return value if isinstance(value, PersonalName) else PersonalName(value)


def _to_coordinates(value: object) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        lat, lon = (float(v) for v in value)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        lat = lon = float("nan")
    # The message never shows the value: coordinates locate a person (G1).
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or isinstance(value, str):
        msg = "address coordinates must be a (latitude, longitude) pair in degrees"
        raise InvalidInput(msg)
    return (lat, lon)


@attrs.frozen(repr=False)
class Address:
    """A customer's address: a coarse ``region`` that may be shown, and a private ``detail``.

    ``region`` (city and district, e.g. ``上海市浦东新区``) is what a route plan
    or a calendar may show; ``detail`` (street, building, flat) stays masked.

    >>> from fieldservice import Address
    >>> addr = Address(region="上海市浦东新区", detail="张江路 100 弄 5 号 302")
    >>> addr
    Address(region='上海市浦东新区', detail='***')
    >>> addr.reveal()
    '上海市浦东新区 张江路 100 弄 5 号 302'

    ``coordinates`` (latitude, longitude in degrees) place the customer for the
    day plan; they are personal data like the detail, and masked the same way.

    >>> Address(region="浦东", detail="x", coordinates=(31.2, 121.6))
    Address(region='浦东', detail='***', coordinates='***')
    """

    region: str = attrs.field(converter=_region_text)
    _detail: str = attrs.field(alias="detail", converter=_detail_text)
    coordinates: tuple[float, float] | None = attrs.field(
        default=None, kw_only=True, converter=_to_coordinates
    )

    def reveal(self) -> str:
        """Return the full address, region first."""
        return f"{self.region} {self._detail}".strip()

    def __str__(self) -> str:
        return f"{self.region} ***".strip()

    def __repr__(self) -> str:
        place = "" if self.coordinates is None else ", coordinates='***'"
        return f"Address(region={self.region!r}, detail='***'{place})"


def _to_address(value: Address | str) -> Address:
    return value if isinstance(value, Address) else Address(region="", detail=value)


_E164 = re.compile(r"\+[1-9]\d{5,14}")


@attrs.frozen(repr=False)
class ContactPhone:
    """A validated contact number in E.164 form, masked when shown (C3, G1).

    Build one with :meth:`parse`, which accepts the ways people write numbers;
    the default region is China (``CN``).

    >>> from fieldservice import ContactPhone
    >>> phone = ContactPhone.parse("138 0013 8000")
    >>> phone
    ContactPhone('+86 138****8000')
    >>> phone.reveal()
    '+8613800138000'
    >>> ContactPhone.parse("010-8888 6666").reveal()          # a Beijing landline
    '+861088886666'
    >>> ContactPhone.parse("020 7946 0018", region="GB").country_code
    44
    """

    e164: str = attrs.field()
    country_code: int = attrs.field()

    @e164.validator
    def _check(self, _: attrs.Attribute[str], value: str) -> None:
        if not isinstance(value, str) or not _E164.fullmatch(value):
            msg = "e164 must be '+' and 6-15 digits; use ContactPhone.parse() for other forms"
            raise InvalidPhoneNumber(msg)
        if not value.startswith(f"+{self.country_code}"):
            msg = "e164 does not start with its country_code; use ContactPhone.parse()"
            raise InvalidPhoneNumber(msg)

    @classmethod
    def parse(cls, text: str, region: str = "CN") -> ContactPhone:
        """Parse and validate a phone number as people write it.

        Args:
            text: The number: ``"138 0013 8000"``, ``"+86 10 8888 6666"``, ...
            region: ISO 3166 region for numbers written without ``+`` (default ``CN``).

        Raises:
            InvalidPhoneNumber: ``text`` is not a valid number for that region.

        >>> ContactPhone.parse("12345")
        Traceback (most recent call last):
        ...
        fieldservice.errors.InvalidPhoneNumber: not a valid phone number for region CN; ...

        """
        # phonenumbers loads its metadata on import: pay for it only when parsing.
        import phonenumbers

        if not isinstance(text, str) or not isinstance(region, str):
            msg = "phone number and region must be text"
            raise InvalidPhoneNumber(msg)
        hint = "give a mobile number or a landline with its area code"
        try:
            number = phonenumbers.parse(text, region.upper())
        except phonenumbers.NumberParseException:
            msg = f"not a valid phone number for region {region}; {hint}"
            raise InvalidPhoneNumber(msg) from None
        if not phonenumbers.is_valid_number(number):
            msg = f"not a valid phone number for region {region}; {hint}"
            raise InvalidPhoneNumber(msg)
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return cls(e164=e164, country_code=int(number.country_code or 0))

    @property
    def masked(self) -> str:
        """The number as shown, the country code then the national number masked."""
        national = self.e164[len(str(self.country_code)) + 1 :]
        if len(national) >= 8:
            national = national[:3] + "*" * (len(national) - 7) + national[-4:]
        else:
            national = "*" * (len(national) - 2) + national[-2:]
        return f"+{self.country_code} {national}"

    def reveal(self) -> str:
        """Return the full number in E.164 form."""
        return self.e164

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"ContactPhone({self.masked!r})"


def _to_phones(
    value: ContactPhone | str | Iterable[ContactPhone | str],
) -> tuple[ContactPhone, ...]:
    if isinstance(value, ContactPhone | str):
        value = (value,)
    try:
        items = tuple(value)
    except TypeError:
        msg = f"phones must be a number or a sequence of numbers (got {type(value).__name__})"
        raise InvalidInput(msg) from None
    phones = tuple(p if isinstance(p, ContactPhone) else ContactPhone.parse(p) for p in items)
    if not phones:
        msg = "a customer needs at least one contact phone (C3)"
        raise InvalidInput(msg)
    return phones


_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def _language(value: object) -> str:
    if not isinstance(value, str) or not _LANGUAGE_TAG.fullmatch(value):
        msg = "language must be a BCP 47 tag such as 'zh-CN' (Mandarin) or 'yue' (Cantonese)"
        raise InvalidInput(msg)
    return value


@attrs.frozen
class Customer:
    """A customer (用户) of the operator, as a work order needs them.

    Args:
        id: The operator's customer ID.
        name: The customer's name; shown masked (G1).
        tier: The customer's tier (G3); a :class:`Tier` or its value.
        phones: One or more contact numbers (C3): a string, a :class:`ContactPhone`,
            or a sequence of them. Strings are parsed with region ``CN``.
        address: An :class:`Address`, or text that becomes its private detail.
        language: A BCP 47 tag of the language to serve the customer in (C5):
            ``"zh-CN"`` (Mandarin, the default), ``"yue"`` (Cantonese), ...
        area: City or countryside, for limits that differ by area (F4).

    >>> from fieldservice import Customer, Tier
    >>> c = Customer(id="C7", name="李四", tier="diamond", phones=["13900139000"], address="幸福路 1 号")
    >>> c.tier, str(c.name), str(c.address)
    (<Tier.DIAMOND: 'diamond'>, '李*', '***')
    >>> c.personal_data()["phones"]
    ('+8613900139000',)

    """

    id: str = attrs.field(converter=_customer_id)
    name: PersonalName = attrs.field(converter=_to_name)
    tier: Tier = attrs.field(default=Tier.ORDINARY, converter=_to_tier)
    phones: tuple[ContactPhone, ...] = attrs.field(kw_only=True, converter=_to_phones)
    address: Address = attrs.field(kw_only=True, converter=_to_address)
    language: str = attrs.field(kw_only=True, default="zh-CN", converter=_language)
    area: Area = attrs.field(kw_only=True, default=Area.CITY, converter=_to_area)

    def personal_data(self) -> dict[str, object]:
        """Return the personal fields in full (G1: call only where they are needed)."""
        return {
            "name": self.name.reveal(),
            "phones": tuple(p.reveal() for p in self.phones),
            "address": self.address.reveal(),
        }


def _optional_phone(value: ContactPhone | str | None) -> ContactPhone | None:
    if value is None or isinstance(value, ContactPhone):
        return value
    return ContactPhone.parse(value)


@attrs.frozen
class Technician:
    """An installation and maintenance technician (装维人员).

    Args:
        id: The technician's staff ID.
        name: The technician's name; shown masked like a customer's (G1).
        certificate: The number of the service qualification certificate
            (服务资格证) shown at the door (S1).
        phone: A contact number, used only where personal data is asked for.

    >>> from fieldservice import Technician
    >>> Technician(id="T7", name="王五", certificate="ZW-310-0042")
    Technician(id='T7', name=PersonalName('王*'), certificate='ZW-310-0042', phone=None)

    """

    id: str = attrs.field(converter=_technician_id)
    name: PersonalName = attrs.field(converter=_to_name)
    certificate: str = attrs.field(converter=_certificate)
    phone: ContactPhone | None = attrs.field(default=None, kw_only=True, converter=_optional_phone)


# --- secrets (G1) ----------------------------------------------------------------

_MASK = "******"
_SECRET_MAX = 500
_SECRET_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _secret_text(value: object) -> str:
    # Messages here never show the value, nor its length: both would leak it (G1).
    if not isinstance(value, str):
        msg = f"a secret must be text (got {type(value).__name__})"
        raise InvalidInput(msg)
    if not value or len(value) > _SECRET_MAX:
        msg = f"a secret must be 1 to {_SECRET_MAX} characters long"
        raise InvalidInput(msg)
    if value != value.strip():
        msg = "a secret must not begin or end with spaces: a printed label cannot show them"
        raise InvalidInput(msg)
    if _SECRET_CONTROL.search(value):
        msg = "a secret contains control characters or line breaks; remove them"
        raise InvalidInput(msg)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        msg = "a secret contains characters that are not valid Unicode text"
        raise InvalidInput(msg) from None
    return value


@attrs.frozen(repr=False)
class Secret:
    """A value that is shown as ``******`` everywhere: ``repr``, ``str`` and f-strings (G1).

    Read it with :meth:`reveal`, only where the clear value is really needed
    (printing the modem label, an export the caller asked to include it in).

    Args:
        value: The secret text: 1-500 characters, no control characters, no
            surrounding spaces.

    Raises:
        InvalidInput: ``value`` is not such text; the message never shows it.

    >>> pw = Secret("k3y-9Q")
    >>> pw, str(pw), f"{pw}", f"{pw:>8}"
    (Secret('******'), '******', '******', '  ******')
    >>> pw.reveal()
    'k3y-9Q'

    .. versionadded:: 0.1.0
    """

    _value: str = attrs.field(alias="value", converter=_secret_text)

    def reveal(self) -> str:
        """Return the clear value. Call it only where it is really needed."""
        return self._value

    def __str__(self) -> str:
        return _MASK

    def __repr__(self) -> str:
        return f"Secret({_MASK!r})"

    def __format__(self, spec: str) -> str:
        # Apply the spec to the mask, so that width and alignment still work.
        return format(_MASK, spec)


# --- serialization ---------------------------------------------------------------

_NOT_RESTORABLE = (
    "was exported without personal data; export it with include_personal=True "
    "to store and restore it"
)


def _require(data: object, keys: tuple[str, ...], what: str) -> dict[str, object]:
    if not isinstance(data, dict):
        msg = f"a {what} must be a JSON object (got {type(data).__name__})"
        raise InvalidInput(msg)
    missing = [k for k in keys if k not in data]
    if missing:
        msg = f"a {what} needs {', '.join(missing)}"
        raise InvalidInput(msg)
    return data


def customer_to_dict(customer: Customer, *, include_personal: bool = False) -> dict[str, object]:
    """Write a customer as JSON-ready data; personal fields are ``None`` unless asked (G1).

    >>> c = Customer(id="C1", name="张三", phones="13800138000", address="幸福路 1 号")
    >>> customer_to_dict(c)["phones"], customer_to_dict(c, include_personal=True)["phones"]
    (None, ['+8613800138000'])
    """
    personal = _validate.consent("include_personal", include_personal)
    address: dict[str, object] = {
        "region": customer.address.region,
        "detail": customer.address._detail if personal else None,
    }
    if customer.address.coordinates is not None:  # the key only where there are some
        address["coordinates"] = list(customer.address.coordinates) if personal else None
    return {
        "id": customer.id,
        "name": customer.name.reveal() if personal else None,
        "tier": customer.tier.value,
        "phones": [p.reveal() for p in customer.phones] if personal else None,
        "address": address,
        "language": customer.language,
        "area": customer.area.value,
    }


def customer_from_dict(data: object) -> Customer:
    """Read a customer written by :func:`customer_to_dict` with ``include_personal=True``.

    Raises:
        InvalidInput: A key is missing or a value is wrong, or the data was
            written without personal data (it cannot be restored).

    >>> c = Customer(id="C1", name="张三", phones="13800138000", address="幸福路 1 号")
    >>> customer_from_dict(customer_to_dict(c, include_personal=True)) == c
    True
    """
    keys = ("id", "name", "tier", "phones", "address", "language", "area")
    d = _require(data, keys, "customer")
    address = _require(d["address"], ("region", "detail"), "customer address")
    if (
        d["name"] is None
        or d["phones"] is None
        or address["detail"] is None
        or ("coordinates" in address and address["coordinates"] is None)
    ):
        msg = f"customer {d['id']!s:.64} {_NOT_RESTORABLE}"
        raise InvalidInput(msg)
    if not isinstance(d["phones"], list):
        msg = "customer phones must be a list of E.164 numbers"
        raise InvalidInput(msg)
    phones = [ContactPhone.parse(p, "CN") if isinstance(p, str) else p for p in d["phones"]]
    return Customer(
        id=d["id"],
        name=d["name"],  # type: ignore[arg-type]
        tier=d["tier"],
        phones=phones,
        address=Address(
            region=address["region"],
            detail=address["detail"],
            coordinates=address.get("coordinates"),
        ),
        language=d["language"],
        area=d["area"],
    )


def technician_to_dict(
    technician: Technician, *, include_personal: bool = False
) -> dict[str, object]:
    """Write a technician as JSON-ready data; name and phone are ``None`` unless asked (G1).

    >>> technician_to_dict(Technician(id="T7", name="王五", certificate="ZW-1"))
    {'id': 'T7', 'name': None, 'certificate': 'ZW-1', 'phone': None}
    """
    include_personal = _validate.consent("include_personal", include_personal)
    return {
        "id": technician.id,
        "name": technician.name.reveal() if include_personal else None,
        "certificate": technician.certificate,
        "phone": technician.phone.reveal() if include_personal and technician.phone else None,
    }


def technician_from_dict(data: object) -> Technician:
    """Read a technician written by :func:`technician_to_dict` with ``include_personal=True``.

    Raises:
        InvalidInput: A key is missing, a value is wrong, or the name was masked.

    >>> t = Technician(id="T7", name="王五", certificate="ZW-1", phone="13901390000")
    >>> technician_from_dict(technician_to_dict(t, include_personal=True)) == t
    True
    """
    d = _require(data, ("id", "name", "certificate", "phone"), "technician")
    if d["name"] is None:
        msg = f"technician {d['id']!s:.64} {_NOT_RESTORABLE}"
        raise InvalidInput(msg)
    return Technician(
        id=d["id"],
        name=d["name"],  # type: ignore[arg-type]
        certificate=d["certificate"],
        phone=d["phone"],  # type: ignore[arg-type]
    )

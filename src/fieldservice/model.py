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
Customer(id='C1', name=PersonalName('张*'), tier=<Tier.GOLD: 'gold'>, phones=(ContactPhone('+86 1******8000'),), address=Address(region='上海市浦东新区', detail='***'), language='zh-CN', area=<Area.CITY: 'city'>)
>>> cust.phones[0].reveal()
'+8613800138000'
"""

from __future__ import annotations

import abc
import re
import sys
import weakref
from collections.abc import Iterable, Iterator, Mapping
from numbers import Real
from typing import Final

import attrs

from fieldservice import _labels, _validate
from fieldservice._bounded import BoundedTable
from fieldservice.errors import InvalidInput, InvalidPhoneNumber

__all__ = [
    "Address",
    "Area",
    "ContactPhone",
    "Customer",
    "DelayCause",
    "FreeText",
    "OrderKind",
    "Party",
    "PersonalName",
    "Product",
    "Secret",
    "Technician",
    "Tier",
    "WithheldText",
    "customer_from_dict",
    "customer_to_dict",
    "technician_from_dict",
    "technician_to_dict",
]


class Tier(_labels.Labelled):
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
    >>> Tier("金卡") is Tier("gold") is Tier.GOLD  # the labels it prints are taken back
    True
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


class Product(_labels.Labelled):
    """A product a work order installs, moves or repairs.

    >>> from fieldservice import Product
    >>> Product.BROADBAND.label_zh, Product.BROADBAND.label_en
    ('宽带', 'broadband')
    """

    FIXED_LINE = "fixed_line"
    BROADBAND = "broadband"
    IPTV = "iptv"


class OrderKind(_labels.Labelled):
    """What a work order is for: install (装机), move (移机) or repair (修障).

    >>> from fieldservice import OrderKind
    >>> [k.label_zh for k in OrderKind]
    ['装机', '移机', '修障']
    """

    INSTALL = "install"
    MOVE = "move"
    REPAIR = "repair"


class Area(_labels.Labelled):
    """Where the customer lives, for limits that differ by area (F4).

    >>> from fieldservice import Area
    >>> Area.COUNTRYSIDE.label_zh
    '农村'
    """

    CITY = "city"
    COUNTRYSIDE = "countryside"


class Party(_labels.Labelled):
    """Who asked for something, e.g. a reschedule (B8 provider, B9 customer).

    >>> from fieldservice import Party
    >>> Party.CUSTOMER.label_zh
    '客户'
    """

    CUSTOMER = "customer"
    PROVIDER = "provider"


class DelayCause(_labels.Labelled):
    """Why a visit is late or moved by the provider (T3, T4, B8): a closed set of kinds.

    The customer is given one of these; "too many customers" (or orders) is
    never a reason given (T4), so it is not one of them. ``OTHER`` needs the
    reason in words.

    >>> from fieldservice import DelayCause
    >>> DelayCause("traffic").label_zh, DelayCause.PREVIOUS_VISIT_OVERRAN.label_en
    ('交通拥堵', 'previous visit overran')
    """

    TRAFFIC = "traffic"
    PREVIOUS_VISIT_OVERRAN = "previous_visit_overran"
    VEHICLE = "vehicle"
    WEATHER = "weather"
    PROVIDER_RESCHEDULE = "provider_reschedule"
    OTHER = "other"


_labels.add_labels(
    {
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
        DelayCause.TRAFFIC: ("交通拥堵", "traffic"),
        DelayCause.PREVIOUS_VISIT_OVERRAN: ("上一单施工超时", "previous visit overran"),
        DelayCause.VEHICLE: ("车辆故障", "vehicle"),
        DelayCause.WEATHER: ("天气原因", "weather"),
        DelayCause.PROVIDER_RESCHEDULE: ("装维方改约", "provider reschedule"),
        DelayCause.OTHER: ("其他", "other"),
    }
)

_TIER_PRIORITY = {Tier.DIAMOND: 3, Tier.GOLD: 2, Tier.SILVER: 1, Tier.ORDINARY: 0}


# --- converters at the boundary ------------------------------------------------


def _name_text(value: object) -> str:
    return _validate.text("name", value, max_length=100)


def _region_text(value: object) -> str:
    if value == "":
        return ""
    region = _validate.text("address region", value)
    # The region is shown (repr, route plans, a calendar's LOCATION): a phone number
    # put there by mistake would be shown with it (G1).
    if _validate.phone_like(region):
        msg = (
            "address region must not hold 7 or more digits in a row: it could be a phone "
            "number (G1); put the city and district in region, the rest in detail"
        )
        raise InvalidInput(msg)
    # One copy per region: a branch serves a few dozen districts, and a million
    # restored customers would otherwise hold a million copies of their names.
    known = _REGIONS.get(region)
    if known is not None:
        return known
    return _REGIONS.keep(region, region)


_REGIONS = BoundedTable[str, str](4096)


def _detail_text(value: object) -> str:
    return _validate.text("address detail", value, max_length=300)


def _customer_id(value: object) -> str:
    return _validate.person_id("customer id", value)


def _technician_id(value: object) -> str:
    return _validate.person_id("technician id", value)


def _certificate(value: object) -> str:
    return _validate.identifier("certificate number", value)


def _to_tier(value: object) -> Tier:
    return _validate.enum_member(Tier, "customer tier", value)


def _to_area(value: object) -> Area:
    return _validate.enum_member(Area, "customer area", value)


# --- personal data (G1) -------------------------------------------------------


class _Hidden(abc.ABC):
    """A frozen value whose clear data lives where generic introspection cannot reach it (G1).

    It is deliberately *not* an attrs class: ``attrs.asdict``, ``attrs.astuple``,
    ``rich.pretty`` and rich tracebacks walk an attrs class's fields and would
    show them raw. Here the clear data sits in slots that no field list names,
    ``repr`` and ``__rich_repr__`` give only the masked form, and pickling and
    copying go through :meth:`__reduce__`, which rebuilds (and revalidates) the
    value from its constructor arguments.
    """

    __slots__ = ()

    # Abstract, so a personal value that forgets either hook cannot be made at all,
    # rather than failing later in a repr or a comparison.
    @abc.abstractmethod
    def _key(self) -> tuple[object, ...]:
        """The constructor's arguments, in clear: for eq, hash and pickling only."""

    @abc.abstractmethod
    def _shown(self) -> tuple[object, ...]:
        """The masked arguments, for ``repr`` and ``rich``."""

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, _Hidden)
        return self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._key()))

    def __setattr__(self, name: str, value: object) -> None:
        raise attrs.exceptions.FrozenInstanceError

    def __delattr__(self, name: str) -> None:
        raise attrs.exceptions.FrozenInstanceError

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # pickle and copy rebuild through the constructor, which checks the value again.
        return (type(self), self._key())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(repr(v) for v in self._shown())})"

    def __rich_repr__(self) -> Iterator[object]:
        """What ``rich.pretty`` and rich tracebacks show: the masked form only."""
        yield from self._shown()


def _mask_name(name: str) -> str:
    # One visible character is enough for a technician to greet the right person.
    return name[0] + "*" * max(1, min(len(name) - 1, 3))


class PersonalName(_Hidden):
    """A person's name, masked wherever it is shown (G1).

    ``repr``, ``str``, f-strings, ``pprint``, ``rich.pretty`` and ``attrs.asdict``
    of a class holding it all show the mask; pickling and copying keep it.

    >>> from fieldservice import PersonalName
    >>> name = PersonalName("张三丰")
    >>> name, str(name), f"{name}"
    (PersonalName('张**'), '张**', '张**')
    >>> name.reveal()
    '张三丰'
    >>> import copy, pickle
    >>> pickle.loads(pickle.dumps(name)) == copy.deepcopy(name) == name
    True
    """

    __slots__ = ("__clear",)
    __clear: str

    def __init__(self, value: str) -> None:
        object.__setattr__(self, "_PersonalName__clear", _name_text(value))

    def _key(self) -> tuple[object, ...]:
        return (self.__clear,)

    def _shown(self) -> tuple[object, ...]:
        return (str(self),)

    def reveal(self) -> str:
        """Return the full name. Call it only where the name is really needed."""
        return self.__clear

    def __str__(self) -> str:
        return _mask_name(self.__clear)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def _to_name(value: PersonalName | str) -> PersonalName:
    return value if isinstance(value, PersonalName) else PersonalName(value)


def _to_coordinates(value: object) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        if isinstance(value, Mapping):
            raise TypeError  # a dict's keys are no pair
        pair: tuple[object, ...] = tuple(value)  # type: ignore[arg-type]
        # Numbers only: float() would take True as 1.0 and "31.2" as 31.2.
        numbers = [v for v in pair if isinstance(v, Real) and not isinstance(v, bool)]
        if len(numbers) != len(pair):
            raise TypeError
        lat, lon = (_validate.as_float(v) for v in numbers)  # type: ignore[arg-type]
    except (TypeError, ValueError, ArithmeticError):
        lat = lon = float("nan")
    # The message never shows the value: coordinates locate a person (G1).
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or isinstance(value, str):
        msg = "address coordinates must be a (latitude, longitude) pair in degrees"
        raise InvalidInput(msg)
    return (lat, lon)


class Address(_Hidden):
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

    __slots__ = ("__coordinates", "__detail", "region")
    region: str
    __detail: str
    __coordinates: tuple[float, float] | None

    def __init__(self, region: str, detail: str, *, coordinates: object = None) -> None:
        object.__setattr__(self, "region", _region_text(region))
        object.__setattr__(self, "_Address__detail", _detail_text(detail))
        object.__setattr__(self, "_Address__coordinates", _to_coordinates(coordinates))

    @property
    def coordinates(self) -> tuple[float, float] | None:
        """The (latitude, longitude) in degrees, for the day plan; personal data (G1).

        >>> Address(region="浦东", detail="x", coordinates=(31.2, 121.6)).coordinates
        (31.2, 121.6)
        """
        return self.__coordinates

    @classmethod
    def parse(cls, text: str) -> Address:
        """Split a plain address into its region and its private detail, where it can.

        A region is read when the address starts with a province-level division
        (``上海市``, ``广东省``, ``内蒙古自治区``), followed by its city and district
        or county if given (``广东省广州市天河区``). Otherwise the whole text
        is the detail and the region is empty, so a calendar entry has no
        ``LOCATION`` (the region is what it may show, G1): pass
        ``Address(region=..., detail=...)`` to give one.

        >>> Address.parse("上海市浦东新区张江路 100 弄 5 号 302")
        Address(region='上海市浦东新区', detail='***')
        >>> Address.parse("广东省广州市天河区天河路 1 号").region
        '广东省广州市天河区'
        >>> Address.parse("幸福路 1 号").region, Address.parse("阳光小区 3 栋").region
        ('', '')
        """
        if not isinstance(text, str):
            return cls(region="", detail=text)  # refused there, with the usual message
        found = _REGION.match(text.lstrip())
        if found is not None:
            detail = text.lstrip()[found.end() :].strip()
            if detail:
                return cls(region=found.group(), detail=detail)
        return cls(region="", detail=text)

    def _key(self) -> tuple[object, ...]:
        return (self.region, self.__detail, self.__coordinates)

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (_rebuild_address, self._key())

    def _shown(self) -> tuple[object, ...]:
        return (self.region, "***") if self.__coordinates is None else (self.region, "***", "***")

    def reveal(self) -> str:
        """Return the full address, region first."""
        return f"{self.region} {self.__detail}".strip()

    def reveal_detail(self) -> str:
        """Return the private detail alone (street, building, flat), for an export that asks.

        >>> Address(region="上海市", detail="幸福路 1 号").reveal_detail()
        '幸福路 1 号'
        """
        return self.__detail

    def __str__(self) -> str:
        return f"{self.region} ***".strip()

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        place = "" if self.coordinates is None else ", coordinates='***'"
        return f"Address(region={self.region!r}, detail='***'{place})"

    def __rich_repr__(self) -> Iterator[object]:
        """What ``rich.pretty`` shows: the region and a masked detail."""
        yield "region", self.region
        yield "detail", "***"
        if self.__coordinates is not None:
            yield "coordinates", "***"


def _rebuild_address(
    region: str, detail: str, coordinates: tuple[float, float] | None = None
) -> Address:
    return Address(region, detail, coordinates=coordinates)


def _to_address(value: Address | str) -> Address:
    return value if isinstance(value, Address) else Address.parse(value)


# The province-level divisions (省级行政区): a region is read from a plain address only
# when it starts with one, so that text that merely ends in 市 or 区 (a name, a housing
# estate, "阳光小区") is never taken for a region and shown (G1).
_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|"
    "湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
# A name within a region: Chinese characters, none of them a division's suffix.
_NAME = "(?:(?![省市区县旗盟])[\u4e00-\u9fff])"
# A 区 that ends a housing estate's or a campus's name (小区, 街区, 社区, 园区, 生活区, ...),
# never a district's: "北京市阳光小区" gives the region 北京市, not the estate (G1).
_NOT_ESTATE = "".join(
    f"(?<!{word})"
    for word in ("小", "街", "社", "校", "景", "厂", "家属", "别墅", "生活", "住宅", "宿舍", "居住")
)
_REGION = re.compile(
    rf"(?:{_PROVINCES})"
    rf"(?:省|市|特别行政区|{_NAME}{{0,4}}自治区)"  # 广东省, 上海市, 广西壮族自治区: never 上海路
    rf"(?:{_NAME}{{1,6}}(?:自治州|地区|盟|市))?"  # the city (prefecture level)
    rf"(?:{_NAME}{{1,6}}(?:{_NOT_ESTATE}区|县|旗|市))?"  # the district or county
)


_E164 = re.compile(r"\+[1-9]\d{5,14}")
_SHOWN_TAIL = 4
_ONLY_INTERNATIONAL = "ZZ"  # phonenumbers' region for numbers that must start with "+"


def _mask_national(national: str) -> str:
    """Mask a national number: at least half its digits hidden, at most its last four shown.

    Half the digits (rounded down) stay visible: the last four at most (the
    "尾号" a customer confirms), and any others from the front. So an 11-digit
    Chinese mobile shows 1 + 4 digits, an 8-digit Hong Kong number its last 4,
    a 5-digit number its last 2.

    >>> _mask_national("13800138000"), _mask_national("91234567"), _mask_national("12345")
    ('1******8000', '****4567', '***45')
    """
    shown = len(national) // 2
    tail = min(_SHOWN_TAIL, shown)
    head = shown - tail
    return national[:head] + "*" * (len(national) - shown) + national[len(national) - tail :]


class ContactPhone(_Hidden):
    """A validated contact number in E.164 form, masked when shown (C3, G1).

    Build one with :meth:`parse`, which accepts the ways people write numbers;
    the default region is China (``CN``). At least half the digits of the
    national number are masked, whatever the region (see :attr:`masked`).

    >>> from fieldservice import ContactPhone
    >>> phone = ContactPhone.parse("138 0013 8000")
    >>> phone
    ContactPhone('+86 1******8000')
    >>> phone.reveal()
    '+8613800138000'
    >>> ContactPhone.parse("010-8888 6666").reveal()          # a Beijing landline
    '+861088886666'
    >>> ContactPhone.parse("020 7946 0018", region="GB").country_code
    44
    """

    __slots__ = ("__e164", "country_code")
    country_code: int
    __e164: str

    def __init__(self, e164: str, country_code: int) -> None:
        if not isinstance(e164, str) or not _E164.fullmatch(e164):
            msg = "e164 must be '+' and 6-15 digits; use ContactPhone.parse() for other forms"
            raise InvalidPhoneNumber(msg)
        if (
            not isinstance(country_code, int)
            or isinstance(country_code, bool)
            or not 1 <= country_code <= 999
            or not e164.startswith(f"+{country_code}")
        ):
            msg = "e164 does not start with its country_code; use ContactPhone.parse()"
            raise InvalidPhoneNumber(msg)
        object.__setattr__(self, "_ContactPhone__e164", e164)
        object.__setattr__(self, "country_code", country_code)

    def _key(self) -> tuple[object, ...]:
        return (self.__e164, self.country_code)

    def _shown(self) -> tuple[object, ...]:
        return (self.masked,)

    @property
    def e164(self) -> str:
        """The full number in E.164 form, like :meth:`reveal`."""
        return self.__e164

    @classmethod
    def parse(cls, text: str, region: str = "CN") -> ContactPhone:
        """Parse and validate a phone number as people write it.

        Args:
            text: The number: ``"138 0013 8000"``, ``"+86 10 8888 6666"``, ...
            region: ISO 3166 region for numbers written without ``+`` (default ``CN``).

        Raises:
            InvalidPhoneNumber: ``text`` is not a valid number for that region,
                or ``region`` is not a region code (the message shows neither).

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
        code = region.upper()
        if code != _ONLY_INTERNATIONAL and code not in phonenumbers.SUPPORTED_REGIONS:
            # Never echo the region: a caller may have passed the number or a name there.
            msg = "region must be a two-letter ISO 3166 region code such as 'CN' or 'HK'"
            raise InvalidPhoneNumber(msg)
        hint = "give a mobile number or a landline with its area code"
        msg = f"not a valid phone number for region {code}; {hint}"
        try:
            number = phonenumbers.parse(text, code)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise InvalidPhoneNumber(msg)
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return cls(e164=e164, country_code=int(number.country_code or 0))

    @property
    def masked(self) -> str:
        """The number as shown, the country code then the national number masked."""
        national = self.__e164[len(str(self.country_code)) + 1 :]
        return f"+{self.country_code} {_mask_national(national)}"

    def reveal(self) -> str:
        """Return the full number in E.164 form."""
        return self.__e164

    def __str__(self) -> str:
        return self.masked

    def __format__(self, spec: str) -> str:
        return format(self.masked, spec)


def _to_phones(
    value: ContactPhone | str | Iterable[ContactPhone | str],
) -> tuple[ContactPhone, ...]:
    if isinstance(value, ContactPhone | str):
        value = (value,)
    given = _validate.items_of(value)  # a dict would give its keys
    if given is None:
        msg = f"phones must be a number or a sequence of numbers (got {type(value).__name__})"
        raise InvalidInput(msg)
    items = tuple(given)
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
    # A branch serves in a few languages: one copy of each tag, not one per customer read.
    return sys.intern(str(value)) if len(value) <= _LONGEST_TAG else value


_LONGEST_TAG: Final = 35  # RFC 5646 4.4.1: the longest tag an application need keep


@attrs.frozen
class Customer:
    """A customer (用户) of the operator, as a work order needs them.

    Args:
        id: The operator's customer ID.
        name: The customer's name; shown masked (G1).
        tier: The customer's tier (G3); a :class:`Tier` or its value.
        phones: One or more contact numbers (C3): a string, a :class:`ContactPhone`,
            or a sequence of them. Strings are parsed with region ``CN``.
        address: An :class:`Address`, or plain text, read by :meth:`Address.parse`:
            its province/city/district prefix becomes the public region, the
            rest the private detail. Text with no such prefix has no region
            (and no calendar ``LOCATION``): pass an ``Address`` to give one.
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
    certificate: str = attrs.field(converter=_certificate, repr=_validate.staff_repr)
    phone: ContactPhone | None = attrs.field(default=None, kw_only=True, converter=_optional_phone)


# --- secrets (G1) ----------------------------------------------------------------

_MASK = "******"
_SECRET_MAX = 500
_SECRET_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


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
    if _SURROGATE.search(value):
        # Looked for, not encoded: a UnicodeEncodeError would carry the value along (G1).
        msg = "a secret contains characters that are not valid Unicode text"
        raise InvalidInput(msg)
    return value


class Secret(_Hidden):
    """A value that is shown as ``******`` everywhere: ``repr``, ``str`` and f-strings (G1).

    Read it with :meth:`reveal`, only where the clear value is really needed
    (printing the modem label, an export the caller asked to include it in).
    ``pprint``, ``rich.pretty``, rich tracebacks and ``attrs.asdict`` of a class
    holding it show the mask too; pickling and copying keep the value.

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

    __slots__ = ("__clear",)
    __clear: str

    def __init__(self, value: str) -> None:
        object.__setattr__(self, "_Secret__clear", _secret_text(value))

    def _key(self) -> tuple[object, ...]:
        return (self.__clear,)

    def _shown(self) -> tuple[object, ...]:
        return (_MASK,)

    def reveal(self) -> str:
        """Return the clear value. Call it only where it is really needed."""
        return self.__clear

    def __str__(self) -> str:
        return _MASK

    def __format__(self, spec: str) -> str:
        # Apply the spec to the mask, so that width and alignment still work.
        return format(_MASK, spec)


class FreeText(str):
    """Words a person wrote into the log: a reason, a note, what a customer asked (G1).

    Staff write what they see, and that may name the customer or hold a phone
    number. So such text is personal: ``repr`` shows ``FreeText('******')``, and so
    do the ``repr`` of the payload, the event and the checklist item that hold it;
    an export without ``include_personal`` masks it. It is still a ``str``: read
    it, compare it, print it where the caller means to show it.

    >>> why = FreeText("客户出差 13800138000")
    >>> why, [why], why == "客户出差 13800138000"
    (FreeText('******'), [FreeText('******')], True)
    >>> print(why)
    客户出差 13800138000

    .. versionadded:: 0.1.0
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"FreeText({_MASK!r})"

    @property
    def withheld(self) -> bool:
        """Whether an export masked the words (:class:`WithheldText`); never for words read.

        >>> FreeText("客户出差").withheld
        False
        """
        return False

    def __rich_repr__(self) -> Iterator[object]:
        """What ``rich.pretty`` shows: the mask only."""
        yield _MASK

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Rebuilt from a plain str: pickling and copying keep the class and the words.
        return (type(self), (str(self),))


class WithheldText(FreeText):
    """Words a person wrote (a :class:`FreeText`) that an export masked.

    It reads as ``******``: a reason or a note was there, and cannot be read back.
    An order holding one cannot be restored, as for :class:`~fieldservice.payloads.Withheld`.

    >>> WithheldText(), WithheldText() == "******", WithheldText().withheld
    (WithheldText(), True, True)

    .. versionadded:: 0.1.0
    """

    __slots__ = ()

    def __new__(cls) -> WithheldText:
        """The masked words: no value, there is none to keep."""
        return super().__new__(cls, "******")

    @property
    def withheld(self) -> bool:
        """Whether an export masked the words, which it always did for this class.

        >>> WithheldText().withheld
        True
        """
        return True

    def __repr__(self) -> str:
        return "WithheldText()"

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (type(self), ())


# --- serialization ---------------------------------------------------------------

_NOT_RESTORABLE = (
    "was exported without personal data; export it with include_personal=True "
    "to store and restore it"
)


def _require(
    data: object, keys: tuple[str, ...], what: str, optional: tuple[str, ...] = ()
) -> dict[str, object]:
    if not isinstance(data, dict):
        msg = f"a {what} must be a JSON object (got {type(data).__name__})"
        raise InvalidInput(msg)
    missing = [k for k in keys if k not in data]
    if missing:
        msg = f"a {what} needs {', '.join(missing)}"
        raise InvalidInput(msg)
    if len(data) > len(keys):
        # Refused, not dropped, as an order and an event refuse theirs: a misspelt key
        # would otherwise lose what it holds without a word.
        unknown = [k for k in data if k not in keys and k not in optional]
        if unknown:
            msg = (
                f"a {what} holds {', '.join(keys + optional)} only; "
                f"it has {_validate.shown_keys(unknown)}"
            )
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
        "detail": customer.address.reveal_detail() if personal else None,
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
    address = _require(d["address"], ("region", "detail"), "customer address", ("coordinates",))
    if (
        d["name"] is None
        or d["phones"] is None
        or address["detail"] is None
        or ("coordinates" in address and address["coordinates"] is None)
    ):
        # The ID is shown only once it passed the ID check (G1: it may be anything).
        msg = f"customer {_customer_id(d['id'])} {_NOT_RESTORABLE}"
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
            region=address["region"],  # type: ignore[arg-type]  # checked by Address
            detail=address["detail"],  # type: ignore[arg-type]
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
        msg = f"technician {_technician_id(d['id'])} {_NOT_RESTORABLE}"
        raise InvalidInput(msg)
    key = (d["id"], d["name"], d["certificate"], d["phone"])
    plain = all(type(v) is str or v is None for v in key)
    if plain:
        known = _ROSTER.get(key)
        if known is not None:
            return known
    made = Technician(
        id=d["id"],
        name=d["name"],  # type: ignore[arg-type]
        certificate=d["certificate"],
        phone=d["phone"],  # type: ignore[arg-type]
    )
    if plain:
        _ROSTER[key] = made
    return made


# A branch's few technicians are on millions of its orders: each order read shares the
# one Technician (immutable) instead of holding its own copy of the name and certificate.
# Weak: an entry, and the personal data in its key, goes when the last order holding
# that technician does (G1), so the table holds nothing the orders do not.
_ROSTER: weakref.WeakValueDictionary[tuple[object, ...], Technician] = weakref.WeakValueDictionary()

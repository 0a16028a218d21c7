import datetime as dt
import enum
import pickle

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fieldservice as fs
from fieldservice import _validate
from fieldservice.errors import FieldServiceError, InvalidInput, InvalidPhoneNumber


def customer(**changes: object) -> fs.Customer:
    fields: dict[str, object] = {
        "id": "C1",
        "name": "张三丰",
        "tier": fs.Tier.GOLD,
        "phones": "138 0013 8000",
        "address": fs.Address(region="上海市浦东新区", detail="张江路 100 弄 5 号 302"),
    }
    fields.update(changes)
    return fs.Customer(**fields)  # type: ignore[arg-type]


# --- tiers (G3) -------------------------------------------------------------------


def test_G3_tiers_order_by_priority() -> None:
    assert sorted(fs.Tier, reverse=True) == [
        fs.Tier.DIAMOND,
        fs.Tier.GOLD,
        fs.Tier.SILVER,
        fs.Tier.ORDINARY,
    ]
    assert max(fs.Tier.SILVER, fs.Tier.DIAMOND, fs.Tier.ORDINARY) is fs.Tier.DIAMOND
    assert fs.Tier.ORDINARY < fs.Tier.SILVER <= fs.Tier.SILVER < fs.Tier.GOLD


def test_G3_tier_labels_follow_the_seed() -> None:
    assert [t.label_zh for t in fs.Tier] == ["钻石", "金卡", "银卡", "普通"]


def test_G3_tier_does_not_compare_with_other_types() -> None:
    with pytest.raises(TypeError):
        _ = fs.Tier.GOLD < 2  # type: ignore[operator]


def test_G3_unknown_tier_is_a_coded_error() -> None:
    with pytest.raises(InvalidInput, match="customer tier must be one of") as info:
        customer(tier="platinum")
    assert info.value.code == "invalid_input"


def test_enum_labels_exist_for_every_member() -> None:
    for enum_type in (fs.Tier, fs.Product, fs.OrderKind, fs.Area, fs.Party):
        for member in enum_type:
            assert member.label_zh
            assert member.label_en


# --- phones (C3) ------------------------------------------------------------------


def test_C3_mobile_number_is_parsed_to_e164() -> None:
    phone = fs.ContactPhone.parse("138 0013 8000")
    assert phone.reveal() == "+8613800138000"
    assert phone.country_code == 86


def test_C3_landline_with_area_code_is_parsed() -> None:
    assert fs.ContactPhone.parse("010-8888 6666").reveal() == "+861088886666"
    assert fs.ContactPhone.parse("(021) 6888 1234").reveal() == "+862168881234"


@pytest.mark.parametrize("garbage", ["", "hello", "12345", "138 0013 80", "+86 000 0000 0000"])
def test_C3_garbage_is_an_invalid_phone_number(garbage: str) -> None:
    with pytest.raises(InvalidPhoneNumber) as info:
        fs.ContactPhone.parse(garbage)
    assert info.value.code == "invalid_phone_number"
    assert "area code" in str(info.value)


def test_C3_foreign_number_with_region_given() -> None:
    phone = fs.ContactPhone.parse("020 7946 0018", region="GB")
    assert phone.reveal() == "+442079460018"
    assert phone.country_code == 44
    # The same digits are not a valid Chinese number: the region matters.
    with pytest.raises(InvalidPhoneNumber):
        fs.ContactPhone.parse("020 7946 001", region="CN")


def test_C3_an_explicit_plus_overrides_the_region() -> None:
    assert fs.ContactPhone.parse("+44 20 7946 0018", region="CN").country_code == 44


def test_C3_direct_construction_is_validated() -> None:
    with pytest.raises(InvalidPhoneNumber):
        fs.ContactPhone(e164="13800138000", country_code=86)
    with pytest.raises(InvalidPhoneNumber):
        fs.ContactPhone(e164="+8613800138000", country_code=44)


def test_C3_customer_needs_a_phone() -> None:
    with pytest.raises(InvalidInput, match="at least one contact phone"):
        customer(phones=[])


def test_C3_customer_accepts_several_phones() -> None:
    c = customer(phones=["138 0013 8000", fs.ContactPhone.parse("010 8888 6666")])
    assert [p.reveal() for p in c.phones] == ["+8613800138000", "+861088886666"]


# --- masking (G1) -----------------------------------------------------------------


def test_G1_phone_is_masked_in_repr_and_str() -> None:
    phone = fs.ContactPhone.parse("138 0013 8000")
    assert repr(phone) == "ContactPhone('+86 1******8000')"
    assert str(phone) == f"{phone}" == "+86 1******8000"


def test_G1_customer_repr_shows_no_full_phone_name_or_address() -> None:
    c = customer()
    for shown in (repr(c), str(c), f"{c!r}", repr([c])):
        assert "13800138000" not in shown
        assert "8000138000" not in shown
        assert "张三丰" not in shown
        assert "三丰" not in shown
        assert "张江路" not in shown
        assert "302" not in shown
    assert "张*" in repr(c)


def test_G1_reveal_gives_the_personal_data_back() -> None:
    c = customer()
    assert c.personal_data() == {
        "name": "张三丰",
        "phones": ("+8613800138000",),
        "address": "上海市浦东新区 张江路 100 弄 5 号 302",
    }


def test_G1_technician_name_is_masked() -> None:
    t = fs.Technician(id="T7", name="王五", certificate="ZW-310-0042", phone="139 0139 0000")
    assert "王五" not in repr(t)
    assert "13901390000" not in repr(t)
    assert t.name.reveal() == "王五"


def test_G1_errors_about_personal_fields_do_not_echo_them() -> None:
    with pytest.raises(InvalidInput) as info:
        customer(id="13800138000 张三丰 not an id")
    assert "13800138000" not in str(info.value)
    assert "张三丰" not in str(info.value)


@given(st.text(min_size=2, max_size=40).filter(lambda s: s.strip() == s and s.isprintable()))
def test_G1_any_name_is_masked(name: str) -> None:
    try:
        shown = fs.PersonalName(name)
    except FieldServiceError:
        return
    masked = str(shown)
    # Only the first character is ever shown; everything after it is stars.
    assert masked[0] == name[0]
    assert set(masked[1:]) == {"*"}
    assert repr(shown) == f"PersonalName({masked!r})"
    assert shown.reveal() == name


# --- values --------------------------------------------------------------------------


def test_customer_is_a_frozen_value() -> None:
    c = customer()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        c.tier = fs.Tier.DIAMOND  # type: ignore[misc]
    assert c == customer()
    assert hash(c) == hash(customer())
    assert attrs.evolve(c, tier="diamond").tier is fs.Tier.DIAMOND


def test_C5_language_preference_is_a_bcp47_tag() -> None:
    assert customer(language="yue").language == "yue"
    with pytest.raises(InvalidInput, match="BCP 47"):
        customer(language="Cantonese please")


@pytest.mark.parametrize("bad", ["", "   ", "a\nb", "x\x00y", 42, None])
def test_names_reject_empty_control_and_non_text(bad: object) -> None:
    with pytest.raises(InvalidInput):
        fs.PersonalName(bad)  # type: ignore[arg-type]


def test_address_text_becomes_its_private_detail() -> None:
    c = customer(address="幸福路 1 号")
    assert c.address.region == ""
    assert c.address.reveal() == "幸福路 1 号"


def test_errors_pickle_with_their_violations() -> None:
    err = fs.InvalidAppointment("refused", violations=(fs.Violation("B6", "quiet_hours", "m"),))
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is fs.InvalidAppointment
    assert back.violations == err.violations
    assert str(back) == str(err)


def test_every_error_has_a_distinct_stable_code() -> None:
    classes = [
        fs.FieldServiceError,
        fs.InvalidInput,
        fs.InvalidPhoneNumber,
        fs.InvalidAppointment,
        fs.InvalidEvent,
        fs.TransitionNotAllowed,
        fs.ChecklistIncomplete,
        fs.StandardError,
        fs.CalendarNotCovered,
    ]
    codes = [c.code for c in classes]
    assert len(set(codes)) == len(codes)
    assert all(issubclass(c, fs.FieldServiceError) for c in classes)
    assert issubclass(fs.InvalidInput, ValueError)
    assert issubclass(fs.CalendarNotCovered, LookupError)


# --- G1 beyond repr (issue 17) ----------------------------------------------------------

PERSONAL = ("张三丰", "13800138000", "张江路 100 弄 5 号 302", "Kx7-29qL", "王五六")


def _personal_objects() -> list[object]:
    tech = fs.Technician(id="T7", name="王五六", certificate="ZW-1", phone="138 0013 8000")
    return [
        customer(),
        tech,
        fs.PersonalName("张三丰"),
        fs.ContactPhone.parse("138 0013 8000"),
        fs.Address(region="上海市浦东新区", detail="张江路 100 弄 5 号 302"),
        fs.Secret("Kx7-29qL"),
    ]


def _renderings(value: object) -> dict[str, str]:
    import pprint

    import rich.pretty

    shown = {
        "repr": repr(value),
        "str": str(value),
        "format": f"{value}",
        "pprint": pprint.pformat(value),
        "rich.pretty": rich.pretty.pretty_repr(value),
    }
    if attrs.has(type(value)):
        shown["attrs.asdict"] = repr(attrs.asdict(value))  # type: ignore[arg-type]
        shown["attrs.astuple"] = repr(attrs.astuple(value))  # type: ignore[arg-type]
    return shown


@pytest.mark.parametrize("value", _personal_objects(), ids=lambda v: type(v).__name__)
def test_G1_personal_values_stay_masked_in_generic_renderers(value: object) -> None:
    for how, text in _renderings(value).items():
        for clear in PERSONAL:
            assert clear not in text, f"{how} shows {clear!r}: {text}"


@pytest.mark.parametrize("value", _personal_objects(), ids=lambda v: type(v).__name__)
def test_G1_personal_values_pickle_and_copy_and_stay_masked(value: object) -> None:
    import copy

    for back in (pickle.loads(pickle.dumps(value)), copy.copy(value), copy.deepcopy(value)):
        assert back == value
        assert hash(back) == hash(value)
        assert repr(back) == repr(value)


def test_G1_rich_traceback_locals_show_no_personal_data() -> None:
    import io

    import rich.console
    import rich.traceback

    def fail(held: object) -> None:
        raise RuntimeError("boom")

    try:
        fail(_personal_objects())
    except RuntimeError as err:
        trace = rich.traceback.Traceback.from_exception(
            type(err), err, err.__traceback__, show_locals=True
        )
    console = rich.console.Console(file=io.StringIO(), width=300, color_system=None)
    console.print(trace)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "PersonalName('张**')" in text  # the locals were rendered
    for clear in PERSONAL:
        assert clear not in text


def test_G1_personal_values_are_frozen() -> None:
    for value in _personal_objects()[2:]:
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            value.region = "x"  # type: ignore[attr-defined]


def _example_numbers() -> list[tuple[str, str]]:
    import phonenumbers

    found = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                found.append((region, e164))
    return found


EXAMPLE_NUMBERS = _example_numbers()


@given(st.sampled_from(EXAMPLE_NUMBERS))
def test_G1_phone_mask_hides_at_least_half_the_national_number(example: tuple[str, str]) -> None:
    region, e164 = example
    phone = fs.ContactPhone.parse(e164, region=region)
    national = phone.reveal()[len(str(phone.country_code)) + 1 :]
    shown = phone.masked.split(" ", 1)[1]
    assert len(shown) == len(national)
    hidden = shown.count("*")
    assert hidden * 2 >= len(national), (region, shown)
    assert all(s in {"*", n} for s, n in zip(shown, national, strict=True))
    assert national not in repr(phone)
    assert national not in str(phone)


def test_regression_G1_hong_kong_number_hides_half_its_digits() -> None:
    phone = fs.ContactPhone.parse("9123 4567", region="HK")
    assert str(phone) == "+852 ****4567"  # it was "+852 912*4567"


def test_G1_every_region_with_an_example_number_is_masked() -> None:
    # Every region phonenumbers knows, not a sample: the rule holds for all of them.
    assert len({r for r, _ in EXAMPLE_NUMBERS}) > 200
    for region, e164 in EXAMPLE_NUMBERS:
        phone = fs.ContactPhone.parse(e164, region=region)
        shown = phone.masked.split(" ", 1)[1]
        assert shown.count("*") * 2 >= len(shown), (region, shown)


@pytest.mark.parametrize("region", ["13800138000", "张三", "XX", "cn\n", ""])
def test_regression_G1_phone_region_is_never_echoed(region: str) -> None:
    with pytest.raises(InvalidPhoneNumber) as info:
        fs.ContactPhone.parse("138 0013 8000", region=region)
    assert region.strip() not in str(info.value) or not region.strip()
    assert info.value.__context__ is None or info.value.__suppress_context__


# --- integrator friction: labels in, values shown, one opt-in spelling -------------------------


@pytest.mark.parametrize(
    ("given", "member"),
    [
        ("金卡", fs.Tier.GOLD),
        ("钻石", fs.Tier.DIAMOND),
        ("ordinary", fs.Tier.ORDINARY),
        ("宽带", fs.Product.BROADBAND),
        ("fixed line", fs.Product.FIXED_LINE),
        ("移机", fs.OrderKind.MOVE),
        ("农村", fs.Area.COUNTRYSIDE),
        ("装维方", fs.Party.PROVIDER),
    ],
)
def test_G3_the_labels_the_library_prints_are_taken_back_as_input(
    given: str, member: enum.Enum
) -> None:
    assert type(member)(given) is member
    for shown in (member.label_zh, member.label_en):  # type: ignore[attr-defined]
        assert type(member)(shown) is member


def test_regression_a_customer_takes_the_printed_tier_label() -> None:
    cust = fs.Customer(
        id="C1", name="张三", tier="金卡", phones="138 0013 8000", address="上海市浦东新区"
    )
    assert cust.tier is fs.Tier.GOLD


def test_regression_half_day_labels_are_taken_back_too() -> None:
    window = fs.AppointmentWindow(dt.date(2026, 11, 25), "下午")
    assert window.half is fs.HalfDay.AFTERNOON


def test_regression_an_unknown_tier_shows_a_misspelt_tier_or_number_but_never_free_text() -> None:
    # A word near no tier may be a name ('Smith', an outside probe): shown by its type.
    for word in ("platinum", "Smith"):
        with pytest.raises(fs.InvalidInput, match=r"\(got str\)") as info:
            fs.Customer(
                id="C1", name="张三", tier=word, phones="138 0013 8000", address="上海市浦东新区"
            )
        assert word not in str(info.value)
    with pytest.raises(fs.InvalidInput, match=r"\(got 'Glod'; did you mean 'gold'\?\)"):
        fs.Customer(
            id="C1", name="张三", tier="Glod", phones="138 0013 8000", address="上海市浦东新区"
        )
    with pytest.raises(fs.InvalidInput, match=r"\(got 5\)"):
        fs.Customer(id="C1", name="张三", tier=5, phones="138 0013 8000", address="上海市浦东新区")
    with pytest.raises(fs.InvalidInput, match=r"\(got str\)") as info:
        fs.Customer(
            id="C1",
            name="张三",
            tier="李四 13800138000",
            phones="138 0013 8000",
            address="上海市浦东新区",
        )
    assert "李四" not in str(info.value)
    with pytest.raises(fs.InvalidInput, match=r"\(got int\)") as info:
        fs.Customer(
            id="C1", name="张三", tier=13800138000, phones="138 0013 8000", address="上海市浦东新区"
        )
    assert "13800138000" not in str(info.value)


@pytest.mark.parametrize("count", [0, -1, 1001])
def test_regression_count_errors_show_the_count(count: int) -> None:
    at = pendulum.datetime(2026, 11, 24, 10, tz="Asia/Shanghai")
    with pytest.raises(fs.InvalidInput, match=rf"count must be .* \(got {count}\)"):
        fs.next_windows(at, fs.ServiceStandard.default(), count=count)


def test_regression_shown_values_are_never_text_nor_long_numbers() -> None:
    assert _validate.shown(25) == "25"
    assert _validate.shown(fs.Tier.GOLD) == "<Tier.GOLD: 'gold'>"
    assert _validate.shown(None) == "None"
    assert _validate.shown("张三") == "str"
    assert _validate.shown("zhang.san-1380013800") == "str"  # a phone-like run of digits
    assert _validate.shown(62345678) == "int"  # a local phone number written as a number
    assert _validate.shown(float("nan")) == "float"


def test_G1_include_personal_is_the_one_spelling_and_old_ones_warn() -> None:
    assert _validate.include_personal(False, include_secret=None) is False
    assert _validate.include_personal(True, include_secrets=None) is True
    with pytest.warns(DeprecationWarning, match="include_secret is deprecated"):
        assert _validate.include_personal(False, include_secret=True) is True
    with pytest.warns(DeprecationWarning, match="include_secrets is deprecated"):
        assert _validate.include_personal(False, include_secrets=False) is False
    with (
        pytest.warns(DeprecationWarning, match="deprecated"),
        pytest.raises(fs.InvalidInput, match="disagree"),
    ):
        _validate.include_personal(True, include_secret=False)
    # Only True or False opens personal data (G1), whatever the spelling.
    with (
        pytest.warns(DeprecationWarning, match="deprecated"),
        pytest.raises(fs.InvalidInput, match="True or False"),
    ):
        _validate.include_personal(False, include_secret="yes")
    with pytest.raises(fs.InvalidInput, match="include_personal must be True or False"):
        _validate.include_personal("false")


def test_G1_a_personal_value_without_its_masking_hooks_cannot_be_made() -> None:
    # The masked repr and the clear key are abstract: a new kind of personal value that
    # forgets one fails at construction, before it could show anything unmasked.
    from fieldservice.model import _Hidden

    class Forgetful(_Hidden):
        __slots__ = ()

        def _key(self) -> tuple[object, ...]:
            return ("clear",)

    with pytest.raises(TypeError, match="_shown"):
        Forgetful()  # type: ignore[abstract]


@pytest.mark.parametrize(
    "region", ["上海市 13800138000", "浦东 138-0013-8000", "１３８００１３８０００"]
)
def test_G1_an_address_region_that_holds_a_phone_number_is_refused(region: str) -> None:
    # The region is shown (repr, route plans, a calendar's LOCATION); the detail is not.
    with pytest.raises(fs.InvalidInput, match="region must not hold 7 or more digits") as info:
        fs.Address(region=region, detail="张江路 100 弄")
    assert "138" not in info.value.message
    assert "１３８" not in info.value.message


def test_G1_a_region_with_a_postcode_is_kept() -> None:
    assert fs.Address(region="上海市浦东新区 201203", detail="x").region.endswith("201203")

"""Hostile TOML for the standard and the team: what an outside probe found, each refused.

A duration too long for the calendar, one of thousands of digits or of non-ASCII digits,
a byte-order mark; a team file whose keys, IDs or coordinates carry personal data,
terminal escapes or the wrong types, or that nests without bound. Each is refused where
it enters, with a coded error that names the key and shows no personal data (G1).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from _planning_days import order

import fieldservice as fs
from fieldservice.cli import main
from fieldservice.errors import FieldServiceError
from fieldservice.planning import Member, Place, PlanInputError, Team
from fieldservice.sla._report import instant_in
from fieldservice.standard import TierLimits, parse_duration

STD = fs.ServiceStandard.default()
HUGE = "999999999h"
PHONE = "13800138000"
ESC = "\x1b"


# --- durations of a standard: bounded where they enter --------------------------------------


@pytest.mark.parametrize(
    ("toml", "key", "longest"),
    [
        (f'[booking]\narrival_tolerance = "{HUGE}"\n', "booking.arrival_tolerance", "24h"),
        (f'[remote]\nfollow_up = "{HUGE}"\n', "remote.follow_up", "24h"),
        (f'[booking]\nlead_time = "{HUGE}"\n', "booking.lead_time", "720h"),
        ('[booking]\nlead_time = "721h"\n', "booking.lead_time", "720h"),
        ('[booking]\narrival_window = "25h"\n', "booking.arrival_window", "24h"),
        ('[booking]\ncall_ahead = "25h"\n', "booking.call_ahead", "24h"),
        ('[booking]\nearly_arrival = ["5m", "25h"]\n', "booking.early_arrival", "24h"),
        ('[knock]\nrepeat_every = "3h"\ncall_after = "4h"\n', "knock.repeat_every", "2h"),
        (
            f'[clocks.booking_contact]\ncity = {{ gold = "{HUGE}" }}\n',
            "clocks.booking_contact.city.gold",
            "720h",
        ),
        (
            '[clocks.repair]\ncountryside = { silver = "1000h" }\n',
            "clocks.repair.countryside.silver",
            "720h",
        ),
        (
            '[planning.durations]\ninstall = { iptv = "25h" }\n',
            "planning.durations.install.iptv",
            "24h",
        ),
    ],
)
def test_regression_a_duration_too_long_for_its_meaning_is_refused_in_toml(
    toml: str, key: str, longest: str
) -> None:
    with pytest.raises(fs.StandardError) as info:
        fs.ServiceStandard.from_toml(toml)
    assert info.value.code == "invalid_standard"
    assert str(info.value).startswith(f"{key}: ")
    assert f"at most {longest}" in str(info.value) or f"to {longest}" in str(info.value)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"arrival_tolerance": dt.timedelta(hours=999_999_999)}, "arrival_tolerance"),
        ({"follow_up": dt.timedelta(hours=999_999_999)}, "follow_up"),
        ({"lead_time": dt.timedelta(days=31)}, "lead_time"),
        ({"arrival_window": dt.timedelta(hours=25)}, "arrival_window"),
        ({"call_ahead": dt.timedelta(days=2)}, "call_ahead"),
        ({"early_arrival": (dt.timedelta(0), dt.timedelta(days=2))}, "early_arrival"),
    ],
)
def test_regression_replace_refuses_a_duration_too_long_for_its_meaning(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(fs.StandardError) as info:
        STD.replace(**changes)
    assert str(info.value).startswith(field)
    assert "at most" in str(info.value) or " to 24h" in str(info.value)


def test_regression_knock_and_tier_limits_refuse_durations_too_long() -> None:
    with pytest.raises(fs.StandardError, match=r"knock\.call_after .* at most 2h"):
        fs.KnockProtocol(call_after=dt.timedelta(hours=2, seconds=1))
    with pytest.raises(fs.StandardError, match="diamond must be a positive duration of at most"):
        TierLimits(dt.timedelta(days=31), *(dt.timedelta(hours=24),) * 3)


def test_regression_the_longest_durations_are_taken_and_one_second_more_is_refused() -> None:
    longest = {
        "lead_time": dt.timedelta(days=30),
        "arrival_tolerance": dt.timedelta(hours=24),
        "follow_up": dt.timedelta(hours=24),
        "call_ahead": dt.timedelta(hours=24),
        "arrival_window": dt.timedelta(hours=24),
    }
    std = STD.replace(**longest)
    assert fs.ServiceStandard.from_toml(std.to_toml()) == std
    for field, value in longest.items():
        with pytest.raises(fs.StandardError, match=field):
            STD.replace(**{field: value + dt.timedelta(seconds=1)})


def test_regression_standard_check_and_demo_refuse_a_huge_tolerance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The probe: `standard check` said valid, then `demo` crashed in the SLA code with
    # ValueError "year 116106 is out of range".
    path = tmp_path / "tol.toml"
    path.write_text(f'[booking]\narrival_tolerance = "{HUGE}"\n', encoding="utf-8")
    assert main(["standard", "check", str(path)], out=io.StringIO()) == 1
    assert "[invalid_standard]: booking.arrival_tolerance" in capsys.readouterr().err
    assert main(["demo", "--standard", str(path)], out=io.StringIO()) == 1
    err = capsys.readouterr().err
    assert "[invalid_standard]" in err
    assert "116106" not in err


def test_regression_a_huge_lead_time_shows_no_raw_epoch() -> None:
    # It said "3601795483800.0 is not an instant the calendar covers (1970-2199)".
    with pytest.raises(fs.StandardError) as info:
        fs.ServiceStandard.from_toml(f'[booking]\nlead_time = "{HUGE}"\n')
    assert "3601795483800" not in str(info.value)
    assert "booking.lead_time" in str(info.value)


@pytest.mark.parametrize("epoch", [3_601_795_483_800.0, 1e20, -1e13, float("nan")])
def test_regression_instant_in_refuses_an_epoch_no_date_holds(epoch: float) -> None:
    with pytest.raises(FieldServiceError) as info:
        instant_in(epoch, "Asia/Shanghai")
    assert isinstance(info.value, ValueError)  # an InvalidInput, still a ValueError
    assert "1970-2199" in str(info.value)
    assert str(epoch)[:6] not in str(info.value)
    assert "116106" not in str(info.value)


# --- duration text ----------------------------------------------------------------------------


def test_regression_a_duration_of_thousands_of_digits_says_what_a_duration_looks_like() -> None:
    text = "9" * 5000 + "h"
    with pytest.raises(ValueError, match="too long to be a duration like '24h'") as info:
        parse_duration(text)
    assert "set_int_max_str_digits" not in str(info.value)
    with pytest.raises(fs.StandardError) as from_toml:
        fs.ServiceStandard.from_toml(f'[booking]\nlead_time = "{text}"\n')
    assert "booking.lead_time" in str(from_toml.value)
    assert "digits" not in str(from_toml.value).replace("(digits 0-9)", "")


@pytest.mark.parametrize("text", ["٣h", "１h", "2٤h", "1h３0m", "۵m", "३s"])
def test_regression_a_duration_takes_ascii_digits_only(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration like"):
        parse_duration(text)
    with pytest.raises(fs.StandardError, match=r"booking\.lead_time: .*\(digits 0-9\)"):
        fs.ServiceStandard.from_toml(f'[booking]\nlead_time = "{text}"\n')


# --- a byte-order mark --------------------------------------------------------------------------


def test_regression_a_standard_file_may_begin_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b'\xef\xbb\xbfname = "Pudong"\n[booking]\nlead_time = "48h"\n')
    std = fs.ServiceStandard.from_toml(path)
    assert (std.name, std.lead_time) == ("Pudong", dt.timedelta(hours=48))
    assert fs.ServiceStandard.from_toml('\ufeffname = "Pudong"\n').name == "Pudong"
    with pytest.raises(fs.StandardError, match="not valid TOML"):  # one mark only
        fs.ServiceStandard.from_toml('\ufeff\ufeffname = "Pudong"\n')


# --- the team file ------------------------------------------------------------------------------

TEAM = """
[[technician]]
id = "T1"
products = ["broadband"]
kinds = ["install", "repair"]
start = { key = "depot" }
"""


def _refused(text: str) -> PlanInputError:
    with pytest.raises(PlanInputError) as info:
        Team.from_toml(text)
    assert info.value.code == "invalid_plan_input"
    return info.value


@pytest.mark.parametrize(
    "key", [f"张三{PHONE}", "\\u001b[31mRED\\u001b[0m", f"zs-{PHONE}", "colour\\u202e"]
)
def test_G1_an_unknown_team_key_that_may_be_personal_is_not_echoed(key: str) -> None:
    err = _refused(TEAM + f'"{key}" = 1\n')
    assert [v.code for v in err.violations] == ["unknown_key"]
    text = str(err)
    assert "technician[0]" in text
    assert "not shown" in text
    assert PHONE not in text
    assert "张三" not in text
    assert ESC not in text
    assert "\u202e" not in text
    assert "known keys here are daily_cap, end, id" in text


def test_regression_a_plain_unknown_team_key_is_named() -> None:
    err = _refused(TEAM + "colour = 1\n")
    assert "technician[0]: unknown keys: 'colour'" in str(err)


def test_G1_plan_prints_no_terminal_escape_of_a_team_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "team.toml"
    team.write_text(TEAM + '"\\u001b[31mRED\\u001b[0m" = 1\n', encoding="utf-8")
    orders = tmp_path / "o.jsonl"
    orders.write_text(order("WO-1").to_json(include_personal=True) + "\n", encoding="utf-8")
    argv = ["plan", str(orders), "--team", str(team), "--day", "2026-11-26"]
    assert main(argv, out=io.StringIO()) == 1
    err = capsys.readouterr().err
    assert "invalid_plan_input" in err
    assert ESC not in err


@pytest.mark.parametrize("member_id", [f"zhang.san-{PHONE}", "T-138-0013-8000", "T1234567"])
def test_G1_a_member_id_that_may_hold_a_phone_is_refused(member_id: str) -> None:
    # Technician refuses such an ID; Member took it, and it reached repr, messages,
    # the plan's text and the --ics-dir file names.
    with pytest.raises(fs.InvalidInput, match="technician id must not hold") as info:
        Member(member_id, products={"iptv"}, kinds={"repair"}, start=Place("depot"))
    assert PHONE not in str(info.value)
    err = _refused(TEAM.replace('"T1"', f'"{member_id}"'))
    assert [v.code for v in err.violations] == ["team_value"]
    assert member_id not in str(err)


def _located_orders(path: Path) -> Path:
    data = order("WO-1").to_dict(include_personal=True)
    data["customer"]["address"]["coordinates"] = [31.21, 121.50]
    path.write_text(fs.WorkOrder.from_dict(data).to_json(include_personal=True) + "\n")
    return path


def test_G1_plan_refuses_a_member_id_with_a_phone_and_writes_no_calendar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    located = '{ key = "depot", coordinates = [31.20, 121.50] }'
    team = tmp_path / "team.toml"
    team.write_text(TEAM.replace("T1", f"zs-{PHONE}").replace('{ key = "depot" }', located))
    ics = tmp_path / "ics"
    argv = ["plan", str(_located_orders(tmp_path / "o.jsonl")), "--team", str(team)]
    argv += ["--day", "2026-11-26", "--solver", "greedy", "--ics-dir", str(ics)]
    assert main(argv, out=io.StringIO()) == 1
    assert PHONE not in capsys.readouterr().err
    assert not ics.exists() or not any(ics.iterdir())
    # The same team with a staff ID that holds no phone plans the day.
    team.write_text(TEAM.replace('{ key = "depot" }', located))
    assert main(argv, out=io.StringIO()) == 0
    assert (ics / "T1.ics").exists()


@pytest.mark.parametrize(
    "coordinates",
    [
        "[true, false]",
        "[31.2, true]",
        "[nan, 121.5]",
        "[31.2, inf]",
        "[-inf, 121.5]",
        "[91.0, 121.5]",
        "[31.2, 181]",
        '["31.2", "121.5"]',
        "[31.2]",
        "[31.2, 121.5, 3]",
        "31.2",
    ],
)
def test_regression_team_coordinates_must_be_two_numbers_in_range(coordinates: str) -> None:
    err = _refused(
        TEAM.replace('{ key = "depot" }', f'{{ key = "d", coordinates = {coordinates} }}')
    )
    assert [v.code for v in err.violations] == ["place_form"]
    assert "technician[0].start.coordinates: must be [latitude, longitude]" in str(err)
    assert "31.2" not in str(err)  # a place locates a person: never shown (G1)


def test_regression_team_coordinates_at_the_edges_are_taken_and_beyond_refused() -> None:
    team = Team.from_toml(
        TEAM.replace('{ key = "depot" }', '{ key = "d", coordinates = [-90, 180.0] }')
    )
    assert team.members[0].start.coordinates == (-90.0, 180.0)
    end = '\nend = { key = "e", coordinates = [0, 1] }\n'
    assert Team.from_toml(TEAM + end).members[0].end == Place("e", coordinates=(0, 1))
    err = _refused(TEAM + end.replace("[0, 1]", "[false, true]"))
    assert "technician[0].end.coordinates" in str(err)


@pytest.mark.parametrize(
    ("value", "got"),
    [('"broadband"', "text"), ("5", "a number"), ("{ a = 1 }", "a table"), ("true", "a boolean")],
)
def test_regression_team_products_must_be_a_list_of_product_names(value: str, got: str) -> None:
    err = _refused(TEAM.replace('["broadband"]', value))
    assert [v.code for v in err.violations] == ["products_form"]
    assert str(err).startswith(
        "technician[0].products: must be a list of product names like ['broadband', 'iptv'] "
        f"(got {got})"
    )


def test_regression_team_kinds_must_be_a_list_of_order_kinds() -> None:
    err = _refused(TEAM.replace('["install", "repair"]', '"install"'))
    assert [v.code for v in err.violations] == ["kinds_form"]
    assert "list of order kinds like ['install', 'repair']" in str(err)


@pytest.mark.parametrize("products", ["broadband", 5])
def test_regression_member_products_must_be_a_list_of_product_names(products: object) -> None:
    with pytest.raises(fs.InvalidInput, match="products must be a list of product names") as info:
        Member("T1", products=products, kinds={"repair"}, start=Place("d"))  # type: ignore[arg-type]
    assert "'b'" not in str(info.value)
    assert "not iterable" not in str(info.value)


@pytest.mark.parametrize("table", ['{ key = "d", extra = 1 }', f'{{ key = "d", "zs{PHONE}" = 1 }}'])
def test_regression_an_unknown_key_of_a_place_table_is_refused(table: str) -> None:
    err = _refused(TEAM.replace('{ key = "depot" }', table))
    assert [v.code for v in err.violations] == ["unknown_key"]
    assert "technician[0].start: unknown keys" in str(err)
    assert "known keys here are coordinates, key" in str(err)
    assert PHONE not in str(err)


def test_regression_an_unknown_top_level_key_of_a_team_file_is_refused() -> None:
    err = _refused(TEAM.replace("[[technician]]", "[[technicians]]"))
    assert [v.code for v in err.violations] == ["unknown_key"]
    assert "team: unknown keys: 'technicans'" not in str(err)
    assert "team: unknown keys: 'technicians'; known keys here are technician" in str(err)


@pytest.mark.parametrize("depth", [40, 5000])
def test_regression_a_team_file_nested_without_bound_is_refused(depth: int) -> None:
    # 5000 levels made tomllib raise RecursionError; 40 were read and the key ignored.
    err = _refused(TEAM + "x = " + "[" * depth + "]" * depth + "\n")
    assert [v.code for v in err.violations] == ["team_too_large"]
    assert "the team file nests arrays or tables more than 32 deep" in str(err)


def test_regression_a_team_file_too_large_is_refused(tmp_path: Path) -> None:
    err = _refused(TEAM + "#" + "x" * 1_000_000 + "\n")
    assert [v.code for v in err.violations] == ["team_too_large"]
    path = tmp_path / "big.toml"
    path.write_bytes(b"#" + b"x" * 4_000_001)
    with pytest.raises(PlanInputError, match="larger than 4,000,000 bytes"):
        Team.from_toml(path)


def test_regression_a_team_file_may_begin_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "team.toml"
    path.write_bytes(b"\xef\xbb\xbf" + TEAM.encode("utf-8"))
    assert Team.from_toml(path).members[0].id == "T1"


def test_regression_a_team_shift_with_a_time_zone_is_refused_as_a_range() -> None:
    err = _refused(TEAM + 'shift = ["08:00+08:00", "17:00"]\n')
    assert [v.code for v in err.violations] == ["range_form"]


# --- tomllib's own failures: coded, and quoting nothing of the file -------------------------

BROKEN_TOML = [
    f'x = {{"{PHONE}" = 1, "{PHONE}" = 2}}\n',  # Duplicate inline table key '...'
    f'a = "x"\n["{PHONE}"]\n["{PHONE}"]\n',  # Cannot declare ('...',) twice
    f'"{PHONE}" = 1\n"{PHONE}" = 2\n',
    f'"{PHONE}" = {{a = 1}}\n"{PHONE}".b = 2\n',  # Cannot mutate immutable namespace
    f'name = "{PHONE}\n',  # an unclosed string
    f"name = {PHONE}x\n",
]


@pytest.mark.parametrize("text", BROKEN_TOML)
def test_G1_invalid_toml_errors_quote_no_key_or_value_of_the_file(text: str) -> None:
    with pytest.raises(fs.StandardError, match="not valid TOML") as std:
        fs.ServiceStandard.from_toml(text)
    with pytest.raises(PlanInputError, match="not valid TOML") as team:
        Team.from_toml(text)
    for err in (std.value, team.value):
        shown = f"{err} {err.violations} {err.__context__} {err.__cause__}"
        assert PHONE not in shown
        assert "(at line" in str(err) or "(at end of document)" in str(err)


def test_regression_a_toml_key_given_twice_is_said_in_words() -> None:
    with pytest.raises(fs.StandardError, match="a key is given twice"):
        fs.ServiceStandard.from_toml('name = "a"\nname = "b"\n')


@pytest.mark.parametrize("where", ["name = {}\n", "[booking]\nlead_time = {}\n"])
def test_regression_a_toml_number_past_python_s_digit_limit_is_a_coded_error(where: str) -> None:
    text = where.format("9" * 5000)
    with pytest.raises(fs.StandardError, match="more than 4,300 digits") as err:
        fs.ServiceStandard.from_toml(text)
    assert err.value.code == fs.StandardError.code
    with pytest.raises(PlanInputError, match="more than 4,300 digits"):
        Team.from_toml(text)


@pytest.mark.parametrize("command", [["standard", "check"], ["demo", "--standard"]])
def test_regression_cli_reads_a_toml_number_past_the_digit_limit_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    path = tmp_path / "big.toml"
    path.write_text("name = " + "9" * 5000 + "\n", encoding="utf-8")
    assert main([*command, str(path)]) != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "more than 4,300 digits" in err
    assert len(err.strip().splitlines()) == 1

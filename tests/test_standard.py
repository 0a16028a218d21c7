import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fieldservice as fs
from fieldservice.standard import format_duration, parse_duration

H = dt.timedelta(hours=1)


def test_default_standard_carries_the_seed_numbers() -> None:
    std = fs.ServiceStandard.default()
    assert std.timezone == "Asia/Shanghai"
    assert std.lead_time == 24 * H  # B5
    assert std.quiet_hours == fs.TimeRange(dt.time(20), dt.time(8))  # B6
    assert std.confirm_by == dt.time(9)  # C1
    assert std.call_ahead == dt.timedelta(minutes=30)  # C2
    assert std.early_arrival == (dt.timedelta(minutes=5), dt.timedelta(minutes=10))  # T2
    assert std.knock == fs.KnockProtocol(2, 3, dt.timedelta(seconds=30), dt.timedelta(minutes=3))
    assert std.follow_up == dt.timedelta(minutes=30)  # F2


def test_B6_service_hours_are_the_complement_of_quiet_hours() -> None:
    std = fs.ServiceStandard.default()
    assert std.service_hours == fs.TimeRange(dt.time(8), dt.time(20))
    assert std.quiet_hours.contains(dt.time(20))
    assert std.quiet_hours.contains(dt.time(7, 59))
    assert not std.quiet_hours.contains(dt.time(8))


def test_B6_a_branch_extends_its_hours_by_narrowing_quiet_hours() -> None:
    std = fs.ServiceStandard.default()
    branch = std.replace(quiet_hours=fs.TimeRange(dt.time(21), dt.time(8)))
    assert branch.service_hours == fs.TimeRange(dt.time(8), dt.time(21))


def test_B6_weekly_hours_may_not_enter_quiet_hours() -> None:
    with pytest.raises(fs.StandardError, match="enters the quiet hours"):
        fs.ServiceStandard(weekly_hours={5: (fs.TimeRange(dt.time(7), dt.time(12)),)})


def test_G3_limits_differ_by_tier_and_diamond_is_strictest() -> None:
    std = fs.ServiceStandard.default()
    for rule in (std.booking_contact, std.resource_notice, std.repair):
        for area in fs.Area:
            limits = [rule.limit(t, area) for t in sorted(fs.Tier, reverse=True)]
            assert limits == sorted(limits), rule.rule
            assert limits[0] < limits[-1], rule.rule


def test_F4_default_repair_limits_respect_the_legal_ceiling() -> None:
    std = fs.ServiceStandard.default()
    for area, ceiling in fs.LEGAL_REPAIR_CEILING.items():
        for tier in fs.Tier:
            assert std.repair.limit(tier, area) <= ceiling
    assert fs.LEGAL_REPAIR_CEILING[fs.Area.CITY] == 48 * H
    assert fs.LEGAL_REPAIR_CEILING[fs.Area.COUNTRYSIDE] == 72 * H


def test_F4_from_toml_refuses_a_repair_limit_above_the_legal_ceiling() -> None:
    text = '[clocks.repair]\ncity = { ordinary = "49h" }\n'
    with pytest.raises(fs.StandardError, match=r"repair\.city\.ordinary: 49h exceeds") as info:
        fs.ServiceStandard.from_toml(text)
    assert "Art. 33" in str(info.value)
    assert info.value.code == "invalid_standard"


def test_F4_countryside_may_go_to_72h_but_not_the_city() -> None:
    ok = fs.ServiceStandard.from_toml('[clocks.repair]\ncountryside = { ordinary = "72h" }\n')
    assert ok.repair.limit(fs.Tier.ORDINARY, fs.Area.COUNTRYSIDE) == 72 * H
    with pytest.raises(fs.StandardError):
        fs.ServiceStandard.from_toml('[clocks.repair]\ncity = { ordinary = "72h" }\n')


def test_every_tiered_default_names_its_source() -> None:
    sources = fs.ServiceStandard.default().sources
    for rule in ("B3", "R1", "F4", "B5", "B6", "C1", "C2", "T2", "K1", "K2", "F2"):
        assert sources[rule]
    assert "电信条例 Art. 33" in sources["F4"]
    assert "replace" in sources["B3"]


def test_sources_are_read_only() -> None:
    with pytest.raises(TypeError):
        fs.ServiceStandard.default().sources["B3"] = "x"  # type: ignore[index]


# --- TOML -------------------------------------------------------------------------


def test_toml_round_trip_of_the_default_is_exact() -> None:
    std = fs.ServiceStandard.default()
    assert fs.ServiceStandard.from_toml(std.to_toml()) == std


def test_toml_round_trip_of_a_branch_that_extends_service_hours() -> None:
    branch = fs.ServiceStandard.default().replace(
        name="浦东分公司",
        quiet_hours=fs.TimeRange(dt.time(21), dt.time(7, 30)),
        weekly_hours={
            6: (fs.TimeRange(dt.time(9), dt.time(12)), fs.TimeRange(dt.time(13), dt.time(18)))
        },
        date_overrides=(
            fs.DateOverride(dt.date(2027, 2, 6), hours=(), note='春节 "closed"'),
            fs.DateOverride(dt.date(2027, 2, 14), hours=(fs.TimeRange(dt.time(9), dt.time(17)),)),
        ),
        confirmed_years=(2027,),
        close_visits_on_holidays=True,
        lead_time=dt.timedelta(hours=12, minutes=30),
        sources={"B6": "分公司延长服务时间到 21:00\nline two"},
    )
    text = branch.to_toml()
    assert fs.ServiceStandard.from_toml(text) == branch
    assert 'quiet = ["21:00", "07:30"]' in text


def test_toml_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "branch.toml"
    path.write_text('name = "Minhang"\n[booking]\nlead_time = "48h"\n', encoding="utf-8")
    std = fs.ServiceStandard.from_toml(path)
    assert (std.name, std.lead_time) == ("Minhang", 48 * H)
    assert std.quiet_hours == fs.ServiceStandard.default().quiet_hours


def test_toml_missing_file_is_a_standard_error(tmp_path: Path) -> None:
    with pytest.raises(fs.StandardError, match="cannot read the standard file"):
        fs.ServiceStandard.from_toml(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ('[booking]\nlead_tme = "24h"\n', "booking.lead_tme: unknown key"),
        ("[booking]\nlead_time = 24\n", "booking.lead_time: 24 is not valid"),
        ('[booking]\nlead_time = "-3h"\n', "booking.lead_time: '-3h' is not a duration"),
        ('[booking]\nlead_time = "0h"\n', "booking.lead_time: '0h' is not valid"),
        ('[hours]\nquiet = ["20:00"]\n', "hours.quiet"),
        ('[hours]\nmidday = "25:00"\n', "hours.midday: '25:00' is not a time"),
        ('[hours]\nmidday = "07:00"\n', "midday 07:00 must fall inside the service hours"),
        ('[clocks.repair]\nbasis = "lunar"\n', "clocks.repair.basis: 'lunar'"),
        (
            '[clocks.repair]\ncity = { platinum = "1h" }\n',
            "clocks.repair.city.platinum: unknown key",
        ),
        ("[clocks]\nat_risk_share = 1.5\n", "at_risk_share must be a fraction"),
        ('timezone = "Mars/Olympus"\n', "timezone must be an IANA zone"),
        ("[knock]\nrounds = 0\n", "knock.rounds must be a whole number"),
        ('[calendar]\nunconfirmed_years = "guess"\n', "calendar.unconfirmed_years: 'guess'"),
        (
            "[[calendar.dates]]\ndate = 2027-02-06\nhours = [['06:00', '09:00']]\n",
            "enters the quiet hours",
        ),
        (
            "[[calendar.dates]]\ndate = 2027-02-06\n[[calendar.dates]]\ndate = 2027-02-06\n",
            "lists a date twice",
        ),
        ("not toml at all = = =", "not valid TOML"),
        ("speed = 3\n", "speed: unknown key"),
    ],
)
def test_bad_toml_names_the_key_and_value(text: str, names: str) -> None:
    with pytest.raises(fs.StandardError) as info:
        fs.ServiceStandard.from_toml(text)
    assert names in str(info.value)
    assert info.value.code == "invalid_standard"


@pytest.mark.parametrize(
    "zone", ["right/Asia/Shanghai", "posix/Asia/Shanghai", "localtime", "Factory"]
)
def test_a_zone_file_that_is_not_a_published_zone_name_is_refused(zone: str) -> None:
    # zoneinfo opens these; right/* would put leap seconds in a calendar's offsets, and
    # localtime means whatever this machine is set to.
    with pytest.raises(fs.StandardError, match="timezone must be an IANA zone") as info:
        fs.ServiceStandard.default().replace(timezone=zone)
    assert info.value.code == "invalid_standard"


def test_every_published_zone_name_is_taken() -> None:
    import zoneinfo

    # The names zoneinfo publishes, less this machine's setting and the no-place zone.
    std = fs.ServiceStandard.default()
    for zone in sorted(zoneinfo.available_timezones() - {"localtime", "Factory"}):
        assert std.replace(timezone=zone).timezone == zone


def test_replace_refuses_unknown_fields_and_bad_values() -> None:
    std = fs.ServiceStandard.default()
    with pytest.raises(fs.StandardError, match="no field 'lead'"):
        std.replace(lead=H)
    with pytest.raises(fs.StandardError, match="lead_time must be a positive duration"):
        std.replace(lead_time=-H)
    with pytest.raises(fs.StandardError, match="lead_time must be a positive duration"):
        std.replace(lead_time="24h")


def test_standard_is_frozen_hashable_and_compared_by_value() -> None:
    a = fs.ServiceStandard.default()
    b = fs.ServiceStandard()
    assert a == b
    assert hash(a) == hash(b)
    assert a != a.replace(name="other")
    assert {a: 1}[b] == 1


# --- durations -------------------------------------------------------------------------


@given(st.integers(min_value=1, max_value=10_000_000))
def test_durations_round_trip(seconds: int) -> None:
    value = dt.timedelta(seconds=seconds)
    assert parse_duration(format_duration(value)) == value


@pytest.mark.parametrize("bad", ["", "h", "24", "1d", "-3h", "3 hours", "1m1h"])
def test_bad_durations_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(bad)


@given(
    st.sampled_from(["20:00", "21:00", "22:30", "19:00"]),
    st.sampled_from(["06:00", "07:30", "08:00"]),
    st.integers(min_value=1, max_value=72 * 3600),
    st.text(max_size=30),
)
def test_toml_round_trip_for_random_branches(
    quiet_start: str, quiet_end: str, lead: int, name: str
) -> None:
    try:
        std = fs.ServiceStandard.default().replace(
            name=name,
            quiet_hours=fs.TimeRange(
                dt.time.fromisoformat(quiet_start), dt.time.fromisoformat(quiet_end)
            ),
            lead_time=dt.timedelta(seconds=lead),
        )
    except fs.StandardError:
        return
    assert fs.ServiceStandard.from_toml(std.to_toml()) == std


def test_a_branch_sources_table_adds_to_the_seed_sources() -> None:
    std = fs.ServiceStandard.from_toml('[sources]\nB6 = "分公司延长到 21:00"\nX1 = "own note"\n')
    assert std.sources["B6"] == "分公司延长到 21:00"
    assert std.sources["X1"] == "own note"
    assert std.sources["F4"] == fs.ServiceStandard.default().sources["F4"]


# --- the standard file as hostile input (issue 17) -------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 5000 + "]" * 5000,
        "a = " + "{ b = " * 3000 + "1" + " }" * 3000,
        "[hours]\nquiet = " + "[" * 40 + '"20:00"' + "]" * 40,
    ],
)
def test_regression_deep_toml_is_a_standard_error_not_a_recursion_error(text: str) -> None:
    with pytest.raises(fs.StandardError, match="nests arrays or tables") as info:
        fs.ServiceStandard.from_toml(text)
    assert info.value.__context__ is None or info.value.__suppress_context__


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    text = 'name = "' + "[" * 100 + '"\n[sources]\nB2 = """' + "{" * 100 + '"""\n'
    std = fs.ServiceStandard.from_toml(text)
    assert std.name == "[" * 100


def test_a_toml_text_larger_than_a_page_is_refused(tmp_path: Path) -> None:
    text = "# " + "x" * 1_000_001
    with pytest.raises(fs.StandardError, match="longer than"):
        fs.ServiceStandard.from_toml(text)
    path = tmp_path / "big.toml"
    path.write_bytes(b"#" + b"x" * 4_000_001)
    with pytest.raises(fs.StandardError, match="larger than"):
        fs.ServiceStandard.from_toml(path)


HOSTILE_TEXT = [
    "\x1b[31mred\x1b[0m", "a\x9b31mb", "x\x07", "\x85", "a\u2028b", "\ud800", "x\x00", "a\u202eb",
]  # fmt: skip


@pytest.mark.parametrize("bad", HOSTILE_TEXT)
def test_regression_control_characters_and_surrogates_are_refused_in_every_text(
    bad: str,
) -> None:
    std = fs.ServiceStandard.default()
    for changes in (
        {"name": bad},
        {"sources": {"B2": bad}},
        {"sources": {bad: "text"}},
        {"date_overrides": (fs.DateOverride(dt.date(2027, 2, 6), hours=(), note="ok"),)},
    ):
        if "date_overrides" in changes:
            with pytest.raises(fs.StandardError):
                fs.DateOverride(dt.date(2027, 2, 6), hours=(), note=bad)
            continue
        with pytest.raises(fs.StandardError) as info:
            std.replace(**changes)
        assert bad not in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        'name = "\\u001b[2J\\u001b[31mPudong"',
        '[sources]\nB2 = "see \\u001b]8;;http://x\\u0007here"',
        '[[calendar.dates]]\ndate = 2027-02-06\nnote = "\\u009b31m"',
        '"\\u001b[31m" = 1',
    ],
)
def test_regression_a_standard_file_never_carries_terminal_escapes(text: str) -> None:
    with pytest.raises(fs.StandardError) as info:
        fs.ServiceStandard.from_toml(text)
    assert "\x1b" not in str(info.value)
    assert "\x9b" not in str(info.value)


ANY_CHARACTER = st.characters(exclude_categories=())  # surrogates and controls included


@given(
    name=st.text(ANY_CHARACTER, min_size=1, max_size=30),
    source=st.text(ANY_CHARACTER, max_size=60),
)
def test_every_accepted_standard_text_reads_back_from_its_toml(name: str, source: str) -> None:
    try:
        std = fs.ServiceStandard.default().replace(name=name, sources={"B2": source})
    except fs.StandardError:
        return
    assert fs.ServiceStandard.from_toml(std.to_toml()) == std


def test_regression_C1_an_arrival_window_no_half_day_can_hold_is_refused_by_check() -> None:
    std = fs.ServiceStandard.from_toml('[booking]\narrival_window = "13h"\n')
    with pytest.raises(fs.StandardError, match=r"arrival_window 13h .* longest is 8h"):
        std.check()
    assert fs.ServiceStandard.from_toml('[booking]\narrival_window = "8h"\n').check()


def test_C1_check_refuses_a_week_without_service_hours() -> None:
    closed = fs.ServiceStandard.default().replace(weekly_hours=dict.fromkeys(range(7), ()))
    with pytest.raises(fs.StandardError, match="no window could ever be offered"):
        closed.check()


def test_C1_check_matches_what_next_windows_offers() -> None:
    import pendulum

    booked = pendulum.datetime(2026, 3, 2, 10, 30, tz="Asia/Shanghai")
    for hours in (4, 6, 8, 9, 12):
        std = fs.ServiceStandard.default().replace(arrival_window=dt.timedelta(hours=hours))
        try:
            std.check()
        except fs.StandardError:
            assert fs.next_windows(booked, std, count=1) == ()
        else:
            assert len(fs.next_windows(booked, std, count=3)) == 3


@pytest.mark.parametrize("country", ["XX", "cn", "ZZZ"])
def test_regression_an_unknown_holiday_country_is_refused_by_check(country: str) -> None:
    std = fs.ServiceStandard.default().replace(holiday_country=country)
    with pytest.raises(fs.StandardError, match="not a country the holidays package knows"):
        std.check()


def test_a_holiday_country_must_look_like_a_code() -> None:
    with pytest.raises(fs.StandardError, match="ISO country code"):
        fs.ServiceStandard.default().replace(holiday_country="\x1b[31m")


def test_the_default_and_a_valid_branch_pass_check() -> None:
    std = fs.ServiceStandard.default()
    assert std.check() is std
    branch = std.replace(holiday_country="", timezone="Europe/London")
    assert branch.check() is branch


def test_L4_the_hotline_is_a_field_of_the_standard_with_its_source() -> None:
    std = fs.ServiceStandard.default()
    assert std.hotline == "10000"
    assert "10000服务热线" in std.sources["L4"]
    branch = fs.ServiceStandard.from_toml('[contact]\nhotline = "400-820-8820"\n')
    assert branch.hotline == "400-820-8820"
    assert fs.ServiceStandard.from_toml(branch.to_toml()) == branch
    assert 'hotline = "10000"' in std.to_toml()


@pytest.mark.parametrize("bad", ["", "abc", "10000\n", "+", "1" * 21, 10000, "1-", "-1"])
def test_L4_a_hotline_that_is_not_a_number_is_refused(bad: object) -> None:
    with pytest.raises(fs.StandardError, match="hotline must be a service number"):
        fs.ServiceStandard.default().replace(hotline=bad)


def test_L4_toml_names_the_hotline_key() -> None:
    with pytest.raises(fs.StandardError, match=r"contact\.hotline: 'x1' is not valid"):
        fs.ServiceStandard.from_toml('[contact]\nhotline = "x1"\n')
    with pytest.raises(fs.StandardError, match=r"contact\.phone: unknown key"):
        fs.ServiceStandard.from_toml('[contact]\nphone = "1"\n')


def test_regression_the_standards_choices_are_taken_by_value_as_toml_writes_them() -> None:
    std = fs.ServiceStandard.default().replace(unconfirmed_years="estimated")
    assert std.unconfirmed_years is fs.UnconfirmedYears.ESTIMATED
    rule = fs.ClockRule("B3", "wall", std.booking_contact.city, std.booking_contact.countryside)
    assert rule.basis is fs.ClockBasis.WALL
    with pytest.raises(
        fs.StandardError, match=r"unconfirmed_years must be one of .* \(got 'guess'\)"
    ):
        std.replace(unconfirmed_years="guess")
    with pytest.raises(fs.StandardError, match=r"basis must be one of .* \(got 3\)"):
        fs.ClockRule("B3", 3, std.booking_contact.city, std.booking_contact.countryside)

"""Tests for ivp.domain.calendar: known Dutch dates, the counting convention, the policy, and
properties of the three interfaces (dates, arrays, day numbers)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from dateutil.easter import easter
from hypothesis import given, settings
from hypothesis import strategies as st

from ivp.domain.calendar import (
    DEFAULT_POLICY_PATH,
    CalendarPolicy,
    WorkdayCalendar,
    date_to_daynum,
    daynum_to_date,
    get_calendar,
    load_policy_file,
)
from ivp.domain.errors import InputError

D = dt.date
ALL_POLICIES = [
    CalendarPolicy(good_friday=gf, liberation_day=lib)
    for gf in (False, True)
    for lib in ("always", "lustrum", "never")
]


@pytest.fixture(scope="module")
def cal() -> WorkdayCalendar:
    return get_calendar()


def calendar_for(**policy) -> WorkdayCalendar:
    return get_calendar(CalendarPolicy(**policy))


# --------------------------------------------------------------------------------------
# An independent oracle: the Dutch holidays written out by hand (Atw art. 3, Koningsdag
# rules), with dateutil's Easter, to check the holidays package plus the policy against.
# --------------------------------------------------------------------------------------


def oracle_is_werkdag(d: dt.date, policy: CalendarPolicy) -> bool:
    if d.weekday() >= 5:
        return False
    e = easter(d.year)
    fixed = {D(d.year, 1, 1), D(d.year, 12, 25), D(d.year, 12, 26)}
    moving = {e + dt.timedelta(days=1), e + dt.timedelta(days=39), e + dt.timedelta(days=50)}
    royal = D(d.year, 4, 27) if d.year >= 2014 else D(d.year, 4, 30)
    if royal.weekday() == 6:  # Sunday: celebrated on the Saturday before (since 1980)
        royal -= dt.timedelta(days=1)
    off = fixed | moving | {royal}
    if policy.good_friday:
        off.add(e - dt.timedelta(days=2))
    if policy.liberation_day == "always" or (
        policy.liberation_day == "lustrum" and d.year % 5 == 0
    ):
        off.add(D(d.year, 5, 5))
    return d not in off


@pytest.mark.parametrize("policy", ALL_POLICIES, ids=repr)
def test_every_day_matches_the_oracle(policy):
    cal = get_calendar(policy)
    day, last = D(1990, 1, 1), D(2060, 12, 31)
    days = np.arange(np.datetime64(day), np.datetime64(last) + 1)
    got = cal.is_werkdag_array(days)
    want = [oracle_is_werkdag(d, policy) for d in days.astype(object)]
    mismatches = [str(d) for d, g, w in zip(days, got, want) if g != w]
    assert mismatches == []


# --------------------------------------------------------------------------------------
# Known dates
# --------------------------------------------------------------------------------------


def test_koningsdag_on_sunday_moves_to_saturday_26_april(cal):
    # 27 April 2025 and 27 April 2014 were Sundays: Koningsdag was Saturday 26 April.
    for year in (2014, 2025):
        assert D(year, 4, 26).weekday() == 5
        assert cal.holidays_in(year)[D(year, 4, 26)] == "King's Day"
        assert D(year, 4, 27) not in cal.holidays_in(year)
        # No Monday off in compensation.
        assert cal.is_werkdag(D(year, 4, 28))
    # On a weekday it costs a werkdag: Thursday 27 April 2023, Monday 27 April 2026.
    assert not cal.is_werkdag(D(2023, 4, 27))
    assert not cal.is_werkdag(D(2026, 4, 27))
    # Before 2014: Koninginnedag on 30 April (Tuesday in 2013).
    assert not cal.is_werkdag(D(2013, 4, 30))


@pytest.mark.parametrize(
    "day, name",
    [
        (D(2025, 1, 1), "Nieuwjaarsdag"),
        (D(2025, 4, 21), "Tweede Paasdag"),
        (D(2025, 5, 29), "Hemelvaartsdag"),
        (D(2025, 6, 9), "Tweede Pinksterdag"),
        (D(2025, 12, 25), "Eerste Kerstdag"),
        (D(2025, 12, 26), "Tweede Kerstdag"),
    ],
)
def test_fixed_holidays_2025_are_not_werkdagen_under_any_policy(day, name):
    assert day.weekday() < 5, name
    for policy in ALL_POLICIES:
        assert not get_calendar(policy).is_werkdag(day), (name, policy)


@pytest.mark.parametrize(
    "liberation_day, off_2025, off_2026",
    [("always", True, True), ("lustrum", True, False), ("never", False, False)],
)
def test_liberation_day_2025_lustrum_and_2026(liberation_day, off_2025, off_2026):
    cal = calendar_for(liberation_day=liberation_day)
    assert D(2025, 5, 5).weekday() == 0 and D(2026, 5, 5).weekday() == 1
    assert cal.is_werkdag(D(2025, 5, 5)) is not off_2025
    assert cal.is_werkdag(D(2026, 5, 5)) is not off_2026


def test_liberation_day_on_ascension_day_stays_a_holiday():
    # 5 May 2016 was Ascension Day: "never" must not turn it into a werkdag.
    assert not calendar_for(liberation_day="never").is_werkdag(D(2016, 5, 5))


@pytest.mark.parametrize("good_friday", [False, True])
def test_good_friday_2025(good_friday):
    cal = calendar_for(good_friday=good_friday)
    assert D(2025, 4, 18).weekday() == 4
    assert cal.is_werkdag(D(2025, 4, 18)) is not good_friday
    # Thursday before Easter + 1 werkdag: Good Friday, or Tuesday after Easter Monday.
    expected = D(2025, 4, 22) if good_friday else D(2025, 4, 18)
    assert cal.add_werkdagen(D(2025, 4, 17), 1) == expected


def test_default_policy_is_the_documented_one():
    policy = CalendarPolicy()
    assert policy == load_policy_file(DEFAULT_POLICY_PATH)
    assert policy.good_friday is False
    assert policy.liberation_day == "always"
    for field in CalendarPolicy.model_fields:
        assert len(CalendarPolicy.rationale(field)) > 100


# --------------------------------------------------------------------------------------
# The counting convention
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, n, expected",
    [
        (D(2025, 1, 4), 1, D(2025, 1, 6)),  # Saturday + 1 -> Monday
        (D(2025, 1, 5), 1, D(2025, 1, 6)),  # Sunday + 1 -> Monday
        (D(2025, 1, 3), 1, D(2025, 1, 6)),  # Friday + 1 -> next Monday
        (D(2025, 1, 6), 1, D(2025, 1, 7)),  # Monday + 1 -> Tuesday
        (D(2025, 1, 4), 0, D(2025, 1, 4)),  # n = 0 -> the day itself, even on a Saturday
        (D(2025, 1, 6), 5, D(2025, 1, 13)),  # a week
        (D(2025, 12, 24), 1, D(2025, 12, 29)),  # over Christmas (Thu 25, Fri 26)
        (D(2024, 12, 31), 1, D(2025, 1, 2)),  # over New Year
        # A melding on Monday 14 April 2025, 10 werkdagen: Good Friday 18 April works,
        # Easter Monday 21 April does not, Koningsdag is a Saturday -> Tuesday 29 April.
        (D(2025, 4, 14), 10, D(2025, 4, 29)),
    ],
)
def test_add_werkdagen_known(cal, start, n, expected):
    assert cal.add_werkdagen(start, n) == expected
    assert cal.werkdagen_between(start, expected) == n
    assert daynum_to_date(cal.add_werkdagen_daynum(date_to_daynum(start), n)) == expected


def test_werkdagen_in_2025(cal):
    # 261 weekdays; off on weekdays: 1 Jan, 21 Apr, 5 May, 29 May, 9 Jun, 25 and 26 Dec.
    assert cal.werkdagen_between(D(2024, 12, 31), D(2025, 12, 31)) == 261 - 7
    lustrum_gf = calendar_for(good_friday=True, liberation_day="lustrum")
    assert lustrum_gf.werkdagen_between(D(2025, 12, 31), D(2026, 12, 31)) == 261 - 7


def test_between_is_zero_for_empty_or_reversed_intervals(cal):
    assert cal.werkdagen_between(D(2025, 1, 6), D(2025, 1, 6)) == 0
    assert cal.werkdagen_between(D(2025, 1, 10), D(2025, 1, 6)) == 0
    assert cal.werkdagen_between_daynum(20000, 19990) == 0
    # A weekend interval holds no werkdag; (Friday, Monday] holds one.
    assert cal.werkdagen_between(D(2025, 1, 3), D(2025, 1, 5)) == 0
    assert cal.werkdagen_between(D(2025, 1, 3), D(2025, 1, 6)) == 1


def test_negative_n_is_refused(cal):
    with pytest.raises(ValueError, match=">= 0"):
        cal.add_werkdagen(D(2025, 1, 6), -1)
    with pytest.raises(ValueError, match=">= 0"):
        cal.add_werkdagen_daynum(date_to_daynum(D(2025, 1, 6)), -1)
    with pytest.raises(ValueError, match=">= 0"):
        cal.add_werkdagen_array(np.array(["2025-01-06"], dtype="datetime64[D]"), [3, -1])
    with pytest.raises(TypeError):
        cal.add_werkdagen(D(2025, 1, 6), 1.5)


def test_dates_outside_the_range_are_refused_with_the_range():
    cal = get_calendar(None, 2020, 2030)
    with pytest.raises(ValueError, match=r"2020-01-01\.\.2030-12-31"):
        cal.add_werkdagen(D(2019, 12, 31), 1)
    with pytest.raises(ValueError, match=r"2020-01-01\.\.2030-12-31"):
        cal.werkdagen_between(D(2025, 1, 1), D(2031, 1, 1))
    with pytest.raises(ValueError, match="2030-12-31"):
        cal.add_werkdagen(D(2030, 12, 30), 5)  # the result is past the range
    with pytest.raises(ValueError, match=str(cal.last_daynum)):
        cal.add_werkdagen_daynum(cal.last_daynum + 1, 0)
    with pytest.raises(ValueError, match=str(cal.first_daynum)):
        cal.werkdagen_between_daynum(cal.first_daynum - 1, cal.first_daynum + 10)
    with pytest.raises(ValueError, match="beyond"):
        cal.add_werkdagen_daynum(cal.last_daynum - 3, 10)
    with pytest.raises(ValueError, match="2030-12-31"):
        cal.add_werkdagen_array(np.array(["2030-12-30"], dtype="datetime64[D]"), 5)
    with pytest.raises(ValueError, match="NaT"):
        nat = np.array(["NaT"], dtype="datetime64[D]")
        cal.werkdagen_between_array(nat, np.datetime64("2025-01-01"))
    with pytest.raises(ValueError, match="first_year"):
        WorkdayCalendar(first_year=2030, last_year=2020)


def test_vectorised_broadcasting(cal):
    dates = np.array(["2025-01-03", "2025-04-17", "2025-12-24"], dtype="datetime64[D]")
    out = cal.add_werkdagen_array(dates[:, None], np.array([0, 1, 10]))
    assert out.shape == (3, 3) and out.dtype == np.dtype("datetime64[D]")
    assert out[0, 0] == dates[0]
    assert out[2, 1] == np.datetime64("2025-12-29")
    counts = cal.werkdagen_between_array(dates[:, None], out)
    np.testing.assert_array_equal(counts, np.broadcast_to([0, 1, 10], (3, 3)))
    assert counts.dtype == np.int64


def test_day_numbers_are_numpy_day_values():
    d = D(2025, 4, 26)
    assert date_to_daynum(d) == np.datetime64(d, "D").astype(np.int64)
    assert daynum_to_date(date_to_daynum(d)) == d
    assert date_to_daynum(dt.datetime(2025, 4, 26, 23, 59)) == date_to_daynum(d)


# --------------------------------------------------------------------------------------
# The policy: construction and refusal
# --------------------------------------------------------------------------------------


def test_policy_from_dict_fills_defaults_and_is_hashable():
    policy = CalendarPolicy.from_dict({"liberation_day": "lustrum"})
    assert policy.liberation_day == "lustrum"
    assert policy.good_friday == CalendarPolicy().good_friday
    assert CalendarPolicy.from_dict(None) == CalendarPolicy()
    assert hash(policy) == hash(CalendarPolicy(liberation_day="lustrum"))
    with pytest.raises(Exception):
        policy.good_friday = True  # frozen


def test_policy_refuses_unknown_key():
    with pytest.raises(InputError) as caught:
        CalendarPolicy.from_dict({"goodfriday": True}, source="scenario.yaml", prefix="calendar")
    (problem,) = caught.value.problems
    assert problem.source == "scenario.yaml"
    assert problem.field == "calendar.goodfriday"


def test_policy_refuses_bad_liberation_day_naming_the_field():
    with pytest.raises(InputError) as caught:
        CalendarPolicy.from_dict({"liberation_day": "sometimes", "good_friday": "yes"})
    fields = {p.field: p.message for p in caught.value.problems}
    assert set(fields) == {"liberation_day", "good_friday"}
    assert "'always'" in fields["liberation_day"] and "sometimes" in fields["liberation_day"]
    assert "liberation_day" in str(caught.value)
    with pytest.raises(InputError):
        CalendarPolicy.from_dict(["always"])


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "my_policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_FRIDAY_ENTRY = "good_friday:\n  value: true\n  rationale: Atw art. 3(2).\n"


def test_policy_file_refuses_unknown_field_and_bad_value_naming_file_and_field(tmp_path):
    path = write(
        tmp_path,
        GOOD_FRIDAY_ENTRY
        + "liberation_day:\n  value: every_year\n  rationale: why not\n"
        + "bridge_days:\n  value: true\n  rationale: x\n",
    )
    with pytest.raises(InputError) as caught:
        load_policy_file(path)
    problems = {p.field: p for p in caught.value.problems}
    assert set(problems) == {"liberation_day.value", "bridge_days"}
    assert all(p.source == "my_policy.yaml" for p in problems.values())
    assert "every_year" in problems["liberation_day.value"].message
    assert "my_policy.yaml, field 'liberation_day.value'" in str(caught.value)


def test_policy_file_needs_every_field_with_a_rationale(tmp_path):
    path = write(
        tmp_path,
        "good_friday:\n  value: true\n  note: typo\nliberation_day: lustrum\n",
    )
    with pytest.raises(InputError) as caught:
        load_policy_file(path)
    fields = {p.field for p in caught.value.problems}
    assert fields == {"good_friday.rationale", "good_friday.note", "liberation_day"}


def test_policy_file_loads(tmp_path):
    path = write(
        tmp_path,
        GOOD_FRIDAY_ENTRY + "liberation_day:\n  value: lustrum\n  rationale: CAO\n  source: x\n",
    )
    assert load_policy_file(path) == CalendarPolicy(good_friday=True, liberation_day="lustrum")


def test_policy_file_that_is_not_yaml_or_missing(tmp_path):
    with pytest.raises(InputError, match="my_policy.yaml"):
        load_policy_file(write(tmp_path, "good_friday: [unclosed\n"))
    with pytest.raises(InputError, match="nothing.yaml"):
        load_policy_file(tmp_path / "nothing.yaml")


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------

FIRST, LAST = D(1995, 1, 1), D(2090, 12, 31)
dates = st.dates(min_value=FIRST, max_value=LAST)
counts = st.integers(min_value=0, max_value=400)
policies = st.sampled_from(ALL_POLICIES)
PROPERTY_SETTINGS = settings(max_examples=300, deadline=None)


@PROPERTY_SETTINGS
@given(policies, dates, counts)
def test_add_then_count_is_identity_and_earliest(policy, d, n):
    cal = get_calendar(policy)
    e = cal.add_werkdagen(d, n)
    assert cal.werkdagen_between(d, e) == n
    if n > 0:
        assert cal.is_werkdag(e)  # a deadline always falls on a werkdag
        assert cal.werkdagen_between(d, e - dt.timedelta(days=1)) == n - 1
    else:
        assert e == d


@PROPERTY_SETTINGS
@given(policies, dates, counts, counts)
def test_monotone_in_n(policy, d, n, m):
    cal = get_calendar(policy)
    lo, hi = sorted((n, m))
    assert cal.add_werkdagen(d, lo) <= cal.add_werkdagen(d, hi)
    if lo < hi:
        assert cal.add_werkdagen(d, lo) < cal.add_werkdagen(d, hi)


@PROPERTY_SETTINGS
@given(policies, dates, dates, counts)
def test_monotone_in_d(policy, d1, d2, n):
    cal = get_calendar(policy)
    d1, d2 = sorted((d1, d2))
    assert cal.add_werkdagen(d1, n) <= cal.add_werkdagen(d2, n)


@PROPERTY_SETTINGS
@given(policies, dates, dates, dates)
def test_between_is_additive_over_adjacent_intervals(policy, a, b, c):
    cal = get_calendar(policy)
    a, b, c = sorted((a, b, c))
    assert cal.werkdagen_between(a, b) + cal.werkdagen_between(b, c) == cal.werkdagen_between(a, c)


@PROPERTY_SETTINGS
@given(policies, dates, st.integers(min_value=0, max_value=3000))
def test_between_is_bounded_by_calendar_days_and_weekdays(policy, d, days):
    cal = get_calendar(policy)
    end = d + dt.timedelta(days=days)
    count = cal.werkdagen_between(d, end)
    assert 0 <= count <= days
    weekday_holidays = int(
        ((cal.holidays > np.datetime64(d)) & (cal.holidays <= np.datetime64(end))).sum()
    )
    # Any `days` consecutive days hold at least 5/7 * days - 10/7 weekdays.
    assert count >= 5 / 7 * days - weekday_holidays - 2
    assert count <= 5 / 7 * days + 2


@PROPERTY_SETTINGS
@given(policies, dates, dates, counts)
def test_daynum_path_equals_date_path(policy, d, e, n):
    cal = get_calendar(policy)
    dn, en = date_to_daynum(d), date_to_daynum(e)
    assert daynum_to_date(cal.add_werkdagen_daynum(dn, n)) == cal.add_werkdagen(d, n)
    assert cal.werkdagen_between_daynum(dn, en) == cal.werkdagen_between(d, e)
    assert cal.is_werkdag_daynum(dn) == cal.is_werkdag(d)


@settings(max_examples=50, deadline=None)
@given(
    policies,
    st.lists(st.tuples(dates, dates, counts), min_size=1, max_size=30),
)
def test_vectorised_equals_scalar(policy, rows):
    cal = get_calendar(policy)
    starts = np.array([r[0] for r in rows], dtype="datetime64[D]")
    ends = np.array([r[1] for r in rows], dtype="datetime64[D]")
    ns = np.array([r[2] for r in rows])
    added = cal.add_werkdagen_array(starts, ns)
    between = cal.werkdagen_between_array(starts, ends)
    for i, (s, e, n) in enumerate(rows):
        assert added[i].item() == cal.add_werkdagen(s, n)
        assert between[i] == cal.werkdagen_between(s, e)

"""The client profile: ranges, consistency, YAML loading, and errors that name field and range."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivp.domain.errors import InputError
from ivp.domain.profile import (
    HOME_FACTS,
    RANGES,
    ClientProfile,
    OnsetSite,
    load_profile,
    make_profile,
    population_patient,
)


def refused(**fields) -> InputError:
    with pytest.raises(InputError) as info:
        make_profile(**fields)
    return info.value


@pytest.mark.parametrize(
    "field, value, range_text",
    [
        ("age_at_onset", 150, "between 18 and 100 years"),
        ("diagnostic_delay_months", -1, "between 1 and 120 months"),
        ("alsfrs_r_at_diagnosis", 49, "between 0 and 48 points"),
        ("fvc_percent", 400, "between 10 and 150 % of predicted"),
        ("dfs", 11, "between 0 and 10 points per month"),
    ],
)
def test_out_of_range_values_are_refused_naming_field_and_range(field, value, range_text):
    error = refused(**{field: value})
    assert [p.field for p in error.problems] == [field]
    assert range_text in error.problems[0].message
    assert str(value) in error.problems[0].message
    assert field in str(error)


def test_unknown_onset_site_names_the_allowed_sites():
    error = refused(onset_site="foot")
    (problem,) = error.problems
    assert problem.field == "onset_site"
    for site in OnsetSite:
        assert site.value in problem.message
    assert "foot" in problem.message


def test_every_bad_value_is_reported_at_once():
    error = refused(age_at_onset=150, fvc_percent=400, onset_site="foot", diagnostic_delay_months=-1)
    assert {p.field for p in error.problems} == {
        "age_at_onset", "fvc_percent", "onset_site", "diagnostic_delay_months"
    }


def test_unknown_fields_are_refused():
    error = refused(age=63)
    assert error.problems[0].field == "age"


def test_alsfrs_dfs_and_delay_must_agree():
    make_profile(alsfrs_r_at_diagnosis=43, dfs=0.5, diagnostic_delay_months=10)
    make_profile(alsfrs_r_at_diagnosis=43, dfs=0.45, diagnostic_delay_months=10)  # 1 point off: allowed
    error = refused(alsfrs_r_at_diagnosis=40, dfs=0.5, diagnostic_delay_months=10)
    assert error.problems[0].field == "alsfrs_r_at_diagnosis"
    assert error.problems[0].code == "alsfrs_disagrees"
    assert "48 - ΔFS × diagnostic delay = 43" in error.problems[0].message


def test_dfs_times_delay_cannot_exceed_48():
    error = refused(dfs=2.0, diagnostic_delay_months=30)
    assert error.problems[0].field == "dfs"


def test_alsfrs_and_delay_must_imply_a_dfs_in_range():
    error = refused(alsfrs_r_at_diagnosis=12, diagnostic_delay_months=1)  # 36 points a month
    assert error.problems[0].field == "alsfrs_r_at_diagnosis"
    assert error.problems[0].code == "implied_dfs_out_of_range" and "ΔFS of 36" in error.problems[0].message


def test_alsfrs_and_dfs_must_imply_a_delay_in_range():
    error = refused(alsfrs_r_at_diagnosis=0, dfs=0.1)  # 480 months
    assert "diagnostic delay" in error.problems[0].message


def test_population_patient_knows_nothing():
    assert population_patient().known() == {}
    assert ClientProfile() == population_patient()


def test_profile_is_frozen():
    profile = make_profile(age_at_onset=60)
    with pytest.raises(Exception):
        profile.age_at_onset = 70  # type: ignore[misc]


def test_load_profile_from_yaml(tmp_path):
    path = tmp_path / "piet.yaml"
    path.write_text(
        "age_at_onset: 58\nonset_site: legs\ndiagnostic_delay_months: 11\nalsfrs_r_at_diagnosis: 41\n"
        "bedroom_or_bathroom_upstairs: true\nhas_van: false\ndiagnosis_date: 2025-03-14\n",
        encoding="utf-8",
    )
    profile = load_profile(path)
    assert profile.onset_site is OnsetSite.legs
    assert profile.diagnosis_date == dt.date(2025, 3, 14)
    assert profile.bedroom_or_bathroom_upstairs is True
    assert profile.dfs is None


def test_load_profile_errors_name_the_file(tmp_path):
    path = tmp_path / "bad_profile.yaml"
    path.write_text("age_at_onset: 150\nonset_site: foot\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_profile(path)
    assert {p.source for p in info.value.problems} == {"bad_profile.yaml"}
    assert {p.field for p in info.value.problems} == {"age_at_onset", "onset_site"}


def test_load_profile_refuses_non_mappings_and_bad_yaml(tmp_path):
    listing = tmp_path / "list.yaml"
    listing.write_text("- 1\n- 2\n", encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("age_at_onset: [\n", encoding="utf-8")
    for path in (listing, broken, tmp_path / "missing.yaml"):
        with pytest.raises(InputError) as info:
            load_profile(path)
        assert info.value.problems[0].source == path.name


def test_empty_file_is_the_population_patient(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    assert load_profile(path) == population_patient()


@settings(max_examples=60, deadline=None)
@given(
    field=st.sampled_from(sorted(RANGES)),
    inside=st.floats(0, 1),
    outside=st.floats(1e-6, 1e6, allow_nan=False),
    below=st.booleans(),
)
def test_ranges_accept_inside_and_refuse_outside(field, inside, outside, below):
    low, high = RANGES[field]
    make_profile(**{field: low + inside * (high - low)})
    bad = low - outside if below else high + outside
    error = refused(**{field: bad})
    assert error.problems[0].field == field
    assert f"between {low:g} and {high:g}" in error.problems[0].message


@given(st.dictionaries(st.sampled_from(HOME_FACTS), st.booleans()))
def test_home_facts_are_optional_booleans(facts):
    profile = make_profile(**facts)
    assert profile.known() == facts

"""ENCALS survival: known values of the published formula, exact inversion, conditional
sampling, and the personal prognosis for display."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivp.domain.profile import make_profile
from ivp.models.disease.prognosis import prognosis
from ivp.models.disease.survival import encals, sample_death, survival_quantiles


def patient(**overrides) -> pd.DataFrame:
    values = dict(dfs=0.5, diagnostic_delay_months=10.0, age_at_onset=63.0, fvc_percent=90.0,
                  onset_site="legs", definite_el_escorial=False, ftd=False, c9orf72=False)
    values.update(overrides)
    return pd.DataFrame({k: [v] for k, v in values.items()})


def median_from_onset(frame: pd.DataFrame) -> float:
    model = encals()
    return float(np.exp(model.inverse_spline(-model.linear_predictor(frame)))[0])


def test_linear_predictor_of_the_typical_spinal_patient_by_hand():
    lp = (-1.837 * 0.6**-0.5 - 2.373 * (1.0 + 0.0) - 0.267 * 0.63**-2 + 0.477 * (0.9**-1 + 0.9**-0.5))
    assert encals().linear_predictor(patient())[0] == pytest.approx(lp, abs=1e-12)


def test_spline_at_known_points():
    # below kmin only g0 + g1 x; at x = 3.5 both cubic terms by hand
    model = encals()
    assert model.spline(np.array([0.0]))[0] == pytest.approx(-6.409)
    x = 3.5
    v1 = (x - 3.108) ** 3 - 0.481323 * (x - 0.081) ** 3
    v2 = 0 - 0.390507 * (x - 0.081) ** 3
    expected = -6.409 + 2.643 * x - 0.546 * v1 + 0.585 * v2
    assert model.spline(np.array([x]))[0] == pytest.approx(expected, abs=1e-12)


def test_typical_spinal_patient_median_about_35_months_from_onset():
    assert median_from_onset(patient()) == pytest.approx(35.0, abs=0.5)


def test_bulbar_onset_alone_shortens_the_median_to_about_32_5_months():
    # Same covariates, bulbar onset: the published coefficient 0.269 gives 32.5, not 27.
    assert median_from_onset(patient(onset_site="bulbar")) == pytest.approx(32.5, abs=0.5)


def test_typical_bulbar_patient_median_about_27_months_from_onset():
    # A typical bulbar patient is also older, faster and diagnosed sooner with lower FVC
    # (the bulbar medians of population.yaml, rounded): then about 27 months.
    typical_bulbar = patient(onset_site="bulbar", age_at_onset=66.0, dfs=0.7, diagnostic_delay_months=8.0,
                             fvc_percent=85.0)
    assert median_from_onset(typical_bulbar) == pytest.approx(27.0, abs=1.0)


def test_spline_is_linear_outside_the_boundary_knots():
    # natural spline: linear beyond kmax up to the rounding of the published lambdas
    # (6 decimals leave a quadratic term of about 4e-6 x^2)
    model = encals()
    x = np.array([6.0, 7.0, 8.0, 9.0])
    assert np.diff(model.spline(x), 2) == pytest.approx([0.0, 0.0], abs=1e-5)
    x = np.array([-3.0, -2.0, -1.0, 0.0])
    assert np.diff(model.spline(x), 2) == pytest.approx([0.0, 0.0], abs=1e-12)


@given(st.floats(-6, 10))
def test_inverse_spline_round_trips(x):
    model = encals()
    assert model.inverse_spline(model.spline(np.array([x])))[0] == pytest.approx(x, abs=1e-5)


def test_conditional_sampling_matches_the_conditional_survival_curve():
    frame = pd.concat([patient()] * 20_000, ignore_index=True)
    draw = sample_death(frame, np.random.default_rng(11))
    assert np.all(draw.death >= 10.0)
    model = encals()
    lp = model.linear_predictor(frame.iloc[:1])
    for months in (6.0, 12.0, 24.0, 48.0):
        expected = model.survival_after_diagnosis([months], lp, [10.0])[0, 0]
        observed = np.mean(draw.death - 10.0 > months)
        assert observed == pytest.approx(expected, abs=0.012)  # > 3 standard errors


def test_sampling_is_monotone_in_the_uniform_and_in_the_linear_predictor():
    model = encals()
    u = np.linspace(0.01, 1.0, 50)
    lp = np.full(50, -4.4)
    times = model.conditional_quantile(lp, np.full(50, 10.0), u)
    assert np.all(np.diff(times) <= 0)  # higher conditional survival probability: sooner
    worse = model.conditional_quantile(lp + 0.5, np.full(50, 10.0), u)
    assert np.all(worse <= times + 1e-9)


def test_survival_quantiles_median_matches_prognosis():
    frame = patient()
    q = survival_quantiles(frame)
    exact = prognosis(make_profile(age_at_onset=63, onset_site="legs", dfs=0.5, diagnostic_delay_months=10,
                                   fvc_percent=90, definite_el_escorial=False, ftd=False, c9orf72=False))
    assert exact.exact
    assert exact.quantiles[0.5] == pytest.approx(q["q50"].iloc[0], abs=0.2)
    assert exact.survival[0] == pytest.approx(1.0)
    assert np.all(np.diff(exact.survival) <= 0)


def test_prognosis_with_unknowns_is_a_reproducible_mixture():
    first = prognosis(make_profile(onset_site="bulbar"))
    again = prognosis(make_profile(onset_site="bulbar"))
    assert not first.exact
    assert first.quantiles == again.quantiles
    spinal = prognosis(make_profile(onset_site="legs"))
    assert first.quantiles[0.5] < spinal.quantiles[0.5]


def test_nobody_lives_past_the_maximum_age():
    """Competing mortality: the ENCALS tail is capped at encals.yaml's maximum_age."""
    from ivp.domain.profile import make_profile
    from ivp.models.disease import sample_need_windows
    from ivp.models.disease.survival import encals

    old_and_slow = make_profile(age_at_onset=92, onset_site="legs", diagnostic_delay_months=24, dfs=0.1, fvc_percent=110)
    windows = sample_need_windows(20_000, np.random.default_rng(7), old_and_slow)
    maximum_age = encals().params.maximum_age.value
    age_at_death = (
        windows.patients["age_at_onset"]
        + (windows.patients["diagnostic_delay_months"] + windows.death) / 12.0
    )
    assert age_at_death.max() <= maximum_age + 1e-9
    assert (age_at_death > maximum_age - 1e-6).any()  # the cap binds for this profile
    assert np.nanmax(windows.need_end) <= windows.death.max()

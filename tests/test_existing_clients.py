"""A municipality's current clients are alive at the horizon's start: their survival is
sampled conditional on it (S(t | T > c) = S(t)/S(c)), and nobody else's draw changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ivp.application.caseload import load_caseload
from ivp.application.examples import EXAMPLES_DIR
from ivp.application.reserve import run_reserve
from ivp.domain.profile import make_profile
from ivp.domain.units import DAYS_PER_MONTH
from ivp.models.disease import sample_need_windows, simulate_cohort
from ivp.models.disease.survival import encals, sample_death
from ivp.models.process import Caseload, ExistingClient, load_scenario
from ivp.models.process.cohorts import months_alive_before
from ivp.models.process.requests import months_to_days
from ivp.models.process.runner import draw_replication, prepare, provision_ids_of

ROOT = Path(__file__).parents[1]
START = dt.date(2027, 1, 1)
REPS = 400


def scenario():
    return load_scenario("protocol")


def patients(n: int, **overrides) -> pd.DataFrame:
    values = dict(dfs=0.5, diagnostic_delay_months=10.0, age_at_onset=63.0, fvc_percent=90.0,
                  onset_site="legs", definite_el_escorial=False, ftd=False, c9orf72=False)
    values.update(overrides)
    return pd.DataFrame({k: [v] * n for k, v in values.items()})


def existing_deaths(clients, k_range=range(REPS), inhabitants=0, seed=3):
    """Per replication, months from diagnosis to death of each existing client."""
    cohort = Caseload(inhabitants=inhabitants, years=3, start_date=START, existing=tuple(clients))
    ids = provision_ids_of(cohort)
    drawn = [draw_replication(scenario(), cohort, seed, k, len(ids)) for k in k_range]
    death = prepare(drawn, ids).windows.death  # one pass of the disease model for all replications
    ends = np.cumsum([d.cohort.n_patients for d in drawn])
    return np.array([death[end - len(clients):end] for end in ends])


def need_windows(cohort, seed: int, k: int):
    """Replication ``k``'s need windows: its draws and the disease model, not the process."""
    ids = provision_ids_of(cohort)
    return prepare([draw_replication(scenario(), cohort, seed, k, len(ids))], ids).windows


# --- the disease model --------------------------------------------------------------------


def test_conditional_draw_matches_the_survival_curve_given_alive_at_c():
    frame, alive = patients(20_000), 36.0
    draw = sample_death(frame, np.random.default_rng(5), alive_until=alive)
    c = 10.0 + alive
    assert np.all(draw.death >= c)
    model = encals()
    lp = model.linear_predictor(frame.iloc[:1])
    for months in (6.0, 12.0, 24.0, 60.0):
        expected = float(model.survival_from_onset(c + months, lp)[0] / model.survival_from_onset(c, lp)[0])
        assert np.mean(draw.death - c > months) == pytest.approx(expected, abs=0.012)
    # the quantile handed to the course is S(T)/S(delay), as for every other patient
    # (of the uncapped draw, as for everyone: compare where the maximum-age cap did not bind)
    free = draw.death < model.cap_months(frame)
    expected_q = model.survival_from_onset(draw.death, lp) / model.survival_from_onset(10.0, lp)
    np.testing.assert_allclose(draw.quantile[free], expected_q[free], rtol=1e-6)
    assert free.mean() > 0.99


def test_without_alive_until_the_draw_is_exactly_the_old_one():
    frame = patients(500)
    old = sample_death(frame, np.random.default_rng(7))
    for alive in (None, 0.0, np.nan, np.zeros(500), np.full(500, -3.0)):
        new = sample_death(frame, np.random.default_rng(7), alive_until=alive)
        np.testing.assert_array_equal(new.death, old.death)
        np.testing.assert_array_equal(new.quantile, old.quantile)


def test_new_patients_are_unchanged_for_the_same_seed():
    old = sample_need_windows(300, 42)
    for alive in (np.zeros(300), np.full(300, np.nan)):
        new = sample_need_windows(300, 42, alive_until=alive)
        np.testing.assert_array_equal(new.death, old.death)
        np.testing.assert_array_equal(new.need_start, old.need_start)
        np.testing.assert_array_equal(new.need_end, old.need_end)
        np.testing.assert_array_equal(new.trigger, old.trigger)
    # and a caseload's new clients do not depend on the existing clients it also has
    seed = 9
    plain = Caseload(inhabitants=200_000, years=3, start_date=START)
    mixed = Caseload(inhabitants=200_000, years=3, start_date=START,
                     existing=(ExistingClient(dt.date(2024, 1, 1)), ExistingClient(dt.date(2020, 6, 1))))
    for k in range(5):
        a, b = need_windows(plain, seed, k), need_windows(mixed, seed, k)
        np.testing.assert_array_equal(b.death[: a.n_patients], a.death)
        np.testing.assert_array_equal(b.need_start[: a.n_patients], a.need_start)


def test_only_the_conditioned_patients_change_in_a_mixed_cohort():
    alive = np.zeros(200)
    alive[::10] = 48.0
    old = simulate_cohort(200, 4)
    new = simulate_cohort(200, 4, alive_until=alive)
    free = alive == 0
    np.testing.assert_array_equal(new.windows.death[free], old.windows.death[free])
    assert np.all(new.windows.death[~free] >= 48.0)
    # the course follows the new death: needs end by it, the respiratory clock reaches it
    assert np.all(np.nan_to_num(new.windows.need_end[~free], nan=0.0) <= new.windows.death[~free, None])


def test_a_client_older_than_the_maximum_age_allows_dies_at_the_known_alive_time():
    frame = patients(50, age_at_onset=95.0)  # 105 reached 120 months after onset
    alive = 180.0
    draw = sample_death(frame, np.random.default_rng(1), alive_until=alive)
    np.testing.assert_array_equal(draw.death, 10.0 + alive)
    young = sample_death(patients(2000, age_at_onset=80.0), np.random.default_rng(1), alive_until=60.0)
    assert np.all(young.death >= 70.0) and np.all(young.death <= 25 * 12.0)  # cap after c still applies


# --- the caseload -------------------------------------------------------------------------


def test_months_alive_before_the_start():
    assert months_alive_before(dt.date(2024, 1, 1), START) == pytest.approx((1096 + 0.5) / DAYS_PER_MONTH)
    assert months_alive_before(START, START) is None
    assert months_alive_before(dt.date(2027, 3, 1), START) is None


@pytest.mark.slow
@pytest.mark.parametrize("years_before", [1, 3, 6])
def test_an_existing_client_never_dies_before_the_start(years_before):
    diagnosis = START.replace(year=START.year - years_before)
    days = (START - diagnosis).days
    profile = make_profile(age_at_onset=60, onset_site="bulbar")
    clients = [ExistingClient(diagnosis), ExistingClient(diagnosis, profile=profile)]
    death = existing_deaths(clients)
    assert np.all(months_to_days(death) >= days)  # death day on or after the start, every replication


@pytest.mark.slow
def test_conditional_survival_after_the_start_is_longer_than_the_unconditional_remainder():
    profile = make_profile(age_at_onset=62, onset_site="legs", dfs=0.6, diagnostic_delay_months=11,
                           fvc_percent=85)
    diagnosis = dt.date(2024, 1, 1)
    m = months_alive_before(diagnosis, START)
    conditioned = existing_deaths([ExistingClient(diagnosis, profile=profile)])[:, 0] - m
    # the same profile unconditioned (what the model did before): dead by the start counts 0
    fresh = sample_need_windows(REPS, 3, profile=profile).death
    remainder = np.maximum(fresh - m, 0.0)
    assert np.all(conditioned >= 0)
    assert conditioned.mean() > remainder.mean() + 6.0
    assert np.median(conditioned) > np.median(remainder)
    # and it matches the closed form S(c + 12)/S(c) for the share alive a year after the start
    frame = patients(1, age_at_onset=62.0, dfs=0.6, diagnostic_delay_months=11.0, fvc_percent=85.0)
    model = encals()
    lp, c = model.linear_predictor(frame), 11.0 + m
    share = float(model.survival_from_onset(c + 12, lp)[0] / model.survival_from_onset(c, lp)[0])
    assert np.mean(conditioned > 12) == pytest.approx(share, abs=4 * np.sqrt(share * (1 - share) / REPS))


def test_every_existing_client_is_active_in_the_first_year_of_the_reserve():
    caseload = load_caseload(EXAMPLES_DIR / "caseload.csv", as_of=dt.date(2026, 11, 1))
    result = run_reserve(0, 2, scenario(), caseload=caseload, replications=60, seed=2, start=START)
    kpis = result.kpis
    active = kpis[(kpis["metric"] == "active_clients") & (kpis["year"] == 0)]
    assert len(active) == 60
    assert np.all(active["value"].to_numpy() == len(caseload))
    deaths = kpis[(kpis["metric"] == "deaths") & (kpis["year"] == 0)]["value"].to_numpy()
    assert deaths.mean() < len(caseload)  # they do die during the horizon, just not before it

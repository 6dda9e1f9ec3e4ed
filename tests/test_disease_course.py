"""The functional course: items never improve, the course meets the ALSFRS-R at diagnosis,
the onset region goes first and respiratory last and gentlest, closed-form inverse times,
and separate random streams."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivp.domain.profile import make_profile
from ivp.models.disease.cohort import simulate_cohort
from ivp.models.disease.course import latent_scores, sample_courses, solve_stage_at_diagnosis
from ivp.models.disease.params import course_params
from ivp.models.disease.population import sample_population
from ivp.models.disease.streams import spawn_streams
from ivp.models.disease.survival import sample_death

REGION_ITEMS = {"bulbar": [0, 1, 2], "arms": [3, 4, 5], "legs": [6, 7, 8], "respiratory": [9, 10, 11]}


@pytest.fixture(scope="module")
def cohort():
    return simulate_cohort(3000, 42)


def test_items_never_improve(cohort):
    c = cohort.courses
    grid = np.linspace(0, 200, 401)
    latent = c.latent(grid)
    assert np.all(np.diff(latent, axis=1) <= 1e-12)
    scores = c.scores(grid)
    assert np.all(np.diff(scores, axis=1) <= 0)
    assert scores.min() >= 0 and scores.max() <= 4
    assert np.all(c.scores(np.array([0.0])) == 4)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), site=st.sampled_from(["bulbar", "arms", "legs", "respiratory", None]))
def test_items_never_improve_for_any_seed_and_site(seed, site):
    profile = make_profile(onset_site=site) if site else None
    c = simulate_cohort(50, seed, profile).courses
    times = np.sort(np.random.default_rng(seed).uniform(0, 150, 60))
    assert np.all(np.diff(c.latent(times), axis=1) <= 1e-12)


def test_course_meets_the_alsfrs_at_diagnosis(cohort):
    c, p = cohort.courses, cohort.patients
    target = np.minimum(48 - p["dfs"].to_numpy() * c.delay, course_params().alsfrs_max_latent_at_diagnosis.value)
    latent_total = c.total(c.delay[:, None], integer=False)[:, 0]
    assert latent_total == pytest.approx(target, abs=1e-6)
    integer_total = c.total(c.delay[:, None])[:, 0]
    assert np.mean(np.abs(integer_total - np.round(target))) < 1.5  # rounding item by item


def _bisection(center, width, target, steps=60):
    """The stage at diagnosis by plain bisection on the latent total: the solver's reference."""
    low, high = np.zeros(len(target)), np.max(center + 40 * width, axis=1)
    for _ in range(steps):
        mid = 0.5 * (low + high)
        above = latent_scores(mid[:, None], center, width).sum(axis=1) > target
        low, high = np.where(above, mid, low), np.where(above, high, mid)
    return 0.5 * (low + high)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), alsfrs=st.sampled_from([None, 48, 47, 40, 30, 20, 12]),
       site=st.sampled_from(["bulbar", "legs", "respiratory", None]))
def test_the_stage_at_diagnosis_is_the_bisections_root(seed, alsfrs, site):
    """Newton's method finds the stage at which the latent total meets the ALSFRS-R at
    diagnosis to within 1e-9 of a 60-step bisection, also at the ends of the scale."""
    fields = {k: v for k, v in (("alsfrs_r_at_diagnosis", alsfrs), ("onset_site", site)) if v is not None}
    cohort = simulate_cohort(300, seed, make_profile(**fields) if fields else None)
    c, params = cohort.courses, course_params()
    target = np.minimum(48 - cohort.patients["dfs"].to_numpy() * c.delay, params.alsfrs_max_latent_at_diagnosis.value)
    assert np.max(np.abs(c.stage_at_diagnosis - _bisection(c.center, c.width, target))) <= 1e-9
    assert np.array_equal(solve_stage_at_diagnosis(c.center, c.width, target, params.solver_close_step.value),
                          c.stage_at_diagnosis)


def test_the_solver_fails_loudly_on_a_wrong_close_step():
    """A close step that would leave the stage inexact is refused where the data are read."""
    data = course_params().model_dump()
    data["solver_close_step"]["value"] = 0.01
    with pytest.raises(ValueError, match="solver_close_step"):
        type(course_params()).model_validate(data)


def test_onset_region_declines_first_and_respiratory_last(cohort):
    c, site = cohort.courses, cohort.patients["onset_site"].astype(str).to_numpy()
    first_drop = np.column_stack([c.time_at_score(i, 3) for i in range(12)])  # first point lost
    region_first = {r: first_drop[:, items].min(axis=1) for r, items in REGION_ITEMS.items()}
    for onset in ("bulbar", "arms", "legs"):
        rows = site == onset
        motor = [region_first[r][rows] for r in ("bulbar", "arms", "legs") if r != onset]
        # every patient: the onset region loses its first point before the other motor regions
        assert np.all(region_first[onset][rows] < np.min(motor, axis=0)), onset
        # respiratory comes later in stage for everyone; in calendar time the respiratory
        # clock of someone who dies soon after diagnosis can overtake a slow onset region
        assert np.mean(region_first["respiratory"][rows] > region_first[onset][rows]) > 0.97
        # and typically after the first neighbouring region too (the third motor region
        # may come after it: docs/disease-model.md)
        neighbour = course_params().region_order.value[onset][1]
        assert np.median(region_first["respiratory"][rows]) > np.median(region_first[neighbour][rows])


def test_neighbouring_regions_follow_in_the_published_order(cohort):
    c, site = cohort.courses, cohort.patients["onset_site"].astype(str).to_numpy()
    half = {r: np.min([c.time_at_score(i, 2) for i in items], axis=0) for r, items in REGION_ITEMS.items()}
    for onset, order in course_params().region_order.value.items():
        rows = site == onset
        if rows.sum() < 20:
            continue
        medians = [np.median(half[region][rows]) for region in order]
        assert medians == sorted(medians), (onset, order, medians)


def test_respiratory_items_are_the_gentlest(cohort):
    widths = cohort.courses.width
    site = cohort.patients["onset_site"].astype(str).to_numpy()
    rows = site != "respiratory"
    assert np.all(widths[rows][:, 9:].min(axis=1) > widths[rows][:, :9].max(axis=1))


def test_time_at_score_is_the_closed_form_inverse(cohort):
    c = cohort.courses
    for item in (0, 4, 7, 11):
        for score in (3, 2, 1, 0):
            t = c.time_at_score(item, score)
            finite = np.isfinite(t) & (t > 1e-6)
            level = c.latent(t[:, None])[np.arange(c.n_patients), 0, item]
            assert level[finite] == pytest.approx(score + c.rounding, abs=1e-6)
            before = c.latent(np.maximum(t - 1e-3, 0)[:, None])[np.arange(c.n_patients), 0, item]
            assert np.all(before[finite] >= score + c.rounding - 1e-9)


def test_death_item_reaches_the_death_level_at_death(cohort):
    """Everyone's respiratory-insufficiency item is at the drawn death level at death, but
    for the patients already past it at diagnosis (their clock runs at the minimum rate)."""
    c = cohort.courses
    item = c.item_index("respiratory_insufficiency")
    at_death = c.latent(c.death[:, None])[:, 0, item]
    past = c.stage_at_level(item, c.death_level) <= c.stage_at_diagnosis
    assert at_death[~past] == pytest.approx(c.death_level[~past], abs=1e-6)
    assert np.all(at_death[past] <= c.death_level[past] + 1e-9)
    assert np.all(c.rate_after_diagnosis[past, 1] == course_params().min_post_diagnosis_rate.value)
    assert past.mean() < 0.05


def test_death_levels_follow_the_bands():
    """The respiratory course at the endpoint: the share of each band of death levels
    (course.yaml: no NIV, intermittent NIV, continuous NIV) is drawn as documented."""
    params = course_params()
    u = np.random.default_rng(1).random(200_000)
    level = params.death_level_of(u)
    for band in params.death_level:
        inside = (level >= band.low) & (level <= band.high)
        assert inside.mean() == pytest.approx(band.share, abs=0.005)
    assert level.min() >= min(b.low for b in params.death_level) and level.max() <= 4.0


def test_respiratory_course_continues_after_ventilation_starts(cohort):
    """Of those who need NIV (respiratory insufficiency 3), most reach continuous night-time
    NIV (2) before the endpoint and a good part NIV night and day (1): the course does not
    stall at intermittent use (it did: 34 % and 8 % before the death-level bands)."""
    c = cohort.courses
    reach = {score: c.time_at_score("respiratory_insufficiency", score) < c.death for score in (3, 2, 1)}
    assert reach[3].mean() == pytest.approx(0.58, abs=0.05)
    assert reach[2][reach[3]].mean() > 0.7
    assert reach[1][reach[3]].mean() > 0.3


def _violations(courses, months):
    scores = courses.scores(months)
    alive = months[None, :] < courses.death[:, None]
    bad = {}
    for a, score_a, b, score_b in course_params().implication_pairs():
        bad[(a, score_a, b, score_b)] = int(np.sum(alive & (scores[:, :, a] <= score_a) & (scores[:, :, b] > score_b)))
    return bad


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), site=st.sampled_from(["bulbar", "arms", "legs", "respiratory", None]))
def test_no_course_breaks_the_order_of_the_scale(seed, site):
    """The ALSFRS-R's own wording (course.yaml implications): nobody is non-ambulatory
    (walking 1) while stairs still score 1 or more, walks with assistance while climbing
    stairs without, cannot grip a pen but cuts food, ... on any sampled course, any site."""
    profile = make_profile(onset_site=site) if site else None
    courses = simulate_cohort(200, seed, profile).courses
    months = np.sort(np.random.default_rng(seed).uniform(0, 180, 400))
    assert not any(_violations(courses, months).values())


def test_walking_is_not_lost_before_the_stairs(cohort):
    """The measured fault of the first model: 97 % were non-ambulatory before they needed
    help on stairs. Stairs need assistance (1) no later than walking needs it (2)."""
    c = cohort.courses
    stairs = c.time_at_score("climbing_stairs", 1)
    walking = c.time_at_score("walking", 2)
    assert np.all(stairs <= walking + 1e-9)


def test_streams_are_separate_changing_the_course_keeps_survival():
    streams = spawn_streams(7)
    patients = sample_population(500, streams.population)
    survival = sample_death(patients, streams.survival)
    reference = simulate_cohort(500, 7)
    assert np.array_equal(reference.patients["survival_months_from_onset"].to_numpy(), survival.death)
    # another course model (different widths) on the same streams: same patients, same deaths
    params = course_params().model_copy(update={"offset_log_sd": course_params().offset_log_sd.model_copy(update={"value": 0.3})})
    other = sample_courses(patients, survival.death, survival.quantile, spawn_streams(7).course, params)
    assert np.array_equal(other.death, reference.courses.death)
    assert not np.array_equal(other.center, reference.courses.center)


def test_same_seed_same_course_different_seed_different_course():
    a, b, c = simulate_cohort(300, 3), simulate_cohort(300, 3), simulate_cohort(300, 4)
    assert np.array_equal(a.courses.center, b.courses.center)
    assert np.array_equal(a.windows.need_start, b.windows.need_start, equal_nan=True)
    assert not np.array_equal(a.courses.center, c.courses.center)


def test_faster_motor_decline_goes_with_shorter_survival(cohort):
    """The pace factor is tied to the survival draw with the clinical sign: patients who
    die sooner after diagnosis decline faster in their limbs and speech (the motor clock),
    not slower. ``survival_quantile`` u is S(T)/S(delay): u near 1 = early death, so the
    copula uses +ndtri(u). With the sign the wrong way round (-ndtri(u), before the fix) the
    rank correlation was about +0.5."""
    from scipy.stats import spearmanr

    c, p = cohort.courses, cohort.patients
    pace = c.rate_after_diagnosis[:, 0] * c.tau  # the pace factor kappa
    survival = p["survival_months_from_diagnosis"].to_numpy()
    assert spearmanr(pace, survival).statistic < -0.2
    # the same in points: motor ALSFRS-R items lost per month over the first year (or to death)
    motor = c.item_clock == 0
    horizon = np.minimum(c.delay + 12.0, c.death)
    latent = c.latent(np.stack([c.delay, horizon], axis=1))[:, :, motor].sum(axis=2)  # (n, 2)
    slope = (latent[:, 0] - latent[:, 1]) / np.maximum(horizon - c.delay, 1e-9)
    assert spearmanr(slope, survival).statistic < -0.2

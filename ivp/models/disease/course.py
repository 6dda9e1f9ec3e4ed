"""The functional course: the 12 ALSFRS-R items from symptom onset to death.

Shape (per item, the D50 sigmoid of the Jena group, anchored at 4 at onset)::

    y(θ) = 4 · (1 − (L((θ − c)/w) − L(−c/w)) / (1 − L(−c/w))),   L(z) = 1 / (1 + e^−z)

``θ`` is the patient's disease *stage* in "typical months since onset"; ``c`` (the item's
D50: stage at which it is half lost) is the lag of the item's region, by its rank in the
onset site's order, plus the item's offset within its region; ``w`` is the steepness (the
D50 model's ``dx``). Items never improve, because ``y`` falls in ``θ`` and ``θ`` never
falls in time.

Before diagnosis one stage clock drives all items: ``θ = t / τ`` (``t`` months since
onset), with ``τ`` chosen so that the course's total at diagnosis equals
``48 − ΔFS · delay`` (Newton's method inside a bisection bracket, vectorised; the total is monotone in ``θ``). After
diagnosis two clocks continue from ``θ_dx``, each linear in time:

- the *motor* clock (bulbar, arm and leg items) keeps the patient's own pace:
  ``θ = θ_dx + κ (t − delay) / τ``, where the pace factor ``κ`` is log-normal and
  correlated with the survival draw's quantile (patients who die sooner than their ENCALS
  prognosis also decline faster);
- the *respiratory* clock (items 10–12) runs at the rate that brings the respiratory
  insufficiency item to the patient's death level exactly at the sampled ENCALS time of
  death (a threshold, or first-passage, model: most people with ALS die of respiratory
  failure); a patient already past that level at diagnosis declines at a minimum rate.

So the course is consistent with both the ALSFRS-R at diagnosis and the survival draw.
Every time at which an item reaches a score has a closed form (invert ``y``, then the
clock), which makes need windows a few array operations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit, logit, ndtri

from ivp.domain.profile import ALSFRS_MAX
from ivp.models.disease.params import REGIONS, SITES, CourseParams, course_params
from ivp.models.disease.population import site_codes

ITEM_MAX = 4.0
#: Upper bracket of the stage search at diagnosis, in item widths beyond the latest D50:
#: there every latent item score is below 4·e^-40, so any reachable total lies inside.
_BRACKET_WIDTHS = 40.0
#: Bisection steps before Newton's method takes over (measured on 10,000 population patients:
#: with 4 the solver was fastest, every patient done within 10 Newton steps; from the whole
#: bracket Newton needed up to 18).
_FIRST_BISECTIONS = 4
#: A bound that is never reached (bisection alone closes the bracket to 1e-15 within 60 steps).
_MAX_NEWTON_STEPS = 200


@dataclass(frozen=True)
class Courses:
    """The functional courses of ``n`` patients (arrays in patient order)."""

    item_names: tuple[str, ...]
    center: np.ndarray  # (n, 12) stage D50 of each item
    width: np.ndarray  # (n, 12) stage steepness of each item
    delay: np.ndarray  # (n,) months from onset to diagnosis
    death: np.ndarray  # (n,) months from onset to death (ENCALS endpoint)
    tau: np.ndarray  # (n,) months per stage unit before diagnosis
    stage_at_diagnosis: np.ndarray  # (n,)
    rate_after_diagnosis: np.ndarray  # (n, 2) stage units per month: motor, respiratory clock
    item_clock: np.ndarray  # (12,) clock of each item: 0 motor, 1 respiratory
    death_level: np.ndarray  # (n,) latent death-item score at which the patient dies
    rounding: float  # item at score k or worse once latent < k + rounding

    @property
    def n_patients(self) -> int:
        return len(self.delay)

    def item_index(self, name: str) -> int:
        try:
            return self.item_names.index(name)
        except ValueError:
            raise KeyError(f"unknown ALSFRS-R item '{name}'") from None

    # --- stage clocks ---------------------------------------------------------------------

    def stages(self, months_since_onset: np.ndarray) -> np.ndarray:
        """Stage of each item at the given times: ``(n, m, 12)`` for ``(m,)`` or ``(n, m)``."""
        t = np.asarray(months_since_onset, float)
        if t.ndim == 1:
            t = np.broadcast_to(t, (self.n_patients, t.shape[0]))
        t = t[:, :, None]
        d = self.delay[:, None, None]
        rate = self.rate_after_diagnosis[:, self.item_clock][:, None, :]  # (n, 1, 12)
        before = t / self.tau[:, None, None]
        after = self.stage_at_diagnosis[:, None, None] + rate * (t - d)
        return np.where(t <= d, np.maximum(before, 0.0), after)

    def time_of_stage(self, stage: np.ndarray, item: int) -> np.ndarray:
        """Months since onset at which ``item``'s clock reaches ``stage`` (``(n,)``)."""
        stage = np.asarray(stage, float)
        rate = self.rate_after_diagnosis[:, self.item_clock[item]]
        before = stage * self.tau
        after = self.delay + (stage - self.stage_at_diagnosis) / rate
        return np.where(stage <= self.stage_at_diagnosis, before, after)

    # --- items ----------------------------------------------------------------------------

    def latent(self, months_since_onset: np.ndarray) -> np.ndarray:
        """Latent (continuous) item scores, shape ``(n, m, 12)`` for ``m`` times."""
        stage = self.stages(np.atleast_1d(months_since_onset))
        return latent_scores(stage, self.center[:, None, :], self.width[:, None, :])

    def scores(self, months_since_onset: np.ndarray) -> np.ndarray:
        """Observed integer item scores (latent rounded), shape ``(n, m, 12)``."""
        return np.clip(np.floor(self.latent(months_since_onset) + (1.0 - self.rounding)), 0, ITEM_MAX)

    def total(self, months_since_onset: np.ndarray, integer: bool = True) -> np.ndarray:
        """ALSFRS-R total, shape ``(n, m)``."""
        items = self.scores(months_since_onset) if integer else self.latent(months_since_onset)
        return items.sum(axis=2)

    def stage_at_level(self, item: int, level: float | np.ndarray) -> np.ndarray:
        """``(n,)`` stage at which item ``item`` (0-based) falls to latent ``level``."""
        return stage_at_latent(level, self.center[:, item], self.width[:, item])

    def time_at_score(self, item: str | int, score: float) -> np.ndarray:
        """``(n,)`` months since onset at which ``item`` first scores ``score`` or worse.

        May lie after death (the patient never gets there); ``0`` for a score of 4.
        """
        index = self.item_index(item) if isinstance(item, str) else item
        if score >= ITEM_MAX:
            return np.zeros(self.n_patients)
        return self.time_of_stage(self.stage_at_level(index, score + self.rounding), index)


def latent_scores(stage, center, width):
    """The anchored D50 sigmoid: 4 at stage 0, falling to 0 (broadcasting)."""
    start = expit(-center / width)
    return ITEM_MAX * (1.0 - (expit((stage - center) / width) - start) / (1.0 - start))


def stage_at_latent(level, center, width):
    """Inverse of :func:`latent_scores` in the stage: ``+inf`` for level 0."""
    start = expit(-center / width)
    fraction = start + (1.0 - start) * (1.0 - np.asarray(level, float) / ITEM_MAX)
    with np.errstate(divide="ignore"):
        return np.maximum(center + width * logit(fraction), 0.0)


@dataclass(frozen=True)
class CourseDraws:
    """The random variates of ``n`` patients' courses, drawn in a fixed order: per patient
    3 region steps and 1 respiratory lag, 12 item offsets, 1 width (normals), the death
    level (a uniform) and the pace factor (a normal)."""

    z_lag: np.ndarray  # (n, 4)
    z_offset: np.ndarray  # (n, 12)
    z_width: np.ndarray
    u_death: np.ndarray
    z_pace: np.ndarray

    @classmethod
    def draw(cls, n: int, rng: np.random.Generator, n_items: int) -> "CourseDraws":
        z_lag = rng.standard_normal((n, len(REGIONS)))
        z_offset = rng.standard_normal((n, n_items))
        z_width = rng.standard_normal(n)
        return cls(z_lag=z_lag, z_offset=z_offset, z_width=z_width, u_death=rng.random(n), z_pace=rng.standard_normal(n))

    def __len__(self) -> int:
        return len(self.z_width)


def item_templates(patients: pd.DataFrame, draws: CourseDraws, params: CourseParams):
    """Per patient and item, the stage D50 (``center``) and steepness (``width``)."""
    n = len(patients)
    z_lag, z_offset, z_width = draws.z_lag, draws.z_offset, draws.z_width

    # stage lag of the region of rank 0..3 in the order; the last step repeats the one before
    lags = np.asarray(params.region_lag.value)
    step_means = np.append(np.diff(lags), lags[-1] - lags[-2])
    steps = step_means[None, :] * np.exp(params.lag_log_sd.value * z_lag[:, :3])
    lag_by_rank = np.concatenate([np.zeros((n, 1)), np.cumsum(steps, axis=1)], axis=1)  # (n, 4)
    respiratory_lag = params.respiratory_lag.value * np.exp(params.lag_log_sd.value * z_lag[:, 3])

    # rank of each region in each site's order (respiratory: -1 unless it is in the order)
    rank_table = np.array(
        [[_rank(params.region_order.value[site], region) for region in REGIONS] for site in SITES]
    )  # (site, region)
    item_region = np.array([REGIONS.index(item.region) for item in params.items])
    site_code = site_codes(patients)
    item_rank = rank_table[site_code][:, item_region]  # (n, 12)
    item_lag = np.take_along_axis(lag_by_rank, np.maximum(item_rank, 0), axis=1)
    item_lag = np.where(item_rank < 0, respiratory_lag[:, None], item_lag)

    rank_factor = np.asarray(params.width_factor_by_rank.value)[np.maximum(item_rank, 0)]
    rank_factor = np.where(item_rank < 0, params.respiratory_width_factor.value, rank_factor)

    offsets = np.array([item.offset for item in params.items])[None, :]
    widths = np.array([item.width for item in params.items])[None, :]
    center = item_lag + offsets * np.exp(params.offset_log_sd.value * z_offset)
    width = widths * rank_factor * np.exp(params.width_log_sd.value * z_width)[:, None]
    return _keep_order(center, width, item_rank, params), width


def _keep_order(center, width, item_rank, params: CourseParams, rounds: int = 50):
    """The published order of regions and the order the scale's wording imposes on items
    (``params.implications``), both for every patient: each only ever delays an item's
    decline, so alternating them until neither moves anything ends with both kept."""
    gap, rounding = params.min_region_gap.value, params.score_rounding.value
    pairs = params.implication_pairs()
    center = center.copy()
    # Both steps work row by row (one patient's items), so a row that neither moved is at
    # rest and stays so: each round takes only the rows the round before moved (measured:
    # most settle in the first round), with the same result as rounds over every row.
    active = np.arange(len(center))
    for _ in range(rounds):
        before = center[active]
        after = _keep_region_order(before, width[active], item_rank[active], gap)
        after = _keep_implications(after, width[active], pairs, rounding)
        moved = np.any(after != before, axis=1)
        if not moved.any():
            return center
        center[active] = after
        active = active[moved]
    raise RuntimeError("the order of regions and items did not settle")  # pragma: no cover


def _keep_implications(center, width, pairs, rounding: float, rounds: int = 50):
    """Delay the item of each implication ``(a, score_a) => (b, score_b)`` (both on one
    clock) until it reaches ``score_a`` no sooner than ``b`` reaches ``score_b``: then a
    patient who scores ``score_a`` or less on ``a`` scores ``score_b`` or less on ``b`` at
    every moment. Shifting a D50 by ``Δ`` moves a threshold's stage by a little less than
    ``Δ`` (the curve is anchored at onset), so the shift repeats on what is left."""
    center = center.copy()
    active = np.arange(len(center))  # rows still moving: one no pair moved in a round is at rest
    for _ in range(rounds):
        part, part_width = center[active], width[active]
        moved = np.zeros(len(active), dtype=bool)
        for a, score_a, b, score_b in pairs:
            stage_a = stage_at_latent(score_a + rounding, part[:, a], part_width[:, a])
            stage_b = stage_at_latent(score_b + rounding, part[:, b], part_width[:, b])
            deficit = stage_b - stage_a
            late = deficit > 0
            if late.any():
                part[late, a] += deficit[late] + 1e-9
                moved |= late
        if not moved.any():
            return center
        center[active] = part
        active = active[moved]
    raise RuntimeError("the implications between items did not settle")  # pragma: no cover


def _keep_region_order(center, width, item_rank, gap: float, rounds: int = 8):
    """Shift later regions so that each region loses its first point at least ``gap``
    stage units after the region before it in the order (and the respiratory region after
    the onset region): the published order then holds for every patient, not on average.

    Shifting a D50 by ``Δ`` moves the first-point stage by a little less than ``Δ`` (the
    curve is anchored at onset), so the shift is repeated on what is left of the deficit.
    """
    center = center.copy()
    # the stage at which each item loses its first point, kept up to date row by row: a shift
    # changes only the rows it moves (measured: recomputing the whole matrix on every check
    # was a third of a comparison's time)
    first = stage_at_latent(ITEM_MAX - 0.5, center, width)

    def region_first(rank):
        mask = item_rank == rank
        return np.where(mask, first, np.inf).min(axis=1), mask

    def follow(rank, after):
        mask = item_rank == rank

        def deficit_of(rows, current):
            deficit = np.where(np.isfinite(current), np.maximum(after[rows] + gap - current, 0.0), 0.0)
            return rows[deficit > 0], deficit[deficit > 0]

        # a row without a deficit keeps none (only shifts change it): after the first check
        # over every row, each round checks only the rows it shifted (measured on 10,000
        # patients: 14.6 ms, where checking every row each round took 23.7)
        rows, deficit = deficit_of(np.arange(len(center)), np.where(mask, first, np.inf).min(axis=1))
        for _ in range(rounds):
            if rows.size == 0:
                break
            center[rows] += np.where(mask[rows], deficit[:, None], 0.0)
            first[rows] = stage_at_latent(ITEM_MAX - 0.5, center[rows], width[rows])
            rows, deficit = deficit_of(rows, np.where(mask[rows], first[rows], np.inf).min(axis=1))

    onset_first = region_first(0)[0]
    previous = onset_first
    for rank in range(1, int(item_rank.max()) + 1):
        follow(rank, previous)
        current = region_first(rank)[0]
        previous = np.where(np.isfinite(current), current, previous)
    follow(-1, onset_first)
    return center


def _rank(order, region) -> int:
    return order.index(region) if region in order else -1


def solve_stage_at_diagnosis(center, width, target_total, close_step: float) -> np.ndarray:
    """Stage at which the latent total equals ``target_total``: Newton's method on the total
    (a sum of sigmoids, falling in the stage), kept inside a bracket that every evaluation
    narrows, with a bisection step wherever Newton's would leave it. The first steps bisect
    the whole range (Newton is slow from far off); a row stops one step after a Newton step
    shorter than ``close_step`` times its stage (at least 1), where the error squares to
    about 1e-14, or when its bracket has closed. Measured on 10,000 population patients:
    about 6 Newton steps on average after the 4 bisection steps (48 bisection steps before),
    and at most 1.5e-12 from the bisection's stages."""
    n = len(target_total)
    low = np.zeros(n)
    high = np.max(center + _BRACKET_WIDTHS * width, axis=1)
    # latent_scores's arithmetic, with the parts that do not depend on the stage computed once
    start = expit(-center / width)
    span = 1.0 - start
    for _ in range(_FIRST_BISECTIONS):
        mid = 0.5 * (low + high)
        above = (ITEM_MAX * (1.0 - (expit((mid[:, None] - center) / width) - start) / span)).sum(axis=1) > target_total
        low = np.where(above, mid, low)
        high = np.where(above, high, mid)
    slope = ITEM_MAX / (span * width)  # minus the item's derivative, per e(1 - e)
    stage = 0.5 * (low + high)
    out = np.empty(n)
    near = np.zeros(n, dtype=bool)  # the last step was short: this one ends the row
    active = np.arange(n)
    for _ in range(_MAX_NEWTON_STEPS):
        x, c, w = stage[active], center[active], width[active]
        e = expit((x[:, None] - c) / w)
        f = (ITEM_MAX * (1.0 - (e - start[active]) / span[active])).sum(axis=1) - target_total[active]
        derivative = -(slope[active] * e * (1.0 - e)).sum(axis=1)
        lo = np.where(f > 0, x, low[active])
        hi = np.where(f > 0, high[active], x)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = x - f / derivative
        outside = ~((step >= lo) & (step <= hi))  # also nan (a flat total)
        step = np.where(outside, 0.5 * (lo + hi), step)
        scale = np.maximum(x, 1.0)
        done = near[active] | (f == 0) | (hi - lo <= 1e-15 * scale)
        near[active] = ~outside & (np.abs(step - x) <= close_step * scale)
        low[active], high[active], stage[active] = lo, hi, step
        out[active[done]] = np.where(f[done] == 0, x[done], step[done])
        active = active[~done]
        if not active.size:
            return out
    raise RuntimeError("the stage at diagnosis did not converge")  # pragma: no cover


def sample_courses(
    patients: pd.DataFrame,
    death: np.ndarray,
    survival_quantile: np.ndarray,
    rng: np.random.Generator,
    params: CourseParams | None = None,
) -> Courses:
    """Courses consistent with each patient's ALSFRS-R at diagnosis and time of death.

    ``death`` is months from onset and ``survival_quantile`` the uniform that drew it (the
    conditional survival probability, see :func:`ivp.models.disease.survival.sample_death`).
    Draws from ``rng``: the item templates, one uniform for the death level and one normal
    for the pace factor per patient.
    """
    params = params or course_params()
    return courses_from_draws(patients, death, survival_quantile, CourseDraws.draw(len(patients), rng, len(params.items)),
                              params)


def courses_from_draws(
    patients: pd.DataFrame,
    death: np.ndarray,
    survival_quantile: np.ndarray,
    draws: CourseDraws,
    params: CourseParams | None = None,
) -> Courses:
    """:func:`sample_courses` from its drawn variates."""
    params = params or course_params()
    center, width = item_templates(patients, draws, params)
    u_death, z_pace = draws.u_death, draws.z_pace

    delay = patients["diagnostic_delay_months"].to_numpy(float)
    target = np.minimum(
        ALSFRS_MAX - patients["dfs"].to_numpy(float) * delay, params.alsfrs_max_latent_at_diagnosis.value
    )
    stage_dx = solve_stage_at_diagnosis(center, width, target, params.solver_close_step.value)
    tau = delay / stage_dx

    # motor clock: the patient's own pace, times a factor that is lower for those who live
    # longer than their prognosis (u near 0) and higher for those who die sooner (u near 1);
    # u is the conditional survival probability at the sampled death, S(T) = u * S(delay)
    rho = params.pace_survival_correlation.value
    z_survival = ndtri(np.clip(survival_quantile, 1e-12, 1 - 1e-12))  # high (u near 1) = dies sooner
    pace = params.pace_factor_median.value * np.exp(
        params.pace_factor_log_sd.value * (rho * z_survival + np.sqrt(1 - rho**2) * z_pace)
    )
    motor_rate = pace / tau

    # respiratory clock: reach the death level at the time of death
    death_item = params.item_names.index(params.death_item.value)
    at_diagnosis = latent_scores(stage_dx, center[:, death_item], width[:, death_item])
    death_level = params.death_level_of(u_death, ceiling=at_diagnosis)
    stage_death = stage_at_latent(death_level, center[:, death_item], width[:, death_item])
    remaining = np.maximum(np.asarray(death, float) - delay, 1e-9)
    left = stage_death - stage_dx
    respiratory_rate = np.where(left > 0, left / remaining, params.min_post_diagnosis_rate.value)

    return Courses(
        item_names=params.item_names,
        center=center,
        width=width,
        delay=delay,
        death=np.asarray(death, float),
        tau=tau,
        stage_at_diagnosis=stage_dx,
        rate_after_diagnosis=np.stack([motor_rate, respiratory_rate], axis=1),
        item_clock=np.array([int(item.region == "respiratory") for item in params.items]),
        death_level=death_level,
        rounding=params.score_rounding.value,
    )

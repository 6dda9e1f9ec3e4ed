"""Conditioning a client's possible courses on what follow-up visits observed.

At diagnosis the model draws a client's courses from the profile (:mod:`.cohort`). A visit
months later observes the ALSFRS-R (its items, or only the total) and that the client is
alive. The courses are weighted by how likely they make that observation (importance
weights, the likelihood of the observation under each course):

* **alive**: a course with death before the visit gets weight 0;
* **items**: the observed item is the course's latent item score plus a normal error
  (``item_sd``), rounded as the scale rounds (``course.yaml`` ``score_rounding``: score *k*
  for latent values in ``[k - 1 + r, k + r)``), so the probability of score *k* is a
  difference of two normal CDFs;
* **total only**: the observed total is the course's (integer) total plus a normal error
  (``total_sd``), rounded to a whole point.

Visits multiply (errors independent between visits). The weights' effective number of
courses (Kish: ``(Σw)² / Σw²``) says how many courses still carry the plan; when fewer
than ``min_effective_courses`` remain, the measurement errors are widened by a factor
(bisection up to ``max_widening``) until enough do: the forecasts widen rather than rest on a
handful of courses. The FVC of a visit is not used: the course model has no FVC trajectory
(the FVC at diagnosis enters through the ENCALS survival model).

Parameters: ``data/visits.yaml`` (each with its rationale and source).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np
from pydantic import Field
from scipy.special import log_ndtr

from ivp.domain.units import DAYS_PER_MONTH
from ivp.domain.visit import ALSFRS_R_ITEMS, Visit
from ivp.domain.yamlfile import load_documented_model
from ivp.models.disease.course import ITEM_MAX, Courses
from ivp.models.disease.params import Frozen, data_path


class VisitParams(Frozen):
    item_sd: float = Field(gt=0)
    total_sd: float = Field(gt=0)
    pool_courses: int = Field(ge=100)
    min_effective_courses: int = Field(ge=1)
    max_widening: float = Field(ge=1)
    min_visits_without_data: int = Field(ge=1)


@lru_cache(maxsize=1)
def visit_params() -> VisitParams:
    return load_documented_model(data_path("visits.yaml"), VisitParams, required=("rationale", "source"))[0]


@dataclass(frozen=True)
class Observation:
    """One visit as the model sees it: months since diagnosis, the 12 item scores (``nan``
    where not scored) and the total (``nan`` unless only the total is known)."""

    month: float
    items: np.ndarray
    total: float

    @classmethod
    def of(cls, visit: Visit, diagnosis_date: dt.date) -> "Observation":
        items = np.array([visit.alsfrs_r.get(name, np.nan) for name in ALSFRS_R_ITEMS], dtype=float)
        total = visit.total if not visit.alsfrs_r and visit.total is not None else np.nan
        return cls((visit.date - diagnosis_date).days / DAYS_PER_MONTH, items, float(total))


def observations(visits: Sequence[Visit], diagnosis_date: dt.date) -> list[Observation]:
    """The scored visits as observations (a visit that only records deliveries observes
    that the client is alive: its items are all unknown)."""
    return [Observation.of(v, diagnosis_date) for v in visits]


@dataclass(frozen=True)
class Conditioned:
    """Normalised weights of the pool's courses and how much they say."""

    weights: np.ndarray
    effective_courses: float
    widening: float
    """Factor applied to the measurement errors (1 = as stated in ``visits.yaml``)."""
    matched: bool
    """Enough effective courses remained within ``max_widening``."""

    @property
    def pool_size(self) -> int:
        return len(self.weights)


def log_likelihood(courses: Courses, observed: Sequence[Observation], params: VisitParams,
                   widening: float = 1.0, chunk: int = 20_000) -> np.ndarray:
    """``(n,)`` log-likelihood of the observations under each course (``-inf``: died before
    a visit)."""
    n = courses.n_patients
    out = np.zeros(n)
    if not observed:
        return out
    for obs in observed:
        alive = courses.death > courses.delay + obs.month
        out[~alive] = -np.inf
    scored = [o for o in observed if np.isfinite(o.items).any() or np.isfinite(o.total)]
    if not scored:
        return out
    months = np.array([o.month for o in scored])
    r, item_sd, total_sd = courses.rounding, params.item_sd * widening, params.total_sd * widening
    for start in range(0, n, chunk):
        rows = slice(start, min(start + chunk, n))
        part = _rows(courses, rows)
        times = part.delay[:, None] + months[None, :]
        latent = part.latent(times)  # (m, v, 12)
        for j, obs in enumerate(scored):
            if np.isfinite(obs.total):
                total = np.clip(np.floor(latent[:, j, :] + (1.0 - r)), 0, ITEM_MAX).sum(axis=1)
                out[rows] += _log_interval(obs.total - 0.5, obs.total + 0.5, total, total_sd)
                continue
            seen = np.flatnonzero(np.isfinite(obs.items))
            out[rows] += item_log_likelihood(latent[:, j, seen], obs.items[seen], r, item_sd)
    return out


def item_log_likelihood(latent: np.ndarray, observed: np.ndarray, rounding: float, sd: float) -> np.ndarray:
    """Log-probability of observed item scores given latent ones, summed over the items
    (last axis; ``latent`` and ``observed`` broadcast): latent + N(0, sd²) in the score's
    rounding interval ``[k - 1 + rounding, k + rounding)``, open at 0 and 4."""
    k = np.asarray(observed, float)
    low = np.where(k <= 0, -np.inf, k - 1 + rounding)
    high = np.where(k >= ITEM_MAX, np.inf, k + rounding)
    return _log_interval(low, high, latent, sd).sum(axis=-1)


def observe_items(latent: np.ndarray, rounding: float, sd: float, rng: np.random.Generator) -> np.ndarray:
    """Item scores as a rater would record them: latent + N(0, sd²), rounded as the scale
    rounds (the model of :func:`item_log_likelihood`)."""
    noisy = latent + sd * rng.standard_normal(latent.shape)
    return np.clip(np.floor(noisy + (1.0 - rounding)), 0, ITEM_MAX)


def _log_interval(low, high, mean, sd) -> np.ndarray:
    """``log P(low <= mean + N(0, sd²) < high)``, stable in the tails."""
    a = (np.asarray(low, float) - mean) / sd
    b = (np.asarray(high, float) - mean) / sd
    # log(Φ(b) - Φ(a)) = log Φ(b) + log(1 - exp(log Φ(a) - log Φ(b))); mirrored above the median
    upper = a > 0
    lo, hi = np.where(upper, -b, a), np.where(upper, -a, b)
    log_hi, log_lo = log_ndtr(hi), log_ndtr(lo)
    with np.errstate(divide="ignore", invalid="ignore"):
        return log_hi + np.log1p(-np.exp(np.minimum(log_lo - log_hi, 0.0)))


def _rows(courses: Courses, rows: slice) -> Courses:
    return Courses(
        item_names=courses.item_names, center=courses.center[rows], width=courses.width[rows],
        delay=courses.delay[rows], death=courses.death[rows], tau=courses.tau[rows],
        stage_at_diagnosis=courses.stage_at_diagnosis[rows], rate_after_diagnosis=courses.rate_after_diagnosis[rows],
        item_clock=courses.item_clock, death_level=courses.death_level[rows], rounding=courses.rounding)


def effective_courses(weights: np.ndarray) -> float:
    """Kish's effective sample size of (unnormalised) weights."""
    total = weights.sum()
    return float(total**2 / np.square(weights).sum()) if total > 0 else 0.0


def _normalise(log_w: np.ndarray) -> np.ndarray:
    top = np.max(log_w)
    if not np.isfinite(top):
        return np.zeros_like(log_w)
    w = np.exp(log_w - top)
    return w / w.sum()


def condition(courses: Courses, observed: Sequence[Observation], params: VisitParams | None = None) -> Conditioned:
    """Weights of ``courses`` given the visits, widened if too few courses remain."""
    params = params or visit_params()
    return widen(lambda factor: log_likelihood(courses, observed, params, factor), courses.n_patients, params)


def widen(log_likelihood_at: Callable[[float], np.ndarray], n: int, params: VisitParams,
          bisections: int = 12, first: np.ndarray | None = None) -> Conditioned:
    """Normalised weights from ``log_likelihood_at(widening)`` (the measurement errors times
    ``widening``): as stated if enough effective courses remain, else the smallest widening
    (bisection up to ``max_widening``) that leaves enough. Enough is ``min_effective_courses``,
    or half the courses alive at the visits where fewer live (widening the scores' error
    cannot bring a course back to life). ``first``: the log-likelihood at widening 1, if
    already computed. No course alive: all weights 0, ``matched`` false."""
    first = log_likelihood_at(1.0) if first is None else first
    alive = int(np.isfinite(first).sum())
    if alive == 0:
        return Conditioned(np.zeros(n), 0.0, 1.0, False)
    wanted = min(params.min_effective_courses, 0.5 * alive)
    weights = _normalise(first)
    ess = effective_courses(weights)
    if ess >= wanted:
        return Conditioned(weights, ess, 1.0, True)
    at_max = _normalise(log_likelihood_at(params.max_widening))
    if effective_courses(at_max) < wanted:
        return Conditioned(at_max, effective_courses(at_max), params.max_widening, False)
    low, high, best = 1.0, params.max_widening, at_max
    for _ in range(bisections):
        mid = 0.5 * (low + high)
        trial = _normalise(log_likelihood_at(mid))
        if effective_courses(trial) >= wanted:
            high, best = mid, trial
        else:
            low = mid
    return Conditioned(best, effective_courses(best), high, True)


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """Quantiles of ``values`` (finite ones) under ``weights`` (the weighted empirical CDF,
    the smallest value whose cumulative weight reaches ``q``); ``nan`` without weight."""
    values, weights = np.asarray(values, float), np.asarray(weights, float)
    keep = np.isfinite(values) & (weights > 0)
    if not keep.any():
        return np.full(len(qs), np.nan)
    order = np.argsort(values[keep], kind="stable")
    v, w = values[keep][order], weights[keep][order]
    cdf = np.cumsum(w) / w.sum()
    return v[np.minimum(np.searchsorted(cdf, np.asarray(qs) - 1e-12), len(v) - 1)]

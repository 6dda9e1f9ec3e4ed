"""Do visits make the forecasts better? A simulation check of the conditioning.

Draw "true" clients from the model for a profile, observe each at follow-up visits as a
rater would (items with the measurement error of ``visits.yaml``), condition a pool of
courses from the same profile on those observations (:mod:`.conditioning`) and ask, for
every provision a true client comes to need and for death:

* **coverage**: how often the true month falls inside the forecast's P10–P90 (a calibrated
  forecast: about 80 %);
* **sharpness**: the mean width of that interval in months (narrower is better, if still
  calibrated).

At diagnosis the forecast is the pool without weights; after *v* visits it is the pool
weighted by the first *v* visits' observations, among the true clients alive at the last of
them. Two views of the need dates: every need (the posterior predictive: its coverage is
80 % if the model and the conditioning are right) and the needs still ahead at the visit
(the forecasts a team acts on: the pool restricted to courses whose need starts after the
visit, the truths likewise; "at diagnosis" for these is the unweighted pool over the same
truths). ``tools/visit_calibration.py`` writes the figures into docs/visits.md; a test
asserts calibration and sharpness.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from ivp.domain.profile import ClientProfile
from ivp.models.disease.cohort import simulate_cohort
from ivp.models.disease.conditioning import (
    VisitParams,
    item_log_likelihood,
    observe_items,
    visit_params,
    widen,
)

LOW, HIGH = 0.1, 0.9


def _interval(values: np.ndarray, weights: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted P10 and P90 of ``values`` (``(N,)``) for each row of ``weights`` (``(T, N)``),
    over the pool entries where ``keep`` (``(N,)`` or ``(T, N)``)."""
    order = np.argsort(np.where(np.isfinite(values), values, np.inf), kind="stable")
    v = values[order]
    w = (weights * keep)[:, order] if np.ndim(keep) == 2 else (weights * keep[None, :])[:, order]
    w = np.where(np.isfinite(v)[None, :], w, 0.0)
    total = w.sum(axis=1, keepdims=True)
    cdf = np.cumsum(w, axis=1) / np.where(total > 0, total, 1.0)
    idx_low = np.minimum((cdf < LOW).sum(axis=1), len(v) - 1)
    idx_high = np.minimum((cdf < HIGH).sum(axis=1), len(v) - 1)
    empty = total[:, 0] <= 0
    return np.where(empty, np.nan, v[idx_low]), np.where(empty, np.nan, v[idx_high])


def check_forecasts(
    profile: ClientProfile | None = None,
    visit_months: Sequence[float] = (6.0, 12.0),
    clients: int = 300,
    pool: int = 20_000,
    seed: int = 20261206,
    params: VisitParams | None = None,
    chunk: int = 50,
) -> pd.DataFrame:
    """Coverage and sharpness of the forecast at diagnosis and of the forecast updated by
    the visits, on the same true clients (alive at the visit): one row per visit and target
    (``death``; ``need`` every need; ``need_ahead`` the needs after the visit)."""
    params = params or visit_params()
    pool_seed, truth_seed, noise_seed = np.random.SeedSequence(seed).spawn(3)
    prior = simulate_cohort(pool, pool_seed, profile)
    truth = simulate_cohort(clients, truth_seed, profile)
    courses, windows = prior.courses, prior.windows
    months = np.asarray(visit_months, float)
    r = courses.rounding

    pool_latent = courses.latent(courses.delay[:, None] + months[None, :])  # (N, V, 12)
    true_latent = truth.courses.latent(truth.courses.delay[:, None] + months[None, :])
    observed = observe_items(true_latent, r, params.item_sd, np.random.default_rng(noise_seed))  # (T, V, 12)
    pool_death = courses.death - courses.delay
    true_death = truth.courses.death - truth.courses.delay
    flat = np.full((1, pool), 1.0 / pool)

    rows = []
    for v, month in enumerate(months):
        alive = np.flatnonzero(true_death > month)
        seen = slice(0, v + 1)
        dead = pool_death <= months[v]

        def log_likelihood(i: int, factor: float) -> np.ndarray:
            out = item_log_likelihood(pool_latent[:, seen, :], observed[i, seen, :], r, params.item_sd * factor)
            return np.where(dead, -np.inf, out.sum(axis=-1))

        first = np.empty((len(alive), pool))
        for start in range(0, len(alive), chunk):
            part = alive[start:start + chunk]
            ll = item_log_likelihood(pool_latent[None, :, seen, :], observed[part, None, seen, :], r, params.item_sd)
            first[start:start + chunk] = np.where(dead[None, :], -np.inf, ll.sum(axis=-1))
        conditioned = [widen(lambda f, i=i: log_likelihood(i, f), pool, params, first=first[k])
                       for k, i in enumerate(alive)]
        weights = np.stack([c.weights for c in conditioned])
        extra = {"effective_courses": float(np.median([c.effective_courses for c in conditioned])),
                 "widened_share": float(np.mean([c.widening > 1 for c in conditioned]))}
        everyone = np.ones(pool, bool)
        before = _interval(pool_death, np.repeat(flat, len(alive), axis=0), everyone)
        after = _interval(pool_death, weights, everyone)
        rows.append(_row(v, month, "death", true_death[alive], before, after, extra))
        for target, ahead in (("need", False), ("need_ahead", True)):
            truths, befores, afters = [], [], []
            for j in range(len(windows.provision_ids)):
                truth_start = truth.windows.need_start[alive, j]
                keep = np.isfinite(truth_start) & ((truth_start > month) if ahead else True)
                if not keep.any():
                    continue
                pool_start = windows.need_start[:, j]
                needed = np.isfinite(pool_start)
                truths.append(truth_start[keep])
                befores.append(_interval(pool_start, np.repeat(flat, int(keep.sum()), axis=0), needed))
                afters.append(_interval(pool_start, weights[keep], needed & ((pool_start > month) if ahead else True)))
            rows.append(_row(v, month, target, np.concatenate(truths),
                             tuple(np.concatenate([b[k] for b in befores]) for k in (0, 1)),
                             tuple(np.concatenate([a[k] for a in afters]) for k in (0, 1)), extra))
    return pd.DataFrame(rows)


def _coverage(truth: np.ndarray, interval: tuple[np.ndarray, np.ndarray]) -> tuple[float, float]:
    low, high = interval
    ok = np.isfinite(low)
    return (float(np.mean((truth >= low) & (truth <= high) & ok)),
            float(np.nanmean(np.where(ok, high - low, np.nan))))


def _row(v: int, month: float, target: str, truth: np.ndarray, before, after, extra: dict) -> dict:
    coverage_before, width_before = _coverage(truth, before)
    coverage_after, width_after = _coverage(truth, after)
    return {"visits": v + 1, "month": month, "target": target, "cases": int(len(truth)),
            "coverage_at_diagnosis": coverage_before, "width_at_diagnosis": width_before,
            "coverage_updated": coverage_after, "width_updated": width_after, **extra}

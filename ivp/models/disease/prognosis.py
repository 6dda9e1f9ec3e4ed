"""A client's personal survival prognosis for display: curve and quantiles from diagnosis.

With all eight ENCALS predictors known the curve is the model's conditional survival
``S(delay + m) / S(delay)`` exactly. With unknown predictors it is the average of that
curve over draws of the unknowns from the population (a mixture), by Monte Carlo with a
fixed, documented default seed so that the display is reproducible. For another
motor-neuron disease than ALS it is the condition's log-normal survival (``conditions.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ivp.domain.profile import ClientProfile
from ivp.models.disease.params import condition_params
from ivp.models.disease.population import sample_population
from ivp.models.disease.streams import DEFAULT_SEED, SeedLike, spawn_streams
from ivp.models.disease.survival import encals, lognormal_survival_after_diagnosis

ENCALS_PREDICTORS = (
    "age_at_onset", "onset_site", "diagnostic_delay_months", "fvc_percent",
    "definite_el_escorial", "ftd", "c9orf72",
)
PROBABILITIES = (0.10, 0.25, 0.50, 0.75, 0.90)


@dataclass(frozen=True)
class Prognosis:
    """Survival after diagnosis: ``survival[i]`` is the probability to be alive (free of the
    ENCALS endpoint) ``months[i]`` after diagnosis; ``quantiles[p]`` the months by which a
    share ``p`` has died (``0.5``: the median)."""

    months: np.ndarray
    survival: np.ndarray
    quantiles: dict[float, float]
    exact: bool


def fully_known(profile: ClientProfile) -> bool:
    known = profile.known()
    progression = "dfs" in known or "alsfrs_r_at_diagnosis" in known
    return progression and all(name in known for name in ENCALS_PREDICTORS)


def prognosis(
    profile: ClientProfile | None = None,
    rng: SeedLike = DEFAULT_SEED,
    n_draws: int = 2000,
    months: np.ndarray | None = None,
) -> Prognosis:
    """Personal survival curve and quantiles, months since diagnosis."""
    profile = profile or ClientProfile()
    months = np.arange(0.0, 121.0) if months is None else np.asarray(months, float)
    exact = fully_known(profile)
    patients = sample_population(1 if exact else n_draws, spawn_streams(rng).population, profile)
    model = encals()
    lp = model.linear_predictor(patients)
    delay = patients["diagnostic_delay_months"].to_numpy(float)
    cap = model.cap_months(patients)
    if not profile.is_als:  # another motor-neuron disease: its log-normal survival (conditions.yaml)
        params = condition_params()[profile.condition.value]
        exact = True

        def after_diagnosis(m):
            return lognormal_survival_after_diagnosis(m, delay, params.survival_median_months,
                                                      params.survival_log_sd, cap)
    else:
        def after_diagnosis(m):
            return model.survival_after_diagnosis(m, lp, delay, cap)

    fine = np.concatenate([[0.0], np.geomspace(0.01, 600.0, 800)])  # up to 50 years, ~1.4 % steps
    curve_fine = after_diagnosis(fine).mean(axis=0)
    quantiles = {
        p: float(np.interp(1.0 - p, curve_fine[::-1], fine[::-1])) if curve_fine[-1] < 1.0 - p else float("inf")
        for p in PROBABILITIES
    }
    curve = after_diagnosis(months).mean(axis=0)
    return Prognosis(months=months, survival=curve, quantiles=quantiles, exact=exact)

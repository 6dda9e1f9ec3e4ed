"""Dutch ALS patients at diagnosis, drawn from ``ivp/models/disease/data/population.yaml``.

Known fields of a :class:`~ivp.domain.profile.ClientProfile` are kept; only the unknown ones are
drawn, conditional on the known ones where the model links them:

- onset site -> age at onset (bulbar onset is older);
- (ln ΔFS, ln delay) are bivariate normal given site and age (fast progressors are
  diagnosed sooner); a known delay, ΔFS or ALSFRS-R at diagnosis conditions the draw
  exactly (a known ALSFRS-R fixes ln ΔFS + ln delay = ln(48 − ALSFRS-R));
- FVC depends on site and on how much faster than expected the patient progresses;
- FTD depends on C9orf72.

Truncations (age and FVC to the profile's ranges, delay to 1–120 months, ALSFRS-R at
diagnosis above the configured minimum) use the inverse normal CDF, so every patient
consumes the same number of random numbers whatever is known. The joint truncation of
(ΔFS, delay) is applied sequentially (delay first, then ΔFS given delay); it changes less
than 1 % of the probability mass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from ivp.domain.profile import ALSFRS_MAX, HOME_FACTS, RANGES, ClientProfile
from ivp.models.disease.params import SITES, PopulationParams, population_params

#: The clinical columns of a patient at diagnosis (ENCALS predictors and profile), in order.
PROFILE_COLUMNS = (
    "patient_id",
    "onset_site",
    "age_at_onset",
    "diagnostic_delay_months",
    "dfs",
    "alsfrs_r_at_diagnosis",
    "fvc_percent",
    "definite_el_escorial",
    "ftd",
    "c9orf72",
)
#: Columns of the population frame, in order.
COLUMNS = (*PROFILE_COLUMNS, *HOME_FACTS)

_BINARIES = ("c9orf72", "ftd", "definite_el_escorial")


def truncated_normal(mean, sd, low, high, u):
    """Inverse-CDF draw from N(mean, sd²) truncated to [low, high] for uniforms ``u``."""
    mean, sd = np.asarray(mean, float), np.asarray(sd, float)
    p_low = ndtr((low - mean) / sd)
    p_high = ndtr((high - mean) / sd)
    p = p_low + u * (p_high - p_low)
    x = mean + sd * ndtri(np.clip(p, 1e-300, 1 - 1e-16))
    return np.clip(x, low, high)


@dataclass(frozen=True)
class PopulationDraws:
    """The uniforms of ``n`` patients' profiles at diagnosis: a fixed number per patient,
    drawn in a fixed order whatever is known (common random numbers)."""

    site: np.ndarray
    age: np.ndarray
    delay: np.ndarray
    dfs: np.ndarray
    fvc: np.ndarray
    binary: np.ndarray  # (n, 3): c9orf72, ftd, definite El Escorial
    home: np.ndarray  # (n, len(HOME_FACTS))

    @classmethod
    def draw(cls, n: int, rng: np.random.Generator) -> "PopulationDraws":
        return cls(site=rng.random(n), age=rng.random(n), delay=rng.random(n), dfs=rng.random(n),
                   fvc=rng.random(n), binary=rng.random((n, len(_BINARIES))), home=rng.random((n, len(HOME_FACTS))))

    def __len__(self) -> int:
        return len(self.site)


def sample_population(
    n: int,
    rng: np.random.Generator,
    profile: ClientProfile | None = None,
    params: PopulationParams | None = None,
) -> pd.DataFrame:
    """``n`` patients at diagnosis: the profile's known fields, the rest drawn.

    Returns a frame with :data:`COLUMNS`; ``alsfrs_r_at_diagnosis`` is the latent total
    ``48 − ΔFS · delay`` (the integer score is its rounding).
    """
    return population_from_draws(PopulationDraws.draw(n, rng), profile, params)


def population_from_draws(
    draws: PopulationDraws, profile: ClientProfile | None = None, params: PopulationParams | None = None,
) -> pd.DataFrame:
    """The patients of :func:`sample_population` from their drawn uniforms."""
    profile = profile or ClientProfile()
    p = params or population_params()
    known = profile.known()
    n = len(draws)
    u_site, u_age, u_delay, u_dfs, u_fvc = draws.site, draws.age, draws.delay, draws.dfs, draws.fvc
    u_binary, u_home = draws.binary, draws.home

    site = _draw_site(n, known.get("onset_site"), u_site, p)  # codes into SITES
    age = _known_or(known, "age_at_onset", n) if "age_at_onset" in known else truncated_normal(
        _by_site(p.age_at_onset_mean.value, site), p.age_at_onset_sd.value, *RANGES["age_at_onset"], u_age
    )
    mu_dfs, mu_delay = _log_means(site, age, p)
    dfs, delay = _draw_dfs_delay(mu_dfs, mu_delay, known, u_dfs, u_delay, p)
    fvc = _known_or(known, "fvc_percent", n) if "fvc_percent" in known else _draw_fvc(site, mu_dfs, dfs, u_fvc, p)

    c9 = _bool(known, "c9orf72", u_binary[:, 0] < p.c9orf72_share.value)
    ftd_share = np.where(c9, p.ftd_share_with_c9orf72.value, p.ftd_share_without_c9orf72.value)
    ftd = _bool(known, "ftd", u_binary[:, 1] < ftd_share)
    definite = _bool(known, "definite_el_escorial", u_binary[:, 2] < p.definite_el_escorial_share.value)

    columns = {
        "patient_id": np.arange(n),
        "onset_site": pd.Categorical.from_codes(site, categories=SITES),
        "age_at_onset": age,
        "diagnostic_delay_months": delay,
        "dfs": dfs,
        "alsfrs_r_at_diagnosis": ALSFRS_MAX - dfs * delay,
        "fvc_percent": fvc,
        "definite_el_escorial": definite,
        "ftd": ftd,
        "c9orf72": c9,
    }
    for j, fact in enumerate(HOME_FACTS):
        columns[fact] = _bool(known, fact, u_home[:, j] < p.home_facts[fact].value)
    return pd.DataFrame(columns)


def site_codes(patients: pd.DataFrame) -> np.ndarray:
    """Index into :data:`SITES` of each patient's onset site."""
    column = patients["onset_site"]
    if isinstance(column.dtype, pd.CategoricalDtype) and tuple(column.cat.categories) == SITES:
        return column.cat.codes.to_numpy(np.intp)
    return pd.Categorical(column.astype(str), categories=SITES).codes.astype(np.intp)


def _known_or(known: dict, field: str, n: int) -> np.ndarray:
    return np.full(n, float(known[field]))


def _bool(known: dict, field: str, drawn: np.ndarray) -> np.ndarray:
    if field in known:
        return np.full(len(drawn), bool(known[field]))
    return drawn


def _by_site(values: dict[str, float], site: np.ndarray) -> np.ndarray:
    """Per-patient value of a per-site parameter (``site``: codes into SITES)."""
    return np.array([values[s] for s in SITES])[site]


def _draw_site(n: int, known_site, u: np.ndarray, p: PopulationParams) -> np.ndarray:
    if known_site is not None:
        return np.full(n, SITES.index(getattr(known_site, "value", known_site)), dtype=np.intp)
    shares = np.array([p.onset_site_shares.value[s] for s in SITES])
    return np.minimum(np.searchsorted(np.cumsum(shares), u, side="right"), len(SITES) - 1)


def _log_means(site: np.ndarray, age: np.ndarray, p: PopulationParams):
    """Expected ln ΔFS and ln delay given site and age."""
    mu_dfs = (
        np.log(p.dfs_median.value)
        + np.log(_by_site(p.dfs_site_factor.value, site))
        + p.dfs_age_log_slope_per_decade.value * (age - p.dfs_age_reference.value) / 10.0
    )
    mu_delay = np.log(p.delay_median.value) + np.log(_by_site(p.delay_site_factor.value, site))
    return mu_dfs, mu_delay


def _draw_dfs_delay(mu_x, mu_y, known, u_dfs, u_delay, p: PopulationParams):
    """ΔFS and delay, conditional on whichever of ΔFS, delay and ALSFRS-R are known."""
    n = len(mu_x)
    sx, sy, rho = p.dfs_log_sd.value, p.delay_log_sd.value, p.dfs_delay_log_correlation.value
    y_low, y_high = np.log(RANGES["diagnostic_delay_months"][0]), np.log(RANGES["diagnostic_delay_months"][1])
    x_high_range = np.log(RANGES["dfs"][1])
    decline_max = ALSFRS_MAX - p.min_alsfrs_r_at_diagnosis.value
    dfs_k, delay_k, alsfrs_k = known.get("dfs"), known.get("diagnostic_delay_months"), known.get("alsfrs_r_at_diagnosis")

    if dfs_k is not None and delay_k is not None:
        return np.full(n, float(dfs_k)), np.full(n, float(delay_k))
    if delay_k is not None and alsfrs_k is not None:
        return np.full(n, (ALSFRS_MAX - alsfrs_k) / delay_k), np.full(n, float(delay_k))
    if dfs_k is not None and alsfrs_k is not None and dfs_k > 0:
        return np.full(n, float(dfs_k)), np.full(n, (ALSFRS_MAX - alsfrs_k) / dfs_k)

    if delay_k is not None:  # ln ΔFS | ln delay
        y = np.full(n, np.log(delay_k))
        x_high = np.minimum(np.log(decline_max / delay_k), x_high_range)
        x = truncated_normal(mu_x + rho * sx / sy * (y - mu_y), sx * np.sqrt(1 - rho**2), -np.inf, x_high, u_dfs)
        return np.exp(x), np.exp(y)
    if dfs_k is not None and dfs_k > 0:  # ln delay | ln ΔFS
        x = np.full(n, np.log(dfs_k))
        high = min(y_high, np.log(decline_max / dfs_k)) if dfs_k * np.exp(y_low) <= decline_max else y_high
        y = truncated_normal(mu_y + rho * sy / sx * (x - mu_x), sy * np.sqrt(1 - rho**2), y_low, high, u_delay)
        return np.exp(x), np.exp(y)
    if (dfs_k is not None and dfs_k == 0) or (alsfrs_k is not None and alsfrs_k >= ALSFRS_MAX):
        y = truncated_normal(mu_y, sy, y_low, y_high, u_delay)  # no decline: delay unconstrained
        return np.zeros(n), np.exp(y)
    if alsfrs_k is not None:  # ln delay | ln ΔFS + ln delay = ln(48 - ALSFRS-R)
        s = np.log(ALSFRS_MAX - alsfrs_k)
        var_s = sx**2 + sy**2 + 2 * rho * sx * sy
        cov_ys = sy**2 + rho * sx * sy
        mean = mu_y + cov_ys / var_s * (s - mu_x - mu_y)
        sd = np.sqrt(max(sy**2 - cov_ys**2 / var_s, 1e-12))
        y = truncated_normal(mean, sd, y_low, y_high, u_delay)
        return np.exp(s - y), np.exp(y)

    # nothing known: delay from its truncated marginal, then ΔFS | delay
    y = truncated_normal(mu_y, sy, y_low, y_high, u_delay)
    x_high = np.minimum(np.log(decline_max) - y, x_high_range)
    x = truncated_normal(mu_x + rho * sx / sy * (y - mu_y), sx * np.sqrt(1 - rho**2), -np.inf, x_high, u_dfs)
    return np.exp(x), np.exp(y)


def _draw_fvc(site, mu_x, dfs, u, p: PopulationParams) -> np.ndarray:
    excess = np.log(np.maximum(dfs, 1e-3)) - mu_x  # how much faster than expected
    mean = _by_site(p.fvc_mean.value, site) + p.fvc_per_log_dfs.value * excess
    return truncated_normal(mean, p.fvc_sd.value, *RANGES["fvc_percent"], u)

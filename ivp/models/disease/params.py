"""The disease model's parameters, read from ``ivp/models/disease/data`` and validated.

Every number the model uses lives in one of these files with its source or rationale:

- ``population.yaml``  the Dutch patient population at diagnosis (:class:`PopulationParams`)
- ``encals.yaml``      the ENCALS survival model (:class:`EncalsParams`)
- ``course.yaml``      the ALSFRS-R item course (:class:`CourseParams`)
- ``need_rules.csv``   one need rule per catalogue provision (read by ``needs.py``)
- ``calibration.yaml`` the calibration targets and tolerances (read by ``calibration.py``)
- ``conditions.yaml``  the motor-neuron diseases and their survival (:class:`ConditionParams`)
- ``visits.yaml``      the conditioning on follow-up visits (read by ``conditioning.py``)

A bad file raises :class:`ivp.domain.errors.InputError` naming the file and the field.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ivp.domain.errors import InputError, Problem, problems_from_validation
from ivp.domain.profile import HOME_FACTS, Condition, OnsetSite
from ivp.domain.yamlfile import read_mapping

T = TypeVar("T")

SITES = tuple(site.value for site in OnsetSite)
REGIONS = ("bulbar", "arms", "legs", "respiratory")


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Param(Frozen, Generic[T]):
    """One parameter: its value and where it comes from."""

    value: T
    rationale: str = Field(min_length=10)


def data_path(name: str) -> Path:
    """Path of a file in ``ivp/models/disease/data``."""
    return Path(str(resources.files("ivp.models.disease").joinpath("data", name)))


def validate(model: type[BaseModel], data: dict[str, Any], source: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InputError(problems_from_validation(error, source)) from None


# --- population -------------------------------------------------------------------------


def _check_sites(mapping: dict[str, float], name: str) -> None:
    if set(mapping) != set(SITES):
        raise ValueError(f"{name} needs exactly the onset sites {', '.join(SITES)}")


class PopulationParams(Frozen):
    onset_site_shares: Param[dict[str, float]]
    age_at_onset_mean: Param[dict[str, float]]
    age_at_onset_sd: Param[float]
    dfs_median: Param[float]
    dfs_age_reference: Param[float]
    dfs_site_factor: Param[dict[str, float]]
    dfs_age_log_slope_per_decade: Param[float]
    dfs_log_sd: Param[float]
    delay_median: Param[float]
    delay_site_factor: Param[dict[str, float]]
    delay_log_sd: Param[float]
    dfs_delay_log_correlation: Param[float]
    min_alsfrs_r_at_diagnosis: Param[float]
    fvc_mean: Param[dict[str, float]]
    fvc_sd: Param[float]
    fvc_per_log_dfs: Param[float]
    c9orf72_share: Param[float]
    ftd_share_with_c9orf72: Param[float]
    ftd_share_without_c9orf72: Param[float]
    definite_el_escorial_share: Param[float]
    home_facts: dict[str, Param[float]]

    @model_validator(mode="after")
    def _check(self) -> "PopulationParams":
        for name in ("onset_site_shares", "age_at_onset_mean", "dfs_site_factor",
                     "delay_site_factor", "fvc_mean"):
            _check_sites(getattr(self, name).value, name)
        if abs(sum(self.onset_site_shares.value.values()) - 1) > 1e-9:
            raise ValueError("onset_site_shares must sum to 1")
        if not -1 < self.dfs_delay_log_correlation.value < 1:
            raise ValueError("dfs_delay_log_correlation must be between -1 and 1")
        if set(self.home_facts) != set(HOME_FACTS):
            raise ValueError(f"home_facts needs exactly {', '.join(HOME_FACTS)}")
        shares = [self.c9orf72_share, self.ftd_share_with_c9orf72,
                  self.ftd_share_without_c9orf72, self.definite_el_escorial_share,
                  *self.home_facts.values()]
        if any(not 0 <= p.value <= 1 for p in shares):
            raise ValueError("shares must lie between 0 and 1")
        return self


# --- ENCALS -----------------------------------------------------------------------------


class Spline(Frozen):
    gamma: tuple[float, float, float, float]
    kmin: float
    knots: tuple[float, float]
    kmax: float
    lambdas: tuple[float, float]


class Term(Frozen):
    coefficient: float
    transform: str


class EncalsParams(Frozen):
    citation: str
    source_of_numbers: str
    endpoint: str
    spline: Spline
    terms: dict[str, Term]
    inversion: dict[str, Param[float]]
    maximum_age: Param[float]

    @model_validator(mode="after")
    def _check(self) -> "EncalsParams":
        expected = {"dfs", "diagnostic_delay_months", "age_at_onset", "fvc_percent",
                    "bulbar_onset", "definite_el_escorial", "ftd", "c9orf72"}
        if set(self.terms) != expected:
            raise ValueError(f"terms must be exactly {', '.join(sorted(expected))}")
        if set(self.inversion) != {"ln_t_min", "ln_t_max", "grid_points"}:
            raise ValueError("inversion needs ln_t_min, ln_t_max and grid_points")
        return self

    def coefficient(self, name: str) -> float:
        return self.terms[name].coefficient


# --- course -----------------------------------------------------------------------------


class Item(Frozen):
    number: int = Field(ge=1, le=12)
    name: str
    region: str
    offset: float = Field(gt=0)
    width: float = Field(gt=0)


class DeathLevelBand(Frozen):
    """A share of patients whose respiratory-insufficiency item is, at the ENCALS endpoint,
    uniformly between ``low`` and ``high`` (latent score 0-4)."""

    share: float = Field(gt=0, le=1)
    low: float = Field(ge=0, le=4)
    high: float = Field(ge=0, le=4)
    rationale: str = Field(min_length=10)


_TERM = re.compile(r"^([a-z_]+)<=([0-3])$")


class CourseParams(Frozen):
    items: tuple[Item, ...]
    items_rationale: str
    region_order: Param[dict[str, tuple[str, ...]]]
    region_lag: Param[tuple[float, ...]]
    respiratory_lag: Param[float]
    width_factor_by_rank: Param[tuple[float, float, float, float]]
    respiratory_width_factor: Param[float]
    lag_log_sd: Param[float]
    min_region_gap: Param[float]
    offset_log_sd: Param[float]
    width_log_sd: Param[float]
    death_item: Param[str]
    death_level: tuple[DeathLevelBand, ...] = Field(min_length=1)
    implications: Param[tuple[tuple[str, str], ...]]
    min_post_diagnosis_rate: Param[float]
    pace_factor_median: Param[float]
    pace_factor_log_sd: Param[float]
    pace_survival_correlation: Param[float]
    alsfrs_max_latent_at_diagnosis: Param[float]
    solver_close_step: Param[float]
    score_rounding: Param[float]

    @model_validator(mode="after")
    def _check(self) -> "CourseParams":
        if [item.number for item in self.items] != list(range(1, 13)):
            raise ValueError("items must be the 12 ALSFRS-R items, numbered 1 to 12 in order")
        if any(item.region not in REGIONS for item in self.items):
            raise ValueError(f"item regions must be among {', '.join(REGIONS)}")
        if set(self.region_order.value) != set(SITES):
            raise ValueError(f"region_order needs exactly the onset sites {', '.join(SITES)}")
        motor = sorted(r for r in REGIONS if r != "respiratory")
        for site, order in self.region_order.value.items():
            expected = sorted(REGIONS) if site == "respiratory" else motor
            if sorted(order) != expected or (site == "respiratory" and order[0] != "respiratory"):
                raise ValueError(
                    f"region_order.{site} must list each of {', '.join(expected)} once"
                    + (" (respiratory first)" if site == "respiratory" else "")
                )
        lags = self.region_lag.value
        if len(lags) != 3 or lags[0] != 0 or any(b < a for a, b in zip(lags, lags[1:])):
            raise ValueError("region_lag needs 3 non-decreasing lags starting at 0")
        if self.death_item.value not in self.item_names:
            raise ValueError("death_item must be one of the item names")
        if abs(sum(band.share for band in self.death_level) - 1) > 1e-9:
            raise ValueError("the shares of death_level must sum to 1")
        if any(not band.low < band.high for band in self.death_level):
            raise ValueError("every death_level band needs low < high")
        if not 0 < self.solver_close_step.value <= 1e-4:
            raise ValueError("solver_close_step must lie in (0, 1e-4]: a longer last step leaves the stage inexact")
        for a, _, b, _ in self.implication_pairs():
            if (self.items[a].region == "respiratory") != (self.items[b].region == "respiratory"):
                raise ValueError(f"implication {self.items[a].name} => {self.items[b].name}: both items must be "
                                 "on one clock (motor or respiratory)")
        return self

    @property
    def item_names(self) -> tuple[str, ...]:
        return tuple(item.name for item in self.items)

    def implication_pairs(self) -> list[tuple[int, float, int, float]]:
        """``(item a, score a, item b, score b)``: whoever scores ``a`` at most ``score a``
        scores ``b`` at most ``score b`` (``implications``, e.g. walking<=1 => climbing_stairs<=0)."""
        out = []
        for premise, conclusion in self.implications.value:
            terms = []
            for text in (premise, conclusion):
                match = _TERM.match(text.replace(" ", ""))
                if not match or match.group(1) not in self.item_names:
                    raise ValueError(f"implication term {text!r} is not item<=score (score 0-3) of an ALSFRS-R item")
                terms.append((self.item_names.index(match.group(1)), float(match.group(2))))
            out.append((*terms[0], *terms[1]))
        return out

    def death_level_of(self, u: np.ndarray, ceiling: np.ndarray | float = 4.0) -> np.ndarray:
        """The latent respiratory-insufficiency score at the endpoint for uniforms ``u``: one
        uniform picks the band (in the order listed) and, rescaled, the place within it.
        ``ceiling``: the score at diagnosis; a band partly passed by then is drawn from the
        part still ahead (a band passed entirely keeps its own range: the patient is already
        past the level)."""
        u = np.asarray(u, float)
        ceiling = np.broadcast_to(np.asarray(ceiling, float), u.shape)
        edges = np.cumsum([0.0] + [band.share for band in self.death_level])
        edges[-1] = 1.0
        out = np.empty(u.shape)
        for k, band in enumerate(self.death_level):
            inside = (u >= edges[k]) & ((u < edges[k + 1]) if k < len(self.death_level) - 1 else (u <= 1))
            high = np.where(ceiling[inside] > band.low, np.minimum(band.high, ceiling[inside]), band.high)
            out[inside] = high - (u[inside] - edges[k]) / (edges[k + 1] - edges[k]) * (high - band.low)
        return out


# --- loading ----------------------------------------------------------------------------


@lru_cache(maxsize=None)
def population_params() -> PopulationParams:
    path = data_path("population.yaml")
    return validate(PopulationParams, read_mapping(path), path.name)


@lru_cache(maxsize=None)
def encals_params() -> EncalsParams:
    path = data_path("encals.yaml")
    return validate(EncalsParams, read_mapping(path), path.name)


class ConditionParams(Frozen):
    """One motor-neuron disease of ``conditions.yaml``."""

    name_nl: str
    name_en: str
    model: Literal["encals", "published", "visits_only"]
    survival_median_months: float | None = Field(default=None, gt=0)
    survival_log_sd: float | None = Field(default=None, gt=0)
    plan_horizon_months: float | None = Field(default=None, gt=0)
    rationale: str = ""
    source: str

    @model_validator(mode="after")
    def _check(self) -> "ConditionParams":
        if self.model != "encals" and (self.survival_median_months is None or self.survival_log_sd is None
                                       or not self.rationale.strip()):
            raise ValueError("a condition outside ENCALS needs survival_median_months, survival_log_sd and a rationale")
        if (self.model == "visits_only") != (self.plan_horizon_months is not None):
            raise ValueError("plan_horizon_months belongs to, and is needed by, a condition planned from visits only")
        return self

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_nl


@lru_cache(maxsize=None)
def condition_params() -> dict[str, ConditionParams]:
    """Every condition of ``conditions.yaml`` by its code (the profile's ``condition``)."""
    path = data_path("conditions.yaml")
    data = read_mapping(path)
    codes = {c.value for c in Condition}
    problems = [Problem(path.name, str(key), "unknown_key") for key in data if key not in codes]
    problems += [Problem(path.name, code, "missing") for code in sorted(codes - set(data))]
    if problems:
        raise InputError(problems)
    return {code: validate(ConditionParams, entry, f"{path.name}, {code}") for code, entry in data.items()}


@lru_cache(maxsize=None)
def course_params() -> CourseParams:
    path = data_path("course.yaml")
    return validate(CourseParams, read_mapping(path), path.name)

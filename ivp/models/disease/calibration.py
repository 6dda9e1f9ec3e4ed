"""Calibration report: the simulated cohort against every target of DOMAIN.md section 5.

Targets, tolerances and the measurement settings are in
``ivp/models/disease/data/calibration.yaml``; this module only measures. :func:`calibration_report`
returns one row per target (target, simulated value, tolerance, within yes/no, source, and
the reason where the model is known to fall short) plus a few model checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from pydantic import model_validator

from ivp.domain.profile import ALSFRS_MAX
from ivp.domain.yamlfile import read_mapping
from ivp.models.disease.cohort import Cohort, simulate_cohort
from ivp.models.disease.course import Courses
from ivp.models.disease.expressions import Condition
from ivp.models.disease.params import Frozen, Param, course_params, data_path, validate
from ivp.models.disease.streams import SeedLike

MONTHS_5_YEARS = 60.0


class Target(Frozen):
    id: str
    label_en: str
    label_nl: str
    value: float
    tolerance: float | None = None
    range: tuple[float, float] | None = None
    at_least: float | None = None
    source: str
    known_gap: str | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> "Target":
        if sum(x is not None for x in (self.tolerance, self.range, self.at_least)) != 1:
            raise ValueError("give exactly one of tolerance, range, at_least")
        return self

    def bounds(self) -> tuple[float, float]:
        if self.range is not None:
            return self.range
        if self.at_least is not None:
            return self.at_least, np.inf
        return self.value - self.tolerance, self.value + self.tolerance


class Milestone(Frozen):
    label_en: str
    label_nl: str
    condition: str
    target: float
    known_gap: str | None = None


class CalibrationSpec(Frozen):
    measurement: dict[str, Param[float]]
    milestones: dict[str, Milestone]
    milestones_rationale: str
    milestone_relative_tolerance: float
    targets: tuple[Target, ...]


@lru_cache(maxsize=None)
def calibration_spec() -> CalibrationSpec:
    path = data_path("calibration.yaml")
    return validate(CalibrationSpec, read_mapping(path), path.name)


# --- measures ---------------------------------------------------------------------------


def alsfrs_slopes(courses: Courses, interval: float, horizon: float, min_visits: int) -> np.ndarray:
    """Per-patient least-squares decline (points/month, positive = worse) of the integer
    ALSFRS-R total at visits every ``interval`` months from diagnosis up to ``horizon`` or
    death; ``nan`` with fewer than ``min_visits`` visits."""
    visits = np.arange(0.0, horizon + 1e-9, interval)
    times = courses.delay[:, None] + visits[None, :]
    alive = times < courses.death[:, None]
    totals = courses.total(times)
    x = np.where(alive, visits[None, :], np.nan)
    y = np.where(alive, totals, np.nan)
    enough = alive.sum(axis=1) >= min_visits
    with np.errstate(invalid="ignore", divide="ignore"):
        xc = x - np.nanmean(np.where(enough[:, None], x, 0.0), axis=1, keepdims=True)
        yc = y - np.nanmean(np.where(enough[:, None], y, 0.0), axis=1, keepdims=True)
        slope = -np.nansum(xc * yc, axis=1) / np.nansum(xc**2, axis=1)
    return np.where(enough, slope, np.nan)


def deceleration(courses: Courses) -> float:
    """Mean decline in year 1 / year 2 after diagnosis, among patients alive at 24 months."""
    d = courses.delay
    alive = courses.death > d + 24.0
    totals = courses.total(np.stack([d, d + 12.0, d + 24.0], axis=1))[alive]
    first, second = (totals[:, 0] - totals[:, 1]).mean(), (totals[:, 1] - totals[:, 2]).mean()
    return float(first / second) if second > 0 else float("inf")


def milestone_times(courses: Courses, condition: str) -> np.ndarray:
    """Months from onset at which the condition is first met; ``nan`` if not before death.
    An empty condition is the diagnosis itself."""
    if not condition:
        return courses.delay.copy()
    parsed = Condition.parse(condition, courses.item_names)
    times = parsed.time({term: courses.time_at_score(*term) for term in parsed.terms()})
    return np.where(times < courses.death, times, np.nan)


def measures(cohort: Cohort) -> dict[str, float]:
    """Every measured quantity, by target id (milestones as ``milestone_<name>``)."""
    spec = calibration_spec()
    p, c = cohort.patients, cohort.courses
    onset = p["survival_months_from_onset"].to_numpy()
    after_dx = p["survival_months_from_diagnosis"].to_numpy()
    site = p["onset_site"].astype(str).to_numpy()
    m = spec.measurement
    slopes = alsfrs_slopes(
        c, m["slope_visit_interval_months"].value, m["slope_horizon_months"].value, int(m["slope_min_visits"].value)
    )
    out = {
        "survival_onset_median": np.median(onset),
        "survival_onset_alive_5y": np.mean(onset > MONTHS_5_YEARS),
        "survival_diagnosis_mean": np.mean(after_dx),
        "survival_diagnosis_dead_5y": np.mean(after_dx <= MONTHS_5_YEARS),
        "alsfrs_slope_mean": np.nanmean(slopes),
        "alsfrs_slope_p025": np.nanpercentile(slopes, 2.5),
        "alsfrs_slope_p975": np.nanpercentile(slopes, 97.5),
        "alsfrs_deceleration": deceleration(c),
        "dfs_median": np.median(p["dfs"]),
        "delay_median": np.median(p["diagnostic_delay_months"]),
        "onset_bulbar_share": np.mean(site == "bulbar"),
        "onset_spinal_share": np.mean(site != "bulbar"),
        "onset_legs_share": np.mean(site == "legs"),
        "onset_arms_share": np.mean(site == "arms"),
        "age_onset_median": np.median(p["age_at_onset"]),
    }
    for name, milestone in spec.milestones.items():
        times = milestone_times(c, milestone.condition)
        out[f"milestone_{name}"] = np.nanmean(times) if np.any(~np.isnan(times)) else np.nan
        out[f"reached_{name}"] = np.mean(~np.isnan(times))
    return {k: float(v) for k, v in out.items()}


def model_checks(cohort: Cohort) -> dict[str, float]:
    """Diagnostics that have no published target but show the model is coherent."""
    c, p = cohort.courses, cohort.patients
    at_dx = c.total(c.delay[:, None])[:, 0]
    expected = np.round(ALSFRS_MAX - p["dfs"].to_numpy() * c.delay)
    floor = course_params().min_post_diagnosis_rate.value
    return {
        "alsfrs_at_diagnosis_abs_error_points": float(np.mean(np.abs(at_dx - expected))),
        "alsfrs_at_death_median": float(np.median(c.total(c.death[:, None] - 1e-9)[:, 0])),
        "respiratory_clock_at_floor_share": float(np.mean(c.rate_after_diagnosis[:, 1] <= floor * (1 + 1e-9))),
        "delay_mean_months": float(np.mean(c.delay)),
        "survival_diagnosis_median": float(np.median(p["survival_months_from_diagnosis"])),
    }


# --- the report -------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    rows: pd.DataFrame  # one row per target
    checks: dict[str, float]
    patients: int
    seed: int | None

    @property
    def all_within(self) -> bool:
        return bool(self.rows["within"].all())


def calibration_report(n: int = 10_000, seed: SeedLike = 20250101, cohort: Cohort | None = None) -> Report:
    """Simulate ``n`` population patients (or use ``cohort``) and compare with the targets."""
    cohort = cohort or simulate_cohort(n, seed)
    spec = calibration_spec()
    measured = measures(cohort)
    rows = []
    for target in spec.targets:
        low, high = target.bounds()
        rows.append(_row(target.id, target.label_en, target.label_nl, target.value, measured[target.id],
                         low, high, target, target.source, target.known_gap))
    relative = spec.milestone_relative_tolerance
    for name, milestone in spec.milestones.items():
        value = milestone.target
        rows.append(_row(
            f"milestone_{name}", f"Months from onset to {milestone.label_en}, mean among those reaching it",
            f"Maanden van eerste symptoom tot {milestone.label_nl}, gemiddeld bij wie het bereikt",
            value, measured[f"milestone_{name}"], value * (1 - relative), value * (1 + relative), None,
            "Gebrehiwet et al., ALS-FTD 2024 (N = 1,003)", milestone.known_gap,
            reached=measured[f"reached_{name}"], condition=milestone.condition,
            milestone_en=milestone.label_en, milestone_nl=milestone.label_nl,
        ))
    frame = pd.DataFrame(rows)
    return Report(rows=frame, checks=model_checks(cohort), patients=cohort.patients.shape[0],
                  seed=seed if isinstance(seed, int) else None)


def _row(id_, label_en, label_nl, value, simulated, low, high, target, source, known_gap, **extra):
    kind = "tolerance"
    if target is not None and target.range is not None:
        kind = "range"
    elif target is not None and target.at_least is not None:
        kind = "at_least"
    return {
        "id": id_, "label_en": label_en, "label_nl": label_nl, "target": value, "simulated": simulated,
        "low": low, "high": high, "kind": kind,
        "tolerance": (high - low) / 2 if kind == "tolerance" else None,
        "within": bool(low <= simulated <= high) if np.isfinite(simulated) else False,
        "source": source, "known_gap": known_gap, **extra,
    }


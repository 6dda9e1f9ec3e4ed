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
from ivp.models.disease import kings
from ivp.models.disease.cohort import Cohort, simulate_cohort
from ivp.models.disease.course import Courses
from ivp.models.disease.expressions import Condition
from ivp.models.disease.params import Frozen, Param, course_params, data_path, validate
from ivp.models.disease.streams import DEFAULT_SEED, SeedLike

MONTHS_5_YEARS = 60.0


class Gap(Frozen):
    """Why the model misses a target, in English and Dutch (printed with the result)."""

    en: str
    nl: str


class Target(Frozen):
    id: str
    label_en: str
    label_nl: str
    value: float
    tolerance: float | None = None
    range: tuple[float, float] | None = None
    at_least: float | None = None
    at_most: float | None = None
    source: str
    known_gap: Gap | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> "Target":
        if sum(x is not None for x in (self.tolerance, self.range, self.at_least, self.at_most)) != 1:
            raise ValueError("give exactly one of tolerance, range, at_least, at_most")
        return self

    @property
    def kind(self) -> str:
        for kind in ("range", "at_least", "at_most"):
            if getattr(self, kind) is not None:
                return kind
        return "tolerance"

    def bounds(self) -> tuple[float, float]:
        if self.range is not None:
            return self.range
        if self.at_least is not None:
            return self.at_least, np.inf
        if self.at_most is not None:
            return -np.inf, self.at_most
        return self.value - self.tolerance, self.value + self.tolerance


class Milestone(Frozen):
    label_en: str
    label_nl: str
    condition: str
    target: float
    known_gap: Gap | None = None


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


REQUEST_GROUPS = {
    "orthoses": ("spalken", "nekkraag", "dynamische_ligorthese"),
    "bathroom": ("badkameraanpassingen", "aanbouw_woning", "zorgunit"),
    "communication": ("computeraanpassingen", "spraakcomputer"),
    "power_wheelchair": ("elektrische_rolstoel",),
    "ventilation": ("beademingsapparatuur",),
}
"""Groups of provisions whose request share (need x uptake) is a target: a patient counts
once if any provision of the group is requested."""


def _share(mask: np.ndarray, among: np.ndarray | None = None) -> float:
    among = np.ones_like(mask, dtype=bool) if among is None else among
    return float(np.mean(mask[among])) if among.any() else float("nan")


def _median_ratio(values: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    return float(np.median(values[a]) / np.median(values[b])) if a.any() and b.any() else float("nan")


def measures(cohort: Cohort) -> dict[str, float]:
    """Every measured quantity, by target id (milestones as ``milestone_<name>``)."""
    spec = calibration_spec()
    p, c, w = cohort.patients, cohort.courses, cohort.windows
    onset = p["survival_months_from_onset"].to_numpy()
    after_dx = p["survival_months_from_diagnosis"].to_numpy()
    site = p["onset_site"].astype(str).to_numpy()
    age = p["age_at_onset"].to_numpy()
    delay = p["diagnostic_delay_months"].to_numpy()
    spinal = np.isin(site, ("arms", "legs"))
    m = spec.measurement
    slopes = alsfrs_slopes(
        c, m["slope_visit_interval_months"].value, m["slope_horizon_months"].value, int(m["slope_min_visits"].value)
    )
    stages = kings.stage_times(c)
    durations = kings.stage_durations(stages, c.death)
    fraction = stages.to_numpy() / c.death[:, None]
    niv = stages["stage_4b"].to_numpy()
    bulbar = np.min([c.time_at_score(item, 3) for item in kings.REGIONS["bulbar"]], axis=0)
    requested = w.requested()
    column = {pid: j for j, pid in enumerate(w.provision_ids)}

    def group_share(group: str) -> float:
        return float(np.mean(requested[:, [column[pid] for pid in REQUEST_GROUPS[group]]].any(axis=1)))

    robot = column["eetrobot"]
    robot_start = w.need_start[:, robot] + c.delay  # months since onset
    has_robot = ~np.isnan(robot_start)
    arm_items = [c.item_index(name) for name in ("handwriting", "cutting_food", "dressing")]
    arm_subscore = np.full(len(p), np.nan)
    if has_robot.any():
        scores = c.scores(np.where(has_robot, robot_start, 0.0)[:, None] + 1e-9)[:, 0, :]
        arm_subscore = np.where(has_robot, scores[:, arm_items].sum(axis=1), np.nan)
    out = {
        "survival_onset_median": np.median(onset),
        "survival_onset_alive_5y": np.mean(onset > MONTHS_5_YEARS),
        "survival_diagnosis_mean": np.mean(after_dx),
        "survival_diagnosis_dead_5y": np.mean(after_dx <= MONTHS_5_YEARS),
        "survival_diagnosis_alive_1y": np.mean(after_dx > 12.0),
        "survival_diagnosis_alive_10y": np.mean(after_dx > 120.0),
        "survival_age_gradient": _median_ratio(onset, age <= 50, age >= 71),
        "survival_bulbar_ratio": _median_ratio(onset, site == "bulbar", spinal),
        "alsfrs_slope_mean": np.nanmean(slopes),
        "alsfrs_slope_p025": np.nanpercentile(slopes, 2.5),
        "alsfrs_slope_p975": np.nanpercentile(slopes, 97.5),
        "alsfrs_deceleration": deceleration(c),
        "dfs_median": np.median(p["dfs"]),
        "dfs_q25": np.percentile(p["dfs"], 25),
        "dfs_q75": np.percentile(p["dfs"], 75),
        "delay_median": np.median(delay),
        "delay_q25": np.percentile(delay, 25),
        "delay_q75": np.percentile(delay, 75),
        "onset_bulbar_share": np.mean(site == "bulbar"),
        "onset_spinal_share": np.mean(site != "bulbar"),
        "onset_legs_share": np.mean(site == "legs"),
        "onset_arms_share": np.mean(site == "arms"),
        "age_onset_median": np.median(age),
        "age_onset_sd": np.std(age),
        "definite_el_escorial_share": np.mean(p["definite_el_escorial"]),
        "ftd_share": np.mean(p["ftd"]),
        "c9orf72_share": np.mean(p["c9orf72"]),
        "kings_stage_2": np.nanmedian(fraction[:, 0]),
        "kings_stage_3": np.nanmedian(fraction[:, 1]),
        "kings_stage_4a": np.nanmedian(fraction[:, 2]),
        "kings_stage_4b": np.nanmedian(fraction[:, 3]),
        "kings_stage_4": np.nanmedian(fraction[:, 4]),
        **{f"kings_duration_{k}": np.nanmedian(durations[f"stage_{k}"]) for k in range(1, 5)},
        "niv_need_share": np.mean(~np.isnan(niv)),
        "niv_survival_median": np.nanmedian(c.death - niv),
        "gastrostomy_need_share": np.mean(~np.isnan(stages["stage_4a"].to_numpy())),
        "spinal_bulbar_involvement_share": _share(bulbar < c.death, spinal),
        "requested_orthoses_share": group_share("orthoses"),
        "requested_bathroom_share": group_share("bathroom"),
        "requested_communication_share": group_share("communication"),
        "requested_power_wheelchair_share": group_share("power_wheelchair"),
        "requested_ventilation_share": group_share("ventilation"),
        "eating_robot_arm_subscore": np.nanmean(arm_subscore) if has_robot.any() else np.nan,
    }
    for name, milestone in spec.milestones.items():
        times = milestone_times(c, milestone.condition)
        out[f"milestone_{name}"] = np.nanmean(times) if np.any(~np.isnan(times)) else np.nan
        out[f"reached_{name}"] = np.mean(~np.isnan(times))
    return {k: float(v) for k, v in out.items()}


def scale_order_violations(courses: Courses, months: np.ndarray | None = None) -> int:
    """How many patient-times break an implication of the scale's wording
    (``course.yaml`` ``implications``) on a monthly grid from onset to death (0 expected)."""
    months = np.arange(0.0, 240.0, 0.5) if months is None else months
    scores = courses.scores(months)  # (n, m, 12)
    alive = months[None, :] < courses.death[:, None]
    bad = 0
    for a, score_a, b, score_b in course_params().implication_pairs():
        bad += int(np.sum(alive & (scores[:, :, a] <= score_a) & (scores[:, :, b] > score_b)))
    return bad


def model_checks(cohort: Cohort) -> dict[str, float]:
    """Diagnostics that have no published target but show the model is coherent."""
    c, p = cohort.courses, cohort.patients
    at_dx = c.total(c.delay[:, None])[:, 0]
    expected = np.round(ALSFRS_MAX - p["dfs"].to_numpy() * c.delay)
    death_item = c.item_index(course_params().death_item.value)
    past = c.stage_at_level(death_item, c.death_level) <= c.stage_at_diagnosis
    return {
        "alsfrs_at_diagnosis_abs_error_points": float(np.mean(np.abs(at_dx - expected))),
        "alsfrs_at_death_median": float(np.median(c.total(c.death[:, None] - 1e-9)[:, 0])),
        "respiratory_past_death_level_at_diagnosis_share": float(np.mean(past)),
        "delay_mean_months": float(np.mean(c.delay)),
        "survival_diagnosis_median": float(np.median(p["survival_months_from_diagnosis"])),
        "scale_order_violations": float(scale_order_violations(c)),
        "leg_onset_non_ambulatory_at_diagnosis_share": _share(
            c.time_at_score("walking", 1) <= c.delay, p["onset_site"].astype(str).to_numpy() == "legs"),
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


def calibration_report(n: int = 10_000, seed: SeedLike = DEFAULT_SEED, cohort: Cohort | None = None) -> Report:
    """Simulate ``n`` population patients (or use ``cohort``) and compare with the targets."""
    cohort = cohort or simulate_cohort(n, seed)
    spec = calibration_spec()
    measured = measures(cohort)
    rows = []
    for target in spec.targets:
        low, high = target.bounds()
        rows.append(_row(target.id, target.label_en, target.label_nl, target.value, measured[target.id],
                         low, high, target.kind, target.source, target.known_gap))
    relative = spec.milestone_relative_tolerance
    for name, milestone in spec.milestones.items():
        value = milestone.target
        rows.append(_row(
            f"milestone_{name}", f"Months from onset to {milestone.label_en}, mean among those reaching it",
            f"Maanden van eerste symptoom tot {milestone.label_nl}, gemiddeld bij wie het bereikt",
            value, measured[f"milestone_{name}"], value * (1 - relative), value * (1 + relative), "tolerance",
            "Gebrehiwet et al., ALS-FTD 2024 (N = 1,003)", milestone.known_gap,
            reached=measured[f"reached_{name}"], condition=milestone.condition,
            milestone_en=milestone.label_en, milestone_nl=milestone.label_nl,
        ))
    frame = pd.DataFrame(rows)
    return Report(rows=frame, checks=model_checks(cohort), patients=cohort.patients.shape[0],
                  seed=seed if isinstance(seed, int) else None)


def _row(id_, label_en, label_nl, value, simulated, low, high, kind, source, known_gap, **extra):
    return {
        "id": id_, "label_en": label_en, "label_nl": label_nl, "target": value, "simulated": simulated,
        "low": low, "high": high, "kind": kind,
        "tolerance": (high - low) / 2 if kind == "tolerance" else None,
        "within": bool(low <= simulated <= high) if np.isfinite(simulated) else False,
        "source": source, "known_gap_en": known_gap.en if known_gap else None,
        "known_gap_nl": known_gap.nl if known_gap else None, **extra,
    }

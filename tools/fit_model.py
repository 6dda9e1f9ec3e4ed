"""How the calibrated disease-model parameters were found: a bounded Nelder-Mead search on
one simulated cohort per stage.

Not used by the model at run time. A *stage* names parameters of ``population.yaml`` or
``course.yaml`` (each with plausible bounds) and the targets of ``calibration.yaml`` they
are fitted to; the loss is the sum of squared distances to the targets in tolerances
(one-sided for ``at_least``/``at_most``, none inside a ``range``). Targets with a documented
``known_gap`` are left out: the model is known not to meet them, so they must not pull the
fit. Common random numbers (one seed) make the objective smooth enough for Nelder-Mead.
It prints the values; copying them into the data files (rounded) is a deliberate, reviewed
step.

    .venv/bin/python -m tools.fit_model population --patients 20000 --evaluations 300
    .venv/bin/python -m tools.fit_model course --patients 6000 --evaluations 400
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import numpy as np
from pydantic import ValidationError
from scipy.optimize import minimize

from ivp.models.disease.calibration import calibration_spec, measures
from ivp.models.disease.cohort import simulate_cohort
from ivp.models.disease.params import (
    CourseParams,
    PopulationParams,
    course_params,
    population_params,
)


@dataclass(frozen=True)
class Parameter:
    """A fitted value: ``path`` into the data file's document, e.g. ``dfs_median.value``,
    ``region_lag.value.1`` or ``items.walking.offset`` (a list of items by name)."""

    path: str
    low: float
    high: float


@dataclass(frozen=True)
class Stage:
    file: str  # "population" or "course"
    parameters: tuple[Parameter, ...]
    targets: tuple[str, ...]  # target ids; "milestones" = every milestone


STAGES = {
    "population": Stage(
        "population",
        (
            Parameter("dfs_median.value", 0.25, 0.7),
            Parameter("dfs_age_log_slope_per_decade.value", 0.0, 0.6),
            Parameter("dfs_log_sd.value", 0.5, 1.0),
            Parameter("delay_median.value", 6.0, 13.0),
            Parameter("delay_log_sd.value", 0.5, 1.1),
            Parameter("dfs_delay_log_correlation.value", -0.7, 0.0),
        ),
        ("survival_onset_median", "survival_onset_alive_5y", "survival_diagnosis_mean", "survival_diagnosis_dead_5y",
         "survival_diagnosis_alive_1y", "survival_diagnosis_alive_10y", "survival_age_gradient",
         "survival_bulbar_ratio", "dfs_median", "dfs_q25", "dfs_q75", "delay_median", "delay_q25", "delay_q75"),
    ),
    "course": Stage(
        "course",
        (
            Parameter("pace_factor_median.value", 0.3, 2.0),
            Parameter("pace_factor_log_sd.value", 0.1, 0.6),
            Parameter("region_lag.value.1", 2.0, 15.0),
            Parameter("region_lag.value.2", 6.0, 30.0),
            Parameter("respiratory_lag.value", 2.0, 40.0),
            Parameter("respiratory_width_factor.value", 0.6, 2.5),
            Parameter("items.speech.offset", 3.0, 16.0),
            Parameter("items.swallowing.offset", 5.0, 20.0),
            Parameter("items.walking.offset", 4.0, 16.0),
            Parameter("items.climbing_stairs.offset", 2.0, 14.0),
            Parameter("items.handwriting.offset", 4.0, 10.5),  # before cutting food (11.0)
            Parameter("lag_log_sd.value", 0.1, 0.8),
            Parameter("width_factor_by_rank.value.1", 0.5, 1.5),
            Parameter("width_factor_by_rank.value.2", 0.5, 1.5),
        ),
        ("alsfrs_slope_mean", "alsfrs_slope_p025", "alsfrs_slope_p975", "alsfrs_deceleration", "kings_stage_2",
         "kings_stage_3", "kings_stage_4a", "kings_stage_4b", "kings_stage_4", "kings_duration_1", "kings_duration_2",
         "kings_duration_3", "kings_duration_4", "niv_need_share", "niv_survival_median", "gastrostomy_need_share",
         "spinal_bulbar_involvement_share",
         "milestones"),
    ),
}


def _get(document, path: str):
    node = document
    for key in path.split("."):
        node = _child(node, key)
    return node


def _set(document, path: str, value: float) -> None:
    *parents, last = path.split(".")
    node = document
    for key in parents:
        node = _child(node, key)
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def _child(node, key: str):
    if isinstance(node, list):
        if key.isdigit():
            return node[int(key)]
        return next(item for item in node if item.get("name") == key)
    return node[key]


def _base(stage: Stage) -> PopulationParams | CourseParams:
    return population_params() if stage.file == "population" else course_params()


def with_values(stage: Stage, x: np.ndarray) -> PopulationParams | CourseParams:
    base = _base(stage)
    document = base.model_dump(mode="json")
    for parameter, value in zip(stage.parameters, x):
        if isinstance(_get(document, parameter.path), list):  # pragma: no cover - a wrong path
            raise ValueError(f"{parameter.path} is a list, not a value")
        _set(document, parameter.path, float(np.clip(value, parameter.low, parameter.high)))
    return type(base).model_validate(document)


MARGIN = 0.8
"""Beyond this many tolerances from a target the loss rises steeply (``BARRIER``): a fit that
sits on the edge of a tolerance band passes on its own cohort but fails on another seed."""
BARRIER = 20.0


def _term(distance: float) -> float:
    """Loss of a distance in tolerances: its square, plus a steep wall beyond the margin."""
    if not np.isfinite(distance):
        return 1e6
    return distance**2 + BARRIER * max(abs(distance) - MARGIN, 0.0) ** 2


def loss_terms(stage: Stage, measured: dict[str, float]) -> dict[str, float]:
    """The loss of each fitted target (known gaps left out): :func:`_term` of the distance in
    tolerances (to the value; for a range or one-sided target, to the band)."""
    spec = calibration_spec()
    terms = {}
    for target in spec.targets:
        if target.id in stage.targets and target.known_gap is None:
            low, high = target.bounds()
            value = measured[target.id]
            if target.kind == "tolerance":
                terms[target.id] = _term((value - target.value) / target.tolerance)
            else:
                scale = (high - low) / 2 if np.isfinite(high - low) else 0.1 * abs(target.value) or 0.1
                outside = max(low - value, 0.0, value - high) / scale
                terms[target.id] = _term(outside + MARGIN if outside > 0 else 0.0)
    if "milestones" in stage.targets:
        for name, milestone in spec.milestones.items():
            if milestone.known_gap is None:
                scale = milestone.target * spec.milestone_relative_tolerance
                terms[f"milestone_{name}"] = _term((measured[f"milestone_{name}"] - milestone.target) / scale)
    return terms


def evaluate(stage: Stage, x: np.ndarray, n: int, seed: int) -> tuple[float, dict[str, float]]:
    try:
        params = with_values(stage, x)
    except ValidationError:  # e.g. region lags out of order: not a model
        return 1e9, {}
    cohort = simulate_cohort(n, seed, **{stage.file: params})
    terms = loss_terms(stage, measures(cohort))
    return float(sum(terms.values())), terms


def fit(stage_name: str, n: int, seed: int, evaluations: int) -> dict[str, object]:
    stage = STAGES[stage_name]
    document = _base(stage).model_dump(mode="json")
    x0 = np.array([_get(document, p.path) for p in stage.parameters], float)
    result = minimize(lambda x: evaluate(stage, x, n, seed)[0], x0, method="Nelder-Mead",
                      options={"maxfev": evaluations, "xatol": 0.005, "fatol": 1e-3, "adaptive": True})
    x = np.clip(result.x, [p.low for p in stage.parameters], [p.high for p in stage.parameters])
    start, start_terms = evaluate(stage, x0, n, seed)
    end, end_terms = evaluate(stage, x, n, seed)
    return {"loss_start": start, "loss_end": end, "values": {p.path: float(v) for p, v in zip(stage.parameters, x)},
            "terms_start": start_terms, "terms_end": end_terms}


if __name__ == "__main__":  # pragma: no cover - a development tool
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", choices=sorted(STAGES))
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--evaluations", type=int, default=300)
    args = parser.parse_args()
    out = fit(args.stage, args.patients, args.seed, args.evaluations)
    print(f"loss {out['loss_start']:.3f} -> {out['loss_end']:.3f}")
    for path, value in out["values"].items():
        print(f"{path:45s} {value:8.3f}")
    for key in out["terms_end"]:
        print(f"  {key:35s} {out['terms_start'][key]:8.3f} -> {out['terms_end'][key]:8.3f}")

"""How the calibrated course parameters were found: a Nelder-Mead search on one cohort.

Not used by the model at run time. :func:`fit_course` varies the course parameters marked
"calibrated" in ``course.yaml`` (within plausible bounds that keep the published structure:
respiratory the gentlest, pace spread at most 0.6 on the log scale, death level mean between
1.4 and 2.4) and minimises the squared distance, in tolerances, to the targets of
``calibration.yaml`` that the course affects: the ALSFRS-R decline (mean, 95 % range,
deceleration) and the milestone times. Common random numbers (one seed) make the objective
smooth enough for Nelder-Mead. It prints the values; copying them into ``course.yaml`` (rounded)
is a deliberate, reviewed step.

    .venv/bin/python -m tools.fit_course --patients 4000 --evaluations 300
"""

from __future__ import annotations

import argparse

import numpy as np
from scipy.optimize import minimize

from ivp.models.disease.calibration import calibration_spec, measures
from ivp.models.disease.cohort import Cohort
from ivp.models.disease.course import sample_courses
from ivp.models.disease.needs import need_rules
from ivp.models.disease.params import CourseParams, course_params
from ivp.models.disease.population import sample_population
from ivp.models.disease.streams import spawn_streams
from ivp.models.disease.survival import sample_death

#: name, lower bound, upper bound
PARAMETERS = (
    ("pace_factor_median", 0.3, 2.0),
    ("pace_factor_log_sd", 0.1, 0.6),
    ("pace_survival_correlation", 0.0, 0.8),
    ("region_lag_1", 2.0, 15.0),
    ("region_lag_2_step", 2.0, 15.0),
    ("respiratory_lag", 2.0, 30.0),
    ("respiratory_width_factor", 1.2, 2.5),
    ("death_level_a", 1.5, 8.0),
    ("death_level_b", 1.5, 8.0),
    ("offset_walking", 6.0, 16.0),
    ("offset_speech", 6.0, 16.0),
    ("offset_swallowing_step", 1.0, 8.0),
)
TARGETS = ("alsfrs_slope_mean", "alsfrs_slope_p025", "alsfrs_slope_p975", "alsfrs_deceleration")


def current_values(params: CourseParams) -> np.ndarray:
    items = {item.name: item for item in params.items}
    lag = params.region_lag.value
    a, b = params.death_level_beta.value
    return np.array([
        params.pace_factor_median.value, params.pace_factor_log_sd.value, params.pace_survival_correlation.value,
        lag[1], lag[2] - lag[1], params.respiratory_lag.value, params.respiratory_width_factor.value, a, b,
        items["walking"].offset, items["speech"].offset, items["swallowing"].offset - items["speech"].offset,
    ])


def with_values(params: CourseParams, x: np.ndarray) -> CourseParams:
    low = np.array([p[1] for p in PARAMETERS])
    high = np.array([p[2] for p in PARAMETERS])
    x = np.clip(x, low, high)
    data = params.model_dump()
    for key, value in (("pace_factor_median", x[0]), ("pace_factor_log_sd", x[1]),
                       ("pace_survival_correlation", x[2]), ("respiratory_lag", x[5]),
                       ("respiratory_width_factor", x[6])):
        data[key]["value"] = float(value)
    data["region_lag"]["value"] = [0.0, float(x[3]), float(x[3] + x[4])]
    data["death_level_beta"]["value"] = [float(x[7]), float(x[8])]
    offsets = {"walking": x[9], "speech": x[10], "swallowing": x[10] + x[11]}
    for item in data["items"]:
        if item["name"] in offsets:
            item["offset"] = float(offsets[item["name"]])
    return CourseParams.model_validate(data)


def objective(x: np.ndarray, n: int, seed: int) -> float:
    spec = calibration_spec()
    streams = spawn_streams(seed)
    patients = sample_population(n, streams.population)
    survival = sample_death(patients, streams.survival)
    courses = sample_courses(patients, survival.death, survival.quantile, streams.course,
                             with_values(course_params(), x))
    patients = patients.assign(survival_months_from_onset=survival.death,
                               survival_months_from_diagnosis=survival.death - courses.delay)
    measured = measures(Cohort(patients, courses, None))  # windows are not needed here
    loss = 0.0
    for target in spec.targets:
        if target.id in TARGETS:
            low, high = target.bounds()
            scale = (high - low) / 2 if np.isfinite(high) else 0.1
            loss += ((measured[target.id] - (target.value if np.isfinite(high) else max(measured[target.id], low)))
                     / scale) ** 2
    for name, milestone in spec.milestones.items():
        if milestone.known_gap is None:
            scale = milestone.target * spec.milestone_relative_tolerance
            loss += ((measured[f"milestone_{name}"] - milestone.target) / scale) ** 2
    return float(loss)


def fit_course(n: int = 4000, seed: int = 7, evaluations: int = 300) -> dict[str, float]:
    need_rules()  # fail early on bad data files
    x0 = current_values(course_params())
    result = minimize(objective, x0, args=(n, seed), method="Nelder-Mead",
                      options={"maxfev": evaluations, "xatol": 0.01, "fatol": 1e-3, "adaptive": True})
    low = np.array([p[1] for p in PARAMETERS])
    high = np.array([p[2] for p in PARAMETERS])
    values = np.clip(result.x, low, high)
    return {"loss_start": objective(x0, n, seed), "loss_end": float(result.fun),
            **{name: float(v) for (name, _, _), v in zip(PARAMETERS, values)}}


if __name__ == "__main__":  # pragma: no cover - a development tool
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--evaluations", type=int, default=300)
    args = parser.parse_args()
    for key, value in fit_course(args.patients, args.seed, args.evaluations).items():
        print(f"{key:28s} {value:8.3f}")

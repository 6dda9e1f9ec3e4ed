"""The disease model's front door: patients, their courses and their need windows.

- :func:`simulate_cohort` — population (or one client's uncertain course), survival,
  functional course and need windows, everything the calibration and the export need;
- :func:`sample_need_windows` — only the :class:`~ivp.models.needwindows.NeedWindows`, what
  the process simulation asks for in each replication;
- :func:`cohort_frame` — one row per patient for ``ivp cohort``.

Random numbers: the caller's generator spawns one stream per activity (population,
survival, course; :mod:`ivp.models.disease.streams`). Same seed, same output.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Sequence

import numpy as np
import pandas as pd

from ivp.domain.errors import InputError
from ivp.domain.profile import ClientProfile
from ivp.models.disease import kings
from ivp.models.disease.course import CourseDraws, Courses, courses_from_draws
from ivp.models.disease.needs import NeedRules, need_rules
from ivp.models.disease.params import CourseParams, PopulationParams, course_params
from ivp.models.disease.population import (
    PROFILE_COLUMNS,
    PopulationDraws,
    population_from_draws,
)
from ivp.models.disease.streams import SeedLike, spawn_streams
from ivp.models.disease.survival import death_from_uniforms
from ivp.models.disease.uptake import take_up
from ivp.models.needwindows import NeedWindows


@dataclass(frozen=True)
class Cohort:
    """Simulated patients: profile at diagnosis, survival, course and need windows."""

    patients: pd.DataFrame
    courses: Courses
    windows: NeedWindows


@dataclass(frozen=True)
class DiseaseDraws:
    """Every random variate of ``n`` patients' disease model, drawn from one generator:
    it spawns one stream per activity (population, survival, course;
    :mod:`ivp.models.disease.streams`) and each draws a fixed number per patient. Computing
    the cohort from the draws (:func:`cohort_from_groups`) is deterministic, so the draws of
    many replications can be computed in one vectorised pass with exactly the result of one
    pass per replication."""

    population: PopulationDraws
    survival: np.ndarray
    course: CourseDraws
    uptake: np.ndarray  # (n, number of need rules): one uniform per patient and provision

    @classmethod
    def draw(cls, n: int, rng: SeedLike) -> "DiseaseDraws":
        streams = spawn_streams(rng)
        return cls(population=PopulationDraws.draw(n, streams.population), survival=streams.survival.random(n),
                   course=CourseDraws.draw(n, streams.course, len(course_params().items)),
                   uptake=streams.uptake.random((n, len(need_rules().ids))))

    def __len__(self) -> int:
        return len(self.survival)


@dataclass(frozen=True)
class PatientGroup:
    """Patients who share what is known of them: their draws, the profile (``None``: a
    patient of the population) and, for current clients, the months since diagnosis they
    are known to have lived (``alive_until``, one value or one per patient; ``None`` or ``nan``:
    alive at diagnosis)."""

    draws: DiseaseDraws
    profile: ClientProfile | None = None
    alive_until: float | np.ndarray | None = None


def simulate_cohort(
    n: int,
    rng: SeedLike,
    profile: ClientProfile | None = None,
    catalog_ids: tuple[str, ...] | list[str] | None = None,
    rules: NeedRules | None = None,
    alive_until=None,
    population: PopulationParams | None = None,
    course: CourseParams | None = None,
) -> Cohort:
    """``n`` patients: with a ``profile``, ``n`` possible courses of that client; without,
    ``n`` patients of the Dutch population. ``catalog_ids`` selects and orders the
    provisions (default: the whole catalogue, in catalogue order). ``alive_until``: months
    since diagnosis the patients are known to have lived (for a municipality's current
    clients; see :func:`~ivp.models.disease.survival.sample_death`); ``None`` = alive at
    diagnosis only. ``population`` and ``course``: other parameters than the data files'
    (for the calibration fit, ``tools/fit_model.py``)."""
    if n < 1:
        raise InputError.single("disease model", "n", "at_least", ge=1, got=n)
    return cohort_from_groups([PatientGroup(DiseaseDraws.draw(n, rng), profile, alive_until)], catalog_ids, rules,
                              population, course)


def cohort_from_groups(
    groups: Sequence[PatientGroup],
    catalog_ids: tuple[str, ...] | list[str] | None = None,
    rules: NeedRules | None = None,
    population: PopulationParams | None = None,
    course: CourseParams | None = None,
) -> Cohort:
    """The cohort of the patients of ``groups``, in their order: each group's profile
    conditions its population draw (groups with the same profile are computed together),
    survival, course and need windows run once for all. Row for row the same as one
    :func:`simulate_cohort` per group."""
    rules = rules or need_rules()
    ids = _provision_ids(catalog_ids, rules)
    groups = [g for g in groups if len(g.draws)]
    if not groups:
        raise InputError.single("disease model", "n", "at_least", ge=1, got=0)
    sizes = np.array([len(g.draws) for g in groups])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    by_profile: dict = {}
    for index, group in enumerate(groups):
        by_profile.setdefault(group.profile, []).append(index)
    frames, rows = [], []
    for profile, members in by_profile.items():
        draws = _concat(PopulationDraws, [groups[i].draws.population for i in members])
        frames.append(population_from_draws(draws, profile, population))
        rows.append(np.concatenate([np.arange(starts[i], starts[i] + sizes[i]) for i in members]))
    order = np.argsort(np.concatenate(rows), kind="stable")
    patients = (frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)).iloc[order]
    patients = patients.reset_index(drop=True).assign(patient_id=np.arange(int(sizes.sum())))

    alive = [np.broadcast_to(np.asarray(np.nan if g.alive_until is None else g.alive_until, dtype=float),
                             (len(g.draws),)) for g in groups]
    alive_until = None if all(g.alive_until is None for g in groups) else np.concatenate(alive)
    uniforms = np.concatenate([g.draws.survival for g in groups])
    codes = [condition_code(g.profile) for g in groups]
    conditions = None if all(c == "als" for c in codes) else np.repeat(np.array(codes, dtype=object), sizes)
    survival = death_from_uniforms(patients, uniforms, alive_until=alive_until, conditions=conditions)
    course_draws = _concat(CourseDraws, [g.draws.course for g in groups])
    courses = courses_from_draws(patients, survival.death, survival.quantile, course_draws, course)

    patients = patients.assign(
        survival_months_from_onset=survival.death,
        survival_months_from_diagnosis=survival.death - courses.delay,
    )
    uniforms = np.concatenate([g.draws.uptake for g in groups])
    windows = rules.windows(courses, patients, ids, uptake=take_up(uniforms, rules.ids, ids))
    return Cohort(patients=windows.patients, courses=courses, windows=windows)


def condition_code(profile: ClientProfile | None) -> str:
    """The profile's condition code of ``conditions.yaml`` (ALS when unknown)."""
    condition = getattr(profile, "condition", None)
    return "als" if condition is None else condition.value


def _concat(cls, parts: list):
    """One draws object of ``cls`` (a dataclass of arrays) from several, row-wise."""
    if len(parts) == 1:
        return parts[0]
    return cls(**{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)})


def sample_need_windows(
    n: int,
    rng: SeedLike,
    profile: ClientProfile | None = None,
    catalog_ids: tuple[str, ...] | list[str] | None = None,
    alive_until=None,
) -> NeedWindows:
    """Need windows of ``n`` patients (months since diagnosis; ``nan`` = never).

    With a ``profile``: ``n`` draws of that client's uncertain course (unknown profile
    fields drawn from the population). Without: ``n`` patients of the Dutch population.
    ``alive_until`` (months since diagnosis): the patients are known to be alive then;
    survival is sampled conditional on it (``None``: alive at diagnosis only).
    """
    return simulate_cohort(n, rng, profile, catalog_ids, alive_until=alive_until).windows


def _provision_ids(catalog_ids, rules: NeedRules) -> tuple[str, ...]:
    if catalog_ids is None:
        return rules.ids
    ids = tuple(catalog_ids)
    unknown = [i for i in ids if i not in rules.rules]
    if unknown:
        raise InputError.single("catalog_ids", "catalog_ids", "no_need_rule", ids=", ".join(unknown))
    return ids


#: Columns of :func:`cohort_frame` before the per-provision columns (documented in
#: docs/disease-model.md).
PATIENT_COLUMNS = (
    *PROFILE_COLUMNS,
    "survival_months_from_diagnosis",
    "survival_months_from_onset",
)


def cohort_frame(cohort: Cohort) -> pd.DataFrame:
    """One row per patient: profile, survival, home facts, the months since diagnosis at
    which each King's stage begins (``kings_stage_<s>_month``; negative = before diagnosis,
    empty = not before the endpoint) and the stage at diagnosis, then for every provision
    ``need_start_<id>``, ``need_end_<id>``, ``trigger_<id>`` (months since diagnosis; empty =
    never needed) and ``uptake_<id>`` (1 = takes it up, 0 = declines; empty = never needed)."""
    patients = cohort.patients
    home = [c for c in patients.columns if c not in PATIENT_COLUMNS]
    frame = patients[list(PATIENT_COLUMNS) + home].copy()
    frame["onset_site"] = frame["onset_site"].astype(str)
    frame["alsfrs_r_at_diagnosis_score"] = np.round(frame["alsfrs_r_at_diagnosis"]).astype(int)
    courses, windows = cohort.courses, cohort.windows
    stages = kings.stage_times(courses)
    blocks = {f"kings_{stage}_month": stages[stage].to_numpy() - courses.delay for stage in kings.STAGES}
    blocks["kings_stage_at_diagnosis"] = kings.stage_at(stages, courses.delay)
    taken = windows.requested()
    for j, provision_id in enumerate(windows.provision_ids):
        needed = ~np.isnan(windows.need_start[:, j])
        blocks[f"need_start_{provision_id}"] = windows.need_start[:, j]
        blocks[f"need_end_{provision_id}"] = windows.need_end[:, j]
        blocks[f"trigger_{provision_id}"] = windows.trigger[:, j]
        blocks[f"uptake_{provision_id}"] = pd.Series(taken[:, j].astype(np.int8), dtype="Int8").where(needed)
    return pd.concat([frame.reset_index(drop=True), pd.DataFrame(blocks)], axis=1)

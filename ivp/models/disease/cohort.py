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

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ivp.domain.errors import InputError
from ivp.domain.profile import ClientProfile
from ivp.models.disease.course import Courses, sample_courses
from ivp.models.disease.needs import NeedRules, need_rules
from ivp.models.disease.population import PROFILE_COLUMNS, sample_population
from ivp.models.disease.streams import SeedLike, spawn_streams
from ivp.models.disease.survival import sample_death
from ivp.models.needwindows import NeedWindows


@dataclass(frozen=True)
class Cohort:
    """Simulated patients: profile at diagnosis, survival, course and need windows."""

    patients: pd.DataFrame
    courses: Courses
    windows: NeedWindows


def simulate_cohort(
    n: int,
    rng: SeedLike,
    profile: ClientProfile | None = None,
    catalog_ids: tuple[str, ...] | list[str] | None = None,
    rules: NeedRules | None = None,
    alive_until=None,
) -> Cohort:
    """``n`` patients: with a ``profile``, ``n`` possible courses of that client; without,
    ``n`` patients of the Dutch population. ``catalog_ids`` selects and orders the
    provisions (default: the whole catalogue, in catalogue order). ``alive_until``: months
    since diagnosis the patients are known to have lived (scalar or one per patient; for a
    municipality's current clients; see :func:`~ivp.models.disease.survival.sample_death`);
    ``None`` = alive at diagnosis only."""
    if n < 1:
        raise InputError.single("disease model", "n", f"need at least 1 patient (got {n})")
    rules = rules or need_rules()
    ids = _provision_ids(catalog_ids, rules)
    streams = spawn_streams(rng)

    patients = sample_population(n, streams.population, profile)
    survival = sample_death(patients, streams.survival, alive_until=alive_until)
    courses = sample_courses(patients, survival.death, survival.quantile, streams.course)

    patients = patients.assign(
        survival_months_from_onset=survival.death,
        survival_months_from_diagnosis=survival.death - courses.delay,
    )
    windows = rules.windows(courses, patients, ids)
    return Cohort(patients=patients, courses=courses, windows=windows)


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
        raise InputError.single("catalog_ids", "catalog_ids", f"no need rule for: {', '.join(unknown)}")
    return ids


#: Columns of :func:`cohort_frame` before the per-provision columns (documented in
#: docs/disease-model.md).
PATIENT_COLUMNS = (
    *PROFILE_COLUMNS,
    "survival_months_from_diagnosis",
    "survival_months_from_onset",
)


def cohort_frame(cohort: Cohort) -> pd.DataFrame:
    """One row per patient: profile, survival, home facts, then for every provision
    ``need_start_<id>``, ``need_end_<id>`` and ``trigger_<id>`` (months since diagnosis;
    empty = never needed)."""
    patients = cohort.patients
    home = [c for c in patients.columns if c not in PATIENT_COLUMNS]
    frame = patients[list(PATIENT_COLUMNS) + home].copy()
    frame["onset_site"] = frame["onset_site"].astype(str)
    frame["alsfrs_r_at_diagnosis_score"] = np.round(frame["alsfrs_r_at_diagnosis"]).astype(int)
    windows = cohort.windows
    blocks = {}
    for j, provision_id in enumerate(windows.provision_ids):
        blocks[f"need_start_{provision_id}"] = windows.need_start[:, j]
        blocks[f"need_end_{provision_id}"] = windows.need_end[:, j]
        blocks[f"trigger_{provision_id}"] = windows.trigger[:, j]
    return pd.concat([frame.reset_index(drop=True), pd.DataFrame(blocks)], axis=1)

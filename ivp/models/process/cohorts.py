"""Cohorts: who is simulated in a replication.

* :class:`NewPatients` - ``n`` new patients of the population (no profile), diagnosed at
  random dates over the scenario's population window;
* :class:`Client` - one client's uncertain course from a
  :class:`~ivp.domain.profile.ClientProfile` (one possible course per replication);
* :class:`Caseload` - a municipality: Poisson arrivals at the scenario's incidence x
  inhabitants over a horizon of years, plus its current clients (:class:`ExistingClient`),
  alive at the horizon's start; one municipality, so its traits are drawn once per
  replication;
* :class:`GivenWindows` - need windows made by hand (tests), identical in every replication.

A cohort *draws* a replication (:meth:`draw`, from the replication's ``disease`` and
``arrivals`` streams): its patients' disease-model draws grouped by what is known of them,
their diagnosis days and ids. The runner computes the need windows of many replications in
one pass of the disease model (:func:`ivp.models.disease.cohort_from_groups`), with exactly
the result of one pass per replication.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from ivp.domain.calendar import date_to_daynum
from ivp.domain.units import DAYS_PER_MONTH, DAYS_PER_YEAR
from ivp.models.disease import DiseaseDraws, PatientGroup
from ivp.models.needwindows import NeedWindows
from ivp.models.process.scenario import Scenario


@dataclass(frozen=True)
class CohortDraw:
    """What a cohort drew for one replication: the disease-model draws of its patients in
    groups (``groups``), or need windows given as they are (``windows``); per patient the
    diagnosis day (absolute day number) and id."""

    diagnosis_day: np.ndarray
    patient_ids: np.ndarray
    groups: tuple[PatientGroup, ...] = ()
    windows: NeedWindows | None = None
    one_municipality: bool = False

    @property
    def n_patients(self) -> int:
        return len(self.patient_ids)


def months_alive_before(diagnosis_date: dt.date, start_date: dt.date) -> float | None:
    """Months from diagnosis through ``start_date`` (that day included: half a day past its
    start, so the floored death day is never before it); ``None`` if diagnosed on or after
    ``start_date`` (then being alive at diagnosis is all there is to condition on)."""
    days = date_to_daynum(start_date) - date_to_daynum(diagnosis_date)
    return (days + 0.5) / DAYS_PER_MONTH if days > 0 else None


@dataclass(frozen=True)
class NewPatients:
    """``n`` new patients of the population (no profile)."""

    n: int
    start_date: dt.date | None = None

    def draw(self, streams, scenario: Scenario) -> CohortDraw:
        groups = (PatientGroup(DiseaseDraws.draw(self.n, streams["disease"])),) if self.n else ()
        start = self.start_date or scenario.population.start_date
        offsets = np.floor(streams["arrivals"].random(self.n) * scenario.population.spread_days)
        return CohortDraw(date_to_daynum(start) + offsets, np.arange(self.n), groups)


@dataclass(frozen=True)
class Client:
    """One client with a profile; each replication draws one possible course. The diagnosis
    date is ``diagnosis_date``, else the profile's, else the scenario's population start."""

    profile: Any
    diagnosis_date: dt.date | None = None

    def draw(self, streams, scenario: Scenario) -> CohortDraw:
        group = PatientGroup(DiseaseDraws.draw(1, streams["disease"]), self.profile)
        diagnosis = self.diagnosis_date or getattr(self.profile, "diagnosis_date", None) or scenario.population.start_date
        return CohortDraw(np.array([float(date_to_daynum(diagnosis))]), np.array([0]), (group,))


@dataclass(frozen=True)
class ExistingClient:
    """A client a municipality already has: diagnosed on ``diagnosis_date`` (before the
    horizon), with an optional profile (``None`` = a population patient). In a
    :class:`Caseload` the client is known to be alive at its ``start_date``: survival is
    sampled conditional on that (:func:`months_alive_before`)."""

    diagnosis_date: dt.date
    profile: Any = None
    client_id: str | None = None


@dataclass(frozen=True)
class Caseload:
    """A municipality's caseload over ``years`` from ``start_date``: new clients arrive as a
    Poisson process at the scenario's incidence per 100,000 inhabitants per year; the
    ``existing`` clients are alive at ``start_date`` (the caseload's as-of date)."""

    inhabitants: int
    years: float
    start_date: dt.date = dt.date(2026, 1, 1)
    existing: tuple[ExistingClient, ...] = ()

    def expected_new_clients(self, scenario: Scenario) -> float:
        return scenario.incidence.per_100k_per_year * self.inhabitants / 100_000 * self.years

    def draw(self, streams, scenario: Scenario) -> CohortDraw:
        rate = self.expected_new_clients(scenario)
        arrivals = streams["arrivals"]
        n_new = int(arrivals.poisson(rate)) if rate > 0 else 0
        horizon_days = int(round(self.years * DAYS_PER_YEAR))
        offsets = np.sort(np.floor(arrivals.random(n_new) * horizon_days))
        groups, diagnosis, ids = [], [], []
        if n_new:
            groups.append(PatientGroup(DiseaseDraws.draw(n_new, streams["disease"])))
            diagnosis.append(date_to_daynum(self.start_date) + offsets)
            ids.extend(f"new-{i}" for i in range(n_new))
        for i, client in enumerate(self.existing):
            alive = months_alive_before(client.diagnosis_date, self.start_date)
            groups.append(PatientGroup(DiseaseDraws.draw(1, streams["disease"]), client.profile, alive))
            diagnosis.append(np.array([float(date_to_daynum(client.diagnosis_date))]))
            ids.append(client.client_id or f"existing-{i}")
        days = np.concatenate(diagnosis) if diagnosis else np.zeros(0)
        return CohortDraw(days, np.array(ids, dtype=object), tuple(groups), one_municipality=True)


@dataclass(frozen=True)
class GivenWindows:
    """Need windows made by hand, identical in every replication (process randomness only)."""

    windows: NeedWindows
    diagnosis_dates: Any = dt.date(2026, 1, 5)
    one_municipality: bool = False

    @property
    def provision_ids(self) -> tuple[str, ...]:
        return tuple(self.windows.provision_ids)

    def draw(self, streams, scenario: Scenario) -> CohortDraw:
        n = self.windows.n_patients
        dates = self.diagnosis_dates
        if isinstance(dates, dt.date):
            diagnosis = np.full(n, float(date_to_daynum(dates)))
        else:
            diagnosis = np.asarray(dates, dtype="datetime64[D]").astype(np.int64).astype(float)
        patients = self.windows.patients
        ids = patients["patient_id"].to_numpy() if "patient_id" in patients else np.arange(n)
        return CohortDraw(diagnosis, ids, windows=self.windows, one_municipality=self.one_municipality)

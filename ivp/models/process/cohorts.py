"""Cohorts: who is simulated in a replication.

* :class:`NewPatients` - ``n`` new patients of the population (no profile), diagnosed at
  random dates over the scenario's population window;
* :class:`Client` - one client's uncertain course from a
  :class:`~ivp.domain.profile.ClientProfile` (one possible course per replication);
* :class:`VisitedClient` - the same client after follow-up visits: each replication picks
  one course of a pool weighted by what the visits observed
  (:mod:`ivp.models.disease.conditioning`), with the provisions delivered or declined
  taken out and no melding before the last visit;
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
from ivp.domain.errors import InputError
from ivp.domain.units import DAYS_PER_MONTH, DAYS_PER_YEAR
from ivp.models.disease import DiseaseDraws, PatientGroup, cohort_from_groups, need_rules
from ivp.models.disease.cohort import condition_code
from ivp.models.disease.conditioning import condition, observations, visit_params, weighted_quantiles
from ivp.models.disease.params import condition_params
from ivp.models.needwindows import NeedWindows
from ivp.models.process.requests import REQUESTS_FROM
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


class VisitedClient:
    """One client after follow-up visits (:mod:`ivp.models.disease.conditioning`).

    A pool of ``pool_courses`` courses is drawn from the profile (from its own seed,
    ``SeedSequence(seed, spawn_key=POOL_SPAWN_KEY)``, apart from the replications' keys),
    weighted by the visits; replication *k* picks one of them with a uniform from its own
    ``disease`` stream (inverse CDF of the weights: multinomial resampling, the same course
    in every scenario, parallel equal to sequential). As of the last visit: a provision
    delivered or no longer wanted is not requested again; a need that ended before it is
    dropped; no melding is made before it (the patients' ``requests_from_month``; a trigger
    before it moves to it, so a need that has already begun is requested at once); the
    client was at home at the visit, so an entry into a Wlz institution comes no sooner. For
    a condition planned from visits only, needs that begin more than its
    ``plan_horizon_months`` after the last visit are left out (``conditions.yaml``)."""

    POOL_SPAWN_KEY = (2**32,)

    def __init__(self, profile, diagnosis_date: dt.date, visits, seed: int, catalog_ids: tuple[str, ...] | None = None,
                 params=None, pool_courses: int | None = None):
        self.profile, self.diagnosis_date, self.visits = profile, diagnosis_date, tuple(visits)
        self.params = params or visit_params()
        size = pool_courses or self.params.pool_courses
        draws = DiseaseDraws.draw(size, np.random.SeedSequence(entropy=seed, spawn_key=self.POOL_SPAWN_KEY))
        cohort = cohort_from_groups([PatientGroup(draws, profile)], catalog_ids=catalog_ids)
        self.observed = observations(self.visits, diagnosis_date)
        self.conditioned = condition(cohort.courses, self.observed, self.params)
        if not self.conditioned.weights.any():
            raise InputError.single("visit", "date", "visit_after_every_course",
                                    date=self.visits[-1].date.isoformat())
        self.pool = cohort
        # half a day past the visit's start, so that the floored day of a melding is never before it
        days = (self.visits[-1].date - diagnosis_date).days if self.visits else 0
        as_of = (days + 0.5) / DAYS_PER_MONTH if days else 0.0
        windows = _as_of(cohort.windows, as_of, self.visits)
        self.horizon_months = _horizon(profile)
        self.windows = windows if self.horizon_months is None else _within(windows, as_of + self.horizon_months)
        self._cdf = np.cumsum(self.conditioned.weights)

    @property
    def provision_ids(self) -> tuple[str, ...]:
        return self.windows.provision_ids

    def survival_months(self) -> dict[str, float]:
        """P10, P50 and P90 of survival after diagnosis (months) over the weighted pool: the
        plan's figures after visits, exact for the pool rather than for the replications drawn."""
        courses = self.pool.courses
        q = weighted_quantiles(courses.death - courses.delay, self.conditioned.weights, (0.1, 0.5, 0.9))
        return dict(zip(("p10", "p50", "p90"), map(float, q)))

    def pick(self, u: float) -> int:
        """The pool course of uniform ``u`` (inverse CDF of the weights)."""
        return int(min(np.searchsorted(self._cdf, u * self._cdf[-1], side="right"), len(self._cdf) - 1))

    def draw(self, streams, scenario: Scenario) -> CohortDraw:
        row = self.pick(streams["disease"].random())
        windows = self.windows.take([row])
        windows.patients["patient_id"] = 0
        return CohortDraw(np.array([float(date_to_daynum(self.diagnosis_date))]), np.array([0]), windows=windows)


def _as_of(windows: NeedWindows, month: float, visits) -> NeedWindows:
    """The pool's windows as of the last visit (see :class:`VisitedClient`)."""
    done = {d.provision for v in visits for d in v.delivered} | {p for v in visits for p in v.declined}
    start, end, trigger = windows.need_start.copy(), windows.need_end.copy(), windows.trigger.copy()
    adapt = None if windows.adapt is None else windows.adapt.copy()
    _bridge_to_successors(windows, end, month, done)
    drop = end <= month
    for j, provision_id in enumerate(windows.provision_ids):
        if provision_id in done:
            drop[:, j] = True
    for a in (start, end, trigger) + (() if adapt is None else (adapt,)):
        a[drop] = np.nan
    trigger = np.where(trigger < month, month, trigger)
    uptake = None if windows.uptake is None else windows.uptake & ~drop
    patients = windows.patients.assign(**{REQUESTS_FROM: month})
    if "care_dependency_month" in patients.columns:  # at home at the visit: no Wlz entry before it
        care = patients["care_dependency_month"].to_numpy(dtype=float)
        patients = patients.assign(care_dependency_month=np.where(care < month, month, care))
    return NeedWindows(patients=patients, provision_ids=windows.provision_ids, need_start=start,
                       need_end=end, trigger=trigger, death=windows.death, uptake=uptake, adapt=adapt)


def _horizon(profile) -> float | None:
    """How far beyond the last visit a plan looks for the client's condition (``None``: to
    the end of the course; ``conditions.yaml``, ``plan_horizon_months``)."""
    return condition_params()[condition_code(profile)].plan_horizon_months


def _within(windows: NeedWindows, month: float) -> NeedWindows:
    """Only the needs that begin before ``month`` (months since diagnosis)."""
    late = ~(windows.need_start < month)
    pick = lambda a: None if a is None else np.where(late, np.nan, a)  # noqa: E731
    return NeedWindows(patients=windows.patients, provision_ids=windows.provision_ids,
                       need_start=pick(windows.need_start), need_end=pick(windows.need_end),
                       trigger=pick(windows.trigger), death=windows.death,
                       uptake=None if windows.uptake is None else windows.uptake & ~late, adapt=pick(windows.adapt))


def _bridge_to_successors(windows: NeedWindows, end: np.ndarray, month: float, done: set[str]) -> None:
    """A need that a successor cut short before the visit (``need_rules.csv``, ``replaced_by``)
    still runs while that successor is neither delivered nor declined: until the successor's
    own need ends (the predecessor bridges until the successor arrives). Changes ``end``."""
    rules = need_rules()
    ids = windows.provision_ids
    for j, provision_id in enumerate(ids):
        rule = rules.rules.get(provision_id)
        successors = [ids.index(s) for s in (rule.replaced_by if rule else ()) if s in ids and s not in done]
        if not successors:
            continue
        for k in successors:
            cut = (end[:, j] <= month) & np.isclose(windows.need_start[:, k], end[:, j]) \
                & np.isfinite(windows.need_end[:, k])
            end[cut, j] = windows.need_end[cut, k]


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

"""Monte Carlo: replications, cohorts, comparisons and summaries.

A replication is a pure function of ``(scenario, cohort, seed, k)``
(:func:`run_replication`): replication *k* uses ``SeedSequence(entropy=seed,
spawn_key=(k,))`` and spawns one child stream per random activity in a fixed order
(:data:`simulation.des.model.STREAMS`: the disease course first). So every scenario sees
the same patients (common random numbers), results do not depend on which worker ran
which replication, and the function can be shipped as is to joblib workers or a Dask
cluster (arguments and results are small and picklable; large runs return KPI rows only).

Cohorts (who is simulated):

* :class:`NewPatients` - a population of ``n`` new patients (no profile), diagnosed at
  random dates over the scenario's population window;
* :class:`Client` - one client's uncertain course from a :class:`ivp.profile.ClientProfile`;
* :class:`Caseload` - a municipality: Poisson arrivals at the scenario's incidence x
  inhabitants over a horizon of years, plus optional existing clients, all in one SimPy
  environment (one municipality: its traits are drawn once per replication);
* :class:`GivenWindows` - need windows made by hand (tests, precomputed courses).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, Sequence

import numpy as np
import pandas as pd

from simulation.des.model import (
    Outcome, ProvisionArrays, Requests, calendar_for, draw_requests, months_to_days, provision_arrays, simulate,
    spawn_streams,
)
from simulation.des.results import kpi_rows, request_frame, summarise
from simulation.des.scenario import Scenario
from simulation.needwindows import NeedWindows

Keep = Literal["frame", "kpis"]


def _daynum(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def _sample_windows(n: int, rng: np.random.Generator, profile=None) -> NeedWindows:
    try:
        from simulation.disease import sample_need_windows
    except ImportError as error:  # pragma: no cover - until the disease model lands
        raise RuntimeError(
            "the disease model (simulation.disease.sample_need_windows) is not available; "
            "pass hand-made need windows with GivenWindows"
        ) from error
    return sample_need_windows(n, rng, profile=profile)


def concat_windows(parts: Sequence[NeedWindows]) -> NeedWindows:
    """Stack the need windows of several groups of patients (same provision columns)."""
    parts = [p for p in parts if p.n_patients]
    if not parts:
        raise ValueError("no patients")
    ids = parts[0].provision_ids
    for p in parts[1:]:
        if p.provision_ids != ids:
            raise ValueError("need windows with different provision columns")
    patients = pd.concat([p.patients for p in parts], ignore_index=True)
    return NeedWindows(
        patients=patients, provision_ids=ids,
        need_start=np.vstack([p.need_start for p in parts]), need_end=np.vstack([p.need_end for p in parts]),
        trigger=np.vstack([p.trigger for p in parts]), death=np.concatenate([p.death for p in parts]),
    )


@dataclass(frozen=True)
class Sampled:
    windows: NeedWindows | None
    diagnosis_day: np.ndarray
    patient_ids: np.ndarray
    one_municipality: bool = False


@dataclass(frozen=True)
class NewPatients:
    """``n`` new patients of the population (no profile)."""

    n: int
    start_date: dt.date | None = None

    def sample(self, streams, scenario: Scenario) -> Sampled:
        windows = _sample_windows(self.n, streams["disease"]) if self.n else None
        start = self.start_date or scenario.population.start_date
        offsets = np.floor(streams["arrivals"].random(self.n) * scenario.population.spread_days)
        return Sampled(windows, _daynum(start) + offsets, np.arange(self.n))


@dataclass(frozen=True)
class Client:
    """One client with a profile; each replication samples one possible course."""

    profile: Any
    diagnosis_date: dt.date | None = None

    def sample(self, streams, scenario: Scenario) -> Sampled:
        windows = _sample_windows(1, streams["disease"], profile=self.profile)
        diag = self.diagnosis_date or getattr(self.profile, "diagnosis_date", None) or scenario.population.start_date
        return Sampled(windows, np.array([float(_daynum(diag))]), np.array([0]))


@dataclass(frozen=True)
class ExistingClient:
    """A client a municipality already has: diagnosed on ``diagnosis_date`` (before the
    horizon), with an optional profile (``None`` = a population patient)."""

    diagnosis_date: dt.date
    profile: Any = None
    client_id: str | None = None


@dataclass(frozen=True)
class Caseload:
    """A municipality's caseload over ``years`` from ``start_date``: new clients arrive as
    a Poisson process at the scenario's incidence per 100,000 inhabitants per year."""

    inhabitants: int
    years: float
    start_date: dt.date = dt.date(2026, 1, 1)
    existing: tuple[ExistingClient, ...] = ()
    one_municipality: bool = True

    def sample(self, streams, scenario: Scenario) -> Sampled:
        rate = scenario.caseload.incidence_per_100k_per_year * self.inhabitants / 100_000 * self.years
        arrivals = streams["arrivals"]
        n_new = int(arrivals.poisson(rate)) if rate > 0 else 0
        horizon_days = int(round(self.years * 365.25))
        offsets = np.sort(np.floor(arrivals.random(n_new) * horizon_days))
        parts, diag, ids = [], [], []
        if n_new:
            parts.append(_sample_windows(n_new, streams["disease"]))
            diag.append(_daynum(self.start_date) + offsets)
            ids.extend(f"new-{i}" for i in range(n_new))
        for i, client in enumerate(self.existing):
            parts.append(_sample_windows(1, streams["disease"], profile=client.profile))
            diag.append(np.array([float(_daynum(client.diagnosis_date))]))
            ids.append(client.client_id or f"existing-{i}")
        if not parts:
            return Sampled(None, np.zeros(0), np.array([], dtype=object), self.one_municipality)
        return Sampled(concat_windows(parts), np.concatenate(diag), np.array(ids, dtype=object), self.one_municipality)


@dataclass(frozen=True)
class GivenWindows:
    """Need windows made by hand, identical in every replication (process randomness only)."""

    windows: NeedWindows
    diagnosis_dates: Any = dt.date(2026, 1, 5)
    one_municipality: bool = False

    def sample(self, streams, scenario: Scenario) -> Sampled:
        n = self.windows.n_patients
        dates = self.diagnosis_dates
        if isinstance(dates, dt.date):
            diag = np.full(n, float(_daynum(dates)))
        else:
            diag = np.asarray(dates, dtype="datetime64[D]").astype(np.int64).astype(float)
        ids = self.windows.patients["patient_id"].to_numpy() if "patient_id" in self.windows.patients else np.arange(n)
        return Sampled(self.windows, diag, ids, self.one_municipality)


@dataclass
class ReplicationResult:
    replication: int
    kpis: pd.DataFrame
    frame: pd.DataFrame | None = None
    events: int = 0
    windows: NeedWindows | None = None
    patients: pd.DataFrame | None = None
    """With ``keep='frame'``: every sampled patient (also those who needed nothing, so are
    not in the frame): ``replication``, ``patient_id``, ``diagnosis_date``, ``death_day``
    (days since diagnosis), then the disease model's patient columns (profile, home facts).
    Used by the budget (ivp.budget) for earmarks and client counts."""


def _patients(sampled, k: int) -> pd.DataFrame:
    death = months_to_days(sampled.windows.death) if sampled.windows is not None else np.zeros(0)
    patients = pd.DataFrame({
        "replication": np.full(len(sampled.patient_ids), k, dtype=np.int64),
        "patient_id": sampled.patient_ids,
        "diagnosis_date": np.asarray(sampled.diagnosis_day, dtype=float).astype(np.int64).astype("datetime64[D]"),
        "death_day": death,
    })
    if sampled.windows is not None:  # the disease model's profile and home columns
        extra = sampled.windows.patients.drop(columns=["patient_id"], errors="ignore").reset_index(drop=True)
        patients = pd.concat([patients, extra.drop(columns=[c for c in extra if c in patients])], axis=1)
    return patients


@lru_cache(maxsize=4)
def _default_catalog():
    from ivp.catalog import load_catalog

    return load_catalog()


_ARRAYS: dict = {}


def _provisions(catalog, ids) -> ProvisionArrays:
    key = (id(catalog), ids)
    if key not in _ARRAYS:
        _ARRAYS[key] = provision_arrays(catalog, ids)
    return _ARRAYS[key]


def run_replication(
    scenario: Scenario, cohort, seed: int, k: int, *, catalog=None, engine: str = "auto", keep: Keep = "frame",
    per_provision: bool = True, per_year: bool = False, keep_windows: bool = False,
) -> ReplicationResult:
    """Replication ``k`` of ``scenario`` for ``cohort`` with base ``seed``: a pure function.

    ``keep='kpis'`` returns only the KPI rows (large runs); ``keep='frame'`` also the
    request frame.
    """
    catalog = catalog or _default_catalog()
    streams = spawn_streams(np.random.SeedSequence(entropy=seed, spawn_key=(k,)))
    sampled = cohort.sample(streams, scenario)
    cal = calendar_for(scenario)
    windows = sampled.windows
    if windows is None:
        return ReplicationResult(k, kpi_rows_empty(k), _empty_frame() if keep == "frame" else None,
                                 patients=_patients(sampled, k) if keep == "frame" else None)
    provisions = _provisions(catalog, tuple(windows.provision_ids))
    req = draw_requests(scenario, provisions, windows, sampled.diagnosis_day, streams,
                        one_municipality=sampled.one_municipality, cal=cal)
    out = simulate(req, scenario, provisions, engine=engine, cal=cal)
    share = scenario.depot.refurbishment_cost_share if scenario.depot.enabled else 0.0
    kpis = kpi_rows(req, out, provisions, cal, k, windows.n_patients, per_provision=per_provision,
                    per_year=per_year, refurbishment_cost_share=share)
    frame = request_frame(req, out, provisions, cal, sampled.patient_ids, k, share) if keep == "frame" else None
    return ReplicationResult(k, kpis, frame, out.events, windows if keep_windows else None,
                             patients=_patients(sampled, k) if keep == "frame" else None)


def kpi_rows_empty(k: int) -> pd.DataFrame:
    return pd.DataFrame({"replication": [k, k], "group": ["overall"] * 2, "key": ["all"] * 2,
                         "metric": ["patients", "requests"], "value": [0.0, 0.0]})


def _empty_frame() -> pd.DataFrame:
    from simulation.des.results import FRAME_COLUMNS

    return pd.DataFrame({c: [] for c in FRAME_COLUMNS})


def _run_chunk(scenario, cohort, seed, ks, kwargs) -> list[ReplicationResult]:
    return [run_replication(scenario, cohort, seed, k, **kwargs) for k in ks]


@dataclass
class MonteCarloResult:
    """All replications of one scenario: KPI rows, their summary, and (if kept) frames."""

    scenario: Scenario
    kpis: pd.DataFrame
    summary: pd.DataFrame
    frame: pd.DataFrame | None = None
    events: int = 0
    replications: int = 0
    extra: dict = field(default_factory=dict)

    def overall(self) -> pd.DataFrame:
        s = self.summary
        return s[s["group"] == "overall"].set_index("metric")


def run_montecarlo(
    scenario: Scenario, cohort, replications: int, seed: int = 0, *, n_jobs: int = 1, catalog=None,
    engine: str = "auto", keep: Keep = "frame", per_provision: bool = True, per_year: bool = False,
) -> MonteCarloResult:
    """Run ``replications`` replications (in parallel with joblib when ``n_jobs != 1``;
    identical results either way) and summarise them."""
    kwargs = dict(catalog=catalog, engine=engine, keep=keep, per_provision=per_provision, per_year=per_year)
    ks = list(range(replications))
    if n_jobs == 1 or replications <= 1:
        results = _run_chunk(scenario, cohort, seed, ks, kwargs)
    else:
        from joblib import Parallel, delayed, effective_n_jobs

        workers = effective_n_jobs(n_jobs)
        n_chunks = min(replications, workers * 4)
        chunks = [c.tolist() for c in np.array_split(np.array(ks), n_chunks) if len(c)]
        parts = Parallel(n_jobs=n_jobs)(delayed(_run_chunk)(scenario, cohort, seed, c, kwargs) for c in chunks)
        results = [r for part in parts for r in part]
    results.sort(key=lambda r: r.replication)
    kpis = pd.concat([r.kpis for r in results], ignore_index=True)
    frame = None
    if keep == "frame":
        frames = [r.frame for r in results if r.frame is not None and len(r.frame)]
        frame = pd.concat(frames, ignore_index=True) if frames else _empty_frame()
    return MonteCarloResult(scenario, kpis, summarise(kpis), frame, sum(r.events for r in results), replications)


def compare(
    scenarios: Sequence[Scenario], cohort, replications: int, seed: int = 0, **kwargs,
) -> list[MonteCarloResult]:
    """Run several scenarios on the same patients (same seed: common random numbers)."""
    return [run_montecarlo(s, cohort, replications, seed, **kwargs) for s in scenarios]

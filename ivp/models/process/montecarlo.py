"""Monte Carlo: replications, cohorts, comparisons and summaries.

A replication is a pure function of ``(scenario, cohort, seed, k)``
(:func:`run_replication`): replication *k* uses ``SeedSequence(entropy=seed,
spawn_key=(k,))`` and spawns one child stream per random activity in a fixed order
(:data:`ivp.models.process.model.STREAMS`: the disease course first). So every scenario sees
the same patients (common random numbers), results do not depend on which worker ran
which replication, and the function can be shipped as is to joblib workers or a Dask
cluster (arguments and results are small and picklable; large runs return KPI rows only).

Cohorts (who is simulated):

* :class:`NewPatients` - a population of ``n`` new patients (no profile), diagnosed at
  random dates over the scenario's population window;
* :class:`Client` - one client's uncertain course from a :class:`ivp.domain.profile.ClientProfile`;
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

from ivp.domain.units import DAYS_PER_MONTH
from ivp.models.process.model import (
    Cells, ProvisionArrays, build_requests, calendar_for, draw_cells, months_to_days, provision_arrays, simulate,
    spawn_streams, stack_cells,
)
from ivp.models.process.results import derive, kpi_rows, request_frame, summarise
from ivp.models.process.scenario import Scenario
from ivp.models.needwindows import NeedWindows

Keep = Literal["frame", "kpis"]


def _daynum(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def _sample_windows(n: int, rng: np.random.Generator, profile=None, alive_until=None) -> NeedWindows:
    try:
        from ivp.models.disease import sample_need_windows
    except ImportError as error:  # pragma: no cover - until the disease model lands
        raise RuntimeError(
            "the disease model (ivp.models.disease.sample_need_windows) is not available; "
            "pass hand-made need windows with GivenWindows"
        ) from error
    if alive_until is None:
        return sample_need_windows(n, rng, profile=profile)
    return sample_need_windows(n, rng, profile=profile, alive_until=alive_until)


def months_alive_before(diagnosis_date: dt.date, start_date: dt.date) -> float | None:
    """Months from diagnosis through ``start_date`` (that day included: half a day past its
    start, so the floored death day is never before it); ``None`` if diagnosed on or after
    ``start_date`` (then being alive at diagnosis is all there is to condition on)."""
    days = _daynum(start_date) - _daynum(diagnosis_date)
    return (days + 0.5) / DAYS_PER_MONTH if days > 0 else None


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
    horizon), with an optional profile (``None`` = a population patient). In a
    :class:`Caseload` the client is known to be alive at its ``start_date``: survival is
    sampled conditional on that (:func:`months_alive_before`)."""

    diagnosis_date: dt.date
    profile: Any = None
    client_id: str | None = None


@dataclass(frozen=True)
class Caseload:
    """A municipality's caseload over ``years`` from ``start_date``: new clients arrive as
    a Poisson process at the scenario's incidence per 100,000 inhabitants per year. The
    ``existing`` clients are alive at ``start_date`` (the caseload's as-of date): each one's
    survival is conditional on the months from its diagnosis to then."""

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
            alive = months_alive_before(client.diagnosis_date, self.start_date)
            parts.append(_sample_windows(1, streams["disease"], profile=client.profile, alive_until=alive))
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
    return _patients_frame([sampled], [k])


def _patients_frame(sampled_list: Sequence["Sampled"], ks: Sequence[int]) -> pd.DataFrame:
    """Every sampled patient of the replications ``ks`` (see :class:`ReplicationResult`)."""
    counts = [len(s.patient_ids) for s in sampled_list]
    death = [months_to_days(s.windows.death) if s.windows is not None else np.zeros(0) for s in sampled_list]
    ids = [np.asarray(s.patient_ids) for s in sampled_list]
    data = {
        "replication": np.repeat(np.asarray(ks, dtype=np.int64), counts),
        "patient_id": ids[0] if len(ids) == 1 else np.concatenate(ids),
        "diagnosis_date": np.concatenate([np.asarray(s.diagnosis_day, dtype=float) for s in sampled_list])
        .astype(np.int64).astype("datetime64[D]"),
        "death_day": np.concatenate(death),
    }
    frames = [s.windows.patients for s in sampled_list if s.windows is not None]
    if not frames:
        return pd.DataFrame(data)
    # the disease model's profile and home columns
    extra = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    for c in extra.columns:
        if c != "patient_id" and c not in data:
            data[c] = extra[c].array  # keeps the column's dtype (categorical, string, bool, ...)
    return pd.DataFrame(data)


@lru_cache(maxsize=4)
def _default_catalog():
    from ivp.domain.catalog import load_catalog

    return load_catalog()


def _provisions(catalog, ids) -> ProvisionArrays:
    """The provision arrays of ``ids`` from ``catalog``, built anew for each batch (about
    0.05 ms for the 34 provisions). Not cached: a cache keyed on ``id(catalog)`` handed a
    new override catalogue the costs of a freed one that had had the same id."""
    return provision_arrays(catalog, ids)


# ---------------------------------------------------------------------------------------
# Batches: many replications in one vectorised pass
# ---------------------------------------------------------------------------------------

MAX_BATCH_REQUESTS = 250_000
"""Replications are simulated together until their requests reach about this many (one
national replication has about 85,000); bounds the memory of a batch."""


@dataclass
class Drawn:
    """One replication's sampled patients and drawn cells (scenario-independent)."""

    k: int
    sampled: Sampled
    cells: Cells | None

    @property
    def n_requests(self) -> int:
        return 0 if self.cells is None else int(self.cells.rep_requests[0])


def draw_replication(scenario: Scenario, cohort, seed: int, k: int) -> Drawn:
    """Replication ``k``'s patients (the cohort samples them) and every uniform it draws,
    from ``SeedSequence(entropy=seed, spawn_key=(k,))``. Depends on the scenario only
    through the cohort's use of ``population`` and ``caseload``."""
    streams = spawn_streams(np.random.SeedSequence(entropy=seed, spawn_key=(k,)))
    sampled = cohort.sample(streams, scenario)
    if sampled.windows is None:
        return Drawn(k, sampled, None)
    cells = draw_cells(sampled.windows, sampled.diagnosis_day, streams, one_municipality=sampled.one_municipality)
    return Drawn(k, sampled, cells)


@dataclass
class BatchResult:
    """The results of several replications simulated together: exactly what each would
    give on its own, one replication after the other (KPI rows, request frame, patients)."""

    replications: tuple[int, ...]
    kpis: pd.DataFrame
    frame: pd.DataFrame | None = None
    patients: pd.DataFrame | None = None
    events: int = 0


def simulate_drawn(
    scenario: Scenario, drawn: Sequence[Drawn], *, catalog=None, engine: str = "auto", keep: Keep = "frame",
    per_provision: bool = True, per_year: bool = False, keep_patients: bool | None = None,
) -> BatchResult:
    """Simulate drawn replications under ``scenario`` in one pass (stacked)."""
    catalog = catalog or _default_catalog()
    keep_patients = keep == "frame" if keep_patients is None else keep_patients
    ks = tuple(d.k for d in drawn)
    full = [d for d in drawn if d.cells is not None]
    kpi_parts, frame, events = [], None, 0
    if full:
        ids = tuple(full[0].sampled.windows.provision_ids)
        if any(tuple(d.sampled.windows.provision_ids) != ids for d in full):
            raise ValueError("need windows with different provision columns in one batch")
        provisions = _provisions(catalog, ids)
        cal = calendar_for(scenario)
        req = build_requests(scenario, provisions, stack_cells([d.cells for d in full]), cal)
        out = simulate(req, scenario, provisions, engine=engine, cal=cal)
        events = out.events
        share = scenario.depot.refurbishment_cost_share if scenario.depot.enabled else 0.0
        full_ks = np.array([d.k for d in full], dtype=np.int64)
        derived = derive(req, out, provisions, cal)
        kpi_parts.append(kpi_rows(req, out, provisions, cal, full_ks, [d.sampled.windows.n_patients for d in full],
                                  per_provision=per_provision, per_year=per_year, refurbishment_cost_share=share,
                                  derived=derived))
        if keep == "frame":
            pids = [np.asarray(d.sampled.patient_ids) for d in full]
            frame = request_frame(req, out, provisions, cal, pids[0] if len(pids) == 1 else np.concatenate(pids),
                                  full_ks, share, derived=derived)
    elif keep == "frame":
        frame = _empty_frame()
    empty = [d.k for d in drawn if d.cells is None]
    if empty:
        kpi_parts.extend(kpi_rows_empty(k) for k in empty)
        kpis = pd.concat(kpi_parts, ignore_index=True)
        position = {k: i for i, k in enumerate(ks)}
        order = np.argsort(kpis["replication"].map(position).to_numpy(), kind="stable")
        kpis = kpis.iloc[order].reset_index(drop=True)
    else:
        kpis = kpi_parts[0]
    patients = _patients_frame([d.sampled for d in drawn], ks) if keep_patients else None
    return BatchResult(ks, kpis, frame, patients, events)


def iter_batches(
    scenario: Scenario, cohort, seed: int, ks: Sequence[int], *, max_requests: int = MAX_BATCH_REQUESTS, **kwargs,
):
    """Replications ``ks`` in batches of about ``max_requests`` requests, each simulated in
    one pass: yields a :class:`BatchResult` per batch (results stream; nothing else is
    kept). ``kwargs`` as :func:`simulate_drawn`."""
    pending, size = [], 0
    for k in ks:
        d = draw_replication(scenario, cohort, seed, k)
        pending.append(d)
        size += d.n_requests
        if size >= max_requests:
            yield simulate_drawn(scenario, pending, **kwargs)
            pending, size = [], 0
    if pending:
        yield simulate_drawn(scenario, pending, **kwargs)


def run_batch(scenario: Scenario, cohort, seed: int, ks: Sequence[int], **kwargs) -> BatchResult:
    """Replications ``ks`` (in that order), simulated in batches and joined: the same rows
    as :func:`run_replication` for each ``k``, concatenated, at a fraction of the cost."""
    parts = list(iter_batches(scenario, cohort, seed, ks, **kwargs))
    return _join(parts, ks)


def _join(parts: list[BatchResult], ks: Sequence[int]) -> BatchResult:
    if len(parts) == 1:
        return parts[0]
    frames = [p.frame for p in parts if p.frame is not None]
    patients = [p.patients for p in parts if p.patients is not None]
    return BatchResult(
        tuple(ks), pd.concat([p.kpis for p in parts], ignore_index=True),
        pd.concat(frames, ignore_index=True) if frames else None,
        pd.concat(patients, ignore_index=True) if patients else None,
        sum(p.events for p in parts),
    )


def run_replication(
    scenario: Scenario, cohort, seed: int, k: int, *, catalog=None, engine: str = "auto", keep: Keep = "frame",
    per_provision: bool = True, per_year: bool = False, keep_windows: bool = False,
) -> ReplicationResult:
    """Replication ``k`` of ``scenario`` for ``cohort`` with base ``seed``: a pure function.

    ``keep='kpis'`` returns only the KPI rows (large runs); ``keep='frame'`` also the
    request frame. Many replications: :func:`run_batch` (same rows, much faster).
    """
    drawn = draw_replication(scenario, cohort, seed, k)
    b = simulate_drawn(scenario, [drawn], catalog=catalog, engine=engine, keep=keep, per_provision=per_provision,
                       per_year=per_year)
    windows = drawn.sampled.windows
    return ReplicationResult(k, b.kpis, b.frame, b.events, windows if keep_windows and windows is not None else None,
                             patients=b.patients)


def kpi_rows_empty(k: int) -> pd.DataFrame:
    return pd.DataFrame({"replication": [k, k], "group": ["overall"] * 2, "key": ["all"] * 2,
                         "metric": ["patients", "requests"], "value": [0.0, 0.0]})


def _empty_frame() -> pd.DataFrame:
    from ivp.models.process.results import FRAME_COLUMNS

    return pd.DataFrame({c: [] for c in FRAME_COLUMNS})


def _run_chunk(scenarios, cohort, seed, ks, kwargs) -> list[list[BatchResult]]:
    """Replications ``ks`` of every scenario, batched; scenarios that sample their cohort
    alike (same ``population`` and ``caseload``) share the drawn patients and uniforms, so
    the disease model runs once per replication for all of them."""
    out: list[list[BatchResult]] = [[] for _ in scenarios]
    groups: dict = {}
    for i, s in enumerate(scenarios):
        groups.setdefault((s.population, s.caseload), []).append(i)
    max_requests = kwargs.pop("max_requests", MAX_BATCH_REQUESTS)
    for members in groups.values():
        first = scenarios[members[0]]
        pending, size = [], 0
        for n, k in enumerate(ks):
            d = draw_replication(first, cohort, seed, k)
            pending.append(d)
            size += d.n_requests
            if size >= max_requests or n == len(ks) - 1:
                for i in members:
                    out[i].append(simulate_drawn(scenarios[i], pending, keep_patients=False, **kwargs))
                pending, size = [], 0
    return out


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
    identical results either way) and summarise them. Replications run in batches
    (:func:`iter_batches`): the same rows as one :func:`run_replication` per replication."""
    return _montecarlo([scenario], cohort, replications, seed, n_jobs=n_jobs, catalog=catalog, engine=engine,
                       keep=keep, per_provision=per_provision, per_year=per_year)[0]


def _montecarlo(scenarios, cohort, replications, seed, *, n_jobs, **kwargs) -> list[MonteCarloResult]:
    ks = list(range(replications))
    if n_jobs == 1 or replications <= 1:
        parts = [_run_chunk(scenarios, cohort, seed, ks, dict(kwargs))]
    else:
        from joblib import Parallel, delayed, effective_n_jobs

        workers = effective_n_jobs(n_jobs)
        n_chunks = min(replications, workers * 4)
        chunks = [c.tolist() for c in np.array_split(np.array(ks), n_chunks) if len(c)]
        parts = Parallel(n_jobs=n_jobs)(delayed(_run_chunk)(scenarios, cohort, seed, c, dict(kwargs)) for c in chunks)
    results = []
    for i, scenario in enumerate(scenarios):
        batches = [b for part in parts for b in part[i]]
        kpis = pd.concat([b.kpis for b in batches], ignore_index=True) if len(batches) > 1 else batches[0].kpis
        frame = None
        if kwargs.get("keep", "frame") == "frame":
            frames = [b.frame for b in batches if b.frame is not None and len(b.frame)]
            frame = (frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)) if frames else _empty_frame()
        results.append(MonteCarloResult(scenario, kpis, summarise(kpis), frame, sum(b.events for b in batches),
                                        replications))
    return results


def compare_batch(scenarios: Sequence[Scenario], cohort, seed: int, ks: Sequence[int], **kwargs) -> list[BatchResult]:
    """Replications ``ks`` (in that order) of every scenario, one :class:`BatchResult` per
    scenario: the patients and uniforms of each replication are drawn once for all scenarios
    that sample their cohort alike, and each scenario runs them in batches. The same rows as
    :func:`run_batch` per scenario (without the patients frame); for callers that report
    progress between chunks of replications (the app). ``kwargs`` as :func:`simulate_drawn`
    (``max_requests`` as :func:`iter_batches`)."""
    ks = list(ks)
    if not ks:
        raise ValueError("no replications")
    parts = _run_chunk(list(scenarios), cohort, seed, ks, dict(kwargs))
    return [_join(p, ks) for p in parts]


def compare(
    scenarios: Sequence[Scenario], cohort, replications: int, seed: int = 0, **kwargs,
) -> list[MonteCarloResult]:
    """Run several scenarios on the same patients (same seed: common random numbers). The
    patients and uniforms of each replication are drawn once for all scenarios; the results
    equal one :func:`run_montecarlo` per scenario."""
    n_jobs = kwargs.pop("n_jobs", 1)
    return _montecarlo(list(scenarios), cohort, replications, seed, n_jobs=n_jobs, **kwargs)

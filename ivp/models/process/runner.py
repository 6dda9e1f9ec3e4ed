"""The one way to run replications: :func:`run`.

``run(scenarios, cohort, replications, seed=..., reducer=..., executor=..., progress=...)``
simulates replications ``0 .. replications - 1`` of every scenario and hands each batch of
them to a *reducer*, which turns it into what the caller keeps (KPI rows, a client's plan,
a municipality's yearly outlay...) where the batch ran, and combines the pieces at the end.

* **Seeds.** Replication *k* draws everything from ``SeedSequence(entropy=seed,
  spawn_key=(k,))`` (:mod:`ivp.models.process.streams`): the same patients in every
  scenario (common random numbers), the same results whatever ran where.
* **Batches.** Replications are drawn one by one, then computed together: one pass of the
  disease model for all patients of a batch, one pass of the process model (the fast engine
  vectorised over the batch, SimPy one environment per replication), one pass of the
  outcome measures. A batch gives exactly the results of its replications one by one
  (tested), at a fraction of the fixed cost. Scenarios that sample their cohort alike
  (same ``population`` and ``incidence``) share the drawn patients and their need windows.
* **Where.** Chunks of replications run in this process, on threads of this process, on
  local processes (joblib) or on a Dask cluster, in the same order; ``progress`` (a
  fraction 0-1) is called after each chunk in every case. Threads share the batch memory
  bound (:data:`MAX_BATCH_CELLS`): each holds batches of an equal share of it, so a run on
  two threads needs about the memory of a run on one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Callable, Protocol, Sequence

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from ivp.domain.calendar import WorkdayCalendar
from ivp.domain.catalog import Catalog, load_catalog
from ivp.models.disease import cohort_from_groups, need_rules
from ivp.models.disease.streams import DEFAULT_SEED
from ivp.models.needwindows import NeedWindows, concat_windows
from ivp.models.process.cohorts import CohortDraw
from ivp.models.process.engines import Outcome, resolve_engine, simulate
from ivp.models.process.requests import (
    Cells,
    ProvisionArrays,
    Requests,
    Uniforms,
    build_requests,
    calendar_for,
    draw_uniforms,
    months_to_days,
    provision_arrays,
    select_cells,
)
from ivp.models.process.results import (
    FRAME_COLUMNS,
    derive,
    kpi_rows,
    request_frame,
    summarise,
)
from ivp.models.process.scenario import Scenario
from ivp.models.process.streams import replication_streams

MAX_BATCH_CELLS = 400_000
"""Replications are computed together while their patients x provisions stay within this
many (one national replication has about 170,000; a replication larger than this is a batch
of its own): bounds the memory of the batches a process holds at once."""


def full_batches(patient_replications: float) -> int:
    """How many full batches (:data:`MAX_BATCH_CELLS`) so many simulated patient-replications
    fill over the need rules' provisions, at least 1: how many workers the work can keep busy
    (a second worker on less than two batches' work costs more than it gives: measured, one
    municipality of 100,000 over 5 years, 0.78 s on one thread and 0.87 s on two)."""
    return max(1, int(patient_replications * len(need_rules().ids) // MAX_BATCH_CELLS))


PROGRESS_STEPS = 20
"""Chunks of replications when progress is reported (one call per chunk)."""

Progress = Callable[[float], None]


# ---------------------------------------------------------------------------------------
# Drawing and computing a batch
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drawn:
    """One replication's draws: its cohort and every process uniform (scenario-independent)."""

    k: int
    cohort: CohortDraw
    uniforms: Uniforms


def provision_ids_of(cohort) -> tuple[str, ...]:
    """The provision columns of the cohort's need windows: its own ``provision_ids`` (need
    windows given as they are), else the disease model's need rules (every provision)."""
    ids = getattr(cohort, "provision_ids", None)
    return tuple(ids) if ids is not None else need_rules().ids


def draw_replication(scenario: Scenario, cohort, seed: int, k: int, n_provisions: int) -> Drawn:
    streams = replication_streams(seed, k)
    drawn = cohort.draw(streams, scenario)
    return Drawn(k, drawn, draw_uniforms(drawn.n_patients, n_provisions, streams, drawn.one_municipality))


@dataclass(frozen=True)
class Prepared:
    """The scenario-independent part of a batch: the replications with patients, their
    stacked need windows and uniforms."""

    ks: tuple[int, ...]
    full: tuple[Drawn, ...]
    windows: NeedWindows | None

    @cached_property
    def cells(self) -> Cells:
        """The requested cells of the replications with patients, with their uniforms: the
        same under every scenario, so selected once for all of them."""
        full = self.full
        return select_cells(self.windows, [d.uniforms for d in full], np.concatenate([d.cohort.diagnosis_day for d in full]),
                            np.array([d.cohort.n_patients for d in full], dtype=np.int64))


def prepare(drawn: list[Drawn], ids: tuple[str, ...]) -> Prepared:
    full = tuple(d for d in drawn if d.cohort.n_patients)
    windows = None
    if full:
        if full[0].cohort.windows is not None:
            windows = concat_windows([d.cohort.windows for d in full])
        else:
            windows = cohort_from_groups([g for d in full for g in d.cohort.groups], catalog_ids=ids).windows
    return Prepared(tuple(d.k for d in drawn), full, windows)


@dataclass
class Batch:
    """Replications of one scenario computed together, for a reducer: what they gave, as
    :meth:`kpis` (KPI rows), :meth:`frame` (the request frame) and :meth:`patients` (every
    simulated patient), exactly as the replications one by one, one after the other."""

    scenario: Scenario
    replications: tuple[int, ...]
    prepared: Prepared
    requests: Requests | None = None
    outcome: Outcome | None = None
    provisions: ProvisionArrays | None = None
    calendar: WorkdayCalendar | None = None

    @property
    def events(self) -> int:
        return 0 if self.outcome is None else self.outcome.events

    @property
    def _full_ks(self) -> np.ndarray:
        return np.array([d.k for d in self.prepared.full], dtype=np.int64)

    @cached_property
    def _derived(self) -> dict:
        return derive(self.requests, self.outcome, self.provisions, self.calendar)

    @property
    def refurbishment_cost_share(self) -> float:
        depot = self.scenario.depot
        return depot.refurbishment_cost_share if depot.enabled else 0.0

    def kpis(self, per_provision: bool = True, per_year: bool = False) -> pd.DataFrame:
        """Long-format KPI rows (``replication, group, key, metric, value``); see
        :func:`ivp.models.process.results.kpi_rows`."""
        parts = []
        if self.requests is not None:
            parts.append(kpi_rows(self.requests, self.outcome, self.provisions, self.calendar, self._full_ks,
                                  [d.cohort.n_patients for d in self.prepared.full], per_provision=per_provision,
                                  per_year=per_year, refurbishment_cost_share=self.refurbishment_cost_share,
                                  derived=self._derived))
        empty = [k for k in self.replications if k not in set(self._full_ks.tolist())]
        if not empty:
            return parts[0]
        parts.extend(_kpi_rows_empty(k) for k in empty)
        kpis = pd.concat(parts, ignore_index=True)
        position = {k: i for i, k in enumerate(self.replications)}
        order = np.argsort(kpis["replication"].map(position).to_numpy(), kind="stable")
        return kpis.iloc[order].reset_index(drop=True)

    def frame(self) -> pd.DataFrame:
        """The request frame: one row per replication, patient and needed provision
        (columns :data:`~ivp.models.process.results.FRAME_COLUMNS`, docs/architecture.md)."""
        if self.requests is None:
            return pd.DataFrame({c: [] for c in FRAME_COLUMNS})
        ids = [np.asarray(d.cohort.patient_ids) for d in self.prepared.full]
        return request_frame(self.requests, self.outcome, self.provisions, self.calendar,
                             ids[0] if len(ids) == 1 else np.concatenate(ids), self._full_ks,
                             self.refurbishment_cost_share, derived=self._derived)

    def need_counts(self) -> pd.DataFrame:
        """Per provision (index: provision id): ``patients`` simulated, how many of them
        ``needed`` it at some point and how many ``requested`` it (needed and took it up,
        :meth:`~ivp.models.needwindows.NeedWindows.requested`); only requested cells reach
        the request frame."""
        windows = self.prepared.windows
        if windows is None:
            return pd.DataFrame(columns=["patients", "needed", "requested"], dtype=np.int64)
        return pd.DataFrame({"patients": windows.n_patients, "needed": windows.needed().sum(axis=0),
                             "requested": windows.requested().sum(axis=0)},
                            index=pd.Index(windows.provision_ids, name="provision_id"))

    def patients(self) -> pd.DataFrame:
        """Every simulated patient, also those who needed nothing: ``replication``,
        ``patient_id``, ``diagnosis_date``, ``death_day`` (days since diagnosis), then the
        disease model's columns (profile, home facts, survival)."""
        full = self.prepared.full
        data = {
            "replication": np.repeat(np.array([d.k for d in full], dtype=np.int64), [d.cohort.n_patients for d in full]),
            "patient_id": np.concatenate([np.asarray(d.cohort.patient_ids) for d in full]) if full else np.zeros(0),
            "diagnosis_date": (np.concatenate([d.cohort.diagnosis_day for d in full]) if full else np.zeros(0))
            .astype(np.int64).astype("datetime64[D]"),
            "death_day": months_to_days(self.prepared.windows.death) if full else np.zeros(0),
        }
        if not full:
            return pd.DataFrame(data)
        extra = self.prepared.windows.patients
        for column in extra.columns:
            if column != "patient_id" and column not in data:
                data[column] = extra[column].array  # keeps the column's dtype
        if self.requests is not None:  # this scenario's client events
            data["wlz_day"], data["move_day"] = self.requests.patient_wlz, self.requests.patient_move
        return pd.DataFrame(data)


def _kpi_rows_empty(k: int) -> pd.DataFrame:
    return pd.DataFrame({"replication": [k, k], "group": ["overall"] * 2, "key": ["all"] * 2,
                         "metric": ["patients", "requests"], "value": [0.0, 0.0]})


def batch_requests(scenario: Scenario, prepared: Prepared, catalog: Catalog,
                   ids: tuple[str, ...]) -> tuple[Requests, ProvisionArrays, WorkdayCalendar]:
    """The requests of the replications with patients of ``prepared`` under ``scenario``."""
    provisions = provision_arrays(catalog, ids)
    cal = calendar_for(scenario)
    return build_requests(scenario, provisions, prepared.cells, cal), provisions, cal


def compute_batch(scenario: Scenario, prepared: Prepared, catalog: Catalog, engine: str, ids: tuple[str, ...]) -> Batch:
    """The batch of ``prepared`` under ``scenario``: requests, the engine's outcome."""
    batch = Batch(scenario, prepared.ks, prepared)
    if not prepared.full:
        return batch
    batch.requests, batch.provisions, batch.calendar = batch_requests(scenario, prepared, catalog, ids)
    batch.outcome = simulate(batch.requests, scenario, batch.provisions, engine=engine, cal=batch.calendar)
    return batch


# ---------------------------------------------------------------------------------------
# Reducers
# ---------------------------------------------------------------------------------------


class Reducer(Protocol):
    """Turns batches into a result: :meth:`reduce` runs where the batch ran (a worker) and
    returns something small and picklable; :meth:`combine` gets those pieces of one
    scenario, in replication order, in the calling process."""

    def reduce(self, batch: Batch) -> Any: ...

    def combine(self, scenario: Scenario, parts: list, replications: list[int]) -> Any: ...


@dataclass
class MonteCarloResult:
    """The replications of one scenario: KPI rows, their summary (mean, P10/P50/P90, 95 %
    CI over replications) and, if kept, the request frame and the patients."""

    scenario: Scenario
    kpis: pd.DataFrame
    summary: pd.DataFrame
    frame: pd.DataFrame | None = None
    patients: pd.DataFrame | None = None
    events: int = 0
    replications: int = 0

    def overall(self) -> pd.DataFrame:
        s = self.summary
        return s[s["group"] == "overall"].set_index("metric")


@dataclass(frozen=True)
class KpiReducer:
    """KPI rows per replication (overall; per provision; per calendar year of spending),
    summarised; with ``keep_frame`` also the request frame and the patients."""

    per_provision: bool = True
    per_year: bool = False
    keep_frame: bool = False

    def reduce(self, batch: Batch):
        kpis = batch.kpis(self.per_provision, self.per_year)
        if self.keep_frame:
            return kpis, batch.frame(), batch.patients(), batch.events
        return kpis, None, None, batch.events

    def combine(self, scenario: Scenario, parts: list, replications: list[int]) -> MonteCarloResult:
        kpis = _concat([p[0] for p in parts])
        frame = _concat([p[1] for p in parts if p[1] is not None and len(p[1])]) if self.keep_frame else None
        if self.keep_frame and frame is None:
            frame = pd.DataFrame({c: [] for c in FRAME_COLUMNS})
        patients = _concat([p[2] for p in parts]) if self.keep_frame else None
        return MonteCarloResult(scenario, kpis, summarise(kpis), frame, patients, sum(p[3] for p in parts),
                                len(replications))


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame | None:
    if not frames:
        return None
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------------------------
# Where chunks run
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Executor:
    """Where replications run: ``jobs`` local workers (``1`` = this process, ``-1`` = all
    cores), threads of this process (``threads``) or separate processes (joblib), or the Dask
    cluster at ``scheduler`` (an address such as ``tcp://host:8786`` or a
    ``distributed.Client``). Results are the same whatever runs where.

    Threads pay off because numpy and pandas release the interpreter's lock for their array
    work (measured, the Netherlands over 10 years with 100 replications on 2 cores, fresh
    processes in alternation: 21.8-25.8 s and 609-632 MB on two threads against 29.1-30.5 s
    and 578-583 MB on one); processes suit work that
    is mostly Python (the SimPy engine of a scenario with a staff limit) but each holds its
    own copy of the libraries and its own batches."""

    jobs: int = 1
    scheduler: Any = None
    worker_wait: float = 60.0
    """Seconds a Dask run waits without any worker before it stops (:class:`WorkersLost`)."""
    threads: bool = False
    """Local workers are threads of this process (sharing :data:`MAX_BATCH_CELLS`), not processes."""

    @property
    def local(self) -> bool:
        return self.scheduler is None and self.jobs == 1

    def workers(self) -> int:
        if self.scheduler is not None:
            client = self.scheduler if not isinstance(self.scheduler, str) else None
            return max(1, sum(client.nthreads().values())) if client is not None else 2
        cores = os.cpu_count() or 1
        return cores if self.jobs < 0 else max(1, min(self.jobs, cores))


def _chunks(ks: list[int], executor: Executor, progress: Progress | None) -> list[list[int]]:
    """Contiguous chunks of replications: one per thread (threads take the same work at the
    same speed), four per process or Dask worker (they may not), and at least
    :data:`PROGRESS_STEPS` when progress is reported."""
    n_chunks = 1
    if not executor.local:
        n_chunks = executor.workers() * (1 if executor.threads else 4)
    if progress is not None:
        n_chunks = max(n_chunks, PROGRESS_STEPS)
    n_chunks = max(1, min(len(ks), n_chunks))
    return [c.tolist() for c in np.array_split(np.asarray(ks, dtype=np.int64), n_chunks) if len(c)]


@dataclass(frozen=True)
class _Work:
    """Everything a chunk needs besides its replication numbers (shipped to workers)."""

    scenarios: tuple[Scenario, ...]
    cohort: Any
    seed: int
    reducer: Any
    catalog: Catalog
    engine: str
    max_cells: int


def run_chunk(work: _Work, ks: list[int]) -> list[list[Any]]:
    """Replications ``ks`` of every scenario, batched and reduced: per scenario the
    reducer's pieces, one per batch."""
    ids = provision_ids_of(work.cohort)
    out: list[list[Any]] = [[] for _ in work.scenarios]
    groups: dict = {}
    for i, scenario in enumerate(work.scenarios):
        groups.setdefault((scenario.population, scenario.incidence), []).append(i)
    for members in groups.values():
        first = work.scenarios[members[0]]
        pending, cells = [], 0
        for k in ks:
            drawn = draw_replication(first, work.cohort, work.seed, k, len(ids))
            size = drawn.cohort.n_patients * len(ids)
            if pending and cells + size > work.max_cells:
                _reduce_batch(work, members, pending, ids, out)
                pending, cells = [], 0
            pending.append(drawn)
            cells += size
        _reduce_batch(work, members, pending, ids, out)
    return out


def _reduce_batch(work: _Work, members: list[int], pending: list[Drawn], ids: tuple[str, ...],
                  out: list[list[Any]]) -> None:
    """One batch of drawn replications, computed and reduced for each scenario of ``members``
    (its arrays are freed on return, before the next batch is drawn)."""
    prepared = prepare(pending, ids)
    for i in members:
        batch = compute_batch(work.scenarios[i], prepared, work.catalog, work.engine, ids)
        out[i].append(work.reducer.reduce(batch))


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    return load_catalog()


def run(
    scenarios: Scenario | Sequence[Scenario],
    cohort,
    replications: int | Sequence[int],
    *,
    seed: int = DEFAULT_SEED,
    reducer: Reducer | None = None,
    catalog: Catalog | None = None,
    engine: str = "auto",
    executor: Executor | None = None,
    progress: Progress | None = None,
    max_cells: int = MAX_BATCH_CELLS,
):
    """Run replications of one scenario (returns its result) or of several on the same
    patients (returns one result per scenario).

    ``replications``: a number *n* (replications ``0 .. n-1``) or the replication numbers.
    ``reducer`` (default :class:`KpiReducer`): what to keep (see :class:`Reducer`).
    ``engine``: ``auto``, ``fast`` or ``simpy`` (:mod:`ivp.models.process.engines`).
    ``executor`` (default: this process): where chunks run. ``progress``: called with the
    fraction done after each chunk.
    """
    single = isinstance(scenarios, Scenario)
    scenario_list = (scenarios,) if single else tuple(scenarios)
    if not scenario_list:
        raise ValueError("run needs at least one scenario")
    ks = list(range(replications)) if isinstance(replications, (int, np.integer)) else [int(k) for k in replications]
    if not ks:
        raise ValueError("run needs at least one replication")
    for scenario in scenario_list:
        resolve_engine(engine, scenario)  # a bad engine fails before any work
    executor = executor or Executor()
    reducer = reducer or KpiReducer()
    if executor.threads and not executor.local:  # the threads' batches share the bound
        max_cells = max(1, max_cells // executor.workers())
    work = _Work(scenario_list, cohort, int(seed), reducer, catalog or default_catalog(), engine, max_cells)
    chunks = _chunks(ks, executor, progress)
    results = []
    for done, part in enumerate(_dispatch(work, chunks, executor), start=1):
        results.append(part)
        if progress is not None:
            progress(done / len(chunks))
    combined = [reducer.combine(scenario, [p for chunk in results for p in chunk[i]], ks)
                for i, scenario in enumerate(scenario_list)]
    return combined[0] if single else combined


def _dispatch(work: _Work, chunks: list[list[int]], executor: Executor):
    """The chunks' results in chunk order, as they complete."""
    if executor.local or len(chunks) == 1 and executor.scheduler is None:
        for ks in chunks:
            yield run_chunk(work, ks)
        return
    if executor.scheduler is None:
        tasks = (delayed(run_chunk)(work, ks) for ks in chunks)
        backend = "threading" if executor.threads else None
        yield from Parallel(n_jobs=min(executor.workers(), len(chunks)), backend=backend, return_as="generator")(tasks)
        return
    # measured: importing distributed takes about 1.1 s; only a Dask run pays it
    from distributed import Client

    client = Client(executor.scheduler) if isinstance(executor.scheduler, str) else executor.scheduler
    try:
        futures = [client.submit(run_chunk, work, ks, pure=False) for ks in chunks]
        for future in futures:
            yield _await(client, future, futures, executor.worker_wait)
    finally:
        if client is not executor.scheduler:
            client.close()


class WorkersLost(RuntimeError):
    """The Dask cluster had no worker for longer than :attr:`Executor.worker_wait` seconds
    while chunks were waiting: the run stops instead of waiting forever."""


def _await(client, future, futures, worker_wait: float):
    """A chunk's result; polls once a second and gives up when the cluster has had no
    worker for ``worker_wait`` seconds (a scheduler keeps such tasks waiting forever)."""
    # distributed (about 1.1 s to import, measured) is loaded only by a Dask run
    from distributed import TimeoutError as DaskTimeout

    without = 0.0
    while True:
        try:
            return future.result(timeout=1)
        except (DaskTimeout, TimeoutError):
            without = 0.0 if client.nthreads() else without + 1
            if without >= worker_wait:
                client.cancel(futures)
                raise WorkersLost(f"no Dask worker for {worker_wait:.0f} s") from None

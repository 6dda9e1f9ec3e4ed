"""How close the model comes to the limit of its engine: the model's SimPy events per
second divided by bare SimPy's, measured alternately in the same process.

The SimPy engine runs when staff capacity is limited (``--engine auto``), so that is what is
measured: each scenario with the Wmo's assessment and decision limited to
:data:`STAFF_CAPACITY` requests at once (``ivp.application.reserve.with_staff``, what
``--staff`` sets).

*Model*: one replication of ``patients`` new patients is drawn with the public batch
functions (:func:`ivp.models.process.runner.draw_replication`, ``prepare`` and
``batch_requests``), then only :func:`ivp.models.process.engines.simulate` with ``engine="simpy"`` is timed: the SimPy
environment, one process per request, the event loop and the outcome arrays. Drawing,
KPIs and frames are vectorised numpy outside the event loop and not counted.

*Raw*: bare SimPy doing the same amount of work in the same shape: one spawner process
that waits until each request's start day and starts a process, and one process per
request that yields four ``env.timeout`` (the durations of its four steps); a step the
staff does first claims a ``simpy.Resource`` of the same capacity, waiting for it at most
until the request's cancellation day (the model's rule), and releases it after the step.
Nothing else: no working-day calendar, no depot, no outcome bookkeeping.

Events are counted alike for both: SimPy's event id counter (``env._eid``), i.e. every
event scheduled (timeouts, process starts and ends, the spawner's waits). Raw and model
runs alternate (raw, model, raw, model, ...) so that machine noise hits both alike; the
ratio is taken per pair and its median reported.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import numpy as np
import simpy

STAFF_CAPACITY = 50
"""Wmo consultants' requests in assessment or decision at once in the measured scenarios
(1,000 new patients in one replication): a benchmark setting, chosen so that requests do
queue for a consultant and give up when the patient dies or the need ends while waiting."""
STEPS = ("advice", "decision", "fitting", "delivery")


@dataclass
class RatioResult:
    scenario: str
    requests: int
    model_events: int
    raw_events: int
    model_rates: list[float]
    raw_rates: list[float]
    ratios: list[float]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    @property
    def model_rate(self) -> float:
        return statistics.median(self.model_rates)

    @property
    def raw_rate(self) -> float:
        return statistics.median(self.raw_rates)


def _prepare(scenario_path: str, patients: int, seed: int):
    from ivp.application.reserve import with_staff
    from ivp.domain.catalog import load_catalog
    from ivp.models.process import NewPatients, load_scenario
    from ivp.models.process.runner import (
        batch_requests,
        draw_replication,
        prepare,
        provision_ids_of,
    )

    catalog = load_catalog()
    scenario = with_staff(load_scenario(scenario_path, catalog=catalog), STAFF_CAPACITY)
    cohort = NewPatients(patients)
    ids = provision_ids_of(cohort)
    prepared = prepare([draw_replication(scenario, cohort, seed, 0, len(ids))], ids)
    req, provisions, cal = batch_requests(scenario, prepared, catalog, ids)
    return scenario, provisions, cal, req


@dataclass(frozen=True)
class Workload:
    """Per request, in order of start: its start day, four positive step durations, the
    staff pool that does each step (-1: none) and its cancellation day (from the model's own
    requests and the scenario's staff pools, so both sides schedule comparable numbers of
    events at comparable times); the pools' capacities."""

    starts: list[int]
    durations: list[tuple[float, float, float, float]]
    pools: list[tuple[int, int, int, int]]
    cancel: list[float]
    capacities: list[int]


def _raw_workload(req, scenario) -> Workload:
    from ivp.domain.catalog import FINANCIERS

    staff = list(scenario.staff.values())
    pool_of = {(FINANCIERS.index(f), step): j for j, pool in enumerate(staff) for f in pool.financiers
               for step in pool.steps}
    made = np.flatnonzero(~np.isnan(req.start))
    order = made[np.argsort(req.start[made], kind="stable")]
    starts = req.start[order].astype(np.int64).tolist()
    durations, pools = [], []
    for r in order.tolist():
        prev, steps = req.start[r], []
        for name in STEPS:
            end = req.planned_end[name][r]
            steps.append(float(end - prev) if np.isfinite(end) and end >= prev else 1.0)
            prev = end if np.isfinite(end) else prev
        durations.append(tuple(steps))
        pools.append(tuple(pool_of.get((int(req.financier[r]), name), -1) for name in STEPS))
    return Workload(starts, durations, pools, req.cancel[order].tolist(), [pool.capacity for pool in staff])


def run_raw(work: Workload) -> tuple[int, float]:
    """Bare SimPy: spawner + one process of four timeouts per request, the staff's steps
    holding their pool's resource. (events, seconds)"""
    began = time.perf_counter()
    starts = work.starts
    env = simpy.Environment(initial_time=starts[0] if starts else 0)
    timeout = env.timeout
    resources = [simpy.Resource(env, capacity=c) for c in work.capacities]

    def request(steps, pools, cancel):
        for d, pool in zip(steps, pools):
            if pool >= 0:
                staff = resources[pool]
                claim = staff.request()
                got = yield claim | timeout(max(cancel - env.now, 0.0))
                if claim not in got:
                    claim.cancel()
                    return
                yield timeout(d)
                staff.release(claim)
            else:
                yield timeout(d)

    def spawner():
        process = env.process
        for day, steps, pools, cancel in zip(starts, work.durations, work.pools, work.cancel):
            if day > env.now:
                yield timeout(day - env.now)
            process(request(steps, pools, cancel))

    env.process(spawner())
    env.run()
    seconds = time.perf_counter() - began
    return next(env._eid), seconds


def run_model(scenario, provisions, cal, req) -> tuple[int, float]:
    from ivp.models.process.engines import simulate

    began = time.perf_counter()
    out = simulate(req, scenario, provisions, engine="simpy", cal=cal)
    return out.events, time.perf_counter() - began


def measure(scenario_path: str, patients: int = 1000, pairs: int = 7, seed: int = 1) -> RatioResult:
    scenario, provisions, cal, req = _prepare(scenario_path, patients, seed)
    work = _raw_workload(req, scenario)
    run_raw(work)  # warm up both
    run_model(scenario, provisions, cal, req)
    model_rates, raw_rates, ratios = [], [], []
    model_events = raw_events = 0
    for _ in range(pairs):
        raw_events, t_raw = run_raw(work)
        model_events, t_model = run_model(scenario, provisions, cal, req)
        raw_rate, model_rate = raw_events / t_raw, model_events / t_model
        raw_rates.append(raw_rate)
        model_rates.append(model_rate)
        ratios.append(model_rate / raw_rate)
    return RatioResult(scenario.name, req.n, model_events, raw_events, model_rates, raw_rates, ratios)

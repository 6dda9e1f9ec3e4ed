"""Model runs for the pages: keyed on validated inputs, kept in memory, with a progress bar.

A run is identified by the content of its inputs (the profile's or scenario's JSON, the
override file's hash, replications, seed), so the same inputs never run twice while the
server lives: switching tabs, the language or a page answers from memory. Results live in a
small in-process store (never on disk); a session only finds a result by presenting the
same inputs. Runs report progress per chunk of replications through a callback, so a long
run shows a progress bar (a cached Streamlit function would replay the bar).

Only public functions of ``ivp`` and ``simulation`` are called; nothing here models.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Hashable

import numpy as np
import pandas as pd
import streamlit as st

from ivp.domain.catalog import Catalog
from ivp.domain.yamlfile import parse_mapping
from ivp.models.process.scenario import SHIPPED_DIR

ROOT = Path(__file__).resolve().parents[1]
SCENARIO_DIR = SHIPPED_DIR
Progress = Callable[[float], None]
CHUNK = 25
"""Replications per progress step."""


class ResultStore:
    """A small thread-safe LRU of results, shared by the sessions of this server process."""

    def __init__(self, capacity: int = 24):
        self.capacity = capacity
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


@st.cache_resource(show_spinner=False)
def store() -> ResultStore:
    return ResultStore()


def digest(*parts: object) -> str:
    """A short content hash of the parts (strings, bytes, numbers)."""
    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode("utf-8")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()[:24]


def catalog_key(catalog: Catalog) -> str:
    """Identifies an effective catalogue by its content (provisions and overridden fields)."""
    return digest(*(p.model_dump_json() for p in catalog), sorted(catalog.overridden.items()))


def cached_run(key: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per key; later calls with the same key answer from memory."""
    found = store().get(key)
    if found is not None:
        return found
    value = compute()
    store().put(key, value)
    return value


def _chunks(n: int, size: int = CHUNK) -> list[list[int]]:
    return [list(range(start, min(start + size, n))) for start in range(0, n, size)]


# -- scenarios -------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioChoice:
    """A scenario the user can pick: shipped (a file in scenarios/) or the session's own."""

    key: str
    name: str
    text: str
    origin: str  # "file" or "session"


def shipped_scenarios() -> list[ScenarioChoice]:
    """The scenario files shipped in scenarios/, protocol first."""
    files = sorted(SCENARIO_DIR.glob("*.yaml"), key=lambda p: (p.stem != "protocol", p.stem != "current_practice", p.stem))
    choices = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        choices.append(ScenarioChoice(key=path.stem, name=_scenario_name(text, path.stem), text=text, origin="file"))
    return choices


def available_scenarios() -> list[ScenarioChoice]:
    """The shipped scenarios and the ones this session uploaded or edited (Scenario's page)."""
    from ivp.application.web import state
    from ivp.application.web.i18n import t

    own = [ScenarioChoice(key=f"eigen:{digest(text)}", name=f"{name} ({t('scenarios.own')})", text=text, origin="session")
           for name, text in state.custom_scenarios()]
    return shipped_scenarios() + own


def _scenario_name(text: str, default: str) -> str:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return default
    name = data.get("name") if isinstance(data, dict) else None
    return str(name) if name else default


@st.cache_resource(max_entries=32, show_spinner=False)
def _parse_scenario(text: str, source: str, catalog_id: str, _catalog: Catalog):
    """A scenario from YAML text, validated against the catalogue (safe YAML only)."""
    from ivp.models.process import parse_scenario

    return parse_scenario(parse_mapping(text, source, "a scenario"), source=source, catalog=_catalog)


def parse_scenario_text(text: str, source: str, catalog: Catalog):
    """Validate a scenario's YAML text; raises InputError naming the key path."""
    return _parse_scenario(text, source, catalog_key(catalog), catalog)


def scenario_key(scenario) -> str:
    return digest(scenario.model_dump_json())


# -- one client's plan -----------------------------------------------------------------


@dataclass(frozen=True)
class PlanRun:
    """A plan and what the charts need beyond it (per provision and replication)."""

    plan: Any  # ivp.application.plan.Plan
    delivery: pd.DataFrame
    """Per provision: delivery and need-end P10/P50/P90 (days since diagnosis)."""
    death_days: np.ndarray
    """Death (or the survival endpoint) per replication, days since diagnosis."""
    prognosis: Any  # ivp.models.disease.prognosis.Prognosis: the personal survival curve
    seconds: float


def run_plan(profile, scenario, catalog: Catalog, replications: int, seed: int,
             progress: Progress | None = None) -> PlanRun:
    """Simulate ``replications`` courses of one client under ``scenario`` and build the IVP
    (as :func:`ivp.budget.simulate_plan`, keeping the request frame for the timeline's
    delivery spread, which the plan table does not carry)."""
    import time

    from ivp.application.plan import build_plan, simulate_courses
    from ivp.models.disease import prognosis

    began = time.perf_counter()
    frame, patients, diagnosis = simulate_courses(profile, scenario, replications, seed, catalog=catalog,
                                                  progress=progress)
    plan = build_plan(frame, patients, catalog, diagnosis, scenario_name=scenario.name, profile=profile)
    return PlanRun(
        plan=plan,
        delivery=delivery_quantiles(frame),
        death_days=patients["death_day"].to_numpy(dtype=float),
        prognosis=prognosis(profile),
        seconds=time.perf_counter() - began,
    )


def delivery_quantiles(frame: pd.DataFrame) -> pd.DataFrame:
    """P10/P50/P90 of delivery and need end per provision over the replications (days)."""
    rows = []
    for provision_id, group in frame.groupby("provision_id", sort=False):
        delivered = group["delivery_day"].to_numpy(dtype=float)
        delivered = delivered[np.isfinite(delivered)]
        ends = group["need_end_day"].to_numpy(dtype=float)
        ends = ends[np.isfinite(ends)]
        d = np.quantile(delivered, [0.1, 0.5, 0.9]) if len(delivered) else [np.nan] * 3
        e = np.quantile(ends, [0.1, 0.5, 0.9]) if len(ends) else [np.nan] * 3
        rows.append({"provision_id": provision_id, "delivery_p10": d[0], "delivery_p50": d[1], "delivery_p90": d[2],
                     "need_end_p10": e[0], "need_end_p50": e[1], "need_end_p90": e[2],
                     "delivered_share": len(delivered) / max(len(group), 1)})
    return pd.DataFrame(rows, columns=["provision_id", "delivery_p10", "delivery_p50", "delivery_p90",
                                       "need_end_p10", "need_end_p50", "need_end_p90", "delivered_share"])


# -- the same patients under several scenarios ------------------------------------------


@dataclass(frozen=True)
class CompareRun:
    results: tuple  # MonteCarloResult per scenario
    seconds: float
    records: tuple = ()
    """Per headline metric: each scenario's statistics and the paired difference
    (``ivp.models.process.results.comparison_records``, the same figures as ``ivp simulate``)."""
    series: dict | None = None
    """Per headline metric: the value per replication, one array per scenario."""


def run_compare(scenarios: list, patients: int, catalog: Catalog, replications: int, seed: int,
                progress: Progress | None = None) -> CompareRun:
    """Each scenario on the same new patients (common random numbers), KPI rows only."""
    import time

    from ivp.models.process import MonteCarloResult, NewPatients, compare_batch, summarise

    began = time.perf_counter()
    cohort = NewPatients(patients)
    chunks = _chunks(replications)
    kpis: list[list[pd.DataFrame]] = [[] for _ in scenarios]
    events = [0 for _ in scenarios]
    for done, ks in enumerate(chunks, start=1):
        # every scenario on the same drawn patients, each in one batched pass
        for index, batch in enumerate(compare_batch(scenarios, cohort, seed, ks, catalog=catalog, keep="kpis",
                                                    per_provision=True)):
            kpis[index].append(batch.kpis)
            events[index] += batch.events
        if progress is not None:
            progress(done / len(chunks))
    results = []
    for scenario, parts, n_events in zip(scenarios, kpis, events):
        table = pd.concat(parts, ignore_index=True)
        results.append(MonteCarloResult(scenario, table, summarise(table), None, n_events, replications))
    # Summaries once per run, so that every later interaction only draws.
    from ivp.models.process.results import COMPARISON_ROWS, comparison_records, per_replication

    series = {metric: [per_replication(r, metric).to_numpy(dtype=float) for r in results]
              for metric, _, _ in COMPARISON_ROWS}
    return CompareRun(results=tuple(results), seconds=time.perf_counter() - began,
                      records=tuple(comparison_records(results)), series=series)

"""Model runs for the pages: keyed on validated inputs, kept in memory, with a progress bar.

A run is identified by the content of its inputs (the profile's or scenario's JSON, the
override file's hash, replications, seed), so the same inputs never run twice while the
server lives: switching tabs, the language or a page answers from memory. Results live in an
in-process store bounded by the memory they hold (never on disk); a session only finds a
result by presenting the same inputs. Runs report progress per chunk of replications
through a callback, so a long run shows a progress bar (a cached Streamlit function would
replay the bar), and a run whose browser tab has closed stops at its next report.

Only public functions of ``ivp`` and ``simulation`` are called; nothing here models.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Hashable

import numpy as np
import pandas as pd
import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ivp.application.comparison import (
    COMPARISON_ROWS,
    comparison_records,
    compliance_records,
    overall_table,
    per_replication,
)
from ivp.application.followup import follow_up
from ivp.application.plan import simulate_plan
from ivp.application.web import state
from ivp.application.web.i18n import lang, t
from ivp.domain.catalog import Catalog
from ivp.domain.errors import InputError
from ivp.domain.units import DAYS_PER_MONTH
from ivp.domain.yamlfile import parse_mapping, parse_yaml
from ivp.models.disease import prognosis
from ivp.models.disease.prognosis import PROBABILITIES, Prognosis
from ivp.models.process import NewPatients, parse_scenario, run
from ivp.models.process import shipped_scenarios as scenario_files

Progress = Callable[[float], None]


STORE_BYTES = 300 * 1024 * 1024
"""Memory the stored results of this server process may take together (all sessions): a
plan of 1,000 courses is about 10 MB, a comparison of 1,000 replications about 60 MB; the
least recently used results are dropped first (docs/app.md gives the measured figures)."""


def approximate_bytes(value: Any, seen: set[int] | None = None) -> int:
    """The memory held by a result: its arrays and frames, walking dataclasses, pydantic
    models, other objects' attributes, mappings and sequences (each object counted once);
    anything else counts as 64 bytes."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if isinstance(value, (pd.DataFrame, pd.Series, pd.Index)):
        usage = value.memory_usage(deep=True)
        return int(usage.sum() if hasattr(usage, "sum") else usage)
    if isinstance(value, (str, bytes)):
        return len(value)
    if isinstance(value, dict):
        return sum(approximate_bytes(k, seen) + approximate_bytes(v, seen) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return sum(approximate_bytes(v, seen) for v in value)
    fields = getattr(value, "__dataclass_fields__", None) or getattr(type(value), "model_fields", None)
    if fields:
        return sum(approximate_bytes(getattr(value, name, None), seen) for name in fields)
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return sum(approximate_bytes(v, seen) for v in vars(value).values())
    return 64


class ResultStore:
    """A thread-safe LRU of results shared by the sessions of this server process, bounded by
    the memory its results hold (:func:`approximate_bytes`), not by their number."""

    def __init__(self, max_bytes: int = STORE_BYTES):
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
        return None

    def put(self, key: Hashable, value: Any) -> None:
        size = approximate_bytes(value)
        with self._lock:
            if key in self._items:
                self._bytes -= self._items.pop(key)[1]
            self._items[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes and len(self._items) > 1:
                self._bytes -= self._items.popitem(last=False)[1][1]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


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


class SessionEnded(Exception):
    """The browser tab that asked for a run has gone: the run stops at its next progress report."""


def _session_alive() -> bool:
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None or not runtime.exists():
        return True  # not inside a served session (AppTest, a script): nothing to cancel
    return runtime.get_instance().is_active_session(ctx.session_id)


def cached_run(key: tuple, compute: Callable[[Progress], Any], text: str) -> Any:
    """``compute(progress)`` once per key, with a progress bar showing ``text``; later calls
    with the same key answer from memory. When the session ends during the run (the tab was
    closed), the run stops at its next progress report and nothing is stored."""
    found = store().get(key)
    if found is not None:
        return found
    bar = st.progress(0.0, text=text)

    def progress(share: float) -> None:
        if not _session_alive():
            raise SessionEnded()
        bar.progress(min(share, 1.0), text=text)

    try:
        value = compute(progress)
    except SessionEnded:
        st.stop()  # raises inside a served session
        return None
    bar.empty()
    store().put(key, value)
    return value


# -- scenarios -------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioChoice:
    """A scenario the user can pick: shipped (a file in scenarios/) or the session's own."""

    key: str
    name: str
    text: str
    origin: str  # "file" or "session"


def shipped_scenarios() -> list[ScenarioChoice]:
    """The shipped scenario files, protocol first."""
    choices = []
    for path in scenario_files():
        text = path.read_text(encoding="utf-8")
        choices.append(ScenarioChoice(key=path.stem, name=_scenario_name(text, path.stem), text=text, origin="file"))
    return choices


def available_scenarios() -> list[ScenarioChoice]:
    """The shipped scenarios and the ones this session uploaded or edited (Scenario's page)."""
    own = [ScenarioChoice(key=f"eigen:{digest(text)}", name=f"{name} ({t('scenarios.own')})", text=text, origin="session")
           for name, text in state.custom_scenarios()]
    return shipped_scenarios() + own


def _scenario_name(text: str, default: str) -> str:
    try:
        data = parse_yaml(text, default)
    except InputError:
        return default
    if not isinstance(data, dict):
        return default
    name = (data.get("name_en") if lang() == "en" else None) or data.get("name")
    return str(name) if name else default


@st.cache_resource(max_entries=32, show_spinner=False)
def _parse_scenario(text: str, source: str, catalog_id: str, _catalog: Catalog):
    """A scenario from YAML text, validated against the catalogue (safe YAML only)."""
    return parse_scenario(parse_mapping(text, source), source=source, catalog=_catalog)


def parse_scenario_text(text: str, source: str, catalog: Catalog):
    """Validate a scenario's YAML text; raises InputError naming the key path."""
    return _parse_scenario(text, source, catalog_key(catalog), catalog)


def scenario_key(scenario) -> str:
    return digest(scenario.model_dump_json())


# -- one client's plan -----------------------------------------------------------------


@dataclass(frozen=True)
class PlanRun:
    """A plan, the personal survival curve beside it, and how long it took."""

    plan: Any  # ivp.application.plan.Plan
    prognosis: Any  # ivp.models.disease.prognosis.Prognosis: the personal survival curve
    seconds: float

    @property
    def delivery(self) -> pd.DataFrame:
        return self.plan.delivery

    @property
    def death_days(self) -> np.ndarray:
        return self.plan.death_days


def run_plan(profile, scenario, catalog: Catalog, replications: int, seed: int,
             progress: Progress | None = None, visits: tuple = ()) -> PlanRun:
    """Simulate ``replications`` courses of one client under ``scenario`` and build the IVP;
    with follow-up ``visits`` the plan as of the last (:func:`~ivp.application.followup.follow_up`),
    its survival curve that of the courses the visits weighted."""
    began = time.perf_counter()
    if visits:
        plan = follow_up(profile, scenario, visits, replications, seed, catalog=catalog, progress=progress)
        return PlanRun(plan=plan, prognosis=sampled_prognosis(plan.death_days), seconds=time.perf_counter() - began)
    plan = simulate_plan(profile, scenario, replications, seed, catalog=catalog, progress=progress)
    return PlanRun(plan=plan, prognosis=prognosis(profile), seconds=time.perf_counter() - began)


def sampled_prognosis(death_days: np.ndarray) -> Prognosis:
    """The survival curve and quantiles (months since diagnosis) of simulated deaths."""
    months = np.sort(np.asarray(death_days, float)) / DAYS_PER_MONTH
    grid = np.arange(0.0, 121.0)
    survival = 1.0 - np.searchsorted(months, grid, side="right") / len(months)
    quantiles = {p: float(np.quantile(months, p)) for p in PROBABILITIES}
    return Prognosis(months=grid, survival=survival, quantiles=quantiles, exact=False)


# -- the same patients under several scenarios ------------------------------------------


@dataclass(frozen=True)
class CompareRun:
    results: tuple  # MonteCarloResult per scenario
    seconds: float
    records: tuple = ()
    """Per headline metric: each scenario's statistics and the paired difference
    (``ivp.application.comparison.comparison_records``, the same figures as ``ivp simulate``)."""
    series: dict | None = None
    """Per headline metric: the value per replication, one array per scenario."""
    compliance: tuple = ()
    """Per scenario and norm: the share of requests that broke it
    (``ivp.application.comparison.compliance_records``, as ``ivp simulate``)."""


def run_compare(scenarios: list, patients: int, catalog: Catalog, replications: int, seed: int,
                progress: Progress | None = None) -> CompareRun:
    """Each scenario on the same new patients (common random numbers), KPI rows only."""
    began = time.perf_counter()
    results = run(list(scenarios), NewPatients(patients), replications, seed=seed, catalog=catalog, progress=progress)
    # Summaries once per run, so that every later interaction only draws.
    tables = [overall_table(r) for r in results]
    series = {metric: [per_replication(r, metric, table).to_numpy(dtype=float) for r, table in zip(results, tables)]
              for metric, _, _ in COMPARISON_ROWS}
    return CompareRun(results=tuple(results), seconds=time.perf_counter() - began,
                      records=tuple(comparison_records(results)), series=series,
                      compliance=tuple(compliance_records(results)))

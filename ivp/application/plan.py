"""The IVP of one client: the plan table and its budget.

From the replications of one client's course (a request frame with one patient per
replication, docs/architecture.md) this module builds:

* the **plan table**, one row per catalogue provision: financier, cliëntgebonden or
  herinzetbaar, cost, whether it is *in the plan* (earmarked), the probability it will be
  needed, its need date (P10, P50, P90 as calendar dates from the diagnosis date), the
  melding-to-delivery lead time under the scenario, the **request-by date**, the expected
  cost (probability x cost) and how often delivery comes in time;
* the **budget**: per financier and reuse class the protocol's approach (earmark every
  provision in the plan: the maximum obligation) beside the expected cost and the simulated
  spending, compared with the protocol's own subtotals (computed by
  :func:`ivp.domain.catalog.subtotals` and :func:`ivp.domain.catalog.totals`, never retyped);
* the **budget over time** (:mod:`ivp.domain.ledger`): earmarked, spent, released, still
  reserved and returned to the depot per month or quarter, over the replications.

Request-by date (a documented parameter, ``ivp/domain/budget_assumptions.yaml``): the
``request_by_need_quantile`` of the need date (default the median, the expected need date)
minus the ``request_by_lead_time_quantile`` (default P80) of the melding-to-delivery lead
time observed in the replications, in calendar days. A melding on that date is delivered by
the expected need date in 80 % of the simulated courses. A date before the IVP is set means
"request at once" (``request_now``).

Which provisions are *in the plan*: those some simulated course needs. The disease model's
need rules only let a provision be needed where it applies to the client's home and
household (:func:`ivp.models.disease.applicable_provisions`, the ``requires`` column; a fact
left unknown in the profile is drawn per course), so this is "applies to this home and can
still become necessary". ``not_in_plan`` says why a provision is left out: ``home`` (does
not apply to this home or household in any course) or ``not_needed`` (applies, but no
course reaches it, e.g. a tricycle for a client already past it at diagnosis). A caller may
pass its own list instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Collection, Iterable

import numpy as np
import pandas as pd

from ivp.domain.assumptions import AssumptionNote, BudgetAssumptions, load_assumptions_with_notes
from ivp.domain.ledger import Freq, build_ledger, plan_lines, summarise_over_time
from ivp.domain.catalog import Catalog, subtotals, totals
from ivp.domain.catalog.figures import CLASSES

TAIL_QUANTILE = 0.99
"""The budget over time is shown per period until 99 % of the courses have ended; the few
longest courses are summed in one closing period (their balances stay exact)."""

PLAN_COLUMNS = [
    "provision_id", "name_nl", "name_en", "financier", "reuse", "chain", "cost_eur", "in_plan", "not_in_plan",
    "probability", "need_p10", "need_p50", "need_p90", "lead_time_days", "request_by", "request_now",
    "expected_cost_eur", "on_time_share", "mean_gap_days", "delivered_after_death_share",
]


@dataclass(frozen=True)
class Plan:
    """One client's IVP: plan table, budget, budget over time and their assumptions.

    Dates in ``table`` are ``datetime.date`` (or ``None``); ``budget`` has one row per
    financier and reuse class plus a total row per financier (``reuse == "totaal"``).
    """

    diagnosis_date: dt.date
    ivp_date: dt.date
    n_replications: int
    table: pd.DataFrame
    budget: pd.DataFrame
    over_time: pd.DataFrame
    survival_months: dict[str, float]
    assumptions: BudgetAssumptions
    notes: tuple[AssumptionNote, ...]
    scenario_name: str = ""
    profile: Any = None
    freq: str = "Q"
    sources: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict:
        """Machine-readable: plain numbers, ISO dates."""
        def clean(value):
            if isinstance(value, (dt.date, np.datetime64, pd.Timestamp)):
                return pd.Timestamp(value).date().isoformat()
            if isinstance(value, (np.bool_, bool)):
                return bool(value)
            if isinstance(value, (np.integer,)):
                return int(value)
            if isinstance(value, (float, np.floating)):
                return None if not np.isfinite(value) else round(float(value), 2)
            return value

        def records(frame: pd.DataFrame) -> list[dict]:
            return [{k: clean(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]

        profile = None
        if self.profile is not None:
            profile = {k: clean(v.value if hasattr(v, "value") else v) for k, v in self.profile.model_dump().items()}
        return {
            "scenario": self.scenario_name,
            "diagnosis_date": self.diagnosis_date.isoformat(),
            "ivp_date": self.ivp_date.isoformat(),
            "replications": self.n_replications,
            "profile": profile,
            "survival_months": {k: clean(v) for k, v in self.survival_months.items()},
            "plan": records(self.table),
            "budget": records(self.budget),
            "over_time": records(self.over_time),
            "assumptions": self.assumptions.model_dump(),
        }


def _quantiles(values: np.ndarray, qs: Iterable[float]) -> list[float]:
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return [np.nan for _ in qs]
    return [float(v) for v in np.quantile(values, list(qs))]


def _date(origin: dt.date, day: float) -> dt.date | None:
    if day is None or not np.isfinite(day):
        return None
    return origin + dt.timedelta(days=int(np.floor(day)))


def build_plan(
    frame: pd.DataFrame,
    patients: pd.DataFrame,
    catalog: Catalog,
    diagnosis_date: dt.date,
    assumptions: BudgetAssumptions | None = None,
    notes: tuple[AssumptionNote, ...] | None = None,
    in_plan: Collection[str] | None = None,
    rented: Collection[str] = (),
    freq: Freq = "Q",
    scenario_name: str = "",
    profile: Any = None,
) -> Plan:
    """Build one client's plan from the replications of its course.

    ``frame``: the request frame (one patient per replication); ``patients``: one row per
    replication with ``replication``, ``patient_id``, ``death_day`` (``diagnosis_date`` is
    set to ``diagnosis_date`` here, so that every replication shares the client's calendar).
    """
    if assumptions is None or notes is None:
        loaded, loaded_notes = load_assumptions_with_notes()
        assumptions = assumptions or loaded
        notes = notes if notes is not None else loaded_notes
    a = assumptions
    n = len(patients)
    if n == 0:
        raise ValueError("a plan needs at least one replication")
    diag64 = np.datetime64(diagnosis_date, "D")
    frame = frame.copy()
    frame["diagnosis_date"] = diag64
    patients = patients.copy()
    patients["diagnosis_date"] = diag64

    frame = frame.astype({"provision_id": str}) if len(frame) else frame
    needed_by = frame.groupby("provision_id")["replication"].nunique() if len(frame) else pd.Series(dtype=float)
    applicable = None
    if in_plan is None:
        applicable = _applicable(patients, catalog)
        # in the plan: applies to the home and some course needs it (a provision that applies
        # but that no course reaches, e.g. a tricycle for a client already past it, is left out)
        in_plan = [pid for pid in catalog.ids if needed_by.get(pid, 0) > 0]
    in_plan = [pid for pid in catalog.ids if pid in set(in_plan)]

    def reason(pid: str) -> str:
        if pid in in_plan:
            return ""
        if applicable is not None and pid not in applicable:
            return "home"
        return "not_needed"

    q_need, q_lead = a.request_by_need_quantile, a.request_by_lead_time_quantile
    rows = []
    groups = dict(tuple(frame.groupby("provision_id")))
    for p in catalog:
        g = groups.get(p.id)
        count = 0 if g is None else g["replication"].nunique()
        probability = count / n
        need = g["need_start_day"].to_numpy(dtype=float) if g is not None else np.zeros(0)
        p10, p50, p90 = _quantiles(need, (0.1, 0.5, 0.9))
        need_q = _quantiles(need, (q_need,))[0]
        lead = np.zeros(0)
        on_time = gap = after_death = np.nan
        if g is not None:
            delivered = g["delivery_day"].to_numpy(dtype=float)
            lead = delivered - g["melding_day"].to_numpy(dtype=float)
            ok = np.isfinite(lead)
            on_time = float(np.mean(np.isfinite(delivered) & (delivered <= need)))
            if "gap_days" in g.columns:
                gap = float(np.nanmean(g["gap_days"].to_numpy(dtype=float))) if len(g) else np.nan
            if "delivered_after_death" in g.columns:
                after_death = float(g["delivered_after_death"].fillna(False).astype(bool).mean())
            lead = lead[ok]
        lead_q = _quantiles(lead, (q_lead,))[0]
        request_day = need_q - lead_q if np.isfinite(need_q) and np.isfinite(lead_q) else np.nan
        request_now = bool(np.isfinite(request_day) and request_day <= a.earmark_day)
        rows.append({
            "provision_id": p.id, "name_nl": p.name_nl, "name_en": p.name_en,
            "financier": p.financier, "reuse": p.reuse, "chain": p.chain, "cost_eur": p.cost_eur,
            "in_plan": p.id in in_plan, "not_in_plan": reason(p.id), "probability": probability,
            "need_p10": _date(diagnosis_date, p10), "need_p50": _date(diagnosis_date, p50),
            "need_p90": _date(diagnosis_date, p90),
            "lead_time_days": lead_q,
            "request_by": _date(diagnosis_date, max(request_day, a.earmark_day)) if np.isfinite(request_day) else None,
            "request_now": request_now,
            "expected_cost_eur": probability * p.cost_eur,
            "on_time_share": on_time, "mean_gap_days": gap, "delivered_after_death_share": after_death,
        })
    table = pd.DataFrame(rows, columns=PLAN_COLUMNS)
    table = table.assign(_order=table["need_p50"].map(lambda d: d or dt.date.max))
    table = table.sort_values(["in_plan", "_order", "financier", "provision_id"], ascending=[False, True, True, True])
    table = table.drop(columns="_order").reset_index(drop=True)

    plan = plan_lines(patients, in_plan)
    ledger = build_ledger(frame, catalog, plan=plan, patients=patients, assumptions=a, rented=rented)
    start = int(diag64.astype(np.int64))
    death = patients["death_day"].to_numpy(dtype=float)
    tail = np.quantile(death[np.isfinite(death)], TAIL_QUANTILE) if np.isfinite(death).any() else None
    over = ledger.over_time(freq=freq, start=start, by=("financier",),
                            regular_until=None if tail is None else start + int(tail))
    summary = summarise_over_time(over, by=("financier",))

    budget = _budget(table, catalog, ledger.lines, np.unique(patients["replication"].to_numpy()))
    death = patients["death_day"].to_numpy(dtype=float) / 30.4375
    survival = dict(zip(("p10", "p50", "p90"), _quantiles(death, (0.1, 0.5, 0.9))))
    ivp_date = diagnosis_date + dt.timedelta(days=a.earmark_day)
    return Plan(
        diagnosis_date=diagnosis_date, ivp_date=ivp_date, n_replications=n, table=table, budget=budget,
        over_time=summary, survival_months=survival, assumptions=a, notes=tuple(notes),
        scenario_name=scenario_name, profile=profile, freq=freq,
    )


def _applicable(patients: pd.DataFrame, catalog: Catalog) -> set[str] | None:
    """Provisions whose home and household requirements hold in at least one replication
    (the disease model's need rules), or None without the home columns."""
    try:
        from ivp.models.disease import applicable_provisions
    except ImportError:
        return None
    try:
        applies = applicable_provisions(patients, catalog.ids)
    except (KeyError, ValueError):
        return None
    return {pid for pid, any_ in zip(catalog.ids, np.asarray(applies, dtype=bool).any(axis=0)) if any_}


_FIGURES: dict[int, tuple] = {}


def _figures(catalog: Catalog):
    """The catalogue's subtotals and totals (cached per catalogue object: they read YAML)."""
    hit = _FIGURES.get(id(catalog))
    if hit is None or hit[0] is not catalog:
        hit = (catalog, {(s.financier, s.reuse): s for s in subtotals(catalog)}, {t.financier: t for t in totals(catalog)})
        _FIGURES[id(catalog)] = hit
    return hit[1], hit[2]


def _budget(table: pd.DataFrame, catalog: Catalog, lines: pd.DataFrame, replications: np.ndarray) -> pd.DataFrame:
    """Per financier and reuse class, and per financier in total."""
    subs, tots = _figures(catalog)
    n = len(replications)
    rep_idx = np.searchsorted(replications, lines["replication"].to_numpy())
    financier = lines["financier"].to_numpy()
    reuse = lines["reuse"].to_numpy()
    spent = lines["spent"].to_numpy(dtype=float)

    def spend_stats(mask: np.ndarray) -> tuple[float, float]:
        per_rep = np.bincount(rep_idx[mask], weights=spent[mask], minlength=n)
        return float(per_rep.mean()), float(np.quantile(per_rep, 0.9))

    rows = []
    for fin, reu in CLASSES:
        part = table[(table["financier"] == fin) & (table["reuse"] == reu)]
        s = subs[(fin, reu)]
        mean, p90 = spend_stats((financier == fin) & (reuse == reu))
        rows.append({
            "financier": fin, "reuse": reu,
            "earmarked_eur": float(part.loc[part["in_plan"], "cost_eur"].sum()),
            "expected_cost_eur": float(part["expected_cost_eur"].sum()),
            "spent_mean_eur": mean, "spent_p90_eur": p90,
            "catalogue_max_eur": s.maximum, "catalogue_lower_eur": s.lower_end,
            "protocol_low_eur": s.protocol_low, "protocol_high_eur": s.protocol_high,
            "protocol_source": s.source,
        })
    for fin in ("wmo", "zvw"):
        part = [r for r in rows if r["financier"] == fin]
        tot = tots[fin]
        mean, p90 = spend_stats(financier == fin)
        rows.append({
            "financier": fin, "reuse": "totaal",
            "earmarked_eur": sum(r["earmarked_eur"] for r in part),
            "expected_cost_eur": sum(r["expected_cost_eur"] for r in part),
            "spent_mean_eur": mean, "spent_p90_eur": p90,
            "catalogue_max_eur": tot.maximum, "catalogue_lower_eur": tot.lower_end,
            "protocol_low_eur": tot.protocol_about, "protocol_high_eur": tot.protocol_about,
            "protocol_source": tot.source,
        })
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# Running the simulation for one client
# ---------------------------------------------------------------------------------------


COURSES_PER_BATCH = 1000
"""Possible courses of one client simulated together in one run of the process model."""


@dataclass(frozen=True)
class ClientCourses:
    """``n`` possible courses of one client, simulated side by side in one run.

    A cohort for :func:`ivp.models.process.run_replication` (same ``sample(streams, scenario)``
    protocol as :class:`ivp.models.process.Client`). The courses do not interact - municipal
    traits are drawn per course, there is no shared depot and no staff queue (a client does
    not wait for copies of itself) - so course *i* of a batch is statistically one
    replication of :class:`~ivp.models.process.Client`, at a fraction of the cost: the disease
    model and the calendar run vectorised over all courses at once.
    """

    profile: Any
    n: int
    diagnosis_date: dt.date

    def sample(self, streams, scenario):
        from ivp.models.process.montecarlo import Sampled, _sample_windows

        windows = _sample_windows(self.n, streams["disease"], profile=self.profile)
        day = float((self.diagnosis_date - dt.date(1970, 1, 1)).days)
        return Sampled(windows, np.full(self.n, day), np.arange(self.n), one_municipality=False)


def _plan_chunk(batches: list[int], scenario, profile, diagnosis: dt.date, sizes: tuple[int, ...], seed: int,
                catalog: Catalog, engine: str):
    """Batches of one client's courses: (request frame, patients); each course becomes its
    own replication number (``batch * COURSES_PER_BATCH + course``)."""
    from ivp.models.process import run_replication

    frames, patients = [], []
    for b in batches:
        cohort = ClientCourses(profile=profile, n=sizes[b], diagnosis_date=diagnosis)
        result = run_replication(scenario, cohort, seed, b, catalog=catalog, engine=engine, keep="frame",
                                 per_provision=False)
        for part, out in ((result.frame, frames), (result.patients, patients)):
            part = part.assign(replication=b * COURSES_PER_BATCH + part["patient_id"].astype(np.int64), patient_id=0)
            out.append(part)
    frame = pd.concat(frames, ignore_index=True)
    return frame, pd.concat(patients, ignore_index=True)


def simulate_courses(
    profile,
    scenario,
    replications: int = 1000,
    seed: int = 0,
    *,
    diagnosis_date: dt.date | None = None,
    catalog: Catalog | None = None,
    n_jobs: int = 1,
    scheduler: Any = None,
    engine: str = "auto",
    progress: Callable[[float], None] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dt.date]:
    """``replications`` possible courses of one client: (request frame, patients, diagnosis
    date). Each course is one replication number; :func:`build_plan` turns them into the
    plan. The diagnosis date is ``diagnosis_date``, else the profile's, else today.

    Courses run in batches of :data:`COURSES_PER_BATCH` (batch *b* seeded as replication *b*
    of the process model), so the result depends only on ``seed`` and ``replications``, not
    on ``n_jobs`` or the cluster. A scenario's depot and staff limits are switched off: they
    concern a municipality's caseload, not one client (see ``ivp reserve``). ``progress``
    (a fraction 0-1 after each batch) is called when the batches run in this process.
    """
    from ivp.application.parallel import map_chunks
    from ivp.domain.catalog import load_catalog

    if replications < 1:
        raise ValueError("a plan needs at least one replication")
    catalog = catalog or load_catalog()
    diagnosis = diagnosis_date or getattr(profile, "diagnosis_date", None) or dt.date.today()
    single = scenario
    if scenario.depot.enabled or scenario.staff:
        single = scenario.with_changes(depot={**scenario.depot.model_dump(), "enabled": False}, staff={})
    n_batches = -(-replications // COURSES_PER_BATCH)
    sizes = tuple(min(COURSES_PER_BATCH, replications - b * COURSES_PER_BATCH) for b in range(n_batches))
    args = (single, profile, diagnosis, sizes, seed, catalog, engine)
    if progress is not None and n_jobs == 1 and scheduler is None:
        parts = []
        for b in range(n_batches):
            parts.append(_plan_chunk([b], *args))
            progress((b + 1) / n_batches)
    else:
        parts = map_chunks(_plan_chunk, n_batches, args, n_jobs=n_jobs, scheduler=scheduler, chunk_size=1)
    frame = pd.concat([f for f, _ in parts], ignore_index=True)
    patients = pd.concat([p for _, p in parts], ignore_index=True)
    return frame, patients, diagnosis


def simulate_plan(
    profile,
    scenario,
    replications: int = 1000,
    seed: int = 0,
    *,
    diagnosis_date: dt.date | None = None,
    catalog: Catalog | None = None,
    assumptions: BudgetAssumptions | None = None,
    notes: tuple[AssumptionNote, ...] | None = None,
    in_plan: Collection[str] | None = None,
    rented: Collection[str] = (),
    freq: Freq = "Q",
    n_jobs: int = 1,
    scheduler: Any = None,
    engine: str = "auto",
    progress: Callable[[float], None] | None = None,
) -> Plan:
    """Simulate ``replications`` possible courses of one client under ``scenario``
    (:func:`simulate_courses`) and build the plan (:func:`build_plan`)."""
    from ivp.domain.catalog import load_catalog

    catalog = catalog or load_catalog()
    frame, patients, diagnosis = simulate_courses(
        profile, scenario, replications, seed, diagnosis_date=diagnosis_date, catalog=catalog, n_jobs=n_jobs,
        scheduler=scheduler, engine=engine, progress=progress)
    return build_plan(frame, patients, catalog, diagnosis, assumptions=assumptions, notes=notes, in_plan=in_plan,
                      rented=rented, freq=freq, scenario_name=scenario.name, profile=profile)


def _empty_frame() -> pd.DataFrame:
    from ivp.models.process import FRAME_COLUMNS

    return pd.DataFrame({c: [] for c in FRAME_COLUMNS})

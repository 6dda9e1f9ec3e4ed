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
  :func:`ivp.catalog.subtotals` and :func:`ivp.catalog.totals`, never retyped);
* the **budget over time** (:mod:`ivp.budget.ledger`): earmarked, spent, released, still
  reserved and returned to the depot per month or quarter, over the replications.

Request-by date (a documented parameter, ``ivp/budget_assumptions.yaml``): the
``request_by_need_quantile`` of the need date (default the median, the expected need date)
minus the ``request_by_lead_time_quantile`` (default P80) of the melding-to-delivery lead
time observed in the replications, in calendar days. A melding on that date is delivered by
the expected need date in 80 % of the simulated courses. A date before the IVP is set means
"request at once" (``request_now``).

Which provisions are *in the plan*: those that apply to the client's home and household
(the disease model's need rules decide; a provision that does not apply is never needed) -
in practice, every provision needed in at least one replication - unless the caller passes
its own list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Collection, Iterable

import numpy as np
import pandas as pd

from ivp.budget.assumptions import AssumptionNote, BudgetAssumptions, load_assumptions_with_notes
from ivp.budget.ledger import Freq, build_ledger, plan_lines, summarise_over_time
from ivp.catalog import Catalog, subtotals, totals
from ivp.catalog.figures import CLASSES

PLAN_COLUMNS = [
    "provision_id", "name_nl", "name_en", "financier", "reuse", "chain", "cost_eur", "in_plan",
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

    needed_by = frame.groupby("provision_id")["replication"].nunique()
    if in_plan is None:
        in_plan = [pid for pid in catalog.ids if needed_by.get(pid, 0) > 0]
    in_plan = [pid for pid in catalog.ids if pid in set(in_plan)]

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
            "in_plan": p.id in in_plan, "probability": probability,
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
    over = ledger.over_time(freq=freq, start=start, by=("financier",))
    summary = summarise_over_time(over, by=("financier",))

    spent = ledger.lines.groupby(["replication", "financier", "reuse"])["spent"].sum()
    budget = _budget(table, catalog, spent, patients["replication"].unique())
    death = patients["death_day"].to_numpy(dtype=float) / 30.4375
    survival = dict(zip(("p10", "p50", "p90"), _quantiles(death, (0.1, 0.5, 0.9))))
    ivp_date = diagnosis_date + dt.timedelta(days=a.earmark_day)
    return Plan(
        diagnosis_date=diagnosis_date, ivp_date=ivp_date, n_replications=n, table=table, budget=budget,
        over_time=summary, survival_months=survival, assumptions=a, notes=tuple(notes),
        scenario_name=scenario_name, profile=profile, freq=freq,
    )


def _budget(table: pd.DataFrame, catalog: Catalog, spent: pd.Series, replications: np.ndarray) -> pd.DataFrame:
    """Per financier and reuse class, and per financier in total."""
    subs = {(s.financier, s.reuse): s for s in subtotals(catalog)}
    tots = {t.financier: t for t in totals(catalog)}
    spent = spent.unstack(["financier", "reuse"], fill_value=0.0) if len(spent) else pd.DataFrame()
    spent = spent.reindex(replications, fill_value=0.0)
    rows = []

    def spend_stats(columns) -> tuple[float, float]:
        present = [c for c in columns if c in spent.columns]
        per_rep = spent[present].sum(axis=1) if present else pd.Series(0.0, index=spent.index)
        return float(per_rep.mean()), float(per_rep.quantile(0.9))

    for financier, reuse in CLASSES:
        part = table[(table["financier"] == financier) & (table["reuse"] == reuse)]
        s = subs[(financier, reuse)]
        mean, p90 = spend_stats([(financier, reuse)])
        rows.append({
            "financier": financier, "reuse": reuse,
            "earmarked_eur": float(part.loc[part["in_plan"], "cost_eur"].sum()),
            "expected_cost_eur": float(part["expected_cost_eur"].sum()),
            "spent_mean_eur": mean, "spent_p90_eur": p90,
            "catalogue_max_eur": s.maximum, "catalogue_lower_eur": s.lower_end,
            "protocol_low_eur": s.protocol_low, "protocol_high_eur": s.protocol_high,
            "protocol_source": s.source,
        })
    for financier in ("wmo", "zvw"):
        part = [r for r in rows if r["financier"] == financier]
        t = tots[financier]
        mean, p90 = spend_stats([c for c in CLASSES if c[0] == financier])
        rows.append({
            "financier": financier, "reuse": "totaal",
            "earmarked_eur": sum(r["earmarked_eur"] for r in part),
            "expected_cost_eur": sum(r["expected_cost_eur"] for r in part),
            "spent_mean_eur": mean, "spent_p90_eur": p90,
            "catalogue_max_eur": t.maximum, "catalogue_lower_eur": t.lower_end,
            "protocol_low_eur": t.protocol_about, "protocol_high_eur": t.protocol_about,
            "protocol_source": t.source,
        })
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# Running the simulation for one client
# ---------------------------------------------------------------------------------------


def _plan_chunk(ks: list[int], scenario, cohort, seed: int, catalog: Catalog, engine: str):
    """Replications ``ks`` of one client's course: (request frame, patients)."""
    from simulation.des import run_replication

    frames, patients = [], []
    for k in ks:
        result = run_replication(scenario, cohort, seed, k, catalog=catalog, engine=engine, keep="frame",
                                 per_provision=False)
        if len(result.frame):
            frames.append(result.frame)
        patients.append(result.patients)
    frame = pd.concat(frames, ignore_index=True) if frames else None
    return frame, pd.concat(patients, ignore_index=True)


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
) -> Plan:
    """Simulate ``replications`` possible courses of one client under ``scenario`` and build
    the plan. The diagnosis date is ``diagnosis_date``, else the profile's, else today."""
    from ivp.budget.parallel import map_chunks
    from ivp.catalog import load_catalog
    from simulation.des import Client

    if replications < 1:
        raise ValueError("a plan needs at least one replication")
    catalog = catalog or load_catalog()
    diagnosis = diagnosis_date or getattr(profile, "diagnosis_date", None) or dt.date.today()
    cohort = Client(profile=profile, diagnosis_date=diagnosis)
    parts = map_chunks(_plan_chunk, replications, (scenario, cohort, seed, catalog, engine),
                       n_jobs=n_jobs, scheduler=scheduler)
    frames = [f for f, _ in parts if f is not None]
    frame = pd.concat(frames, ignore_index=True) if frames else _empty_frame()
    patients = pd.concat([p for _, p in parts], ignore_index=True)
    return build_plan(frame, patients, catalog, diagnosis, assumptions=assumptions, notes=notes, in_plan=in_plan,
                      rented=rented, freq=freq, scenario_name=scenario.name, profile=profile)


def _empty_frame() -> pd.DataFrame:
    from simulation.des import FRAME_COLUMNS

    return pd.DataFrame({c: [] for c in FRAME_COLUMNS})

"""The IVP of one client: the plan table and its budget.

From the replications of one client's course (a request frame with one patient per
replication, docs/architecture.md) this module builds:

* the **plan table**, one row per catalogue provision: financier, cliëntgebonden or
  herinzetbaar, cost, whether it is *in the plan* (earmarked), the probability it will be
  needed (``need_probability``), the probability that the client then takes it up
  (``uptake_probability``, ``ivp/models/disease/data/uptake.yaml``) and their product, the
  probability it will be requested (``probability``); its need date (P10, P50, P90 as calendar dates from the diagnosis date), the
  melding-to-delivery lead time under the scenario, the **request-by date**, the expected
  cost (need x uptake probability x cost) and how often delivery comes in time;
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

Which provisions are *in the plan*: those some simulated course requests (needs and takes
up; need dates, lead times and the budget are over these courses). The disease model's
need rules only let a provision be needed where it applies to the client's home and
household (:func:`ivp.models.disease.applicable_provisions`, the ``requires`` column; a fact
left unknown in the profile is drawn per course), so this is "applies to this home and can
still become necessary", provided at least ``earmark_min_probability`` of the courses
request it (``ivp/domain/budget_assumptions.yaml``). ``not_in_plan`` says why a provision
is left out: ``home`` (does not apply to this home or household in any course),
``not_needed`` (applies, but no course reaches it, e.g. a tricycle for a client already past
it at diagnosis) or ``unlikely`` (some courses request it, fewer than the threshold: listed
as possibly needed later, without an earmark or a request-by date). A caller may pass its
own list instead.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Collection, Iterable

import numpy as np
import pandas as pd

from ivp.application.applicability import applicable_mask
from ivp.domain.assumptions import (
    AssumptionNote,
    BudgetAssumptions,
    load_assumptions_with_notes,
)
from ivp.domain.catalog import FINANCIERS, Catalog, load_catalog, subtotals, totals
from ivp.domain.catalog.figures import CLASSES
from ivp.domain.errors import InputError
from ivp.domain.ledger import COST_KINDS, Freq, build_ledger, plan_lines, summarise_over_time
from ivp.domain.prices import price_index
from ivp.domain.units import DAYS_PER_MONTH
from ivp.models.disease import prognosis
from ivp.models.disease.conditioning import visit_params
from ivp.models.disease.params import condition_params
from ivp.models.process import DEFAULT_SEED, Client, Executor, VisitedClient, run

TAIL_QUANTILE = 0.99
"""The budget over time is shown per period until 99 % of the courses have ended; the few
longest courses are summed in one closing period (their balances stay exact)."""

PLAN_COLUMNS = [
    "provision_id", "name_nl", "name_en", "financier", "reuse", "chain", "cost_eur", "catalogue_cost_eur", "price_year",
    "acquisition", "in_plan", "not_in_plan",
    "need_probability", "uptake_probability", "probability", "need_p10", "need_p50", "need_p90", "lead_time_days", "request_by", "request_now",
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
    scenario_name_en: str = ""
    """The route's name in English (its Dutch name where it has none)."""
    profile: Any = None
    freq: str = "Q"
    delivery: pd.DataFrame | None = None
    """Per provision: delivery and need-end P10/P50/P90 (days since diagnosis) and the share
    delivered (:func:`delivery_quantiles`), for the timeline."""
    death_days: np.ndarray | None = None
    """Death (the survival endpoint) per replication, days since diagnosis."""
    client_events: dict[str, float] = dataclasses.field(default_factory=dict)
    """Share of the courses with an entry into a Wlz institution (``wlz_share``, and its
    median month since diagnosis ``wlz_p50_month``) and with a move to another municipality
    (``move_share``); open Wmo requests cancelled by the entry (``requests_cancelled_wlz``)
    and restarted by a move (``requests_restarted_move``) per course."""
    followup: Any = None
    """After follow-up visits: the :class:`~ivp.application.followup.FollowUp` (the visits,
    how many courses they left, what changed since the previous plan); ``None`` at diagnosis."""

    @property
    def price_level_year(self) -> int:
        """The year whose euros the plan table and the earmarks are in (the IVP's)."""
        return self.ivp_date.year

    def scenario_title(self, lang: str = "nl") -> str:
        return self.scenario_name_en if lang == "en" and self.scenario_name_en else self.scenario_name

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
            "client_events": {k: clean(v) for k, v in self.client_events.items()},
            "prices": f"earmarks and the plan table in euros of {self.price_level_year}; spending in euros of the "
                      "year it is paid (ivp/domain/price_index.yaml)",
            "assumptions": self.assumptions.model_dump(),
            **({"followup": self.followup.to_json(clean, records)} if self.followup is not None else {}),
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
    need_counts: pd.DataFrame | None = None,
    scenario_name_en: str = "",
    handover_months: float = 0.0,
    as_of_day: float | None = None,
    settled: dict[str, str] | None = None,
) -> Plan:
    """Build one client's plan from the replications of its course.

    ``frame``: the request frame (one patient per replication); ``patients``: one row per
    replication with ``replication``, ``patient_id``, ``death_day`` (``diagnosis_date`` is
    set to ``diagnosis_date`` here, so that every replication shares the client's calendar).
    ``need_counts``: per provision, courses that need it and that request it
    (:meth:`ivp.models.process.Batch.need_counts`); without it every need counts as taken up.
    ``handover_months``: the scenario's client events (:func:`~ivp.domain.ledger.build_ledger`).
    ``as_of_day`` (days since diagnosis; default the IVP's day): the plan's "now" after a
    follow-up visit, before which nothing can be requested; ``settled``: provision id ->
    ``delivered`` or ``declined`` (at a visit), their reason for not being in the plan.
    Amounts of the table and the earmarks are in euros of the IVP's year.
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
        # in the plan: applies to the home and at least earmark_min_probability of the courses
        # request it (a provision that applies but that no course reaches, e.g. a tricycle for
        # a client already past it, is left out; one that few courses reach is "possibly later")
        in_plan = [pid for pid in catalog.ids if needed_by.get(pid, 0) > 0
                   and needed_by[pid] / n >= a.earmark_min_probability]
    in_plan = [pid for pid in catalog.ids if pid in set(in_plan)]

    settled = settled or {}
    in_plan = [pid for pid in in_plan if pid not in settled]

    def reason(pid: str) -> str:
        if pid in in_plan:
            return ""
        if pid in settled:
            return settled[pid]
        if applicable is not None and pid not in applicable:
            return "home"
        return "unlikely" if needed_by.get(pid, 0) > 0 else "not_needed"

    now_day = a.earmark_day if as_of_day is None else max(a.earmark_day, as_of_day)
    q_need, q_lead = a.request_by_need_quantile, a.request_by_lead_time_quantile
    ivp_year = (diagnosis_date + dt.timedelta(days=a.earmark_day)).year
    index = price_index()
    rows = []
    groups = dict(tuple(frame.groupby("provision_id")))
    for p in catalog:
        g = groups.get(p.id)
        count = 0 if g is None else g["replication"].nunique()
        probability = count / n
        needed = count if need_counts is None or p.id not in need_counts.index else int(need_counts.at[p.id, "needed"])
        uptake = count / needed if needed else np.nan
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
        planned = p.id in in_plan  # request-by dates only for what the IVP earmarks
        request_day = request_day if planned else np.nan
        request_now = bool(np.isfinite(request_day) and request_day <= now_day)
        cost = p.cost_eur * index.year_factor(p.price_year, ivp_year)
        rows.append({
            "provision_id": p.id, "name_nl": p.name_nl, "name_en": p.name_en,
            "financier": p.financier, "reuse": p.reuse, "chain": p.chain, "cost_eur": cost,
            "catalogue_cost_eur": p.cost_eur, "price_year": p.price_year, "acquisition": p.acquisition,
            "in_plan": p.id in in_plan, "not_in_plan": reason(p.id),
            "need_probability": needed / n, "uptake_probability": uptake, "probability": probability,
            "need_p10": _date(diagnosis_date, p10), "need_p50": _date(diagnosis_date, p50),
            "need_p90": _date(diagnosis_date, p90),
            "lead_time_days": lead_q,
            "request_by": _date(diagnosis_date, max(request_day, now_day)) if np.isfinite(request_day) else None,
            "request_now": request_now,
            "expected_cost_eur": probability * cost,
            "on_time_share": on_time, "mean_gap_days": gap, "delivered_after_death_share": after_death,
        })
    table = pd.DataFrame(rows, columns=PLAN_COLUMNS)
    table = table.assign(_order=table["need_p50"].map(lambda d: d or dt.date.max))
    table = table.sort_values(["in_plan", "_order", "financier", "provision_id"], ascending=[False, True, True, True])
    table = table.drop(columns="_order").reset_index(drop=True)

    plan = plan_lines(patients, in_plan)
    ledger = build_ledger(frame, catalog, plan=plan, patients=patients, assumptions=a, rented=rented,
                          handover_months=handover_months)
    start = int(diag64.astype(np.int64))
    death = patients["death_day"].to_numpy(dtype=float)
    tail = np.quantile(death[np.isfinite(death)], TAIL_QUANTILE) if np.isfinite(death).any() else None
    over = ledger.over_time(freq=freq, start=start, by=("financier",),
                            regular_until=None if tail is None else start + int(tail))
    summary = summarise_over_time(over, by=("financier",))

    budget = _budget(table, catalog, ledger.lines, np.unique(patients["replication"].to_numpy()))
    death = patients["death_day"].to_numpy(dtype=float) / DAYS_PER_MONTH
    survival = dict(zip(("p10", "p50", "p90"), _quantiles(death, (0.1, 0.5, 0.9))))
    ivp_date = diagnosis_date + dt.timedelta(days=a.earmark_day)
    return Plan(
        diagnosis_date=diagnosis_date, ivp_date=ivp_date, n_replications=n, table=table, budget=budget,
        over_time=summary, survival_months=survival, assumptions=a, notes=tuple(notes),
        scenario_name=scenario_name, scenario_name_en=scenario_name_en, profile=profile, freq=freq,
        delivery=delivery_quantiles(frame),
        death_days=patients["death_day"].to_numpy(dtype=float),
        client_events=_client_events(frame, patients),
    )


def _client_events(frame: pd.DataFrame, patients: pd.DataFrame) -> dict[str, float]:
    """How often the courses enter a Wlz institution or move, and what that does to requests."""
    n = max(len(patients), 1)
    wlz = patients["wlz_day"].to_numpy(dtype=float) if "wlz_day" in patients.columns else np.full(len(patients), np.nan)
    move = patients["move_day"].to_numpy(dtype=float) if "move_day" in patients.columns else np.full(len(patients), np.nan)
    entered = np.isfinite(wlz)
    out = {"wlz_share": float(entered.mean()) if len(wlz) else 0.0,
           "wlz_p50_month": float(np.median(wlz[entered]) / DAYS_PER_MONTH) if entered.any() else np.nan,
           "move_share": float(np.isfinite(move).mean()) if len(move) else 0.0,
           "requests_cancelled_wlz": 0.0, "requests_restarted_move": 0.0}
    if len(frame) and "wlz_day" in frame.columns:
        open_at_entry = (frame["cancelled"].fillna(False).astype(bool).to_numpy()
                         & np.isfinite(frame["wlz_day"].to_numpy(dtype=float))
                         & np.isnan(frame["delivery_day"].to_numpy(dtype=float)))
        out["requests_cancelled_wlz"] = float(open_at_entry.sum()) / n
        out["requests_restarted_move"] = float(frame["restarted_by_move"].fillna(False).astype(bool).sum()) / n
    return out


def _applicable(patients: pd.DataFrame, catalog: Catalog) -> set[str]:
    """Provisions whose home and household requirements hold in at least one replication
    (the disease model's need rules)."""
    applies = applicable_mask(patients, catalog).any(axis=0)
    return {pid for pid, any_ in zip(catalog.ids, applies) if any_}


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

    def mean_of(column: str, mask: np.ndarray) -> float:
        return float(lines[column].to_numpy(dtype=float)[mask].sum()) / max(n, 1)

    def by_kind(mask: np.ndarray) -> dict[str, float]:
        out = {f"spent_{kind}_mean_eur": mean_of(f"spent_{kind}", mask) for kind in COST_KINDS}
        out["own_contribution_mean_eur"] = mean_of("own_contribution", mask)
        out["net_mean_eur"] = mean_of("spent", mask) - out["own_contribution_mean_eur"]
        return out

    rows = []
    for fin, reu in CLASSES:
        part = table[(table["financier"] == fin) & (table["reuse"] == reu)]
        s = subs[(fin, reu)]
        mean, p90 = spend_stats((financier == fin) & (reuse == reu))
        rows.append({
            "financier": fin, "reuse": reu,
            "earmarked_eur": float(part.loc[part["in_plan"], "cost_eur"].sum()),
            "expected_cost_eur": float(part["expected_cost_eur"].sum()),
            "spent_mean_eur": mean, "spent_p90_eur": p90, **by_kind((financier == fin) & (reuse == reu)),
            "catalogue_max_eur": s.maximum, "catalogue_lower_eur": s.lower_end,
            "protocol_low_eur": s.protocol_low, "protocol_high_eur": s.protocol_high,
            "protocol_source": s.source,
        })
    for fin in FINANCIERS:
        part = [r for r in rows if r["financier"] == fin]
        tot = tots[fin]
        mean, p90 = spend_stats(financier == fin)
        rows.append({
            "financier": fin, "reuse": "totaal",
            "earmarked_eur": sum(r["earmarked_eur"] for r in part),
            "expected_cost_eur": sum(r["expected_cost_eur"] for r in part),
            "spent_mean_eur": mean, "spent_p90_eur": p90, **by_kind(financier == fin),
            "catalogue_max_eur": tot.maximum, "catalogue_lower_eur": tot.lower_end,
            "protocol_low_eur": tot.protocol_about, "protocol_high_eur": tot.protocol_about,
            "protocol_source": tot.source,
        })
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# Running the simulation for one client
# ---------------------------------------------------------------------------------------


DELIVERY_COLUMNS = ["provision_id", "delivery_p10", "delivery_p50", "delivery_p90", "lead_p10", "lead_p50", "lead_p90",
                    "need_end_p10", "need_end_p50", "need_end_p90", "delivered_share"]


def delivery_quantiles(frame: pd.DataFrame) -> pd.DataFrame:
    """Per provision, P10/P50/P90 over the replications of the delivery day and the need end
    (days since diagnosis) and of the lead time from melding to delivery (calendar days), and
    the share of needing courses in which it was delivered: the timeline's marks (delivery
    when requested on the request-by date = request-by + lead time)."""
    rows = []
    for provision_id, group in frame.groupby("provision_id", sort=False, observed=True):
        delivery = group["delivery_day"].to_numpy(dtype=float)
        done = np.isfinite(delivery)
        lead = delivery[done] - group["melding_day"].to_numpy(dtype=float)[done]
        ends = group["need_end_day"].to_numpy(dtype=float)
        ends = ends[np.isfinite(ends)]
        d = np.quantile(delivery[done], [0.1, 0.5, 0.9]) if done.any() else [np.nan] * 3
        lq = np.quantile(lead, [0.1, 0.5, 0.9]) if len(lead) else [np.nan] * 3
        e = np.quantile(ends, [0.1, 0.5, 0.9]) if len(ends) else [np.nan] * 3
        rows.append({"provision_id": str(provision_id), "delivery_p10": d[0], "delivery_p50": d[1],
                     "delivery_p90": d[2], "lead_p10": lq[0], "lead_p50": lq[1], "lead_p90": lq[2],
                     "need_end_p10": e[0], "need_end_p50": e[1], "need_end_p90": e[2],
                     "delivered_share": int(done.sum()) / max(len(group), 1)})
    return pd.DataFrame(rows, columns=DELIVERY_COLUMNS)


@dataclass(frozen=True)
class PlanReducer:
    """The reducer of one client's replications (:func:`ivp.models.process.run`): each
    batch keeps its request frame and patients; together they become the :class:`Plan`."""

    catalog: Catalog
    diagnosis_date: dt.date
    assumptions: BudgetAssumptions | None = None
    notes: tuple[AssumptionNote, ...] | None = None
    in_plan: tuple[str, ...] | None = None
    rented: tuple[str, ...] = ()
    freq: Freq = "Q"
    profile: Any = None
    as_of_day: float | None = None
    settled: tuple[tuple[str, str], ...] = ()

    def reduce(self, batch):
        return batch.frame(), batch.patients(), batch.need_counts()

    def combine(self, scenario, parts, replications) -> "Plan":
        frame = pd.concat([f for f, _, _ in parts], ignore_index=True)
        patients = pd.concat([p for _, p, _ in parts], ignore_index=True)
        counts = [c for _, _, c in parts if len(c)]
        need_counts = sum(counts[1:], counts[0]) if counts else None
        return build_plan(frame, patients, self.catalog, self.diagnosis_date, assumptions=self.assumptions,
                          notes=self.notes, in_plan=self.in_plan, rented=self.rented, freq=self.freq,
                          scenario_name=scenario.name, profile=self.profile, need_counts=need_counts,
                          scenario_name_en=scenario.title("en"),
                          handover_months=scenario.client_events.handover_months, as_of_day=self.as_of_day,
                          settled=dict(self.settled))


def client_scenario(scenario):
    """The scenario for one client's plan: a scenario's depot and staff limits concern a
    municipality's caseload (``ivp reserve``), not one client, so they are switched off."""
    if scenario.depot.enabled or scenario.staff:
        return scenario.with_changes(depot={**scenario.depot.model_dump(), "enabled": False}, staff={})
    return scenario


def plannable(profile, visits=()) -> bool:
    """Whether the model can plan for this client: always for ALS and the conditions with
    published data; for the others only from ``min_visits_without_data`` scored visits
    (``ivp/models/disease/data/visits.yaml``)."""
    condition = getattr(profile, "condition", None)
    if condition is None or condition_params()[condition.value].model != "visits_only":
        return True
    return sum(1 for v in visits if v.scored) >= visit_params().min_visits_without_data


def check_plannable(profile, visits=()) -> None:
    """Refuse, naming the condition, a plan the model cannot honestly make (:func:`plannable`)."""
    if not plannable(profile, visits):
        params = condition_params()[profile.condition.value]
        raise InputError.single("profile", "condition", "condition_needs_visits", condition=params.name_en,
                                visits=visit_params().min_visits_without_data, sources=params.source)


def simulate_plan(
    profile,
    scenario,
    replications: int = 1000,
    seed: int = DEFAULT_SEED,
    *,
    diagnosis_date: dt.date | None = None,
    catalog: Catalog | None = None,
    assumptions: BudgetAssumptions | None = None,
    notes: tuple[AssumptionNote, ...] | None = None,
    in_plan: Collection[str] | None = None,
    rented: Collection[str] = (),
    freq: Freq = "Q",
    executor: Executor | None = None,
    engine: str = "auto",
    progress: Callable[[float], None] | None = None,
    visited: VisitedClient | None = None,
) -> Plan:
    """``replications`` possible courses of one client under ``scenario`` (replication *k*
    is one course, seeded as every replication), turned into the plan (:func:`build_plan`).
    The diagnosis date is ``diagnosis_date``, else the profile's, else today.

    ``visited``: the client after follow-up visits (:class:`~ivp.models.process.VisitedClient`,
    its pool weighted by what the visits observed): the plan as of the last visit, its
    survival figures the conditioned courses'. ``followup`` is left to
    :func:`ivp.application.followup.follow_up`, which compares with the previous plan."""
    if replications < 1:
        raise ValueError("a plan needs at least one replication")
    check_plannable(profile, () if visited is None else visited.visits)
    catalog = catalog or load_catalog()
    diagnosis = diagnosis_date or getattr(profile, "diagnosis_date", None) or dt.date.today()
    cohort, as_of_day, settled = Client(profile, diagnosis), None, ()
    if visited is not None:
        cohort, visits = visited, visited.visits
        as_of_day = float((visits[-1].date - diagnosis).days)
        latest: dict[str, str] = {}  # a later visit's word counts (declined, then delivered after all)
        for v in visits:
            latest.update({d.provision: "delivered" for d in v.delivered})
            latest.update({p: "declined" for p in v.declined})
        settled = tuple(latest.items())
    reducer = PlanReducer(catalog, diagnosis, assumptions, notes, None if in_plan is None else tuple(in_plan),
                          tuple(rented), freq, profile, as_of_day, settled)
    plan = run(client_scenario(scenario), cohort, replications, seed=seed, reducer=reducer,
               catalog=catalog, engine=engine, executor=executor, progress=progress)
    if visited is not None:
        return dataclasses.replace(plan, survival_months=visited.survival_months())
    # the survival figures of the screen, the table and the PDF: the personal prognosis (the
    # ENCALS model integrated over what the profile leaves unknown), not the sampled deaths
    q = prognosis(profile).quantiles
    return dataclasses.replace(plan, survival_months={"p10": q[0.1], "p50": q[0.5], "p90": q[0.9]})

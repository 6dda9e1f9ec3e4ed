"""The plan after follow-up visits, and what changed since the previous plan.

:func:`follow_up` simulates the client's plan as of the last visit (courses weighted by
every visit, :mod:`ivp.models.disease.conditioning`) and the previous plan (as of the visit
before, or at diagnosis), and attaches a :class:`FollowUp` to the new plan:

* the visits, the pool of courses, how many effective courses the visits left and by how
  much the measurement errors had to widen (``visits.yaml``);
* ``changes``: per provision, the status, probability, median need date and request-by
  date in the previous and in the new plan, and what the change means for the budget;
* ``budget``: per financier, what the previous plan earmarked and what became of it:
  ``spent`` (delivered; cost at the catalogue's price in the IVP's year), ``still_earmarked``,
  ``released`` (in the previous plan, now declined, no longer needed or unlikely), the new
  earmarks (``added``) and the earmark after the visit. The totals reconcile:
  ``earmarked_before = spent + still_earmarked + released`` (tested).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ivp.application.plan import Plan, plannable, simulate_plan
from ivp.domain.catalog import FINANCIERS
from ivp.domain.visit import Visit
from ivp.models.process import DEFAULT_SEED, VisitedClient

CHANGE_COLUMNS = [
    "provision_id", "name_nl", "name_en", "financier", "cost_eur",
    "status_before", "status_after", "probability_before", "probability_after",
    "need_p50_before", "need_p50_after", "request_by_before", "request_by_after", "request_now", "budget",
]
BUDGET_COLUMNS = ["financier", "earmarked_before", "spent", "still_earmarked", "released", "added", "earmarked_after"]


@dataclass(frozen=True)
class FollowUp:
    """What the visits did to the plan (see the module docstring)."""

    visits: tuple[Visit, ...]
    as_of: dt.date
    previous_as_of: dt.date
    pool_courses: int
    effective_courses: float
    widening: float
    matched: bool
    changes: pd.DataFrame
    budget: pd.DataFrame
    previous: Plan | None
    """The plan as of the visit before; ``None`` where the model could not make it (a
    condition planned from visits only, :func:`~ivp.application.plan.plannable`)."""

    @property
    def delivered(self) -> dict[str, dt.date]:
        return {d.provision: d.date for v in self.visits for d in v.delivered}

    def to_json(self, clean, records) -> dict:
        return {
            "as_of": self.as_of.isoformat(), "previous_as_of": self.previous_as_of.isoformat(),
            "visits": [visit.model_dump(mode="json") for visit in self.visits],
            "pool_courses": self.pool_courses, "effective_courses": round(self.effective_courses, 1),
            "measurement_error_widening": round(self.widening, 3), "observations_matched": self.matched,
            "previous_survival_months": None if self.previous is None else
            {k: clean(v) for k, v in self.previous.survival_months.items()},
            "changes": records(self.changes), "budget": records(self.budget),
        }


def status(row) -> str:
    return "in_plan" if row["in_plan"] else (row["not_in_plan"] or "not_needed")


def plan_changes(previous: Plan, current: Plan) -> pd.DataFrame:
    """Per provision, the previous and the new plan side by side (the new plan's order)."""
    before = previous.table.set_index("provision_id")
    rows = []
    for _, row in current.table.iterrows():
        old = before.loc[row["provision_id"]]
        was, now = status(old), status(row)
        if was == "in_plan":
            effect = {"in_plan": "still_earmarked", "delivered": "spent"}.get(now, "released")
        else:
            effect = "added" if now == "in_plan" else ""
        rows.append({
            "provision_id": row["provision_id"], "name_nl": row["name_nl"], "name_en": row["name_en"],
            "financier": row["financier"], "cost_eur": row["cost_eur"],
            "status_before": was, "status_after": now,
            "probability_before": old["probability"], "probability_after": row["probability"],
            "need_p50_before": old["need_p50"], "need_p50_after": row["need_p50"],
            "request_by_before": old["request_by"], "request_by_after": row["request_by"],
            "request_now": bool(row["request_now"]), "budget": effect,
        })
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def budget_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """Per financier (and in total): the previous earmark and what became of it."""
    rows = []
    for financier in (*FINANCIERS, "totaal"):
        part = changes if financier == "totaal" else changes[changes["financier"] == financier]
        cost = part["cost_eur"].to_numpy(dtype=float)

        def total(mask) -> float:
            return float(cost[np.asarray(mask, dtype=bool)].sum())

        rows.append({
            "financier": financier,
            "earmarked_before": total(part["status_before"] == "in_plan"),
            "spent": total(part["budget"] == "spent"),
            "still_earmarked": total(part["budget"] == "still_earmarked"),
            "released": total(part["budget"] == "released"),
            "added": total(part["budget"] == "added"),
            "earmarked_after": total(part["status_after"] == "in_plan"),
        })
    return pd.DataFrame(rows, columns=BUDGET_COLUMNS)


def follow_up(profile, scenario, visits: Sequence[Visit], replications: int = 1000, seed: int = DEFAULT_SEED,
              diagnosis_date: dt.date | None = None, **options: Any) -> Plan:
    """The plan as of the last of ``visits`` (in date order), with its :class:`FollowUp`
    against the plan as of the visit before (or at diagnosis). ``options``: those of
    :func:`~ivp.application.plan.simulate_plan`."""
    if not visits:
        raise ValueError("follow_up needs at least one visit")
    diagnosis = diagnosis_date or getattr(profile, "diagnosis_date", None) or dt.date.today()
    visits = tuple(visits)
    before = VisitedClient(profile, diagnosis, visits[:-1], seed) if len(visits) > 1 else None
    pool = VisitedClient(profile, diagnosis, visits, seed)
    common = dict(seed=seed, diagnosis_date=diagnosis, **options)
    current = simulate_plan(profile, scenario, replications, visited=pool, **common)
    previous = (simulate_plan(profile, scenario, replications, visited=before, **common)
                if plannable(profile, visits[:-1]) else None)
    changes = plan_changes(previous, current) if previous is not None else pd.DataFrame(columns=CHANGE_COLUMNS)
    followup = FollowUp(
        visits=tuple(visits), as_of=visits[-1].date,
        previous_as_of=visits[-2].date if len(visits) > 1 else current.ivp_date,
        pool_courses=pool.conditioned.pool_size, effective_courses=pool.conditioned.effective_courses,
        widening=pool.conditioned.widening, matched=pool.conditioned.matched,
        changes=changes, budget=budget_changes(changes), previous=previous,
    )
    return dataclasses.replace(current, followup=followup)

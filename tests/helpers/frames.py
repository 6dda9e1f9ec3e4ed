"""A hand-made request frame for the budget tests (ledger, reserve, exports)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ivp.domain.catalog import load_catalog

CATALOG = load_catalog()
DIAGNOSIS = np.datetime64("2026-03-02")


def synthetic_frame(rng: np.random.Generator, replications: int = 3, patients: int = 2,
                    p_needed: float = 0.5, p_depot: float = 0.2, p_bought: float = 0.8,
                    diagnosis_spread_days: int = 400, p_loan: float = 0.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A hand-made request frame in the layout of docs/architecture.md, and its patients.

    Plausible, not realistic: random need windows inside the survival time, deliveries after
    the melding, purchases before delivery (none for depot items), some never delivered;
    with ``p_loan`` a loan device bridges part of some gaps (its rent, 3 % a month).
    """
    rows, people = [], []
    for r in range(replications):
        for pid in range(patients):
            diag = DIAGNOSIS + np.timedelta64(int(rng.integers(0, diagnosis_spread_days)), "D")
            death = float(rng.integers(0, 2000))
            people.append({"replication": r, "patient_id": pid, "diagnosis_date": diag, "death_day": death})
            for p in CATALOG:
                if rng.random() > p_needed or death < 2:
                    continue
                start = float(rng.integers(0, int(death)))
                end = float(rng.integers(int(start) + 1, int(death) + 2)) if rng.random() < 0.7 else death
                end = min(end, death)
                melding = max(0.0, start - float(rng.integers(0, 90)))
                lead = float(rng.integers(5, 300))
                delivery = melding + lead if rng.random() < 0.85 else np.nan
                depot = bool(p.reuse == "herinzetbaar" and np.isfinite(delivery) and rng.random() < p_depot)
                bought = np.isfinite(delivery) and not depot and rng.random() < p_bought
                cost_day = float(rng.integers(int(melding), int(delivery) + 1)) if bought else np.nan
                gap_end = min(delivery if np.isfinite(delivery) else end, end)
                loan_from = start + float(rng.integers(0, 30))
                loaned = rng.random() < p_loan and loan_from < gap_end
                rows.append({
                    "replication": r, "patient_id": pid, "provision_id": p.id,
                    "financier": p.financier, "reuse": p.reuse, "diagnosis_date": diag,
                    "need_start_day": start, "need_end_day": end, "trigger_day": melding, "death_day": death,
                    "melding_day": melding, "delivery_day": delivery,
                    "gap_days": max(0.0, min(delivery if np.isfinite(delivery) else end, end) - start),
                    "delivered_after_death": bool(np.isfinite(delivery) and delivery > death),
                    "from_depot": depot, "pgb": bool(rng.random() < 0.5),
                    "cost_eur": p.cost_eur if bought else 0.0, "cost_day": cost_day,
                    "depot_cost_eur": 0.15 * p.cost_eur if depot else 0.0,
                    "use_end_day": min(end, death) if np.isfinite(delivery) else np.nan,
                    "bridge_day": loan_from if loaned else np.nan, "bridge_end_day": gap_end if loaned else np.nan,
                    "bridge_cost_eur": 0.03 * p.cost_eur * (gap_end - loan_from) / 30.4375 if loaned else 0.0,
                })
    frame = pd.DataFrame(rows)
    if frame.empty:
        frame = pd.DataFrame(columns=[
            "replication", "patient_id", "provision_id", "financier", "reuse", "diagnosis_date",
            "need_start_day", "need_end_day", "trigger_day", "death_day", "melding_day",
            "delivery_day", "gap_days", "delivered_after_death", "from_depot", "pgb", "cost_eur",
            "cost_day", "depot_cost_eur", "use_end_day", "bridge_day", "bridge_end_day", "bridge_cost_eur"])
    return frame, pd.DataFrame(people)

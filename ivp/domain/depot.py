"""The depot: the value of a reusable (herinzetbaar) item as it ages.

A reusable item that comes back from a client goes to the municipality's depot (seed 001:
"Hulpmiddelen die her inzetbaar zijn gaan in depot en kunnen voor andere cliënten worden
ingezet"). Its book value declines linearly with its age::

    residual = cost x max(floor, 1 - age_years / useful_life_years)

with ``residual_useful_life_years`` and ``residual_floor_fraction`` from the budget
assumptions (``ivp/domain/budget_assumptions.yaml``). The age counts from the item's first
delivery, through every client who used it. Refurbishment time and cost of a reissue belong
to the simulation scenario (``depot`` block); the depot *saving* of a reissue is the new
price minus what the request frame charges for it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ivp.domain.assumptions import BudgetAssumptions, default_assumptions
from ivp.domain.units import DAYS_PER_YEAR


def residual_value(cost, age_days, assumptions: BudgetAssumptions | None = None) -> np.ndarray:
    """Book value of items of new price ``cost`` after ``age_days`` days (vectorised)."""
    a = assumptions or default_assumptions()
    age_years = np.maximum(np.asarray(age_days, dtype=float), 0.0) / DAYS_PER_YEAR
    fraction = np.maximum(a.residual_floor_fraction, 1.0 - age_years / a.residual_useful_life_years)
    return np.asarray(cost, dtype=float) * np.clip(fraction, 0.0, 1.0)


def depot_savings(frame: pd.DataFrame, catalog) -> pd.DataFrame:
    """Per depot reissue in a request frame: the new price saved, net of what was charged.

    Columns: the frame's keys, ``financier``, ``saving`` (catalogue cost minus ``cost_eur``).
    """
    if "from_depot" not in frame.columns or frame.empty:
        return pd.DataFrame(columns=["replication", "patient_id", "provision_id", "financier", "saving"])
    reissued = frame[frame["from_depot"].fillna(False).astype(bool)]
    cost = reissued["provision_id"].map({p.id: p.cost_eur for p in catalog}).to_numpy(dtype=float)
    charged = np.nan_to_num(reissued.get("cost_eur", pd.Series(0.0, index=reissued.index)).to_numpy(dtype=float))
    return pd.DataFrame({
        "replication": reissued["replication"].to_numpy(),
        "patient_id": reissued["patient_id"].to_numpy(),
        "provision_id": reissued["provision_id"].to_numpy(),
        "financier": reissued["financier"].to_numpy(),
        "saving": np.maximum(cost - charged, 0.0),
    })

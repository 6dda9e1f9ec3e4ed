"""Which provisions are in a client's IVP: those that apply to the home and household.

The protocol earmarks every provision "that may become necessary" (seed 001); which ones
apply follows the client's home and household facts (DOMAIN.md section 6: a stairlift only
with stairs, an extension only where the home cannot be adapted inside, a van adaptation
only with a van). Those rules belong to the disease model's need rules
(``ivp/models/disease/data/need_rules.csv``); this module only asks them. When the disease model
offers no applicability function, the plan falls back to the provisions the simulated
course needs (a lower bound of the protocol's earmark).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ivp.domain.catalog import Catalog


def _rules():
    try:
        from ivp.models.disease import applicable_provisions  # type: ignore[attr-defined]
    except ImportError:
        return None
    return applicable_provisions


def plan_matrix(patients: pd.DataFrame, frame: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """The plan lines (``replication``, ``patient_id``, ``provision_id``) of every patient."""
    rules = _rules()
    needed = frame[["replication", "patient_id", "provision_id"]].astype({"provision_id": str})
    if rules is None or len(patients) == 0:
        return needed
    ids = catalog.ids
    applies = np.asarray(rules(patients, ids), dtype=bool)  # (n_patients, n_provisions)
    rows, cols = np.nonzero(applies)
    plan = pd.DataFrame({
        "replication": patients["replication"].to_numpy()[rows],
        "patient_id": patients["patient_id"].to_numpy()[rows],
        "provision_id": np.asarray(ids, dtype=object)[cols],
    })
    # a provision the course needs is always in the plan
    return pd.concat([plan, needed], ignore_index=True).drop_duplicates(ignore_index=True)


def applicable_mask(patients: pd.DataFrame, catalog: Catalog) -> np.ndarray | None:
    """``(n_patients, n_catalogue)``: the provision applies to the patient's home and
    household; None when the disease model offers no rules or the home columns are absent
    (then the plan is what the course needs)."""
    rules = _rules()
    if rules is None or len(patients) == 0:
        return None
    try:
        return np.asarray(rules(patients, catalog.ids), dtype=bool).copy()
    except (KeyError, ValueError):
        return None

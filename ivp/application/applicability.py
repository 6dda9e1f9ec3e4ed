"""Which provisions a client's IVP earmarks: those that apply to the home and household.

The protocol earmarks every provision "that may become necessary" (seed 001); which ones
apply follows the client's home and household facts (DOMAIN.md section 6: a stairlift only
with stairs, an extension only where the home cannot be adapted inside, a van adaptation
only with a van). Those rules are the disease model's need rules (the ``requires`` column
of ``ivp/models/disease/data/need_rules.csv``); this module only asks them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ivp.domain.catalog import Catalog
from ivp.models.disease import applicable_provisions


def applicable_mask(patients: pd.DataFrame, catalog: Catalog) -> np.ndarray:
    """``(n_patients, n_catalogue)``: the provision applies to the patient's home and
    household (``patients``: the runner's patients frame, with the home-fact columns)."""
    if len(patients) == 0:
        return np.zeros((0, len(catalog)), dtype=bool)
    return np.asarray(applicable_provisions(patients, catalog.ids), dtype=bool).copy()

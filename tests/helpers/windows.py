"""Hand-made need windows for tests and benchmarks of the process model.

Not a disease model (that is :mod:`ivp.models.disease`): the windows are uniform draws with
no calibration, just satisfying the :class:`~ivp.models.needwindows.NeedWindows` contract
(``0 <= trigger <= need_start < need_end <= death``), so the process model can be tested
and timed on its own, and deterministic tests can build exactly the windows they need.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ivp.domain.calendar import date_to_daynum
from ivp.models.needwindows import NeedWindows
from ivp.models.process.cohorts import CohortDraw


def synthetic_windows(n: int, rng: np.random.Generator, provision_ids: tuple[str, ...],
                      p_need: float = 0.5, max_months: float = 60.0) -> NeedWindows:
    """``n`` patients; each provision needed with probability ``p_need`` in a random
    window before a random death; trigger up to 3 months before the need starts."""
    p = len(provision_ids)
    death = rng.uniform(3, max_months, n)
    start = rng.random((n, p)) * death[:, None] * 0.9
    end = start + rng.random((n, p)) * (death[:, None] - start) + 1e-3
    end = np.minimum(end, death[:, None])
    trigger = np.maximum(start - rng.uniform(0, 3, (n, p)), 0)
    needed = rng.random((n, p)) < p_need
    for a in (start, end, trigger):
        a[~needed] = np.nan
    patients = pd.DataFrame({"patient_id": np.arange(n), "survival_months_from_diagnosis": death})
    return NeedWindows(patients, tuple(provision_ids), start, end, trigger, death)


def single_window(provision_ids: tuple[str, ...], needs: dict[str, tuple[float, float, float]],
                  death: float) -> NeedWindows:
    """One patient with the given ``{provision: (trigger, need_start, need_end)}`` months."""
    p = len(provision_ids)
    start, end, trig = (np.full((1, p), np.nan) for _ in range(3))
    for pid, (t, s, e) in needs.items():
        j = provision_ids.index(pid)
        trig[0, j], start[0, j], end[0, j] = t, s, e
    patients = pd.DataFrame({"patient_id": [0], "survival_months_from_diagnosis": [death]})
    return NeedWindows(patients, tuple(provision_ids), start, end, trig, np.array([death]))


@dataclass(frozen=True)
class SyntheticPatients:
    """A cohort whose need windows are drawn from the replication's *disease* stream with
    :func:`synthetic_windows` (a stand-in that exercises the real stream layout)."""

    n: int
    provision_ids: tuple[str, ...]
    p_need: float = 0.5

    def draw(self, streams, scenario):
        windows = synthetic_windows(self.n, streams["disease"], self.provision_ids, self.p_need)
        offsets = np.floor(streams["arrivals"].random(self.n) * scenario.population.spread_days)
        return CohortDraw(date_to_daynum(scenario.population.start_date) + offsets, np.arange(self.n), windows=windows)

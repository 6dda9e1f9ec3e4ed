"""King's clinical staging of a simulated course (Roche et al., Brain 2012; derived from the
ALSFRS-R as in Balendra et al., ALS-FTD 2014 and the PRECISION-ALS code).

Stages 1-3 are the number of regions with functional involvement: *bulbar* (speech,
salivation or swallowing below 4), *upper limb* (handwriting or cutting food below 4) and
*lower limb* (walking below 4). Stage 4A is the need for gastrostomy (swallowing 1: needs
supplemental tube feeding), 4B the need for NIV (respiratory insufficiency below 4, or
dyspnoea 0); stage 4 is the first of 4A and 4B. Stage 1 begins at symptom onset.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ivp.models.disease.course import Courses

REGIONS = {
    "bulbar": ("speech", "salivation", "swallowing"),
    "upper_limb": ("handwriting", "cutting_food"),
    "lower_limb": ("walking",),
}
STAGES = ("stage_2", "stage_3", "stage_4a", "stage_4b", "stage_4")


def stage_times(courses: Courses) -> pd.DataFrame:
    """Per patient, months since onset at which each stage begins (``nan``: not before the
    endpoint). Columns :data:`STAGES`."""
    involved = np.column_stack([
        np.min([courses.time_at_score(item, 3) for item in items], axis=0) for items in REGIONS.values()
    ])
    by_order = np.sort(involved, axis=1)
    gastrostomy = courses.time_at_score("swallowing", 1)
    niv = np.minimum(courses.time_at_score("respiratory_insufficiency", 3), courses.time_at_score("dyspnoea", 0))
    times = {"stage_2": by_order[:, 1], "stage_3": by_order[:, 2], "stage_4a": gastrostomy, "stage_4b": niv,
             "stage_4": np.minimum(gastrostomy, niv)}
    death = courses.death
    return pd.DataFrame({name: np.where(t < death, t, np.nan) for name, t in times.items()})


def stage_at(times: pd.DataFrame, months_since_onset: np.ndarray) -> np.ndarray:
    """The King's stage (1, 2, 3 or 4) of each patient at the given months since onset."""
    t = np.asarray(months_since_onset, float)
    stage = np.ones(len(times), dtype=np.int8)
    for number, column in ((2, "stage_2"), (3, "stage_3"), (4, "stage_4")):
        reached = times[column].to_numpy() <= t
        stage = np.where(reached, np.maximum(stage, number), stage)
    return stage


def stage_durations(times: pd.DataFrame, death: np.ndarray) -> pd.DataFrame:
    """Per patient, months spent in King's stages 1-4 (columns ``stage_1`` .. ``stage_4``;
    ``nan``: the stage was skipped, e.g. stage 3 when gastrostomy or NIV came first). A
    stage lasts from its start to the start of the next stage entered, or to the endpoint."""
    stage4 = times["stage_4"].to_numpy()
    starts = [np.zeros(len(times))]
    for column in ("stage_2", "stage_3"):
        t = times[column].to_numpy()
        starts.append(np.where(t < np.nan_to_num(stage4, nan=np.inf), t, np.nan))  # skipped once stage 4 came first
    starts.append(stage4)
    starts = np.column_stack(starts)  # (n, 4)
    out = {}
    for k in range(4):
        later = starts[:, k + 1:]
        end = np.fmin.reduce(later, axis=1, initial=np.inf) if later.shape[1] else np.full(len(times), np.inf)
        end = np.where(np.isfinite(end), end, death)
        out[f"stage_{k + 1}"] = np.where(np.isnan(starts[:, k]), np.nan, end - starts[:, k])
    return pd.DataFrame(out)

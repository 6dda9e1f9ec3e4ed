"""Running replications in tests: one at a time (the reference a batch must equal)."""

from __future__ import annotations

import pandas as pd

from ivp.models.process import KpiReducer, MonteCarloResult, run


def one_replication(scenario, cohort, seed: int, k: int = 0, *, engine: str = "auto", catalog=None,
                    per_provision: bool = True, per_year: bool = False) -> MonteCarloResult:
    """Replication ``k`` alone, with its KPI rows, request frame and patients."""
    return run(scenario, cohort, [k], seed=seed, engine=engine, catalog=catalog,
               reducer=KpiReducer(per_provision, per_year, keep_frame=True))


def one_by_one(scenario, cohort, seed: int, ks, **kwargs):
    """Replications ``ks`` each on its own, joined: (kpis, frame, patients, events)."""
    runs = [one_replication(scenario, cohort, seed, k, **kwargs) for k in ks]
    frames = [r.frame for r in runs if len(r.frame)]
    return (pd.concat([r.kpis for r in runs], ignore_index=True),
            pd.concat(frames, ignore_index=True) if frames else None,
            pd.concat([r.patients for r in runs], ignore_index=True), sum(r.events for r in runs))

"""Comparing routes on the same patients: the headline metrics of ``ivp simulate`` and the
app's comparison page, per replication and with the paired difference between scenarios."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ivp.models.process import replication_stats

COMPARISON_ROWS = (
    # metric, Dutch label, unit (number1/number0/share/per100/perpatient/euro)
    ("gap_days_mean", "Gat tussen behoefte en levering, gemiddeld (dagen)", "number1"),
    ("gap_days_p90", "Gat tussen behoefte en levering, P90 (dagen)", "number0"),
    ("share_patients_gap_over_20wd", "Patiënten met een gat > 20 werkdagen", "share"),
    ("share_requests_gap_over_20wd", "Aanvragen met een gat > 20 werkdagen", "share"),
    ("gap_days_mean_after_diagnosis", "Behoefte ná diagnose: gat, gemiddeld (dagen)", "number1"),
    ("share_requests_gap_over_20wd_after_diagnosis", "Behoefte ná diagnose: aanvragen met een gat > 20 werkdagen", "share"),
    ("share_patients_gap_over_20wd_after_diagnosis", "Behoefte ná diagnose: patiënten met een gat > 20 werkdagen", "share"),
    ("wait_werkdagen_mean", "Melding tot levering, gemiddeld (werkdagen)", "number1"),
    ("delivered_after_death", "Geleverd na overlijden (per 100 patiënten)", "per100"),
    ("obsolete_on_arrival", "Geleverd toen niet meer bruikbaar (per 100 patiënten)", "per100"),
    ("successor_needed_before_delivery", "Opvolger al nodig bij levering (per 100 patiënten)", "per100"),
    ("not_delivered", "Nodig maar niet geleverd (per 100 patiënten)", "per100"),
    ("requests", "Aanvragen (per patiënt)", "perpatient"),
    ("cost_eur_per_patient", "Kosten per patiënt", "euro"),
)
"""The headline metrics of a comparison (``ivp simulate``, the app's comparison page), in
order: ``(metric, Dutch label, unit)``. Units: ``number1`` / ``number0`` (shown with 1 / 0
decimals), ``share`` (fraction 0-1), ``per100`` (per 100 patients per replication),
``perpatient`` (per patient), ``euro``."""


def per_replication(result, metric: str) -> pd.Series:
    """The overall KPI ``metric`` of a :class:`~ivp.models.process.MonteCarloResult`
    per replication, scaled to its unit in :data:`COMPARISON_ROWS` (per 100 patients, per
    patient); all ``nan`` if the metric is missing in every replication."""
    k = result.kpis
    over = k[k["group"] == "overall"].pivot_table(index="replication", columns="metric", values="value")
    kind = dict((m, kd) for m, _, kd in COMPARISON_ROWS).get(metric)
    if metric not in over:  # NaN in every replication (e.g. no need arose after diagnosis)
        return pd.Series(np.nan, index=over.index, name=metric)
    values = over[metric]
    if kind == "per100":
        values = 100 * values / over["patients"].replace(0, np.nan)
    elif kind == "perpatient":
        values = values / over["patients"].replace(0, np.nan)
    return values


def comparison_records(results) -> list[dict]:
    """One record per headline metric (:data:`COMPARISON_ROWS`) for a list of
    :class:`~ivp.models.process.MonteCarloResult` run on the same patients: ``metric``,
    ``label_nl``, ``unit``, ``scenarios`` (each scenario's :func:`replication_stats`) and, for
    two scenarios, ``difference``: the paired difference per replication (second minus
    first) with its 95 % CI. The layout of ``comparison`` in ``ivp simulate --format json``."""
    records = []
    for metric, label, kind in COMPARISON_ROWS:
        per = [per_replication(r, metric) for r in results]
        rec = {"metric": metric, "label_nl": label, "unit": kind,
               "scenarios": [replication_stats(p) for p in per]}
        if len(results) == 2:
            diff = (per[1] - per[0]).dropna()
            rec["difference"] = replication_stats(diff)
        records.append(rec)
    return records

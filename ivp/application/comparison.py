"""Comparing routes on the same patients: the headline metrics of ``ivp simulate`` and the
app's comparison page, per replication and with the paired difference between scenarios."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ivp.domain.catalog import load_norms
from ivp.domain.messages import Lang, text
from ivp.models.process import replication_stats
from ivp.models.process.compliance import MEASURED_NORMS

COMPARISON_ROWS = (
    # metric, Dutch label, unit (number1/number0/share/per100/perpatient/euro)
    ("gap_days_mean", "Gat tussen behoefte en levering, gemiddeld (dagen)", "number1"),
    ("unbridged_gap_days_mean", "Gat zonder enig hulpmiddel (ook geen leen), gemiddeld (dagen)", "number1"),
    ("bridged_days_mean", "Overbrugd met een leenhulpmiddel, gemiddeld (dagen)", "number1"),
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
    ("share_requests_pgb", "Aanvragen met pgb of financiële tegemoetkoming", "share"),
    ("share_patients_wlz", "Cliënten die naar een Wlz-instelling gaan", "share"),
    ("requests_cancelled_wlz", "Wmo-aanvragen vervallen bij Wlz-opname (per 100 patiënten)", "per100"),
    ("requests_restarted_move", "Wmo-aanvragen opnieuw na verhuizing (per 100 patiënten)", "per100"),
    ("cost_eur_per_patient", "Kosten per patiënt (catalogusprijzen, met huur van leenhulpmiddelen)", "euro"),
    ("bridge_cost_eur", "waarvan huur van leenhulpmiddelen", "europerpatient"),
)
"""The headline metrics of a comparison (``ivp simulate``, the app's comparison page), in
order: ``(metric, Dutch label, unit)``. Units: ``number1`` / ``number0`` (shown with 1 / 0
decimals), ``share`` (fraction 0-1), ``per100`` (per 100 patients per replication),
``perpatient`` (per patient), ``euro``, ``europerpatient`` (euros per patient)."""


def overall_table(result) -> pd.DataFrame:
    """The overall KPIs of a result, one row per replication (pivot it once and pass it to
    :func:`per_replication` when reading many metrics: a comparison reads about twenty)."""
    k = result.kpis
    return k[k["group"] == "overall"].pivot_table(index="replication", columns="metric", values="value")


def per_replication(result, metric: str, overall: pd.DataFrame | None = None) -> pd.Series:
    """The overall KPI ``metric`` of a :class:`~ivp.models.process.MonteCarloResult`
    per replication, scaled to its unit in :data:`COMPARISON_ROWS` (per 100 patients, per
    patient); all ``nan`` if the metric is missing in every replication."""
    over = overall_table(result) if overall is None else overall
    kind = dict((m, kd) for m, _, kd in COMPARISON_ROWS).get(metric)
    if metric not in over:  # NaN in every replication (e.g. no need arose after diagnosis)
        return pd.Series(np.nan, index=over.index, name=metric)
    values = over[metric]
    if kind == "per100":
        values = 100 * values / over["patients"].replace(0, np.nan)
    elif kind in ("perpatient", "europerpatient"):
        values = values / over["patients"].replace(0, np.nan)
    return values


def comparison_records(results) -> list[dict]:
    """One record per headline metric (:data:`COMPARISON_ROWS`) for a list of
    :class:`~ivp.models.process.MonteCarloResult` run on the same patients: ``metric``,
    ``label_nl``, ``unit``, ``scenarios`` (each scenario's :func:`replication_stats`) and, for
    two scenarios, ``difference``: the paired difference per replication (second minus
    first) with its 95 % CI. The layout of ``comparison`` in ``ivp simulate --format json``."""
    records = []
    tables = [overall_table(r) for r in results]
    for metric, label, kind in COMPARISON_ROWS:
        per = [per_replication(r, metric, table) for r, table in zip(results, tables)]
        rec = {"metric": metric, "label_nl": label, "unit": kind,
               "scenarios": [replication_stats(p) for p in per]}
        if len(results) == 2:
            diff = (per[1] - per[0]).dropna()
            rec["difference"] = replication_stats(diff)
        records.append(rec)
    return records


def compliance_records(results) -> list[dict]:
    """Per scenario and measured norm (:mod:`ivp.models.process.compliance`): ``scenario``,
    ``norm``, its ``limit`` and ``unit``, ``share_breached`` (:func:`replication_stats` over
    replications of the share of applicable requests that broke it) and ``requests`` (the
    mean number of applicable requests per replication). The ``compliance`` list of
    ``ivp simulate --format json``."""
    norms = load_norms()
    records = []
    for result in results:
        k = result.kpis[result.kpis["group"] == "norm"]
        wide = k.pivot_table(index=["key", "replication"], columns="metric", values="value")
        for name in MEASURED_NORMS:
            norm = getattr(norms, name)
            part = wide.loc[name] if name in wide.index.get_level_values(0) else pd.DataFrame()
            share = part["norm_share_breached"] if "norm_share_breached" in part else pd.Series(dtype=float)
            count = part["norm_requests"] if "norm_requests" in part else pd.Series(dtype=float)
            records.append({"scenario": result.scenario.name, "norm": name, "limit": norm.limit, "unit": norm.unit,
                            "share_breached": replication_stats(share),
                            "requests": float(count.mean()) if len(count) else 0.0})
    return records


def comparison_table(results, names: list[str], lang: Lang = "nl") -> pd.DataFrame:
    """The headline comparison as one row per outcome in ``lang``, numbers as numbers (the
    Excel and CSV exports): the outcome, ``unit`` (its kind, for the number format), per route
    its mean, P10 and P90 over replications, and with two routes the paired difference B - A
    with its 95 % CI."""
    say = _words(lang)
    rows = []
    for rec in comparison_records(results):
        row = {say("xlsx.cmp.outcome"): text(f"compare.metric.{rec['metric']}", lang), "unit": rec["unit"]}
        for name, stats in zip(names, rec["scenarios"]):
            row.update({f"{name}: {say('xlsx.cmp.mean')}": stats["mean"], f"{name}: P10": stats["p10"],
                        f"{name}: P90": stats["p90"]})
        if "difference" in rec:
            d = rec["difference"]
            row.update({say("xlsx.cmp.difference"): d["mean"], say("xlsx.cmp.ci_low"): d["ci95_low"], say("xlsx.cmp.ci_high"): d["ci95_high"]})
        rows.append(row)
    return pd.DataFrame(rows)


def compliance_table(results, names: list[str], lang: Lang = "nl") -> pd.DataFrame:
    """The compliance report as one row per norm in ``lang`` (the Excel and CSV exports): the
    norm, its limit and unit, per route the share of applicable requests that broke it (mean,
    P10, P90 over replications; empty where the norm applies to none) and the applicable
    requests per replication."""
    say = _words(lang)
    by = {(r["scenario"], r["norm"]): r for r in compliance_records(results)}
    rows = []
    for norm in MEASURED_NORMS:
        first = by[(results[0].scenario.name, norm)]
        row = {say("xlsx.cmp.norm"): text(f"norm.{norm}", lang), say("xlsx.cmp.limit"): first["limit"],
               say("xlsx.cmp.unit"): text(f"unit.{first['unit']}", lang)}
        for name, result in zip(names, results):
            r = by[(result.scenario.name, norm)]
            row.update({f"{name}: {say('xlsx.cmp.breached')}": r["share_breached"]["mean"],
                        f"{name}: P10": r["share_breached"]["p10"], f"{name}: P90": r["share_breached"]["p90"],
                        f"{name}: {say('xlsx.cmp.requests')}": r["requests"]})
        rows.append(row)
    return pd.DataFrame(rows)


def comparison_csv(results, names: list[str], lang: Lang = "nl") -> bytes:
    """Both tables of a comparison in one CSV (UTF-8 with BOM), for Dutch spreadsheets
    (semicolon, decimal comma) or English ones (comma, decimal point): the outcomes, then the
    norms, with a first column saying which."""
    say = _words(lang)
    outcomes = comparison_table(results, names, lang).drop(columns="unit").rename(columns={say("xlsx.cmp.outcome"): say("xlsx.cmp.row")})
    norms = compliance_table(results, names, lang).rename(columns={say("xlsx.cmp.norm"): say("xlsx.cmp.row")})
    both = pd.concat([outcomes.assign(**{say("xlsx.cmp.table"): say("xlsx.cmp.outcomes")}), norms.assign(**{say("xlsx.cmp.table"): say("xlsx.cmp.norms")})],
                     ignore_index=True)
    both = both[[say("xlsx.cmp.table"), *[c for c in both.columns if c != say("xlsx.cmp.table")]]]
    separator, decimal = (";", ",") if lang == "nl" else (",", ".")
    return both.to_csv(sep=separator, decimal=decimal, index=False).encode("utf-8-sig")


def _words(lang: Lang):
    """``say(key)``: the catalogue's text in ``lang``."""
    return lambda key: text(key, lang)

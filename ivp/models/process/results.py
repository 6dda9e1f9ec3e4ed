"""Results: the request frame (one row per patient-provision), KPI rows and summaries.

The request frame is the contract with the budget, the reports and the app; its columns are
documented in docs/architecture.md ("The request frame") and docs/model.md. Large runs do
not keep frames: a replication returns KPI rows (:func:`kpi_rows`), long-format
``(replication, group, key, metric, value)``, which :func:`summarise` turns into mean,
P10/P50/P90 and a 95 % confidence interval of the mean over replications.
"""

from __future__ import annotations

import math
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import stdtrit

from ivp.domain.calendar import WorkdayCalendar
from ivp.domain.catalog import FINANCIERS, REUSE_CLASSES
from ivp.domain.units import DAYS_PER_MONTH
from ivp.domain.yamlfile import read_mapping
from ivp.models.process.compliance import MEASURED_NORMS, norm_checks
from ivp.models.process.engines import Outcome
from ivp.models.process.requests import ProvisionArrays, Requests, lex_order


def _outcome_parameter(name: str):
    path = Path(__file__).with_name("outcomes.yaml")
    return read_mapping(path, "the outcome parameters")[name]["value"]


GAP_THRESHOLD_WERKDAGEN: int = _outcome_parameter("gap_threshold_werkdagen")
"""A gap over this many werkdagen is 'clearly late' (``outcomes.yaml``, with its rationale)."""

AFTER_DIAGNOSIS_DAY = 0
"""Needs that *arise after diagnosis* start strictly after this day since diagnosis
(``need_start_day > 0``). A need already present on the day of diagnosis (day 0) can at best
be reported (melding) at diagnosis, when the IVP is set, and no route delivers on the same
day, so its gap is made by the disease, not by the route; the ``*_after_diagnosis`` KPIs
leave those needs out to show what the route changes for needs that come later."""

FRAME_COLUMNS = (
    "replication", "patient_id", "provision_id", "financier", "reuse", "diagnosis_date",
    "need_start_day", "need_end_day", "trigger_day", "death_day", "melding_day",
    "advice_day", "decision_day", "fitting_day", "delivery_day",
    "delivered_before_need_end", "gap_days", "gap_werkdagen", "wait_werkdagen",
    "delivered_after_death", "obsolete_on_arrival", "successor_needed_before_delivery",
    "cancelled", "pgb", "contribution", "repeat_request", "reassessed", "fast_tracked", "from_depot", "item_id",
    "cost_eur", "cost_day", "depot_cost_eur", "use_end_day",
    "confirmation_day", "bridge_day", "bridge_end_day", "bridged_days", "unbridged_gap_days", "bridge_cost_eur",
    "adaptation_day", "wlz_day", "move_day", "restarted_by_move", "handover_day",
)


def _successor_start(req: Requests, provisions: ProvisionArrays) -> np.ndarray:
    """Need start of the next provision in the same chain for the same patient (the first
    strictly later need start), ``nan`` if none."""
    n = req.n
    out = np.full(n, np.nan)
    if n == 0:
        return out
    chain = provisions.chain[req.prov].astype(np.int64)
    group = req.patient.astype(np.int64) * 1024 + chain
    order = lex_order(req.need_start, group)
    g, ns = group[order], req.need_start[order]
    # Position of the first row with a larger (group, need_start) pair: need starts are
    # whole days (>= 0, < 2**24), so the pair packs exactly into one int64.
    key = g * (1 << 24) + ns.astype(np.int64)
    nxt = np.searchsorted(key, key, side="right")
    valid = nxt < n
    nxt_c = np.minimum(nxt, n - 1)
    same = valid & (g[nxt_c] == g)
    res = np.where(same, ns[nxt_c], np.nan)
    out[order] = res
    return out


def derive(req: Requests, out: Outcome, provisions: ProvisionArrays, cal: WorkdayCalendar) -> dict[str, np.ndarray]:
    """The derived per-request columns (days since diagnosis), as arrays."""
    diag = req.diagnosis
    rel = {k: getattr(out, k) - diag for k in ("advice", "decision", "fitting", "delivery")}
    delivered = ~np.isnan(rel["delivery"])
    dlv = rel["delivery"]
    cut = np.minimum(np.where(delivered, dlv, np.inf), np.minimum(req.need_end, req.death))
    gap_days = np.maximum(cut - req.need_start, 0.0)
    a = (diag + req.need_start).astype(np.int64)
    b = (diag + req.need_start + gap_days).astype(np.int64)
    gap_wd = cal.werkdagen_between_daynums(a, b).astype(float)
    melding_rel = req.melding - diag
    wait = np.full(req.n, np.nan)
    if delivered.any():
        m = (req.melding[delivered]).astype(np.int64)
        d = (out.delivery[delivered]).astype(np.int64)
        wait[delivered] = cal.werkdagen_between_daynums(m, d)
    after_death = delivered & (dlv > req.death)
    obsolete = delivered & (dlv >= req.need_end) & ~after_death
    succ = _successor_start(req, provisions)
    successor_needed = delivered & (succ <= dlv)
    bought = delivered & ~out.from_depot
    cost_cat = provisions.cost[req.prov] * req.cost_share
    cost = np.where(bought, cost_cat, 0.0)
    pgb_day = np.maximum(dlv, rel["decision"])
    cost_day = np.where(bought, np.where(req.pgb, pgb_day, dlv), np.nan)
    use_end = np.where(delivered, np.maximum(dlv, req.need_end), np.nan)
    # a loan device serves from its arrival (not before the need starts) until the gap ends:
    # the definitive delivery, the end of the need or death; its rent runs as long
    loan_from = np.maximum(req.bridge - diag, req.need_start)
    served = ~np.isnan(loan_from) & (loan_from < cut)
    bridged = np.where(served, cut - loan_from, 0.0)
    bridge_months = bridged / DAYS_PER_MONTH
    # after-adaptation of a device in use; the day the Wmo hands a device in use over (Wlz
    # entry: its use for the Wmo ends; a move: the receiving municipality takes it over)
    adaptation = np.where(delivered & (req.adapt >= dlv) & (req.adapt < use_end), req.adapt, np.nan)
    wlz_day, move_day = req.wlz - diag, req.move - diag
    at_wlz = delivered & (dlv < wlz_day) & (use_end == wlz_day)
    at_move = delivered & (dlv <= move_day) & (move_day < use_end)
    handover = np.where(at_wlz, wlz_day, np.where(at_move, move_day, np.nan))
    return dict(
        melding_day=melding_rel, advice_day=rel["advice"], decision_day=rel["decision"],
        fitting_day=rel["fitting"], delivery_day=dlv,
        delivered_before_need_end=delivered & (dlv < req.need_end),
        gap_days=gap_days, gap_werkdagen=gap_wd, wait_werkdagen=wait,
        delivered_after_death=after_death, obsolete_on_arrival=obsolete,
        successor_needed_before_delivery=successor_needed,
        cost_eur=cost, cost_day=cost_day, use_end_day=use_end, delivered=delivered,
        confirmation_day=req.planned_end["confirmation"] - diag,
        bridge_day=np.where(served, loan_from, np.nan), bridge_end_day=np.where(served, cut, np.nan),
        bridged_days=bridged, unbridged_gap_days=gap_days - bridged,
        bridge_cost_eur=req.bridge_rent * bridge_months,
        adaptation_day=adaptation, wlz_day=wlz_day, move_day=move_day, handover_day=handover,
    )


def request_frame(
    req: Requests, out: Outcome, provisions: ProvisionArrays, cal: WorkdayCalendar,
    patient_ids: np.ndarray, replication, refurbishment_cost_share: float = 0.0, derived: dict | None = None,
) -> pd.DataFrame:
    """The request frame of one replication, or of a batch of stacked replications (see
    docs/architecture.md): ``replication`` is the replication number, or for a batch the
    numbers of its replications in order; ``patient_ids`` are indexed by ``req.patient``;
    ``derived``: :func:`derive` of these requests if already computed."""
    d = derived if derived is not None else derive(req, out, provisions, cal)
    reuse = np.where(provisions.reusable, 1, 0).astype(np.int8)
    depot_cost = np.where(out.from_depot & d["delivered"], refurbishment_cost_share * provisions.cost[req.prov], 0.0)
    frame = pd.DataFrame({
        "replication": _replication_column(req, replication),
        "patient_id": np.asarray(patient_ids)[req.patient],
        "provision_id": pd.Categorical.from_codes(req.prov, dtype=_categories(provisions.ids), validate=False),
        "financier": pd.Categorical.from_codes(req.financier, dtype=_categories(FINANCIERS), validate=False),
        "reuse": pd.Categorical.from_codes(reuse[req.prov], dtype=_categories(REUSE_CLASSES), validate=False),
        "diagnosis_date": req.diagnosis.astype(np.int64).astype("datetime64[D]"),
        "need_start_day": req.need_start, "need_end_day": req.need_end,
        "trigger_day": req.trigger, "death_day": req.death,
        "melding_day": d["melding_day"], "advice_day": d["advice_day"], "decision_day": d["decision_day"],
        "fitting_day": d["fitting_day"], "delivery_day": d["delivery_day"],
        "delivered_before_need_end": d["delivered_before_need_end"],
        "gap_days": d["gap_days"], "gap_werkdagen": d["gap_werkdagen"], "wait_werkdagen": d["wait_werkdagen"],
        "delivered_after_death": d["delivered_after_death"], "obsolete_on_arrival": d["obsolete_on_arrival"],
        "successor_needed_before_delivery": d["successor_needed_before_delivery"],
        "cancelled": out.cancelled, "pgb": req.pgb, "contribution": req.contribution, "repeat_request": req.repeat,
        "reassessed": req.reassessed, "fast_tracked": req.fast_tracked,
        "from_depot": out.from_depot & d["delivered"], "item_id": out.item_id,
        "cost_eur": d["cost_eur"], "cost_day": d["cost_day"], "depot_cost_eur": depot_cost,
        "use_end_day": d["use_end_day"], "confirmation_day": d["confirmation_day"], "bridge_day": d["bridge_day"],
        "bridge_end_day": d["bridge_end_day"],
        "bridged_days": d["bridged_days"], "unbridged_gap_days": d["unbridged_gap_days"],
        "bridge_cost_eur": d["bridge_cost_eur"],
        "adaptation_day": d["adaptation_day"], "wlz_day": d["wlz_day"], "move_day": d["move_day"],
        "restarted_by_move": req.restarted, "handover_day": d["handover_day"],
    })
    return frame


@lru_cache(maxsize=32)
def _categories(values: tuple[str, ...]) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(categories=list(values))


def _replication_column(req: Requests, replication) -> np.ndarray:
    if np.ndim(replication) == 0:
        return np.full(req.n, replication, dtype=np.int64)
    return np.asarray(replication, dtype=np.int64)[req.replication]


KPI_METRICS = (
    "patients", "requests", "delivered", "gap_days_mean", "gap_days_p90", "gap_werkdagen_mean",
    "share_patients_gap_over_20wd", "share_requests_gap_over_20wd", "wait_werkdagen_mean",
    "delivered_after_death", "obsolete_on_arrival", "not_delivered", "successor_needed_before_delivery",
    "from_depot", "cost_eur", "cost_eur_per_patient", "depot_savings_eur",
    "requests_after_diagnosis", "gap_days_mean_after_diagnosis", "share_requests_gap_over_20wd_after_diagnosis",
    "share_patients_gap_over_20wd_after_diagnosis", "bridged_days_mean", "unbridged_gap_days_mean",
    "bridge_cost_eur", "share_requests_pgb", "share_patients_wlz", "share_patients_moved",
    "requests_cancelled_wlz", "requests_not_made_wlz", "requests_restarted_move",
)
"""Per replication, overall and per provision. Counts are numbers of requests; shares are
fractions (0-1); money in euros."""


def _group_stats(code: np.ndarray, n_groups: int, gap_days, gap_wd, wait, delivered, after_death, obsolete,
                 successor, from_depot, cost, saved, later, bridged, unbridged, bridge_cost,
                 pgb, cancelled_wlz, not_made_wlz, restarted) -> dict[str, np.ndarray]:
    """Every KPI per group code, vectorised (bincount and one sort for the P90)."""
    count = np.bincount(code, minlength=n_groups).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        def total(x):
            return np.bincount(code, weights=np.asarray(x, dtype=float), minlength=n_groups)

        def mean(x):
            return np.where(count > 0, total(x) / count, np.nan)

        over = gap_wd > GAP_THRESHOLD_WERKDAGEN
        finite = ~np.isnan(wait)
        n_wait = np.bincount(code, weights=finite.astype(float), minlength=n_groups)
        wait_mean = np.where(n_wait > 0, total(np.where(finite, wait, 0.0)) / n_wait, np.nan)
        # P90 of gap days per group (linear interpolation, as numpy.percentile)
        order = lex_order(gap_days, code)
        sorted_gap = gap_days[order]
        first = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
        pos = (np.maximum(count, 1) - 1) * 0.9
        lo = np.floor(pos).astype(np.int64)
        hi = np.ceil(pos).astype(np.int64)
        p90 = np.full(n_groups, np.nan)
        has = count > 0
        if has.any():
            a = sorted_gap[first[has] + lo[has]]
            b = sorted_gap[first[has] + hi[has]]
            p90[has] = a + (b - a) * (pos[has] - lo[has])
        n_delivered = total(delivered)
        n_later = total(later)
        later_mean = lambda x: np.where(n_later > 0, total(np.where(later, x, 0.0)) / np.maximum(n_later, 1), np.nan)  # noqa: E731
        return {
            "requests": count,
            "delivered": n_delivered,
            "gap_days_mean": mean(gap_days),
            "gap_days_p90": p90,
            "gap_werkdagen_mean": mean(gap_wd),
            "share_requests_gap_over_20wd": mean(over),
            "wait_werkdagen_mean": wait_mean,
            "delivered_after_death": total(after_death),
            "obsolete_on_arrival": total(obsolete),
            "not_delivered": count - n_delivered,
            "successor_needed_before_delivery": total(successor),
            "from_depot": total(from_depot),
            "cost_eur": total(cost) + total(bridge_cost),
            "depot_savings_eur": total(saved),
            "bridged_days_mean": mean(bridged),
            "unbridged_gap_days_mean": mean(unbridged),
            "bridge_cost_eur": total(bridge_cost),
            "share_requests_pgb": mean(pgb),
            "requests_cancelled_wlz": total(cancelled_wlz),
            "requests_not_made_wlz": total(not_made_wlz),
            "requests_restarted_move": total(restarted),
            "requests_after_diagnosis": n_later,
            "gap_days_mean_after_diagnosis": later_mean(gap_days),
            "share_requests_gap_over_20wd_after_diagnosis": later_mean(over.astype(float)),
        }


def kpi_rows(
    req: Requests, out: Outcome, provisions: ProvisionArrays, cal: WorkdayCalendar, replication,
    n_patients, per_provision: bool = True, per_year: bool = False,
    refurbishment_cost_share: float = 0.0, derived: dict | None = None,
) -> pd.DataFrame:
    """Long-format KPI rows: ``group`` is ``overall``, ``provision`` (key = provision id) or
    ``year`` (key = calendar year of the cost day).

    One replication (``replication`` and ``n_patients`` numbers) or a batch of stacked
    replications (both arrays, one entry per replication of ``req``): the rows are then
    exactly those of each replication on its own, one replication after the other.
    """
    R = req.n_reps
    reps = np.asarray(replication, dtype=np.int64).reshape(-1) if np.ndim(replication) else np.full(R, replication, dtype=np.int64)
    n_pat = np.asarray(n_patients, dtype=float).reshape(-1) if np.ndim(n_patients) else np.full(R, float(n_patients))
    rep = req.replication.astype(np.int64)
    d = derived if derived is not None else derive(req, out, provisions, cal)
    delivered = d["delivered"]
    from_depot = out.from_depot & delivered
    saved = np.where(from_depot, provisions.cost[req.prov] * (1 - refurbishment_cost_share), 0.0)
    later = req.need_start > AFTER_DIAGNOSIS_DAY  # needs that arise after diagnosis
    by_wlz = ~np.isnan(req.wlz)
    cancelled_wlz = out.cancelled & by_wlz & (req.cancel == req.wlz)
    not_made_wlz = by_wlz & np.isnan(req.melding)
    cols = (d["gap_days"], d["gap_werkdagen"], d["wait_werkdagen"], delivered, d["delivered_after_death"],
            d["obsolete_on_arrival"], d["successor_needed_before_delivery"], from_depot, d["cost_eur"], saved,
            later, d["bridged_days"], d["unbridged_gap_days"], d["bridge_cost_eur"], req.pgb,
            cancelled_wlz, not_made_wlz, req.restarted)
    # Rows are emitted in blocks (one block per group and metric, in the order of the
    # one-replication layout); within a replication a block lists its keys in order.
    # A block's keys are given as labels and, per row, the code of its label: the text
    # columns are then made from a few labels, not from a million repeated strings
    # (measured: converting those was a tenth of a comparison's time).
    blocks: list[tuple[np.ndarray, np.ndarray, str, tuple[list, np.ndarray], str, np.ndarray]] = []

    def emit(group, rep_idx, keypos, keys, stats):
        for metric, arr in stats.items():
            blocks.append((rep_idx, keypos, group, keys, metric, np.asarray(arr, dtype=float)))

    all_reps = np.arange(R)
    overall = _group_stats(rep, R, *cols)
    over = d["gap_werkdagen"] > GAP_THRESHOLD_WERKDAGEN
    patients_over = np.unique(req.patient[over])
    patient_rep = np.repeat(np.arange(R), req.rep_patients)
    n_over = np.bincount(patient_rep[patients_over], minlength=R).astype(float)
    n_over_later = np.bincount(patient_rep[np.unique(req.patient[over & later])], minlength=R).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        overall = {"patients": n_pat.copy(), **overall}
        overall["share_patients_gap_over_20wd"] = np.where(n_pat > 0, n_over / np.where(n_pat > 0, n_pat, 1), np.nan)
        overall["cost_eur_per_patient"] = np.where(n_pat > 0, overall["cost_eur"] / np.where(n_pat > 0, n_pat, 1), np.nan)
        overall["share_patients_gap_over_20wd_after_diagnosis"] = np.where(
            n_pat > 0, n_over_later / np.where(n_pat > 0, n_pat, 1), np.nan)
        for metric, days in (("share_patients_wlz", req.patient_wlz), ("share_patients_moved", req.patient_move)):
            n_event = np.bincount(patient_rep, weights=(~np.isnan(days)).astype(float), minlength=R)
            overall[metric] = np.where(n_pat > 0, n_event / np.where(n_pat > 0, n_pat, 1), np.nan)
    emit("overall", all_reps, np.zeros(R, dtype=np.int64), (["all"], np.zeros(R, dtype=np.int64)), overall)
    if per_provision and req.n:
        P = len(provisions.ids)
        stats = _group_stats(rep * P + req.prov.astype(np.int64), R * P, *cols)
        present = stats["requests"] > 0
        n_req = stats["requests"]  # one request per patient and provision
        stats["share_patients_gap_over_20wd"] = stats["share_requests_gap_over_20wd"]
        stats["share_patients_gap_over_20wd_after_diagnosis"] = stats["share_requests_gap_over_20wd_after_diagnosis"]
        with np.errstate(invalid="ignore", divide="ignore"):
            stats["cost_eur_per_patient"] = np.where(n_req > 0, stats["cost_eur"] / np.maximum(n_req, 1), np.nan)
        cells = np.flatnonzero(present)
        ids = np.array(provisions.ids, dtype=object)
        emit("provision", cells // P, cells % P, (list(ids), cells % P), {m: v[present] for m, v in stats.items()})
    if req.n:
        checks = norm_checks(req, out, provisions, cal)
        names = np.array(MEASURED_NORMS, dtype=object)
        stats = {"norm_requests": [], "norm_share_breached": []}
        for name in MEASURED_NORMS:
            c = checks[name]
            applicable = np.bincount(rep, weights=c.applies.astype(float), minlength=R)
            broken = np.bincount(rep, weights=c.breached.astype(float), minlength=R)
            stats["norm_requests"].append(applicable)
            with np.errstate(invalid="ignore", divide="ignore"):
                stats["norm_share_breached"].append(np.where(applicable > 0, broken / np.maximum(applicable, 1), np.nan))
        K = len(MEASURED_NORMS)
        rep_idx = np.repeat(all_reps, K)
        keypos = np.tile(np.arange(K), R)
        emit("norm", rep_idx, keypos, (list(names), keypos), {m: np.column_stack(v).reshape(-1) for m, v in stats.items()})
    if per_year and req.n:
        cost_abs = d["cost_day"] + req.diagnosis
        ok = ~np.isnan(cost_abs)
        yr = np.full(req.n, -1, dtype=np.int64)
        yr[ok] = cost_abs[ok].astype(np.int64).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
        pairs = rep[ok] * 100_000 + yr[ok]
        uniq = np.unique(pairs)
        if uniq.size:
            code = np.searchsorted(uniq, pairs)
            n_y = len(uniq)
            years = uniq % 100_000
            emit("year", uniq // 100_000, years, ([str(y) for y in years], np.arange(n_y)), {
                "cost_eur": np.bincount(code, weights=d["cost_eur"][ok], minlength=n_y),
                "depot_savings_eur": np.bincount(code, weights=saved[ok], minlength=n_y),
                "delivered": np.bincount(code, minlength=n_y).astype(float),
                "from_depot": np.bincount(code, weights=from_depot[ok].astype(float), minlength=n_y),
            })
        diag_year = req.diagnosis.astype(np.int64).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
        first_req = np.unique(req.patient, return_index=True)[1]
        dpairs, counts = np.unique(rep[first_req] * 100_000 + diag_year[first_req], return_counts=True)
        dy = dpairs % 100_000
        emit("year", dpairs // 100_000, dy, ([str(y) for y in dy], np.arange(len(dy))),
             {"new_patients_with_requests": counts.astype(float)})
    rep_idx = np.concatenate([b[0] for b in blocks]).astype(np.int64)
    keypos = np.concatenate([b[1] for b in blocks]).astype(np.int64)
    block = np.concatenate([np.full(len(b[0]), i, dtype=np.int64) for i, b in enumerate(blocks)])
    order = lex_order(keypos, block, rep_idx) if R > 1 else lex_order(keypos, block)
    sizes = [len(b[0]) for b in blocks]
    key_labels, key_codes, offset = [], [], 0
    for b in blocks:
        labels, codes = b[3]
        key_labels += labels
        key_codes.append(np.asarray(codes, dtype=np.int64) + offset)
        offset += len(labels)
    return pd.DataFrame({
        "replication": reps[rep_idx[order]],
        "group": _texts([b[2] for b in blocks], np.repeat(np.arange(len(blocks)), sizes)[order]),
        "key": _texts(key_labels, np.concatenate(key_codes)[order]),
        "metric": _texts([b[4] for b in blocks], np.repeat(np.arange(len(blocks)), sizes)[order]),
        "value": np.concatenate([b[5] for b in blocks])[order],
    })


def _texts(labels: list[str], codes: np.ndarray) -> pd.Series:
    """The text column whose row ``i`` is ``labels[codes[i]]`` (pandas' text dtype)."""
    return pd.Series(pd.array(labels, dtype="str").take(codes))


def t_quantile(p, df):
    """Quantile ``p`` of Student's t distribution with ``df`` degrees of freedom (scalars or
    arrays): the same values as ``scipy.stats.t.ppf(p, df)``, from ``scipy.special.stdtrit``
    without importing ``scipy.stats`` (about 0.5 s cold). The one t quantile of the
    summaries, ``ivp simulate`` and the app's comparison."""
    return stdtrit(df, p)


def summarise(kpis: pd.DataFrame) -> pd.DataFrame:
    """Mean, P10/P50/P90 and a 95 % confidence interval (t distribution) of each KPI over
    replications, per group and key. Missing KPIs of a replication (a provision not
    needed in it) count as absent, not zero, except counts and money, which count as 0."""
    zero_if_absent = {"requests", "delivered", "delivered_after_death", "obsolete_on_arrival", "not_delivered",
                      "successor_needed_before_delivery", "from_depot", "cost_eur", "depot_savings_eur",
                      "new_patients_with_requests", "requests_after_diagnosis", "bridge_cost_eur",
                      "requests_cancelled_wlz", "requests_not_made_wlz", "requests_restarted_move"}
    reps = kpis["replication"].unique()
    wide = kpis.groupby(["group", "key", "metric", "replication"], sort=True)["value"].first().unstack("replication")
    wide = wide.reindex(columns=reps)
    metrics = wide.index.get_level_values("metric")
    fill = np.isin(metrics, list(zero_if_absent))
    values = np.array(wide.to_numpy(dtype=float), dtype=float, copy=True)
    values[fill] = np.nan_to_num(values[fill], nan=0.0)
    count = np.sum(~np.isnan(values), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            mean = np.nanmean(values, axis=1)
            sd = np.nanstd(values, axis=1, ddof=1)
            p10, p50, p90 = np.nanpercentile(values, [10, 50, 90], axis=1)
    half = np.where(count > 1, t_quantile(0.975, np.maximum(count - 1, 1)) * sd / np.sqrt(np.maximum(count, 1)), np.nan)
    out = pd.DataFrame({
        "mean": mean, "p10": p10, "p50": p50, "p90": p90,
        "ci95_low": mean - half, "ci95_high": mean + half, "replications": count,
    }, index=wide.index).reset_index()
    return out


def replication_stats(values: pd.Series) -> dict[str, float]:
    """Mean, P10/P50/P90 and the 95 % confidence interval of the mean (t distribution) of
    one value per replication; ``nan`` values are left out (all ``nan`` if none is left)."""
    v = values.dropna().to_numpy(dtype=float)
    if v.size == 0:
        return {k: math.nan for k in ("mean", "p10", "p50", "p90", "ci95_low", "ci95_high")}
    mean = float(v.mean())
    half = float(t_quantile(0.975, v.size - 1) * v.std(ddof=1) / math.sqrt(v.size)) if v.size > 1 else math.nan
    p10, p50, p90 = (float(x) for x in np.percentile(v, [10, 50, 90]))
    return {"mean": mean, "p10": p10, "p50": p50, "p90": p90, "ci95_low": mean - half, "ci95_high": mean + half}

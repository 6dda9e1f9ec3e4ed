"""The IVP ledger: earmarks, spending, releases and depot returns over time.

The protocol's accounting (seed 001, "Integraal Voorzieningen Plan versus daadwerkelijke
verstrekking"; DOMAIN.md section 3, rule 6) in one place:

* **Earmark** (oormerken). When the IVP is set (``earmark_day`` of the assumptions, days
  since diagnosis) every provision *in the plan* is earmarked at its catalogue cost: the
  protocol's maximum obligation.
* **Spend**. Money leaves at purchase, after the follow-up melding: ``cost_eur`` on
  ``cost_day`` of the request frame; a depot reissue costs its refurbishment
  (``depot_cost_eur``) at delivery. A provision rented under a pgb (``rented`` ids, for
  requests that went the pgb route) is paid monthly from delivery to the end of use
  (``rent_monthly_fraction`` of the purchase price).
* **Loan devices** (bridging a long wait). The rent of a loan device (the frame's
  ``bridge_cost_eur``) is spent from the earmark when the loan ends (``bridge_end_day``:
  the definitive delivery, the end of the need or death); what it costs beyond the earmark
  is a top-up, and the purchase that follows draws on what is left.
* **Release** (vrijval). The rest of an earmark flows back to the free means when the
  provision can no longer be bought: at purchase (the part not spent), when the patient
  passed its window without it (need end), or at death for provisions never needed.
* **Top-up** (maatwerk). Spending beyond the earmark (rent running longer than the purchase
  price, or a provision outside the plan) raises the earmark at that moment.
* **Depot return**. A reusable (herinzetbaar) item that was delivered and not rented goes
  to the depot when its use ends, with a residual value that declines with its age
  (:mod:`ivp.domain.depot`). Returns are an asset flow, outside the money identity.

Conservation: for every line and at every moment,
``earmarked + top-ups = spent + released + still reserved``, where *still reserved* is
computed on its own from the lines still open (see :meth:`Ledger.over_time`). Each line
closes exactly once, when its release (possibly zero) is booked.

Days are absolute day numbers (days since 1970-01-01, the integer value of
``datetime64[D]``) so that clients diagnosed on different dates share one calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, Iterable, Literal

import numpy as np
import pandas as pd

from ivp.domain.assumptions import BudgetAssumptions, default_assumptions
from ivp.domain.catalog import FINANCIERS, REUSE_CLASSES, Catalog
from ivp.domain.depot import residual_value
from ivp.domain.units import DAYS_PER_MONTH

EARMARK, TOPUP, SPEND, RELEASE = 0, 1, 2, 3
KINDS = ("earmarked", "topped_up", "spent", "released")

Freq = Literal["M", "Q", "Y"]
KEYS = ["replication", "patient_id", "provision_id"]
FINANCIER_CODES = FINANCIERS
REUSE_CODES = REUSE_CLASSES
ACQUISITIONS = ("purchase", "rent", "depot", "none")
RENT_CAP_MONTHS = 120
"""Rent of an item whose end of use is unknown runs at most this many months (the frame
should always give a death day; this only bounds a malformed frame)."""


@dataclass(frozen=True)
class Ledger:
    """One line per earmarked (or topped-up) patient-provision, and its money movements.

    ``lines`` columns: ``replication``, ``patient_id``, ``provision_id``, ``financier``,
    ``reuse``, ``in_plan``, ``acquisition`` (``purchase``, ``rent``, ``depot``, ``none``),
    ``earmark_day``, ``close_day`` (absolute days; ``nan`` = still open), ``earmarked``,
    ``topped_up``, ``spent``, ``released`` (euros, totals over the line's life).

    ``events``: ``line`` (index into lines), ``kind`` (0 earmark, 1 top-up, 2 spend,
    3 release), ``day`` (absolute), ``amount``.

    ``returns``: depot returns, ``line``, ``day``, ``new_value``, ``residual_value``.
    """

    lines: pd.DataFrame
    events: pd.DataFrame
    returns: pd.DataFrame

    # ---- balances -------------------------------------------------------------------

    def balance(self, day: int, mask: np.ndarray | None = None) -> dict[str, float]:
        """Cumulative earmarked (incl. top-ups), spent, released and still reserved at the
        end of absolute ``day``; ``reserved`` is computed from the open lines, not as the
        difference."""
        ev = self.events
        lines = self.lines
        if mask is not None:
            keep = mask[ev["line"].to_numpy()]
            ev = ev[keep]
        upto = ev["day"].to_numpy() <= day
        kind = ev["kind"].to_numpy()[upto]
        amount = ev["amount"].to_numpy()[upto]
        out = {name: float(amount[kind == k].sum()) for k, name in enumerate(KINDS)}
        out["earmarked"] += out.pop("topped_up")
        # reserved: for lines earmarked and not closed by `day`: earmarks - spending so far
        close = lines["close_day"].to_numpy()
        open_line = ~(close <= day)
        if mask is not None:
            open_line &= mask
        line_of = ev["line"].to_numpy()[upto]
        is_open = open_line[line_of]
        signed = np.where(kind == SPEND, -amount, np.where(kind == RELEASE, 0.0, amount))
        out["reserved"] = float(signed[is_open].sum())
        return out

    def over_time(
        self,
        freq: Freq = "M",
        start: int | None = None,
        end: int | None = None,
        by: Iterable[str] = ("financier",),
        regular_until: int | None = None,
    ) -> pd.DataFrame:
        """Per replication, period and group: the flows in the period (``earmarked``
        including top-ups, ``spent``, ``released``, ``depot_returned``,
        ``depot_residual_value``) and the balances at the period's end
        (``earmarked_total``, ``spent_total``, ``released_total``, ``reserved``).

        Periods are calendar months (``M``), quarters (``Q``) or years (``Y``) from the
        period holding ``start`` (default: the first earmark) to the one holding ``end``
        (default: the last event). Balances include everything before ``start``. With
        ``regular_until`` (an absolute day), periods after the one holding it are merged into
        one closing period up to ``end`` (long tails of a few courses stay cheap).
        """
        return _over_time(self, freq, start, end, tuple(by), regular_until)


# ---------------------------------------------------------------------------------------
# Building the ledger
# ---------------------------------------------------------------------------------------


def _days(values) -> np.ndarray:
    """Absolute day numbers (float) from a datetime64/date column."""
    arr = np.asarray(values)
    if np.issubdtype(arr.dtype, np.datetime64):
        return arr.astype("datetime64[D]").astype(np.int64).astype(float)
    return pd.to_datetime(pd.Series(arr)).to_numpy().astype("datetime64[D]").astype(np.int64).astype(float)


def _num(frame: pd.DataFrame, column: str, default: float = np.nan) -> np.ndarray:
    if column in frame.columns:
        return frame[column].to_numpy(dtype=float, na_value=np.nan)
    return np.full(len(frame), default, dtype=float)


def _flag(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column in frame.columns:
        return frame[column].fillna(False).to_numpy(dtype=bool)
    return np.zeros(len(frame), dtype=bool)


def provision_codes(values: pd.Series, ids: tuple[str, ...]) -> np.ndarray:
    """Catalogue positions of a column of provision ids (categorical or text); unknown ids
    raise ``ValueError``."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        lookup = pd.Index(ids).get_indexer(values.cat.categories.astype(str))
        codes = values.cat.codes.to_numpy()
        out = np.where(codes >= 0, lookup[codes], -1)
    else:
        out = pd.Index(ids).get_indexer(values.astype(str))
    if (out < 0).any():
        unknown = sorted(set(values[out < 0].astype(str)))
        raise ValueError(f"provisions not in the catalogue: {', '.join(unknown)}")
    return out.astype(np.int64)


def patients_from_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per replication and patient (``diagnosis_date``, ``death_day``) from a
    request frame. Patients who needed nothing are not in a request frame: pass them to
    :func:`build_ledger` in ``patients`` yourself."""
    return (
        frame[["replication", "patient_id", "diagnosis_date", "death_day"]]
        .drop_duplicates(["replication", "patient_id"])
        .reset_index(drop=True)
    )


def plan_lines(patients: pd.DataFrame, provision_ids: Iterable[str]) -> pd.DataFrame:
    """The plan as lines: every patient of ``patients`` earmarks every provision given."""
    ids = list(provision_ids)
    keys = patients[["replication", "patient_id"]]
    return pd.DataFrame({
        "replication": np.repeat(keys["replication"].to_numpy(), len(ids)),
        "patient_id": np.repeat(keys["patient_id"].to_numpy(), len(ids)),
        "provision_id": np.tile(np.asarray(ids, dtype=object), len(keys)),
    })


def _item_age_at_delivery(frame: pd.DataFrame, f_line: np.ndarray, n: int, col) -> np.ndarray:
    """Age in days of each line's item when it was delivered: the frame's ``item_age_days``
    if given, else from ``item_id`` (a depot item's age counts from the first delivery of
    that item in the replication; items of the scenario's initial stock count from their
    first reissue); 0 for new items."""
    if "item_age_days" in frame.columns or "item_id" not in frame.columns or not len(frame):
        return np.nan_to_num(col("item_age_days", 0.0))
    item = frame["item_id"].to_numpy(dtype=np.int64)
    diag = frame["diagnosis_date"].to_numpy().astype("datetime64[D]").astype(np.int64).astype(float)
    delivered = diag + frame["delivery_day"].to_numpy(dtype=float)
    rep = frame["replication"].to_numpy()
    ok = (item >= 0) & np.isfinite(delivered)
    age = np.zeros(len(frame))
    if ok.any():
        keys = pd.MultiIndex.from_arrays([rep[ok], item[ok]])
        first = pd.Series(delivered[ok], index=keys).groupby(level=[0, 1]).min()
        age[ok] = delivered[ok] - first.reindex(keys).to_numpy()
    out = np.zeros(n)
    out[f_line] = age
    return out


def _patient_index(patients: pd.DataFrame) -> pd.MultiIndex:
    return pd.MultiIndex.from_arrays([patients["replication"].to_numpy(), patients["patient_id"].to_numpy()])


def build_ledger(
    frame: pd.DataFrame,
    catalog: Catalog,
    plan: pd.DataFrame | None = None,
    patients: pd.DataFrame | None = None,
    assumptions: BudgetAssumptions | None = None,
    rented: Collection[str] = (),
    plan_mask: np.ndarray | None = None,
) -> Ledger:
    """The ledger of a request frame (docs/architecture.md) under an IVP plan.

    ``plan``: the earmarked lines (``replication``, ``patient_id``, ``provision_id``,
    optionally ``amount``; default amount: the catalogue cost); or ``plan_mask``, an
    ``(n_patients, n_catalogue)`` boolean array aligned with ``patients`` and the catalogue
    (the fast path for large caseloads). Without either only the provisions in the frame
    are earmarked. ``patients``: ``replication``, ``patient_id``, ``diagnosis_date``,
    ``death_day`` for every patient of the plan (needed for patients absent from the
    frame, e.g. one who died at diagnosis). ``rented``: provision ids rented under a pgb.
    """
    a = assumptions or default_assumptions()
    ids = catalog.ids
    P = len(ids)
    cost_of_id = np.array([p.cost_eur for p in catalog], dtype=float)
    fin_of_id = np.array([FINANCIER_CODES.index(p.financier) for p in catalog], dtype=np.int8)
    reuse_of_id = np.array([REUSE_CODES.index(p.reuse) for p in catalog], dtype=np.int8)
    frame = frame.reset_index(drop=True)

    # patients: the given ones, plus any only the frame knows
    if patients is None:
        patients = patients_from_frame(frame)
    patients = patients.reset_index(drop=True)
    index = _patient_index(patients)
    f_pat = index.get_indexer(pd.MultiIndex.from_arrays([frame["replication"].to_numpy(), frame["patient_id"].to_numpy()])) \
        if len(frame) else np.zeros(0, dtype=np.int64)
    if (f_pat < 0).any():
        extra = patients_from_frame(frame.iloc[np.flatnonzero(f_pat < 0)])
        patients = pd.concat([patients, extra], ignore_index=True)
        index = _patient_index(patients)
        f_pat = index.get_indexer(pd.MultiIndex.from_arrays([frame["replication"].to_numpy(), frame["patient_id"].to_numpy()]))
    if plan_mask is not None and plan_mask.shape != (len(patients), P):
        raise ValueError(f"plan_mask has shape {plan_mask.shape}, expected {(len(patients), P)}")
    pat_diag = _days(patients["diagnosis_date"].to_numpy()) if len(patients) else np.zeros(0)
    if np.isnan(pat_diag).any():
        raise ValueError("every patient needs a diagnosis date")
    pat_death = _num(patients, "death_day")

    # line keys: patient x provision
    f_prov = provision_codes(frame["provision_id"], ids) if len(frame) else np.zeros(0, dtype=np.int64)
    f_key = f_pat.astype(np.int64) * P + f_prov
    if plan_mask is not None:
        rows, cols = np.nonzero(plan_mask)
        p_key, p_amount = rows.astype(np.int64) * P + cols, cost_of_id[cols]
    elif plan is not None:
        p_pat = index.get_indexer(pd.MultiIndex.from_arrays([plan["replication"].to_numpy(), plan["patient_id"].to_numpy()]))
        if (p_pat < 0).any():
            raise ValueError("the plan names patients that are neither in `patients` nor in the frame")
        p_prov = provision_codes(plan["provision_id"], ids)
        p_key = p_pat.astype(np.int64) * P + p_prov
        given = _num(plan, "amount")
        p_amount = np.where(np.isnan(given), cost_of_id[p_prov], given)
    else:
        p_key, p_amount = f_key, cost_of_id[f_prov]
    keys = np.union1d(f_key, p_key)
    n = len(keys)
    f_line = np.searchsorted(keys, f_key)
    if len(np.unique(f_line)) != len(f_line):
        raise ValueError("the request frame has more than one row for a patient and provision")
    pat, prov = keys // P, keys % P
    in_plan = np.zeros(n, dtype=bool)
    amount = np.zeros(n)
    p_line = np.searchsorted(keys, p_key)
    in_plan[p_line] = True
    amount[p_line] = p_amount  # outside the plan: 0, everything is a top-up
    in_frame = np.zeros(n, dtype=bool)
    in_frame[f_line] = True

    def col(name: str, default: float = np.nan) -> np.ndarray:
        out = np.full(n, default)
        if len(frame):
            out[f_line] = _num(frame, name, default)
        return out

    def flag(name: str) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        if len(frame):
            out[f_line] = _flag(frame, name)
        return out

    cost_of = cost_of_id[prov]
    diag = pat_diag[pat]
    death = diag + np.where(in_frame & np.isfinite(col("death_day")), col("death_day"), pat_death[pat])
    cost_day, delivery, use_end = diag + col("cost_day"), diag + col("delivery_day"), diag + col("use_end_day")
    need_end, melding = diag + col("need_end_day"), diag + col("melding_day")
    spent_frame = np.nan_to_num(col("cost_eur", 0.0))
    from_depot = flag("from_depot")
    earmark_day = np.where(in_plan, diag + a.earmark_day, np.nan)

    via_pgb = flag("pgb") if "pgb" in frame.columns else np.ones(n, dtype=bool)
    rented_codes = [ids.index(r) for r in rented if r in ids]
    is_rent = np.isin(prov, rented_codes) & via_pgb & in_frame & np.isfinite(delivery)
    bought = ~is_rent & in_frame & np.isfinite(cost_day)
    reissued = ~is_rent & ~bought & in_frame & from_depot & np.isfinite(delivery)
    nothing = ~is_rent & ~bought & ~reissued

    ev_line, ev_kind, ev_day, ev_amount = [], [], [], []

    def add(index, kind, day, value):
        ev_line.append(np.asarray(index, dtype=np.int64))
        ev_kind.append(np.full(len(index), kind, dtype=np.int8))
        ev_day.append(np.asarray(day, dtype=float))
        ev_amount.append(np.asarray(value, dtype=float))

    close = np.full(n, np.nan)
    first_spend = np.full(n, np.nan)

    # a loan device's rent, spent when the loan ends; the rest of the earmark (``left``)
    # serves the definitive provision
    loan = np.nan_to_num(col("bridge_cost_eur", 0.0))
    loaned = in_frame & (loan > 0)
    i = np.flatnonzero(loaned)
    loan_end = diag[i] + col("bridge_end_day")[i]
    add(i, SPEND, loan_end, loan[i])
    add(i, TOPUP, loan_end, np.maximum(loan[i] - amount[i], 0.0))
    close[i] = loan_end
    first_spend[i] = loan_end
    left = np.maximum(amount - loan, 0.0)

    # purchases (including a depot reissue the frame charges for)
    i = np.flatnonzero(bought)
    s = spent_frame[i]
    add(i, SPEND, cost_day[i], s)
    add(i, TOPUP, cost_day[i], np.maximum(s - left[i], 0.0))
    add(i, RELEASE, cost_day[i], np.maximum(left[i] - s, 0.0))
    close[i] = cost_day[i]
    first_spend[i] = np.fmin(first_spend[i], cost_day[i])

    # depot reissues: refurbishment (the frame's depot_cost_eur) is spent at delivery and the
    # rest of the earmark released; no purchase
    i = np.flatnonzero(reissued)
    refurbishment = np.nan_to_num(col("depot_cost_eur", 0.0))[i]
    add(i, SPEND, delivery[i], refurbishment)
    add(i, TOPUP, delivery[i], np.maximum(refurbishment - left[i], 0.0))
    add(i, RELEASE, delivery[i], np.maximum(left[i] - refurbishment, 0.0))
    close[i] = delivery[i]
    first_spend[i] = np.fmin(first_spend[i], np.where(refurbishment > 0, delivery[i], np.nan))

    # rent: monthly from delivery to the end of use
    i = np.flatnonzero(is_rent)
    if len(i):
        end = np.where(np.isfinite(use_end[i]), use_end[i], death[i])
        end = np.where(np.isfinite(end), end, delivery[i] + RENT_CAP_MONTHS * DAYS_PER_MONTH)
        months = np.maximum(1, np.ceil((np.maximum(end, delivery[i]) - delivery[i]) / DAYS_PER_MONTH)).astype(np.int64)
        months = np.minimum(months, RENT_CAP_MONTHS)
        line = np.repeat(i, months)
        k = np.arange(months.sum()) - np.repeat(np.cumsum(months) - months, months)
        day = delivery[line] + np.floor(k * DAYS_PER_MONTH)
        rent = cost_of[line] * a.rent_monthly_fraction
        paid_after = rent * (k + 1)
        over_after = np.maximum(paid_after - left[line], 0.0)
        over_before = np.maximum(paid_after - rent - left[line], 0.0)
        add(line, SPEND, day, rent)
        add(line, TOPUP, day, over_after - over_before)
        last = day[np.cumsum(months) - 1]
        total = cost_of[i] * a.rent_monthly_fraction * months
        add(i, RELEASE, last, np.maximum(left[i] - total, 0.0))
        close[i] = last
        first_spend[i] = np.fmin(first_spend[i], delivery[i])

    # nothing bought: released when the window has passed (need end) or at death
    i = np.flatnonzero(nothing & in_plan)
    window_end = np.where(in_frame[i], np.fmin(need_end[i], death[i]), death[i])
    window_end = np.where(np.isfinite(window_end), np.fmax(window_end, earmark_day[i]), np.nan)  # never before the earmark
    add(i, RELEASE, window_end, left[i])  # nan day = still open
    close[i] = window_end

    # a line with a loan stays open until the loan's rent is paid
    i = np.flatnonzero(loaned)
    close[i] = np.fmax(close[i], loan_end)

    # earmarks: on the IVP day, or at the first spending if earlier; top-up-only lines
    # (outside the plan) have no earmark of their own
    keep = in_plan | bought | is_rent | reissued | loaned
    earmark_day = np.where(in_plan, np.fmin(earmark_day, first_spend), first_spend)
    earmark_day = np.where(np.isnan(earmark_day), melding, earmark_day)
    i = np.flatnonzero(in_plan)
    add(i, EARMARK, earmark_day[i], amount[i])

    e_line, e_kind = np.concatenate(ev_line), np.concatenate(ev_kind)
    e_day, e_amount = np.concatenate(ev_day), np.concatenate(ev_amount)
    ok = np.isfinite(e_day) & ((e_amount != 0) | (e_kind == RELEASE))  # undated = has not happened
    e_line, e_kind, e_day, e_amount = e_line[ok], e_kind[ok], e_day[ok], e_amount[ok]

    totals = np.zeros((n, 4))
    np.add.at(totals, (e_line, e_kind.astype(np.int64)), e_amount)
    acquisition = np.select([is_rent, bought & from_depot, bought, reissued], [1, 2, 0, 2], 3).astype(np.int8)
    kept = np.flatnonzero(keep)
    renumber = np.full(n, -1, dtype=np.int64)
    renumber[kept] = np.arange(len(kept))
    k_pat, k_prov = pat[kept], prov[kept]
    out = pd.DataFrame({
        "replication": patients["replication"].to_numpy()[k_pat],
        "patient_id": patients["patient_id"].to_numpy()[k_pat],
        "provision_id": pd.Categorical.from_codes(k_prov, categories=list(ids)),
        "financier": pd.Categorical.from_codes(fin_of_id[k_prov], categories=list(FINANCIER_CODES)),
        "reuse": pd.Categorical.from_codes(reuse_of_id[k_prov], categories=list(REUSE_CODES)),
        "in_plan": in_plan[kept],
        "acquisition": pd.Categorical.from_codes(acquisition[kept], categories=list(ACQUISITIONS)),
        "earmark_day": earmark_day[kept],
        "close_day": close[kept],
        "cost_eur": cost_of[kept],
    })
    for k, name in enumerate(KINDS):
        out[name] = totals[kept, k]
    new_line = renumber[e_line]
    m = new_line >= 0
    events = pd.DataFrame({"line": new_line[m], "kind": e_kind[m], "day": e_day[m], "amount": e_amount[m]})

    # depot returns: reusable items delivered and not rented, when their use ends
    reusable = (reuse_of_id[prov] == REUSE_CODES.index("herinzetbaar")) & in_frame & np.isfinite(delivery) & ~is_rent
    i = np.flatnonzero(reusable & keep)
    back = np.where(np.isfinite(use_end[i]), use_end[i], death[i])
    back = np.fmax(back, delivery[i])
    age = back - delivery[i] + _item_age_at_delivery(frame, f_line, n, col)[i]
    ok = np.isfinite(back)
    returns = pd.DataFrame({
        "line": renumber[i[ok]],
        "day": back[ok],
        "new_value": cost_of[i[ok]],
        "residual_value": residual_value(cost_of[i[ok]], age[ok], a),
    })
    return Ledger(lines=out, events=events, returns=returns)


# ---------------------------------------------------------------------------------------
# Over time
# ---------------------------------------------------------------------------------------


def period_of(days: np.ndarray, freq: Freq) -> np.ndarray:
    """The period number of absolute days: months, quarters or years since 1970."""
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    if freq == "Y":
        return d.astype("datetime64[Y]").astype(np.int64)
    months = d.astype("datetime64[M]").astype(np.int64)
    if freq == "M":
        return months
    if freq == "Q":
        return months // 3
    raise ValueError(f"freq must be M, Q or Y, got {freq!r}")


def period_start(period: np.ndarray, freq: Freq) -> np.ndarray:
    """The first day (datetime64[D]) of each period number."""
    period = np.asarray(period, dtype=np.int64)
    if freq == "Y":
        return period.astype("datetime64[Y]").astype("datetime64[D]")
    months = period * 3 if freq == "Q" else period
    return months.astype("datetime64[M]").astype("datetime64[D]")


def _over_time(ledger: Ledger, freq: Freq, start, end, by: tuple[str, ...], regular_until=None) -> pd.DataFrame:
    lines, events, returns = ledger.lines, ledger.events, ledger.returns
    if lines.empty:
        return pd.DataFrame(columns=["replication", "period", *by, *MEASURES])
    ev_day = events["day"].to_numpy()
    if start is None:
        start = int(np.nanmin(lines["earmark_day"].to_numpy()))
    if end is None:
        last = [ev_day.max() if len(ev_day) else start]
        if len(returns):
            last.append(returns["day"].max())
        end = int(max(last))
    p0, p1 = int(period_of([start], freq)[0]), int(period_of([end], freq)[0])
    if regular_until is not None and int(period_of([regular_until], freq)[0]) + 1 < p1:
        cut = max(int(period_of([regular_until], freq)[0]), p0)
        edges = np.append(period_start(np.arange(p0, cut + 2), freq).astype(np.int64),
                          period_start(np.array([p1 + 1]), freq).astype(np.int64))
    else:
        edges = period_start(np.arange(p0, p1 + 2), freq).astype(np.int64)
    return ledger_between(ledger, edges, by)


MEASURES = ["earmarked", "spent", "released", "depot_returned", "depot_residual_value",
            "earmarked_total", "spent_total", "released_total", "reserved"]


def ledger_between(ledger: Ledger, edges: np.ndarray, by: Iterable[str] = ("financier",),
                   replications: Iterable | None = None) -> pd.DataFrame:
    """Flows in each period ``[edges[i], edges[i+1])`` (absolute days) and balances at the end
    of it, per replication and group; ``period`` is the period's first day. ``replications``
    lists every replication to report (also those without lines, as zeros)."""
    by = tuple(by)
    lines, events, returns = ledger.lines, ledger.events, ledger.returns
    edges = np.asarray(edges, dtype=np.int64)
    n_per = len(edges) - 1
    ev_day = events["day"].to_numpy()
    if replications is None:
        reps, rep_idx = np.unique(lines["replication"].to_numpy(), return_inverse=True)
    else:
        reps = np.asarray(list(replications))
        rep_idx = np.searchsorted(reps, lines["replication"].to_numpy())
    labels: list[np.ndarray] = []
    combined = np.zeros(len(lines), dtype=np.int64)
    for name in by:
        column = lines[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            categories, codes = np.asarray(column.cat.categories.astype(str), dtype=object), column.cat.codes.to_numpy()
        else:
            categories, codes = np.unique(column.astype(str).to_numpy(), return_inverse=True)
        combined = combined * max(len(categories), 1) + codes
        labels.append(categories)
    present, grp_idx = np.unique(combined, return_inverse=True)
    groups = np.zeros(len(present)) if by else np.array([0])
    if not by:
        grp_idx = np.zeros(len(lines), dtype=np.int64)
    n_cell = len(reps) * len(groups)
    cell = rep_idx * len(groups) + grp_idx  # per line

    def bucket(days: np.ndarray) -> np.ndarray:
        """0 = before the first edge, 1..n = periods, n+1 = from the last edge on."""
        return np.searchsorted(edges, np.asarray(days, dtype=float), side="right")

    def accumulate(line: np.ndarray, days: np.ndarray, values: np.ndarray) -> np.ndarray:
        out = np.zeros((n_cell, n_per + 2))
        if len(line):
            np.add.at(out, (cell[line], bucket(days)), values)
        return out

    ev_line = events["line"].to_numpy()
    ev_kind = events["kind"].to_numpy()
    ev_amount = events["amount"].to_numpy()
    flows = {}
    for name, kinds in (("earmarked", (EARMARK, TOPUP)), ("spent", (SPEND,)), ("released", (RELEASE,))):
        m = np.isin(ev_kind, kinds)
        flows[name] = accumulate(ev_line[m], ev_day[m], ev_amount[m])
    # still reserved, on its own: every earmark/top-up adds and every spend subtracts from the
    # moment it happens until the line closes
    close = lines["close_day"].to_numpy()
    m = ev_kind != RELEASE
    sign = np.where(ev_kind[m] == SPEND, -1.0, 1.0) * ev_amount[m]
    res = accumulate(ev_line[m], ev_day[m], sign)
    closing = np.isfinite(close[ev_line[m]])
    res -= accumulate(ev_line[m][closing], close[ev_line[m]][closing], sign[closing])
    r_line = returns["line"].to_numpy()
    r_day = returns["day"].to_numpy()
    returned = accumulate(r_line, r_day, np.ones(len(r_line)))
    residual = accumulate(r_line, r_day, returns["residual_value"].to_numpy())

    inside = slice(1, n_per + 1)
    cumulative = {name: np.cumsum(values, axis=1)[:, inside] for name, values in flows.items()}
    reserved = np.cumsum(res, axis=1)[:, inside]
    frame = pd.DataFrame({
        "replication": np.repeat(np.repeat(reps, len(groups)), n_per),
        "period": np.tile(edges[:-1].astype("datetime64[D]"), n_cell),
    })
    if by:
        rest = present.copy()
        for j in range(len(by) - 1, -1, -1):
            size = max(len(labels[j]), 1)
            code = rest % size
            rest = rest // size
            frame[by[j]] = np.tile(np.repeat(labels[j][code], n_per), len(reps))
    for name in ("earmarked", "spent", "released"):
        frame[name] = flows[name][:, inside].ravel()
    frame["depot_returned"] = returned[:, inside].ravel()
    frame["depot_residual_value"] = residual[:, inside].ravel()
    for name in ("earmarked", "spent", "released"):
        frame[f"{name}_total"] = cumulative[name].ravel()
    frame["reserved"] = np.where(np.abs(reserved.ravel()) < 1e-6, 0.0, reserved.ravel())
    return frame[["replication", "period", *by, *MEASURES]]


def summarise_over_time(over_time: pd.DataFrame, by: Iterable[str] = ("financier",)) -> pd.DataFrame:
    """Mean, P10, P50 and P90 over the replications, per period, group and measure (tidy:
    ``period``, groups, ``measure``, ``mean``, ``p10``, ``p50``, ``p90``)."""
    by = list(by)
    keys = ["period", *by]
    if over_time.empty:
        return pd.DataFrame(columns=[*keys, "measure", "mean", "p10", "p50", "p90"])
    reps = over_time["replication"].to_numpy()
    n_reps = len(np.unique(reps))
    n_cells = len(over_time) // max(n_reps, 1)
    if n_reps * n_cells != len(over_time):
        raise ValueError("over_time must hold every period and group for every replication")
    if np.all(reps.reshape(n_reps, n_cells) == reps[::n_cells][:, None]):
        # as ledger_between lays it out: replication-major, the same cells in each
        cells = over_time[keys].iloc[:n_cells].reset_index(drop=True)
        values = over_time[MEASURES].to_numpy(dtype=float).reshape(n_reps, n_cells, len(MEASURES)).transpose(1, 0, 2)
    else:
        ordered = over_time.sort_values([*keys, "replication"], kind="stable")
        cells = ordered[keys].drop_duplicates(ignore_index=True)
        values = ordered[MEASURES].to_numpy(dtype=float).reshape(len(cells), n_reps, len(MEASURES))
    mean = values.mean(axis=1)
    q = np.quantile(values, [0.1, 0.5, 0.9], axis=1)
    out = cells.loc[np.repeat(np.arange(len(cells)), len(MEASURES))].reset_index(drop=True)
    out["measure"] = np.tile(MEASURES, len(cells))
    out["mean"] = mean.ravel()
    out["p10"], out["p50"], out["p90"] = q[0].ravel(), q[1].ravel(), q[2].ravel()
    return out

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
* **Release** (vrijval). The rest of an earmark flows back to the free means when the
  provision can no longer be bought: at purchase (the part not spent), when the patient
  passed its window without it (need end), or at death for provisions never needed.
* **Top-up** (maatwerk). Spending beyond the earmark (rent running longer than the purchase
  price, or a provision outside the plan) raises the earmark at that moment.
* **Depot return**. A reusable (herinzetbaar) item that was delivered and not rented goes
  to the depot when its use ends, with a residual value that declines with its age
  (:mod:`ivp.budget.depot`). Returns are an asset flow, outside the money identity.

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

from ivp.budget.assumptions import BudgetAssumptions, default_assumptions
from ivp.budget.depot import residual_value
from ivp.catalog import Catalog
from ivp.units import DAYS_PER_MONTH

EARMARK, TOPUP, SPEND, RELEASE = 0, 1, 2, 3
KINDS = ("earmarked", "topped_up", "spent", "released")

Freq = Literal["M", "Q", "Y"]
KEYS = ["replication", "patient_id", "provision_id"]
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
    ) -> pd.DataFrame:
        """Per replication, period and group: the flows in the period (``earmarked``
        including top-ups, ``spent``, ``released``, ``depot_returned``,
        ``depot_residual_value``) and the balances at the period's end
        (``earmarked_total``, ``spent_total``, ``released_total``, ``reserved``).

        Periods are calendar months (``M``), quarters (``Q``) or years (``Y``) from the
        period holding ``start`` (default: the first earmark) to the one holding ``end``
        (default: the last event). Balances include everything before ``start``.
        """
        return _over_time(self, freq, start, end, tuple(by))


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


def build_ledger(
    frame: pd.DataFrame,
    catalog: Catalog,
    plan: pd.DataFrame | None = None,
    patients: pd.DataFrame | None = None,
    assumptions: BudgetAssumptions | None = None,
    rented: Collection[str] = (),
) -> Ledger:
    """The ledger of a request frame (docs/architecture.md) under an IVP plan.

    ``plan``: the earmarked lines (``replication``, ``patient_id``, ``provision_id``,
    optionally ``amount``; default amount: the catalogue cost). Without a plan only the
    provisions in the frame are earmarked. ``patients``: ``replication``, ``patient_id``,
    ``diagnosis_date``, ``death_day`` for every patient of the plan (needed for patients
    absent from the frame, e.g. one who died at diagnosis). ``rented``: provision ids the
    scenario rents under a pgb instead of buying.
    """
    a = assumptions or default_assumptions()
    frame = frame.reset_index(drop=True)
    categorical = [c for c in ("provision_id", "financier", "reuse") if c in frame.columns
                   and isinstance(frame[c].dtype, pd.CategoricalDtype)]
    if categorical:
        frame = frame.astype({c: object for c in categorical})
    if patients is None:
        patients = patients_from_frame(frame)
    if plan is None:
        plan = frame[KEYS].copy()
    plan = plan.copy()
    if "amount" not in plan.columns:
        plan["amount"] = np.nan
    plan["_in_plan"] = True
    frame_part = frame.copy()
    frame_part["_in_frame"] = True
    lines = plan.merge(frame_part, on=KEYS, how="outer", suffixes=("", "_frame"))
    # patient facts for plan lines absent from the frame
    info = patients.drop_duplicates(["replication", "patient_id"]).rename(
        columns={"diagnosis_date": "_diag", "death_day": "_death"})[["replication", "patient_id", "_diag", "_death"]]
    lines = lines.merge(info, on=["replication", "patient_id"], how="left")
    if "diagnosis_date" not in lines.columns:
        lines["diagnosis_date"] = pd.NaT
    if "death_day" not in lines.columns:
        lines["death_day"] = np.nan
    lines["diagnosis_date"] = lines["diagnosis_date"].fillna(lines["_diag"])
    lines["death_day"] = lines["death_day"].fillna(lines["_death"])
    if lines["diagnosis_date"].isna().any():
        missing = lines.loc[lines["diagnosis_date"].isna(), ["replication", "patient_id"]].iloc[0].to_dict()
        raise ValueError(f"no diagnosis date for patient {missing}: pass it in `patients`")
    lines["_in_plan"] = lines["_in_plan"].fillna(False).astype(bool)
    lines["_in_frame"] = lines["_in_frame"].fillna(False).astype(bool)
    lines = lines.sort_values(KEYS, kind="stable").reset_index(drop=True)

    ids = lines["provision_id"].to_numpy()
    provisions = {p.id: p for p in catalog}
    unknown = sorted(set(ids) - set(provisions))
    if unknown:
        raise ValueError(f"provisions not in the catalogue: {', '.join(map(str, unknown))}")
    cost_of = np.array([provisions[i].cost_eur for i in ids], dtype=float)
    lines["financier"] = [provisions[i].financier for i in ids]
    lines["reuse"] = [provisions[i].reuse for i in ids]

    diag = _days(lines["diagnosis_date"].to_numpy())
    rel = lambda name: diag + _num(lines, name)  # noqa: E731  absolute day of a frame column
    death = rel("death_day")
    cost_day, delivery, use_end, need_end = rel("cost_day"), rel("delivery_day"), rel("use_end_day"), rel("need_end_day")
    melding = rel("melding_day")
    spent_frame = np.nan_to_num(_num(lines, "cost_eur", 0.0))
    in_plan = lines["_in_plan"].to_numpy()
    in_frame = lines["_in_frame"].to_numpy()
    from_depot = _flag(lines, "from_depot")
    amount = np.where(np.isnan(_num(lines, "amount")), cost_of, _num(lines, "amount"))
    amount = np.where(in_plan, amount, 0.0)  # outside the plan: everything is a top-up
    earmark_day = np.where(in_plan, diag + a.earmark_day, np.nan)

    via_pgb = _flag(lines, "pgb") if "pgb" in lines.columns else np.ones(len(lines), dtype=bool)
    is_rent = np.isin(ids, list(rented)) & via_pgb & in_frame & np.isfinite(delivery)
    bought = ~is_rent & in_frame & np.isfinite(cost_day)
    reissued = ~is_rent & ~bought & in_frame & from_depot & np.isfinite(delivery)
    nothing = ~is_rent & ~bought & ~reissued

    n = len(lines)
    ev_line, ev_kind, ev_day, ev_amount = [], [], [], []

    def add(index, kind, day, value):
        ev_line.append(index)
        ev_kind.append(np.full(len(index), kind, dtype=np.int8))
        ev_day.append(np.asarray(day, dtype=float))
        ev_amount.append(np.asarray(value, dtype=float))

    close = np.full(n, np.nan)
    first_spend = np.full(n, np.nan)

    # purchases (including a depot reissue the frame charges for)
    i = np.flatnonzero(bought)
    s = spent_frame[i]
    add(i, SPEND, cost_day[i], s)
    add(i, TOPUP, cost_day[i], np.maximum(s - amount[i], 0.0))
    add(i, RELEASE, cost_day[i], np.maximum(amount[i] - s, 0.0))
    close[i] = cost_day[i]
    first_spend[i] = cost_day[i]

    # depot reissues: refurbishment (the frame's depot_cost_eur) is spent at delivery and the
    # rest of the earmark released; no purchase
    i = np.flatnonzero(reissued)
    refurbishment = np.nan_to_num(_num(lines, "depot_cost_eur", 0.0))[i]
    add(i, SPEND, delivery[i], refurbishment)
    add(i, TOPUP, delivery[i], np.maximum(refurbishment - amount[i], 0.0))
    add(i, RELEASE, delivery[i], np.maximum(amount[i] - refurbishment, 0.0))
    close[i] = delivery[i]
    first_spend[i] = np.where(refurbishment > 0, delivery[i], np.nan)

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
        over_after = np.maximum(paid_after - amount[line], 0.0)
        over_before = np.maximum(paid_after - rent - amount[line], 0.0)
        add(line, SPEND, day, rent)
        add(line, TOPUP, day, over_after - over_before)
        last = day[np.cumsum(months) - 1]
        total = cost_of[i] * a.rent_monthly_fraction * months
        add(i, RELEASE, last, np.maximum(amount[i] - total, 0.0))
        close[i] = last
        first_spend[i] = delivery[i]

    # nothing bought: released when the window has passed (need end) or at death
    i = np.flatnonzero(nothing & in_plan)
    window_end = np.where(in_frame[i], np.fmin(need_end[i], death[i]), death[i])
    window_end = np.where(np.isfinite(window_end), np.fmax(window_end, earmark_day[i]), np.nan)  # never before the earmark
    add(i, RELEASE, window_end, amount[i])  # nan day = still open
    close[i] = window_end

    # earmarks: on the IVP day, or at the first spending if earlier; top-up-only lines
    # (outside the plan) have no earmark of their own
    keep = in_plan | bought | is_rent | reissued
    earmark_day = np.where(in_plan, np.fmin(earmark_day, first_spend), first_spend)
    earmark_day = np.where(np.isnan(earmark_day), melding, earmark_day)
    i = np.flatnonzero(in_plan)
    add(i, EARMARK, earmark_day[i], amount[i])

    events = pd.DataFrame({
        "line": np.concatenate(ev_line) if ev_line else np.zeros(0, np.int64),
        "kind": np.concatenate(ev_kind) if ev_kind else np.zeros(0, np.int8),
        "day": np.concatenate(ev_day) if ev_day else np.zeros(0),
        "amount": np.concatenate(ev_amount) if ev_amount else np.zeros(0),
    })
    events = events[np.isfinite(events["day"].to_numpy())]  # undated = has not happened
    events = events[(events["amount"].to_numpy() != 0) | (events["kind"].to_numpy() == RELEASE)]

    acquisition = np.select([is_rent, bought & from_depot, bought, reissued], ["rent", "depot", "purchase", "depot"], "none")
    out = pd.DataFrame({
        "replication": lines["replication"].to_numpy(),
        "patient_id": lines["patient_id"].to_numpy(),
        "provision_id": ids,
        "financier": lines["financier"].to_numpy(),
        "reuse": lines["reuse"].to_numpy(),
        "in_plan": in_plan,
        "acquisition": acquisition,
        "earmark_day": earmark_day,
        "close_day": close,
        "cost_eur": cost_of,
    })
    totals = np.zeros((n, 4))
    np.add.at(totals, (events["line"].to_numpy(), events["kind"].to_numpy()), events["amount"].to_numpy())
    for k, name in enumerate(KINDS):
        out[name] = totals[:, k]
    line_map = np.flatnonzero(keep)
    renumber = np.full(n, -1)
    renumber[line_map] = np.arange(len(line_map))
    out = out.iloc[line_map].reset_index(drop=True)
    events = events.assign(line=renumber[events["line"].to_numpy()])
    events = events[events["line"].to_numpy() >= 0].reset_index(drop=True)

    # depot returns: reusable items delivered and not rented, when their use ends
    reusable = (lines["reuse"].to_numpy() == "herinzetbaar") & in_frame & np.isfinite(delivery) & ~is_rent
    i = np.flatnonzero(reusable & keep)
    back = np.where(np.isfinite(use_end[i]), use_end[i], death[i])
    back = np.fmax(back, delivery[i])
    age = back - delivery[i] + np.nan_to_num(_num(lines, "item_age_days", 0.0)[i])
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


def _over_time(ledger: Ledger, freq: Freq, start, end, by: tuple[str, ...]) -> pd.DataFrame:
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
    if by:
        group_keys = lines[list(by)].astype(str).agg("\x1f".join, axis=1) if len(by) > 1 else lines[by[0]].astype(str)
        groups, grp_idx = np.unique(group_keys.to_numpy(), return_inverse=True)
    else:
        groups, grp_idx = np.array([""]), np.zeros(len(lines), dtype=np.int64)
    if len(groups) == 0:
        groups = np.array([""] if not by else [], dtype=object)
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
        split = [g.split("\x1f") for g in groups]
        for j, name in enumerate(by):
            frame[name] = np.tile(np.repeat(np.array([s[j] for s in split], dtype=object), n_per), len(reps))
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
    ordered = over_time.sort_values([*keys, "replication"], kind="stable")
    cells = ordered[keys].drop_duplicates(ignore_index=True)
    n_reps = over_time["replication"].nunique()
    if n_reps * len(cells) != len(over_time):
        raise ValueError("over_time must hold every period and group for every replication")
    values = ordered[MEASURES].to_numpy(dtype=float).reshape(len(cells), n_reps, len(MEASURES))
    mean = values.mean(axis=1)
    q = np.quantile(values, [0.1, 0.5, 0.9], axis=1)
    out = cells.loc[np.repeat(np.arange(len(cells)), len(MEASURES))].reset_index(drop=True)
    out["measure"] = np.tile(MEASURES, len(cells))
    out["mean"] = mean.ravel()
    out["p10"], out["p50"], out["p90"] = q[0].ravel(), q[1].ravel(), q[2].ravel()
    return out

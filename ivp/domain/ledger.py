"""The IVP ledger: earmarks, spending, releases and depot returns over time.

The protocol's accounting (seed 001, "Integraal Voorzieningen Plan versus daadwerkelijke
verstrekking"; DOMAIN.md section 3, rule 6) in one place:

* **Earmark** (oormerken). When the IVP is set (``earmark_day`` of the assumptions, days
  since diagnosis) every provision *in the plan* is earmarked at its catalogue cost: the
  protocol's maximum obligation.
* **Spend**, of three cost kinds (:data:`COST_KINDS`). *Purchase*: money leaves at purchase,
  after the follow-up melding: ``cost_eur`` on ``cost_day`` of the request frame; a depot
  reissue costs its refurbishment (``depot_cost_eur``) at delivery. *Rent*: a provision the
  catalogue acquires by rent (``acquisition``, in kind) or rented under a pgb (``rented``
  ids, for requests that went the pgb route) is paid monthly from delivery to the end of use,
  at least its term (``rent_eur_month``, ``rent_min_months``; under a pgb
  ``rent_monthly_fraction`` of the purchase price); a loan device's rent. *Maintenance*: an
  item the financier owns (bought or from the depot) costs ``maintenance_eur_year`` a year
  while in use and ``adaptation_eur`` at its after-adaptation (``adaptation_day``); the
  rent covers both for a rented one (seed 001, lines 2490-2525).
* **Price level**. Every amount is in euros of the calendar year it is booked in: the
  catalogue's price-year euros times the price index (:mod:`ivp.domain.prices`).
* **Client events**. After a Wlz entry the frame's use of a Wmo device has ended; the
  departing municipality pays the rent of a device in use ``handover_months`` longer, and
  after a move ``handover_months`` on top (the convenant Meeverhuizen).
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
* **Own contribution**. What the client pays the municipality back (the abonnementstarief,
  :mod:`ivp.domain.own_contribution`) is income beside the identity: gross spending minus
  it is the municipality's net cost.

Monthly payments are *streams* (:mod:`ivp.domain.recurring`), not one event per month.

Conservation: for every line and at every moment,
``earmarked + top-ups = spent + released + still reserved``, where *still reserved* is
computed on its own from the lines still open (see :meth:`Ledger.over_time`). Each line
closes exactly once, when its release (possibly zero) is booked.

Days are absolute day numbers (days since 1970-01-01, the integer value of
``datetime64[D]``) so that clients diagnosed on different dates share one calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Collection, Iterable, Literal

import numpy as np
import pandas as pd

from ivp.domain.assumptions import BudgetAssumptions, default_assumptions
from ivp.domain.catalog import FINANCIERS, REUSE_CLASSES, Catalog
from ivp.domain.depot import residual_value
from ivp.domain.own_contribution import OwnContributionRules, contribution_streams, owes, own_contribution_rules
from ivp.domain.prices import PriceIndex, price_index
from ivp.domain.recurring import (
    Pieces,
    crossing,
    first_payment_from,
    months_between,
    payment_day,
    payments_in,
    split_by_year,
)
from ivp.domain.units import DAYS_PER_MONTH, DAYS_PER_YEAR, MONTHS_PER_YEAR

EARMARK, TOPUP, SPEND, RELEASE = 0, 1, 2, 3
KINDS = ("earmarked", "topped_up", "spent", "released")
CONTRIBUTION = 4
"""The kind of a stream of own contributions (income, outside the identity of :data:`KINDS`)."""
PURCHASE, RENT, MAINTENANCE = 0, 1, 2
COST_KINDS = ("purchase", "rent", "maintenance")
"""What spending pays for: purchases and refurbishment; rent (in kind, under a pgb, loan
devices); maintenance and after-adaptations of owned items."""
NO_COST_KIND = -1

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

    ``line_keys`` columns: ``replication``, ``patient_id``, ``provision_id``, ``financier``,
    ``reuse``, ``in_plan``, ``acquisition`` (``purchase``, ``rent``, ``depot``, ``none``),
    ``earmark_day``, ``close_day`` (absolute days; ``nan`` = still open), ``cost_eur``.
    :attr:`lines` adds each line's totals (summed from the movements when first asked for:
    the reserve's sums per period never need them).

    ``events``: ``line`` (index into lines), ``kind`` (0 earmark, 1 top-up, 2 spend,
    3 release), ``day`` (absolute), ``amount``, ``cost_kind`` (of a spend, :data:`COST_KINDS`;
    -1 otherwise).

    ``streams``: monthly payments (:mod:`ivp.domain.recurring`), ``line``, ``kind`` (1 top-up,
    2 spend, 4 own contribution), ``cost_kind``, ``first_day``, ``k0``, ``k1``, ``amount``
    (per payment).

    ``returns``: depot returns, ``line``, ``day``, ``new_value``, ``residual_value``.
    """

    line_keys: pd.DataFrame
    events: pd.DataFrame
    returns: pd.DataFrame
    streams: pd.DataFrame

    @cached_property
    def lines(self) -> pd.DataFrame:
        """:attr:`line_keys` and each line's totals over its life (euros): ``earmarked``,
        ``topped_up``, ``spent``, ``released``, ``spent_purchase``, ``spent_rent``,
        ``spent_maintenance``, ``own_contribution``."""
        ev, st = self.events, self.streams
        e_line, e_kind, e_amount, e_cost = (ev[c].to_numpy() for c in ("line", "kind", "amount", "cost_kind"))
        s_line, s_kind, s_amount, s_cost = (st[c].to_numpy() for c in ("line", "kind", "amount", "cost_kind"))
        s_total = (st["k1"].to_numpy() - st["k0"].to_numpy()) * s_amount
        # per line and kind: the events' amounts, then the streams' totals, added in that order
        # as np.add.at did (the same sums; measured: 16.5 ms for 1.5 million movements where
        # np.add.at took 114)
        m = len(self.line_keys)
        totals = _sums(m, len(KINDS) + 1, (e_line, s_line), (e_kind, s_kind), (e_amount, s_total))
        spend, s_spend = e_kind == SPEND, s_kind == SPEND
        by_cost = _sums(m, len(COST_KINDS), (e_line[spend], s_line[s_spend]), (e_cost[spend], s_cost[s_spend]),
                        (e_amount[spend], s_total[s_spend]))
        lines = self.line_keys.copy()
        for k, name in enumerate(KINDS):
            lines[name] = totals[:, k]
        for k, name in enumerate(COST_KINDS):
            lines[f"spent_{name}"] = by_cost[:, k]
        lines["own_contribution"] = totals[:, CONTRIBUTION]
        return lines

    # ---- balances -------------------------------------------------------------------

    def balance(self, day: int, mask: np.ndarray | None = None) -> dict[str, float]:
        """Cumulative earmarked (incl. top-ups), spent, released, still reserved and own
        contributions received at the end of absolute ``day``; ``reserved`` is computed from
        the open lines, not as the difference."""
        ev = self.events
        lines = self.line_keys
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
        reserved = float(signed[is_open].sum())
        st = self.streams
        if mask is not None:
            st = st[mask[st["line"].to_numpy()]]
        paid = st["amount"].to_numpy() * payments_in(st["first_day"].to_numpy(), st["k0"].to_numpy(),
                                                     st["k1"].to_numpy(), -np.inf, day + 1)
        s_kind = st["kind"].to_numpy()
        out["earmarked"] += float(paid[s_kind == TOPUP].sum())
        out["spent"] += float(paid[s_kind == SPEND].sum())
        out["own_contribution"] = float(paid[s_kind == CONTRIBUTION].sum())
        s_open = open_line[st["line"].to_numpy()]
        reserved += float((np.where(s_kind == SPEND, -paid, np.where(s_kind == TOPUP, paid, 0.0)))[s_open].sum())
        out["reserved"] = reserved
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
    if ok.any():  # the first delivery per replication and item: a sort of packed keys (measured on
        # a national chunk: 28.1 ms, where pandas' groupby on a MultiIndex took 65.3)
        rep_ok, item_ok, day = rep[ok].astype(np.int64), item[ok], delivered[ok]
        key = (rep_ok - rep_ok.min()) * (int(item_ok.max()) + 1) + item_ok
        order = np.argsort(key, kind="stable")
        starts = np.flatnonzero(np.r_[True, key[order][1:] != key[order][:-1]])
        group = np.empty(len(key), dtype=np.int64)
        group[order] = np.cumsum(np.r_[True, key[order][1:] != key[order][:-1]]) - 1
        age[ok] = day - np.minimum.reduceat(day[order], starts)[group]
    out = np.zeros(n)
    out[f_line] = age
    return out


def _patient_rows(patients: pd.DataFrame, rows: pd.DataFrame) -> np.ndarray:
    """The position in ``patients`` of the replication and patient of each row of ``rows``
    (-1: not among them). Replications and ids are numbered by factorising and looked up as
    packed integers, without turning Arrow text ids into Python strings."""
    if not len(patients):
        return np.full(len(rows), -1, dtype=np.int64)
    rep_code, reps = pd.factorize(patients["replication"], use_na_sentinel=False)
    pid_code, pids = pd.factorize(patients["patient_id"], use_na_sentinel=False)
    key = rep_code.astype(np.int64) * len(pids) + pid_code
    order = np.argsort(key, kind="stable")
    known = key[order]
    if len(known) > 1 and (known[1:] == known[:-1]).any():
        raise ValueError("`patients` lists a replication and patient more than once")
    row_rep, row_pid = reps.get_indexer(rows["replication"]), pids.get_indexer(rows["patient_id"])
    wanted = row_rep.astype(np.int64) * len(pids) + row_pid
    at = np.minimum(np.searchsorted(known, wanted), len(known) - 1)
    found = (row_rep >= 0) & (row_pid >= 0) & (known[at] == wanted)
    return np.where(found, order[at], -1).astype(np.int64)


def build_ledger(
    frame: pd.DataFrame,
    catalog: Catalog,
    plan: pd.DataFrame | None = None,
    patients: pd.DataFrame | None = None,
    assumptions: BudgetAssumptions | None = None,
    rented: Collection[str] = (),
    plan_mask: np.ndarray | None = None,
    prices: PriceIndex | None = None,
    contributions: OwnContributionRules | None = None,
    handover_months: float = 0.0,
) -> Ledger:
    """The ledger of a request frame (docs/architecture.md) under an IVP plan.

    ``plan``: the earmarked lines (``replication``, ``patient_id``, ``provision_id``,
    optionally ``amount`` in the provision's price-year euros; default amount: the catalogue
    cost); or ``plan_mask``, an ``(n_patients, n_catalogue)`` boolean array aligned with
    ``patients`` and the catalogue (the fast path for large caseloads). Without either only
    the provisions in the frame are earmarked. ``patients``: ``replication``, ``patient_id``,
    ``diagnosis_date``, ``death_day`` for every patient of the plan (needed for patients
    absent from the frame, e.g. one who died at diagnosis); with the disease model's
    ``lives_alone``, ``age_at_onset`` and ``diagnostic_delay_months`` the Wmo's own
    contributions are booked (``contributions``: the rules, default the shipped ones).
    ``rented``: provision ids rented under a pgb. ``prices``: the price index (default the
    shipped one). ``handover_months``: months the departing municipality pays the rent of a
    device in use after a Wlz entry or a move (the scenario's ``client_events``).
    """
    a = assumptions or default_assumptions()
    prices = prices or price_index()
    rules = contributions or own_contribution_rules()
    ids = catalog.ids
    P = len(ids)
    cost_of_id = np.array([p.cost_eur for p in catalog], dtype=float)
    fin_of_id = np.array([FINANCIER_CODES.index(p.financier) for p in catalog], dtype=np.int8)
    reuse_of_id = np.array([REUSE_CODES.index(p.reuse) for p in catalog], dtype=np.int8)
    year_of_id = np.array([p.price_year for p in catalog], dtype=np.int64)
    frame = frame.reset_index(drop=True)

    # patients: the given ones, plus any only the frame knows
    if patients is None:
        patients = patients_from_frame(frame)
    patients = patients.reset_index(drop=True)
    f_pat = _patient_rows(patients, frame) if len(frame) else np.zeros(0, dtype=np.int64)
    if (f_pat < 0).any():
        extra = patients_from_frame(frame.iloc[np.flatnonzero(f_pat < 0)])
        patients = pd.concat([patients, extra], ignore_index=True)
        f_pat = _patient_rows(patients, frame)
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
        p_pat = _patient_rows(patients, plan)
        if (p_pat < 0).any():
            raise ValueError("the plan names patients that are neither in `patients` nor in the frame")
        p_prov = provision_codes(plan["provision_id"], ids)
        p_key = p_pat.astype(np.int64) * P + p_prov
        given = _num(plan, "amount")
        p_amount = np.where(np.isnan(given), cost_of_id[p_prov], given)
    else:
        p_key, p_amount = f_key, cost_of_id[f_prov]
    # the sorted distinct keys, by a presence table over every possible key (patients x
    # provisions: a few million bytes at most) rather than np.union1d's hash and sort (measured:
    # the largest single cost of the national reserve's ledger)
    present = np.zeros(len(patients) * P, dtype=bool)
    present[f_key] = True
    present[p_key] = True
    keys = np.flatnonzero(present).astype(np.int64)
    n = len(keys)
    f_line = np.searchsorted(keys, f_key)
    if len(f_line) and np.bincount(f_line, minlength=n).max() > 1:
        raise ValueError("the request frame has more than one row for a patient and provision")
    pat, prov = keys // P, keys % P
    in_plan = np.zeros(n, dtype=bool)
    amount = np.zeros(n)
    p_line = np.searchsorted(keys, p_key)
    in_plan[p_line] = True
    amount[p_line] = p_amount  # outside the plan: 0, everything is a top-up
    in_frame = np.zeros(n, dtype=bool)
    in_frame[f_line] = True
    # The plan's lines the frame does not name (provisions never requested: most lines of a
    # caseload) are only earmarked and released; everything else works on the frame's lines
    # alone (``w``), numbered 0 .. m-1 from here on (measured on a national chunk of 449,285
    # lines, 204,992 of them in the frame: build_ledger 0.278-0.308 -> 0.245-0.279 s CPU,
    # medians of three alternating series)
    lines = _Lines(n, np.flatnonzero(in_frame), np.flatnonzero(~in_frame), pat, prov, in_plan, amount)
    n, pat, prov, in_plan, amount = len(lines.w), pat[lines.w], prov[lines.w], in_plan[lines.w], amount[lines.w]
    f_line = np.searchsorted(lines.w, f_line)

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

    def priced(value, day, provs=None) -> np.ndarray:
        """Price-year euros of each line's provision (or of ``provs``), in euros of ``day``'s year."""
        return np.asarray(value, dtype=float) * prices.factor(day, year_of_id[prov if provs is None else provs])

    provisions = list(catalog)
    cost_of = cost_of_id[prov]
    diag = pat_diag[pat]
    death = diag + np.where(np.isfinite(col("death_day")), col("death_day"), pat_death[pat])
    cost_day, delivery, use_end = diag + col("cost_day"), diag + col("delivery_day"), diag + col("use_end_day")
    need_end, melding = diag + col("need_end_day"), diag + col("melding_day")
    handover, wlz_rel = diag + col("handover_day"), col("wlz_day")
    spent_frame = np.nan_to_num(col("cost_eur", 0.0))
    from_depot = flag("from_depot")
    earmark_day = np.where(in_plan, diag + a.earmark_day, np.nan)

    via_pgb = flag("pgb") if "pgb" in frame.columns else np.ones(n, dtype=bool)
    delivered = np.isfinite(delivery)
    rented_codes = [ids.index(r) for r in rented if r in ids]
    pgb_rent = np.isin(prov, rented_codes) & via_pgb & delivered
    kind_rent = np.array([p.acquisition == "rent" for p in provisions], dtype=bool)[prov] & ~via_pgb & delivered \
        & ~from_depot
    is_rent = pgb_rent | kind_rent
    bought = ~is_rent & np.isfinite(cost_day)
    reissued = ~is_rent & ~bought & from_depot & np.isfinite(delivery)
    nothing = ~is_rent & ~bought & ~reissued
    owned = (bought & ~flag("contribution")) | reissued  # maintained and adapted by the financier
    loan = np.nan_to_num(col("bridge_cost_eur", 0.0))
    loaned = loan > 0
    loan_end = diag + col("bridge_end_day")
    refurbishment = np.nan_to_num(col("depot_cost_eur", 0.0))

    # rent: a monthly stream from delivery to the end of use (in kind, after a Wlz entry, the
    # departing municipality's handover months), at least the rent's term
    rent_month = np.where(kind_rent, np.array([p.rent_eur_month or 0.0 for p in provisions])[prov],
                          cost_of * a.rent_monthly_fraction)
    rent_min = np.where(kind_rent, np.array([p.rent_min_months for p in provisions], dtype=float)[prov], 1.0)
    rent_end = np.where(np.isfinite(use_end), use_end, death)
    rent_end = np.where(np.isfinite(rent_end), rent_end, delivery + RENT_CAP_MONTHS * DAYS_PER_MONTH)
    at_wlz_handover = kind_rent & np.isfinite(handover) & (handover == diag + wlz_rel)
    rent_end = np.where(at_wlz_handover, rent_end + handover_months * DAYS_PER_MONTH, rent_end)
    rent_months = np.minimum(np.maximum(rent_min, months_between(delivery, np.maximum(rent_end, delivery))),
                             RENT_CAP_MONTHS)
    i_rent = np.flatnonzero(is_rent)
    rent_last = np.full(n, np.nan)
    rent_last[i_rent] = payment_day(delivery[i_rent], rent_months[i_rent] - 1)

    # when money first leaves each line, so the earmark falls no later
    first_spend = np.full(n, np.nan)
    first_spend[loaned] = loan_end[loaned]
    first_spend[bought] = np.fmin(first_spend[bought], cost_day[bought])
    with_refurb = reissued & (refurbishment > 0)
    first_spend[with_refurb] = np.fmin(first_spend[with_refurb], delivery[with_refurb])
    first_spend[is_rent] = np.fmin(first_spend[is_rent], delivery[is_rent])
    earmark_day = np.where(in_plan, np.fmin(earmark_day, first_spend), first_spend)
    earmark_day = np.where(np.isnan(earmark_day), melding, earmark_day)
    earmark = np.where(in_plan, priced(amount, earmark_day), 0.0)

    book = _Book(lines.w)
    close = np.full(n, np.nan)

    # a loan device's rent, spent when the loan ends; the rest of the earmark (``left``)
    # serves the definitive provision
    i = np.flatnonzero(loaned)
    loan_paid = priced(loan, loan_end)
    book.event(i, SPEND, loan_end[i], loan_paid[i], RENT)
    book.event(i, TOPUP, loan_end[i], np.maximum(loan_paid[i] - earmark[i], 0.0))
    close[i] = loan_end[i]
    left = np.maximum(earmark - np.where(loaned, loan_paid, 0.0), 0.0)

    # purchases (including a depot reissue the frame charges for)
    i = np.flatnonzero(bought)
    s = priced(spent_frame, cost_day)[i]
    book.event(i, SPEND, cost_day[i], s, PURCHASE)
    book.event(i, TOPUP, cost_day[i], np.maximum(s - left[i], 0.0))
    book.event(i, RELEASE, cost_day[i], np.maximum(left[i] - s, 0.0))
    close[i] = cost_day[i]

    # depot reissues: refurbishment (the frame's depot_cost_eur) is spent at delivery and the
    # rest of the earmark released; no purchase
    i = np.flatnonzero(reissued)
    r = priced(refurbishment, delivery)[i]
    book.event(i, SPEND, delivery[i], r, PURCHASE)
    book.event(i, TOPUP, delivery[i], np.maximum(r - left[i], 0.0))
    book.event(i, RELEASE, delivery[i], np.maximum(left[i] - r, 0.0))
    close[i] = delivery[i]

    # rent: from the earmark; when it runs out, the rest of the rent is a top-up on that day
    if len(i_rent):
        pieces = split_by_year(delivery[i_rent], np.zeros(len(i_rent)), rent_months[i_rent])
        line = i_rent[pieces.stream]
        paid = rent_month[line] * prices.years_factor(pieces.year, year_of_id[prov[line]])
        book.stream(line, SPEND, pieces, paid, RENT)
        k, total = crossing(pieces.stream, pieces.k0, pieces.count, paid, left[i_rent], len(i_rent))
        over = np.flatnonzero(np.isfinite(k))
        book.event(i_rent[over], TOPUP, payment_day(delivery[i_rent[over]], k[over]), total[over] - left[i_rent[over]])
        book.event(i_rent, RELEASE, rent_last[i_rent], np.maximum(left[i_rent] - total, 0.0))
        close[i_rent] = rent_last[i_rent]

    # beyond the earmark (top-ups as they happen): the rent a departing municipality pays for
    # the handover months after a move, the upkeep of owned items, their after-adaptations
    moved = kind_rent & np.isfinite(handover) & ~at_wlz_handover
    i = np.flatnonzero(moved)
    months = np.full(len(i), float(np.ceil(handover_months)))
    pieces = split_by_year(handover[i], np.zeros(len(i)), months)
    line = i[pieces.stream]
    book.paired_stream(line, pieces, rent_month[line] * prices.years_factor(pieces.year, year_of_id[prov[line]]), RENT)
    upkeep = np.array([p.maintenance_eur_year for p in provisions])[prov] / 12.0
    i = np.flatnonzero(owned & (upkeep > 0) & np.isfinite(use_end))
    pieces = split_by_year(delivery[i], np.zeros(len(i)), months_between(delivery[i], use_end[i]))
    line = i[pieces.stream]
    book.paired_stream(line, pieces, upkeep[line] * prices.years_factor(pieces.year, year_of_id[prov[line]]),
                       MAINTENANCE)
    adaptation_day = diag + col("adaptation_day")
    adaptation = np.array([p.adaptation_eur for p in provisions])[prov]
    i = np.flatnonzero(owned & (adaptation > 0) & np.isfinite(adaptation_day))
    paid = priced(adaptation, adaptation_day)[i]
    book.event(i, SPEND, adaptation_day[i], paid, MAINTENANCE)
    book.event(i, TOPUP, adaptation_day[i], paid)

    # nothing bought: released when the window has passed (need end) or at death (a line
    # the frame does not name: at death)
    i = np.flatnonzero(nothing & in_plan)
    window_end = np.fmin(need_end[i], death[i])
    window_end = np.where(np.isfinite(window_end), np.fmax(window_end, earmark_day[i]), np.nan)  # never before the earmark
    close[i] = window_end
    o_diag = pat_diag[lines.pat[lines.o]]
    o_earmark_day = o_diag + a.earmark_day
    o_earmark = priced(lines.amount[lines.o], o_earmark_day, lines.prov[lines.o])
    o_death = o_diag + pat_death[lines.pat[lines.o]]
    o_close = np.where(np.isfinite(o_death), np.fmax(o_death, o_earmark_day), np.nan)
    book.merged_event(lines, i, RELEASE, window_end, left[i], o_close, np.maximum(o_earmark, 0.0))  # nan day = open

    # a line with a loan stays open until the loan's rent is paid
    i = np.flatnonzero(loaned)
    close[i] = np.fmax(close[i], loan_end[i])

    # earmarks: on the IVP day, or at the first spending if earlier; top-up-only lines
    # (outside the plan) have no earmark of their own
    keep = in_plan | bought | is_rent | reissued | loaned
    i = np.flatnonzero(in_plan)
    book.merged_event(lines, i, EARMARK, earmark_day[i], earmark[i], o_earmark_day, o_earmark)

    # the client's own contribution to the Wmo (income), on the line of the first delivery
    received = (bought | reissued | is_rent) & (fin_of_id[prov] == FINANCIER_CODES.index("wmo")) \
        & np.array([p.own_contribution for p in provisions])[prov] & np.isfinite(delivery)
    _book_contributions(book, received, pat, delivery, np.where(np.isfinite(use_end), use_end, death),
                        priced(cost_of, delivery), patients, pat_diag, rules)

    i, back, new_value, residual = _returns(reuse_of_id, prov, delivered, is_rent, keep, use_end, death, delivery, frame,
                                            f_line, n, col, cost_of, year_of_id[prov], prices, a)
    return book.ledger(lines.n, lines.whole(keep, True), patients, lines.pat, lines.prov, ids, fin_of_id, reuse_of_id,
                       lines.in_plan, lines.whole(is_rent, False), lines.whole(bought, False),
                       lines.whole(from_depot, False), lines.whole(reissued, False),
                       lines.whole(earmark_day, o_earmark_day), lines.whole(close, o_close), cost_of_id[lines.prov],
                       (lines.w[i], back, new_value, residual))


@dataclass(frozen=True)
class _Lines:
    """All ``n`` lines of a ledger (their patient, provision, whether in the plan and the
    plan's amount), and which of them the request frame names (``w``, in line order) and
    which it does not (``o``: lines of the plan only)."""

    n: int
    w: np.ndarray
    o: np.ndarray
    pat: np.ndarray
    prov: np.ndarray
    in_plan: np.ndarray
    amount: np.ndarray

    def whole(self, values: np.ndarray, rest) -> np.ndarray:
        """Per line: ``values`` of the frame's lines, ``rest`` (a scalar or per line of ``o``)
        for the others."""
        out = np.empty(self.n, dtype=np.asarray(values).dtype)
        out[self.w] = values
        out[self.o] = rest
        return out


class _Book:
    """The money movements of a ledger as they are booked: single events and monthly streams
    (:mod:`ivp.domain.recurring`), each on a line, of a kind, and for spending of a cost kind."""

    def __init__(self, line_of: np.ndarray) -> None:
        self.line_of = line_of
        """The ledger's line of each line number the callers of :meth:`event` and :meth:`stream` use."""
        self.events: list[tuple] = []
        self.streams: list[tuple] = []

    def event(self, line, kind: int, day, amount, cost_kind: int = NO_COST_KIND) -> None:
        self._event(self.line_of[np.asarray(line, dtype=np.int64)], kind, day, amount, cost_kind)

    def _event(self, line: np.ndarray, kind: int, day, amount, cost_kind: int) -> None:
        self.events.append((line, np.full(len(line), kind, dtype=np.int8),
                            np.broadcast_to(np.asarray(day, dtype=float), line.shape),
                            np.broadcast_to(np.asarray(amount, dtype=float), line.shape),
                            np.full(len(line), cost_kind, dtype=np.int8)))

    def merged_event(self, lines: _Lines, i, kind: int, day, amount, o_day, o_amount) -> None:
        """Events of kind ``kind`` on the frame's lines ``i`` and on every line of the plan
        only (``lines.o``), booked in line order as one."""
        line = np.concatenate([self.line_of[i], lines.o])
        order = np.argsort(line, kind="stable")
        self._event(line[order], kind, np.concatenate([np.broadcast_to(day, len(i)), o_day])[order],
                    np.concatenate([np.broadcast_to(amount, len(i)), o_amount])[order], NO_COST_KIND)

    def stream(self, line, kind: int, pieces: Pieces, amount, cost_kind: int = NO_COST_KIND) -> None:
        line = self.line_of[np.asarray(line, dtype=np.int64)]
        self.streams.append((line, np.full(len(line), kind, dtype=np.int8), np.full(len(line), cost_kind, dtype=np.int8),
                             pieces.first_day, pieces.k0, pieces.k1, np.asarray(amount, dtype=float)))

    def paired_stream(self, line, pieces: Pieces, amount, cost_kind: int) -> None:
        """Spending beyond the earmark: each payment with its top-up on the same day."""
        self.stream(line, SPEND, pieces, amount, cost_kind)
        self.stream(line, TOPUP, pieces, amount)

    def ledger(self, n, keep, patients, pat, prov, ids, fin_of_id, reuse_of_id, in_plan, is_rent, bought, from_depot,
               reissued, earmark_day, close, cost_of, returns) -> "Ledger":
        kept = np.flatnonzero(keep)
        renumber = np.full(n, -1, dtype=np.int64)
        renumber[kept] = np.arange(len(kept))
        # the movements that happened on the kept lines, numbered by kept line, filtered once
        e_line, e_kind, e_day, e_amount, e_cost = (np.concatenate([part[j] for part in self.events]) for j in range(5))
        e_line = renumber[e_line]
        ok = (e_line >= 0) & np.isfinite(e_day) & ((e_amount != 0) | (e_kind == RELEASE))  # undated: not happened
        e_line, e_kind, e_day, e_amount, e_cost = e_line[ok], e_kind[ok], e_day[ok], e_amount[ok], e_cost[ok]
        if self.streams:
            s_line, s_kind, s_cost, s_first, s_k0, s_k1, s_amount = (
                np.concatenate([part[j] for part in self.streams]) for j in range(7))
        else:
            s_line, s_kind, s_cost = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int8), np.zeros(0, dtype=np.int8)
            s_first = s_k0 = s_k1 = s_amount = np.zeros(0)
        s_line = renumber[s_line]
        ok = (s_line >= 0) & (s_k1 > s_k0) & (s_amount != 0)
        s_line, s_kind, s_cost, s_first, s_k0, s_k1, s_amount = (
            x[ok] for x in (s_line, s_kind, s_cost, s_first, s_k0, s_k1, s_amount))

        acquisition = np.select([is_rent, bought & from_depot, bought, reissued], [1, 2, 0, 2], 3).astype(np.int8)
        k_pat, k_prov = pat[kept], prov[kept]
        # copy=False: fresh arrays, kept only here, so pandas need not copy them into blocks
        lines = pd.DataFrame({
            "replication": patients["replication"].array.take(k_pat),
            # taken as they are: text ids stay Arrow text (measured: through Python strings, 37 ms
            # of a national chunk's 400)
            "patient_id": patients["patient_id"].array.take(k_pat),
            "provision_id": pd.Categorical.from_codes(k_prov, categories=list(ids)),
            "financier": pd.Categorical.from_codes(fin_of_id[k_prov], categories=list(FINANCIER_CODES)),
            "reuse": pd.Categorical.from_codes(reuse_of_id[k_prov], categories=list(REUSE_CODES)),
            "in_plan": in_plan[kept],
            "acquisition": pd.Categorical.from_codes(acquisition[kept], categories=list(ACQUISITIONS)),
            "earmark_day": earmark_day[kept],
            "close_day": close[kept],
            "cost_eur": cost_of[kept],
        }, copy=False)
        events = pd.DataFrame({"line": e_line, "kind": e_kind, "day": e_day, "amount": e_amount, "cost_kind": e_cost},
                              copy=False)
        streams = pd.DataFrame({"line": s_line, "kind": s_kind, "cost_kind": s_cost, "first_day": s_first, "k0": s_k0,
                                "k1": s_k1, "amount": s_amount}, copy=False)
        i, back, new_value, residual = returns
        returns_frame = pd.DataFrame({"line": renumber[i], "day": back, "new_value": new_value,
                                      "residual_value": residual}, copy=False)
        return Ledger(line_keys=lines, events=events, returns=returns_frame, streams=streams)


def _sums(n: int, width: int, lines: tuple, columns: tuple, values: tuple) -> np.ndarray:
    """``(n, width)``: the values summed per line and column, one part after the other."""
    flat = np.concatenate([line.astype(np.int64) * width + column.astype(np.int64) for line, column in zip(lines, columns)])
    return np.bincount(flat, weights=np.concatenate(values), minlength=n * width).reshape(n, width)


def _returns(reuse_of_id, prov, delivered, is_rent, keep, use_end, death, delivery, frame, f_line, n, col, cost_of,
             price_year, prices: PriceIndex, a):
    """Depot returns: reusable items delivered and not rented, when their use ends, at their
    new price and their residual value in euros of that day."""
    reusable = (reuse_of_id[prov] == REUSE_CODES.index("herinzetbaar")) & delivered & ~is_rent
    i = np.flatnonzero(reusable & keep)
    back = np.where(np.isfinite(use_end[i]), use_end[i], death[i])
    back = np.fmax(back, delivery[i])
    age = back - delivery[i] + _item_age_at_delivery(frame, f_line, n, col)[i]
    ok = np.isfinite(back)
    i, back, age = i[ok], back[ok], age[ok]
    new_value = cost_of[i] * prices.factor(back, price_year[i])
    return i, back, new_value, residual_value(new_value, age, a)


def _book_contributions(book: _Book, received, pat, delivery, end, gross, patients, pat_diag,
                        rules: OwnContributionRules) -> None:
    """The own contribution of each client who received Wmo provisions it applies to: from
    the first delivery to the last end of use, capped at their cost price, booked on the
    line of the first delivery (:mod:`ivp.domain.own_contribution`)."""
    needed = {"lives_alone", "age_at_onset", "diagnostic_delay_months"}
    i = np.flatnonzero(received)
    if not len(i) or not needed <= set(patients.columns):
        return
    i = i[np.lexsort((delivery[i], pat[i]))]
    p = pat[i]
    starts = np.flatnonzero(np.r_[True, p[1:] != p[:-1]])
    first_line, who = i[starts], p[starts]
    start = delivery[first_line]
    last = np.fmax.reduceat(end[i], starts)
    cap = np.add.reduceat(gross[i], starts)
    age = (patients["age_at_onset"].to_numpy(dtype=float)[who]
           + patients["diagnostic_delay_months"].to_numpy(dtype=float)[who] / MONTHS_PER_YEAR
           + (start - pat_diag[who]) / DAYS_PER_YEAR)
    alone = patients["lives_alone"].map({True: 1.0, False: 0.0}).to_numpy(dtype=float, na_value=np.nan)[who]
    due = np.flatnonzero(owes(alone, age, start, rules) & np.isfinite(last))
    pieces, paid = contribution_streams(start[due], last[due], cap[due], rules)
    book.stream(first_line[due][pieces.stream], CONTRIBUTION, pieces, paid)


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
    lines, events, returns = ledger.line_keys, ledger.events, ledger.returns
    if lines.empty:
        return pd.DataFrame(columns=["replication", "period", *by, *MEASURES])
    ev_day = events["day"].to_numpy()
    if start is None:
        start = int(np.nanmin(lines["earmark_day"].to_numpy()))
    if end is None:
        last = [ev_day.max() if len(ev_day) else start]
        if len(returns):
            last.append(returns["day"].max())
        st = ledger.streams
        if len(st):
            last.append(float(np.max(payment_day(st["first_day"].to_numpy(), st["k1"].to_numpy() - 1))))
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
            "earmarked_total", "spent_total", "released_total", "reserved",
            "spent_purchase", "spent_rent", "spent_maintenance", "own_contribution"]
"""Per period: flows (``earmarked`` including top-ups, ``spent`` and its split by cost kind
``spent_<kind>``, ``released``, depot returns and their value, ``own_contribution`` received)
and balances at the period's end (``*_total``, ``reserved``)."""


def ledger_between(ledger: Ledger, edges: np.ndarray, by: Iterable[str] = ("financier",),
                   replications: Iterable | None = None) -> pd.DataFrame:
    """Flows in each period ``[edges[i], edges[i+1])`` (absolute days) and balances at the end
    of it, per replication and group; ``period`` is the period's first day. ``replications``
    lists every replication to report (also those without lines, as zeros)."""
    by = tuple(by)
    lines, events, returns = ledger.line_keys, ledger.events, ledger.returns
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

    width = n_per + 2

    def at(line: np.ndarray, days: np.ndarray) -> np.ndarray:
        """The (cell, period) position, flattened, of movements on ``line`` on ``days``."""
        return cell[line] * width + bucket(days)

    def accumulate(flat: np.ndarray, values: np.ndarray) -> np.ndarray:
        return np.bincount(flat, weights=values, minlength=n_cell * width).reshape(n_cell, width)

    st = ledger.streams
    st_line, st_kind, st_cost = st["line"].to_numpy(), st["kind"].to_numpy(), st["cost_kind"].to_numpy()
    st_amount = st["amount"].to_numpy()

    # the streams' payments per (kind, cost kind), cell and period, summed once
    n_cost = len(COST_KINDS) + 1  # cost kinds, and none (-1 -> 0)
    n_group = (CONTRIBUTION + 1) * n_cost
    group = (st_kind.astype(np.int64) * n_cost + st_cost.astype(np.int64) + 1) * n_cell + cell[st_line]
    by_group = _stream_sums(group, st["first_day"].to_numpy(), st["k0"].to_numpy(), st["k1"].to_numpy(), st_amount,
                            edges, n_group * n_cell).reshape(CONTRIBUTION + 1, n_cost, n_cell, width)

    def accumulate_streams(kinds, cost_kind: int | None = None) -> np.ndarray:
        """The streams' payments of ``kinds`` (and of ``cost_kind``), per cell and period."""
        parts = by_group[list(kinds)]
        return (parts.sum(axis=(0, 1)) if cost_kind is None else parts[:, cost_kind + 1].sum(axis=0))

    # each event's and each line's closing position, found once for every sum below (measured:
    # the searches repeated per sum were a third of this function's time)
    ev_line = events["line"].to_numpy()
    ev_kind = events["kind"].to_numpy()
    ev_amount = events["amount"].to_numpy()
    ev_at = at(ev_line, ev_day)
    close = lines["close_day"].to_numpy()
    close_at = at(np.arange(len(lines)), close)  # (meaningful where close is finite)
    flows = {}
    for name, kinds in (("earmarked", (EARMARK, TOPUP)), ("spent", (SPEND,)), ("released", (RELEASE,))):
        m = np.isin(ev_kind, kinds)
        flows[name] = accumulate(ev_at[m], ev_amount[m]) + accumulate_streams(kinds)
    ev_cost = events["cost_kind"].to_numpy()
    by_cost = {}
    for k, name in enumerate(COST_KINDS):
        m = (ev_kind == SPEND) & (ev_cost == k)
        by_cost[name] = accumulate(ev_at[m], ev_amount[m]) + accumulate_streams((SPEND,), k)
    contributed = accumulate_streams((CONTRIBUTION,))
    # still reserved, on its own: every earmark/top-up adds and every spend subtracts from the
    # moment it happens until the line closes
    m = ev_kind != RELEASE
    sign = np.where(ev_kind[m] == SPEND, -1.0, 1.0) * ev_amount[m]
    res = accumulate(ev_at[m], sign)
    closing = np.isfinite(close[ev_line[m]])
    res -= accumulate(close_at[ev_line[m][closing]], sign[closing])
    res += accumulate_streams((TOPUP,)) - accumulate_streams((SPEND,))
    m = (st_kind == SPEND) | (st_kind == TOPUP)
    closing = m & np.isfinite(close[st_line])
    total = (st["k1"].to_numpy() - st["k0"].to_numpy()) * st_amount * np.where(st_kind == SPEND, -1.0, 1.0)
    res -= accumulate(close_at[st_line[closing]], total[closing])
    r_at = at(returns["line"].to_numpy(), returns["day"].to_numpy())
    returned = accumulate(r_at, np.ones(len(r_at)))
    residual = accumulate(r_at, returns["residual_value"].to_numpy())

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
    for name in COST_KINDS:
        frame[f"spent_{name}"] = by_cost[name][:, inside].ravel()
    frame["own_contribution"] = contributed[:, inside].ravel()
    return frame[["replication", "period", *by, *MEASURES]]


def _stream_sums(group: np.ndarray, first_day: np.ndarray, k0: np.ndarray, k1: np.ndarray, amount: np.ndarray,
                 edges: np.ndarray, n_groups: int) -> np.ndarray:
    """``(n_groups, len(edges) + 1)``: the payments of the streams of each group before the
    first edge, in each period between edges, and from the last edge on. A stream whose
    payments all fall in one period (most: streams are cut at calendar years) is summed
    directly; the others are spread over the periods they cross."""
    width = len(edges) + 1
    out = np.zeros(n_groups * width)
    if not len(group):
        return out.reshape(n_groups, width)
    edges = edges.astype(float)
    first = np.searchsorted(edges, payment_day(first_day, k0), side="right")
    last = np.searchsorted(edges, payment_day(first_day, k1 - 1), side="right")
    one = first == last
    out += np.bincount(group[one] * width + first[one], weights=(k1 - k0)[one] * amount[one], minlength=n_groups * width)
    many = np.flatnonzero(~one)
    if len(many):  # one (stream, period) pair per period a stream crosses
        spans = last[many] - first[many] + 1
        i = np.repeat(many, spans)
        period = np.repeat(first[many], spans) + np.arange(spans.sum()) - np.repeat(np.cumsum(spans) - spans, spans)
        bounds = np.concatenate([[-np.inf], edges, [np.inf]])
        count = (np.clip(first_payment_from(first_day[i], bounds[period + 1]), k0[i], k1[i])
                 - np.clip(first_payment_from(first_day[i], bounds[period]), k0[i], k1[i]))
        out += np.bincount(group[i] * width + period, weights=count * amount[i], minlength=n_groups * width)
    return out.reshape(n_groups, width)


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

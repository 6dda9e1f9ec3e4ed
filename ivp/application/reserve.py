"""A municipality's reserve: yearly outlay, earmarks, releases and depot over a caseload.

``run_reserve`` simulates a municipality's ALS caseload over a horizon of years with
:class:`ivp.models.process.Caseload`: new clients arrive as a Poisson process at the scenario's
incidence (2.77 per 100,000 inhabitants a year, Huisman et al. 2011; DOMAIN.md section 5),
the municipality's current clients (a caseload file, :mod:`ivp.application.caseload`) continue
their course, a shared depot reissues returned reusable items (the scenario's ``depot``
block), and staff capacity may be limited (``staff``). Each replication is reduced inside
its worker to KPI rows per horizon year (:func:`caseload_kpis`); request frames are never
collected, so the whole country fits in memory.

Per year and financier: ``outlay`` (spent, in euros of that year: :mod:`ivp.domain.prices`)
and its parts by cost kind, ``outlay_purchase`` (purchases and refurbishment),
``outlay_rent`` (rent in kind, under a pgb, loan devices) and ``outlay_maintenance``
(maintenance and after-adaptations of owned items), which add up to it;
``own_contribution`` (the clients' abonnementstarief, Wmo only) and ``net_outlay`` (outlay
minus it); ``earmarked``
(new IVP earmarks and top-ups), ``released`` (flowed back to the free means),
``reserved_end`` (still earmarked at the year's end: the protocol's open obligations),
``depot_reissues``, ``depot_savings`` (new price minus refurbishment of reissued items),
``depot_returns``, ``depot_return_value`` (residual value), ``depot_stock_end`` (items
waiting in the depot at the year's end), ``purchases``. Per year for
all: ``new_clients``, ``active_clients``, ``deaths``, ``requests`` (needs that start in the
year), ``gap_days_total``, ``gap_days_mean``, ``share_gap_over_20wd``.

**The reserve rule** (``reserve_percentile`` in ``ivp/domain/budget_assumptions.yaml``): at the
start of each year hold the P90 over replications of that year's Wmo outlay; the
replications carry the uncertainty in arrivals, courses and lead times. The protocol's
earmarks (``reserved_end``) are shown beside it: they are what an earmark-everything
approach would tie up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Callable, Collection, Mapping

import numpy as np
import pandas as pd

from ivp.application.applicability import applicable_mask
from ivp.application.caseload import CaseloadFile
from ivp.domain.assumptions import BudgetAssumptions, default_assumptions
from ivp.domain.catalog import FINANCIERS, Catalog, load_catalog
from ivp.domain.ledger import COST_KINDS, build_ledger, ledger_between, provision_codes
from ivp.domain.prices import price_index
from ivp.models.process import (
    DEFAULT_SEED,
    GAP_THRESHOLD_WERKDAGEN,
    Caseload,
    Executor,
    run,
)

MONEY_METRICS = ("outlay", "outlay_purchase", "outlay_rent", "outlay_maintenance", "own_contribution", "net_outlay",
                 "earmarked", "released", "reserved_end", "depot_reissues", "depot_savings",
                 "depot_returns", "depot_return_value", "depot_stock_end", "purchases")
CLIENT_METRICS = ("new_clients", "active_clients", "deaths", "requests", "gap_days_total", "gap_days_mean",
                  "share_gap_over_20wd", "wlz_entries", "moves", "requests_cancelled_wlz")
QUANTILES = (0.5, 0.9, 0.95)


@dataclass(frozen=True)
class ReserveConfig:
    """Everything a worker needs besides scenario, cohort and seed (picklable)."""

    catalog: Catalog
    assumptions: BudgetAssumptions
    edges: tuple[int, ...]
    rented: tuple[str, ...] = ()
    in_use: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    plan: str = "applicable"


def year_edges(start: dt.date, years: int) -> tuple[int, ...]:
    """Absolute day numbers of the starts of the horizon years, and of the end."""
    epoch = dt.date(1970, 1, 1)
    out = []
    for k in range(years + 1):
        try:
            day = start.replace(year=start.year + k)
        except ValueError:  # 29 February
            day = start.replace(year=start.year + k, day=28)
        out.append((day - epoch).days)
    return tuple(out)


# ---------------------------------------------------------------------------------------
# One replication (or a chunk of them) -> KPI rows
# ---------------------------------------------------------------------------------------


def _bucket(edges: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Horizon year index (0..years-1) of absolute days; -1 outside the horizon or nan."""
    days = np.asarray(days, dtype=float)
    idx = np.searchsorted(edges, days, side="right") - 1
    idx[(idx >= len(edges) - 1) | ~np.isfinite(days)] = -1
    return idx


def _per_year(rep_idx: np.ndarray, year_idx: np.ndarray, values, n_reps: int, n_years: int) -> np.ndarray:
    out = np.zeros((n_reps, n_years))
    ok = year_idx >= 0
    np.add.at(out, (rep_idx[ok], year_idx[ok]), np.broadcast_to(values, year_idx.shape)[ok])
    return out


def caseload_kpis(
    frame: pd.DataFrame,
    patients: pd.DataFrame,
    config: ReserveConfig,
    replications: Collection[int],
    handover_months: float = 0.0,
) -> pd.DataFrame:
    """KPI rows (``replication``, ``year`` index, ``financier`` (``wmo``/``zvw``/``all``),
    ``metric``, ``value``) of the caseload replications in ``frame`` and ``patients``."""
    reps = np.asarray(sorted(replications))
    edges = np.asarray(config.edges, dtype=np.int64)
    n_reps, n_years = len(reps), len(edges) - 1
    catalog = config.catalog
    ids = catalog.ids
    if len(frame):
        frame = frame.reset_index(drop=True)
        f_prov = provision_codes(frame["provision_id"], ids)
        if config.in_use:  # provisions a current client already has are not bought again
            keep = np.ones(len(frame), dtype=bool)
            patient = frame["patient_id"].astype(str).to_numpy()
            for client, provisions in config.in_use.items():
                codes = [ids.index(p) for p in provisions if p in ids]
                keep &= ~((patient == str(client)) & np.isin(f_prov, codes))
            frame, f_prov = frame[keep].reset_index(drop=True), f_prov[keep]
    else:
        f_prov = np.zeros(0, dtype=np.int64)
    rows: dict[tuple[str, str], np.ndarray] = {}

    # money, from the ledger
    if len(patients):
        patients = patients.reset_index(drop=True)
        mask = _plan_mask(patients, config)
        if mask is not None and config.in_use:  # ... nor earmarked again
            patient = patients["patient_id"].astype(str).to_numpy()
            for client, provisions in config.in_use.items():
                rows_of = np.flatnonzero(patient == str(client))
                for p in provisions:
                    if p in ids:
                        mask[rows_of, ids.index(p)] = False
        ledger = build_ledger(frame, catalog, plan_mask=mask, patients=patients, assumptions=config.assumptions,
                              rented=config.rented, handover_months=handover_months)
        money = ledger_between(ledger, edges, by=("financier",), replications=reps)
    else:
        ledger, money = None, pd.DataFrame(columns=["replication", "financier"])
    for financier in FINANCIERS:
        part = money[money["financier"] == financier] if len(money) else money
        def grid(column):
            out = np.zeros((n_reps, n_years))
            if len(part):
                r = np.searchsorted(reps, part["replication"].to_numpy())
                y = np.searchsorted(edges, part["period"].to_numpy().astype("datetime64[D]").astype(np.int64))
                out[r, y] = part[column].to_numpy()
            return out
        rows[(financier, "outlay")] = grid("spent")
        for kind in COST_KINDS:
            rows[(financier, f"outlay_{kind}")] = grid(f"spent_{kind}")
        rows[(financier, "own_contribution")] = grid("own_contribution")
        rows[(financier, "net_outlay")] = rows[(financier, "outlay")] - rows[(financier, "own_contribution")]
        rows[(financier, "earmarked")] = grid("earmarked")
        rows[(financier, "released")] = grid("released")
        rows[(financier, "reserved_end")] = grid("reserved")
        rows[(financier, "depot_returns")] = grid("depot_returned")
        rows[(financier, "depot_return_value")] = grid("depot_residual_value")

    # requests: depot reissues and purchases, gaps
    if len(frame):
        diag = frame["diagnosis_date"].to_numpy().astype("datetime64[D]").astype(np.int64).astype(float)
        rep_idx = np.searchsorted(reps, frame["replication"].to_numpy())
        fin = np.array([p.financier for p in catalog], dtype=object)[f_prov]
        delivery = diag + frame["delivery_day"].to_numpy(dtype=float)
        factor = np.nan_to_num(price_index().factor(delivery, np.array([p.price_year for p in catalog])[f_prov]))
        cost = np.array([p.cost_eur for p in catalog], dtype=float)[f_prov] * factor  # in euros of the delivery
        depot = frame["from_depot"].to_numpy(dtype=bool) & np.isfinite(delivery)
        refurb = np.nan_to_num(frame.get("depot_cost_eur", pd.Series(0.0, index=frame.index)).to_numpy(dtype=float)) * factor
        bought = np.isfinite(frame["cost_day"].to_numpy(dtype=float)) & ~depot
        y_delivery = _bucket(edges, delivery)
        y_cost = _bucket(edges, diag + frame["cost_day"].to_numpy(dtype=float))
        for financier in FINANCIERS:
            f = fin == financier
            rows[(financier, "depot_reissues")] = _per_year(rep_idx, np.where(f & depot, y_delivery, -1), 1.0, n_reps, n_years)
            rows[(financier, "depot_savings")] = _per_year(rep_idx, np.where(f & depot, y_delivery, -1), cost - refurb, n_reps, n_years)
            rows[(financier, "purchases")] = _per_year(rep_idx, np.where(f & bought, y_cost, -1), 1.0, n_reps, n_years)
        y_need = _bucket(edges, diag + frame["need_start_day"].to_numpy(dtype=float))
        gap = np.nan_to_num(frame["gap_days"].to_numpy(dtype=float))
        over = np.nan_to_num(frame["gap_werkdagen"].to_numpy(dtype=float)) > GAP_THRESHOLD_WERKDAGEN
        requests = _per_year(rep_idx, y_need, 1.0, n_reps, n_years)
        rows[("all", "requests")] = requests
        rows[("all", "gap_days_total")] = _per_year(rep_idx, y_need, gap, n_reps, n_years)
        with np.errstate(invalid="ignore", divide="ignore"):
            rows[("all", "gap_days_mean")] = np.where(requests > 0, rows[("all", "gap_days_total")] / np.maximum(requests, 1), np.nan)
            rows[("all", "share_gap_over_20wd")] = np.where(
                requests > 0, _per_year(rep_idx, y_need, over.astype(float), n_reps, n_years) / np.maximum(requests, 1), np.nan)
        if "wlz_day" in frame.columns:  # (a request frame of the process model; hand-made ones may lack it)
            cancelled = (frame["cancelled"].to_numpy(dtype=bool) & frame["wlz_day"].notna().to_numpy()
                         & frame["delivery_day"].isna().to_numpy())
            wlz = diag + frame["wlz_day"].to_numpy(dtype=float)
        else:
            cancelled, wlz = np.zeros(len(frame), dtype=bool), np.full(len(frame), np.nan)
        rows[("all", "requests_cancelled_wlz")] = _per_year(rep_idx, np.where(cancelled, _bucket(edges, wlz), -1), 1.0,
                                                           n_reps, n_years)
    else:
        for financier in FINANCIERS:
            for metric in ("depot_reissues", "depot_savings", "purchases"):
                rows[(financier, metric)] = np.zeros((n_reps, n_years))
        for metric in ("requests", "gap_days_total", "requests_cancelled_wlz"):
            rows[("all", metric)] = np.zeros((n_reps, n_years))
        rows[("all", "gap_days_mean")] = np.full((n_reps, n_years), np.nan)
        rows[("all", "share_gap_over_20wd")] = np.full((n_reps, n_years), np.nan)

    # depot stock at the year's end: items returned so far minus items reissued so far
    # (within the horizon; the scenario's initial stock is not counted)
    for financier in FINANCIERS:
        rows[(financier, "depot_stock_end")] = np.maximum(
            np.cumsum(rows[(financier, "depot_returns")], axis=1) - np.cumsum(rows[(financier, "depot_reissues")], axis=1),
            0.0)

    # clients
    if len(patients):
        p_rep = np.searchsorted(reps, patients["replication"].to_numpy())
        p_diag = patients["diagnosis_date"].to_numpy().astype("datetime64[D]").astype(np.int64).astype(float)
        p_death = p_diag + patients["death_day"].to_numpy(dtype=float)
        rows[("all", "new_clients")] = _per_year(p_rep, _bucket(edges, p_diag), 1.0, n_reps, n_years)
        rows[("all", "deaths")] = _per_year(p_rep, _bucket(edges, p_death), 1.0, n_reps, n_years)
        active = np.zeros((n_reps, n_years))
        for y in range(n_years):
            alive = (p_diag < edges[y + 1]) & ~(p_death < edges[y])
            np.add.at(active[:, y], p_rep[alive], 1.0)
        rows[("all", "active_clients")] = active
        for metric, column in (("wlz_entries", "wlz_day"), ("moves", "move_day")):
            days = p_diag + (patients[column].to_numpy(dtype=float) if column in patients.columns else np.nan)
            rows[("all", metric)] = _per_year(p_rep, _bucket(edges, days), 1.0, n_reps, n_years)
    else:
        for metric in ("new_clients", "deaths", "active_clients", "wlz_entries", "moves"):
            rows[("all", metric)] = np.zeros((n_reps, n_years))

    keys = list(rows)
    values = np.stack([rows[k] for k in keys])  # (metric, rep, year)
    n_keys = len(keys)
    return pd.DataFrame({
        "replication": np.tile(np.repeat(reps, n_years), n_keys),
        "year": np.tile(np.arange(n_years), n_keys * n_reps),
        "financier": np.repeat([k[0] for k in keys], n_reps * n_years),
        "metric": np.repeat([k[1] for k in keys], n_reps * n_years),
        "value": values.ravel(),
    })


def _plan_mask(patients: pd.DataFrame, config: ReserveConfig) -> np.ndarray | None:
    """Which provisions each client's IVP earmarks: ``applicable`` - those whose home and
    household requirements hold (the disease model's need rules), or None (``needed``: only
    what the course needs, taken from the frame)."""
    if config.plan == "needed":
        return None
    return applicable_mask(patients, config.catalog)


@dataclass(frozen=True)
class ReserveReducer:
    """The reducer of a caseload's replications (:func:`ivp.models.process.run`): each batch
    is reduced where it ran to KPI rows per horizon year (:func:`caseload_kpis`), so request
    frames never travel and the whole country fits in memory."""

    config: ReserveConfig

    def reduce(self, batch) -> pd.DataFrame:
        return caseload_kpis(batch.frame(), batch.patients(), self.config, batch.replications,
                             handover_months=batch.scenario.client_events.handover_months)

    def combine(self, scenario, parts, replications) -> pd.DataFrame:
        return combine_kpis(parts)


# ---------------------------------------------------------------------------------------
# The run and its summary
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReserveResult:
    """The reserve of one scenario (and optionally a comparison scenario).

    ``table``: one row per horizon year and a ``totaal`` row, with the headline figures
    (see :data:`TABLE_COLUMNS`); ``summary``: every KPI per year and financier with mean,
    P50, P90, P95 over replications; ``kpis``: the per-replication rows.
    """

    scenario_name: str
    inhabitants: int
    years: int
    start: dt.date
    replications: int
    seed: int
    existing_clients: int
    reserve_percentile: float
    expected_new_clients_per_year: float
    table: pd.DataFrame
    summary: pd.DataFrame
    kpis: pd.DataFrame
    comparison: "ReserveResult | None" = None
    seconds: float = 0.0
    scenario_name_en: str = ""
    """The route's name in English (its Dutch name where it has none)."""

    def scenario_title(self, lang: str = "nl") -> str:
        return self.scenario_name_en if lang == "en" and self.scenario_name_en else self.scenario_name

    @property
    def empty(self) -> bool:
        """No clients at all (e.g. zero inhabitants and no caseload)."""
        s = self.summary
        return float(s.loc[s["metric"] == "active_clients", "mean"].abs().sum()) == 0.0 if len(s) else True

    def to_json(self) -> dict:
        def records(frame):
            out = []
            for row in frame.to_dict(orient="records"):
                clean = {}
                for k, v in row.items():
                    if isinstance(v, (dt.date, pd.Timestamp, np.datetime64)):
                        v = pd.Timestamp(v).date().isoformat()
                    elif isinstance(v, (float, np.floating)):
                        v = None if not np.isfinite(v) else round(float(v), 2)
                    elif isinstance(v, np.integer):
                        v = int(v)
                    clean[k] = v
                out.append(clean)
            return out

        data = {
            "scenario": self.scenario_name, "inhabitants": self.inhabitants, "years": self.years,
            "start": self.start.isoformat(), "replications": self.replications, "seed": self.seed,
            "existing_clients": self.existing_clients,
            "expected_new_clients_per_year": round(self.expected_new_clients_per_year, 3),
            "reserve_rule": f"P{round(self.reserve_percentile * 100)} of the year's Wmo outlay over the replications",
            "prices": "euros of each year: catalogue prices of their price year brought to the year they are paid "
                      "with the consumer price index (ivp/domain/price_index.yaml)",
            "per_year": records(self.table),
            "summary": records(self.summary),
            "seconds": round(self.seconds, 2),
        }
        if self.comparison is not None:
            data["comparison"] = self.comparison.to_json()
        return data


TABLE_COLUMNS = [
    "year", "start", "new_clients_mean", "active_clients_mean", "deaths_mean",
    "wmo_outlay_p50", "wmo_outlay_p90", "wmo_outlay_p95", "wmo_reserve",
    "wmo_earmarked_p50", "wmo_reserved_end_p50", "wmo_released_p50",
    "wmo_depot_reissues_mean", "wmo_depot_savings_p50", "wmo_depot_return_value_p50", "wmo_depot_stock_end_mean",
    "zvw_outlay_p50", "zvw_outlay_p90", "zvw_depot_savings_p50",
    "gap_days_mean", "share_gap_over_20wd_mean", "wmo_reserve_ci_low", "wmo_reserve_ci_high",
    *[f"{f}_{m}_mean" for f in ("wmo", "zvw") for m in ("outlay", *(f"outlay_{k}" for k in COST_KINDS))],
    "wmo_own_contribution_mean", "wmo_net_outlay_mean", "wlz_entries_mean", "moves_mean",
]
"""``wmo_reserve_ci_low/high``: the 95 % confidence interval of the reserve (a quantile over
replications), from the order statistics: the Monte Carlo error of the reserve figure. The
``*_mean`` outlays by cost kind add up to the mean outlay (means add; quantiles do not)."""


def summarise_kpis(kpis: pd.DataFrame, replications: int) -> pd.DataFrame:
    """Mean, P50, P90, P95 per year, financier and metric (a ``year`` of -1 is the
    horizon in total: sums of flows per replication)."""
    if kpis.empty:
        return pd.DataFrame(columns=["year", "financier", "metric", "mean", "p50", "p90", "p95"])
    flows = kpis[~kpis["metric"].isin(["reserved_end", "depot_stock_end", "active_clients", "gap_days_mean",
                                       "share_gap_over_20wd"])]
    total = flows.groupby(["replication", "financier", "metric"], as_index=False)["value"].sum()
    total["year"] = -1
    both = pd.concat([kpis, total[kpis.columns]], ignore_index=True)
    grouped = both.groupby(["year", "financier", "metric"])["value"]
    out = grouped.mean().rename("mean").reset_index()
    for q in QUANTILES:
        out[f"p{round(q * 100)}"] = grouped.quantile(q).to_numpy()
    order = np.lexsort((out["metric"].to_numpy(), out["financier"].to_numpy(), out["year"].to_numpy(),
                        out["year"].to_numpy() < 0))
    return out.iloc[order].reset_index(drop=True)


def reserve_table(summary: pd.DataFrame, edges: tuple[int, ...], percentile: float) -> pd.DataFrame:
    """The headline table: one row per horizon year and a total row."""
    # the first summary row of each (year, financier, metric), looked up instead of a scan of
    # the summary per cell (measured: 0.5 s of a national run's table)
    first_row = {}
    for position, key in enumerate(zip(summary["year"].tolist(), summary["financier"].tolist(),
                                       summary["metric"].tolist())):
        first_row.setdefault(key, position)

    def pick(year, financier, metric, stat):
        position = first_row.get((year, financier, metric))
        return float(summary[stat].iloc[position]) if position is not None else 0.0

    kpi_reserve = {}
    rows = []
    n_years = len(edges) - 1
    for year in [*range(n_years), -1]:
        start = np.datetime64(int(edges[max(year, 0)]), "D").astype(object)
        row = {
            "year": str(start.year) if year >= 0 else "totaal",
            "start": start,
            "new_clients_mean": pick(year, "all", "new_clients", "mean"),
            "active_clients_mean": pick(year, "all", "active_clients", "mean") if year >= 0 else np.nan,
            "deaths_mean": pick(year, "all", "deaths", "mean"),
            "wmo_outlay_p50": pick(year, "wmo", "outlay", "p50"),
            "wmo_outlay_p90": pick(year, "wmo", "outlay", "p90"),
            "wmo_outlay_p95": pick(year, "wmo", "outlay", "p95"),
            "wmo_reserve": kpi_reserve.get(year, np.nan),
            "wmo_earmarked_p50": pick(year, "wmo", "earmarked", "p50"),
            "wmo_reserved_end_p50": pick(year, "wmo", "reserved_end", "p50") if year >= 0 else np.nan,
            "wmo_released_p50": pick(year, "wmo", "released", "p50"),
            "wmo_depot_reissues_mean": pick(year, "wmo", "depot_reissues", "mean"),
            "wmo_depot_savings_p50": pick(year, "wmo", "depot_savings", "p50"),
            "wmo_depot_return_value_p50": pick(year, "wmo", "depot_return_value", "p50"),
            "wmo_depot_stock_end_mean": pick(year, "wmo", "depot_stock_end", "mean") if year >= 0 else np.nan,
            "zvw_outlay_p50": pick(year, "zvw", "outlay", "p50"),
            "zvw_outlay_p90": pick(year, "zvw", "outlay", "p90"),
            "zvw_depot_savings_p50": pick(year, "zvw", "depot_savings", "p50"),
            "gap_days_mean": pick(year, "all", "gap_days_mean", "mean") if year >= 0 else np.nan,
            "share_gap_over_20wd_mean": pick(year, "all", "share_gap_over_20wd", "mean") if year >= 0 else np.nan,
            "wmo_reserve_ci_low": np.nan, "wmo_reserve_ci_high": np.nan,
            **{f"{f}_{m}_mean": pick(year, f, m, "mean") for f in ("wmo", "zvw")
               for m in ("outlay", *(f"outlay_{k}" for k in COST_KINDS))},
            "wmo_own_contribution_mean": pick(year, "wmo", "own_contribution", "mean"),
            "wmo_net_outlay_mean": pick(year, "wmo", "net_outlay", "mean"),
            "wlz_entries_mean": pick(year, "all", "wlz_entries", "mean"),
            "moves_mean": pick(year, "all", "moves", "mean"),
        }
        rows.append(row)
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def quantile_with_ci(values: np.ndarray, q: float, z: float = 1.96) -> tuple[float, float, float]:
    """The ``q``-quantile of ``values`` and its distribution-free 95 % confidence interval:
    the order statistics at ``n q -/+ z sqrt(n q (1 - q))`` (the binomial count of values
    below the true quantile). With few values the interval is wide: that is the Monte Carlo
    error a reserve figure carries."""
    values = np.sort(np.asarray(values, dtype=float))
    n = len(values)
    if n == 0:
        return 0.0, 0.0, 0.0
    half = z * np.sqrt(n * q * (1 - q))
    low = int(np.clip(np.floor(n * q - half), 0, n - 1))
    high = int(np.clip(np.ceil(n * q + half), 0, n - 1))
    return float(np.quantile(values, q)), float(values[low]), float(values[high])


def _reserve_by_rule(kpis: pd.DataFrame, percentile: float, n_years: int) -> dict[int, tuple[float, float, float]]:
    """Per year (and -1 for the horizon's total outlay per replication): the reserve, the
    ``percentile`` of the Wmo outlay over replications, with its 95 % CI."""
    out = {}
    wmo = kpis[(kpis["financier"] == "wmo") & (kpis["metric"] == "outlay")]
    for year in range(n_years):
        out[year] = quantile_with_ci(wmo.loc[wmo["year"] == year, "value"].to_numpy(), percentile)
    out[-1] = quantile_with_ci(wmo.groupby("replication")["value"].sum().to_numpy(), percentile)
    return out


def with_depot(scenario, on: bool):
    """The scenario with its shared depot switched on or off (a caseload's choice)."""
    if scenario.depot.enabled == on:
        return scenario
    return scenario.with_changes(depot={**scenario.depot.model_dump(), "enabled": on})


def with_stock(scenario, stock: dict[str, int]):
    """The scenario with the depot's stock at the start (``stock``: items per provision, on top
    of the scenario's own ``initial_stock``), e.g. what a register's depot holds."""
    if not stock:
        return scenario
    merged = dict(scenario.depot.initial_stock)
    for pid, count in stock.items():
        merged[pid] = merged.get(pid, 0) + count
    return scenario.with_changes(depot={**scenario.depot.model_dump(), "initial_stock": merged})


def with_staff(scenario, capacity: int | None):
    """The scenario with its Wmo assessment and decision limited to ``capacity`` requests at
    once (the municipality's consultants), or unchanged."""
    if capacity is None:
        return scenario
    staff = {name: pool.model_dump() for name, pool in scenario.staff.items()}
    staff["wmo_staff_local"] = {"capacity": capacity, "steps": ["advice", "decision"], "financiers": ["wmo"],
                                "assumption": "the municipality's own staff capacity"}
    return scenario.with_changes(staff=staff)


def with_incidence(scenario, per_100k_per_year: float | None):
    """The scenario with a municipality's own incidence of new clients, or unchanged."""
    if per_100k_per_year is None or per_100k_per_year == scenario.incidence.per_100k_per_year:
        return scenario
    return scenario.with_changes(incidence={"per_100k_per_year": per_100k_per_year,
                                            "assumption": "the municipality's own incidence"})


def combine_kpis(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The KPI rows of all chunks in one canonical order (whatever ran where)."""
    if not parts:
        return pd.DataFrame(columns=["replication", "year", "financier", "metric", "value"])
    kpis = pd.concat(parts, ignore_index=True)
    return kpis.sort_values(["replication", "financier", "metric", "year"], kind="stable").reset_index(drop=True)


def next_january(today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    return dt.date(today.year + 1, 1, 1)


def run_reserve(
    inhabitants: int,
    years: int,
    scenario,
    *,
    caseload: CaseloadFile | None = None,
    compare_scenario=None,
    replications: int = 500,
    seed: int = DEFAULT_SEED,
    start: dt.date | None = None,
    executor: Executor | None = None,
    catalog: Catalog | None = None,
    assumptions: BudgetAssumptions | None = None,
    rented: Collection[str] = (),
    engine: str = "auto",
    plan: str = "applicable",
    keep_kpis: bool = True,
    progress: Callable[[float], None] | None = None,
) -> ReserveResult:
    """Simulate a municipality's caseload and derive its yearly outlay and reserve.

    ``inhabitants`` >= 0 and ``years`` >= 1; zero inhabitants without a caseload gives a
    result with zero clients and zero euros (no error). Same ``seed``, same result, wherever
    it runs (``executor``). ``compare_scenario`` runs on the same patients (common random
    numbers; it becomes :attr:`ReserveResult.comparison`). ``plan``: ``applicable`` (earmark
    every provision that applies to the client's home and household: the protocol's
    approach) or ``needed`` (only what the course needs).
    """
    if inhabitants < 0:
        raise ValueError("the number of inhabitants cannot be negative")
    if years < 1:
        raise ValueError("the horizon needs at least one year")
    began = time.perf_counter()
    catalog = catalog or load_catalog()
    a = assumptions or default_assumptions()
    start = start or next_january()
    edges = year_edges(start, years)
    existing = caseload.existing_clients() if caseload is not None else ()
    cohort = Caseload(inhabitants=inhabitants, years=years, start_date=start, existing=existing)
    config = ReserveConfig(catalog=catalog, assumptions=a, edges=edges, rented=tuple(rented),
                           in_use=dict(caseload.in_use()) if caseload is not None else {}, plan=plan)
    scenarios = [scenario] if compare_scenario is None else [scenario, compare_scenario]
    all_kpis = run(scenarios, cohort, replications, seed=seed, reducer=ReserveReducer(config), catalog=catalog,
                   engine=engine, executor=executor, progress=progress)
    seconds = time.perf_counter() - began
    results = [_result(s, kpis, inhabitants, years, start, replications, seed, len(existing), a, edges, keep_kpis,
                       seconds) for s, kpis in zip(scenarios, all_kpis)]
    if compare_scenario is None:
        return results[0]
    return dataclasses.replace(results[0], comparison=results[1])


def _result(scenario, kpis, inhabitants, years, start, replications, seed, existing, a, edges, keep_kpis, seconds):
    summary = summarise_kpis(kpis, replications)
    table = reserve_table(summary, edges, a.reserve_percentile)
    reserve = _reserve_by_rule(kpis, a.reserve_percentile, years)
    order = [*range(years), -1]
    table["wmo_reserve"] = [reserve[y][0] for y in order]
    table["wmo_reserve_ci_low"] = [reserve[y][1] for y in order]
    table["wmo_reserve_ci_high"] = [reserve[y][2] for y in order]
    rate = scenario.incidence.per_100k_per_year * inhabitants / 100_000
    return ReserveResult(
        scenario_name=scenario.name, inhabitants=inhabitants, years=years, start=start,
        replications=replications, seed=seed, existing_clients=existing,
        reserve_percentile=a.reserve_percentile, expected_new_clients_per_year=rate,
        table=table, summary=summary, kpis=kpis if keep_kpis else kpis.iloc[0:0], seconds=seconds,
        scenario_name_en=scenario.title("en"),
    )

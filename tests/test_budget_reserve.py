"""A municipality's reserve: conservation per year, the depot lowering purchases, zero
inhabitants, and identical results sequentially, with joblib and on a Dask cluster."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ivp.application.reserve import (
    ReserveConfig,
    ReserveReducer,
    run_reserve,
    summarise_kpis,
    year_edges,
)
from ivp.domain.assumptions import default_assumptions
from ivp.domain.catalog import load_catalog
from ivp.domain.prices import price_index
from ivp.models.needwindows import NeedWindows
from ivp.models.process import Executor, GivenWindows, load_scenario, run
from tests.helpers.frames import synthetic_frame
from tests.helpers.windows import SyntheticPatients

ROOT = Path(__file__).resolve().parents[1]
CATALOG = load_catalog()
IDS = CATALOG.ids
START = dt.date(2026, 1, 1)


def scenario(name="protocol", depot=True):
    sc = load_scenario(name)
    return sc.with_changes(depot={**sc.depot.model_dump(), "enabled": depot})


def config(years=5, plan="needed", start=START):
    return ReserveConfig(catalog=CATALOG, assumptions=default_assumptions(), edges=year_edges(start, years), plan=plan)


def reserve_kpis(ks, scenario, cohort, seed, config, executor=None) -> pd.DataFrame:
    return run(scenario, cohort, ks, seed=seed, reducer=ReserveReducer(config), executor=executor)


def wide(kpis: pd.DataFrame) -> pd.DataFrame:
    return kpis.pivot_table(index=["replication", "year"], columns=["financier", "metric"], values="value")


def test_every_earmarked_euro_is_spent_released_or_still_reserved_per_year():
    kpis = reserve_kpis([0, 1, 2], scenario(), SyntheticPatients(30, IDS), 5, config())
    w = wide(kpis)
    for financier in ("wmo", "zvw"):
        part = w[financier]
        for rep, rows in part.groupby(level="replication"):
            earmarked = rows["earmarked"].cumsum()
            settled = rows["outlay"].cumsum() + rows["released"].cumsum() + rows["reserved_end"]
            np.testing.assert_allclose(earmarked.to_numpy(), settled.to_numpy(), atol=1e-6)
    assert (w[("wmo", "outlay")].sum() > 0) and (w[("all", "new_clients")].sum() > 0)


def sequential_users(n: int) -> GivenWindows:
    """``n`` patients, diagnosed 8 months apart, each needing the same reusable devices
    for months 1-6 and dying at month 7: every item can serve the next patient."""
    reusable = [p.id for p in CATALOG if p.reuse == "herinzetbaar"]
    shape = (n, len(IDS))
    start, end, trigger = (np.full(shape, np.nan) for _ in range(3))
    for pid in reusable:
        j = IDS.index(pid)
        trigger[:, j], start[:, j], end[:, j] = 0.0, 1.0, 6.0
    death = np.full(n, 7.0)
    windows = NeedWindows(pd.DataFrame({"patient_id": np.arange(n)}), IDS, start, end, trigger, death)
    dates = np.datetime64("2026-01-05") + np.arange(n) * 243
    return GivenWindows(windows, diagnosis_dates=dates, one_municipality=True)


def test_the_depot_lowers_purchases_and_outlay():
    """Without loan devices (whose rent a depot's shorter waits also save), the outlay saved
    by the depot is exactly its savings."""
    cohort = sequential_users(6)
    with_depot = wide(reserve_kpis([0], scenario(depot=True).with_changes(bridging=None), cohort, 1, config()))
    without = wide(reserve_kpis([0], scenario(depot=False).with_changes(bridging=None), cohort, 1, config()))
    for financier in ("wmo", "zvw"):
        assert with_depot[(financier, "purchases")].sum() < without[(financier, "purchases")].sum()
        assert with_depot[(financier, "outlay")].sum() < without[(financier, "outlay")].sum()
        assert with_depot[(financier, "depot_reissues")].sum() > 0
        assert with_depot[(financier, "depot_savings")].sum() > 0
        assert without[(financier, "depot_reissues")].sum() == 0
        # the saving is the difference in purchases net of refurbishment, not more (upkeep runs
        # while the devices are used, new or reissued)
        saved = without[(financier, "outlay_purchase")].sum() - with_depot[(financier, "outlay_purchase")].sum()
        assert with_depot[(financier, "depot_savings")].sum() == pytest.approx(saved)


def test_zero_inhabitants_give_an_empty_result_not_an_error():
    result = run_reserve(0, 3, scenario(), replications=4, seed=1, start=START)
    assert result.empty
    assert len(result.table) == 4  # three years and the total
    assert (result.table[["wmo_outlay_p50", "wmo_outlay_p95", "wmo_reserve", "new_clients_mean"]] == 0).all().all()
    assert result.table["gap_days_mean"].isna().all()  # no requests: no mean, no division by zero
    assert result.to_json()["per_year"][0]["wmo_outlay_p50"] == 0


def test_the_reserve_rule_is_the_p90_of_the_years_outlay():
    kpis = reserve_kpis(12, scenario(), SyntheticPatients(20, IDS), 3, config(years=3))
    summary = summarise_kpis(kpis, 12)
    outlay = kpis[(kpis["financier"] == "wmo") & (kpis["metric"] == "outlay") & (kpis["year"] == 0)]["value"]
    row = summary[(summary["year"] == 0) & (summary["financier"] == "wmo") & (summary["metric"] == "outlay")].iloc[0]
    assert row["p90"] == pytest.approx(np.quantile(outlay, 0.9))
    assert row["p50"] <= row["p90"] <= row["p95"]



def _args():
    return (6, scenario(), SyntheticPatients(25, IDS), 7, config(years=4))


@pytest.mark.slow
@pytest.mark.parametrize("threads", [False, True], ids=["processes", "threads"])
def test_local_workers_equal_sequential(threads):
    pd.testing.assert_frame_equal(reserve_kpis(*_args()),
                                  reserve_kpis(*_args(), executor=Executor(jobs=2, threads=threads)))


@pytest.mark.slow
def test_dask_cluster_equals_local():
    distributed = pytest.importorskip("distributed")
    local = reserve_kpis(*_args())
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = reserve_kpis(*_args(), executor=Executor(scheduler=cluster.scheduler_address))
    pd.testing.assert_frame_equal(local, remote)


@pytest.mark.slow
def test_a_dask_run_without_workers_stops_instead_of_waiting_forever():
    """A scheduler whose workers are all gone keeps the tasks waiting; the run gives up after
    the executor's worker_wait and says so."""
    distributed = pytest.importorskip("distributed")
    from ivp.models.process.runner import WorkersLost

    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        with pytest.raises(WorkersLost):
            reserve_kpis(*_args(), executor=Executor(scheduler=cluster.scheduler_address, worker_wait=2))


def test_provisions_a_current_client_already_has_are_not_bought_again():
    from ivp.application.reserve import caseload_kpis

    frame, patients = synthetic_frame(np.random.default_rng(8), replications=1, patients=2, p_depot=0.0, p_bought=1.0,
                                      diagnosis_spread_days=1)
    frame = frame.assign(gap_werkdagen=0.0)
    base = config(years=8, start=dt.date(2026, 1, 1))
    mine = frame[frame["patient_id"] == 0]
    in_use = {"0": tuple(mine["provision_id"])}
    with_use = ReserveConfig(**{**base.__dict__, "in_use": in_use})
    before = wide(caseload_kpis(frame, patients, base, [0]))
    after = wide(caseload_kpis(frame, patients, with_use, [0]))
    for financier in ("wmo", "zvw"):
        part = mine[mine["financier"] == financier]
        days = part["diagnosis_date"].to_numpy().astype("datetime64[D]").astype(np.int64) + part["cost_day"].to_numpy()
        bought = (part["cost_eur"] * price_index().factor(days, 2022)).sum()  # in euros of the purchase's year
        saved = before[(financier, "outlay_purchase")].sum() - after[(financier, "outlay_purchase")].sum()
        assert saved == pytest.approx(bought)
        # nor kept up: what is not bought costs no upkeep either
        assert after[(financier, "outlay_maintenance")].sum() <= before[(financier, "outlay_maintenance")].sum()


def test_outlay_by_cost_kind_adds_up_per_replication_year_and_financier():
    """The reserve's conservation of cost kinds: purchase + rent + maintenance is the outlay,
    outlay minus own contributions the net outlay, in every replication and year."""
    result = run_reserve(100_000, 3, scenario(), replications=6, seed=2, start=START)
    w = result.kpis.pivot_table(index=["replication", "year"], columns=["financier", "metric"], values="value")
    for financier in ("wmo", "zvw"):
        parts = sum(w[(financier, f"outlay_{kind}")] for kind in ("purchase", "rent", "maintenance"))
        np.testing.assert_allclose(parts, w[(financier, "outlay")], atol=1e-6)
        np.testing.assert_allclose(w[(financier, "outlay")] - w[(financier, "own_contribution")],
                                   w[(financier, "net_outlay")], atol=1e-6)
    assert (w[("zvw", "own_contribution")] == 0).all()
    table = result.table
    for financier in ("wmo", "zvw"):
        parts = sum(table[f"{financier}_outlay_{k}_mean"] for k in ("purchase", "rent", "maintenance"))
        np.testing.assert_allclose(parts, table[f"{financier}_outlay_mean"], rtol=1e-9)


def test_renting_a_provision_moves_its_outlay_from_purchase_to_rent():
    import io

    from ivp.domain.catalog import load_catalog

    rented = load_catalog(overrides=io.BytesIO(b"id,acquisition\ntraplift,huur\nelektrische_rolstoel,huur\n"),
                          overrides_name="huur.csv")
    runs = [run_reserve(100_000, 3, scenario(), replications=8, seed=4, start=START, catalog=c).table.iloc[-1]
            for c in (load_catalog(), rented)]
    bought, rent = runs
    assert rent["wmo_outlay_rent_mean"] > bought["wmo_outlay_rent_mean"] + 1000
    assert rent["wmo_outlay_purchase_mean"] < bought["wmo_outlay_purchase_mean"]
    assert rent["zvw_outlay_mean"] == pytest.approx(bought["zvw_outlay_mean"])  # the insurer's devices unchanged

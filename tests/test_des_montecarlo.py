"""Monte Carlo: reproducibility, parallel = sequential, common random numbers, summaries,
and the caseload of a municipality."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from ivp.domain.catalog import load_catalog
from ivp.models.process import (
    Caseload,
    Executor,
    KpiReducer,
    load_scenario,
    run,
    summarise,
)
from ivp.models.process.streams import STREAMS
from tests.helpers.runs import one_replication
from tests.helpers.windows import SyntheticPatients

IDS = load_catalog().ids


def scenario(name):
    return load_scenario(name)


COHORT = SyntheticPatients(60, IDS)


def test_same_seed_same_frames_other_seed_other_frames():
    sc = scenario("current_practice")
    a = one_replication(sc, COHORT, 7, 3).frame
    b = one_replication(sc, COHORT, 7, 3).frame
    c = one_replication(sc, COHORT, 8, 3).frame
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_parallel_equals_sequential():
    sc = scenario("current_practice")
    seq = run(sc, COHORT, 6, seed=5, reducer=KpiReducer(keep_frame=True))
    par = run(sc, COHORT, 6, seed=5, reducer=KpiReducer(keep_frame=True), executor=Executor(jobs=2))
    pd.testing.assert_frame_equal(seq.frame, par.frame)
    pd.testing.assert_frame_equal(seq.kpis, par.kpis)
    pd.testing.assert_frame_equal(seq.summary, par.summary)


def test_common_random_numbers_every_scenario_sees_the_same_patients():
    assert STREAMS[0] == "disease"
    runs = [one_replication(scenario(n), COHORT, 9, 2) for n in ("protocol", "current_practice", "pgb")]
    first = runs[0]
    for other in runs[1:]:
        pd.testing.assert_frame_equal(first.patients, other.patients)
        cols = ["patient_id", "provision_id", "diagnosis_date", "need_start_day", "need_end_day", "death_day"]
        pd.testing.assert_frame_equal(first.frame[cols], other.frame[cols])


def test_replication_k_does_not_depend_on_the_other_replications():
    sc = scenario("protocol")
    alone = one_replication(sc, COHORT, 4, 3).frame
    batch = run(sc, COHORT, 4, seed=4, reducer=KpiReducer(keep_frame=True)).frame
    pd.testing.assert_frame_equal(batch[batch["replication"] == 3].reset_index(drop=True), alone)


def test_summary_has_mean_percentiles_and_ci():
    res = run(scenario("current_practice"), COHORT, 8, seed=1)
    assert res.frame is None
    s = res.summary
    assert {"group", "key", "metric", "mean", "p10", "p50", "p90", "ci95_low", "ci95_high"} <= set(s.columns)
    o = res.overall()
    assert (o["p10"] <= o["p50"]).all() and (o["p50"] <= o["p90"]).all()
    ok = o["ci95_low"].notna()
    assert ((o.loc[ok, "ci95_low"] <= o.loc[ok, "mean"]) & (o.loc[ok, "mean"] <= o.loc[ok, "ci95_high"])).all()
    assert set(s.loc[s["group"] == "provision", "key"]) <= set(IDS)


def test_summary_of_known_values():
    k = pd.DataFrame({"replication": [0, 1, 2, 3], "group": "overall", "key": "all", "metric": "x",
                      "value": [1.0, 2.0, 3.0, 4.0]})
    row = summarise(k).iloc[0]
    assert row["mean"] == 2.5 and row["p50"] == 2.5
    assert row["ci95_low"] == pytest.approx(2.5 - 3.182446 * np.std([1, 2, 3, 4], ddof=1) / 2, rel=1e-5)


def test_caseload_arrivals_follow_the_incidence():
    sc = scenario("protocol")
    cl = Caseload(inhabitants=500_000, years=4)
    kpis = run(sc, cl, 30, seed=1, reducer=KpiReducer(per_provision=False)).kpis
    counts = kpis.query("metric == 'patients'")["value"].to_numpy()
    expected = 2.77 * 5 * 4
    assert abs(np.mean(counts) - expected) < 3 * np.sqrt(expected / 30)


def test_zero_inhabitants_gives_an_empty_result():
    res = run(scenario("protocol"), Caseload(inhabitants=0, years=5), 3, seed=1, reducer=KpiReducer(keep_frame=True))
    assert len(res.frame) == 0
    assert (res.overall().loc["patients", "mean"]) == 0


def test_caseload_with_depot_and_existing_clients_per_year():
    from ivp.models.process import ExistingClient

    sc = scenario("current_practice")
    sc = sc.with_changes(depot={**sc.depot.model_dump(), "enabled": True})
    cl = Caseload(inhabitants=300_000, years=5, start_date=dt.date(2026, 1, 1),
                  existing=(ExistingClient(dt.date(2025, 6, 1), client_id="A"),))
    r = one_replication(sc, cl, 3, 0, per_year=True)
    assert "A" in set(r.frame["patient_id"])
    assert r.frame["from_depot"].sum() > 0
    years = r.kpis[r.kpis["group"] == "year"]
    assert {"cost_eur", "depot_savings_eur", "new_patients_with_requests"} <= set(years["metric"])


@pytest.mark.slow
def test_one_t_quantile_equals_scipy_stats_without_importing_it():
    import subprocess
    import sys

    from scipy.stats import t as student_t

    from ivp.models.process.results import t_quantile

    df = np.arange(1, 3000)
    assert np.array_equal(t_quantile(0.975, df), student_t.ppf(0.975, df))
    code = ("import sys; import ivp.application.cli.simulate_cmd, ivp.models.process.results as r, pandas as pd; "
            "r.replication_stats(pd.Series([1.0, 2.0, 4.0])); r.t_quantile(0.975, 5); print('scipy.stats' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

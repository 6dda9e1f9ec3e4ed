"""Batches: many replications simulated in one vectorised pass give exactly the rows of
each replication run on its own (same seed, same uniforms, same frames and KPI rows); the
calendar's integer tables agree with ivp.domain.calendar; courses past the calendar's horizon are
censored instead of failing."""

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ivp.models.process.montecarlo as mc
from ivp.domain.calendar import get_calendar
from ivp.domain.catalog import load_catalog
from ivp.models.process import (
    Caseload, ExistingClient, GivenWindows, compare, load_scenario, run_batch, run_montecarlo, run_replication,
)
from ivp.models.process.model import HORIZON_MARGIN_DAYS, add_werkdagen, day_table, werkdagen_between
from tests.helpers.windows import SyntheticPatients, single_window, synthetic_windows

ROOT = Path(__file__).resolve().parents[1]
IDS = load_catalog().ids
CAL = get_calendar()


def scenario(name, depot=False, staff=None):
    sc = load_scenario(name)
    if depot:
        sc = sc.with_changes(depot={**sc.depot.model_dump(), "enabled": True})
    if staff:
        sc = sc.with_changes(staff={"wmo": {"capacity": staff, "steps": ["advice", "decision"], "financiers": ["wmo"],
                                            "assumption": "test"}})
    return sc


def one_by_one(sc, cohort, seed, ks, **kwargs):
    runs = [run_replication(sc, cohort, seed, k, **kwargs) for k in ks]
    kpis = pd.concat([r.kpis for r in runs], ignore_index=True)
    frames = [r.frame for r in runs if r.frame is not None and len(r.frame)]
    frame = pd.concat(frames, ignore_index=True) if frames else None
    patients = pd.concat([r.patients for r in runs], ignore_index=True) if runs[0].patients is not None else None
    return kpis, frame, patients, sum(r.events for r in runs)


@pytest.fixture
def synthetic_disease(monkeypatch):
    monkeypatch.setattr(mc, "_sample_windows", lambda n, rng, profile=None, **_: synthetic_windows(n, rng, IDS))


@pytest.mark.parametrize("name,depot,staff,engine", [
    ("protocol", False, None, "auto"),
    ("current_practice", True, None, "auto"),
    ("pgb", False, None, "auto"),
    ("current_practice", True, None, "simpy"),
    ("current_practice", False, 3, "auto"),
])
def test_a_batch_equals_each_replication_on_its_own(name, depot, staff, engine):
    sc = scenario(name, depot, staff)
    cohort = SyntheticPatients(40, IDS)
    ks = [0, 1, 2, 5, 9]
    kpis, frame, patients, events = one_by_one(sc, cohort, 3, ks, engine=engine, per_year=True)
    batch = run_batch(sc, cohort, 3, ks, engine=engine, per_year=True)
    pd.testing.assert_frame_equal(batch.kpis, kpis)
    pd.testing.assert_frame_equal(batch.frame, frame)
    pd.testing.assert_frame_equal(batch.patients, patients)
    assert batch.events == events


def test_batches_split_by_size_give_the_same_rows(monkeypatch):
    sc = scenario("current_practice", depot=True)
    cohort = SyntheticPatients(30, IDS)
    whole = run_montecarlo(sc, cohort, 7, seed=2, per_year=True)
    monkeypatch.setattr(mc, "MAX_BATCH_REQUESTS", 50)  # about one replication per batch
    split = run_montecarlo(sc, cohort, 7, seed=2, per_year=True)
    pd.testing.assert_frame_equal(whole.kpis, split.kpis)
    pd.testing.assert_frame_equal(whole.frame, split.frame)
    kpis, frame, _, _ = one_by_one(sc, cohort, 2, range(7), per_year=True)
    pd.testing.assert_frame_equal(whole.kpis, kpis)
    pd.testing.assert_frame_equal(whole.frame, frame)


def test_caseload_batch_with_empty_replications_and_one_municipality(synthetic_disease):
    sc = scenario("current_practice", depot=True)
    cohort = Caseload(inhabitants=30_000, years=2, start_date=dt.date(2026, 1, 1),
                      existing=(ExistingClient(dt.date(2025, 6, 1), client_id="A"),))
    ks = list(range(8))
    kpis, frame, patients, _ = one_by_one(sc, cohort, 4, ks, per_year=True)
    batch = run_batch(sc, cohort, 4, ks, per_year=True)
    pd.testing.assert_frame_equal(batch.kpis, kpis)
    pd.testing.assert_frame_equal(batch.frame, frame)
    pd.testing.assert_frame_equal(batch.patients, patients)
    nobody = Caseload(inhabitants=1_000, years=1)  # mostly replications without a patient
    kpis, _, _, _ = one_by_one(sc, nobody, 4, ks)
    pd.testing.assert_frame_equal(run_batch(sc, nobody, 4, ks).kpis, kpis)


def test_compare_draws_once_and_equals_separate_runs():
    cohort = SyntheticPatients(25, IDS)
    scenarios = [scenario("protocol"), scenario("current_practice"), scenario("pgb")]
    together = compare(scenarios, cohort, 5, seed=8, keep="kpis")
    for sc, res in zip(scenarios, together):
        alone = run_montecarlo(sc, cohort, 5, seed=8, keep="kpis")
        pd.testing.assert_frame_equal(res.kpis, alone.kpis)
        pd.testing.assert_frame_equal(res.summary, alone.summary)


def test_compare_in_parallel_equals_sequential():
    cohort = SyntheticPatients(20, IDS)
    scenarios = [scenario("protocol"), scenario("current_practice")]
    seq = compare(scenarios, cohort, 6, seed=1)
    par = compare(scenarios, cohort, 6, seed=1, n_jobs=2)
    for a, b in zip(seq, par):
        pd.testing.assert_frame_equal(a.frame, b.frame)
        pd.testing.assert_frame_equal(a.kpis, b.kpis)


def test_day_tables_agree_with_the_calendar():
    rng = np.random.default_rng(0)
    days = rng.integers(CAL.first_daynum, CAL.last_daynum - 400, 5_000).astype(float)
    n = rng.integers(0, 120, days.size).astype(float)
    expected = CAL.add_werkdagen_array(days.astype(np.int64).astype("datetime64[D]"), n.astype(np.int64))
    np.testing.assert_array_equal(add_werkdagen(CAL, days, n), expected.astype(np.int64).astype(float))
    b = days + rng.integers(-30, 400, days.size)
    expected = CAL.werkdagen_between_array(days.astype(np.int64).astype("datetime64[D]"),
                                           b.astype(np.int64).astype("datetime64[D]"))
    np.testing.assert_array_equal(werkdagen_between(CAL, days.astype(np.int64), b.astype(np.int64)), expected)
    last = float(CAL.last_daynum)
    np.testing.assert_array_equal(add_werkdagen(CAL, [np.nan, 20_000.0, last - 1], [3, np.inf, 10]),
                                  [np.nan, np.inf, np.inf])  # beyond the calendar: never completes


def test_a_course_past_the_calendar_is_censored_at_the_horizon():
    sc = scenario("current_practice")
    months_left = (day_table(CAL).horizon - (dt.date(2026, 1, 5) - dt.date(1970, 1, 1)).days) / 30.4375
    windows = single_window(IDS, {"scootmobiel": (1.0, 2.0, 30.0), "traplift": (months_left + 5, months_left + 6,
                                                                               months_left + 40)},
                            death=months_left + 600)
    f = run_replication(sc, GivenWindows(windows), 1, 0).frame
    assert list(f["provision_id"].astype(str)) == ["scootmobiel"]  # the need after the horizon is not simulated
    assert f["death_day"].iloc[0] <= months_left * 30.4375 + 1
    assert f["delivery_day"].notna().all()
    assert HORIZON_MARGIN_DAYS >= 365

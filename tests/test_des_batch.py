"""Batches: many replications computed in one vectorised pass (disease model, requests,
engine, outcome measures) give exactly the rows of each replication run on its own (same
seed, same uniforms, same frames and KPI rows); chunking, batch size and where chunks run do
not change a result; the calendar's vectorised day numbers agree with its dates; courses past
the calendar's horizon are censored instead of failing."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from ivp.application.examples import load_example_profile
from ivp.domain.calendar import get_calendar
from ivp.domain.catalog import load_catalog
from ivp.domain.units import DAYS_PER_MONTH
from ivp.models.process import (
    Caseload,
    Client,
    Executor,
    ExistingClient,
    GivenWindows,
    KpiReducer,
    NewPatients,
    load_scenario,
    run,
)
from ivp.models.process.requests import HORIZON_MARGIN_DAYS, horizon_day
from tests.helpers.runs import one_by_one, one_replication
from tests.helpers.windows import SyntheticPatients, single_window

IDS = load_catalog().ids
CAL = get_calendar()
FULL = KpiReducer(per_year=True, keep_frame=True)


def scenario(name, depot=False, staff=None):
    sc = load_scenario(name)
    if depot:
        sc = sc.with_changes(depot={**sc.depot.model_dump(), "enabled": True})
    if staff:
        sc = sc.with_changes(staff={"wmo": {"capacity": staff, "steps": ["advice", "decision"], "financiers": ["wmo"],
                                            "assumption": "test"}})
    return sc


def assert_same(batch, kpis, frame, patients, events):
    pd.testing.assert_frame_equal(batch.kpis, kpis)
    pd.testing.assert_frame_equal(batch.frame, frame)
    pd.testing.assert_frame_equal(batch.patients, patients)
    assert batch.events == events


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
    expected = one_by_one(sc, cohort, 3, ks, engine=engine, per_year=True)
    assert_same(run(sc, cohort, ks, seed=3, engine=engine, reducer=FULL), *expected)


@pytest.mark.parametrize("cohort", [NewPatients(30), Client(load_example_profile("langzaam"), dt.date(2026, 3, 2))],
                         ids=["new patients", "one client"])
def test_the_disease_model_of_a_batch_equals_each_replication_on_its_own(cohort):
    sc = scenario("current_practice", depot=True)
    ks = list(range(12))
    assert_same(run(sc, cohort, ks, seed=6, reducer=FULL), *one_by_one(sc, cohort, 6, ks, per_year=True))


def test_batch_size_and_chunks_do_not_change_the_rows():
    sc = scenario("current_practice", depot=True)
    cohort = NewPatients(30)
    whole = run(sc, cohort, 7, seed=2, reducer=FULL)
    small = run(sc, cohort, 7, seed=2, reducer=FULL, max_cells=40 * len(IDS))  # about one replication a batch
    steps = []
    chunked = run(sc, cohort, 7, seed=2, reducer=FULL, progress=steps.append)  # one chunk per replication
    for other in (small, chunked):
        pd.testing.assert_frame_equal(whole.kpis, other.kpis)
        pd.testing.assert_frame_equal(whole.frame, other.frame)
    assert steps == pytest.approx([(i + 1) / 7 for i in range(7)])


def test_caseload_batch_with_empty_replications_and_one_municipality():
    sc = scenario("current_practice", depot=True)
    cohort = Caseload(inhabitants=30_000, years=2, start_date=dt.date(2026, 1, 1),
                      existing=(ExistingClient(dt.date(2025, 6, 1), client_id="A"),))
    ks = list(range(8))
    assert_same(run(sc, cohort, ks, seed=4, reducer=FULL), *one_by_one(sc, cohort, 4, ks, per_year=True))
    nobody = Caseload(inhabitants=1_000, years=1)  # mostly replications without a patient
    kpis, _, _, _ = one_by_one(sc, nobody, 4, ks)
    pd.testing.assert_frame_equal(run(sc, nobody, ks, seed=4).kpis, kpis)


def test_several_scenarios_draw_once_and_equal_separate_runs():
    cohort = SyntheticPatients(25, IDS)
    scenarios = [scenario("protocol"), scenario("current_practice"), scenario("pgb")]
    together = run(scenarios, cohort, 5, seed=8)
    for sc, res in zip(scenarios, together):
        alone = run(sc, cohort, 5, seed=8)
        pd.testing.assert_frame_equal(res.kpis, alone.kpis)
        pd.testing.assert_frame_equal(res.summary, alone.summary)


class BatchSizes:
    """A reducer that keeps each batch's replications and its patients x provisions."""

    def reduce(self, batch):
        return batch.replications, sum(d.cohort.n_patients for d in batch.prepared.full) * len(IDS)

    def combine(self, scenario, parts, replications):
        return parts


def test_a_batch_stays_within_its_cells_and_threads_share_them():
    sc = scenario("protocol")
    cohort = SyntheticPatients(40, IDS)
    one = 40 * len(IDS)  # one replication's cells
    assert run(sc, cohort, 5, seed=1, reducer=BatchSizes(), max_cells=2 * one) == [
        ((0, 1), 2 * one), ((2, 3), 2 * one), ((4,), one)]
    assert [len(ks) for ks, _ in run(sc, cohort, 5, seed=1, reducer=BatchSizes(), max_cells=2 * one - 1)] == [1] * 5
    # two threads (where the machine has two cores): each holds batches of half the cells
    two = Executor(jobs=2, threads=True)
    per_batch = 2 // two.workers()
    threads = run(sc, cohort, 6, seed=1, reducer=BatchSizes(), max_cells=2 * one, executor=two)
    assert [ks for ks, _ in threads] == [tuple(range(k, k + per_batch)) for k in range(0, 6, per_batch)]
    assert run(sc, cohort, 1, seed=1, reducer=BatchSizes(), max_cells=one // 2) == [((0,), one)]  # too big: alone


@pytest.mark.parametrize("threads", [False, True], ids=["processes", "threads"])
def test_local_workers_give_the_same_result_with_progress(threads):
    cohort = NewPatients(20)
    scenarios = [scenario("protocol"), scenario("current_practice")]
    seq = run(scenarios, cohort, 6, seed=1, reducer=FULL)
    steps = []
    par = run(scenarios, cohort, 6, seed=1, reducer=FULL, executor=Executor(jobs=2, threads=threads),
              progress=steps.append)
    for a, b in zip(seq, par):
        pd.testing.assert_frame_equal(a.frame, b.frame)
        pd.testing.assert_frame_equal(a.kpis, b.kpis)
    assert steps[-1] == 1.0 and steps == sorted(steps) and len(steps) == 6


def test_calendar_day_numbers_agree_with_its_dates():
    rng = np.random.default_rng(0)
    days = rng.integers(CAL.first_daynum, CAL.last_daynum - 400, 5_000).astype(float)
    n = rng.integers(0, 120, days.size).astype(float)
    expected = CAL.add_werkdagen_array(days.astype(np.int64).astype("datetime64[D]"), n.astype(np.int64))
    np.testing.assert_array_equal(CAL.add_werkdagen_daynums(days, n), expected.astype(np.int64).astype(float))
    b = days + rng.integers(-30, 400, days.size)
    expected = CAL.werkdagen_between_array(days.astype(np.int64).astype("datetime64[D]"),
                                           b.astype(np.int64).astype("datetime64[D]"))
    np.testing.assert_array_equal(CAL.werkdagen_between_daynums(days.astype(np.int64), b.astype(np.int64)),
                                  expected)
    last = float(CAL.last_daynum)
    np.testing.assert_array_equal(CAL.add_werkdagen_daynums([np.nan, 20_000.0, last - 1], [3, np.inf, 10]),
                                  [np.nan, np.inf, np.inf])  # beyond the calendar: never completes
    for day, k in zip(days[:200].astype(int), n[:200].astype(int)):
        assert CAL.add_werkdagen_daynum(int(day), int(k)) == CAL.add_werkdagen_daynums([day], [k])[0]
    assert CAL.add_werkdagen_daynum(int(last) - 1, 10, beyond=np.inf) == np.inf
    with pytest.raises(ValueError, match="beyond"):
        CAL.add_werkdagen_daynum(int(last) - 1, 10)


def test_a_course_past_the_calendar_is_censored_at_the_horizon():
    sc = scenario("current_practice")
    months_left = (horizon_day(CAL) - (dt.date(2026, 1, 5) - dt.date(1970, 1, 1)).days) / DAYS_PER_MONTH
    windows = single_window(IDS, {"scootmobiel": (1.0, 2.0, 30.0), "traplift": (months_left + 5, months_left + 6,
                                                                               months_left + 40)},
                            death=months_left + 600)
    f = one_replication(sc, GivenWindows(windows), 1, 0).frame
    assert list(f["provision_id"].astype(str)) == ["scootmobiel"]  # the need after the horizon is not simulated
    assert f["death_day"].iloc[0] <= months_left * DAYS_PER_MONTH + 1
    assert f["delivery_day"].notna().all()
    assert HORIZON_MARGIN_DAYS >= 365

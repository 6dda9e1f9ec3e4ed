"""KPIs of needs that arise after diagnosis (need_start_day > 0): needs present at diagnosis
are left out; none of them gives no rows to average (NaN, handled), later ones give the
values the fixed durations imply."""

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd

from ivp.application.comparison import comparison_records
from ivp.domain.calendar import get_calendar
from ivp.domain.catalog import load_catalog
from ivp.domain.units import DAYS_PER_MONTH
from ivp.models.needwindows import NeedWindows
from ivp.models.process import GivenWindows, load_scenario, run
from tests.helpers.runs import one_replication
from tests.helpers.scenarios import all_fixed

ROOT = Path(__file__).resolve().parents[1]
IDS = load_catalog().ids
CAL = get_calendar()
DIAG = dt.date(2026, 1, 5)
X, Y = IDS[0], IDS[1]


def windows(needs: list[dict[str, tuple[float, float, float]]], death: float = 40.0) -> NeedWindows:
    """Patients with ``{provision: (trigger, need_start, need_end)}`` in months."""
    n, p = len(needs), len(IDS)
    start, end, trig = (np.full((n, p), np.nan) for _ in range(3))
    for i, patient in enumerate(needs):
        for pid, (t, s, e) in patient.items():
            j = IDS.index(pid)
            trig[i, j], start[i, j], end[i, j] = t, s, e
    patients = pd.DataFrame({"patient_id": np.arange(n), "survival_months_from_diagnosis": np.full(n, death)})
    return NeedWindows(patients, IDS, start, end, trig, np.full(n, death))


def overall(kpis):
    o = kpis[kpis["group"] == "overall"]
    return dict(zip(o["metric"], o["value"]))


SC = all_fixed(load_scenario("current_practice"), 10, 10, 10, 10)  # 40 werkdagen from melding to delivery


def gap_days(start_day: int, end_day: int) -> float:
    begin = np.datetime64(DIAG) + start_day
    delivered = CAL.add_werkdagen_array(np.array([begin]), np.array([40]))[0]
    return float(min((delivered - begin).astype(int), end_day - start_day))


def test_needs_all_present_at_diagnosis_give_no_rows():
    win = windows([{X: (0, 0, 30)}, {X: (0, 0, 30), Y: (0, 0, 30)}])
    r = one_replication(SC, GivenWindows(win, DIAG), seed=1, k=0)
    o = overall(r.kpis)
    assert o["share_patients_gap_over_20wd"] == 1.0  # every need late ...
    assert o["requests_after_diagnosis"] == 0  # ... but none arises after diagnosis
    assert math.isnan(o["gap_days_mean_after_diagnosis"])
    assert math.isnan(o["share_requests_gap_over_20wd_after_diagnosis"])
    assert o["share_patients_gap_over_20wd_after_diagnosis"] == 0.0
    mc = run(SC, GivenWindows(win, DIAG), 3, seed=1)
    s = mc.overall()
    assert math.isnan(s.loc["gap_days_mean_after_diagnosis", "mean"])
    assert s.loc["gap_days_mean_after_diagnosis", "replications"] == 0
    rec = {r["metric"]: r for r in comparison_records([mc, mc])}
    assert math.isnan(rec["gap_days_mean_after_diagnosis"]["scenarios"][0]["mean"])
    assert math.isnan(rec["gap_days_mean_after_diagnosis"]["difference"]["mean"])
    assert rec["share_patients_gap_over_20wd_after_diagnosis"]["scenarios"][0]["mean"] == 0.0


def test_later_needs_give_the_fixed_durations_gaps():
    # patient 0: X at diagnosis, Y from month 6 (long window: a 40-werkdagen gap)
    # patient 1: X at diagnosis, Y from month 3 for 0.2 months (gap cut at the need end)
    win = windows([{X: (0, 0, 30), Y: (6, 6, 30)}, {X: (0, 0, 30), Y: (3, 3, 3.2)}])
    r = one_replication(SC, GivenWindows(win, DIAG), seed=1, k=0)
    f = r.frame
    later = f[f["need_start_day"] > 0].sort_values("patient_id")
    day = lambda months: int(np.floor(months * DAYS_PER_MONTH))  # noqa: E731
    g0 = gap_days(day(6), day(30))
    g1 = gap_days(day(3), day(3.2))
    assert later["gap_days"].tolist() == [g0, g1]
    assert g1 < 20 < CAL.werkdagen_between_array(np.array([np.datetime64(DIAG)]), np.array([np.datetime64(DIAG) + int(g0)]))[0]
    o = overall(r.kpis)
    assert o["share_patients_gap_over_20wd"] == 1.0
    assert o["requests_after_diagnosis"] == 2
    assert o["gap_days_mean_after_diagnosis"] == (g0 + g1) / 2
    assert o["share_requests_gap_over_20wd_after_diagnosis"] == 0.5
    assert o["share_patients_gap_over_20wd_after_diagnosis"] == 0.5
    # the overall mean still counts the needs present at diagnosis
    assert o["gap_days_mean"] == f["gap_days"].mean() != o["gap_days_mean_after_diagnosis"]
    p = r.kpis[(r.kpis["group"] == "provision") & (r.kpis["key"] == X)]
    assert dict(zip(p["metric"], p["value"]))["requests_after_diagnosis"] == 0

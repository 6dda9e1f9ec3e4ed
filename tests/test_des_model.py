"""Verification of the process model: deterministic runs, extreme values, monotonicity,
the protocol's SLA, engine equivalence, depot and staff, and conservation in the frame."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ivp.domain.calendar import get_calendar
from ivp.domain.catalog import load_catalog
from ivp.domain.errors import InputError
from ivp.models.process import FRAME_COLUMNS, GivenWindows, load_scenario
from ivp.models.process.scenario import DELIVERY_KINDS
from tests.helpers.runs import one_replication
from tests.helpers.scenarios import all_fixed
from tests.helpers.windows import single_window, synthetic_windows

ROOT = Path(__file__).resolve().parents[1]
CATALOG = load_catalog()
IDS = CATALOG.ids
CAL = get_calendar()


def scenario(name):
    return load_scenario(name)


def cohort(n=150, seed=3, p_need=0.5):
    return GivenWindows(synthetic_windows(n, np.random.default_rng(seed), IDS, p_need),
                        diagnosis_dates=np.datetime64("2026-03-13") + np.arange(n) % 200)


def frame(sc, coh=None, engine="auto", seed=11, k=0):
    return one_replication(sc, coh or cohort(), seed, k, engine=engine).frame


@pytest.mark.parametrize("engine", ["fast", "simpy"])
def test_deterministic_delivery_is_melding_plus_steps_exactly(engine):
    sc = all_fixed(scenario("current_practice"), 7, 3, 5, 11, notice=float("inf"))  # never cancelled
    f = frame(sc, engine=engine)
    diag = f["diagnosis_date"].to_numpy().astype("datetime64[D]")
    melding = diag + f["melding_day"].to_numpy().astype(int)
    expected = CAL.add_werkdagen_array(melding, np.full(len(f), 7 + 3 + 5 + 11))
    delivered = diag + f["delivery_day"].to_numpy().astype(int)
    assert f["delivery_day"].notna().all()
    assert (delivered == expected).all()
    assert (CAL.werkdagen_between_array(melding, delivered) == 26).all()
    # and every step in between
    adv = diag + f["advice_day"].to_numpy().astype(int)
    assert (adv == CAL.add_werkdagen_array(melding, np.full(len(f), 7))).all()


@pytest.mark.parametrize("engine", ["fast", "simpy"])
def test_zero_durations_give_zero_gaps(engine):
    sc = all_fixed(scenario("current_practice"), 0, 0, 0, 0, notice=10)
    f = frame(sc, engine=engine)
    assert (f["gap_days"] == 0).all() and (f["gap_werkdagen"] == 0).all()
    assert (f["delivery_day"] == f["need_start_day"]).all()
    open_window = f["need_end_day"] > f["need_start_day"]  # (a window shorter than a day is empty)
    assert not f["delivered_after_death"].any() and not (f["obsolete_on_arrival"] & open_window).any()


@pytest.mark.parametrize("engine", ["fast", "simpy"])
def test_unbounded_durations_deliver_nothing(engine):
    sc = all_fixed(scenario("current_practice"), 5, 5, 5, float("inf"), notice=10)
    f = frame(sc, engine=engine)
    assert f["delivery_day"].isna().all()
    assert (f["cost_eur"] == 0).all()
    assert f.loc[f["melding_day"].notna(), "cancelled"].all()
    window = np.minimum(f["need_end_day"], f["death_day"]) - f["need_start_day"]
    assert np.allclose(f["gap_days"], window)


def test_longer_lead_times_never_reduce_gaps():
    base = scenario("current_practice")
    data = base.model_dump(mode="json", exclude_none=True)
    for fin in ("wmo", "zvw"):
        for kind, spec in data["routes"][fin]["delivery"].items():
            if isinstance(spec, dict) and spec.get("dist") == "mixture":
                for comp in spec["components"]:
                    d = comp["duration"]
                    for key in ("median", "p90", "low", "high"):
                        if key in d:
                            d[key] = d[key] * 2
    longer = type(base).model_validate(data)
    coh = cohort(200)
    a, b = frame(base, coh), frame(longer, coh)
    assert (a["melding_day"].fillna(-1) == b["melding_day"].fillna(-1)).all()
    assert (b["gap_days"] >= a["gap_days"]).all()
    assert b["gap_days"].mean() > a["gap_days"].mean()


@pytest.mark.parametrize("engine", ["fast", "simpy"])
def test_protocol_at_its_slowest_takes_exactly_the_sla_totals(engine):
    """The in-kind protocol with every SLA spread replaced by the SLA itself (every party at
    its maximum, fitting 5): melding to delivery is the catalogue's SLA total, exactly."""
    data = scenario("protocol_in_kind").model_dump(mode="json", exclude_none=True)
    for fin in ("wmo", "zvw"):
        r = data["routes"][fin]
        r["advice"], r["decision"] = {"dist": "sla", "part": "advice"}, {"dist": "sla", "part": "decision"}
        r["fitting"] = {"dist": "fixed", "werkdagen": 5}
        r["delivery"] = {k: {"dist": "sla", "part": "supplier_after_fitting"} for k in DELIVERY_KINDS}
        r.pop("contributions", None)
    data.pop("bridging", None)
    data["client_events"] = {"assumption": "none: the route alone", "handover_months": 0}  # a move restarts requests
    f = frame(type(scenario("protocol")).model_validate(data), engine=engine)
    done = f[f["delivery_day"].notna()]
    diag = done["diagnosis_date"].to_numpy().astype("datetime64[D]")
    wait = CAL.werkdagen_between_array(diag + done["melding_day"].to_numpy().astype(int),
                                       diag + done["delivery_day"].to_numpy().astype(int))
    total = np.array([CATALOG.get(p).sla.total for p in done["provision_id"].astype(str)])
    assert len(done) > 100
    assert (wait == total).all()


def test_protocol_lead_times_have_spread_and_mostly_keep_the_sla():
    """The shipped protocol: each step usually within its SLA and sometimes beyond (the SLA
    spread), so lead times spread (P10 < P90 for every provision with enough requests) and
    most in-kind requests arrive within the SLA total, not all."""
    f = frame(scenario("protocol_in_kind"), cohort(400))
    done = f[f["delivery_day"].notna() & ~f["pgb"]]
    diag = done["diagnosis_date"].to_numpy().astype("datetime64[D]")
    wait = CAL.werkdagen_between_array(diag + done["melding_day"].to_numpy().astype(int),
                                       diag + done["delivery_day"].to_numpy().astype(int))
    total = np.array([CATALOG.get(p).sla.total for p in done["provision_id"].astype(str)])
    assert 0.6 < np.mean(wait <= total) < 0.95
    by = pd.DataFrame({"p": done["provision_id"].astype(str).to_numpy(), "w": wait}).groupby("p")["w"]
    spread = by.quantile(0.9) - by.quantile(0.1)
    assert (spread[by.size() >= 30] > 0).all()


@pytest.mark.parametrize("name", ["protocol", "current_practice", "protocol_in_kind", "pgb"])
def test_fast_engine_equals_simpy(name):
    coh = cohort(120)
    pd.testing.assert_frame_equal(frame(scenario(name), coh, "fast"), frame(scenario(name), coh, "simpy"))


def with_depot(sc):
    return sc.with_changes(depot={**sc.depot.model_dump(), "enabled": True})


@pytest.mark.parametrize("name", ["protocol", "current_practice"])
def test_depot_engines_agree_and_reuse_lowers_purchases(name):
    sc = scenario(name)
    coh = GivenWindows(synthetic_windows(300, np.random.default_rng(5), IDS, 0.6),
                       diagnosis_dates=np.datetime64("2026-01-01") + (np.arange(300) * 7) % 1500,
                       one_municipality=True)
    plain, fast, sim = frame(sc, coh), frame(with_depot(sc), coh, "fast"), frame(with_depot(sc), coh, "simpy")
    pd.testing.assert_frame_equal(fast, sim)
    assert fast["from_depot"].sum() > 0
    assert fast["cost_eur"].sum() < plain["cost_eur"].sum()
    dep = fast[fast["from_depot"]]
    assert (dep["cost_eur"] == 0).all() and (dep["depot_cost_eur"] > 0).all()
    assert (dep["reuse"] == "herinzetbaar").all()
    # an item serves a new request only after its previous use ended
    def abs_(col, f):
        return f["diagnosis_date"].to_numpy().astype("datetime64[D]").astype(int) + f[col].to_numpy()
    fast = fast.assign(decision_abs=abs_("decision_day", fast), use_end_abs=abs_("use_end_day", fast),
                       delivery_abs=abs_("delivery_day", fast))
    for item, rows in fast[fast["item_id"] >= 0].groupby("item_id"):
        rows = rows.sort_values("delivery_abs")
        assert (rows["decision_abs"].to_numpy()[1:] > rows["use_end_abs"].to_numpy()[:-1]).all()


def test_depot_serves_a_later_client_without_supplier_lead_time():
    sc = with_depot(all_fixed(scenario("current_practice"), 5, 5, 5, 40, notice=10, at="need_start"))
    win = single_window(IDS, {"traplift": (0, 0.5, 3)}, death=4)
    two = GivenWindows(
        type(win)(pd.DataFrame({"patient_id": [0, 1], "survival_months_from_diagnosis": [4, 12]}), IDS,
                  np.vstack([win.need_start, win.need_start]), np.vstack([win.need_end, win.need_end]),
                  np.vstack([win.trigger, win.trigger]), np.array([4.0, 12.0])),
        diagnosis_dates=np.array(["2026-01-05", "2026-09-07"], dtype="datetime64[D]"))
    f = frame(sc, two, "simpy")
    assert list(f["from_depot"]) == [False, True]
    assert list(f["cost_eur"]) == [CATALOG.get("traplift").cost_eur, 0.0]
    second = f.iloc[1]
    diag = np.datetime64("2026-09-07")
    assert CAL.werkdagen_between(diag + int(second["melding_day"]), diag + int(second["delivery_day"])) == 5 + 5 + 5 + 5
    assert f["item_id"].iloc[0] == f["item_id"].iloc[1]


def test_staff_capacity_queues_requests_and_never_shortens_gaps():
    sc = scenario("current_practice")
    coh = cohort(150)
    tight = sc.with_changes(staff={"wmo_consultants": {"capacity": 2, "steps": ["advice"], "financiers": ["wmo"],
                                                       "assumption": "test"}})
    roomy = sc.with_changes(staff={"wmo_consultants": {"capacity": 10_000, "steps": ["advice"], "financiers": ["wmo"],
                                                       "assumption": "test"}})
    base, big, small = frame(sc, coh), frame(roomy, coh, "simpy"), frame(tight, coh, "simpy")
    pd.testing.assert_frame_equal(base, big)
    assert small["gap_days"].mean() > base["gap_days"].mean()
    with pytest.raises(InputError, match="only the SimPy engine"):
        frame(tight, coh, "fast")


@pytest.mark.parametrize("name", ["protocol", "current_practice", "pgb"])
def test_frame_conservation(name):
    f = frame(scenario(name), cohort(200))
    assert tuple(f.columns) == tuple(
        c for c in FRAME_COLUMNS)
    window = np.minimum(f["need_end_day"], f["death_day"]) - f["need_start_day"]
    assert (f["gap_days"] >= 0).all() and (f["gap_days"] <= window).all()
    assert (f["gap_werkdagen"] <= f["gap_days"]).all()
    delivered = f["delivery_day"].notna()
    assert (f.loc[f["delivered_after_death"], "delivery_day"] > f.loc[f["delivered_after_death"], "death_day"]).all()
    assert not (f["delivered_after_death"] & f["obsolete_on_arrival"]).any()
    assert not (f["delivered_before_need_end"] & (f["obsolete_on_arrival"] | f["delivered_after_death"])).any()
    assert (f["delivered_before_need_end"] | f["obsolete_on_arrival"] | f["delivered_after_death"] == delivered).all()
    assert (f.loc[~delivered, "cost_eur"] == 0).all()
    assert (f.loc[delivered, "cost_day"] >= f.loc[delivered, "delivery_day"]).all()
    assert not (f["cancelled"] & delivered).any()
    made = f["melding_day"].notna()
    assert (f.loc[made, "melding_day"] <= f.loc[made, "death_day"]).all()
    steps = f.loc[delivered & ~f["pgb"], ["melding_day", "advice_day", "decision_day", "fitting_day", "delivery_day"]]
    assert (steps.diff(axis=1).iloc[:, 1:] >= 0).all().all()
    # gaps are zero only when delivered by the need start
    assert ((f["gap_days"] == 0) == (delivered & (f["delivery_day"] <= f["need_start_day"])) | (window == 0)).all()


def test_pgb_delivery_does_not_wait_for_the_decision():
    f = frame(scenario("pgb"), cohort(200))
    wmo = f[(f["financier"] == "wmo") & f["delivery_day"].notna()]
    assert wmo["pgb"].all()
    assert (wmo["delivery_day"] < wmo["decision_day"]).mean() > 0.3
    assert (wmo["cost_day"] == np.maximum(wmo["delivery_day"], wmo["decision_day"])).all()


def test_a_patient_who_dies_at_diagnosis_needs_nothing():
    win = single_window(IDS, {}, death=0.0)
    f = frame(scenario("current_practice"), GivenWindows(win))
    assert len(f) == 0


def test_current_practice_waits_are_calibrated_to_the_protocols_problem_statement():
    """Seed 001: waiting 2-3 months is usual, 6-9 months occurs (melding to delivery, devices)."""
    sc = scenario("current_practice")
    f = frame(sc, cohort(400, p_need=0.8))
    devices = f[f["delivery_day"].notna() & f["provision_id"].astype(str).map(
        lambda p: CATALOG.get(p).delivery in ("lead_time", "no_lead_time"))]
    wait_days = devices["delivery_day"] - devices["melding_day"]
    median_months = wait_days.median() / 30.4375
    assert 1.5 <= median_months <= 3.0
    share_long = (wait_days > 6 * 30.4375).mean()
    assert 0.03 <= share_long <= 0.2

"""The ledger: every earmarked euro is spent, released or still reserved, at every moment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivp.domain.assumptions import default_assumptions
from ivp.domain.depot import residual_value
from ivp.domain.ledger import (
    build_ledger,
    patients_from_frame,
    period_of,
    plan_lines,
    summarise_over_time,
)
from tests.helpers.frames import CATALOG, DIAGNOSIS, synthetic_frame


def full_plan(patients: pd.DataFrame) -> pd.DataFrame:
    return plan_lines(patients, CATALOG.ids)


def check_conservation(ledger, freq="M"):
    over = ledger.over_time(freq=freq, by=("financier", "reuse"))
    lhs = over["earmarked_total"].to_numpy()
    rhs = (over["spent_total"] + over["released_total"] + over["reserved"]).to_numpy()
    np.testing.assert_allclose(lhs, rhs, atol=1e-6)
    assert (over["reserved"] >= -1e-6).all()
    return over


def test_conservation_on_a_hand_made_frame():
    frame, patients = synthetic_frame(np.random.default_rng(1), replications=4, patients=3)
    ledger = build_ledger(frame, CATALOG, plan=full_plan(patients), patients=patients)
    over = check_conservation(ledger)
    # every line of a patient who has died is closed, so nothing stays reserved at the end
    last = over[over["period"] == over["period"].max()]
    assert last["reserved"].sum() == pytest.approx(0.0, abs=1e-6)
    # what is spent is exactly what the frame says was bought or refurbished
    assert ledger.lines["spent"].sum() == pytest.approx(frame["cost_eur"].sum() + frame["depot_cost_eur"].sum())
    # per line: earmarked + top-ups = spent + released
    lines = ledger.lines
    np.testing.assert_allclose(lines["earmarked"] + lines["topped_up"], lines["spent"] + lines["released"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    replications=st.integers(1, 3),
    patients=st.integers(1, 3),
    p_needed=st.floats(0, 1),
    p_depot=st.floats(0, 1),
    p_bought=st.floats(0, 1),
    p_loan=st.floats(0, 1),
    freq=st.sampled_from(["M", "Q", "Y"]),
    rent=st.sets(st.sampled_from(["elektrische_rolstoel", "traplift", "spraakcomputer", "hoog_laagbed"])),
    partial_plan=st.booleans(),
    day=st.integers(-100, 3000),
)
def test_conservation_holds_at_every_moment(seed, replications, patients, p_needed, p_depot, p_bought, p_loan,
                                            freq, rent, partial_plan, day):
    rng = np.random.default_rng(seed)
    frame, people = synthetic_frame(rng, replications, patients, p_needed, p_depot, p_bought, p_loan=p_loan)
    ids = CATALOG.ids[::2] if partial_plan else CATALOG.ids  # provisions outside the plan are top-ups
    ledger = build_ledger(frame, CATALOG, plan=plan_lines(people, ids), patients=people, rented=rent)
    check_conservation(ledger, freq)
    at = int(DIAGNOSIS.astype(np.int64)) + day
    b = ledger.balance(at)
    assert b["earmarked"] == pytest.approx(b["spent"] + b["released"] + b["reserved"], abs=1e-6)
    assert b["reserved"] >= -1e-6
    lines = ledger.lines
    assert (lines["released"] >= -1e-9).all()
    np.testing.assert_allclose(lines["earmarked"] + lines["topped_up"], lines["spent"] + lines["released"], atol=1e-6)
    if len(frame):
        rented = frame["provision_id"].isin(rent) & frame["pgb"] & frame["delivery_day"].notna()
        charged = (frame["cost_eur"] + frame["depot_cost_eur"] + frame["bridge_cost_eur"])[~rented].sum()
        assert lines.loc[lines["acquisition"] != "rent", "spent"].sum() == pytest.approx(charged)


def test_a_client_who_dies_at_diagnosis_releases_everything():
    patients = pd.DataFrame([{"replication": 0, "patient_id": 7, "diagnosis_date": DIAGNOSIS, "death_day": 0.0}])
    frame, _ = synthetic_frame(np.random.default_rng(0), replications=0)
    ledger = build_ledger(frame, CATALOG, plan=full_plan(patients), patients=patients)
    total = sum(p.cost_eur for p in CATALOG)
    assert ledger.lines["earmarked"].sum() == pytest.approx(total)
    assert ledger.lines["released"].sum() == pytest.approx(total)
    assert ledger.lines["spent"].sum() == 0
    day0 = int(DIAGNOSIS.astype(np.int64))
    assert ledger.balance(day0) == pytest.approx({"earmarked": total, "spent": 0.0, "released": total, "reserved": 0.0})
    over = ledger.over_time("M")
    assert len(over["period"].unique()) == 1
    assert over["released"].sum() == pytest.approx(total)


def one_row(**fields) -> pd.DataFrame:
    base = {
        "replication": 0, "patient_id": 0, "provision_id": "elektrische_rolstoel", "financier": "wmo",
        "reuse": "herinzetbaar", "diagnosis_date": DIAGNOSIS, "need_start_day": 100.0, "need_end_day": 700.0,
        "trigger_day": 60.0, "death_day": 700.0, "melding_day": 60.0, "delivery_day": 120.0,
        "from_depot": False, "cost_eur": 30000.0, "cost_day": 110.0, "use_end_day": 700.0,
    }
    base.update(fields)
    return pd.DataFrame([base])


def test_purchase_spends_at_the_purchase_day_and_releases_the_rest():
    frame = one_row(cost_eur=25000.0)
    ledger = build_ledger(frame, CATALOG)
    line = ledger.lines.iloc[0]
    assert (line["earmarked"], line["spent"], line["released"]) == (30000.0, 25000.0, 5000.0)
    day0 = int(DIAGNOSIS.astype(np.int64))
    assert ledger.balance(day0 + 109)["reserved"] == 30000.0
    assert ledger.balance(day0 + 110) == {"earmarked": 30000.0, "spent": 25000.0, "released": 5000.0, "reserved": 0.0}


def test_rent_runs_monthly_and_tops_up_the_earmark_when_it_exceeds_it():
    a = default_assumptions()
    frame = one_row(delivery_day=0.0, use_end_day=3000.0, death_day=3000.0, need_end_day=3000.0)
    ledger = build_ledger(frame, CATALOG, rented={"elektrische_rolstoel"})
    line = ledger.lines.iloc[0]
    months = int(np.ceil(3000 / 30.4375))
    assert line["acquisition"] == "rent"
    assert line["spent"] == pytest.approx(months * 30000 * a.rent_monthly_fraction)
    assert line["topped_up"] == pytest.approx(line["spent"] - 30000)
    assert line["released"] == 0
    assert ledger.returns.empty  # a rented item goes back to the supplier, not the depot
    check_conservation(ledger)


def test_a_loan_device_is_paid_from_the_earmark_when_the_loan_ends():
    """A loan bridging 100 days before the purchase: its rent is spent on the day the
    definitive device comes, the purchase draws on the rest of the earmark, and the line
    tops up only what exceeds the earmark."""
    rent = 0.03 * 30000 * 100 / 30.4375
    frame = one_row(cost_eur=30000.0, bridge_day=10.0, bridge_end_day=110.0, bridge_cost_eur=rent)
    ledger = build_ledger(frame, CATALOG)
    line = ledger.lines.iloc[0]
    assert line["spent"] == pytest.approx(30000.0 + rent)
    assert line["topped_up"] == pytest.approx(rent) and line["released"] == pytest.approx(0.0)
    day0 = int(DIAGNOSIS.astype(np.int64))
    assert ledger.balance(day0 + 109)["spent"] == 0.0
    assert ledger.balance(day0 + 110)["spent"] == pytest.approx(30000.0 + rent)
    check_conservation(ledger)
    cheaper = build_ledger(one_row(cost_eur=20000.0, bridge_day=10.0, bridge_end_day=110.0, bridge_cost_eur=rent),
                           CATALOG).lines.iloc[0]
    assert cheaper["released"] == pytest.approx(10000.0 - rent) and cheaper["topped_up"] == 0.0


def test_a_provision_outside_the_plan_is_a_top_up_at_purchase():
    frame = one_row()
    patients = patients_from_frame(frame)
    ledger = build_ledger(frame, CATALOG, plan=plan_lines(patients, ["traplift"]), patients=patients)
    wheelchair = ledger.lines.set_index("provision_id").loc["elektrische_rolstoel"]
    assert not wheelchair["in_plan"]
    assert (wheelchair["earmarked"], wheelchair["topped_up"], wheelchair["spent"]) == (0.0, 30000.0, 30000.0)
    stairlift = ledger.lines.set_index("provision_id").loc["traplift"]
    assert stairlift["released"] == 6000.0  # not needed: released at death
    assert stairlift["close_day"] == int(DIAGNOSIS.astype(np.int64)) + 700


def test_window_passed_releases_at_need_end_not_at_death():
    frame = one_row(delivery_day=np.nan, cost_day=np.nan, cost_eur=0.0, use_end_day=np.nan, need_end_day=300.0)
    ledger = build_ledger(frame, CATALOG)
    assert ledger.lines.iloc[0]["close_day"] == int(DIAGNOSIS.astype(np.int64)) + 300


def test_an_open_window_stays_reserved():
    frame = one_row(delivery_day=np.nan, cost_day=np.nan, cost_eur=0.0, use_end_day=np.nan,
                    need_end_day=np.nan, death_day=np.nan)
    ledger = build_ledger(frame, CATALOG)
    assert np.isnan(ledger.lines.iloc[0]["close_day"])
    assert ledger.balance(int(DIAGNOSIS.astype(np.int64)) + 5000)["reserved"] == 30000.0


def test_a_depot_item_saves_the_purchase_and_returns_with_a_lower_value():
    frame = one_row(from_depot=True, cost_eur=0.0, cost_day=np.nan, item_age_days=365.25)
    ledger = build_ledger(frame, CATALOG)
    line = ledger.lines.iloc[0]
    assert line["acquisition"] == "depot" and line["spent"] == 0 and line["released"] == 30000
    ret = ledger.returns.iloc[0]
    assert ret["day"] == int(DIAGNOSIS.astype(np.int64)) + 700
    expected = residual_value(30000.0, 365.25 + 580)
    assert ret["residual_value"] == pytest.approx(float(expected))
    assert ret["residual_value"] < 30000 * (1 - 1 / default_assumptions().residual_useful_life_years)


def test_a_depot_reissue_spends_its_refurbishment_at_delivery():
    frame = one_row(from_depot=True, cost_eur=0.0, cost_day=np.nan, depot_cost_eur=4500.0)
    ledger = build_ledger(frame, CATALOG)
    line = ledger.lines.iloc[0]
    assert (line["spent"], line["released"]) == (4500.0, 25500.0)
    assert line["close_day"] == int(DIAGNOSIS.astype(np.int64)) + 120


def test_rent_applies_only_to_requests_that_went_the_pgb_route():
    frame = one_row(pgb=False)
    ledger = build_ledger(frame, CATALOG, rented={"elektrische_rolstoel"})
    assert ledger.lines.iloc[0]["acquisition"] == "purchase"


def test_residual_value_declines_with_age_to_the_floor():
    ages = np.array([0, 365.25, 2 * 365.25, 10 * 365.25])
    values = residual_value(10000.0, ages)
    assert values[0] == 10000.0
    assert np.all(np.diff(values) <= 0)
    assert values[-1] == 10000.0 * default_assumptions().residual_floor_fraction


def test_periods_are_calendar_months_quarters_and_years():
    day = np.array([np.datetime64("2026-03-31"), np.datetime64("2026-04-01")]).astype(np.int64)
    assert list(np.diff(period_of(day, "M"))) == [1]
    assert list(np.diff(period_of(day, "Q"))) == [1]
    assert list(np.diff(period_of(day, "Y"))) == [0]


def test_summary_over_replications_has_mean_and_percentiles():
    frame, patients = synthetic_frame(np.random.default_rng(3), replications=20, patients=1)
    ledger = build_ledger(frame, CATALOG, plan=full_plan(patients), patients=patients)
    summary = summarise_over_time(ledger.over_time("Y"))
    assert {"mean", "p10", "p50", "p90"} <= set(summary.columns)
    assert (summary["p10"] <= summary["p90"] + 1e-9).all()


def test_a_plan_mask_gives_the_same_ledger_as_plan_lines():
    rng = np.random.default_rng(11)
    frame, patients = synthetic_frame(rng, replications=3, patients=3)
    mask = rng.random((len(patients), len(CATALOG.ids))) < 0.6
    rows, cols = np.nonzero(mask)
    lines = pd.DataFrame({"replication": patients["replication"].to_numpy()[rows],
                          "patient_id": patients["patient_id"].to_numpy()[rows],
                          "provision_id": np.asarray(CATALOG.ids, dtype=object)[cols]})
    a = build_ledger(frame, CATALOG, plan=lines, patients=patients)
    b = build_ledger(frame, CATALOG, plan_mask=mask, patients=patients)
    pd.testing.assert_frame_equal(a.lines, b.lines)
    check_conservation(b)
    with pytest.raises(ValueError):
        build_ledger(frame, CATALOG, plan_mask=mask[:, :3], patients=patients)


def test_a_reissued_item_returns_older_than_its_last_use():
    first = one_row(item_id=5, delivery_day=120.0, use_end_day=400.0, death_day=400.0, need_end_day=400.0)
    second = one_row(patient_id=1, item_id=5, from_depot=True, cost_eur=0.0, cost_day=np.nan,
                     diagnosis_date=DIAGNOSIS + np.timedelta64(300, "D"), melding_day=100.0, delivery_day=150.0,
                     use_end_day=500.0, death_day=500.0, need_end_day=500.0)
    ledger = build_ledger(pd.concat([first, second], ignore_index=True), CATALOG)
    returns = ledger.returns.sort_values("day")
    # first use: 120 -> 400; second use from day 300 + 150 = 450 to 300 + 500 = 800, item bought on day 120
    ages = [400 - 120, 800 - 120]
    np.testing.assert_allclose(returns["residual_value"], residual_value(30000.0, np.array(ages, dtype=float)))

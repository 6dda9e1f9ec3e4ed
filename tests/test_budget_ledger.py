"""The ledger: every earmarked euro is spent, released or still reserved, at every moment.

The accounting rules are tested on :data:`BARE`, the catalogue without upkeep, at a flat price
level (:func:`bare_ledger`), so every amount is the frame's; the life cycle (price index,
rent in kind, maintenance, after-adaptation, handover months, own contributions) has its own
tests at the end, on the shipped catalogue."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivp.domain.assumptions import default_assumptions
from ivp.domain.catalog.loader import Catalog
from ivp.domain.depot import residual_value
from ivp.domain.ledger import (
    build_ledger,
    patients_from_frame,
    period_of,
    plan_lines,
    summarise_over_time,
)
from ivp.domain.own_contribution import own_contribution_rules
from ivp.domain.prices import PriceIndex
from tests.helpers.frames import CATALOG, DIAGNOSIS, synthetic_frame

FLAT = PriceIndex(catalogue_price_year=2022, cpi_change_percent={2022: 0.0}, projection_percent_per_year=0.0)
"""A price level that never changes: amounts stay the catalogue's."""
BARE = Catalog(provisions=tuple(p.model_copy(update={"maintenance_eur_year": 0.0, "adaptation_eur": 0.0})
                                for p in CATALOG), source="catalogue without upkeep")


def bare_ledger(frame, catalog=BARE, **kwargs):
    """The ledger of the accounting rules alone: no upkeep, flat prices."""
    return build_ledger(frame, catalog, prices=FLAT, **kwargs)


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
    ledger = bare_ledger(frame, plan=full_plan(patients), patients=patients)
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
    ledger = bare_ledger(frame, plan=plan_lines(people, ids), patients=people, rented=rent)
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
    ledger = bare_ledger(frame, plan=full_plan(patients), patients=patients)
    total = sum(p.cost_eur for p in CATALOG)
    assert ledger.lines["earmarked"].sum() == pytest.approx(total)
    assert ledger.lines["released"].sum() == pytest.approx(total)
    assert ledger.lines["spent"].sum() == 0
    day0 = int(DIAGNOSIS.astype(np.int64))
    assert ledger.balance(day0) == pytest.approx({"earmarked": total, "spent": 0.0, "released": total, "reserved": 0.0,
                                                  "own_contribution": 0.0})
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
    ledger = bare_ledger(frame)
    line = ledger.lines.iloc[0]
    assert (line["earmarked"], line["spent"], line["released"]) == (30000.0, 25000.0, 5000.0)
    day0 = int(DIAGNOSIS.astype(np.int64))
    assert ledger.balance(day0 + 109)["reserved"] == 30000.0
    assert ledger.balance(day0 + 110) == {"earmarked": 30000.0, "spent": 25000.0, "released": 5000.0, "reserved": 0.0,
                                          "own_contribution": 0.0}


def test_rent_runs_monthly_and_tops_up_the_earmark_when_it_exceeds_it():
    a = default_assumptions()
    frame = one_row(delivery_day=0.0, use_end_day=3000.0, death_day=3000.0, need_end_day=3000.0)
    ledger = bare_ledger(frame, rented={"elektrische_rolstoel"})
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
    ledger = bare_ledger(frame)
    line = ledger.lines.iloc[0]
    assert line["spent"] == pytest.approx(30000.0 + rent)
    assert line["topped_up"] == pytest.approx(rent) and line["released"] == pytest.approx(0.0)
    day0 = int(DIAGNOSIS.astype(np.int64))
    assert ledger.balance(day0 + 109)["spent"] == 0.0
    assert ledger.balance(day0 + 110)["spent"] == pytest.approx(30000.0 + rent)
    check_conservation(ledger)
    cheaper = bare_ledger(one_row(cost_eur=20000.0, bridge_day=10.0, bridge_end_day=110.0,
                                  bridge_cost_eur=rent)).lines.iloc[0]
    assert cheaper["released"] == pytest.approx(10000.0 - rent) and cheaper["topped_up"] == 0.0


def test_a_provision_outside_the_plan_is_a_top_up_at_purchase():
    frame = one_row()
    patients = patients_from_frame(frame)
    ledger = bare_ledger(frame, plan=plan_lines(patients, ["traplift"]), patients=patients)
    wheelchair = ledger.lines.set_index("provision_id").loc["elektrische_rolstoel"]
    assert not wheelchair["in_plan"]
    assert (wheelchair["earmarked"], wheelchair["topped_up"], wheelchair["spent"]) == (0.0, 30000.0, 30000.0)
    stairlift = ledger.lines.set_index("provision_id").loc["traplift"]
    assert stairlift["released"] == 6000.0  # not needed: released at death
    assert stairlift["close_day"] == int(DIAGNOSIS.astype(np.int64)) + 700


def test_window_passed_releases_at_need_end_not_at_death():
    frame = one_row(delivery_day=np.nan, cost_day=np.nan, cost_eur=0.0, use_end_day=np.nan, need_end_day=300.0)
    ledger = bare_ledger(frame)
    assert ledger.lines.iloc[0]["close_day"] == int(DIAGNOSIS.astype(np.int64)) + 300


def test_an_open_window_stays_reserved():
    frame = one_row(delivery_day=np.nan, cost_day=np.nan, cost_eur=0.0, use_end_day=np.nan,
                    need_end_day=np.nan, death_day=np.nan)
    ledger = bare_ledger(frame)
    assert np.isnan(ledger.lines.iloc[0]["close_day"])
    assert ledger.balance(int(DIAGNOSIS.astype(np.int64)) + 5000)["reserved"] == 30000.0


def test_a_depot_item_saves_the_purchase_and_returns_with_a_lower_value():
    frame = one_row(from_depot=True, cost_eur=0.0, cost_day=np.nan, item_age_days=365.25)
    ledger = bare_ledger(frame)
    line = ledger.lines.iloc[0]
    assert line["acquisition"] == "depot" and line["spent"] == 0 and line["released"] == 30000
    ret = ledger.returns.iloc[0]
    assert ret["day"] == int(DIAGNOSIS.astype(np.int64)) + 700
    expected = residual_value(30000.0, 365.25 + 580)
    assert ret["residual_value"] == pytest.approx(float(expected))
    assert ret["residual_value"] < 30000 * (1 - 1 / default_assumptions().residual_useful_life_years)


def test_a_depot_reissue_spends_its_refurbishment_at_delivery():
    frame = one_row(from_depot=True, cost_eur=0.0, cost_day=np.nan, depot_cost_eur=4500.0)
    ledger = bare_ledger(frame)
    line = ledger.lines.iloc[0]
    assert (line["spent"], line["released"]) == (4500.0, 25500.0)
    assert line["close_day"] == int(DIAGNOSIS.astype(np.int64)) + 120


def test_rent_applies_only_to_requests_that_went_the_pgb_route():
    frame = one_row(pgb=False)
    ledger = bare_ledger(frame, rented={"elektrische_rolstoel"})
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
    ledger = bare_ledger(frame, plan=full_plan(patients), patients=patients)
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
    a = bare_ledger(frame, plan=lines, patients=patients)
    b = bare_ledger(frame, plan_mask=mask, patients=patients)
    pd.testing.assert_frame_equal(a.lines, b.lines)
    check_conservation(b)
    with pytest.raises(ValueError):
        bare_ledger(frame, plan_mask=mask[:, :3], patients=patients)


def test_a_reissued_item_returns_older_than_its_last_use():
    first = one_row(item_id=5, delivery_day=120.0, use_end_day=400.0, death_day=400.0, need_end_day=400.0)
    second = one_row(patient_id=1, item_id=5, from_depot=True, cost_eur=0.0, cost_day=np.nan,
                     diagnosis_date=DIAGNOSIS + np.timedelta64(300, "D"), melding_day=100.0, delivery_day=150.0,
                     use_end_day=500.0, death_day=500.0, need_end_day=500.0)
    ledger = bare_ledger(pd.concat([first, second], ignore_index=True))
    returns = ledger.returns.sort_values("day")
    # first use: 120 -> 400; second use from day 300 + 150 = 450 to 300 + 500 = 800, item bought on day 120
    ages = [400 - 120, 800 - 120]
    np.testing.assert_allclose(returns["residual_value"], residual_value(30000.0, np.array(ages, dtype=float)))


# --- the life cycle of a device and a client ---------------------------------------------

DAY0 = int(DIAGNOSIS.astype(np.int64))
MONTH = 30.4375


def catalogue_with(**changes) -> Catalog:
    """The shipped catalogue with some provisions' fields changed: ``{id: {field: value}}``."""
    return Catalog(provisions=tuple(p.model_copy(update=changes.get(p.id, {})) for p in CATALOG), source="test")


def check_cost_kinds(ledger) -> None:
    """Spending is exactly purchase + rent + maintenance, per line and per period."""
    lines = ledger.lines
    np.testing.assert_allclose(lines["spent"], lines[["spent_purchase", "spent_rent", "spent_maintenance"]].sum(axis=1),
                               atol=1e-6)
    over = ledger.over_time("M")
    np.testing.assert_allclose(over["spent"], over[["spent_purchase", "spent_rent", "spent_maintenance"]].sum(axis=1),
                               atol=1e-6)


def test_amounts_are_in_euros_of_the_year_they_are_booked():
    """Earmarked at the IVP day in euros of that year, bought a year later in euros of the
    next: the difference is a top-up, and the released rest is counted in later euros."""
    index = PriceIndex(catalogue_price_year=2022, cpi_change_percent={2026: 10.0, 2027: 10.0},
                       projection_percent_per_year=0.0)
    frame = one_row(cost_eur=30000.0, cost_day=400.0, delivery_day=410.0)  # 2026-03-02 + 400 days: 2027
    ledger = build_ledger(frame, BARE, prices=index)
    line = ledger.lines.iloc[0]
    assert line["earmarked"] == pytest.approx(33000.0)  # 2026 prices
    assert line["spent"] == pytest.approx(36300.0)  # 2027 prices
    assert line["topped_up"] == pytest.approx(3300.0) and line["released"] == 0.0
    check_conservation(ledger)


def test_a_provision_rented_in_kind_pays_its_rent_while_used_at_least_its_term():
    catalog = catalogue_with(traplift={"acquisition": "rent", "rent_eur_month": 150.0, "rent_min_months": 3})
    used = one_row(provision_id="traplift", cost_eur=6000.0, pgb=False, delivery_day=120.0, use_end_day=700.0,
                   need_end_day=700.0)
    line = bare_ledger(used, catalog).lines.iloc[0]
    months = np.ceil(580 / MONTH)
    assert line["acquisition"] == "rent" and line["spent_rent"] == pytest.approx(150.0 * months)
    assert line["spent_purchase"] == 0.0 and line["released"] == pytest.approx(6000.0 - 150.0 * months)
    short = one_row(provision_id="traplift", cost_eur=6000.0, pgb=False, delivery_day=120.0, use_end_day=140.0)
    assert bare_ledger(short, catalog).lines.iloc[0]["spent_rent"] == pytest.approx(450.0)  # the term: 3 months
    ledger = bare_ledger(used, catalog)
    assert ledger.returns.empty  # the supplier's, not the depot's
    check_conservation(ledger)
    check_cost_kinds(ledger)
    # under a pgb the item is bought as the frame says: the catalogue's rent is for in kind
    assert bare_ledger(one_row(provision_id="traplift", cost_eur=6000.0, pgb=True), catalog).lines.iloc[0][
        "acquisition"] == "purchase"


def test_an_owned_device_costs_its_upkeep_and_its_after_adaptation():
    frame = one_row(delivery_day=120.0, use_end_day=120.0 + 24 * MONTH, adaptation_day=300.0)
    ledger = bare_ledger(frame, CATALOG)
    line = ledger.lines.iloc[0]
    chair = CATALOG.get("elektrische_rolstoel")
    assert line["spent_maintenance"] == pytest.approx(24 * chair.maintenance_eur_year / 12 + chair.adaptation_eur)
    assert line["spent_purchase"] == 30000.0
    assert ledger.balance(DAY0 + 299)["spent"] < ledger.balance(DAY0 + 300)["spent"] - chair.adaptation_eur + 1
    check_conservation(ledger)
    check_cost_kinds(ledger)
    # rented, the rent covers both (seed 001, lines 2490-2525)
    rented = catalogue_with(elektrische_rolstoel={"acquisition": "rent"})
    line = bare_ledger(frame.assign(pgb=False), rented).lines.iloc[0]
    assert line["spent_maintenance"] == 0.0 and line["spent_rent"] > 0


def test_the_departing_municipality_pays_the_rent_two_more_months():
    catalog = catalogue_with(traplift={"acquisition": "rent", "rent_eur_month": 150.0, "rent_min_months": 1})
    base = dict(provision_id="traplift", cost_eur=6000.0, pgb=False, delivery_day=120.0)
    plain = bare_ledger(one_row(**base, use_end_day=400.0), catalog).lines.iloc[0]["spent_rent"]
    wlz = bare_ledger(one_row(**base, use_end_day=400.0, need_end_day=400.0, wlz_day=400.0, handover_day=400.0),
                      catalog, handover_months=2).lines.iloc[0]["spent_rent"]
    assert wlz == pytest.approx(plain + 2 * 150.0)
    moved = bare_ledger(one_row(**base, use_end_day=700.0, move_day=300.0, handover_day=300.0), catalog,
                        handover_months=2)
    assert moved.lines.iloc[0]["spent_rent"] == pytest.approx(150.0 * np.ceil(580 / MONTH) + 2 * 150.0)
    check_conservation(moved)


def client(lives_alone, age):
    return pd.DataFrame([{"replication": 0, "patient_id": 0, "diagnosis_date": DIAGNOSIS, "death_day": 900.0,
                          "lives_alone": lives_alone, "age_at_onset": age, "diagnostic_delay_months": 12.0}])


def test_the_own_contribution_is_due_from_the_month_after_delivery_while_in_use():
    rules = own_contribution_rules()
    stairlift = one_row(provision_id="traplift", cost_eur=6000.0, delivery_day=120.0, use_end_day=700.0)
    ledger = bare_ledger(stairlift, CATALOG, patients=client(True, 50))
    paid = ledger.lines["own_contribution"].sum()
    months = np.ceil((DAY0 + 700 - (np.datetime64("2026-07-01").astype(np.int64))) / MONTH)  # from July 2026
    assert 0 < paid <= months * max(rules.monthly_eur.values()) + 1e-9
    assert paid == pytest.approx(ledger.balance(DAY0 + 900)["own_contribution"])
    over = ledger.over_time("Y")
    assert over["own_contribution"].sum() == pytest.approx(paid)
    # a client below the AOW age who lives with someone pays nothing; nor for a wheelchair
    assert bare_ledger(stairlift, CATALOG, patients=client(False, 50)).lines["own_contribution"].sum() == 0
    assert bare_ledger(stairlift, CATALOG, patients=client(False, 70)).lines["own_contribution"].sum() == pytest.approx(paid)
    chair = one_row(delivery_day=120.0, use_end_day=700.0)
    assert bare_ledger(chair, CATALOG, patients=client(True, 70)).lines["own_contribution"].sum() == 0


def test_the_own_contribution_stops_at_the_cost_price():
    cheap = catalogue_with(traplift={"cost_eur": 100.0})
    frame = one_row(provision_id="traplift", cost_eur=100.0, delivery_day=120.0, use_end_day=2000.0, death_day=2000.0)
    paid = bare_ledger(frame, cheap, patients=client(True, 70).assign(death_day=2000.0)).lines["own_contribution"].sum()
    assert 0 < paid <= 100.0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), rent=st.sets(st.sampled_from(["traplift", "scootmobiel", "plafondlift"])),
       handover=st.sampled_from([0.0, 2.0]), day=st.integers(-100, 3000))
def test_conservation_and_cost_kinds_hold_over_the_whole_life_cycle(seed, rent, handover, day):
    """The shipped catalogue (upkeep, after-adaptations), rent in kind for some provisions,
    the CPI, handover months after Wlz entries and moves, and own contributions."""
    rng = np.random.default_rng(seed)
    frame, people = synthetic_frame(rng, 2, 3, p_loan=0.3)
    if len(frame):
        n = len(frame)
        frame["pgb"] = rng.random(n) < 0.3
        frame["adaptation_day"] = np.where(rng.random(n) < 0.3, frame["delivery_day"] + 30, np.nan)
        event = np.where(rng.random(n) < 0.2, frame["delivery_day"] + 20, np.nan)
        frame["wlz_day"] = np.where(rng.random(n) < 0.5, event, np.nan)
        frame["handover_day"] = event
    people = people.assign(lives_alone=rng.random(len(people)) < 0.5, age_at_onset=rng.uniform(40, 80, len(people)),
                           diagnostic_delay_months=9.0)
    catalog = catalogue_with(**{pid: {"acquisition": "rent"} for pid in rent})
    ledger = build_ledger(frame, catalog, plan=plan_lines(people, catalog.ids), patients=people, handover_months=handover)
    check_conservation(ledger, "Q")
    check_cost_kinds(ledger)
    b = ledger.balance(DAY0 + day)
    assert b["earmarked"] == pytest.approx(b["spent"] + b["released"] + b["reserved"], abs=1e-6)
    lines = ledger.lines
    np.testing.assert_allclose(lines["earmarked"] + lines["topped_up"], lines["spent"] + lines["released"], atol=1e-6)
    assert (lines["own_contribution"] >= 0).all()


def test_the_ledger_finds_each_rows_patient_by_replication_and_id():
    """Text ids repeat across replications; a row's patient is the one of its replication,
    an unknown one is -1, and a patient listed twice is refused."""
    from ivp.domain.ledger import _patient_rows

    patients = pd.DataFrame({"replication": [0, 0, 1, 1, 2], "patient_id": ["new-0", "new-1", "new-1", "new-0", "WMO-7"]})
    rows = pd.DataFrame({"replication": [1, 0, 2, 1, 3, 0], "patient_id": ["new-0", "new-1", "WMO-7", "new-2", "new-0", "WMO-7"]})
    assert _patient_rows(patients, rows).tolist() == [3, 1, 4, -1, -1, -1]
    assert _patient_rows(patients.iloc[:0], rows).tolist() == [-1] * 6
    with pytest.raises(ValueError, match="more than once"):
        _patient_rows(pd.concat([patients, patients.iloc[[2]]], ignore_index=True), rows)

"""One client's plan: the protocol's subtotals, probabilities, request-by dates, the home
deciding what is in the plan, and a client who dies at diagnosis."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ivp.application.examples import EXAMPLES_DIR
from ivp.application.plan import build_plan, simulate_plan
from ivp.domain.assumptions import default_assumptions
from ivp.domain.catalog import load_catalog, subtotals, totals
from ivp.domain.prices import price_index
from ivp.domain.profile import load_profile, make_profile
from ivp.models.process import load_scenario

ROOT = Path(__file__).resolve().parents[1]
CATALOG = load_catalog()
DIAGNOSIS = dt.date(2026, 3, 2)
INDEX = price_index().year_factor(2022, 2026)
"""The catalogue's euros of 2022 in euros of the IVP's year (the CPI, ivp/domain/price_index.yaml)."""


def row(replication, provision_id, need_start, lead, **fields):
    p = CATALOG.get(provision_id)
    base = {
        "replication": replication, "patient_id": 0, "provision_id": provision_id, "financier": p.financier,
        "reuse": p.reuse, "diagnosis_date": np.datetime64(DIAGNOSIS), "need_start_day": float(need_start),
        "need_end_day": 900.0, "trigger_day": 0.0, "death_day": 900.0, "melding_day": float(need_start - lead),
        "delivery_day": float(need_start), "gap_days": 0.0, "delivered_after_death": False, "from_depot": False,
        "cost_eur": p.cost_eur, "cost_day": float(need_start), "use_end_day": 900.0,
    }
    base.update(fields)
    return base


def patients(n, death=900.0):
    return pd.DataFrame({"replication": range(n), "patient_id": 0, "diagnosis_date": np.datetime64(DIAGNOSIS),
                         "death_day": death})


def test_probability_need_dates_and_request_by_from_the_replications():
    # the stairlift is needed in 4 of 5 courses, at days 100..400; lead times 10..50 days
    rows = [row(r, "traplift", 100 * (r + 1), 10 * (r + 1)) for r in range(4)]
    plan = build_plan(pd.DataFrame(rows), patients(5), CATALOG, DIAGNOSIS, in_plan=CATALOG.ids)
    stairlift = plan.table.set_index("provision_id").loc["traplift"]
    assert stairlift["probability"] == pytest.approx(0.8)
    assert stairlift["expected_cost_eur"] == pytest.approx(0.8 * CATALOG.get("traplift").cost_eur * INDEX)
    assert stairlift["catalogue_cost_eur"] == CATALOG.get("traplift").cost_eur and stairlift["price_year"] == 2022
    need = np.array([100, 200, 300, 400])
    assert stairlift["need_p50"] == DIAGNOSIS + dt.timedelta(days=int(np.quantile(need, 0.5)))
    assert stairlift["need_p10"] == DIAGNOSIS + dt.timedelta(days=int(np.quantile(need, 0.1)))
    a = default_assumptions()
    lead = np.quantile([10, 20, 30, 40], a.request_by_lead_time_quantile)
    expected = np.quantile(need, a.request_by_need_quantile) - lead
    assert stairlift["lead_time_days"] == pytest.approx(lead)
    assert stairlift["request_by"] == DIAGNOSIS + dt.timedelta(days=int(np.floor(expected)))
    assert not stairlift["request_now"]
    assert plan.table.set_index("provision_id").loc["spraakcomputer", "probability"] == 0


def test_a_request_by_date_before_the_ivp_means_request_now():
    rows = [row(r, "elektrische_rolstoel", 20, 60) for r in range(3)]
    plan = build_plan(pd.DataFrame(rows), patients(3), CATALOG, DIAGNOSIS, in_plan=CATALOG.ids)
    wheelchair = plan.table.set_index("provision_id").loc["elektrische_rolstoel"]
    assert wheelchair["request_now"]
    assert wheelchair["request_by"] == DIAGNOSIS  # not before the IVP is set


def test_the_budget_beside_the_protocols_subtotals():
    """With every provision of the protocol's tables in the plan the earmark is the
    catalogue's maximum, i.e. the top of each of the protocol's ranges (55k, 108k, 19k, 140k)
    in euros of the IVP's year, and the comparison columns are exactly
    :func:`ivp.domain.catalog.subtotals` and :func:`ivp.domain.catalog.totals` in the
    protocol's own euros (collective transport, not in the tables, stays out)."""
    plan = build_plan(pd.DataFrame([row(0, "traplift", 100, 20)]), patients(1), CATALOG, DIAGNOSIS,
                      in_plan=[p.id for p in CATALOG if p.protocol_table])
    budget = plan.budget.set_index(["financier", "reuse"])
    for s in subtotals(CATALOG):
        line = budget.loc[(s.financier, s.reuse)]
        assert line["earmarked_eur"] == pytest.approx(s.maximum * INDEX) and s.maximum == s.protocol_high
        assert (line["catalogue_max_eur"], line["catalogue_lower_eur"]) == (s.maximum, s.lower_end)
        assert (line["protocol_low_eur"], line["protocol_high_eur"]) == (s.protocol_low, s.protocol_high)
    protocol = {(s.financier, s.reuse): (s.protocol_low, s.protocol_high) for s in subtotals(CATALOG)}
    assert protocol == {("wmo", "clientgebonden"): (35_000, 55_000), ("wmo", "herinzetbaar"): (75_000, 108_000),
                        ("zvw", "clientgebonden"): (19_000, 19_000), ("zvw", "herinzetbaar"): (95_000, 140_000)}
    for t in totals(CATALOG):
        line = budget.loc[(t.financier, "totaal")]
        assert line["protocol_high_eur"] == t.protocol_about == 150_000
        assert line["earmarked_eur"] == pytest.approx(t.maximum * INDEX)
    # spending: the one stairlift bought, in the one replication, and its upkeep while used
    line = budget.loc[("wmo", "herinzetbaar")]
    assert line["spent_purchase_mean_eur"] == pytest.approx(CATALOG.get("traplift").cost_eur * INDEX)
    assert line["spent_maintenance_mean_eur"] > 0 and line["spent_rent_mean_eur"] == 0
    assert line["spent_mean_eur"] == pytest.approx(line["spent_purchase_mean_eur"] + line["spent_maintenance_mean_eur"])


def test_a_client_who_dies_at_diagnosis_releases_the_whole_plan():
    empty = pd.DataFrame([row(0, "traplift", 1, 1)]).iloc[0:0]
    plan = build_plan(empty, patients(3, death=0.0), CATALOG, DIAGNOSIS, in_plan=CATALOG.ids)
    o = plan.over_time.pivot_table(index="measure", values="mean", aggfunc="sum", columns="period")
    total = sum(p.cost_eur for p in CATALOG) * INDEX
    first = o.columns[0]
    assert o.loc["earmarked_total", first] == pytest.approx(total)
    assert o.loc["released_total", first] == pytest.approx(total)
    assert o.loc["spent_total"].max() == 0 and o.loc["reserved"].max() == 0
    assert (plan.table["probability"] == 0).all()
    assert plan.budget["spent_mean_eur"].max() == 0


def test_conservation_in_the_plans_budget_over_time():
    rows = [row(r, pid, 50 + 30 * r, 15) for r in range(6) for pid in ("traplift", "spraakcomputer", "domotica")]
    plan = build_plan(pd.DataFrame(rows), patients(6), CATALOG, DIAGNOSIS, in_plan=CATALOG.ids, freq="M")
    wide = plan.over_time.pivot_table(index=["period", "financier"], columns="measure", values="mean")
    np.testing.assert_allclose(wide["earmarked_total"], wide["spent_total"] + wide["released_total"] + wide["reserved"],
                               atol=1e-6)


@pytest.fixture(scope="module")
def protocol():
    return load_scenario("protocol")


def test_the_home_decides_what_is_in_the_plan(protocol):
    with_stairs = make_profile(age_at_onset=60, bedroom_or_bathroom_upstairs=True, has_van=True,
                               home_adaptable_inside=True, ceiling_hoist_possible=True)
    ground_floor = make_profile(age_at_onset=60, bedroom_or_bathroom_upstairs=False, has_van=False,
                                home_adaptable_inside=True, ceiling_hoist_possible=False)
    a = simulate_plan(with_stairs, protocol, 300, seed=2, diagnosis_date=DIAGNOSIS).table.set_index("provision_id")
    b = simulate_plan(ground_floor, protocol, 300, seed=2, diagnosis_date=DIAGNOSIS).table.set_index("provision_id")
    assert a.loc["traplift", "in_plan"] and not b.loc["traplift", "in_plan"]
    assert a.loc["vervoersvoorziening", "in_plan"] and not b.loc["vervoersvoorziening", "in_plan"]
    assert a.loc["plafondlift", "in_plan"] and not a.loc["autonome_tillift", "in_plan"]
    assert b.loc["autonome_tillift", "in_plan"] and not b.loc["plafondlift", "in_plan"]
    assert not a.loc["aanbouw_woning", "in_plan"] and not a.loc["zorgunit", "in_plan"]
    assert b.loc["traplift", "probability"] == 0


def test_example_profiles_give_a_plan_and_same_seed_same_plan(protocol):
    profile = load_profile(EXAMPLES_DIR / "oud_bulbair_alleen.yaml")
    one = simulate_plan(profile, protocol, 200, seed=3)
    two = simulate_plan(profile, protocol, 200, seed=3)
    pd.testing.assert_frame_equal(one.table, two.table)
    assert one.diagnosis_date == profile.diagnosis_date
    assert one.table["in_plan"].sum() > 10
    assert one.to_json()["plan"][0]["provision_id"] == one.table.iloc[0]["provision_id"]

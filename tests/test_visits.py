"""Follow-up visits (issue 16): the visit file, the conditioning of the courses, the plan
after a visit and what changed, the proof that visits make the forecasts calibrated and
sharper, and the motor-neuron diseases beyond ALS."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from ivp.application.cli.main import app
from ivp.application.examples import EXAMPLES_DIR, load_example_profile, visit_path
from ivp.application.followup import BUDGET_COLUMNS, follow_up
from ivp.application.plan import simulate_plan
from ivp.domain.errors import InputError
from ivp.domain.profile import make_profile
from ivp.domain.units import DAYS_PER_MONTH
from ivp.domain.visit import ALSFRS_R_ITEMS, check_visits, load_visits, parse_visits
from ivp.models.disease import prognosis, simulate_cohort
from ivp.models.disease.conditioning import Observation, condition, visit_params
from ivp.models.disease.forecast_check import check_forecasts
from ivp.models.disease.params import course_params
from ivp.models.disease.survival import encals, lognormal_death
from ivp.models.process import Client, VisitedClient, load_scenario, run
from ivp.models.process.runner import KpiReducer
from tests.helpers.apptest import open_app, texts

runner = CliRunner()
PROFILE = load_example_profile("jong_beenbegin")
VISITS = load_visits([visit_path("jong_beenbegin_1"), visit_path("jong_beenbegin_2")], PROFILE.diagnosis_date)


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


# --- the visit file ----------------------------------------------------------------------


def test_the_scale_items_are_the_course_models():
    assert tuple(item.name for item in course_params().items) == ALSFRS_R_ITEMS


def test_items_by_name_or_number_and_the_total():
    visit = parse_visits({"date": "2027-03-10", "alsfrs_r": {1: 3, "walking": 2, "12": 4}}, "v.yaml")[0]
    assert visit.alsfrs_r == {"speech": 3, "walking": 2, "respiratory_insufficiency": 4}
    assert visit.total is None and visit.scored
    full = parse_visits({"date": "2027-03-10", "alsfrs_r": {i: 3 for i in range(1, 13)}}, "v.yaml")[0]
    assert full.total == 36


@pytest.mark.parametrize("record, field, code", [
    ({"date": "2027-03-10", "alsfrs_r": {"spraak": 3}}, "alsfrs_r", "unknown_item"),
    ({"date": "2027-03-10", "alsfrs_r": {"speech": 5}}, "alsfrs_r.speech", "item_score_range"),
    ({"date": "2027-03-10", "alsfrs_r": {1: 3, "speech": 2}}, "alsfrs_r", "item_twice"),
    ({"date": "2027-03-10", "alsfrs_r_total": 49}, "alsfrs_r_total", "total_score_range"),
    ({"date": "2027-03-10", "alsfrs_r": {i: 4 for i in range(1, 13)}, "alsfrs_r_total": 40}, "alsfrs_r_total",
     "total_not_item_sum"),
    ({"date": "2027-03-10", "delivered": [{"provision": "spalken", "date": "2027-04-01"}]}, "delivered",
     "delivered_after_visit"),
    ({"date": "2027-03-10", "fvc_percent": 5}, "fvc_percent", "out_of_range.fvc_percent"),
    ({"date": "2027-03-10", "weight": 70}, "weight", "unknown_key"),
])
def test_bad_visits_are_refused_naming_file_and_field(record, field, code):
    with pytest.raises(InputError) as caught:
        parse_visits(record, "bezoek.yaml")
    problem = caught.value.problems[0]
    assert (problem.source, problem.field, problem.code) == ("bezoek.yaml", field, code)


def test_visits_are_checked_together(tmp_path):
    a = tmp_path / "a.yaml"
    a.write_text("date: 2026-01-01\nalsfrs_r_total: 40\n", encoding="utf-8")
    b = tmp_path / "b.yaml"
    b.write_text("- {date: 2027-01-01, delivered: [{provision: spalken, date: 2026-12-01}]}\n"
                 "- {date: 2027-01-01, declined: [kruk]}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_visits([a, b], dt.date(2026, 9, 15), provision_ids=("spalken",))
    codes = {(p.source, p.code) for p in caught.value.problems}
    assert codes == {("a.yaml", "visit_before_diagnosis"), ("b.yaml", "visit_same_day"),
                     ("b.yaml", "unknown_provision")}


def test_visits_come_in_date_order():
    later, earlier = (parse_visits({"date": d, "alsfrs_r_total": 40}, "v")[0] for d in ("2027-06-01", "2027-01-01"))
    assert [v.date for v in check_visits([(later, "x"), (earlier, "y")])] == [earlier.date, later.date]


# --- the conditioning -------------------------------------------------------------------


@pytest.fixture(scope="module")
def pool():
    return simulate_cohort(4000, 11, PROFILE)


def test_a_course_that_died_before_the_visit_gets_no_weight(pool):
    courses = pool.courses
    month = 12.0
    weights = condition(courses, [Observation(month, np.full(12, np.nan), np.nan)]).weights
    dead = courses.death <= courses.delay + month
    assert dead.any() and np.all(weights[dead] == 0) and np.all(weights[~dead] > 0)
    assert weights.sum() == pytest.approx(1.0)


def test_a_visit_moves_the_courses_towards_what_was_seen(pool):
    courses = pool.courses
    month = 6.0
    fast = Observation(month, np.array([4, 4, 4, 3, 3, 2, 2, 1, 0, 4, 4, 4], float), np.nan)
    slow = Observation(month, np.array([4, 4, 4, 4, 4, 3, 3, 2, 1, 4, 4, 4], float), np.nan)
    totals = courses.total(courses.delay[:, None] + month)[:, 0]
    mean = {name: float(np.sum(condition(courses, [obs]).weights * totals)) for name, obs in
            (("fast", fast), ("slow", slow))}
    assert mean["fast"] < np.mean(totals) < mean["slow"]
    assert abs(mean["fast"] - 35) < 2.5 and abs(mean["slow"] - 41) < 2.5


def test_too_few_courses_widen_the_measurement_error(pool):
    courses = pool.courses
    odd = Observation(6.0, np.array([0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 4], float), np.nan)  # no course looks like this
    strict = visit_params().model_copy(update={"min_effective_courses": 300})
    result = condition(courses, [odd], strict)
    assert result.widening > 1
    assert result.effective_courses >= 300 or not result.matched


# --- the plan after visits --------------------------------------------------------------


@pytest.fixture(scope="module")
def followed():
    return follow_up(PROFILE, load_scenario("protocol"), VISITS, 200, seed=5)


def test_delivered_and_declined_provisions_are_not_requested_again(followed):
    table = followed.table.set_index("provision_id")
    for pid in ("spalken", "scootmobiel", "elektrische_rolstoel"):
        assert table.at[pid, "not_in_plan"] == "delivered" and not table.at[pid, "in_plan"]
    assert table.at["traplift", "not_in_plan"] == "declined"


def test_nothing_is_requested_before_the_last_visit():
    as_of = (VISITS[-1].date - PROFILE.diagnosis_date).days
    visited = VisitedClient(PROFILE, PROFILE.diagnosis_date, VISITS, seed=5)
    frame = run(load_scenario("protocol"), visited, 50, seed=5,
                reducer=_FrameReducer()).reset_index(drop=True)
    made = frame["melding_day"].dropna()
    assert len(made) and (made >= as_of).all()
    assert not frame["provision_id"].astype(str).isin(["spalken", "scootmobiel", "elektrische_rolstoel", "traplift"]).any()


class _FrameReducer(KpiReducer):
    def reduce(self, batch):
        return batch.frame()

    def combine(self, scenario, parts, replications):
        import pandas as pd

        return pd.concat(parts)


def test_the_earmark_reconciles(followed):
    budget = followed.followup.budget.set_index("financier")
    for financier, row in budget.iterrows():
        assert row["earmarked_before"] == pytest.approx(row["spent"] + row["still_earmarked"] + row["released"])
        assert row["earmarked_after"] == pytest.approx(row["still_earmarked"] + row["added"])
    assert budget.at["wmo", "spent"] > 0  # the powered wheelchair
    assert list(followed.followup.budget.columns) == BUDGET_COLUMNS


def test_the_plan_after_visits_is_reproducible_and_parallel_equals_sequential():
    from ivp.models.process import Executor

    scenario = load_scenario("protocol")
    visited = VisitedClient(PROFILE, PROFILE.diagnosis_date, VISITS[:1], seed=3)
    one = simulate_plan(PROFILE, scenario, 40, 3, visited=visited)
    two = simulate_plan(PROFILE, scenario, 40, 3, visited=visited, executor=Executor(jobs=2))
    assert one.table.equals(two.table)
    assert np.array_equal(one.death_days, two.death_days)


def test_a_visit_that_shows_faster_decline_brings_needs_forward():
    scenario = load_scenario("protocol")
    visit = parse_visits({"date": "2027-03-10", "alsfrs_r": dict(zip(ALSFRS_R_ITEMS, [4, 4, 4, 2, 2, 1, 1, 0, 0, 4, 4, 4]))},
                         "v")[0]
    slow = parse_visits({"date": "2027-03-10", "alsfrs_r": dict(zip(ALSFRS_R_ITEMS, [4] * 7 + [3, 3] + [4] * 3))}, "v")[0]
    fast_plan = simulate_plan(PROFILE, scenario, 200, 1, visited=VisitedClient(PROFILE, PROFILE.diagnosis_date, (visit,), 1))
    slow_plan = simulate_plan(PROFILE, scenario, 200, 1, visited=VisitedClient(PROFILE, PROFILE.diagnosis_date, (slow,), 1))
    fast_need = fast_plan.table.set_index("provision_id").at["plafondlift", "need_p50"]
    slow_need = slow_plan.table.set_index("provision_id").at["plafondlift", "need_p50"]
    assert fast_need < slow_need
    assert fast_plan.survival_months["p50"] < slow_plan.survival_months["p50"]


# --- the proof: calibrated and sharper --------------------------------------------------


def test_visits_make_the_need_forecasts_calibrated_and_sharper():
    profile = make_profile(onset_site="legs", age_at_onset=60, alsfrs_r_at_diagnosis=40, diagnostic_delay_months=12)
    rows = check_forecasts(profile, (6.0, 12.0), clients=150, pool=5000, seed=7)
    needs = rows[rows["target"].isin(["need", "need_ahead"])]
    assert len(needs) == 4 and (needs["cases"] > 300).all()
    assert needs["coverage_updated"].between(0.72, 0.92).all(), needs
    assert (needs["width_updated"] < 0.9 * needs["width_at_diagnosis"]).all(), needs
    death = rows[rows["target"] == "death"]
    assert death["coverage_updated"].between(0.7, 0.92).all(), death


# --- the command line and the app -------------------------------------------------------


def test_cli_plan_after_a_visit_shows_what_changed(tmp_path):
    result = invoke("plan", "--profile", "jong_beenbegin", "--visit", "jong_beenbegin_1", "--replications", 100,
                    "--pdf", tmp_path / "p.pdf", "--xlsx", tmp_path / "p.xlsx")
    assert result.exit_code == 0, result.output
    for text in ("Vervolgplan per 10-03-2027", "effectieve belopen", "Wat veranderde sinds het plan per 15-09-2026",
                 "Al geleverd (bij een vervolgbezoek): ", "Niet meer gewenst (bij een vervolgbezoek): Traplift",
                 "Oormerk was"):
        assert text in result.output, text
    import openpyxl

    assert {"Vervolg", "Vervolg budget"} <= set(openpyxl.load_workbook(tmp_path / "p.xlsx").sheetnames)
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")


def test_cli_plan_json_has_the_followup():
    result = invoke("plan", "--profile", "jong_beenbegin", "--visit", "jong_beenbegin_1", "--visit", "jong_beenbegin_2",
                    "--replications", 100, "--format", "json")
    assert result.exit_code == 0, result.output
    f = json.loads(result.output)["followup"]
    assert f["as_of"] == "2027-09-08" and f["previous_as_of"] == "2027-03-10" and len(f["visits"]) == 2
    assert f["effective_courses"] >= visit_params().min_effective_courses or not f["observations_matched"]
    assert {r["budget"] for r in f["changes"]} >= {"spent", "still_earmarked"}


def test_cli_refuses_a_visit_without_a_diagnosis_date(tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text("age_at_onset: 60\n", encoding="utf-8")
    result = invoke("plan", "--profile", profile, "--visit", "jong_beenbegin_1")
    assert result.exit_code != 0 and "diagnosis_date" in result.output and "Traceback" not in result.output


def test_cli_refuses_a_bad_visit_file(tmp_path):
    visit = tmp_path / "v.yaml"
    visit.write_text("date: 2027-03-10\nalsfrs_r: {walking: 7}\n", encoding="utf-8")
    result = invoke("plan", "--profile", "jong_beenbegin", "--visit", visit)
    assert result.exit_code != 0 and "v.yaml" in result.output and "alsfrs_r.walking" in result.output


def test_app_takes_the_example_visits_and_draws_both_timelines():
    at = open_app()
    at.selectbox(key="plan.example").set_value("jong_beenbegin").run()
    at.button(key="plan.visit.examples").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [tab.label for tab in at.tabs][0] == "Vervolg"
    shown = texts(at)
    assert "Plan per **08-09-2027**" in shown or "Plan per 08-09-2027" in shown
    assert "Vorig plan (per 10-03-2027)" in shown and "Nieuw plan (per 08-09-2027)" in shown
    assert any("Oormerk was" in df.value.columns for df in at.dataframe)


# --- the motor-neuron diseases ----------------------------------------------------------


def test_pls_and_pma_follow_their_published_survival():
    for code, median in (("pls", 277.0), ("pma", 56.0)):
        profile = make_profile(condition=code, onset_site="legs", age_at_onset=40, diagnostic_delay_months=1,
                               alsfrs_r_at_diagnosis=47)
        cohort = simulate_cohort(20000, 2, profile)
        from_onset = np.median(cohort.courses.death)
        assert from_onset == pytest.approx(median, rel=0.05), code
        q = prognosis(profile).quantiles[0.5] + 1  # months since diagnosis + the delay
        assert q == pytest.approx(median, rel=0.05)


def test_the_log_normal_draw_is_conditional_on_being_alive():
    import pandas as pd

    patients = pd.DataFrame({"diagnostic_delay_months": [60.0] * 5000, "age_at_onset": [50.0] * 5000})
    u = np.random.default_rng(1).random(5000)
    draw = lognormal_death(patients, u, 56.0, 0.7, encals())
    assert (draw.death >= 60.0).all() and draw.quantile.max() <= 1.0


def test_a_pls_plan_cites_its_sources_and_needs_the_pace():
    with pytest.raises(InputError) as caught:
        make_profile(condition="pls", age_at_onset=52)
    assert caught.value.problems[0].code == "condition_needs_fields"
    result = invoke("plan", "--profile", EXAMPLES_DIR / "pls_beenbegin.yaml", "--replications", 100)
    assert result.exit_code == 0, result.output
    assert "Aandoening: Primaire laterale sclerose" in result.output


def test_a_condition_without_data_is_planned_only_from_visits(tmp_path):
    profile = tmp_path / "hsp.yaml"
    profile.write_text("condition: hsp\nage_at_onset: 40\nonset_site: legs\ndiagnostic_delay_months: 60\n"
                       "alsfrs_r_at_diagnosis: 40\ndiagnosis_date: 2025-01-10\n", encoding="utf-8")
    refused = invoke("plan", "--profile", profile)
    assert refused.exit_code != 0 and "no usable published data" in refused.output and "--visit" in refused.output
    visits = tmp_path / "v.yaml"
    visits.write_text("- {date: 2025-07-10, alsfrs_r_total: 39}\n- {date: 2026-01-12, alsfrs_r_total: 37}\n",
                      encoding="utf-8")
    planned = invoke("plan", "--profile", profile, "--visit", visits, "--replications", 100)
    assert planned.exit_code == 0, planned.output
    assert "geen vergelijking" in planned.output


def test_client_without_visits_is_the_plan_at_diagnosis():
    scenario = load_scenario("protocol")
    plan = simulate_plan(PROFILE, scenario, 30, 2)
    assert plan.followup is None
    frame = run(scenario, Client(PROFILE, PROFILE.diagnosis_date), 30, seed=2, reducer=_FrameReducer())
    assert frame["melding_day"].min() < (VISITS[0].date - PROFILE.diagnosis_date).days


def test_app_form_adds_a_visit_and_refuses_a_bad_one():
    at = open_app()
    at.selectbox(key="plan.example").set_value("jong_beenbegin").run()
    at.date_input(key="plan.visit.f.date").set_value(dt.date(2027, 3, 10))
    at.number_input(key="plan.visit.f.total").set_value(36)
    at.multiselect(key="plan.visit.f.delivered").set_value(["spalken"])
    at.date_input(key="plan.visit.f.delivered_on").set_value(dt.date(2027, 4, 1))  # after the visit: refused
    next(b for b in at.button if b.label == "Bezoek toevoegen").click().run()
    assert not at.exception
    assert any("formulier" in e.value for e in at.error) and "Vervolgbezoeken (0)" in [x.label for x in at.expander]
    at.date_input(key="plan.visit.f.delivered_on").set_value(dt.date(2027, 1, 5))
    next(b for b in at.button if b.label == "Bezoek toevoegen").click().run()
    assert not at.exception and not at.error
    assert "Vervolgbezoeken (1)" in [x.label for x in at.expander]
    assert [tab.label for tab in at.tabs][0] == "Vervolg"
    at.button(key="plan.visit.clear").click().run()
    assert "Vervolgbezoeken (0)" in [x.label for x in at.expander]


# --- found in review ---------------------------------------------------------------------


def test_an_impossible_date_is_refused_not_a_traceback(tmp_path):
    visit = tmp_path / "v.yaml"
    visit.write_text("date: 2027-02-30\nalsfrs_r_total: 30\n", encoding="utf-8")
    result = invoke("plan", "--profile", "jong_beenbegin", "--visit", visit)
    assert result.exit_code == 2 and "v.yaml" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("record, field, code", [
    ({"date": "2027-03-10", "alsfrs_r": {1: 4, 2: 4, 3: 4, 4: 4}, "alsfrs_r_total": 10}, "alsfrs_r_total",
     "total_not_within_items"),
    ({"date": "2027-03-10", "alsfrs_r": {"speech": True}}, "alsfrs_r.speech", "item_score_range"),
])
def test_more_bad_visits(record, field, code):
    with pytest.raises(InputError) as caught:
        parse_visits(record, "v.yaml")
    assert (caught.value.problems[0].field, caught.value.problems[0].code) == (field, code)


def test_a_bad_entry_of_a_list_names_its_item():
    with pytest.raises(InputError) as caught:
        parse_visits([{"date": "2027-03-10"}, {"date": "2027-09-10", "alsfrs_r": {"speech": 7}}], "v.yaml")
    assert caught.value.problems[0].field == "[2].alsfrs_r.speech"


def test_a_device_from_before_the_diagnosis_counts_as_delivered():
    visit = parse_visits({"date": "2027-03-10", "delivered": [{"provision": "spalken", "date": "2026-01-05"}]}, "v")
    assert check_visits([(visit[0], "v")], PROFILE.diagnosis_date)[0].delivered[0].provision == "spalken"


def test_a_visit_after_every_course_is_refused():
    late = parse_visits({"date": "2100-06-01", "alsfrs_r_total": 20}, "v")[0]  # past the maximum age of 105
    with pytest.raises(InputError) as caught:
        VisitedClient(PROFILE, PROFILE.diagnosis_date, (late,), 1, pool_courses=500)
    assert caught.value.problems[0].code == "visit_after_every_course"


def test_being_alive_alone_needs_no_widening():
    only_deliveries = parse_visits({"date": "2031-09-15", "delivered": [{"provision": "spalken", "date": "2027-01-05"}]},
                                   "v")[0]
    visited = VisitedClient(PROFILE, PROFILE.diagnosis_date, (only_deliveries,), 1, pool_courses=2000)
    assert visited.conditioned.widening == 1.0 and visited.conditioned.matched
    alive = visited.conditioned.weights > 0
    assert visited.conditioned.effective_courses == pytest.approx(alive.sum())


def test_a_later_visit_has_the_last_word():
    first = parse_visits({"date": "2027-03-10", "declined": ["traplift"]}, "v")[0]
    second = parse_visits({"date": "2027-09-10", "delivered": [{"provision": "traplift", "date": "2027-08-01"}]}, "v")[0]
    plan = simulate_plan(PROFILE, load_scenario("protocol"), 30, 1,
                         visited=VisitedClient(PROFILE, PROFILE.diagnosis_date, (first, second), 1, pool_courses=2000))
    assert plan.table.set_index("provision_id").at["traplift", "not_in_plan"] == "delivered"


def test_a_need_cut_short_by_an_undelivered_successor_stays(followed):
    changes = followed.followup.changes.set_index("provision_id")
    assert changes.at["passieve_tillift", "status_after"] == "in_plan"
    assert changes.at["passieve_tillift", "probability_after"] > 0.5


def test_survival_after_visits_is_the_weighted_pools():
    visited = VisitedClient(PROFILE, PROFILE.diagnosis_date, VISITS[:1], 4, pool_courses=3000)
    plan = simulate_plan(PROFILE, load_scenario("protocol"), 20, 4, visited=visited)
    assert plan.survival_months == visited.survival_months()
    assert plan.survival_months["p10"] < plan.survival_months["p50"] < plan.survival_months["p90"]


def test_a_condition_planned_from_visits_looks_only_its_horizon_ahead():
    profile = make_profile(condition="hsp", age_at_onset=40, onset_site="legs", diagnostic_delay_months=60,
                           alsfrs_r_at_diagnosis=40, diagnosis_date=dt.date(2025, 1, 10))
    visits = tuple(parse_visits([{"date": "2025-07-10", "alsfrs_r_total": 39}, {"date": "2026-01-12",
                                                                                 "alsfrs_r_total": 37}], "v"))
    visited = VisitedClient(profile, profile.diagnosis_date, visits, 2, pool_courses=2000)
    last = (visits[-1].date - profile.diagnosis_date).days / DAYS_PER_MONTH
    starts = visited.windows.need_start[np.isfinite(visited.windows.need_start)]
    assert visited.horizon_months == 24 and starts.max() < last + 24 + 1e-9

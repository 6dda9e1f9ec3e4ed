"""The IVP opstellen page: opens on the example client with results, reacts to the profile,
accepts 'onbekend', refuses bad combinations in the page, answers from memory."""

from __future__ import annotations

import datetime as dt

import pytest

from ivp.models.process.scenario import SHIPPED_DIR
from tests.helpers.apptest import click, metrics, open_app, texts

PREFIX = "plan.f."


@pytest.fixture()
def at():
    at = open_app()  # the plan page is the start page
    assert not at.exception, [e.value for e in at.exception]
    return at


def plan_table(at):
    return next(df.value for df in at.dataframe if "Aanvragen uiterlijk" in df.value.columns)


def submit(at):
    return click(at, "Bereken het IVP")


def test_opens_on_the_example_client_with_results(at):
    assert at.title[0].value == "IVP opstellen"
    assert not at.error
    shown = texts(at)
    assert "Voorbeeldcliënt" in shown
    m = metrics(at)
    assert m["Overleving (mediaan)"].endswith("mnd")
    assert int(m["Voorzieningen in het plan"]) > 0
    assert m["Oormerk Wmo"].startswith("€ ")
    assert len(at.get("plotly_chart")) >= 3  # timeline, budget over time, survival
    table = plan_table(at)
    assert {"Kans nodig", "Nodig vanaf (P10 / mediaan / P90)", "Doorlooptijd (P80)"} <= set(table.columns)
    dates = [d for d in table["Aanvragen uiterlijk"] if d != "nu"]
    assert dates and all(len(d) == 10 and d[2] == "-" and d[5] == "-" for d in dates)  # dd-mm-jjjj
    budget = next(df.value for df in at.dataframe if "Oormerk (plan)" in df.value.columns)
    assert "ca. € 150.000" in set(budget["Protocol"])
    labels = {b.label for b in at.get("download_button")}
    assert {"Download het plan (PDF)", "Download het plan (Excel)"} <= labels


def test_changing_the_profile_changes_the_plan(at):
    assert "vervoersvoorziening" not in set(plan_table(at)["id"])
    at.selectbox(key=PREFIX + "has_van").set_value(True)
    submit(at)
    assert not at.error
    assert "vervoersvoorziening" in set(plan_table(at)["id"])
    assert "Voorbeeldcliënt" not in texts(at)


def test_everything_unknown_is_allowed(at):
    for name in ("age_at_onset", "diagnostic_delay_months", "alsfrs_r_at_diagnosis", "dfs", "fvc_percent"):
        at.number_input(key=PREFIX + name).set_value(None)
    for box in at.selectbox:
        if box.key and box.key.startswith(PREFIX) and box.key not in (PREFIX + "scenario", PREFIX + "condition"):
            box.set_value("unknown")  # the option "onbekend"
    submit(at)
    assert not at.exception and not at.error
    assert "Niet alle voorspellers" in texts(at)
    assert int(metrics(at)["Voorzieningen in het plan"]) > 0


def test_inconsistent_profile_is_refused_beside_its_field_and_no_stale_plan(at):
    """ALSFRS-R 20 with ΔFS 0,5 and 10 months (48 - 0,5 x 10 = 43): refused in Dutch words,
    under the field, and no plan on screen (the previous one belongs to another profile);
    emptying ΔFS (computed from the other two) gives a plan again."""
    at.number_input(key=PREFIX + "dfs").set_value(0.5)
    at.number_input(key=PREFIX + "alsfrs_r_at_diagnosis").set_value(20.0)
    submit(at)
    assert not at.exception
    assert at.error and "ALSFRS-R bij diagnose (20)" in at.error[0].value and "alsfrs_r" not in at.error[0].value
    assert any("niet gebruikt" in w.value for w in at.warning)
    assert not at.metric and not at.get("plotly_chart")
    at.number_input(key=PREFIX + "dfs").set_value(None)
    submit(at)
    assert not at.error and at.metric
    assert "ΔFS berekend uit ALSFRS-R en vertraging: 2,80" in texts(at)


def test_loading_an_example_shows_its_values_in_every_field(at):
    """The choices and the date show the loaded profile, not the previous one (a widget's
    own default is ignored by the browser once it exists: every field takes its value from
    the session)."""
    at.selectbox(key="plan.example").set_value("jong_beenbegin").run()
    assert at.selectbox(key=PREFIX + "children_at_home").value is True
    assert at.selectbox(key=PREFIX + "c9orf72").value == "unknown"
    assert at.date_input(key=PREFIX + "diagnosis_date").value == dt.date(2026, 9, 15)
    at.selectbox(key="plan.example").set_value("pls_beenbegin").run()
    assert at.selectbox(key=PREFIX + "condition").value == "pls"
    assert at.selectbox(key=PREFIX + "children_at_home").value is False


def test_a_number_field_can_be_emptied_to_unknown(at):
    """Streamlit lets a number field be cleared only when it starts empty: every profile
    number starts empty and takes its value from the session, so clearing works."""
    for name in ("age_at_onset", "fvc_percent"):
        field = at.number_input(key=PREFIX + name)
        assert field.value is not None and not field.proto.HasField("default")  # no default: clearable
        field.set_value(None)
    submit(at)
    assert not at.error
    assert at.number_input(key=PREFIX + "fvc_percent").value is None


def test_route_choice_changes_the_plan(at):
    at.selectbox(key=PREFIX + "scenario").set_value("current_practice")
    submit(at)
    assert not at.error
    assert "Huidige praktijk" in texts(at)


def test_english(at):
    at.segmented_control(key="lang").set_value("en").run()
    assert at.title[0].value == "Draw up an IVP"
    assert "Request by" in plan_table_en(at).columns


def plan_table_en(at):
    return next(df.value for df in at.dataframe if "Request by" in df.value.columns)


def test_interactions_answer_from_memory_with_1000_replications(monkeypatch):
    from ivp.application.web import runs

    calls = []
    real = runs.simulate_plan
    monkeypatch.setattr(runs, "simulate_plan", lambda *a, **k: calls.append(1) or real(*a, **k))
    runs.store().clear()
    at = open_app(replications=1000)
    assert "1.000 gesimuleerde belopen" in texts(at) and len(calls) == 1
    at.toggle(key="plan.only_in_plan").set_value(False).run()  # an interaction after the first run
    assert len(calls) == 1  # answered from memory, nothing simulated again
    assert len(plan_table(at)) == 35


def test_the_page_runs_the_same_plan_as_the_library():
    import datetime as dt

    from ivp.application.plan import simulate_plan
    from ivp.application.web import runs
    from ivp.domain.catalog import load_catalog
    from ivp.domain.profile import make_profile
    from ivp.models.process import load_scenario

    catalog = load_catalog()
    scenario = load_scenario(SHIPPED_DIR / "protocol.yaml", catalog=catalog)
    profile = make_profile(age_at_onset=60, onset_site="bulbar", diagnosis_date=dt.date(2026, 3, 2))
    ours = runs.run_plan(profile, scenario, catalog, 40, 7).plan.table
    theirs = simulate_plan(profile, scenario, 40, 7, catalog=catalog).table
    assert ours.equals(theirs)


def test_an_example_profile_can_be_loaded(at):
    before = set(plan_table(at)["id"])
    at.selectbox(key="plan.example").set_value("oud_bulbair_alleen").run()
    assert not at.exception and not at.error
    assert at.number_input(key=PREFIX + "age_at_onset").value is not None
    assert at.selectbox(key=PREFIX + "onset_site").value == "bulbar"
    assert set(plan_table(at)["id"]) != before  # no stairlift in a flat with a lift, for instance

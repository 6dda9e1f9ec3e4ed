"""The Register page (AppTest): a new register is made only on a confirmed click; a melding
is recorded only when confirmed; the clients, the report and the English switch."""

from __future__ import annotations

import datetime as dt

import pytest

from ivp.application.register.database import connect
from ivp.application.register.recording import Register
from ivp.application.register.report import build_report
from ivp.domain.profile import ClientProfile
from tests.helpers.apptest import open_app, texts


def tick_and_press(at, button):
    at.checkbox[-1].check()
    next(b for b in at.button if b.label == button).click()
    return at.run()


@pytest.fixture()
def url(tmp_path, monkeypatch):
    path = tmp_path / "register.sqlite"
    monkeypatch.setenv("IVP_REGISTER", str(path))
    return path


def test_a_new_register_is_made_only_when_confirmed(url):
    at = open_app("register")
    assert not at.exception
    assert "is nog geen register" in texts(at) and not url.exists()
    at = next(b for b in at.button if b.label == "Register aanmaken of bijwerken").click().run()
    assert "Vink eerst de bevestiging aan" in texts(at) and not url.exists()
    at = tick_and_press(at, "Register aanmaken of bijwerken")
    assert not at.exception and url.exists()
    assert "0 cliënten" in texts(at)


@pytest.fixture()
def filled(url):
    database = connect(str(url), create=True)
    database.migrate()
    register = Register(database, user="test")
    register.add_client("APP-1", ClientProfile(diagnosis_date=dt.date(2025, 2, 3), age_at_onset=60))
    register.issue_ivp("APP-1", [{"provision_id": "traplift", "in_plan": True, "cost_eur": 6500.0}],
                       issued_on=dt.date(2025, 2, 10), scenario="Protocol (IVP)", replications=10, seed=1,
                       price_year=2025)
    yield database
    database.dispose()


def test_the_clients_and_the_report_are_shown(filled):
    at = open_app("register")
    assert not at.exception
    clients = at.dataframe[0].value
    assert list(clients["Dossier"]) == ["APP-1"] and clients.iloc[0]["Geoormerkt"] == "€ 6.500"
    assert "Rapportage als Excel" in [b.label for b in at.get("download_button")]
    english = open_app("register", lang="en")
    assert english.dataframe[0].value.iloc[0]["Earmarked"] == "€6,500"
    assert "IVP register" in texts(english)


def test_a_melding_is_recorded_only_when_confirmed(filled):
    at = open_app("register")
    at.radio[0].set_value("melding").run()
    next(b for b in at.button if b.label == "Vastleggen").click()
    at.run()
    assert build_report(filled).meldingen.empty
    at = tick_and_press(at, "Vastleggen")
    assert not at.exception
    assert "Melding 1 vastgelegd." in texts(at)
    meldingen = build_report(filled).meldingen
    assert list(meldingen["dossier"]) == ["APP-1"] and meldingen.iloc[0]["route"] == "protocol"


def record(at, kind, fill):
    at.radio[0].set_value(kind).run()
    fill(at)
    return tick_and_press(at, "Vastleggen")


def test_a_melding_is_followed_to_its_delivery_in_the_forms(filled):
    at = record(open_app("register"), "melding", lambda at: None)
    for step in ("confirmed", "advised"):
        at = record(at, "step", lambda at, step=step: at.selectbox(key="register.step.choice").set_value(step))
        assert "Vastgelegd." in texts(at), texts(at)
    at = record(at, "decision", lambda at: None)
    assert "Vastgelegd." in texts(at)
    at = record(at, "delivery", lambda at: (at.number_input(key="register.delivery.cost").set_value(6200.0),
                                            at.number_input(key="register.delivery.melding").set_value(1)))
    assert not at.exception and "Levering 1 vastgelegd." in texts(at)
    melding = build_report(filled).meldingen.iloc[0]
    assert melding["state"] == "delivered" and melding["confirmed_on"] == dt.date.today()
    at = record(at, "return", lambda at: None)
    assert "Vastgelegd." in texts(at)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    at = record(at, "status", lambda at: (at.radio(key="register.status.choice").set_value("deceased"),
                                          at.date_input[0].set_value(yesterday)))
    # the form's first provision was delivered, not the stairlift: the death releases its earmark
    assert "Vastgelegd; oormerken vrijgevallen: 1." in texts(at)
    assert build_report(filled).clients.iloc[0]["status"] == "deceased"
    at = record(at, "melding", lambda at: None)
    assert "Het formulier is niet gebruikt" in texts(at)
    problems = next(df.value for df in at.dataframe if "Probleem" in df.value.columns)
    assert list(problems["Veld"]) == ["Datum"]
    assert list(problems["Probleem"]) == [f"cliënt APP-1 is overleden op {yesterday.isoformat()}"]


def test_a_refused_form_names_the_problem_and_the_report_reads_in_english(filled):
    at = record(open_app("register"), "return", lambda at: at.number_input(key="register.return.delivery").set_value(7))
    problems = next(df.value for df in at.dataframe if "Probleem" in df.value.columns)
    assert list(problems["Probleem"]) == ["levering 7 bestaat niet"] and list(problems["Veld"]) == ["Levering"]
    english = open_app("register", lang="en")
    norms = next(df.value for df in english.dataframe if "Norm" in df.value.columns and "Limit" in df.value.columns)
    assert len(norms) == 9 and "Melding confirmed to the client" in list(norms["Norm"])


def test_an_ivp_is_planned_and_issued_from_the_form(filled):
    at = record(open_app("register"), "ivp", lambda at: None)
    assert not at.exception and "IVP versie 2 vastgesteld." in texts(at)
    clients = build_report(filled).clients
    assert clients.iloc[0]["ivp_version"] == 2 and clients.iloc[0]["earmarked_eur"] > 50_000

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

"""The app shell: navigation, language switch, sources in the sidebar, texts, no tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.apptest import PAGES, open_app, texts

ROOT = Path(__file__).resolve().parents[1]


def test_opens_in_dutch_on_the_plan_page():
    at = open_app()
    assert not at.exception
    assert at.session_state["lang"] == "nl"
    assert at.title[0].value == "IVP opstellen"


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_renders_without_traceback(page, lang):
    at = open_app(page, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "every page has a title"
    shown = texts(at)
    assert "Traceback" not in shown
    assert "kon niet worden berekend" not in shown and "could not be computed" not in shown, shown


def test_sources_and_assumptions_in_the_sidebar_of_every_page():
    at = open_app()
    for page in PAGES.values():
        at.switch_page(page).run()
        sidebar = [e.label for e in at.sidebar.expander]
        assert "Bronnen en aannames" in sidebar
        assert "ALS protocol hulpmiddelen" in " ".join(m.value for m in at.sidebar.markdown)


def test_language_switch_changes_the_page():
    at = open_app("about")
    at.segmented_control(key="lang").set_value("en").run()
    assert at.title[0].value == "About IVP Planner"
    assert "Sources and assumptions" in [e.label for e in at.sidebar.expander]


def test_settings_hook_reads_the_environment(monkeypatch):
    from ivp.application.web import state

    monkeypatch.setenv("IVP_APP_REPLICATIONS", "12")
    assert state.settings().replications == 12
    monkeypatch.setenv("IVP_APP_REPLICATIONS", "niet-een-getal")
    assert state.settings().replications == 1000


def test_streamlit_config_keeps_data_local():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "localhost"
    assert config["server"]["maxUploadSize"] <= 5
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] == "none"

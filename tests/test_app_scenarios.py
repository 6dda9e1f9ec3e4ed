"""The Scenario's page: view, edit, download and upload a scenario, validated safely."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivp.application.web import runs, state
from ivp.models.process.scenario import SHIPPED_DIR
from tests.helpers.apptest import open_app, texts


@pytest.fixture()
def at():
    at = open_app("scenarios")
    assert not at.exception, [e.value for e in at.exception]
    return at


def state_custom(at):
    return at.session_state[state.CUSTOM_SCENARIOS_KEY]


def steps(at):
    return next(df.value for df in at.dataframe if "Stap" in df.value.columns)


def validate(at, text: str):
    at.text_area(key="scenarios.editor.protocol").set_value(text)
    next(b for b in at.button if b.label == "Controleer en gebruik").click()
    return at.run()


def test_shows_the_steps_of_the_protocol(at):
    table = steps(at).set_index("Stap")
    assert "Wmo" in table.columns and "Zvw" in table.columns
    assert "catalogus" in table.loc["Advies / onderzoek", "Wmo"]
    assert not at.warning  # the shipped scenarios document every block
    assert any(b.label == "Download dit scenario (YAML)" for b in at.get("download_button"))


def test_choosing_another_scenario_changes_the_view(at):
    at.selectbox(key="scenarios.choice").set_value("current_practice").run()
    table = steps(at).set_index("Stap")
    assert "Van behoefte tot melding" in table.index
    assert "meestal" in table.loc["Advies / onderzoek", "Wmo"]


def test_an_edited_scenario_is_validated_and_offered_on_other_pages(at):
    text = (SHIPPED_DIR / "protocol.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Protocol (IVP)", "name: Protocol met snellere passing", 1)
    validate(at, text)
    assert not at.error
    assert any("Protocol met snellere passing" in s.value for s in at.success)
    at.switch_page("ivp/application/web/pages/compare.py").run()
    options = at.selectbox(key="compare.f.second").options
    assert "Protocol met snellere passing (eigen)" in options


def test_unknown_key_is_refused_with_its_path(at):
    text = (SHIPPED_DIR / "protocol.yaml").read_text(encoding="utf-8")
    text = text.replace("melding:\n  at: trigger", "melding:\n  at: trigger\n  wanneer: morgen", 1)
    validate(at, text)
    assert not at.exception
    assert at.error
    problems = next(df.value for df in at.dataframe if "Probleem" in df.value.columns)
    assert "melding.wanneer" in set(problems["Veld"])
    assert "onbekende sleutel" in " ".join(problems["Probleem"])


@pytest.mark.parametrize(
    "text,expected",
    [
        ("name: [unclosed", "geen geldige YAML"),
        ("- just\n- a list\n", "sleutel: waarde"),
        ("!!python/object/apply:os.system ['echo pwned > /tmp/ivp_pwned']\n", "geen geldige YAML"),
    ],
)
def test_bad_yaml_is_a_message_and_never_runs_code(at, text, expected):
    validate(at, text)
    assert not at.exception
    shown = texts(at) + " ".join(" ".join(df.value.astype(str).agg(" ".join, axis=1)) for df in at.dataframe)
    assert expected in shown
    assert not Path("/tmp/ivp_pwned").exists()


def test_uploaded_scenario(at):
    text = (SHIPPED_DIR / "pgb.yaml").read_text(encoding="utf-8").replace("name: ", "name: Eigen ", 1)
    at.file_uploader[0].set_value(("eigen.yaml", text.encode("utf-8"), "application/x-yaml")).run()
    assert not at.exception and not at.error
    assert any("is gecontroleerd" in s.value for s in at.success)


def test_uploaded_non_text_is_a_message(at):
    at.file_uploader[0].set_value(("kapot.yaml", b"\xff\xfe\x00bad", "application/x-yaml")).run()
    assert not at.exception
    assert any("UTF-8" in e.value for e in at.error)


def test_a_scenarios_own_texts_are_shown_literally_never_as_markdown(at):
    """A shared scenario file cannot make the page fetch an image or show a link: its name and
    description are escaped wherever they appear in Markdown."""
    text = (SHIPPED_DIR / "protocol.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Protocol (IVP)", "name: 'Spoed ![x](http://example.com/t.png)'", 1)
    text = text.replace("description: >-", "description: >-\n  [klik](http://example.com) **vet**", 1)
    validate(at, text)
    assert not at.error
    (_, accepted), = state_custom(at)
    at.run()  # the choice list is drawn above the editor: the next run offers the new scenario
    at.selectbox(key="scenarios.choice").set_value(f"eigen:{runs.digest(accepted)}").run()
    assert any("Spoed" in h.value for h in at.subheader)
    assert any("klik" in m.value for m in at.markdown)
    shown = [s.value for s in at.success] + [m.value for m in at.markdown] + [h.value for h in at.subheader]
    assert any("Spoed" in v for v in shown)
    for value in shown:
        assert "![x](" not in value and "](http" not in value and "**vet**" not in value

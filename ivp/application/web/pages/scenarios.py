"""Scenario's: view a route's steps with their sources, edit and download its YAML, upload
your own; every scenario is validated with the simulation's own loader (safe YAML only)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ivp.application.web import cache, runs, state, ui
from ivp.application.web.i18n import t, word
from ivp.domain.errors import InputError
from ivp.models.process import undocumented_blocks

CHOICE_KEY = "scenarios.choice"
MAX_YAML_CHARS = 200_000
KINDS = ("no_lead_time", "lead_time", "single_adaptation", "multiple_adaptation")


def _num(value) -> str:
    return ui.number(value, 0 if float(value).is_integer() else 1)


def describe(duration: dict) -> str:
    """A duration (as the scenario file writes it) in words, in werkdagen."""
    dist = duration.get("dist")
    if dist == "fixed":
        value = duration["werkdagen"]
        return t("scenarios.dist.never") if value == float("inf") else ui.werkdagen(value, 0 if float(value).is_integer() else 1)
    if dist == "uniform":
        return t("scenarios.dist.uniform", low=_num(duration["low"]), high=_num(duration["high"]))
    if dist == "triangular":
        return t("scenarios.dist.triangular", low=_num(duration["low"]), mode=_num(duration["mode"]),
                 high=_num(duration["high"]))
    if dist == "lognormal":
        key = "scenarios.dist.lognormal_max" if duration.get("max") else "scenarios.dist.lognormal"
        return t(key, median=_num(duration["median"]), p90=_num(duration["p90"]),
                 max=_num(duration["max"]) if duration.get("max") else "")
    if dist == "sla":
        return t("scenarios.dist.sla", part=t(f"scenarios.part.{duration['part']}"))
    if dist == "mixture":
        return "; ".join(f"{ui.percent(c['weight'])}: {describe(c['duration'])}" for c in duration["components"])
    return str(duration)


def _steps(scenario) -> pd.DataFrame:
    data = scenario.model_dump(mode="json")
    step, wmo, zvw = t("scenarios.col.step"), "Wmo", "Zvw"
    melding = data["melding"]
    rows = [{step: t("scenarios.step.melding"), wmo: t(f"scenarios.melding.{melding['at']}"), zvw: ""}]
    if melding["at"] == "need_start":
        rows.append({step: t("scenarios.step.noticing"), wmo: describe(melding["noticing_delay"]), zvw: ""})
    routes = data["routes"]
    rows.append({step: t("scenarios.step.mode"), **{name: t(f"scenarios.mode.{routes[key]['mode']}")
                                                   for name, key in ((wmo, "wmo"), (zvw, "zvw"))}})
    for part in ("advice", "decision", "fitting"):
        rows.append({step: t(f"scenarios.step.{part}"),
                     **{name: describe(routes[key][part]) for name, key in ((wmo, "wmo"), (zvw, "zvw"))}})
    for kind in KINDS:
        rows.append({step: t("scenarios.step.delivery", kind=word("delivery", kind)),
                     **{name: describe(routes[key]["delivery"][kind]) for name, key in ((wmo, "wmo"), (zvw, "zvw"))}})
    rows.append({step: t("scenarios.step.death"), wmo: describe(data["death"]["notice"]), zvw: ""})
    rows.append({step: t("scenarios.step.depot"),
                 wmo: t("scenarios.depot.on" if data["depot"]["enabled"] else "scenarios.depot.off"), zvw: ""})
    return pd.DataFrame(rows)


def _grounds(node, path: str = "") -> list[tuple[str, str, str]]:
    """(key path, 'bron'/'aanname', text) for every documented block of a scenario."""
    found = []
    if isinstance(node, dict):
        for kind in ("source", "assumption"):
            if node.get(kind):
                found.append((path or "(scenario)", kind, " ".join(str(node[kind]).split())))
        for key, value in node.items():
            if key not in ("source", "assumption"):
                found += _grounds(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, (list, tuple)):
        for index, value in enumerate(node):
            found += _grounds(value, f"{path}[{index}]")
    return found


def _show(scenario, choice: runs.ScenarioChoice) -> None:

    st.subheader(scenario.name)
    if scenario.description:
        st.markdown(" ".join(scenario.description.split()))
    st.caption(f"{t('scenarios.policy')}: {t(f'scenarios.policy.{scenario.policy}')}")
    st.markdown(f"**{t('scenarios.steps')}**")
    table = _steps(scenario)
    st.dataframe(table, hide_index=True, width="stretch", height=38 + 35 * len(table))
    missing = undocumented_blocks(scenario)
    if missing:
        st.warning(t("scenarios.undocumented", blocks=", ".join(missing)))
    with st.expander(t("scenarios.grounds"), icon=":material/menu_book:"):
        rows = _grounds(scenario.model_dump(mode="json"))
        st.dataframe(pd.DataFrame({
            t("common.field"): [r[0] for r in rows],
            "": [t(f"scenarios.grounds.{r[1]}") for r in rows],
            t("catalog.col.source"): [r[2] for r in rows],
        }), hide_index=True, width="stretch")


def _accept(text: str, source: str, catalog) -> None:
    """Validate a scenario text and, when it passes, offer it on every page of the session."""
    if len(text) > MAX_YAML_CHARS:
        raise InputError.single(source, "", "file_too_large", size=len(text), limit=MAX_YAML_CHARS)
    scenario = runs.parse_scenario_text(text, source, catalog)
    state.add_custom_scenario(scenario.name, text)
    st.success(t("scenarios.accepted", name=scenario.name), icon=":material/check_circle:")


def render() -> None:
    st.title(t("scenarios.title"))
    st.markdown(t("scenarios.intro"))
    catalog = cache.effective_catalog()
    choices = runs.available_scenarios()
    keys = [c.key for c in choices]
    by_key = {c.key: c for c in choices}
    if st.session_state.get(CHOICE_KEY) not in keys:
        st.session_state.pop(CHOICE_KEY, None)
    chosen = st.selectbox(t("scenarios.choose"), keys, format_func=lambda k: by_key[k].name, key=CHOICE_KEY)
    choice = by_key[chosen]
    with ui.guard(t("scenarios.title"), source=f"{choice.key}.yaml"):
        _show(runs.parse_scenario_text(choice.text, f"{choice.key}.yaml", catalog), choice)

    st.subheader(t("scenarios.edit"))
    st.caption(t("scenarios.edit.help"))
    text = st.text_area(t("scenarios.editor"), value=choice.text, height=420, max_chars=MAX_YAML_CHARS,
                        key=f"scenarios.editor.{choice.key}")
    c1, c2 = st.columns(2)
    check = c1.button(t("scenarios.validate"), type="primary", icon=":material/fact_check:")
    c2.download_button(t("scenarios.download"), data=text.encode("utf-8"),
                       file_name=f"{choice.key if choice.origin == 'file' else 'scenario'}.yaml",
                       mime="application/x-yaml", icon=":material/download:", on_click="ignore")
    if check:
        with ui.guard(t("scenarios.validate"), source=t("scenarios.editor")):
            _accept(text, "scenario.yaml", catalog)

    upload = st.file_uploader(t("scenarios.upload"), type=["yaml", "yml"], key="scenarios.upload")
    data = ui.upload_bytes(upload)
    if data is not None:
        try:
            uploaded = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            st.error(t("scenarios.not_text", name=upload.name), icon="⚠️")
        else:
            with ui.guard(t("scenarios.upload"), source=upload.name):
                _accept(uploaded, upload.name, catalog)
    ui.sources_section("scenarios.sources")


render()

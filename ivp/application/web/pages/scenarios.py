"""Scenario's: view a route's steps with their sources, edit and download its YAML, upload
your own; every scenario is validated with the simulation's own loader (safe YAML only)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ivp.application.web import cache, runs, state, ui
from ivp.application.web.i18n import lang, t, word
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
    if dist == "sla_spread":
        return t("scenarios.dist.sla_spread", part=t(f"scenarios.part.{duration['part']}"),
                 low=ui.percent(duration["low"]), mode=ui.percent(duration["mode"]),
                 breach=ui.percent(duration["breach_share"]), median=_num(duration["breach_median"]),
                 p90=_num(duration["breach_p90"]))
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
    both = ((wmo, "wmo"), (zvw, "zvw"))

    def per_route(label, describe_route):
        rows.append({step: label, **{name: describe_route(routes[key]) for name, key in both}})

    per_route(t("scenarios.step.pgb"), _pgb)
    per_route(t("scenarios.step.contributions"), _contributions)
    for part in ("advice", "decision", "fitting"):
        per_route(t(f"scenarios.step.{part}"), lambda r, part=part: describe(r[part]) if r.get(part) else "–")
    for kind in KINDS:
        per_route(t("scenarios.step.delivery", kind=word("delivery", kind)),
                  lambda r, kind=kind: describe(r["delivery"][kind]) if r.get("delivery") else "–")
    per_route(t("scenarios.step.confirmation"), lambda r: describe(r["confirmation"]) if r.get("confirmation") else "–")
    per_route(t("scenarios.step.fast_track"), _fast_track)
    bridging = data.get("bridging")
    rows.append({step: t("scenarios.step.bridging"), wmo: _bridging(bridging) if bridging else "–", zvw: ""})
    rows.append({step: t("scenarios.step.death"), wmo: describe(data["death"]["notice"]), zvw: ""})
    rows.append({step: t("scenarios.step.depot"),
                 wmo: t("scenarios.depot.on" if data["depot"]["enabled"] else "scenarios.depot.off"), zvw: ""})
    return pd.DataFrame(rows)


def _when(block: dict) -> str:
    return t("scenarios.pgb.before" if block.get("before_decision") else "scenarios.pgb.after")


def _pgb(route: dict) -> str:
    p = route.get("pgb")
    if not p:
        return t("scenarios.pgb.none")
    return t("scenarios.pgb.share", share=ui.percent(p["informed"] * p["share"]), informed=ui.percent(p["informed"]),
             chosen=ui.percent(p["share"]), when=_when(p))


def _contributions(route: dict) -> str:
    c = route.get("contributions")
    if not c:
        return "–"
    return t("scenarios.contributions", ids=", ".join(c["provisions"]), share=ui.percent(c["amount_share"]),
             when=_when(c))


def _fast_track(route: dict) -> str:
    f = (route.get("municipalities") or {}).get("fast_track")
    if not f:
        return "–"
    return t("scenarios.fast_track", share=ui.percent(f["share"]), ids=", ".join(f["provisions"]),
             within=_num(f["within"]), advice=describe(f["advice"]))


def _bridging(b: dict) -> str:
    return t("scenarios.bridging", ids=", ".join(b["provisions"]), share=ui.percent(b["share"]),
             wait=_num(b["wait_over"]), delay=describe(b["delay"]), rent=ui.percent(b["rent_monthly_share"]))


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

    st.subheader(ui.plain(scenario.title(lang())))
    if scenario.summary(lang()):
        st.markdown(ui.plain(scenario.summary(lang())))
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
    st.success(t("scenarios.accepted", name=ui.plain(scenario.name)), icon=":material/check_circle:")


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
            st.error(t("scenarios.not_text", name=ui.plain(upload.name)), icon="⚠️")
        else:
            with ui.guard(t("scenarios.upload"), source=upload.name):
                _accept(uploaded, upload.name, catalog)
    ui.sources_section("scenarios.sources")


render()

"""IVP opstellen: the client profile, the personal prognosis, the timeline, the plan table
with request-by dates, the budget against the protocol, and the PDF and Excel downloads.

Opens on a built-in example client and shows its plan at once.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import streamlit as st

from ivp.application.examples import EXAMPLES_DIR
from ivp.application.labels import why_not
from ivp.application.web import cache, charts, followup, runs, state, ui
from ivp.application.web.i18n import lang, pick, problem_message, t, word
from ivp.domain.catalog import FINANCIERS
from ivp.domain.errors import InputError
from ivp.domain.profile import ALSFRS_MAX, RANGES, Condition, OnsetSite, load_profile, make_profile
from ivp.models.disease.params import condition_params
from ivp.models.process import DEFAULT_SEED

# The built-in example client: a typical spinal (leg-onset) patient of the Dutch population
# (DOMAIN.md section 5: median age at onset 63, diagnostic delay about 9-10 months, ΔFS about
# 0.5), in a home with the bedroom upstairs that can be adapted inside.
EXAMPLE = {
    "age_at_onset": 62.0,
    "onset_site": "legs",
    "diagnostic_delay_months": 10.0,
    "alsfrs_r_at_diagnosis": 43.0,
    "dfs": None,  # computed from the ALSFRS-R and the delay: (48 - 43) / 10 = 0.5
    "fvc_percent": 90.0,
    "definite_el_escorial": False,
    "ftd": False,
    "c9orf72": None,
    "bedroom_or_bathroom_upstairs": True,
    "home_adaptable_inside": True,
    "extension_possible": None,
    "ceiling_hoist_possible": True,
    "entrance_wheelchair_accessible": False,
    "has_van": False,
    "children_at_home": False,
    "lives_alone": False,
}
INPUT_STEPS = {
    # field: (step, format) of the number field; its range is the profile's (ivp.domain.profile.RANGES)
    "age_at_onset": (1.0, "%.0f"),
    "diagnostic_delay_months": (1.0, "%.0f"),
    "alsfrs_r_at_diagnosis": (1.0, "%.0f"),
    "dfs": (0.05, "%.2f"),
    "fvc_percent": (1.0, "%.0f"),
}
DISEASE_FLAGS = ("definite_el_escorial", "ftd", "c9orf72")
HOME_FLAGS = (
    "bedroom_or_bathroom_upstairs", "home_adaptable_inside", "extension_possible", "ceiling_hoist_possible",
    "entrance_wheelchair_accessible", "has_van", "children_at_home", "lives_alone",
)

PROFILE_KEY = "plan.profile"  # the last valid profile's fields (dict), outlives the page
REFUSED_KEY = "plan.refused"  # the problems of the last submitted profile, while it is refused
SETTINGS_KEY = "plan.settings"  # (scenario key, replications, seed)
FORM_PREFIX = "plan.f."


def _stored_fields() -> dict:
    fields = st.session_state.get(PROFILE_KEY)
    if fields is None:
        fields = {**EXAMPLE, "diagnosis_date": dt.date.today()}
        st.session_state[PROFILE_KEY] = fields
    return fields


def _clear_form() -> None:
    for key in [k for k in st.session_state if str(k).startswith(FORM_PREFIX)]:
        del st.session_state[key]
    st.session_state.pop(REFUSED_KEY, None)


def _reset() -> None:
    _clear_form()
    st.session_state.pop(PROFILE_KEY, None)
    st.session_state.pop(followup.VISITS_KEY, None)
    st.session_state.pop(SETTINGS_KEY, None)


@st.cache_resource(show_spinner=False)
def _example_profiles() -> dict[str, tuple[str, str, dict]]:
    """The example profiles in examples/*.yaml: stem -> (Dutch label, English label, fields)."""
    found = {}
    for path in sorted(EXAMPLES_DIR.glob("*.yaml")):
        try:
            profile = load_profile(path)
        except Exception:  # a broken example must not break the page
            continue
        comments = [line[1:].strip() for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        dutch = " ".join(c for c in comments if not c.startswith("(") and not c.startswith("Velden"))
        english = next((c.strip("()") for c in comments if c.startswith("(Example")), path.stem)
        fields = {name: (value.value if hasattr(value, "value") else value)
                  for name, value in profile.model_dump().items()}
        found[path.stem] = (dutch.removeprefix("Voorbeeldprofiel: ") or path.stem,
                            english.removeprefix("Example: "), fields)
    return found


def _load_example() -> None:
    stem = st.session_state.get("plan.example")
    examples = _example_profiles()
    if stem not in examples:
        return
    _clear_form()
    st.session_state.pop(followup.VISITS_KEY, None)  # visits belong to the client they were made for
    fields = dict(examples[stem][2])
    fields["diagnosis_date"] = fields.get("diagnosis_date") or dt.date.today()
    st.session_state[PROFILE_KEY] = fields


def _seeded(field: str, value) -> str:
    """The form widget's key, with the stored value put in the session state first when the
    widget has none: a widget then shows a newly loaded profile's value (a widget's own
    default is ignored by the browser once the widget exists; measured in Chromium)."""
    key = FORM_PREFIX + field
    if key not in st.session_state:
        st.session_state[key] = value
    return key


UNKNOWN = "unknown"
"""The option "onbekend" of a choice: a selectbox whose value is ``None`` shows no choice at all."""


def _tri_state(field: str, value: bool | None, column) -> bool | None:
    options = [UNKNOWN, True, False]
    labels = {UNKNOWN: t("plan.unknown"), True: t("plan.yes"), False: t("plan.no")}
    chosen = column.selectbox(t(f"plan.field.{field}"), options, format_func=labels.get,
                              key=_seeded(field, UNKNOWN if value is None else value))
    chosen = None if chosen == UNKNOWN else chosen
    _field_problems(field, column)
    return chosen


def _number(field: str, value: float | None, column, help: str | None = None) -> float | None:
    """A number field that can be emptied (empty = unknown): Streamlit lets a user clear a
    number input only when it starts without a value, so the stored value is put in the
    session state first and the widget starts empty."""
    (low, high), (step, fmt) = RANGES[field], INPUT_STEPS[field]
    key = _seeded(field, value)
    value = column.number_input(t(f"plan.field.{field}"), min_value=low, max_value=high, value=None, step=step,
                                format=fmt, placeholder=t("plan.unknown"), help=help or t("plan.empty_is_unknown"),
                                key=key)
    _field_problems(field, column)
    return value


def _field_problems(field: str, column) -> None:
    """The refused profile's problems with this field, right under it, in the user's language."""
    for problem in st.session_state.get(REFUSED_KEY, ()):
        if problem.field == field:
            column.error(problem_message(problem), icon="⚠️")


def _implied_dfs(fields: dict) -> float | None:
    """ΔFS from the ALSFRS-R at diagnosis and the delay, when ΔFS itself is left empty."""
    a, d = fields.get("alsfrs_r_at_diagnosis"), fields.get("diagnostic_delay_months")
    if fields.get("dfs") is None and a is not None and d:
        return (ALSFRS_MAX - a) / d
    return None


def _profile_form(choices: list[runs.ScenarioChoice]) -> tuple[dict, tuple[str, int, int]] | None:
    """The form; returns (fields, settings) when submitted, else None."""
    fields = _stored_fields()
    settings = state.settings()
    scenario_key, replications, seed = st.session_state.get(SETTINGS_KEY, (choices[0].key, settings.replications, DEFAULT_SEED))
    keys = [c.key for c in choices]
    if scenario_key not in keys:
        scenario_key = keys[0]
    with st.expander(t("plan.profile"), expanded=REFUSED_KEY in st.session_state, icon=":material/person:"):
        examples = _example_profiles()
        if examples:
            labels = {stem: pick(nl, en) for stem, (nl, en, _) in examples.items()}
            st.selectbox(t("plan.example"), list(examples), index=None, format_func=lambda s: labels.get(s, s),
                         placeholder=t("plan.example.placeholder"), key="plan.example", on_change=_load_example)
        with st.form("plan.form", border=False):
            st.markdown(f"**{t('plan.profile.disease')}**")
            condition = st.selectbox(
                t("plan.field.condition"), [c.value for c in Condition],
                format_func={c.value: condition_params()[c.value].name(lang()) for c in Condition}.get,
                help=t("plan.field.condition.help"), key=_seeded("condition", fields.get("condition") or "als"))
            new = {"condition": None if condition == Condition.als.value else condition}
            c1, c2, c3 = st.columns(3)
            new |= {
                "age_at_onset": _number("age_at_onset", fields["age_at_onset"], c1),
                "onset_site": c2.selectbox(
                    t("plan.field.onset_site"), [UNKNOWN, *[site.value for site in OnsetSite]],
                    format_func={UNKNOWN: t("plan.unknown"), **{site.value: word("onset", site.value) for site in OnsetSite}}.get,
                    key=_seeded("onset_site", fields["onset_site"] or UNKNOWN)),
                "diagnostic_delay_months": _number("diagnostic_delay_months", fields["diagnostic_delay_months"], c3),
                "alsfrs_r_at_diagnosis": _number("alsfrs_r_at_diagnosis", fields["alsfrs_r_at_diagnosis"], c1),
                "dfs": _number("dfs", fields["dfs"], c2, help=t("plan.field.dfs.help")),
                "fvc_percent": _number("fvc_percent", fields["fvc_percent"], c3),
            }
            new["onset_site"] = None if new["onset_site"] == UNKNOWN else new["onset_site"]
            implied = _implied_dfs({name: st.session_state.get(FORM_PREFIX + name, fields[name])
                                    for name in ("dfs", "alsfrs_r_at_diagnosis", "diagnostic_delay_months")})
            if implied is not None:
                c2.caption(t("plan.field.dfs.computed", dfs=ui.number(implied, 2)))
            for field, column in zip(DISEASE_FLAGS, (c1, c2, c3)):
                new[field] = _tri_state(field, fields[field], column)
            st.markdown(f"**{t('plan.profile.home')}**")
            columns = st.columns(4)
            for index, field in enumerate(HOME_FLAGS):
                new[field] = _tri_state(field, fields[field], columns[index % 4])
            st.markdown(f"**{t('plan.profile.route')}**")
            c1, c2, c3, c4 = st.columns(4)
            new["diagnosis_date"] = c1.date_input(
                t("plan.field.diagnosis_date"), format="DD-MM-YYYY", min_value=dt.date(1990, 1, 1),
                max_value=dt.date(2090, 12, 31), key=_seeded("diagnosis_date", fields["diagnosis_date"]))
            names = {c.key: c.name for c in choices}
            chosen = c2.selectbox(t("plan.field.scenario"), keys, index=keys.index(scenario_key), format_func=names.get,
                                  help=t("plan.field.scenario.help"), key=FORM_PREFIX + "scenario")
            chosen_replications = c3.number_input(
                t("plan.field.replications"), min_value=1, max_value=settings.max_replications, value=replications,
                step=100, help=t("plan.field.replications.help"), key=FORM_PREFIX + "replications")
            chosen_seed = c4.number_input(t("plan.field.seed"), min_value=0, max_value=2**31 - 1, value=seed, step=1,
                                          key=FORM_PREFIX + "seed")
            for problem in st.session_state.get(REFUSED_KEY, ()):
                if problem.field not in new:  # a problem of the whole profile
                    st.error(problem_message(problem), icon="⚠️")
            submitted = st.form_submit_button(t("plan.submit"), type="primary", icon=":material/calculate:")
        st.button(t("plan.reset"), on_click=_reset, icon=":material/undo:")
    if submitted:
        return new, (chosen, int(chosen_replications), int(chosen_seed))
    return None


def _profile(fields: dict):
    source = "profiel" if lang() == "nl" else "profile"
    return make_profile(source=source, **{k: v for k, v in fields.items() if v is not None})


def _names(catalog) -> dict[str, str]:
    return {p.id: pick(p.name_nl, p.name_en) for p in catalog}


def _metrics(result: runs.PlanRun) -> None:
    plan = result.plan
    q = result.prognosis.quantiles
    s = {"p10": q[0.1], "p50": q[0.5], "p90": q[0.9]}
    in_plan = plan.table[plan.table["in_plan"]]
    budget = plan.budget[plan.budget["reuse"] == "totaal"].set_index("financier")
    c1, c2, c3, c4, c5 = st.columns(5)
    months = ui.number(s.get("p50"))
    c1.metric(t("plan.metric.survival"), t("plan.metric.survival.value", months=months),
              help=t("plan.metric.survival.help", months=months, p10=ui.number(s.get("p10")), p90=ui.number(s.get("p90"))))
    c1.caption(t("plan.metric.range", p10=ui.number(s.get("p10")), p90=ui.number(s.get("p90"))))
    c2.metric(t("plan.metric.in_plan"), str(len(in_plan)))
    c3.metric(t("plan.metric.request_now"), str(int(in_plan["request_now"].sum())))
    for column, financier in ((c4, "wmo"), (c5, "zvw")):
        if financier in budget.index:
            row = budget.loc[financier]
            column.metric(t("plan.metric.earmark", financier=word("financier_short", financier)), ui.euro(row["earmarked_eur"]),
                          help=t("plan.metric.earmark.help", expected=ui.euro(row["expected_cost_eur"])))


def _agenda(result: runs.PlanRun, names: dict[str, str]) -> None:
    """What to request when, as a list that reads on a phone as well as on a screen: the
    earmarked provisions by request-by date."""
    table = result.plan.table
    planned = table[table["in_plan"]].assign(_by=lambda f: f["request_by"].map(lambda d: d or dt.date.max))
    st.caption(t("plan.agenda.intro"))
    lines = []
    for r in planned.sort_values(["_by", "need_p50"]).itertuples():
        when = t("plan.now") if r.request_now else ui.date(r.request_by)
        lines.append(t("plan.agenda.item", name=ui.plain(names.get(r.provision_id, r.provision_id)),
                       financier=word("financier_short", r.financier), when=when, need=ui.date(r.need_p50),
                       chance=ui.percent(r.probability)))
    st.markdown("\n".join(lines) if lines else t("plan.timeline.none"))


def _timeline(result: runs.PlanRun, names: dict[str, str]) -> None:
    st.caption(t("plan.timeline.intro"))
    plan = result.plan
    if not plan.table["in_plan"].any():
        st.info(t("plan.timeline.none"))
        return
    q = result.prognosis.quantiles
    figure = charts.timeline(plan.table, result.delivery, plan.diagnosis_date, q[0.5], names, survival_p90_months=q[0.9])
    st.plotly_chart(figure, width="stretch", config={"displaylogo": False})


def _plan_table(result: runs.PlanRun, names: dict[str, str]) -> None:
    st.markdown(t("plan.table.intro"))
    only = st.toggle(t("plan.table.only_in_plan"), value=True, key="plan.only_in_plan")
    table = result.plan.table
    if only:
        table = table[table["in_plan"]]
    rows = []
    for r in table.itertuples():
        rows.append({
            t("plan.col.name"): names.get(r.provision_id, r.provision_id),
            t("plan.col.financier"): word("financier_short", r.financier),
            t("plan.col.reuse"): word("reuse", r.reuse),
            t("plan.col.cost"): ui.euro(r.cost_eur),
            t("plan.col.in_plan"): t("plan.yes") if r.in_plan else why_not(r.not_in_plan, result.plan.assumptions, lang()),
            t("plan.col.need_probability"): ui.percent(r.need_probability),
            t("plan.col.uptake_probability"): ui.percent(r.uptake_probability),
            t("plan.col.probability"): ui.percent(r.probability),
            t("plan.col.need"): " / ".join(ui.date(d) for d in (r.need_p10, r.need_p50, r.need_p90)),
            t("plan.col.request_by"): t("plan.now") if r.request_now else ui.date(r.request_by),
            t("plan.col.lead"): t("plan.days", n=ui.number(r.lead_time_days)) if pd.notna(r.lead_time_days) else "–",
            t("plan.col.on_time"): ui.percent(r.on_time_share),
            t("plan.col.gap"): t("plan.days", n=ui.number(r.mean_gap_days)) if pd.notna(r.mean_gap_days) else "–",
            "id": r.provision_id,
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", height=min(38 + 35 * max(len(rows), 1), 720))


def _budget(result: runs.PlanRun) -> None:
    st.markdown(t("plan.budget.intro"))
    rows = []
    for r in result.plan.budget.itertuples():
        kind = t("plan.budget.total") if r.reuse == "totaal" else word("reuse", r.reuse)
        protocol = ui.euro(r.protocol_high_eur) if r.protocol_low_eur == r.protocol_high_eur else \
            f"{ui.euro(r.protocol_low_eur)} – {ui.euro(r.protocol_high_eur)}"
        if r.reuse == "totaal":
            protocol = t("catalog.total.about", amount=ui.euro(r.protocol_high_eur))
        rows.append({
            t("plan.budget.class"): f"{word('financier_short', r.financier)} {kind}",
            t("plan.budget.earmarked"): ui.euro(r.earmarked_eur),
            t("plan.budget.expected"): ui.euro(r.expected_cost_eur),
            t("plan.budget.spent"): f"{ui.euro(r.spent_mean_eur)} ({ui.euro(r.spent_p90_eur)})",
            t("plan.budget.catalogue"): f"{ui.euro(r.catalogue_lower_eur)} – {ui.euro(r.catalogue_max_eur)}",
            t("plan.budget.protocol"): protocol,
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    _cost_kinds(result.plan)
    st.markdown(f"**{t('plan.budget.over_time')}**")
    figure = charts.budget_over_time(result.plan.over_time, {f: word("financier_short", f) for f in FINANCIERS})
    st.plotly_chart(figure, width="stretch", config={"displaylogo": False})


def _cost_kinds(plan) -> None:
    """What the spending pays for, per financier, the clients' own contribution, the price
    level and the client events that end or restart requests."""
    st.markdown(f"**{t('plan.kinds.title')}**")
    rows = [{
        t("plan.budget.class"): word("financier_short", r.financier),
        t("plan.kinds.purchase"): ui.euro(r.spent_purchase_mean_eur),
        t("plan.kinds.rent"): ui.euro(r.spent_rent_mean_eur),
        t("plan.kinds.maintenance"): ui.euro(r.spent_maintenance_mean_eur),
        t("plan.kinds.spent"): ui.euro(r.spent_mean_eur),
        t("plan.kinds.contribution"): ui.euro(r.own_contribution_mean_eur),
        t("plan.kinds.net"): ui.euro(r.net_mean_eur),
    } for r in plan.budget[plan.budget["reuse"] == "totaal"].itertuples()]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    years = ", ".join(str(y) for y in sorted(set(plan.table["price_year"])))
    st.caption(t("plan.kinds.caption", year=plan.price_level_year, price_years=years))
    ev = plan.client_events
    if ev:
        st.caption(t("plan.events", wlz=ui.percent(ev["wlz_share"]), move=ui.percent(ev["move_share"]),
                     month=ui.number(ev["wlz_p50_month"]) if np.isfinite(ev["wlz_p50_month"]) else "–",
                     cancelled=ui.number(ev["requests_cancelled_wlz"], 2),
                     restarted=ui.number(ev["requests_restarted_move"], 2)))


def _prognosis(result: runs.PlanRun) -> None:
    st.caption(t("plan.prognosis.intro"))
    st.plotly_chart(charts.survival(result.prognosis), width="stretch", config={"displaylogo": False})
    q = result.prognosis.quantiles
    st.caption(t("plan.prognosis.exact" if result.prognosis.exact else "plan.prognosis.mixture",
                 p10=ui.number(q[0.1]), p25=ui.number(q[0.25]), p50=ui.number(q[0.5]), p75=ui.number(q[0.75]),
                 p90=ui.number(q[0.9])))


def _file_stem(plan) -> str:
    return f"ivp_{plan.diagnosis_date:%Y%m%d}"


def _downloads(result: runs.PlanRun) -> None:
    # the reports import fpdf (about 1 s): only when a document is made
    from ivp.application.reports import plan_pdf, plan_xlsx

    st.subheader(t("plan.downloads"))
    plan = result.plan
    name = st.text_input(t("plan.download_name"), max_chars=80, key="plan.download_name",
                         help=t("plan.download_name.help"))
    with_prognosis = st.checkbox(t("plan.download_prognosis"), value=False, key="plan.download_prognosis",
                                 help=t("plan.download_prognosis.help"))
    c1, c2 = st.columns(2)
    c1.download_button(t("plan.download_pdf"),
                       data=lambda: plan_pdf(plan, profile_name=name, lang=lang(), include_prognosis=with_prognosis),
                       file_name=f"{_file_stem(plan)}.pdf", mime="application/pdf", icon=":material/picture_as_pdf:",
                       on_click="ignore", type="primary")
    c2.download_button(t("plan.download_xlsx"), data=lambda: plan_xlsx(plan, profile_name=name, lang=lang()),
                       file_name=f"{_file_stem(plan)}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/table_view:", on_click="ignore")


def render() -> None:
    st.title(t("plan.title"))
    st.markdown(t("plan.intro"))
    catalog = cache.effective_catalog()
    choices = runs.available_scenarios()
    submitted = _profile_form(choices)
    names = _names(catalog)
    followup.panel(_stored_fields().get("diagnosis_date"), catalog, names, st.session_state.get("plan.example"))
    if submitted is not None:
        fields, chosen = submitted
        try:
            _profile(fields)
        except InputError as error:
            st.session_state[REFUSED_KEY] = tuple(error.problems)
        else:
            st.session_state.pop(REFUSED_KEY, None)
            st.session_state[PROFILE_KEY] = fields
            st.session_state[SETTINGS_KEY] = chosen
        st.rerun()  # the form is drawn again with its problems beside the fields, or the new plan
    if REFUSED_KEY in st.session_state:
        # no plan beneath a refused profile: the last valid plan would be read as this client's
        st.warning(t("plan.refused"), icon="⚠️")
        ui.sources_section("plan.sources")
        return
    fields = _stored_fields()
    if fields == {**EXAMPLE, "diagnosis_date": fields["diagnosis_date"]}:
        st.caption(t("plan.example_note"))
    settings = state.settings()
    scenario_key, replications, seed = st.session_state.get(SETTINGS_KEY, (choices[0].key, settings.replications, DEFAULT_SEED))
    choice = next((c for c in choices if c.key == scenario_key), choices[0])

    result = None
    with ui.guard(t("plan.title")):
        profile = _profile(fields)
        scenario = runs.parse_scenario_text(choice.text, f"{choice.key}.yaml", catalog)
        visits = followup.visits()
        key = ("plan", profile.model_dump_json(), runs.scenario_key(scenario), runs.catalog_key(catalog), replications,
               seed, tuple(v.model_dump_json() for v in visits))
        result = runs.cached_run(key, lambda progress: runs.run_plan(
            profile, scenario, catalog, replications, seed, progress=progress, visits=visits),
            t("plan.computing", n=ui.number(replications)))
    if result is None:
        ui.sources_section("plan.sources")
        return
    st.caption(t("plan.computed", n=ui.number(result.plan.n_replications), scenario=ui.plain(result.plan.scenario_title(lang())),
                 seconds=ui.number(result.seconds, 1)))
    with ui.guard(t("plan.title")):
        _metrics(result)
    titles = [t("plan.tab.timeline"), t("plan.tab.agenda"), t("plan.tab.table"), t("plan.tab.budget"),
              t("plan.tab.prognosis")]
    has_followup = result.plan.followup is not None
    tabs = st.tabs(([t("plan.tab.followup")] if has_followup else []) + titles)
    if has_followup:
        with tabs[0], ui.guard(t("plan.tab.followup")):
            followup.tab(result, names)
        tabs = tabs[1:]
    with tabs[0], ui.guard(t("plan.tab.timeline")):
        _timeline(result, names)
    with tabs[1], ui.guard(t("plan.tab.agenda")):
        _agenda(result, names)
    with tabs[2], ui.guard(t("plan.tab.table")):
        _plan_table(result, names)
    with tabs[3], ui.guard(t("plan.tab.budget")):
        _budget(result)
    with tabs[4], ui.guard(t("plan.tab.prognosis")):
        _prognosis(result)
    with ui.guard(t("plan.downloads")):
        _downloads(result)
    ui.sources_section("plan.sources")


render()

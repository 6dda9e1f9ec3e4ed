"""Gemeente: inhabitants and an optional caseload -> the reserve per year (P50/P90),
spending, earmarks and releases over time, the depot's stock and savings."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import streamlit as st

from ivp.application.caseload import load_caseload
from ivp.application.examples import EXAMPLES_DIR
from ivp.application.reserve import run_reserve
from ivp.application.web import cache, charts, runs, state, ui
from ivp.application.web.i18n import t
from ivp.domain.errors import InputError
from ivp.models.process import DEFAULT_SEED

SETTINGS_KEY = "reserve.settings"
CASELOAD_KEY = "reserve.caseload"
CASELOAD_GENERATION_KEY = "reserve.caseload_generation"
EXAMPLE_CASELOAD = EXAMPLES_DIR / "caseload.csv"
DEFAULT_INHABITANTS = 100_000
MAX_INHABITANTS = 18_000_000
MAX_YEARS = 15
MAX_WORK = 1_000_000_000
"""Inhabitants x years x replications above which the page asks for less (about a minute)."""


@st.cache_resource(max_entries=16, show_spinner=False)
def _caseload(name: str, data: bytes, catalog_id: str, _catalog):
    return load_caseload(io.BytesIO(data), name=name, catalog=_catalog)


def _clear_caseload() -> None:
    st.session_state.pop(CASELOAD_KEY, None)
    st.session_state[CASELOAD_GENERATION_KEY] = st.session_state.get(CASELOAD_GENERATION_KEY, 0) + 1


def _caseload_section(catalog):
    """The optional caseload upload; returns the validated caseload in use, or None."""
    st.markdown(f"**{t('reserve.caseload')}**")
    st.markdown(t("reserve.caseload.howto"))
    if EXAMPLE_CASELOAD.exists():
        st.download_button(t("reserve.caseload.example"), data=EXAMPLE_CASELOAD.read_bytes(),
                           file_name="caseload_voorbeeld.csv", mime="text/csv", icon=":material/download:",
                           on_click="ignore")
    upload = st.file_uploader(t("reserve.caseload.upload"), type=["csv", "xlsx"],
                              key=f"reserve.upload.{st.session_state.get(CASELOAD_GENERATION_KEY, 0)}")
    data = ui.upload_bytes(upload)
    if data is not None:
        try:
            _caseload(upload.name, data, runs.catalog_key(catalog), catalog)
        except InputError as error:
            ui.show_input_error(error, source=upload.name)
        else:
            st.session_state[CASELOAD_KEY] = (upload.name, data)
    current = st.session_state.get(CASELOAD_KEY)
    if current is None:
        st.caption(t("reserve.caseload.none"))
        return None
    caseload = None
    with ui.guard(t("reserve.caseload")):
        caseload = _caseload(current[0], current[1], runs.catalog_key(catalog), catalog)
        st.success(t("reserve.caseload.active", name=ui.plain(current[0]), n=ui.number(len(caseload))), icon=":material/groups:")
    st.button(t("reserve.caseload.reset"), on_click=_clear_caseload, icon=":material/delete:")
    return caseload


def _settings(choices: list[runs.ScenarioChoice]):
    keys = [c.key for c in choices]
    next_january = dt.date(dt.date.today().year + 1, 1, 1)
    default = (DEFAULT_INHABITANTS, 5, next_january, keys[0], True, state.settings().reserve_replications, DEFAULT_SEED)
    current = st.session_state.get(SETTINGS_KEY, default)
    if current[3] not in keys:
        current = default
    names = {c.key: c.name for c in choices}
    with st.form("reserve.form", border=False):
        c1, c2, c3 = st.columns(3)
        inhabitants = c1.number_input(t("reserve.inhabitants"), min_value=0, max_value=MAX_INHABITANTS,
                                      value=current[0], step=10_000, key="reserve.f.inhabitants")
        years = c2.number_input(t("reserve.years"), min_value=1, max_value=MAX_YEARS, value=current[1], step=1,
                                key="reserve.f.years")
        start = c3.date_input(t("reserve.start"), value=current[2], format="DD-MM-YYYY",
                              min_value=dt.date(1995, 1, 1), max_value=dt.date(2080, 12, 31), key="reserve.f.start")
        c1, c2, c3, c4 = st.columns(4)
        scenario = c1.selectbox(t("reserve.scenario"), keys, index=keys.index(current[3]), format_func=names.get,
                                key="reserve.f.scenario")
        replications = c2.number_input(t("reserve.replications"), min_value=2,
                                       max_value=state.settings().max_replications, value=current[5], step=50,
                                       key="reserve.f.replications")
        seed = c3.number_input(t("plan.field.seed"), min_value=0, max_value=2**31 - 1, value=current[6], step=1,
                               key="reserve.f.seed")
        depot = c4.toggle(t("reserve.depot"), value=current[4], key="reserve.f.depot")
        if st.form_submit_button(t("reserve.submit"), type="primary", icon=":material/account_balance:"):
            current = (int(inhabitants), int(years), start, scenario, bool(depot), int(replications), int(seed))
            st.session_state[SETTINGS_KEY] = current
    return current


def _with_depot(scenario, on: bool):
    if scenario.depot.enabled == on:
        return scenario
    return scenario.with_changes(depot={**scenario.depot.model_dump(), "enabled": on})


def _summary(result, metric: str, financier: str, stat: str) -> list[float]:
    s = result.summary
    part = s[(s["metric"] == metric) & (s["financier"] == financier) & (s["year"] >= 0)].sort_values("year")
    values = dict(zip(part["year"], part[stat]))
    return [float(values.get(year, 0.0)) for year in range(result.years)]


def _metrics(result) -> None:
    pct = round(result.reserve_percentile * 100)
    table = result.table
    total = table[table["year"] == "totaal"].iloc[0]
    first = table.iloc[0]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("reserve.metric.new"), ui.number(result.expected_new_clients_per_year, 1))
    c2.metric(t("reserve.metric.reserve_first", pct=pct), ui.euro(first["wmo_reserve"]))
    c3.metric(t("reserve.metric.reserve_total", pct=pct), ui.euro(total["wmo_reserve"]))
    c4.metric(t("reserve.metric.savings"), ui.euro(total["wmo_depot_savings_p50"]))
    st.caption(t("reserve.rule", pct=pct, covered=ui.number(result.reserve_percentile * 10)))


def _table(result) -> None:
    st.subheader(t("reserve.table"))

    def maybe(value, fmt):
        return fmt(value) if value is not None and np.isfinite(value) else "–"

    rows = []
    for r in result.table.itertuples():
        rows.append({
            t("reserve.col.year"): t("reserve.total") if r.year == "totaal" else r.year,
            t("reserve.col.new"): ui.number(r.new_clients_mean, 1),
            t("reserve.col.active"): maybe(r.active_clients_mean, lambda v: ui.number(v, 1)),
            t("reserve.col.outlay"): f"{ui.euro(r.wmo_outlay_p50)} ({ui.euro(r.wmo_outlay_p90)})",
            t("reserve.col.reserve"): ui.euro(r.wmo_reserve),
            t("reserve.col.earmarked"): maybe(r.wmo_reserved_end_p50, ui.euro),
            t("reserve.col.released"): ui.euro(r.wmo_released_p50),
            t("reserve.col.reissues"): ui.number(r.wmo_depot_reissues_mean, 1),
            t("reserve.col.savings"): ui.euro(r.wmo_depot_savings_p50),
            t("reserve.col.zvw"): ui.euro(r.zvw_outlay_p50),
            t("reserve.col.gap"): maybe(r.gap_days_mean, lambda v: ui.number(v, 1)),
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _charts(result) -> None:
    years = result.table[result.table["year"] != "totaal"]
    frame = pd.DataFrame({"label": list(years["year"])})
    frame["outlay_p50"] = _summary(result, "outlay", "wmo", "p50")
    frame["reserve"] = list(years["wmo_reserve"])
    left, right = st.columns(2)
    left.markdown(f"**{t('reserve.chart.reserve')}**")
    left.plotly_chart(charts.per_year(frame, [
        ("outlay_p50", t("reserve.series.outlay_p50"), charts.WMO),
        ("reserve", t("reserve.series.reserve", pct=round(result.reserve_percentile * 100)), charts.REQUEST),
    ], t("plan.chart.euro")), width="stretch", config={"displaylogo": False}, key="reserve.chart.reserve")
    flows = pd.DataFrame({"label": list(years["year"])})
    for metric in ("earmarked", "outlay", "released", "reserved_end"):
        flows[metric] = _summary(result, metric, "wmo", "p50")
    right.markdown(f"**{t('reserve.chart.flows')}**")
    right.plotly_chart(charts.per_year(flows, [
        ("earmarked", t("reserve.series.earmarked"), charts.NEED_START),
        ("outlay", t("reserve.series.outlay"), charts.WMO),
        ("released", t("reserve.series.released"), charts.REQUEST),
        ("reserved_end", t("reserve.series.reserved_end"), charts.GREY),
    ], t("plan.chart.euro")), width="stretch", config={"displaylogo": False}, key="reserve.chart.flows")
    st.markdown(f"**{t('reserve.chart.depot')}**")
    depot = pd.DataFrame({"label": list(years["year"])})
    depot["returns"] = _summary(result, "depot_returns", "wmo", "mean")
    depot["reissues"] = _summary(result, "depot_reissues", "wmo", "mean")
    # a mean of differences is the difference of means: the expected net flow into the depot
    depot["stock"] = (depot["returns"] - depot["reissues"]).cumsum()
    depot["savings"] = _summary(result, "depot_savings", "wmo", "p50")
    left, right = st.columns(2)
    left.plotly_chart(charts.per_year(depot, [
        ("returns", t("reserve.series.returns"), charts.NEED_START),
        ("reissues", t("reserve.series.reissues"), charts.REQUEST),
        ("stock", t("reserve.series.stock"), charts.GREY),
    ], t("reserve.chart.number"), euro=False), width="stretch", config={"displaylogo": False}, key="reserve.chart.depot")
    right.plotly_chart(charts.per_year(depot, [("savings", t("reserve.series.savings"), charts.REQUEST)],
                                       t("plan.chart.euro")), width="stretch", config={"displaylogo": False},
                       key="reserve.chart.savings")


def render() -> None:
    st.title(t("reserve.title"))
    st.markdown(t("reserve.intro"))
    catalog = cache.effective_catalog()
    choices = runs.available_scenarios()
    with st.expander(t("reserve.settings"), expanded=False, icon=":material/tune:"):
        inhabitants, years, start, scenario_key, depot, replications, seed = _settings(choices)
        st.divider()
        with ui.guard(t("reserve.caseload")):
            _caseload_section(catalog)
    current = st.session_state.get(CASELOAD_KEY)
    caseload = None
    if current is not None:
        try:
            caseload = _caseload(current[0], current[1], runs.catalog_key(catalog), catalog)
        except InputError:
            caseload = None  # shown in the settings above
    choice = next(c for c in choices if c.key == scenario_key)
    if inhabitants * years * replications > MAX_WORK:
        st.warning(t("reserve.too_large", n=ui.number(inhabitants * years * replications), limit=ui.number(MAX_WORK)))
        ui.sources_section("reserve.sources")
        return
    result = None
    with ui.guard(t("reserve.title")):

        scenario = _with_depot(runs.parse_scenario_text(choice.text, f"{choice.key}.yaml", catalog), depot)
        key = ("reserve", inhabitants, years, start.isoformat(), runs.scenario_key(scenario), runs.catalog_key(catalog),
               runs.digest(current) if current else "", replications, seed)
        result = runs.cached_run(key, lambda progress: run_reserve(
            inhabitants, years, scenario, caseload=caseload, replications=replications, seed=seed,
            start=start, catalog=catalog, progress=progress), t("reserve.computing", n=ui.number(replications)))
    if result is not None:
        st.caption(t("reserve.computed", reps=ui.number(result.replications),
                     new=ui.number(result.expected_new_clients_per_year, 1), existing=ui.number(result.existing_clients),
                     seconds=ui.number(result.seconds, 1)))
        if result.empty:
            st.info(t("reserve.empty"))
        else:
            with ui.guard(t("reserve.title")):
                _metrics(result)
            with ui.guard(t("reserve.table")):
                _table(result)
            with ui.guard(t("reserve.chart.reserve")):
                _charts(result)
            with ui.guard(t("reserve.download_xlsx")):
                # the reports import fpdf (about 1 s): only when a document is made
                from ivp.application.reports import reserve_xlsx

                st.download_button(t("reserve.download_xlsx"), data=lambda: reserve_xlsx(result),
                                   file_name=f"ivp_reserve_{inhabitants}_{start:%Y}.xlsx",
                                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                   icon=":material/table_view:", on_click="ignore")
    ui.sources_section("reserve.sources")


render()

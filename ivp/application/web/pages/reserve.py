"""Gemeente: inhabitants and an optional caseload -> the reserve per year (P50/P90),
spending, earmarks and releases over time, the depot's stock and savings."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from ivp.application.caseload import load_caseload
from ivp.application.examples import EXAMPLES_DIR
from ivp.application.reserve import run_reserve, with_depot, with_incidence, with_staff
from ivp.application.web import cache, charts, runs, state, ui
from ivp.application.web.i18n import lang, t, word
from ivp.domain.assumptions import default_assumptions
from ivp.domain.errors import InputError
from ivp.domain.plausibility import LIMITS
from ivp.models.process import DEFAULT_SEED

SETTINGS_KEY = "reserve.settings"
REFUSED_KEY = "reserve.refused"  # the caseload submitted last was refused: no reserve on screen
PRECISION_TARGET = 0.05
"""The precision the page reports against: the first year's reserve within ±5 % (95 % CI)."""
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


def _caseload_upload():
    """The optional caseload inside the settings form: a file picked here takes effect only
    with "Bereken" (never a computation at settings not yet submitted)."""
    st.markdown(f"**{t('reserve.caseload')}**")
    st.markdown(t("reserve.caseload.howto"))
    return st.file_uploader(t("reserve.caseload.upload"), type=["csv", "xlsx"],
                            key=f"reserve.upload.{st.session_state.get(CASELOAD_GENERATION_KEY, 0)}")


def _caseload_templates() -> None:
    """The example caseload (CSV) and an empty Excel template, outside the form."""
    # the reports import fpdf (about 1 s): only when a document is made
    from ivp.application.reports import caseload_template_xlsx

    c1, c2 = st.columns(2)
    if EXAMPLE_CASELOAD.exists():
        c1.download_button(t("reserve.caseload.example"), data=EXAMPLE_CASELOAD.read_bytes(),
                           file_name="caseload_voorbeeld.csv", mime="text/csv", icon=":material/download:",
                           on_click="ignore")
    c2.download_button(t("reserve.caseload.template"), data=lambda: caseload_template_xlsx(lang()),
                       file_name="caseload_sjabloon.xlsx" if lang() == "nl" else "caseload_template.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/table_view:", on_click="ignore")


def _caseload_status(catalog) -> None:
    current = st.session_state.get(CASELOAD_KEY)
    if current is None:
        st.caption(t("reserve.caseload.none"))
        return
    with ui.guard(t("reserve.caseload")):
        caseload = _caseload(current[0], current[1], runs.catalog_key(catalog), catalog)
        st.success(t("reserve.caseload.active", name=ui.plain(current[0]), n=ui.number(len(caseload))),
                   icon=":material/groups:")
    st.button(t("reserve.caseload.reset"), on_click=_clear_caseload, icon=":material/delete:")


@dataclass(frozen=True)
class Settings:
    """What the Gemeente page computes: the municipality, the horizon, the routes and its own
    assumptions (empty = the scenario's or the budget's)."""

    inhabitants: int
    years: int
    start: dt.date
    scenario: str
    compare: str | None
    depot: bool
    replications: int
    seed: int
    incidence: float | None
    write_off_years: float | None
    staff: int | None


def _settings(choices: list[runs.ScenarioChoice], catalog) -> Settings:
    keys = [c.key for c in choices]
    default = Settings(DEFAULT_INHABITANTS, 5, dt.date(dt.date.today().year + 1, 1, 1), keys[0], None, True,
                       state.settings().reserve_replications, DEFAULT_SEED, None, None, None)
    current = st.session_state.get(SETTINGS_KEY, default)
    if current.scenario not in keys or (current.compare is not None and current.compare not in keys):
        current = default
    names = {c.key: c.name for c in choices}
    assumptions = default_assumptions()
    with st.form("reserve.form", border=False):
        c1, c2, c3 = st.columns(3)
        inhabitants = c1.number_input(t("reserve.inhabitants"), min_value=0, max_value=MAX_INHABITANTS,
                                      value=current.inhabitants, step=10_000, key="reserve.f.inhabitants")
        years = c2.number_input(t("reserve.years"), min_value=1, max_value=MAX_YEARS, value=current.years, step=1,
                                key="reserve.f.years")
        start = c3.date_input(t("reserve.start"), value=current.start, format="DD-MM-YYYY",
                              min_value=dt.date(1995, 1, 1), max_value=dt.date(2080, 12, 31), key="reserve.f.start")
        c1, c2, c3, c4 = st.columns(4)
        scenario = c1.selectbox(t("reserve.scenario"), keys, index=keys.index(current.scenario), format_func=names.get,
                                key="reserve.f.scenario")
        others = [None, *keys]
        compare = c2.selectbox(t("reserve.compare"), others, index=others.index(current.compare),
                               format_func=lambda k: t("reserve.compare.none") if k is None else names[k],
                               help=t("reserve.compare.help"), key="reserve.f.compare")
        replications = c3.number_input(t("reserve.replications"), min_value=2,
                                       max_value=state.settings().max_replications, value=current.replications,
                                       step=50, help=t("reserve.replications.help"), key="reserve.f.replications")
        seed = c4.number_input(t("plan.field.seed"), min_value=0, max_value=2**31 - 1, value=current.seed, step=1,
                               key="reserve.f.seed")
        st.markdown(f"**{t('reserve.own')}**")
        c1, c2, c3, c4 = st.columns(4)
        incidence = c1.number_input(t("reserve.incidence"), min_value=0.0, max_value=float(LIMITS.incidence_per_100k_max),
                                    value=current.incidence, step=0.1, format="%.2f", placeholder=t("reserve.default",
                                    value=ui.number(2.77, 2)), help=t("reserve.incidence.help"), key="reserve.f.incidence")
        write_off = c2.number_input(t("reserve.write_off"), min_value=0.5, max_value=50.0, value=current.write_off_years,
                                    step=0.5, format="%.1f", placeholder=t("reserve.default", value=ui.number(
                                        assumptions.residual_useful_life_years, 1)),
                                    help=t("reserve.write_off.help"), key="reserve.f.write_off")
        staff = c3.number_input(t("reserve.staff"), min_value=1, max_value=10_000, value=current.staff, step=1,
                                placeholder=t("reserve.staff.unlimited"), help=t("reserve.staff.help"),
                                key="reserve.f.staff")
        depot = c4.toggle(t("reserve.depot"), value=current.depot, key="reserve.f.depot")
        upload = _caseload_upload()
        if st.form_submit_button(t("reserve.submit"), type="primary", icon=":material/account_balance:"):
            data = ui.upload_bytes(upload)
            if data is not None:
                try:
                    _caseload(upload.name, data, runs.catalog_key(catalog), catalog)
                except InputError as error:
                    ui.show_input_error(error, source=upload.name)
                    st.session_state[REFUSED_KEY] = True
                    return current
                st.session_state[CASELOAD_KEY] = (upload.name, data)
            st.session_state.pop(REFUSED_KEY, None)
            current = Settings(int(inhabitants), int(years), start, scenario, compare, bool(depot), int(replications),
                               int(seed), None if incidence is None else float(incidence),
                               None if write_off is None else float(write_off), None if staff is None else int(staff))
            st.session_state[SETTINGS_KEY] = current
    return current


def _summary(result, metric: str, financier: str, stat: str) -> list[float]:
    s = result.summary
    part = s[(s["metric"] == metric) & (s["financier"] == financier) & (s["year"] >= 0)].sort_values("year")
    values = dict(zip(part["year"], part[stat]))
    return [float(values.get(year, 0.0)) for year in range(result.years)]


def _ci(row) -> str:
    return t("reserve.ci", low=ui.euro(row["wmo_reserve_ci_low"]), high=ui.euro(row["wmo_reserve_ci_high"]))


def _metrics(result) -> None:
    pct = round(result.reserve_percentile * 100)
    table = result.table
    total = table[table["year"] == "totaal"].iloc[0]
    first = table.iloc[0]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("reserve.metric.new"), ui.number(result.expected_new_clients_per_year, 1))
    c2.metric(t("reserve.metric.reserve_first", pct=pct), ui.euro(first["wmo_reserve"]), help=_ci(first))
    c2.caption(_ci(first))
    c3.metric(t("reserve.metric.reserve_total", pct=pct), ui.euro(total["wmo_reserve"]), help=_ci(total))
    c3.caption(_ci(total))
    c4.metric(t("reserve.metric.savings"), ui.euro(total["wmo_depot_savings_p50"]))
    st.caption(t("reserve.rule", pct=pct, covered=ui.number(result.reserve_percentile * 10)))
    st.caption(t("reserve.total_explained", pct=pct))
    _precision(result, first)


def _precision(result, first) -> None:
    """How precise the first year's reserve is at these replications, and how many would give
    the target precision (the interval narrows with the square root of the replications)."""
    reserve = first["wmo_reserve"]
    if not reserve:
        return
    half = (first["wmo_reserve_ci_high"] - first["wmo_reserve_ci_low"]) / 2 / reserve
    needed = int(np.ceil(result.replications * (half / PRECISION_TARGET) ** 2 / 50) * 50)
    key = "reserve.precision.met" if half <= PRECISION_TARGET else "reserve.precision.more"
    st.info(t(key, half=ui.percent(half, 1), target=ui.percent(PRECISION_TARGET), needed=ui.number(needed),
              reps=ui.number(result.replications)), icon=":material/target:")


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
            t("reserve.col.reserve_ci"): f"{ui.euro(r.wmo_reserve_ci_low)} – {ui.euro(r.wmo_reserve_ci_high)}",
            t("reserve.col.earmarked"): maybe(r.wmo_reserved_end_p50, ui.euro),
            t("reserve.col.released"): ui.euro(r.wmo_released_p50),
            t("reserve.col.reissues"): ui.number(r.wmo_depot_reissues_mean, 1),
            t("reserve.col.savings"): ui.euro(r.wmo_depot_savings_p50),
            t("reserve.col.zvw"): ui.euro(r.zvw_outlay_p50),
            t("reserve.col.gap"): maybe(r.gap_days_mean, lambda v: ui.number(v, 1)),
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _cost_kinds(result) -> None:
    """The mean outlay per year by cost kind (the kinds add up to the outlay), the clients'
    own contribution and net outlay, and the client events of the year."""
    st.subheader(t("reserve.kinds"))
    rows = []
    for r in result.table.itertuples():
        row = {t("reserve.col.year"): t("reserve.total") if r.year == "totaal" else r.year}
        for financier in ("wmo", "zvw"):
            name = word("financier_short", financier)
            for kind in ("purchase", "rent", "maintenance"):
                row[f"{name} {t(f'plan.kinds.{kind}').lower()}"] = ui.euro(getattr(r, f"{financier}_outlay_{kind}_mean"))
            row[f"{name} {t('plan.kinds.spent').lower()}"] = ui.euro(getattr(r, f"{financier}_outlay_mean"))
            if financier == "wmo":
                row[t("plan.kinds.contribution")] = ui.euro(r.wmo_own_contribution_mean)
                row[f"{name} {t('plan.kinds.net').lower()}"] = ui.euro(r.wmo_net_outlay_mean)
        row[t("reserve.col.wlz")] = ui.number(r.wlz_entries_mean, 1)
        row[t("reserve.col.moves")] = ui.number(r.moves_mean, 1)
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(t("reserve.kinds.caption"))


def _comparison(result) -> None:
    """Both routes side by side on the same patients, with the difference per year."""
    other = result.comparison
    a, b = ui.plain(result.scenario_title(lang())), ui.plain(other.scenario_title(lang()))
    st.subheader(t("reserve.comparison", a=a, b=b))
    rows = []
    for mine, theirs in zip(result.table.itertuples(), other.table.itertuples()):
        rows.append({
            t("reserve.col.year"): t("reserve.total") if mine.year == "totaal" else mine.year,
            f"{t('reserve.col.reserve')} A": ui.euro(mine.wmo_reserve),
            f"{t('reserve.col.reserve')} B": ui.euro(theirs.wmo_reserve),
            t("reserve.col.difference"): ui.euro(theirs.wmo_reserve - mine.wmo_reserve),
            f"{t('reserve.col.outlay_p50')} A": ui.euro(mine.wmo_outlay_p50),
            f"{t('reserve.col.outlay_p50')} B": ui.euro(theirs.wmo_outlay_p50),
            f"{t('reserve.col.gap')} A": ui.number(mine.gap_days_mean, 1) if np.isfinite(mine.gap_days_mean) else "–",
            f"{t('reserve.col.gap')} B": ui.number(theirs.gap_days_mean, 1) if np.isfinite(theirs.gap_days_mean) else "–",
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(t("reserve.comparison.caption", a=a, b=b))


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


def _scenario(choices, key: str, catalog, settings: Settings):
    choice = next(c for c in choices if c.key == key)
    scenario = runs.parse_scenario_text(choice.text, f"{choice.key}.yaml", catalog)
    return with_staff(with_incidence(with_depot(scenario, settings.depot), settings.incidence), settings.staff)


def _downloads(result, settings: Settings) -> None:
    # the reports import fpdf (about 1 s): only when a document is made
    from ivp.application.reports import reserve_pdf, reserve_xlsx

    stem = f"ivp_reserve_{settings.inhabitants}_{settings.start:%Y}"
    c1, c2 = st.columns(2)
    c1.download_button(t("reserve.download_pdf"), data=lambda: reserve_pdf(result, lang=lang()),
                       file_name=f"{stem}.pdf", mime="application/pdf", icon=":material/picture_as_pdf:",
                       on_click="ignore", type="primary")
    c2.download_button(t("reserve.download_xlsx"), data=lambda: reserve_xlsx(result, lang=lang()),
                       file_name=f"{stem}.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/table_view:", on_click="ignore")


def render() -> None:
    st.title(t("reserve.title"))
    st.markdown(t("reserve.intro"))
    catalog = cache.effective_catalog()
    choices = runs.available_scenarios()
    with st.expander(t("reserve.settings"), expanded=REFUSED_KEY in st.session_state, icon=":material/tune:"):
        settings = _settings(choices, catalog)
        _caseload_status(catalog)
        _caseload_templates()
    if REFUSED_KEY in st.session_state:
        st.warning(t("reserve.refused"), icon="⚠️")
        ui.sources_section("reserve.sources")
        return
    current = st.session_state.get(CASELOAD_KEY)
    caseload = None
    if current is not None:
        try:
            caseload = _caseload(current[0], current[1], runs.catalog_key(catalog), catalog)
        except InputError:
            caseload = None  # shown in the settings above
    work = settings.inhabitants * settings.years * settings.replications * (2 if settings.compare else 1)
    if work > MAX_WORK:
        st.warning(t("reserve.too_large", n=ui.number(work), limit=ui.number(MAX_WORK)))
        ui.sources_section("reserve.sources")
        return
    result = None
    with ui.guard(t("reserve.title")):
        scenario = _scenario(choices, settings.scenario, catalog, settings)
        other = _scenario(choices, settings.compare, catalog, settings) if settings.compare else None
        assumptions = default_assumptions()
        if settings.write_off_years is not None:
            assumptions = assumptions.model_copy(update={"residual_useful_life_years": settings.write_off_years})
        key = ("reserve", settings, runs.scenario_key(scenario), runs.scenario_key(other) if other else "",
               runs.catalog_key(catalog), runs.digest(current) if current else "")
        result = runs.cached_run(key, lambda progress: run_reserve(
            settings.inhabitants, settings.years, scenario, caseload=caseload, compare_scenario=other,
            replications=settings.replications, seed=settings.seed, start=settings.start, catalog=catalog,
            assumptions=assumptions, progress=progress), t("reserve.computing", n=ui.number(settings.replications)))
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
            with ui.guard(t("reserve.kinds")):
                _cost_kinds(result)
            if result.comparison is not None:
                with ui.guard(t("reserve.comparison", a="A", b="B")):
                    _comparison(result)
            with ui.guard(t("reserve.chart.reserve")):
                _charts(result)
            with ui.guard(t("reserve.download_xlsx")):
                _downloads(result, settings)
    ui.sources_section("reserve.sources")


render()

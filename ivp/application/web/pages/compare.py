"""Protocol vs praktijk: the same simulated patients under two routes, side by side, with
the spread of every outcome over the replications."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from ivp import __version__
from ivp.application.comparison import COMPARISON_ROWS, comparison_csv
from ivp.application.reports import comparison_xlsx
from ivp.application.sensitivity import lever_label, sensitivity
from ivp.application.web import cache, charts, runs, state, ui
from ivp.application.web.i18n import lang, pick, t
from ivp.models.process import DEFAULT_SEED, replication_stats

SETTINGS_KEY = "compare.settings"
DEFAULT_PATIENTS = 100
MAX_PATIENTS = 2000
MAX_PATIENT_REPLICATIONS = 200_000
"""Patients x replications per route above which the page asks for less (about 40 s a route)."""
HEADLINE = ("gap_days_mean", "share_patients_gap_over_20wd", "delivered_after_death", "obsolete_on_arrival",
            "cost_eur_per_patient")
"""The outcomes shown as histograms at once (the issue's: gaps, share with gaps, after
death or obsolete, costs); the others are one choice away."""


def _default_replications() -> int:
    return state.settings().compare_replications


def _format(value: float, unit: str) -> str:
    if value is None or not np.isfinite(value):
        return "–"
    if unit == "share":
        return ui.percent(value, 1)
    if unit == "points":
        return ui.points(value, 1)
    if unit in ("euro", "europerpatient"):
        return ui.euro(value)
    if unit == "number0":
        return ui.number(value)
    return ui.number(value, 1)


def _settings(choices: list[runs.ScenarioChoice]) -> tuple[str, str, int, int, int]:
    keys = [c.key for c in choices]
    default = (keys[0], keys[1] if len(keys) > 1 else keys[0], DEFAULT_PATIENTS, _default_replications(), DEFAULT_SEED)
    current = st.session_state.get(SETTINGS_KEY, default)
    if current[0] not in keys or current[1] not in keys:
        current = default
    names = {c.key: c.name for c in choices}
    with st.expander(t("compare.settings"), icon=":material/tune:"):
        with st.form("compare.form", border=False):
            c1, c2 = st.columns(2)
            first = c1.selectbox(t("compare.first"), keys, index=keys.index(current[0]), format_func=names.get,
                                 key="compare.f.first")
            second = c2.selectbox(t("compare.second"), keys, index=keys.index(current[1]), format_func=names.get,
                                  key="compare.f.second")
            c1, c2, c3 = st.columns(3)
            patients = c1.number_input(t("compare.patients"), min_value=1, max_value=MAX_PATIENTS, value=current[2],
                                       step=50, help=t("compare.patients.help"), key="compare.f.patients")
            replications = c2.number_input(t("compare.replications"), min_value=2,
                                           max_value=state.settings().max_replications, value=current[3], step=50,
                                           key="compare.f.replications")
            seed = c3.number_input(t("plan.field.seed"), min_value=0, max_value=2**31 - 1, value=current[4], step=1,
                                   key="compare.f.seed")
            if st.form_submit_button(t("compare.submit"), type="primary", icon=":material/compare_arrows:"):
                current = (first, second, int(patients), int(replications), int(seed))
                st.session_state[SETTINGS_KEY] = current
    return current


def _labels():
    return [(metric, t(f"compare.metric.{metric}"), unit) for metric, _, unit in COMPARISON_ROWS]


def _headline(run: runs.CompareRun, names: list[str]) -> None:
    st.subheader(t("compare.headline"))
    records = {r["metric"]: r for r in run.records}
    rows = []
    for metric, label, unit in _labels():
        record = records[metric]
        row = {t("compare.col.metric"): label}
        for name, stats in zip(names, record["scenarios"]):
            row[name] = f"{_format(stats['mean'], unit)} ({_format(stats['p10'], unit)} – {_format(stats['p90'], unit)})"
        d = record.get("difference")
        if d is not None:
            kind = "points" if unit == "share" else unit  # a difference of shares in percentage points
            row[t("compare.col.difference")] = (
                f"{_format(d['mean'], kind)} ({_format(d['ci95_low'], kind)} – {_format(d['ci95_high'], kind)})"
            )
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", height=38 + 35 * len(rows))
    st.caption(t("compare.headline.caption"))
    share = records["share_patients_gap_over_20wd"]["scenarios"][0]["mean"]
    later = records["share_patients_gap_over_20wd_after_diagnosis"]["scenarios"][0]["mean"]
    st.info(t("compare.gap20.explained", name=ui.plain(names[0]), share=ui.percent(share), later=ui.percent(later)),
            icon=":material/help:")


def _compliance(run: runs.CompareRun, names: list[str]) -> None:
    """Per norm, the share of the requests it applies to that broke it, for both routes."""
    st.subheader(t("compare.compliance"))
    st.markdown(t("compare.compliance.intro"))
    by = {(r["scenario"], r["norm"]): r for r in run.compliance}
    rows = []
    for norm in dict.fromkeys(r["norm"] for r in run.compliance):
        first = by[(run.results[0].scenario.name, norm)]
        unit = t(f"unit.{first['unit']}")
        row = {t("compare.col.norm"): f"{t(f'norm.{norm}')} ({first['limit']} {unit})"}
        for name, result in zip(names, run.results):
            st_ = by[(result.scenario.name, norm)]["share_breached"]
            row[name] = (f"{_format(st_['mean'], 'share')} ({_format(st_['p10'], 'share')} – {_format(st_['p90'], 'share')})"
                         if np.isfinite(st_["mean"]) else "–")
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", height=38 + 35 * len(rows))
    st.caption(t("compare.compliance.caption"))


def _spread_one(run: runs.CompareRun, names: list[str], metric: str, label: str, unit: str, column,
                caption: str) -> None:
    values = list(zip(names, run.series[metric]))
    column.markdown(f"**{label}**")
    figure = charts.exportable(charts.spread(values, unit), label, caption)
    column.plotly_chart(figure, width="stretch", config=charts.export_config(f"{metric}"),
                        key=f"compare.spread.{metric}")
    lines = []
    for name, v in values:
        v = v[np.isfinite(v)]
        if len(v) == 0:
            continue
        stats = replication_stats(pd.Series(v))  # mean and its 95 % CI, as in the summaries
        p10, p90 = np.quantile(v, [0.1, 0.9])
        lines.append(t("compare.spread.stats", name=ui.plain(name), mean=_format(stats["mean"], unit),
                       low=_format(stats["ci95_low"], unit), high=_format(stats["ci95_high"], unit),
                       p10=_format(p10, unit), p90=_format(p90, unit)))
    column.caption("  \n".join(lines))


def _spread(run: runs.CompareRun, names: list[str], caption: str) -> None:
    st.subheader(t("compare.spread"))
    st.caption(t("compare.spread.caption"))
    labels = {metric: (label, unit) for metric, label, unit in _labels()}
    columns = st.columns(2)
    for index, metric in enumerate(HEADLINE):
        label, unit = labels[metric]
        _spread_one(run, names, metric, label, unit, columns[index % 2], caption)
    others = [m for m in labels if m not in HEADLINE]
    other = st.selectbox(t("compare.other"), others, format_func=lambda m: labels[m][0], key="compare.other")
    _spread_one(run, names, other, *labels[other], st.container(), caption)


def _per_provision(results, names: list[str], catalog, caption: str) -> None:
    st.subheader(t("compare.per_provision"))
    st.caption(t("compare.per_provision.caption"))
    label = {p.id: pick(p.name_nl, p.name_en) for p in catalog}
    parts = []
    for name, result in zip(names, results):
        s = result.summary
        part = s[(s["group"] == "provision") & (s["metric"] == "gap_days_mean")][["key", "mean", "p10", "p90"]].copy()
        part["scenario"] = name
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    if frame.empty:
        return
    order = frame.groupby("key")["mean"].max().sort_values(ascending=False).index
    frame["label"] = frame["key"].map(lambda k: label.get(k, k))
    frame["key"] = pd.Categorical(frame["key"], categories=order, ordered=True)
    frame = frame.sort_values(["key", "scenario"])
    st.plotly_chart(charts.exportable(charts.per_provision(frame, names, t("compare.chart.days")),
                                      t("compare.per_provision"), caption),
                    width="stretch", config=charts.export_config("per_provision"))


def _downloads(run: runs.CompareRun, names: list[str], seed: int) -> None:
    """The outcomes and the norms as Excel (numbers as numbers) and as CSV for Dutch spreadsheets."""
    stem = f"vergelijking-{run.results[0].scenario.policy}-{run.results[1].scenario.policy}-seed{seed}"
    caption = t("compare.download.caption", reps=ui.number(len(run.results[0].kpis["replication"].unique())), seed=seed)
    c1, c2 = st.columns(2)
    c1.download_button(t("compare.download_xlsx"), data=lambda: comparison_xlsx(run.results, names, caption=caption, lang=lang()),
                       file_name=f"{stem}.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/table_view:", on_click="ignore")
    c2.download_button(t("compare.download_csv"), data=lambda: comparison_csv(run.results, names, lang()),
                       file_name=f"{stem}.csv", mime="text/csv", icon=":material/download:", on_click="ignore")


SENSITIVITY_PATIENTS, SENSITIVITY_REPLICATIONS = 100, 50
"""The size of each run of the sensitivity analysis (about 5 s for a route's 30-40 variants)."""


def _sensitivity(scenarios: list, names: list[str], catalog, seed: int) -> None:
    """Which labelled assumption of a route moves its gap and its cost most (a tornado)."""
    st.subheader(t("compare.sensitivity"))
    st.markdown(t("compare.sensitivity.intro", patients=ui.number(SENSITIVITY_PATIENTS),
                  reps=ui.number(SENSITIVITY_REPLICATIONS)))
    index = st.radio(t("compare.sensitivity.route"), [0, 1], format_func=lambda i: names[i], horizontal=True,
                     key="compare.sensitivity.route")
    scenario = scenarios[index]
    key = ("sensitivity", runs.scenario_key(scenario), runs.catalog_key(catalog), SENSITIVITY_PATIENTS,
           SENSITIVITY_REPLICATIONS, seed)
    frame = runs.store().get(key)
    if frame is None:
        if not st.button(t("compare.sensitivity.run"), icon=":material/tune:", key="compare.sensitivity.run"):
            return
        frame = runs.cached_run(key, lambda progress: sensitivity(
            scenario, SENSITIVITY_PATIENTS, SENSITIVITY_REPLICATIONS, seed, catalog, progress=progress),
            t("compare.sensitivity.computing"))
    labels = {lever: lever_label(lever, lang()) for lever in frame["lever"].unique()}
    caption = t("compare.chart.caption", version=__version__, seed=seed, reps=ui.number(SENSITIVITY_REPLICATIONS),
                patients=ui.number(SENSITIVITY_PATIENTS), a=names[index], b=t("compare.sensitivity.low") + " / "
                + t("compare.sensitivity.high"))
    low, high = t("compare.sensitivity.low"), t("compare.sensitivity.high")
    left, right = st.columns(2)
    for column, metric, euro in ((left, "gap_days_mean", False), (right, "cost_eur_per_patient", True)):
        title = t(f"compare.metric.{metric}")
        figure = charts.tornado(frame[frame["metric"] == metric], labels, t("compare.sensitivity.change"), euro,
                                low, high)
        column.plotly_chart(charts.exportable(figure, f"{title}: {names[index]}", caption), width="stretch",
                            config=charts.export_config(f"sensitivity_{metric}"), key=f"compare.tornado.{metric}")
    st.caption(t("compare.sensitivity.caption"))


def render() -> None:
    st.title(t("compare.title"))
    st.markdown(t("compare.intro"))
    catalog = cache.effective_catalog()
    choices = runs.available_scenarios()
    first, second, patients, replications, seed = _settings(choices)
    if first == second:
        st.warning(t("compare.same"))
    if patients * replications > MAX_PATIENT_REPLICATIONS:
        st.warning(t("compare.too_large", n=ui.number(patients * replications), limit=ui.number(MAX_PATIENT_REPLICATIONS)))
        ui.sources_section("compare.sources")
        return
    by_key = {c.key: c for c in choices}
    run = None
    with ui.guard(t("compare.title")):
        scenarios = [runs.parse_scenario_text(by_key[k].text, f"{k}.yaml", catalog) for k in (first, second)]
        key = ("compare", *(runs.scenario_key(s) for s in scenarios), runs.catalog_key(catalog), patients,
               replications, seed)
        run = runs.cached_run(key, lambda progress: runs.run_compare(
            scenarios, patients, catalog, replications, seed, progress=progress),
            t("compare.computing", n=ui.number(replications)))
    if run is not None:
        names = [f"A: {run.results[0].scenario.title(lang())}", f"B: {run.results[1].scenario.title(lang())}"]
        st.caption(t("compare.computed", reps=ui.number(replications), patients=ui.number(patients),
                     seconds=ui.number(run.seconds, 1)))
        with ui.guard(t("compare.headline")):
            _headline(run, names)
        caption = t("compare.chart.caption", version=__version__, seed=seed, reps=ui.number(replications),
                    patients=ui.number(patients), a=names[0], b=names[1])
        with ui.guard(t("compare.spread")):
            _spread(run, names, caption)
        with ui.guard(t("compare.compliance")):
            _compliance(run, names)
        with ui.guard(t("compare.per_provision")):
            _per_provision(run.results, names, catalog, caption)
        with ui.guard(t("compare.sensitivity")):
            _sensitivity(scenarios, names, catalog, seed)
        with ui.guard(t("compare.downloads")):
            _downloads(run, names, seed)
    ui.sources_section("compare.sources")


render()

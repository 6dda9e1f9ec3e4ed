"""Plotly figures of the pages, in Dutch number and date format (or English).

Figures only draw what the libraries computed; the few statistics here (the share alive
over the simulated deaths, percentiles of a metric over replications) describe results,
they do not model anything.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ivp.application import palette
from ivp.application.web import ui
from ivp.application.web.i18n import lang, t
from ivp.domain.units import DAYS_PER_MONTH

NEED, NEED_START, DELIVERY, REQUEST = palette.NEED, palette.NEED_MEDIAN, palette.DELIVERY, palette.REQUEST_BY
WMO, ZVW, GREY, SCENARIO_COLOURS = palette.WMO, palette.ZVW, palette.GREY, palette.SCENARIOS


PERCENT_SUFFIX = {"nl": " %", "en": "%"}
"""Percent on an axis as the text writes it: "90 %" in Dutch, "90%" in English."""
EXPORT_SIZE = (1200, 700)
"""Width and height (px) of a chart saved with the camera button: large enough to print."""


def exportable(fig: go.Figure, title: str, caption: str) -> go.Figure:
    """The figure with its title and a caption (version, seed, routes, replications) in the
    image itself, so that a chart saved with Plotly's camera says what it shows."""
    fig.update_layout(title=dict(text=title, x=0.01, xanchor="left", y=0.985, yref="container", yanchor="top",
                                 font=dict(size=15), subtitle=dict(text=caption, font=dict(size=10, color=GREY))),
                      legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom"),
                      margin=dict(l=10, r=10, t=110, b=10), height=(fig.layout.height or 300) + 60)
    return fig


def export_config(name: str) -> dict:
    """Plotly's toolbar: no logo, and the camera saves a titled PNG of :data:`EXPORT_SIZE`."""
    width, height = EXPORT_SIZE
    return {"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": f"ivp_{name}",
                                                            "width": width, "height": height, "scale": 1}}


def _layout(fig: go.Figure, height: int, **kwargs) -> go.Figure:
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=40, b=10),
        separators=",." if lang() == "nl" else ".,",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        hoverlabel=dict(namelength=-1),
        template="plotly_white",
        **kwargs,
    )
    return fig


def _date_format() -> str:
    return "%d-%m-%Y" if lang() == "nl" else "%d %b %Y"


def _add_days(origin: dt.date, days: float) -> dt.date | None:
    if days is None or not np.isfinite(days):
        return None
    return origin + dt.timedelta(days=int(np.floor(days)))


def timeline(table: pd.DataFrame, delivery: pd.DataFrame, diagnosis: dt.date, survival_p50_months: float,
             names: dict[str, str], survival_p90_months: float = np.nan) -> go.Figure:
    """Gantt-style: per provision in the plan its need window, need-start spread, the
    request-by date, and the delivery (P10-P90 and median) that a request on that date gets
    under the route, so that the marks read in order: request, delivery, need."""
    rows = table[table["in_plan"]].merge(delivery, on="provision_id", how="left")
    rows = rows.iloc[::-1]  # earliest need at the top
    fig = go.Figure()
    label = [names.get(pid, pid) for pid in rows["provision_id"]]

    def segments(starts, ends):
        xs, ys = [], []
        for name, start, end in zip(label, starts, ends):
            if start is None or end is None or pd.isna(start) or pd.isna(end):
                continue
            xs += [start, end, None]
            ys += [name, name, None]
        return xs, ys

    need_end = [_add_days(diagnosis, d) for d in rows["need_end_p50"]]
    xs, ys = segments(list(rows["need_p50"]), need_end)
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=NEED, width=16), name=t("plan.chart.need"),
                             hoverinfo="skip"))
    xs, ys = segments(list(rows["need_p10"]), list(rows["need_p90"]))
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=NEED_START, width=2, dash="dot"),
                             name=t("plan.chart.need_start"), hoverinfo="skip"))
    # delivery when the request is made on the request-by date: that date plus the route's lead time
    request_day = [(r - diagnosis).days if r is not None and not pd.isna(r) else np.nan for r in rows["request_by"]]
    d10 = [_add_days(diagnosis, r + lead) for r, lead in zip(request_day, rows["lead_p10"])]
    d90 = [_add_days(diagnosis, r + lead) for r, lead in zip(request_day, rows["lead_p90"])]
    xs, ys = segments(d10, d90)
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=DELIVERY, width=5),
                             name=t("plan.chart.delivery"), hoverinfo="skip"))
    d50 = [_add_days(diagnosis, r + lead) for r, lead in zip(request_day, rows["lead_p50"])]
    hover = [
        f"<b>{name}</b><br>{t('plan.col.need')}: {ui.date(a)} / {ui.date(b)} / {ui.date(c)}"
        f"<br>{t('plan.chart.delivery')}: {ui.date(d)} – {ui.date(e)}"
        f"<br>{t('plan.col.request_by')}: {t('plan.now') if now else ui.date(r)}"
        for name, a, b, c, d, e, r, now in zip(label, rows["need_p10"], rows["need_p50"], rows["need_p90"], d10, d90,
                                               rows["request_by"], rows["request_now"])
    ]
    fig.add_trace(go.Scatter(x=d50, y=label, mode="markers", marker=dict(color=DELIVERY, size=9, line=dict(color="white", width=1)),
                             name=t("plan.chart.delivery_median"), text=hover, hovertemplate="%{text}<extra></extra>"))
    fig.add_trace(go.Scatter(x=list(rows["request_by"]), y=label, mode="markers",
                             marker=dict(color=REQUEST, size=11, symbol="diamond", line=dict(color="white", width=1)),
                             name=t("plan.chart.request_by"), text=hover, hovertemplate="%{text}<extra></extra>"))
    fig.add_vline(x=dt.datetime.combine(diagnosis, dt.time()).timestamp() * 1000, line=dict(color=GREY, dash="dash"),
                  annotation_text=t("plan.chart.diagnosis"), annotation_position="bottom right")
    if np.isfinite(survival_p50_months):
        median = _add_days(diagnosis, survival_p50_months * DAYS_PER_MONTH)
        fig.add_vline(x=dt.datetime.combine(median, dt.time()).timestamp() * 1000, line=dict(color=GREY, dash="dot"),
                      annotation_text=t("plan.chart.survival_median"), annotation_position="bottom right")
    # Show from just before the diagnosis to the last need end or delivery, but not far past
    # the P90 of survival (a rare very late course would squeeze everything else).
    shown = [d for d in [*rows["need_p90"], *need_end, *d90, *rows["request_by"]] if d is not None and not pd.isna(d)]
    last = max(shown) if shown else diagnosis + dt.timedelta(days=365)
    if np.isfinite(survival_p90_months):
        last = min(last, _add_days(diagnosis, 1.15 * survival_p90_months * DAYS_PER_MONTH))
    first = diagnosis - dt.timedelta(days=30)
    fig.update_xaxes(type="date", tickformat="%m-%Y", hoverformat=_date_format(), showgrid=True, side="top",
                     range=[first, last + dt.timedelta(days=30)])
    fig.update_yaxes(type="category", automargin=True)
    fig = _layout(fig, height=max(260, 28 * len(rows) + 140))
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.02, xanchor="left", x=0),
                      margin=dict(l=10, r=10, t=60, b=10))
    return fig


def survival(prognosis) -> go.Figure:
    """The personal survival curve (share still alive over months since diagnosis), with the
    periods in which the middle half (P25-P75) and 80 % (P10-P90) of the courses end."""
    q = prognosis.quantiles
    months, alive = np.asarray(prognosis.months, float), np.asarray(prognosis.survival, float)
    fig = go.Figure()
    for low, high, opacity in ((0.1, 0.9, 0.22), (0.25, 0.75, 0.3)):
        if np.isfinite(q.get(low, np.nan)) and np.isfinite(q.get(high, np.nan)):
            fig.add_vrect(x0=q[low], x1=q[high], fillcolor=NEED_START, opacity=opacity, line_width=0)
    fig.add_trace(go.Scatter(x=months, y=alive, mode="lines", line=dict(color=WMO, width=3),
                             name=t("plan.chart.share_alive"),
                             hovertemplate=("%{x:.0f} mnd: %{y:.0%}" if lang() == "nl" else "%{x:.0f} mo: %{y:.0%}")
                             + "<extra></extra>"))
    if np.isfinite(q.get(0.5, np.nan)):
        fig.add_vline(x=q[0.5], line=dict(color=GREY, dash="dot"), annotation_text=t("plan.chart.survival_median"),
                      annotation_position="bottom right")
    fig.update_yaxes(tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1.0],
                     ticktext=[ui.percent(v) for v in (0, 0.2, 0.4, 0.6, 0.8, 1.0)], range=[0, 1.02],
                     title=t("plan.chart.share_alive"))
    upper = q.get(0.9, np.nan)
    fig.update_xaxes(title=t("plan.chart.months"), range=[0, min(float(months.max()), 1.25 * upper if np.isfinite(upper) else 120)])
    return _layout(fig, 380, showlegend=False)


def budget_over_time(over_time: pd.DataFrame, financier_names: dict[str, str]) -> go.Figure:
    """Still reserved (mean with the P10-P90 band) and spent and released (cumulative means)
    per financier, up to the period after which nothing is reserved any more."""
    fig = go.Figure()
    measures = (("reserved", "plan.budget.reserved", "solid"), ("spent_total", "plan.budget.spent_total", "dash"),
                ("released_total", "plan.budget.released_total", "dot"))
    reserved = over_time[(over_time["measure"] == "reserved") & (over_time["p90"] > 0)]
    last = reserved["period"].max() if len(reserved) else over_time["period"].max()
    shown = over_time[over_time["period"] <= last]
    for financier, colour in (("wmo", WMO), ("zvw", ZVW)):
        for measure, key, dash in measures:
            part = shown[(shown["financier"] == financier) & (shown["measure"] == measure)].sort_values("period")
            if part.empty:
                continue
            name = f"{financier_names[financier]}: {t(key)}"
            if measure == "reserved":
                fig.add_trace(go.Scatter(x=list(part["period"]) + list(part["period"])[::-1],
                                         y=list(part["p90"]) + list(part["p10"])[::-1], fill="toself",
                                         fillcolor=colour, opacity=0.15, line=dict(width=0), hoverinfo="skip",
                                         showlegend=False, legendgroup=name))
            fig.add_trace(go.Scatter(x=part["period"], y=part["mean"], mode="lines", name=name, legendgroup=name,
                                     line=dict(color=colour, dash=dash, width=2),
                                     hovertemplate="%{x}: € %{y:,.0f}<extra>" + name + "</extra>"))
    fig.update_yaxes(tickprefix="€ ", tickformat=",.0f", rangemode="tozero")
    fig.update_xaxes(type="date", tickformat="%m-%Y", hoverformat=_date_format())
    return _layout(fig, 380)


def spread(values_by_scenario: list[tuple[str, np.ndarray]], unit: str) -> go.Figure:
    """Histograms over replications, one per scenario, with mean and P10/P90 lines (the same
    spread as the tables)."""
    fig = go.Figure()
    scale = 100.0 if unit == "share" else 1.0  # shares drawn in percent, with the language's % sign
    for index, (name, values) in enumerate(values_by_scenario):
        values = values[np.isfinite(values)] * scale
        if len(values) == 0:
            continue
        colour = SCENARIO_COLOURS[index % len(SCENARIO_COLOURS)]
        fig.add_trace(go.Histogram(x=values, name=name, marker_color=colour, opacity=0.55, nbinsx=30))
        mean = float(values.mean())
        p10, p90 = np.quantile(values, [0.1, 0.9])
        fig.add_vline(x=mean, line=dict(color=colour, width=3))
        for value in (p10, p90):
            fig.add_vline(x=float(value), line=dict(color=colour, width=1, dash="dash"))
    fig.update_layout(barmode="overlay")
    if unit == "share":
        fig.update_xaxes(ticksuffix=PERCENT_SUFFIX[lang()], tickformat=",.0f")
    elif unit == "euro":
        fig.update_xaxes(tickprefix="€ ", tickformat=",.0f")
    fig.update_yaxes(title=t("compare.chart.replications"))
    return _layout(fig, 300)


def per_provision(frame: pd.DataFrame, names: list[str], value_title: str) -> go.Figure:
    """Horizontal bars per provision and scenario: mean with the P10-P90 over replications."""
    fig = go.Figure()
    for index, name in enumerate(names):
        part = frame[frame["scenario"] == name]
        colour = SCENARIO_COLOURS[index % len(SCENARIO_COLOURS)]
        fig.add_trace(go.Bar(
            y=part["label"], x=part["mean"], orientation="h", name=name, marker_color=colour,
            error_x=dict(type="data", symmetric=False, array=(part["p90"] - part["mean"]).clip(lower=0),
                         arrayminus=(part["mean"] - part["p10"]).clip(lower=0), color=GREY, thickness=1),
        ))
    fig.update_layout(barmode="group")
    fig.update_xaxes(title=value_title, rangemode="tozero")
    fig.update_yaxes(type="category", automargin=True, autorange="reversed")
    return _layout(fig, max(320, 22 * frame["label"].nunique() * max(len(names), 1) + 120))


def per_year(frame: pd.DataFrame, series: list[tuple[str, str, str]], y_title: str, euro: bool = True) -> go.Figure:
    """Grouped bars per year: ``series`` = (column, label, colour); error bars from
    ``<column>_low`` / ``<column>_high`` when present."""
    fig = go.Figure()
    for column, label, colour in series:
        error = None
        if f"{column}_low" in frame and f"{column}_high" in frame:
            error = dict(type="data", symmetric=False, array=(frame[f"{column}_high"] - frame[column]).clip(lower=0),
                         arrayminus=(frame[column] - frame[f"{column}_low"]).clip(lower=0), color=GREY, thickness=1)
        fig.add_trace(go.Bar(x=frame["label"], y=frame[column], name=label, marker_color=colour, error_y=error))
    fig.update_layout(barmode="group")
    if euro:
        fig.update_yaxes(tickprefix="€ ", tickformat=",.0f")
    fig.update_yaxes(title=y_title, rangemode="tozero")
    fig.update_xaxes(type="category")
    return _layout(fig, 360)


def tornado(frame: pd.DataFrame, labels: dict[str, str], value_title: str, euro: bool, low_name: str,
            high_name: str, top: int = 12) -> go.Figure:
    """One metric's sensitivity: per lever the change against the base with the lever lower
    and higher (:func:`ivp.application.sensitivity.sensitivity`), the largest at the top."""
    part = frame[(frame[["low_change", "high_change"]].abs().max(axis=1) > 1e-9)].head(top).iloc[::-1]
    y = [labels.get(lever, lever) for lever in part["lever"]]
    fig = go.Figure()
    for column, name, colour in (("low_change", low_name, SCENARIO_COLOURS[0]),
                                 ("high_change", high_name, SCENARIO_COLOURS[1])):
        fig.add_trace(go.Bar(y=y, x=part[column], orientation="h", name=name, marker_color=colour))
    fig.update_layout(barmode="overlay")
    fig.add_vline(x=0, line=dict(color=GREY, width=1))
    if euro:
        fig.update_xaxes(tickprefix="€ ", tickformat=",.0f")
    fig.update_xaxes(title=value_title)
    fig.update_yaxes(automargin=True)
    return _layout(fig, max(260, 34 * len(part) + 120))

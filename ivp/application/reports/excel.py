"""Excel exports (xlsxwriter): one sheet per view, Dutch headers, euros as numbers.

Amounts are written as numbers with a euro number format (Excel shows them with the
reader's own separators); dates as Excel dates (dd-mm-jjjj); shares as percentages. So a
municipality can add, filter and chart them without retyping anything.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd
import xlsxwriter

from ivp.application.caseload import OPTIONAL, REQUIRED
from ivp.application.comparison import comparison_table, compliance_table
from ivp.application.followup import BUDGET_COLUMNS as FOLLOWUP_BUDGET
from ivp.application.formatting import format_date, format_number
from ivp.application.labels import MEASURES, assumption_rows, profile_rows, why_not, word, yes_no
from ivp.domain.assumptions import load_assumptions_with_notes
from ivp.domain.catalog import FINANCIERS
from ivp.domain.messages import Lang, text

EURO = '€ #,##0;€ -#,##0'
DATE = "dd-mm-yyyy"
PERCENT = "0%"
NUMBER1 = "#,##0.0"


class _Book:
    def __init__(self, target):

        self.book = xlsxwriter.Workbook(target, {"in_memory": True, "nan_inf_to_errors": False})
        self.formats = {
            "header": self.book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1}),
            "euro": self.book.add_format({"num_format": EURO}),
            "date": self.book.add_format({"num_format": DATE}),
            "percent": self.book.add_format({"num_format": PERCENT}),
            "percent1": self.book.add_format({"num_format": "0.0%"}),
            "number1": self.book.add_format({"num_format": NUMBER1}),
            "number0": self.book.add_format({"num_format": "#,##0"}),
            "year": self.book.add_format({"num_format": "0"}),
            "text": None,
            "title": self.book.add_format({"bold": True, "font_size": 13}),
            "wrap": self.book.add_format({"text_wrap": True, "valign": "top"}),
        }

    def sheet(self, name: str, columns: list[tuple[str, str, int]], rows: list[list], title: str | None = None,
              row_kinds: list[str] | None = None):
        """``columns``: (header, kind, width); kinds: euro, date, percent, percent1, number0,
        number1, year (a whole number without grouping), text, wrap. ``row_kinds``: per row,
        the kind of its values in the ``number1`` columns, where a row rather than a column
        has one unit (a table of outcomes or metrics)."""
        ws = self.book.add_worksheet(name[:31])
        top = 0
        if title:
            ws.write(0, 0, title, self.formats["title"])
            top = 2
        for j, (header, kind, width) in enumerate(columns):
            ws.write(top, j, header, self.formats["header"])
            ws.set_column(j, j, width, self.formats.get(kind))
        for i, row in enumerate(rows, start=top + 1):
            for j, value in enumerate(row):
                kind = columns[j][1]
                if row_kinds is not None and kind == "number1":  # the row's own unit for its values
                    kind = row_kinds[i - top - 1]
                fmt = self.formats.get(kind)
                if value is None or (isinstance(value, float) and not np.isfinite(value)):
                    ws.write_blank(i, j, None, fmt)
                elif kind == "date":
                    ws.write_datetime(i, j, dt.datetime.combine(pd.Timestamp(value).date(), dt.time()), fmt)
                elif isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
                    ws.write_number(i, j, float(value), fmt)
                else:
                    ws.write_string(i, j, str(value), fmt)
        ws.freeze_panes(top + 1, 0)
        if rows:
            ws.autofilter(top, 0, top + len(rows), len(columns) - 1)
        return ws

    def close(self):
        self.book.close()


def _result(buffer: io.BytesIO | None, target):
    """The bytes (no target), the file object written to, or the path."""
    if buffer is None:
        return Path(target)
    data = buffer.getvalue()
    if target is None:
        return data
    target.write(data)
    return target


def _assumption_sheet(book: "_Book", notes, lang: Lang) -> None:
    """The budget's assumptions: label, value and explanation in ``lang``; the full
    rationale and source as the assumptions file gives them (English)."""
    say = _words(lang)
    rows = [[label, n.field, value, why, n.rationale, n.source]
            for (label, value, why), n in zip(assumption_rows(notes, lang), notes)]
    book.sheet(say("xlsx.sheet.assumptions"), [(say("xlsx.col.assumption"), "wrap", 30), (say("xlsx.col.field"), "text", 26),
                                        (say("xlsx.col.value"), "text", 12), (say("xlsx.col.why"), "wrap", 60),
                                        (say("xlsx.col.rationale"), "wrap", 80), (say("xlsx.col.source"), "wrap", 40)], rows)


def _words(lang: Lang):
    """``say(key, **values)``: the catalogue's text in ``lang``."""
    return lambda key, **values: text(key, lang, **values)


PLAN_COLUMNS = (
    ("provision", "text", 30), ("id", "text", 22), ("financier", "text", 9), ("reuse", "text", 14),
    ("cost", "euro", 11), ("catalogue_cost", "euro", 12), ("price_year", "year", 8), ("acquisition", "text", 9),
    ("in_plan", "text", 8), ("why_not", "text", 30), ("need_probability", "percent", 10),
    ("uptake_probability", "percent", 11), ("probability", "percent", 12), ("need_p10", "date", 12),
    ("need_p50", "date", 14), ("need_p90", "date", 12), ("lead_time", "number0", 16), ("request_by", "date", 13),
    ("request_now", "text", 10), ("expected_cost", "euro", 14), ("on_time", "percent", 10), ("gap", "number1", 11),
)
BUDGET_COLUMNS = (
    ("financier", "text", 9), ("reuse", "text", 14), ("earmarked", "euro", 16), ("expected_cost", "euro", 14),
    ("spent_mean", "euro", 14), ("spent_p90", "euro", 12), ("spent_purchase_mean", "euro", 12),
    ("spent_rent_mean", "euro", 12), ("spent_maintenance_mean", "euro", 12), ("own_contribution_mean", "euro", 12),
    ("net_mean", "euro", 12), ("catalogue_max", "euro", 12),
    ("catalogue_lower", "euro", 12), ("protocol_low", "euro", 12), ("protocol_high", "euro", 12), ("source", "wrap", 60),
)


def plan_xlsx(plan, target: str | Path | IO[bytes] | None = None, profile_name: str = "", lang: Lang = "nl") -> bytes | Path:
    """Write a plan as an Excel workbook in ``lang``; returns the path, or the bytes when
    ``target`` is None (for downloads in the app). Numbers, shares and dates are cells of
    their kind, so a municipality can compute with them."""
    buffer = io.BytesIO() if target is None or hasattr(target, "write") else None
    book = _Book(buffer if buffer is not None else str(target))
    say = _words(lang)
    t = plan.table
    name_of = "name_en" if lang == "en" else "name_nl"
    rows = [[getattr(r, name_of), r.provision_id, word("financier_short", r.financier, lang), word("reuse", r.reuse, lang),
             r.cost_eur, r.catalogue_cost_eur, r.price_year, text(f"acquisition.{r.acquisition}", lang), yes_no(r.in_plan, lang), why_not(r.not_in_plan, plan.assumptions, lang) if r.not_in_plan else "",
             r.need_probability, r.uptake_probability, r.probability, r.need_p10, r.need_p50, r.need_p90,
             r.lead_time_days, r.request_by, yes_no(r.request_now, lang), r.expected_cost_eur, r.on_time_share,
             r.mean_gap_days] for r in t.itertuples()]
    book.sheet(say("xlsx.sheet.plan"), [(say(f"xlsx.plan.{key}", lead=round(plan.assumptions.request_by_lead_time_quantile * 100)),
                                  kind, width) for key, kind, width in PLAN_COLUMNS], rows,
               title=say("xlsx.plan.title", name=profile_name, date=format_date(plan.diagnosis_date, lang),
                       scenario=plan.scenario_title(lang), n=format_number(plan.n_replications, lang)))
    book.sheet(say("xlsx.sheet.budget"), [(say(f"xlsx.budget.{key}"), kind, width) for key, kind, width in BUDGET_COLUMNS],
               [[word("financier_short", r.financier, lang),
                 text("doc.total", lang) if r.reuse == "totaal" else word("reuse", r.reuse, lang), r.earmarked_eur,
                 r.expected_cost_eur, r.spent_mean_eur, r.spent_p90_eur, r.spent_purchase_mean_eur, r.spent_rent_mean_eur,
                 r.spent_maintenance_mean_eur, r.own_contribution_mean_eur, r.net_mean_eur,
                 r.catalogue_max_eur, r.catalogue_lower_eur,
                 r.protocol_low_eur, r.protocol_high_eur, r.protocol_source] for r in plan.budget.itertuples()])
    wide = plan.over_time.pivot_table(index=["period", "financier"], columns="measure", values="mean").reset_index()
    measures = [m for m in MEASURES if m in wide.columns]
    financier = lambda f: word("financier_short", f, lang) if f in FINANCIERS else text("xlsx.all", lang)  # noqa: E731
    book.sheet(say("xlsx.sheet.over_time"), [(say("xlsx.col.period"), "date", 13), (say("xlsx.col.financier"), "text", 9)]
               + [(text(f"measure.{m}", lang), "number0" if m == "depot_returned" else "euro", 14) for m in measures],
               [[r["period"], financier(r["financier"]), *[r[m] for m in measures]]
                for r in wide.to_dict(orient="records")], title=say("xlsx.over_time.title"))
    spread = plan.over_time[plan.over_time["measure"].isin(["reserved", "spent_total", "released_total"])]
    book.sheet(say("xlsx.sheet.spread"), [(say("xlsx.col.period"), "date", 13), (say("xlsx.col.financier"), "text", 9),
                                   (say("xlsx.col.measure"), "text", 24), (say("xlsx.col.mean"), "euro", 13), ("P10", "euro", 13),
                                   ("P50", "euro", 13), ("P90", "euro", 13)],
               [[r.period, financier(r.financier), text(f"measure.{r.measure}", lang), r.mean, r.p10, r.p50, r.p90]
                for r in spread.itertuples()])
    book.sheet(say("xlsx.sheet.profile"), [(say("xlsx.col.item"), "text", 40), (say("xlsx.col.value"), "text", 24)],
               [list(row) for row in profile_rows(plan.profile, lang)])
    if plan.followup is not None:
        _followup_sheet(book, plan, lang)
    _assumption_sheet(book, plan.notes, lang)
    book.close()
    return _result(buffer, target)


FOLLOWUP_COLUMNS = (
    ("name", "text", 32), ("id", "text", 22), ("financier", "text", 8), ("cost", "euro", 12), ("before", "text", 18),
    ("after", "text", 18), ("probability_before", "percent", 11), ("probability_after", "percent", 11),
    ("need_before", "date", 12), ("need_after", "date", 12), ("request_by_before", "date", 12),
    ("request_by_after", "date", 12), ("request_now", "text", 8), ("budget", "text", 18),
)


def _followup_sheet(book: "_Book", plan, lang: Lang) -> None:
    """What the follow-up visits changed: per provision, then the earmark's fate."""
    f, say = plan.followup, _words(lang)
    name_of = "name_en" if lang == "en" else "name_nl"
    status = lambda code: text(f"followup.status.{code}", lang)  # noqa: E731
    rows = [[getattr(r, name_of), r.provision_id, word("financier_short", r.financier, lang), r.cost_eur,
             status(r.status_before), status(r.status_after), r.probability_before, r.probability_after,
             r.need_p50_before, r.need_p50_after, r.request_by_before, r.request_by_after, yes_no(r.request_now, lang),
             text(f"followup.budget.{r.budget}", lang) if r.budget else ""] for r in f.changes.itertuples()]
    book.sheet(say("xlsx.sheet.followup"), [(say(f"xlsx.followup.{key}"), kind, width) for key, kind, width in FOLLOWUP_COLUMNS],
               rows, title=say("xlsx.followup.title", as_of=format_date(f.as_of, lang),
                               previous=format_date(f.previous_as_of, lang),
                               effective=format_number(f.effective_courses, lang), pool=format_number(f.pool_courses, lang)))
    book.sheet(say("xlsx.sheet.followup_budget"),
               [(say("xlsx.col.financier"), "text", 9)]
               + [(say(f"xlsx.followup.budget.{c}"), "euro", 15) for c in FOLLOWUP_BUDGET[1:]],
               [[word("financier_short", r.financier, lang) if r.financier in FINANCIERS else text("doc.total", lang),
                 *[getattr(r, c) for c in FOLLOWUP_BUDGET[1:]]] for r in f.budget.itertuples()],
               title=say("xlsx.followup.budget"))



RESERVE_COLUMNS = (
    ("year", "year", 8), ("start", "date", 12), ("new_clients_mean", "number1", 11),
    ("active_clients_mean", "number1", 11), ("deaths_mean", "number1", 10), ("wmo_outlay_p50", "euro", 13),
    ("wmo_outlay_p90", "euro", 13), ("wmo_outlay_p95", "euro", 13), ("wmo_reserve", "euro", 14),
    ("wmo_earmarked_p50", "euro", 14), ("wmo_reserved_end_p50", "euro", 14), ("wmo_released_p50", "euro", 13),
    ("wmo_depot_reissues_mean", "number1", 12), ("wmo_depot_savings_p50", "euro", 13),
    ("wmo_depot_return_value_p50", "euro", 13), ("wmo_depot_stock_end_mean", "number1", 12),
    ("zvw_outlay_p50", "euro", 13), ("zvw_outlay_p90", "euro", 13), ("zvw_depot_savings_p50", "euro", 13),
    ("gap_days_mean", "number1", 12), ("share_gap_over_20wd_mean", "percent", 12),
    *[(f"{f}_{m}_mean", "euro", 13) for f in ("wmo", "zvw")
      for m in ("outlay_purchase", "outlay_rent", "outlay_maintenance", "outlay")],
    ("wmo_own_contribution_mean", "euro", 13), ("wmo_net_outlay_mean", "euro", 13),
    ("wlz_entries_mean", "number1", 11), ("moves_mean", "number1", 11),
)
"""The reserve's yearly table (``ReserveResult.table``) as Excel columns: (column, kind, width)."""
MONEY_METRICS = {"outlay", "outlay_purchase", "outlay_rent", "outlay_maintenance", "own_contribution", "net_outlay",
                 "earmarked", "released", "reserved_end", "depot_savings", "depot_return_value"}


def _metric_kind(metric: str) -> str:
    return "euro" if metric in MONEY_METRICS else "percent" if metric.startswith("share") else "number1"


def _year_value(year, lang: Lang):
    """A horizon year as a number (2027), the horizon's total as a word."""
    return text("xlsx.total", lang) if str(year) in ("totaal", "-1") else int(year)


def reserve_xlsx(result, target: str | Path | IO[bytes] | None = None, notes=None, lang: Lang = "nl") -> bytes | Path:
    """Write a reserve result as an Excel workbook in ``lang`` (bytes when ``target`` is
    None): years as numbers, euros as euros, shares as percentages."""
    buffer = io.BytesIO() if target is None or hasattr(target, "write") else None
    book = _Book(buffer if buffer is not None else str(target))
    say = _words(lang)
    pct = round(result.reserve_percentile * 100)

    def year_sheet(name, r):
        book.sheet(name, [(say(f"xlsx.reserve.{key}", pct=pct), kind, width) for key, kind, width in RESERVE_COLUMNS],
                   [[_year_value(row.year, lang), *[getattr(row, key) for key, _, _ in RESERVE_COLUMNS[1:]]]
                    for row in r.table.itertuples()],
                   title=say("xlsx.reserve.title", inhabitants=format_number(r.inhabitants, lang), years=r.years,
                           start=format_date(r.start, lang), scenario=r.scenario_title(lang),
                           n=format_number(r.replications, lang)))

    year_sheet(say("xlsx.sheet.reserve"), result)
    first_year = int(np.datetime64(result.start, "Y").astype(int) + 1970)
    financier = lambda f: word("financier_short", f, lang) if f in FINANCIERS else text("xlsx.all", lang)  # noqa: E731
    summary = list(result.summary.itertuples())
    book.sheet(say("xlsx.sheet.summary"), [(say("xlsx.col.year"), "year", 8), (say("xlsx.col.financier"), "text", 9),
                                    (say("xlsx.col.measure"), "text", 46), (say("xlsx.col.mean"), "number1", 13),
                                    ("P50", "number1", 13), ("P90", "number1", 13), ("P95", "number1", 13)],
               [[text("xlsx.total", lang) if row.year == -1 else first_year + int(row.year), financier(row.financier),
                 text(f"metric.{row.metric}", lang), row.mean, row.p50, row.p90, row.p95] for row in summary],
               row_kinds=[_metric_kind(row.metric) for row in summary])
    if result.comparison is not None:
        year_sheet(say("xlsx.sheet.comparison"), result.comparison)
    if len(result.kpis):
        wide = result.kpis.pivot_table(index=["replication", "year"], columns=["financier", "metric"], values="value")
        metrics = list(wide.columns)
        wide = wide.reset_index()
        cols = [(say("xlsx.col.replication"), "number0", 10), (say("xlsx.col.year"), "year", 10)]
        cols += [(f"{financier(f)}: {text(f'metric.{m}', lang)}", _metric_kind(m), 14) for f, m in metrics]
        rows = [[int(r[0]), first_year + int(r[1]), *r[2:]] for r in wide.to_numpy().tolist()]
        book.sheet(say("xlsx.sheet.replications"), cols, rows)
    _assumption_sheet(book, notes or load_assumptions_with_notes()[1], lang)
    book.close()
    return _result(buffer, target)


COMPARISON_KIND = {"share": "percent1", "euro": "euro", "europerpatient": "euro", "number0": "number0"}
"""Excel number format per comparison unit (:data:`ivp.application.comparison.COMPARISON_ROWS`);
counts per 100 patients, per patient and days with one decimal."""


def _frame_sheet(book: _Book, name: str, frame: pd.DataFrame, kinds: dict[str, str], title: str,
                 row_kinds: list[str] | None = None) -> None:
    """A sheet of ``frame``'s columns; ``kinds`` gives (kind, width) by column name, other
    columns hold numbers (with one decimal, or in their row's kind of ``row_kinds``)."""
    columns = [(c, *kinds.get(c, ("number1", 13))) for c in frame.columns]
    book.sheet(name, columns, frame.to_numpy(dtype=object).tolist(), title=title, row_kinds=row_kinds)


def comparison_xlsx(results, names: list[str], target: str | Path | IO[bytes] | None = None,
                    caption: str = "", lang: Lang = "nl") -> bytes | Path:
    """Write a comparison of routes (``ivp simulate --xlsx``, the app's comparison page) as an
    Excel workbook in ``lang``: the headline outcomes (:func:`~ivp.application.comparison.comparison_table`,
    each row in its own unit: shares as percentages, euros, counts), the compliance with every
    norm (:func:`~ivp.application.comparison.compliance_table`) and the routes. ``caption``
    (replications, seed) follows each sheet's title."""
    buffer = io.BytesIO() if target is None or hasattr(target, "write") else None
    book = _Book(buffer if buffer is not None else str(target))
    say = _words(lang)
    outcomes = comparison_table(results, names, lang)
    row_kinds = [COMPARISON_KIND.get(u, "number1") for u in outcomes.pop("unit")]
    _frame_sheet(book, say("xlsx.cmp.sheet.outcomes"), outcomes, {say("xlsx.cmp.outcome"): ("text", 52)},
                 f"{say('xlsx.cmp.outcomes.title')} {caption}".strip(), row_kinds)
    norms = compliance_table(results, names, lang)
    kinds = {say("xlsx.cmp.norm"): ("text", 46), say("xlsx.cmp.limit"): ("number0", 7), say("xlsx.cmp.unit"): ("text", 10)}
    kinds.update({c: ("percent1", 13) for c in norms.columns if c.endswith((say("xlsx.cmp.breached"), "P10", "P90"))})
    _frame_sheet(book, say("xlsx.cmp.sheet.norms"), norms, kinds, f"{say('xlsx.cmp.norms.title')} {caption}".strip())
    book.sheet(say("xlsx.cmp.sheet.routes"), [(say("xlsx.cmp.route"), "text", 40), (say("xlsx.cmp.route_name"), "text", 40),
                                   (say("xlsx.cmp.policy"), "text", 18), (say("xlsx.cmp.description"), "wrap", 90)],
               [[label, r.scenario.title(lang), r.scenario.policy, r.scenario.summary(lang)] for label, r in zip(names, results)])
    book.close()
    return _result(buffer, target)


def caseload_template_xlsx(lang: Lang = "nl") -> bytes:
    """An Excel template for a municipality's current clients (``ivp reserve --caseload``,
    the Gemeente page): the columns of :mod:`ivp.application.caseload` with one example row
    to overwrite, dates as dates, and a sheet that explains each column."""
    buffer = io.BytesIO()
    book = _Book(buffer)
    columns = [*REQUIRED, *OPTIONAL]
    example = {"client_id": "WMO-2025-001", "diagnosis_date": dt.date(2025, 3, 14), "count": 1,
               "provisions_in_use": "traplift;spalken", "age_at_onset": 63, "onset_site": "benen" if lang == "nl" else "legs",
               "lives_alone": "nee" if lang == "nl" else "no"}
    book.sheet(text("xlsx.caseload.sheet", lang), [(c, "date" if c == "diagnosis_date" else "text", 18) for c in columns],
               [[example.get(c) for c in columns]])
    book.sheet(text("xlsx.caseload.help_sheet", lang), [(text("xlsx.col.field", lang), "text", 32),
                                                        (text("xlsx.col.why", lang), "wrap", 100)],
               [[c, text(f"xlsx.caseload.col.{c}", lang) if c in CASELOAD_HELP else text(f"plan.field.{c}", lang)]
                for c in columns])
    book.close()
    return buffer.getvalue()


CASELOAD_HELP = ("client_id", "diagnosis_date", "count", "provisions_in_use", "onset_site")
"""Caseload columns with their own explanation; the profile's other fields are explained by
their form label."""

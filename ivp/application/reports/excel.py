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

from ivp.application.comparison import comparison_table, compliance_table
from ivp.application.reports.labels import (
    ASSUMPTION_NL,
    FINANCIER_NL,
    MEASURE_NL,
    METRIC_NL,
    REUSE_NL,
    profile_rows,
    yes_no,
)
from ivp.domain.assumptions import load_assumptions_with_notes

WHY_NOT_NL = {"home": "geldt niet voor deze woning", "not_needed": "in geen beloop nodig"}
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
            "text": None,
            "title": self.book.add_format({"bold": True, "font_size": 13}),
            "wrap": self.book.add_format({"text_wrap": True, "valign": "top"}),
        }

    def sheet(self, name: str, columns: list[tuple[str, str, int]], rows: list[list], title: str | None = None,
              row_kinds: list[str] | None = None):
        """``columns``: (Dutch header, kind, width); kinds: euro, date, percent, percent1,
        number0, number1, text, wrap. ``row_kinds``: per row, the kind of its numbers where
        a row rather than a column has one unit (a table of outcomes)."""
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
                if row_kinds is not None and isinstance(value, (int, float, np.integer, np.floating)):
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


def _assumption_rows(notes) -> list[list]:
    return [[ASSUMPTION_NL.get(n.field, n.field), n.field, str(n.value), n.rationale, n.source] for n in notes]


ASSUMPTION_COLUMNS = [("Aanname", "wrap", 34), ("Veld", "text", 26), ("Waarde", "text", 10),
                      ("Onderbouwing", "wrap", 90), ("Bron", "wrap", 40)]


def plan_xlsx(plan, target: str | Path | IO[bytes] | None = None, profile_name: str = "") -> bytes | Path:
    """Write a plan as an Excel workbook; returns the path, or the bytes when ``target`` is
    None (for downloads in the app)."""
    buffer = io.BytesIO() if target is None or hasattr(target, "write") else None
    book = _Book(buffer if buffer is not None else str(target))
    t = plan.table
    book.sheet("Plan", [
        ("Voorziening", "text", 30), ("Id", "text", 22), ("Financier", "text", 9), ("Herinzetbaar", "text", 14),
        ("Kosten", "euro", 11), ("In plan", "text", 8), ("Waarom niet in plan", "text", 22),
        ("Kans nodig", "percent", 10), ("Kans gebruikt (als nodig)", "percent", 11), ("Kans aanvraag (nodig × gebruikt)", "percent", 12),
        ("Nodig vanaf P10", "date", 12), ("Nodig vanaf P50 (verwacht)", "date", 14), ("Nodig vanaf P90", "date", 12),
        ("Doorlooptijd melding–levering P80 (dagen)", "number0", 16), ("Aanvragen uiterlijk", "date", 13),
        ("Direct aanvragen", "text", 10), ("Verwachte kosten (kans aanvraag × kosten)", "euro", 14),
        ("Op tijd geleverd", "percent", 10), ("Gat gemiddeld (dagen)", "number1", 11),
    ], [[r.name_nl, r.provision_id, FINANCIER_NL[r.financier], REUSE_NL[r.reuse], r.cost_eur, yes_no(r.in_plan),
         WHY_NOT_NL.get(r.not_in_plan, ""), r.need_probability, r.uptake_probability, r.probability, r.need_p10, r.need_p50, r.need_p90, r.lead_time_days, r.request_by,
         yes_no(r.request_now), r.expected_cost_eur, r.on_time_share, r.mean_gap_days] for r in t.itertuples()],
        title=f"Integraal Voorzieningen Plan {profile_name} — diagnose {plan.diagnosis_date:%d-%m-%Y}, "
              f"scenario {plan.scenario_name}, {plan.n_replications} beloopen")
    book.sheet("Budget", [
        ("Financier", "text", 9), ("Herinzetbaar", "text", 14), ("Oormerk plan (maximale verplichting)", "euro", 16),
        ("Verwacht (kans aanvraag × kosten)", "euro", 14), ("Uitgaven gemiddeld (simulatie)", "euro", 14),
        ("Uitgaven P90", "euro", 12), ("Catalogus maximum", "euro", 12), ("Catalogus ondergrens", "euro", 12),
        ("Protocol laag", "euro", 12), ("Protocol hoog", "euro", 12), ("Bron", "wrap", 60),
    ], [[FINANCIER_NL[r.financier], REUSE_NL[r.reuse], r.earmarked_eur, r.expected_cost_eur, r.spent_mean_eur,
         r.spent_p90_eur, r.catalogue_max_eur, r.catalogue_lower_eur, r.protocol_low_eur, r.protocol_high_eur,
         r.protocol_source] for r in plan.budget.itertuples()])
    wide = plan.over_time.pivot_table(index=["period", "financier"], columns="measure", values="mean").reset_index()
    measures = [m for m in MEASURE_NL if m in wide.columns]
    book.sheet("Budget in de tijd", [("Periode (begin)", "date", 13), ("Financier", "text", 9)]
               + [(MEASURE_NL[m], "number0" if m == "depot_returned" else "euro", 14) for m in measures],
               [[r["period"], FINANCIER_NL.get(r["financier"], r["financier"]), *[r[m] for m in measures]]
                for r in wide.to_dict(orient="records")],
               title="Gemiddeld over de beloopen; standen aan het eind van de periode")
    spread = plan.over_time[plan.over_time["measure"].isin(["reserved", "spent_total", "released_total"])]
    book.sheet("Spreiding", [("Periode (begin)", "date", 13), ("Financier", "text", 9), ("Grootheid", "text", 24),
                             ("Gemiddeld", "euro", 13), ("P10", "euro", 13), ("P50", "euro", 13), ("P90", "euro", 13)],
               [[r.period, FINANCIER_NL.get(r.financier, r.financier), MEASURE_NL[r.measure], r.mean, r.p10, r.p50,
                 r.p90] for r in spread.itertuples()])
    book.sheet("Cliëntprofiel", [("Gegeven", "text", 40), ("Waarde", "text", 24)],
               [list(row) for row in profile_rows(plan.profile)])
    book.sheet("Aannames", ASSUMPTION_COLUMNS, _assumption_rows(plan.notes))
    book.close()
    return _result(buffer, target)


def reserve_xlsx(result, target: str | Path | IO[bytes] | None = None, notes=None) -> bytes | Path:
    """Write a reserve result as an Excel workbook (bytes when ``target`` is None)."""

    buffer = io.BytesIO() if target is None or hasattr(target, "write") else None
    book = _Book(buffer if buffer is not None else str(target))
    pct = round(result.reserve_percentile * 100)

    def year_sheet(name, r):
        book.sheet(name, [
            ("Jaar", "text", 8), ("Begin", "date", 12), ("Nieuwe cliënten (gem.)", "number1", 11),
            ("Cliënten in zorg (gem.)", "number1", 11), ("Overleden (gem.)", "number1", 10),
            ("Wmo-uitgaven P50", "euro", 13), ("Wmo-uitgaven P90", "euro", 13), ("Wmo-uitgaven P95", "euro", 13),
            (f"Reserve (P{pct} van de jaaruitgaven)", "euro", 14), ("Geoormerkt in jaar P50", "euro", 14),
            ("Nog geoormerkt eind jaar P50", "euro", 14), ("Vrijgevallen P50", "euro", 13),
            ("Depot: hergebruikt (gem. aantal)", "number1", 12), ("Depot: besparing P50", "euro", 13),
            ("Depot: restwaarde terug P50", "euro", 13), ("Depot: voorraad eind jaar (gem.)", "number1", 12),
            ("Zvw-uitgaven P50", "euro", 13), ("Zvw-uitgaven P90", "euro", 13),
            ("Zvw depot: besparing P50", "euro", 13), ("Gat gemiddeld (dagen per aanvraag)", "number1", 12),
            ("Aanvragen met gat > 20 werkdagen", "percent", 12),
        ], [[row.year, row.start, row.new_clients_mean, row.active_clients_mean, row.deaths_mean, row.wmo_outlay_p50,
             row.wmo_outlay_p90, row.wmo_outlay_p95, row.wmo_reserve, row.wmo_earmarked_p50, row.wmo_reserved_end_p50,
             row.wmo_released_p50, row.wmo_depot_reissues_mean, row.wmo_depot_savings_p50,
             row.wmo_depot_return_value_p50, row.wmo_depot_stock_end_mean, row.zvw_outlay_p50, row.zvw_outlay_p90, row.zvw_depot_savings_p50,
             row.gap_days_mean, row.share_gap_over_20wd_mean] for row in r.table.itertuples()],
            title=f"{r.inhabitants:,} inwoners, {r.years} jaar vanaf {r.start:%d-%m-%Y}, scenario {r.scenario_name}, "
                  f"{r.replications} replicaties".replace(",", "."))

    year_sheet("Reserve per jaar", result)
    money = {"outlay", "earmarked", "released", "reserved_end", "depot_savings", "depot_return_value"}  # in euros
    rows = []
    for row in result.summary.itertuples():
        year = "totaal" if row.year == -1 else str(np.datetime64(result.start, "Y").astype(int) + 1970 + row.year)
        rows.append([year, FINANCIER_NL.get(row.financier, "alle"), METRIC_NL.get(row.metric, row.metric),
                     row.metric in money, row.mean, row.p50, row.p90, row.p95])
    book.sheet("Samenvatting", [("Jaar", "text", 8), ("Financier", "text", 9), ("Grootheid", "text", 46),
                                ("In euro", "text", 7), ("Gemiddeld", "number1", 13), ("P50", "number1", 13),
                                ("P90", "number1", 13), ("P95", "number1", 13)],
               [r[:3] + [yes_no(r[3])] + r[4:] for r in rows])
    if result.comparison is not None:
        year_sheet("Vergelijking", result.comparison)
    if len(result.kpis):
        wide = result.kpis.pivot_table(index=["replication", "year"], columns=["financier", "metric"], values="value")
        wide.columns = [f"{f}:{m}" for f, m in wide.columns]
        wide = wide.reset_index()
        cols = [("Replicatie", "number0", 10), ("Jaar (0 = eerste)", "number0", 10)]
        cols += [(f"{FINANCIER_NL.get(c.split(':')[0], 'alle')} {METRIC_NL.get(c.split(':')[1], c)}",
                  "euro" if c.split(":")[1] in money else "number1", 14) for c in wide.columns[2:]]
        book.sheet("Replicaties", cols, wide.to_numpy().tolist())
    notes = notes or load_assumptions_with_notes()[1]
    book.sheet("Aannames", ASSUMPTION_COLUMNS, _assumption_rows(notes))
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
                    caption: str = "") -> bytes | Path:
    """Write a comparison of routes (``ivp simulate --xlsx``, the app's comparison page) as an
    Excel workbook: the headline outcomes (:func:`~ivp.application.comparison.comparison_table`,
    each row in its own unit: shares as percentages, euros, counts), the compliance with every
    norm (:func:`~ivp.application.comparison.compliance_table`) and the scenarios. ``caption``
    (replications, seed) follows each sheet's title."""
    buffer = io.BytesIO() if target is None or hasattr(target, "write") else None
    book = _Book(buffer if buffer is not None else str(target))
    outcomes = comparison_table(results, names)
    row_kinds = [COMPARISON_KIND.get(u, "number1") for u in outcomes.pop("eenheid")]
    _frame_sheet(book, "Vergelijking", outcomes, {"Uitkomst": ("text", 52)},
                 f"Uitkomsten per route {caption}".strip(), row_kinds)
    norms = compliance_table(results, names)
    kinds = {"Norm": ("text", 46), "Grens": ("number0", 7), "Eenheid": ("text", 10)}
    kinds.update({c: ("percent1", 13) for c in norms.columns if c.endswith(("overschreden", "P10", "P90"))})
    _frame_sheet(book, "Normen", norms, kinds,
                 f"Aandeel aanvragen dat de norm overschrijdt (leeg: geldt voor geen aanvraag) {caption}".strip())
    book.sheet("Scenario's", [("Route", "text", 40), ("Naam in het scenariobestand", "text", 40),
                              ("Beleid", "text", 18), ("Beschrijving", "wrap", 90)],
               [[label, r.scenario.name, r.scenario.policy, r.scenario.description] for label, r in zip(names, results)])
    book.close()
    return _result(buffer, target)

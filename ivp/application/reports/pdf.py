"""The printable plan in Dutch (fpdf2): client profile, plan table with request-by dates,
budget summary, a timeline and the budget over time (drawn with fpdf2 primitives), and the
sources and assumptions.

Fonts: fpdf2's core Helvetica with the Windows-1252 encoding (``core_fonts_encoding``), so
that ë, é, ü and € print without shipping a TTF file. Characters outside Windows-1252 (→,
≤, Δ) are replaced by plain equivalents (:func:`pdf_text`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from ivp import __version__
from ivp.application.formatting import (
    format_date,
    format_euro,
    format_number,
    format_percent,
)
from ivp.application.reports.labels import (
    ASSUMPTION_NL,
    FINANCIER_NL,
    REUSE_NL,
    profile_rows,
)
from ivp.domain.units import DAYS_PER_MONTH

ENCODING = "windows-1252"
_REPLACE = {"→": "->", "≤": "<=", "≥": ">=", "Δ": "delta ", "∞": "oneindig", "\u202f": " ", "−": "-", "×": "x"}

SOURCES = (
    "ALS Patiëntenvereniging, ALS protocol hulpmiddelen - Uitvoering Wmo; Integraal Voorzieningen Plan ALS "
    "(seed 001): de catalogus, de SLA-werkdagen, de subtotalen en de regels voor oormerken, vrijval en depot.",
    "Huisman et al., J Neurol Neurosurg Psychiatry 2011: incidentie 2,77 per 100.000 per jaar; begin van de klachten.",
    "Westeneng et al., Lancet Neurology 2018 (ENCALS-model): persoonlijke prognose bij diagnose.",
    "Wmo 2015 (onderzoek binnen 6 weken, besluit binnen 2 weken); Landelijk normenkader hulpmiddelen 2020.",
)


def pdf_text(text: object) -> str:
    """Text that Helvetica in Windows-1252 can print."""
    s = str(text)
    for a, b in _REPLACE.items():
        s = s.replace(a, b)
    return s.encode(ENCODING, errors="replace").decode(ENCODING)


def _pdf():
    class PlanPDF(FPDF):
        title_text = ""

        def header(self):
            self.set_font("Helvetica", "", 8)
            self.set_text_color(110)
            self.cell(0, 5, pdf_text(self.title_text), align="L")
            self.cell(0, 5, pdf_text(f"pagina {self.page_no()}/{{nb}}"), align="R", new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0)
            self.ln(2)

    pdf = PlanPDF(orientation="L", unit="mm", format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_auto_page_break(True, margin=12)
    pdf.set_margins(12, 10, 12)
    pdf.alias_nb_pages()
    return pdf


def _heading(pdf, text: str, size: int = 13):
    pdf.set_font("Helvetica", "B", size)
    pdf.cell(0, 7, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)


def _para(pdf, text: str, size: float = 9):
    pdf.set_font("Helvetica", "", size)
    pdf.multi_cell(0, 4.2, pdf_text(text), new_x="LMARGIN", new_y="NEXT")


def _table(pdf, header: list[str], rows: list[list[str]], widths: list[float], align: list[str], size: float = 7.5):
    pdf.set_font("Helvetica", "", size)
    with pdf.table(col_widths=widths, text_align=align, line_height=size * 0.5, first_row_as_headings=True,
                   headings_style=_heading_style(), borders_layout="HORIZONTAL_LINES", width=sum(widths)) as table:
        row = table.row()
        for h in header:
            row.cell(pdf_text(h))
        for values in rows:
            row = table.row()
            for v in values:
                row.cell(pdf_text(v))


def _heading_style():
    return FontFace(emphasis="BOLD", fill_color=(230, 236, 242))


def plan_pdf(plan, target: str | Path | IO[bytes] | None = None, profile_name: str = "") -> bytes | Path:
    """Write the plan as a printable Dutch PDF; returns the path, or the bytes when
    ``target`` is None (for downloads in the app)."""
    pdf = _pdf()
    pdf.title_text = f"Integraal Voorzieningen Plan ALS - {profile_name or 'cliënt'} - diagnose {format_date(plan.diagnosis_date)}"
    pdf.set_title(pdf_text("Integraal Voorzieningen Plan ALS"))
    pdf.set_creator(pdf_text(f"IVP Planner {__version__}"))
    pdf.add_page()
    _heading(pdf, "Integraal Voorzieningen Plan (IVP) ALS", 16)
    _para(pdf, f"Opgesteld met IVP Planner {__version__} op {format_date(dt.date.today())}. Scenario: "
               f"{plan.scenario_name}. Gebaseerd op {format_number(plan.n_replications)} gesimuleerde mogelijke "
               f"beloopen van deze cliënt. Het budget wordt geoormerkt op {format_date(plan.ivp_date)}; een "
               "vervolgmelding vraagt daarna geen nieuw onderzoek (protocol, deel 'IVP versus daadwerkelijke verstrekking').")
    pdf.ln(2)

    # client profile, two columns
    _heading(pdf, "Cliëntprofiel", 11)
    rows = profile_rows(plan.profile)
    half = (len(rows) + 1) // 2
    left, right = rows[:half], rows[half:]
    pdf.set_font("Helvetica", "", 8)
    for i in range(half):
        for j, part in enumerate((left, right)):
            if i < len(part):
                label, value = part[i]
                pdf.set_font("Helvetica", "", 8)
                pdf.cell(72, 4.2, pdf_text(label))
                pdf.set_font("Helvetica", "B", 8)
                pdf.cell(58, 4.2, pdf_text(value))
        pdf.ln(4.2)
    s = plan.survival_months
    if np.isfinite(s.get("p50", np.nan)):
        pdf.ln(1)
        _para(pdf, f"Prognose (ENCALS-model en ziekteverloop): mediane overleving na diagnose "
                   f"{format_number(s['p50'])} maanden; 1 op 10 beloopen korter dan {format_number(s['p10'])} maanden, "
                   f"1 op 10 langer dan {format_number(s['p90'])} maanden.", 8.5)

    # plan table
    pdf.ln(2)
    _heading(pdf, "Voorzieningen in het plan", 11)
    a = plan.assumptions
    t = plan.table
    in_plan = t[t["in_plan"]]
    rows = []
    for r in in_plan.itertuples():
        rows.append([
            r.name_nl, FINANCIER_NL[r.financier], REUSE_NL[r.reuse], format_euro(r.cost_eur),
            format_percent(r.need_probability), format_percent(r.uptake_probability), format_percent(r.probability),
            format_date(r.need_p10), format_date(r.need_p50), format_date(r.need_p90),
            "direct" if r.request_now else format_date(r.request_by), format_euro(r.expected_cost_eur),
            format_percent(r.on_time_share),
        ])
    _table(pdf, ["Voorziening", "Fin.", "Herinzet", "Kosten", "Nodig", "Gebruik", "Kans", "Nodig P10", "Nodig P50",
                 "Nodig P90", "Aanvragen uiterlijk", "Verwacht", "Op tijd"],
           rows, [54, 10, 22, 18, 12, 14, 12, 20, 20, 20, 24, 18, 13], ["LEFT", "LEFT", "LEFT", *["RIGHT"] * 10])
    pdf.ln(1)
    note = (f"Nodig = aandeel van de belopen waarin de voorziening nodig wordt; gebruik = aandeel daarvan waarin de "
            f"cliënt haar aanneemt en gebruikt; kans = nodig × gebruik, de kans op een aanvraag. Nodig P10/P50/P90 = datum waarop de "
            f"behoefte begint (1 op 10 eerder, mediaan, 1 op 10 later). Aanvragen uiterlijk = P"
            f"{round(a.request_by_need_quantile * 100)} van de behoeftedatum min de P"
            f"{round(a.request_by_lead_time_quantile * 100)} van de doorlooptijd van melding tot levering onder dit "
            f"scenario; 'direct' = nu melden. Verwacht = kans x kosten. Op tijd = geleverd voordat de behoefte begint.")
    for why, text in (("home", "geldt niet voor deze woning of dit huishouden"),
                      ("not_needed", "in geen enkel beloop (meer) nodig")):
        part = t[t["not_in_plan"] == why]
        if len(part):
            note += f" Niet in het plan ({text}): " + ", ".join(part["name_nl"]) + "."
    _para(pdf, note, 7.5)

    # budget
    pdf.add_page()
    _heading(pdf, "Budget", 11)
    _para(pdf, "Het protocol oormerkt elke voorziening in het plan: de maximale verplichting. Daarnaast de verwachte "
               "kosten (kans x kosten) en de gesimuleerde uitgaven. Ter vergelijking de subtotalen van de catalogus "
               "(maximum en ondergrens met alternatieven) en de bedragen van het protocol.", 8.5)
    rows = []
    for r in plan.budget.itertuples():
        protocol = format_euro(r.protocol_high_eur)
        if r.reuse == "totaal":
            protocol = "ca. " + protocol
        elif r.protocol_low_eur != r.protocol_high_eur:
            protocol = f"{format_euro(r.protocol_low_eur)} – {format_euro(r.protocol_high_eur)}"
        rows.append([f"{FINANCIER_NL[r.financier]} {REUSE_NL[r.reuse]}", format_euro(r.earmarked_eur),
                     format_euro(r.expected_cost_eur), format_euro(r.spent_mean_eur), format_euro(r.spent_p90_eur),
                     format_euro(r.catalogue_max_eur), format_euro(r.catalogue_lower_eur), protocol])
    _table(pdf, ["", "Oormerk (plan)", "Verwacht", "Uitgaven gem.", "Uitgaven P90", "Catalogus max.",
                 "Ondergrens", "Protocol"], rows, [44, 28, 26, 28, 28, 28, 26, 40], ["LEFT", *["RIGHT"] * 7], 8)
    pdf.ln(3)
    _heading(pdf, "Budget in de tijd", 11)
    _budget_chart(pdf, plan)

    pdf.add_page()
    _heading(pdf, "Tijdlijn: wanneer is elke voorziening nodig?", 11)
    _timeline(pdf, plan)

    pdf.add_page()
    _heading(pdf, "Bronnen en aannames", 11)
    for source in SOURCES:
        _para(pdf, "- " + source, 8.5)
    pdf.ln(2)
    _para(pdf, "Boekhouding: uitgaven vallen bij aankoop na de vervolgmelding (bij pgb-huur maandelijks); wat een "
               "voorziening niet meer kan kosten valt vrij naar de vrije Wmo-middelen (bij aankoop het restant, "
               "als het venster voorbij is, of bij overlijden); herinzetbare hulpmiddelen gaan na gebruik naar het "
               "depot met een restwaarde die met de leeftijd daalt. Op elk moment geldt: geoormerkt = uitgegeven + "
               "vrijgevallen + nog gereserveerd.", 8.5)
    pdf.ln(2)
    for n in plan.notes:
        pdf.set_font("Helvetica", "B", 8.5)
        pdf.multi_cell(0, 4.2, pdf_text(f"{ASSUMPTION_NL.get(n.field, n.field)}: {n.value}"), new_x="LMARGIN", new_y="NEXT")
        _para(pdf, f"{n.rationale} Bron: {n.source}.", 8)
        pdf.ln(0.5)
    pdf.ln(2)
    _para(pdf, "Dit plan is een onderbouwing van te verwachten verplichtingen, geen beschikking. Het advies van de "
               "ergotherapeut of andere specialist van het ALS-behandelteam blijft leidend; afwijken met maatwerk blijft "
               "mogelijk.", 8)

    data = bytes(pdf.output())
    if target is None:
        return data
    if hasattr(target, "write"):
        target.write(data)
        return target
    Path(target).write_bytes(data)
    return Path(target)


# ---------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------


def _month_ticks(origin: dt.date, months: float) -> list[tuple[float, str]]:
    step = 6 if months <= 48 else 12
    ticks = []
    m = 0
    while m <= months + 1e-9:
        year = origin.year + (origin.month - 1 + m) // 12
        month = (origin.month - 1 + m) % 12 + 1
        ticks.append((m, f"{month:02d}-{year}"))
        m += step
    return ticks


def _months(origin: dt.date, d) -> float:
    if d is None or (isinstance(d, float) and np.isnan(d)):
        return np.nan
    return (pd.Timestamp(d).date() - origin).days / DAYS_PER_MONTH


def _timeline(pdf, plan):
    t = plan.table[plan.table["in_plan"]].copy()
    origin = plan.diagnosis_date
    if t.empty:
        _para(pdf, "Geen voorzieningen in het plan.")
        return
    p90 = [_months(origin, d) for d in t["need_p90"]]
    horizon = float(np.nanmax([*p90, plan.survival_months.get("p90", 0) or 0, 12]))
    horizon = min(np.ceil(horizon / 6) * 6, 120)
    x0, y0 = pdf.l_margin + 62, pdf.get_y() + 8
    width = pdf.w - pdf.r_margin - x0 - 2
    row_h = min(4.6, (pdf.h - y0 - 30) / max(len(t), 1))
    x_of = lambda m: x0 + width * min(max(m, 0), horizon) / horizon  # noqa: E731
    # grid and axis
    pdf.set_font("Helvetica", "", 6.5)
    pdf.set_draw_color(210)
    pdf.set_line_width(0.1)
    bottom = y0 + row_h * len(t)
    for m, label in _month_ticks(origin, horizon):
        pdf.line(x_of(m), y0 - 2, x_of(m), bottom)
        pdf.text(x_of(m) - 5, y0 - 3, pdf_text(label))
    for i, r in enumerate(t.itertuples()):
        y = y0 + i * row_h
        pdf.set_text_color(0)
        pdf.set_font("Helvetica", "", 7)
        pdf.text(pdf.l_margin, y + row_h * 0.7, pdf_text(f"{r.name_nl[:34]} ({format_percent(r.probability)})"))
        a, b, c = (_months(origin, d) for d in (r.need_p10, r.need_p50, r.need_p90))
        if np.isfinite(a) and np.isfinite(c):
            shade = int(235 - 120 * r.probability)
            pdf.set_fill_color(shade, shade + 8 if shade < 247 else shade, 250)
            pdf.set_draw_color(90, 110, 160)
            pdf.rect(x_of(a), y + row_h * 0.2, max(x_of(c) - x_of(a), 0.4), row_h * 0.6, style="DF")
            pdf.set_draw_color(20, 40, 100)
            pdf.set_line_width(0.5)
            pdf.line(x_of(b), y + row_h * 0.1, x_of(b), y + row_h * 0.9)
            pdf.set_line_width(0.1)
        request = _months(origin, r.request_by)
        if np.isfinite(request):
            xr, yr = x_of(request), y + row_h * 0.5
            pdf.set_fill_color(200, 60, 40)
            pdf.polygon([(xr, yr - row_h * 0.3), (xr + row_h * 0.3, yr), (xr, yr + row_h * 0.3), (xr - row_h * 0.3, yr)],
                        style="F")
    pdf.set_draw_color(0)
    pdf.set_y(bottom + 4)
    _para(pdf, "Balk: behoefte begint tussen P10 en P90 (donkerder = grotere kans dat de voorziening nodig wordt); "
               "streep: mediaan (verwachte datum); rode ruit: aanvragen uiterlijk. Tijdas vanaf de diagnosedatum.", 7.5)


def _budget_chart(pdf, plan):
    o = plan.over_time
    wide = o.pivot_table(index="period", columns="measure", values="mean", aggfunc="sum")
    if wide.empty:
        _para(pdf, "Geen budgetbewegingen.")
        return
    wide.index = pd.to_datetime(wide.index)
    series = [("reserved", "Nog gereserveerd", (40, 80, 160)), ("spent_total", "Uitgegeven (cumulatief)", (200, 60, 40)),
              ("released_total", "Vrijgevallen (cumulatief)", (40, 150, 80))]
    top = float(np.nanmax([wide[m].max() for m, _, _ in series if m in wide]))
    top = max(top, 1.0)
    step = 10 ** np.floor(np.log10(top)) * (2 if top / 10 ** np.floor(np.log10(top)) < 4 else 5)
    top = np.ceil(top / step) * step
    x0, y0 = pdf.l_margin + 22, pdf.get_y() + 2
    width, height = pdf.w - pdf.r_margin - x0 - 60, 70
    n = len(wide)
    x_of = lambda i: x0 + width * i / max(n - 1, 1)  # noqa: E731
    y_of = lambda v: y0 + height * (1 - v / top)  # noqa: E731
    pdf.set_font("Helvetica", "", 6.5)
    pdf.set_draw_color(215)
    pdf.set_line_width(0.1)
    v = 0.0
    while v <= top + 1e-6:
        pdf.line(x0, y_of(v), x0 + width, y_of(v))
        pdf.text(pdf.l_margin, y_of(v) + 1, pdf_text(format_euro(v)))
        v += step
    years = wide.index.year
    for i, (d, y) in enumerate(zip(wide.index, years)):
        if i == 0 or y != years[i - 1]:
            pdf.line(x_of(i), y0, x_of(i), y0 + height)
            pdf.text(x_of(i) - 3, y0 + height + 4, str(y))
    for j, (m, label, colour) in enumerate(series):
        if m not in wide:
            continue
        pdf.set_draw_color(*colour)
        pdf.set_line_width(0.6)
        pdf.polyline([(x_of(i), y_of(v)) for i, v in enumerate(wide[m].fillna(0).to_numpy())])
        ly = y0 + 8 + j * 6
        pdf.line(x0 + width + 6, ly, x0 + width + 14, ly)
        pdf.set_font("Helvetica", "", 7.5)
        pdf.text(x0 + width + 16, ly + 1, pdf_text(label))
    pdf.set_line_width(0.1)
    pdf.set_draw_color(0)
    pdf.set_y(y0 + height + 7)
    freq = "kwartaal" if plan.freq == "Q" else "maand"
    _para(pdf, f"Gemiddeld over de beloopen, Wmo en Zvw samen, per {freq}. Op elk moment: geoormerkt = uitgegeven + "
               "vrijgevallen + nog gereserveerd.", 7.5)

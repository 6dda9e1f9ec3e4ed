"""The printable IVP (fpdf2), to hand to the municipality and the insurer, in Dutch or English.

Page one: who, when, which route; the client profile; the budget per financier; a block for
names and signatures. Then the Wmo list and the Zvw list (each provision with its chance,
need date and request-by date, and what is only possibly needed later), the timeline, the
budget over time, and the sources and assumptions. The survival prognosis is left out unless
asked for (``include_prognosis``): the protocol warns against confronting a client with a
detailed timeline (seed 001, lines 97-99), and a municipality needs the provisions and the
budget, not the survival estimate. Every figure comes from the same :class:`~ivp.application.plan.Plan`
as the screen; every word from the message catalogue (``doc.*``); colours from
:mod:`ivp.application.palette`, as on the screen.

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
from ivp.application import palette
from ivp.application.followup import BUDGET_COLUMNS
from ivp.application.formatting import format_date, format_euro, format_number, format_percent
from ivp.application.labels import assumption_rows, profile_rows, why_not
from ivp.domain.catalog import FINANCIERS
from ivp.domain.messages import Lang, text
from ivp.domain.units import DAYS_PER_MONTH

ENCODING = "windows-1252"
_REPLACE = {"→": "->", "≤": "<=", "≥": ">=", "Δ": "delta ", "∞": "oneindig", "\u202f": " ", "−": "-", "×": "x",
            "◆": "", "⚠️": "", "…": "..."}
LINE = 4.2
"""Line height of body text (mm)."""


def pdf_text(value: object) -> str:
    """Text that Helvetica in Windows-1252 can print."""
    s = str(value)
    for a, b in _REPLACE.items():
        s = s.replace(a, b)
    return s.encode(ENCODING, errors="replace").decode(ENCODING)


class Document:
    """A PDF being written in one language (A4 portrait, a running title and page numbers),
    with the catalogue's words and the language's number formats."""

    def __init__(self, lang: Lang, running_title: str):
        self.lang = lang

        class Page(FPDF):
            def header(inner):
                inner.set_font("Helvetica", "", 8)
                inner.set_text_color(110)
                inner.cell(0, 5, pdf_text(running_title), align="L")
                inner.cell(0, 5, pdf_text(self.say("doc.page", page=inner.page_no()) + "/{nb}"), align="R",
                           new_x="LMARGIN", new_y="NEXT")
                inner.set_text_color(0)
                inner.ln(2)

        self.pdf = Page(orientation="P", unit="mm", format="A4")
        self.pdf.core_fonts_encoding = ENCODING
        self.pdf.set_auto_page_break(True, margin=14)
        self.pdf.set_margins(14, 10, 14)
        self.pdf.alias_nb_pages()
        self.pdf.add_page()

    # words and numbers in the document's language
    def say(self, key: str, **values) -> str:
        """The catalogue's text ``key`` in the document's language."""
        return text(key, self.lang, **values)

    def word(self, kind: str, code: str) -> str:
        return text(f"{kind}.{code}", self.lang)

    def euro(self, v) -> str:
        return format_euro(v, self.lang)

    def pct(self, v) -> str:
        return format_percent(v, self.lang)

    def date(self, v) -> str:
        return format_date(v, self.lang)

    def number(self, v, decimals: int = 0) -> str:
        return format_number(v, self.lang, decimals)

    def output(self, target: str | Path | IO[bytes] | None):
        """The finished PDF: its bytes (no target), the file object written to, or the path."""
        data = bytes(self.pdf.output())
        if target is None:
            return data
        if hasattr(target, "write"):
            target.write(data)
            return target
        Path(target).write_bytes(data)
        return Path(target)

    # layout
    @property
    def width(self) -> float:
        return self.pdf.w - self.pdf.l_margin - self.pdf.r_margin

    def room(self, mm: float) -> None:
        """A new page unless ``mm`` fit below the current position (no heading alone at a page's end)."""
        if self.pdf.get_y() + mm > self.pdf.h - self.pdf.b_margin:
            self.pdf.add_page()

    def heading(self, words: str, size: float = 12, room: float = 30) -> None:
        self.room(room)
        self.pdf.ln(1.5)
        self.pdf.set_font("Helvetica", "B", size)
        self.pdf.cell(0, size * 0.55, pdf_text(words), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(0.8)
        self.pdf.set_font("Helvetica", "", 9)

    def para(self, words: str, size: float = 9, style: str = "") -> None:
        self.pdf.set_font("Helvetica", style, size)
        self.pdf.multi_cell(0, size * 0.47, pdf_text(words), new_x="LMARGIN", new_y="NEXT")

    def table(self, header: list[str], rows: list[list[str]], widths: list[float], align: list[str],
              size: float = 8) -> None:
        self.pdf.set_font("Helvetica", "", size)
        scale = self.width / sum(widths)
        style = FontFace(emphasis="BOLD", fill_color=palette.rgb(palette.TABLE_HEADING))
        with self.pdf.table(col_widths=[w * scale for w in widths], text_align=align, line_height=size * 0.5,
                            first_row_as_headings=True, headings_style=style, borders_layout="HORIZONTAL_LINES",
                            width=self.width) as table:
            row = table.row()
            for h in header:
                row.cell(pdf_text(h))
            for values in rows:
                row = table.row()
                for v in values:
                    row.cell(pdf_text(v))


def plan_pdf(plan, target: str | Path | IO[bytes] | None = None, profile_name: str = "", lang: Lang = "nl",
             include_prognosis: bool = False) -> bytes | Path:
    """Write the plan as a printable PDF in ``lang``; returns the path, or the bytes when
    ``target`` is None (for downloads in the app). ``profile_name``: the client's name or
    case number as the team wants it printed (nothing is stored)."""
    disease = disease_label(plan.profile)
    running = text("doc.running_title", lang, disease=disease, name=profile_name or text("doc.client", lang),
                   date=format_date(plan.diagnosis_date, lang))
    doc = Document(lang, running)
    pdf = doc.pdf
    pdf.set_title(pdf_text(doc.say("doc.title", disease=disease)))
    pdf.set_creator(pdf_text(f"IVP Planner {__version__}"))

    doc.heading(doc.say("doc.title", disease=disease), 16, room=0)
    doc.para(doc.say("doc.intro", version=__version__, today=doc.date(dt.date.today()), scenario=plan.scenario_title(lang),
                   n=doc.number(plan.n_replications), ivp_date=doc.date(plan.ivp_date)))
    _profile(doc, plan, profile_name)
    if plan.followup is not None:
        _followup(doc, plan)
    _prognosis(doc, plan, include_prognosis)
    _budget(doc, plan)
    _signatures(doc)
    for financier in FINANCIERS:
        _provision_list(doc, plan, financier)
    doc.heading(doc.say("doc.timeline"), room=120)
    _timeline(doc, plan)
    doc.heading(doc.say("doc.budget_over_time"), room=110)
    _budget_chart(doc, plan)
    _sources(doc, plan)

    return doc.output(target)


# ---------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------


def _profile(doc: Document, plan, profile_name: str) -> None:
    doc.heading(doc.say("doc.profile"), 11, room=50)
    if profile_name:
        doc.para(doc.say("doc.profile_name", name=profile_name), 9, "B")
    rows = profile_rows(plan.profile, doc.lang)
    half = (len(rows) + 1) // 2
    column = doc.width / 2
    for i in range(half):
        for part in (rows[:half], rows[half:]):
            if i < len(part):
                label, value = part[i]
                doc.pdf.set_font("Helvetica", "", 8)
                doc.pdf.cell(column * 0.56, LINE, pdf_text(label))
                doc.pdf.set_font("Helvetica", "B", 8)
                doc.pdf.cell(column * 0.44, LINE, pdf_text(value))
        doc.pdf.ln(LINE)


def disease_label(profile) -> str:
    """The condition in the plan's title: ALS, or the short name of another motor-neuron
    disease (the code of ``conditions.yaml``, e.g. PLS)."""
    condition = getattr(profile, "condition", None)
    return "ALS" if condition is None else condition.value.upper()


def _followup(doc: Document, plan) -> None:
    """The visits, and per provision what they changed (only rows in a plan or changed)."""
    f = plan.followup
    name_of = "name_en" if doc.lang == "en" else "name_nl"
    names = dict(zip(plan.table["provision_id"], plan.table[name_of]))
    doc.heading(doc.say("doc.followup"), 11, room=60)
    doc.para(doc.say("doc.followup_intro", as_of=doc.date(f.as_of), n=len(f.visits), previous=doc.date(f.previous_as_of),
                     effective=doc.number(f.effective_courses), pool=doc.number(f.pool_courses)), 8.5)
    if f.widening > 1:
        doc.para(doc.say("doc.followup_widened", factor=doc.number(f.widening, 2)), 8)
    for v in f.visits:
        observed = (f"ALSFRS-R {doc.number(v.total)}" if v.total is not None else
                    f"ALSFRS-R {len(v.alsfrs_r)}/12" if v.alsfrs_r else "–")
        doc.para(doc.say("doc.followup_visit", date=doc.date(v.date), observed=observed,
                         delivered=", ".join(names[d.provision] for d in v.delivered) or "–",
                         declined=", ".join(names[p] for p in v.declined) or "–"), 8)
    if f.previous is None:
        doc.para(doc.say("doc.followup_no_previous"), 8, "I")
        return
    status = lambda code: doc.say(f"followup.status.{code}")  # noqa: E731
    rows = [[getattr(r, name_of), status(r.status_before), status(r.status_after),
             f"{doc.date(r.need_p50_before)} > {doc.date(r.need_p50_after)}",
             f"{doc.date(r.request_by_before)} > " + (doc.say("doc.now") if r.request_now else doc.date(r.request_by_after)),
             doc.say(f"followup.budget.{r.budget}") if r.budget else ""]
            for r in f.changes.itertuples() if "in_plan" in (r.status_before, r.status_after)
            or r.status_before != r.status_after]
    doc.table([doc.say("xlsx.followup.name"), doc.say("xlsx.followup.before"), doc.say("xlsx.followup.after"),
               doc.say("visit.col.need"), doc.say("visit.col.request_by"), doc.say("visit.col.budget")], rows,
              [40, 22, 22, 34, 34, 24], ["LEFT"] * 6, size=7)
    amounts = BUDGET_COLUMNS[1:]
    doc.table([doc.say("xlsx.col.financier")] + [doc.say(f"xlsx.followup.budget.{c}") for c in amounts],
              [[doc.word("financier_short", r.financier) if r.financier != "totaal" else doc.say("doc.total"),
                *[doc.euro(getattr(r, c)) for c in amounts]] for r in f.budget.itertuples()],
              [18, 22, 22, 22, 22, 22, 22], ["LEFT", *["RIGHT"] * 6], size=7.5)


def _prognosis(doc: Document, plan, include: bool) -> None:
    s = plan.survival_months
    doc.pdf.ln(1)
    if include and np.isfinite(s.get("p50", np.nan)):
        doc.para(doc.say("doc.prognosis", p50=doc.number(s["p50"]), p10=doc.number(s["p10"]), p90=doc.number(s["p90"])), 8.5)
    else:
        doc.para(doc.say("doc.prognosis_left_out"), 8, "I")


def _budget(doc: Document, plan) -> None:
    doc.heading(doc.say("doc.budget"), 11, room=55)
    threshold = doc.pct(plan.assumptions.earmark_min_probability)
    doc.para(doc.say("doc.budget_intro", threshold=threshold), 8.5)
    rows = []
    for r in plan.budget.itertuples():
        total = r.reuse == "totaal"
        kind = doc.say("doc.total") if total else doc.word("reuse", r.reuse)
        protocol = doc.euro(r.protocol_high_eur)
        if total:
            protocol = doc.say("doc.about", amount=protocol)
        elif r.protocol_low_eur != r.protocol_high_eur:
            protocol = f"{doc.euro(r.protocol_low_eur)} - {doc.euro(r.protocol_high_eur)}"
        rows.append([f"{doc.word('financier_short', r.financier)} {kind}", doc.euro(r.earmarked_eur),
                     doc.euro(r.expected_cost_eur), f"{doc.euro(r.spent_mean_eur)} ({doc.euro(r.spent_p90_eur)})",
                     protocol])
    doc.table([doc.say("doc.col.class"), doc.say("doc.col.earmarked"), doc.say("doc.col.expected"), doc.say("doc.col.spent"),
               doc.say("doc.col.protocol")], rows, [34, 24, 24, 36, 34], ["LEFT", *["RIGHT"] * 4])
    doc.para(doc.say("doc.budget_note"), 7.5)
    totals = plan.budget[plan.budget["reuse"] == "totaal"]
    wmo = totals[totals["financier"] == "wmo"].iloc[0]
    doc.para(doc.say("doc.budget_kinds", year=plan.price_level_year,
                     price_years=", ".join(str(y) for y in sorted(set(plan.table["price_year"]))),
                     purchase=doc.euro(totals["spent_purchase_mean_eur"].sum()), rent=doc.euro(totals["spent_rent_mean_eur"].sum()),
                     maintenance=doc.euro(totals["spent_maintenance_mean_eur"].sum()),
                     contribution=doc.euro(wmo["own_contribution_mean_eur"]), net=doc.euro(wmo["net_mean_eur"])), 7.5)
    ev = plan.client_events
    if ev:
        doc.para(doc.say("doc.client_events", wlz=doc.pct(ev["wlz_share"]), move=doc.pct(ev["move_share"])), 7.5)


def _signatures(doc: Document) -> None:
    doc.heading(doc.say("doc.signatures"), 11, room=42)
    pdf, half = doc.pdf, doc.width / 2 - 4
    top = pdf.get_y()
    for j, who in enumerate((doc.say("doc.signed_team"), doc.say("doc.signed_financier"))):
        x = pdf.l_margin + j * (half + 8)
        pdf.set_xy(x, top)
        pdf.set_font("Helvetica", "B", 8.5)
        pdf.cell(half, LINE, pdf_text(who))
        for k, label in enumerate((doc.say("doc.sign.name"), doc.say("doc.sign.role"), doc.say("doc.sign.contact"),
                                   doc.say("doc.sign.date"), doc.say("doc.sign.signature"))):
            y = top + LINE * 1.6 + k * 5.8
            pdf.set_xy(x, y)
            pdf.set_font("Helvetica", "", 8)
            pdf.cell(24, 5, pdf_text(label))
            pdf.set_draw_color(*palette.rgb(palette.GRID))
            pdf.line(x + 24, y + 4.5, x + half, y + 4.5)
    pdf.set_draw_color(0)
    pdf.set_xy(pdf.l_margin, top + LINE * 1.6 + 5 * 5.8 + 2)


def _provision_list(doc: Document, plan, financier: str) -> None:
    t = plan.table[plan.table["financier"] == financier]
    planned = t[t["in_plan"]]
    name = doc.word("financier_short", financier)
    doc.heading(doc.say("doc.list", financier=name), 11, room=40 + 4.5 * min(len(planned), 6))
    doc.para(doc.say("doc.list_intro", financier=doc.word("financier", financier)), 8)
    name_of = "name_en" if doc.lang == "en" else "name_nl"
    rows = [[getattr(r, name_of), doc.word("reuse", r.reuse), doc.euro(r.cost_eur), doc.pct(r.probability),
             doc.date(r.need_p50), f"{doc.date(r.need_p10)} - {doc.date(r.need_p90)}",
             doc.say("doc.now") if r.request_now else doc.date(r.request_by)] for r in planned.itertuples()]
    if rows:
        doc.table([doc.say("doc.col.provision"), doc.say("doc.col.reuse"), doc.say("doc.col.cost"), doc.say("doc.col.chance"),
                   doc.say("doc.col.need"), doc.say("doc.col.need_range"), doc.say("doc.col.request_by")],
                  rows, [52, 24, 20, 14, 22, 40, 24], ["LEFT", "LEFT", *["RIGHT"] * 5], 7.8)
        total = planned["cost_eur"].sum()
        doc.para(doc.say("doc.list_total", n=len(planned), amount=doc.euro(total)), 8, "B")
    else:
        doc.para(doc.say("doc.list_empty"), 8)
    for why in ("unlikely", "not_needed", "home"):
        part = t[t["not_in_plan"] == why]
        if len(part):
            names = ", ".join(f"{getattr(r, name_of)} ({doc.pct(r.probability)})" if why == "unlikely"
                              else getattr(r, name_of) for r in part.itertuples())
            doc.para(f"{why_not(why, plan.assumptions, doc.lang)}: {names}.", 7.8)
    doc.para(doc.say("doc.list_note", need=round(plan.assumptions.request_by_need_quantile * 100),
                   lead=round(plan.assumptions.request_by_lead_time_quantile * 100)), 7.2)


def _sources(doc: Document, plan) -> None:
    doc.heading(doc.say("doc.sources"), 11, room=40)
    for i in range(1, 5):
        doc.para("- " + doc.say(f"doc.source.{i}"), 8)
    doc.pdf.ln(1)
    doc.para(doc.say("doc.accounting"), 8)
    doc.pdf.ln(1)
    doc.heading(doc.say("doc.assumptions"), 10, room=25)
    for label, value, why in assumption_rows(plan.notes, doc.lang):
        doc.room(10)
        doc.para(f"{label}: {value}", 8, "B")
        doc.para(why, 7.8)
    doc.pdf.ln(1)
    doc.para(doc.say("doc.disclaimer"), 8, "I")


# ---------------------------------------------------------------------------------------
# Figures, drawn with fpdf2's primitives in the screen's colours
# ---------------------------------------------------------------------------------------


def _months(origin: dt.date, d) -> float:
    if d is None or (isinstance(d, float) and np.isnan(d)):
        return np.nan
    return (pd.Timestamp(d).date() - origin).days / DAYS_PER_MONTH


def _month_ticks(origin: dt.date, months: float) -> list[tuple[float, str]]:
    step = 6 if months <= 36 else 12 if months <= 72 else 24
    ticks, m = [], 0
    while m <= months + 1e-9:
        year = origin.year + (origin.month - 1 + m) // 12
        month = (origin.month - 1 + m) % 12 + 1
        ticks.append((m, f"{month:02d}-{year}"))
        m += step
    return ticks


def _timeline(doc: Document, plan) -> None:
    pdf = doc.pdf
    t = plan.table[plan.table["in_plan"]]
    origin = plan.diagnosis_date
    if t.empty:
        doc.para(doc.say("doc.list_empty"))
        return
    horizon = float(np.nanmax([*(_months(origin, d) for d in t["need_p90"]), 12]))
    horizon = min(np.ceil(horizon / 6) * 6, 120)
    x0, y0 = pdf.l_margin + 50, pdf.get_y() + 7
    width = pdf.w - pdf.r_margin - x0 - 2
    row_h = min(4.6, (pdf.h - pdf.b_margin - y0 - 18) / max(len(t), 1))
    x_of = lambda m: x0 + width * min(max(m, 0), horizon) / horizon  # noqa: E731
    bottom = y0 + row_h * len(t)
    pdf.set_font("Helvetica", "", 6.5)
    pdf.set_draw_color(*palette.rgb(palette.GRID))
    pdf.set_line_width(0.1)
    for m, label in _month_ticks(origin, horizon):
        pdf.line(x_of(m), y0 - 2, x_of(m), bottom)
        pdf.text(x_of(m) - 5, y0 - 3, pdf_text(label))
    name_of = "name_en" if doc.lang == "en" else "name_nl"
    lead = plan.delivery.set_index("provision_id") if plan.delivery is not None else pd.DataFrame()
    for i, r in enumerate(t.itertuples()):
        y = y0 + i * row_h
        pdf.set_font("Helvetica", "", 6.8)
        pdf.text(pdf.l_margin, y + row_h * 0.7, pdf_text(f"{getattr(r, name_of)[:30]} ({doc.pct(r.probability)})"))
        a, b, c = (_months(origin, d) for d in (r.need_p10, r.need_p50, r.need_p90))
        if np.isfinite(a) and np.isfinite(c):
            pdf.set_fill_color(*palette.rgb(palette.NEED))
            pdf.rect(x_of(a), y + row_h * 0.2, max(x_of(c) - x_of(a), 0.4), row_h * 0.6, style="F")
            pdf.set_draw_color(*palette.rgb(palette.NEED_MEDIAN))
            pdf.set_line_width(0.5)
            pdf.line(x_of(b), y + row_h * 0.1, x_of(b), y + row_h * 0.9)
            pdf.set_line_width(0.1)
        request = _months(origin, r.request_by)
        if np.isfinite(request) and r.provision_id in lead.index:  # delivery when requested on that date
            d10, d50, d90 = (request + lead.at[r.provision_id, f"lead_p{q}"] / DAYS_PER_MONTH for q in (10, 50, 90))
            if np.isfinite(d10) and np.isfinite(d90):
                pdf.set_draw_color(*palette.rgb(palette.DELIVERY))
                pdf.set_line_width(0.7)
                pdf.line(x_of(d10), y + row_h * 0.5, x_of(d90), y + row_h * 0.5)
                pdf.set_fill_color(*palette.rgb(palette.DELIVERY))
                pdf.ellipse(x_of(d50) - row_h * 0.18, y + row_h * 0.32, row_h * 0.36, row_h * 0.36, style="F")
                pdf.set_line_width(0.1)
        if np.isfinite(request):
            xr, yr, s = x_of(request), y + row_h * 0.5, row_h * 0.32
            pdf.set_fill_color(*palette.rgb(palette.REQUEST_BY))
            pdf.polygon([(xr, yr - s), (xr + s, yr), (xr, yr + s), (xr - s, yr)], style="F")
    pdf.set_draw_color(0)
    pdf.set_y(bottom + 3)
    doc.para(doc.say("doc.timeline_note"), 7.5)


def _budget_chart(doc: Document, plan) -> None:
    pdf = doc.pdf
    wide = plan.over_time.pivot_table(index="period", columns="measure", values="mean", aggfunc="sum")
    if wide.empty:
        doc.para(doc.say("doc.no_budget_movements"))
        return
    wide.index = pd.to_datetime(wide.index)
    series = [("reserved", doc.say("doc.measure.reserved"), palette.RESERVED),
              ("spent_total", doc.say("doc.measure.spent_total"), palette.SPENT),
              ("released_total", doc.say("doc.measure.released_total"), palette.RELEASED)]
    top = max(float(np.nanmax([wide[m].max() for m, _, _ in series if m in wide])), 1.0)
    magnitude = 10 ** np.floor(np.log10(top))
    step = magnitude * (1 if top / magnitude < 2.5 else 2 if top / magnitude < 5 else 5) / 2
    top = np.ceil(top / step) * step
    x0, y0 = pdf.l_margin + 22, pdf.get_y() + 3
    width, height = pdf.w - pdf.r_margin - x0 - 2, 62
    n = len(wide)
    x_of = lambda i: x0 + width * i / max(n - 1, 1)  # noqa: E731
    y_of = lambda v: y0 + height * (1 - v / top)  # noqa: E731
    pdf.set_font("Helvetica", "", 6.5)
    pdf.set_draw_color(*palette.rgb(palette.GRID))
    pdf.set_line_width(0.1)
    v = 0.0
    while v <= top + 1e-6:
        pdf.line(x0, y_of(v), x0 + width, y_of(v))
        pdf.text(pdf.l_margin, y_of(v) + 1, pdf_text(doc.euro(v)))
        v += step
    years = wide.index.year
    every = max(1, int(np.ceil(len(set(years)) / 10)))  # at most about ten year labels
    shown, last_x = 0, -np.inf
    for i, year in enumerate(years):
        if i == 0 or year != years[i - 1]:
            pdf.line(x_of(i), y0, x_of(i), y0 + height)
            if shown % every == 0 and x_of(i) - last_x >= 9:  # no label on top of the previous one
                pdf.text(x_of(i) + 0.5, y0 + height + 3.5, str(year))
                last_x = x_of(i)
            shown += 1
    for m, _, colour in series:
        if m in wide:
            pdf.set_draw_color(*palette.rgb(colour))
            pdf.set_line_width(0.6)
            pdf.polyline([(x_of(i), y_of(v)) for i, v in enumerate(wide[m].fillna(0).to_numpy())])
    # the legend below the chart, one entry beside the other
    pdf.set_line_width(0.6)
    x, y = x0, y0 + height + 8
    pdf.set_font("Helvetica", "", 7.5)
    for m, label, colour in series:
        pdf.set_draw_color(*palette.rgb(colour))
        pdf.line(x, y - 1, x + 7, y - 1)
        pdf.text(x + 9, y, pdf_text(label))
        x += 11 + pdf.get_string_width(pdf_text(label)) + 6
    pdf.set_line_width(0.1)
    pdf.set_draw_color(0)
    pdf.set_y(y + 3)
    doc.para(doc.say("doc.budget_chart_note", period=doc.say("doc.quarter" if plan.freq == "Q" else "doc.month")), 7.5)

"""The one-page summary of a municipality's reserve for the council (fpdf2), in Dutch or
English: what was computed, the reserve per year with its Monte Carlo interval, what the
depot saves, the comparison with a second route when there is one, and the assumptions
behind it. The same figures as the Gemeente page and ``ivp reserve`` (one ReserveResult)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO

import numpy as np

from ivp import __version__
from ivp.application.reports.pdf import Document, pdf_text
from ivp.domain.messages import Lang, text


def reserve_pdf(result, target: str | Path | IO[bytes] | None = None, lang: Lang = "nl") -> bytes | Path:
    """Write the reserve's one-page summary in ``lang``; the path, or the bytes when
    ``target`` is None (for downloads in the app)."""
    doc = Document(lang, text("doc.council.title", lang))
    say = doc.say
    pct = round(result.reserve_percentile * 100)
    doc.pdf.set_title(pdf_text(say("doc.council.title")))
    doc.pdf.set_creator(pdf_text(f"IVP Planner {__version__}"))
    doc.heading(say("doc.council.title"), 15, room=0)
    doc.para(say("doc.council.intro", inhabitants=doc.number(result.inhabitants), years=result.years,
                 start=doc.date(result.start), scenario=result.scenario_title(lang), new=doc.number(
                     result.expected_new_clients_per_year, 1), existing=doc.number(result.existing_clients),
                 n=doc.number(result.replications), version=__version__, today=doc.date(dt.date.today())), 8.5)
    table = result.table
    total = table[table["year"] == "totaal"].iloc[0]
    first = table.iloc[0]
    doc.heading(say("doc.council.key"), 11, room=20)
    doc.para(say("doc.council.key_text", pct=pct, first=doc.euro(first["wmo_reserve"]),
                 year=first["year"], low=doc.euro(first["wmo_reserve_ci_low"]), high=doc.euro(first["wmo_reserve_ci_high"]),
                 total=doc.euro(total["wmo_reserve"]), savings=doc.euro(total["wmo_depot_savings_p50"])), 9)
    doc.heading(say("doc.council.per_year"), 11, room=30)
    rows = [[say("xlsx.total") if r.year == "totaal" else r.year, doc.number(r.new_clients_mean, 1),
             doc.euro(r.wmo_outlay_p50), doc.euro(r.wmo_outlay_p90), doc.euro(r.wmo_reserve),
             f"{doc.euro(r.wmo_reserve_ci_low)} - {doc.euro(r.wmo_reserve_ci_high)}", doc.euro(r.wmo_depot_savings_p50),
             doc.euro(r.zvw_outlay_p50)] for r in table.itertuples()]
    doc.table([say("xlsx.reserve.year"), say("xlsx.reserve.new_clients_mean"), say("xlsx.reserve.wmo_outlay_p50"),
               say("xlsx.reserve.wmo_outlay_p90"), say("xlsx.reserve.wmo_reserve", pct=pct),
               say("reserve.col.reserve_ci"), say("xlsx.reserve.wmo_depot_savings_p50"),
               say("xlsx.reserve.zvw_outlay_p50")], rows, [12, 14, 20, 20, 22, 34, 20, 20],
              ["LEFT", *["RIGHT"] * 7], 7.5)
    doc.para(say("reserve.total_explained", pct=pct), 7.5)
    doc.para(say("doc.council.kinds", purchase=doc.euro(total["wmo_outlay_purchase_mean"]),
                 rent=doc.euro(total["wmo_outlay_rent_mean"]), maintenance=doc.euro(total["wmo_outlay_maintenance_mean"]),
                 outlay=doc.euro(total["wmo_outlay_mean"]), contribution=doc.euro(total["wmo_own_contribution_mean"]),
                 net=doc.euro(total["wmo_net_outlay_mean"]), wlz=doc.number(total["wlz_entries_mean"], 1)), 7.5)
    if result.comparison is not None:
        other = result.comparison
        doc.heading(say("doc.council.comparison", a=result.scenario_title(lang), b=other.scenario_title(lang)), 11,
                    room=30)
        rows = [[say("xlsx.total") if a.year == "totaal" else a.year, doc.euro(a.wmo_reserve), doc.euro(b.wmo_reserve),
                 doc.euro(b.wmo_reserve - a.wmo_reserve),
                 doc.number(a.gap_days_mean, 1) if np.isfinite(a.gap_days_mean) else "-",
                 doc.number(b.gap_days_mean, 1) if np.isfinite(b.gap_days_mean) else "-"]
                for a, b in zip(table.itertuples(), other.table.itertuples())]
        doc.table([say("xlsx.reserve.year"), f"{say('reserve.col.reserve')} A", f"{say('reserve.col.reserve')} B",
                   say("reserve.col.difference"), f"{say('reserve.col.gap')} A", f"{say('reserve.col.gap')} B"],
                  rows, [14, 26, 26, 30, 20, 20], ["LEFT", *["RIGHT"] * 5], 7.5)
        doc.para(say("reserve.comparison.caption"), 7.2)
    doc.heading(say("doc.council.how"), 10, room=20)
    doc.para(say("doc.council.how_text", pct=pct), 7.5)
    doc.para(say("doc.disclaimer"), 7.2, "I")
    return doc.output(target)

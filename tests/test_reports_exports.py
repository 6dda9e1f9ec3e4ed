"""Exports read back: the Excel workbook (sheets, Dutch headers, euros as numbers with a
euro format, dates as dates) and the Dutch PDF (pages, key text with ë, é and €)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zlib
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from ivp.application.formatting import format_euro
from ivp.application.plan import build_plan
from ivp.application.reports import pdf_text, plan_pdf, plan_xlsx, reserve_xlsx
from ivp.application.reserve import run_reserve
from ivp.domain.catalog import load_catalog
from ivp.domain.prices import price_index
from ivp.domain.profile import make_profile
from ivp.models.process import load_scenario
from tests.helpers.frames import synthetic_frame

ROOT = Path(__file__).resolve().parents[1]
CATALOG = load_catalog()


@pytest.fixture(scope="module")
def plan():
    frame, patients = synthetic_frame(np.random.default_rng(5), replications=60, patients=1, diagnosis_spread_days=1)
    profile = make_profile(age_at_onset=63, onset_site="legs", lives_alone=False, has_van=True,
                           diagnosis_date=dt.date(2026, 3, 2))
    return build_plan(frame, patients, CATALOG, dt.date(2026, 3, 2), profile=profile, scenario_name="Protocol (IVP)",
                      in_plan=[p.id for p in CATALOG if p.id != "zorgunit"])


def pdf_streams(data: bytes) -> bytes:
    """All content streams of a PDF, inflated (fpdf2 compresses them with zlib)."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        raw = match.group(1)
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return b"\n".join(out)


def test_plan_pdf_has_its_sections_in_dutch_with_accents_and_euros(plan, tmp_path):
    path = plan_pdf(plan, tmp_path / "plan.pdf", profile_name="voorbeeld.yaml")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    assert 2 <= pages <= 6
    text = pdf_streams(data)
    for phrase in ("Cliëntprofiel", "Wmo: voorzieningen in het IVP", "Zvw: voorzieningen in het IVP",
                   "Uiterlijk aanvragen", "Budget in de tijd", "Tijdlijn", "Bronnen en aannames",
                   "Opgesteld door het ALS-behandelteam", "Handtekening", "Elektrische rolstoel",
                   "Toilet douche/föhninstallatie", "cliëntgebonden", wheelchair_cost(plan), "Huisman", "prijspeil 2022",
                   "Drempel voor een oormerk", "De overlevingsprognose staat niet in dit plan"):
        assert pdf_text(phrase).encode("windows-1252") in text, phrase
    assert b"/WinAnsiEncoding" in data  # so that the viewer maps byte 0x80 to the euro sign
    assert b"(Zorgunit)" not in text  # not in the plan, so not a cell of its table
    assert b"mediane overleving" not in text  # the prognosis only when asked for


def wheelchair_cost(plan) -> str:
    """The electric wheelchair's cost as the PDF prints it (euros of the IVP's year)."""
    table = plan.table.set_index("provision_id")
    return format_euro(table.at["elektrische_rolstoel", "cost_eur"])


def test_the_prognosis_is_printed_only_when_asked_for(plan):
    text = pdf_streams(plan_pdf(plan, include_prognosis=True))
    assert b"mediane overleving" in text and b"staat niet in dit plan" not in text


def test_plan_pdf_in_english_has_no_dutch_headings(plan):
    text = pdf_streams(plan_pdf(plan, lang="en"))
    for phrase in (b"Client profile", b"Wmo: provisions in the IVP", b"Request by", b"Sources and assumptions",
                   b"Electric wheelchair", b"Signature", b"Threshold for an earmark"):
        assert phrase in text, phrase
    for dutch in (b"Cli\xebntprofiel", b"Aanvragen uiterlijk", b"Bronnen en aannames", b"Handtekening"):
        assert dutch not in text, dutch


def test_plan_pdf_as_bytes_for_downloads(plan):
    data = plan_pdf(plan)
    assert isinstance(data, bytes) and data.startswith(b"%PDF")


def test_pdf_text_replaces_what_helvetica_cannot_print():
    assert pdf_text("melding → levering, ΔFS ≤ 1") == "melding -> levering, delta FS <= 1"
    assert pdf_text("€ ë é ü –") == "€ ë é ü –"


def test_plan_workbook_one_sheet_per_view_with_euros_as_numbers(plan, tmp_path):
    path = plan_xlsx(plan, tmp_path / "plan.xlsx", profile_name="voorbeeld.yaml")
    book = load_workbook(path)
    assert book.sheetnames == ["Plan", "Budget", "Budget in de tijd", "Spreiding", "Cliëntprofiel", "Aannames"]
    sheet = book["Plan"]
    header = [c.value for c in sheet[3]]
    assert header[:5] == ["Voorziening", "Id", "Financier", "Soort", "Kosten"]
    assert "Aanvragen uiterlijk" in header
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=4)}
    wheelchair = rows["elektrische_rolstoel"]
    cost = wheelchair[header.index("Kosten")]
    # the catalogue's price of 2022, and the cost in euros of the IVP's year (CPI)
    assert wheelchair[header.index("Catalogusprijs (prijspeil)")].value == 30000
    assert wheelchair[header.index("Prijspeil")].value == 2022
    factor = price_index().year_factor(2022, plan.ivp_date.year)
    assert cost.value == pytest.approx(30000 * factor) and factor > 1 and "€" in cost.number_format
    need = wheelchair[header.index("Nodig vanaf P50 (verwacht)")]
    assert isinstance(need.value, dt.datetime) and need.number_format == "dd-mm-yyyy"
    budget = book["Budget"]
    values = [[c.value for c in r] for r in budget.iter_rows(min_row=2)]
    wmo_client = next(v for v in values if v[0] == "Wmo" and v[1] == "cliëntgebonden")
    assert wmo_client[13:15] == [35000, 55000]  # the protocol's range, from ivp.domain.catalog.subtotals
    assert "€" in budget.cell(row=2, column=3).number_format
    assumptions = {r[1].value: r for r in book["Aannames"].iter_rows(min_row=2)}
    assert "reserve_percentile" in assumptions and "residual_useful_life_years" in assumptions
    assert assumptions["earmark_min_probability"][2].value == "10 %"
    assert "oormerk" in assumptions["earmark_min_probability"][3].value  # the Dutch explanation
    shares = [r[header.index("Kans aanvraag (nodig × gebruikt)")] for r in sheet.iter_rows(min_row=4)]
    assert all(c.number_format == "0%" and (c.value is None or 0 <= c.value <= 1) for c in shares)


def test_plan_workbook_in_english(plan):
    book = load_workbook(io.BytesIO(plan_xlsx(plan, lang="en")))
    assert book.sheetnames == ["Plan", "Budget", "Budget over time", "Spread", "Client profile", "Assumptions"]
    header = [c.value for c in book["Plan"][3]]
    assert "Request by" in header and "Provision" in header


def test_plan_workbook_as_bytes(plan):
    data = plan_xlsx(plan)
    assert data[:2] == b"PK"


def test_reserve_workbook(tmp_path):
    scenario = load_scenario("protocol")
    result = run_reserve(0, 2, scenario, replications=2, start=dt.date(2027, 1, 1))
    book = load_workbook(reserve_xlsx(result, tmp_path / "reserve.xlsx"))
    assert {"Reserve per jaar", "Samenvatting", "Aannames"} <= set(book.sheetnames)
    sheet = book["Reserve per jaar"]
    header = [c.value for c in sheet[3]]
    assert header[0] == "Jaar" and "Reserve (P90 van de jaaruitgaven)" in header
    years = [r[0].value for r in sheet.iter_rows(min_row=4)]
    assert years == [2027, 2028, "totaal"]  # years as numbers
    summary = book["Samenvatting"]
    shares = [r for r in summary.iter_rows(min_row=2) if r[2].value == "Aandeel aanvragen met gat > 20 werkdagen"]
    assert all(r[3].number_format == "0%" for r in shares)

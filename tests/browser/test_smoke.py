"""Real-browser smoke test: every page of the running app in Debian's headless Chromium.

Visits each page, checks key Dutch text, downloads the plan's PDF, switches to English once,
refuses a bad upload in the page, checks that the browser fetched nothing from outside this
computer, and saves a screenshot of each page: to tests/artifacts/screenshots/ (ignored by
git), or with IVP_UPDATE_SCREENSHOTS=1 to docs/screenshots/, which the README shows, so that
a test run does not leave the committed pictures modified.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ("docs/screenshots" if os.environ.get("IVP_UPDATE_SCREENSHOTS") == "1" else "tests/artifacts/screenshots")

# (url path, screenshot name, viewport height, texts that must be on the page)
PAGES = [
    ("", "ivp-opstellen", 1500, ["IVP opstellen", "Voorbeeldcliënt", "Voorzieningen in het plan", "Tijdlijn"]),
    ("protocol-vs-praktijk", "protocol-vs-praktijk", 1300,
     ["Protocol vs praktijk", "De uitkomsten naast elkaar", "Spreiding over de herhalingen"]),
    ("gemeente", "gemeente", 1300, ["Gemeente: reserve voor ALS-voorzieningen", "Reserveregel", "Per jaar"]),
    ("catalogus", "catalogus", 1000,
     ["Catalogus van voorzieningen", "Subtotalen naast de bedragen van het protocol", "€ 108.000"]),
    ("scenarios", "scenarios", 1000, ["Scenario's", "Stappen en doorlooptijden (werkdagen)"]),
    ("over", "over", 1000, ["Wat de app wel en niet claimt", "Bronnen", "Westeneng"]),
    ("register", "register", 1200, ["IVP-register", "Cliëntenbestand inlezen", "WMO-2026-002", "Wlz-opname"]),
]


def wait_until_idle(page, quiet_seconds: float = 1.0, timeout: float = 90.0) -> None:
    """Wait until Streamlit has finished running the script (no status widget for a while)."""
    page.wait_for_selector('[data-testid="stApp"]')
    status = page.locator('[data-testid="stStatusWidget"]')
    deadline = time.monotonic() + timeout
    quiet_since = None
    while time.monotonic() < deadline:
        if status.count() == 0 or not status.first.is_visible():
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= quiet_seconds:
                return
        else:
            quiet_since = None
        time.sleep(0.1)
    raise AssertionError("the app kept running")


def open_page(page, app_url: str, path: str) -> None:
    page.goto(f"{app_url}/{path}")
    page.wait_for_selector("h1")
    wait_until_idle(page)


def wait_for_charts(page) -> None:
    """Wait until every visible Plotly chart has drawn (they load after the page: a
    skeleton first, then the chart)."""
    skeletons = page.locator('[data-testid="stSkeleton"]')
    deadline, quiet_since = time.monotonic() + 30, None
    while time.monotonic() < deadline:
        if skeletons.count() == 0:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= 1.0:
                break
        else:
            quiet_since = None
        time.sleep(0.1)
    charts = page.locator('[data-testid="stPlotlyChart"]')
    for index in range(charts.count()):
        chart = charts.nth(index)
        if chart.is_visible():
            chart.locator(".main-svg").first.wait_for(state="attached", timeout=30_000)
    page.wait_for_timeout(700)


def assert_no_traceback(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    body = page.inner_text("body")
    assert "Traceback" not in body
    assert "kon niet worden berekend" not in body, body[:2000]


@pytest.mark.parametrize("path,name,height,texts", PAGES, ids=[p[1] for p in PAGES])
def test_page_renders_in_dutch(page, app_url, path, name, height, texts):
    page.set_viewport_size({"width": 1440, "height": height})
    open_page(page, app_url, path)
    for text in texts:
        page.get_by_text(text, exact=False).first.wait_for(state="attached")  # table cells live in a hidden grid
    assert_no_traceback(page)
    wait_for_charts(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_plan_pdf_and_excel_download(page, app_url, tmp_path):
    open_page(page, app_url, "")
    page.get_by_text("Voorzieningen in het plan").first.wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download het plan (PDF)").click()
    pdf = tmp_path / download.value.suggested_filename
    download.value.save_as(pdf)
    assert pdf.suffix == ".pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5_000
    with page.expect_download() as download:
        page.get_by_role("button", name="Download het plan (Excel)").click()
    xlsx = tmp_path / download.value.suggested_filename
    download.value.save_as(xlsx)
    assert xlsx.read_bytes().startswith(b"PK")  # a zip: an Excel workbook
    assert_no_traceback(page)


def test_language_switch_to_english(page, app_url):
    open_page(page, app_url, "over")
    page.get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="What the app does and does not claim").wait_for()
    wait_until_idle(page)
    assert_no_traceback(page)


def test_catalog_bad_upload_shows_rows_and_fields(page, app_url, tmp_path):
    bad = tmp_path / "eigen_prijzen.csv"
    bad.write_text("id,cost_eur\ntraplift,-5\nbestaat_niet,100\n", encoding="utf-8")
    open_page(page, app_url, "catalogus")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(bad))
    page.get_by_text("eigen_prijzen.csv is niet gebruikt").first.wait_for()
    wait_until_idle(page)
    assert_no_traceback(page)


def test_register_imports_a_caseload_only_after_confirmation(page, app_url, tmp_path):
    upload = tmp_path / "nieuw.csv"
    upload.write_text("client_id;diagnosis_date;age_at_onset\nNIEUW-1;02-11-2026;66,5\nNIEUW-2;16-11-2026;59\n",
                      encoding="utf-8")
    page.set_viewport_size({"width": 1440, "height": 1100})
    open_page(page, app_url, "register")
    page.get_by_role("tab", name="Cliëntenbestand inlezen").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(upload))
    page.get_by_text("2 cliënten in nieuw.csv").first.wait_for()
    confirm = page.get_by_text("Ik bevestig: leg dit vast in het register").locator("visible=true")
    page.get_by_role("button", name="Inlezen").click()
    page.get_by_text("Vink eerst de bevestiging aan").first.wait_for()
    confirm.first.click()
    page.get_by_role("button", name="Inlezen").click()
    page.get_by_text("2 cliënten ingelezen.").first.wait_for()
    wait_until_idle(page)
    assert_no_traceback(page)
    page.get_by_role("tab", name="Cliënten").first.click()
    page.get_by_text("NIEUW-2", exact=False).first.wait_for(state="attached")

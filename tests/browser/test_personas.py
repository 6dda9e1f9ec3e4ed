"""Each user's path through the app in the real browser, as issue 14 describes them, with a
screenshot of every step (tests/artifacts/screenshots/personas/, or docs/screenshots/ with
IVP_UPDATE_SCREENSHOTS=1) and the time each step took (printed; the closing note quotes them).

* the ALS team's occupational therapist: clears ΔFS (computed from the ALSFRS-R and the
  delay), enters an inconsistent profile and sees the problem beside the field and no stale
  plan, corrects it, and downloads the PDF for the municipality (no prognosis);
* the municipality's Wmo policy officer: compares the protocol with current practice on the
  Gemeente page with a caseload (used only after "Bereken"), and downloads the council PDF;
* the patient association: reads the comparison, its explanation and the sensitivity of the
  assumptions, and downloads the tables;
* the ALS team at a follow-up visit: loads the example client and its two example visits
  and reads the previous and the updated timeline side by side, and what changed;
* on a phone (390 px wide): the language switch is in sight and the plan reads as a list.
"""

from __future__ import annotations

import re
import time
import zlib

import pytest

from ivp.application.examples import EXAMPLES_DIR
from tests.browser.test_smoke import SCREENSHOTS, assert_no_traceback, open_page, wait_for_charts, wait_until_idle

pytestmark = pytest.mark.browser
SHOTS = SCREENSHOTS / "personas"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def timed(label: str, step) -> None:
    began = time.perf_counter()
    step()
    print(f"[persona] {label}: {time.perf_counter() - began:.1f} s")


def pdf_text(data: bytes) -> bytes:
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            streams.append(zlib.decompress(match.group(1)))
        except zlib.error:
            streams.append(match.group(1))
    return b"\n".join(streams)


def number_field(page, label: str):
    return page.get_by_role("spinbutton", name=label, exact=True)


def test_the_occupational_therapist(page, app_url, tmp_path):
    page.set_viewport_size({"width": 1440, "height": 1200})
    timed("therapist: the page opens with its first figures", lambda: (
        open_page(page, app_url, ""), page.get_by_text("Voorzieningen in het plan").first.wait_for()))
    page.get_by_text("Profiel van de cliënt (openen om aan te passen)").click()
    dfs = number_field(page, "Progressiesnelheid ΔFS (punten per maand)")
    assert dfs.input_value() == ""  # the example leaves ΔFS empty: computed
    page.get_by_text("ΔFS berekend uit ALSFRS-R en vertraging: 0,50").first.wait_for()
    # an inconsistent profile: ΔFS 0,50 with ALSFRS-R 30 after 10 months
    dfs.fill("0.5")
    alsfrs = number_field(page, "ALSFRS-R bij diagnose (0–48)")
    alsfrs.fill("30")
    alsfrs.press("Tab")
    timed("therapist: an inconsistent profile is refused", lambda: (
        page.get_by_role("button", name="Bereken het IVP").click(), wait_until_idle(page)))
    page.get_by_text("past niet bij 48 − ΔFS").first.wait_for()
    shot(page, "therapist-1-refused")
    assert page.locator('[data-testid="stMetric"]').count() == 0  # no stale plan
    # empty ΔFS again: computed from the other two, and the plan comes back
    dfs = number_field(page, "Progressiesnelheid ΔFS (punten per maand)")
    dfs.fill("")
    dfs.press("Tab")
    timed("therapist: the corrected profile gives a plan", lambda: (
        page.get_by_role("button", name="Bereken het IVP").click(), wait_until_idle(page),
        page.get_by_text("Voorzieningen in het plan").first.wait_for()))
    page.get_by_text("ΔFS berekend uit ALSFRS-R en vertraging: 1,80").first.wait_for(state="attached")
    assert_no_traceback(page)
    wait_for_charts(page)
    shot(page, "therapist-2-plan")
    page.get_by_text("Wat wanneer aanvragen").click()
    page.get_by_text("in de volgorde waarin ze aangevraagd moeten worden").first.wait_for()
    page.get_by_label("Naam of dossiernummer op het plan (optioneel)", exact=True).fill("WMO-2026-042")
    page.keyboard.press("Tab")
    wait_until_idle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download het plan (PDF)").click()
    data = download.value.path().read_bytes()
    text = pdf_text(data)
    assert data.startswith(b"%PDF") and b"staat niet in dit plan" in text and b"Handtekening" in text
    assert b"WMO-2026-042" in text


def test_the_municipality_officer(page, app_url, tmp_path):
    page.set_viewport_size({"width": 1440, "height": 1300})
    timed("officer: the Gemeente page opens with its reserve", lambda: (
        open_page(page, app_url, "gemeente"), page.get_by_text("Reserveregel").first.wait_for()))
    page.get_by_text("Gemeente en berekening").click()
    page.get_by_role("combobox", name="Vergelijk met").click()
    page.get_by_role("option", name="Huidige praktijk").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(EXAMPLES_DIR / "caseload.csv"))
    page.wait_for_timeout(1500)
    assert page.get_by_text("7 huidige cliënten").count() == 0  # waits for the button
    timed("officer: both routes with the caseload", lambda: (
        page.get_by_role("button", name="Bereken de reserve").click(), wait_until_idle(page),
        page.get_by_text("Verschil reserve (B − A)").first.wait_for(state="attached")))
    page.get_by_text("7 huidige cliënten").first.wait_for()
    page.get_by_text("95 % zekerheid").first.wait_for()
    assert_no_traceback(page)
    wait_for_charts(page)
    shot(page, "officer-1-reserve")
    with page.expect_download() as download:
        page.get_by_role("button", name="Samenvatting voor de raad (PDF, 1 pagina)").click()
    data = download.value.path().read_bytes()
    assert data.startswith(b"%PDF") and b"samenvatting voor de raad" in pdf_text(data)


def test_the_patient_association(page, app_url, tmp_path):
    page.set_viewport_size({"width": 1440, "height": 1400})
    timed("association: the comparison opens", lambda: (
        open_page(page, app_url, "protocol-vs-praktijk"), page.get_by_text("De uitkomsten naast elkaar").first.wait_for()))
    page.get_by_text("Behoefte ná diagnose").first.wait_for()  # the > 20 werkdagen figure explained
    page.get_by_text("%-punt").first.wait_for(state="attached")  # differences of shares in percentage points
    timed("association: the sensitivity of the assumptions", lambda: (
        page.get_by_role("button", name="Bereken de gevoeligheid (ongeveer 5 s)").click(), wait_until_idle(page),
        page.get_by_text("aanname ×1,5").first.wait_for()))
    assert_no_traceback(page)
    wait_for_charts(page)
    page.get_by_text("Gevoeligheid: welke aanname telt het zwaarst?").scroll_into_view_if_needed()
    shot(page, "association-1-sensitivity")
    with page.expect_download() as download:
        page.get_by_role("button", name="Tabellen als Excel").click()
    assert download.value.path().read_bytes().startswith(b"PK")


def test_the_team_at_a_follow_up_visit(page, app_url):
    timed("follow-up: open the page", lambda: (
        open_page(page, app_url, ""), page.get_by_text("Voorzieningen in het plan").first.wait_for()))
    page.get_by_text("Profiel van de cliënt (openen om aan te passen)").click()
    page.get_by_role("combobox", name="Begin met een voorbeeldprofiel (optioneel)").click()
    page.get_by_role("option", name=re.compile("^32 jaar bij de diagnose")).click()
    wait_until_idle(page)
    page.get_by_text("Vervolgbezoeken (0)").click()
    timed("follow-up: load two visits, plan as of the last", lambda: (
        page.get_by_role("button", name=re.compile("voorbeeldbezoeken van dit voorbeeldprofiel")).click(),
        wait_until_idle(page), page.get_by_role("tab", name="Vervolg").click(),
        page.get_by_text("Nieuw plan (per 08-09-2027)").first.wait_for()))
    assert_no_traceback(page)
    page.get_by_text("Vorig plan (per 10-03-2027)").first.wait_for()
    wait_for_charts(page)
    page.get_by_text("Vorig plan (per 10-03-2027)").first.evaluate("e => e.scrollIntoView({block: 'start'})")
    shot(page, "followup-1-timelines")
    page.get_by_text("Wat werd van het oormerk van het vorige plan").first.scroll_into_view_if_needed()
    shot(page, "followup-2-changes")


def test_on_a_phone(page, app_url):
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, app_url, "")
    page.get_by_text("Voorzieningen in het plan").first.wait_for()
    switch = page.get_by_text("English", exact=True)
    assert switch.is_visible()  # not folded away with the sidebar
    page.get_by_text("Wat wanneer aanvragen").click()
    page.get_by_text("in de volgorde waarin ze aangevraagd moeten worden").first.wait_for()
    shot(page, "phone-1-agenda")
    switch.click()
    page.get_by_text("What to request when").first.wait_for()
    wait_until_idle(page)
    assert_no_traceback(page)

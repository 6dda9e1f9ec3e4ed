"""Real-browser smoke test: every page of the running app in headless Chromium.

Visits each page, checks key Dutch text, downloads the plan's PDF, switches to English once,
and saves a screenshot of each page to docs/screenshots/ (the README shows them).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"

# (url path, screenshot name, texts that must be on the page)
PAGES = [
    ("", "ivp-opstellen", ["IVP opstellen"]),
    ("protocol-vs-praktijk", "protocol-vs-praktijk", ["Protocol vs praktijk"]),
    ("gemeente", "gemeente", ["Gemeente"]),
    ("catalogus", "catalogus", ["Catalogus van voorzieningen", "Subtotalen naast de bedragen van het protocol", "€ 108.000"]),
    ("scenarios", "scenarios", ["Scenario's"]),
    ("over", "over", ["Wat de app wel en niet claimt", "Bronnen", "Westeneng"]),
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


def assert_no_traceback(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    body = page.inner_text("body")
    assert "Traceback" not in body


@pytest.mark.parametrize("path,name,texts", PAGES, ids=[p[1] for p in PAGES])
def test_page_renders_in_dutch(page, app_url, path, name, texts):
    open_page(page, app_url, path)
    for text in texts:
        page.get_by_text(text, exact=False).first.wait_for(state="attached")  # table cells live in a hidden grid
    assert_no_traceback(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


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
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    page.get_by_text("eigen_prijzen.csv is niet gebruikt").first.wait_for()
    wait_until_idle(page)
    assert_no_traceback(page)

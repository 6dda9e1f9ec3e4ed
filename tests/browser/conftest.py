"""Fixtures of the real-browser smoke test: the app served on a free localhost port, and
Debian's headless Chromium driven by Playwright.

Playwright's own browser download does not work on this machine; the test uses the Debian
package ``chromium`` (``/usr/bin/chromium``), which ``python3 tasks.py test`` installs. The
tests are skipped when it is missing, except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("IVP_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT = 60


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if os.environ.get("CI", "").lower() == "true":
        return  # the fixture fails loudly instead
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing (install Debian's chromium; CI=true makes this a failure)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200 and response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"streamlit did not become healthy within {SERVER_START_TIMEOUT} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def app_url(tmp_path_factory) -> str:
    """Start ``streamlit run app.py`` on a free localhost port; yield its URL."""
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    streamlit = Path(sys.executable).with_name("streamlit")
    command = [
        str(streamlit) if streamlit.exists() else shutil.which("streamlit") or "streamlit",
        "run", str(ROOT / "app.py"),
        "--server.port", str(port),
        "--server.address", "localhost",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]
    # The app's own defaults (1,000 courses per plan): what the screenshots show; the Register
    # page shows the example municipality's register (tools/register_example.py), in a temporary file.
    env = {k: v for k, v in os.environ.items() if not k.startswith("IVP_APP_")}
    from tools.register_example import build

    register = tmp_path_factory.mktemp("register") / "voorbeeld.sqlite"
    build(register)
    env["IVP_REGISTER"] = str(register)
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://localhost:{port}"
    try:
        _wait_healthy(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing; CI must install Debian's chromium (python3 tasks.py test does)")
    from playwright.sync_api import sync_playwright

    # Playwright gives every launch a new, empty profile (--user-data-dir) of its own.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture()
def page(browser, app_url):
    """A fresh browser tab; afterwards, checks that nothing was fetched from outside this computer."""
    context = browser.new_context(
        viewport={"width": 1440, "height": 1000}, locale="nl-NL", accept_downloads=True, timezone_id="Europe/Amsterdam"
    )
    outside = []
    context.on("request", lambda request: None if _local(request.url) else outside.append(request.url))
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()
    assert not outside, f"the page fetched from outside this computer: {outside}"


def _local(url: str) -> bool:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname in ("localhost", "127.0.0.1", "::1")

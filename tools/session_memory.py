"""The app server's memory per browser session, for docs/app.md.

    .venv/bin/python -m tools.session_memory [--sessions 10]

Starts ``streamlit run app.py`` on a free localhost port, opens sessions one after another in
Debian's headless chromium (Playwright), waits for each to show its first figures, and prints
the server's resident memory (with its child processes) idle, after each session and after
all are closed.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    process = psutil.Process(pid)
    return (process.memory_info().rss + sum(c.memory_info().rss for c in process.children(recursive=True))) / 2**20


def measure(sessions: int = 10) -> dict:
    """``idle_mb``, per session ``(seconds to first figures, server MB)`` in ``sessions``, and
    ``closed_mb`` after every session closed."""
    port = _free_port()
    server = subprocess.Popen([str(Path(sys.executable).with_name("streamlit")), "run", str(ROOT / "app.py"),
                               "--server.port", str(port), "--server.headless", "true",
                               "--browser.gatherUsageStats", "false", "--server.address", "localhost"],
                              cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out: dict = {"sessions": []}
    try:
        for _ in range(120):
            try:
                socket.create_connection(("localhost", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        time.sleep(2)
        out["idle_mb"] = _rss_mb(server.pid)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            for i in range(1, sessions + 1):
                page = browser.new_context().new_page()
                began = time.perf_counter()
                page.goto(f"http://localhost:{port}/", timeout=120_000)
                page.get_by_text("berekend in").first.wait_for(timeout=120_000)
                out["sessions"].append((time.perf_counter() - began, _rss_mb(server.pid)))
            browser.close()
        time.sleep(3)
        out["closed_mb"] = _rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(10)
    return out


def per_session_mb(result: dict) -> float:
    """The server's growth per session after the first (which pays for the imports and the
    default plan): the mean step from the second session on."""
    mb = [m for _, m in result["sessions"]]
    return (mb[-1] - mb[0]) / (len(mb) - 1) if len(mb) > 1 else float("nan")


def report(result: dict) -> list[str]:
    lines = [f"server idle: {result['idle_mb']:.0f} MB"]
    lines += [f"session {i}: first figures after {seconds:.1f} s, server {mb:.0f} MB"
              for i, (seconds, mb) in enumerate(result["sessions"], start=1)]
    lines.append(f"after closing every session: {result['closed_mb']:.0f} MB")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    print("\n".join(report(measure(parser.parse_args(argv).sessions))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

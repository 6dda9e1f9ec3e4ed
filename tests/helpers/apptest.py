"""Helpers for the app's AppTest tests (tests/test_app_*.py): open a page, small runs."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
PAGES = {
    "plan": "ivp/application/web/pages/plan.py",
    "compare": "ivp/application/web/pages/compare.py",
    "reserve": "ivp/application/web/pages/reserve.py",
    "catalog": "ivp/application/web/pages/catalog.py",
    "scenarios": "ivp/application/web/pages/scenarios.py",
    "about": "ivp/application/web/pages/about.py",
    "register": "ivp/application/web/pages/register.py",
}
TEST_REPLICATIONS = 8
"""Replications per run in the AppTest tests: enough to have a spread, fast to compute."""


def open_app(page: str | None = None, lang: str = "nl", timeout: float = 120,
             replications: int = TEST_REPLICATIONS) -> AppTest:
    """The app after its first run, on ``page`` (default: the start page), in ``lang``, with
    ``replications`` for this session (the plan's; comparison and reserve derive theirs)."""
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.session_state["lang"] = lang
    at.session_state["settings.replications"] = replications
    at.run()
    if page is not None:
        at.switch_page(PAGES[page]).run()
    return at


def shown(markdown: str) -> str:
    """A Markdown source as the reader sees its characters: backslash escapes removed (the
    app escapes user texts such as file names, ``ivp.application.web.ui.plain``)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at: AppTest) -> str:
    """Every text the page shows (markdown, headings, captions, messages), one per line."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts.extend(shown(str(element.value)) for element in getattr(at, kind))
    return "\n".join(parts)


def metrics(at: AppTest) -> dict[str, str]:
    """The page's metrics, label → shown value."""
    return {m.label: m.value for m in at.metric}


def click(at: AppTest, label: str) -> AppTest:
    """Click the button with ``label`` and rerun the page."""
    next(b for b in at.button if b.label == label).click()
    return at.run()

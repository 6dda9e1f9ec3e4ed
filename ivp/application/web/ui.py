"""UI helpers shared by the pages: refused input as a message, sources, formats, uploads.

Every model call in a page runs inside :func:`guard`: an :class:`ivp.domain.errors.InputError`
becomes a message that names the file, row and field of each problem; any other error
becomes a short message (the details go to the server log, never to the page). The rest of
the page keeps working.
"""

from __future__ import annotations

import contextlib
import logging
import re
from typing import Iterator

import pandas as pd
import streamlit as st

from ivp.application import formatting
from ivp.application.web.i18n import lang, problem_message, t
from ivp.domain.errors import InputError

log = logging.getLogger("ivp.application.web")

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
"""Largest upload the pages accept (the server's own limit, .streamlit/config.toml, is 2 MB
too); a caseload or override table of a municipality is a few kilobytes."""


# -- formats ---------------------------------------------------------------------------


def euro(amount: object, decimals: int = 0) -> str:
    return formatting.format_euro(amount, lang(), decimals)


def number(value: object, decimals: int = 0) -> str:
    return formatting.format_number(value, lang(), decimals)


def percent(fraction: object, decimals: int = 0) -> str:
    return formatting.format_percent(fraction, lang(), decimals)


def points(fraction: object, decimals: int = 1) -> str:
    return formatting.format_points(fraction, lang(), decimals)


def date(value: object) -> str:
    return formatting.format_date(value, lang())


def werkdagen(n: object, decimals: int = 0) -> str:
    return formatting.format_werkdagen(n, lang(), decimals)


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")


def plain(text: object) -> str:
    """User text (a scenario's name or description, a file name) for a Markdown element,
    shown literally: every Markdown, LaTeX and Streamlit directive character is escaped, so a
    shared file cannot make the page fetch an image, show a link or change its layout."""
    return _MARKDOWN.sub(r"\\\1", " ".join(str(text).split()))


# -- refused input ---------------------------------------------------------------------


def problems_frame(error: InputError) -> pd.DataFrame:
    """One row per problem: row, field, message (in the current language)."""
    return pd.DataFrame(
        {
            t("common.row"): [("" if p.row is None else str(p.row)) for p in error.problems],
            t("common.field"): [p.field for p in error.problems],
            t("common.message"): [problem_message(p) for p in error.problems],
        }
    )


def show_input_error(error: InputError, source: str | None = None) -> None:
    """A refused input: one headline and a table naming row, field and problem."""
    sources = sorted({p.source for p in error.problems})
    source = source or ", ".join(sources)
    n = len(error.problems)
    st.error(
        t("common.refused", source=plain(source), n=n, problems=t("common.problem" if n == 1 else "common.problems")),
        icon="⚠️",
    )
    st.dataframe(problems_frame(error), hide_index=True, width="stretch")


@contextlib.contextmanager
def guard(what: str, source: str | None = None) -> Iterator[None]:
    """Run a part of a page; show refused input or an unexpected error as a message.

    Streamlit's own control flow (``st.rerun``, ``st.stop``) derives from ``BaseException``
    and passes through untouched.
    """
    try:
        yield
    except InputError as error:
        show_input_error(error, source)
    except Exception:  # the page must never show a traceback
        log.exception("error in %s", what)
        st.error(t("common.unexpected", what=what), icon="⚠️")


# -- uploads ---------------------------------------------------------------------------


def upload_bytes(upload) -> bytes | None:
    """The bytes of an upload, or ``None`` (with a message) when it is too large."""
    if upload is None:
        return None
    size = getattr(upload, "size", None)
    if size is None or size > MAX_UPLOAD_BYTES:
        data = upload.getvalue()
        size = len(data)
    else:
        data = None
    if size > MAX_UPLOAD_BYTES:
        st.error(
            t(
                "common.too_large",
                name=plain(upload.name),
                size=f"{number(size / 1024)} kB",
                limit=f"{number(MAX_UPLOAD_BYTES / 1024)} kB",
            ),
            icon="⚠️",
        )
        return None
    return data if data is not None else upload.getvalue()


# -- sources ---------------------------------------------------------------------------


def sources_section(page_text_key: str | None = None) -> None:
    """The page's "Bronnen en aannames" expander, with a link to every source on Over."""
    with st.expander(t("common.sources"), icon=":material/menu_book:"):
        if page_text_key:
            st.markdown(t(page_text_key))
        st.page_link("ivp/application/web/pages/about.py", label=t("common.all_sources"), icon=":material/info:")

"""Over: what the tool does and does not claim, the model in short, every source, the version."""

from __future__ import annotations

import streamlit as st

import ivp
from ivp.application.web import cache, ui
from ivp.application.web.i18n import (
    DOCUMENT_SOURCES,
    FIGURE_SOURCES,
    METHOD_SOURCES,
    lang,
    t,
)


def _sources(items: tuple[tuple[str, str, str], ...]) -> str:
    index = 2 if lang() == "en" else 1
    return "\n".join(f"- {item[0]}  \n  {item[index]}" for item in items)


def render() -> None:
    st.title(t("about.title"))
    st.header(t("about.what"))
    st.markdown(t("about.what.body"))
    st.header(t("about.claims"))
    st.markdown(t("about.claims.body"))
    st.header(t("about.model"))
    n = ""
    with ui.guard(t("about.model")):
        n = len(cache.load_catalog())
    st.markdown(t("about.model.body", n=n))
    st.header(t("about.sources"))
    st.subheader(t("about.sources.documents"))
    st.markdown(_sources(DOCUMENT_SOURCES))
    st.subheader(t("about.sources.figures"))
    st.markdown(_sources(FIGURE_SOURCES))
    st.subheader(t("about.sources.method"))
    st.markdown(_sources(METHOD_SOURCES))
    st.header(t("about.privacy"))
    st.markdown(t("about.privacy.body"))
    st.header(t("about.version"))
    st.markdown(t("about.version.body", version=ivp.__version__))


render()

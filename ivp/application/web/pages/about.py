"""Over: what the tool does and does not claim, the model in short, every source, the version."""

from __future__ import annotations

import streamlit as st

import ivp
from ivp.application.web import cache, ui
from ivp.application.web.i18n import sources, t


def _sources(group: str) -> str:
    return "\n".join(f"- {citation}  \n  {role}" for citation, role in sources(group))


def render() -> None:
    st.title(t("about.title"))
    st.header(t("about.what"))
    st.markdown(t("about.what.body"))
    st.header(t("about.claims"))
    st.markdown(t("about.claims.body"))
    st.header(t("about.model"))
    n = extra = ""
    with ui.guard(t("about.model")):
        catalog = cache.load_catalog()
        n = sum(p.protocol_table for p in catalog)
        extra = len(catalog) - n
    st.markdown(t("about.model.body", n=n, extra=extra))
    st.header(t("about.sources"))
    st.subheader(t("about.sources.documents"))
    st.markdown(_sources("document"))
    st.subheader(t("about.sources.figures"))
    st.markdown(_sources("figure"))
    st.subheader(t("about.sources.method"))
    st.markdown(_sources("method"))
    st.header(t("about.privacy"))
    st.markdown(t("about.privacy.body"))
    st.header(t("about.version"))
    st.markdown(t("about.version.body", version=ivp.__version__))


render()

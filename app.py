"""IVP Planner, the app: ``python3 tasks.py app`` (or ``streamlit run app.py``).

This script runs on every interaction: it sets up the page, the language switch at the top
of the page and the sources in the sidebar, and hands over to the chosen page in ``ivp/application/web/pages/``. It opens on
"IVP opstellen" with a built-in default client.
"""

from __future__ import annotations

import streamlit as st

import ivp
from ivp.application.web.i18n import LANG_KEY, LANG_NAMES, LANGS, t
from ivp.application.web.ui import guard

# No page_icon: the browser would fetch a material icon's favicon from the internet.
st.set_page_config(page_title=t("app.title"), layout="wide")

PAGES = (
    # (file, title key, url path, section). No page icons: Streamlit makes the current page's
    # icon the favicon, and the browser fetches a material icon's favicon from the internet.
    ("ivp/application/web/pages/plan.py", "nav.plan", "ivp", "work"),
    ("ivp/application/web/pages/compare.py", "nav.compare", "protocol-vs-praktijk", "work"),
    ("ivp/application/web/pages/reserve.py", "nav.reserve", "gemeente", "work"),
    ("ivp/application/web/pages/register.py", "nav.register", "register", "work"),
    ("ivp/application/web/pages/catalog.py", "nav.catalog", "catalogus", "reference"),
    ("ivp/application/web/pages/scenarios.py", "nav.scenarios", "scenarios", "reference"),
    ("ivp/application/web/pages/about.py", "nav.about", "over", "reference"),
)


def language_switch() -> None:
    """Nederlands / English at the top of every page (not in the sidebar, which a phone
    folds away)."""
    _, right = st.columns([5, 2])
    right.segmented_control(t("app.language"), options=LANGS, format_func=LANG_NAMES.get, key=LANG_KEY,
                            required=True, label_visibility="collapsed", width="stretch")


def sidebar() -> None:
    with st.sidebar:
        with st.expander(t("common.sources"), icon=":material/menu_book:"):
            st.markdown(t("sources.short"))
            st.page_link("ivp/application/web/pages/about.py", label=t("common.all_sources"), icon=":material/info:")
        st.caption(t("app.privacy"))
        st.caption(t("app.version", version=ivp.__version__))


def main() -> None:
    st.session_state.setdefault(LANG_KEY, "nl")
    sections: dict[str, list] = {}
    for index, (path, title, url_path, section) in enumerate(PAGES):
        page = st.Page(path, title=t(title), url_path=url_path, default=index == 0)
        sections.setdefault(t(f"nav.section.{section}"), []).append(page)
    page = st.navigation(sections)
    language_switch()
    sidebar()
    with guard(page.title):  # a last resort: each page guards its own parts
        page.run()


main()

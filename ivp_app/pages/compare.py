"""compare: waits for the model APIs."""

import streamlit as st

from ivp_app import ui
from ivp_app.i18n import t

st.title(t("nav.compare"))
st.info(t("common.not_ready", part="simulation.des"))
ui.sources_section()

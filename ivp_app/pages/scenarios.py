"""scenarios: waits for the model APIs."""

import streamlit as st

from ivp_app import ui
from ivp_app.i18n import t

st.title(t("nav.scenarios"))
st.info(t("common.not_ready", part="simulation.des scenarios"))
ui.sources_section()

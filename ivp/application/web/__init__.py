"""The Streamlit app of IVP Planner: pages and UI helpers.

``app.py`` (the entry point) builds the navigation; each page in :mod:`ivp.application.web.pages` only
calls the libraries ``ivp`` and ``simulation`` through :mod:`ivp.application.web.cache`, shows their
results in Dutch (default) or English (:mod:`ivp.application.web.i18n`) and turns every refused input
into a message in the page (:mod:`ivp.application.web.ui`), never a traceback.
"""

"""The Streamlit app of IVP Planner: pages and UI helpers.

``app.py`` (the entry point) builds the navigation; each page in :mod:`ivp_app.pages` only
calls the libraries ``ivp`` and ``simulation`` through :mod:`ivp_app.cache`, shows their
results in Dutch (default) or English (:mod:`ivp_app.i18n`) and turns every refused input
into a message in the page (:mod:`ivp_app.ui`), never a traceback.
"""

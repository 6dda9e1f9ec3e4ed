"""IVP Planner: the Integraal Voorzieningen Plan for people with ALS/MND in the Netherlands.

The ``ivp`` package holds the domain: the protocol's catalogue of provisions, the Dutch
working-day calendar, the client profile, the plan and its budget, and the reports.
The disease model and the discrete-event simulation live in the sibling package
``simulation``; the Streamlit app (``app.py``) and the CLI (``ivp.cli``) are thin clients.
"""

__version__ = "0.1.0"

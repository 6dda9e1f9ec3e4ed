"""IVP Planner: the Integraal Voorzieningen Plan for people with ALS/MND in the Netherlands.

Three floors, each importing only the ones below it (checked by import-linter in the test
command, ``[tool.importlinter]`` in pyproject.toml):

* :mod:`ivp.domain` - catalogue, calendar, profile, ledger, depot, assumptions, errors;
* :mod:`ivp.models` - the disease model and the process model (SimPy and its vectorised
  equivalent), with the one entry point that runs replications;
* :mod:`ivp.application` - plan, reserve, comparison, reports, the CLI and the app.
"""

__version__ = "0.2.0"

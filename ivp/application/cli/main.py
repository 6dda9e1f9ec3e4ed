"""Entry point of the ``ivp`` command. Each command group lives in its own module and
registers itself on :data:`app` when imported below."""

from ivp.application.cli.app import app
from ivp.application.cli import catalog_cmd  # noqa: F401  (registers `ivp catalog`)
from ivp.application.cli import simulate_cmd  # noqa: F401  (registers `ivp simulate`)
from ivp.application.cli import budget_cmd  # noqa: F401  (registers `ivp plan` and `ivp reserve`)
from ivp.application.cli import disease_cmd  # noqa: F401  (registers `ivp calibrate` and `ivp cohort`)

__all__ = ["app"]

"""Entry point of the ``ivp`` command. Each command group lives in its own module and
registers itself on :data:`app` when imported below."""

from ivp.application.cli import (
    budget_cmd,  # noqa: F401  (registers `ivp plan` and `ivp reserve`)
    catalog_cmd,  # noqa: F401  (registers `ivp catalog`)
    disease_cmd,  # noqa: F401  (registers `ivp calibrate` and `ivp cohort`)
    register_cmd,  # noqa: F401  (registers `ivp register ...`)
    scenarios_cmd,  # noqa: F401  (registers `ivp scenarios` and `ivp examples`)
    sensitivity_cmd,  # noqa: F401  (registers `ivp sensitivity`)
    simulate_cmd,  # noqa: F401  (registers `ivp simulate`)
)
from ivp.application.cli.app import app

__all__ = ["app"]

"""Entry point of the ``ivp`` command. Each command group lives in its own module and
registers itself on :data:`app` when imported below."""

from ivp.cli.app import app
from ivp.cli import catalog_cmd  # noqa: F401  (registers `ivp catalog`)
from ivp.cli import simulate_cmd  # noqa: F401  (registers `ivp simulate`)
from ivp.cli import budget_cmd  # noqa: F401  (registers `ivp plan` and `ivp reserve`)
from ivp.cli import disease_cmd  # noqa: F401  (registers `ivp calibrate` and `ivp cohort`)
from ivp.cli import bench_cmd  # noqa: F401  (registers `ivp bench`)

__all__ = ["app"]

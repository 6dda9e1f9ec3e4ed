"""`ivp scenarios` and `ivp examples`: the shipped routes and example inputs, by name, to
use as they are (``--scenario protocol``, ``--profile jong_beenbegin``) or to copy and edit."""

from __future__ import annotations

from typing import Optional

import typer

from ivp.application.cli.app import app, refuses_bad_input
from ivp.application.examples import EXAMPLES_DIR, profile_names
from ivp.domain.errors import InputError
from ivp.models.process import load_scenario, shipped_scenarios


@app.command()
@refuses_bad_input
def scenarios(show: Optional[str] = typer.Option(None, "--show", help="print this scenario's file (YAML) to copy")) -> None:
    """The shipped scenarios (routes): name, title and file; --show NAME prints one."""
    files = {path.stem: path for path in shipped_scenarios()}
    if show is not None:
        if show not in files:
            raise InputError.single("--show", "show", "one_of", expected=", ".join(files), got=show)
        typer.echo(files[show].read_text(encoding="utf-8"), nl=False)
        return
    for name, path in files.items():
        typer.echo(f"{name:<18} {load_scenario(path).name:<40} {path}")


@app.command()
def examples() -> None:
    """The shipped example inputs: client profiles (for --profile), follow-up visits (for
    --visit), a caseload (for --caseload) and local overrides that rent four devices instead
    of buying them (for --overrides)."""
    for name in profile_names():
        typer.echo(f"{name:<22} {EXAMPLES_DIR / (name + '.yaml')}")
    for path in sorted((EXAMPLES_DIR / "visits").glob("*.yaml")):
        typer.echo(f"{path.stem:<22} {path}")
    typer.echo(f"{'caseload.csv':<22} {EXAMPLES_DIR / 'caseload.csv'}")
    typer.echo(f"{'huur.csv':<22} {EXAMPLES_DIR / 'huur.csv'}")

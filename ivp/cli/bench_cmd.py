"""`ivp bench`: the benchmarks of issue 7 (speed and memory of the real entry points).

The benchmark code lives in the repository's ``benchmarks/`` package (``python -m
benchmarks`` does the same); this command finds it next to the ``ivp`` package, so it works
from a source checkout (an editable install), not from an installed wheel.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ivp.cli.app import app

ROOT = Path(__file__).resolve().parents[2]


@app.command()
def bench(
    cases: Optional[str] = typer.Option(None, "--cases", help="comma-separated cases (default all): disease, plan, "
                                        "compare, municipality, netherlands, simpy_ratio, compare_api"),
    budget: float = typer.Option(270.0, "--budget", help="seconds for all runs (the command stays under 5 minutes)"),
    runs: Optional[int] = typer.Option(None, "--runs", help="runs per case (default: 1-5 per case, within the budget)"),
    tiny: bool = typer.Option(False, "--tiny", help="tiny sizes: a smoke test, not a measurement"),
    out: Path = typer.Option(ROOT / "docs" / "benchmarks.md", "--out", help="the Markdown report to update"),
    write: bool = typer.Option(True, "--write/--no-write", help="update the report (default) or only print"),
) -> None:
    """Speed and memory of the simulator: prints the medians and writes docs/benchmarks.md."""
    if not (ROOT / "benchmarks" / "runner.py").is_file():
        typer.echo("ivp bench needs the repository's benchmarks/ folder (run it from a source checkout).", err=True)
        raise typer.Exit(code=2)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from benchmarks.runner import main

    argv = ["--budget", str(budget), "--out", str(out)]
    if cases:
        argv += ["--cases", cases]
    if runs is not None:
        argv += ["--runs", str(runs)]
    if tiny:
        argv.append("--tiny")
    if not write:
        argv.append("--no-write")
    raise typer.Exit(code=main(argv))

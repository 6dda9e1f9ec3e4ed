"""`ivp sensitivity`: which labelled assumption of a route moves its gap and its cost most
(:mod:`ivp.application.sensitivity`), as a table per metric, largest change first."""

from __future__ import annotations

import json

import numpy as np
import typer

from ivp.application.cli import options
from ivp.application.cli.app import Format, Language, app, refuses_bad_input
from ivp.application.cli.progress import progress_bar
from ivp.application.formatting import format_euro, format_number
from ivp.application.sensitivity import FACTORS, lever_label, sensitivity
from ivp.domain.messages import text
from ivp.models.process import DEFAULT_SEED, load_scenario


@app.command(name="sensitivity")
@refuses_bad_input
def sensitivity_command(
    scenario: str = typer.Option("current_practice", "--scenario", help="a shipped scenario or a scenario file (YAML)"),
    patients: int = typer.Option(100, "--patients", help="new patients per replication"),
    replications: int = typer.Option(50, "--replications", "-r", help="replications of every variant"),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="base seed (the same patients for every variant)"),
    format: Format = typer.Option(Format.table, "--format", help="table or json"),
    lang: Language = typer.Option(Language.nl, "--lang", help="language of the table: nl or en"),
) -> None:
    """Set every labelled assumption of a route lower and higher and show what moves the gap and the cost."""
    options.count("--patients", patients, 1, "patients_max")
    options.count("--replications", replications, 1, "replications_max")
    options.seed(seed)
    chosen = load_scenario(scenario)
    with progress_bar("ivp sensitivity") as progress:
        frame = sensitivity(chosen, patients, replications, seed, progress=progress)
    if format is Format.json:
        typer.echo(json.dumps({"scenario": chosen.name, "factors": list(FACTORS), "patients": patients,
                               "replications": replications, "seed": seed,
                               "levers": frame.replace({np.nan: None}).to_dict(orient="records")},
                              ensure_ascii=False, indent=1))
        return
    lines = [text("cli.sensitivity.header", lang.value, scenario=chosen.name, patients=patients,
                  reps=replications, seed=seed)]
    for metric in ("gap_days_mean", "cost_eur_per_patient"):
        part = frame[frame["metric"] == metric]
        show = (lambda v: format_euro(v, lang.value)) if metric.startswith("cost") else \
            (lambda v: format_number(v, lang.value, 1))
        lines += ["", f"{text(f'compare.metric.{metric}', lang.value)} "
                      f"({text('cli.sensitivity.base', lang.value)} {show(part['base'].iloc[0]) if len(part) else '-'})"]
        width = max([len(lever_label(x, lang.value)) for x in part["lever"]] + [10]) + 2
        lines.append(f"{'':<{width}}{'×0,5' if lang.value == 'nl' else '×0.5':>14}{'×1,5' if lang.value == 'nl' else '×1.5':>14}")
        for row in part.itertuples():
            lines.append(f"{lever_label(row.lever, lang.value):<{width}}{show(row.low_change):>14}{show(row.high_change):>14}")
    lines += ["", text("cli.sensitivity.footer", lang.value)]
    typer.echo("\n".join(lines))

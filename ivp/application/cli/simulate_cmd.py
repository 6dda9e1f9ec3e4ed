"""`ivp simulate`: run a scenario (and optionally a second one on the same patients) and
print the gaps, late and useless deliveries and costs, with their uncertainty.

The JSON layout (``--format json``) is documented in docs/model.md.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd
import typer

from ivp.application.cli import options, outputs
from ivp.application.cli.app import ENGINE_HELP, JOBS_HELP, PROCESSES_HELP, Engine, Format, app, refuses_bad_input
from ivp.application.cli.progress import progress_bar
from ivp.application.comparison import comparison_records, compliance_records, compliance_table
from ivp.application.examples import profile_path
from ivp.application.formatting import format_euro, format_number, format_percent, format_points
from ivp.domain.errors import InputError
from ivp.domain.profile import load_profile
from ivp.models.process import (
    DEFAULT_SEED,
    Client,
    KpiReducer,
    NewPatients,
    load_scenario,
    run,
    scenario_path,
)


def _cohort(profile: Optional[str], patients: int):
    if profile is not None:
        return Client(load_profile(profile_path(profile))), {"kind": "client", "profile": str(profile)}
    options.count("--patients", patients, 1, "patients_max")
    return NewPatients(patients), {"kind": "new_patients", "patients": patients}


def format_value(value: float, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if kind == "share":
        return format_percent(value, "nl", 1)
    if kind == "points":
        return format_points(value, "nl", 1)
    if kind in ("euro", "europerpatient"):
        return format_euro(value, "nl")
    if kind in ("number0",):
        return format_number(value, "nl", 0)
    return format_number(value, "nl", 1)


def render_table(results, names: list[str], header: str) -> str:
    recs = comparison_records(results)
    lines = [header, ""]
    cols = [f"{n}" for n in names]
    if len(results) == 2:
        cols.append("verschil (95 %-BI)")
    width0 = max(len(rec["label_nl"]) for rec in recs) + 2
    body = []
    for rec in recs:
        kind = rec["unit"]
        cells = [f"{format_value(st['mean'], kind)} ({format_value(st['p10'], kind)}–{format_value(st['p90'], kind)})" for st in rec["scenarios"]]
        if "difference" in rec:
            d = rec["difference"]
            kind = "points" if kind == "share" else kind  # a difference of shares is in percentage points
            cells.append(f"{format_value(d['mean'], kind)} ({format_value(d['ci95_low'], kind)}; {format_value(d['ci95_high'], kind)})")
        body.append((rec["label_nl"], cells))
    widths = [max(len(c), *(len(cells[i]) for _, cells in body)) + 3 for i, c in enumerate(cols)]
    lines.append("".ljust(width0) + "".join(c.rjust(w) for c, w in zip(cols, widths)))
    for label, cells in body:
        lines.append(label.ljust(width0) + "".join(c.rjust(w) for c, w in zip(cells, widths)))
    lines.append("")
    lines.append("Gemiddelde over replicaties (P10–P90 tussen replicaties). Een gat is de tijd tussen het")
    lines.append("moment dat een voorziening nodig is en de levering, afgekapt bij einde behoefte of overlijden.")
    lines.append("'Behoefte ná diagnose': alleen voorzieningen die pas na de diagnosedag nodig worden (dag > 0);")
    lines.append("een behoefte die er bij de diagnose al is, kan geen route op tijd leveren.")
    if len(results) == 2:
        lines.append("Verschil = tweede min eerste scenario, per replicatie op dezelfde patiënten (common random numbers).")
    lines += ["", *render_compliance(results, names)]
    return "\n".join(lines)


def render_compliance(results, names: list[str]) -> list[str]:
    """The compliance table: per norm and route the share of applicable requests that broke
    it (mean over replications, P10-P90 between them)."""
    table = compliance_table(results, names)
    labels = [f"{r['Norm']} ({r['Grens']} {r['Eenheid']})" for r in table.to_dict(orient="records")]
    cells = [["-" if math.isnan(r[f"{n}: aandeel overschreden"]) else
              f"{format_value(r[f'{n}: aandeel overschreden'], 'share')} "
              f"({format_value(r[f'{n}: P10'], 'share')}–{format_value(r[f'{n}: P90'], 'share')})" for n in names]
             for r in table.to_dict(orient="records")]
    width0 = max(len(v) for v in labels) + 2
    widths = [max(len(name), *(len(row[i]) for row in cells)) + 3 for i, name in enumerate(names)]
    lines = ["Normen: aandeel aanvragen dat de norm overschrijdt (gemiddelde, P10–P90 tussen replicaties)",
             "".ljust(width0) + "".join(c.rjust(w) for c, w in zip(names, widths))]
    for label, row in zip(labels, cells):
        lines.append(label.ljust(width0) + "".join(c.rjust(w) for c, w in zip(row, widths)))
    lines.append("'-': de norm geldt voor geen aanvraag van deze route (bijv. geen bevestiging gemodelleerd).")
    return lines


@app.command()
@refuses_bad_input
def simulate(
    scenario: str = typer.Option("protocol", "--scenario", help="a shipped scenario (protocol, current_practice, protocol_in_kind, pgb) or a scenario file (YAML)"),
    compare: Optional[str] = typer.Option(None, "--compare", help="a second scenario to run on the same patients"),
    profile: Optional[str] = typer.Option(None, "--profile", help="one client's profile (file or example name); without it, new patients"),
    replications: int = typer.Option(100, "--replications", "-r", help="Monte Carlo replications"),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="base seed (same seed = same patients and results)"),
    patients: int = typer.Option(100, "--patients", help="new patients per replication (without --profile)"),
    format: Format = typer.Option(Format.table, "--format", help="table (Dutch) or json"),
    out: Optional[Path] = typer.Option(None, "--out", help="write the request frame (all replications) as CSV"),
    xlsx: Optional[Path] = typer.Option(None, "--xlsx", help="write the comparison and the norms as an Excel workbook"),
    jobs: int = typer.Option(-1, "--jobs", help=JOBS_HELP),
    processes: bool = typer.Option(False, "--processes", help=PROCESSES_HELP),
    engine: Engine = typer.Option(Engine.auto, "--engine", help=ENGINE_HELP),
    yes: bool = typer.Option(False, "--yes", help="start a run larger than ivp/domain/plausibility.yaml's work_without_confirmation"),
) -> None:
    """Simulate requests racing the decline under a policy; compare two policies side by side."""
    options.count("--replications", replications, 1, "replications_max")
    options.seed(seed)
    files = [scenario] + ([compare] if compare is not None else [])
    inputs = [scenario_path(f) for f in files] + ([profile_path(profile)] if profile is not None else [])
    outputs.check("--out", out, inputs)
    outputs.check("--xlsx", xlsx, inputs)
    problems = []
    loaded = []
    for f in files:
        try:
            loaded.append(load_scenario(f))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    cohort, cohort_info = _cohort(profile, patients)
    work = (1 if profile is not None else patients) * replications * len(loaded)
    options.size(work, yes, "patiënt-replicaties")
    executor = options.executor(jobs, processes, work)
    started = time.perf_counter()
    # the patients of each replication are drawn once for all scenarios (common random numbers)
    with progress_bar("ivp simulate") as progress:
        results = run(loaded, cohort, replications, seed=seed, reducer=KpiReducer(keep_frame=out is not None),
                      engine=engine.value, executor=executor, progress=progress)
    seconds = time.perf_counter() - started
    names = [s.name for s in loaded]
    if out is not None:
        frames = []
        for s, f, r in zip(loaded, files, results):
            fr = r.frame.copy()
            fr.insert(0, "scenario", Path(f).stem)
            frames.append(fr)
        with outputs.atomic("--out", out) as target:
            pd.concat(frames, ignore_index=True).to_csv(target, index=False)
    if xlsx is not None:
        # the reports import fpdf (about 1 s): only when a document is made
        from ivp.application.reports import comparison_xlsx
        with outputs.atomic("--xlsx", xlsx) as target:
            comparison_xlsx(results, names, target, caption=f"({format_number(replications)} replicaties, seed {seed})")
    if format is Format.json:
        doc = {
            "scenarios": [{"name": s.name, "file": str(f), "policy": s.policy} for s, f in zip(loaded, files)],
            "engine": engine.value,
            "cohort": cohort_info, "replications": replications, "seed": seed,
            "seconds": round(seconds, 3),
            "comparison": comparison_records(results),
            "compliance": compliance_records(results),
            "summary": [
                dict(scenario=s.name, **rec)
                for s, r in zip(loaded, results)
                for rec in r.summary.replace({np.nan: None}).to_dict(orient="records")
            ],
        }
        typer.echo(json.dumps(_clean(doc), ensure_ascii=False, indent=1, default=_json_default, allow_nan=False))
        return
    who = f"cliënt uit {profile}" if profile is not None else f"{format_number(patients)} nieuwe patiënten per replicatie"
    header = (f"ivp simulate: {format_number(replications)} replicaties, {who}, seed {seed} "
              f"({format_number(seconds, 'nl', 1)} s)")
    typer.echo(render_table(results, names, header))
    if out is not None:
        typer.echo(f"\nAanvragen per patiënt-voorziening geschreven naar {out}")
    if xlsx is not None:
        typer.echo(f"\nVergelijking en normen geschreven naar {xlsx}")


def _clean(value):
    """NaN (not computable, e.g. a P90 of nothing) becomes JSON null."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    return value


def _json_default(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return None if math.isnan(value) else float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")

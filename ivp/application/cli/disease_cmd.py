"""`ivp calibrate` and `ivp cohort`: the disease model against its published targets, and
a patient-level export of a simulated cohort (columns documented in docs/disease-model.md).
"""

from __future__ import annotations

import json
import math
import textwrap
from pathlib import Path
from typing import Optional

import typer

from ivp.application.cli import options, outputs
from ivp.application.cli.app import Format, Language, app, refuses_bad_input
from ivp.application.formatting import format_number, format_percent
from ivp.domain.messages import text
from ivp.domain.profile import load_profile
from ivp.models.disease.calibration import calibration_report
from ivp.models.disease.cohort import cohort_frame, simulate_cohort
from ivp.models.disease.streams import DEFAULT_SEED

COUNTS = {"scale_order_violations"}
"""Model checks that count (printed without decimals)."""


def _decimals(value: float) -> int:
    return 2 if abs(value) < 10 else 1


def _fmt(value, lang: str, decimals: int | None = None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return format_number(None, lang)
    return format_number(value, lang, decimals if decimals is not None else _decimals(value))


def _target_and_margin(row, lang: str) -> tuple[str, str]:
    if row.kind == "range":
        return f"{_fmt(row.low, lang)}–{_fmt(row.high, lang)}", text("calibrate.range", lang)
    if row.kind == "at_least":
        return f"≥ {_fmt(row.low, lang)}", text("calibrate.at_least", lang)
    if row.kind == "at_most":
        return f"≤ {_fmt(row.high, lang)}", text("calibrate.at_most", lang)
    return _fmt(row.target, lang), "± " + _fmt(row.tolerance, lang, _decimals(row.target))


def render_table(report, lang: str) -> str:
    """The calibration table in ``lang``: one numbered row per target with its verdict;
    under a missed target (or one with a documented gap) the reason, in ``lang``; the
    sources by number at the end."""
    columns = [text(f"calibrate.column.{c}", lang) for c in ("target", "value", "simulated", "margin", "within")]
    rows, notes = [], {}
    for number, row in enumerate(report.rows.itertuples(), start=1):
        label = row.label_nl if lang == "nl" else row.label_en
        target, margin = _target_and_margin(row, lang)
        within = text("common.yes" if row.within else "common.no", lang)
        rows.append((f"{number}. {label}", target, _fmt(row.simulated, lang, _decimals(row.target)), margin, within))
        gap = row.known_gap_nl if lang == "nl" else row.known_gap_en
        if isinstance(gap, str) or not row.within:
            notes[number] = " ".join(gap.split()) if isinstance(gap, str) else text("calibrate.no_reason", lang)
    widths = [max(len(r[i]) for r in [columns, *rows]) for i in range(5)]
    lines = [text("calibrate.title", lang, n=format_number(report.patients, lang), seed=report.seed), ""]
    lines.append("  ".join([columns[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(columns[1:], widths[1:])]))
    lines.append("  ".join("-" * w for w in widths))
    for number, r in enumerate(rows, start=1):
        lines.append("  ".join([r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]))
        if number in notes:
            lines.extend(textwrap.wrap(notes[number], width=sum(widths) + 8, initial_indent="     ↳ ",
                                       subsequent_indent="       "))
    lines += ["", text("calibrate.summary", lang, k=int(report.rows["within"].sum()), n=len(report.rows))]
    lines += ["", text("calibrate.checks", lang)]
    for key, value in report.checks.items():
        lines.append(f"- {text(f'calibrate.check.{key}', lang)}: {_fmt(value, lang, 0 if key in COUNTS else None)}")
    if "reached" in report.rows:
        milestones = report.rows[report.rows["id"].str.startswith("milestone_")]
        lines += ["", text("calibrate.milestones", lang)]
        for row in milestones.itertuples():
            label = row.milestone_nl if lang == "nl" else row.milestone_en
            condition = f" ({row.condition})" if row.condition else ""
            lines.append(f"- {label}{condition}: {format_percent(row.reached, lang)}")
    lines += ["", text("calibrate.sources", lang)]
    lines += [f"{number}. {row.source}" for number, row in enumerate(report.rows.itertuples(), start=1)]
    return "\n".join(lines)


def report_json(report) -> str:
    rows = []
    for record in report.rows.to_dict(orient="records"):
        clean = {}
        for key, value in record.items():
            if isinstance(value, float):
                value = None if (math.isnan(value) or math.isinf(value)) else round(value, 10)
            clean[key] = value
        rows.append(clean)
    return json.dumps(
        {"patients": report.patients, "seed": report.seed, "all_within": report.all_within,
         "targets": rows, "checks": report.checks},
        indent=2, ensure_ascii=False,
    )


@app.command()
@refuses_bad_input
def calibrate(
    patients: int = typer.Option(10_000, "--patients", help="Number of simulated patients."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Random seed (same seed, same table)."),
    format: Format = typer.Option(Format.table, "--format", help="table (Dutch/English) or json."),
    lang: Language = typer.Option(Language.nl, "--lang", help="Language of the table."),
) -> None:
    """The disease model against every published target of DOMAIN.md section 5."""
    options.count("--patients", patients, 100, "patients_max")
    options.seed(seed)
    report = calibration_report(patients, seed)
    typer.echo(report_json(report) if format is Format.json else render_table(report, lang.value))


@app.command()
@refuses_bad_input
def cohort(
    out: Path = typer.Option(..., "--out", help="CSV file to write (one row per patient)."),
    patients: int = typer.Option(1_000, "--patients", help="Number of simulated patients."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Random seed."),
    profile: Optional[Path] = typer.Option(None, "--profile", help="Client profile (YAML): simulate this client's possible courses instead of the population."),
) -> None:
    """Write a simulated cohort, one row per patient, with every provision's need window."""
    options.count("--patients", patients, 1, "patients_max")
    options.seed(seed)
    outputs.check("--out", out, (profile,))
    client = None
    if profile is not None:
        client = load_profile(profile)
    frame = cohort_frame(simulate_cohort(patients, seed, client))
    with outputs.atomic("--out", out) as target:
        frame.to_csv(target, index=False, float_format="%.4f")
    typer.echo(f"{len(frame)} patients, {frame.shape[1]} columns -> {out}")

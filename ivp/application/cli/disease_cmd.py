"""`ivp calibrate` and `ivp cohort`: the disease model against its published targets, and
a patient-level export of a simulated cohort (columns documented in docs/disease-model.md).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Optional

import typer

from ivp.application.cli.app import Format, Language, app, refuses_bad_input
from ivp.application.formatting import format_number, format_percent
from ivp.domain.errors import InputError, excerpt

DEFAULT_SEED = 20250101

TEXT = {
    "nl": {
        "title": "Kalibratie van het ziektemodel: {n} gesimuleerde patiënten, seed {seed}",
        "columns": ("doel", "streef", "gesimuleerd", "marge", "binnen"),
        "yes": "ja", "no": "nee", "range": "bereik", "at_least": "minstens",
        "reached": "bereikt door {share} van de patiënten",
        "milestones": "Mijlpalen: aandeel patiënten dat ze voor het overlijden bereikt",
        "gaps": "Waar het model tekortschiet, en waarom:",
        "checks": "Modelcontroles (geen gepubliceerd doel):",
        "summary": "{k} van {n} doelen binnen de marge.",
    },
    "en": {
        "title": "Disease model calibration: {n} simulated patients, seed {seed}",
        "columns": ("target", "value", "simulated", "tolerance", "within"),
        "yes": "yes", "no": "no", "range": "range", "at_least": "at least",
        "reached": "reached by {share} of patients",
        "milestones": "Milestones: share of patients reaching them before death",
        "gaps": "Where the model falls short, and why:",
        "checks": "Model checks (no published target):",
        "summary": "{k} of {n} targets within tolerance.",
    },
}

CHECK_LABELS = {
    "alsfrs_at_diagnosis_abs_error_points": ("ALSFRS-R bij diagnose: |cursus − (48 − ΔFS·vertraging)|, gemiddeld (punten)",
                                             "ALSFRS-R at diagnosis: |course − (48 − dFS·delay)|, mean (points)"),
    "alsfrs_at_death_median": ("ALSFRS-R bij overlijden, mediaan", "ALSFRS-R at death, median"),
    "respiratory_clock_at_floor_share": ("Ademhalingsklok op minimumsnelheid (aandeel)", "Respiratory clock at its minimum rate (share)"),
    "delay_mean_months": ("Diagnostische vertraging, gemiddeld (maanden)", "Diagnostic delay, mean (months)"),
    "survival_diagnosis_median": ("Overleving vanaf diagnose, mediaan (maanden)", "Survival from diagnosis, median (months)"),
}


def _decimals(value: float) -> int:
    return 2 if abs(value) < 10 else 1


def _fmt(value, lang: str, decimals: int | None = None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return format_number(None, lang)
    return format_number(value, lang, decimals if decimals is not None else _decimals(value))


def render_table(report, lang: str) -> str:
    text = TEXT[lang]
    lines = [text["title"].format(n=format_number(report.patients, lang), seed=report.seed), ""]
    rows = []
    for row in report.rows.itertuples():
        label = row.label_nl if lang == "nl" else row.label_en
        if row.kind == "range":
            target = f"{_fmt(row.low, lang)}–{_fmt(row.high, lang)}"
            margin = text["range"]
        elif row.kind == "at_least":
            target = f"≥ {_fmt(row.low, lang)}"
            margin = text["at_least"]
        else:
            target = _fmt(row.target, lang)
            margin = "± " + _fmt(row.tolerance, lang, _decimals(row.target))
        within = text["yes"] if row.within else text["no"]
        rows.append((label, target, _fmt(row.simulated, lang, _decimals(row.target)), margin, within))
    widths = [max(len(r[i]) for r in [text["columns"], *rows]) for i in range(5)]
    header = [text["columns"][0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(text["columns"][1:], widths[1:])]
    lines.append("  ".join(header))
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join([r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]))
    lines.append("")
    lines.append(text["summary"].format(k=int(report.rows["within"].sum()), n=len(report.rows)))
    gaps = report.rows[report.rows["known_gap"].notna() | ~report.rows["within"]]
    if len(gaps):
        lines += ["", text["gaps"]]
        for row in gaps.itertuples():
            label = row.label_nl if lang == "nl" else row.label_en
            reason = row.known_gap if isinstance(row.known_gap, str) else "(no documented reason: see docs/disease-model.md)"
            lines.append(f"- {label}: {' '.join(reason.split())}")
    lines += ["", text["checks"]]
    for key, value in report.checks.items():
        lines.append(f"- {CHECK_LABELS[key][0 if lang == 'nl' else 1]}: {_fmt(value, lang)}")
    if "reached" in report.rows:
        milestones = report.rows[report.rows["id"].str.startswith("milestone_")]
        lines += ["", text["milestones"]]
        for row in milestones.itertuples():
            share = format_percent(row.reached, lang)
            label = row.milestone_nl if lang == "nl" else row.milestone_en
            condition = f" ({row.condition})" if row.condition else ""
            lines.append(f"- {label}{condition}: {share}")
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
    from ivp.models.disease.calibration import calibration_report

    if patients < 100:
        raise InputError.single("--patients", "patients", "at_least", ge=100, got=patients)
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
    from ivp.models.disease.cohort import cohort_frame, simulate_cohort

    if patients < 1:
        raise InputError.single("--patients", "patients", "at_least", ge=1, got=patients)
    client = None
    if profile is not None:
        from ivp.domain.profile import load_profile

        client = load_profile(profile)
    frame = cohort_frame(simulate_cohort(patients, seed, client))
    try:
        frame.to_csv(out, index=False, float_format="%.4f")
    except OSError as error:
        raise InputError.single(str(out), "--out", "cannot_write", reason=excerpt(str(error.strerror or error), 80)) from None
    typer.echo(f"{len(frame)} patients, {frame.shape[1]} columns -> {out}")

"""`ivp catalog`: the protocol's provisions with their costs, SLA werkdagen and subtotals."""

from __future__ import annotations

import csv
import io
import json
from enum import Enum
from pathlib import Path

import typer

from ivp.application.cli import outputs
from ivp.application.cli.app import Language, app, refuses_bad_input
from ivp.application.formatting import format_euro
from ivp.domain.catalog import Catalog, load_catalog, subtotals, totals, write_template
from ivp.domain.errors import InputError
from ivp.domain.messages import text


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def provision_records(catalog: Catalog) -> list[dict[str, object]]:
    """The catalogue as JSON-ready records (the documented `--format json` layout)."""
    return [
        {
            "id": p.id,
            "name_nl": p.name_nl,
            "name_en": p.name_en,
            "financier": p.financier,
            "reuse": p.reuse,
            "cost_eur": p.cost_eur,
            "sla_werkdagen": p.sla.model_dump(),
            "chain": p.chain,
            "delivery": p.delivery,
            "source": p.source,
            "protocol_table": p.protocol_table,
            "lifecycle": {"acquisition": p.acquisition, "rent_eur_month": p.rent_eur_month,
                          "rent_min_months": p.rent_min_months, "maintenance_eur_year": p.maintenance_eur_year,
                          "adaptation_eur": p.adaptation_eur, "own_contribution": p.own_contribution,
                          "price_year": p.price_year, "source": p.lifecycle_source},
            "overridden": list(catalog.overridden.get(p.id, ())),
        }
        for p in catalog
    ]


def render_csv(catalog: Catalog) -> str:
    buffer = io.StringIO()
    columns = [*catalog.provisions[0].flat().keys(), "overridden"]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for p in catalog:
        writer.writerow({**p.flat(), "overridden": ";".join(catalog.overridden.get(p.id, ()))})
    return buffer.getvalue()


class _Labels:
    """The table's words in ``lang`` (``catalog.label.*`` in the message catalogues)."""

    def __init__(self, lang: str):
        self.lang = lang

    def __getitem__(self, key: str) -> str:
        return text(f"catalog.label.{key}", self.lang)


def render_table(catalog: Catalog, lang: str) -> str:
    t = _Labels(lang)
    name_of = (lambda p: p.name_nl) if lang == "nl" else (lambda p: p.name_en)
    header = (f"{t['id']:<24} {t['name']:<44} {t['financier']:<9} {t['reuse']:<15} {t['cost']:>10}"
              f" {t['advice']:>7} {t['decision']:>8} {t['supplier']:>11} {t['total']:>7}")
    lines = [f"IVP Planner — {catalog.source}", t["sla"], "", header, "-" * len(header)]
    for p in catalog:
        mark = "*" if p.id in catalog.overridden else " "
        name = name_of(p)[:44] if p.protocol_table else f"{name_of(p)[:42]} †"
        lines.append(
            f"{p.id:<24} {name:<44} {p.financier.capitalize():<9} {text(f'reuse.{p.reuse}', lang):<15}"
            f" {format_euro(p.cost_eur, lang=lang):>10}{mark}{p.sla.advice:>6} {p.sla.decision:>8}"
            f" {p.sla.supplier:>11} {p.sla.total:>7}"
        )
    if catalog.overridden:
        lines.append(t["overridden"])
    if not all(p.protocol_table for p in catalog):
        lines.append(t["outside"])
    lines += ["", t["lifecycle"]]
    header = (f"{t['id']:<24} {t['acquisition']:>11} {t['rent']:>9} {t['term']:>8} {t['maintenance']:>12}"
              f" {t['adaptation']:>13} {t['contribution']:>12} {t['price_year']:>9}")
    lines += [header, "-" * len(header)]
    euro = lambda v: format_euro(v, lang=lang) if v is not None else "–"  # noqa: E731
    for p in catalog:
        mark = "*" if p.id in catalog.overridden else " "
        lines.append(
            f"{p.id:<24} {t[p.acquisition + '_word']:>11}{mark}{euro(p.rent_eur_month):>8} {p.rent_min_months:>8}"
            f" {euro(p.maintenance_eur_year):>12} {euro(p.adaptation_eur):>13}"
            f" {t['yes'] if p.own_contribution else t['no']:>12} {p.price_year:>9}"
        )
    lines += ["", t["subtotals"]]
    for s in subtotals(catalog):
        protocol = format_euro(s.protocol_high, lang=lang)
        if s.protocol_low != s.protocol_high:
            protocol = f"{format_euro(s.protocol_low, lang=lang)} – {protocol}"
        lines.append(
            f"  {s.financier.capitalize()} {text(f'reuse.{s.reuse}', lang):<15} {t['maximum']} {format_euro(s.maximum, lang=lang):>10}"
            f"   {t['lower']} {format_euro(s.lower_end, lang=lang):>10}   {t['protocol']} {protocol}"
        )
        if s.dropped:
            dropped = ", ".join(f"{name_of(p)} ({format_euro(p.cost_eur, lang=lang)})" for p in s.dropped)
            lines.append(f"      {t['dropped']}: {dropped}")
        lines.append(f"      {s.note(lang)}")
    lines += ["", t["totals"]]
    for total in totals(catalog):
        lines.append(
            f"  {total.financier.capitalize()}: {t['maximum']} {format_euro(total.maximum, lang=lang)}, "
            f"{t['lower']} {format_euro(total.lower_end, lang=lang)}, "
            f"{t['about']} {format_euro(total.protocol_about, lang=lang)}"
        )
    return "\n".join(lines)


@app.command()
@refuses_bad_input
def catalog(
    format: Format = typer.Option(Format.table, "--format", help="table (Dutch format), json or csv"),
    overrides: Path | None = typer.Option(None, "--overrides", help="CSV or Excel file with local prices and SLA werkdagen"),
    template: Path | None = typer.Option(None, "--template", help="write an override template (.csv or .xlsx) and stop"),
    lang: Language = typer.Option(Language.nl, "--lang", help="language of the table: nl or en"),
) -> None:
    """Print the catalogue of provisions with costs, SLA werkdagen and the protocol's subtotals."""
    outputs.check("--template", template, (overrides,))
    if template is not None and template.suffix.lower() not in (".csv", ".xlsx"):
        raise InputError.single(template.name, "", "template_suffix")
    effective = load_catalog(overrides=overrides)
    if template is not None:
        with outputs.atomic("--template", template) as target:
            write_template(effective, target)
        typer.echo(f"Template written to {template}")
        return
    if format is Format.json:
        typer.echo(json.dumps(provision_records(effective), ensure_ascii=False, indent=2))
    elif format is Format.csv:
        typer.echo(render_csv(effective), nl=False)
    else:
        typer.echo(render_table(effective, lang.value))

"""Local overrides: a municipality's or insurer's own prices and SLA werkdagen.

An override file is a CSV or Excel table with the column ``id`` and any of the overridable
columns (``cost_eur``, ``sla_advice``, ``sla_decision``, ``sla_supplier``, ``sla_total`` and
the life cycle: ``acquisition`` purchase/koop or rent/huur, ``rent_eur_month``,
``rent_min_months``, ``maintenance_eur_year``, ``adaptation_eur``, ``own_contribution`` ja/nee,
``price_year``);
``name_nl`` may be present for readability and must then match the catalogue. An empty
cell keeps the catalogue's value; an empty ``sla_total`` becomes the sum of the effective
phases, a filled one must equal it. Each row is validated exactly like a catalogue row, and
the effective catalogue records which fields each row replaced.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from types import MappingProxyType
from typing import IO

from ivp.domain.catalog.loader import (
    Catalog,
    Record,
    check_unique_ids,
    read_catalog,
    validate_provision,
)
from ivp.domain.catalog.schema import OVERRIDABLE_FIELDS, SLA_PHASES
from ivp.domain.errors import InputError, Problem, excerpt
from ivp.domain.tabular import read_table

TEMPLATE_COLUMNS = ("id", "name_nl", *OVERRIDABLE_FIELDS)
EURO_COLUMNS = ("cost_eur", "rent_eur_month", "maintenance_eur_year", "adaptation_eur")


def load_catalog(
    path: str | Path | IO[bytes] | None = None,
    overrides: str | Path | IO[bytes] | None = None,
    name: str | None = None,
    overrides_name: str | None = None,
) -> Catalog:
    """Load and validate a catalogue (default: the protocol's, :func:`read_catalog`) and
    apply local overrides (:func:`apply_overrides`)."""
    catalog = read_catalog(path, name=name)
    return catalog if overrides is None else apply_overrides(catalog, overrides, name=overrides_name)


def apply_overrides(catalog: Catalog, source: str | Path | IO[bytes], name: str | None = None) -> Catalog:
    """Return the effective catalogue with the overrides of ``source`` applied."""
    records = read_table(source, required=("id",), optional=("name_nl", *OVERRIDABLE_FIELDS), name=name)
    label = name or (Path(source).name if isinstance(source, (str, Path)) else getattr(source, "name", "overrides"))
    if not records:  # a header alone changes nothing: probably the wrong file or sheet
        raise InputError.single(label, "", "no_rows")
    problems = check_unique_ids([(r.row, str(r.cells.get("id"))) for r in records], label)
    replaced, overridden = {}, {}
    for record in records:
        provision_id = record.cells.get("id")
        if provision_id not in catalog:
            problems.append(
                Problem(label, "id", "unknown_provision", {"id": excerpt(provision_id)}, record.row)
            )
            continue
        original = catalog.get(provision_id)
        name_nl = record.cells.get("name_nl")
        if name_nl is not None and name_nl != original.name_nl:
            problems.append(
                Problem(label, "name_nl", "name_mismatch", {"given": excerpt(name_nl), "name": original.name_nl},
                        record.row)
            )
            continue
        given = {f: record.cells[f] for f in OVERRIDABLE_FIELDS if record.cells.get(f) is not None}
        merged = original.flat()
        merged.update(given)
        if "sla_total" not in given:
            merged["sla_total"] = None  # derived below from the effective phases
        cells = _with_total(merged)
        provision, row_problems = validate_provision(Record(record.row, cells), label)
        problems.extend(row_problems)
        if provision is not None:
            replaced[provision_id] = provision
            changed = tuple(f for f in OVERRIDABLE_FIELDS if provision.flat()[f] != original.flat()[f])
            if changed:
                overridden[provision_id] = changed
    if problems:
        raise InputError(problems)
    provisions = tuple(replaced.get(p.id, p) for p in catalog.provisions)
    return Catalog(
        provisions=provisions,
        source=f"{catalog.source} + {label}",
        overridden=MappingProxyType({**catalog.overridden, **overridden}),
    )


def _with_total(cells: dict[str, object]) -> dict[str, object]:
    if cells.get("sla_total") is not None:
        return cells
    try:
        total = sum(int(float(str(cells[f"sla_{phase}"]).replace(",", "."))) for phase in SLA_PHASES)
    except (TypeError, ValueError):
        return cells  # the phase itself is invalid; validation names it
    return {**cells, "sla_total": total}


def template_rows(catalog: Catalog) -> list[dict[str, object]]:
    """The override template: one row per provision with its current figures."""
    def whole(value):  # 10000.0 as 10000, True as ja: the template is what a user edits and reads back
        if isinstance(value, bool):
            return "ja" if value else "nee"
        if value is None:
            return ""
        return int(value) if isinstance(value, float) and value.is_integer() else value
    return [{column: whole(p.flat()[column]) for column in TEMPLATE_COLUMNS} for p in catalog]


def write_template(catalog: Catalog, path: str | Path) -> Path:
    """Write the override template as CSV or Excel (by the file's suffix)."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        path.write_bytes(template_xlsx(catalog))
    elif path.suffix.lower() == ".csv":
        path.write_text(template_csv(catalog), encoding="utf-8")
    else:
        raise InputError.single(path.name, "", "template_suffix")
    return path


def template_csv(catalog: Catalog) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TEMPLATE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(template_rows(catalog))
    return buffer.getvalue()


def template_xlsx(catalog: Catalog) -> bytes:
    import xlsxwriter  # measured: about 0.15 s to import; the catalogue loads everywhere, the template rarely

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("overrides")
    bold = workbook.add_format({"bold": True})
    euro = workbook.add_format({"num_format": "€ #,##0"})
    for column, title in enumerate(TEMPLATE_COLUMNS):
        sheet.write(0, column, title, bold)
    for row, record in enumerate(template_rows(catalog), start=1):
        for column, title in enumerate(TEMPLATE_COLUMNS):
            sheet.write(row, column, record[title], euro if title in EURO_COLUMNS else None)
    sheet.set_column(0, 1, 32)
    sheet.set_column(2, len(TEMPLATE_COLUMNS) - 1, 14)
    workbook.close()
    return buffer.getvalue()

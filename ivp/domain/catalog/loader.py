"""Loading the catalogue, its alternatives and the process norms from their data files."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import IO, Mapping

from pydantic import ValidationError

from ivp.domain.catalog.schema import LIFECYCLE_FIELDS, SLA_PHASES, Alternatives, ProcessNorms, Provision
from ivp.domain.errors import (
    InputError,
    Problem,
    ValueProblem,
    excerpt,
    problems_from_validation,
)
from ivp.domain.tabular import Record, parse_amount, parse_count, parse_yes_no, read_table
from ivp.domain.yamlfile import load_shipped

CATALOG_COLUMNS = (
    "id", "name_nl", "name_en", "financier", "reuse", "cost_eur",
    "sla_advice", "sla_decision", "sla_supplier", "sla_total",
    "chain", "delivery", "source",
)
OPTIONAL_CATALOG_COLUMNS = ("protocol_table", *LIFECYCLE_FIELDS, "lifecycle_source")
"""Optional columns: ``protocol_table`` (ja/nee, default ja) says whether a row is one of the
protocol's two tables; the protocol's subtotals and totals count only those. The life-cycle
columns (:data:`~ivp.domain.catalog.schema.LIFECYCLE_FIELDS`) of the protocol's catalogue live
in ``lifecycle.csv``; a catalogue of one's own may carry them (default: bought, no upkeep)."""
LIFECYCLE_COLUMNS = ("id", *[f for f in LIFECYCLE_FIELDS if f != "price_year"], "lifecycle_source")
"""The columns of ``lifecycle.csv`` (the price year is the catalogue's, ``price_index.yaml``)."""
ACQUISITION_WORDS = {"purchase": "purchase", "koop": "purchase", "kopen": "purchase",
                     "rent": "rent", "huur": "rent", "huren": "rent"}
"""How a table may say bought or rented (English or Dutch, any case)."""
_DATA = resources.files("ivp.domain.catalog")


@dataclass(frozen=True)
class Catalog:
    """The effective catalogue: the protocol's provisions, possibly with local overrides.

    ``overridden`` maps a provision id to the fields a local override replaced, so every
    report can say which figures are the protocol's and which are local.
    """

    provisions: tuple[Provision, ...]
    source: str
    overridden: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {p.id: p for p in self.provisions})

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.provisions)

    def get(self, provision_id: str) -> Provision:
        try:
            return self._by_id[provision_id]
        except KeyError:
            raise KeyError(f"unknown provision '{provision_id}'") from None

    def __contains__(self, provision_id: object) -> bool:
        return provision_id in self._by_id

    def __iter__(self):
        return iter(self.provisions)

    def __len__(self) -> int:
        return len(self.provisions)


def parse_provision_cells(cells: dict[str, object]) -> dict[str, object]:
    """Turn the flat cells of a catalogue row into the nested :class:`Provision` layout.

    Numbers are parsed strictly (:func:`ivp.domain.tabular.parse_amount`, :func:`parse_count`);
    a cell that cannot be parsed raises :class:`CellError` naming its column.
    """
    data = {key: value for key, value in cells.items() if not key.startswith("sla_")}
    if data.get("cost_eur") is not None:
        data["cost_eur"] = _parse(parse_amount, "cost_eur", data["cost_eur"])
    for column, parser in (("protocol_table", parse_yes_no), ("own_contribution", parse_yes_no),
                           ("rent_eur_month", parse_amount), ("maintenance_eur_year", parse_amount),
                           ("adaptation_eur", parse_amount), ("rent_min_months", parse_count),
                           ("price_year", parse_count), ("acquisition", parse_acquisition)):
        if data.get(column) is not None:
            data[column] = _parse(parser, column, data[column])
        elif column != "rent_eur_month":
            data.pop(column, None)
    sla = {}
    for phase in (*SLA_PHASES, "total"):
        value = cells.get(f"sla_{phase}")
        if value is not None:
            sla[phase] = _parse(parse_count, f"sla_{phase}", value)
    data["sla"] = sla
    return data


def parse_acquisition(value: object) -> str:
    """``purchase``/``koop`` or ``rent``/``huur`` (any case)."""
    word = ACQUISITION_WORDS.get(str(value).strip().lower())
    if word is None:
        raise ValueProblem("not_an_acquisition", got=excerpt(value))
    return word


class CellError(ValueError):
    def __init__(self, column: str, problem: ValueProblem):
        super().__init__(str(problem))
        self.column, self.value_problem = column, problem


def _parse(parser, column: str, value: object):
    try:
        return parser(value)
    except ValueProblem as problem:
        raise CellError(column, problem) from None


def validate_provision(record: Record, name: str) -> tuple[Provision | None, list[Problem]]:
    """Validate one catalogue record; return the provision or the problems (with flat field names)."""
    try:
        data = parse_provision_cells(record.cells)
    except CellError as error:
        return None, [error.value_problem.problem(name, error.column, record.row)]
    try:
        return Provision.model_validate(data), []
    except ValidationError as error:
        problems = problems_from_validation(error, name, row=record.row)
        return None, [_flat_field(problem) for problem in problems]


def _flat_field(problem: Problem) -> Problem:
    field_name = problem.field.replace("sla.", "sla_")
    if field_name == "sla":
        field_name = "sla_total"
    return Problem(problem.source, field_name, problem.code, problem.params, problem.row)


def check_unique_ids(records: list[tuple[int, str]], name: str) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for row, provision_id in records:
        if provision_id in seen:
            problems.append(
                Problem(name, "id", "duplicate_id", {"id": provision_id, "first_row": seen[provision_id]}, row)
            )
        else:
            seen[provision_id] = row
    return problems


def read_catalog(path: str | Path | IO[bytes] | None = None, name: str | None = None) -> Catalog:
    """Read and validate a catalogue (default: the protocol's), without local overrides
    (:func:`ivp.domain.catalog.load_catalog` applies those).

    Every row is validated before anything is returned; all problems are raised together as
    one :class:`InputError` naming file, row and field.
    """
    shipped = path is None
    if shipped:
        path = Path(str(_DATA.joinpath("provisions.csv")))
    records = read_table(path, required=CATALOG_COLUMNS, optional=OPTIONAL_CATALOG_COLUMNS, name=name)
    label = name or (Path(path).name if isinstance(path, (str, Path)) else getattr(path, "name", "catalogue"))
    if shipped:
        records = _with_lifecycle(records)
    provisions, problems = [], []
    for record in records:
        provision, row_problems = validate_provision(record, label)
        problems.extend(row_problems)
        if provision is not None:
            provisions.append(provision)
    problems.extend(check_unique_ids([(r.row, str(r.cells.get("id"))) for r in records], label))
    if not records:
        problems.append(Problem(label, "", "catalogue_empty"))
    if problems:
        raise InputError(problems)
    return Catalog(provisions=tuple(provisions), source=label)


def _with_lifecycle(records: list[Record]) -> list[Record]:
    """The protocol's rows with their life-cycle cells from ``lifecycle.csv`` (one row per
    provision, no more, no fewer)."""
    name = "lifecycle.csv"
    rows = read_table(Path(str(_DATA.joinpath(name))), required=LIFECYCLE_COLUMNS, name=name)
    problems = check_unique_ids([(r.row, str(r.cells.get("id"))) for r in rows], name)
    by_id = {r.cells.get("id"): r for r in rows}
    ids = [r.cells.get("id") for r in records]
    problems += [Problem(name, "id", "unknown_provision", {"id": excerpt(r.cells.get("id"))}, r.row)
                 for r in rows if r.cells.get("id") not in ids]
    missing = [i for i in ids if i not in by_id]
    if missing:
        problems.append(Problem(name, "id", "lifecycle_missing", {"ids": ", ".join(map(str, missing))}))
    if problems:
        raise InputError(problems)
    return [Record(r.row, {**r.cells, **{k: v for k, v in by_id[r.cells["id"]].cells.items() if k != "id"}})
            for r in records]


def _load_yaml(filename: str) -> dict:
    return load_shipped(_DATA.joinpath(filename).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_norms() -> ProcessNorms:
    """The process norms of the protocol, the Wmo and the normenkader (norms.yaml; shipped,
    read once: a frozen model. Measured: reading it on each batch's KPIs was a fifth of a
    comparison's KPI time)."""
    return _validated(ProcessNorms, _load_yaml("norms.yaml"), "norms.yaml")


def load_alternatives(catalog: Catalog | None = None) -> Alternatives:
    """The declared alternative groups (alternatives.yaml), checked against the catalogue."""
    alternatives = _validated(Alternatives, _load_yaml("alternatives.yaml"), "alternatives.yaml")
    catalog = catalog or read_catalog()
    problems = [
        Problem("alternatives.yaml", f"groups.{g.id}.members", "unknown_provision", {"id": member})
        for g in alternatives.groups
        for member in g.members
        if member not in catalog
    ]
    if problems:
        raise InputError(problems)
    return alternatives


def _validated(model, data: dict, name: str):
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InputError(problems_from_validation(error, name)) from None

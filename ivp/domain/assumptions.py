"""The budget's assumptions: named, validated, each with its rationale and source.

The values live in ``ivp/domain/budget_assumptions.yaml`` as ``{field: {value, rationale, source}}``.
:func:`load_assumptions` reads that file (or a municipality's own copy) into a frozen
:class:`BudgetAssumptions`; every field is required in a file, unknown fields are refused,
and all problems are raised together as one :class:`~ivp.domain.errors.InputError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ivp.domain.errors import InputError, Problem, problems_from_validation
from ivp.domain.yamlfile import read_mapping

DEFAULT_ASSUMPTIONS_PATH = Path(__file__).with_name("budget_assumptions.yaml")
_ENTRY_KEYS = {"value", "rationale", "source"}


class BudgetAssumptions(BaseModel):
    """The figures the protocol leaves open (see ``ivp/domain/budget_assumptions.yaml`` for the why)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    earmark_day: int = Field(ge=0, description="day since diagnosis on which the IVP is earmarked")
    request_by_need_quantile: float = Field(gt=0, lt=1)
    request_by_lead_time_quantile: float = Field(gt=0, lt=1)
    residual_useful_life_years: float = Field(gt=0)
    residual_floor_fraction: float = Field(ge=0, le=1)
    rent_monthly_fraction: float = Field(gt=0, le=1)
    reserve_percentile: float = Field(gt=0, lt=1)


class AssumptionNote(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str
    value: Any
    rationale: str
    source: str


def _read(path: Path) -> tuple[dict[str, Any], list[AssumptionNote], list[Problem]]:
    name = path.name
    document = read_mapping(path, "the assumptions file (fields, each with value, rationale and source)")
    values, notes, problems = {}, [], []
    known = BudgetAssumptions.model_fields
    for key, entry in document.items():
        field = str(key)
        if field not in known:
            problems.append(Problem(name, field, f"unknown assumption; expected one of {', '.join(known)}"))
            continue
        if not isinstance(entry, Mapping):
            problems.append(Problem(name, field, "expected a mapping with value, rationale and source"))
            continue
        for extra in sorted(set(map(str, entry)) - _ENTRY_KEYS):
            problems.append(Problem(name, f"{field}.{extra}", "unknown key; expected value, rationale, source"))
        for part in ("rationale", "source"):
            text = entry.get(part)
            if not isinstance(text, str) or not text.strip():
                problems.append(Problem(name, f"{field}.{part}", "missing: every assumption needs a rationale and a source"))
        if "value" not in entry:
            problems.append(Problem(name, f"{field}.value", "missing"))
            continue
        values[field] = entry["value"]
        notes.append(AssumptionNote(
            field=field, value=entry["value"],
            rationale=" ".join(str(entry.get("rationale", "")).split()),
            source=" ".join(str(entry.get("source", "")).split()),
        ))
    for field in known:
        if field not in document:
            problems.append(Problem(name, field, "missing"))
    return values, notes, problems


_LOADED: dict[Path, tuple[float, tuple]] = {}


def load_assumptions_with_notes(path: str | Path | None = None) -> tuple[BudgetAssumptions, tuple[AssumptionNote, ...]]:
    """The assumptions and, per field, its rationale and source (for reports). A file is
    read again only when it changed."""
    path = Path(path) if path is not None else DEFAULT_ASSUMPTIONS_PATH
    try:
        stamp = path.stat().st_mtime
    except OSError:
        stamp = None
    hit = _LOADED.get(path)
    if hit is not None and stamp is not None and hit[0] == stamp:
        return hit[1]
    result = _load(path)
    if stamp is not None:
        _LOADED[path] = (stamp, result)
    return result


def _load(path: Path) -> tuple[BudgetAssumptions, tuple[AssumptionNote, ...]]:
    values, notes, problems = _read(path)
    assumptions = None
    try:
        assumptions = BudgetAssumptions.model_validate(values)
    except ValidationError as error:
        for problem in problems_from_validation(error, path.name):
            if not any(p.field.startswith(problem.field) for p in problems):
                problems.append(Problem(path.name, f"{problem.field}.value", problem.message))
    if problems:
        raise InputError(problems)
    return assumptions, tuple(notes)


def load_assumptions(path: str | Path | None = None) -> BudgetAssumptions:
    """Load and validate an assumptions file (default: ``ivp/domain/budget_assumptions.yaml``)."""
    return load_assumptions_with_notes(path)[0]


_DEFAULT: BudgetAssumptions | None = None


def default_assumptions() -> BudgetAssumptions:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_assumptions()
    return _DEFAULT

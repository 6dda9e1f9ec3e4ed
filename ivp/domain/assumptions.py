"""The budget's assumptions: named, validated, each with its rationale and source.

The values live in ``ivp/domain/budget_assumptions.yaml`` as ``{field: {value, rationale, source}}``.
:func:`load_assumptions` reads that file (or a municipality's own copy) into a frozen
:class:`BudgetAssumptions`; every field is required in a file, unknown fields are refused,
and all problems are raised together as one :class:`~ivp.domain.errors.InputError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ivp.domain.plausibility import Number
from ivp.domain.yamlfile import load_documented_model

DEFAULT_ASSUMPTIONS_PATH = Path(__file__).with_name("budget_assumptions.yaml")


class BudgetAssumptions(BaseModel):
    """The figures the protocol leaves open (see ``ivp/domain/budget_assumptions.yaml`` for the why)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    earmark_day: int = Field(ge=0, le=3650, description="day since diagnosis on which the IVP is earmarked")
    request_by_need_quantile: Number = Field(gt=0, lt=1)
    request_by_lead_time_quantile: Number = Field(gt=0, lt=1)
    earmark_min_probability: Number = Field(ge=0, le=1)
    residual_useful_life_years: Number = Field(gt=0, le=50)
    residual_floor_fraction: Number = Field(ge=0, le=1)
    rent_monthly_fraction: Number = Field(gt=0, le=1)
    reserve_percentile: Number = Field(gt=0, lt=1)


class AssumptionNote(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str
    value: Any
    rationale: str
    source: str


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
    assumptions, read = load_documented_model(path, BudgetAssumptions, required=("rationale", "source"))
    notes = tuple(AssumptionNote(field=name, value=value, rationale=read.rationales[name], source=read.sources[name])
                  for name, value in read.values.items())
    return assumptions, notes


def load_assumptions(path: str | Path | None = None) -> BudgetAssumptions:
    """Load and validate an assumptions file (default: ``ivp/domain/budget_assumptions.yaml``)."""
    return load_assumptions_with_notes(path)[0]


_DEFAULT: BudgetAssumptions | None = None


def default_assumptions() -> BudgetAssumptions:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_assumptions()
    return _DEFAULT

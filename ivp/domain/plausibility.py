"""Plausibility limits of the inputs, and the strict value types that apply them.

The limits are named parameters in ``plausibility.yaml`` (each with its rationale): far above
any real input, so that only typing errors are refused. The types are used by every validated
input model (profile, scenario, catalogue) so that one rule holds everywhere:

* :data:`Number` - a finite number; ``true``/``false`` is refused, not read as 1/0;
* :data:`Werkdagen` - a duration in werkdagen: a number, at least 0 and at most
  ``werkdagen_max``, or ``.inf`` (never completes); :data:`FiniteWerkdagen` without ``.inf``
  (the bounds of a distribution);
* :data:`CalendarDate` - a date inside the working-day calendar; a number is refused, not
  read as a Unix time.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

from ivp.domain.calendar import DEFAULT_FIRST_YEAR, DEFAULT_LAST_YEAR
from ivp.domain.errors import custom_error, excerpt
from ivp.domain.yamlfile import load_documented_model

PLAUSIBILITY_FILE = Path(__file__).with_name("plausibility.yaml")
FIRST_DATE = dt.date(DEFAULT_FIRST_YEAR, 1, 1)
LAST_DATE = dt.date(DEFAULT_LAST_YEAR, 12, 31)
"""The working-day calendar's range (the ``holidays`` package's Dutch holidays end in 2100)."""


class Plausibility(BaseModel):
    """The limits of ``plausibility.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    werkdagen_max: int
    breach_factor_max: float
    cost_eur_max: float
    incidence_per_100k_max: float
    depot_stock_max: int
    inhabitants_max: int
    horizon_years_max: int
    caseload_clients_max: int
    replications_max: int
    patients_max: int
    work_without_confirmation: int
    plan_courses_without_confirmation: int


LIMITS: Plausibility = load_documented_model(PLAUSIBILITY_FILE, Plausibility, required=("rationale", "source"))[0]


def shown_limit(limit_name: str) -> str:
    """A limit of :data:`LIMITS` as messages show it: whole, with thousands dots (1.000.000)."""
    return f"{getattr(LIMITS, limit_name):,.0f}".replace(",", ".")


def _not_yes_no(value: Any) -> Any:
    if isinstance(value, bool):
        raise custom_error("yes_no_not_number", got=excerpt(value))
    return value


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise custom_error("not_finite", got=excerpt(value))
    return value


def _werkdagen(value: float) -> float:
    if value < 0:
        raise custom_error("at_least", ge=0, got=excerpt(value))
    if value != math.inf and not value <= LIMITS.werkdagen_max:
        raise custom_error("werkdagen_implausible", limit=LIMITS.werkdagen_max, got=excerpt(value))
    return value


def _date_not_number(value: Any) -> Any:
    if isinstance(value, (bool, int, float)):
        raise custom_error("number_not_date", got=excerpt(value))
    return value


def _in_calendar(value: dt.date) -> dt.date:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise custom_error("date_outside_calendar", first=FIRST_DATE.isoformat(), last=LAST_DATE.isoformat(),
                           got=value.isoformat())
    return value


Number = Annotated[float, BeforeValidator(_not_yes_no), AfterValidator(_finite)]
Werkdagen = Annotated[float, BeforeValidator(_not_yes_no), AfterValidator(_werkdagen)]
FiniteWerkdagen = Annotated[Werkdagen, AfterValidator(_finite)]
CalendarDate = Annotated[dt.date, BeforeValidator(_date_not_number), AfterValidator(_in_calendar)]


def at_most(limit_name: str):
    """An after-validator refusing a value above the named limit of :data:`LIMITS`."""
    limit = getattr(LIMITS, limit_name)

    def check(value):
        if value is not None and value > limit:
            raise custom_error("implausibly_large", limit=f"{limit:,}".replace(",", "."), got=excerpt(value))
        return value
    return AfterValidator(check)

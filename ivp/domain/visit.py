"""A follow-up visit: what the ALS team observed, validated.

At each visit (every few months) the team scores the ALSFRS-R, may measure the FVC and
knows which provisions have been delivered and which the client no longer wants. A visit
file (YAML) holds one visit, or a list of visits::

    date: 2027-03-10
    alsfrs_r:            # the 12 item scores (0-4), by name or by number 1-12
      speech: 3
      walking: 2
      ...
    alsfrs_r_total: 35   # or only the total, where that is all there is
    fvc_percent: 78      # if measured
    delivered:
      - {provision: rollator, date: 2027-01-20}
    declined: [traplift]

An item may be left out (not scored); with a total beside the items, the total must be their
sum when all 12 are given, and within what the missing items can add when some are (the
conditioning then uses the items, not the total). :func:`load_visits` reads several files, puts the visits in date order and checks
them against the client's diagnosis date and the catalogue's provision ids.

The item names are the scale's (Cedarbaum et al., J Neurol Sci 1999, doi
10.1016/S0022-510X(99)00210-5), in its order; the disease model's course uses the same names
(``ivp/models/disease/data/course.yaml``, checked by a test).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Collection, Iterable

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ivp.domain.errors import InputError, Problem, custom_error, problems_from_validation
from ivp.domain.inputfile import read_input_bytes
from ivp.domain.plausibility import CalendarDate, Number
from ivp.domain.profile import RANGES
from ivp.domain.yamlfile import parse_yaml

ALSFRS_R_ITEMS = (
    "speech", "salivation", "swallowing", "handwriting", "cutting_food", "dressing", "turning_in_bed",
    "walking", "climbing_stairs", "dyspnoea", "orthopnoea", "respiratory_insufficiency",
)
"""The 12 items of the ALSFRS-R in the scale's order (item 1 is speech)."""

ITEM_MAX = 4


class Delivered(BaseModel):
    """A provision delivered before the visit, and when."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    provision: str
    date: CalendarDate


class Visit(BaseModel):
    """One follow-up visit. ``alsfrs_r``: item name -> score (0-4), only the scored items."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: CalendarDate
    alsfrs_r: dict[str, int] = Field(default_factory=dict)
    alsfrs_r_total: Number | None = None
    fvc_percent: Number | None = None
    delivered: tuple[Delivered, ...] = ()
    declined: tuple[str, ...] = ()

    @field_validator("alsfrs_r", mode="before")
    @classmethod
    def _item_names(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        named: dict[str, Any] = {}
        for key, score in value.items():
            name = _item_name(key)
            if name in named:
                raise custom_error("item_twice", field="alsfrs_r", item=name)
            if isinstance(score, bool):  # yes/no is not a score (YAML reads "true" as a boolean)
                raise custom_error("item_score_range", field=f"alsfrs_r.{name}", item=name, got=str(score).lower())
            named[name] = score
        return named

    @field_validator("alsfrs_r", mode="after")
    @classmethod
    def _item_order(cls, value: dict[str, int]) -> dict[str, int]:
        return dict(sorted(value.items(), key=lambda kv: ALSFRS_R_ITEMS.index(kv[0])))

    @field_validator("alsfrs_r_total", mode="after")
    @classmethod
    def _total_range(cls, value: float | None) -> float | None:
        if value is not None and not (0 <= value <= 4 * len(ALSFRS_R_ITEMS) and float(value).is_integer()):
            raise custom_error("total_score_range", got=value)
        return value

    @field_validator("fvc_percent", mode="after")
    @classmethod
    def _fvc_range(cls, value: float | None) -> float | None:
        low, high = RANGES["fvc_percent"]  # the profile's range
        if value is not None and not low <= value <= high:
            raise custom_error("out_of_range.fvc_percent", low=low, high=high, got=value)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "Visit":
        for name, score in self.alsfrs_r.items():  # here, so that the message names the item's field
            if not 0 <= score <= ITEM_MAX:
                raise custom_error("item_score_range", field=f"alsfrs_r.{name}", item=name, got=score)
        if self.alsfrs_r and self.alsfrs_r_total is not None:
            scored, missing = sum(self.alsfrs_r.values()), len(ALSFRS_R_ITEMS) - len(self.alsfrs_r)
            if not missing and scored != self.alsfrs_r_total:
                raise custom_error("total_not_item_sum", field="alsfrs_r_total", total=self.alsfrs_r_total,
                                   items=scored)
            if missing and not scored <= self.alsfrs_r_total <= scored + ITEM_MAX * missing:
                raise custom_error("total_not_within_items", field="alsfrs_r_total", total=self.alsfrs_r_total,
                                   items=scored, missing=missing, room=ITEM_MAX * missing)
        for item in self.delivered:
            if item.date > self.date:
                raise custom_error("delivered_after_visit", field="delivered", provision=item.provision,
                                   delivered=item.date.isoformat(), visit=self.date.isoformat())
        provisions = [d.provision for d in self.delivered] + list(self.declined)
        twice = sorted({p for p in provisions if provisions.count(p) > 1})
        if twice:
            raise custom_error("provision_twice_in_visit", field="delivered", provisions=", ".join(twice))
        return self

    @property
    def scored(self) -> bool:
        """The visit has an ALSFRS-R observation (items or total)."""
        return bool(self.alsfrs_r) or self.alsfrs_r_total is not None

    @property
    def total(self) -> float | None:
        """The ALSFRS-R total: as given, else the sum of all 12 items, else ``None``."""
        if self.alsfrs_r_total is not None:
            return float(self.alsfrs_r_total)
        if len(self.alsfrs_r) == len(ALSFRS_R_ITEMS):
            return float(sum(self.alsfrs_r.values()))
        return None


def _item_name(key: Any) -> str:
    """An item's name from its name or its number (1-12)."""
    if isinstance(key, bool):
        raise custom_error("unknown_item", field="alsfrs_r", got=str(key), items=", ".join(ALSFRS_R_ITEMS))
    if isinstance(key, int) or (isinstance(key, str) and key.strip().isdigit()):
        number = int(key)
        if 1 <= number <= len(ALSFRS_R_ITEMS):
            return ALSFRS_R_ITEMS[number - 1]
    elif isinstance(key, str) and key.strip() in ALSFRS_R_ITEMS:
        return key.strip()
    raise custom_error("unknown_item", field="alsfrs_r", got=str(key)[:40], items=", ".join(ALSFRS_R_ITEMS))


def parse_visits(data: Any, source: str) -> list[Visit]:
    """The visits of one file's data: a mapping (one visit) or a list of mappings."""
    records = data if isinstance(data, list) else [data]
    if not records or not all(isinstance(r, dict) for r in records):
        raise InputError.single(source, "", "visit_not_mapping")
    visits, problems = [], []
    for number, record in enumerate(records, start=1):
        prefix = f"[{number}]" if len(records) > 1 else ""
        try:
            visits.append(Visit.model_validate(record))
        except ValidationError as error:
            problems += problems_from_validation(error, source, prefix=prefix)
    if problems:
        raise InputError(problems)
    return visits


def load_visits(
    paths: Iterable[str | Path],
    diagnosis_date: dt.date | None = None,
    provision_ids: Collection[str] | None = None,
) -> tuple[Visit, ...]:
    """The visits of the files at ``paths``, in date order, checked: no two on one day, none
    before the diagnosis, a provision's delivery recorded once, ids from the catalogue."""
    found: list[tuple[Visit, str]] = []
    for path in map(Path, paths):
        raw = read_input_bytes(path)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError.single(path.name, "", "not_utf8_text") from None
        data = parse_yaml(text, path.name)
        found += [(visit, path.name) for visit in parse_visits(data, path.name)]
    return check_visits(found, diagnosis_date, provision_ids)


def check_visits(
    found: list[tuple[Visit, str]],
    diagnosis_date: dt.date | None = None,
    provision_ids: Collection[str] | None = None,
) -> tuple[Visit, ...]:
    """``(visit, source)`` pairs checked together and put in date order (see :func:`load_visits`)."""
    problems: list[Problem] = []
    found = sorted(found, key=lambda pair: pair[0].date)
    seen_dates: dict[dt.date, str] = {}
    delivered: dict[str, str] = {}
    for visit, source in found:
        if visit.date in seen_dates:
            problems.append(Problem(source, "date", "visit_same_day", {"date": visit.date.isoformat(),
                                                                        "other": seen_dates[visit.date]}))
        seen_dates[visit.date] = source
        if diagnosis_date is not None and visit.date < diagnosis_date:
            problems.append(Problem(source, "date", "visit_before_diagnosis",
                                    {"date": visit.date.isoformat(), "diagnosis": diagnosis_date.isoformat()}))
        for item in visit.delivered:  # a device the client had before the diagnosis counts too
            if item.provision in delivered:
                problems.append(Problem(source, "delivered", "delivered_twice",
                                        {"provision": item.provision, "other": delivered[item.provision]}))
            delivered[item.provision] = source
        if provision_ids is not None:
            for pid in [d.provision for d in visit.delivered] + list(visit.declined):
                if pid not in provision_ids:
                    problems.append(Problem(source, "delivered" if pid in [d.provision for d in visit.delivered]
                                            else "declined", "unknown_provision", {"id": pid[:40]}))
    if problems:
        raise InputError(problems)
    return tuple(visit for visit, _ in found)

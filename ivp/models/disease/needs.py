"""Need windows of every catalogue provision, from ``ivp/models/disease/data/need_rules.csv``.

One rule per provision (the ids must be exactly the catalogue's). Columns:

``start_when``
    condition (see :mod:`ivp.models.disease.expressions`) at which the provision becomes
    needed; a need already present at diagnosis starts at 0. A group may hold home/household
    fact terms (``lives_alone & walking<=3 | walking<=2``): it counts only for the patients
    with those facts, so the household moves the need, not only whether it applies.
``end_when``
    optional condition at which it stops being useful (the patient declined past it).
``replaced_by``
    optional successor ids (``a | b``): the need ends when the first *needed* successor's
    need starts.
``after``
    optional predecessor id in a chain: the need does not start before the predecessor's.
``requires``
    home/household facts (profile fields) that must hold, e.g.
    ``!home_adaptable_inside & extension_possible``; empty = always.
``trigger_when``, ``trigger_lead_months``
    when a forward-looking team starts the request: the earliest of the condition
    ``trigger_when`` (fact terms allowed as in ``start_when``) and ``trigger_lead_months``
    before the need (a forecast), never after the need nor before diagnosis. The lead must
    cover the longest the provision's SLA total (``sla_total`` werkdagen of the catalogue)
    can take in calendar time, so that a team that forecasts the need correctly is on time
    (:func:`leads_short_of_sla`; tested against the protocol catalogue).
``adapt_when``
    optional condition at which a device in use needs an after-adaptation (the electric
    wheelchair's chin or head controls when the hand fails): its cost is the catalogue's
    ``adaptation_eur``. Kept only inside the need window.
``rationale``
    why, in words.

Beside the windows, every patient gets ``care_dependency_month``: when the course first
meets the care-facility milestone of the calibration (``calibration.yaml``, milestones,
``care_facility``: an attendant needed for self-care and non-ambulatory), the point at which
the process model lets a share of clients enter a Wlz institution.

Everything is months since diagnosis. A window is kept only when ``start < end``, with
``end`` at the latest at death; otherwise the provision is never needed (``nan``). The code
knows nothing of any particular provision: it only reads these rules.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import ValidationError, field_validator

from ivp.domain.calendar import CalendarPolicy, get_calendar
from ivp.domain.catalog import load_catalog
from ivp.domain.errors import InputError, Problem, excerpt, problems_from_validation
from ivp.domain.profile import HOME_FACTS
from ivp.domain.units import DAYS_PER_MONTH
from ivp.domain.yamlfile import read_mapping
from ivp.models.disease.course import Courses
from ivp.models.disease.expressions import Condition, FactRule
from ivp.models.disease.params import Frozen, course_params, data_path
from ivp.models.needwindows import NeedWindows

RULE_COLUMNS = (
    "id", "start_when", "end_when", "replaced_by", "after", "requires",
    "trigger_when", "trigger_lead_months", "adapt_when", "rationale",
)


class NeedRule(Frozen):
    """One row of ``need_rules.csv``, parsed."""

    id: str
    start_when: Condition
    end_when: Condition | None = None
    replaced_by: tuple[str, ...] = ()
    after: str | None = None
    requires: FactRule
    trigger_when: Condition | None = None
    trigger_lead_months: float | None = None
    adapt_when: Condition | None = None
    rationale: str

    model_config = Frozen.model_config | {"arbitrary_types_allowed": True}

    @field_validator("start_when", "end_when", "trigger_when", "adapt_when", mode="before")
    @classmethod
    def _condition(cls, value):
        if isinstance(value, str):
            return Condition.parse(value, course_params().item_names, HOME_FACTS) if value.strip() else None
        return value

    @field_validator("requires", mode="before")
    @classmethod
    def _facts(cls, value):
        return FactRule.parse(value or "", HOME_FACTS) if value is None or isinstance(value, str) else value

    @field_validator("replaced_by", mode="before")
    @classmethod
    def _ids(cls, value):
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split("|")) if value.strip() else ()
        return value

    @field_validator("after", "trigger_lead_months", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("trigger_lead_months")
    @classmethod
    def _non_negative(cls, value):
        if value is not None and value < 0:
            raise ValueError("must be 0 or more months")
        return value

    @field_validator("rationale")
    @classmethod
    def _explained(cls, value: str) -> str:
        if len(value) < 20:
            raise ValueError("say why, in at least a sentence")
        return value


class NeedRules:
    """All rules, checked against the catalogue and each other, in dependency order."""

    def __init__(self, rules: list[NeedRule], source: str = "need_rules.csv"):
        self.rules = {rule.id: rule for rule in rules}
        self.source = source

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.rules)

    def check(self, catalog_ids: tuple[str, ...]) -> list[Problem]:
        problems = []
        missing = [i for i in catalog_ids if i not in self.rules]
        extra = [i for i in self.rules if i not in catalog_ids]
        if missing:
            problems.append(Problem(self.source, "id", "no_need_rule", {"ids": ", ".join(missing)}))
        if extra:
            problems.append(Problem(self.source, "id", "rule_not_in_catalogue", {"ids": ", ".join(extra)}))
        for rule in self.rules.values():
            for ref in (*rule.replaced_by, *([rule.after] if rule.after else [])):
                if ref not in self.rules:
                    problems.append(Problem(self.source, "replaced_by/after", "rule_unknown_reference", {"rule": rule.id, "id": ref}))
        if not problems:
            for graph, name in ((self._after_graph(), "after"), (self._successor_graph(), "replaced_by")):
                if _has_cycle(graph):
                    problems.append(Problem(self.source, name, "rule_cycle", {"name": name}))
        return problems

    def _after_graph(self) -> dict[str, tuple[str, ...]]:
        return {i: ((r.after,) if r.after else ()) for i, r in self.rules.items()}

    def _successor_graph(self) -> dict[str, tuple[str, ...]]:
        return {i: r.replaced_by for i, r in self.rules.items()}

    def terms(self) -> set[tuple[str, int]]:
        out = set()
        for rule in self.rules.values():
            for condition in (rule.start_when, rule.end_when, rule.trigger_when, rule.adapt_when):
                if condition is not None:
                    out |= condition.terms()
        return out | care_dependency_condition().terms()

    # --- the computation --------------------------------------------------------------------

    def windows(self, courses: Courses, patients: pd.DataFrame, provision_ids: tuple[str, ...],
                uptake: np.ndarray | None = None) -> NeedWindows:
        """Need windows of ``provision_ids`` for the patients with these courses (``uptake``:
        who takes each up, see :class:`~ivp.models.needwindows.NeedWindows`)."""
        delay, death = courses.delay, courses.death - courses.delay  # death: since diagnosis
        times = {term: courses.time_at_score(*term) - delay for term in self.terms()}
        care = care_dependency_condition().time(times, {})
        patients = patients.assign(care_dependency_month=np.where(care < death, np.maximum(care, 0.0), np.nan))

        facts = {fact: patients[fact].to_numpy(bool) for fact in HOME_FACTS}

        def reached(condition: Condition | None) -> np.ndarray:
            return np.full(len(delay), np.inf) if condition is None else condition.time(times, facts)

        # 1. own start, applicability
        start: dict[str, np.ndarray] = {}
        for rule_id, rule in self.rules.items():
            s = np.maximum(reached(rule.start_when), 0.0)
            s[(s >= death) | ~rule.requires.applies(facts)] = np.nan
            start[rule_id] = s
        # 2. chains: not before the predecessor (in dependency order)
        for rule_id in _topological(self._after_graph()):
            predecessor = self.rules[rule_id].after
            if predecessor:
                before = start[predecessor]
                start[rule_id] = np.where(np.isnan(before), start[rule_id], np.maximum(start[rule_id], before))
        # 3. ends (successors first, so a successor that is never needed ends nothing)
        end: dict[str, np.ndarray] = {}
        for rule_id in _topological(self._successor_graph()):
            rule = self.rules[rule_id]
            e = np.minimum(death, reached(rule.end_when))
            for successor in rule.replaced_by:
                e = np.fmin(e, start[successor])  # nan successor start: ignored
            empty = np.isnan(start[rule_id]) | (e <= start[rule_id])
            start[rule_id] = np.where(empty, np.nan, start[rule_id])
            end[rule_id] = np.where(empty, np.nan, e)
        # 4. triggers and after-adaptations (inside the window)
        columns = {}
        for rule_id in provision_ids:
            rule, s, e = self.rules[rule_id], start[rule_id], end[rule_id]
            t = reached(rule.trigger_when)
            if rule.trigger_lead_months is not None:
                t = np.minimum(t, s - rule.trigger_lead_months)
            a = np.maximum(reached(rule.adapt_when), s)
            columns[rule_id] = (s, e, np.clip(np.fmin(t, s), 0.0, s), np.where(a < e, a, np.nan))
        stack = [np.column_stack([columns[i][k] for i in provision_ids]) for k in range(4)]
        return NeedWindows(
            patients=patients,
            provision_ids=tuple(provision_ids),
            need_start=stack[0],
            need_end=stack[1],
            trigger=stack[2],
            death=death,
            uptake=uptake,
            adapt=stack[3],
        )


#: The calendar policy with the most holidays (Good Friday and Liberation Day off every
#: year): a lead that covers an SLA under it covers it under every policy a scenario can set.
LONGEST_CALENDAR_POLICY = CalendarPolicy(good_friday=True, liberation_day="always")


@lru_cache(maxsize=None)
def sla_days(werkdagen: int, policy: CalendarPolicy | None = None) -> int:
    """The most calendar days ``werkdagen`` werkdagen can take: the maximum, over every
    start day of the calendar's range (1990–2099), of the days from a melding on that day to
    its completion. That is ``werkdagen × 7/5`` plus what public holidays and a weekend at
    either end add (7–13 days for the catalogue's 30–100 werkdagen). Default policy:
    :data:`LONGEST_CALENDAR_POLICY`."""
    calendar = get_calendar(policy or LONGEST_CALENDAR_POLICY)
    # starts up to one year before the range's end, so every completion falls inside it
    starts = np.arange(np.datetime64(calendar.first_day), np.datetime64(calendar.last_day.replace(month=1, day=1)))
    return int((calendar.add_werkdagen_array(starts, werkdagen) - starts).astype(int).max())


def sla_months(werkdagen: int, policy: CalendarPolicy | None = None) -> float:
    """:func:`sla_days` in months (``ivp.domain.units.DAYS_PER_MONTH``)."""
    return sla_days(werkdagen, policy) / DAYS_PER_MONTH


def leads_short_of_sla(catalog, rules: NeedRules | None = None, policy: CalendarPolicy | None = None) -> list[Problem]:
    """One problem per rule whose ``trigger_lead_months`` does not cover its provision's
    ``sla_total`` (the catalogue's, e.g. with local overrides).

    A request made ``lead`` months before the need starts on day ``floor((need − lead) ×
    DAYS_PER_MONTH)`` (the process simulation floors months to whole days), which is at
    least ``floor(lead × DAYS_PER_MONTH)`` days before the need's day; the lead covers the
    SLA when that is at least :func:`sla_days` of the SLA total. A catalogue whose SLAs are
    longer than the protocol's (local overrides) needs longer leads in ``need_rules.csv``.
    """
    rules = rules or need_rules()
    rows = {rule_id: row for row, rule_id in enumerate(rules.rules, start=2)}  # header = row 1
    problems = []
    for provision in catalog.provisions:
        rule = rules.rules.get(provision.id)
        if rule is None:
            continue
        needed = sla_days(int(provision.sla.total), policy)
        lead = rule.trigger_lead_months
        if lead is None or np.floor(lead * DAYS_PER_MONTH) < needed:
            problems.append(Problem(
                rules.source, "trigger_lead_months", "lead_short",
                {"id": provision.id, "lead": "-" if lead is None else f"{lead:g}", "sla": provision.sla.total,
                 "days": needed, "months": needed / DAYS_PER_MONTH, "suggest": _half_months_covering(needed)},
                row=rows[provision.id],
            ))
    return problems


def _half_months_covering(days: int) -> float:
    """The shortest whole or half number of months whose floored days reach ``days``."""
    lead = np.ceil(days / DAYS_PER_MONTH * 2) / 2
    while np.floor(lead * DAYS_PER_MONTH) < days:
        lead += 0.5
    return float(lead)


def _topological(graph: dict[str, tuple[str, ...]]) -> list[str]:
    """Nodes so that every node comes after the nodes it points to."""
    order, seen = [], set()

    def visit(node):
        if node in seen:
            return
        seen.add(node)
        for other in graph[node]:
            visit(other)
        order.append(node)

    for node in graph:
        visit(node)
    return order


def _has_cycle(graph: dict[str, tuple[str, ...]]) -> bool:
    state: dict[str, int] = {}

    def visit(node) -> bool:
        state[node] = 1
        for other in graph.get(node, ()):
            if state.get(other) == 1 or (other not in state and visit(other)):
                return True
        state[node] = 2
        return False

    return any(node not in state and visit(node) for node in graph)


def load_need_rules(path: str | Path | None = None, catalog_ids: tuple[str, ...] | None = None) -> NeedRules:
    """Read and check ``need_rules.csv`` (default: the model's own) against the catalogue."""
    path = Path(path) if path is not None else data_path("need_rules.csv")
    source = path.name
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            records = list(reader)
    except OSError as error:
        raise InputError.single(source, "", "cannot_read", reason=excerpt(str(error.strerror or error), 80)) from None
    missing = [c for c in RULE_COLUMNS if c not in header]
    if missing:
        raise InputError.single(source, "", "columns_missing", row=1, columns=", ".join(missing))
    rules, problems = [], []
    for row, record in enumerate(records, start=2):
        try:
            rules.append(NeedRule.model_validate({c: record.get(c) for c in RULE_COLUMNS}))
        except ValidationError as error:
            problems.extend(problems_from_validation(error, source, row=row))
    seen: dict[str, int] = {}
    for row, record in enumerate(records, start=2):
        if record.get("id") in seen:
            problems.append(Problem(source, "id", "duplicate_id", {"id": record["id"], "first_row": seen[record["id"]]}, row))
        seen.setdefault(record.get("id"), row)
    rule_set = NeedRules(rules, source)
    if not problems:
        problems.extend(rule_set.check(catalog_ids if catalog_ids is not None else protocol_catalog_ids()))
    if problems:
        raise InputError(problems)
    return rule_set


@lru_cache(maxsize=None)
def care_dependency_condition() -> Condition:
    """The care-facility milestone's condition (``calibration.yaml``), parsed: the one
    definition of care dependency for the calibration and for Wlz entry."""
    path = data_path("calibration.yaml")
    text = read_mapping(path)["milestones"]["care_facility"]["condition"]
    return Condition.parse(text, course_params().item_names, HOME_FACTS)


@lru_cache(maxsize=None)
def protocol_catalog_ids() -> tuple[str, ...]:
    """The protocol catalogue's ids (cached): what the model's data files must cover."""
    return load_catalog().ids


@lru_cache(maxsize=None)
def need_rules() -> NeedRules:
    """The model's rules, checked against the protocol catalogue (cached)."""
    return load_need_rules()


def applicable_provisions(patients: pd.DataFrame, provision_ids, rules: NeedRules | None = None) -> np.ndarray:
    """``(n, p)`` boolean: the provision's home/household requirements hold for the patient.

    ``patients`` needs the home-fact columns of the disease model's patients frame (as in
    ``NeedWindows.patients``). This is applicability only (``requires`` of the rules), not
    whether the course ever reaches the need.
    """
    rules = rules or need_rules()
    unknown = [i for i in provision_ids if i not in rules.rules]
    if unknown:
        raise InputError.single(rules.source, "id", "no_need_rule", ids=", ".join(unknown))
    if not len(provision_ids):
        return np.zeros((len(patients), 0), dtype=bool)
    return np.column_stack([rules.rules[i].requires.applies(patients) for i in provision_ids])

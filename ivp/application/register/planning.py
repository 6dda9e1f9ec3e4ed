"""Issuing an IVP from the register: the client's stored profile and visits go through the
same simulation as ``ivp plan`` (:func:`ivp.application.plan.simulate_plan`, or
:func:`ivp.application.followup.follow_up` after visits), and the plan's table becomes the
earmarks of a new IVP version. A plan made elsewhere (``ivp plan --format json``) can be
issued as it is (:func:`lines_from_json`).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import select

from ivp.application.followup import follow_up
from ivp.application.plan import Plan, simulate_plan
from ivp.application.register.recording import Register, refuse
from ivp.application.register.schema import Client, Visit
from ivp.domain.catalog import Catalog
from ivp.domain.errors import InputError, excerpt
from ivp.domain.inputfile import read_input_bytes
from ivp.domain.plausibility import LIMITS, shown_limit
from ivp.domain.profile import ClientProfile
from ivp.domain.visit import Visit as VisitRecord
from ivp.domain.visit import check_visits


def client_facts(register: Register, dossier: str) -> tuple[ClientProfile, tuple[VisitRecord, ...]]:
    """The client's profile and visits as the register keeps them."""
    with register.db.reading() as s:
        client = s.scalars(select(Client).where(Client.dossier == dossier)).first()
        if client is None:
            raise refuse("--dossier", "unknown_dossier", dossier=excerpt(dossier))
        profile = ClientProfile.model_validate({**client.profile, "diagnosis_date": client.diagnosis_date})
        visits = tuple(VisitRecord.model_validate(v.data) for v in
                       s.scalars(select(Visit).where(Visit.client_id == client.id).order_by(Visit.visit_on)))
    return profile, visits


def make_plan(register: Register, dossier: str, scenario, replications: int, seed: int, **options) -> Plan:
    """The client's plan now: after the register's visits when there are any."""
    profile, visits = client_facts(register, dossier)
    common = dict(catalog=register.catalog, **options)
    if visits:
        return follow_up(profile, scenario, visits, replications, seed, **common)
    return simulate_plan(profile, scenario, replications, seed, **common)


def issue_plan(register: Register, dossier: str, plan: Plan, seed: int, issued_on: dt.date) -> int:
    """Record ``plan`` as the client's next IVP version; returns the version."""
    lines = plan.table.to_dict(orient="records")
    return register.issue_ivp(dossier, lines, issued_on=issued_on, scenario=plan.scenario_name,
                              replications=plan.n_replications, seed=seed, price_year=plan.price_level_year)


def lines_from_json(path: Path, catalog: Catalog, diagnosis_date: dt.date) -> tuple[list[dict], dict]:
    """The plan lines and facts (scenario, replications, price year) of ``ivp plan --format
    json`` output, checked: its client's diagnosis date must be the register's."""
    source = path.name
    try:
        data = json.loads(read_input_bytes(path).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError.single(source, "", "not_a_plan", reason=excerpt(str(error), 80)) from None
    if not isinstance(data, dict) or not isinstance(data.get("plan"), list):
        raise InputError.single(source, "plan", "not_a_plan", reason="no 'plan' list")
    if data.get("diagnosis_date") != diagnosis_date.isoformat():
        raise InputError.single(source, "diagnosis_date", "plan_other_client", got=excerpt(data.get("diagnosis_date")),
                                expected=diagnosis_date.isoformat())
    lines, problems = [], []
    for number, line in enumerate(data["plan"], start=1):
        where = f"plan[{number}]"
        if not isinstance(line, dict) or line.get("provision_id") not in catalog:
            problems.append(InputError.single(source, f"{where}.provision_id", "unknown_provision",
                                              id=excerpt(line.get("provision_id") if isinstance(line, dict) else line)))
            continue
        cost = line.get("cost_eur")
        if not _number(cost) or not cost >= 0:  # (nan and -Infinity are no amounts either)
            problems.append(InputError.single(source, f"{where}.cost_eur", "not_an_amount", got=excerpt(cost)))
            continue
        if cost > LIMITS.cost_eur_max:
            problems.append(InputError.single(source, f"{where}.cost_eur", "implausibly_large",
                                              limit=shown_limit("cost_eur_max"), got=excerpt(cost)))
            continue
        probability = line.get("probability")
        if probability is not None and not (_number(probability) and 0 <= probability <= 1):
            problems.append(InputError.single(source, f"{where}.probability", "not_a_share", got=excerpt(probability)))
            continue
        dates = {}
        for key in ("need_p50", "request_by"):
            try:
                dates[key] = dt.date.fromisoformat(line[key]) if line.get(key) else None
            except (TypeError, ValueError):
                problems.append(InputError.single(source, f"{where}.{key}", "not_a_date", got=excerpt(line[key])))
        lines.append({**line, **dates, "in_plan": bool(line.get("in_plan"))})
    if problems:
        raise InputError([p for error in problems for p in error.problems])
    ivp_date = data.get("ivp_date")
    try:
        year = dt.date.fromisoformat(ivp_date).year
    except (TypeError, ValueError):
        raise InputError.single(source, "ivp_date", "not_a_date", got=excerpt(ivp_date)) from None
    replications = data.get("replications")
    if not isinstance(replications, int) or isinstance(replications, bool) or replications < 1:
        raise InputError.single(source, "replications", "at_least", ge=1, got=excerpt(replications))
    if replications > LIMITS.replications_max:
        raise InputError.single(source, "replications", "implausibly_large",
                                limit=shown_limit("replications_max"), got=excerpt(replications))
    scenario = data.get("scenario")
    if not isinstance(scenario, str) or not scenario.strip():
        raise InputError.single(source, "scenario", "missing")
    return lines, {"scenario": scenario, "replications": replications, "price_year": year}


def _number(value) -> bool:
    """A JSON number (not true/false)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def record_visits(register: Register, dossier: str, visits: tuple[VisitRecord, ...]) -> list[int]:
    """Record checked visits (:func:`ivp.domain.visit.load_visits`) against the visits the
    register already holds."""
    profile, known = client_facts(register, dossier)
    check_visits([*((v, "register") for v in known), *((v, "--visit") for v in visits)], profile.diagnosis_date,
                 register.catalog.ids)
    return [register.record_visit(dossier, v.date, v.model_dump(mode="json")) for v in visits]

"""A municipality's current ALS clients, from a spreadsheet (CSV or Excel).

One row per client (or per group of alike clients, with ``count``). Columns:

=========================  ==========================================================
``client_id``              required; unique in the file (any text, e.g. a case number)
``diagnosis_date``         required; ``2025-03-14`` or ``14-03-2025`` (or an Excel date);
                           not in the future, not before 1990
``count``                  optional whole number >= 0 (default 1): the row stands for
                           this many clients alike (ids ``<client_id>#1``, ``#2``, ...)
``provisions_in_use``      optional: catalogue ids already delivered, separated by ``;``
                           (these are not bought again; reusable ones return to the depot)
profile fields             optional, empty = unknown: ``age_at_onset``, ``onset_site``
                           (bulbar, arms, legs, respiratory; Dutch bulbair, armen,
                           benen, respiratoir also accepted), ``diagnostic_delay_months``,
                           ``alsfrs_r_at_diagnosis``, ``dfs``, ``fvc_percent`` and the
                           yes/no facts (ja/nee, yes/no, true/false, 1/0):
                           ``definite_el_escorial``, ``ftd``, ``c9orf72`` and the home and
                           household facts of :class:`ivp.domain.profile.ClientProfile`
=========================  ==========================================================

Bad input raises one :class:`~ivp.domain.errors.InputError` naming file, row (header = row 1) and
field for every refused value; nothing is loaded half. See ``examples/caseload.csv``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from ivp.domain.catalog import Catalog, load_catalog
from ivp.domain.errors import (
    InputError,
    Problem,
    ValueProblem,
    excerpt,
    problems_from_validation,
)
from ivp.domain.plausibility import LIMITS, shown_limit
from ivp.domain.profile import ClientProfile
from ivp.domain.tabular import (
    parse_count,
    parse_date,
    parse_number,
    parse_yes_no,
    read_table,
)
from ivp.models.process import ExistingClient

REQUIRED = ("client_id", "diagnosis_date")
PROFILE_FIELDS = tuple(f for f in ClientProfile.model_fields if f != "diagnosis_date")
OPTIONAL = ("count", "provisions_in_use", *PROFILE_FIELDS)
EARLIEST_DIAGNOSIS = dt.date(1990, 1, 1)
"""The working-day calendar starts in 1990; no current client was diagnosed earlier."""

_BOOL_FIELDS = {name for name, f in ClientProfile.model_fields.items() if "bool" in str(f.annotation)}
_SITES = {"bulbar": "bulbar", "bulbair": "bulbar", "arms": "arms", "armen": "arms", "legs": "legs",
          "benen": "legs", "respiratory": "respiratory", "respiratoir": "respiratory"}


@dataclass(frozen=True)
class CaseloadClient:
    """One current client: who, since when, what is known, what is already in use."""

    client_id: str
    diagnosis_date: dt.date
    profile: ClientProfile
    provisions_in_use: tuple[str, ...] = ()
    row: int | None = None


@dataclass(frozen=True)
class CaseloadFile:
    """The validated caseload (counts expanded into one client each)."""

    source: str
    clients: tuple[CaseloadClient, ...] = field(default_factory=tuple)

    def __len__(self) -> int:
        return len(self.clients)

    def existing_clients(self):
        """The clients as :class:`ivp.models.process.ExistingClient` for a caseload run (which
        samples their survival conditional on being alive at the horizon's start)."""
        return tuple(ExistingClient(diagnosis_date=c.diagnosis_date, profile=c.profile, client_id=c.client_id)
                     for c in self.clients)

    def in_use(self) -> dict[str, tuple[str, ...]]:
        """Provisions already delivered, per client id."""
        return {c.client_id: c.provisions_in_use for c in self.clients if c.provisions_in_use}


def _parse_site(value: object) -> str:
    text = str(value).strip().lower()
    if text not in _SITES:
        raise ValueProblem("not_an_onset_site", got=excerpt(value))
    return _SITES[text]


def load_caseload(
    source: str | Path | IO[bytes],
    name: str | None = None,
    catalog: Catalog | None = None,
    as_of: dt.date | None = None,
) -> CaseloadFile:
    """Load and validate a caseload file; ``as_of`` (default today) bounds diagnosis dates."""
    catalog = catalog or load_catalog()
    as_of = as_of or dt.date.today()
    label = name or (Path(source).name if isinstance(source, (str, Path)) else getattr(source, "name", "caseload"))
    records = read_table(source, required=REQUIRED, optional=OPTIONAL, name=label)
    problems: list[Problem] = []
    clients: list[CaseloadClient] = []
    first_row: dict[str, int] = {}
    for record in records:
        cells, row = record.cells, record.row
        def bad(column: str, code: str, **params) -> None:
            problems.append(Problem(label, column, code, params, row))
        client_id = cells.get("client_id")
        if client_id is None:
            bad("client_id", "missing")
        else:
            client_id = str(client_id).strip()
            if isinstance(cells.get("client_id"), float) and float(cells["client_id"]).is_integer():
                client_id = str(int(cells["client_id"]))
            if client_id in first_row:
                bad("client_id", "duplicate_id", id=excerpt(client_id), first_row=first_row[client_id])
            else:
                first_row[client_id] = row
        diagnosis = None
        if cells.get("diagnosis_date") is None:
            bad("diagnosis_date", "missing")
        else:
            try:
                diagnosis = parse_date(cells["diagnosis_date"])
            except ValueProblem as error:
                problems.append(error.problem(label, "diagnosis_date", row))
            else:
                if diagnosis > as_of:
                    bad("diagnosis_date", "date_in_future", date=diagnosis.isoformat(), as_of=as_of.isoformat())
                    diagnosis = None
                elif diagnosis < EARLIEST_DIAGNOSIS:
                    bad("diagnosis_date", "date_too_early", date=diagnosis.isoformat(),
                        earliest=EARLIEST_DIAGNOSIS.isoformat())
                    diagnosis = None
        count = 1
        if cells.get("count") is not None:
            try:
                count = parse_count(cells["count"])
            except ValueProblem as error:
                problems.append(error.problem(label, "count", row))
                count = None
            else:
                if count < 0:
                    bad("count", "at_least", ge=0, got=count)
                    count = None
                elif count > LIMITS.caseload_clients_max:
                    bad("count", "implausibly_large", limit=shown_limit("caseload_clients_max"),
                        got=count)
                    count = None
        in_use: list[str] = []
        if cells.get("provisions_in_use") is not None:
            for part in re.split(r"[;,]", str(cells["provisions_in_use"])):
                pid = part.strip()
                if not pid:
                    continue
                if pid not in catalog:
                    bad("provisions_in_use", "unknown_provision", id=excerpt(pid))
                elif pid not in in_use:
                    in_use.append(pid)
        data: dict[str, Any] = {}
        for column in PROFILE_FIELDS:
            value = cells.get(column)
            if value is None:
                continue
            try:
                if column in _BOOL_FIELDS:
                    data[column] = parse_yes_no(value)
                elif column == "onset_site":
                    data[column] = _parse_site(value)
                else:
                    data[column] = parse_number(value)
            except ValueProblem as error:
                problems.append(error.problem(label, column, row))
        profile = None
        try:
            profile = ClientProfile.model_validate({**data, "diagnosis_date": diagnosis})
        except ValidationError as error:
            problems.extend(problems_from_validation(error, label, row=row))
        if client_id is None or diagnosis is None or count is None or profile is None:
            continue
        if "count" in cells and cells.get("count") is not None:
            ids = [f"{client_id}#{i}" for i in range(1, count + 1)]
        else:
            ids = [client_id]
        clients.extend(CaseloadClient(i, diagnosis, profile, tuple(in_use), row) for i in ids)
    if len(clients) > LIMITS.caseload_clients_max:
        problems.append(Problem(label, "count", "implausibly_large",
                                {"limit": shown_limit("caseload_clients_max"),
                                 "got": f"{len(clients):,}".replace(",", ".")}))
    if problems:
        raise InputError(problems)
    return CaseloadFile(source=label, clients=tuple(clients))

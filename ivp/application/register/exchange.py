"""Everything out of a register and back in: an Excel workbook to read (one sheet per table,
dates as dates) and a JSON backup that :func:`restore` loads into an empty register.

The JSON backup holds every row of every table, the schema revision it was made at, and when;
restoring checks the revision, loads all tables in one transaction and keeps every id (so the
audit log's references still hold).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError
from sqlalchemy import BigInteger, Boolean, Date, DateTime, Float, Integer, Numeric, String, func, insert, select, text
from sqlalchemy.exc import DBAPIError

from ivp.application.register.database import Database
from ivp.application.register.schema import BIG_INTEGER_MAX, INTEGER_MAX, AuditEntry, Base
from ivp.domain.errors import InputError, excerpt, problems_from_validation
from ivp.domain.inputfile import read_input_bytes
from ivp.domain.profile import ClientProfile

FORMAT = "ivp-register-backup"
BACKUP_MAX_BYTES = 500 * 1024 * 1024
"""The largest backup ``restore`` reads (500 MB). A backup holds about 20 kB per IVP version
(its earmarks, meldingen, deliveries, releases and audit lines; measured on the example
register of tools/register_example.py): 500 MB is some 25,000 versions, the whole country's
new clients (about 500 a year) over ten years with several versions each; the other inputs'
5 MB limit would stop at about 250 versions, a large municipality's register after a few years."""


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is None:  # SQLite keeps no zone; the register writes UTC
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def dump(db: Database) -> dict:
    """Every row of every table as plain JSON values (ISO dates)."""
    with db.reading() as s:
        tables = {table.name: [{k: _plain(v) for k, v in row.items()}
                               for row in s.execute(select(table).order_by(table.c.id)).mappings()]
                  for table in Base.metadata.sorted_tables}
    return {"format": FORMAT, "revision": db.revision(), "made_at": dt.datetime.now(dt.timezone.utc).isoformat(),
            "tables": tables}


def export_json(db: Database, path: Path) -> None:
    path.write_text(json.dumps(dump(db), ensure_ascii=False, indent=1), encoding="utf-8")


def export_xlsx(db: Database, path: Path) -> None:
    data = dump(db)
    with pd.ExcelWriter(path, engine="xlsxwriter", date_format="dd-mm-yyyy",
                        datetime_format="dd-mm-yyyy hh:mm") as writer:
        for table in Base.metadata.sorted_tables:
            frame = pd.DataFrame(data["tables"][table.name], columns=[c.name for c in table.columns])
            for column in table.columns:
                if isinstance(column.type, Date):
                    frame[column.name] = pd.to_datetime(frame[column.name]).dt.date
                elif isinstance(column.type, DateTime):
                    frame[column.name] = pd.to_datetime(frame[column.name], utc=True).dt.tz_localize(None)
                elif column.type.python_type in (dict,):
                    frame[column.name] = frame[column.name].map(lambda v: json.dumps(v, ensure_ascii=False))
            frame.to_excel(writer, sheet_name=table.name, index=False)
            writer.sheets[table.name].freeze_panes(1, 0)
            writer.sheets[table.name].set_column(0, len(frame.columns) - 1, 16)


def _typed(table, row: dict, source: str, number: int) -> dict:
    """The row's values as its table's columns hold them, checked by type: a row the database
    would refuse, or store as something else, is refused here naming its field."""
    out = {}
    for column in table.columns:
        value = row.get(column.name)
        code, params = (None, {}) if value is None else _type_problem(column.type, value)
        if code == "dates":
            try:
                value = (dt.datetime.fromisoformat(value) if isinstance(column.type, DateTime)
                         else dt.date.fromisoformat(value))
            except (TypeError, ValueError):
                code = "not_a_date"
            else:
                code = None
        if code is not None:
            raise InputError.single(source, f"tables.{table.name}[{number}].{column.name}", code,
                                    got=excerpt(value), **params) from None
        out[column.name] = value
    return out


def _type_problem(kind, value) -> tuple[str | None, dict]:
    """Why ``value`` does not fit a column of type ``kind`` (``dates``: to be parsed), and the
    message's values; ``None`` if it fits."""
    if isinstance(kind, (Date, DateTime)):
        return "dates", {}
    if isinstance(kind, Boolean):
        return (None if isinstance(value, bool) else "not_yes_no"), {}
    if isinstance(value, bool):
        return ("number_yes_no" if isinstance(kind, (Integer, Float, Numeric)) else None), {}
    if isinstance(kind, Integer):
        if not isinstance(value, int):
            return "not_a_whole_number", {}
        limit = BIG_INTEGER_MAX if isinstance(kind, BigInteger) else INTEGER_MAX
        return (None, {}) if abs(value) <= limit else ("at_most", {"le": limit})
    if isinstance(kind, (Float, Numeric)):
        return (None if isinstance(value, (int, float)) and math.isfinite(value) else "not_a_number"), {}
    if isinstance(kind, String):
        return (None if isinstance(value, str) else "not_text"), {}
    return None, {}


def restore(db: Database, path: Path) -> dict[str, int]:
    """Load a JSON backup into ``db``, which must be an empty register at the backup's
    revision; returns the rows loaded per table."""
    source = path.name
    try:
        data = json.loads(read_input_bytes(path, limit=BACKUP_MAX_BYTES).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError.single(source, "", "not_a_backup", reason=excerpt(str(error), 80)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("tables"), dict):
        raise InputError.single(source, "format", "not_a_backup", reason=f"no '{FORMAT}'")
    if data.get("revision") != db.revision():
        raise InputError.single(source, "revision", "backup_revision", found=excerpt(data.get("revision")),
                                register=db.revision())
    _check_profiles(data["tables"].get("clients", []), source)
    counts = {}
    try:
        with db.transaction() as s:
            _load(s, db, data, source, counts)
    except DBAPIError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise InputError.single(source, "tables", "backup_rows_refused", reason=excerpt(reason, 160)) from None
    return counts


def _check_profiles(clients: Any, source: str) -> None:
    """Every client's profile must be one the model can plan from."""
    if not isinstance(clients, list):
        return
    problems = []
    for number, row in enumerate(clients, start=1):
        if not isinstance(row, dict):
            continue
        try:
            ClientProfile.model_validate(row.get("profile") or {})  # the diagnosis date: a column of its own
        except ValidationError as error:
            problems += problems_from_validation(error, source, prefix=f"tables.clients[{number}].profile")
    if problems:
        raise InputError(problems)


def _load(s, db: Database, data: dict, source: str, counts: dict[str, int]) -> None:
    """Every table's rows of the backup, into an empty register, in one transaction (the caller's)."""
    for table in Base.metadata.sorted_tables:
        if s.scalar(select(func.count()).select_from(table)):
            raise InputError.single("--db", "", "register_not_empty", table=table.name)
    for table in Base.metadata.sorted_tables:
        rows = data["tables"].get(table.name, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise InputError.single(source, f"tables.{table.name}", "not_a_list", got=excerpt(rows))
        if rows:
            s.execute(insert(table), [_typed(table, r, source, i) for i, r in enumerate(rows, start=1)])
        counts[table.name] = len(rows)
    if db.engine.dialect.name == "postgresql":  # the ids were given: move each sequence past them
        for table in Base.metadata.sorted_tables:
            s.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                           f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))


def audit_entries(db: Database, dossier: str | None = None, limit: int = 50) -> list[AuditEntry]:
    """The newest ``limit`` lines of the audit log (of one dossier), newest first."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if dossier is not None:
        query = query.where(AuditEntry.dossier == dossier)
    with db.reading() as s:
        return list(s.scalars(query))

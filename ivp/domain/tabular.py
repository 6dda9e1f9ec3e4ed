"""Reading the tables users supply: CSV or Excel, one header row, one record per row.

Municipalities live in spreadsheets, so every tabular input of IVP Planner (catalogue,
local overrides, caseloads) goes through :func:`read_table`. It checks the columns before
anything else and reports rows in spreadsheet numbering (header = row 1), so a message can
point at the exact cell. Values come back as they are in the file (strings from CSV; numbers,
strings or dates from Excel); parsing them is the caller's job (see :func:`parse_amount`,
:func:`parse_count`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable

from ivp.domain.errors import InputError, Problem, ValueProblem, excerpt
from ivp.domain.inputfile import read_input_bytes

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv",)


@dataclass(frozen=True)
class Record:
    """One data row: its spreadsheet row number and its cells by column name."""

    row: int
    cells: dict[str, object]


def read_table(
    source: str | Path | IO[bytes],
    required: Iterable[str],
    optional: Iterable[str] = (),
    name: str | None = None,
) -> list[Record]:
    """Read a CSV or Excel table and check its columns.

    ``source`` is a path or a binary file object (an upload); ``name`` is the file name shown
    in messages (defaults to the path's name). Empty rows are skipped; empty cells become
    ``None``. Missing required columns, unknown columns and duplicate columns are refused.
    """
    required, optional = list(required), list(optional)
    if name is None:
        name = Path(source).name if isinstance(source, (str, Path)) else getattr(source, "name", "upload")
    suffix = Path(name).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        header, rows = _read_excel(source, name)
    elif suffix in CSV_SUFFIXES:
        header, rows = _read_csv(source, name)
    else:
        raise InputError.single(name, "", "unsupported_file_type", suffix=suffix or "(none)")
    _check_columns(name, header, required, optional)
    extra = [Problem(name, "", "extra_cells", {"cells": len(values), "columns": len(header),
                                                "values": excerpt(", ".join(str(v) for v in values[len(header):]))},
                     row=offset)
             for offset, values in enumerate(rows, start=2)
             if len(values) > len(header) and any(_clean(v) is not None for v in values[len(header):])]
    if extra:
        raise InputError(extra)
    records = []
    for offset, values in enumerate(rows, start=2):
        cells = {column: _clean(value) for column, value in zip(header, values)}
        if all(value is None for value in cells.values()):
            continue
        for column in header[len(values):]:
            cells[column] = None
        records.append(Record(row=offset, cells=cells))
    return records


def _clean(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _read_csv(source: str | Path | IO[bytes], name: str) -> tuple[list[str], list[list[str]]]:
    raw = read_input_bytes(source, name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError.single(name, "", "not_utf8") from None
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise InputError.single(name, "", "not_csv", reason=excerpt(str(error), 80)) from None
    if not rows:
        raise InputError.single(name, "", "file_empty")
    return [column.strip() for column in rows[0]], rows[1:]


def _read_excel(source: str | Path | IO[bytes], name: str) -> tuple[list[str], list[list[object]]]:
    # measured: about 0.4 s to import; only for .xlsx input
    from openpyxl import load_workbook

    raw = read_input_bytes(source, name)
    try:
        values = _sheet_rows(load_workbook(io.BytesIO(raw), read_only=True, data_only=True))
        formulas = _sheet_rows(load_workbook(io.BytesIO(raw), read_only=True, data_only=False))
    except Exception as error:  # openpyxl raises many types for a file that is not a workbook
        raise InputError.single(name, "", "not_a_workbook", reason=excerpt(str(error), 80)) from None
    if not values:
        raise InputError.single(name, "", "sheet_empty")
    header = [("" if cell is None else str(cell)).strip() for cell in values[0]]
    while header and header[-1] == "":
        header.pop()
    # a formula saved without its result (written by a program, never opened in Excel) has no
    # value to read: refused, not read as empty
    unsaved = [Problem(name, header[j] if j < len(header) else "", "formula_without_value",
                       {"formula": excerpt(formula)}, row=i + 1)
               for i, (row, source_row) in enumerate(zip(values, formulas))
               for j, (value, formula) in enumerate(zip(row, source_row))
               if value is None and isinstance(formula, str) and formula.startswith("=")]
    if unsaved:
        raise InputError(unsaved)
    return header, values[1:]


def _sheet_rows(workbook) -> list[list[object]]:
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def _check_columns(name: str, header: list[str], required: list[str], optional: list[str]) -> None:
    problems = []
    allowed = set(required) | set(optional)
    seen = set()
    for position, column in enumerate(header, start=1):
        if column in seen:
            problems.append(Problem(name, column, "column_twice", row=1))
        seen.add(column)
        if column not in allowed:
            label = column or f"(empty header in column {position})"
            problems.append(
                Problem(name, label, "unknown_column", {"allowed": ", ".join(sorted(allowed))}, row=1)
            )
    for column in required:
        if column not in seen:
            problems.append(Problem(name, column, "column_missing", row=1))
    if problems:
        raise InputError(problems)


_AMOUNT = re.compile(r"^-?\d+([.,]\d{1,2})?$")
_COUNT = re.compile(r"^(-?\d+)(?:[.,]0{1,2})?$")


def parse_amount(value: object) -> float:
    """A euro amount from a cell: a number, or text like ``10000``, ``10000,50``, ``10000.5``.

    Text with thousands separators (``10.000``) is refused rather than guessed: in Dutch it
    means ten thousand, in English ten.
    """
    if isinstance(value, bool):
        raise ValueProblem("amount_yes_no")
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).replace("€", "").replace(" ", "")
    if not _AMOUNT.match(text):
        raise ValueProblem("not_an_amount", got=excerpt(value))
    return float(text.replace(",", "."))


def parse_count(value: object) -> int:
    """A whole number (werkdagen, counts) from a cell: ``12``, or ``12,0`` / ``12.0`` as a
    spreadsheet writes it (not ``12.000``: in Dutch twelve thousand); fractions and text are
    refused."""
    if isinstance(value, bool):
        raise ValueProblem("whole_number_yes_no")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueProblem("not_a_whole_number", got=excerpt(value))
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    match = _COUNT.match(text)
    if not match:
        raise ValueProblem("not_a_whole_number", got=excerpt(value))
    return int(match.group(1))


_TRUE = {"ja", "j", "yes", "y", "true", "waar", "1"}
_FALSE = {"nee", "n", "no", "false", "onwaar", "0"}
_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")


def parse_date(value: object) -> dt.date:
    """A date cell: an Excel date, ``2025-03-14`` (ISO) or ``14-03-2025`` (Dutch)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueProblem("not_a_date", got=excerpt(value))


def parse_number(value: object) -> float:
    """A number cell: a number, or text like ``63``, ``63,5`` or ``63.5``."""
    if isinstance(value, bool):
        raise ValueProblem("number_yes_no")
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    if not _NUMBER.match(text):
        raise ValueProblem("not_a_number", got=excerpt(value))
    return float(text.replace(",", "."))


def parse_yes_no(value: object) -> bool:
    """A yes/no cell: ja/nee, yes/no, true/false, waar/onwaar or 1/0 (any case)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueProblem("not_yes_no", got=excerpt(value))

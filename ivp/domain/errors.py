"""Input errors that name the file, the row and the field.

Every loader in IVP Planner (catalogue, overrides, scenario files, profiles, caseloads)
refuses bad input by raising :class:`InputError`. It carries one :class:`Problem` per
offending value, so the CLI and the app can show a clear message instead of a traceback,
and nothing is ever loaded half.

Row numbers follow the spreadsheet convention: the header is row 1, the first data row
is row 2. For YAML files the "row" is omitted and the field is the dotted key path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from pydantic import ValidationError


@dataclass(frozen=True)
class Problem:
    """One refused value: where it is and why it is refused."""

    source: str
    field: str
    message: str
    row: int | None = None

    def __str__(self) -> str:
        where = self.source
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class InputError(ValueError):
    """Bad input; ``problems`` lists every refused value (at least one)."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("InputError needs at least one problem")
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, source: str, field: str, message: str, row: int | None = None) -> "InputError":
        return cls([Problem(source=source, field=field, message=message, row=row)])


def problems_from_validation(
    error: ValidationError, source: str, row: int | None = None, prefix: str = ""
) -> list[Problem]:
    """Translate a pydantic ``ValidationError`` into problems that name the field."""
    problems = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"])
        if prefix:
            field = f"{prefix}.{field}" if field else prefix
        message = item["msg"].removeprefix("Value error, ")
        if "input" in item and item["type"] not in ("missing", "extra_forbidden"):
            message += f" (got {item['input']!r})"
        problems.append(Problem(source=source, field=field, message=message, row=row))
    return problems

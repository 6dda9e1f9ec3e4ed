"""Input errors that name the file, the row and the field.

Every loader in IVP Planner (catalogue, overrides, scenario files, profiles, caseloads)
refuses bad input by raising :class:`InputError`. It carries one :class:`Problem` per
offending value, so the CLI and the app can show a clear message instead of a traceback,
and nothing is ever loaded half.

A problem is a *code* and its *parameters*: the text is the message catalogue's
``problem.<code>`` (:mod:`ivp.domain.messages`) in the reader's language, so the app shows
Dutch or English from the same problem, never by translating an English sentence. A value
that was refused appears only as a short excerpt (:func:`excerpt`).

Row numbers follow the spreadsheet convention: the header is row 1, the first data row
is row 2. For YAML files the "row" is omitted and the field is the dotted key path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from ivp.domain.messages import DEFAULT_LANG, Lang, has_text, text

EXCERPT_CHARACTERS = 40
"""A refused value is shown with at most this many characters (a 20 MB cell is not echoed)."""


def excerpt(value: Any, limit: int = EXCERPT_CHARACTERS) -> str:
    """A short, printable excerpt of a refused value."""
    shown = value if isinstance(value, str) else repr(value)
    shown = shown.replace("\n", " ").replace("\r", " ")
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One refused value: where it is (``source`` file, ``row``, ``field``) and why
    (``code`` with its ``params``; the text is :meth:`text`)."""

    source: str
    field: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    row: int | None = None

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        """Why the value was refused, in ``lang``."""
        return text(f"problem.{self.code}", lang, **self.params)

    @property
    def message(self) -> str:
        """Why, in English (the command line's language for refused input)."""
        return self.text("en")

    def where(self, lang: Lang = "en") -> str:
        parts = [self.source]
        if self.row is not None:
            parts.append(text("problem.where.row", lang, row=self.row))
        if self.field:
            parts.append(text("problem.where.field", lang, field=self.field))
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"


class InputError(ValueError):
    """Bad input; ``problems`` lists every refused value (at least one)."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("InputError needs at least one problem")
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, source: str, field: str, code: str, row: int | None = None, **params: Any) -> "InputError":
        return cls([Problem(source, field, code, params, row)])


def custom_error(code: str, **params: Any) -> PydanticCustomError:
    """An error to raise in a pydantic validator: pydantic reports it with ``code`` as its
    type and ``params`` as its context, and :func:`problems_from_validation` turns it into
    the :class:`Problem` of that code (the English text is the catalogue's)."""
    return PydanticCustomError(code, text(f"problem.{code}", "en", **params), params)


PYDANTIC_CODES = {
    "missing": "missing", "extra_forbidden": "unknown_key", "greater_than": "greater_than",
    "greater_than_equal": "at_least", "less_than": "less_than", "less_than_equal": "at_most",
    "literal_error": "one_of", "enum": "one_of", "float_parsing": "not_a_number", "float_type": "not_a_number",
    "int_parsing": "not_a_whole_number", "int_type": "not_a_whole_number", "int_from_float": "not_a_whole_number",
    "bool_parsing": "not_yes_no", "bool_type": "not_yes_no", "string_type": "not_text",
    "string_too_short": "text_too_short", "string_pattern_mismatch": "pattern", "date_parsing": "not_a_date",
    "date_type": "not_a_date", "date_from_datetime_inexact": "not_a_date", "date_from_datetime_parsing": "not_a_date",
    "union_tag_invalid": "unknown_kind", "union_tag_not_found": "kind_missing", "too_short": "too_few",
    "finite_number": "not_finite", "dict_type": "not_a_mapping", "model_type": "not_a_mapping",
    "model_attributes_type": "not_a_mapping", "tuple_type": "not_a_list", "list_type": "not_a_list",
}
"""Pydantic's error types and the catalogue codes that explain them."""


def _problem_of(item: Mapping[str, Any], source: str, field_name: str, row: int | None) -> Problem:
    kind, ctx = item["type"], dict(item.get("ctx") or {})
    if has_text(f"problem.{kind}") and kind not in PYDANTIC_CODES:  # raised with custom_error
        # a check across fields has no location of its own: it names its field in ``field``,
        # as does a check of one entry of a mapping field (``alsfrs_r.speech`` within ``alsfrs_r``)
        named = str(ctx.get("field", ""))
        if not field_name or (named.startswith(field_name + ".")):
            field_name = named
        return Problem(source, field_name, kind, ctx, row)
    code = PYDANTIC_CODES.get(kind)
    if code is None:  # a pydantic error with no text of its own: pydantic's English words
        return Problem(source, field_name, "invalid", {"reason": item["msg"].removeprefix("Value error, ")}, row)
    params = {key: (excerpt(v, 200) if not isinstance(v, (int, float)) else v) for key, v in ctx.items()}
    params["got"] = excerpt(item.get("input", ""))
    return Problem(source, field_name, code, params, row)


def problems_from_validation(
    error: ValidationError, source: str, row: int | None = None, prefix: str = ""
) -> list[Problem]:
    """Translate a pydantic ``ValidationError`` into problems that name the field."""
    problems = []
    for item in error.errors(include_url=False):
        problem = _problem_of(item, source, ".".join(str(part) for part in item["loc"]), row)
        if prefix:  # e.g. the entry of a list: "[2].alsfrs_r.speech"
            problem = Problem(problem.source, f"{prefix}.{problem.field}" if problem.field else prefix, problem.code,
                              problem.params, problem.row)
        problems.append(problem)
    return problems


class ValueProblem(ValueError):
    """A refused cell or value, raised by a parser (``code`` and ``params`` as a
    :class:`Problem`); the loader that knows the file, row and field makes the problem."""

    def __init__(self, code: str, **params: Any):
        self.code, self.params = code, params
        super().__init__(text(f"problem.{code}", "en", **params))

    def problem(self, source: str, field_name: str, row: int | None = None) -> Problem:
        return Problem(source, field_name, self.code, self.params, row)

"""Reading YAML files safely: data only (never code), a mapping at the top level, and an
:class:`~ivp.domain.errors.InputError` naming the file, the line and the column when it is not."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml
from pydantic import ValidationError

from ivp.domain.errors import InputError, Problem, excerpt, problems_from_validation


def parse_mapping(text: str, source: str, empty_is_mapping: bool = False) -> dict[str, Any]:
    """The mapping in YAML ``text``; ``source`` names it in messages. An empty document is
    ``{}`` if ``empty_is_mapping``."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = excerpt(str(getattr(error, "problem", None) or error), 80)
        if mark is not None:
            raise InputError.single(source, "", "not_yaml_at", line=mark.line + 1, column=mark.column + 1,
                                    problem=problem) from None
        raise InputError.single(source, "", "not_yaml", problem=problem) from None
    if data is None and empty_is_mapping:
        return {}
    if not isinstance(data, dict):
        raise InputError.single(source, "", "top_level_not_mapping")
    return data


def read_mapping(path: str | Path, empty_is_mapping: bool = False) -> dict[str, Any]:
    """The mapping in the YAML file at ``path`` (see :func:`parse_mapping`)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise InputError.single(path.name, "", "cannot_read", reason=excerpt(str(reason), 80)) from None
    return parse_mapping(text, path.name, empty_is_mapping)


@dataclass(frozen=True)
class DocumentedValues:
    """A file of named values, each ``{value, rationale, source}``: the values, the texts
    that document them, and what was refused."""

    values: dict[str, Any]
    rationales: dict[str, str]
    sources: dict[str, str]
    problems: list[Problem]


ENTRY_KEYS = ("value", "rationale", "source")


def read_documented_values(path: str | Path, known: Iterable[str], required: Iterable[str] = ("rationale",),
                           complete: bool = True) -> DocumentedValues:
    """Read a file of ``field: {value, rationale, source}`` entries (the budget assumptions,
    the calendar policy). Refused: an unknown field, an entry that is not such a mapping, an
    unknown key in it, a missing value, an empty required text (``required``) and, with
    ``complete``, a field of ``known`` that is absent. The values themselves are the
    caller's to validate."""
    path = Path(path)
    source, known, required = path.name, tuple(known), tuple(required)
    document = read_mapping(path)
    out = DocumentedValues({}, {}, {}, [])
    for key, entry in document.items():
        name = str(key)
        if name not in known:
            out.problems.append(Problem(source, name, "unknown_field", {"expected": ", ".join(known)}))
            continue
        if not isinstance(entry, Mapping):
            out.problems.append(Problem(source, name, "entry_not_mapping"))
            continue
        for extra in sorted(set(map(str, entry)) - set(ENTRY_KEYS)):
            out.problems.append(Problem(source, f"{name}.{excerpt(extra)}", "unknown_key"))
        for part in required:
            text = entry.get(part)
            if not isinstance(text, str) or not text.strip():
                out.problems.append(Problem(source, f"{name}.{part}", "documentation_missing"))
        if "value" not in entry:
            out.problems.append(Problem(source, f"{name}.value", "missing"))
            continue
        out.values[name] = entry["value"]
        out.rationales[name] = " ".join(str(entry.get("rationale") or "").split())
        out.sources[name] = " ".join(str(entry.get("source") or "").split())
    if complete:
        out.problems.extend(Problem(source, name, "missing") for name in known if name not in document)
    return out


def load_documented_model(path: str | Path, model: type, required: Iterable[str] = ("rationale",)):
    """A pydantic ``model`` from a documented-values file (:func:`read_documented_values`):
    ``(instance, read)``; every problem of the file and of the values (named
    ``<field>.value``) is raised together as one :class:`InputError`."""
    path = Path(path)
    read = read_documented_values(path, model.model_fields, required)
    problems = list(read.problems)
    instance = None
    try:
        instance = model.model_validate(read.values)
    except ValidationError as error:
        for problem in problems_from_validation(error, path.name):
            if not any(p.field.split(".")[0] == problem.field for p in problems):
                problems.append(dataclasses.replace(problem, field=f"{problem.field}.value"))
    if problems:
        raise InputError(problems)
    return instance, read


def named_file(name_or_path: str | Path, folder: Path, suffix: str = ".yaml") -> Path:
    """A shipped file of ``folder`` by its name (``protocol``), or the file given."""
    text = str(name_or_path)
    shipped = folder / f"{text}{suffix}"
    if "/" not in text and "\\" not in text and not text.endswith((".yaml", ".yml")) and shipped.is_file():
        return shipped
    return Path(name_or_path)

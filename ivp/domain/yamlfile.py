"""Reading YAML files safely: data only (never code), a mapping at the top level, and an
:class:`~ivp.domain.errors.InputError` naming the file, the line and the column when it is not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ivp.domain.errors import InputError


def parse_mapping(text: str, source: str, what: str = "the file", empty_is_mapping: bool = False) -> dict[str, Any]:
    """The mapping in YAML ``text``; ``source`` names it in messages, ``what`` describes it
    ("a scenario", "the policy file"). An empty document is ``{}`` if ``empty_is_mapping``."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(error, "problem", None) or error
        raise InputError.single(source, "", f"not valid YAML{where}: {problem}") from None
    if data is None and empty_is_mapping:
        return {}
    if not isinstance(data, dict):
        raise InputError.single(source, "", f"{what} must be a mapping of key: value at the top level")
    return data


def read_mapping(path: str | Path, what: str = "the file", empty_is_mapping: bool = False) -> dict[str, Any]:
    """The mapping in the YAML file at ``path`` (see :func:`parse_mapping`)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise InputError.single(path.name, "", f"cannot read {what}: {reason}") from None
    return parse_mapping(text, path.name, what, empty_is_mapping)

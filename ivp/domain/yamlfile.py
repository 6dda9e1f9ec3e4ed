"""Reading YAML files safely: data only (never code), no key twice, bounded in size and
depth (aliases expanded), a mapping at the top level, and an
:class:`~ivp.domain.errors.InputError` naming the file, the line and the column when it is not."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml
from pydantic import ValidationError

from ivp.domain.errors import InputError, Problem, excerpt, problems_from_validation
from ivp.domain.inputfile import read_input_bytes

MAX_YAML_NODES = 100_000
"""The most values (scalars, lists and mappings, with aliases expanded) a YAML input may hold:
a scenario file has about 600, a profile about 20. A few hundred bytes of nested aliases
("billion laughs") expand beyond this and are refused before they are built."""
MAX_YAML_DEPTH = 40
"""The deepest nesting of lists and mappings a YAML input may have (a scenario file goes 8 deep)."""


class _Duplicate(Exception):
    def __init__(self, key: object, mark):
        self.key, self.mark = key, mark


class _TooLarge(Exception):
    pass


class _TooDeep(Exception):
    pass


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""PyYAML's safe loader (data only, never code), parsing with libyaml where PyYAML has it (its
wheels do). Measured: the pure-Python parser took 14.6 ms for the protocol scenario, libyaml
1.7 ms."""


def load_shipped(text: str) -> Any:
    """The data of a YAML file shipped with the package (trusted: no size checks)."""
    return yaml.load(text, Loader=SAFE_LOADER)


class _StrictLoader(SAFE_LOADER):
    """:data:`SAFE_LOADER` refusing a key given twice in one mapping instead of keeping the
    last (``<<`` merges may still be overridden)."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                except TypeError:  # an unhashable key: PyYAML refuses it below
                    continue
                if duplicate:
                    raise _Duplicate(key, key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep)


def _check_size(node, memo: dict[int, int], depth: int = 0) -> int:
    """The number of values under ``node`` with aliases expanded (each node counted once per
    reference, computed once per node); refuses too many or too deep (cycles included)."""
    if depth > MAX_YAML_DEPTH:
        raise _TooDeep()
    known = memo.get(id(node))
    if known is not None:
        return known
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_check_size(child, memo, depth + 1) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_check_size(k, memo, depth + 1) + _check_size(v, memo, depth + 1) for k, v in node.value)
    if size > MAX_YAML_NODES:
        raise _TooLarge()
    memo[id(node)] = size
    return size


def parse_yaml(text: str, source: str) -> Any:
    """The data in YAML ``text`` (``source`` names it in messages), read safely: no code, no
    duplicate keys, at most :data:`MAX_YAML_NODES` values and :data:`MAX_YAML_DEPTH` levels."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_size(node, {})
        return loader.construct_document(node)
    except _Duplicate as error:
        raise InputError.single(source, excerpt(error.key), "duplicate_key", line=error.mark.line + 1) from None
    except _TooLarge:
        raise InputError.single(source, "", "yaml_too_large", limit=f"{MAX_YAML_NODES:,}") from None
    except (_TooDeep, RecursionError):
        raise InputError.single(source, "", "yaml_too_deep", limit=MAX_YAML_DEPTH) from None
    except InputError:
        raise
    except ValueError as error:  # a scalar YAML cannot construct, e.g. the date 2027-02-30
        raise InputError.single(source, "", "not_yaml", problem=excerpt(str(error), 80)) from None
    except yaml.YAMLError as error:
        if "maximum nesting depth" in str(error):  # libyaml's own limit (1,000), far above ours
            raise InputError.single(source, "", "yaml_too_deep", limit=MAX_YAML_DEPTH) from None
        mark = getattr(error, "problem_mark", None)
        problem = excerpt(str(getattr(error, "problem", None) or error), 80)
        if mark is not None:
            raise InputError.single(source, "", "not_yaml_at", line=mark.line + 1, column=mark.column + 1,
                                    problem=problem) from None
        raise InputError.single(source, "", "not_yaml", problem=problem) from None
    finally:
        loader.dispose()


def parse_mapping(text: str, source: str, empty_is_mapping: bool = False) -> dict[str, Any]:
    """The mapping in YAML ``text`` (:func:`parse_yaml`); ``source`` names it in messages.
    An empty document is ``{}`` if ``empty_is_mapping``."""
    data = parse_yaml(text, source)
    if data is None and empty_is_mapping:
        return {}
    if not isinstance(data, dict):
        raise InputError.single(source, "", "top_level_not_mapping")
    return data


def read_mapping(path: str | Path, empty_is_mapping: bool = False) -> dict[str, Any]:
    """The mapping in the YAML file at ``path`` (see :func:`parse_mapping`), read through
    :func:`~ivp.domain.inputfile.read_input_bytes` (a regular file of bounded size)."""
    path = Path(path)
    raw = read_input_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError.single(path.name, "", "not_utf8_text") from None
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

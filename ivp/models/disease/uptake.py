"""Uptake: who takes up a provision they need, from ``ivp/models/disease/data/uptake.yaml``.

Need is clinical (the course and ``need_rules.csv``); uptake is the patient's choice and
circumstances: the probability that a patient who needs a provision accepts and uses it.
Each entry has a value (0-1), a rationale and a source ("assumption" where none was
found), and optionally ``follows``: taken up only where that other provision is taken up
too (emergency power only with the ventilation). The file must cover exactly the
catalogue's provisions.

Each patient draws one uniform per provision from the disease model's own ``uptake``
stream (:mod:`ivp.models.disease.streams`), so the same patient takes up the same
provisions under every route (common random numbers), and changing an uptake changes no
course.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import Field, ValidationError

from ivp.domain.errors import InputError, Problem, problems_from_validation
from ivp.domain.yamlfile import read_mapping
from ivp.models.disease.needs import protocol_catalog_ids
from ivp.models.disease.params import Frozen, data_path


class Uptake(Frozen):
    """The probability that a patient who needs a provision takes it up."""

    value: float = Field(ge=0, le=1)
    rationale: str = Field(min_length=10)
    source: str = Field(min_length=3)
    follows: str | None = None


def load_uptake(path: str | Path | None = None, catalog_ids: tuple[str, ...] | None = None) -> dict[str, Uptake]:
    """Read and check an uptake file (default: the model's own) against the catalogue."""
    path = Path(path) if path is not None else data_path("uptake.yaml")
    source = path.name
    problems, out = [], {}
    document = read_mapping(path)
    for key, entry in document.items():
        try:
            out[str(key)] = Uptake.model_validate(entry)
        except ValidationError as error:
            problems.extend(problems_from_validation(error, source, prefix=str(key)))
    for key, entry in out.items():
        if entry.follows is not None and entry.follows not in out:
            problems.append(Problem(source, f"{key}.follows", "unknown_provision", {"id": entry.follows}))
    ids = catalog_ids if catalog_ids is not None else protocol_catalog_ids()
    missing = [i for i in ids if i not in document]
    extra = [str(i) for i in document if i not in ids]
    if missing:
        problems.append(Problem(source, "", "no_uptake", {"ids": ", ".join(missing)}))
    if extra:
        problems.append(Problem(source, "", "uptake_not_in_catalogue", {"ids": ", ".join(extra)}))
    if problems:
        raise InputError(problems)
    return out


@lru_cache(maxsize=None)
def uptake_params() -> dict[str, Uptake]:
    """The model's uptake file, checked against the protocol catalogue (cached)."""
    return load_uptake()


def take_up(uniforms: np.ndarray, rule_ids: tuple[str, ...], ids: tuple[str, ...],
            uptake: dict[str, Uptake] | None = None) -> np.ndarray:
    """``(n, len(ids))`` boolean: who takes each provision up, from one uniform per patient
    and provision (columns in the order of ``rule_ids``, the need rules): ``u < value``, and
    only with the provision it ``follows``."""
    uptake = uptake or uptake_params()
    taken = {pid: uniforms[:, j] < uptake[pid].value for j, pid in enumerate(rule_ids)}
    for pid in _follow_order(uptake):
        if uptake[pid].follows is not None:
            taken[pid] = taken[pid] & taken[uptake[pid].follows]
    return np.column_stack([taken[pid] for pid in ids]) if ids else np.zeros((len(uniforms), 0), dtype=bool)


def _follow_order(uptake: dict[str, Uptake]) -> list[str]:
    """Ids so that each comes after the one it follows (a chain of follows resolves)."""
    order, seen = [], set()

    def visit(pid: str, path: tuple[str, ...] = ()) -> None:
        if pid in seen:
            return
        if pid in path:
            raise InputError.single("uptake.yaml", f"{pid}.follows", "rule_cycle", name="follows")
        target = uptake[pid].follows
        if target is not None:
            visit(target, (*path, pid))
        seen.add(pid)
        order.append(pid)

    for pid in uptake:
        visit(pid)
    return order

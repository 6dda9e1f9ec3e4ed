"""The two small languages of ``need_rules.csv``: functional conditions and home facts.

Both are an OR (``|``) of AND-groups (``&``); ``&`` binds tighter, there are no brackets.

*Condition* terms are ``item<=score`` with an ALSFRS-R item name and an integer score 0–3
(4 is always true and not allowed): ``walking<=1 | dressing<=1``. A condition is reached at
the earliest time any group is reached; a group when its last term is reached.

*Fact* terms are a home/household fact of the client profile, optionally negated with
``!``: ``!home_adaptable_inside & extension_possible``. Empty means "always".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce

import numpy as np
import pandas as pd

_TERM = re.compile(r"^([a-z_]+)\s*<=\s*([0-9]+)$")
_FACT = re.compile(r"^(!?)\s*([a-z_]+)$")


@dataclass(frozen=True)
class Condition:
    """OR of AND-groups of ``(item, score)`` terms."""

    groups: tuple[tuple[tuple[str, int], ...], ...]
    text: str

    @classmethod
    def parse(cls, text: str, items: tuple[str, ...]) -> "Condition":
        groups = []
        for group_text in _split(text, "|"):
            group = []
            for term in _split(group_text, "&"):
                match = _TERM.match(term)
                if not match:
                    raise ValueError(f"'{term}' is not of the form item<=score")
                item, score = match.group(1), int(match.group(2))
                if item not in items:
                    raise ValueError(f"unknown ALSFRS-R item '{item}' (items: {', '.join(items)})")
                if not 0 <= score <= 3:
                    raise ValueError(f"score in '{term}' must be 0 to 3")
                group.append((item, score))
            groups.append(tuple(group))
        return cls(tuple(groups), text.strip())

    def terms(self) -> set[tuple[str, int]]:
        return {term for group in self.groups for term in group}

    def time(self, term_times: dict[tuple[str, int], np.ndarray]) -> np.ndarray:
        """Earliest time the condition holds, from the times of its terms."""
        group_times = [reduce(np.maximum, (term_times[t] for t in group)) for group in self.groups]
        return reduce(np.minimum, group_times)


@dataclass(frozen=True)
class FactRule:
    """OR of AND-groups of ``(fact, required value)``; no groups = always applies."""

    groups: tuple[tuple[tuple[str, bool], ...], ...]
    text: str

    @classmethod
    def parse(cls, text: str, facts: tuple[str, ...]) -> "FactRule":
        if not text.strip():
            return cls((), "")
        groups = []
        for group_text in _split(text, "|"):
            group = []
            for term in _split(group_text, "&"):
                match = _FACT.match(term)
                if not match:
                    raise ValueError(f"'{term}' is not a fact or !fact")
                negated, fact = match.group(1) == "!", match.group(2)
                if fact not in facts:
                    raise ValueError(f"unknown fact '{fact}' (facts: {', '.join(facts)})")
                group.append((fact, not negated))
            groups.append(tuple(group))
        return cls(tuple(groups), text.strip())

    def applies(self, patients: pd.DataFrame | dict[str, np.ndarray]) -> np.ndarray:
        """Whether the rule holds per patient (``patients``: frame or fact -> array)."""
        n = len(next(iter(patients.values()))) if isinstance(patients, dict) else len(patients)
        if not self.groups:
            return np.ones(n, dtype=bool)
        result = np.zeros(n, dtype=bool)
        for group in self.groups:
            ok = np.ones(n, dtype=bool)
            for fact, value in group:
                ok &= np.asarray(patients[fact], dtype=bool) == value
            result |= ok
        return result


def _split(text: str, separator: str) -> list[str]:
    parts = [part.strip() for part in text.split(separator)]
    if not text.strip() or any(not part for part in parts):
        raise ValueError(f"empty term in '{text}'")
    return parts

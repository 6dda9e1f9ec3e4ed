"""The two small languages of ``need_rules.csv``: functional conditions and home facts.

Both are an OR (``|``) of AND-groups (``&``); ``&`` binds tighter, there are no brackets.

*Condition* terms are ``item<=score`` with an ALSFRS-R item name and an integer score 0–3
(4 is always true and not allowed): ``walking<=1 | dressing<=1``. A condition is reached at
the earliest time any group is reached; a group when its last term is reached.

Where the caller allows them (``facts``; the need rules do, the calibration's milestones do
not), a group may also hold home/household *fact* terms, ``fact`` or ``!fact``:
``lives_alone & walking<=3 | walking<=2``. A group with fact terms is reached only for
patients for whom all of its facts hold (for the others it is never reached), so a fact
makes a need come earlier or later for some households, never for everyone. Every group
needs at least one ``item<=score`` term: a fact alone is not a functional state (that is
what a rule's ``requires`` is for).

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
    """OR of AND-groups of ``(item, score)`` terms, each group optionally restricted to the
    patients with some home/household facts.

    ``groups[i]`` are the item terms of group *i*; ``facts[i]`` its ``(fact, required
    value)`` terms (``facts`` is empty when no group has any).
    """

    groups: tuple[tuple[tuple[str, int], ...], ...]
    text: str
    facts: tuple[tuple[tuple[str, bool], ...], ...] = ()

    @classmethod
    def parse(cls, text: str, items: tuple[str, ...], facts: tuple[str, ...] = ()) -> "Condition":
        """Parse ``text``; fact terms are allowed only when ``facts`` names them."""
        groups, fact_groups = [], []
        for group_text in _split(text, "|"):
            group, fact_group = [], []
            for term in _split(group_text, "&"):
                match = _TERM.match(term)
                if match:
                    item, score = match.group(1), int(match.group(2))
                    if item not in items:
                        raise ValueError(f"unknown ALSFRS-R item '{item}' (items: {', '.join(items)})")
                    if not 0 <= score <= 3:
                        raise ValueError(f"score in '{term}' must be 0 to 3")
                    group.append((item, score))
                    continue
                fact_match = _FACT.match(term)
                if not facts or not fact_match:
                    allowed = "item<=score" + (", fact or !fact" if facts else "")
                    raise ValueError(f"'{term}' is not of the form {allowed}")
                negated, fact = fact_match.group(1) == "!", fact_match.group(2)
                if fact not in facts:
                    raise ValueError(
                        f"'{term}' is neither item<=score nor a home/household fact "
                        f"(facts: {', '.join(facts)})"
                    )
                fact_group.append((fact, not negated))
            if not group:
                raise ValueError(
                    f"the group '{group_text.strip()}' has no item<=score term: every group needs "
                    "one (a fact alone belongs in requires)"
                )
            groups.append(tuple(group))
            fact_groups.append(tuple(fact_group))
        has_facts = any(fact_groups)
        return cls(tuple(groups), text.strip(), tuple(fact_groups) if has_facts else ())

    def terms(self) -> set[tuple[str, int]]:
        """The ``(item, score)`` terms (fact terms are not among them)."""
        return {term for group in self.groups for term in group}

    def fact_names(self) -> set[str]:
        """The home/household facts the condition depends on."""
        return {fact for group in self.facts for fact, _ in group}

    def time(
        self,
        term_times: dict[tuple[str, int], np.ndarray],
        facts: pd.DataFrame | dict[str, np.ndarray] | None = None,
    ) -> np.ndarray:
        """Earliest time the condition holds, from the times of its terms.

        ``facts`` (frame or fact -> boolean array, one value per patient) is needed when a
        group has fact terms: that group is never reached (``inf``) for a patient for whom
        one of its facts does not hold.
        """
        group_times = []
        for i, group in enumerate(self.groups):
            t = reduce(np.maximum, (term_times[term] for term in group))
            fact_terms = self.facts[i] if self.facts else ()
            if fact_terms:
                if facts is None:
                    raise ValueError(f"'{self.text}' depends on home/household facts: pass them")
                holds = reduce(np.logical_and, (np.asarray(facts[f], dtype=bool) == v for f, v in fact_terms))
                t = np.where(holds, t, np.inf)
            group_times.append(t)
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

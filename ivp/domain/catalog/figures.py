"""The protocol's budget figures, reproduced from the catalogue rows.

The maximum of each subtotal is the plain sum of its rows. The lower end comes from the
declared alternatives (alternatives.yaml): in every group the cheapest member is kept (or
none, where the group allows it) and the others are dropped. Both are shown beside the
protocol's own figures (protocol_figures.yaml) with the difference, not tuned to match.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from ivp.domain.catalog.loader import Catalog, load_alternatives
from ivp.domain.catalog.schema import (
    FINANCIERS,
    Alternatives,
    Financier,
    Provision,
    Reuse,
)
from ivp.domain.yamlfile import load_shipped

CLASSES: tuple[tuple[Financier, Reuse], ...] = (
    ("wmo", "clientgebonden"),
    ("wmo", "herinzetbaar"),
    ("zvw", "clientgebonden"),
    ("zvw", "herinzetbaar"),
)


@dataclass(frozen=True)
class Subtotal:
    financier: Financier
    reuse: Reuse
    maximum: float
    lower_end: float
    dropped: tuple[Provision, ...]
    protocol_low: float
    protocol_high: float
    source: str
    note_nl: str
    note_en: str

    def note(self, lang: str = "nl") -> str:
        """How the lower end relates to the protocol's, in Dutch (``nl``) or English."""
        return self.note_nl if lang == "nl" else self.note_en


@dataclass(frozen=True)
class Total:
    financier: Financier
    maximum: float
    lower_end: float
    protocol_about: float
    source: str


def protocol_figures() -> dict:
    text = resources.files("ivp.domain.catalog").joinpath("protocol_figures.yaml").read_text(encoding="utf-8")
    return load_shipped(text)


def dropped_in_minimal_plan(catalog: Catalog, alternatives: Alternatives) -> tuple[Provision, ...]:
    """The provisions a minimal plan leaves out: all but the cheapest member of each group
    (all members where a group allows none). Ties keep the member listed first."""
    dropped = []
    for group in alternatives.groups:
        members = [catalog.get(member) for member in group.members]
        keep = None if group.allow_none else min(members, key=lambda p: p.cost_eur)
        dropped.extend(p for p in members if p is not keep)
    return tuple(dropped)


def subtotals(catalog: Catalog, alternatives: Alternatives | None = None) -> list[Subtotal]:
    alternatives = alternatives or load_alternatives(catalog)
    dropped = dropped_in_minimal_plan(catalog, alternatives)
    figures = {(f["financier"], f["reuse"]): f for f in protocol_figures()["subtotals"]}
    result = []
    for financier, reuse in CLASSES:
        rows = [p for p in catalog if p.financier == financier and p.reuse == reuse and p.protocol_table]
        left_out = tuple(p for p in dropped if p in rows)
        maximum = sum(p.cost_eur for p in rows)
        figure = figures[(financier, reuse)]
        result.append(
            Subtotal(
                financier=financier,
                reuse=reuse,
                maximum=maximum,
                lower_end=maximum - sum(p.cost_eur for p in left_out),
                dropped=left_out,
                protocol_low=figure["low"],
                protocol_high=figure["high"],
                source=figure["source"],
                note_nl=" ".join(figure["note_nl"].split()),
                note_en=" ".join(figure["note_en"].split()),
            )
        )
    return result


def totals(catalog: Catalog, alternatives: Alternatives | None = None) -> list[Total]:
    parts = subtotals(catalog, alternatives)
    about = {t["financier"]: t for t in protocol_figures()["totals"]}
    return [
        Total(
            financier=financier,
            maximum=sum(s.maximum for s in parts if s.financier == financier),
            lower_end=sum(s.lower_end for s in parts if s.financier == financier),
            protocol_about=about[financier]["about"],
            source=about[financier]["source"],
        )
        for financier in FINANCIERS
    ]

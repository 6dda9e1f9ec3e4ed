"""The Wmo's own contribution (the abonnementstarief): what a client pays back a month.

``own_contribution.yaml`` holds the monthly amount per year, the AOW age per year and the
rules, each with its source. A client owes it from the month after the first delivery of a
Wmo provision it applies to (``own_contribution`` in the catalogue: not for a wheelchair,
seed 001 lines 707-708) until the last of those provisions is no longer used for the Wmo
(the end of use, death, or entry into a Wlz institution, whose residents pay the Wlz's
contribution instead), if the household owes it: someone living alone, or a client at or
above the AOW age (a household of two in which someone is below it pays nothing). The
contributions stop when they reach the cost price of those provisions.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ivp.domain.plausibility import Number
from ivp.domain.recurring import Pieces, crossing, months_between, split_by_year, year_of
from ivp.domain.yamlfile import load_documented_model

OWN_CONTRIBUTION_PATH = Path(__file__).with_name("own_contribution.yaml")


class OwnContributionRules(BaseModel):
    """See ``ivp/domain/own_contribution.yaml`` for the figures' sources."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    monthly_eur: dict[int, Number] = Field(min_length=1)
    aow_age_years: dict[int, Number] = Field(min_length=1)
    starts_next_month: bool
    cap_at_cost_price: bool

    def monthly(self, year) -> np.ndarray:
        """The monthly amount in each calendar year (the nearest known year outside the table)."""
        return _by_year(self.monthly_eur, year)

    def aow_age(self, year) -> np.ndarray:
        return _by_year(self.aow_age_years, year)


def _by_year(table: dict[int, float], year) -> np.ndarray:
    years = np.array(sorted(table))
    values = np.array([table[y] for y in years], dtype=float)
    position = np.clip(np.searchsorted(years, np.asarray(year), side="right") - 1, 0, len(years) - 1)
    return values[position]


@lru_cache(maxsize=None)
def own_contribution_rules(path: str | None = None) -> OwnContributionRules:
    """The rules (default: ``ivp/domain/own_contribution.yaml``)."""
    source = Path(path) if path else OWN_CONTRIBUTION_PATH
    return load_documented_model(source, OwnContributionRules, required=("rationale", "source"))[0]


def owes(lives_alone: np.ndarray, age_years: np.ndarray, day: np.ndarray, rules: OwnContributionRules) -> np.ndarray:
    """Whether the client's household owes the contribution from ``day`` (absolute): someone
    living alone, or a client at or above that year's AOW age. Unknown household facts
    (``nan``) count as living with someone."""
    alone = np.asarray(lives_alone, dtype=float) == 1.0
    return alone | (np.asarray(age_years, dtype=float) >= rules.aow_age(year_of(day)))


def contribution_streams(start_day: np.ndarray, end_day: np.ndarray, cap_eur: np.ndarray,
                         rules: OwnContributionRules) -> tuple[Pieces, np.ndarray]:
    """The monthly contributions of clients who owe them from the first delivery
    ``start_day`` to ``end_day`` (absolute days), stopped before they exceed ``cap_eur``:
    the streams cut by year, and each piece's monthly amount."""
    start_day, end_day = np.asarray(start_day, dtype=float), np.asarray(end_day, dtype=float)
    first = start_day
    if rules.starts_next_month:
        month = start_day.astype(np.int64).astype("datetime64[D]").astype("datetime64[M]")
        first = (month + 1).astype("datetime64[D]").astype(np.int64).astype(float)
    months = months_between(first, end_day)
    pieces = split_by_year(first, np.zeros(len(first)), months)
    amount = rules.monthly(pieces.year)
    if rules.cap_at_cost_price and len(pieces.stream):
        k, _ = crossing(pieces.stream, pieces.k0, pieces.count, amount, np.asarray(cap_eur, dtype=float), len(first))
        stop = np.where(np.isnan(k), np.inf, k)[pieces.stream]
        k1 = np.minimum(pieces.k1, stop)
        keep = k1 > pieces.k0
        pieces = Pieces(pieces.stream[keep], pieces.first_day[keep], pieces.k0[keep], k1[keep], pieces.year[keep])
        amount = amount[keep]
    return pieces, amount

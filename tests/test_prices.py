"""The price level (ivp/domain/price_index.yaml) and payment streams (ivp/domain/recurring.py)."""

from __future__ import annotations

import numpy as np
import pytest

from ivp.domain.own_contribution import own_contribution_rules
from ivp.domain.prices import price_index
from ivp.domain.recurring import crossing, payment_day, payments_in, split_by_year


def day(text: str) -> int:
    return int(np.datetime64(text).astype(np.int64))


def test_the_index_follows_the_published_cpi_and_projects_after_it():
    index = price_index()
    assert index.catalogue_price_year == 2022
    assert index.year_factor(2022, 2025) == pytest.approx(1.038 * 1.033 * 1.033)  # CBS: 3.8, 3.3, 3.3 %
    assert index.year_factor(2025, 2027) == pytest.approx(1.02**2)  # the assumed 2 % a year
    assert index.year_factor(2022, 2022) == 1.0
    assert index.year_factor(2025, 2022) == pytest.approx(1 / index.year_factor(2022, 2025))
    factors = index.factor(np.array([day("2026-12-31"), day("2027-01-01"), np.nan]), 2022)
    assert factors[1] == pytest.approx(factors[0] * 1.02) and np.isnan(factors[2])


def test_the_factor_takes_each_days_calendar_year():
    """Every day maps to its calendar year (by Python's calendar), the first and last day of
    each year too, clipped to the index's years; nan stays nan."""
    import datetime as dt

    index = price_index()
    epoch = dt.date(1970, 1, 1)
    days = [(dt.date(y, m, d) - epoch).days for y in range(1985, 2106) for m, d in ((1, 1), (12, 31), (7, 1))]
    days += [-40_000, 200_000]
    expected = []
    for day in days:
        year = min(max((epoch + dt.timedelta(days=day)).year, 1990), 2100)
        expected.append(index.year_factor(2024, year))
    assert index.factor(np.array(days, dtype=float), 2024) == pytest.approx(expected, rel=1e-15)
    assert np.isnan(index.factor(np.array([np.nan]), 2024)).all()


def test_a_stream_counts_its_payments_in_any_period_and_splits_at_years():
    first = float(day("2026-11-15"))
    pieces = split_by_year(np.array([first]), np.array([0.0]), np.array([15.0]))
    assert list(pieces.year) == [2026, 2027, 2028] and list(pieces.count) == [2, 12, 1]
    assert payments_in(first, 0, 15, day("2027-01-01"), day("2028-01-01")) == 12
    # every payment falls in exactly one of any set of periods
    edges = np.sort(np.random.default_rng(1).integers(day("2026-01-01"), day("2029-01-01"), 20)).astype(float)
    inside = sum(payments_in(first, 0, 15, a, b) for a, b in zip(edges[:-1], edges[1:]))
    days = payment_day(first, np.arange(15))
    assert inside == np.sum((days >= edges[0]) & (days < edges[-1]))


def test_crossing_finds_the_payment_that_exceeds_the_budget():
    pieces = split_by_year(np.array([float(day("2026-11-15")), 0.0]), np.zeros(2), np.array([15.0, 3.0]))
    amount = np.array([100.0, 110.0, 120.0, 50.0])
    k, total = crossing(pieces.stream, pieces.k0, pieces.count, amount, np.array([350.0, 1000.0]), 2)
    assert k[0] == 3 and np.isnan(k[1])  # 100 + 100 + 110 + 110 > 350
    assert list(total) == [2 * 100 + 12 * 110 + 120, 150]


def test_the_own_contribution_rules_are_the_sourced_ones():
    rules = own_contribution_rules()
    assert list(rules.monthly(np.array([2023, 2024, 2025, 2026, 2030]))) == [19.0, 20.6, 21.0, 21.8, 21.8]
    assert list(rules.aow_age(np.array([2026, 2028, 2040]))) == [67.0, 67.25, 67.25]

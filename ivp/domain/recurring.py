"""Monthly payment streams: rent, maintenance and own contributions, without one row per month.

A *stream* pays ``amount`` on the days ``first_day + floor(k * DAYS_PER_MONTH)`` for whole
``k`` in ``[k0, k1)`` (absolute day numbers, days since 1970-01-01). A month is an average
Gregorian month (:data:`~ivp.domain.units.DAYS_PER_MONTH`), so a stream of 12 payments spans
a year whatever day it starts. Payment ``k`` falls on or after day ``e`` exactly when
``k >= ceil((e - first_day) / DAYS_PER_MONTH)`` (:func:`first_payment_from`), which lets a
whole stream be summed over any period in constant time, and split where its amount
changes (:func:`split_by_year`: a new calendar year, a new price level).

Streams replace per-month events where the months are many: a municipality's reserve over
ten years of rented devices would otherwise hold hundreds of millions of rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ivp.domain.units import DAYS_PER_MONTH


def first_payment_from(first_day, day) -> np.ndarray:
    """The index of the first payment on or after ``day`` (arrays broadcast)."""
    return np.ceil((np.asarray(day, dtype=float) - np.asarray(first_day, dtype=float)) / DAYS_PER_MONTH)


def payment_day(first_day, k) -> np.ndarray:
    """The day of payment ``k``."""
    return np.asarray(first_day, dtype=float) + np.floor(np.asarray(k, dtype=float) * DAYS_PER_MONTH)


def months_between(start, end) -> np.ndarray:
    """Whole months of use from ``start`` to ``end`` (at least 0): the payments of a stream
    paid at the start of each month begun before ``end``."""
    return np.maximum(np.ceil((np.asarray(end, dtype=float) - np.asarray(start, dtype=float)) / DAYS_PER_MONTH), 0.0)


def year_of(days) -> np.ndarray:
    """The calendar year of absolute days."""
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def january_first(year) -> np.ndarray:
    """The absolute day of 1 January of ``year``."""
    return (np.asarray(year, dtype=np.int64) - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)


@dataclass(frozen=True)
class Pieces:
    """Streams cut at calendar years: piece ``i`` belongs to stream ``stream[i]``, pays its
    payments ``k0[i] .. k1[i] - 1`` (all in calendar year ``year[i]``) from ``first_day[i]``."""

    stream: np.ndarray
    first_day: np.ndarray
    k0: np.ndarray
    k1: np.ndarray
    year: np.ndarray

    @property
    def count(self) -> np.ndarray:
        return self.k1 - self.k0


def split_by_year(first_day, k0, k1) -> Pieces:
    """Cut each stream ``(first_day, k0, k1)`` into pieces, one per calendar year its
    payments fall in (streams without payments give none)."""
    first_day = np.asarray(first_day, dtype=float)
    k0, k1 = np.asarray(k0, dtype=float), np.asarray(k1, dtype=float)
    has = k1 > k0
    idx = np.flatnonzero(has)
    if not len(idx):
        empty = np.zeros(0)
        return Pieces(np.zeros(0, dtype=np.int64), empty, empty, empty, np.zeros(0, dtype=np.int64))
    y0 = year_of(payment_day(first_day[idx], k0[idx]))
    y1 = year_of(payment_day(first_day[idx], k1[idx] - 1))
    spans = (y1 - y0 + 1).astype(np.int64)
    stream = np.repeat(idx, spans)
    offset = np.arange(spans.sum()) - np.repeat(np.cumsum(spans) - spans, spans)
    year = np.repeat(y0, spans) + offset
    start = first_day[stream]
    lo = np.maximum(first_payment_from(start, january_first(year)), k0[stream])
    hi = np.minimum(first_payment_from(start, january_first(year + 1)), k1[stream])
    keep = hi > lo
    return Pieces(stream[keep], start[keep], lo[keep], hi[keep], year[keep])


def payments_in(first_day, k0, k1, lo_day, hi_day) -> np.ndarray:
    """How many payments of each stream fall in ``[lo_day, hi_day)`` (arrays broadcast)."""
    a = np.clip(first_payment_from(first_day, lo_day), k0, k1)
    b = np.clip(first_payment_from(first_day, hi_day), k0, k1)
    return np.maximum(b - a, 0.0)


def crossing(stream: np.ndarray, k0: np.ndarray, count: np.ndarray, amount: np.ndarray, budget: np.ndarray,
             n_streams: int) -> tuple[np.ndarray, np.ndarray]:
    """Per stream, the payment at which the cumulative payments first exceed ``budget[stream]``
    and the stream's total: ``(k, total)``, ``k = nan`` where the total stays within it.

    ``stream``, ``k0``, ``count``, ``amount``: the stream's pieces in payment order (pieces of
    one stream consecutive)."""
    paid = count * amount
    total = np.bincount(stream, weights=paid, minlength=n_streams)
    k = np.full(n_streams, np.nan)
    if not len(stream):
        return k, total
    cumulative = np.cumsum(paid)
    first = np.r_[True, stream[1:] != stream[:-1]]
    base = np.maximum.accumulate(np.where(first, cumulative - paid, -np.inf))
    before = cumulative - paid - base  # paid by the stream before this piece
    left = budget[stream] - before
    crosses = (left < paid) & (amount > 0)
    j = np.floor(np.maximum(left, 0.0) / np.where(amount > 0, amount, 1.0))
    hit = np.flatnonzero(crosses)
    if len(hit):
        first_hit = hit[np.r_[True, stream[hit][1:] != stream[hit][:-1]]]  # per stream, its first crossing piece
        k[stream[first_hit]] = k0[first_hit] + np.minimum(j[first_hit], count[first_hit] - 1)
    return k, total

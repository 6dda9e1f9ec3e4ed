"""The price level: catalogue euros of a price year brought to the year they are booked.

``price_index.yaml`` holds the catalogue's price year, the yearly change of the consumer
price index (CBS) and a projection for the years after the last published one.
:meth:`PriceIndex.factor` gives, for absolute day numbers (days since 1970-01-01), the
factor from a price year to the calendar year of each day: ``index(year) / index(price_year)``,
piecewise constant per calendar year.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from ivp.domain.plausibility import Number
from ivp.domain.yamlfile import load_documented_model

PRICE_INDEX_PATH = Path(__file__).with_name("price_index.yaml")
FIRST_YEAR, LAST_YEAR = 1990, 2100


class PriceIndex(BaseModel):
    """The price level (see ``ivp/domain/price_index.yaml`` for the figures' sources)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    catalogue_price_year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    cpi_change_percent: dict[int, Number] = Field(min_length=1)
    projection_percent_per_year: Number = Field(ge=-20, le=50)
    _levels: np.ndarray = PrivateAttr()

    def model_post_init(self, context) -> None:
        self._levels = self.levels()

    def levels(self) -> np.ndarray:
        """The index of every year ``FIRST_YEAR .. LAST_YEAR`` (1 in the first published
        year's predecessor; flat before it, projected after the last)."""
        years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
        known = dict(self.cpi_change_percent)
        first, last = min(known), max(known)
        change = np.array([known.get(int(y), self.projection_percent_per_year if y > last else 0.0)
                           if y >= first else 0.0 for y in years], dtype=float)
        return np.cumprod(1.0 + change / 100.0)

    def year_factor(self, price_year: int, year: int) -> float:
        """Euros of ``price_year`` in euros of ``year``."""
        levels = self._levels
        return float(levels[_clip(year)] / levels[_clip(price_year)])

    def years_factor(self, year, price_year) -> np.ndarray:
        """Euros of ``price_year`` in euros of ``year`` (arrays broadcast)."""
        return self._levels[_clip(year)] / self._levels[_clip(price_year)]

    def factor(self, days, price_year) -> np.ndarray:
        """Per absolute day (``nan`` stays ``nan``): euros of ``price_year`` (scalar or per
        day) in euros of that day's calendar year."""
        days = np.asarray(days, dtype=float)
        out = np.full(days.shape, np.nan)
        ok = np.isfinite(days)
        if ok.any():
            levels = self._levels
            # the year's position among FIRST_YEAR .. LAST_YEAR, clipped as _clip does: looked up
            # per day (measured: factor on a million days 28 ms, with datetime conversions 51)
            day = np.clip(days[ok], _YEAR_OF_DAY_FIRST, _YEAR_OF_DAY_FIRST + len(_YEAR_OF_DAY) - 1)
            year = _YEAR_OF_DAY[day.astype(np.int64) - _YEAR_OF_DAY_FIRST]
            base = np.broadcast_to(np.asarray(price_year, dtype=np.int64), days.shape)[ok]
            out[ok] = levels[year] / levels[_clip(base)]
        return out


_YEAR_OF_DAY_FIRST = int(np.datetime64(f"{FIRST_YEAR}-01-01", "D").astype(np.int64))
_YEAR_OF_DAY = (np.arange(_YEAR_OF_DAY_FIRST, int(np.datetime64(f"{LAST_YEAR + 1}-01-01", "D").astype(np.int64)))
                .astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970 - FIRST_YEAR)
"""Per absolute day from 1 January ``FIRST_YEAR`` to 31 December ``LAST_YEAR`` (the first is
``_YEAR_OF_DAY_FIRST``): its year's position among ``FIRST_YEAR .. LAST_YEAR``."""


def _clip(year):
    return np.clip(np.asarray(year, dtype=np.int64), FIRST_YEAR, LAST_YEAR) - FIRST_YEAR


@lru_cache(maxsize=None)
def price_index(path: str | None = None) -> PriceIndex:
    """The price index (default: ``ivp/domain/price_index.yaml``)."""
    return load_documented_model(Path(path) if path else PRICE_INDEX_PATH, PriceIndex, required=("rationale", "source"))[0]

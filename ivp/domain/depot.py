"""The depot: which returned item serves which request, and the value of an item as it ages.

**Service** (:class:`DepotShelf`, shared by both engines of the process model). A reusable
item that comes back when its use ends (:func:`use_end`) is refurbished
(:func:`ready_after_use`) and then serves the next request for that provision *decided* on
or after the day it is ready, the earliest-ready item first; requests decided on the same
day are served in request order. A request the depot serves but that is cancelled (death)
before delivery gives its item back on the day of cancellation.

**Value**.
A reusable item that comes back from a client goes to the municipality's depot (seed 001:
"Hulpmiddelen die her inzetbaar zijn gaan in depot en kunnen voor andere cliënten worden
ingezet"). Its book value declines linearly with its age::

    residual = cost x max(floor, 1 - age_years / useful_life_years)

with ``residual_useful_life_years`` and ``residual_floor_fraction`` from the budget
assumptions (``ivp/domain/budget_assumptions.yaml``). The age counts from the item's first
delivery, through every client who used it. Refurbishment time and cost of a reissue belong
to the simulation scenario (``depot`` block); the depot *saving* of a reissue is the new
price minus what the request frame charges for it.
"""

from __future__ import annotations

import heapq
import math
from typing import Callable, Hashable, Iterable

import numpy as np
import pandas as pd

from ivp.domain.assumptions import BudgetAssumptions, default_assumptions
from ivp.domain.calendar import WorkdayCalendar
from ivp.domain.units import DAYS_PER_YEAR


def use_end(delivered_day, need_end_day):
    """The last day an item is used: its need end, or its delivery if that came later
    (scalars or arrays)."""
    return np.maximum(delivered_day, need_end_day) if isinstance(delivered_day, np.ndarray) else max(
        delivered_day, need_end_day)


def ready_after_use(calendar: WorkdayCalendar, use_end_day: float, refurbishment_werkdagen: float) -> float:
    """The day a returned item is ready again: ``refurbishment_werkdagen`` after its use
    ended (``inf``: never, also when that lies beyond the calendar)."""
    if not math.isfinite(refurbishment_werkdagen):
        return math.inf
    return calendar.add_werkdagen_daynum(int(use_end_day), int(refurbishment_werkdagen), beyond=math.inf)


class DepotShelf:
    """The items waiting in a depot: per key (a provision, or a replication and provision)
    a heap of ``(ready day, item id)``. ``initial_items(key)`` lists the ids of the items in
    stock at the start (ready from the first day)."""

    def __init__(self, initial_items: Callable[[Hashable], Iterable[int]] = lambda key: ()):
        self._initial = initial_items
        self._heaps: dict[Hashable, list] = {}

    def heap(self, key: Hashable) -> list:
        """The heap of ``(ready day, item id)`` of ``key``, for a caller that serves many
        requests in a loop (the fast engine: it takes and gives back as :meth:`take` and
        :meth:`give_back` do, on the heap itself; the SimPy engine, which calls these, is
        tested equal to it on every shipped scenario)."""
        heap = self._heaps.get(key)
        if heap is None:
            heap = self._heaps[key] = [(-math.inf, item) for item in self._initial(key)]
        return heap

    def take(self, key: Hashable, decision_day: float) -> int | None:
        """The earliest-ready item for a request decided on ``decision_day``, or ``None``
        when no item is ready by then (the request buys a new one)."""
        heap = self.heap(key)
        if heap and heap[0][0] <= decision_day:
            return heapq.heappop(heap)[1]
        return None

    def give_back(self, key: Hashable, ready_day: float, item: int) -> None:
        heapq.heappush(self.heap(key), (ready_day, item))


def residual_value(cost, age_days, assumptions: BudgetAssumptions | None = None) -> np.ndarray:
    """Book value of items of new price ``cost`` after ``age_days`` days (vectorised)."""
    a = assumptions or default_assumptions()
    age_years = np.maximum(np.asarray(age_days, dtype=float), 0.0) / DAYS_PER_YEAR
    fraction = np.maximum(a.residual_floor_fraction, 1.0 - age_years / a.residual_useful_life_years)
    return np.asarray(cost, dtype=float) * np.clip(fraction, 0.0, 1.0)


def depot_savings(frame: pd.DataFrame, catalog) -> pd.DataFrame:
    """Per depot reissue in a request frame: the new price saved, net of what was charged.

    Columns: the frame's keys, ``financier``, ``saving`` (catalogue cost minus ``cost_eur``).
    """
    if "from_depot" not in frame.columns or frame.empty:
        return pd.DataFrame(columns=["replication", "patient_id", "provision_id", "financier", "saving"])
    reissued = frame[frame["from_depot"].fillna(False).astype(bool)]
    cost = reissued["provision_id"].map({p.id: p.cost_eur for p in catalog}).to_numpy(dtype=float)
    charged = np.nan_to_num(reissued.get("cost_eur", pd.Series(0.0, index=reissued.index)).to_numpy(dtype=float))
    return pd.DataFrame({
        "replication": reissued["replication"].to_numpy(),
        "patient_id": reissued["patient_id"].to_numpy(),
        "provision_id": reissued["provision_id"].to_numpy(),
        "financier": reissued["financier"].to_numpy(),
        "saving": np.maximum(cost - charged, 0.0),
    })

"""Speed of the disease model: patient courses with need windows per second.

Called by the benchmark command (issue 7); not a timed test. The figure includes the whole
pipeline of :func:`ivp.models.disease.sample_need_windows`: population, ENCALS survival,
item course and the need windows of all 34 provisions.
"""

from __future__ import annotations

import time

import numpy as np

from ivp.models.disease.cohort import sample_need_windows
from ivp.models.disease.needs import need_rules


def time_need_windows(n: int = 10_000, repeats: int = 5, seed: int = 0) -> list[float]:
    """Wall-clock seconds of ``repeats`` runs of ``sample_need_windows(n)``."""
    need_rules()  # load and check the data files once, outside the timing
    sample_need_windows(10, np.random.default_rng(seed))
    timings = []
    for k in range(repeats):
        start = time.perf_counter()
        sample_need_windows(n, np.random.default_rng([seed, k]))
        timings.append(time.perf_counter() - start)
    return timings


def courses_per_second(n: int = 10_000, repeats: int = 5, seed: int = 0) -> dict[str, float]:
    """Median over ``repeats`` runs: seconds for ``n`` courses and courses per second."""
    timings = time_need_windows(n, repeats, seed)
    median = float(np.median(timings))
    return {"patients": n, "repeats": repeats, "median_seconds": median, "courses_per_second": n / median}

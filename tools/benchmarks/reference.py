"""A reference for the national case: a plain-numpy kernel doing at least the arithmetic the
model does per patient and per request, in the same run, so that the distance to what this
machine can do is measured, not guessed (issue 18).

Per patient: a course of 12 items (a D50 sigmoid per item with its own centre and width
drawn from normals), the stage at diagnosis found as the model finds it (4 bisection steps,
then Newton steps on the total and its derivative: 6, the model's measured mean, see
``ivp.models.disease.course.solve_stage_at_diagnosis``), and the months at which each item crosses four
scores (closed form). Per request: the need date taken from a crossing, five sampled
durations (log-normal, inverse CDF from uniforms), the working-day lookup of each step
(the calendar's day-number table, forwards and back), the gap between need and delivery,
and the yearly sum of its cost (bincount). No pandas, no Python loop per patient or request;
chunks of patients bound the memory.

The sizes are the national case's: the expected number of patients (incidence x inhabitants
x years x replications, plus nothing for existing clients: the case has none) and the mean
number of requests per patient of the disease model's population.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.special import expit, logit, ndtri

from ivp.domain.units import DAYS_PER_MONTH

ITEMS = 12
LEVELS = np.array([3.5, 2.5, 1.5, 0.5])
STEPS = 5
BISECTIONS = 4
NEWTON_STEPS = 6


def national_size(inhabitants: int = 17_900_000, years: float = 10, replications: int = 100) -> tuple[int, float]:
    """Patients the national case simulates, and requests per patient (measured on 20,000
    population patients of the disease model)."""
    from ivp.models.disease import sample_need_windows
    from ivp.models.process import load_scenario

    rate = load_scenario("protocol").incidence.per_100k_per_year
    patients = int(round(rate * inhabitants / 100_000 * years * replications))
    windows = sample_need_windows(20_000, np.random.default_rng(1))
    return patients, float(windows.requested().sum(axis=1).mean())


def run_kernel(patients: int, requests_per_patient: float, seed: int = 1, chunk: int = 200_000) -> dict:
    """Seconds for the kernel's work on ``patients`` and their requests."""
    from ivp.domain.calendar import get_calendar

    cal = get_calendar()
    first, last = np.datetime64("2027-01-01"), np.datetime64("2045-12-31")
    days = np.arange(first, last + 1).astype("datetime64[D]")
    workday = cal.is_werkdag_array(days)  # weekends and Dutch public holidays, as the model's
    cumulative = np.cumsum(workday)  # werkdag number of each calendar day
    back = np.flatnonzero(workday)  # calendar day of each werkdag number
    year_of_day = days.astype("datetime64[Y]").astype(np.int64) + 1970
    rng = np.random.default_rng(seed)
    mu = np.log(np.array([5.0, 10.0, 10.0, 5.0, 20.0]))
    sd = np.array([0.4, 0.5, 0.5, 0.4, 0.6])
    yearly = np.zeros(year_of_day.max() - year_of_day.min() + 1)
    requests_done = 0
    began = time.perf_counter()
    for start in range(0, patients, chunk):
        m = min(chunk, patients - start)
        center = 10.0 * np.exp(0.3 * rng.standard_normal((m, ITEMS)))
        width = 3.0 * np.exp(0.2 * rng.standard_normal((m, 1)))
        target = 48.0 - 40.0 * rng.random(m)
        low, high = np.zeros(m), np.full(m, 200.0)
        base = expit(-center / width)
        for _ in range(BISECTIONS):
            mid = 0.5 * (low + high)
            total = (4.0 * (1.0 - (expit((mid[:, None] - center) / width) - base) / (1.0 - base))).sum(axis=1)
            above = total > target
            low, high = np.where(above, mid, low), np.where(above, high, mid)
        stage = 0.5 * (low + high)
        for _ in range(NEWTON_STEPS):
            e = expit((stage[:, None] - center) / width)
            f = (4.0 * (1.0 - (e - base) / (1.0 - base))).sum(axis=1) - target
            derivative = -(4.0 / ((1.0 - base) * width) * e * (1.0 - e)).sum(axis=1)
            stage = np.clip(stage - f / derivative, low, high)
        rate = stage / (1.0 + 24.0 * rng.random(m))
        fraction = base[:, :, None] + (1.0 - base[:, :, None]) * (1.0 - LEVELS / 4.0)
        crossing = (center[:, :, None] + width[:, :, None] * logit(fraction)) / rate[:, None, None]  # months
        n_req = int(round(m * requests_per_patient))
        patient = rng.integers(0, m, n_req)
        which = rng.integers(0, ITEMS * len(LEVELS), n_req)
        need = crossing.reshape(m, -1)[patient, which] * DAYS_PER_MONTH
        diagnosis = rng.integers(0, 3650, n_req)
        need_day = np.clip(diagnosis + need, 0, len(days) - 1).astype(np.int64)
        werkdagen = np.exp(mu + sd * ndtri(rng.random((n_req, STEPS)))).sum(axis=1)
        melding = np.clip(need_day - 60, 0, len(days) - 1)
        done = np.minimum(cumulative[melding] + np.ceil(werkdagen).astype(np.int64), len(back) - 1)
        delivery = back[done]
        gap = np.maximum(delivery - need_day, 0)
        years = year_of_day[np.minimum(delivery, len(days) - 1)] - year_of_day.min()
        yearly += np.bincount(years, weights=1000.0 + gap, minlength=len(yearly))
        requests_done += n_req
    seconds = time.perf_counter() - began
    return {"seconds": seconds, "patients": patients, "requests": requests_done, "checksum": float(yearly.sum())}

"""The command line's options, checked at the edge before any work starts: each refusal is
an :class:`~ivp.domain.errors.InputError` naming the option, so the command prints it and
exits with code 2 (never a traceback deep inside a run).

Limits come from ``ivp/domain/plausibility.yaml`` (each with its rationale); dates from the
working-day calendar's range.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys

from ivp.domain.errors import InputError, ValueProblem, excerpt
from ivp.domain.plausibility import FIRST_DATE, LAST_DATE, LIMITS, shown_limit
from ivp.domain.tabular import parse_date
from ivp.models.process import Executor, full_batches

SCHEDULER_ADDRESS = re.compile(r"^(tcp|tls|ucx|inproc)://[A-Za-z0-9_.\-\[\]:]+(:\d{1,5})?/?$")
"""A Dask scheduler address: ``tcp://host:8786`` (also tls://, ucx://, inproc://)."""


def _dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def count(option: str, value: int, minimum: int, limit_name: str | None = None) -> int:
    """A whole-number option between ``minimum`` and the named plausibility limit."""
    if value < minimum:
        raise InputError.single(option, "", "at_least", ge=minimum, got=value)
    if limit_name is not None and value > getattr(LIMITS, limit_name):
        raise InputError.single(option, "", "implausibly_large", limit=shown_limit(limit_name),
                                got=_dotted(value))
    return value


def seed(value: int) -> int:
    """A base seed: a whole number of at least 0 (numpy's SeedSequence takes no negatives)."""
    return count("--seed", value, 0)


def jobs(value: int, tasks: int) -> int:
    """Local workers: ``-1`` = all cores, else at least 1; never more than the cores or the
    pieces of work (``tasks``), with a note on stderr when capped."""
    if value == 0 or value < -1:
        raise InputError.single("--jobs", "", "jobs_invalid", got=value)
    cores = os.cpu_count() or 1
    wanted = cores if value == -1 else value
    used = max(1, min(wanted, cores, tasks))
    if value != -1 and used < value:
        print(f"--jobs {value}: {used} worker(s) used ({cores} cores, work for {tasks} batch(es))", file=sys.stderr)
    return used


def executor(value: int, processes: bool, work: int, scheduler=None) -> Executor:
    """Where a command's ``work`` (simulated patient-replications) runs: ``--jobs`` local
    threads, or processes with ``--processes``, at most one per full batch of work
    (:func:`~ivp.models.process.full_batches`); or all of it on a Dask ``scheduler``."""
    if scheduler is not None:
        return Executor(scheduler=scheduler)
    return Executor(jobs=jobs(value, full_batches(work)), threads=not processes)


def scheduler(address: str | None) -> str | None:
    """A Dask scheduler address, checked for its form before any connection is tried."""
    if address is None:
        return None
    if not SCHEDULER_ADDRESS.match(address.strip()):
        raise InputError.single("--scheduler", "", "scheduler_address", got=excerpt(address))
    return address.strip()


def date(option: str, text: str) -> dt.date:
    """A date option, ISO (yyyy-mm-dd) or Dutch (dd-mm-jjjj), inside the working-day calendar."""
    try:
        value = parse_date(text)
    except ValueProblem:
        raise InputError.single(option, "", "not_a_date", got=excerpt(text)) from None
    if not FIRST_DATE <= value <= LAST_DATE:
        raise InputError.single(option, "", "date_outside_calendar", first=FIRST_DATE.isoformat(),
                                last=LAST_DATE.isoformat(), got=value.isoformat())
    return value


def horizon(start: dt.date, years: int) -> None:
    """A reserve's horizon must end inside the working-day calendar."""
    count("--years", years, 1, "horizon_years_max")
    if start.year + years - 1 > LAST_DATE.year:
        raise InputError.single("--years", "", "horizon_beyond_calendar", start=start.isoformat(), years=years,
                                last=LAST_DATE.isoformat())


def size(work: int, confirmed: bool, what: str, limit_name: str = "work_without_confirmation") -> None:
    """Refuse a run of more than the named limit of work (simulated patient-replications,
    or a plan's courses) unless the user passed ``--yes``: a typing error should not run
    for hours or fill the memory."""
    limit = getattr(LIMITS, limit_name)
    if work > limit and not confirmed:
        raise InputError.single("--yes", "", "large_run", work=_dotted(work), what=what, limit=_dotted(limit))

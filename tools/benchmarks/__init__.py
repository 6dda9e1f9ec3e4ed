"""Benchmarks of IVP Planner (issue 7): speed and memory of the real entry points.

Run ``python -m tools.benchmarks`` from the repository root. Each case runs the
code a user runs - the disease model's :func:`ivp.models.disease.sample_need_windows` and the
commands ``ivp plan``, ``ivp simulate --compare`` and ``ivp reserve`` - several times,
round-robin so that machine noise hits every case alike, within a time budget, and reports
the median. The municipality and the Netherlands run in a fresh subprocess each so that
their peak memory (``ru_maxrss``) is their own. Results go to ``docs/benchmarks.md``
together with a description of the machine.

Modules: :mod:`tools.benchmarks.cases` (what is measured), :mod:`tools.benchmarks.simpy_ratio` (the
model's SimPy events per second against bare SimPy), :mod:`tools.benchmarks.breakdown` (where the
time goes: disease model, process model, budget), :mod:`tools.benchmarks.machine`,
:mod:`tools.benchmarks.runner` (scheduling, medians, the table) and :mod:`tools.benchmarks.report`
(``docs/benchmarks.md``).
"""

from tools.benchmarks.runner import main, run

__all__ = ["main", "run"]

"""Where the time of a run goes, by part of the project, with little overhead.

A :class:`Stopwatch` wraps a few module-level functions (the disease model's entry point,
the process model's batch functions, the budget's reductions) and adds each call's
*exclusive* CPU time (``time.thread_time`` of the thread that made the call: its own time
minus that of wrapped calls inside it) to its part. Everything else of the process's CPU
time is ``other`` (command-line parsing, reading files, tables and JSON, glue such as
``pandas.concat`` between the parts). CPU time, not wall time, so that a run on several
threads is split correctly: its parts add up to the process's CPU seconds, more than its
wall time. Only functions looked up
through their module at call time are seen, which is how the project calls them; a name
that does not exist (code being reworked) is skipped and listed in ``missing``.

Unlike a sampling profiler (pyinstrument hooks every Python call and inflates call-heavy
loops several times over), the overhead here is a few microseconds per wrapped call.
"""

from __future__ import annotations

import functools
import importlib
import threading
import time
from dataclasses import dataclass, field

PARTS = ("disease model", "process model", "budget", "other")

WATCHED: tuple[tuple[str, str, str], ...] = (
    # (module, function, part)
    ("ivp.models.process.runner", "prepare", "disease model"),
    ("ivp.models.process.runner", "draw_replication", "process model"),
    ("ivp.models.process.runner", "compute_batch", "process model"),
    ("ivp.models.process.runner", "kpi_rows", "process model"),
    ("ivp.models.process.runner", "request_frame", "process model"),
    ("ivp.models.process.runner", "summarise", "process model"),
    ("ivp.application.plan", "build_plan", "budget"),
    ("ivp.application.reserve", "caseload_kpis", "budget"),
    ("ivp.application.reserve", "summarise_kpis", "budget"),
    ("ivp.application.reserve", "reserve_table", "budget"),
    ("ivp.application.reserve", "_reserve_by_rule", "budget"),
    ("ivp.application.reserve", "combine_kpis", "budget"),
)


@dataclass
class Stopwatch:
    """Context manager: ``with Stopwatch() as sw: ...``; then ``sw.seconds`` per part."""

    watched: tuple[tuple[str, str, str], ...] = WATCHED
    seconds: dict[str, float] = field(default_factory=lambda: {p: 0.0 for p in PARTS})
    calls: dict[str, int] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    _saved: list = field(default_factory=list)
    _local: threading.local = field(default_factory=threading.local)  # each thread's stack of calls
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _began: float = 0.0

    def __enter__(self) -> "Stopwatch":
        for module_name, name, part in self.watched:
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                self.missing.append(f"{module_name}.{name}")
                continue
            original = getattr(module, name, None)
            if original is None or not callable(original):
                self.missing.append(f"{module_name}.{name}")
                continue
            self._saved.append((module, name, original))
            setattr(module, name, self._wrap(original, part, f"{module_name}.{name}"))
        self._began = time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        total = time.process_time() - self._began
        for module, name, original in reversed(self._saved):
            setattr(module, name, original)
        self._saved.clear()
        inside = sum(v for k, v in self.seconds.items() if k != "other")
        self.seconds["other"] = max(total - inside, 0.0)

    def _wrap(self, function, part: str, label: str):
        local = self._local

        @functools.wraps(function)
        def timed(*args, **kwargs):
            stack = local.__dict__.setdefault("stack", [])
            began = time.thread_time()
            stack.append(0.0)
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.thread_time() - began
                inner = stack.pop()
                with self._lock:
                    self.seconds[part] += elapsed - inner
                    self.calls[label] = self.calls.get(label, 0) + 1
                if stack:
                    stack[-1] += elapsed

        return timed

    def shares(self) -> dict[str, float]:
        total = sum(self.seconds.values())
        return {k: (v / total if total else 0.0) for k, v in self.seconds.items()}

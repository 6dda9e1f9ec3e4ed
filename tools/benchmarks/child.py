"""``python -m tools.benchmarks.child CASE SIZE``: run one case in this fresh process and print
one JSON line with its wall and CPU seconds, its breakdown and its peak memory.

Peak memory is the process's peak resident set size: what the operating system had to
provide, including the interpreter and the imported libraries (reported apart as
``baseline_rss_mb``, the peak after the imports and before the run). It is read from
``VmHWM`` in ``/proc/self/status``, not from ``getrusage().ru_maxrss``: on Linux a child's
``ru_maxrss`` carries over the parent's peak through fork and exec (the benchmark's parent,
having run the in-process cases, is about 400 MB), so it would report the parent's size,
not the run's. ``ru_maxrss`` is the fallback where ``/proc`` does not exist. tracemalloc
would count only Python-level allocations (not the interpreter, the libraries or
fragmentation) and slows the run; RSS is what the 2 GB target is about.
"""

from __future__ import annotations

import json
import resource
import sys


def _peak_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)  # bytes on macOS, kB on Linux


def main(argv: list[str]) -> int:
    key, size = argv[0], argv[1]
    import ivp.application.cli.main  # noqa: F401  (the imports a user's run pays before any work)
    import ivp.application.reserve  # noqa: F401
    import ivp.models.process  # noqa: F401
    from tools.benchmarks.cases import CASES, run_in_process

    baseline = _peak_mb()
    result = run_in_process(CASES[key], size)
    result["peak_rss_mb"] = _peak_mb()
    result["baseline_rss_mb"] = baseline
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

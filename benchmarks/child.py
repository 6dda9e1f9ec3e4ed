"""``python -m benchmarks.child CASE SIZE``: run one case in this fresh process and print
one JSON line with its wall and CPU seconds, its breakdown and its peak memory.

Peak memory is the process's peak resident set size (``ru_maxrss``): what the operating
system had to provide, including the interpreter and the imported libraries (reported
apart as ``baseline_rss_mb``, the peak after the imports and before the run). tracemalloc
would count only Python-level allocations (not the interpreter, the libraries or
fragmentation) and slows the run; RSS is what the 2 GB target is about.
"""

from __future__ import annotations

import json
import resource
import sys


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def main(argv: list[str]) -> int:
    key, size = argv[0], argv[1]
    import ivp.cli.main  # noqa: F401  (the imports a user's run pays before any work)
    import simulation.des  # noqa: F401
    import ivp.budget  # noqa: F401
    from benchmarks.cases import CASES, run_in_process

    baseline = _peak_mb()
    result = run_in_process(CASES[key], size)
    result["peak_rss_mb"] = _peak_mb()
    result["baseline_rss_mb"] = baseline
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

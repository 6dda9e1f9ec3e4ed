"""``python -m tools.benchmarks``: see :func:`tools.benchmarks.runner.main`."""

import sys

from tools.benchmarks.runner import main

sys.exit(main())

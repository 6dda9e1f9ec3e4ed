"""The benchmark's app-memory case (tools/session_memory.py) runs against a real server and
browser and reports what docs/benchmarks.md quotes. It runs in a process of its own: the
other browser tests' Playwright session owns this process's event loop."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
CASE = ("import json; from tools.benchmarks import cases as C; "
        "print(json.dumps(C.run_in_process(C.CASES['app_memory'], 'tiny')))")


def test_the_app_memory_case_measures_a_server_and_its_sessions():
    done = subprocess.run([sys.executable, "-c", CASE], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["sessions"] == 2
    assert 0 < result["idle_mb"] < result["first_mb"]
    assert math.isfinite(result["per_session_mb"])  # two sessions give one step

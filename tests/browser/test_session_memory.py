"""The benchmark's app-memory case (tools/session_memory.py) runs against a real server and
browser and reports what docs/benchmarks.md quotes."""

from __future__ import annotations

import pytest

from tools.benchmarks import cases as C

pytestmark = pytest.mark.browser


def test_the_app_memory_case_measures_a_server_and_its_sessions():
    result = C.run_in_process(C.CASES["app_memory"], "tiny")
    assert result["sessions"] == 2
    assert 0 < result["idle_mb"] < result["first_mb"]
    assert result["per_session_mb"] == result["per_session_mb"]  # a number: two sessions give one step

"""Smoke test of the benchmark code at tiny sizes: every case runs, the report is written
around the hand-written text, the breakdown restores what it wraps. Nothing here is timed:
figures come from `python -m benchmarks` (docs/benchmarks.md)."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import cases as C  # noqa: E402
from benchmarks.breakdown import Stopwatch  # noqa: E402
from benchmarks.report import END, START  # noqa: E402
from benchmarks.runner import main, render_table, run, run_once  # noqa: E402


@pytest.mark.parametrize("key", ["disease", "plan", "compare", "simpy_ratio", "compare_api"])
def test_each_in_process_case_runs_at_a_tiny_size(key):
    case = C.CASES[key]
    C.warm_up(case)
    result = C.run_in_process(case, "tiny")
    assert result["seconds"] > 0
    if key == "disease":
        assert result["courses_per_second"] > 0 and result["seconds_per_call_1"] > 0
    elif key == "simpy_ratio":
        assert set(result["scenarios"]) == {"protocol", "current_practice"}
        for v in result["scenarios"].values():
            assert v["model_events"] > 0 and v["raw_events"] > 0 and v["ratio"] > 0
    else:
        assert set(result["breakdown"]) == {"disease model", "process model", "budget", "other"}
        assert result["breakdown"]["process model"] > 0


def test_a_subprocess_case_reports_its_peak_memory():
    result = run_once(C.CASES["municipality"], "tiny", timeout=300)
    assert result["peak_rss_mb"] >= result["baseline_rss_mb"] > 0
    assert result["breakdown"]["budget"] > 0


def test_the_stopwatch_attributes_time_and_restores_the_functions():
    import simulation.des.montecarlo as mc
    from simulation.des import NewPatients, load_scenario, run_replication

    original = mc._sample_windows
    with Stopwatch() as watch:
        assert mc._sample_windows is not original
        run_replication(load_scenario(ROOT / "scenarios" / "protocol.yaml"), NewPatients(5), 1, 0)
    assert mc._sample_windows is original
    assert watch.seconds["disease model"] > 0 and watch.seconds["process model"] > 0
    assert watch.calls["simulation.des.montecarlo._sample_windows"] == 1


def test_main_writes_the_report_between_the_markers_and_keeps_the_rest(tmp_path):
    out = tmp_path / "benchmarks.md"
    out.write_text(f"# Benchmarks\n\nHand-written method.\n\n{START}\nold figures\n{END}\n\n## Before and after\nkept\n")
    assert main(["--tiny", "--cases", "disease,plan,simpy_ratio", "--runs", "1", "--out", str(out)]) == 0
    text = out.read_text()
    assert "Hand-written method." in text and "## Before and after\nkept" in text
    assert "old figures" not in text
    assert "| 2 | One client's plan" in text and "courses/s" in text
    assert text.count(START) == 1 and text.count(END) == 1


def test_the_table_names_failures_instead_of_hiding_them(monkeypatch):
    def broken(case, size):
        raise RuntimeError("boom")

    monkeypatch.setattr(C, "run_in_process", broken)
    report = run(["plan"], "tiny", budget=30, runs=1, log=lambda s: None)
    assert report["results"]["plan"]["error"]
    assert "FAILED" in render_table(report)


def test_ivp_bench_command_runs(tmp_path):
    from typer.testing import CliRunner

    from ivp.cli.main import app

    result = CliRunner().invoke(app, ["bench", "--tiny", "--cases", "disease", "--runs", "1", "--no-write"])
    assert result.exit_code == 0, result.output
    assert "courses/s" in result.output


def test_before_after_loads_the_earlier_process_model_from_git():
    from benchmarks.before_after import DEFAULT_BEFORE, cases, load_before

    old = load_before(DEFAULT_BEFORE)
    assert old.__name__ == "des_before" and hasattr(old, "run_replication")
    label, client_synthetic = cases("tiny")[0]
    client_synthetic(old)  # the earlier per-replication pipeline still runs

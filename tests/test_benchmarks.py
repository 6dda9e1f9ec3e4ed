"""Smoke test of the benchmark code at tiny sizes: every case runs, the report is written
around the hand-written text, the breakdown restores what it wraps. Nothing here is timed:
figures come from `python -m benchmarks` (docs/benchmarks.md)."""

import pytest

from tools.benchmarks import cases as C
from tools.benchmarks.breakdown import Stopwatch
from tools.benchmarks.report import END, START
from tools.benchmarks.runner import main, render_table, run, run_once


@pytest.mark.parametrize("key", ["disease", "plan", "plan_shell", "compare", "simpy_ratio", "reference"])
def test_each_in_process_case_runs_at_a_tiny_size(key):
    case = C.CASES[key]
    C.warm_up(case)
    result = C.run_in_process(case, "tiny")
    assert result["seconds"] > 0
    if key == "disease":
        assert result["courses_per_second"] > 0 and result["seconds_per_call_1"] > 0
    elif key == "reference":
        assert result["patients"] > 0 and result["requests"] > result["patients"] and result["checksum"] > 0
    elif key == "plan_shell":
        assert result["cpu_seconds"] > 0 and 0 < result["import_seconds"] < result["seconds"]
    elif key == "simpy_ratio":
        assert set(result["scenarios"]) == {"protocol", "current_practice"}
        for v in result["scenarios"].values():
            assert v["model_events"] > 0 and v["raw_events"] > 0 and v["ratio"] > 0
    else:
        assert set(result["breakdown"]) == {"disease model", "process model", "budget", "other"}
        assert result["breakdown"]["process model"] > 0


@pytest.mark.slow
def test_a_subprocess_case_reports_its_peak_memory():
    result = run_once(C.CASES["municipality"], "tiny", timeout=300)
    assert result["peak_rss_mb"] >= result["baseline_rss_mb"] > 0
    assert result["breakdown"]["budget"] > 0


def test_the_stopwatch_attributes_time_and_restores_the_functions():
    import ivp.models.process.runner as runner
    from ivp.models.process import NewPatients, load_scenario, run

    original = runner.prepare
    with Stopwatch() as watch:
        assert runner.prepare is not original
        run(load_scenario("protocol"), NewPatients(5), 1, seed=0)
    assert runner.prepare is original
    assert watch.seconds["disease model"] > 0 and watch.seconds["process model"] > 0
    assert watch.calls["ivp.models.process.runner.prepare"] == 1 and not watch.missing


def test_the_stopwatch_splits_a_threaded_run_by_cpu_time():
    import time

    import ivp.models.process.runner as runner
    from ivp.models.process import Executor, NewPatients, load_scenario, run

    original = runner.prepare
    with Stopwatch() as watch:
        began = time.process_time()
        run(load_scenario("protocol"), NewPatients(40), 6, seed=0, executor=Executor(jobs=2, threads=True),
            max_cells=1)  # a batch per replication
        cpu = time.process_time() - began
    assert watch.calls["ivp.models.process.runner.prepare"] == 6  # each thread's batches seen, none lost
    assert watch.seconds["disease model"] > 0 and watch.seconds["process model"] > 0
    assert sum(watch.seconds.values()) == pytest.approx(cpu, rel=0.05)  # the parts add up to the CPU time
    assert runner.prepare is original  # restored after a threaded run too


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

"""The benchmark cases: what is measured, at full size and at a tiny size (for tests).

Every case runs the code a user runs:

1. ``disease``   - :func:`ivp.models.disease.sample_need_windows` for a population (courses
   per second), and its cost per call for one course (the fixed overhead);
2. ``plan``      - ``ivp plan --profile examples/jong_beenbegin.yaml --replications 1000``
   (protocol scenario, the command's default); ``plan_shell`` (2b) the same command from a
   shell: the ``ivp`` console script in a new interpreter, its imports included;
3. ``compare``   - ``ivp simulate --scenario protocol --compare current_practice
   --patients 1000 --replications 100`` (the patients drawn once for both scenarios);
4. ``municipality`` - ``ivp reserve --inwoners 100000 --years 5 --replications 500``;
5. ``netherlands``  - ``ivp reserve --inwoners 17900000 --years 10 --replications 100``;
6. ``simpy_ratio``  - see :mod:`tools.benchmarks.simpy_ratio`;
7. ``app_session``  - a new browser session of the app on a running server: the IVP page's
   script for a fresh session (Streamlit's AppTest), until its first figures are drawn; the
   default plan is already in the server's store (computed for the first session);
8. ``app_compare``  - the comparison page's run: 100 patients x 1,000 replications under
   protocol and current practice, with the page's statistics (``runs.run_compare``);
9. ``app_municipality`` - the Gemeente page's run with the example caseload and local prices
   (``examples/caseload.csv`` and a price override), 100,000 inhabitants, 5 years, 1,000
   replications;
10. ``reference`` - a plain-numpy kernel doing at least the national case's arithmetic per
   patient and per request (:mod:`tools.benchmarks.reference`), for the ratio to case 5;
11. ``app_memory`` - the app server's resident memory idle, after its first session and per
   further session (:mod:`tools.session_memory`: ``streamlit run`` and Debian's chromium).

The targets are issue 18's (measured at a load average below 2).

The commands run in this process through the ``ivp`` application object (Typer's test
runner: the same code path as the console script, without starting a new interpreter), with
``--format json`` so that no table rendering is timed; the exit code must be 0. The
municipality and the Netherlands run in a fresh subprocess each (:mod:`tools.benchmarks.child`)
for their peak memory.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from tools.benchmarks.breakdown import Stopwatch

ROOT = Path(__file__).resolve().parents[2]
PROFILE = "jong_beenbegin"
SEED = 20260101
START = "2027-01-01"


@dataclass(frozen=True)
class Case:
    key: str
    number: str
    title: str
    target: str
    target_seconds: float | None = None
    target_memory_mb: float | None = None
    subprocess: bool = False
    desired_runs: int = 5
    command: Callable[[str], list[str]] | None = None  # ivp arguments by size
    note: str = ""
    estimate_like: str | None = None  # before its first run, expect this case's time ...
    estimate_factor: float = 1.0  # ... times this


def _plan_args(size: str) -> list[str]:
    reps = "1000" if size == "full" else "20"
    return ["plan", "--profile", PROFILE, "--replications", reps, "--seed", str(SEED), "--format", "json"]


def _compare_args(size: str) -> list[str]:
    patients, reps = ("1000", "100") if size == "full" else ("50", "3")
    return ["simulate", "--scenario", "protocol",
            "--compare", "current_practice",
            "--patients", patients, "--replications", reps, "--seed", str(SEED), "--format", "json"]


def _municipality_args(size: str) -> list[str]:
    reps = "500" if size == "full" else "5"
    return ["reserve", "--inwoners", "100000", "--years", "5", "--replications", reps, "--start", START,
            "--seed", str(SEED), "--format", "json"]


def _netherlands_args(size: str) -> list[str]:
    inhabitants, reps = ("17900000", "100") if size == "full" else ("500000", "2")
    return ["reserve", "--inwoners", inhabitants, "--years", "10", "--replications", reps, "--start", START,
            "--seed", str(SEED), "--format", "json"]


CASES: dict[str, Case] = {c.key: c for c in (
    Case("disease", "1", "Disease model: patient courses sampled per second", ">= 300,000/s, < 0.5 ms per call",
         desired_runs=5, note="sample_need_windows(10,000 population patients); per-call cost at 1 course"),
    Case("plan", "2", "One client's plan, 1,000 replications, protocol", "< 0.2 s", target_seconds=0.2,
         desired_runs=5, command=_plan_args),
    Case("plan_shell", "2b", "One client's plan from a shell (`ivp plan`, a new interpreter)", "< 1.5 s",
         target_seconds=1.5, desired_runs=5, command=_plan_args),
    Case("compare", "3", "Protocol vs current practice, 1,000 new patients, 100 replications", "< 3 s",
         target_seconds=3.0, desired_runs=3, command=_compare_args),
    Case("municipality", "4", "Municipality 100,000 inhabitants, 5 years, 500 replications", "< 3 s",
         target_seconds=3.0, subprocess=True, desired_runs=3, command=_municipality_args),
    Case("netherlands", "5", "The Netherlands 17.9 M inhabitants, 10 years, 100 replications",
         "< 20 s, < 1 GB", target_seconds=20.0, target_memory_mb=1024.0, subprocess=True, desired_runs=3,
         command=_netherlands_args),
    Case("simpy_ratio", "6", "Model SimPy events/s ÷ raw SimPy events/s, staff limited (median of 7 alternating pairs)",
         ">= 0.8", desired_runs=1),
    Case("app_session", "7", "App: a new session's first figures (IVP page, default client, warm server)", "< 3 s",
         target_seconds=3.0, desired_runs=5),
    Case("app_compare", "8", "App: comparison, 100 patients x 1,000 replications, two routes", "< 10 s",
         target_seconds=10.0, desired_runs=3),
    Case("app_municipality", "9", "App: municipality with caseload and local prices, 5 years, 1,000 replications",
         "< 20 s", target_seconds=20.0, desired_runs=3),
    Case("reference", "10", "Reference: plain-numpy kernel of the national case's work (5)", "(a yardstick)",
         desired_runs=3),
    Case("app_memory", "11", "App server's memory: idle, first session, each further session", "(none)",
         desired_runs=1),
)}

PRIMARY = ("disease", "plan", "plan_shell", "compare", "municipality", "netherlands", "simpy_ratio", "app_session",
           "app_compare", "app_municipality", "reference", "app_memory")


def command_line(case: Case, size: str = "full") -> str:
    if case.command is None:
        return ""
    args = [a.replace(str(ROOT) + "/", "") for a in case.command(size)]
    return "ivp " + " ".join(args)


# ---------------------------------------------------------------------------------------
# running one case once
# ---------------------------------------------------------------------------------------


def run_cli(args: list[str]) -> None:
    """Run ``ivp <args>`` in this process; raise if it fails."""
    from typer.testing import CliRunner

    from ivp.application.cli.main import app

    result = CliRunner().invoke(app, args, catch_exceptions=True)
    if result.exit_code != 0:
        detail = result.output[-2000:]
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            detail += f"\n{type(result.exception).__name__}: {result.exception}"
        raise RuntimeError(f"ivp {' '.join(args)} failed (exit {result.exit_code}):\n{detail}")


def timed(function: Callable[[], object]) -> dict:
    """Wall and CPU seconds of ``function()``, with the breakdown by part."""
    cpu = time.process_time()
    with Stopwatch() as watch:
        began = time.perf_counter()
        function()
        seconds = time.perf_counter() - began
    return {"seconds": seconds, "cpu_seconds": time.process_time() - cpu,
            "breakdown": dict(watch.seconds), "missing": list(watch.missing)}


def run_disease(size: str) -> dict:
    from ivp.models.disease import sample_need_windows

    n = 10_000 if size == "full" else 200
    calls = 20 if size == "full" else 3
    rng = np.random.default_rng(SEED)
    began, cpu = time.perf_counter(), time.process_time()
    sample_need_windows(n, rng)
    seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - cpu
    one = []
    for _ in range(calls):
        t = time.perf_counter()
        sample_need_windows(1, rng)
        one.append(time.perf_counter() - t)
    per_call = statistics.median(one)
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "courses": n, "courses_per_second": n / seconds,
            "seconds_per_call_1": per_call,
            "seconds_per_course": max(seconds - per_call, 0.0) / (n - 1)}


def run_simpy_ratio(size: str) -> dict:
    from tools.benchmarks.simpy_ratio import measure

    patients, pairs = (1000, 7) if size == "full" else (30, 2)
    began = time.perf_counter()
    out = {}
    for name in ("protocol", "current_practice"):
        r = measure(name, patients, pairs, seed=SEED)
        out[name] = {"scenario": r.scenario, "requests": r.requests, "model_events": r.model_events,
                     "raw_events": r.raw_events, "model_rate": r.model_rate, "raw_rate": r.raw_rate,
                     "ratio": r.ratio, "ratios": r.ratios, "pairs": pairs, "patients": patients}
    ratio = min(v["ratio"] for v in out.values())
    return {"seconds": time.perf_counter() - began, "ratio": ratio, "scenarios": out}


def run_app_session(size: str) -> dict:
    """A fresh AppTest session of the IVP page (the server's store already holds its plan)."""
    from streamlit.testing.v1 import AppTest

    def session():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        if at.exception or not at.metric:
            raise RuntimeError(f"the IVP page showed no figures: {[e.value for e in at.exception]}")
    return timed(session)


LOCAL_PRICES = b"id,cost_eur\nelektrische_rolstoel,27500\ntraplift,6500\nplafondlift,14000\n"
"""A municipality's own prices for three provisions (the Gemeente case)."""


def run_app_compare(size: str) -> dict:
    from ivp.application.web import runs
    from ivp.domain.catalog import load_catalog
    from ivp.models.process import load_scenario

    catalog = load_catalog()
    scenarios = [load_scenario("protocol"), load_scenario("current_practice")]
    reps = 1000 if size == "full" else 4
    return timed(lambda: runs.run_compare(scenarios, 100, catalog, reps, SEED))


def run_app_municipality(size: str) -> dict:
    import datetime as dt
    import io

    from ivp.application.caseload import load_caseload
    from ivp.application.examples import EXAMPLES_DIR
    from ivp.application.reserve import run_reserve
    from ivp.domain.catalog import load_catalog
    from ivp.models.process import load_scenario

    def municipality():
        catalog = load_catalog(overrides=io.BytesIO(LOCAL_PRICES), overrides_name="eigen_prijzen.csv")
        caseload = load_caseload(EXAMPLES_DIR / "caseload.csv", catalog=catalog)
        run_reserve(100_000, 5, load_scenario("protocol", catalog=catalog), caseload=caseload,
                    replications=1000 if size == "full" else 4, seed=SEED, start=dt.date(2027, 1, 1), catalog=catalog)
    return timed(municipality)


def run_reference(size: str) -> dict:
    """The kernel on the national case's patients and requests (a twentieth of them at the tiny size)."""
    from tools.benchmarks.reference import national_size, run_kernel

    patients, per_patient = national_size(*((17_900_000, 10, 100) if size == "full" else (500_000, 10, 2)))
    cpu = time.process_time()
    out = run_kernel(patients, per_patient)
    return {**out, "cpu_seconds": time.process_time() - cpu, "requests_per_patient": per_patient}


def run_plan_shell(size: str) -> dict:
    """``ivp plan`` as a user types it: the console script in a new interpreter (wall time,
    the child's CPU seconds), and apart the time of the imports alone."""
    import resource
    import subprocess
    import sys

    script = Path(sys.executable).with_name("ivp")

    def child(args: list[str]) -> tuple[float, float]:
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        subprocess.run(args, cwd=ROOT, check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.perf_counter() - began, (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)

    seconds, cpu = child([str(script), *_plan_args(size)])
    imports, _ = child([sys.executable, "-c", "import ivp.application.cli.main"])
    return {"seconds": seconds, "cpu_seconds": cpu, "import_seconds": imports}


def run_app_memory(size: str) -> dict:
    from tools.session_memory import measure, per_session_mb

    began = time.perf_counter()
    result = measure(6 if size == "full" else 2)
    return {"seconds": time.perf_counter() - began, "cpu_seconds": None, "idle_mb": result["idle_mb"],
            "first_mb": result["sessions"][0][1], "per_session_mb": per_session_mb(result),
            "closed_mb": result["closed_mb"], "sessions": len(result["sessions"])}


def run_in_process(case: Case, size: str) -> dict:
    if case.key == "disease":
        return run_disease(size)
    if case.key == "app_memory":
        return run_app_memory(size)
    if case.key == "reference":
        return run_reference(size)
    if case.key == "plan_shell":
        return run_plan_shell(size)
    if case.key == "simpy_ratio":
        return run_simpy_ratio(size)
    if case.key.startswith("app_"):
        return {"app_session": run_app_session, "app_compare": run_app_compare,
                "app_municipality": run_app_municipality}[case.key](size)
    args = case.command(size)
    return timed(lambda: run_cli(args))


def warm_up(case: Case) -> None:
    """Imports, the calendar, the catalogue and the need rules, once, before timing."""
    if case.key in ("disease", "simpy_ratio", "app_compare", "app_municipality", "reference", "plan_shell"):
        run_in_process(case, "tiny")
    elif case.key == "app_session":
        run_in_process(case, "full")  # the first session fills the server's store
    elif case.command is not None and not case.subprocess:
        run_cli(case.command("tiny"))

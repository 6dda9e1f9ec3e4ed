"""Run the benchmark cases within a time budget, round-robin, and report medians.

Scheduling: every case runs once first (in the order of :data:`benchmarks.cases.PRIMARY`,
then the extras), then further rounds give each case another run while it has fewer than
its desired runs and its median so far fits in what is left of the budget. So light cases
get 5 runs, heavy ones as many as the budget allows (at least 1), and every case's runs are
spread over the whole session (noise from other processes on the machine hits all alike).
The table states how many runs each median is of. Before timing, each in-process case runs
once at a tiny size (imports, the calendar, the catalogue, the need rules: what a user pays
once per session); the subprocess cases start cold in a fresh interpreter after the imports.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tools.benchmarks import cases as C
from tools.benchmarks.machine import describe, load_average

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BUDGET = 270.0
"""Seconds for all runs; with start-up and writing the whole command stays under 5 minutes
on the 2-core development machine."""


@dataclass
class CaseRuns:
    case: C.Case
    runs: list[dict] = field(default_factory=list)
    error: str | None = None

    def values(self, key: str) -> list[float]:
        return [r[key] for r in self.runs if r.get(key) is not None]

    def median(self, key: str) -> float | None:
        v = self.values(key)
        return statistics.median(v) if v else None

    def median_run(self) -> dict | None:
        """The run whose wall time is the median (lower middle for an even count)."""
        if not self.runs:
            return None
        ordered = sorted(self.runs, key=lambda r: r["seconds"])
        return ordered[(len(ordered) - 1) // 2]


def _run_subprocess(case: C.Case, size: str, timeout: float) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-m", "tools.benchmarks.child", case.key, size], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{case.key} failed in its subprocess:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_once(case: C.Case, size: str, timeout: float = 3600) -> dict:
    if case.subprocess:
        return _run_subprocess(case, size, timeout)
    return C.run_in_process(case, size)


def run(keys: list[str] | None = None, size: str = "full", budget: float = DEFAULT_BUDGET,
        runs: int | None = None, log=print) -> dict:
    """Run the cases; returns ``{"machine", "results", "budget", "elapsed", ...}``."""
    keys = keys or [*C.PRIMARY, *[k for k in C.CASES if k not in C.PRIMARY]]
    started = time.perf_counter()
    load_before = load_average()
    table = {k: CaseRuns(C.CASES[k]) for k in keys}
    for k in keys:
        if not C.CASES[k].subprocess:
            try:
                C.warm_up(C.CASES[k])
            except Exception as error:  # noqa: BLE001 - reported in the table
                table[k].error = f"{type(error).__name__}: {error}"
    warm_up_seconds = time.perf_counter() - started

    def left() -> float:
        return budget - (time.perf_counter() - started)

    primary = [k for k in keys if k in C.PRIMARY]
    extras = [k for k in keys if k not in C.PRIMARY]

    def estimate(k: str) -> float:
        entry = table[k]
        if entry.runs:
            return entry.median("seconds") or 0.0
        like = entry.case.estimate_like
        if like and like in table and table[like].runs:
            return (table[like].median("seconds") or 0.0) * entry.case.estimate_factor
        return 0.0 if k in primary else float("inf")  # a primary case always runs once

    def due(k: str) -> bool:
        entry = table[k]
        if entry.error or len(entry.runs) >= (runs or entry.case.desired_runs):
            return False
        return not entry.runs and k in primary or estimate(k) * 1.15 <= left()

    while True:
        # Round-robin over the primary cases; the extras (3b) only when no primary case
        # wants or fits another run.
        order = [k for k in primary if due(k)] or [k for k in extras if due(k)]
        if not order:
            break
        for k in order:
            entry = table[k]
            if not due(k):
                continue
            log(f"[{time.perf_counter() - started:6.1f} s] {entry.case.number} {k}: run {len(entry.runs) + 1}")
            try:
                result = run_once(entry.case, size)
            except Exception as error:  # noqa: BLE001 - reported in the table
                entry.error = f"{type(error).__name__}: {str(error)[:1500]}"
                log(f"    failed: {entry.error.splitlines()[0]}")
                continue
            result["load_average"] = load_average()
            entry.runs.append(result)
            log(f"    {result['seconds']:.2f} s" + (f", peak {result['peak_rss_mb']:.0f} MB" if "peak_rss_mb" in result else ""))
    return {
        "machine": describe(ROOT), "size": size, "budget": budget, "elapsed": time.perf_counter() - started,
        "warm_up_seconds": warm_up_seconds, "load_before": load_before, "load_after": load_average(),
        "results": {k: {"runs": v.runs, "error": v.error} for k, v in table.items()},
    }


# ---------------------------------------------------------------------------------------
# the table
# ---------------------------------------------------------------------------------------


def _fmt_seconds(s: float | None) -> str:
    if s is None:
        return "-"
    return f"{s:.2f} s" if s < 100 else f"{s:.0f} s"


def summary_rows(report: dict) -> list[dict]:
    """One row per case: figure, runs, spread, target and whether it is met."""
    rows = []
    for key, data in report["results"].items():
        case = C.CASES[key]
        entry = CaseRuns(case, data["runs"], data["error"])
        row = {"key": key, "number": case.number, "title": case.title, "target": case.target,
               "runs": len(entry.runs), "error": entry.error, "command": C.command_line(case, report["size"])}
        if entry.runs:
            wall = entry.values("seconds")
            row.update(seconds=statistics.median(wall), min=min(wall), max=max(wall),
                       cpu=entry.median("cpu_seconds"))
        if key == "disease" and entry.runs:
            per_call = entry.median("seconds_per_call_1")
            row["figure"] = f"{entry.median('courses_per_second'):,.0f} courses/s"
            row["detail"] = (f"{per_call * 1e3:.1f} ms per call for 1 course; "
                             f"{entry.median('seconds_per_course') * 1e6:.0f} µs per further course")
            row["met"] = entry.median("courses_per_second") >= 300_000 and per_call < 0.0005
        elif key == "app_memory" and entry.runs:
            run = entry.runs[-1]
            row["figure"] = f"{run['per_session_mb']:.1f} MB per session"
            row["met"] = None
            row["detail"] = (f"the server idle {run['idle_mb']:.0f} MB, after its first session (imports, the default "
                             f"plan) {run['first_mb']:.0f} MB, then {run['per_session_mb']:.1f} MB per further session "
                             f"over {run['sessions']} sessions; {run['closed_mb']:.0f} MB after all closed")
        elif key == "reference" and entry.runs:
            run = entry.runs[-1]
            row["figure"] = _fmt_seconds(row["seconds"])
            row["met"] = None
            row["detail"] = (f"{run['patients']:,} patients (courses) and {run['requests']:,} requests "
                             f"({run['requests_per_patient']:.1f} per patient): "
                             f"{run['requests'] / row['seconds']:,.0f} requests/s")
            national = report["results"].get("netherlands", {}).get("runs") or []
            if national:
                seconds = statistics.median(r["seconds"] for r in national)
                cpu = statistics.median(r.get("cpu_seconds") or 0.0 for r in national)
                kernel_cpu = statistics.median(r.get("cpu_seconds") or 0.0 for r in entry.runs)
                cpu_ratio = f" and {cpu / kernel_cpu:.1f} times the CPU seconds" if cpu and kernel_cpu else ""
                row["detail"] += (f"; the national case (5) takes {seconds / row['seconds']:.1f} times as long "
                                  f"(on all cores, against the kernel on one){cpu_ratio}, "
                                  f"{run['requests'] / seconds:,.0f} requests/s and "
                                  f"{run['patients'] / seconds:,.0f} courses/s end to end")
        elif key == "simpy_ratio" and entry.runs:
            ratio = entry.median("ratio")
            per = entry.runs[-1]["scenarios"]
            row["figure"] = f"{ratio:.2f}"
            row["detail"] = "; ".join(
                f"{v['scenario']}: {v['ratio']:.2f} (medians {v['model_rate'] / 1e3:,.0f} k vs {v['raw_rate'] / 1e3:,.0f} k "
                f"events/s; {v['model_events']:,} vs {v['raw_events']:,} events)"
                for v in per.values())
            row["met"] = ratio >= 0.8
        elif entry.runs:
            row["figure"] = _fmt_seconds(row["seconds"])
            met = None
            if case.target_seconds is not None:
                met = row["seconds"] < case.target_seconds
            peak = entry.median("peak_rss_mb")
            if peak is not None:
                row["peak_mb"] = peak
                row["baseline_mb"] = entry.median("baseline_rss_mb")
                row["figure"] += f", peak {peak:,.0f} MB"
                if case.target_memory_mb is not None:
                    met = bool(met) and peak < case.target_memory_mb
            row["met"] = met
            mr = entry.median_run()
            if mr and "breakdown" in mr:
                row["breakdown"] = mr["breakdown"]
            if key == "plan_shell":
                row["detail"] = (f"of which the imports alone (`python -c 'import ivp.application.cli.main'`) "
                                 f"{entry.median('import_seconds'):.2f} s")
        rows.append(row)
    return rows


def render_table(report: dict) -> str:
    rows = summary_rows(report)
    lines = [f"{'#':<3} {'case':<66} {'median':>24} {'runs':>4} {'min-max':>17} {'target':>16} {'met':>4}"]
    lines.append("-" * len(lines[0]))
    for r in rows:
        spread = f"{_fmt_seconds(r.get('min'))}-{_fmt_seconds(r.get('max'))}" if r.get("runs") else ""
        met = {True: "yes", False: "NO", None: ""}[r.get("met")]
        figure = r.get("figure") or ("FAILED" if r.get("error") else "not run")
        lines.append(f"{r['number']:<3} {r['title'][:66]:<66} {figure:>24} {r['runs']:>4} {spread:>17} "
                     f"{r['target']:>16} {met:>4}")
    lines.append("")
    for r in rows:
        if r.get("detail"):
            lines.append(f"{r['number']}: {r['detail']}")
        if r.get("breakdown"):
            total = sum(r["breakdown"].values()) or 1.0
            parts = ", ".join(f"{k} {v:.2f} s ({100 * v / total:.0f} %)" for k, v in r["breakdown"].items())
            lines.append(f"{r['number']}: time by part (median run): {parts}")
        if r.get("error"):
            lines.append(f"{r['number']}: FAILED: {r['error'].splitlines()[0]}")
    m = report["machine"]
    lines.append("")
    lines.append(f"{m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, {m['python']}; load average "
                 f"{_load(report['load_before'])} before, {_load(report['load_after'])} after; "
                 f"{report['elapsed']:.0f} s in all")
    return "\n".join(lines)


def _load(value) -> str:
    return "/".join(f"{x:.1f}" for x in value) if value else "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", help="comma-separated case keys (default: all): " + ", ".join(C.CASES))
    parser.add_argument("--budget", type=float, default=DEFAULT_BUDGET, help="seconds for all runs")
    parser.add_argument("--runs", type=int, default=None, help="runs per case (default: per case, 1-5)")
    parser.add_argument("--tiny", action="store_true", help="tiny sizes (a smoke test, not a measurement)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md", help="Markdown report")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw results as JSON")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    keys = [k.strip() for k in args.cases.split(",")] if args.cases else None
    unknown = [k for k in keys or [] if k not in C.CASES]
    if unknown:
        parser.error(f"unknown case(s): {', '.join(unknown)}")
    report = run(keys, "tiny" if args.tiny else "full", args.budget, args.runs, log=lambda s: print(s, flush=True))
    print()
    print(render_table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str))
    if not args.no_write:
        from tools.benchmarks.report import write

        write(report, args.out)
        print(f"\nwritten to {args.out}")
    failed = [k for k, v in report["results"].items() if v["error"]]
    return 1 if failed else 0

"""``python -m benchmarks.before_after [--before COMMIT]``: the process model of an earlier
commit against the current one, alternately, in one process, on the same inputs.

The earlier ``simulation/des`` is read from git (``git show COMMIT:simulation/des/...``)
into a temporary package ``des_before`` (its imports of ``simulation.des`` rewritten), so
both versions share everything else: the disease model, the calendar, the catalogue. Each
case runs old, new, old, new, ... (``--runs`` pairs) and reports the medians. The default
``--before`` is the last commit before issue 7's batching (83d11ff).

Not part of the 5-minute ``python -m benchmarks``: the old per-replication pipeline alone
takes minutes on the larger cases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BEFORE = "83d11ff"
SEED = 20260101


def load_before(commit: str):
    """Import ``simulation/des`` as of ``commit`` as the package ``des_before``."""
    files = subprocess.run(["git", "ls-tree", "--name-only", f"{commit}:simulation/des"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split()
    target = Path(tempfile.mkdtemp(prefix="des_before_")) / "des_before"
    target.mkdir()
    for name in files:
        if not name.endswith(".py"):
            continue
        text = subprocess.run(["git", "show", f"{commit}:simulation/des/{name}"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout
        text = text.replace("from simulation.des import", "from des_before import").replace("simulation.des.", "des_before.")
        (target / name).write_text(text)
    sys.path.insert(0, str(target.parent))
    return importlib.import_module("des_before")


def _scenario(mod, name: str, depot: bool = False):
    sc = mod.load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    if depot:
        sc = sc.with_changes(depot={**sc.depot.model_dump(), "enabled": True})
    return sc


def cases(size: str = "full"):
    """(label, function(mod) -> None) pairs; each function runs one case with ``mod``."""
    from ivp.catalog import load_catalog
    from ivp.profile import load_profile
    from simulation.des.testing import SyntheticPatients

    ids = load_catalog().ids
    reps = 1000 if size == "full" else 5
    profile = load_profile(ROOT / "examples" / "jong_beenbegin.yaml")

    def client_synthetic(mod):
        mod.run_montecarlo(_scenario(mod, "protocol"), SyntheticPatients(1, ids), reps, SEED, keep="frame")

    def client_disease(mod):
        mod.run_montecarlo(_scenario(mod, "protocol"), mod.Client(profile), reps, SEED, keep="frame")

    def compare_new_patients(mod, cohort=None):
        scenarios = [_scenario(mod, "protocol"), _scenario(mod, "current_practice")]
        n = 1000 if size == "full" else 50
        mod.compare(scenarios, cohort or mod.NewPatients(n), 20 if size == "full" else 2, SEED, keep="kpis")

    def compare_synthetic(mod):
        compare_new_patients(mod, SyntheticPatients(1000 if size == "full" else 50, ids))

    def municipality_per_replication(mod):
        sc = _scenario(mod, "protocol", depot=True)
        cohort = mod.Caseload(100_000, 5, dt.date(2027, 1, 1))
        for k in range(100 if size == "full" else 3):
            mod.run_replication(sc, cohort, SEED, k, keep="frame", per_provision=False)

    def municipality_synthetic(mod):
        from simulation.des.testing import synthetic_windows

        montecarlo = importlib.import_module(mod.__name__ + ".montecarlo")
        saved = montecarlo._sample_windows
        montecarlo._sample_windows = lambda n, rng, profile=None: synthetic_windows(n, rng, ids)
        try:
            municipality_per_replication(mod)
        finally:
            montecarlo._sample_windows = saved

    national = {}

    def national_process_model(mod):
        if "windows" not in national:  # the disease model once, outside the timing of both
            national.update(_national_windows(size))
        cohort = mod.GivenWindows(national["windows"], diagnosis_dates=national["dates"], one_municipality=True)
        mod.run_replication(_scenario(mod, "protocol", depot=True), cohort, SEED, 0, keep="frame",
                            per_provision=False)

    return [
        ("One client, 1,000 replications, protocol, request frame; synthetic need windows (process model alone)",
         client_synthetic),
        ("One client, 1,000 replications, protocol, request frame, with the disease model", client_disease),
        ("compare(): protocol and current practice, 1,000 new patients, 20 replications, KPI rows; synthetic "
         "need windows (process model alone)", compare_synthetic),
        ("compare(): the same with the disease model", compare_new_patients),
        ("Municipality 100,000 x 5 years, depot: 100 calls of run_replication (as ivp reserve calls it); "
         "synthetic need windows", municipality_synthetic),
        ("Municipality: the same with the disease model", municipality_per_replication),
        ("One national replication (~5,000 patients), depot, the disease model's need windows cut at the "
         "calendar's horizon (so the old code can run them): process model alone", national_process_model),
    ]


def _national_windows(size: str) -> dict:
    """One national replication's need windows, censored at the calendar's horizon as the
    current model does, so that the earlier code (which failed past 2100) runs them too."""
    import simulation.des as new
    from simulation.des.model import day_table
    from simulation.needwindows import NeedWindows

    sc = _scenario(new, "protocol")
    drawn = new.montecarlo.draw_replication(sc, new.Caseload(17_900_000 if size == "full" else 300_000, 10,
                                                             dt.date(2027, 1, 1)), SEED, 0)
    w, diag = drawn.sampled.windows, np.asarray(drawn.sampled.diagnosis_day, dtype=float)
    limit = ((day_table(new.model.calendar_for(sc)).horizon - diag) / 30.4375)[:, None]
    start = np.where(w.need_start < limit - 1, w.need_start, np.nan)
    keep = ~np.isnan(start)
    windows = NeedWindows(w.patients, w.provision_ids, start, np.where(keep, np.minimum(w.need_end, limit - 0.5), np.nan),
                          np.where(keep, w.trigger, np.nan), np.minimum(w.death, limit[:, 0] - 0.5))
    return {"windows": windows, "dates": diag.astype(np.int64).astype("datetime64[D]")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.before_after", description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=DEFAULT_BEFORE, help="git commit of the earlier simulation/des")
    parser.add_argument("--runs", type=int, default=3, help="old/new pairs per case")
    parser.add_argument("--tiny", action="store_true")
    args = parser.parse_args(argv)
    import simulation.des as new

    old = load_before(args.before)
    print(f"before: simulation/des at {args.before}; after: the working tree\n")
    for label, function in cases("tiny" if args.tiny else "full"):
        times = {"before": [], "after": []}
        errors = {}
        for _ in range(args.runs):
            for tag, mod in (("before", old), ("after", new)):
                if tag in errors:
                    continue
                began = time.perf_counter()
                try:
                    function(mod)
                except Exception as error:  # noqa: BLE001 - e.g. the old calendar range failure
                    errors[tag] = f"{type(error).__name__}: {str(error).splitlines()[0][:160]}"
                    continue
                times[tag].append(time.perf_counter() - began)

        def show(tag):
            if tag in errors:
                return f"failed ({errors[tag]})"
            t = times[tag]
            return f"{statistics.median(t):.2f} s (median of {len(t)}, {min(t):.2f}-{max(t):.2f})"

        print(f"{label}\n    before: {show('before')}\n    after:  {show('after')}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

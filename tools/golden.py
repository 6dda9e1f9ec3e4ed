"""Golden tables: KPI tables of the shipped scenarios, written by this script only and
compared exactly by ``tests/test_golden.py``.

They hold behaviour fixed while code is restructured: a refactor must leave every table
byte-identical; a change to what the model computes regenerates them in its own commit,
saying why::

    .venv/bin/python -m tools.golden          # rewrite tests/golden/*.csv
    .venv/bin/python -m tools.golden --check  # compare only (what the test does)

The four shipped scenarios x two seeds x three uses: new patients (``ivp simulate``), one
client's plan (``ivp plan``) and a municipality's reserve with a caseload (``ivp
reserve``), at small sizes so that the test runs in seconds. Floats are written with 10
significant digits: a real change shows, while the last bits of a sum taken in another
order do not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from ivp.application.examples import EXAMPLES_DIR

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
SCENARIOS = ("protocol", "current_practice", "protocol_in_kind", "pgb")
SEEDS = (1, 20260101)
PATIENTS, PATIENT_REPLICATIONS = 50, 10
PLAN_PROFILE, PLAN_REPLICATIONS, PLAN_DIAGNOSIS = "jong_beenbegin", 200, dt.date(2026, 3, 2)
RESERVE_INHABITANTS, RESERVE_YEARS, RESERVE_REPLICATIONS, RESERVE_START = 100_000, 3, 10, dt.date(2027, 1, 1)
FLOAT_FORMAT = "%.10g"


def _scenario(name: str):
    from ivp.models.process import load_scenario

    return load_scenario(name)


def new_patients(name: str, seed: int) -> pd.DataFrame:
    """Per replication the overall KPIs and the compliance with each norm, and per provision
    the mean over replications."""
    from ivp.models.process import NewPatients, run

    result = run(_scenario(name), NewPatients(PATIENTS), PATIENT_REPLICATIONS, seed=seed)
    k = result.kpis
    overall = k[k["group"] == "overall"][["replication", "metric", "value"]].assign(key="all")
    norms = k[k["group"] == "norm"][["replication", "key", "metric", "value"]]
    s = result.summary
    provision = s[s["group"] == "provision"][["key", "metric", "mean"]].rename(columns={"mean": "value"})
    provision = provision.assign(replication=-1)
    out = pd.concat([overall, norms, provision], ignore_index=True)[["replication", "key", "metric", "value"]]
    return out.sort_values(["replication", "key", "metric"], kind="stable").reset_index(drop=True)


def client_plan(name: str, seed: int) -> pd.DataFrame:
    """The plan table and the budget of one example client."""
    from ivp.application.plan import simulate_plan
    from ivp.domain.profile import load_profile

    plan = simulate_plan(load_profile(EXAMPLES_DIR / f"{PLAN_PROFILE}.yaml"), _scenario(name), PLAN_REPLICATIONS, seed,
                         diagnosis_date=PLAN_DIAGNOSIS)
    table = plan.table.drop(columns=["name_nl", "name_en"]).astype(object)
    rows = []
    for record in table.to_dict(orient="records"):
        pid = record.pop("provision_id")
        rows.extend({"part": "plan", "key": pid, "field": k, "value": _cell(v)} for k, v in record.items())
    for record in plan.budget.drop(columns=["protocol_source"]).to_dict(orient="records"):
        key = f"{record.pop('financier')}/{record.pop('reuse')}"
        rows.extend({"part": "budget", "key": key, "field": k, "value": _cell(v)} for k, v in record.items())
    rows.extend({"part": "survival", "key": k, "field": "months", "value": _cell(v)}
                for k, v in plan.survival_months.items())
    return pd.DataFrame(rows)


def municipality(name: str, seed: int) -> pd.DataFrame:
    """The reserve table of a municipality with the example caseload and a depot."""
    from ivp.application.caseload import load_caseload
    from ivp.application.reserve import run_reserve

    scenario = _scenario(name)
    scenario = scenario.with_changes(depot={**scenario.depot.model_dump(), "enabled": True})
    caseload = load_caseload(EXAMPLES_DIR / "caseload.csv", as_of=RESERVE_START)
    result = run_reserve(RESERVE_INHABITANTS, RESERVE_YEARS, scenario, caseload=caseload,
                         replications=RESERVE_REPLICATIONS, seed=seed, start=RESERVE_START)
    table = result.table.drop(columns=["start"]).astype(object)
    rows = []
    for record in table.to_dict(orient="records"):
        year = record.pop("year")
        rows.extend({"year": year, "field": k, "value": _cell(v)} for k, v in record.items())
    return pd.DataFrame(rows)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (dt.date, pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).date().isoformat()
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        value = float(value)
        return "" if np.isnan(value) else FLOAT_FORMAT % value
    return str(value)


USES = {"new_patients": new_patients, "plan": client_plan, "municipality": municipality}


def table_text(use: str, name: str, seed: int) -> str:
    """The CSV text of one golden table."""
    frame = USES[use](name, seed)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
    return buffer.getvalue()


def path_of(use: str, name: str, seed: int) -> Path:
    return GOLDEN / f"{use}-{name}-{seed}.csv"


def all_tables():
    for use in USES:
        for name in SCENARIOS:
            for seed in SEEDS:
                yield use, name, seed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the files instead of writing them")
    args = parser.parse_args(argv)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    differ = []
    for use, name, seed in all_tables():
        text, path = table_text(use, name, seed), path_of(use, name, seed)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                differ.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if differ:
        print("differ from the golden tables: " + ", ".join(differ), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

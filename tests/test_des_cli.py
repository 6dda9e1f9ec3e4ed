"""`ivp simulate`: bad scenario files are refused with the file and key named; a comparison
prints the Dutch table and a JSON document with the documented layout."""

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from ivp.application.cli.main import app
from ivp.models.process.scenario import SHIPPED_DIR

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def test_unknown_key_exits_2_naming_file_and_key(tmp_path):
    data = yaml.safe_load((SHIPPED_DIR / "protocol.yaml").read_text(encoding="utf-8"))
    data["melding"]["at_"] = "trigger"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = runner.invoke(app, ["simulate", "--scenario", str(bad)])
    assert result.exit_code == 2
    assert "bad.yaml" in result.output and "melding.at_" in result.output


def test_compare_table_and_json():
    args = ["simulate", "--scenario", str(SHIPPED_DIR / "protocol.yaml"),
            "--compare", str(SHIPPED_DIR / "current_practice.yaml"), "--replications", "4", "--patients", "20"]
    table = runner.invoke(app, args)
    assert table.exit_code == 0, table.output
    assert "Protocol (IVP)" in table.output and "verschil" in table.output and "€" in table.output
    out = runner.invoke(app, args + ["--format", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    assert [s["policy"] for s in doc["scenarios"]] == ["protocol", "current_practice"]
    rec = {r["metric"]: r for r in doc["comparison"]}
    assert {"mean", "p10", "p50", "p90", "ci95_low", "ci95_high"} <= set(rec["gap_days_mean"]["difference"])
    assert rec["gap_days_mean"]["difference"]["mean"] > 0
    assert {"scenario", "group", "key", "metric", "mean"} <= set(doc["summary"][0])


def test_out_writes_the_request_frame(tmp_path):
    import pandas as pd

    out = tmp_path / "r.csv"
    result = runner.invoke(app, ["simulate", "--scenario", str(SHIPPED_DIR / "pgb.yaml"),
                                 "--replications", "2", "--patients", "5", "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert set(frame["scenario"]) == {"pgb"} and set(frame["replication"]) == {0, 1}


def test_compare_draws_once_and_gives_the_numbers_of_one_run_per_scenario(monkeypatch):
    """`--compare` runs both scenarios in one ivp.models.process.run (patients drawn once); the figures equal the
    earlier path, one run per scenario."""
    import ivp.models.process.runner as mc
    from ivp.application.cli.simulate_cmd import _clean
    from ivp.application.comparison import comparison_records
    from ivp.models.process import NewPatients, load_scenario, run

    files = [SHIPPED_DIR / "protocol.yaml", SHIPPED_DIR / "current_practice.yaml"]
    calls = []
    real = mc.draw_replication
    monkeypatch.setattr(mc, "draw_replication", lambda *a, **k: calls.append(a[3]) or real(*a, **k))
    out = runner.invoke(app, ["simulate", "--scenario", str(files[0]), "--compare", str(files[1]),
                              "--replications", "5", "--patients", "15", "--seed", "7", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert sorted(calls) == [0, 1, 2, 3, 4]  # each replication's patients drawn once, not once per scenario
    monkeypatch.setattr(mc, "draw_replication", real)
    doc = json.loads(out.output)
    separate = [run(load_scenario(f), NewPatients(15), 5, seed=7) for f in files]
    assert doc["comparison"] == _clean(comparison_records(separate))

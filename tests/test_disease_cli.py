"""`ivp calibrate` and `ivp cohort` from the command line."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from ivp.application.cli.main import app
from ivp.domain.catalog import load_catalog

runner = CliRunner()
REQUIRED = ("patient_id", "onset_site", "age_at_onset", "diagnostic_delay_months", "dfs",
            "alsfrs_r_at_diagnosis", "fvc_percent", "survival_months_from_diagnosis")


def test_calibrate_json_lists_every_target():
    result = runner.invoke(app, ["calibrate", "--patients", "400", "--seed", "3", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["patients"] == 400 and data["seed"] == 3
    ids = {row["id"] for row in data["targets"]}
    assert {"survival_onset_median", "alsfrs_slope_mean", "milestone_care_facility"} <= ids
    assert all(isinstance(row["within"], bool) for row in data["targets"])


def test_calibrate_table_in_dutch_and_english():
    nl = runner.invoke(app, ["calibrate", "--patients", "300"])
    assert nl.exit_code == 0 and "Overleving vanaf eerste symptoom" in nl.output and "binnen" in nl.output
    en = runner.invoke(app, ["calibrate", "--patients", "300", "--lang", "en"])
    assert en.exit_code == 0 and "Survival from onset" in en.output and "Sources:" in en.output
    assert "Model checks" in en.output and "Modelcontroles" in nl.output


def test_calibrate_refuses_tiny_cohorts():
    result = runner.invoke(app, ["calibrate", "--patients", "5"])
    assert result.exit_code == 2 and "at least 100" in result.output


def test_cohort_export(tmp_path):
    out = tmp_path / "cohort.csv"
    result = runner.invoke(app, ["cohort", "--patients", "120", "--seed", "4", "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert len(frame) == 120
    assert set(REQUIRED) <= set(frame.columns)
    for provision_id in load_catalog().ids:
        assert f"need_start_{provision_id}" in frame.columns and f"need_end_{provision_id}" in frame.columns
    start, end = frame.filter(like="need_start_").to_numpy(), frame.filter(like="need_end_").to_numpy()
    assert np.array_equal(np.isnan(start), np.isnan(end))  # empty cells: never needed
    again = tmp_path / "again.csv"
    runner.invoke(app, ["cohort", "--patients", "120", "--seed", "4", "--out", str(again)])
    assert out.read_text() == again.read_text()


def test_cohort_export_has_uptake_and_kings_stages(tmp_path):
    """Beside each need window an uptake_<id> column (1 takes it up, 0 declines, empty where
    never needed), and the months since diagnosis at which each King's stage begins."""
    out = tmp_path / "cohort.csv"
    assert runner.invoke(app, ["cohort", "--patients", "400", "--seed", "5", "--out", str(out)]).exit_code == 0
    frame = pd.read_csv(out)
    for provision_id in load_catalog().ids:
        needed = frame[f"need_start_{provision_id}"].notna()
        uptake = frame[f"uptake_{provision_id}"]
        assert uptake[needed].isin([0, 1]).all() and uptake[~needed].isna().all(), provision_id
    ventilation = frame.loc[frame["need_start_beademingsapparatuur"].notna(), "uptake_beademingsapparatuur"]
    assert 0.7 < ventilation.mean() < 0.95  # 82 % (uptake.yaml), 400 patients
    both = frame[["kings_stage_2_month", "kings_stage_3_month"]].dropna()
    assert len(both) and (both["kings_stage_3_month"] >= both["kings_stage_2_month"]).all()
    assert frame["kings_stage_at_diagnosis"].isin([1, 2, 3, 4]).all()


def test_cohort_for_one_client(tmp_path):
    profile = tmp_path / "client.yaml"
    profile.write_text("onset_site: bulbar\nage_at_onset: 70\n", encoding="utf-8")
    out = tmp_path / "client.csv"
    result = runner.invoke(app, ["cohort", "--patients", "50", "--profile", str(profile), "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert (frame["onset_site"] == "bulbar").all() and (frame["age_at_onset"] == 70).all()


def test_cohort_bad_profile_exits_2(tmp_path):
    profile = tmp_path / "bad.yaml"
    profile.write_text("age_at_onset: 150\n", encoding="utf-8")
    result = runner.invoke(app, ["cohort", "--profile", str(profile), "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 2
    assert "bad.yaml" in result.output and "age_at_onset" in result.output and "18 and 100" in result.output

"""The simulated cohort against the published targets (DOMAIN.md section 5).

The cohort of `ivp calibrate` (10,000 patients, the default seed) with the tolerances of
ivp/models/disease/data/calibration.yaml, which are not widened for the test: a change to
the model that moves a target out of its band fails here. Targets the model cannot meet
carry a documented `known_gap` in both languages; for those the test checks that they are
still missed (so a fix is noticed too).
"""

from __future__ import annotations

import pytest

from ivp.models.disease.calibration import calibration_report, calibration_spec


@pytest.fixture(scope="module")
def report():
    return calibration_report()  # the printed table's cohort


def test_report_covers_every_target(report):
    spec = calibration_spec()
    expected = {t.id for t in spec.targets} | {f"milestone_{m}" for m in spec.milestones}
    assert set(report.rows["id"]) == expected
    assert len(spec.milestones) == 8



@pytest.mark.parametrize("target", [
    t.id for t in calibration_spec().targets if t.known_gap is None
] + [f"milestone_{m}" for m, ms in calibration_spec().milestones.items() if ms.known_gap is None])
def test_target_within_tolerance(report, target):
    row = report.rows.set_index("id").loc[target]
    assert row["low"] <= row["simulated"] <= row["high"], (target, row["simulated"], row["low"], row["high"])


@pytest.mark.parametrize("target", [
    t.id for t in calibration_spec().targets if t.known_gap is not None
] + [f"milestone_{m}" for m, ms in calibration_spec().milestones.items() if ms.known_gap is not None])
def test_documented_gaps_are_still_gaps(report, target):
    """A target with a documented known_gap is still missed: a change that meets it again
    must drop the gap (and its reason) from calibration.yaml."""
    row = report.rows.set_index("id").loc[target]
    assert not row["low"] <= row["simulated"] <= row["high"], (target, row["simulated"])
    assert row["known_gap_en"] and row["known_gap_nl"] and row["known_gap_en"] != row["known_gap_nl"]


def test_model_checks(report):
    checks = report.checks
    assert checks["alsfrs_at_diagnosis_abs_error_points"] < 1.5
    assert 10 <= checks["alsfrs_at_death_median"] <= 30
    assert checks["respiratory_past_death_level_at_diagnosis_share"] < 0.05
    assert checks["scale_order_violations"] == 0

"""The simulated cohort against the published targets (DOMAIN.md section 5).

3,000 patients with the tolerances of ivp/models/disease/data/calibration.yaml, which are not
widened for the test: a change to the model that moves a target out of its band fails
here. Targets the model cannot meet carry a documented `known_gap`; for those the test
checks that the gap is still the documented one (so a fix is noticed too).
"""

from __future__ import annotations

import pytest

from ivp.models.disease.calibration import calibration_report, calibration_spec


@pytest.fixture(scope="module")
def report():
    return calibration_report(3000, 31)


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


def test_documented_gaps_are_still_gaps(report):
    rows = report.rows.set_index("id")
    # 5 years after diagnosis: more die than the protocol's 80 % (documented inconsistency)
    assert rows.loc["survival_diagnosis_dead_5y", "simulated"] > 0.85
    # mean diagnostic delay longer than the milestone cohort's 8.0 months
    assert rows.loc["milestone_diagnosis", "simulated"] > 10.0
    # the fastest slopes steeper than the published 97.5th percentile (per-patient slopes of
    # the patients who die soonest); a fit that meets it again should drop the known_gap
    assert rows.loc["alsfrs_slope_p975", "simulated"] > rows.loc["alsfrs_slope_p975", "high"]


def test_model_checks(report):
    checks = report.checks
    assert checks["alsfrs_at_diagnosis_abs_error_points"] < 1.5
    assert 10 <= checks["alsfrs_at_death_median"] <= 30
    # 0.11 before the pace-survival sign fix; 0.30 since (death level mean 3.0, see
    # docs/disease-model.md section 7): a model check, not a published target
    assert checks["respiratory_clock_at_floor_share"] < 0.35

"""Need versus uptake: every provision has a documented uptake probability; a patient takes
a needed provision up with that probability, drawn from its own stream (common random
numbers); requests, the plan's probabilities and its expected cost follow need x uptake."""

from __future__ import annotations

import numpy as np
import pytest

from ivp.domain.catalog import load_catalog
from ivp.domain.errors import InputError
from ivp.domain.messages import text
from ivp.models.disease.cohort import simulate_cohort
from ivp.models.disease.uptake import load_uptake, uptake_params


@pytest.fixture(scope="module")
def cohort():
    return simulate_cohort(20_000, 12)


def test_every_provision_has_a_documented_uptake():
    uptake = uptake_params()
    assert set(uptake) == set(load_catalog().ids)
    for pid, entry in uptake.items():
        assert entry.source == "assumption" or any(c.isdigit() for c in entry.source), pid  # a citation has a year or doi
        assert len(entry.rationale) >= 10


def test_uptake_among_those_needing_matches_the_file(cohort):
    w, uptake = cohort.windows, uptake_params()
    needed, requested = w.needed(), w.requested()
    for j, pid in enumerate(w.provision_ids):
        if needed[:, j].sum() < 500 or uptake[pid].follows:
            continue
        share = requested[:, j].sum() / needed[:, j].sum()
        assert share == pytest.approx(uptake[pid].value, abs=0.03), pid


def test_emergency_power_only_with_the_ventilation(cohort):
    w = cohort.windows
    taken = w.requested()
    power, ventilation = w.provision_ids.index("noodstroom"), w.provision_ids.index("beademingsapparatuur")
    assert taken[:, power].any()
    assert not np.any(taken[:, power] & ~w.uptake[:, ventilation])


def test_uptake_changes_no_course_and_no_need(cohort):
    """The uptake stream is separate: another uptake file (everyone takes everything up)
    leaves patients, courses and need windows as they were."""
    from ivp.models.disease import cohort as cohort_module
    from ivp.models.disease.uptake import take_up

    everyone = {pid: entry.model_copy(update={"value": 1.0}) for pid, entry in uptake_params().items()}
    same = simulate_cohort(2000, 12)
    draws = cohort_module.DiseaseDraws.draw(2000, 12)
    full = take_up(draws.uptake, cohort_module.need_rules().ids, same.windows.provision_ids, everyone)
    assert full.all()
    assert np.array_equal(same.windows.need_start, simulate_cohort(2000, 12).windows.need_start, equal_nan=True)


def test_requests_only_for_needs_taken_up():
    """The process simulation's request frame has a row only where the need is taken up."""
    from ivp.models.process import NewPatients, load_scenario, run

    frame, counts = run(load_scenario("protocol"), NewPatients(300), 4, seed=5, reducer=_FrameAndCounts())
    requested = frame.groupby("provision_id").size()
    for pid, row in counts.iterrows():
        assert requested.get(pid, 0) == row["requested"] <= row["needed"], pid
    assert (counts["requested"] < counts["needed"]).any()


class _FrameAndCounts:
    def reduce(self, batch):
        return batch.frame(), batch.need_counts()

    def combine(self, scenario, parts, replications):
        import pandas as pd

        frame = pd.concat([f for f, _ in parts], ignore_index=True)
        counts = parts[0][1]
        for _, more in parts[1:]:
            counts = counts + more
        return frame, counts


def test_the_plan_shows_need_and_uptake_and_costs_their_product():
    from ivp.application.plan import simulate_plan
    from ivp.domain.profile import make_profile
    from ivp.models.process import load_scenario

    plan = simulate_plan(make_profile(onset_site="legs", age_at_onset=60), load_scenario("protocol"), 300, seed=3)
    t = plan.table.set_index("provision_id")
    needed = t[t["need_probability"] > 0]
    assert np.allclose(needed["probability"], needed["need_probability"] * needed["uptake_probability"])
    assert np.allclose(t["expected_cost_eur"], t["probability"] * t["cost_eur"])
    assert (needed["uptake_probability"] < 1).any() and (needed["probability"] <= needed["need_probability"]).all()


@pytest.mark.parametrize("edit, field, code", [
    (("eetrobot:\n  value: 0.4", "eetrobot:\n  value: 1.4"), "eetrobot.value", "at_most"),
    (("follows: beademingsapparatuur", "follows: beademing"), "noodstroom.follows", "unknown_provision"),
    (("\neetrobot:\n", "\neet_robot:\n"), "", "no_uptake"),
])
def test_a_bad_uptake_file_is_refused_naming_the_field(tmp_path, edit, field, code):
    from ivp.models.disease.params import data_path

    path = tmp_path / "uptake.yaml"
    original = data_path("uptake.yaml").read_text(encoding="utf-8")
    assert edit[0] in original
    path.write_text(original.replace(edit[0], edit[1]), encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_uptake(path)
    problems = [p for p in error.value.problems if p.code == code]
    assert problems and problems[0].source == "uptake.yaml" and problems[0].field == field
    assert text(f"problem.{code}", "en")

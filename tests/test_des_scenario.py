"""Scenario files: the shipped ones load and document every block; bad input is refused
with the file and the key path named; the durations sample what they promise."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from ivp.domain.errors import InputError
from ivp.models.process import load_scenario, parse_scenario, undocumented_blocks
from ivp.models.process.durations import (
    Lognormal,
    Mixture,
    Triangular,
    mean_werkdagen,
    sample,
)
from ivp.models.process.scenario import SHIPPED_DIR

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ["protocol", "current_practice", "pgb"]


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_scenarios_load_and_document_every_block(name):
    scenario = load_scenario(name)
    assert scenario.policy == name
    assert undocumented_blocks(scenario) == []


def _data(name="current_practice"):
    return yaml.safe_load((SHIPPED_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def _write(tmp_path, data, name="mine.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_unknown_key_is_refused_with_file_and_key_path(tmp_path):
    data = _data()
    data["routes"]["wmo"]["advise"] = {"dist": "fixed", "werkdagen": 3}
    with pytest.raises(InputError) as info:
        load_scenario(_write(tmp_path, data))
    problem = info.value.problems[0]
    assert problem.source == "mine.yaml"
    assert problem.field == "routes.wmo.advise"


def test_every_problem_is_reported_at_once(tmp_path):
    data = _data()
    data["routes"]["wmo"]["municipalities"]["exceed_investigation"]["share"] = 1.5
    data["melding"]["noticing_delay"] = {"dist": "lognormal", "median": 10, "p90": 5}
    data["typo"] = 1
    with pytest.raises(InputError) as info:
        load_scenario(_write(tmp_path, data))
    fields = {p.field for p in info.value.problems}
    assert "typo" in fields
    assert "routes.wmo.municipalities.exceed_investigation.share" in fields
    assert any(f.startswith("melding.noticing_delay") for f in fields)


def test_unknown_provision_in_overrides_is_refused(tmp_path):
    data = _data("protocol")
    data["routes"]["wmo"]["overrides"] = {"trapliftt": {"delivery": {"dist": "fixed", "werkdagen": 5}}}
    with pytest.raises(InputError) as info:
        load_scenario(_write(tmp_path, data))
    assert info.value.problems[0].field == "routes.wmo.overrides.trapliftt"


def test_repeat_request_shares_must_sum_to_one():
    data = _data()
    data["routes"]["wmo"]["municipalities"]["repeat_requests"]["always"] = 0.5
    with pytest.raises(InputError) as info:
        parse_scenario(data, source="x.yaml")
    assert "sum to 1" in str(info.value)


def test_not_yaml_and_missing_file_are_input_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(InputError):
        load_scenario(bad)
    with pytest.raises(InputError):
        load_scenario(tmp_path / "absent.yaml")


def test_lognormal_median_and_p90_land_on_target():
    spec = Lognormal(dist="lognormal", median=20, p90=40)
    x = sample(spec, np.random.default_rng(1).random(20_000))
    assert abs(np.median(x) - 20) <= 1
    assert abs(np.percentile(x, 90) - 40) <= 1.5


def test_triangular_mean_within_two_percent():
    spec = Triangular(dist="triangular", low=10, mode=20, high=30)
    assert mean_werkdagen(spec, n=20_000) == pytest.approx(20, rel=0.02)


def test_mixture_weights():
    spec = Mixture.model_validate({"dist": "mixture", "components": [
        {"weight": 0.85, "duration": {"dist": "lognormal", "median": 20, "p90": 40}},
        {"weight": 0.15, "duration": {"dist": "uniform", "low": 90, "high": 160}}]})
    u = np.sort(np.random.default_rng(2).random(20_000))
    x = sample(spec, u)
    assert np.mean(x >= 90) == pytest.approx(0.15, abs=0.01)

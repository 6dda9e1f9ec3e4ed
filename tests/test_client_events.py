"""The client's life besides the disease (issue 15): entry into a Wlz institution and moving.

A Wlz entry at care dependency ends the Wmo's part: no request is made to the Wmo after it,
open Wmo requests lapse, the gap stops there; the Zvw and collective transport go on. A move
to another municipality restarts open Wmo requests on the day of the move. Both are drawn
from their own random stream, so switching them off leaves every other draw as it was.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from ivp.domain.catalog import load_catalog
from ivp.models.process import GivenWindows, NewPatients, load_scenario
from ivp.models.process.scenario import ClientEvents, Moving, WlzEntry, default_client_events
from tests.helpers.runs import one_replication
from tests.helpers.windows import synthetic_windows

CATALOG = load_catalog()
IDS = CATALOG.ids
NONE = ClientEvents(assumption="no events", handover_months=0)


def with_events(events: ClientEvents, name: str = "protocol"):
    return load_scenario(name).with_changes(client_events=events.model_dump())


def cared_for(n=400, seed=7, care_month=6.0):
    """Synthetic windows in which every patient becomes care dependent at ``care_month``."""
    windows = synthetic_windows(n, np.random.default_rng(seed), IDS, 0.6)
    windows = dataclasses.replace(windows, patients=windows.patients.assign(care_dependency_month=care_month))
    return GivenWindows(windows, diagnosis_dates=np.datetime64("2026-03-02") + np.arange(n) % 200)


def run_frame(scenario, cohort, seed=5):
    result = one_replication(scenario, cohort, seed)
    return result.frame, result.patients


def test_no_request_is_made_to_the_wmo_after_wlz_entry():
    everyone = ClientEvents(assumption="test", handover_months=2,
                            wlz=WlzEntry(share=1.0, wmo_continues=("collectief_vervoer",), assumption="test"))
    frame, patients = run_frame(with_events(everyone, "current_practice"), cared_for())
    entry = pd.Series(patients["wlz_day"].to_numpy(), index=patients["patient_id"])
    assert entry.notna().mean() > 0.5  # every patient alive at care dependency enters
    days = entry.reindex(frame["patient_id"]).to_numpy()
    wmo = (frame["financier"] == "wmo").to_numpy() & (frame["provision_id"] != "collectief_vervoer").to_numpy()
    after = wmo & (frame["melding_day"].to_numpy() >= days)
    assert not after.any()  # nothing asked of the Wmo after the entry
    late = wmo & np.isfinite(days) & (frame["need_start_day"].to_numpy() >= days)
    assert late.sum() > 50 and frame.loc[late, "melding_day"].isna().all() and frame.loc[late, "delivery_day"].isna().all()
    # what was open at the entry lapses then; the gap stops there
    open_then = wmo & (frame["melding_day"].to_numpy() < days) & frame["delivery_day"].isna().to_numpy()
    assert frame.loc[open_then, "cancelled"].all()
    cut = wmo & np.isfinite(days)
    assert (frame.loc[cut, "need_end_day"].to_numpy() <= np.maximum(days[cut], frame.loc[cut, "need_start_day"])).all()
    # the Zvw goes on after the entry
    zvw = (frame["financier"] == "zvw").to_numpy() & (frame["melding_day"].to_numpy() > days)
    assert zvw.sum() > 20 and frame.loc[zvw, "delivery_day"].notna().any()


def test_a_move_restarts_open_wmo_requests_at_the_receiving_municipality():
    often = ClientEvents(assumption="test", handover_months=2, moving=Moving(rate_per_year=1.0, assumption="test"))
    frame, patients = run_frame(with_events(often, "current_practice"), cared_for())
    restarted = frame[frame["restarted_by_move"]]
    assert len(restarted) > 20 and (restarted["financier"] == "wmo").all()
    # the first step starts again on the day of the move: the advice comes after it
    assert (restarted["advice_day"].dropna() >= restarted.loc[restarted["advice_day"].notna(), "move_day"]).all()
    calm, _ = run_frame(with_events(NONE, "current_practice"), cared_for())
    key = ["patient_id", "provision_id"]
    before = calm.set_index(key).loc[restarted.set_index(key).index]
    done = restarted.set_index(key)["delivery_day"].notna() & before["delivery_day"].notna()
    later = restarted.set_index(key)["delivery_day"][done] - before["delivery_day"][done]
    # never sooner than without the move; the same only when the move fell in the weekend after the melding
    assert (later >= 0).all() and (later > 0).mean() > 0.95


def test_events_have_their_own_stream_and_leave_other_draws_alone():
    """Without events the requests are those of a run without the events block's draws:
    the event stream is the last, so every other uniform is unchanged."""
    a, _ = run_frame(with_events(NONE), cared_for())
    rare = ClientEvents(assumption="test", handover_months=0, moving=Moving(rate_per_year=1e-9, assumption="test"))
    b, _ = run_frame(with_events(rare), cared_for())
    pd.testing.assert_frame_equal(a, b)


def test_the_shipped_events_reach_the_published_shares():
    """About one client in five enters a Wlz institution (the nursing-home share abroad) and
    about 1.6 % a year moves (CBS), in the disease model's courses."""
    events = default_client_events()
    _, patients = run_frame(load_scenario("protocol"), NewPatients(3000), seed=11)
    entered = patients["wlz_day"].notna().mean()
    assert entered == pytest.approx(0.20, abs=0.03)
    years = (patients["death_day"] / 365.25).to_numpy()
    expected = np.mean(1 - np.exp(-events.moving.rate_per_year * years)) * (1 - entered)
    assert patients["move_day"].notna().mean() == pytest.approx(expected, abs=0.01)


def test_a_scenario_may_name_only_catalogue_provisions_as_continuing():
    from ivp.domain.errors import InputError
    from ivp.models.process import parse_scenario

    data = load_scenario("protocol").model_dump(mode="json", exclude_none=True)
    data["client_events"]["wlz"]["wmo_continues"] = ["hovercraft"]
    with pytest.raises(InputError, match="client_events.wlz.wmo_continues"):
        parse_scenario(data, "s.yaml")

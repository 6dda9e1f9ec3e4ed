"""The process model takes every figure from the catalogue it is given: two catalogues that
differ in one cost give that cost, even if the second one gets the first one's object id
(a freed override catalogue's id is reused by Python)."""

import datetime as dt
from pathlib import Path

import ivp.models.process.requests as mc
from ivp.domain.catalog import load_catalog
from ivp.domain.catalog.loader import Catalog
from ivp.models.process import GivenWindows, load_scenario
from tests.helpers.runs import one_replication
from tests.helpers.windows import single_window

ROOT = Path(__file__).resolve().parents[1]


def test_two_catalogues_differing_in_one_cost(monkeypatch):
    base = load_catalog()
    pid = base.ids[0]
    cheaper = base.get(pid).cost_eur / 2 + 1
    other = Catalog(tuple(p.model_copy(update={"cost_eur": cheaper}) if p.id == pid else p for p in base.provisions),
                    source="test override")
    # every object the same id, as when a freed catalogue's id is reused
    monkeypatch.setattr(mc, "id", lambda obj: 1, raising=False)
    scenario = load_scenario("protocol")
    cohort = GivenWindows(single_window(base.ids, {pid: (1, 1, 30)}, death=40), dt.date(2026, 1, 5))
    costs = []
    for catalog in (base, other, base):
        f = one_replication(scenario, cohort, 3, 0, catalog=catalog).frame
        costs.append(float(f.loc[f["provision_id"] == pid, "cost_eur"].iloc[0]))
    assert costs == [base.get(pid).cost_eur, cheaper, base.get(pid).cost_eur]

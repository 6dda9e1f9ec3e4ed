"""The Protocol vs praktijk page: the same patients under two routes, each outcome with its
spread over the replications."""

from __future__ import annotations

import pytest

from tests.helpers.apptest import open_app, texts


@pytest.fixture()
def at():
    at = open_app("compare")
    assert not at.exception, [e.value for e in at.exception]
    return at


def headline(at):
    return next(df.value for df in at.dataframe if "Uitkomst" in df.value.columns)


def test_two_routes_side_by_side_with_spread(at):
    assert not at.error
    table = headline(at)
    assert list(table.columns) == ["Uitkomst", "A: Protocol (IVP)", "B: Huidige praktijk",
                                   "Verschil B − A (95 %-BI)"]
    outcomes = set(table["Uitkomst"])
    for outcome in ("Gat tussen behoefte en levering, gemiddeld (dagen)", "Patiënten met een gat > 20 werkdagen",
                    "Geleverd na overlijden (per 100 patiënten)",
                    "Geleverd toen niet meer bruikbaar (per 100 patiënten)", "Kosten per patiënt (catalogusprijzen, met huur van leenhulpmiddelen)"):
        assert outcome in outcomes
    cost = table.set_index("Uitkomst").loc["Kosten per patiënt (catalogusprijzen, met huur van leenhulpmiddelen)", "A: Protocol (IVP)"]
    assert cost.startswith("€ ") and "(" in cost  # mean (P10 – P90)
    # five histograms of the headline outcomes, one chosen, and the per-provision bars
    assert len(at.get("plotly_chart")) == 7
    shown = texts(at)
    assert "95 %-BI" in shown and "P10–P90" in shown
    assert "Behoefte ná diagnose" in shown  # the > 20 werkdagen figure explained where it stands


def test_changing_a_route_changes_the_comparison(at):
    at.selectbox(key="compare.f.second").set_value("pgb")
    next(b for b in at.button if b.label == "Vergelijk").click().run()
    assert not at.exception and not at.error
    assert any(column.startswith("B: ") and "pgb" in column.lower() for column in headline(at).columns)


def test_same_route_twice_is_flagged_not_an_error(at):
    at.selectbox(key="compare.f.second").set_value("protocol")
    next(b for b in at.button if b.label == "Vergelijk").click().run()
    assert not at.exception
    assert any("twee verschillende routes" in w.value for w in at.warning)
    difference = headline(at).set_index("Uitkomst").loc["Kosten per patiënt (catalogusprijzen, met huur van leenhulpmiddelen)", "Verschil B − A (95 %-BI)"]
    assert difference.startswith("€ 0")


def test_other_outcome_can_be_chosen(at):
    before = len(at.get("plotly_chart"))
    at.selectbox(key="compare.other").set_value("wait_werkdagen_mean").run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == before
    assert "**Melding tot levering, gemiddeld (werkdagen)**" in [m.value for m in at.markdown]


def test_too_much_computing_is_a_message(at):
    at.number_input(key="compare.f.patients").set_value(2000)
    at.number_input(key="compare.f.replications").set_value(1000)
    next(b for b in at.button if b.label == "Vergelijk").click().run()
    assert not at.exception and not at.error
    assert any("veel rekenwerk" in w.value for w in at.warning)


def test_run_compare_is_batched_and_equals_one_run_per_scenario():
    """The page's computation draws the patients once for both routes (ivp.models.process's
    one run) and gives the rows of one run per scenario."""
    import pandas as pd

    from ivp.application.web import runs
    from ivp.domain.catalog import load_catalog
    from ivp.models.process import NewPatients, load_scenario, run

    catalog = load_catalog()
    scenarios = [load_scenario(n, catalog=catalog) for n in ("protocol", "current_practice")]
    shares = []
    compared = runs.run_compare(scenarios, 8, catalog, 28, seed=5, progress=shares.append)
    assert len(shares) == 20 and shares[-1] == 1.0
    for scenario, result in zip(scenarios, compared.results):
        alone = run(scenario, NewPatients(8), 28, seed=5, catalog=catalog)
        pd.testing.assert_frame_equal(result.kpis, alone.kpis)
        pd.testing.assert_frame_equal(result.summary, alone.summary)


def test_the_tables_download_as_excel_and_csv(at):
    labels = [b.label for b in at.get("download_button")]
    assert "Tabellen als Excel" in labels and "Tabellen als CSV (Excel NL)" in labels

"""The catalogue against the protocol's two tables (seed 001), to the euro and the werkdag."""

import pytest

from ivp.domain.catalog import (
    load_alternatives,
    load_catalog,
    load_norms,
    subtotals,
    totals,
)

# (id, name as printed in the protocol, financier, reuse, €, advice, decision, supplier, total)
PROTOCOL_ROWS = [
    ("vervoersvoorziening", "Vervoersvoorziening", "wmo", "clientgebonden", 10_000, 10, 15, 40, 65),
    ("toegankelijkheid_woning", "Toegankelijkheid woning", "wmo", "clientgebonden", 10_000, 10, 15, 40, 65),
    ("badkameraanpassingen", "Badkameraanpassingen", "wmo", "clientgebonden", 15_000, 10, 15, 40, 65),
    ("aanbouw_woning", "Aanbouw woning", "wmo", "clientgebonden", 20_000, 10, 30, 60, 100),
    ("zorgunit", "Zorgunit", "wmo", "herinzetbaar", 20_000, 10, 10, 40, 60),
    ("toilet_douche_fohn", "Toilet douche/föhninstallatie", "wmo", "herinzetbaar", 3_000, 10, 10, 20, 40),
    ("toiletlift", "Toiletlift", "wmo", "herinzetbaar", 5_000, 10, 10, 20, 40),
    ("autonome_tillift", "Autonome tillift", "wmo", "herinzetbaar", 10_000, 10, 10, 20, 40),
    ("actieve_tillift", "Actieve tillift", "wmo", "herinzetbaar", 3_000, 10, 10, 10, 30),
    ("passieve_tillift", "Passieve tillift", "wmo", "herinzetbaar", 3_000, 10, 10, 10, 30),
    ("plafondlift", "Plafondlift", "wmo", "herinzetbaar", 16_000, 10, 10, 40, 60),
    ("traplift", "Traplift", "wmo", "herinzetbaar", 6_000, 10, 10, 20, 40),
    ("driewielfiets", "Driewielfiets", "wmo", "herinzetbaar", 5_000, 10, 10, 20, 40),
    ("scootmobiel", "Scootmobiel (met joystick)", "wmo", "herinzetbaar", 7_000, 10, 10, 20, 40),
    ("elektrische_rolstoel", "Elektrische rolstoel", "wmo", "herinzetbaar", 30_000, 10, 10, 20, 40),
    ("ad_matras", "AD-matras", "zvw", "clientgebonden", 3_000, 10, 10, 20, 40),
    ("domotica", "Domotica", "zvw", "clientgebonden", 10_000, 10, 10, 40, 60),
    ("persoonsalarmering", "Persoonsalarmering", "zvw", "clientgebonden", 5_000, 10, 10, 20, 40),
    ("dynamische_ligorthese", "Dynamische ligorthese", "zvw", "clientgebonden", 1_000, 10, 10, 10, 30),
    ("spalken", "Spalken", "zvw", "herinzetbaar", 2_000, 10, 10, 10, 30),
    ("nekkraag", "Nek/halskraag e.d.", "zvw", "herinzetbaar", 1_000, 10, 10, 10, 30),
    ("trippelstoel", "Trippelstoel", "zvw", "herinzetbaar", 5_000, 10, 10, 10, 30),
    ("sta_op_stoel", "Sta-op-stoel", "zvw", "herinzetbaar", 8_000, 10, 10, 10, 30),
    ("sta_tafel", "Sta-tafel", "zvw", "herinzetbaar", 3_000, 10, 10, 10, 30),
    ("computeraanpassingen", "Computeraanpassingen", "zvw", "herinzetbaar", 1_000, 10, 10, 20, 40),
    ("spraakcomputer", "Spraakcomputer", "zvw", "herinzetbaar", 20_000, 10, 10, 20, 40),
    ("armondersteuning", "Armondersteuning", "zvw", "herinzetbaar", 20_000, 10, 10, 20, 40),
    ("eetrobot", "Eetrobot", "zvw", "herinzetbaar", 12_000, 10, 10, 20, 40),
    ("beademingsapparatuur", "Beademingsapparatuur", "zvw", "herinzetbaar", 20_000, 10, 10, 20, 40),
    ("noodstroom", "Noodstroom", "zvw", "herinzetbaar", 5_000, 10, 10, 20, 40),
    ("slijmuitzuigapparatuur", "Slijmuitzuigapparatuur", "zvw", "herinzetbaar", 15_000, 10, 10, 20, 40),
    ("vernevelaar", "Vernevelaar", "zvw", "herinzetbaar", 5_000, 10, 10, 20, 40),
    ("hoog_laagbed", "Hoog-laagbed", "zvw", "herinzetbaar", 15_000, 10, 10, 20, 40),
    ("elektrisch_wentellaken", "Elektrisch wentellaken", "zvw", "herinzetbaar", 8_000, 10, 10, 20, 40),
]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_the_catalogue_has_the_protocols_34_rows_in_its_order(catalog):
    """The protocol's two tables, row for row, and one provision its rules name but its
    tables do not list (collective transport, rule 3d), marked as such."""
    table = [p for p in catalog if p.protocol_table]
    assert tuple(p.id for p in table) == tuple(row[0] for row in PROTOCOL_ROWS)
    assert sum(p.financier == "wmo" for p in table) == 15
    assert sum(p.financier == "zvw" for p in table) == 19
    extra = [p for p in catalog if not p.protocol_table]
    assert [p.id for p in extra] == ["collectief_vervoer"]
    assert "rule 3d" in extra[0].source and "ASSUMPTION" in extra[0].source


@pytest.mark.parametrize("row", PROTOCOL_ROWS, ids=[row[0] for row in PROTOCOL_ROWS])
def test_every_row_matches_the_protocol(catalog, row):
    pid, name, financier, reuse, cost, advice, decision, supplier, total = row
    p = catalog.get(pid)
    assert p.name_nl.startswith(name)
    assert (p.financier, p.reuse, p.cost_eur) == (financier, reuse, cost)
    assert (p.sla.advice, p.sla.decision, p.sla.supplier, p.sla.total) == (advice, decision, supplier, total)
    assert p.name_en and p.chain and "seed 001" in p.source


def test_delivery_kind_follows_the_supplier_sla(catalog):
    kind = {10: "no_lead_time", 20: "lead_time", 40: "single_adaptation", 60: "multiple_adaptation"}
    assert all(p.delivery == kind[p.sla.supplier] for p in catalog)


def test_four_subtotals_reproduce_the_protocol(catalog):
    found = {(s.financier, s.reuse): s for s in subtotals(catalog)}
    assert found["wmo", "clientgebonden"].maximum == 55_000
    assert found["wmo", "herinzetbaar"].maximum == 108_000
    assert found["zvw", "clientgebonden"].maximum == 19_000
    assert found["zvw", "herinzetbaar"].maximum == 140_000
    for s in found.values():
        assert s.maximum == s.protocol_high


def test_lower_ends_come_from_the_declared_alternatives_not_from_the_protocol(catalog):
    found = {(s.financier, s.reuse): s for s in subtotals(catalog)}
    assert found["wmo", "clientgebonden"].lower_end == 35_000 == found["wmo", "clientgebonden"].protocol_low
    assert [p.id for p in found["wmo", "clientgebonden"].dropped] == ["aanbouw_woning"]
    # the cheapest member of each group is kept: not the protocol's 75,000, and said so
    assert found["wmo", "herinzetbaar"].lower_end == 69_000
    assert found["wmo", "herinzetbaar"].protocol_low == 75_000
    assert "69,000" in found["wmo", "herinzetbaar"].note("en")
    assert "69.000" in found["wmo", "herinzetbaar"].note("nl")
    assert found["zvw", "herinzetbaar"].lower_end == 140_000
    assert found["zvw", "herinzetbaar"].protocol_low == 95_000


def test_totals_beside_the_protocols_about_150000(catalog):
    found = {t.financier: t for t in totals(catalog)}
    assert found["wmo"].maximum == 163_000 and found["zvw"].maximum == 159_000
    assert found["wmo"].protocol_about == found["zvw"].protocol_about == 150_000


def test_alternatives_name_catalogue_provisions(catalog):
    groups = {g.id: g for g in load_alternatives(catalog).groups}
    assert groups["woonvorm"].members == ("aanbouw_woning", "zorgunit")
    assert groups["woonvorm"].allow_none


def test_process_norms_with_sources():
    norms = load_norms()
    expected = {
        "melding_handling": (10, "werkdagen"), "fitting": (5, "werkdagen"),
        "delivery_no_lead_time": (10, "werkdagen"), "delivery_lead_time": (30, "werkdagen"),
        "single_adaptation": (40, "werkdagen"), "multiple_adaptation": (60, "werkdagen"),
        "wmo_investigation": (6, "weeks"), "wmo_decision": (2, "weeks"),
        "supplier_contact": (5, "werkdagen"),
    }
    for name, (limit, unit) in expected.items():
        norm = getattr(norms, name)
        assert (norm.limit, norm.unit) == (limit, unit)
        assert "seed" in norm.source or "Wmo 2015" in norm.source
    assert norms.supplier_norm("lead_time").limit == 30


def test_financier_and_reuse_codes_have_one_source():
    from typing import get_args

    from ivp.domain.catalog import FINANCIERS, REUSE_CLASSES
    from ivp.domain.catalog.schema import Financier, Reuse

    assert get_args(Financier) == FINANCIERS and get_args(Reuse) == REUSE_CLASSES

"""Bad catalogue and override files are refused with one message naming file, row and field."""

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from ivp.domain.catalog import load_catalog, template_csv, template_xlsx, write_template
from ivp.domain.catalog.loader import CATALOG_COLUMNS
from ivp.domain.errors import InputError

CATALOG_CSV = Path(__file__).parents[1] / "ivp" / "domain" / "catalog" / "provisions.csv"


def catalogue_with(tmp_path, edit, name="catalogue.csv"):
    """A copy of the protocol's catalogue with ``edit(lines)`` applied."""
    lines = CATALOG_CSV.read_text(encoding="utf-8").splitlines()
    edit(lines)
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def replace_cell(lines, row, column, value):
    """Replace a cell in spreadsheet row ``row`` (header = 1) of the catalogue."""
    import csv
    import io

    cells = next(csv.reader([lines[row - 1]]))
    cells[CATALOG_COLUMNS.index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    lines[row - 1] = buffer.getvalue()


def refused(path_or_call, **kwargs):
    with pytest.raises(InputError) as caught:
        if callable(path_or_call):
            path_or_call()
        else:
            load_catalog(path_or_call, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    "column, value, words",
    [
        ("cost_eur", "-5", "must be at least 0"),
        ("cost_eur", "duur", "not an amount in euros"),
        ("cost_eur", "10.000", "thousands separators"),
        ("sla_supplier", "", "sla_supplier"),
        ("sla_advice", "-1", "must be at least 0"),
        ("sla_decision", "2.5", "not a whole number"),
        ("sla_total", "41", "not the sum of its phases"),
        ("financier", "wlz", "'wmo' or 'zvw'"),
        ("reuse", "tweedehands", "'clientgebonden' or 'herinzetbaar'"),
        ("delivery", "express", "no_lead_time"),
    ],
)
def test_a_bad_cell_is_refused_naming_file_row_and_field(tmp_path, column, value, words):
    path = catalogue_with(tmp_path, lambda lines: replace_cell(lines, 5, column, value))
    error = refused(path)
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert (problem.source, problem.row, problem.field) == ("catalogue.csv", 5, column)
    assert words in str(error)


def test_duplicate_id_names_both_rows(tmp_path):
    path = catalogue_with(tmp_path, lambda lines: replace_cell(lines, 7, "id", "aanbouw_woning"))
    error = refused(path)
    assert [(p.row, p.field) for p in error.problems] == [(7, "id")]
    assert "first on row 6" in str(error)


def test_wrong_columns_are_refused_before_any_row(tmp_path):
    def rename(lines):
        lines[0] = lines[0].replace("cost_eur", "prijs")

    error = refused(catalogue_with(tmp_path, rename))
    fields = {p.field for p in error.problems}
    assert fields == {"prijs", "cost_eur"}
    assert all(p.row == 1 for p in error.problems)


def test_all_problems_are_reported_together_and_nothing_is_loaded(tmp_path):
    def two_errors(lines):
        replace_cell(lines, 3, "cost_eur", "-1")
        replace_cell(lines, 30, "financier", "gemeente")

    error = refused(catalogue_with(tmp_path, two_errors))
    assert [(p.row, p.field) for p in error.problems] == [(3, "cost_eur"), (30, "financier")]


def test_unknown_file_type_and_missing_file(tmp_path):
    (tmp_path / "catalogue.txt").write_text("id\n")
    assert "unsupported file type" in str(refused(tmp_path / "catalogue.txt"))
    assert "file not found" in str(refused(tmp_path / "missing.csv"))


def test_semicolon_separated_csv_from_dutch_excel_loads(tmp_path):
    text = CATALOG_CSV.read_text(encoding="utf-8")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows(rows)
    path = tmp_path / "puntkomma.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    assert len(load_catalog(path)) == 35


# --- local overrides -------------------------------------------------------------------


def write_overrides(tmp_path, text, name="tarieven.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_overrides_replace_prices_and_sla_and_say_which_fields(tmp_path):
    path = write_overrides(tmp_path, "id,cost_eur,sla_supplier\ntraplift,7500,30\nspalken,1800,\n")
    catalog = load_catalog(overrides=path)
    stairlift = catalog.get("traplift")
    assert stairlift.cost_eur == 7500
    assert (stairlift.sla.supplier, stairlift.sla.total) == (30, 50)  # total derived from phases
    assert catalog.overridden["traplift"] == ("cost_eur", "sla_supplier", "sla_total")
    assert catalog.overridden["spalken"] == ("cost_eur",)
    assert "eetrobot" not in catalog.overridden
    assert catalog.get("eetrobot") == load_catalog().get("eetrobot")


@pytest.mark.parametrize(
    "text, row, field, words",
    [
        ("id,cost_eur\nlift_naar_boven,100\n", 2, "id", "unknown provision"),
        ("id,cost_eur\ntraplift,100\ntraplift,200\n", 3, "id", "duplicate id"),
        ("id,cost_eur\ntraplift,-100\n", 2, "cost_eur", "must be at least 0"),
        ("id,cost_eur\ntraplift,veel\n", 2, "cost_eur", "not an amount"),
        ("id,sla_supplier,sla_total\ntraplift,30,40\n", 2, "sla_total", "not the sum"),
        ("id,sla_advice\ntraplift,-3\n", 2, "sla_advice", "must be at least 0"),
        ("id,name_nl,cost_eur\ntraplift,Huislift,100\n", 2, "name_nl", "names cannot be overridden"),
        ("id,kleur\ntraplift,rood\n", 1, "kleur", "unknown column"),
        ("cost_eur\n100\n", 1, "id", "required column is missing"),
    ],
)
def test_bad_overrides_are_refused(tmp_path, text, row, field, words):
    error = refused(lambda: load_catalog(overrides=write_overrides(tmp_path, text)))
    assert any(
        (p.source, p.row, p.field) == ("tarieven.csv", row, field) and words in p.message for p in error.problems
    ), str(error)


def test_excel_overrides_and_their_errors(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["id", "cost_eur", "sla_decision"])
    sheet.append(["elektrische_rolstoel", 27500, 8])
    sheet.append(["scootmobiel", "gratis", None])
    path = tmp_path / "tarieven.xlsx"
    workbook.save(path)
    error = refused(lambda: load_catalog(overrides=path))
    assert [(p.source, p.row, p.field) for p in error.problems] == [("tarieven.xlsx", 3, "cost_eur")]
    sheet.delete_rows(3)
    workbook.save(path)
    catalog = load_catalog(overrides=path)
    assert catalog.get("elektrische_rolstoel").cost_eur == 27500
    assert catalog.get("elektrische_rolstoel").sla.total == 38


def test_a_file_that_is_not_a_workbook(tmp_path):
    path = write_overrides(tmp_path, "not excel", name="kapot.xlsx")
    assert "not a readable Excel workbook" in str(refused(lambda: load_catalog(overrides=path)))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_template_round_trips_unchanged(tmp_path, suffix):
    catalog = load_catalog()
    path = write_template(catalog, tmp_path / f"template{suffix}")
    reloaded = load_catalog(overrides=path)
    assert reloaded.provisions == catalog.provisions
    assert dict(reloaded.overridden) == {}


def test_template_contents():
    lines = template_csv(load_catalog()).splitlines()
    assert lines[0] == (
        "id,name_nl,cost_eur,sla_advice,sla_decision,sla_supplier,sla_total,acquisition,rent_eur_month,"
        "rent_min_months,maintenance_eur_year,adaptation_eur,own_contribution,price_year"
    )
    # what a user edits and reads back: whole euros, ja/nee, empty for no rent
    assert lines[1] == "vervoersvoorziening,Vervoersvoorziening (aanpassing bus),10000,10,15,40,65,purchase,,1,0,0,ja,2022"
    import io

    sheet = load_workbook(io.BytesIO(template_xlsx(load_catalog()))).active
    assert sheet.max_row == 36 and sheet.cell(2, 1).value == "vervoersvoorziening"


# --- the life cycle: buying or renting, upkeep, own contribution, price level ------------


def test_the_protocol_catalogue_carries_its_life_cycle_with_reasons():
    catalog = load_catalog()
    for p in catalog:
        assert p.lifecycle_source, p.id
        assert p.acquisition == "purchase"  # the protocol's tables give one-off prices
        assert p.price_year == 2022
    chair = catalog.get("elektrische_rolstoel")
    assert chair.own_contribution is False  # none for a wheelchair (seed 001, lines 707-708)
    assert chair.adaptation_eur > 0 and chair.rent_eur_month > 0
    assert catalog.get("traplift").own_contribution is True
    assert not any(p.own_contribution for p in catalog if p.financier == "zvw")
    assert catalog.get("badkameraanpassingen").rent_eur_month is None  # an adaptation is bought


def test_a_municipality_switches_a_provision_to_rent_in_an_override(tmp_path):
    catalog = load_catalog(overrides=write_overrides(tmp_path, "id;acquisition;rent_eur_month\ntraplift;huur;140\n"))
    stairlift = catalog.get("traplift")
    assert (stairlift.acquisition, stairlift.rent_eur_month) == ("rent", 140.0)
    assert catalog.overridden["traplift"] == ("acquisition", "rent_eur_month")


@pytest.mark.parametrize(("text", "field", "words"), [
    ("id,acquisition\nbadkameraanpassingen,rent\n", "rent_eur_month", "monthly rent"),
    ("id,acquisition\ntraplift,lease\n", "acquisition", "purchase (koop) or rent (huur)"),
    ("id,own_contribution\nspalken,ja\n", "own_contribution", "Wmo provisions only"),
    ("id,price_year\ntraplift,1850\n", "price_year", "1990"),
    ("id,maintenance_eur_year\ntraplift,-5\n", "maintenance_eur_year", "0"),
])
def test_bad_life_cycle_overrides_are_refused_naming_row_and_field(tmp_path, text, field, words):
    error = refused(lambda: load_catalog(overrides=write_overrides(tmp_path, text)))
    message = str(error)
    assert "tarieven.csv, row 2" in message and f"'{field}'" in message and words in message

"""The Catalogus page: table, subtotals beside the protocol, overrides, bad uploads."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.helpers.apptest import open_app, shown, texts


@pytest.fixture()
def at():
    return open_app("catalog")


def provisions_table(at):
    return next(df.value for df in at.dataframe if "Voorziening" in df.value.columns or "Provision" in df.value.columns)


def subtotals_table(at):
    return next(df.value for df in at.dataframe if "Budget" in df.value.columns)


def test_renders_every_provision_in_dutch(at):
    assert not at.exception
    assert at.title[0].value == "Catalogus van voorzieningen"
    table = provisions_table(at)
    assert len(table) == 35  # the protocol's 34 rows and collective transport (rule 3d)
    stairlift = table[table["id"] == "traplift"].iloc[0]
    assert stairlift["Kosten"] == "€ 6.000"
    assert stairlift["Soort"] == "herinzetbaar"
    assert stairlift["Totaal werkdagen"] == "40"


def test_subtotals_beside_the_protocol_with_notes(at):
    table = subtotals_table(at).set_index("Budget")
    assert table.loc["Wmo herinzetbaar", "Maximum (berekend)"] == "€ 108.000"
    assert table.loc["Wmo herinzetbaar", "Protocol"] == "€ 75.000 – € 108.000"
    assert table.loc["Wmo cliëntgebonden", "Ondergrens (berekend)"] == "€ 35.000"
    assert table.loc["Zvw cliëntgebonden", "Protocol"] == "€ 19.000"
    shown = texts(at)
    assert "aanbouw" in shown.lower()  # the Dutch note on the lower end
    assert "Protocol hulpmiddelen (seed 001)" in shown  # each figure's source


def test_filter_changes_the_table(at):
    at.segmented_control(key="catalog.filter").set_value("wmo").run()
    table = provisions_table(at)
    assert set(table["Financier"]) == {"Wmo"}
    assert len(table) == 16


def test_template_downloads(at):
    labels = [button.label for button in at.get("download_button")]
    assert "Sjabloon (CSV)" in labels and "Sjabloon (Excel)" in labels


def test_override_upload_marks_changed_fields_and_changes_subtotals(at):
    content = b"id,cost_eur\ntraplift,7500\n"
    at.file_uploader[0].set_value(("eigen_prijzen.csv", content, "text/csv")).run()
    assert not at.exception
    assert not at.error
    table = provisions_table(at)
    stairlift = table[table["id"] == "traplift"].iloc[0]
    assert stairlift["Kosten"] == "€ 7.500 ✎"
    assert stairlift["Lokaal aangepast"] == "kosten"
    assert "eigen_prijzen.csv" in texts(at)
    assert subtotals_table(at).set_index("Budget").loc["Wmo herinzetbaar", "Maximum (berekend)"] == "€ 109.500"
    # the overrides outlive the page: back from another page they still apply
    at.switch_page("ivp/application/web/pages/about.py").run()
    at.switch_page("ivp/application/web/pages/catalog.py").run()
    assert provisions_table(at).set_index("id").loc["traplift", "Kosten"] == "€ 7.500 ✎"
    # and a reset returns to the protocol's catalogue
    next(b for b in at.button if b.label.startswith("Terug naar")).click().run()
    assert provisions_table(at).set_index("id").loc["traplift", "Kosten"] == "€ 6.000"


def test_override_from_excel(at):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["id", "sla_supplier"])
    sheet.append(["elektrische_rolstoel", 30])
    buffer = io.BytesIO()
    workbook.save(buffer)
    at.file_uploader[0].set_value(("eigen.xlsx", buffer.getvalue(), "application/octet-stream")).run()
    assert not at.error
    row = provisions_table(at).set_index("id").loc["elektrische_rolstoel"]
    assert row["Leverancier"] == "30 ✎"
    assert row["Totaal werkdagen"] == "50 ✎"


def test_bad_upload_names_row_and_field_in_dutch(at):
    content = b"id,cost_eur\ntraplift,-5\nbestaat_niet,100\ntraplift,10.000\n"
    at.file_uploader[0].set_value(("eigen_prijzen.csv", content, "text/csv")).run()
    assert not at.exception
    assert "eigen_prijzen.csv is niet gebruikt" in shown(at.error[0].value)
    problems = next(df.value for df in at.dataframe if "Rij" in df.value.columns)
    found = set(zip(problems["Rij"], problems["Veld"]))
    assert {("2", "cost_eur"), ("3", "id"), ("4", "id")} <= found
    messages = " ".join(problems["Probleem"])
    assert "onbekende voorziening 'bestaat_niet'" in messages
    assert "komt twee keer voor" in messages
    # nothing loaded half: the protocol's figures stay in use
    assert provisions_table(at).set_index("id").loc["traplift", "Kosten"] == "€ 6.000"


@pytest.mark.parametrize(
    "name,content,expected",
    [
        ("leeg.csv", b"", "leeg"),
        ("kapot.xlsx", b"dit is geen excel", "geen leesbaar Excel-bestand"),
        ("latin1.csv", "id,name_nl,cost_eur\ntraplift,Traplift é,5000\n".encode("cp1252"), "UTF-8"),
        ("kolommen.csv", b"naam,prijs\nx,1\n", "verplichte kolom"),
    ],
)
def test_unreadable_uploads_get_a_message_not_a_traceback(at, name, content, expected):
    at.file_uploader[0].set_value((name, content, "application/octet-stream")).run()
    assert not at.exception
    shown = texts(at) + " ".join(" ".join(df.value.astype(str).agg(" ".join, axis=1)) for df in at.dataframe)
    assert expected in shown
    assert len(provisions_table(at)) == 35


def test_too_large_upload_is_refused(at):
    content = b"id,cost_eur\n" + b"traplift,6000\n" * 200_000
    at.file_uploader[0].set_value(("groot.csv", content, "text/csv")).run()
    assert not at.exception
    assert any("te groot" in e.value for e in at.error)


def test_english(at):
    at.segmented_control(key="lang").set_value("en").run()
    assert at.title[0].value == "Catalogue of provisions"
    table = provisions_table(at)
    assert "Stairlift" in set(table["Provision"])
    assert "€6,000" in set(table["Cost"])

"""The Gemeente page: inhabitants and a caseload upload give the reserve per year."""

from __future__ import annotations

import pytest

from ivp.application.examples import EXAMPLES_DIR
from tests.helpers.apptest import click, metrics, open_app, shown, texts


@pytest.fixture()
def at():
    at = open_app("reserve")
    assert not at.exception, [e.value for e in at.exception]
    return at


def year_table(at):
    return next(df.value for df in at.dataframe if "Jaar" in df.value.columns)


def submit(at):
    return click(at, "Bereken de reserve")


def test_reserve_per_year_with_depot(at):
    assert not at.error
    table = year_table(at)
    assert len(table) == 5 + 1  # five years and the total
    assert table["Jaar"].iloc[-1] == "totaal"
    assert table["Wmo-uitgaven P50 (P90)"].iloc[0].startswith("€ ")
    m = metrics(at)
    assert m["Nieuwe cliënten per jaar (verwacht)"] == "2,8"  # 2.77 per 100,000 inhabitants
    assert m["Reserve eerste jaar (P90)"].startswith("€ ")
    assert len(at.get("plotly_chart")) == 4  # reserve, flows, depot stock, depot savings
    assert "Reserveregel" in texts(at)


def test_inhabitants_change_the_reserve(at):
    at.number_input(key="reserve.f.inhabitants").set_value(50_000)
    at.number_input(key="reserve.f.years").set_value(3)
    submit(at)
    assert not at.error
    assert metrics(at)["Nieuwe cliënten per jaar (verwacht)"] == "1,4"
    assert len(year_table(at)) == 3 + 1


def test_no_inhabitants_no_clients_is_a_message(at):
    at.number_input(key="reserve.f.inhabitants").set_value(0)
    submit(at)
    assert not at.exception and not at.error
    assert any("Geen cliënten in deze periode" in i.value for i in at.info)


def test_caseload_upload_waits_for_the_button_then_adds_current_clients(at):
    """A picked file is used only with "Bereken": no computation at unsubmitted settings."""
    content = (EXAMPLES_DIR / "caseload.csv").read_bytes()
    at.file_uploader[0].set_value(("caseload.csv", content, "text/csv")).run()
    assert "7 huidige cliënten" not in texts(at)  # not yet submitted
    at.file_uploader[0].set_value(("caseload.csv", content, "text/csv"))  # a form's pending value goes with the button
    submit(at)
    assert not at.exception and not at.error
    assert any("huidige cliënten" in s.value for s in at.success)
    assert "7 huidige cliënten" in texts(at)


def test_bad_caseload_names_row_and_field_and_shows_no_reserve(at):
    content = (b"client_id,diagnosis_date,provisions_in_use\n"
               b"A-1,2099-01-01,\n"
               b"A-2,2025-02-01,vliegende_stoel\n"
               b"A-1,2025-03-01,\n")
    at.file_uploader[0].set_value(("clienten.csv", content, "text/csv"))
    submit(at)
    assert not at.exception
    assert "clienten.csv is niet gebruikt" in shown(at.error[0].value)
    problems = next(df.value for df in at.dataframe if "Veld" in df.value.columns)
    found = set(zip(problems["Rij"], problems["Veld"]))
    assert {("2", "diagnosis_date"), ("3", "provisions_in_use"), ("4", "client_id")} <= found
    assert not any("Jaar" in df.value.columns for df in at.dataframe)  # no reserve beneath a refused file
    assert any("niet gebruikt" in w.value for w in at.warning)


def test_the_reserve_shows_its_monte_carlo_error_and_the_precision(at):
    table = year_table(at)
    assert table["Reserve: 95 %-BI"].iloc[0].count("€") == 2
    assert any("95 % zekerheid" in i.value for i in at.info)
    assert "niet de som van de jaarlijkse reserves" in texts(at)


def test_both_routes_side_by_side_with_their_difference(at):
    at.selectbox(key="reserve.f.compare").set_value("current_practice")
    submit(at)
    assert not at.error
    comparison = next(df.value for df in at.dataframe if "Verschil reserve (B − A)" in df.value.columns)
    assert len(comparison) == 6 and comparison["Verschil reserve (B − A)"].iloc[0].startswith("€")


def test_own_incidence_changes_the_new_clients(at):
    at.number_input(key="reserve.f.incidence").set_value(5.54)
    submit(at)
    assert metrics(at)["Nieuwe cliënten per jaar (verwacht)"] == "5,5"


def test_the_council_summary_and_the_templates_download(at):
    labels = [b.label for b in at.get("download_button")]
    assert "Samenvatting voor de raad (PDF, 1 pagina)" in labels and "Leeg sjabloon (Excel)" in labels


def test_too_much_computing_is_a_message(at):
    at.number_input(key="reserve.f.inhabitants").set_value(18_000_000)
    at.number_input(key="reserve.f.years").set_value(15)
    at.number_input(key="reserve.f.replications").set_value(1000)
    submit(at)
    assert not at.exception and not at.error
    assert any("veel rekenwerk" in w.value for w in at.warning)


def kinds_table(at):
    return next(df.value for df in at.dataframe if "Wmo huur" in df.value.columns)


def test_renting_in_a_local_override_changes_the_reserve_by_cost_kind():
    """A municipality that rents its stairlifts and scooters (an override on the catalogue
    page) sees rent instead of purchases in the Gemeente page's spending by kind."""
    at = open_app("catalog")
    content = b"id,acquisition\ntraplift,huur\nscootmobiel,huur\n"
    at.file_uploader[0].set_value(("huur.csv", content, "text/csv")).run()
    assert not at.error
    at.switch_page("ivp/application/web/pages/reserve.py").run()
    assert not at.exception and not at.error
    rented = kinds_table(at).set_index("Jaar").loc["totaal"]
    bought = kinds_table(open_app("reserve")).set_index("Jaar").loc["totaal"]  # a session without the override

    def euros(text):
        return float(text.replace("€", "").replace(".", "").replace(",", ".").strip())

    assert euros(rented["Wmo huur"]) > euros(bought["Wmo huur"])
    assert euros(rented["Wmo aanschaf"]) < euros(bought["Wmo aanschaf"])
    assert "Eigen bijdrage" in rented.index and "Wlz-opnames" in rented.index

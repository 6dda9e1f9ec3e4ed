"""`ivp plan` and `ivp reserve` as a user runs them: tables, JSON, exports and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ivp.application.cli.main import app
from ivp.application.examples import EXAMPLES_DIR
from ivp.models.process.scenario import SHIPPED_DIR

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = EXAMPLES_DIR
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_plan_table_in_dutch_with_the_protocols_figures(tmp_path):
    result = invoke("plan", "--profile", EXAMPLES / "oud_bulbair_alleen.yaml", "--replications", 200,
                    "--xlsx", tmp_path / "plan.xlsx", "--pdf", tmp_path / "plan.pdf")
    assert result.exit_code == 0, result.output
    for text in ("Aanvragen uiterlijk", "Spraakcomputer", "€ 35.000 – € 55.000", "ca. € 150.000",
                 "Nog gereserveerd", "Diagnose 01-10-2026"):
        assert text in result.output, text
    assert (tmp_path / "plan.xlsx").stat().st_size > 0 and (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")


def test_plan_json_is_machine_readable():
    result = invoke("plan", "--profile", EXAMPLES / "oud_bulbair_alleen.yaml", "--replications", 100, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["replications"] == 100 and data["diagnosis_date"] == "2026-10-01"
    first = data["plan"][0]
    assert {"provision_id", "probability", "need_p50", "request_by", "expected_cost_eur"} <= set(first)
    assert isinstance(first["cost_eur"], float)
    assert {r["reuse"] for r in data["budget"]} == {"clientgebonden", "herinzetbaar", "totaal"}


def test_reserve_with_zero_inhabitants_is_an_empty_result():
    result = invoke("reserve", "--inwoners", 0, "--years", 3, "--replications", 5)
    assert result.exit_code == 0, result.output
    assert "Geen cliënten" in result.output
    data = json.loads(invoke("reserve", "--inwoners", 0, "--years", 3, "--replications", 5, "--format", "json").output)
    assert [row["wmo_outlay_p50"] for row in data["per_year"]] == [0, 0, 0, 0]


def test_reserve_table_with_a_caseload_and_a_comparison():
    result = invoke("reserve", "--inwoners", 50000, "--years", 2, "--replications", 20, "--caseload",
                    EXAMPLES / "caseload.csv", "--compare", SHIPPED_DIR / "current_practice.yaml",
                    "--start", "2027-01-01")
    assert result.exit_code == 0, result.output
    for text in ("Reserveregel", "2027", "2028", "totaal", "Vergelijking met scenario", "7 bestaande cliënten"):
        assert text in result.output, text


def test_bad_input_is_a_message_naming_the_field_not_a_traceback(tmp_path):
    bad = tmp_path / "clients.csv"
    bad.write_text("client_id,diagnosis_date,count\na,2025-01-01,-2\n", encoding="utf-8")
    for args, words in [
        (("reserve", "--inwoners", -5, "--years", 2), "inwoners"),
        (("reserve", "--inwoners", 1000, "--years", 0), "years"),
        (("reserve", "--inwoners", 1000, "--years", 2, "--caseload", bad), "clients.csv, row 2, field 'count'"),
        (("reserve", "--inwoners", 1000, "--years", 2, "--start", "1-1-27"), "start"),
        (("reserve", "--inwoners", 1000, "--years", 2, "--staff", 0), "staff"),
        (("plan", "--profile", EXAMPLES / "langzaam.yaml", "--rent", "vliegtuig"), "vliegtuig"),
        (("plan", "--profile", EXAMPLES / "langzaam.yaml", "--replications", 0), "replications"),
        (("plan", "--profile", tmp_path / "missing.yaml"), "missing.yaml"),
    ]:
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.output)
        assert words in result.output, (args, result.output)
        assert "Traceback" not in result.output


def test_limited_staff_makes_requests_wait():
    def gap(*extra):
        out = invoke("reserve", "--inwoners", 300000, "--years", 2, "--replications", 8, "--start", "2027-01-01",
                     "--format", "json", *extra)
        assert out.exit_code == 0, out.output
        return json.loads(out.output)["per_year"][1]["gap_days_mean"]

    assert gap("--staff", 1) > gap()


def test_a_local_override_switches_provisions_to_rent_in_the_reserve_and_its_workbook(tmp_path):
    """`ivp reserve --overrides`: the municipality's own life cycle; the outlay moves from
    purchase to rent in the table, the JSON and the Excel export."""
    overrides = tmp_path / "huur.csv"
    overrides.write_text("id;acquisition\ntraplift;huur\nscootmobiel;huur\n", encoding="utf-8")
    args = ("reserve", "--inwoners", 100_000, "--years", 3, "--replications", 20, "--start", "2027-01-01")
    bought = json.loads(invoke(*args, "--format", "json").output)["per_year"][-1]
    result = invoke(*args, "--overrides", overrides, "--format", "json", "--xlsx", tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    rented = json.loads(result.output)["per_year"][-1]
    assert rented["wmo_outlay_rent_mean"] > bought["wmo_outlay_rent_mean"]
    assert rented["wmo_outlay_purchase_mean"] < bought["wmo_outlay_purchase_mean"]
    for row in (bought, rented):
        parts = sum(row[f"wmo_outlay_{k}_mean"] for k in ("purchase", "rent", "maintenance"))
        assert abs(parts - row["wmo_outlay_mean"]) < 0.05  # rounded to cents in the JSON
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "r.xlsx")["Reserve per jaar"]
    header = [c.value for c in sheet[3]]
    total = [c.value for c in sheet[sheet.max_row]]
    assert total[header.index("Wmo huur (gem.)")] > 0
    table = invoke(*args, "--overrides", overrides).output
    assert "Uitgaven naar soort" in table and "eigen bijdrage" in table
    bad = invoke(*args, "--overrides", tmp_path / "missing.csv")
    assert bad.exit_code == 2 and "missing.csv" in bad.output and "Traceback" not in bad.output

"""`ivp catalog` as a user runs it: table, JSON, CSV, overrides, template and bad input."""

import csv
import io
import json

from typer.testing import CliRunner

from ivp.application.cli.main import app

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, ["catalog", *args])


def test_table_prints_subtotals_in_dutch_format():
    result = invoke()
    assert result.exit_code == 0, result.output
    for text in ("€ 108.000", "€ 55.000", "€ 19.000", "€ 140.000", "€ 35.000 – € 55.000", "Traplift"):
        assert text in result.output
    assert "cliëntgebonden" in result.output


def test_json_has_the_documented_fields():
    result = invoke("--format", "json")
    assert result.exit_code == 0
    records = json.loads(result.output)
    assert len(records) == 35
    stairlift = next(r for r in records if r["id"] == "traplift")
    assert stairlift["name_nl"] == "Traplift" and stairlift["name_en"] == "Stairlift"
    assert (stairlift["financier"], stairlift["reuse"], stairlift["cost_eur"]) == ("wmo", "herinzetbaar", 6000)
    assert stairlift["sla_werkdagen"] == {"advice": 10, "decision": 10, "supplier": 20, "total": 40}


def test_csv_has_one_row_per_provision():
    result = invoke("--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 35
    assert rows[4]["id"] == "aanbouw_woning" and rows[4]["sla_total"] == "100"


def test_overrides_are_applied_and_marked(tmp_path):
    path = tmp_path / "eigen.csv"
    path.write_text("id,cost_eur\nelektrische_rolstoel,27500\n", encoding="utf-8")
    result = invoke("--overrides", str(path), "--format", "json")
    wheelchair = next(r for r in json.loads(result.output) if r["id"] == "elektrische_rolstoel")
    assert wheelchair["cost_eur"] == 27500 and wheelchair["overridden"] == ["cost_eur"]
    table = invoke("--overrides", str(path)).output
    assert "€ 27.500*" in table and "lokaal aangepast" in table


def test_bad_overrides_give_a_message_not_a_traceback(tmp_path):
    path = tmp_path / "eigen.csv"
    path.write_text("id,cost_eur\nelektrische_rolstoel,-1\n", encoding="utf-8")
    result = invoke("--overrides", str(path))
    assert result.exit_code == 2
    assert "eigen.csv, row 2, field 'cost_eur'" in result.output
    assert "Traceback" not in result.output


def test_template_is_written(tmp_path):
    result = invoke("--template", str(tmp_path / "sjabloon.xlsx"))
    assert result.exit_code == 0 and (tmp_path / "sjabloon.xlsx").stat().st_size > 0

"""`ivp register` as a user runs it, on SQLite and on PostgreSQL: create, import a Dutch
spreadsheet, record, report, feed `ivp reserve`, export and restore; bad input as a message."""

from __future__ import annotations

import json

import openpyxl
import pytest
from typer.testing import CliRunner

from ivp.application.cli.main import app
from ivp.application.examples import EXAMPLES_DIR
from ivp.application.register.database import connect
from ivp.application.register.exchange import dump

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def ok(*args):
    result = invoke(*args)
    assert result.exit_code == 0, f"ivp {' '.join(map(str, args))}\n{result.output}"
    return result.output


DUTCH_CASELOAD = (
    "client_id;diagnosis_date;provisions_in_use;age_at_onset;onset_site;fvc_percent;bedroom_or_bathroom_upstairs\n"
    "GEM-1;14-03-2025;traplift;63,5;benen;81,5;ja\n"
    "GEM-2;02-06-2025;;58;bulbair;;nee\n"
    "GEM-3;20-01-2026;scootmobiel;71;armen;90;nee\n"
)


@pytest.fixture()
def db(register_url, tmp_path):
    ok("register", "init", "--db", register_url)
    caseload = tmp_path / "clienten.csv"
    caseload.write_text(DUTCH_CASELOAD, encoding="utf-8")
    ok("register", "import", caseload, "--db", register_url)
    return register_url


def test_init_creates_then_finds_the_register_up_to_date(register_url):
    assert "aangemaakt" in ok("register", "init", "--db", register_url)
    assert "is bij" in ok("register", "init", "--db", register_url)


def test_a_dossier_number_too_long_for_the_register_is_refused_with_its_row(db, tmp_path):
    caseload = tmp_path / "lang.csv"
    caseload.write_text("client_id;diagnosis_date\nGEM-9;01-02-2025\n" + "X" * 65 + ";01-02-2025\n",
                        encoding="utf-8")
    result = invoke("register", "import", caseload, "--db", db)
    assert result.exit_code == 2 and "lang.csv, row 3, field 'client_id': at most 64 characters" in result.output
    assert "GEM-9" not in ok("register", "list", "--db", db)


def test_a_dutch_spreadsheet_is_imported_with_its_items_in_use(db):
    listing = ok("register", "list", "--db", db)
    assert "GEM-1" in listing and "14-03-2025" in listing and "in zorg" in listing
    data = json.loads(ok("register", "show", "--dossier", "GEM-1", "--db", db, "--format", "json"))
    assert data["clients"][0]["diagnosis_date"] == "2025-03-14"
    database = connect(db)
    rows = dump(database)["tables"]
    database.dispose()
    profile = next(c for c in rows["clients"] if c["dossier"] == "GEM-1")["profile"]
    assert profile["age_at_onset"] == 63.5 and profile["fvc_percent"] == 81.5 and profile["onset_site"] == "legs"
    assert sorted(d["provision_id"] for d in rows["deliveries"]) == ["scootmobiel", "traplift"]


def test_a_melding_to_delivery_and_the_municipalitys_report(db, tmp_path):
    out = ok("register", "issue-ivp", "--dossier", "GEM-2", "--replications", 30, "--date", "2025-06-20", "--db", db)
    assert "IVP versie 1 van GEM-2" in out
    out = ok("register", "melding", "--dossier", "GEM-2", "--provision", "elektrische_rolstoel", "--date",
             "2025-09-01", "--db", db)
    number = out.split()[1]
    for step, day in (("confirmed", "2025-09-02"), ("advised", "2025-09-08")):
        ok("register", "step", "--melding", number, "--step", step, "--date", day, "--db", db)
    ok("register", "decision", "--melding", number, "--granted", "--date", "2025-09-12", "--db", db)
    ok("register", "step", "--melding", number, "--step", "fitted", "--date", "2025-09-16", "--db", db)
    ok("register", "delivery", "--dossier", "GEM-2", "--provision", "elektrische_rolstoel", "--cost", "29500",
       "--melding", number, "--date", "2025-10-24", "--db", db, "--user", "wmo-consulent")
    report = ok("register", "report", "--db", db, "--as-of", "2025-12-01", "--xlsx", tmp_path / "r.xlsx")
    for text in ("IVP-register: rapportage per 01-12-2025", "€ 29.500", "geleverd", "Levering van een hulpmiddel met"):
        assert text in report, text
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert {"Cliënten", "Per financier", "Meldingen", "Normen", "Depot"} <= set(book.sheetnames)
    states = [row[12] for row in book["Meldingen"].iter_rows(min_row=4, values_only=True)]
    assert states == ["geleverd"]  # words in the workbook's language, not codes
    assert book["Normen"]["A4"].value == "Melding afgehandeld en doorgegeven aan de leverancier"
    log = ok("register", "log", "--db", db, "--dossier", "GEM-2")
    assert "wmo-consulent  record_delivery  GEM-2" in log
    english = ok("register", "report", "--db", db, "--as-of", "2025-12-01", "--lang", "en")
    assert "IVP register: report as of" in english and "delivered" in english


def test_a_plan_made_by_ivp_plan_is_issued_as_it_is(db, tmp_path):
    plan = tmp_path / "plan.json"
    profile = tmp_path / "gem2.yaml"
    profile.write_text("diagnosis_date: 2025-06-02\nage_at_onset: 58\nonset_site: bulbar\n")
    plan.write_text(ok("plan", "--profile", profile, "--replications", 20, "--format", "json"))
    ok("register", "issue-ivp", "--dossier", "GEM-2", "--plan", plan, "--db", db)
    backup = tmp_path / "b.json"
    ok("register", "export", backup, "--db", db)
    assert json.loads(backup.read_text())["tables"]["ivps"][0]["seed"] is None  # the plan file has no seed
    data = json.loads(ok("register", "show", "--dossier", "GEM-2", "--db", db, "--format", "json"))
    earmarked = {line["provision_id"]: line["earmarked_eur"] for line in data["money"]}
    planned = {line["provision_id"]: line["cost_eur"] for line in json.loads(plan.read_text())["plan"] if line["in_plan"]}
    assert earmarked == pytest.approx(planned, abs=0.01)
    result = invoke("register", "issue-ivp", "--dossier", "GEM-1", "--plan", plan, "--db", db)
    assert result.exit_code == 2 and "the plan is for a diagnosis on 2025-06-02" in result.output


def test_the_reserve_takes_the_caseload_and_the_depot_from_the_register(db, tmp_path):
    ok("register", "stock", "--provision", "traplift", "--count", 2, "--date", "2025-01-02", "--db", db)
    ok("register", "death", "--dossier", "GEM-3", "--date", "2026-03-01", "--db", db)
    args = ("reserve", "--inwoners", 20000, "--years", 2, "--start", "2027-01-01", "--replications", 20,
            "--format", "json")
    from_register = json.loads(ok(*args, "--register", db))
    # the same clients in a caseload file (GEM-3 died) and the same stock in a scenario
    caseload = tmp_path / "same.csv"
    caseload.write_text("\n".join(DUTCH_CASELOAD.splitlines()[:3]) + "\n", encoding="utf-8")
    scenario = tmp_path / "stock.yaml"
    from ivp.models.process import load_scenario
    from ivp.models.process.scenario import SHIPPED_DIR

    text = (SHIPPED_DIR / "protocol.yaml").read_text(encoding="utf-8")
    base = load_scenario("protocol")
    assert base.depot.initial_stock == {}
    scenario.write_text(text.replace("depot:\n", "depot:\n  initial_stock: {traplift: 2}\n", 1), encoding="utf-8")
    from_file = json.loads(ok(*args, "--caseload", caseload, "--scenario", scenario))
    assert from_register["existing_clients"] == from_file["existing_clients"] == 2
    assert from_register["per_year"] == from_file["per_year"]
    result = invoke(*args, "--register", db, "--caseload", caseload)
    assert result.exit_code == 2 and "not both" in result.output


def test_an_export_restores_into_a_new_register_row_for_row(db, tmp_path):
    ok("register", "melding", "--dossier", "GEM-1", "--provision", "plafondlift", "--date", "2025-05-01", "--db", db)
    backup, workbook = tmp_path / "backup.json", tmp_path / "alles.xlsx"
    assert "geëxporteerd" in ok("register", "export", backup, "--db", db)
    ok("register", "export", workbook, "--db", db)
    assert "clients" in openpyxl.load_workbook(workbook).sheetnames
    target = tmp_path / "new.sqlite"
    ok("register", "init", "--db", target)
    ok("register", "restore", backup, "--db", target)
    a, b = connect(db), connect(str(target))
    assert dump(a)["tables"] == dump(b)["tables"]
    # the restored register goes on numbering after the restored rows
    out = ok("register", "melding", "--dossier", "GEM-2", "--provision", "traplift", "--date", "2025-07-01",
             "--db", target)
    assert out.split()[1] == "2"
    result = invoke("register", "restore", backup, "--db", target)
    assert result.exit_code == 2 and "not empty" in result.output
    a.dispose()
    b.dispose()


@pytest.mark.parametrize(("args", "expected"), [
    (("register", "list", "--db", "{missing}"), "is not a register yet: create it first with 'ivp register init'"),
    (("register", "list", "--db", "/nonexistent/folder/r.sqlite"), "the folder /nonexistent/folder does not exist"),
    (("register", "list", "--db", "mysql://u@h/db"), "database 'mysql' is not supported"),
    (("register", "list", "--db", "postgresql://nobody:secret@127.0.0.1:1/ivp"), "cannot open the register"),
    (("register", "melding", "--dossier", "GEM-9", "--provision", "traplift", "--db", "{db}"),
     "dossier 'GEM-9' is not in the register"),
    (("register", "melding", "--dossier", "GEM-1", "--provision", "lift", "--db", "{db}"), "unknown provision 'lift'"),
    (("register", "melding", "--dossier", "GEM-1", "--provision", "traplift", "--date", "14-3-25x", "--db", "{db}"),
     "--date"),
    (("register", "melding", "--dossier", "GEM-1", "--provision", "traplift", "--date", "13-03-2025", "--db", "{db}"),
     "2025-03-13 is before 2025-03-14"),
    (("register", "step", "--melding", "99999999999999999999", "--step", "confirmed", "--db", "{db}"),
     "there is no melding 99999999999999999999"),
    (("register", "return", "--delivery", "99999999999999999999", "--db", "{db}"),
     "there is no delivery 99999999999999999999"),
    (("register", "decision", "--melding", "3000000000", "--granted", "--db", "{db}"),
     "there is no melding 3000000000"),  # beyond PostgreSQL's INTEGER
    (("register", "return", "--delivery", "3000000000", "--db", "{db}"), "there is no delivery 3000000000"),
    (("register", "export", "x.csv", "--db", "{db}"), "export to .xlsx or .json"),
    (("register", "import", EXAMPLES_DIR / "langzaam.yaml", "--db", "{db}"), "langzaam.yaml"),
])
def test_bad_input_is_a_message_not_a_traceback(db, tmp_path, args, expected):
    filled = [str(a).format(db=db, missing=tmp_path / "none.sqlite") for a in args]
    result = invoke(*filled)
    assert result.exit_code == 2, result.output
    assert expected in result.output and "Traceback" not in result.output
    assert "secret" not in result.output
    assert not (tmp_path / "none.sqlite").exists()  # a mistyped --db makes no file


def test_a_client_with_a_visit_a_release_and_a_withdrawn_melding(register_url, tmp_path):
    ok("register", "init", "--db", register_url)
    profile = tmp_path / "client.yaml"
    profile.write_text("diagnosis_date: 2025-09-15\nage_at_onset: 31\nonset_site: legs\nalsfrs_r_at_diagnosis: 42\n")
    assert "Cliënt Z-1 toegevoegd" in ok("register", "add-client", "--dossier", "Z-1", "--profile", profile,
                                         "--db", register_url)
    visit = tmp_path / "visit.yaml"
    visit.write_text("date: 2026-03-10\nalsfrs_r_total: 35\nfvc_percent: 80\n"
                     "delivered:\n  - provision: spalken\n    date: 2026-01-20\n")
    assert "1 bezoek(en) van Z-1" in ok("register", "visit", "--dossier", "Z-1", "--visit", visit, "--db", register_url)
    result = invoke("register", "visit", "--dossier", "Z-1", "--visit", visit, "--db", register_url)
    assert result.exit_code == 2 and "2026-03-10" in result.output  # the same day twice
    ok("register", "issue-ivp", "--dossier", "Z-1", "--replications", 30, "--date", "2026-03-12", "--db", register_url)
    shown = json.loads(ok("register", "show", "--dossier", "Z-1", "--db", register_url, "--format", "json"))
    assert shown["clients"][0]["ivp_version"] == 1 and shown["clients"][0]["earmarked_eur"] > 0
    stairlift = next(line for line in shown["money"] if line["provision_id"] == "traplift")
    ok("register", "release", "--dossier", "Z-1", "--provision", "traplift", "--reason", "slaapkamer beneden",
       "--date", "2026-04-01", "--db", register_url)
    shown = json.loads(ok("register", "show", "--dossier", "Z-1", "--db", register_url, "--format", "json"))
    after = next(line for line in shown["money"] if line["provision_id"] == "traplift")
    assert after["released_eur"] == stairlift["earmarked_eur"] and after["reserved_eur"] == 0
    number = ok("register", "melding", "--dossier", "Z-1", "--provision", "scootmobiel", "--date", "2026-04-02",
                "--db", register_url).split()[1]
    assert "ingetrokken" in ok("register", "withdraw", "--melding", number, "--date", "2026-04-03", "--db", register_url)
    result = invoke("register", "decision", "--melding", number, "--date", "2026-04-04", "--db", register_url)
    assert result.exit_code == 2 and "already closed (withdrawn" in result.output
    assert "record_visit" in ok("register", "log", "--db", register_url)


@pytest.mark.parametrize(("content", "expected"), [
    ("{not json", "not a plan of 'ivp plan --format json'"),
    ('{"diagnosis_date": "2025-06-02"}', "no 'plan' list"),
    ('{"diagnosis_date": "2025-06-03", "plan": []}', "the plan is for a diagnosis on 2025-06-03"),
    ('{"diagnosis_date": "2025-06-02", "plan": [{"provision_id": "lift", "cost_eur": 1}]}', "unknown provision 'lift'"),
    ('{"diagnosis_date": "2025-06-02", "plan": [{"provision_id": "traplift", "cost_eur": "veel"}]}',
     "plan[1].cost_eur"),
    ('{"diagnosis_date": "2025-06-02", "plan": [{"provision_id": "traplift", "cost_eur": 1, "need_p50": "morgen"}]}',
     "plan[1].need_p50"),
    ('{"diagnosis_date": "2025-06-02", "plan": [{"provision_id": "traplift", "cost_eur": NaN}]}',
     "'plan[1].cost_eur': 'nan' is not an amount"),
    ('{"diagnosis_date": "2025-06-02", "plan": [{"provision_id": "traplift", "cost_eur": Infinity}]}',
     "'plan[1].cost_eur': inf is implausibly large (at most 1.000.000;"),
    ('{"diagnosis_date": "2025-06-02", "plan": [{"provision_id": "traplift", "cost_eur": 1e15}]}',
     "'plan[1].cost_eur': 1000000000000000.0 is implausibly large"),
    ('{"diagnosis_date": "2025-06-02", "plan": [{"provision_id": "traplift", "cost_eur": 1, "probability": "vaak"}]}',
     "'plan[1].probability': must be a probability between 0 and 1 (got vaak)"),
    ('{"diagnosis_date": "2025-06-02", "plan": [{"provision_id": "traplift", "cost_eur": 1, "probability": 5}]}',
     "'plan[1].probability': must be a probability between 0 and 1 (got 5)"),
    ('{"diagnosis_date": "2025-06-02", "ivp_date": "2025-06-20", "replications": 0, "plan": []}', "replications"),
    ('{"diagnosis_date": "2025-06-02", "ivp_date": "2025-06-20", "replications": 1000000000000, "plan": []}',
     "'replications': 1000000000000 is implausibly large"),
    ('{"diagnosis_date": "2025-06-02", "ivp_date": "gisteren", "replications": 5, "plan": []}', "ivp_date"),
    ('{"diagnosis_date": "2025-06-02", "ivp_date": "2025-06-20", "replications": 5, "plan": []}', "scenario"),
])
def test_a_bad_plan_file_is_refused_naming_its_field(db, tmp_path, content, expected):
    plan = tmp_path / "plan.json"
    plan.write_text(content)
    result = invoke("register", "issue-ivp", "--dossier", "GEM-2", "--plan", plan, "--db", db)
    assert result.exit_code == 2 and expected in result.output, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("content", "expected"), [
    ("[1, 2", "not a backup of an IVP register"),
    ('{"format": "something else", "tables": {}}', "not a backup of an IVP register"),
    ('{"format": "ivp-register-backup", "revision": "0001", "tables": {}}', "the backup is at schema 0001"),
    ('{"format": "ivp-register-backup", "revision": "0002", "tables": {"clients": 5}}', "tables.clients"),
    ('{"format": "ivp-register-backup", "revision": "0002", "tables": {"clients": [{"id": 1, "dossier": "X", '
     '"diagnosis_date": "1-1-2025", "profile": {}, "status": "active"}]}}', "tables.clients[1].diagnosis_date"),
    ('{"format": "ivp-register-backup", "revision": "0002", "tables": {"clients": [{"id": 1, "dossier": "X", '
     '"diagnosis_date": "2025-01-01", "profile": {}, "status": "zombie"}]}}', "the database refuses rows of the backup"),
    ('{"format": "ivp-register-backup", "revision": "0002", "tables": {"clients": [{"id": 1, "dossier": "X", '
     '"diagnosis_date": "2025-01-01", "profile": {"age_at_onset": 300}, "status": "active"}]}}',
     "tables.clients[1].profile.age_at_onset"),
    ('{"format": "ivp-register-backup", "revision": "0002", "tables": {"clients": [{"id": 3000000000, '
     '"dossier": "X", "diagnosis_date": "2025-01-01", "profile": {}, "status": "active"}]}}',
     "'tables.clients[1].id': must be at most 2147483647 (got 3000000000)"),
    ('{"format": "ivp-register-backup", "revision": "0002", "tables": {"clients": [{"id": 1, "dossier": 5, '
     '"diagnosis_date": "2025-01-01", "profile": {}, "status": "active"}]}}',
     "'tables.clients[1].dossier': expected text (got 5)"),
    ('{"format": "ivp-register-backup", "revision": "0002", "tables": {"earmarks": [{"id": 1, "ivp_id": 1, '
     '"provision_id": "traplift", "financier": "wmo", "amount_eur": Infinity}]}}',
     "'tables.earmarks[1].amount_eur': 'inf' is not a number"),
    ('{"format": "ivp-register-backup", "revision": "0002", "tables": {"earmarks": [{"id": 1, "ivp_id": 1, '
     '"provision_id": "traplift", "financier": "wmo", "amount_eur": 5, "probability": "vaak"}]}}',
     "'tables.earmarks[1].probability': 'vaak' is not a number"),
])
def test_a_bad_backup_is_refused_and_nothing_is_restored(register_url, tmp_path, content, expected):
    ok("register", "init", "--db", register_url)
    backup = tmp_path / "backup.json"
    backup.write_text(content)
    result = invoke("register", "restore", backup, "--db", register_url)
    assert result.exit_code == 2 and expected in result.output, result.output
    assert "heeft nog geen cliënten" in ok("register", "list", "--db", register_url)


def test_a_backup_larger_than_other_inputs_restores(db, tmp_path):
    backup = tmp_path / "groot.json"
    ok("register", "export", backup, "--db", db)
    backup.write_text(backup.read_text(encoding="utf-8") + " " * (6 * 1024 * 1024), encoding="utf-8")  # > 5 MB
    target = tmp_path / "new.sqlite"
    ok("register", "init", "--db", target)
    assert "teruggezet" in ok("register", "restore", backup, "--db", target)

"""The register (ivp/application/register): its schema and migrations, each verb's
accounting, refusals, transactions, two writers at once, the norms and the reports; every
test on SQLite and on a throw-away PostgreSQL cluster (tests/conftest.py, register_url)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from ivp.application.caseload import load_caseload
from ivp.application.register import recording
from ivp.application.register.database import connect, head_revision, open_register
from ivp.application.register.recording import Register
from ivp.application.register.report import build_report, register_caseload
from ivp.application.register.schema import AuditEntry, Base
from ivp.domain.depot import residual_value
from ivp.domain.errors import InputError
from ivp.domain.prices import price_index
from ivp.domain.profile import ClientProfile

D = dt.date
DIAGNOSIS = D(2025, 1, 6)


@pytest.fixture()
def db(register_url):
    database = connect(register_url, create=True)
    database.migrate()
    yield database
    database.dispose()


@pytest.fixture()
def register(db):
    return Register(db, user="tester")


def client(register, dossier="D-1", diagnosis=DIAGNOSIS):
    register.add_client(dossier, ClientProfile(diagnosis_date=diagnosis, age_at_onset=60, onset_site="legs"))
    return dossier


def issue(register, dossier, lines=None, on=D(2025, 1, 20)):
    lines = lines or [{"provision_id": "traplift", "in_plan": True, "cost_eur": 6500.0},
                      {"provision_id": "scootmobiel", "in_plan": True, "cost_eur": 7500.0},
                      {"provision_id": "spraakcomputer", "in_plan": True, "cost_eur": 21000.0},
                      {"provision_id": "eetrobot", "in_plan": False, "cost_eur": 12000.0}]
    return register.issue_ivp(dossier, lines, issued_on=on, scenario="Protocol (IVP)", replications=100, seed=1,
                              price_year=on.year)


def refused(code, call, *args, **kwargs):
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    assert [p.code for p in caught.value.problems] == [code], caught.value
    return caught.value.problems[0]


def count(db, table) -> int:
    with db.reading() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(Base.metadata.tables[table]))


# -- schema and migrations ---------------------------------------------------------------


def test_the_migrations_build_exactly_the_tables_of_the_schema(db):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    assert db.revision() == head_revision() == "0002"


def test_a_register_of_the_previous_version_is_brought_up_to_date_with_its_data(register_url):
    old = connect(register_url, create=True)
    old.migrate("0001")
    with old.engine.begin() as c:
        c.execute(sa.text("INSERT INTO clients (dossier, diagnosis_date, profile, status) "
                          "VALUES ('OUD-1', '2024-05-01', '{\"age_at_onset\": 61}', 'active')"))
    assert "visits" not in sa.inspect(old.engine).get_table_names()
    refused("register_outdated", open_register, register_url)
    old.migrate()
    register = Register(open_register(register_url))
    assert "visits" in sa.inspect(register.db.engine).get_table_names()
    caseload, _ = register_caseload(register.db, D(2025, 1, 1))
    assert [c.client_id for c in caseload.clients] == ["OUD-1"]
    assert caseload.clients[0].profile.age_at_onset == 61
    register.db.downgrade("0001")
    assert "visits" not in sa.inspect(register.db.engine).get_table_names()
    old.dispose()
    register.db.dispose()


def test_an_empty_database_is_not_taken_for_a_register(register_url):
    problem = refused("register_empty", open_register, register_url)
    assert "ivp register init" in problem.message


def test_the_audit_log_refuses_changes_in_the_database_itself(register, db):
    client(register)
    for statement in ("UPDATE audit_log SET user_name = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            with db.engine.begin() as c:
                c.execute(sa.text(statement))
    with db.reading() as s:
        entry = s.scalars(sa.select(AuditEntry)).one()
    assert (entry.user_name, entry.action, entry.dossier) == ("tester", "add_client", "D-1")


# -- the accounting of the verbs -------------------------------------------------------------


def money(db, dossier, on=D(2026, 6, 1)):
    report = build_report(db, on, dossier)
    return report.money.set_index("provision_id"), report


def test_a_purchase_spends_and_releases_the_rest_of_its_earmark(register, db):
    dossier = client(register)
    assert issue(register, dossier) == 1
    melding = register.record_melding(dossier, "traplift", D(2025, 3, 3), "protocol")
    register.record_step(melding, "advised", D(2025, 3, 5))
    register.record_decision(melding, D(2025, 3, 12), granted=True)
    register.record_step(melding, "fitted", D(2025, 3, 14))
    register.record_delivery(dossier, "traplift", D(2025, 4, 15), 6000.0, melding_id=melding)
    lines, report = money(db, dossier)
    stairlift = lines.loc["traplift"]
    assert (stairlift.earmarked_eur, stairlift.spent_eur, stairlift.released_eur, stairlift.reserved_eur) == (
        6500.0, 6000.0, 500.0, 0.0)
    assert lines.loc["scootmobiel", "reserved_eur"] == 7500.0
    assert "eetrobot" not in lines.index  # not in the plan: not earmarked
    for line in lines.itertuples():  # the ledger's identity, line by line
        assert line.earmarked_eur + line.topped_up_eur == pytest.approx(
            line.spent_eur + line.released_eur + line.reserved_eur)
    assert report.meldingen.iloc[0]["state"] == "delivered"


def test_spending_beyond_the_earmark_is_a_top_up(register, db):
    dossier = client(register)
    issue(register, dossier)
    register.record_delivery(dossier, "traplift", D(2025, 4, 15), 7100.0)
    lines, _ = money(db, dossier)
    assert (lines.loc["traplift", "topped_up_eur"], lines.loc["traplift", "released_eur"]) == (600.0, 0.0)


def test_rent_is_paid_every_month_begun_and_its_term_at_least(register, db):
    dossier = client(register)
    issue(register, dossier)
    delivery = register.record_delivery(dossier, "scootmobiel", D(2025, 2, 1), 150.0, form="rent")
    assert money(db, dossier, D(2025, 4, 15))[0].loc["scootmobiel", "spent_eur"] == 3 * 150.0  # Feb, Mar, Apr
    register.record_return(delivery, D(2025, 2, 20))
    lines, _ = money(db, dossier, D(2025, 12, 31))
    term = register.catalog.get("scootmobiel").rent_min_months
    assert lines.loc["scootmobiel", "spent_eur"] == max(term, 1) * 150.0
    assert lines.loc["scootmobiel", "released_eur"] == 7500.0 - max(term, 1) * 150.0  # the rent ended
    assert count(db, "depot_items") == 0  # a rented item goes back to the supplier


def test_a_returned_reusable_item_goes_to_the_depot_and_is_reissued_first_in(register, db):
    first, second = client(register, "D-1"), client(register, "D-2")
    delivery = register.record_delivery(first, "traplift", D(2025, 2, 3), 6000.0)
    refused("depot_empty", register.record_delivery, second, "traplift", D(2025, 3, 3), 400.0, from_depot=True)
    item = register.record_return(delivery, D(2026, 2, 3))
    assert item is not None
    refused("already_returned", register.record_return, delivery, D(2026, 2, 4))
    reissue = register.record_delivery(second, "traplift", D(2026, 3, 2), 400.0, from_depot=True)
    report = build_report(db, D(2026, 6, 1))
    depot = report.depot.set_index("provision_id").loc["traplift"]
    assert (depot.returned, depot.reissued, depot.in_stock) == (1, 1, 0)
    assert depot.savings_eur > 6000.0 - 400.0  # the new price in euros of 2026 minus the refurbishment
    register.record_return(reissue, D(2026, 9, 1))
    stock = build_report(db, D(2026, 10, 1)).depot.set_index("provision_id").loc["traplift"]
    assert stock.in_stock == 1
    # its residual value: the new price in euros of 2026, its age from the first delivery (2025),
    # through both clients, as the ledger values a depot return
    stairlift = register.catalog.get("traplift")
    new = stairlift.cost_eur * price_index().year_factor(stairlift.price_year, 2026)
    assert stock.stock_value_eur == pytest.approx(float(residual_value(new, (D(2026, 9, 1) - D(2025, 2, 3)).days)),
                                                  abs=0.01)
    caseload, stock_by_provision = register_caseload(db, D(2026, 10, 1))
    assert stock_by_provision == {"traplift": 1}
    refused("not_reusable", register.take_into_stock, "badkameraanpassingen", 1, D(2026, 1, 1))


def test_a_death_closes_the_meldingen_and_releases_every_earmark(register, db):
    dossier = client(register)
    issue(register, dossier)
    melding = register.record_melding(dossier, "scootmobiel", D(2025, 5, 1), "protocol")
    releases = register.record_status(dossier, "deceased", D(2025, 6, 1))
    assert len(releases) == 3
    lines, report = money(db, dossier)
    assert lines["reserved_eur"].sum() == 0 and lines["released_eur"].sum() == 6500 + 7500 + 21000
    assert report.meldingen.iloc[0]["state"] == "deceased"
    assert report.clients.iloc[0]["status"] == "deceased"
    refused("client_deceased", register.record_melding, dossier, "traplift", D(2025, 6, 2), "protocol")
    refused("melding_closed", register.record_decision, melding, D(2025, 6, 2), True)
    refused("client_deceased", register.record_status, dossier, "wlz", D(2025, 6, 1))
    assert register_caseload(db, D(2025, 7, 1))[0].clients == ()


def test_after_a_wlz_entry_the_insurers_provisions_go_on_and_the_wmos_are_refused(register):
    dossier = client(register)
    register.record_status(dossier, "wlz", D(2025, 6, 1))
    register.record_melding(dossier, "spraakcomputer", D(2025, 7, 1), "protocol")  # Zvw
    register.record_delivery(dossier, "spraakcomputer", D(2025, 8, 1), 20000.0)
    refused("client_wlz", register.record_melding, dossier, "scootmobiel", D(2025, 7, 1), "protocol")
    refused("client_wlz", register.record_delivery, dossier, "scootmobiel", D(2025, 7, 1), 7000.0)


def test_a_wlz_entry_ends_the_wmo_only(register, db):
    dossier = client(register)
    issue(register, dossier)
    wmo = register.record_melding(dossier, "scootmobiel", D(2025, 5, 1), "protocol")
    zvw = register.record_melding(dossier, "spraakcomputer", D(2025, 5, 1), "protocol")
    register.record_status(dossier, "wlz", D(2025, 6, 1))
    lines, report = money(db, dossier)
    assert lines.loc["spraakcomputer", "reserved_eur"] == 21000.0
    assert lines.loc["scootmobiel", "released_eur"] == 7500.0
    states = report.meldingen.set_index("melding_id")["state"]
    assert (states[wmo], states[zvw]) == ("wlz", "open")


def test_steps_in_the_wrong_order_or_twice_are_refused(register):
    dossier = client(register)
    melding = register.record_melding(dossier, "traplift", D(2025, 3, 3), "protocol")
    refused("before_step", register.record_step, melding, "confirmed", D(2025, 3, 2))
    register.record_step(melding, "confirmed", D(2025, 3, 4))
    refused("step_recorded", register.record_step, melding, "confirmed", D(2025, 3, 5))
    refused("not_granted", register.record_step, melding, "fitted", D(2025, 3, 5))
    refused("not_granted", register.record_delivery, dossier, "traplift", D(2025, 4, 1), 6000.0, melding_id=melding)
    other = register.record_melding(dossier, "scootmobiel", D(2025, 3, 3), "protocol")
    register.record_decision(other, D(2025, 3, 10), granted=True)
    refused("melding_other", register.record_delivery, dossier, "traplift", D(2025, 4, 1), 6000.0, melding_id=other)
    register.record_decision(melding, D(2025, 3, 10), granted=False)
    refused("melding_closed", register.record_step, melding, "fitted", D(2025, 3, 12))


@pytest.mark.parametrize(("call", "code", "option"), [
    (lambda r: r.record_melding("NOPE", "traplift", D(2025, 3, 3), "protocol"), "unknown_dossier", "--dossier"),
    (lambda r: r.record_melding("D-1", "lift", D(2025, 3, 3), "protocol"), "unknown_provision", "--provision"),
    (lambda r: r.record_melding("D-1", "traplift", D(2025, 3, 3), "snel"), "one_of", "--route"),
    (lambda r: r.record_melding("D-1", "traplift", D(2024, 3, 3), "protocol"), "date_too_early", "--date"),
    (lambda r: r.record_melding("D-1", "traplift", dt.date.today() + dt.timedelta(days=1), "protocol"),
     "date_in_future", "--date"),
    (lambda r: r.record_delivery("D-1", "traplift", D(2025, 3, 3), -1.0), "at_least", "--cost"),
    (lambda r: r.record_delivery("D-1", "traplift", D(2025, 3, 3), 1.0, form="lease"), "one_of", "--form"),
    (lambda r: r.record_delivery("D-1", "traplift", D(2025, 3, 3), 1.0, form="rent", from_depot=True),
     "depot_not_rented", "--from-depot"),
    (lambda r: r.record_step(99, "confirmed", D(2025, 3, 3)), "unknown_melding", "--melding"),
    (lambda r: r.record_return(99, D(2025, 3, 3)), "unknown_delivery", "--delivery"),
    (lambda r: r.record_release("D-1", "traplift", D(2025, 3, 3), None, "x"), "not_earmarked", "--provision"),
    (lambda r: r.add_client("D-1", ClientProfile(diagnosis_date=DIAGNOSIS)), "dossier_exists", "--dossier"),
    (lambda r: r.add_client("x" * 65, ClientProfile(diagnosis_date=DIAGNOSIS)), "text_too_long", "--dossier"),
    (lambda r: r.add_client("D-2", ClientProfile(diagnosis_date=DIAGNOSIS), "n" * 201), "text_too_long", "--name"),
    (lambda r: r.record_delivery("D-1", "traplift", D(2025, 3, 3), float("inf")), "implausibly_large", "--cost"),
    (lambda r: r.record_delivery("D-1", "traplift", D(2025, 3, 3), float("nan")), "at_least", "--cost"),
    (lambda r: r.take_into_stock("traplift", 10_001, D(2025, 3, 3)), "implausibly_large", "--count"),
    (lambda r: r.record_release("D-1", "traplift", D(2025, 3, 3), float("nan"), "x"), "at_least", "--amount"),
    (lambda r: r.record_release("D-1", "traplift", D(2025, 3, 3), None, "r" * 201), "text_too_long", "--reason"),
    (lambda r: r.issue_ivp("D-1", [], issued_on=D(2025, 3, 3), scenario="s" * 201, replications=1, seed=1,
                           price_year=2025), "text_too_long", "--scenario"),
    (lambda r: Register(r.db, user="u" * 201), "text_too_long", "--user"),
])
def test_bad_input_is_refused_naming_the_option_and_nothing_is_written(register, db, call, code, option):
    client(register)
    if option == "--amount":
        issue(register, "D-1")
    before = {table: count(db, table) for table in Base.metadata.tables}
    problem = refused(code, call, register)
    assert problem.source == option
    assert {table: count(db, table) for table in Base.metadata.tables} == before


def test_a_release_by_hand_takes_at_most_what_is_reserved(register, db):
    dossier = client(register)
    issue(register, dossier)
    refused("release_out_of_range", register.record_release, dossier, "traplift", D(2025, 3, 3), 7000.0, "x")
    register.record_release(dossier, "traplift", D(2025, 3, 3), 2000.0, "need window passed")
    register.record_release(dossier, "traplift", D(2025, 4, 3), None, "need window passed")
    assert money(db, dossier)[0].loc["traplift", "released_eur"] == 6500.0


def test_a_new_ivp_version_replaces_the_earmarks(register, db):
    dossier = client(register)
    issue(register, dossier)
    assert issue(register, dossier, [{"provision_id": "traplift", "in_plan": True, "cost_eur": 6600.0}],
                 on=D(2025, 9, 1)) == 2
    lines, report = money(db, dossier)
    assert list(lines.index) == ["traplift"] and lines.loc["traplift", "earmarked_eur"] == 6600.0
    assert report.clients.iloc[0]["ivp_version"] == 2


# -- transactions and two users -------------------------------------------------------------


def test_an_interrupted_import_leaves_the_register_as_it_was(register, db, monkeypatch, tmp_path):
    caseload = load_caseload("ivp/application/examples/caseload.csv", catalog=register.catalog, as_of=D(2026, 12, 1))
    made = []

    def failing(*args):
        if len(made) == 3:
            raise OSError("the connection broke")
        made.append(args)
        return original(*args)

    original = recording._new_client
    monkeypatch.setattr(recording, "_new_client", failing)
    with pytest.raises(OSError):
        register.import_caseload(caseload)
    assert count(db, "clients") == count(db, "deliveries") == count(db, "audit_log") == 0
    monkeypatch.setattr(recording, "_new_client", original)
    assert register.import_caseload(caseload) == 7
    assert count(db, "clients") == 7 and count(db, "deliveries") == 6


def test_two_users_recording_at_once_lose_nothing(register_url, register):
    dossier = client(register)
    users = [Register(open_register(register_url), user=name) for name in ("anna", "bram")]
    errors, per_user = [], 10

    def record(user):
        try:
            for i in range(per_user):
                user.record_melding(dossier, "traplift", D(2025, 3, 3) + dt.timedelta(days=i), "protocol")
                issue(user, dossier)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=record, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    report = build_report(register.db, D(2026, 1, 1), dossier)
    assert len(report.meldingen) == 2 * per_user
    assert report.clients.iloc[0]["ivp_version"] == 2 * per_user  # versions 1..20, none taken twice
    with register.db.reading() as s:
        by_user = dict(s.execute(sa.select(AuditEntry.user_name, sa.func.count()).group_by(AuditEntry.user_name)).all())
    assert by_user["anna"] == by_user["bram"] == 2 * per_user
    for user in users:
        user.db.dispose()


# -- the norms ---------------------------------------------------------------------------


def test_each_melding_is_measured_against_the_norms_in_werkdagen(register, db):
    dossier = client(register)
    melding = register.record_melding(dossier, "traplift", D(2025, 12, 19), "current_practice")
    register.record_step(melding, "confirmed", D(2025, 12, 23))  # 4 days: breaks the 3 days
    register.record_step(melding, "advised", D(2026, 1, 30))  # 6 weeks: kept
    register.record_decision(melding, D(2026, 2, 20), granted=True)  # 3 weeks after the advice: broken
    register.record_step(melding, "fitted", D(2026, 2, 27))  # 5 werkdagen: kept
    register.record_delivery(dossier, "traplift", D(2026, 4, 10), 6000.0, melding_id=melding)
    norms = build_report(db, D(2026, 6, 1)).norms.set_index("norm")
    # melding_handling from the melding (no team advice on this route), 19-12 to 20-02: 6 werkdagen
    # in December (not 25 and 26), 21 in January (not the 1st), 15 in February
    assert norms.loc["melding_handling", "elapsed"] == 6 + 21 + 15 and norms.loc["melding_handling", "breached"]
    assert norms.loc["confirmation", "breached"] and norms.loc["confirmation", "elapsed"] == 4
    assert not norms.loc["wmo_investigation", "breached"]
    assert norms.loc["wmo_decision", "breached"]
    assert not norms.loc["fitting", "breached"] and norms.loc["fitting", "elapsed"] == 5
    assert norms.loc["delivery_lead_time", "elapsed"] == 29  # Good Friday 3 April is a werkdag; Easter Monday not
    assert not norms.loc["delivery_lead_time", "breached"]


def test_an_open_step_counts_once_its_limit_has_passed(register, db):
    dossier = client(register)
    register.record_melding(dossier, "traplift", D(2025, 3, 3), "protocol")
    assert build_report(db, D(2025, 3, 5)).norms.empty  # nothing late yet
    norms = build_report(db, D(2025, 3, 10)).norms.set_index("norm")
    assert list(norms.index) == ["confirmation"] and norms.loc["confirmation", "open"]
    summary = build_report(db, D(2025, 3, 10)).norm_summary.set_index("norm")
    assert (summary.loc["confirmation", "measured"], summary.loc["confirmation", "breached"]) == (1, 1)


def test_the_report_as_json_has_every_part(register, db):
    dossier = client(register)
    issue(register, dossier)
    data = build_report(db, D(2026, 1, 1)).to_json()
    assert set(data) >= {"clients", "by_financier", "money", "meldingen", "norm_summary", "norms", "depot"}
    assert data["clients"][0]["diagnosis_date"] == DIAGNOSIS.isoformat()
    refused("unknown_dossier", build_report, db, D(2026, 1, 1), "NOPE")


def test_a_step_left_unrecorded_in_a_delivered_melding_is_not_measured(register, db):
    dossier = client(register)
    melding = register.record_melding(dossier, "traplift", D(2025, 3, 3), "protocol")
    register.record_decision(melding, D(2025, 3, 12), granted=True)
    register.record_delivery(dossier, "traplift", D(2025, 5, 15), 6000.0, melding_id=melding)
    norms = build_report(db, D(2025, 6, 1)).norms
    assert norms.empty  # no confirmation, advice, fitting: nothing to measure from or to


def test_the_register_migrates_down_to_nothing_and_up_again(db):
    client(Register(db))
    db.downgrade("0001")
    db.downgrade("base")
    assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
    db.migrate()
    assert db.revision() == head_revision() and count(db, "clients") == 0

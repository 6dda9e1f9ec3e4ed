"""`ivp register`: the register a municipality or an ALS team keeps of its IVPs in operation
(docs/register.md). Every verb names the register with ``--db`` (a SQLite file or a
PostgreSQL URL; default: the environment variable IVP_REGISTER, else ivp-register.sqlite
here) and changes it in one transaction, logged with ``--user`` (default: IVP_USER, else the
login name). Confirmations and tables are Dutch unless ``--lang en``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
from pathlib import Path
from typing import Optional

import typer

from ivp.application.caseload import load_caseload
from ivp.application.cli import options, outputs
from ivp.application.cli.app import Format, Language, app, refuses_bad_input
from ivp.application.cli.budget_cmd import text_table
from ivp.application.cli.progress import progress_bar
from ivp.application.examples import caseload_path, profile_path, visit_path
from ivp.application.formatting import format_date, format_euro, format_number, format_percent
from ivp.application.register.terms import ENDINGS, FORMS, ROUTES, STEPS
from ivp.domain.errors import InputError, excerpt
from ivp.domain.messages import text
from ivp.domain.profile import load_profile
from ivp.domain.visit import load_visits
from ivp.models.process import DEFAULT_SEED, load_scenario, scenario_path


class _Modules:
    """The register's modules (``reg.database``, ``reg.recording``, ...), imported on first use:
    SQLAlchemy and Alembic take about 0.3 s to import (measured with -X importtime), which
    every other command (`ivp plan` from a shell) would pay otherwise."""

    def __getattr__(self, name: str):
        module = importlib.import_module(f"ivp.application.register.{name}")
        setattr(self, name, module)
        return module


reg = _Modules()
register_app = typer.Typer(help="The IVP register: clients, IVPs, meldingen, deliveries, the depot (SQLite or "
                                "PostgreSQL).", no_args_is_help=True)
app.add_typer(register_app, name="register")

DB_HELP = "the register: a SQLite file or a URL (postgresql://user@host/db); default: $IVP_REGISTER, else ivp-register.sqlite"
DB = typer.Option(None, "--db", help=DB_HELP)
USER = typer.Option(None, "--user", help="name in the audit log (default: $IVP_USER, else the login name)")
LANG = typer.Option(Language.nl, "--lang", help="language of the tables: nl or en")
DATE = typer.Option(None, "--date", help="the day it happened: yyyy-mm-dd or dd-mm-jjjj (default: today)")


def _date(value: str | None) -> dt.date:
    return options.date("--date", value) if value else dt.date.today()


def _register(db: str | None, user: str | None):
    return reg.recording.Register(reg.database.open_register(db), user=user or reg.recording.current_user())


def _say(key: str, lang: str = "nl", **values) -> None:
    typer.echo(text(f"register.cli.{key}", lang, **values))


@register_app.command("init")
@refuses_bad_input
def init(db: Optional[str] = DB) -> None:
    """Create the register (or bring an older one to the newest schema)."""
    database = reg.database.connect(db, create=True)
    before = database.revision()
    database.migrate()
    key = "created" if before is None else ("current" if before == reg.database.head_revision() else "upgraded")
    _say(key, register=database.label, revision=reg.database.head_revision(), before=before or "")


@register_app.command("import")
@refuses_bad_input
def import_(file: str = typer.Argument(..., help="caseload (CSV, also with ';', decimal comma and dd-mm-jjjj, or Excel), or the shipped example by name (caseload); see `ivp examples`"),
            db: Optional[str] = DB, user: Optional[str] = USER) -> None:
    """Import a municipality's current clients and the items they have in use."""
    register = _register(db, user)
    caseload = load_caseload(caseload_path(file), catalog=register.catalog)
    _say("imported", count=register.import_caseload(caseload), source=caseload.source)


@register_app.command("add-client")
@refuses_bad_input
def add_client(dossier: str = typer.Option(..., "--dossier", help="pseudonymous dossier number"),
               profile: str = typer.Option(..., "--profile", help="the client's profile (YAML; with diagnosis_date)"),
               name: Optional[str] = typer.Option(None, "--name", help="the client's name (optional; see docs/register.md, Privacy)"),
               db: Optional[str] = DB, user: Optional[str] = USER) -> None:
    """Add a client to the register."""
    register = _register(db, user)
    register.add_client(dossier, load_profile(profile_path(profile)), name)
    _say("client_added", dossier=dossier.strip())


@register_app.command("issue-ivp")
@refuses_bad_input
def issue_ivp(dossier: str = typer.Option(..., "--dossier"),
              scenario: str = typer.Option("protocol", "--scenario", help="route of the plan (a shipped scenario or a file)"),
              plan: Optional[Path] = typer.Option(None, "--plan", help="issue this plan (`ivp plan --format json` output) instead of simulating"),
              replications: int = typer.Option(1000, "--replications"),
              seed: int = typer.Option(DEFAULT_SEED, "--seed", help="base seed of the simulated plan (not with --plan)"),
              date: Optional[str] = DATE, db: Optional[str] = DB, user: Optional[str] = USER) -> None:
    """Issue the client's IVP (a new version): every provision in the plan earmarked."""
    options.count("--replications", replications, 1, "replications_max")
    options.seed(seed)
    on = _date(date)
    register = _register(db, user)
    if plan is not None:
        profile, _ = reg.planning.client_facts(register, dossier)
        lines, facts = reg.planning.lines_from_json(plan, register.catalog, profile.diagnosis_date)
        version = register.issue_ivp(dossier, lines, issued_on=on, seed=None, **facts)  # the file has no seed
    else:
        chosen = load_scenario(scenario_path(scenario), catalog=register.catalog)
        with progress_bar("ivp register issue-ivp") as progress:
            made = reg.planning.make_plan(register, dossier, chosen, replications, seed, progress=progress)
        version = reg.planning.issue_plan(register, dossier, made, seed, on)
    _say("ivp_issued", dossier=dossier, version=version, date=format_date(on))


@register_app.command("melding")
@refuses_bad_input
def melding(dossier: str = typer.Option(..., "--dossier"), provision: str = typer.Option(..., "--provision"),
            route: str = typer.Option("protocol", "--route", help=f"one of {', '.join(ROUTES)}"),
            date: Optional[str] = DATE, db: Optional[str] = DB, user: Optional[str] = USER) -> None:
    """Record a follow-up melding (its number is printed: use it for the next steps)."""
    number = _register(db, user).record_melding(dossier, provision, _date(date), route)
    _say("melding_recorded", melding=number, dossier=dossier, provision=provision)


@register_app.command("step")
@refuses_bad_input
def step(melding: int = typer.Option(..., "--melding"),
         name: str = typer.Option(..., "--step", help=f"one of {', '.join(STEPS)}"),
         date: Optional[str] = DATE, db: Optional[str] = DB, user: Optional[str] = USER) -> None:
    """Record a step of a melding: the confirmation, the advice (or the end of the investigation), the fitting."""
    _register(db, user).record_step(melding, name, _date(date))
    _say("step_recorded", melding=melding, step=name)


@register_app.command("decision")
@refuses_bad_input
def decision(melding: int = typer.Option(..., "--melding"),
             granted: bool = typer.Option(True, "--granted/--refused"),
             date: Optional[str] = DATE, db: Optional[str] = DB, user: Optional[str] = USER) -> None:
    """Record the decision on a melding (granted, or refused: that closes it)."""
    _register(db, user).record_decision(melding, _date(date), granted)
    _say("decision_recorded", melding=melding)


@register_app.command("withdraw")
@refuses_bad_input
def withdraw(melding: int = typer.Option(..., "--melding"), date: Optional[str] = DATE, db: Optional[str] = DB,
             user: Optional[str] = USER) -> None:
    """Close a melding the client no longer needs."""
    _register(db, user).withdraw_melding(melding, _date(date))
    _say("withdrawn", melding=melding)


@register_app.command("delivery")
@refuses_bad_input
def delivery(dossier: str = typer.Option(..., "--dossier"), provision: str = typer.Option(..., "--provision"),
             cost: float = typer.Option(..., "--cost", help="price paid (a depot item: its refurbishment; rent: per month), euros"),
             form: str = typer.Option("in_kind", "--form", help=f"one of {', '.join(FORMS)}"),
             from_depot: bool = typer.Option(False, "--from-depot", help="the item comes from the depot"),
             melding: Optional[int] = typer.Option(None, "--melding", help="the melding it answers (closes it)"),
             date: Optional[str] = DATE, db: Optional[str] = DB, user: Optional[str] = USER) -> None:
    """Record a delivery (a purchase releases the rest of its earmark)."""
    number = _register(db, user).record_delivery(dossier, provision, _date(date), cost, form, from_depot, melding)
    _say("delivery_recorded", delivery=number, dossier=dossier, provision=provision)


@register_app.command("return")
@refuses_bad_input
def return_(delivery: int = typer.Option(..., "--delivery"), date: Optional[str] = DATE, db: Optional[str] = DB,
            user: Optional[str] = USER) -> None:
    """Record that an item came back (a reusable one goes to the depot)."""
    item = _register(db, user).record_return(delivery, _date(date))
    _say("returned_depot" if item is not None else "returned", delivery=delivery, item=item)


@register_app.command("release")
@refuses_bad_input
def release(dossier: str = typer.Option(..., "--dossier"), provision: str = typer.Option(..., "--provision"),
            amount: Optional[float] = typer.Option(None, "--amount", help="euros (default: all still reserved)"),
            reason: str = typer.Option(..., "--reason", help="why, e.g. 'need window passed'"),
            date: Optional[str] = DATE, db: Optional[str] = DB, user: Optional[str] = USER) -> None:
    """Release (part of) an earmark to the free means."""
    _register(db, user).record_release(dossier, provision, _date(date), amount, reason)
    _say("released", dossier=dossier, provision=provision)


def _ending(status: str):
    def command(dossier: str = typer.Option(..., "--dossier"), date: Optional[str] = DATE,
                db: Optional[str] = DB, user: Optional[str] = USER) -> None:
        released = _register(db, user).record_status(dossier, status, _date(date))
        _say(f"status_{status}", dossier=dossier, releases=len(released))
    command.__doc__ = {"deceased": "Record a client's death (closes meldingen, releases every earmark).",
                       "wlz": "Record an entry into a Wlz institution (closes Wmo meldingen, releases Wmo earmarks).",
                       "moved": "Record a move away (closes Wmo meldingen, releases Wmo earmarks)."}[status]
    return command


for _status, _verb in zip(ENDINGS, ("death", "wlz", "move")):
    register_app.command(_verb)(refuses_bad_input(_ending(_status)))


@register_app.command("visit")
@refuses_bad_input
def visit(dossier: str = typer.Option(..., "--dossier"),
          file: str = typer.Option(..., "--visit", help="a follow-up visit (YAML, as for `ivp plan --visit`)"),
          db: Optional[str] = DB, user: Optional[str] = USER) -> None:
    """Record follow-up visits (the next `issue-ivp` plans from them)."""
    register = _register(db, user)
    profile, _ = reg.planning.client_facts(register, dossier)
    visits = load_visits([visit_path(file)], profile.diagnosis_date, register.catalog.ids)
    _say("visits_recorded", count=len(reg.planning.record_visits(register, dossier, visits)), dossier=dossier)


@register_app.command("stock")
@refuses_bad_input
def stock(provision: str = typer.Option(..., "--provision"), count: int = typer.Option(1, "--count"),
          date: Optional[str] = DATE, db: Optional[str] = DB, user: Optional[str] = USER) -> None:
    """Take items the depot already holds into the register."""
    ids = _register(db, user).take_into_stock(provision, count, _date(date))
    _say("stocked", count=len(ids), provision=provision)


@register_app.command("list")
@refuses_bad_input
def list_(db: Optional[str] = DB, as_of: Optional[str] = typer.Option(None, "--as-of", help="the report's date: yyyy-mm-dd or dd-mm-jjjj (default: today)"),
          lang: Language = LANG) -> None:
    """The clients: status, IVP version and money."""
    report = reg.report.build_report(reg.database.open_register(db), options.date("--as-of", as_of) if as_of else None)
    typer.echo("\n".join(_clients_table(report, lang.value)))


@register_app.command("show")
@refuses_bad_input
def show(dossier: str = typer.Option(..., "--dossier"), db: Optional[str] = DB,
         as_of: Optional[str] = typer.Option(None, "--as-of", help="the report's date (default: today)"), format: Format = typer.Option(Format.table, "--format"),
         lang: Language = LANG) -> None:
    """One client: earmarked, spent and released per provision; meldingen against the norms."""
    report = reg.report.build_report(reg.database.open_register(db), options.date("--as-of", as_of) if as_of else None, dossier)
    _print(report, format, lang.value)


@register_app.command("report")
@refuses_bad_input
def report(db: Optional[str] = DB, as_of: Optional[str] = typer.Option(None, "--as-of", help="the report's date (default: today)"),
           format: Format = typer.Option(Format.table, "--format"),
           xlsx: Optional[Path] = typer.Option(None, "--xlsx", help="write the report as an Excel workbook"),
           lang: Language = LANG) -> None:
    """The municipality's report: money per financier, the norms, the depot, every melding."""
    outputs.check("--xlsx", xlsx)
    result = reg.report.build_report(reg.database.open_register(db), options.date("--as-of", as_of) if as_of else None)
    if xlsx is not None:
        # the reports import fpdf (about 1 s): only when a document is made
        from ivp.application.reports.register import register_xlsx

        with outputs.atomic("--xlsx", xlsx) as target:
            register_xlsx(result, target, lang.value)
    _print(result, format, lang.value)


@register_app.command("log")
@refuses_bad_input
def log(db: Optional[str] = DB, dossier: Optional[str] = typer.Option(None, "--dossier"),
        limit: int = typer.Option(50, "--limit", help="newest entries shown")) -> None:
    """The audit log: who recorded what, when (newest first)."""
    options.count("--limit", limit, 1)
    database = reg.database.open_register(db)
    for entry in reg.exchange.audit_entries(database, dossier, limit):
            typer.echo(f"{entry.at:%d-%m-%Y %H:%M:%S}  {entry.user_name}  {entry.action}  {entry.dossier or ''}  "
                       f"{json.dumps(entry.details, ensure_ascii=False)}")


@register_app.command("export")
@refuses_bad_input
def export(file: Path = typer.Argument(..., help="an Excel workbook (.xlsx: one sheet per table) or a JSON backup (.json)"),
           db: Optional[str] = DB) -> None:
    """Export everything: to read in Excel, or as a backup that `restore` loads."""
    suffix = file.suffix.lower()
    if suffix not in (".xlsx", ".json"):
        raise InputError.single("FILE", "", "export_suffix", got=excerpt(suffix or "(none)"))
    outputs.check("FILE", file)
    database = reg.database.open_register(db)
    with outputs.atomic("FILE", file) as target:
        (reg.exchange.export_json if suffix == ".json" else reg.exchange.export_xlsx)(database, target)
    _say("exported", file=str(file))


@register_app.command("restore")
@refuses_bad_input
def restore(file: Path = typer.Argument(..., help="a JSON backup made by `ivp register export`"),
            db: Optional[str] = DB) -> None:
    """Load a backup into a new, empty register (run `init` on it first)."""
    counts = reg.exchange.restore(reg.database.open_register(db), file)
    _say("restored", rows=sum(counts.values()), file=str(file))


# -- tables ------------------------------------------------------------------------------


def _h(key: str, lang: str) -> str:
    return text(f"register.col.{key}", lang)


def _e(value, lang: str) -> str:
    return "" if value is None or value != value else format_euro(value, lang)


def _d(value, lang: str) -> str:
    return "" if value is None or value != value else format_date(value, lang)


def _clients_table(report, lang: str) -> list[str]:
    money = ("earmarked_eur", "spent_eur", "released_eur", "reserved_eur", "topped_up_eur")
    header = [_h(k, lang) for k in ("dossier", "diagnosis_date", "status", "ivp_version", *money)]
    rows = [[r.dossier, _d(r.diagnosis_date, lang), text(f"register.status.{r.status}", lang) +
             (f" {_d(r.status_on, lang)}" if r.status_on else ""), "" if r.ivp_version != r.ivp_version or
             r.ivp_version is None else str(int(r.ivp_version)), *(_e(getattr(r, k), lang) for k in money)]
            for r in report.clients.itertuples()]
    if not rows:
        return [text("register.cli.no_clients", lang)]
    return text_table(header, rows, left=3)


def _print(report, format: Format, lang: str) -> None:
    if format is Format.json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return
    lines = [text("register.cli.report_title" if report.dossier is None else "register.cli.client_title", lang,
                  dossier=report.dossier or "", date=_d(report.as_of, lang)), ""]
    lines += _clients_table(report, lang)
    money = ("earmarked_eur", "spent_eur", "released_eur", "reserved_eur", "topped_up_eur")
    frame = report.by_financier if report.dossier is None else report.money
    keys = ("financier",) if report.dossier is None else ("provision_id", "financier")
    if len(frame):
        lines += ["", text("register.cli.money", lang)]
        lines += text_table([_h(k, lang) for k in (*keys, *money)],
                            [[*(str(getattr(r, k)) for k in keys), *(_e(getattr(r, k), lang) for k in money)]
                             for r in frame.itertuples()], left=len(keys))
    if len(report.meldingen):
        lines += ["", text("register.cli.meldingen", lang)]
        steps = ("melding_on", "confirmed_on", "advised_on", "decided_on", "fitted_on", "delivered_on")
        lines += text_table(
            [_h(k, lang) for k in ("melding_id", "dossier", "provision_id", "route", *steps, "state", "werkdagen",
                                   "norms_breached")],
            [[str(r.melding_id), r.dossier, r.provision_id, r.route, *(_d(getattr(r, k), lang) for k in steps),
              text(f"register.state.{r.state}", lang),
              "" if r.werkdagen_to_delivery is None or r.werkdagen_to_delivery != r.werkdagen_to_delivery
              else format_number(r.werkdagen_to_delivery, lang),
              f"{r.norms_breached}/{r.norms_measured}"] for r in report.meldingen.itertuples()], left=4)
        lines += ["", text("register.cli.norms", lang)]
        lines += text_table([_h(k, lang) for k in ("norm", "limit", "measured", "breached", "share_breached")],
                            [[text(f"norm.{r.norm}", lang), f"{r.limit} {text(f'unit.{r.unit}', lang)}",
                              str(r.measured), str(r.breached),
                              "" if r.share_breached is None or r.share_breached != r.share_breached
                              else format_percent(r.share_breached, lang)]
                             for r in report.norm_summary.itertuples()], left=1)
    if len(report.depot):
        lines += ["", text("register.cli.depot", lang)]
        lines += text_table([_h(k, lang) for k in ("provision_id", "in_stock", "returned", "reissued",
                                                   "stock_value_eur", "savings_eur")],
                            [[r.provision_id, str(r.in_stock), str(r.returned), str(r.reissued),
                              _e(r.stock_value_eur, lang), _e(r.savings_eur, lang)] for r in report.depot.itertuples()])
    typer.echo("\n".join(lines))


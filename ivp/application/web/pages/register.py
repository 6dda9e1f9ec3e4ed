"""Register: the IVPs in operation (``ivp register`` in the browser). Browse the clients and
their reports, and record what happened: a melding and its steps, a delivery, a return, a
death, a Wlz entry or a move, an IVP, a caseload. The page writes only when the user ticks
the confirmation and presses the form's button; every write is one transaction with a line
in the audit log (docs/register.md)."""

from __future__ import annotations

import datetime as dt
import io
import os

import pandas as pd
import streamlit as st

from ivp.application.caseload import load_caseload
from ivp.application.register import planning
from ivp.application.register.database import DEFAULT_FILE, ENV_URL, Database, connect, head_revision
from ivp.application.register.recording import Register, current_user
from ivp.application.register.report import MONEY_COLUMNS, RegisterReport, build_report
from ivp.application.register.terms import ENDINGS, FORMS, ROUTES, STEPS
from ivp.application.reports.register import register_xlsx
from ivp.application.web import cache, ui
from ivp.application.web.i18n import lang, t
from ivp.domain.errors import InputError, Problem
from ivp.models.process import DEFAULT_SEED, load_scenario

DB_KEY = "register.db"
DONE_KEY = "register.done"


def _label(frame: pd.DataFrame) -> pd.DataFrame:
    """The report's columns with their names in the current language, euros and dates formatted."""
    shown = frame.copy()
    for column in shown.columns:
        if column in MONEY_COLUMNS or column.endswith("_eur"):
            shown[column] = shown[column].map(ui.euro)
        elif column.endswith("_on") or column in ("diagnosis_date", "from", "to"):
            shown[column] = shown[column].map(lambda v: "" if v is None or v != v else ui.date(v))
        elif column == "status":
            shown[column] = shown[column].map(lambda v: t(f"register.status.{v}"))
        elif column == "state":
            shown[column] = shown[column].map(lambda v: t(f"register.state.{v}"))
        elif column == "norm":
            shown[column] = shown[column].map(lambda v: t(f"norm.{v}"))
        elif column == "ivp_version":
            shown[column] = shown[column].map(lambda v: "" if v is None or v != v else str(int(v)))
        elif column == "share_breached":
            shown[column] = shown[column].map(lambda v: "" if v is None or v != v else ui.percent(v))
    return shown.rename(columns=lambda c: t(f"register.col.{c}"))


def _offer_init(url: str, label: str, found: str | None) -> None:
    """Explain that the database at ``url`` is not (yet) a register of this version, and make
    or update it when the user confirms; nothing is written (no file made) before."""
    st.info(t("register.app.not_ready", register=ui.plain(label), found=found or "—", head=head_revision()))
    with st.form("register.form.init"):
        if _submitted("register.init", "register.app.init"):
            database = connect(url, create=True)
            try:
                database.migrate()
            finally:
                database.dispose()
            st.rerun()


def _submitted(key: str, label: str = "register.app.record") -> bool:
    """The form's confirmation box and button: True only when the user ticked the box and
    pressed the button (nothing is written otherwise)."""
    confirmed = st.checkbox(t("register.app.confirm"), key=f"{key}.confirm")
    if not st.form_submit_button(t(label)):
        return False
    if not confirmed:
        st.warning(t("register.app.confirm_first"), icon=":material/warning:")
    return confirmed


FIELDS = {"--date": "register.app.date", "--dossier": "register.col.dossier", "--provision": "register.col.provision_id",
          "--melding": "register.col.melding_id", "--delivery": "register.app.delivery", "--cost": "register.app.cost",
          "--form": "register.app.form", "--from-depot": "register.app.from_depot", "--route": "register.col.route",
          "--step": "register.app.step", "status": "register.col.status"}
"""The form's field for each option a refusal names (the verbs are the command line's)."""


def _refused(error: InputError) -> None:
    """A refusal of a form: its fields by their labels on the form."""
    form = t("register.app.the_form")
    ui.show_input_error(InputError(
        Problem(form, t(FIELDS[p.source]) if p.source in FIELDS else p.field or p.source, p.code, p.params, p.row)
        for p in error.problems), source=form)


def _write(register: Register, what, done: str) -> None:
    """Run a recording ``what()`` the user confirmed; say what it did, or why it was refused."""
    try:
        result = what()
    except InputError as error:
        _refused(error)
    else:  # run the page again, so that its tables show what was recorded; the message stays
        st.session_state[DONE_KEY] = t(done, result=result)
        st.rerun()


def _dossier_choice(report: RegisterReport, key: str) -> str | None:
    """A client of the register; the first with an IVP comes first."""
    clients = report.clients
    if clients.empty:
        return None
    with_ivp = clients["ivp_version"].notna().to_numpy()
    first = int(with_ivp.argmax()) if with_ivp.any() else 0
    return st.selectbox(t("register.col.dossier"), clients["dossier"].tolist(), index=first, key=key)


def _catalog_choice(key: str) -> str:
    catalog = cache.effective_catalog()
    names = {p.id: (p.name_nl if lang() == "nl" else p.name_en) for p in catalog}
    return st.selectbox(t("register.col.provision_id"), list(names), format_func=lambda p: f"{names[p]} ({p})", key=key)


def _clients_tab(report: RegisterReport, database: Database) -> None:
    if report.clients.empty:
        st.info(t("register.cli.no_clients"))
        return
    st.dataframe(_label(report.clients), hide_index=True, width="stretch")
    dossier = _dossier_choice(report, "register.show")
    if dossier is None:
        return
    client = build_report(database, report.as_of, dossier, catalog=cache.effective_catalog())
    st.subheader(t("register.cli.client_title", dossier=ui.plain(dossier), date=ui.date(report.as_of)))
    st.dataframe(_label(client.money.drop(columns=["dossier"])), hide_index=True, width="stretch")
    if len(client.meldingen):
        st.markdown(f"**{t('register.cli.meldingen')}**")
        st.dataframe(_label(client.meldingen), hide_index=True, width="stretch")
        st.dataframe(_label(client.norms.drop(columns=["dossier"])), hide_index=True, width="stretch")


def _report_tab(report: RegisterReport) -> None:
    st.markdown(f"**{t('register.cli.money')}**")
    st.dataframe(_label(report.by_financier), hide_index=True, width="stretch")
    st.markdown(f"**{t('register.cli.norms')}**")
    st.caption(t("register.app.norms_note"))
    st.dataframe(_label(report.norm_summary), hide_index=True, width="stretch")
    if len(report.meldingen):
        st.markdown(f"**{t('register.cli.meldingen')}**")
        st.dataframe(_label(report.meldingen), hide_index=True, width="stretch")
    st.markdown(f"**{t('register.cli.depot')}**")
    st.dataframe(_label(report.depot), hide_index=True, width="stretch")
    st.download_button(t("register.app.download"), data=register_xlsx(report, lang=lang()),
                       file_name=f"ivp_register_{report.as_of.isoformat()}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", on_click="ignore")


def _record_tab(register: Register, report: RegisterReport) -> None:
    today = dt.date.today()
    kind = st.radio(t("register.app.what"), ("melding", "step", "decision", "delivery", "return", "status", "ivp"),
                    format_func=lambda k: t(f"register.app.kind.{k}"), horizontal=True, key="register.kind")
    with st.form(f"register.form.{kind}"):
        if kind == "melding":
            dossier = _dossier_choice(report, "register.melding.dossier")
            provision = _catalog_choice("register.melding.provision")
            route = st.selectbox(t("register.col.route"), ROUTES, key="register.melding.route")
            on = st.date_input(t("register.app.date"), today, max_value=today, format="DD-MM-YYYY")
            if _submitted("register.melding"):
                _write(register, lambda: register.record_melding(dossier, provision, on, route),
                       "register.app.done.melding")
        elif kind == "step":
            melding = st.number_input(t("register.col.melding_id"), min_value=1, step=1, key="register.step.melding")
            step = st.selectbox(t("register.app.step"), list(STEPS), format_func=lambda s: t(f"register.app.step.{s}"),
                                key="register.step.choice")
            on = st.date_input(t("register.app.date"), today, max_value=today, format="DD-MM-YYYY")
            if _submitted("register.step"):
                _write(register, lambda: register.record_step(int(melding), step, on), "register.app.done.recorded")
        elif kind == "decision":
            melding = st.number_input(t("register.col.melding_id"), min_value=1, step=1, key="register.decision.melding")
            granted = st.radio(t("register.col.decision"), ("granted", "refused"),
                               format_func=lambda d: t(f"register.app.decision.{d}"), horizontal=True) == "granted"
            on = st.date_input(t("register.app.date"), today, max_value=today, format="DD-MM-YYYY")
            if _submitted("register.decision"):
                _write(register, lambda: register.record_decision(int(melding), on, granted),
                       "register.app.done.recorded")
        elif kind == "delivery":
            dossier = _dossier_choice(report, "register.delivery.dossier")
            provision = _catalog_choice("register.delivery.provision")
            cost = st.number_input(t("register.app.cost"), min_value=0.0, step=100.0, key="register.delivery.cost")
            form = st.selectbox(t("register.app.form"), FORMS, format_func=lambda f: t(f"register.app.form.{f}"))
            from_depot = st.checkbox(t("register.app.from_depot"), key="register.delivery.depot")
            melding = st.number_input(t("register.app.melding_optional"), min_value=0, step=1,
                                      key="register.delivery.melding")
            on = st.date_input(t("register.app.date"), today, max_value=today, format="DD-MM-YYYY")
            if _submitted("register.delivery"):
                _write(register, lambda: register.record_delivery(dossier, provision, on, cost, form, from_depot,
                                                                  int(melding) or None), "register.app.done.delivery")
        elif kind == "return":
            delivery = st.number_input(t("register.app.delivery"), min_value=1, step=1, key="register.return.delivery")
            on = st.date_input(t("register.app.date"), today, max_value=today, format="DD-MM-YYYY")
            if _submitted("register.return"):
                _write(register, lambda: register.record_return(int(delivery), on), "register.app.done.recorded")
        elif kind == "status":
            dossier = _dossier_choice(report, "register.status.dossier")
            status = st.radio(t("register.col.status"), ENDINGS, format_func=lambda s: t(f"register.status.{s}"),
                              horizontal=True, key="register.status.choice")
            on = st.date_input(t("register.app.date"), today, max_value=today, format="DD-MM-YYYY")
            if _submitted("register.status"):
                _write(register, lambda: len(register.record_status(dossier, status, on)),
                       "register.app.done.status")
        else:
            dossier = _dossier_choice(report, "register.ivp.dossier")
            scenario_name = st.selectbox(t("register.col.route"), ("protocol", "current_practice", "pgb"),
                                         key="register.ivp.scenario")
            on = st.date_input(t("register.app.date"), today, max_value=today, format="DD-MM-YYYY")
            st.caption(t("register.app.ivp_note"))
            if _submitted("register.ivp"):
                def issue():
                    scenario = load_scenario(scenario_name, catalog=register.catalog)
                    with st.spinner(t("register.app.planning")):
                        plan = planning.make_plan(register, dossier, scenario, 1000, DEFAULT_SEED)
                    return planning.issue_plan(register, dossier, plan, DEFAULT_SEED, on)
                _write(register, issue, "register.app.done.ivp")


def _import_tab(register: Register) -> None:
    st.markdown(t("register.app.import_howto"))
    upload = st.file_uploader(t("register.app.upload"), type=["csv", "xlsx"], key="register.upload")
    data = ui.upload_bytes(upload)
    if data is None:
        return
    try:
        caseload = load_caseload(io.BytesIO(data), name=upload.name, catalog=register.catalog)
    except InputError as error:
        ui.show_input_error(error, source=upload.name)
        return
    st.write(t("register.app.import_preview", n=len(caseload), name=ui.plain(upload.name)))
    with st.form("register.form.import"):
        if _submitted("register.import", "register.app.import"):
            _write(register, lambda: register.import_caseload(caseload), "register.app.done.import")


def main() -> None:
    st.title(t("register.app.title"))
    st.markdown(t("register.app.intro"))
    default = os.environ.get(ENV_URL) or DEFAULT_FILE
    url = st.text_input(t("register.app.db"), value=st.session_state.get(DB_KEY, default), help=t("register.app.db_help"))
    st.session_state[DB_KEY] = url
    with ui.guard(t("register.app.title")):
        try:
            database = connect(url)
        except InputError as error:
            if [p.code for p in error.problems] != ["register_empty"]:
                raise
            _offer_init(url, error.problems[0].params["register"], None)
            return
        try:
            _page(database, url)
        finally:
            database.dispose()


def _page(database: Database, url: str) -> None:
    if database.revision() != head_revision():
        _offer_init(url, database.label, database.revision())
        return
    register = Register(database, user=current_user(), catalog=cache.effective_catalog())
    report = build_report(database, catalog=register.catalog)
    st.caption(t("register.app.where", register=ui.plain(database.label), n=len(report.clients),
                 date=ui.date(report.as_of)))
    if DONE_KEY in st.session_state:
        st.success(st.session_state.pop(DONE_KEY), icon=":material/check:")
    clients, record, reports, load = st.tabs([t("register.app.tab.clients"), t("register.app.tab.record"),
                                              t("register.app.tab.report"), t("register.app.tab.import")])
    with clients:
        _clients_tab(report, database)
    with record:
        _record_tab(register, report)
    with reports:
        _report_tab(report)
    with load:
        _import_tab(register)


main()

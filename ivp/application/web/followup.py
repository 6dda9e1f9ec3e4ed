"""The IVP page's follow-up visits: record or upload visits, and show what they changed.

Visits live in the session (``VISITS_KEY``: ``(visit, source)`` pairs, checked together with
:func:`ivp.domain.visit.check_visits` against the client's diagnosis date and the
catalogue). With visits, the page computes the plan as of the last one
(:func:`ivp.application.followup.follow_up`) and its *Vervolg* tab draws the previous and the
updated timeline side by side, the changes per provision and the earmark's reconciliation.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st

from ivp.application.examples import EXAMPLES_DIR
from ivp.application.web import charts, ui
from ivp.application.web.i18n import t, word
from ivp.domain.errors import InputError
from ivp.domain.profile import ALSFRS_MAX, RANGES
from ivp.domain.units import DAYS_PER_MONTH
from ivp.domain.visit import ALSFRS_R_ITEMS, Visit, check_visits, parse_visits
from ivp.domain.yamlfile import parse_yaml

VISITS_KEY = "plan.visits"
VISIT_FORM = "plan.visit.f."


def visits() -> tuple[Visit, ...]:
    """The session's visits, in date order."""
    return tuple(visit for visit, _ in st.session_state.get(VISITS_KEY, ()))


def _store(found: list[tuple[Visit, str]], diagnosis: dt.date | None, catalog) -> bool:
    """Check ``found`` with the stored visits; keep them all, or show why not."""
    try:
        checked = check_visits(list(st.session_state.get(VISITS_KEY, ())) + found, diagnosis, catalog.ids)
    except InputError as error:
        ui.show_input_error(error)
        return False
    sources = {id(v): s for v, s in list(st.session_state.get(VISITS_KEY, ())) + found}
    st.session_state[VISITS_KEY] = tuple((v, sources[id(v)]) for v in checked)
    return True


def example_visits(stem: str | None) -> list[Path]:
    """The shipped example visits of the example profile ``stem`` (``visits/<stem>_*.yaml``)."""
    return sorted((EXAMPLES_DIR / "visits").glob(f"{stem}_*.yaml")) if stem else []


def panel(diagnosis: dt.date | None, catalog, names: dict[str, str], example: str | None = None) -> None:
    """The expander where visits are uploaded, added and removed; ``example``: the example
    profile shown, whose example visits can be loaded."""
    stored = st.session_state.get(VISITS_KEY, ())
    with st.expander(t("visit.title", n=len(stored)), expanded=False, icon=":material/event_repeat:"):
        st.caption(t("visit.intro"))
        if diagnosis is None:
            st.info(t("visit.needs_diagnosis"))
            return
        for visit, source in stored:
            st.markdown(t("visit.line", date=ui.date(visit.date), observed=_observed(visit),
                          delivered=", ".join(names.get(d.provision, d.provision) for d in visit.delivered) or "–",
                          declined=", ".join(names.get(p, p) for p in visit.declined) or "–", source=ui.plain(source)))
        if stored and st.button(t("visit.clear"), icon=":material/delete:", key="plan.visit.clear"):
            st.session_state.pop(VISITS_KEY, None)
            st.rerun()
        shipped = example_visits(example)
        if shipped and not stored and st.button(t("visit.examples", n=len(shipped)), icon=":material/download:",
                                                key="plan.visit.examples"):
            try:
                found = [(v, path.name) for path in shipped for v in parse_visits(
                    parse_yaml(path.read_text(encoding="utf-8"), path.name), path.name)]
            except InputError as error:
                ui.show_input_error(error)
            else:
                if _store(found, diagnosis, catalog):
                    st.rerun()
        upload = st.file_uploader(t("visit.upload"), type=["yaml", "yml"], key="plan.visit.upload",
                                  help=t("visit.upload.help"))
        if upload is not None and st.button(t("visit.upload.add"), key="plan.visit.upload.add"):
            data = ui.upload_bytes(upload)
            if data is not None:
                try:
                    found = [(v, upload.name) for v in parse_visits(parse_yaml(data.decode("utf-8-sig"), upload.name),
                                                                     upload.name)]
                except (InputError, UnicodeDecodeError) as error:
                    ui.show_input_error(error if isinstance(error, InputError) else
                                        InputError.single(upload.name, "", "not_utf8"), source=upload.name)
                else:
                    if _store(found, diagnosis, catalog):
                        st.rerun()
        _form(diagnosis, catalog, names)


def _observed(visit: Visit) -> str:
    if visit.total is not None:
        return t("visit.total", total=ui.number(visit.total))
    if visit.alsfrs_r:
        return t("visit.items", n=len(visit.alsfrs_r))
    return t("visit.no_score")


def _form(diagnosis: dt.date, catalog, names: dict[str, str]) -> None:
    with st.form("plan.visit.form", border=True):
        st.markdown(f"**{t('visit.add')}**")
        c1, c2, c3 = st.columns(3)
        date = c1.date_input(t("visit.date"), value=None, format="DD-MM-YYYY", min_value=diagnosis,
                             max_value=dt.date(2090, 12, 31), key=VISIT_FORM + "date")
        total = c2.number_input(t("visit.total.field"), min_value=0, max_value=int(ALSFRS_MAX), value=None, step=1,
                                help=t("visit.total.help"), key=VISIT_FORM + "total")
        low, high = RANGES["fvc_percent"]
        fvc = c3.number_input(t("visit.fvc"), min_value=int(low), max_value=int(high), value=None, step=1,
                              key=VISIT_FORM + "fvc")
        st.caption(t("visit.items.help"))
        columns = st.columns(6)
        items = {}
        for index, item in enumerate(ALSFRS_R_ITEMS):
            value = columns[index % 6].selectbox(word("alsfrs_item", item), [None, 4, 3, 2, 1, 0], index=0,
                                                 format_func=lambda v: "–" if v is None else str(v),
                                                 key=VISIT_FORM + item)
            if value is not None:
                items[item] = value
        ids = list(catalog.ids)
        c1, c2, c3 = st.columns(3)
        delivered = c1.multiselect(t("visit.delivered"), ids, format_func=lambda i: names.get(i, i),
                                   key=VISIT_FORM + "delivered")
        delivered_on = c2.date_input(t("visit.delivered_on"), value=None, format="DD-MM-YYYY", min_value=diagnosis,
                                     max_value=dt.date(2090, 12, 31), help=t("visit.delivered_on.help"),
                                     key=VISIT_FORM + "delivered_on")
        declined = c3.multiselect(t("visit.declined"), ids, format_func=lambda i: names.get(i, i),
                                  key=VISIT_FORM + "declined")
        if not st.form_submit_button(t("visit.submit"), icon=":material/add:"):
            return
    source = t("visit.form_source")
    record = {"date": date, "alsfrs_r": items, "fvc_percent": fvc, "declined": declined,
              "delivered": [{"provision": p, "date": delivered_on or date} for p in delivered]}
    if total is not None:
        record["alsfrs_r_total"] = total
    try:
        found = [(v, source) for v in parse_visits({k: v for k, v in record.items() if v is not None}, source)]
    except InputError as error:
        ui.show_input_error(error, source=source)
        return
    if _store(found, diagnosis, catalog):
        st.rerun()


def tab(result, names: dict[str, str]) -> None:
    """The follow-up tab: timelines side by side, the changes and the earmark's fate."""
    plan, f = result.plan, result.plan.followup
    widened = "" if f.widening <= 1 else " " + t("visit.widened" if f.matched else "visit.unmatched",
                                                  factor=ui.number(f.widening, 2))
    st.markdown(t("visit.summary", n=len(f.visits), as_of=ui.date(f.as_of), effective=ui.number(f.effective_courses),
                  pool=ui.number(f.pool_courses)) + widened)
    if f.previous is None:
        st.info(t("visit.no_previous"))
    else:
        left, right = st.columns(2)
        # one time axis for both, to the later P90 of survival: the two plans read side by side
        months = max(p.survival_months["p90"] for p in (f.previous, plan))
        span = [plan.diagnosis_date - dt.timedelta(days=30),
                plan.diagnosis_date + dt.timedelta(days=int(months * DAYS_PER_MONTH) + 60)]
        for column, shown, title in ((left, f.previous, t("visit.previous", date=ui.date(f.previous_as_of))),
                                     (right, plan, t("visit.updated", date=ui.date(f.as_of)))):
            column.markdown(f"**{title}**")
            if shown.table["in_plan"].any():
                figure = charts.timeline(shown.table, shown.delivery, shown.diagnosis_date,
                                         shown.survival_months["p50"], names,
                                         survival_p90_months=shown.survival_months["p90"])
                figure.update_xaxes(range=span)
                column.plotly_chart(figure, width="stretch", config={"displaylogo": False},
                                    key=f"plan.visit.timeline.{title}")
            else:
                column.info(t("plan.timeline.none"))
    if len(f.changes):
        rows = [{
            t("plan.col.name"): names.get(r.provision_id, r.provision_id),
            t("visit.col.before"): t(f"followup.status.{r.status_before}"),
            t("visit.col.after"): t(f"followup.status.{r.status_after}"),
            t("visit.col.probability"): f"{ui.percent(r.probability_before)} → {ui.percent(r.probability_after)}",
            t("visit.col.need"): f"{ui.date(r.need_p50_before)} → {ui.date(r.need_p50_after)}",
            t("visit.col.request_by"): f"{ui.date(r.request_by_before)} → "
                                       + (t("plan.now") if r.request_now else ui.date(r.request_by_after)),
            t("visit.col.budget"): t(f"followup.budget.{r.budget}") if r.budget else "",
        } for r in f.changes.itertuples() if "in_plan" in (r.status_before, r.status_after)
            or r.status_before != r.status_after]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        st.markdown(t("visit.budget.intro"))
        st.dataframe(pd.DataFrame([{
            "": word("financier_short", r.financier) if r.financier != "totaal" else t("visit.total_row"),
            t("visit.budget.before"): ui.euro(r.earmarked_before), t("followup.budget.spent").capitalize(): ui.euro(r.spent),
            t("followup.budget.still_earmarked").capitalize(): ui.euro(r.still_earmarked),
            t("followup.budget.released").capitalize(): ui.euro(r.released),
            t("followup.budget.added").capitalize(): ui.euro(r.added),
            t("visit.budget.after"): ui.euro(r.earmarked_after),
        } for r in f.budget.itertuples()]), hide_index=True, width="stretch")
    st.caption(t("visit.source"))

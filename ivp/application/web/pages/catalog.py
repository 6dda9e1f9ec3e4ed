"""Catalogus: the protocol's provisions, subtotals beside the protocol's figures, local overrides."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ivp.application.web import cache, state, ui
from ivp.application.web.i18n import lang, pick, t, word
from ivp.domain import catalog as ivp_catalog
from ivp.domain.catalog.schema import FINANCIERS, OVERRIDABLE_FIELDS
from ivp.domain.errors import InputError
from ivp.domain.messages import has_text

MARK = "✎"
_CHANGED_STYLE = "background-color: #fff3cd"


def _overrides_section() -> None:
    st.subheader(t("catalog.local.header"))
    st.markdown(t("catalog.local.howto"))
    catalog = cache.effective_catalog()
    left, right = st.columns(2)
    left.download_button(
        t("catalog.template_csv"),
        data=ivp_catalog.template_csv(catalog).encode("utf-8"),
        file_name="ivp_catalogus_sjabloon.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
    right.download_button(
        t("catalog.template_xlsx"),
        data=ivp_catalog.template_xlsx(catalog),
        file_name="ivp_catalogus_sjabloon.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        on_click="ignore",
    )
    upload = st.file_uploader(
        t("catalog.upload"),
        type=["csv", "xlsx"],
        help=t("catalog.upload_help"),
        key=f"catalog.upload.{state.upload_generation()}",
    )
    data = ui.upload_bytes(upload)
    if data is not None:
        try:
            loaded = cache.load_catalog(upload.name, data)
        except InputError as error:
            ui.show_input_error(error, source=upload.name)
        else:
            if state.overrides() != (upload.name, data):
                state.set_overrides(upload.name, data)
            if not loaded.overridden:
                st.info(t("catalog.loaded_same", name=ui.plain(upload.name)))
    current = state.overrides()
    if current is None:
        st.caption(t("catalog.active_protocol"))
    else:
        with ui.guard(t("catalog.title")):
            changed = len(cache.effective_catalog().overridden)
            st.success(t("catalog.active_local", name=ui.plain(current[0]), n=changed), icon=":material/edit:")
        st.button(t("catalog.reset"), on_click=state.clear_overrides, icon=":material/undo:")


def _provisions_frame(catalog: ivp_catalog.Catalog, financier: str | None) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """The table shown, and the (row, column) cells that a local override changed."""
    columns = {
        "cost_eur": t("catalog.col.cost"),
        "sla_advice": t("catalog.col.advice"),
        "sla_decision": t("catalog.col.decision"),
        "sla_supplier": t("catalog.col.supplier"),
        "sla_total": t("catalog.col.total"),
        "acquisition": word("field", "acquisition"),
        "rent_eur_month": word("field", "rent_eur_month"),
        "maintenance_eur_year": word("field", "maintenance_eur_year"),
        "adaptation_eur": word("field", "adaptation_eur"),
        "own_contribution": word("field", "own_contribution"),
        "price_year": word("field", "price_year"),
    }
    rows, marked = [], []
    for provision in catalog:
        if financier and provision.financier != financier:
            continue
        changed = catalog.overridden.get(provision.id, ())
        flat = provision.flat()
        row = {
            t("catalog.col.name"): pick(provision.name_nl, provision.name_en),
            t("catalog.col.financier"): word("financier_short", provision.financier),
            t("catalog.col.reuse"): word("reuse", provision.reuse),
        }
        for field, title in columns.items():
            value = _cell(field, flat[field])
            if field in changed:
                value = f"{value} {MARK}"
                marked.append((len(rows), title))
            row[title] = value
        row[t("catalog.col.chain")] = word("chain", provision.chain)
        row[t("catalog.col.delivery")] = word("delivery", provision.delivery)
        row[t("catalog.col.changed")] = ", ".join(word("field", f) for f in OVERRIDABLE_FIELDS if f in changed)
        row[t("catalog.col.source")] = provision.source
        row["id"] = provision.id
        rows.append(row)
    return pd.DataFrame(rows), marked


EURO_FIELDS = ("cost_eur", "rent_eur_month", "maintenance_eur_year", "adaptation_eur")


def _cell(field: str, value) -> str:
    """A catalogue field as the table shows it."""
    if value is None:
        return "–"
    if field in EURO_FIELDS:
        return ui.euro(value)
    if field == "acquisition":
        return t(f"acquisition.{value}")
    if field == "own_contribution":
        return t("plan.yes") if value else t("plan.no")
    return str(value)


def _table_section(catalog: ivp_catalog.Catalog) -> None:
    st.subheader(t("catalog.table.header"))
    choice = st.segmented_control(
        t("catalog.filter"),
        options=["all", *FINANCIERS],
        # labels fixed at render: a format_func must not read the session's language later
        format_func={"all": t("catalog.filter.all"), "wmo": word("financier", "wmo"), "zvw": word("financier", "zvw")}.get,
        default="all",
        key="catalog.filter",
    )
    frame, marked = _provisions_frame(catalog, None if choice in (None, "all") else choice)
    styled = frame.style
    if marked:
        def highlight(data: pd.DataFrame) -> pd.DataFrame:
            styles = pd.DataFrame("", index=data.index, columns=data.columns)
            for row, column in marked:
                styles.iloc[row, data.columns.get_loc(column)] = _CHANGED_STYLE
            return styles

        styled = styled.apply(highlight, axis=None)
    st.dataframe(styled, hide_index=True, width="stretch", height=min(38 + 35 * len(frame), 640))
    st.caption(t("catalog.table.caption"))


def _subtotals_section(catalog: ivp_catalog.Catalog) -> None:
    st.subheader(t("catalog.subtotals.header"))
    st.markdown(t("catalog.subtotals.intro"))
    parts = ivp_catalog.subtotals(catalog)
    rows = []
    for part in parts:
        protocol = (
            ui.euro(part.protocol_high)
            if part.protocol_low == part.protocol_high
            else f"{ui.euro(part.protocol_low)} – {ui.euro(part.protocol_high)}"
        )
        rows.append(
            {
                t("catalog.sub.class"): f"{word('financier_short', part.financier)} {word('reuse', part.reuse)}",
                t("catalog.sub.maximum"): ui.euro(part.maximum),
                t("catalog.sub.lower"): ui.euro(part.lower_end),
                t("catalog.sub.protocol"): protocol,
                t("catalog.sub.diff"): ui.euro(part.lower_end - part.protocol_low),
                t("catalog.sub.dropped"): ", ".join(pick(p.name_nl, p.name_en) for p in part.dropped) or "–",
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    for part in parts:
        st.markdown(
            f"**{word('financier_short', part.financier)} {word('reuse', part.reuse)}.** {part.note(lang())}  \n"
            f"<small>{t('catalog.sub.source')}: {part.source}</small>",
            unsafe_allow_html=True,
        )
    st.subheader(t("catalog.totals.header"))
    columns = st.columns(2)
    for column, total in zip(columns, ivp_catalog.totals(catalog)):
        column.metric(
            word("financier", total.financier),
            f"{ui.euro(total.lower_end)} – {ui.euro(total.maximum)}",
            help=f"{t('catalog.sub.protocol')}: {t('catalog.total.about', amount=ui.euro(total.protocol_about))}. {total.source}",
        )
        column.caption(f"{t('catalog.sub.protocol')}: {t('catalog.total.about', amount=ui.euro(total.protocol_about))}")


def _norms_section() -> None:
    st.subheader(t("catalog.norms.header"))
    norms = cache.norms()
    rows = []
    for name in type(norms).model_fields:
        norm = getattr(norms, name)
        limit = ui.werkdagen(norm.limit) if norm.unit == "werkdagen" else f"{norm.limit} {word('unit', norm.unit)}"
        rows.append(
            {
                t("catalog.norm.name"): word("norm", name) if has_text(f"norm.{name}") else norm.description,
                t("catalog.norm.limit"): limit,
                t("catalog.norm.after"): word("event", norm.after),
                t("catalog.norm.source"): norm.source,
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def render() -> None:
    st.title(t("catalog.title"))
    with ui.guard(t("catalog.title")):
        st.markdown(t("catalog.intro", n=len(cache.load_catalog())))
    with st.container(border=True):
        with ui.guard(t("catalog.local.header")):
            _overrides_section()
    catalog = None
    with ui.guard(t("catalog.title")):
        catalog = cache.effective_catalog()
    if catalog is not None:
        with ui.guard(t("catalog.table.header")):
            _table_section(catalog)
        with ui.guard(t("catalog.subtotals.header")):
            _subtotals_section(catalog)
    with ui.guard(t("catalog.norms.header")):
        _norms_section()
    ui.sources_section("catalog.sources")


render()

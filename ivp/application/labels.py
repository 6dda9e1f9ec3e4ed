"""Words the exports share, in the document's language, from the message catalogue: the
client profile's labels and values, why a provision is not earmarked, the budget's
assumptions with a short explanation, and the names of measures and metrics."""

from __future__ import annotations

import re

from ivp.application.formatting import format_date, format_number, format_percent
from ivp.domain.messages import Lang, text
from ivp.models.disease.params import condition_params

PROFILE_FIELDS = (
    "age_at_onset", "onset_site", "diagnostic_delay_months", "alsfrs_r_at_diagnosis", "dfs", "fvc_percent",
    "definite_el_escorial", "ftd", "c9orf72", "bedroom_or_bathroom_upstairs", "home_adaptable_inside",
    "extension_possible", "ceiling_hoist_possible", "entrance_wheelchair_accessible", "has_van",
    "children_at_home", "lives_alone", "diagnosis_date",
)
"""The profile's fields in the order the documents list them."""
MEASURES = ("earmarked", "spent", "released", "depot_returned", "depot_residual_value", "earmarked_total",
            "spent_total", "released_total", "reserved", "spent_purchase", "spent_rent", "spent_maintenance",
            "own_contribution")
"""The ledger's measures over time (``measure.<name>`` in the catalogue)."""
ASSUMPTION_KIND = {
    "earmark_day": "days", "request_by_need_quantile": "quantile", "request_by_lead_time_quantile": "quantile",
    "earmark_min_probability": "percent", "residual_useful_life_years": "years", "residual_floor_fraction": "percent",
    "rent_monthly_fraction": "percent", "reserve_percentile": "quantile",
}
"""How each budget assumption's value is written."""


def word(kind: str, code: str, lang: Lang) -> str:
    """The catalogue's word for a code (``financier_short.wmo``, ``reuse.herinzetbaar``...)."""
    return text(f"{kind}.{code}", lang)


def yes_no(value, lang: Lang) -> str:
    return text("plan.unknown" if value is None else "plan.yes" if value else "plan.no", lang)


def profile_rows(profile, lang: Lang) -> list[tuple[str, str]]:
    """(label, value) for every field of a profile in ``lang``; unknown fields say so."""
    if profile is None:
        return []
    data = profile.model_dump()
    rows = []
    if not getattr(profile, "is_als", True):  # another motor-neuron disease: say which first
        name = condition_params()[profile.condition.value].name(lang)
        rows.append((text("plan.field.condition", lang), name.split(" (")[0]))  # the abbreviation is in the title
    for field in PROFILE_FIELDS:
        value = data.get(field)
        label = text(f"plan.field.{field}", lang)
        if value is None:
            shown = text("plan.unknown", lang)
        elif field == "onset_site":
            shown = text(f"onset.{getattr(value, 'value', value)}", lang)
        elif field == "diagnosis_date":
            shown = format_date(value, lang)
        elif isinstance(value, bool):
            shown = yes_no(value, lang)
        else:
            decimals = 2 if field == "dfs" else 1 if float(value) % 1 else 0
            shown = f"{format_number(value, lang, decimals)} {text(f'doc.unit.{field}', lang)}".strip()
            label = re.sub(r" \([^)]*\)$", "", label)  # the form's unit hint: the value carries the unit
        rows.append((label, shown))
    return rows


def why_not(reason: str, assumptions, lang: Lang) -> str:
    """Why a provision is not earmarked (``Plan.table.not_in_plan``), as a heading for its list."""
    return text(f"plan.why_not.{reason}", lang, threshold=format_percent(assumptions.earmark_min_probability, lang))


def assumption_value(field: str, value, lang: Lang) -> str:
    kind = ASSUMPTION_KIND.get(field)
    if kind == "quantile":
        return f"P{round(float(value) * 100)}"
    if kind == "percent":
        return format_percent(value, lang, 0 if float(value) * 100 % 1 == 0 else 1)
    if kind in ("days", "years"):
        return f"{format_number(value, lang)} {text(f'doc.unit.{kind}', lang)}"
    return str(value)


def assumption_rows(notes, lang: Lang) -> list[tuple[str, str, str]]:
    """(label, value, one-sentence explanation) per budget assumption, in ``lang``; the full
    rationale and source are in ``ivp/domain/budget_assumptions.yaml``."""
    return [(text(f"assumption.{n.field}", lang), assumption_value(n.field, n.value, lang),
             text(f"assumption.{n.field}.why", lang)) for n in notes]

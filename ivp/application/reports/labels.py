"""Dutch labels shared by the Excel and PDF exports."""

from __future__ import annotations

from ivp.application.formatting import format_date, format_number

PROFILE_LABELS = {
    "age_at_onset": ("Leeftijd bij eerste klachten", "jaar"),
    "onset_site": ("Begin van de klachten", ""),
    "diagnostic_delay_months": ("Tijd van eerste klachten tot diagnose", "maanden"),
    "alsfrs_r_at_diagnosis": ("ALSFRS-R bij diagnose", "punten"),
    "dfs": ("Progressiesnelheid ΔFS", "punten per maand"),
    "fvc_percent": ("FVC", "% van voorspeld"),
    "definite_el_escorial": ("Definitieve ALS (El Escorial)", ""),
    "ftd": ("Frontotemporale dementie", ""),
    "c9orf72": ("C9orf72-herhaling", ""),
    "bedroom_or_bathroom_upstairs": ("Slaap- of badkamer op de verdieping", ""),
    "home_adaptable_inside": ("Woning inpandig aan te passen", ""),
    "extension_possible": ("Aanbouw mogelijk", ""),
    "ceiling_hoist_possible": ("Plafondlift mogelijk", ""),
    "entrance_wheelchair_accessible": ("Entree rolstoeltoegankelijk", ""),
    "has_van": ("Bus (of komt er een) voor rolstoelvervoer", ""),
    "children_at_home": ("Schoolgaande kinderen thuis", ""),
    "lives_alone": ("Woont alleen", ""),
    "diagnosis_date": ("Diagnosedatum", ""),
}
ONSET_NL = {"bulbar": "bulbair", "arms": "armen", "legs": "benen", "respiratory": "ademhaling"}
FINANCIER_NL = {"wmo": "Wmo", "zvw": "Zvw"}
REUSE_NL = {"clientgebonden": "cliëntgebonden", "herinzetbaar": "herinzetbaar", "totaal": "totaal"}

MEASURE_NL = {
    "earmarked": "Geoormerkt in periode",
    "spent": "Uitgegeven in periode",
    "released": "Vrijgevallen in periode",
    "depot_returned": "Naar depot (aantal)",
    "depot_residual_value": "Naar depot (restwaarde)",
    "earmarked_total": "Geoormerkt (totaal)",
    "spent_total": "Uitgegeven (totaal)",
    "released_total": "Vrijgevallen (totaal)",
    "reserved": "Nog gereserveerd",
}

METRIC_NL = {
    "outlay": "Uitgaven",
    "earmarked": "Geoormerkt (nieuwe IVP's en aanvullingen)",
    "released": "Vrijgevallen naar vrije middelen",
    "reserved_end": "Nog geoormerkt aan het eind van het jaar",
    "depot_reissues": "Depot: hergebruikte hulpmiddelen (aantal)",
    "depot_savings": "Depot: besparing (nieuwprijs min opknapkosten)",
    "depot_returns": "Depot: teruggekomen hulpmiddelen (aantal)",
    "depot_return_value": "Depot: restwaarde teruggekomen hulpmiddelen",
    "depot_stock_end": "Depot: voorraad eind van het jaar (aantal)",
    "purchases": "Aankopen (aantal)",
    "new_clients": "Nieuwe cliënten",
    "active_clients": "Cliënten in zorg",
    "deaths": "Overleden",
    "requests": "Aanvragen (behoefte begint)",
    "gap_days_total": "Dagen zonder nodig hulpmiddel (totaal)",
    "gap_days_mean": "Dagen zonder nodig hulpmiddel (gemiddeld per aanvraag)",
    "share_gap_over_20wd": "Aandeel aanvragen met gat > 20 werkdagen",
}

ASSUMPTION_NL = {
    "earmark_day": "Dag van oormerken (dagen na diagnose)",
    "request_by_need_quantile": "Aanvragen uiterlijk: kwantiel behoeftedatum",
    "request_by_lead_time_quantile": "Aanvragen uiterlijk: kwantiel doorlooptijd",
    "residual_useful_life_years": "Afschrijvingsduur herinzetbare hulpmiddelen (jaar)",
    "residual_floor_fraction": "Minimale restwaarde (fractie van nieuwprijs)",
    "rent_monthly_fraction": "Huur per maand bij pgb (fractie van nieuwprijs)",
    "reserve_percentile": "Reserveregel: percentiel van de jaaruitgaven",
}


def yes_no(value) -> str:
    if value is None:
        return "onbekend"
    return "ja" if value else "nee"


def profile_rows(profile) -> list[tuple[str, str]]:
    """(label, value) for every field of a profile; unknown fields say so."""
    rows = []
    if profile is None:
        return rows
    data = profile.model_dump()
    for field, (label, unit) in PROFILE_LABELS.items():
        value = data.get(field)
        if value is None:
            text = "onbekend"
        elif field == "onset_site":
            text = ONSET_NL.get(getattr(value, "value", value), str(value))
        elif field == "diagnosis_date":
            text = format_date(value)
        elif isinstance(value, bool):
            text = yes_no(value)
        else:
            text = f"{format_number(value, decimals=1 if float(value) % 1 else 0)} {unit}".strip()
        rows.append((label, text))
    return rows

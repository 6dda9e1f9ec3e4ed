"""Every text the app shows, in Dutch (default) and English.

``t(key, **values)`` returns the text for the language chosen in the sidebar. Keys are
grouped by page (``catalog.*``, ``about.*``...); ``common.*`` and ``sources.*`` are shared.
Model output that arrives in English (messages of refused input, notes in data files) is
translated here too, with the original shown when no translation is known.
"""

from __future__ import annotations

import re
from typing import Literal

import streamlit as st

Lang = Literal["nl", "en"]
LANGS: tuple[Lang, ...] = ("nl", "en")
LANG_KEY = "lang"
LANG_NAMES = {"nl": "Nederlands", "en": "English"}


def lang() -> Lang:
    """The language chosen in the sidebar (Dutch until the user switches)."""
    value = st.session_state.get(LANG_KEY, "nl")
    return value if value in LANGS else "nl"


def t(key: str, **values: object) -> str:
    """The text ``key`` in the current language, with ``{placeholders}`` filled in."""
    nl, en = STRINGS[key]
    text = en if lang() == "en" else nl
    return text.format(**values) if values else text


def pick(nl: str, en: str) -> str:
    """One of two texts that come from data (e.g. ``name_nl`` / ``name_en``)."""
    return en if lang() == "en" else nl


# --------------------------------------------------------------------------------------
# Words for the catalogue's codes
# --------------------------------------------------------------------------------------

FINANCIER = {"wmo": ("Wmo (gemeente)", "Wmo (municipality)"), "zvw": ("Zvw (zorgverzekeraar)", "Zvw (health insurer)")}
FINANCIER_SHORT = {"wmo": ("Wmo", "Wmo"), "zvw": ("Zvw", "Zvw")}
REUSE = {"clientgebonden": ("cliëntgebonden", "client-bound"), "herinzetbaar": ("herinzetbaar", "reusable")}
DELIVERY = {
    "no_lead_time": ("zonder levertijd", "no lead time"),
    "lead_time": ("met levertijd", "with lead time"),
    "single_adaptation": ("enkelvoudige woningaanpassing", "single home adaptation"),
    "multiple_adaptation": ("meervoudige woningaanpassing", "multiple home adaptation"),
}
CHAIN = {
    "mobility": ("mobiliteit", "mobility"),
    "transport": ("vervoer", "transport"),
    "transfers": ("transfers (tilliften)", "transfers (hoists)"),
    "home": ("woning", "home"),
    "stairs": ("trap", "stairs"),
    "toilet": ("toilet", "toilet"),
    "sitting": ("zitten en staan", "sitting and standing"),
    "communication": ("communicatie", "communication"),
    "eating": ("eten en armen", "eating and arms"),
    "breathing": ("ademhaling", "breathing"),
    "bed": ("bed en nacht", "bed and night"),
    "safety": ("veiligheid en bediening", "safety and control"),
    "orthoses": ("orthesen", "orthoses"),
}
FIELD = {
    "id": ("id", "id"),
    "name_nl": ("naam", "name"),
    "cost_eur": ("kosten", "cost"),
    "sla_advice": ("advies (werkdagen)", "advice (working days)"),
    "sla_decision": ("besluit (werkdagen)", "decision (working days)"),
    "sla_supplier": ("leverancier (werkdagen)", "supplier (working days)"),
    "sla_total": ("totaal (werkdagen)", "total (working days)"),
}

NORM = {
    "melding_handling": ("Melding afgehandeld en doorgegeven aan de leverancier", "Melding handled and passed to the supplier"),
    "fitting": ("Passing gepland door de leverancier (uiterlijk de week erna)", "Fitting planned by the supplier (at the latest the following week)"),
    "delivery_no_lead_time": ("Levering van een hulpmiddel zonder levertijd", "Delivery of a device without lead time"),
    "delivery_lead_time": ("Levering van een hulpmiddel met levertijd", "Delivery of a device with lead time"),
    "single_adaptation": ("Enkelvoudige woningaanpassing gerealiseerd", "Single home adaptation realised"),
    "multiple_adaptation": ("Meervoudige woningaanpassing gerealiseerd", "Multiple home adaptations realised"),
    "wmo_investigation": ("Onderzoek door de gemeente (Wmo)", "Investigation by the municipality (Wmo)"),
    "wmo_decision": ("Besluit (beschikking) op de aanvraag", "Decision (beschikking) on the application"),
    "supplier_contact": ("Leverancier neemt contact op met de cliënt", "Supplier contacts the client"),
}
EVENT = {
    "melding": ("melding", "melding (request)"),
    "fitting": ("passing", "fitting"),
    "grant": ("toekenning", "grant"),
    "application": ("aanvraag", "application"),
    "order": ("leveringsopdracht", "delivery order"),
}
UNIT = {"werkdagen": ("werkdagen", "working days"), "weeks": ("weken", "weeks")}

ONSET = {
    "bulbar": ("bulbair (spraak, slikken)", "bulbar (speech, swallowing)"),
    "arms": ("armen", "arms"),
    "legs": ("benen", "legs"),
    "respiratory": ("ademhaling", "breathing"),
}


def word(table: dict[str, tuple[str, str]], code: str) -> str:
    """The word for a code in the current language (the code itself when unknown)."""
    if code not in table:
        return code
    nl, en = table[code]
    return en if lang() == "en" else nl


# --------------------------------------------------------------------------------------
# Refused input: Dutch versions of the libraries' messages
# --------------------------------------------------------------------------------------

_PROBLEM_NL: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), dutch)
    for pattern, dutch in (
        (r"^unsupported file type '(.*)'; use \.csv or \.xlsx$",
         r"bestandstype '\1' wordt niet ondersteund; gebruik .csv of .xlsx"),
        (r"^the file is not UTF-8 text; save it as CSV UTF-8$",
         "het bestand is geen UTF-8-tekst; sla het in Excel op als 'CSV UTF-8'"),
        (r"^the file is empty; it needs a header row$", "het bestand is leeg; de eerste regel moet de kolomnamen bevatten"),
        (r"^the first sheet is empty; it needs a header row$",
         "het eerste werkblad is leeg; de eerste regel moet de kolomnamen bevatten"),
        (r"^not a readable Excel workbook \((.*)\)$", r"geen leesbaar Excel-bestand (\1)"),
        (r"^file not found$", "bestand niet gevonden"),
        (r"^column appears twice$", "deze kolom staat er twee keer in"),
        (r"^unknown column; allowed columns are (.*)$", r"onbekende kolom; toegestaan zijn: \1"),
        (r"^required column is missing$", "deze verplichte kolom ontbreekt"),
        (r"^'(.*)' is not an amount in euros; write it without thousands separators, e\.g\. 10000 or 10000,50$",
         r"'\1' is geen bedrag in euro's; schrijf het zonder punt voor duizendtallen, bijvoorbeeld 10000 of 10000,50"),
        (r"^expected an amount in euros, got a yes/no value$", "hier hoort een bedrag in euro's, geen ja/nee-waarde"),
        (r"^'(.*)' is not a whole number$", r"'\1' is geen heel getal"),
        (r"^expected a whole number, got a yes/no value$", "hier hoort een heel getal, geen ja/nee-waarde"),
        (r"^duplicate id '(.*)' \(first on row (\d+)\)$", r"id '\1' komt twee keer voor (eerst op rij \2)"),
        (r"^unknown provision '(.*)'; see `ivp catalog` for the ids$",
         r"onbekende voorziening '\1'; zie de kolom 'id' in de catalogus of het sjabloon"),
        (r"^'(.*)' does not match the catalogue name '(.*)' of this id; names cannot be overridden$",
         r"'\1' is niet de naam '\2' die bij dit id hoort; namen kunnen niet worden aangepast"),
        (r"^(?:Value error, )?total (\d+) is not the sum of its phases \((.*)\)$",
         r"totaal \1 is niet de som van de fasen (\2)"),
        (r"^Input should be greater than or equal to (\S+)(?: \(got (.*)\))?$",
         r"de waarde moet minstens \1 zijn (gegeven: \2)"),
        (r"^Input should be greater than (\S+)(?: \(got (.*)\))?$", r"de waarde moet groter zijn dan \1 (gegeven: \2)"),
        (r"^Input should be less than or equal to (\S+)(?: \(got (.*)\))?$",
         r"de waarde mag hoogstens \1 zijn (gegeven: \2)"),
        (r"^Input should be (.*) \(got (.*)\)$", r"de waarde moet \1 zijn (gegeven: \2)"),
        (r"^Field required$", "dit veld is verplicht"),
        (r"^Extra inputs are not permitted$", "onbekend veld; controleer de spelling"),
        (r"^the catalogue has no provisions$", "de catalogus bevat geen voorzieningen"),
        (r"^not valid YAML \(line (\d+), column (\d+)\): (.*)$", r"geen geldige YAML (regel \1, kolom \2): \3"),
        (r"^not valid YAML: (.*)$", r"geen geldige YAML: \1"),
        (r"^a scenario must be a mapping of key: value at the top level$", "een scenario bestaat uit regels 'sleutel: waarde'"),
        (r"^a profile \(field: value\) must be a mapping of key: value at the top level$", "een profiel bestaat uit regels 'veld: waarde'"),
        (r"^cannot read (.*): (.*)$", r"kan \1 niet lezen: \2"),
        (r"^the file is too large \((\d+) characters; at most (\d+)\)$", r"het bestand is te groot (\1 tekens; hoogstens \2)"),
    )
)


def problem_message(message: str) -> str:
    """A library's message of refused input, in the current language.

    The libraries write English; in Dutch the known messages are translated and any other
    message is shown as it is (better an English sentence than none).
    """
    if lang() == "en":
        return message
    for pattern, dutch in _PROBLEM_NL:
        if pattern.match(message):
            return pattern.sub(dutch, message).replace(" (gegeven: )", "")
    return message


# --------------------------------------------------------------------------------------
# The texts, (Dutch, English)
# --------------------------------------------------------------------------------------

STRINGS: dict[str, tuple[str, str]] = {
    # app shell
    "app.title": ("IVP Planner", "IVP Planner"),
    "app.subtitle": (
        "Integraal Voorzieningen Plan bij ALS",
        "Integrated provisions plan (IVP) for ALS",
    ),
    "app.language": ("Taal / Language", "Taal / Language"),
    "nav.plan": ("IVP opstellen", "Draw up an IVP"),
    "nav.compare": ("Protocol vs praktijk", "Protocol vs practice"),
    "nav.reserve": ("Gemeente", "Municipality"),
    "nav.catalog": ("Catalogus", "Catalogue"),
    "nav.scenarios": ("Scenario's", "Scenarios"),
    "nav.about": ("Over", "About"),
    "nav.section.work": ("Werken", "Work"),
    "nav.section.reference": ("Naslag", "Reference"),
    "app.privacy": (
        "Gegevens blijven op deze computer: de app bewaart niets en verstuurt niets. "
        "Alleen wat u zelf downloadt, komt op schijf.",
        "Data stay on this computer: the app stores nothing and sends nothing. "
        "Only what you download yourself is written to disk.",
    ),
    "app.version": ("Versie {version}", "Version {version}"),
    # shared
    "common.sources": ("Bronnen en aannames", "Sources and assumptions"),
    "common.all_sources": ("Alle bronnen en wat de app wel en niet claimt", "All sources, and what the app does and does not claim"),
    "common.unexpected": (
        "Dit onderdeel kon niet worden berekend ({what}). De rest van de pagina werkt gewoon. "
        "Controleer de invoer of probeer andere instellingen.",
        "This part could not be computed ({what}). The rest of the page still works. "
        "Check the input or try other settings.",
    ),
    "common.refused": (
        "{source} is niet gebruikt: {n} {problems}. Pas dit aan en probeer het opnieuw.",
        "{source} was not used: {n} {problems}. Correct it and try again.",
    ),
    "common.problem": ("probleem", "problem"),
    "common.problems": ("problemen", "problems"),
    "common.row": ("Rij", "Row"),
    "common.field": ("Veld", "Field"),
    "common.message": ("Probleem", "Problem"),
    "common.too_large": (
        "{name} is te groot ({size}); de grens is {limit}.",
        "{name} is too large ({size}); the limit is {limit}.",
    ),
    "common.not_ready": (
        "Deze pagina wacht nog op een onderdeel van het model ({part}) dat nu wordt gebouwd. "
        "De catalogus en de pagina Over werken al.",
        "This page still waits for a part of the model ({part}) that is being built. "
        "The catalogue and the About page already work.",
    ),
    "common.download_csv": ("Download CSV", "Download CSV"),
    "common.download_xlsx": ("Download Excel", "Download Excel"),
    # sources in the sidebar (short)
    "sources.short": (
        "- **Bedragen en werkdagen**: ALS protocol hulpmiddelen, tabellen Wmo en Zvw "
        "(ALS Patiënten Vereniging).\n"
        "- **Termijnen**: protocol (melding ≤ 10 werkdagen, passing ≤ 5, levering ≤ 10 of ≤ 30), "
        "Wmo 2015 (onderzoek ≤ 6 weken, besluit ≤ 2 weken), Landelijk normenkader hulpmiddelen (2020).\n"
        "- **Werkdagen**: maandag t/m vrijdag zonder Nederlandse feestdagen; Goede Vrijdag is een "
        "werkdag, 5 mei niet (Cao Gemeenten).\n"
        "- **Alternatieven**: aanbouw óf zorgunit óf geen van beide; plafondlift óf autonome tillift; "
        "actieve óf passieve tillift. Het protocol zegt niet welke het weglaat.\n"
        "- **Bedragen zijn schattingen** uit het protocol; lokale prijzen kunt u laden op de pagina "
        "Catalogus.",
        "- **Amounts and working days**: ALS protocol hulpmiddelen (assistive devices), Wmo and Zvw "
        "tables (ALS Patiënten Vereniging).\n"
        "- **Deadlines**: protocol (melding ≤ 10 working days, fitting ≤ 5, delivery ≤ 10 or ≤ 30), "
        "Wmo 2015 (investigation ≤ 6 weeks, decision ≤ 2 weeks), Landelijk normenkader hulpmiddelen (2020).\n"
        "- **Working days**: Monday to Friday except Dutch public holidays; Good Friday is a working "
        "day, 5 May is not (municipal collective agreement).\n"
        "- **Alternatives**: extension or care unit or neither; ceiling or autonomous hoist; standing "
        "or passive hoist. The protocol does not say which it leaves out.\n"
        "- **Amounts are estimates** from the protocol; load local prices on the Catalogue page.",
    ),
    # catalogue page
    "catalog.title": ("Catalogus van voorzieningen", "Catalogue of provisions"),
    "catalog.intro": (
        "De {n} voorzieningen uit de tabellen van het ALS protocol hulpmiddelen, met de kosten en de "
        "werkdagen per fase (advies door het revalidatieteam, besluit door gemeente of "
        "zorgverzekeraar, levering door de leverancier). Een gemeente of zorgverzekeraar kan eigen "
        "prijzen en werkdagen laden; die gelden dan op alle pagina's van deze sessie.",
        "The {n} provisions of the tables of the ALS protocol hulpmiddelen, with their costs and the "
        "working days per phase (advice by the rehabilitation team, decision by the municipality or "
        "insurer, delivery by the supplier). A municipality or insurer can load its own prices and "
        "working days; they then apply on every page of this session.",
    ),
    "catalog.local.header": ("Eigen prijzen en werkdagen", "Local prices and working days"),
    "catalog.local.howto": (
        "1. Download het sjabloon (CSV of Excel): één rij per voorziening met de huidige bedragen.\n"
        "2. Pas in de kolommen `cost_eur` en `sla_...` aan wat bij u anders is; laat de rest staan "
        "of maak de cel leeg. Bedragen zonder punt voor duizendtallen (10000 of 10000,50). "
        "Een lege `sla_total` wordt de som van de fasen.\n"
        "3. Laad het bestand hieronder. Fouten worden per rij en veld getoond; er wordt niets half geladen.",
        "1. Download the template (CSV or Excel): one row per provision with the current figures.\n"
        "2. Change in the columns `cost_eur` and `sla_...` what differs for you; leave the rest or "
        "empty the cell. Amounts without thousands separators (10000 or 10000.50). An empty "
        "`sla_total` becomes the sum of the phases.\n"
        "3. Load the file below. Problems are shown per row and field; nothing is loaded half.",
    ),
    "catalog.template_csv": ("Sjabloon (CSV)", "Template (CSV)"),
    "catalog.template_xlsx": ("Sjabloon (Excel)", "Template (Excel)"),
    "catalog.upload": ("Bestand met eigen prijzen en werkdagen (.csv of .xlsx)", "File with local prices and working days (.csv or .xlsx)"),
    "catalog.upload_help": (
        "Kolommen: id (verplicht), name_nl, cost_eur, sla_advice, sla_decision, sla_supplier, sla_total.",
        "Columns: id (required), name_nl, cost_eur, sla_advice, sla_decision, sla_supplier, sla_total.",
    ),
    "catalog.active_protocol": ("In gebruik: de catalogus van het protocol, zonder lokale aanpassingen.", "In use: the protocol's catalogue, without local changes."),
    "catalog.active_local": (
        "In gebruik: de catalogus van het protocol met de aanpassingen uit **{name}** "
        "({n} voorzieningen aangepast). Aangepaste velden zijn gemarkeerd met ✎.",
        "In use: the protocol's catalogue with the changes from **{name}** ({n} provisions changed). "
        "Changed fields are marked with ✎.",
    ),
    "catalog.loaded_same": (
        "{name} is geladen, maar alle waarden zijn gelijk aan die van het protocol.",
        "{name} was loaded, but all its values equal the protocol's.",
    ),
    "catalog.reset": ("Terug naar de catalogus van het protocol", "Back to the protocol's catalogue"),
    "catalog.filter": ("Toon", "Show"),
    "catalog.filter.all": ("alle", "all"),
    "catalog.table.header": ("Voorzieningen", "Provisions"),
    "catalog.col.name": ("Voorziening", "Provision"),
    "catalog.col.financier": ("Financier", "Payer"),
    "catalog.col.reuse": ("Soort", "Kind"),
    "catalog.col.cost": ("Kosten", "Cost"),
    "catalog.col.advice": ("Advies", "Advice"),
    "catalog.col.decision": ("Besluit", "Decision"),
    "catalog.col.supplier": ("Leverancier", "Supplier"),
    "catalog.col.total": ("Totaal werkdagen", "Total working days"),
    "catalog.col.chain": ("Keten", "Chain"),
    "catalog.col.delivery": ("Levering", "Delivery"),
    "catalog.col.changed": ("Lokaal aangepast", "Changed locally"),
    "catalog.col.source": ("Bron", "Source"),
    "catalog.table.caption": (
        "Werkdagen per fase: advies (revalidatieteam), besluit (gemeente of zorgverzekeraar), "
        "leverancier. ✎ = lokaal aangepast.",
        "Working days per phase: advice (rehabilitation team), decision (municipality or insurer), "
        "supplier. ✎ = changed locally.",
    ),
    "catalog.subtotals.header": ("Subtotalen naast de bedragen van het protocol", "Subtotals beside the protocol's figures"),
    "catalog.subtotals.intro": (
        "Het maximum is de optelsom van de rijen. De ondergrens laat de alternatieven weg: in elke "
        "groep blijft alleen de goedkoopste over (of geen, waar dat kan). Het protocol noemt zelf een "
        "bandbreedte; het verschil wordt uitgelegd, niet weggepoetst.",
        "The maximum is the sum of the rows. The lower end leaves out the alternatives: in every "
        "group only the cheapest is kept (or none, where allowed). The protocol states a range of its "
        "own; the difference is explained, not tuned away.",
    ),
    "catalog.sub.class": ("Budget", "Budget"),
    "catalog.sub.maximum": ("Maximum (berekend)", "Maximum (computed)"),
    "catalog.sub.lower": ("Ondergrens (berekend)", "Lower end (computed)"),
    "catalog.sub.protocol": ("Protocol", "Protocol"),
    "catalog.sub.diff": ("Verschil ondergrens", "Difference, lower end"),
    "catalog.sub.dropped": ("Weggelaten in de ondergrens", "Left out of the lower end"),
    "catalog.sub.note": ("Toelichting", "Note"),
    "catalog.sub.source": ("Bron", "Source"),
    "catalog.totals.header": ("Totaal per financier", "Total per payer"),
    "catalog.total.about": ("ca. {amount}", "about {amount}"),
    "catalog.norms.header": ("Termijnen (normen) met hun bron", "Deadlines (norms) with their source"),
    "catalog.norm.name": ("Norm", "Norm"),
    "catalog.norm.limit": ("Hoogstens", "At most"),
    "catalog.norm.after": ("Na", "After"),
    "catalog.norm.source": ("Bron", "Source"),
    "catalog.sources": (
        "- Bedragen en werkdagen per voorziening: de twee tabellen (Wmo, Zvw) van het ALS protocol "
        "hulpmiddelen; elke rij noemt haar bron in de kolom Bron.\n"
        "- Subtotalen: het protocol noemt voor Wmo cliëntgebonden € 35.000 – € 55.000, Wmo "
        "herinzetbaar € 75.000 – € 108.000, Zvw cliëntgebonden € 19.000 en Zvw herinzetbaar "
        "€ 95.000 – € 140.000; totaal per financier ca. € 150.000.\n"
        "- Aanname van deze app: welke voorzieningen elkaars alternatief zijn (aanbouw/zorgunit, "
        "plafondlift/autonome tillift, actieve/passieve tillift). Het protocol noemt de ondergrenzen "
        "zonder te zeggen welke voorzieningen het weglaat.\n"
        "- De soort levering (zonder/met levertijd, enkelvoudige/meervoudige aanpassing) volgt uit de "
        "werkdagen van de leverancier in de tabel (10, 20, 40, 60).",
        "- Amounts and working days per provision: the two tables (Wmo, Zvw) of the ALS protocol "
        "hulpmiddelen; every row names its source in the Source column.\n"
        "- Subtotals: the protocol states Wmo client-bound € 35,000 – € 55,000, Wmo reusable "
        "€ 75,000 – € 108,000, Zvw client-bound € 19,000 and Zvw reusable € 95,000 – € 140,000; "
        "total per payer about € 150,000.\n"
        "- Assumption of this app: which provisions are alternatives to each other (extension/care "
        "unit, ceiling/autonomous hoist, standing/passive hoist). The protocol states the lower ends "
        "without saying which provisions it leaves out.\n"
        "- The kind of delivery (with/without lead time, single/multiple adaptation) follows from the "
        "supplier's working days in the table (10, 20, 40, 60).",
    ),
    # about page
    "about.title": ("Over IVP Planner", "About IVP Planner"),
    "about.what": ("Wat de app doet", "What the app does"),
    "about.what.body": (
        "IVP Planner helpt bij het **Integraal Voorzieningen Plan (IVP)** van het ALS protocol "
        "hulpmiddelen: bij de eerste melding één plan met alle voorzieningen die nodig kunnen worden "
        "en een goedgekeurd, geoormerkt budget, zodat elke latere melding 'op afroep' binnen korte "
        "termijnen wordt afgehandeld.\n\n"
        "- **IVP opstellen** (ALS-behandelteam): voor een cliënt bij de diagnose welke voorzieningen "
        "waarschijnlijk nodig worden, wanneer, wanneer u ze uiterlijk moet aanvragen, en het budget; "
        "als PDF en Excel om naar gemeente en zorgverzekeraar te sturen.\n"
        "- **Protocol vs praktijk** (patiëntenvereniging, gemeente): dezelfde gesimuleerde patiënten "
        "onder de route van het protocol en onder de huidige praktijk: dagen zonder een nodige "
        "voorziening, voorzieningen die na het overlijden of te laat komen, kosten; met de spreiding.\n"
        "- **Gemeente** (beleid en financiën Wmo): hoeveel te reserveren voor huidige en verwachte "
        "cliënten met ALS, wat er terugvloeit en wat het depot bespaart.\n"
        "- **Catalogus** en **Scenario's**: de cijfers waarop alles rust, met eigen prijzen, werkdagen "
        "en aannames.",
        "IVP Planner supports the **Integraal Voorzieningen Plan (IVP)** of the ALS protocol "
        "hulpmiddelen (assistive devices): at the first melding (request), one plan with every "
        "provision that may become necessary and an approved, earmarked budget, so that every later "
        "request is handled 'on call' within short deadlines.\n\n"
        "- **Draw up an IVP** (ALS treatment team): for a client at diagnosis, which provisions are "
        "likely needed, when, by when to request them, and the budget; as PDF and Excel to send to "
        "the municipality and the insurer.\n"
        "- **Protocol vs practice** (patient association, municipality): the same simulated patients "
        "under the protocol's route and under current practice: days without a needed provision, "
        "provisions that arrive after death or too late, costs; with their spread.\n"
        "- **Municipality** (Wmo policy and finance): how much to reserve for current and expected "
        "clients with ALS, what flows back and what the depot saves.\n"
        "- **Catalogue** and **Scenarios**: the figures everything rests on, with local prices, "
        "working days and assumptions.",
    ),
    "about.claims": ("Wat de app wel en niet claimt", "What the app does and does not claim"),
    "about.claims.body": (
        "**Wel:** de bedragen en termijnen van het protocol, correct opgeteld en in werkdagen "
        "omgerekend; een model van het ziekteverloop dat gepubliceerde cijfers (overleving, "
        "achteruitgang, mijlpalen) benadert; een vergelijking van routes op dezelfde gesimuleerde "
        "patiënten, met de onzekerheid erbij.\n\n"
        "**Niet:**\n"
        "- Het is **geen medisch hulpmiddel** en geen voorspelling voor één persoon waarop u een "
        "behandelbesluit kunt baseren. Het verloop van ALS verschilt sterk per persoon; de app toont "
        "daarom altijd een bandbreedte.\n"
        "- Het **advies van de ergotherapeut of revalidatiearts** blijft leidend (protocol, regel 1). "
        "De app ondersteunt het gesprek, ze vervangt het niet.\n"
        "- De bedragen zijn de **richtbedragen van het protocol**, geen offertes; lokale prijzen kunt "
        "u laden.\n"
        "- De huidige praktijk is **gemodelleerd** uit onderzoek onder gemeenten en het protocol "
        "(wachttijden van 2–3 maanden, soms 6–9), niet gemeten bij uw gemeente.\n"
        "- Welke voorzieningen elkaars **alternatief** zijn en bij welke achteruitgang een voorziening "
        "nodig wordt, zijn aannames van dit project; ze staan met hun onderbouwing in de "
        "databestanden en op deze pagina.",
        "**Does:** the protocol's amounts and deadlines, added up correctly and converted to working "
        "days; a model of the disease course that approaches published figures (survival, decline, "
        "milestones); a comparison of routes on the same simulated patients, with the uncertainty.\n\n"
        "**Does not:**\n"
        "- It is **not a medical device** and not a prediction for one person on which to base a "
        "treatment decision. The course of ALS varies widely between people; the app therefore "
        "always shows a range.\n"
        "- The **advice of the occupational therapist or rehabilitation physician** leads (protocol, "
        "rule 1). The app supports the conversation; it does not replace it.\n"
        "- The amounts are the **protocol's guide figures**, not quotes; local prices can be loaded.\n"
        "- Current practice is **modelled** from a survey of municipalities and the protocol (waits of "
        "2–3 months, sometimes 6–9), not measured at your municipality.\n"
        "- Which provisions are **alternatives** and at which decline a provision becomes needed are "
        "this project's assumptions; they are in the data files with their rationale, and on this page.",
    ),
    "about.model": ("Het model in het kort", "The model in short"),
    "about.model.body": (
        "1. **Catalogus**: de {n} voorzieningen van het protocol met kosten, financier (Wmo of Zvw), "
        "cliëntgebonden of herinzetbaar, en de werkdagen per fase; de termijnen van protocol, Wmo en "
        "normenkader.\n"
        "2. **Ziekteverloop**: een overlevingscurve uit het ENCALS-model (Westeneng et al., 2018) op "
        "basis van het profiel bij de diagnose (leeftijd, beloop, plaats van begin, longfunctie...), "
        "en een verloop van de ALSFRS-R per domein (spraak en slikken, armen, benen, ademhaling). "
        "Uit dat verloop volgt per voorziening een **behoeftevenster**: wanneer ze nodig wordt en "
        "wanneer ze niet meer helpt.\n"
        "3. **Procesmodel** (discrete-event simulatie met SimPy): melding → advies → besluit → passing "
        "→ levering, in Nederlandse werkdagen. Onder het protocol wordt tijdig aangevraagd en gelden "
        "de korte termijnen; onder de huidige praktijk wordt pas gemeld als de nood er is en duurt "
        "elke stap langer. Beide routes zien **dezelfde patiënten** (common random numbers), zodat een "
        "verschil aan de route ligt en niet aan toeval.\n"
        "4. **Budget**: geoormerkt bedrag, uitgaven bij aanschaf, vrijval van wat niet nodig blijkt, "
        "en herinzetbare voorzieningen die terug gaan naar het depot.\n\n"
        "Elke uitkomst is een verdeling over veel herhalingen (replicaties): de app toont gemiddelde, "
        "P10–P90 (of P5–P95) en een 95 %-betrouwbaarheidsinterval van het gemiddelde.",
        "1. **Catalogue**: the protocol's {n} provisions with cost, payer (Wmo or Zvw), client-bound "
        "or reusable, and the working days per phase; the deadlines of the protocol, the Wmo and the "
        "normenkader.\n"
        "2. **Disease course**: a survival curve from the ENCALS model (Westeneng et al., 2018) from "
        "the profile at diagnosis (age, progression, site of onset, lung function...), and a course of "
        "the ALSFRS-R per domain (speech and swallowing, arms, legs, breathing). From that course each "
        "provision gets a **need window**: when it becomes needed and when it stops helping.\n"
        "3. **Process model** (discrete-event simulation with SimPy): melding → advice → decision → "
        "fitting → delivery, in Dutch working days. Under the protocol requests are made in time and "
        "the short deadlines apply; under current practice the request waits until the need is there "
        "and every step takes longer. Both routes see **the same patients** (common random numbers), "
        "so a difference is due to the route, not to chance.\n"
        "4. **Budget**: earmarked amount, spending at purchase, release of what turns out not to be "
        "needed, and reusable provisions returning to the depot.\n\n"
        "Every outcome is a distribution over many replications: the app shows the mean, P10–P90 "
        "(or P5–P95) and a 95 % confidence interval of the mean.",
    ),
    "about.sources": ("Bronnen", "Sources"),
    "about.sources.documents": ("Documenten waarop het project rust (Nederlandstalig)", "Documents the project rests on (in Dutch)"),
    "about.sources.figures": ("Cijfers over ALS waarop het model is afgestemd", "Figures on ALS the model is calibrated to"),
    "about.sources.method": ("Methode", "Method"),
    "about.privacy": ("Privacy", "Privacy"),
    "about.privacy.body": (
        "Een cliëntprofiel is medische informatie. De app luistert standaard alleen op deze computer "
        "(localhost), bewaart niets op schijf tenzij u zelf iets downloadt, verstuurt niets (ook geen "
        "gebruiksstatistieken) en beperkt de grootte van uploads. Scenario- en caseloadbestanden "
        "worden veilig gelezen: er wordt geen code uit een bestand uitgevoerd. Wat u invult, leeft "
        "alleen in het geheugen van deze sessie en verdwijnt als u het venster sluit.",
        "A client profile is medical information. By default the app listens on this computer only "
        "(localhost), writes nothing to disk unless you download it, sends nothing (no usage "
        "statistics either) and limits upload size. Scenario and caseload files are read safely: no "
        "code from a file is ever run. What you enter lives only in this session's memory and is gone "
        "when you close the window.",
    ),
    "about.version": ("Versie", "Version"),
    "about.version.body": (
        "IVP Planner {version}. Open source (EUPL-1.2).",
        "IVP Planner {version}. Open source (EUPL-1.2).",
    ),
    # plan page
    "plan.title": ("IVP opstellen", "Draw up an IVP"),
    "plan.intro": (
        "Vul in wat u weet van de cliënt bij de diagnose; **leeg of 'onbekend' mag**: het model vult het "
        "dan aan met wat gebruikelijk is bij mensen met ALS in Nederland, en de bandbreedte wordt breder. "
        "Hieronder staat al een voorbeeldcliënt ingevuld en doorgerekend.",
        "Enter what you know about the client at diagnosis; **empty or 'unknown' is fine**: the model then "
        "fills in what is usual for people with ALS in the Netherlands, and the range gets wider. An "
        "example client is already filled in and computed below.",
    ),
    "plan.profile": ("Profiel van de cliënt (openen om aan te passen)", "Client profile (open to change)"),
    "plan.profile.disease": ("Ziekte bij de diagnose", "Disease at diagnosis"),
    "plan.profile.home": ("Woning en huishouden", "Home and household"),
    "plan.profile.route": ("Route en berekening", "Route and computation"),
    "plan.unknown": ("onbekend", "unknown"),
    "plan.yes": ("ja", "yes"),
    "plan.no": ("nee", "no"),
    "plan.empty_is_unknown": ("Leeg = onbekend.", "Empty = unknown."),
    "plan.field.age_at_onset": ("Leeftijd bij eerste klachten (jaar)", "Age at first symptoms (years)"),
    "plan.field.onset_site": ("Eerste klachten in", "First symptoms in"),
    "plan.field.diagnostic_delay_months": ("Eerste klachten tot diagnose (maanden)", "First symptoms to diagnosis (months)"),
    "plan.field.alsfrs_r_at_diagnosis": ("ALSFRS-R bij diagnose (0–48)", "ALSFRS-R at diagnosis (0–48)"),
    "plan.field.dfs": ("Progressiesnelheid ΔFS (punten per maand)", "Progression rate ΔFS (points per month)"),
    "plan.field.dfs.help": (
        "ΔFS = (48 − ALSFRS-R bij diagnose) / maanden sinds de eerste klachten. Laat leeg als u ALSFRS-R en "
        "de tijd tot diagnose hebt ingevuld.",
        "ΔFS = (48 − ALSFRS-R at diagnosis) / months since first symptoms. Leave empty if you entered the "
        "ALSFRS-R and the time to diagnosis.",
    ),
    "plan.field.fvc_percent": ("FVC (% van voorspeld)", "FVC (% of predicted)"),
    "plan.field.definite_el_escorial": ("Definitieve ALS (El Escorial)", "Definite ALS (El Escorial)"),
    "plan.field.ftd": ("Frontotemporale dementie (FTD)", "Frontotemporal dementia (FTD)"),
    "plan.field.c9orf72": ("C9orf72-herhaling", "C9orf72 repeat expansion"),
    "plan.field.bedroom_or_bathroom_upstairs": ("Slaap- of badkamer op de verdieping", "Bedroom or bathroom upstairs"),
    "plan.field.home_adaptable_inside": ("Woning inpandig aan te passen", "Home can be adapted inside"),
    "plan.field.extension_possible": ("Aanbouw mogelijk", "Extension possible"),
    "plan.field.ceiling_hoist_possible": ("Plafondlift mogelijk", "Ceiling hoist possible"),
    "plan.field.entrance_wheelchair_accessible": ("Entree al rolstoeltoegankelijk", "Entrance already wheelchair accessible"),
    "plan.field.has_van": ("Heeft (of krijgt) een bus voor rolstoelvervoer", "Has (or gets) a van for wheelchair transport"),
    "plan.field.children_at_home": ("Schoolgaande kinderen thuis", "School-age children at home"),
    "plan.field.lives_alone": ("Woont alleen", "Lives alone"),
    "plan.field.diagnosis_date": ("Diagnosedatum", "Date of diagnosis"),
    "plan.field.scenario": ("Route voor de aanvragen", "Route for the requests"),
    "plan.field.scenario.help": (
        "Protocol: alles aangevraagd bij het IVP, meldingen op afroep met de korte termijnen. Huidige "
        "praktijk: elke voorziening apart aangevraagd als de nood er is. Zie de pagina Scenario's.",
        "Protocol: everything requested in the IVP, on-call requests with the short deadlines. Current "
        "practice: each provision requested separately once the need is there. See the Scenarios page.",
    ),
    "plan.field.replications": ("Aantal gesimuleerde beloopen", "Number of simulated courses"),
    "plan.field.replications.help": (
        "Meer beloopen geven een nauwkeuriger beeld maar rekenen langer (1.000 duurt enkele seconden; "
        "daarna komt het antwoord uit het geheugen).",
        "More courses give a more precise picture but take longer (1,000 takes a few seconds; after that "
        "the answer comes from memory).",
    ),
    "plan.field.seed": ("Startgetal toeval (seed)", "Random seed"),
    "plan.submit": ("Bereken het IVP", "Compute the IVP"),
    "plan.reset": ("Terug naar de voorbeeldcliënt", "Back to the example client"),
    "plan.example_note": (
        "Voorbeeldcliënt: begin in de benen op 62-jarige leeftijd, diagnose na 10 maanden, ALSFRS-R 43, "
        "FVC 90 %, slaapkamer boven, woning binnen aan te passen.",
        "Example client: onset in the legs at age 62, diagnosis after 10 months, ALSFRS-R 43, FVC 90%, "
        "bedroom upstairs, home can be adapted inside.",
    ),
    "plan.computing": ("{n} mogelijke beloopen doorrekenen…", "Computing {n} possible courses…"),
    "plan.computed": (
        "{n} gesimuleerde beloopen onder de route **{scenario}**; berekend in {seconds} s.",
        "{n} simulated courses under the route **{scenario}**; computed in {seconds} s.",
    ),
    "plan.metric.survival": ("Overleving (mediaan)", "Survival (median)"),
    "plan.metric.survival.value": ("{months} mnd", "{months} mo"),
    "plan.metric.survival.help": (
        "De helft van de gesimuleerde beloopen is na {months} maanden overleden (eindpunt ENCALS: overlijden, "
        "tracheostomie of beademing > 23 uur per dag). 80 % ligt tussen {p10} en {p90} maanden.",
        "Half of the simulated courses have died after {months} months (ENCALS endpoint: death, "
        "tracheostomy or ventilation > 23 hours a day). 80 % lie between {p10} and {p90} months.",
    ),
    "plan.metric.range": ("P10–P90: {p10}–{p90} mnd", "P10–P90: {p10}–{p90} mo"),
    "plan.metric.in_plan": ("Voorzieningen in het plan", "Provisions in the plan"),
    "plan.metric.request_now": ("Nu al aanvragen", "Request right away"),
    "plan.metric.earmark": ("Oormerk {financier}", "Earmark {financier}"),
    "plan.metric.earmark.help": (
        "Het IVP reserveert het bedrag van elke voorziening in het plan (de maximale verplichting). "
        "Verwacht wordt {expected} uit te geven; wat niet nodig blijkt, vloeit terug.",
        "The IVP earmarks the cost of every provision in the plan (the maximum obligation). Expected "
        "spending is {expected}; what turns out not to be needed flows back.",
    ),
    "plan.tab.timeline": ("Tijdlijn", "Timeline"),
    "plan.tab.table": ("Plan met aanvraagdata", "Plan with request-by dates"),
    "plan.tab.budget": ("Budget", "Budget"),
    "plan.tab.prognosis": ("Prognose", "Prognosis"),
    "plan.timeline.intro": (
        "Per voorziening: wanneer ze waarschijnlijk nodig wordt (balk: van de verwachte start tot het "
        "verwachte einde van de behoefte), wanneer ze onder deze route geleverd wordt (lijn: P10–P90, "
        "punt: mediaan) en de datum waarop u uiterlijk moet aanvragen (◆).",
        "Per provision: when it is likely needed (bar: from the expected start to the expected end of the "
        "need), when it is delivered under this route (line: P10–P90, dot: median) and the date by which "
        "to request it (◆).",
    ),
    "plan.timeline.none": ("Geen voorzieningen in het plan.", "No provisions in the plan."),
    "plan.chart.need": ("Nodig (mediaan start tot mediaan einde)", "Needed (median start to median end)"),
    "plan.chart.need_start": ("Start behoefte P10–P90", "Need start P10–P90"),
    "plan.chart.delivery": ("Levering P10–P90", "Delivery P10–P90"),
    "plan.chart.delivery_median": ("Levering mediaan", "Delivery median"),
    "plan.chart.request_by": ("Uiterlijk aanvragen", "Request by"),
    "plan.chart.diagnosis": ("diagnose", "diagnosis"),
    "plan.chart.survival_median": ("mediane overleving", "median survival"),
    "plan.chart.date": ("Datum", "Date"),
    "plan.chart.share_alive": ("Nog in leven", "Still alive"),
    "plan.chart.months": ("Maanden na diagnose", "Months after diagnosis"),
    "plan.chart.period": ("Periode", "Period"),
    "plan.chart.euro": ("Euro", "Euro"),
    "plan.table.intro": (
        "Alle voorzieningen van de catalogus. **In plan**: ze kan voor deze cliënt nodig worden (in ten "
        "minste één gesimuleerd beloop). **Aanvragen uiterlijk**: de verwachte behoeftedatum min de "
        "doorlooptijd die in 80 % van de beloopen volstaat. 'Nu' betekent: direct aanvragen.",
        "Every provision of the catalogue. **In plan**: it may become needed for this client (in at least "
        "one simulated course). **Request by**: the expected need date minus the lead time that suffices "
        "in 80 % of the courses. 'Now' means: request right away.",
    ),
    "plan.table.only_in_plan": ("Alleen voorzieningen in het plan", "Only provisions in the plan"),
    "plan.col.name": ("Voorziening", "Provision"),
    "plan.col.financier": ("Financier", "Payer"),
    "plan.col.reuse": ("Soort", "Kind"),
    "plan.col.cost": ("Kosten", "Cost"),
    "plan.col.in_plan": ("In plan", "In plan"),
    "plan.col.probability": ("Kans nodig", "Chance needed"),
    "plan.col.need": ("Nodig vanaf (P10 / mediaan / P90)", "Needed from (P10 / median / P90)"),
    "plan.col.request_by": ("Aanvragen uiterlijk", "Request by"),
    "plan.col.lead": ("Doorlooptijd (P80)", "Lead time (P80)"),
    "plan.col.on_time": ("Op tijd geleverd", "Delivered in time"),
    "plan.col.gap": ("Gat (gemiddeld)", "Gap (mean)"),
    "plan.now": ("nu", "now"),
    "plan.days": ("{n} dagen", "{n} days"),
    "plan.budget.intro": (
        "Het oormerk is wat het IVP reserveert: de kosten van elke voorziening in het plan. Daarnaast de "
        "verwachte kosten (kans × kosten), de gesimuleerde uitgaven en de bedragen van het protocol.",
        "The earmark is what the IVP reserves: the cost of every provision in the plan. Beside it the "
        "expected cost (chance × cost), the simulated spending and the protocol's figures.",
    ),
    "plan.budget.class": ("Budget", "Budget"),
    "plan.budget.earmarked": ("Oormerk (plan)", "Earmark (plan)"),
    "plan.budget.expected": ("Verwacht", "Expected"),
    "plan.budget.spent": ("Uitgegeven gemiddeld (P90)", "Spent mean (P90)"),
    "plan.budget.catalogue": ("Catalogus ondergrens – maximum", "Catalogue lower end – maximum"),
    "plan.budget.protocol": ("Protocol", "Protocol"),
    "plan.budget.total": ("totaal", "total"),
    "plan.budget.over_time": ("Budget in de tijd (gemiddeld, met P10–P90)", "Budget over time (mean, with P10–P90)"),
    "plan.budget.reserved": ("Nog gereserveerd", "Still reserved"),
    "plan.budget.spent_total": ("Uitgegeven (cumulatief)", "Spent (cumulative)"),
    "plan.budget.released_total": ("Vrijgevallen (cumulatief)", "Released (cumulative)"),
    "plan.prognosis.intro": (
        "De persoonlijke overlevingscurve volgens het ENCALS-model (eindpunt: overlijden, tracheostomie of "
        "beademing > 23 uur per dag), vanaf de diagnose. Gearceerd: de periode waarin 80 % (licht) en de helft "
        "(donker) van de beloopen eindigt. Onbekende gegevens maken de curve breder. Dit is een statistische "
        "schatting, geen voorspelling voor deze persoon; bespreek haar alleen als de cliënt dat wil.",
        "The personal survival curve from the ENCALS model (endpoint: death, tracheostomy or ventilation "
        "> 23 hours a day), from diagnosis. Shaded: the period in which 80 % (light) and half (dark) of the "
        "courses end. Unknown data widen the curve. This is a statistical estimate, not a prediction for this "
        "person; discuss it only if the client wishes.",
    ),
    "plan.downloads": ("Downloads", "Downloads"),
    "plan.download_pdf": ("Download het plan (PDF)", "Download the plan (PDF)"),
    "plan.download_xlsx": ("Download het plan (Excel)", "Download the plan (Excel)"),
    "plan.download_name": ("Naam of dossiernummer op het plan (optioneel)", "Name or case number on the plan (optional)"),
    "plan.download_name.help": (
        "Komt alleen in de download te staan; de app bewaart het niet.",
        "Only appears in the download; the app does not keep it.",
    ),
    "plan.sources": (
        "- **Overleving**: ENCALS-model (Westeneng et al., Lancet Neurology 2018), conditioneel op in leven "
        "zijn bij de diagnose.\n"
        "- **Wanneer een voorziening nodig wordt**: het verloop van de ALSFRS-R per domein en de drempels "
        "per voorziening (aannames van dit project, afgestemd op de mijlpalen van Gebrehiwet et al. 2024).\n"
        "- **Doorlooptijden**: het gekozen scenario (pagina Scenario's); onder het protocol de werkdagen uit "
        "de tabellen van het protocol.\n"
        "- **Aanvragen uiterlijk**: de mediane behoeftedatum min de P80 van de doorlooptijd (instelbaar in "
        "`ivp/domain/budget_assumptions.yaml`).\n"
        "- **Budget**: oormerk = som van de voorzieningen in het plan; uitgaven bij aanschaf; herinzetbare "
        "voorzieningen gaan na gebruik naar het depot.",
        "- **Survival**: ENCALS model (Westeneng et al., Lancet Neurology 2018), conditional on being alive "
        "at diagnosis.\n"
        "- **When a provision becomes needed**: the course of the ALSFRS-R per domain and the thresholds "
        "per provision (this project's assumptions, calibrated to the milestones of Gebrehiwet et al. 2024).\n"
        "- **Lead times**: the chosen scenario (Scenarios page); under the protocol the working days of the "
        "protocol's tables.\n"
        "- **Request by**: the median need date minus the P80 of the lead time (set in "
        "`ivp/domain/budget_assumptions.yaml`).\n"
        "- **Budget**: earmark = sum of the provisions in the plan; spending at purchase; reusable "
        "provisions go to the depot after use.",
    ),
    # comparison page
    "compare.title": ("Protocol vs praktijk", "Protocol vs practice"),
    "compare.intro": (
        "Dezelfde gesimuleerde mensen met ALS onder twee routes: wat betekent de route voor dagen zonder een "
        "nodige voorziening, voorzieningen die na het overlijden of te laat komen, en de kosten? Elke uitkomst "
        "staat er met haar spreiding over de herhalingen bij, niet alleen als gemiddelde.",
        "The same simulated people with ALS under two routes: what does the route mean for days without a "
        "needed provision, provisions arriving after death or too late, and the costs? Every outcome is shown "
        "with its spread over the replications, not just as a mean.",
    ),
    "compare.settings": ("Instellingen van de vergelijking", "Settings of the comparison"),
    "compare.first": ("Route A", "Route A"),
    "compare.second": ("Route B", "Route B"),
    "compare.patients": ("Nieuwe patiënten per herhaling", "New patients per replication"),
    "compare.patients.help": (
        "Elke herhaling trekt zoveel nieuwe patiënten (met verschillende profielen uit de Nederlandse "
        "populatie); beide routes zien dezelfde patiënten.",
        "Each replication draws this many new patients (with different profiles from the Dutch "
        "population); both routes see the same patients.",
    ),
    "compare.replications": ("Herhalingen (replicaties)", "Replications"),
    "compare.submit": ("Vergelijk", "Compare"),
    "compare.same": ("Kies twee verschillende routes.", "Choose two different routes."),
    "compare.computing": ("{n} herhalingen per route doorrekenen…", "Computing {n} replications per route…"),
    "compare.computed": (
        "{reps} herhalingen van {patients} patiënten per route, dezelfde patiënten in beide routes; "
        "berekend in {seconds} s.",
        "{reps} replications of {patients} patients per route, the same patients under both routes; "
        "computed in {seconds} s.",
    ),
    "compare.headline": ("De uitkomsten naast elkaar", "The outcomes side by side"),
    "compare.headline.caption": (
        "Gemiddelde over de herhalingen, met tussen haakjes P10–P90 (de spreiding tussen herhalingen). "
        "Verschil: B min A op dezelfde patiënten, met het 95 %-betrouwbaarheidsinterval.",
        "Mean over the replications, in brackets P10–P90 (the spread between replications). Difference: B "
        "minus A on the same patients, with the 95 % confidence interval.",
    ),
    "compare.col.metric": ("Uitkomst", "Outcome"),
    "compare.col.difference": ("Verschil B − A (95 %-BI)", "Difference B − A (95 % CI)"),
    "compare.spread": ("Spreiding over de herhalingen", "Spread over the replications"),
    "compare.spread.caption": (
        "Histogram van de uitkomst per herhaling. Dikke lijn: gemiddelde; stippellijnen: P5 en P95.",
        "Histogram of the outcome per replication. Thick line: mean; dashed lines: P5 and P95.",
    ),
    "compare.spread.stats": (
        "**{name}**: gemiddeld {mean} (95 %-BI {low} – {high}); P5–P95 {p5} – {p95}",
        "**{name}**: mean {mean} (95 % CI {low} – {high}); P5–P95 {p5} – {p95}",
    ),
    "compare.other": ("Andere uitkomst", "Other outcome"),
    "compare.per_provision": ("Dagen zonder voorziening, per voorziening", "Days without the provision, per provision"),
    "compare.per_provision.caption": (
        "Gemiddeld gat (dagen tussen de start van de behoefte en de levering) per voorziening, met P10–P90 "
        "over de herhalingen.",
        "Mean gap (days between the start of the need and delivery) per provision, with P10–P90 over the "
        "replications.",
    ),
    "compare.chart.replications": ("Herhalingen", "Replications"),
    "compare.chart.days": ("Dagen", "Days"),
    "compare.metric.gap_days_mean": ("Gat tussen behoefte en levering, gemiddeld (dagen)", "Gap between need and delivery, mean (days)"),
    "compare.metric.gap_days_p90": ("Gat tussen behoefte en levering, P90 (dagen)", "Gap between need and delivery, P90 (days)"),
    "compare.metric.share_patients_gap_over_20wd": ("Patiënten met een gat > 20 werkdagen", "Patients with a gap > 20 working days"),
    "compare.metric.share_requests_gap_over_20wd": ("Aanvragen met een gat > 20 werkdagen", "Requests with a gap > 20 working days"),
    "compare.metric.gap_days_mean_after_diagnosis": ("Behoefte ná diagnose: gat, gemiddeld (dagen)", "Need arising after diagnosis: gap, mean (days)"),
    "compare.metric.share_requests_gap_over_20wd_after_diagnosis": ("Behoefte ná diagnose: aanvragen met een gat > 20 werkdagen", "Need arising after diagnosis: requests with a gap > 20 working days"),
    "compare.metric.share_patients_gap_over_20wd_after_diagnosis": ("Behoefte ná diagnose: patiënten met een gat > 20 werkdagen", "Need arising after diagnosis: patients with a gap > 20 working days"),
    "compare.metric.wait_werkdagen_mean": ("Melding tot levering, gemiddeld (werkdagen)", "Request to delivery, mean (working days)"),
    "compare.metric.delivered_after_death": ("Geleverd na overlijden (per 100 patiënten)", "Delivered after death (per 100 patients)"),
    "compare.metric.obsolete_on_arrival": ("Geleverd toen niet meer bruikbaar (per 100 patiënten)", "Delivered when no longer usable (per 100 patients)"),
    "compare.metric.successor_needed_before_delivery": ("Opvolger al nodig bij levering (per 100 patiënten)", "Successor already needed at delivery (per 100 patients)"),
    "compare.metric.not_delivered": ("Nodig maar niet geleverd (per 100 patiënten)", "Needed but not delivered (per 100 patients)"),
    "compare.metric.requests": ("Aanvragen (per patiënt)", "Requests (per patient)"),
    "compare.metric.cost_eur_per_patient": ("Kosten per patiënt", "Cost per patient"),
    "compare.sources": (
        "- **Patiënten**: nieuwe patiënten met profielen uit de Nederlandse populatie (leeftijd, plaats van "
        "begin, beloop; Huisman et al. 2011, ALS Centrum Nederland), overleving volgens ENCALS.\n"
        "- **Huidige praktijk**: melding pas als de nood er is; 27 % van de gemeenten overschrijdt de 6 weken "
        "onderzoek, 41 % laat een eigen adviseur opnieuw beoordelen, 30 % beoordeelt herhaalaanvragen altijd "
        "opnieuw (onderzoek onder 120 gemeenten, 2024/25); wachttijden van 2–3 maanden, soms 6–9 (protocol).\n"
        "- **Protocol**: melding op afroep bij het IVP, met de werkdagen uit de tabellen van het protocol.\n"
        "- **Gat > 20 werkdagen**: een aanname van het procesmodel (vier werkweken na de start van de behoefte).\n"
        "- Elke route is een scenariobestand met bron of aanname per blok; zie de pagina Scenario's.",
        "- **Patients**: new patients with profiles from the Dutch population (age, site of onset, "
        "progression; Huisman et al. 2011, ALS Centrum Nederland), survival from ENCALS.\n"
        "- **Current practice**: request only once the need is there; 27 % of municipalities exceed the 6-week "
        "investigation, 41 % have their own adviser reassess, 30 % always reassess repeat requests (survey of "
        "120 municipalities, 2024/25); waits of 2–3 months, sometimes 6–9 (protocol).\n"
        "- **Protocol**: on-call requests under the IVP, with the working days of the protocol's tables.\n"
        "- **Gap > 20 working days**: an assumption of the process model (four working weeks after the need "
        "starts).\n"
        "- Every route is a scenario file with a source or assumption per block; see the Scenarios page.",
    ),
    "plan.prognosis.exact": (
        "Alle voorspellers van het ENCALS-model zijn bekend: dit is de curve van het model zelf. De helft van "
        "de mensen met dit profiel leeft na {p50} maanden nog; 25 % tot {p25}, 75 % tot {p75} maanden; "
        "10 % korter dan {p10} en 10 % langer dan {p90} maanden.",
        "All predictors of the ENCALS model are known: this is the model's own curve. Half of the people with "
        "this profile are alive after {p50} months; 25 % until {p25}, 75 % until {p75} months; 10 % shorter "
        "than {p10} and 10 % longer than {p90} months.",
    ),
    "plan.prognosis.mixture": (
        "Niet alle voorspellers van het ENCALS-model zijn bekend; de curve is het gemiddelde over wat bij "
        "mensen met ALS in Nederland gebruikelijk is voor de onbekende gegevens, en daardoor breder. Mediaan "
        "{p50} maanden; de middelste helft tussen {p25} en {p75}; 80 % tussen {p10} en {p90} maanden.",
        "Not all predictors of the ENCALS model are known; the curve averages over what is usual for people "
        "with ALS in the Netherlands for the unknown data, and is therefore wider. Median {p50} months; the "
        "middle half between {p25} and {p75}; 80 % between {p10} and {p90} months.",
    ),
    # reserve page
    "reserve.title": ("Gemeente: reserve voor ALS-voorzieningen", "Municipality: reserve for ALS provisions"),
    "reserve.intro": (
        "Hoeveel moet de gemeente reserveren voor huidige en verwachte cliënten met ALS? Nieuwe cliënten komen "
        "binnen met de Nederlandse incidentie (2,77 per 100.000 inwoners per jaar); uw huidige cliënten kunt u "
        "laden als spreadsheet. Herinzetbare voorzieningen gaan na gebruik naar het depot en worden opnieuw "
        "ingezet.",
        "How much should the municipality reserve for current and expected clients with ALS? New clients arrive "
        "at the Dutch incidence (2.77 per 100,000 inhabitants a year); your current clients can be loaded as a "
        "spreadsheet. Reusable provisions go to the depot after use and are reissued.",
    ),
    "reserve.settings": ("Gemeente en berekening", "Municipality and computation"),
    "reserve.inhabitants": ("Aantal inwoners", "Number of inhabitants"),
    "reserve.years": ("Horizon (jaren)", "Horizon (years)"),
    "reserve.start": ("Eerste dag van de horizon", "First day of the horizon"),
    "reserve.scenario": ("Route", "Route"),
    "reserve.depot": ("Depot: herinzetbare voorzieningen opnieuw inzetten", "Depot: reissue reusable provisions"),
    "reserve.replications": ("Herhalingen (replicaties)", "Replications"),
    "reserve.submit": ("Bereken de reserve", "Compute the reserve"),
    "reserve.caseload": ("Huidige cliënten (optioneel)", "Current clients (optional)"),
    "reserve.caseload.howto": (
        "Eén rij per cliënt: `client_id` en `diagnosis_date` verplicht (2025-03-14 of 14-03-2025); optioneel "
        "`count` (zoveel gelijke cliënten), `provisions_in_use` (ids gescheiden door ;) en de velden van het "
        "profiel (leeg = onbekend). Er worden geen namen gevraagd; gebruik een dossiernummer.",
        "One row per client: `client_id` and `diagnosis_date` required (2025-03-14 or 14-03-2025); optional "
        "`count` (this many alike clients), `provisions_in_use` (ids separated by ;) and the profile fields "
        "(empty = unknown). No names are asked; use a case number.",
    ),
    "reserve.caseload.upload": ("Bestand met huidige cliënten (.csv of .xlsx)", "File with current clients (.csv or .xlsx)"),
    "reserve.caseload.example": ("Voorbeeldbestand (CSV)", "Example file (CSV)"),
    "reserve.caseload.active": ("In gebruik: **{name}** met {n} huidige cliënten.", "In use: **{name}** with {n} current clients."),
    "reserve.caseload.none": ("Geen huidige cliënten geladen: alleen nieuwe cliënten.", "No current clients loaded: new clients only."),
    "reserve.caseload.reset": ("Verwijder de huidige cliënten", "Remove the current clients"),
    "reserve.computing": ("{n} herhalingen van de caseload doorrekenen…", "Computing {n} replications of the caseload…"),
    "reserve.computed": (
        "{reps} herhalingen; {new} nieuwe cliënten per jaar verwacht, {existing} huidige cliënten; berekend in {seconds} s.",
        "{reps} replications; {new} new clients expected per year, {existing} current clients; computed in {seconds} s.",
    ),
    "reserve.empty": (
        "Geen cliënten in deze periode (0 inwoners en geen huidige cliënten): geen uitgaven en geen reserve nodig.",
        "No clients in this period (0 inhabitants and no current clients): no spending and no reserve needed.",
    ),
    "reserve.metric.new": ("Nieuwe cliënten per jaar (verwacht)", "New clients per year (expected)"),
    "reserve.metric.reserve_first": ("Reserve eerste jaar (P{pct})", "Reserve first year (P{pct})"),
    "reserve.metric.reserve_total": ("Reserve hele horizon (P{pct})", "Reserve whole horizon (P{pct})"),
    "reserve.metric.savings": ("Depotbesparing, horizon (mediaan)", "Depot savings, horizon (median)"),
    "reserve.rule": (
        "Reserveregel: houd aan het begin van elk jaar de P{pct} van de Wmo-uitgaven van dat jaar aan; die dekt "
        "de uitgaven in {covered} van de 10 gesimuleerde jaren. 'Nog geoormerkt' is wat de IVP-budgetten aan "
        "het eind van het jaar nog vastleggen (het protocol: alles wat van toepassing is).",
        "Reserve rule: at the start of each year hold the P{pct} of that year's Wmo outlay; it covers the "
        "outlay in {covered} out of 10 simulated years. 'Still earmarked' is what the IVP budgets still tie up "
        "at the end of the year (the protocol: everything that applies).",
    ),
    "reserve.table": ("Per jaar", "Per year"),
    "reserve.col.year": ("Jaar", "Year"),
    "reserve.col.new": ("Nieuwe cliënten", "New clients"),
    "reserve.col.active": ("In zorg", "In care"),
    "reserve.col.outlay": ("Wmo-uitgaven P50 (P90)", "Wmo outlay P50 (P90)"),
    "reserve.col.reserve": ("Reserve", "Reserve"),
    "reserve.col.earmarked": ("Nog geoormerkt eind jaar", "Still earmarked at year end"),
    "reserve.col.released": ("Vrijval", "Released"),
    "reserve.col.reissues": ("Depot: herinzet (aantal)", "Depot: reissued (number)"),
    "reserve.col.savings": ("Depot: besparing", "Depot: savings"),
    "reserve.col.zvw": ("Zvw-uitgaven P50", "Zvw outlay P50"),
    "reserve.col.gap": ("Gat (dagen, gemiddeld)", "Gap (days, mean)"),
    "reserve.total": ("totaal", "total"),
    "reserve.chart.reserve": ("Wmo-uitgaven per jaar en de reserve", "Wmo outlay per year and the reserve"),
    "reserve.chart.flows": ("Uitgaven, oormerken en vrijval per jaar (mediaan)", "Spending, earmarks and releases per year (median)"),
    "reserve.chart.depot": ("Depot per jaar", "Depot per year"),
    "reserve.series.outlay_p50": ("Uitgaven P50", "Outlay P50"),
    "reserve.series.reserve": ("Reserve (P{pct} van de uitgaven)", "Reserve (P{pct} of the outlay)"),
    "reserve.series.earmarked": ("Geoormerkt (nieuw)", "Earmarked (new)"),
    "reserve.series.outlay": ("Uitgegeven", "Spent"),
    "reserve.series.released": ("Vrijgevallen", "Released"),
    "reserve.series.reserved_end": ("Nog geoormerkt eind jaar", "Still earmarked at year end"),
    "reserve.series.returns": ("Teruggekomen in depot", "Returned to depot"),
    "reserve.series.reissues": ("Opnieuw ingezet", "Reissued"),
    "reserve.series.stock": ("Voorraad in depot (teruggekomen min ingezet, cumulatief)", "Depot stock (returned minus reissued, cumulative)"),
    "reserve.series.savings": ("Besparing (nieuwprijs min opknappen)", "Savings (new price minus refurbishment)"),
    "reserve.chart.number": ("Aantal", "Number"),
    "reserve.download_xlsx": ("Download de reserve (Excel)", "Download the reserve (Excel)"),
    "reserve.sources": (
        "- **Nieuwe cliënten**: Poisson-aankomsten met 2,77 per 100.000 inwoners per jaar (Huisman et al., "
        "JNNP 2011).\n"
        "- **Verloop en behoefte**: het ziekteverloopmodel (ENCALS-overleving, ALSFRS-R per domein).\n"
        "- **Reserveregel**: de P90 over de herhalingen van de Wmo-uitgaven van het jaar (instelbaar in "
        "`ivp/domain/budget_assumptions.yaml`).\n"
        "- **Depot**: herinzetbare voorzieningen komen na gebruik terug, worden in 5–15 werkdagen opgeknapt voor "
        "15 % van de nieuwprijs (aannames van de scenario's; vervang ze door uw eigen cijfers) en bediennen de "
        "volgende aanvraag.\n"
        "- **Protocol, regel 6**: verplichtingen die niet nodig blijken, vloeien terug naar de vrije middelen; "
        "herinzetbare voorzieningen gaan naar het depot.",
        "- **New clients**: Poisson arrivals at 2.77 per 100,000 inhabitants a year (Huisman et al., JNNP 2011).\n"
        "- **Course and needs**: the disease model (ENCALS survival, ALSFRS-R per domain).\n"
        "- **Reserve rule**: the P90 over the replications of the year's Wmo outlay (set in "
        "`ivp/domain/budget_assumptions.yaml`).\n"
        "- **Depot**: reusable provisions return after use, are refurbished in 5–15 working days at 15 % of the "
        "new price (the scenarios' assumptions; replace them with your own figures) and serve the next request.\n"
        "- **Protocol, rule 6**: obligations that do not materialise flow back to the free means; reusable "
        "provisions go to the depot.",
    ),
    # scenarios page
    "scenarios.title": ("Scenario's", "Scenarios"),
    "scenarios.intro": (
        "Een scenario is een route voor de aanvragen: wanneer er gemeld wordt, hoe lang elke stap duurt bij "
        "gemeente (Wmo), zorgverzekeraar (Zvw) en leverancier, hoe gemeenten verschillen, wat er gebeurt bij "
        "overlijden en of er een depot is. Elk blok noemt zijn bron of de reden van de aanname. U kunt een "
        "scenario bekijken, aanpassen, downloaden of uw eigen scenario laden; het wordt gecontroleerd voordat "
        "het gebruikt wordt, en geldt alleen in deze sessie.",
        "A scenario is a route for the requests: when the request is made, how long each step takes at the "
        "municipality (Wmo), the insurer (Zvw) and the supplier, how municipalities differ, what happens at "
        "death and whether there is a depot. Every block names its source or the reason for its assumption. "
        "You can view, edit or download a scenario, or load your own; it is checked before use and applies "
        "only in this session.",
    ),
    "scenarios.choose": ("Scenario", "Scenario"),
    "scenarios.own": ("eigen", "own"),
    "scenarios.policy": ("Soort route", "Kind of route"),
    "scenarios.policy.protocol": ("protocol (IVP, op afroep)", "protocol (IVP, on call)"),
    "scenarios.policy.current_practice": ("huidige praktijk", "current practice"),
    "scenarios.policy.pgb": ("persoonsgebonden budget (pgb)", "personal budget (pgb)"),
    "scenarios.steps": ("Stappen en doorlooptijden (werkdagen)", "Steps and durations (working days)"),
    "scenarios.col.step": ("Stap", "Step"),
    "scenarios.step.melding": ("Melding", "Request (melding)"),
    "scenarios.step.noticing": ("Van behoefte tot melding", "From need to request"),
    "scenarios.step.mode": ("Vorm", "Form"),
    "scenarios.step.advice": ("Advies / onderzoek", "Advice / investigation"),
    "scenarios.step.decision": ("Besluit", "Decision"),
    "scenarios.step.fitting": ("Passing", "Fitting"),
    "scenarios.step.delivery": ("Levering: {kind}", "Delivery: {kind}"),
    "scenarios.step.death": ("Na overlijden geannuleerd na", "Cancelled after death within"),
    "scenarios.step.depot": ("Depot", "Depot"),
    "scenarios.melding.trigger": ("op afroep, bij het aanvraagmoment van het IVP", "on call, at the IVP's request moment"),
    "scenarios.melding.need_start": ("als de behoefte er is (plus de tijd tot melden)", "once the need is there (plus the time to report)"),
    "scenarios.mode.in_kind": ("in natura (advies → besluit → passing → levering)", "in kind (advice → decision → fitting → delivery)"),
    "scenarios.mode.pgb": ("pgb (cliënt schaft zelf aan; besluit loopt ernaast)", "pgb (client buys; decision runs alongside)"),
    "scenarios.depot.on": ("aan", "on"),
    "scenarios.depot.off": ("uit (alleen bij een caseload van een gemeente)", "off (only for a municipality's caseload)"),
    "scenarios.dist.fixed": ("{werkdagen}", "{werkdagen}"),
    "scenarios.dist.uniform": ("tussen {low} en {high}", "between {low} and {high}"),
    "scenarios.dist.triangular": ("{low} – {high}, meestal {mode}", "{low} – {high}, most often {mode}"),
    "scenarios.dist.lognormal": ("mediaan {median}, P90 {p90}", "median {median}, P90 {p90}"),
    "scenarios.dist.lognormal_max": ("mediaan {median}, P90 {p90}, hoogstens {max}", "median {median}, P90 {p90}, at most {max}"),
    "scenarios.dist.sla": ("de werkdagen van de catalogus ({part})", "the catalogue's working days ({part})"),
    "scenarios.dist.never": ("nooit", "never"),
    "scenarios.part.advice": ("advies", "advice"),
    "scenarios.part.decision": ("besluit", "decision"),
    "scenarios.part.supplier": ("leverancier", "supplier"),
    "scenarios.part.supplier_after_fitting": ("leverancier na de passing", "supplier after fitting"),
    "scenarios.grounds": ("Bronnen en aannames van dit scenario", "Sources and assumptions of this scenario"),
    "scenarios.grounds.source": ("bron", "source"),
    "scenarios.grounds.assumption": ("aanname", "assumption"),
    "scenarios.undocumented": (
        "Deze blokken noemen geen bron of aanname: {blocks}. Het scenario is bruikbaar, maar leg uit waar de "
        "cijfers vandaan komen.",
        "These blocks name no source or assumption: {blocks}. The scenario can be used, but explain where the "
        "figures come from.",
    ),
    "scenarios.edit": ("Bekijken en aanpassen (YAML)", "View and edit (YAML)"),
    "scenarios.edit.help": (
        "Pas de waarden aan en klik op 'Controleer en gebruik'. Geef het scenario een eigen `name`, zodat u het "
        "terugvindt in de keuzelijsten van de andere pagina's.",
        "Change the values and click 'Check and use'. Give the scenario its own `name` so you find it in the "
        "choices on the other pages.",
    ),
    "scenarios.editor": ("Scenario (YAML)", "Scenario (YAML)"),
    "scenarios.validate": ("Controleer en gebruik", "Check and use"),
    "scenarios.download": ("Download dit scenario (YAML)", "Download this scenario (YAML)"),
    "scenarios.upload": ("Eigen scenario laden (.yaml)", "Load your own scenario (.yaml)"),
    "scenarios.accepted": (
        "Scenario **{name}** is gecontroleerd en staat nu in de keuzelijsten van de andere pagina's (alleen in "
        "deze sessie).",
        "Scenario **{name}** passed the checks and is now in the choices on the other pages (this session only).",
    ),
    "scenarios.not_text": ("{name} is geen UTF-8-tekst; sla het op als UTF-8.", "{name} is not UTF-8 text; save it as UTF-8."),
    "scenarios.sources": (
        "- **Protocol**: de werkdagen uit de tabellen van het ALS protocol hulpmiddelen; meldingen op afroep.\n"
        "- **Huidige praktijk**: Wmo 2015 (onderzoek ≤ 6 weken, besluit ≤ 2 weken), onderzoek onder 120 gemeenten "
        "(2024/25), Landelijk normenkader hulpmiddelen (2020); levertijden afgestemd op 'wachttijden van 2–3 "
        "maanden, soms 6–9' uit het protocol.\n"
        "- Scenariobestanden worden veilig gelezen (alleen YAML-gegevens, geen code) en volledig gecontroleerd; "
        "een onbekende sleutel of een verkeerde waarde wordt geweigerd met het pad van de sleutel.",
        "- **Protocol**: the working days of the tables of the ALS protocol hulpmiddelen; on-call requests.\n"
        "- **Current practice**: Wmo 2015 (investigation ≤ 6 weeks, decision ≤ 2 weeks), survey of 120 "
        "municipalities (2024/25), Landelijk normenkader hulpmiddelen (2020); delivery times calibrated to the "
        "protocol's 'waits of 2–3 months, sometimes 6–9'.\n"
        "- Scenario files are read safely (YAML data only, no code) and fully checked; an unknown key or a wrong "
        "value is refused with the key's path.",
    ),
    "compare.too_large": (
        "Dat is veel rekenwerk ({n} patiënt-herhalingen per route; hoogstens {limit}). Kies minder patiënten of "
        "herhalingen.",
        "That is a lot of computing ({n} patient-replications per route; at most {limit}). Choose fewer patients "
        "or replications.",
    ),
    "reserve.too_large": (
        "Dat is veel rekenwerk ({n} inwoner-jaar-herhalingen; hoogstens {limit}). Kies minder herhalingen of een "
        "kortere horizon.",
        "That is a lot of computing ({n} inhabitant-year-replications; at most {limit}). Choose fewer "
        "replications or a shorter horizon.",
    ),
    "plan.example": ("Begin met een voorbeeldprofiel (optioneel)", "Start from an example profile (optional)"),
    "plan.example.placeholder": ("kies een voorbeeld…", "choose an example…"),
    # more pages
}


# Sources (citation, what it supports); the same in both languages except the role.
DOCUMENT_SOURCES: tuple[tuple[str, str, str], ...] = (
    (
        "ALS Patiënten Vereniging, *ALS protocol hulpmiddelen: het Integraal Voorzieningen Plan (IVP)*, "
        "met bijlagen (patiëntcasus, vervoer, VNG-routewijzer complexe aanvragen, Landelijk normenkader, "
        "Verbeteragenda, handreiking herhaalbeschikkingen).",
        "De regels van het IVP, de tabellen met voorzieningen, bedragen en werkdagen (de hoofdbron).",
        "The IVP's rules, the tables of provisions, amounts and working days (the primary source).",
    ),
    (
        "Onderzoeksrapport voor het ministerie van VWS (2024/25): hoe 120 gemeenten complexe "
        "hulpvragen afhandelen; convenanten Maatwerk en Meeverhuizen.",
        "De huidige praktijk: 27 % van de gemeenten overschrijdt de 6 weken; 30 % beoordeelt "
        "herhaalaanvragen altijd opnieuw; 17 % volgt het advies van de ergotherapeut altijd.",
        "Current practice: 27 % of municipalities exceed the 6 weeks; 30 % always reassess repeat "
        "requests; 17 % always follow the occupational therapist's advice.",
    ),
    (
        "Landelijk normenkader hulpmiddelen (2020).",
        "Leverancier neemt binnen 5 werkdagen contact op; spoedreparatie binnen 24 uur; "
        "herhaalaanvraag zonder nieuw onderzoek.",
        "Supplier contacts the client within 5 working days; urgent repair within 24 hours; repeat "
        "request without a new assessment.",
    ),
    (
        "Kamerbrief over de voortgang van het actieplan hulpmiddelen (mei 2021).",
        "Achtergrond bij het beleid voor hulpmiddelen.",
        "Background to the policy on assistive devices.",
    ),
    (
        "VNG, vragen en antwoorden bij de handreiking inkoop hulpmiddelen.",
        "Achtergrond bij inkoop, depot en herinzet.",
        "Background on procurement, depot and reuse.",
    ),
    (
        "Wet maatschappelijke ondersteuning 2015 (Wmo 2015).",
        "Onderzoek binnen 6 weken na de melding; besluit binnen 2 weken na de aanvraag.",
        "Investigation within 6 weeks of the melding; decision within 2 weeks of the application.",
    ),
    (
        "Cao Gemeenten 2023 art. 6.6; Algemene termijnenwet art. 3; Python-pakket `holidays`.",
        "Welke dagen werkdagen zijn (Goede Vrijdag werkdag, 5 mei vrij).",
        "Which days are working days (Good Friday a working day, 5 May off).",
    ),
)

FIGURE_SOURCES: tuple[tuple[str, str, str], ...] = (
    (
        "Westeneng HJ et al. *Prognosis for patients with amyotrophic lateral sclerosis: development "
        "and validation of a personalised prediction model.* Lancet Neurology 2018 (ENCALS-model).",
        "Persoonlijke overlevingscurve uit 8 kenmerken bij de diagnose.",
        "Personal survival curve from 8 characteristics at diagnosis.",
    ),
    (
        "Richtlijn ALS (Palliaweb); ALS protocol hulpmiddelen.",
        "Overleving: mediaan ca. 3 jaar na de eerste klachten, ca. 20 % leeft na 5 jaar; ca. 80 % "
        "overlijdt binnen 5 jaar na de diagnose.",
        "Survival: median about 3 years from onset, about 20 % alive at 5 years; about 80 % die within "
        "5 years of diagnosis.",
    ),
    (
        "van Eijk RPA et al., ALS-FTD 2025 (PRECISION-ALS, 7.030 patiënten).",
        "Achteruitgang ALSFRS-R gemiddeld ca. 0,9 punt per maand over 24 maanden.",
        "ALSFRS-R decline about 0.9 points per month over 24 months on average.",
    ),
    (
        "Gebrehiwet P et al., ALS-FTD 2024 (N = 1.003).",
        "Gemiddelde maanden van eerste klachten tot mijlpalen: loophulpmiddel 17,5, rolstoel 22,8, "
        "communicatiehulpmiddel 24,6, ademhalingsondersteuning 27,3.",
        "Mean months from onset to milestones: walking aid 17.5, wheelchair 22.8, communication aid "
        "24.6, respiratory aid 27.3.",
    ),
    (
        "Huisman MHB et al., JNNP 2011.",
        "Nederland: incidentie 2,77 per 100.000 per jaar; leeftijd bij begin mediaan 63; ca. 30 % "
        "bulbair begin.",
        "Netherlands: incidence 2.77 per 100,000 a year; median age at onset 63; about 30 % bulbar onset.",
    ),
    (
        "ALS Centrum Nederland.",
        "Vertraging tot de diagnose in Nederland ca. 9 maanden.",
        "Diagnostic delay in the Netherlands about 9 months.",
    ),
)

METHOD_SOURCES: tuple[tuple[str, str, str], ...] = (
    (
        "Monks T et al. *Strengthening the reporting of empirical simulation studies (STRESS).* "
        "Journal of Simulation 2019.",
        "Verslaglegging van het simulatiemodel (STRESS-DES), zie docs/ in het project.",
        "Reporting of the simulation model (STRESS-DES), see docs/ in the project.",
    ),
)

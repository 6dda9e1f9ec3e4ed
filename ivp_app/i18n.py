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
    # placeholders
    "placeholder.plan": ("IVP opstellen", "Draw up an IVP"),
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

"""`ivp plan` (one client's IVP and its budget) and `ivp reserve` (a municipality's reserve).

Tables are Dutch (``ivp.application.formatting``); ``--format json`` is machine-readable (plain numbers,
ISO dates): the layouts of :meth:`ivp.budget.Plan.to_json` and
:meth:`ivp.budget.ReserveResult.to_json`, documented in docs/budget.md.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from enum import Enum
from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd
import typer

from ivp.application.caseload import load_caseload
from ivp.application.cli import options, outputs
from ivp.application.cli.app import (
    ENGINE_HELP,
    JOBS_HELP,
    PROCESSES_HELP,
    Engine,
    Format,
    Language,
    app,
    refuses_bad_input,
)
from ivp.application.cli.progress import progress_bar
from ivp.application.examples import overrides_path, profile_path, visit_path
from ivp.application.followup import follow_up
from ivp.application.formatting import (
    format_date,
    format_euro,
    format_number,
    format_percent,
)
from ivp.application.labels import why_not
from ivp.application.plan import simulate_plan
from ivp.application.reserve import run_reserve, with_depot, with_staff, with_stock
from ivp.domain.assumptions import load_assumptions, load_assumptions_with_notes
from ivp.domain.catalog import load_catalog
from ivp.domain.errors import InputError, excerpt
from ivp.domain.messages import text
from ivp.domain.profile import load_profile
from ivp.domain.visit import load_visits
from ivp.models.disease.params import condition_params
from ivp.models.process import DEFAULT_SEED, Executor, load_scenario, scenario_path
from ivp.models.process.runner import WorkersLost

DEFAULT_SCENARIO = "protocol"


class Freq(str, Enum):
    M = "M"
    Q = "Q"


def _rented(value: Optional[str], catalog) -> tuple[str, ...]:
    if not value:
        return ()
    ids = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [i for i in ids if i not in catalog]
    if unknown:
        raise InputError.single("--rent", "rent", "unknown_provision", id=excerpt(", ".join(unknown)))
    return ids


def _scheduler(address: Optional[str]):
    if not address:
        return None
    try:
        # measured: importing distributed takes about 1.1 s; only with --scheduler
        from distributed import Client

        return Client(address, timeout="10s")
    except (OSError, TimeoutError) as error:
        raise InputError.single("--scheduler", "scheduler", "scheduler_unreachable", address=excerpt(address),
                                reason=excerpt(str(error), 80)) from None


# ---------------------------------------------------------------------------------------
# ivp plan
# ---------------------------------------------------------------------------------------


FIN = {"wmo": "Wmo", "zvw": "Zvw"}
REUSE = {"clientgebonden": "cliëntgebonden", "herinzetbaar": "herinzetbaar", "totaal": "totaal"}


def render_plan(plan, profile_name: str = "") -> str:
    """The plan as a Dutch text table."""
    e = lambda v: format_euro(v)  # noqa: E731
    lines = [
        f"IVP Planner — Integraal Voorzieningen Plan {profile_name}".rstrip(),
        f"Scenario: {plan.scenario_name}; {format_number(plan.n_replications)} mogelijke belopen (replicaties)",
        f"Diagnose {format_date(plan.diagnosis_date)}; budget geoormerkt op {format_date(plan.ivp_date)}.",
    ]
    if plan.profile is not None and not plan.profile.is_als:
        condition = condition_params()[plan.profile.condition.value]
        lines.append(f"Aandoening: {condition.name_nl}; overleving: "
                     + ("gepubliceerde cijfers" if condition.model == "published" else
                        "aanname (weinig of niet levensbekortend); het plan volgt de bezoeken en kijkt "
                        f"{format_number(condition.plan_horizon_months, decimals=0)} maanden vooruit, wat later "
                        "nodig kan worden laat het aan het volgende bezoek")
                     + f" (ivp/models/disease/data/conditions.yaml; {condition.source}).")
    s = plan.survival_months
    if np.isfinite(s.get("p50", np.nan)):
        lines.append(f"Overleving na diagnose: mediaan {format_number(s['p50'], decimals=0)} maanden "
                     f"(P10 {format_number(s['p10'])}, P90 {format_number(s['p90'])}).")
    if plan.followup is not None:
        lines += render_followup_header(plan)
    lines.append("")
    header = (f"{'Voorziening':<30} {'Fin.':<4} {'Herinzet':<14} {'Kosten':>9} {'Nodig':>5} {'Gebruik':>7} {'Kans':>5}  "
              f"{'Nodig P10':>10} {'P50':>10} {'P90':>10}  {'Aanvragen uiterlijk':>19} {'Verwacht':>9} {'Op tijd':>7}")
    lines += [header, "-" * len(header)]
    t = plan.table
    for row in t[t["in_plan"]].itertuples():
        request = "direct" if row.request_now else format_date(row.request_by)
        lines.append(
            f"{row.name_nl[:30]:<30} {FIN[row.financier]:<4} {REUSE[row.reuse]:<14} {e(row.cost_eur):>9} "
            f"{format_percent(row.need_probability):>5} {format_percent(row.uptake_probability):>7} "
            f"{format_percent(row.probability):>5}  {format_date(row.need_p10):>10} {format_date(row.need_p50):>10} "
            f"{format_date(row.need_p90):>10}  {request:>19} {e(row.expected_cost_eur):>9} "
            f"{format_percent(row.on_time_share):>7}"
        )
    for why in ("delivered", "declined", "unlikely", "not_needed", "home"):
        out = t[t["not_in_plan"] == why]
        if len(out):
            lines.append(f"{why_not(why, plan.assumptions, 'nl')}: " + ", ".join(out["name_nl"]))
    if plan.followup is not None:
        lines += render_changes(plan)
    a = plan.assumptions
    lines += [
        "",
        f"Aanvragen uiterlijk = verwachte behoeftedatum (P{round(a.request_by_need_quantile * 100)}) min de "
        f"P{round(a.request_by_lead_time_quantile * 100)} van de doorlooptijd melding → levering onder dit scenario; "
        "'direct' = nu aanvragen. Op tijd = geleverd vóór de behoefte begint.",
        "Nodig = kans dat de voorziening in het beloop nodig wordt; gebruik = kans dat de cliënt haar dan "
        "aanneemt en gebruikt (ivp/models/disease/data/uptake.yaml); kans = nodig × gebruik, de kans op een "
        "aanvraag. Data, doorlooptijden en budget gaan over de belopen met een aanvraag.",
        "",
        f"Budget: het plan oormerkt elke voorziening die in minstens "
        f"{format_percent(a.earmark_min_probability)} van de belopen wordt aangevraagd, tegen de catalogusprijs; "
        "verwacht = kans (nodig × gebruik) × kosten; uitgaven = gesimuleerd.",
    ]
    header = (f"{'':<22} {'Oormerk plan':>13} {'Verwacht':>10} {'Uitgaven gem.':>13} {'P90':>10}  "
              f"{'Catalogus max':>13} {'ondergrens':>10}  {'Protocol':>19}")
    lines += [header, "-" * len(header)]
    for row in plan.budget.itertuples():
        protocol = e(row.protocol_high_eur) if row.protocol_low_eur == row.protocol_high_eur else f"{e(row.protocol_low_eur)} – {e(row.protocol_high_eur)}"
        if row.reuse == "totaal":
            protocol = f"ca. {e(row.protocol_high_eur)}"
        lines.append(
            f"{FIN[row.financier] + ' ' + REUSE[row.reuse]:<22} {e(row.earmarked_eur):>13} {e(row.expected_cost_eur):>10} "
            f"{e(row.spent_mean_eur):>13} {e(row.spent_p90_eur):>10}  {e(row.catalogue_max_eur):>13} "
            f"{e(row.catalogue_lower_eur):>10}  {protocol:>19}"
        )
    lines += ["", "Uitgaven naar soort (gemiddeld over de belopen): aanschaf en opknappen; huur (in natura, pgb, "
              "leenmiddel); onderhoud en na-aanpassing van eigen hulpmiddelen; de eigen bijdrage die de cliënt de "
              "gemeente terugbetaalt; netto = uitgaven min eigen bijdrage."]
    header = ["", "Aanschaf", "Huur", "Onderhoud", "Uitgaven", "Eigen bijdrage", "Netto"]
    rows = [[FIN[row.financier], e(row.spent_purchase_mean_eur), e(row.spent_rent_mean_eur),
             e(row.spent_maintenance_mean_eur), e(row.spent_mean_eur), e(row.own_contribution_mean_eur),
             e(row.net_mean_eur)] for row in plan.budget[plan.budget["reuse"] == "totaal"].itertuples()]
    lines += text_table(header, rows)
    years = sorted(set(plan.table["price_year"]))
    lines.append(f"Bedragen: oormerk en kosten in prijzen van {plan.price_level_year} (catalogus: prijspeil "
                 f"{', '.join(str(y) for y in years)}, geïndexeerd met de consumentenprijsindex, "
                 "ivp/domain/price_index.yaml); uitgaven in prijzen van het jaar waarin betaald wordt.")
    ev = plan.client_events
    if ev:
        wlz_when = (f" (mediaan {format_number(ev['wlz_p50_month'], decimals=0)} maanden na de diagnose)"
                    if np.isfinite(ev.get("wlz_p50_month", np.nan)) else "")
        lines.append(f"Opname in een Wlz-instelling in {format_percent(ev['wlz_share'])} van de belopen{wlz_when}: "
                     f"daarna vraagt de cliënt de Wmo niets meer ({format_number(ev['requests_cancelled_wlz'], decimals=2)} "
                     f"lopende aanvragen per beloop vervallen). Verhuizing naar een andere gemeente in "
                     f"{format_percent(ev['move_share'])}: lopende Wmo-aanvragen beginnen daar opnieuw "
                     f"({format_number(ev['requests_restarted_move'], decimals=2)} per beloop).")
    lines += ["", "Budget in de tijd (Wmo + Zvw, gemiddeld over de belopen; standen aan het eind van het jaar):"]
    header = (f"{'Jaar':<6} {'Geoormerkt':>12} {'Uitgegeven':>12} {'Vrijgevallen':>13} {'Nog gereserveerd':>17} "
              f"{'Naar depot (restwaarde)':>24}")
    lines += [header, "-" * len(header)]
    yearly = yearly_plan_budget(plan)
    p90 = plan.survival_months.get("p90", np.nan)
    last = plan.diagnosis_date.year + int(np.ceil(p90 / 12)) if np.isfinite(p90) else yearly.index.max()
    shown = yearly[yearly.index <= last]
    for year, row in shown.iterrows():
        lines.append(f"{year:<6} {e(row['earmarked_total']):>12} {e(row['spent_total']):>12} "
                     f"{e(row['released_total']):>13} {e(row['reserved']):>17} {e(row['depot_residual_value']):>24}")
    if len(shown) < len(yearly):
        row = yearly.iloc[-1]
        later = yearly[yearly.index > last]["depot_residual_value"].sum()
        lines.append(f"{'daarna':<6} {e(row['earmarked_total']):>12} {e(row['spent_total']):>12} "
                     f"{e(row['released_total']):>13} {e(row['reserved']):>17} {e(later):>24}")
        lines.append(f"(tot {yearly.index.max()}: de langste belopen; jaren na de P90 van de overleving samengevat)")
    return "\n".join(lines)


def render_followup_header(plan) -> list[str]:
    """What the visits observed and how many courses they left."""
    f = plan.followup
    names = dict(zip(plan.table["provision_id"], plan.table["name_nl"]))
    compared = (f"vergeleken met het plan per {format_date(f.previous_as_of)}." if f.previous is not None else
                "geen vergelijking: voor deze aandoening plant het model pas vanaf twee bezoeken met een ALSFRS-R.")
    lines = [f"Vervolgplan per {format_date(f.as_of)}, na {len(f.visits)} bezoek(en); {compared}"]
    for v in f.visits:
        observed = (f"ALSFRS-R {format_number(v.total, decimals=0)}" if v.total is not None else
                    f"ALSFRS-R {len(v.alsfrs_r)} van 12 items" if v.alsfrs_r else "geen ALSFRS-R")
        fvc = f", FVC {format_number(v.fvc_percent, decimals=0)} %" if v.fvc_percent is not None else ""
        lines.append(f"  Bezoek {format_date(v.date)}: {observed}{fvc}; geleverd: "
                     f"{', '.join(names[d.provision] for d in v.delivered) or '-'}; niet meer gewenst: "
                     f"{', '.join(names[p] for p in v.declined) or '-'}.")
    widened = ("" if f.widening <= 1.0 else
               f" De meetfout is met een factor {format_number(f.widening, decimals=2)} verbreed om genoeg belopen te houden"
               + ("." if f.matched else "; ook dan passen de waarnemingen slecht bij dit profiel."))
    lines.append(f"De bezoeken laten {format_number(f.effective_courses, decimals=0)} effectieve belopen over van "
                 f"{format_number(f.pool_courses)} (importance resampling, ivp/models/disease/data/visits.yaml).{widened}")
    p = {} if f.previous is None else f.previous.survival_months
    if np.isfinite(p.get("p50", np.nan)):
        lines.append(f"Overleving na diagnose in het vorige plan: mediaan {format_number(p['p50'], decimals=0)} maanden "
                     f"(P10 {format_number(p['p10'])}, P90 {format_number(p['p90'])}).")
    return lines


def render_changes(plan) -> list[str]:
    """The follow-up's changes per provision and the budget's reconciliation."""
    f, e = plan.followup, format_euro
    if f.previous is None:
        return []
    lines = ["", f"Wat veranderde sinds het plan per {format_date(f.previous_as_of)}:"]
    header = ["Voorziening", "Was", "Nu", "Kans was", "nu", "Nodig P50 was", "nu", "Aanvragen was", "nu", "Budget"]
    rows = []
    for r in f.changes.itertuples():
        if "in_plan" not in (r.status_before, r.status_after) and r.status_before == r.status_after:
            continue  # settled or out of the plan before, and still
        request = "direct" if r.request_now else format_date(r.request_by_after)
        rows.append([r.name_nl[:30], text(f"followup.status.{r.status_before}", "nl"),
                     text(f"followup.status.{r.status_after}", "nl"), format_percent(r.probability_before),
                     format_percent(r.probability_after), format_date(r.need_p50_before), format_date(r.need_p50_after),
                     format_date(r.request_by_before), request,
                     text(f"followup.budget.{r.budget}", "nl") if r.budget else ""])
    lines += text_table(header, rows, left=3)
    lines += ["", "Oormerk van het vorige plan en wat ervan werd (catalogusprijs in het jaar van het IVP):"]
    header = ["", "Oormerk was", "Uitgegeven", "Blijft", "Vrijgevallen", "Nieuw", "Oormerk nu"]
    rows = [[FIN.get(r.financier, "Totaal"), e(r.earmarked_before), e(r.spent), e(r.still_earmarked), e(r.released),
             e(r.added), e(r.earmarked_after)] for r in f.budget.itertuples()]
    return lines + text_table(header, rows)


def yearly_plan_budget(plan) -> pd.DataFrame:
    """Mean over replications, both financiers together, per calendar year: balances at the
    year's end and the depot's residual value returned during the year."""
    o = plan.over_time
    mean = o.pivot_table(index="period", columns="measure", values="mean", aggfunc="sum")
    mean.index = pd.to_datetime(mean.index)
    years = mean.index.year
    stocks = mean[["earmarked_total", "spent_total", "released_total", "reserved"]].groupby(years).last()
    flows = mean[["depot_residual_value", "spent", "released"]].groupby(years).sum()
    return stocks.join(flows)


def _visits(files: list[Path], client, catalog):
    """The visits of ``files`` in date order; a follow-up needs the diagnosis date."""
    if not files:
        return ()
    if client.diagnosis_date is None:
        raise InputError.single("--visit", "diagnosis_date", "visit_needs_diagnosis_date")
    return load_visits(files, client.diagnosis_date, catalog.ids)


@app.command()
@refuses_bad_input
def plan(
    profile: str = typer.Option(..., "--profile", help="a client profile (YAML file) or a shipped example by name (jong_beenbegin, langzaam, oud_bulbair_alleen)"),
    scenario: str = typer.Option(DEFAULT_SCENARIO, "--scenario", help="a shipped scenario (protocol, current_practice, pgb) or a scenario file (YAML)"),
    replications: int = typer.Option(1000, "--replications", help="possible courses to simulate"),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="base seed (same seed, same result)"),
    pdf: Optional[Path] = typer.Option(None, "--pdf", help="write the plan as a printable PDF (Dutch)"),
    xlsx: Optional[Path] = typer.Option(None, "--xlsx", help="write the plan as an Excel workbook"),
    format: Format = typer.Option(Format.table, "--format", help="table (Dutch) or json"),
    freq: Freq = typer.Option(Freq.Q, "--freq", help="budget over time per month (M) or quarter (Q)"),
    rent: Optional[str] = typer.Option(None, "--rent", help="provision ids rented under a pgb (comma-separated)"),
    overrides: Optional[Path] = typer.Option(None, "--overrides", help="local prices, SLA werkdagen and life cycle (buy or rent, upkeep): CSV or Excel (see `ivp catalog --template`), or a shipped example by name (huur)"),
    assumptions: Optional[Path] = typer.Option(None, "--assumptions", help="budget assumptions file (YAML)"),
    jobs: int = typer.Option(-1, "--jobs", help=JOBS_HELP),
    processes: bool = typer.Option(False, "--processes", help=PROCESSES_HELP),
    engine: Engine = typer.Option(Engine.auto, "--engine", help=ENGINE_HELP),
    yes: bool = typer.Option(False, "--yes", help="simulate more courses than ivp/domain/plausibility.yaml's plan_courses_without_confirmation"),
    lang: Language = typer.Option(Language.nl, "--lang", help="language of the PDF and Excel: nl or en"),
    prognosis: bool = typer.Option(False, "--prognosis/--no-prognosis", help="print the survival prognosis in the PDF (off: the protocol warns against confronting the client with a detailed timeline)"),
    visit: Optional[list[str]] = typer.Option(None, "--visit", help="a follow-up visit (YAML file, or a shipped example by name: jong_beenbegin_1); repeat for several: the plan as of the last, compared with the one before"),
) -> None:
    """One client's IVP: provisions with probability, need dates, request-by dates and budget."""
    options.count("--replications", replications, 1, "replications_max")
    options.seed(seed)
    options.size(replications, yes, "belopen", "plan_courses_without_confirmation")
    overrides = overrides_path(overrides)
    visit_files = [visit_path(v) for v in visit or ()]
    inputs = (profile_path(profile), scenario_path(scenario), assumptions, overrides, *visit_files)
    outputs.check("--pdf", pdf, inputs)
    outputs.check("--xlsx", xlsx, inputs)
    catalog = load_catalog(overrides=overrides)
    client = load_profile(profile_path(profile))
    visits = _visits(visit_files, client, catalog)
    chosen = load_scenario(scenario, catalog=catalog)
    a, notes = load_assumptions_with_notes(assumptions)
    executor = options.executor(jobs, processes, replications)
    began = time.perf_counter()
    with progress_bar("ivp plan") as progress:
        common = dict(catalog=catalog, assumptions=a, notes=notes, rented=_rented(rent, catalog), freq=freq.value,
                      executor=executor, engine=engine.value, progress=progress)
        result = (follow_up(client, chosen, visits, replications, seed, **common) if visits
                  else simulate_plan(client, chosen, replications, seed, **common))
    seconds = time.perf_counter() - began
    if xlsx is not None:
        # the reports import fpdf (about 1 s): only when a document is made
        from ivp.application.reports import plan_xlsx

        with outputs.atomic("--xlsx", xlsx) as target:
            plan_xlsx(result, target, profile_name=profile_path(profile).name, lang=lang.value)
    if pdf is not None:
        # the reports import fpdf (about 1 s): only when a document is made
        from ivp.application.reports import plan_pdf

        with outputs.atomic("--pdf", pdf) as target:
            plan_pdf(result, target, profile_name=profile_path(profile).name, lang=lang.value,
                     include_prognosis=prognosis)
    if format is Format.json:
        data = result.to_json()
        data["seconds"] = round(seconds, 3)
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        typer.echo(render_plan(result, profile_path(profile).name))
        written = [str(p) for p in (xlsx, pdf) if p is not None]
        typer.echo(f"\n({format_number(seconds, decimals=2)} s{'; geschreven: ' + ', '.join(written) if written else ''})")


# ---------------------------------------------------------------------------------------
# ivp reserve
# ---------------------------------------------------------------------------------------


def text_table(header: list[str], rows: list[list[str]], left: int = 1) -> list[str]:
    """Columns as wide as their widest cell; the first ``left`` columns left-aligned."""
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows)]
    def line(cells):
        return "  ".join(str(c).ljust(w) if j < left else str(c).rjust(w) for j, (c, w) in enumerate(zip(cells, widths)))
    out = [line(header)]
    out.append("-" * len(out[0]))
    out += [line(r) for r in rows]
    return out


def render_reserve(result) -> str:
    e = lambda v: format_euro(v) if np.isfinite(v) else ""  # noqa: E731
    n1 = lambda v: format_number(v, decimals=1) if np.isfinite(v) else ""  # noqa: E731
    pct = round(result.reserve_percentile * 100)
    lines = [
        f"IVP Planner — reserve voor ALS-voorzieningen: {format_number(result.inhabitants)} inwoners, "
        f"{result.years} jaar vanaf {format_date(result.start)}",
        f"Scenario: {result.scenario_name}; {format_number(result.replications)} replicaties (seed {result.seed}); "
        f"{format_number(result.expected_new_clients_per_year, decimals=1)} nieuwe cliënten per jaar verwacht; "
        f"{format_number(result.existing_clients)} bestaande cliënten.",
        f"Reserveregel: houd aan het begin van elk jaar de P{pct} van de Wmo-uitgaven van dat jaar aan "
        f"(dekt de uitgaven in 9 van de 10 jaren).",
    ]
    if result.empty:
        lines += ["", "Geen cliënten in deze periode: geen uitgaven en geen reserve nodig."]
        return "\n".join(lines)
    header = ["Jaar", "Nieuw", "Actief", "Wmo P50", "P90", "P95", f"Reserve (P{pct})", "95 %-BI", "Nog geoormerkt", "Vrijval",
              "Depot: herinzet", "besparing", "voorraad", "Zvw P50", "Gat (dagen)"]
    rows = [[row.year, n1(row.new_clients_mean), n1(row.active_clients_mean), e(row.wmo_outlay_p50),
             e(row.wmo_outlay_p90), e(row.wmo_outlay_p95), e(row.wmo_reserve),
             f"{e(row.wmo_reserve_ci_low)}–{e(row.wmo_reserve_ci_high)}", e(row.wmo_reserved_end_p50),
             e(row.wmo_released_p50), n1(row.wmo_depot_reissues_mean), e(row.wmo_depot_savings_p50),
             n1(row.wmo_depot_stock_end_mean), e(row.zvw_outlay_p50), n1(row.gap_days_mean)]
            for row in result.table.itertuples()]
    lines += ["", *text_table(header, rows)]
    lines += [
        "",
        "Wmo P50/P90/P95: uitgaven in het jaar (aankoop, huur, onderhoud, opknappen) over de replicaties. "
        "Nog geoormerkt: wat de IVP-budgetten eind van het jaar nog vastleggen (mediaan). "
        "Vrijval: terug naar de vrije middelen. Depot: hergebruikte Wmo-hulpmiddelen (gemiddeld aantal), "
        "de uitgespaarde nieuwprijs min opknapkosten, en de voorraad aan het eind van het jaar. "
        "Gat: dagen tussen behoefte en levering, gemiddeld per aanvraag. "
        "95 %-BI: het betrouwbaarheidsinterval van de reserve door het eindige aantal replicaties. "
        f"De reserve van het totaal is de P{pct} van de totale uitgaven over de hele periode, niet de som van de "
        "jaarlijkse reserves: dure en goedkope jaren middelen uit.",
    ]
    header = ["Jaar", "Wmo aanschaf", "huur", "onderhoud", "uitgaven", "eigen bijdrage", "netto",
              "Zvw aanschaf", "huur", "onderhoud", "uitgaven", "Wlz-opnames", "verhuizingen"]
    rows = [[row.year, e(row.wmo_outlay_purchase_mean), e(row.wmo_outlay_rent_mean), e(row.wmo_outlay_maintenance_mean),
             e(row.wmo_outlay_mean), e(row.wmo_own_contribution_mean), e(row.wmo_net_outlay_mean),
             e(row.zvw_outlay_purchase_mean), e(row.zvw_outlay_rent_mean), e(row.zvw_outlay_maintenance_mean),
             e(row.zvw_outlay_mean), n1(row.wlz_entries_mean), n1(row.moves_mean)] for row in result.table.itertuples()]
    lines += ["", "Uitgaven naar soort, gemiddeld over de replicaties (de soorten tellen op tot de uitgaven):", *text_table(header, rows)]
    lines += [
        "Aanschaf: aankoop en opknappen; huur: in natura, onder een pgb en leenmiddelen; onderhoud: onderhoud en "
        "na-aanpassing van eigen hulpmiddelen (ivp/domain/catalog/lifecycle.csv). Eigen bijdrage: het "
        "abonnementstarief dat cliënten betalen (ivp/domain/own_contribution.yaml). Alle bedragen in prijzen van "
        "het jaar zelf (consumentenprijsindex, ivp/domain/price_index.yaml). Een cliënt die in een Wlz-instelling "
        "wordt opgenomen, vraagt de Wmo daarna niets meer; de vertrekgemeente betaalt gehuurde hulpmiddelen nog "
        "twee maanden (convenant Meeverhuizen).",
    ]
    if result.comparison is not None:
        c = result.comparison
        lines += ["", f"Vergelijking met scenario '{c.scenario_name}' (zelfde patiënten):"]
        header = ["Jaar", "Wmo P50", f"Reserve (P{pct})", "verschil", "Depot besparing", "Gat (dagen)"]
        rows = [[theirs.year, e(theirs.wmo_outlay_p50), e(theirs.wmo_reserve), e(theirs.wmo_reserve - mine.wmo_reserve),
                 e(theirs.wmo_depot_savings_p50), n1(theirs.gap_days_mean)]
                for mine, theirs in zip(result.table.itertuples(), c.table.itertuples())]
        lines += text_table(header, rows)
    return "\n".join(lines)


@app.command()
@refuses_bad_input
def reserve(
    inwoners: int = typer.Option(..., "--inwoners", help="number of inhabitants of the municipality"),
    years: int = typer.Option(..., "--years", help="horizon in years"),
    caseload: Optional[Path] = typer.Option(None, "--caseload", help="current clients (CSV or Excel), see `ivp examples`"),
    register: Optional[str] = typer.Option(None, "--register", help="take the current clients, their items in use and the depot's stock from this register (a SQLite file or a URL; see `ivp register`)"),
    scenario: str = typer.Option(DEFAULT_SCENARIO, "--scenario", help="a shipped scenario (protocol, current_practice, pgb) or a scenario file (YAML)"),
    compare: Optional[Path] = typer.Option(None, "--compare", help="a second scenario on the same patients"),
    replications: int = typer.Option(500, "--replications", help="replications"),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="base seed (same seed, same result)"),
    start: Optional[str] = typer.Option(None, "--start", help="first day of the horizon (default: 1 January next year)"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786"),
    jobs: int = typer.Option(-1, "--jobs", help=JOBS_HELP),
    processes: bool = typer.Option(False, "--processes", help=PROCESSES_HELP),
    depot: bool = typer.Option(True, "--depot/--no-depot", help="a shared depot reissues returned reusable items"),
    staff: Optional[int] = typer.Option(None, "--staff", help="Wmo staff capacity: at most N requests in assessment or decision at once (SimPy resource); default: the scenario's"),
    rent: Optional[str] = typer.Option(None, "--rent", help="provision ids rented under a pgb (comma-separated)"),
    overrides: Optional[Path] = typer.Option(None, "--overrides", help="local prices, SLA werkdagen and life cycle (buy or rent, upkeep): CSV or Excel (see `ivp catalog --template`), or a shipped example by name (huur)"),
    plan_kind: str = typer.Option("applicable", "--earmark", help="applicable (protocol: all that applies) or needed"),
    assumptions: Optional[Path] = typer.Option(None, "--assumptions", help="budget assumptions file (YAML)"),
    xlsx: Optional[Path] = typer.Option(None, "--xlsx", help="write the reserve as an Excel workbook"),
    pdf: Optional[Path] = typer.Option(None, "--pdf", help="write a one-page summary for the council (PDF)"),
    format: Format = typer.Option(Format.table, "--format", help="table (Dutch) or json"),
    engine: Engine = typer.Option(Engine.auto, "--engine", help=ENGINE_HELP),
    lang: Language = typer.Option(Language.nl, "--lang", help="language of the Excel workbook and the PDF: nl or en"),
    yes: bool = typer.Option(False, "--yes", help="start a run larger than ivp/domain/plausibility.yaml's work_without_confirmation"),
) -> None:
    """A municipality's yearly outlay and the reserve to hold, with new and current clients."""
    options.count("--inwoners", inwoners, 0, "inhabitants_max")
    options.count("--replications", replications, 1, "replications_max")
    options.seed(seed)
    if plan_kind not in ("applicable", "needed"):
        raise InputError.single("--earmark", "earmark", "one_of", expected="applicable, needed", got=excerpt(plan_kind))
    first = options.date("--start", start) if start else dt.date(dt.date.today().year + 1, 1, 1)
    options.horizon(first, years)
    if staff is not None:
        options.count("--staff", staff, 1)
    address = options.scheduler(scheduler)
    overrides = overrides_path(overrides)
    outputs.check("--xlsx", xlsx, (caseload, scenario_path(scenario), compare, assumptions, overrides))
    outputs.check("--pdf", pdf, (caseload, scenario_path(scenario), compare, assumptions, overrides))
    if caseload is not None and register is not None:
        raise InputError.single("--register", "", "caseload_or_register")
    catalog = load_catalog(overrides=overrides)
    a = load_assumptions(assumptions)
    chosen = with_staff(with_depot(load_scenario(scenario, catalog=catalog), depot), staff)
    other = with_staff(with_depot(load_scenario(compare, catalog=catalog), depot), staff) if compare else None
    clients = load_caseload(caseload, catalog=catalog) if caseload else None
    if register is not None:
        # SQLAlchemy and Alembic take about 0.3 s to import (measured): only when a register is read
        from ivp.application.register import database as register_db
        from ivp.application.register import report as register_report  # (measured: see above)

        clients, stock = register_report.register_caseload(register_db.open_register(register),
                                                           min(dt.date.today(), first))
        chosen = with_stock(chosen, stock)
        other = with_stock(other, stock) if other is not None else None
    expected = inwoners / 100_000 * chosen.incidence.per_100k_per_year * years + (len(clients) if clients else 0)
    work = round(expected * replications * (2 if other else 1))
    options.size(work, yes, "cliënt-replicaties")
    client = _scheduler(address)
    executor = options.executor(jobs, processes, work, client)
    try:
        with progress_bar("ivp reserve") as progress:
            result = run_reserve(inwoners, years, chosen, caseload=clients, compare_scenario=other,
                                 replications=replications, seed=seed, start=first,
                                 executor=executor, engine=engine.value,
                                 catalog=catalog, assumptions=a, rented=_rented(rent, catalog), plan=plan_kind,
                                 keep_kpis=xlsx is not None, progress=progress)
    except WorkersLost:
        raise InputError.single("--scheduler", "", "scheduler_workers_lost", address=excerpt(address),
                                wait=round(Executor.worker_wait)) from None
    finally:
        if client is not None:
            client.close()
    if xlsx is not None:
        # the reports import fpdf (about 1 s): only when a document is made
        from ivp.application.reports import reserve_xlsx

        with outputs.atomic("--xlsx", xlsx) as target:
            reserve_xlsx(result, target, lang=lang.value)
    if pdf is not None:
        # the reports import fpdf (about 1 s): only when a document is made
        from ivp.application.reports import reserve_pdf

        with outputs.atomic("--pdf", pdf) as target:
            reserve_pdf(result, target, lang=lang.value)
    if format is Format.json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        typer.echo(render_reserve(result))
        typer.echo(f"\n({format_number(result.seconds, decimals=1)} s)")

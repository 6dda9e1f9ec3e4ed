"""Requests: every needed patient-provision of a batch of replications, with its drawn
werkdagen and the dates of each step if nothing delays it.

Time is whole calendar days since 1970-01-01 (the integer value of ``datetime64[D]``), so
patients diagnosed on different dates share one timeline; werkdagen become dates through the
scenario's :class:`~ivp.domain.calendar.WorkdayCalendar`.

A replication first draws its uniforms (:func:`draw_uniforms`: one per patient, provision
and random activity, whether or not the provision is needed and whether or not the scenario
uses the activity, so that every scenario sees the same uniforms for the same
patient-provision: common random numbers). Once the disease model has given the need
windows, :func:`select_cells` keeps the cells that are needed, for all replications of a
batch at once, and :func:`build_requests` turns them into requests under a scenario:
durations by inverse distribution functions of the uniforms, and the undelayed dates.

**Horizon.** The working-day calendar ends on 31 December 2100 (the holidays package's
last year). A course that runs past :data:`HORIZON_MARGIN_DAYS` before that day is
*censored* there: needs that start later are not simulated, need end and death are cut at
the horizon, and a step that would end after the calendar's last day never completes.
Courses within the horizon are unaffected (same seed, same results).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ivp.domain.calendar import WorkdayCalendar, get_calendar
from ivp.domain.catalog import FINANCIERS, REUSE_CLASSES
from ivp.domain.units import DAYS_PER_MONTH, DAYS_PER_YEAR
from ivp.models.needwindows import NeedWindows
from ivp.models.process.durations import sample
from ivp.models.process.scenario import DELIVERY_KINDS, Route, Scenario
from ivp.models.process.streams import PROCESS_ACTIVITIES

HORIZON_MARGIN_DAYS = 730
"""Days before the calendar's last day at which courses are censored, so that requests
made before the horizon have two years to complete within the calendar."""

CELL_UNIFORMS = (*PROCESS_ACTIVITIES, "depot_delivery", "refurbishment")
"""The uniforms kept per request: one per process activity, and the depot's two."""

STEPS = ("advice", "decision", "fitting", "delivery", "depot_delivery", "refurbishment")
"""The werkdagen drawn per request: the four steps, a depot item's delivery after fitting and
the refurbishment of a returned item. ``planned_end`` also holds the day of the melding's
written ``confirmation`` (``nan`` where the route gives none)."""


@dataclass(frozen=True)
class ProvisionArrays:
    """The catalogue's provisions as arrays in the column order of the need windows."""

    ids: tuple[str, ...]
    financier: np.ndarray  # index into FINANCIERS
    reusable: np.ndarray
    cost: np.ndarray
    sla_advice: np.ndarray
    sla_decision: np.ndarray
    sla_supplier: np.ndarray
    delivery_kind: np.ndarray  # index into DELIVERY_KINDS
    chain: np.ndarray  # integer code per chain name
    rented: np.ndarray  # acquired in kind by rent (not owned: never in the depot)


def provision_arrays(catalog, ids: tuple[str, ...]) -> ProvisionArrays:
    """The provisions ``ids`` of ``catalog`` as arrays (built per batch, about 0.05 ms: a
    cache keyed on the catalogue object would hand an override catalogue the costs of a
    freed one that had the same ``id``)."""
    provs = [catalog.get(pid) for pid in ids]
    chains = sorted({p.chain for p in provs})
    return ProvisionArrays(
        ids=tuple(ids),
        financier=np.array([FINANCIERS.index(p.financier) for p in provs], dtype=np.int8),
        reusable=np.array([p.reuse == REUSE_CLASSES[1] for p in provs]),
        cost=np.array([p.cost_eur for p in provs], dtype=float),
        sla_advice=np.array([p.sla.advice for p in provs], dtype=float),
        sla_decision=np.array([p.sla.decision for p in provs], dtype=float),
        sla_supplier=np.array([p.sla.supplier for p in provs], dtype=float),
        delivery_kind=np.array([DELIVERY_KINDS.index(p.delivery) for p in provs], dtype=np.int8),
        chain=np.array([chains.index(p.chain) for p in provs], dtype=np.int16),
        rented=np.array([p.acquisition == "rent" for p in provs]),
    )


def calendar_for(scenario: Scenario) -> WorkdayCalendar:
    """The scenario's working-day calendar (shared per calendar policy)."""
    return get_calendar(scenario.calendar)


def horizon_day(cal: WorkdayCalendar) -> int:
    """The last day of simulated courses (see the module doc, Horizon)."""
    return cal.last_daynum - HORIZON_MARGIN_DAYS


def months_to_days(months: np.ndarray) -> np.ndarray:
    """Months since diagnosis to whole days since diagnosis (floor; ``nan`` stays)."""
    return np.floor(np.asarray(months, dtype=float) * DAYS_PER_MONTH)


# ---------------------------------------------------------------------------------------
# What a replication draws, and the needed cells of a batch
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Uniforms:
    """The process uniforms of ``n`` patients of one replication (or a stack of them):
    ``cells[name]`` is ``(n, P)`` per :data:`CELL_UNIFORMS`; per patient the IVP set-up,
    the death notice and the municipality's traits ``(n, 2, 5)`` (per financier: exceeding
    the investigation term, a second assessment, the repeat-request policy, informing
    clients about the pgb, the first-visit fast track), and the client events ``(n, 2)``
    (entering a Wlz institution, the time of a move)."""

    cells: dict[str, np.ndarray]
    ivp_setup: np.ndarray
    death: np.ndarray
    municipality: np.ndarray
    client: np.ndarray


def draw_uniforms(n: int, n_provisions: int, streams: dict[str, np.random.Generator],
                  one_municipality: bool = False) -> Uniforms:
    """Draw one replication's process uniforms from its streams: every patient x provision
    cell and every activity, whether or not the scenario uses them, so that they do not
    depend on the scenario at all (common random numbers). With ``one_municipality`` (a
    municipality's caseload) every patient lives in the municipality of the first."""
    shape = (n, n_provisions)
    cells = {name: streams[name].random(shape) for name in PROCESS_ACTIVITIES}
    depot = streams["depot"].random((2, *shape))
    cells["depot_delivery"], cells["refurbishment"] = depot[0], depot[1]
    ivp_setup = streams["ivp_setup"].random(n)
    death = streams["death"].random(n)
    municipality = np.concatenate([streams["municipality"].random((n, 2, 3)),
                                   streams["municipality_extra"].random((n, 2, 2))], axis=2)
    if one_municipality and n:
        municipality = np.broadcast_to(municipality[:1], municipality.shape)
    client = streams["client_events"].random((n, 2))
    return Uniforms(cells=cells, ivp_setup=ivp_setup, death=death, municipality=municipality, client=client)


@dataclass(frozen=True)
class Cells:
    """The needed patient-provision cells of a batch of replications, one per request, with
    their need windows and after-adaptation points (months since diagnosis) and uniforms; per
    patient the diagnosis day, death and care dependency (months since diagnosis) and the
    per-patient uniforms. ``patient`` indexes the stacked patients; ``rep_patients`` counts
    the patients of each replication."""

    patient: np.ndarray
    prov: np.ndarray
    need_start: np.ndarray
    need_end: np.ndarray
    trigger: np.ndarray
    adapt: np.ndarray
    uniforms: dict[str, np.ndarray]  # per request, CELL_UNIFORMS
    diagnosis: np.ndarray
    death: np.ndarray
    u_ivp: np.ndarray
    u_death: np.ndarray
    u_municipality: np.ndarray
    u_client: np.ndarray
    care_dependency: np.ndarray
    requests_from: np.ndarray  # per patient, months since diagnosis before which no melding is made
    rep_requests: np.ndarray
    rep_patients: np.ndarray


REQUESTS_FROM = "requests_from_month"
"""Optional column of the need windows' patients: months since diagnosis before which no
melding is made (a plan after a follow-up visit: nothing is requested in the past)."""


def select_cells(windows: NeedWindows, parts: Sequence[Uniforms], diagnosis_day: np.ndarray,
                 rep_patients: np.ndarray) -> Cells:
    """The requested cells (needed and taken up) of the stacked patients of a batch
    (row-major: patient after patient, so replication after replication), with their
    uniforms from ``parts`` (each replication's, in order; taken part by part, so that the
    uniforms of every cell are never stacked whole: measured, the comparison's stacking and
    selection 0.37 s of its 6.3 s)."""
    pi, pj = np.nonzero(windows.requested())
    first = np.cumsum(rep_patients) - rep_patients
    bounds = np.append(np.searchsorted(pi, first), len(pi))

    def joined(arrays: list[np.ndarray]) -> np.ndarray:
        return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)

    def selected(name: str) -> np.ndarray:
        return joined([part.cells[name][pi[a:b] - f, pj[a:b]]
                       for part, f, a, b in zip(parts, first, bounds[:-1], bounds[1:])])

    rep_of_patient = np.repeat(np.arange(len(rep_patients)), rep_patients)
    care = windows.patients["care_dependency_month"].to_numpy(dtype=float) \
        if "care_dependency_month" in windows.patients.columns else np.full(windows.n_patients, np.nan)
    since = windows.patients[REQUESTS_FROM].to_numpy(dtype=float) \
        if REQUESTS_FROM in windows.patients.columns else np.zeros(windows.n_patients)
    return Cells(
        patient=pi, prov=pj, need_start=windows.need_start[pi, pj], need_end=windows.need_end[pi, pj],
        trigger=windows.trigger[pi, pj], adapt=windows.adapt[pi, pj] if windows.adapt is not None else np.full(len(pi), np.nan),
        uniforms={name: selected(name) for name in parts[0].cells},
        diagnosis=np.asarray(diagnosis_day, dtype=float), death=np.asarray(windows.death, dtype=float),
        u_ivp=joined([p.ivp_setup for p in parts]), u_death=joined([p.death for p in parts]),
        u_municipality=joined([p.municipality for p in parts]), u_client=joined([p.client for p in parts]),
        care_dependency=care, requests_from=since,
        rep_requests=np.bincount(rep_of_patient[pi], minlength=len(rep_patients)).astype(np.int64),
        rep_patients=np.asarray(rep_patients, dtype=np.int64),
    )


# ---------------------------------------------------------------------------------------
# Requests under a scenario
# ---------------------------------------------------------------------------------------


@dataclass
class Requests:
    """All requests of a batch of replications (one per needed patient-provision), with
    their drawn werkdagen and the dates of each step if nothing delays the request. Day
    arrays are absolute day numbers (float; ``nan`` = never made, ``inf`` = never completes).

    Replications are stacked one after the other: ``replication`` is each request's
    replication index within the batch (0, 1, ...), ``rep_requests`` and ``rep_patients``
    the numbers of requests and patients of each; ``patient`` indexes the stacked patients."""

    patient: np.ndarray
    prov: np.ndarray
    financier: np.ndarray
    diagnosis: np.ndarray  # absolute day number of the patient's diagnosis
    need_start: np.ndarray  # days since diagnosis
    need_end: np.ndarray
    trigger: np.ndarray
    death: np.ndarray
    melding: np.ndarray  # absolute
    start: np.ndarray  # absolute: the melding, or when the IVP is set if later
    cancel: np.ndarray  # absolute: requests still open on this day are cancelled
    pgb: np.ndarray  # the client realises it (pgb or financial contribution)
    parallel: np.ndarray  # ... from the melding, with advice and decision alongside (else after the decision)
    contribution: np.ndarray  # a financial contribution (the route's ``contributions``)
    cost_share: np.ndarray  # of the catalogue cost paid (a contribution's amount share; else 1)
    repeat: np.ndarray  # a herhalings- of vervangingsaanvraag (RepeatRequests.applies_to)
    reassessed: np.ndarray
    fast_tracked: np.ndarray  # started at the first home visit without an investigation
    advice_by_team: np.ndarray  # the advice is the rehabilitation team's (the financier's handling starts after it)
    bridge: np.ndarray  # absolute day a loan device arrives (nan: none)
    bridge_rent: np.ndarray  # its rent per month (euros; 0 without one)
    adapt: np.ndarray  # days since diagnosis a device in use needs an after-adaptation (nan: none)
    wlz: np.ndarray  # absolute day the client enters a Wlz institution, where it ends this request (nan: not)
    move: np.ndarray  # absolute day the client moves to another municipality, for Wmo requests (nan: not)
    restarted: np.ndarray  # open at the move: restarted at the receiving municipality
    patient_wlz: np.ndarray  # per patient: days since diagnosis of the Wlz entry (nan: none)
    patient_move: np.ndarray  # per patient: days since diagnosis of a move (nan: none)
    werkdagen: dict[str, np.ndarray]  # per step of STEPS
    planned_end: dict[str, np.ndarray]  # absolute end day of each step if nothing delays it
    use_depot: np.ndarray  # reusable, in kind, depot enabled
    replication: np.ndarray
    rep_requests: np.ndarray
    rep_patients: np.ndarray

    @property
    def n(self) -> int:
        return len(self.patient)

    @property
    def n_reps(self) -> int:
        return len(self.rep_requests)

    @property
    def rep_offsets(self) -> np.ndarray:
        """Index of each replication's first request (and the total at the end)."""
        return np.concatenate([[0], np.cumsum(self.rep_requests)]).astype(np.int64)

    def local_index(self) -> np.ndarray:
        """Each request's index within its own replication."""
        return np.arange(self.n, dtype=np.int64) - self.rep_offsets[:-1][self.replication]

    def replication_slice(self, r: int) -> "Requests":
        """The requests of replication index ``r`` alone (local indices)."""
        a, b = self.rep_offsets[r], self.rep_offsets[r + 1]
        first_patient = int(np.sum(self.rep_patients[:r]))
        patients = slice(first_patient, first_patient + int(self.rep_patients[r]))
        sl = slice(a, b)
        arrays = {name: getattr(self, name)[sl] for name in (
            "prov", "financier", "diagnosis", "need_start", "need_end", "trigger", "death", "melding", "start",
            "cancel", "pgb", "parallel", "contribution", "cost_share", "repeat", "reassessed", "fast_tracked", "advice_by_team", "bridge",
            "bridge_rent", "use_depot", "adapt", "wlz", "move", "restarted")}
        return Requests(
            patient=self.patient[sl] - first_patient, **arrays,
            werkdagen={k: v[sl] for k, v in self.werkdagen.items()},
            planned_end={k: v[sl] for k, v in self.planned_end.items()},
            replication=np.zeros(b - a, dtype=np.int64), rep_requests=np.array([b - a], dtype=np.int64),
            rep_patients=self.rep_patients[r:r + 1].copy(),
            patient_wlz=self.patient_wlz[patients], patient_move=self.patient_move[patients],
        )


def lex_order(*keys: np.ndarray) -> np.ndarray:
    """``np.lexsort(keys)`` (the last key sorts first; stable): where every key holds whole
    numbers from 0 whose bit widths add up to at most 63, by one stable argsort of the keys
    packed into an int64 (the same order; measured: a 4-key lexsort of a comparison's
    requests was its slowest step), else by ``np.lexsort``."""
    if not len(keys[0]):
        return np.zeros(0, dtype=np.int64)
    widths, ints = [], []
    for key in keys:
        low, high = key.min(), key.max()
        if not (np.isfinite(low) and np.isfinite(high) and low >= 0):
            return np.lexsort(keys)
        as_int = key.astype(np.int64)
        if key.dtype.kind == "f" and not np.array_equal(as_int, key):
            return np.lexsort(keys)
        widths.append(int(high).bit_length())
        ints.append(as_int)
    if sum(widths) > 63:
        return np.lexsort(keys)
    packed = np.zeros(len(keys[0]), dtype=np.int64)
    for as_int, width in zip(reversed(ints), reversed(widths)):  # the primary key in the highest bits
        packed = (packed << width) | as_int
    return np.argsort(packed, kind="stable")


def first_start_per_patient_and_financier(patient: np.ndarray, financier: np.ndarray, start: np.ndarray,
                                          prov: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per request: is it the patient's first with its financier (earliest start, then
    column), and that first request's start day."""
    first = np.zeros(len(patient), dtype=bool)
    first_start = np.full(len(patient), np.nan)
    idx = np.flatnonzero(~np.isnan(start))
    if idx.size == 0:
        return first, first_start
    order = idx[lex_order(prov[idx], start[idx], financier[idx], patient[idx])]
    key_p, key_f = patient[order], financier[order]
    is_first = np.ones(order.size, dtype=bool)
    is_first[1:] = (key_p[1:] != key_p[:-1]) | (key_f[1:] != key_f[:-1])
    first[order[is_first]] = True
    group = np.cumsum(is_first) - 1
    first_start[order] = start[order[is_first]][group]
    return first, first_start


def earlier_in_group(patient: np.ndarray, group: np.ndarray, start: np.ndarray, prov: np.ndarray) -> np.ndarray:
    """Per request: does the same patient have a request with the same ``group`` code that
    starts earlier (or at the same day in an earlier column)?"""
    later = np.zeros(len(patient), dtype=bool)
    idx = np.flatnonzero(~np.isnan(start))
    if idx.size == 0:
        return later
    order = idx[lex_order(prov[idx], start[idx], group[idx], patient[idx])]
    same = np.zeros(order.size, dtype=bool)
    same[1:] = (patient[order][1:] == patient[order][:-1]) & (group[order][1:] == group[order][:-1])
    later[order] = same
    return later


def replacement_requests(rule: str, patient, financier, start, prov, provisions: ProvisionArrays) -> np.ndarray:
    """Requests a municipality may treat as a herhalings- of vervangingsaanvraag
    (:class:`~ivp.models.process.scenario.RepeatRequests`, ``applies_to``): a renewal or
    replacement of the same provision (``replacements``), or also a later provision of the
    same chain with the same financier (``chain_successors``)."""
    if rule == "chain_successors":
        group = provisions.chain[prov].astype(np.int64) * len(FINANCIERS) + financier.astype(np.int64)
    else:
        group = prov.astype(np.int64)
    return earlier_in_group(patient, group, start, prov)


def build_requests(scenario: Scenario, provisions: ProvisionArrays, cells: Cells,
                   cal: WorkdayCalendar | None = None) -> Requests:
    """The requests of the cells under a scenario: durations by inverse distribution
    functions of the cells' uniforms, and the undelayed dates. Every rule is per request,
    per patient or per patient and financier, so a batch gives exactly the requests of its
    replications one by one."""
    cal = cal or calendar_for(scenario)
    add = cal.add_werkdagen_daynums
    diag_p = cells.diagnosis
    death_days = months_to_days(cells.death)
    # Censor courses at the horizon (module doc); a no-op for courses within it.
    horizon = np.maximum(horizon_day(cal) - diag_p, 0.0)
    death_days = np.minimum(death_days, horizon)
    need_start = months_to_days(cells.need_start)
    u_cells = cells.uniforms
    pi, pj = cells.patient, cells.prov
    rep_of_request = np.repeat(np.arange(len(cells.rep_requests)), cells.rep_requests)
    inside = need_start < horizon[pi]
    need_end_m, trigger_m, adapt_m = cells.need_end, cells.trigger, cells.adapt
    if not inside.all():
        pi, pj, need_start = pi[inside], pj[inside], need_start[inside]
        need_end_m, trigger_m, adapt_m = need_end_m[inside], trigger_m[inside], adapt_m[inside]
        u_cells = {k: v[inside] for k, v in u_cells.items()}
        rep_of_request = rep_of_request[inside]
    rep_requests = np.bincount(rep_of_request, minlength=len(cells.rep_requests)).astype(np.int64)
    fin = provisions.financier[pj]
    diag = diag_p[pi]
    need_end = np.maximum(np.minimum(months_to_days(need_end_m), horizon[pi]), need_start)
    trigger = np.minimum(months_to_days(trigger_m), need_start)
    death = np.maximum(death_days[pi], need_end)
    # Client events: a Wlz entry ends the Wmo's part of a need (the window is cut there)
    wlz_p, move_p = client_event_days(scenario.client_events, cells, death_days)
    wmo = fin == FINANCIERS.index("wmo")
    continues = np.isin(pj, [provisions.ids.index(pid) for pid in _wmo_continues(scenario) if pid in provisions.ids])
    wlz = np.where(wmo & ~continues, wlz_p[pi], np.nan)
    ends = ~np.isnan(wlz)
    need_end = np.where(ends, np.maximum(np.minimum(need_end, wlz), need_start), need_end)
    move = np.where(wmo, move_p[pi], np.nan)
    adapt = months_to_days(adapt_m)

    # The melding.
    melding_spec = scenario.melding
    if melding_spec.at == "trigger":
        melding = diag + trigger
    else:
        noticing = sample(melding_spec.noticing_delay, u_cells["noticing"])
        melding = add(diag + need_start, noticing)
    melding = np.maximum(melding, diag + months_to_days(cells.requests_from[pi]))  # e.g. not before a visit
    melding = np.where(melding <= diag + death, melding, np.nan)
    melding = np.where(ends & (melding >= diag + wlz), np.nan, melding)  # the Wmo is no longer asked
    ivp_ready = add(diag_p, sample(melding_spec.ivp_setup, cells.u_ivp))
    start = np.where(np.isnan(melding), np.nan, np.maximum(melding, ivp_ready[pi]))
    notice = sample(scenario.death.notice, cells.u_death)
    cancel = add(diag_p + death_days, notice)[pi]
    cancel = np.maximum(cancel, diag + death)
    cancel = np.where(ends, np.minimum(cancel, diag + wlz), cancel)

    first, first_start = first_start_per_patient_and_financier(pi, fin, start, pj)
    n = len(pi)
    repeat = np.zeros(n, dtype=bool)
    reassessed = np.ones(n, dtype=bool)
    fast_tracked = np.zeros(n, dtype=bool)
    pgb = np.zeros(n, dtype=bool)
    parallel = np.zeros(n, dtype=bool)
    contribution = np.zeros(n, dtype=bool)
    cost_share = np.ones(n)
    confirmation = np.full(n, np.nan)
    advice_by_team = np.zeros(n, dtype=bool)
    werkdagen = {k: np.zeros(n) for k in STEPS}

    for f, fname in enumerate(FINANCIERS):
        route: Route = scenario.route(fname)
        sel_f = fin == f
        if not sel_f.any():
            continue
        idx_f = np.flatnonzero(sel_f)
        advice_by_team[idx_f] = route.advice_by == "rehabilitation_team"
        u_m = cells.u_municipality[pi[sel_f], f]
        muni = route.municipalities
        # how the request goes: a contribution, a pgb, or in kind
        if route.contributions is not None:
            ids = [provisions.ids.index(pid) for pid in route.contributions.provisions if pid in provisions.ids]
            is_contribution = np.isin(pj[sel_f], ids)
            contribution[idx_f] = is_contribution
            cost_share[idx_f[is_contribution]] = route.contributions.amount_share
        else:
            is_contribution = np.zeros(sel_f.sum(), dtype=bool)
        chooses = np.zeros(sel_f.sum(), dtype=bool)
        if route.pgb is not None:
            chooses = (u_m[:, 3] < route.pgb.informed) & (u_cells["pgb"][sel_f] < route.pgb.share)
        pgb[idx_f] = is_contribution | chooses
        parallel[idx_f] = ((is_contribution & bool(route.contributions and route.contributions.before_decision))
                           | (chooses & ~is_contribution & bool(route.pgb and route.pgb.before_decision)))
        if route.confirmation is not None:
            confirmation[idx_f] = sample(route.confirmation, u_cells["confirmation"][sel_f])
        exceeds = np.zeros(sel_f.sum(), dtype=bool)
        second = np.zeros(sel_f.sum(), dtype=bool)
        reassess = np.ones(sel_f.sum(), dtype=bool)
        fast = np.zeros(sel_f.sum(), dtype=bool)
        if muni is not None:
            if muni.exceed_investigation is not None:
                exceeds = u_m[:, 0] < muni.exceed_investigation.share
            if muni.second_assessment is not None:
                second = u_m[:, 1] < muni.second_assessment.share
            rr = muni.repeat_requests
            if rr is not None:
                is_repeat = replacement_requests(rr.applies_to, pi, fin, start, pj, provisions)[sel_f]
                repeat[idx_f] = is_repeat
                shares = np.array([rr.always, rr.case_by_case, rr.open_ended, rr.unknown])
                kind = np.searchsorted(np.cumsum(shares)[:-1], u_m[:, 2], side="right")
                p_kind = rr.reassess_probability()
                probs = np.array([p_kind["always"], p_kind["case_by_case"], p_kind["open_ended"], p_kind[rr.unknown_as]])
                reassess = ~is_repeat | (u_cells["repeat"][sel_f] < probs[kind])
            ft = muni.fast_track
            if ft is not None:
                ids = [provisions.ids.index(pid) for pid in ft.provisions if pid in provisions.ids]
                s_f, f_f = start[sel_f], first_start[sel_f]
                made = ~np.isnan(s_f)
                at_visit = np.zeros(sel_f.sum(), dtype=bool)
                if made.any():
                    a = f_f[made].astype(np.int64)
                    b = s_f[made].astype(np.int64)
                    at_visit[made] = cal.werkdagen_between_daynums(a, b) <= ft.within
                fast = (u_m[:, 4] < ft.share) & np.isin(pj[sel_f], ids) & at_visit & reassess & ~pgb[idx_f]
        reassessed[idx_f] = reassess
        fast_tracked[idx_f] = fast
        # Provisions without an override and with the same kind of delivery share every
        # duration spec (only their catalogue SLA differs, passed per request): sample
        # them together, one group per kind of delivery and one per overridden provision.
        pj_f = pj[idx_f]
        group_of = np.array([j if provisions.ids[j] in route.overrides else -1 - int(provisions.delivery_kind[j])
                             for j in range(len(provisions.ids))], dtype=np.int64)
        g_f = group_of[pj_f]
        order_f = np.argsort(g_f, kind="stable")
        groups_f, starts_f = np.unique(g_f[order_f], return_index=True)
        bounds_f = np.append(starts_f, len(order_f))
        for g, code in enumerate(groups_f.tolist()):
            local = order_f[bounds_f[g]:bounds_f[g + 1]]  # positions within sel_f, ascending
            idx = idx_f[local]
            j_any = int(pj[idx[0]])
            kind_name = DELIVERY_KINDS[provisions.delivery_kind[j_any]]
            override = route.overrides.get(provisions.ids[j_any]) if code >= 0 else None
            pj_g = pj[idx]

            def spec(step):
                if override is not None and getattr(override, step) is not None:
                    return getattr(override, step)
                if step == "delivery":
                    return getattr(route.delivery, kind_name)
                return getattr(route, step)

            u_adv = u_cells["advice"][idx]
            advice = sample(spec("advice"), u_adv, provisions.sla_advice[pj_g])
            if muni is not None and muni.exceed_investigation is not None and (override is None or override.advice is None):
                ex = exceeds[local]
                if ex.any():
                    advice[ex] = sample(muni.exceed_investigation.advice, u_adv[ex])
            if muni is not None and muni.second_assessment is not None:
                sec = second[local]
                if sec.any():
                    advice[sec] += sample(muni.second_assessment.extra, u_cells["second_assessment"][idx][sec])
            decision = sample(spec("decision"), u_cells["decision"][idx], provisions.sla_decision[pj_g])
            no_reassess = ~reassess[local]
            if no_reassess.any():
                advice[no_reassess] = sample(muni.repeat_requests.without_reassessment, u_adv[no_reassess])
                decision[no_reassess] = 0.0
            quick = fast[local]
            if quick.any():
                advice[quick] = sample(muni.fast_track.advice, u_adv[quick])
                decision[quick] = 0.0
            sla_supplier = provisions.sla_supplier[pj_g]
            fitting, delivery = np.zeros(len(idx)), np.zeros(len(idx))
            in_kind = ~pgb[idx]
            if in_kind.any():
                fitting[in_kind], delivery[in_kind] = _supplier_steps(
                    spec("fitting"), spec("delivery"), u_cells["fitting"][idx][in_kind],
                    u_cells["delivery"][idx][in_kind], sla_supplier[in_kind])
            for contrib in (False, True):
                own = pgb[idx] & (contribution[idx] == contrib)
                if own.any():
                    fit_spec, by_kind = route.realisation(contrib)
                    fitting[own], delivery[own] = _supplier_steps(
                        fit_spec, getattr(by_kind, kind_name), u_cells["fitting"][idx][own],
                        u_cells["delivery"][idx][own], sla_supplier[own])
            werkdagen["advice"][idx] = advice
            werkdagen["decision"][idx] = decision
            werkdagen["fitting"][idx] = fitting
            werkdagen["delivery"][idx] = delivery

    depot = scenario.depot
    use_depot = np.zeros(n, dtype=bool)
    if depot.enabled:
        use_depot = provisions.reusable[pj] & ~pgb & ~provisions.rented[pj]
        werkdagen["depot_delivery"] = sample(depot.delivery, u_cells["depot_delivery"])
        werkdagen["refurbishment"] = sample(depot.refurbishment, u_cells["refurbishment"])

    # Undelayed dates; a Wmo request still open when the client moves starts again at the
    # receiving municipality on the day of the move.
    planned = _planned_dates(add, start, werkdagen, parallel, confirmation, depot.enabled)
    move_abs = diag + move
    restarted = (~np.isnan(move) & (start < move_abs) & (planned["delivery"] > move_abs) & (cancel > move_abs))
    if restarted.any():  # (a few requests: only theirs are computed again)
        i = np.flatnonzero(restarted)
        start = np.where(restarted, move_abs, start)
        again = _planned_dates(add, start[i], {k: v[i] for k, v in werkdagen.items()}, parallel[i], confirmation[i],
                               depot.enabled)
        for step, days in again.items():
            planned[step][i] = days
    bridge = bridge_days(scenario.bridging, provisions, pj, start, planned["delivery"], u_cells["bridge"], cal)
    bridge_rent = np.where(np.isnan(bridge), 0.0,
                           provisions.cost[pj] * (scenario.bridging.rent_monthly_share if scenario.bridging else 0.0))

    return Requests(
        patient=pi, prov=pj, financier=fin, diagnosis=diag,
        need_start=need_start, need_end=need_end, trigger=trigger, death=death,
        melding=melding, start=start, cancel=cancel, pgb=pgb, parallel=parallel, contribution=contribution,
        cost_share=cost_share,
        repeat=repeat, reassessed=reassessed, fast_tracked=fast_tracked, advice_by_team=advice_by_team, bridge=bridge, bridge_rent=bridge_rent,
        adapt=adapt, wlz=np.where(ends, diag + wlz, np.nan), move=np.where(np.isnan(move), np.nan, move_abs),
        restarted=restarted, patient_wlz=wlz_p, patient_move=move_p,
        werkdagen=werkdagen, planned_end=planned, use_depot=use_depot, replication=rep_of_request,
        rep_requests=rep_requests, rep_patients=cells.rep_patients,
    )


def _planned_dates(add, start, werkdagen, parallel, confirmation, depot_enabled) -> dict[str, np.ndarray]:
    """The end day of each step if nothing delays the request, and of its confirmation."""
    planned = {}
    planned["advice"] = add(start, werkdagen["advice"])
    planned["decision"] = add(planned["advice"], werkdagen["decision"])
    fit_from = np.where(parallel, start, planned["decision"])
    planned["fitting"] = add(fit_from, werkdagen["fitting"])
    planned["delivery"] = add(planned["fitting"], werkdagen["delivery"])
    planned["depot_delivery"] = add(planned["fitting"], werkdagen["depot_delivery"]) if depot_enabled \
        else np.full(len(start), np.nan)
    planned["confirmation"] = add(start, np.nan_to_num(confirmation, nan=0.0))
    planned["confirmation"] = np.where(np.isnan(confirmation), np.nan, planned["confirmation"])
    return planned


def _wmo_continues(scenario: Scenario) -> tuple[str, ...]:
    wlz = scenario.client_events.wlz
    return wlz.wmo_continues if wlz is not None else ()


def client_event_days(events, cells: Cells, death_days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per patient, days since diagnosis of the entry into a Wlz institution and of a move
    to another municipality (``nan``: none before death): the entry at care dependency for
    the clients whose uniform falls below the share; a move at an exponential time of the
    yearly rate, unless the client entered an institution first."""
    n = len(death_days)
    wlz = np.full(n, np.nan)
    move = np.full(n, np.nan)
    if events.wlz is not None and events.wlz.share > 0:
        care = months_to_days(cells.care_dependency)
        enters = (cells.u_client[:, 0] < events.wlz.share) & (care < death_days)
        wlz = np.where(enters, care, np.nan)
    if events.moving is not None and events.moving.rate_per_year > 0:
        with np.errstate(divide="ignore"):
            when = np.floor(-np.log1p(-cells.u_client[:, 1]) / events.moving.rate_per_year * DAYS_PER_YEAR)
        move = np.where((when < death_days) & ~(wlz <= when), when, np.nan)
    return wlz, move


def _supplier_steps(fitting_spec, delivery_spec, u_fit, u_dlv, sla_supplier):
    """Fitting and delivery werkdagen; a delivery given as the SLA after fitting gets the
    supplier's SLA minus the drawn fitting."""
    fitting = sample(fitting_spec, u_fit, sla_supplier)
    sla_rest = sla_supplier
    if getattr(delivery_spec, "part", None) == "supplier_after_fitting":
        sla_rest = np.maximum(sla_supplier - fitting, 0)
    return fitting, sample(delivery_spec, u_dlv, sla_rest)


def bridge_days(bridging, provisions: ProvisionArrays, prov, start, planned_delivery, u, cal) -> np.ndarray:
    """Absolute day a loan device arrives for each request (``nan``: none; see
    :class:`~ivp.models.process.scenario.Bridging`): for the bridged provisions whose
    planned delivery is more than ``wait_over`` werkdagen after the start, in ``share`` of
    them, ``delay`` werkdagen after the start."""
    out = np.full(len(prov), np.nan)
    if bridging is None or not len(prov):
        return out
    ids = [provisions.ids.index(pid) for pid in bridging.provisions if pid in provisions.ids]
    made = ~np.isnan(start) & np.isfinite(planned_delivery)
    candidate = np.flatnonzero(made & np.isin(prov, ids) & (u < bridging.share))
    if candidate.size:
        wait = cal.werkdagen_between_daynums(start[candidate].astype(np.int64),
                                             planned_delivery[candidate].astype(np.int64))
        long = candidate[wait > bridging.wait_over]
        arrival = cal.add_werkdagen_daynums(start[long], sample(bridging.delay, u[long] / max(bridging.share, 1e-12)))
        out[long] = np.where(arrival < planned_delivery[long], arrival, np.nan)
    return out

"""The process model: requests racing the decline, as a SimPy simulation.

Time is whole calendar days since 1970-01-01 (the integer value of ``datetime64[D]``), so
patients diagnosed on different dates share one SimPy environment; werkdagen become dates
through :class:`ivp.domain.calendar.WorkdayCalendar`. Per patient, every needed provision gives one
*request* (a melding) and one SimPy process that runs its steps::

    melding -> advice -> decision -> [depot?] -> fitting -> delivery

Each step is one ``env.timeout`` to the day its werkdagen end. All random durations of a
replication are drawn vectorised before the simulation (:func:`draw_requests`), by inverse
distribution functions from one uniform per request and activity, and the dates of each
step are precomputed with the vectorised calendar for the case that nothing delays the
request; inside the simulation a step whose start moved (waiting for staff or the depot)
recomputes its end with the calendar's O(1) integer path.

Two engines give identical results where both apply (tested):

* ``simpy`` - the discrete-event model; needed when staff capacity is limited (queues);
* ``fast`` - the same rules without an event loop: without shared staff nothing but the
  depot couples requests, and the depot is served exactly by handling requests in order of
  their decision day (an item can only be ready for a request decided after the one that
  returned it). Used for national-scale runs.

Many replications run as **one batch** (:func:`draw_cells` per replication, then
:func:`stack_cells` and one :func:`build_requests`, one engine pass and one KPI pass over
all of them, grouped by replication): replication *k* still draws every uniform from its own
SeedSequence streams, so a batch gives exactly the results of running each replication on
its own (tested); it only saves the fixed cost of many small numpy and pandas calls.

**Horizon.** The working-day calendar ends on 31 December 2100 (the holidays package's
last year). A course that runs past :data:`HORIZON_MARGIN_DAYS` before that day is
*censored* there: needs that start later are not simulated, need end and death are cut at
the horizon, and a step that would end after the calendar's last day never completes.
Courses within the horizon are unaffected (same seed, same results).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np
import simpy

from ivp.domain.calendar import WorkdayCalendar, get_calendar
from ivp.domain.units import DAYS_PER_MONTH
from ivp.models.process.durations import sample
from ivp.models.process.scenario import DELIVERY_KINDS, Route, Scenario
from ivp.models.needwindows import NeedWindows

FINANCIERS = ("wmo", "zvw")

STREAMS = (
    "disease", "arrivals", "noticing", "ivp_setup", "municipality", "advice",
    "second_assessment", "repeat", "decision", "fitting", "delivery", "depot", "death",
)
"""The random activities of a replication, in the fixed order their child streams are
spawned from the replication's SeedSequence: the disease course first, then the arrivals,
then every process activity. A scenario that does not use an activity still spawns (and
draws) its stream, so all scenarios see the same patients and the same uniforms."""

PROCESS_ACTIVITIES = ("noticing", "advice", "second_assessment", "repeat", "decision", "fitting", "delivery")


def spawn_streams(seed_sequence: np.random.SeedSequence) -> dict[str, np.random.Generator]:
    """One generator per random activity, spawned in :data:`STREAMS` order."""
    children = seed_sequence.spawn(len(STREAMS))
    return {name: np.random.default_rng(child) for name, child in zip(STREAMS, children)}


@dataclass(frozen=True)
class ProvisionArrays:
    """The catalogue's provisions as arrays in the column order of a NeedWindows."""

    ids: tuple[str, ...]
    financier: np.ndarray  # 0 = wmo, 1 = zvw
    reusable: np.ndarray
    cost: np.ndarray
    sla_advice: np.ndarray
    sla_decision: np.ndarray
    sla_supplier: np.ndarray
    delivery_kind: np.ndarray  # index into DELIVERY_KINDS
    chain: np.ndarray  # integer code per chain name


def provision_arrays(catalog, ids: tuple[str, ...]) -> ProvisionArrays:
    provs = [catalog.get(pid) for pid in ids]
    chains = sorted({p.chain for p in provs})
    return ProvisionArrays(
        ids=tuple(ids),
        financier=np.array([FINANCIERS.index(p.financier) for p in provs], dtype=np.int8),
        reusable=np.array([p.reuse == "herinzetbaar" for p in provs]),
        cost=np.array([p.cost_eur for p in provs], dtype=float),
        sla_advice=np.array([p.sla.advice for p in provs], dtype=float),
        sla_decision=np.array([p.sla.decision for p in provs], dtype=float),
        sla_supplier=np.array([p.sla.supplier for p in provs], dtype=float),
        delivery_kind=np.array([DELIVERY_KINDS.index(p.delivery) for p in provs], dtype=np.int8),
        chain=np.array([chains.index(p.chain) for p in provs], dtype=np.int16),
    )


def calendar_for(scenario: Scenario) -> WorkdayCalendar:
    """The scenario's working-day calendar (shared per calendar policy)."""
    return get_calendar(scenario.calendar)


HORIZON_MARGIN_DAYS = 730
"""Days before the calendar's last day at which courses are censored, so that requests
made before the horizon have two years to complete within the calendar."""


@dataclass(frozen=True)
class DayTable:
    """A calendar's werkdagen as integer arrays: the vectorised O(1) path of
    :meth:`ivp.domain.calendar.WorkdayCalendar.add_werkdagen_daynum` (built once per calendar from
    its public :meth:`~ivp.domain.calendar.WorkdayCalendar.is_werkdag_array`)."""

    first: int
    last: int
    cumulative: np.ndarray  # werkdagen in [first, first + i], inclusive
    werkdag: np.ndarray  # day number of the (k + 1)-th werkdag of the range
    cumulative_list: list = field(repr=False, compare=False, default_factory=list)
    werkdag_list: list = field(repr=False, compare=False, default_factory=list)

    @property
    def horizon(self) -> int:
        return self.last - HORIZON_MARGIN_DAYS


_TABLES: dict[int, tuple[WorkdayCalendar, DayTable]] = {}


def day_table(cal: WorkdayCalendar) -> DayTable:
    hit = _TABLES.get(id(cal))
    if hit is None or hit[0] is not cal:
        days = np.arange(cal.first_daynum, cal.last_daynum + 1, dtype=np.int64)
        is_werkdag = np.asarray(cal.is_werkdag_array(days.astype("datetime64[D]")), dtype=bool)
        cumulative = np.cumsum(is_werkdag, dtype=np.int64)
        werkdag = np.flatnonzero(is_werkdag).astype(np.int64) + cal.first_daynum
        table = DayTable(int(cal.first_daynum), int(cal.last_daynum), cumulative, werkdag,
                         cumulative.tolist(), werkdag.tolist())
        _TABLES[id(cal)] = hit = (cal, table)
    return hit[1]


def _check_days(table: DayTable, days: np.ndarray, what: str) -> None:
    if days.size and (days.min() < table.first or days.max() > table.last):
        bad = days.min() if days.min() < table.first else days.max()
        raise ValueError(
            f"{what} {np.datetime64(int(bad), 'D')} is outside the working-day calendar's range "
            f"{np.datetime64(table.first, 'D')}..{np.datetime64(table.last, 'D')}"
        )


def add_werkdagen(cal: WorkdayCalendar, day: np.ndarray, werkdagen: np.ndarray) -> np.ndarray:
    """Vectorised: the day number ``werkdagen`` werkdagen after ``day`` (float arrays;
    ``nan`` stays ``nan``, ``inf`` in either gives ``inf``, and so does a result after the
    calendar's last day: the step does not complete within the calendar)."""
    day = np.asarray(day, dtype=float)
    werkdagen = np.broadcast_to(np.asarray(werkdagen, dtype=float), day.shape)
    out = np.where(np.isnan(day), np.nan, np.inf)
    ok = np.isfinite(day) & np.isfinite(werkdagen)
    if ok.any():
        t = day_table(cal)
        d = day[ok].astype(np.int64)
        n = werkdagen[ok].astype(np.int64)
        _check_days(t, d, "dates")
        if (n < 0).any():
            raise ValueError(f"the numbers of werkdagen must be >= 0, got minimum {n.min()}")
        k = t.cumulative[d - t.first] + n - 1
        beyond = k >= t.werkdag.size
        res = np.where(n == 0, d, t.werkdag[np.minimum(k, t.werkdag.size - 1)]).astype(float)
        res[beyond & (n > 0)] = np.inf
        out[ok] = res
    return out


def werkdagen_between(cal: WorkdayCalendar, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Vectorised werkdagen in ``(a, b]`` for integer day numbers (0 when ``b <= a``), as
    :meth:`ivp.domain.calendar.WorkdayCalendar.werkdagen_between_array`."""
    t = day_table(cal)
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    _check_days(t, a, "start")
    _check_days(t, b, "end")
    return np.where(b > a, t.cumulative[b - t.first] - t.cumulative[a - t.first], 0)


def _scalar_add(cal: WorkdayCalendar):
    """:meth:`~ivp.domain.calendar.WorkdayCalendar.add_werkdagen_daynum` that gives ``inf`` for a
    result after the calendar's last day (see the module doc, Horizon)."""
    add, last, inf = cal.add_werkdagen_daynum, cal.last_daynum, float("inf")

    def add_or_inf(day: int, n: int):
        if day > last:
            return add(day, n)  # raises: the day itself is outside the calendar
        try:
            return add(day, n)
        except ValueError:
            if n > 0:
                return inf
            raise

    return add_or_inf


def months_to_days(months: np.ndarray) -> np.ndarray:
    """Months since diagnosis to whole days since diagnosis (floor; ``nan`` stays)."""
    return np.floor(np.asarray(months, dtype=float) * DAYS_PER_MONTH)


@dataclass
class Requests:
    """All requests of one or more replications (one per needed patient-provision), with
    their drawn werkdagen and the precomputed dates of an undelayed run. Day arrays are
    absolute day numbers (float; ``nan`` = never made, ``inf`` = never completes).

    Several replications are stacked replication after replication: ``replication`` is
    each request's replication index (0, 1, ... within the batch), ``rep_requests`` the
    number of requests of each replication; ``patient`` indexes the stacked patients."""

    patient: np.ndarray
    prov: np.ndarray
    financier: np.ndarray
    diagnosis: np.ndarray  # absolute day number of the patient's diagnosis
    need_start: np.ndarray  # days since diagnosis
    need_end: np.ndarray
    trigger: np.ndarray
    death: np.ndarray
    melding: np.ndarray  # absolute
    start: np.ndarray  # absolute: melding, or when the IVP is set if later
    cancel: np.ndarray  # absolute: open requests are cancelled on this day
    pgb: np.ndarray
    repeat: np.ndarray
    reassessed: np.ndarray
    w: dict[str, np.ndarray]  # werkdagen per step: advice, decision, fitting, delivery, depot_delivery, refurbishment
    e: dict[str, np.ndarray]  # precomputed absolute end day per step (undelayed)
    use_depot: np.ndarray  # reusable, in kind, depot enabled
    replication: np.ndarray | None = None
    rep_requests: np.ndarray | None = None
    rep_patients: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.replication is None:
            self.replication = np.zeros(len(self.patient), dtype=np.int64)
            self.rep_requests = np.array([len(self.patient)], dtype=np.int64)
        if self.rep_patients is None:
            self.rep_patients = np.array([int(self.patient.max()) + 1 if len(self.patient) else 0], dtype=np.int64)

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
        poff = int(np.sum(self.rep_patients[:r]))
        sl = slice(a, b)
        return Requests(
            patient=self.patient[sl] - poff, prov=self.prov[sl], financier=self.financier[sl],
            diagnosis=self.diagnosis[sl], need_start=self.need_start[sl], need_end=self.need_end[sl],
            trigger=self.trigger[sl], death=self.death[sl], melding=self.melding[sl], start=self.start[sl],
            cancel=self.cancel[sl], pgb=self.pgb[sl], repeat=self.repeat[sl], reassessed=self.reassessed[sl],
            w={k: v[sl] for k, v in self.w.items()}, e={k: v[sl] for k, v in self.e.items()},
            use_depot=self.use_depot[sl], replication=np.zeros(b - a, dtype=np.int64),
            rep_requests=np.array([b - a], dtype=np.int64), rep_patients=self.rep_patients[r:r + 1].copy(),
        )


def _first_per_group(patient: np.ndarray, financier: np.ndarray, start: np.ndarray, prov: np.ndarray) -> np.ndarray:
    """True for each patient's first request with a financier (earliest start, then column)."""
    first = np.zeros(len(patient), dtype=bool)
    made = ~np.isnan(start)
    idx = np.flatnonzero(made)
    if idx.size == 0:
        return first
    order = idx[np.lexsort((prov[idx], start[idx], financier[idx], patient[idx]))]
    key_p, key_f = patient[order], financier[order]
    is_first = np.ones(order.size, dtype=bool)
    is_first[1:] = (key_p[1:] != key_p[:-1]) | (key_f[1:] != key_f[:-1])
    first[order[is_first]] = True
    return first


CELL_UNIFORMS = (*PROCESS_ACTIVITIES, "depot_delivery", "refurbishment")
"""The uniforms kept per request: one per process activity, and the depot's two."""


@dataclass
class Cells:
    """What one or more replications drew: the need windows and the uniforms of every
    *needed* patient-provision cell (one entry per request), and per patient the
    diagnosis day, death and the per-patient uniforms. Made by :func:`draw_cells` for one
    replication; :func:`stack_cells` stacks replications (``patient`` becomes an index
    into the stacked patients)."""

    patient: np.ndarray
    prov: np.ndarray
    need_start: np.ndarray  # months since diagnosis
    need_end: np.ndarray
    trigger: np.ndarray
    u: dict[str, np.ndarray]  # per request, CELL_UNIFORMS
    diagnosis: np.ndarray  # per patient, absolute day number (float)
    death: np.ndarray  # per patient, months since diagnosis
    u_ivp: np.ndarray
    u_death: np.ndarray
    u_muni: np.ndarray  # (patients, 2, 3)
    rep_requests: np.ndarray
    rep_patients: np.ndarray


def draw_cells(windows: NeedWindows, diagnosis_day: np.ndarray, streams: dict[str, np.random.Generator],
               one_municipality: bool = False) -> Cells:
    """Draw one replication's uniforms from its streams and keep the needed cells.

    Uniforms are drawn for every patient x provision cell and every activity whether or not
    the scenario uses them, so that the same patient-provision gets the same uniforms in
    every scenario (common random numbers); they do not depend on the scenario at all.
    """
    n, P = windows.need_start.shape
    U = {name: streams[name].random((n, P)) for name in PROCESS_ACTIVITIES}
    u_depot = streams["depot"].random((2, n, P))
    u_ivp = streams["ivp_setup"].random(n)
    u_death = streams["death"].random(n)
    u_muni = streams["municipality"].random((n, 2, 3))
    if one_municipality and n:
        u_muni = np.broadcast_to(u_muni[:1], u_muni.shape)
    pi, pj = np.nonzero(~np.isnan(windows.need_start))
    u = {name: U[name][pi, pj] for name in PROCESS_ACTIVITIES}
    u["depot_delivery"] = u_depot[0][pi, pj]
    u["refurbishment"] = u_depot[1][pi, pj]
    return Cells(
        patient=pi, prov=pj, need_start=windows.need_start[pi, pj], need_end=windows.need_end[pi, pj],
        trigger=windows.trigger[pi, pj], u=u, diagnosis=np.asarray(diagnosis_day, dtype=float),
        death=np.asarray(windows.death, dtype=float), u_ivp=u_ivp, u_death=u_death, u_muni=u_muni,
        rep_requests=np.array([len(pi)], dtype=np.int64), rep_patients=np.array([n], dtype=np.int64),
    )


def stack_cells(parts: list[Cells]) -> Cells:
    """Stack the cells of several replications (in order)."""
    if len(parts) == 1:
        return parts[0]
    offsets = np.concatenate([[0], np.cumsum([p.rep_patients.sum() for p in parts])[:-1]]).astype(np.int64)
    cat = np.concatenate
    return Cells(
        patient=cat([p.patient + o for p, o in zip(parts, offsets)]),
        prov=cat([p.prov for p in parts]),
        need_start=cat([p.need_start for p in parts]), need_end=cat([p.need_end for p in parts]),
        trigger=cat([p.trigger for p in parts]),
        u={name: cat([p.u[name] for p in parts]) for name in CELL_UNIFORMS},
        diagnosis=cat([p.diagnosis for p in parts]), death=cat([p.death for p in parts]),
        u_ivp=cat([p.u_ivp for p in parts]), u_death=cat([p.u_death for p in parts]),
        u_muni=cat([p.u_muni for p in parts]),
        rep_requests=cat([p.rep_requests for p in parts]), rep_patients=cat([p.rep_patients for p in parts]),
    )


def draw_requests(
    scenario: Scenario,
    provisions: ProvisionArrays,
    windows: NeedWindows,
    diagnosis_day: np.ndarray,
    streams: dict[str, np.random.Generator],
    one_municipality: bool = False,
    cal: WorkdayCalendar | None = None,
) -> Requests:
    """Draw every random duration of one replication and precompute the undelayed dates
    (:func:`draw_cells` then :func:`build_requests`)."""
    if tuple(windows.provision_ids) != provisions.ids:
        raise ValueError("provision arrays do not match the need windows' columns")
    return build_requests(scenario, provisions, draw_cells(windows, diagnosis_day, streams, one_municipality), cal)


def build_requests(scenario: Scenario, provisions: ProvisionArrays, cells: Cells,
                   cal: WorkdayCalendar | None = None) -> Requests:
    """The requests of the drawn cells under a scenario: durations by inverse distribution
    functions from the cells' uniforms, and the undelayed dates. Works on one replication
    or a stack of them alike (every rule is per request, per patient or per patient and
    financier)."""
    cal = cal or calendar_for(scenario)
    table = day_table(cal)
    diag_p = cells.diagnosis
    death_days = months_to_days(cells.death)
    # Censor courses at the horizon (module doc); a no-op for courses within it.
    horizon = np.maximum(table.horizon - diag_p, 0.0)
    death_days = np.minimum(death_days, horizon)
    need_start = months_to_days(cells.need_start)
    u_cells = cells.u
    pi, pj = cells.patient, cells.prov
    rep_of_request = np.repeat(np.arange(len(cells.rep_requests)), cells.rep_requests)
    inside = need_start < horizon[pi]
    need_end_m, trigger_m = cells.need_end, cells.trigger
    if not inside.all():
        pi, pj, need_start = pi[inside], pj[inside], need_start[inside]
        need_end_m, trigger_m = need_end_m[inside], trigger_m[inside]
        u_cells = {k: v[inside] for k, v in u_cells.items()}
        rep_of_request = rep_of_request[inside]
    rep_requests = np.bincount(rep_of_request, minlength=len(cells.rep_requests)).astype(np.int64)
    fin = provisions.financier[pj]
    diag = diag_p[pi]
    need_end = np.maximum(np.minimum(months_to_days(need_end_m), horizon[pi]), need_start)
    trigger = np.minimum(months_to_days(trigger_m), need_start)
    death = np.maximum(death_days[pi], need_end)

    def cells_of(name):
        return u_cells[name]

    # The melding.
    melding_spec = scenario.melding
    if melding_spec.at == "trigger":
        melding = diag + trigger
    else:
        noticing = sample(melding_spec.noticing_delay, cells_of("noticing"))
        melding = add_werkdagen(cal, diag + need_start, noticing)
    melding = np.where(melding <= diag + death, melding, np.nan)
    ivp_ready = add_werkdagen(cal, diag_p, sample(melding_spec.ivp_setup, cells.u_ivp))
    start = np.where(np.isnan(melding), np.nan, np.maximum(melding, ivp_ready[pi]))
    notice = sample(scenario.death.notice, cells.u_death)
    cancel = add_werkdagen(cal, diag_p + death_days, notice)[pi]
    cancel = np.maximum(cancel, diag + death)

    first = _first_per_group(pi, fin, start, pj)
    repeat = ~first & ~np.isnan(start)
    reassessed = np.ones(len(pi), dtype=bool)
    pgb = np.zeros(len(pi), dtype=bool)
    w = {k: np.zeros(len(pi)) for k in ("advice", "decision", "fitting", "delivery", "depot_delivery", "refurbishment")}

    for f, fname in enumerate(FINANCIERS):
        route: Route = scenario.route(fname)
        sel_f = fin == f
        if not sel_f.any():
            continue
        pgb[sel_f] = route.mode == "pgb"
        muni = route.municipalities
        u_m = cells.u_muni[pi[sel_f], f]
        exceeds = np.zeros(sel_f.sum(), dtype=bool)
        second = np.zeros(sel_f.sum(), dtype=bool)
        reassess = np.ones(sel_f.sum(), dtype=bool)
        if muni is not None:
            if muni.exceed_investigation is not None:
                exceeds = u_m[:, 0] < muni.exceed_investigation.share
            if muni.second_assessment is not None:
                second = u_m[:, 1] < muni.second_assessment.share
            rr = muni.repeat_requests
            if rr is not None:
                shares = np.array([rr.always, rr.case_by_case, rr.open_ended, rr.unknown])
                kind = np.searchsorted(np.cumsum(shares)[:-1], u_m[:, 2], side="right")
                p_kind = rr.reassess_probability()
                probs = np.array([p_kind["always"], p_kind["case_by_case"], p_kind["open_ended"], p_kind[rr.unknown_as]])
                reassess = ~repeat[sel_f] | (cells_of("repeat")[sel_f] < probs[kind])
        reassessed[sel_f] = reassess
        # Provisions without an override and with the same kind of delivery share every
        # duration spec (only their catalogue SLA differs, passed per request): sample
        # them together, one group per kind of delivery and one per overridden provision.
        idx_f = np.flatnonzero(sel_f)
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
            ov = route.overrides.get(provisions.ids[j_any]) if code >= 0 else None
            pj_g = pj[idx]

            def spec(step):
                if ov is not None and getattr(ov, step) is not None:
                    return getattr(ov, step)
                if step == "delivery":
                    return getattr(route.delivery, DELIVERY_KINDS[provisions.delivery_kind[j_any]])
                return getattr(route, step)

            u_adv = cells_of("advice")[idx]
            advice = sample(spec("advice"), u_adv, provisions.sla_advice[pj_g])
            if muni is not None and muni.exceed_investigation is not None and (ov is None or ov.advice is None):
                ex = exceeds[local]
                if ex.any():
                    advice[ex] = sample(muni.exceed_investigation.advice, u_adv[ex])
            if muni is not None and muni.second_assessment is not None:
                sec = second[local]
                if sec.any():
                    advice[sec] += sample(muni.second_assessment.extra, cells_of("second_assessment")[idx][sec])
            decision = sample(spec("decision"), cells_of("decision")[idx], provisions.sla_decision[pj_g])
            no_reassess = ~reassess[local]
            if no_reassess.any():
                advice[no_reassess] = sample(muni.repeat_requests.without_reassessment, u_adv[no_reassess])
                decision[no_reassess] = 0.0
            sla_supplier = provisions.sla_supplier[pj_g]
            fitting = sample(spec("fitting"), cells_of("fitting")[idx], sla_supplier)
            dspec = spec("delivery")
            sla_rest = sla_supplier
            if getattr(dspec, "part", None) == "supplier_after_fitting":
                sla_rest = np.maximum(sla_supplier - fitting, 0)
            delivery = sample(dspec, cells_of("delivery")[idx], sla_rest)
            w["advice"][idx] = advice
            w["decision"][idx] = decision
            w["fitting"][idx] = fitting
            w["delivery"][idx] = delivery

    depot = scenario.depot
    use_depot = np.zeros(len(pi), dtype=bool)
    if depot.enabled:
        use_depot = provisions.reusable[pj] & ~pgb
        w["depot_delivery"] = sample(depot.delivery, cells_of("depot_delivery"))
        w["refurbishment"] = sample(depot.refurbishment, cells_of("refurbishment"))

    # Undelayed dates.
    e = {}
    e_adv = add_werkdagen(cal, start, w["advice"])
    e_dec = add_werkdagen(cal, e_adv, w["decision"])
    fit_from = np.where(pgb, start, e_dec)
    e_fit = add_werkdagen(cal, fit_from, w["fitting"])
    e["advice"], e["decision"], e["fitting"] = e_adv, e_dec, e_fit
    e["delivery"] = add_werkdagen(cal, e_fit, w["delivery"])
    e["depot_delivery"] = add_werkdagen(cal, e_fit, w["depot_delivery"]) if depot.enabled else np.full(len(pi), np.nan)

    return Requests(
        patient=pi, prov=pj, financier=fin, diagnosis=diag,
        need_start=need_start, need_end=need_end, trigger=trigger, death=death,
        melding=melding, start=start, cancel=cancel, pgb=pgb, repeat=repeat, reassessed=reassessed,
        w=w, e=e, use_depot=use_depot, replication=rep_of_request, rep_requests=rep_requests,
        rep_patients=cells.rep_patients,
    )


@dataclass
class Outcome:
    """What happened to each request (absolute day numbers; ``nan`` = did not happen)."""

    advice: np.ndarray
    decision: np.ndarray
    fitting: np.ndarray
    delivery: np.ndarray
    cancelled: np.ndarray
    from_depot: np.ndarray
    item_id: np.ndarray
    events: int = 0
    depot_stock_end: dict = field(default_factory=dict)


def _cancel_chain(ends: list[np.ndarray], cancel: np.ndarray, made: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    alive = made.copy()
    out = []
    for end in ends:
        ok = alive & (end <= cancel)
        out.append(np.where(ok, end, np.nan))
        alive = ok
    return out, made & ~alive


def _initial_stock(scenario: Scenario, provisions: ProvisionArrays) -> list[tuple[int, int, int]]:
    """``(provision column, first id offset, count)`` of the depot's initial stock: a
    replication with ``n`` requests numbers its initial items ``n + offset, ...``."""
    out, offset = [], 0
    for pid, count in sorted(scenario.depot.initial_stock.items()):
        if pid not in provisions.ids:
            continue
        out.append((provisions.ids.index(pid), offset, count))
        offset += count
    return out


def _initial_heaps(scenario: Scenario, provisions: ProvisionArrays, n_requests: int) -> dict[int, list]:
    heaps: dict[int, list] = {}
    for j, offset, count in _initial_stock(scenario, provisions):
        heaps.setdefault(j, []).extend((-np.inf, n_requests + offset + c) for c in range(count))
    return heaps


def run_fast(req: Requests, scenario: Scenario, provisions: ProvisionArrays, cal: WorkdayCalendar) -> Outcome:
    """The model's rules without an event loop (valid without staff capacity); one pass
    over all replications of a batch (the depot is one per replication)."""
    if any(True for _ in scenario.staff):
        raise ValueError("the fast engine cannot model staff capacity; use engine='simpy'")
    made = ~np.isnan(req.start)
    e = req.e
    # pgb: delivery path fitting -> delivery; reimbursement advice -> decision alongside.
    (adv, dec, fit, dlv), cancelled = _cancel_chain(
        [np.where(req.pgb, -np.inf, e["advice"]), np.where(req.pgb, -np.inf, e["decision"]), e["fitting"], e["delivery"]],
        req.cancel, made,
    )
    adv = np.where(req.pgb & ~np.isnan(dlv), e["advice"], adv)
    dec = np.where(req.pgb & ~np.isnan(dlv), e["decision"], dec)
    adv = np.where(req.pgb & np.isnan(dlv), np.nan, adv)
    dec = np.where(req.pgb & np.isnan(dlv), np.nan, dec)
    from_depot = np.zeros(req.n, dtype=bool)
    local = req.local_index() if req.n_reps > 1 else np.arange(req.n, dtype=np.int64)
    item_id = np.where(~np.isnan(dlv), local, -1).astype(np.int64)

    if scenario.depot.enabled:
        _serve_depot(req, scenario, provisions, cal, dec, fit, dlv, cancelled, from_depot, item_id, local)
    return Outcome(advice=adv, decision=dec, fitting=fit, delivery=dlv, cancelled=cancelled,
                   from_depot=from_depot, item_id=item_id)


def _serve_depot(req: Requests, scenario: Scenario, provisions: ProvisionArrays, cal: WorkdayCalendar,
                 dec: np.ndarray, fit: np.ndarray, dlv: np.ndarray, cancelled: np.ndarray,
                 from_depot: np.ndarray, item_id: np.ndarray, local: np.ndarray) -> None:
    """The depot of the fast engine, in place: requests for reusable in-kind items in order
    of decision day (then request order) take a ready item of their replication's depot, if
    any; every delivered item returns after its use and refurbishment. One heap of
    ``(ready day, item id)`` per replication and provision. The loop runs on plain Python
    lists (it is the one sequential part of the engine)."""
    stock = _initial_stock(scenario, provisions)
    P = len(provisions.ids)
    cand = np.flatnonzero(req.use_depot & ~np.isnan(dec))
    if cand.size == 0:
        return
    order = cand[np.lexsort((cand, dec[cand]))]
    e = req.e
    keys = (req.replication[order].astype(np.int64) * P + req.prov[order]).tolist()
    dec_l = dec[order].tolist()
    fit_l = e["fitting"][order].tolist()
    depot_l = e["depot_delivery"][order].tolist()
    cancel_l = req.cancel[order].tolist()
    bought_l = dlv[order].tolist()  # delivery of a purchase (nan if none came)
    need_end_l = (req.diagnosis + req.need_end)[order].tolist()
    ref_l = req.w["refurbishment"][order].tolist()
    local_l = local[order].tolist()
    rep_n = req.rep_requests.tolist()
    table = day_table(cal)
    cum, werkdag, first, last = table.cumulative_list, table.werkdag_list, table.first, table.last
    n_werkdagen = len(werkdag)
    add = _scalar_add(cal)
    heappop, heappush, isfinite, inf = heapq.heappop, heapq.heappush, math.isfinite, math.inf
    heaps: dict[int, list] = {}
    served_pos, served_item, served_fit, served_dlv = [], [], [], []  # requests the depot served
    for i, key in enumerate(keys):
        heap = heaps.get(key)
        if heap is None:
            heap = heaps[key] = []
            rep, j = divmod(key, P)
            for sj, offset, count in stock:
                if sj == j:
                    heap.extend((-inf, rep_n[rep] + offset + c) for c in range(count))
        cancel = cancel_l[i]
        if heap and heap[0][0] <= dec_l[i]:
            item = heappop(heap)[1]
            f_end, d_end = fit_l[i], depot_l[i]
            served_pos.append(i)
            served_item.append(item)
            if f_end > cancel:
                served_fit.append(math.nan)
                served_dlv.append(math.nan)
                heappush(heap, (cancel, item))
                continue
            served_fit.append(f_end)
            if d_end > cancel:
                served_dlv.append(math.nan)
                heappush(heap, (cancel, item))
                continue
            served_dlv.append(d_end)
            delivered = d_end
        else:
            delivered = bought_l[i]
            if delivered != delivered:  # nothing delivered: nothing returns
                continue
            item = local_l[i]
        need_end = need_end_l[i]
        use_end = int(delivered if delivered >= need_end else need_end)
        ref = ref_l[i]
        if not isfinite(ref):
            ready = inf
        else:
            n = int(ref)
            k = cum[use_end - first] + n - 1 if first <= use_end <= last else -1
            ready = (use_end if n == 0 else werkdag[k]) if 0 <= k < n_werkdagen and n >= 0 else add(use_end, n)
        heappush(heap, (ready, item))
    if served_pos:
        rows = order[np.asarray(served_pos, dtype=np.int64)]
        f = np.asarray(served_fit, dtype=float)
        d = np.asarray(served_dlv, dtype=float)
        from_depot[rows] = True
        fit[rows] = f
        dlv[rows] = d
        cancelled[rows] = np.isnan(d)
        item_id[rows] = np.where(np.isnan(d), -1, np.asarray(served_item, dtype=np.int64))


class _DepotDesk:
    """Serves depot items at the end of each decision day (t + 1/2), in request order, so
    that the allocation does not depend on the order of same-day events."""

    def __init__(self, env: simpy.Environment, heaps: dict[int, list], prov: np.ndarray):
        self.env, self.heaps, self.prov = env, heaps, prov
        self.pending: dict[int, list] = {}

    def request(self, r: int) -> simpy.Event:
        day = int(self.env.now)
        event = self.env.event()
        if day not in self.pending:
            self.pending[day] = []
            self.env.timeout(0.5).callbacks.append(lambda _ev, d=day: self._allocate(d))
        self.pending[day].append((r, event))
        return event

    def _allocate(self, day: int) -> None:
        for r, event in sorted(self.pending.pop(day), key=lambda x: x[0]):
            heap = self.heaps.setdefault(int(self.prov[r]), [])
            if heap and heap[0][0] <= day:
                event.succeed(heapq.heappop(heap)[1])
            else:
                event.succeed(None)

    def give_back(self, r: int, ready: float, item: int) -> None:
        heapq.heappush(self.heaps.setdefault(int(self.prov[r]), []), (ready, item))


def run_simpy(req: Requests, scenario: Scenario, provisions: ProvisionArrays, cal: WorkdayCalendar) -> Outcome:
    """The discrete-event simulation: one SimPy process per request in one environment."""
    n = req.n
    made = np.flatnonzero(~np.isnan(req.start))
    out_adv = [np.nan] * n
    out_dec = [np.nan] * n
    out_fit = [np.nan] * n
    out_dlv = [np.nan] * n
    cancelled = [False] * n
    from_depot = [False] * n
    item_id = [-1] * n
    if made.size == 0:
        return _outcome(out_adv, out_dec, out_fit, out_dlv, cancelled, from_depot, item_id, 0)

    start_day = int(req.start[made].min())
    env = simpy.Environment(initial_time=start_day)
    timeout = env.timeout
    add = _scalar_add(cal)
    pools: dict[tuple[int, str], simpy.Resource] = {}
    for pool in scenario.staff.values():
        res = simpy.Resource(env, capacity=pool.capacity)
        for fname in pool.financiers:
            for step in pool.steps:
                pools[(FINANCIERS.index(fname), step)] = res
    has_pools = bool(pools)
    depot_desk = None
    if scenario.depot.enabled:
        depot_desk = _DepotDesk(env, _initial_heaps(scenario, provisions, n), req.prov)
    need_end_abs = (req.diagnosis + req.need_end).tolist()

    S = req.start.tolist()
    C = req.cancel.tolist()
    E = {k: v.tolist() for k, v in req.e.items()}
    W = {k: v.tolist() for k, v in req.w.items()}
    FIN = req.financier.tolist()
    PGB = req.pgb.tolist()
    USE_DEPOT = req.use_depot.tolist()
    INF = float("inf")
    lean = not has_pools and depot_desk is None
    ENDS = list(zip(E["advice"], E["decision"], E["fitting"], E["delivery"])) if lean else None

    def end_of(day, pre_start, pre_end, werkdagen):
        if day == pre_start:
            return pre_end
        if werkdagen == INF:
            return INF
        return add(day, int(werkdagen))

    def step(r, name, pre_start, pre_end, werkdagen, fin):
        """Generator of one step; returns the end day or None when cancelled."""
        pool = pools.get((fin, name)) if has_pools else None
        cancel = C[r]
        if pool is not None:
            claim = pool.request()
            now = env.now
            if cancel < now:
                claim.cancel()
                return None
            result = yield claim | timeout(cancel - now)
            if claim not in result:
                claim.cancel()
                return None
        now = env.now
        end = end_of(int(now), pre_start, pre_end, werkdagen)
        if end > cancel:
            if cancel > now:
                yield timeout(cancel - now)
            if pool is not None:
                pool.release(claim)
            return None
        yield timeout(end - now if end > now else 0)
        if pool is not None:
            pool.release(claim)
        return end

    def in_kind(r):
        fin = FIN[r]
        cancel = C[r]
        if lean:
            # The lean path: every date is precomputed; one timeout per step.
            ends = ENDS[r]
            s = 0
            for end in ends:
                if end > cancel:
                    now = env.now
                    if cancel > now:
                        yield timeout(cancel - now)
                    cancelled[r] = True
                    break
                yield timeout(end - env.now)
                s += 1
            if s:
                out_adv[r] = ends[0]
                if s > 1:
                    out_dec[r] = ends[1]
                    if s > 2:
                        out_fit[r] = ends[2]
                        if s > 3:
                            out_dlv[r] = ends[3]
                            item_id[r] = r
            return
        end = yield from step(r, "advice", S[r], E["advice"][r], W["advice"][r], fin)
        if end is None:
            cancelled[r] = True
            return
        out_adv[r] = end
        end = yield from step(r, "decision", E["advice"][r], E["decision"][r], W["decision"][r], fin)
        if end is None:
            cancelled[r] = True
            return
        out_dec[r] = end
        item = r
        delivery_name = "delivery"
        if depot_desk is not None and USE_DEPOT[r]:
            got = yield depot_desk.request(r)
            if got is not None:
                item = got
                from_depot[r] = True
                delivery_name = "depot_delivery"
        end = yield from step(r, "fitting", E["decision"][r], E["fitting"][r], W["fitting"][r], fin)
        if end is not None:
            out_fit[r] = end
            end = yield from step(r, "delivery", E["fitting"][r], E[delivery_name][r], W[delivery_name][r], fin)
        if end is None:
            cancelled[r] = True
            if from_depot[r]:
                depot_desk.give_back(r, cancel, item)
            return
        out_dlv[r] = end
        item_id[r] = item
        if depot_desk is not None and USE_DEPOT[r]:
            use_end = max(end, need_end_abs[r])
            ref = W["refurbishment"][r]
            ready = add(int(use_end), int(ref)) if ref != INF else INF
            depot_desk.give_back(r, ready, item)

    def pgb(r):
        fin = FIN[r]
        end = yield from step(r, "fitting", S[r], E["fitting"][r], W["fitting"][r], fin)
        if end is not None:
            out_fit[r] = end
            end = yield from step(r, "delivery", E["fitting"][r], E["delivery"][r], W["delivery"][r], fin)
        if end is None:
            cancelled[r] = True
            return
        out_dlv[r] = end
        item_id[r] = r
        # The reimbursement (assessment and decision after the fact) runs alongside.
        out_adv[r] = E["advice"][r]
        out_dec[r] = E["decision"][r]

    order = made[np.argsort(req.start[made], kind="stable")].tolist()

    def spawner():
        process = env.process
        for r in order:
            day = S[r]
            if day > env.now:
                yield timeout(day - env.now)
            process(pgb(r) if PGB[r] else in_kind(r))

    env.process(spawner())
    env.run()
    events = next(env._eid) if hasattr(env, "_eid") else 0
    return _outcome(out_adv, out_dec, out_fit, out_dlv, cancelled, from_depot, item_id, events)


def _outcome(adv, dec, fit, dlv, cancelled, from_depot, item_id, events) -> Outcome:
    return Outcome(
        advice=np.array(adv, dtype=float), decision=np.array(dec, dtype=float),
        fitting=np.array(fit, dtype=float), delivery=np.array(dlv, dtype=float),
        cancelled=np.array(cancelled, dtype=bool), from_depot=np.array(from_depot, dtype=bool),
        item_id=np.array(item_id, dtype=np.int64), events=events,
    )


def simulate(req: Requests, scenario: Scenario, provisions: ProvisionArrays, engine: str = "auto",
             cal: WorkdayCalendar | None = None) -> Outcome:
    """Run the requests under a scenario. ``engine``: ``simpy``, ``fast`` or ``auto`` (fast
    unless staff capacity is limited). With several replications stacked, the fast engine
    runs them in one pass; SimPy runs one environment per replication."""
    cal = cal or calendar_for(scenario)
    if engine == "auto":
        engine = "simpy" if scenario.staff else "fast"
    if engine == "fast":
        return run_fast(req, scenario, provisions, cal)
    if engine == "simpy":
        if req.n_reps == 1:
            return run_simpy(req, scenario, provisions, cal)
        parts = [run_simpy(req.replication_slice(r), scenario, provisions, cal) for r in range(req.n_reps)]
        return Outcome(
            **{name: np.concatenate([getattr(p, name) for p in parts])
               for name in ("advice", "decision", "fitting", "delivery", "cancelled", "from_depot", "item_id")},
            events=sum(p.events for p in parts),
        )
    raise ValueError(f"unknown engine {engine!r} (simpy, fast or auto)")

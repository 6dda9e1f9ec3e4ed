"""The process model: requests racing the decline, as a SimPy simulation.

Time is whole calendar days since 1970-01-01 (the integer value of ``datetime64[D]``), so
patients diagnosed on different dates share one SimPy environment; werkdagen become dates
through :class:`ivp.calendar.WorkdayCalendar`. Per patient, every needed provision gives one
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
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

import numpy as np
import simpy

from ivp.calendar import WorkdayCalendar, get_calendar
from ivp.units import DAYS_PER_MONTH
from simulation.des.durations import sample
from simulation.des.scenario import DELIVERY_KINDS, Route, Scenario
from simulation.needwindows import NeedWindows

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


def add_werkdagen(cal: WorkdayCalendar, day: np.ndarray, werkdagen: np.ndarray) -> np.ndarray:
    """Vectorised: the day number ``werkdagen`` werkdagen after ``day`` (float arrays;
    ``nan`` stays ``nan``, ``inf`` in either gives ``inf``)."""
    day = np.asarray(day, dtype=float)
    werkdagen = np.broadcast_to(np.asarray(werkdagen, dtype=float), day.shape)
    out = np.where(np.isnan(day), np.nan, np.inf)
    ok = np.isfinite(day) & np.isfinite(werkdagen)
    if ok.any():
        dates = day[ok].astype(np.int64).astype("datetime64[D]")
        out[ok] = cal.add_werkdagen_array(dates, werkdagen[ok].astype(np.int64)).astype(np.int64)
    return out


def months_to_days(months: np.ndarray) -> np.ndarray:
    """Months since diagnosis to whole days since diagnosis (floor; ``nan`` stays)."""
    return np.floor(np.asarray(months, dtype=float) * DAYS_PER_MONTH)


@dataclass
class Requests:
    """All requests of one replication (one per needed patient-provision), with their drawn
    werkdagen and the precomputed dates of an undelayed run. Day arrays are absolute day
    numbers (float; ``nan`` = never made, ``inf`` = never completes)."""

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

    @property
    def n(self) -> int:
        return len(self.patient)


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


def draw_requests(
    scenario: Scenario,
    provisions: ProvisionArrays,
    windows: NeedWindows,
    diagnosis_day: np.ndarray,
    streams: dict[str, np.random.Generator],
    one_municipality: bool = False,
    cal: WorkdayCalendar | None = None,
) -> Requests:
    """Draw every random duration of a replication and precompute the undelayed dates.

    Uniforms are drawn for every patient x provision cell and every activity whether or not
    the scenario uses them, so that the same patient-provision gets the same uniforms in
    every scenario (common random numbers).
    """
    cal = cal or calendar_for(scenario)
    n, P = windows.need_start.shape
    if tuple(windows.provision_ids) != provisions.ids:
        raise ValueError("provision arrays do not match the need windows' columns")
    U = {name: streams[name].random((n, P)) for name in PROCESS_ACTIVITIES}
    u_depot = streams["depot"].random((2, n, P))
    u_ivp = streams["ivp_setup"].random(n)
    u_death = streams["death"].random(n)
    u_muni = streams["municipality"].random((n, 2, 3))
    if one_municipality and n:
        u_muni = np.broadcast_to(u_muni[:1], u_muni.shape)

    pi, pj = np.nonzero(~np.isnan(windows.need_start))
    fin = provisions.financier[pj]
    diag = np.asarray(diagnosis_day, dtype=float)[pi]
    need_start = months_to_days(windows.need_start[pi, pj])
    need_end = np.maximum(months_to_days(windows.need_end[pi, pj]), need_start)
    trigger = np.minimum(months_to_days(windows.trigger[pi, pj]), need_start)
    death_days = months_to_days(windows.death)
    death = np.maximum(death_days[pi], need_end)

    def cells(name):
        return U[name][pi, pj]

    # The melding.
    melding_spec = scenario.melding
    if melding_spec.at == "trigger":
        melding = diag + trigger
    else:
        noticing = sample(melding_spec.noticing_delay, cells("noticing"))
        melding = add_werkdagen(cal, diag + need_start, noticing)
    melding = np.where(melding <= diag + death, melding, np.nan)
    ivp_ready = add_werkdagen(cal, np.asarray(diagnosis_day, dtype=float), sample(melding_spec.ivp_setup, u_ivp))
    start = np.where(np.isnan(melding), np.nan, np.maximum(melding, ivp_ready[pi]))
    notice = sample(scenario.death.notice, u_death)
    cancel = add_werkdagen(cal, np.asarray(diagnosis_day, dtype=float) + death_days, notice)[pi]
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
        u_m = u_muni[pi[sel_f], f]
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
                reassess = ~repeat[sel_f] | (cells("repeat")[sel_f] < probs[kind])
        reassessed[sel_f] = reassess
        idx_f = np.flatnonzero(sel_f)
        for j in np.unique(pj[sel_f]):
            local = pj[idx_f] == j
            idx = idx_f[local]
            ov = route.overrides.get(provisions.ids[j])

            def spec(step):
                if ov is not None and getattr(ov, step) is not None:
                    return getattr(ov, step)
                if step == "delivery":
                    return getattr(route.delivery, DELIVERY_KINDS[provisions.delivery_kind[j]])
                return getattr(route, step)

            u_adv = cells("advice")[idx]
            advice = sample(spec("advice"), u_adv, provisions.sla_advice[j])
            if muni is not None and muni.exceed_investigation is not None and (ov is None or ov.advice is None):
                ex = exceeds[local]
                if ex.any():
                    advice[ex] = sample(muni.exceed_investigation.advice, u_adv[ex])
            if muni is not None and muni.second_assessment is not None:
                sec = second[local]
                if sec.any():
                    advice[sec] += sample(muni.second_assessment.extra, cells("second_assessment")[idx][sec])
            decision = sample(spec("decision"), cells("decision")[idx], provisions.sla_decision[j])
            no_reassess = ~reassess[local]
            if no_reassess.any():
                advice[no_reassess] = sample(muni.repeat_requests.without_reassessment, u_adv[no_reassess])
                decision[no_reassess] = 0.0
            fitting = sample(spec("fitting"), cells("fitting")[idx], provisions.sla_supplier[j])
            dspec = spec("delivery")
            sla_rest = provisions.sla_supplier[j]
            if getattr(dspec, "part", None) == "supplier_after_fitting":
                sla_rest = np.maximum(provisions.sla_supplier[j] - fitting, 0)
            delivery = sample(dspec, cells("delivery")[idx], sla_rest)
            w["advice"][idx] = advice
            w["decision"][idx] = decision
            w["fitting"][idx] = fitting
            w["delivery"][idx] = delivery

    depot = scenario.depot
    use_depot = np.zeros(len(pi), dtype=bool)
    if depot.enabled:
        use_depot = provisions.reusable[pj] & ~pgb
        w["depot_delivery"] = sample(depot.delivery, u_depot[0][pi, pj])
        w["refurbishment"] = sample(depot.refurbishment, u_depot[1][pi, pj])

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
        w=w, e=e, use_depot=use_depot,
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


def _initial_heaps(scenario: Scenario, provisions: ProvisionArrays, n_requests: int) -> dict[int, list]:
    heaps: dict[int, list] = {}
    next_id = n_requests
    for pid, count in sorted(scenario.depot.initial_stock.items()):
        if pid not in provisions.ids:
            continue
        j = provisions.ids.index(pid)
        for _ in range(count):
            heaps.setdefault(j, []).append((-np.inf, next_id))
            next_id += 1
    return heaps


def run_fast(req: Requests, scenario: Scenario, provisions: ProvisionArrays, cal: WorkdayCalendar) -> Outcome:
    """The model's rules without an event loop (valid without staff capacity)."""
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
    item_id = np.where(~np.isnan(dlv), np.arange(req.n), -1).astype(np.int64)

    if scenario.depot.enabled:
        heaps = _initial_heaps(scenario, provisions, req.n)
        cand = np.flatnonzero(req.use_depot & ~np.isnan(dec))
        order = cand[np.lexsort((cand, dec[cand]))]
        need_end_abs = req.diagnosis + req.need_end
        decs, cancel, edd, fits, w_ref = dec, req.cancel, e["depot_delivery"], fit, req.w["refurbishment"]
        add = cal.add_werkdagen_daynum
        for r in order.tolist():
            day = decs[r]
            heap = heaps.setdefault(int(req.prov[r]), [])
            if heap and heap[0][0] <= day:
                _, item = heapq.heappop(heap)
                from_depot[r] = True
                f_end = e["fitting"][r]
                d_end = edd[r]
                if f_end > cancel[r]:
                    fit[r] = np.nan
                    dlv[r] = np.nan
                    cancelled[r] = True
                    heapq.heappush(heap, (cancel[r], item))
                    item_id[r] = -1
                    continue
                fit[r] = f_end
                if d_end > cancel[r]:
                    dlv[r] = np.nan
                    cancelled[r] = True
                    heapq.heappush(heap, (cancel[r], item))
                    item_id[r] = -1
                    continue
                dlv[r] = d_end
                cancelled[r] = False
                item_id[r] = item
            elif np.isnan(dlv[r]):
                continue
            else:
                item = r
            use_end = max(dlv[r], need_end_abs[r])
            ready = add(int(use_end), int(w_ref[r])) if np.isfinite(w_ref[r]) else np.inf
            heapq.heappush(heap, (ready, item))
    return Outcome(advice=adv, decision=dec, fitting=fit, delivery=dlv, cancelled=cancelled,
                   from_depot=from_depot, item_id=item_id)


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
    add = cal.add_werkdagen_daynum
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
    unless staff capacity is limited)."""
    cal = cal or calendar_for(scenario)
    if engine == "auto":
        engine = "simpy" if scenario.staff else "fast"
    if engine == "fast":
        return run_fast(req, scenario, provisions, cal)
    if engine == "simpy":
        return run_simpy(req, scenario, provisions, cal)
    raise ValueError(f"unknown engine {engine!r} (simpy, fast or auto)")

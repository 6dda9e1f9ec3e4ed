"""The process model's two engines: requests racing the decline, step by step.

Per request (a melding for one patient and provision)::

    melding -> advice -> decision -> [depot?] -> fitting -> delivery        (in kind; a pgb or
                                                                            contribution after the decision)
    melding -> fitting -> delivery ; advice -> decision alongside           (realised before the decision)

* ``simpy`` - the reference: a discrete-event simulation with one SimPy process per
  request, each step an ``env.timeout`` to the day its werkdagen end. It is needed when
  staff capacity is limited (the scenario's ``staff``: requests queue for a SimPy
  resource).
* ``fast`` - the same rules without an event loop, vectorised over all replications of a
  batch. Without shared staff nothing but the depot couples requests, and the depot is
  served exactly by handling requests in order of their decision day (an item can only be
  ready for a request decided after the one that returned it). Tested equal to ``simpy``
  on every shipped scenario.
* ``auto`` (the default everywhere) - ``simpy`` when the scenario limits staff, else ``fast``.

Both engines apply the same rules, from one place: a step completes only if it ends by the
day open requests are cancelled (:func:`completes`; death plus the notice), and the depot is
a :class:`ivp.domain.depot.DepotShelf` (items return at :func:`ivp.domain.depot.use_end`,
ready after :func:`ivp.domain.depot.ready_after_use`).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np
import simpy

from ivp.domain.calendar import WorkdayCalendar
from ivp.domain.catalog import FINANCIERS
from ivp.domain.depot import DepotShelf, ready_after_use, use_end
from ivp.domain.errors import InputError, excerpt
from ivp.models.process.requests import ProvisionArrays, Requests, calendar_for
from ivp.models.process.scenario import Scenario

ENGINES = ("auto", "fast", "simpy")
"""The engine choices of every command (``--engine``)."""


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


def completes(end, cancel):
    """A step completes if it ends by the day open requests are cancelled (scalars or arrays)."""
    return end <= cancel


def resolve_engine(engine: str, scenario: Scenario) -> str:
    """``auto`` becomes ``simpy`` when the scenario limits staff, else ``fast``; the fast
    engine refuses a scenario with staff limits."""
    if engine not in ENGINES:
        raise InputError.single("engine", "engine", "one_of", expected=", ".join(ENGINES), got=excerpt(engine))
    if engine == "auto":
        return "simpy" if scenario.staff else "fast"
    if engine == "fast" and scenario.staff:
        raise InputError.single("engine", "engine", "engine_cannot_queue", scenario=scenario.name)
    return engine


def initial_stock(scenario: Scenario, provisions: ProvisionArrays) -> list[tuple[int, int, int]]:
    """``(provision column, first id offset, count)`` of the depot's initial stock: a
    replication with ``n`` requests numbers its initial items ``n + offset, ...``."""
    out, offset = [], 0
    for pid, count in sorted(scenario.depot.initial_stock.items()):
        if pid not in provisions.ids:
            continue
        out.append((provisions.ids.index(pid), offset, count))
        offset += count
    return out


def _stock_of(stock: list[tuple[int, int, int]], column: int, n_requests: int) -> list[int]:
    return [n_requests + offset + c for j, offset, count in stock if j == column for c in range(count)]


# ---------------------------------------------------------------------------------------
# The fast engine
# ---------------------------------------------------------------------------------------


def _cancel_chain(ends: list[np.ndarray], cancel: np.ndarray, made: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Steps in sequence: each completes if the one before did and it ends by ``cancel``."""
    alive = made.copy()
    out = []
    for end in ends:
        ok = alive & completes(end, cancel)
        out.append(np.where(ok, end, np.nan))
        alive = ok
    return out, made & ~alive


def run_fast(req: Requests, scenario: Scenario, provisions: ProvisionArrays, cal: WorkdayCalendar) -> Outcome:
    """The model's rules without an event loop (no staff limits); one pass over all
    replications of a batch (each replication has its own depot)."""
    made = ~np.isnan(req.start)
    planned = req.planned_end
    # realised before the decision (pgb or contribution with an IVP): fitting -> delivery from
    # the start; the reimbursement's advice -> decision alongside.
    par = req.parallel
    (adv, dec, fit, dlv), cancelled = _cancel_chain(
        [np.where(par, -np.inf, planned["advice"]), np.where(par, -np.inf, planned["decision"]),
         planned["fitting"], planned["delivery"]],
        req.cancel, made,
    )
    adv = np.where(par & ~np.isnan(dlv), planned["advice"], adv)
    dec = np.where(par & ~np.isnan(dlv), planned["decision"], dec)
    adv = np.where(par & np.isnan(dlv), np.nan, adv)
    dec = np.where(par & np.isnan(dlv), np.nan, dec)
    from_depot = np.zeros(req.n, dtype=bool)
    local = req.local_index()
    item_id = np.where(~np.isnan(dlv), local, -1).astype(np.int64)
    if scenario.depot.enabled:
        _serve_depot(req, scenario, provisions, cal, dec, fit, dlv, cancelled, from_depot, item_id, local)
    return Outcome(advice=adv, decision=dec, fitting=fit, delivery=dlv, cancelled=cancelled,
                   from_depot=from_depot, item_id=item_id)


def _ready_again(cal: WorkdayCalendar, delivered: np.ndarray, need_end: np.ndarray,
                 refurbishment: np.ndarray) -> np.ndarray:
    """Per request, :func:`~ivp.domain.depot.ready_after_use` of an item delivered on
    ``delivered`` (vectorised; ``nan`` where nothing was delivered, ``inf`` where it never
    comes back within the calendar)."""
    ends = np.floor(use_end(delivered, need_end))  # the scalar function takes int(day)
    return cal.add_werkdagen_daynums(ends, np.where(np.isfinite(refurbishment), np.floor(refurbishment), np.inf))


def _serve_depot(req: Requests, scenario: Scenario, provisions: ProvisionArrays, cal: WorkdayCalendar,
                 dec: np.ndarray, fit: np.ndarray, dlv: np.ndarray, cancelled: np.ndarray,
                 from_depot: np.ndarray, item_id: np.ndarray, local: np.ndarray) -> None:
    """The depot, in place: requests for reusable in-kind items in order of decision day
    (then request order) take a ready item of their replication's depot, if any; every
    delivered item returns after its use and refurbishment.

    Only which item a request takes depends on the requests before it; everything else is
    the request's own: whether a served request's fitting and delivery complete, and the day
    its item comes back (ready again after use, or on the day of cancellation), so those are
    computed for all at once. Depots do not share items, so the requests are taken depot by
    depot (replication and provision), each in its own order: the loop, on plain Python
    lists, only takes and gives back items (measured: the per-request checks and lookups in
    the loop were two thirds of its time)."""
    P = len(provisions.ids)
    candidates = np.flatnonzero(req.use_depot & ~np.isnan(dec))
    if candidates.size == 0:
        return
    key = req.replication[candidates].astype(np.int64) * P + req.prov[candidates]
    sort = np.lexsort((candidates, dec[candidates], key))
    order, key = candidates[sort], key[sort]
    planned = req.planned_end
    stock = initial_stock(scenario, provisions)
    rep_n = req.rep_requests.tolist()
    shelf = DepotShelf(lambda k: _stock_of(stock, k % P, rep_n[k // P]))
    cancel = req.cancel[order]
    fitted = completes(planned["fitting"][order], cancel)
    delivered = fitted & completes(planned["depot_delivery"][order], cancel)
    need_end = (req.diagnosis + req.need_end)[order]
    refurbishment = req.werkdagen["refurbishment"][order]
    # the day a served request's item is back: ready again after use, or the cancellation day
    back_served_l = np.where(delivered, _ready_again(cal, planned["depot_delivery"][order], need_end, refurbishment),
                             cancel).tolist()
    # a bought item (none if nothing was delivered: nan) is ready again after its use
    back_bought_l = _ready_again(cal, dlv[order], need_end, refurbishment).tolist()
    bought_l = (~np.isnan(dlv[order])).tolist()
    dec_l, local_l = dec[order].tolist(), local[order].tolist()
    taken = [-1] * len(order)  # the depot item each request took
    bounds = np.flatnonzero(np.r_[True, key[1:] != key[:-1], True]).tolist()
    push, pop = heapq.heappush, heapq.heappop
    for a, b in zip(bounds[:-1], bounds[1:]):
        heap = shelf.heap(int(key[a]))
        for i in range(a, b):
            if heap and heap[0][0] <= dec_l[i]:  # DepotShelf.take: the earliest-ready item, if ready
                item = taken[i] = pop(heap)[1]
                push(heap, (back_served_l[i], item))
            elif bought_l[i]:
                push(heap, (back_bought_l[i], local_l[i]))
    served = np.asarray(taken, dtype=np.int64) >= 0
    if served.any():
        rows = order[served]
        fit[rows] = np.where(fitted[served], planned["fitting"][rows], np.nan)
        dlv[rows] = np.where(delivered[served], planned["depot_delivery"][rows], np.nan)
        from_depot[rows] = True
        cancelled[rows] = ~delivered[served]
        item_id[rows] = np.where(delivered[served], np.asarray(taken, dtype=np.int64)[served], -1)


# ---------------------------------------------------------------------------------------
# The SimPy engine
# ---------------------------------------------------------------------------------------


class _DepotDesk:
    """The depot in SimPy time: requests decided on a day are served at the end of that day
    (t + 1/2) in request order, so that the allocation does not depend on the order of
    same-day events (as the fast engine's order by decision day, then request)."""

    def __init__(self, env: simpy.Environment, shelf: DepotShelf, prov: list[int]):
        self.env, self.shelf, self.prov = env, shelf, prov
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
            event.succeed(self.shelf.take(self.prov[r], day))

    def give_back(self, r: int, ready: float, item: int) -> None:
        self.shelf.give_back(self.prov[r], ready, item)


def run_simpy(req: Requests, scenario: Scenario, provisions: ProvisionArrays, cal: WorkdayCalendar) -> Outcome:
    """The discrete-event simulation of one replication: one SimPy process per request in
    one environment."""
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

    env = simpy.Environment(initial_time=int(req.start[made].min()))
    timeout = env.timeout
    inf = math.inf

    def add(day, werkdagen):
        return cal.add_werkdagen_daynum(day, werkdagen, beyond=inf)

    pools: dict[tuple[int, str], simpy.Resource] = {}
    for pool in scenario.staff.values():
        resource = simpy.Resource(env, capacity=pool.capacity)
        for financier in pool.financiers:
            for step_name in pool.steps:
                pools[(FINANCIERS.index(financier), step_name)] = resource
    has_pools = bool(pools)
    desk = None
    if scenario.depot.enabled:
        stock = initial_stock(scenario, provisions)
        desk = _DepotDesk(env, DepotShelf(lambda column: _stock_of(stock, column, n)), req.prov.tolist())
    need_end_day = (req.diagnosis + req.need_end).tolist()

    start_day = req.start.tolist()
    cancel_day = req.cancel.tolist()
    planned = {k: v.tolist() for k, v in req.planned_end.items()}
    werkdagen = {k: v.tolist() for k, v in req.werkdagen.items()}
    financier_of = req.financier.tolist()
    realised_first = req.parallel.tolist()
    uses_depot = req.use_depot.tolist()
    lean = not has_pools and desk is None
    lean_ends = list(zip(planned["advice"], planned["decision"], planned["fitting"], planned["delivery"])) if lean \
        else None

    def end_of(day, planned_start, planned_end, n_werkdagen):
        if day == planned_start:
            return planned_end
        if n_werkdagen == inf:
            return inf
        return add(day, int(n_werkdagen))

    def step(r, name, planned_start, planned_end, n_werkdagen, financier):
        """Generator of one step; returns the end day or None when cancelled."""
        pool = pools.get((financier, name)) if has_pools else None
        cancel = cancel_day[r]
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
        end = end_of(int(now), planned_start, planned_end, n_werkdagen)
        if not completes(end, cancel):
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
        financier = financier_of[r]
        cancel = cancel_day[r]
        if lean:
            # Every date is precomputed; one timeout per step.
            ends = lean_ends[r]
            done = 0
            for end in ends:
                if not completes(end, cancel):
                    now = env.now
                    if cancel > now:
                        yield timeout(cancel - now)
                    cancelled[r] = True
                    break
                yield timeout(end - env.now)
                done += 1
            for position, out in enumerate((out_adv, out_dec, out_fit, out_dlv)[:done]):
                out[r] = ends[position]
            if done == 4:
                item_id[r] = r
            return
        end = yield from step(r, "advice", start_day[r], planned["advice"][r], werkdagen["advice"][r], financier)
        if end is None:
            cancelled[r] = True
            return
        out_adv[r] = end
        end = yield from step(r, "decision", planned["advice"][r], planned["decision"][r], werkdagen["decision"][r],
                              financier)
        if end is None:
            cancelled[r] = True
            return
        out_dec[r] = end
        item = r
        delivery_name = "delivery"
        if desk is not None and uses_depot[r]:
            got = yield desk.request(r)
            if got is not None:
                item = got
                from_depot[r] = True
                delivery_name = "depot_delivery"
        end = yield from step(r, "fitting", planned["decision"][r], planned["fitting"][r], werkdagen["fitting"][r],
                              financier)
        if end is not None:
            out_fit[r] = end
            end = yield from step(r, "delivery", planned["fitting"][r], planned[delivery_name][r],
                                  werkdagen[delivery_name][r], financier)
        if end is None:
            cancelled[r] = True
            if from_depot[r]:
                desk.give_back(r, cancel, item)
            return
        out_dlv[r] = end
        item_id[r] = item
        if desk is not None and uses_depot[r]:
            desk.give_back(r, ready_after_use(cal, use_end(end, need_end_day[r]), werkdagen["refurbishment"][r]), item)

    def realised_before_decision(r):
        financier = financier_of[r]
        end = yield from step(r, "fitting", start_day[r], planned["fitting"][r], werkdagen["fitting"][r], financier)
        if end is not None:
            out_fit[r] = end
            end = yield from step(r, "delivery", planned["fitting"][r], planned["delivery"][r],
                                  werkdagen["delivery"][r], financier)
        if end is None:
            cancelled[r] = True
            return
        out_dlv[r] = end
        item_id[r] = r
        # The reimbursement (assessment and decision after the fact) runs alongside.
        out_adv[r] = planned["advice"][r]
        out_dec[r] = planned["decision"][r]

    order = made[np.argsort(req.start[made], kind="stable")].tolist()

    def spawner():
        process = env.process
        for r in order:
            day = start_day[r]
            if day > env.now:
                yield timeout(day - env.now)
            process(realised_before_decision(r) if realised_first[r] else in_kind(r))

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
    """Run the requests under a scenario with ``engine`` (:data:`ENGINES`). The fast engine
    runs the replications of a batch in one pass; SimPy runs one environment per replication."""
    cal = cal or calendar_for(scenario)
    engine = resolve_engine(engine, scenario)
    if engine == "fast":
        return run_fast(req, scenario, provisions, cal)
    if req.n_reps == 1:
        return run_simpy(req, scenario, provisions, cal)
    parts = [run_simpy(req.replication_slice(r), scenario, provisions, cal) for r in range(req.n_reps)]
    return Outcome(
        **{name: np.concatenate([getattr(p, name) for p in parts])
           for name in ("advice", "decision", "fitting", "delivery", "cancelled", "from_depot", "item_id")},
        events=sum(p.events for p in parts),
    )

"""How often each process norm is broken: the compliance report of a route.

Each norm of ``ivp/domain/catalog/norms.yaml`` (the protocol's, the Wmo's and the
normenkader's maximum durations) is measured on every request it applies to, from the
day its clock starts to the day the step it bounds ends:

==========================  ==============================================  =====================
norm                        from -> to                                      applies to
==========================  ==============================================  =====================
``melding_handling``        the financier receives the melding -> order to  in kind
                            the supplier (the decision's end); the melding
                            arrives at the request's start, or with the
                            rehabilitation team's advice where that comes
                            first (the protocol: the tables' columns run in
                            sequence, seed 001 lines 249-292)
``confirmation``            request start -> written confirmation           routes that confirm
``wmo_investigation``       request start -> end of the investigation       Wmo, where the municipality
                                                                            investigates (not the
                                                                            protocol's team advice)
``wmo_decision``            end of the investigation -> decision            Wmo
``fitting``                 order (the decision's end) -> fitting           in kind (the contracted
                                                                            supplier's SLA)
``delivery_no_lead_time``,  fitting -> delivery                             devices of that kind,
``delivery_lead_time``                                                      in kind
``single_adaptation``,      grant (decision's end) -> delivery              adaptations of that kind,
``multiple_adaptation``                                                     however realised
==========================  ==============================================  =====================

A request counts for a norm once its clock started and either the step ended or the
deadline passed before the request was cancelled (a death ends the clock); it breaks the
norm when the step took longer than the limit (werkdagen on the scenario's calendar,
weeks and days as calendar time). ``supplier_contact`` (the supplier contacts the client
within 5 werkdagen of the order) has no event in the model and is not measured.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ivp.domain.calendar import WorkdayCalendar
from ivp.domain.catalog import FINANCIERS, ProcessNorms, load_norms
from ivp.models.process.engines import Outcome
from ivp.models.process.requests import ProvisionArrays, Requests
from ivp.models.process.scenario import DELIVERY_KINDS

MEASURED_NORMS = ("melding_handling", "confirmation", "wmo_investigation", "wmo_decision", "fitting",
                  "delivery_no_lead_time", "delivery_lead_time", "single_adaptation", "multiple_adaptation")
"""The norms the report measures, in its order (:mod:`module doc <ivp.models.process.compliance>`)."""


@dataclass(frozen=True)
class NormCheck:
    """Per request, for one norm: does it apply, and is it broken."""

    applies: np.ndarray
    breached: np.ndarray


SUPPLIER_NORMS = {kind: kind if kind.endswith("adaptation") else f"delivery_{kind}" for kind in DELIVERY_KINDS}
"""The norm that bounds the supplier phase of each delivery kind (``norms.yaml``)."""
DEVICE_KINDS = ("no_lead_time", "lead_time")
"""The delivery kinds of devices (fitted before delivery); the others are adaptations."""
NORM_CLOCKS = {
    "melding_handling": ("handling", "decision"),
    "confirmation": ("melding", "confirmation"),
    "wmo_investigation": ("melding", "advice"),
    "wmo_decision": ("advice", "decision"),
    "fitting": ("decision", "fitting"),
    **{norm: ("fitting" if kind in DEVICE_KINDS else "decision", "delivery") for kind, norm in SUPPLIER_NORMS.items()},
}
"""Each measured norm's clock, from one step to another (the module doc's table), for the
simulation and the register alike. ``handling`` is when the financier receives the melding:
with the rehabilitation team's advice on the protocol's route, else at the melding."""


def elapsed_in_unit(cal: WorkdayCalendar, unit: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Time from day ``a`` to day ``b`` (absolute day numbers, finite) in the norm's unit."""
    if unit == "werkdagen":
        return cal.werkdagen_between_daynums(a.astype(np.int64), b.astype(np.int64)).astype(float)
    days = b - a
    return days / 7.0 if unit == "weeks" else days


def norm_checks(req: Requests, out: Outcome, provisions: ProvisionArrays, cal: WorkdayCalendar,
                norms: ProcessNorms | None = None) -> dict[str, NormCheck]:
    """Every measured norm on every request (see the module doc)."""
    norms = norms or load_norms()
    wmo = req.financier == FINANCIERS.index("wmo")
    kind = provisions.delivery_kind[req.prov]
    in_kind = ~req.pgb
    step = {"handling": np.where(req.advice_by_team, out.advice, req.start), "melding": req.start,
            "confirmation": req.planned_end["confirmation"], "advice": out.advice, "decision": out.decision,
            "fitting": out.fitting, "delivery": out.delivery}
    scopes = {
        "melding_handling": in_kind,
        "confirmation": ~np.isnan(req.planned_end["confirmation"]),
        "wmo_investigation": wmo & ~req.advice_by_team,
        "wmo_decision": wmo,
        "fitting": in_kind,
        **{norm: (kind == DELIVERY_KINDS.index(name)) & (in_kind if name in DEVICE_KINDS else True)
           for name, norm in SUPPLIER_NORMS.items()},
    }
    checks = {}
    for name in MEASURED_NORMS:
        frm, to, scope = step[NORM_CLOCKS[name][0]], step[NORM_CLOCKS[name][1]], scopes[name]
        norm = getattr(norms, name)
        started = scope & np.isfinite(frm)
        ended = started & np.isfinite(to)
        elapsed = np.full(req.n, np.nan)
        if ended.any():
            elapsed[ended] = elapsed_in_unit(cal, norm.unit, frm[ended], to[ended])
        open_ = started & ~ended & np.isfinite(req.cancel)
        if open_.any():
            elapsed[open_] = elapsed_in_unit(cal, norm.unit, frm[open_], np.maximum(req.cancel[open_], frm[open_]))
        breached = elapsed > norm.limit  # nan (not measured) is not a breach
        applies = ended | (open_ & breached)
        checks[name] = NormCheck(applies=applies, breached=breached & applies)
    return checks

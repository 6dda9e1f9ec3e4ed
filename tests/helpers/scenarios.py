"""Scenarios with every duration fixed, for deterministic tests of the process rules."""

from __future__ import annotations

from ivp.models.process.scenario import DELIVERY_KINDS


def fixed(w):
    return {"dist": "fixed", "werkdagen": w}


def all_fixed(base, advice, decision, fitting, delivery, notice=0, noticing=0, at="need_start"):
    """``base`` with every step fixed, in kind (no pgb, contributions, confirmation,
    municipality traits, overrides, bridging or client events), and the death notice fixed."""
    data = base.model_dump(mode="json", exclude_none=True)
    data["melding"].update(at=at, noticing_delay=fixed(noticing), ivp_setup=fixed(0))
    for fin in ("wmo", "zvw"):
        r = data["routes"][fin]
        r.update(advice=fixed(advice), decision=fixed(decision), fitting=fixed(fitting))
        r["delivery"] = {k: fixed(delivery) for k in DELIVERY_KINDS}
        for key in ("municipalities", "pgb", "contributions", "confirmation"):
            r.pop(key, None)
        r["overrides"] = {}
    data.pop("bridging", None)
    data["client_events"] = {"assumption": "none: the route alone", "handover_months": 0}
    data["death"]["notice"] = fixed(notice)
    return type(base).model_validate(data)

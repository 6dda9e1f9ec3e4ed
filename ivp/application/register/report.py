"""What the register tells: per client and for the municipality, the money (earmarked, spent,
released, still reserved, top-ups), every melding's time against the protocol's norms, the
depot; and the current caseload that ``ivp reserve --register`` simulates on.

A melding is measured against the same norms, from the same step to the same step, as the
simulated compliance report (:mod:`ivp.models.process.compliance`, ``norms.yaml``):

==========================  =============================================  ======================
norm                        from -> to                                     applies to
==========================  =============================================  ======================
``melding_handling``        melding (on the protocol's route: the team's   in kind (not pgb)
                            advice) -> decision
``confirmation``            melding -> confirmation                        every melding
``wmo_investigation``       melding -> advice (end of the investigation)   Wmo, not the protocol
``wmo_decision``            advice -> decision                             Wmo
``fitting``                 decision -> fitting                            devices in kind, granted
                                                                           (an adaptation has no
                                                                           fitting)
``delivery_no_lead_time``,  fitting -> delivery                            devices of that kind,
``delivery_lead_time``                                                     in kind
``single_adaptation``,      decision -> delivery                           adaptations of that kind
``multiple_adaptation``
==========================  =============================================  ======================

A step not yet taken counts, on the report's date (or the day the melding closed without
it: refused, withdrawn, the client's death), once its limit has passed: a breach that is
already certain. A step left unrecorded in a melding that was delivered is not measured (it
happened, on a day the register does not know).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from ivp.application.caseload import CaseloadClient, CaseloadFile
from ivp.application.register import accounts
from ivp.application.register.database import Database
from ivp.application.register.schema import Client, Delivery, DepotItem, Melding
from ivp.domain.calendar import WorkdayCalendar, date_to_daynum, get_calendar
from ivp.domain.catalog import Catalog, ProcessNorms, load_catalog, load_norms
from ivp.domain.errors import InputError
from ivp.domain.profile import ClientProfile
from ivp.models.process.compliance import (
    DEVICE_KINDS,
    MEASURED_NORMS,
    NORM_CLOCKS,
    SUPPLIER_NORMS,
    elapsed_in_unit,
)

MONEY_COLUMNS = ("earmarked_eur", "spent_eur", "released_eur", "reserved_eur", "topped_up_eur")


def _norm_spans(m: Melding, kind: str) -> dict[str, tuple[dt.date | None, dt.date | None, bool]]:
    """Per norm: the melding's dates of its clock's steps (:data:`NORM_CLOCKS`) and whether it applies."""
    in_kind = m.route != "pgb"
    granted = m.decision == "granted"
    step = {"handling": m.advised_on if m.route == "protocol" else m.melding_on, "melding": m.melding_on,
            "confirmation": m.confirmed_on, "advice": m.advised_on, "decision": m.decided_on, "fitting": m.fitted_on,
            "delivery": m.delivered_on}
    scopes = {
        "melding_handling": in_kind,
        "confirmation": True,
        "wmo_investigation": m.financier == "wmo" and m.route != "protocol",
        "wmo_decision": m.financier == "wmo",
        "fitting": in_kind and kind in DEVICE_KINDS and granted,
        **{norm: kind == name and granted and (in_kind or name not in DEVICE_KINDS)
           for name, norm in SUPPLIER_NORMS.items()},
    }
    return {name: (step[start], step[end], scopes[name]) for name, (start, end) in NORM_CLOCKS.items()}


def _elapsed(cal: WorkdayCalendar, unit: str, a: dt.date, b: dt.date) -> float:
    """The compliance report's measure (:func:`~ivp.models.process.compliance.elapsed_in_unit`) of one span."""
    return float(elapsed_in_unit(cal, unit, np.array([date_to_daynum(a)]), np.array([date_to_daynum(b)]))[0])


def melding_norms(m: Melding, catalog: Catalog, norms: ProcessNorms, cal: WorkdayCalendar,
                  as_of: dt.date) -> list[dict]:
    """One row per norm that applies to the melding: elapsed time, limit, unit, breached,
    and whether its step is still open."""
    kind = catalog.get(m.provision_id).delivery if m.provision_id in catalog else ""
    rows = []
    for name, (frm, to, scope) in _norm_spans(m, kind).items():
        if not scope or frm is None or frm > as_of:
            continue
        if to is None and m.closed_reason == "delivered":
            continue  # delivered without this step on record: its date is unknown, not late
        norm = getattr(norms, name)
        stop = to or m.closed_on or as_of
        elapsed = _elapsed(cal, norm.unit, frm, max(stop, frm))
        breached = elapsed > norm.limit
        if to is None and not breached:
            continue
        rows.append({"melding_id": m.id, "norm": name, "from": frm, "to": to, "elapsed": elapsed,
                     "limit": norm.limit, "unit": norm.unit, "breached": breached, "open": to is None})
    rows.sort(key=lambda r: MEASURED_NORMS.index(r["norm"]))
    return rows


@dataclass(frozen=True)
class RegisterReport:
    """The register's report on ``as_of`` for one client (``dossier``) or all."""

    as_of: dt.date
    dossier: str | None
    clients: pd.DataFrame
    """Per client: dossier, diagnosis date, status and its date, IVP version, the money columns."""
    money: pd.DataFrame
    """Per client and earmarked or delivered provision: financier and the money columns."""
    meldingen: pd.DataFrame
    """Per melding: its steps' dates, its state and how many norms it broke."""
    norms: pd.DataFrame
    """Per melding and norm that applies: elapsed, limit, unit, breached, open."""
    norm_summary: pd.DataFrame
    """Per norm: meldingen measured, breached and the share breached."""
    depot: pd.DataFrame
    """Per provision: items in stock, returned, reissued, residual value in stock, savings."""
    by_financier: pd.DataFrame
    """Per financier: the money columns summed."""

    def to_json(self) -> dict:
        def records(frame: pd.DataFrame) -> list[dict]:
            out = []
            for row in frame.to_dict(orient="records"):
                out.append({k: (v.isoformat() if isinstance(v, dt.date) else (None if v is None or v != v else v))
                            for k, v in row.items()})
            return out
        return {"as_of": self.as_of.isoformat(), "dossier": self.dossier,
                **{name: records(getattr(self, name)) for name in
                   ("clients", "by_financier", "money", "meldingen", "norm_summary", "norms", "depot")}}


def _status_on(client: Client, as_of: dt.date) -> str:
    return client.status if client.status != "active" and client.status_on <= as_of else "active"


def build_report(db: Database, as_of: dt.date | None = None, dossier: str | None = None,
                 catalog: Catalog | None = None) -> RegisterReport:
    """The report (see :class:`RegisterReport`); ``dossier`` limits it to one client."""
    as_of = as_of or dt.date.today()
    catalog = catalog or load_catalog()
    norms, cal = load_norms(), get_calendar()
    with db.reading() as s:
        query = select(Client).order_by(Client.dossier)
        if dossier is not None:
            query = query.where(Client.dossier == dossier)
        clients = list(s.scalars(query))
        if dossier is not None and not clients:
            raise InputError.single("--dossier", "", "unknown_dossier", dossier=dossier)
        money, client_rows, melding_rows, norm_rows = [], [], [], []
        for client in clients:
            lines = _money(s, client, catalog, as_of)
            money.extend(lines)
            ivp = accounts.newest_ivp(s, client.id)
            status = _status_on(client, as_of)
            client_rows.append({"dossier": client.dossier, "diagnosis_date": client.diagnosis_date,
                                "status": status, "status_on": client.status_on if status != "active" else None,
                                "ivp_version": ivp.version if ivp else None, "ivp_issued_on": ivp.issued_on if ivp else None,
                                **{c: round(sum(line[c] for line in lines), 2) for c in MONEY_COLUMNS}})
            for m in s.scalars(select(Melding).where(Melding.client_id == client.id, Melding.melding_on <= as_of)
                               .order_by(Melding.melding_on, Melding.id)):
                checks = melding_norms(m, catalog, norms, cal, as_of)
                norm_rows.extend({"dossier": client.dossier, **row} for row in checks)
                melding_rows.append({
                    "melding_id": m.id, "dossier": client.dossier, "provision_id": m.provision_id,
                    "financier": m.financier, "route": m.route, "melding_on": m.melding_on,
                    "confirmed_on": m.confirmed_on, "advised_on": m.advised_on, "decided_on": m.decided_on,
                    "decision": m.decision, "fitted_on": m.fitted_on, "delivered_on": m.delivered_on,
                    "state": m.closed_reason if m.closed_on and m.closed_on <= as_of else "open",
                    "werkdagen_to_delivery": (cal.werkdagen_between(m.melding_on, m.delivered_on)
                                              if m.delivered_on else None),
                    "norms_measured": len(checks), "norms_breached": sum(r["breached"] for r in checks)})
        depot = _depot(s, catalog, as_of) if dossier is None else _empty_depot()
    money_frame = pd.DataFrame(money, columns=["dossier", "provision_id", "financier", *MONEY_COLUMNS])
    norm_frame = pd.DataFrame(norm_rows, columns=["dossier", "melding_id", "norm", "from", "to", "elapsed", "limit",
                                                  "unit", "breached", "open"])
    summary = []
    for name in MEASURED_NORMS:
        part = norm_frame[norm_frame["norm"] == name]
        norm = getattr(norms, name)
        summary.append({"norm": name, "limit": norm.limit, "unit": norm.unit, "measured": len(part),
                        "breached": int(part["breached"].sum()),
                        "share_breached": float(part["breached"].mean()) if len(part) else None})
    by_financier = (money_frame.groupby("financier", as_index=False)[list(MONEY_COLUMNS)].sum().round(2)
                    if len(money_frame) else pd.DataFrame(columns=["financier", *MONEY_COLUMNS]))
    return RegisterReport(
        as_of=as_of, dossier=dossier,
        clients=pd.DataFrame(client_rows, columns=["dossier", "diagnosis_date", "status", "status_on", "ivp_version",
                                                   "ivp_issued_on", *MONEY_COLUMNS]),
        money=money_frame, meldingen=pd.DataFrame(melding_rows, columns=[
            "melding_id", "dossier", "provision_id", "financier", "route", "melding_on", "confirmed_on", "advised_on",
            "decided_on", "decision", "fitted_on", "delivered_on", "state", "werkdagen_to_delivery",
            "norms_measured", "norms_breached"]),
        norms=norm_frame, norm_summary=pd.DataFrame(summary), depot=depot, by_financier=by_financier)


def _money(s: Session, client: Client, catalog: Catalog, as_of: dt.date) -> list[dict]:
    return [{"dossier": client.dossier, "provision_id": pid, "financier": line.financier,
             "earmarked_eur": line.earmark or 0.0, "spent_eur": round(line.spent, 2),
             "released_eur": round(line.released, 2), "reserved_eur": round(line.reserved, 2),
             "topped_up_eur": round(line.topped_up, 2)}
            for pid, line in sorted(accounts.lines(s, client, catalog, as_of).items())]


def _empty_depot() -> pd.DataFrame:
    return pd.DataFrame(columns=["provision_id", "financier", "in_stock", "returned", "reissued",
                                 "stock_value_eur", "savings_eur"])


def _depot(s: Session, catalog: Catalog, as_of: dt.date) -> pd.DataFrame:
    rows: dict[str, dict] = {}
    for item in s.scalars(select(DepotItem).where(DepotItem.received_on <= as_of)):
        row = rows.setdefault(item.provision_id, {"provision_id": item.provision_id, "financier": item.financier,
                                                  "in_stock": 0, "returned": 0, "reissued": 0,
                                                  "stock_value_eur": 0.0, "savings_eur": 0.0})
        row["returned"] += item.returned_delivery_id is not None
        reissue = s.get(Delivery, item.reissued_delivery_id) if item.reissued_delivery_id else None
        if reissue is not None and reissue.delivered_on <= as_of:
            row["reissued"] += 1
            if item.provision_id in catalog:
                price = accounts.new_price(catalog.get(item.provision_id), reissue.delivered_on.year)
                row["savings_eur"] += max(price - float(reissue.cost_eur or 0.0), 0.0)
        else:
            row["in_stock"] += 1
            row["stock_value_eur"] += float(item.residual_value_eur or 0.0)
    frame = pd.DataFrame(sorted(rows.values(), key=lambda r: r["provision_id"]), columns=_empty_depot().columns)
    return frame.round({"stock_value_eur": 2, "savings_eur": 2})


def register_caseload(db: Database, as_of: dt.date) -> tuple[CaseloadFile, dict[str, int]]:
    """The clients in care on ``as_of`` (diagnosed by then, not deceased, in a Wlz institution
    or moved away) with the items they have in use, and the depot's stock per provision."""
    clients, stock = [], {}
    with db.reading() as s:
        for client in s.scalars(select(Client).where(Client.diagnosis_date <= as_of).order_by(Client.dossier)):
            if _status_on(client, as_of) != "active":
                continue
            in_use = sorted({d.provision_id for d in s.scalars(select(Delivery).where(Delivery.client_id == client.id))
                             if (d.delivered_on is None or d.delivered_on <= as_of)
                             and (d.returned_on is None or d.returned_on > as_of)})
            profile = ClientProfile.model_validate({**client.profile, "diagnosis_date": client.diagnosis_date})
            clients.append(CaseloadClient(client.dossier, client.diagnosis_date, profile, tuple(in_use)))
        for item in s.scalars(select(DepotItem).where(DepotItem.received_on <= as_of)):
            reissue = s.get(Delivery, item.reissued_delivery_id) if item.reissued_delivery_id else None
            if reissue is None or reissue.delivered_on > as_of:
                stock[item.provision_id] = stock.get(item.provision_id, 0) + 1
    return CaseloadFile(source=db.label, clients=tuple(clients)), stock

"""Recording in the register: each verb of ``ivp register`` (and the app's Register page) is
one method here, one transaction, one line in the audit log.

Every verb checks its input against the register first and refuses with an
:class:`~ivp.domain.errors.InputError` naming the field (``--provision``, ``--date``, ...)
and why; nothing is written then. The protocol's accounting follows the ledger
(:mod:`ivp.domain.ledger`): an IVP earmarks every provision in its plan; a purchase spends
and releases the rest of its provision's earmark; a client's death releases every earmark
still open, an entry into a Wlz institution or a move away those of the Wmo (the insurer's go
on); a reusable item bought (not rented) goes to the depot when it is returned, at its
residual value (:func:`ivp.domain.depot.residual_value`), and a delivery from the depot takes
the item that came in first.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from dataclasses import dataclass, field
from typing import Any, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ivp.application.caseload import EARLIEST_DIAGNOSIS, CaseloadFile
from ivp.application.register import accounts
from ivp.application.register.database import Database
from ivp.application.register.schema import (
    INTEGER_MAX,
    IVP,
    AuditEntry,
    Client,
    Delivery,
    DepotItem,
    Earmark,
    Melding,
    Release,
    Visit,
)
from ivp.application.register.terms import ENDINGS, FORMS, ROUTES, STEPS
from ivp.domain.assumptions import default_assumptions
from ivp.domain.catalog import Catalog, load_catalog
from ivp.domain.depot import residual_value
from ivp.domain.errors import InputError, Problem, excerpt
from ivp.domain.plausibility import LIMITS, shown_limit
from ivp.domain.profile import ClientProfile

ENV_USER = "IVP_USER"
"""Environment variable with the name the audit log records (else the login name)."""


HALF_CENT = 0.005
"""Amounts are kept in whole cents: what differs by less is the same amount."""


def current_user() -> str:
    return os.environ.get(ENV_USER) or getpass.getuser()


def refuse(option: str, code: str, **params: Any) -> InputError:
    """A refused argument: the command-line option (or the app's form field) that gave it, and why."""
    return InputError.single(option, "", code, **params)


@dataclass
class Register:
    """The verbs that change a register (:class:`Database`); ``user`` goes into the audit log."""

    db: Database
    user: str = field(default_factory=current_user)
    catalog: Catalog = field(default_factory=load_catalog)

    def __post_init__(self) -> None:
        self.user = _text("--user", self.user, AuditEntry.__table__.c.user_name)

    # -- clients -----------------------------------------------------------------------

    def add_client(self, dossier: str, profile: ClientProfile, name: str | None = None) -> int:
        dossier = _dossier(dossier)
        name = None if name is None else _text("--name", name, Client.__table__.c.name)
        if profile.diagnosis_date is None:
            raise refuse("diagnosis_date", "missing")
        with self.db.transaction() as s:
            if s.scalar(select(Client.id).where(Client.dossier == dossier)) is not None:
                raise refuse("--dossier", "dossier_exists", dossier=dossier)
            client = _new_client(dossier, profile, name)
            s.add(client)
            s.flush()
            self._audit(s, "add_client", client, {"diagnosis_date": client.diagnosis_date.isoformat(),
                                                  "name_given": name is not None})
            return client.id

    def import_caseload(self, caseload: CaseloadFile) -> int:
        """Every client of a validated caseload file, with the items in use, or none: a
        dossier number already in the register is refused with its row."""
        with self.db.transaction() as s:
            known = set(s.scalars(select(Client.dossier).where(Client.dossier.in_([c.client_id for c in caseload.clients]))))
            longest = Client.__table__.c.dossier.type.length
            problems = [Problem(caseload.source, "client_id", "dossier_exists", {"dossier": c.client_id}, c.row)
                        for c in caseload.clients if c.client_id in known]
            problems += [Problem(caseload.source, "client_id", "text_too_long",
                                 {"limit": longest, "got": excerpt(c.client_id)}, c.row)
                         for c in caseload.clients if len(c.client_id) > longest]
            if problems:
                raise InputError(problems)
            for c in caseload.clients:
                client = _new_client(c.client_id, c.profile, None)
                s.add(client)
                s.flush()
                for pid in c.provisions_in_use:
                    s.add(Delivery(client_id=client.id, provision_id=pid, financier=self.catalog.get(pid).financier,
                                   form="in_kind", from_depot=False, imported=True))
            s.add(self._entry("import_caseload", "clients", None, None,
                              {"source": caseload.source, "clients": len(caseload.clients)}))
            return len(caseload.clients)

    def record_status(self, dossier: str, status: str, on: dt.date) -> list[int]:
        """A death, a Wlz entry or a move on ``on``: closes the open meldingen it ends and
        releases the earmarks it ends (see the module doc); returns the release ids."""
        if status not in ENDINGS:
            raise refuse("status", "one_of", expected=", ".join(ENDINGS), got=excerpt(status))
        with self.db.transaction() as s:
            client = self._client(s, dossier, on)
            if client.status in (status, "deceased"):
                raise refuse("--dossier", f"client_{client.status}", dossier=client.dossier,
                             date=client.status_on.isoformat())
            financiers = ("wmo", "zvw") if status == "deceased" else ("wmo",)
            for melding in s.scalars(select(Melding).where(Melding.client_id == client.id,
                                                           Melding.closed_on.is_(None))):
                if melding.financier in financiers:
                    melding.closed_on, melding.closed_reason = on, status
            client.status, client.status_on = status, on
            released = [self._release_rest(s, client, pid, on, status)
                        for pid, financier in accounts.earmarked(s, client.id).items() if financier in financiers]
            self._audit(s, f"record_{status}", client, {"on": on.isoformat()})
            return [r for r in released if r is not None]

    # -- the IVP ---------------------------------------------------------------------------

    def issue_ivp(self, dossier: str, lines: Iterable[dict], *, issued_on: dt.date, scenario: str,
                  replications: int, seed: int | None, price_year: int) -> int:
        """A new IVP version for the client: ``lines`` are the plan table's rows
        (``provision_id``, ``in_plan``, ``cost_eur``, ``probability``, ``need_p50``,
        ``request_by``); what is in the plan is earmarked at its cost. Returns the version."""
        scenario = _text("--scenario", scenario, IVP.__table__.c.scenario)
        with self.db.transaction() as s:
            client = self._client(s, dossier, issued_on, lock=True)
            version = (s.scalar(select(func.max(IVP.version)).where(IVP.client_id == client.id)) or 0) + 1
            ivp = IVP(client_id=client.id, version=version, issued_on=issued_on, scenario=scenario,
                      replications=replications, seed=seed, price_year=price_year)
            s.add(ivp)
            s.flush()
            total = 0.0
            for line in lines:
                if not line.get("in_plan"):
                    continue
                pid = line["provision_id"]
                s.add(Earmark(ivp_id=ivp.id, provision_id=pid, financier=self.catalog.get(pid).financier,
                              amount_eur=round(float(line["cost_eur"]), 2), probability=line.get("probability"),
                              need_p50=line.get("need_p50"), request_by=line.get("request_by")))
                total += float(line["cost_eur"])
            self._audit(s, "issue_ivp", client, {"version": version, "scenario": scenario, "issued_on":
                                                 issued_on.isoformat(), "earmarked_eur": round(total, 2)},
                        entity="ivps", entity_id=ivp.id)
            return version

    def record_release(self, dossier: str, provision: str, on: dt.date, amount: float | None, reason: str) -> int:
        """Release (part of) a provision's earmark to the free means; ``amount`` ``None``:
        all that is still reserved."""
        self._provision(provision)
        reason = _text("--reason", reason, Release.__table__.c.reason)
        if amount is not None:
            _amount("--amount", amount)
        with self.db.transaction() as s:
            client = self._client(s, dossier, on)
            reserved = accounts.reserved(s, client, provision, self.catalog, on)
            if reserved is None:
                raise refuse("--provision", "not_earmarked", provision=provision, dossier=client.dossier)
            amount = reserved if amount is None else amount
            if not 0 < amount <= reserved + HALF_CENT:
                raise refuse("--amount", "release_out_of_range", got=round(amount, 2), reserved=round(reserved, 2))
            release = self._add_release(s, client, provision, on, amount, reason)
            return release.id

    # -- meldingen ---------------------------------------------------------------------------

    def record_melding(self, dossier: str, provision: str, on: dt.date, route: str) -> int:
        financier = self._provision(provision).financier
        if route not in ROUTES:
            raise refuse("--route", "one_of", expected=", ".join(ROUTES), got=excerpt(route))
        with self.db.transaction() as s:
            client = self._client(s, dossier, on, provided_by=financier)
            melding = Melding(client_id=client.id, provision_id=provision, financier=financier, route=route,
                              melding_on=on)
            s.add(melding)
            s.flush()
            self._audit(s, "record_melding", client, {"provision": provision, "route": route, "on": on.isoformat()},
                        entity="meldingen", entity_id=melding.id)
            return melding.id

    def record_step(self, melding_id: int, step: str, on: dt.date) -> None:
        """The date of a step of an open melding: ``confirmed``, ``advised`` or ``fitted``."""
        if step not in STEPS:
            raise refuse("--step", "one_of", expected=", ".join(STEPS), got=excerpt(step))
        with self.db.transaction() as s:
            melding = self._open_melding(s, melding_id, on)
            column = STEPS[step]
            if getattr(melding, column) is not None:
                raise refuse("--date", "step_recorded", step=step, melding=melding_id,
                              date=getattr(melding, column).isoformat())
            if step == "fitted" and melding.decision != "granted":
                raise refuse("--melding", "not_granted", melding=melding_id)
            setattr(melding, column, on)
            self._audit(s, f"record_{step}", melding.client, {"on": on.isoformat()}, entity="meldingen",
                        entity_id=melding.id)

    def record_decision(self, melding_id: int, on: dt.date, granted: bool) -> None:
        with self.db.transaction() as s:
            melding = self._open_melding(s, melding_id, on)
            if melding.decided_on is not None:
                raise refuse("--date", "step_recorded", step="decision", melding=melding_id,
                              date=melding.decided_on.isoformat())
            if melding.advised_on is not None and on < melding.advised_on:
                raise refuse("--date", "before_step", date=on.isoformat(), step="advised",
                              step_date=melding.advised_on.isoformat())
            melding.decided_on, melding.decision = on, "granted" if granted else "refused"
            if not granted:
                melding.closed_on, melding.closed_reason = on, "refused"
            self._audit(s, "record_decision", melding.client, {"on": on.isoformat(), "decision": melding.decision},
                        entity="meldingen", entity_id=melding.id)

    def withdraw_melding(self, melding_id: int, on: dt.date) -> None:
        with self.db.transaction() as s:
            melding = self._open_melding(s, melding_id, on)
            melding.closed_on, melding.closed_reason = on, "withdrawn"
            self._audit(s, "withdraw_melding", melding.client, {"on": on.isoformat()}, entity="meldingen",
                        entity_id=melding.id)

    # -- items ---------------------------------------------------------------------------------

    def record_delivery(self, dossier: str, provision: str, on: dt.date, cost_eur: float, form: str = "in_kind",
                        from_depot: bool = False, melding_id: int | None = None) -> int:
        """An item delivered: bought (in kind or pgb: ``cost_eur`` its price, or the
        refurbishment of a depot item), or rented (``cost_eur`` the monthly rent). A
        purchase releases the rest of the provision's earmark."""
        item = self._provision(provision)
        if form not in FORMS:
            raise refuse("--form", "one_of", expected=", ".join(FORMS), got=excerpt(form))
        _amount("--cost", cost_eur)
        if from_depot and form == "rent":
            raise refuse("--from-depot", "depot_not_rented")
        with self.db.transaction() as s:
            client = self._client(s, dossier, on, provided_by=item.financier)
            melding = None
            if melding_id is not None:
                melding = self._open_melding(s, melding_id, on)
                if melding.client_id != client.id or melding.provision_id != provision:
                    raise refuse("--melding", "melding_other", melding=melding_id, dossier=client.dossier,
                                  provision=provision)
                if melding.decision != "granted":
                    raise refuse("--melding", "not_granted", melding=melding_id)
            delivery = Delivery(client_id=client.id, melding_id=melding_id, provision_id=provision,
                                financier=item.financier, delivered_on=on, cost_eur=round(cost_eur, 2), form=form,
                                from_depot=from_depot, imported=False)
            s.add(delivery)
            s.flush()
            if from_depot:
                stock = s.scalars(select(DepotItem).where(
                    DepotItem.provision_id == provision, DepotItem.reissued_delivery_id.is_(None),
                    DepotItem.received_on <= on).order_by(DepotItem.received_on, DepotItem.id).limit(1)
                    .with_for_update()).first()
                if stock is None:
                    raise refuse("--from-depot", "depot_empty", provision=provision, date=on.isoformat())
                stock.reissued_delivery_id = delivery.id
            if melding is not None:
                melding.delivered_on, melding.closed_on, melding.closed_reason = on, on, "delivered"
            self._audit(s, "record_delivery", client, {"provision": provision, "on": on.isoformat(), "form": form,
                                                       "cost_eur": round(cost_eur, 2), "from_depot": from_depot},
                        entity="deliveries", entity_id=delivery.id)
            if form != "rent":
                self._release_rest(s, client, provision, on, "purchase")
            return delivery.id

    def record_return(self, delivery_id: int, on: dt.date) -> int | None:
        """An item comes back: a reusable item the financier owns goes to the depot (its id
        is returned); a rented one goes back to the supplier and ends its earmark."""
        with self.db.transaction() as s:
            delivery = _row(s, Delivery, delivery_id)
            if delivery is None:
                raise refuse("--delivery", "unknown_delivery", delivery=delivery_id)
            if delivery.returned_on is not None:
                raise refuse("--delivery", "already_returned", delivery=delivery_id,
                              date=delivery.returned_on.isoformat())
            if delivery.delivered_on is not None and on < delivery.delivered_on:
                raise refuse("--date", "return_before_delivery", date=on.isoformat(),
                              delivered=delivery.delivered_on.isoformat())
            _check_date(on, delivery.client.diagnosis_date)
            delivery.returned_on = on
            item = self.catalog.get(delivery.provision_id) if delivery.provision_id in self.catalog else None
            depot_id = None
            if delivery.form != "rent" and item is not None and item.reuse == "herinzetbaar":
                new = accounts.new_price(item, on.year)
                first = accounts.first_delivered(s, delivery)
                # an item in use before the register (imported) is of unknown age: at the floor
                value = (float(residual_value(new, (on - first).days)) if first else
                         new * default_assumptions().residual_floor_fraction)
                depot = DepotItem(provision_id=delivery.provision_id, financier=delivery.financier, received_on=on,
                                  returned_delivery_id=delivery.id, residual_value_eur=round(value, 2))
                s.add(depot)
                s.flush()
                depot_id = depot.id
            self._audit(s, "record_return", delivery.client, {"on": on.isoformat(), "to_depot": depot_id is not None},
                        entity="deliveries", entity_id=delivery.id)
            if delivery.form == "rent":
                self._release_rest(s, delivery.client, delivery.provision_id, on, "rent ended")
            return depot_id

    def take_into_stock(self, provision: str, count: int, on: dt.date) -> list[int]:
        """Items already in the municipality's depot (or bought for it) taken into the register."""
        item = self._provision(provision)
        if item.reuse != "herinzetbaar":
            raise refuse("--provision", "not_reusable", provision=provision)
        if count < 1:
            raise refuse("--count", "at_least", ge=1, got=count)
        if count > LIMITS.depot_stock_max:
            raise refuse("--count", "implausibly_large", limit=shown_limit("depot_stock_max"),
                         got=count)
        _check_date(on, EARLIEST_DIAGNOSIS)
        with self.db.transaction() as s:
            items = [DepotItem(provision_id=provision, financier=item.financier, received_on=on) for _ in range(count)]
            s.add_all(items)
            s.flush()
            s.add(self._entry("take_into_stock", "depot_items", None, None,
                              {"provision": provision, "count": count, "on": on.isoformat()}))
            return [i.id for i in items]

    # -- visits ------------------------------------------------------------------------------

    def record_visit(self, dossier: str, on: dt.date, data: dict) -> int:
        """A follow-up visit (validated by :func:`ivp.domain.visit.parse_visits` before)."""
        with self.db.transaction() as s:
            client = self._client(s, dossier, on)
            if s.scalar(select(Visit.id).where(Visit.client_id == client.id, Visit.visit_on == on)) is not None:
                raise refuse("--visit", "visit_same_day", date=on.isoformat())
            visit = Visit(client_id=client.id, visit_on=on, data=data)
            s.add(visit)
            s.flush()
            self._audit(s, "record_visit", client, {"on": on.isoformat()}, entity="visits", entity_id=visit.id)
            return visit.id

    # -- helpers ---------------------------------------------------------------------------

    def _provision(self, provision: str):
        if provision not in self.catalog:
            raise refuse("--provision", "unknown_provision", id=excerpt(provision))
        return self.catalog.get(provision)

    def _client(self, s: Session, dossier: str, on: dt.date | None = None, *, provided_by: str | None = None,
                lock: bool = False) -> Client:
        """The client of ``dossier``; with ``on``, a date inside its care: after a death
        nothing is recorded, after a Wlz entry or a move nothing the Wmo (``provided_by``)
        would provide (the insurer's provisions go on, as the status releases only the Wmo's)."""
        query = select(Client).where(Client.dossier == str(dossier).strip())
        client = s.scalars(query.with_for_update() if lock else query).first()
        if client is None:
            raise refuse("--dossier", "unknown_dossier", dossier=excerpt(dossier))
        if on is not None:
            _check_date(on, client.diagnosis_date)
            ended = client.status == "deceased" or (client.status != "active" and provided_by == "wmo")
            if ended and on > client.status_on:
                raise refuse("--date", f"client_{client.status}", dossier=client.dossier,
                              date=client.status_on.isoformat())
        return client

    def _open_melding(self, s: Session, melding_id: int, on: dt.date) -> Melding:
        melding = _row(s, Melding, melding_id)
        if melding is None:
            raise refuse("--melding", "unknown_melding", melding=melding_id)
        if melding.closed_on is not None:
            raise refuse("--melding", "melding_closed", melding=melding_id, reason=melding.closed_reason,
                          date=melding.closed_on.isoformat())
        if on < melding.melding_on:
            raise refuse("--date", "before_step", date=on.isoformat(), step="melding",
                          step_date=melding.melding_on.isoformat())
        return melding

    def _release_rest(self, s: Session, client: Client, provision: str, on: dt.date, reason: str) -> int | None:
        rest = accounts.reserved(s, client, provision, self.catalog, on)
        if rest is None or rest < HALF_CENT:
            return None
        return self._add_release(s, client, provision, on, rest, reason).id

    def _add_release(self, s: Session, client: Client, provision: str, on: dt.date, amount: float,
                     reason: str) -> Release:
        ivp = accounts.newest_ivp(s, client.id)
        release = Release(client_id=client.id, ivp_id=ivp.id, provision_id=provision,
                          financier=self.catalog.get(provision).financier, released_on=on,
                          amount_eur=round(amount, 2), reason=reason)
        s.add(release)
        s.flush()
        self._audit(s, "release", client, {"provision": provision, "amount_eur": round(amount, 2), "reason": reason,
                                           "on": on.isoformat()}, entity="releases", entity_id=release.id)
        return release

    def _entry(self, action: str, entity: str, entity_id: int | None, dossier: str | None, details: dict) -> AuditEntry:
        return AuditEntry(at=dt.datetime.now(dt.timezone.utc), user_name=self.user, action=action, entity=entity,
                          entity_id=entity_id, dossier=dossier, details=details)

    def _audit(self, s: Session, action: str, client: Client, details: dict, *, entity: str = "clients",
               entity_id: int | None = None) -> None:
        s.add(self._entry(action, entity, client.id if entity_id is None else entity_id, client.dossier, details))


def _row(s: Session, model, row_id: int):
    """The row of ``model`` numbered ``row_id``, locked for the transaction; ``None`` when
    there is none, also for a number no id column holds (:data:`INTEGER_MAX`)."""
    return s.get(model, row_id, with_for_update=True) if 0 < row_id <= INTEGER_MAX else None


def _text(option: str, value: str, column) -> str:
    """A text for ``column``: not empty, and no longer than the column holds."""
    text = str(value).strip()
    if not text:
        raise refuse(option, "missing")
    if len(text) > column.type.length:
        raise refuse(option, "text_too_long", limit=column.type.length, got=excerpt(text))
    return text


def _dossier(dossier: str) -> str:
    return _text("--dossier", dossier, Client.__table__.c.dossier)


def _amount(option: str, value: float) -> float:
    """An amount in euros: at least zero and at most the plausibility limit ``cost_eur_max``."""
    if not value >= 0:
        raise refuse(option, "at_least", ge=0, got=value)
    if value > LIMITS.cost_eur_max:
        raise refuse(option, "implausibly_large", limit=shown_limit("cost_eur_max"), got=value)
    return value


def _new_client(dossier: str, profile: ClientProfile, name: str | None) -> Client:
    facts = profile.model_dump(mode="json", exclude={"diagnosis_date"})
    return Client(dossier=dossier, name=name or None, diagnosis_date=profile.diagnosis_date, profile=facts,
                  status="active")


def _check_date(on: dt.date, diagnosis: dt.date) -> None:
    today = dt.date.today()
    if on > today:
        raise refuse("--date", "date_in_future", date=on.isoformat(), as_of=today.isoformat())
    if on < diagnosis:
        raise refuse("--date", "date_too_early", date=on.isoformat(), earliest=diagnosis.isoformat())

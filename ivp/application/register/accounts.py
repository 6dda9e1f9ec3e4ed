"""The register's money per client and provision, as the ledger counts it
(:mod:`ivp.domain.ledger`): the newest IVP's earmark, what was spent on it, what was released,
and what is still reserved (``earmark - spent - released``, at least zero; spending beyond the
earmark is a top-up).

Spending is what the register recorded: a purchase's price (or a depot item's refurbishment)
on its delivery day, and a rented item's monthly rent for every month begun from its delivery
until it was returned or the client's care ended (at least the catalogue's minimum term once
it has ended), or until the report's date while it runs. An item in use when the caseload was
imported has no recorded cost and counts as zero.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ivp.application.register.schema import IVP, Client, Delivery, DepotItem, Release
from ivp.domain.catalog import Catalog, Provision
from ivp.domain.prices import price_index
from ivp.domain.units import DAYS_PER_MONTH


def newest_ivp(s: Session, client_id: int) -> IVP | None:
    return s.scalars(select(IVP).where(IVP.client_id == client_id).order_by(IVP.version.desc()).limit(1)).first()


def earmarked(s: Session, client_id: int) -> dict[str, str]:
    """Provision id -> financier of every earmark of the client's newest IVP."""
    ivp = newest_ivp(s, client_id)
    return {} if ivp is None else {e.provision_id: e.financier for e in ivp.earmarks}


def new_price(provision: Provision, year: int) -> float:
    """The provision's catalogue price in euros of ``year`` (the price index), as the ledger
    values a depot item: what a returned item is worth new, and what a reissue saves."""
    return provision.cost_eur * price_index().year_factor(provision.price_year, year)


def rent_months(delivery: Delivery, until: dt.date, ended: bool, catalog: Catalog) -> int:
    """Months of rent paid for a rented item up to ``until`` (see the module doc)."""
    if delivery.delivered_on is None or until < delivery.delivered_on:
        return 0
    months = math.floor((until - delivery.delivered_on).days / DAYS_PER_MONTH) + 1
    if ended and delivery.provision_id in catalog:
        months = max(months, catalog.get(delivery.provision_id).rent_min_months)
    return months


def spent_on(delivery: Delivery, client: Client, as_of: dt.date, catalog: Catalog) -> float:
    """What a delivery has cost up to ``as_of``."""
    if delivery.cost_eur is None or delivery.delivered_on is None or delivery.delivered_on > as_of:
        return 0.0
    if delivery.form != "rent":
        return float(delivery.cost_eur)
    ends = [d for d in (delivery.returned_on, client.status_on if client.status != "active" else None) if d]
    end = min(ends) if ends else None
    until = min(end, as_of) if end else as_of
    return float(delivery.cost_eur) * rent_months(delivery, until, end is not None and end <= as_of, catalog)


@dataclass
class Line:
    """One provision of a client on a date: its earmark (``None``: not earmarked), spending
    and releases, and what follows from them."""

    financier: str
    earmark: float | None = None
    spent: float = 0.0
    released: float = 0.0

    @property
    def reserved(self) -> float:
        return max((self.earmark or 0.0) - self.spent - self.released, 0.0)

    @property
    def topped_up(self) -> float:
        return max(self.spent + self.released - (self.earmark or 0.0), 0.0)


def lines(s: Session, client: Client, catalog: Catalog, as_of: dt.date) -> dict[str, Line]:
    """Per provision earmarked (by the newest IVP issued by ``as_of``), delivered or released:
    its :class:`Line` on ``as_of``."""
    ivp = newest_ivp(s, client.id)
    found = {} if ivp is None or ivp.issued_on > as_of else {
        e.provision_id: Line(e.financier, float(e.amount_eur)) for e in ivp.earmarks}
    for d in s.scalars(select(Delivery).where(Delivery.client_id == client.id)):
        found.setdefault(d.provision_id, Line(d.financier)).spent += spent_on(d, client, as_of, catalog)
    for r in s.scalars(select(Release).where(Release.client_id == client.id, Release.released_on <= as_of)):
        found.setdefault(r.provision_id, Line(r.financier)).released += float(r.amount_eur)
    return found


def reserved(s: Session, client: Client, provision: str, catalog: Catalog, as_of: dt.date) -> float | None:
    """What is still reserved of the provision's earmark on ``as_of``; ``None``: not earmarked."""
    line = lines(s, client, catalog, as_of).get(provision)
    return None if line is None or line.earmark is None else line.reserved


def first_delivered(s: Session, delivery: Delivery) -> dt.date | None:
    """The day the item of ``delivery`` was first delivered to any client (an item from the
    depot is traced back through the returns that brought it there)."""
    while delivery.from_depot:
        item = s.scalars(select(DepotItem).where(DepotItem.reissued_delivery_id == delivery.id)).first()
        if item is None or item.returned_delivery_id is None:
            return delivery.delivered_on if item is None else item.received_on
        delivery = s.get(Delivery, item.returned_delivery_id)
    return delivery.delivered_on

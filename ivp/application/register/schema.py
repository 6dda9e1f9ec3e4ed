"""The register's tables (SQLAlchemy 2 ORM): what a municipality or an ALS team keeps of
each client's IVP in operation.

Personal data is kept to what the model and the protocol's accounting need (docs/register.md,
"Privacy"): a pseudonymous dossier number, the profile facts of
:class:`ivp.domain.profile.ClientProfile`, and a name only when the user adds one. The
migrations in ``migrations/versions`` create exactly these tables (a test compares them).

=================  ===================================================================
table              one row per
=================  ===================================================================
``clients``        client: dossier number, diagnosis date, profile, status (active,
                   deceased, wlz, moved) and its date
``ivps``           IVP issued: version (1, 2, ... per client), date, route, courses
``earmarks``       provision earmarked in an IVP, with its financier and amount
``meldingen``      follow-up melding: provision, route, and the date of each step
                   (confirmation, advice, decision, fitting, delivery) or its closing
``deliveries``     item delivered: date, cost, form (in kind, pgb, rent), new or from
                   the depot, and its return
``depot_items``    item in the depot: returned by a client (or taken into stock), and the
                   delivery that reissued it
``releases``       part of an earmark released to the free means, and why
``visits``         follow-up visit (the ALSFRS-R items, FVC) as its validated YAML
``audit_log``      recorded change: who, when, what (append-only: the database refuses
                   updates and deletes)
=================  ===================================================================
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from ivp.application.register.terms import CLOSINGS, DECISIONS, FORMS, ROUTES, STATUSES

MONEY = Numeric(12, 2, asdecimal=False)
INTEGER_MAX = 2**31 - 1
"""The largest value of an ``Integer`` column, ids included (PostgreSQL's INTEGER; SQLite
holds more, but a register holds the same on both)."""
BIG_INTEGER_MAX = 2**63 - 1
"""The largest value of a ``BigInteger`` column (a seed)."""
ID = String(64)


def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=f"{column}_known")


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint names, so that the migrations and the tables name them alike on every database."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON}


class Client(Base):
    __tablename__ = "clients"
    __table_args__ = (_one_of("status", STATUSES),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier: Mapped[str] = mapped_column(ID, unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    diagnosis_date: Mapped[dt.date] = mapped_column(Date)
    profile: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), default="active")
    status_on: Mapped[dt.date | None] = mapped_column(Date)

    ivps: Mapped[list[IVP]] = relationship(back_populates="client", order_by="IVP.version")


class IVP(Base):
    __tablename__ = "ivps"
    __table_args__ = (UniqueConstraint("client_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    version: Mapped[int] = mapped_column(Integer)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    scenario: Mapped[str] = mapped_column(String(200))
    replications: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int | None] = mapped_column(BigInteger)
    """The simulation's base seed; ``None`` for a plan issued from a file (``--plan``), which
    does not say its seed."""
    price_year: Mapped[int] = mapped_column(Integer)

    client: Mapped[Client] = relationship(back_populates="ivps")
    earmarks: Mapped[list[Earmark]] = relationship(back_populates="ivp", order_by="Earmark.provision_id")


class Earmark(Base):
    __tablename__ = "earmarks"
    __table_args__ = (UniqueConstraint("ivp_id", "provision_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ivp_id: Mapped[int] = mapped_column(ForeignKey("ivps.id"))
    provision_id: Mapped[str] = mapped_column(ID)
    financier: Mapped[str] = mapped_column(String(8))
    amount_eur: Mapped[float] = mapped_column(MONEY)
    probability: Mapped[float | None] = mapped_column(Float)
    need_p50: Mapped[dt.date | None] = mapped_column(Date)
    request_by: Mapped[dt.date | None] = mapped_column(Date)

    ivp: Mapped[IVP] = relationship(back_populates="earmarks")


class Melding(Base):
    __tablename__ = "meldingen"
    __table_args__ = (_one_of("route", ROUTES), _one_of("decision", DECISIONS), _one_of("closed_reason", CLOSINGS))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    provision_id: Mapped[str] = mapped_column(ID)
    financier: Mapped[str] = mapped_column(String(8))
    route: Mapped[str] = mapped_column(String(32))
    melding_on: Mapped[dt.date] = mapped_column(Date)
    confirmed_on: Mapped[dt.date | None] = mapped_column(Date)
    advised_on: Mapped[dt.date | None] = mapped_column(Date)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    decision: Mapped[str | None] = mapped_column(String(16))
    fitted_on: Mapped[dt.date | None] = mapped_column(Date)
    delivered_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_reason: Mapped[str | None] = mapped_column(String(16))

    client: Mapped[Client] = relationship()


class Delivery(Base):
    __tablename__ = "deliveries"
    __table_args__ = (_one_of("form", FORMS),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    melding_id: Mapped[int | None] = mapped_column(ForeignKey("meldingen.id"))
    provision_id: Mapped[str] = mapped_column(ID)
    financier: Mapped[str] = mapped_column(String(8))
    delivered_on: Mapped[dt.date | None] = mapped_column(Date)
    """``None`` only for an item in use when the caseload was imported (date unknown)."""
    cost_eur: Mapped[float | None] = mapped_column(MONEY)
    """The purchase price or refurbishment paid; for ``rent`` the monthly rent; ``None``
    for an imported item whose cost is unknown."""
    form: Mapped[str] = mapped_column(String(8))
    from_depot: Mapped[bool] = mapped_column(Boolean, default=False)
    returned_on: Mapped[dt.date | None] = mapped_column(Date)
    imported: Mapped[bool] = mapped_column(Boolean, default=False)

    client: Mapped[Client] = relationship()


class DepotItem(Base):
    __tablename__ = "depot_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provision_id: Mapped[str] = mapped_column(ID)
    financier: Mapped[str] = mapped_column(String(8))
    received_on: Mapped[dt.date] = mapped_column(Date)
    returned_delivery_id: Mapped[int | None] = mapped_column(ForeignKey("deliveries.id"), unique=True)
    """The delivery whose return brought the item in (``None``: taken into stock by hand)."""
    residual_value_eur: Mapped[float | None] = mapped_column(MONEY)
    reissued_delivery_id: Mapped[int | None] = mapped_column(ForeignKey("deliveries.id"), unique=True)


class Release(Base):
    __tablename__ = "releases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    ivp_id: Mapped[int] = mapped_column(ForeignKey("ivps.id"))
    provision_id: Mapped[str] = mapped_column(ID)
    financier: Mapped[str] = mapped_column(String(8))
    released_on: Mapped[dt.date] = mapped_column(Date)
    amount_eur: Mapped[float] = mapped_column(MONEY)
    reason: Mapped[str] = mapped_column(String(200))


class Visit(Base):
    __tablename__ = "visits"
    __table_args__ = (UniqueConstraint("client_id", "visit_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    visit_on: Mapped[dt.date] = mapped_column(Date)
    data: Mapped[dict[str, Any]]


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    user_name: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    dossier: Mapped[str | None] = mapped_column(ID)
    details: Mapped[dict[str, Any]]

"""The schema of the catalogue: provisions, their service levels, alternatives and norms.

A :class:`Provision` is one row of the protocol's tables (seed 001): a device or adaptation
that the municipality (Wmo) or the health insurer (Zvw) supplies, its cost and its SLA in
werkdagen per phase: advice by the rehabilitation team, decision by the municipality or
insurer, delivery by the supplier.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ivp.domain.errors import custom_error
from ivp.domain.plausibility import Number, at_most
from ivp.domain.prices import price_index

FINANCIERS = ("wmo", "zvw")
"""Who pays, in this fixed order everywhere (codes 0 and 1): the municipality under the
Wmo 2015 or the health insurer under the Zvw."""
Financier = Literal["wmo", "zvw"]

REUSE_CLASSES = ("clientgebonden", "herinzetbaar")
"""Cliëntgebonden: bound to this client (adaptation, personal fit), never reused.
Herinzetbaar: reusable; returns to the depot after use. In this order everywhere."""
Reuse = Literal["clientgebonden", "herinzetbaar"]

Delivery = Literal["no_lead_time", "lead_time", "single_adaptation", "multiple_adaptation"]
"""How the supplier phase is governed by the protocol's norms: a device without lead time
(≤ 10 werkdagen after fitting), with lead time (≤ 30), a single adaptation (≤ 40 werkdagen
after the grant) or multiple adaptations (≤ 60). Derived per row from the supplier SLA:
10 → no lead time, 20 → lead time, 40 → single adaptation, 60 → multiple adaptation."""

ACQUISITIONS = ("purchase", "rent")
"""How the financier acquires a provision in kind: it buys it (the protocol's one-off prices)
or rents it from the supplier for a monthly rent that includes maintenance, repair,
after-adaptations and a replacement within the category (seed 001, lines 2490-2525)."""
Acquisition = Literal["purchase", "rent"]

LIFECYCLE_FIELDS = ("acquisition", "rent_eur_month", "rent_min_months", "maintenance_eur_year", "adaptation_eur",
                    "own_contribution", "price_year")
"""A provision's life after delivery (``lifecycle.csv``, each figure with its rationale)."""

OVERRIDABLE_FIELDS = ("cost_eur", "sla_advice", "sla_decision", "sla_supplier", "sla_total", *LIFECYCLE_FIELDS)
"""Fields a municipality or insurer may replace with its own figures."""

SLA_PHASES = ("advice", "decision", "supplier")


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sla(_Frozen):
    """Service-level werkdagen per phase and in total (total = sum of the phases)."""

    advice: Annotated[NonNegativeInt, at_most("werkdagen_max")]
    decision: Annotated[NonNegativeInt, at_most("werkdagen_max")]
    supplier: Annotated[NonNegativeInt, at_most("werkdagen_max")]
    total: Annotated[NonNegativeInt, at_most("werkdagen_max")]

    @model_validator(mode="after")
    def _total_is_sum(self) -> "Sla":
        phases = self.advice + self.decision + self.supplier
        if self.total != phases:
            raise custom_error("sla_total_not_sum", total=self.total, advice=self.advice, decision=self.decision,
                               supplier=self.supplier, phases=phases)
        return self


class Provision(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="stable slug")
    name_nl: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    financier: Financier
    reuse: Reuse
    cost_eur: Annotated[Number, Field(ge=0), at_most("cost_eur_max")]
    sla: Sla
    chain: str = Field(min_length=1, description="the chain or category: mobility, transfers, ...")
    delivery: Delivery
    source: str = Field(min_length=1)
    protocol_table: bool = Field(default=True, description="a row of the protocol's two tables (seed 001); "
                                 "False for a provision its rules name but its tables do not list")
    acquisition: Acquisition = Field(default="purchase", description="bought or rented in kind")
    rent_eur_month: Annotated[Number, Field(ge=0), at_most("cost_eur_max")] | None = Field(
        default=None, validate_default=True, description="the all-in monthly rent in kind; empty: not offered for rent")
    rent_min_months: int = Field(default=1, ge=1, le=120, description="months of rent due at the least (the term)")
    maintenance_eur_year: Annotated[Number, Field(ge=0), at_most("cost_eur_max")] = Field(
        default=0.0, description="maintenance and repair a year while a bought item is in use")
    adaptation_eur: Annotated[Number, Field(ge=0), at_most("cost_eur_max")] = Field(
        default=0.0, description="an after-adaptation (or a replacement within the category) of a bought item")
    own_contribution: bool = Field(default=False, validate_default=True,
                                   description="the Wmo's own contribution (abonnementstarief) is due while the "
                                   "client uses it")
    price_year: int = Field(default_factory=lambda: _catalogue_price_year(), ge=1990, le=2100,
                            description="the year whose prices the euros of this row are")
    lifecycle_source: str = Field(default="", description="why the life-cycle figures are what they are")

    @field_validator("rent_eur_month")
    @classmethod
    def _rent_priced(cls, value, info: ValidationInfo):
        if value is None and info.data.get("acquisition") == "rent":
            raise custom_error("rent_without_price")
        return value

    @field_validator("own_contribution")
    @classmethod
    def _wmo_contribution(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("financier", "wmo") != "wmo":
            raise custom_error("own_contribution_wmo_only")
        return value

    def flat(self) -> dict[str, object]:
        """The provision as one flat record (the CSV/JSON layout)."""
        record = self.model_dump(exclude={"sla"})
        record.update({f"sla_{key}": value for key, value in self.sla.model_dump().items()})
        return record


def _catalogue_price_year() -> int:
    return price_index().catalogue_price_year


class AlternativeGroup(_Frozen):
    """Provisions of which a client gets at most one (or exactly one if not ``allow_none``)."""

    id: str
    members: tuple[str, ...] = Field(min_length=2)
    allow_none: bool
    rationale: str


class Alternatives(_Frozen):
    groups: tuple[AlternativeGroup, ...]


class Norm(_Frozen):
    """A maximum duration from the protocol, the Wmo or the normenkader, with its source."""

    limit: int = Field(gt=0)
    unit: Literal["werkdagen", "weeks", "days"]
    after: str
    description: str
    source: str


class ProcessNorms(_Frozen):
    melding_handling: Norm
    confirmation: Norm
    fitting: Norm
    delivery_no_lead_time: Norm
    delivery_lead_time: Norm
    single_adaptation: Norm
    multiple_adaptation: Norm
    wmo_investigation: Norm
    wmo_decision: Norm
    supplier_contact: Norm

    def supplier_norm(self, delivery: Delivery) -> Norm:
        """The norm that bounds the supplier phase of a provision of this delivery kind."""
        return {
            "no_lead_time": self.delivery_no_lead_time,
            "lead_time": self.delivery_lead_time,
            "single_adaptation": self.single_adaptation,
            "multiple_adaptation": self.multiple_adaptation,
        }[delivery]

"""Durations of the process steps, in werkdagen: the small validated set a scenario may use.

Every duration in a scenario file is one of these mappings (``dist`` selects the kind):

============================  =================================================================
``{dist: fixed, werkdagen}``  always ``werkdagen`` (``.inf`` = never completes)
``{dist: uniform, low, high}``  uniform between ``low`` and ``high``
``{dist: triangular, low, mode, high}``  triangular
``{dist: lognormal, median, p90, max}``  lognormal given by its median and 90th percentile,
                               optionally capped at ``max``
``{dist: mixture, components}``  a weighted mixture of the kinds above (``weight`` in each
                               component, weights sum to 1): e.g. a usual lead time and a
                               long tail
``{dist: sla, part}``          the catalogue's SLA werkdagen of the provision itself:
                               ``advice``, ``decision``, ``supplier`` or
                               ``supplier_after_fitting`` (supplier SLA minus the fitting
                               step, floored at 0)
``{dist: sla_spread, part,     the SLA as a maximum usually kept: a triangular fraction
low, mode, breach_share,       ``low``-``mode``-1 of it, and in ``breach_share`` of draws
breach_median, breach_p90}``   the SLA times a lognormal factor above 1
============================  =================================================================

Sampled values are rounded to whole werkdagen (half up) and never negative.

Sampling is by the inverse distribution function of **one uniform number per draw**. The
uniform numbers come from the replication's stream of that activity and do not depend on the
scenario, so two scenarios see the same uniforms for the same patient and provision (common
random numbers) and a longer distribution never gives a shorter duration for the same draw:
monotonicity holds by construction, not only on average.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator
from scipy.special import ndtr, ndtri

from ivp.domain.errors import custom_error
from ivp.domain.plausibility import FiniteWerkdagen, Number, Werkdagen, at_most

Z90 = 1.2815515655446004
"""The standard normal 90th percentile: ln(p90 / median) = sigma * Z90 for a lognormal."""


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    source: str | None = Field(default=None, description="where the figure comes from")
    assumption: str | None = Field(default=None, description="why, where no source gives it")


class Fixed(_Spec):
    dist: Literal["fixed"]
    werkdagen: Werkdagen = Field(description="werkdagen; .inf = never completes")

    def ppf(self, u: np.ndarray, sla: np.ndarray | None = None) -> np.ndarray:
        return np.full(u.shape, float(self.werkdagen))


class Uniform(_Spec):
    dist: Literal["uniform"]
    low: FiniteWerkdagen
    high: FiniteWerkdagen

    @model_validator(mode="after")
    def _ordered(self) -> "Uniform":
        if self.high < self.low:
            raise custom_error("high_below_low", high=self.high, low=self.low)
        return self

    def ppf(self, u, sla=None):
        return self.low + u * (self.high - self.low)


class Triangular(_Spec):
    dist: Literal["triangular"]
    low: FiniteWerkdagen
    mode: FiniteWerkdagen
    high: FiniteWerkdagen

    @model_validator(mode="after")
    def _ordered(self) -> "Triangular":
        if not self.low <= self.mode <= self.high:
            raise custom_error("triangle_order", low=self.low, mode=self.mode, high=self.high)
        return self

    def ppf(self, u, sla=None):
        a, c, b = self.low, self.mode, self.high
        if b == a:
            return np.full(u.shape, float(a))
        fc = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1 - u) * (b - a) * (b - c))
        return np.where(u < fc, left, right)


class Lognormal(_Spec):
    dist: Literal["lognormal"]
    median: Annotated[FiniteWerkdagen, Field(gt=0)]
    p90: Annotated[FiniteWerkdagen, Field(gt=0)]
    max: Annotated[FiniteWerkdagen, Field(gt=0)] | None = Field(default=None, description="cap (werkdagen)")

    @model_validator(mode="after")
    def _ordered(self) -> "Lognormal":
        if self.p90 <= self.median:
            raise custom_error("p90_not_above_median", p90=self.p90, median=self.median)
        return self

    @property
    def sigma(self) -> float:
        return math.log(self.p90 / self.median) / Z90

    def ppf(self, u, sla=None):
        z = ndtri(np.clip(u, 1e-12, 1 - 1e-12))
        x = self.median * np.exp(self.sigma * z)
        if self.max is not None:
            x = np.minimum(x, self.max)
        return x


class SlaDuration(_Spec):
    dist: Literal["sla"]
    part: Literal["advice", "decision", "supplier", "supplier_after_fitting"]

    def ppf(self, u, sla=None):
        if sla is None:
            raise ValueError("an SLA duration needs the provisions' SLA werkdagen")
        sla = np.asarray(sla, dtype=float)
        return np.full(u.shape, float(sla)) if sla.ndim == 0 else np.broadcast_to(sla, u.shape).astype(float)


class SlaSpread(_Spec):
    """The catalogue's SLA as a maximum that is usually kept and sometimes broken: with
    probability ``1 - breach_share`` a triangular draw between ``low`` and the SLA with its
    mode at ``mode`` (both fractions of the SLA); otherwise the SLA times a lognormal factor
    above 1 (``breach_median``, ``breach_p90``). One uniform draws both parts (the kept
    durations below, the breaches above), so a larger uniform is never a shorter duration."""

    dist: Literal["sla_spread"]
    part: Literal["advice", "decision", "supplier", "supplier_after_fitting"]
    low: Number = Field(ge=0, le=1, description="shortest kept duration, as a fraction of the SLA")
    mode: Number = Field(ge=0, le=1, description="most likely kept duration, as a fraction of the SLA")
    breach_share: Number = Field(ge=0, lt=1, description="share of draws that exceed the SLA")
    breach_median: Annotated[Number, Field(gt=1), at_most("breach_factor_max")] = Field(
        default=1.3, description="median factor on the SLA of a breach")
    breach_p90: Annotated[Number, Field(gt=1), at_most("breach_factor_max")] = Field(
        default=2.0, description="90th percentile factor of a breach")

    @model_validator(mode="after")
    def _ordered(self) -> "SlaSpread":
        if not self.low <= self.mode:
            raise custom_error("triangle_order", low=self.low, mode=self.mode, high=1.0)
        if self.breach_p90 <= self.breach_median:
            raise custom_error("p90_not_above_median", p90=self.breach_p90, median=self.breach_median)
        return self

    def ppf(self, u, sla=None):
        if sla is None:
            raise ValueError("an SLA duration needs the provisions' SLA werkdagen")
        sla = np.broadcast_to(np.asarray(sla, dtype=float), u.shape)
        kept = 1.0 - self.breach_share
        inside = u < kept
        fraction = np.empty(u.shape)
        v = np.where(inside, u / kept, 0.0)
        a, c = self.low, self.mode
        if a == 1.0:
            fraction[inside] = 1.0
        else:
            fc = (c - a) / (1.0 - a)
            left = a + np.sqrt(v * (1.0 - a) * (c - a))
            right = 1.0 - np.sqrt((1 - v) * (1.0 - a) * (1.0 - c))
            fraction[inside] = np.where(v < fc, left, right)[inside]
        if (~inside).any():
            w = (u[~inside] - kept) / self.breach_share
            sigma = math.log(self.breach_p90 / self.breach_median) / Z90
            # the breach factor's lognormal, truncated below at 1 by rescaling w onto [P(<1), 1)
            p1 = float(ndtr(-math.log(self.breach_median) / sigma))
            z = ndtri(np.clip(p1 + w * (1 - p1), 1e-12, 1 - 1e-12))
            fraction[~inside] = self.breach_median * np.exp(sigma * z)
        return sla * fraction


Simple = Annotated[Union[Fixed, Uniform, Triangular, Lognormal], Field(discriminator="dist")]


class Component(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    weight: Number = Field(gt=0, le=1)
    duration: Simple


class Mixture(_Spec):
    dist: Literal["mixture"]
    components: tuple[Component, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _weights(self) -> "Mixture":
        total = sum(c.weight for c in self.components)
        if abs(total - 1) > 1e-9:
            raise custom_error("weights_not_one", total=round(total, 6))
        return self

    def ppf(self, u, sla=None):
        # One uniform picks the component and, rescaled within it, the value: components
        # are listed from short to long, so larger u never gives a shorter component.
        edges = np.cumsum([0.0] + [c.weight for c in self.components])
        edges[-1] = 1.0
        out = np.empty(u.shape)
        for k, comp in enumerate(self.components):
            lo, hi = edges[k], edges[k + 1]
            mask = (u >= lo) & ((u < hi) if k < len(self.components) - 1 else (u <= hi))
            if mask.any():
                out[mask] = comp.duration.ppf((u[mask] - lo) / (hi - lo))
        return out


Duration = Annotated[Union[Fixed, Uniform, Triangular, Lognormal, Mixture, SlaDuration, SlaSpread],
                     Field(discriminator="dist")]
"""Any duration a scenario may give (see the module doc)."""

ZERO = Fixed(dist="fixed", werkdagen=0, assumption="no time")


def to_werkdagen(x: np.ndarray) -> np.ndarray:
    """Round sampled werkdagen half up to whole werkdagen (float array; ``inf`` stays)."""
    return np.floor(np.maximum(x, 0.0) + 0.5)


def sample(spec, u: np.ndarray, sla: np.ndarray | None = None) -> np.ndarray:
    """Whole werkdagen (float, ``inf`` = never) for uniforms ``u`` by the inverse CDF."""
    return to_werkdagen(spec.ppf(u, sla))


def mean_werkdagen(spec, n: int = 200_000, seed: int = 0) -> float:
    """Monte Carlo mean of a non-SLA duration (for docs and tests)."""
    u = np.random.default_rng(seed).random(n)
    return float(sample(spec, u).mean())

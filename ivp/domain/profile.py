"""The client profile at diagnosis: what the ALS team knows about a client, validated.

A :class:`ClientProfile` holds the eight ENCALS predictors (Westeneng et al., Lancet
Neurology 2018) and the home and household facts that decide which provisions of the
protocol's catalogue apply. Every field may be ``None`` ("unknown"): the disease model
(``ivp.models.disease``) then draws it from the Dutch population distribution, conditional
on what is known. :func:`population_patient` is the profile with everything unknown.

Ranges, and why:

- ``age_at_onset`` 18–100 years: the protocol concerns adults (children fall under the
  Jeugdwet, not the Wmo) and the ENCALS model was derived in adults; beyond 100 there are
  no data.
- ``diagnostic_delay_months`` 1–120: months from first symptom to diagnosis. Onset is
  dated to the month, so a delay below one month cannot be measured, and the ENCALS
  transformation of delay, ``(delay/10)^-0.5 + ln(delay/10)``, turns over below 2.5 months
  and explodes towards 0. Ten years is beyond almost every ALS series (slower cases are
  usually PLS or PMA, outside the ENCALS model).
- ``alsfrs_r_at_diagnosis`` 0–48: the scale's own range.
- ``dfs`` 0–10 points per month: ΔFS = (48 − ALSFRS-R at diagnosis) / delay. The fastest
  published progressors lose 3–4 points a month; 10 leaves room for onset-dating error.
- ``fvc_percent`` 10–150 % of predicted: below 10 % a patient is not breathing unaided;
  above 150 % is a measurement error.

When the ALSFRS-R at diagnosis, ΔFS and delay are all given they must agree:
``48 − ΔFS · delay`` may differ from the ALSFRS-R by at most
:data:`ALSFRS_CONSISTENCY_POINTS` (ΔFS is usually reported rounded to two decimals).

``diagnosis_date`` is carried for the plan and the process simulation (which maps months
since diagnosis to calendar dates); the disease model works in months since diagnosis and
never reads the clock, so results do not depend on the day they are computed.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ivp.domain.errors import InputError, custom_error, problems_from_validation
from ivp.domain.plausibility import CalendarDate, Number
from ivp.domain.yamlfile import read_mapping

#: Allowed ranges, (low, high) inclusive, used both for validation and in messages.
RANGES: dict[str, tuple[float, float]] = {
    "age_at_onset": (18.0, 100.0),
    "diagnostic_delay_months": (1.0, 120.0),
    "alsfrs_r_at_diagnosis": (0.0, 48.0),
    "dfs": (0.0, 10.0),
    "fvc_percent": (10.0, 150.0),
}
#: Largest allowed gap, in ALSFRS-R points, between the given ALSFRS-R at diagnosis and
#: ``48 − ΔFS · delay`` when all three are given.
ALSFRS_CONSISTENCY_POINTS = 1.0
ALSFRS_MAX = 48.0


class OnsetSite(str, Enum):
    """Body region of the first symptoms."""

    bulbar = "bulbar"
    arms = "arms"
    legs = "legs"
    respiratory = "respiratory"


class Condition(str, Enum):
    """The motor-neuron diseases the protocol applies to (seed 001 lines 101-109);
    ``ivp/models/disease/data/conditions.yaml`` says what the model can do for each."""

    als = "als"
    pls = "pls"
    pma = "pma"
    sbma = "sbma"
    hsp = "hsp"
    mmn = "mmn"
    pps = "pps"
    sma = "sma"


#: What a profile of a condition other than ALS must know: the population model describes
#: ALS patients, so it cannot fill these in for another condition.
CONDITION_REQUIRES = ("age_at_onset", "onset_site", "diagnostic_delay_months")


#: Home and household facts (all booleans). Each is documented on the field below and in
#: docs/disease-model.md; ``ivp/models/disease/data/need_rules.csv`` refers to them by name, in a
#: rule's ``requires`` (whether a provision applies) and in its conditions (when it is needed).
HOME_FACTS = (
    "bedroom_or_bathroom_upstairs",
    "home_adaptable_inside",
    "extension_possible",
    "ceiling_hoist_possible",
    "entrance_wheelchair_accessible",
    "has_van",
    "children_at_home",
    "lives_alone",
)


class ClientProfile(BaseModel):
    """What is known about a client at diagnosis; ``None`` means unknown."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    condition: Condition | None = None
    """The diagnosis: ALS (``None`` or ``als``) or another motor-neuron disease."""

    # --- the ENCALS predictors ---------------------------------------------------------
    age_at_onset: Number | None = None
    """Age in years at the first symptom."""
    onset_site: OnsetSite | None = None
    """Region of the first symptoms: bulbar, arms, legs or respiratory."""
    diagnostic_delay_months: Number | None = None
    """Months from the first symptom to the diagnosis."""
    alsfrs_r_at_diagnosis: Number | None = None
    """ALSFRS-R total (0–48) at diagnosis."""
    dfs: Number | None = None
    """ΔFS: (48 − ALSFRS-R at diagnosis) / months since onset, points per month."""
    fvc_percent: Number | None = None
    """Forced vital capacity, % of predicted, at diagnosis."""
    definite_el_escorial: bool | None = None
    """Definite ALS by the revised El Escorial criteria at diagnosis."""
    ftd: bool | None = None
    """Frontotemporal dementia."""
    c9orf72: bool | None = None
    """C9orf72 repeat expansion."""

    # --- home and household --------------------------------------------------------------
    bedroom_or_bathroom_upstairs: bool | None = None
    """The bedroom or bathroom is reached by stairs (a stairlift can apply)."""
    home_adaptable_inside: bool | None = None
    """A safe bedroom and bathroom with hoist transfers can be made inside the current
    home (protocol rule 2b); if not, an extension, and failing that a care unit."""
    extension_possible: bool | None = None
    """An extension (aanbouw) can be built; only matters when the home cannot be adapted
    inside (protocol rule 2c/2d)."""
    ceiling_hoist_possible: bool | None = None
    """Ceiling and walls can carry a ceiling hoist rail; if not, an autonomous
    (free-standing) hoist is the alternative."""
    entrance_wheelchair_accessible: bool | None = None
    """The entrance is already wheelchair accessible (no home-access adaptation needed)."""
    has_van: bool | None = None
    """The household has, or will get, a van that can be adapted for wheelchair transport
    (protocol rule 3)."""
    children_at_home: bool | None = None
    """School-age children live at home (protocol rule 6: household matters). The need rules
    bring outdoor mobility forward for a parent (the scooter from the first walking
    difficulty; ``ivp/models/disease/data/need_rules.csv``)."""
    lives_alone: bool | None = None
    """The client lives alone. The need rules bring safety forward (the personal alarm and
    home automation one step earlier; ``ivp/models/disease/data/need_rules.csv``)."""

    diagnosis_date: CalendarDate | None = None
    """Calendar date of the diagnosis; used by the plan and the process simulation only."""

    @field_validator(*RANGES, mode="after")
    @classmethod
    def _check_range(cls, value: float | None, info: ValidationInfo) -> float | None:
        low, high = RANGES[info.field_name]
        if value is not None and not low <= value <= high:
            raise custom_error(f"out_of_range.{info.field_name}", low=low, high=high, got=value)
        return value

    @property
    def is_als(self) -> bool:
        return self.condition in (None, Condition.als)

    @model_validator(mode="after")
    def _check_condition(self) -> "ClientProfile":
        if self.is_als:
            return self
        missing = [f for f in CONDITION_REQUIRES if getattr(self, f) is None]
        if self.alsfrs_r_at_diagnosis is None and self.dfs is None:
            missing.append("alsfrs_r_at_diagnosis")
        if missing:
            raise custom_error("condition_needs_fields", field="condition", condition=self.condition.value,
                               fields=", ".join(missing))
        return self

    @model_validator(mode="after")
    def _check_consistency(self) -> "ClientProfile":
        a, f, d = self.alsfrs_r_at_diagnosis, self.dfs, self.diagnostic_delay_months
        low_d, high_d = RANGES["diagnostic_delay_months"]
        if a is not None and f is not None and d is not None:
            implied = ALSFRS_MAX - f * d
            if abs(implied - a) > ALSFRS_CONSISTENCY_POINTS:
                raise custom_error("alsfrs_disagrees", field="alsfrs_r_at_diagnosis", alsfrs=a,
                                   implied=round(implied, 1), tolerance=ALSFRS_CONSISTENCY_POINTS)
        elif f is not None and d is not None and ALSFRS_MAX - f * d < 0:
            raise custom_error("decline_exceeds_scale", field="dfs", decline=round(f * d, 1),
                               max_dfs=round(ALSFRS_MAX / d, 2), delay=d)
        elif a is not None and d is not None and f is None:
            implied_dfs = (ALSFRS_MAX - a) / d
            low_f, high_f = RANGES["dfs"]
            if implied_dfs > high_f:
                raise custom_error("implied_dfs_out_of_range", field="alsfrs_r_at_diagnosis",
                                   implied=round(implied_dfs, 1), low=low_f, high=high_f)
        elif a is not None and f is not None and d is None:
            if f == 0 and a < ALSFRS_MAX:
                raise custom_error("dfs_zero_needs_48", field="dfs")
            if f > 0:
                implied_delay = (ALSFRS_MAX - a) / f
                if not low_d <= implied_delay <= high_d:
                    raise custom_error("implied_delay_out_of_range", field="alsfrs_r_at_diagnosis",
                                       implied=round(implied_delay, 1), low=low_d, high=high_d)
        return self

    def known(self) -> dict[str, Any]:
        """The fields that are known (not ``None``)."""
        return {k: v for k, v in self.model_dump().items() if v is not None}


def population_patient() -> ClientProfile:
    """The profile with everything unknown: a random patient of the Dutch population."""
    return ClientProfile()


def make_profile(source: str = "profile", **fields: Any) -> ClientProfile:
    """Build a profile; bad values raise :class:`InputError` naming field and range."""
    return _validate(fields, source)


def load_profile(path: str | Path) -> ClientProfile:
    """Read a profile from a YAML file (keys as the fields of :class:`ClientProfile`).

    An empty file is the population patient. Bad input raises :class:`InputError` with the
    file name in every problem.
    """
    path = Path(path)
    data = read_mapping(path, empty_is_mapping=True)
    source = path.name
    return _validate(data, source)


def _validate(data: dict[str, Any], source: str) -> ClientProfile:
    try:
        return ClientProfile.model_validate(data)
    except ValidationError as error:
        raise InputError(problems_from_validation(error, source)) from None

"""Scenario files: a policy (protocol, current practice, pgb) as one validated object.

A scenario says when a request is made (the *melding*), how long each step takes per
financier (Wmo: municipality; Zvw: health insurer), how municipalities differ, what happens
at death, and optionally a shared depot and limited staff. Every block may carry ``source``
(where its figures come from) or ``assumption`` (why, where no source gives them); the
shipped scenario files document every block (a test checks this). Unknown keys are refused
with the file and the dotted key path named (:class:`ivp.domain.errors.InputError`).

Steps of one request (see docs/model.md for the diagram)::

    melding -> advice -> decision -> fitting -> delivery        (in kind)
    melding -> fitting -> delivery ; melding -> advice -> decision (reimbursement)
                                     (a pgb or a financial contribution: the route's ``pgb`` and
                                     ``contributions`` blocks)

*advice* is the assessment: the rehabilitation team's advice under the protocol, the
municipality's investigation (onderzoek) under the Wmo, the insurer's assessment under the
Zvw. *decision* is the beschikking or the insurer's authorisation. *fitting* (passing) and
*delivery* (levering, or construction for home adaptations) are the supplier's.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ivp.domain.calendar import CalendarPolicy
from ivp.domain.catalog import FINANCIERS, load_catalog
from ivp.domain.catalog.schema import Financier
from ivp.domain.errors import (
    InputError,
    Problem,
    custom_error,
    excerpt,
    problems_from_validation,
)
from ivp.domain.plausibility import CalendarDate, FiniteWerkdagen, Number, at_most
from ivp.domain.yamlfile import named_file, read_mapping
from ivp.models.process.durations import ZERO, Duration, Fixed

STEPS = ("advice", "decision", "fitting", "delivery")
DELIVERY_KINDS = ("no_lead_time", "lead_time", "single_adaptation", "multiple_adaptation")


class Documented(BaseModel):
    """A block of parameters with its source or the rationale of its assumption."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    source: str | None = Field(default=None, description="where the figures come from")
    assumption: str | None = Field(default=None, description="why, where no source gives them")


class Melding(Documented):
    """When a request is made.

    ``at: trigger`` (protocol): on call at the provision's trigger point of the IVP;
    ``at: need_start`` (current practice, pgb): when the need is noticed, ``noticing_delay``
    werkdagen after the need starts. ``ivp_setup``: werkdagen after diagnosis before the IVP
    is set; requests made earlier wait for it.
    """

    at: Literal["trigger", "need_start"]
    noticing_delay: Duration = ZERO
    ivp_setup: Duration = ZERO


class DeliveryByKind(Documented):
    """Supplier time after fitting, per kind of delivery in the catalogue (werkdagen)."""

    no_lead_time: Duration
    lead_time: Duration
    single_adaptation: Duration
    multiple_adaptation: Duration


class StepOverride(Documented):
    """Durations that replace the route's for one provision."""

    advice: Duration | None = None
    decision: Duration | None = None
    fitting: Duration | None = None
    delivery: Duration | None = None


class InvestigationExceedance(Documented):
    """A share of municipalities whose investigation exceeds the legal term; for them the
    ``advice`` duration replaces the route's."""

    share: Number = Field(ge=0, le=1)
    advice: Duration


class SecondAssessment(Documented):
    """A share of municipalities where the municipality's own (social-)medical adviser
    assesses again; adds ``extra`` werkdagen to every full assessment."""

    share: Number = Field(ge=0, le=1)
    extra: Duration


class RepeatRequests(Documented):
    """How municipalities handle a herhalings- of vervangingsaanvraag (seed 000, figure 3):
    a request to renew or replace a device the client already has (``applies_to:
    replacements``, the survey's question, seed 000:2351-2352, and normenkader norm 2.1.2,
    seed 004:263-266), or, as a sensitivity, also a successor in a chain of provisions
    (``chain_successors``: the VNG good practice's "extra/nieuw hulpmiddel ... in het
    verlengde van vorige aanvragen", seed 001:2055-2057, a recommendation, not measured).

    Shares of municipalities that ``always`` re-assess, decide ``case_by_case``, give
    ``open_ended`` decisions (no new assessment), or ``unknown``. A case-by-case municipality
    re-assesses with probability ``case_by_case_reassess``; ``unknown`` is treated as
    ``unknown_as``. Without re-assessment the request goes to the supplier after
    ``without_reassessment`` werkdagen (advice) and no separate decision.
    """

    always: Number = Field(ge=0, le=1)
    case_by_case: Number = Field(ge=0, le=1)
    open_ended: Number = Field(ge=0, le=1)
    unknown: Number = Field(default=0, ge=0, le=1)
    case_by_case_reassess: Number = Field(ge=0, le=1)
    unknown_as: Literal["always", "case_by_case", "open_ended"] = "case_by_case"
    without_reassessment: Duration
    applies_to: Literal["replacements", "chain_successors"] = "replacements"

    @model_validator(mode="after")
    def _shares(self) -> "RepeatRequests":
        total = self.always + self.case_by_case + self.open_ended + self.unknown
        if abs(total - 1) > 1e-6:
            raise custom_error("shares_not_one", total=round(total, 4))
        return self

    def reassess_probability(self) -> dict[str, float]:
        """Probability of re-assessment per municipality kind (unknown folded in)."""
        p = {"always": 1.0, "case_by_case": self.case_by_case_reassess, "open_ended": 0.0}
        return p


class FastTrack(Documented):
    """At the first home visit a consultant starts simple provisions at once (the case of
    seed 001:316-321: the stairlift and the driveway started before any decision). In a
    ``share`` of municipalities, a request for one of ``provisions`` made within ``within``
    werkdagen of the client's first melding with this financier skips the investigation:
    its ``advice`` replaces it and no separate decision is waited for."""

    share: Number = Field(ge=0, le=1)
    provisions: tuple[str, ...] = Field(min_length=1)
    within: FiniteWerkdagen = Field(description="werkdagen after the first melding that count as the first visit")
    advice: Duration


class Municipalities(Documented):
    """How municipalities (or insurers) differ; drawn per patient in a population run (each
    patient lives somewhere else) and once per replication for one municipality's caseload."""

    exceed_investigation: InvestigationExceedance | None = None
    second_assessment: SecondAssessment | None = None
    repeat_requests: RepeatRequests | None = None
    fast_track: FastTrack | None = None


class PgbRoute(Documented):
    """Requests realised with a persoonsgebonden budget: the client buys or rents with a
    supplier of their choice (``fitting``, ``delivery``). With ``before_decision`` (an
    approved IVP: seed 001:80-83, 223-225) the client starts at the melding and the route's
    advice and decision run alongside for the reimbursement; without it the pgb is granted by
    the decision and the client buys after it. A request goes this way when the client's
    municipality (or insurer) tells clients about the pgb (``informed``, a share of
    municipalities, drawn per municipality) and the client then chooses it (``share``)."""

    informed: Number = Field(default=1.0, ge=0, le=1)
    share: Number = Field(ge=0, le=1)
    before_decision: bool = False
    fitting: Duration
    delivery: DeliveryByKind


class Contributions(Documented):
    """Provisions granted as a financial contribution (financiële tegemoetkoming) of
    ``amount_share`` times the catalogue's cost: the client realises them as principal, with
    the route's ``pgb`` durations or the ``fitting`` and ``delivery`` given here, at the
    melding (``before_decision``) or after the decision."""

    provisions: tuple[str, ...] = Field(min_length=1)
    amount_share: Number = Field(default=1.0, gt=0, le=1)
    before_decision: bool = False
    fitting: Duration | None = None
    delivery: DeliveryByKind | None = None


class Route(Documented):
    """The steps of a request under one financier: in kind (zorg in natura) advice,
    decision, fitting and delivery in sequence; with a ``pgb`` or as a financial
    contribution (``contributions``) the client realises it at once and advice and decision
    run alongside. ``confirmation``: werkdagen from the melding to its written confirmation
    (a norm of its own; it delays nothing). ``advice_by``: who gives the advice -
    ``rehabilitation_team`` (the protocol: the ALS team's advice comes with the melding, so the
    financier's handling starts when it is done) or ``financier`` (the municipality's
    investigation or the insurer's assessment)."""

    advice_by: Literal["rehabilitation_team", "financier"] = "financier"
    advice: Duration
    decision: Duration
    fitting: Duration | None = None
    delivery: DeliveryByKind | None = None
    pgb: PgbRoute | None = None
    contributions: Contributions | None = None
    confirmation: Duration | None = None
    municipalities: Municipalities | None = None
    overrides: dict[str, StepOverride] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _durations_given(self) -> "Route":
        c = self.contributions
        if c is not None and self.pgb is None and (c.fitting is None or c.delivery is None):
            raise custom_error("contributions_need_durations")
        all_pgb = self.pgb is not None and self.pgb.share == 1 and self.pgb.informed == 1
        if (self.fitting is None or self.delivery is None) and not all_pgb:
            raise custom_error("in_kind_needs_durations")
        return self

    def realisation(self, contribution: bool) -> tuple[Duration, DeliveryByKind]:
        """Fitting and delivery durations of a request the client realises (pgb path)."""
        c = self.contributions
        if contribution and c is not None and c.fitting is not None:
            return c.fitting, c.delivery
        return self.pgb.fitting, self.pgb.delivery


class Routes(Documented):
    wmo: Route
    zvw: Route


class Depot(Documented):
    """A shared depot of reusable (herinzetbaar) items.

    An item returns when its use ends (need end or death, or at delivery if that is later),
    is refurbished for ``refurbishment`` werkdagen at ``refurbishment_cost_share`` of the
    purchase cost, then serves the next request for that provision decided after it is
    ready: no purchase and no supplier lead time, only fitting and ``delivery`` werkdagen.
    """

    enabled: bool = False
    refurbishment: Duration = ZERO
    refurbishment_cost_share: Number = Field(default=0.0, ge=0, le=1)
    delivery: Duration = ZERO
    initial_stock: dict[str, Annotated[int, at_most("depot_stock_max")]] = Field(default_factory=dict)


class StaffPool(Documented):
    """Limited staff as a SimPy resource: ``capacity`` requests in a step at the same time
    (e.g. consultants x cases each); a request waits for a free slot before the step starts
    and holds it until the step ends."""

    capacity: int = Field(ge=1)
    steps: tuple[Literal["advice", "decision", "fitting"], ...] = Field(min_length=1)
    financiers: tuple[Financier, ...] = ("wmo",)


class Bridging(Documented):
    """A loan device while a definitive one is made (normenkader, seed 004:127-131; VNG good
    practice seed 001:2446-2448; the case's interim hoist, seed 001:411-412). For requests
    of ``provisions`` whose planned delivery is more than ``wait_over`` werkdagen after the
    request starts, in a ``share`` of cases a temporary device (from the depot or rented)
    arrives ``delay`` werkdagen after the start and serves until the definitive one comes;
    it costs ``rent_monthly_share`` of the definitive device's catalogue cost per month."""

    provisions: tuple[str, ...] = Field(min_length=1)
    share: Number = Field(ge=0, le=1)
    wait_over: FiniteWerkdagen
    delay: Duration
    rent_monthly_share: Number = Field(ge=0, le=1)


class Death(Documented):
    """Requests still open ``notice`` werkdagen after death are cancelled (nothing delivered
    or paid afterwards); deliveries before that count as 'delivered after death'."""

    notice: Duration


class Population(Documented):
    """Diagnosis dates of a population of new patients: uniform over ``spread_days`` days
    from ``start_date`` (so that holidays fall at random points of the course)."""

    start_date: CalendarDate = dt.date(2026, 1, 1)
    spread_days: int = Field(default=365, ge=1, le=3660)


class Incidence(Documented):
    """New clients of a municipality: Poisson arrivals at this incidence."""

    per_100k_per_year: Annotated[Number, Field(ge=0), at_most("incidence_per_100k_max")]


class WlzEntry(Documented):
    """Entry into a Wlz institution at care dependency (the course's care-facility point), in
    ``share`` of the clients who reach it before death: from then on the Wmo's obligations
    end, except for ``wmo_continues``."""

    share: Number = Field(ge=0, le=1)
    wmo_continues: tuple[str, ...] = ()


class Moving(Documented):
    """Moving to another municipality at ``rate_per_year`` (a Poisson process until death):
    Wmo requests still open restart at the receiving municipality; delivered devices move
    along."""

    rate_per_year: Number = Field(ge=0, le=1)


class ClientEvents(Documented):
    """What happens to the client besides the disease (``client_events.yaml``); the
    departing municipality pays the use of rented devices ``handover_months`` after an
    entry or a move (convenant Meeverhuizen)."""

    handover_months: Number = Field(default=2, ge=0, le=24)
    wlz: WlzEntry | None = None
    moving: Moving | None = None


CLIENT_EVENTS_PATH = Path(__file__).with_name("client_events.yaml")


@lru_cache(maxsize=1)
def default_client_events() -> ClientEvents:
    """The shipped client events (``client_events.yaml``)."""
    return ClientEvents.model_validate(read_mapping(CLIENT_EVENTS_PATH))


class Scenario(Documented):
    """One policy, validated. Build from a file with :func:`load_scenario`."""

    name: str = Field(min_length=1, max_length=120, description="the route's name in Dutch (the app's and the CLI's)")
    name_en: str | None = Field(default=None, max_length=120, description="the name in English (the app's English switch)")
    description: str = Field(default="", max_length=2000, description="what the route is, in Dutch")
    description_en: str | None = Field(default=None, max_length=2000, description="the same in English")
    policy: Literal["protocol", "current_practice", "pgb"]
    calendar: CalendarPolicy | None = None
    melding: Melding
    routes: Routes
    death: Death
    depot: Depot = Depot()
    bridging: Bridging | None = None
    staff: dict[str, StaffPool] = Field(default_factory=dict)
    population: Population = Population()
    incidence: Incidence = Incidence(per_100k_per_year=2.77, source="Huisman et al., JNNP 2011 (DOMAIN.md section 5)")
    client_events: ClientEvents = Field(default_factory=default_client_events)

    def title(self, lang: str = "nl") -> str:
        """The name in ``lang`` (the Dutch one where no English is given)."""
        return self.name_en if lang == "en" and self.name_en else self.name

    def summary(self, lang: str = "nl") -> str:
        """The description in ``lang`` (the Dutch one where no English is given)."""
        return self.description_en if lang == "en" and self.description_en else self.description

    def route(self, financier: str) -> Route:
        return getattr(self.routes, financier)

    def with_changes(self, **changes) -> "Scenario":
        """A copy with top-level fields replaced (validated again)."""
        data = self.model_dump()
        data.update(changes)
        return Scenario.model_validate(data)


def _undocumented(model: BaseModel, path: str) -> list[str]:
    """Dotted paths of blocks that carry neither ``source`` nor ``assumption``."""
    missing = []
    documented = getattr(model, "source", None) or getattr(model, "assumption", None)
    has_params = any(
        name not in ("source", "assumption") for name in type(model).model_fields
    )
    if "source" in type(model).model_fields and has_params and not documented:
        missing.append(path or "<top>")
    for name in type(model).model_fields:
        value = getattr(model, name)
        children = value.items() if isinstance(value, dict) else [(None, value)]
        for key, child in children:
            if isinstance(child, BaseModel) and not isinstance(child, CalendarPolicy):
                sub = f"{path}.{name}" if path else name
                if key is not None:
                    sub += f".{key}"
                missing.extend(_undocumented(child, sub))
    return missing


def undocumented_blocks(scenario: Scenario) -> list[str]:
    """Blocks of a scenario without ``source`` or ``assumption`` (shipped files have none).

    A duration inherits the documentation of the block it sits in when it has none itself.
    """
    return [
        path for path in _undocumented(scenario, "")
        if not _covered_by_parent(scenario, path)
    ]


def _covered_by_parent(scenario: Scenario, path: str) -> bool:
    # Durations (leaf specs) may rely on their enclosing block's documentation.
    parts = path.split(".")
    node = scenario
    nodes = [node]
    for part in parts:
        node = node.get(part) if isinstance(node, dict) else getattr(node, part, None)
        nodes.append(node)
    leaf = nodes[-1]
    if leaf is None or not hasattr(leaf, "dist"):
        return False
    for parent in reversed(nodes[:-1]):
        if isinstance(parent, Documented) and (parent.source or parent.assumption):
            return True
    return False


def check_provision_ids(scenario: Scenario, known: set[str], source: str) -> list[Problem]:
    """Problems for overrides, depot stock, contributions, fast-track or bridging lists that
    name provisions not in the catalogue."""
    problems = []
    for financier in FINANCIERS:
        route = scenario.route(financier)
        for pid in route.overrides:
            if pid not in known:
                problems.append(Problem(source, f"routes.{financier}.overrides.{pid}", "unknown_provision", {"id": excerpt(pid)}))
        lists = {"contributions.provisions": route.contributions.provisions if route.contributions else (),
                 "municipalities.fast_track.provisions": route.municipalities.fast_track.provisions
                 if route.municipalities and route.municipalities.fast_track else ()}
        for field, ids in lists.items():
            problems.extend(Problem(source, f"routes.{financier}.{field}", "unknown_provision", {"id": excerpt(pid)})
                            for pid in ids if pid not in known)
    if scenario.bridging is not None:
        problems.extend(Problem(source, "bridging.provisions", "unknown_provision", {"id": excerpt(pid)})
                        for pid in scenario.bridging.provisions if pid not in known)
    wlz = scenario.client_events.wlz
    if wlz is not None:
        problems.extend(Problem(source, "client_events.wlz.wmo_continues", "unknown_provision", {"id": excerpt(pid)})
                        for pid in wlz.wmo_continues if pid not in known)
    for pid, count in scenario.depot.initial_stock.items():
        if pid not in known:
            problems.append(Problem(source, f"depot.initial_stock.{pid}", "unknown_provision", {"id": excerpt(pid)}))
        elif count < 0:
            problems.append(Problem(source, f"depot.initial_stock.{pid}", "at_least", {"ge": 0, "got": count}))
    return problems


def parse_scenario(data: Mapping, source: str = "scenario", catalog=None) -> Scenario:
    """Validate a scenario given as plain data (e.g. parsed YAML)."""
    if not isinstance(data, Mapping):
        raise InputError.single(source, "", "top_level_not_mapping")
    try:
        scenario = Scenario.model_validate(dict(data))
    except ValidationError as error:
        raise InputError(problems_from_validation(error, source)) from None
    if catalog is None:
        catalog = load_catalog()
    problems = check_provision_ids(scenario, set(catalog.ids), source)
    if problems:
        raise InputError(problems)
    return scenario


SHIPPED_DIR = Path(__file__).with_name("scenarios")
"""The scenario files shipped with the package (``ivp scenarios`` lists them)."""
SHIPPED_ORDER = ("protocol", "current_practice", "protocol_in_kind", "pgb")
"""The shipped scenarios in the order the CLI and the app list them."""


def shipped_scenarios() -> tuple[Path, ...]:
    """The shipped scenario files in :data:`SHIPPED_ORDER`, then any others."""
    files = sorted(SHIPPED_DIR.glob("*.yaml"), key=lambda p: (p.stem not in SHIPPED_ORDER,
                                                             SHIPPED_ORDER.index(p.stem) if p.stem in SHIPPED_ORDER else 0,
                                                             p.stem))
    return tuple(files)


def scenario_path(name_or_path: str | Path) -> Path:
    """A shipped scenario by name (``protocol``, ``current_practice``, ``protocol_in_kind``,
    ``pgb``) or a file."""
    return named_file(name_or_path, SHIPPED_DIR)


def load_scenario(path: str | Path, catalog=None) -> Scenario:
    """Load and validate a scenario: a shipped one by name (:func:`scenario_path`) or a
    YAML file. Bad input raises :class:`InputError` naming the file and the dotted key path."""
    path = scenario_path(path)
    name = path.name
    data = read_mapping(path)
    return parse_scenario(data, source=name, catalog=catalog)


def fixed(werkdagen: float) -> Fixed:
    """A fixed duration (handy in tests and code-built scenarios)."""
    return Fixed(dist="fixed", werkdagen=werkdagen, assumption="fixed")

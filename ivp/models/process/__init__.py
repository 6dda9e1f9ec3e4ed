"""The process model: meldingen, decisions, fittings and deliveries racing the decline, in
werkdagen, under the protocol, current practice or pgb (docs/model.md).

One entry point runs replications, :func:`run`, with a reducer that says what to keep::

    from ivp.models.process import run, load_scenario, NewPatients, KpiReducer

    result = run(load_scenario("protocol"), NewPatients(100), replications=200, seed=1)
    result.summary        # mean, P10/P50/P90, 95 % CI of every KPI over replications

Scenarios (:func:`load_scenario` by name or file), cohorts (:class:`NewPatients`,
:class:`Client`, :class:`VisitedClient`, :class:`Caseload` with :class:`ExistingClient`, :class:`GivenWindows`),
where replications run (:class:`Executor`) and the result types.
"""

from ivp.models.process.cohorts import (
    Caseload,
    Client,
    ExistingClient,
    GivenWindows,
    NewPatients,
    VisitedClient,
)
from ivp.models.process.engines import ENGINES
from ivp.models.process.results import (
    FRAME_COLUMNS,
    GAP_THRESHOLD_WERKDAGEN,
    KPI_METRICS,
    replication_stats,
    summarise,
)
from ivp.models.process.runner import (
    DEFAULT_SEED,
    Batch,
    Executor,
    KpiReducer,
    MonteCarloResult,
    Reducer,
    full_batches,
    run,
)
from ivp.models.process.scenario import (
    Scenario,
    load_scenario,
    parse_scenario,
    scenario_path,
    shipped_scenarios,
    undocumented_blocks,
)

__all__ = [
    "Batch", "Caseload", "Client", "DEFAULT_SEED", "ENGINES", "Executor", "ExistingClient", "FRAME_COLUMNS",
    "GAP_THRESHOLD_WERKDAGEN", "GivenWindows", "KPI_METRICS", "KpiReducer", "MonteCarloResult", "NewPatients",
    "Reducer", "Scenario", "full_batches", "load_scenario", "parse_scenario", "replication_stats", "run", "scenario_path",
    "shipped_scenarios", "summarise", "undocumented_blocks", "VisitedClient",
]

"""The process simulation (issue 4): meldingen, decisions, fittings and deliveries racing
the decline, under the protocol, current practice and pgb; Monte Carlo and gap metrics.

Public API (see docs/model.md)::

    from ivp.models.process import (
        load_scenario, Scenario,                       # scenario files
        NewPatients, Client, Caseload, ExistingClient, GivenWindows,   # cohorts
        run_replication, run_montecarlo, compare,      # Monte Carlo
        run_batch, iter_batches, compare_batch, BatchResult,   # many replications in one pass
        summarise, FRAME_COLUMNS, KPI_METRICS,         # results
    )
"""

from ivp.models.process.model import STREAMS, simulate, spawn_streams
from ivp.models.process.montecarlo import (
    BatchResult, Caseload, Client, ExistingClient, GivenWindows, MonteCarloResult, NewPatients, ReplicationResult,
    compare, compare_batch, iter_batches, run_batch, run_montecarlo, run_replication,
)
from ivp.models.process.results import FRAME_COLUMNS, GAP_THRESHOLD_WERKDAGEN, KPI_METRICS, summarise
from ivp.models.process.scenario import Scenario, load_scenario, parse_scenario, undocumented_blocks

__all__ = [
    "BatchResult", "compare_batch", "iter_batches", "run_batch",
    "Caseload", "Client", "ExistingClient", "FRAME_COLUMNS", "GAP_THRESHOLD_WERKDAGEN", "GivenWindows",
    "KPI_METRICS", "MonteCarloResult", "NewPatients", "ReplicationResult", "STREAMS", "Scenario",
    "compare", "load_scenario", "parse_scenario", "run_montecarlo", "run_replication", "simulate",
    "spawn_streams", "summarise", "undocumented_blocks",
]

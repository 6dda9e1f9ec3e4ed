"""One random stream per random activity of a replication.

Replication *k* of base seed ``seed`` uses ``SeedSequence(entropy=seed, spawn_key=(k,))``
(:func:`replication_streams`) and spawns one child generator per activity of
:data:`STREAMS`, always in that order. So replication *k* sees the same patients and the
same uniforms in every scenario (common random numbers), results do not depend on which
worker ran which replication, and a stream added at the end of :data:`STREAMS` leaves every
earlier stream, and so every earlier result, unchanged.
"""

from __future__ import annotations

import numpy as np

STREAMS = (
    "disease", "arrivals", "noticing", "ivp_setup", "municipality", "advice",
    "second_assessment", "repeat", "decision", "fitting", "delivery", "depot", "death",
    "pgb", "bridge", "confirmation", "municipality_extra", "client_events",
)
"""The random activities of a replication, in the fixed order their child streams are
spawned: the disease course first, then the arrivals, then every process activity. A
scenario that does not use an activity still spawns (and draws) its stream."""

PROCESS_ACTIVITIES = ("noticing", "advice", "second_assessment", "repeat", "decision", "fitting", "delivery",
                      "pgb", "bridge", "confirmation")
"""The activities with one uniform per patient and provision."""


def spawn_streams(seed_sequence: np.random.SeedSequence) -> dict[str, np.random.Generator]:
    """One generator per random activity, spawned in :data:`STREAMS` order."""
    children = seed_sequence.spawn(len(STREAMS))
    return {name: np.random.default_rng(child) for name, child in zip(STREAMS, children)}


def replication_streams(seed: int, k: int) -> dict[str, np.random.Generator]:
    """The streams of replication ``k`` of base seed ``seed``."""
    return spawn_streams(np.random.SeedSequence(entropy=seed, spawn_key=(k,)))

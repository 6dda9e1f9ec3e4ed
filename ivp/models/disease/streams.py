"""One random stream per random activity of the disease model.

The caller passes one ``numpy.random.Generator`` (or a ``SeedSequence`` or an int seed).
From it the model spawns, always in the same order, one child generator for each activity
in :data:`ACTIVITIES`. Each activity draws a fixed number of variates per patient in a
fixed order, independent of the values drawn, so that changing one part of the model (say
the course) does not change another's draws (say survival), and two profiles that differ in
one field see the same random numbers everywhere else (common random numbers).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

ACTIVITIES = ("population", "survival", "course", "uptake")

DEFAULT_SEED = 20260101
"""The base seed of every command, the app and the README when none is given."""

SeedLike = np.random.Generator | np.random.SeedSequence | int


class Streams(NamedTuple):
    population: np.random.Generator
    survival: np.random.Generator
    course: np.random.Generator
    uptake: np.random.Generator


def spawn_streams(seed: SeedLike) -> Streams:
    """Child generators for the activities, spawned in the order of :data:`ACTIVITIES`.

    A ``Generator`` is advanced (its seed sequence spawns children), so calling this twice
    on the same generator gives two different, reproducible sets of streams.
    """
    if isinstance(seed, np.random.Generator):
        children = seed.spawn(len(ACTIVITIES))
    else:
        sequence = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        children = [np.random.default_rng(s) for s in sequence.spawn(len(ACTIVITIES))]
    return Streams(*children)

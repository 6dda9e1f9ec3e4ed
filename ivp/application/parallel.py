"""Replications beyond one process: sequential, joblib (local cores) or Dask distributed.

A replication is a pure function of ``(scenario, cohort, seed, k)`` (see
:func:`ivp.models.process.run_replication`: replication *k* uses
``SeedSequence(entropy=seed, spawn_key=(k,))``), so results do not depend on where or in
which order replications run. :func:`map_chunks` splits the replication numbers into
chunks, runs ``function(chunk, *args)`` for each chunk where asked, and returns the results
in chunk order: sequential, joblib and Dask give identical results for the same seed.

Each chunk returns small KPI rows, not request frames, so a national run keeps little in
memory and ships little over the network.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np


def chunk(ks: Sequence[int], n_chunks: int) -> list[list[int]]:
    """Split replication numbers into at most ``n_chunks`` contiguous, non-empty chunks."""
    n_chunks = max(1, min(len(ks), n_chunks))
    return [list(map(int, c)) for c in np.array_split(np.asarray(ks, dtype=np.int64), n_chunks) if len(c)]


def map_chunks(
    function: Callable[..., Any],
    replications: int,
    args: tuple = (),
    *,
    n_jobs: int = 1,
    scheduler: Any = None,
    chunk_size: int | None = None,
) -> list[Any]:
    """Run ``function(ks, *args)`` over chunks of ``range(replications)``.

    ``scheduler``: a Dask scheduler address (``tcp://host:8786``) or a
    ``distributed.Client``; then the chunks run on that cluster. Otherwise ``n_jobs``
    processes run them with joblib (``1`` = in this process, ``-1`` = all cores).
    ``chunk_size`` bounds replications per chunk (memory); by default a few chunks per
    worker.
    """
    ks = list(range(replications))
    if not ks:
        return []
    if scheduler is not None:
        return _run_dask(function, ks, args, scheduler, chunk_size)
    if n_jobs == 1:
        size = chunk_size or len(ks)
        return [function(c, *args) for c in chunk(ks, -(-len(ks) // size))]
    from joblib import Parallel, delayed, effective_n_jobs

    workers = effective_n_jobs(n_jobs)
    n_chunks = workers * 2
    if chunk_size:
        n_chunks = max(n_chunks, -(-len(ks) // chunk_size))
    return Parallel(n_jobs=n_jobs)(delayed(function)(c, *args) for c in chunk(ks, n_chunks))


def _run_dask(function, ks, args, scheduler, chunk_size):
    from distributed import Client

    own = not isinstance(scheduler, Client)
    client = Client(scheduler) if own else scheduler
    try:
        workers = max(1, sum(client.nthreads().values()))
        n_chunks = workers * 2
        if chunk_size:
            n_chunks = max(n_chunks, -(-len(ks) // chunk_size))
        futures = [client.submit(function, c, *args, pure=False) for c in chunk(ks, n_chunks)]
        return client.gather(futures)
    finally:
        if own:
            client.close()


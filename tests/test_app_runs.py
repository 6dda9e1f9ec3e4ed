"""The app's run store and runs: bounded by memory, not by count; a run stops when its
session has ended; results are kept only for the inputs that made them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from ivp.application.web import runs


def test_the_store_is_bounded_by_the_memory_its_results_hold():
    store = runs.ResultStore(max_bytes=10_000_000)
    for k in range(10):
        store.put(k, np.zeros(300_000))  # 2.4 MB each
    assert store.bytes <= 10_000_000 and len(store) == 4
    assert store.get(0) is None and store.get(9) is not None  # the least recently used went first
    store.get(6)
    store.put("frame", pd.DataFrame({"x": np.zeros(300_000)}))
    assert store.get(6) is not None and store.get(7) is None


def test_one_result_larger_than_the_bound_is_still_kept_alone():
    store = runs.ResultStore(max_bytes=1_000)
    store.put("a", np.zeros(10))
    store.put("big", np.zeros(10_000))
    assert len(store) == 1 and store.get("big") is not None


def test_approximate_bytes_counts_arrays_frames_and_dataclasses_once():
    a = np.zeros(1000)
    compare = runs.CompareRun(results=(), seconds=1.0, series={"m": [a, a]})
    assert runs.approximate_bytes(compare) >= 8000
    assert runs.approximate_bytes(compare) < 16000  # the shared array counts once


def test_a_run_stops_when_its_session_has_ended(monkeypatch):
    """The progress callback of a run raises once the tab is gone; nothing is stored."""
    monkeypatch.setattr(runs, "_session_alive", lambda: False)
    stopped = []
    monkeypatch.setattr(st, "stop", lambda: stopped.append(True))
    monkeypatch.setattr(st, "progress", lambda *a, **k: type("Bar", (), {"progress": lambda *a, **k: None,
                                                                           "empty": lambda self: None})())
    runs.store().clear()
    reported = []

    def compute(progress):
        for share in (0.25, 0.5, 1.0):
            progress(share)
            reported.append(share)
        return "done"

    assert runs.cached_run(("test", 1), compute, "rekenen") is None
    assert stopped == [True] and reported == [] and runs.store().get(("test", 1)) is None


def test_a_run_in_a_live_session_is_stored(monkeypatch):
    monkeypatch.setattr(runs, "_session_alive", lambda: True)
    monkeypatch.setattr(st, "progress", lambda *a, **k: type("Bar", (), {"progress": lambda *a, **k: None,
                                                                           "empty": lambda self: None})())
    runs.store().clear()
    assert runs.cached_run(("test", 2), lambda progress: progress(1.0) or 42, "rekenen") == 42
    assert runs.cached_run(("test", 2), lambda progress: 0, "rekenen") == 42

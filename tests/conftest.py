"""Test isolation shared by the whole suite."""

import sys

import pytest


@pytest.fixture(autouse=True)
def restore_main_module():
    """Streamlit's AppTest runs app.py as ``__main__`` and leaves it in ``sys.modules``;
    a process spawned later (joblib's loky, Dask's nanny) would then re-run the app while
    it starts. Put the real ``__main__`` back after every test."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main

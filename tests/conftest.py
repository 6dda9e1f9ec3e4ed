"""Test isolation shared by the whole suite."""

import os
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


@pytest.fixture(scope="session")
def postgres_cluster():
    """A throw-away PostgreSQL cluster for the session (tests/helpers/postgres.py); skipped
    where no server is installed, unless the test command requires it."""
    from tests.helpers.postgres import REQUIRE, Cluster, server_bin

    bin_dir = server_bin()
    if bin_dir is None:
        if os.environ.get(REQUIRE) == "require":
            pytest.fail("PostgreSQL's server is not installed (tasks.py test installs Debian's postgresql)")
        pytest.skip("PostgreSQL's server is not installed (python3 tasks.py test installs it)")
    cluster = Cluster(bin_dir)
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def register_url(request, tmp_path):
    """An empty database for a register: a SQLite file, and a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "register.sqlite")
        return
    cluster = request.getfixturevalue("postgres_cluster")
    name = cluster.new_database()
    yield cluster.url(name)
    cluster.drop_database(name)

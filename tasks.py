#!/usr/bin/env python3
"""Set up IVP Planner and run it, from a fresh machine with only Python 3.11+.

    python3 tasks.py app     install what is needed, then start the app on its default case
    python3 tasks.py test    install what is needed (including Debian's chromium for the
                             browser tests and Debian's postgresql for the register's tests
                             on PostgreSQL), then run the whole test suite
    python3 tasks.py lock    re-resolve the pinned versions in constraints.txt from
                             pyproject.toml (in a fresh, temporary environment)

The project installs into ./.venv (created on first use) with the exact versions pinned in
constraints.txt, so a fresh machine gets the versions the tests passed with; a later run only
reinstalls when pyproject.toml or constraints.txt changed. Nothing else on the machine is
touched, except that `test` installs the Debian packages `chromium` and `postgresql` with
apt-get when they are missing and we are root. The tests start their own throw-away
PostgreSQL cluster (tests/helpers/postgres.py) and stop it at the end; no server is left running.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
CONSTRAINTS = ROOT / "constraints.txt"
CHROMIUM = Path("/usr/bin/chromium")
MINIMUM_PYTHON = (3, 11)


def run(*command: str | Path, **kwargs) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], check=True, **kwargs)


def ensure_installed(extras: str) -> None:
    """Create .venv and install the project with ``extras`` unless already up to date."""
    if sys.version_info < MINIMUM_PYTHON:
        sys.exit(f"IVP Planner needs Python {'.'.join(map(str, MINIMUM_PYTHON))} or newer")
    if not PYTHON.exists():
        print(f"Creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + CONSTRAINTS.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".[{extras}]" if extras else "."
    run(PYTHON, "-m", "pip", "install", "--quiet", "-c", CONSTRAINTS, "-e", target, cwd=ROOT)
    stamp.write_text(digest)


def can_apt() -> bool:
    return bool(shutil.which("apt-get")) and hasattr(os, "geteuid") and os.geteuid() == 0


def apt_install(package: str) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "update", "-qq", env=env)
    run("apt-get", "install", "-y", "-qq", "--no-install-recommends", package, env=env)


def ensure_chromium() -> None:
    """Debian's chromium for the Playwright smoke test (Playwright's own download fails here)."""
    if CHROMIUM.exists():
        return
    if can_apt():
        apt_install("chromium")
    else:
        print("chromium is not installed and cannot be installed here (needs root and apt-get);"
              " the browser tests will be skipped.", flush=True)


def postgresql_installed() -> bool:
    return any(Path("/usr/lib/postgresql").glob("*/bin/initdb")) or bool(shutil.which("initdb"))


def ensure_postgresql() -> bool:
    """Debian's PostgreSQL server, for the register's tests on PostgreSQL (each test run
    starts a throw-away cluster of its own). True when it is there."""
    if not postgresql_installed() and can_apt():
        apt_install("postgresql")
    if postgresql_installed():
        return True
    print("PostgreSQL is not installed and cannot be installed here (needs root and apt-get);"
          " the register's PostgreSQL tests will be skipped.", flush=True)
    return False


def app(arguments: list[str]) -> int:
    ensure_installed("")
    command = [
        str(BIN / "streamlit"), "run", str(ROOT / "app.py"),
        "--server.address", "localhost",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        *arguments,
    ]
    print("+", " ".join(command), flush=True)
    return subprocess.call(command, cwd=ROOT)


def test(arguments: list[str]) -> int:
    ensure_installed("test")
    ensure_chromium()
    env = dict(os.environ)
    if ensure_postgresql():  # then a PostgreSQL test that cannot start its cluster fails instead of skipping
        env["IVP_TEST_POSTGRES"] = "require"
    # the whole suite with coverage; its floor is [tool.coverage.report] fail_under in pyproject.toml
    command = [str(PYTHON), "-m", "pytest", "--cov", "--cov-report=term", *arguments]
    print("+", " ".join(command), flush=True)
    return subprocess.call(command, cwd=ROOT, env=env)


def lock(arguments: list[str]) -> int:
    """Resolve pyproject.toml's dependencies (with the test extra) afresh in a temporary
    environment and pin every installed version in constraints.txt."""
    with tempfile.TemporaryDirectory() as folder:
        env = Path(folder) / "venv"
        venv.EnvBuilder(with_pip=True).create(env)
        python = env / ("Scripts" if os.name == "nt" else "bin") / "python"
        run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(python, "-m", "pip", "install", "--quiet", ".[test]", cwd=ROOT)
        frozen = subprocess.run([str(python), "-m", "pip", "freeze", "--exclude-editable"], check=True,
                                capture_output=True, text=True).stdout
    pins = sorted((line for line in frozen.splitlines() if "==" in line and not line.startswith("ivp-planner")),
                  key=str.lower)
    header = ("# Exact versions installed by tasks.py (pip install -c constraints.txt), resolved from\n"
              "# pyproject.toml with the test extra on Python "
              f"{sys.version_info.major}.{sys.version_info.minor}. Regenerate with: python3 tasks.py lock\n")
    CONSTRAINTS.write_text(header + "\n".join(pins) + "\n")
    print(f"wrote {CONSTRAINTS} ({len(pins)} pins)")
    return 0


def main() -> int:
    tasks = {"app": app, "test": test, "lock": lock}
    if len(sys.argv) < 2 or sys.argv[1] not in tasks:
        print(__doc__)
        return 2
    return tasks[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())

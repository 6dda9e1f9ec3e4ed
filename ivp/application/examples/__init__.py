"""The example inputs shipped with IVP Planner: client profiles (``*.yaml``), a
municipality's caseload (``caseload.csv``), local overrides that rent instead of buy
(``huur.csv``) and follow-up visits of a profile (``visits/jong_beenbegin_1.yaml``, ``_2``). The app offers the profiles in its form; the
command line takes them by name (``ivp plan --profile jong_beenbegin``) or as files."""

from __future__ import annotations

from pathlib import Path

from ivp.domain.profile import ClientProfile, load_profile
from ivp.domain.yamlfile import named_file

EXAMPLES_DIR = Path(__file__).parent


def example_path(name: str) -> Path:
    """The shipped example file ``name`` (e.g. ``caseload.csv``)."""
    return EXAMPLES_DIR / name


def profile_names() -> tuple[str, ...]:
    """The names of the example profiles, sorted."""
    return tuple(sorted(path.stem for path in EXAMPLES_DIR.glob("*.yaml")))


def profile_path(name_or_path: str | Path) -> Path:
    """An example profile by name (``jong_beenbegin``) or a profile file."""
    return named_file(name_or_path, EXAMPLES_DIR)


def visit_path(name_or_path: str | Path) -> Path:
    """A shipped example visit by name (``jong_beenbegin_1``) or a visit file."""
    return named_file(name_or_path, EXAMPLES_DIR / "visits")


def caseload_path(name_or_path: str | Path) -> Path:
    """The shipped example caseload by name (``caseload``) or a caseload file."""
    return named_file(name_or_path, EXAMPLES_DIR, suffix=".csv")


def overrides_path(name_or_path: str | Path | None) -> Path | None:
    """Local overrides by the name of a shipped example (``huur``: rent four devices instead
    of buying them) or a file; ``None`` stays ``None``."""
    return None if name_or_path is None else named_file(name_or_path, EXAMPLES_DIR, suffix=".csv")


def load_example_profile(name: str) -> ClientProfile:
    """A shipped example profile by name."""
    return load_profile(profile_path(name))

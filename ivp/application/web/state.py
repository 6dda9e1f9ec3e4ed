"""What a session remembers between pages (in memory only; nothing is written to disk).

Widgets of a page that is not shown lose their state in a multipage app, so what must
outlive a page (the language, the local catalogue overrides, the client profile) lives under
the keys defined here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

OVERRIDES_KEY = "catalog.overrides"
"""(file name, bytes) of the local overrides in use, or absent."""
CUSTOM_SCENARIOS_KEY = "scenarios.custom"
"""[(name, YAML text)] of the scenarios this session validated on the Scenario's page."""
UPLOAD_GENERATION_KEY = "catalog.upload_generation"
"""Bumped to give the override uploader a fresh, empty widget after a reset."""


@dataclass(frozen=True)
class Settings:
    """Knobs the tests turn down: the number of replications the pages run by default."""

    replications: int
    """One client's plan: possible courses (1,000 take about a second)."""
    max_replications: int

    @property
    def compare_replications(self) -> int:
        """Two routes x 100 new patients per replication: a tenth as many replications."""
        return max(2, self.replications // 10)

    @property
    def reserve_replications(self) -> int:
        """A municipality's whole caseload per replication: a fifth as many."""
        return max(2, self.replications // 5)


SETTINGS_OVERRIDE_KEY = "settings.replications"
"""Session-state hook for tests (AppTest): the replications of this session only."""


def settings() -> Settings:
    """Settings, from the environment (``IVP_APP_REPLICATIONS``, ``IVP_APP_MAX_REPLICATIONS``)
    or, for one session, from ``st.session_state["settings.replications"]``.

    The AppTest tests set a small number so that every page renders in a second or two.
    """
    replications = _positive_int("IVP_APP_REPLICATIONS", 1000)
    override = st.session_state.get(SETTINGS_OVERRIDE_KEY)
    if isinstance(override, int) and override > 0:
        replications = override
    maximum = max(replications, _positive_int("IVP_APP_MAX_REPLICATIONS", 5000))
    return Settings(replications=replications, max_replications=maximum)


def _positive_int(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def overrides() -> tuple[str, bytes] | None:
    value = st.session_state.get(OVERRIDES_KEY)
    return value if isinstance(value, tuple) and len(value) == 2 else None


def set_overrides(name: str, data: bytes) -> None:
    st.session_state[OVERRIDES_KEY] = (name, data)


def clear_overrides() -> None:
    st.session_state.pop(OVERRIDES_KEY, None)
    st.session_state[UPLOAD_GENERATION_KEY] = st.session_state.get(UPLOAD_GENERATION_KEY, 0) + 1


def upload_generation() -> int:
    return st.session_state.get(UPLOAD_GENERATION_KEY, 0)


def custom_scenarios() -> list[tuple[str, str]]:
    return list(st.session_state.get(CUSTOM_SCENARIOS_KEY, []))


def add_custom_scenario(name: str, text: str) -> None:
    """Remember a validated scenario for this session (the newest replaces one of the same name)."""
    kept = [(n, body) for n, body in custom_scenarios() if n != name]
    st.session_state[CUSTOM_SCENARIOS_KEY] = [*kept, (name, text)][-5:]

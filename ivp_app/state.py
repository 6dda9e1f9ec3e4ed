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
UPLOAD_GENERATION_KEY = "catalog.upload_generation"
"""Bumped to give the override uploader a fresh, empty widget after a reset."""


@dataclass(frozen=True)
class Settings:
    """Knobs the tests turn down: the number of replications the pages run by default."""

    replications: int
    max_replications: int


def settings() -> Settings:
    """Settings, from the environment (``IVP_APP_REPLICATIONS``, ``IVP_APP_MAX_REPLICATIONS``).

    The test suite sets small numbers so that every page renders in a second or two.
    """
    replications = _positive_int("IVP_APP_REPLICATIONS", 200)
    maximum = max(replications, _positive_int("IVP_APP_MAX_REPLICATIONS", 2000))
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

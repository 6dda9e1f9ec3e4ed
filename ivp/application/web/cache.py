"""The pages' only door to the libraries: cached calls keyed on validated inputs.

Results are cached in memory (never on disk), keyed on the inputs' content: a catalogue by
the bytes of its override file, a profile or scenario by its frozen pydantic model. A cached
call that refuses its input raises :class:`ivp.domain.errors.InputError` every time (exceptions
are not cached), which the page shows with :func:`ivp.application.web.ui.guard`.
"""

from __future__ import annotations

import io

import streamlit as st

from ivp.application.web import state
from ivp.domain import catalog as _catalog

_CACHE_ENTRIES = 32


@st.cache_resource(max_entries=_CACHE_ENTRIES, show_spinner=False)
def _catalog_with(overrides_name: str | None, overrides: bytes | None) -> _catalog.Catalog:
    # cache_resource, not cache_data: a Catalog holds a read-only mapping that does not
    # pickle, and it is immutable, so sharing the object is safe.
    if overrides is None:
        return _catalog.load_catalog()
    return _catalog.load_catalog(overrides=io.BytesIO(overrides), overrides_name=overrides_name)


def load_catalog(overrides_name: str | None = None, overrides: bytes | None = None) -> _catalog.Catalog:
    """The catalogue with the given override file applied (raises InputError when refused)."""
    return _catalog_with(overrides_name, overrides)


def effective_catalog() -> _catalog.Catalog:
    """The catalogue in use in this session: the protocol's, with the session's overrides."""
    current = state.overrides()
    if current is None:
        return _catalog_with(None, None)
    return _catalog_with(*current)


@st.cache_resource(show_spinner=False)
def norms() -> _catalog.ProcessNorms:
    return _catalog.load_norms()

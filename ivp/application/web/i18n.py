"""The app's language: every text it shows comes from the message catalogues
(:mod:`ivp.domain.messages`, ``ivp/locale/*.po``) in the language chosen in the sidebar
(Dutch until the user switches).

``t(key, **values)`` is a catalogue text; ``word(kind, code)`` the word for a code of the
catalogue or the model (``word("reuse", "herinzetbaar")``); ``problem_message`` a refused
input's problem, made from its code and parameters.
"""

from __future__ import annotations

import itertools

import streamlit as st

from ivp.domain.errors import Problem
from ivp.domain.messages import LANGS, Lang, has_text, text

LANG_KEY = "lang"
LANG_NAMES = {"nl": "Nederlands", "en": "English"}
__all__ = ["LANGS", "LANG_KEY", "LANG_NAMES", "lang", "pick", "problem_message", "sources", "t", "word"]


def lang() -> Lang:
    """The language chosen in the sidebar (Dutch until the user switches)."""
    value = st.session_state.get(LANG_KEY, "nl")
    return value if value in LANGS else "nl"


def t(key: str, **values: object) -> str:
    """The text ``key`` in the current language, with ``{placeholders}`` filled in."""
    return text(key, lang(), **values)


def pick(nl: str, en: str) -> str:
    """One of two texts that come from data (e.g. ``name_nl`` / ``name_en``)."""
    return en if lang() == "en" else nl


def word(kind: str, code: str) -> str:
    """The word for ``code`` of a kind (``financier``, ``reuse``, ``chain``, ``onset``,
    ``norm``...) in the current language; the code itself when the catalogue has none."""
    key = f"{kind}.{code}"
    return text(key, lang()) if has_text(key) else code


def sources(group: str) -> list[tuple[str, str]]:
    """The sources of a group (``document``, ``figure``, ``method``): (citation, role)."""
    out = []
    for i in itertools.count(1):
        key = f"source.{group}.{i}"
        if not has_text(f"{key}.citation"):
            return out
        out.append((t(f"{key}.citation"), t(f"{key}.role")))


def problem_message(problem: Problem) -> str:
    """Why an input was refused, in the current language."""
    return problem.text(lang())

"""The message catalogues: every text IVP Planner shows a user, in Dutch and English.

The texts live in gettext catalogues, ``ivp/locale/nl.po`` and ``ivp/locale/en.po``, read
with babel: the message id is a key (``plan.title``, ``problem.not_a_number``), the message
string the text, with ``{placeholders}`` that :func:`text` fills in. Dutch is the default
language. The catalogues are data: translators edit them with any .po editor; a test checks
that both languages have the same keys and that every key is used.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Literal

from babel.messages.pofile import read_po

Lang = Literal["nl", "en"]
LANGS: tuple[Lang, ...] = ("nl", "en")
DEFAULT_LANG: Lang = "nl"


@lru_cache(maxsize=None)
def catalogue(lang: Lang) -> dict[str, str]:
    """Key -> text of one language's catalogue."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (one of {', '.join(LANGS)})")
    with resources.files("ivp").joinpath("locale", f"{lang}.po").open("rb") as handle:
        po = read_po(handle)
    return {message.id: message.string for message in po if message.id}


def has_text(key: str, lang: Lang = DEFAULT_LANG) -> bool:
    return key in catalogue(lang)


def text(key: str, lang: Lang = DEFAULT_LANG, /, **values: object) -> str:
    """The text ``key`` in ``lang`` with its ``{placeholders}`` filled in; ``KeyError`` for
    a key that no catalogue has (a programming error, caught by the tests)."""
    template = catalogue(lang)[key]
    return template.format(**values) if values else template

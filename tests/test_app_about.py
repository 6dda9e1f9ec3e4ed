"""The Over page: claims, the model in short, every source, the version."""

from __future__ import annotations

import ivp
from tests.helpers.apptest import open_app, texts


def test_about_says_what_it_claims_and_cites_its_sources():
    at = open_app("about")
    assert not at.exception
    shown = texts(at)
    assert "geen medisch hulpmiddel" in shown
    assert "advies van de ergotherapeut of revalidatiearts" in shown
    for source in ("ALS protocol hulpmiddelen", "Landelijk normenkader", "Westeneng", "Huisman", "Gebrehiwet",
                   "van Eijk", "Wmo 2015", "STRESS"):
        assert source in shown, source
    assert ivp.__version__ in shown
    assert "34 voorzieningen van de tabellen van het protocol en 1" in shown


def test_about_in_english():
    at = open_app("about", lang="en")
    shown = texts(at)
    assert "not a medical device" in shown
    assert f"IVP Planner {ivp.__version__}" in shown

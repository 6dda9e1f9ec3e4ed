"""The message catalogues (ivp/locale/*.po): both languages have the same keys and the same
placeholders, every key the code asks for exists, every key in the catalogues is used, and a
refused input's problem reads in either language from its code and parameters."""

import ast
import re
from pathlib import Path

import pytest

from ivp.domain.errors import PYDANTIC_CODES, InputError, Problem
from ivp.domain.messages import catalogue, text

ROOT = Path(__file__).resolve().parents[1]
CODE = [ROOT / "app.py", *sorted((ROOT / "ivp").rglob("*.py"))]
PLACEHOLDER = re.compile(r"{(\w+)(?:[:!][^}]*)?}")


def _strings():
    """Every string literal of the product code, and the constant start of every f-string."""
    literals, prefixes = set(), set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                prefixes.add(node.values[0].value)
    return literals, prefixes


LITERALS, PREFIXES = _strings()


def test_both_languages_have_the_same_keys_and_placeholders():
    nl, en = catalogue("nl"), catalogue("en")
    assert set(nl) == set(en), sorted(set(nl) ^ set(en))
    for key in nl:
        assert nl[key].strip() and en[key].strip(), key
        assert set(PLACEHOLDER.findall(nl[key])) == set(PLACEHOLDER.findall(en[key])), key


def test_every_key_asked_for_exists():
    asked = set()
    for path in CODE:
        source = path.read_text(encoding="utf-8")
        asked |= set(re.findall(r"""\b(?:t|text|has_text|say)\(\s*["']([a-z_]+\.[\w.]+)["']""", source))
    asked |= {f"problem.{code}" for code in PYDANTIC_CODES.values()}
    missing = asked - set(catalogue("nl"))
    assert not missing, sorted(missing)


def _used(key: str) -> bool:
    if key in LITERALS or any(prefix and key.startswith(prefix) for prefix in PREFIXES if prefix.count(".")):
        return True
    kind, _, rest = key.partition(".")
    if kind == "problem":  # a problem code, passed as a literal to Problem, InputError.single, custom_error
        return rest in LITERALS or rest.partition(".")[0] + "." in PREFIXES or rest in PYDANTIC_CODES.values()
    return kind in WORDS and rest in WORDS[kind]  # word(kind, code) for a code of the data


def _vocabulary() -> dict[str, set[str]]:
    """The codes of the catalogue, the norms and the profile that the app shows as words."""
    from ivp.domain.catalog import FINANCIERS, REUSE_CLASSES, load_catalog, load_norms
    from ivp.domain.catalog.schema import OVERRIDABLE_FIELDS
    from ivp.domain.profile import OnsetSite
    from ivp.domain.visit import ALSFRS_R_ITEMS
    from ivp.models.process.scenario import DELIVERY_KINDS

    norms = load_norms()
    names = type(norms).model_fields
    return {
        "financier": set(FINANCIERS), "financier_short": set(FINANCIERS), "reuse": set(REUSE_CLASSES),
        "chain": {p.chain for p in load_catalog()}, "delivery": set(DELIVERY_KINDS),
        "onset": {s.value for s in OnsetSite}, "norm": set(names),
        "event": {getattr(norms, n).after for n in names}, "unit": {getattr(norms, n).unit for n in names},
        "field": {"id", "name_nl", *OVERRIDABLE_FIELDS}, "alsfrs_item": set(ALSFRS_R_ITEMS),
    }


WORDS = _vocabulary()


def test_every_code_the_app_shows_as_a_word_has_one():
    missing = [f"{kind}.{code}" for kind, codes in WORDS.items() for code in codes if f"{kind}.{code}" not in catalogue("nl")]
    assert not missing, missing


def test_every_key_in_the_catalogues_is_used():
    unused = [key for key in catalogue("nl") if not _used(key)]
    assert not unused, unused


def test_the_unused_check_can_fail():
    assert not _used("plan.this_key_is_nowhere")


def test_a_problem_reads_in_both_languages_from_its_code():
    problem = Problem("caseload.csv", "count", "at_least", {"ge": 0, "got": -1}, row=3)
    assert problem.text("en") == "must be at least 0 (got -1)"
    assert problem.text("nl") == "moet minstens 0 zijn (gegeven: -1)"
    assert str(problem) == "caseload.csv, row 3, field 'count': must be at least 0 (got -1)"
    assert problem.where("nl") == "caseload.csv, rij 3, veld 'count'"


def test_a_pydantic_error_becomes_a_problem_with_our_code():
    from ivp.domain.profile import make_profile

    with pytest.raises(InputError) as caught:
        make_profile(age_at_onset=150, fvc_percent="veel", onset_site="voet")
    by_field = {p.field: p for p in caught.value.problems}
    assert by_field["age_at_onset"].code == "out_of_range.age_at_onset"
    assert by_field["fvc_percent"].code == "not_a_number"
    assert by_field["onset_site"].code == "one_of"
    assert "tussen 18 en 100 jaar" in by_field["age_at_onset"].text("nl")
    assert all("Input should" not in p.text("nl") for p in caught.value.problems)


def test_a_refused_value_is_shown_only_as_an_excerpt():
    from ivp.domain.profile import make_profile

    with pytest.raises(InputError) as caught:
        make_profile(onset_site="x" * 100_000)
    assert len(str(caught.value)) < 400


def test_text_fills_placeholders():
    assert text("problem.at_least", "en", ge=1, got=0) == "must be at least 1 (got 0)"

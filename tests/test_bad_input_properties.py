"""Generated inputs (hypothesis): whatever YAML or CSV a user gives - aliases, deep nesting,
other encodings, extra cells, huge or odd numbers - a loader either returns a valid object or
raises an InputError naming the file; never another exception, never a hang."""

from __future__ import annotations

import io

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivp.application.caseload import load_caseload
from ivp.domain.catalog import load_catalog
from ivp.domain.errors import InputError
from ivp.domain.profile import load_profile
from ivp.models.process import parse_scenario
from ivp.models.process.scenario import SHIPPED_DIR

ODD_NUMBERS = st.sampled_from([0, -1, 1e300, -1e300, float("inf"), float("nan"), 10**30, 2**63, 0.5, True, False])
SCALARS = st.one_of(ODD_NUMBERS, st.integers(), st.floats(allow_nan=True), st.text(max_size=30), st.none(),
                    st.dates())
KEYS = st.one_of(st.sampled_from(["age_at_onset", "dfs", "diagnosis_date", "onset_site", "routes", "wmo", "advice",
                                  "dist", "werkdagen", "name", "policy", "melding", "death", "notice"]),
                 st.text(max_size=12))
DATA = st.recursive(SCALARS, lambda children: st.one_of(st.lists(children, max_size=4),
                                                        st.dictionaries(KEYS, children, max_size=5)),
                    max_leaves=25)
ENCODINGS = st.sampled_from(["utf-8", "utf-16", "latin-1", "utf-8-sig"])
pytestmark = pytest.mark.slow  # about a minute in all

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def yaml_bytes(data, encoding: str, alias_depth: int) -> bytes:
    """``data`` as YAML, with ``alias_depth`` levels of nested aliases prepended."""
    text = yaml.safe_dump({"value": data}, allow_unicode=True)
    if alias_depth:
        anchors = ["a0: &a0 [x, x, x, x, x, x, x, x]"]
        anchors += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 8)}]" for i in range(1, alias_depth)]
        text = "\n".join(anchors) + "\n" + text
    return text.encode(encoding, errors="replace")


@FAST
@given(data=DATA, encoding=ENCODINGS, alias_depth=st.integers(0, 9))
def test_any_yaml_profile_is_loaded_or_refused(tmp_path_factory, data, encoding, alias_depth):
    path = tmp_path_factory.mktemp("p") / "p.yaml"
    path.write_bytes(yaml_bytes(data, encoding, alias_depth))
    try:
        load_profile(path)
    except InputError as error:
        assert all(p.source == "p.yaml" for p in error.problems)


@FAST
@given(data=st.dictionaries(KEYS, DATA, max_size=6), nesting=st.integers(0, 3000))
def test_any_mapping_as_a_profile_or_scenario_is_loaded_or_refused(tmp_path_factory, data, nesting):
    path = tmp_path_factory.mktemp("p") / "p.yaml"
    text = yaml.safe_dump(data, allow_unicode=True) + ("deep: " + "[" * nesting + "]" * nesting + "\n" if nesting else "")
    path.write_text(text, encoding="utf-8")
    for load in (load_profile, lambda p: parse_scenario(yaml.safe_load(SHIPPED_DIR.joinpath("protocol.yaml").read_text())
                                                         | {k: v for k, v in data.items() if isinstance(k, str)})):
        try:
            load(path)
        except InputError:
            pass


CELLS = st.one_of(st.sampled_from(["traplift", "spalken", "1e30", "-5", "12,0", "12.000", "6500", "", "nan", "inf",
                                   "ja", "2025-03-01", "31-02-2025", "1000000", "10000000000000000000000"]),
                  st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=15))
ROWS = st.lists(st.lists(CELLS, min_size=0, max_size=9), max_size=8)


def csv_bytes(header: list[str], rows: list[list[str]], delimiter: str, encoding: str) -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(c.replace(delimiter, " ").replace("\n", " ") for c in row)
                                        for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding, errors="replace")


@FAST
@given(rows=ROWS, delimiter=st.sampled_from([",", ";"]), encoding=ENCODINGS,
       header=st.sampled_from([["id", "cost_eur"], ["id", "cost_eur", "sla_supplier"], ["id"], ["cost_eur", "id", "x"]]))
def test_any_override_table_is_loaded_or_refused(rows, delimiter, encoding, header):
    try:
        load_catalog(overrides=io.BytesIO(csv_bytes(header, rows, delimiter, encoding)), overrides_name="o.csv")
    except InputError as error:
        assert all(p.source == "o.csv" for p in error.problems)


@FAST
@given(rows=ROWS, delimiter=st.sampled_from([",", ";"]), encoding=ENCODINGS)
def test_any_caseload_table_is_loaded_or_refused(rows, delimiter, encoding):
    header = ["client_id", "diagnosis_date", "count", "age_at_onset", "onset_site", "dfs"]
    source = io.BytesIO(csv_bytes(header, rows, delimiter, encoding))
    try:
        caseload = load_caseload(source, name="c.csv")
    except InputError as error:
        assert all(p.source == "c.csv" for p in error.problems)
    else:
        assert len(caseload) <= 10_000

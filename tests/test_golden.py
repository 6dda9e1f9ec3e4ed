"""Golden tables (tools/golden.py): the shipped scenarios' KPIs, compared exactly.

A refactor leaves them byte-identical; a change to what the model computes regenerates them
with ``.venv/bin/python -m tools.golden`` in its own commit, saying why.
"""

import pytest

from tools import golden


@pytest.mark.parametrize(("use", "name", "seed"), list(golden.all_tables()))
def test_golden_table(use, name, seed):
    path = golden.path_of(use, name, seed)
    assert path.exists(), f"{path.name} is missing: run python -m tools.golden"
    assert golden.table_text(use, name, seed) == path.read_text(encoding="utf-8"), (
        f"{path.name} changed: if the model was meant to change, regenerate with python -m tools.golden "
        "in its own commit and say why")


def test_golden_detects_a_change(monkeypatch):
    """The comparison can fail: one more patient per replication changes the table."""
    text = golden.table_text("new_patients", "protocol", 1)
    monkeypatch.setattr(golden, "PATIENTS", golden.PATIENTS + 1)
    assert golden.table_text("new_patients", "protocol", 1) != text

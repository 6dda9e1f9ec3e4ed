"""Caseload files: the example loads; every kind of bad input names file, row and field."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from ivp.application.caseload import load_caseload
from ivp.application.examples import EXAMPLES_DIR
from ivp.domain.errors import InputError

EXAMPLE = EXAMPLES_DIR / "caseload.csv"
AS_OF = dt.date(2026, 11, 1)
HEADER = "client_id,diagnosis_date,count,provisions_in_use,age_at_onset,onset_site,has_van\n"


def load(text: str, name: str = "clients.csv", **kwargs):
    return load_caseload(io.BytesIO(text.encode("utf-8")), name=name, as_of=kwargs.pop("as_of", AS_OF), **kwargs)


def refused(text: str, **kwargs) -> InputError:
    with pytest.raises(InputError) as caught:
        load(text, **kwargs)
    return caught.value


def only(error: InputError):
    assert len(error.problems) == 1, error.problems
    return error.problems[0]


def test_the_example_caseload_loads():
    caseload = load_caseload(EXAMPLE, as_of=AS_OF)
    ids = [c.client_id for c in caseload.clients]
    assert "GROEP-2026#1" in ids and "GROEP-2026#2" in ids  # count 2 expands into two clients
    assert len(set(ids)) == len(ids)
    first = caseload.clients[0]
    assert first.profile.onset_site.value == "legs" and first.profile.has_van is False
    assert first.profile.diagnosis_date == first.diagnosis_date
    assert caseload.in_use()[first.client_id] == ("traplift", "elektrische_rolstoel")
    dutch = next(c for c in caseload.clients if c.client_id == "WMO-2025-021")
    assert dutch.diagnosis_date == dt.date(2025, 7, 14)  # 14-07-2025, Dutch order
    assert len(caseload.existing_clients()) == len(caseload)


def test_an_unknown_provision_is_refused_naming_row_and_field():
    problem = only(refused(HEADER + "a,2025-01-01,,traplift;vliegtuig,,,\n"))
    assert (problem.source, problem.row, problem.field) == ("clients.csv", 2, "provisions_in_use")
    assert "vliegtuig" in problem.message


def test_a_negative_count_is_refused():
    problem = only(refused(HEADER + "a,2025-01-01,1,,,,\nb,2025-01-01,-3,,,,\n"))
    assert (problem.row, problem.field) == (3, "count")
    assert problem.code == "at_least" and "at least 0" in problem.message


def test_a_fractional_count_is_refused():
    problem = only(refused(HEADER + "a,2025-01-01,1.5,,,,\n"))
    assert (problem.row, problem.field) == (2, "count")


def test_a_date_in_the_future_is_refused():
    problem = only(refused(HEADER + "a,2027-01-01,,,,,\n"))
    assert (problem.row, problem.field) == (2, "diagnosis_date")
    assert "future" in problem.message


def test_a_date_that_is_not_a_date_is_refused():
    problem = only(refused(HEADER + "a,31-02-2025,,,,,\n"))
    assert (problem.row, problem.field) == (2, "diagnosis_date")
    assert "not a date" in problem.message


def test_duplicate_client_ids_are_refused_naming_both_rows():
    problem = only(refused(HEADER + "a,2025-01-01,,,,,\nb,2025-01-01,,,,,\na,2025-02-01,,,,,\n"))
    assert (problem.row, problem.field) == (4, "client_id")
    assert "first on row 2" in problem.message


def test_wrong_columns_are_refused_on_the_header_row():
    error = refused("klant,datum\n1,2025-01-01\n")
    fields = {(p.row, p.field) for p in error.problems}
    assert (1, "client_id") in fields and (1, "diagnosis_date") in fields and (1, "klant") in fields


def test_a_bad_profile_value_is_refused_naming_the_field():
    error = refused(HEADER + "a,2025-01-01,,,12,,\nb,2025-01-01,,,60,neus,\nc,2025-01-01,,,60,legs,misschien\n")
    found = {(p.row, p.field) for p in error.problems}
    assert found == {(2, "age_at_onset"), (3, "onset_site"), (4, "has_van")}


def test_all_problems_come_together_and_nothing_is_loaded_half():
    error = refused(HEADER + "a,2027-01-01,-1,fiets,,,\n")
    assert {p.field for p in error.problems} == {"diagnosis_date", "count", "provisions_in_use"}


def test_dutch_words_and_excel_files_are_accepted(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["client_id", "diagnosis_date", "onset_site", "lives_alone", "count"])
    sheet.append([1017, dt.datetime(2025, 3, 14), "bulbair", "ja", 0])
    sheet.append(["x", dt.datetime(2025, 3, 15), "benen", "nee", None])
    path = tmp_path / "clients.xlsx"
    book.save(path)
    caseload = load_caseload(path, as_of=AS_OF)
    assert [c.client_id for c in caseload.clients] == ["x"]  # count 0: the row stands for nobody
    assert caseload.clients[0].profile.onset_site.value == "legs"


def test_an_empty_caseload_is_no_error():
    assert len(load("client_id,diagnosis_date\n")) == 0

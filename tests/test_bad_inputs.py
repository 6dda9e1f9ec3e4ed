"""Every bad input of issue 13, refused cleanly: exit code 2, a message naming the file (or
the option) and the field, no traceback, no output file left behind, and no hang (each case
runs under an alarm).

The table lists each case once: the files it writes into a fresh folder, the command, and
what the message must name. ``tests/test_bad_input_properties.py`` adds generated inputs.
"""

from __future__ import annotations

import errno
import os
import signal
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from ivp.application.cli import options, outputs
from ivp.application.cli.main import app
from ivp.application.examples import EXAMPLES_DIR
from ivp.domain.errors import InputError
from ivp.models.process import Executor
from ivp.models.process.runner import MAX_BATCH_CELLS
from ivp.models.process.scenario import SHIPPED_DIR

SECONDS = 60
"""A case that takes longer is a hang (the alarm fails it)."""

PROFILE = "".join(line for line in (EXAMPLES_DIR / "langzaam.yaml").read_text(encoding="utf-8").splitlines(True)
                  if not line.startswith("diagnosis_date"))
SCENARIO = (SHIPPED_DIR / "current_practice.yaml").read_text(encoding="utf-8")
CASELOAD_HEADER = "client_id,diagnosis_date,count,age_at_onset\n"
BOMB = "\n".join(["a: &a [x, x, x, x, x, x, x, x, x]"]
                 + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)])


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    args: tuple[str, ...]
    names: tuple[str, ...]  # texts the message must contain (file or option, field)
    files: dict[str, object] = field(default_factory=dict)  # name -> text, bytes, or a writer(path)
    outputs: tuple[str, ...] = ()  # files that must not exist afterwards


def _formula_workbook(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "cost_eur"])
    sheet.append(["traplift", "=1+1"])  # openpyxl saves no cached value
    book.save(path)


def _folder(path: Path) -> None:
    path.mkdir()


def _scenario(old: str, new: str) -> str:
    assert old in SCENARIO, old
    return SCENARIO.replace(old, new, 1)


PLAN = ("plan", "--replications", "20", "--profile", "p.yaml")
SIMULATE = ("simulate", "--replications", "2", "--patients", "5", "--scenario", "s.yaml")
RESERVE = ("reserve", "--inwoners", "50000", "--years", "2", "--replications", "2", "--start", "2027-01-01")
CATALOG = ("catalog", "--overrides")

CASES = [
    # --- profile (YAML) --------------------------------------------------------------------
    Case("profile-alias-bomb", "profile", PLAN, ("p.yaml", "too many values"), {"p.yaml": BOMB}),
    Case("profile-nested-20000", "profile", PLAN, ("p.yaml", "nested too deeply"),
         {"p.yaml": "a: " + "[" * 20_000 + "]" * 20_000}),
    Case("profile-duplicate-key", "profile", PLAN, ("p.yaml", "age_at_onset", "twice"),
         {"p.yaml": PROFILE + "\nage_at_onset: 70\n"}),
    Case("profile-bool-as-number", "profile", PLAN, ("p.yaml", "dfs", "yes/no"),
         {"p.yaml": PROFILE.replace("dfs: 0.17", "dfs: true")}),
    Case("profile-integer-as-date", "profile", PLAN, ("p.yaml", "diagnosis_date", "number"),
         {"p.yaml": PROFILE + "\ndiagnosis_date: 1700000000\n"}),
    Case("profile-unix-time-as-date", "profile", PLAN, ("p.yaml", "diagnosis_date", "number"),
         {"p.yaml": PROFILE + "\ndiagnosis_date: 1704067200\n"}),
    Case("profile-date-1899", "profile", PLAN, ("p.yaml", "diagnosis_date", "calendar"),
         {"p.yaml": PROFILE + "\ndiagnosis_date: 1899-01-01\n"}),
    Case("profile-date-2150", "profile", PLAN, ("p.yaml", "diagnosis_date", "calendar"),
         {"p.yaml": PROFILE + "\ndiagnosis_date: 2150-01-01\n"}),
    Case("profile-dev-zero", "profile", ("plan", "--replications", "20", "--profile", "/dev/zero"),
         ("zero", "not a regular file")),
    Case("profile-folder", "profile", PLAN[:-1] + ("d.yaml",), ("d.yaml", "folder"), {"d.yaml": _folder}),
    Case("profile-binary", "profile", PLAN, ("p.yaml", "UTF-8"), {"p.yaml": bytes(range(256)) * 4}),
    Case("profile-20-MB-value", "profile", PLAN, ("p.yaml", "too large"), {"p.yaml": "dfs: '" + "9" * 20_000_000 + "'"}),
    Case("profile-latin-1", "profile", PLAN, ("p.yaml", "UTF-8"), {"p.yaml": "onset_site: 'bénen'\n".encode("latin-1")}),
    Case("profile-list", "profile", PLAN, ("p.yaml", "mapping"), {"p.yaml": "- 1\n- 2\n"}),
    Case("profile-infinite", "profile", PLAN, ("p.yaml", "dfs"), {"p.yaml": PROFILE.replace("dfs: 0.17", "dfs: .inf")}),
    Case("profile-nan", "profile", PLAN, ("p.yaml", "dfs"), {"p.yaml": PROFILE.replace("dfs: 0.17", "dfs: .nan")}),
    Case("profile-age-1e300", "profile", PLAN, ("p.yaml", "age_at_onset"),
         {"p.yaml": PROFILE.replace("age_at_onset: 55", "age_at_onset: 1e300")}),
    # --- scenario (YAML) -------------------------------------------------------------------
    Case("scenario-werkdagen-1e300", "scenario", SIMULATE, ("s.yaml", "death.notice", "not plausible"),
         {"s.yaml": _scenario("notice: {dist: triangular, low: 1, mode: 5, high: 10}",
                              "notice: {dist: fixed, werkdagen: 1e300}")}),
    Case("scenario-incidence-inf", "scenario", RESERVE + ("--scenario", "s.yaml"),
         ("s.yaml", "incidence.per_100k_per_year"),
         {"s.yaml": _scenario("per_100k_per_year: 2.77", "per_100k_per_year: .inf")}),
    Case("scenario-incidence-1e7", "scenario", RESERVE + ("--scenario", "s.yaml"),
         ("s.yaml", "incidence.per_100k_per_year", "implausibly large"),
         {"s.yaml": _scenario("per_100k_per_year: 2.77", "per_100k_per_year: 1e7")}),
    Case("scenario-depot-stock-1e9", "scenario", RESERVE + ("--scenario", "s.yaml"),
         ("s.yaml", "depot.initial_stock", "implausibly large"),
         {"s.yaml": _scenario("  enabled: false\n", "  enabled: false\n  initial_stock: {traplift: 1000000000}\n")}),
    Case("scenario-start-1899", "scenario", SIMULATE, ("s.yaml", "population.start_date", "calendar"),
         {"s.yaml": _scenario("start_date: 2026-01-01", "start_date: 1899-01-01")}),
    Case("scenario-start-2150", "scenario", SIMULATE, ("s.yaml", "population.start_date", "calendar"),
         {"s.yaml": _scenario("start_date: 2026-01-01", "start_date: 2150-01-01")}),
    Case("scenario-duplicate-key", "scenario", SIMULATE, ("s.yaml", "policy", "twice"),
         {"s.yaml": SCENARIO + "\npolicy: protocol\n"}),
    Case("scenario-alias-bomb", "scenario", SIMULATE, ("s.yaml", "too many values"), {"s.yaml": BOMB}),
    Case("scenario-unknown-key", "scenario", SIMULATE, ("s.yaml", "routes.wmo.advise"),
         {"s.yaml": _scenario("  wmo:\n", "  wmo:\n    advise: {dist: fixed, werkdagen: 3}\n")}),
    Case("scenario-missing", "scenario", SIMULATE[:-1] + ("nergens.yaml",), ("nergens.yaml", "not found")),
    # --- catalogue overrides (CSV / Excel) -------------------------------------------------
    Case("overrides-extra-cells", "overrides", CATALOG + ("o.csv",), ("o.csv", "row 2", "extra values"),
         {"o.csv": "id,cost_eur\ntraplift,6500,50\n"}),
    Case("overrides-cost-1e30", "overrides", CATALOG + ("o.csv",), ("o.csv", "row 2", "cost_eur"),
         {"o.csv": "id,cost_eur\ntraplift,1e30\n"}),
    Case("overrides-cost-31-digits", "overrides", CATALOG + ("o.csv",), ("o.csv", "row 2", "cost_eur"),
         {"o.csv": "id,cost_eur\ntraplift,1" + "0" * 30 + "\n"}),
    Case("overrides-thousands", "overrides", CATALOG + ("o.csv",), ("o.csv", "row 2", "cost_eur"),
         {"o.csv": "id,cost_eur\ntraplift,12.000\n"}),
    Case("overrides-folder", "overrides", CATALOG + ("o.csv",), ("o.csv", "folder"), {"o.csv": _folder}),
    Case("overrides-empty", "overrides", CATALOG + ("o.csv",), ("o.csv", "empty"), {"o.csv": ""}),
    Case("overrides-header-only", "overrides", CATALOG + ("o.csv",), ("o.csv", "header"), {"o.csv": "id,cost_eur\n"}),
    Case("overrides-unknown-id", "overrides", CATALOG + ("o.csv",), ("o.csv", "row 2", "id"),
         {"o.csv": "id,cost_eur\nvliegtuig,6500\n"}),
    Case("overrides-negative", "overrides", CATALOG + ("o.csv",), ("o.csv", "row 2", "cost_eur"),
         {"o.csv": "id,cost_eur\ntraplift,-5\n"}),
    Case("overrides-latin-1", "overrides", CATALOG + ("o.csv",), ("o.csv", "UTF-8"),
         {"o.csv": "id,name_nl\ntraplift,Trap-lift é\n".encode("latin-1")}),
    Case("overrides-formula", "overrides", CATALOG + ("o.xlsx",), ("o.xlsx", "row 2", "cost_eur", "formula"),
         {"o.xlsx": _formula_workbook}),
    Case("overrides-fake-workbook", "overrides", CATALOG + ("o.xlsx",), ("o.xlsx", "workbook"),
         {"o.xlsx": "id,cost_eur\ntraplift,6500\n"}),
    # --- caseload (CSV) --------------------------------------------------------------------
    Case("caseload-count-million", "caseload", RESERVE + ("--caseload", "c.csv"), ("c.csv", "row 2", "count"),
         {"c.csv": CASELOAD_HEADER + "A-1,2025-03-01,1000000,60\n"}),
    Case("caseload-extra-cells", "caseload", RESERVE + ("--caseload", "c.csv"), ("c.csv", "row 2", "extra values"),
         {"c.csv": CASELOAD_HEADER + "A-1,2025-03-01,1,60,legs,ja,nee\n"}),
    Case("caseload-date-1899", "caseload", RESERVE + ("--caseload", "c.csv"), ("c.csv", "row 2", "diagnosis_date"),
         {"c.csv": CASELOAD_HEADER + "A-1,1899-03-01,1,60\n"}),
    Case("caseload-date-future", "caseload", RESERVE + ("--caseload", "c.csv"), ("c.csv", "row 2", "diagnosis_date"),
         {"c.csv": CASELOAD_HEADER + "A-1,2150-03-01,1,60\n"}),
    Case("caseload-bad-date", "caseload", RESERVE + ("--caseload", "c.csv"), ("c.csv", "row 2", "diagnosis_date"),
         {"c.csv": CASELOAD_HEADER + "A-1,31-02-2025,1,60\n"}),
    Case("caseload-missing-column", "caseload", RESERVE + ("--caseload", "c.csv"), ("c.csv", "diagnosis_date"),
         {"c.csv": "client_id,count\nA-1,1\n"}),
    Case("caseload-negative-count", "caseload", RESERVE + ("--caseload", "c.csv"), ("c.csv", "row 2", "count"),
         {"c.csv": CASELOAD_HEADER + "A-1,2025-03-01,-3,60\n"}),
    # --- options ---------------------------------------------------------------------------
    Case("option-seed-negative", "options", ("simulate", "--replications", "2", "--patients", "5", "--seed", "-1"),
         ("--seed",)),
    Case("option-jobs-zero", "options", ("simulate", "--replications", "2", "--patients", "5", "--jobs", "0"),
         ("--jobs",)),
    Case("option-scheduler-garbage", "options", RESERVE + ("--scheduler", "garbage"), ("--scheduler", "garbage")),
    Case("option-start-2099", "options", ("reserve", "--inwoners", "50000", "--years", "5", "--start", "2099-01-01",
                                          "--replications", "2"), ("--years", "calendar")),
    Case("option-start-1899", "options", ("reserve", "--inwoners", "50000", "--years", "5", "--start", "1899-01-01",
                                          "--replications", "2"), ("--start", "calendar")),
    Case("option-years-200", "options", ("reserve", "--inwoners", "50000", "--years", "200", "--replications", "2"),
         ("--years",)),
    Case("option-inhabitants-huge", "options", ("reserve", "--inwoners", "900000000", "--years", "2"), ("--inwoners",)),
    Case("option-replications-zero", "options", ("simulate", "--replications", "0"), ("--replications",)),
    Case("option-large-run-needs-yes", "options", ("simulate", "--replications", "20000", "--patients", "200"),
         ("--yes", "4.000.000", "1.000.000")),
    Case("option-large-plan-needs-yes", "options", ("plan", "--profile", "langzaam", "--replications", "20000"),
         ("--yes",)),
    # --- outputs: checked before the run, never a half-written file ------------------------
    Case("output-missing-folder", "outputs", ("simulate", "--replications", "2", "--patients", "5", "--out",
                                              "nergens/r.csv"), ("--out", "nergens")),
    Case("output-not-a-folder", "outputs", ("cohort", "--patients", "5", "--out", "/proc/version/x.csv"),
         ("--out", "/proc/version")),
    Case("output-is-a-folder", "outputs", ("plan", "--profile", "langzaam", "--replications", "20", "--pdf", "d"),
         ("--pdf", "folder"), {"d": _folder}),
    Case("output-over-its-input", "outputs", SIMULATE + ("--out", "s.yaml"), ("--out", "input"),
         {"s.yaml": SCENARIO}),
    Case("output-xlsx-missing-folder", "outputs", ("plan", "--profile", "langzaam", "--replications", "20", "--xlsx",
                                                   "weg/p.xlsx"), ("--xlsx", "weg"), outputs=("weg",)),
    Case("output-template-missing-folder", "outputs", ("catalog", "--template", "weg/t.xlsx"), ("--template", "weg"),
         outputs=("weg",)),
    Case("output-template-suffix", "outputs", ("catalog", "--template", "t.txt"), ("t.txt",), outputs=("t.txt",)),
]


@pytest.fixture()
def alarm():
    def timed_out(signum, frame):
        raise TimeoutError(f"a bad input took more than {SECONDS} s: a hang")
    previous = signal.signal(signal.SIGALRM, timed_out)
    signal.alarm(SECONDS)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_bad_input_is_refused_cleanly(case: Case, tmp_path, monkeypatch, alarm):
    for name, content in case.files.items():
        path = tmp_path / name
        if callable(content):
            content(path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    before = sorted(os.listdir(tmp_path))
    result = CliRunner().invoke(app, list(case.args))
    output = result.output + (str(result.exception) if result.exception and result.exit_code != 2 else "")
    assert result.exit_code == 2, (case.id, result.exit_code, output[-2000:])
    assert "Traceback" not in output
    assert output.startswith("Error: the input was refused."), output[:300]
    for name in case.names:
        assert name.lower() in output.lower(), (case.id, name, output[:600])
    assert len(output) < 2000, "a refused value is echoed as a short excerpt, not whole"
    assert sorted(os.listdir(tmp_path)) == before, "a refused command leaves no file behind"
    for name in case.outputs:
        assert not (tmp_path / name).exists()


def test_the_table_covers_every_kind_of_input():
    kinds = {c.kind for c in CASES}
    assert kinds == {"profile", "scenario", "overrides", "caseload", "options", "outputs"}
    assert len(CASES) >= 55


def test_a_full_disk_leaves_the_earlier_file_whole_and_no_partial_one(tmp_path):
    """outputs.atomic: a write that fails halfway (here: no space left) is refused naming the
    option, the earlier file is untouched and no temporary file stays behind."""
    target = tmp_path / "r.csv"
    target.write_text("earlier, whole")
    with pytest.raises(InputError) as refused:
        with outputs.atomic("--out", target) as temporary:
            temporary.write_text("half a")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert "--out" in str(refused.value) and "No space left" in str(refused.value)
    assert target.read_text() == "earlier, whole"
    assert os.listdir(tmp_path) == ["r.csv"]


def test_jobs_are_capped_at_the_cores_and_the_work(capsys):
    cores = os.cpu_count() or 1
    assert options.jobs(64, 2) == min(2, cores)
    assert "worker" in capsys.readouterr().err
    assert options.jobs(-1, 1000) == cores


def test_commands_run_on_threads_unless_processes_are_asked_for(capsys):
    cores = os.cpu_count() or 1
    big = 10 * MAX_BATCH_CELLS  # patient-replications: many batches' work
    assert options.executor(-1, False, big) == Executor(jobs=cores, threads=True)
    assert options.executor(-1, True, big) == Executor(jobs=cores, threads=False)
    # one batch's work (a plan of 1,000 courses, a small municipality) stays on one worker
    assert options.executor(-1, False, 1_000).local
    assert options.executor(2, False, 1_000).local and "work for 1 batch" in capsys.readouterr().err
    assert options.executor(-1, False, big, scheduler="tcp://host:8786") == Executor(scheduler="tcp://host:8786")

"""The README's command-line examples run, in order, at small sizes: a README example that
no test runs would rot (the habit of Ciw, which runs its documentation as tests)."""

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ivp.application.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
SMALL = {"--replications": "3", "--patients": "30"}
SMALL_BY_COMMAND = {"calibrate": {"--patients": "300"}}
ADDED = {"plan": ["--replications", "5"], "simulate": ["--replications", "3", "--patients", "20"],
         "reserve": ["--replications", "3"], "calibrate": ["--patients", "300"]}


def readme_commands() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            line = line.split("#", 1)[0].strip()
            if line.startswith(".venv/bin/ivp "):
                commands.append(shlex.split(line)[1:])
    return commands


def small(args: list[str]) -> list[str]:
    """The same command at a small size (fewer replications and patients)."""
    out, sizes = [], {**SMALL, **SMALL_BY_COMMAND.get(args[0], {})}
    for i, arg in enumerate(args):
        out.append(sizes[args[i - 1]] if i and args[i - 1] in sizes else arg)
    missing = [a for a in ADDED.get(args[0], []) if a.startswith("--") and a not in args]
    for option in missing:
        position = ADDED[args[0]].index(option)
        out += ADDED[args[0]][position:position + 2]
    return out


COMMANDS = readme_commands()


def test_the_readme_has_examples_of_every_command():
    assert {c[0] for c in COMMANDS} >= {"catalog", "scenarios", "examples", "calibrate", "cohort", "plan",
                                        "simulate", "reserve", "register"}


@pytest.mark.slow
def test_every_readme_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the examples write eigen.xlsx, cohort.csv, plan.pdf, ...
    runner = CliRunner()
    for args in COMMANDS:
        result = runner.invoke(app, small(args))
        assert result.exit_code == 0, f"ivp {' '.join(small(args))}\n{result.output}"
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "cohort.csv").exists() and (tmp_path / "eigen.xlsx").exists()
    assert (tmp_path / "ivp-register.sqlite").exists() and (tmp_path / "backup.json").exists()

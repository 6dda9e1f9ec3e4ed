"""The three floors (domain, models, application) as import-linter checks them: the
contracts of pyproject.toml ([tool.importlinter]) are kept, and a broken one would fail."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--config", str(config), "--no-cache"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_the_import_contracts_are_kept():
    done = lint(ROOT / "pyproject.toml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout


def test_a_contract_the_code_breaks_is_reported(tmp_path):
    upside_down = tmp_path / "contracts.toml"
    upside_down.write_text('[tool.importlinter]\nroot_package = "ivp"\n\n[[tool.importlinter.contracts]]\n'
                           'name = "upside down"\ntype = "layers"\nlayers = ["ivp.domain", "ivp.application"]\n')
    done = lint(upside_down)
    assert done.returncode == 1 and "BROKEN" in done.stdout

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


RUFF = Path(sys.executable).with_name("ruff")


def test_the_code_passes_ruff():
    """pyflakes, pycodestyle and import order ([tool.ruff] in pyproject.toml) on the product,
    the tools and the tests: an undefined name or an unused import fails here."""
    done = subprocess.run([str(RUFF), "check", "ivp", "app.py", "tools", "tests"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_imports_inside_functions_say_why():
    """An import inside a function is allowed only where its import time was measured to
    matter, and the line above says so (issue 10)."""
    import ast

    unexplained = []
    for path in sorted((ROOT / "ivp").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for inner in ast.walk(node):
                    if isinstance(inner, (ast.Import, ast.ImportFrom)):
                        here, above = lines[inner.lineno - 1], lines[inner.lineno - 2]
                        if "measured" not in here + above and "about" not in here + above:
                            unexplained.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert not unexplained, unexplained

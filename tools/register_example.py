"""An example register of a small municipality, built with the `ivp register` commands a
Wmo consultant would type, and its report (docs/register.md, the closing note of issue 17).

    .venv/bin/python -m tools.register_example [FILE]   # builds FILE (default: a temporary file), prints the report

The caseload is the shipped example (ivp/application/examples/caseload.csv); the events
below are invented but follow the protocol's steps, one route each, with some deadlines kept
and some broken; the report is as of 01-12-2026.
"""

from __future__ import annotations

import shlex
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

AS_OF = "2026-12-01"
EVENTS = """
register init
register import caseload
register stock --provision scootmobiel --count 1 --date 2025-01-02
register issue-ivp --dossier WMO-2025-021 --date 2025-07-28
register issue-ivp --dossier WMO-2026-002 --date 2026-02-02
register issue-ivp --dossier WMO-2026-009 --date 2026-05-25
register melding --dossier WMO-2025-021 --provision spraakcomputer --date 2025-08-04
register step --melding 1 --step confirmed --date 2025-08-05
register step --melding 1 --step advised --date 2025-08-07
register decision --melding 1 --granted --date 2025-08-15
register step --melding 1 --step fitted --date 2025-08-20
register delivery --dossier WMO-2025-021 --provision spraakcomputer --cost 20500 --melding 1 --date 2025-09-12
register melding --dossier WMO-2026-002 --provision scootmobiel --date 2026-03-02
register step --melding 2 --step confirmed --date 2026-03-03
register step --melding 2 --step advised --date 2026-03-05
register decision --melding 2 --granted --date 2026-03-12
register step --melding 2 --step fitted --date 2026-03-16
register delivery --dossier WMO-2026-002 --provision scootmobiel --cost 350 --from-depot --melding 2 --date 2026-03-20
register melding --dossier WMO-2025-021 --provision elektrische_rolstoel --route current_practice --date 2026-02-02
register step --melding 3 --step confirmed --date 2026-02-09
register step --melding 3 --step advised --date 2026-03-30
register decision --melding 3 --granted --date 2026-04-20
register step --melding 3 --step fitted --date 2026-04-24
register delivery --dossier WMO-2025-021 --provision elektrische_rolstoel --cost 31000 --melding 3 --date 2026-06-26
register wlz --dossier WMO-2024-017 --date 2026-04-01
register return --delivery 1 --date 2026-04-15
register melding --dossier WMO-2026-002 --provision traplift --date 2026-06-01
register step --melding 4 --step confirmed --date 2026-06-02
register step --melding 4 --step advised --date 2026-06-04
register decision --melding 4 --granted --date 2026-06-15
register step --melding 4 --step fitted --date 2026-06-19
register delivery --dossier WMO-2026-002 --provision traplift --cost 6300 --melding 4 --date 2026-08-14
register melding --dossier WMO-2026-009 --provision badkameraanpassingen --date 2026-06-15
register step --melding 5 --step confirmed --date 2026-06-16
register step --melding 5 --step advised --date 2026-06-17
register decision --melding 5 --granted --date 2026-06-24
register death --dossier WMO-2025-021 --date 2026-09-15
register return --delivery 9 --date 2026-10-01
"""


def build(path: Path) -> list[str]:
    """Build the example register at ``path``; returns what each command printed."""
    from ivp.application.cli.main import app

    runner, said = CliRunner(), []
    for line in EVENTS.strip().splitlines():
        args = [*shlex.split(line), "--db", str(path), *(["--user", "wmo-consulent"] if line.split()[1] != "init"
                                                          else [])]
        result = runner.invoke(app, args)
        if result.exit_code != 0:
            raise RuntimeError(f"ivp {' '.join(args)}\n{result.output}")
        said.append(result.output.strip())
    return said


def render(path: Path | None = None) -> str:
    """The example register's report as of :data:`AS_OF` (in a temporary file unless ``path``)."""
    from ivp.application.cli.main import app

    with tempfile.TemporaryDirectory() as folder:
        target = path or Path(folder) / "voorbeeld.sqlite"
        build(target)
        result = CliRunner().invoke(app, ["register", "report", "--db", str(target), "--as-of", AS_OF])
        if result.exit_code != 0:
            raise RuntimeError(result.output)
        return "```\n" + result.output.rstrip() + "\n```\n"


if __name__ == "__main__":
    print(render(Path(sys.argv[1]) if len(sys.argv) > 1 else None))

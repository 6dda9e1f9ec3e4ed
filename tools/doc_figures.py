"""The measured figures of the README and docs, regenerated from the commands that produce
them: every block between ``<!-- figures:NAME:start ... -->`` and ``<!-- figures:NAME:end -->``
is replaced by the output of its command, with the command and the date it ran.

    .venv/bin/python -m tools.doc_figures            # every block (a few minutes)
    .venv/bin/python -m tools.doc_figures NAME ...   # some blocks
    .venv/bin/python -m tools.doc_figures --list

A change to what the model computes regenerates them in its own commit, saying what changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
MARK = re.compile(r"(<!-- figures:(?P<name>[\w:-]+):start[^>]*-->\n)(?P<body>.*?)(<!-- figures:(?P=name):end -->)",
                  re.S)


def ivp(command: str) -> str:
    """The output of ``ivp <command>`` (run in this process, exit code 0 required)."""
    from ivp.application.cli.main import app

    result = CliRunner().invoke(app, shlex.split(command))
    if result.exit_code != 0:
        raise RuntimeError(f"ivp {command} failed ({result.exit_code}):\n{result.output}")
    return result.output


def _stamp(seconds: float) -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{dt.date.today():%d-%m-%Y}, {seconds:.1f} s, load average {load:.1f}"


def command_block(command: str) -> Callable[[], str]:
    """A block showing a command and its whole output."""
    def make() -> str:
        began = time.perf_counter()
        output = ivp(command).rstrip()
        return f"`.venv/bin/ivp {command}` ({_stamp(time.perf_counter() - began)}):\n\n```\n{output}\n```\n"
    return make


def comparison_table(command: str, rows: tuple[tuple[str, str], ...]) -> Callable[[], str]:
    """The headline comparison of ``ivp simulate --compare ... --format json`` as a table."""
    def make() -> str:
        from ivp.application.cli.simulate_cmd import format_value

        began = time.perf_counter()
        doc = json.loads(ivp(command + " --format json"))
        seconds = time.perf_counter() - began
        records = {r["metric"]: r for r in doc["comparison"]}
        names = [s["name"] for s in doc["scenarios"]]
        lines = [f"`.venv/bin/ivp {command}` ({_stamp(seconds)}); mean over replications, P10–P90 between them:",
                 "", f"| outcome | {' | '.join(names)} |", "|---|" + "---|" * len(names)]
        for metric, label in rows:
            record = records[metric]
            cells = [f"{format_value(s['mean'], record['unit'])} ({format_value(s['p10'], record['unit'])}–"
                     f"{format_value(s['p90'], record['unit'])})" for s in record["scenarios"]]
            lines.append(f"| {label} | {' | '.join(cells)} |")
        return "\n".join(lines) + "\n"
    return make


COMPARISON = ("simulate --scenario protocol --compare current_practice --replications 1000")
HEADLINE_ROWS = (
    ("gap_days_mean", "gap between need and delivery, mean (days)"),
    ("unbridged_gap_days_mean", "of which with nothing, not even a loan device (days)"),
    ("share_requests_gap_over_20wd_after_diagnosis", "needs arising after diagnosis: requests with a gap > 20 werkdagen"),
    ("share_patients_gap_over_20wd", "all needs: patients with a gap > 20 werkdagen"),
    ("delivered_after_death", "delivered after death (per 100 patients)"),
    ("obsolete_on_arrival", "delivered when no longer usable (per 100 patients)"),
    ("share_requests_pgb", "requests with a pgb or financial contribution"),
    ("requests_cancelled_wlz", "Wmo requests still open when the client enters a Wlz institution (per 100 patients)"),
    ("cost_eur_per_patient", "cost per patient (catalogue prices, loan devices' rent included)"),
)


def python_block(label: str, make_text: Callable[[], str]) -> Callable[[], str]:
    """A block showing the Markdown a tool function writes, and the command that writes it."""
    def make() -> str:
        began = time.perf_counter()
        text = make_text().rstrip()
        return f"`{label}` ({_stamp(time.perf_counter() - began)}):\n\n{text}\n"
    return make


def _need_table(**options) -> Callable[[], str]:
    def make() -> str:
        from tools.need_table import render

        return render(**options)
    return make


def _route_waits() -> str:
    from tools.route_waits import render

    return render()


def _calibration_summary() -> str:
    from ivp.models.disease.calibration import calibration_report

    rows = calibration_report().rows
    missed = rows[~rows["within"]]
    return (f"The disease model meets {int(rows['within'].sum())} of {len(rows)} calibration targets "
            f"(10,000 patients, the default seed); each of the {len(missed)} it misses prints its "
            "reason beside it, and [docs/disease-model.md](docs/disease-model.md) §6–7 discuss them.")


def _visit_calibration() -> str:
    from tools.visit_calibration import render

    return render()


def _register_example() -> str:
    from tools.register_example import render

    return render()


def _need_rules() -> str:
    from tools.need_table import rules_table

    return rules_table()


@dataclass(frozen=True)
class Block:
    name: str
    make: Callable[[], str]
    slow: bool = False


BLOCKS = {b.name: b for b in (
    Block("readme:comparison", comparison_table(COMPARISON, HEADLINE_ROWS)),
    Block("model:comparison", command_block(COMPARISON)),
    Block("model:waits", python_block(".venv/bin/python -m tools.route_waits", _route_waits)),
    Block("budget:plan:jong_beenbegin", command_block("plan --profile jong_beenbegin")),
    Block("budget:plan:oud_bulbair_alleen", command_block("plan --profile oud_bulbair_alleen")),
    Block("budget:plan:langzaam", command_block("plan --profile langzaam")),
    Block("budget:reserve", command_block("reserve --inwoners 100000 --years 5 --start 2027-01-01")),
    Block("budget:reserve:rent", command_block("reserve --inwoners 100000 --years 5 --start 2027-01-01 --overrides huur")),
    Block("budget:netherlands", command_block("reserve --inwoners 17900000 --years 10 --replications 100 "
                                              "--start 2027-01-01"), slow=True),
    Block("disease:calibration", command_block("calibrate --lang en")),
    Block("visits:plan", command_block("plan --profile jong_beenbegin --visit jong_beenbegin_1")),
    Block("visits:calibration", python_block(".venv/bin/python -m tools.visit_calibration", _visit_calibration),
          slow=True),
    Block("readme:calibration", python_block(".venv/bin/ivp calibrate", _calibration_summary)),
    Block("disease:need_rules", python_block(".venv/bin/python -m tools.need_table --rules", _need_rules)),
    Block("disease:needs", python_block(".venv/bin/python -m tools.need_table", _need_table())),
    Block("disease:needs:lives_alone", python_block(".venv/bin/python -m tools.need_table --by lives_alone",
                                                    _need_table(by="lives_alone"))),
    Block("disease:needs:children_at_home", python_block(".venv/bin/python -m tools.need_table --by children_at_home",
                                                         _need_table(by="children_at_home"))),
    Block("register:example", python_block(".venv/bin/python -m tools.register_example", _register_example)),
)}


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def regenerate(names: set[str] | None = None, log=print) -> list[str]:
    """Rewrite the blocks ``names`` (default: all) in every document; returns those done."""
    done = []
    for path in documents():
        text = path.read_text(encoding="utf-8")

        def replace(match: re.Match) -> str:
            name = match["name"]
            if name not in BLOCKS:
                raise KeyError(f"{path.name}: unknown figures block '{name}'")
            if names is not None and name not in names:
                return match.group(0)
            log(f"{path.relative_to(ROOT)}: {name}")
            done.append(name)
            return match.group(1) + BLOCKS[name].make() + match.group(4)

        new = MARK.sub(replace, text)
        if new != text:
            path.write_text(new, encoding="utf-8")
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="blocks to regenerate (default: all)")
    parser.add_argument("--list", action="store_true", help="list the blocks and where they are")
    args = parser.parse_args(argv)
    if args.list:
        for path in documents():
            for match in MARK.finditer(path.read_text(encoding="utf-8")):
                print(f"{match['name']:<34} {path.relative_to(ROOT)}")
        return 0
    unknown = set(args.names) - set(BLOCKS)
    if unknown:
        print(f"unknown blocks: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    regenerate(set(args.names) if args.names else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())

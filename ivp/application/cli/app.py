"""The typer application shared by the command modules, and the one place where an
:class:`~ivp.domain.errors.InputError` becomes a clear message and exit code 2 instead of a
traceback."""

from __future__ import annotations

import functools
import sys
from enum import Enum
from typing import Callable

import typer

from ivp.domain.errors import InputError


class Format(str, Enum):
    """Output of a command: a table in Dutch (or English) format, or JSON."""

    table = "table"
    json = "json"


class Language(str, Enum):
    nl = "nl"
    en = "en"


class Engine(str, Enum):
    """Which engine of the process model runs (docs/model.md, Engines)."""

    auto = "auto"
    fast = "fast"
    simpy = "simpy"


ENGINE_HELP = ("auto (default): SimPy when staff capacity is limited, else the vectorised engine "
               "(tested equal); simpy: always the discrete-event reference; fast: always vectorised")
JOBS_HELP = ("workers on this machine: -1 (default) = all cores, 1 = one; threads of this process "
             "(about the memory of one), or processes with --processes; results are identical")
PROCESSES_HELP = ("run the workers as separate processes (each with its own memory): faster than threads "
                  "only for work that is mostly Python, such as the SimPy engine of a staff limit")


app = typer.Typer(
    name="ivp",
    help="IVP Planner: plan and budget the assistive devices of people with ALS/MND.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def refuses_bad_input(command: Callable) -> Callable:
    """Decorate a command so that bad input prints the problems and exits with code 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InputError as error:
            print("Error: the input was refused.", file=sys.stderr)
            for problem in error.problems:
                print(f"  - {problem}", file=sys.stderr)
            raise typer.Exit(code=2) from None

    return wrapper


@app.callback()
def main() -> None:
    """IVP Planner: plan and budget the assistive devices of people with ALS/MND.

    Figures in tables are in Dutch format (€ 1.234,56; dd-mm-jjjj); JSON output uses plain
    numbers and ISO dates.
    """

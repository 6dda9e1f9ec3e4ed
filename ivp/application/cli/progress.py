"""A progress bar on standard error for the long commands (rich, which typer brings), shown
only when standard error is a terminal: pipes, files and tests get no control characters."""

from __future__ import annotations

import contextlib
from typing import Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn


@contextlib.contextmanager
def progress_bar(what: str) -> Iterator[Callable[[float], None] | None]:
    """A callback taking the fraction done (what the runner reports after each chunk), or
    ``None`` when standard error is not a terminal."""
    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(what, total=1.0)
        yield lambda share: bar.update(task, completed=min(share, 1.0))

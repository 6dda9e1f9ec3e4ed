"""The files a command writes: checked before the run, written whole or not at all.

:func:`check` refuses, before any work, an output path whose folder is missing or not
writable, that is a folder, or that is one of the command's input files (``--out s.yaml``
must not replace the scenario it reads). :func:`atomic` writes to a temporary file in the
same folder and renames it over the target only when the writer finished, so an interrupted
run or a full disk never leaves a truncated file (and never spoils an earlier good one).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

from ivp.domain.errors import InputError, excerpt


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check(option: str, path: Path | None, inputs: tuple[Path | str | None, ...] = ()) -> Path | None:
    """``path`` if a command may write it (see the module doc); else an :class:`InputError`
    naming ``option``."""
    if path is None:
        return None
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError.single(option, "", "output_is_folder", path=excerpt(str(path), 80))
    if not folder.is_dir():
        raise InputError.single(option, "", "output_folder_missing", folder=excerpt(str(folder), 80))
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError.single(option, "", "output_not_writable", path=excerpt(str(path), 80))
    for source in inputs:
        if source is not None and _same(path, Path(source)):
            raise InputError.single(option, "", "output_is_input", path=excerpt(str(path), 80))
    return path


@contextlib.contextmanager
def atomic(option: str, path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` (same suffix) for the writer; renamed onto ``path``
    when the block ends normally, removed when it fails. A failing write (a full disk, the
    folder gone) is an :class:`InputError` naming ``option``."""
    path = Path(path)
    temporary = path.with_name(f".{path.stem}.partial-{os.getpid()}{path.suffix}")
    try:
        yield temporary
        os.replace(temporary, path)
    except OSError as error:
        raise InputError.single(option, "", "cannot_write", reason=excerpt(error.strerror or str(error), 80)) from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()

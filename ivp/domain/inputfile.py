"""Opening the files users give: a regular file of bounded size, read once, or a refusal that
names the file. Every loader reads its input through :func:`read_input_bytes`, so a folder,
a device such as ``/dev/zero``, a missing file or a file far larger than any real input is
refused before anything is parsed (a limit, not a hang)."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import IO

from ivp.domain.errors import InputError, excerpt

MAX_INPUT_BYTES = 5 * 1024 * 1024
"""The largest input file read (5 MB). The largest real inputs are a municipality's caseload
(a few hundred rows, about 50 kB) and a catalogue override (35 rows); the app's uploads are
capped lower (2 MB, ``ivp.application.web.ui.MAX_UPLOAD_BYTES``)."""


def read_input_bytes(source: str | Path | IO[bytes], name: str | None = None,
                     limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of ``source`` (a path or a binary file object), at most ``limit`` of them;
    an :class:`InputError` naming ``name`` (default: the file's name) otherwise."""
    if not isinstance(source, (str, Path)):
        data = source.read(limit + 1)
        label = name or getattr(source, "name", "upload")
        if len(data) > limit:
            raise InputError.single(label, "", "file_too_large_bytes", size=f"> {limit:,}", limit=f"{limit:,}")
        return data
    path = Path(source)
    label = name or path.name or str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError.single(label, "", "file_not_found") from None
    except OSError as error:
        raise InputError.single(label, "", "cannot_read", reason=excerpt(error.strerror or str(error), 80)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError.single(label, "", "is_a_folder")
    if not stat.S_ISREG(info.st_mode):
        raise InputError.single(label, "", "not_a_regular_file")
    if info.st_size > limit:
        raise InputError.single(label, "", "file_too_large_bytes", size=f"{info.st_size:,}", limit=f"{limit:,}")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise InputError.single(label, "", "cannot_read", reason=excerpt(error.strerror or str(error), 80)) from None
    if len(data) > limit:
        raise InputError.single(label, "", "file_too_large_bytes", size=f"> {limit:,}", limit=f"{limit:,}")
    return data

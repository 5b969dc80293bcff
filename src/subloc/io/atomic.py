"""Atomic file writes: every file subloc writes (tracks, reports, glossaries) goes through
:func:`atomic_write`: a temp file in the same directory, then ``os.replace``, so a crash or
a full disk never leaves a half-written output where a good one (or none) was."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from subloc.errors import OutputError


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory and a rename."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise OutputError(f"cannot write: {error.strerror}", path=path) from error
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise OutputError(f"cannot write: {error.strerror}", path=path) from error

"""Atomic file writes, and one run at a time per output folder.

Every file subloc writes (tracks, reports, glossaries) goes through :func:`atomic_write`: a
temp file in the same directory, then ``os.replace``, so a crash or a full disk never
leaves a half-written output where a good one (or none) was. The file gets the mode a
plain ``open()`` would give it (the umask applies), or keeps the mode of the file it
replaces.

:func:`output_lock` keeps two runs from writing into one folder at once (their reports
would describe different runs); the second fails at once with one line.
:func:`remove_stale_temps` clears the temp files a crashed run left behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from subloc.errors import OutputError

#: The temp files :func:`atomic_write` makes: ``.<name>.<8 random chars>.tmp``.
_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
_UMASK_LOCK = threading.Lock()


def _default_mode() -> int:
    with _UMASK_LOCK:  # the umask can only be read by setting it
        umask = os.umask(0o022)
        os.umask(umask)
    return 0o666 & ~umask


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory and a rename."""
    atomic_write_with(path, lambda handle: handle.write(data))


def atomic_write_with(path: str | Path, write: Callable[[BinaryIO], object]) -> None:
    """Like :func:`atomic_write`, with ``write(handle)`` streaming the content into the
    temp file (a report of a million cues is never one string in memory)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise OutputError(f"cannot write: {error.strerror}", path=path) from error
    try:
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            mode = _default_mode()
        os.fchmod(fd, mode)  # mkstemp makes 0600 files whatever the umask
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(temp, path)
    except BaseException as error:  # nothing half-written stays, whatever stopped it
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write: {error.strerror}", path=path) from error
        raise


def remove_stale_temps(directory: Path) -> list[Path]:
    """Delete the temp files an earlier, crashed run left in ``directory`` (call it while
    holding :func:`output_lock`, so no other run's temp file is in flight)."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(directory):
            if entry.is_file(follow_symlinks=False) and _TEMP.match(entry.name):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


@contextlib.contextmanager
def output_lock(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` (created if needed) for one run.

    The lock is ``flock`` on the directory itself, so no lock file is left in a delivery
    folder, and a crashed run's lock goes with its process.
    """
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(directory, os.O_RDONLY)
    except OSError as error:
        raise OutputError(f"cannot use the output folder: {error.strerror or error}",
                          path=directory) from error
    try:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory locks
            yield
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            raise OutputError("another subloc run is writing into this folder; wait for it "
                              "to finish or choose another -o", path=directory) from error
        yield
    finally:
        os.close(fd)

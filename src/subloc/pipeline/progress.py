"""Progress of the long work, told to whoever shows it (the CLI draws a bar on a TTY).

The pipeline calls :meth:`Progress.start` at the beginning of each phase (reading files,
translating a language pair, writing jobs) with the work to do, :meth:`Progress.advance`
as it is done, and :meth:`Progress.finish` at the end. Units are the phase's: files, jobs,
or segments; segments answered from the cache are not work to do, and are told apart
(``cached``).
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, phase: str, total: int, unit: str, cached: int = 0) -> None: ...

    def advance(self, done: int = 1) -> None: ...

    def finish(self) -> None: ...


class NoProgress:
    """Shows nothing (not a terminal, ``-q``, or the Python API)."""

    def start(self, phase: str, total: int, unit: str, cached: int = 0) -> None:
        pass

    def advance(self, done: int = 1) -> None:
        pass

    def finish(self) -> None:
        pass

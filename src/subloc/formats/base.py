"""The base class of subtitle formats.

To add a format: subclass :class:`SubtitleFormat`, set ``name``, ``extensions``,
``can_read``/``can_write`` (and ``binary`` when it is read from bytes), implement
``sniff`` and ``read``/``write``, and add the class to ``FORMATS`` in
:mod:`subloc.formats`. Readers raise :class:`subloc.errors.ParseError` with the line
number of a malformed block; with ``ctx.lenient`` they skip the block and call
``ctx.warn`` instead. Writers return text (or bytes for binary formats) and call
``ctx.warn`` for anything the format cannot carry, naming the cue.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from subloc.errors import ParseError
from subloc.track import Track


@dataclass
class ReadContext:
    """What a reader needs besides the content."""

    path: str = "<memory>"
    fps: float | None = None
    lenient: bool = False
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str, *, line: int | None = None, cue: int | None = None) -> None:
        where = self.path + (f":{line}" if line is not None else "")
        where += f" (cue {cue})" if cue is not None else ""
        self.warnings.append(f"{where}: {message}")

    def malformed(self, message: str, line: int, *, expected: str = "", fix: str = "fix it",
                  lenient: str = "skip it", done: str = "skipped") -> None:
        """A malformed block: a :class:`ParseError` naming the line, or with ``--lenient`` a
        warning naming it (the caller then skips or repairs the block as ``done`` says)."""
        if not self.lenient:
            raise ParseError(f"{message}{expected}; {fix}, or rerun with --lenient to {lenient}",
                             path=self.path, line=line)
        self.warn(f"{message}; {done}", line=line)


@dataclass
class WriteContext:
    """What a writer needs besides the track: where it goes and the options asked for."""

    path: str = "<memory>"
    fps: float | None = None
    language: str | None = None
    #: TTML: write frame-based time expressions (``00:00:01:12``) instead of clock times.
    frame_times: bool = False
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str, *, cue: int | None = None) -> None:
        where = self.path + (f" (cue {cue})" if cue is not None else "")
        self.warnings.append(f"{where}: {message}")


WarnFn = Callable[[str], None]


def first_line_matches(head: str, pattern: re.Pattern[str]) -> bool:
    """Whether the first non-blank line of ``head`` matches ``pattern`` (line formats)."""
    for line in head.lstrip("\ufeff").splitlines():
        if line.strip():
            return pattern.match(line) is not None
    return False


class SubtitleFormat:
    """A subtitle format: how to recognise, read and write it. See the module docstring."""

    name: str = ""
    extensions: tuple[str, ...] = ()
    description: str = ""
    can_read: bool = True
    can_write: bool = True
    #: Read from raw bytes (EBU STL) instead of decoded text.
    binary: bool = False
    #: The smallest time step the format stores, in ms: fixes land on this grid so that
    #: writing does not round a corrected gap back below the minimum.
    time_step_ms: int = 1

    @classmethod
    def sniff(cls, head: str) -> bool:
        """Whether decoded text beginning with ``head`` looks like this format."""
        return False

    @classmethod
    def sniff_bytes(cls, head: bytes) -> bool:
        """Whether raw bytes beginning with ``head`` look like this (binary) format."""
        return False

    def read(self, text: str, ctx: ReadContext) -> Track:
        raise NotImplementedError

    def read_bytes(self, data: bytes, ctx: ReadContext) -> Track:
        raise NotImplementedError

    def write(self, track: Track, ctx: WriteContext) -> str:
        raise NotImplementedError

    def write_chunks(self, track: Track, ctx: WriteContext) -> Iterator[str]:
        """The written text in pieces, for writing a long track without holding it whole
        (override it, and define ``write`` as its join, where a format can stream)."""
        yield self.write(track, ctx)

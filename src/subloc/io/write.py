"""The write stage: a :class:`~subloc.track.Track` to a file, atomically.

Tracks are written with :func:`subloc.io.atomic.atomic_write`, like every file subloc
writes.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

from subloc.errors import OutputError, SublocError
from subloc.formats import FORMATS, WriteContext
from subloc.io.atomic import atomic_write_with
from subloc.io.encoding import Encoder
from subloc.io.read import format_for_extension, resolve_format
from subloc.track import Track


def dumps(
    track: Track,
    *,
    format: str,
    encoding: str = "utf-8",
    bom: bool = False,
    newline: str = "\n",
    fps: float | None = None,
    language: str | None = None,
    frame_times: bool = False,
    path: str = "<memory>",
) -> tuple[bytes, list[str]]:
    """Serialise a track; returns the bytes and the writer's warnings (what was lost)."""
    handle = io.BytesIO()
    warnings = _write(track, handle, format=format, encoding=encoding, bom=bom,
                      newline=newline, fps=fps, language=language, frame_times=frame_times,
                      path=path)
    return handle.getvalue(), warnings


def _write(track: Track, handle: BinaryIO, *, format: str, encoding: str, bom: bool,
           newline: str, fps: float | None, language: str | None, frame_times: bool,
           path: str) -> list[str]:
    """Write a track into ``handle`` piece by piece (see ``SubtitleFormat.write_chunks``)."""
    name = resolve_format(format)
    cls = FORMATS[name]
    if not cls.can_write:
        raise OutputError(f"subloc can read {cls.description or name} but not write it; "
                          "choose another --to format", path=path)
    ctx = WriteContext(path=path, fps=fps or track.fps, language=language or track.language,
                       frame_times=frame_times)
    try:
        encoder = Encoder(encoding, bom=bom, newline=newline)
        for chunk in cls().write_chunks(track, ctx):
            handle.write(encoder.encode(chunk))
        handle.write(encoder.finish())
    except SublocError as error:
        raise error.located(path) from None
    return ctx.warnings


def save(
    track: Track,
    path: str | Path,
    *,
    format: str | None = None,
    encoding: str = "utf-8",
    bom: bool = False,
    newline: str = "\n",
    fps: float | None = None,
    language: str | None = None,
    frame_times: bool = False,
) -> list[str]:
    """Write a track to ``path`` atomically; the format defaults to the extension's.

    Returns the writer's warnings: everything the target format could not carry, per cue.
    """
    name = format or format_for_extension(path) or track.format
    if name is None:
        raise OutputError("cannot tell the output format from the extension; pass a format",
                          path=path)
    warnings: list[str] = []

    def write(handle: BinaryIO) -> None:
        warnings.extend(_write(track, handle, format=name, encoding=encoding, bom=bom,
                               newline=newline, fps=fps, language=language,
                               frame_times=frame_times, path=str(path)))

    atomic_write_with(path, write)
    return warnings

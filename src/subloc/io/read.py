"""The read stage: bytes on disk to a :class:`~subloc.track.Track`.

Decoding (BOMs, UTF-8, legacy code pages) is :mod:`subloc.io.encoding`'s job; the format is
told from the content first and the file extension second, because editors receive
``.txt`` files that are SRT and ``.sub`` files that are anything.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from subloc.errors import FormatError, InputError, ParseError, SublocError, UsageError
from subloc.formats import ALIASES, FORMATS, ReadContext, SubtitleFormat
from subloc.io.encoding import decode
from subloc.track import Track

log = logging.getLogger(__name__)

#: Larger inputs are refused before reading: no subtitle file comes near this.
MAX_INPUT_BYTES = 256 * 1024 * 1024
_SNIFF_CHARS = 64 * 1024


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Devices, FIFOs and sockets are refused (``/dev/zero`` never ends, a FIFO may never
    open); the limit counts the bytes actually read, since a file's reported size can be 0
    or can change while it is read.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            kind = "a directory" if path.is_dir() else "not a regular file (a device, FIFO " \
                "or socket)"
            raise InputError(f"is {kind}; give subtitle files", path=path)
        # O_NONBLOCK: if the path became a FIFO since the check, opening does not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise InputError("is not a regular file; give subtitle files", path=path)
            data = handle.read(limit + 1)
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror or error}", path=path) from error
    if len(data) > limit:
        raise InputError(
            f"file is larger than any subtitle file ({limit // 2**20} MB limit); is it "
            "really subtitles?", path=path)
    return data


def resolve_format(name: str) -> str:
    """The registry name for a user-typed format name (``webvtt`` → ``vtt``)."""
    key = ALIASES.get(name.lower().lstrip("."), name.lower().lstrip("."))
    if key not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise UsageError(f"unknown subtitle format {name!r}; choose one of: {known}")
    return key


def format_for_extension(path: str | Path) -> str | None:
    suffix = Path(path).suffix.lower()
    for name, cls in FORMATS.items():
        if suffix in cls.extensions:
            return name
    return None


def detect_format(head: str, path: str | Path = "<memory>") -> str:
    """The format of decoded text starting with ``head``, from content, else extension."""
    for name, cls in FORMATS.items():
        if cls.can_read and not cls.binary and cls.sniff(head):
            return name
    by_extension = format_for_extension(path)
    if by_extension is not None and FORMATS[by_extension].can_read:
        return by_extension
    raise FormatError(
        "cannot tell which subtitle format this is (no known signature in its content); "
        "pass --format, e.g. --format srt",
        path=path,
    )


def load(
    path: str | Path,
    *,
    format: str | None = None,
    encoding: str | None = None,
    fps: float | None = None,
    lenient: bool = False,
) -> Track:
    """Read a subtitle file. ``format``, ``encoding`` and ``fps`` override detection.

    Raises a :class:`~subloc.errors.SublocError` subclass naming the file (and line) on any
    bad input; warnings (empty file, skipped blocks, out-of-order cues) go to
    ``track.warnings``.
    """
    path = Path(path)
    # Passed on, not kept: loads lets the bytes go once they are decoded.
    return loads(read_bounded(path, MAX_INPUT_BYTES), path=path, format=format,
                 encoding=encoding, fps=fps, lenient=lenient)


def loads(
    data: bytes,
    *,
    path: str | Path = "<memory>",
    format: str | None = None,
    encoding: str | None = None,
    fps: float | None = None,
    lenient: bool = False,
) -> Track:
    """Read subtitle content from bytes; see :func:`load`."""
    ctx = ReadContext(path=str(path), fps=fps, lenient=lenient)
    name = resolve_format(format) if format else _binary_format(data)
    try:
        if name is not None and FORMATS[name].binary:
            track = _reader(name, path).read_bytes(data, ctx)
            track.encoding = None
        else:
            decoded = decode(data, encoding=encoding, path=str(path))
            del data  # a long file's bytes are not kept beside its text while it is read
            blank_vtt = (name or format_for_extension(path)) == "vtt"
            if not decoded.text.strip() and not blank_vtt:
                track = Track(cues=[], format=name or format_for_extension(path) or "srt",
                              empty_input=True)
                ctx.warn("the file is empty: no cues")
            else:
                # (An empty .vtt goes to its reader, which refuses a file without the
                # WEBVTT signature, as browsers do.)
                name = name or ("vtt" if blank_vtt else
                                detect_format(decoded.text[:_SNIFF_CHARS], path))
                track = _reader(name, path).read(decoded.text, ctx)
            track.encoding = decoded.encoding
    except SublocError as error:
        raise error.located(path) from None
    except (ValueError, IndexError, KeyError, TypeError, RecursionError) as error:
        # A reader tripped over content it does not expect: still the input's fault.
        raise ParseError(
            f"malformed {name or 'subtitle'} content ({error}); check the file or pass --format",
            path=path,
        ) from error
    track.path = str(path)
    if fps is not None:
        track.fps = fps
    if not track.cues and not track.empty_input and not any(
            "no cues" in warning or "zero cues" in warning for warning in ctx.warnings):
        ctx.warn(f"no cues found in the file: it has content but nothing subloc reads as "
                 f"{track.format or 'subtitles'} cues; check it, or pass --format if it is "
                 "another format")
    track.warnings.extend(ctx.warnings)
    for warning in ctx.warnings:
        log.debug("%s", warning)
    return track


def _binary_format(data: bytes) -> str | None:
    head = data[:2048]
    for name, cls in FORMATS.items():
        if cls.binary and cls.sniff_bytes(head):
            return name
    return None


def _reader(name: str, path: str | Path) -> SubtitleFormat:
    cls = FORMATS[name]
    if not cls.can_read:
        raise FormatError(
            f"subloc can write {cls.description or name} but not read it", path=path
        )
    return cls()

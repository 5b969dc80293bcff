"""Time helpers the format modules share: clock times, rounding, default durations.

Each format keeps its own grammar (which separators it reads, whether hours are optional);
what they have in common is here: :func:`clock_time` writes ``HH:MM:SS.mmm`` in the
variants SRT, WebVTT, TTML and TMPlayer use, :func:`clock_ms` is its inverse for the
parsed fields, :func:`default_duration_ms` says how long a cue stays up when the file
gives only its start, and :func:`writable_times` is what every writer does with a cue's
times first (never a silent clamp: a warning naming the cue for each change).
"""

from __future__ import annotations

import math
from fractions import Fraction

from subloc import markup
from subloc.formats.base import WriteContext
from subloc.track import Cue

#: Shortest and longest display time given to a cue whose file does not say when it ends.
MIN_DEFAULT_MS = 1000
MAX_DEFAULT_MS = 7000
#: Reading time per displayed character (≈ 16.7 characters per second).
MS_PER_CHAR = 60


def clock_time(ms: int, separator: str | None = ".") -> str:
    """``HH:MM:SS.mmm`` for ``ms`` (negative times are 0; hours grow past two digits).

    ``separator`` goes between seconds and milliseconds (``","`` for SRT, ``"."`` for
    WebVTT and TTML); with ``None`` the time is whole seconds, ``HH:MM:SS``, the
    milliseconds dropped (not rounded).
    """
    hours, rest = divmod(max(ms, 0), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    text = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    return text if separator is None else f"{text}{separator}{millis:03d}"


def clock_ms(hours: int, minutes: int, seconds: int, millis: int = 0) -> int:
    """Milliseconds of a clock time's fields: the inverse of :func:`clock_time`."""
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def round_half_up(value: float | Fraction) -> int:
    """``value`` rounded to the nearest integer, halves up (``round`` rounds halves to
    even); exact for a :class:`~fractions.Fraction`."""
    return math.floor(value + Fraction(1, 2))


def seconds_to_ms(seconds: Fraction) -> int:
    """Whole milliseconds of an exact time in seconds (ttconv's model), halves up."""
    return round_half_up(seconds * 1000)


def default_duration_ms(lines: list[str]) -> int:
    """Display time of a cue whose end the file does not give.

    ``max(1000, 60 ms × displayed characters)`` capped at 7000 ms: a reading speed of about
    17 characters per second (the Netflix adult default), never shorter than one second
    and never longer than the 7 s maximum duration of the delivery profiles. Characters
    are counted without markup and without line breaks.
    """
    chars = sum(len(markup.strip_tags(line)) for line in lines)
    return min(MAX_DEFAULT_MS, max(MIN_DEFAULT_MS, MS_PER_CHAR * chars))


def writable_times(
    fmt: str, cue: Cue, ctx: WriteContext, *, max_ms: int | None = None, max_text: str = ""
) -> tuple[int, int] | None:
    """The cue's start and end as a writer of ``fmt`` can write them, warning (naming the
    cue) for every change: a time before 0 is written as 0, an end before the start as the
    start, and with ``max_ms`` (the latest time that the format's grid still holds, shown as
    ``max_text``) an end beyond it as ``max_ms``. ``None``, with a warning, when the cue
    starts beyond ``max_ms``: it is not written.
    """
    start, end = cue.start_ms, cue.end_ms
    if start < 0 or end < 0:
        ctx.warn(f"{fmt} cannot carry times before 0 (cue starts at {start} ms); "
                 "written from 0", cue=cue.id)
        start, end = max(start, 0), max(end, 0)
    if end < start:
        ctx.warn("cue ends before it starts; written ending when it starts", cue=cue.id)
        end = start
    if max_ms is not None and end > max_ms:
        if start > max_ms:
            ctx.warn(f"cue starts at {clock_time(start)}, later than {fmt} can hold "
                     f"({max_text}); not written", cue=cue.id)
            return None
        ctx.warn(f"cue ends at {clock_time(end)}, later than {fmt} can hold ({max_text}); "
                 f"written ending at {max_text}", cue=cue.id)
        end = max_ms
    return start, end

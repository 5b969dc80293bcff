"""TMPlayer (``.tmp``): ``HH:MM:SS:text`` lines, start times only."""

from __future__ import annotations

import re

from subloc.formats._lines import text_lines, writable_lines
from subloc.formats._timing import (
    MAX_DEFAULT_MS,
    clock_ms,
    clock_time,
    default_duration_ms,
    writable_times,
)
from subloc.formats.base import ReadContext, SubtitleFormat, WriteContext, first_line_matches
from subloc.track import Cue, Track

_LINE = re.compile(r"^\s*(\d{1,2}):(\d{2}):(\d{2})[:=](.*)$")

#: The longest a cue is shown when the next start is far away.
MAX_DURATION_MS = MAX_DEFAULT_MS
#: The latest time TMPlayer's two-digit hours hold, in whole seconds, and the latest time in
#: milliseconds that rounds to it.
MAX_SECONDS = 99 * 3600 + 59 * 60 + 59
_MAX_MS = MAX_SECONDS * 1000 + 499


class TmpFormat(SubtitleFormat):
    """TMPlayer: ``HH:MM:SS:text`` (also ``H:MM:SS:`` and ``HH:MM:SS=``), ``|`` line breaks.

    Carries start times at 1 s resolution and line breaks; no end times, no formatting,
    no positions. Reading: a line with a time and no text clears the screen (ends the cue
    before it); consecutive lines with the same time are one cue with several lines. A
    cue ends at the next line's time but is never shown longer than 7000 ms; the last cue
    ends after :func:`subloc.formats._timing.default_duration_ms` (max(1 s, 60 ms per
    character), at most 7 s).

    Writing: start times are rounded to the nearest second (halves up) and kept strictly
    increasing; a cue that ends before the next one starts (and the last cue) is followed
    by a clearing ``HH:MM:SS:`` line at its end, so end times survive to the second.
    Durations are capped at 7 s as the reader would cap them, so write → read → write
    gives the same bytes. Hours have two digits: a cue cannot start at 99:59:59 or later
    nor end after it. Every time moved by more than the rounding (a start pushed to the
    next free second, an end held to a whole second after the start, a cap) and all
    formatting dropped is a warning naming the cue.
    """

    name = "tmp"
    time_step_ms = 1000  # whole seconds
    extensions = (".tmp",)
    description = "TMPlayer (start times only)"

    @classmethod
    def sniff(cls, head: str) -> bool:
        return first_line_matches(head, _LINE)

    def read(self, text: str, ctx: ReadContext) -> Track:
        # (time, lines, source line); an empty list of lines is a clearing entry.
        entries: list[tuple[int, list[str], int]] = []
        for number, line in enumerate(text_lines(text), start=1):
            if not line.strip():
                continue
            match = _LINE.match(line)
            if not match or int(match.group(2)) > 59 or int(match.group(3)) > 59:
                ctx.malformed(f"not a TMPlayer line HH:MM:SS:text: {line!r}", number)
                continue
            start = clock_ms(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            lines = [part.strip() for part in match.group(4).split("|")]
            lines = [ln for ln in lines if ln]
            if entries and entries[-1][0] == start and entries[-1][1] and lines:
                entries[-1][1].extend(lines)  # same time again: more lines of the same cue
                continue
            entries.append((start, lines, number))

        cues: list[Cue] = []
        for index, (start, lines, number) in enumerate(entries):
            if not lines:
                continue
            if index + 1 < len(entries):
                following = entries[index + 1][0]
                if following <= start:
                    ctx.warn(
                        "the next line's time is not later than this one; "
                        "cue given the default duration",
                        line=number,
                    )
                    end = start + default_duration_ms(lines)
                else:
                    end = min(following, start + MAX_DURATION_MS)
            else:
                end = start + default_duration_ms(lines)
            cues.append(Cue(id=len(cues) + 1, start_ms=start, end_ms=end, lines=lines))
        return Track(cues=cues, format=self.name, fps=ctx.fps)

    def write(self, track: Track, ctx: WriteContext) -> str:
        shown: list[tuple[Cue, list[str], int, int]] = []
        for cue in track.cues:
            lines = writable_lines("TMP", cue, ctx)
            times = writable_times("TMP", cue, ctx, max_ms=_MAX_MS,
                                   max_text=clock_time(MAX_SECONDS * 1000, None)) \
                if lines else None
            if times is not None:
                shown.append((cue, [line_text for _, line_text in lines], *times))

        # Whole seconds: starts strictly increasing, ends after their start.
        starts: list[int] = []
        kept: list[tuple[Cue, list[str], int, int]] = []
        for cue, texts, start_ms, end_ms in shown:
            second = (start_ms + 500) // 1000
            bumped = bool(starts) and second <= starts[-1]
            second = starts[-1] + 1 if bumped else second
            if second >= MAX_SECONDS:
                ctx.warn(f"cue would start at {clock_time(second * 1000, None)}; TMP's last "
                         f"time, {clock_time(MAX_SECONDS * 1000, None)}, can only end a cue; "
                         "not written", cue=cue.id)
                continue
            if bumped:
                ctx.warn("TMP holds one cue per second; cue written starting at "
                         f"{clock_time(second * 1000, None)}", cue=cue.id)
            starts.append(second)
            kept.append((cue, texts, start_ms, end_ms))
        out = []
        for index, (cue, texts, _, end_ms) in enumerate(kept):
            start = starts[index]
            end = min(max(start + 1, (end_ms + 500) // 1000), MAX_SECONDS)
            if end * 1000 - end_ms > 500:
                ctx.warn("TMP shows a cue for at least a second; written ending at "
                         f"{clock_time(end * 1000, None)}", cue=cue.id)
            if end - start > MAX_DURATION_MS // 1000:
                ctx.warn(
                    f"TMP shows a cue at most {MAX_DURATION_MS // 1000} s; written ending earlier",
                    cue=cue.id,
                )
                end = start + MAX_DURATION_MS // 1000
            out.append(clock_time(start * 1000, None) + ":" + "|".join(texts))
            following = starts[index + 1] if index + 1 < len(starts) else None
            if following is not None and end > following:
                ctx.warn(
                    "TMP cannot show overlapping cues; cue ends when the next one starts",
                    cue=cue.id,
                )
            if (following is None or end < following) and end > start:
                out.append(clock_time(end * 1000, None) + ":")
        out.append("")
        return "\n".join(out)

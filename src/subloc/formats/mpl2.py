"""MPL2 (``.mpl``, often ``.txt``): ``[start][end]text`` lines in deciseconds."""

from __future__ import annotations

import re

from subloc.formats._lines import slash_free, text_lines, wrap, writable_lines
from subloc.formats._timing import default_duration_ms, round_half_up, writable_times
from subloc.formats.base import ReadContext, SubtitleFormat, WriteContext, first_line_matches
from subloc.track import Cue, Track

_LINE = re.compile(r"^\s*\[\s*(\d+)\s*\]\s*\[\s*(\d*)\s*\](.*)$")


class Mpl2Format(SubtitleFormat):
    """MPL2: ``[start][end]text`` with times in deciseconds (tenths of a second).

    Carries start and end times at 100 ms resolution, line breaks (``|``) and whole-line
    italics (``/`` at the start of a line). It cannot carry bold, underline, colours,
    italics over part of a line, positions or foreign tags: the writer drops them with a
    warning naming the cue.

    Times are written rounded to the nearest 100 ms (halves up), so a round trip moves a
    time by at most 50 ms. An empty end (``[12][]text``) ends at the next cue's start, or
    after :func:`subloc.formats._timing.default_duration_ms`, whichever is sooner.
    """

    name = "mpl2"
    time_step_ms = 100  # deciseconds
    extensions = (".mpl", ".mpl2")
    description = "MPL2 (decisecond-based)"

    @classmethod
    def sniff(cls, head: str) -> bool:
        return first_line_matches(head, _LINE)

    def read(self, text: str, ctx: ReadContext) -> Track:
        entries: list[tuple[int, int | None, str]] = []
        for number, line in enumerate(text_lines(text), start=1):
            if not line.strip():
                continue
            match = _LINE.match(line)
            if match is None:
                ctx.malformed(f"not an MPL2 line [start][end]text: {line!r}", number)
                continue
            start = int(match.group(1)) * 100
            end = int(match.group(2)) * 100 if match.group(2) else None
            if end is not None and end < start:
                ctx.malformed(f"end [{match.group(2)}] is before start [{match.group(1)}]", number)
                continue
            entries.append((start, end, match.group(3)))

        cues: list[Cue] = []
        for index, (start, end, body) in enumerate(entries):
            lines = []
            for raw in body.split("|"):
                line_text = raw.strip()
                italic = line_text.startswith("/")
                if italic:
                    line_text = line_text[1:].lstrip()
                if line_text:
                    lines.append(wrap(line_text, {"i"}) if italic else line_text)
            if not lines:
                continue
            if end is None:
                end = start + default_duration_ms(lines)
                if index + 1 < len(entries):
                    end = min(end, entries[index + 1][0])
            cues.append(Cue(id=len(cues) + 1, start_ms=start, end_ms=end, lines=lines))
        return Track(cues=cues, format=self.name, fps=ctx.fps)

    def write(self, track: Track, ctx: WriteContext) -> str:
        out = []
        for cue in track.cues:
            shown = writable_lines("MPL2", cue, ctx, whole_styles={"i"})
            times = writable_times("MPL2", cue, ctx) if shown else None
            if times is None:
                continue
            text = "|".join(("/" if "i" in lf.whole else "") + slash_free("MPL2", line, cue, ctx)
                            for lf, line in shown)
            start = round_half_up(times[0] / 100)
            end = max(start, round_half_up(times[1] / 100))
            out.append(f"[{start}][{end}]{text}")
        out.append("")
        return "\n".join(out)

"""MicroDVD (``.sub``): frame-based ``{start}{end}text`` lines."""

from __future__ import annotations

import re

from subloc.errors import ParseError, UsageError
from subloc.formats._colors import microdvd_color, rgb_to_bgr
from subloc.formats._lines import STYLE_ORDER, slash_free, text_lines, wrap, writable_lines
from subloc.formats._timing import default_duration_ms, round_half_up, writable_times
from subloc.formats.base import ReadContext, SubtitleFormat, WriteContext, first_line_matches
from subloc.track import Cue, Track

FPS_MESSAGE = "MicroDVD needs a frame rate: pass --fps (e.g. --fps 23.976)"
_LINE = re.compile(r"^\s*\{\s*(\d+)\s*\}\s*\{\s*(\d*)\s*\}(.*)$")
_CODE = re.compile(r"\{([YyCcFfSsPHhOo]):([^{}]*)\}")
_FPS = re.compile(r"\s*\d+(?:[.,]\d+)?\s*")


def format_fps(fps: float) -> str:
    """The frame rate as written in the ``{1}{1}`` line: at most three decimals."""
    return f"{fps:.3f}".rstrip("0").rstrip(".")


class MicroDvdFormat(SubtitleFormat):
    """MicroDVD: ``{start frame}{end frame}text`` lines, ``|`` between lines of a cue.

    Carries times in frames (so it needs a frame rate: ``ctx.fps``, else a ``{1}{1}23.976``
    first line, also ``{0}{0}23.976`` as pysubs2 writes), line breaks, and formatting of
    whole lines or whole cues: ``{y:i}``/``{y:b}``/``{y:u}`` and ``{c:$BBGGRR}`` for one line,
    ``{Y:…}``/``{C:…}`` for the whole cue; ``/`` at a line start also means italic.
    ``{P:x,y}``, font and size codes are read and ignored. It cannot carry formatting of
    part of a line, positions or foreign tags: the writer drops them with a warning.

    Times: ms = round(frame × 1000 / fps) when reading, frame = round(ms × fps / 1000)
    (halves up) when writing. The writer first writes ``{1}{1}<fps>`` with the frame rate
    rounded to three decimals and computes frames with that same value, so our reader and
    pysubs2 read the file back at the rate it was written with.
    """

    name = "microdvd"
    extensions = (".sub",)
    description = "MicroDVD (frame-based)"

    @classmethod
    def sniff(cls, head: str) -> bool:
        return first_line_matches(head, _LINE)

    def read(self, text: str, ctx: ReadContext) -> Track:
        fps = ctx.fps
        if fps is not None and fps <= 0:
            raise UsageError(f"the frame rate must be positive, got {fps}", path=ctx.path)
        entries: list[tuple[int, int, int | None, str]] = []
        first = True
        for number, line in enumerate(text_lines(text), start=1):
            if not line.strip():
                continue
            match = _LINE.match(line)
            if not match:
                ctx.malformed(f"not a MicroDVD line {{start}}{{end}}text: {line!r}", number)
                continue
            start, end_text, body = int(match.group(1)), match.group(2), match.group(3)
            end = int(end_text) if end_text else None
            if first and start in (0, 1) and end == start and _FPS.fullmatch(body):
                first = False
                declared = float(body.strip().replace(",", "."))
                if declared <= 0:
                    ctx.malformed(f"frame rate {body.strip()!r} is not valid", number)
                elif fps is None:
                    fps = declared
                elif abs(fps - declared) > 0.0005:
                    ctx.warn(
                        f"file declares {format_fps(declared)} fps; "
                        f"using {format_fps(fps)} as asked",
                        line=number,
                    )
                continue
            first = False
            if end is not None and end < start:
                ctx.malformed(f"end frame {end} is before start frame {start}", number)
                continue
            entries.append((number, start, end, body))
        if fps is None:
            raise ParseError(FPS_MESSAGE, path=ctx.path)

        cues: list[Cue] = []
        for index, (number, start, end, body) in enumerate(entries):
            lines = self._lines(body, ctx, number)
            if not lines:
                continue
            start_ms = round(start * 1000 / fps)
            if end is not None:
                end_ms = round(end * 1000 / fps)
            else:
                end_ms = start_ms + default_duration_ms(lines)
                if index + 1 < len(entries):
                    end_ms = min(end_ms, round(entries[index + 1][1] * 1000 / fps))
            cues.append(Cue(id=len(cues) + 1, start_ms=start_ms, end_ms=end_ms, lines=lines))
        return Track(cues=cues, format=self.name, fps=fps)

    @staticmethod
    def _lines(body: str, ctx: ReadContext, number: int) -> list[str]:
        cue_styles: set[str] = set()
        parsed: list[tuple[str, set[str]]] = []
        for raw in body.split("|"):
            line_styles: set[str] = set()

            def code(match: re.Match[str], line_styles: set[str] = line_styles) -> str:
                letter, value = match.group(1), match.group(2)
                target = cue_styles if letter.isupper() else line_styles
                if letter in "Yy":
                    target.update(s for s in STYLE_ORDER if s in value.lower())
                elif letter in "Cc":
                    color = microdvd_color(value)
                    if color is None:
                        ctx.warn(f"colour {value!r} is not $BBGGRR; ignored", line=number)
                    else:
                        target.difference_update([s for s in target if s.startswith("#")])
                        target.add(color)
                return ""

            text = _CODE.sub(code, raw).strip()
            if text.startswith("/"):
                line_styles.add("i")
                text = text[1:].lstrip()
            parsed.append((text, line_styles))
        lines = []
        for text, line_styles in parsed:
            if not text:
                continue
            styles = set(cue_styles)
            if any(s.startswith("#") for s in line_styles):
                styles = {s for s in styles if not s.startswith("#")}
            lines.append(wrap(text, styles | line_styles))
        return lines

    def write(self, track: Track, ctx: WriteContext) -> str:
        fps_value = ctx.fps or track.fps
        if not fps_value or fps_value <= 0:
            raise UsageError(FPS_MESSAGE, path=ctx.path)
        fps_text = format_fps(fps_value)
        fps = float(fps_text)
        out = [f"{{1}}{{1}}{fps_text}"]
        for cue in track.cues:
            shown = writable_lines("MicroDVD", cue, ctx, whole_styles=STYLE_ORDER,
                                   whole_colors=True)
            times = writable_times("MicroDVD", cue, ctx) if shown else None
            if times is None:
                continue
            cue_whole = frozenset.intersection(*(lf.whole for lf, _ in shown))
            parts = []
            for index, (lf, line_text) in enumerate(shown):
                codes = self._codes(cue_whole, upper=True) if index == 0 else ""
                codes += self._codes(lf.whole - cue_whole, upper=False)
                parts.append(codes + slash_free("MicroDVD", line_text, cue, ctx))
            text = "|".join(parts)
            start = round_half_up(times[0] * fps / 1000)
            end = max(start, round_half_up(times[1] * fps / 1000))
            out.append(f"{{{start}}}{{{end}}}{text}")
        out.append("")
        return "\n".join(out)

    @staticmethod
    def _codes(styles: frozenset[str], *, upper: bool) -> str:
        codes = ""
        letters = [s for s in STYLE_ORDER if s in styles]
        if letters:
            codes += "{" + ("Y" if upper else "y") + ":" + ",".join(letters) + "}"
        colors = sorted(s for s in styles if s.startswith("#"))  # #rrggbb: none is dropped
        for bgr in filter(None, map(rgb_to_bgr, colors)):
            codes += "{" + ("C" if upper else "c") + ":$" + bgr + "}"
        return codes

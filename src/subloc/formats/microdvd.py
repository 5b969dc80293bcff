"""MicroDVD (``.sub``): frame-based ``{start}{end}text`` lines.

Also home of the helpers the line-based writers (MicroDVD, MPL2, TMP) share to find out
which formatting covers a whole line and which only part of one (:func:`analyse_lines`),
and to word the warning for what a format cannot carry (:func:`loss_messages`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from subloc import markup
from subloc.errors import ParseError, UsageError
from subloc.formats.base import ReadContext, SubtitleFormat, WriteContext, first_line_matches
from subloc.formats.sami import default_duration_ms, normalise_color
from subloc.track import Cue, Track

# -- shared by the line-based formats ----------------------------------------------------

#: Formatting a line can carry, in the order tags are opened: style letters, then colour.
STYLE_ORDER = ("i", "b", "u")
_LOSS_NAMES = {"i": "italics", "b": "bold", "u": "underline"}


@dataclass(frozen=True)
class LineFormat:
    """One canonical line taken apart.

    ``plain`` is the displayed text; ``whole`` the formatting covering all of its visible
    text (``"i"``, ``"b"``, ``"u"`` and at most one ``"#rrggbb"`` colour); ``partial``
    the formatting covering only part of it.
    """

    plain: str
    whole: frozenset[str]
    partial: frozenset[str]


def analyse_lines(lines: list[str]) -> tuple[list[LineFormat], list[str]]:
    """The lines' formatting and the foreign tags (raw, deduplicated) they hold.

    Tags may span lines (``<i>one`` / ``two</i>``); whitespace-only text does not count
    when deciding whether formatting covers a whole line.
    """
    counts = dict.fromkeys(STYLE_ORDER, 0)
    fonts: list[str | None] = []
    foreign: list[str] = []
    result = []
    for line in lines:
        plain: list[str] = []
        styles: list[frozenset[str]] = []
        for token in markup.tokenize(line):
            if token.kind == "text":
                plain.append(token.raw)
                if token.raw.strip():
                    current = {name for name, count in counts.items() if count > 0}
                    color = next((c for c in reversed(fonts) if c), None)
                    if color:
                        current.add(color)
                    styles.append(frozenset(current))
            elif token.name in counts and token.kind == "open":
                counts[token.name] += 1
            elif token.name in counts and token.kind == "close":
                counts[token.name] = max(0, counts[token.name] - 1)
            elif token.name == "font" and token.kind == "open":
                raw = markup.font_color(token.raw)
                color = normalise_color(raw) if raw else None
                if raw and color is None and token.raw not in foreign:
                    foreign.append(token.raw)
                fonts.append(color)
            elif token.name == "font" and token.kind == "close":
                if fonts:
                    fonts.pop()
            elif token.kind != "close" and token.raw not in foreign:
                foreign.append(token.raw)
        whole = frozenset.intersection(*styles) if styles else frozenset()
        union = frozenset().union(*styles)
        result.append(LineFormat("".join(plain), whole, union - whole))
    return result, foreign


def style_names(styles: frozenset[str] | set[str]) -> str:
    """``"italics, bold and colours"`` for a set of styles."""
    names = [_LOSS_NAMES[s] for s in STYLE_ORDER if s in styles]
    if any(s.startswith("#") for s in styles):
        names.append("colours")
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def loss_messages(fmt: str, inline: set[str], whole: set[str], foreign: list[str]) -> list[str]:
    """Warnings for formatting a writer drops: inline, whole-line, and foreign tags."""
    messages = []
    if inline:
        messages.append(f"{fmt} cannot carry inline {style_names(inline)}; written without them")
    if whole:
        messages.append(f"{fmt} cannot carry {style_names(whole)}; written without them")
    if foreign:
        messages.append(f"{fmt} cannot carry {', '.join(foreign)}; written without them")
    return messages


def wrap(text: str, styles: frozenset[str] | set[str]) -> str:
    """Canonical markup for a line of plain text with whole-line formatting."""
    opening = "".join(f"<{s}>" for s in STYLE_ORDER if s in styles)
    closing = "".join(f"</{s}>" for s in reversed(STYLE_ORDER) if s in styles)
    color = next((s for s in sorted(styles) if s.startswith("#")), None)
    if color:
        opening += f'<font color="{color}">'
        closing = "</font>" + closing
    return opening + text + closing


def round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def check_position(fmt: str, cue: Cue, ctx: WriteContext) -> None:
    if cue.align not in (None, 2):
        ctx.warn(
            f"{fmt} cannot carry cue positions (align {cue.align}); written at the bottom",
            cue=cue.id,
        )


def pipe_free(fmt: str, texts: list[str], cue: Cue, ctx: WriteContext) -> list[str]:
    """Lines with ``|`` (the line break of these formats) replaced by ``¦``, with a warning."""
    if any("|" in text for text in texts):
        ctx.warn(f"{fmt} uses '|' as its line break; '|' in the text written as '¦'", cue=cue.id)
    return [text.replace("|", "¦") for text in texts]


# -- MicroDVD ------------------------------------------------------------------------------

FPS_MESSAGE = "MicroDVD needs a frame rate: pass --fps (e.g. --fps 23.976)"
_LINE = re.compile(r"^\s*\{\s*(\d+)\s*\}\s*\{\s*(\d*)\s*\}(.*)$")
_CODE = re.compile(r"\{([YyCcFfSsPHhOo]):([^{}]*)\}")
_FPS = re.compile(r"\s*\d+(?:[.,]\d+)?\s*")


def _bgr_to_rgb(value: str) -> str | None:
    match = re.fullmatch(r"\s*(?:\$|&H)?([0-9A-Fa-f]{6})&?\s*", value)
    if not match:
        return None
    bgr = match.group(1).lower()
    return "#" + bgr[4:6] + bgr[2:4] + bgr[0:2]


def _rgb_to_bgr(color: str) -> str:
    rgb = color.lstrip("#").upper()
    return "$" + rgb[4:6] + rgb[2:4] + rgb[0:2]


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
        for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
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
                    color = _bgr_to_rgb(value)
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
            formats, foreign = analyse_lines(cue.lines)
            shown = [lf for lf in formats if lf.plain.strip()]
            if not shown:
                ctx.warn("cue has no text; not written", cue=cue.id)
                continue
            check_position("MicroDVD", cue, ctx)
            inline = set().union(*(lf.partial for lf in shown))
            for message in loss_messages("MicroDVD", inline, set(), foreign):
                ctx.warn(message, cue=cue.id)
            cue_whole = frozenset.intersection(*(lf.whole for lf in shown))
            texts = pipe_free("MicroDVD", [lf.plain.strip() for lf in shown], cue, ctx)
            parts = []
            for index, (lf, line_text) in enumerate(zip(shown, texts, strict=True)):
                codes = self._codes(cue_whole, upper=True) if index == 0 else ""
                codes += self._codes(lf.whole - cue_whole, upper=False)
                parts.append(codes + line_text)
            text = "|".join(parts)
            start = max(0, round_half_up(cue.start_ms * fps / 1000))
            end = max(start, round_half_up(cue.end_ms * fps / 1000))
            out.append(f"{{{start}}}{{{end}}}{text}")
        out.append("")
        return "\n".join(out)

    @staticmethod
    def _codes(styles: frozenset[str], *, upper: bool) -> str:
        codes = ""
        letters = [s for s in STYLE_ORDER if s in styles]
        if letters:
            codes += "{" + ("Y" if upper else "y") + ":" + ",".join(letters) + "}"
        for color in sorted(s for s in styles if s.startswith("#")):
            codes += "{" + ("C" if upper else "c") + ":" + _rgb_to_bgr(color) + "}"
        return codes

"""Scenarist SCC (CEA-608 line 21 captions), written and read with ttconv.

Reading: every line is checked first (a time code, then 4-digit hex words; ttconv's reader
silently skips any other line, including a time code followed by spaces rather than a
tab): a malformed line is a :class:`~subloc.errors.ParseError` naming it, or with
``--lenient`` a warning and the line is skipped. ttconv's SCC reader decodes pop-on
(RCL … EOC, with or without EDM), paint-on and roll-up captions; the cues are what its
model shows when (:func:`~subloc.formats._ttconv.document_to_track`): paint-on captions
build up and roll-up captions roll, one cue per change. A file with caption data that
shows no caption gets a warning naming the likely cause.

Writing builds a ttconv content document (one ``p`` per cue) and hands it to
``ttconv.scc.writer`` as pop-on captions (``force_popon``: ttconv would otherwise guess
roll-up mode from cues whose text continues the previous one), 29.97 fps drop-frame unless
``ctx.fps`` is 30.

What ttconv's SCC writer loses, and what this module does about it (every loss is a
``ctx.warn`` naming the cue):

* every style: it writes white, non-italic, non-underlined text (CEA-608 has italics,
  underline and seven colours, but the writer emits none of them), and 608 has no bold;
* position: every caption goes on the bottom rows (left/right alignment is kept);
* characters outside the 608 standard and special sets (it writes a space instead; the
  608 extended set, e.g. ``ü ß Ä``, is not supported by the writer either): replaced here
  by the nearest character it can write (``ő`` → ``o``, ``’`` → ``'``);
* lines longer than 32 columns (it re-wraps them in the middle of words): re-wrapped here at
  word boundaries;
* ruby: the annotations are left out, the base text is kept;
* a cue whose caption data cannot be sent in time after the previous one (it drops it): its
  warning is passed on; a cue that starts before its caption data can be sent (the writer
  fails): shown that much later.
"""

from __future__ import annotations

import math
import re
import textwrap
import unicodedata
from collections.abc import Callable
from fractions import Fraction

from ttconv import model
from ttconv.scc import reader as scc_reader
from ttconv.scc import writer as scc_writer
from ttconv.scc.codes.characters import unicode_to_scc
from ttconv.scc.codes.special_characters import SccSpecialCharacter
from ttconv.scc.codes.standard_characters import TO_SCC_BYTES
from ttconv.scc.config import SCCFrameRate, SccWriterConfiguration
from ttconv.style_properties import StyleProperties, TextAlignType

from subloc import markup
from subloc.errors import OutputError, ParseError
from subloc.formats._timing import seconds_to_ms
from subloc.formats._ttconv import (
    RUBY_TAGS,
    document_to_track,
    markup_runs,
    read_model,
    ruby_annotations,
    ttconv_messages,
)
from subloc.formats.base import ReadContext, SubtitleFormat, WriteContext
from subloc.track import Cue, Track

HEADER = "Scenarist_SCC V1.0"
MAX_COLUMNS = 32

#: Characters ttconv's SCC writer can encode (CEA-608 standard and special sets).
SCC_CHARACTERS = frozenset(TO_SCC_BYTES) | frozenset(
    char.get_unicode_value() for char in SccSpecialCharacter
)

_SUBSTITUTES = {
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
    "‹": "'", "›": "'",
    "–": "-", "—": "-", "‒": "-", "―": "-", "‐": "-", "‑": "-", "−": "-", "~": "-",
    "…": "...", "•": "-", "·": ".",
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th",
    "ı": "i", "€": "EUR", "¡": "!", "×": "x", "*": "#", "_": "-", "|": "!",
    "{": "(", "}": ")", "\\": "/", "^": "'",
}

_SKIPPED_ISD = re.compile(r"Skipping ISD at ([0-9.]+)")


def scc_substitute(char: str) -> str:
    """What to write for a character the SCC writer cannot encode (``?`` as a last resort)."""
    if char in SCC_CHARACTERS:
        return char
    if char.isspace():
        return " "
    if char in _SUBSTITUTES:
        return _SUBSTITUTES[char]
    decomposed = "".join(
        part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part)
    )
    if decomposed and all(part in SCC_CHARACTERS for part in decomposed):
        return decomposed
    return "?"


def _wrap(line: str) -> list[str]:
    return textwrap.wrap(line, MAX_COLUMNS, break_long_words=True, break_on_hyphens=False) or [""]


def _chunk_frames(lines: list[str], align: TextAlignType) -> int:
    """Frames ttconv's writer needs to send a pop-on caption (mirrors ``writer._Chunk``)."""
    octets = 8  # RCL and ENM, each sent twice
    for line in lines:
        octets += octets % 2 + 4  # PAC, sent twice, on a packet boundary
        if align is TextAlignType.center:
            octets += ((MAX_COLUMNS - len(line)) // 2) % 4
        elif align is TextAlignType.end:
            octets += (MAX_COLUMNS - len(line)) % 4
        for char in line:
            size = len(unicode_to_scc(char))
            octets += (octets % 2 if size > 1 else 0) + size
    octets += octets % 2 + 4  # EOC
    return (octets + 1) // 2


def _text_align(align: int | None) -> TextAlignType:
    if align in (1, 4, 7):
        return TextAlignType.start
    if align in (3, 6, 9):
        return TextAlignType.end
    return TextAlignType.center


class SccFormat(SubtitleFormat):
    """Scenarist SCC: CEA-608 caption bytes with SMPTE time codes (29.97 fps drop-frame).

    Written as pop-on captions through ttconv; read through ttconv's SCC reader (pop-on,
    roll-up and paint-on, as they build up on screen; italics, underline and colours become
    canonical tags). SCC as ttconv writes it carries plain text only, in the 608 character
    set, 32 columns, on the bottom rows: every cue that loses formatting, position, ruby or
    characters gets a warning.
    """

    name = "scc"
    extensions = (".scc",)
    description = "Scenarist SCC (CEA-608 closed captions)"

    @classmethod
    def sniff(cls, head: str) -> bool:
        return head.lstrip("\ufeff \t\r\n").startswith(HEADER)

    def read(self, text: str, ctx: ReadContext) -> Track:
        if not self.sniff(text):
            raise ParseError(f"an SCC file starts with {HEADER!r}", path=ctx.path, line=1)
        clean, words = _checked_lines(text, ctx)
        doc = read_model(lambda: scc_reader.to_model(clean), "SCC file", ctx)
        track = document_to_track(
            doc, fmt=self.name, ctx=ctx, fps=30000 / 1001, horizontal=False
        )
        if not track.cues and words:
            ctx.warn(f"no caption is ever shown: {_why_nothing_shown(words)}")
        return track

    def write(self, track: Track, ctx: WriteContext) -> str:
        frame_rate = SCCFrameRate.FPS_2997_DF
        if ctx.fps is not None:
            if abs(ctx.fps - 30) < 0.001:
                frame_rate = SCCFrameRate.FPS_30_NDF
            elif abs(ctx.fps - 30000 / 1001) >= 0.005:
                ctx.warn(f"SCC runs at 29.97 or 30 fps, not {ctx.fps:g}; written at 29.97 fps"
                         " drop-frame")
        fps: Fraction = frame_rate.fps

        doc = model.ContentDocument()
        doc.set_lang(ctx.language or track.language or "")
        body = model.Body(doc)
        doc.set_body(body)
        div = model.Div(doc)
        body.push_child(div)

        starts: dict[int, Cue] = {}
        previous: Cue | None = None
        first = True
        for cue in sorted(track.cues, key=lambda c: (c.start_ms, c.end_ms, c.id)):

            def warn(message: str, cue_id: int = cue.id) -> None:
                ctx.warn(message, cue=cue_id)

            lines = self._cue_lines(cue, warn)
            if not any(lines):
                warn("cue has no text; not written")
                continue
            if cue.end_ms <= cue.start_ms:
                warn("cue ends before it starts; not written")
                continue
            if previous is not None and cue.start_ms < previous.end_ms:
                warn(f"overlaps cue {previous.id}; SCC shows one caption at a time, so both are"
                     " shown together while they overlap")

            align = _text_align(cue.align)
            begin = Fraction(cue.start_ms, 1000)
            if first:
                # ttconv fails when the first caption's data would have to start before 0.
                earliest = Fraction(max(0, _chunk_frames(lines, align) - 2)) / fps
                if begin < earliest:
                    shifted = math.ceil(earliest * 1000)
                    warn(f"SCC needs time to send a caption before showing it; this cue is shown"
                         f" at {shifted} ms instead of {cue.start_ms} ms")
                    begin = Fraction(shifted, 1000)
                first = False
            if Fraction(cue.end_ms, 1000) <= begin:
                warn("cue is too short to be sent after the start of the SCC stream; not written")
                continue

            p = model.P(doc)
            p.set_begin(begin)
            p.set_end(Fraction(cue.end_ms, 1000))
            p.set_style(StyleProperties.TextAlign, align)
            for index, line in enumerate(lines):
                if index:
                    p.push_child(model.Br(doc))
                span = model.Span(doc)
                span.push_child(model.Text(doc, line))
                p.push_child(span)
            div.push_child(p)
            starts[seconds_to_ms(begin)] = cue
            previous = cue

        config = SccWriterConfiguration(force_popon=True, frame_rate=frame_rate)
        with ttconv_messages() as messages:
            try:
                output: str = scc_writer.from_model(doc, config)
            except Exception as exc:  # ttconv raises RuntimeError/ValueError
                raise OutputError(
                    f"ttconv's SCC writer failed: {exc or type(exc).__name__}", path=ctx.path
                ) from exc
        for message in dict.fromkeys(messages):
            skipped = _SKIPPED_ISD.match(message)
            if skipped:
                at = seconds_to_ms(Fraction(skipped.group(1)))
                dropped = starts.get(at)
                where = f"the caption at {at} ms" if dropped is None else "this cue"
                ctx.warn(
                    f"the SCC writer dropped {where}: its caption data cannot be sent in the"
                    " time since the previous caption; lengthen the gap before it",
                    cue=dropped.id if dropped is not None else None,
                )
            else:
                ctx.warn(f"ttconv: {message}")
        return output if output.endswith("\n") else output + "\n"

    @staticmethod
    def _cue_lines(cue: Cue, warn: Callable[[str], None]) -> list[str]:
        """The cue's plain lines in the characters SCC can carry, warning for each loss."""
        foreign = [t.raw for t in markup.tokenize(cue.text)
                   if t.kind == "other" or (t.is_tag and t.name not in markup.CANONICAL
                                            and t.name not in RUBY_TAGS)]
        if foreign:
            warn(f"SCC cannot carry the tags {', '.join(dict.fromkeys(foreign))}; written"
                 " without them")
        annotations = ruby_annotations(cue.lines)
        if annotations:
            warn(f"SCC cannot carry ruby; the annotations ({', '.join(annotations)}) are left"
                 " out, the base text is kept")
        italic = bold = underline = False
        colors: list[str] = []
        plain: list[str] = []
        for line in cue.lines:
            chars = markup_runs(line, warn)
            for char, style in chars:
                if char.isspace():
                    continue
                italic |= style.italic
                bold |= style.bold
                underline |= style.underline
                if style.color and style.color not in colors:
                    colors.append(style.color)
            plain.append(" ".join("".join(char for char, _ in chars).split()))
        if italic:
            warn("ttconv's SCC writer cannot write italics (CEA-608 has them, the writer"
                 " emits none); written without them")
        if bold:
            warn("SCC (CEA-608) has no bold; written without it")
        if underline:
            warn("ttconv's SCC writer cannot write underline; written without it")
        for color in colors:
            warn(f"SCC cannot carry colour {color}; written without it")
        if cue.align in (4, 5, 6, 7, 8, 9):
            warn(f"ttconv's SCC writer puts every caption on the bottom rows; the position of"
                 f" align {cue.align} is lost")

        replaced: dict[str, str] = {}
        lines: list[str] = []
        for line in plain:
            out = []
            for char in line:
                substitute = scc_substitute(char)
                if substitute != char and not char.isspace():
                    replaced.setdefault(char, substitute)
                out.append(substitute)
            lines.append("".join(out))
        for char, substitute in replaced.items():
            warn(f"character {char!r} (U+{ord(char):04X}) is not in the CEA-608 set that the"
                 f" SCC writer supports; written as {substitute!r}")

        wrapped: list[str] = []
        for line in lines:
            if len(line) > MAX_COLUMNS:
                warn(f"line longer than {MAX_COLUMNS} columns (the CEA-608 limit) re-wrapped:"
                     f" {line!r}")
                wrapped.extend(_wrap(line))
            elif line:
                wrapped.append(line)
        return wrapped


#: A data line: an SMPTE time code (``;``, ``.`` or ``,`` before the frames: drop-frame),
#: white space, and 4-digit hex words separated by white space.
_DATA_LINE = re.compile(
    r"\s*(?P<tc>(?P<h>\d\d):(?P<m>\d\d):(?P<s>\d\d)[:;.,](?P<f>\d\d))"
    r"(?:\s+(?P<words>[0-9A-Fa-f]{4}(?:\s+[0-9A-Fa-f]{4})*))?\s*"
)
_EOC, _EDM, _RDC = 0x142F, 0x142C, 0x1429
_ROLL_UP = frozenset({0x1425, 0x1426, 0x1427})


def _checked_lines(text: str, ctx: ReadContext) -> tuple[str, list[int]]:
    """The file as ttconv's reader expects it (one tab after the time code, one space
    between words; ttconv silently skips any other line), and its words without parity.

    A line that is neither blank nor a time code followed by 4-digit hex words, or whose
    time code is impossible or earlier than the one before, is malformed:
    :meth:`ReadContext.malformed` (a :class:`ParseError` naming the line, or with
    ``--lenient`` a warning, and the line is skipped).
    """
    lines = text.lstrip("\ufeff").splitlines()
    first = next(index for index, line in enumerate(lines) if line.strip())  # the header
    out = [HEADER]
    words: list[int] = []
    previous: tuple[int, int, int, int] | None = None
    for number, line in enumerate(lines[first + 1:], start=first + 2):
        if not line.strip():
            out.append("")
            continue
        match = _DATA_LINE.fullmatch(line)
        if match is None:
            ctx.malformed(f"malformed SCC line {line.strip()[:40]!r}", number,
                          expected=": expected a time code and 4-digit hex words like"
                                   " '00:00:01;00<tab>9420 9420'")
            continue
        stamp = (int(match["h"]), int(match["m"]), int(match["s"]), int(match["f"]))
        if stamp[1] > 59 or stamp[2] > 59 or stamp[3] > 29:
            ctx.malformed(f"impossible time code {match['tc']!r}", number,
                          expected=" (minutes and seconds go up to 59, frames to 29)")
            continue
        if previous is not None and stamp < previous:
            ctx.malformed(f"time code {match['tc']!r} is earlier than the one before", number,
                          fix="put the lines in time order")
            continue
        previous = stamp
        line_words = (match["words"] or "").split()
        words.extend(int(word, 16) & 0x7F7F for word in line_words)
        out.append(f"{match['tc']}\t{' '.join(line_words)}")
    return "\n".join(out) + "\n", words


def _why_nothing_shown(words: list[int]) -> str:
    """The likely reason an SCC file with caption data shows no caption (``words``:
    without parity)."""
    words = [word for word in words if word]
    codes = [word for word in words if 0x10 <= word >> 8 < 0x20]
    if not words:
        return "its caption data is only padding (8080)"
    if codes and all(word >> 8 & 0x08 for word in codes):
        return "its captions are on data channel 2 (CC2), which is not read; only CC1 is"
    if len(codes) == len(words):
        return "its caption data holds no text (only control codes)"
    if _EOC not in words and _RDC not in words and not _ROLL_UP & set(words):
        return ("it loads pop-on captions but never displays them: there is no End Of"
                " Caption code (942f), nor paint-on (9429) or roll-up (9425-9427)")
    return ("every caption is erased as soon as it is displayed, or the text is sent before"
            " any caption mode (pop-on 9420, paint-on 9429, roll-up 9425-9427) is set")


__all__ = ["SCC_CHARACTERS", "SccFormat", "scc_substitute"]

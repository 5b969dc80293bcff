"""Scenarist SCC (CEA-608 line 21 captions), written and read with ttconv.

Reading: every line is checked first (a time code, then 4-digit hex words; ttconv's reader
silently skips any other line, including a time code followed by spaces rather than a
tab): a malformed line is a :class:`~subloc.errors.ParseError` naming it, or with
``--lenient`` a warning and the line is skipped. ttconv's SCC reader decodes pop-on
(RCL … EOC, with or without EDM), paint-on and roll-up captions; the cues are what its
model shows when (:func:`~subloc.formats._ttconv.document_to_track`): paint-on captions
build up and roll-up captions roll, one cue per change. A file with caption data that
shows no caption gets a warning naming the likely cause. A caption starts at the frame of
its End Of Caption code (pop-on) and ends at the frame of the code that erases or
replaces it; time codes count 29.97 fps frames, or with ``ctx.fps`` 30 and no drop-frame
time code, 30 fps frames (ttconv's reader counts every file at 29.97).

Writing builds a ttconv content document (one ``p`` per caption) and hands it to
``ttconv.scc.writer`` as pop-on captions (``force_popon``: ttconv would otherwise guess
roll-up mode from cues whose text continues the previous one), 29.97 fps drop-frame unless
``ctx.fps`` is 30. Times are handed over on whole frames (the nearest frame to each cue's
times), so that a reader finds each caption where the cue was, within half a frame:

* ttconv sends a caption so that its End Of Caption falls on the frame of its begin (it
  truncates to the frame before: handed the nearest frame, nothing is truncated);
* ttconv sends the EDM that erases a caption at its end, but when that EDM falls within
  the data of the next caption it inserts it there 2 frames early (``_Chunk.insert``
  counts the place from the chunk's begin before moving the begin): such an end is
  handed over 2 frames later; and when the next caption follows within a frame, its End
  Of Caption replaces the caption by itself, and the EDM ttconv inserts just before it
  is taken out.

What ttconv's SCC writer loses, and what this module does about it (every loss is a
``ctx.warn`` naming the cue):

* every style: it writes white, non-italic, non-underlined text (CEA-608 has italics,
  underline and seven colours, but the writer emits none of them), and 608 has no bold;
* position: every caption goes on the bottom rows (left/right alignment is kept);
* characters outside the 608 standard and special sets (it writes a space instead; the
  608 extended set, e.g. ``ü ß Ä``, is not supported by the writer either): replaced here
  by the nearest character it can write (``ő`` → ``o``, ``’`` → ``'``);
* a special character repeated at once (``♪♪``): it sends each once, and a reader takes a
  repeated two-byte code for the redundant copy of the first; the repeat is handed over
  twice, so it is sent twice;
* lines longer than 32 columns (it re-wraps them in the middle of words): re-wrapped here at
  word boundaries; more than 14 lines (it puts the n lines of a caption on rows 15-n to 14,
  and garbles more): the others are left out;
* ruby: the annotations are left out, the base text is kept;
* overlapping cues (SCC shows one caption at a time; ttconv would show the lines of both
  as a caption per change, more captions than cues): merged into one caption from the
  first start to the last end;
* a cue whose caption data cannot be sent in time after the previous one (it drops it): its
  warning is passed on; the first caption, when it starts before its caption data can be
  sent from 00:00:00;00 (the writer fails): shown that much later, at the time a reader
  then finds;
* times of 100 hours or more (SCC time codes have two hour digits; ttconv writes three,
  which no reader takes): a cue that starts there is left out, one that ends there ends at
  the last time code;
* a cue shorter than 2 frames (the End Of Caption is sent twice): shown for 2 frames.
"""

from __future__ import annotations

import itertools
import re
import textwrap
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from ttconv import model
from ttconv.scc import reader as scc_reader
from ttconv.scc import writer as scc_writer
from ttconv.scc.codes.characters import unicode_to_scc
from ttconv.scc.codes.special_characters import SccSpecialCharacter
from ttconv.scc.codes.standard_characters import TO_SCC_BYTES
from ttconv.scc.config import SCCFrameRate, SccWriterConfiguration
from ttconv.style_properties import StyleProperties, TextAlignType
from ttconv.time_code import SmpteTimeCode

from subloc import markup
from subloc.errors import OutputError, ParseError
from subloc.formats._timing import clock_time, round_half_up, seconds_to_ms, writable_times
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
#: Rows a caption can have: ttconv's writer puts the n lines of a caption on rows 15-n to 14.
MAX_ROWS = 14
#: The shortest a caption can be shown: its End Of Caption code, sent twice, then the EDM.
MIN_FRAMES = 2
#: Erase Displayed Memory and End Of Caption on channel 1, with parity, as ttconv writes them.
_EDM_WORD, _EOC_WORD = "942c", "942f"

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
        clean, words, drop_frame = _checked_lines(text, ctx)
        doc = read_model(lambda: scc_reader.to_model(clean), "SCC file", ctx)
        fps = 30000 / 1001
        if ctx.fps is not None and abs(ctx.fps - 30) < 0.001:
            if drop_frame:
                ctx.warn("drop-frame time codes (';') count frames at 29.97 fps, not 30; read"
                         " at 29.97 fps")
            else:  # ttconv's reader counts every time code at 29.97 fps
                _rescale(doc.get_body(), Fraction(1000, 1001))
                fps = 30
        track = document_to_track(doc, fmt=self.name, ctx=ctx, fps=fps, horizontal=False)
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
        clock = _Clock(frame_rate)
        captions = self._captions(track, ctx, clock)
        captions = _schedule(captions, ctx, clock)

        doc = model.ContentDocument()
        doc.set_lang(ctx.language or track.language or "")
        body = model.Body(doc)
        doc.set_body(body)
        div = model.Div(doc)
        body.push_child(div)
        for caption in captions:
            p = model.P(doc)
            p.set_begin(Fraction(caption.start) / clock.fps)
            p.set_end(Fraction(caption.erase_at) / clock.fps)
            p.set_style(StyleProperties.TextAlign, caption.align)
            for index, line in enumerate(caption.sent_lines):
                if index:
                    p.push_child(model.Br(doc))
                span = model.Span(doc)
                span.push_child(model.Text(doc, line))
                p.push_child(span)
            div.push_child(p)

        config = SccWriterConfiguration(force_popon=True, frame_rate=frame_rate)
        with ttconv_messages() as messages:
            try:
                output: str = scc_writer.from_model(doc, config)
            except Exception as exc:  # ttconv raises RuntimeError/ValueError
                raise OutputError(
                    f"ttconv's SCC writer failed: {exc or type(exc).__name__}", path=ctx.path
                ) from exc
        by_start = {caption.start: caption for caption in captions}
        for message in dict.fromkeys(messages):
            skipped = _SKIPPED_ISD.match(message)
            if skipped:
                at = round_half_up(Fraction(skipped.group(1)) * clock.fps)
                dropped = by_start.get(at)
                text = ("its caption data cannot be sent in the time since the previous"
                        " caption; lengthen the gap before it")
                if dropped is None:
                    ctx.warn(f"the SCC writer dropped the caption at {clock.ms(at)} ms: {text}")
                for cue in dropped.cues if dropped is not None else ():
                    ctx.warn(f"the SCC writer dropped this cue: {text}", cue=cue.id)
            else:
                ctx.warn(f"ttconv: {message}")
        output = _without_needless_erase(output, captions, clock)
        return output if output.endswith("\n") else output + "\n"

    def _captions(self, track: Track, ctx: WriteContext, clock: _Clock) -> list[_Caption]:
        """The track as pop-on captions, in frames: overlapping cues merged into one
        caption (SCC shows one at a time), at most :data:`MAX_ROWS` lines each."""
        groups: list[list[tuple[Cue, list[str], int, int]]] = []
        group_end = 0
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
            times = writable_times("SCC", cue, ctx)
            assert times is not None  # no max_ms: always written
            start, end = times
            if groups and start < group_end:
                groups[-1].append((cue, lines, start, end))
                group_end = max(group_end, end)
            else:
                groups.append([(cue, lines, start, end)])
                group_end = end

        captions: list[_Caption] = []
        for group in groups:
            cues = [cue for cue, _, _, _ in group]
            align = _text_align(cues[0].align)
            rows: list[str] = []
            for cue, cue_lines, _, _ in group:
                room = MAX_ROWS - len(rows)
                if len(cue_lines) > room:
                    ctx.warn(f"SCC shows at most {MAX_ROWS} rows (as ttconv's writer places"
                             f" them); {len(cue_lines) - room} of the cue's lines left out:"
                             f" {' / '.join(cue_lines[room:])}", cue=cue.id)
                rows.extend(cue_lines[:room])
            caption = _Caption(
                cues=cues, lines=rows, align=align,
                start=clock.frame(min(start for _, _, start, _ in group)),
                end=clock.frame(max(end for _, _, _, end in group)),
            )
            if len(cues) > 1:
                aligned = ("" if all(_text_align(cue.align) is align for cue in cues)
                           else f", aligned as cue {cues[0].id}")
                caption.warn(ctx, f"SCC shows one caption at a time: the overlapping cues"
                                  f" {', '.join(str(cue.id) for cue in cues)} are written"
                                  f" as one caption, shown from {clock.ms(caption.start)} ms"
                                  f" to {clock.ms(caption.end)} ms{aligned}")
            captions.append(caption)
        return captions

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
        for index, line in enumerate(wrapped):
            if len(_sent_line(line)) > MAX_COLUMNS:  # no room to send a repeat twice
                single = "".join(char for n, char in enumerate(line)
                                 if not n or char != line[n - 1] or len(unicode_to_scc(char)) < 2)
                warn(f"a CEA-608 special character repeated at once must be sent twice more,"
                     f" and the line has no room for it: {line!r} written as {single!r}")
                wrapped[index] = single
        return wrapped


class _Clock:
    """Frames of an SCC frame rate: what the writer sends when, and what a reader makes of
    it (a time code's frame count over the frame rate, in whole ms halves up)."""

    def __init__(self, frame_rate: SCCFrameRate) -> None:
        self.fps: Fraction = frame_rate.fps
        self.drop_frame: bool = frame_rate.df
        separator = ";" if self.drop_frame else ":"
        #: The last time code SCC can carry: two hour digits.
        self.last_text = f"99:59:59{separator}29"
        self.last = self.parse(self.last_text)

    def frame(self, ms: int) -> int:
        """The frame nearest ``ms``."""
        return round_half_up(Fraction(ms) * self.fps / 1000)

    def ms(self, frame: int) -> int:
        """The time a reader gives ``frame``."""
        return seconds_to_ms(Fraction(frame) / self.fps)

    def parse(self, time_code: str) -> int:
        frames: int = SmpteTimeCode.parse(time_code, self.fps).to_frames()
        return frames

    def time_code(self, frame: int) -> str:
        return str(SmpteTimeCode.from_frames(frame, self.fps, self.drop_frame))


@dataclass
class _Caption:
    """A pop-on caption: the cues it shows, their lines and when, in frames.

    ttconv's writer sends a caption as one chunk of ``frames`` frames (RCL, ENM, a PAC and
    the characters of each line, EOC: every control code twice) ending in the End Of
    Caption that shows it at ``start``: the chunk starts at :attr:`load`. It erases the
    caption with an EDM at the caption's end, and when that EDM falls within the next
    caption's chunk it inserts it there (``_Chunk.insert``), 2 frames earlier than asked.
    """

    cues: list[Cue]
    lines: list[str]
    align: TextAlignType
    #: The frame of the End Of Caption code that shows it (what a reader takes as start).
    start: int
    #: The frame of the Erase Displayed Memory code (what a reader takes as end).
    end: int
    #: The end handed to ttconv, so that its EDM lands at ``end`` (see :func:`_schedule`).
    erase_at: int = 0
    #: Shown as the previous caption ends: its EOC replaces it, no EDM is needed before it.
    replaces: bool = False
    #: ttconv's writer will drop it (its data cannot be sent after the previous caption).
    dropped: bool = False

    @property
    def sent_lines(self) -> list[str]:
        return [_sent_line(line) for line in self.lines]

    @property
    def frames(self) -> int:
        return _chunk_frames(self.sent_lines, self.align)

    @property
    def load(self) -> int:
        """The frame ttconv's writer starts sending it."""
        return self.start - self.frames + 2

    def warn(self, ctx: WriteContext, message: str) -> None:
        for cue in self.cues:
            ctx.warn(message, cue=cue.id)


def _schedule(captions: list[_Caption], ctx: WriteContext, clock: _Clock) -> list[_Caption]:
    """The captions as ttconv's writer can send them, each change warned per cue: within
    the time codes SCC has, at least 2 frames long, the first late enough to be sent after
    00:00:00;00; and the end each is handed to ttconv so that its EDM lands on its end."""
    kept: list[_Caption] = []
    for caption in captions:
        if caption.start > clock.last - 3:
            for cue in caption.cues:
                ctx.warn(f"cue starts at {clock_time(max(cue.start_ms, 0))}, later than SCC"
                         f" can hold (its time codes have two hour digits, up to"
                         f" {clock.last_text}); not written", cue=cue.id)
            continue
        if caption.end > clock.last - 1:
            caption.end = clock.last - 1
            caption.warn(ctx, f"cue ends later than SCC can hold (its time codes have two hour"
                              f" digits, up to {clock.last_text}); written ending at"
                              f" {clock_time(clock.ms(caption.end))}")
        kept.append(caption)
    captions, kept = kept, []
    for index, caption in enumerate(captions):
        if caption.end - caption.start >= MIN_FRAMES:
            kept.append(caption)
            continue
        following = captions[index + 1].start if index + 1 < len(captions) else clock.last
        if caption.start + MIN_FRAMES > following:
            caption.warn(ctx, f"cue is shorter than the {MIN_FRAMES} frames SCC needs to show"
                              " and erase a caption, and the next one follows at once; not"
                              " written")
            continue
        caption.end = caption.start + MIN_FRAMES
        caption.warn(ctx, f"cue is shorter than the {MIN_FRAMES} frames SCC needs to show and"
                          f" erase a caption; shown until {clock.ms(caption.end)} ms")
        kept.append(caption)
    captions = kept

    # The first caption's data is sent from 00:00:00;00 on: it can be shown no earlier.
    while captions:
        first = captions[0]
        earliest = first.frames - 2
        if first.start >= earliest:
            break
        following = captions[1].start if len(captions) > 1 else clock.last - 1
        end = first.end
        if end < earliest + MIN_FRAMES:
            end = min(earliest + first.end - first.start, following)
        if end < earliest + MIN_FRAMES:
            first.warn(ctx, f"SCC needs {clock.ms(earliest)} ms to send this caption before"
                            " showing it, and the next one follows before then; not written")
            captions.pop(0)
            continue
        until = "" if end == first.end else f" until {clock.ms(end)} ms"
        first.warn(ctx, f"SCC needs time to send a caption before showing it; this cue is"
                        f" shown at {clock.ms(earliest)} ms{until} instead of"
                        f" {clock.ms(first.start)} ms")
        first.start, first.end = earliest, end
        break

    # Which captions ttconv's writer drops (it warns), and where each EDM must be asked for.
    sent: list[_Caption] = []
    for caption in captions:
        if sent and sent[-1].start + 4 > caption.load:
            caption.dropped = True  # the previous EOC (2 frames) and EDM (2 frames) first
        else:
            sent.append(caption)
    following_in = {id(c): n for c, n in itertools.pairwise(captions)}
    for caption, after in itertools.zip_longest(sent, sent[1:]):
        assert caption is not None
        caption.erase_at = caption.end
        if after is None:
            continue
        if caption.end >= after.start - 1:  # within a frame: the next EOC replaces it
            after.replaces = True
            caption.erase_at = after.start
        elif caption.end + 2 >= after.load:  # ttconv inserts the EDM 2 frames early
            caption.erase_at = caption.end + 2
        following_caption = following_in.get(id(caption))
        if following_caption is not None:  # never overlap the next paragraph
            caption.erase_at = min(caption.erase_at, following_caption.start)
    for caption in captions:
        if caption.dropped:
            caption.erase_at = caption.end
    return captions


def _without_needless_erase(output: str, captions: list[_Caption], clock: _Clock) -> str:
    """ttconv's output without the EDM it inserts just before the EOC of a caption that
    replaces the previous one at once (the EOC swaps the captions: an EDM there would end
    the previous caption 2 frames early); the chunk then starts 2 frames later, as ttconv
    sends a caption with nothing inserted."""
    replacing = {caption.load - 2: caption for caption in captions
                 if caption.replaces and not caption.dropped}
    if not replacing:
        return output
    lines = output.split("\n")
    for index, line in enumerate(lines):
        time_code, tab, words = line.partition("\t")
        if not tab:
            continue
        caption = replacing.get(clock.parse(time_code))
        packets = words.split(" ")
        if caption is None or packets[-4:] != [_EDM_WORD, _EDM_WORD, _EOC_WORD, _EOC_WORD]:
            continue
        lines[index] = (f"{clock.time_code(caption.load)}\t"
                        + " ".join([*packets[:-4], _EOC_WORD, _EOC_WORD]))
    return "\n".join(lines)


def _sent_line(line: str) -> str:
    """``line`` as handed to ttconv's writer: a special character (two bytes, like a control
    code) right after the same one is written twice, since a reader takes a repeated code
    for the redundant copy of the first (ttconv's writer sends each once)."""
    out: list[str] = []
    for index, char in enumerate(line):
        if index and char == line[index - 1] and len(unicode_to_scc(char)) > 1:
            out.append(char)
        out.append(char)
    return "".join(out)


#: A data line: an SMPTE time code (``;``, ``.`` or ``,`` before the frames: drop-frame),
#: white space, and 4-digit hex words separated by white space.
_DATA_LINE = re.compile(
    r"\s*(?P<tc>(?P<h>\d\d):(?P<m>\d\d):(?P<s>\d\d)[:;.,](?P<f>\d\d))"
    r"(?:\s+(?P<words>[0-9A-Fa-f]{4}(?:\s+[0-9A-Fa-f]{4})*))?\s*"
)
_EOC, _EDM, _RDC = 0x142F, 0x142C, 0x1429
_ROLL_UP = frozenset({0x1425, 0x1426, 0x1427})


def _rescale(element: model.ContentElement | None, factor: Fraction) -> None:
    """Multiply every begin and end time under ``element`` by ``factor``."""
    if element is None or isinstance(element, (model.Br, model.Text)):
        return
    begin, end = element.get_begin(), element.get_end()
    if begin is not None:
        element.set_begin(begin * factor)
    if end is not None:
        element.set_end(end * factor)
    for child in element:
        _rescale(child, factor)


def _checked_lines(text: str, ctx: ReadContext) -> tuple[str, list[int], bool]:
    """The file as ttconv's reader expects it (one tab after the time code, one space
    between words; ttconv silently skips any other line), its words without parity, and
    whether any time code is drop-frame (``;``, ``.`` or ``,`` before the frames).

    A line that is neither blank nor a time code followed by 4-digit hex words, or whose
    time code is impossible or earlier than the one before, is malformed:
    :meth:`ReadContext.malformed` (a :class:`ParseError` naming the line, or with
    ``--lenient`` a warning, and the line is skipped).
    """
    lines = text.lstrip("\ufeff").splitlines()
    first = next(index for index, line in enumerate(lines) if line.strip())  # the header
    out = [HEADER]
    words: list[int] = []
    drop_frame = False
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
        drop_frame |= match["tc"][8] != ":"
        line_words = (match["words"] or "").split()
        words.extend(int(word, 16) & 0x7F7F for word in line_words)
        out.append(f"{match['tc']}\t{' '.join(line_words)}")
    return "\n".join(out) + "\n", words, drop_frame


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

"""SubRip (.srt), read the way players read it.

A cue starts at its timing line (``00:00:01,000 --> 00:00:02,000``), wherever that line is:
the number line before it is optional, spaces around either are allowed, and the blank
line between cues may be missing (files stripped of a second language). The text is
every line up to the next timing line, less the next cue's number and the blank lines at
either end; a cue with no text is an empty cue.

What is not a cue is damage, reported with the line it is on (``ParseError``), or with
``--lenient`` skipped (or kept, for stray text) with a warning naming that line: a
timing line that is broken (``00:00:05,000 -> 6``), a number not followed by a timing
line, text before the first cue, text after a blank line inside a cue, a cue that ends
before it starts. SRT text is already subloc's canonical markup; ``{\\anN}`` becomes
``Cue.align``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from subloc import markup
from subloc.formats._timing import clock_time, writable_times
from subloc.formats.base import ReadContext, SubtitleFormat, WriteContext
from subloc.track import Cue, Track

_SEP = "[,.:，．。：]"
_TIME = rf"(\d+){_SEP}(\d+){_SEP}(\d+)(?:{_SEP}(\d*))?"
_TIMESTAMP = re.compile(_TIME)
#: A timing line: two times and an arrow, spaces allowed around them; what follows the end
#: time (coordinates ``X1:… Y2:…``, anything) is ignored.
_TIMING = re.compile(
    rf"^[ \t]*({_TIME})[ \t]*-[ -][ \t]*>[ \t]*({_TIME})((?:[ \t][^\n]*)?)$", re.MULTILINE
)
#: A line meant as a timing line but broken: a time, then an arrow of some kind.
_TIMING_LIKE = re.compile(r"[ \t]*\d+[ \t]*[:.,;][ \t]*\d+[^\n]*?[-–—=][ \t]*-?[ \t]*>")
_INDEX = re.compile(r"-?\d+(?:\.\d*)?")
#: What makes a cue's text more than lines of text: a blank line, or a ">" (which a broken
#: timing line has).
_SUSPECT = re.compile(r"^[ \t]*$|>", re.MULTILINE)
_SNIFF = re.compile(r"^\s*(?:\d+\s*\r?\n)?\s*\d+:\d\d:\d\d[,.]\d+ *-[ -]> *\d+:\d\d:\d\d", re.M)
_ALIGN_TAG = re.compile(r"\{\\an([1-9])\}")
#: Canonical tags SRT players understand; everything else except ``{\\…}`` is dropped.
_SRT_TAGS = markup.CANONICAL
_TIMING_EXAMPLE = "'00:00:01,000 --> 00:00:02,000'"
_WORD_JOINER = "\u2060"


def parse_timestamp(raw: str) -> int:
    """``HH:MM:SS,mmm`` (or with ``.``/``:``) to milliseconds; a short fraction is tenths."""
    match = _TIMESTAMP.fullmatch(raw.strip())
    if match is None:
        raise ValueError(raw)
    return _ms(*match.groups())


def _ms(hours: str, minutes: str, seconds: str, fraction: str | None) -> int:
    millis = int(fraction) if fraction and len(fraction) == 3 else \
        int((fraction or "0").ljust(3, "0")[:3])
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + millis


def split_align(text: str) -> tuple[str, int | None]:
    """Remove ``{\\anN}`` tags from ``text`` and return the last alignment they set."""
    align = None
    for match in _ALIGN_TAG.finditer(text):
        align = int(match.group(1))
    return (_ALIGN_TAG.sub("", text), align) if align is not None else (text, None)


def _is_index(line: str) -> bool:
    """Whether a line is a cue number (``12``, also ``-1`` and ``3.0`` as the srt library
    reads them)."""
    stripped = line.strip(" \t")
    if stripped.isdigit():
        return stripped.isascii()
    return bool(stripped) and _INDEX.fullmatch(stripped) is not None


def _blank(line: str) -> bool:
    """Whether a line is blank: nothing but spaces and tabs."""
    return not line.strip(" \t")


class SrtFormat(SubtitleFormat):
    """SubRip: ``start --> end`` timing lines (each usually after a cue number), text
    lines, blank lines between cues.

    Carries ``<i> <b> <u> <font color>``, ``{\\anN}`` positioning (a convention most
    players honour) and empty cues; no styles, no cue settings, no blank lines inside a
    cue (the writer drops them with a warning).
    """

    name = "srt"
    extensions = (".srt",)
    description = "SubRip"

    @classmethod
    def sniff(cls, head: str) -> bool:
        return _SNIFF.match(head) is not None

    # -- reading -----------------------------------------------------------------------

    def read(self, text: str, ctx: ReadContext) -> Track:
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if text.startswith("\ufeff"):
            text = text[1:]
        cues: list[Cue] = []
        pos = 0  # where the lines after the previous timing line start
        line_no = 1  # the line number at `pos`
        # The previous timing line's line, start and end; None before the first one and
        # after one whose cue is skipped.
        previous: tuple[int, int, int] | None = None
        first = True
        suspect = _SUSPECT.search
        for match in _TIMING.finditer(text):
            at = match.start()
            region = text[pos:at]
            timing_line = line_no + region.count("\n")
            if first:
                lines = region.split("\n")[:-1]
                if lines and _is_index(lines[-1]):
                    lines.pop()
                self._region(lines, 1, None, cues, ctx, preamble=True)
                first = False
            else:
                # "\n", the cue's lines, blank lines, the next cue's number, "\n".
                last = region.rfind("\n", 0, -1)
                tail = region[last + 1 : -1]
                if (tail.isdigit() and tail.isascii()) or _is_index(tail):
                    region = region[: last + 1]
                body = region.strip("\n")
                if previous is not None and body and not suspect(body):
                    # An ordinary cue (the hot path: 50 000 cues are read in well under 1 s).
                    if "{\\an" in body or (cues and previous[1] < cues[-1].start_ms):
                        self._cue(body.split("\n"), previous, cues, ctx)
                    else:
                        cues.append(Cue(len(cues) + 1, previous[1], previous[2],
                                        body.split("\n")))
                else:
                    self._region(region.split("\n")[1:-1], line_no + 1, previous, cues, ctx)
            groups = match.groups()
            h1, m1, s1, f1, raw_end, h2, m2, s2, f2 = groups[1:10]
            if f1 and f2 and len(f1) == 3 and len(f2) == 3:  # HH:MM:SS,mmm: inline, hot
                start = ((int(h1) * 60 + int(m1)) * 60 + int(s1)) * 1000 + int(f1)
                end = ((int(h2) * 60 + int(m2)) * 60 + int(s2)) * 1000 + int(f2)
            else:
                start, end = _ms(h1, m1, s1, f1), _ms(h2, m2, s2, f2)
            previous = (timing_line, start, end)
            if end < start:
                ctx.malformed(f"cue ends ({raw_end.strip()}) before it starts "
                              f"({groups[0].strip()})", timing_line, fix="fix the times",
                              lenient="skip this cue", done="cue skipped")
                previous = None
            pos, line_no = match.end(), timing_line
        rest = text[pos:].split("\n")
        if first:
            self._region(rest, 1, None, cues, ctx, preamble=True)
        else:
            self._region(rest[1:], line_no + 1, previous, cues, ctx)
        return Track(cues=cues, format=self.name)

    def _region(self, body: list[str], first_line: int, previous: tuple[int, int, int] | None,
                cues: list[Cue], ctx: ReadContext, *, preamble: bool = False) -> None:
        """The lines between two timing lines (``first_line`` is the first one's number):
        the text of the cue of the ``previous`` timing line, or before the first timing
        line (``preamble``) nothing but damage."""
        if preamble:
            if any(not _blank(line) for line in body):
                self._damage(body, first_line, 0, ctx, first_block=True)
            return
        lead = 0
        while lead < len(body) and _blank(body[lead]):
            lead += 1  # blank lines after the timing line: a stripped second language
        end = len(body)
        while end > lead and _blank(body[end - 1]):
            end -= 1
        text = body[lead:end]
        if any(_blank(line) or (">" in line and _TIMING_LIKE.match(line)) for line in text):
            text = self._damage(body[:end], first_line, lead, ctx)
        if previous is not None:  # else the cue of a broken timing line: skipped with it
            self._cue(text or [""], previous, cues, ctx)

    @staticmethod
    def _cue(lines: list[str], previous: tuple[int, int, int], cues: list[Cue],
             ctx: ReadContext) -> None:
        timing_line, start, end = previous
        align = None
        if "{\\an" in "".join(lines):
            for index, line in enumerate(lines):
                line, found = split_align(line)
                lines[index] = line
                align = found if found is not None else align
        if cues and start < cues[-1].start_ms:
            ctx.warn("cue starts before the previous one (out of order)", line=timing_line)
        cues.append(Cue(id=len(cues) + 1, start_ms=start, end_ms=end, lines=lines, align=align))

    @staticmethod
    def _damage(body: list[str], first_line: int, lead: int, ctx: ReadContext, *,
                first_block: bool = False) -> list[str]:
        """The text of a cue whose lines hold damage, after reporting it: ``body[lead:]``
        is the cue's lines (``first_line`` is ``body[0]``'s number). Its first paragraph is
        its text up to a broken timing line (and the number before it); each later
        paragraph is a broken block if it starts with a number or holds a broken timing
        line, else stray text after a blank line. With ``first_block`` (before the first
        cue) every paragraph is damage. Stray text right after a broken block is taken to
        be that block's text and skipped with it."""
        paragraphs: list[tuple[int, int]] = []
        index = lead
        while index < len(body):
            if _blank(body[index]):
                index += 1
                continue
            start = index
            while index < len(body) and not _blank(body[index]):
                index += 1
            paragraphs.append((start, index))
        kept: list[str] = []
        skipping = False
        for number, (start, end) in enumerate(paragraphs):
            timing = next((i for i in range(start, end)
                           if ">" in body[i] and _TIMING_LIKE.match(body[i])), None)
            if number == 0 and not first_block:
                if timing is None:
                    kept.extend(body[start:end])
                    continue
                block = timing - 1 if timing > start and _is_index(body[timing - 1]) else timing
                kept.extend(body[start:block])
                start = block
            elif timing is None and not _is_index(body[start]) and not first_block:
                if not skipping:
                    ctx.malformed("text after a blank line does not start a new block",
                                  first_line + start, fix="remove the blank line or the text",
                                  lenient="keep the text in the cue above",
                                  done="kept it in the cue above")
                    kept.extend(body[start:end])
                continue
            elif skipping and timing is None and not _is_index(body[start]):
                continue
            head = body[start].strip()[:60]
            if timing is not None and timing != start:
                what = (f": line {first_line + timing} {body[timing].strip()[:60]!r} is not a "
                        f"timing line like {_TIMING_EXAMPLE}")
            elif timing is not None:
                what = f": it is not a timing line like {_TIMING_EXAMPLE}"
            else:
                what = f": expected a number and a timing line like {_TIMING_EXAMPLE}"
            # The line named is the broken timing line itself, where there is one.
            ctx.malformed(f"malformed SRT block starting {head!r}",
                          first_line + (timing if timing is not None else start),
                          expected=what, done="skipped")
            skipping = True
        return kept

    # -- writing -----------------------------------------------------------------------

    def write(self, track: Track, ctx: WriteContext) -> str:
        return "".join(self.write_chunks(track, ctx))

    def write_chunks(self, track: Track, ctx: WriteContext) -> Iterator[str]:
        """The blocks, a thousand cues a piece (a long track is never one string)."""
        parts: list[str] = []
        number = 0
        for cue in track.cues:
            times = writable_times("SRT", cue, ctx)
            if times is None:
                continue
            number += 1
            body = self._body(cue, ctx)
            parts.append(f"{number}\n{clock_time(times[0], ',')} --> "
                         f"{clock_time(times[1], ',')}\n{body}\n\n" if body else
                         f"{number}\n{clock_time(times[0], ',')} --> "
                         f"{clock_time(times[1], ',')}\n\n")
            if len(parts) == 1000:
                yield "".join(parts)
                parts = []
        yield "".join(parts)

    @staticmethod
    def _body(cue: Cue, ctx: WriteContext) -> str:
        lines = []
        dropped: list[str] = []
        for line in cue.lines:
            if "<" in line or "{" in line:
                kept = []
                for token in markup.tokenize(line):
                    if token.kind == "text" or (token.kind in ("open", "close")
                                                and token.name in _SRT_TAGS):
                        kept.append(token.raw)
                    elif token.kind != "close" and token.raw not in dropped:
                        dropped.append(token.raw)
                line = "".join(kept)
            lines.append(line)
        if dropped:
            ctx.warn(f"SRT cannot carry {', '.join(dropped)}; written without them", cue=cue.id)
        shown = [line for line in lines if line.strip()]
        if shown and len(shown) != len(lines):
            # A blank line would end the cue early.
            ctx.warn("SRT cannot carry blank lines inside a cue; written without them",
                     cue=cue.id)
        for index, line in enumerate(shown):
            if ">" in line and (_TIMING.match(line) or _TIMING_LIKE.match(line)):
                ctx.warn("a text line reads as an SRT timing line; written with a word "
                         "joiner (U+2060) before it", cue=cue.id)
                shown[index] = _WORD_JOINER + line
        body = "\n".join(shown)
        if cue.align is not None and cue.align != 2:
            body = f"{{\\an{cue.align}}}" + body
        return body

"""SubRip (.srt), read strictly with the ``srt`` library's block grammar.

The ``srt`` library is strict and about 2.5x faster than pysubs2 on SRT. We use its block
regex directly so that a malformed block is reported with its line number (strict mode)
or skipped with a warning naming the line (``--lenient``). SRT text is already subloc's
canonical markup; ``{\\anN}`` becomes ``Cue.align``.
"""

from __future__ import annotations

import re

import srt

from subloc import markup
from subloc.formats._timing import clock_ms, clock_time
from subloc.formats.base import ReadContext, SubtitleFormat, WriteContext
from subloc.track import Cue, Track

_TIMESTAMP = re.compile(r"(\d+)[,.:，．。：](\d+)[,.:，．。：](\d+)(?:[,.:，．。：](\d*))?")
_SNIFF = re.compile(r"^\s*(?:\d+\s*\r?\n)?\s*\d+:\d\d:\d\d[,.]\d+ *-[ -]> *\d+:\d\d:\d\d", re.M)
_ALIGN_TAG = re.compile(r"\{\\an([1-9])\}")
#: Canonical tags SRT players understand; everything else except ``{\\…}`` is dropped.
_SRT_TAGS = markup.CANONICAL


def parse_timestamp(raw: str) -> int:
    """``HH:MM:SS,mmm`` (or with ``.``/``:``) to milliseconds; a short fraction is tenths."""
    match = _TIMESTAMP.fullmatch(raw.strip())
    if match is None:
        raise ValueError(raw)
    hours, minutes, seconds, fraction = match.groups()
    millis = int((fraction or "0").ljust(3, "0")[:3])
    return clock_ms(int(hours), int(minutes), int(seconds), millis)


def split_align(text: str) -> tuple[str, int | None]:
    """Remove ``{\\anN}`` tags from ``text`` and return the last alignment they set."""
    align = None
    for match in _ALIGN_TAG.finditer(text):
        align = int(match.group(1))
    return (_ALIGN_TAG.sub("", text), align) if align is not None else (text, None)


class SrtFormat(SubtitleFormat):
    """SubRip: numbered blocks of ``start --> end`` and text lines.

    Carries ``<i> <b> <u> <font color>`` and ``{\\anN}`` positioning (a convention most
    players honour); no styles, no cue settings.
    """

    name = "srt"
    extensions = (".srt",)
    description = "SubRip"

    @classmethod
    def sniff(cls, head: str) -> bool:
        return _SNIFF.match(head) is not None

    def read(self, text: str, ctx: ReadContext) -> Track:
        cues: list[Cue] = []
        expected = 0
        line_no = 1  # line number at `expected`, counted incrementally (files can be 50 MB)
        for match in srt.SRT_REGEX.finditer(text):
            if match.start() != expected:
                self._unmatched(text, expected, match.start(), line_no, ctx)
            line_no += text.count("\n", expected, match.start())
            block_line = line_no + text.count("\n", match.start(), match.start(2))
            expected = match.end()
            cue = self._cue(match, block_line, len(cues) + 1, ctx)
            line_no += text.count("\n", match.start(), match.end())
            if cue is not None:
                if cues and cue.start_ms < cues[-1].start_ms:
                    ctx.warn("cue starts before the previous one (out of order)", line=block_line)
                cues.append(cue)
        if expected != len(text):
            self._unmatched(text, expected, len(text), line_no, ctx)
        return Track(cues=cues, format=self.name)

    def _cue(self, match: re.Match[str], line: int, cue_id: int, ctx: ReadContext) -> Cue | None:
        _index, raw_start, raw_end, _proprietary, content = match.groups()
        start, end = parse_timestamp(raw_start), parse_timestamp(raw_end)
        if end < start:
            ctx.malformed(f"cue ends ({raw_end.strip()}) before it starts ({raw_start.strip()})",
                          line, fix="fix the times", lenient="skip this cue", done="cue skipped")
            return None
        body, align = split_align(content.replace("\r\n", "\n").strip("\n"))
        lines = body.split("\n")
        if "" in lines:
            # The srt grammar lets a blank line sit inside a cue's text (files stripped of
            # a second language often have them); strictly, it ends the block.
            stray = line + 1 + lines.index("") + 1
            ctx.malformed("text after a blank line does not start a new block", stray,
                          fix="remove the blank line or the text",
                          lenient="keep the text in the cue above",
                          done="kept it in the cue above")
            lines = [text_line for text_line in lines if text_line]
        return Cue(id=cue_id, start_ms=start, end_ms=end, lines=lines, align=align)

    @staticmethod
    def _unmatched(text: str, start: int, end: int, line_no: int, ctx: ReadContext) -> None:
        chunk = text[start:end]
        if not chunk.strip() or (start == 0 and chunk.strip() == "\ufeff"):
            return
        stripped = len(chunk) - len(chunk.lstrip())
        line = line_no + chunk.count("\n", 0, stripped)
        first = chunk.strip().split("\n", 1)[0][:60]
        ctx.malformed(f"malformed SRT block starting {first!r}", line,
                      expected=": expected a number and a timing line like "
                               "'00:00:01,000 --> 00:00:02,000'")

    def write(self, track: Track, ctx: WriteContext) -> str:
        parts: list[str] = []
        for number, cue in enumerate(track.cues, start=1):
            # A blank line would end the block early: drop empty lines inside a cue.
            lines = [markup.keep_only(line, _SRT_TAGS) for line in cue.lines]
            body = "\n".join(line for line in lines if line.strip())
            if cue.align is not None and cue.align != 2:
                body = f"{{\\an{cue.align}}}" + body
            parts.append(
                f"{number}\n{clock_time(cue.start_ms, ',')} --> "
                f"{clock_time(cue.end_ms, ',')}\n{body}\n\n"
            )
        return "".join(parts)

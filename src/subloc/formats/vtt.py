"""WebVTT, read by the W3C parser algorithm and written by subloc itself.

pysubs2 drops cue settings, identifiers and NOTE/STYLE blocks; a VTT written from a VTT
must keep them, so this module reads WebVTT as the W3C "WebVTT parser algorithm"
(https://www.w3.org/TR/webvtt1/#file-parsing) does, which is what browsers show:

* NUL becomes U+FFFD, CRLF and lone CR become LF; the file must start with ``WEBVTT``
  followed by a space, tab or line break (else it is not WebVTT: a
  :class:`~subloc.errors.ParseError`, the only one this reader raises);
* the header runs to the first empty line or to the first line containing ``-->``;
* a block runs to the next empty line or to the next line containing ``-->`` (so a cue
  followed directly by the next timing line, as YouTube downloads are, is two cues);
  a line holding only spaces is not empty. A block whose first or second line contains
  ``-->`` is a cue (the first line then being its identifier); ``STYLE`` and ``REGION``
  blocks count only before the first cue;
* cue timings take optional hours (``1:02:03.456``, ``02:03.456``); cue settings are read
  one by one, an invalid one is ignored and never overrides an earlier valid one.

Blocks a browser skips (bad timings, stray text, STYLE after a cue) are skipped with a
warning naming their line; NOTE blocks are kept to be written back. A cue that ends
before it starts is kept with a warning (browsers keep it too, and never show it).

Cue payload tags map to the canonical ``<i> <b> <u>``; ``<v Name>`` becomes the cue's
speaker; ``<c.x>``, ``<lang>``, ``<ruby>`` and timestamp tags stay verbatim. Cue settings
are kept verbatim (``Cue.meta["vtt_settings"]``) and map to ``Cue.align``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from subloc import markup
from subloc.errors import ParseError
from subloc.formats._timing import clock_time
from subloc.formats.base import ReadContext, SubtitleFormat, WriteContext
from subloc.track import NO_META, Cue, Track

#: A WebVTT timestamp as the spec collects it: every digit run is taken whole, so
#: ``(?!\d)`` makes "exactly two digits" exact; whether the first field is hours is
#: decided in :func:`_timestamp_ms`.
_TS = r"(\d+):(\d{2})(?!\d)(?::(\d{2})(?!\d))?\.(\d{3})(?!\d)"
#: "Collect WebVTT cue timings": whitespace is ASCII whitespace (no LF/CR within a line);
#: the settings are whatever follows the end time, with or without a space.
_TIMING = re.compile(rf"[ \t\f]*{_TS}[ \t\f]*-->[ \t\f]*{_TS}")
_TIMESTAMP = re.compile(_TS)
_SPACES = re.compile(r"[ \t\n\f\r]+")
_WHITESPACE = " \t\n\f\r"
_PERCENT = re.compile(r"\d+(?:\.\d+)?%")
_LINE_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_VOICE = re.compile(r"^<v(?:\.[\w.-]+)?[ \t]+([^>]+)>(.*?)(?:</v>)?$", re.S)
_VTT_TAGS = (*markup.CANONICAL[:3], "c", "v", "lang", "ruby", "rt")


def _timestamp_ms(first: str, second: str, third: str | None, millis: str) -> int | None:
    """Milliseconds of a matched timestamp, or ``None`` where the spec fails it."""
    if third is None:
        if len(first) != 2 or int(first) > 59:
            return None  # the first field is hours: seconds are required
        hours, minutes, seconds = 0, int(first), int(second)
    else:
        hours, minutes, seconds = int(first), int(second), int(third)
    if minutes > 59 or seconds > 59:
        return None
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + int(millis)


def parse_time(raw: str) -> int:
    """Milliseconds of a WebVTT timestamp (``[h…h:]mm:ss.ttt``); ``ValueError`` if invalid."""
    match = _TIMESTAMP.fullmatch(raw)
    ms = None if match is None else _timestamp_ms(*match.groups())
    if ms is None:
        raise ValueError(f"not a WebVTT timestamp: {raw!r}")
    return ms


# -- cue settings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CueSettings:
    """A cue's settings as the spec's "parse the WebVTT cue settings" leaves them.

    ``line``/``position`` ``None`` is ``auto``; ``region`` is the identifier of the region
    the cue is in (``None``: none). Names and values are the spec's (``center``, not the
    older drafts' ``middle``).
    """

    vertical: str = ""
    line: float | None = None
    snap_to_lines: bool = True
    line_align: str = "start"
    position: float | None = None
    position_align: str = "auto"
    size: float = 100.0
    align: str = "center"
    region: str | None = None


def _percentage(value: str) -> float | None:
    """The spec's "parse a percentage string": 0..100 or ``None``."""
    if _PERCENT.fullmatch(value) is None:
        return None
    number = float(value[:-1])
    return number if number <= 100 else None


def parse_cue_settings(raw: str, regions: Collection[str] = ()) -> CueSettings:
    """Parse cue settings one by one as the spec does: an invalid setting (``line:1%%``,
    ``align:middle``, ``size:`` …) is ignored and leaves the earlier value in place.

    ``regions`` are the identifiers of the file's REGION blocks, in order.
    """
    vertical, line, snap, line_align = "", None, True, "start"
    position, position_align, size, align = None, "auto", 100.0, "center"
    region: str | None = None
    for setting in _SPACES.split(raw):
        colon = setting.find(":")
        if colon <= 0 or colon == len(setting) - 1:
            continue
        name, value = setting[:colon], setting[colon + 1 :]
        if name == "region":
            region = value if value in regions else None
        elif name == "vertical":
            if value in ("rl", "lr"):
                vertical, region = value, None
        elif name == "line":
            linepos, comma, linealign = value.partition(",")
            if not any(char.isdigit() and char.isascii() for char in linepos):
                continue
            if linepos.endswith("%"):
                number = _percentage(linepos)
                if number is None:
                    continue
            elif _LINE_NUMBER.fullmatch(linepos):
                number = float(linepos)
            else:
                continue
            if comma:
                if linealign not in ("start", "center", "end"):
                    continue
                line_align = linealign
            line, snap, region = number, not linepos.endswith("%"), None
        elif name == "position":
            colpos, comma, colalign = value.partition(",")
            number = _percentage(colpos)
            if number is None:
                continue
            if comma:
                if colalign not in ("line-left", "center", "line-right"):
                    continue
                position_align = colalign
            position = number
        elif name == "size":
            number = _percentage(value)
            if number is None:
                continue
            size = number
            if number != 100:
                region = None
        elif name == "align" and value in ("start", "center", "end", "left", "right"):
            align = value
    return CueSettings(vertical, line, snap, line_align, position, position_align, size, align,
                       region)


def region_identifier(block: str) -> str:
    """The identifier a REGION block defines (its settings lines, after ``REGION``)."""
    identifier = ""
    for setting in _SPACES.split(block):
        colon = setting.find(":")
        if 0 < colon < len(setting) - 1 and setting[:colon] == "id":
            identifier = setting[colon + 1 :]
    return identifier


@lru_cache(maxsize=4096)
def align_from_settings(settings: str) -> int | None:
    """Numpad alignment implied by VTT cue settings (``line:0`` is the top)."""
    if not settings:
        return None
    parsed = parse_cue_settings(settings)
    row = 0  # 0 = bottom (default), 1 = middle, 2 = top
    line = parsed.line
    if line is not None:
        if not parsed.snap_to_lines:
            row = 2 if line < 34 else 1 if line < 67 else 0
        elif 0 <= line < 4:
            row = 2
    column = {"start": 0, "left": 0, "end": 2, "right": 2}.get(parsed.align, 1)
    if row == 0 and column == 1:
        return None
    return (1, 4, 7)[row] + column


def settings_from_align(align: int | None) -> str:
    if align is None or align == 2:
        return ""
    row, column = divmod(align - 1, 3)
    parts = [("", "line:50%", "line:0")[row], ("align:start", "", "align:end")[column]]
    return " ".join(part for part in parts if part)


# -- cue text --------------------------------------------------------------------------------


def _unescape(text: str) -> str:
    """Decode entities in text runs only; tags stay as they are."""
    if "&" not in text:
        return text
    return "".join(
        html.unescape(token.raw) if token.kind == "text" else token.raw
        for token in markup.tokenize(text)
    )


def cue_text(raw: str) -> tuple[str | None, list[str]]:
    """(speaker, lines) of a cue's raw text as the reader stores them: entities decoded,
    a single ``<v Name>`` taken as the speaker, trailing lines of only spaces dropped
    (they display nothing)."""
    lines = raw.split("\n")
    while lines and not lines[-1].strip(_WHITESPACE):
        lines.pop()
    payload = _unescape("\n".join(lines))
    speaker = None
    if payload.startswith("<v"):
        voice = _VOICE.match(payload)
        if voice and payload.count("<v") == 1:
            speaker, payload = voice.group(1).strip(), voice.group(2)
    return speaker, payload.split("\n")


def _escape(text: str) -> str:
    out = []
    for token in markup.tokenize(text):
        if token.kind == "text":
            out.append(token.raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
        elif token.kind in ("open", "close") and token.name in _VTT_TAGS:
            out.append(token.raw)
        elif token.kind == "other" and token.raw.startswith("<"):
            out.append(token.raw)  # VTT timestamp tags
    return "".join(out)


# -- the parser ------------------------------------------------------------------------------


def _signature_problem(text: str) -> str | None:
    """Why ``text`` (BOM removed) does not start with the WebVTT signature, or ``None``."""
    if text.startswith("WEBVTT") and (len(text) == 6 or text[6] in " \t\n"):
        return None
    if not text.strip():
        return "the file is empty"
    first = text.split("\n", 1)[0][:40]
    return f"it starts with {first!r}"


class VttFormat(SubtitleFormat):
    """WebVTT: carries ``<i> <b> <u>``, voices (speaker), classes, cue settings
    (position), identifiers, and NOTE/STYLE/REGION blocks."""

    name = "vtt"
    extensions = (".vtt",)
    description = "WebVTT"

    @classmethod
    def sniff(cls, head: str) -> bool:
        # Loose on purpose: a file that starts with "WEBVTT" but lacks a valid signature
        # ("WEBVTTX") comes to read(), whose error says what is wrong.
        return head.lstrip("\ufeff").startswith("WEBVTT")

    def read(self, text: str, ctx: ReadContext) -> Track:
        if text.startswith("\ufeff"):
            text = text[1:]
        if "\x00" in text:
            text = text.replace("\x00", "\ufffd")
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        problem = _signature_problem(text)
        if problem is not None:
            raise ParseError(
                f"not a WebVTT file: {problem}; a WebVTT file starts with 'WEBVTT' followed "
                "by a space, a tab or a line break", path=ctx.path, line=1)
        lines = text.split("\n")
        count = len(lines)
        # Header: the signature line, then lines up to an empty line or a "-->" line.
        index = 1
        while index < count and lines[index] and "-->" not in lines[index]:
            index += 1
        track = Track(cues=[], format=self.name, header={"vtt_header": lines[:index]})
        cues = track.cues
        pending_notes: list[str] = []
        head_blocks: list[str] = []
        previous_start = -1
        while index < count:
            first = index
            line = lines[first]
            if not line:
                index += 1
                continue
            # Collect a block: a "-->" in its first or second line makes it a cue; any
            # later "-->" line, or an empty line, ends it.
            if "-->" in line:
                timing_at = first
            elif first + 1 < count and "-->" in lines[first + 1]:
                timing_at = first + 1
            else:
                timing_at = -1
            index = (timing_at if timing_at >= 0 else first) + 1
            while index < count:
                line = lines[index]
                if not line or "-->" in line:
                    break
                index += 1
            if timing_at < 0:
                self._other_block(lines[first:index], first + 1, bool(cues), ctx, pending_notes,
                                  head_blocks)
                continue
            timing_line = lines[timing_at]
            match = _TIMING.match(timing_line)
            start = end = None
            if match is not None:
                groups = match.groups()
                start = _timestamp_ms(*groups[:4])
                end = _timestamp_ms(*groups[4:])
            if start is None or end is None or match is None:
                ctx.warn(f"malformed WebVTT cue timing {timing_line[:60]!r} (expected "
                         "'00:00:01.000 --> 00:00:02.000'); players skip this cue: skipped",
                         line=timing_at + 1)
                continue
            speaker, cue_lines = cue_text("\n".join(lines[timing_at + 1 : index]))
            settings = timing_line[match.end() :].strip(_WHITESPACE)
            meta: dict[str, Any] = {}
            if timing_at > first:
                meta["vtt_id"] = lines[first]
            if settings:
                meta["vtt_settings"] = settings
            if pending_notes:
                meta["vtt_notes_before"] = pending_notes
                pending_notes = []
            cue = Cue(
                id=len(cues) + 1,
                start_ms=start,
                end_ms=end,
                lines=cue_lines,
                speaker=speaker,
                align=align_from_settings(settings) if settings else None,
                meta=meta or NO_META,
            )
            if end < start:
                ctx.warn(f"cue ends ({clock_time(end)}) before it starts ({clock_time(start)}); "
                         "players never show it: kept as it is", line=timing_at + 1)
            if start < previous_start:
                ctx.warn("cue starts before the previous one (out of order)", line=first + 1)
            previous_start = start
            cues.append(cue)
        track.header["vtt_blocks"] = head_blocks
        track.header["vtt_trailing_notes"] = pending_notes
        return track

    @staticmethod
    def _other_block(block: list[str], line: int, seen_cue: bool, ctx: ReadContext,
                     pending_notes: list[str], head_blocks: list[str]) -> None:
        """A block without cue timing: a NOTE (kept), a STYLE or REGION block before the
        first cue (kept), or something players skip (skipped with a warning)."""
        first = block[0]
        keyword = first.split(" ", 1)[0].split("\t", 1)[0]
        if keyword == "NOTE":
            pending_notes.append("\n".join(block))
        elif keyword in ("STYLE", "REGION"):
            # Players take "STYLE"/"REGION" alone on the first line, before any cue; a
            # block they ignore ("STYLE x") is kept all the same, to be written back.
            if seen_cue:
                ctx.warn(f"{keyword} block after the first cue: players ignore it; "
                         "skipped", line=line)
                return
            head_blocks.extend(pending_notes)
            pending_notes.clear()
            head_blocks.append("\n".join(block))
        else:
            ctx.warn(f"text that is not a cue, {first[:60]!r} (no '-->' timing line in its "
                     "first two lines); players skip it: skipped", line=line)

    def write(self, track: Track, ctx: WriteContext) -> str:
        return "".join(self.write_chunks(track, ctx))

    def write_chunks(self, track: Track, ctx: WriteContext) -> Iterator[str]:
        """Blocks joined by blank lines, a thousand cues a piece."""
        same_format = track.format == self.name
        header = track.header.get("vtt_header") if same_format else None
        out = ["\n".join(header) if header else "WEBVTT"]
        if same_format:
            out.extend(track.header.get("vtt_blocks", []))
        for number, cue in enumerate(track.cues, start=1):
            if same_format:
                out.extend(cue.meta.get("vtt_notes_before", []))
            settings = cue.meta.get("vtt_settings", "") if same_format else ""
            if align_from_settings(settings) != cue.align:
                settings = settings_from_align(cue.align)
            timing = f"{clock_time(cue.start_ms)} --> {clock_time(cue.end_ms)}"
            lines = [_escape(line) for line in cue.lines]
            # A blank line would end the cue early.
            payload = "\n".join(line for line in lines if line.strip())
            if cue.speaker:
                payload = f"<v {cue.speaker}>{payload}"
            identifier = cue.meta.get("vtt_id") if same_format else None
            block = ([identifier] if identifier else []) + [
                f"{timing} {settings}".rstrip(),
                payload,
            ]
            out.append("\n".join(block).rstrip("\n"))
            if number % 1000 == 0:
                yield ("\n\n" if number > 1000 else "") + "\n\n".join(out)
                out = []
        if same_format:
            out.extend(track.header.get("vtt_trailing_notes", []))
        if out:
            yield ("\n\n" if len(track.cues) >= 1000 else "") + "\n\n".join(out)
        yield "\n"

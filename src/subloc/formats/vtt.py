"""WebVTT, read and written by subloc itself.

pysubs2 drops cue settings, identifiers and NOTE/STYLE blocks; a VTT written from a VTT
must keep them, so this is a small parser of the W3C syntax: a ``WEBVTT`` header, then
blocks separated by blank lines (NOTE, STYLE, REGION, cues). Cue payload tags map to the
canonical ``<i> <b> <u>``; ``<v Name>`` becomes the cue's speaker; ``<c.x>``, ``<lang>``,
``<ruby>`` and timestamp tags stay verbatim. Cue settings map to ``Cue.align``.
"""

from __future__ import annotations

import html
import re

from subloc import markup
from subloc.errors import ParseError
from subloc.formats._timing import clock_ms, clock_time
from subloc.formats.base import ReadContext, SubtitleFormat, WriteContext
from subloc.track import Cue, Track

_TIME = r"(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}"
_TIMING = re.compile(rf"^({_TIME})[ \t]+-->[ \t]+({_TIME})(?:[ \t]+(.*))?$")
_SETTING = re.compile(r"(\w+):(\S+)")
_VOICE = re.compile(r"^<v(?:\.[\w.-]+)?[ \t]+([^>]+)>(.*?)(?:</v>)?$", re.S)
_VTT_TAGS = (*markup.CANONICAL[:3], "c", "v", "lang", "ruby", "rt")


def parse_time(raw: str) -> int:
    parts = raw.split(":")
    seconds, millis = parts[-1].split(".")
    hours = int(parts[0]) if len(parts) == 3 else 0
    return clock_ms(hours, int(parts[-2]), int(seconds), int(millis))


def align_from_settings(settings: str) -> int | None:
    """Numpad alignment implied by VTT cue settings (``line:0`` is the top)."""
    values = dict(_SETTING.findall(settings))
    row = 0  # 0 = bottom (default), 1 = middle, 2 = top
    line = values.get("line", "").split(",")[0]
    if line.endswith("%"):
        percent = float(line[:-1] or 0)
        row = 2 if percent < 34 else 1 if percent < 67 else 0
    elif line.lstrip("-").isdigit():
        row = 2 if int(line) >= 0 and int(line) < 4 else 0
    column = {"start": 0, "left": 0, "end": 2, "right": 2}.get(values.get("align", ""), 1)
    if row == 0 and column == 1:
        return None
    return (1, 4, 7)[row] + column


def settings_from_align(align: int | None) -> str:
    if align is None or align == 2:
        return ""
    row, column = divmod(align - 1, 3)
    parts = [("", "line:50%", "line:0")[row], ("align:start", "", "align:end")[column]]
    return " ".join(part for part in parts if part)


def _unescape(text: str) -> str:
    """Decode entities in text runs only; tags stay as they are."""
    return "".join(
        html.unescape(token.raw) if token.kind == "text" else token.raw
        for token in markup.tokenize(text)
    )


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


class VttFormat(SubtitleFormat):
    """WebVTT: carries ``<i> <b> <u>``, voices (speaker), classes, cue settings
    (position), identifiers, and NOTE/STYLE/REGION blocks."""

    name = "vtt"
    extensions = (".vtt",)
    description = "WebVTT"

    @classmethod
    def sniff(cls, head: str) -> bool:
        return head.lstrip("\ufeff").startswith("WEBVTT")

    def read(self, text: str, ctx: ReadContext) -> Track:
        lines = text.split("\n")
        if not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
            raise ParseError("a WebVTT file must start with 'WEBVTT'", path=ctx.path, line=1)
        blocks = _blocks(lines)
        header_lines, _ = blocks[0]
        track = Track(cues=[], format=self.name, header={"vtt_header": header_lines})
        pending_notes: list[str] = []
        head_blocks: list[str] = []
        for block, first_line in blocks[1:]:
            keyword = block[0].split(" ", 1)[0].split("\t", 1)[0]
            if keyword == "NOTE":
                pending_notes.append("\n".join(block))
            elif keyword in ("STYLE", "REGION") and not track.cues:
                head_blocks.extend(pending_notes)
                pending_notes = []
                head_blocks.append("\n".join(block))
            else:
                cue = self._cue(block, first_line, len(track.cues) + 1, ctx)
                if cue is None:
                    continue
                if pending_notes:
                    cue.meta["vtt_notes_before"] = pending_notes
                    pending_notes = []
                if track.cues and cue.start_ms < track.cues[-1].start_ms:
                    ctx.warn("cue starts before the previous one (out of order)", line=first_line)
                track.cues.append(cue)
        track.header["vtt_blocks"] = head_blocks
        track.header["vtt_trailing_notes"] = pending_notes
        return track

    def _cue(self, block: list[str], first_line: int, cue_id: int, ctx: ReadContext) -> Cue | None:
        identifier = None
        timing_index = 0
        if "-->" not in block[0] and len(block) > 1 and "-->" in block[1]:
            identifier, timing_index = block[0], 1
        match = _TIMING.match(block[timing_index].strip())
        line = first_line + timing_index
        problem = None
        if match is None:
            problem = f"malformed WebVTT cue timing {block[timing_index][:60]!r}"
        else:
            start, end = parse_time(match.group(1)), parse_time(match.group(2))
            if end < start:
                problem = f"cue ends ({match.group(2)}) before it starts ({match.group(1)})"
        if problem or match is None:
            ctx.malformed(str(problem), line, expected=": expected '00:00:01.000 --> "
                          "00:00:02.000'", done="cue skipped")
            return None
        payload = _unescape("\n".join(block[timing_index + 1 :]))
        speaker = None
        voice = _VOICE.match(payload)
        if voice and payload.count("<v") == 1:
            speaker, payload = voice.group(1).strip(), voice.group(2)
        settings = (match.group(3) or "").strip()
        cue = Cue(
            id=cue_id,
            start_ms=start,
            end_ms=end,
            lines=payload.split("\n"),
            speaker=speaker,
            align=align_from_settings(settings),
        )
        if identifier is not None:
            cue.meta["vtt_id"] = identifier
        if settings:
            cue.meta["vtt_settings"] = settings
        return cue

    def write(self, track: Track, ctx: WriteContext) -> str:
        same_format = track.format == self.name
        header = track.header.get("vtt_header") if same_format else None
        out = ["\n".join(header) if header else "WEBVTT"]
        if same_format:
            out.extend(track.header.get("vtt_blocks", []))
        for cue in track.cues:
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
        if same_format:
            out.extend(track.header.get("vtt_trailing_notes", []))
        return "\n\n".join(out) + "\n"


def _blocks(lines: list[str]) -> list[tuple[list[str], int]]:
    """Split lines into blank-line separated blocks, with each block's 1-based first line."""
    blocks: list[tuple[list[str], int]] = []
    current: list[str] = []
    start = 1
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((current, start))
            current = []
    if current:
        blocks.append((current, start))
    return blocks

"""DCP subtitles for cinema screenings: SMPTE ST 428-7 ``SubtitleReel`` XML (``dcp``, what
Bv2.1 DCPs carry) and Interop/CineCanvas ``DCSubtitle`` XML (``dcp-interop``, for older
servers), read and written.

Writing (SMPTE, namespace ``http://www.smpte-ra.org/schemas/428-7/2014/DCST``, declared
once on the root: Bv2.1 tools reject a subtitle root with more than one namespace):
``Id`` (a ``urn:uuid`` derived from everything else written, so the same input always
gives the same UUID), ``ContentTitleText``, ``IssueDate`` (``YYYY-MM-DDTHH:MM:SS``, no
zone, as DCP QC expects), ``ReelNumber``, ``Language`` (the BCP 47 tag), ``EditRate`` and
``TimeCodeRate`` (a whole DCP frame rate), ``StartTime`` 00:00:00:00, ``LoadFont`` with a
font id, then one ``Font`` referencing it around the ``Subtitle`` elements: ``TimeIn``/
``TimeOut``/``FadeUpTime``/``FadeDownTime`` in edit units (``HH:MM:SS:EE``), one ``Text``
per line with ``Valign``/``Vposition`` (percent of the screen height, baseline-based as
ST 428-7:2014 and Interop measure it) and ``Halign`` from the cue's numpad ``align`` (8 =
top). Italic, bold, underline and colour runs become ``Font`` elements inside ``Text``.
Interop writes the same with Interop's names (``SubtitleID`` without ``urn:uuid:``,
``MovieTitle``, ``VAlign``/``VPosition``/``HAlign``, ``Underlined``, ``Id``, ``LoadFont
URI``) and times in 4 ms ticks (``HH:MM:SS:TTT``, fades as ticks).

What a delivery needs beyond the cues (title, reel, edit rate, fades, font, issue date,
margins) comes from ``track.header["dcp"]`` (see :func:`options`), which the reader fills
from the file read and :mod:`subloc.pipeline.deliver` from a preset; the issue date
defaults to ``SOURCE_DATE_EPOCH`` (reproducible builds), else now. Every cue a DCP cannot
carry as it is (no text, shorter than one edit unit, times past 23:59:59, tags other than
italic/bold/underline/colour, ruby annotations, characters XML cannot carry) is a
``ctx.warn`` naming it. ST 428-7 has no empty subtitle file: a track with no cue to write
is an :class:`~subloc.errors.OutputError` in SMPTE (Interop writes the file without a
``Font``).

Reading takes both standards (also the 2007 and 2010 SMPTE namespaces): fonts inherited
from document, subtitle and text level, ``Space`` as a space, ruby as canonical
``<ruby>``, ``StartTime`` subtracted from every time; lines top to bottom as the screen
shows them; a cue's layout and fades are kept in ``cue.meta["dcp"]`` so that writing DCP
again places each line where it was. Image (PNG) subtitles have no text: each is a warning
and skipped. A malformed ``Subtitle`` is a :class:`~subloc.errors.ParseError` naming its
line (with ``--lenient``, a warning and skipped).
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from fractions import Fraction
from typing import Any, NamedTuple
from xml.sax.saxutils import escape, quoteattr

from subloc import markup
from subloc.errors import OutputError, ParseError
from subloc.formats._timing import clock_time, round_half_up, writable_times
from subloc.formats._ttconv import protect_literal, unprotect_literal
from subloc.formats.base import ReadContext, SubtitleFormat, WriteContext
from subloc.io.xmlsafe import INVALID_XML_CHAR, parse_xml, replace_invalid_xml_chars
from subloc.languages import is_valid_tag
from subloc.track import Cue, Track

NS_2007 = "http://www.smpte-ra.org/schemas/428-7/2007/DCST"
NS_2010 = "http://www.smpte-ra.org/schemas/428-7/2010/DCST"
NS_2014 = "http://www.smpte-ra.org/schemas/428-7/2014/DCST"
SMPTE_NAMESPACES = (NS_2014, NS_2010, NS_2007)
#: Frame rates DCPs play (SMPTE ST 428-21 and 429-2); others are written with a warning.
DCP_RATES = (24, 25, 30, 48, 50, 60, 96, 100, 120)
#: An Interop tick: 4 ms (0 to 249 per second).
TICK_MS = 4
_UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://subloc.invalid/dcp-subtitle")
_DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_SMPTE_TC = re.compile(r"(\d+):(\d\d):(\d\d):(\d+)")
_INTEROP_TC = re.compile(r"(\d+):(\d\d):(\d\d)(?::(\d{1,3})|\.(\d{1,3}))")
_PROLOG_NOISE = re.compile(r"<\?.*?\?>|<!--.*?-->|\s+", re.S)
_ROOT = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(SubtitleReel|DCSubtitle)[\s>/]")
_SUBTITLE_TAG = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?Subtitle[\s/>]")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_WHITE = "#ffffff"


@dataclass(frozen=True)
class DcpOptions:
    """What a DCP subtitle file says besides its cues (``track.header["dcp"]``)."""

    title: str = ""
    reel: int = 1
    #: Edit units per second; ``None``: the frame rate written to (``--fps``, the
    #: source's), as the nearest DCP rate, else 24.
    edit_rate: int | None = None
    fade_up_ms: int = 0
    fade_down_ms: int = 0
    font_id: str = "Font1"
    #: Interop: the font file beside the XML; SMPTE: the font resource's ``urn:uuid``
    #: (empty: derived from the subtitle's id, for the mastering tool to wrap the font as).
    font_uri: str = "font.ttf"
    font_urn: str = ""
    font_size: int = 42
    #: ``YYYY-MM-DDTHH:MM:SS``; empty: ``SOURCE_DATE_EPOCH``, else now (UTC).
    issue_date: str = ""
    #: Baseline of the lowest line above the bottom, of the top line below the top, and
    #: the distance between lines, in percent of the screen height.
    bottom: float = 8.0
    top: float = 10.0
    line_step: float = 7.0


_OPTION_TYPES: dict[str, type | tuple[type, ...]] = {
    "title": str, "reel": int, "edit_rate": int, "fade_up_ms": int, "fade_down_ms": int,
    "font_id": str, "font_uri": str, "font_urn": str, "font_size": int, "issue_date": str,
    "bottom": (int, float), "top": (int, float), "line_step": (int, float)}
#: Keys of ``header["dcp"]`` that only describe a file read (kept for the record).
_READ_ONLY = frozenset({"standard", "namespace", "id", "source_issue_date", "annotation",
                        "time_code_rate", "start_time", "language"})


def option_keys() -> frozenset[str]:
    """The keys :func:`options` takes from ``header["dcp"]`` (a preset's ``[dcp]``)."""
    return frozenset(_OPTION_TYPES)


def options(track: Track) -> DcpOptions:
    """The writer's options: ``track.header["dcp"]`` over the defaults (values of the wrong
    type are ignored: a reader or a preset checked them)."""
    given = track.header.get("dcp")
    if not isinstance(given, dict):
        return DcpOptions()
    chosen: dict[str, Any] = {}
    for key, kind in _OPTION_TYPES.items():
        value = given.get(key)
        if value is None or isinstance(value, bool) or not isinstance(value, kind):
            continue
        chosen[key] = float(value) if isinstance(value, (int, float)) and kind == (
            int, float) else value
    return replace(DcpOptions(), **chosen)


class _Style(NamedTuple):
    italic: bool = False
    bold: bool = False
    underline: bool = False
    color: str | None = None  # "#rrggbb", None for white

    def merged(self, attrs: dict[str, str], underline_name: str) -> _Style:
        style = self
        if "Italic" in attrs:
            style = style._replace(italic=attrs["Italic"].strip().lower() in ("yes", "left",
                                                                               "right"))
        if "Weight" in attrs:
            style = style._replace(bold=attrs["Weight"].strip().lower() == "bold")
        if underline_name in attrs:
            style = style._replace(underline=attrs[underline_name].strip().lower() == "yes")
        if "Color" in attrs:
            style = style._replace(color=_read_color(attrs["Color"]))
        return style


def _read_color(value: str) -> str | None:
    """``#rrggbb`` of a DCP ``AARRGGBB`` colour; ``None`` for white (the default)."""
    value = value.strip()
    if re.fullmatch(r"[0-9A-Fa-f]{8}", value):
        rgb = "#" + value[2:].lower()
    elif re.fullmatch(r"[0-9A-Fa-f]{6}", value):
        rgb = "#" + value.lower()
    else:
        return None
    return None if rgb == _WHITE else rgb


class _Names(NamedTuple):
    """The element and attribute names of one standard."""

    valign: str
    vposition: str
    halign: str
    hposition: str
    underline: str
    font_id: str


_SMPTE = _Names("Valign", "Vposition", "Halign", "Hposition", "Underline", "ID")
_INTEROP = _Names("VAlign", "VPosition", "HAlign", "HPosition", "Underlined", "Id")


# --------------------------------------------------------------------------------------
# Times


def _units(ms: int, rate: int) -> int:
    """Edit units (frames at ``rate``) nearest to ``ms``."""
    return round_half_up(Fraction(ms * rate, 1000))


def _units_ms(units: int, rate: int) -> int:
    return round_half_up(Fraction(units * 1000, rate))


def _smpte_time(units: int, rate: int) -> str:
    seconds, frames = divmod(units, rate)
    digits = max(2, len(str(rate - 1)))
    return f"{clock_time(seconds * 1000, None)}:{frames:0{digits}d}"


def _interop_time(ms: int) -> str:
    seconds, rest = divmod(ms, 1000)
    return f"{clock_time(seconds * 1000, None)}:{rest // TICK_MS:03d}"


def _parse_smpte_time(raw: str, rate: int) -> int:
    """Milliseconds of ``HH:MM:SS:EE`` at ``rate`` edit units per second."""
    match = _SMPTE_TC.fullmatch(raw.strip())
    if match is None:
        raise ValueError(f"{raw!r} is not a time code HH:MM:SS:EE")
    hours, minutes, seconds, units = (int(group) for group in match.groups())
    if minutes > 59 or seconds > 59 or units >= rate:
        raise ValueError(f"{raw!r} is out of range (edit units count to {rate - 1})")
    return _units_ms(((hours * 60 + minutes) * 60 + seconds) * rate + units, rate)


def _parse_interop_time(raw: str) -> int:
    """Milliseconds of ``HH:MM:SS:TTT`` (4 ms ticks) or ``HH:MM:SS.sss``."""
    match = _INTEROP_TC.fullmatch(raw.strip())
    if match is None:
        raise ValueError(f"{raw!r} is not a time HH:MM:SS:TTT (ticks) or HH:MM:SS.sss")
    hours, minutes, seconds = (int(group) for group in match.groups()[:3])
    ticks, fraction = match.group(4), match.group(5)
    if minutes > 59 or seconds > 59 or (ticks is not None and int(ticks) > 249):
        raise ValueError(f"{raw!r} is out of range (ticks count to 249)")
    millis = int(ticks) * TICK_MS if ticks is not None else int((fraction or "0").ljust(3, "0"))
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def _parse_fade(raw: str, rate: int | None) -> int:
    raw = raw.strip()
    if raw.isdigit():  # Interop: ticks
        return int(raw) * TICK_MS
    return _parse_smpte_time(raw, rate) if rate is not None else _parse_interop_time(raw)


# --------------------------------------------------------------------------------------
# Reading


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _child_text(root: ET.Element, name: str) -> str | None:
    for child in root:
        if _local(child.tag) == name:
            return (child.text or "").strip()
    return None


def _line_of(text: str, pattern: str) -> int | None:
    match = re.search(pattern, text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _subtitle_lines(text: str) -> list[int]:
    """The line of each ``Subtitle`` start tag, in document order (comments blanked)."""
    blanked = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    return [blanked.count("\n", 0, m.start()) + 1 for m in _SUBTITLE_TAG.finditer(blanked)]


class _Run(NamedTuple):
    text: str
    style: _Style
    raw: bool = False  # already canonical markup (ruby)


@dataclass
class _Line:
    runs: list[_Run]
    valign: str
    vposition: float
    halign: str
    hposition: float
    order: int = 0  # document order, for lines at the same place

    @property
    def screen_y(self) -> float:
        """Where the line is, 0 (top) to 100 (bottom), as libdcp places it."""
        if self.valign == "top":
            return self.vposition
        if self.valign == "center":
            return 50 + self.vposition
        return 100 - self.vposition


class _Reader:
    def __init__(self, text: str, ctx: ReadContext, root: ET.Element, smpte: bool) -> None:
        self.text, self.ctx, self.root, self.smpte = text, ctx, root, smpte
        self.names = _SMPTE if smpte else _INTEROP
        self.lines = _subtitle_lines(text)
        self.index = 0  # Subtitle elements seen
        self.rate: int | None = None
        self.start_ms = 0
        self.cues: list[Cue] = []
        self.images = 0

    def header(self) -> dict[str, Any]:
        root, ctx = self.root, self.ctx
        info: dict[str, Any] = {"standard": "smpte" if self.smpte else "interop"}
        if self.smpte:
            info["namespace"] = _namespace(root.tag)
            raw_rate = _child_text(root, "TimeCodeRate")
            line = _line_of(self.text, r"<(?:[\w.-]+:)?TimeCodeRate")
            if raw_rate is None or not raw_rate.isdigit() or int(raw_rate) <= 0:
                raise ParseError(f"TimeCodeRate is {raw_rate!r}, not a positive whole number "
                                 "of edit units per second; fix the file", path=ctx.path,
                                 line=line)
            self.rate = int(raw_rate)
            info["time_code_rate"] = self.rate
            edit = (_child_text(root, "EditRate") or "").split()
            if len(edit) == 2 and all(part.isdigit() for part in edit) and int(edit[1]) == 1:
                info["edit_rate"] = int(edit[0])
            start = _child_text(root, "StartTime")
            if start:
                try:
                    self.start_ms = _parse_smpte_time(start, self.rate)
                except ValueError as error:
                    raise ParseError(f"StartTime: {error}; fix the file", path=ctx.path,
                                     line=_line_of(self.text, r"<(?:[\w.-]+:)?StartTime")
                                     ) from None
                info["start_time"] = start
            identifier = _child_text(root, "Id")
            title = _child_text(root, "ContentTitleText")
            info["annotation"] = _child_text(root, "AnnotationText")
        else:
            identifier = _child_text(root, "SubtitleID")
            title = _child_text(root, "MovieTitle")
        info["id"] = identifier
        info["title"] = title or ""
        reel = _child_text(root, "ReelNumber")
        if reel and reel.isdigit() and int(reel) > 0:
            info["reel"] = int(reel)
        info["language"] = _child_text(root, "Language")
        issue = _child_text(root, "IssueDate")
        if issue:
            info["source_issue_date"] = issue
        for child in root:
            if _local(child.tag) == "LoadFont":
                font_id = child.get(self.names.font_id) or child.get("ID") or child.get("Id")
                if font_id:
                    info["font_id"] = font_id
                if self.smpte and (child.text or "").strip():
                    info["font_urn"] = (child.text or "").strip()
                if child.get("URI"):
                    info["font_uri"] = child.get("URI")
                break
        return {key: value for key, value in info.items() if value is not None}

    def read(self) -> None:
        self.walk(self.root, _Style())

    def walk(self, element: ET.Element, style: _Style) -> None:
        for child in element:
            name = _local(child.tag)
            if name == "SubtitleList":
                self.walk(child, style)
            elif name == "Font":
                self.walk(child, style.merged(child.attrib, self.names.underline))
            elif name == "Subtitle":
                self.subtitle(child, style)

    def subtitle(self, element: ET.Element, style: _Style) -> None:
        line = self.lines[self.index] if self.index < len(self.lines) else None
        self.index += 1
        try:
            start, end, fades = self.times(element)
        except ValueError as error:
            self.ctx.malformed(f"Subtitle {element.get('SpotNumber', '?')}: {error}",
                               line or 0, fix="fix its times")
            return
        if end <= start:
            self.ctx.malformed(f"Subtitle {element.get('SpotNumber', '?')} ends before it "
                               "starts", line or 0, fix="fix its times")
            return
        lines: list[_Line] = []
        images = self.content(element, style, lines)
        if images and not lines:
            self.images += 1
            self.ctx.warn("an image (PNG) subtitle has no text to read; skipped", line=line)
            return
        for order, item in enumerate(lines):
            item.order = order
        lines.sort(key=lambda item: (item.screen_y, item.order))
        rendered = [_render(item.runs) for item in lines]
        kept = [(item, text) for item, text in zip(lines, rendered, strict=True)]
        cue_id = len(self.cues) + 1
        align = _numpad(kept[0][0].valign, kept[-1][0].halign) if kept else None
        meta: dict[str, Any] = {"dcp": {
            "layout": [(item.valign, item.vposition, item.halign, item.hposition)
                       for item, _ in kept],
            "align": align,
            "fade": (fades[0], fades[1])}}
        self.cues.append(Cue(cue_id, start, end, [text for _, text in kept] or [""],
                             align=align, meta=meta))

    def times(self, element: ET.Element) -> tuple[int, int, tuple[int | None, int | None]]:
        time_in, time_out = element.get("TimeIn"), element.get("TimeOut")
        if time_in is None or time_out is None:
            raise ValueError("TimeIn and TimeOut are required")
        if self.rate is not None:
            start = _parse_smpte_time(time_in, self.rate) - self.start_ms
            end = _parse_smpte_time(time_out, self.rate) - self.start_ms
        else:
            start, end = _parse_interop_time(time_in), _parse_interop_time(time_out)
        fades: list[int | None] = []
        for name in ("FadeUpTime", "FadeDownTime"):
            raw = element.get(name)
            fades.append(_parse_fade(raw, self.rate) if raw is not None else None)
        return start, end, (fades[0], fades[1])

    def content(self, element: ET.Element, style: _Style, lines: list[_Line]) -> int:
        """Add the lines of ``element``'s ``Text`` elements; the number of images."""
        images = 0
        for child in element:
            name = _local(child.tag)
            if name == "Font":
                images += self.content(child, style.merged(child.attrib, self.names.underline),
                                       lines)
            elif name == "Text":
                lines.extend(self.text_lines(child, style))
            elif name == "Image":
                images += 1
        return images

    def text_lines(self, element: ET.Element, style: _Style) -> list[_Line]:
        names = self.names
        valign = (element.get(names.valign) or "center").strip().lower()
        halign = (element.get(names.halign) or "center").strip().lower()
        vposition = _number(element.get(names.vposition))
        hposition = _number(element.get(names.hposition))
        runs = _text_runs(element, style, names.underline)
        # A line break inside one Text (rare) makes more lines at the same place.
        pieces: list[list[_Run]] = [[]]
        for run in runs:
            parts = run.text.split("\n") if not run.raw else [run.text]
            for index, part in enumerate(parts):
                if index:
                    pieces.append([])
                if part:
                    pieces[-1].append(run._replace(text=part))
        return [_Line(_strip_runs(piece), valign, vposition, halign, hposition)
                for piece in pieces if _shown(piece)]


def _number(raw: str | None) -> float:
    try:
        return float(raw) if raw is not None else 0.0
    except ValueError:
        return 0.0


def _shown(runs: list[_Run]) -> bool:
    return any(run.raw or run.text.strip() for run in runs)


def _strip_runs(runs: list[_Run]) -> list[_Run]:
    """The runs with the line's outer whitespace (layout of the XML) taken off."""
    runs = list(runs)
    while runs and not runs[0].raw and not runs[0].text.strip():
        runs.pop(0)
    while runs and not runs[-1].raw and not runs[-1].text.strip():
        runs.pop()
    if runs and not runs[0].raw:
        runs[0] = runs[0]._replace(text=runs[0].text.lstrip(" \t\r"))
    if runs and not runs[-1].raw:
        runs[-1] = runs[-1]._replace(text=runs[-1].text.rstrip(" \t\r"))
    return runs


def _text_runs(element: ET.Element, style: _Style, underline: str) -> list[_Run]:
    runs: list[_Run] = []
    if element.text:
        runs.append(_Run(element.text, style))
    for child in element:
        name = _local(child.tag)
        if name == "Font":
            runs.extend(_text_runs(child, style.merged(child.attrib, underline), underline))
        elif name == "Space":
            runs.append(_Run(" ", style))
        elif name == "Ruby":
            base = annotation = ""
            for part in child:
                if _local(part.tag) == "Rb":
                    base = "".join(part.itertext())
                elif _local(part.tag) == "Rt":
                    annotation = "".join(part.itertext())
            runs.append(_Run(f"<ruby>{protect_literal(base)}<rt>{protect_literal(annotation)}"
                             "</rt></ruby>", style, raw=True))
        else:  # HGroup, Rotate and anything else: their text
            runs.append(_Run("".join(child.itertext()), style))
        if child.tail:
            runs.append(_Run(child.tail, style))
    return runs


def _render(runs: list[_Run]) -> str:
    """Canonical markup of a line's runs: tags only where the style is not the default."""
    merged: list[_Run] = []
    for run in runs:
        if merged and merged[-1].style == run.style and not merged[-1].raw and not run.raw:
            merged[-1] = merged[-1]._replace(text=merged[-1].text + run.text)
        else:
            merged.append(run)
    out = []
    for run in merged:
        text = run.text if run.raw else protect_literal(run.text)
        style = run.style
        if style.italic:
            text = f"<i>{text}</i>"
        if style.underline:
            text = f"<u>{text}</u>"
        if style.bold:
            text = f"<b>{text}</b>"
        if style.color:
            text = f'<font color="{style.color}">{text}</font>'
        out.append(text)
    return "".join(out)


def _numpad(valign: str, halign: str) -> int | None:
    row = {"bottom": 0, "center": 3, "top": 6}.get(valign, 0)
    column = {"left": 1, "center": 2, "right": 3}.get(halign, 2)
    value = row + column
    return None if value == 2 else value


# --------------------------------------------------------------------------------------
# Writing


def _alignments(align: int | None) -> tuple[str, str]:
    valign = "top" if align in (7, 8, 9) else "center" if align in (4, 5, 6) else "bottom"
    halign = "left" if align in (1, 4, 7) else "right" if align in (3, 6, 9) else "center"
    return valign, halign


def layout(align: int | None, count: int, opts: DcpOptions
           ) -> list[tuple[str, float, str, float]]:
    """``(valign, vposition, halign, hposition)`` of each of ``count`` lines, top to
    bottom, for a cue at numpad ``align`` (``None``: bottom centre)."""
    valign, halign = _alignments(align)
    step = opts.line_step
    out = []
    for index in range(count):
        if valign == "top":
            position = opts.top + index * step
        elif valign == "center":
            position = (index - (count - 1) / 2) * step  # positive down, as libdcp reads it
        else:
            position = opts.bottom + (count - 1 - index) * step
        out.append((valign, round(position, 2), halign, 0.0))
    return out


def _decimal(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class _Piece(NamedTuple):
    text: str
    style: _Style


def _line_pieces(line: str, stack: list[tuple[str, str | None]], foreign: list[str],
                 ruby: list[bool]) -> list[_Piece]:
    """The text runs of a canonical line, each with its style. ``stack`` holds the tags
    open (name, colour of a font tag), carried from line to line of a cue: a tag may close
    on a later line. Tags DCP cannot carry are collected in ``foreign``; a ruby annotation
    sets ``ruby[0]``."""
    in_rt = 0
    pieces: list[_Piece] = []
    for token in markup.tokenize(line):
        if token.kind == "text":
            if in_rt:
                continue
            style = _Style(
                italic=any(name == "i" for name, _ in stack),
                bold=any(name == "b" for name, _ in stack),
                underline=any(name == "u" for name, _ in stack),
                color=next((color for name, color in reversed(stack)
                            if name == "font" and color), None))
            text = unprotect_literal(token.raw)
            if pieces and pieces[-1].style == style:
                pieces[-1] = pieces[-1]._replace(text=pieces[-1].text + text)
            else:
                pieces.append(_Piece(text, style))
        elif token.name in ("rt", "rp"):
            if token.kind == "open":
                in_rt += 1
                ruby[0] = True
            elif token.kind == "close":
                in_rt = max(in_rt - 1, 0)
        elif token.name in ("ruby", "rb"):
            continue
        elif token.name in markup.CANONICAL and token.kind == "open":
            color = markup.normalize_color(markup.font_color(token.raw)) \
                if token.name == "font" else None
            stack.append((token.name, None if color == _WHITE else color))
        elif token.name in markup.CANONICAL and token.kind == "close":
            for position in range(len(stack) - 1, -1, -1):
                if stack[position][0] == token.name:
                    del stack[position]
                    break
        else:
            foreign.append(token.raw)
    return pieces


class _Writer:
    def __init__(self, track: Track, ctx: WriteContext, smpte: bool, fmt: str) -> None:
        self.track, self.ctx, self.smpte, self.fmt = track, ctx, smpte, fmt
        self.names = _SMPTE if smpte else _INTEROP
        self.opts = options(track)
        self.rate = self._rate() if smpte else 0

    def _rate(self) -> int:
        if self.opts.edit_rate is not None and self.opts.edit_rate > 0:
            if self.opts.edit_rate not in DCP_RATES:
                self.ctx.warn(f"edit rate {self.opts.edit_rate} is not a DCP frame rate "
                              f"({', '.join(map(str, DCP_RATES))}); written as given")
            return self.opts.edit_rate
        fps = self.ctx.fps or self.track.fps
        if not fps:
            return 24
        nearest = min(DCP_RATES, key=lambda rate: abs(rate - fps))
        if abs(nearest - fps) > 0.001:
            self.ctx.warn(f"a DCP plays whole frame rates: {fps:g} fps written in {nearest} "
                          "fps edit units, times kept as they are (if the picture is sped "
                          f"up to {nearest} fps, retime the subtitles by the same factor)")
        return nearest

    def write(self) -> str:
        body = "".join(self._subtitles())
        if not body and self.smpte:
            raise OutputError("a SMPTE DCP subtitle file needs at least one subtitle (ST "
                              "428-7), and this track has none that can be written; "
                              "nothing written", path=self.ctx.path)
        language = self._language()
        date = self._issue_date()
        opts = self.opts
        title = escape(replace_invalid_xml_chars(opts.title or _title(self.ctx))[0])
        font_id = quoteattr(opts.font_id or "Font1")
        if self.smpte:
            head_rest = (
                f"  <IssueDate>{{date}}</IssueDate>\n"
                f"  <ReelNumber>{max(opts.reel, 1)}</ReelNumber>\n"
                f"  <Language>{language}</Language>\n"
                f"  <EditRate>{self.rate} 1</EditRate>\n"
                f"  <TimeCodeRate>{self.rate}</TimeCodeRate>\n"
                f"  <StartTime>{_smpte_time(0, self.rate)}</StartTime>\n"
                f"  <LoadFont ID={font_id}>{{font}}</LoadFont>\n"
                "  <SubtitleList>\n"
                f"    <Font ID={font_id} {self._font_defaults()}>\n"
                f"{body}"
                "    </Font>\n"
                "  </SubtitleList>\n"
                "</SubtitleReel>\n")
            identity = _uuid(NS_2014, title, head_rest)
            font = opts.font_urn or f"urn:uuid:{uuid.uuid5(_UUID_NAMESPACE, f'{identity}:font')}"
            return (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<SubtitleReel xmlns="{NS_2014}">\n'
                f"  <Id>urn:uuid:{identity}</Id>\n"
                f"  <ContentTitleText>{title}</ContentTitleText>\n"
                + head_rest.replace("{date}", date, 1).replace("{font}", escape(font), 1))
        uri = opts.font_uri or "font.ttf"
        head_rest = (
            f"  <ReelNumber>{max(opts.reel, 1)}</ReelNumber>\n"
            f"  <Language>{language}</Language>\n"
            f"  <LoadFont Id={font_id} URI={quoteattr(uri)}/>\n"
            + (f"  <Font Id={font_id} {self._font_defaults()}>\n"
               f"{body}"
               "  </Font>\n" if body else "")  # a Font must hold a Subtitle
            + "</DCSubtitle>\n")
        identity = _uuid("interop", title, head_rest)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<DCSubtitle Version="1.0">\n'
            f"  <SubtitleID>{identity}</SubtitleID>\n"
            f"  <MovieTitle>{title}</MovieTitle>\n"
            + head_rest)

    def _font_defaults(self) -> str:
        return (f'Size="{max(self.opts.font_size, 1)}" Color="FFFFFFFF" Effect="border" '
                f'EffectColor="FF000000" Italic="no" {self.names.underline}="no" '
                'Weight="normal" Script="normal"')

    def _language(self) -> str:
        language = (self.ctx.language or self.track.language or "").strip().replace("_", "-")
        if not language:
            self.ctx.warn("no language given (--lang, or the target of localize); written "
                          "as 'und': Bv2.1 wants the subtitle's language")
            return "und"
        if not _LANGUAGE.fullmatch(language):
            self.ctx.warn(f"{language!r} is not a language tag; written as 'und'")
            return "und"
        return language

    def _issue_date(self) -> str:
        given = self.opts.issue_date.strip()
        if given:
            if not _DATE.fullmatch(given):
                self.ctx.warn(f"issue date {given!r} is not YYYY-MM-DDTHH:MM:SS; the current "
                              "time written instead")
            else:
                return given
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() \
            else datetime.now(timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%S")

    def _subtitles(self) -> Iterator[str]:
        ctx, names = self.ctx, self.names
        spot = 0
        rate = self.rate
        if self.smpte:
            max_ms = _units_ms(24 * 3600 * rate - 1, rate)
            max_text = _smpte_time(24 * 3600 * rate - 1, rate)
        else:
            max_ms, max_text = 24 * 3_600_000 - TICK_MS, "23:59:59:249"
        indent = "      " if self.smpte else "    "
        for cue in self.track.cues:
            times = writable_times(self.fmt, cue, ctx, max_ms=max_ms, max_text=max_text)
            if times is None:
                continue
            foreign: list[str] = []
            ruby = [False]
            stack: list[tuple[str, str | None]] = []
            lines = [pieces for line in cue.lines
                     if (pieces := _line_pieces(line, stack, foreign, ruby))
                     and any(piece.text.strip() for piece in pieces)]
            if foreign:
                ctx.warn(f"DCP subtitles cannot carry the tags "
                         f"{', '.join(dict.fromkeys(foreign))}; written without them",
                         cue=cue.id)
            if ruby[0]:
                ctx.warn("ruby annotations are not written to DCP subtitles; the base text "
                         "is kept", cue=cue.id)
            if not lines:
                ctx.warn("cue has no text, and a DCP subtitle cannot be empty; not written",
                         cue=cue.id)
                continue
            start, end = times
            time_in, time_out, fade_up, fade_down = self._times(cue, start, end)
            spot += 1
            placed = self._placed(cue, len(lines))
            texts = []
            invalid: list[str] = []
            for pieces, (valign, vpos, halign, hpos) in zip(lines, placed, strict=True):
                attrs = [f'{names.valign}="{valign}"', f'{names.vposition}="{_decimal(vpos)}"']
                if halign != "center":
                    attrs.append(f'{names.halign}="{halign}"')
                if hpos:
                    attrs.append(f'{names.hposition}="{_decimal(hpos)}"')
                content = "".join(self._piece(piece, invalid) for piece in _trimmed(pieces))
                texts.append(f"{indent}  <Text {' '.join(attrs)}>{content}</Text>\n")
            if invalid:
                ctx.warn(f"XML cannot carry {_code_points(invalid)}; written as U+FFFD",
                         cue=cue.id)
            yield (f'{indent}<Subtitle SpotNumber="{spot}" TimeIn="{time_in}" '
                   f'TimeOut="{time_out}" FadeUpTime="{fade_up}" '
                   f'FadeDownTime="{fade_down}">\n' + "".join(texts)
                   + f"{indent}</Subtitle>\n")

    def _times(self, cue: Cue, start: int, end: int) -> tuple[str, str, str, str]:
        fade_up, fade_down = self.opts.fade_up_ms, self.opts.fade_down_ms
        kept = cue.meta.get("dcp") if cue.meta else None
        if isinstance(kept, dict) and isinstance(kept.get("fade"), (tuple, list)):
            up, down = kept["fade"]
            fade_up = up if isinstance(up, int) else fade_up
            fade_down = down if isinstance(down, int) else fade_down
        if self.smpte:
            rate = self.rate
            first, last = _units(start, rate), _units(end, rate)
            if last <= first:
                last = first + 1
                self.ctx.warn("cue is shorter than one edit unit; written one edit unit "
                              "long", cue=cue.id)
            length = last - first
            up_units, down_units = _units(fade_up, rate), _units(fade_down, rate)
            if up_units + down_units > length:
                self.ctx.warn("fades longer than the cue; written as long as it",
                              cue=cue.id)
                up_units = min(up_units, length)
                down_units = min(down_units, length - up_units)
            return (_smpte_time(first, rate), _smpte_time(last, rate),
                    _smpte_time(up_units, rate), _smpte_time(down_units, rate))
        first, last = (round_half_up(Fraction(start, TICK_MS)) * TICK_MS,
                       round_half_up(Fraction(end, TICK_MS)) * TICK_MS)
        if last <= first:
            last = first + TICK_MS
            self.ctx.warn("cue is shorter than one tick (4 ms); written one tick long",
                          cue=cue.id)
        length = (last - first) // TICK_MS
        up_ticks = min(round_half_up(Fraction(fade_up, TICK_MS)), 249)
        down_ticks = min(round_half_up(Fraction(fade_down, TICK_MS)), 249)
        if up_ticks + down_ticks > length:
            self.ctx.warn("fades longer than the cue; written as long as it", cue=cue.id)
            up_ticks = min(up_ticks, length)
            down_ticks = min(down_ticks, length - up_ticks)
        return _interop_time(first), _interop_time(last), str(up_ticks), str(down_ticks)

    def _placed(self, cue: Cue, count: int) -> list[tuple[str, float, str, float]]:
        """Where each line goes: as read (same-format rewrite, same align and lines), else
        from the cue's ``align``."""
        kept = cue.meta.get("dcp") if cue.meta else None
        if isinstance(kept, dict) and kept.get("align") == cue.align:
            placed = kept.get("layout")
            if isinstance(placed, (list, tuple)) and len(placed) == count and all(
                    isinstance(item, (list, tuple)) and len(item) == 4 for item in placed):
                out = []
                for valign, vpos, halign, hpos in placed:
                    valign = valign if valign in ("top", "center", "bottom") else "bottom"
                    halign = halign if halign in ("left", "center", "right") else "center"
                    out.append((valign, max(-100.0, min(100.0, float(vpos))), halign,
                                max(-100.0, min(100.0, float(hpos)))))
                return out
        return layout(cue.align, count, self.opts)

    def _piece(self, piece: _Piece, invalid: list[str]) -> str:
        found = INVALID_XML_CHAR.findall(piece.text)
        text = replace_invalid_xml_chars(piece.text)[0] if found else piece.text
        invalid.extend(found)
        text = escape(text)
        style = piece.style
        attrs = []
        if style.italic:
            attrs.append('Italic="yes"')
        if style.bold:
            attrs.append('Weight="bold"')
        if style.underline:
            attrs.append(f'{self.names.underline}="yes"')
        if style.color:
            attrs.append(f'Color="FF{style.color[1:].upper()}"')
        return f"<Font {' '.join(attrs)}>{text}</Font>" if attrs else text


def _trimmed(pieces: list[_Piece]) -> list[_Piece]:
    """A line's pieces without empty ones at either end (a DCP Font must hold text)."""
    out = [piece for piece in pieces if piece.text]
    return out


def _title(ctx: WriteContext) -> str:
    name = os.path.basename(ctx.path)
    if ctx.path == "<memory>" or not name:
        return "Untitled"
    return name.split(".", 1)[0] or "Untitled"


def _uuid(standard: str, title: str, rest: str) -> str:
    """A UUID for the file from everything it says but its issue date and its font's URN
    (which a file read keeps): the same input gives the same UUID, any change to the
    subtitles a new one (a new asset)."""
    digest = hashlib.sha256()
    for part in (standard, title, rest):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return str(uuid.uuid5(_UUID_NAMESPACE, digest.hexdigest()))


def _code_points(chars: list[str]) -> str:
    names = [f"U+{ord(char):04X}" for char in dict.fromkeys(chars)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --------------------------------------------------------------------------------------
# The formats


class _DcpFormat(SubtitleFormat):
    smpte = True

    @classmethod
    def sniff(cls, head: str) -> bool:
        head = head.lstrip("\ufeff")
        match = _ROOT.search(head)
        if match is None or _PROLOG_NOISE.sub("", head[: match.start()]):
            return False
        if match.group(1) == "DCSubtitle":
            return not cls.smpte
        return cls.smpte and "smpte-ra.org/schemas/428-7/" in head[match.start():]

    def read(self, text: str, ctx: ReadContext) -> Track:
        root = parse_xml(text, ctx.path)
        local, namespace = _local(root.tag), _namespace(root.tag)
        if local == "SubtitleReel" and namespace in SMPTE_NAMESPACES:
            smpte = True
        elif local == "DCSubtitle" and not namespace:
            smpte = False
        else:
            raise ParseError(f"the root element is {root.tag!r}, not a SMPTE ST 428-7 "
                             "SubtitleReel or an Interop DCSubtitle; this is not DCP subtitle "
                             "XML", path=ctx.path, line=1)
        reader = _Reader(text, ctx, root, smpte)
        info = reader.header()
        reader.read()
        language = info.get("language")
        fps = float(reader.rate) if reader.rate else None
        # Interop files often name the language ("French"): only a BCP 47 tag is the
        # track's language; the text is kept in header["dcp"]["language"] either way.
        tag = language.replace("_", "-") if language else None
        return Track(cues=reader.cues, format="dcp" if smpte else "dcp-interop",
                     language=tag if tag and is_valid_tag(tag) else None,
                     fps=fps, header={"dcp": info})

    def write(self, track: Track, ctx: WriteContext) -> str:
        return _Writer(track, ctx, self.smpte, self.name).write()


class DcpFormat(_DcpFormat):
    """SMPTE ST 428-7 DCP subtitle XML (``SubtitleReel``), as Bv2.1 DCPs carry it; reads
    Interop files too. See the module docstring."""

    name = "dcp"
    extensions = (".xml",)
    description = "SMPTE ST 428-7 DCP subtitles (XML)"
    smpte = True


class DcpInteropFormat(_DcpFormat):
    """Interop (CineCanvas) DCP subtitle XML (``DCSubtitle``), for older servers; times in
    4 ms ticks. Reads SMPTE files too. See the module docstring."""

    name = "dcp-interop"
    extensions = (".xml",)
    description = "Interop/CineCanvas DCP subtitles (XML)"
    smpte = False
    time_step_ms = TICK_MS


#: The keys a reader puts in ``header["dcp"]`` that the writer does not take.
READ_ONLY_KEYS = _READ_ONLY

__all__ = ["DCP_RATES", "NS_2014", "READ_ONLY_KEYS", "DcpFormat", "DcpInteropFormat",
           "DcpOptions", "layout", "option_keys", "options"]

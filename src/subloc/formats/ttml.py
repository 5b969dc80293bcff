"""TTML / IMSC 1.1 Text (.ttml, .dfxp, .xml), read with ttconv and written directly.

Reading: the XML is parsed here with expat, refusing any DOCTYPE (so no entity
expansion, no XML bombs, no external entities), the legacy DFXP namespaces are mapped to
TTML, and ttconv's IMSC reader builds its content model. :func:`document_to_track` turns
that model into a :class:`~subloc.track.Track`; the EBU STL and SCC readers use it too.

ttconv's model keeps, per element, the styles specified on it (attributes and referenced
``<style>`` elements flattened) and times relative to the parent's begin. The walk here
adds the parent offsets up, and resolves the inherited styles (italic, bold, underline,
colour) through the ancestors, the region and the document's initial values.

Writing: the XML is written here rather than with ttconv's IMSC writer, because that
writer cannot write ``HH:MM:SS:FF`` times for the fractional NTSC frame rates
(23.976, 29.97, 59.94), never writes ``ttp:timeBase`` or ``ttm:agent``, and registers XML
namespace prefixes globally. The output is IMSC 1.1 Text: ``xml:lang``, one ``xml:id``
per ``p``, two non-overlapping regions (bottom, top), styling as ``tts:`` attributes on
spans, and is byte-for-byte deterministic.
"""

from __future__ import annotations

import io
import logging
import math
import re
import threading
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ttconv import model
from ttconv.imsc import attributes as imsc_attr
from ttconv.imsc import reader as imsc_reader
from ttconv.style_properties import (
    ColorType,
    DisplayAlignType,
    FontStyleType,
    FontWeightType,
    LengthType,
    NamedColors,
    StyleProperties,
    TextAlignType,
)

from subloc import markup
from subloc.errors import ParseError
from subloc.formats.base import ReadContext, SubtitleFormat, WriteContext
from subloc.io.xmlsafe import parse_xml
from subloc.track import Cue, Track

NS_TTML = "http://www.w3.org/ns/ttml"
NS_TTP = "http://www.w3.org/ns/ttml#parameter"
NS_TTS = "http://www.w3.org/ns/ttml#styling"
NS_TTM = "http://www.w3.org/ns/ttml#metadata"
NS_XML = "http://www.w3.org/XML/1998/namespace"
IMSC11_TEXT = "http://www.w3.org/ns/ttml/profile/imsc1.1/text"

#: Legacy DFXP (TTML drafts) namespaces and their TTML 1 equivalents.
_DFXP_NAMESPACES = {
    f"http://www.w3.org/{draft}/ttaf1{suffix}": f"{NS_TTML}{target}"
    for draft in ("2006/10", "2006/04")
    for suffix, target in (
        ("", ""),
        ("#styling", "#styling"),
        ("#style", "#styling"),
        ("#parameter", "#parameter"),
        ("#metadata", "#metadata"),
    )
}

_ROOT_NAMESPACES = (NS_TTML, *(ns for ns in _DFXP_NAMESPACES if "#" not in ns))
_PROLOG_NOISE = re.compile(
    r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>|\s+", re.S | re.I
)
_ROOT_TAG = re.compile(r"<(?:([A-Za-z_][\w.-]*):)?tt[\s>/]")
_TOP_LIMIT_PCT = 50.0
_WHITE = (255, 255, 255)

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------
# ttconv diagnostics


_LOG_LOCK = threading.Lock()
_log_users = 0
_log_saved: tuple[int, bool] = (logging.NOTSET, True)


@contextmanager
def ttconv_messages(
    ignore: tuple[str, ...] = ("xml:lang not specified",),
) -> Iterator[list[str]]:
    """Collect ttconv's log warnings and errors raised in this thread while the block runs.

    ttconv reports most problems (a bad attribute value, a skipped subtitle) by logging and
    carrying on; the formats turn these into reader/writer warnings instead of losing them.
    While any block runs, the ``ttconv`` logger does not propagate (so the messages are
    not printed a second time by whatever handlers the CLI installed) and lets warnings
    through whatever level the application set.
    """
    global _log_users, _log_saved
    messages: list[str] = []
    thread = threading.get_ident()

    class _Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.thread != thread:
                return
            message = record.getMessage()
            if not any(message.startswith(prefix) for prefix in ignore):
                messages.append(message)

    handler = _Collector(level=logging.WARNING)
    ttconv_logger = logging.getLogger("ttconv")
    with _LOG_LOCK:
        if _log_users == 0:
            _log_saved = (ttconv_logger.level, ttconv_logger.propagate)
            ttconv_logger.setLevel(min(ttconv_logger.getEffectiveLevel(), logging.WARNING))
            ttconv_logger.propagate = False
        _log_users += 1
        ttconv_logger.addHandler(handler)
    try:
        yield messages
    finally:
        with _LOG_LOCK:
            ttconv_logger.removeHandler(handler)
            _log_users -= 1
            if _log_users == 0:
                ttconv_logger.setLevel(_log_saved[0])
                ttconv_logger.propagate = _log_saved[1]




def _map_dfxp_namespaces(root: ET.Element) -> bool:
    """Rename legacy DFXP namespaces to TTML in place; return whether any was found."""

    def mapped(name: str) -> str:
        if name.startswith("{"):
            uri, _, local = name[1:].partition("}")
            target = _DFXP_NAMESPACES.get(uri)
            if target is not None:
                return "{" + target + "}" + local
        return name

    changed = False
    for element in root.iter():
        tag = mapped(element.tag)
        if tag != element.tag:
            element.tag = tag
            changed = True
        if any(key.startswith("{") for key in element.attrib):
            new = {mapped(key): value for key, value in element.attrib.items()}
            if list(new) != list(element.attrib):
                element.attrib.clear()
                element.attrib.update(new)
                changed = True
    return changed


_TIMED = frozenset(f"{{{NS_TTML}}}{name}" for name in ("body", "div", "p", "span"))
_INDEFINITE = frozenset(f"{{{NS_TTML}}}{name}" for name in ("br", "set"))


def _fix_implicit_ends(root: ET.Element) -> int:
    """Give an explicit ``end`` to every ``body``/``div``/``p``/``span`` that has a non-zero
    ``begin``, no ``end``/``dur`` and only children with definite ends.

    Works around a ttconv 1.2 reader bug: it computes such an element's implicit end from
    its children's ends (relative to the element) as if they were relative to the parent,
    so a ``<div begin="10s">`` whose ``p`` elements end before 10 s is dropped entirely, and
    one whose ``p`` elements end later is cut short. Returns how many ends were added.
    """
    temporal = imsc_attr.TemporalAttributeParsingContext(
        frame_rate=imsc_attr.FrameRateAttribute.extract(root),
        tick_rate=imsc_attr.TickRateAttribute.extract(root),
        time_base=imsc_attr.TimeBaseAttribute.extract(root),
        drop_mode=imsc_attr.DropModeAttribute.extract(root),
    )
    fixed = 0

    def parse(element: ET.Element, name: str) -> Fraction | None:
        raw = element.get(name)
        if raw is None:
            return None
        try:
            value: Fraction = imsc_attr.parse_time_expression(temporal, raw.strip(), False)
        except ValueError:
            return None
        return value

    def end_of(element: ET.Element) -> Fraction | None:
        """The element's end relative to its parent's begin; ``None`` when indefinite."""
        nonlocal fixed
        begin = parse(element, "begin") or Fraction(0)
        end, dur = parse(element, "end"), parse(element, "dur")
        children = [child for child in element if child.tag in _TIMED | _INDEFINITE]
        child_ends = [end_of(child) if child.tag in _TIMED else None for child in children]
        if end is not None or dur is not None:
            if dur is not None:
                return begin + dur if end is None else min(end, begin + dur)
            return end
        if element.get("timeContainer") == "seq":
            return None
        # ttconv wraps any text of a p/span (whitespace included) in an untimed span
        mixed = element.tag in (f"{{{NS_TTML}}}p", f"{{{NS_TTML}}}span")
        if mixed and (element.text is not None or any(c.tail is not None for c in element)):
            return None
        if any(value is None for value in child_ends):
            return None
        implicit = begin + max((v for v in child_ends if v is not None), default=Fraction(0))
        if begin != 0:
            micro = math.ceil(implicit * 1_000_000)
            element.set("end", f"{micro // 1_000_000}.{micro % 1_000_000:06d}s")
            fixed += 1
        return implicit

    body = root.find(f"{{{NS_TTML}}}body")
    if body is not None:
        end_of(body)
    return fixed


_MARKER = "x-subloc-p"


def _tag_paragraphs(root: ET.Element) -> dict[str, tuple[str | None, str | None]]:
    """Note each ``p``'s ``xml:id`` and speaker (its own or inherited ``ttm:agent``, by
    ``ttm:name``), keyed by a private-use ``xml:lang`` marker put on the ``p``.

    ttconv's model drops ``xml:id`` and all metadata but keeps ``xml:lang`` on every
    element, so the marker is how :func:`document_to_track` finds a ``p`` again.
    """
    names: dict[str, str] = {}
    head = root.find(f"{{{NS_TTML}}}head")
    if head is not None:
        for agent in head.iter(f"{{{NS_TTM}}}agent"):
            agent_id = agent.get(f"{{{NS_XML}}}id")
            if agent_id:
                name = agent.find(f"{{{NS_TTM}}}name")
                text = (name.text or "").strip() if name is not None else ""
                names[agent_id] = text or agent_id

    result: dict[str, tuple[str | None, str | None]] = {}

    def visit(element: ET.Element, agent: str | None) -> None:
        agent = element.get(f"{{{NS_TTM}}}agent", agent)
        if element.tag == f"{{{NS_TTML}}}p":
            marker = f"{_MARKER}{len(result) + 1}"
            speaker = ", ".join(names.get(ref, ref) for ref in agent.split()) if agent else None
            result[marker] = (element.get(f"{{{NS_XML}}}id"), speaker or None)
            element.set(f"{{{NS_XML}}}lang", marker)
            return
        for child in element:
            visit(child, agent)

    body = root.find(f"{{{NS_TTML}}}body")
    if body is not None:
        visit(body, None)
    return result


def _frame_rate_attr(root: ET.Element) -> float | None:
    raw = root.get(f"{{{NS_TTP}}}frameRate")
    if raw is None or not raw.strip().isdigit():
        return None
    rate = Fraction(int(raw.strip()))
    multiplier = (root.get(f"{{{NS_TTP}}}frameRateMultiplier") or "").split()
    if len(multiplier) == 2 and all(part.isdigit() for part in multiplier) and int(multiplier[1]):
        rate *= Fraction(int(multiplier[0]), int(multiplier[1]))
    return float(rate) if rate > 0 else None


# --------------------------------------------------------------------------------------
# ttconv content model -> Track


@dataclass(frozen=True)
class _Style:
    italic: bool = False
    bold: bool = False
    underline: bool = False
    color: str | None = None

    def keys(self) -> tuple[str, ...]:
        """The canonical tags for this style, in canonical order (``font:#rrggbb``)."""
        keys = [name for name, on in (("i", self.italic), ("b", self.bold),
                                      ("u", self.underline)) if on]
        if self.color:
            keys.append("font:" + self.color)
        return tuple(keys)


_PLAIN = _Style()


def _inherited(
    element: model.ContentElement,
    prop: Any,
    region: model.Region | None,
    doc: model.ContentDocument | None,
) -> Any:
    """The specified value of inherited style ``prop`` at ``element`` (ancestors, region,
    document initial value), or ``None`` when nobody specifies it."""
    node: model.ContentElement | None = element
    while node is not None:
        value = node.get_style(prop)
        if value is not None:
            return value
        node = node.parent()
    if region is not None and region.get_style(prop) is not None:
        return region.get_style(prop)
    if doc is not None:
        return doc.get_initial_value(prop)
    return None


def _underline(
    element: model.ContentElement, region: model.Region | None, doc: model.ContentDocument | None
) -> bool:
    node: model.ContentElement | None = element
    chain: list[Any] = []
    while node is not None:
        chain.append(node)
        node = node.parent()
    if region is not None:
        chain.append(region)
    for holder in chain:
        value = holder.get_style(StyleProperties.TextDecoration)
        if value is not None and value.underline is not None:
            return bool(value.underline)
    initial = doc.get_initial_value(StyleProperties.TextDecoration) if doc is not None else None
    return bool(initial is not None and initial.underline)


def _hex_color(value: ColorType | None) -> str | None:
    if value is None:
        return None
    red, green, blue, alpha = (*value.components, 255)[:4]
    if alpha == 0 or (red, green, blue) == _WHITE:
        return None
    return f"#{red:02x}{green:02x}{blue:02x}"


def _style_of(
    element: model.ContentElement, region: model.Region | None, doc: model.ContentDocument | None
) -> _Style:
    font_style = _inherited(element, StyleProperties.FontStyle, region, doc)
    weight = _inherited(element, StyleProperties.FontWeight, region, doc)
    return _Style(
        italic=font_style in (FontStyleType.italic, FontStyleType.oblique),
        bold=weight == FontWeightType.bold,
        underline=_underline(element, region, doc),
        color=_hex_color(_inherited(element, StyleProperties.Color, region, doc)),
    )


def _absolute(
    element: model.ContentElement, parent_begin: Fraction, parent_end: Fraction | None
) -> tuple[Fraction, Fraction | None]:
    """Begin and end of ``element`` on the document timeline (ttconv stores them relative
    to the parent's begin, and the parent's end clips the child's)."""
    begin = parent_begin + (element.get_begin() or Fraction(0))
    raw_end = element.get_end()
    end = parent_begin + raw_end if raw_end is not None else parent_end
    if end is not None and parent_end is not None:
        end = min(end, parent_end)
    return begin, end


def _region_of(element: model.ContentElement) -> model.Region | None:
    node: model.ContentElement | None = element
    while node is not None:
        if node.get_region() is not None:
            region: model.Region = node.get_region()
            return region
        node = node.parent()
    return None


def _length_pct(length: LengthType | None, axis_px: int) -> float | None:
    if length is None:
        return None
    if length.units in (LengthType.Units.pct, LengthType.Units.rh, LengthType.Units.rw):
        return float(length.value)
    if length.units is LengthType.Units.px and axis_px:
        return 100.0 * float(length.value) / axis_px
    return None


def _vertical_anchor(region: model.Region | None, doc: model.ContentDocument) -> float | None:
    """Where the text of ``region`` sits, as a percentage of the root height (0 = top)."""
    if region is None:
        return None
    origin = region.get_style(StyleProperties.Origin)
    extent = region.get_style(StyleProperties.Extent)
    align = region.get_style(StyleProperties.DisplayAlign)
    if origin is None and extent is None and align is None:
        return None
    height_px = doc.get_px_resolution().height
    top = _length_pct(origin.y, height_px) if origin is not None else 0.0
    height = _length_pct(extent.height, height_px) if extent is not None else None
    if top is None:
        return None
    if height is None:
        height = 100.0 - top
    if align is DisplayAlignType.after:
        return top + height
    if align is DisplayAlignType.center:
        return top + height / 2
    return top


def _numpad(
    p: model.P, region: model.Region | None, doc: model.ContentDocument, horizontal: bool
) -> int | None:
    anchor = _vertical_anchor(region, doc)
    top = anchor is not None and anchor < _TOP_LIMIT_PCT
    text_align = _inherited(p, StyleProperties.TextAlign, region, None) if horizontal else None
    column = 2
    if text_align is TextAlignType.start:
        column = 1
    elif text_align is TextAlignType.end:
        column = 3
    if not top and column == 2:
        return None
    return column + (6 if top else 0)


_Char = tuple[str, _Style]


def _collect_lines(
    p: model.P, region: model.Region | None, doc: model.ContentDocument
) -> list[list[_Char]]:
    lines: list[list[_Char]] = [[]]

    def visit(element: model.ContentElement) -> None:
        if isinstance(element, model.Br):
            lines.append([])
            return
        if isinstance(element, model.Text):
            parent = element.parent()
            holder = parent if parent is not None else p
            style = _style_of(holder, region, doc)
            text = element.get_text()
            if holder.get_space() is model.WhiteSpaceHandling.PRESERVE:
                for index, part in enumerate(text.split("\n")):
                    if index:
                        lines.append([])
                    lines[-1].extend((char, style) for char in part)
            else:
                lines[-1].extend((" " if char.isspace() else char, style) for char in text)
            return
        if isinstance(element, (model.Rt, model.Rp, model.Rtc)):
            return  # ruby annotations are not part of the subtitle text
        for child in element:
            visit(child)

    for child in p:
        visit(child)
    return lines


def _normalize(chars: list[_Char]) -> list[_Char]:
    """Collapse whitespace runs to one space, trim the line, and give each space the
    style its two neighbours share (so tags close before a space, not after it)."""
    out: list[_Char] = []
    for char, style in chars:
        if char.isspace() or unicodedata.category(char) == "Cc":
            if out and out[-1][0] != " ":
                out.append((" ", style))
            continue
        out.append((char, style))
    while out and out[-1][0] == " ":
        out.pop()
    for index, (char, _style) in enumerate(out):
        if char == " ":
            before, after = out[index - 1][1], out[index + 1][1]
            out[index] = (" ", _Style(
                italic=before.italic and after.italic,
                bold=before.bold and after.bold,
                underline=before.underline and after.underline,
                color=before.color if before.color == after.color else None,
            ))
    return out


def render_markup(chars: list[_Char]) -> str:
    """Canonical markup for styled characters, with a minimal, well-nested set of tags."""
    parts: list[str] = []
    stack: list[str] = []

    def close(key: str) -> str:
        return "</font>" if key.startswith("font:") else f"</{key}>"

    def open_(key: str) -> str:
        if key.startswith("font:"):
            return f'<font color="{key[5:]}">'
        return f"<{key}>"

    index = 0
    while index < len(chars):
        style = chars[index][1]
        end = index
        while end < len(chars) and chars[end][1] == style:
            end += 1
        wanted = style.keys()
        keep = 0
        while keep < len(stack) and stack[keep] in wanted:
            keep += 1
        while len(stack) > keep:
            parts.append(close(stack.pop()))
        for key in wanted:
            if key not in stack:
                stack.append(key)
                parts.append(open_(key))
        parts.append("".join(char for char, _ in chars[index:end]))
        index = end
    while stack:
        parts.append(close(stack.pop()))
    return "".join(parts)


def _ms(seconds: Fraction) -> int:
    return math.floor(seconds * 1000 + Fraction(1, 2))


def document_to_track(
    doc: model.ContentDocument,
    *,
    fmt: str,
    ctx: ReadContext,
    fps: float | None = None,
    paragraphs: dict[str, tuple[str | None, str | None]] | None = None,
    horizontal: bool = True,
) -> Track:
    """Convert a ttconv ``ContentDocument`` to a Track: one cue per ``p``.

    Times are the ``p``'s (or, when the ``p`` has none, its spans') on the document
    timeline; lines split at ``br``; inherited italic/bold/underline/colour become
    canonical tags; a ``p`` in a region whose text sits in the top half gets ``align``
    7/8/9 (and 1/3 for left/right text at the bottom). ``p`` elements without any
    visible text are skipped. ``paragraphs`` maps a ``p``'s ``xml:lang`` marker to its
    ``xml:id`` and speaker (see :func:`_tag_paragraphs`). With ``horizontal=False``
    ``tts:textAlign`` is ignored (SCC: ttconv's reader sets it to ``start`` everywhere).
    """
    paragraphs = paragraphs or {}
    found: list[tuple[Fraction, Fraction | None, model.P]] = []

    def walk(element: model.ContentElement, begin: Fraction, end: Fraction | None) -> None:
        element_begin, element_end = _absolute(element, begin, end)
        if isinstance(element, model.P):
            if element.get_begin() is None and element.get_end() is None:
                spans = [
                    _absolute(child, element_begin, element_end)
                    for child in element
                    if child.get_begin() is not None or child.get_end() is not None
                ]
                if spans:
                    element_begin = min(span[0] for span in spans)
                    ends = [span[1] for span in spans]
                    element_end = None if any(e is None for e in ends) else max(
                        e for e in ends if e is not None
                    )
            found.append((element_begin, element_end, element))
            return
        for child in element:
            walk(child, element_begin, element_end)

    body = doc.get_body()
    if body is not None:
        walk(body, Fraction(0), None)

    cues: list[Cue] = []
    for index, (begin, end, p) in enumerate(found):
        region = _region_of(p)
        lines = [_normalize(chars) for chars in _collect_lines(p, region, doc)]
        rendered = [render_markup(chars) for chars in lines if chars]
        if not rendered:
            continue
        start_ms = _ms(begin)
        if end is None:
            later = [b for b, _e, _p in found[index + 1:] if b > begin]
            end_ms = _ms(min(later)) if later else start_ms + 5000
            ctx.warn(
                f"subtitle at {start_ms} ms has no end time; it ends at {end_ms} ms",
                cue=len(cues) + 1,
            )
        else:
            end_ms = _ms(end)
        p_id, speaker = paragraphs.get(p.get_lang(), (None, None))
        meta: dict[str, Any] = {"ttml_id": p_id} if p_id else {}
        cues.append(Cue(
            id=len(cues) + 1,
            start_ms=start_ms,
            end_ms=end_ms,
            lines=rendered,
            speaker=speaker,
            align=_numpad(p, region, doc, horizontal),
            meta=meta,
        ))

    return Track(
        cues=cues,
        format=fmt,
        language=doc.get_lang() or None,
        fps=fps,
    )


# --------------------------------------------------------------------------------------
# Writing


_COLOR_NAMES = {color.name: color.value for color in NamedColors}


def normalize_color(raw: str | None) -> str | None:
    """``#rrggbb`` for a ``<font color>`` value (``#rgb``, ``#rrggbbaa``, CSS/TTML names)."""
    if not raw:
        return None
    value = raw.strip().lower()
    if re.fullmatch(r"#[0-9a-f]{3}", value):
        return "#" + "".join(ch * 2 for ch in value[1:])
    if re.fullmatch(r"#[0-9a-f]{6}(?:[0-9a-f]{2})?", value):
        return value[:7]
    if re.fullmatch(r"[0-9a-f]{6}", value):
        return "#" + value
    named = _COLOR_NAMES.get(value)
    if named is not None and named.components[3] != 0:
        red, green, blue = named.components[:3]
        return f"#{red:02x}{green:02x}{blue:02x}"
    return None


def markup_runs(line: str, warn: Callable[[str], None]) -> list[_Char]:
    """Styled characters of a canonical-markup line; foreign tags are dropped."""
    stack: list[tuple[str, str | None]] = []
    chars: list[_Char] = []
    for token in markup.tokenize(line):
        if token.kind == "text":
            color = next((c for name, c in reversed(stack) if name == "font" and c), None)
            style = _Style(
                italic=any(name == "i" for name, _ in stack),
                bold=any(name == "b" for name, _ in stack),
                underline=any(name == "u" for name, _ in stack),
                color=color,
            )
            chars.extend((char, style) for char in token.raw)
        elif token.kind == "open" and token.name in markup.CANONICAL:
            color = None
            if token.name == "font":
                raw = markup.font_color(token.raw)
                color = normalize_color(raw)
                if raw and color is None:
                    warn(f"colour {raw!r} is not understood; written without it")
            stack.append((token.name, color))
        elif token.kind == "close" and token.name in markup.CANONICAL:
            for position in range(len(stack) - 1, -1, -1):
                if stack[position][0] == token.name:
                    del stack[position]
                    break
    return chars


def _xml_safe(text: str) -> str:
    return "".join(
        char for char in text
        if char in "\t\n\r" or (" " <= char <= "\ud7ff") or ("\ue000" <= char <= "\ufffd")
        or char >= "\U00010000"
    )


def _span_attrs(style: _Style) -> str:
    attrs = []
    if style.italic:
        attrs.append('tts:fontStyle="italic"')
    if style.bold:
        attrs.append('tts:fontWeight="bold"')
    if style.underline:
        attrs.append('tts:textDecoration="underline"')
    if style.color:
        attrs.append(f'tts:color="{style.color}"')
    return " ".join(attrs)


def _line_xml(chars: list[_Char]) -> str:
    parts: list[str] = []
    index = 0
    while index < len(chars):
        style = chars[index][1]
        end = index
        while end < len(chars) and chars[end][1] == style:
            end += 1
        text = escape("".join(char for char, _ in chars[index:end]))
        parts.append(f"<span {_span_attrs(style)}>{text}</span>" if style != _PLAIN else text)
        index = end
    return "".join(parts)


@dataclass(frozen=True)
class FrameRate:
    """A TTML frame rate: integer ``ttp:frameRate`` and optional multiplier."""

    base: int
    multiplier: Fraction | None

    @property
    def fps(self) -> Fraction:
        return self.base * (self.multiplier or Fraction(1))

    @staticmethod
    def of(fps: float) -> FrameRate:
        for base in (24, 30, 48, 60, 120):
            if abs(fps - base * 1000 / 1001) < 0.005:
                return FrameRate(base, Fraction(1000, 1001))
        if abs(fps - round(fps)) < 0.001:
            return FrameRate(round(fps), None)
        exact = Fraction(fps).limit_denominator(1001)
        base = max(1, math.ceil(exact))
        return FrameRate(base, exact / base)


def clock_time(ms: int) -> str:
    hours, rest = divmod(max(ms, 0), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def frame_position(ms: int, rate: FrameRate) -> tuple[int, int]:
    """Whole seconds and frames of ``ms`` in the media time base (frames of 1/fps s)."""
    seconds, millis = divmod(max(ms, 0), 1000)
    frames = math.floor(Fraction(millis, 1000) * rate.fps + Fraction(1, 2))
    if frames >= rate.fps:
        seconds, frames = seconds + 1, 0
    return seconds, frames


def next_frame(position: tuple[int, int], rate: FrameRate) -> tuple[int, int]:
    seconds, frames = position
    return (seconds + 1, 0) if frames + 1 >= rate.fps else (seconds, frames + 1)


def frame_time(position: tuple[int, int]) -> str:
    """``HH:MM:SS:FF`` for a (seconds, frames) position."""
    seconds, frames = position
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}:{frames:02d}"


class TtmlFormat(SubtitleFormat):
    """TTML 1/2, IMSC 1.x and legacy DFXP, read with ttconv; IMSC 1.1 Text written.

    Reads italic/bold/underline/colour wherever they are specified (span, p, div,
    referenced or nested styles, regions, initial values), line breaks, top/bottom
    region placement (as ``align``) and speakers (``ttm:agent``). Files with a DOCTYPE are
    refused (entity expansion / external entities). Writes ``xml:lang``, ``xml:id`` on
    every ``p``, a top and a bottom region, clock times or, with ``frame_times`` and a
    frame rate, ``HH:MM:SS:FF`` times with ``ttp:frameRate``/``ttp:frameRateMultiplier``.
    """

    name = "ttml"
    extensions = (".ttml", ".dfxp", ".xml")
    description = "TTML / IMSC / DFXP timed text (XML)"

    @classmethod
    def sniff(cls, head: str) -> bool:
        head = head.lstrip("\ufeff")
        match = _ROOT_TAG.search(head)
        if match is None or _PROLOG_NOISE.sub("", head[: match.start()]):
            return False
        prefix = match.group(1)
        declaration = re.compile(
            r"xmlns" + (":" + re.escape(prefix) if prefix else "") + r"\s*=\s*[\"']([^\"']+)"
        )
        found = declaration.search(head, match.start())
        return found is not None and found.group(1).strip() in _ROOT_NAMESPACES

    def read(self, text: str, ctx: ReadContext) -> Track:
        root = parse_xml(text, ctx.path)
        if _map_dfxp_namespaces(root):
            logger.debug("%s: legacy DFXP namespaces mapped to TTML", ctx.path)
        if root.tag != f"{{{NS_TTML}}}tt":
            raise ParseError(
                f"the root element is {root.tag!r}, not a TTML <tt> element in the "
                f"{NS_TTML} namespace; this is not a TTML/DFXP file",
                path=ctx.path,
            )
        paragraphs = _tag_paragraphs(root)
        fps = _frame_rate_attr(root)
        with ttconv_messages() as messages:
            try:
                _fix_implicit_ends(root)
                doc = imsc_reader.to_model(ET.ElementTree(root))
            except Exception as exc:  # ttconv raises bare ValueError/TypeError/...
                raise ParseError(
                    f"ttconv cannot read this TTML document: {exc or type(exc).__name__}",
                    path=ctx.path,
                ) from exc
        for message in dict.fromkeys(messages):
            ctx.warn(f"ttconv: {message}")
        if doc is None:
            raise ParseError("ttconv rejected the TTML document", path=ctx.path)
        track = document_to_track(
            doc, fmt=self.name, ctx=ctx, fps=fps, paragraphs=paragraphs
        )
        return track

    def write(self, track: Track, ctx: WriteContext) -> str:
        language = (ctx.language or track.language or "und").strip() or "und"
        fps = ctx.fps or track.fps
        rate: FrameRate | None = None
        if ctx.frame_times:
            if fps:
                rate = FrameRate.of(fps)
            else:
                ctx.warn("frame times need a frame rate (--fps); clock times written instead")

        speakers: dict[str, str] = {}
        for cue in track.cues:
            if cue.speaker and cue.speaker not in speakers:
                speakers[cue.speaker] = f"agent{len(speakers) + 1}"

        def times(cue: Cue) -> tuple[str, str]:
            if rate is None:
                return clock_time(cue.start_ms), clock_time(cue.end_ms)
            begin, end = frame_position(cue.start_ms, rate), frame_position(cue.end_ms, rate)
            if end <= begin and cue.end_ms > cue.start_ms:
                end = next_frame(begin, rate)
                ctx.warn("cue is shorter than one frame; written one frame long", cue=cue.id)
            return frame_time(begin), frame_time(end)

        tt_attrs = [
            f'xmlns="{NS_TTML}"',
            f'xmlns:ttp="{NS_TTP}"',
            f'xmlns:tts="{NS_TTS}"',
        ]
        if speakers:
            tt_attrs.append(f'xmlns:ttm="{NS_TTM}"')
        tt_attrs += [
            f"xml:lang={quoteattr(_xml_safe(language))}",
            'ttp:timeBase="media"',
            f'ttp:contentProfiles="{IMSC11_TEXT}"',
        ]
        if rate is not None:
            tt_attrs.append(f'ttp:frameRate="{rate.base}"')
            if rate.multiplier is not None:
                tt_attrs.append(
                    f'ttp:frameRateMultiplier="{rate.multiplier.numerator} '
                    f'{rate.multiplier.denominator}"'
                )

        out = io.StringIO()
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(f"<tt {' '.join(tt_attrs)}>\n")
        out.write("  <head>\n")
        if speakers:
            out.write("    <metadata>\n")
            for name, agent_id in speakers.items():
                out.write(
                    f'      <ttm:agent xml:id="{agent_id}" type="character">'
                    f'<ttm:name type="full">{escape(_xml_safe(name))}</ttm:name></ttm:agent>\n'
                )
            out.write("    </metadata>\n")
        out.write(
            "    <styling>\n"
            '      <style xml:id="s_default" tts:fontFamily="proportionalSansSerif"'
            ' tts:textAlign="center" tts:color="#ffffff"/>\n'
            "    </styling>\n"
            "    <layout>\n"
            '      <region xml:id="bottom" tts:origin="10% 50%" tts:extent="80% 40%"'
            ' tts:displayAlign="after"/>\n'
            '      <region xml:id="top" tts:origin="10% 10%" tts:extent="80% 40%"'
            ' tts:displayAlign="before"/>\n'
            "    </layout>\n"
            "  </head>\n"
            '  <body style="s_default">\n'
            "    <div>\n"
        )

        used_ids: set[str] = set()
        for cue in track.cues:

            def warn(message: str, cue_id: int = cue.id) -> None:
                ctx.warn(message, cue=cue_id)

            p_id = f"sub{cue.id}"
            suffix = 1
            while p_id in used_ids:
                suffix += 1
                p_id = f"sub{cue.id}-{suffix}"
            used_ids.add(p_id)

            foreign = [t.raw for t in markup.tokenize(cue.text)
                       if t.kind == "other" or (t.is_tag and t.name not in markup.CANONICAL)]
            if foreign:
                warn(f"TTML cannot carry the tags {', '.join(dict.fromkeys(foreign))};"
                     " written without them")

            lines: list[list[_Char]] = []
            for line in cue.lines:
                chars = markup_runs(line, warn)
                cleaned = _xml_safe("".join(char for char, _ in chars))
                if len(cleaned) != len(chars):
                    warn("characters not allowed in XML were removed")
                    chars = [(char, style) for char, style in chars if _xml_safe(char)]
                chars = _normalize(chars)
                if chars:
                    lines.append(chars)
            if not lines:
                warn("cue has no text; a TTML reader will skip it")
            if cue.end_ms <= cue.start_ms:
                warn("cue ends before it starts; a TTML reader will skip it")

            align = cue.align
            region = "top" if align in (7, 8, 9) else "bottom"
            if align in (4, 5, 6):
                warn(f"TTML output has top and bottom regions only; align {align} written"
                     " at the bottom")
            begin, end = times(cue)
            attrs = [
                f'xml:id="{p_id}"',
                f'begin="{begin}"',
                f'end="{end}"',
                f'region="{region}"',
            ]
            if align in (1, 4, 7):
                attrs.append('tts:textAlign="left"')
            elif align in (3, 6, 9):
                attrs.append('tts:textAlign="right"')
            if cue.speaker:
                attrs.append(f'ttm:agent="{speakers[cue.speaker]}"')
            content = "<br/>".join(_line_xml(chars) for chars in lines)
            out.write(f"      <p {' '.join(attrs)}>{content}</p>\n")

        out.write("    </div>\n  </body>\n</tt>\n")
        return out.getvalue()


__all__ = [
    "FrameRate",
    "TtmlFormat",
    "document_to_track",
    "parse_xml",
    "render_markup",
    "ttconv_messages",
]

"""ttconv's content model to a Track and canonical markup to styled characters: shared by
the formats read through ttconv (TTML, EBU STL, SCC) and by the TTML and SCC writers.

ttconv's model keeps, per element, the styles specified on it (attributes and referenced
``<style>`` elements flattened) and times relative to the parent's begin.
:func:`document_to_track` adds the parent offsets up, and resolves the inherited styles
(italic, bold, underline, colour) through the ancestors, the region and the document's
initial values. :func:`ttconv_messages` turns what ttconv logs into warnings, and
:func:`read_model` runs a ttconv reader with it.
"""

from __future__ import annotations

import itertools
import logging
import threading
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TypeVar

from ttconv import model
from ttconv.style_properties import (
    ColorType,
    DisplayAlignType,
    FontStyleType,
    FontWeightType,
    LengthType,
    StyleProperties,
    TextAlignType,
)

from subloc import markup
from subloc.errors import ParseError
from subloc.formats._colors import rgb_hex
from subloc.formats._timing import seconds_to_ms
from subloc.formats.base import ReadContext
from subloc.track import Cue, Track

_T = TypeVar("_T")
_TOP_LIMIT_PCT = 50.0
_WHITE = (255, 255, 255)


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


def read_model(read: Callable[[], _T], what: str, ctx: ReadContext) -> _T:
    """Run a ttconv reader (``read``): what it logs becomes warnings (``ttconv: …``), what
    it raises a :class:`~subloc.errors.ParseError` saying ttconv cannot read this ``what``."""
    with ttconv_messages() as messages:
        try:
            result = read()
        except Exception as exc:  # ttconv raises bare ValueError/TypeError/struct.error/...
            raise ParseError(
                f"ttconv cannot read this {what}: {exc or type(exc).__name__}", path=ctx.path
            ) from exc
    for message in dict.fromkeys(messages):
        ctx.warn(f"ttconv: {message}")
    return result


# --------------------------------------------------------------------------------------
# ttconv content model -> Track


@dataclass(frozen=True)
class Style:
    """The canonical formatting of one character."""

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
    return rgb_hex(red, green, blue)


def _style_of(
    element: model.ContentElement, region: model.Region | None, doc: model.ContentDocument | None
) -> Style:
    font_style = _inherited(element, StyleProperties.FontStyle, region, doc)
    weight = _inherited(element, StyleProperties.FontWeight, region, doc)
    return Style(
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


#: One character and its formatting.
Char = tuple[str, Style]


def _collect_lines(
    p: model.P, region: model.Region | None, doc: model.ContentDocument
) -> list[list[Char]]:
    lines: list[list[Char]] = [[]]

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


def normalize_chars(chars: list[Char]) -> list[Char]:
    """Collapse whitespace runs to one space, trim the line, and give each space the
    style its two neighbours share (so tags close before a space, not after it)."""
    out: list[Char] = []
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
            out[index] = (" ", Style(
                italic=before.italic and after.italic,
                bold=before.bold and after.bold,
                underline=before.underline and after.underline,
                color=before.color if before.color == after.color else None,
            ))
    return out


def style_runs(chars: list[Char]) -> Iterator[tuple[Style, str]]:
    """The runs of consecutive characters that share a style, as (style, text)."""
    for style, run in itertools.groupby(chars, key=lambda styled: styled[1]):
        yield style, "".join(char for char, _ in run)


def render_markup(chars: list[Char]) -> str:
    """Canonical markup for styled characters, with a minimal, well-nested set of tags."""
    parts: list[str] = []
    stack: list[str] = []

    def close(key: str) -> str:
        return "</font>" if key.startswith("font:") else f"</{key}>"

    def open_(key: str) -> str:
        if key.startswith("font:"):
            return f'<font color="{key[5:]}">'
        return f"<{key}>"

    for style, text in style_runs(chars):
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
        parts.append(text)
    while stack:
        parts.append(close(stack.pop()))
    return "".join(parts)


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
    ``xml:id`` and speaker (the TTML reader's ``_tag_paragraphs``). With
    ``horizontal=False`` ``tts:textAlign`` is ignored (SCC: ttconv's reader sets it to
    ``start`` everywhere).
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
        lines = [normalize_chars(chars) for chars in _collect_lines(p, region, doc)]
        rendered = [render_markup(chars) for chars in lines if chars]
        if not rendered:
            continue
        start_ms = seconds_to_ms(begin)
        if end is None:
            later = [b for b, _e, _p in found[index + 1:] if b > begin]
            end_ms = seconds_to_ms(min(later)) if later else start_ms + 5000
            ctx.warn(
                f"subtitle at {start_ms} ms has no end time; it ends at {end_ms} ms",
                cue=len(cues) + 1,
            )
        else:
            end_ms = seconds_to_ms(end)
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
# canonical markup -> styled characters (the TTML and SCC writers)


def markup_runs(line: str, warn: Callable[[str], None]) -> list[Char]:
    """Styled characters of a canonical-markup line; foreign tags are dropped."""
    stack: list[tuple[str, str | None]] = []
    chars: list[Char] = []
    for token in markup.tokenize(line):
        if token.kind == "text":
            color = next((c for name, c in reversed(stack) if name == "font" and c), None)
            style = Style(
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
                color = markup.normalize_color(raw)
                if raw and color is None:
                    warn(f"colour {raw!r} is not understood; written without it")
            stack.append((token.name, color))
        elif token.kind == "close" and token.name in markup.CANONICAL:
            for position in range(len(stack) - 1, -1, -1):
                if stack[position][0] == token.name:
                    del stack[position]
                    break
    return chars

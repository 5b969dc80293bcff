"""ttconv's content model to a Track and canonical markup to styled characters: shared by
the formats read through ttconv (TTML, EBU STL, SCC) and by the TTML and SCC writers.

ttconv's model keeps, per element, the styles specified on it (attributes and referenced
``<style>`` elements flattened), ``<set>`` animation steps, and times relative to the
parent's begin. :func:`document_to_track` turns it into cues with the rules of
``ttconv.isd`` (what is shown when: timing containers, span timing, ``tts:display``,
``tts:visibility``, regions, ruby), paragraph by paragraph so that it stays linear in the
size of the document (``ttconv.isd`` itself rebuilds the whole document at every moment
something changes). :func:`ttconv_messages` turns what ttconv logs into warnings, and
:func:`read_model` runs a ttconv reader with it.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NamedTuple, TypeVar

from ttconv import model
from ttconv.style_properties import (
    ColorType,
    DisplayAlignType,
    DisplayType,
    FontStyleType,
    FontWeightType,
    LengthType,
    StyleProperties,
    TextAlignType,
    TextDecorationType,
    VisibilityType,
)

from subloc import markup
from subloc.errors import ParseError
from subloc.formats._colors import rgb_hex
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


class Style(NamedTuple):
    """The canonical formatting of one character (a tuple: compared and hashed at C
    speed, once per run of every line read)."""

    italic: bool = False
    bold: bool = False
    underline: bool = False
    color: str | None = None

    def tags(self) -> tuple[str, ...]:
        """The canonical tags for this style, in canonical order (``font:#rrggbb``)."""
        keys = [name for name, on in (("i", self.italic), ("b", self.bold),
                                      ("u", self.underline)) if on]
        if self.color:
            keys.append("font:" + self.color)
        return tuple(keys)

    def common(self, other: Style) -> Style:
        """The formatting this style shares with ``other``."""
        if other == self:
            return self
        return Style(
            italic=self.italic and other.italic,
            bold=self.bold and other.bold,
            underline=self.underline and other.underline,
            color=self.color if self.color == other.color else None,
        )


#: One character and its formatting.
Char = tuple[str, Style]
#: A run of text and its formatting, or (``style`` ``None``) canonical markup kept as is.
Item = tuple[str, Style | None]

#: The canonical-markup escape for text that would read as a tag: a WORD JOINER (U+2060,
#: invisible, zero width) after the ``<`` or ``{`` that starts it. subloc's canonical
#: markup has no escape of its own, so ``&lt;LAUGHING&gt;`` read from TTML would
#: otherwise become a (foreign) tag that every writer drops.
LITERAL_MARK = "\u2060"


def protect_literal(text: str) -> str:
    """``text`` (plain text, not markup) with every part that would read as a tag escaped
    with :data:`LITERAL_MARK`, so it stays text in canonical markup."""
    if "<" not in text and "{" not in text:
        return text
    return "".join(
        token.raw if token.kind == "text" else token.raw[0] + LITERAL_MARK + token.raw[1:]
        for token in markup.tokenize(text)
    )


def unprotect_literal(text: str) -> str:
    """Undo :func:`protect_literal` (for writers that escape ``<`` themselves)."""
    if LITERAL_MARK not in text:
        return text
    return text.replace("<" + LITERAL_MARK, "<").replace("{" + LITERAL_MARK, "{")


def _hex_color(value: ColorType | None) -> str | None:
    if value is None:
        return None
    red, green, blue, alpha = (*value.components, 255)[:4]
    if alpha == 0 or (red, green, blue) == _WHITE:
        return None
    return rgb_hex(red, green, blue)


def _absolute(
    element: model.ContentElement, parent_begin: Fraction, parent_end: Fraction | None
) -> tuple[Fraction, Fraction | None]:
    """Begin and end of ``element`` on the document timeline, as ``ttconv.isd`` computes
    them: ttconv stores times relative to the parent's begin, and the parent's end clips
    the child's."""
    offset = element.get_begin()
    begin = parent_begin if offset is None else parent_begin + offset if parent_begin else offset
    raw_end = element.get_end()
    if raw_end is None:
        return begin, parent_end
    end = parent_begin + raw_end if parent_begin else raw_end
    if parent_end is not None and parent_end < end:
        end = parent_end
    return begin, end


def _ms(seconds: Fraction) -> int:
    """Whole milliseconds of an exact time in seconds, halves up (``seconds_to_ms``,
    in integer arithmetic: it runs for every cue)."""
    numerator, denominator = seconds.numerator, seconds.denominator
    return (numerator * 2000 + denominator) // (2 * denominator)


def _length_pct(length: LengthType | None, axis_px: int) -> float | None:
    if length is None:
        return None
    if length.units in (LengthType.Units.pct, LengthType.Units.rh, LengthType.Units.rw):
        return float(length.value)
    if length.units is LengthType.Units.px and axis_px:
        return 100.0 * float(length.value) / axis_px
    return None


def vertical_anchor(region: model.Region | None, doc: model.ContentDocument) -> float | None:
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


def _text_align(
    p: model.P, ancestors: tuple[model.ContentElement, ...], region: model.Region | None
) -> Any:
    for element in (p, *reversed(ancestors)):
        value = element.get_style(StyleProperties.TextAlign)
        if value is not None:
            return value
    return region.get_style(StyleProperties.TextAlign) if region is not None else None


def _numpad(
    p: model.P,
    ancestors: tuple[model.ContentElement, ...],
    region: model.Region | None,
    anchor: float | None,
    horizontal: bool,
) -> int | None:
    return numpad(_text_align(p, ancestors, region) if horizontal else None, anchor)


def numpad(text_align: Any, anchor: float | None) -> int | None:
    """The ``align`` of a paragraph whose ``tts:textAlign`` is ``text_align`` in a region
    whose text sits at ``anchor`` (:func:`vertical_anchor`); ``None``: bottom centre."""
    top = anchor is not None and anchor < _TOP_LIMIT_PCT
    column = 2
    if text_align is TextAlignType.start:
        column = 1
    elif text_align is TextAlignType.end:
        column = 3
    if not top and column == 2:
        return None
    return column + (6 if top else 0)


# --------------------------------------------------------------------------------------
# What is shown when (ttconv.isd's model, paragraph by paragraph)

_FONT_STYLE = StyleProperties.FontStyle
_FONT_WEIGHT = StyleProperties.FontWeight
_DECORATION = StyleProperties.TextDecoration
_COLOR = StyleProperties.Color
_VISIBILITY = StyleProperties.Visibility
_DISPLAY = StyleProperties.Display
#: The style properties that decide what text shows and how (:meth:`Shown.apply`).
SHOWN_PROPS = (_FONT_STYLE, _FONT_WEIGHT, _DECORATION, _COLOR, _VISIBILITY, _DISPLAY)
_ITALIC = (FontStyleType.italic, FontStyleType.oblique)
#: What collapses to one space: white space and C0 controls (which XML 1.0 cannot carry
#: but tab, LF and CR: writers replace them first). Not DEL, nor the C1 controls (U+0080 to
#: U+009F, NEL included): XML 1.0 allows them (as discouraged characters), so they are text.
_SPACE_RUN = re.compile(r"(?:[^\S\x85]|[\x00-\x1f])+")
_NEEDS_COLLAPSE = re.compile(r"[^\S \x85]|  |[\x00-\x1f]")

#: The inherited values the text needs: font style, weight, decoration, colour, visibility.
State = tuple[Any, Any, Any, Any, Any]


class Shown:
    """Computes what ``ttconv.isd`` shows of a paragraph at a given moment.

    The same rules as ``ISD.from_model``: an element is active on
    ``[begin, end)`` (its own times, relative to its parent's begin and clipped by its
    parent's end), ``<set>`` animation steps override specified styles while active,
    ``tts:display="none"`` removes an element and everything in it, inherited styles come
    from the parent (the region at the top) or the document's initial values, and when
    the document declares regions an element is shown only in the region it is
    associated with (its own ``region`` or its nearest ancestor's; text with none is not
    shown). Text whose ``tts:visibility`` is ``hidden`` takes no part in the subtitle.
    """

    def __init__(self, doc: model.ContentDocument) -> None:
        self.doc = doc
        self.has_regions = any(True for _ in doc.iter_regions())
        self.initial = {
            prop: self._initial(prop)
            for prop in (_FONT_STYLE, _FONT_WEIGHT, _DECORATION, _COLOR, _VISIBILITY, _DISPLAY)
        }
        self.displayed = self.initial[_DISPLAY] is not DisplayType.none
        self.top: State = (self.initial[_FONT_STYLE], self.initial[_FONT_WEIGHT],
                            self.initial[_DECORATION], self.initial[_COLOR],
                            self.initial[_VISIBILITY])
        self.styles: dict[State, Style | None] = {}
        self.timed = True
        self.intervals: dict[model.ContentElement, tuple[Fraction, Fraction | None]] = {}
        #: Per region: its interval, and its state when it has no animation.
        self.regions: dict[model.Region, tuple[Fraction, Fraction | None, State | None, bool]]
        self.regions = {}
        for region in doc.iter_regions():
            begin, end = _absolute(region, Fraction(0), None)
            self.intervals[region] = (begin, end)
            animated = _has_steps(region)
            state = None if animated else self.enter(region, self.top, begin)
            self.regions[region] = (begin, end, state, animated)

    def _initial(self, prop: Any) -> Any:
        value = self.doc.get_initial_value(prop)
        return value if value is not None else prop.make_initial_value()

    # -- time

    @staticmethod
    def animated(
        element: model.ContentElement, prop: Any, at: Fraction,
        begin: Fraction, end: Fraction | None,
    ) -> Any:
        """The value of ``prop`` on ``element`` at ``at``: the last active ``<set>`` step,
        else the specified value."""
        value = None
        for step in element.iter_animation_steps():
            if step.style_property is not prop:
                continue
            step_begin, step_end = _step_interval(step, begin, end)
            if step_begin > at or (step_end is not None and (step_end <= at or step_end <= begin)):
                continue
            value = step.value
        return value if value is not None else element.get_style(prop)

    @staticmethod
    def step_times(
        element: model.ContentElement, begin: Fraction, end: Fraction | None
    ) -> Iterator[Fraction]:
        for step in element.iter_animation_steps():
            step_begin, step_end = _step_interval(step, begin, end)
            yield step_begin
            if step_end is not None:
                yield step_end

    # -- styles

    def region_state(self, region: model.Region | None, at: Fraction) -> State | None:
        """The inherited values at the top of ``region`` (``None``: the default region) at
        ``at``, or ``None`` when the region is not shown then."""
        if region is None:  # the default region: initial values, display included
            return self.top if self.displayed else None
        begin, end, state, animated = self.regions[region]
        if begin > at or (end is not None and end <= at):
            return None
        return self.enter(region, self.top, at) if animated else state

    def enter(
        self, element: model.ContentElement, state: State, at: Fraction
    ) -> State | None:
        """``state`` inside ``element`` at ``at`` (its own and animated styles applied),
        or ``None`` when ``element`` is not displayed then."""
        if not _has_steps(element):
            if next(element.iter_styles(), None) is None:
                return state if self.displayed else None
            return self.apply([element.get_style(prop) for prop in SHOWN_PROPS], state)
        begin, end = self.intervals[element]
        return self.apply(
            [self.animated(element, prop, at, begin, end) for prop in SHOWN_PROPS], state)

    def apply(self, values: list[Any], state: State) -> State | None:
        """``state`` inside an element whose own values of :data:`SHOWN_PROPS` are ``values``
        (``None``: not specified), or ``None`` when it is not displayed."""
        font_style, weight, decoration, color, visibility, display = values
        if (display if display is not None else self.initial[_DISPLAY]) is DisplayType.none:
            return None
        if decoration is not None:
            inherited = state[2]
            decoration = TextDecorationType(
                underline=decoration.underline if decoration.underline is not None
                else inherited.underline,
                line_through=decoration.line_through if decoration.line_through is not None
                else inherited.line_through,
                overline=decoration.overline if decoration.overline is not None
                else inherited.overline,
            )
        return (
            state[0] if font_style is None else font_style,
            state[1] if weight is None else weight,
            state[2] if decoration is None else decoration,
            state[3] if color is None else color,
            state[4] if visibility is None else visibility,
        )

    def style(self, state: State) -> Style | None:
        """The canonical style of text in ``state``; ``None`` when it is hidden."""
        if state in self.styles:
            return self.styles[state]
        font_style, weight, decoration, color, visibility = state
        style = None if visibility is VisibilityType.hidden else Style(
            italic=font_style in _ITALIC,
            bold=weight is FontWeightType.bold,
            underline=bool(decoration is not None and decoration.underline),
            color=_hex_color(color),
        )
        self.styles[state] = style
        return style

    # -- content

    def lines(
        self,
        p: model.P,
        ancestors: tuple[model.ContentElement, ...],
        region: model.Region | None,
        at: Fraction,
        timed: bool = True,
    ) -> list[list[Item]]:
        """The lines of ``p`` shown in ``region`` at ``at`` (not normalized). ``timed``:
        whether any element in ``p`` has times or animations of its own."""
        self.timed = timed
        state = self.region_state(region, at)
        if state is None:
            return []
        assoc: model.Region | None = None
        for element in (*ancestors, p):
            own = element.get_region()
            assoc = own if own is not None else assoc
            if self.has_regions and assoc is not None and assoc is not region:
                return []
            state = self.enter(element, state, at)
            if state is None:
                return []
        lines: list[list[Item]] = [[]]
        for child in p:
            self.walk(child, state, assoc, region, at, lines)
        return lines

    def _visible(
        self, element: model.ContentElement, assoc: model.Region | None,
        region: model.Region | None, at: Fraction,
    ) -> tuple[bool, model.Region | None]:
        if self.timed:
            interval = self.intervals.get(element)
            if interval is None:
                return False, assoc  # never active (empty interval)
            begin, end = interval
            if begin > at or (end is not None and end <= at):
                return False, assoc
        if self.has_regions:
            own = element.get_region()
            if own is not None:
                assoc = own
            if assoc is not region and (assoc is not None or not element.has_children()):
                return False, assoc
        return True, assoc

    def walk(
        self,
        element: model.ContentElement,
        state: State,
        assoc: model.Region | None,
        region: model.Region | None,
        at: Fraction,
        lines: list[list[Item]],
    ) -> None:
        if isinstance(element, model.Text):
            if self.has_regions and assoc is not region:
                return
            style = self.style(state)
            if style is None:
                return
            text = element.get_text()
            parent = element.parent()
            if parent is not None and parent.get_space() is model.WhiteSpaceHandling.PRESERVE:
                for index, part in enumerate(text.split("\n")):
                    if index:
                        lines.append([])
                    if part:
                        lines[-1].append((part, style))
            elif text:
                lines[-1].append((text, style))
            return
        if isinstance(element, model.Br):
            if not self.has_regions or assoc is region:
                lines.append([])
            return
        shown, assoc = self._visible(element, assoc, region, at)
        if not shown:
            return
        inner = self.enter(element, state, at)
        if inner is None:
            return
        if isinstance(element, model.Span):
            for child in element:
                self.walk(child, inner, assoc, region, at, lines)
        elif isinstance(element, model.Ruby):
            self.ruby(element, inner, assoc, region, at, lines[-1])
        elif not isinstance(element, model.Rp):  # ruby delimiters: shown without ruby only
            for child in element:
                self.walk(child, inner, assoc, region, at, lines)

    def inline(
        self,
        element: model.ContentElement,
        state: State,
        assoc: model.Region | None,
        region: model.Region | None,
        at: Fraction,
    ) -> list[Item]:
        """The text of a ruby part, on one line."""
        parts: list[list[Item]] = [[]]
        self.walk(element, state, assoc, region, at, parts)
        return [item for part in parts for item in part]

    def ruby(
        self,
        ruby: model.Ruby,
        state: State,
        assoc: model.Region | None,
        region: model.Region | None,
        at: Fraction,
        line: list[Item],
    ) -> None:
        """A ruby container as canonical ``<ruby>base<rt>annotation</rt></ruby>`` (the
        WebVTT/HTML form; a base container's bases are paired with each text
        container's annotations in order)."""
        bases: list[list[Item]] = []
        annotations: list[list[list[Item]]] = []  # per text container, per base
        for child in ruby:
            if isinstance(child, model.Rb):
                bases.append(self.inline(child, state, assoc, region, at))
            elif isinstance(child, model.Rt):
                annotations.append([self.inline(child, state, assoc, region, at)])
            elif isinstance(child, (model.Rbc, model.Rtc)):
                shown, inner_assoc = self._visible(child, assoc, region, at)
                inner = self.enter(child, state, at) if shown else None
                parts = [] if inner is None else [
                    self.inline(part, inner, inner_assoc, region, at) for part in child
                ]
                if isinstance(child, model.Rbc):
                    bases.extend(parts)
                else:
                    annotations.append(parts)
        if not bases:
            bases = [[]]
        out: list[Item] = [("<ruby>", None)]
        content = False
        for index, base in enumerate(bases):
            out.extend(base)
            content = content or any(text.strip() for text, _style in base)
            last = index == len(bases) - 1
            for container in annotations:
                for text in container[index:] if last else container[index:index + 1]:
                    rendered = render_line(normalize_items(text))
                    if rendered:
                        out.append((f"<rt>{rendered}</rt>", None))
                        content = True
        out.append(("</ruby>", None))
        if content:
            line.extend(out)


def _has_steps(element: model.ContentElement) -> bool:
    return next(element.iter_animation_steps(), None) is not None


def _step_interval(
    step: model.DiscreteAnimationStep, begin: Fraction, end: Fraction | None
) -> tuple[Fraction, Fraction | None]:
    step_begin = begin + (step.begin if step.begin is not None else 0)
    step_end = begin + step.end if step.end is not None else end
    if step_end is not None and end is not None:
        step_end = min(step_end, end)
    return step_begin, step_end


def normalize_items(items: list[Item], *, trim: bool = True) -> list[Item]:
    """Whitespace runs collapsed to one space, the line trimmed, each space given the
    style its two neighbours share (so tags close before a space, not after it), and
    runs of one style joined: :func:`normalize_chars` run by run. Markup items (style
    ``None``) are kept where they are and do not count as neighbours; one that shows text
    (a ruby annotation) separates the spaces on either side of it like text does. With
    ``trim=False`` (a piece of a line: a ruby base) the ends keep their space."""
    out: list[Item] = []
    after_space = trim  # at the start of the line, a space is dropped
    for text, style in items:
        if style is None:
            out.append((text, None))
            if _shows_text(text):
                after_space = False
            continue
        if _NEEDS_COLLAPSE.search(text):
            text = _SPACE_RUN.sub(" ", text)
        if after_space and text[:1] == " ":
            text = text[1:]
        if text:
            out.append((text, style))
            after_space = text[-1] == " "
    for index in range(len(out) - 1 if trim else -1, -1, -1):
        text, style = out[index]
        if style is None:
            if _shows_text(text):
                break
            continue
        if text[-1] != " ":
            break
        if len(text) > 1:
            out[index] = (text[:-1], style)
            break
        del out[index]
    if len(out) < 2:
        return out
    first = out[0][1]
    if first is not None and all(style is first for _text, style in out):
        return [("".join(text for text, _style in out), first)]
    following: list[Style | None] = [None] * len(out)  # the next text item's style
    upcoming: Style | None = None
    for index in range(len(out) - 1, -1, -1):
        following[index] = upcoming
        if out[index][1] is not None:
            upcoming = out[index][1]
    merged: list[Item] = []
    before: Style | None = None  # the previous text item's style
    for index, (text, style) in enumerate(out):
        if style is None:
            merged.append((text, None))
            continue
        after = following[index]
        if text == " ":  # between text, or beside markup that shows text
            if before is not None and after is not None:
                pieces: list[tuple[str, Style]] = [(" ", before.common(after))]
            else:
                pieces = [(" ", before if before is not None else after or style)]
        else:
            pieces = [(text, style)]
            if text[0] == " " and before is not None and before is not style and before != style:
                pieces = [(" ", before.common(style)), (text[1:], style)]
            if text[-1] == " " and after is not None and after is not style and after != style:
                last, _style = pieces.pop()
                pieces += [(last[:-1], style), (" ", style.common(after))]
        before = style
        for piece_text, piece_style in pieces:
            previous = merged[-1][1] if merged else None
            if previous is piece_style or (previous is not None and previous == piece_style):
                merged[-1] = (merged[-1][0] + piece_text, piece_style)
            else:
                merged.append((piece_text, piece_style))
    return merged


_TAG_KEYS: dict[Style, tuple[tuple[str, str, str], ...]] = {}


def _tag_keys(style: Style) -> tuple[tuple[str, str, str], ...]:
    """(key, opening tag, closing tag) for each canonical tag of ``style``."""
    found = _TAG_KEYS.get(style)
    if found is None:
        if len(_TAG_KEYS) > 4096:  # one entry per combination of styles and colour
            _TAG_KEYS.clear()
        found = tuple(
            (key, f'<font color="{key[5:]}">', "</font>") if key.startswith("font:")
            else (key, f"<{key}>", f"</{key}>")
            for key in style.tags()
        )
        _TAG_KEYS[style] = found
    return found


def render_line(items: list[Item]) -> str:
    """Canonical markup for a normalized line, with a minimal, well-nested set of tags;
    markup items are written as they are (every formatting tag closed around them), and
    text that would read as a tag is escaped (:func:`protect_literal`)."""
    if len(items) == 1 and items[0][1] is not None and not _tag_keys(items[0][1]):
        return protect_literal(items[0][0])
    parts: list[str] = []
    stack: list[tuple[str, str, str]] = []
    for text, style in items:
        if style is None:
            while stack:
                parts.append(stack.pop()[2])
            parts.append(text)
            continue
        wanted = _tag_keys(style)
        names = [key for key, _open, _close in wanted]
        keep = 0
        while keep < len(stack) and stack[keep][0] in names:
            keep += 1
        while len(stack) > keep:
            parts.append(stack.pop()[2])
        opened = {key for key, _open, _close in stack}
        for tag in wanted:
            if tag[0] not in opened:
                stack.append(tag)
                parts.append(tag[1])
        parts.append(protect_literal(text))
    while stack:
        parts.append(stack.pop()[2])
    return "".join(parts)


def _shows_text(markup_item: str) -> bool:
    """Whether a markup item (a ruby annotation, or TTML ruby) shows text."""
    return bool(markup.strip_tags(markup_item).strip())


def normalize_chars(chars: list[Char]) -> list[Char]:
    """Collapse whitespace runs (and C0 controls, as :func:`normalize_items`) to one
    space, trim the line, and give each space the style its two neighbours share (so tags
    close before a space, not after it)."""
    out: list[Char] = []
    for char, style in chars:
        if (char.isspace() and char != "\x85") or char < " ":
            if out and out[-1][0] != " ":
                out.append((" ", style))
            continue
        out.append((char, style))
    while out and out[-1][0] == " ":
        out.pop()
    for index, (char, _style) in enumerate(out):
        if char == " ":
            out[index] = (" ", out[index - 1][1].common(out[index + 1][1]))
    return out


def style_runs(chars: list[Char]) -> Iterator[tuple[Style, str]]:
    """The runs of consecutive characters that share a style, as (style, text)."""
    for style, run in itertools.groupby(chars, key=lambda styled: styled[1]):
        yield style, "".join(char for char, _ in run)


def render_markup(chars: list[Char]) -> str:
    """Canonical markup for styled characters, with a minimal, well-nested set of tags."""
    return render_line([(text, style) for style, text in style_runs(chars)])


@dataclass
class _Paragraph:
    p: model.P
    ancestors: tuple[model.ContentElement, ...]
    begin: Fraction
    end: Fraction | None
    #: Whether what it shows may change while it is active (timed or animated elements
    #: in it, or animated ancestors).
    dynamic: bool


@dataclass
class Shot:
    """What one paragraph shows in one region over ``[begin, end)``: a cue to be."""

    begin: Fraction
    end: Fraction | None
    lines: list[str]
    align: int | None
    #: The paragraph (a key of ``paragraphs`` in :func:`shots_to_cues`).
    source: object
    order: int


def _paragraphs(shown: Shown, body: model.ContentElement) -> list[_Paragraph]:
    """The ``p`` elements that are ever active, with their ancestors and interval; fills
    ``shown.intervals`` for every element in them that is ever active."""
    found: list[_Paragraph] = []
    intervals = shown.intervals
    Pending = tuple[model.ContentElement, tuple[model.ContentElement, ...], Fraction,
                    Fraction | None, bool]
    stack: list[Pending] = [(body, (), Fraction(0), None, False)]
    while stack:
        element, ancestors, parent_begin, parent_end, animated = stack.pop()
        begin, end = _absolute(element, parent_begin, parent_end)
        if end is not None and end <= begin:
            continue
        intervals[element] = (begin, end)
        animated = animated or _has_steps(element)
        if not isinstance(element, model.P):
            inside = (*ancestors, element)
            stack.extend((child, inside, begin, end, animated)
                         for child in reversed(list(element)))
            continue
        dynamic = animated
        inner: list[tuple[model.ContentElement, Fraction, Fraction | None]] = [
            (child, begin, end) for child in element
        ]
        while inner:
            child, child_parent_begin, child_parent_end = inner.pop()
            if isinstance(child, (model.Text, model.Br)):
                continue
            if child.get_begin() is None and child.get_end() is None:
                child_begin, child_end = child_parent_begin, child_parent_end
            else:
                dynamic = True
                child_begin, child_end = _absolute(child, child_parent_begin, child_parent_end)
                if child_end is not None and child_end <= child_begin:
                    continue
            dynamic = dynamic or _has_steps(child)
            intervals[child] = (child_begin, child_end)
            inner.extend((grandchild, child_begin, child_end) for grandchild in child)
        found.append(_Paragraph(element, ancestors, begin, end, dynamic))
    return found


def _candidate_regions(
    shown: Shown, para: _Paragraph, regions: list[model.Region]
) -> tuple[list[model.Region | None], str | None]:
    """The regions ``para`` may be shown in, or none and why."""
    if not shown.has_regions:
        return [None], None
    own = [e.get_region() for e in (*para.ancestors, para.p) if e.get_region() is not None]
    if own:
        if all(region is own[-1] for region in own):
            return [own[-1]], None
        names = dict.fromkeys(region.get_id() for region in own)
        return [], (f"it is in region {own[-1].get_id()!r} inside an element in region"
                    f" {next(n for n in names if n != own[-1].get_id())!r}")
    used = {
        id(element.get_region())
        for element in para.p.dfs_iterator()
        if not isinstance(element, (model.Text, model.Br)) and element.get_region() is not None
    }
    if not used:
        return [], "it is in no region, and the document declares regions"
    return [region for region in regions if id(region) in used], None


def _excerpt(p: model.P) -> str:
    return excerpt("".join(
        element.get_text() if isinstance(element, model.Text) else " "
        for element in p.dfs_iterator() if isinstance(element, (model.Text, model.Br))
    ))


def excerpt(text: str) -> str:
    """The start of a paragraph's text, for a warning."""
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


def _change_times(shown: Shown, para: _Paragraph, region: model.Region | None) -> list[Fraction]:
    """The moments within ``para``'s interval at which what it shows may change."""
    begin, end = para.begin, para.end
    times = {begin}
    if region is not None:
        region_begin, region_end, _state, animated = shown.regions[region]
        if region_begin > begin:
            times.add(region_begin)
        if region_end is not None and region_end > begin:
            times.add(region_end)
        if animated:
            times.update(shown.step_times(region, region_begin, region_end))
    if para.dynamic:
        for element in (*para.ancestors, para.p):
            if _has_steps(element):
                times.update(shown.step_times(element, *shown.intervals[element]))
        for element in para.p.dfs_iterator():
            interval = shown.intervals.get(element)
            if interval is None or element is para.p:
                continue
            times.add(interval[0])
            if interval[1] is not None:
                times.add(interval[1])
            if _has_steps(element):
                times.update(shown.step_times(element, *interval))
    if len(times) == 1 or (len(times) == 2 and end in times):
        return [begin]
    return sorted(t for t in times if t >= begin and (end is None or t < end))


def render_lines(lines: list[list[Item]]) -> list[str]:
    """Canonical markup of each line with any text, normalized."""
    rendered = []
    for line in lines:
        items = normalize_items(line)  # no text left: no item left (ruby has text)
        if items:
            rendered.append(render_line(items))
    return rendered


def document_to_track(
    doc: model.ContentDocument,
    *,
    fmt: str,
    ctx: ReadContext,
    fps: float | None = None,
    paragraphs: Mapping[model.ContentElement, tuple[str | None, str | None]] | None = None,
    horizontal: bool = True,
) -> Track:
    """Convert a ttconv ``ContentDocument`` to a Track: what ``ttconv.isd`` shows, as cues.

    Each ``p`` gives one cue per region it is shown in, on the document timeline; when
    what it shows changes while it is active (spans with their own times, ``<set>``
    animations of ``tts:display``/``tts:visibility``, a region that comes and goes), one
    cue per stretch of time with the same text. Text that is not shown
    (``tts:display="none"``, ``tts:visibility="hidden"``, outside its region's or its
    elements' times) is left out. Lines split at ``br``; inherited
    italic/bold/underline/colour become canonical tags; ruby becomes
    ``<ruby>base<rt>annotation</rt></ruby>``; text that would read as a tag is escaped
    (:func:`protect_literal`). A ``p`` in a region whose text sits in the top half gets
    ``align`` 7/8/9 (and 1/3 for left/right text at the bottom). Cues are in order of
    start time (document order among equal starts). ``paragraphs`` maps a ``p`` to its
    ``xml:id`` and speaker. With ``horizontal=False`` ``tts:textAlign`` is ignored (SCC:
    ttconv's reader sets it to ``start`` everywhere).
    """
    paragraphs = paragraphs or {}
    shown = Shown(doc)
    body = doc.get_body()
    found = _paragraphs(shown, body) if body is not None else []
    regions = list(doc.iter_regions())

    shots: list[Shot] = []
    anchors: dict[model.Region | None, float | None] = {}
    unshown: dict[str, list[_Paragraph]] = {}
    for para in found:
        candidates, why = _candidate_regions(shown, para, regions)
        if why is not None and _excerpt(para.p):
            unshown.setdefault(why, []).append(para)
        for region in candidates:
            times = _change_times(shown, para, region)
            if region not in anchors:
                anchors[region] = vertical_anchor(region, doc)
            align = _numpad(para.p, para.ancestors, region, anchors[region], horizontal)
            current: Shot | None = None
            for index, at in enumerate(times):
                until = times[index + 1] if index + 1 < len(times) else para.end
                lines = render_lines(
                    shown.lines(para.p, para.ancestors, region, at, para.dynamic))
                if current is not None and current.lines == lines and current.end == at:
                    current.end = until
                    continue
                if lines:
                    current = Shot(at, until, lines, align, para.p, len(shots))
                    shots.append(current)
                else:
                    current = None
    never = {why: [(para.begin, _excerpt(para.p)) for para in paras]
             for why, paras in unshown.items()}
    return Track(
        cues=shots_to_cues(shots, ctx=ctx, paragraphs=paragraphs, unshown=never),
        format=fmt,
        language=doc.get_lang() or None,
        fps=fps,
    )


def shots_to_cues(
    shots: list[Shot],
    *,
    ctx: ReadContext,
    paragraphs: Mapping[Any, tuple[str | None, str | None]],
    unshown: Mapping[str, list[tuple[Fraction, str]]],
) -> list[Cue]:
    """Cues for ``shots``, in order of start time (document order among equal starts).

    A shot with no end ends when the next one starts (or 5 s later), with a warning;
    ``paragraphs`` gives each paragraph's ``xml:id`` (kept as ``meta["ttml_id"]`` on its
    first cue) and speaker; ``unshown`` lists, per reason, the paragraphs (begin, text)
    that are never shown: one warning per reason.
    """
    starts = [_ms(shot.begin) for shot in shots]
    if any(later < earlier for earlier, later in itertools.pairwise(starts)) or any(
        later.begin < earlier.begin
        for (earlier, later), (start, next_start) in zip(
            itertools.pairwise(shots), itertools.pairwise(starts), strict=True)
        if start == next_start
    ):
        shots = sorted(shots, key=lambda shot: (shot.begin, shot.order))
        starts = [_ms(shot.begin) for shot in shots]
    for why, paras in unshown.items():
        begin, text = paras[0]
        more = f" (and {len(paras) - 1} more like it)" if len(paras) > 1 else ""
        ctx.warn(f"the paragraph at {_ms(begin)} ms ({text!r}){more} is never shown: {why}"
                 " (TTML region association); left out")

    cues: list[Cue] = []
    named: set[int] = set()
    for shot, start_ms in zip(shots, starts, strict=True):
        if shot.end is None:
            later = bisect.bisect_right(starts, start_ms)
            end_ms = starts[later] if later < len(starts) else start_ms + 5000
            ctx.warn(
                f"subtitle at {start_ms} ms has no end time; it ends at {end_ms} ms",
                cue=len(cues) + 1,
            )
        else:
            end_ms = _ms(shot.end)
        p_id, speaker = paragraphs.get(shot.source, (None, None))
        meta: dict[str, Any] = {}
        if p_id and id(shot.source) not in named:
            meta["ttml_id"] = p_id
            named.add(id(shot.source))
        cues.append(Cue(
            id=len(cues) + 1,
            start_ms=start_ms,
            end_ms=end_ms,
            lines=shot.lines,
            speaker=speaker,
            align=shot.align,
            meta=meta,
        ))
    return cues


# --------------------------------------------------------------------------------------
# canonical markup -> styled characters (the TTML and SCC writers)


#: A run of text in one style (:func:`markup_parts`).
Run = tuple[str, Style]
_PLAIN = Style()


@dataclass
class RubyGroup:
    """A canonical ``<ruby>…</ruby>``: each base with its annotations (``<rt>``), as runs."""

    pairs: list[tuple[list[Run], list[list[Run]]]]

    def bases(self) -> list[Run]:
        return [run for base, _annotations in self.pairs for run in base]

    def annotations(self) -> list[str]:
        return ["".join(text for text, _ in runs) for _base, texts in self.pairs
                for runs in texts]


def markup_parts(line: str, warn: Callable[[str], None]) -> list[list[Run] | RubyGroup]:
    """A canonical-markup line as runs of styled text and ruby groups; foreign tags are
    dropped, ``<rp>`` fallback text too, and :func:`protect_literal` is undone."""
    if "<" not in line and "{" not in line:
        return [[(line, _PLAIN)]] if line else []
    stack: list[tuple[str, str | None]] = []
    parts: list[list[Run] | RubyGroup] = [[]]
    ruby: RubyGroup | None = None
    base: list[Run] = []
    annotation: list[Run] | None = None
    in_rp = False

    def close_annotation() -> None:
        nonlocal annotation, base
        if annotation is None or ruby is None:
            return
        if base or not ruby.pairs:
            ruby.pairs.append((base, [annotation]))
            base = []
        else:
            ruby.pairs[-1][1].append(annotation)
        annotation = None

    def close_ruby() -> None:
        nonlocal ruby, base
        close_annotation()
        if ruby is None:
            return
        if base or not ruby.pairs:
            ruby.pairs.append((base, []))
        parts.append(ruby)
        parts.append([])
        ruby, base = None, []

    for token in markup.tokenize(line):
        if token.kind == "text":
            if in_rp:
                continue
            color = next((c for name, c in reversed(stack) if name == "font" and c), None)
            style = Style(
                italic=any(name == "i" for name, _ in stack),
                bold=any(name == "b" for name, _ in stack),
                underline=any(name == "u" for name, _ in stack),
                color=color,
            ) if stack else _PLAIN
            run = (unprotect_literal(token.raw), style)
            if annotation is not None:
                annotation.append(run)
            elif ruby is not None:
                base.append(run)
            else:
                last = parts[-1]
                assert isinstance(last, list)
                last.append(run)
        elif token.name == "ruby" and token.kind in ("open", "close"):
            in_rp = False
            close_ruby()  # an annotation left open ends with its ruby (WebVTT, HTML)
            if token.kind == "open":
                ruby = RubyGroup([])
        elif token.name == "rt" and ruby is not None and token.kind in ("open", "close"):
            close_annotation()  # and one left open ends where the next starts
            if token.kind == "open":
                annotation = []
        elif token.name == "rp" and token.kind in ("open", "close"):
            in_rp = token.kind == "open"
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
    close_ruby()
    return [part for part in parts if not isinstance(part, list) or part]


def markup_runs(line: str, warn: Callable[[str], None]) -> list[Char]:
    """Styled characters of a canonical-markup line; foreign tags are dropped, and so are
    ruby annotations (the base text is kept)."""
    chars: list[Char] = []
    for part in markup_parts(line, warn):
        for text, style in part.bases() if isinstance(part, RubyGroup) else part:
            chars.extend((char, style) for char in text)
    return chars


#: Tags of canonical ruby (WebVTT/HTML); writers that cannot carry ruby say so per cue.
RUBY_TAGS = frozenset({"ruby", "rt", "rp", "rb"})


def ruby_annotations(lines: list[str]) -> list[str]:
    """The ruby annotations of canonical lines (``<rt>`` text), in order."""
    found: list[str] = []
    for line in lines:
        if "<r" not in line:
            continue
        for part in markup_parts(line, lambda _message: None):
            if isinstance(part, RubyGroup):
                found.extend(text for text in part.annotations() if text.strip())
    return found

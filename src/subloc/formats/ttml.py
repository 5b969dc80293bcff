"""TTML / IMSC 1.1 Text (.ttml, .dfxp, .xml), read on ttconv's model and written directly.

Reading: the XML is parsed here with expat, refusing any DOCTYPE (so no entity
expansion, no XML bombs, no external entities), and the legacy DFXP namespaces are mapped
to TTML. What a cue shows, and when, is what ``ttconv.isd`` shows (timing containers, span
timing, ``tts:display``/``tts:visibility``, regions, ruby; see
:func:`subloc.formats._ttconv.document_to_track`). ttconv reads the head (styles, regions,
initial values); the body is read in one of three ways, all giving the same track:

* :class:`_StaticReader`, when every paragraph shows the same text for as long as it is
  shown (no span timing, ``<set>``, ruby, ``seq``; most files): cues straight from the XML,
  in a fraction of the time ttconv's model takes (20,000 subtitles: seconds, not tens);
* else :class:`_BodyReader` builds ttconv's content model as ``ttconv.imsc.reader`` does
  (in linear time, and with the implicit end of a ``par`` container on its own timeline),
  and :func:`~subloc.formats._ttconv.document_to_track` turns it into cues, as for EBU STL
  and SCC;
* a body with ``region`` elements in it goes to ttconv's own reader.

Text that would read as a tag in canonical markup (``&lt;LAUGHING&gt;``) is escaped
(:func:`subloc.formats._ttconv.protect_literal`); ruby becomes canonical
``<ruby>base<rt>annotation</rt></ruby>``.

Writing: the XML is written here rather than with ttconv's IMSC writer, because that
writer cannot write ``HH:MM:SS:FF`` times for the fractional NTSC frame rates
(23.976, 29.97, 59.94), never writes ``ttp:timeBase`` or ``ttm:agent``, and registers XML
namespace prefixes globally. The output is IMSC 1.1 Text: ``xml:lang``, one ``xml:id``
per ``p``, two non-overlapping regions (bottom, top), styling as ``tts:`` attributes on
spans, ruby as ``tts:ruby`` spans, and is byte-for-byte deterministic. Characters XML 1.0
cannot carry are written as U+FFFD (:func:`subloc.io.xmlsafe.replace_invalid_xml_chars`)
with a warning per cue; DEL and the C1 controls, which it can (as discouraged
characters), are text, written and read as they are. A ruby base keeps the spaces at its
ends, and an annotation's edge spaces move beside it, so the text around ruby reads back.
"""
from __future__ import annotations

import io
import logging
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from fractions import Fraction
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ttconv import model
from ttconv.imsc import attributes as imsc_attr
from ttconv.imsc import elements as imsc_elements
from ttconv.imsc import reader as imsc_reader
from ttconv.imsc import style_properties as imsc_styles
from ttconv.style_properties import StyleProperties

from subloc import markup
from subloc.errors import ParseError
from subloc.formats._timing import clock_time, round_half_up
from subloc.formats._ttconv import (
    RUBY_TAGS,
    SHOWN_PROPS,
    Item,
    RubyGroup,
    Run,
    Shot,
    Shown,
    State,
    Style,
    document_to_track,
    excerpt,
    markup_parts,
    normalize_items,
    numpad,
    read_model,
    render_lines,
    shots_to_cues,
    vertical_anchor,
)
from subloc.formats.base import ReadContext, SubtitleFormat, WarnFn, WriteContext
from subloc.io.xmlsafe import INVALID_XML_CHAR, parse_xml, replace_invalid_xml_chars
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

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------
# Reading


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
    one whose ``p`` elements end later is cut short. Only documents read by ttconv's own
    reader need it (:class:`_BodyReader` computes implicit ends right). Returns how many
    ends were added.
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
# Reading: the body, straight to ttconv's model

_TTCONV_LOG = logging.getLogger("ttconv.imsc.elements")  # ttconv's own messages, same words
_XML_LANG = f"{{{NS_XML}}}lang"
_XML_SPACE = f"{{{NS_XML}}}space"
_XML_ID = f"{{{NS_XML}}}id"
_TTM_AGENT = f"{{{NS_TTM}}}agent"
_TTS_RUBY = f"{{{NS_TTS}}}ruby"
_CLOCK = re.compile(r"(\d{2,}):([0-5]\d):([0-5]\d)(?:\.(\d+))?")
_OFFSET = re.compile(r"(\d+)(?:\.(\d+))?(s|ms)")


@dataclass(frozen=True)
class _Kind:
    """How ttconv's IMSC reader treats a TTML content element (``imsc.elements``)."""

    make: type[model.ContentElement] | None  # None: <set>
    region: bool = True
    styles: bool = True
    timing: bool = True
    mixed: bool = False
    children: bool = True
    br: bool = False


_KINDS = {
    f"{{{NS_TTML}}}body": _Kind(model.Body),
    f"{{{NS_TTML}}}div": _Kind(model.Div),
    f"{{{NS_TTML}}}p": _Kind(model.P, mixed=True),
    f"{{{NS_TTML}}}br": _Kind(model.Br, region=False, timing=False, children=False, br=True),
    f"{{{NS_TTML}}}set": _Kind(None, region=False, styles=False, timing=False, children=False),
}
_SPANS = {
    None: _Kind(model.Span, mixed=True),
    "container": _Kind(model.Ruby),
    "base": _Kind(model.Rb, mixed=True),
    "text": _Kind(model.Rt, mixed=True),
    "delimiter": _Kind(model.Rp, mixed=True),
    "baseContainer": _Kind(model.Rbc),
    "textContainer": _Kind(model.Rtc),
}
_SPAN = f"{{{NS_TTML}}}span"


@dataclass
class _Element:
    """The parsing state of one element (ttconv's ``ContentElement.ParsingContext``)."""

    kind: _Kind
    node: model.ContentElement | None
    lang: str
    space: model.WhiteSpaceHandling
    agent: str | None
    seq: bool = False
    desired_begin: Fraction | None = Fraction(0)
    desired_end: Fraction | None = None
    implicit_end: Fraction | None = None


class _BodyReader:
    """Builds the body of ttconv's content model as ``ttconv.imsc.reader`` does, element for
    element and message for message, but in time linear in the document and several times
    faster (ttconv's reader takes 10-20 s for 20,000 subtitles): time expressions and style
    attribute values are parsed once per distinct value.

    Two deliberate differences: the implicit end of a ``par`` container is computed on its
    own timeline (ttconv 1.2 mixes its parent's, which drops or cuts short the content of
    a ``<div begin>`` without an end), and a child of a ``seq`` container that follows a
    child with no end is left out with a warning (it never begins; ttconv fails on it).
    The head (styles, regions, initial values) is read by ttconv itself.
    """

    def __init__(self, root: ET.Element, ctx: ReadContext) -> None:
        head_only = ET.Element(root.tag, root.attrib)
        head_only.extend(child for child in root if child.tag != f"{{{NS_TTML}}}body")
        self.tt = imsc_elements.TTElement.from_xml(None, head_only, lambda _progress: None)
        self.doc: model.ContentDocument = self.tt.doc
        self.ctx = ctx
        self.times: dict[str, Fraction | None] = {}
        self.values: dict[tuple[str, str], tuple[Any, Any] | str] = {}
        self.paragraphs: dict[model.ContentElement, tuple[str | None, str | None]] = {}
        self.agents = _agent_names(root)
        self.unresolved = 0

    def read(self, root: ET.Element) -> model.ContentDocument:
        bodies = [child for child in root if child.tag == f"{{{NS_TTML}}}body"]
        if bodies:
            top = _Element(_KINDS[f"{{{NS_TTML}}}div"], None, self.tt.lang, self.tt.space,
                           None)
            body = self.element(top, bodies[0])
            self.doc.set_body(body.node if body is not None else None)
            for _extra in bodies[1:]:
                _TTCONV_LOG.error("More than one body element present")
        if self.unresolved:
            self.ctx.warn(f"{self.unresolved} element(s) of a seq container follow an element"
                          " with no end: they never begin, and are left out")
        return self.doc

    def time(self, raw: str | None, name: str) -> Fraction | None:
        if raw is None:
            return None
        try:
            return self.times[raw]
        except KeyError:
            pass
        value: Fraction | None
        clock = _CLOCK.fullmatch(raw)
        offset = _OFFSET.fullmatch(raw) if clock is None else None
        if clock is not None:
            hours, minutes, seconds, fraction = clock.groups()
            whole = int(hours) * 3600 + int(minutes) * 60 + int(seconds)
            scale = 10 ** len(fraction or "")
            value = Fraction(whole * scale + int(fraction or 0), scale)
        elif offset is not None:
            digits, fraction, unit = offset.groups()
            value = Fraction(int(digits + (fraction or "")), 10 ** len(fraction or ""))
            if unit == "ms":
                value /= 1000
        else:
            try:
                value = imsc_attr.parse_time_expression(self.tt.temporal_context, raw, False)
            except ValueError:
                _TTCONV_LOG.error("Bad %s attribute value: %s", name, raw)
                value = None
        self.times[raw] = value
        return value

    def styles(
        self,
        node: model.ContentElement,
        xml: ET.Element,
        step: tuple[Fraction | None, Fraction | None] | None = None,
    ) -> None:
        """Specified styles (``tts:*``) of ``xml`` set on ``node``; with ``step`` (a
        ``<set>``'s begin and end), the first one added to ``node`` as an animation step."""
        for attr, raw in xml.attrib.items():
            if not attr.startswith("{"):
                continue
            prop = imsc_styles.StyleProperties.BY_QNAME.get(attr)
            if prop is None:
                continue
            parsed = self.values.get((attr, raw))
            if parsed is None:
                try:
                    parsed = prop.to_model(self.tt, xml)
                except ValueError as exc:
                    parsed = str(exc)
                self.values[(attr, raw)] = parsed
            try:
                if isinstance(parsed, str):
                    raise ValueError(parsed)
                model_prop, value = parsed
                if step is None:
                    node.set_style(model_prop, value)
                    continue
                node.add_animation_step(
                    model.DiscreteAnimationStep(model_prop, step[0], step[1], value))
                break
            except (ValueError, TypeError) as exc:
                _TTCONV_LOG.error("Error reading style property %s with %s", prop.__name__,
                                  str(exc))

    def element(self, parent: _Element, xml: ET.Element) -> _Element | None:
        tag = xml.tag
        kind = _SPANS.get(xml.get(_TTS_RUBY)) if tag == _SPAN else _KINDS.get(tag)
        if kind is None:
            return None
        node = kind.make(self.doc) if kind.make is not None else None
        lang, space = parent.lang, parent.space
        if node is not None:
            raw_lang = xml.get(_XML_LANG)
            if raw_lang is not None:
                lang = raw_lang
            raw_space = xml.get(_XML_SPACE)
            if raw_space is not None:
                try:
                    space = model.WhiteSpaceHandling(raw_space)
                except ValueError:
                    _TTCONV_LOG.error("Bad xml:space value (%s)", raw_space)
            node.set_lang(lang)
            node.set_space(space)
        state = _Element(kind, node, lang, space, xml.get(_TTM_AGENT, parent.agent))
        if isinstance(node, model.P):
            agent = state.agent
            speaker = (", ".join(self.agents.get(ref, ref) for ref in agent.split())
                       if agent else None)
            self.paragraphs[node] = (xml.get(_XML_ID), speaker or None)
        if kind.region and node is not None:
            region_id = xml.get("region")
            if region_id is not None:
                region = self.doc.get_region(region_id)
                if region is not None:
                    node.set_region(region)
                else:
                    _TTCONV_LOG.warning("Element references unknown region")

        container = xml.get("timeContainer")
        state.seq = container == "seq"
        if container not in (None, "par", "seq"):
            _TTCONV_LOG.error("bad timeContainer value")
        explicit_begin = self.time(xml.get("begin"), "begin")
        explicit_dur = self.time(xml.get("dur"), "dur")
        explicit_end = self.time(xml.get("end"), "end")
        if not parent.seq:
            implicit_begin = Fraction(0)
        elif parent.implicit_end is None or parent.desired_begin is None:
            self.unresolved += 1
            return None
        else:
            implicit_begin = parent.implicit_end - parent.desired_begin
        begin = implicit_begin + (explicit_begin or 0)
        state.desired_begin = begin
        indefinite = (kind.br or kind.make is None) and not parent.seq
        state.implicit_end = None if indefinite else begin  # seq: on the parent's timeline
        own_end: Fraction | None = None if indefinite else Fraction(0)  # par: on its own

        children: list[model.ContentElement] = []
        if kind.mixed and xml.text is not None and not state.seq:
            assert node is not None
            children.append(imsc_elements.ContentElement.make_anonymous_span(
                self.doc, node, xml.text))
            own_end = None
        animations_done = False
        for child_xml in xml:
            child = self.element(state, child_xml)
            if child is not None:
                if child.kind.make is None:
                    if animations_done:
                        _TTCONV_LOG.warning("<set> element is out of order")
                else:
                    animations_done = True
                if state.seq:
                    state.implicit_end = (None if child.desired_end is None
                                          else child.desired_end + begin)
                elif own_end is not None and child.desired_end is not None:
                    own_end = max(own_end, child.desired_end)
                else:
                    own_end = None
                if child.node is not None and (
                    child.desired_begin is None or child.desired_end is None
                    or child.desired_begin != child.desired_end
                ):
                    children.append(child.node)
            if kind.mixed and child_xml.tail is not None and not state.seq:
                assert node is not None
                children.append(imsc_elements.ContentElement.make_anonymous_span(
                    self.doc, node, child_xml.tail))
                own_end = None
        if not state.seq:
            state.implicit_end = None if own_end is None else begin + own_end

        if kind.styles and node is not None:
            refs = xml.get("style")
            for ref in reversed(refs.split(" ") if refs is not None else []):
                style = self.tt.style_elements.get(ref)
                if style is None:
                    _TTCONV_LOG.error("non existant style id")
                    continue
                for model_prop, value in style.styles.items():
                    if not node.has_style(model_prop):
                        node.set_style(model_prop, value)
        if kind.children and node is not None:
            try:
                node.push_children(children)
            except (ValueError, TypeError) as exc:
                _TTCONV_LOG.error(str(exc))
                return state

        if explicit_end is not None and explicit_dur is not None:
            state.desired_end = min(begin + explicit_dur, implicit_begin + explicit_end)
        elif explicit_dur is not None:
            state.desired_end = begin + explicit_dur
        elif explicit_end is not None:
            state.desired_end = implicit_begin + explicit_end
        else:
            state.desired_end = state.implicit_end
        if kind.timing and node is not None:
            node.set_begin(begin if begin != 0 else None)
            node.set_end(state.desired_end)

        if node is None:  # <set>: an animation step of the parent
            if parent.node is not None:
                self.styles(parent.node, xml, (state.desired_begin, state.desired_end))
        elif kind.styles:
            self.styles(node, xml)
        return state


def _agent_names(root: ET.Element) -> dict[str, str]:
    """``ttm:agent`` ids to their ``ttm:name`` (or the id)."""
    names: dict[str, str] = {}
    head = root.find(f"{{{NS_TTML}}}head")
    if head is not None:
        for agent in head.iter(f"{{{NS_TTM}}}agent"):
            agent_id = agent.get(_XML_ID)
            if agent_id:
                name = agent.find(f"{{{NS_TTM}}}name")
                text = (name.text or "").strip() if name is not None else ""
                names[agent_id] = text or agent_id
    return names




# --------------------------------------------------------------------------------------
# Reading: documents whose paragraphs are static, straight to cues

_BODY = f"{{{NS_TTML}}}body"
_DIV = f"{{{NS_TTML}}}div"
_P = f"{{{NS_TTML}}}p"
_BR = f"{{{NS_TTML}}}br"
_TIMING = ("begin", "end", "dur")
#: TTML content elements the static reader does not expect where it finds them.
_CONTENT = frozenset(f"{{{NS_TTML}}}{name}" for name in (
    "body", "div", "p", "span", "br", "set", "region", "image", "audio", "animate",
))


_STYLE_ATTRS = frozenset(imsc_styles.StyleProperties.BY_QNAME)


class _NotStatic(Exception):
    """The document has what :class:`_StaticReader` leaves to the model."""


class _StaticReader:
    """Cues straight from the XML for documents in which every paragraph shows the same
    text for as long as it is shown: ``body``/``div``/``p`` with ``par`` timing, spans
    and line breaks without times or regions of their own, no ``<set>``, no ruby, regions
    without animation. That is most TTML/DFXP/IMSC in the wild, and reading it
    this way takes a fraction of the time of building ttconv's model.

    The result is what :func:`~subloc.formats._ttconv.document_to_track` gives for the
    model of the same document (same styles, regions, times, warnings): on anything else
    it raises :class:`_NotStatic`, and the document is read through the model instead.
    """

    def __init__(self, reader: _BodyReader, ctx: ReadContext) -> None:
        self.reader = reader
        self.ctx = ctx
        self.doc = reader.doc
        self.shown = Shown(reader.doc)
        if any(animated for _begin, _end, _state, animated in self.shown.regions.values()):
            raise _NotStatic("animated regions")
        self.specified: dict[tuple[str | None, tuple[tuple[str, str], ...]],
                             tuple[list[Any], Any] | None] = {}
        self.anchors: dict[model.Region | None, float | None] = {}
        #: (id of an element's styles, id of a state) -> the state inside: states are
        #: shared objects, so that their canonical styles can be looked up by identity.
        self.transitions: dict[tuple[int, int], State | None] = {}
        self.keep: list[object] = []  # what the ids above refer to
        self.styles: dict[int, Style | None] = {}
        self.shots: list[Shot] = []
        self.paragraphs: dict[ET.Element, tuple[str | None, str | None]] = {}
        self.unshown: dict[str, list[tuple[Fraction, str]]] = {}

    def read(self, root: ET.Element) -> _StaticReader:
        """Read the body into :attr:`shots`, :attr:`paragraphs` and :attr:`unshown`."""
        bodies = [child for child in root if child.tag == _BODY]
        for _extra in bodies[1:]:
            _TTCONV_LOG.error("More than one body element present")
        if bodies:
            self.container(bodies[0], [], [], None, Fraction(0), None, self.reader.tt.space,
                           shown=True)
        return self

    # -- attributes

    def styles_of(self, xml: ET.Element) -> tuple[list[Any], Any] | None:
        """The element's own values of :data:`SHOWN_PROPS` and its ``tts:textAlign``
        (referenced styles, then its ``tts:*`` attributes), or ``None`` when it has none."""
        refs = xml.get("style")
        inline = tuple((attr, raw) for attr, raw in xml.attrib.items() if attr in _STYLE_ATTRS)
        if refs is None and not inline:
            return None
        key = (refs, inline)
        if key in self.specified:
            return self.specified[key]
        props: dict[Any, Any] = {}
        for ref in reversed(refs.split(" ") if refs is not None else []):
            style = self.reader.tt.style_elements.get(ref)
            if style is None:
                _TTCONV_LOG.error("non existant style id")
                continue
            for model_prop, value in style.styles.items():
                if model_prop not in props:
                    if not model_prop.validate(value):
                        raise _NotStatic("a style ttconv cannot apply")
                    props[model_prop] = value
        for attr, raw in inline:
            prop = imsc_styles.StyleProperties.BY_QNAME[attr]
            parsed = self.reader.values.get((attr, raw))
            if parsed is None:
                try:
                    parsed = prop.to_model(self.reader.tt, xml)
                except ValueError as exc:
                    parsed = str(exc)
                self.reader.values[(attr, raw)] = parsed
            if isinstance(parsed, str):
                message = parsed
            else:
                model_prop, value = parsed
                if model_prop.validate(value):
                    props[model_prop] = value
                    continue
                message = f"Invalid value {value} for style property {model_prop}"
            _TTCONV_LOG.error("Error reading style property %s with %s", prop.__name__,
                              message)
        found = ([props.get(prop) for prop in SHOWN_PROPS],
                 props.get(StyleProperties.TextAlign)) if props else None
        self.specified[key] = found
        return found

    def space_of(self, xml: ET.Element, space: model.WhiteSpaceHandling
                 ) -> model.WhiteSpaceHandling:
        raw = xml.get(_XML_SPACE)
        if raw is None:
            return space
        try:
            return model.WhiteSpaceHandling(raw)
        except ValueError:
            _TTCONV_LOG.error("Bad xml:space value (%s)", raw)
            return space

    def interval(self, xml: ET.Element, parent_begin: Fraction, parent_end: Fraction | None
                 ) -> tuple[Fraction, Fraction | None]:
        container = xml.get("timeContainer")
        if container == "seq":
            raise _NotStatic("a seq container")
        if container not in (None, "par"):
            _TTCONV_LOG.error("bad timeContainer value")
        time = self.reader.time
        explicit_begin = time(xml.get("begin"), "begin")
        explicit_dur = time(xml.get("dur"), "dur")
        explicit_end = time(xml.get("end"), "end")
        begin = explicit_begin or Fraction(0)
        end = explicit_end
        if explicit_dur is not None:
            end = begin + explicit_dur if end is None else min(begin + explicit_dur, end)
        absolute_begin = parent_begin + begin if parent_begin and begin else begin or parent_begin
        if end is None:
            return absolute_begin, parent_end
        absolute_end = parent_begin + end if parent_begin else end
        if parent_end is not None and parent_end < absolute_end:
            absolute_end = parent_end
        return absolute_begin, absolute_end

    def region_of(self, xml: ET.Element) -> model.Region | None:
        region_id = xml.get("region")
        if region_id is None:
            return None
        region: model.Region | None = self.doc.get_region(region_id)
        if region is None:
            _TTCONV_LOG.warning("Element references unknown region")
        return region

    def enter(self, styles: tuple[list[Any], Any] | None, state: State) -> State | None:
        """``state`` inside an element with these styles (:meth:`styles_of`)."""
        if styles is None:
            return state if self.shown.displayed else None
        key = (id(styles), id(state))
        if key in self.transitions:
            return self.transitions[key]
        inner = self.transitions[key] = self.shown.apply(styles[0], state)
        self.keep += (styles, state)
        return inner

    # -- structure

    def container(
        self,
        xml: ET.Element,
        chain: list[tuple[list[Any], Any] | None],
        regions: list[model.Region],
        agent: str | None,
        parent_begin: Fraction,
        parent_end: Fraction | None,
        space: model.WhiteSpaceHandling,
        *,
        shown: bool,
    ) -> None:
        """A ``body``/``div`` and what is in it. ``chain``: the styles of the containers
        above; ``shown``: whether it can be shown at all (else it is only checked)."""
        begin, end = self.interval(xml, parent_begin, parent_end)
        shown = shown and (end is None or begin < end)
        region = self.region_of(xml)
        inside_regions = [*regions, region] if region is not None else regions
        inside_chain = [*chain, self.styles_of(xml)]
        agent = xml.get(_TTM_AGENT, agent)
        space = self.space_of(xml, space)
        allowed = _DIV if xml.tag == _BODY else None
        for child in xml:
            tag = child.tag
            if tag == _DIV:
                self.container(child, inside_chain, inside_regions, agent, begin, end, space,
                               shown=shown)
            elif tag == _P and allowed is None:
                self.paragraph(child, inside_chain, inside_regions, agent, begin, end, space,
                               shown=shown)
            elif tag in _CONTENT:
                raise _NotStatic(f"{tag} in {xml.tag}")

    def paragraph(
        self,
        xml: ET.Element,
        chain: list[tuple[list[Any], Any] | None],
        regions: list[model.Region],
        agent: str | None,
        parent_begin: Fraction,
        parent_end: Fraction | None,
        space: model.WhiteSpaceHandling,
        *,
        shown: bool,
    ) -> None:
        begin, end = self.interval(xml, parent_begin, parent_end)
        shown = shown and (end is None or begin < end)
        region = self.region_of(xml)
        own = [*regions, region] if region is not None else regions
        styles = self.styles_of(xml)
        space = self.space_of(xml, space)
        agent = xml.get(_TTM_AGENT, agent)

        lines: list[list[Item]] = [[]]
        state = None
        selected: model.Region | None = None
        why: str | None = None
        if shown:
            if self.shown.has_regions:
                if not own:
                    why = "it is in no region, and the document declares regions"
                elif any(other is not own[-1] for other in own):
                    other = next(r.get_id() for r in own if r is not own[-1])
                    why = (f"it is in region {own[-1].get_id()!r} inside an element in region"
                           f" {other!r}")
                else:
                    selected = own[-1]
            if selected is not None:  # shown while both it and its region are active
                region_begin, region_end, _state, _animated = self.shown.regions[selected]
                if region_begin and region_begin > begin:
                    begin = region_begin
                if region_end is not None:
                    end = region_end if end is None else min(end, region_end)
                if end is not None and end <= begin:
                    selected, why = None, ""
            state = self.shown.region_state(selected, begin)
            for values in (*chain, styles):
                if state is None:
                    break
                state = self.enter(values, state)
            if why is not None:
                state = None
        texts: list[str] | None = [] if why else None  # its text, for the warning
        self.content(xml, state, space, lines, texts)
        if not shown:
            return
        speaker = (", ".join(self.reader.agents.get(ref, ref) for ref in agent.split())
                   if agent else None)
        self.paragraphs[xml] = (xml.get(_XML_ID), speaker or None)
        if why is not None:
            text = excerpt("".join(texts or ()))
            if why and text:
                self.unshown.setdefault(why, []).append((begin, text))
            return
        rendered = render_lines(lines) if state is not None else []
        if not rendered:
            return
        if selected not in self.anchors:
            self.anchors[selected] = vertical_anchor(selected, self.doc)
        text_align = next((values[1] for values in (styles, *reversed(chain))
                           if values is not None and values[1] is not None), None)
        if text_align is None and selected is not None:
            text_align = selected.get_style(StyleProperties.TextAlign)
        self.shots.append(Shot(begin, end, rendered, numpad(text_align, self.anchors[selected]),
                               xml, len(self.shots)))

    def content(
        self,
        xml: ET.Element,
        state: State | None,
        space: model.WhiteSpaceHandling,
        lines: list[list[Item]],
        texts: list[str] | None,
    ) -> None:
        """The text of a ``p`` or ``span`` in ``state`` (``None``: not shown), added to
        ``lines``; all of its text to ``texts`` (for warnings)."""
        style = None
        if state is not None:
            key = id(state)
            if key in self.styles:
                style = self.styles[key]
            else:
                style = self.styles[key] = self.shown.style(state)
                self.keep.append(state)
        preserve = space is model.WhiteSpaceHandling.PRESERVE
        if xml.text is not None:
            self.text(xml.text, style, preserve, lines, texts)
        for child in xml:
            tag = child.tag
            if tag == _SPAN:
                if (child.get(_TTS_RUBY) is not None or child.get("region") is not None
                        or child.get("timeContainer") is not None
                        or any(child.get(name) is not None for name in _TIMING)):
                    raise _NotStatic("a span with times, a region or ruby")
                styles = self.styles_of(child)  # even if not shown: the same messages
                inner = self.enter(styles, state) if state is not None else None
                self.content(child, inner, self.space_of(child, space), lines, texts)
            elif tag == _BR:
                if state is not None:
                    lines.append([])
                if texts is not None:
                    texts.append(" ")
            elif tag in _CONTENT:
                raise _NotStatic(f"{tag} in {xml.tag}")
            if child.tail is not None:
                self.text(child.tail, style, preserve, lines, texts)

    @staticmethod
    def text(text: str, style: Style | None, preserve: bool, lines: list[list[Item]],
             texts: list[str] | None) -> None:
        if texts is not None:
            texts.append(text)
        if style is None or not text:
            return
        if not preserve:
            lines[-1].append((text, style))
            return
        for index, part in enumerate(text.split("\n")):
            if index:
                lines.append([])
            if part:
                lines[-1].append((part, style))


_Model = tuple[model.ContentDocument, dict[Any, tuple[str | None, str | None]]]


def _read(root: ET.Element, ctx: ReadContext) -> _StaticReader | _Model:
    """The cues of a static document (:class:`_StaticReader`), else ttconv's content model
    and each ``p``'s ``xml:id`` and speaker.

    :class:`_BodyReader` builds the model, except for a body with ``region`` elements in
    it (inline regions: ttconv's reader fails on them in ways not worth copying), which
    goes to ttconv's own reader (with :func:`_fix_implicit_ends`).
    """
    body = root.find(f"{{{NS_TTML}}}body")
    inline_regions = body is not None and body.find(f".//{{{NS_TTML}}}region") is not None
    if not inline_regions:
        reader = _BodyReader(root, ctx)
        try:
            return _StaticReader(reader, ctx).read(root)
        except _NotStatic as exc:
            logger.debug("%s: not static (%s); read through ttconv's model", ctx.path, exc)
        return reader.read(root), reader.paragraphs
    markers = _tag_paragraphs(root)
    _fix_implicit_ends(root)
    doc = imsc_reader.to_model(ET.ElementTree(root))
    if doc is None:
        raise ValueError("ttconv rejected the TTML document")
    found = doc.get_body()
    return doc, {
        element: markers[element.get_lang()]
        for element in (found.dfs_iterator() if found is not None else ())
        if isinstance(element, model.P) and element.get_lang() in markers
    }

# --------------------------------------------------------------------------------------
# Writing


_PLAIN = Style()


def _span_attrs(style: Style) -> str:
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


def _runs_xml(items: list[Item]) -> str:
    """XML content for normalized runs: plain text, ``span`` elements with ``tts:``
    attributes, and (style ``None``) XML already made."""
    return "".join(
        text if style is None
        else escape(text) if style == _PLAIN
        else f"<span {_span_attrs(style)}>{escape(text)}</span>"
        for text, style in items
    )


def _xml_runs(runs: list[Run], invalid: list[str]) -> list[Item]:
    """``runs`` with what XML cannot carry as U+FFFD (noted in ``invalid``)."""
    out: list[Item] = []
    for text, style in runs:
        safe, replaced = replace_invalid_xml_chars(text)
        if replaced:
            invalid += INVALID_XML_CHAR.findall(text)
        out.append((safe, style))
    return out


def _ruby_edges(group: RubyGroup) -> tuple[RubyGroup, bool]:
    """``group`` with the space at either edge of an annotation moved to the base beside it
    (annotations are written trimmed, as readers show them: the space stays in the text),
    and whether a space follows the group."""
    pairs: list[tuple[list[Run], list[list[Run]]]] = []
    owed = False  # a space owed to the start of the next base
    for base_runs, texts in group.pairs:
        base = list(base_runs)
        if owed and base and not base[0][0][:1].isspace():
            base.insert(0, (" ", base[0][1]))
        owed = False
        visible = [runs for runs in texts if "".join(text for text, _ in runs).strip()]
        if visible and visible[0][0][0][:1].isspace() and base \
                and not base[-1][0][-1:].isspace():
            base.append((" ", base[-1][1]))
        owed = bool(visible) and visible[-1][-1][0][-1:].isspace()
        pairs.append((base, texts))
    return RubyGroup(pairs), owed


def _ruby_xml(group: RubyGroup, invalid: list[str]) -> str:
    """IMSC 1.1 ruby for a canonical ``<ruby>``: container, base and text for one base
    with one annotation, else a base container and one or two text containers. A base
    keeps the space at its ends (it is inline text: ``<ruby>It's a <rt>…`` shows
    "It's a …"); an annotation is trimmed."""

    def part(kind: str, runs: list[Run]) -> str:
        items = normalize_items(_xml_runs(runs, invalid), trim=kind == "text")
        return f'<span tts:ruby="{kind}">{_runs_xml(items)}</span>'

    pairs = group.pairs
    if len(pairs) == 1 and len(pairs[0][1]) == 1:
        base, (text,) = pairs[0]
        return ('<span tts:ruby="container">' + part("base", base) + part("text", text)
                + "</span>")
    rows = max(len(texts) for _base, texts in pairs)
    containers = "".join(
        '<span tts:ruby="textContainer">'
        + "".join(part("text", texts[row] if row < len(texts) else []) for _b, texts in pairs)
        + "</span>"
        for row in range(min(rows, 2))
    )
    return ('<span tts:ruby="container"><span tts:ruby="baseContainer">'
            + "".join(part("base", base) for base, _texts in pairs) + "</span>"
            + containers + "</span>")


def _line_content(line: str, warn: WarnFn, invalid: list[str]) -> str:
    """The XML content of a ``p`` line for a canonical-markup line (``""``: no text)."""
    items: list[Item] = []
    for part in markup_parts(line, warn):
        if not isinstance(part, RubyGroup):
            items += _xml_runs(part, invalid)
        elif not any(texts for _base, texts in part.pairs):
            items += _xml_runs(part.bases(), invalid)
        else:
            if any(len(texts) > 2 for _base, texts in part.pairs):
                warn("TTML ruby has at most two annotations per base; the others are left"
                     " out")
            group, space_after = _ruby_edges(part)
            items.append((_ruby_xml(group, invalid), None))
            if space_after:
                items.append((" ", _PLAIN))
    return _runs_xml(normalize_items(items))


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


def frame_position(ms: int, rate: FrameRate) -> tuple[int, int]:
    """Whole seconds and frames of ``ms`` in the media time base (frames of 1/fps s)."""
    seconds, millis = divmod(max(ms, 0), 1000)
    frames = round_half_up(Fraction(millis, 1000) * rate.fps)
    if frames >= rate.fps:
        seconds, frames = seconds + 1, 0
    return seconds, frames


def next_frame(position: tuple[int, int], rate: FrameRate) -> tuple[int, int]:
    seconds, frames = position
    return (seconds + 1, 0) if frames + 1 >= rate.fps else (seconds, frames + 1)


def frame_time(position: tuple[int, int]) -> str:
    """``HH:MM:SS:FF`` for a (seconds, frames) position."""
    seconds, frames = position
    return f"{clock_time(seconds * 1000, None)}:{frames:02d}"


class TtmlFormat(SubtitleFormat):
    """TTML 1/2, IMSC 1.x and legacy DFXP, read as ttconv shows them; IMSC 1.1 Text written.

    Reads what is shown when (``seq``/``par`` containers, span timing, ``tts:display``,
    ``tts:visibility``, regions: a paragraph whose text changes while it is shown gives one
    cue per stretch of the same text), italic/bold/underline/colour wherever they are
    specified (span, p, div, referenced or nested styles, regions, initial values), line
    breaks, ruby, top/bottom region placement (as ``align``) and speakers (``ttm:agent``).
    Files with a DOCTYPE are refused (entity expansion / external entities). Writes
    ``xml:lang``, ``xml:id`` on every ``p``, a top and a bottom region, ruby, clock times
    or, with ``frame_times`` and a frame rate, ``HH:MM:SS:FF`` times with
    ``ttp:frameRate``/``ttp:frameRateMultiplier``.
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
        if "ttaf1" in text and _map_dfxp_namespaces(root):
            logger.debug("%s: legacy DFXP namespaces mapped to TTML", ctx.path)
        if root.tag != f"{{{NS_TTML}}}tt":
            raise ParseError(
                f"the root element is {root.tag!r}, not a TTML <tt> element in the "
                f"{NS_TTML} namespace; this is not a TTML/DFXP file",
                path=ctx.path,
            )
        fps = _frame_rate_attr(root)
        read = read_model(lambda: _read(root, ctx), "TTML document", ctx)
        if isinstance(read, _StaticReader):
            cues = shots_to_cues(read.shots, ctx=ctx, paragraphs=read.paragraphs,
                                 unshown=read.unshown)
            return Track(cues=cues, format=self.name, language=read.doc.get_lang() or None,
                         fps=fps)
        doc, paragraphs = read
        return document_to_track(doc, fmt=self.name, ctx=ctx, fps=fps, paragraphs=paragraphs)

    def write(self, track: Track, ctx: WriteContext) -> str:
        language = (ctx.language or track.language or "und").strip() or "und"
        bad_language = INVALID_XML_CHAR.findall(language)
        if bad_language:
            language = replace_invalid_xml_chars(language)[0]
            ctx.warn(f"XML cannot carry {_code_points(bad_language)} in the language code;"
                     " written as U+FFFD")
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
            f"xml:lang={quoteattr(language)}",
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
                    f'<ttm:name type="full">{escape(replace_invalid_xml_chars(name)[0])}'
                    '</ttm:name></ttm:agent>\n'
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
                       if t.kind == "other" or (t.is_tag and t.name not in markup.CANONICAL
                                                and t.name not in RUBY_TAGS)
                       ] if "<" in cue.text or "{" in cue.text else []
            if foreign:
                warn(f"TTML cannot carry the tags {', '.join(dict.fromkeys(foreign))};"
                     " written without them")

            lines: list[str] = []
            invalid: list[str] = []
            for line in cue.lines:
                content = _line_content(line, warn, invalid)
                if content:
                    lines.append(content)
            invalid += INVALID_XML_CHAR.findall(cue.speaker or "")
            if invalid:
                warn(f"XML cannot carry {_code_points(invalid)}; written as U+FFFD")
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
            content = "<br/>".join(lines)
            out.write(f"      <p {' '.join(attrs)}>{content}</p>\n")

        out.write("    </div>\n  </body>\n</tt>\n")
        return out.getvalue()


def _code_points(chars: list[str]) -> str:
    """``"U+0001 and U+FFFE"`` for the distinct characters of ``chars``."""
    names = [f"U+{ord(char):04X}" for char in dict.fromkeys(chars)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


__all__ = ["FrameRate", "TtmlFormat"]

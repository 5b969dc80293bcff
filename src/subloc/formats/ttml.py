"""TTML / IMSC 1.1 Text (.ttml, .dfxp, .xml), read with ttconv and written directly.

Reading: the XML is parsed here with expat, refusing any DOCTYPE (so no entity
expansion, no XML bombs, no external entities), the legacy DFXP namespaces are mapped to
TTML, and ttconv's IMSC reader builds its content model.
:func:`subloc.formats._ttconv.document_to_track` turns that model into a
:class:`~subloc.track.Track`, as it does for EBU STL and SCC.

Writing: the XML is written here rather than with ttconv's IMSC writer, because that
writer cannot write ``HH:MM:SS:FF`` times for the fractional NTSC frame rates
(23.976, 29.97, 59.94), never writes ``ttp:timeBase`` or ``ttm:agent``, and registers XML
namespace prefixes globally. The output is IMSC 1.1 Text: ``xml:lang``, one ``xml:id``
per ``p``, two non-overlapping regions (bottom, top), styling as ``tts:`` attributes on
spans, and is byte-for-byte deterministic. Characters XML 1.0 cannot carry are written
as U+FFFD (:func:`subloc.io.xmlsafe.replace_invalid_xml_chars`) with a warning per cue.
"""

from __future__ import annotations

import io
import logging
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from fractions import Fraction
from xml.sax.saxutils import escape, quoteattr

from ttconv import model
from ttconv.imsc import attributes as imsc_attr
from ttconv.imsc import reader as imsc_reader

from subloc import markup
from subloc.errors import ParseError
from subloc.formats._timing import clock_time, round_half_up
from subloc.formats._ttconv import (
    Char,
    Style,
    document_to_track,
    markup_runs,
    normalize_chars,
    read_model,
    style_runs,
)
from subloc.formats.base import ReadContext, SubtitleFormat, WriteContext
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


def _line_xml(chars: list[Char]) -> str:
    return "".join(
        f"<span {_span_attrs(style)}>{escape(text)}</span>" if style != _PLAIN else escape(text)
        for style, text in style_runs(chars)
    )


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

        def read_root() -> model.ContentDocument | None:
            _fix_implicit_ends(root)
            return imsc_reader.to_model(ET.ElementTree(root))

        doc = read_model(read_root, "TTML document", ctx)
        if doc is None:
            raise ParseError("ttconv rejected the TTML document", path=ctx.path)
        track = document_to_track(
            doc, fmt=self.name, ctx=ctx, fps=fps, paragraphs=paragraphs
        )
        return track

    def write(self, track: Track, ctx: WriteContext) -> str:
        language = (ctx.language or track.language or "und").strip() or "und"
        invalid = INVALID_XML_CHAR.findall(language)
        if invalid:
            language = replace_invalid_xml_chars(language)[0]
            ctx.warn(f"XML cannot carry {_code_points(invalid)} in the language code; written"
                     " as U+FFFD")
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
                       if t.kind == "other" or (t.is_tag and t.name not in markup.CANONICAL)]
            if foreign:
                warn(f"TTML cannot carry the tags {', '.join(dict.fromkeys(foreign))};"
                     " written without them")

            lines: list[list[Char]] = []
            invalid = []
            for line in cue.lines:
                chars = markup_runs(line, warn)
                text = "".join(char for char, _ in chars)
                safe, replaced = replace_invalid_xml_chars(text)
                if replaced:  # one character for one: the styles still line up
                    invalid += INVALID_XML_CHAR.findall(text)
                    chars = [(char, style) for char, (_, style) in zip(safe, chars, strict=True)]
                chars = normalize_chars(chars)
                if chars:
                    lines.append(chars)
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
            content = "<br/>".join(_line_xml(chars) for chars in lines)
            out.write(f"      <p {' '.join(attrs)}>{content}</p>\n")

        out.write("    </div>\n  </body>\n</tt>\n")
        return out.getvalue()


def _code_points(chars: list[str]) -> str:
    """``"U+0001 and U+FFFE"`` for the distinct characters of ``chars``."""
    names = [f"U+{ord(char):04X}" for char in dict.fromkeys(chars)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


__all__ = ["FrameRate", "TtmlFormat"]

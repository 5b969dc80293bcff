"""TMX 1.4b: human translations in and out, for CAT tools' translation memories.

A translation unit (``<tu>``) per human translation: the source segment and its
translation as ``<tuv>`` s, subloc's canonical inline tags as TMX inline codes (a tag pair
as ``<bpt i="n">``/``<ept i="n">``, an unpaired tag as ``<it pos="...">``, anything else as
``<ph>``, each holding the tag itself as native code), and the entry's state, origin and
the reviewer's split over cues as ``<prop type="x-subloc-...">``::

    <tu tuid="1" srclang="en">
      <prop type="x-subloc-state">reviewed</prop>
      <tuv xml:lang="en"><seg>Hello <bpt i="1" x="1">&lt;i&gt;</bpt>there<ept i="1">
        &lt;/i&gt;</ept></seg></tuv>      (one line in the file)
      <tuv xml:lang="es"><seg>Hola ...</seg></tuv>
    </tu>

Reading takes any TMX 1.4: a ``<tu>`` gives one entry per target language; native code in
``bpt``/``ept``/``it``/``ph``/``ut`` comes back as text, ``<hi>`` is transparent. A ``<tu>``
whose tags do not balance, or a ``bpt`` without its ``ept``, is an error naming the file and
the unit. Read with :func:`subloc.io.xmlsafe.parse_xml` (no DTDs, no entities).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from subloc import __version__, markup
from subloc.errors import ParseError
from subloc.io.xmlsafe import parse_xml, replace_invalid_xml_chars

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class TmxError(ParseError):
    """A TMX file that is well-formed XML but not one subloc can read."""


@dataclass(frozen=True)
class TmxEntry:
    """One translation: source and target text in canonical markup, their languages, and
    subloc's properties (state, origin, the split over cues)."""

    source_lang: str
    target_lang: str
    source: str
    target: str
    state: str = "reviewed"
    origin: str = ""
    pieces: tuple[str, ...] = ()


def write_tmx(entries: Sequence[TmxEntry]) -> tuple[bytes, int]:
    """TMX 1.4b for ``entries`` (same entries, same bytes); and how many characters XML
    cannot carry were replaced with U+FFFD."""
    replaced = 0

    def text(value: str) -> str:
        nonlocal replaced
        value, count = replace_invalid_xml_chars(value)
        replaced += count
        return escape(value)

    def attr(value: str) -> str:
        nonlocal replaced
        value, count = replace_invalid_xml_chars(value)
        replaced += count
        return quoteattr(value)

    sources = sorted({entry.source_lang for entry in entries})
    srclang = sources[0] if len(sources) == 1 else "*all*"
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<tmx version="1.4">',
             f'  <header creationtool="subloc" creationtoolversion={attr(__version__)} '
             f'segtype="sentence" o-tmf="subloc" adminlang="en" srclang={attr(srclang)} '
             'datatype="plaintext"/>', "  <body>"]
    for number, entry in enumerate(entries, start=1):
        lines.append(f'    <tu tuid="{number}" srclang={attr(entry.source_lang)}>')
        lines.append(f'      <prop type="x-subloc-state">{text(entry.state)}</prop>')
        if entry.origin:
            lines.append(f'      <prop type="x-subloc-origin">{text(entry.origin)}</prop>')
        if entry.pieces:
            pieces = json.dumps(list(entry.pieces), ensure_ascii=False)
            lines.append(f'      <prop type="x-subloc-pieces">{text(pieces)}</prop>')
        for lang, value in ((entry.source_lang, entry.source),
                            (entry.target_lang, entry.target)):
            lines.append(f"      <tuv xml:lang={attr(lang)}><seg>{_inline(value, text)}"
                         "</seg></tuv>")
        lines.append("    </tu>")
    lines += ["  </body>", "</tmx>"]
    return ("\n".join(lines) + "\n").encode("utf-8"), replaced


def _inline(value: str, escape_text: Callable[[str], str]) -> str:
    tokens = markup.tokenize(value)
    stack: list[int] = []
    pairs: dict[int, int] = {}
    for index, token in enumerate(tokens):
        if token.kind == "open":
            stack.append(index)
        elif token.kind == "close" and stack and tokens[stack[-1]].name == token.name:
            pairs[stack.pop()] = index
    closing = {close: opening for opening, close in pairs.items()}
    numbers: dict[int, int] = {}
    out: list[str] = []
    for index, token in enumerate(tokens):
        if not token.is_tag:
            out.append(escape_text(token.raw))
            continue
        numbers[index] = len(numbers) + 1
        raw = escape_text(token.raw)
        if index in pairs:
            number = numbers[index]
            out.append(f'<bpt i="{number}" x="{number}">{raw}</bpt>')
        elif index in closing:
            out.append(f'<ept i="{numbers[closing[index]]}">{raw}</ept>')
        elif token.kind in ("open", "close"):
            pos = "begin" if token.kind == "open" else "end"
            out.append(f'<it pos="{pos}" x="{numbers[index]}">{raw}</it>')
        else:
            out.append(f'<ph x="{numbers[index]}">{raw}</ph>')
    return "".join(out)


def read_tmx(data: bytes, path: str) -> list[TmxEntry]:
    """Every (source, target) translation of a TMX file, in file order."""
    try:
        text = data.decode("utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) \
            else data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TmxError(f"is not UTF-8 or UTF-16 text ({error.reason} at byte {error.start})",
                       path=path) from None
    root = parse_xml(text, path)
    if root.tag != "tmx":
        raise TmxError(f"is not TMX (its root element is <{root.tag}>)", path=path)
    header = root.find("header")
    body = root.find("body")
    if header is None or body is None:
        raise TmxError("needs a <header> and a <body>", path=path)
    default = header.get("srclang", "")
    entries: list[TmxEntry] = []
    for number, tu in enumerate(body.iter("tu"), start=1):
        where = f"tu {tu.get('tuid') or number}"
        entries.extend(_entries(tu, default, path, where))
    return entries


def _entries(tu: ET.Element, default: str, path: str, where: str) -> Iterable[TmxEntry]:
    props = {prop.get("type", ""): "".join(prop.itertext()) for prop in tu.findall("prop")}
    pieces: tuple[str, ...] = ()
    if props.get("x-subloc-pieces"):
        try:
            value = json.loads(props["x-subloc-pieces"])
        except ValueError:
            value = None
        if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise TmxError(f"{where}: its x-subloc-pieces property is damaged", path=path)
        pieces = tuple(value)
    variants: list[tuple[str, str]] = []
    for tuv in tu.findall("tuv"):
        lang = tuv.get(_XML_LANG) or tuv.get("lang") or ""
        seg = tuv.find("seg")
        if not lang or seg is None:
            raise TmxError(f"{where}: a <tuv> needs xml:lang and a <seg>", path=path)
        variants.append((lang, _content(seg, path, f"{where} ({lang})")))
    source_lang = tu.get("srclang") or default
    if source_lang in ("", "*all*"):
        if not variants:
            return []
        source_lang = variants[0][0]
    sources = [value for lang, value in variants if lang.lower() == source_lang.lower()]
    if not sources:
        return []  # no variant in the source language: nothing to match a segment with
    source = sources[0]
    return [TmxEntry(source_lang, lang, source, value, props.get("x-subloc-state", "reviewed"),
                     props.get("x-subloc-origin", ""), pieces)
            for lang, value in variants if lang.lower() != source_lang.lower()]


def _content(seg: ET.Element, path: str, where: str) -> str:
    out: list[str] = []
    opened: dict[str, str] = {}

    def walk(node: ET.Element) -> None:
        if node.text:
            out.append(node.text)
        for child in node:
            native = "".join(child.itertext())
            if child.tag == "bpt":
                key = child.get("i", "")
                if key in opened:
                    raise TmxError(f"{where}: <bpt i=\"{key}\"> appears twice", path=path)
                opened[key] = native
                out.append(native)
            elif child.tag == "ept":
                key = child.get("i", "")
                if opened.pop(key, None) is None:
                    raise TmxError(f"{where}: <ept i=\"{key}\"> has no <bpt> before it",
                                   path=path)
                out.append(native)
            elif child.tag in ("it", "ph", "ut"):
                out.append(native)
            elif child.tag == "hi":
                walk(child)
            else:
                raise TmxError(f"{where}: unexpected <{child.tag}> in a <seg>", path=path)
            if child.tail:
                out.append(child.tail)

    walk(seg)
    if opened:
        raise TmxError(f"{where}: <bpt i=\"{next(iter(opened))}\"> has no <ept>", path=path)
    return " ".join("".join(out).split())


__all__ = ["TmxEntry", "TmxError", "read_tmx", "write_tmx"]

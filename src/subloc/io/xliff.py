"""XLIFF 2.1 and 1.2: subtitle segments out to CAT tools (Trados, memoQ, Phrase, OmegaT)
and reviewed translations back.

One ``<file>`` per job (a source track x a target language), one unit per segment (what
the engine translated: a sentence over one or more cues, or one speaker of a dialogue cue).
A unit carries its source and target, the cue ids and times it covers, its layout limits,
the glossary entries that apply, the QA issues of its cues, the engine's confidence and its
state. In XLIFF 2.1::

    <unit id="u3" name="cues 3-4" slr:sizeRestriction="168">
      <mda:metadata><mda:metaGroup category="subloc">
        <mda:meta type="segment">3</mda:meta> <mda:meta type="cues">3 4</mda:meta>
        <mda:meta type="times">8000-9500 9600-11000</mda:meta> ...
      </mda:metaGroup></mda:metadata>
      <gls:glossary>...</gls:glossary>           (the Glossary module)
      <notes><note category="subloc:qa" priority="2">cps-max (warning): ...</note></notes>
      <originalData><data id="d1">&lt;i&gt;</data><data id="d2">&lt;/i&gt;</data></originalData>
      <segment state="translated" subState="subloc:needs-review">
        <source>... <pc id="1" dataRefStart="d1" dataRefEnd="d2" ...>word</pc> ...</source>
        <target>...</target>
      </segment>
    </unit>

The characters-per-line and lines limits are a size restriction (the Size and Length
Restriction module, ``xliff:codepoints``: characters per line x lines x cues) plus a note
with the per-line numbers, which the module cannot say. XLIFF 1.2 has ``maxwidth`` with
``size-unit="char"`` for the same total; metadata goes in a ``context-group``, the glossary
and QA issues in notes, states map to 1.2's (``signed-off`` for reviewed,
``needs-review-translation`` for a low confidence).

Inline tags (subloc's canonical ``<i> <b> <u> <font>`` and tags kept from the source
format, ``{\\an8}``) become inline codes a CAT tool protects: a tag pair as ``<pc>`` (1.2:
``<bpt>``/``<ept>``), an unpaired tag as an isolated ``<sc>``/``<ec>`` (1.2: ``<it>``),
anything else as ``<ph>``; codes are numbered by the order of the tags in the source text,
may not be deleted or copied, and carry the tag as original data. Reading turns codes back
into the tags of the *track's* source segment by number, so a target whose codes do not
match its source (one lost, doubled, unknown, or closed before it opens) is an
:class:`XliffError` naming the file and the unit.

Files are read with :func:`subloc.io.xmlsafe.parse_xml` (no DTDs, no entities); written
deterministically (same document, same bytes), XML-escaped by hand so inline content is
never re-indented.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

from subloc import __version__, markup
from subloc.errors import ParseError
from subloc.io.xmlsafe import parse_xml, replace_invalid_xml_chars

XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF1 = "urn:oasis:names:tc:xliff:document:1.2"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
GLS = "urn:oasis:names:tc:xliff:glossary:2.0"
SLR = "urn:oasis:names:tc:xliff:sizerestriction:2.0"
VERSIONS = ("2.1", "1.2")

State = Literal["initial", "translated", "reviewed", "final"]
STATES: tuple[State, ...] = ("initial", "translated", "reviewed", "final")
#: XLIFF 1.2 target states and the 2.x state each means.
_STATE_1_TO_2: dict[str, State] = {
    "new": "initial", "needs-translation": "initial", "needs-l10n": "initial",
    "needs-adaptation": "initial", "translated": "translated",
    "needs-review-translation": "translated", "needs-review-l10n": "translated",
    "needs-review-adaptation": "translated", "signed-off": "reviewed", "final": "final"}
_STATE_2_TO_1 = {"initial": "new", "translated": "translated", "reviewed": "signed-off",
                 "final": "final"}
#: Notes subloc writes have these categories (2.1) or ``from`` values (1.2); any other note
#: a reviewer or a CAT tool added is a reviewer's comment.
NOTE_PREFIX = "subloc"
NEEDS_REVIEW = "subloc:needs-review"


class XliffError(ParseError):
    """An XLIFF file that is well-formed XML but not one subloc can take back: not XLIFF,
    an unknown version, a unit without an id, a target whose inline codes are broken."""


@dataclass(frozen=True)
class GlossEntry:
    """A glossary entry that applies to a unit: the source term, its translations (none
    for a do-not-translate term: it stays as it is), and what it is (type and note)."""

    term: str
    translations: tuple[str, ...]
    definition: str = ""


@dataclass(frozen=True)
class UnitNote:
    """A note subloc writes on a unit: ``category`` (``subloc:qa``, ``subloc:limits``,
    ``subloc:confidence``, ``subloc:glossary``), the text, and a priority (1 is highest)."""

    category: str
    text: str
    priority: int = 1


CodeKind = Literal["pair", "open", "close", "ph"]


@dataclass(frozen=True)
class Code:
    """One inline code of a unit's source, numbered ``id`` in the order of the tags:
    ``pair`` (a tag pair: opening ``raw`` and closing ``end``), ``open`` or ``close`` (a tag
    whose partner is outside the segment) or ``ph`` (a standalone tag)."""

    id: str
    kind: CodeKind
    raw: str
    end: str = ""
    #: The id of the closing tag's data (the number of its tag), for a pair.
    end_id: str = ""


@dataclass(frozen=True)
class CodeRef:
    """An inline code met while reading content: its opening, its closing, or a
    standalone code, with the element it came from (for messages)."""

    event: Literal["open", "close", "ph"]
    id: str
    element: str


#: Content as read: text, and inline codes to resolve against a source's codes.
Inline = list["str | CodeRef"]


@dataclass
class Unit:
    """One segment: source and target in canonical markup, and what a reviewer needs.
    As read from a file, ``source`` and ``target`` are the plain text (codes left out) and
    ``source_inline``/``target_inline`` the content with its codes, for :func:`resolve`."""

    id: str
    source: str
    target: str | None
    state: State = "translated"
    #: The segment's number in its track (1-based, as :func:`subloc.pipeline.segment`
    #: makes them), the cue ids it covers and their source times (ms).
    segment: int | None = None
    cues: tuple[int, ...] = ()
    times: tuple[tuple[int, int], ...] = ()
    #: For one speaker of a dialogue cue: which one (0-based).
    part: int | None = None
    confidence: float | None = None
    needs_review: bool = False
    #: The whole unit's size restriction in characters, and the per-line limits.
    size: int | None = None
    max_chars: float | None = None
    max_lines: int | None = None
    glossary: tuple[GlossEntry, ...] = ()
    notes: tuple[UnitNote, ...] = ()
    #: A digest of the target as exported (:func:`digest`): tells a reviewer's change.
    exported: str | None = None
    # As read back:
    comments: tuple[str, ...] = ()
    source_inline: Inline = field(default_factory=list, repr=False)
    target_inline: Inline | None = field(default=None, repr=False)
    #: The source's codes as the file declares them: (id, kind), in order.
    source_codes: tuple[tuple[str, str], ...] = ()

    @property
    def reviewed(self) -> bool:
        """Whether a reviewer did something to this unit: changed its words (against the
        digest of the exported target), set a reviewed or final state, or commented."""
        changed = self.target_inline is not None and self.exported is not None and \
            digest(plain_text(self.target_inline)) != self.exported
        return changed or self.state in ("reviewed", "final") or bool(self.comments)

    @property
    def source_plain(self) -> str:
        """The source's text without its codes, whitespace collapsed (what is matched)."""
        if self.source_inline:
            return plain_text(self.source_inline)
        return " ".join(markup.strip_tags(self.source).split())


@dataclass
class XliffFile:
    """One job: ``original`` is the source track, ``target_path`` the localized track
    (paths relative to the XLIFF file, or absolute)."""

    id: str
    original: str
    target_path: str
    source_lang: str
    target_lang: str
    units: list[Unit] = field(default_factory=list)
    #: Run id, engine, profile: what the report of the run said.
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class XliffDocument:
    version: str
    files: list[XliffFile]


def digest(text: str) -> str:
    """A short digest of a target's displayed text (tags left out, whitespace collapsed):
    what tells, on import, whether a reviewer changed a unit's words."""
    plain = " ".join(markup.strip_tags(text).split())
    return hashlib.sha256(plain.encode("utf-8", "surrogatepass")).hexdigest()[:16]


# --- inline codes -------------------------------------------------------------------

def codes(text: str) -> list[Code]:
    """The inline codes of ``text`` (canonical markup), numbered as export numbers them:
    each tag is numbered by its position among the tags; a tag pair is one code under its
    opening tag's number."""
    tokens = markup.tokenize(text)
    numbers, pairs, _unpaired = _pairing(tokens)
    found = []
    for index, token in enumerate(tokens):
        if not token.is_tag:
            continue
        number = str(numbers[index])
        if index in pairs:
            close = pairs[index]
            found.append(Code(number, "pair", token.raw, tokens[close].raw,
                              str(numbers[close])))
        elif index in pairs.values():
            continue
        elif token.kind == "open":
            found.append(Code(number, "open", token.raw))
        elif token.kind == "close":
            found.append(Code(number, "close", token.raw))
        else:
            found.append(Code(number, "ph", token.raw))
    return found


def code_signature(found: Sequence[Code]) -> tuple[tuple[str, str], ...]:
    return tuple((code.id, code.kind) for code in found)


def _pairing(tokens: Sequence[markup.Token]
             ) -> tuple[dict[int, int], dict[int, int], set[int]]:
    """Tag numbers by token index; opening -> closing token index of each properly nested
    pair; the tags left unpaired."""
    numbers: dict[int, int] = {}
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for index, token in enumerate(tokens):
        if not token.is_tag:
            continue
        numbers[index] = len(numbers) + 1
        if token.kind == "open":
            stack.append(index)
        elif token.kind == "close" and stack and tokens[stack[-1]].name == token.name:
            pairs[stack.pop()] = index
    unpaired = {i for i in numbers if i not in pairs and i not in pairs.values()}
    return numbers, pairs, unpaired


def plain_text(inline: Inline) -> str:
    return " ".join("".join(item for item in inline if isinstance(item, str)).split())


def resolve(inline: Inline, source_codes: Sequence[Code], where: str) -> str:
    """Content read from a file, as canonical markup with the tags of ``source_codes``;
    raises :class:`XliffError` (``where`` names the file and unit) when a code is unknown,
    missing, used twice, or closed before it is opened."""
    table = {code.id: code for code in source_codes}
    out: list[str] = []
    opened: set[str] = set()
    seen: dict[str, set[str]] = {}
    for item in inline:
        if isinstance(item, str):
            out.append(item)
            continue
        code = table.get(item.id)
        if code is None:
            raise XliffError(f"{where}: the target has an inline code ({item.element} "
                             f"{item.id}) its source does not have; keep the source's codes")
        events = seen.setdefault(item.id, set())
        if item.event in events:
            raise XliffError(f"{where}: inline code {item.id} ({_show(code)}) appears twice "
                             "in the target; each tag must be there once")
        events.add(item.event)
        if code.kind == "pair":
            if item.event == "open":
                out.append(code.raw)
                opened.add(item.id)
            elif item.event == "close":
                if item.id not in opened:
                    raise XliffError(f"{where}: inline code {item.id} ({_show(code)}) is "
                                     "closed before it is opened in the target")
                out.append(code.end)
            else:
                raise XliffError(f"{where}: inline code {item.id} ({_show(code)}) is a tag "
                                 f"pair in the source but a {item.element} in the target")
        else:
            if item.event != code.kind:
                raise XliffError(f"{where}: inline code {item.id} ({_show(code)}) changed "
                                 f"kind in the target ({item.element})")
            out.append(code.raw)
    for code in source_codes:
        events = seen.get(code.id, set())
        needed = {"open", "close"} if code.kind == "pair" else None
        if needed is not None and events != needed:
            missing = "its closing tag" if "open" in events else (
                "its opening tag" if events else "it")
            raise XliffError(f"{where}: the target lacks {missing}: inline code {code.id} "
                             f"({_show(code)}); keep every tag of the source")
        if needed is None and not events:
            raise XliffError(f"{where}: the target lacks inline code {code.id} "
                             f"({_show(code)}); keep every tag of the source")
    return " ".join("".join(out).split())


def _show(code: Code) -> str:
    return code.raw + ("…" + code.end if code.kind == "pair" else "")


# --- writing ------------------------------------------------------------------------

class _Writer:
    """Lines of XML, indented by structure; inline content on its line, escaped by hand."""

    def __init__(self) -> None:
        self.lines: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>']
        self.replaced = 0

    def text(self, value: str) -> str:
        value, count = replace_invalid_xml_chars(value)
        self.replaced += count
        return escape(value)

    def attrs(self, pairs: Sequence[tuple[str, object]]) -> str:
        out = []
        for name, value in pairs:
            if value is None:
                continue
            text, count = replace_invalid_xml_chars(str(value))
            self.replaced += count
            out.append(f" {name}={quoteattr(text)}")
        return "".join(out)

    def line(self, depth: int, content: str) -> None:
        self.lines.append("  " * depth + content)

    def element(self, depth: int, name: str, attrs: Sequence[tuple[str, object]] = (),
                text: str | None = None, inline: str | None = None) -> None:
        """A one-line element: escaped ``text``, or ``inline`` (already XML)."""
        body = inline if inline is not None else (self.text(text) if text is not None else None)
        if body is None:
            self.line(depth, f"<{name}{self.attrs(attrs)}/>")
        else:
            self.line(depth, f"<{name}{self.attrs(attrs)}>{body}</{name}>")

    def bytes(self) -> bytes:
        return ("\n".join(self.lines) + "\n").encode("utf-8")


def write_xliff(document: XliffDocument) -> tuple[bytes, int]:
    """The document as XLIFF ``document.version`` (2.1 or 1.2); and how many characters XML
    cannot carry were replaced with U+FFFD (the caller warns)."""
    if document.version not in VERSIONS:
        raise ValueError(f"XLIFF version {document.version!r}; one of {VERSIONS}")
    writer = _Writer()
    if document.version == "2.1":
        _write_2(writer, document)
    else:
        _write_1(writer, document)
    return writer.bytes(), writer.replaced


def _meta_pairs(unit: Unit) -> list[tuple[str, str]]:
    pairs = []
    if unit.segment is not None:
        pairs.append(("segment", str(unit.segment)))
    pairs.append(("cues", " ".join(str(cue) for cue in unit.cues)))
    if unit.times:
        pairs.append(("times", " ".join(f"{a}-{b}" for a, b in unit.times)))
    if unit.part is not None:
        pairs.append(("part", str(unit.part)))
    if unit.confidence is not None:
        pairs.append(("confidence", f"{unit.confidence:.4f}"))
    if unit.exported is not None:
        pairs.append(("target-digest", unit.exported))
    return pairs


def _unit_name(unit: Unit) -> str:
    if not unit.cues:
        return "no cue"
    first, last = unit.cues[0], unit.cues[-1]
    name = f"cue {first}" if first == last else f"cues {first}-{last}"
    return name + (f", speaker {unit.part + 1}" if unit.part is not None else "")


def _inline_2(writer: _Writer, text: str) -> tuple[str, list[tuple[str, str]]]:
    """XLIFF 2 content for canonical ``text``, and its original data ``(id, tag)``."""
    tokens = markup.tokenize(text)
    numbers, pairs, _unpaired = _pairing(tokens)
    data: list[tuple[str, str]] = []
    closing = set(pairs.values())

    def emit(start: int, stop: int) -> str:
        out: list[str] = []
        index = start
        while index < stop:
            token = tokens[index]
            if not token.is_tag:
                out.append(writer.text(token.raw))
                index += 1
                continue
            number = numbers[index]
            data.append((f"d{number}", token.raw))
            kind = _fmt(token)
            if index in pairs:
                close = pairs[index]
                data.append((f"d{numbers[close]}", tokens[close].raw))
                attrs = writer.attrs([("id", number), ("canCopy", "no"), ("canDelete", "no"),
                                      ("dataRefEnd", f"d{numbers[close]}"),
                                      ("dataRefStart", f"d{number}"), *kind])
                out.append(f"<pc{attrs}>{emit(index + 1, close)}</pc>")
                index = close + 1
                continue
            if index in closing:  # pragma: no cover - consumed with its opening tag
                index += 1
                continue
            common = [("id", number), ("canCopy", "no"), ("canDelete", "no"),
                      ("dataRef", f"d{number}")]
            if token.kind == "open":
                out.append(f"<sc{writer.attrs([*common, ('isolated', 'yes'), *kind])}/>")
            elif token.kind == "close":
                out.append(f"<ec{writer.attrs([*common, ('isolated', 'yes'), *kind])}/>")
            else:
                out.append(f"<ph{writer.attrs([*common, *kind])}/>")
            index += 1
        return "".join(out)

    content = emit(0, len(tokens))
    return content, sorted(data, key=lambda item: int(item[0][1:]))


_SUBTYPES = {"b": "xlf:b", "i": "xlf:i", "u": "xlf:u"}


def _fmt(token: markup.Token) -> list[tuple[str, object]]:
    if token.name in markup.CANONICAL:
        subtype = _SUBTYPES.get(token.name)
        return [("type", "fmt"), *([("subType", subtype)] if subtype else [])]
    return [("type", "fmt")] if token.kind == "other" else []


def _write_2(w: _Writer, document: XliffDocument) -> None:
    first = document.files[0] if document.files else None
    w.line(0, f'<xliff xmlns="{XLIFF2}" xmlns:mda="{MDA}" xmlns:gls="{GLS}" '
              f'xmlns:slr="{SLR}" version="2.1"'
              + w.attrs([("srcLang", first.source_lang if first else "und"),
                         ("trgLang", first.target_lang if first else None)]) + ">")
    for xfile in document.files:
        w.line(1, f"<file{w.attrs([('id', xfile.id), ('original', xfile.original)])}>")
        w.line(2, "<mda:metadata>")
        w.line(3, '<mda:metaGroup category="subloc">')
        w.element(4, "mda:meta", [("type", "tool")], f"subloc {__version__}")
        w.element(4, "mda:meta", [("type", "target")], xfile.target_path)
        for key, value in sorted(xfile.meta.items()):
            w.element(4, "mda:meta", [("type", key)], value)
        w.line(3, "</mda:metaGroup>")
        w.line(2, "</mda:metadata>")
        w.element(2, "slr:profiles", [("generalProfile", "xliff:codepoints"),
                                      ("storageProfile", "xliff:utf8")])
        for unit in xfile.units:
            _write_unit_2(w, unit)
        w.line(1, "</file>")
    w.line(0, "</xliff>")


def _write_unit_2(w: _Writer, unit: Unit) -> None:
    w.line(2, "<unit" + w.attrs([("id", unit.id), ("name", _unit_name(unit)),
                                 ("slr:sizeRestriction", unit.size)]) + ">")
    w.line(3, "<mda:metadata>")
    w.line(4, '<mda:metaGroup category="subloc">')
    for key, value in _meta_pairs(unit):
        w.element(5, "mda:meta", [("type", key)], value)
    w.line(4, "</mda:metaGroup>")
    w.line(3, "</mda:metadata>")
    if unit.glossary:
        w.line(3, "<gls:glossary>")
        for entry in unit.glossary:
            w.line(4, "<gls:glossEntry>")
            w.element(5, "gls:term", [("source", "subloc glossary")], entry.term)
            for translation in entry.translations:
                w.element(5, "gls:translation", [], translation)
            if entry.definition:
                w.element(5, "gls:definition", [], entry.definition)
            w.line(4, "</gls:glossEntry>")
        w.line(3, "</gls:glossary>")
    if unit.notes:
        w.line(3, "<notes>")
        for note in unit.notes:
            w.element(4, "note", [("category", note.category), ("priority", note.priority)],
                      note.text)
        w.line(3, "</notes>")
    source, data = _inline_2(w, unit.source)
    target, target_data = _inline_2(w, unit.target) if unit.target is not None else ("", [])
    merged = dict(data)
    for key, value in target_data:  # a target's codes are the source's (same numbers)
        merged.setdefault(key, value)
    if merged:
        w.line(3, "<originalData>")
        for key, value in sorted(merged.items(), key=lambda item: int(item[0][1:])):
            w.element(4, "data", [("id", key)], value)
        w.line(3, "</originalData>")
    w.line(3, "<segment" + w.attrs([("id", "s1"), ("state", unit.state),
                                    ("subState", NEEDS_REVIEW if unit.needs_review else None)])
           + ">")
    w.element(4, "source", [], inline=source)
    if unit.target is not None:
        w.element(4, "target", [], inline=target)
    w.line(3, "</segment>")
    w.line(2, "</unit>")


def _inline_1(writer: _Writer, text: str) -> str:
    """XLIFF 1.2 content for canonical ``text``: tags as native code in bpt/ept/it/ph."""
    tokens = markup.tokenize(text)
    numbers, pairs, _unpaired = _pairing(tokens)
    closing = {close: opening for opening, close in pairs.items()}
    out: list[str] = []
    for index, token in enumerate(tokens):
        if not token.is_tag:
            out.append(writer.text(token.raw))
            continue
        number = numbers[index]
        ctype = _ctype(token)
        raw = writer.text(token.raw)
        if index in pairs:
            attrs = writer.attrs([("id", number), ("rid", number), ("ctype", ctype)])
            out.append(f"<bpt{attrs}>{raw}</bpt>")
        elif index in closing:
            opening = numbers[closing[index]]
            out.append(f"<ept{writer.attrs([('id', opening), ('rid', opening)])}>{raw}</ept>")
        elif token.kind in ("open", "close"):
            pos = "open" if token.kind == "open" else "close"
            attrs = writer.attrs([("id", number), ("pos", pos), ("ctype", ctype)])
            out.append(f"<it{attrs}>{raw}</it>")
        else:
            out.append(f"<ph{writer.attrs([('id', number)])}>{raw}</ph>")
    return "".join(out)


_CTYPES = {"b": "bold", "i": "italic", "u": "underlined", "font": "x-font"}


def _ctype(token: markup.Token) -> str:
    return _CTYPES.get(token.name, "x-tag")


def _write_1(w: _Writer, document: XliffDocument) -> None:
    w.line(0, f'<xliff xmlns="{XLIFF1}" version="1.2">')
    for xfile in document.files:
        w.line(1, "<file" + w.attrs([
            ("original", xfile.original), ("source-language", xfile.source_lang),
            ("target-language", xfile.target_lang), ("datatype", "x-subtitle"),
            ("tool-id", "subloc")]) + ">")
        w.line(2, "<header>")
        w.element(3, "note", [("from", "subloc-target")], xfile.target_path)
        for key, value in sorted(xfile.meta.items()):
            w.element(3, "note", [("from", f"subloc-{key}")], value)
        w.element(3, "tool", [("tool-id", "subloc"), ("tool-name", "subloc"),
                              ("tool-version", __version__)])
        w.line(2, "</header>")
        w.line(2, "<body>")
        for unit in xfile.units:
            _write_unit_1(w, unit)
        w.line(2, "</body>")
        w.line(1, "</file>")
    w.line(0, "</xliff>")


def _write_unit_1(w: _Writer, unit: Unit) -> None:
    approved = "yes" if unit.state in ("reviewed", "final") else None
    w.line(3, "<trans-unit" + w.attrs([
        ("id", unit.id), ("approved", approved), ("resname", _unit_name(unit)),
        ("size-unit", "char" if unit.size is not None else None),
        ("maxwidth", unit.size)]) + ">")
    w.element(4, "source", [], inline=_inline_1(w, unit.source))
    if unit.target is not None:
        state = "needs-review-translation" if unit.needs_review and unit.state == "translated" \
            else _STATE_2_TO_1[unit.state]
        w.element(4, "target", [("state", state)], inline=_inline_1(w, unit.target))
    w.line(4, '<context-group purpose="x-subloc">')
    for key, value in _meta_pairs(unit):
        w.element(5, "context", [("context-type", f"x-subloc-{key}")], value)
    w.line(4, "</context-group>")
    for entry in unit.glossary:
        translations = " | ".join(entry.translations) or "(do not translate)"
        text = f"{entry.term} → {translations}" + (f" ({entry.definition})"
                                                   if entry.definition else "")
        w.element(4, "note", [("from", "subloc-glossary"), ("annotates", "source")], text)
    for note in unit.notes:
        w.element(4, "note", [("from", note.category.replace(":", "-")),
                              ("priority", note.priority)], note.text)
    w.line(3, "</trans-unit>")


# --- reading ------------------------------------------------------------------------

def read_xliff(data: bytes, path: str) -> XliffDocument:
    """Parse an XLIFF 2.x or 1.2 document; :class:`~subloc.errors.ParseError` (with the
    line) for malformed XML, :class:`XliffError` for anything else subloc cannot take."""
    try:
        text = data.decode("utf-8-sig") if not data.startswith((b"\xff\xfe", b"\xfe\xff")) \
            else data.decode("utf-16")
    except UnicodeDecodeError as error:
        raise XliffError(f"is not UTF-8 or UTF-16 text ({error.reason} at byte "
                         f"{error.start}); is it an XLIFF file?", path=path) from None
    root = parse_xml(text, path)
    if root.tag == f"{{{XLIFF2}}}xliff":
        version = root.get("version", "")
        if not version.startswith("2."):
            raise XliffError(f"XLIFF version {version!r} in the 2.0 namespace; subloc reads "
                             "XLIFF 2.x and 1.2", path=path)
        return XliffDocument(version, list(_read_2(root, path)))
    if root.tag == f"{{{XLIFF1}}}xliff":
        return XliffDocument(root.get("version", "1.2"), list(_read_1(root, path)))
    if root.tag.endswith("}xliff") or root.tag == "xliff":
        raise XliffError("is an XLIFF version subloc does not read (it reads 2.x and 1.2, "
                         "in their namespaces); export it as XLIFF 2.1 or 1.2", path=path)
    raise XliffError(f"is not XLIFF (its root element is <{_local(root.tag)}>)", path=path)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def _read_2(root: ET.Element, path: str) -> Iterator[XliffFile]:
    source_lang = root.get("srcLang")
    target_lang = root.get("trgLang")
    if not source_lang or not target_lang:
        raise XliffError("the <xliff> element needs srcLang and trgLang", path=path)
    files = root.findall(_q(XLIFF2, "file"))
    if not files:
        raise XliffError("has no <file>", path=path)
    for element in files:
        meta = _meta_2(element)
        xfile = XliffFile(id=element.get("id", ""), original=element.get("original", ""),
                          target_path=meta.pop("target", ""), source_lang=source_lang,
                          target_lang=target_lang, meta=meta)
        _add_units(xfile, (_unit_2(unit, path) for unit in element.iter(_q(XLIFF2, "unit"))),
                   path)
        yield xfile


def _meta_2(element: ET.Element) -> dict[str, str]:
    """The ``subloc`` metadata group directly under ``element``."""
    found: dict[str, str] = {}
    metadata = element.find(_q(MDA, "metadata"))
    if metadata is None:
        return found
    for group in metadata.findall(_q(MDA, "metaGroup")):
        if group.get("category") != "subloc":
            continue
        for meta in group.findall(_q(MDA, "meta")):
            found[meta.get("type", "")] = "".join(meta.itertext()).strip()
    return found


def _add_units(xfile: XliffFile, units: Iterable[Unit], path: str) -> None:
    """Append ``units`` to ``xfile``, refusing a unit id seen twice."""
    seen: set[str] = set()
    for unit in units:
        if unit.id in seen:
            raise XliffError(f"unit {unit.id} appears twice", path=path)
        seen.add(unit.id)
        xfile.units.append(unit)


def _unit_2(element: ET.Element, path: str) -> Unit:
    unit_id = element.get("id")
    if not unit_id:
        raise XliffError("a <unit> has no id", path=path)
    where = f"unit {unit_id}"
    segments = element.findall(_q(XLIFF2, "segment"))
    if len(segments) != 1:
        raise XliffError(f"{where} has {len(segments)} segments; subloc writes one per unit "
                         "(do not split or join segments)", path=path)
    segment = segments[0]
    source_element = segment.find(_q(XLIFF2, "source"))
    if source_element is None:
        raise XliffError(f"{where} has no <source>", path=path)
    comments: list[str] = []
    source_inline = _content_2(source_element, comments, path, where)
    target_element = segment.find(_q(XLIFF2, "target"))
    target_inline = None if target_element is None else _content_2(target_element, comments,
                                                                      path, where)
    state = next((s for s in STATES if s == segment.get("state", "initial")), None)
    if state is None:
        raise XliffError(f"{where}: unknown state {segment.get('state')!r}", path=path)
    notes = element.find(_q(XLIFF2, "notes"))
    for note in notes.findall(_q(XLIFF2, "note")) if notes is not None else ():
        if not (note.get("category") or "").startswith(NOTE_PREFIX):
            text = " ".join("".join(note.itertext()).split())
            if text:
                comments.append(text)
    meta = _meta_2(element)
    unit = _unit_from_meta(unit_id, meta, path)
    unit.state = state
    unit.size = _size(element.get(_q(SLR, "sizeRestriction")))
    unit.needs_review = segment.get("subState") == NEEDS_REVIEW
    unit.comments = tuple(comments)
    unit.source_inline = source_inline
    unit.target_inline = target_inline
    unit.source_codes = _declared(source_inline)
    unit.source = plain_text(source_inline)
    unit.target = None if target_inline is None else plain_text(target_inline)
    return unit


def _size(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _declared(inline: Inline) -> tuple[tuple[str, str], ...]:
    """The codes of a source as (id, kind), in order (kinds as :class:`Code` has them)."""
    events: dict[str, list[str]] = {}
    order: list[str] = []
    for item in inline:
        if isinstance(item, CodeRef):
            if item.id not in events:
                order.append(item.id)
            events.setdefault(item.id, []).append(item.event)
    kinds = []
    for code_id in order:
        seen = events[code_id]
        kind = "pair" if seen == ["open", "close"] else (
            "ph" if seen == ["ph"] else seen[0])
        kinds.append((code_id, kind))
    return tuple(sorted(kinds, key=lambda item: _number(item[0])))


def _number(code_id: str) -> tuple[int, str]:
    return (int(code_id), "") if code_id.isdigit() else (1 << 30, code_id)


def _content_2(element: ET.Element, comments: list[str], path: str, where: str) -> Inline:
    out: Inline = []

    def walk(node: ET.Element) -> None:
        if node.text:
            out.append(node.text)
        for child in node:
            name = _local(child.tag)
            namespace = child.tag[1:].split("}", 1)[0] if child.tag.startswith("{") else ""
            if namespace != XLIFF2:
                raise XliffError(f"{where}: unexpected <{name}> inside the content", path=path)
            code_id = child.get("copyOf") or child.get("id") or ""
            if name == "pc":
                out.append(CodeRef("open", code_id, "pc"))
                walk(child)
                out.append(CodeRef("close", code_id, "pc"))
            elif name == "sc":
                out.append(CodeRef("open", code_id, "sc"))
            elif name == "ec":
                out.append(CodeRef("close", child.get("startRef") or code_id, "ec"))
            elif name == "ph":
                out.append(CodeRef("ph", code_id, "ph"))
            elif name == "cp":
                try:
                    out.append(chr(int(child.get("hex", ""), 16)))
                except ValueError:
                    raise XliffError(f"{where}: a <cp> with a bad hex value", path=path
                                     ) from None
            elif name == "mrk":
                if child.get("type") == "comment" and child.get("value"):
                    comments.append(" ".join(str(child.get("value")).split()))
                walk(child)
            elif name not in ("sm", "em"):
                raise XliffError(f"{where}: unexpected <{name}> inside the content",
                                 path=path)
            if child.tail:
                out.append(child.tail)

    walk(element)
    return out


def _unit_from_meta(unit_id: str, meta: dict[str, str], path: str) -> Unit:
    """A unit's identity from its metadata (2.1 ``mda:meta``, 1.2 ``context``)."""
    try:
        segment = int(meta["segment"]) if meta.get("segment") else None
        cues = tuple(int(cue) for cue in meta.get("cues", "").split())
        times = tuple((int(a), int(b)) for a, b in
                      (span.split("-", 1) for span in meta.get("times", "").split()))
        part = int(meta["part"]) if meta.get("part") else None
        confidence = float(meta["confidence"]) if meta.get("confidence") else None
    except ValueError:
        raise XliffError(f"unit {unit_id}: its subloc metadata (segment, cues, times) is "
                         "damaged; export the file again", path=path) from None
    return Unit(id=unit_id, source="", target=None, segment=segment, cues=cues, times=times,
                part=part, confidence=confidence, exported=meta.get("target-digest"))


def _read_1(root: ET.Element, path: str) -> Iterator[XliffFile]:
    files = root.findall(_q(XLIFF1, "file"))
    if not files:
        raise XliffError("has no <file>", path=path)
    for element in files:
        source_lang = element.get("source-language")
        target_lang = element.get("target-language")
        if not source_lang or not target_lang:
            raise XliffError("a <file> needs source-language and target-language", path=path)
        meta: dict[str, str] = {}
        header = element.find(_q(XLIFF1, "header"))
        for note in header.findall(_q(XLIFF1, "note")) if header is not None else ():
            origin = note.get("from") or ""
            if origin.startswith("subloc-"):
                meta[origin[len("subloc-"):]] = "".join(note.itertext()).strip()
        xfile = XliffFile(id=element.get("original", ""), original=element.get("original", ""),
                          target_path=meta.pop("target", ""), source_lang=source_lang,
                          target_lang=target_lang, meta=meta)
        _add_units(xfile, (_unit_1(unit, path) for unit in element.iter(_q(XLIFF1, "trans-unit"))),
                   path)
        yield xfile


_STATE_FROM_1 = _STATE_1_TO_2


def _unit_1(element: ET.Element, path: str) -> Unit:
    unit_id = element.get("id")
    if not unit_id:
        raise XliffError("a <trans-unit> has no id", path=path)
    where = f"unit {unit_id}"
    source_element = element.find(_q(XLIFF1, "source"))
    if source_element is None:
        raise XliffError(f"{where} has no <source>", path=path)
    comments: list[str] = []
    source_inline = _content_1(source_element, path, where)
    target_element = element.find(_q(XLIFF1, "target"))
    target_inline = None if target_element is None else _content_1(target_element, path,
                                                                      where)
    meta: dict[str, str] = {}
    for context in element.iterfind(f"{_q(XLIFF1, 'context-group')}/{_q(XLIFF1, 'context')}"):
        kind = context.get("context-type") or ""
        if kind.startswith("x-subloc-"):
            meta[kind[len("x-subloc-"):]] = "".join(context.itertext()).strip()
    for note in element.findall(_q(XLIFF1, "note")):
        if not (note.get("from") or "").startswith(NOTE_PREFIX):
            text = " ".join("".join(note.itertext()).split())
            if text:
                comments.append(text)
    unit = _unit_from_meta(unit_id, meta, path)
    raw_state = target_element.get("state", "") if target_element is not None else ""
    state: State = _STATE_FROM_1.get(raw_state, "translated" if raw_state else "initial")
    if element.get("approved") == "yes" and state in ("initial", "translated"):
        state = "reviewed"
    unit.state = state
    unit.size = _size(element.get("maxwidth")) if element.get("size-unit") == "char" else None
    unit.needs_review = raw_state == "needs-review-translation"
    unit.comments = tuple(comments)
    unit.source_inline = source_inline
    unit.target_inline = target_inline
    unit.source_codes = _declared(source_inline)
    unit.source = plain_text(source_inline)
    unit.target = None if target_inline is None else plain_text(target_inline)
    return unit


def _content_1(element: ET.Element, path: str, where: str) -> Inline:
    out: Inline = []

    def walk(node: ET.Element) -> None:
        if node.text:
            out.append(node.text)
        for child in node:
            name = _local(child.tag)
            code_id = child.get("rid") or child.get("id") or ""
            if name == "bpt":
                out.append(CodeRef("open", code_id, "bpt"))
            elif name == "ept":
                out.append(CodeRef("close", code_id, "ept"))
            elif name == "it":
                event: Literal["open", "close"] = "open" if child.get("pos") == "open" \
                    else "close"
                out.append(CodeRef(event, child.get("id") or "", "it"))
            elif name in ("ph", "x"):
                out.append(CodeRef("ph", child.get("id") or "", name))
            elif name == "g":
                out.append(CodeRef("open", child.get("id") or "", "g"))
                walk(child)
                out.append(CodeRef("close", child.get("id") or "", "g"))
            elif name == "mrk":
                walk(child)
            elif name in ("bx", "ex"):
                out.append(CodeRef("open" if name == "bx" else "close",
                                   child.get("rid") or child.get("id") or "", name))
            else:
                raise XliffError(f"{where}: unexpected <{name}> inside the content",
                                 path=path)
            if child.tail:
                out.append(child.tail)

    walk(element)
    return out


def is_xliff(data: bytes) -> bool:
    """Whether ``data`` looks like XML (the review loop's other format is JSON)."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return head == b"<"


__all__ = ["GLS", "MDA", "SLR", "VERSIONS", "XLIFF1", "XLIFF2", "Code", "CodeKind", "CodeRef",
           "GlossEntry", "Inline", "State", "Unit", "UnitNote", "XliffDocument", "XliffError",
           "XliffFile", "code_signature", "codes", "digest", "is_xliff", "plain_text",
           "read_xliff", "resolve", "write_xliff"]

"""TBX glossaries: read TBX-Basic v2 (``martif``) and TBX v3 (``tbx``), write either.

Reading maps both dialects onto :class:`subloc.glossary.model.Entry`:

- TBX-Basic v2 (ISO 30042:2008): ``martif/text/body/termEntry/langSet[@xml:lang]`` with
  terms in ``tig/term`` or ``ntig/termGrp/term``;
- TBX v3 (ISO 30042:2019): ``tbx/text/body/conceptEntry/langSec[@xml:lang]/termSec/term``,
  in DCA style (``termNote type="…"``, ``descrip type="…"``) or DCT style (data categories
  as namespaced elements such as ``<basic:administrativeStatus>``: the local name is the
  type).

One concept (``termEntry``/``conceptEntry``) gives entries for one language pair:

- the pair is the ``pair`` argument when given; else the one a subloc-written header
  declares (see below); else the document's languages when there are exactly two, the
  source being the root's ``xml:lang`` when it is one of them, else the language of the
  first ``langSet``/``langSec``. A concept with more languages, or a third language in the
  document, is an error that asks for a pair. Languages match case-insensitively, and
  ``en`` matches ``en-US``.
- target terms whose ``administrativeStatus`` (or ``normativeAuthorization``) is
  deprecated, superseded, forbidden or obsolete make one ``forbidden`` entry (source = the
  concept's source term, if any); the other target terms make one ``term`` entry, preferred
  term first, then the others in document order (synonyms).
- a concept whose ``note``, ``descrip``, ``termNote`` or ``admin`` text (at any level) says
  "do not translate" (also "DNT", "doNotTranslate") is ``dnt``; one whose such field has the
  value ``adapt`` (or ``adaptation``) is ``adapt``.
- ``note`` elements and ``descrip`` elements (definition, context, …; not ``subjectField``)
  of the concept and of its source and target languages are the entry's note, joined with
  ``"; "``; a field that is only a type marker ("DNT", "adapt") is not part of the note
  unless the type is explicit (``subloc-type``).
- one entry per source synonym (non-deprecated source terms, preferred first).
- concepts that cannot give a valid entry for the pair (no term in the source or target
  language) are skipped.

Custom data categories (subloc's own; a standard TBX tool ignores them). They may appear
as ``descrip``, ``termNote`` or ``admin`` with that ``type``, at any level of a concept:

- ``subloc-type``: ``term``, ``dnt``, ``forbidden`` or ``adapt``. When present it decides
  the type and nothing is inferred: ``forbidden`` takes the deprecated target terms (all
  target terms if none is deprecated); the other types take the non-deprecated ones.
- ``subloc-case-sensitive``: ``true`` or ``false`` (also yes/no, 1/0); default false;
- ``subloc-enforce``: ``mask``, ``verify`` or ``hint`` (default: by type and shape);
- ``subloc-context``: where the source counts (see :mod:`subloc.glossary.context`).

Plural forms of the targets are target terms with the TBX-Basic data category
``grammaticalNumber`` = ``plural`` (a ``termNote``): they become the entry's plurals, in
document order, not synonyms.

and, in the header's ``sourceDesc``, ``<p type="subloc-source-language">`` and
``<p type="subloc-target-language">`` declare the glossary's pair (so a file whose concepts
are all one-language ``dnt`` entries still knows its target language).

Writing emits one concept per entry (ids ``c1``, ``c2``…), with ``subloc-type`` always and
``subloc-case-sensitive`` when true, ``subloc-enforce`` and ``subloc-context`` when set, as
concept-level ``descrip``, the note as a concept-level ``note``, the source term
``preferredTerm-admn-sts``, the first target ``preferredTerm-admn-sts`` and the others
``admittedTerm-admn-sts`` (``forbidden`` targets: ``deprecatedTerm-admn-sts``), then the
plural forms, ``admittedTerm-admn-sts`` with ``grammaticalNumber`` ``plural``. The
structure follows the v2 core DTD and the v3 core RNG (auxiliary information before language
sections, ``term`` then ``termNote`` then the rest);
the custom categories are outside the TBX-Basic data category set.

Safety: parsing goes through :func:`subloc.io.xmlsafe.parse_xml` (no DTD, no entities), so an
entity bomb or an external entity is a :class:`ParseError` naming the file and line. The one
exception made here: the bare external DOCTYPE that TBX-Basic v2 files often carry
(``<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">``, no internal subset) is blanked
out before parsing; it is never fetched. Anything else in a DOCTYPE is refused.
"""

from __future__ import annotations

import functools
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from subloc.errors import DecodeError, InputError, OutputError, ParseError
from subloc.glossary.context import ContextError, parse_context
from subloc.glossary.model import ENFORCE, TYPES, Entry, Glossary, parse_bool
from subloc.io.xmlsafe import INVALID_XML_CHAR, parse_xml

__all__ = ["parse_tbx", "read_tbx", "write_tbx"]

log = logging.getLogger(__name__)

TBX3_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

TYPE_FIELD = "subloc-type"
CASE_FIELD = "subloc-case-sensitive"
ENFORCE_FIELD = "subloc-enforce"
CONTEXT_FIELD = "subloc-context"
NUMBER_FIELD = "grammaticalnumber"
SOURCE_LANG_FIELD = "subloc-source-language"
TARGET_LANG_FIELD = "subloc-target-language"

_CONCEPTS = {"termEntry", "conceptEntry"}
_LANG_SECTIONS = {"langSet", "langSec"}
_TERM_SECTIONS = {"tig", "ntig", "termSec"}
_FIELDS = {"note", "descrip", "termNote", "admin"}
_GROUPS = {"termGrp", "descripGrp", "adminGrp", "termNoteGrp"}
_STATUS_TYPES = {"administrativestatus", "normativeauthorization"}
_NOT_NOTES = {"subjectfield"}
_DCT_NOTES = {"definition", "context", "note"}
_DEPRECATED = {"deprecated", "superseded", "forbidden", "obsolete"}
_DNT = re.compile(r"\bdo\s*-?\s*not\s*-?\s*translate\b|\bdon'?t\s+translate\b|\bDNT\b",
                  re.IGNORECASE)
_DNT_ONLY = re.compile(rf"^(?:{_DNT.pattern})[\s.!]*$", re.IGNORECASE)
_ADAPT = {"adapt", "adaptation"}
# TBX-Basic v2 files often start with this DOCTYPE; it is only a pointer to a DTD we never
# load. Matched only in the prolog and only without an internal subset.
_QUOTED = r"""(?:"[^"<>\[\]]*"|'[^'<>\[\]]*')"""
_EXTERNAL_DOCTYPE = re.compile(
    r"\A(?P<prolog>\ufeff?(?:<\?xml[^>]*\?>)?(?:\s|<!--(?:(?!-->).)*-->|<\?(?:(?!\?>).)*\?>)*)"
    rf"(?P<doctype><!DOCTYPE\s+(?:martif|tbx)\s+(?:SYSTEM\s+{_QUOTED}|PUBLIC\s+{_QUOTED}\s+"
    rf"{_QUOTED})\s*>)",
    re.DOTALL,
)
_XML_DECL_ENCODING = re.compile(rb"""\A<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


# --------------------------------------------------------------------------- reading


@dataclass
class _Field:
    kind: str  # note, descrip, termNote, admin, or dct (a namespaced data category)
    type: str
    text: str
    line: int


@dataclass
class _Term:
    text: str = ""
    line: int = 0
    fields: list[_Field] = field(default_factory=list)

    @property
    def status(self) -> str:
        """``preferred``, ``deprecated`` or ``admitted`` (also for no status at all)."""
        for item in self.fields:
            if item.type.lower() in _STATUS_TYPES:
                value = item.text.strip().lower().removesuffix("-admn-sts")
                value = value.removesuffix("term")
                if value == "preferred":
                    return "preferred"
                if value in _DEPRECATED:
                    return "deprecated"
        return "admitted"

    @property
    def plural(self) -> bool:
        """``grammaticalNumber`` says ``plural``."""
        return any(item.type.lower() == NUMBER_FIELD and item.text.strip().lower() == "plural"
                   for item in self.fields)


@dataclass
class _Concept:
    line: int
    terms: dict[str, list[_Term]] = field(default_factory=dict)  # language -> terms
    fields: list[tuple[str | None, _Field]] = field(default_factory=list)  # (language, field)

    def languages(self) -> list[str]:
        return [lang for lang, terms in self.terms.items() if terms]


@functools.lru_cache(maxsize=512)
def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _text(element: ET.Element) -> str:
    return "".join(element.itertext()).strip()


def _line_numbers(text: str, root: ET.Element) -> dict[ET.Element, int]:
    """Map every element of ``root`` (already parsed safely from ``text``) to its line.

    A second expat pass that only records where each element starts; it sees the same
    document parse_xml accepted (no DTD, no entities), in the same order as ``root.iter()``.
    """
    lines: list[int] = []
    parser = expat.ParserCreate(namespace_separator="}")

    def start(_tag: str, _attrs: dict[str, str]) -> None:
        lines.append(parser.CurrentLineNumber)

    def refuse(*_args: object) -> None:  # parse_xml refused these already; belt and braces
        raise ValueError("unexpected DTD content")

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.Parse(text.lstrip("\ufeff"), True)
    elements = list(root.iter())
    if len(elements) != len(lines):  # pragma: no cover - the two parses see the same text
        return {}
    return dict(zip(elements, lines, strict=True))


def _blank_external_doctype(text: str) -> str:
    match = _EXTERNAL_DOCTYPE.match(text)
    if match is None:
        return text
    doctype = match.group("doctype")
    return text[: match.start("doctype")] + "\n" * doctype.count("\n") + text[match.end():]


def _walk(element: ET.Element, concept: _Concept, lang: str | None, term: _Term | None,
          lines: dict[ET.Element, int], origin: str) -> None:
    for child in element:
        if not isinstance(child.tag, str):  # comments, processing instructions
            continue
        namespace, name = _local(child.tag)
        line = lines.get(child, concept.line)
        if namespace not in ("", TBX3_NS):  # TBX v3 DCT style: <basic:termType>…
            _add_field(concept, lang, term, _Field("dct", name, _text(child), line))
        elif name in _LANG_SECTIONS:
            child_lang = child.get(XML_LANG) or child.get("lang")
            if not child_lang:
                raise ParseError(f"<{name}> without xml:lang; every language section needs "
                                 "its language", path=origin, line=line)
            key = _same_key(concept.terms, child_lang)
            concept.terms.setdefault(key, [])
            _walk(child, concept, key, None, lines, origin)
        elif name in _TERM_SECTIONS:
            section = _Term(line=line)
            _walk(child, concept, lang, section, lines, origin)
            _add_term(concept, lang, section, name, origin)
        elif name == "term":
            if term is None:  # a bare <term> in a language section: its own term section
                bare = _Term(text=_text(child), line=line)
                _add_term(concept, lang, bare, name, origin)
            else:
                term.text, term.line = _text(child), line
        elif name in _FIELDS:
            _add_field(concept, lang, term, _Field(name, child.get("type", ""), _text(child),
                                                   line))
        elif name in _GROUPS:
            _walk(child, concept, lang, term, lines, origin)
        # anything else (transacGrp, ref, xref, hi outside a term…) carries nothing we use


def _same_key(terms: dict[str, list[_Term]], lang: str) -> str:
    """The spelling already used for ``lang`` in this concept (case-insensitive)."""
    for known in terms:
        if known.lower() == lang.lower():
            return known
    return lang


def _add_term(concept: _Concept, lang: str | None, term: _Term, name: str,
              origin: str) -> None:
    if lang is None:
        raise ParseError(f"<{name}> outside a language section (langSet/langSec)",
                         path=origin, line=term.line)
    if term.text:
        concept.terms[lang].append(term)


def _add_field(concept: _Concept, lang: str | None, term: _Term | None, item: _Field) -> None:
    if term is not None:
        term.fields.append(item)
    else:
        concept.fields.append((lang, item))


def _concepts(root: ET.Element, lines: dict[ET.Element, int], origin: str) -> list[_Concept]:
    concepts = []
    for element in root.iter():
        if isinstance(element.tag, str) and _local(element.tag)[1] in _CONCEPTS:
            concept = _Concept(line=lines.get(element, 0))
            _walk(element, concept, None, None, lines, origin)
            concepts.append(concept)
    return concepts


def _header_pair(root: ET.Element) -> tuple[str, str] | None:
    found: dict[str, str] = {}
    headers = [child for child in root if _local(child.tag)[1] in ("martifHeader", "tbxHeader")]
    for element in (item for header in headers for item in header.iter()):
        if _local(element.tag)[1] == "p":
            kind = element.get("type", "")
            if kind in (SOURCE_LANG_FIELD, TARGET_LANG_FIELD) and _text(element):
                found.setdefault(kind, _text(element))
    if SOURCE_LANG_FIELD in found and TARGET_LANG_FIELD in found:
        return found[SOURCE_LANG_FIELD], found[TARGET_LANG_FIELD]
    return None


def _pick(languages: Iterable[str], wanted: str, exclude: str | None = None) -> str | None:
    """The language in ``languages`` that is ``wanted``: the same tag (any case) first,
    else one that shares its prefix (``en`` ~ ``en-US``)."""
    candidates = [lang for lang in languages if lang != exclude]
    norm = wanted.lower().replace("_", "-")
    for lang in candidates:
        if lang.lower().replace("_", "-") == norm:
            return lang
    for lang in candidates:
        other = lang.lower().replace("_", "-")
        if other.startswith(norm + "-") or norm.startswith(other + "-"):
            return lang
    return None


def _document_pair(concepts: list[_Concept], root_lang: str | None,
                   origin: str) -> tuple[str, str]:
    """Infer the pair from the languages the concepts use (no pair given or declared)."""
    seen: list[str] = []
    first_pair: list[str] | None = None
    for concept in concepts:
        languages = concept.languages()
        if len(languages) > 2:
            raise ParseError(f"concept on line {concept.line} has languages "
                             f"{', '.join(languages)}; pass a pair", path=origin,
                             line=concept.line)
        for lang in languages:
            if all(lang.lower() != known.lower() for known in seen):
                seen.append(lang)
        if len(seen) > 2:
            raise ParseError(f"concept on line {concept.line} has languages "
                             f"{', '.join(languages)}, and the file has {', '.join(seen)}; "
                             "pass a pair", path=origin, line=concept.line)
        if first_pair is None and len(languages) == 2:
            first_pair = languages
    source = _pick(seen, root_lang) if root_lang else None
    if len(seen) == 2:
        if source is not None:
            return source, seen[1] if seen[0] == source else seen[0]
        # the first concept with both languages orders them; else the order they appear in
        return (first_pair[0], first_pair[1]) if first_pair else (seen[0], seen[1])
    if len(seen) == 1:
        # one language: the root's xml:lang is the other one when it differs
        return (seen[0], "und") if source is not None or not root_lang else (root_lang, seen[0])
    return root_lang or "und", "und"


def _field_texts(concept: _Concept, source: str | None,
                 target: str | None) -> Iterator[_Field]:
    """Every field of the concept that belongs to it or to the pair's languages."""
    wanted = {lang for lang in (source, target) if lang is not None}
    for lang, item in concept.fields:
        if lang is None or lang in wanted:
            yield item
    for lang in (source, target):
        if lang is None:
            continue
        for term in concept.terms.get(lang, []):
            yield from term.fields


def _entries(concept: _Concept, source_lang: str, target_lang: str,
             origin: str) -> list[Entry]:
    source = _pick(concept.terms, source_lang)
    target = _pick(concept.terms, target_lang, exclude=source)
    fields = list(_field_texts(concept, source, target))

    explicit: str | None = None
    case_sensitive = False
    enforce = context = ""
    dnt = adapt = False
    notes: list[tuple[str, bool]] = []  # (text, only a type marker)
    for item in fields:
        kind = item.type.lower()
        value = item.text.strip()
        if kind == TYPE_FIELD:
            if value.lower() not in TYPES:
                raise ParseError(f"{TYPE_FIELD} {value!r} is not one of {', '.join(TYPES)}",
                                 path=origin, line=item.line)
            explicit = explicit or value.lower()
            continue
        if kind == CASE_FIELD:
            flag = parse_bool(value)
            if flag is None or not value:
                raise ParseError(f"{CASE_FIELD} must be true or false, not {value!r}",
                                 path=origin, line=item.line)
            case_sensitive = flag
            continue
        if kind == ENFORCE_FIELD:
            if value.lower() not in ENFORCE:
                raise ParseError(f"{ENFORCE_FIELD} {value!r} is not one of "
                                 f"{', '.join(ENFORCE)}", path=origin, line=item.line)
            enforce = value.lower()
            continue
        if kind == CONTEXT_FIELD:
            try:
                parse_context(value)
            except ContextError as error:
                raise ParseError(f"{CONTEXT_FIELD}: {error}", path=origin,
                                 line=item.line) from None
            context = value
            continue
        if kind in _STATUS_TYPES or kind.startswith("subloc-"):
            continue
        marker = False
        if _DNT.search(value):
            dnt = True
            marker = bool(_DNT_ONLY.match(value))
        if value.lower() in _ADAPT:
            adapt = marker = True
        is_note = (item.kind == "note" or (item.kind == "descrip" and kind not in _NOT_NOTES)
                   or (item.kind == "dct" and kind in _DCT_NOTES))
        if is_note and value and (value, marker) not in notes:
            notes.append((value, marker))
    # a marker note ("DNT", "adapt") made the type; with an explicit type it is a note
    note = "; ".join(text for text, marker in notes if explicit or not marker)

    def ranked(terms: list[_Term]) -> list[str]:
        preferred = [t.text for t in terms if t.status == "preferred"]
        return preferred + [t.text for t in terms if t.status != "preferred"]

    source_terms = concept.terms.get(source, []) if source else []
    target_terms = concept.terms.get(target, []) if target else []
    sources = ranked([t for t in source_terms if t.status != "deprecated"])
    good = tuple(ranked([t for t in target_terms
                         if t.status != "deprecated" and not t.plural]))
    plurals = tuple(ranked([t for t in target_terms if t.status != "deprecated" and t.plural]))
    bad = tuple(t.text for t in target_terms if t.status == "deprecated")

    def make(kind: str, src: str, targets: tuple[str, ...]) -> Entry:
        forms = plurals if kind in ("term", "adapt") else ()
        return Entry(source=src, targets=targets, type=kind, case_sensitive=case_sensitive,
                     note=note, origin=origin, line=concept.line,
                     enforce=enforce if kind != "forbidden" else "", context=context,
                     plurals=forms)

    entries: list[Entry] = []
    if explicit != "forbidden":
        kind = explicit or ("dnt" if dnt else "adapt" if adapt else "term")
        if kind == "dnt" or good:
            entries += [make(kind, src, good) for src in sources]
    if explicit == "forbidden" or (explicit is None and bad):
        forbidden = bad or good
        if forbidden:
            entries.append(make("forbidden", sources[0] if sources else "", forbidden))
    if not entries:
        log.debug("%s:%s: concept has nothing for %s-%s; skipped", origin, concept.line,
                  source_lang, target_lang)
    return entries


def parse_tbx(text: str, *, origin: str = "<memory>",
              pair: tuple[str, str] | None = None) -> Glossary:
    """Parse a TBX-Basic v2 (``martif``) or TBX v3 (``tbx``) glossary.

    ``pair`` (source, target) selects the languages of a multilingual file; without it the
    file's own pair is used (see the module docstring). Raises :class:`ParseError` (with
    ``path`` = ``origin`` and the line) for unsafe or malformed XML, a root that is not TBX,
    or a multilingual file without ``pair``.
    """
    text = _blank_external_doctype(text)
    root = parse_xml(text, origin)
    lines = _line_numbers(text, root)
    namespace, name = _local(root.tag)
    if name not in ("martif", "tbx") or namespace not in ("", TBX3_NS):
        raise ParseError(f"not a TBX file: the root element is <{name}>; expected <martif> "
                         "(TBX-Basic) or <tbx> (TBX v3)", path=origin, line=lines.get(root))
    concepts = _concepts(root, lines, origin)
    declared = pair or _header_pair(root)
    if declared is not None:
        source_lang, target_lang = declared
    else:
        source_lang, target_lang = _document_pair(concepts, root.get(XML_LANG), origin)
    glossary = Glossary(source_lang, target_lang, origin=origin)
    for concept in concepts:
        glossary.entries.extend(_entries(concept, source_lang, target_lang, origin))
    return glossary


def _decode(data: bytes, path: Path) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        declared = _XML_DECL_ENCODING.match(data)
        encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        return data.decode(encoding)
    except LookupError:
        raise DecodeError(f"the XML declaration names an unknown encoding {encoding!r}",
                          path=path) from None
    except UnicodeDecodeError as error:
        raise DecodeError(f"cannot decode the TBX file as {encoding}: {error}; save it as "
                          "UTF-8", path=path) from None


def read_tbx(path: Path, pair: tuple[str, str] | None = None) -> Glossary:
    """Read a TBX glossary file (UTF-8, UTF-16 with BOM, or the encoding it declares)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read glossary: {error.strerror or error}", path=path) from None
    return parse_tbx(_decode(data, path), origin=str(path), pair=pair)


# --------------------------------------------------------------------------- writing


def _escape(value: str, *, attribute: bool = False) -> str:
    value = (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
             .replace("\r", "&#13;"))
    if attribute:
        value = value.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return value


def _check(entry: Entry, number: int) -> None:
    where = f"glossary entry {number} ({entry.source or entry.target!r})"
    for value in (entry.source, entry.note, entry.context, *entry.targets, *entry.plurals):
        bad = INVALID_XML_CHAR.search(value)
        if bad:
            raise OutputError(f"{where} contains U+{ord(bad.group()):04X}, which XML cannot "
                              "hold; remove it", path=entry.origin or None, line=entry.line)
    if entry.type not in TYPES:
        raise OutputError(f"{where} has unknown type {entry.type!r}",
                          path=entry.origin or None, line=entry.line)
    if entry.enforce and entry.enforce not in ENFORCE:
        raise OutputError(f"{where} has unknown enforce {entry.enforce!r}",
                          path=entry.origin or None, line=entry.line)
    targets = [target for target in entry.targets if target]
    if entry.type != "forbidden" and not entry.source:
        raise OutputError(f"{where}: a {entry.type} entry needs a source",
                          path=entry.origin or None, line=entry.line)
    if entry.type in ("term", "adapt", "forbidden") and not targets:
        raise OutputError(f"{where}: a {entry.type} entry needs a target",
                          path=entry.origin or None, line=entry.line)


def write_tbx(glossary: Glossary, *, version: int = 3) -> str:
    """Write ``glossary`` as TBX v3 (``version=3``, ``tbx`` root, TBX-Basic dialect, DCA
    style) or TBX-Basic v2 (``version=2``, ``martif`` root). Deterministic; :func:`parse_tbx`
    reads it back to the same entries and pair. Raises :class:`OutputError` for an entry
    TBX cannot represent (a character XML 1.0 forbids, a missing source or target) or a
    glossary whose two languages are the same (``und``-``und`` when the CSV named none)."""
    if version not in (2, 3):
        raise ValueError(f"TBX version must be 2 or 3, not {version!r}")
    if glossary.source_lang.lower() == glossary.target_lang.lower():
        raise OutputError(f"the glossary's languages are {glossary.source_lang}-"
                          f"{glossary.target_lang}; TBX needs two different languages (name "
                          "the CSV like en-es.csv or add src_lang,tgt_lang columns)",
                          path=glossary.origin or None)
    v3 = version == 3
    concept_tag, lang_tag, term_tag = (("conceptEntry", "langSec", "termSec") if v3
                                       else ("termEntry", "langSet", "tig"))
    source_lang, target_lang = glossary.source_lang, glossary.target_lang
    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>']
    root_lang = _escape(source_lang, attribute=True)
    if v3:
        out.append(f'<tbx type="TBX-Basic" style="dca" xml:lang="{root_lang}" xmlns="{TBX3_NS}">')
        out.append("  <tbxHeader>")
    else:
        out.append(f'<martif type="TBX-Basic" xml:lang="{root_lang}">')
        out.append("  <martifHeader>")
    out += [
        "    <fileDesc>",
        "      <sourceDesc>",
        "        <p>Glossary written by subloc.</p>",
        f'        <p type="{SOURCE_LANG_FIELD}">{_escape(source_lang)}</p>',
        f'        <p type="{TARGET_LANG_FIELD}">{_escape(target_lang)}</p>',
        "      </sourceDesc>",
        "    </fileDesc>",
    ]
    if v3:
        out.append("  </tbxHeader>")
    else:
        out += ["    <encodingDesc>",
                '      <p type="XCSURI">TBXBasicXCSV02.xcs</p>',
                "    </encodingDesc>",
                "  </martifHeader>"]
    out.append("  <text>")
    out.append("    <body>")

    def language(lang: str, terms: list[tuple[str, str]], plurals: tuple[str, ...] = ()
                 ) -> None:
        out.append(f'        <{lang_tag} xml:lang="{_escape(lang, attribute=True)}">')
        for term, status in [*terms, *((p, "plural") for p in plurals)]:
            out.append(f"          <{term_tag}>")
            out.append(f"            <term>{_escape(term)}</term>")
            out.append('            <termNote type="administrativeStatus">'
                       f"{'admitted' if status == 'plural' else status}Term-admn-sts"
                       "</termNote>")
            if status == "plural":
                out.append('            <termNote type="grammaticalNumber">plural</termNote>')
            out.append(f"          </{term_tag}>")
        out.append(f"        </{lang_tag}>")

    for number, entry in enumerate(glossary.entries, start=1):
        _check(entry, number)
        targets = [target for target in entry.targets if target]
        out.append(f'      <{concept_tag} id="c{number}">')
        out.append(f'        <descrip type="{TYPE_FIELD}">{entry.type}</descrip>')
        if entry.case_sensitive:
            out.append(f'        <descrip type="{CASE_FIELD}">true</descrip>')
        if entry.enforce and entry.type != "forbidden":
            out.append(f'        <descrip type="{ENFORCE_FIELD}">{entry.enforce}</descrip>')
        if entry.context:
            out.append(f'        <descrip type="{CONTEXT_FIELD}">{_escape(entry.context)}'
                       "</descrip>")
        if entry.note:
            out.append(f"        <note>{_escape(entry.note)}</note>")
        if entry.source:
            language(source_lang, [(entry.source, "preferred")])
        if targets:
            if entry.type == "forbidden":
                statuses = ["deprecated"] * len(targets)
            else:
                statuses = ["preferred"] + ["admitted"] * (len(targets) - 1)
            plurals = entry.plurals if entry.type in ("term", "adapt") else ()
            language(target_lang, list(zip(targets, statuses, strict=True)), plurals)
        out.append(f"      </{concept_tag}>")
    out += ["    </body>", "  </text>", "</tbx>" if v3 else "</martif>", ""]
    return "\n".join(out)

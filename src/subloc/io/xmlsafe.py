"""Safe XML for subloc: parsing untrusted files (TTML, TBX) with no DTDs and no entities,
and the one policy for characters XML 1.0 cannot carry when writing.

Refusing DOCTYPE and ENTITY declarations outright rules out entity expansion bombs
("billion laughs"), external entities and external DTD fetches, without a dependency.

XML 1.0 cannot carry the C0 control characters other than tab, line feed and carriage
return, lone surrogates, U+FFFE and U+FFFF (:data:`INVALID_XML_CHAR`). Writers replace
each of them with U+FFFD (:func:`replace_invalid_xml_chars`) and say so; they never drop
them silently.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any
from xml.parsers import expat

from subloc.errors import ParseError

#: One character XML 1.0 cannot carry (everything outside its ``Char`` production).
INVALID_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: What :func:`replace_invalid_xml_chars` writes instead: U+FFFD REPLACEMENT CHARACTER.
REPLACEMENT_CHAR = "\ufffd"


def replace_invalid_xml_chars(text: str) -> tuple[str, int]:
    """``text`` with every character XML 1.0 cannot carry replaced by U+FFFD, and how
    many were replaced (so the caller can warn: the content changed)."""
    return INVALID_XML_CHAR.subn(REPLACEMENT_CHAR, text)


class _Forbidden(Exception):
    def __init__(self, what: str, line: int) -> None:
        super().__init__(what)
        self.what = what
        self.line = line


def parse_xml(text: str, path: str) -> ET.Element:
    """Parse ``text`` into an ElementTree element, refusing DOCTYPE and entity declarations.

    Subtitle XML never needs a DTD; refusing it outright rules out entity expansion bombs
    ("billion laughs"), external entities and external DTD fetches. Errors are
    :class:`ParseError` with the line number expat reports.
    """
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")

    def fix(name: str) -> str:
        return "{" + name if "}" in name else name

    def forbid(what: str) -> Callable[..., None]:
        def handler(*_args: Any) -> None:
            raise _Forbidden(what, parser.CurrentLineNumber)

        return handler

    def external(*_args: Any) -> int:
        raise _Forbidden("an external entity reference", parser.CurrentLineNumber)

    def start(tag: str, attrs: dict[str, str]) -> None:
        builder.start(fix(tag), {fix(key): value for key, value in attrs.items()})

    def end(tag: str) -> None:
        builder.end(fix(tag))

    parser.StartDoctypeDeclHandler = forbid("a DOCTYPE declaration")
    parser.EntityDeclHandler = forbid("an ENTITY declaration")
    parser.ExternalEntityRefHandler = external
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        parser.Parse(text.lstrip("\ufeff"), True)
    except _Forbidden as exc:
        raise ParseError(
            f"the XML contains {exc.what}, which subtitle and glossary files never need and "
            "subloc refuses (entity expansion and external entities are unsafe); remove it",
            path=path,
            line=exc.line,
        ) from None
    except expat.ExpatError as exc:
        reason = expat.ErrorString(exc.code) if exc.code else str(exc)
        raise ParseError(
            f"malformed XML ({reason}, column {exc.offset + 1}); fix the file or export it again",
            path=path,
            line=exc.lineno,
        ) from None
    root: ET.Element = builder.close()
    return root

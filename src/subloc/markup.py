"""subloc's canonical inline markup, shared by every reader and writer.

Canonical tags are the SRT/HTML subset every subtitle tool understands::

    <i>…</i>  <b>…</b>  <u>…</u>  <font color="#rrggbb">…</font>

Tags of a source format that have no canonical form are kept verbatim in the text
(WebVTT ``<c.yellow>``, ``<lang en>``, ``<ruby>``; ASS ``{\\fad(200,0)}``), so a file
written back to its own format loses nothing; writers of other formats drop them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The canonical formatting tags; writers map these to their own syntax.
CANONICAL = ("i", "b", "u", "font")

_TAG = re.compile(
    r"""
    (?P<html></?(?P<name>[A-Za-z][\w.-]*|v|c|lang|ruby|rt)(?:[ \t.][^<>\n]*)?>)
    | (?P<ass>\{\\[^{}\n]*\})
    | (?P<ts><\d+:\d{2}:\d{2}\.\d{3}>|<\d{2}:\d{2}\.\d{3}>)
    """,
    re.VERBOSE,
)
_COLOR_ATTR = re.compile(r"""color\s*=\s*["']?\s*(#?[0-9A-Za-z]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Token:
    """A run of text or one tag. ``kind`` is ``text``, ``open``, ``close`` or ``other``."""

    kind: str
    raw: str
    name: str = ""

    @property
    def is_tag(self) -> bool:
        return self.kind != "text"


def tokenize(text: str) -> list[Token]:
    """Split text into text runs and tags, keeping every character (``"".join(raw)``)."""
    tokens: list[Token] = []
    pos = 0
    for match in _TAG.finditer(text):
        if match.start() > pos:
            tokens.append(Token("text", text[pos : match.start()]))
        raw = match.group(0)
        if match.group("html"):
            name = (match.group("name") or "").lower().split(".")[0]
            tokens.append(Token("close" if raw.startswith("</") else "open", raw, name))
        else:
            tokens.append(Token("other", raw))
        pos = match.end()
    if pos < len(text):
        tokens.append(Token("text", text[pos:]))
    return tokens


def strip_tags(text: str) -> str:
    """The displayed text: every tag removed."""
    if "<" not in text and "{" not in text:
        return text  # most subtitle lines: skip the regex
    return _TAG.sub("", text)


def has_tags(text: str) -> bool:
    return _TAG.search(text) is not None


def font_color(raw_tag: str) -> str | None:
    """The ``#rrggbb`` colour of a ``<font color=…>`` tag, or ``None``."""
    match = _COLOR_ATTR.search(raw_tag)
    if not match:
        return None
    return match.group(1).lower()


def unbalanced_tags(text: str) -> list[str]:
    """Names of canonical tags that are opened and not closed, or closed and not opened."""
    stack: list[str] = []
    stray: list[str] = []
    for token in tokenize(text):
        if token.name not in CANONICAL:
            continue
        if token.kind == "open":
            stack.append(token.name)
        elif token.kind == "close":
            if token.name in stack:
                # Close the innermost matching tag; tags crossing each other still balance.
                del stack[len(stack) - 1 - stack[::-1].index(token.name)]
            else:
                stray.append(token.name)
    return stray + stack


def char_units(text: str) -> list[str]:
    """The characters of ``text``, each with the tags just before it glued on (trailing
    tags go with the last character): the units of scripts written without spaces."""
    units: list[str] = []
    pending = ""
    for token in tokenize(text):
        if token.is_tag:
            pending += token.raw
            continue
        for char in token.raw:
            units.append(pending + char)
            pending = ""
    if pending:
        if units:
            units[-1] += pending
        else:
            units.append(pending)
    return units


def keep_only(text: str, allowed: tuple[str, ...]) -> str:
    """Drop every tag whose name is not in ``allowed`` (foreign tags included)."""
    return "".join(
        token.raw
        for token in tokenize(text)
        if token.kind == "text" or (token.kind in ("open", "close") and token.name in allowed)
    )


#: Colour names subtitle files use (HTML/CSS names; TTML's named colours are among them).
_COLOR_NAMES = {
    "black": "#000000",
    "silver": "#c0c0c0",
    "gray": "#808080",
    "grey": "#808080",
    "white": "#ffffff",
    "maroon": "#800000",
    "red": "#ff0000",
    "purple": "#800080",
    "fuchsia": "#ff00ff",
    "magenta": "#ff00ff",
    "green": "#008000",
    "lime": "#00ff00",
    "olive": "#808000",
    "yellow": "#ffff00",
    "navy": "#000080",
    "blue": "#0000ff",
    "teal": "#008080",
    "aqua": "#00ffff",
    "cyan": "#00ffff",
    "orange": "#ffa500",
    "pink": "#ffc0cb",
    "brown": "#a52a2a",
    "gold": "#ffd700",
    "violet": "#ee82ee",
    "lightgray": "#d3d3d3",
    "lightgrey": "#d3d3d3",
    "darkgray": "#a9a9a9",
    "darkgrey": "#a9a9a9",
    "lightblue": "#add8e6",
    "lightgreen": "#90ee90",
    "lightyellow": "#ffffe0",
    "darkred": "#8b0000",
    "darkblue": "#00008b",
    "darkgreen": "#006400",
}
_HEX_COLOR = re.compile(r"#?([0-9a-f]{6})|#([0-9a-f]{6})[0-9a-f]{2}|#([0-9a-f]{3})")


def normalize_color(value: str | None) -> str | None:
    """The canonical ``#rrggbb`` (lowercase) for a colour value, or ``None``.

    Understands the colour names above, ``#rgb``, ``#rrggbb``, bare ``rrggbb`` and
    ``#rrggbbaa`` (the alpha is dropped), in any case; surrounding whitespace and then
    surrounding quotes are ignored. Anything else (``transparent``, ``rgb(…)``, ``#12``)
    is ``None``: the colour is not understood.
    """
    if not value:
        return None
    value = value.strip().strip("\"'").lower()
    named = _COLOR_NAMES.get(value)
    if named is not None:
        return named
    match = _HEX_COLOR.fullmatch(value)
    if match is None:
        return None
    six, with_alpha, three = match.groups()
    return "#" + (six or with_alpha or "".join(digit * 2 for digit in three))

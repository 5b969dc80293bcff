"""What the line-based writers (MicroDVD, MPL2, TMPlayer, and SAMI where it applies) share.

:func:`analyse_lines` finds out which formatting covers a whole line and which only part
of one; :func:`writable_lines` does what every line-format writer does first with a cue
(U+2028/U+2029 become line breaks, drop blank lines, warn for what the format cannot
carry, keep ``|`` out of the text);
:func:`loss_messages` words the warning for what a format cannot carry.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from subloc import markup
from subloc.formats.base import WriteContext
from subloc.track import Cue

#: The Unicode line and paragraph separators: line breaks, in a cue's text as in a file.
_SEPARATORS = re.compile("[\u2028\u2029]")
#: Formatting a line can carry, in the order tags are opened: style letters, then colour.
STYLE_ORDER = ("i", "b", "u")
_LOSS_NAMES = {"i": "italics", "b": "bold", "u": "underline"}


@dataclass(frozen=True)
class LineFormat:
    """One canonical line taken apart.

    ``plain`` is the displayed text; ``whole`` the formatting covering all of its visible
    text (``"i"``, ``"b"``, ``"u"`` and at most one ``"#rrggbb"`` colour); ``partial``
    the formatting covering only part of it.
    """

    plain: str
    whole: frozenset[str]
    partial: frozenset[str]


def analyse_lines(lines: list[str]) -> tuple[list[LineFormat], list[str]]:
    """The lines' formatting and the foreign tags (raw, deduplicated) they hold.

    Tags may span lines (``<i>one`` / ``two</i>``); whitespace-only text does not count
    when deciding whether formatting covers a whole line. A ``<font>`` whose colour
    :func:`~subloc.markup.normalize_color` does not understand counts as foreign.
    """
    counts = dict.fromkeys(STYLE_ORDER, 0)
    fonts: list[str | None] = []
    foreign: list[str] = []
    result = []
    for line in lines:
        plain: list[str] = []
        styles: list[frozenset[str]] = []
        for token in markup.tokenize(line):
            if token.kind == "text":
                plain.append(token.raw)
                if token.raw.strip():
                    current = {name for name, count in counts.items() if count > 0}
                    color = next((c for c in reversed(fonts) if c), None)
                    if color:
                        current.add(color)
                    styles.append(frozenset(current))
            elif token.name in counts and token.kind == "open":
                counts[token.name] += 1
            elif token.name in counts and token.kind == "close":
                counts[token.name] = max(0, counts[token.name] - 1)
            elif token.name == "font" and token.kind == "open":
                raw = markup.font_color(token.raw)
                color = markup.normalize_color(raw)
                if raw and color is None and token.raw not in foreign:
                    foreign.append(token.raw)
                fonts.append(color)
            elif token.name == "font" and token.kind == "close":
                if fonts:
                    fonts.pop()
            elif token.kind != "close" and token.raw not in foreign:
                foreign.append(token.raw)
        whole = frozenset.intersection(*styles) if styles else frozenset()
        union = frozenset().union(*styles)
        result.append(LineFormat("".join(plain), whole, union - whole))
    return result, foreign


def style_names(styles: frozenset[str] | set[str]) -> str:
    """``"italics, bold and colours"`` for a set of styles."""
    names = [_LOSS_NAMES[s] for s in STYLE_ORDER if s in styles]
    if any(s.startswith("#") for s in styles):
        names.append("colours")
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def loss_messages(fmt: str, inline: set[str], whole: set[str], foreign: list[str]) -> list[str]:
    """Warnings for formatting a writer drops: inline, whole-line, and foreign tags."""
    messages = []
    if inline:
        messages.append(f"{fmt} cannot carry inline {style_names(inline)}; written without them")
    if whole:
        messages.append(f"{fmt} cannot carry {style_names(whole)}; written without them")
    if foreign:
        messages.append(f"{fmt} cannot carry {', '.join(foreign)}; written without them")
    return messages


def wrap(text: str, styles: frozenset[str] | set[str]) -> str:
    """Canonical markup for a line of plain text with whole-line formatting."""
    opening = "".join(f"<{s}>" for s in STYLE_ORDER if s in styles)
    closing = "".join(f"</{s}>" for s in reversed(STYLE_ORDER) if s in styles)
    color = next((s for s in sorted(styles) if s.startswith("#")), None)
    if color:
        opening += f'<font color="{color}">'
        closing = "</font>" + closing
    return opening + text + closing


def check_position(fmt: str, cue: Cue, ctx: WriteContext) -> None:
    """Warn when the cue has a position (``align`` other than bottom centre)."""
    if cue.align not in (None, 2):
        ctx.warn(
            f"{fmt} cannot carry cue positions (align {cue.align}); written at the bottom",
            cue=cue.id,
        )


def pipe_free(fmt: str, texts: list[str], cue: Cue, ctx: WriteContext) -> list[str]:
    """Lines with ``|`` (the line break of these formats) replaced by ``¦``, with a warning."""
    if any("|" in text for text in texts):
        ctx.warn(f"{fmt} uses '|' as its line break; '|' in the text written as '¦'", cue=cue.id)
    return [text.replace("|", "¦") for text in texts]


def text_lines(text: str) -> list[str]:
    """The lines of a line format's file: split at line ends only (``str.splitlines``
    would also split at U+2028, U+0085 and other characters that can be text), BOM off."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.lstrip("\ufeff").split("\n")


def slash_free(fmt: str, text: str, cue: Cue, ctx: WriteContext) -> str:
    """A line's text for a format that reads ``/`` at a line's start as italics: a ``/``
    that is text gets a word joiner (U+2060) before it, with a warning."""
    if not text.startswith("/"):
        return text
    ctx.warn(f"{fmt} reads '/' at the start of a line as italics; written with a word "
             "joiner (U+2060) before it", cue=cue.id)
    return "\u2060" + text


def split_separators(lines: list[str]) -> list[str]:
    """``lines`` with U+2028 (line separator) and U+2029 (paragraph separator) made line
    breaks: line formats have one line break, and their readers never see these as text."""
    if not any("\u2028" in line or "\u2029" in line for line in lines):
        return lines
    return [part for line in lines for part in _SEPARATORS.split(line)]


def writable_lines(
    fmt: str,
    cue: Cue,
    ctx: WriteContext,
    *,
    whole_styles: Collection[str] = (),
    whole_colors: bool = False,
) -> list[tuple[LineFormat, str]]:
    """The cue's lines with visible text, each with its plain text (stripped, ``|``
    replaced), for a writer of format ``fmt`` that carries formatting of whole lines only:
    the style letters in ``whole_styles`` and, with ``whole_colors``, colours. U+2028 and
    U+2029 in the text are line breaks.

    Warns, naming the cue, for what is lost: everything when the cue has no text (the
    result is then empty and the cue is not written), then blank lines, its position,
    inline formatting, whole-line formatting the format does not carry, foreign tags,
    and ``|``.
    """
    formats, foreign = analyse_lines(split_separators(cue.lines))
    shown = [lf for lf in formats if lf.plain.strip()]
    if not shown:
        ctx.warn("cue has no text; not written", cue=cue.id)
        return []
    if len(shown) < len(formats):
        ctx.warn(f"{fmt} cannot carry blank lines in a cue; written without them", cue=cue.id)
    check_position(fmt, cue, ctx)
    inline = set().union(*(lf.partial for lf in shown))
    whole = {
        style
        for lf in shown
        for style in lf.whole
        if style not in whole_styles and not (whole_colors and style.startswith("#"))
    }
    for message in loss_messages(fmt, inline, whole, foreign):
        ctx.warn(message, cue=cue.id)
    texts = pipe_free(fmt, [lf.plain.strip() for lf in shown], cue, ctx)
    return list(zip(shown, texts, strict=True))

"""Pseudo-localization: test layout, fonts and line lengths without a model.

Every letter gets an accented look-alike, the text grows the way real translations grow
(about +100 % for 1–5 characters, +40 % for 6–10, +30 % for 11–100, +20 % beyond), and
the result is bracketed, ``[Ĥéļļö ~~~]``, so truncation and concatenation show. Tags and
placeholders pass through untouched. Deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from subloc import markup
from subloc.engines.base import Engine

_ACCENTS = str.maketrans(
    "abcdeghiklmnorstuwyzABCDEGHIKLMNORSTUWYZ",
    "àƀçđéĝĥíķļɱñöŕšţûŵýžÀßÇĐÉĜĤÍĶĻṀÑÖŘŠŢÛŴÝŽ",
)
#: Placeholders of the mask stage and of common software strings: never altered.
PROTECTED = re.compile(r"⟦[^⟧]*⟧|\{\d+\}|%[sd]|\$\{\w+\}")


def expansion(length: int) -> float:
    if length <= 5:
        return 1.0
    if length <= 10:
        return 0.4
    if length <= 100:
        return 0.3
    return 0.2


def pseudo_localize(text: str) -> str:
    """The pseudo-localized form of one segment."""
    if not text.strip():
        return text
    out: list[str] = []
    for token in markup.tokenize(text):
        if token.is_tag:
            out.append(token.raw)
            continue
        pos = 0
        for match in PROTECTED.finditer(token.raw):
            out.append(token.raw[pos : match.start()].translate(_ACCENTS))
            out.append(match.group(0))
            pos = match.end()
        out.append(token.raw[pos:].translate(_ACCENTS))
    visible = len(PROTECTED.sub("", markup.strip_tags(text)))
    padding = "~" * max(1, round(visible * expansion(visible)))
    return f"[{''.join(out)} {padding}]"


class PseudoEngine(Engine):
    """Pseudo-localization (see module docstring); every language pair is available."""

    name = "pseudo"
    needs_models = False
    writes_words = False

    def identity(self, source: str, target: str) -> str:
        return "pseudo:1"

    def translate(self, segments: Sequence[str], source: str, target: str,
                  progress: Callable[[int], None] | None = None) -> list[str]:
        translated = [pseudo_localize(segment) for segment in segments]
        if progress is not None:
            progress(len(translated))
        return translated

"""Display width of subtitle text: full-width characters count 1, half-width 0.5 in CJK
profiles (where limits are counted in full-width characters), 1 each elsewhere."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: Languages written without spaces between words: split and wrap by characters.
NO_SPACE_LANGUAGES = frozenset({"ja", "zh", "th", "lo", "km", "my"})
#: Languages whose limits count full-width characters (half-width counts 0.5).
FULL_WIDTH_LANGUAGES = frozenset({"ja", "zh", "ko"})


@lru_cache(maxsize=256)
def base_language(tag: str | None) -> str:
    return (tag or "").replace("_", "-").split("-")[0].lower()


def is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


#: Characters that take no room on screen (the word joiner marks a literal "<" in cue text:
#: see subloc.formats._ttconv; the others are zero-width joiners and spaces).
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_ZERO_WIDTH_TABLE = dict.fromkeys(map(ord, ZERO_WIDTH))


def width(text: str, language: str | None = None) -> float:
    """Width of plain (tag-free) text in the units the language's limits use."""
    if not text.isascii():
        text = text.translate(_ZERO_WIDTH_TABLE)
    if base_language(language) in FULL_WIDTH_LANGUAGES:
        return sum(1.0 if is_wide(c) else 0.5 for c in text)
    return float(len(text))


def splits_by_character(language: str | None) -> bool:
    return base_language(language) in NO_SPACE_LANGUAGES

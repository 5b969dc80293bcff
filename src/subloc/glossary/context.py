"""Context patterns: where an ambiguous source term counts.

An entry's ``context`` is a list of conditions separated by ``;``, all of which must hold
around a match of the source (or, for a ``forbidden`` entry, of the forbidden word in the
target):

- ``anywhere``: no restriction, said on purpose: the glossary's setting gives the word one
  sense (``football`` in the US-setting glossary), so ``glossary check`` does not ask for a
  context;
- ``title``: a title before a name: the next word starts with a capital letter
  ("Miss Okafor", not "Miss me?"); a capital at a sentence start is no evidence by itself;
- ``not-initial``: not at the start of a sentence, where a capital says nothing ("Seagulls
  are noisy" is about birds, "Go, Seagulls!" about the team); an all-caps span (a sign, a
  scoreboard: "SEAGULLS 14 - HAWKS 17") is not a sentence-case capital and counts;
- ``next:REGEX`` / ``not-next:REGEX``: the text right after the term starts (does not
  start) with a match of REGEX ("next:\\s+of\\b" for "a teaspoon of");
- ``prev:REGEX`` / ``not-prev:REGEX``: the text right before the term ends (does not end)
  with a match of REGEX ("prev:\\b(?:two|three|\\d+)\\s+$" for "three quarters").

Regular expressions are Python's, case-insensitive unless they say ``(?-i:...)``. Each is
tried on at most :data:`WINDOW` characters after the match or :data:`BACK_WINDOW` before it,
so checking a context costs the same on a 1 MB line as on a short one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from subloc.glossary.casing import at_sentence_start, is_all_caps

#: Characters looked at after a match, and before it (a regular expression that must end
#: where the match starts is tried at every position of its window: that one is shorter).
WINDOW = 80
BACK_WINDOW = 48
KEYWORDS = ("anywhere", "title", "not-initial")
PREFIXES = ("next", "not-next", "prev", "not-prev")


class ContextError(ValueError):
    """A context that cannot be parsed (the message says why)."""


@dataclass(frozen=True)
class Condition:
    kind: str  # title, not-initial, next, not-next, prev, not-prev
    pattern: re.Pattern[str] | None = None


@lru_cache(maxsize=1024)
def parse_context(text: str) -> tuple[Condition, ...]:
    """The conditions of a context string; raises :class:`ContextError`."""
    conditions: list[Condition] = []
    for raw in _split(text):
        item = raw.strip()
        if not item:
            continue
        if item in KEYWORDS:
            conditions.append(Condition(item))
            continue
        kind, colon, regex = item.partition(":")
        kind = kind.strip()
        if not colon or kind not in PREFIXES:
            raise ContextError(
                f"unknown context {item!r}: use {', '.join(KEYWORDS)}, or "
                f"{', '.join(p + ':REGEX' for p in PREFIXES)}, separated by ';'")
        if not regex:
            raise ContextError(f"context {kind}: needs a regular expression")
        source = regex if kind in ("next", "not-next") else f"(?:{regex})\\Z"
        try:
            pattern = re.compile(source, re.IGNORECASE)
        except re.error as error:
            raise ContextError(f"context {kind}: bad regular expression {regex!r}: "
                               f"{error}") from None
        conditions.append(Condition(kind, pattern))
    return tuple(conditions)


def _split(text: str) -> list[str]:
    """Split on ``;`` outside character classes and groups (``[;]`` stays whole)."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    escaped = False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        elif char == ";" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def holds(conditions: tuple[Condition, ...], text: str, start: int, end: int) -> bool:
    """Whether every condition holds for the match ``text[start:end]``."""
    for condition in conditions:
        kind = condition.kind
        if kind == "anywhere":
            continue
        if kind == "title":
            if not _name_follows(text, end):
                return False
        elif kind == "not-initial":
            if at_sentence_start(text, start) and not is_all_caps(text[start:end]):
                return False
        elif condition.pattern is not None:
            if kind in ("next", "not-next"):
                found = condition.pattern.match(text[end : end + WINDOW]) is not None
            else:
                found = condition.pattern.search(text, max(start - BACK_WINDOW, 0), start) \
                    is not None
            if found == kind.startswith("not-"):
                return False
    return True


def _name_follows(text: str, end: int) -> bool:
    """The next word (after spaces, within the window) starts with a capital letter."""
    window = text[end : end + WINDOW]
    rest = window.lstrip()
    if not rest or len(rest) == len(window):
        return False  # nothing follows, or no space before it ("Mr.X")
    return rest[0].isupper()

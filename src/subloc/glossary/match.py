"""Finding glossary terms in text.

Unicode-normalized (NFC; NFKC for full-width forms), longest match first, on word
boundaries for space-separated scripts and by substring for CJK and Thai, case-insensitive
unless the entry says otherwise, with English plural and possessive forms ("Thanksgiving's",
"pumpkin pies", "parties").
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from subloc.glossary.model import Entry
from subloc.textwidth import splits_by_character

_FULL_WIDTH = re.compile("[\uff01-\uff5e]")
_ENGLISH_SUFFIX = r"(?:'s|’s|s'|s’|es|s)?"


_Compiled = list[tuple[str, "re.Pattern[str]", Entry]]


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    entry: Entry
    surface: str


def normalize(text: str) -> str:
    """NFC, with full-width ASCII forms folded (NFKC) so ＡＢＣ matches ABC."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _FULL_WIDTH.search(text):
        text = "".join(unicodedata.normalize("NFKC", c) if "\uff01" <= c <= "\uff5e" else c
                       for c in text)
    return text


@lru_cache(maxsize=4096)
def _is_cjk(text: str) -> bool:
    return any(unicodedata.east_asian_width(c) in ("W", "F") or "\u0e00" <= c <= "\u0e7f"
               for c in text)


@lru_cache(maxsize=4096)
def _pattern(term: str, case_sensitive: bool, english: bool, substring: bool) -> re.Pattern[str]:
    body = re.escape(normalize(term)).replace(r"\ ", r"\s+")
    if substring:
        regex = body
    else:
        if english and term[-1:].isalpha():
            stem = body[:-1] + r"(?:y|ies)" if term.endswith("y") and len(term) > 2 else body
            body = stem + _ENGLISH_SUFFIX
        regex = rf"(?<![\w]){body}(?![\w])"
    return re.compile(regex, 0 if case_sensitive else re.IGNORECASE)


#: The entry types whose source terms are enforced through MT and verified after it.
ENFORCED = frozenset({"term", "adapt", "dnt"})


def find_terms(text: str, entries: Sequence[Entry], language: str | None,
               *, field: str = "source", types: frozenset[str] | None = None) -> list[Match]:
    """Non-overlapping matches of the entries' ``field`` ("source", or "targets" for the
    target side), longest terms first, in text order; only entries of ``types`` when
    given."""
    text = normalize(text)
    folded = text.casefold()
    taken = SpanSet()
    found: list[Match] = []
    for key, pattern, entry in _compiled_for(entries, language, field, types):
        if key not in folded:
            continue  # cheap pre-check: most terms are not in most lines
        for match in pattern.finditer(text):
            if taken.add(match.start(), match.end()):
                found.append(Match(match.start(), match.end(), entry, match.group(0)))
    return sorted(found, key=lambda m: m.start)


class SpanSet:
    """Disjoint ``[start, end)`` spans, kept sorted: adding one that overlaps another is
    refused in O(log n), so a line with thousands of terms stays linear-ish."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def add(self, start: int, end: int) -> bool:
        """Add the span if it overlaps none; whether it was added."""
        index = bisect.bisect_right(self._starts, start)
        if index and self._ends[index - 1] > start:
            return False
        if index < len(self._starts) and self._starts[index] < end:
            return False
        self._starts.insert(index, start)
        self._ends.insert(index, end)
        return True


#: (id of an entries list, language, field) -> (that list, its compiled patterns): a run
#: matches hundreds of thousands of lines against the same list, and hashing the list's
#: entries for ``lru_cache`` on every line cost more than the matching.
_Key = tuple[int, str | None, str, frozenset[str] | None]
_BY_IDENTITY: dict[_Key, tuple[Sequence[Entry], _Compiled]] = {}


def _compiled_for(entries: Sequence[Entry], language: str | None, field: str,
                  types: frozenset[str] | None) -> _Compiled:
    key = (id(entries), language, field, types)
    hit = _BY_IDENTITY.get(key)
    if hit is not None and hit[0] is entries:
        return hit[1]
    chosen = tuple(e for e in entries if types is None or e.type in types)
    compiled = _compiled(chosen, language, field)
    if len(_BY_IDENTITY) >= 256:
        _BY_IDENTITY.clear()
    _BY_IDENTITY[key] = (entries, compiled)  # holds the list, so its id is not reused
    return compiled


@lru_cache(maxsize=64)
def _compiled(entries: tuple[Entry, ...], language: str | None, field: str) -> _Compiled:
    """Each term's pre-check key, pattern and entry, longest term first (built once per
    glossary and language: a run matches thousands of lines against the same entries)."""
    english = (language or "").split("-")[0] == "en" and field == "source"
    by_character = splits_by_character(language)
    candidates: list[tuple[str, Entry]] = []
    for entry in entries:
        terms = [entry.source] if field == "source" else list(entry.targets or (entry.source,))
        candidates.extend((term, entry) for term in terms if term.strip())
    candidates.sort(key=lambda pair: -len(pair[0]))
    compiled = []
    for term, entry in candidates:
        substring = by_character or _is_cjk(term)
        pattern = _pattern(term, entry.case_sensitive, english, substring)
        # The longest run of the term without spaces or an English-suffix-sensitive end.
        key = max(normalize(term).casefold().split(), key=len)
        if english and key.endswith("y"):
            key = key[:-1]
        compiled.append((key, pattern, entry))
    return compiled


def contains(text: str, term: str, case_sensitive: bool, language: str | None, *,
             normalized: bool = False) -> bool:
    """Whether ``term`` occurs in ``text`` as a word (or substring in CJK/Thai);
    ``normalized`` says ``text`` went through :func:`normalize` already (a caller that
    asks about many terms in one long text normalizes it once)."""
    substring = splits_by_character(language) or _is_cjk(term)
    pattern = _pattern(term, case_sensitive, False, substring)
    return pattern.search(text if normalized else normalize(text)) is not None

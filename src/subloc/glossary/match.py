"""Finding glossary terms in text.

Unicode-normalized (NFC; NFKC for full-width forms), longest match first, on word
boundaries for space-separated scripts and by substring for CJK and Thai, case-insensitive
unless the entry says otherwise, with English plural and possessive forms ("Thanksgiving's",
"pumpkin pies", "parties"); a match knows whether its English source was plural.

A case-sensitive name (a ``dnt`` entry, or a masked name-like term) also matches an all-caps
span, because signs and scoreboards are written in capitals ("GO, SEAGULLS!"); an entry's
context (:mod:`subloc.glossary.context`) must hold around a match for it to count, so
"Miss me?" is not the title and "on foot" is not the unit. Matching is linear in the length
of the text: each term is looked for once, and overlaps are refused in constant time per
character.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from subloc.glossary.casing import is_all_caps, upper
from subloc.glossary.context import Condition, parse_context
from subloc.glossary.context import holds as context_holds
from subloc.glossary.model import Entry, is_name
from subloc.textwidth import splits_by_character

_FULL_WIDTH = re.compile("[\uff01-\uff5e]")
#: English plural (s, es; and y -> ies) and possessive ('s, s') endings.
_ENGLISH_SUFFIX = r"(?:(?P<pl>es|s)['’]?|['’]s)?"


@dataclass(frozen=True)
class _Term:
    """One compiled term: the pre-check key, the pattern (case-insensitive), the exact-case
    pattern of a case-sensitive entry, whether an all-caps span counts, the context."""

    key: str
    pattern: re.Pattern[str]
    exact: re.Pattern[str] | None
    caps: bool
    context: tuple[Condition, ...]
    entry: Entry


_Compiled = list[_Term]


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    entry: Entry
    surface: str
    #: The English source was inflected for the plural ("pies", "parties").
    plural: bool = False


def target_form(match: Match, language: str | None) -> str:
    """The target a match of a ``term``/``adapt`` entry puts in a translation: singular or
    plural as the source is, in capitals (as the target language writes them) when the
    source span is all caps and the entry's own source is not an acronym such as GPA."""
    entry = match.entry
    form = entry.form(match.plural)
    if is_all_caps(match.surface) and not is_all_caps(entry.source, 1):
        form = upper(form, language)
    return form


def normalize(text: str) -> str:
    """NFC, with full-width ASCII forms folded (NFKC) so ＡＢＣ matches ABC."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _FULL_WIDTH.search(text):
        text = "".join(unicodedata.normalize("NFKC", c) if "\uff01" <= c <= "\uff5e" else c
                       for c in text)
    return text


@lru_cache(maxsize=4096)
def is_cjk(text: str) -> bool:
    """Whether ``text`` has a wide (CJK) or Thai character: matched by substring."""
    return any(unicodedata.east_asian_width(c) in ("W", "F") or "\u0e00" <= c <= "\u0e7f"
               for c in text)


_is_cjk = is_cjk


@lru_cache(maxsize=4096)
def _pattern(term: str, case_sensitive: bool, english: bool, substring: bool) -> re.Pattern[str]:
    term = normalize(term)
    body = re.escape(term).replace(r"\ ", r"\s+")
    if substring:
        regex = body
    else:
        if english and term[-1:].isalpha():
            stem = body[:-1] + r"(?:y|(?P<ies>ies))" if term.endswith("y") and len(term) > 2 \
                else body
            body = stem + _ENGLISH_SUFFIX
        # Word boundaries only where the term has a word character at its edge: "°C"
        # follows a figure ("21°C"), "Mr." ends in a period.
        before = r"(?<!\w)" if re.match(r"\w", term) else ""
        after = r"(?!\w)" if re.search(r"\w$", term) or english else ""
        regex = before + body + after
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
    taken = SpanSet(len(text))
    found: list[Match] = []
    for term in _compiled_for(entries, language, field, types):
        if term.key not in folded:
            continue  # cheap pre-check: most terms are not in most lines
        for match in term.pattern.finditer(text):
            start, end = match.start(), match.end()
            if taken.overlaps(start, end):
                continue
            surface = match.group(0)
            if term.exact is not None and term.exact.fullmatch(surface) is None and not (
                    term.caps and is_all_caps(surface, 1)):
                continue
            if term.context and not context_holds(term.context, text, start, end):
                continue
            taken.add(start, end)
            groups = match.groupdict()
            plural = bool(groups.get("pl") or groups.get("ies"))
            found.append(Match(start, end, term.entry, surface, plural))
    return sorted(found, key=lambda m: m.start)


class SpanSet:
    """Disjoint ``[start, end)`` spans of a text of ``size`` characters: a span that
    overlaps one already added is refused, in time proportional to its own length."""

    def __init__(self, size: int) -> None:
        self._taken = bytearray(size + 1)

    def overlaps(self, start: int, end: int) -> bool:
        return self._taken.find(1, start, max(end, start + 1)) != -1

    def add(self, start: int, end: int) -> bool:
        """Add the span if it overlaps none; whether it was added."""
        if self.overlaps(start, end):
            return False
        self._taken[start:end] = b"\1" * (end - start)
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


def caps_count(entry: Entry) -> bool:
    """Whether an all-caps span matches this case-sensitive entry: names do (a ``dnt``
    entry, a masked name-like term); titles and common words do not."""
    if not entry.case_sensitive:
        return False
    if entry.context and any(c.kind == "title" for c in parse_context(entry.context)):
        return False
    return entry.type == "dnt" or (entry.mode == "mask" and is_name(entry.source))


@lru_cache(maxsize=64)
def _compiled(entries: tuple[Entry, ...], language: str | None, field: str) -> _Compiled:
    """Each term's pre-check key, patterns and context, longest term first (built once per
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
        substring = by_character or is_cjk(term)
        pattern = _pattern(term, False, english, substring)
        exact = _pattern(term, True, english, substring) if entry.case_sensitive else None
        # The longest run of the term without spaces or an English-suffix-sensitive end.
        key = max(normalize(term).casefold().split(), key=len)
        if english and key.endswith("y"):
            key = key[:-1]
        context = parse_context(entry.context) if field == "source" and entry.context else ()
        compiled.append(_Term(key, pattern, exact, caps_count(entry), context, entry))
    return compiled


def contains(text: str, term: str, case_sensitive: bool, language: str | None, *,
             normalized: bool = False) -> bool:
    """Whether ``term`` occurs in ``text`` as a word (or substring in CJK/Thai);
    ``normalized`` says ``text`` went through :func:`normalize` already (a caller that
    asks about many terms in one long text normalizes it once)."""
    substring = splits_by_character(language) or is_cjk(term)
    pattern = _pattern(term, case_sensitive, False, substring)
    return pattern.search(text if normalized else normalize(text)) is not None


def find_all(text: str, term: str, case_sensitive: bool, language: str | None
             ) -> list[tuple[int, int]]:
    """Every occurrence of ``term`` in (normalized) ``text`` as ``(start, end)``."""
    substring = splits_by_character(language) or is_cjk(term)
    pattern = _pattern(term, case_sensitive, False, substring)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]

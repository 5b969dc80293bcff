"""Inflection-aware verification: does a translation use a glossary target, in any form?

"tres millas" renders ``milla``, "dos pasteles" renders ``pastel``, "Herrn Halvorsen"
renders ``Herr``: each word of the target and of the translation is reduced to its stem
with the Snowball stemmer of the target language (the ``snowballstemmer`` package: pure
Python, BSD-3-Clause, the algorithms of snowballstem.org for es, fr, de, pt, it, ca, nl
and two dozen more), and the target's stems must appear in a row. Languages without a
stemmer compare words as they are; CJK and Thai (no spaces, little inflection) by
substring. A target with symbols (``km/h``, ``°C``) is looked for as written.

Only words that could share the target's stem are stemmed (those starting like it), and
each stem is computed once per word: a long translation costs one pass over its words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from subloc.glossary.casing import upper
from subloc.glossary.match import contains, is_cjk, normalize
from subloc.textwidth import base_language, splits_by_character

#: Target language -> Snowball algorithm.
STEMMERS = {
    "es": "spanish", "fr": "french", "de": "german", "pt": "portuguese", "it": "italian",
    "ca": "catalan", "nl": "dutch", "sv": "swedish", "da": "danish", "nb": "norwegian",
    "no": "norwegian", "nn": "norwegian", "fi": "finnish", "ro": "romanian",
    "hu": "hungarian", "ru": "russian", "tr": "turkish", "el": "greek", "en": "english",
    "eu": "basque", "ga": "irish", "id": "indonesian", "lt": "lithuanian", "ne": "nepali",
    "sr": "serbian", "ta": "tamil", "hi": "hindi", "ar": "arabic", "hy": "armenian",
    "cs": "czech", "pl": "polish", "et": "estonian", "fa": "persian", "yi": "yiddish",
}
_WORD = re.compile(r"\w+")
_PLAIN_TERM = re.compile(r"^[\w\s'’-]+$")


@lru_cache(maxsize=64)
def _stemmer(algorithm: str) -> Callable[[str], str] | None:
    try:
        import snowballstemmer  # type: ignore[import-untyped]  # imported when needed
    except ImportError:  # pragma: no cover - installed with subloc
        return None
    if algorithm not in snowballstemmer.algorithms():
        return None
    stemmer = snowballstemmer.stemmer(algorithm)
    word: Callable[[str], str] = stemmer.stemWord
    return word


def stemmer_for(language: str | None) -> Callable[[str], str] | None:
    algorithm = STEMMERS.get(base_language(language))
    return _stemmer(algorithm) if algorithm else None


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case without accents: what two spellings of one stem share."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def _canonical(word: str, language: str) -> str:
    stem = stemmer_for(language)
    assert stem is not None
    canon = fold(stem(word.casefold()))
    if language == "de" and canon.endswith("rn") and len(canon) > 3:
        canon = canon[:-1]  # weak masculine nouns: Herr -> Herrn (Snowball keeps the -n)
    return canon


def _longest(term: str) -> str:
    return max(term.split(), key=len)


class Rendered:
    """A translation (normalized text) to look glossary targets up in; its words are split
    and stemmed only when a target is not there as written."""

    def __init__(self, text: str, language: str) -> None:
        self.text = text
        self.language = base_language(language)
        self.by_character = splits_by_character(language)
        self._stemmed = stemmer_for(language) is not None
        self._words: list[str] | None = None
        self._by_prefix: dict[str, list[int]] | None = None
        self._spaced: str | None = None
        self._found: dict[str, bool] = {}
        self._folded: str | None = None

    def has(self, term: str, case_sensitive: bool = False, *, capitals: bool = True,
            inflected: bool = True) -> bool:
        """Whether ``term`` appears: as written (any case unless ``case_sensitive``), in
        capitals as the language writes them (unless ``capitals`` is off), or, for words
        and unless ``inflected`` is off, in an inflected form."""
        if not term.strip():
            return False
        if self._folded is None:
            self._folded = self.text.casefold()
        # Cheap pre-check: a term whose longest word is not even in the case-folded text
        # cannot be there as written.
        term = normalize(term)
        if _longest(term).casefold() in self._folded and contains(
                self.text, term, case_sensitive, self.language, normalized=True):
            return True
        shouted = upper(term, self.language)
        if capitals and shouted != term and _longest(shouted) in self.text and contains(
                self.text, shouted, True, self.language, normalized=True):
            return True
        if not inflected or case_sensitive or not self._stemmed or self.by_character \
                or is_cjk(term):
            return False
        if not _PLAIN_TERM.match(term):
            return False  # symbols (km/h, °C): as written only
        return self._has_stems(term)

    def has_spaced(self, literal: str) -> bool:
        """Whether ``literal`` appears as written, any kind of space matching any other
        ("5\u00a0km" and "5 km")."""
        if self._spaced is None:
            self._spaced = " ".join(self.text.split())
        key = " ".join(literal.split())
        if key not in self._found:
            self._found[key] = key in self._spaced
        return self._found[key]

    def _index(self) -> tuple[list[str], dict[str, list[int]]]:
        if self._words is None or self._by_prefix is None:
            self._words = _WORD.findall(self.text)
            self._by_prefix = {}
            for position, word in enumerate(self._words):
                self._by_prefix.setdefault(fold(word)[:2], []).append(position)
        return self._words, self._by_prefix

    def _has_stems(self, term: str) -> bool:
        wanted = [_canonical(word, self.language) for word in _WORD.findall(term)]
        if not wanted or not wanted[0]:
            return False
        words, by_prefix = self._index()
        first = wanted[0]
        # A word whose stem is ``first`` starts with ``first`` (give or take its last
        # letter: Snowball rewrites a final vowel or two): only those are stemmed.
        head = first[: max(len(first) - 1, 1)]
        for position in by_prefix.get(first[:2], ()):
            if not fold(words[position]).startswith(head):
                continue
            if position + len(wanted) > len(words):
                continue
            if all(_canonical(words[position + k], self.language) == wanted[k]
                   for k in range(len(wanted))):
                return True
        return False

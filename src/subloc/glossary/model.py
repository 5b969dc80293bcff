"""Cultural glossaries: the data model and the CSV master format.

The CSV master format is in :mod:`subloc.glossary.csvio`, TBX in
:mod:`subloc.glossary.tbx`; :mod:`subloc.glossary.store` finds and loads the glossaries for a
language pair. A CSV glossary (UTF-8) has the header ``source,target,type,case_sensitive,note``
and, optionally, ``plural``, ``enforce`` and ``context`` columns; the language pair comes from
the file name (``en-es.csv``, ``en-es.us-setting.csv``) or from ``src_lang,tgt_lang`` columns.
Synonyms in ``target`` are separated by ``|``; the first is the preferred one.

Types:
- ``term``: translate the source this way (one of the targets must appear);
- ``dnt``: do not translate (names, brands): the source must appear unchanged;
- ``forbidden``: the target word(s) must not appear in the translation (source optional);
- ``adapt``: a cultural substitution (a holiday, a dish, a school grade): like ``term``,
  reported separately so reviewers can see every adaptation.

Enforcement (``enforce``), chosen so that it cannot break grammar:
- ``mask``: an invariable unit (a name, a brand, a ``dnt`` term, a fixed title with its
  name): a placeholder goes through MT and the target comes back verbatim (upper-cased when
  the source span is all caps, plural form when the source is plural);
- ``verify``: a common noun or phrase: the engine translates it, and verification accepts
  any inflected form of a target (a Snowball stemmer per language; by substring for CJK);
  a miss is a ``glossary-term-missing`` warning, and the fallback inserts the form that
  matches the source's number;
- ``hint``: an idiom or a multi-word expression: never inserted; a miss is a
  ``glossary-hint-missing`` info for the reviewer.

Left empty, it follows the type and the shape of the source (:func:`default_enforce`).
``plural`` gives the plural of the targets (``|``-separated, the first being the plural of
the first target); ``context`` restricts where the source counts
(:mod:`subloc.glossary.context`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Reporter = Callable[[int | None, str], None]
TYPES = ("term", "dnt", "forbidden", "adapt")
ENFORCE = ("mask", "verify", "hint")
HEADER = ("source", "target", "type", "case_sensitive", "note")
#: Optional columns, written only when an entry uses them.
EXTRA = ("plural", "enforce", "context")
_LANG = r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?"
_PAIR_NAME = re.compile(rf"^({_LANG})[-_]({_LANG})(?:\.[A-Za-z0-9_-]+)?$")
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n", ""}
#: English words that make a multi-word source a phrase (an idiom, a collocation) rather
#: than a compound noun: such an entry is a hint by default.
FUNCTION_WORDS = frozenset({
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "is", "are", "was",
    "be", "it", "its", "your", "my", "his", "her", "their", "our", "like", "when", "under",
    "around", "out", "up", "down", "over", "with", "by", "from", "as", "no", "not", "than",
})


@dataclass(frozen=True)
class Entry:
    """One glossary concept. ``line`` is the 1-based line in ``origin`` (for errors)."""

    source: str
    targets: tuple[str, ...]
    type: str
    case_sensitive: bool = False
    note: str = ""
    origin: str = ""
    line: int | None = None
    #: ``mask``, ``verify`` or ``hint``; empty: :func:`default_enforce` decides.
    enforce: str = ""
    #: Where the source counts (see :mod:`subloc.glossary.context`); empty: everywhere.
    context: str = ""
    #: The plural forms of the targets, the first being the plural of the first target.
    plurals: tuple[str, ...] = ()

    @property
    def target(self) -> str:
        """The preferred target (the first synonym); the source itself for ``dnt``."""
        return self.targets[0] if self.targets else self.source

    @property
    def mode(self) -> str:
        """How the entry is enforced: ``mask``, ``verify`` or ``hint``."""
        return self.enforce or default_enforce(self)

    def form(self, plural: bool) -> str:
        """The target to insert for a singular or plural source."""
        if plural and self.plurals:
            return self.plurals[0]
        return self.target

    @property
    def forms(self) -> tuple[str, ...]:
        """Every target form verification accepts: the synonyms and their plurals."""
        return self.targets + tuple(p for p in self.plurals if p not in self.targets)


def is_name(source: str) -> bool:
    """Every word starts with a capital or a digit, but for function words inside ("Fourth
    of July"): a name, a title with a name, a brand."""
    words = source.split()
    if not words:
        return False

    def capital(word: str) -> bool:
        return word[:1].isupper() or word[:1].isdigit()

    return capital(words[0]) and capital(words[-1]) and all(
        capital(w) or w.lower() in FUNCTION_WORDS for w in words[1:-1])


def looks_like_phrase(source: str) -> bool:
    """A lowercase multi-word source with a function word, or of three words or more: an
    idiom or a collocation, not a compound noun ("around the bush", not "pumpkin pie")."""
    words = source.split()
    if len(words) < 2 or is_name(source):
        return False
    return len(words) >= 3 or any(w.lower().strip("'’") in FUNCTION_WORDS for w in words)


def default_enforce(entry: Entry) -> str:
    """``dnt`` is masked; a case-sensitive name-like ``term``/``adapt`` (a transliterated
    name, a title with its name) is masked; an idiom-shaped source is a hint; every other
    entry (common nouns and phrases) is translated by the engine and verified."""
    if entry.type == "dnt":
        return "mask"
    if entry.type == "forbidden":
        return "verify"
    if entry.case_sensitive and is_name(entry.source):
        return "mask"
    if looks_like_phrase(entry.source):
        return "hint"
    return "verify"


@dataclass
class Glossary:
    source_lang: str
    target_lang: str
    entries: list[Entry] = field(default_factory=list)
    origin: str = ""

    @property
    def pair(self) -> tuple[str, str]:
        return self.source_lang, self.target_lang


@dataclass(frozen=True)
class Problem:
    """A finding of ``subloc glossary check``: an ``error`` (the file cannot be used as it
    is) or a ``warning`` (an entry that looks unsafe to enforce)."""

    origin: str
    line: int | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.origin + (f":{self.line}" if self.line else "")
        return f"{where}: {self.message}"


def pair_from_name(path: Path) -> tuple[str, str] | None:
    """``en-es.csv`` and ``en-es.us-setting.csv`` are for en->es."""
    match = _PAIR_NAME.match(path.stem)
    return (match.group(1), match.group(2)) if match else None


def parse_bool(value: str) -> bool | None:
    value = value.strip().lower()
    return True if value in _TRUE else False if value in _FALSE else None

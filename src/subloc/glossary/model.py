"""Cultural glossaries: the data model and the CSV master format.

The CSV master format is in :mod:`subloc.glossary.csvio`, TBX in
:mod:`subloc.glossary.tbx`; :mod:`subloc.glossary.store` finds and loads the glossaries for a
language pair. A CSV glossary (UTF-8) has the header ``source,target,type,case_sensitive,note``; the
language pair comes from the file name (``en-es.csv``) or from ``src_lang,tgt_lang``
columns. Synonyms in ``target`` are separated by ``|``; the first is the one enforced.

Types:
- ``term``: translate the source this way (one of the targets must appear);
- ``dnt``: do not translate (names, brands): the source must appear unchanged;
- ``forbidden``: the target word(s) must not appear in the translation (source optional);
- ``adapt``: a cultural substitution (a holiday, a dish, a school grade): like ``term``,
  reported separately so reviewers can see every adaptation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Reporter = Callable[[int | None, str], None]
TYPES = ("term", "dnt", "forbidden", "adapt")
HEADER = ("source", "target", "type", "case_sensitive", "note")
_LANG = r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?"
_PAIR_NAME = re.compile(rf"^({_LANG})[-_]({_LANG})$")
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n", ""}


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

    @property
    def target(self) -> str:
        """The enforced target (the first synonym); the source itself for ``dnt``."""
        return self.targets[0] if self.targets else self.source


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
    """A finding of ``subloc glossary check``."""

    origin: str
    line: int | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.origin + (f":{self.line}" if self.line else "")
        return f"{where}: {self.message}"


def pair_from_name(path: Path) -> tuple[str, str] | None:
    match = _PAIR_NAME.match(path.stem)
    return (match.group(1), match.group(2)) if match else None


def parse_bool(value: str) -> bool | None:
    value = value.strip().lower()
    return True if value in _TRUE else False if value in _FALSE else None

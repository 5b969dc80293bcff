"""The mask stage: glossary terms (and, with ``--adapt-units``, US units) become
placeholders before MT, and come back as the glossary says after it.

Neural MT mangles placeholders now and then: ``unmask`` detects one that was lost,
duplicated or altered and returns ``None``, so the pipeline can fall back to translating
the unmasked text (still a sentence) and record a ``placeholder-lost`` warning; the
verification stage then checks every glossary entry whatever happened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from subloc.glossary.match import ENFORCED, SpanSet, find_terms
from subloc.glossary.model import Entry
from subloc.glossary.units import find_conversions

PLACEHOLDER = "⟦{}⟧"
_PLACEHOLDER = re.compile(r"⟦\s*(\d+)\s*⟧")
_SENTENCE_START = re.compile(r"(?:^|[.!?…¿¡]\s+|^[-–—]\s*|\n[-–—]\s*)$")
#: What decides a sentence start is in the few characters before a placeholder: looking
#: only there keeps a line with thousands of placeholders linear.
_LOOK_BACK = 64
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@dataclass(frozen=True)
class Slot:
    """What placeholder ``number`` stands for."""

    number: int
    replacement: str
    surface: str
    entry: Entry | None = None  # None for a unit conversion
    case_sensitive: bool = False


@dataclass
class Masked:
    source: str
    text: str
    slots: list[Slot] = field(default_factory=list)


def mask(text: str, entries: list[Entry], source_lang: str, target_lang: str,
         *, adapt_units: bool = False) -> Masked:
    """Replace enforceable glossary terms (and units) in ``text`` with placeholders."""
    spans: list[tuple[int, int, str, str, Entry | None]] = []
    taken = SpanSet()
    if adapt_units:
        for conversion in find_conversions(text, target_lang):
            if taken.add(conversion.start, conversion.end):
                spans.append((conversion.start, conversion.end, conversion.surface,
                              conversion.replacement, None))
    for match in find_terms(text, entries, source_lang, types=ENFORCED):
        start, end, surface = match.start, match.end, match.surface
        possessive = _POSSESSIVE.search(surface)
        if possessive and match.entry.type == "dnt":
            # Mask the name only: the target language says "de Maggie", not "Maggie's".
            end -= len(possessive.group(0))
            surface = surface[: len(surface) - len(possessive.group(0))]
        if not taken.add(start, end):
            continue
        replacement = surface if match.entry.type == "dnt" else match.entry.target
        spans.append((start, end, surface, replacement, match.entry))
    if not spans:
        return Masked(source=text, text=text)
    spans.sort()
    out, slots, pos = [], [], 0
    for number, (start, end, surface, replacement, entry) in enumerate(spans):
        out.append(text[pos:start])
        out.append(PLACEHOLDER.format(number))
        slots.append(Slot(number, replacement, surface, entry,
                          entry.case_sensitive if entry else True))
        pos = end
    out.append(text[pos:])
    return Masked(source=text, text="".join(out), slots=slots)


def unmask(masked: Masked, translation: str) -> str | None:
    """Put the slots back; ``None`` if a placeholder was lost, duplicated or altered."""
    if not masked.slots:
        return translation
    found = [int(m.group(1)) for m in _PLACEHOLDER.finditer(translation)]
    if sorted(found) != [slot.number for slot in masked.slots]:
        return None
    if re.search(r"⟦|⟧", _PLACEHOLDER.sub("", translation)):
        return None  # a bracket survived without its number: altered
    slots = {slot.number: slot for slot in masked.slots}

    def put_back(match: re.Match[str]) -> str:
        slot = slots[int(match.group(1))]
        value = slot.replacement
        start = match.start()
        before = translation[max(start - _LOOK_BACK, 0) : start]
        if start > _LOOK_BACK:
            before = "x" + before  # not the start of the text: "^" must not match
        if not slot.case_sensitive and value[:1].islower() and _SENTENCE_START.search(before):
            value = value[0].upper() + value[1:]
        return value

    return _PLACEHOLDER.sub(put_back, translation)

"""The mask stage: glossary terms that are invariable units (and, with ``--adapt-units``,
US units) become placeholders before MT, and come back as the glossary says after it.

What an entry's enforcement (:attr:`~subloc.glossary.model.Entry.mode`) does here:

- ``mask``: names, brands, ``dnt`` terms, fixed titles with a name: a placeholder, then the
  target verbatim: the plural form when the English source is plural, upper-cased (as the
  target language writes capitals) when the source span is all caps;
- ``verify``: common nouns and phrases go to the engine as they are, because the engine
  inflects them (number, gender, case) and a verbatim insertion would not. After MT,
  :func:`unmask` checks each (inflection-aware, :mod:`subloc.glossary.inflect`); where the
  engine left the English word untranslated, that word is replaced by the target form that
  matches the source's number. :func:`fallback_mask` gives the text to translate again
  with the missing terms masked, for a pipeline that runs a second pass;
- ``hint``: idioms and multi-word expressions: never touched here, only verified.

Neural MT mangles placeholders now and then: ``unmask`` detects one that was lost,
duplicated or altered and returns ``None``, so the pipeline can fall back to translating
the unmasked text (still a sentence) and record a ``placeholder-lost`` warning; the
verification stage then checks every glossary entry whatever happened.

Everything here is linear in the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from subloc.glossary.casing import at_sentence_start, is_all_caps, upper
from subloc.glossary.inflect import Rendered
from subloc.glossary.match import (
    ENFORCED,
    SpanSet,
    find_all,
    find_terms,
    normalize,
    target_form,
)
from subloc.glossary.model import Entry, is_name
from subloc.glossary.units import find_conversions
from subloc.issues import Issue

PLACEHOLDER = "⟦{}⟧"
_PLACEHOLDER = re.compile(r"⟦\s*(\d+)\s*⟧")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@dataclass(frozen=True)
class Slot:
    """What placeholder ``number`` stands for."""

    number: int
    replacement: str
    surface: str
    entry: Entry | None = None  # None for a unit conversion
    case_sensitive: bool = False


@dataclass(frozen=True)
class Check:
    """A ``verify`` term left to the engine, and the form a fallback would insert (the
    target in the source's number, in capitals if the source span is)."""

    surface: str
    entry: Entry
    form: str
    #: A lowercase entry found capitalized inside a sentence: part of a name ("Orange
    #: County"), which the engine may rightly keep.
    in_name: bool = False


@dataclass
class Masked:
    source: str
    text: str
    slots: list[Slot] = field(default_factory=list)
    #: ``verify`` terms the engine translates, checked by :func:`unmask`.
    checks: list[Check] = field(default_factory=list)
    target_lang: str = ""
    #: How :func:`mask` was called (for :func:`fallback_mask`).
    entries: Sequence[Entry] = ()
    source_lang: str = ""
    adapt_units: bool = False
    #: The ``verify`` entries :func:`fallback_mask` masked because the engine missed them.
    forced: tuple[Entry, ...] = ()


def mask(text: str, entries: Sequence[Entry], source_lang: str, target_lang: str,
         *, adapt_units: bool = False, force: frozenset[Entry] = frozenset()) -> Masked:
    """Replace the ``mask`` glossary terms (and units) in ``text`` with placeholders; the
    entries in ``force`` are masked too (the fallback for ``verify`` terms)."""
    original = text
    text = normalize(text)
    spans: list[tuple[int, int, str, str, Entry | None]] = []
    checks: list[Check] = []
    taken = SpanSet(len(text))
    if adapt_units:
        for conversion in find_conversions(text, target_lang):
            if taken.add(conversion.start, conversion.end):
                spans.append((conversion.start, conversion.end, conversion.surface,
                              conversion.replacement, None))
    for match in find_terms(text, entries, source_lang, types=ENFORCED):
        entry = match.entry
        mode = "mask" if entry in force else entry.mode
        if mode == "hint" or taken.overlaps(match.start, match.end):
            continue
        if mode == "verify":
            in_name = (match.surface[:1].isupper() and entry.source[:1].islower()
                       and not is_all_caps(match.surface)
                       and not at_sentence_start(text, match.start))
            checks.append(Check(match.surface, entry, target_form(match, target_lang),
                                in_name))
            continue
        start, end, surface = match.start, match.end, match.surface
        possessive = _POSSESSIVE.search(surface)
        if possessive and (entry.type == "dnt" or is_name(entry.source)) \
                and not _POSSESSIVE.search(entry.source):
            # Mask the name only: the target language says "de Maggie", not "Maggie's".
            end -= len(possessive.group(0))
            surface = surface[: len(surface) - len(possessive.group(0))]
        taken.add(start, end)
        replacement = surface if entry.type == "dnt" else target_form(match, target_lang)
        spans.append((start, end, surface, replacement, entry))
    result = Masked(source=original, text=text, checks=checks, target_lang=target_lang,
                    entries=entries, source_lang=source_lang, adapt_units=adapt_units,
                    forced=tuple(force))
    if not spans:
        return result
    spans.sort(key=lambda span: span[0])
    out, pos = [], 0
    for number, (start, end, surface, replacement, slot_entry) in enumerate(spans):
        out.append(text[pos:start])
        out.append(PLACEHOLDER.format(number))
        result.slots.append(Slot(number, replacement, surface, slot_entry,
                                 slot_entry.case_sensitive if slot_entry else True))
        pos = end
    out.append(text[pos:])
    result.text = "".join(out)
    return result


def unmask(masked: Masked, translation: str) -> str | None:
    """Put the slots back; ``None`` if a placeholder was lost, duplicated or altered.

    A ``verify`` term the translation does not render, and whose English words the engine
    left as they were, is replaced by its target (see :func:`fill_untranslated`)."""
    if masked.checks:
        translation = fill_untranslated(masked, translation)
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
        return _capitalized(slot.replacement, translation, match.start(), slot.case_sensitive)

    return _PLACEHOLDER.sub(put_back, translation)


def _capitalized(value: str, text: str, position: int, case_sensitive: bool) -> str:
    """``value`` with a capital first letter if it starts a sentence at ``position``."""
    if not case_sensitive and value[:1].islower() and at_sentence_start(text, position):
        return value[0].upper() + value[1:]
    return value


def _missing(masked: Masked, translation: str) -> list[Check]:
    """The checks whose entry the translation does not render in any form."""
    rendered = Rendered(normalize(_PLACEHOLDER.sub(" ", translation)), masked.target_lang)
    verdicts: dict[Entry, bool] = {}
    missing = []
    for check in masked.checks:
        entry = check.entry
        if entry not in verdicts:
            verdicts[entry] = any(rendered.has(form) for form in entry.forms)
        if not verdicts[entry]:
            missing.append(check)
    return missing


def fill_untranslated(masked: Masked, translation: str) -> str:
    """Where the engine left a missing ``verify`` term in English ("three miles" ->
    "tres miles"), put the glossary form in its place ("tres millas").

    Only when the translation has exactly as many such English occurrences as the source
    has matches of the term, and the source has no other occurrence of those words (an
    occurrence whose context did not hold, "Miss me?"): so every replacement stands where
    a matched term was, and nothing else changes. A lowercase term capitalized inside a
    sentence is part of a name ("Orange County") and stays as the engine left it."""
    missing = _missing(masked, translation)
    if not missing:
        return translation
    source = normalize(masked.source)
    by_surface: dict[str, list[Check]] = {}
    for check in missing:
        by_surface.setdefault(check.surface.casefold(), []).append(check)
    all_matched = {key: sum(1 for c in masked.checks if c.surface.casefold() == key)
                   for key in by_surface}
    replacements: list[tuple[int, int, str]] = []
    for key, checks in by_surface.items():
        surface = checks[0].surface
        if len(checks) != all_matched[key] or any(check.in_name for check in checks):
            continue  # rendered elsewhere, or part of a name: not ours to touch
        in_source = find_all(source, surface, False, masked.source_lang)
        in_target = find_all(translation, surface, False, masked.target_lang)
        if len(in_source) != len(checks) or len(in_target) != len(checks):
            continue
        for (start, end), check in zip(in_target, checks, strict=True):
            form = check.form
            if is_all_caps(translation[start:end]) and not is_all_caps(form):
                form = upper(form, masked.target_lang)
            replacements.append((start, end, _capitalized(form, translation, start, False)))
    if not replacements:
        return translation
    replacements.sort()
    out, pos = [], 0
    for start, end, form in replacements:
        out.append(translation[pos:start])
        out.append(form)
        pos = end
    out.append(translation[pos:])
    return "".join(out)


def fallback_mask(masked: Masked, translation: str | None) -> Masked | None:
    """For a second MT pass: ``masked``'s source masked again with the ``verify`` terms that
    ``translation`` (the unmasked first-pass result) does not render, so their target goes
    in as a placeholder in the source's number; ``None`` when nothing is missing (or the
    first pass failed). The terms so inserted are :attr:`Masked.forced`: report them with
    :func:`inserted_issues`."""
    if translation is None or not masked.checks:
        return None
    missing = _missing(masked, translation)
    if not missing:
        return None
    return mask(masked.source, masked.entries, masked.source_lang, masked.target_lang,
                adapt_units=masked.adapt_units,
                force=frozenset(check.entry for check in missing))


def inserted_issues(masked: Masked, cue: int | None) -> list[Issue]:
    """One ``glossary-inserted`` info per term :func:`fallback_mask` inserted."""
    issues = []
    for slot in masked.slots:
        if slot.entry is not None and slot.entry in masked.forced:
            issues.append(Issue(
                "glossary-inserted", "info",
                f"the engine did not render {slot.surface!r}; the glossary form "
                f"{slot.replacement!r} was inserted: check its agreement (article, gender)",
                cue=cue, value=slot.surface, limit=slot.replacement))
    return issues

"""Glossary verification after translation, whatever the enforcement mechanism did.

Each source occurrence of a ``term``/``adapt`` entry must have one of its targets, in any
inflected form (:mod:`subloc.glossary.inflect`: "millas" renders ``milla``, "Herrn" renders
``Herr``), in the corresponding target cue(s) (the cues of the same segment); a unit entry
is also satisfied by the converted figure ``--adapt-units`` wrote ("5 km" for "three
miles"); each ``dnt`` term must appear unchanged (in capitals where the source span is in
capitals: case follows the source); no ``forbidden`` word may appear anywhere (where its
context holds). Deviations are issues naming the term and the cue: ``glossary-dnt-altered``
and ``glossary-term-missing`` (warnings), ``glossary-hint-missing`` (info, for idioms and
other ``hint`` entries, which are never inserted), ``glossary-forbidden`` (error).
Conformities are recorded as hits for the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from subloc.glossary.casing import is_all_caps, upper
from subloc.glossary.context import holds, parse_context
from subloc.glossary.inflect import Rendered
from subloc.glossary.match import (
    ENFORCED,
    Match,
    contains,
    find_all,
    find_terms,
    normalize,
    target_form,
)
from subloc.glossary.model import Entry
from subloc.glossary.units import Conversion, find_conversions
from subloc.issues import Issue, RuleId, Severity
from subloc.reports.model import GlossaryHit
from subloc.textwidth import splits_by_character
from subloc.track import Cue


@dataclass
class Verification:
    issues: list[Issue] = field(default_factory=list)
    hits: list[GlossaryHit] = field(default_factory=list)


def verify(source: list[Cue], target: list[Cue], groups: dict[int, list[int]],
           entries: list[Entry], source_lang: str, target_lang: str) -> Verification:
    result = Verification()
    if not entries:
        return result
    by_id = {cue.id: cue for cue in target}
    source_by_id = {cue.id: cue for cue in source}
    # Line breaks are layout: in scripts without spaces, a term may be split over lines.
    glue = "" if splits_by_character(target_lang) else " "
    done: set[int] = set()
    for cue in source:
        if cue.id in done:
            continue
        # A term may run over the cues of one segment ("a pumpkin / pie"): match the
        # group's joined source, attribute each match to the cue it starts in.
        group = groups.get(cue.id, [cue.id])
        done.update(group)
        members = [source_by_id[i] for i in group if i in source_by_id]
        starts: list[tuple[int, int]] = []
        pieces: list[str] = []
        offset = 0
        for member in members:
            starts.append((offset, member.id))
            piece = " ".join(member.plain_lines)
            pieces.append(piece)
            offset += len(piece) + 1
        text = normalize(" ".join(pieces))
        rendered = Rendered(normalize(glue.join(glue.join(by_id[i].plain_lines)
                                                for i in group if i in by_id)), target_lang)
        conversions: list[Conversion] | None = None
        # A term used again in the group is looked up once (per case of its span).
        verdicts: dict[tuple[Entry, bool], bool] = {}
        for match in find_terms(text, entries, source_lang, types=ENFORCED):
            entry = match.entry
            cue_id = next(i for start, i in reversed(starts) if start <= match.start)
            caps = is_all_caps(match.surface)
            if (entry, caps) not in verdicts:
                verdicts[entry, caps] = _rendered(entry, rendered, caps)
            ok = verdicts[entry, caps]
            if not ok and entry.type != "dnt":
                if conversions is None:
                    conversions = find_conversions(text, target_lang)
                ok = _converted(match, conversions, rendered)
            rule, severity, expected, message = _finding(entry, match, caps, target_lang)
            result.hits.append(GlossaryHit(cue_id, match.surface, expected, entry.type, ok))
            if not ok:
                result.issues.append(Issue(rule, severity, message, cue=cue_id,
                                           value=match.surface, limit=expected))
    _forbidden(target, entries, target_lang, glue, result)
    return result


def _finding(entry: Entry, match: Match, caps: bool, language: str
             ) -> tuple[RuleId, Severity, str, str]:
    """The rule, severity, expected rendering and message of a missed entry."""
    if entry.type == "dnt":
        expected = upper(entry.source, language) if caps else entry.source
        return ("glossary-dnt-altered", "warning", expected,
                f"do-not-translate term {expected!r} does not appear unchanged")
    expected = target_form(match, language)
    wanted = " | ".join(entry.forms)
    if entry.mode == "hint":
        return ("glossary-hint-missing", "info", expected,
                f"glossary hint {entry.source!r}: the translation uses none of {wanted!r}; "
                "check that the sense came through")
    return ("glossary-term-missing", "warning", expected,
            f"glossary {entry.type} {entry.source!r} should be rendered as {wanted!r}")


def _rendered(entry: Entry, rendered: Rendered, caps: bool) -> bool:
    """Whether the translation renders ``entry`` as the glossary says (``caps``: the
    source span is all caps, so the capitals of a ``dnt`` term are expected too)."""
    if entry.type == "dnt":
        return rendered.has(entry.source, entry.case_sensitive, capitals=caps,
                            inflected=False)
    return any(rendered.has(form) for form in entry.forms)


def _converted(match: Match, conversions: list[Conversion], rendered: Rendered) -> bool:
    """A unit entry is satisfied by the figure ``--adapt-units`` converted it to (the
    conversions are disjoint and in text order: only the few around the match are read)."""
    index = _bisect(conversions, match.end)
    while index > 0:
        index -= 1
        conversion = conversions[index]
        if conversion.end <= match.start:
            return False
        if rendered.has_spaced(conversion.replacement):
            return True
    return False


def _bisect(conversions: list[Conversion], end: int) -> int:
    """The number of conversions that start before ``end``."""
    low, high = 0, len(conversions)
    while low < high:
        middle = (low + high) // 2
        if conversions[middle].start < end:
            low = middle + 1
        else:
            high = middle
    return low


def _forbidden(target: list[Cue], entries: list[Entry], language: str, glue: str,
               result: Verification) -> None:
    forbidden = [e for e in entries if e.type == "forbidden"]
    if not forbidden:
        return
    for cue in target:
        rendered = normalize(glue.join(cue.plain_lines))
        folded = rendered.casefold()
        for entry in forbidden:
            conditions = parse_context(entry.context) if entry.context else ()
            for word in entry.targets:
                if normalize(word).casefold() not in folded:
                    continue  # cheap pre-check: most words are not in most cues
                if conditions:
                    present = any(holds(conditions, rendered, start, end) for start, end
                                  in find_all(rendered, word, entry.case_sensitive, language))
                else:
                    present = contains(rendered, word, entry.case_sensitive, language,
                                       normalized=True)
                if present:
                    result.issues.append(Issue(
                        "glossary-forbidden", "error",
                        f"forbidden term {word!r} appears"
                        + (f" ({entry.note})" if entry.note else ""),
                        cue=cue.id, value=word, limit=None))

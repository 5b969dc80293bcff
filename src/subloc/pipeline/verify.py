"""Glossary verification after translation, whatever the enforcement mechanism did.

Each source occurrence of a ``term``/``adapt`` entry must have one of its targets in the
corresponding target cue(s) (the cues of the same segment); each ``dnt`` term must appear
unchanged; no ``forbidden`` word may appear anywhere. Deviations are issues naming the
term and the cue; conformities are recorded as hits for the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from subloc.glossary.match import ENFORCED, contains, find_terms, normalize
from subloc.glossary.model import Entry
from subloc.issues import Issue, RuleId
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
        text = " ".join(pieces)
        rendered = normalize(glue.join(glue.join(by_id[i].plain_lines)
                                       for i in group if i in by_id))
        verdicts: dict[Entry, bool] = {}  # a term used again in the group: looked up once
        for match in find_terms(text, entries, source_lang, types=ENFORCED):
            entry = match.entry
            cue_id = next(i for start, i in reversed(starts) if start <= match.start)
            rule: RuleId
            if entry not in verdicts:
                verdicts[entry] = _rendered(entry, rendered, target_lang)
            ok = verdicts[entry]
            if entry.type == "dnt":
                rule, expected = "glossary-dnt-altered", entry.source
            else:
                rule, expected = "glossary-term-missing", entry.target
            result.hits.append(GlossaryHit(cue_id, match.surface, expected, entry.type, ok))
            if not ok:
                message = (f"do-not-translate term {entry.source!r} does not appear unchanged"
                           if entry.type == "dnt" else
                           f"glossary {entry.type} {entry.source!r} should be rendered as "
                           f"{' | '.join(entry.targets)!r}")
                result.issues.append(Issue(rule, "warning", message, cue=cue_id,
                                           value=match.surface, limit=expected))
    forbidden = [e for e in entries if e.type == "forbidden"]
    for cue in target:
        if not forbidden:
            break
        rendered = normalize(glue.join(cue.plain_lines))
        for entry in forbidden:
            for word in entry.targets:
                if contains(rendered, word, entry.case_sensitive, target_lang,
                            normalized=True):
                    result.issues.append(Issue(
                        "glossary-forbidden", "error",
                        f"forbidden term {word!r} appears"
                        + (f" ({entry.note})" if entry.note else ""),
                        cue=cue.id, value=word, limit=None))
    return result


def _rendered(entry: Entry, rendered: str, language: str) -> bool:
    """Whether the (normalized) target text renders ``entry`` as the glossary says."""
    if entry.type == "dnt":
        return contains(rendered, entry.source, entry.case_sensitive, language,
                        normalized=True)
    return any(contains(rendered, t, False, language, normalized=True) for t in entry.targets)

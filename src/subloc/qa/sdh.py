"""SDH and cinema conventions: rules a profile turns on by giving them a limit.

SDH (subtitles for the deaf and hard of hearing; the ``netflix-sdh`` profile), as the
Netflix English SDH guide writes them:

* ``sdh-sound-tag``: sound descriptions and speaker IDs go in square brackets,
  ``[door slams]``, ``[Maggie] Hello``; a description in parentheses or braces, or a
  bracket left open (or closed without opening), is reported. Its limit is the number of
  such problems a cue may have (0).
* ``sdh-speaker-label``: a speaker written ``MAGGIE: Hello`` (a colon label) instead of
  ``[MAGGIE] Hello``; a label at the start of a line in brackets is fine. The limit is the
  most words a label has (longer upper-case text before a colon is not taken as a label).
* ``sdh-sound-case``: a sound description that fills its line is written in lower case
  (``[door slams]``, not ``[DOOR SLAMS]``; names keep their capitals). The limit is the
  fewest words a description has for the rule to look at it (single upper-case words are
  speaker IDs).

Cinema (the ``dcp`` profile; Bv2.1 7.2.4, as libdcp's verifier and ClairMeta check it):

* ``first-cue-min``: the first subtitle starts no earlier than the limit (ms; 4000).

The rules are registered by :mod:`subloc.qa.rules` (``RULES`` below); this module does not
import it at run time, so there is no import cycle.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from subloc.issues import Issue, RuleId, Severity
from subloc.track import Cue

if TYPE_CHECKING:
    from subloc.qa.rules import CheckContext

__all__ = ["RULES"]

_PARENS = re.compile(r"\(([^()]{1,80})\)|\{([^{}]{1,80})\}")
_LABEL = re.compile(r"^\s*-?\s*(?P<label>[A-Z][A-Z0-9'’.\- ]*?[A-Z0-9.])\s*:(?!\d)\s*\S")
_FULL_BRACKET = re.compile(r"^\s*-?\s*\[(?P<text>[^\[\]]+)\]\s*$")
_LETTER = re.compile(r"[^\W\d_]")


def _description_like(text: str) -> bool:
    """Whether text in parentheses reads as a sound description or a label (words, no
    sentence punctuation), not an aside such as "(I think)"."""
    words = text.split()
    if not words or len(words) > 8:
        return False
    if any(mark in text for mark in "?!,;"):
        return False
    return text.strip()[0].islower() or text.isupper()


def sound_tag(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    limit = ctx.limit("sdh-sound-tag")
    if limit is None:
        return
    severity = ctx.severity("sdh-sound-tag")
    for cue in cues:
        problems: list[str] = []
        depth = 0
        for line in cue.plain_lines:
            for match in _PARENS.finditer(line):
                inner = match.group(1) or match.group(2) or ""
                if _description_like(inner):
                    problems.append(f"{match.group(0)!r} in parentheses or braces: write "
                                    f"[{inner.strip()}]")
            for char in line:
                if char == "[":
                    if depth:
                        problems.append("a bracket opens inside another")
                    depth += 1
                elif char == "]":
                    if not depth:
                        problems.append("a bracket closes that was not opened")
                    depth = max(depth - 1, 0)
            if depth:
                problems.append("a bracket is not closed on its line")
                depth = 0
            if "[]" in line.replace(" ", ""):
                problems.append("an empty bracket")
        if len(problems) > limit:
            yield Issue("sdh-sound-tag", severity, "; ".join(dict.fromkeys(problems)),
                        cue=cue.id, value=len(problems), limit=limit)


def speaker_label(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    limit = ctx.limit("sdh-speaker-label")
    if limit is None:
        return
    severity = ctx.severity("sdh-speaker-label")
    for cue in cues:
        for line in cue.plain_lines:
            match = _LABEL.match(line)
            if match is None:
                continue
            label = match.group("label").strip()
            if len(label.split()) > limit or not _LETTER.search(label) or len(label) < 2:
                continue
            yield Issue("sdh-speaker-label", severity,
                        f"speaker label {label + ':'!r}: write speaker IDs in brackets, "
                        f"[{label}]", cue=cue.id, value=label)
            break


def sound_case(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    limit = ctx.limit("sdh-sound-case")
    if limit is None:
        return
    severity = ctx.severity("sdh-sound-case")
    for cue in cues:
        for line in cue.plain_lines:
            match = _FULL_BRACKET.match(line)
            if match is None:
                continue
            text = match.group("text").strip()
            if len(text.split()) >= max(limit, 1) and _LETTER.search(text) and \
                    text == text.upper() and text != text.lower():
                yield Issue("sdh-sound-case", severity,
                            f"sound description [{text}] in capitals: write it in lower "
                            f"case, [{text.lower()}] (names keep their capitals)",
                            cue=cue.id, value=text)
                break


def first_cue(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    limit = ctx.limit("first-cue-min")
    # Rules see windows of a track; only the first window starts with the track's first
    # cue, which has id 1 in a track as read (ids are positions).
    if limit is None or not cues or cues[0].id > 1:
        return
    first = cues[0]
    if first.start_ms < limit:
        yield Issue("first-cue-min", ctx.severity("first-cue-min"),
                    f"the first subtitle starts at {first.start_ms} ms (not before "
                    f"{limit:g} ms on a cinema screen: Bv2.1 7.2.4)", cue=first.id,
                    value=first.start_ms, limit=limit)


RuleFn = Callable[[list[Cue], "CheckContext"], Iterator[Issue]]

#: ``(rule id, description, default severity, function)`` for :mod:`subloc.qa.rules`.
RULES: list[tuple[RuleId, str, Severity, RuleFn]] = [
    ("sdh-sound-tag", "SDH: a sound description or speaker ID not in square brackets, or "
     "a bracket not closed", "warning", sound_tag),
    ("sdh-speaker-label", "SDH: a speaker written 'NAME:' instead of [NAME]", "warning",
     speaker_label),
    ("sdh-sound-case", "SDH: a sound description in capitals ([DOOR SLAMS] for "
     "[door slams])", "info", sound_case),
    ("first-cue-min", "cinema: the first subtitle starts before the profile's minimum "
     "(Bv2.1: 4 s)", "warning", first_cue),
]

"""The check stage: QA rules over a track, with limits from a delivery profile.

``RULES`` maps a stable rule id (:data:`subloc.issues.RuleId`, a public interface: reports
and profiles name it) to a :class:`Rule`. To add a rule: add its id to ``RuleId``, write
the function, decorate it with ``@rule("id", "one-line description")``, and give it a
limit and severity in the profiles that should use it. Rules other stages report (glossary,
mask, restore, fix) are registered with :func:`describe` so profiles and ``subloc profiles
show`` know them too.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from subloc import markup
from subloc.issues import Issue, RuleId, Severity
from subloc.qa import sdh
from subloc.qa.profiles import Profile
from subloc.textwidth import width
from subloc.track import Cue


@dataclass(frozen=True)
class CheckContext:
    """What rules need: the profile, the track's language and frame rate, and, for the
    translation rules, the source cue of each target cue and the source language."""

    profile: Profile
    language: str | None
    fps: float = 23.976
    sources: Mapping[int, Cue] = field(default_factory=dict)
    source_lang: str | None = None
    #: The output format's time grid (ms): auto-fix rounds onto it.
    time_step_ms: int = 1
    #: Cues whose numbers the pipeline changed on purpose (US units adapted to metric):
    #: ``number-mismatch`` does not flag them.
    adapted_cues: frozenset[int] = frozenset()

    def limit(self, rule_id: RuleId) -> float | None:
        value = self.profile.limit(rule_id, self.language)
        return None if value is None else float(value)

    def severity(self, rule_id: RuleId) -> Severity:
        default = RULES[rule_id].severity if rule_id in RULES else "warning"
        return self.profile.severity.get(rule_id, default)

    def frames_to_ms(self, frames: float) -> int:
        return math.ceil(frames * 1000 / self.fps)


RuleFn = Callable[[list[Cue], CheckContext], Iterator[Issue]]


@dataclass(frozen=True)
class Rule:
    """A registered rule: what it checks, its default severity, and the function that checks
    it (``None`` for rules another stage reports)."""

    description: str
    severity: Severity
    check: RuleFn | None


RULES: dict[RuleId, Rule] = {}


def rule(rule_id: RuleId, description: str, severity: Severity = "warning"
         ) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        RULES[rule_id] = Rule(description, severity, fn)
        return fn
    return register


def describe(rule_id: RuleId, description: str, severity: Severity) -> None:
    """Register a rule whose issues another stage reports (glossary, mask, restore, fix)."""
    RULES[rule_id] = Rule(description, severity, None)


#: Cues checked at a time: rules look at a cue and its neighbours only, so a long track is
#: checked in windows (with one cue of context on each side) and its issues streamed.
WINDOW = 5_000


def check(cues: list[Cue], ctx: CheckContext) -> list[Issue]:
    """Every rule over ``cues``; translation rules only where ``ctx.sources`` has the cue.
    Sorted by cue, then rule."""
    return list(check_iter(cues, ctx))


def check_iter(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    """:func:`check`'s issues one window of cues at a time, in the same order."""
    for start in range(0, max(len(cues), 1), WINDOW):
        yield from check_range(cues, start, min(start + WINDOW, len(cues)), ctx)


def check_range(cues: Sequence[Cue], start: int, end: int, ctx: CheckContext) -> list[Issue]:
    """The issues of ``cues[start:end]``, seen with one cue of context on each side (what
    every rule needs), sorted by cue, then rule."""
    context = list(cues[max(start - 1, 0) : end + 1])
    own = {cue.id for cue in cues[start:end]} if len(context) > end - start else None
    issues: list[Issue] = []
    for registered in RULES.values():
        if registered.check is not None:
            issues.extend(issue for issue in registered.check(context, ctx)
                          if own is None or issue.cue in own)
    return sorted(issues, key=lambda i: (i.cue or 0, i.rule))


def with_profile_severity(issues: Iterable[Issue], ctx: CheckContext) -> Iterator[Issue]:
    """The profile decides every issue's severity, whichever stage found it."""
    for issue in issues:
        severity = ctx.severity(issue.rule)
        yield issue if severity == issue.severity else replace(issue, severity=severity)


def cps(cue: Cue) -> float:
    """Characters per second: every displayed character, spaces and punctuation included;
    line breaks and tags excluded."""
    chars = sum(len(line) for line in cue.plain_lines)
    return chars / max(cue.duration_ms / 1000, 0.001)


@rule("cpl-max", "a line is longer than the profile's characters per line", "error")
def _cpl(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    limit = ctx.limit("cpl-max")
    if limit is None:
        return
    for cue in cues:
        longest = max((width(line, ctx.language) for line in cue.plain_lines), default=0.0)
        if longest > limit:
            yield Issue("cpl-max", ctx.severity("cpl-max"),
                        f"line of {longest:g} characters (limit {limit:g})", cue=cue.id,
                        value=longest, limit=limit)


@rule("lines-max", "a cue has more lines than the profile allows", "error")
def _lines(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    limit = ctx.limit("lines-max")
    if limit is None:
        return
    for cue in cues:
        count = len([line for line in cue.plain_lines if line.strip()])
        if count > limit:
            yield Issue("lines-max", ctx.severity("lines-max"),
                        f"{count} lines (limit {limit:g})", cue=cue.id, value=count, limit=limit)


@rule("cps-max", "reading speed above the profile's characters per second")
def _cps(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    limit = ctx.limit("cps-max")
    if limit is None:
        return
    for cue in cues:
        value = round(cps(cue), 1)
        if cue.duration_ms > 0 and value > limit:
            yield Issue("cps-max", ctx.severity("cps-max"),
                        f"{value:g} characters per second (limit {limit:g})", cue=cue.id,
                        value=value, limit=limit)


@rule("duration-min", "a cue is on screen for less than the minimum duration")
def _duration_min(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    limit = ctx.limit("duration-min")
    if limit is None:
        return
    for cue in cues:
        if 0 < cue.duration_ms < limit:
            yield Issue("duration-min", ctx.severity("duration-min"),
                        f"on screen {cue.duration_ms} ms (minimum {limit:g} ms)", cue=cue.id,
                        value=cue.duration_ms, limit=limit)


@rule("duration-max", "a cue is on screen for longer than the maximum duration")
def _duration_max(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    limit = ctx.limit("duration-max")
    if limit is None:
        return
    for cue in cues:
        if cue.duration_ms > limit:
            yield Issue("duration-max", ctx.severity("duration-max"),
                        f"on screen {cue.duration_ms} ms (maximum {limit:g} ms)", cue=cue.id,
                        value=cue.duration_ms, limit=limit)


@rule("overlap", "a cue starts before the previous one ends", "error")
def _overlap(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    for previous, cue in pairwise(cues):
        if previous.start_ms <= cue.start_ms < previous.end_ms:
            yield Issue("overlap", ctx.severity("overlap"),
                        f"starts {previous.end_ms - cue.start_ms} ms before cue {previous.id} "
                        "ends", cue=cue.id, value=previous.end_ms - cue.start_ms, limit=0)


@rule("timing-invalid", "a cue ends before it starts, or starts before the previous one",
      "error")
def _timing_invalid(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    for index, cue in enumerate(cues):
        if cue.end_ms <= cue.start_ms or cue.start_ms < 0:
            yield Issue("timing-invalid", ctx.severity("timing-invalid"),
                        f"ends at {cue.end_ms} ms, starts at {cue.start_ms} ms", cue=cue.id,
                        value=cue.duration_ms, limit=0)
        elif index and cue.start_ms < cues[index - 1].start_ms:
            yield Issue("timing-invalid", ctx.severity("timing-invalid"),
                        f"starts before cue {cues[index - 1].id} (out of order)", cue=cue.id,
                        value=cue.start_ms, limit=cues[index - 1].start_ms)


@rule("gap-min", "the gap to the next cue is shorter than the minimum (in frames)")
def _gap_min(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    frames = ctx.limit("gap-min")
    if frames is None:
        return
    minimum = ctx.frames_to_ms(frames)
    for cue, following in pairwise(cues):
        gap = following.start_ms - cue.end_ms
        if 0 <= gap < minimum:
            yield Issue("gap-min", ctx.severity("gap-min"),
                        f"gap of {gap} ms to cue {following.id} (minimum {frames:g} frames = "
                        f"{minimum} ms at {ctx.fps:g} fps)", cue=cue.id, value=gap, limit=minimum)


@rule("line-balance", "two lines of very different lengths (a balanced break reads better)",
      "info")
def _line_balance(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    for cue in cues:
        lines = [line for line in cue.plain_lines if line.strip()]
        if len(lines) != 2 or lines[0].lstrip().startswith("-"):
            continue
        short, long_ = sorted(width(line, ctx.language) for line in lines)
        if long_ >= 20 and short / long_ < 0.4:
            yield Issue("line-balance", ctx.severity("line-balance"),
                        f"lines of {short:g} and {long_:g} characters", cue=cue.id,
                        value=round(short / long_, 2), limit=0.4)


@rule("wpm-max", "reading speed above the profile's words per minute")
def _wpm(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    limit = ctx.limit("wpm-max")
    if limit is None:
        return
    for cue in cues:
        words = len(" ".join(cue.plain_lines).split())
        if cue.duration_ms > 0 and words:
            value = round(words / (cue.duration_ms / 60_000))
            if value > limit:
                yield Issue("wpm-max", ctx.severity("wpm-max"),
                            f"{value} words per minute (limit {limit:g})", cue=cue.id,
                            value=value, limit=limit)


@rule("empty", "a cue has no text", "error")
def _empty(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    for cue in cues:
        if not cue.plain_text.strip():
            yield Issue("empty", ctx.severity("empty"), "the cue has no text", cue=cue.id)


@rule("whitespace", "leading, trailing or double spaces in a line")
def _whitespace(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    for cue in cues:
        for number, line in enumerate(cue.plain_lines, start=1):
            problem = ("leading space" if line[:1].isspace() else
                       "trailing space" if line[-1:].isspace() else
                       "double space" if "  " in line else None)
            if problem:
                yield Issue("whitespace", ctx.severity("whitespace"),
                            f"{problem} in line {number}", cue=cue.id, value=line)
                break


@rule("tag-unbalanced", "a formatting tag is opened and not closed, or the reverse")
def _tag_unbalanced(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    for cue in cues:
        stray = markup.unbalanced_tags(cue.text)
        if stray:
            yield Issue("tag-unbalanced", ctx.severity("tag-unbalanced"),
                        f"unbalanced <{'>, <'.join(stray)}>", cue=cue.id, value=stray)


_REPEAT = re.compile(r"\b(\w{2,})\s+\1\b", re.IGNORECASE)


@rule("repeated-word", "the same word twice in a row")
def _repeated_word(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    for cue in cues:
        match = _REPEAT.search(" ".join(cue.plain_lines))
        if match and not match.group(1).isdigit():
            yield Issue("repeated-word", ctx.severity("repeated-word"),
                        f"{match.group(0)!r}", cue=cue.id, value=match.group(0))


# --- translation rules: need the source cue of each target cue ------------------------

_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")


def _numbers(text: str) -> Counter[str]:
    return Counter(re.sub(r"[.,:](?=\d{3}\b)", "", n).replace(",", ".")
                   for n in _NUMBER.findall(text))


@rule("number-mismatch", "the numbers in the target differ from the source's")
def _number_mismatch(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    for cue in cues:
        source = ctx.sources.get(cue.id)
        if source is None or cue.id in ctx.adapted_cues:
            continue
        expected, found = _numbers(source.plain_text), _numbers(cue.plain_text)
        if expected != found:
            yield Issue("number-mismatch", ctx.severity("number-mismatch"),
                        f"source has {sorted(expected.elements())}, target "
                        f"{sorted(found.elements())}", cue=cue.id,
                        value=sorted(found.elements()), limit=sorted(expected.elements()))


def _tag_names(text: str) -> Counter[str]:
    return Counter(t.name for t in markup.tokenize(text)
                   if t.kind == "open" and t.name in markup.CANONICAL)


@rule("tag-mismatch", "the target's formatting tags differ from the source's")
def _tag_mismatch(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    for cue in cues:
        source = ctx.sources.get(cue.id)
        if source is None:
            continue
        expected, found = set(_tag_names(source.text)), set(_tag_names(cue.text))
        if expected != found:
            yield Issue("tag-mismatch", ctx.severity("tag-mismatch"),
                        f"source formatting {sorted(expected)}, target {sorted(found)}",
                        cue=cue.id, value=sorted(found), limit=sorted(expected))


@rule("length-ratio", "the target is much longer or shorter than its source")
def _length_ratio(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    limit = ctx.limit("length-ratio")
    if limit is None:
        return
    for cue in cues:
        source = ctx.sources.get(cue.id)
        if source is None:
            continue
        before, after = len(source.plain_text.strip()), len(cue.plain_text.strip())
        if before >= 10 and after and not (1 / limit <= after / before <= limit):
            yield Issue("length-ratio", ctx.severity("length-ratio"),
                        f"target is {after / before:.1f}x the source's length", cue=cue.id,
                        value=round(after / before, 2), limit=limit)


@rule("cps-worse", "the target breaks the reading-speed limit where its source did not",
      "info")
def _cps_worse(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    limit = ctx.limit("cps-max")
    if limit is None:
        return
    for cue in cues:
        source = ctx.sources.get(cue.id)
        if source is None or cue.duration_ms <= 0:
            continue
        if cps(cue) > limit >= cps(source):
            yield Issue("cps-worse", ctx.severity("cps-worse"),
                        f"{cps(cue):.1f} cps where the source had {cps(source):.1f}",
                        cue=cue.id, value=round(cps(cue), 1), limit=limit)


@rule("untranslated", "the line is still in the source language")
def _untranslated(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    if not ctx.sources or not ctx.source_lang or not ctx.language:
        return
    from subloc.qa.langid import is_untranslated

    for cue in cues:
        source = ctx.sources.get(cue.id)
        if source is None:
            continue
        verdict = is_untranslated(source.plain_text, cue.plain_text, ctx.source_lang,
                                  ctx.language)
        if verdict is not None:
            yield Issue("untranslated", ctx.severity("untranslated"), verdict, cue=cue.id,
                        value=" ".join(cue.plain_lines))


_DESCRIBED: list[tuple[RuleId, str, Severity]] = [
    ("glossary-term-missing", "a glossary term is not rendered as the glossary says", "warning"),
    ("glossary-dnt-altered", "a do-not-translate term does not appear unchanged", "warning"),
    ("glossary-forbidden", "a forbidden term appears in the target", "error"),
    ("glossary-hint-missing", "an idiom or expression in the glossary (a hint, never "
     "inserted) is not rendered as it suggests: check the sense came through", "info"),
    ("glossary-inserted", "the engine did not render a glossary term, so its form was "
     "inserted: check its agreement", "info"),
    ("placeholder-lost", "the engine mangled a glossary placeholder; translated without it",
     "warning"),
    ("tag-reanchored", "inline tags were put back by position after MT lost them", "warning"),
    ("mt-empty", "the engine returned nothing; the source text was kept", "warning"),
    ("same-language", "the source is already in the target language; not translated", "info"),
    ("unit-adapted", "a US unit was converted to metric", "info"),
    ("rewrap", "lines were re-wrapped to fit the profile", "info"),
    ("mt-unknown-word", "the engine did not know a word and left it as in the source",
     "info"),
    ("mt-low-confidence", "the engine's confidence is below --review-below: review it", "info"),
    ("human-translation", "a reviewer's translation was reused from the cache", "info"),
    ("review-changed", "a reviewer changed the translation (subloc review import)", "info"),
    ("review-comment", "a reviewer's comment on the cue", "info"),
    ("review-unmatched", "a reviewed unit no longer matches the track; left alone", "warning"),
]
for _id, _text, _severity in _DESCRIBED:
    describe(_id, _text, _severity)

# SDH and cinema conventions (subloc.qa.sdh), on when a profile gives them a limit.
for _id, _text, _severity, _check in sdh.RULES:
    rule(_id, _text, _severity)(_check)

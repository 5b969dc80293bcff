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
from functools import cached_property, lru_cache
from itertools import pairwise

from subloc import markup
from subloc.issues import Issue, RuleId, Severity
from subloc.qa import linebreak, sdh, typography
from subloc.qa.linebreak import TermIndex
from subloc.qa.profiles import Profile
from subloc.qa.typography import Style
from subloc.textwidth import base_language, splits_by_character, width
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
    #: The job's glossary terms and ``dnt`` names as the target writes them (targets,
    #: plurals, names): never spelling errors, never split by a line break.
    terms: tuple[str, ...] = ()

    @cached_property
    def style(self) -> Style:
        """The target language's typography (its table, then the profile's ``[style]``)."""
        return typography.resolve_style(self.profile.style, self.language)

    @cached_property
    def source_style(self) -> Style:
        return typography.resolve_style(self.profile.style, self.source_lang)

    @cached_property
    def known_words(self) -> frozenset[str]:
        """Words never reported as misspelt (casefolded): the profile's and ``--words``
        lists, and every word of :attr:`terms`."""
        from subloc.qa.spelling import known_words

        return known_words(self.profile.words, self.terms)

    @cached_property
    def term_words(self) -> frozenset[str]:
        """The lower-case words of :attr:`terms`: a target writes them on purpose, so they
        say nothing about whether a line was translated."""
        from subloc.qa.langid import words_of

        return frozenset(word for term in self.terms for word in words_of(term))

    @cached_property
    def term_index(self) -> TermIndex:
        return TermIndex.of(self.terms)

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
    every rule needs), sorted by cue, then rule. An issue about the whole track (``cue``
    None: a missing dictionary) is kept from the first range only."""
    context = list(cues[max(start - 1, 0) : end + 1])
    own = {cue.id for cue in cues[start:end]} if len(context) > end - start else None
    issues: list[Issue] = []
    for registered in RULES.values():
        if registered.check is not None:
            issues.extend(issue for issue in registered.check(context, ctx)
                          if own is None or issue.cue in own
                          or (issue.cue is None and start == 0))
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
        if not any("<" in line for line in cue.lines):
            continue  # most cues: no tag, nothing to balance
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
                                  ctx.language, ctx.term_words)
        if verdict is not None:
            yield Issue("untranslated", ctx.severity("untranslated"), verdict, cue=cue.id,
                        value=" ".join(cue.plain_lines))


# --- language: spelling, typography, line breaks -----------------------------------------

@rule("spelling", "a word is not in the language's Hunspell dictionary (glossary terms, "
      "names, numbers and the user's words excepted)")
def _spelling(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    from subloc.qa.spelling import check_target

    return check_target(cues, ctx)


@rule("spelling-source", "a word of the source is not in the source language's "
      "dictionary (its capitalised words taken as names)", "info")
def _spelling_source(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    from subloc.qa.spelling import check_source

    return check_source(cues, ctx)


def _typography(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    """Every typography rule (``CHECKS`` of :mod:`subloc.qa.typography`) in one pass over
    the cues: each cue is looked at once, and taken apart only for the rules that may
    find something in it."""
    if not ctx.language:
        return
    style = ctx.style
    checks = typography.CHECKS
    for index, cue in enumerate(cues):
        plain = cue.plain_lines
        for rule_id in typography.candidates(plain, style):
            if rule_id == "whitespace":
                continue  # the whitespace rule's own check says it (and --fix fixes it)
            around = rule_id == "inverted-marks"  # the one check that reads the cues around
            previous = cues[index - 1].plain_text if around and index else None
            following = cues[index + 1].plain_text \
                if around and index + 1 < len(cues) else None
            finding = checks[rule_id](cue.lines, plain, style, previous, following)
            if finding is not None:
                hint = "; auto-fix (--fix) corrects it" if finding.fixed is not None else ""
                yield Issue(finding.rule, ctx.severity(finding.rule), finding.message + hint,
                            cue=cue.id)


_TYPOGRAPHY_RULES: list[tuple[RuleId, str, Severity]] = [
    ("ellipsis-style", "an ellipsis not written as the profile asks (… or ...)", "info"),
    ("quote-style", "quotation marks not of the language, or opening where they close",
     "warning"),
    ("dialogue-dash", "a two-speaker cue's dashes not as the language writes them", "warning"),
    ("punctuation-spacing", "a space missing or wrong around punctuation (French no-break "
     "spaces; no space before , . ; : ! ? elsewhere)", "warning"),
    ("inverted-marks", "a Spanish question or exclamation without its ¿ or ¡ (or the "
     "reverse)", "warning"),
]
# One pass reports them all: the first carries the check, the others are described.
for _number, (_rule_id, _text, _severity) in enumerate(_TYPOGRAPHY_RULES):
    if _number == 0:
        rule(_rule_id, _text, _severity)(_typography)
    else:
        describe(_rule_id, _text, _severity)


#: Question and exclamation marks per language (Greek asks with ";"); languages that do
#: not always mark questions (Japanese, Thai) are not checked.
_QUESTION_MARKS = {"el": "?;;", "ar": "?؟", "fa": "?؟", "ur": "?؟", "zh": "?？",
                   "ko": "?？"}
_EXCLAMATION_MARKS = {"zh": "!！", "ko": "!！"}
_UNMARKED = frozenset({"ja", "th", "lo", "km", "my", "hy", "am"})
_TRAILER = " \t\n\u00a0\u202f♪\"'”’»)]}~*"
_DOUBLE_QUOTES = "\"“”„‟«»"


def _final_marks(text: str, question: str, exclamation: str) -> set[str]:
    """The ``?`` and ``!`` that end ``text`` (closing quotes, brackets, ♪ and pseudo
    padding aside), in the language's marks."""
    text = text.rstrip(_TRAILER)
    marks: set[str] = set()
    for char in reversed(text):
        if char in question:
            marks.add("?")
        elif char in exclamation:
            marks.add("!")
        else:
            break
    return marks


@rule("punctuation-mismatch", "the source ends in ? or ! and the target does not, or the "
      "target's brackets or quotes are unbalanced where the source's are not")
def _punctuation_mismatch(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    if not ctx.sources:
        return
    language = base_language(ctx.language)
    source_lang = base_language(ctx.source_lang)
    marked = language not in _UNMARKED and source_lang not in _UNMARKED
    question = _QUESTION_MARKS.get(language, "?")
    exclamation = _EXCLAMATION_MARKS.get(language, "!")
    source_question = _QUESTION_MARKS.get(source_lang, "?")
    source_exclamation = _EXCLAMATION_MARKS.get(source_lang, "!")
    severity = ctx.severity("punctuation-mismatch")
    for index, cue in enumerate(cues):
        source = ctx.sources.get(cue.id)
        if source is None:
            continue
        source_text, target_text = source.plain_text, cue.plain_text
        if not target_text.strip():
            continue
        problem = ""
        if marked:
            wanted = _final_marks(source_text, source_question, source_exclamation)
            if wanted and not wanted & _final_marks(target_text, question, exclamation):
                kind = "a question" if "?" in wanted else "an exclamation"
                problem = f"the source ends {kind} ({''.join(sorted(wanted))}); the " \
                          "target does not"
        if not problem:
            for opening, closing in ("()", "[]", "{}"):
                if source_text.count(opening) == source_text.count(closing) \
                        and not _balanced(cues, index, opening, closing):
                    problem = f"unbalanced {opening}{closing} in the target (balanced in " \
                              "the source)"
                    break
        if not problem:
            source_quotes = sum(source_text.count(q) for q in _DOUBLE_QUOTES)
            target_quotes = sum(target_text.count(q) for q in _DOUBLE_QUOTES)
            if source_quotes % 2 == 0 and target_quotes % 2 and not any(
                    0 <= n < len(cues) and sum(cues[n].plain_text.count(q)
                                               for q in _DOUBLE_QUOTES) % 2
                    for n in (index - 1, index + 1)):
                problem = "a quotation mark without its pair in the target (paired in the " \
                          "source)"
        if problem:
            yield Issue("punctuation-mismatch", severity, problem, cue=cue.id)


def _balanced(cues: Sequence[Cue], index: int, opening: str, closing: str) -> bool:
    """Whether cue ``index``'s brackets are balanced, or the cue opens one and its
    sentence runs on into the next cue, or closes one opened in a sentence that ran on
    from the cue before (a sentence in brackets over several cues)."""
    text = cues[index].plain_text
    own = text.count(opening) - text.count(closing)
    if own == 0:
        return True
    if own > 0:
        return not typography.ends_sentence(text)
    return index > 0 and not typography.ends_sentence(cues[index - 1].plain_text)


def unit_splits(lines: Sequence[str], language: str | None, terms: TermIndex,
                limit: float | None) -> list[tuple[str, int, bool]]:
    """Where the breaks between ``lines`` (displayed text) split a unit (see
    :mod:`subloc.qa.linebreak`): (``"Día de / Acción de Gracias"``, weight, whether a
    two-line break elsewhere fits within ``limit`` and splits nothing)."""
    shown = [line for line in lines if line.strip()]
    stop = _stop_words(language)
    if len(shown) < 2 or stop is None:
        return []
    per_line = [linebreak.words_of(line) if "\u00a0" in line or "\u202f" in line
                or "\u2007" in line else line.split()
                for line in shown]  # split() is words_of() where no no-break space is
    candidates = []
    for number in range(len(per_line) - 1):
        if not per_line[number] or not per_line[number + 1]:
            continue
        left, right = per_line[number][-1], per_line[number + 1][0]
        if _may_join(left, right, stop, terms):
            candidates.append(number)
    if not candidates or typography.is_dialogue(shown):
        return []
    words = [word for line in per_line for word in line]
    weights = linebreak.cut_weights(words, language, terms)
    found: list[tuple[str, int, bool]] = []
    for number in candidates:
        cut = sum(len(line) for line in per_line[: number + 1])
        if weights[cut]:
            found.append((linebreak.split_units(words, weights, cut), weights[cut],
                          _fits_elsewhere(words, weights, limit, language)))
    return found


@lru_cache(maxsize=64)
def _stop_words(language: str | None) -> frozenset[str] | None:
    """The articles and prepositions of ``language`` (a line does not end with one), or
    None for a language written without spaces (its breaks are not weighed here)."""
    if splits_by_character(language):
        return None
    return linebreak.NO_BREAK_AFTER.get(base_language(language), frozenset())


def _may_join(left: str, right: str, stop: frozenset[str], terms: TermIndex) -> bool:
    """A cheap test: could ``left`` and ``right`` (the words around a break) be one
    unit? (Only then is the cue's every break weighed.)"""
    left_core, right_core = linebreak.core(left), linebreak.core(right)
    folded_left, folded_right = left_core.casefold(), right_core.casefold()
    if left and left[-1] in ",;:!?…)]}»”" and folded_left not in linebreak.TITLE_CORES:
        return False
    if folded_left in stop or folded_left in linebreak.TITLE_CORES or left_core[:1].isdigit() \
            or left in linebreak.CURRENCY_BEFORE:
        return True
    if (left_core[:1].isupper() or folded_left in linebreak.NAME_PARTICLES) and (
            right_core[:1].isupper() or folded_right in linebreak.NAME_PARTICLES):
        return True
    return folded_left in terms.words and folded_right in terms.words


def _fits_elsewhere(words: Sequence[str], weights: Sequence[int], limit: float | None,
                    language: str | None) -> bool:
    if limit is None:
        return False
    widths = [width(word, language) for word in words]
    total = sum(widths) + len(words) - 1
    running = 0.0
    for cut in range(1, len(words)):
        running += widths[cut - 1] + (1 if cut > 1 else 0)
        if not weights[cut] and running <= limit and total - running - 1 <= limit:
            return True
    return False


@rule("line-break-unit", "a line break splits a name, a glossary term, a number and its "
      "unit, or an article or preposition from its word", "info")
def _line_break_unit(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    if not ctx.language:
        return
    limit = ctx.limit("cpl-max")
    terms = ctx.term_index
    severity = ctx.severity("line-break-unit")
    for cue in cues:
        if len(cue.lines) < 2:
            continue
        for text, _weight, elsewhere in unit_splits(cue.plain_lines, ctx.language, terms,
                                                    limit):
            note = "a break elsewhere fits and keeps it whole" if elsewhere else \
                "no break that fits keeps it whole"
            yield Issue("line-break-unit", severity, f"the line break splits {text!r} "
                        f"({note})", cue=cue.id, value=text)


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
    ("spelling-unavailable", "no Hunspell library or dictionary for a track's language: its "
     "spelling was not checked (the line says what to install)", "info"),
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

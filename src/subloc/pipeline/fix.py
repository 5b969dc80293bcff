"""Auto-fix: timing and layout repairs, each recorded as a fixed issue with before/after.

Timing, in one pass in cue order (a fix never reorders cues and never moves a start
earlier than the previous end plus the minimum gap):
- a cue longer than the maximum duration is shortened to it;
- a cue shorter than the minimum is extended into the following gap, keeping the minimum
  gap;
- an overlap, or a gap below the minimum, is resolved by ending the cue the minimum gap
  before the next one starts (if the next starts too soon for that, the next one starts
  later instead);
- a gap under about 12 frames is chained to exactly the minimum gap (2 frames: Netflix
  practice), by extending the earlier cue.
Typography, where the correction is right wherever it applies (see
:mod:`subloc.qa.typography`): spaces collapsed and stripped, the profile's ellipsis, the
language's quotation marks (where it has one convention: German „ “, French « »), the
language's dialogue dash, spaces around punctuation (French no-break spaces), Spanish ¿ ¡
where the question plainly starts with its sentence. Each is a fixed issue with the lines
before and after; what is not safe to change stays a hint of the check.
Layout: lines over the characters-per-line limit are re-wrapped and balanced, never
splitting a glossary term, a name, or a number and its unit when a layout that fits keeps
them whole; a cue whose break splits one of those is re-broken where such a layout exists
(``line-break-unit``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from subloc.issues import Issue, RuleId
from subloc.pipeline.fit import FitLimits, fit_lines
from subloc.qa import typography
from subloc.qa.linebreak import STRONG
from subloc.qa.rules import CheckContext, unit_splits
from subloc.textwidth import width
from subloc.track import Cue

#: Gaps shorter than this many frames are closed to exactly the minimum gap.
CHAIN_FRAMES = 12


@dataclass
class FixResult:
    cues: list[Cue]
    issues: list[Issue]


def fix(cues: list[Cue], ctx: CheckContext) -> FixResult:
    """Fixed copies of ``cues`` and what was changed (see :func:`fix_in_place`)."""
    fixed = [cue.copy() for cue in cues]
    return FixResult(fixed, list(fix_in_place(fixed, ctx)))


def fix_in_place(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    """Fix ``cues`` in one pass, yielding each change as a fixed issue, in cue order (a
    cue's typography fixes, then its timing fixes, then its layout fix). Nothing is held
    but the cue in hand, so a track of a million cues is fixed in constant extra memory."""
    yield from Fixer(ctx).fix(cues, 0, len(cues))


class Fixer:
    """Fixes a track's cues in order, in as many calls as the caller likes (a track being
    restored window by window is fixed as it grows)."""

    def __init__(self, ctx: CheckContext) -> None:
        self.timing, self.layout = _Timing(ctx), _Layout(ctx)
        self.typography = _Typography(ctx)
        self.ahead: list[Issue] = []  # issues the previous step recorded for the next cue

    def fix(self, cues: Sequence[Cue], start: int, end: int) -> Iterator[Issue]:
        """Fix ``cues[start:end]`` (the cues before ``start`` must be fixed already)."""
        for index in range(start, end):
            cue = cues[index]
            previous = cues[index - 1] if index else None
            following = cues[index + 1] if index + 1 < len(cues) else None
            issues: list[Issue] = []
            self.typography.fix(cue, previous, following, issues)
            issues.extend(self.ahead)
            self.ahead = []
            self.timing.fix(cue, following, issues, self.ahead)
            laid_out = list(cue.lines)
            self.layout.fix(cue, issues)
            if cue.lines != laid_out:
                # Lines joined and broken anew may need a typography fix again (a space
                # now before », or at a line end before an empty tag).
                self.typography.fix(cue, previous, following, issues)
            yield from issues


def _record(issues: list[Issue], rule: RuleId, cue: Cue, before: tuple[int, int], what: str,
            ctx: CheckContext) -> None:
    after = (cue.start_ms, cue.end_ms)
    if after != before:
        issues.append(Issue(rule, ctx.severity(rule), what, cue=cue.id, fixed=True,
                            before=list(before), after=list(after)))


class _Timing:
    """The timing fixes of the module docstring, on the output format's time grid."""

    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        frames = ctx.limit("gap-min") or 0
        self.step = ctx.time_step_ms
        # On the output format's grid: round the gap up, ends down, starts up.
        self.min_gap = -(-ctx.frames_to_ms(frames) // self.step) * self.step
        self.chain = ctx.frames_to_ms(CHAIN_FRAMES) if frames else 0
        self.min_duration = ctx.limit("duration-min")
        self.max_duration = ctx.limit("duration-max")
        self.one_frame = ctx.frames_to_ms(1)

    def fix(self, cue: Cue, following: Cue | None, issues: list[Issue],
            ahead: list[Issue]) -> None:
        """Fix one cue; a change to the following cue is recorded in ``ahead``."""
        ctx, step, min_gap, chain = self.ctx, self.step, self.min_gap, self.chain
        min_duration, max_duration, one_frame = (self.min_duration, self.max_duration,
                                                 self.one_frame)
        if following is not None and following.start_ms < cue.start_ms:
            return  # out of order: only a person can fix that (timing-invalid)
        if cue.end_ms <= cue.start_ms:
            return
        if max_duration and cue.duration_ms > max_duration:
            before = (cue.start_ms, cue.end_ms)
            cue.end_ms = cue.start_ms + int(max_duration)
            _record(issues, "duration-max", cue, before,
                    f"shortened to the maximum {max_duration:g} ms", ctx)
        limit_end = (following.start_ms - min_gap) // step * step if following else None
        if min_duration and cue.duration_ms < min_duration:
            before = (cue.start_ms, cue.end_ms)
            target = cue.start_ms + -(-int(min_duration) // step) * step
            if limit_end is not None:
                target = min(target, limit_end)
            if target > cue.end_ms:
                cue.end_ms = target
                _record(issues, "duration-min", cue, before,
                        "extended into the following gap", ctx)
        if following is None or limit_end is None:
            return
        gap = following.start_ms - cue.end_ms
        if gap < min_gap:
            before = (cue.start_ms, cue.end_ms)
            rule: RuleId = "overlap" if gap < 0 else "gap-min"
            if limit_end - cue.start_ms >= one_frame:
                cue.end_ms = limit_end
                _record(issues, rule, cue, before,
                        f"ends {min_gap} ms before cue {following.id}", ctx)
            else:
                # No room to end earlier: the next cue starts later instead.
                cue.end_ms = max(cue.end_ms, cue.start_ms + max(one_frame, step))
                next_before = (following.start_ms, following.end_ms)
                following.start_ms = cue.end_ms + min_gap
                following.end_ms = max(following.end_ms,
                                        following.start_ms + max(one_frame, step))
                _record(issues, rule, cue, before, "kept one frame", ctx)
                _record(ahead, rule, following, next_before,
                        f"starts {min_gap} ms after cue {cue.id} ends", ctx)
        elif min_gap < gap < chain:
            before = (cue.start_ms, cue.end_ms)
            cue.end_ms = limit_end
            _record(issues, "gap-min", cue, before,
                    f"gap of {gap} ms chained to {min_gap} ms", ctx)


#: Typography passes over one cue at most (each fixes what the one before made fixable).
_ROUNDS = 4


class _Typography:
    """The typography fixes of the target language (see :mod:`subloc.qa.typography`)."""

    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.style = ctx.style
        self.all_rules = bool(ctx.language)  # without a language, only spaces

    def fix(self, cue: Cue, previous: Cue | None, following: Cue | None,
            issues: list[Issue]) -> None:
        """Every fix the cue needs, pass after pass until none changes it (one fix can
        make another's case: French spaces after « turn the next " into its closing
        mark), so that fixing again finds nothing."""
        for _round in range(_ROUNDS):
            if not self._pass(cue, previous, following, issues):
                return

    def _pass(self, cue: Cue, previous: Cue | None, following: Cue | None,
              issues: list[Issue]) -> bool:
        changed = False
        order = list(typography.CHECKS)
        pending = typography.candidates(cue.plain_lines, self.style)
        while pending:
            rule = pending.pop(0)
            if not self.all_rules and rule != "whitespace":
                continue
            around = rule == "inverted-marks"
            before_text = previous.plain_text if around and previous is not None else None
            after_text = following.plain_text if around and following is not None else None
            finding = typography.CHECKS[rule](cue.lines, cue.plain_lines, self.style,
                                              before_text, after_text)
            if finding is None or finding.fixed is None or finding.fixed == cue.lines:
                continue
            issues.append(Issue(finding.rule, self.ctx.severity(finding.rule), finding.message,
                                cue=cue.id, fixed=True, before=list(cue.lines),
                                after=list(finding.fixed)))
            cue.lines = list(finding.fixed)
            changed = True
            # What the fix wrote may need a later rule (straight quotes made « » need
            # French spaces): look again, at the rules after this one.
            later = order[order.index(rule) + 1 :]
            pending = [r for r in typography.candidates(cue.plain_lines, self.style) if r in later]
        return changed


class _Layout:
    """Re-wraps a cue whose lines break the profile's characters per line or lines, or
    whose break splits a name, a glossary term or a number and its unit where a layout
    that fits keeps it whole."""

    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.limit = ctx.limit("cpl-max")
        self.max_lines = int(ctx.limit("lines-max") or 2)

    def fix(self, cue: Cue, issues: list[Issue]) -> None:
        if self.limit is None:
            return
        ctx = self.ctx
        plain = cue.plain_lines
        if typography.is_dialogue(plain) or (
                len(plain) > 1 and all(line.lstrip().startswith("-") for line in plain)):
            return
        too_long = any(width(line, ctx.language) > self.limit for line in plain)
        too_many = len([p for p in plain if p.strip()]) > self.max_lines
        rule: RuleId = "rewrap"
        message = "lines re-wrapped to fit the profile"
        if not (too_long or too_many):
            splits = [s for s in unit_splits(plain, ctx.language, ctx.term_index, self.limit)
                      if s[1] >= STRONG and s[2]]
            if not splits:
                return
            rule = "line-break-unit"
            message = f"re-broken: the break split {splits[0][0]!r}"
        fitted = fit_lines(" ".join(line.strip() for line in cue.lines),
                           FitLimits(self.limit, self.max_lines), ctx.language,
                           ctx.term_index)
        lines = fitted.lines
        if rule == "line-break-unit" and (len(lines) != len(plain) or any(
                s[1] >= STRONG for s in unit_splits(
                    lines, ctx.language, ctx.term_index, self.limit))):
            return
        if lines != cue.lines:
            issues.append(Issue(rule, ctx.severity(rule), message, cue=cue.id, fixed=True,
                                before=list(cue.lines), after=list(lines)))
            cue.lines = lines

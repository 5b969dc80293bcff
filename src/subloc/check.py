"""The check stage: QA rules over a track, with limits from a delivery profile.

``RULES`` maps a stable rule id (a public interface: reports and profiles name it) to a
function ``(cues, context) -> issues``. To add a rule: write the function, decorate it with
``@rule("id", "one-line description")``, and give it a limit and severity in the
profiles that should use it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from subloc.issues import Issue
from subloc.profiles import Profile
from subloc.textwidth import width
from subloc.track import Cue


@dataclass(frozen=True)
class CheckContext:
    profile: Profile
    language: str | None
    fps: float = 23.976

    def limit(self, rule_id: str) -> float | None:
        value = self.profile.limit(rule_id, self.language)
        return None if value is None else float(value)

    def severity(self, rule_id: str) -> str:
        return self.profile.severity.get(rule_id, "warning")


RuleFn = Callable[[list[Cue], CheckContext], Iterator[Issue]]
RULES: dict[str, tuple[str, RuleFn]] = {}


def rule(rule_id: str, description: str) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        RULES[rule_id] = (description, fn)
        return fn
    return register


def check(cues: list[Cue], ctx: CheckContext) -> list[Issue]:
    """Every rule with a limit (or no limit needed) in the profile, over ``cues``."""
    issues: list[Issue] = []
    for _rule_id, (_description, fn) in RULES.items():
        issues.extend(fn(cues, ctx))
    return sorted(issues, key=lambda i: (i.cue or 0, i.rule))


def cps(cue: Cue) -> float:
    """Characters per second: every displayed character, spaces and punctuation included;
    line breaks and tags excluded."""
    chars = sum(len(line) for line in cue.plain_lines)
    return chars / max(cue.duration_ms / 1000, 0.001)


@rule("cpl-max", "a line is longer than the profile's characters per line")
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


@rule("lines-max", "a cue has more lines than the profile allows")
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


@rule("overlap", "a cue starts before the previous one ends")
def _overlap(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    for previous, cue in pairwise(cues):
        if previous.start_ms <= cue.start_ms < previous.end_ms:
            yield Issue("overlap", ctx.severity("overlap"),
                        f"starts {previous.end_ms - cue.start_ms} ms before cue {previous.id} "
                        "ends", cue=cue.id, value=previous.end_ms - cue.start_ms, limit=0)


@rule("timing-invalid", "a cue ends before it starts, or starts before the previous one")
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

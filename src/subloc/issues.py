"""``Issue``: one finding about a job, from any stage (QA rules, fixes, fallbacks), and the
one exit-code policy every command shares.

Rule ids are a public interface (reports, profiles and ``--fail-on`` name them), so they
are a closed set: :data:`RuleId`. To add a rule, add its id here, then register it in
:mod:`subloc.qa.rules` (checked by a rule function, or described there when another stage
reports it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from subloc.errors import EXIT_ENGINE, EXIT_INPUT, EXIT_OK, EXIT_QA, SublocError

Severity = Literal["info", "warning", "error"]
#: ``--fail-on`` takes a severity, or ``never``.
FailOn = Literal["info", "warning", "error", "never"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)

RuleId = Literal[
    # timing
    "duration-min", "duration-max", "gap-min", "overlap", "timing-invalid",
    # layout and reading speed
    "cpl-max", "lines-max", "line-balance", "cps-max", "wpm-max",
    # text
    "empty", "whitespace", "tag-unbalanced", "repeated-word",
    # translation (the source is known)
    "untranslated", "number-mismatch", "tag-mismatch", "length-ratio", "cps-worse",
    # glossary
    "glossary-term-missing", "glossary-dnt-altered", "glossary-forbidden",
    # reported by the pipeline's stages
    "placeholder-lost", "tag-reanchored", "mt-empty", "same-language", "unit-adapted",
    "rewrap",
]
RULE_IDS: frozenset[str] = frozenset(get_args(RuleId))

#: A measured value, a limit, or a before/after value: what JSON can carry.
Scalar = str | int | float | bool | None
Value = Scalar | Sequence[Scalar]


@dataclass
class Issue:
    """A finding: ``rule`` is a stable public id; ``cue`` the source cue id (or None for
    the whole file); ``value``/``limit`` the measured value and the limit it broke; a fix
    is an issue with ``fixed=True`` and ``before``/``after`` values."""

    rule: RuleId
    severity: Severity
    message: str
    cue: int | None = None
    value: Value = None
    limit: Value = None
    fixed: bool = False
    before: Value = None
    after: Value = None


def severity_rank(severity: Severity) -> int:
    return SEVERITIES.index(severity)


def counts(issues: Iterable[Issue]) -> dict[str, int]:
    """Unfixed issues per severity (most severe first), and fixed issues."""
    tally = {"error": 0, "warning": 0, "info": 0, "fixed": 0}
    for issue in issues:
        tally["fixed" if issue.fixed else issue.severity] += 1
    return tally


def exit_code(errors: Sequence[SublocError], issues: Iterable[Issue], fail_on: FailOn) -> int:
    """The exit code of a run: 3 if any error is an engine's, 2 for any other error, 1 if an
    unfixed issue is at or above ``fail_on``, else 0 (shared by ``localize`` and ``check``)."""
    if any(error.exit_code == EXIT_ENGINE for error in errors):
        return EXIT_ENGINE
    if errors:
        return EXIT_INPUT
    if fail_on != "never":
        threshold = severity_rank(fail_on)
        if any(not i.fixed and severity_rank(i.severity) >= threshold for i in issues):
            return EXIT_QA
    return EXIT_OK

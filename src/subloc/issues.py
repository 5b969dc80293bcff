"""``Issue``: one finding about a job, from any stage (QA rules, fixes, fallbacks), and the
one exit-code policy every command shares.

Rule ids are a public interface (reports, profiles and ``--fail-on`` name them), so they
are a closed set: :data:`RuleId`. To add a rule, add its id here, then register it in
:mod:`subloc.qa.rules` (checked by a rule function, or described there when another stage
reports it).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args, overload

from subloc.errors import EXIT_ENGINE, EXIT_INPUT, EXIT_OK, EXIT_QA, SublocError

if TYPE_CHECKING:
    import weakref

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
    # SDH and cinema conventions (subloc.qa.sdh; the netflix-sdh and dcp profiles)
    "sdh-sound-tag", "sdh-speaker-label", "sdh-sound-case", "first-cue-min",
    # translation (the source is known)
    "untranslated", "number-mismatch", "tag-mismatch", "length-ratio", "cps-worse",
    # glossary
    "glossary-term-missing", "glossary-dnt-altered", "glossary-forbidden",
    "glossary-hint-missing", "glossary-inserted",
    # reported by the pipeline's stages
    "placeholder-lost", "tag-reanchored", "mt-empty", "same-language", "unit-adapted",
    "rewrap",
    # reported by the engine (see subloc.engines.base.Note)
    "mt-unknown-word",
    # the review loop (subloc.pipeline.review; --review-below; human translations reused)
    "mt-low-confidence", "human-translation", "review-changed", "review-comment",
    "review-unmatched",
    # language (subloc.qa.spelling, subloc.qa.typography, subloc.qa.linebreak)
    "spelling", "spelling-source", "spelling-unavailable", "punctuation-mismatch",
    "punctuation-spacing",
    "inverted-marks", "quote-style", "ellipsis-style", "dialogue-dash", "line-break-unit",
]
RULE_IDS: frozenset[str] = frozenset(get_args(RuleId))

#: A measured value, a limit, or a before/after value: what JSON can carry.
Scalar = str | int | float | bool | None
Value = Scalar | Sequence[Scalar]


@dataclass(slots=True)
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


def exit_code(errors: Sequence[SublocError], tallies: Iterable[Mapping[str, int]],
              fail_on: FailOn) -> int:
    """The exit code of a run: 3 if any error is an engine's, 2 for any other error, 1 if an
    unfixed issue is at or above ``fail_on``, else 0 (shared by ``localize`` and ``check``).
    ``tallies`` are each job's :func:`counts` (or :attr:`IssueLog.counts`)."""
    if any(error.exit_code == EXIT_ENGINE for error in errors):
        return EXIT_ENGINE
    if errors:
        return EXIT_INPUT
    if fail_on != "never":
        failing = SEVERITIES[severity_rank(fail_on):]
        if any(tally.get(severity, 0) for tally in tallies for severity in failing):
            return EXIT_QA
    return EXIT_OK


class IssueLog(Sequence[Issue]):
    """The issues of one job, in order, with bounded memory: the first ``keep`` stay in
    memory, the rest go to a temp file in batches and are read back when iterated.

    A pseudo-localized film of a million cues has millions of issues; a report must list
    them all, but a run must not hold them all. Pickling a log (a worker process handing
    it to the run) hands its temp file over with it.
    """

    def __init__(self, issues: Iterable[Issue] = (), *, keep: int = 20_000,
                 batch: int = 5_000) -> None:
        self._memory: list[Issue] = []
        self._pending: list[Issue] = []
        self._keep, self._batch = keep, batch
        self._spilled = 0
        self._path: str | None = None
        self._cleanup: weakref.finalize[[str], IssueLog] | None = None  # see _flush
        self._counts = {"error": 0, "warning": 0, "info": 0, "fixed": 0}
        self.extend(issues)

    def append(self, issue: Issue) -> None:
        self._counts["fixed" if issue.fixed else issue.severity] += 1
        if len(self._memory) < self._keep and not self._spilled and not self._pending:
            self._memory.append(issue)
            return
        self._pending.append(issue)
        if len(self._pending) >= self._batch:
            self._flush()

    def extend(self, issues: Iterable[Issue]) -> None:
        for issue in issues:
            self.append(issue)

    def _flush(self) -> None:
        import pickle  # here, not at the top: the command line's start-up stays fast
        import tempfile
        import weakref

        if not self._pending:
            return
        if self._path is None:
            fd, self._path = tempfile.mkstemp(prefix="subloc-issues-", suffix=".pickle")
            os.close(fd)
            self._cleanup = weakref.finalize(self, _remove, self._path)
        with open(self._path, "ab") as handle:
            pickle.dump(self._pending, handle, protocol=pickle.HIGHEST_PROTOCOL)
        self._spilled += len(self._pending)
        self._pending = []

    @property
    def counts(self) -> dict[str, int]:
        """Unfixed issues per severity, and fixed issues (kept as issues are added)."""
        return dict(self._counts)

    def __len__(self) -> int:
        return len(self._memory) + self._spilled + len(self._pending)

    def __iter__(self) -> Iterator[Issue]:
        import pickle

        yield from self._memory
        if self._path is not None and self._spilled:
            with open(self._path, "rb") as handle:
                read = 0
                while read < self._spilled:
                    batch: list[Issue] = pickle.load(handle)
                    read += len(batch)
                    yield from batch
        yield from list(self._pending)

    @overload
    def __getitem__(self, index: int) -> Issue: ...

    @overload
    def __getitem__(self, index: slice) -> list[Issue]: ...

    def __getitem__(self, index: int | slice) -> Issue | list[Issue]:
        if isinstance(index, int) and 0 <= index < len(self._memory):
            return self._memory[index]
        return list(self)[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (IssueLog, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other,
                                                                              strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"IssueLog({len(self)} issues, {self._spilled} on disk)"

    def __getstate__(self) -> dict[str, object]:
        self._flush()
        state = {"memory": self._memory, "pending": self._pending, "keep": self._keep,
                 "batch": self._batch, "spilled": self._spilled, "path": self._path,
                 "counts": self._counts}
        if self._cleanup is not None:
            self._cleanup.detach()  # the receiving process owns the file now
            self._cleanup = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        import weakref

        self._memory, self._pending = state["memory"], state["pending"]
        self._keep, self._batch = state["keep"], state["batch"]
        self._spilled, self._path, self._counts = state["spilled"], state["path"], state["counts"]
        self._cleanup = weakref.finalize(self, _remove, self._path) if self._path else None


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)

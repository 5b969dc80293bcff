"""The report of a run, typed: built once by :meth:`Report.build`, never changed after.

``report.json`` is :meth:`Report.to_json` (schema ``subloc.report/1``, JSON Schema in
``reports/schemas/report.schema.json``); the HTML and JUnit writers read the same object.
No timestamps or durations: the same inputs give the same report.
"""

from __future__ import annotations

import hashlib
import json
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Literal

from subloc import __version__
from subloc.issues import Issue, IssueLog, Value, counts
from subloc.track import Cue

SCHEMA_ID = "subloc.report/1"
#: Issues (or hits, or scores) encoded at a time for the run id's digest.
DIGEST_CHUNK = 1024

#: A JSON object as written (str keys; values JSON can carry).
JsonObject = dict[str, object]


@dataclass(frozen=True, slots=True)
class GlossaryHit:
    """A glossary term found in a source cue, and whether the translation honoured it."""

    cue: int
    source: str
    target: str
    type: str
    ok: bool

    def to_json(self) -> JsonObject:
        return {"cue": self.cue, "source": self.source, "target": self.target,
                "type": self.type, "ok": self.ok}


@dataclass(frozen=True, slots=True)
class CueRow:
    """One cue side by side for report.html: the delivered times and texts (canonical
    markup); ``source`` is None when the cue has no source cue; ``confidence`` is the
    engine's confidence in the cue's translation (see :class:`Confidence`), if it gave one."""

    id: int
    start_ms: int
    end_ms: int
    source: str | None
    target: str
    confidence: float | None = None


class Confidence:
    """The engine's confidence per cue of one job: the mean log-probability per token of
    the translation of the cue's segment (the lowest, when a cue holds several segments),
    for cues whose engine scored its output. Kept in two arrays, in cue order, so a long
    track costs 16 bytes a cue."""

    __slots__ = ("cues", "scores")

    def __init__(self, pairs: Iterable[tuple[int, float]] = ()) -> None:
        self.cues = array("q")
        self.scores = array("d")
        for cue, score in pairs:
            self.append(cue, score)

    def append(self, cue: int, score: float) -> None:
        self.cues.append(cue)
        self.scores.append(score)

    def __iter__(self) -> Iterator[tuple[int, float]]:
        return zip(self.cues, self.scores, strict=True)

    def __len__(self) -> int:
        return len(self.cues)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Confidence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> tuple[bytes, bytes]:
        return self.cues.tobytes(), self.scores.tobytes()

    def __setstate__(self, state: tuple[bytes, bytes]) -> None:
        self.cues, self.scores = array("q"), array("d")
        self.cues.frombytes(state[0])
        self.scores.frombytes(state[1])

    def __repr__(self) -> str:
        return f"Confidence({len(self)} cues)"

    def by_cue(self) -> dict[int, float]:
        return dict(self)


def confidence_json(cue: int, score: float) -> JsonObject:
    return {"cue": cue, "score": round(score, 4)}


def cue_rows(cues: Sequence[Cue], sources: Mapping[int, Cue]) -> tuple[CueRow, ...]:
    """The rows of one job: each delivered cue beside the source cue with its id."""
    return tuple(CueRow(cue.id, cue.start_ms, cue.end_ms,
                        sources[cue.id].text if cue.id in sources else None, cue.text)
                 for cue in cues)


@dataclass(frozen=True)
class Counts:
    """Unfixed issues per severity, and fixed issues."""

    error: int = 0
    warning: int = 0
    info: int = 0
    fixed: int = 0

    @classmethod
    def of(cls, issues: Iterable[Issue]) -> Counts:
        return cls(**(issues.counts if isinstance(issues, IssueLog) else counts(issues)))

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.error + other.error, self.warning + other.warning,
                      self.info + other.info, self.fixed + other.fixed)

    def to_json(self) -> JsonObject:
        return {"error": self.error, "warning": self.warning, "info": self.info,
                "fixed": self.fixed}


def issue_json(issue: Issue) -> JsonObject:
    data: JsonObject = {"rule": issue.rule, "severity": issue.severity,
                        "message": issue.message, "cue": issue.cue,
                        "value": _plain(issue.value), "limit": _plain(issue.limit),
                        "fixed": issue.fixed}
    if issue.fixed:
        data["before"], data["after"] = _plain(issue.before), _plain(issue.after)
    return data


def _plain(value: Value) -> object:
    """Sequences as lists, as JSON has them."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return list(value)


@dataclass(frozen=True)
class JobReport:
    """One job: a source file x a target language (``localize``), one checked track
    (``check``, where ``target`` is the checked track and ``output`` the fixed one), or one
    reviewed track (``review``: ``target`` the track, ``output`` where the reviewed track
    was written)."""

    kind: Literal["localize", "check", "review"]
    source: str | None
    target: str | None
    source_lang: str | None
    target_lang: str
    engine: str
    cues: int
    #: In the order found; an :class:`~subloc.issues.IssueLog` for a long track.
    issues: Sequence[Issue]
    glossary_hits: tuple[GlossaryHit, ...] = ()
    source_lang_probability: float | None = None
    segments: int = 0
    error: str | None = None
    output: str | None = None
    #: The engine's confidence per cue, when it scored its translations.
    confidence: Confidence | None = None

    @property
    def counts(self) -> Counts:
        return Counts.of(self.issues)

    @property
    def file(self) -> str:
        """The file the job is about: its source, or the checked track without one."""
        return self.source or self.target or ""

    def to_json(self, *, with_issues: bool = True) -> JsonObject:
        data: JsonObject = {
            "source": self.source, "target": self.target, "source_lang": self.source_lang,
            "target_lang": self.target_lang, "engine": self.engine, "cues": self.cues,
            "source_lang_probability": self.source_lang_probability,
            "segments": self.segments,
            "glossary_hits": [hit.to_json() for hit in self.glossary_hits] if with_issues else [],
            "error": self.error,
        }
        if self.kind != "localize":
            data["output"] = self.output
        data["issues"] = [issue_json(issue) for issue in self.issues] if with_issues else []
        if self.confidence:
            data["confidence"] = ([confidence_json(cue, score) for cue, score in self.confidence]
                                  if with_issues else [])
        return data


def _chunks(items: Iterable[JsonObject], size: int) -> Iterator[list[JsonObject]]:
    """``items`` in lists of up to ``size``."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")


@dataclass(frozen=True)
class Report:
    """A run's report. ``run_id`` is a digest of everything else in it, so the three report
    files of one run carry the same id, and files from different runs (a crash, two runs
    into one folder) can be told apart; the same inputs still give the same bytes."""

    schema: str
    run_id: str
    tool_name: str
    tool_version: str
    profile: str
    jobs: tuple[JobReport, ...]
    summary: Counts

    @classmethod
    def build(cls, jobs: Sequence[JobReport], profile: str) -> Report:
        summary = Counts()
        for job in jobs:
            summary += job.counts
        digest = hashlib.sha256(_canonical([SCHEMA_ID, __version__, profile]))
        for job in jobs:
            digest.update(_canonical(job.to_json(with_issues=False)))
            for items in (map(GlossaryHit.to_json, job.glossary_hits),
                          map(issue_json, job.issues),
                          (confidence_json(cue, score) for cue, score in job.confidence or ())):
                # A chunk at a time: a million issues are never one string, and one encoder
                # call per chunk, not per issue (the digest is a large part of a check).
                for chunk in _chunks(items, DIGEST_CHUNK):
                    digest.update(_canonical(chunk))
        run_id = digest.hexdigest()[:16]
        return cls(SCHEMA_ID, run_id, "subloc", __version__, profile, tuple(jobs), summary)

    def to_json(self, *, with_jobs: bool = True) -> JsonObject:
        return {
            "schema": self.schema,
            "run_id": self.run_id,
            "tool": {"name": self.tool_name, "version": self.tool_version},
            "profile": self.profile,
            "jobs": [job.to_json() for job in self.jobs] if with_jobs else [],
            "summary": self.summary.to_json(),
        }

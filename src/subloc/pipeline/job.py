"""One job: a source file x a target language, through the stages after translation.

:func:`finish_job` re-reads the source (tracks are not held in memory across a large
batch), re-segments it and checks that the segments are the ones translated, then runs::

    restore (+ redistribute, fit) -> verify -> fix -> check -> write

Each stage is one call; every change a stage makes that the user did not ask for comes
back as an :class:`~subloc.issues.Issue`. Runs in a worker process with ``--jobs N``, so
its input and output are plain picklable dataclasses.

A track streams through the stages in windows that start where the plan's segments start
(so each window segments exactly as the whole file did): a cue is fixed once the cue after
it is restored, checked once the cue after it is fixed, and then its source cue is let go.
So a job holds about one track's cues, however long the track, and its issues stream into
an :class:`~subloc.issues.IssueLog`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from subloc.errors import InputError
from subloc.formats import FORMATS
from subloc.glossary.model import Entry
from subloc.io.read import load, resolve_format
from subloc.io.write import save
from subloc.issues import Issue, IssueLog
from subloc.pipeline.convert import output_path
from subloc.pipeline.fit import FitLimits, glossary_terms
from subloc.pipeline.fix import Fixer
from subloc.pipeline.restore import rebuild_cues
from subloc.pipeline.segment import CueParts, Segment, SegmentOptions, segment
from subloc.pipeline.verify import verify
from subloc.qa.profiles import Profile
from subloc.qa.rules import CheckContext, check_range, with_profile_severity
from subloc.reports.html import RowPicker, issue_rank
from subloc.reports.model import Confidence, CueRow, GlossaryHit
from subloc.track import Cue, Track

DEFAULT_FPS = 23.976
#: Segments restored at a time (each window re-segments up to 4 x this many cues).
SEGMENT_WINDOW = 2_000


@dataclass(frozen=True)
class JobSettings:
    """The run's options a job needs (a subset of ``LocalizeOptions``)."""

    output_dir: Path | None = None
    output_format: str = "same"
    output_encoding: str = "utf-8"
    fix: bool = True
    encoding: str | None = None
    fps: float | None = None
    lenient: bool = False
    segmenting: SegmentOptions = field(default_factory=SegmentOptions)


@dataclass(frozen=True)
class JobInput:
    """Everything :func:`finish_job` needs: the source, what was translated, and how."""

    source: Path
    source_lang: str
    target_lang: str
    #: The id of each segment's first cue (where windows may be cut), and a digest of the
    #: segment texts of each window, to check the re-read file against what was translated.
    first_cues: tuple[int, ...]
    segment_digests: tuple[bytes, ...]
    translations: tuple[str, ...]
    #: Issues of the translate phase (mask fallbacks, adapted units), reported first.
    prior_issues: tuple[Issue, ...]
    entries: tuple[Entry, ...]
    profile: Profile
    settings: JobSettings
    #: The engine's confidence per segment (None where it gave none), or () for none at all.
    scores: tuple[float | None, ...] = ()
    #: Segment index -> a reviewer's split of its human translation over its cues.
    human_pieces: tuple[tuple[int, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class JobOutput:
    output: Path
    issues: IssueLog
    glossary_hits: tuple[GlossaryHit, ...]
    rows: tuple[CueRow, ...]
    warnings: tuple[str, ...]
    confidence: Confidence | None = None


def read_source(path: Path, settings: JobSettings) -> Track:
    return load(path, encoding=settings.encoding, fps=settings.fps, lenient=settings.lenient)


def output_format(track: Track, settings: JobSettings) -> str:
    """The format to write: the one asked for, else the source's (TTML for read-only STL)."""
    if settings.output_format != "same":
        return resolve_format(settings.output_format)
    name = track.format or "srt"
    return name if FORMATS[name].can_write else "ttml"


def segment_digests(texts: Sequence[str]) -> tuple[bytes, ...]:
    """One digest per window of :data:`SEGMENT_WINDOW` segment texts."""
    return tuple(_digest(texts[start : start + SEGMENT_WINDOW])
                 for start in range(0, max(len(texts), 1), SEGMENT_WINDOW))


def _digest(texts: Iterable[str]) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.digest()


def finish_job(job: JobInput) -> JobOutput:
    """Restore, verify, fix, check and write one job; raises a SublocError naming the file."""
    settings = job.settings
    track = read_source(job.source, settings)
    name = output_format(track, settings)
    sources = _Sources(track.cues)
    track.cues = []  # from here on, each source cue lives until its target cue is checked
    adapted = frozenset(i.cue for i in job.prior_issues
                        if i.rule == "unit-adapted" and i.cue is not None)
    ctx = CheckContext(job.profile, job.target_lang, settings.fps or track.fps or DEFAULT_FPS,
                       sources, job.source_lang, FORMATS[name].time_step_ms,
                       adapted_cues=adapted, terms=glossary_terms(job.entries))
    stream = _Stream(job, ctx, sources)
    for cues, translations, window in _windows(sources, job):
        stream.restore(cues, translations, window)
    localized = track.copy(cues=stream.finish(), language=job.target_lang)
    destination = output_path(job.source, settings.output_dir, FORMATS[name].extensions[0],
                              job.target_lang)
    warnings = save(localized, destination, format=name, encoding=settings.output_encoding,
                    language=job.target_lang)
    return JobOutput(output=destination, issues=stream.issues,
                     glossary_hits=tuple(stream.hits), rows=stream.rows.rows(),
                     warnings=tuple(warnings), confidence=stream.confidence or None)


class _Sources(Mapping[int, Cue]):
    """The source cues by id (ids are positions in a freshly read track), each let go once
    its target cue is checked."""

    def __init__(self, cues: list[Cue]) -> None:
        self.cues: list[Cue | None] = list(cues)
        self.dense = all(cue.id == index for index, cue in enumerate(cues, start=1))
        self._index = None if self.dense else {cue.id: index for index, cue in enumerate(cues)}

    def position(self, cue_id: int) -> int | None:
        if self._index is not None:
            return self._index.get(cue_id)
        return cue_id - 1 if 1 <= cue_id <= len(self.cues) else None

    def __getitem__(self, cue_id: int) -> Cue:
        position = self.position(cue_id) if isinstance(cue_id, int) else None
        cue = self.cues[position] if position is not None else None
        if cue is None:
            raise KeyError(cue_id)
        return cue

    def __iter__(self) -> Iterator[int]:
        return (cue.id for cue in self.cues if cue is not None)

    def __len__(self) -> int:
        return len(self.cues)  # the track's cues, let go or not: cheap, and never 0 early


class _Stream:
    """The target track as it grows: restored window by window, fixed one cue behind,
    checked two cues behind."""

    def __init__(self, job: JobInput, ctx: CheckContext, sources: _Sources) -> None:
        self.job, self.ctx, self.sources = job, ctx, sources
        self.limits = FitLimits(
            max_chars=job.profile.limit("cpl-max", job.target_lang) or 42,
            max_lines=int(job.profile.limit("lines-max", job.target_lang) or 2))
        self.entries = list(job.entries)
        self.cues: list[Cue] = []
        self.fixer = Fixer(ctx) if job.settings.fix else None
        self.fixed = 0    # cues[:fixed] are fixed
        self.checked = 0  # cues[:checked] are checked
        self.ranks = bytearray(b"\3") * len(sources.cues)  # per position: see issue_rank
        self.issues = IssueLog()
        self.hits: list[GlossaryHit] = []
        self.rows = RowPicker()
        self.confidence = Confidence()
        self.scores: dict[int, float] = {}  # cue id -> score, until the cue is released
        self.pieces = dict(job.human_pieces)
        self._note(job.prior_issues)

    def _note(self, issues: Iterable[Issue]) -> None:
        for issue in with_profile_severity(issues, self.ctx):
            self.issues.append(issue)
            position = self.sources.position(issue.cue) if issue.cue is not None else None
            if position is not None and position < len(self.ranks):
                self.ranks[position] = min(self.ranks[position], issue_rank(issue))

    def restore(self, cues: list[Cue], translations: Sequence[str], window: int) -> None:
        job = self.job
        segments, parts = segment(cues, job.settings.segmenting)
        if _digest(s.text for s in segments) != job.segment_digests[window]:
            raise InputError("the file changed while it was being localized (its segments "
                             "are not the ones translated); run again", path=job.source)
        first = window * SEGMENT_WINDOW
        if job.scores:
            for seg, score in zip(segments, job.scores[first : first + len(segments)],
                                  strict=True):
                if score is None:
                    continue
                for cue_id in seg.cue_ids:
                    self.scores[cue_id] = min(score, self.scores.get(cue_id, score))
        pieces = [self.pieces.get(first + index) for index in range(len(segments))] \
            if self.pieces else []
        if any(pieces):
            # A reviewer split this human translation over the cues: keep that split.
            split_segments, split_texts = _human_splits(segments, list(translations),
                                                        pieces, parts)
            restored = rebuild_cues(cues, parts, split_segments, split_texts,
                                    job.target_lang, self.limits,
                                    self.ctx.term_index, self.ctx.style.dialogue_dash)
        else:
            restored = rebuild_cues(cues, parts, segments, list(translations),
                                    job.target_lang, self.limits,
                                    self.ctx.term_index, self.ctx.style.dialogue_dash)
        groups = {cue_id: seg.cue_ids for seg in segments if len(seg.cue_ids) > 1
                  for cue_id in seg.cue_ids}
        verified = verify(cues, restored.cues, groups, self.entries, job.source_lang,
                          job.target_lang)
        self.cues.extend(restored.cues)
        self._note(restored.issues)
        self._note(verified.issues)
        self.hits.extend(verified.hits)
        self._advance(len(self.cues) - 1)  # the last cue waits for the one after it

    def finish(self) -> list[Cue]:
        self._advance(len(self.cues))
        return self.cues

    def _advance(self, fixable: int) -> None:
        if self.fixer is not None and fixable > self.fixed:
            self._note(self.fixer.fix(self.cues, self.fixed, fixable))
        self.fixed = max(self.fixed, fixable)
        checkable = self.fixed if self.fixed == len(self.cues) else self.fixed - 1
        if checkable > self.checked:
            self._note(check_range(self.cues, self.checked, checkable, self.ctx))
            for position in range(self.checked, checkable):
                self._release(position)
            self.checked = checkable

    def _release(self, position: int) -> None:
        """Cue ``position`` is checked: offer its row to the report, let its source go."""
        cue = self.cues[position]
        source = self.sources.cues[position] if self.sources.dense else \
            self.sources.get(cue.id)
        score = self.scores.pop(cue.id, None)
        if score is not None:
            self.confidence.append(cue.id, score)
        self.rows.add(position, self.ranks[position] if position < len(self.ranks) else 3,
                      CueRow(cue.id, cue.start_ms, cue.end_ms,
                             source.text if source is not None else None, cue.text, score))
        if self.sources.dense:
            self.sources.cues[position] = None


def _human_splits(segments: list[Segment], translations: list[str],
                  pieces: list[tuple[str, ...] | None], parts: Mapping[int, CueParts]
                  ) -> tuple[list[Segment], list[str]]:
    """The segments to rebuild with: a merged segment whose human translation a reviewer
    split over its cues becomes one segment per cue, each with its own piece."""
    out_segments: list[Segment] = []
    out_texts: list[str] = []
    for seg, text, split in zip(segments, translations, pieces, strict=True):
        if split is None or len(split) != len(seg.cue_ids) or len(seg.cue_ids) < 2:
            out_segments.append(seg)
            out_texts.append(text)
            continue
        for cue_id, share, piece in zip(seg.cue_ids, seg.shares, split, strict=True):
            out_segments.append(Segment(parts[cue_id].text, [cue_id], [share]))
            out_texts.append(piece)
    return out_segments, out_texts


def _windows(sources: _Sources, job: JobInput
             ) -> Iterator[tuple[list[Cue], Sequence[str], int]]:
    """(cues, their translations, window number) covering the track, cut where a planned
    segment starts: no segment crosses a cut, so windows segment as the whole track did."""
    cues = sources.cues
    starts = job.first_cues[SEGMENT_WINDOW::SEGMENT_WINDOW]
    wanted = set(starts)
    positions = {cue.id: index for index, cue in enumerate(cues)
                 if cue is not None and cue.id in wanted}
    bounds = []
    for cue_id in starts:
        if cue_id not in positions:
            raise InputError("the file changed while it was being localized (a cue the "
                             "plan saw is gone); run again", path=job.source)
        bounds.append(positions[cue_id])
    if len(bounds) + 1 != len(job.segment_digests):
        raise InputError("the file changed while it was being localized (its segments "
                         "are not the ones translated); run again", path=job.source)
    cue_from = 0
    for window, cue_to in enumerate([*bounds, len(cues)]):
        seg_from = window * SEGMENT_WINDOW
        seg_to = len(job.translations) if cue_to == len(cues) else seg_from + SEGMENT_WINDOW
        window_cues = [cue for cue in cues[cue_from:cue_to] if cue is not None]
        yield window_cues, job.translations[seg_from:seg_to], window
        cue_from = cue_to

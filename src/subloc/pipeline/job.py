"""One job: a source file x a target language, through the stages after translation.

:func:`finish_job` re-reads the source (tracks are not held in memory across a large
batch), re-segments it and checks that the segments are the ones translated, then runs::

    restore (+ redistribute, fit) -> verify -> fix -> check -> write

Each stage is one call; every change a stage makes that the user did not ask for comes
back as an :class:`~subloc.issues.Issue`. Runs in a worker process with ``--jobs N``, so
its input and output are plain picklable dataclasses.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from subloc.errors import InputError
from subloc.formats import FORMATS
from subloc.glossary.model import Entry
from subloc.io.read import load, resolve_format
from subloc.io.write import save
from subloc.issues import Issue, IssueLog
from subloc.pipeline.convert import output_path
from subloc.pipeline.fit import FitLimits
from subloc.pipeline.fix import fix_in_place
from subloc.pipeline.restore import rebuild_cues
from subloc.pipeline.segment import SegmentOptions, segment
from subloc.pipeline.verify import verify
from subloc.qa.profiles import Profile
from subloc.qa.rules import CheckContext, check_iter, with_profile_severity
from subloc.reports.html import rows_to_show
from subloc.reports.model import CueRow, GlossaryHit, cue_rows
from subloc.track import Cue, CuesById, Track

DEFAULT_FPS = 23.976


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
    #: The segment texts the plan phase sent to MT, to check the re-read file against,
    #: and the id of each segment's first cue (where windows may be cut).
    segment_texts: tuple[str, ...]
    first_cues: tuple[int, ...]
    translations: tuple[str, ...]
    #: Issues of the translate phase (mask fallbacks, adapted units), reported first.
    prior_issues: tuple[Issue, ...]
    entries: tuple[Entry, ...]
    profile: Profile
    settings: JobSettings


@dataclass(frozen=True)
class JobOutput:
    output: Path
    issues: IssueLog
    glossary_hits: tuple[GlossaryHit, ...]
    rows: tuple[CueRow, ...]
    warnings: tuple[str, ...]


def read_source(path: Path, settings: JobSettings) -> Track:
    return load(path, encoding=settings.encoding, fps=settings.fps, lenient=settings.lenient)


def output_format(track: Track, settings: JobSettings) -> str:
    """The format to write: the one asked for, else the source's (TTML for read-only STL)."""
    if settings.output_format != "same":
        return resolve_format(settings.output_format)
    name = track.format or "srt"
    return name if FORMATS[name].can_write else "ttml"


def finish_job(job: JobInput) -> JobOutput:
    """Restore, verify, fix, check and write one job; raises a SublocError naming the file.

    Memory stays at the cue data of the file: translations go back window by window (the
    windows start where the plan's segments start, so each window segments exactly as the
    whole file did), fixes are made in place, and issues stream into an :class:`IssueLog`.
    """
    settings = job.settings
    track = read_source(job.source, settings)
    limits = FitLimits(max_chars=job.profile.limit("cpl-max", job.target_lang) or 42,
                       max_lines=int(job.profile.limit("lines-max", job.target_lang) or 2))
    localized_cues: list[Cue] = []
    found: list[Issue] = []
    hits: list[GlossaryHit] = []
    entries = list(job.entries)
    for (cue_from, cue_to), (seg_from, seg_to) in _windows(track.cues, job):
        cues = track.cues[cue_from:cue_to]
        segments, parts = segment(cues, settings.segmenting)
        if tuple(s.text for s in segments) != job.segment_texts[seg_from:seg_to]:
            raise InputError("the file changed while it was being localized (its segments "
                             "are not the ones translated); run again", path=job.source)
        restored = rebuild_cues(cues, parts, segments,
                                list(job.translations[seg_from:seg_to]), job.target_lang,
                                limits)
        groups = {cue_id: seg.cue_ids for seg in segments if len(seg.cue_ids) > 1
                  for cue_id in seg.cue_ids}
        verified = verify(cues, restored.cues, groups, entries, job.source_lang,
                          job.target_lang)
        localized_cues.extend(restored.cues)
        found.extend(restored.issues)
        found.extend(verified.issues)
        hits.extend(verified.hits)
    localized = track.copy(cues=localized_cues, language=job.target_lang)
    sources = CuesById(track.cues)
    name = output_format(track, settings)
    adapted = frozenset(i.cue for i in job.prior_issues
                        if i.rule == "unit-adapted" and i.cue is not None)
    ctx = CheckContext(job.profile, job.target_lang, settings.fps or track.fps or DEFAULT_FPS,
                       sources, job.source_lang, FORMATS[name].time_step_ms,
                       adapted_cues=adapted)
    fixes: Iterable[Issue] = fix_in_place(localized.cues, ctx) if settings.fix else ()
    issues = IssueLog(with_profile_severity(
        itertools.chain(job.prior_issues, found, fixes), ctx))
    issues.extend(with_profile_severity(check_iter(localized.cues, ctx), ctx))
    rows = rows_to_show(cue_rows(localized.cues, sources), issues)
    del track, sources, ctx  # the source cues are done with: free them before writing
    destination = output_path(job.source, settings.output_dir, FORMATS[name].extensions[0],
                              job.target_lang)
    warnings = save(localized, destination, format=name, encoding=settings.output_encoding,
                    language=job.target_lang)
    return JobOutput(output=destination, issues=issues, glossary_hits=tuple(hits),
                     rows=rows, warnings=tuple(warnings))


#: Segments restored at a time (each window re-segments up to 4 x this many cues).
SEGMENT_WINDOW = 2_000


def _windows(cues: Sequence[Cue], job: JobInput
             ) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
    """(cue slice, segment slice) pairs covering the track, cut where a planned segment
    starts: no segment crosses a cut, so windows segment as the whole track did."""
    starts = job.first_cues[SEGMENT_WINDOW::SEGMENT_WINDOW]
    wanted = set(starts)
    positions = {cue.id: index for index, cue in enumerate(cues) if cue.id in wanted}
    cue_from, seg_from = 0, 0
    for number, cue_id in enumerate(starts, start=1):
        if cue_id not in positions:
            raise InputError("the file changed while it was being localized (a cue the "
                             "plan saw is gone); run again", path=job.source)
        cue_to, seg_to = positions[cue_id], number * SEGMENT_WINDOW
        yield (cue_from, cue_to), (seg_from, seg_to)
        cue_from, seg_from = cue_to, seg_to
    yield (cue_from, len(cues)), (seg_from, len(job.segment_texts))

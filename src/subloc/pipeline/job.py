"""One job: a source file x a target language, through the stages after translation.

:func:`finish_job` re-reads the source (tracks are not held in memory across a large
batch), re-segments it and checks that the segments are the ones translated, then runs::

    restore (+ redistribute, fit) -> verify -> fix -> check -> write

Each stage is one call; every change a stage makes that the user did not ask for comes
back as an :class:`~subloc.issues.Issue`. Runs in a worker process with ``--jobs N``, so
its input and output are plain picklable dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from subloc.errors import InputError
from subloc.formats import FORMATS
from subloc.glossary.model import Entry
from subloc.io.read import load, resolve_format
from subloc.io.write import save
from subloc.issues import Issue
from subloc.pipeline.convert import output_path
from subloc.pipeline.fit import FitLimits
from subloc.pipeline.fix import fix
from subloc.pipeline.restore import rebuild_cues
from subloc.pipeline.segment import SegmentOptions, segment
from subloc.pipeline.verify import verify
from subloc.qa.profiles import Profile
from subloc.qa.rules import CheckContext, check, with_profile_severity
from subloc.reports.model import CueRow, GlossaryHit, cue_rows
from subloc.track import Track

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
    #: The segment texts the plan phase sent to MT, to check the re-read file against.
    segment_texts: tuple[str, ...]
    translations: tuple[str, ...]
    #: Issues of the translate phase (mask fallbacks, adapted units), reported first.
    prior_issues: tuple[Issue, ...]
    entries: tuple[Entry, ...]
    profile: Profile
    settings: JobSettings


@dataclass(frozen=True)
class JobOutput:
    output: Path
    issues: tuple[Issue, ...]
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
    """Restore, verify, fix, check and write one job; raises a SublocError naming the file."""
    settings = job.settings
    track = read_source(job.source, settings)
    segments, parts = segment(track.cues, settings.segmenting)
    if tuple(s.text for s in segments) != job.segment_texts:
        raise InputError("the file changed while it was being localized (its segments are "
                         "not the ones translated); run again", path=job.source)
    limits = FitLimits(max_chars=job.profile.limit("cpl-max", job.target_lang) or 42,
                       max_lines=int(job.profile.limit("lines-max", job.target_lang) or 2))
    restored = rebuild_cues(track.cues, parts, segments, list(job.translations),
                            job.target_lang, limits)
    localized = track.copy(cues=restored.cues, language=job.target_lang)
    groups = {cue_id: seg.cue_ids for seg in segments for cue_id in seg.cue_ids}
    verified = verify(track.cues, localized.cues, groups, list(job.entries), job.source_lang,
                      job.target_lang)
    sources = {cue.id: cue for cue in track.cues}
    name = output_format(track, settings)
    adapted = frozenset(i.cue for i in job.prior_issues
                        if i.rule == "unit-adapted" and i.cue is not None)
    ctx = CheckContext(job.profile, job.target_lang, settings.fps or track.fps or DEFAULT_FPS,
                       sources, job.source_lang, FORMATS[name].time_step_ms,
                       adapted_cues=adapted)
    issues = [*job.prior_issues, *restored.issues, *verified.issues]
    if settings.fix:
        fixed = fix(localized.cues, ctx)
        issues.extend(fixed.issues)
        localized.cues = fixed.cues
    issues.extend(check(localized.cues, ctx))
    destination = output_path(job.source, settings.output_dir, FORMATS[name].extensions[0],
                              job.target_lang)
    warnings = save(localized, destination, format=name, encoding=settings.output_encoding,
                    language=job.target_lang)
    return JobOutput(output=destination,
                     issues=tuple(with_profile_severity(issues, ctx)),
                     glossary_hits=tuple(verified.hits),
                     rows=cue_rows(localized.cues, sources),
                     warnings=tuple(warnings))

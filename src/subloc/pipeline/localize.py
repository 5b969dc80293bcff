"""``subloc localize``: the staged pipeline from source tracks to localized tracks.

A run streams its files in three phases so memory stays bounded for hundreds of files:

1. plan: read each file, detect its language, segment it; keep only the segment texts;
2. translate: per language pair, every segment of every file at once (de-duplicated,
   cached, one engine call, the model loaded once);
3. finish: re-read each file, put the translations back, fit, check, write.

Phases 1 and 3 run in ``jobs`` worker processes; phase 2 in this one, where the model is.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from subloc import markup
from subloc.engines import Engine, EngineOptions, create_engine
from subloc.engines.cache import TranslationCache
from subloc.errors import (
    EXIT_ENGINE,
    EXIT_INPUT,
    EXIT_OK,
    EXIT_QA,
    ModelError,
    SublocError,
    UsageError,
)
from subloc.formats import FORMATS
from subloc.glossary.model import Entry, load_for_pair
from subloc.io.read import load, resolve_format
from subloc.io.write import save
from subloc.issues import Issue, severity_rank
from subloc.pipeline.convert import output_path
from subloc.pipeline.fit import FitLimits
from subloc.pipeline.mask import Masked, mask, unmask
from subloc.pipeline.restore import rebuild_cues
from subloc.pipeline.segment import SegmentOptions, segment
from subloc.pipeline.translate import TranslateStats, translate_texts
from subloc.pipeline.verify import verify
from subloc.qa.check import cue_rows
from subloc.qa.fix import fix
from subloc.qa.langid import detect_language
from subloc.qa.profiles import Profile, load_profile
from subloc.qa.rules import CheckContext, check
from subloc.reports.json import build_report, job_entry, write_reports
from subloc.track import Track

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class LocalizeOptions:
    """Everything ``subloc localize`` can be told; defaults are the CLI's."""

    targets: tuple[str, ...]
    source_lang: str = "auto"
    engine: str = "argos"
    engine_options: EngineOptions = field(default_factory=EngineOptions)
    output_dir: Path | None = None
    output_format: str = "same"
    profile: str = "netflix"
    fix: bool = True
    jobs: int = 1
    use_cache: bool = True
    cache_path: Path | None = None
    segmenting: SegmentOptions = field(default_factory=SegmentOptions)
    encoding: str | None = None
    fps: float | None = None
    lenient: bool = False
    output_encoding: str = "utf-8"
    report_dir: Path | None = None
    glossaries: tuple[Path, ...] = ()
    default_glossary: bool = True
    adapt_units: bool = False


@dataclass
class FilePlan:
    """Phase 1's result for one file: just what translation needs."""

    path: Path
    source_lang: str | None = None
    probability: float | None = None
    texts: list[str] = field(default_factory=list)
    segment_cues: list[list[int]] = field(default_factory=list)
    cues: int = 0
    warnings: list[str] = field(default_factory=list)
    error: SublocError | None = None


@dataclass
class JobResult:
    """One source file x one target language."""

    source: Path
    target_lang: str
    source_lang: str | None = None
    probability: float | None = None
    output: Path | None = None
    cues: int = 0
    segments: int = 0
    cache_hits: int = 0
    engine: str = ""
    issues: list[Issue] = field(default_factory=list)
    glossary_hits: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: SublocError | None = None


@dataclass
class RunResult:
    jobs: list[JobResult]
    input_errors: list[SublocError]
    stats: dict[tuple[str, str], TranslateStats]
    report_path: Path | None
    seconds: float

    def exit_code(self, fail_on: str = "error") -> int:
        errors = [j.error for j in self.jobs if j.error] + self.input_errors
        if any(e.exit_code == EXIT_ENGINE for e in errors):
            return EXIT_ENGINE
        if errors:
            return EXIT_INPUT
        if fail_on != "never":
            threshold = severity_rank(fail_on)
            if any(severity_rank(i.severity) >= threshold and not i.fixed
                   for job in self.jobs for i in job.issues):
                return EXIT_QA
        return EXIT_OK


def localize(
    sources: Sequence[Path],
    options: LocalizeOptions,
    *,
    input_errors: Sequence[SublocError] = (),
    on_progress: Callable[[str, int, int], None] | None = None,
) -> RunResult:
    """Localize every source into every target language; see the module docstring."""
    started = time.monotonic()
    _validate(options)
    progress = on_progress or (lambda _stage, _done, _total: None)
    profile = load_profile(options.profile)
    plans = list(_parallel(_plan_file, [(s, options) for s in sources], options.jobs,
                           lambda done: progress("reading", done, len(sources))))
    engine = create_engine(options.engine, options.engine_options)
    cache = _open_cache(options)
    jobs: list[JobResult] = []
    work: list[tuple[Path, str, list[str], LocalizeOptions, Profile, JobResult,
                     list[Entry]]] = []
    stats: dict[tuple[str, str], TranslateStats] = {}
    pairs: dict[tuple[str, str], list[FilePlan]] = {}
    for plan in plans:
        for target in options.targets:
            job = JobResult(source=plan.path, target_lang=target, source_lang=plan.source_lang,
                            probability=plan.probability, cues=plan.cues, engine=options.engine,
                            warnings=list(plan.warnings), error=plan.error)
            jobs.append(job)
            if job.error is None and not plan.texts:
                # Nothing to translate (an empty file): write the empty track, no engine.
                work.append((plan.path, target, [], options, profile, job, []))
            elif job.error is None and plan.source_lang:
                pairs.setdefault((plan.source_lang, target), []).append(plan)
    for (source_lang, target), pair_plans in sorted(pairs.items()):
        pair_jobs = [j for j in jobs if j.error is None and j.source_lang == source_lang
                     and j.target_lang == target]
        if _same_language(source_lang, target):
            for job in pair_jobs:
                job.issues.append(Issue("same-language", "info",
                                        f"the source is already {source_lang}; not translated"))
            continue
        try:
            engine.check_pair(source_lang, target)
            job_identity = f"{options.engine} {engine.describe_pair(source_lang, target)}"
            entries = load_for_pair(options.glossaries, source_lang, target,
                                    use_default=options.default_glossary)
            masked = [mask(text, entries, source_lang, target, adapt_units=options.adapt_units)
                      for plan in pair_plans for text in plan.texts]
            translated, stats[(source_lang, target)] = translate_texts(
                engine, [m.text for m in masked], source_lang, target, cache)
            final, lost = _unmask_all(engine, masked, translated, source_lang, target, cache)
        except SublocError as error:
            for job in pair_jobs:
                job.error = error.located(job.source) if error.path is None else error
            continue
        offset = 0
        for plan, job in zip(pair_plans, pair_jobs, strict=True):
            job.engine = job_identity
            job.segments = len(plan.texts)
            for index in range(offset, offset + len(plan.texts)):
                job.issues.extend(_mask_issues(masked[index], index in lost,
                                               plan.segment_cues[index - offset][0]))
            chunk = final[offset : offset + len(plan.texts)]
            offset += len(plan.texts)
            work.append((plan.path, target, chunk, options, profile, job, entries))
    if cache is not None:
        for warning in cache.warnings:
            log.warning("%s", warning)
        cache.close()
    finished = list(_parallel(_finish_job, work, options.jobs,
                              lambda done: progress("writing", done, len(work))))
    by_key = {(r.source, r.target_lang): r for r in finished}
    jobs = [by_key.get((j.source, j.target_lang), j) for j in jobs]
    for job in jobs:
        pair_stats = stats.get((job.source_lang or "", job.target_lang))
        if pair_stats and job.error is None:
            job.cache_hits = pair_stats.cache_hits
    report_path = _write_report(jobs, profile, options)
    return RunResult(jobs=jobs, input_errors=list(input_errors), stats=stats,
                     report_path=report_path, seconds=time.monotonic() - started)


def _validate(options: LocalizeOptions) -> None:
    if not options.targets:
        raise UsageError("no target language given; use --to es,fr")
    if options.output_format != "same":
        resolve_format(options.output_format)
    if options.jobs < 1:
        raise UsageError("--jobs must be at least 1")


def _same_language(source: str, target: str) -> bool:
    return source.split("-")[0].lower() == target.split("-")[0].lower()


def _open_cache(options: LocalizeOptions) -> TranslationCache | None:
    return TranslationCache(options.cache_path) if options.use_cache else None


def _parallel(fn: Callable[..., R], args: list[tuple[Any, ...]], jobs: int,
              advance: Callable[[int], None]) -> Iterable[R]:
    """``fn(*a)`` for each ``a`` in order, in ``jobs`` worker processes when > 1."""
    if jobs <= 1 or len(args) <= 1:
        for done, item in enumerate(args, start=1):
            yield fn(*item)
            advance(done)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for done, result in enumerate(pool.map(fn, *zip(*args, strict=True)), start=1):
            yield result
            advance(done)


def _read(path: Path, options: LocalizeOptions) -> Track:
    return load(path, encoding=options.encoding, fps=options.fps, lenient=options.lenient)


def _plan_file(path: Path, options: LocalizeOptions) -> FilePlan:
    plan = FilePlan(path=path)
    try:
        track = _read(path, options)
        plan.warnings = list(track.warnings)
        plan.cues = len(track.cues)
        text = "\n".join(markup.strip_tags(c.text) for c in track.cues)
        if options.source_lang != "auto":
            plan.source_lang = options.source_lang
        elif text.strip():
            plan.source_lang, plan.probability = detect_language(text, str(path))
        segments, _parts = segment(track.cues, options.segmenting)
        plan.texts = [s.text for s in segments]
        plan.segment_cues = [s.cue_ids for s in segments]
    except SublocError as error:
        plan.error = error.located(path)
    return plan


def _unmask_all(engine: Engine, masked: list[Masked], translated: list[str], source: str,
                target: str, cache: TranslationCache | None) -> tuple[list[str], set[int]]:
    """Unmasked translations; where a placeholder was lost, the unmasked source translated
    instead (one more batched engine call for all of them)."""
    final = [unmask(m, t) for m, t in zip(masked, translated, strict=True)]
    lost = {i for i, text in enumerate(final) if text is None}
    if lost:
        order = sorted(lost)
        retried, _ = translate_texts(engine, [masked[i].source for i in order], source, target,
                                     cache)
        for index, text in zip(order, retried, strict=True):
            final[index] = text
    return [text or "" for text in final], lost


def _mask_issues(masked: Masked, lost: bool, cue: int) -> list[Issue]:
    if lost:
        names = ", ".join(repr(slot.surface) for slot in masked.slots)
        return [Issue("placeholder-lost", "warning",
                      f"the engine lost or altered the placeholder(s) for {names}; translated "
                      "without them (glossary checked below)", cue=cue)]
    return [Issue("unit-adapted", "info", f"{slot.surface!r} adapted as {slot.replacement!r}",
                  cue=cue, fixed=True, before=slot.surface, after=slot.replacement)
            for slot in masked.slots if slot.entry is None]


def _finish_job(path: Path, target: str, translations: list[str], options: LocalizeOptions,
                profile: Profile, job: JobResult, entries: list[Entry]) -> JobResult:
    try:
        track = _read(path, options)
        segments, parts = segment(track.cues, options.segmenting)
        limits = FitLimits(max_chars=float(profile.limit("cpl-max", target) or 42),
                           max_lines=int(profile.limit("lines-max", target) or 2))
        restored = rebuild_cues(track.cues, parts, segments, translations, target, limits)
        job.issues.extend(restored.issues)
        localized = track.copy(cues=restored.cues, language=target)
        groups = {cue_id: seg.cue_ids for seg in segments for cue_id in seg.cue_ids}
        verified = verify(track.cues, localized.cues, groups, entries, job.source_lang or "",
                          target)
        job.issues.extend(verified.issues)
        job.glossary_hits = verified.hits
        sources = {cue.id: cue for cue in track.cues}
        name = _output_format(track, options)
        ctx = CheckContext(profile, target, options.fps or track.fps or 23.976, sources,
                           job.source_lang, FORMATS[name].time_step_ms)
        if options.fix:
            fixed = fix(localized.cues, ctx)
            job.issues.extend(fixed.issues)
            localized.cues = fixed.cues
        adapted = {i.cue for i in job.issues if i.rule == "unit-adapted"}
        job.issues.extend(i for i in check(localized.cues, ctx)
                          if not (i.rule == "number-mismatch" and i.cue in adapted))
        for issue in job.issues:  # the profile decides severities, whoever found the issue
            issue.severity = ctx.severity(issue.rule)
        job.rows = cue_rows(localized.cues, sources)
        destination = output_path(path, options.output_dir, FORMATS[name].extensions[0], target)
        job.warnings.extend(save(localized, destination, format=name,
                                 encoding=options.output_encoding, language=target))
        job.output = destination
    except SublocError as error:
        job.error = error.located(path)
    return job


def _output_format(track: Track, options: LocalizeOptions) -> str:
    if options.output_format != "same":
        return resolve_format(options.output_format)
    name = track.format or "srt"
    return name if FORMATS[name].can_write else "ttml"  # EBU STL is read-only


def _write_report(jobs: list[JobResult], profile: Profile,
                  options: LocalizeOptions) -> Path | None:
    directory = options.report_dir or options.output_dir or Path.cwd()
    entries = [
        job_entry(source=str(job.source), target=str(job.output) if job.output else None,
                  source_lang=job.source_lang, target_lang=job.target_lang, engine=job.engine,
                  cues=job.cues, issues=job.issues,
                  extra={"source_lang_probability": job.probability,
                         "segments": job.segments,
                         "glossary_hits": job.glossary_hits,
                         "error": str(job.error) if job.error else None})
        for job in jobs
    ]
    return write_reports(build_report(entries, profile.name), [j.rows for j in jobs],
                         directory)[0]


__all__ = ["JobResult", "LocalizeOptions", "ModelError", "RunResult", "localize"]

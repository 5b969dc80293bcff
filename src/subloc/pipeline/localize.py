"""``subloc localize``: a batch of source files into target languages.

A run streams its files in phases so memory stays bounded for hundreds of files:

1. plan: read each file, detect its language, segment it; keep only the segment texts;
2. translate: per language pair, every segment of every file at once (masked with the
   glossary, de-duplicated, cached, one engine call, the model loaded once);
3. finish: each job (one file x one language) through :func:`subloc.pipeline.job.finish_job`;
4. report: ``report.json``, ``report.html`` and ``report.junit.xml``.

Phases 1 and 3 run in ``jobs`` worker processes; phase 2 in this one, where the model is.
With ``executor="ray"`` all three run on Ray workers, writing the same bytes (see
:mod:`subloc.pipeline.ray_executor`).
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from subloc.engines import Engine, EngineOptions, create_engine
from subloc.engines.cache import CacheUnavailable, HumanEntry, TranslationCache
from subloc.errors import SublocError, UsageError
from subloc.glossary.model import Entry
from subloc.glossary.store import load_for_pair
from subloc.io.atomic import output_lock, remove_stale_temps
from subloc.io.read import resolve_format
from subloc.issues import FailOn, Issue, IssueLog, exit_code
from subloc.languages import check_tags
from subloc.pipeline import jobcache
from subloc.pipeline.executors import Executor, check_executor, open_executor
from subloc.pipeline.job import (
    JobInput,
    JobOutput,
    JobSettings,
    finish_job,
    read_source,
    segment_digests,
)
from subloc.pipeline.jobcache import StoredJob
from subloc.pipeline.mask import Masked, fallback_mask, inserted_issues, mask, unmask
from subloc.pipeline.progress import NoProgress, Progress
from subloc.pipeline.segment import SegmentOptions, iter_segments
from subloc.pipeline.translate import TranslateStats, note_issues, translate_texts
from subloc.qa.langid import detect_language, sample_text
from subloc.qa.profiles import Profile, load_profile
from subloc.reports.model import Confidence, CueRow, GlossaryHit, JobReport, Report
from subloc.reports.writers import reports_current, write_reports

log = logging.getLogger(__name__)
A = TypeVar("A")
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
    #: Mark cues whose translation the engine scored below this mean log-probability per
    #: token as needing review (``mt-low-confidence``); engines without scores mark cues
    #: with unknown words instead.
    review_below: float | None = None
    #: Word lists whose words are never spelling errors (``--words``; the profile's
    #: ``[style] words`` are added to them).
    words: tuple[Path, ...] = ()
    #: Where plan, translate and finish run: ``local`` (``jobs`` processes here) or ``ray``
    #: (``jobs`` Ray workers, 0 for one per CPU of the cluster; see pipeline/executors.py).
    executor: str = "local"
    #: The Ray cluster to join (``auto``, ``ray://host:port``), or None to start Ray here.
    ray_address: str | None = None

    @property
    def job_settings(self) -> JobSettings:
        return JobSettings(output_dir=self.output_dir, output_format=self.output_format,
                           output_encoding=self.output_encoding, fix=self.fix,
                           encoding=self.encoding, fps=self.fps, lenient=self.lenient,
                           segmenting=self.segmenting)


@dataclass(frozen=True)
class FilePlan:
    """Phase 1's result for one file: just what translation needs."""

    path: Path
    source_lang: str | None = None
    probability: float | None = None
    texts: tuple[str, ...] = ()
    first_cues: tuple[int, ...] = ()  # the first cue of each segment (where issues point)
    cues: int = 0
    warnings: tuple[str, ...] = ()
    error: SublocError | None = None


@dataclass
class JobResult:
    """One source file x one target language, as it ended."""

    source: Path
    target_lang: str
    source_lang: str | None = None
    probability: float | None = None
    output: Path | None = None
    cues: int = 0
    segments: int = 0
    cache_hits: int = 0
    engine: str = ""
    issues: IssueLog = field(default_factory=IssueLog)
    glossary_hits: tuple[GlossaryHit, ...] = ()
    rows: tuple[CueRow, ...] = ()
    warnings: list[str] = field(default_factory=list)
    error: SublocError | None = None
    #: Finished by an earlier run exactly so (see :mod:`subloc.pipeline.jobcache`).
    reused: bool = False
    confidence: Confidence | None = None

    @classmethod
    def from_stored(cls, source: Path, target: str, stored: StoredJob) -> JobResult:
        return cls(source=source, target_lang=target, source_lang=stored.source_lang,
                   probability=stored.probability,
                   output=Path(stored.output) if stored.output else None, cues=stored.cues,
                   segments=stored.segments, engine=stored.engine,
                   issues=IssueLog(stored.issues), glossary_hits=stored.glossary_hits,
                   rows=stored.rows, warnings=list(stored.warnings), reused=True)

    def report(self) -> JobReport:
        return JobReport(
            kind="localize", source=str(self.source),
            target=str(self.output) if self.output else None,
            source_lang=self.source_lang, target_lang=self.target_lang, engine=self.engine,
            cues=self.cues, issues=self.issues, glossary_hits=self.glossary_hits,
            source_lang_probability=self.probability, segments=self.segments,
            error=str(self.error) if self.error else None, confidence=self.confidence)


@dataclass(frozen=True)
class RunResult:
    jobs: list[JobResult]
    input_errors: list[SublocError]
    stats: dict[tuple[str, str], TranslateStats]
    report: Report
    report_path: Path | None
    seconds: float
    warnings: tuple[str, ...] = ()
    #: Why the reports could not be written (a full disk), when they could not.
    report_error: SublocError | None = None

    @property
    def errors(self) -> list[SublocError]:
        """Every error of the run: unreadable inputs, failed jobs, the reports."""
        return [*self.input_errors, *(j.error for j in self.jobs if j.error),
                *([self.report_error] if self.report_error else [])]

    def exit_code(self, fail_on: FailOn = "error") -> int:
        return exit_code(self.errors, (j.issues.counts for j in self.jobs), fail_on)


@dataclass
class _Pair:
    """The jobs of one language pair, with their plans, on their way through translation."""

    source_lang: str
    target_lang: str
    plans: list[FilePlan] = field(default_factory=list)
    jobs: list[JobResult] = field(default_factory=list)


def localize(
    sources: Sequence[Path],
    options: LocalizeOptions,
    *,
    input_errors: Sequence[SublocError] = (),
    progress: Progress | None = None,
) -> RunResult:
    """Localize every source into every target language; see the module docstring."""
    started = time.monotonic()
    progress = progress or NoProgress()
    _validate(options)
    profile = load_profile(options.profile).with_words(options.words)
    report_dir = options.report_dir or options.output_dir or Path.cwd()
    warnings: list[str] = []
    cache = _open_cache(options, warnings)  # before any output: a refused --cache fails fast
    try:
        with output_lock(report_dir), open_executor(
                options.executor, options.ray_address, options.jobs, _parallel) as executor:
            for folder in {report_dir, options.output_dir or report_dir}:
                remove_stale_temps(folder)
            jobs, stats = _run(sources, options, profile, cache, progress, executor)
            report = Report.build([job.report() for job in jobs], profile.name)
            report_path: Path | None = report_dir / "report.json"
            report_error: SublocError | None = None
            try:
                # A rerun in which every job was reused (same code, options, inputs) and
                # whose reports are this report's need not rewrite them.
                if not (all(job.reused for job in jobs) and reports_current(report, report_dir)):
                    write_reports(report, [job.rows for job in jobs], report_dir)
            except SublocError as error:
                report_path, report_error = None, error
    finally:
        if cache is not None:
            warnings.extend(cache.warnings)
            cache.close()
    return RunResult(jobs=jobs, input_errors=list(input_errors), stats=stats, report=report,
                     report_path=report_path, seconds=time.monotonic() - started,
                     warnings=tuple(warnings), report_error=report_error)


def _run(sources: Sequence[Path], options: LocalizeOptions, profile: Profile,
         cache: TranslationCache | None, progress: Progress, executor: Executor
         ) -> tuple[list[JobResult], dict[tuple[str, str], TranslateStats]]:
    """Plan, translate and finish every job; see the module docstring."""
    progress = executor.progress(progress)
    created = create_engine(options.engine, options.engine_options)
    if not created.writes_words:
        profile = profile.without_spelling()  # pseudo-localized "words" are not words
    engine = executor.engine(created, cache)
    keys, reused = _reusable(sources, options, profile, engine, cache)
    to_plan = [s for s in sources if any((s, t) not in reused for t in options.targets)]
    progress.start("reading", len(to_plan), "files")
    plans = {plan.path: plan for plan in executor.map(
        _plan_file, [(s, options) for s in to_plan], progress, _plan_failed)}
    progress.finish()
    jobs, pairs, inputs = _jobs(sources, plans, reused, options, profile)
    for job in jobs:
        if job.reused and cache is not None and (job.source, job.target_lang) in keys:
            job.confidence = _stored_confidence(cache, keys[(job.source, job.target_lang)])
    del plans  # segment texts are needed only until their pair is translated
    stats: dict[tuple[str, str], TranslateStats] = {}
    for pair in pairs:
        inputs.extend(_translate_pair(pair, engine, cache, options, profile, stats, progress))
        pair.plans.clear()
    progress.start("writing", len(inputs), "jobs")
    done = [(job.source, job.target_lang) for job in inputs]
    work: list[tuple[JobInput, ...]] = [(job,) for job in inputs]
    del inputs  # each job's translations go as soon as it is finished (see _parallel)
    finished = list(executor.map(_finish, work, progress, _finish_failed))
    progress.finish()
    results = dict(zip(done, finished, strict=True))
    for job in jobs:
        outcome = results.get((job.source, job.target_lang))
        if isinstance(outcome, SublocError):
            job.error = outcome
        elif outcome is not None:
            job.output, job.issues = outcome.output, outcome.issues
            job.glossary_hits, job.rows = outcome.glossary_hits, outcome.rows
            job.warnings.extend(outcome.warnings)
            job.confidence = outcome.confidence
        pair_stats = stats.get((job.source_lang or "", job.target_lang))
        if pair_stats and job.error is None:
            job.cache_hits = pair_stats.cache_hits
    if cache is not None:
        _remember(cache, jobs, keys)
    return jobs, stats


def _reusable(sources: Sequence[Path], options: LocalizeOptions, profile: Profile,
              engine: Engine, cache: TranslationCache | None
              ) -> tuple[dict[tuple[Path, str], str], dict[tuple[Path, str], StoredJob]]:
    """Each job's key in the cache, and the jobs an earlier run finished exactly so."""
    if cache is None:
        return {}, {}
    fingerprint = jobcache.run_fingerprint(
        engine, profile, options.job_settings, options.glossaries, options.default_glossary,
        options.adapt_units, options.source_lang)
    # Human translations (any new one may change a job) and --review-below decide too.
    fingerprint = f"{fingerprint}:human{cache.human_generation()}:{options.review_below}"
    keys: dict[tuple[Path, str], str] = {}
    reused: dict[tuple[Path, str], StoredJob] = {}
    for source in sources:
        digest = jobcache.file_digest(source)
        if digest is None:
            continue  # unreadable: planning will say why
        for target in options.targets:
            key = keys[(source, target)] = jobcache.job_key(fingerprint, digest, target,
                                                            options.output_dir)
            stored = jobcache.load(cache, key)
            if stored is not None:
                reused[(source, target)] = stored
    return keys, reused


def _remember(cache: TranslationCache, jobs: list[JobResult],
              keys: dict[tuple[Path, str], str]) -> None:
    """Store each job finished in this run, for the next run to reuse."""
    for job in jobs:
        key = keys.get((job.source, job.target_lang))
        if (key is None or job.reused or job.error is not None
                or len(job.issues) > jobcache.MAX_STORED_ISSUES):
            continue
        output = str(job.output) if job.output else ""
        jobcache.store(cache, key, StoredJob(
            output=output,
            output_digest=(jobcache.file_digest(Path(output)) or "") if output else "",
            source_lang=job.source_lang, probability=job.probability,
            cues=job.cues, segments=job.segments, engine=job.engine,
            issues=tuple(job.issues), glossary_hits=job.glossary_hits, rows=job.rows,
            warnings=tuple(job.warnings)))
        if job.confidence:
            cache.put_job(key + _CONFIDENCE, pickle.dumps(job.confidence))


#: Suffix of the key a finished job's confidence is stored under, beside the job (a
#: StoredJob has no field for it).
_CONFIDENCE = ":confidence"


def _stored_confidence(cache: TranslationCache, key: str) -> Confidence | None:
    blob = cache.get_job(key + _CONFIDENCE)
    if blob is None:
        return None
    try:
        confidence = pickle.loads(blob)
    except Exception:  # an older or damaged entry: the job is still good, just unscored
        return None
    return confidence if isinstance(confidence, Confidence) else None


def _validate(options: LocalizeOptions) -> None:
    if not options.targets:
        raise UsageError("no target language given; use --to es,fr")
    # Target codes become part of output file names: checked before any path is built.
    check_tags(options.targets, "--to")
    if options.source_lang != "auto":
        check_tags((options.source_lang,), "--from")
    if options.output_format != "same":
        resolve_format(options.output_format)
    if options.jobs < (0 if options.executor == "ray" else 1):
        raise UsageError("--jobs must be at least 1")
    check_executor(options.executor)


def _same_language(source: str, target: str) -> bool:
    return source.split("-")[0].lower() == target.split("-")[0].lower()


def _open_cache(options: LocalizeOptions, warnings: list[str]) -> TranslationCache | None:
    """The translation cache, or None: a cache that cannot be opened costs speed, not the
    run, so it degrades to no cache with a warning (a path that is not a subloc cache is
    refused: :class:`~subloc.engines.cache.CacheRefused`)."""
    if not options.use_cache:
        return None
    try:
        return TranslationCache(options.cache_path)
    except (CacheUnavailable, OSError, sqlite3.Error) as error:
        where = options.cache_path or "the default cache location"
        warnings.append(f"{where}: cannot open the translation cache ({error}); translating "
                        "without it (use --cache PATH to choose another file, or --no-cache)")
        return None


def _parallel(fn: Callable[..., R], args: list[tuple[A, ...]], jobs: int,
              progress: Progress) -> Iterable[R]:
    """``fn(*a)`` for each ``a`` in order, in ``jobs`` worker processes when > 1.

    Workers die with this process (``kill -9`` included) and leave Ctrl-C to it: on an
    interrupt the queued work is cancelled and the pool shut down before it propagates.
    """
    if jobs <= 1 or len(args) <= 1:
        args.reverse()
        while args:  # popped, so an item's data is freed once it is done
            yield fn(*args.pop())
            progress.advance()
        return
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_start,
                               initargs=(os.getpid(),))
    try:
        for result in pool.map(fn, *zip(*args, strict=True)):
            yield result
            progress.advance()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _worker_start(parent: int) -> None:
    """In each worker: ignore Ctrl-C (the parent handles it) and exit when the parent is
    gone: at once on Linux (``PR_SET_PDEATHSIG``), else within a second (a watchdog)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)  # the parent died before the signal was armed

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watchdog").start()


def _plan_file(path: Path, options: LocalizeOptions) -> FilePlan:
    try:
        track = read_source(path, options.job_settings)
        source_lang, probability = None, None
        text = sample_text(track.cues)
        if options.source_lang != "auto":
            source_lang = options.source_lang
        elif text.strip():
            source_lang, probability = detect_language(text, str(path))
        texts: list[str] = []
        first_cues: list[int] = []
        for piece in iter_segments(track.cues, options.segmenting):
            texts.append(piece.text)
            first_cues.append(piece.cue_ids[0])
        return FilePlan(path=path, source_lang=source_lang, probability=probability,
                        texts=tuple(texts), first_cues=tuple(first_cues),
                        cues=len(track.cues), warnings=tuple(track.warnings))
    except SublocError as error:
        return FilePlan(path=path, error=error.located(path))


def _jobs(sources: Sequence[Path], plans: dict[Path, FilePlan],
          reused: dict[tuple[Path, str], StoredJob], options: LocalizeOptions,
          profile: Profile) -> tuple[list[JobResult], list[_Pair], list[JobInput]]:
    """A job per file and target (reused ones complete already); the pairs to translate;
    jobs with nothing to translate."""
    jobs: list[JobResult] = []
    pairs: dict[tuple[str, str], _Pair] = {}
    empty: list[JobInput] = []
    for source in sources:
        for target in options.targets:
            stored = reused.get((source, target))
            if stored is not None:
                jobs.append(JobResult.from_stored(source, target, stored))
                continue
            plan = plans[source]
            job = JobResult(source=plan.path, target_lang=target, source_lang=plan.source_lang,
                            probability=plan.probability, cues=plan.cues,
                            engine=options.engine, warnings=list(plan.warnings),
                            error=plan.error)
            jobs.append(job)
            if job.error is not None:
                continue
            if not plan.texts:
                # Nothing to translate (an empty file): write the empty track, no engine.
                empty.append(_job_input(plan, target, (), (), (), profile, options))
            elif plan.source_lang:
                pair = pairs.setdefault((plan.source_lang, target),
                                        _Pair(plan.source_lang, target))
                pair.plans.append(plan)
                pair.jobs.append(job)
    return jobs, [pairs[key] for key in sorted(pairs)], empty


def _job_input(plan: FilePlan, target: str, translations: Sequence[str],
               prior: Sequence[Issue], entries: Sequence[Entry], profile: Profile,
               options: LocalizeOptions) -> JobInput:
    return JobInput(source=plan.path, source_lang=plan.source_lang or "", target_lang=target,
                    first_cues=plan.first_cues, segment_digests=segment_digests(plan.texts),
                    translations=tuple(translations),
                    prior_issues=tuple(prior), entries=tuple(entries), profile=profile,
                    settings=options.job_settings)


def _translate_pair(pair: _Pair, engine: Engine, cache: TranslationCache | None,
                    options: LocalizeOptions, profile: Profile,
                    stats: dict[tuple[str, str], TranslateStats],
                    progress: Progress) -> list[JobInput]:
    """Translate every segment of a pair's jobs at once; the jobs' inputs for finishing."""
    source, target = pair.source_lang, pair.target_lang
    if _same_language(source, target):
        for job in pair.jobs:
            job.issues.append(Issue("same-language", "info",
                                    f"the source is already {source}; not translated"))
        return []
    try:
        engine.check_pair(source, target)
        identity = f"{options.engine} {engine.describe_pair(source, target)}"
        entries = load_for_pair(options.glossaries, source, target,
                                use_default=options.default_glossary)
        texts = [text for plan in pair.plans for text in plan.texts]
        # Reviewers' translations come first: those segments never reach the engine.
        human = cache.get_human(source, target, sorted(set(texts))) if cache else {}
        masked = [_NOTHING if text in human else
                  mask(text, entries, source, target, adapt_units=options.adapt_units)
                  for text in texts]
        translated, pair_stats = translate_texts(
            engine, [m.text for m in masked], source, target, cache, progress)
        stats[(source, target)] = pair_stats
        final, lost = _unmask_all(engine, masked, translated, source, target, cache,
                                  pair_stats)
        for index, text in enumerate(texts):
            if text in human:
                final[index] = human[text].translation
    except SublocError as error:
        for job in pair.jobs:
            job.error = error.located(job.source) if error.path is None else error
        return []
    inputs = []
    offset = 0
    for plan, job in zip(pair.plans, pair.jobs, strict=True):
        job.engine = identity
        job.segments = len(plan.texts)
        prior = [issue for index, cue in enumerate(plan.first_cues, start=offset)
                 for issue in [*_mask_issues(masked[index], index in lost, cue),
                               *note_issues(pair_stats.notes.get(
                                   masked[index].source if index in lost
                                   else masked[index].text, ()), cue),
                               *_human_issues(human.get(texts[index]), cue)]]
        scores = tuple(None if texts[index] in human else pair_stats.scores.get(
                           masked[index].source if index in lost else masked[index].text)
                       for index in range(offset, offset + len(plan.texts)))
        if options.review_below is not None:
            prior.extend(_review_issues(plan, scores, prior, options.review_below, identity))
        pieces = tuple((index - offset, human[texts[index]].pieces)
                       for index in range(offset, offset + len(plan.texts))
                       if texts[index] in human and human[texts[index]].pieces)
        chunk = final[offset : offset + len(plan.texts)]
        offset += len(plan.texts)
        inputs.append(replace(
            _job_input(plan, target, chunk, prior, entries, profile, options),
            scores=scores if any(score is not None for score in scores) else (),
            human_pieces=pieces))
    return inputs


#: What a segment with a human translation is masked as: nothing for the engine to do.
_NOTHING = Masked(source="", text="")


def _human_issues(entry: HumanEntry | None, cue: int) -> list[Issue]:
    if entry is None:
        return []
    origin = f" (from {entry.origin})" if entry.origin else ""
    return [Issue("human-translation", "info",
                  f"a reviewer's translation ({entry.state}) was reused{origin}", cue=cue,
                  value=entry.state)]


def _review_issues(plan: FilePlan, scores: Sequence[float | None], prior: Sequence[Issue],
                   threshold: float, identity: str) -> list[Issue]:
    """``mt-low-confidence`` for each segment scored below ``threshold``; for an engine
    that gives no scores, for each segment with words it did not know."""
    human = {issue.cue for issue in prior if issue.rule == "human-translation"}
    if any(score is not None for score in scores):
        return [Issue("mt-low-confidence", "info",
                      f"the engine's confidence {score:.2f} (mean log-probability per token) "
                      f"is below --review-below {threshold:g}: review this translation",
                      cue=cue, value=round(score, 4), limit=threshold)
                for cue, score in zip(plan.first_cues, scores, strict=True)
                if score is not None and score < threshold]
    unknown: dict[int, int] = {}
    for issue in prior:
        if issue.rule == "mt-unknown-word" and issue.cue is not None \
                and issue.cue not in human:
            words = issue.value.split(", ") if isinstance(issue.value, str) else [""]
            unknown[issue.cue] = unknown.get(issue.cue, 0) + len(words)
    return [Issue("mt-low-confidence", "info",
                  f"{identity} gives no confidence score; {count} unknown word"
                  f"{'s' if count != 1 else ''}: review this translation", cue=cue,
                  value=count)
            for cue, count in unknown.items()]


def _unmask_all(engine: Engine, masked: list[Masked], translated: list[str], source: str,
                target: str, cache: TranslationCache | None, stats: TranslateStats
                ) -> tuple[list[str], set[int]]:
    """Unmasked translations; where a placeholder was lost, the unmasked source translated
    instead; where the engine did not render a ``verify`` glossary term, the source
    translated again with that term masked, so its form goes in (each one batched engine
    call for all of them, whose notes join ``stats``; ``masked[i]`` becomes what was
    finally used, so the report can name each insertion)."""
    final = [unmask(m, t) for m, t in zip(masked, translated, strict=True)]
    lost = {i for i, text in enumerate(final) if text is None}
    if lost:
        order = sorted(lost)
        retried, retry_stats = translate_texts(engine, [masked[i].source for i in order],
                                               source, target, cache)
        stats.notes.update(retry_stats.notes)
        stats.scores.update(retry_stats.scores)
        for index, text in zip(order, retried, strict=True):
            final[index] = text
    again = {i: redo for i, text in enumerate(final) if i not in lost
             if (redo := fallback_mask(masked[i], text)) is not None}
    if again:
        order = sorted(again)
        retried, retry_stats = translate_texts(engine, [again[i].text for i in order],
                                               source, target, cache)
        stats.notes.update(retry_stats.notes)
        stats.scores.update(retry_stats.scores)
        for index, text in zip(order, retried, strict=True):
            inserted = unmask(again[index], text)
            if inserted is not None:  # a placeholder lost again: keep the first pass
                final[index], masked[index] = inserted, again[index]
    return [text or "" for text in final], lost


def _mask_issues(masked: Masked, lost: bool, cue: int) -> list[Issue]:
    if lost:
        names = ", ".join(repr(slot.surface) for slot in masked.slots)
        return [Issue("placeholder-lost", "warning",
                      f"the engine lost or altered the placeholder(s) for {names}; translated "
                      "without them (glossary checked below)", cue=cue)]
    return [*(Issue("unit-adapted", "info", f"{slot.surface!r} adapted as "
                    f"{slot.replacement!r}", cue=cue, fixed=True, before=slot.surface,
                    after=slot.replacement) for slot in masked.slots if slot.entry is None),
            *inserted_issues(masked, cue)]


def _finish(job: JobInput) -> JobOutput | SublocError:
    try:
        return finish_job(job)
    except SublocError as error:
        return error.located(job.source)


def _plan_failed(args: tuple[Path, LocalizeOptions], error: SublocError) -> FilePlan:
    """A file whose planning worker was lost (on Ray): that file's error."""
    return FilePlan(path=args[0], error=error.located(args[0]))


def _finish_failed(args: tuple[JobInput], error: SublocError) -> SublocError:
    """A job whose finishing worker was lost (on Ray): that job's error."""
    return error.located(args[0].source)


__all__ = ["JobResult", "LocalizeOptions", "RunResult", "localize"]

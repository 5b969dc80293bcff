"""The review loop: a run's tracks out to reviewers, their corrections back in, remembered.

**Export** (:func:`export_reviews`): for each job of a run's ``report.json`` (a localized
or checked track and its source), one XLIFF file (:mod:`subloc.io.xliff`), one unit per
segment as the pipeline segmented the source: source and target text, the cues and times,
layout limits, glossary entries, QA issues, the engine's confidence and the unit's state
(``translated`` for MT, ``reviewed``/``final`` for a reviewer's translation).

**Import** (:func:`import_reviews`): XLIFF files back from a CAT tool, or the corrections
file report.html downloads (:mod:`subloc.io.corrections`). Each unit is matched to a
segment of the track's source as it is now: by segment number, source text (and its
inline codes) and cue times; failing that, by text alone when the text is unique on both
sides. A unit that matches nothing (the film was re-cut, the line changed) is reported as
``review-unmatched`` and left alone: never applied to another cue. A changed target is put
back the way the pipeline puts MT back: split over the segment's cues by their shares
(:mod:`subloc.pipeline.redistribute`), whole-cue formatting and dialogue dashes restored,
lines re-fitted to the profile; timings are not touched. Then the whole track is checked
again (QA rules and glossary verification) and written, and a report shows each change
(``review-changed``: MT before, reviewer after). Everything about one file is checked before
anything of it is written: a malformed file, one for another track or language pair, or a
unit whose inline codes are broken is one error naming the file and the unit, and nothing
of that file is written; the other files still import.

**Remembered**: reviewed and approved translations go into the translation cache as human
entries (:class:`~subloc.engines.cache.HumanEntry`, with the reviewer's split over cues),
which every later run uses instead of MT for the same source segment and language pair.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

from subloc import markup
from subloc.engines.cache import (
    CacheUnavailable,
    HumanEntry,
    TranslationCache,
    language_key,
)
from subloc.errors import InputError, SublocError, UsageError
from subloc.formats import FORMATS
from subloc.glossary.match import find_terms
from subloc.glossary.model import Entry
from subloc.glossary.store import load_for_pair
from subloc.io.atomic import atomic_write, output_lock, remove_stale_temps
from subloc.io.corrections import CueCorrection, JobCorrections, read_corrections
from subloc.io.read import MAX_INPUT_BYTES, load, read_bounded
from subloc.io.write import save
from subloc.io.xliff import (
    Code,
    CodeKind,
    GlossEntry,
    State,
    Unit,
    UnitNote,
    XliffDocument,
    XliffError,
    XliffFile,
    code_signature,
    codes,
    digest,
    is_xliff,
    read_xliff,
    resolve,
    write_xliff,
)
from subloc.issues import (
    RULE_IDS,
    SEVERITIES,
    FailOn,
    Issue,
    IssueLog,
    RuleId,
    Severity,
    Value,
    exit_code,
)
from subloc.pipeline.fit import FitLimits
from subloc.pipeline.fix import Fixer
from subloc.pipeline.restore import rebuild_cues
from subloc.pipeline.segment import CueParts, Segment, analyse, segment
from subloc.qa.profiles import Profile, load_profile
from subloc.qa.rules import WINDOW, CheckContext, check_range, with_profile_severity
from subloc.reports.html import RowPicker, cue_ranks
from subloc.reports.model import CueRow, GlossaryHit, JobReport, Report
from subloc.reports.writers import write_reports
from subloc.textwidth import splits_by_character
from subloc.track import Cue, Track

log = logging.getLogger(__name__)

DEFAULT_FPS = 23.976
_LANG_SUFFIX_CHARS = 3


# --- shared: a track beside its source, segmented as the pipeline segments it ----------

@dataclass
class Aligned:
    """A target track paired cue by cue with its source, and the source's segments."""

    source: Track
    target: Track
    segments: list[Segment]
    parts: dict[int, CueParts]
    #: Source cue id -> the target cue at the same position, and its parts.
    target_by_id: dict[int, Cue]
    target_parts: dict[int, CueParts]

    @classmethod
    def of(cls, source: Track, target: Track, target_path: Path) -> Aligned:
        if len(source.cues) != len(target.cues):
            raise InputError(f"has {len(target.cues)} cues and its source has "
                             f"{len(source.cues)}: it is not this source's translation (or "
                             "cues were added or removed since)", path=target_path)
        segments, parts = segment(source.cues)
        by_id = {s.id: t for s, t in zip(source.cues, target.cues, strict=True)}
        return cls(source, target, segments, parts, by_id,
                   {cue_id: analyse(cue) for cue_id, cue in by_id.items()})

    def target_text(self, seg: Segment, language: str) -> str:
        """The segment's translation as the target track has it now."""
        if seg.part is not None:
            parts = self.target_parts[seg.cue_ids[0]]
            if parts.dialogue and seg.part < len(parts.parts):
                return parts.parts[seg.part]
            return parts.text
        glue = "" if splits_by_character(language) else " "
        return glue.join(self.target_parts[cue_id].text for cue_id in seg.cue_ids).strip()

    def refresh(self, cue_ids: Iterable[int]) -> None:
        for cue_id in cue_ids:
            self.target_parts[cue_id] = analyse(self.target_by_id[cue_id])


def _normal(text: str) -> str:
    return " ".join(text.split())


def _plain(text: str) -> str:
    return " ".join(markup.strip_tags(text).split())


# --- reading a run's report ----------------------------------------------------------

@dataclass(frozen=True)
class ReportJob:
    """A job of a run's report.json that can be reviewed: a track and its source."""

    report: Path
    source: Path
    target: Path
    source_lang: str
    target_lang: str
    engine: str
    profile: str
    run_id: str
    issues: tuple[Issue, ...]
    confidence: Mapping[int, float]


def read_report(path: Path) -> tuple[list[ReportJob], int]:
    """The reviewable jobs of a report.json (or of the report.json in a folder), and how
    many jobs were left out (failed, not written, no source)."""
    if path.is_dir():
        path = path / "report.json"
    try:
        document = json.loads(read_bounded(path, MAX_INPUT_BYTES).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"is not a subloc report.json ({error})", path=path) from None
    if not isinstance(document, dict) or not str(document.get("schema", "")).startswith(
            "subloc.report/"):
        raise InputError("is not a subloc report.json (no \"schema\": \"subloc.report/1\"); "
                         "give the report.json of a localize or check run, or its folder",
                         path=path)
    jobs: list[ReportJob] = []
    skipped = 0
    for job in document.get("jobs") or []:
        if not isinstance(job, dict):
            continue
        source, target = job.get("source"), job.get("target")
        source_lang, target_lang = job.get("source_lang"), job.get("target_lang")
        if (job.get("error") or not isinstance(source, str) or not isinstance(target, str)
                or not isinstance(source_lang, str) or not isinstance(target_lang, str)):
            skipped += 1
            continue
        confidence = {int(item["cue"]): float(item["score"])
                      for item in job.get("confidence") or []
                      if isinstance(item, dict) and isinstance(item.get("cue"), int)
                      and isinstance(item.get("score"), (int, float))}
        jobs.append(ReportJob(
            report=path, source=_locate(source, path.parent), target=_locate(target,
                                                                             path.parent),
            source_lang=source_lang, target_lang=target_lang, engine=str(job.get("engine")),
            profile=str(document.get("profile") or "netflix"),
            run_id=str(document.get("run_id") or ""),
            issues=tuple(_issue(item) for item in job.get("issues") or []
                         if isinstance(item, dict) and item.get("rule") in RULE_IDS
                         and item.get("severity") in SEVERITIES),
            confidence=confidence))
    return jobs, skipped


def _locate(name: str, *bases: Path) -> Path:
    """A path a run recorded: as is when it exists (absolute, or relative to the current
    folder), else relative to each of ``bases``; as given when found nowhere."""
    path = Path(name)
    if path.is_absolute() or path.exists():
        return path
    for base in bases:
        if (base / path).exists():
            return base / path
    return path


def _issue(item: Mapping[str, object]) -> Issue:
    """An issue as report.json has it (the rule and severity were checked by the caller)."""
    def value(key: str) -> Value:
        found = item.get(key)
        return cast(Value, tuple(found) if isinstance(found, list) else found)

    cue = item.get("cue")
    return Issue(cast(RuleId, item["rule"]), cast(Severity, item["severity"]),
                 str(item.get("message", "")), cue=cue if isinstance(cue, int) else None,
                 value=value("value"), limit=value("limit"), fixed=bool(item.get("fixed")),
                 before=value("before"), after=value("after"))


# --- export ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ExportOptions:
    """What ``subloc review export`` can be told."""

    output_dir: Path | None = None
    version: str = "2.1"
    #: Mark units whose confidence is below this as needing review.
    review_below: float | None = None
    #: The profile whose limits the units carry (default: the run's).
    profile: str | None = None
    glossaries: tuple[Path, ...] = ()
    default_glossary: bool = True
    use_cache: bool = True
    cache_path: Path | None = None
    encoding: str | None = None
    fps: float | None = None
    lenient: bool = False


@dataclass
class ExportResult:
    #: Each XLIFF file written, with its number of units.
    written: list[tuple[Path, int]] = field(default_factory=list)
    errors: list[SublocError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0

    def exit_code(self) -> int:
        return exit_code(self.errors, (), "never")


def export_reviews(reports: Sequence[Path], options: ExportOptions) -> ExportResult:
    """One XLIFF file per reviewable job of each report (see the module docstring)."""
    if options.version not in ("2.1", "1.2"):
        raise UsageError(f"--xliff-version must be 2.1 or 1.2, not {options.version!r}")
    result = ExportResult()
    cache = _open_cache(options.use_cache, options.cache_path, result.warnings)
    names: set[Path] = set()
    try:
        for report in reports:
            try:
                jobs, skipped = read_report(report)
            except SublocError as error:
                result.errors.append(error.located(report))
                continue
            result.skipped += skipped
            for job in jobs:
                try:
                    result.written.append(_export_job(job, options, cache, names,
                                                      result.warnings))
                except SublocError as error:
                    result.errors.append(error.located(job.target))
    finally:
        if cache is not None:
            result.warnings.extend(cache.warnings)
            cache.close()
    return result


def _export_job(job: ReportJob, options: ExportOptions, cache: TranslationCache | None,
                names: set[Path], warnings: list[str]) -> tuple[Path, int]:
    source = load(job.source, encoding=options.encoding, fps=options.fps,
                  lenient=options.lenient)
    target = load(job.target, encoding=options.encoding, fps=options.fps,
                  lenient=options.lenient)
    aligned = Aligned.of(source, target, job.target)
    profile = _profile(options.profile or job.profile, warnings)
    entries = load_for_pair(options.glossaries, job.source_lang, job.target_lang,
                            use_default=options.default_glossary)
    texts = [seg.text for seg in aligned.segments]
    human = cache.get_human(job.source_lang, job.target_lang, sorted(set(texts))) \
        if cache is not None else {}
    out_dir = options.output_dir or job.report.parent
    stem = f"{job.source.stem}.{job.source_lang}-{job.target_lang}"
    path = out_dir / f"{stem}.xlf"
    number = 2
    while path in names:
        path, number = out_dir / f"{stem}-{number}.xlf", number + 1
    names.add(path)
    units = [_unit(index, seg, aligned, job, profile, entries, human, options)
             for index, seg in enumerate(aligned.segments, start=1)]
    xfile = XliffFile(
        id="f1", original=_relative(job.source, out_dir), target_path=_relative(job.target,
                                                                              out_dir),
        source_lang=job.source_lang, target_lang=job.target_lang, units=units,
        meta={key: value for key, value in (("run", job.run_id), ("engine", job.engine),
                                            ("profile", profile.name)) if value})
    data, replaced = write_xliff(XliffDocument(options.version, [xfile]))
    if replaced:
        warnings.append(f"{path}: {replaced} characters XML cannot carry were written as "
                        "U+FFFD")
    atomic_write(path, data)
    return path, len(units)


def _relative(path: Path, base: Path) -> str:
    try:
        return os.path.relpath(path.resolve(), base.resolve())
    except ValueError:  # another drive (Windows)
        return str(path.resolve())


def _profile(name: str, warnings: list[str]) -> Profile:
    try:
        return load_profile(name)
    except SublocError:
        warnings.append(f"cannot load the run's profile {name!r}; using netflix's limits "
                        "(give --profile)")
        return load_profile("netflix")


_PRIORITY = {"error": 1, "warning": 3, "info": 6}


def _unit(index: int, seg: Segment, aligned: Aligned, job: ReportJob, profile: Profile,
          entries: Sequence[Entry], human: Mapping[str, HumanEntry],
          options: ExportOptions) -> Unit:
    target = aligned.target_text(seg, job.target_lang)
    cues = set(seg.cue_ids)
    issues = [issue for issue in job.issues if issue.cue in cues]
    scores = [job.confidence[cue] for cue in seg.cue_ids if cue in job.confidence]
    confidence = min(scores) if scores else None
    entry = human.get(seg.text)
    state: State = "translated"
    if entry is not None and _normal(entry.translation) == _normal(target):
        state = "final" if entry.state == "final" else "reviewed"
    elif any(issue.rule == "human-translation" for issue in issues) and len(cues) == 1 \
            and seg.part is None:
        state = "reviewed"
    low = confidence is not None and options.review_below is not None \
        and confidence < options.review_below
    needs_review = state == "translated" and (
        low or any(issue.rule == "mt-low-confidence" for issue in issues))
    cpl = profile.limit("cpl-max", job.target_lang)
    lines = profile.limit("lines-max", job.target_lang)
    notes: list[UnitNote] = []
    size = None
    if cpl is not None:
        max_lines = int(lines or 2)
        size = int(cpl) if seg.part is not None else int(cpl * max_lines * len(seg.cue_ids))
        layout = (f"one line of at most {cpl:g} characters (a speaker of a dialogue cue)"
                  if seg.part is not None else
                  f"at most {cpl:g} characters per line and {max_lines} lines per cue, over "
                  f"{len(seg.cue_ids)} cue{'s' if len(seg.cue_ids) != 1 else ''}")
        notes.append(UnitNote("subloc:limits", layout, 5))
    if confidence is not None:
        notes.append(UnitNote("subloc:confidence",
                              f"engine confidence {confidence:.3f} (mean log-probability per "
                              "token; 0 is certain)", 4))
    for issue in issues:
        status = "fixed" if issue.fixed else issue.severity
        notes.append(UnitNote("subloc:qa", f"cue {issue.cue}: {issue.rule} ({status}): "
                                           f"{issue.message}",
                              _PRIORITY.get(status, 8)))
    glossary = []
    seen: set[Entry] = set()
    for match in find_terms(markup.strip_tags(seg.text), entries, job.source_lang):
        if match.entry in seen:
            continue
        seen.add(match.entry)
        definition = match.entry.type + (f": {match.entry.note}" if match.entry.note else "")
        translations = () if match.entry.type == "dnt" else match.entry.targets
        glossary.append(GlossEntry(match.surface, translations, definition))
    return Unit(
        id=f"u{index}", source=seg.text, target=target, state=state, segment=index,
        cues=tuple(seg.cue_ids),
        times=tuple((aligned.source.cues[_position(aligned, cue)].start_ms,
                     aligned.source.cues[_position(aligned, cue)].end_ms)
                    for cue in seg.cue_ids),
        part=seg.part, confidence=confidence, needs_review=needs_review, size=size,
        max_chars=cpl, max_lines=int(lines) if lines else None, glossary=tuple(glossary),
        notes=tuple(notes), exported=digest(target))


def _position(aligned: Aligned, cue_id: int) -> int:
    cues = aligned.source.cues
    if 1 <= cue_id <= len(cues) and cues[cue_id - 1].id == cue_id:
        return cue_id - 1
    return next(i for i, cue in enumerate(cues) if cue.id == cue_id)


# --- import ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportOptions:
    """What ``subloc review import`` can be told."""

    #: Write reviewed tracks here (default: over the tracks, in place).
    output_dir: Path | None = None
    #: Write report.json, report.html and report.junit.xml here (default: the output
    #: folder, else the current folder).
    report_dir: Path | None = None
    #: For one reviewed track: its source and the track, instead of the paths the file names.
    source: Path | None = None
    track: Path | None = None
    profile: str = "netflix"
    glossaries: tuple[Path, ...] = ()
    default_glossary: bool = True
    use_cache: bool = True
    cache_path: Path | None = None
    #: Re-wrap a changed cue whose lines still break the profile (as localize's auto-fix).
    fix: bool = True
    encoding: str | None = None
    fps: float | None = None
    lenient: bool = False


@dataclass
class ReviewJob:
    """One track a review file changed (or would have)."""

    review: Path
    target: Path
    source: Path | None = None
    source_lang: str | None = None
    target_lang: str = "und"
    output: Path | None = None
    cues: int = 0
    changed: int = 0
    approved: int = 0
    unmatched: int = 0
    stored: int = 0
    issues: IssueLog = field(default_factory=IssueLog)
    glossary_hits: tuple[GlossaryHit, ...] = ()
    rows: tuple[CueRow, ...] = ()
    error: SublocError | None = None

    def report(self) -> JobReport:
        return JobReport(
            kind="review", source=str(self.source) if self.source else None,
            target=str(self.target), source_lang=self.source_lang,
            target_lang=self.target_lang, engine=f"review ({self.review.name})",
            cues=self.cues, issues=self.issues, glossary_hits=self.glossary_hits,
            error=str(self.error) if self.error else None,
            output=str(self.output) if self.output else None)


@dataclass
class ImportRun:
    jobs: list[ReviewJob]
    errors: list[SublocError]
    report: Report
    report_path: Path | None
    warnings: list[str] = field(default_factory=list)
    report_error: SublocError | None = None

    def exit_code(self, fail_on: FailOn = "error") -> int:
        errors = [*self.errors, *([self.report_error] if self.report_error else [])]
        return exit_code(errors, (job.issues.counts for job in self.jobs), fail_on)


def import_reviews(files: Sequence[Path], options: ImportOptions) -> ImportRun:
    """Import each review file (XLIFF or corrections JSON); see the module docstring."""
    profile = load_profile(options.profile)
    warnings: list[str] = []
    errors: list[SublocError] = []
    jobs: list[ReviewJob] = []
    cache = _open_cache(options.use_cache, options.cache_path, warnings)
    report_dir = options.report_dir or options.output_dir or Path.cwd()
    try:
        with output_lock(report_dir):
            remove_stale_temps(report_dir)
            for path in files:
                try:
                    jobs.extend(_import_file(path, options, profile, cache))
                except SublocError as error:
                    errors.append(error.located(path))
            report = Report.build([job.report() for job in jobs], profile.name)
            report_path: Path | None = report_dir / "report.json"
            report_error: SublocError | None = None
            try:
                write_reports(report, [job.rows for job in jobs], report_dir)
            except SublocError as error:
                report_path, report_error = None, error
    finally:
        if cache is not None:
            warnings.extend(cache.warnings)
            cache.close()
    return ImportRun(jobs, errors, report, report_path, warnings, report_error)


@dataclass
class _Pending:
    """One track, reviewed and checked, waiting for its file's other tracks to pass."""

    job: ReviewJob
    track: Track
    changed: bool
    human: list[HumanEntry]


def _import_file(path: Path, options: ImportOptions, profile: Profile,
                 cache: TranslationCache | None) -> list[ReviewJob]:
    data = read_bounded(path, MAX_INPUT_BYTES)
    pending: list[_Pending] = []
    if is_xliff(data):
        document = read_xliff(data, str(path))
        if (options.source is not None or options.track is not None) \
                and len(document.files) != 1:
            raise UsageError("--source and --track name one track, and this XLIFF holds "
                             f"{len(document.files)}", path=path)
        for xfile in document.files:
            pending.append(_import_xliff_file(path, xfile, options, profile))
    else:
        corrections = read_corrections(data, str(path))
        if (options.source is not None or options.track is not None) \
                and len(corrections.jobs) != 1:
            raise UsageError("--source and --track name one track, and these corrections "
                             f"hold {len(corrections.jobs)}", path=path)
        for part in corrections.jobs:
            pending.append(_import_corrections(path, part, options, profile))
    targets = Counter(item.job.target.resolve() for item in pending)
    twice = [target for target, count in targets.items() if count > 1]
    if twice:
        raise InputError(f"names the track {twice[0]} twice; review it in one part",
                         path=path)
    # Everything checked: now write, then remember.
    for item in pending:
        job = item.job
        if item.changed or options.output_dir is not None:
            output = (options.output_dir / job.target.name) if options.output_dir else \
                job.target
            save(item.track, output, format=item.track.format or "srt",
                 encoding=_encoding(item.track), language=job.target_lang)
            job.output = output
        if cache is not None and item.human and job.source_lang:
            job.stored = cache.put_human(job.source_lang, job.target_lang, item.human)
    return [item.job for item in pending]


def _encoding(track: Track) -> str:
    name = (track.encoding or "utf-8").lower()
    return "utf-8" if name in ("ascii", "us-ascii") else name


def _resolve_paths(review: Path, source: str | None, target: str,
                   options: ImportOptions, relative_to_review: bool
                   ) -> tuple[Path | None, Path]:
    """The source and track a review names: paths relative to the review file (XLIFF
    export writes them so) or to the current folder; ``--source``/``--track`` win."""
    bases = [review.parent] if relative_to_review else [Path.cwd(), review.parent]
    track = options.track or _find(target, bases, review, "track")
    source_path = options.source or (_find(source, bases, review, "source")
                                     if source else None)
    return source_path, track


def _find(name: str, bases: Sequence[Path], review: Path, what: str) -> Path:
    path = Path(name)
    candidates = [path] if path.is_absolute() else [base / path for base in bases] + [path]
    for candidate in candidates:
        if candidate.is_file():
            return Path(os.path.normpath(candidate))
    raise InputError(f"cannot find the {what} it was made for ({name}); put it back, or name "
                     f"it with --{what}", path=review)


def _check_languages(review: Path, track_path: Path, track: Track, source: Track | None,
                     source_lang: str | None, target_lang: str) -> None:
    """A review for another language pair is refused: the track's language (from its name,
    ``film.es.srt``, or its content's declaration) must be the review's target language."""
    suffix = track_path.stem.rsplit(".", 1)[-1] if "." in track_path.stem else ""
    declared = [lang for lang in (suffix if _looks_like_language(suffix) else None,
                                  track.language) if lang]
    base = language_key(target_lang).split("-")[0]
    if declared and all(language_key(lang).split("-")[0] != base for lang in declared):
        raise InputError(f"is for {source_lang or '?'}->{target_lang}, and the track "
                         f"{track_path} is in {declared[0]}: it is for another language pair",
                         path=review)
    if source is not None and source.language and source_lang and \
            language_key(source.language).split("-")[0] != language_key(source_lang).split(
                "-")[0]:
        raise InputError(f"is for {source_lang}->{target_lang}, and the source is in "
                         f"{source.language}: it is for another language pair", path=review)


def _looks_like_language(text: str) -> bool:
    head = text.replace("_", "-").split("-")[0]
    return 2 <= len(head) <= _LANG_SUFFIX_CHARS and head.isalpha() and head.islower()


def _context(profile: Profile, lang: str, aligned: Aligned | None, target: Track,
             source_lang: str | None) -> CheckContext:
    name = target.format or "srt"
    step = FORMATS[name].time_step_ms if name in FORMATS else 1
    sources: Mapping[int, Cue] = {} if aligned is None else {
        aligned.target_by_id[cue.id].id: cue for cue in aligned.source.cues}
    return CheckContext(profile, lang, target.fps or DEFAULT_FPS, sources, source_lang, step)


def _limits(profile: Profile, lang: str) -> FitLimits:
    return FitLimits(max_chars=profile.limit("cpl-max", lang) or 42,
                     max_lines=int(profile.limit("lines-max", lang) or 2))


# --- XLIFF units -------------------------------------------------------------------------

def _import_xliff_file(review: Path, xfile: XliffFile, options: ImportOptions,
                       profile: Profile) -> _Pending:
    # Broken inline codes are refused whatever the track says (checked against the codes
    # the unit's own source declares).
    for unit in xfile.units:
        if unit.target_inline is not None:
            declared = [Code(code_id, cast(CodeKind, kind), f"#{code_id}", f"/#{code_id}")
                        for code_id, kind in unit.source_codes]
            try:
                resolve(unit.target_inline, declared, f"unit {unit.id}")
            except XliffError as error:
                raise error.located(review) from None
    source_path, track_path = _resolve_paths(review, xfile.original or None,
                                             xfile.target_path, options,
                                             relative_to_review=True)
    if source_path is None:
        raise InputError("names no source file (<file original=...>); give --source",
                         path=review)
    if options.source is not None and xfile.original and \
            Path(xfile.original).name != options.source.name:
        raise InputError(f"is for {Path(xfile.original).name}, not {options.source.name}: "
                         "it is for another file", path=review)
    source = load(source_path, encoding=options.encoding, fps=options.fps,
                  lenient=options.lenient)
    target = load(track_path, encoding=options.encoding, fps=options.fps,
                  lenient=options.lenient)
    _check_languages(review, track_path, target, source, xfile.source_lang, xfile.target_lang)
    aligned = Aligned.of(source, target, track_path)
    lang = xfile.target_lang
    job = ReviewJob(review=review, target=track_path, source=source_path,
                    source_lang=xfile.source_lang, target_lang=lang, cues=len(target.cues))
    matches, unmatched = _match_units(xfile.units, aligned)
    if xfile.units and not matches:
        raise InputError(f"none of its {len(xfile.units)} units matches {source_path}: it is "
                         "for another file (or the film was re-cut throughout)", path=review)
    issues: list[Issue] = []
    for unit, reason in unmatched:
        if not unit.reviewed:
            continue  # nothing of the reviewer's to lose: not worth a warning
        issues.append(Issue("review-unmatched", "warning",
                            f"{review.name}, unit {unit.id} ({_cues(unit.cues)}): {reason}; "
                            "left alone", cue=unit.cues[0] if unit.cues else None,
                            value=unit.source))
    edits: dict[int, str] = {}
    human_units: list[tuple[int, str, State]] = []
    for unit, number in matches:
        seg = aligned.segments[number - 1]
        for comment in unit.comments:
            issues.append(Issue("review-comment", "info", comment, cue=seg.cue_ids[0],
                                value=comment))
        if unit.target_inline is None:
            continue
        try:
            new = resolve(unit.target_inline, codes(seg.text), f"unit {unit.id}")
        except XliffError as error:
            raise error.located(review) from None
        current = aligned.target_text(seg, lang)
        # Changed words (against what was exported), or tags moved around the same words.
        changed = (digest(new) != unit.exported) if unit.exported else \
            _normal(new) != _normal(current)
        changed = changed or (_plain(new) == _plain(current) and _normal(new) != _normal(current))
        if changed and _normal(new) != _normal(current):
            if not markup.strip_tags(new).strip():
                raise XliffError(f"unit {unit.id}: the target is empty; delete a line in the "
                                 "track instead", path=review)
            edits[number] = new
        if changed or unit.state in ("reviewed", "final"):
            state: State = unit.state if unit.state in ("reviewed", "final") else "reviewed"
            human_units.append((number, new, state))
    job.unmatched = sum(1 for unit, _reason in unmatched if unit.reviewed)
    changed_cues = _apply_edits(aligned, edits, lang, profile, options, issues)
    job.changed = len(changed_cues)
    job.approved = sum(1 for _n, _t, state in human_units if state == "final")
    human = [_human_entry(aligned, aligned.segments[number - 1], text, state, lang,
                          review.name) for number, text, state in human_units]
    _finish(job, aligned, target, issues, profile, options)
    return _Pending(job, target, bool(changed_cues), human)


def _cues(cues: Sequence[int]) -> str:
    if not cues:
        return "no cue"
    return f"cue {cues[0]}" if len(cues) == 1 else f"cues {cues[0]}-{cues[-1]}"


def _match_units(units: Sequence[Unit], aligned: Aligned
                 ) -> tuple[list[tuple[Unit, int]], list[tuple[Unit, str]]]:
    """Each unit's segment number, or why it has none. A unit matches a segment with the
    same source text and inline codes, preferring (1) the same segment number and cue
    times, (2) the same cue times, (3) the only segment with that text, when no other unit
    has that text either. Two units never take one segment."""
    by_key: dict[tuple[str, tuple[tuple[str, str], ...]], list[int]] = {}
    times: dict[int, tuple[tuple[int, int], ...]] = {}
    source_by_id = {cue.id: cue for cue in aligned.source.cues}
    for number, seg in enumerate(aligned.segments, start=1):
        key = (_plain(seg.text), code_signature(codes(seg.text)))
        by_key.setdefault(key, []).append(number)
        times[number] = tuple((source_by_id[c].start_ms, source_by_id[c].end_ms)
                              for c in seg.cue_ids)
    unit_keys = Counter((unit.source_plain, unit.source_codes) for unit in units)
    taken: set[int] = set()
    matched: list[tuple[Unit, int]] = []
    unmatched: list[tuple[Unit, str]] = []
    for unit in units:
        key = (unit.source_plain, unit.source_codes)
        candidates = [n for n in by_key.get(key, []) if n not in taken]
        choice = None
        if unit.segment in candidates and times[unit.segment] == unit.times:
            choice = unit.segment
        else:
            same_times = [n for n in candidates if times[n] == unit.times]
            if len(same_times) == 1:
                choice = same_times[0]
            elif len(candidates) == 1 and len(by_key.get(key, [])) == 1 \
                    and unit_keys[key] == 1:
                choice = candidates[0]
        if choice is None:
            reason = ("its source text is no longer in the track" if not by_key.get(key)
                      else "its source text is in the track more than once, none at its "
                           "times")
            unmatched.append((unit, reason))
            continue
        taken.add(choice)
        matched.append((unit, choice))
    return matched, unmatched


def _apply_edits(aligned: Aligned, edits: Mapping[int, str], lang: str, profile: Profile,
                 options: ImportOptions, issues: list[Issue]) -> list[int]:
    """Put each edited segment's new translation into its cues (split over them, formatted
    and fitted as the pipeline does); returns the source ids of the cues that changed."""
    if not edits:
        return []
    affected = {cue for number in edits for cue in aligned.segments[number - 1].cue_ids}
    while True:  # every segment touching an affected cue, and all of its cues
        segs = [(n, seg) for n, seg in enumerate(aligned.segments, start=1)
                if affected.intersection(seg.cue_ids)]
        grown = affected.union(*(seg.cue_ids for _n, seg in segs))
        if grown == affected:
            break
        affected = grown
    cues = [cue for cue in aligned.source.cues if cue.id in affected]
    texts = [edits.get(n) or aligned.target_text(seg, lang) for n, seg in segs]
    restored = rebuild_cues(cues, aligned.parts, [seg for _n, seg in segs], texts, lang,
                            _limits(profile, lang))
    issues.extend(restored.issues)
    return _put_lines(aligned, {cue.id: cue.lines for cue in restored.cues}, lang, profile,
                      options, issues)


def _put_lines(aligned: Aligned, lines: Mapping[int, list[str]], lang: str, profile: Profile,
               options: ImportOptions, issues: list[Issue]) -> list[int]:
    """New lines for target cues (by source cue id), re-fitted; ``review-changed`` for each
    cue whose text changed."""
    ctx = _context(profile, lang, None, aligned.target, None)
    fixer = Fixer(ctx) if options.fix else None
    changed = []
    for cue_id, new_lines in lines.items():
        cue = aligned.target_by_id[cue_id]
        before = cue.text
        cue.lines = list(new_lines)
        fixes: list[Issue] = []
        if fixer is not None:
            fixer.layout.fix(cue, fixes)
        if cue.text == before:
            continue
        changed.append(cue_id)
        issues.append(Issue("review-changed", "info", "a reviewer changed the translation",
                            cue=cue.id, fixed=True, before=before, after=cue.text))
        issues.extend(fixes)
    aligned.refresh(changed)
    return changed


def _human_entry(aligned: Aligned, seg: Segment, text: str, state: State, lang: str,
                 origin: str) -> HumanEntry:
    pieces = tuple(aligned.target_parts[cue].text for cue in seg.cue_ids) \
        if len(seg.cue_ids) > 1 else ()
    translation = aligned.target_text(seg, lang) if pieces else _normal(text)
    return HumanEntry(seg.text, translation, "final" if state == "final" else "reviewed",
                      pieces, origin)


def _finish(job: ReviewJob, aligned: Aligned | None, target: Track, issues: list[Issue],
            profile: Profile, options: ImportOptions) -> None:
    """Check the whole track again (QA rules, glossary), and the report's rows."""
    lang = job.target_lang
    ctx = _context(profile, lang, aligned, target, job.source_lang)
    found = list(with_profile_severity(issues, ctx))
    hits: list[GlossaryHit] = []
    if aligned is not None and job.source_lang:
        from subloc.pipeline.verify import verify

        entries = load_for_pair(options.glossaries, job.source_lang, lang,
                                use_default=options.default_glossary)
        groups = {cue_id: seg.cue_ids for seg in aligned.segments if len(seg.cue_ids) > 1
                  for cue_id in seg.cue_ids}
        verified = verify(aligned.source.cues, target.cues, groups, list(entries),
                          job.source_lang, lang)
        found.extend(with_profile_severity(verified.issues, ctx))
        hits = verified.hits
    for start in range(0, len(target.cues), WINDOW):
        found.extend(check_range(target.cues, start, min(start + WINDOW, len(target.cues)),
                                 ctx))
    job.issues.extend(found)
    job.glossary_hits = tuple(hits)
    ranks = cue_ranks(found)
    picker = RowPicker()
    for position, cue in enumerate(target.cues):
        source = ctx.sources.get(cue.id)
        picker.add(position, ranks.get(cue.id, 3),
                   CueRow(cue.id, cue.start_ms, cue.end_ms,
                          source.text if source is not None else None, cue.text))
    job.rows = picker.rows()


# --- report.html corrections ---------------------------------------------------------------

def _import_corrections(review: Path, corrections: JobCorrections, options: ImportOptions,
                        profile: Profile) -> _Pending:
    source_path, track_path = _resolve_paths(review, corrections.source, corrections.target,
                                             options, relative_to_review=False)
    target = load(track_path, encoding=options.encoding, fps=options.fps,
                  lenient=options.lenient)
    source = load(source_path, encoding=options.encoding, fps=options.fps,
                  lenient=options.lenient) if source_path is not None else None
    lang = corrections.target_lang
    _check_languages(review, track_path, target, source, corrections.source_lang, lang)
    aligned = Aligned.of(source, target, track_path) if source is not None else None
    job = ReviewJob(review=review, target=track_path, source=source_path,
                    source_lang=corrections.source_lang, target_lang=lang,
                    cues=len(target.cues))
    issues: list[Issue] = []
    by_position = {cue.id: index for index, cue in enumerate(target.cues)}
    matched: list[tuple[CueCorrection, int]] = []  # with the target cue's position
    for item in corrections.cues:
        position = _match_cue(item, target, source, by_position)
        if position is None:
            job.unmatched += 1
            issues.append(Issue("review-unmatched", "warning",
                                f"{review.name}, cue {item.id}: the track no longer has this "
                                "cue (its text or times changed); left alone", cue=item.id,
                                value=item.source if item.source is not None else item.mt))
            continue
        matched.append((item, position))
    if corrections.cues and not matched:
        raise InputError(f"none of its {len(corrections.cues)} cues for {track_path} matches "
                         "the track: it is for another file (or the film was re-cut)",
                         path=review)
    new_lines: dict[int, list[str]] = {}
    for item, position in matched:
        cue = target.cues[position]
        for comment in [item.comment] if item.comment and item.comment.strip() else []:
            issues.append(Issue("review-comment", "info", comment.strip(), cue=cue.id,
                                value=comment.strip()))
        if not item.edited or item.target is None:
            continue
        lines = _cue_lines(item.target, cue, aligned, position, lang, profile, review)
        if lines != cue.lines:
            new_lines[position] = lines
    if aligned is not None:
        source_ids = [c.id for c in aligned.source.cues]
        changed = _put_lines(aligned, {source_ids[p]: lines for p, lines in new_lines.items()},
                             lang, profile, options, issues)
    else:
        changed = _put_plain(target, new_lines, lang, profile, options, issues)
    job.changed = len(changed)
    job.approved = sum(1 for item, _p in matched if item.approved)
    human = _human_from_cues(aligned, matched, lang, review.name)
    _finish(job, aligned, target, issues, profile, options)
    return _Pending(job, target, bool(changed), human)


def _match_cue(item: CueCorrection, target: Track, source: Track | None,
               by_position: Mapping[int, int]) -> int | None:
    """The position of the target cue a correction is for: the cue with its id when its
    times (and source text, or the text the reviewer saw) are still the same; else the one
    cue with those times and that source text."""

    def fits(position: int) -> bool:
        cue = target.cues[position]
        if (cue.start_ms, cue.end_ms) != (item.start_ms, item.end_ms):
            return False
        if source is not None and item.source is not None:
            return source.cues[position].text == item.source
        return cue.text in (item.mt, item.target)

    position = by_position.get(item.id)
    if position is not None and fits(position):
        return position
    candidates = [p for p, cue in enumerate(target.cues)
                  if (cue.start_ms, cue.end_ms) == (item.start_ms, item.end_ms) and fits(p)]
    return candidates[0] if len(candidates) == 1 else None


def _cue_lines(text: str, cue: Cue, aligned: Aligned | None, position: int, lang: str,
               profile: Profile, review: Path) -> list[str]:
    """A reviewer's text for a cue as lines: its tags must be the cue's (whole-cue
    formatting and inline tags), then it is fitted as the pipeline fits a cue."""
    typed = [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    if not typed:
        raise InputError(f"cue {cue.id}: the reviewer's text is empty; delete the cue in the "
                         "track instead", path=review)
    new, current = analyse(replace(cue, lines=typed, meta={})), analyse(cue)
    inner_new = Counter(t.raw for t in markup.tokenize(" ".join(new.parts)) if t.is_tag)
    inner_old = Counter(t.raw for t in markup.tokenize(" ".join(current.parts)) if t.is_tag)
    if (new.wrap != current.wrap or inner_new != inner_old
            or markup.unbalanced_tags(" ".join(typed)) != markup.unbalanced_tags(cue.text)):
        tags = " ".join(sorted({t.raw for t in markup.tokenize(cue.text) if t.is_tag}))
        raise InputError(f"cue {cue.id}: the edit breaks a tag (the cue's tags are {tags}); "
                         "keep every tag as it is", path=review)
    if aligned is None:
        return typed
    source_cue = aligned.source.cues[position]
    parts = aligned.parts[source_cue.id]
    if len(new.parts) != len(parts.parts) or not parts.parts:
        return typed  # the reviewer changed the cue's shape: take it as typed
    if parts.dialogue:
        segs = [Segment(text, [source_cue.id], [len(text)], part=index)
                for index, text in enumerate(parts.parts)]
        texts = list(new.parts)
    else:
        segs = [Segment(parts.text, [source_cue.id], [1])]
        texts = [" ".join(new.parts)]
    restored = rebuild_cues([source_cue], aligned.parts, segs, texts, lang,
                            _limits(profile, lang))
    return restored.cues[0].lines


def _put_plain(target: Track, new_lines: Mapping[int, list[str]], lang: str,
               profile: Profile, options: ImportOptions, issues: list[Issue]) -> list[int]:
    """:func:`_put_lines` for a track without a source."""
    ctx = _context(profile, lang, None, target, None)
    fixer = Fixer(ctx) if options.fix else None
    changed = []
    for position, lines in new_lines.items():
        cue = target.cues[position]
        before = cue.text
        cue.lines = list(lines)
        fixes: list[Issue] = []
        if fixer is not None:
            fixer.layout.fix(cue, fixes)
        if cue.text != before:
            changed.append(cue.id)
            issues.append(Issue("review-changed", "info", "a reviewer changed the translation",
                                cue=cue.id, fixed=True, before=before, after=cue.text))
            issues.extend(fixes)
    return changed


def _human_from_cues(aligned: Aligned | None, matched: Sequence[tuple[CueCorrection, int]],
                     lang: str, origin: str) -> list[HumanEntry]:
    """Human entries for the segments whose every cue a reviewer edited or approved."""
    if aligned is None:
        return []
    ids = [cue.id for cue in aligned.source.cues]
    touched: dict[int, CueCorrection] = {ids[position]: item for item, position in matched
                                         if item.edited or item.approved}
    entries = []
    for seg in aligned.segments:
        items = [touched.get(cue) for cue in seg.cue_ids]
        if not all(items):
            continue
        state: State = "final" if all(item.approved for item in items if item) else "reviewed"
        text = aligned.target_text(seg, lang)
        entries.append(_human_entry(aligned, seg, text, state, lang, origin))
    return entries


# --- the cache -------------------------------------------------------------------------------

def _open_cache(use: bool, path: Path | None, warnings: list[str]) -> TranslationCache | None:
    """The translation cache, or None (with a warning when it cannot be opened: human
    translations are then not remembered; a path that is not a cache is refused)."""
    if not use:
        return None
    try:
        return TranslationCache(path)
    except (CacheUnavailable, OSError, sqlite3.Error) as error:
        where = path or "the default cache location"
        warnings.append(f"{where}: cannot open the translation cache ({error}); reviewers' "
                        "translations are not remembered (use --cache PATH)")
        return None


__all__ = ["Aligned", "ExportOptions", "ExportResult", "ImportOptions", "ImportRun",
           "ReportJob", "ReviewJob", "export_reviews", "import_reviews", "read_report"]

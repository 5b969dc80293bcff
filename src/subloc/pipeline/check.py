"""``subloc check``: QA of existing tracks (human translations included) against a profile,
with their sources when known, optional auto-fix, and reports.

Per track: read -> pair with its source (``film.es.srt`` with ``film.srt``, or
``--source``) -> fix (``--fix``) -> check -> write the fixed track; then the reports."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from subloc.errors import SublocError, UsageError
from subloc.formats import FORMATS
from subloc.io.atomic import output_lock, remove_stale_temps
from subloc.io.inputs import SUBTITLE_EXTENSIONS
from subloc.io.read import load
from subloc.io.write import save
from subloc.issues import FailOn, IssueLog, exit_code
from subloc.pipeline.executors import check_executor, open_executor
from subloc.pipeline.fix import fix_in_place
from subloc.pipeline.progress import NoProgress
from subloc.qa.langid import detect_language, sample_text
from subloc.qa.profiles import Profile, load_profile
from subloc.qa.rules import WINDOW, CheckContext, check_range
from subloc.reports.html import RowPicker, cue_ranks
from subloc.reports.model import CueRow, JobReport, Report
from subloc.reports.writers import write_reports
from subloc.track import CompactCues, Cue, Track

_LANG_SUFFIX = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)$")


@dataclass(frozen=True)
class CheckOptions:
    source: Path | None = None
    language: str | None = None
    profile: str = "netflix"
    fps: float | None = None
    fix: bool = False
    output_dir: Path | None = None
    encoding: str | None = None
    lenient: bool = False
    #: Word lists whose words are never spelling errors (``--words``).
    words: tuple[Path, ...] = ()
    #: Where the tracks are checked: ``local`` (here) or ``ray`` (a task per track on the
    #: Ray cluster at ``ray_address``, or on a Ray instance started here when None).
    executor: str = "local"
    ray_address: str | None = None


@dataclass
class CheckResult:
    target: Path
    source: Path | None = None
    target_lang: str | None = None
    source_lang: str | None = None
    cues: int = 0
    issues: IssueLog = field(default_factory=IssueLog)
    output: Path | None = None
    rows: tuple[CueRow, ...] = ()
    warnings: list[str] = field(default_factory=list)
    error: SublocError | None = None

    def report(self) -> JobReport:
        return JobReport(
            kind="check", source=str(self.source) if self.source else None,
            target=str(self.target), source_lang=self.source_lang,
            target_lang=self.target_lang or "und", engine="human", cues=self.cues,
            issues=self.issues, error=str(self.error) if self.error else None,
            output=str(self.output) if self.output else None)


@dataclass(frozen=True)
class CheckRun:
    results: list[CheckResult]
    input_errors: list[SublocError]
    report: Report
    report_paths: list[Path]
    #: Why the reports could not be written (a full disk), when they could not.
    report_error: SublocError | None = None

    def exit_code(self, fail_on: FailOn = "error") -> int:
        errors = [*self.input_errors, *(r.error for r in self.results if r.error),
                  *([self.report_error] if self.report_error else [])]
        return exit_code(errors, (r.issues.counts for r in self.results), fail_on)


def find_source(target: Path, source_option: Path | None) -> Path | None:
    """The source of ``film.es.srt``: ``--source FILE``, or ``film.*`` in ``--source DIR``
    or beside the target."""
    match = _LANG_SUFFIX.match(target.stem)
    if source_option is not None and source_option.is_file():
        return source_option
    if match is None:
        return None
    folder = source_option if source_option is not None else target.parent
    candidates = sorted(p for p in folder.glob(f"{glob_escape(match.group('stem'))}.*")
                        if p.suffix.lower() in SUBTITLE_EXTENSIONS and p != target
                        and _LANG_SUFFIX.match(p.stem) is None)
    return candidates[0] if candidates else None


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def pair_cues(source: CompactCues, target: list[Cue]) -> Mapping[int, Cue]:
    """Target cue id -> source cue: by id when both have the same ids, else by the largest
    timing overlap."""
    if len(source) == len(target) and all(
            cue_id == cue.id for cue_id, cue in zip(source, target, strict=True)):
        return source
    spans = source.spans()
    paired: dict[int, Cue] = {}
    index = 0
    for cue in target:
        while index < len(spans) and spans[index][1] <= cue.start_ms:
            index += 1
        best, best_overlap = None, 0
        for position in range(max(index - 1, 0), min(index + 4, len(spans))):
            start, end = spans[position]
            overlap = min(cue.end_ms, end) - max(cue.start_ms, start)
            if overlap > best_overlap:
                best, best_overlap = position, overlap
        if best is not None:
            paired[cue.id] = source.cue_at(best)
    return paired


def check_files(targets: Sequence[Path], options: CheckOptions,
                input_errors: Sequence[SublocError] = ()) -> CheckRun:
    if options.fix and options.output_dir is None:
        raise UsageError("--fix writes corrected tracks: give an output directory with -o")
    check_executor(options.executor)
    profile = load_profile(options.profile).with_words(options.words)
    if options.output_dir is None:
        results = _check_all(targets, options, profile)
        report = Report.build([result.report() for result in results], profile.name)
        return CheckRun(results, list(input_errors), report, [])
    with output_lock(options.output_dir):
        remove_stale_temps(options.output_dir)
        results = _check_all(targets, options, profile)
        report = Report.build([result.report() for result in results], profile.name)
        try:
            paths = write_reports(report, [r.rows for r in results], options.output_dir)
        except SublocError as error:
            return CheckRun(results, list(input_errors), report, [], report_error=error)
    return CheckRun(results, list(input_errors), report, paths)


def _check_one(path: Path, options: CheckOptions, profile: Profile) -> CheckResult:
    result = CheckResult(target=path)
    try:
        # The source first, kept compact: a long film is not held twice as Cue objects.
        result.source = find_source(path, options.source)
        source: CompactCues | None = None
        if result.source is not None:
            source_track = load(result.source, encoding=options.encoding, fps=options.fps,
                                lenient=options.lenient)
            result.source_lang = _language(result.source, source_track)
            source = CompactCues(source_track.cues)
            del source_track
        track = load(path, encoding=options.encoding, fps=options.fps, lenient=options.lenient)
        result.cues = len(track.cues)
        result.warnings = list(track.warnings)
        result.target_lang = options.language or _language(path, track)
        sources = pair_cues(source, track.cues) if source is not None else {}
        ctx = CheckContext(profile, result.target_lang, options.fps or track.fps or 23.976,
                           sources, result.source_lang,
                           FORMATS[track.format or "srt"].time_step_ms)
        fix_ranks: dict[int, int] = {}
        if options.fix:
            assert options.output_dir is not None
            output = options.output_dir / path.name
            if output.resolve() == path.resolve():
                raise UsageError("the fixed track would overwrite its input; choose another -o",
                                 path=path)
            fixes = list(fix_in_place(track.cues, ctx))
            fix_ranks = cue_ranks(fixes)
            result.issues.extend(fixes)
            del fixes
            save(track, output, format=track.format)
            result.output = output
        picker = RowPicker()
        for start in range(0, len(track.cues), WINDOW):
            end = min(start + WINDOW, len(track.cues))
            found = check_range(track.cues, start, end, ctx)
            result.issues.extend(found)
            ranks = cue_ranks(found)
            for position in range(start, end):
                cue = track.cues[position]
                paired = sources.get(cue.id)
                picker.add(position, min(ranks.get(cue.id, 3), fix_ranks.get(cue.id, 3)),
                           CueRow(cue.id, cue.start_ms, cue.end_ms,
                                  paired.text if paired is not None else None, cue.text))
        result.rows = picker.rows()
    except SublocError as error:
        result.error = error.located(path)
    return result


def _check_all(targets: Sequence[Path], options: CheckOptions, profile: Profile
               ) -> list[CheckResult]:
    """Every target checked, here or on Ray workers (``options.executor``), in order."""
    if options.executor == "local":
        return [_check_one(path, options, profile) for path in targets]
    with open_executor(options.executor, options.ray_address) as executor:
        return list(executor.map(_check_one, [(path, options, profile) for path in targets],
                                 NoProgress(), _check_failed))


def _check_failed(args: tuple[Path, CheckOptions, Profile], error: SublocError
                  ) -> CheckResult:
    """A track whose worker was lost (on Ray): that track's error."""
    return CheckResult(target=args[0], error=error.located(args[0]))


def _language(path: Path, track: Track) -> str | None:
    match = _LANG_SUFFIX.match(path.stem)
    if match:
        return match.group("lang").replace("_", "-")
    if track.language:  # what the file says (TTML xml:lang, DCP Language)
        return track.language
    text = sample_text(track.cues)
    if not text.strip():
        return None
    return detect_language(text, str(path))[0]

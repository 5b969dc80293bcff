"""Delivery: tracks written as a platform or festival takes them, with a manifest, and a
delivery folder checked against a preset before it is sent.

:func:`deliver` writes each track (a language and a kind: subtitles, SDH, forced) in every
output its preset gives (:mod:`subloc.pipeline.presets`), named and encoded as the preset
says, after the preset's fixes; each file written is read back and checked with the
preset's QA profile, and ``delivery.json`` lists every file (language, kind, format,
encoding, cue count, SHA-256, QA verdict) in bytes that depend on nothing but the files.

:func:`check_folder` (``subloc deliver check``) and :func:`inspect_files` (``subloc check
--deliver``) look at files already written: names, language codes, formats, encodings,
the preset's QA, languages asked for and missing, and the manifest's checksums. Each
problem is a :class:`Problem` naming the file.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from subloc import __version__
from subloc.errors import SublocError, UsageError
from subloc.formats import FORMATS
from subloc.io.atomic import atomic_write
from subloc.io.encoding import decode
from subloc.io.inputs import SUBTITLE_EXTENSIONS
from subloc.io.read import detect_format, load, loads
from subloc.io.write import dumps
from subloc.issues import Issue, Severity, severity_rank
from subloc.languages import is_valid_tag
from subloc.pipeline.fix import fix_in_place
from subloc.pipeline.presets import Kind, Output, Preset, canonical_case
from subloc.qa.profiles import Profile, load_profile
from subloc.qa.rules import WINDOW, CheckContext, check_range
from subloc.track import Track

if TYPE_CHECKING:
    from subloc.pipeline.localize import RunResult

__all__ = ["MANIFEST", "DeliveredFile", "Delivery", "DeliveryTrack", "FolderCheck", "Problem",
           "check_folder", "deliver", "deliver_files", "deliver_localized", "inspect_files",
           "kind_from_name", "language_from_name", "manifest_bytes", "rewrite_reports"]

MANIFEST = "delivery.json"
DEFAULT_FPS = 23.976
Verdict = Literal["pass", "warnings", "fail"]
_KIND_WORDS = {"sdh": "sdh", "cc": "sdh", "captions": "sdh", "hoh": "sdh", "forced": "forced",
               "fn": "forced"}
_NAME_PARTS = re.compile(r"[._\-\s]+")


@dataclass(frozen=True)
class DeliveryTrack:
    """A track to deliver: the cues, their language, their kind, and where they came from
    (a name for the manifest)."""

    track: Track
    language: str
    kind: Kind = "subtitles"
    source: str = ""


@dataclass
class DeliveredFile:
    """One file of a delivery, as the manifest lists it."""

    path: Path
    language: str
    kind: Kind
    format: str
    encoding: str
    cues: int
    sha256: str
    size: int
    profile: str
    counts: dict[str, int] = field(default_factory=dict)
    failing: dict[str, int] = field(default_factory=dict)
    verdict: Verdict = "pass"
    source: str = ""
    warnings: list[str] = field(default_factory=list)

    def entry(self) -> dict[str, Any]:
        """The file's entry in ``delivery.json``."""
        return {
            "file": self.path.name, "language": self.language, "kind": self.kind,
            "format": self.format, "encoding": self.encoding, "cues": self.cues,
            "bytes": self.size, "sha256": self.sha256, "source": self.source,
            "qa": {"profile": self.profile, "verdict": self.verdict,
                   "errors": self.counts.get("error", 0),
                   "warnings": self.counts.get("warning", 0),
                   "info": self.counts.get("info", 0), "fixed": self.counts.get("fixed", 0),
                   "failing": dict(sorted(self.failing.items()))}}


@dataclass
class Delivery:
    """What :func:`deliver` wrote: the files, the manifest, and the tracks that failed."""

    preset: Preset
    files: list[DeliveredFile] = field(default_factory=list)
    manifest: Path | None = None
    errors: list[SublocError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> list[DeliveredFile]:
        return [item for item in self.files if item.verdict == "fail"]


@dataclass(frozen=True)
class Problem:
    """Why a delivery would be rejected (``error``) or deserves a look (``warning``)."""

    file: str
    problem: str
    severity: Literal["error", "warning"] = "error"
    language: str = ""
    kind: str = ""


# --------------------------------------------------------------------------------------
# Writing a delivery


def kind_from_name(name: str) -> Kind:
    """The kind a file name says (``film.en.sdh.srt``, ``film_es_FORCED.dfxp``; ``cc`` and
    ``captions`` are SDH, ``fn`` forced), else subtitles."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    words = [word.lower() for word in _NAME_PARTS.split(stem) if word]
    for word in reversed(words[1:]):
        if word in _KIND_WORDS:
            return "sdh" if _KIND_WORDS[word] == "sdh" else "forced"
    return "subtitles"


def title_from_source(source: Path) -> str:
    """The ``{title}`` of a source file's deliveries: its name up to the first dot
    (``harbour_lights.en.srt`` -> ``harbour_lights``)."""
    return source.name.split(".", 1)[0] or "untitled"


class _Profiles:
    """QA profiles by name, each loaded once."""

    def __init__(self) -> None:
        self.loaded: dict[str, Profile] = {}

    def __call__(self, name: str) -> Profile:
        if name not in self.loaded:
            self.loaded[name] = load_profile(name)
        return self.loaded[name]


def deliver(tracks: Sequence[DeliveryTrack], preset: Preset, output_dir: Path, *,
            title: str | None = None, fps: float | None = None,
            fix: bool | None = None) -> Delivery:
    """Write every track in each of its preset's outputs into ``output_dir``, check each
    file written, and write ``delivery.json`` (merged with one already there for the same
    preset). A track that cannot be delivered (a language code the preset refuses) is an
    error of the result; the others go on."""
    result = Delivery(preset)
    profiles = _Profiles()
    output_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, str] = {}
    for item in tracks:
        where = item.source or "<track>"
        try:
            language = preset.delivery_tag(item.language, where)
            outputs = preset.outputs_for(language, item.kind)
            if not outputs:
                result.warnings.append(
                    f"{where}: {preset.name} takes no {item.kind} track in {language}; "
                    "nothing written")
                continue
            for output in outputs:
                name = preset.file_name(output, title or title_from_source(Path(where)),
                                        language, item.kind)
                if name in written:
                    raise UsageError(f"{name} was already written from {written[name]} in "
                                     "this delivery; give the tracks different languages, "
                                     "kinds or titles (--title)", path=where)
                written[name] = where
                result.files.append(_write_output(
                    item, language, output, name, title or title_from_source(Path(where)),
                    preset, output_dir, profiles, fps, fix))
        except SublocError as error:
            result.errors.append(error.located(where))
    if result.files:
        result.manifest = write_manifest(output_dir, preset, result.files)
    return result


def _write_output(item: DeliveryTrack, language: str, output: Output, name: str, title: str,
                  preset: Preset, output_dir: Path, profiles: _Profiles,
                  fps: float | None, fix: bool | None) -> DeliveredFile:
    profile_name = preset.profile_for(item.kind, output)
    profile = profiles(profile_name)
    rate = fps or item.track.fps or preset.fps or DEFAULT_FPS
    stated = fps or item.track.fps
    warnings: list[str] = []
    if output.frame_times and not stated:
        warnings.append(f"{name}: the source states no frame rate: times written in frames "
                        f"at {rate:g} fps ({preset.name}'s default); pass --fps if the "
                        "video runs at another rate")
    track = item.track.copy(language=language)  # the fixes below change a copy
    if output.format in ("dcp", "dcp-interop"):
        # A DCP read keeps its own options (font, fades); the preset's come over them.
        kept = track.header.get("dcp")
        track.header["dcp"] = {**(kept if isinstance(kept, dict) else {}),
                               **dict(preset.dcp), "title": title}
    ctx = CheckContext(profile, language, rate, {}, None, FORMATS[output.format].time_step_ms)
    fixes: list[Issue] = list(fix_in_place(track.cues, ctx)) if (
        preset.fix if fix is None else fix) else []
    path = output_dir / name
    data, written = dumps(track, format=output.format, encoding=preset.encoding,
                           bom=preset.bom, newline=preset.newline, fps=rate,
                           language=language, frame_times=output.frame_times, path=str(path))
    atomic_write(path, data)
    delivered, _said = _examine(data, path, language, item.kind, output, preset, profile,
                                profile_name, rate)
    delivered.counts["fixed"] = len(fixes)
    delivered.source = Path(item.source).name if item.source else ""
    delivered.warnings = [*warnings, *written]
    return delivered


def _examine(data: bytes, path: Path, language: str, kind: Kind, output: Output,
             preset: Preset, profile: Profile, profile_name: str,
             fps: float) -> tuple[DeliveredFile, str | None]:
    """A written (or found) file read back and checked: its manifest entry, and the
    language the file itself says (TTML xml:lang, DCP Language)."""
    track = loads(data, path=path, format=output.format, encoding=preset.encoding, fps=fps)
    ctx = CheckContext(profile, language, track.fps or fps, {}, None,
                       FORMATS[output.format].time_step_ms)
    tally: Counter[str] = Counter()
    failing: Counter[str] = Counter()
    for start in range(0, max(len(track.cues), 1), WINDOW):
        for issue in check_range(track.cues, start, min(start + WINDOW, len(track.cues)), ctx):
            tally[issue.severity] += 1
            if _rejects(issue.rule, issue.severity, preset):
                failing[issue.rule] += 1
    verdict: Verdict = "fail" if failing else "warnings" if tally["warning"] else "pass"
    return DeliveredFile(
        path=path, language=language, kind=kind, format=output.format,
        encoding=preset.encoding, cues=len(track.cues),
        sha256=hashlib.sha256(data).hexdigest(), size=len(data), profile=profile_name,
        counts={key: tally[key] for key in ("error", "warning", "info")},
        failing=dict(failing), verdict=verdict), track.language


def _rejects(rule: str, severity: Severity, preset: Preset) -> bool:
    return rule in preset.must_pass or severity_rank(severity) >= severity_rank(
        preset.fail_on)


def manifest_bytes(preset: Preset, files: Iterable[DeliveredFile],
                   kept: Iterable[dict[str, Any]] = ()) -> bytes:
    """``delivery.json``: the preset and every file, sorted by name; the same files give
    the same bytes."""
    entries = {entry["file"]: entry for entry in kept}
    entries.update({item.path.name: item.entry() for item in files})
    document = {"manifest": "subloc-delivery", "version": 1, "generator": f"subloc {__version__}",
                "preset": preset.name, "description": preset.description,
                "rejects": {"fail-on": preset.fail_on, "must-pass": sorted(preset.must_pass)},
                "files": [entries[name] for name in sorted(entries)]}
    return (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
            ).encode("utf-8")


def write_manifest(folder: Path, preset: Preset, files: Sequence[DeliveredFile]) -> Path:
    """Write ``folder/delivery.json``, keeping the entries of an earlier delivery with the
    same preset whose files are still there and were not written again."""
    path = folder / MANIFEST
    kept: list[dict[str, Any]] = []
    old = _read_manifest(path)
    if old is not None and old.get("preset") == preset.name:
        written = {item.path.name for item in files}
        for entry in old.get("files", []):
            if isinstance(entry, dict) and isinstance(entry.get("file"), str) and \
                    entry["file"] not in written and (folder / entry["file"]).is_file():
                kept.append(entry)
    atomic_write(path, manifest_bytes(preset, files, kept))
    return path


def _read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return document if isinstance(document, dict) else None


def language_from_name(name: str) -> str | None:
    """The language tag a file name carries (``film.es-419.srt``, ``film.en.sdh.srt``,
    ``film_pt-BR_FORCED.dfxp``), or ``None``."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    for separator in (".", "_"):
        parts = stem.split(separator)[1:]
        for part in reversed(parts):
            if part.lower() in _KIND_WORDS or not re.fullmatch(
                    r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", part):
                continue
            if is_valid_tag(part):
                return canonical_case(part)
    return None


def deliver_files(sources: Sequence[Path], preset: Preset, output_dir: Path | None, *,
                  language: str | None = None, kind: Kind | None = None,
                  title: str | None = None, fps: float | None = None,
                  encoding: str | None = None, lenient: bool = False,
                  input_format: str | None = None) -> list[Delivery]:
    """``subloc convert --deliver``: each source file delivered (into ``output_dir``, else
    beside it); its language is ``language``, else the one its name or content says."""
    by_folder: dict[Path, list[DeliveryTrack]] = {}
    failed: list[SublocError] = []
    for source in sources:
        try:
            track = load(source, format=input_format, encoding=encoding, fps=fps,
                         lenient=lenient)
            tag = language or language_from_name(source.name) or track.language
            if not tag:
                raise UsageError("its language is not known (not in its name, e.g. "
                                 "film.es-419.srt, nor in the file); pass --lang",
                                 path=source)
            folder = output_dir or source.parent
            by_folder.setdefault(folder, []).append(DeliveryTrack(
                track, tag, kind or kind_from_name(source.name), str(source)))
        except SublocError as error:
            failed.append(error.located(source))
    deliveries = [deliver(tracks, preset, folder, title=title, fps=fps)
                  for folder, tracks in by_folder.items()]
    if failed:
        if not deliveries:
            deliveries.append(Delivery(preset))
        deliveries[0].errors[:0] = failed
    return deliveries


class LocalizedJob(Protocol):
    """What :func:`deliver_localized` needs of a localize job (``JobResult``)."""

    source: Path
    target_lang: str
    output: Path | None
    error: SublocError | None


def deliver_localized(jobs: Sequence[LocalizedJob], preset: Preset, output_dir: Path, *,
                      kind: Kind | None = None, title: str | None = None,
                      fps: float | None = None) -> Delivery:
    """``subloc localize --deliver``: the tracks localize wrote (``jobs``, each with its
    ``source``, ``target_lang`` and ``output``) delivered into ``output_dir``; each job's
    ``output`` then names its first delivered file."""
    tracks: list[DeliveryTrack] = []
    for job in jobs:
        if job.error is not None or job.output is None:
            continue
        track = load(job.output, fps=fps)
        tracks.append(DeliveryTrack(track, job.target_lang,
                                    kind or kind_from_name(Path(job.source).name),
                                    str(job.source)))
    delivery = deliver(tracks, preset, output_dir, title=title, fps=fps)
    first: dict[tuple[str, str], Path] = {}
    for item in delivery.files:
        first.setdefault((item.source, item.language), item.path)
    for job in jobs:
        if job.output is not None:
            tag = _delivery_tag(preset, job.target_lang)
            job.output = first.get((Path(job.source).name, tag))
    return delivery


def rewrite_reports(run: RunResult, report_dir: Path) -> RunResult:
    """The run's reports written again after :func:`deliver_localized`, so that each job's
    target is its delivered file (the staged track is gone)."""
    from dataclasses import replace

    from subloc.reports.model import Report
    from subloc.reports.writers import write_reports

    report = Report.build([job.report() for job in run.jobs], run.report.profile)
    try:
        write_reports(report, [job.rows for job in run.jobs], report_dir)
    except SublocError as error:
        return replace(run, report=report, report_path=None, report_error=error)
    return replace(run, report=report, report_path=report_dir / "report.json")


def _delivery_tag(preset: Preset, tag: str) -> str:
    try:
        return preset.delivery_tag(tag)
    except UsageError:
        return tag


# --------------------------------------------------------------------------------------
# Checking a delivery


@dataclass
class FolderCheck:
    """What :func:`check_folder` and :func:`inspect_files` found."""

    preset: Preset
    files: list[DeliveredFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return any(problem.severity == "error" for problem in self.problems)


def inspect_files(paths: Sequence[Path], preset: Preset, *, fps: float | None = None,
                  must_be_named: bool = True) -> FolderCheck:
    """Each file checked as part of a ``preset`` delivery: name, language code, format,
    encoding, what the file says of its language and frame rate, and the preset's QA."""
    result = FolderCheck(preset)
    profiles = _Profiles()
    for path in paths:
        _inspect(path, preset, profiles, fps, result, must_be_named)
    return result


def check_folder(folder: Path, preset: Preset, languages: Sequence[str] = (), *,
                 fps: float | None = None) -> FolderCheck:
    """A delivery folder checked against ``preset``: every subtitle file in it
    (:func:`inspect_files`), the ``languages`` that must be there, and ``delivery.json``."""
    if not folder.is_dir():
        raise UsageError("not a folder; give the delivery folder to check", path=folder)
    wanted = [preset.delivery_tag(tag, "--languages") for tag in languages]
    extensions = {ext.lower() for ext in preset.extensions()}
    candidates = sorted(p for p in folder.iterdir()
                        if p.is_file() and p.name != MANIFEST and not p.name.startswith(".")
                        and (p.suffix.lower() in SUBTITLE_EXTENSIONS
                             or p.suffix.lower() in extensions)
                        and not p.name.startswith("report."))
    result = inspect_files(candidates, preset, fps=fps)
    _missing(folder, preset, wanted, result)
    _check_manifest(folder, result)
    return result


def _inspect(path: Path, preset: Preset, profiles: _Profiles, fps: float | None,
             result: FolderCheck, must_be_named: bool) -> None:
    name = path.name
    problems = result.problems
    match = _match_name(name, preset)
    if match is None:
        extensions = ", ".join(preset.extensions())
        if path.suffix.lower() not in {ext.lower() for ext in preset.extensions()}:
            # .txt, .json and .xml are often notes or metadata: a look, not a rejection.
            level: Literal["error", "warning"] = "warning" if path.suffix.lower() in (
                ".txt", ".json", ".xml") else "error"
            problems.append(Problem(name, f"{path.suffix or 'no extension'}: {preset.name} "
                                    f"takes {extensions} files", level))
        elif must_be_named:
            example = preset.file_name(preset.outputs[0], "<title>", "<lang>", "subtitles")
            problems.append(Problem(name, f"name does not follow {preset.name}'s "
                                    f"convention ({example}, {_kind_note(preset)})"))
        return
    output, language, kind, title = match
    del title
    language_problem = preset.language_problem(language)
    if language_problem is not None:
        problems.append(Problem(name, language_problem, language=language, kind=kind))
        return
    expected = preset.outputs_for(language, kind)
    if output not in expected:
        if expected:
            wants = ", ".join(sorted({o.extension for o in expected}))
            problems.append(Problem(name, f"{preset.name} takes {kind} in {language} as "
                                    f"{wants}, not {output.extension}", language=language,
                                    kind=kind))
        else:
            problems.append(Problem(name, f"{preset.name} takes no {kind} track in "
                                    f"{language}", language=language, kind=kind))
        return
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.append(Problem(name, f"cannot read it: {error.strerror or error}",
                                language=language, kind=kind))
        return
    if data.startswith(b"\xef\xbb\xbf") and not preset.bom and \
            preset.encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        problems.append(Problem(name, "starts with a byte-order mark; "
                                f"{preset.name} wants {preset.encoding} without one",
                                "warning", language, kind))
    try:
        text = decode(data, encoding=preset.encoding, path=name).text
    except SublocError as error:
        problems.append(Problem(name, f"not {preset.encoding}: {error.message}",
                                language=language, kind=kind))
        return
    try:
        found = detect_format(text[:4096], path)
    except SublocError:
        found = "unknown"
    if found != output.format:
        problems.append(Problem(name, f"the content is {found}, not {output.format} as "
                                f"{output.extension} is for {preset.name}",
                                language=language, kind=kind))
        return
    if output.frame_times and output.format == "ttml" and "frameRate" not in text[:8192]:
        problems.append(Problem(name, "times are not frame-based (no ttp:frameRate); "
                                f"{preset.name} wants frame-based times", language=language,
                                kind=kind))
    profile_name = preset.profile_for(kind, output)
    try:
        delivered, said = _examine(data, path, language, kind, output, preset,
                                   profiles(profile_name), profile_name,
                                   fps or preset.fps or DEFAULT_FPS)
    except SublocError as error:
        problems.append(Problem(name, f"cannot be read: {error.message}", language=language,
                                kind=kind))
        return
    if said and canonical_case(said) != language:
        problems.append(Problem(name, f"the file says its language is {said!r}, the name "
                                f"says {language!r}", language=language, kind=kind))
    result.files.append(delivered)
    if delivered.failing:
        rules = ", ".join(f"{rule} x{count}" for rule, count in
                          sorted(delivered.failing.items()))
        total = sum(delivered.failing.values())
        problems.append(Problem(name, f"QA ({profile_name}): {total} issue"
                                f"{'s' * (total != 1)} that {preset.name} rejects ({rules})",
                                language=language, kind=kind))


def _kind_note(preset: Preset) -> str:
    notes = [f"{kind} {suffix!r}" for kind, suffix in preset.kinds.items() if suffix]
    return "kinds: " + ", ".join(notes) if notes else "one kind"


def _match_name(name: str, preset: Preset) -> tuple[Output, str, Kind, str] | None:
    """The output a file name belongs to, with the language, kind and title it says: of
    the outputs whose names it matches, the first that takes its language and kind."""
    found: list[tuple[Output, str, Kind, str]] = []
    for output in preset.outputs:
        match = preset.name_pattern(output).match(name)
        if match is not None:
            groups = match.groupdict()
            language = groups["lang"]
            if preset.upper_case_language(output) and language == language.upper():
                language = canonical_case(language)  # {LANG}: capitals on purpose
            found.append((output, language,
                          preset.kind_of_suffix(groups.get("kind") or ""),
                          groups.get("title") or ""))
    for item in found:
        output, language, kind, _title = item
        if output.applies(canonical_case(language), kind):
            return item
    return found[0] if found else None


def _missing(folder: Path, preset: Preset, wanted: Sequence[str],
             result: FolderCheck) -> None:
    present = {(item.language, item.kind, item.path.suffix.lower()) for item in result.files}
    named = [m for m in (_match_name(p.name, preset) for p in folder.iterdir()) if m]
    titles = Counter(title for *_rest, title in named if title)
    title = titles.most_common(1)[0][0] if titles else "<title>"
    for path in sorted(folder.iterdir()):
        match = _match_name(path.name, preset)
        if match is not None and match[3] and match[3] != title:
            result.problems.append(Problem(
                path.name, f"titled {match[3]!r} where the other files say {title!r}",
                "warning", canonical_case(match[1]), match[2]))
    for language in wanted:
        outputs = preset.outputs_for(language, "subtitles")
        if not outputs:
            result.problems.append(Problem(
                "", f"{preset.name} takes no subtitles in {language}", language=language,
                kind="subtitles"))
            continue
        for output in outputs:
            if (language, "subtitles", output.extension.lower()) not in present:
                expected = preset.file_name(output, title, language, "subtitles")
                result.problems.append(Problem(
                    expected, f"missing: {language} subtitles (expected {expected})",
                    language=language, kind="subtitles"))


def _check_manifest(folder: Path, result: FolderCheck) -> None:
    path = folder / MANIFEST
    if not path.exists():
        result.problems.append(Problem(MANIFEST, "no delivery manifest (subloc writes one "
                                       "with --deliver)", "warning"))
        return
    document = _read_manifest(path)
    if document is None or not isinstance(document.get("files"), list):
        result.problems.append(Problem(MANIFEST, "not a subloc delivery manifest (JSON with "
                                       "a files list)"))
        return
    if document.get("preset") != result.preset.name:
        result.problems.append(Problem(MANIFEST, f"written for the {document.get('preset')!r} "
                                       f"preset, not {result.preset.name!r}", "warning"))
    listed: set[str] = set()
    for entry in document["files"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            continue
        name = entry["file"]
        listed.add(name)
        file = folder / name
        if not file.is_file():
            result.problems.append(Problem(name, "listed in delivery.json but missing"))
            continue
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        if digest != entry.get("sha256"):
            result.problems.append(Problem(name, "changed since delivery.json was written "
                                           "(its SHA-256 differs)"))
    for item in result.files:
        if item.path.name not in listed:
            result.problems.append(Problem(item.path.name, "not listed in delivery.json",
                                           "warning", item.language, item.kind))

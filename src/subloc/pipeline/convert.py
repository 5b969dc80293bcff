"""``subloc convert``: read subtitle files and write them in another format."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from subloc.errors import OutputError, SublocError
from subloc.formats import FORMATS
from subloc.io.read import load, resolve_format
from subloc.io.write import save


@dataclass(frozen=True)
class ConvertOptions:
    """Everything ``subloc convert`` can be told; the defaults are the CLI's defaults."""

    to: str
    output_dir: Path | None = None
    input_format: str | None = None
    encoding: str | None = None
    fps: float | None = None
    lenient: bool = False
    output_encoding: str = "utf-8"
    bom: bool = False
    language: str | None = None
    frame_times: bool = False


@dataclass
class ConvertResult:
    """What happened to one input file."""

    source: Path
    output: Path | None = None
    cues: int = 0
    encoding: str | None = None
    source_format: str | None = None
    warnings: list[str] = field(default_factory=list)
    error: SublocError | None = None
    #: The file has content, but no cue was read from it (the output is an empty track).
    no_cues: bool = False


def output_path(source: Path, output_dir: Path | None, extension: str, lang: str = "") -> Path:
    """``DIR/<stem>[.<lang>].<ext>``, beside the source when no directory is given."""
    stem = source.stem + (f".{lang}" if lang else "")
    return (output_dir or source.parent) / f"{stem}{extension}"


def convert(
    sources: Sequence[Path],
    options: ConvertOptions,
    on_done: Callable[[ConvertResult], None] | None = None,
) -> list[ConvertResult]:
    """Convert each source; a bad file gives a result with ``error`` and the rest go on."""
    target = resolve_format(options.to)
    extension = FORMATS[target].extensions[0]
    inputs = {source.resolve() for source in sources}
    written: dict[Path, Path] = {}
    results = []
    for source in sources:
        result = ConvertResult(source=source)
        destination = output_path(source, options.output_dir, extension)
        try:
            if destination.resolve() in inputs:
                raise OutputError(
                    f"output {destination} would overwrite an input file; choose another "
                    "directory with -o", path=source)
            if destination.resolve() in written:
                raise OutputError(
                    f"output {destination} was already written from "
                    f"{written[destination.resolve()]} in this run; use -o or rename one",
                    path=source)
            result = _convert_one(source, destination, target, options)
            written[destination.resolve()] = source
        except SublocError as error:
            result.error = error.located(source)
        results.append(result)
        if on_done is not None:
            on_done(result)
    return results


def _convert_one(source: Path, destination: Path, target: str,
                 options: ConvertOptions) -> ConvertResult:
    track = load(source, format=options.input_format, encoding=options.encoding,
                 fps=options.fps, lenient=options.lenient)
    write_warnings = save(track, destination, format=target, encoding=options.output_encoding,
                          bom=options.bom, fps=options.fps, language=options.language,
                          frame_times=options.frame_times)
    return ConvertResult(source=source, output=destination, cues=len(track.cues),
                         encoding=track.encoding, source_format=track.format,
                         warnings=track.warnings + write_warnings,
                         no_cues=not track.cues and not track.empty_input)

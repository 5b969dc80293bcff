"""The ``subloc`` command line: short functions that parse options, call the Python API,
and render the result. Everything below this module is plain Python, no click.

Exit codes (every command): 0 all good; 1 QA issues at or above --fail-on; 2 bad usage or
unreadable input; 3 missing model or engine failure.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from subloc import __version__
from subloc.errors import EXIT_INPUT, EXIT_OK, SublocError

T = TypeVar("T")

EXIT_CODES_HELP = (
    "Exit codes: 0 all good; 1 QA issues at or above --fail-on; "
    "2 bad usage or unreadable input; 3 missing model or engine failure."
)


def fail(error: SublocError) -> None:
    """Print one line for an error (no traceback)."""
    click.secho(f"error: {error}", fg="red", err=True)


def warn(message: str) -> None:
    click.secho(f"warning: {message}", fg="yellow", err=True)


@contextmanager
def progress(items: Sequence[T], label: str, enabled: bool) -> Iterator[Callable[[Any], None]]:
    """A progress bar on a TTY for several items; ``advance`` is a no-op otherwise."""
    if enabled and len(items) > 1 and sys.stderr.isatty():
        with click.progressbar(length=len(items), label=label, file=sys.stderr) as bar:
            yield lambda _result: bar.update(1)
    else:
        yield lambda _result: None


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="subloc")
@click.option("-v", "--verbose", count=True, help="More detail (repeat for debug output).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors; no warnings or summary.")
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Localize subtitle tracks offline: convert formats, translate with Argos models,
    apply cultural glossaries, fix timing and layout, and write QA reports."""
    level = logging.WARNING - 10 * verbose if not quiet else logging.ERROR
    logging.basicConfig(level=max(level, logging.DEBUG), format="%(levelname)s: %(message)s")
    ctx.obj = {"quiet": quiet}


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("inputs", nargs=-1, required=True)
@click.option("--to", "to", required=True, metavar="FORMAT",
              help="Output format: srt, vtt, ass, ssa, ttml, sami, microdvd, mpl2, tmp, "
                   "json, scc.")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write outputs here (default: beside each input).")
@click.option("--format", "input_format", metavar="FORMAT",
              help="Input format, when detection from content is not wanted.")
@click.option("--encoding", metavar="ENC", help="Input encoding (default: detected).")
@click.option("--fps", type=float, help="Frame rate for frame-based formats (MicroDVD, SCC).")
@click.option("--lenient", is_flag=True, help="Skip malformed blocks with a warning.")
@click.option("--output-encoding", default="utf-8", show_default=True, metavar="ENC",
              help="Encoding of the written files.")
@click.option("--bom", is_flag=True, help="Write a byte-order mark (UTF-8/16/32).")
@click.option("--lang", "language", metavar="BCP47",
              help="Language tag written where the format has one (TTML xml:lang, SAMI).")
@click.option("--frame-times", is_flag=True,
              help="TTML: frame-based time expressions (needs a frame rate: --fps or "
                   "the source's).")
@click.pass_context
def convert(ctx: click.Context, inputs: tuple[str, ...], to: str, output_dir: Path | None,
            input_format: str | None, encoding: str | None, fps: float | None, lenient: bool,
            output_encoding: str, bom: bool, language: str | None, frame_times: bool) -> None:
    """Convert subtitle files to another format.

    INPUTS are files, directories (searched recursively for subtitle files) and glob
    patterns. Each output is written as DIR/<stem>.<ext>, never over an input file.
    """
    from subloc.convert import ConvertOptions
    from subloc.convert import convert as run_convert
    from subloc.inputs import expand_inputs
    from subloc.reader import resolve_format

    quiet = ctx.obj["quiet"]
    started = time.monotonic()
    try:
        resolve_format(to)
        if input_format:
            resolve_format(input_format)
    except SublocError as usage_error:
        fail(usage_error)
        ctx.exit(EXIT_INPUT)
    sources, input_errors = expand_inputs(inputs)
    for error in input_errors:
        fail(error)
    options = ConvertOptions(to=to, output_dir=output_dir, input_format=input_format,
                             encoding=encoding, fps=fps, lenient=lenient,
                             output_encoding=output_encoding, bom=bom, language=language,
                             frame_times=frame_times)
    with progress(sources, "Converting", not quiet) as advance:
        results = run_convert(sources, options, on_done=advance)
    failed = len(input_errors)
    warnings = 0
    for result in results:
        if result.error is not None:
            failed += 1
            fail(result.error)
            continue
        warnings += len(result.warnings)
        if not quiet:
            for message in result.warnings:
                warn(message)
    if not quiet:
        done = [r for r in results if r.error is None]
        cues = sum(r.cues for r in done)
        click.echo(
            f"Converted {len(done)} file{'s' * (len(done) != 1)} ({cues} cues) to "
            f"{resolve_format(to)} in {time.monotonic() - started:.1f} s; "
            f"{failed} failed, {warnings} warning{'s' * (warnings != 1)}."
        )
    ctx.exit(EXIT_INPUT if failed else EXIT_OK)

"""``subloc convert``: subtitle files to another format."""

from __future__ import annotations

import time
from pathlib import Path

import click

from subloc.cli.app import is_quiet, main
from subloc.cli.options import reading_options
from subloc.cli.output import TerminalProgress, fail, warn
from subloc.errors import EXIT_INPUT, EXIT_OK, EXIT_QA


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--to", "to", required=True, metavar="FORMAT",
              help="Output format: srt, vtt, ass, ssa, ttml, sami, microdvd, mpl2, tmp, "
                   "json, scc.")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write outputs here (default: beside each input).")
@click.option("--format", "input_format", metavar="FORMAT",
              help="Input format, when detection from content is not wanted.")
@reading_options
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
    patterns. Each output is written as DIR/<stem>.<ext>, never over an input file. Exits 1
    when a file with content gave no cue (probably misread), 2 when a file failed.
    """
    from subloc.io.inputs import expand_inputs
    from subloc.io.read import resolve_format
    from subloc.pipeline.convert import ConvertOptions
    from subloc.pipeline.convert import convert as run_convert

    quiet = is_quiet(ctx)
    started = time.monotonic()
    target = resolve_format(to)
    if input_format:
        resolve_format(input_format)
    sources, input_errors = expand_inputs(inputs)
    for error in input_errors:
        fail(error)
    options = ConvertOptions(to=target, output_dir=output_dir, input_format=input_format,
                             encoding=encoding, fps=fps, lenient=lenient,
                             output_encoding=output_encoding, bom=bom, language=language,
                             frame_times=frame_times)
    progress = TerminalProgress() if not quiet and len(sources) > 1 else None
    if progress is not None:
        progress.start("converting", len(sources), "files")
    results = run_convert(sources, options,
                          on_done=(lambda _r: progress.advance()) if progress else None)
    if progress is not None:
        progress.finish()
    failed = len(input_errors) + sum(1 for r in results if r.error is not None)
    warnings = sum(len(r.warnings) for r in results if r.error is None)
    for result in results:
        if result.error is not None:
            fail(result.error)
        elif not quiet:
            for message in result.warnings:
                warn(message)
    if not quiet:
        done = [r for r in results if r.error is None]
        cues = sum(r.cues for r in done)
        click.echo(
            f"Converted {len(done)} file{'s' * (len(done) != 1)} ({cues} cues) to "
            f"{target} in {time.monotonic() - started:.1f} s; "
            f"{failed} failed, {warnings} warning{'s' * (warnings != 1)}."
        )
    # A file with content that gave no cue was probably misread: say so in the exit code.
    no_cues = sum(1 for r in results if r.error is None and r.no_cues)
    ctx.exit(EXIT_INPUT if failed else EXIT_QA if no_cues else EXIT_OK)

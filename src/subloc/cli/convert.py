"""``subloc convert``: subtitle files to another format."""

from __future__ import annotations

import time
from pathlib import Path

import click

from subloc.cli.app import is_quiet, main
from subloc.cli.deliver import deliver_options, delivery_exit, print_delivery
from subloc.cli.options import reading_options
from subloc.cli.output import TerminalProgress, fail, warn
from subloc.errors import EXIT_INPUT, EXIT_OK, EXIT_QA, UsageError


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--to", "to", metavar="FORMAT",
              help="Output format: srt, vtt, ass, ssa, ttml, dcp, dcp-interop, sami, "
                   "microdvd, mpl2, tmp, json, scc (or --deliver PRESET).")
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
@deliver_options
@click.pass_context
def convert(ctx: click.Context, inputs: tuple[str, ...], to: str | None,
            output_dir: Path | None,
            input_format: str | None, encoding: str | None, fps: float | None, lenient: bool,
            output_encoding: str, bom: bool, language: str | None, frame_times: bool,
            deliver_name: str | None, kind: str | None, title: str | None) -> None:
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
    if deliver_name:
        if to:
            raise UsageError("--to and --deliver both choose the output format; give one "
                             "(the preset names its formats: subloc deliver presets)")
        _deliver(ctx, inputs, deliver_name, output_dir, input_format, encoding, fps, lenient,
                 language, kind, title)
        return
    if not to:
        raise UsageError("give --to FORMAT (or --deliver PRESET); see subloc convert --help")
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


def _deliver(ctx: click.Context, inputs: tuple[str, ...], deliver_name: str,
             output_dir: Path | None, input_format: str | None, encoding: str | None,
             fps: float | None, lenient: bool, language: str | None, kind: str | None,
             title: str | None) -> None:
    """``convert --deliver``: each input written as the preset asks, with delivery.json."""
    from typing import cast

    from subloc.io.inputs import expand_inputs
    from subloc.io.read import resolve_format
    from subloc.pipeline.deliver import deliver_files
    from subloc.pipeline.presets import Kind, load_preset

    preset = load_preset(deliver_name)
    if input_format:
        resolve_format(input_format)
    sources, input_errors = expand_inputs(inputs)
    for error in input_errors:
        fail(error)
    deliveries = deliver_files(sources, preset, output_dir, language=language,
                               kind=cast("Kind | None", kind), title=title, fps=fps,
                               encoding=encoding, lenient=lenient, input_format=input_format)
    for delivery in deliveries:
        print_delivery(delivery, quiet=is_quiet(ctx))
    failed = bool(input_errors) or any(delivery.errors for delivery in deliveries)
    rejected = any(delivery_exit(delivery) for delivery in deliveries)
    ctx.exit(EXIT_INPUT if failed else EXIT_QA if rejected else EXIT_OK)

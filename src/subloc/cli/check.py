"""``subloc check``: QA of existing tracks against a delivery profile."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

import click
from click.core import ParameterSource

from subloc.cli.app import SublocCommand, is_quiet, main
from subloc.cli.config import register
from subloc.cli.deliver import deliver_options, print_folder_check
from subloc.cli.executor import executor_options
from subloc.cli.options import config_option, fail_on_option, reading_options
from subloc.cli.output import fail, warn
from subloc.errors import EXIT_OK, EXIT_QA

if TYPE_CHECKING:
    from subloc.issues import FailOn
    from subloc.pipeline.check import CheckRun
    from subloc.pipeline.deliver import DeliveredFile
    from subloc.pipeline.presets import Preset


@main.command(cls=SublocCommand, config_section="check")
@click.argument("targets", nargs=-1, required=True)
@click.option("--source", type=click.Path(exists=True, path_type=Path),
              help="The source track (FILE) or where sources are (DIR). Default: film.srt "
                   "beside film.es.srt.")
@click.option("--lang", "language", metavar="LANG",
              help="Language of the targets (default: from film.<lang>.srt, else detected).")
@click.option("--profile", default="netflix", show_default=True, metavar="NAME|FILE",
              help="Delivery profile: netflix, netflix-children, netflix-sdh, bbc, or a file.")
@fail_on_option("Exit 1 when issues at or above this severity remain.")
@click.option("--fix", "apply_fix", is_flag=True,
              help="Fix timing and layout and write corrected tracks to -o DIR.")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write report.json, report.html, report.junit.xml (and fixed tracks) here.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the JSON report on stdout and nothing else.")
@click.option("--words", "words", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A word list (one word a line): words never reported as misspelt "
                   "(character names, places); repeatable. Also [style] words in a profile.")
@reading_options
@executor_options
@deliver_options
@config_option
@click.pass_context
def check(ctx: click.Context, targets: tuple[str, ...], source: Path | None,
          language: str | None, profile: str, fail_on: str, apply_fix: bool,
          output_dir: Path | None, as_json: bool, words: tuple[Path, ...],
          encoding: str | None, fps: float | None, lenient: bool, executor: str,
          ray_address: str | None, deliver_name: str | None, kind: str | None,
          title: str | None, config_path: Path | None) -> None:
    """QA existing subtitle tracks (human translations included) against a delivery
    profile: timing, layout, reading speed, text, and, when the source is known,
    untranslated lines, numbers, tags and length."""
    from subloc.io.inputs import expand_inputs
    from subloc.pipeline.check import CheckOptions, check_files
    from subloc.reports.json import render_json

    files, input_errors = expand_inputs(targets)
    for error in input_errors:
        fail(error)
    preset = None
    if deliver_name:
        from subloc.pipeline.presets import load_preset

        preset = load_preset(deliver_name)
        if ctx.get_parameter_source("profile") == ParameterSource.DEFAULT:
            profile = preset.profile
    options = CheckOptions(source=source, language=language, profile=profile, fps=fps,
                           fix=apply_fix, output_dir=output_dir, encoding=encoding,
                           lenient=lenient, words=words, executor=executor,
                           ray_address=ray_address)
    run = check_files(files, options, input_errors)
    for result in run.results:
        if result.error is not None:
            fail(result.error)
    if run.report_error is not None:
        fail(run.report_error)
    if as_json:
        click.echo(render_json(run.report), nl=False)
    elif not is_quiet(ctx):
        _print_summary(run)
    code = run.exit_code(cast("FailOn", fail_on))
    if preset is not None:
        code = max(code, _check_delivery(ctx, files, preset, fps, as_json))
    ctx.exit(code)


def _check_delivery(ctx: click.Context, files: list[Path], preset: Preset, fps: float | None,
                    as_json: bool) -> int:
    """``check --deliver``: the files as parts of a delivery (names, codes, formats,
    encodings, the preset's QA), and delivery.json written beside them."""
    from subloc.pipeline.deliver import inspect_files, write_manifest

    result = inspect_files(files, preset, fps=fps)
    if not as_json:
        print_folder_check(result, quiet=is_quiet(ctx))
    folders: dict[Path, list[DeliveredFile]] = {}
    for item in result.files:
        folders.setdefault(item.path.parent, []).append(item)
    for folder, delivered in folders.items():
        path = write_manifest(folder, preset, delivered)
        if not as_json and not is_quiet(ctx):
            click.echo(f"wrote {path}")
    return EXIT_QA if result.rejected else EXIT_OK


register(check, "check")


def _print_summary(run: CheckRun) -> None:
    for result in run.results:
        for message in result.warnings:
            warn(message)
    click.echo(f"{'file':<36} {'lang':<6} {'cues':>5} {'error':>6} {'warn':>6} {'info':>6} "
               f"{'fixed':>6}")
    for result, job in zip(run.results, run.report.jobs, strict=True):
        counts = job.counts
        name = result.target.name if len(result.target.name) <= 36 else \
            "…" + result.target.name[-35:]
        status = "failed" if result.error else ""
        click.echo(f"{name:<36} {result.target_lang or '?':<6} {result.cues:>5} "
                   f"{counts.error:>6} {counts.warning:>6} {counts.info:>6} "
                   f"{counts.fixed:>6} {status}")
    for path in run.report_paths:
        click.echo(f"wrote {path}")

"""``subloc review``: export a run's tracks for reviewers (XLIFF), import their corrections."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from subloc.cli.app import is_quiet, main
from subloc.cli.options import fail_on_option, reading_options
from subloc.cli.output import fail, warn

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:
    from subloc.issues import FailOn


@main.group()
def review() -> None:
    """The review loop: export tracks to XLIFF for reviewers and CAT tools, and import
    their corrections (XLIFF, or report.html's corrections file) back into the tracks."""


def _cache_options(function: F) -> F:
    function = click.option("--no-cache", is_flag=True,
                            help="Do not read or write the translation cache.")(function)
    return click.option("--cache", "cache_path",
                        type=click.Path(dir_okay=False, path_type=Path),
                        help="Translation cache file (default: in the user cache "
                             "directory).")(function)


def _glossary_options(function: F) -> F:
    function = click.option("--no-default-glossary", is_flag=True,
                            help="Leave out the glossary shipped with subloc.")(function)
    return click.option("--glossary", "glossaries", multiple=True,
                        type=click.Path(path_type=Path),
                        help="Glossary file (CSV or TBX) or directory, as for localize; "
                             "repeatable.")(function)


@review.command("export")
@click.argument("reports", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write the XLIFF files here (default: beside each report.json).")
@click.option("--xliff-version", type=click.Choice(["2.1", "1.2"]), default="2.1",
              show_default=True, help="XLIFF version to write.")
@click.option("--review-below", type=float, metavar="SCORE",
              help="Mark units whose engine confidence (mean log-probability per token, "
                   "e.g. -0.8) is below SCORE as needing review.")
@click.option("--profile", metavar="NAME|FILE",
              help="The profile whose limits units carry (default: the run's).")
@_glossary_options
@_cache_options
@reading_options
@click.pass_context
def review_export(ctx: click.Context, reports: tuple[Path, ...], output_dir: Path | None,
                  xliff_version: str, review_below: float | None, profile: str | None,
                  glossaries: tuple[Path, ...], no_default_glossary: bool,
                  cache_path: Path | None, no_cache: bool, encoding: str | None,
                  fps: float | None, lenient: bool) -> None:
    """Write one XLIFF file per source file and target language of a run: REPORTS are the
    run's report.json files, or the folders holding them (a localize -o folder). One unit
    per segment, with its cues and times, layout limits, glossary entries, QA issues,
    the engine's confidence and its state."""
    from subloc.pipeline.review import ExportOptions, export_reviews

    options = ExportOptions(
        output_dir=output_dir, version=xliff_version, review_below=review_below,
        profile=profile, glossaries=glossaries, default_glossary=not no_default_glossary,
        use_cache=not no_cache, cache_path=cache_path, encoding=encoding, fps=fps,
        lenient=lenient)
    result = export_reviews(reports, options)
    for error in result.errors:
        fail(error)
    if not is_quiet(ctx):
        for message in result.warnings:
            warn(message)
        for path, units in result.written:
            click.echo(f"wrote {path} ({units} units)")
        if result.skipped:
            click.echo(f"skipped {result.skipped} job(s) with no written track or no source")
    ctx.exit(result.exit_code())


@review.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write the reviewed tracks (and the reports) here instead of over the "
                   "tracks.")
@click.option("--report-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write report.json, report.html and report.junit.xml here (default: -o, "
                   "else the current folder).")
@click.option("--source", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The source track, instead of the one the file names (one track only).")
@click.option("--track", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The track to correct, instead of the one the file names (one track only).")
@click.option("--profile", default="netflix", show_default=True, metavar="NAME|FILE",
              help="Delivery profile for re-fitting lines and the QA.")
@click.option("--fix/--no-fix", default=True, show_default=True,
              help="Re-wrap a changed cue whose lines still break the profile.")
@fail_on_option("Exit 1 when the reviewed tracks have issues at or above this severity.")
@_glossary_options
@_cache_options
@reading_options
@click.pass_context
def review_import(ctx: click.Context, files: tuple[Path, ...], output_dir: Path | None,
                  report_dir: Path | None, source: Path | None, track: Path | None,
                  profile: str, fix: bool, fail_on: str, glossaries: tuple[Path, ...],
                  no_default_glossary: bool, cache_path: Path | None, no_cache: bool,
                  encoding: str | None, fps: float | None, lenient: bool) -> None:
    """Put reviewed translations back into the tracks: FILES are XLIFF files (2.x or 1.2,
    from `subloc review export` and a CAT tool) or corrections files downloaded from
    report.html. Changed segments are split over their cues and re-fitted, the tracks are
    checked again and written, with a report of every change; reviewed translations are
    remembered for later runs. A file that cannot be taken back is one error line and
    nothing of it is written (exit 2); the other files still import."""
    from subloc.pipeline.review import ImportOptions, import_reviews

    options = ImportOptions(
        output_dir=output_dir, report_dir=report_dir, source=source, track=track,
        profile=profile, glossaries=glossaries, default_glossary=not no_default_glossary,
        use_cache=not no_cache, cache_path=cache_path, fix=fix, encoding=encoding, fps=fps,
        lenient=lenient)
    run = import_reviews(files, options)
    for error in run.errors:
        fail(error)
    if run.report_error is not None:
        fail(run.report_error)
    if not is_quiet(ctx):
        for message in run.warnings:
            warn(message)
        for job in run.jobs:
            where = job.output or job.target
            status = "written" if job.output else "unchanged"
            click.echo(f"{job.review.name}: {where} {status}: {job.changed} cues changed, "
                       f"{job.approved} approved, {job.unmatched} left alone (no longer in "
                       f"the track), {job.stored} translations remembered")
        if run.report_path is not None:
            click.echo(f"report    {run.report_path}")
    ctx.exit(run.exit_code(cast("FailOn", fail_on)))

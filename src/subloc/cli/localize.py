"""``subloc localize``: translate subtitle files into target languages."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click
from click.core import ParameterSource

from subloc.cli.app import SublocCommand, is_quiet, main
from subloc.cli.config import register
from subloc.cli.deliver import deliver_options, delivery_exit, print_delivery
from subloc.cli.executor import executor_options
from subloc.cli.options import CommaList, config_option, fail_on_option, reading_options
from subloc.cli.output import TerminalProgress, fail, warn
from subloc.engines import REGISTRY, engines_help
from subloc.errors import EXIT_INPUT, UsageError

if TYPE_CHECKING:
    from subloc.issues import FailOn
    from subloc.pipeline.localize import JobResult, RunResult
    from subloc.pipeline.presets import Kind


@main.command(cls=SublocCommand, config_section="localize")
@click.argument("inputs", nargs=-1)
@click.option("--to", "to", type=CommaList(), metavar="LANG[,LANG...]",
              help="Target languages, e.g. es,fr,de.")
@click.option("--from", "source_lang", default="auto", show_default=True, metavar="auto|LANG",
              help="Source language, or detect it per file.")
@click.option("--engine", default="argos", show_default=True,
              type=click.Choice(list(REGISTRY)), help=engines_help() + ".")
@click.option("--profile", default="netflix", show_default=True, metavar="NAME|FILE",
              help="Delivery profile: netflix, bbc, or a .toml profile file.")
@click.option("--fix/--no-fix", default=True, show_default=True,
              help="Apply automatic fixes (line re-wrapping is always done).")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write tracks and report.json here (default: beside each input; the "
                   "report in the current directory).")
@click.option("--format", "output_format", default="same", show_default=True,
              metavar="same|srt|vtt|ass|ttml|...", help="Output format.")
@click.option("--jobs", type=click.IntRange(min=1),
              help="Worker processes for reading, fitting, checking and writing (default "
                   "1); with --executor ray, Ray workers (default: one per CPU of the "
                   "cluster).")
@fail_on_option("Exit 1 when QA finds issues at or above this severity.")
@click.option("--fast", is_flag=True, help="Beam 1 instead of 4: about 3x faster, rougher.")
@click.option("--exact", is_flag=True,
              help="Translate every line exactly as it would be alone (no padding in "
                   "batches; identical to argostranslate); about 15 % slower.")
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]), default="cpu",
              show_default=True, help="Where CTranslate2 runs.")
@click.option("--threads", type=click.IntRange(min=1),
              help="Batches translated in parallel (default: cores).")
@click.option("--model", "models", multiple=True, type=click.Path(path_type=Path),
              help="An extra Argos package folder (or a folder of them, or an .argosmodel "
                   "file) to use first.")
@click.option("--cache", "cache_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Translation cache file (default: in the user cache directory).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the translation cache.")
@reading_options
@click.option("--glossary", "glossaries", multiple=True, type=click.Path(path_type=Path),
              help="Glossary file (CSV or TBX) or directory, or the name of a shipped "
                   "glossary (us-setting: US football, school grades, coins, holidays, "
                   "for films set in the US); repeatable. Files for other language pairs "
                   "are ignored.")
@click.option("--no-default-glossary", is_flag=True,
              help="Do not apply the glossary shipped with subloc for the pair (entries "
                   "safe in any film).")
@click.option("--adapt-units", is_flag=True,
              help="Convert miles, feet, pounds, gallons and °F to metric in the target.")
@click.option("--review-below", type=float, metavar="SCORE",
              help="Mark cues whose engine confidence (mean log-probability per token, e.g. "
                   "-0.8) is below SCORE as needing review (mt-low-confidence); engines "
                   "without scores mark cues with unknown words.")
@click.option("--words", "words", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A word list (one word a line): words never reported as misspelt "
                   "(character names, places); repeatable. Also [style] words in a profile.")
@executor_options
@deliver_options
@config_option
@click.pass_context
def localize(ctx: click.Context, inputs: tuple[str, ...], to: tuple[str, ...] | None,
             source_lang: str, engine: str, profile: str, fix: bool, output_dir: Path | None,
             output_format: str, jobs: int | None, fail_on: str, fast: bool, exact: bool,
             device: str,
             threads: int | None, models: tuple[Path, ...], cache_path: Path | None,
             no_cache: bool, encoding: str | None, fps: float | None, lenient: bool,
             glossaries: tuple[Path, ...], no_default_glossary: bool, adapt_units: bool,
             review_below: float | None, words: tuple[Path, ...], executor: str,
             ray_address: str | None, deliver_name: str | None, kind: str | None,
             title: str | None, config_path: Path | None) -> None:
    """Translate subtitle files into one or more languages, keeping timing and formatting,
    fitting lines to the delivery profile, and writing DIR/<stem>.<lang>.<ext> per file and
    language plus DIR/report.json, report.html and report.junit.xml.

    INPUTS are files, directories (searched recursively) and glob patterns.
    """
    from subloc.engines import EngineOptions
    from subloc.io.inputs import expand_inputs
    from subloc.pipeline.localize import LocalizeOptions
    from subloc.pipeline.localize import localize as run_localize

    if not inputs or not to:
        raise UsageError("give INPUTS and --to LANG[,LANG...] (on the command line or in "
                         "subloc.toml); see subloc localize --help")
    quiet = is_quiet(ctx)
    preset = staging = None
    if deliver_name:
        # The tracks are localized into a staging folder, then delivered from it.
        from subloc.pipeline.presets import load_preset

        preset = load_preset(deliver_name)
        to = tuple(preset.delivery_tag(tag, "--to") for tag in to)
        if ctx.get_parameter_source("profile") == ParameterSource.DEFAULT:
            profile = preset.profile_for(cast("Kind", kind or "subtitles"))
        staging = _staging(output_dir or Path.cwd())
    sources, input_errors = expand_inputs(inputs)
    for input_error in input_errors:
        fail(input_error)
    engine_options = EngineOptions(
        beam_size=1 if fast else 4, device=device, exact=exact, model_paths=models,
        **({"inter_threads": threads} if threads else {}))
    options = LocalizeOptions(
        targets=to, source_lang=source_lang, engine=engine, engine_options=engine_options,
        output_dir=staging or output_dir,
        report_dir=(output_dir or Path.cwd()) if staging else None,
        output_format=output_format, profile=profile, fix=fix,
        jobs=jobs or (0 if executor == "ray" else 1), use_cache=not no_cache,
        cache_path=cache_path, encoding=encoding, fps=fps,
        lenient=lenient, glossaries=glossaries, default_glossary=not no_default_glossary,
        adapt_units=adapt_units, review_below=review_below, words=words, executor=executor,
        ray_address=ray_address)
    from subloc.pipeline.progress import NoProgress, Progress

    progress: Progress = TerminalProgress() if not quiet and sys.stderr.isatty() \
        else NoProgress()
    delivery = None
    try:
        result = run_localize(sources, options, input_errors=input_errors, progress=progress)
        if preset is not None:
            from subloc.pipeline.deliver import deliver_localized, rewrite_reports

            delivery = deliver_localized(result.jobs, preset, output_dir or Path.cwd(),
                                         kind=cast("Kind | None", kind), title=title, fps=fps)
            result = rewrite_reports(result, output_dir or Path.cwd())
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    _print_summary(result, quiet)
    code = result.exit_code(cast("FailOn", fail_on))
    if delivery is not None:
        print_delivery(delivery, quiet=quiet)
        code = max(code, EXIT_INPUT if delivery.errors else delivery_exit(delivery))
    ctx.exit(code)


def _staging(folder: Path) -> Path:
    """A new folder in ``folder`` for the tracks on their way to delivery."""
    import tempfile

    folder.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".subloc-deliver-", dir=folder))


register(localize, "localize")


def _print_summary(result: RunResult, quiet: bool) -> None:
    for job in result.jobs:
        if job.error is not None:
            fail(job.error)
    if result.report_error is not None:
        fail(result.report_error)
    if quiet:
        return
    shown: set[str] = set()
    for message in [*result.warnings, *(m for j in result.jobs if j.error is None
                                        for m in j.warnings)]:
        if message not in shown:
            shown.add(message)
            warn(message)
    ok = [j for j in result.jobs if j.error is None]
    files = len({j.source for j in result.jobs})
    summary = result.report.summary
    segments = sum(s.segments for s in result.stats.values())
    unique = sum(s.unique for s in result.stats.values())
    hits = sum(s.cache_hits for s in result.stats.values())
    failed = len(result.jobs) - len(ok) + len(result.input_errors)
    rows = [
        ("files", f"{files}"),
        ("jobs", f"{sum(1 for j in ok if j.output)} written{_reused(ok)}, "
                 f"{sum(1 for j in ok if not j.output)} skipped (already in the target "
                 f"language), {failed} failed"),
        ("cues", f"{sum(j.cues for j in ok)}"),
        ("segments", f"{segments} ({unique} unique, {hits} from cache)"),
        ("issues", f"{summary.error} error, {summary.warning} warning, {summary.info} info, "
                   f"{summary.fixed} fixed"),
        ("report", f"{result.report_path}"),
        ("time", f"{result.seconds:.1f} s"),
    ]
    for label, value in rows:
        click.echo(f"{label:<9} {value}")


def _reused(jobs: list[JobResult]) -> str:
    count = sum(1 for j in jobs if j.reused and j.output)
    return f" ({count} unchanged since an earlier run, reused)" if count else ""

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
    from subloc.io.inputs import expand_inputs
    from subloc.io.read import resolve_format
    from subloc.pipeline.convert import ConvertOptions
    from subloc.pipeline.convert import convert as run_convert

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


@main.group()
def models() -> None:
    """List and install Argos Translate model packages (offline translation models)."""


@models.command("list")
def models_list() -> None:
    """Installed language pairs with version, path and size."""
    from subloc.engines.argos import argos_packages_dir, subloc_models_dir
    from subloc.engines.packages import list_packages

    packages = list_packages()
    if not packages:
        click.echo(f"No models installed (looked in {subloc_models_dir()} and "
                   f"{argos_packages_dir()}).")
        click.echo("Install one with: subloc models install FILE.argosmodel")
        return
    click.echo(f"{'pair':<10} {'version':<9} {'size':>9}  path")
    for package in packages:
        pair = f"{package.from_code}->{package.to_code}"
        size = f"{package.size_bytes / 2**20:.1f} MB"
        click.echo(f"{pair:<10} {package.version:<9} {size:>9}  {package.path}")


@models.command("install", epilog=EXIT_CODES_HELP)
@click.argument("what", nargs=-1, required=True)
@click.pass_context
def models_install(ctx: click.Context, what: tuple[str, ...]) -> None:
    """Install FILE.argosmodel, or download SOURCE TARGET (e.g. `en es`) from the Argos
    package index (needs `pip install 'subloc[argos]'` and network access)."""
    from subloc.engines.packages import install_file, install_from_index

    try:
        if len(what) == 1:
            package = install_file(Path(what[0]))
        elif len(what) == 2:
            package = install_from_index(what[0], what[1])
        else:
            raise click.UsageError("give FILE.argosmodel, or SOURCE TARGET language codes")
    except SublocError as error:
        fail(error)
        ctx.exit(error.exit_code)
    click.echo(f"Installed {package.from_code}->{package.to_code} {package.version} "
               f"in {package.path}")


def load_config(path: Path | None) -> dict[str, Any]:
    """Options from ``--config FILE`` or ``./subloc.toml``: top-level keys apply to every
    command, a ``[localize]`` (etc.) table to one; names as the long options, with ``_``."""
    from subloc.qa.profiles import tomllib

    candidate = path or Path("subloc.toml")
    if path is None and not candidate.is_file():
        return {}
    try:
        return dict(tomllib.loads(candidate.read_text(encoding="utf-8")))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise click.BadParameter(f"{candidate}: {error}", param_hint="--config") from error


def merged_options(ctx: click.Context, params: dict[str, Any], config: dict[str, Any],
                   command: str) -> dict[str, Any]:
    """Command-line values win; otherwise the config file's; otherwise the defaults."""
    section = {**{k: v for k, v in config.items() if not isinstance(v, dict)},
               **config.get(command, {})}
    unknown = set(section) - set(params)
    if unknown:
        raise click.BadParameter(f"unknown option(s) in config: {', '.join(sorted(unknown))}",
                                 param_hint="--config")
    merged = dict(params)
    for name, value in section.items():
        if ctx.get_parameter_source(name) != click.core.ParameterSource.COMMANDLINE:
            merged[name] = value
    return merged


def split_languages(value: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    items = value if isinstance(value, (list, tuple)) else [value]
    return tuple(code.strip() for item in items for code in str(item).split(",") if code.strip())


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("inputs", nargs=-1)
@click.option("--to", "to", metavar="LANG[,LANG...]", help="Target languages, e.g. es,fr,de.")
@click.option("--from", "source_lang", default="auto", show_default=True, metavar="auto|LANG",
              help="Source language, or detect it per file.")
@click.option("--engine", default="argos", show_default=True,
              type=click.Choice(["argos", "pseudo"]),
              help="argos: installed Argos models; pseudo: pseudo-localization, no model.")
@click.option("--profile", default="netflix", show_default=True, metavar="NAME|FILE",
              help="Delivery profile: netflix, bbc, or a .toml profile file.")
@click.option("--fix/--no-fix", default=True, show_default=True,
              help="Apply automatic fixes (line re-wrapping is always done).")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write tracks and report.json here (default: beside each input; the "
                   "report in the current directory).")
@click.option("--format", "output_format", default="same", show_default=True,
              metavar="same|srt|vtt|ass|ttml|...", help="Output format.")
@click.option("--jobs", type=int, default=1, show_default=True,
              help="Worker processes for reading, fitting, checking and writing.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]),
              default="error", show_default=True,
              help="Exit 1 when QA finds issues at or above this severity.")
@click.option("--fast", is_flag=True, help="Beam 1 instead of 4: about 3x faster, rougher.")
@click.option("--exact", is_flag=True,
              help="Translate every line exactly as it would be alone (no padding in "
                   "batches; identical to argostranslate); about 15 %% slower.")
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]), default="cpu",
              show_default=True, help="Where CTranslate2 runs.")
@click.option("--threads", type=int, help="Batches translated in parallel (default: cores).")
@click.option("--model", "models", multiple=True, type=click.Path(path_type=Path),
              help="An extra Argos package folder (or a folder of them) to use first.")
@click.option("--cache", "cache_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Translation cache file (default: in the user cache directory).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the translation cache.")
@click.option("--encoding", metavar="ENC", help="Input encoding (default: detected).")
@click.option("--fps", type=float, help="Frame rate for frame-based formats.")
@click.option("--lenient", is_flag=True, help="Skip malformed blocks with a warning.")
@click.option("--glossary", "glossaries", multiple=True, type=click.Path(path_type=Path),
              help="Glossary file (CSV or TBX) or directory; repeatable. Files for other "
                   "language pairs are ignored.")
@click.option("--no-default-glossary", is_flag=True,
              help="Do not apply the glossary shipped with subloc for the pair.")
@click.option("--adapt-units", is_flag=True,
              help="Convert miles, feet, pounds, gallons and °F to metric in the target.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Options file (default: ./subloc.toml if present); flags win.")
@click.pass_context
def localize(ctx: click.Context, /, config_path: Path | None, **params: Any) -> None:
    """Translate subtitle files into one or more languages, keeping timing and formatting,
    fitting lines to the delivery profile, and writing DIR/<stem>.<lang>.<ext> per file and
    language plus DIR/report.json.

    INPUTS are files, directories (searched recursively) and glob patterns.
    """
    from subloc.engines import EngineOptions
    from subloc.io.inputs import expand_inputs
    from subloc.pipeline.localize import LocalizeOptions
    from subloc.pipeline.localize import localize as run_localize

    try:
        opts = merged_options(ctx, params, load_config(config_path), "localize")
    except click.BadParameter as error:
        fail(SublocError(error.format_message()))
        ctx.exit(EXIT_INPUT)
    targets = split_languages(opts["to"] or ())
    inputs = opts["inputs"]
    if not inputs or not targets:
        fail(SublocError("give INPUTS and --to LANG[,LANG...] (on the command line or in "
                         "subloc.toml); see subloc localize --help"))
        ctx.exit(EXIT_INPUT)
    quiet = ctx.obj["quiet"]
    sources, input_errors = expand_inputs([inputs] if isinstance(inputs, str) else inputs)
    for input_error in input_errors:
        fail(input_error)
    engine_options = EngineOptions(
        beam_size=1 if opts["fast"] else 4, device=opts["device"], exact=opts["exact"],
        **({"inter_threads": opts["threads"]} if opts["threads"] else {}),
        model_paths=tuple(Path(m) for m in opts["models"]))
    output_dir = Path(opts["output_dir"]) if opts["output_dir"] else None
    options = LocalizeOptions(
        targets=targets, source_lang=opts["source_lang"], engine=opts["engine"],
        engine_options=engine_options, output_dir=output_dir,
        output_format=opts["output_format"], profile=opts["profile"], fix=opts["fix"],
        jobs=opts["jobs"], use_cache=not opts["no_cache"],
        cache_path=Path(opts["cache_path"]) if opts["cache_path"] else None,
        encoding=opts["encoding"], fps=opts["fps"], lenient=opts["lenient"],
        glossaries=tuple(Path(g) for g in ([opts["glossaries"]] if isinstance(
            opts["glossaries"], str) else opts["glossaries"])),
        default_glossary=not opts["no_default_glossary"], adapt_units=opts["adapt_units"])
    try:
        result = run_localize(sources, options, input_errors=input_errors,
                              on_progress=_stage_progress(quiet))
    except SublocError as run_error:
        fail(run_error)
        ctx.exit(run_error.exit_code)
    _print_localize_summary(result, quiet)
    ctx.exit(result.exit_code(opts["fail_on"]))


def _stage_progress(quiet: bool) -> Callable[[str, int, int], None]:
    """A one-line progress display per stage on a TTY; nothing otherwise."""
    if quiet or not sys.stderr.isatty():
        return lambda _stage, _done, _total: None

    def show(stage: str, done: int, total: int) -> None:
        end = "\n" if done == total else ""
        click.echo(f"\r{stage:<8} {done}/{total}", nl=False, err=True)
        if end:
            click.echo("", err=True)
    return show


def _print_localize_summary(result: Any, quiet: bool) -> None:
    for job in result.jobs:
        if job.error is not None:
            fail(job.error)
    seen_errors: set[str] = set()
    for job in result.jobs:
        if not quiet and job.error is None:
            for message in job.warnings:
                if message not in seen_errors:
                    seen_errors.add(message)
                    warn(message)
    if quiet:
        return
    ok = [j for j in result.jobs if j.error is None]
    files = len({j.source for j in result.jobs})
    by_severity = {s: sum(1 for j in ok for i in j.issues if i.severity == s and not i.fixed)
                   for s in ("error", "warning", "info")}
    fixed = sum(1 for j in ok for i in j.issues if i.fixed)
    segments = sum(s.segments for s in result.stats.values())
    unique = sum(s.unique for s in result.stats.values())
    hits = sum(s.cache_hits for s in result.stats.values())
    failed = len(result.jobs) - len(ok) + len(result.input_errors)
    rows = [
        ("files", f"{files}"),
        ("jobs", f"{sum(1 for j in ok if j.output)} written, "
                 f"{sum(1 for j in ok if not j.output)} skipped (already in the target "
                 f"language), {failed} failed"),
        ("cues", f"{sum(j.cues for j in ok)}"),
        ("segments", f"{segments} ({unique} unique, {hits} from cache)"),
        ("issues", f"{by_severity['error']} error, {by_severity['warning']} warning, "
                   f"{by_severity['info']} info, {fixed} fixed"),
        ("report", f"{result.report_path}"),
        ("time", f"{result.seconds:.1f} s"),
    ]
    for label, value in rows:
        click.echo(f"{label:<9} {value}")


@main.group()
def glossary() -> None:
    """Check, list and convert cultural glossaries (CSV master, TBX readable)."""


@glossary.command("check", epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def glossary_check(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Validate glossary files: bad CSV, unknown types, empty targets, duplicates, a term
    that is both dnt and term. Prints file:line for each problem; exit 2 on errors."""
    from subloc.glossary.model import Problem, glossary_files, read_any, validate

    problems: list[Problem] = []
    loaded = []
    try:
        files = glossary_files(paths)
    except SublocError as error:
        fail(error)
        ctx.exit(EXIT_INPUT)
    for path in files:
        try:
            loaded.append(read_any(path, problems))
        except SublocError as error:
            problems.append(Problem(error.path or str(path), error.line, error.message))
    validate(loaded, problems)
    for problem in problems:
        click.secho(f"error: {problem}", fg="red", err=True)
    entries = sum(len(g.entries) for g in loaded)
    click.echo(f"Checked {len(files)} glossar{'ies' if len(files) != 1 else 'y'} "
               f"({entries} entries): {len(problems)} problem{'s' * (len(problems) != 1)}.")
    ctx.exit(EXIT_INPUT if problems else EXIT_OK)


@glossary.command("list")
@click.option("--pair", required=True, metavar="SRC-TGT", help="Language pair, e.g. en-es.")
@click.option("--glossary", "glossaries", multiple=True, type=click.Path(path_type=Path),
              help="Extra glossary files or directories (as for localize).")
@click.option("--no-default-glossary", is_flag=True, help="Leave out the shipped glossary.")
@click.pass_context
def glossary_list(ctx: click.Context, pair: str, glossaries: tuple[Path, ...],
                  no_default_glossary: bool) -> None:
    """Show the entries that apply to a language pair, with where each comes from."""
    from subloc.glossary.model import load_for_pair

    source, _, target = pair.partition("-")
    if not source or not target:
        fail(SublocError(f"--pair must look like en-es, not {pair!r}"))
        ctx.exit(EXIT_INPUT)
    try:
        entries = load_for_pair(glossaries, source, target, use_default=not no_default_glossary)
    except SublocError as error:
        fail(error)
        ctx.exit(EXIT_INPUT)
    for entry in entries:
        target_text = " | ".join(entry.targets) if entry.targets else entry.source
        origin = f"{Path(entry.origin).name}:{entry.line}" if entry.line else Path(
            entry.origin).name
        click.echo(f"{entry.type:<9} {entry.source:<28} -> {target_text:<36} {origin}")
    click.echo(f"{len(entries)} entries for {source}->{target}.")


@glossary.command("convert", epilog=EXIT_CODES_HELP)
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--tbx-version", type=click.Choice(["2", "3"]), default="3", show_default=True,
              help="TBX output: 2 = TBX-Basic (martif), 3 = TBX v3.")
@click.pass_context
def glossary_convert(ctx: click.Context, source: Path, destination: Path,
                     tbx_version: str) -> None:
    """Convert a glossary between CSV and TBX (by file extension)."""
    from subloc.glossary.model import read_any, write_csv
    from subloc.io.write import atomic_write

    try:
        loaded = read_any(source)
        if destination.suffix.lower() == ".tbx":
            from subloc.glossary.tbx import write_tbx

            text = write_tbx(loaded, version=int(tbx_version))
        elif destination.suffix.lower() == ".csv":
            text = write_csv(loaded)
        else:
            raise SublocError("the destination must end in .csv or .tbx", path=destination)
        atomic_write(destination, text.encode("utf-8"))
    except SublocError as error:
        fail(error)
        ctx.exit(error.exit_code)
    click.echo(f"Wrote {len(loaded.entries)} entries to {destination}.")


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("targets", nargs=-1, required=True)
@click.option("--source", type=click.Path(exists=True, path_type=Path),
              help="The source track (FILE) or where sources are (DIR). Default: film.srt "
                   "beside film.es.srt.")
@click.option("--lang", "language", metavar="LANG",
              help="Language of the targets (default: from film.<lang>.srt, else detected).")
@click.option("--profile", default="netflix", show_default=True, metavar="NAME|FILE",
              help="Delivery profile: netflix, netflix-children, netflix-sdh, bbc, or a file.")
@click.option("--fps", type=float, help="Frame rate for frame-based limits (default: the "
              "file's, else 23.976).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]),
              default="error", show_default=True,
              help="Exit 1 when issues at or above this severity remain.")
@click.option("--fix", "apply_fix", is_flag=True,
              help="Fix timing and layout and write corrected tracks to -o DIR.")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write report.json, report.html, report.junit.xml (and fixed tracks) here.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the JSON report on stdout and nothing else.")
@click.option("--encoding", metavar="ENC", help="Input encoding (default: detected).")
@click.pass_context
def check(ctx: click.Context, targets: tuple[str, ...], source: Path | None,
          language: str | None, profile: str, fps: float | None, fail_on: str,
          apply_fix: bool, output_dir: Path | None, as_json: bool,
          encoding: str | None) -> None:
    """QA existing subtitle tracks (human translations included) against a delivery
    profile: timing, layout, reading speed, text, and, when the source is known,
    untranslated lines, numbers, tags and length."""
    import json

    from subloc.io.inputs import expand_inputs
    from subloc.qa.check import CheckOptions, check_files

    files, input_errors = expand_inputs(targets)
    for error in input_errors:
        fail(error)
    options = CheckOptions(source=source, language=language, profile=profile, fps=fps,
                           fix=apply_fix, output_dir=output_dir, encoding=encoding)
    try:
        run = check_files(files, options, input_errors)
    except SublocError as usage_error:
        fail(usage_error)
        ctx.exit(usage_error.exit_code)
    for result in run.results:
        if result.error is not None:
            fail(result.error)
    if as_json:
        click.echo(json.dumps(run.report, ensure_ascii=False, indent=2))
    elif not ctx.obj["quiet"]:
        _print_check_summary(run)
    ctx.exit(run.exit_code(fail_on))


def _print_check_summary(run: Any) -> None:
    click.echo(f"{'file':<36} {'lang':<6} {'cues':>5} {'error':>6} {'warn':>6} {'info':>6} "
               f"{'fixed':>6}")
    for result in run.results:
        counts = {s: sum(1 for i in result.issues if i.severity == s and not i.fixed)
                  for s in ("error", "warning", "info")}
        fixed = sum(1 for i in result.issues if i.fixed)
        name = result.target.name if len(result.target.name) <= 36 else \
            "…" + result.target.name[-35:]
        status = "failed" if result.error else ""
        click.echo(f"{name:<36} {result.target_lang or '?':<6} {result.cues:>5} "
                   f"{counts['error']:>6} {counts['warning']:>6} {counts['info']:>6} "
                   f"{fixed:>6} {status}")
    for path in run.report_paths:
        click.echo(f"wrote {path}")


@main.group()
def profiles() -> None:
    """Delivery profiles: limits and severities of the QA rules."""


@profiles.command("list")
def profiles_list() -> None:
    """Built-in profiles."""
    from subloc.qa.profiles import builtin_names, load_profile

    for name in builtin_names():
        profile = load_profile(name)
        click.echo(f"{name:<18} cpl {profile.limit('cpl-max')}, "
                   f"cps {profile.limit('cps-max') or '-'}, "
                   f"wpm {profile.limit('wpm-max') or '-'}, "
                   f"min gap {profile.limit('gap-min')} frames")


@profiles.command("show", epilog=EXIT_CODES_HELP)
@click.argument("name")
@click.pass_context
def profiles_show(ctx: click.Context, name: str) -> None:
    """Every rule with its description, severity and limit, and per-language overrides."""
    from subloc.qa.profiles import load_profile
    from subloc.qa.rules import RULES
    from subloc.qa.rules import CheckContext as Ctx

    try:
        profile = load_profile(name)
    except SublocError as error:
        fail(error)
        ctx.exit(error.exit_code)
    context = Ctx(profile, None)
    click.echo(f"profile {profile.name}")
    for rule_id, (description, _fn) in RULES.items():
        limit = profile.limit(rule_id)
        shown = "" if limit is None else f" [limit {limit}]"
        click.echo(f"  {rule_id:<22} {context.severity(rule_id):<8} {description}{shown}")
    for language, overrides in sorted(profile.languages.items()):
        values = ", ".join(f"{k} {v}" for k, v in overrides.items())
        click.echo(f"  [{language}] {values}")

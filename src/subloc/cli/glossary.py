"""``subloc glossary``: check, list and convert cultural glossaries."""

from __future__ import annotations

from pathlib import Path

import click

from subloc.cli.app import main
from subloc.cli.output import fail, warn
from subloc.errors import EXIT_INPUT, EXIT_OK, SublocError, UsageError


@main.group()
def glossary() -> None:
    """Check, list and convert cultural glossaries (CSV master, TBX readable)."""


@glossary.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def glossary_check(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Validate glossary files: bad CSV, unknown types, empty targets, duplicates, a term
    that is both dnt and term, bad enforce or context values. Prints file:line for each
    problem; exit 2 on errors. Also warns (exit 0) about entries that look unsafe to
    enforce: a bare common word with several senses, an idiom marked mask, a plural source
    with a singular-only target. PATHS may name shipped glossaries (us-setting)."""
    from subloc.glossary.model import Glossary, Problem
    from subloc.glossary.safety import warnings
    from subloc.glossary.store import glossary_files, read_any, validate

    problems: list[Problem] = []
    loaded: list[Glossary] = []
    files = glossary_files(paths)
    for path in files:
        try:
            loaded.append(read_any(path, problems))
        except SublocError as error:
            problems.append(Problem(error.path or str(path), error.line, error.message))
    validate(loaded, problems)
    unsafe = warnings(loaded)
    for problem in problems:
        fail(str(problem))
    for problem in unsafe:
        warn(str(problem))
    entries = sum(len(g.entries) for g in loaded)
    click.echo(f"Checked {len(files)} glossar{'ies' if len(files) != 1 else 'y'} "
               f"({entries} entries): {len(problems)} problem{'s' * (len(problems) != 1)}"
               + (f", {len(unsafe)} warning{'s' * (len(unsafe) != 1)}" if unsafe else "")
               + ".")
    ctx.exit(EXIT_INPUT if problems else EXIT_OK)


@glossary.command("list")
@click.option("--pair", required=True, metavar="SRC-TGT", help="Language pair, e.g. en-es.")
@click.option("--glossary", "glossaries", multiple=True, type=click.Path(path_type=Path),
              help="Extra glossary files or directories, or a shipped glossary's name such "
                   "as us-setting (as for localize).")
@click.option("--no-default-glossary", is_flag=True, help="Leave out the shipped glossary.")
def glossary_list(pair: str, glossaries: tuple[Path, ...], no_default_glossary: bool) -> None:
    """Show the entries that apply to a language pair, with where each comes from."""
    from subloc.glossary.store import load_for_pair

    source, _, target = pair.partition("-")
    if not source or not target:
        raise UsageError(f"--pair must look like en-es, not {pair!r}")
    entries = load_for_pair(glossaries, source, target, use_default=not no_default_glossary)
    for entry in entries:
        target_text = " | ".join(entry.targets) if entry.targets else entry.source
        origin = f"{Path(entry.origin).name}:{entry.line}" if entry.line else Path(
            entry.origin).name
        click.echo(f"{entry.type:<9} {entry.mode:<6} {entry.source:<28} -> {target_text:<36} "
                   f"{origin}")
    click.echo(f"{len(entries)} entries for {source}->{target}.")


@glossary.command("convert")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--tbx-version", type=click.Choice(["2", "3"]), default="3", show_default=True,
              help="TBX output: 2 = TBX-Basic (martif), 3 = TBX v3.")
def glossary_convert(source: Path, destination: Path, tbx_version: str) -> None:
    """Convert a glossary between CSV and TBX (by file extension)."""
    from subloc.glossary.csvio import write_csv
    from subloc.glossary.store import read_any
    from subloc.glossary.tbx import write_tbx
    from subloc.io.atomic import atomic_write

    loaded = read_any(source)
    if destination.suffix.lower() == ".tbx":
        text = write_tbx(loaded, version=int(tbx_version))
    elif destination.suffix.lower() == ".csv":
        text = write_csv(loaded)
    else:
        raise UsageError("the destination must end in .csv or .tbx", path=destination)
    atomic_write(destination, text.encode("utf-8"))
    click.echo(f"Wrote {len(loaded.entries)} entries to {destination}.")

"""``subloc tm``: reviewers' translations in the cache, as TMX 1.4b, out and in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from subloc.cli.app import is_quiet, main
from subloc.cli.output import fail, warn

F = TypeVar("F", bound=Callable[..., Any])


@main.group()
def tm() -> None:
    """The translation memory of human translations (what reviewers imported): export it
    as TMX 1.4b for CAT tools, or import a TMX so later runs use its translations."""


def _cache(function: F) -> F:
    return click.option("--cache", "cache_path",
                        type=click.Path(dir_okay=False, path_type=Path),
                        help="Translation cache file (default: in the user cache "
                             "directory).")(function)


@tm.command("export")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pair", metavar="SRC-TGT", help="Only this language pair, e.g. en-es.")
@_cache
@click.pass_context
def tm_export(ctx: click.Context, destination: Path, pair: str | None,
              cache_path: Path | None) -> None:
    """Write the human translations as a TMX 1.4b file."""
    from subloc.engines.cache import TranslationCache
    from subloc.pipeline.tm import export_tm

    cache = TranslationCache(cache_path)
    try:
        count, warnings = export_tm(destination, cache, pair)
    finally:
        cache.close()
    if not is_quiet(ctx):
        for message in warnings:
            warn(message)
        click.echo(f"Wrote {count} translation units to {destination}.")


@tm.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--source-lang", metavar="LANG",
              help="Take this language as the source (a file's en-US counts as en) and store "
                   "the entries under this code (default: each unit's source language).")
@click.option("--target-lang", metavar="LANG",
              help="Only this target language, stored under this code (default: every "
                   "other language of each unit).")
@click.option("--state", type=click.Choice(["reviewed", "final"]),
              help="The state to store (default: the file's, else reviewed).")
@_cache
@click.pass_context
def tm_import(ctx: click.Context, files: tuple[Path, ...], source_lang: str | None,
              target_lang: str | None, state: str | None, cache_path: Path | None) -> None:
    """Store the translations of TMX files as human translations: later runs use them
    instead of MT for exactly the same source segment (exact matches only). A file that
    cannot be read is one error line (exit 2) and stores nothing; the others still do."""
    from subloc.engines.cache import TranslationCache
    from subloc.pipeline.tm import import_tm

    cache = TranslationCache(cache_path)
    try:
        result = import_tm(files, cache, source_lang=source_lang, target_lang=target_lang,
                           state=state)
    finally:
        cache.close()
    for error in result.errors:
        fail(error)
    if not is_quiet(ctx):
        click.echo(f"Stored {result.stored} human translations from {result.files} "
                   f"file{'s' if result.files != 1 else ''}.")
    ctx.exit(result.exit_code())

"""``subloc models``: the models of every engine in the registry; installing Argos
packages from a file or the package index, and removing them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from subloc.cli.app import is_quiet, main
from subloc.errors import UsageError


@main.group()
def models() -> None:
    """List, install and remove translation models (Argos packages; Apertium pairs are
    installed with apt)."""


def _index_option(function: Any) -> Any:
    return click.option(
        "--index-url", metavar="URL|PATH",
        help="The Argos package index to read: a mirror's URL, or a file for an air-gapped "
             "machine (default: $SUBLOC_MODELS_INDEX, else Argos Translate's index).")(function)


@models.command("list")
@click.option("--available", is_flag=True,
              help="List the packages the index offers instead, marking those installed.")
@_index_option
def models_list(available: bool, index_url: str | None) -> None:
    """Installed models of every engine: language pair, name, version, size and path."""
    from subloc.engines import ENGINES, summary

    if available:
        _list_available(index_url)
        return
    for name, engine_class in ENGINES.items():
        engine = engine_class()
        click.echo(f"{name}: {summary(name)}")
        if not engine.needs_models:
            click.echo("  every language pair, no model needed")
            continue
        installed = engine.installed_models()
        if not installed:
            places = " and ".join(engine.locations()) or "the usual places"
            click.echo(f"  No models installed (looked in {places}).")
            click.echo(f"  Install one with: {engine.install_hint()}")
            continue
        pair_width = max(10, *(len(model.pair) for model in installed))
        name_width = max(16, *(len(model.name) for model in installed))
        click.echo(f"  {'pair':<{pair_width}} {'name':<{name_width}} {'version':<8} "
                   f"{'size':>9}  path")
        for model in installed:
            size = f"{model.size_bytes / 2**20:.1f} MB" if model.size_bytes else "-"
            click.echo(f"  {model.pair:<{pair_width}} {model.name:<{name_width}} "
                       f"{model.version or '-':<8} {size:>9}  {model.location}")


def _list_available(index_url: str | None) -> None:
    from subloc.engines.download import index_url as resolve
    from subloc.engines.download import read_index
    from subloc.engines.packages import find_packages

    installed = {p.pair: p.version for p in find_packages()}
    entries = read_index(index_url)
    click.echo(f"{len(entries)} packages in {resolve(index_url)}")
    click.echo(f"{'pair':<10} {'name':<22} {'version':<8} {'size':>9}  installed")
    for entry in entries:
        size = f"{entry.size / 2**20:.1f} MB" if entry.size else "-"
        have = installed.get(entry.pair)
        mark = "" if have is None else (f"yes ({have})" if have != entry.version else "yes")
        click.echo(f"{entry.from_code + '->' + entry.to_code:<10} {entry.name:<22} "
                   f"{entry.version:<8} {size:>9}  {mark}")


@models.command("install")
@click.argument("what", nargs=-1, required=True)
@click.option("--pivot", is_flag=True,
              help="For a pair without a direct package, install the two that translate "
                   "through English.")
@_index_option
@click.pass_context
def models_install(ctx: click.Context, what: tuple[str, ...], pivot: bool,
                   index_url: str | None) -> None:
    """Install FILE.argosmodel, or download SOURCE TARGET (e.g. `en es`) from the Argos
    package index: checked against the size and checksum the index gives, and installed
    atomically (nothing is left half-installed)."""
    from subloc.engines.download import install_pair
    from subloc.engines.packages import install_file

    if len(what) == 1:
        packages = [install_file(Path(what[0]))]
    elif len(what) == 2:
        progress = _DownloadBar() if sys.stderr.isatty() and not is_quiet(ctx) else None
        packages = install_pair(what[0], what[1], url=index_url, pivot=pivot,
                                progress=progress)
    else:
        raise UsageError("give FILE.argosmodel, or SOURCE TARGET language codes")
    for package in packages:
        click.echo(f"Installed {package.from_code}->{package.to_code} {package.version} "
                   f"in {package.path}")


@models.command("remove")
@click.argument("pair", nargs=-1, required=True)
def models_remove(pair: tuple[str, ...]) -> None:
    """Remove an installed Argos package from subloc's models directory. PAIR is `en es`,
    `en-es`, `en->es` or `translate-en_es`."""
    from subloc.engines.packages import remove_package

    source, target = _pair(pair)
    path = remove_package(source, target)
    click.echo(f"Removed {source}->{target} ({path})")


def _pair(words: tuple[str, ...]) -> tuple[str, str]:
    if len(words) == 2:
        return words[0], words[1]
    if len(words) == 1:
        text = words[0].removeprefix("translate-")
        for separator in ("->", "_", "-", ":"):
            parts = text.split(separator)
            if len(parts) == 2 and all(parts):
                return parts[0], parts[1]
    raise UsageError("give the pair as SOURCE TARGET, SOURCE-TARGET or SOURCE->TARGET "
                     "(e.g. en es)")


class _DownloadBar:
    """A click progress bar on stderr for each download: bytes of total, rate, time left."""

    def __init__(self) -> None:
        self._bar: Any = None

    def start(self, name: str, total: int | None) -> None:
        self.finish()
        if not total:
            click.echo(f"downloading {name} (size unknown)...", err=True)
            return
        self._bar = click.progressbar(length=total, label=f"{name:<24}", file=sys.stderr,
                                      show_eta=True, show_percent=True,
                                      item_show_func=self._megabytes)
        self._bar.__enter__()

    def _megabytes(self, _item: object) -> str:
        if self._bar is None:
            return ""
        return f"{self._bar.pos / 2**20:,.1f} of {self._bar.length / 2**20:,.1f} MB"

    def advance(self, done: int) -> None:
        if self._bar is not None:
            self._bar.update(done, "")

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

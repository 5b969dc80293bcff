"""``subloc models``: installed Argos Translate packages, and installing one."""

from __future__ import annotations

from pathlib import Path

import click

from subloc.cli.app import main
from subloc.errors import UsageError


@main.group()
def models() -> None:
    """List and install Argos Translate model packages (offline translation models)."""


@models.command("list")
def models_list() -> None:
    """Installed language pairs with version, path and size."""
    from subloc.engines.packages import argos_packages_dir, list_packages, subloc_models_dir

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


@models.command("install")
@click.argument("what", nargs=-1, required=True)
def models_install(what: tuple[str, ...]) -> None:
    """Install FILE.argosmodel, or download SOURCE TARGET (e.g. `en es`) from the Argos
    package index (needs `pip install 'subloc[argos]'` and network access)."""
    from subloc.engines.packages import install_file, install_from_index

    if len(what) == 1:
        package = install_file(Path(what[0]))
    elif len(what) == 2:
        package = install_from_index(what[0], what[1])
    else:
        raise UsageError("give FILE.argosmodel, or SOURCE TARGET language codes")
    click.echo(f"Installed {package.from_code}->{package.to_code} {package.version} "
               f"in {package.path}")

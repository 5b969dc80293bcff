"""``subloc deliver``: delivery presets, and a delivery folder checked before it is sent;
the ``--deliver`` options ``localize``, ``convert`` and ``check`` share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from subloc.cli.app import is_quiet, main
from subloc.cli.options import CommaList, FrameRate
from subloc.cli.output import fail, printable, warn
from subloc.errors import EXIT_OK, EXIT_QA

if TYPE_CHECKING:
    from subloc.pipeline.deliver import Delivery, FolderCheck

F = TypeVar("F", bound=Callable[..., Any])

KIND_CHOICE = click.Choice(["subtitles", "sdh", "forced"])


def deliver_options(fn: F) -> F:
    """``--deliver``, ``--kind`` and ``--title``."""
    fn = click.option("--title", metavar="TEXT",
                      help="With --deliver: the title in the delivered file names "
                           "(default: the source's name up to its first dot).")(fn)
    fn = click.option("--kind", type=KIND_CHOICE,
                      help="With --deliver: the kind of track (default: from the file name, "
                           "film.en.sdh.srt or film_es_FORCED.srt, else subtitles).")(fn)
    return click.option("--deliver", "deliver_name", metavar="PRESET|FILE",
                        help="Deliver as a platform takes it: netflix, prime, youtube, "
                             "vimeo, festival, hulu, or a .toml preset; writes the files "
                             "it wants and delivery.json.")(fn)


@main.group()
def deliver() -> None:
    """Delivery presets, and delivery folders checked before they are sent."""


@deliver.command("presets")
def deliver_presets() -> None:
    """The built-in delivery presets."""
    from subloc.pipeline.presets import builtin_presets, load_preset

    for name in builtin_presets():
        preset = load_preset(name)
        formats = ", ".join(dict.fromkeys(f"{o.format} ({o.extension})"
                                          for o in preset.outputs))
        click.echo(f"{name:<10} {formats}")
        click.echo(f"{'':<10} {preset.description}")


@deliver.command("check")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--deliver", "deliver_name", required=True, metavar="PRESET|FILE",
              help="The preset the folder is for: netflix, prime, youtube, vimeo, festival, "
                   "hulu, or a .toml preset.")
@click.option("--languages", type=CommaList(), metavar="LANG[,LANG...]",
              help="Languages that must be there, e.g. es-419,fr,de.")
@click.option("--fps", type=FrameRate(),
              help="Frame rate for frame-based checks when a file does not state one.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the problems and the files as JSON on stdout and nothing else.")
@click.pass_context
def deliver_check(ctx: click.Context, folder: Path, deliver_name: str,
                  languages: tuple[str, ...] | None, fps: float | None, as_json: bool) -> None:
    """Check a delivery FOLDER against a preset before sending it: file names and
    language codes, formats and encodings, QA errors the preset rejects, the languages
    asked for, and delivery.json's checksums. Exits 1, with a table, when something would
    be rejected."""
    from subloc.pipeline.deliver import check_folder
    from subloc.pipeline.presets import load_preset

    preset = load_preset(deliver_name)
    result = check_folder(folder, preset, languages or (), fps=fps)
    if as_json:
        click.echo(folder_check_json(result), nl=False)
    else:
        print_folder_check(result, quiet=is_quiet(ctx))
    ctx.exit(EXIT_QA if result.rejected else EXIT_OK)


def folder_check_json(result: FolderCheck) -> str:
    """What ``deliver check --json`` prints: the verdict, each problem, each file's entry."""
    import json

    document = {
        "preset": result.preset.name, "rejected": result.rejected,
        "problems": [{"file": p.file, "language": p.language, "kind": p.kind,
                      "severity": p.severity, "problem": p.problem}
                     for p in result.problems],
        "files": [item.entry() for item in sorted(result.files, key=lambda i: i.path.name)]}
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def print_folder_check(result: FolderCheck, *, quiet: bool = False) -> None:
    """The problems as a table (errors on stdout so that they can be piped), then a line
    saying whether the preset would take the folder."""
    problems = result.problems
    errors = [p for p in problems if p.severity == "error"]
    shown = problems if not quiet else errors
    if shown:
        width = min(max(len(p.file) for p in shown) if shown else 4, 44)
        click.echo(f"{'file':<{width}}  {'lang':<8} {'kind':<9} {'level':<7} problem")
        for problem in shown:
            name = problem.file or "-"
            if len(name) > width:
                name = "…" + name[-(width - 1):]
            click.echo(printable(f"{name:<{width}}  {problem.language or '-':<8} "
                                 f"{problem.kind or '-':<9} {problem.severity:<7} "
                                 f"{problem.problem}"))
    if quiet:
        return
    files = len(result.files)
    if errors:
        click.echo(f"{result.preset.name} would reject this delivery: {len(errors)} "
                   f"problem{'s' * (len(errors) != 1)} ({files} file{'s' * (files != 1)} "
                   "checked).")
    else:
        click.echo(f"{result.preset.name}: {files} file{'s' * (files != 1)} ready to "
                   "deliver.")


def print_delivery(delivery: Delivery, *, quiet: bool = False) -> None:
    """The files a delivery wrote, with their QA verdicts, and its manifest."""
    for error in delivery.errors:
        fail(error)
    if quiet:
        return
    for message in delivery.warnings:
        warn(message)
    for item in delivery.files:
        for message in item.warnings:
            warn(message)
    if delivery.files:
        width = min(max(len(item.path.name) for item in delivery.files), 48)
        click.echo(f"{'delivered':<{width}}  {'lang':<8} {'kind':<9} {'format':<11} "
                   f"{'cues':>5}  verdict")
        for item in delivery.files:
            failing = ", ".join(f"{rule} x{count}" for rule, count in
                                sorted(item.failing.items()))
            note = f" ({failing})" if failing else ""
            click.echo(printable(
                f"{item.path.name:<{width}}  {item.language:<8} {item.kind:<9} "
                f"{item.format:<11} {item.cues:>5}  {item.verdict}{note}"))
    if delivery.manifest is not None:
        click.echo(f"wrote {delivery.manifest}")


def delivery_exit(delivery: Delivery) -> int:
    """0, or 1 when a delivered file would be rejected (2 is for the errors, which the
    caller counts with its own)."""
    return EXIT_QA if delivery.rejected else EXIT_OK

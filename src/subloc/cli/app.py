"""The ``subloc`` group, the options every command takes, and the one error boundary.

Every command runs inside :meth:`SublocGroup.invoke`, which turns whatever escapes into
one line on stderr and an exit code: a :class:`~subloc.errors.SublocError` its own code;
an environment failure (a file system error, the cache database) 2; anything else is a
bug in subloc, 4. No traceback is printed unless ``--debug`` is given. ``-v``, ``-q`` and
``--debug`` work before or after the command name (``subloc -q localize`` and ``subloc
localize -q``).
"""

from __future__ import annotations

import importlib
import logging
import signal
import sys
import threading
import traceback
from typing import Any

import click
from click.core import ParameterSource

from subloc import __version__
from subloc.cli.config import CONFIG_META, config_defaults
from subloc.cli.output import fail, printable
from subloc.errors import EXIT_BUG, EXIT_INPUT, EXIT_INTERRUPTED, SublocError, UsageError

EXIT_CODES_HELP = (
    "Exit codes: 0 all good; 1 QA issues at or above --fail-on; "
    "2 bad usage or unreadable input; 3 missing model or engine failure; "
    "4 a bug in subloc (rerun with --debug and report it); 130 interrupted (Ctrl-C or "
    "SIGTERM)."
)
_VERBOSE, _QUIET, _DEBUG = "subloc.verbose", "subloc.quiet", "subloc.debug"


def _remember(key: str) -> Any:
    """An option callback that adds what was given (before or after the command name)."""
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if isinstance(value, bool):
            ctx.meta[key] = ctx.meta.get(key, False) or value
        else:
            ctx.meta[key] = ctx.meta.get(key, 0) + (value or 0)
    return callback


def global_options() -> list[click.Parameter]:
    return [
        click.Option(["-v", "--verbose"], count=True, expose_value=False,
                     callback=_remember(_VERBOSE),
                     help="More detail (repeat for debug output)."),
        click.Option(["-q", "--quiet"], is_flag=True, expose_value=False,
                     callback=_remember(_QUIET),
                     help="Only errors: no warnings, progress or summary."),
        click.Option(["--debug"], is_flag=True, expose_value=False,
                     callback=_remember(_DEBUG),
                     help="Show the traceback of an unexpected error."),
    ]


def is_quiet(ctx: click.Context) -> bool:
    return bool(ctx.meta.get(_QUIET))


class SublocCommand(click.Command):
    """A command with the global options; with ``config_section`` it also reads
    ``subloc.toml`` (or ``--config FILE``) as its defaults, through click's own type
    conversion, so a wrong key or value is one line naming the file and the key."""

    def __init__(self, *args: Any, config_section: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("epilog", EXIT_CODES_HELP)
        super().__init__(*args, **kwargs)
        self.config_section = config_section
        self.params.extend(global_options())

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if self.config_section is not None and not ctx.resilient_parsing:
            ctx.default_map = config_defaults(self, self.config_section, args, ctx.meta)
            self._check_config(ctx)
        try:
            return super().parse_args(ctx, args)
        except click.BadParameter as error:
            name = error.param.name if error.param is not None else None
            if name and ctx.get_parameter_source(name) == ParameterSource.DEFAULT_MAP:
                raise UsageError(f"{name}: {error.message}",
                                 path=ctx.meta.get(CONFIG_META)) from None
            raise

    def _check_config(self, ctx: click.Context) -> None:
        """Every value of the config file through its option's type, even the ones a flag
        overrides this time: a broken config file is reported when it is read."""
        params = {param.name: param for param in self.params}
        for name, value in (ctx.default_map or {}).items():
            try:
                params[name].type_cast_value(ctx, value)
            except click.BadParameter as error:
                raise UsageError(f"{name}: {error.message}",
                                 path=ctx.meta.get(CONFIG_META)) from None

    def invoke(self, ctx: click.Context) -> Any:
        verbose, quiet = ctx.meta.get(_VERBOSE, 0), ctx.meta.get(_QUIET, False)
        level = logging.ERROR if quiet else max(logging.WARNING - 10 * verbose, logging.DEBUG)
        logging.basicConfig(level=level, format="%(levelname)s: %(message)s", force=True)
        return super().invoke(ctx)


#: Each command's module and its line in ``subloc --help``: a command's module is imported
#: only when the command runs (``subloc --help`` and ``subloc convert`` do not pay for
#: ``localize``'s options). To add a command: a module in this package, and a line here.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("subloc.cli.check", "QA existing tracks against a delivery profile."),
    "convert": ("subloc.cli.convert", "Convert subtitle files to another format."),
    "deliver": ("subloc.cli.deliver", "Delivery presets; check a delivery folder before "
                "sending it."),
    "glossary": ("subloc.cli.glossary", "Check, list and convert cultural glossaries."),
    "localize": ("subloc.cli.localize", "Translate subtitle files into other languages."),
    "models": ("subloc.cli.models", "List, install and remove translation models."),
    "profiles": ("subloc.cli.profiles", "Delivery profiles: rules, limits, severities."),
    "review": ("subloc.cli.review", "Export tracks for review (XLIFF), import corrections."),
    "tm": ("subloc.cli.tm", "Reviewers' translations as a TMX translation memory."),
}


class SublocGroup(click.Group):
    """The root group: subcommands get the global options, are imported when used, and
    every error ends here."""

    command_class = SublocCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(global_options())

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            importlib.import_module(COMMANDS[cmd_name][0])  # it adds itself to the group
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][1]) for name in self.list_commands(ctx)])

    def invoke(self, ctx: click.Context) -> Any:
        # SIGTERM (a build system cancelling the job) stops like Ctrl-C: queued work is
        # cancelled, worker processes exit, nothing half-written is left.
        main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _terminate) if main_thread else None
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            # A subcommand's bad option: one line, like every other error.
            command = error.ctx.command_path if error.ctx is not None else "subloc"
            _report(ctx, None, f"{error.format_message()} (see {command} --help)",
                    error.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except SublocError as error:
            _report(ctx, error, f"{error}", error.exit_code)
        except KeyboardInterrupt:
            _report(ctx, None, "interrupted; outputs already written are complete, the "
                    "rest were not written", EXIT_INTERRUPTED)
        except Exception as error:
            if _environment(error):
                _report(ctx, error, _environment_message(error), EXIT_INPUT)
            else:
                _report(ctx, error, f"internal error, a bug in subloc: {type(error).__name__}: "
                        f"{error}; rerun with --debug for the traceback and report it",
                        EXIT_BUG)
        finally:
            if main_thread:
                signal.signal(signal.SIGTERM, previous)
        return None


class SublocSubgroup(click.Group):
    """A group of commands under ``subloc`` (``models``, ``glossary``, ``profiles``)."""

    command_class = SublocCommand


SublocGroup.group_class = SublocSubgroup


def _environment(error: BaseException) -> bool:
    """A failure of the machine, not of subloc: the file system, memory, the cache database
    (sqlite3 is looked up, not imported: if it was never loaded, this is not its error)."""
    sqlite_error = getattr(sys.modules.get("sqlite3"), "Error", None)
    return isinstance(error, (OSError, MemoryError)) or (
        sqlite_error is not None and isinstance(error, sqlite_error))


def _terminate(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _environment_message(error: BaseException) -> str:
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror or error}; check the path, permissions and free space"
    if isinstance(error, MemoryError):
        return "out of memory; process fewer or smaller files at once"
    return f"database error ({error}); rerun with --no-cache, or remove the cache file"


def _report(ctx: click.Context, error: BaseException | None, message: str, code: int) -> None:
    if ctx.meta.get(_DEBUG) and error is not None:
        traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
    fail(printable(message))
    ctx.exit(code)


@click.group("subloc", cls=SublocGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="subloc", help="Show the version and exit.")
def main() -> None:
    """Localize subtitle tracks offline: convert formats, translate with Argos models,
    apply cultural glossaries, fix timing and layout, and write QA reports."""

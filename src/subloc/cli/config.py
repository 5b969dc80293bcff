"""``subloc.toml``: defaults for command options, fed to click as the context's
``default_map`` so every value goes through the option's own type conversion and checks.

Top-level keys apply to every command that knows them (``localize``, ``check``); a
``[localize]`` or ``[check]`` table applies to that command only. Keys are option names
with ``_`` for ``-`` (``fail_on``, ``output_dir``, ``glossary``) or the Python API's names
(``source_lang``, ``glossaries``). Flags given on the command line win. An unknown key, a
table for no command, or a value of the wrong type is one line naming the file and key.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import click

from subloc.errors import UsageError

CONFIG_META = "subloc.config"
DEFAULT_CONFIG = Path("subloc.toml")
#: Commands that read the config file, and so the tables it may hold.
CONFIG_SECTIONS = ("localize", "check")
#: What each config-reading command calls its options, for validating top-level keys
#: (filled in as the commands are defined; see :func:`register`).
_KNOWN: dict[str, dict[str, str]] = {}


def register(command: click.Command, section: str) -> None:
    _KNOWN[section] = _names(command)


def _names(command: click.Command) -> dict[str, str]:
    """Config key -> parameter name: the parameter's name and its long option names."""
    names: dict[str, str] = {}
    for param in command.params:
        if not param.expose_value or param.name in (None, "config_path"):
            continue
        assert param.name is not None
        names[param.name] = param.name
        for option in param.opts:
            if option.startswith("--"):
                names[option[2:].replace("-", "_")] = param.name
    return names


def config_path(args: list[str]) -> Path | None:
    """``--config FILE`` from the raw arguments, else ``./subloc.toml`` if it exists."""
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--config" and index + 1 < len(args):
            return Path(args[index + 1])
        if arg.startswith("--config="):
            return Path(arg.split("=", 1)[1])
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None


def read_config(path: Path) -> dict[str, Any]:
    from subloc.qa.profiles import tomllib

    try:
        return dict(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read the config file: {error}", path=path) from error
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"invalid TOML: {error}", path=path) from error


def config_defaults(command: click.Command, section: str, args: list[str],
                    meta: MutableMapping[str, Any]) -> dict[str, Any] | None:
    """The ``default_map`` of ``command`` from the config file, or None without one."""
    path = config_path(args)
    if path is None:
        return None
    meta[CONFIG_META] = str(path)
    data = read_config(path)
    names = _names(command)
    params = {p.name: p for p in command.params if p.name}
    defaults: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            if key not in CONFIG_SECTIONS:
                raise UsageError(f"unknown table [{key}]; tables: "
                                 f"{', '.join(CONFIG_SECTIONS)}", path=path)
            continue
        if key in names:
            defaults[names[key]] = _normalise(params[names[key]], value)
        elif not any(key in known for known in _KNOWN.values()):
            raise UsageError(f"unknown key {key!r}; see subloc {section} --help for the "
                             "options (write --fail-on as fail_on)", path=path)
    table = data.get(section, {})
    for key, value in table.items():
        if key not in names:
            raise UsageError(f"unknown key {key!r} in [{section}]; see subloc {section} --help "
                             "for the options (write --fail-on as fail_on)", path=path)
        defaults[names[key]] = _normalise(params[names[key]], value)
    return defaults


def _normalise(param: click.Parameter, value: Any) -> Any:
    """A TOML value as click expects a default: a list for a repeatable option."""
    repeatable = getattr(param, "multiple", False) or param.nargs == -1
    if repeatable and isinstance(value, str):
        return [value]
    return value

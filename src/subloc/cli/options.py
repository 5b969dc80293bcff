"""Options and parameter types more than one command uses."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


class CommaList(click.ParamType):  # type: ignore[type-arg]  # generic in click 8.5 only
    """``es,fr`` on the command line, or ``["es", "fr"]`` (or ``"es,fr"``) in subloc.toml."""

    name = "list"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> tuple[str, ...]:
        items = value if isinstance(value, (list, tuple)) else [value]
        if not all(isinstance(item, str) for item in items):
            self.fail(f"expected text like 'es,fr', not {value!r}", param, ctx)
        return tuple(code.strip() for item in items for code in item.split(",")
                     if code.strip())


class FrameRate(click.ParamType):  # type: ignore[type-arg]  # generic in click 8.5 only
    """A frame rate: a finite number of frames per second, 1 to 1000."""

    name = "fps"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        try:
            fps = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of frames per second", param, ctx)
        if not (math.isfinite(fps) and 1 <= fps <= 1000):
            self.fail(f"{value!r} is not a frame rate (1 to 1000, e.g. 23.976)", param, ctx)
        return fps


FAIL_ON = click.Choice(["error", "warning", "info", "never"])


def fail_on_option(help_text: str) -> Callable[[F], F]:
    return click.option("--fail-on", type=FAIL_ON, default="error", show_default=True,
                        help=help_text)


def reading_options(fn: F) -> F:
    """``--encoding``, ``--fps`` and ``--lenient``: how input files are read."""
    fn = click.option("--lenient", is_flag=True,
                      help="Skip malformed blocks with a warning naming the line.")(fn)
    fn = click.option("--fps", type=FrameRate(),
                      help="Frame rate for frame-based formats (MicroDVD, SCC).")(fn)
    return click.option("--encoding", metavar="ENC",
                        help="Input encoding (default: detected).")(fn)


def config_option(fn: F) -> F:
    return click.option("--config", "config_path",
                        type=click.Path(dir_okay=False, path_type=Path),
                        help="Options file (default: ./subloc.toml if present); flags "
                             "win.")(fn)

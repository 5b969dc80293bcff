"""What the CLI prints: one line per error or warning, and progress bars on a terminal.

Messages carry file names from the user's disk, which may hold newlines or terminal escape
sequences: :func:`printable` shows such characters as escapes instead of sending them to
the terminal.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import click

from subloc.errors import SublocError


def printable(text: str) -> str:
    """``text`` with control characters (C0, DEL, C1) shown as ``\\xNN`` escapes."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char == " " else
                   char.encode("unicode_escape").decode("ascii") for char in text)


def fail(error: SublocError | str) -> None:
    """One red line on stderr for an error (no traceback)."""
    click.secho(f"error: {printable(str(error))}", fg="red", err=True)


def warn(message: str) -> None:
    click.secho(f"warning: {printable(message)}", fg="yellow", err=True)


class TerminalProgress:
    """Progress of each phase as a click progress bar on stderr: done of total, rate, time
    left; for translation also the segments answered from the cache."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._started = 0.0
        self._unit = ""
        self._cached = 0

    def start(self, phase: str, total: int, unit: str, cached: int = 0) -> None:
        self.finish()
        self._unit, self._cached, self._started = unit, cached, time.monotonic()
        if total <= 0 and not cached:
            return
        self._bar = click.progressbar(length=max(total, 1), label=f"{phase:<10}",
                                      file=sys.stderr, show_eta=True, show_pos=True,
                                      item_show_func=self._detail, update_min_steps=1)
        self._bar.__enter__()
        if total <= 0:  # everything came from the cache
            self._bar.update(1)

    def _detail(self, _item: object) -> str:
        if self._bar is None:
            return ""
        elapsed = time.monotonic() - self._started
        rate = f"{self._bar.pos / elapsed:,.0f} {self._unit}/s" if elapsed > 0.5 else self._unit
        return f"{rate}, {self._cached:,} cached" if self._cached else rate

    def advance(self, done: int = 1) -> None:
        if self._bar is not None and done:
            self._bar.update(done, "")

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

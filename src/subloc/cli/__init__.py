"""The ``subloc`` command line: one module per command, each a short function that parses
options, builds the options of the Python API, calls it, and renders the result.

:mod:`~subloc.cli.app` holds the group (with ``COMMANDS``, the table of commands, each
imported when it runs), the global options (``-v``, ``-q``, ``--debug``)
and the one error boundary that turns every failure into one line and an exit code;
:mod:`~subloc.cli.config` feeds ``subloc.toml`` to click; :mod:`~subloc.cli.output` prints.
Nothing below this package imports click.

Exit codes (every command): 0 all good; 1 QA issues at or above --fail-on; 2 bad usage or
unreadable input; 3 missing model or engine failure; 4 a bug in subloc; 130 interrupted.
"""

from __future__ import annotations

from subloc.cli.app import COMMANDS, main

__all__ = ["COMMANDS", "main"]

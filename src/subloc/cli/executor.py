"""``--executor`` and ``--ray-address``: where ``localize`` and ``check`` run their work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

#: The choices of ``--executor`` (subloc.pipeline.executors.EXECUTORS, which this module
#: does not import: ``subloc --help`` stays fast).
EXECUTORS = ["local", "ray"]


def executor_options(fn: F) -> F:
    """``--executor local|ray`` and ``--ray-address ADDRESS``."""
    fn = click.option("--ray-address", metavar="auto|ray://HOST:PORT|HOST:PORT",
                      help="With --executor ray: the Ray cluster to join (auto: the one "
                           "this node belongs to). Default: start Ray on this machine for "
                           "the run.")(fn)
    return click.option("--executor", type=click.Choice(EXECUTORS), default="local",
                        show_default=True,
                        help="Where the work runs: here, or on a Ray cluster (needs "
                             "pip install 'subloc[ray]'; inputs and outputs on storage "
                             "every node sees).")(fn)

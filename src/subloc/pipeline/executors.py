"""Where a run's work runs: this machine (``local``) or a Ray cluster (``ray``).

A run fans out in three phases (see :mod:`subloc.pipeline.localize`): plan (a task per
file), translate (per language pair, batches of segments to workers that hold the model)
and finish (a task per job); the report is made where the run started. This module picks
the :class:`~subloc.pipeline.executor_base.Executor` that gives each phase its workers
(:func:`open_executor`) and refuses a choice that cannot run before any work starts
(:func:`check_executor`). Ray is optional (``pip install 'subloc[ray]'``); its module,
:mod:`subloc.pipeline.ray_executor`, is imported only when ``--executor ray`` is asked for.
"""

from __future__ import annotations

import importlib.util

from subloc.errors import UsageError
from subloc.pipeline.executor_base import (
    RAY_MISSING,
    Executor,
    LocalMap,
    WorkerError,
    serial_map,
)

#: ``--executor`` choices.
EXECUTORS = ("local", "ray")


def check_executor(kind: str) -> None:
    """Raise :class:`~subloc.errors.UsageError` (exit 2, one line) for an unknown executor,
    or for ``ray`` when Ray is not installed, before any work starts."""
    if kind not in EXECUTORS:
        raise UsageError(f"unknown executor {kind!r}; choose one of: {', '.join(EXECUTORS)}")
    if kind == "ray" and importlib.util.find_spec("ray") is None:
        raise UsageError(RAY_MISSING)


def open_executor(kind: str, address: str | None = None, workers: int = 0,
                  local_map: LocalMap | None = None) -> Executor:
    """The executor ``kind`` names. ``workers``: local worker processes, or Ray workers
    (0: one per CPU of the cluster). ``address``: the Ray cluster to join (``auto``,
    ``ray://host:port``, ``host:port``), or None to start a Ray instance on this machine
    for the run."""
    check_executor(kind)
    if kind == "local":
        return Executor(workers, local_map)
    from subloc.pipeline.ray_executor import RayExecutor

    return RayExecutor(address, workers or None)


__all__ = ["EXECUTORS", "Executor", "WorkerError", "check_executor", "open_executor",
           "serial_map"]

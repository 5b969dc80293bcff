"""What every executor is: the :class:`Executor` base (which runs everything in this
process, or through a local ``map``), :class:`WorkerError` and the types of ``map``.

Both :mod:`subloc.pipeline.executors` (which picks an executor) and
:mod:`subloc.pipeline.ray_executor` (the Ray one) import this module; neither imports the
other at module level, so there is no import cycle.

An :class:`Executor` gives each phase of a run its workers:

- :meth:`Executor.map`: ``fn(*a)`` for each ``a``, the results in order (plan, finish and
  ``check``'s per-file work);
- :meth:`Executor.engine`: the engine the translate phase calls. Locally it is the engine
  itself; on Ray, one whose batches go to an actor pool (the driver still de-duplicates
  segments and asks the cache, so only misses travel);
- :meth:`Executor.progress`: the run's progress, as shown (on Ray, each phase's label
  says how many workers it has).

An executor is a context manager: leaving it lets its workers go (and stops a Ray
instance it started).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from subloc.errors import SublocError
from subloc.pipeline.progress import Progress

if TYPE_CHECKING:
    from subloc.engines.base import Engine
    from subloc.engines.cache import TranslationCache

R = TypeVar("R")

#: What ``--executor ray`` says, exit 2, when Ray cannot be imported.
RAY_MISSING = ("--executor ray needs Ray, which is not installed: pip install 'subloc[ray]' "
               "(on the driver and every node of the cluster)")

#: ``map(fn, args, workers, progress)``: the local executor's way of running ``fn`` over
#: ``args`` (``--jobs`` worker processes in ``localize``).
LocalMap = Callable[[Callable[..., Any], list[tuple[Any, ...]], int, Progress], Iterable[Any]]
#: What an item whose worker was lost stands for in ``map``'s results (a file's error).
Failed = Callable[[tuple[Any, ...], SublocError], Any]


class WorkerError(SublocError):
    """A worker was lost while it held one file's work (its process or node died, again
    after Ray's retries): that file fails, like an unreadable one; the run goes on."""


class Executor:
    """Runs a run's phases; see the module docstring. This base runs everything here."""

    name = "local"

    def __init__(self, workers: int = 1, local_map: LocalMap | None = None) -> None:
        self.workers = max(workers, 1)
        self._local_map = local_map

    def map(self, fn: Callable[..., R], args: list[tuple[Any, ...]], progress: Progress,
            failed: Failed | None = None) -> Iterable[R]:
        """``fn(*a)`` for each ``a`` of ``args`` (consumed as they are taken), in order;
        ``progress`` advances by one per result. Locally an exception of ``fn`` propagates;
        on Ray a lost worker's item becomes ``failed(a, WorkerError)`` (when given)."""
        if self._local_map is not None:
            return self._local_map(fn, args, self.workers, progress)
        return serial_map(fn, args, progress)

    def engine(self, engine: Engine, cache: TranslationCache | None = None) -> Engine:
        """The engine the translate phase should call (``cache`` is filled as results
        arrive where translation is remote)."""
        return engine

    def progress(self, progress: Progress) -> Progress:
        """The progress the run should report to (here: ``progress`` itself)."""
        return progress

    def close(self) -> None:
        """Let the workers go."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def serial_map(fn: Callable[..., R], args: list[tuple[Any, ...]], progress: Progress
               ) -> Iterable[R]:
    """``fn(*a)`` for each ``a`` here, one after another, each item freed once done."""
    args.reverse()
    while args:
        yield fn(*args.pop())
        progress.advance()


__all__ = ["RAY_MISSING", "Executor", "Failed", "LocalMap", "WorkerError", "serial_map"]

"""``--executor ray``: a run's phases on a Ray cluster (or on a Ray instance started on this
machine for the run), writing byte for byte what the local executor writes.

- **plan** and **finish** (and ``check``'s per-file work): a Ray task per item, one CPU
  each, a few per worker in flight, results taken in order. Ray retries a task whose
  worker process died (:data:`TASK_RETRIES` times); an item still lost after that is that
  file's error (:class:`~subloc.pipeline.executor_base.WorkerError`), never the run's.
- **translate**: per language pair the driver (this process) de-duplicates the segments
  and asks the translation cache (:func:`subloc.pipeline.translate.translate_texts`), so
  only misses travel. It forms the batches exactly as a local run does
  (:func:`subloc.engines.argos.plan_batches` over the same SentencePiece tokens: same
  sort, same token budget) and sends each to a pool of actors (:class:`TranslateWorker`,
  one CPU each, spread over the nodes), each loading a model once and translating whole
  batches; each batch is one CTranslate2 batch wherever it runs, so its translations and
  scores are the same bytes. A batch whose actor dies is sent to another actor (Ray
  restarts the dead one). The cache is filled from the driver as each batch arrives, so a
  killed driver loses none of the translations done, and a rerun reuses them. Engines
  other than Argos (pseudo, Apertium) translate each segment on its own, so their
  segments go in fixed chunks.
- **report** and **progress**: on the driver, as locally; each phase's label says how
  many workers it has.

Inputs and outputs are named by path: every node must see them at the same paths (NFS or
similar), and have the same subloc and the same models (or the models on shared storage).
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from subloc.engines import create_engine
from subloc.engines.argos import ArgosEngine, LoadedModel, plan_batches
from subloc.engines.base import Engine, EngineOptions, ModelInfo, Translated
from subloc.engines.packages import ArgosPackage
from subloc.errors import EngineError, ModelError, UsageError
from subloc.pipeline.executor_base import RAY_MISSING, Executor, Failed, WorkerError
from subloc.pipeline.progress import Progress

if TYPE_CHECKING:
    from subloc.engines.cache import TranslationCache

log = logging.getLogger(__name__)
R = TypeVar("R")

#: Object store of a Ray instance started for a run (its items are a few files' plans and
#: jobs at a time; Ray spills to disk beyond it).
LOCAL_OBJECT_STORE_BYTES = 256 * 1024 * 1024
#: Times Ray reruns a plan or finish task whose worker process died.
TASK_RETRIES = 3
#: Tasks in flight per worker, and results kept waiting for an earlier one, per worker.
TASKS_PER_WORKER = 2
AHEAD_PER_WORKER = 8
#: Batches queued on each translation actor (the next one is there when one finishes).
BATCHES_PER_ACTOR = 2
#: Times a batch is sent to an actor before its pair fails (each loss is an actor dying).
BATCH_TRIES = 4
#: Restarts of a translation actor whose process died.
ACTOR_RESTARTS = 4
#: Models an actor keeps loaded (a pivot pair uses two; pairs come one after another).
MODELS_KEPT = 2
#: Segments per chunk for engines that translate each segment on its own.
CHUNK_SEGMENTS = 200


class RayExecutor(Executor):
    """Ray workers for plan, translate and finish; see the module docstring."""

    name = "ray"

    def __init__(self, address: str | None, workers: int | None) -> None:
        super().__init__()
        # subloc works offline: Ray must not report usage. An instance started here for
        # the run, or a cluster joined on 127.0.0.1, is this machine's alone: its node is
        # 127.0.0.1, never an address of this machine on a network (Ray resolves
        # "127.0.0.1" to the network address unless told not to). Both are read when Ray
        # is imported.
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        if address is None or _loopback(address):
            os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
        try:
            ray = _ray()
        except ImportError as error:  # there, but broken (a dependency of it missing)
            raise UsageError(f"{RAY_MISSING} ({error})") from error
        self._owner = False
        if not ray.is_initialized():  # else: the calling program's Ray connection
            try:
                if address is None:
                    ray.init(address="local", num_cpus=workers or os.cpu_count() or 1,
                             object_store_memory=LOCAL_OBJECT_STORE_BYTES,
                             include_dashboard=False, logging_level=logging.ERROR,
                             log_to_driver=False)
                else:
                    ray.init(address=address, logging_level=logging.ERROR,
                             log_to_driver=False)
            except (ConnectionError, RuntimeError, ValueError, OSError) as error:
                if address is None:
                    raise UsageError(f"cannot start Ray here: {error}") from error
                raise UsageError(
                    f"cannot join the Ray cluster at {address}: {error} (is it running "
                    "and reachable from here? A cluster with token authentication needs "
                    "RAY_AUTH_MODE=token and its token, as for any Ray client)") from error
            self._owner = True
        cpus = int(ray.cluster_resources().get("CPU", 0))
        if cpus < 1:
            self.close()
            raise UsageError("the Ray cluster has no CPUs for subloc's workers")
        self.workers = min(workers, cpus) if workers else cpus
        self._task: Any = ray.remote(_call).options(num_cpus=1, max_retries=TASK_RETRIES)
        self._pool: ActorPool | None = None
        log.info("Ray: %d workers (%d CPUs in the cluster)", self.workers, cpus)

    def map(self, fn: Callable[..., R], args: list[tuple[Any, ...]], progress: Progress,
            failed: Failed | None = None) -> Iterable[R]:
        self._release_pool()  # the phases do not overlap: the actors' CPUs go to the tasks
        return self._map(fn, args, progress, failed)

    def _map(self, fn: Callable[..., R], args: list[tuple[Any, ...]], progress: Progress,
             failed: Failed | None) -> Iterator[R]:
        ray = _ray()
        from ray.exceptions import RayError, RayTaskError

        items: list[tuple[Any, ...] | None] = list(args)
        args.clear()
        pending: dict[Any, int] = {}
        done: dict[int, R] = {}
        submitted = taken = 0
        try:
            while taken < len(items):
                while (submitted < len(items) and len(pending) < TASKS_PER_WORKER * self.workers
                       and submitted - taken < AHEAD_PER_WORKER * self.workers):
                    pending[self._task.remote(fn, *_item(items, submitted))] = submitted
                    submitted += 1
                if taken not in done:
                    ready, _ = ray.wait(list(pending), num_returns=1)
                    for ref in ready:
                        index = pending.pop(ref)
                        try:
                            done[index] = ray.get(ref)
                        except RayTaskError as error:  # fn raised: as it would here
                            raise _cause(error) from error
                        except RayError as error:
                            if failed is None:
                                raise
                            done[index] = failed(_item(items, index), WorkerError(
                                f"its worker was lost ({type(error).__name__}), also after "
                                f"{TASK_RETRIES} retries; run again"))
                        items[index] = None  # its data goes once its result is in
                        progress.advance()
                    continue
                yield done.pop(taken)
                taken += 1
        finally:
            for ref in pending:
                ray.cancel(ref, force=True)

    def engine(self, engine: Engine, cache: TranslationCache | None = None) -> Engine:
        if isinstance(engine, ArgosEngine):
            return RayArgosEngine(engine.options, self._actors, cache)
        return RemoteEngine(engine, self._actors, cache)

    def progress(self, progress: Progress) -> Progress:
        return _WorkersProgress(progress, self.workers)

    def _actors(self) -> ActorPool:
        if self._pool is None:
            self._pool = ActorPool(self.workers)
        return self._pool

    def _release_pool(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def close(self) -> None:
        ray = _ray()
        self._release_pool()
        if self._owner and ray.is_initialized():
            ray.shutdown()
        self._owner = False


def _loopback(address: str) -> bool:
    """Whether a ``--ray-address`` names this machine's loopback (``127.0.0.1:6379``,
    ``ray://localhost:10001``, ``[::1]:6379``)."""
    host = address.split("://", 1)[-1].rsplit(":", 1)[0].strip("[]")
    return host in ("127.0.0.1", "localhost", "::1")


def _ray() -> Any:
    """The ``ray`` module (imported when a Ray run starts; untyped here)."""
    import ray

    return ray


def _call(fn: Callable[..., R], *args: Any) -> R:
    """A Ray task: one item of a phase."""
    return fn(*args)


def _item(items: list[tuple[Any, ...] | None], index: int) -> tuple[Any, ...]:
    item = items[index]
    assert item is not None
    return item


def _cause(error: Any) -> BaseException:
    """What a worker's function raised (a SublocError or a bug), for the driver to raise
    as a local run would."""
    cause = getattr(error, "cause", None)
    return cause if isinstance(cause, BaseException) else error


class TranslateWorker:
    """A translation actor: each model (or engine) loaded once, whole batches translated
    as they come. One CPU: CTranslate2 runs one replica with one thread."""

    def __init__(self) -> None:
        self._models: OrderedDict[tuple[str, EngineOptions], LoadedModel] = OrderedDict()
        self._engines: dict[tuple[str, EngineOptions], Engine] = {}

    def pid(self) -> int:
        return os.getpid()

    def translate_tokens(self, package: ArgosPackage, options: EngineOptions,
                         batch: list[list[str]]) -> list[tuple[str, float | None]]:
        """One batch of :func:`~subloc.engines.argos.plan_batches`, as one CTranslate2
        batch (what :meth:`LoadedModel.translate_scored` does with each)."""
        key = (str(package.path), options)
        model = self._models.pop(key, None) or LoadedModel(package, options)
        self._models[key] = model
        while len(self._models) > MODELS_KEPT:
            self._models.popitem(last=False)
        return model.translate_batch(batch)

    def translate_texts(self, engine: str, options: EngineOptions, texts: list[str],
                        source: str, target: str) -> list[Translated]:
        key = (engine, options)
        if key not in self._engines:
            self._engines[key] = create_engine(engine, options)
        return self._engines[key].translate_with_notes(texts, source, target)


class ActorPool:
    """``size`` translation actors, one CPU each, spread over the cluster's nodes."""

    def __init__(self, size: int) -> None:
        ray = _ray()
        actor = ray.remote(TranslateWorker).options(
            num_cpus=1, max_restarts=ACTOR_RESTARTS, max_task_retries=0,
            scheduling_strategy="SPREAD")
        self.actors: list[Any] = [actor.remote() for _ in range(size)]

    def run(self, method: str, work: list[tuple[Any, ...]]
            ) -> Iterator[tuple[int, Any]]:
        """``(i, actor.method(*work[i]))`` for every item, as they finish. An item whose
        actor died goes to another actor; one lost :data:`BATCH_TRIES` times, or an
        exception of the method, ends the run of the pair (raised as locally)."""
        ray = _ray()
        from ray.exceptions import RayError, RayTaskError

        queue: deque[int] = deque(range(len(work)))
        tries = [0] * len(work)
        avoid: dict[int, int] = {}  # item -> the actor it was lost on
        load = [0] * len(self.actors)
        pending: dict[Any, tuple[int, int]] = {}
        try:
            while queue or pending:
                self._dispatch(method, work, queue, avoid, load, pending)
                ready, _ = ray.wait(list(pending), num_returns=1)
                for ref in ready:
                    index, actor = pending.pop(ref)
                    load[actor] -= 1
                    try:
                        result = ray.get(ref)
                    except RayTaskError as error:
                        raise _cause(error) from error
                    except RayError as error:
                        tries[index] += 1
                        log.warning("translation actor %d lost a batch (%s); retrying it "
                                    "elsewhere", actor, type(error).__name__)
                        if tries[index] >= BATCH_TRIES:
                            raise EngineError(
                                f"a batch of {len(work[index][-1])} segments was lost "
                                f"{tries[index]} times (its workers died: "
                                f"{type(error).__name__}); run again") from error
                        avoid[index] = actor
                        queue.appendleft(index)
                        continue
                    yield index, result
        finally:  # the run of the pair ended early (an error, or the driver stopping)
            for ref in pending:
                ray.cancel(ref)  # an actor's task: it is dropped, or interrupted

    def _dispatch(self, method: str, work: list[tuple[Any, ...]], queue: deque[int],
                  avoid: dict[int, int], load: list[int],
                  pending: dict[Any, tuple[int, int]]) -> None:
        """Queued items to the least loaded actors with room (an item lost on an actor
        goes elsewhere while there is an elsewhere)."""
        waiting: list[int] = []
        while queue:
            index = queue.popleft()
            choices = [a for a in range(len(self.actors)) if load[a] < BATCHES_PER_ACTOR
                       and (a != avoid.get(index) or len(self.actors) == 1)]
            if not choices:
                waiting.append(index)
                if all(count >= BATCHES_PER_ACTOR for count in load):
                    break
                continue
            actor = min(choices, key=lambda a: load[a])
            ref = getattr(self.actors[actor], method).remote(*work[index])
            pending[ref] = (index, actor)
            load[actor] += 1
        queue.extendleft(reversed(waiting))

    def pids(self) -> list[int]:
        """The actors' process ids (for tests that kill one)."""
        ray = _ray()
        return list(ray.get([actor.pid.remote() for actor in self.actors]))

    def close(self) -> None:
        ray = _ray()
        for actor in self.actors:
            ray.kill(actor)
        self.actors = []


class RayArgosEngine(ArgosEngine):
    """The Argos engine whose batches are translated by the actor pool: the route, the
    identity, the scores and the pivot are the local engine's; only where each batch of
    :func:`~subloc.engines.argos.plan_batches` runs differs."""

    def __init__(self, options: EngineOptions, pool: Callable[[], ActorPool],
                 cache: TranslationCache | None) -> None:
        super().__init__(options)
        self._pool = pool
        self._cache = cache
        self._tokenizers: dict[str, Any] = {}
        self._sink: Callable[[Sequence[str], Sequence[tuple[str, float | None]]], None] | \
            None = None

    def translate_with_notes(self, segments: Sequence[str], source: str, target: str,
                             progress: Callable[[int], None] | None = None
                             ) -> list[Translated]:
        cache = self._cache
        if cache is not None and len(self.route(source, target)) == 1:
            identity = self.identity(source, target)

            def sink(texts: Sequence[str], done: Sequence[tuple[str, float | None]]) -> None:
                # As the local engine scores a one-step route (0.0 + the step's score).
                cache.put_many(identity, source, target,
                               zip(texts, (text for text, _ in done), strict=True), {},
                               {text: 0.0 + score for text, (_, score)
                                in zip(texts, done, strict=True) if score is not None})

            self._sink = sink
        try:
            return super().translate_with_notes(segments, source, target, progress)
        finally:
            self._sink = None

    def translate_step(self, package: ArgosPackage, texts: list[str],
                       progress: Callable[[int], None] | None = None
                       ) -> list[tuple[str, float | None]]:
        tokenizer = self._tokenizer(package)
        tokens: list[list[str]] = [tokenizer.encode(text, out_type=str) for text in texts]
        batches = plan_batches([len(pieces) for pieces in tokens], self.options.batch_tokens,
                               self.options.exact)
        remote = replace(self.options, inter_threads=1)
        work: list[tuple[Any, ...]] = [(package, remote, [tokens[i] for i in batch])
                                       for batch in batches]
        del tokens
        out: list[tuple[str, float | None]] = [("", None)] * len(texts)
        for number, results in self._pool().run("translate_tokens", work):
            batch = batches[number]
            work[number] = ()  # sent and answered: its tokens can go
            for index, done in zip(batch, results, strict=True):
                out[index] = done
            if self._sink is not None:
                self._sink([texts[i] for i in batch], results)
            if progress is not None:
                progress(len(batch))
        return out

    def _tokenizer(self, package: ArgosPackage) -> Any:
        """The package's SentencePiece model, on the driver (the actors get tokens)."""
        key = str(package.path)
        if key not in self._tokenizers:
            import sentencepiece

            try:
                self._tokenizers[key] = sentencepiece.SentencePieceProcessor(
                    model_file=str(package.path / "sentencepiece.model"))
            except (RuntimeError, ValueError, OSError) as error:
                raise ModelError(f"cannot load the model: {error}",
                                 path=package.path) from error
        return self._tokenizers[key]


class RemoteEngine(Engine):
    """Any other engine, its segments translated by the actor pool in chunks: such an
    engine translates each segment on its own, so chunks change no output."""

    def __init__(self, inner: Engine, pool: Callable[[], ActorPool],
                 cache: TranslationCache | None) -> None:
        super().__init__(inner.options)
        self.inner = inner
        self.name = inner.name
        self.needs_models = inner.needs_models
        self._pool = pool
        self._cache = cache

    def identity(self, source: str, target: str) -> str:
        return self.inner.identity(source, target)

    def fingerprint(self) -> str:
        return self.inner.fingerprint()

    def check_pair(self, source: str, target: str) -> None:
        self.inner.check_pair(source, target)

    def describe_pair(self, source: str, target: str) -> str:
        return self.inner.describe_pair(source, target)

    def steps(self, source: str, target: str) -> int:
        return self.inner.steps(source, target)

    def installed_models(self) -> list[ModelInfo]:
        return self.inner.installed_models()

    def locations(self) -> list[str]:
        return self.inner.locations()

    def install_hint(self) -> str:
        return self.inner.install_hint()

    def translate(self, segments: Sequence[str], source: str, target: str,
                  progress: Callable[[int], None] | None = None) -> list[str]:
        return [done.text for done in self.translate_with_notes(segments, source, target,
                                                                progress)]

    def translate_with_notes(self, segments: Sequence[str], source: str, target: str,
                             progress: Callable[[int], None] | None = None
                             ) -> list[Translated]:
        texts = list(segments)
        spans = [(start, min(start + CHUNK_SEGMENTS, len(texts)))
                 for start in range(0, len(texts), CHUNK_SEGMENTS)]
        work = [(self.inner.name, self.inner.options, texts[start:end], source, target)
                for start, end in spans]
        steps = self.inner.steps(source, target)
        identity = self.inner.identity(source, target) if self._cache is not None else ""
        out: list[Translated] = [Translated("")] * len(texts)
        for number, results in self._pool().run("translate_texts", work):
            start, end = spans[number]
            out[start:end] = results
            if self._cache is not None:  # as translate_texts stores them
                chunk = texts[start:end]
                self._cache.put_many(
                    identity, source, target,
                    zip(chunk, (done.text for done in results), strict=True),
                    {text: done.notes for text, done in zip(chunk, results, strict=True)
                     if done.notes},
                    {text: done.score for text, done in zip(chunk, results, strict=True)
                     if done.score is not None})
            if progress is not None:
                progress(len(results) * steps)
        return out

    def close(self) -> None:
        self.inner.close()


class _WorkersProgress:
    """The run's progress, each phase labelled with its number of workers."""

    def __init__(self, inner: Progress, workers: int) -> None:
        self.inner = inner
        self.workers = workers

    def start(self, phase: str, total: int, unit: str, cached: int = 0) -> None:
        plural = "s" if self.workers != 1 else ""
        self.inner.start(f"{phase} ({self.workers} Ray worker{plural})", total, unit,
                         cached)

    def advance(self, done: int = 1) -> None:
        self.inner.advance(done)

    def finish(self) -> None:
        self.inner.finish()


__all__ = ["ActorPool", "RayArgosEngine", "RayExecutor", "RemoteEngine", "TranslateWorker"]

"""The translate stage: segment texts of a whole run, for one language pair, to translations.

Everything for a pair goes through here at once: texts are de-duplicated, looked up in
the cache, and only the misses go to the engine, in one call, so the engine can batch
them. This is where the speed is.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from subloc.engines.base import Engine
from subloc.engines.cache import TranslationCache
from subloc.pipeline.progress import NoProgress, Progress

log = logging.getLogger(__name__)


@dataclass
class TranslateStats:
    segments: int = 0
    unique: int = 0
    cache_hits: int = 0
    translated: int = 0


def translate_texts(
    engine: Engine,
    texts: Sequence[str],
    source: str,
    target: str,
    cache: TranslationCache | None = None,
    progress: Progress | None = None,
) -> tuple[list[str], TranslateStats]:
    """Translate ``texts`` (duplicates allowed) for one pair; returns them in order.

    ``progress`` hears of the unique segments the engine translates, as they finish (a
    pivot through English counts each segment once per step), and how many the cache had.
    """
    progress = progress or NoProgress()
    stats = TranslateStats(segments=len(texts))
    unique = sorted({text for text in texts if text.strip()})
    stats.unique = len(unique)
    identity = engine.identity(source, target)
    known = cache.get_many(identity, source, target, unique) if cache else {}
    stats.cache_hits = len(known)
    missing = [text for text in unique if text not in known]
    steps = engine.steps(source, target) if missing else 1
    progress.start(f"{source}->{target}", len(missing) * steps, "segments", cached=len(known))
    if missing:
        log.info("translating %d segments %s", len(missing), engine.describe_pair(source, target))
        fresh = engine.translate(missing, source, target, progress=progress.advance)
        stats.translated = len(missing)
        if cache is not None:
            cache.put_many(identity, source, target, zip(missing, fresh, strict=True))
        known.update(zip(missing, fresh, strict=True))
    progress.finish()
    return [known.get(text, text) for text in texts], stats

"""The translate stage: segment texts of a whole run, for one language pair, to translations.

Everything for a pair goes through here at once: texts are de-duplicated, looked up in
the cache, and only the misses go to the engine, in one call, so the engine can batch
them. This is where the speed is.

What the engine noticed about a translation (words it did not know: see
:class:`~subloc.engines.base.Note`) comes back in :attr:`TranslateStats.notes`, per text,
cached with the translation so a rerun reports the same; :func:`note_issues` makes them
issues on a cue. The engine's confidence in each translation (when it scores its output)
comes back in :attr:`TranslateStats.scores`, cached the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from subloc.engines.base import Engine, Note
from subloc.engines.cache import TranslationCache
from subloc.issues import Issue
from subloc.pipeline.progress import NoProgress, Progress

log = logging.getLogger(__name__)


@dataclass
class TranslateStats:
    segments: int = 0
    unique: int = 0
    cache_hits: int = 0
    translated: int = 0
    #: Text given -> what the engine noticed about its translation (only texts it noticed
    #: something about), whether translated now or answered by the cache.
    notes: dict[str, tuple[Note, ...]] = field(default_factory=dict)
    #: Text given -> the engine's confidence in its translation (mean log-probability per
    #: token), for engines that score their output.
    scores: dict[str, float] = field(default_factory=dict)


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
    if cache is not None and known:
        stats.notes.update(cache.get_notes(identity, source, target, list(known)))
        stats.scores.update(cache.get_scores(identity, source, target, list(known)))
    stats.cache_hits = len(known)
    missing = [text for text in unique if text not in known]
    steps = engine.steps(source, target) if missing else 1
    progress.start(f"{source}->{target}", len(missing) * steps, "segments", cached=len(known))
    if missing:
        log.info("translating %d segments %s", len(missing), engine.describe_pair(source, target))
        fresh = engine.translate_with_notes(missing, source, target, progress=progress.advance)
        stats.translated = len(missing)
        noted = {text: done.notes for text, done in zip(missing, fresh, strict=True)
                 if done.notes}
        scored = {text: done.score for text, done in zip(missing, fresh, strict=True)
                  if done.score is not None}
        if cache is not None:
            cache.put_many(identity, source, target,
                           zip(missing, (done.text for done in fresh), strict=True), noted,
                           scored)
        known.update(zip(missing, (done.text for done in fresh), strict=True))
        stats.notes.update(noted)
        stats.scores.update(scored)
    progress.finish()
    return [known.get(text, text) for text in texts], stats


def note_issues(notes: Iterable[Note], cue: int | None) -> list[Issue]:
    """The issues for what the engine noticed about one segment, on its (first) cue."""
    return [Issue(note.rule, note.severity, note.message, cue=cue,
                  value=", ".join(note.value) or None) for note in notes]

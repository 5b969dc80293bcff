"""The translation engine interface.

To add an engine, write one module in :mod:`subloc.engines` with a subclass of
:class:`Engine`, and add it to ``REGISTRY`` in :mod:`subloc.engines` (with its one line for
``--help``); the command line (``--engine`` choices and help, ``subloc models list``) and
the config file take it from there. The subclass sets:

- ``name`` (what ``--engine`` and ``engine = ...`` in ``subloc.toml`` say);
- ``identity`` (a string that changes whenever the output could change: model, version,
  decoding options; the translation cache is keyed by it) and ``fingerprint`` (the same for
  every pair at once: finished jobs are reused only while it is unchanged);
- ``translate`` (a list of segments in, the same number of translations out, in order,
  calling ``progress(n)`` as ``n`` segments are done, per step when a pair goes through
  several models: see ``steps``); an engine that notices something about a segment worth a
  line in the report (words it did not know) overrides ``translate_with_notes`` instead,
  returning a :class:`Translated` per segment whose :class:`Note` s the translate stage
  turns into issues on the segment's cue (and caches with the translation); an engine
  that can score its output (CTranslate2 can) also returns each segment's confidence as
  :attr:`Translated.score`, the mean log-probability per token;
- ``check_pair`` and ``describe_pair``, and ``installed_models`` for ``subloc models list``.

Segments arrive masked: glossary terms are ``⟦n⟧`` placeholders, and inline tags
(``<i>``, ``{\\an8}``) travel in the text; an engine must keep both (or let
:mod:`subloc.pipeline.mask` and :mod:`subloc.pipeline.restore` detect what it lost).
Engines raise :class:`~subloc.errors.ModelError` for a missing pair (exit 3, with the
command that installs it) and :class:`~subloc.errors.EngineError` when translating fails.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from subloc.issues import RuleId, Severity


@dataclass(frozen=True)
class EngineOptions:
    """Decoding and runtime options shared by engines (ignored where meaningless)."""

    #: Beam size: 4 is Argos Translate's quality setting; 1 (``--fast``) is ~3x faster.
    beam_size: int = 4
    #: ``cpu``, ``cuda`` or ``auto``, passed to CTranslate2.
    device: str = "cpu"
    #: Batches translated in parallel; defaults to the number of CPU cores.
    inter_threads: int = field(default_factory=lambda: os.cpu_count() or 1)
    #: Source tokens per batch: about 15-25 subtitle segments. Counting tokens, not
    #: segments, bounds memory (measured on a base-size model at beam 4 over a 1,500-cue
    #: film: 256 tokens peaks at model + 290 MB, 320 at model + 315 MB, 512 at
    #: model + 400 MB, for 5-10 % more speed).
    batch_tokens: int = 256
    #: Batch only segments of equal token length (no padding). With int8 weights
    #: CTranslate2 scores a padded sentence slightly differently from the same sentence
    #: alone, so in mixed batches a line's translation can depend on its neighbours; exact
    #: mode translates every segment as it would be alone (as argostranslate does), at
    #: about 15 % more time on long merged segments.
    exact: bool = False
    #: Extra places to look for Argos packages (files or directories), searched first.
    model_paths: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Note:
    """Something an engine noticed about one segment's translation: the translate stage
    reports it as an issue with this rule and severity on the segment's (first) cue."""

    rule: RuleId
    message: str
    severity: Severity = "info"
    #: What the note is about (the unknown words), for the report's value column.
    value: tuple[str, ...] = ()


@dataclass(frozen=True)
class Translated:
    """One segment's translation and what the engine noticed about it."""

    text: str
    notes: tuple[Note, ...] = ()
    #: The engine's confidence in this translation: the mean log-probability per target
    #: token (0 is certain; about -0.1 is a confident neural translation, below -1 a
    #: doubtful one), or None for an engine that gives no score (rule-based ones). It is
    #: cached with the translation and drives ``--review-below`` and the report's sorting.
    score: float | None = None


@dataclass(frozen=True)
class ModelInfo:
    """An installed model (or language pair) of an engine, for ``subloc models list``."""

    pair: str
    #: The package or mode name (``translate-en_es``, ``eng-spa``).
    name: str
    version: str
    location: str
    size_bytes: int | None = None


class Engine:
    """Translates segments for a language pair.

    To add an engine: write one module in :mod:`subloc.engines` with a subclass that sets
    ``name`` and implements ``identity`` and ``translate`` (or
    ``translate_with_notes``), plus ``check_pair`` (raise
    :class:`~subloc.errors.ModelError` naming what to install) and, if it has models,
    ``installed_models``, ``locations`` and ``install_hint``; then add it to ``REGISTRY``
    in :mod:`subloc.engines`. The ``--engine`` choices and help, the config
    file and ``subloc models list`` read that registry. The module docstring says what
    each method must do.
    """

    name = ""
    #: False for an engine that needs no model (every pair works).
    needs_models = True
    #: False for an engine whose output is not words of the target language (pseudo):
    #: its tracks are not spell-checked.
    writes_words = True

    def __init__(self, options: EngineOptions | None = None) -> None:
        self.options = options or EngineOptions()

    def identity(self, source: str, target: str) -> str:
        """What the cache is keyed by, besides the pair and the text."""
        raise NotImplementedError

    def fingerprint(self) -> str:
        """Everything that decides this engine's output for any pair (its models and their
        versions, decoding options): finished jobs are reused only while it is the same."""
        options = self.options
        return (f"{self.name}:beam{options.beam_size}:{options.device}:"
                f"exact{int(options.exact)}:tokens{options.batch_tokens}")

    def check_pair(self, source: str, target: str) -> None:
        """Raise :class:`~subloc.errors.ModelError` if the pair cannot be translated."""

    def describe_pair(self, source: str, target: str) -> str:
        """A short human description of how the pair is translated (e.g. a pivot)."""
        return f"{source}->{target}"

    def steps(self, source: str, target: str) -> int:
        """How many times each segment is translated (2 when pivoting through English)."""
        return 1

    def installed_models(self) -> list[ModelInfo]:
        """The pairs this engine can translate here, for ``subloc models list``."""
        return []

    def locations(self) -> list[str]:
        """Where this engine looks for models, for ``subloc models list``."""
        return []

    def install_hint(self) -> str:
        """How to get a model, for ``subloc models list`` when there is none."""
        return ""

    def translate(self, segments: Sequence[str], source: str, target: str,
                  progress: Callable[[int], None] | None = None) -> list[str]:
        raise NotImplementedError

    def translate_with_notes(self, segments: Sequence[str], source: str, target: str,
                             progress: Callable[[int], None] | None = None
                             ) -> list[Translated]:
        """``translate`` with what the engine noticed per segment; an engine that notices
        nothing need not override it."""
        return [Translated(text) for text in self.translate(segments, source, target,
                                                            progress)]

    def close(self) -> None:
        """Let go of processes and models (the engine may be used again afterwards)."""

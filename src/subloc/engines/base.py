"""The translation engine interface.

To add an engine: subclass :class:`Engine`, set ``name``, implement ``identity`` (a string
that changes whenever the output could change: model, version, decoding options; the
cache is keyed by it) and ``translate`` (a list of segments in, the same number of
translations out, in order, calling ``progress(n)`` as ``n`` segments are done, per
step when a pair goes through several models: see ``steps``), and add the class to ``ENGINES`` in
:mod:`subloc.engines`. Engines raise :class:`~subloc.errors.ModelError` for a missing
pair and :class:`~subloc.errors.EngineError` when translating fails.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


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


class Engine:
    """Translates segments for a language pair. See the module docstring to add one."""

    name = ""

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

    def translate(self, segments: Sequence[str], source: str, target: str,
                  progress: Callable[[int], None] | None = None) -> list[str]:
        raise NotImplementedError

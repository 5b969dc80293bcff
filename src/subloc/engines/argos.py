"""The ``argos`` engine: Argos Translate model packages run directly on CTranslate2.

``argostranslate`` translates one string at a time and runs 4 threads even on 2 cores.
This engine loads each pair's CTranslate2 model and SentencePiece model once per process
and translates whole batches: de-duplicated segments sorted by length, in batches of
``batch_tokens`` source tokens (or, with ``exact``, of one length each), with
``inter_threads`` = cores and ``intra_threads`` = 1. The batches are formed here
(:func:`plan_batches`), never by CTranslate2, so that a run on Ray workers
(:mod:`subloc.pipeline.ray_executor`) translates exactly the same batches as this process.
Decoding is the same as argostranslate's (beam 4, ``length_penalty`` 0.2, ``replace_unknowns``, the
package's ``target_prefix``), so single sentences come out identical. Pairs without a
direct package pivot through English (es->de as es->en->de).

Each translation comes with its confidence (:attr:`~subloc.engines.base.Translated.score`):
CTranslate2 returns each hypothesis's score (``return_scores``, which changes no output),
its cumulative log-probability divided by ``length ** length_penalty`` (the length counts
the end token); the engine turns that back into the mean log-probability per token. A
pivot's confidence is the sum of its two steps' (the product of their per-token
probabilities).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any

from subloc.engines.base import Engine, EngineOptions, ModelInfo, Translated
from subloc.engines.packages import (
    ArgosPackage,
    argos_packages_dir,
    find_packages,
    subloc_models_dir,
)
from subloc.errors import EngineError, ModelError

log = logging.getLogger(__name__)

PIVOT = "en"
#: Argos Translate's length penalty, kept for parity (see the module docstring).
LENGTH_PENALTY = 0.2


class LoadedModel:
    """One package's CTranslate2 translator and SentencePiece processor, loaded once."""

    def __init__(self, package: ArgosPackage, options: EngineOptions) -> None:
        import ctranslate2
        import sentencepiece

        self.package = package
        self.options = options
        try:
            self.translator = ctranslate2.Translator(
                str(package.path / "model"),
                device=options.device,
                inter_threads=options.inter_threads,
                intra_threads=1,
            )
            self.tokenizer = sentencepiece.SentencePieceProcessor(
                model_file=str(package.path / "sentencepiece.model"))
        except (RuntimeError, ValueError, OSError) as error:
            raise ModelError(f"cannot load the model: {error}", path=package.path) from error

    def translate(self, segments: Sequence[str],
                  progress: Callable[[int], None] | None = None) -> list[str]:
        """Translate segments: sorted by length in batches of ``batch_tokens`` source tokens,
        or, in ``exact`` mode, in batches of one token length each (see EngineOptions).
        ``progress(n)`` hears of each finished batch."""
        return [text for text, _score in self.translate_scored(segments, progress)]

    def translate_scored(self, segments: Sequence[str],
                         progress: Callable[[int], None] | None = None
                         ) -> list[tuple[str, float | None]]:
        """:meth:`translate`, each translation with its mean log-probability per token."""
        tokens = [self.tokenize(text) for text in segments]
        batches = plan_batches([len(pieces) for pieces in tokens], self.options.batch_tokens,
                               self.options.exact)
        out: list[tuple[str, float | None]] = [("", None)] * len(tokens)
        # Submitted asynchronously, so all inter_threads model replicas stay busy.
        pending = [(batch, self._submit([tokens[i] for i in batch])) for batch in batches]
        for batch, results in pending:
            for index, done in zip(batch, self._collect(results), strict=True):
                out[index] = done
            if progress is not None:
                progress(len(batch))
        return out

    def tokenize(self, text: str) -> list[str]:
        pieces: list[str] = self.tokenizer.encode(text, out_type=str)
        return pieces

    def translate_batch(self, batch: list[list[str]]) -> list[tuple[str, float | None]]:
        """One batch of tokenized segments (one of :func:`plan_batches`), translated as one
        CTranslate2 batch: each translation with its mean log-probability per token."""
        return self._collect(self._submit(batch))

    def _collect(self, results: Any) -> list[tuple[str, float | None]]:
        out: list[tuple[str, float | None]] = []
        try:
            for result in results:
                done = result.result()
                hypothesis = done.hypotheses[0]
                out.append((self._detokenize(hypothesis),
                            _mean_log_prob(done.scores, len(hypothesis))))
        except (RuntimeError, ValueError) as error:
            raise EngineError(f"CTranslate2 failed: {error}",
                              path=self.package.path) from error
        return out

    def _submit(self, batch: list[list[str]]) -> Any:
        """One batch, as it is: CTranslate2 re-batches nothing (its own re-batching sorts
        with an unstable sort, so which of two equally long segments landed in which
        batch, padded to which length, could not be known outside it)."""
        prefix = self.package.target_prefix
        try:
            return self.translator.translate_batch(
                batch,
                target_prefix=[[prefix]] * len(batch) if prefix else None,
                max_batch_size=len(batch),
                batch_type="examples",
                beam_size=self.options.beam_size,
                num_hypotheses=1,
                length_penalty=LENGTH_PENALTY,
                replace_unknowns=True,
                return_scores=True,
                asynchronous=True,
            )
        except (RuntimeError, ValueError) as error:
            raise EngineError(f"CTranslate2 failed: {error}",
                              path=self.package.path) from error

    def _detokenize(self, pieces: list[str]) -> str:
        """Exactly argostranslate 1.11's decoding, so outputs are identical: it also turns
        underscores into spaces (harmless for subtitles, and parity matters more)."""
        value = str(self.tokenizer.decode_pieces(pieces)).replace("▁", " ").replace("_", " ")
        prefix = self.package.target_prefix
        if prefix and value.startswith(prefix):
            value = value[len(prefix) :]
        return value[1:] if value.startswith(" ") else value


class ArgosEngine(Engine):
    """Argos Translate packages on CTranslate2; see the module docstring."""

    name = "argos"

    def __init__(self, options: EngineOptions | None = None) -> None:
        super().__init__(options)
        self._loaded: dict[tuple[str, str], LoadedModel] = {}
        self._lock = threading.Lock()

    @cached_property
    def packages(self) -> dict[tuple[str, str], ArgosPackage]:
        return {p.pair: p for p in find_packages(self.options.model_paths)}

    def route(self, source: str, target: str) -> list[ArgosPackage]:
        """The packages a pair goes through: direct, or pivoting through English."""
        if (source, target) in self.packages:
            return [self.packages[(source, target)]]
        if (source, PIVOT) in self.packages and (PIVOT, target) in self.packages:
            return [self.packages[(source, PIVOT)], self.packages[(PIVOT, target)]]
        installed = ", ".join(f"{a}->{b}" for a, b in sorted(self.packages)) or "none"
        raise ModelError(
            f"no Argos model for {source}->{target} (installed: {installed}); install one "
            f"with: subloc models install {source} {target}  (or subloc models install "
            "FILE.argosmodel)"
        )

    def check_pair(self, source: str, target: str) -> None:
        self.route(source, target)

    def describe_pair(self, source: str, target: str) -> str:
        route = self.route(source, target)
        if len(route) == 1:
            return f"{source}->{target}"
        return f"{source}->{target} via {PIVOT} (no direct model)"

    def identity(self, source: str, target: str) -> str:
        steps = "+".join(
            f"{p.from_code}_{p.to_code}@{p.version}" for p in self.route(source, target))
        mode = ":exact" if self.options.exact else ""
        return f"argos:{steps}:beam{self.options.beam_size}:lp0.2{mode}"

    def fingerprint(self) -> str:
        installed = ",".join(f"{a}_{b}@{p.version}:{p.path}"
                             for (a, b), p in sorted(self.packages.items()))
        return f"{super().fingerprint()}:{installed}"

    def installed_models(self) -> list[ModelInfo]:
        return [ModelInfo(pair=f"{p.from_code}->{p.to_code}",
                          name=f"translate-{p.from_code}_{p.to_code}", version=p.version,
                          location=str(p.path), size_bytes=p.size_bytes)
                for p in self.packages.values()]

    def locations(self) -> list[str]:
        return [str(subloc_models_dir()), str(argos_packages_dir())]

    def install_hint(self) -> str:
        return "subloc models install en es  (or subloc models install FILE.argosmodel)"

    def model(self, package: ArgosPackage) -> LoadedModel:
        with self._lock:
            if package.pair not in self._loaded:
                log.info("loading %s", package.path)
                self._loaded[package.pair] = LoadedModel(package, self.options)
            return self._loaded[package.pair]

    @property
    def loaded_pairs(self) -> list[tuple[str, str]]:
        return list(self._loaded)

    def steps(self, source: str, target: str) -> int:
        return len(self.route(source, target))

    def translate_step(self, package: ArgosPackage, texts: list[str],
                       progress: Callable[[int], None] | None = None
                       ) -> list[tuple[str, float | None]]:
        """One model of a pair's route over unique non-blank texts: here, in this process
        (a Ray run sends the same batches to its workers instead)."""
        return self.model(package).translate_scored(texts, progress)

    def translate(self, segments: Sequence[str], source: str, target: str,
                  progress: Callable[[int], None] | None = None) -> list[str]:
        return [done.text for done in self.translate_with_notes(segments, source, target,
                                                                progress)]

    def translate_with_notes(self, segments: Sequence[str], source: str, target: str,
                             progress: Callable[[int], None] | None = None
                             ) -> list[Translated]:
        """Translations with their confidence (summed over the steps of a pivot)."""
        texts = list(segments)
        scores: list[float | None] = [0.0] * len(texts)
        route = self.route(source, target)
        for package in route:
            unique = sorted({t for t in texts if t.strip()})
            translated = dict(zip(unique, self.translate_step(package, unique, progress),
                                  strict=True))
            if progress is not None:
                progress(len(texts) - len(unique))  # blank or repeated: no work, still done
            for index, text in enumerate(texts):
                step = translated.get(text)
                previous = scores[index]
                scores[index] = (None if step is None or step[1] is None or previous is None
                                 else previous + step[1])
            texts = [translated[t][0] if t in translated else t for t in texts]
        return [Translated(text, score=score) for text, score in zip(texts, scores,
                                                                        strict=True)]


def plan_batches(lengths: Sequence[int], batch_tokens: int, exact: bool) -> list[list[int]]:
    """The batches segments of these token ``lengths`` are translated in, as lists of
    indexes into ``lengths``; the same for every executor, so a run's bytes do not depend
    on where it ran.

    By default: longest first (a stable sort: equally long segments keep their order, the
    text order translation de-duplicated them in), each batch as many segments as fit in
    ``batch_tokens`` counting padding (its first, longest, segment's length times its
    size), at least one: CTranslate2's own rule for ``batch_type="tokens"``. With
    ``exact``: segments of one token length per batch, shortest length first, at most
    ``batch_tokens // length`` (at least one) each, so nothing is padded.
    """
    if exact:
        groups: dict[int, list[int]] = {}
        for index, length in enumerate(lengths):
            groups.setdefault(length, []).append(index)
        return [indexes[start : start + max(1, batch_tokens // max(n, 1))]
                for n, indexes in sorted(groups.items())
                for start in range(0, len(indexes), max(1, batch_tokens // max(n, 1)))]
    order = sorted(range(len(lengths)), key=lambda index: -lengths[index])
    batches: list[list[int]] = []
    start = 0
    while start < len(order):
        size = max(1, batch_tokens // max(lengths[order[start]], 1))
        batches.append(order[start : start + size])
        start += size
    return batches


def _mean_log_prob(scores: Sequence[float], tokens: int) -> float | None:
    """The mean log-probability per token (the end token included) of a hypothesis whose
    score CTranslate2 gave as ``log-prob / length ** LENGTH_PENALTY``."""
    if not scores:
        return None
    length = tokens + 1
    mean: float = float(scores[0]) * pow(float(length), LENGTH_PENALTY) / length
    return mean

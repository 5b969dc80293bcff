"""Translation speed on a base-size random-weight Argos model (512-dim, 6+6 layers, 32k
vocabulary, int8: it costs what a real Argos model costs), on a generated 1,500-cue film.

Prints, from one run:
  (a) argostranslate-style per-cue translation (argostranslate itself when installed,
      else its exact per-sentence call re-implemented: tests/argos_factory.py);
  (b) raw ctranslate2 translate_batch over the de-duplicated cue texts (the floor);
  (c) subloc's engine over the cue texts;
  (d) a warm-cache rerun; (e) subloc localize end to end against the raw floor on the
  same segments; (f) 20 files x 3 languages: model loads per pair; peak memory.

    python benchmarks/bench_translate.py [--cues 1500] [--per-cue-sample 300]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from argos_factory import (  # noqa: E402
    ARGOS_TRANSLATE_BATCH_OPTIONS,
    build_argos_package,
    install_package,
)
from subloc.engines import EngineOptions  # noqa: E402
from subloc.engines.argos import ArgosEngine, LoadedModel  # noqa: E402
from subloc.io.read import load  # noqa: E402
from subloc.io.write import save  # noqa: E402
from subloc.pipeline.localize import LocalizeOptions, localize  # noqa: E402
from subloc.pipeline.segment import segment  # noqa: E402
from subloc.track import Cue, Track  # noqa: E402

SAMPLE = REPO / "sample_subs" / "harbour_lights.srt"


def film(cues: int, seed: int = 0) -> Track:
    """A film of subtitle-like lines made from the sample's: mostly unique, with the
    repetition real films have (about one cue in ten repeats an earlier one)."""
    sentences = [" ".join(c.plain_lines) for c in load(SAMPLE).cues if c.plain_text.strip()]
    rng = random.Random(seed)
    out: list[Cue] = []
    time_ms = 1000
    for number in range(1, cues + 1):
        if out and rng.random() < 0.1:
            lines = list(rng.choice(out).lines)
        else:
            head = rng.choice(sentences).split()
            tail = rng.choice(sentences).split()
            words = head[: rng.randint(1, len(head))] + tail[rng.randint(0, len(tail) - 1):]
            lines = [" ".join(words[:12])] + ([" ".join(words[12:20])] if words[12:20] else [])
        start = time_ms + rng.randint(100, 1400)
        end = start + rng.randint(1000, 5000)
        out.append(Cue(id=number, start_ms=start, end_ms=end, lines=lines))
        time_ms = end
    return Track(cues=out)


PEAK_SCRIPT = """
import sys
from subloc.engines import EngineOptions
from subloc.engines.argos import ArgosEngine
texts = open(sys.argv[1], encoding="utf-8").read().splitlines()
ArgosEngine(EngineOptions(beam_size=4)).translate(texts, "en", "es")
# VmHWM, not ru_maxrss: a child's ru_maxrss starts at its parent's high-water mark.
status = open("/proc/self/status").read().split("VmHWM:")[1]
print(int(status.split()[0]) / 1024)
"""


def timed(action):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cues", type=int, default=1500)
    parser.add_argument("--per-cue-sample", type=int, default=300,
                        help="cues timed for (a), extrapolated to the film (it is slow)")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        started = time.perf_counter()
        packages = tmp / "packages"
        for seed, (a, b) in enumerate([("en", "es"), ("en", "fr"), ("en", "de")]):
            install_package(build_argos_package(tmp, from_code=a, to_code=b, size="base",
                                                seed=seed), packages)
        print(f"built 3 base-size packages in {time.perf_counter() - started:.0f} s")
        os.environ["ARGOS_PACKAGES_DIR"] = str(packages)
        os.environ["SUBLOC_MODELS_DIR"] = str(tmp / "none")
        source = tmp / "film.srt"
        save(film(args.cues), source)
        track = load(source)
        texts = [" ".join(c.plain_lines) for c in track.cues]
        unique = sorted(set(texts))
        options = EngineOptions(beam_size=4, inter_threads=cores)
        engine = ArgosEngine(options)
        package = engine.route("en", "es")[0]
        model_mb = package.size_bytes / 2**20

        # (b) the floor: one Translator, batched, de-duplicated, no subloc code.
        import ctranslate2
        import sentencepiece

        translator = ctranslate2.Translator(str(package.path / "model"), inter_threads=cores,
                                            intra_threads=1)
        sp = sentencepiece.SentencePieceProcessor(
            model_file=str(package.path / "sentencepiece.model"))

        def floor(batch_texts: list[str]) -> list[str]:
            tokens = [sp.encode(t, out_type=str) for t in batch_texts]
            order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))
            results = translator.translate_batch([tokens[i] for i in order], max_batch_size=32,
                                                 beam_size=4, length_penalty=0.2,
                                                 replace_unknowns=True)
            return [sp.decode(r.hypotheses[0]) for r in results]

        floor(unique[:8])  # warm-up
        raw_s, _ = timed(lambda: floor(unique))

        # (c) subloc's engine, model loaded first as for (b).
        engine.model(package)
        engine_s, _ = timed(lambda: engine.translate(texts, "en", "es"))
        # Peak memory of (c) alone, in a fresh process (interpreter and imports included).
        (tmp / "texts.txt").write_text("\n".join(texts), encoding="utf-8")
        import subprocess

        peak_c_mb = float(subprocess.run(
            [sys.executable, "-c", PEAK_SCRIPT, str(tmp / "texts.txt")], check=True,
            capture_output=True, text=True, env={**os.environ}).stdout.strip())

        # (a) argostranslate per cue, on a sample (extrapolated).
        sample = texts[: args.per_cue_sample]
        try:
            import argostranslate.translate as argos_translate

            label = "argostranslate.translate per cue"
            per_cue = lambda: [argos_translate.translate(t, "en", "es") for t in sample]  # noqa: E731
            per_cue()
        except ImportError:
            # argostranslate's own call: a Translator with its default threads (4 intra),
            # one sentence at a time, the same options it passes.
            label = "argostranslate-equivalent per cue (argostranslate not installed)"
            argos_like = ctranslate2.Translator(str(package.path / "model"), inter_threads=1,
                                                intra_threads=0)

            def per_cue() -> list[str]:
                return [sp.decode(argos_like.translate_batch(
                    [sp.encode(t, out_type=str)], **ARGOS_TRANSLATE_BATCH_OPTIONS
                )[0].hypotheses[0]) for t in sample]
        argos_s = timed(per_cue)[0] / len(sample) * len(texts)

        # (d) warm-cache rerun through the translate stage.
        from subloc.engines.cache import TranslationCache
        from subloc.pipeline.translate import translate_texts

        cache = TranslationCache(tmp / "cache.sqlite3")
        cold_s, _ = timed(lambda: translate_texts(ArgosEngine(options), texts, "en", "es", cache))
        warm_s, _ = timed(lambda: translate_texts(ArgosEngine(options), texts, "en", "es", cache))

        # (e) localize end to end vs the floor on the same de-duplicated segments; both
        # load the model, as a run from the command line does.
        segments, _ = segment(track.cues)
        seg_unique = sorted({s.text for s in segments})

        def floor_with_load() -> list[str]:
            nonlocal translator
            translator = ctranslate2.Translator(str(package.path / "model"),
                                                inter_threads=cores, intra_threads=1)
            return floor(seg_unique)

        run_options = LocalizeOptions(targets=("es",), source_lang="en", engine="argos",
                                      engine_options=options, output_dir=tmp / "out",
                                      use_cache=False)
        # Alternate the two sides and keep the best of each: this machine's speed drifts
        # by about 10 % between minutes, more than the difference being measured.
        floor_runs, localize_runs = [], []
        for _ in range(2):
            floor_runs.append(timed(floor_with_load)[0])
            seconds, result = timed(lambda: localize([source], run_options))
            assert result.jobs[0].error is None, result.jobs[0].error
            localize_runs.append(seconds)
        floor_seg_s, localize_s = min(floor_runs), min(localize_runs)

        # (f) 20 files x 3 languages: how often is each pair's model loaded?
        loads: list[tuple[str, str]] = []
        original = LoadedModel.__init__

        def counting(self, pkg, opts):  # type: ignore[no-untyped-def]
            loads.append(pkg.pair)
            original(self, pkg, opts)

        LoadedModel.__init__ = counting  # type: ignore[method-assign]
        episodes = []
        for number in range(20):
            path = tmp / "season" / f"episode{number:02d}.srt"
            path.parent.mkdir(exist_ok=True)
            save(film(60, seed=number), path)
            episodes.append(path)
        batch_s, batch = timed(lambda: localize(episodes, LocalizeOptions(
            targets=("es", "fr", "de"), source_lang="en", engine_options=options,
            output_dir=tmp / "season_out", use_cache=False)))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"film: {len(texts)} cues, {len(unique)} unique; {len(segments)} segments, "
          f"{len(seg_unique)} unique; model {model_mb:.0f} MB; {cores} cores; beam 4")
    print(f"(a) {label}: {argos_s:.1f} s ({len(texts) / argos_s:.0f} lines/s, "
          f"from {len(sample)} cues)")
    print(f"(b) raw ctranslate2 batched, de-duplicated: {raw_s:.1f} s "
          f"({len(texts) / raw_s:.0f} lines/s)")
    print(f"(c) subloc engine: {engine_s:.1f} s ({len(texts) / engine_s:.0f} lines/s)")
    print(f"    (c)/(b) = {engine_s / raw_s:.2f}  (target <= 1.10)")
    print(f"    (a)/(c) = {argos_s / engine_s:.1f}  (target >= 6)")
    print(f"(d) cold {cold_s:.2f} s, warm-cache rerun {warm_s:.3f} s: "
          f"{cold_s / warm_s:.0f}x faster  (target >= 50)")
    print(f"(e) subloc localize end to end (shipped glossary, QA, fixes, reports): "
          f"{localize_s:.1f} s; raw floor on the same segments, model load included: "
          f"{floor_seg_s:.1f} s; ratio {localize_s / floor_seg_s:.2f}  (target <= 1.15; "
          f"best of 2 alternating runs: {localize_runs} vs {floor_runs})")
    print(f"(f) 20 files x 3 languages in {batch_s:.1f} s: model loads "
          f"{ {pair: loads.count(pair) for pair in sorted(set(loads))} }; "
          f"{sum(1 for j in batch.jobs if j.output)} tracks written")
    print(f"peak RSS of (c) in its own process: {peak_c_mb:.0f} MB; model {model_mb:.0f} MB: "
          f"model + {peak_c_mb - model_mb:.0f} MB  (target <= model + 300 MB)")
    print(f"peak RSS of this whole benchmark (5 translators loaded): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()

"""Apertium through subloc against one plain ``apertium`` call, in one run.

The sample film's segments (``sample_subs/harbour_lights.srt``, as the segment stage
makes them), en->es:

  plain         ``apertium eng-spa`` once on the same texts, blank-line separated (what
                you would do by hand; its output cannot be aligned back safely);
  subloc, cold  a new ``ApertiumEngine`` translating the segments: starts the pipeline,
                one null-flushed block per segment, every block's marker checked,
                placeholders, tags and marks decoded;
  subloc, warm  the same engine again: the pipeline is already running.

Each is timed ``--rounds`` times and the best is kept; lines/s and the ratio to plain are
printed. ``--repeat N`` sends the film's segments N times (a longer film). Target (issue
11): subloc, cold <= 1.3 x plain.

    python benchmarks/bench_apertium.py [--repeat 1] [--rounds 5] [--pair en-es]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from subloc import load  # noqa: E402
from subloc.engines.apertium import ApertiumEngine  # noqa: E402
from subloc.pipeline.segment import SegmentOptions, iter_segments  # noqa: E402


def best(rounds: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pair", default="en-es")
    args = parser.parse_args()
    source, target = args.pair.split("-")
    engine = ApertiumEngine()
    if shutil.which("apertium") is None:
        raise SystemExit("Apertium is not installed: apt-get install apertium "
                         "apertium-eng-spa")
    mode = engine.mode(source, target)
    film = load(REPO / "sample_subs" / "harbour_lights.srt")
    segments = [s.text for s in iter_segments(film.cues, SegmentOptions())] * args.repeat
    text = "\n\n".join(segments) + "\n"

    def plain() -> None:
        subprocess.run(["apertium", mode.name], input=text.encode(), check=True,
                       capture_output=True)

    def cold() -> None:
        fresh = ApertiumEngine()
        fresh.translate(segments, source, target)
        fresh.close()

    engine.translate(segments[:1], source, target)  # start the warm pipeline

    def warm() -> None:
        engine.translate(segments, source, target)

    plain_s = best(args.rounds, plain)
    cold_s = best(args.rounds, cold)
    warm_s = best(args.rounds, warm)
    engine.close()
    lines = len(segments)
    print(f"{lines} segments (harbour_lights.srt x {args.repeat}), "
          f"{source}->{target} ({mode.name}), best of {args.rounds}")
    for label, seconds in (("plain apertium", plain_s), ("subloc, cold", cold_s),
                           ("subloc, warm", warm_s)):
        print(f"  {label:<15} {seconds:7.3f} s  {lines / seconds:8,.0f} lines/s  "
              f"{seconds / plain_s:5.2f} x plain")
    verdict = "ok" if cold_s <= 1.3 * plain_s else "over the 1.3 x target"
    print(f"cold / plain = {cold_s / plain_s:.2f} ({verdict})")


if __name__ == "__main__":
    main()

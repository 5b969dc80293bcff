"""Time `subloc convert` of a generated 50,000-cue SRT to VTT against pysubs2 load+save
of the same file, in the same run, and print the ratio (target: <= 1.3).

    python benchmarks/bench_convert.py [--cues 50000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pysubs2

WORDS = [
    "the", "harbour", "lights", "were", "on", "when", "Maggie", "came", "back", "to", "Port",
    "Alder", "and", "nobody", "said", "a", "word", "about", "the", "storm", "or", "the", "boat",
]


def generate_srt(path: Path, cues: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    parts = []
    time_ms = 1000
    for number in range(1, cues + 1):
        start = time_ms + rng.randint(80, 1500)
        end = start + rng.randint(900, 6000)
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 14)))
        middle = text.find(" ", len(text) // 2)
        if len(text) > 40 and middle > 0:
            text = text[:middle] + "\n" + text[middle + 1 :]
        if rng.random() < 0.1:
            text = f"<i>{text}</i>"
        parts.append(f"{number}\n{stamp(start)} --> {stamp(end)}\n{text}\n")
        time_ms = end
    path.write_text("\n".join(parts), encoding="utf-8")


def stamp(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d},{millis:03d}"


def best_of(repeat: int, action: object) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cues", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "film.srt"
        generate_srt(source, args.cues)
        out_dir = Path(tmp) / "out"
        subloc = [sys.executable, "-m", "subloc", "-q", "convert", str(source), "--to", "vtt",
                  "-o", str(out_dir)]
        # Both sides run as a fresh process, so interpreter and import time count for both.
        reference = [sys.executable, "-c",
                     "import pysubs2, sys; pysubs2.load(sys.argv[1]).save(sys.argv[2])",
                     str(source), str(Path(tmp) / "ref.vtt")]
        ours = best_of(args.repeat, lambda: subprocess.run(subloc, check=True))
        theirs = best_of(args.repeat, lambda: subprocess.run(reference, check=True))
        cues = len(pysubs2.load(str(out_dir / "film.vtt")))
    print(f"cues: {args.cues} (written: {cues})")
    print(f"subloc convert srt->vtt: {ours:.2f} s")
    print(f"pysubs2 load+save:       {theirs:.2f} s")
    print(f"ratio subloc/pysubs2:    {ours / theirs:.2f}  (target <= 1.3)")


if __name__ == "__main__":
    main()

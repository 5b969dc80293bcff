"""Time `subloc check` on 100 generated files of 1,500 cues against plain pysubs2 loading
of the same files, in the same run, and print the ratio (target: <= 1.5).

    python benchmarks/bench_check.py [--files 100] [--cues 1500]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_convert import generate_srt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--cues", type=int, default=1500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        folder = Path(tmp_name) / "tracks"
        folder.mkdir()
        for number in range(args.files):
            generate_srt(folder / f"episode{number:03d}.srt", args.cues, seed=number)
        check = [sys.executable, "-m", "subloc", "-q", "check", str(folder), "--fail-on",
                 "never", "--lang", "en"]
        load_all = ("import pysubs2, sys, pathlib\n"
                    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.srt')):\n"
                    "    pysubs2.load(str(p))")
        reference = [sys.executable, "-c", load_all, str(folder)]
        started = time.perf_counter()
        subprocess.run(check, check=True)
        ours = time.perf_counter() - started
        started = time.perf_counter()
        subprocess.run(reference, check=True)
        theirs = time.perf_counter() - started
    print(f"{args.files} files x {args.cues} cues")
    print(f"subloc check:        {ours:.2f} s")
    print(f"pysubs2 load only:   {theirs:.2f} s")
    print(f"ratio check/pysubs2: {ours / theirs:.2f}  (target <= 1.5)")


if __name__ == "__main__":
    main()

"""Huge and broken inputs: time and peak memory of `subloc localize` and `subloc check` on
a 1,000,000-cue SRT and on one cue holding a 1 MB line, against loading the same file with
pysubs2 in the same run.

    python benchmarks/bench_huge.py [--cues 1000000] [--line-bytes 1000000] [--skip-huge]

Targets (issue 10): localize (pseudo engine) under 1.5 GB peak RSS and check under 1 GB on
the 1,000,000-cue file; the 1 MB line in seconds, not minutes. Peak RSS is each child's
own ``ru_maxrss`` (read with ``wait4``; this script stays small so a child does not
inherit a large high-water mark from it).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("the harbour lights are burning tonight and we sail before dawn with Maggie "  # noqa: SIM905
         "Thanksgiving pumpkin pie three miles north of Port Alder").split()


def write_cues(path: Path, cues: int, seed: int = 7) -> None:
    """An SRT of ``cues`` cues, written as it is generated (never whole in memory)."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        start = 0
        for number in range(1, cues + 1):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9)))
            out.write(f"{number}\n{stamp(start)} --> {stamp(start + 1800)}\n"
                      f"{words.capitalize()}{rng.choice('.?!,')}\n\n")
            start += 2000


def write_long_line(path: Path, size: int, seed: int = 7) -> None:
    """One cue whose single line is ``size`` bytes of words: a script pasted into a cue."""
    rng = random.Random(seed)
    words: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(WORDS)
        words.append(word)
        length += len(word) + 1
    path.write_text(f"1\n00:00:01,000 --> 00:00:05,000\n{' '.join(words)}\n\n2\n"
                    "00:00:06,000 --> 00:00:08,000\nAnd a normal cue.\n", encoding="utf-8")


def stamp(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d},{millis:03d}"


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and the child's own peak RSS in MB."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed with {status}")
    return seconds, usage.ru_maxrss / 1024


def subloc(*args: str) -> list[str]:
    return [sys.executable, "-m", "subloc", "-q", *args]


def pysubs2_load(path: Path) -> list[str]:
    return [sys.executable, "-c", "import pysubs2, sys; pysubs2.load(sys.argv[1])", str(path)]


def report(label: str, ours: tuple[float, float], reference: tuple[float, float],
           target_mb: float | None) -> None:
    target = f"; target < {target_mb:,.0f} MB: {'met' if ours[1] < target_mb else 'MISSED'}" \
        if target_mb else ""
    print(f"{label:<34} {ours[0]:8.1f} s {ours[1]:8.0f} MB   "
          f"(x{ours[0] / reference[0]:.1f} time, x{ours[1] / reference[1]:.1f} memory of "
          f"pysubs2 loading it{target})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cues", type=int, default=1_000_000)
    parser.add_argument("--line-bytes", type=int, default=1_000_000)
    parser.add_argument("--skip-huge", action="store_true", help="only the 1 MB line")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        line = folder / "one_line.srt"
        write_long_line(line, args.line_bytes)
        reference = measure(pysubs2_load(line))
        print(f"pysubs2 load of the {args.line_bytes:,}-byte line: {reference[0]:.1f} s, "
              f"{reference[1]:.0f} MB")
        report("localize, 1 MB line", measure(subloc(
            "localize", str(line), "--to", "es", "--engine", "pseudo", "--no-cache",
            "-o", str(folder / "line_out"), "--fail-on", "never")), reference, None)
        report("check --fix, 1 MB line", measure(subloc(
            "check", str(line), "--fix", "-o", str(folder / "line_qa"), "--fail-on",
            "never", "--lang", "en")), reference, None)
        if args.skip_huge:
            return
        huge = folder / "huge.srt"
        write_cues(huge, args.cues)
        reference = measure(pysubs2_load(huge))
        print(f"pysubs2 load of {args.cues:,} cues ({huge.stat().st_size / 2**20:.0f} MB): "
              f"{reference[0]:.1f} s, {reference[1]:.0f} MB")
        report(f"localize, {args.cues:,} cues", measure(subloc(
            "localize", str(huge), "--to", "es", "--from", "en", "--engine", "pseudo",
            "--no-cache", "-o", str(folder / "out"), "--fail-on", "never")),
            reference, 1536)
        localized = folder / "out" / "huge.es.srt"
        report(f"check, {args.cues:,} cues", measure(subloc(
            "check", str(localized), "--source", str(huge), "-o", str(folder / "qa"),
            "--fail-on", "never")), reference, 1024)
        sizes = {p.name: p.stat().st_size / 2**20 for p in (folder / "out").iterdir()}
        print("report sizes: " + ", ".join(f"{name} {mb:,.1f} MB"
                                           for name, mb in sorted(sizes.items())))


if __name__ == "__main__":
    main()

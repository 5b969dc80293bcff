"""Time `subloc check` (spelling on) on 100 generated files of 1,500 cues against plain
pysubs2 loading of the same files, in the same run, and print the ratio (target: <= 2.5
with spelling; about 1.5 without). `subloc check` with spelling off is timed too.

    python benchmarks/bench_check.py [--files 100] [--cues 1500] [--vocabulary 20000]
                                     [--misspelt 0.005]

The text is drawn, Zipf-like, from the words of the installed en_US Hunspell dictionary
(`apt-get install hunspell-en-us`), one word in 200 misspelt by default (a typo every 25
cues or so: a rough draft; `--misspelt 0.02` is a stress test), so a series' worth of
distinct words is looked up (each once per run); without the dictionary, from a short list.
The machine's load average is printed before and after: the figures are wall-clock times.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_convert import WORDS, stamp

DICTIONARY = Path("/usr/share/hunspell/en_US.dic")


def vocabulary(size: int) -> list[str]:
    """Up to ``size`` words of the en_US dictionary (affix flags dropped), in a fixed
    shuffled order; the short list when the dictionary is not there."""
    if not DICTIONARY.is_file():
        return list(WORDS)
    lines = DICTIONARY.read_text(encoding="utf-8", errors="replace").splitlines()[1:]
    words = sorted({line.split("/", 1)[0] for line in lines
                    if line and line.split("/", 1)[0].isalpha()})
    random.Random(0).shuffle(words)
    return words[:size]


def generate(path: Path, cues: int, words: list[str], seed: int, misspelt: float) -> None:
    """An SRT of ``cues`` cues: 2 to 14 words each (Zipf-like ranks), a share ``misspelt``
    of them misspelt (two letters swapped), a two-line break past 40 characters, 10 %
    italic."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(words))]
    parts = []
    time_ms = 1000
    for number in range(1, cues + 1):
        start = time_ms + rng.randint(80, 1500)
        end = start + rng.randint(900, 6000)
        chosen = rng.choices(words, weights, k=rng.randint(2, 14))
        for index, word in enumerate(chosen):
            if len(word) > 3 and rng.random() < misspelt:
                at = rng.randrange(len(word) - 1)
                chosen[index] = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        text = " ".join(chosen)
        text = text[:1].upper() + text[1:] + "."
        middle = text.find(" ", len(text) // 2)
        if len(text) > 40 and middle > 0:
            text = text[:middle] + "\n" + text[middle + 1 :]
        if rng.random() < 0.1:
            text = f"<i>{text}</i>"
        parts.append(f"{number}\n{stamp(start)} --> {stamp(end)}\n{text}\n")
        time_ms = end
    path.write_text("\n".join(parts), encoding="utf-8")


def timed(command: list[str]) -> tuple[float, float, bytes]:
    """Wall-clock seconds, CPU seconds (user + system) and stdout of ``command``. Other
    work on the machine stretches the first; the second much less."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, check=True, stdout=subprocess.PIPE)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--cues", type=int, default=1500)
    parser.add_argument("--vocabulary", type=int, default=20_000)
    parser.add_argument("--misspelt", type=float, default=0.005)
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp_name:
        folder = Path(tmp_name) / "tracks"
        folder.mkdir()
        words = vocabulary(args.vocabulary)
        for number in range(args.files):
            generate(folder / f"episode{number:03d}.en.srt", args.cues, words, number,
                     args.misspelt)
        quiet = Path(tmp_name) / "no-spelling.toml"
        quiet.write_text('extends = "netflix"\n[style]\nspelling = false\n', encoding="utf-8")
        check = [sys.executable, "-m", "subloc", "-q", "check", str(folder), "--fail-on",
                 "never", "--lang", "en"]
        load_all = ("import pysubs2, sys, pathlib\n"
                    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.srt')):\n"
                    "    pysubs2.load(str(p))")
        reference = [sys.executable, "-c", load_all, str(folder)]
        theirs = timed(reference)[:2]
        ours = timed(check)[:2]
        plain = timed([*check, "--profile", str(quiet)])[:2]
        again = timed(reference)[:2]
        theirs = (min(theirs[0], again[0]), min(theirs[1], again[1]))
        # What spelling found (not timed): the first three files, as JSON.
        sample = sorted(folder.iterdir())[:3]
        output = timed([sys.executable, "-m", "subloc", "check", *map(str, sample),
                        "--fail-on", "never", "--lang", "en", "--json"])[2]
    report = json.loads(output)
    issues = [i for job in report["jobs"] for i in job["issues"] if i["rule"] == "spelling"]
    unknown = {word for issue in issues for word in (issue["value"] or [])}
    load_after = os.getloadavg()
    print(f"{args.files} files x {args.cues} cues, {len(words)} words drawn from, "
          f"{args.misspelt:.1%} misspelt")
    print(f"load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f} "
          f"({os.cpu_count()} CPUs)")
    print(f"spelling issues in 3 files: {len(issues)} cues, {len(unknown)} distinct words"
          + ("" if issues else "  (spelling did not run: is hunspell-en-us installed?)"))
    print("                             wall      CPU    ratio wall / CPU")
    for name, (wall, cpu) in (("pysubs2 load only", theirs), ("subloc check, spelling on", ours),
                              ("subloc check, spelling off", plain)):
        print(f"{name:27s} {wall:6.2f} s {cpu:6.2f} s   {wall / theirs[0]:.2f} / "
              f"{cpu / theirs[1]:.2f}")
    print("target: spelling on <= 2.5")


if __name__ == "__main__":
    main()

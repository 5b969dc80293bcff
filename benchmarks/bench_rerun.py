"""Cold run versus warm rerun of `subloc localize`, end to end, in one run: a 1,500-cue film
into Spanish with a base-size Argos model (512-dim, 6+6 layers, int8: it costs what a real
Argos model costs), the shipped glossary, QA, fixes and the three reports.

Prints, from one run:
  cold          the first run: every segment goes through the model;
  warm, same    the same command again: every job reused (nothing read, translated or
                written);
  warm, moved   the same film into another folder: jobs run again, every segment a
                translation-cache hit;
each as the `subloc` command (Python start-up included) and in process. Target (issue
10): cold / warm >= 50.

    python benchmarks/bench_rerun.py [--cues 1500]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_translate import film  # noqa: E402

from argos_factory import build_argos_package, install_package  # noqa: E402
from subloc.io.write import save  # noqa: E402
from subloc.pipeline.localize import LocalizeOptions, localize  # noqa: E402


def timed_command(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cues", type=int, default=1500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        packages = tmp / "packages"
        install_package(build_argos_package(tmp, size="base"), packages)
        env = {**os.environ, "ARGOS_PACKAGES_DIR": str(packages),
               "SUBLOC_MODELS_DIR": str(tmp / "none")}
        os.environ.update(env)
        source = tmp / "film.srt"
        save(film(args.cues), source)

        def command(out: str, cache: str) -> list[str]:
            return [sys.executable, "-m", "subloc", "-q", "localize", str(source), "--to",
                    "es", "--from", "en", "-o", str(tmp / out), "--cache",
                    str(tmp / cache), "--fail-on", "never"]

        cold = timed_command(command("cli", "cli.sqlite3"), env)
        warm_same = timed_command(command("cli", "cli.sqlite3"), env)
        warm_moved = timed_command(command("cli-moved", "cli.sqlite3"), env)

        def run(out: str) -> float:
            options = LocalizeOptions(targets=("es",), source_lang="en", output_dir=tmp / out,
                                      cache_path=tmp / "api.sqlite3")
            started = time.perf_counter()
            result = localize([source], options)
            assert result.jobs[0].error is None, result.jobs[0].error
            return time.perf_counter() - started

        api_cold = run("api")
        api_same = run("api")
        api_moved = run("api-moved")
    print(f"film: {args.cues} cues into es, base-size model, shipped glossary, QA, reports")
    print(f"command:    cold {cold:.2f} s; warm, same {warm_same:.2f} s "
          f"(x{cold / warm_same:.0f}); warm, moved {warm_moved:.2f} s "
          f"(x{cold / warm_moved:.0f})   target cold/warm >= 50")
    print(f"in process: cold {api_cold:.2f} s; warm, same {api_same:.3f} s "
          f"(x{api_cold / api_same:.0f}); warm, moved {api_moved:.2f} s "
          f"(x{api_cold / api_moved:.0f})")


if __name__ == "__main__":
    main()

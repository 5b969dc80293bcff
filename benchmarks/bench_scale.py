"""A catalogue batch on the local executor versus Ray with 1 and 2 workers, in one run.

20 generated episodes (60 cues each, the repetition real films have) into 3 languages
(es, fr, de) with base-size Argos models (512-dim, 6+6 layers, 32k vocabulary, int8: no
real Argos model can be downloaded here, so tests/argos_factory.py builds ones of the real
size, with random weights, which cost what a real model costs), beam 4, no cache: every
segment goes through a model; shipped glossary, QA, fixes and the three reports included.

Runs, alternating, best of ``--repeat`` each (this machine's speed drifts between
minutes, and other work shares it), each with its time per phase:
  local, --jobs 1     the default: plan and finish here, one process; the model in this
                      process with one replica per core;
  local, --jobs 2     plan and finish in 2 worker processes;
  ray, 1 worker       a Ray instance on this machine, one worker for every phase;
  ray, 2 workers      two workers (two translation actors, one thread each).
The Ray instance (2 CPUs) is started once, before the Ray runs; its start is timed apart
(``--executor ray`` without ``--ray-address`` pays it once per command; a cluster, once).
Every Ray run must write the local run's bytes; the benchmark checks that.

Prints each run's time and throughput (segments through a model per second, and cues per
second), the CPU time a local run takes per segment (this process and its workers: what a
capacity model needs, whatever else shares the machine), and Ray's overhead: ray 2
workers / best local (target <= 1.15 on a 2-core machine).

    python benchmarks/bench_scale.py [--files 20] [--cues 60] [--repeat 1] [--models DIR]
                                     [--runs local1,local2,ray1,ray2]

``--models DIR`` keeps the built packages there for the next run (building takes a minute).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_translate import film  # noqa: E402

from argos_factory import build_argos_package, install_package  # noqa: E402
from subloc.engines import EngineOptions  # noqa: E402
from subloc.io.write import save  # noqa: E402
from subloc.pipeline.localize import LocalizeOptions, RunResult, localize  # noqa: E402

TARGETS = ("es", "fr", "de")


class PhaseTimes:
    """A progress that times each phase (reading, each pair's translation, writing)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._phase = ""
        self._began = 0.0

    def start(self, phase: str, total: int, unit: str, cached: int = 0) -> None:
        self._phase = phase.split(" (")[0]  # without Ray's "(2 Ray workers)"
        self._began = time.perf_counter()

    def advance(self, done: int = 1) -> None:
        pass

    def finish(self) -> None:
        name = "translate" if "->" in self._phase else self._phase
        self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - self._began


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (local worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--cues", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--models", type=Path, help="where to keep the built packages")
    parser.add_argument("--runs", default="local2,ray2,local1,ray1",
                        help="which runs, in order (default: all four)")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp_name:
        tmp = Path(tmp_name)
        started = time.perf_counter()
        packages = (args.models or tmp) / "packages"
        for seed, target in enumerate(TARGETS):
            if not any(packages.glob(f"translate-en_{target}-*")):
                install_package(build_argos_package(packages.parent, from_code="en",
                                                    to_code=target, size="base", seed=seed),
                                packages)
        print(f"{len(TARGETS)} base-size packages ready in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
        os.environ["ARGOS_PACKAGES_DIR"] = str(packages)
        os.environ["SUBLOC_MODELS_DIR"] = str(tmp / "none")
        sources = []
        for number in range(args.files):
            path = tmp / "season" / f"episode{number:02d}.srt"
            path.parent.mkdir(exist_ok=True)
            save(film(args.cues, seed=number), path)
            sources.append(path)
        out = tmp / "out"  # every run writes here (the reports name it): same bytes

        def run(executor: str, jobs: int
                ) -> Callable[[], tuple[float, RunResult, dict[str, float]]]:
            def go() -> tuple[float, RunResult, dict[str, float]]:
                options = LocalizeOptions(
                    targets=TARGETS, source_lang="en", engine="argos",
                    engine_options=EngineOptions(beam_size=4, inter_threads=cores),
                    output_dir=out, use_cache=False, jobs=jobs, executor=executor)
                phases = PhaseTimes()
                began, cpu = time.perf_counter(), cpu_seconds()
                result = localize(sources, options, progress=phases)
                seconds = time.perf_counter() - began
                if executor == "local":  # Ray's workers are not this process's children
                    phases.seconds["CPU"] = cpu_seconds() - cpu
                assert not result.errors, result.errors
                return seconds, result, phases.seconds
            return go

        # The pair compared (best local, Ray with 2 workers) run next to each other.
        every = {"local2": ("local, --jobs 2", run("local", 2)),
                 "ray2": ("ray, 2 workers", run("ray", 2)),
                 "local1": ("local, --jobs 1", run("local", 1)),
                 "ray1": ("ray, 1 worker", run("ray", 1))}
        runs = dict(every[key] for key in args.runs.split(","))
        times: dict[str, list[float]] = {name: [] for name in runs}
        cpu_per_run: dict[str, float] = {}
        reference: dict[str, bytes] | None = None
        segments = cues = 0

        from subloc.pipeline.ray_executor import RayExecutor

        began = time.perf_counter()
        wants_ray = any(name.startswith("ray") for name in runs)
        # The instance the Ray runs join.
        ray_instance = RayExecutor(None, cores) if wants_ray else None
        ray_start = time.perf_counter() - began
        try:
            for _ in range(args.repeat):
                for name, go in runs.items():
                    seconds, result, phases = go()
                    times[name].append(seconds)
                    if "CPU" in phases:
                        cpu_per_run[name] = min(cpu_per_run.get(name, phases["CPU"]),
                                                phases["CPU"])
                    written = files_in(out)
                    if reference is None:
                        reference = written
                        segments = sum(s.translated for s in result.stats.values())
                        cues = sum(job.cues for job in result.jobs)
                    elif written != reference:
                        raise SystemExit(f"{name} wrote other bytes than the first run")
                    print(f"  {name}: {seconds:.1f} s ("
                          + ", ".join(f"{phase} {t:.1f} s" for phase, t in phases.items())
                          + ")", flush=True)
        finally:
            if ray_instance is not None:
                ray_instance.close()

    best = {name: min(values) for name, values in times.items()}
    print(f"\n{args.files} files x {len(TARGETS)} languages: {cues} cues written, {segments} "
          f"unique segments through a model (base size, beam 4, no cache); {cores} cores")
    for name, seconds in best.items():
        cpu = f"  CPU {cpu_per_run[name]:.1f} s" if name in cpu_per_run else ""
        print(f"{name:>16}: {seconds:6.1f} s  {segments / seconds:6.1f} segments/s  "
              f"{cues / seconds:6.1f} cues/s{cpu}  "
              f"(runs: {', '.join(f'{t:.1f}' for t in times[name])})")
    for name, cpu in cpu_per_run.items():
        print(f"per-segment cost, {name}, end to end: {cpu / segments * 1000:.0f} ms of CPU "
              f"({segments / cpu:.1f} segments/s per core)")
    if wants_ray:
        print(f"Ray instance start (once per command without --ray-address): "
              f"{ray_start:.1f} s")
    locals_ = [best[name] for name in best if name.startswith("local")]
    if "ray, 2 workers" in best and locals_:
        print(f"Ray overhead: 2 workers / best local = {best['ray, 2 workers'] / min(locals_):.2f}"
              "  (target <= 1.15)")
    if "ray, 1 worker" in best and "ray, 2 workers" in best:
        print(f"Ray 1 worker / 2 workers = {best['ray, 1 worker'] / best['ray, 2 workers']:.2f}"
              " (2.0 when both cores are free for the run)")


if __name__ == "__main__":
    main()

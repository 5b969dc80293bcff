"""``--executor ray``: a run on Ray workers writes byte for byte what a local run writes.

One Ray instance (2 CPUs, on 127.0.0.1, started through subloc's own executor) serves the
module; a second test starts a real head node with ``ray start --head`` and joins it by
address from the command line. The batch is the sample folder plus 20 generated files
(one of them unreadable) into two languages, with the pseudo engine and with tiny real
Argos models (CTranslate2 decoding, SentencePiece; es->fr pivots through English).

Ray is optional: these tests skip, saying so, when it is not installed (CI installs it),
except the one that checks what ``--executor ray`` says without it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import ipaddress
import json
import logging
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from argos_factory import build_argos_package, install_package
from conftest import SAMPLES
from subloc.cli import main
from subloc.engines import EngineOptions
from subloc.io.read import load
from subloc.io.write import save
from subloc.pipeline.check import CheckOptions, check_files
from subloc.pipeline.localize import LocalizeOptions, RunResult, localize
from subloc.track import Cue, Track

HAVE_RAY = importlib.util.find_spec("ray") is not None
needs_ray = pytest.mark.skipif(not HAVE_RAY, reason="Ray is not installed: pip install "
                               "'subloc[ray]' (CI installs it)")
pytestmark = [pytest.mark.ray]

TARGETS = ("es", "fr")
#: Small batches, so a pair's segments make many batches over both actors.
ARGOS = EngineOptions(beam_size=2, inter_threads=2, batch_tokens=48)
#: This module's Ray token (Ray >= 2.5x authenticates its clients): never ~/.ray's.
TOKEN = uuid.uuid4().hex + uuid.uuid4().hex
RAY_ENV = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
           "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": TOKEN}


class Killed(BaseException):
    """What a test raises in the driver to stop it dead (as kill -9 would)."""


class Recording:
    """A progress that remembers each phase's label, and can kill the run."""

    def __init__(self, kill_after: int | None = None) -> None:
        self.phases: list[str] = []
        self.kill_after = kill_after
        self.translated = 0

    def start(self, phase: str, total: int, unit: str, cached: int = 0) -> None:
        self.phases.append(phase)

    def advance(self, done: int = 1) -> None:
        if "->" in self.phases[-1] and done:
            self.translated += done
            if self.kill_after is not None and self.translated >= self.kill_after:
                raise Killed

    def finish(self) -> None:
        pass


# --- the batch ---------------------------------------------------------------------------


def _episode(seed: int) -> Track:
    """A short episode of subtitle lines made from the samples' (repeats included)."""
    sentences = [" ".join(c.plain_lines) for c in load(SAMPLES / "harbour_lights.srt").cues
                 if c.plain_text.strip()]
    rng = random.Random(seed)
    cues: list[Cue] = []
    time_ms = 1000
    for number in range(1, 31):
        if cues and rng.random() < 0.15:
            lines = list(rng.choice(cues).lines)
        else:
            words = (rng.choice(sentences).split()[: rng.randint(2, 9)]
                     + rng.choice(sentences).split()[-rng.randint(1, 8):])
            lines = [" ".join(words[:7])] + ([" ".join(words[7:14])] if words[7:14] else [])
        start = time_ms + rng.randint(200, 1500)
        end = start + rng.randint(1200, 4500)
        cues.append(Cue(id=number, start_ms=start, end_ms=end, lines=lines))
        time_ms = end
    return Track(cues=cues)


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The sample folder and 20 generated files (SRT and WebVTT), one unreadable."""
    folder = tmp_path_factory.mktemp("batch")
    generated = []
    for number in range(19):
        path = folder / f"episode{number:02d}.{'vtt' if number % 4 == 3 else 'srt'}"
        save(_episode(number), path)
        generated.append(path)
    broken = folder / "episode19.srt"  # a file that fails: reported, never stops the run
    broken.write_bytes(b"1\n00:00:01,000 --> 00:00:0\x00\xff\xfe garbage \x00\n" * 3)
    generated.append(broken)
    return sorted(SAMPLES.iterdir()) + generated


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Tiny real Argos packages en->es, en->fr and es->en (es->fr pivots)."""
    root = tmp_path_factory.mktemp("models")
    packages = root / "packages"
    for seed, (a, b) in enumerate([("en", "es"), ("en", "fr"), ("es", "en")]):
        install_package(build_argos_package(root, from_code=a, to_code=b, seed=seed), packages)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARGOS_PACKAGES_DIR", str(packages))
        patch.setenv("SUBLOC_MODELS_DIR", str(root / "none"))
        yield packages


def _options(engine: str, out: Path, executor: str, cache: Path | None = None,
             jobs: int = 1) -> LocalizeOptions:
    return LocalizeOptions(
        targets=TARGETS, engine=engine, engine_options=ARGOS if engine == "argos"
        else EngineOptions(), output_dir=out, use_cache=cache is not None, cache_path=cache,
        jobs=jobs, executor=executor)


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())
            if path.is_file()}


class Reference:
    """A local run's files, written to ``out``; a Ray run writes to the same path (the
    reports name it), after :meth:`clear`."""

    def __init__(self, out: Path, files: dict[str, bytes], result: RunResult, cache: Path,
                 batches: list[tuple[str, list[list[str]]]]) -> None:
        self.out, self.files, self.result, self.cache = out, files, result, cache
        #: Each CTranslate2 batch the run translated: (model folder, its segments' tokens).
        self.batches = batches

    def clear(self) -> Path:
        shutil.rmtree(self.out, ignore_errors=True)
        return self.out


@pytest.fixture(scope="module")
def local_runs(sources: list[Path], models: Path, tmp_path_factory: pytest.TempPathFactory
               ) -> dict[str, Reference]:
    """Each engine's run with ``--executor local`` (the bytes every Ray run must write)."""
    from subloc.engines.argos import LoadedModel

    runs = {}
    submit = LoadedModel._submit
    for engine in ("pseudo", "argos"):
        out = tmp_path_factory.mktemp(f"out-{engine}")
        cache = tmp_path_factory.mktemp("caches") / f"local-{engine}.sqlite3"
        batches: list[tuple[str, list[list[str]]]] = []

        def record(model: LoadedModel, batch: list[list[str]],
                   batches: list[tuple[str, list[list[str]]]] = batches) -> Any:
            batches.append((str(model.package.path), [list(tokens) for tokens in batch]))
            return submit(model, batch)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(LoadedModel, "_submit", record)
            result = localize(sources, _options(engine, out, "local", cache))
        runs[engine] = Reference(out, _files(out), result, cache, batches)
    assert runs["argos"].batches and not runs["pseudo"].batches
    return runs


# --- the shared Ray instance -------------------------------------------------------------


def _guard_outside_network(patch: pytest.MonkeyPatch, tried: list[object]) -> None:
    """Any connection this process opens beyond this machine is refused and recorded."""
    original = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        if self.family != socket.AF_UNIX:
            host = address[0] if isinstance(address, tuple) else address
            try:
                loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = False
            if not loopback:
                tried.append(address)
                raise OSError("tests must not use the network")
        original(self, address)

    patch.setattr(socket.socket, "connect", connect)


@pytest.fixture(scope="module")
def ray_here() -> Iterator[Any]:
    """A Ray instance with 2 CPUs on 127.0.0.1, started as ``--executor ray`` starts one
    (by subloc's executor; the tests' runs then use this process's Ray connection)."""
    if not HAVE_RAY:
        pytest.skip("Ray is not installed: pip install 'subloc[ray]'")
    from subloc.pipeline.ray_executor import RayExecutor

    tried: list[object] = []
    with pytest.MonkeyPatch.context() as patch:
        for name, value in RAY_ENV.items():
            if name != "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER":  # the executor sets it
                patch.setenv(name, value)
        patch.delenv("RAY_ADDRESS", raising=False)
        patch.delenv("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", raising=False)
        with pytest.MonkeyPatch.context() as network:
            _guard_outside_network(network, tried)
            executor = RayExecutor(None, 2)
        import ray

        try:
            assert executor.workers == 2
            assert {node["NodeManagerAddress"] for node in ray.nodes()} == {"127.0.0.1"}
            assert tried == []
            yield ray
        finally:
            executor.close()
            assert not ray.is_initialized()


# --- the tests ---------------------------------------------------------------------------


@needs_ray
@pytest.mark.loopback
@pytest.mark.parametrize("engine", ["pseudo", "argos"])
def test_a_ray_run_writes_the_bytes_a_local_run_writes(
        engine: str, ray_here: Any, sources: list[Path], local_runs: dict[str, Reference],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from subloc.pipeline.ray_executor import ActorPool

    sent: list[tuple[str, list[list[str]]]] = []
    run = ActorPool.run

    def record(pool: ActorPool, method: str, work: list[tuple[Any, ...]]) -> Any:
        if method == "translate_tokens":
            sent.extend((str(package.path), batch) for package, _, batch in work)
        return run(pool, method, work)

    monkeypatch.setattr(ActorPool, "run", record)
    reference = local_runs[engine]
    out = reference.clear()
    progress = Recording()
    cache = tmp_path / "ray.sqlite3"
    result = localize(sources, _options(engine, out, "ray", cache, jobs=2), progress=progress)

    assert _files(out) == reference.files
    # The actors got the very batches the local engine gave CTranslate2, in the same order.
    assert sent == reference.batches
    assert sum(1 for job in result.jobs if job.output) == sum(
        1 for job in reference.result.jobs if job.output) >= 40
    broken = [job for job in result.jobs if job.source.name == "episode19.srt"]
    assert broken and all(job.error is not None for job in broken)  # reported, run went on
    # Progress on the driver, per phase, with the number of workers.
    assert progress.phases[0] == "reading (2 Ray workers)"
    assert progress.phases[-1] == "writing (2 Ray workers)"
    assert "en->es (2 Ray workers)" in progress.phases
    # The cache filled on the driver holds what the local run's holds.
    assert _cache_rows(cache) == _cache_rows(reference.cache)


def _cache_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as db:
        return {table: sorted(db.execute(f"SELECT * FROM {table}").fetchall())
                for table in ("translations", "notes", "scores")}


@needs_ray
@pytest.mark.loopback
def test_a_translation_actor_killed_mid_run_loses_nothing(
        ray_here: Any, sources: list[Path], local_runs: dict[str, Reference],
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """One actor's process is killed (SIGKILL) as soon as it has batches: they are sent to
    the other actor, Ray restarts the dead one, and the run writes the same bytes."""
    from subloc.pipeline import ray_executor

    killed: list[int] = []
    dispatch = ray_executor.ActorPool._dispatch

    def dispatch_then_kill(pool: ray_executor.ActorPool, *args: Any) -> None:
        if not killed:
            pids = pool.pids()  # waits until both actors are up
        dispatch(pool, *args)
        if not killed:
            os.kill(pids[0], signal.SIGKILL)  # its model is loading: mid-batch
            killed.append(pids[0])

    monkeypatch.setattr(ray_executor.ActorPool, "_dispatch", dispatch_then_kill)
    reference = local_runs["argos"]
    out = reference.clear()
    with caplog.at_level(logging.WARNING, logger="subloc.pipeline.ray_executor"):
        result = localize(sources, _options("argos", out, "ray", jobs=2))
    assert killed
    assert "lost a batch" in caplog.text  # a batch really was lost, and sent again
    assert _files(out) == reference.files
    assert [job.error is None for job in result.jobs] == [
        job.error is None for job in reference.result.jobs]


@needs_ray
@pytest.mark.loopback
def test_a_killed_driver_keeps_what_was_translated_and_a_rerun_reuses_it(
        ray_here: Any, sources: list[Path], local_runs: dict[str, Reference],
        tmp_path: Path) -> None:
    """The driver dies after the first batch came back: its translations are in the cache
    already; the rerun asks the engine only for the rest and writes the same bytes."""
    reference = local_runs["argos"]
    out = reference.clear()
    cache = tmp_path / "cache.sqlite3"
    with pytest.raises(Killed):
        localize(sources, _options("argos", out, "ray", cache, jobs=2),
                 progress=Recording(kill_after=1))
    kept = len(_cache_rows(cache)["translations"])
    assert kept > 0

    result = localize(sources, _options("argos", out, "ray", cache, jobs=2))
    hits = sum(stats.cache_hits for stats in result.stats.values())
    assert hits >= kept
    assert sum(stats.translated for stats in result.stats.values()) < sum(
        stats.translated for stats in reference.result.stats.values())
    assert _files(out) == reference.files


@needs_ray
@pytest.mark.loopback
def test_check_on_ray_reports_what_check_here_reports(
        ray_here: Any, local_runs: dict[str, Reference], tmp_path: Path) -> None:
    tracks = tmp_path / "tracks"
    tracks.mkdir()
    for name, data in local_runs["pseudo"].files.items():
        if not name.startswith("report."):
            (tracks / name).write_bytes(data)
    (tracks / "broken.fr.srt").write_bytes(b"\x00\xff not a subtitle \x00")
    targets = sorted(tracks.iterdir())
    out = tmp_path / "qa"
    here = check_files(targets, CheckOptions(output_dir=out))
    files = _files(out)
    assert len(here.results) == len(targets) > 40
    assert json.loads(files["report.json"])["jobs"]
    shutil.rmtree(out)
    runner = CliRunner()
    result = runner.invoke(main, ["check", *map(str, targets), "-o", str(out),
                                  "--executor", "ray", "-q"])
    assert result.exit_code == here.exit_code("error"), result.output
    assert _files(out) == files


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _processes_of(marker: str, folder: Path) -> set[int]:
    """A head node's processes: those whose environment holds ``marker`` or whose command
    line names its ``folder``, and all their descendants (Ray renames its agents and
    workers, and the new name can overwrite the start of their environment)."""
    parents: dict[int, int] = {}
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or entry.name == str(os.getpid()):
            continue
        try:
            stat = (entry / "stat").read_text()
            environ = (entry / "environ").read_bytes()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        pid = int(entry.name)
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] == "Z":
            continue  # a zombie: dead already
        parents[pid] = int(fields[1])
        if marker.encode() in environ.split(b"\0") or str(folder).encode() in command:
            found.add(pid)
    grew = True
    while grew:
        children = {pid for pid, parent in parents.items() if parent in found} - found
        found |= children
        grew = bool(children)
    return found


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture
def head_node() -> Iterator[tuple[str, Path]]:
    """A Ray head node started with ``ray start --head`` on 127.0.0.1 (2 CPUs): its
    address and its temp folder. Stopped afterwards: its processes, found by a marker in their environment
    (``ray stop`` would stop every Ray on this machine, other test runs' included)."""
    if not HAVE_RAY:
        pytest.skip("Ray is not installed: pip install 'subloc[ray]'")
    marker = f"SUBLOC_TEST_RAY_HEAD={uuid.uuid4().hex}"
    port = _free_port()
    temp = tempfile.mkdtemp(prefix="subloc-ray-")  # short: Ray's socket paths must be
    env = {**os.environ, **RAY_ENV, marker.split("=")[0]: marker.split("=")[1]}
    env.pop("RAY_ADDRESS", None)
    ray = shutil.which("ray", path=str(Path(sys.executable).parent)) or "ray"
    try:
        subprocess.run([ray, "start", "--head", "--node-ip-address", "127.0.0.1", "--port",
                        str(port), "--num-cpus", "2", "--include-dashboard=false",
                        "--disable-usage-stats", "--temp-dir", temp],
                       env=env, check=True, capture_output=True, timeout=180)
        yield f"127.0.0.1:{port}", Path(temp)
    finally:
        head = _processes_of(marker, Path(temp))  # all of them, before any is gone
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for pid in head | _processes_of(marker, Path(temp)):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)
            time.sleep(1)
        assert {pid for pid in head if _alive(pid)} == set()
        assert _processes_of(marker, Path(temp)) == set()
        shutil.rmtree(temp, ignore_errors=True)


@needs_ray
@pytest.mark.loopback
def test_a_run_joins_a_head_node_by_address(
        head_node: tuple[str, Path], sources: list[Path], local_runs: dict[str, Reference]
        ) -> None:
    """``subloc localize --executor ray --ray-address 127.0.0.1:PORT`` in a process of its
    own: it runs on that cluster's workers and writes the local run's bytes."""
    address, temp = head_node
    reference = local_runs["pseudo"]
    out = reference.clear()
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("RAY_") and name != "SUBLOC_TEST_RAY_HEAD"}
    env.update(RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=TOKEN)  # what any client of it needs
    run = subprocess.run(
        [sys.executable, "-m", "subloc", "localize", *map(str, sources), "--to", ",".join(
            TARGETS), "--engine", "pseudo", "--no-cache", "-o", str(out), "--executor", "ray",
         "--ray-address", address, "--fail-on", "never"],
        env=env, capture_output=True, text=True, timeout=300)
    # The unreadable file is reported (exit 2, as locally), and only it.
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert run.returncode == 2 and errors, run.stderr
    assert all("episode19.srt" in line for line in errors), run.stderr
    assert _files(out) == reference.files
    # It ran there: the head node's workers wrote their logs in its session folder.
    assert list(temp.glob("session_*/logs/worker-*.out"))


def test_executor_ray_without_ray_is_one_line_and_exit_2(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "ray" else real(name, *a))
    monkeypatch.setitem(sys.modules, "ray", None)  # and `import ray` fails
    source = str(SAMPLES / "harbour_lights.srt")
    for args in (["localize", source, "--to", "es", "--engine", "pseudo", "-o",
                  str(tmp_path / "out"), "--executor", "ray"],
                 ["check", source, "--executor", "ray"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "pip install 'subloc[ray]'" in lines[0], lines
    assert not (tmp_path / "out").exists()


def test_a_broken_ray_install_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    """Ray is found but cannot be imported (a dependency of it is missing)."""
    for name in ("RAY_USAGE_STATS_ENABLED", "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"):
        monkeypatch.setenv(name, "0")  # what the executor sets goes with the test
    real = importlib.util.find_spec
    spec = importlib.util.spec_from_loader("ray", loader=None)
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: spec if name == "ray" else real(name, *a))
    monkeypatch.setitem(sys.modules, "ray", None)
    result = CliRunner().invoke(main, ["localize", str(SAMPLES / "harbour_lights.srt"),
                                       "--to", "es", "--engine", "pseudo", "-o",
                                       str(tmp_path), "--executor", "ray"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'subloc[ray]'" in lines[0], lines

"""Hostile and unlucky inputs, as a hostile user would write them: model packages that try
to escape their folder, target languages that are paths, huge cues."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLES
from subloc.cli import main
from subloc.engines import packages
from subloc.engines.packages import install_file, valid_code
from subloc.errors import InputError, UsageError
from subloc.languages import check_tags
from subloc.pipeline.convert import output_path
from subloc.pipeline.fit import FitLimits, wrap


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def package(path: Path, metadata: dict[str, object], *, extra: bytes = b"",
            encrypt: bool = False) -> Path:
    """A minimal .argosmodel zip with the given metadata (``encrypt`` sets the encryption
    flag of model.bin in the central directory, as an encrypting zip tool would)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("pkg/metadata.json", json.dumps(metadata))
        archive.writestr("pkg/sentencepiece.model", b"spm")
        archive.writestr("pkg/model/model.bin", b"weights" + extra)
    if encrypt:
        data = bytearray(path.read_bytes())
        entry = data.index(b"PK\x01\x02", data.index(b"PK\x01\x02") + 1)
        entry = data.index(b"PK\x01\x02", entry + 1)  # the third entry: model.bin
        data[entry + 8] |= 0x1
        path.write_bytes(bytes(data))
    return path


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A user folder a hostile package would like to move or delete."""
    films = tmp_path / "home" / "editor" / "Films"
    films.mkdir(parents=True)
    (films / "final_cut.srt").write_text("precious")
    return films


@pytest.mark.parametrize("metadata", [
    {"from_code": "en", "to_code": "es/../../../home/editor/Films"},
    {"from_code": "../../../home/editor/Films", "to_code": "es"},
    {"from_code": None, "to_code": "es"},
    {"from_code": "en", "to_code": ""},
    {"from_code": "en", "to_code": ["es"]},
    {"from_code": "en\n", "to_code": "es"},
])
def test_a_package_cannot_install_outside_the_models_folder(
        metadata: dict[str, object], tmp_path: Path, victim: Path) -> None:
    models = tmp_path / "models"
    archive = package(tmp_path / "evil.argosmodel", metadata)
    code, _, stderr = run("models", "install", str(archive))
    with pytest.raises(InputError, match="language code"):
        install_file(archive, models)
    assert code == 2 and "language code" in stderr and "Traceback" not in stderr
    assert (victim / "final_cut.srt").read_text() == "precious"
    assert not models.exists() or not any(p.name.startswith("translate") for p in
                                          models.iterdir())


def test_encrypted_and_damaged_archives_are_refused(tmp_path: Path) -> None:
    good = {"from_code": "en", "to_code": "es"}
    with pytest.raises(InputError, match="encrypted"):
        install_file(package(tmp_path / "enc.argosmodel", good, encrypt=True), tmp_path / "m")
    damaged = package(tmp_path / "crc.argosmodel", good)
    data = bytearray(damaged.read_bytes())
    at = data.index(b"weights")
    data[at] ^= 0xFF  # flip a byte of a stored member: its CRC no longer matches
    damaged.write_bytes(bytes(data))
    with pytest.raises(InputError, match="damaged"):
        install_file(damaged, tmp_path / "m")
    assert not any((tmp_path / "m").glob("translate-*"))


def test_an_archive_larger_than_the_limit_unpacked_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packages, "MAX_UNPACKED", 4096)
    bomb = package(tmp_path / "bomb.argosmodel", {"from_code": "en", "to_code": "es"},
                   extra=b"\0" * 10_000)
    with pytest.raises(InputError, match="unpacks to more than"):
        install_file(bomb, tmp_path / "m")
    assert not any((tmp_path / "m").glob("translate-*"))


def test_a_good_package_installs_under_its_codes(tmp_path: Path) -> None:
    installed = install_file(package(tmp_path / "ok.argosmodel",
                                     {"from_code": "en", "to_code": "zt"}), tmp_path / "m")
    assert installed.path == (tmp_path / "m" / "translate-en_zt").absolute()


@pytest.mark.parametrize("target", ["../../../../X", "es/../../X", "/tmp/x", "es,../y", "..",
                                    "e s", "es-\x1b"])
def test_target_languages_that_are_paths_are_refused(target: str, tmp_path: Path) -> None:
    code, _, stderr = run("localize", str(SAMPLES / "harbour_lights_scene2.vtt"), "--to",
                          target, "--engine", "pseudo", "-o", str(tmp_path / "out"))
    assert code == 2 and "is not a language tag" in stderr
    assert not (tmp_path / "out").exists()


def test_target_languages_from_the_config_file_are_checked_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "subloc.toml").write_text('to = ["es", "../../escaped"]\nengine = "pseudo"\n')
    code, _, stderr = run("localize", str(SAMPLES / "harbour_lights_scene2.vtt"), "-o", "out")
    assert code == 2 and "'../../escaped' is not a language tag" in stderr
    assert not (tmp_path / "out").exists() and not (tmp_path.parent / "escaped").exists()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20), st.text(max_size=20))
def test_no_code_ever_builds_a_path_outside_its_folder(first: str, second: str) -> None:
    root = Path("/srv/subloc/models")
    if valid_code(first) and valid_code(second):
        assert (root / f"translate-{first}_{second}").resolve().parent == root
    try:
        check_tags((first,))
    except UsageError:
        return
    written = output_path(Path("/srv/films/film.srt"), Path("/srv/out"), ".srt", first)
    assert written.resolve().parent == Path("/srv/out")


def test_wrapping_a_huge_single_line_cue_is_fast() -> None:
    text = " ".join(["harbour", "lights,", "and", "we", "sail"] * 200_000)  # ~3 MB
    started = time.process_time()
    assert wrap(text, FitLimits(42, 2), "en") == [text]  # hopeless: left for the QA
    medium = text[:120]
    assert len(wrap(medium, FitLimits(42, 3), "en")) == 3
    assert time.process_time() - started < 5  # quadratic took minutes at 1 MB


@pytest.mark.parametrize("make", ["device", "fifo"])
def test_devices_and_fifos_are_refused_without_hanging(make: str, tmp_path: Path) -> None:
    import os
    import threading

    if make == "device":
        target = "/dev/zero"
    else:
        target = str(tmp_path / "pipe.srt")
        os.mkfifo(target)
    outcome: list[tuple[int, str, str]] = []
    worker = threading.Thread(target=lambda: outcome.append(
        run("convert", target, "--to", "vtt", "-o", str(tmp_path / "out"))), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert outcome, "reading a device or FIFO hung"
    code, _, stderr = outcome[0]
    assert code == 2 and "not a regular file" in stderr and "Traceback" not in stderr


def test_the_size_limit_counts_bytes_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    from subloc.io import read

    monkeypatch.setattr(read, "MAX_INPUT_BYTES", 100)
    big = tmp_path / "big.srt"
    big.write_text("1\n00:00:01,000 --> 00:00:02,000\n" + "x" * 200 + "\n")
    with pytest.raises(InputError, match="larger than any subtitle file"):
        read.load(big)


def _localize_with_cache(cache: Path, out: Path) -> tuple[int, str, str]:
    return run("localize", str(SAMPLES / "harbour_lights_scene2.vtt"), "--to", "fr",
               "--engine", "pseudo", "-o", str(out), "--cache", str(cache),
               "--fail-on", "never")


def test_a_cache_path_that_is_a_user_file_is_refused_and_untouched(tmp_path: Path) -> None:
    film = tmp_path / "film.srt"
    film.write_text("1\n00:00:01,000 --> 00:00:02,000\nHi\n")
    code, _, stderr = _localize_with_cache(film, tmp_path / "out")
    assert code == 2 and "not a subloc translation cache" in stderr
    assert film.read_text() == "1\n00:00:01,000 --> 00:00:02,000\nHi\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["film.srt"]


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "app.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE users (name TEXT)")
    code, _, stderr = _localize_with_cache(other, tmp_path / "out")
    assert code == 2 and "another program's SQLite database" in stderr
    with sqlite3.connect(other) as db:
        assert db.execute("SELECT name FROM sqlite_master").fetchall() == [("users",)]


def test_a_corrupt_cache_is_moved_aside_and_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite3"
    assert _localize_with_cache(cache, tmp_path / "a")[0] == 0
    data = bytearray(cache.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # keep the header, wreck the first page
    cache.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(str(cache) + suffix).unlink(missing_ok=True)
    code, _, stderr = _localize_with_cache(cache, tmp_path / "b")
    assert code == 0 and "was corrupt" in stderr
    assert list(tmp_path.glob("cache.sqlite3.corrupt-*"))


def test_a_read_only_cache_location_degrades_to_no_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from subloc.engines import cache as cache_module

    real = sqlite3.connect

    def read_only(*args: object, **kwargs: object) -> sqlite3.Connection:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(cache_module.sqlite3, "connect", read_only)
    code, _, stderr = _localize_with_cache(tmp_path / "ro" / "cache.sqlite3", tmp_path / "out")
    assert code == 0 and "cannot open the translation cache" in stderr
    assert not list(tmp_path.glob("**/*.corrupt-*"))
    monkeypatch.setattr(cache_module.sqlite3, "connect", real)


def test_a_cache_that_fails_mid_run_turns_itself_off(tmp_path: Path) -> None:
    import sqlite3

    from subloc.engines.cache import TranslationCache

    cache = TranslationCache(tmp_path / "c.sqlite3")
    cache.put_many("e", "en", "fr", [("a", "b")])
    assert cache.get_many("e", "en", "fr", ["a"]) == {"a": "b"}
    assert cache._db is not None
    cache._db.close()  # as good as a vanished disk: every statement now fails
    cache._db = sqlite3.connect(":memory:")  # no translations table: an OperationalError
    assert cache.get_many("e", "en", "fr", ["a"]) == {}
    cache.put_many("e", "en", "fr", [("c", "d")])
    assert len(cache.warnings) == 1 and "stopped working" in cache.warnings[0]


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_workers_die_with_their_parent(tmp_path: Path) -> None:
    import os
    import shutil
    import signal
    import subprocess
    import sys

    for index in range(60):
        shutil.copy(SAMPLES / "harbour_lights.srt", tmp_path / f"film{index:02}.srt")
    parent = subprocess.Popen(
        [sys.executable, "-m", "subloc", "localize", str(tmp_path), "--to", "fr,de,es",
         "--engine", "pseudo", "--jobs", "2", "--no-cache", "-o", str(tmp_path / "out"),
         "--fail-on", "never"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2:
        workers = _children(parent.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the worker pool never started"
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() and
                                              "Z" not in Path(f"/proc/{w}/stat").read_text()
                                              .rsplit(")", 1)[1].split()[0] for w in workers):
        time.sleep(0.1)
    alive = [w for w in workers if Path(f"/proc/{w}").exists()
             and Path(f"/proc/{w}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"]
    assert alive == [], f"orphaned workers {alive}"


def _scene_localize(out: Path, *extra: str) -> tuple[int, str, str]:
    return run("localize", str(SAMPLES / "harbour_lights_scene2.vtt"), "--to", "fr,de",
               "--engine", "pseudo", "-o", str(out), "--no-cache", "--fail-on", "never",
               *extra)


def test_stale_temp_files_of_a_crashed_run_are_cleaned(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stale = [out / ".report.json.k3j_x9a2.tmp", out / ".harbour_lights_scene2.fr.vtt.abcdefgh.tmp"]
    for path in stale:
        path.write_text("half a file")
    keep = out / ".notes.tmp"  # not ours: a user's file of similar name stays
    keep.write_text("mine")
    assert _scene_localize(out)[0] == 0
    assert not any(path.exists() for path in stale)
    assert keep.read_text() == "mine"


def test_the_three_reports_carry_one_run_id(tmp_path: Path) -> None:
    import re

    assert _scene_localize(tmp_path / "out")[0] == 0
    run_id = json.loads((tmp_path / "out" / "report.json").read_text())["run_id"]
    assert re.fullmatch(r"[0-9a-f]{16}", run_id)
    assert f'name="run_id" value="{run_id}"' in (tmp_path / "out" / "report.junit.xml").read_text()
    assert f"run {run_id}" in (tmp_path / "out" / "report.html").read_text()
    assert _scene_localize(tmp_path / "other", "--to", "it")[0] == 0
    assert json.loads((tmp_path / "other" / "report.json").read_text())["run_id"] != run_id


def test_a_second_run_into_the_same_folder_fails_at_once(tmp_path: Path) -> None:
    from subloc.io.atomic import output_lock

    out = tmp_path / "out"
    with output_lock(out):  # a first run is writing here
        code, _, stderr = _scene_localize(out)
    assert code == 2 and "another subloc run is writing into this folder" in stderr
    assert list(out.iterdir()) == []
    assert _scene_localize(out)[0] == 0  # once the first run is done, the folder is free


def test_written_files_respect_the_umask(tmp_path: Path) -> None:
    import os
    import stat

    old = os.umask(0o022)
    try:
        assert _scene_localize(tmp_path / "a")[0] == 0
        os.umask(0o077)
        assert _scene_localize(tmp_path / "b")[0] == 0
    finally:
        os.umask(old)
    for name, mode in (("a", 0o644), ("b", 0o600)):
        for path in (tmp_path / name).iterdir():
            assert stat.S_IMODE(path.stat().st_mode) == mode, path


def test_a_full_disk_reports_every_failed_track_and_the_reports(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import os

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("subloc.io.atomic.os.replace", full)
    code, _, stderr = _scene_localize(tmp_path / "out")
    lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert code == 2
    assert len(lines) == 3, stderr  # two tracks and the reports, each on its own line
    assert all("No space left on device" in line for line in lines)
    assert any("harbour_lights_scene2.fr.vtt" in line for line in lines)
    assert any("harbour_lights_scene2.de.vtt" in line for line in lines)
    assert any("report.json" in line for line in lines)
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")]

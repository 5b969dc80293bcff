"""Reruns reuse finished jobs: only what changed runs again, and what did not change is
not even read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from subloc.cli import main
from subloc.pipeline.localize import LocalizeOptions, localize


@pytest.fixture
def films(tmp_path: Path) -> Path:
    folder = tmp_path / "films"
    folder.mkdir()
    for name in ("harbour_lights_scene2.vtt", "harbour_lights_scene3.ass"):
        shutil.copy(SAMPLES / name, folder / name)
    return folder


def options(tmp_path: Path, **changes: object) -> LocalizeOptions:
    base = {"targets": ("fr", "de"), "engine": "pseudo", "output_dir": tmp_path / "out",
            "cache_path": tmp_path / "cache.sqlite3"}
    base.update(changes)
    return LocalizeOptions(**base)  # type: ignore[arg-type]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_rerun_reuses_every_job_and_writes_the_same_bytes(films: Path,
                                                              tmp_path: Path) -> None:
    sources = sorted(films.iterdir())
    first = localize(sources, options(tmp_path))
    before = snapshot(tmp_path / "out")
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()}
    second = localize(sources, options(tmp_path))
    assert all(job.reused for job in second.jobs) and not any(j.reused for j in first.jobs)
    assert snapshot(tmp_path / "out") == before
    # Nothing changed, so not even the reports were rewritten.
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()} == stamps
    assert second.report.run_id == first.report.run_id
    assert [len(j.issues) for j in second.jobs] == [len(j.issues) for j in first.jobs]
    assert second.exit_code("never") == 0


def test_only_what_changed_runs_again(films: Path, tmp_path: Path) -> None:
    sources = sorted(films.iterdir())
    localize(sources, options(tmp_path))
    vtt = films / "harbour_lights_scene2.vtt"
    vtt.write_text(vtt.read_text().replace("Maggie", "Margaret", 1))
    result = localize(sources, options(tmp_path))
    rerun = {(j.source.name, j.target_lang) for j in result.jobs if not j.reused}
    assert rerun == {("harbour_lights_scene2.vtt", "fr"), ("harbour_lights_scene2.vtt", "de")}
    assert "Margaret" in (tmp_path / "out" / "harbour_lights_scene2.fr.vtt").read_text() or \
        "Màŕĝàŕéţ" in (tmp_path / "out" / "harbour_lights_scene2.fr.vtt").read_text()


def test_an_edited_or_deleted_output_is_written_again(films: Path, tmp_path: Path) -> None:
    sources = sorted(films.iterdir())
    localize(sources, options(tmp_path))
    track = tmp_path / "out" / "harbour_lights_scene3.de.ass"
    good = track.read_bytes()
    track.write_text("tampered")
    (tmp_path / "out" / "harbour_lights_scene2.fr.vtt").unlink()
    result = localize(sources, options(tmp_path))
    assert track.read_bytes() == good
    assert (tmp_path / "out" / "harbour_lights_scene2.fr.vtt").is_file()
    assert sum(1 for j in result.jobs if not j.reused) == 2


@pytest.mark.parametrize("change", ["glossary", "profile", "fix", "no-cache", "format"])
def test_a_change_in_what_decides_the_output_runs_the_jobs_again(
        change: str, films: Path, tmp_path: Path) -> None:
    sources = sorted(films.iterdir())
    glossary = tmp_path / "en-fr.csv"
    glossary.write_text("source,target,type,case_sensitive,note\nharbour,port,term,false,\n")
    localize(sources, options(tmp_path, glossaries=(glossary,)))
    changed = {"fix": {"fix": False}, "no-cache": {"use_cache": False},
               "format": {"output_format": "srt"}, "profile": {"profile": "bbc"},
               "glossary": {}}[change]
    if change == "glossary":
        glossary.write_text(glossary.read_text() + "lights,lumières,term,false,\n")
    result = localize(sources, options(tmp_path, glossaries=(glossary,), **changed))
    assert not any(job.reused for job in result.jobs)


def test_the_summary_says_what_was_reused(films: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["localize", str(films), "--to", "fr", "--engine", "pseudo", "-o", "out",
            "--cache", "cache.sqlite3", "--fail-on", "never"]
    assert CliRunner().invoke(main, args).exit_code == 0
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    assert "2 written (2 unchanged since an earlier run, reused)" in result.stdout

"""Progress of every phase, translation included: what the pipeline tells, and the bar."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest

from conftest import SAMPLES
from subloc.cli.output import TerminalProgress
from subloc.pipeline.localize import LocalizeOptions, localize


class Recorder:
    def __init__(self) -> None:
        self.phases: list[dict[str, object]] = []

    def start(self, phase: str, total: int, unit: str, cached: int = 0) -> None:
        self.phases.append({"phase": phase, "total": total, "unit": unit, "cached": cached,
                            "done": 0, "finished": False})

    def advance(self, done: int = 1) -> None:
        self.phases[-1]["done"] = int(self.phases[-1]["done"]) + done  # type: ignore[call-overload]

    def finish(self) -> None:
        if self.phases:
            self.phases[-1]["finished"] = True


def test_every_phase_reports_done_of_total_and_cache_hits(tmp_path: Path) -> None:
    sources = [SAMPLES / "harbour_lights_scene2.vtt", SAMPLES / "harbour_lights_scene3.ass"]
    options = LocalizeOptions(targets=("fr", "de"), engine="pseudo", output_dir=tmp_path,
                              cache_path=tmp_path / "cache.sqlite3")
    cold = Recorder()
    localize(sources, options, progress=cold)
    names = [p["phase"] for p in cold.phases]
    assert names == ["reading", "en->de", "en->fr", "writing"]
    for phase in cold.phases:
        assert phase["done"] == phase["total"] and phase["finished"]
    assert cold.phases[0]["total"] == 2 and cold.phases[0]["unit"] == "files"
    assert cold.phases[-1]["total"] == 4 and cold.phases[-1]["unit"] == "jobs"
    translated = cold.phases[1]
    assert translated["unit"] == "segments" and int(translated["total"]) > 20  # type: ignore[call-overload]
    assert translated["cached"] == 0
    warm = Recorder()
    elsewhere = dataclasses.replace(options, output_dir=tmp_path / "elsewhere")
    localize(sources, elsewhere, progress=warm)
    # Written elsewhere, the jobs run again but translate nothing: all cache hits.
    assert [(p["total"], p["cached"]) for p in warm.phases[1:3]] == [
        (0, cold.phases[1]["total"]), (0, cold.phases[2]["total"])]
    again = Recorder()
    result = localize(sources, elsewhere, progress=again)
    # The same run again: every job is reused, nothing is read, translated or written.
    assert [(p["phase"], p["total"]) for p in again.phases] == [("reading", 0),
                                                                 ("writing", 0)]
    assert all(job.reused for job in result.jobs) and len(result.jobs) == 4


def test_the_terminal_bar_shows_position_rate_and_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    monkeypatch.setattr("sys.stderr", stream)
    bar = TerminalProgress()
    bar.start("en->es", 40, "segments", cached=12)
    for _ in range(4):
        bar.advance(10)
    bar.finish()
    text = stream.getvalue()
    assert "en->es" in text and "40/40" in text and "12 cached" in text
    assert "segments" in text

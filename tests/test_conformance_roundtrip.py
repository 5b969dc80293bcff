"""Round trip over every file of the public conformance suites (issue 9): for each file
subloc reads and each format it writes, ``load -> save -> load`` keeps the cue count, the
times (within the format's precision) and the displayed text, or a warning names the cue
that changed. No silent loss, and never "cannot read our own output".

Runs ``../shared/conformance/`` (the W3C WebVTT tests, vtt.js, the W3C IMSC tests) and
skips cleanly without it. Prints the number of round trips per suite (``-s``).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from subloc.errors import SublocError
from subloc.io.read import loads
from subloc.io.write import dumps
from subloc.track import Track

CONFORMANCE = Path(__file__).resolve().parents[2] / "shared" / "conformance"
SUITES = {"webvtt-wpt": "*.vtt", "webvtt-vttjs": "*.vtt", "imsc-tests": "*.ttml"}

#: Each writable format: write options, and the time precision in ms it keeps.
TARGETS: dict[str, tuple[dict[str, object], int]] = {
    "srt": ({}, 0), "vtt": ({}, 0), "ass": ({}, 5), "ssa": ({}, 5), "json": ({}, 0),
    "ttml": ({}, 1), "sami": ({}, 0), "microdvd": ({"fps": 25.0}, 21),
    "mpl2": ({}, 50), "tmp": ({}, 1000), "scc": ({"fps": 29.97}, 70),
}
_CUE = re.compile(r"\(cue (\d+)\)")


@cache
def suite_files(suite: str) -> list[Path]:
    folder = CONFORMANCE / suite
    return sorted(folder.rglob(SUITES[suite])) if folder.is_dir() else []


def _text(lines: list[str]) -> str:
    """Displayed text, whitespace collapsed (line layout and space runs are the writer's)."""
    return " ".join(" ".join(lines).split())


def _warned(warnings: list[str]) -> set[int] | None:
    """Cue ids the writer warned about; None when a warning names no cue (whole file)."""
    ids: set[int] = set()
    for warning in warnings:
        found = _CUE.findall(warning)
        if not found:
            return None
        ids.update(int(number) for number in found)
    return ids


def losses(track: Track, target: str) -> list[str]:
    """What a round trip through ``target`` changed without a warning naming the cue."""
    options, precision = TARGETS[target]
    data, warnings = dumps(track, format=target, **options)  # type: ignore[arg-type]
    again = loads(data, path=f"<{target}>", format=target,
                  fps=options.get("fps"))  # type: ignore[arg-type]
    warned = _warned(warnings)
    if warned is None:
        return []  # the writer said what the whole file lost
    before = [cue for cue in track.cues]
    if len(again.cues) != len(before):
        unexplained = [c.id for c in before if c.id not in warned]
        dropped = len(before) - len(again.cues)
        if dropped <= 0 or len(before) - len(unexplained) < dropped:
            return [f"{len(before)} cues became {len(again.cues)}"]
        return []
    problems = []
    for original, copy in zip(before, again.cues, strict=True):
        if original.id in warned:
            continue
        if abs(copy.start_ms - max(original.start_ms, 0)) > precision or \
                abs(copy.end_ms - max(original.end_ms, 0)) > precision:
            problems.append(f"cue {original.id} times {original.start_ms}-{original.end_ms} "
                            f"became {copy.start_ms}-{copy.end_ms}")
        if _text(original.plain_lines) != _text(copy.plain_lines):
            problems.append(f"cue {original.id} text {_text(original.plain_lines)!r} became "
                            f"{_text(copy.plain_lines)!r}")
    return problems


def _read(path: Path) -> Track | None:
    try:
        return loads(path.read_bytes(), path=path)
    except SublocError:
        return None  # a file subloc refuses (the suites hold files browsers reject too)


@pytest.mark.parametrize("suite", sorted(SUITES))
def test_every_suite_file_round_trips_through_every_writer(suite: str) -> None:
    files = suite_files(suite)
    if not files:
        pytest.skip(f"{CONFORMANCE / suite} is not there (see ../shared/conformance)")
    failures: list[str] = []
    trips = 0
    for path in files:
        track = _read(path)
        if track is None or not track.cues:
            continue
        for target in TARGETS:
            if target == "scc" and suite != "imsc-tests":
                continue  # SCC is 32 columns of caption text: covered by the TTML suite
            trips += 1
            try:
                problems = losses(track, target)
            except SublocError as error:
                failures.append(f"{path.relative_to(CONFORMANCE)} -> {target}: cannot read "
                                f"our own output: {error}")
                continue
            if problems:
                failures.append(f"{path.relative_to(CONFORMANCE)} -> {target}: "
                                + "; ".join(problems[:3]))
    print(f"\n{suite}: {trips} round trips, {len(failures)} with an unreported change")
    assert failures == [], "\n".join(failures[:40])

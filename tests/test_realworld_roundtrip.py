"""Writers never write what their own reader cannot read back (issue 9).

For every writable text format: ``loads(dumps(track))`` never raises, keeps the cues and
their times (within the format's precision) and text, or the writer warned about the cue
(``(cue N)`` in a warning). The tracks are the shared generated ones with what real files
bring: empty cues, U+2028/U+2029 in the text, braces, backslashes, blank lines inside a
cue, times before 0 and at 10 h and 100 h, cues that last no time.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategies import lines as text_lines
from subloc.io.read import loads
from subloc.io.write import dumps
from subloc.track import Cue, Track

HOUR = 3_600_000

#: Per format: (write options, start/end tolerance in ms, whether it keeps U+2028 as text,
#: whether it carries positions).
FORMATS: dict[str, tuple[dict[str, object], int, int, bool, bool]] = {
    "srt": ({}, 0, 0, True, True),
    "ass": ({}, 5, 5, True, True),
    "ssa": ({}, 5, 5, True, True),
    "json": ({}, 0, 0, True, True),
    "microdvd": ({"fps": 25.0}, 21, 21, False, False),
    "mpl2": ({}, 50, 50, False, False),
    "tmp": ({}, 500, 500, False, False),
    "sami": ({}, 0, 0, False, False),
}


@st.composite
def cue_lines(draw: st.DrawFn) -> list[str]:
    base = draw(text_lines())
    kind = draw(st.sampled_from(["plain"] * 6 + ["empty", "none", "blank", "separator",
                                                 "braces", "backslash", "blank-inside"]))
    if kind == "empty":
        return [""]
    if kind == "none":
        return []
    if kind == "blank":
        return ["", " "]
    if kind == "separator":
        separator = draw(st.sampled_from(["\u2028", "\u2029"]))
        return [base[0] + separator + "next", *base[1:]]
    if kind == "braces":
        return [base[0] + draw(st.sampled_from([" {}", " {aside}", " }{"])), *base[1:]]
    if kind == "backslash":
        return [base[0] + draw(st.sampled_from([" C:\\new", " \\h", " a\\", " \\{x\\}"]))]
    if kind == "blank-inside":
        return [base[0], "", "after"]
    return base


@st.composite
def real_tracks(draw: st.DrawFn) -> Track:
    time = draw(st.sampled_from([0, 0, 0, 10 * HOUR - 4000, 100 * HOUR - 4000]))
    time += draw(st.integers(0, 5000))
    cues = []
    for number in range(1, draw(st.integers(0, 7)) + 1):
        start = time + draw(st.integers(0, 3000))
        if number == 1 and draw(st.integers(0, 9)) == 0:
            start = -draw(st.integers(1, 2000))  # shifted before the start of the film
        end = start + draw(st.sampled_from([0, 1, 40, 499, 1500, 4000, 6999]))
        align = draw(st.sampled_from([None, None, None, 8]))
        cues.append(Cue(id=number, start_ms=start, end_ms=end, lines=draw(cue_lines()),
                        align=align))
        time = max(end, 0)
    return Track(cues=cues)


def warned_cues(warnings: list[str]) -> tuple[set[int], set[int]]:
    """Ids of the cues the warnings name, and of those they say were not written."""
    named: set[int] = set()
    dropped: set[int] = set()
    for warning in warnings:
        match = re.search(r"\(cue (\d+)\)", warning)
        if match:
            named.add(int(match.group(1)))
            if "not written" in warning:
                dropped.add(int(match.group(1)))
    return named, dropped


def expected_lines(lines: list[str], keeps_separators: bool) -> list[str]:
    if not keeps_separators:
        lines = [part for line in lines for part in re.split("[\u2028\u2029]", line)]
    return lines if any(line.strip() for line in lines) else [""]


def check_round_trip(track: Track, fmt: str) -> None:
    options, start_tolerance, end_tolerance, keeps_separators, positions = FORMATS[fmt]
    data, warnings = dumps(track, format=fmt, **options)  # type: ignore[arg-type]
    back = loads(data, format=fmt)  # never raises
    named, dropped = warned_cues(warnings)
    written = [cue for cue in track.cues if cue.id not in dropped]
    assert len(back.cues) == len(written), (warnings, data.decode("utf-8")[-800:])
    for want, got in zip(written, back.cues, strict=True):
        if want.id in named:
            continue  # the writer said what it changed
        where = (fmt, want, got, warnings)
        assert abs(got.start_ms - want.start_ms) <= start_tolerance, where
        assert abs(got.end_ms - want.end_ms) <= end_tolerance, where
        assert expected_lines(got.lines, True) == expected_lines(want.lines, keeps_separators), \
            where
        if positions:
            assert (got.align or 2) == (want.align or 2), where


ROUND_TRIP = settings(max_examples=120, deadline=None,
                      suppress_health_check=[HealthCheck.too_slow])


@ROUND_TRIP
@given(real_tracks())
def test_srt_round_trip(track: Track) -> None:
    check_round_trip(track, "srt")


@ROUND_TRIP
@given(real_tracks())
def test_ass_round_trip(track: Track) -> None:
    check_round_trip(track, "ass")


@ROUND_TRIP
@given(real_tracks())
def test_ssa_round_trip(track: Track) -> None:
    check_round_trip(track, "ssa")


@ROUND_TRIP
@given(real_tracks())
def test_json_round_trip(track: Track) -> None:
    check_round_trip(track, "json")


@ROUND_TRIP
@given(real_tracks())
def test_microdvd_round_trip(track: Track) -> None:
    check_round_trip(track, "microdvd")


@ROUND_TRIP
@given(real_tracks())
def test_mpl2_round_trip(track: Track) -> None:
    check_round_trip(track, "mpl2")


@ROUND_TRIP
@given(real_tracks())
def test_tmp_round_trip(track: Track) -> None:
    check_round_trip(track, "tmp")


@ROUND_TRIP
@given(real_tracks())
def test_sami_round_trip(track: Track) -> None:
    check_round_trip(track, "sami")

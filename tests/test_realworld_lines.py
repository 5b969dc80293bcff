"""MicroDVD, MPL2, TMPlayer and SAMI as real files have them (issue 9 and issue 10 item 9)."""

from __future__ import annotations

import pytest

from subloc.io.read import loads
from subloc.io.write import dumps
from subloc.track import Cue, Track

HOUR = 3_600_000
OPTIONS: dict[str, dict[str, object]] = {"microdvd": {"fps": 25.0}, "mpl2": {}, "tmp": {},
                                         "sami": {}}


def write(track: Track, fmt: str) -> tuple[str, list[str]]:
    data, warnings = dumps(track, format=fmt, path="out", **OPTIONS[fmt])  # type: ignore[arg-type]
    return data.decode("utf-8"), warnings


def read(text: str, fmt: str) -> Track:
    return loads(text.encode("utf-8"), format=fmt, path="in")


@pytest.mark.parametrize("fmt", ["microdvd", "mpl2", "tmp", "sami"])
@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_line_and_paragraph_separators_become_the_formats_line_break(fmt: str,
                                                                      separator: str) -> None:
    track = Track(cues=[Cue(1, 1000, 3000, [f"One{separator}two", "three"])])
    text, warnings = write(track, fmt)
    assert separator not in text and warnings == []
    assert read(text, fmt).cues[0].lines == ["One", "two", "three"]


@pytest.mark.parametrize(("fmt", "line"), [
    ("microdvd", "{1}{1}25\n{25}{50}Caf\x85 na\u2028ve\x0bx\n"),
    ("mpl2", "[10][20]Caf\x85 na\u2028ve\x0bx\n"),
    ("tmp", "00:00:01:Caf\x85 na\u2028ve\x0bx\n"),
])  # fmt: skip
def test_characters_str_splitlines_would_break_at_are_text(fmt: str, line: str) -> None:
    assert read(line, fmt).cues[0].lines == ["Caf\x85 na\u2028ve\x0bx"]


def test_tmp_hours_over_99_are_a_warning_per_cue_not_an_unreadable_file() -> None:
    track = Track(cues=[Cue(1, 99 * HOUR, 99 * HOUR + 2000, ["Late"]),
                        Cue(2, 99 * HOUR + 3_595_000, 100 * HOUR + 2000, ["Ends too late"]),
                        Cue(3, 100 * HOUR, 100 * HOUR + 2000, ["Too late"])])
    text, warnings = write(track, "tmp")
    assert warnings == [
        "out (cue 2): cue ends at 100:00:02.000, later than TMP can hold (99:59:59); "
        "written ending at 99:59:59",
        "out (cue 3): cue starts at 100:00:00.000, later than TMP can hold (99:59:59); "
        "not written",
    ]
    back = read(text, "tmp")
    assert [(c.start_ms, c.end_ms, c.lines) for c in back.cues] == [
        (99 * HOUR, 99 * HOUR + 2000, ["Late"]),
        (99 * HOUR + 3_595_000, 99 * HOUR + 3_599_000, ["Ends too late"])]


@pytest.mark.parametrize("fmt", ["microdvd", "mpl2"])
def test_long_times_and_a_slash_of_text(fmt: str) -> None:
    track = Track(cues=[Cue(1, 120 * HOUR, 120 * HOUR + 2000, ["/not italic"])])
    text, warnings = write(track, fmt)
    assert len(warnings) == 1 and "'/'" in warnings[0] and "(cue 1)" in warnings[0]
    back = read(text, fmt)
    assert back.cues[0].start_ms == 120 * HOUR and back.cues[0].plain_text == "\u2060/not italic"


@pytest.mark.parametrize("fmt", ["microdvd", "mpl2", "tmp", "sami"])
def test_times_before_zero_and_ends_before_starts_are_warnings(fmt: str) -> None:
    track = Track(cues=[Cue(1, -500, 1000, ["early"]), Cue(2, 3000, 2000, ["backwards"])])
    _, warnings = write(track, fmt)
    assert any("(cue 1)" in w and "before 0" in w for w in warnings)
    assert any("(cue 2)" in w and "ends before it starts" in w for w in warnings)


def test_tmp_one_cue_per_second_is_a_warning() -> None:
    track = Track(cues=[Cue(1, 1000, 1600, ["a"]), Cue(2, 1400, 3000, ["b"])])
    text, warnings = write(track, "tmp")
    assert warnings == ["out (cue 2): TMP holds one cue per second; cue written starting at "
                        "00:00:02"]
    assert [c.start_ms for c in read(text, "tmp").cues] == [1000, 2000]


def test_sami_writes_a_readable_file_for_an_empty_track() -> None:
    for cues in ([], [Cue(1, 1000, 2000, [""])]):
        text, _ = write(Track(cues=cues), "sami")
        assert "<SYNC Start=0>" in text
        track = read(text, "sami")
        assert track.cues == [] and any("no cues" in w for w in track.warnings)


def test_sami_cues_it_cannot_show_are_warnings() -> None:
    track = Track(cues=[Cue(1, 1000, 1000, ["no time"]), Cue(2, 2000, 3000, ["first"]),
                        Cue(3, 2000, 4000, ["same start"])])
    text, warnings = write(track, "sami")
    assert warnings == [
        "out (cue 1): SAMI cannot show a cue that lasts no time; written lasting 1 ms",
        "out (cue 2): SAMI cannot show overlapping cues; cue starts when cue 3 does, so it is "
        "not written",
    ]
    back = read(text, "sami")
    assert [(c.start_ms, c.end_ms, c.lines) for c in back.cues] == [
        (1000, 1001, ["no time"]), (2000, 4000, ["same start"])]


def test_sami_keeps_unicode_spaces_html_does_not_collapse() -> None:
    track = Track(cues=[Cue(1, 1000, 2000, ["全角\u3000スペース"])])
    assert read(write(track, "sami")[0], "sami").cues[0].lines == ["全角\u3000スペース"]


def test_sami_repeated_sync_time_is_a_warning_on_reading() -> None:
    text = ("<SAMI><BODY>\n<SYNC Start=1000><P>one\n<SYNC Start=1000><P>two\n"
            "<SYNC Start=2000><P>&nbsp;\n</BODY></SAMI>\n")
    track = read(text, "sami")
    assert [c.lines for c in track.cues] == [["two"]]
    assert any("the same as the one before" in w for w in track.warnings)

"""SubRip as real files have it (issue 9): each class of file found in the wild, small."""

from __future__ import annotations

import pysubs2
import pytest
import srt

from subloc.errors import ParseError
from subloc.io.read import loads
from subloc.io.write import dumps
from subloc.track import Cue, Track


def read(text: str, **options: object) -> Track:
    return loads(text.encode("utf-8"), format="srt", path="film.srt", **options)  # type: ignore[arg-type]


def view(track: Track) -> list[tuple[int, int, list[str]]]:
    return [(cue.start_ms, cue.end_ms, cue.lines) for cue in track.cues]


def write(track: Track) -> tuple[str, list[str]]:
    data, warnings = dumps(track, format="srt", path="out.srt")
    return data.decode("utf-8"), warnings


# -- empty cues ------------------------------------------------------------------------------


@pytest.mark.parametrize("gap", ["\n", "\n\n", "\n  \n"])
def test_an_empty_cue_is_an_empty_cue_not_the_start_of_the_next_one(gap: str) -> None:
    text = f"1\n00:00:01,000 --> 00:00:02,000\n{gap}2\n00:00:03,000 --> 00:00:04,000\nText\n"
    track = read(text)
    assert view(track) == [(1000, 2000, [""]), (3000, 4000, ["Text"])]
    assert track.warnings == []


def test_an_empty_last_cue() -> None:
    track = read("1\n00:00:01,000 --> 00:00:02,000\nText\n\n2\n00:00:03,000 --> 00:00:04,000\n")
    assert view(track) == [(1000, 2000, ["Text"]), (3000, 4000, [""])]


@pytest.mark.parametrize("empty", [[], [""], ["", "  "]])
def test_subloc_reads_back_the_empty_cues_it_writes(empty: list[str]) -> None:
    track = Track(cues=[Cue(1, 1000, 2000, ["One"]), Cue(2, 3000, 4000, list(empty)),
                        Cue(3, 5000, 6000, ["Three"]), Cue(4, 7000, 8000, list(empty))])
    text, warnings = write(track)
    assert "2\n00:00:03,000 --> 00:00:04,000\n\n3\n" in text  # the format's empty cue
    assert warnings == []
    assert view(read(text)) == [(1000, 2000, ["One"]), (3000, 4000, [""]),
                                (5000, 6000, ["Three"]), (7000, 8000, [""])]
    # Other readers see the same four cues.
    assert [s.content for s in srt.parse(text)] == ["One", "", "Three", ""]
    assert [e.text for e in pysubs2.SSAFile.from_string(text, format_="srt")] == \
        ["One", "", "Three", ""]


# -- spaces, numbers, separators -------------------------------------------------------------


def test_spaces_around_numbers_and_timing_lines_are_allowed() -> None:
    text = ("  1  \n  00:00:01,000 --> 00:00:02,000  \nOne\n \n\t2\n"
            "\t00:00:03,000  -->  00:00:04,000\nTwo\n")
    assert view(read(text)) == [(1000, 2000, ["One"]), (3000, 4000, ["Two"])]


def test_missing_cue_numbers_and_missing_blank_lines_are_tolerated() -> None:
    text = ("00:00:01,000 --> 00:00:02,000\nOne\n\n00:00:03,000 --> 00:00:04,000\nTwo\n"
            "3\n00:00:05,000 --> 00:00:06,000\nThree\n00:00:07,000 --> 00:00:08,000\nFour\n")
    track = read(text)
    assert view(track) == [(1000, 2000, ["One"]), (3000, 4000, ["Two"]),
                           (5000, 6000, ["Three"]), (7000, 8000, ["Four"])]
    assert track.warnings == []


def test_a_number_at_the_end_of_a_cue_is_text() -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nThe answer is\n42\n\n00:00:03,000 --> 00:00:04,000\nX\n"
    assert read(text).cues[0].lines == ["The answer is", "42"]


def test_blank_lines_before_the_text_of_a_stripped_bilingual_file() -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\n\nEnglish only\n\n2\n00:00:03,000 --> 00:00:04,000\nX\n"
    track = read(text)
    assert view(track) == [(1000, 2000, ["English only"]), (3000, 4000, ["X"])]
    assert track.warnings == []


# -- damage: strict error naming its line, or skipped with --lenient --------------------------

GOOD = "1\n00:00:01,000 --> 00:00:02,000\nOne\n\n"
LAST = "\n\n4\n00:00:09,000 --> 00:00:10,000\nFour\n"


def test_a_broken_timing_line_is_named_in_the_error_and_skipped_with_lenient() -> None:
    text = GOOD + "2\n00:00:03,000 -> 00:00:04,000\nTwo" + LAST
    with pytest.raises(ParseError) as caught:
        read(text)
    # The block starts at line 5; the error names the timing line itself, line 6.
    assert caught.value.line == 6
    assert "line 6 '00:00:03,000 -> 00:00:04,000' is not a timing line" in str(caught.value)
    track = read(text, lenient=True)
    assert view(track) == [(1000, 2000, ["One"]), (9000, 10000, ["Four"])]
    assert track.warnings == ["film.srt:6: malformed SRT block starting '2'; skipped"]


def test_a_broken_timing_line_without_number_or_blank_line_is_damage_too() -> None:
    text = GOOD[:-1] + "00:00:03,000 --> 00:00:0x,000\nTwo" + LAST
    with pytest.raises(ParseError) as caught:
        read(text)
    assert caught.value.line == 4
    track = read(text, lenient=True)
    assert view(track) == [(1000, 2000, ["One"]), (9000, 10000, ["Four"])]  # not "One, Two"
    assert track.warnings[0].startswith("film.srt:4: malformed SRT block")


def test_end_before_start_names_the_timing_line() -> None:
    text = GOOD + "  2\n\n00:00:05,000 --> 00:00:04,000\nTwo" + LAST
    with pytest.raises(ParseError) as caught:
        read(text)
    assert caught.value.line == 5  # the stray number, then the timing line (7) below
    text = GOOD + "\n\n  2\n   00:00:05,000 --> 00:00:04,000\nTwo" + LAST
    with pytest.raises(ParseError) as caught:
        read(text)
    assert caught.value.line == 8 and "before it starts" in caught.value.message
    assert view(read(text, lenient=True)) == [(1000, 2000, ["One"]), (9000, 10000, ["Four"])]


def test_stray_text_after_a_blank_line_is_an_error_or_kept_with_lenient() -> None:
    text = GOOD[:-1] + "\nstray\n" + LAST
    with pytest.raises(ParseError) as caught:
        read(text)
    assert caught.value.line == 5
    track = read(text, lenient=True)
    assert track.cues[0].lines == ["One", "stray"]
    assert track.warnings == ["film.srt:5: text after a blank line does not start a new block; "
                              "kept it in the cue above"]


def test_text_before_the_first_cue_and_a_dangling_number() -> None:
    text = "Subtitles by someone\n\n" + GOOD + "2\n"
    with pytest.raises(ParseError) as caught:
        read(text)
    assert caught.value.line == 1
    track = read(text, lenient=True)
    assert view(track) == [(1000, 2000, ["One"])]
    assert [w.split(": ", 1)[0] for w in track.warnings] == ["film.srt:1", "film.srt:7"]


# -- writing ----------------------------------------------------------------------------------


def test_the_writer_says_what_srt_cannot_carry() -> None:
    track = Track(cues=[
        Cue(1, -400, 1000, ["Before the film"]),
        Cue(2, 2000, 3000, ["One", "", "Two"]),
        Cue(3, 4000, 5000, ["<c.yellow>sign</c>", "{\\fad(200,0)}fade"]),
        Cue(4, 6000, 5000, ["backwards"]),
        Cue(5, 7000, 8000, ["00:00:01,000 --> 00:00:02,000"]),
        Cue(6, 9000, 10000, ["line\u2028separator"]),
    ])
    text, warnings = write(track)
    assert warnings == [
        "out.srt (cue 1): SRT cannot carry times before 0 (cue starts at -400 ms); written "
        "from 0",
        "out.srt (cue 2): SRT cannot carry blank lines inside a cue; written without them",
        "out.srt (cue 3): SRT cannot carry <c.yellow>, {\\fad(200,0)}; written without them",
        "out.srt (cue 4): cue ends before it starts; written ending when it starts",
        "out.srt (cue 5): a text line reads as an SRT timing line; written with a word joiner "
        "(U+2060) before it",
    ]
    back = read(text)
    assert view(back) == [
        (0, 1000, ["Before the film"]), (2000, 3000, ["One", "Two"]),
        (4000, 5000, ["sign", "fade"]), (6000, 6000, ["backwards"]),
        (7000, 8000, ["\u206000:00:01,000 --> 00:00:02,000"]),
        (9000, 10000, ["line\u2028separator"]),
    ]

"""WebVTT read as the W3C parser algorithm reads it: one small file per real-world case.

Browsers show these files; subloc must read them in strict mode (the default) without
``--lenient``, skipping with a warning naming the line only what a browser skips.
"""

from __future__ import annotations

import pytest

from subloc.errors import ParseError
from subloc.formats.base import ReadContext
from subloc.formats.vtt import VttFormat, align_from_settings, parse_cue_settings, parse_time
from subloc.io.read import loads
from subloc.io.write import dumps
from subloc.track import Track


def read(text: str, **kwargs: object) -> Track:
    return loads(text.encode("utf-8"), path="t.vtt", **kwargs)  # type: ignore[arg-type]


def reader(text: str) -> tuple[Track, list[str]]:
    """The reader alone, on already decoded text (what io/encoding.py hands it)."""
    ctx = ReadContext(path="t.vtt")
    return VttFormat().read(text, ctx), ctx.warnings


def write(track: Track) -> str:
    data, _ = dumps(track, format="vtt")
    return data.decode("utf-8")


def texts(track: Track) -> list[list[str]]:
    return [cue.lines for cue in track.cues]


def times(track: Track) -> list[tuple[int, int]]:
    return [(cue.start_ms, cue.end_ms) for cue in track.cues]


# -- blocks ----------------------------------------------------------------------------------


def test_a_timing_line_right_after_a_cue_starts_the_next_cue() -> None:
    # As YouTube's downloader writes: no blank line between cues.
    track = read("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nOne\n"
                 "00:00:02.000 --> 00:00:03.000\nTwo\nmore\n00:00:03.000 --> 00:00:04.000\n"
                 "Three\n")
    assert texts(track) == [["One"], ["Two", "more"], ["Three"]]
    assert times(track) == [(1000, 2000), (2000, 3000), (3000, 4000)]
    assert track.warnings == []


def test_no_blank_line_after_the_header_still_reads_the_first_cue() -> None:
    track = read("WEBVTT\n00:00:01.000 --> 00:00:02.000\nFirst\n\n"
                 "00:00:03.000 --> 00:00:04.000\nSecond\n")
    assert texts(track) == [["First"], ["Second"]]
    assert track.header["vtt_header"] == ["WEBVTT"]


def test_header_text_runs_to_the_first_blank_or_timing_line() -> None:
    track = read("WEBVTT - title\nKind: captions\nLanguage: en\n00:00:01.000 --> 00:00:02.000\n"
                 "Hi\n")
    assert track.header["vtt_header"] == ["WEBVTT - title", "Kind: captions", "Language: en"]
    assert texts(track) == [["Hi"]]


def test_identifier_and_lines_of_spaces_follow_the_spec() -> None:
    # A line of spaces is not a blank line: it is an identifier, or part of the text.
    track = read("WEBVTT\n\n \n00:00:01.000 --> 00:00:02.000\nA\n \nB\n\n"
                 "x\n00:00:03.000 --> 00:00:04.000\nC\n \n\n")
    assert [cue.meta.get("vtt_id") for cue in track.cues] == [" ", "x"]
    assert texts(track) == [["A", " ", "B"], ["C"]]  # trailing space-only lines display nothing


def test_stray_text_is_skipped_with_a_warning_naming_its_line_in_strict_mode() -> None:
    track = read("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n\nstray line\nand another\n\n"
                 "1\n2\n00:00:03.000 --> 00:00:04.000\nkept\n")
    assert texts(track) == [["ok"], ["kept"]]
    assert len(track.warnings) == 2
    assert track.warnings[0].startswith("t.vtt:6: ") and "skipped" in track.warnings[0]
    assert track.warnings[1].startswith("t.vtt:9: ")


def test_malformed_timing_is_a_warning_naming_its_line_not_an_error() -> None:
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n\nbad\n00:00:03.000 --> 4\nx\n\n" \
           "00:00:05.000 --> 00:00:06.000\nalso ok\n"
    track = read(text)
    assert texts(track) == [["ok"], ["also ok"]]
    assert len(track.warnings) == 1 and track.warnings[0].startswith("t.vtt:7: malformed")
    assert texts(read(text, lenient=True)) == texts(track)


def test_old_srt_like_arrow_is_skipped_with_its_line() -> None:
    # What tests/test_formats_core.py's test_vtt_malformed_timing_names_its_line reads.
    track = read("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n\n00:00:03.000 -> 4\nbad\n")
    assert texts(track) == [["ok"]]
    assert [w.split(": ", 1)[0] for w in track.warnings] == ["t.vtt:6"]


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_crlf_cr_and_lf_line_breaks(newline: str) -> None:
    text = "WEBVTT\n\nid\n00:00:01.000 --> 00:00:02.000\nA\nB\n\n00:00:03.000 --> 00:00:04.000\nC\n"
    wanted = (texts(read(text)), times(read(text)))
    assert (texts(read(text.replace("\n", newline))), times(read(text.replace("\n", newline)))) \
        == wanted
    track, _ = reader(text.replace("\n", newline))  # the reader alone normalises them too
    assert (texts(track), times(track)) == wanted
    assert track.cues[0].meta["vtt_id"] == "id"


def test_style_after_a_cue_is_ignored_with_a_warning() -> None:
    track = read("WEBVTT\n\nSTYLE\n::cue { color: red }\n\n00:00:01.000 --> 00:00:02.000\nA\n\n"
                 "STYLE\n::cue { color: blue }\n\n00:00:03.000 --> 00:00:04.000\nB\n")
    assert texts(track) == [["A"], ["B"]]
    assert track.header["vtt_blocks"] == ["STYLE\n::cue { color: red }"]
    assert len(track.warnings) == 1 and track.warnings[0].startswith("t.vtt:9: STYLE block")


def test_note_style_region_blocks_and_settings_round_trip_byte_for_byte() -> None:
    text = ("WEBVTT - film\nKind: captions\n\nREGION\nid:fred width:40%\n\nSTYLE\n"
            "::cue(.x) { color: lime }\n\nNOTE before the first cue\n\nfirst\n"
            "00:00:01.000 --> 00:00:02.000 region:fred line:1%% align:end\n"
            "<c.x>Hi</c> &amp; <v Bob>bye</v>\n\nNOTE\ntwo lines\n\n"
            "00:00:03.000 --> 00:00:04.000 align:start align:bogus\n<i>Two</i>\n\n"
            "NOTE trailing\n")
    track = read(text)
    assert track.warnings == []
    assert write(track) == text


def test_a_note_without_a_blank_line_after_it_does_not_swallow_the_cue() -> None:
    track = read("WEBVTT\n\nNOTE a comment\non two lines\n00:00:01.000 --> 00:00:02.000\nA\n")
    assert texts(track) == [["A"]]
    assert track.cues[0].meta["vtt_notes_before"] == ["NOTE a comment\non two lines"]
    assert track.warnings == []


def test_a_style_block_players_ignore_is_still_kept_before_the_first_cue() -> None:
    text = "WEBVTT\n\nSTYLE x\n::cue { color: red }\n\n00:00:01.000 --> 00:00:02.000\nA\n"
    track = read(text)
    assert track.header["vtt_blocks"] == ["STYLE x\n::cue { color: red }"]
    assert write(track) == text


def test_a_cue_ending_before_it_starts_is_kept_with_a_warning() -> None:
    track = read("WEBVTT\n\n00:00:05.000 --> 00:00:04.000\nA\n\n00:00:06.000 --> 00:00:07.000\nB\n")
    assert times(track) == [(5000, 4000), (6000, 7000)]
    assert len(track.warnings) == 1 and track.warnings[0].startswith("t.vtt:3: cue ends")


# -- timestamps ------------------------------------------------------------------------------


def test_one_digit_and_many_digit_hours_and_omitted_hours() -> None:
    track = read("WEBVTT\n\n0:00:01.000 --> 0:00:02.500\nA\n\n"
                 "00:03.000 --> 00:04.000\nB\n\n"
                 "123:00:00.000 --> 123:00:01.000\nC\n")
    assert times(track) == [(1000, 2500), (3000, 4000), (442_800_000, 442_801_000)]
    assert track.warnings == []


@pytest.mark.parametrize("timestamp", ["00:00:60.000", "00:60:00.000", "000:00.000",
                                       "00:00:00.0000", "00:0:00.000", "00:00:00,000",
                                       "1:00.000", "00:00:00.00"])
def test_timestamps_the_spec_refuses_skip_the_cue(timestamp: str) -> None:
    track = read(f"WEBVTT\n\n{timestamp} --> 00:00:01.000\nbad\n\n"
                 "00:00:02.000 --> 00:00:03.000\ngood\n")
    assert texts(track) == [["good"]]
    assert len(track.warnings) == 1 and "t.vtt:3" in track.warnings[0]
    with pytest.raises(ValueError):
        parse_time(timestamp)


def test_settings_may_follow_the_end_time_without_a_space() -> None:
    track = read("WEBVTT\n\n00:00:01.000 --> 00:00:02.000align:start\nA\n")
    assert track.cues[0].align == 1


# -- cue settings ----------------------------------------------------------------------------


@pytest.mark.parametrize("setting", ["line:1%%", "line:bogus", "line:x%", "line:", "line:-",
                                     "line:1.", "line:101%", "line:50%,middle", "size:1%%",
                                     "position:x%", "align:middle", "vertical:up", ":", "line"])
def test_an_invalid_setting_is_ignored_and_the_file_reads_in_strict_mode(setting: str) -> None:
    text = f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000 align:start {setting}\nA\n"
    track = read(text)
    assert track.warnings == []
    assert track.cues[0].align == 1  # bottom left: the valid align:start alone
    assert track.cues[0].meta["vtt_settings"] == f"align:start {setting}"
    assert write(track) == text


def test_a_later_invalid_value_never_overrides_an_earlier_valid_one() -> None:
    track = read("WEBVTT\n\n00:00:01.000 --> 00:00:02.000 align:end align:bogus line:0 "
                 "line:x%\nA\n")
    assert track.cues[0].align == 9
    settings = parse_cue_settings("align:end align:CENTER align: center align:")
    assert settings.align == "end"
    assert parse_cue_settings("align:start align:end").align == "end"  # valid ones do


def test_cue_settings_values_follow_the_spec() -> None:
    settings = parse_cue_settings(
        "vertical:rl line:-2.5,end position:10%,line-right size:42.5% align:left region:r")
    assert (settings.vertical, settings.line, settings.snap_to_lines, settings.line_align) == \
        ("rl", -2.5, True, "end")
    assert (settings.position, settings.position_align, settings.size, settings.align) == \
        (10.0, "line-right", 42.5, "left")
    assert settings.region is None  # no REGION block defines "r"
    assert parse_cue_settings("region:r", ["r"]).region == "r"
    assert parse_cue_settings("line:25%").snap_to_lines is False
    assert align_from_settings("line:25% align:right") == 9
    assert align_from_settings("line:50%") == 5
    assert align_from_settings("line:-1") is None


# -- characters --------------------------------------------------------------------------------


def test_nul_becomes_the_replacement_character() -> None:
    text = "WEBVTT\n\n\x00 id\n00:00:01.000 --> 00:00:02.000\ntext\x003\n\n" \
           "00:00:01.000 --> 00:00:02.000 align:end\x00\nB\n"
    track, warnings = reader(text)
    assert warnings == []
    assert track.cues[0].meta["vtt_id"] == "\ufffd id"
    assert texts(track) == [["text\ufffd3"], ["B"]]
    assert track.cues[1].align is None  # "end\ufffd" is no alignment
    # End to end with the encoding given (detection refuses NUL bytes: see io/encoding.py).
    assert texts(read(text, encoding="utf-8")) == texts(track)


def test_form_feed_is_whitespace_and_vertical_tab_is_not() -> None:
    text = "WEBVTT\n\nff\n\x0c00:00:01.000\x0c-->\x0c00:00:02.000\x0c\nA\n\n" \
           "vt\n\x0b00:00:03.000 --> 00:00:04.000\nB\n"
    track, warnings = reader(text)
    assert texts(track) == [["A"]]
    assert len(warnings) == 1 and warnings[0].startswith("t.vtt:8: malformed")
    assert texts(read(text)) == [["A"]]  # one VT: io/encoding.py lets it through


# -- signature -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["WEBVTTX\n\n00:00:01.000 --> 00:00:02.000\nA\n",
                                  "WEBVTT\u00a0\n\n00:00:01.000 --> 00:00:02.000\nA\n",
                                  "WEBVT\n\n00:00:01.000 --> 00:00:02.000\nA\n",
                                  "\n\nWEBVTT\n", "", "  \n"])
def test_a_file_without_the_signature_is_not_webvtt(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        VttFormat().read(text, ReadContext(path="t.vtt"))
    assert caught.value.line == 1 and "not a WebVTT file" in str(caught.value)
    if text.strip():
        with pytest.raises(ParseError):
            read(text)
        with pytest.raises(ParseError):
            read(text, lenient=True)


@pytest.mark.parametrize("text", ["WEBVTT", "WEBVTT\n", "WEBVTT \n", "WEBVTT\t",
                                  "\ufeffWEBVTT\n", "WEBVTT 00:00:00.000 --> 00:00:01.000\nA\n"])
def test_a_signature_alone_is_a_valid_file_without_cues(text: str) -> None:
    track, warnings = reader(text)
    assert track.cues == [] and warnings == []

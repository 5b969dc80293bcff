"""SRT, WebVTT, ASS/SSA and pysubs2 JSON: reading, writing, round trips."""

from __future__ import annotations

import textwrap

import pysubs2
import pytest
import srt
import webvtt
from hypothesis import given, settings

from strategies import cue_view, tracks
from subloc.errors import ParseError
from subloc.io.read import loads
from subloc.io.write import dumps
from subloc.track import Cue, Track


def read(text: str, **kwargs: object) -> Track:
    return loads(text.encode("utf-8"), **kwargs)  # type: ignore[arg-type]


def write(track: Track, fmt: str, **kwargs: object) -> str:
    data, _warnings = dumps(track, format=fmt, **kwargs)  # type: ignore[arg-type]
    return data.decode("utf-8")


SRT = textwrap.dedent("""\
    1
    00:00:01,000 --> 00:00:02,500
    {\\an8}<i>Hello</i> there,

    2
    00:00:03,000 --> 00:00:04,000
    - Where were you?
    - At the <b>harbour</b>.

    """)


def test_srt_reads_times_text_alignment() -> None:
    track = read(SRT, path="a.srt")
    assert track.format == "srt"
    assert [(c.id, c.start_ms, c.end_ms) for c in track.cues] == [(1, 1000, 2500), (2, 3000, 4000)]
    assert track.cues[0].lines == ["<i>Hello</i> there,"]
    assert track.cues[0].align == 8
    assert track.cues[1].lines == ["- Where were you?", "- At the <b>harbour</b>."]


def test_srt_write_is_the_input_again() -> None:
    assert write(read(SRT), "srt") == SRT


def test_srt_malformed_block_names_its_line() -> None:
    broken = SRT + "3\n00:00:05,000 -> oops\nBroken\n\n4\n00:00:07,000 --> 00:00:08,000\nOk\n"
    with pytest.raises(ParseError) as caught:
        read(broken, path="film.srt")
    assert caught.value.line == 11  # the broken timing line itself
    assert str(caught.value).startswith("film.srt:11: malformed SRT block")
    assert "--lenient" in str(caught.value)


def test_srt_lenient_skips_the_block_with_a_warning_naming_the_line() -> None:
    broken = SRT + "3\n00:00:05,000 -> oops\nBroken\n\n4\n00:00:07,000 --> 00:00:08,000\nOk\n"
    track = read(broken, path="film.srt", lenient=True)
    assert [c.lines for c in track.cues][-1] == ["Ok"]
    assert len(track.cues) == 3
    assert any(w.startswith("film.srt:11:") and "skipped" in w for w in track.warnings)


def test_srt_end_before_start_is_an_error_with_the_timing_line() -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nA\n\n2\n00:00:05,000 --> 00:00:04,000\nB\n"
    with pytest.raises(ParseError) as caught:
        read(text, path="x.srt")
    assert caught.value.line == 6
    assert "before it starts" in str(caught.value)
    lenient = read(text, path="x.srt", lenient=True)
    assert [c.lines for c in lenient.cues] == [["A"]]


def test_srt_out_of_order_cues_are_kept_in_order_with_a_warning() -> None:
    text = "1\n00:00:05,000 --> 00:00:06,000\nA\n\n2\n00:00:01,000 --> 00:00:02,000\nB\n"
    track = read(text, path="x.srt")
    assert [c.lines[0] for c in track.cues] == ["A", "B"]
    assert any("x.srt:6" in w and "out of order" in w for w in track.warnings)


def test_srt_crlf_and_cr_line_endings() -> None:
    for newline in ("\r\n", "\r"):
        track = loads(SRT.replace("\n", newline).encode())
        assert cue_view(track) == cue_view(read(SRT))


def test_srt_detected_from_content_whatever_the_extension() -> None:
    assert read(SRT, path="notes.txt").format == "srt"


@settings(max_examples=60, deadline=None)
@given(tracks())
def test_srt_round_trip_and_srt_library_parses_our_output(track: Track) -> None:
    text = write(track, "srt")
    parsed = list(srt.parse(text))
    assert len(parsed) == len(track.cues)
    again = read(text)
    assert cue_view(again) == cue_view(track)


VTT = textwrap.dedent("""\
    WEBVTT - scene

    STYLE
    ::cue(.yellow) { color: yellow; }

    NOTE a note before the first cue

    sign
    00:00:01.000 --> 00:00:02.000 line:0 align:center
    <c.yellow>PIER</c> &amp; <i>SIGN</i>

    00:00:02.500 --> 00:01:03.000
    <v Maggie>Is 5 &lt; 6?

    NOTE trailing
    """)


def test_vtt_reads_settings_voice_entities_and_writes_them_back_unchanged() -> None:
    track = read(VTT, path="a.vtt")
    first, second = track.cues
    assert first.align == 8 and first.meta["vtt_id"] == "sign"
    assert first.lines == ["<c.yellow>PIER</c> & <i>SIGN</i>"]
    assert first.plain_text == "PIER & SIGN"
    assert second.speaker == "Maggie" and second.lines == ["Is 5 < 6?"]
    assert write(track, "vtt") == VTT


def test_vtt_malformed_timing_is_skipped_with_a_warning_naming_its_line() -> None:
    # A browser skips the block and shows the rest: so does subloc, and says so.
    track = read("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n\n00:00:03.000 -> 4\nbad\n",
                 path="b.vtt")
    assert [c.lines for c in track.cues] == [["ok"]]
    assert track.warnings[0].startswith("b.vtt:6: ")


@settings(max_examples=60, deadline=None)
@given(track=tracks())
def test_vtt_round_trip_and_webvtt_py_parses_our_output(track: Track, tmp_path_factory: pytest.TempPathFactory) -> None:
    text = write(track, "vtt")
    path = tmp_path_factory.mktemp("vtt") / "out.vtt"
    path.write_text(text, encoding="utf-8")
    assert len(webvtt.read(str(path))) == len(track.cues)
    assert cue_view(read(text)) == cue_view(track)


def test_srt_to_vtt_positions_top_cues_with_line_setting() -> None:
    text = write(read(SRT), "vtt")
    assert "00:00:01.000 --> 00:00:02.500 line:0\n<i>Hello</i> there," in text
    assert "{\\an8}" not in text


ASS = textwrap.dedent("""\
    [Script Info]
    ScriptType: v4.00+
    PlayResX: 1920
    PlayResY: 1080

    [V4+ Styles]
    Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
    Style: Default,Arial,48,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,10,10,10,1
    Style: Song,Arial,48,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,-1,0,0,100,100,0,0,1,2,2,2,10,10,10,1
    Style: Sign,Arial,40,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,-1,0,0,0,100,100,0,0,1,2,2,8,10,10,10,1

    [Events]
    Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
    Comment: 0,0:00:00.00,0:00:00.50,Default,,0,0,0,,a note for the typesetter
    Dialogue: 0,0:00:01.00,0:00:02.50,Song,Radio,0,0,0,,♪ Sail away ♪
    Dialogue: 1,0:00:03.00,0:00:04.00,Default,Ruth,0,0,20,,{\\fad(200,0)}Say {\\i1}never{\\i0}.\\NPlease.
    Dialogue: 0,0:00:05.00,0:00:06.00,Sign,,0,0,0,,PIKE'S DINER
    Dialogue: 0,0:00:07.00,0:00:08.00,Default,,0,0,0,,{\\an8}{\\c&H00FFFF&}Yellow{\\c} top
    """)


def test_ass_to_canonical_makes_style_formatting_explicit() -> None:
    track = read(ASS, path="a.ass")
    song, ruth, sign, top = track.cues
    assert song.lines == ["<i>♪ Sail away ♪</i>"] and song.speaker == "Radio"
    assert ruth.lines == ["{\\fad(200,0)}Say <i>never</i>.", "Please."]
    assert sign.lines == ["<b>PIKE'S DINER</b>"] and sign.align == 8
    assert top.align == 8 and top.lines == ['<font color="#ffff00">Yellow</font> top']


def test_ass_written_from_ass_keeps_events_styles_and_comments() -> None:
    original = pysubs2.SSAFile.from_string(ASS)
    again = pysubs2.SSAFile.from_string(write(read(ASS), "ass"))
    assert [(e.type, e.start, e.end, e.style, e.name, e.layer, e.marginv, e.text)
            for e in again.events] == [
        (e.type, e.start, e.end, e.style, e.name, e.layer, e.marginv, e.text)
        for e in original.events]
    assert set(again.styles) == set(original.styles)
    assert again.info["PlayResX"] == "1920"


def test_ass_to_srt_keeps_italics_bold_colour_and_position() -> None:
    text = write(read(ASS), "srt")
    assert "<i>♪ Sail away ♪</i>" in text
    assert "Say <i>never</i>.\nPlease." in text
    assert "{\\an8}<b>PIKE'S DINER</b>" in text
    assert '{\\an8}<font color="#ffff00">Yellow</font> top' in text
    assert "fad" not in text


@settings(max_examples=60, deadline=None)
@given(tracks())
def test_ass_round_trip(track: Track) -> None:
    # ASS stores centiseconds: compare at that resolution.
    for cue in track.cues:
        cue.start_ms, cue.end_ms = cue.start_ms // 10 * 10, cue.end_ms // 10 * 10
    assert cue_view(read(write(track, "ass"))) == cue_view(track)


def test_ssa_and_json_round_trip() -> None:
    track = read(ASS)
    for fmt in ("ssa", "json"):
        again = read(write(track, fmt))
        assert again.format == fmt
        assert cue_view(again) == cue_view(track)


def test_canonical_tags_stay_balanced_after_ass_conversion() -> None:
    cue = Cue(id=1, start_ms=0, end_ms=1000, lines=["{\\i1}open to the end"])
    track = Track(cues=[cue])
    again = read(write(track, "ass"))
    assert again.cues[0].lines == ["<i>open to the end</i>"]


def test_srt_blank_line_inside_a_cue_is_strict_error_and_lenient_keep() -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nFirst line\n\nstray text\n"
    with pytest.raises(ParseError) as caught:
        read(text, path="s.srt")
    assert caught.value.line == 5
    track = read(text, path="s.srt", lenient=True)
    assert track.cues[0].lines == ["First line", "stray text"]
    assert any(w.startswith("s.srt:5:") for w in track.warnings)

"""ASS/SSA and pysubs2 JSON as real files have them (issue 9), each class in a small file."""

from __future__ import annotations

import json

import pysubs2
import pytest

from subloc.errors import ParseError
from subloc.formats.ass import ass_to_canonical, split_block
from subloc.io.read import loads
from subloc.io.write import dumps
from subloc.track import Cue, Track

HEAD = """[Script Info]
ScriptType: v4.00+
PlayResX: 1920
PlayResY: 1080

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,48,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,10,10,10,1
Style: Song,Arial,48,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,-1,0,0,100,100,0,0,1,2,2,2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
"""
#: The line of the first event in a file that starts with HEAD.
FIRST = HEAD.count("\n") + 1


def event(text: str, start: str = "0:00:01.00", end: str = "0:00:02.00", style: str = "Default",
          kind: str = "Dialogue") -> str:
    return f"{kind}: 0,{start},{end},{style},,0,0,0,,{text}\n"


def read(text: str, fmt: str = "ass", **options: object) -> Track:
    return loads(text.encode("utf-8"), format=fmt, path="film." + fmt, **options)  # type: ignore[arg-type]


def write(track: Track, fmt: str = "ass") -> tuple[str, list[str]]:
    data, warnings = dumps(track, format=fmt, path="out." + fmt)
    return data.decode("utf-8"), warnings


def events(text: str) -> list[str]:
    return [line.split(",", 9)[9] for line in text.splitlines() if line.startswith("Dialogue:")]


# -- override tags as libass parses them ------------------------------------------------------


@pytest.mark.parametrize("tags", [
    "{\\clip(0,0,960,540)}", "{\\iclip(0,0,960,540)}", "{\\clip(1,m 0 0 l 10 0 10 10)}",
    "{\\t(0,500,\\c&H0000FF&\\fscx120)}", "{\\move(10,20,30,40,0,500)}", "{\\org(960,540)}",
    "{\\fad(200,0)\\blur2\\bord3\\shad1\\fscx110\\frz5}", "{\\kf100}", "{\\K50}", "{\\ko20}",
    "{\\k30}", "{\\zzunknown5}",
])  # fmt: skip
def test_other_override_tags_are_kept_for_ass_and_dropped_elsewhere(tags: str) -> None:
    source = HEAD + event(tags + "Hello")
    track = read(source)
    assert track.cues[0].lines == [tags + "Hello"]
    assert track.cues[0].plain_text == "Hello"
    assert events(write(track)[0]) == [tags + "Hello"]
    srt_text, warnings = write(track, "srt")
    assert "Hello" in srt_text and "\\" not in srt_text
    assert warnings == [f"out.srt (cue 1): SRT cannot carry {tags}; written without them"]


def test_clip_is_not_a_colour_and_does_not_make_the_file_unreadable() -> None:
    for lenient in (False, True):
        track = read(HEAD + event("{\\clip(0,0,100,100)}Hi"), lenient=lenient)
        assert track.cues[0].lines == ["{\\clip(0,0,100,100)}Hi"] and track.warnings == []


def test_tag_names_are_matched_as_libass_matches_them() -> None:
    assert [(t.name, t.args) for t in split_block("\\clip(1,2,3,4)\\c255\\kf100\\fnArial")[1]] == [
        ("clip", ("1", "2", "3", "4")), ("c", ("255",)), ("kf", ("100",)), ("fn", ("Arial",))]
    assert [(t.name, t.args) for t in split_block("\\t(0,500,\\c&HFF&)\\bord2")[1]] == [
        ("t", ("0", "500", "\\c&HFF&")), ("bord", ("2",))]
    # \c255 is hexadecimal to libass (and VSFilter): BGR 0x000255.
    assert ass_to_canonical("{\\c255}x") == (['<font color="#550200">x</font>'], None)


def test_whitespace_inside_an_override_block_is_allowed() -> None:
    track = read(HEAD + event("{   \\kf100}ka{ \\kf50 }ra{\\i1 }ke"))
    assert track.cues[0].plain_text == "karake"
    assert track.cues[0].lines == ["{\\kf100}ka{\\kf50 }ra<i>ke</i>"]


def test_bold_italic_underline_values_as_libass_reads_them() -> None:
    song = pysubs2.SSAStyle(italic=True)
    assert ass_to_canonical("a{\\i0}b{\\i}c", song)[0] == ["<i>a</i>b<i>c</i>"]
    assert ass_to_canonical("{\\b700}a{\\b400}b{\\b7}c")[0] == ["<b>a</b>bc"]
    assert ass_to_canonical("{\\an8}{\\an2}{\\a6}x")[1] == 8  # the first one counts
    assert ass_to_canonical("{\\a6}x")[1] == 8


def test_drawings_are_kept_for_ass_and_never_shown_as_text() -> None:
    text = "{\\p1}m 0 0 l 100 0 100 100{\\p0}Sign"
    track = read(HEAD + event(text))
    assert track.cues[0].plain_text == "Sign"
    assert events(write(track)[0]) == [text]


# -- braces and comments ----------------------------------------------------------------------


def test_comments_and_empty_blocks_survive_ass_to_ass() -> None:
    text = "a{}b{TL note: pun}c{   }d"
    track = read(HEAD + event(text))
    assert track.cues[0].plain_text == "abcd"
    assert events(write(track)[0]) == [text]


def test_literal_braces_are_written_as_libass_escapes_and_read_back() -> None:
    track = Track(cues=[Cue(1, 1000, 2000, ["a {b} c", "x}{y"])])
    text, warnings = write(track)
    assert events(text) == ["a \\{b\\} c\\Nx\\}\\{y"] and warnings == []
    assert read(text).cues[0].lines == ["a {b} c", "x}{y"]
    assert events(write(read(text))[0]) == events(text)


def test_a_backslash_ass_would_read_as_an_escape_is_kept_apart_with_a_warning() -> None:
    track = Track(cues=[Cue(1, 1000, 2000, ["C:\\new"])])
    text, warnings = write(track)
    assert events(text) == ["C:\\\u2060new"]
    assert warnings == ["out.ass (cue 1): ASS reads a backslash before N, n, h or a brace as a "
                        "line break, space or literal brace; written with a word joiner (U+2060) "
                        "after it"]
    assert read(text).cues[0].plain_text == "C:\\\u2060new"


# -- times ------------------------------------------------------------------------------------


def test_a_negative_start_is_clamped_with_a_warning_naming_the_cue() -> None:
    track = read(HEAD + event("early", start="-0:00:01.00"))
    assert (track.cues[0].start_ms, track.cues[0].end_ms) == (0, 2000)
    assert track.warnings == [f"film.ass:{FIRST} (cue 1): event starts at -0:00:01.00, before "
                              "0:00:00.00; read as starting at 0"]
    _, warnings = write(Track(cues=[Cue(1, -500, 1000, ["early"])]))
    assert warnings == ["out.ass (cue 1): Advanced SubStation Alpha cannot carry times before 0 "
                        "(cue starts at -500 ms); written from 0"]


@pytest.mark.parametrize("fmt", ["ass", "ssa"])
def test_ten_hours_and_later_are_written_with_a_warning_never_clamped(fmt: str) -> None:
    ten = 10 * 3_600_000
    track = Track(cues=[Cue(1, ten, ten + 1500, ["Broadcast"]),
                        Cue(2, 100 * 3_600_000, 100 * 3_600_000 + 1000, ["Too late"]),
                        Cue(3, 99 * 3_600_000, 100 * 3_600_000 + 1000, ["Ends too late"])])
    text, warnings = write(track, fmt)
    assert "10:00:00.00,10:00:01.50" in text and "Too late" not in text
    assert len(warnings) == 4 and all(f"(cue {n})" in w for n, w in zip([1, 2, 3, 3], warnings, strict=True))
    assert "not written" in warnings[1]
    assert [(c.start_ms, c.end_ms) for c in read(text, fmt).cues] == [
        (ten, ten + 1500), (99 * 3_600_000, 359_999_990)]


# -- damage: a ParseError naming its line, or skipped with --lenient ---------------------------


def test_a_bad_timestamp_names_its_line_and_is_skipped_with_lenient() -> None:
    text = HEAD + event("One") + event("Two", start="0:00:0x.00") + event("Three")
    with pytest.raises(ParseError) as caught:
        read(text)
    assert caught.value.line == FIRST + 1 and "0:00:0x.00" in caught.value.message
    track = read(text, lenient=True)
    assert [c.lines for c in track.cues] == [["One"], ["Three"]]
    assert track.warnings[0].startswith(f"film.ass:{FIRST + 1}: cannot read this line")


def test_a_bad_style_colour_names_its_line_and_is_skipped_with_lenient() -> None:
    text = HEAD.replace("Style: Song,Arial,48,&H00FFFFFF", "Style: Song,Arial,48,&H00FFZZFF")
    text += event("One", style="Song")
    line = text.splitlines().index(next(ln for ln in text.splitlines() if "ZZ" in ln)) + 1
    with pytest.raises(ParseError) as caught:
        read(text)
    assert caught.value.line == line
    track = read(text, lenient=True)
    assert [c.lines for c in track.cues] == [["One"]]  # the style is gone, the cue is not
    assert track.warnings[0].startswith(f"film.ass:{line}: cannot read this line")


def test_a_bad_override_colour_names_its_line_and_is_read_as_libass_with_lenient() -> None:
    text = HEAD + event("One") + event("{\\c&HZZ&}Two")
    with pytest.raises(ParseError) as caught:
        read(text)
    assert caught.value.line == FIRST + 1 and "\\c&HZZ&" in caught.value.message
    track = read(text, lenient=True)
    assert track.cues[1].lines == ['<font color="#000000">Two</font>']
    assert track.warnings == [f"film.ass:{FIRST + 1}: bad colour '\\c&HZZ&'; read as libass "
                              "reads it"]


def test_an_event_that_ends_before_it_starts_is_damage() -> None:
    text = HEAD + event("Backwards", start="0:00:05.00")
    with pytest.raises(ParseError) as caught:
        read(text)
    assert caught.value.line == FIRST
    assert read(text, lenient=True).cues == []


# -- pysubs2 JSON -----------------------------------------------------------------------------


def json_text(indent: int | None = 1, **changes: object) -> str:
    track = Track(cues=[Cue(1, 1000, 2000, ["One"]), Cue(2, 3000, 4000, ["Two"]),
                        Cue(3, 5000, 6000, ["Three"])])
    data = json.loads(write(track, "json")[0])
    for key, value in changes.items():
        data["events"][1][key] = value
    return json.dumps(data, indent=indent)


def test_broken_json_names_its_line() -> None:
    text = json_text()
    broken = text[: text.index('"Two"')] + "Two" + text[text.index('"Two"') + 5 :]
    with pytest.raises(ParseError) as caught:
        read(broken, "json", lenient=True)
    assert caught.value.line == broken[: broken.index("Two")].count("\n") + 1


@pytest.mark.parametrize("change", [{"start": "soon"}, {"end": None}, {"text": 5},
                                    {"colour": "red"}, {"layer": 1.5}])
def test_a_bad_json_event_names_its_line_and_is_skipped_with_lenient(change: dict[str, object]) -> None:
    text = json_text(**change)
    with pytest.raises(ParseError) as caught:
        read(text, "json")
    lines = text.splitlines()
    second = [i for i, line in enumerate(lines, start=1) if line.strip() == "{"][2]
    assert caught.value.line == second and "event 2" in caught.value.message
    track = read(text, "json", lenient=True)
    assert [c.lines for c in track.cues] == [["One"], ["Three"]]
    assert track.warnings[0].startswith(f"film.json:{second}: event 2: ")


def test_json_that_is_not_pysubs2_json() -> None:
    with pytest.raises(ParseError) as caught:
        read('{"cues": []}', "json", lenient=True)
    assert "not pysubs2 JSON" in caught.value.message

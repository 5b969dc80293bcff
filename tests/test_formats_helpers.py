"""The helpers the formats share: clock times, rounding, colours, line formatting, and the
policy for characters XML cannot carry."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from fractions import Fraction
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from subloc import markup
from subloc.formats import _colors
from subloc.formats._lines import writable_lines
from subloc.formats._timing import clock_ms, clock_time, round_half_up, seconds_to_ms
from subloc.formats.ass import canonical_to_ass
from subloc.formats.base import ReadContext, WriteContext
from subloc.formats.srt import parse_timestamp
from subloc.formats.tmp import TmpFormat
from subloc.formats.ttml import TtmlFormat
from subloc.formats.vtt import parse_time
from subloc.io.xmlsafe import INVALID_XML_CHAR, REPLACEMENT_CHAR, replace_invalid_xml_chars
from subloc.track import Cue, Track

HOUR = 3_600_000
#: Up to about 2,800 hours: well past the two-digit hours.
ANY_MS = st.integers(0, 10**10)

# -- clock times -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ms", "separator", "expected"),
    [
        (0, ".", "00:00:00.000"),
        (0, ",", "00:00:00,000"),
        (0, None, "00:00:00"),
        (HOUR - 1, ".", "00:59:59.999"),
        (HOUR - 1, None, "00:59:59"),  # whole seconds: truncated, not rounded
        (HOUR, ",", "01:00:00,000"),
        (3_723_004, ",", "01:02:03,004"),
        (99 * HOUR + HOUR - 1, ".", "99:59:59.999"),
        (100 * HOUR, ".", "100:00:00.000"),  # hours grow past two digits
        (1234 * HOUR + 5, ",", "1234:00:00,005"),
        (-1, ".", "00:00:00.000"),  # negative times are 0
    ],
)
def test_clock_time(ms: int, separator: str | None, expected: str) -> None:
    assert clock_time(ms, separator) == expected


@given(ANY_MS)
def test_clock_ms_inverts_clock_time(ms: int) -> None:
    hours, minutes, rest = clock_time(ms).split(":")
    seconds, millis = rest.split(".")
    assert clock_ms(int(hours), int(minutes), int(seconds), int(millis)) == ms
    assert clock_ms(int(hours), int(minutes), int(seconds)) == ms // 1000 * 1000


@given(ANY_MS)
def test_srt_timestamps_round_trip(ms: int) -> None:
    assert parse_timestamp(clock_time(ms, ",")) == ms


@given(ANY_MS)
def test_vtt_times_round_trip(ms: int) -> None:
    assert parse_time(clock_time(ms)) == ms


@pytest.mark.parametrize("start", [0, 59_999, HOUR - 1001, 100 * HOUR + 1, 123 * HOUR + 456])
def test_ttml_clock_times_round_trip(start: int) -> None:
    track = Track(cues=[Cue(1, start, start + 1000, ["x"])])
    text = TtmlFormat().write(track, WriteContext())
    assert f'begin="{clock_time(start)}"' in text
    again = TtmlFormat().read(text, ReadContext())
    assert [(c.start_ms, c.end_ms) for c in again.cues] == [(start, start + 1000)]


@given(st.integers(0, 100 * 3600 - 2))
def test_tmp_whole_seconds_round_trip(seconds: int) -> None:
    # TMPlayer times have at most two hour digits: 99:59:59 is the last one it reads.
    ms = seconds * 1000
    track = Track(cues=[Cue(1, ms, ms + 1000, ["x"])])
    text = TmpFormat().write(track, WriteContext())
    assert text.startswith(clock_time(ms, None) + ":x\n")
    again = TmpFormat().read(text, ReadContext())
    assert [(c.start_ms, c.end_ms) for c in again.cues] == [(ms, ms + 1000)]


# -- rounding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.5, 1), (1.5, 2), (2.5, 3), (2.4999, 2), (-0.5, 0), (-1.5, -1),
     (Fraction(5, 2), 3), (Fraction(1, 3), 0), (Fraction(-1, 2), 0)],
)
def test_round_half_up(value: float | Fraction, expected: int) -> None:
    assert round_half_up(value) == expected


def test_seconds_to_ms_is_exact_and_rounds_halves_up() -> None:
    assert seconds_to_ms(Fraction(1, 2000)) == 1  # 0.5 ms
    assert seconds_to_ms(Fraction(1001, 30000)) == 33  # one NTSC frame: 33.3667 ms
    assert seconds_to_ms(Fraction(10**12 + 1, 2000)) == 500_000_000_001  # no float error


# -- colours ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("red", "#ff0000"),
        ("Yellow", "#ffff00"),
        ("GREY", "#808080"),
        ("gray", "#808080"),
        ("aqua", "#00ffff"),
        ("cyan", "#00ffff"),
        ("darkgreen", "#006400"),
        ("#F00", "#ff0000"),
        ("#abc", "#aabbcc"),
        ("#A1B2C3", "#a1b2c3"),
        ("a1b2c3", "#a1b2c3"),  # bare six digits
        ("#a1b2c3ff", "#a1b2c3"),  # the alpha of #rrggbbaa is dropped
        ("  #FFFFFF ", "#ffffff"),
        ("'blue'", "#0000ff"),
        ('"#0f0"', "#00ff00"),
    ],
)
def test_normalize_color_understands(value: str, expected: str) -> None:
    assert markup.normalize_color(value) == expected


@pytest.mark.parametrize(
    "value",
    [None, "", " ", "transparent", "chartreuse", "#12", "#1234", "#ggg", "abc", "aabbccdd",
     "#aabbccd", "rgb(255,0,0)", "red;", "#", "' red '", "$0000FF"],
)
def test_normalize_color_refuses(value: str | None) -> None:
    assert markup.normalize_color(value) is None


@given(st.tuples(*[st.integers(0, 255)] * 3))
def test_normalize_color_forms_agree(rgb: tuple[int, int, int]) -> None:
    canonical = _colors.rgb_hex(*rgb)
    digits = canonical[1:]
    for form in (canonical, canonical.upper(), digits, digits.upper(), canonical + "80"):
        assert markup.normalize_color(form) == canonical


@given(st.text(max_size=12))
def test_normalize_color_is_canonical_and_idempotent(value: str) -> None:
    result = markup.normalize_color(value)
    assert result is None or re.fullmatch(r"#[0-9a-f]{6}", result)
    assert markup.normalize_color(result) == result


def test_bgr_conversions() -> None:
    assert _colors.bgr_to_rgb(0x0000FF) == "#ff0000"
    assert _colors.bgr_to_rgb(0x80FF8000) == "#0080ff"  # the ASS alpha byte is ignored
    assert _colors.rgb_to_bgr("#ff8000") == "0080FF"
    assert _colors.rgb_to_bgr("red") == "0000FF"  # any colour normalize_color understands
    assert _colors.rgb_to_bgr("nonsense") is None
    assert _colors.rgb_to_bgr(None) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("$0000FF", "#ff0000"), ("$ff8000", "#0080ff"), ("&H00FF00&", "#00ff00"),
     (" 0000ff ", "#ff0000"), ("$00FF", None), ("red", None), ("$0000FF00", None)],
)
def test_microdvd_color(value: str, expected: str | None) -> None:
    assert _colors.microdvd_color(value) == expected


@pytest.mark.parametrize(
    ("arg", "expected"),
    [("&H0000FF&", "#ff0000"), ("&H800000FF&", "#ff0000"), ("&HFF&", "#ff0000"),
     ("&hff8000", "#0080ff"), ("", None), (" ", None),
     # libass reads what strtol reads: hexadecimal as far as it goes, no digits is black.
     ("&H&", "#000000"), ("255", "#550200"), ("&HZZ&", "#000000"), ("&H0000FFjunk", "#ff0000")],
)
def test_ass_color(arg: str, expected: str | None) -> None:
    assert _colors.ass_color(arg) == expected


@given(st.tuples(*[st.integers(0, 255)] * 3))
def test_bgr_round_trips(rgb: tuple[int, int, int]) -> None:
    color = _colors.rgb_hex(*rgb)
    bgr = _colors.rgb_to_bgr(color)
    assert bgr is not None
    assert _colors.microdvd_color("$" + bgr) == color
    assert _colors.ass_color(f"&H{bgr}&") == color


def test_ass_writes_every_colour_the_normaliser_understands() -> None:
    assert canonical_to_ass(['<font color="red">x</font>'], None) == "{\\c&H0000FF&}x{\\c}"
    assert canonical_to_ass(['<font color="#0f0">x</font>'], None) == "{\\c&H00FF00&}x{\\c}"
    assert canonical_to_ass(['<font color="nope">x</font>'], None) == "x{\\c}"


# -- line formats ----------------------------------------------------------------------------


def test_writable_lines_warns_for_what_the_format_loses_in_order() -> None:
    ctx = WriteContext(path="out")
    cue = Cue(7, 0, 1000, ["<i>all</i>", "", "<b>some</b> of | it", '<font color="red">x</font>'],
              align=8)
    shown = writable_lines("MPL2", cue, ctx, whole_styles={"i"})
    assert [(sorted(lf.whole), text) for lf, text in shown] == [
        (["i"], "all"), ([], "some of ¦ it"), (["#ff0000"], "x")]
    assert ctx.warnings == [
        "out (cue 7): MPL2 cannot carry blank lines in a cue; written without them",
        "out (cue 7): MPL2 cannot carry cue positions (align 8); written at the bottom",
        "out (cue 7): MPL2 cannot carry inline bold; written without them",
        "out (cue 7): MPL2 cannot carry colours; written without them",
        "out (cue 7): MPL2 uses '|' as its line break; '|' in the text written as '¦'",
    ]


def test_writable_lines_keeps_whole_line_colours_when_asked() -> None:
    ctx = WriteContext(path="out")
    cue = Cue(1, 0, 1000, ['<u><font color="#00ff00">x</font></u>'])
    shown = writable_lines("X", cue, ctx, whole_styles=("u",), whole_colors=True)
    assert [sorted(lf.whole) for lf, _ in shown] == [["#00ff00", "u"]]
    assert ctx.warnings == []


def test_writable_lines_of_a_cue_without_text() -> None:
    ctx = WriteContext(path="out")
    assert writable_lines("TMP", Cue(3, 0, 1000, ["<i> </i>", ""]), ctx) == []
    assert ctx.warnings == ["out (cue 3): cue has no text; not written"]


# -- characters XML cannot carry -------------------------------------------------------------


def test_replace_invalid_xml_chars() -> None:
    text = "a\x00b\x08\x0b\x0c\x1f\ud800\udfff\ufffe\uffff\t\n\r"
    assert replace_invalid_xml_chars(text) == ("a\ufffdb" + "\ufffd" * 8 + "\t\n\r", 9)
    valid = "plain \x7f\x85\ud7ff\ue000\ufffd\U0001f600\U0010ffff"
    assert replace_invalid_xml_chars(valid) == (valid, 0)


@given(st.text())
def test_replace_invalid_xml_chars_leaves_parseable_xml(text: str) -> None:
    safe, count = replace_invalid_xml_chars(text)
    assert INVALID_XML_CHAR.search(safe) is None
    assert len(safe) == len(text)
    assert count == sum(a != b for a, b in zip(text, safe, strict=True))
    assert all(b == REPLACEMENT_CHAR for a, b in zip(text, safe, strict=True) if a != b)
    if "\r" not in safe:  # XML parsers normalise line ends
        element = ET.fromstring(f"<a>{escape(safe)}</a>".encode())
        assert (element.text or "") == safe

"""TTML (read/write), EBU STL (read) and SCC (write/read): the formats built on ttconv."""

from __future__ import annotations

import importlib.util
import itertools
import logging
import re
import textwrap
import time
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from subloc import markup
from subloc.errors import ParseError
from subloc.formats._ttconv import (
    RubyGroup,
    Style,
    markup_parts,
    normalize_chars,
    normalize_items,
    render_line,
    render_markup,
    style_runs,
)
from subloc.formats.base import ReadContext, WriteContext
from subloc.formats.scc import SccFormat
from subloc.formats.stl import StlFormat
from subloc.formats.ttml import TtmlFormat
from subloc.track import Cue, Track

DATA = Path(__file__).parent / "data" / "ttconv"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TT = "{http://www.w3.org/ns/ttml}"
TTP = "{http://www.w3.org/ns/ttml#parameter}"


def read_ttml(text: str, path: str = "<memory>") -> tuple[Track, ReadContext]:
    ctx = ReadContext(path=path)
    return TtmlFormat().read(text, ctx), ctx


def write_ttml(track: Track, **options: object) -> tuple[str, WriteContext]:
    ctx = WriteContext(**options)  # type: ignore[arg-type]
    return TtmlFormat().write(track, ctx), ctx


def styled(line: str) -> list[tuple[str, frozenset[str]]]:
    """The visible non-space characters of a canonical line with the tags applying to each."""
    stack: list[str] = []
    out: list[tuple[str, frozenset[str]]] = []
    for token in markup.tokenize(line):
        if token.kind == "open":
            color = markup.font_color(token.raw) if token.name == "font" else None
            stack.append(f"font:{color}" if color else token.name)
        elif token.kind == "close":
            for index in range(len(stack) - 1, -1, -1):
                if stack[index].split(":")[0] == token.name:
                    del stack[index]
                    break
        elif token.kind == "text":
            out.extend((char, frozenset(stack)) for char in token.raw if not char.isspace())
    return out


def assert_same_cues(expected: list[Cue], actual: list[Cue], *, tolerance_ms: float = 0) -> None:
    assert len(actual) == len(expected)
    for want, got in zip(expected, actual, strict=True):
        assert abs(got.start_ms - want.start_ms) <= tolerance_ms, (want, got)
        assert abs(got.end_ms - want.end_ms) <= tolerance_ms, (want, got)
        assert got.plain_lines == want.plain_lines
        assert [styled(line) for line in got.lines] == [styled(line) for line in want.lines]
        assert got.align == want.align
        assert got.speaker == want.speaker


# --------------------------------------------------------------------------------------
# TTML reading


def test_read_styled_fixture() -> None:
    track, ctx = read_ttml((DATA / "styled.ttml").read_text(encoding="utf-8"), "styled.ttml")
    # The third p is in region "top" inside a body in region "bottom": TTML's region
    # association (and ttconv's ISD) shows it in neither region. It used to be read as
    # a top cue; now it is left out, with a warning.
    assert ctx.warnings == [
        "styled.ttml: the paragraph at 17250 ms ('On top underlined') is never shown: it is"
        " in region 'top' inside an element in region 'bottom' (TTML region association);"
        " left out"
    ]
    assert track.format == "ttml"
    assert track.language == "en"
    assert [(c.start_ms, c.end_ms) for c in track.cues] == [
        (11000, 13500),  # begin/end relative to the div's begin (10 s)
        (14000, 16000),  # dur
        (30000, 31000),
    ]
    first, song, whole = track.cues
    # nested spans: bold inside italic; br splits lines; whitespace collapsed
    assert first.lines == ["Hello, <i>my <b>dear</b></i> friend.", "How are you?"]
    assert first.meta["ttml_id"] == "c1"
    # italics inherited from a referenced (chained) style on the p, bold and colour on spans
    assert song.lines == [
        "<i>♪ A song in italics ♪</i>",
        '<i><b>loud</b> and <font color="#ffff00">yellow</font></i>',
    ]
    assert song.align is None
    # two adjacent italic spans become one tag
    assert whole.lines == ["<i>Whole cue</i>"]


def test_read_top_region_speaker_and_underline() -> None:
    text = textwrap.dedent("""\
        <tt xmlns="http://www.w3.org/ns/ttml" xmlns:tts="http://www.w3.org/ns/ttml#styling"
            xmlns:ttm="http://www.w3.org/ns/ttml#metadata" xml:lang="en">
          <head>
            <metadata>
              <ttm:agent xml:id="narrator" type="person"><ttm:name type="full">Narrator</ttm:name></ttm:agent>
            </metadata>
            <layout>
              <region xml:id="bottom" tts:origin="10% 10%" tts:extent="80% 80%" tts:displayAlign="after"/>
              <region xml:id="top" tts:origin="10% 10%" tts:extent="80% 80%" tts:displayAlign="before"/>
            </layout>
          </head>
          <body>
            <div region="bottom"><p begin="1s" end="2s">Bottom</p></div>
            <div ttm:agent="narrator">
              <p begin="7.25s" end="9s" region="top">On top<br/><span tts:textDecoration="underline">underlined</span></p>
            </div>
          </body>
        </tt>
    """)
    track, ctx = read_ttml(text)
    assert ctx.warnings == []
    bottom, top = track.cues
    assert (bottom.align, bottom.speaker) == (None, None)
    assert (top.start_ms, top.end_ms, top.align, top.speaker) == (7250, 9000, 8, "Narrator")
    assert top.lines == ["On top", "<u>underlined</u>"]


def test_read_legacy_dfxp_namespace() -> None:
    track, _ = read_ttml((DATA / "legacy.dfxp").read_text(encoding="utf-8"))
    assert track.language == "fr"
    assert [(c.start_ms, c.end_ms, c.lines) for c in track.cues] == [
        (500, 2000, ["Bonjour", "le <i>monde</i>"]),
        (3000, 4200, ["<i>Tout en italique</i>"]),
    ]


def test_read_style_from_region_and_initial_and_span_override() -> None:
    text = textwrap.dedent("""\
        <tt xmlns="http://www.w3.org/ns/ttml" xmlns:tts="http://www.w3.org/ns/ttml#styling"
            xml:lang="de">
          <head>
            <styling><initial tts:fontWeight="bold"/></styling>
            <layout>
              <region xml:id="r1" tts:origin="10% 80%" tts:extent="80% 10%"
                      tts:fontStyle="italic"/>
            </layout>
          </head>
          <body>
            <div region="r1">
              <p begin="1s" end="2s">all <span tts:fontStyle="normal">but</span> this</p>
              <p begin="00:00:03.000" end="00:00:04.000" tts:textAlign="left"
                 region="r1"><span tts:fontWeight="normal">left</span></p>
            </div>
          </body>
        </tt>
    """)
    track, _ = read_ttml(text)
    assert track.cues[0].lines == ["<i><b>all</b></i><b> but <i>this</i></b>"]
    # region at the bottom (origin 80%, displayAlign before): not top; left-aligned text
    assert track.cues[0].align is None
    assert track.cues[1].lines == ["<i>left</i>"]
    assert track.cues[1].align == 1


def test_read_works_around_ttconv_implicit_end_of_offset_containers() -> None:
    # ttconv 1.2 computes a <div begin> without end from its children's relative ends as
    # if they were absolute: this p would be cut at 15 s instead of ending at 25 s.
    text = """<tt xmlns="http://www.w3.org/ns/ttml" xml:lang="en"><body>
      <div begin="10s"><p begin="1s" end="15s">long</p></div>
      <div begin="20s"><div begin="1s"><p begin="1s" end="2s">nested</p></div></div>
    </body></tt>"""
    track, _ = read_ttml(text)
    assert [(c.start_ms, c.end_ms) for c in track.cues] == [(11000, 25000), (22000, 23000)]


def test_read_frame_times_and_frame_rate() -> None:
    text = """<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter"
      xml:lang="en" ttp:frameRate="30" ttp:frameRateMultiplier="1000 1001"><body><div>
      <p begin="00:00:01:15" end="00:00:02:00">x</p></div></body></tt>"""
    track, _ = read_ttml(text)
    assert track.fps == pytest.approx(29.97, abs=0.001)
    assert (track.cues[0].start_ms, track.cues[0].end_ms) == (1501, 2000)  # 15 / 29.97 s


def test_xml_bomb_is_rejected_quickly() -> None:
    started = time.perf_counter()
    with pytest.raises(ParseError, match="DOCTYPE") as info:
        read_ttml((DATA / "bomb.ttml").read_text(encoding="utf-8"), "bomb.ttml")
    assert time.perf_counter() - started < 1
    assert info.value.line == 2
    assert info.value.path == "bomb.ttml"


def test_external_entity_is_rejected() -> None:
    with pytest.raises(ParseError, match="DOCTYPE") as info:
        read_ttml((DATA / "external_entity.ttml").read_text(encoding="utf-8"))
    assert "root:" not in str(info.value)


def test_undeclared_entity_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="undefined entity") as info:
        read_ttml('<tt xmlns="http://www.w3.org/ns/ttml">\n<body>&nbsp;</body></tt>')
    assert info.value.line == 2


def test_malformed_xml_reports_the_line() -> None:
    with pytest.raises(ParseError, match="malformed XML") as info:
        read_ttml((DATA / "malformed.ttml").read_text(encoding="utf-8"), "malformed.ttml")
    assert info.value.line == 6
    assert str(info.value).startswith("malformed.ttml:6: ")


def test_xml_that_is_not_ttml_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="not a TTML"):
        read_ttml("<html><body><p>hi</p></body></html>")


def test_ttconv_failure_is_wrapped() -> None:
    # ttconv refuses the clock time base with a bare ValueError
    text = """<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter"
      ttp:timeBase="clock"><body/></tt>"""
    with pytest.raises(ParseError, match="ttconv cannot read"):
        read_ttml(text)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<?xml version="1.0"?>\n<tt xmlns="http://www.w3.org/ns/ttml" xml:lang="en">', True),
        ('\ufeff<!-- c --><tt xml:lang="en"\n xmlns="http://www.w3.org/ns/ttml">', True),
        ('<tt:tt xmlns:tt="http://www.w3.org/ns/ttml">', True),
        ('<tt xmlns="http://www.w3.org/2006/10/ttaf1">', True),
        ('<!DOCTYPE tt [<!ENTITY a "b">]><tt xmlns="http://www.w3.org/ns/ttml">', True),
        ('<tt xmlns="http://example.com/ns">', False),
        ('<html><tt xmlns="http://www.w3.org/ns/ttml">', False),
        ("1\n00:00:01,000 --> 00:00:02,000\nhi\n", False),
    ],
)
def test_sniff(head: str, expected: bool) -> None:
    assert TtmlFormat.sniff(head) is expected


# --------------------------------------------------------------------------------------
# TTML writing


def sample_track() -> Track:
    return Track(
        cues=[
            Cue(1, 1000, 2500, ["Hello, <i>my <b>dear</b></i>", "friend."]),
            Cue(2, 3000, 4000, ["<i>Whole cue</i>"], align=8, speaker="Ann"),
            Cue(3, 4500, 6000, ['<font color="#FFFF00">yellow</font> & <u>under</u>'],
                speaker="Bob"),
            Cue(4, 7000, 8000, ["left <b>bold</b>"], align=1),
        ],
        language="en-GB",
    )


def test_write_then_read_round_trip() -> None:
    track = sample_track()
    out, ctx = write_ttml(track)
    assert ctx.warnings == []
    again, _ = read_ttml(out)
    assert_same_cues(track.cues, again.cues)
    assert again.language == "en-GB"
    assert again.cues[2].lines == ['<font color="#ffff00">yellow</font> & <u>under</u>']
    assert "yellow</span> &amp; <span" in out


def test_round_trip_of_fixture_keeps_everything() -> None:
    track, _ = read_ttml((DATA / "styled.ttml").read_text(encoding="utf-8"))
    out, ctx = write_ttml(track)
    assert ctx.warnings == []
    again, _ = read_ttml(out)
    assert [c.lines for c in again.cues] == [c.lines for c in track.cues]
    assert_same_cues(track.cues, again.cues)


def test_output_has_lang_and_unique_xml_ids_and_no_bare_id() -> None:
    track = sample_track()
    track.cues.append(Cue(4, 9000, 9500, ["same id as another cue"]))
    out, _ = write_ttml(track)
    root = ET.fromstring(out)
    assert root.get(XML_LANG) == "en-GB"
    assert root.get(f"{TTP}timeBase") == "media"
    paragraphs = list(root.iter(f"{TT}p"))
    ids = [p.get(XML_ID) for p in paragraphs]
    assert len(paragraphs) == 5 and all(ids) and len(set(ids)) == len(ids)
    assert ids[:2] == ["sub1", "sub2"]
    assert not re.search(r"\sid=", out)
    assert {r.get(XML_ID) for r in root.iter(f"{TT}region")} == {"top", "bottom"}
    assert [p.get("region") for p in paragraphs] == ["bottom", "top", "bottom", "bottom", "bottom"]
    assert re.search(r'begin="00:00:01\.000" end="00:00:02\.500"', out)


@pytest.mark.parametrize(
    ("ctx_language", "track_language", "expected"),
    [("fr-CA", "en", "fr-CA"), (None, "de", "de"), (None, None, "und")],
)
def test_output_language(ctx_language: str | None, track_language: str | None,
                         expected: str) -> None:
    out, _ = write_ttml(Track(cues=[Cue(1, 0, 1000, ["x"])], language=track_language),
                        language=ctx_language)
    assert ET.fromstring(out).get(XML_LANG) == expected


def test_characters_xml_cannot_carry_are_written_as_replacement_with_one_warning_per_cue() -> None:
    track = Track(cues=[
        Cue(1, 0, 1000, ["a\x01b <i>c\ufffed</i>", "\x0b"]),
        Cue(2, 1000, 2000, ["clean"]),
        Cue(3, 2000, 3000, ["fine text"], speaker="B\x02ob"),
        Cue(4, 3000, 4000, ["again \x01\x01"]),
    ], language="en")
    out, ctx = write_ttml(track, path="out.ttml")
    root = ET.fromstring(out)  # well-formed XML
    assert ctx.warnings == [
        "out.ttml (cue 1): XML cannot carry U+0001, U+FFFE and U+000B; written as U+FFFD",
        "out.ttml (cue 3): XML cannot carry U+0002; written as U+FFFD",
        "out.ttml (cue 4): XML cannot carry U+0001; written as U+FFFD",
    ]
    again, _ = read_ttml(out)
    assert [c.lines for c in again.cues] == [
        ["a\ufffdb <i>c\ufffdd</i>", "\ufffd"], ["clean"], ["fine text"],
        ["again \ufffd\ufffd"]]
    assert again.cues[2].speaker == "B\ufffdob"
    assert root.get(XML_LANG) == "en"


def test_language_xml_cannot_carry_is_written_as_replacement_with_a_warning() -> None:
    out, ctx = write_ttml(Track(cues=[Cue(1, 0, 1000, ["x"])], language="e\x01n"))
    assert ET.fromstring(out).get(XML_LANG) == "e\ufffdn"
    assert ctx.warnings == ["<memory>: XML cannot carry U+0001 in the language code; written as"
                            " U+FFFD"]


def test_output_is_deterministic() -> None:
    assert write_ttml(sample_track())[0] == write_ttml(sample_track())[0]


@pytest.mark.parametrize(
    ("fps", "rate", "multiplier"),
    [(23.976, "24", "1000 1001"), (24000 / 1001, "24", "1000 1001"), (25, "25", None),
     (29.97, "30", "1000 1001"), (30, "30", None), (59.94, "60", "1000 1001")],
)
def test_frame_times(fps: float, rate: str, multiplier: str | None) -> None:
    track = Track(cues=[
        Cue(1, 1001, 2002, ["one"]),
        Cue(2, 59_990, 61_234, ["<i>two</i>"]),
        Cue(3, 3_599_999, 3_601_000, ["three"]),
    ])
    out, ctx = write_ttml(track, frame_times=True, fps=fps)
    assert ctx.warnings == []
    root = ET.fromstring(out)
    assert root.get(f"{TTP}frameRate") == rate
    assert root.get(f"{TTP}frameRateMultiplier") == multiplier
    for p in root.iter(f"{TT}p"):
        assert re.fullmatch(r"\d\d:\d\d:\d\d:\d\d", p.get("begin", ""))
        assert re.fullmatch(r"\d\d:\d\d:\d\d:\d\d", p.get("end", ""))
    again, _ = read_ttml(out)
    assert again.fps == pytest.approx(fps, abs=0.001)
    half_frame = 1000 / fps / 2
    assert_same_cues(track.cues, again.cues, tolerance_ms=half_frame + 1)
    # to the frame: writing what was read gives the same frame times
    assert write_ttml(again, frame_times=True)[0] == out


def test_cue_shorter_than_a_frame_is_written_one_frame_long() -> None:
    out, ctx = write_ttml(Track(cues=[Cue(1, 1000, 1001, ["x"])]), frame_times=True, fps=25)
    assert 'begin="00:00:01:00" end="00:00:01:01"' in out
    assert "(cue 1)" in ctx.warnings[0] and "one frame" in ctx.warnings[0]
    assert len(read_ttml(out)[0].cues) == 1


def test_frame_times_without_fps_warn_and_write_clock_times() -> None:
    out, ctx = write_ttml(Track(cues=[Cue(1, 0, 1000, ["x"])]), frame_times=True)
    assert "frame rate" in ctx.warnings[0]
    assert 'begin="00:00:00.000"' in out


def test_foreign_tags_are_dropped_with_a_warning() -> None:
    track = Track(cues=[Cue(1, 0, 1000, ["{\\fad(200,0)}<c.yellow>Hi</c> <i>there</i>"])])
    out, ctx = write_ttml(track)
    assert "fad" not in out and "c.yellow" not in out
    assert len(ctx.warnings) == 1 and "(cue 1)" in ctx.warnings[0]
    again, _ = read_ttml(out)
    assert again.cues[0].lines == ["Hi <i>there</i>"]


def test_named_and_short_colours_are_normalised() -> None:
    line = '<font color="red">r</font> <font color="#0f0">g</font>'
    track = Track(cues=[Cue(1, 0, 1000, [line])])
    out, _ = write_ttml(track)
    assert 'tts:color="#ff0000"' in out and 'tts:color="#00ff00"' in out


# --------------------------------------------------------------------------------------
# Property: TTML write -> read keeps the cues


_WORD = st.text(
    alphabet=st.characters(
        categories=("L", "N", "P", "S"), exclude_characters="<>{}"
    ),
    min_size=1,
    max_size=8,
)
_STYLE = st.fixed_dictionaries({
    "i": st.booleans(),
    "b": st.booleans(),
    "u": st.booleans(),
    "font": st.sampled_from([None, "#ffff00", "#00ffff"]),
})


def _render(word: str, style: dict[str, object]) -> str:
    opened = [tag for tag in ("i", "b", "u") if style[tag]]
    text = "".join(f"<{tag}>" for tag in opened)
    if style["font"]:
        text += f'<font color="{style["font"]}">{word}</font>'
    else:
        text += word
    return text + "".join(f"</{tag}>" for tag in reversed(opened))


_LINE = st.lists(st.tuples(_WORD, _STYLE), min_size=1, max_size=5).map(
    lambda words: " ".join(_render(word, style) for word, style in words)
)


@st.composite
def tracks(draw: st.DrawFn, min_duration: int = 1) -> Track:
    count = draw(st.integers(1, 6))
    cues = []
    clock = draw(st.integers(0, 5000))
    for index in range(1, count + 1):
        start = clock + draw(st.integers(0, 3000))
        end = start + draw(st.integers(min_duration, 8000))
        lines = draw(st.lists(_LINE, min_size=1, max_size=2))
        cues.append(Cue(index, start, end, lines,
                        align=draw(st.sampled_from([None, 8])),
                        speaker=draw(st.sampled_from([None, "Ann", "Bob & Co"]))))
        clock = end
    return Track(cues=cues, language=draw(st.sampled_from([None, "en", "pt-BR"])))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tracks())
def test_property_ttml_round_trip(track: Track) -> None:
    out, ctx = write_ttml(track)
    assert ctx.warnings == []
    again, _ = read_ttml(out)
    assert_same_cues(track.cues, again.cues)
    assert write_ttml(again)[0] == out


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tracks(min_duration=50), st.sampled_from([23.976, 25.0, 29.97]))
def test_property_ttml_frame_time_round_trip(track: Track, fps: float) -> None:
    out, _ = write_ttml(track, frame_times=True, fps=fps)
    again, _ = read_ttml(out)
    assert_same_cues(track.cues, again.cues, tolerance_ms=1000 / fps / 2 + 1)
    assert write_ttml(again, frame_times=True)[0] == out


# --------------------------------------------------------------------------------------
# EBU STL


def _load_make_stl():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_stl", DATA / "make_stl.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_stl_fixture_is_reproducible() -> None:
    assert _load_make_stl().build() == (DATA / "sample.stl").read_bytes()


def test_stl_read() -> None:
    data = (DATA / "sample.stl").read_bytes()
    assert StlFormat.sniff_bytes(data[:2048])
    ctx = ReadContext(path="sample.stl")
    track = StlFormat().read_bytes(data, ctx)
    assert ctx.warnings == ["sample.stl: 1 comment block(s) (TTI comment flag set) skipped"]
    assert track.format == "stl"
    assert track.fps == 25
    assert track.language == "en"
    assert [(c.start_ms, c.end_ms) for c in track.cues] == [
        (1000, 3480), (4000, 6000), (7400, 9200)
    ]
    assert [c.lines for c in track.cues] == [
        ["Hello,", "<i>my friend!</i>"],
        ["On top, <i>in italics</i> and not."],
        ['<font color="#ffff00">Café au lait,</font>', "<u>underlined</u>"],
    ]
    assert [c.align for c in track.cues] == [None, 8, None]
    assert track.header["stl_tcp"] == "00:00:00:00"


def test_stl_sniff_rejects_other_bytes() -> None:
    assert not StlFormat.sniff_bytes(b"1\r\n00:00:01,000 --> 00:00:02,000\r\n")
    assert not StlFormat.sniff_bytes(b"850STL99.01")


def test_stl_too_short_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="GSI"):
        StlFormat().read_bytes((DATA / "sample.stl").read_bytes()[:500], ReadContext())


def test_stl_unknown_disk_format_is_a_parse_error() -> None:
    data = bytearray((DATA / "sample.stl").read_bytes())
    data[3:11] = b"STL99.01"
    with pytest.raises(ParseError, match="disk format code"):
        StlFormat().read_bytes(bytes(data), ReadContext())


def test_stl_truncated_block_is_a_warning() -> None:
    data = (DATA / "sample.stl").read_bytes()[:-40]
    ctx = ReadContext(path="cut.stl")
    track = StlFormat().read_bytes(data, ctx)
    assert len(track.cues) == 2
    assert "not a whole TTI block" in ctx.warnings[0]
    assert "comment block" in ctx.warnings[1]


def test_stl_frame_rate_from_disk_format_code() -> None:
    data = bytearray((DATA / "sample.stl").read_bytes())
    data[3:11] = b"STL30.01"
    track = StlFormat().read_bytes(bytes(data), ReadContext())
    assert track.fps == pytest.approx(29.97, abs=0.001)
    assert track.cues[0].start_ms == 1001  # 00:00:01:00 at 30000/1001 fps


# --------------------------------------------------------------------------------------
# SCC


def test_scc_write_warns_per_cue_and_reads_back() -> None:
    track = Track(cues=[
        Cue(1, 1000, 2500, ["<i>Hello</i> there,", "my friend."]),
        Cue(2, 3000, 4500, ['<font color="#ffff00">Yellow</font> and <b>bold</b>']),
        Cue(3, 5000, 6500, ["Hőség: “quoted” — ok"]),
        Cue(4, 7000, 8500, ["Plain text, ½ price ♪"]),
        Cue(5, 9000, 10500, ["Top"], align=8),
    ])
    ctx = WriteContext(path="out.scc")
    out = SccFormat().write(track, ctx)
    assert out.startswith("Scenarist_SCC V1.0\n")
    by_cue: dict[int, list[str]] = {}
    for warning in ctx.warnings:
        match = re.match(r"out\.scc \(cue (\d+)\): (.*)", warning)
        assert match, warning
        by_cue.setdefault(int(match.group(1)), []).append(match.group(2))
    assert any("italics" in w for w in by_cue[1])
    assert any("colour #ffff00" in w for w in by_cue[2])
    assert any("bold" in w for w in by_cue[2])
    assert any("'ő' (U+0151)" in w and "'o'" in w for w in by_cue[3])
    assert any("'“' (U+201C)" in w for w in by_cue[3])
    assert 4 not in by_cue  # ½ and ♪ are CEA-608 special characters
    assert any("align 8" in w for w in by_cue[5])

    read_ctx = ReadContext()
    again = SccFormat().read(out, read_ctx)
    assert [c.plain_lines for c in again.cues] == [
        ["Hello there,", "my friend."],
        ["Yellow and bold"],
        ['Hoség: "quoted" - ok'],
        ["Plain text, ½ price ♪"],
        ["Top"],
    ]
    for want, got in zip(track.cues, again.cues, strict=True):
        assert abs(got.start_ms - want.start_ms) <= 150
        assert abs(got.end_ms - want.end_ms) <= 150
    assert again.fps == pytest.approx(29.97, abs=0.001)


def test_scc_long_lines_are_wrapped_at_words() -> None:
    track = Track(cues=[Cue(1, 2000, 5000, ["A very long line that is definitely longer than "
                                            "thirty-two columns"])])
    ctx = WriteContext()
    out = SccFormat().write(track, ctx)
    assert any("re-wrapped" in w for w in ctx.warnings)
    again = SccFormat().read(out, ReadContext())
    assert again.cues[0].plain_lines == [
        "A very long line that is", "definitely longer than", "thirty-two columns"
    ]


def test_scc_first_cue_too_early_is_shifted_with_a_warning() -> None:
    ctx = WriteContext()
    out = SccFormat().write(Track(cues=[Cue(1, 0, 2000, ["Hello there"])]), ctx)
    assert any("shown at" in w for w in ctx.warnings)
    assert SccFormat().read(out, ReadContext()).cues[0].plain_lines == ["Hello there"]


def test_scc_dropped_caption_is_reported() -> None:
    track = Track(cues=[
        Cue(1, 1000, 2000, ["Hello"]),
        Cue(2, 2033, 4000, ["Too soon after the previous one", "with lots of text here"]),
    ])
    ctx = WriteContext()
    SccFormat().write(track, ctx)
    assert any("(cue 2)" in w and "dropped" in w for w in ctx.warnings)


def test_ttconv_messages_are_captured_whatever_the_logging_setup(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ttconv_logger = logging.getLogger("ttconv")
    ttconv_logger.setLevel(logging.ERROR)  # an application that silenced ttconv
    try:
        with caplog.at_level(logging.DEBUG):
            ctx = WriteContext()
            SccFormat().write(Track(cues=[
                Cue(1, 1000, 2000, ["Hello"]),
                Cue(2, 2033, 4000, ["Too soon after the previous one", "with more text"]),
            ]), ctx)
    finally:
        ttconv_logger.setLevel(logging.NOTSET)
    assert any("dropped" in w for w in ctx.warnings)
    assert not [r for r in caplog.records if r.name.startswith("ttconv")]  # not printed twice
    assert ttconv_logger.propagate


def test_stl_subtitle_ttconv_omits_is_reported() -> None:
    data = bytearray((DATA / "sample.stl").read_bytes())
    first = 1024
    data[first + 9 : first + 13] = data[first + 5 : first + 9]  # TCO = TCI
    ctx = ReadContext(path="bad.stl")
    track = StlFormat().read_bytes(bytes(data), ctx)
    assert len(track.cues) == 2
    assert any("TCO is less than or equal to TCI" in w for w in ctx.warnings)


def test_scc_read_italics_from_mid_row_code() -> None:
    # RCL ENM PAC(row 15) mid-row italics "Hello" EOC, then EDM
    text = ("Scenarist_SCC V1.0\n\n"
            "00:00:01;00\t9420 9420 94ae 94ae 94d0 94d0 91ae 91ae c8e5 ecec ef80 942f 942f\n\n"
            "00:00:03;00\t942c 942c\n")
    track = SccFormat().read(text, ReadContext())
    assert [c.lines for c in track.cues] == [["<i>Hello</i>"]]


def test_scc_sniff_and_bad_header() -> None:
    assert SccFormat.sniff("Scenarist_SCC V1.0\n\n00:00:00;00\t9420")
    assert not SccFormat.sniff("WEBVTT\n")
    with pytest.raises(ParseError):
        SccFormat().read("not an scc file", ReadContext())


# --------------------------------------------------------------------------------------
# SCC writing: what ttconv's writer sends, read back where the cues were (issue 9)


def frame_ms(frame: int, fps: Fraction) -> int:
    """The time a reader gives a frame (whole ms, halves up)."""
    return int(Fraction(frame) / fps * 1000 + Fraction(1, 2))


def scc_round_trip(track: Track, fps: float | None = None) -> tuple[str, list[str], Track]:
    ctx = WriteContext(path="out.scc", fps=fps)
    out = SccFormat().write(track, ctx)
    return out, ctx.warnings, SccFormat().read(out, ReadContext(fps=fps))


@pytest.mark.parametrize("fps", [None, 30.0])
def test_scc_times_read_back_on_the_frame_they_were_written(fps: float | None) -> None:
    # ttconv's writer truncates to the frame before and inserts an EDM that falls within
    # the next caption's data 2 frames early: 1000-2000 came back as 968-1902 at 29.97 fps.
    rate = Fraction(30) if fps == 30 else Fraction(30000, 1001)
    gaps = [0, 2, 3, 4, 5, 8, 13, 40, 0, 1]  # frames between one cue's end and the next
    cues, frame = [], 60
    for number, gap in enumerate(gaps, start=1):
        cues.append(Cue(number, frame_ms(frame, rate), frame_ms(frame + 30, rate), ["Hi"]))
        frame += 30 + gap
    cues.append(Cue(len(gaps) + 1, frame_ms(frame, rate), frame_ms(frame + 30, rate), ["Hi"]))
    out, warnings, again = scc_round_trip(Track(cues=cues), fps)
    assert warnings == []
    assert out.count("942c 942c") == len(cues) - 3  # none before an EOC that replaces a caption
    assert [(c.start_ms, c.end_ms) for c in again.cues] == [
        (c.start_ms, cues[-1].start_ms if c.id == len(gaps) else c.end_ms) for c in cues
    ]  # within a frame of the next caption (cue 10), the next EOC replaces it
    if fps is None:
        assert again.cues[1].start_ms == 3003 and again.cues[0].end_ms == 3003


def test_scc_at_1000_ms_steps_keeps_the_nearest_frame() -> None:
    cues = [Cue(n, n * 1000, (n + 1) * 1000, [f"Cue {n}"]) for n in range(1, 5)]
    _, warnings, again = scc_round_trip(Track(cues=cues))
    assert warnings == []
    # 1000 ms is frame 29.97: frame 30 (1001 ms), where ttconv wrote frame 29 (968 ms)
    assert [(c.start_ms, c.end_ms) for c in again.cues] == [
        (1001, 2002), (2002, 3003), (3003, 4004), (4004, 5005)]


def test_scc_first_caption_at_zero_is_shown_when_its_data_is_sent() -> None:
    track = Track(cues=[Cue(1, 0, 6000, ["This region is within the editorial area."]),
                        Cue(2, 0, 6000, ["This region is not."])])
    out, warnings, again = scc_round_trip(track)
    assert out.split("\n")[2].startswith("00:00:00;00\t9420 9420")  # shifted no more than needed
    assert len(again.cues) == 1  # one caption at a time
    shifted = [re.search(r"shown at (\d+) ms", w) for w in warnings]
    found = [int(m.group(1)) for m in shifted if m]
    assert found and set(found) == {again.cues[0].start_ms}  # the shift is what a reader finds
    for cue_id in (1, 2):
        assert any(w.startswith(f"out.scc (cue {cue_id}): SCC needs time") for w in warnings)
        assert any(w.startswith(f"out.scc (cue {cue_id}): SCC shows one caption at a time")
                   for w in warnings)


def test_scc_overlapping_cues_are_one_caption_naming_every_cue() -> None:
    track = Track(cues=[Cue(1, 2000, 10000, ["start/before"]), Cue(2, 4000, 12000, ["end/before"]),
                        Cue(3, 6000, 14000, ["start/after"]), Cue(4, 20000, 21000, ["alone"])])
    _, warnings, again = scc_round_trip(track)
    assert [(c.start_ms, c.end_ms, c.plain_lines) for c in again.cues] == [
        (2002, 14014, ["start/before", "end/before", "start/after"]),
        (19987, 20988, ["alone"]),  # 20000 ms is frame 599.4: frame 599
    ]
    for cue_id in (1, 2, 3):
        assert any(f"(cue {cue_id}): SCC shows one caption at a time: the overlapping cues"
                   " 1, 2, 3 are written as one caption, shown from 2002 ms to 14014 ms" in w
                   for w in warnings)
    assert not any("(cue 4)" in w for w in warnings)


def test_scc_time_codes_have_two_hour_digits() -> None:
    hour = 3_600_000
    track = Track(cues=[Cue(1, 2000, 3000, ["first"]),
                        Cue(2, 99 * hour, 105 * hour, ["ends too late"]),
                        Cue(3, 105 * hour, 106 * hour, ["starts too late"])])
    out, warnings, again = scc_round_trip(track)
    assert all(re.match(r"\d\d:\d\d:\d\d;\d\d\t", line) for line in out.split("\n")[2:] if line)
    assert [c.plain_lines for c in again.cues] == [["first"], ["ends too late"]]
    assert again.cues[1].end_ms == frame_ms(
        (99 * 3600 + 59 * 60 + 59) * 30 + 29 - 2 * (60 * 100 - 600) - 1, Fraction(30000, 1001))
    assert any(w.startswith("out.scc (cue 2): cue ends later than SCC can hold")
               and "99:59:59;29" in w for w in warnings)
    assert any(w.startswith("out.scc (cue 3): cue starts at 105:00:00.000, later than SCC")
               and w.endswith("not written") for w in warnings)


def test_scc_repeated_special_characters_are_sent_twice() -> None:
    # a reader takes a repeated two-byte code for the redundant copy of the first
    _, warnings, again = scc_round_trip(Track(cues=[Cue(1, 2000, 4000, ["♪♪ la la ♪♪♪"])]))
    assert warnings == []
    assert again.cues[0].plain_lines == ["♪♪ la la ♪♪♪"]
    full = "♪♪ " + "x" * 29  # 32 columns: no room to send the repeat twice
    _, warnings, again = scc_round_trip(Track(cues=[Cue(1, 2000, 4000, [full])]))
    assert again.cues[0].plain_lines == ["♪ " + "x" * 29]
    assert any(w.startswith("out.scc (cue 1): a CEA-608 special character repeated") for w in warnings)


def test_scc_caption_of_more_than_14_rows_keeps_the_first_14_in_order() -> None:
    lines = [f"line {n}" for n in range(16)]
    _, warnings, again = scc_round_trip(Track(cues=[Cue(1, 5000, 9000, lines)]))
    assert again.cues[0].plain_lines == lines[:14]
    assert any("(cue 1): SCC shows at most 14 rows" in w and "line 14 / line 15" in w
               for w in warnings)


def test_scc_30_fps_non_drop_frame_reads_back_at_30_fps() -> None:
    hour = 3_600_000
    track = Track(cues=[Cue(1, hour, hour + 2000, ["An hour in"])])
    out, warnings, again = scc_round_trip(track, 30.0)
    assert warnings == [] and "\n01:00:02:00\t942c 942c\n" in out
    assert (again.cues[0].start_ms, again.cues[0].end_ms) == (hour, hour + 2000)
    at_2997 = SccFormat().read(out, ReadContext())  # ttconv counts frames at 29.97 fps
    assert at_2997.cues[0].start_ms == hour + 3600
    ctx = ReadContext(fps=30.0)
    dropframe = SccFormat().write(track, WriteContext())
    assert SccFormat().read(dropframe, ctx).cues[0].start_ms == 3_599_996  # frame 107892
    assert any("drop-frame time codes" in w for w in ctx.warnings)


# --------------------------------------------------------------------------------------
# SCC reading: caption modes, malformed lines, files that show nothing

SCC_HEADER = "Scenarist_SCC V1.0\n\n"
HELLO = "c8e5 ecec ef80"  # "Hello"
THERE = "5468 e5f2 e580"  # "There"


def read_scc(text: str, *, lenient: bool = False) -> tuple[Track, list[str]]:
    ctx = ReadContext(path="in.scc", lenient=lenient)
    return SccFormat().read(text, ctx), ctx.warnings


def test_scc_pop_on_shown_with_erase_and_end_of_caption() -> None:
    # the caption is loaded, then shown by EDM + EOC (942c 942f), and erased by EDM
    text = (SCC_HEADER
            + f"00:00:01;00\t9420 9420 94ae 94ae 94d0 94d0 {HELLO}\n\n"
            + "00:00:02;00\t942c 942f\n\n"
            + f"00:00:03;00\t9420 94ae 94d0 {THERE} 942c 942c 942f 942f\n\n"
            + "00:00:05;00\t942c\n")
    track, warnings = read_scc(text)
    assert warnings == []
    # the times ttconv's ISD gives (each code takes a frame of 1/29.97 s)
    assert [(c.start_ms, c.end_ms, c.lines) for c in track.cues] == [
        (2035, 3203, ["Hello"]), (3270, 5005, ["There"])]


def test_scc_paint_on_builds_up_as_ttconv_shows_it() -> None:
    text = (SCC_HEADER + f"00:00:01;00\t9429 9429 94d0 94d0 {HELLO}\n\n"
            + "00:00:02;00\t2054 68e5 f2e5\n\n00:00:03;00\t942c 942c\n")
    track, _ = read_scc(text)
    assert [(c.start_ms, c.end_ms, c.lines) for c in track.cues] == [
        (1068, 2002, ["Hello"]), (2002, 3003, ["Hello There"])]


def test_scc_roll_up_rolls() -> None:
    lines = [f"00:00:0{n};00\t9425 9425 94ad 94ad 9470 9470 {word}"
             for n, word in ((1, HELLO), (2, THERE), (3, "4361 f2ef ec80"))]
    track, _ = read_scc(SCC_HEADER + "\n\n".join(lines) + "\n\n00:00:05;00\t942c 942c\n")
    assert [c.lines for c in track.cues] == [["Hello"], ["Hello", "There"], ["There", "Carol"]]
    assert all(a.end_ms == b.start_ms for a, b in itertools.pairwise(track.cues))


def test_scc_time_code_separated_by_spaces_is_read() -> None:
    # ttconv skips any line without a tab after the time code: this read as no cue at all
    text = (SCC_HEADER + f"00:00:01;00  9420 9420 94d0 94d0 {HELLO}  942c 942c 942f 942f \n\n"
            + "00:00:05;00 942c 942c\n")
    track, warnings = read_scc(text)
    assert [c.plain_lines for c in track.cues] == [["Hello"]] and warnings == []


@pytest.mark.parametrize(("line", "message"), [
    ("not a caption line", "malformed SCC line 'not a caption line'"),
    ("00:00:02;00\t9420 94zz", "malformed SCC line"),
    ("00:00:02;00\t9420 942", "malformed SCC line"),
    ("00:61:02;00\t9420", "impossible time code '00:61:02;00'"),
    ("00:00:00;10\t942c", "earlier than the one before"),
])
def test_malformed_scc_is_a_parse_error_naming_the_line(line: str, message: str) -> None:
    text = (SCC_HEADER + f"00:00:01;00\t9420 9420 94d0 94d0 {HELLO} 942c 942f\n"
            + line + "\n00:00:05;00\t942c 942c\n")
    with pytest.raises(ParseError, match=message) as info:
        read_scc(text)
    assert info.value.line == 4
    assert "--lenient" in str(info.value)
    track, warnings = read_scc(text, lenient=True)
    assert [c.plain_lines for c in track.cues] == [["Hello"]]
    assert any(w.startswith("in.scc:4: ") and message.split("'")[0] in w for w in warnings)


@pytest.mark.parametrize(("body", "cause"), [
    (f"00:00:01;00\t9420 9420 94d0 94d0 {HELLO}\n\n00:00:04;00\t942c 942c\n",
     "no End Of Caption code (942f)"),
    (f"00:00:01;00\t1c20 1c20 1cd0 1cd0 {HELLO} 1c2f 1c2f\n\n00:00:04;00\t1c2c 1c2c\n",
     "data channel 2"),
    ("00:00:01;00\t9420 9420 942c 942c 942f 942f\n", "no text"),
    ("00:00:01;00\t8080 8080\n", "only padding"),
])
def test_scc_with_data_but_no_caption_names_the_likely_cause(body: str, cause: str) -> None:
    track, warnings = read_scc(SCC_HEADER + body)
    assert track.cues == []
    assert any("no caption is ever shown" in w and cause in w for w in warnings), warnings


def test_empty_scc_has_no_such_warning() -> None:
    track, warnings = read_scc(SCC_HEADER)
    assert track.cues == [] and warnings == []


# --------------------------------------------------------------------------------------
# Whitespace and styles by runs (the readers) agree with the character version (writers)


_STYLES = [Style(), Style(italic=True), Style(bold=True), Style(italic=True, color="#ff0000")]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="ab \t\n\xa0\x01é\x85\x80\x7f", max_size=5),
                          st.sampled_from(_STYLES)), max_size=6))
def test_normalizing_runs_is_normalizing_characters(items: list[tuple[str, Style]]) -> None:
    chars = [(char, style) for text, style in items for char in text]
    expected = [(text, style) for style, text in style_runs(normalize_chars(chars))]
    assert normalize_items(list(items)) == expected
    assert render_line(normalize_items(list(items))) == render_markup(normalize_chars(chars))


def test_c1_controls_and_del_are_not_white_space() -> None:
    plain = Style()
    assert normalize_items([(" a\x85\x80 \x9f\x7f\x01\tb ", plain)]) == [
        ("a\x85\x80 \x9f\x7f b", plain)]


def test_ruby_annotation_separates_the_spaces_beside_it() -> None:
    plain = Style()
    items: list[tuple[str, Style | None]] = [
        ("<ruby>", None), ("It's a ", plain), ("<rt>tree</rt>", None), ("</ruby>", None),
        (" Y ", plain)]
    assert normalize_items(items) == [
        ("<ruby>", None), ("It's a ", plain), ("<rt>tree</rt>", None), ("</ruby>", None),
        (" Y", plain)]
    assert normalize_items(items[:4]) == items[:4]  # the base's space is not the line's end
    assert normalize_items([(" a  b ", plain)], trim=False) == [(" a b ", plain)]


@pytest.mark.parametrize("line", [
    "<ruby>No <rt>way!</ruby> more", "<ruby>No <rt>way!</rt></ruby> more",
    "<ruby>No <rt>way!<rt></rt></ruby> more",
])
def test_an_annotation_left_open_ends_with_its_ruby(line: str) -> None:
    parts = markup_parts(line, lambda _message: None)
    assert isinstance(parts[0], RubyGroup)
    assert parts[0].pairs[0][0] == [("No ", Style())]
    assert parts[0].annotations()[0] == "way!"
    assert parts[-1] == [(" more", Style())]

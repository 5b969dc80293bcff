"""SAMI, MicroDVD, MPL2 and TMPlayer: read, write, round trips, errors and sniffing."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pysubs2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from subloc.errors import ParseError, UsageError
from subloc.formats._timing import default_duration_ms
from subloc.formats.base import ReadContext, SubtitleFormat, WriteContext
from subloc.formats.microdvd import MicroDvdFormat
from subloc.formats.mpl2 import Mpl2Format
from subloc.formats.sami import SamiFormat
from subloc.formats.tmp import TmpFormat
from subloc.track import Cue, Track

DATA = Path(__file__).parent / "data" / "line_formats"


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def read(fmt: SubtitleFormat, text: str, **options: object) -> tuple[Track, ReadContext]:
    ctx = ReadContext(path="in", **options)  # type: ignore[arg-type]
    return fmt.read(text, ctx), ctx


def write(fmt: SubtitleFormat, track: Track, **options: object) -> tuple[str, WriteContext]:
    ctx = WriteContext(path="out", **options)  # type: ignore[arg-type]
    return fmt.write(track, ctx), ctx


def cues(track: Track) -> list[tuple[int, int, int, list[str]]]:
    return [(c.id, c.start_ms, c.end_ms, c.lines) for c in track.cues]


def track_of(*items: tuple[int, int, list[str]], **fields: object) -> Track:
    return Track(
        cues=[Cue(i, s, e, lines) for i, (s, e, lines) in enumerate(items, start=1)],
        **fields,  # type: ignore[arg-type]
    )


# -- default duration ----------------------------------------------------------------------


def test_default_duration_reading_speed_with_floor_and_cap() -> None:
    assert default_duration_ms(["Hi."]) == 1000  # 3 chars: floor of 1 s
    assert default_duration_ms(["<i>" + "x" * 30 + "</i>"]) == 1800  # tags not counted
    assert default_duration_ms(["x" * 20, "y" * 20]) == 2400  # line break not counted
    assert default_duration_ms(["x" * 500]) == 7000  # cap


# -- SAMI ------------------------------------------------------------------------------------


def test_sami_reads_bilingual_fixture() -> None:
    track, ctx = read(SamiFormat(), (DATA / "bilingual.smi").read_text("utf-8"))
    assert track.format == "sami"
    assert track.language == "en-US"
    assert cues(track) == [
        (1, 1000, 3500, ["The harbour lights", "are on again."]),
        (2, 4000, 6200, ['<i>Somewhere</i> a bell rings & "stops".']),
        (3, 6200, 8000, ['<font color="#ffff00">MARTA:</font> Who\'s there?']),
        (4, 8000, 10000, ['<font color="#00ff00"><b>Nobody</b></font>', "just me <3"]),
        # no clearing sync after the last cue: 20 characters x 60 ms
        (5, 10000, 11200, ["<i>Two lines</i>", "<i>in italics!</i>"]),
    ]
    assert ctx.warnings == [
        "in: SAMI file holds several languages; read ENUSCC (en-US), ignored FRFRCC (fr-FR)"
    ]
    assert track.header["sami"]["title"] == "Harbour Lights & Co"


def test_sami_reads_loose_markup() -> None:
    text = dedent(
        """
        <sami><body>
        <sync start='500'><p>Line one<BR/>line&nbsp;two
        <Sync Start = 2000 >
        <p class="x"><font face="Arial">Plain <em>em</em> and <strong>strong</strong></font>
        <SYNC Start=3000><P><font color="#F00">red</font> <u>under</u>
        <SYNC Start=3300><P>&nbsp;&nbsp;
        <SYNC Start=4000><P>  <!-- nothing here -->
        <SYNC Start=5000><P>x
        <SYNC Start=6000><P><br>
        </body></sami>
        """
    )
    track, ctx = read(SamiFormat(), text)
    assert cues(track) == [
        (1, 500, 2000, ["Line one", "line two"]),
        (2, 2000, 3000, ["Plain <i>em</i> and <b>strong</b>"]),
        (3, 3000, 3300, ['<font color="#ff0000">red</font> <u>under</u>']),
        (4, 5000, 6000, ["x"]),
    ]
    assert track.language is None
    assert ctx.warnings == []


def test_sami_tags_spanning_a_line_break_are_balanced_per_line() -> None:
    text = "<SAMI><BODY><SYNC Start=0><P><i>one<br><b>two</i> three</b>\n</BODY></SAMI>"
    track, _ = read(SamiFormat(), text)
    assert track.cues[0].lines == ["<i>one</i>", "<i><b>two</b></i><b> three</b>"]


def test_sami_unknown_colour_is_dropped_with_a_warning() -> None:
    text = "<SAMI><BODY>\n<SYNC Start=0><P><font color=chartreuse>Green?</font> yes\n</BODY>"
    track, ctx = read(SamiFormat(), text)
    assert track.cues[0].lines == ["Green? yes"]
    assert ctx.warnings == ["in:2: unknown colour 'chartreuse' ignored"]


def test_sami_last_cue_duration_is_capped() -> None:
    text = "<SAMI><BODY><SYNC Start=1000><P>" + "word " * 40 + "</BODY></SAMI>"
    track, _ = read(SamiFormat(), text)
    assert (track.cues[0].start_ms, track.cues[0].end_ms) == (1000, 8000)


def test_sami_without_sync_is_a_parse_error() -> None:
    text = dedent(
        """
        <SAMI>
        <HEAD><TITLE>x</TITLE></HEAD>
        <BODY>
        <P>Nothing is timed here.
        </BODY>
        </SAMI>
        """
    )
    with pytest.raises(ParseError) as info:
        read(SamiFormat(), text)
    assert info.value.line == 3
    assert "SYNC" in info.value.message


def test_sami_start_not_a_number_is_a_parse_error_with_its_line() -> None:
    text = dedent(
        """
        <SAMI>
        <BODY>
        <SYNC Start=1000><P>One
        <SYNC Start=2000><P>&nbsp;
        <SYNC Start=3s><P>Two
        <SYNC Start=4000><P>&nbsp;
        </BODY>
        </SAMI>
        """
    )
    with pytest.raises(ParseError) as info:
        read(SamiFormat(), text)
    assert info.value.line == 5
    assert "'3s'" in str(info.value)
    track, ctx = read(SamiFormat(), text, lenient=True)
    assert cues(track) == [(1, 1000, 2000, ["One"])]
    assert ctx.warnings == [
        "in:5: SYNC Start must be a whole number of milliseconds, got '3s'; block skipped"
    ]


def test_sami_writes_a_proper_document() -> None:
    track = track_of(
        (1000, 2500, ["Fish & <i>chips</i>", "<b>now</b>"]),
        (2500, 4000, ['<font color="#ffff00">A < B</font>']),
        (5000, 6000, ["<u>Last</u>"]),
        path="/films/Harbour Lights.srt",
    )
    text, ctx = write(SamiFormat(), track)
    assert text == dedent(
        """
        <SAMI>
        <HEAD>
        <TITLE>Harbour Lights</TITLE>
        <STYLE TYPE="text/css">
        <!--
        P { margin-left: 8pt; margin-right: 8pt; margin-bottom: 2pt; margin-top: 2pt; \
text-align: center; font-size: 20pt; font-family: Arial, sans-serif; font-weight: normal; \
color: white; }
        .ENUSCC { Name: English; lang: en-US; SAMIType: CC; }
        -->
        </STYLE>
        </HEAD>
        <BODY>
        <SYNC Start=1000><P Class=ENUSCC>Fish &amp; <i>chips</i><br><b>now</b>
        <SYNC Start=2500><P Class=ENUSCC><font color="#ffff00">A &lt; B</font>
        <SYNC Start=4000><P Class=ENUSCC>&nbsp;
        <SYNC Start=5000><P Class=ENUSCC><u>Last</u>
        <SYNC Start=6000><P Class=ENUSCC>&nbsp;
        </BODY>
        </SAMI>
        """
    )
    assert ctx.warnings == []


def test_sami_language_from_context_or_track() -> None:
    track = track_of((0, 1000, ["Hola"]), language="es-ES")
    text, _ = write(SamiFormat(), track)
    assert ".ESESCC { Name: Spanish; lang: es-ES; SAMIType: CC; }" in text
    assert "<P Class=ESESCC>Hola" in text
    text, _ = write(SamiFormat(), track, language="fr")
    assert ".FRCC { Name: French; lang: fr; SAMIType: CC; }" in text
    back, _ = read(SamiFormat(), text)
    assert back.language == "fr"


def test_sami_round_trip_of_fixture() -> None:
    source, _ = read(SamiFormat(), (DATA / "bilingual.smi").read_text("utf-8"))
    text, ctx = write(SamiFormat(), source)
    assert ctx.warnings == []
    assert "<TITLE>Harbour Lights &amp; Co</TITLE>" in text
    assert "P { font-family: Arial; font-weight: normal; color: white;" in text
    back, _ = read(SamiFormat(), text)
    assert cues(back) == cues(source)
    assert back.language == "en-US"


def test_sami_writer_warns_for_what_it_drops() -> None:
    track = track_of(
        (0, 1000, ["<c.yellow>Hi</c> {\\fad(200,0)}there"]),
        (500, 2000, ["Overlap"]),
        (3000, 4000, ["<i></i>"]),
    )
    track.cues[1].align = 8
    text, ctx = write(SamiFormat(), track)
    assert "<P Class=ENUSCC>Hi there" in text
    assert ctx.warnings == [
        "out (cue 3): cue has no text; not written",
        "out (cue 1): SAMI cannot carry <c.yellow>, {\\fad(200,0)}; written without them",
        "out (cue 1): SAMI cannot show overlapping cues; cue ends when cue 2 starts",
        "out (cue 2): SAMI cannot carry cue positions (align 8); written at the bottom",
    ]


# -- MicroDVD --------------------------------------------------------------------------------


HARBOUR_SUB = [
    (1, 1001, 3504, ["The harbour lights", "are on again."]),
    (2, 4004, 6215, ["<i>Somewhere a bell rings.</i>", "And stops."]),
    (3, 6215, 8342, ["<i>A whole cue</i>", "<i>in italics.</i>"]),
    (4, 8759, 10844, ["<i>Slashed line</i>", "plain line"]),
    (5, 11261, 13764, ['<font color="#ffff00">MARTA: Who\'s there?</font>']),
    (6, 14181, 16683, ["<b>Nobody.</b>", '<font color="#ff0000">Red line</font>']),
]


def test_microdvd_reads_fixture_with_fps_line() -> None:
    track, ctx = read(MicroDvdFormat(), (DATA / "harbour.sub").read_text("utf-8"))
    assert track.format == "microdvd"
    assert track.fps == 23.976
    assert cues(track) == HARBOUR_SUB
    assert ctx.warnings == []


def test_microdvd_fps_from_context_wins_with_a_warning() -> None:
    text = "{1}{1}25\n{25}{50}Hello\n"
    track, ctx = read(MicroDvdFormat(), text, fps=50.0)
    assert track.fps == 50.0
    assert cues(track) == [(1, 500, 1000, ["Hello"])]
    assert ctx.warnings == ["in:1: file declares 25 fps; using 50 as asked"]


def test_microdvd_without_fps_asks_for_one() -> None:
    with pytest.raises(ParseError) as info:
        read(MicroDvdFormat(), "{25}{50}Hello\n")
    assert info.value.message == "MicroDVD needs a frame rate: pass --fps (e.g. --fps 23.976)"
    # A {1}{1} line that is not a number is a subtitle, not a frame rate.
    with pytest.raises(ParseError):
        read(MicroDvdFormat(), "{1}{1}Hello\n{25}{50}Hello\n")
    track, _ = read(MicroDvdFormat(), "{1}{1}Hello\n", fps=25.0)
    assert cues(track) == [(1, 40, 40, ["Hello"])]


def test_microdvd_codes_and_empty_end() -> None:
    text = dedent(
        """
        {1}{1}25
        {0}{25}{Y:b,i}{C:$FF0000}Blue bold|{c:$00FF00}{y:u}green underlined
        {50}{}{f:Arial}{s:20}No end frame
        {75}{100}  / spaced slash |{Y:u}  second  |
        """
    )
    track, _ = read(MicroDvdFormat(), text)
    assert cues(track) == [
        (1, 0, 1000, [
            '<i><b><font color="#0000ff">Blue bold</font></b></i>',
            '<i><b><u><font color="#00ff00">green underlined</font></u></b></i>',
        ]),
        (2, 2000, 3000, ["No end frame"]),  # ends at the next start (default would be 1 s)
        (3, 3000, 4000, ["<i><u>spaced slash</u></i>", "<u>second</u>"]),
    ]  # fmt: skip


def test_microdvd_reads_what_pysubs2_writes() -> None:
    subs = pysubs2.SSAFile()
    subs.append(pysubs2.SSAEvent(start=1000, end=2500, text="Hello\\Nthere"))
    text = subs.to_string("microdvd", fps=23.976)
    assert text.startswith("{0}{0}23.976")
    track, _ = read(MicroDvdFormat(), text)
    assert track.fps == 23.976
    assert cues(track) == [(1, 1001, 2503, ["Hello", "there"])]


def test_microdvd_malformed_line() -> None:
    text = "{1}{1}25\n{0}{25}One\nthis is not a subtitle\n{50}{25}Backwards\n{75}{100}Two\n"
    with pytest.raises(ParseError) as info:
        read(MicroDvdFormat(), text)
    assert info.value.line == 3
    with pytest.raises(ParseError) as info:
        read(MicroDvdFormat(), text.replace("this is not a subtitle\n", ""))
    assert info.value.line == 3
    assert "before start" in info.value.message
    track, ctx = read(MicroDvdFormat(), text, lenient=True)
    assert cues(track) == [(1, 0, 1000, ["One"]), (2, 3000, 4000, ["Two"])]
    assert [w.split(":")[1] for w in ctx.warnings] == ["3", "4"]


def test_microdvd_writes_codes_for_whole_lines_and_cues() -> None:
    track = track_of(
        (1000, 3000, ["<i>Whole cue</i>", "<i>italic</i>"]),
        (3000, 4000, ["<i>Only this line</i>", "plain"]),
        (4000, 5000, ['<b><font color="#ff8000">Bold orange</font></b>']),
        (5000, 6000, ["<font color=yellow><u>Yellow</u></font>", "<u>under</u>"]),
        fps=25.0,
    )
    text, ctx = write(MicroDvdFormat(), track)
    assert text == dedent(
        """
        {1}{1}25
        {25}{75}{Y:i}Whole cue|italic
        {75}{100}{y:i}Only this line|plain
        {100}{125}{Y:b}{C:$0080FF}Bold orange
        {125}{150}{Y:u}{c:$00FFFF}Yellow|under
        """
    )
    assert ctx.warnings == []
    back, _ = read(MicroDvdFormat(), text)
    assert [c.lines for c in back.cues] == [
        ["<i>Whole cue</i>", "<i>italic</i>"],
        ["<i>Only this line</i>", "plain"],
        ['<b><font color="#ff8000">Bold orange</font></b>'],
        ['<u><font color="#ffff00">Yellow</font></u>', "<u>under</u>"],
    ]


def test_microdvd_inline_italics_are_dropped_with_a_warning() -> None:
    track = track_of(
        (0, 1000, ["Hello"]),
        (1000, 2000, ["It was <i>very</i> cold.", "<i>Brr.</i>"]),
        (2000, 3000, ["<b>Loud</b> and <font color='#ff0000'>red</font>", "a|b"]),
    )
    text, ctx = write(MicroDvdFormat(), track, fps=25.0)
    assert text.splitlines()[2:] == [
        "{25}{50}It was very cold.|{y:i}Brr.",
        "{50}{75}Loud and red|a¦b",
    ]
    assert ctx.warnings == [
        "out (cue 2): MicroDVD cannot carry inline italics; written without them",
        "out (cue 3): MicroDVD cannot carry inline bold and colours; written without them",
        "out (cue 3): MicroDVD uses '|' as its line break; '|' in the text written as '¦'",
    ]


def test_microdvd_writer_needs_fps() -> None:
    with pytest.raises(UsageError, match="--fps"):
        write(MicroDvdFormat(), track_of((0, 1000, ["Hi"])))


@pytest.mark.parametrize("fps", [23.976, 25.0, 24000 / 1001])
def test_microdvd_file_we_write_is_read_by_us_and_by_pysubs2(fps: float) -> None:
    source, _ = read(MicroDvdFormat(), (DATA / "harbour.sub").read_text("utf-8"))
    text, _ = write(MicroDvdFormat(), source, fps=fps)
    assert text.startswith("{1}{1}" + ("25" if fps == 25 else "23.976") + "\n")
    ours, _ = read(MicroDvdFormat(), text)
    frame = 1000 / fps
    for got, want in zip(ours.cues, source.cues, strict=True):
        assert got.lines == want.lines
        assert abs(got.start_ms - want.start_ms) <= frame
        assert abs(got.end_ms - want.end_ms) <= frame
    theirs = pysubs2.SSAFile.from_string(text, format_="microdvd")
    assert theirs.fps == pytest.approx(fps, abs=0.0005)
    assert len(theirs.events) == len(ours.cues)
    for event, cue in zip(theirs.events, ours.cues, strict=True):
        assert abs(event.start - cue.start_ms) <= 1
        assert abs(event.end - cue.end_ms) <= 1
        assert event.plaintext == cue.plain_text


# -- MPL2 ------------------------------------------------------------------------------------


def test_mpl2_reads_fixture() -> None:
    track, ctx = read(Mpl2Format(), (DATA / "harbour.mpl").read_text("utf-8"))
    assert track.format == "mpl2"
    assert cues(track) == [
        (1, 1000, 3500, ["The harbour lights", "are on again."]),
        (2, 4000, 6200, ["<i>Somewhere a bell rings.</i>", "And stops."]),
        (3, 6200, 8000, ["<i>A whole cue</i>", "<i>in italics.</i>"]),
        (4, 9500, 10500, ["No end time."]),  # no end: default of 12 chars = 1 s
        (5, 12000, 15000, ["Last one."]),
    ]
    assert ctx.warnings == []


def test_mpl2_writes_deciseconds_rounded() -> None:
    track = track_of(
        (1049, 2050, ["<i>Italic line</i>", "plain"]),
        (2951, 4000, ["<b>Bold</b>", "half <i>italic</i>"]),
    )
    text, ctx = write(Mpl2Format(), track)
    assert text == "[10][21]/Italic line|plain\n[30][40]Bold|half italic\n"
    assert ctx.warnings == [
        "out (cue 2): MPL2 cannot carry inline italics; written without them",
        "out (cue 2): MPL2 cannot carry bold; written without them",
    ]


def test_mpl2_round_trip_of_fixture() -> None:
    source, _ = read(Mpl2Format(), (DATA / "harbour.mpl").read_text("utf-8"))
    text, ctx = write(Mpl2Format(), source)
    assert ctx.warnings == []
    back, _ = read(Mpl2Format(), text)
    assert cues(back) == cues(source)


def test_mpl2_malformed() -> None:
    text = "[10][20]One\n\n[abc][30]Bad\n[40][30]Backwards\n[50][60]Two\n"
    with pytest.raises(ParseError) as info:
        read(Mpl2Format(), text)
    assert info.value.line == 3
    with pytest.raises(ParseError) as info:
        read(Mpl2Format(), text.replace("[abc][30]Bad\n", ""))
    assert info.value.line == 3
    track, ctx = read(Mpl2Format(), text, lenient=True)
    assert cues(track) == [(1, 1000, 2000, ["One"]), (2, 5000, 6000, ["Two"])]
    assert len(ctx.warnings) == 2
    assert ctx.warnings[0].startswith("in:3: not an MPL2 line")


# -- TMPlayer --------------------------------------------------------------------------------


def test_tmp_reads_fixture() -> None:
    track, ctx = read(TmpFormat(), (DATA / "harbour.tmp").read_text("utf-8"))
    assert track.format == "tmp"
    assert cues(track) == [
        (1, 1000, 4000, ["The harbour lights", "are on again."]),
        (2, 4000, 6000, ["Somewhere a bell rings."]),  # cleared by an empty line
        (3, 10000, 17000, ["Who's there?"]),  # next start 20 s later: capped at 7 s
        (4, 30000, 37000, ["Nobody.", "Just me."]),  # same time twice: one cue
        (5, 60000, 61000, ["Hello?"]),  # last: default duration
    ]
    assert ctx.warnings == []


def test_tmp_writes_seconds_with_clearing_lines() -> None:
    track = track_of(
        (1400, 3000, ["<i>One</i>", "two"]),
        (3000, 5600, ["Three"]),
        (5700, 6000, ["Four"]),  # rounds to the same second as the end of the one before
        (6200, 20000, ["Long"]),  # starts in the same second as the one before
        (3_723_000, 3_724_000, ["An hour later"]),
    )
    text, ctx = write(TmpFormat(), track)
    assert text == dedent(
        """
        00:00:01:One|two
        00:00:03:Three
        00:00:06:Four
        00:00:07:Long
        00:00:14:
        01:02:03:An hour later
        01:02:04:
        """
    )
    assert ctx.warnings == [
        "out (cue 1): TMP cannot carry italics; written without them",
        "out (cue 4): TMP holds one cue per second; cue written starting at 00:00:07",
        "out (cue 3): TMP shows a cue for at least a second; written ending at 00:00:07",
        "out (cue 4): TMP shows a cue at most 7 s; written ending earlier",
    ]
    back, _ = read(TmpFormat(), text)
    assert cues(back) == [
        (1, 1000, 3000, ["One", "two"]),
        (2, 3000, 6000, ["Three"]),
        (3, 6000, 7000, ["Four"]),
        (4, 7000, 14000, ["Long"]),
        (5, 3_723_000, 3_724_000, ["An hour later"]),
    ]
    assert write(TmpFormat(), back)[0] == text


def test_tmp_fixture_write_read_write_is_stable() -> None:
    source, _ = read(TmpFormat(), (DATA / "harbour.tmp").read_text("utf-8"))
    first, _ = write(TmpFormat(), source)
    back, _ = read(TmpFormat(), first)
    assert cues(back) == cues(source)
    assert write(TmpFormat(), back)[0] == first


def test_tmp_malformed() -> None:
    text = "00:00:01:One\n00:00:02:\n00:61:00:Bad minutes\n00:00:05:Two\n"
    with pytest.raises(ParseError) as info:
        read(TmpFormat(), text)
    assert info.value.line == 3
    track, ctx = read(TmpFormat(), text, lenient=True)
    assert cues(track) == [(1, 1000, 2000, ["One"]), (2, 5000, 6000, ["Two"])]
    assert ctx.warnings[0].startswith("in:3: not a TMPlayer line")


# -- sniffing --------------------------------------------------------------------------------

SAMPLES = {
    "sami": (DATA / "bilingual.smi").read_text("utf-8"),
    "sami-bare": "<SYNC Start=0><P>Hi\n",
    "microdvd": (DATA / "harbour.sub").read_text("utf-8"),
    "microdvd-pysubs2": "{0}{0}23.976\n{24}{48}Hi\n",
    "mpl2": (DATA / "harbour.mpl").read_text("utf-8"),
    "tmp": (DATA / "harbour.tmp").read_text("utf-8"),
    "tmp-equals": "\ufeff0:00:01=Hello\n",
    "srt": "1\n00:00:01,000 --> 00:00:02,000\n<i>Hello</i>\n\n"
    "2\n00:00:03,000 --> 00:00:04,000\nx\n",
    "srt-no-index": "00:00:01,000 --> 00:00:02,000\nHello\n",
    "vtt": "WEBVTT\n\n00:01.000 --> 00:02.000\nHello\n\n00:00:03.000 --> 00:00:04.000\nx\n",
    "ass": "[Script Info]\nScriptType: v4.00+\n\n[Events]\nDialogue: 0,0:00:01.00,0:00:02.00,x\n",
    "ttml": '<?xml version="1.0" encoding="utf-8"?>\n<tt xmlns="http://www.w3.org/ns/ttml">'
    '<body><div><p begin="00:00:01.000" end="00:00:02.000">Hi</p></div></body></tt>\n',
}
FORMATS: dict[str, type[SubtitleFormat]] = {
    "sami": SamiFormat,
    "microdvd": MicroDvdFormat,
    "mpl2": Mpl2Format,
    "tmp": TmpFormat,
}


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_sniff_recognises_only_its_own_format(sample: str) -> None:
    head = SAMPLES[sample][:4096]
    recognised = [name for name, cls in FORMATS.items() if cls.sniff(head)]
    expected = sample.split("-")[0]
    assert recognised == ([expected] if expected in FORMATS else [])


def test_formats_describe_themselves() -> None:
    for name, cls in FORMATS.items():
        assert cls.name == name
        assert cls.__doc__ and "carr" in cls.__doc__.lower()


# -- property-based round trips ----------------------------------------------------------------


def words(excluded: str) -> st.SearchStrategy[str]:
    return st.text(
        alphabet=st.characters(
            categories=("L", "N", "P", "S"), exclude_characters="<>{}\\" + excluded
        ),
        min_size=1,
        max_size=8,
    )


@st.composite
def tracks(draw: st.DrawFn, excluded: str, min_duration: int) -> Track:
    word = words(excluded)
    time = draw(st.integers(0, 10_000))
    cue_list = []
    for number in range(1, draw(st.integers(1, 6)) + 1):
        start = time + draw(st.integers(0, 3000))
        end = start + draw(st.integers(min_duration, 6500))
        lines = []
        for _ in range(draw(st.integers(1, 2))):
            text = " ".join(draw(st.lists(word, min_size=1, max_size=5)))
            lines.append(f"<i>{text}</i>" if draw(st.booleans()) else text)
        cue_list.append(Cue(number, start, end, lines))
        time = end
    return Track(cues=cue_list)


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(tracks(excluded="", min_duration=1))
def test_sami_round_trip_property(track: Track) -> None:
    text, ctx = write(SamiFormat(), track)
    assert ctx.warnings == []
    back, _ = read(SamiFormat(), text)
    assert cues(back) == cues(track)
    assert write(SamiFormat(), back)[0] == text


@PROPERTY
@given(tracks(excluded="|/", min_duration=100), st.sampled_from([23.976, 25.0]))
def test_microdvd_round_trip_property(track: Track, fps: float) -> None:
    text, ctx = write(MicroDvdFormat(), track, fps=fps)
    assert ctx.warnings == []
    back, _ = read(MicroDvdFormat(), text)
    assert back.fps == fps
    assert len(back.cues) == len(track.cues)
    for got, want in zip(back.cues, track.cues, strict=True):
        assert got.lines == want.lines
        assert abs(got.start_ms - want.start_ms) <= 1000 / fps
        assert abs(got.end_ms - want.end_ms) <= 1000 / fps
    assert write(MicroDvdFormat(), back)[0] == text
    theirs = pysubs2.SSAFile.from_string(text, format_="microdvd")
    assert [e.plaintext for e in theirs.events] == [c.plain_text for c in back.cues]


@PROPERTY
@given(tracks(excluded="|/", min_duration=100))
def test_mpl2_round_trip_property(track: Track) -> None:
    text, ctx = write(Mpl2Format(), track)
    assert ctx.warnings == []
    back, _ = read(Mpl2Format(), text)
    assert len(back.cues) == len(track.cues)
    for got, want in zip(back.cues, track.cues, strict=True):
        assert got.lines == want.lines
        assert abs(got.start_ms - want.start_ms) <= 50
        assert abs(got.end_ms - want.end_ms) <= 50
    assert write(Mpl2Format(), back)[0] == text


@PROPERTY
@given(tracks(excluded="|", min_duration=1))
def test_tmp_write_read_write_is_stable_property(track: Track) -> None:
    text, _ = write(TmpFormat(), track)
    back, _ = read(TmpFormat(), text)
    assert [c.plain_lines for c in back.cues] == [c.plain_lines for c in track.cues]
    for got, want in zip(back.cues, track.cues, strict=True):
        assert abs(got.start_ms - want.start_ms) < 1000 * want.id  # bumped at most 1 s per cue
    assert write(TmpFormat(), back)[0] == text

"""DCP subtitles (``subloc.formats.dcp``): SMPTE ST 428-7 and Interop XML written valid
against the published schemas, read back with the same cues, times and italics, the
same UUID for the same input, and (when it is installed) ClairMeta's subtitle checks."""

from __future__ import annotations

import functools
import importlib.util
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategies import lines as text_lines
from subloc import markup
from subloc.errors import OutputError, ParseError
from subloc.formats.base import ReadContext, WriteContext
from subloc.formats.dcp import NS_2014, DcpFormat, DcpInteropFormat
from subloc.io.read import load, loads
from subloc.track import Cue, Track

DATA = Path(__file__).parent / "data" / "dcp"
SAMPLES = Path(__file__).resolve().parent.parent / "sample_subs"
NS = {"d": NS_2014}
HALF_FRAME_24 = 1000 / 24 / 2 + 0.5  # and the reader rounds to whole ms


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def styled_cue(lines: list[str]) -> list[list[tuple[str, frozenset[str]]]]:
    """Each line's visible characters with the tags applying to each, a tag opened on one
    line applying to the next until it closes (how a cue's markup reads)."""
    stack: list[str] = []
    out: list[list[tuple[str, frozenset[str]]]] = []
    for line in lines:
        chars: list[tuple[str, frozenset[str]]] = []
        for token in markup.tokenize(line):
            if token.kind == "open" and token.name in ("i", "b", "u", "font"):
                color = markup.normalize_color(markup.font_color(token.raw)) \
                    if token.name == "font" else None
                stack.append(f"font:{color}" if color else token.name)
            elif token.kind == "close":
                for index in range(len(stack) - 1, -1, -1):
                    if stack[index].split(":")[0] == token.name:
                        del stack[index]
                        break
            elif token.kind == "text":
                chars.extend((char, frozenset(stack)) for char in token.raw
                             if not char.isspace())
        out.append(chars)
    return out


def sample() -> Track:
    return load(SAMPLES / "harbour_lights.srt")


def write(track: Track, fmt: str = "dcp", **options: Any) -> tuple[str, WriteContext]:
    ctx = WriteContext(path="film_en.xml", language=options.pop("language", "en"),
                       fps=options.pop("fps", 24.0))
    cls = DcpFormat if fmt == "dcp" else DcpInteropFormat
    return cls().write(track, ctx), ctx


@functools.cache
def _schema(xsd: str) -> Any:
    xmlschema = pytest.importorskip("xmlschema", reason="the test extra (xmlschema) is needed")
    # DCSubtitle.xsd (Interop) restricts a type the way XSD 1.0 forbids; libxml2 takes it,
    # xmlschema needs lax mode to build it. The instance is validated strictly either way.
    return xmlschema.XMLSchema(str(DATA / xsd), validation="lax" if
                               xsd == "DCSubtitle.xsd" else "strict")


def xsd_errors(text: str, xsd: str) -> list[str]:
    return [str(error.reason) for error in _schema(xsd).iter_errors(text)]


def lxml_valid(text: str, xsd: str) -> tuple[bool, str]:
    etree = pytest.importorskip("lxml.etree", reason="lxml is not installed")
    schema = etree.XMLSchema(etree.parse(str(DATA / xsd)))
    ok = schema.validate(etree.fromstring(text.encode("utf-8")))
    return ok, str(schema.error_log)


# --------------------------------------------------------------------------------------
# Schema validity


@pytest.mark.parametrize(("fmt", "xsd"), [("dcp", "DCDMSubtitle-2014.xsd"),
                                          ("dcp-interop", "DCSubtitle.xsd")])
def test_sample_film_is_schema_valid(fmt: str, xsd: str) -> None:
    text, ctx = write(sample(), fmt)
    assert ctx.warnings == []
    assert xsd_errors(text, xsd) == []
    ok, log = lxml_valid(text, xsd)
    assert ok, log


def test_every_sample_file_is_schema_valid_in_both_standards() -> None:
    for path in sorted(SAMPLES.iterdir()):
        track = load(path)
        for fmt, xsd in (("dcp", "DCDMSubtitle-2014.xsd"), ("dcp-interop", "DCSubtitle.xsd")):
            text, _ = write(track, fmt, language="es-419")
            assert xsd_errors(text, xsd) == [], (path.name, fmt)


def test_schema_catches_what_we_would_get_wrong() -> None:
    """The validation is real: a broken document fails it."""
    text, _ = write(sample())
    broken = text.replace("<EditRate>24 1</EditRate>", "<EditRate>24</EditRate>")
    assert xsd_errors(broken, "DCDMSubtitle-2014.xsd")
    missing_id = re.sub(r"  <Id>.*?</Id>\n", "", text)
    assert xsd_errors(missing_id, "DCDMSubtitle-2014.xsd")


def test_styles_positions_and_odd_text_stay_valid() -> None:
    cues = [
        Cue(1, 4000, 6000, ["<b>Bold</b> and <u>under</u>", '<font color="#ff0000">red</font>']),
        Cue(2, 7000, 9000, ["a < b & c > d \"quoted\" 'single'"], align=8),
        Cue(3, 10000, 12000, ["left"], align=7),
        Cue(4, 13000, 15000, ["right", "side", "three"], align=3),
        Cue(5, 16000, 18000, ["middle"], align=5),
        Cue(6, 19000, 21000, ["<ruby>漢<rt>かん</rt></ruby>字"]),
        Cue(7, 22000, 24000, ["ctl\x01char"]),
    ]
    track = Track(cues=cues, format="srt", language="ja")
    for fmt, xsd in (("dcp", "DCDMSubtitle-2014.xsd"), ("dcp-interop", "DCSubtitle.xsd")):
        text, ctx = write(track, fmt, language="ja")
        assert xsd_errors(text, xsd) == [], fmt
        assert any("ruby" in warning for warning in ctx.warnings)
        assert any("U+0001" in warning for warning in ctx.warnings)


# --------------------------------------------------------------------------------------
# Round trips


@pytest.mark.parametrize("fmt", ["dcp", "dcp-interop"])
def test_round_trip_same_cues_times_and_italics(fmt: str) -> None:
    track = sample()
    text, _ = write(track, fmt)
    back = loads(text.encode("utf-8"), path="film_en.xml")
    assert back.format == fmt
    assert back.language == "en"
    assert len(back.cues) == len(track.cues) == 171
    tolerance = HALF_FRAME_24 if fmt == "dcp" else 2  # edit units at 24 fps; 4 ms ticks
    italic = 0
    for want, got in zip(track.cues, back.cues, strict=True):
        assert abs(got.start_ms - want.start_ms) <= tolerance, (want, got)
        assert abs(got.end_ms - want.end_ms) <= tolerance, (want, got)
        assert got.plain_lines == want.plain_lines
        assert styled_cue(got.lines) == styled_cue(want.lines), want.id
        assert got.align == want.align
        italic += any("i" in tags for line in styled_cue(got.lines) for _, tags in line)
    assert italic > 10  # the sample's songs and voices over are italic


@pytest.mark.parametrize("fmt", ["dcp", "dcp-interop"])
def test_rewriting_what_was_read_gives_the_same_bytes(fmt: str) -> None:
    text, _ = write(sample(), fmt)
    back = loads(text.encode("utf-8"), path="film_en.xml")
    again, ctx = write(back, fmt)
    assert ctx.warnings == []
    assert again == text


def test_srt_through_dcp_and_back_to_srt_keeps_the_text() -> None:
    from subloc.io.write import dumps

    track = sample()
    text, _ = write(track)
    back = loads(text.encode("utf-8"), path="film_en.xml")
    srt, _ = dumps(back, format="srt")
    again = loads(srt, path="again.srt")
    assert [c.plain_lines for c in again.cues] == [c.plain_lines for c in track.cues]


HOUR = 3_600_000


@st.composite
def odd_tracks(draw: st.DrawFn) -> Track:
    """Tracks with what real files bring: empty cues, cues of no length, times before 0
    and near 24 h (where DCP time codes end), positions, styles, characters XML refuses."""
    time = draw(st.sampled_from([0, 0, 0, 24 * HOUR - 6000, 30 * HOUR]))
    time += draw(st.integers(0, 5000))
    cues = []
    for number in range(1, draw(st.integers(1, 7)) + 1):
        start = time + draw(st.integers(0, 3000))
        if number == 1 and draw(st.integers(0, 9)) == 0:
            start = -draw(st.integers(1, 2000))
        end = start + draw(st.sampled_from([0, 1, 20, 41, 500, 1500, 4000]))
        kind = draw(st.sampled_from(["plain"] * 6 + ["empty", "control", "three"]))
        lines = draw(text_lines())
        if kind == "empty":
            lines = [""]
        elif kind == "control":
            lines = [lines[0] + "\x0b"]
        elif kind == "three":
            lines = [*lines, "third"][:3]
        cues.append(Cue(number, start, end, lines,
                        align=draw(st.sampled_from([None, None, 8, 7, 5, 3]))))
        time = max(end, 0)
    return Track(cues=cues, format="srt")


def warned(warnings: list[str]) -> tuple[set[int], set[int]]:
    named, dropped = set(), set()
    for warning in warnings:
        match = re.search(r"\(cue (\d+)\)", warning)
        if match:
            named.add(int(match.group(1)))
            if "not written" in warning:
                dropped.add(int(match.group(1)))
    return named, dropped


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(odd_tracks(), st.sampled_from(["dcp", "dcp-interop"]))
def test_writer_never_writes_what_the_reader_cannot_read(track: Track, fmt: str) -> None:
    """``read(write(track))`` never raises; every cue is back with its times (within an
    edit unit or a tick), text and position, or a warning names it."""
    try:
        text, ctx = write(track, fmt)
    except OutputError as error:
        # ST 428-7 has no empty file: only when no cue could be written.
        assert fmt == "dcp" and "at least one subtitle" in str(error)
        ctx = WriteContext(path="x.xml", fps=24.0)
        text = DcpInteropFormat().write(track, ctx)
        assert "<Subtitle " not in text and "<Font" not in text
        assert xsd_errors(text, "DCSubtitle.xsd") == []
        return
    assert xsd_errors(text, "DCDMSubtitle-2014.xsd" if fmt == "dcp" else
                      "DCSubtitle.xsd") == []
    back = (DcpFormat if fmt == "dcp" else DcpInteropFormat)().read(
        text, ReadContext(path="x.xml"))
    named, dropped = warned(ctx.warnings)
    kept = [cue for cue in track.cues if cue.id not in dropped]
    assert len(back.cues) == len(kept), ctx.warnings
    tolerance = HALF_FRAME_24 if fmt == "dcp" else 2
    for want, got in zip(kept, back.cues, strict=True):
        if want.id in named:
            continue
        assert abs(got.start_ms - want.start_ms) <= tolerance, (want, got)
        assert abs(got.end_ms - want.end_ms) <= tolerance, (want, got)
        assert got.plain_lines == [line.strip() for line in want.plain_lines]
        assert styled_cue(got.lines) == styled_cue(want.lines)
        assert got.align == want.align


# --------------------------------------------------------------------------------------
# What the document says


def test_smpte_header_edit_rate_times_fades_and_font() -> None:
    track = Track(cues=[Cue(1, 1000, 3500, ["<i>Hello</i>", "world"]),
                        Cue(2, 3600, 3610, ["blink"])], format="srt", language="fr-CA")
    track.header["dcp"] = {"title": "Harbour Lights", "reel": 2, "edit_rate": 25,
                           "fade_up_ms": 40, "fade_down_ms": 80, "font_id": "Sans"}
    text, ctx = write(track, language="fr-CA")
    root = ET.fromstring(text)
    assert root.tag == f"{{{NS_2014}}}SubtitleReel"
    assert root.findtext("d:ContentTitleText", namespaces=NS) == "Harbour Lights"
    assert root.findtext("d:ReelNumber", namespaces=NS) == "2"
    assert root.findtext("d:Language", namespaces=NS) == "fr-CA"
    assert root.findtext("d:EditRate", namespaces=NS) == "25 1"
    assert root.findtext("d:TimeCodeRate", namespaces=NS) == "25"
    assert root.findtext("d:IssueDate", namespaces=NS) == "2023-11-14T22:13:20"
    font = root.find("d:LoadFont", NS)
    assert font is not None and font.get("ID") == "Sans"
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", font.text or "")
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", root.findtext("d:Id", namespaces=NS) or "")
    subs = root.findall(".//d:Subtitle", NS)
    first = subs[0]
    # 1.000 s = 25 edit units, 3.5 s = 87.5 -> 88 (half up); fades 1 and 2 edit units.
    assert (first.get("TimeIn"), first.get("TimeOut")) == ("00:00:01:00", "00:00:03:13")
    assert (first.get("FadeUpTime"), first.get("FadeDownTime")) == ("00:00:00:01",
                                                                    "00:00:00:02")
    texts = first.findall(".//d:Text", NS)
    assert [(t.get("Valign"), t.get("Vposition")) for t in texts] == [("bottom", "15"),
                                                                     ("bottom", "8")]
    italic = texts[0].find("d:Font", NS)
    assert italic is not None and italic.get("Italic") == "yes" and italic.text == "Hello"
    # 10 ms at 25 fps is a quarter of an edit unit: written one edit unit long, with a warning.
    assert (subs[1].get("TimeIn"), subs[1].get("TimeOut")) == ("00:00:03:15", "00:00:03:16")
    assert any("one edit unit" in w and "(cue 2)" in w for w in ctx.warnings)
    # ... and its fades (1 + 2 units) cannot be longer than it is.
    assert (subs[1].get("FadeUpTime"), subs[1].get("FadeDownTime")) == ("00:00:00:01",
                                                                        "00:00:00:00")


def test_vertical_position_follows_the_cue_alignment() -> None:
    track = Track(cues=[Cue(1, 0, 2000, ["top", "two"], align=8),
                        Cue(2, 3000, 5000, ["mid", "dle"], align=5),
                        Cue(3, 6000, 8000, ["left"], align=1)], format="srt")
    text, _ = write(track)
    root = ET.fromstring(text)
    places = [[(t.get("Valign"), t.get("Vposition"), t.get("Halign"))
               for t in sub.findall("d:Text", NS)] for sub in root.iter(f"{{{NS_2014}}}Subtitle")]
    assert places == [[("top", "10", None), ("top", "17", None)],
                      [("center", "-3.5", None), ("center", "3.5", None)],
                      [("bottom", "8", "left")]]
    back = loads(text.encode(), path="x.xml")
    assert [c.align for c in back.cues] == [8, 5, 1]
    assert [c.lines for c in back.cues] == [["top", "two"], ["mid", "dle"], ["left"]]


def test_interop_times_in_ticks_and_names() -> None:
    track = Track(cues=[Cue(1, 1002, 2999, ["<i>Hi</i>"])], format="srt")
    track.header["dcp"] = {"fade_up_ms": 20, "font_uri": "Arial.ttf"}
    text, _ = write(track, "dcp-interop", language="en")
    root = ET.fromstring(text)
    assert root.tag == "DCSubtitle" and root.get("Version") == "1.0"
    assert re.fullmatch(r"[0-9a-f-]{36}", root.findtext("SubtitleID") or "")
    load_font = root.find("LoadFont")
    assert load_font is not None and load_font.get("URI") == "Arial.ttf"
    sub = root.find(".//Subtitle")
    assert sub is not None
    # 1002 ms -> tick 250.5 -> 251 (half up) = 1.004 s; 2999 ms -> 750 ticks = 3.000 s
    assert (sub.get("TimeIn"), sub.get("TimeOut")) == ("00:00:01:001", "00:00:03:000")
    assert (sub.get("FadeUpTime"), sub.get("FadeDownTime")) == ("5", "0")
    text_el = sub.find("Text")
    assert text_el is not None and text_el.get("VAlign") == "bottom"
    assert text_el.get("VPosition") == "8"


def test_same_input_same_uuid_any_change_a_new_one(monkeypatch: pytest.MonkeyPatch) -> None:
    first, _ = write(sample())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    second, _ = write(sample())
    ident = re.compile(r"<Id>(.*?)</Id>")
    assert first != second  # the issue date moved ...
    assert ident.findall(first) == ident.findall(second)  # ... the asset did not
    changed = sample()
    changed.cues[5].lines = ["Maggie! Turn that radio off!"]
    third, _ = write(changed)
    assert ident.findall(third) != ident.findall(first)
    interop_a, _ = write(sample(), "dcp-interop")
    interop_b, _ = write(changed, "dcp-interop")
    tag = re.compile(r"<SubtitleID>(.*?)</SubtitleID>")
    assert tag.findall(interop_a) != tag.findall(interop_b)


def test_frame_rate_not_a_dcp_rate_is_warned() -> None:
    text, ctx = write(sample(), fps=23.976)
    assert "<EditRate>24 1</EditRate>" in text
    assert any("23.976 fps written in 24 fps" in w for w in ctx.warnings)


def test_no_language_is_und_with_a_warning() -> None:
    ctx = WriteContext(path="x.xml")
    text = DcpFormat().write(Track(cues=[Cue(1, 0, 1000, ["a"])], format="srt"), ctx)
    assert "<Language>und</Language>" in text
    assert any("language" in w for w in ctx.warnings)


# --------------------------------------------------------------------------------------
# Reading what other tools write


INTEROP = """<?xml version="1.0" encoding="UTF-8"?>
<DCSubtitle Version="1.0">
  <SubtitleID>b3b5a6b2-1111-4a4a-9c9c-000000000001</SubtitleID>
  <MovieTitle>Test</MovieTitle>
  <ReelNumber>1</ReelNumber>
  <Language>French</Language>
  <LoadFont Id="theFont" URI="arial.ttf"/>
  <Font Id="theFont" Size="39" Italic="no">
    <Subtitle SpotNumber="1" TimeIn="00:00:05:198" TimeOut="00:00:07:115" FadeUpTime="20" FadeDownTime="20">
      <Text VAlign="bottom" VPosition="15">Bonjour <Font Italic="yes">toi</Font></Text>
      <Text VAlign="bottom" VPosition="8">et<Space/>vous</Text>
    </Subtitle>
    <Subtitle SpotNumber="2" TimeIn="00:00:09.500" TimeOut="00:00:10.250">
      <Font Italic="yes"><Text VAlign="top" VPosition="10">Tout en italique</Text></Font>
    </Subtitle>
    <Subtitle SpotNumber="3" TimeIn="00:00:11:000" TimeOut="00:00:12:000">
      <Image VAlign="bottom" VPosition="10">sub_003.png</Image>
    </Subtitle>
  </Font>
</DCSubtitle>
"""


def test_read_interop_from_another_tool() -> None:
    ctx = ReadContext(path="reel1.xml")
    track = DcpInteropFormat().read(INTEROP, ctx)
    assert [(c.start_ms, c.end_ms) for c in track.cues] == [(5792, 7460), (9500, 10250)]
    assert track.cues[0].lines == ["Bonjour <i>toi</i>", "et vous"]
    assert track.cues[1].lines == ["<i>Tout en italique</i>"]
    assert track.cues[1].align == 8
    assert track.header["dcp"]["font_id"] == "theFont"
    assert track.header["dcp"]["title"] == "Test"
    assert any("image (PNG)" in w for w in ctx.warnings)
    assert track.language is None  # "French" is not a language tag
    # Written again as Interop, it is valid, and keeps the fades it had.
    text, _ = write(track, "dcp-interop", language="fr")
    assert xsd_errors(text, "DCSubtitle.xsd") == []
    assert 'FadeUpTime="20" FadeDownTime="20"' in text


def test_read_smpte_with_start_time_and_inherited_fonts() -> None:
    text = """<?xml version="1.0" encoding="UTF-8"?>
<SubtitleReel xmlns="http://www.smpte-ra.org/schemas/428-7/2010/DCST">
  <Id>urn:uuid:0b6b46c4-1111-4a4a-9c9c-000000000002</Id>
  <ContentTitleText>T</ContentTitleText>
  <IssueDate>2020-01-01T00:00:00</IssueDate>
  <Language>de</Language>
  <EditRate>25 1</EditRate>
  <TimeCodeRate>25</TimeCodeRate>
  <StartTime>01:00:00:00</StartTime>
  <SubtitleList>
    <Font Italic="yes">
      <Subtitle SpotNumber="1" TimeIn="01:00:02:00" TimeOut="01:00:04:12">
        <Text Valign="bottom" Vposition="10">Hallo <Font Italic="no">Welt</Font></Text>
      </Subtitle>
    </Font>
  </SubtitleList>
</SubtitleReel>
"""
    track = loads(text.encode(), path="de.xml")
    assert track.format == "dcp" and track.language == "de" and track.fps == 25
    assert [(c.start_ms, c.end_ms, c.lines) for c in track.cues] == [
        (2000, 4480, ["<i>Hallo </i>Welt"])]
    assert NS_2014 not in text  # the 2010 namespace was read


def test_malformed_time_names_the_line_and_lenient_skips() -> None:
    text, _ = write(sample())
    broken = text.replace('TimeIn="00:00:06:21"', 'TimeIn="00:00:06:99"', 1)
    with pytest.raises(ParseError) as caught:
        DcpFormat().read(broken, ReadContext(path="bad.xml"))
    message = str(caught.value)
    assert "bad.xml" in message and "out of range" in message and "--lenient" in message
    line = next(n for n, row in enumerate(broken.splitlines(), 1) if "00:00:06:99" in row)
    assert f":{line}" in message
    ctx = ReadContext(path="bad.xml", lenient=True)
    track = DcpFormat().read(broken, ctx)
    assert len(track.cues) == 170 and len(ctx.warnings) == 1


def test_not_dcp_xml_is_one_clear_error() -> None:
    with pytest.raises(ParseError, match="not a SMPTE ST 428-7 SubtitleReel"):
        DcpFormat().read("<SubtitleReel><Subtitle/></SubtitleReel>",
                         ReadContext(path="x.xml"))


# --------------------------------------------------------------------------------------
# ClairMeta (Ymagis' DCP checker), when installed


CLAIRMETA_CHECKS = ("xml", "st_timing", "concurrent_visibility", "max_elements", "position",
                    "uuid", "uuid_case", "duplicated_uuid", "empty", "content", "reel_number",
                    "language")


@pytest.mark.skipif(importlib.util.find_spec("clairmeta") is None,
                    reason="clairmeta is not installed (pip install clairmeta)")
@pytest.mark.parametrize("fmt", ["dcp", "dcp-interop"])
def test_clairmeta_subtitle_checks_pass(fmt: str, tmp_path: Path) -> None:
    """ClairMeta's subtitle checks that need no picture, sound or CPL, run on our XML laid
    out as a DCP would carry it (Interop: in a folder named by its id; SMPTE: the XML as
    unwrapped from its MXF, whose resource id is the XML's id)."""
    from clairmeta.dcp_check_subtitle import Checker

    text, _ = write(sample(), fmt)
    smpte = fmt == "dcp"
    ident = re.search(r"<(?:Id|SubtitleID)>(?:urn:uuid:)?(.*?)</", text)
    assert ident is not None
    uuid = ident.group(1)
    folder = tmp_path / uuid
    folder.mkdir()
    name = "sub.mxf" if smpte else "sub.xml"
    (folder / ("sub" if smpte else name)).write_text(text, encoding="utf-8")

    class FakeDcp:
        path = str(folder)
        schema = "SMPTE" if smpte else "Interop"

    checker = Checker(FakeDcp())
    asset = ("Subtitle", {
        "Path": name, "Id": uuid, "EditRate": 24, "Duration": 10**6, "Language": "en",
        "Probe": {"NamespaceName": NS_2014, "LabelSetType": "SMPTE", "AssetID": uuid,
                  "AssetUUID": "00000000-0000-0000-0000-000000000000"}})
    playlist = {"Info": {"CompositionPlaylist": {"ReelList": [
        {"Position": 1, "Assets": {"Subtitle": {"Id": uuid}}}]}}}
    for check_name in CLAIRMETA_CHECKS:
        checker.run_check(getattr(checker, f"check_subtitle_cpl_{check_name}"), playlist,
                          asset, str(folder))
    ran = {execution.name for execution in checker.checks}
    errors = {execution.name: [e.message for e in execution.errors]
              for execution in checker.checks if execution.errors}
    assert len(ran) == len(CLAIRMETA_CHECKS)
    assert errors == {}


def test_clairmeta_catches_a_broken_file(tmp_path: Path) -> None:
    """The harness above can fail: ClairMeta names an out-of-screen top line."""
    pytest.importorskip("clairmeta", reason="clairmeta is not installed")
    from clairmeta.dcp_check_subtitle import Checker

    text, _ = write(Track(cues=[Cue(1, 0, 2000, ["a"], align=8)], format="srt"), "dcp-interop")
    text = text.replace('VPosition="10"', 'VPosition="0"')
    (tmp_path / "sub.xml").write_text(text, encoding="utf-8")

    class FakeDcp:
        path = str(tmp_path)
        schema = "Interop"

    checker = Checker(FakeDcp())
    asset = ("Subtitle", {"Path": "sub.xml", "Id": "x", "EditRate": 24})
    checker.run_check(checker.check_subtitle_cpl_position, {}, asset, str(tmp_path))
    messages = [e.message for ex in checker.checks for e in ex.errors]
    assert any("out of screen" in m for m in messages)


def test_a_track_with_nothing_to_write_is_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from subloc.cli import main

    source = tmp_path / "blank.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:02,000\n \n\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(source), "--to", "dcp", "-o",
                                       str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "at least one subtitle" in result.stderr
    assert not (tmp_path / "out" / "blank.xml").exists()
    result = CliRunner().invoke(main, ["convert", str(source), "--to", "dcp-interop", "-o",
                                       str(tmp_path / "interop")])
    assert result.exit_code == 0
    assert "<Subtitle " not in (tmp_path / "interop" / "blank.xml").read_text()

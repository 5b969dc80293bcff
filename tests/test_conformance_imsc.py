"""The W3C IMSC test suite (IMSC 1, 1.1, 1.2, 1.3): what subloc reads from each document
shows, moment by moment, the text ttconv's ISD model (``ttconv.isd``) shows.

The suite lives outside the project (``../shared/conformance/imsc-tests``, see its
README.md); these tests skip when it is absent. For each document the reference is
``ISD.generate_isd_sequence`` of the ``ContentDocument`` ttconv's own IMSC reader builds:
at every significant time, the text of every ``p`` in every region (``tts:display``,
timing, regions and ruby applied by ttconv; text whose ``tts:visibility`` is ``hidden``
left out, ruby annotations compared apart from the base text). subloc's side is the
track :class:`~subloc.formats.ttml.TtmlFormat` reads: the cues active at a moment.
Each interval between significant times is sampled just after it starts, in its middle
and just before it ends.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from ttconv import model
from ttconv.imsc import reader as imsc_reader
from ttconv.isd import ISD
from ttconv.style_properties import StyleProperties, VisibilityType

from subloc import markup
from subloc.formats import ttml
from subloc.formats._ttconv import LITERAL_MARK
from subloc.formats.base import ReadContext
from subloc.formats.ttml import TtmlFormat
from subloc.io.xmlsafe import parse_xml
from subloc.track import Cue, Track

CONFORMANCE = Path(__file__).resolve().parents[2] / "shared" / "conformance"
SUITE = CONFORMANCE / "imsc-tests"

pytestmark = pytest.mark.skipif(
    not SUITE.is_dir(),
    reason=f"the W3C IMSC tests are not at {SUITE} (see {CONFORMANCE / 'README.md'})",
)

#: Documents where subloc deliberately differs from ttconv's ISD, and why.
KNOWN_DIFFERENCES = {
    "imsc1/ttml/timing/BeginEnd002.ttml": (
        "p elements with a begin and no end: ttconv shows each one forever, stacked under"
        " the next; subloc ends a subtitle without an end when the next one starts (with a"
        " warning), as a subtitle track needs finite cues"
    ),
    "imsc1/ttml/timing/FixedBeginEnd002.ttml": (
        "same as BeginEnd002: untimed ends are closed at the next subtitle's start"
    ),
}

_RT = re.compile(r"<rt(?:[ \t.][^<>\n]*)?>(.*?)</rt>", re.S)


def documents() -> list[Path]:
    return sorted(SUITE.rglob("*.ttml")) if SUITE.is_dir() else []


def _words(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Visible:
    """Visible text at one moment: the lines (sorted) and the ruby annotations (sorted)."""

    lines: tuple[str, ...]
    annotations: tuple[str, ...]


def isd_shown(isd: ISD) -> Visible:
    lines: list[str] = []
    annotations: list[str] = []

    def walk(element: Any, out: list[str], hidden: bool) -> None:
        if isinstance(element, model.Rp):
            return
        if isinstance(element, model.Br):
            out.append("\n")
            return
        if isinstance(element, model.Text):
            if not hidden:
                out.append(element.get_text())
            return
        visibility = element.get_style(StyleProperties.Visibility)
        if visibility is not None:
            hidden = visibility is VisibilityType.hidden
        if isinstance(element, model.Rt):
            inner: list[str] = []
            for child in element:
                walk(child, inner, hidden)
            if _words("".join(inner)):
                annotations.append(_words("".join(inner)))
            return
        for child in element:
            walk(child, out, hidden)

    for region in isd:
        for body in region:
            for element in body.dfs_iterator():
                if isinstance(element, model.P):
                    text: list[str] = []
                    walk(element, text, False)
                    lines.extend(line for line in map(_words, "".join(text).split("\n")) if line)
    return Visible(tuple(sorted(lines)), tuple(sorted(annotations)))


def track_shown(track: Track, ms: int) -> Visible:
    lines: list[str] = []
    annotations: list[str] = []
    for cue in track.cues:
        if cue.start_ms <= ms < cue.end_ms:
            for line in cue.lines:
                line = line.replace(LITERAL_MARK, "")
                annotations += [_words(markup.strip_tags(text)) for text in _RT.findall(line)
                                if _words(markup.strip_tags(text))]
                plain = _words(markup.strip_tags(_RT.sub("", line)))
                if plain:
                    lines.append(plain)
    return Visible(tuple(sorted(lines)), tuple(sorted(annotations)))


def _ms(seconds: Fraction) -> int:
    return int((seconds * 1000 + Fraction(1, 2)) // 1)


def moments(times: list[Fraction]) -> Iterator[tuple[int, int]]:
    """(index of the interval, moment in ms) to compare: just after each significant time,
    in the middle of the interval and just before its end; after the last one, just after
    it and a minute later."""
    for index, begin in enumerate(times):
        start = _ms(begin)
        if index + 1 == len(times):
            yield index, start + 1
            continue
        end = _ms(times[index + 1])
        if end - start >= 3:
            for at in sorted({start + 1, (start + end) // 2, end - 1}):
                yield index, at


def compare(path: Path) -> str | None:
    """Why subloc's track of ``path`` does not show what ttconv's ISD shows, or ``None``."""
    logging.getLogger("ttconv").setLevel(logging.CRITICAL)
    try:
        doc = imsc_reader.to_model(ET.parse(path))
        sequence = ISD.generate_isd_sequence(doc)
    finally:
        logging.getLogger("ttconv").setLevel(logging.NOTSET)
    track = TtmlFormat().read(path.read_text(encoding="utf-8"), ReadContext(path=str(path)))
    backwards = [cue.id for cue in track.cues if cue.end_ms <= cue.start_ms]
    if backwards:
        return f"cues {backwards} end before they start"
    times = [time for time, _isd in sequence]
    shown = [isd_shown(isd) for _time, isd in sequence]
    for index, at in moments(times):
        if index + 1 == len(times) and shown[index].lines and at != _ms(times[index]) + 1:
            continue  # ttconv shows it forever; subloc gives it an end
        got = track_shown(track, at)
        if got != shown[index]:
            return f"at {at} ms ttconv shows {shown[index]}, subloc {got}"
    return None


def test_visible_text_matches_ttconv_isd_on_the_imsc_suite(
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths = documents()
    failures: dict[str, str] = {}
    for path in paths:
        name = path.relative_to(SUITE).as_posix()
        try:
            why = compare(path)
        except Exception as exc:  # a crash is a failure of that document
            why = f"{type(exc).__name__}: {exc}"
        if why is not None:
            failures[name] = why
    passed = len(paths) - len(failures)
    with capsys.disabled():
        print(f"\nIMSC conformance: {passed} of {len(paths)} documents show what ttconv's"
              " ISD shows")
        for name, why in failures.items():
            reason = KNOWN_DIFFERENCES.get(name, "UNEXPECTED")
            print(f"  {name}: {why}\n    -> {reason}")
    assert paths, "no documents in the suite"
    assert passed >= 0.95 * len(paths)
    assert set(failures) <= set(KNOWN_DIFFERENCES), {
        name: why for name, why in failures.items() if name not in KNOWN_DIFFERENCES
    }


def _model_difference(ours: Any, theirs: Any, where: str = "body") -> str | None:
    """Where two ttconv content trees differ (times to the microsecond: the ttconv side
    went through :func:`ttml._fix_implicit_ends`, which writes microseconds)."""

    def close(a: Fraction | None, b: Fraction | None) -> bool:
        return a is b if a is None or b is None else abs(a - b) < Fraction(1, 10**6)

    if type(ours) is not type(theirs):
        return f"{where}: {type(ours).__name__} != {type(theirs).__name__}"
    if isinstance(ours, model.Text):
        return None if ours.get_text() == theirs.get_text() else f"{where}: text"
    if not close(ours.get_begin(), theirs.get_begin()) or not close(ours.get_end(),
                                                                     theirs.get_end()):
        return f"{where}: times"
    region_ids = [r.get_id() if r is not None else None
                  for r in (ours.get_region(), theirs.get_region())]
    if region_ids[0] != region_ids[1] or ours.get_lang() != theirs.get_lang():
        return f"{where}: region or language"
    if ours.get_space() is not theirs.get_space():
        return f"{where}: xml:space"
    if ({p: ours.get_style(p) for p in ours.iter_styles()}
            != {p: theirs.get_style(p) for p in theirs.iter_styles()}):
        return f"{where}: styles"
    steps = [[(s.style_property, s.begin, s.end, s.value) for s in e.iter_animation_steps()]
             for e in (ours, theirs)]
    if steps[0] != steps[1]:
        return f"{where}: animation"
    children = [list(ours), list(theirs)]
    if len(children[0]) != len(children[1]):
        return f"{where}: {len(children[0])} children, not {len(children[1])}"
    for index, (mine, other) in enumerate(zip(*children, strict=True)):
        found = _model_difference(mine, other, f"{where}/{type(mine).__name__}[{index}]")
        if found:
            return found
    return None


@pytest.mark.parametrize("path", documents(), ids=lambda p: p.relative_to(SUITE).as_posix())
def test_the_body_reader_builds_the_model_ttconv_builds(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    ours_root = parse_xml(text, str(path))
    ours = ttml._BodyReader(ours_root, ReadContext()).read(ours_root)
    theirs_root = parse_xml(text, str(path))
    ttml._fix_implicit_ends(theirs_root)
    logging.getLogger("ttconv").setLevel(logging.CRITICAL)
    try:
        theirs = imsc_reader.to_model(ET.ElementTree(theirs_root))
    finally:
        logging.getLogger("ttconv").setLevel(logging.NOTSET)
    assert (ours.get_body() is None) == (theirs.get_body() is None)
    if ours.get_body() is not None:
        assert _model_difference(ours.get_body(), theirs.get_body()) is None


def _fields(cue: Cue) -> tuple[object, ...]:
    return (cue.id, cue.start_ms, cue.end_ms, cue.lines, cue.speaker, cue.align, cue.meta)


def _through_the_model(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Track, list[str]]:
    def not_static(*_args: object) -> None:
        raise ttml._NotStatic("test")

    with monkeypatch.context() as patch:
        patch.setattr(ttml._StaticReader, "__init__", not_static)
        ctx = ReadContext()
        return TtmlFormat().read(text, ctx), ctx.warnings


@pytest.mark.parametrize("path", documents(), ids=lambda p: p.relative_to(SUITE).as_posix())
def test_the_static_reader_gives_what_the_model_gives(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = path.read_text(encoding="utf-8")
    ctx = ReadContext()
    fast = TtmlFormat().read(text, ctx)
    slow, warnings = _through_the_model(text, monkeypatch)
    assert [_fields(cue) for cue in fast.cues] == [_fields(cue) for cue in slow.cues]
    assert sorted(ctx.warnings) == sorted(warnings)
    assert fast.language == slow.language

"""WebVTT reading against the public conformance suites in ``../shared/conformance/``.

* ``webvtt-wpt/``: the W3C web-platform-tests file-parsing tests (``expected.json``: cue
  count ``n`` and, where the suite asserts them, ``ids``, ``texts``, ``times``, ``align``;
  ``error`` means a browser rejects the file). 38 entries are the suite's own assertions;
  7 more are marked ``reconstructed`` or ``derived`` and are counted apart.
* ``webvtt-vttjs/``: mozilla/vtt.js's parser tests, 264 comparisons of a ``.vtt`` with the
  cues vtt.js parses from it (``<name>.json`` beside it, or a JSON a directory shares, as
  vtt.js's ``test.js`` files pair them: :data:`VTTJS_SHARED`).

Each case runs twice: through the reader (:class:`VttFormat` on the bytes UTF-8 decoded,
as the spec's parser does) and end to end through :func:`subloc.io.read.loads` (encoding
detection included). Per suite, the summary tests print the pass counts (visible with
``-s``) and assert the thresholds. What the suites expect and subloc deliberately does
otherwise is listed with its reason (:data:`VTTJS_DEVIATIONS`,
:data:`END_TO_END_REFUSED`, empty now); a listed case that starts passing fails, so the lists stay
true.

How a cue is compared: a file a browser rejects (no signature) is one from which no cue
is shown, so a :class:`~subloc.errors.ParseError` equals "no cues". Cue text is compared
as the reader stores it, i.e. the expected raw text passed through
:func:`subloc.formats.vtt.cue_text` (entities decoded, ``<v Name>`` taken as the speaker,
trailing blank lines dropped); settings through :func:`subloc.formats.vtt.parse_cue_settings`
on the settings the reader keeps verbatim.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from subloc.errors import ParseError, SublocError
from subloc.formats.base import ReadContext
from subloc.formats.vtt import (
    CueSettings,
    VttFormat,
    cue_text,
    parse_cue_settings,
    region_identifier,
)
from subloc.io.read import loads
from subloc.track import Track

CONFORMANCE = Path(__file__).resolve().parents[2] / "shared" / "conformance"
WPT = CONFORMANCE / "webvtt-wpt"
VTTJS = CONFORMANCE / "webvtt-vttjs"
ABSENT = f"the conformance data is not there ({CONFORMANCE}); it lives outside the project"

pytestmark = pytest.mark.skipif(not CONFORMANCE.is_dir(), reason=ABSENT)

#: The suites' sizes and the least the reader must pass.
WPT_ASSERTED, WPT_MIN = 38, 36
VTTJS_TESTS, VTTJS_MIN = 264, 260

#: Cases subloc refuses end to end, before its WebVTT reader sees the content (the reader
#: itself passes them): none since stray NULs, vertical tabs and C1 controls no longer make
#: a text file "binary data", and an empty .vtt goes to the reader, which refuses it.
END_TO_END_REFUSED: dict[str, str] = {}

#: vtt.js's test.js pairs these files with a JSON shared by their directory (every other
#: file is compared with the ``<name>.json`` beside it).
VTTJS_SHARED = {
    "cue-settings/align/bad-align.json": "bad-delimiter bogus-value capital-keyword no-value "
    "space-after-delimiter space-before-delimiter",
    "cue-settings/line/bad-line.json": "bad-delimiter bogus-value dash-in-value "
    "negative-percent-value no-value percent-in-value percent-over space-after-delimiter "
    "space-before-delimiter",
    "cue-settings/position/bad-position.json": "bad-delimiter bad-value bogus-value "
    "integer-value just-percent-value negative-percent-value percent-over "
    "space-after-delimiter space-before-delimiter",
    "cue-settings/region/bad-region.json": "bad-delimiter no-value space-after-delimiter "
    "space-before-delimiter",
    "cue-settings/size/bad-size.json": "bad-delimiter bogus-value integer-value "
    "just-percent-value negative-percent-value no-value percent-before-value percent-over "
    "space-after-delimiter space-before-delimiter",
    "cue-settings/vertical/bad-vertical.json": "bogus-value capital-keyword "
    "incorrect-delimiter incorrect-keyword no-value space-after-delimiter "
    "space-before-delimiter",
    "cue-times/bad-data.json": "missing-separator",
    "cue-times/with-data.json": "left-tab missing-spaces-between-separator "
    "separator-extra-space separator-tab space-left-tab-right space-right-tab-left "
    "spaces-tabs-on-both-sides tab-right",
    "file-layout/no-output.json": "bad-double-webvtt blank-file blank-file-with-bom "
    "bom-garbage-data bom-tab-webvtt garbage-signature header-no-new-line "
    "newline-before-webvtt tab-after-bom-before-header",
    "file-layout/with-data.json": "webvtt-no-bom webvtt-space webvtt-tab webvtt-with-bom",
    "regions/bad-region.json": "incorrect-delimiter line-break space-before-delimiter",
    "regions/good-region.json": "no-line-break no-space-after-delimiter",
    "regions/id/bad-id.json": "bad-delimiter no-value space-after-delimiter "
    "space-before-delimiter",
    "regions/lines/bad-line.json": "decimal-value incorrect-delimiter letter-in-value "
    "space-after-delimiter space-before-delimiter",
    "regions/regionanchor/bad-regionanchor.json": "incorrect-delimiter letter-in-value "
    "negative-percent no-comma no-percent percent-at-front percent-over "
    "space-after-delimiter space-before-delimiter two-periods",
    "regions/scroll/bad-scroll.json": "bogus-value incorrect-delimiter space-after-delimiter "
    "space-before-delimiter",
    "regions/viewportanchor/bad-viewportanchor.json": "incorrect-delimiter letter-in-value "
    "negative-percent no-comma no-percent percent-at-front percent-over "
    "space-after-delimiter space-before-delimiter two-periods",
    "regions/width/bad-width.json": "incorrect-delimiter letter-in-value negative-percent "
    "no-percentage percent-over percentage-at-front space-after-delimiter "
    "space-before-delimiter two-periods",
}
#: Files vtt.js ships but its test.js never compares: no expectation to compare with.
VTTJS_UNTESTED = {
    "cue-settings/line/line-middle-align.vtt",
    "regions/regionanchor/no-percentage.vtt",
    "regions/viewportanchor/no-percentage.vtt",
}

#: Where vtt.js (an older draft of the spec) and the current W3C spec disagree, subloc
#: follows the spec (and browsers, which implement it). Each entry: the case and why its
#: vtt.js expectation is not the spec's.
VTTJS_DEVIATIONS: dict[str, str] = {
    # Which cues there are, and when.
    "cue-times/min-top-digits.vtt": "'000:00.000' has a first field of three digits, which "
    "makes it hours, so seconds are required: the spec's 'collect a WebVTT timestamp' fails "
    "and the cue is dropped (WPT timings-too-long asserts the same for '000:00.000')",
    "cue-times/minimum-spots-over-sixty.vtt": "'120:00.000': a first field that is not two "
    "digits is hours, so the timestamp lacks its seconds and fails; vtt.js reads 120 minutes",
    "file-layout/header-no-new-line.vtt": "a '-->' line ends the header (spec: 'collect a "
    "WebVTT block' in header mode stops before a line containing '-->'), so the cue right "
    "after 'WEBVTT' is read; WPT header-timings asserts this very case",
    "integration/id.vtt": "a block whose first line is '-->' is a failed cue that ends "
    "before the next '-->' line, so the timing line after it starts a cue of its own (5 cues, "
    "not 4); WPT arrows asserts the same for '-->' followed by a timing line",
    # Settings: the current spec ignores a setting as a whole when any part is invalid.
    "cue-settings/line/bad-line-align.vtt": "'line:42%,left': 'left' is not a line "
    "alignment (start, center, end), and the spec then ignores the whole line setting; "
    "vtt.js keeps line 42% and drops only the alignment",
    "cue-settings/position/bad-position-align.vtt": "'position:42%,left': 'left' is not a "
    "position alignment (line-left, center, line-right), so the spec ignores the whole "
    "setting; vtt.js keeps position 42%",
    "cue-settings/position/position-start-align.vtt": "'position:42%,start': the older "
    "draft's 'start' is 'line-left' in the current spec, which ignores the invalid setting",
    "cue-settings/position/position-end-align.vtt": "'position:42%,end': the older draft's "
    "'end' is 'line-right' in the current spec, which ignores the invalid setting",
    # Regions: the older draft defined them by 'Region: id=…' header lines; the current
    # spec only by REGION blocks, so the header line defines nothing and 'region:' finds
    # no region.
    "cue-settings/region/region-arrows.vtt": "region defined by an older draft's header "
    "line 'Region: id=fred-->': no region under the current spec",
    "cue-settings/region/valid.vtt": "region defined by an older draft's header line "
    "'Region: id=…': no region under the current spec",
    "integration/regions.vtt": "regions defined by an older draft's header lines "
    "'Region: id=fred …': no region under the current spec",
    "regions/id/arrows.vtt": "region defined by an older draft's header line "
    "'Region: id=fred-->': no region under the current spec",
    "regions/id/correct.vtt": "region defined by an older draft's header line "
    "'Region: id=…': no region under the current spec",
}
#: The deviations that change the cue list itself (count, times, identifiers, text).
VTTJS_CUE_LIST_DEVIATIONS = {
    "cue-times/min-top-digits.vtt", "cue-times/minimum-spots-over-sixty.vtt",
    "file-layout/header-no-new-line.vtt", "integration/id.vtt",
}

#: The older draft's names for values the current spec renamed: ``align``/``lineAlign``
#: ``middle`` is ``center``; the position alignment ``start``/``middle``/``end`` is
#: ``line-left``/``center``/``line-right``. A renaming, not a difference in parsing.
_OLD_ALIGN = {"middle": "center"}
_OLD_POSITION_ALIGN = {"start": "line-left", "middle": "center", "end": "line-right"}


# -- running a case ----------------------------------------------------------------------------


def read_with_reader(data: bytes, name: str) -> Track | None:
    """The reader on the bytes UTF-8 decoded as the spec's parser does; ``None`` if it
    refuses the file."""
    try:
        return VttFormat().read(data.decode("utf-8", errors="replace"), ReadContext(path=name))
    except ParseError:
        return None


def read_end_to_end(data: bytes, name: str) -> Track | None:
    """``subloc.loads`` on the bytes, as the CLI reads a ``.vtt``; ``None`` if refused."""
    try:
        return loads(data, path=name)
    except SublocError:
        return None


Reader = Callable[[bytes, str], "Track | None"]
READERS: dict[str, Reader] = {"reader": read_with_reader, "end to end": read_end_to_end}


def settings_of(track: Track, index: int) -> CueSettings:
    regions = [region_identifier(block.partition("\n")[2])
               for block in track.header.get("vtt_blocks", [])
               if block.partition("\n")[0].rstrip(" \t\f") == "REGION"]
    return parse_cue_settings(track.cues[index].meta.get("vtt_settings", ""), regions)


def same_text(raw: str, track: Track, index: int) -> bool:
    cue = track.cues[index]
    return cue_text(raw) == (cue.speaker, cue.lines)


# -- WPT ---------------------------------------------------------------------------------------


@cache
def wpt_expected() -> dict[str, dict[str, Any]]:
    if not WPT.is_dir():
        return {}
    data: dict[str, dict[str, Any]] = json.loads((WPT / "expected.json").read_text("utf-8"))
    return data


def wpt_problems(name: str, reader: Reader) -> list[str]:
    """What differs from the WPT expectation (empty: the case passes)."""
    expected = wpt_expected()[name]
    track = reader((WPT / f"{name}.vtt").read_bytes(), f"{name}.vtt")
    if expected.get("error"):
        return [] if track is None else [f"accepted ({len(track.cues)} cues), a browser rejects it"]
    if track is None:
        return ["refused"]
    problems = []
    if len(track.cues) != expected["n"]:
        problems.append(f"{len(track.cues)} cues, expected {expected['n']}")
        return problems
    for index, identifier in enumerate(expected.get("ids", [])):
        got = track.cues[index].meta.get("vtt_id", "")
        if got != identifier:
            problems.append(f"cue {index}: id {got!r}, expected {identifier!r}")
    for index, raw in enumerate(expected.get("texts", [])):
        if not same_text(raw, track, index):
            problems.append(f"cue {index}: text {track.cues[index].lines!r}, expected {raw!r}")
    for index, (start, end) in enumerate(expected.get("times", [])):
        cue = track.cues[index]
        if (cue.start_ms, cue.end_ms) != (start, end):
            problems.append(f"cue {index}: times {(cue.start_ms, cue.end_ms)}, expected "
                            f"{(start, end)}")
    for key, align in expected.get("align", {}).items():
        got = settings_of(track, int(key)).align
        if got != align:
            problems.append(f"cue {key}: align {got!r}, expected {align!r}")
    return problems


def wpt_asserted(name: str) -> bool:
    entry = wpt_expected()[name]
    return not (entry.get("reconstructed") or entry.get("derived"))


@pytest.mark.parametrize("name", sorted(wpt_expected()))
@pytest.mark.parametrize("way", sorted(READERS))
def test_wpt_file_parsing(name: str, way: str) -> None:
    problems = wpt_problems(name, READERS[way])
    refused = END_TO_END_REFUSED.get(f"wpt/{name}") if way == "end to end" else None
    if refused:
        assert problems, f"wpt/{name} passes end to end now: remove it from END_TO_END_REFUSED"
        pytest.skip(refused)
    assert not problems, f"wpt/{name} ({way}): " + "; ".join(problems)


def test_wpt_pass_counts() -> None:
    names = sorted(wpt_expected())
    if not names:
        pytest.skip(ABSENT)
    lines = []
    counts = {}
    for way, reader in READERS.items():
        failed = [name for name in names if wpt_problems(name, reader)]
        asserted = [name for name in names if wpt_asserted(name)]
        passed = sum(name not in failed for name in asserted)
        extra = [name for name in names if not wpt_asserted(name)]
        extra_passed = sum(name not in failed for name in extra)
        counts[way] = passed
        lines.append(f"WebVTT WPT file-parsing ({way}): {passed}/{len(asserted)} of the "
                     f"suite's tests, {extra_passed}/{len(extra)} reconstructed or derived"
                     + (f"; failing: {', '.join(failed)}" if failed else ""))
    print("\n" + "\n".join(lines))
    assert len([name for name in names if wpt_asserted(name)]) == WPT_ASSERTED
    assert counts["reader"] >= WPT_MIN, lines[0]
    assert counts["end to end"] >= WPT_MIN, lines[1]
    refused = {name for name in names if f"wpt/{name}" in END_TO_END_REFUSED}
    assert {name for name in names if wpt_problems(name, read_end_to_end)} <= refused, lines[1]


# -- vtt.js ------------------------------------------------------------------------------------


@cache
def vttjs_cases() -> dict[str, str]:
    """vtt.js's 264 parser tests: ``.vtt`` path -> expected JSON path (both relative)."""
    if not VTTJS.is_dir():
        return {}
    shared = {f"{json_path.rsplit('/', 1)[0]}/{stem}.vtt": json_path
              for json_path, stems in VTTJS_SHARED.items() for stem in stems.split()}
    cases = {}
    for path in sorted(VTTJS.rglob("*.vtt")):
        relative = path.relative_to(VTTJS).as_posix()
        if relative in VTTJS_UNTESTED:
            continue
        own = relative[: -len(".vtt")] + ".json"
        cases[relative] = own if (VTTJS / own).is_file() else shared.get(relative, "")
    return cases


def _seconds_ms(value: float) -> int:
    return round(value * 1000)


def _position_align(settings: CueSettings) -> str:
    """The computed position alignment (``auto`` follows the text alignment, left to right)."""
    if settings.position_align != "auto":
        return settings.position_align
    return {"start": "line-left", "left": "line-left", "end": "line-right",
            "right": "line-right"}.get(settings.align, "center")


#: The fields that make the cue list itself; the rest are the cue settings.
CUE_LIST_FIELDS = ("count", "times", "id", "text")


def vttjs_problems(case: str, reader: Reader) -> dict[str, str]:
    """What differs from vtt.js's expectation, by field (empty: the case passes)."""
    expected_path = vttjs_cases()[case]
    if not expected_path:
        return {"count": "no expectation for it (is VTTJS_SHARED out of date?)"}
    expected = json.loads((VTTJS / expected_path).read_text("utf-8"))["cues"]
    track = reader((VTTJS / case).read_bytes(), case)
    if track is None or len(track.cues) != len(expected):
        count = "refused" if track is None else f"{len(track.cues)} cues"
        return {} if track is None and not expected else {
            "count": f"{count}, expected {len(expected)} cues"}
    problems: dict[str, str] = {}
    for index, want in enumerate(expected):
        cue = track.cues[index]
        settings = settings_of(track, index)
        got = {
            "times": (cue.start_ms, cue.end_ms),
            "id": cue.meta.get("vtt_id", ""),
            "text": (cue.speaker, cue.lines),
            "align": settings.align,
            "line": settings.line,
            "lineAlign": settings.line_align,
            "snapToLines": settings.snap_to_lines,
            "position": settings.position,
            "positionAlign": _position_align(settings),
            "size": settings.size,
            "vertical": settings.vertical,
            "region": settings.region is not None,
        }
        wanted = {
            "times": (_seconds_ms(want["startTime"]), _seconds_ms(want["endTime"])),
            "id": want["id"],
            "text": cue_text(want["text"]),
            "align": _OLD_ALIGN.get(want["align"], want["align"]),
            "line": None if want["line"] == "auto" else float(want["line"]),
            "lineAlign": _OLD_ALIGN.get(want["lineAlign"], want["lineAlign"]),
            "snapToLines": want["snapToLines"],
            "position": None if want["position"] == "auto" else float(want["position"]),
            "positionAlign": _OLD_POSITION_ALIGN.get(want["positionAlign"],
                                                     want["positionAlign"]),
            "size": float(want["size"]),
            "vertical": want["vertical"],
            "region": bool(want["region"]),
        }
        for key, value in got.items():
            if value != wanted[key] and key not in problems:
                problems[key] = f"cue {index}: {key} {value!r}, expected {wanted[key]!r}"
    return problems


@pytest.mark.parametrize("case", sorted(vttjs_cases()))
@pytest.mark.parametrize("way", sorted(READERS))
def test_vttjs_parsing(case: str, way: str) -> None:
    problems = vttjs_problems(case, READERS[way])
    refused = END_TO_END_REFUSED.get(f"vttjs/{case}") if way == "end to end" else None
    reason = refused or VTTJS_DEVIATIONS.get(case)
    if reason:
        assert problems, f"{case} ({way}) matches vtt.js now: remove it from the list"
        pytest.skip(reason)
    assert not problems, f"vtt.js {case} ({way}): " + "; ".join(problems.values())


def test_vttjs_pass_counts() -> None:
    cases = sorted(vttjs_cases())
    if not cases:
        pytest.skip(ABSENT)
    lines, failed, list_failed = {}, {}, {}
    for way, reader in READERS.items():
        problems = {case: vttjs_problems(case, reader) for case in cases}
        failed[way] = {case for case in cases if problems[case]}
        list_failed[way] = {case for case in failed[way]
                            if set(problems[case]) & set(CUE_LIST_FIELDS)}
        lines[way] = (
            f"vtt.js parser tests ({way}): {len(cases) - len(failed[way])}/{len(cases)} on "
            f"every field, {len(cases) - len(list_failed[way])}/{len(cases)} on the cue list "
            "(count, times, ids, text)"
            + (f"; failing: {', '.join(sorted(failed[way]))}" if failed[way] else ""))
    print("\n" + "\n".join(lines.values()))
    assert len(cases) == VTTJS_TESTS
    assert failed["reader"] == set(VTTJS_DEVIATIONS), lines["reader"]
    assert list_failed["reader"] == VTTJS_CUE_LIST_DEVIATIONS, lines["reader"]
    assert len(cases) - len(list_failed["reader"]) >= VTTJS_MIN, lines["reader"]
    refused = {case for case in cases if f"vttjs/{case}" in END_TO_END_REFUSED}
    assert failed["end to end"] - refused == set(VTTJS_DEVIATIONS), lines["end to end"]

"""The segment stage: cues to the units sent to MT, and the plan to put them back.

Subtitles are not sentences. A cue's lines are joined with spaces (line breaks are
layout); a sentence running over several cues becomes one segment (no sentence-final
punctuation, a short gap, no new speaker, no inline tags; at most 4 cues / 300 characters);
a two-speaker dash cue becomes one segment per speaker; whole-cue formatting (italic
songs, voices off) and ♪ markers are taken off before MT and put back after; inline tags
stay in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from subloc import markup
from subloc.track import Cue

#: Sentence-final punctuation, allowing closing quotes/brackets after it.
_FINAL = re.compile(r"[.!?…。！？♪:;][\"'”’»)\]]*$")
_DASH = re.compile(r"^[-–—]\s*")
_NOTES = "♪#"


@dataclass(frozen=True)
class SegmentOptions:
    merge_gap_ms: int = 1500
    max_cues: int = 4
    max_chars: int = 300


@dataclass(slots=True)
class CueParts:
    """What a cue looks like once its layout and whole-cue decoration are taken off."""

    wrap: list[str] = field(default_factory=list)  # whole-cue opening tags, outermost first
    lyric: tuple[bool, bool] = (False, False)      # ♪ at the start / at the end
    parts: list[str] = field(default_factory=list)  # one per speaker; usually one
    dialogue: bool = False                          # a dash cue with one part per speaker

    @property
    def text(self) -> str:
        return " ".join(self.parts)


@dataclass(slots=True)
class Segment:
    """One unit for MT: ``text`` covers ``cue_ids`` (with each cue's share of the source
    characters, for redistribution), or one speaker ``part`` of a dialogue cue."""

    text: str
    cue_ids: list[int]
    shares: list[int]
    part: int | None = None


def analyse(cue: Cue) -> CueParts:
    """Take a cue apart: whole-cue tags, ♪ markers, dialogue dashes, joined lines."""
    lines = [line.strip() for line in cue.lines if markup.strip_tags(line).strip()]
    result = CueParts()
    lines, result.wrap = _unwrap(lines)
    if lines and all(markup.strip_tags(line).lstrip(_NOTES).strip() for line in lines):
        first, last = markup.strip_tags(lines[0]), markup.strip_tags(lines[-1])
        result.lyric = (first.startswith(tuple(_NOTES)), last.endswith(tuple(_NOTES)))
        if any(result.lyric):
            lines = [_strip_notes(line) for line in lines]
    if len(lines) >= 2 and all(_DASH.match(markup.strip_tags(line)) for line in lines):
        result.dialogue = True
        result.parts = [_strip_dash(line) for line in lines]
    else:
        result.parts = [" ".join(lines)] if lines else []
    return result


def segment(cues: list[Cue], options: SegmentOptions | None = None,
            ) -> tuple[list[Segment], dict[int, CueParts]]:
    """Segments for a track's cues, and each cue's parts (needed to rebuild it)."""
    analysed: dict[int, CueParts] = {}
    return list(iter_segments(cues, options, analysed)), analysed


def iter_segments(cues: list[Cue], options: SegmentOptions | None = None,
                  analysed: dict[int, CueParts] | None = None) -> Iterator[Segment]:
    """The segments of :func:`segment` one at a time. Each cue's parts go into
    ``analysed`` when given; without it only the cues in hand are analysed and held (the
    plan phase needs just the texts, even of a million cues)."""
    options = options or SegmentOptions()
    keep = analysed is not None
    memo: dict[int, CueParts] = analysed if analysed is not None else {}
    index = 0
    while index < len(cues):
        cue = cues[index]
        if not keep:
            memo = {cue.id: memo[cue.id]} if cue.id in memo else {}
        parts = _parts(cue, memo)
        index += 1
        if not parts.parts:
            continue
        if parts.dialogue:
            for number, text in enumerate(parts.parts):
                yield Segment(text, [cue.id], [_visible(text)], part=number)
            continue
        group = [cue]
        while index < len(cues) and _continues(group, cues[index], memo, options):
            group.append(cues[index])
            index += 1
        texts = [memo[c.id].text for c in group]
        yield Segment(" ".join(texts), [c.id for c in group],
                      [max(_visible(t), 1) for t in texts])


def _parts(cue: Cue, memo: dict[int, CueParts]) -> CueParts:
    found = memo.get(cue.id)
    if found is None:
        found = memo[cue.id] = analyse(cue)
    return found


def _continues(group: list[Cue], following: Cue, analysed: dict[int, CueParts],
               options: SegmentOptions) -> bool:
    last = group[-1]
    here, there = analysed[last.id], _parts(following, analysed)
    if (there.dialogue or not there.parts or any(here.lyric) or any(there.lyric)
            or here.wrap != there.wrap):
        return False
    if markup.has_tags(here.text) or markup.has_tags(there.text):
        return False  # an inline tag must stay in its own cue, so its cue stays whole
    if _FINAL.search(markup.strip_tags(here.text)):
        return False
    if following.start_ms - last.end_ms >= options.merge_gap_ms:
        return False
    if _DASH.match(markup.strip_tags(there.text)):
        return False  # the next cue starts a new speaker
    if last.speaker != following.speaker:
        return False
    chars = sum(_visible(analysed[c.id].text) for c in group) + _visible(there.text)
    return len(group) < options.max_cues and chars <= options.max_chars


def _visible(text: str) -> int:
    return len(markup.strip_tags(text))


def _unwrap(lines: list[str]) -> tuple[list[str], list[str]]:
    """Remove formatting that covers the whole cue, across lines (``<i>a\nb</i>``) or
    line by line (``<i>a</i>`` / ``<i>b</i>``); return the lines and the opening tags."""
    wrap: list[str] = []
    while lines:
        whole = _single_wrap("\n".join(lines))
        if whole is not None:
            wrap.append(whole[0])
            lines = whole[1].split("\n")
            continue
        per_line = [_single_wrap(line) for line in lines]
        if any(w is None for w in per_line) or len({w[0] for w in per_line if w}) != 1:
            break
        wrap.append(per_line[0][0])  # type: ignore[index]
        lines = [w[1] for w in per_line if w]
    return lines, wrap


def _single_wrap(line: str) -> tuple[str, str] | None:
    tokens = markup.tokenize(line)
    if len(tokens) < 3:
        return None
    first, last = tokens[0], tokens[-1]
    if first.kind != "open" or last.kind != "close" or first.name != last.name:
        return None
    inner = line[len(first.raw) : -len(last.raw)]
    if markup.unbalanced_tags(inner) or first.name not in markup.CANONICAL:
        return None
    return first.raw, inner


def _strip_notes(line: str) -> str:
    tokens = markup.tokenize(line)
    text_positions = [i for i, t in enumerate(tokens) if t.kind == "text"]
    if text_positions:
        first, last = text_positions[0], text_positions[-1]
        tokens[first] = markup.Token("text", tokens[first].raw.lstrip().lstrip(_NOTES).lstrip())
        tokens[last] = markup.Token("text", tokens[last].raw.rstrip().rstrip(_NOTES).rstrip())
    return "".join(t.raw for t in tokens).strip()


def _strip_dash(line: str) -> str:
    tokens = markup.tokenize(line)
    for i, token in enumerate(tokens):
        if token.kind == "text" and token.raw.strip():
            tokens[i] = markup.Token("text", _DASH.sub("", token.raw.lstrip(), count=1))
            break
    return "".join(t.raw for t in tokens).strip()

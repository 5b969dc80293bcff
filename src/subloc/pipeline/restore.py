"""The restore stage: translations back into cues.

Inline tags: a translation that kept the source's tags (balanced, same set) is used as it
is; otherwise its tags are removed and the source's tags re-anchored at the same relative
word positions, and a ``tag-reanchored`` issue says so. Then merged segments are split
back over their cues, dialogue parts get the target language's dash, ♪ markers and
whole-cue formatting go back on, and every cue is re-wrapped. Case follows the source: a
cue written all in capitals (a sign, a scoreboard, a shout) comes back in capitals, as the
target language writes them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from subloc import markup
from subloc.glossary.casing import is_all_caps, upper
from subloc.issues import Issue
from subloc.pipeline.fit import FitLimits, Protected, wrap
from subloc.pipeline.redistribute import split_by_shares
from subloc.pipeline.segment import CueParts, Segment
from subloc.textwidth import base_language
from subloc.track import Cue

#: Dialogue dash per target language (Spanish and Catalan put no space after it).
DASHES = {"es": "-", "ca": "-"}
DEFAULT_DASH = "- "


@dataclass
class RestoreResult:
    cues: list[Cue]
    issues: list[Issue]


def restore_tags(source: str, translation: str) -> tuple[str, bool]:
    """The translation with the source's inline tags; True if they had to be re-anchored."""
    source_tags = Counter(t.raw for t in markup.tokenize(source) if t.is_tag)
    target_tags = Counter(t.raw for t in markup.tokenize(translation) if t.is_tag)
    if source_tags == target_tags and not markup.unbalanced_tags(translation):
        return translation, False
    plain_words = markup.strip_tags(translation).split()
    if not source_tags:
        return " ".join(plain_words), False
    return _reanchor(source, plain_words), True


def _reanchor(source: str, words: list[str]) -> str:
    """Put each source tag before the translated word at the same relative position; a
    closing tag goes after at least one word past its opening tag, so tags stay balanced
    however the positions round."""
    tokens = markup.tokenize(source)
    total = max(len(markup.strip_tags(source).split()), 1)
    inserts: dict[int, list[str]] = {}
    opened: list[tuple[str, int]] = []  # (tag name, position) of tags still open
    seen_words = 0
    for token in tokens:
        if token.kind == "text":
            seen_words += len(token.raw.split())
            continue
        position = min(round(seen_words / total * len(words)), len(words))
        if token.kind == "open":
            position = min(position, max(len(words) - 1, 0))  # an opening tag needs a word
            opened.append((token.name, position))
        elif token.kind == "close":
            names = [name for name, _ in opened]
            if token.name in names:
                index = len(names) - 1 - names[::-1].index(token.name)
                position = max(position, opened.pop(index)[1] + 1)
            position = min(max(position, 1), len(words))
        inserts.setdefault(position, []).append(token.raw)
    out: list[str] = []
    for index in range(len(words) + 1):
        tags = inserts.get(index, [])
        closes = "".join(t for t in tags if t.startswith("</"))
        opens = "".join(t for t in tags if not t.startswith("</"))
        if closes and out:
            out[-1] += closes
        word = words[index] if index < len(words) else ""
        if opens or word:
            out.append(opens + word)
    return " ".join(out)


def rebuild_cues(
    cues: list[Cue],
    parts: dict[int, CueParts],
    segments: list[Segment],
    translations: list[str],
    language: str,
    limits: FitLimits,
    protected: Protected = (),
    dash: str | None = None,
) -> RestoreResult:
    """Target cues: same ids and timings as ``cues``, text from ``translations``.
    ``protected`` (the job's glossary terms and names) is never split by a line break
    where a layout that fits keeps it whole; ``dash`` is the dialogue dash of the
    profile and language (else the language's default, :data:`DASHES`)."""
    issues: list[Issue] = []
    pieces: dict[int, dict[int, str]] = {}
    for seg, translated in zip(segments, translations, strict=True):
        text, moved = restore_tags(seg.text, translated.strip())
        if moved:
            issues.append(Issue("tag-reanchored", "warning",
                                "the translation lost or changed inline tags; they were put "
                                "back at the same relative position: check them",
                                cue=seg.cue_ids[0]))
        if not markup.strip_tags(text).strip():
            issues.append(Issue("mt-empty", "warning",
                                "the engine returned nothing; the source text was kept",
                                cue=seg.cue_ids[0]))
            text = seg.text
        split = split_by_shares(text, seg.shares, language) if len(seg.cue_ids) > 1 else [text]
        for cue_id, piece in zip(seg.cue_ids, split, strict=True):
            pieces.setdefault(cue_id, {})[seg.part or 0] = piece
    dash = dash or DASHES.get(base_language(language), DEFAULT_DASH)
    out: list[Cue] = []
    for cue in cues:
        cue_parts = parts[cue.id]
        texts = [pieces.get(cue.id, {}).get(i, "") for i in range(len(cue_parts.parts))]
        if not texts:
            out.append(cue.copy())
            continue
        if is_all_caps(" ".join(cue.plain_lines)):
            texts = [upper_markup(text, language) for text in texts]
        if cue_parts.dialogue:
            lines = [dash + text for text in texts]
        else:
            # Leave room for the ♪ markers that go back on after wrapping.
            marks = 2 * sum(cue_parts.lyric)
            lines = wrap(texts[0], replace(limits, max_chars=limits.max_chars - marks), language,
                         protected)
        lines = _decorate(lines, cue_parts)
        out.append(cue.copy(lines=lines))
    return RestoreResult(out, issues)


#: What upper-casing leaves alone inside text: ASS escapes (\\N, \\h) and entities.
_KEEP_CASE = re.compile(r"\\[A-Za-z]|&#?\w+;")


def upper_markup(text: str, language: str) -> str:
    """``text`` in capitals, its tags, escapes and entities untouched."""
    out: list[str] = []
    for token in markup.tokenize(text):
        if token.is_tag:
            out.append(token.raw)
            continue
        pos = 0
        for keep in _KEEP_CASE.finditer(token.raw):
            out.append(upper(token.raw[pos : keep.start()], language))
            out.append(keep.group(0))
            pos = keep.end()
        out.append(upper(token.raw[pos:], language))
    return "".join(out)


def _decorate(lines: list[str], parts: CueParts) -> list[str]:
    """Put ♪ markers and whole-cue formatting back on each line."""
    start_note, end_note = parts.lyric
    if start_note:
        lines[0] = "♪ " + lines[0]
    if end_note:
        lines[-1] = lines[-1] + " ♪"
    for opening in reversed(parts.wrap):
        name = markup.tokenize(opening)[0].name
        lines = [f"{opening}{line}</{name}>" for line in lines]
    return lines

"""The fit stage: re-wrap a cue's text to the profile's characters per line and lines.

Balanced two-line layout: prefer a break after punctuation or before a conjunction,
never before punctuation, never a one-word orphan line; full-width aware for CJK, where
text breaks between characters (but not before closing punctuation).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from subloc import markup
from subloc.textwidth import splits_by_character, width

#: Words a line may start with (a break before them reads naturally), per language.
CONJUNCTIONS = {
    "en": {"and", "but", "or", "so", "because", "that", "which", "who", "when", "if", "to"},
    "es": {"y", "pero", "o", "que", "porque", "cuando", "si", "para", "como", "e", "ni"},
    "fr": {"et", "mais", "ou", "que", "qui", "parce", "quand", "si", "pour", "comme", "car"},
    "de": {"und", "aber", "oder", "dass", "weil", "wenn", "als", "denn", "sondern", "um"},
    "it": {"e", "ma", "o", "che", "perché", "quando", "se", "per", "come"},
    "pt": {"e", "mas", "ou", "que", "porque", "quando", "se", "para", "como"},
}
_BREAK_AFTER = ",.;:!?…、。，！？"
_NO_LINE_START = ",.;:!?…)]}»”’、。，！？」』）"
_NO_LINE_END = "([{«“‘「『（"


@dataclass(frozen=True)
class FitLimits:
    max_chars: float = 42
    max_lines: int = 2


#: A cue wider than this many times what the profile's lines can hold is not balanced (it
#: cannot fit whatever the breaks: a script pasted into one cue happens); it is left on one
#: line for the QA to report, which keeps one broken cue from stalling a batch.
HOPELESS = 3


def wrap(text: str, limits: FitLimits, language: str | None = None) -> list[str]:
    """Lay ``text`` (one logical line, markup allowed) out as balanced lines.

    Linear in the words of the cue: every candidate break is scored in constant time from
    prefix sums of the displayed width (three-line layouts are only tried for short cues).
    """
    text = " ".join(text.split())
    if limits.max_lines < 2:
        return [text]
    by_char = splits_by_character(language)
    layout = _Layout(text, by_char, language)
    total = layout.width(0, len(layout.units))
    if total <= limits.max_chars or len(layout.units) < 2 \
            or total > HOPELESS * limits.max_chars * limits.max_lines:
        return [text]
    best_spans: list[tuple[int, int]] = [(0, len(layout.units))]
    best_score = float("inf")
    for spans in _candidates(len(layout.units), limits.max_lines):
        score = _score(layout, spans, limits, language)
        if score < best_score:
            best_spans, best_score = spans, score
    return _balance_tags([layout.line(a, b) for a, b in best_spans])


class _Layout:
    """A cue's units (words, or characters in scripts without spaces) with prefix sums of
    their displayed width, so the width of any run of units is O(1)."""

    def __init__(self, text: str, by_char: bool, language: str | None) -> None:
        self.glue = "" if by_char else " "
        self.units = markup.char_units(text) if by_char else text.split(" ")
        self.plain = [markup.strip_tags(unit) for unit in self.units]
        glue_width = width(self.glue, language)
        self.prefix = [0.0]
        for plain in self.plain:
            self.prefix.append(self.prefix[-1] + width(plain, language) + glue_width)
        self.glue_width = glue_width

    def width(self, start: int, end: int) -> float:
        """Displayed width of units ``start..end`` joined (no glue after the last)."""
        if end <= start:
            return 0.0
        return self.prefix[end] - self.prefix[start] - self.glue_width

    def line(self, start: int, end: int) -> str:
        return self.glue.join(self.units[start:end])


def _candidates(count: int, max_lines: int) -> Iterator[list[tuple[int, int]]]:
    """Every way to cut ``count`` units into 2 lines, and into 3 if asked and short."""
    for cut in range(1, count):
        yield [(0, cut), (cut, count)]
    if max_lines >= 3 and count <= 60:
        for a in range(1, count - 1):
            for b in range(a + 1, count):
                yield [(0, a), (a, b), (b, count)]


def _score(layout: _Layout, spans: list[tuple[int, int]], limits: FitLimits,
           language: str | None) -> float:
    widths = [layout.width(a, b) for a, b in spans]
    over = sum(max(0.0, w - limits.max_chars) for w in widths)
    score = over * 100 + 0.5 * (max(widths) - min(widths)) + len(spans) * 4
    # Netflix and BBC prefer the top line shorter (a pyramid) when the two are close.
    if len(spans) == 2 and widths[0] > widths[1]:
        score += 1
    conjunctions = CONJUNCTIONS.get((language or "").split("-")[0], set())
    by_char = splits_by_character(language)
    for start, _end in spans[1:]:
        before = layout.plain[start - 1]
        after = layout.plain[start]
        # A syntactic break reads better than a perfectly even one.
        if before and before[-1] in _BREAK_AFTER:
            score -= 14
        elif after.lower() in conjunctions:
            score -= 8
        if after and after[0] in _NO_LINE_START:
            score += 1000
        if before and before[-1] in _NO_LINE_END:
            score += 1000
        if by_char:
            score += _inside_word_penalty(before[-1:], after[:1])
    if not by_char and len(layout.units) > 3 and any(b - a == 1 for a, b in spans):
        score += 30  # a one-word orphan line
    return score


def _script(char: str) -> str:
    if not char:
        return ""
    code = ord(char)
    if 0x30A0 <= code <= 0x30FF or char in "ー・":
        return "katakana"
    if 0x3040 <= code <= 0x309F:
        return "hiragana"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
        return "han"
    if char.isalnum():
        return "latin"
    return "other"


def _inside_word_penalty(before: str, after: str) -> float:
    """Scripts written without spaces still have words: a break inside a katakana word or
    a Latin word is as bad as a broken word; inside a kanji compound, nearly as bad. A break
    after kana before kanji or katakana (a particle, then a new word) is where they fall."""
    first, second = _script(before), _script(after)
    if first == second and first in ("katakana", "latin"):
        return 60.0
    if first == second == "han":
        return 20.0
    if first == "hiragana" and second in ("han", "katakana"):
        return -4.0
    return 0.0


def _balance_tags(lines: list[str]) -> list[str]:
    """Close canonical tags at each line end and reopen them on the next line."""
    result: list[str] = []
    carried: list[markup.Token] = []
    for line in lines:
        tokens = [*carried, *markup.tokenize(line)]
        stack: list[markup.Token] = []
        for token in tokens:
            if token.name not in markup.CANONICAL:
                continue
            if token.kind == "open":
                stack.append(token)
            elif token.kind == "close" and stack and stack[-1].name == token.name:
                stack.pop()
        closing = "".join(f"</{t.name}>" for t in reversed(stack))
        result.append("".join(t.raw for t in tokens) + closing)
        carried = stack
    return result

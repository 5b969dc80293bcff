"""The fit stage: re-wrap a cue's text to the profile's characters per line and lines.

Balanced two-line layout: prefer a break after punctuation or before a conjunction,
never before punctuation, never a one-word orphan line; full-width aware for CJK, where
text breaks between characters (but not before closing punctuation).
"""

from __future__ import annotations

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


def wrap(text: str, limits: FitLimits, language: str | None = None) -> list[str]:
    """Lay ``text`` (one logical line, markup allowed) out as balanced lines."""
    text = " ".join(text.split())
    if width(markup.strip_tags(text), language) <= limits.max_chars or limits.max_lines < 2:
        return [text]
    by_char = splits_by_character(language)
    units = markup.char_units(text) if by_char else text.split(" ")
    glue = "" if by_char else " "
    if len(units) < 2:
        return [text]
    best_lines = [text]
    best_score = float("inf")
    for lines in _candidates(len(units), limits.max_lines):
        parts = [glue.join(units[a:b]) for a, b in lines]
        score = _score(parts, units, lines, limits, language)
        if score < best_score:
            best_lines, best_score = parts, score
    return _balance_tags(best_lines)


def _candidates(count: int, max_lines: int) -> list[list[tuple[int, int]]]:
    """Every way to cut ``count`` units into 2..max_lines lines (3 lines only if asked)."""
    result = [[(0, cut), (cut, count)] for cut in range(1, count)]
    if max_lines >= 3 and count <= 60:
        result += [[(0, a), (a, b), (b, count)]
                   for a in range(1, count - 1) for b in range(a + 1, count)]
    return result


def _score(parts: list[str], units: list[str], spans: list[tuple[int, int]],
           limits: FitLimits, language: str | None) -> float:
    widths = [width(markup.strip_tags(p), language) for p in parts]
    over = sum(max(0.0, w - limits.max_chars) for w in widths)
    score = over * 100 + 0.5 * (max(widths) - min(widths)) + len(parts) * 4
    # Netflix and BBC prefer the top line shorter (a pyramid) when the two are close.
    if len(parts) == 2 and widths[0] > widths[1]:
        score += 1
    conjunctions = CONJUNCTIONS.get((language or "").split("-")[0], set())
    for start, _end in spans[1:]:
        before = markup.strip_tags(units[start - 1])
        after = markup.strip_tags(units[start])
        # A syntactic break reads better than a perfectly even one.
        if before and before[-1] in _BREAK_AFTER:
            score -= 14
        elif after.lower() in conjunctions:
            score -= 8
        if after and after[0] in _NO_LINE_START:
            score += 1000
        if before and before[-1] in _NO_LINE_END:
            score += 1000
    if splits_by_character(language):
        for start, _end in spans[1:]:
            score += _inside_word_penalty(markup.strip_tags(units[start - 1])[-1:],
                                          markup.strip_tags(units[start])[:1])
    non_cjk = not splits_by_character(language)
    if non_cjk and any(len(p.split(" ")) == 1 for p in parts) and len(units) > 3:
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

"""The fit stage: re-wrap a cue's text to the profile's characters per line and lines.

Balanced two-line layout: prefer a break after punctuation or before a conjunction,
never before punctuation, never a one-word orphan line; full-width aware for CJK, where
text breaks between characters (but not before closing punctuation).

Units that belong together are not split (:mod:`subloc.qa.linebreak`): glossary terms and
``dnt`` names (``protected``), capitalised name sequences, a number and its unit or
currency, and, per language, an article or a preposition and the word after it. Among the
layouts that fit, one that keeps every unit whole wins; only when none does is a unit
split (and :func:`fit_lines` says which). No-break spaces (U+00A0, U+202F, U+2007) are
kept: a line never breaks at one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from subloc import markup
from subloc.glossary.model import Entry
from subloc.qa.linebreak import BREAKING_SPACES, STRONG, TermIndex, cut_weights, split_units
from subloc.qa.linebreak import CONJUNCTIONS as _CONJUNCTIONS
from subloc.textwidth import splits_by_character, width

#: Words a line may start with (a break before them reads naturally), per language.
CONJUNCTIONS = {language: set(words) for language, words in _CONJUNCTIONS.items()}
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


#: What a caller may protect: glossary terms and names (strings, matched on word
#: boundaries, case-insensitively), character spans ``(start, end)`` of ``text`` as given,
#: or a :class:`~subloc.qa.linebreak.TermIndex` built once for many cues.
Protected = TermIndex | Sequence[str | tuple[int, int]]

_PIECE = re.compile(f"[^{BREAKING_SPACES}]+")


@dataclass(frozen=True)
class Fitted:
    """A wrapped cue: its lines, and the units its breaks split (``Día de / Acción de
    Gracias``): empty unless no layout that fits keeps them all whole."""

    lines: list[str]
    split: tuple[str, ...] = field(default=())


def wrap(text: str, limits: FitLimits, language: str | None = None,
         protected: Protected = ()) -> list[str]:
    """Lay ``text`` (one logical line, markup allowed) out as balanced lines, never
    splitting a ``protected`` term or span, a name, or a number and its unit when a
    layout that fits keeps them whole (see :func:`fit_lines`)."""
    return fit_lines(text, limits, language, protected).lines


def fit_lines(text: str, limits: FitLimits, language: str | None = None,
              protected: Protected = ()) -> Fitted:
    """:func:`wrap`, saying which units the chosen breaks split.

    Linear in the words of the cue: every candidate break is scored in constant time from
    prefix sums of the displayed width and one weight per break (three-line layouts are
    only tried for short cues).
    """
    pieces = [(match.start(), match.end()) for match in _PIECE.finditer(text)]
    joined = " ".join(text[a:b] for a, b in pieces)
    if limits.max_lines < 2:
        return Fitted([joined])
    by_char = splits_by_character(language)
    layout = _Layout(joined, by_char, language)
    count = len(layout.units)
    total = layout.width(0, count)
    if total <= limits.max_chars or count < 2 \
            or total > HOPELESS * limits.max_chars * limits.max_lines:
        return Fitted([joined])
    weights = _weights(layout, text, pieces, by_char, language, protected)
    guarded = any(weights)
    best_spans: list[tuple[int, int]] = [(0, count)]
    best_key: tuple[float, float, float] = (2.0, 0.0, float("inf"))
    for spans in _candidates(count, limits.max_lines):
        score, legal = _score(layout, spans, limits, language)
        if guarded:
            split = float(sum(weights[a] for a, _ in spans[1:]))
            # A layout that fits (and breaks nowhere forbidden) keeping the units whole
            # wins; then one that fits; only then the best of the rest.
            key = (0.0, split, score) if legal else (1.0, score, split)
        else:
            key = (0.0, 0.0, score)
        if key < best_key:
            best_spans, best_key = spans, key
    lines = _balance_tags([layout.line(a, b) for a, b in best_spans])
    split_at = [a for a, _ in best_spans[1:] if weights[a]]
    if not split_at:
        return Fitted(lines)
    if by_char:
        return Fitted(lines, tuple(f"{''.join(layout.plain[max(a - 4, 0):a])} / "
                                   f"{''.join(layout.plain[a:a + 4])}" for a in split_at))
    return Fitted(lines, tuple(split_units(layout.plain, weights, a) for a in split_at))


def glossary_terms(entries: Iterable[Entry]) -> tuple[str, ...]:
    """What the target writes of each glossary entry (its targets and their plurals; a
    ``dnt`` entry's source): the terms a line break keeps whole and spelling accepts.
    Forbidden words are not among them."""
    terms: dict[str, None] = {}
    for entry in entries:
        if entry.type == "forbidden":
            continue
        if entry.type == "dnt":
            terms[entry.source] = None
        for term in (*entry.targets, *entry.plurals):
            if term:
                terms[term] = None
    return tuple(terms)


@lru_cache(maxsize=64)
def _term_index(terms: tuple[str, ...]) -> TermIndex:
    return TermIndex.of(terms)


def _weights(layout: _Layout, text: str, pieces: list[tuple[int, int]], by_char: bool,
             language: str | None, protected: Protected) -> list[int]:
    """The cost of a break before each unit of ``layout`` (see
    :func:`subloc.qa.linebreak.cut_weights`)."""
    if isinstance(protected, TermIndex):
        index, spans = protected, []
    else:
        index = _term_index(tuple(p for p in protected if isinstance(p, str)))
        spans = [p for p in protected if not isinstance(p, str)]
    count = len(layout.units)
    ranges: list[tuple[int, int]] = []
    if by_char:
        # Units are characters: terms match as substrings of the displayed text.
        plain = "".join(layout.plain)
        folded = plain.casefold()
        starts = [0]
        for unit in layout.plain:
            starts.append(starts[-1] + len(unit))
        position = {offset: unit for unit, offset in enumerate(starts)}
        for term in index.terms:
            needle = term.casefold()
            found = folded.find(needle) if len(needle) > 1 else -1
            while found >= 0:
                first, last = position.get(found), position.get(found + len(needle))
                if first is not None and last is not None:
                    ranges.append((first, last))
                found = folded.find(needle, found + 1)
        ranges.extend(_char_span_units(text, pieces, layout, spans))
        weights = [0] * (count + 1)
        for start, end in ranges:
            for cut in range(start + 1, min(end, count)):
                weights[cut] = STRONG
        return weights
    for start, end in spans:
        covered = [number for number, (a, b) in enumerate(pieces) if a < end and b > start]
        if covered:
            ranges.append((covered[0], covered[-1] + 1))
    return cut_weights(layout.plain, language, index, ranges)


def _char_span_units(text: str, pieces: list[tuple[int, int]], layout: _Layout,
                     spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character spans of the original ``text`` as unit ranges of a by-character layout."""
    if not spans:
        return []
    # The displayed characters of the original text, in order, are the layout's units
    # (spaces between pieces included); record the original offset of each.
    offsets: list[int] = []
    for number, (a, b) in enumerate(pieces):
        if number:
            offsets.append(a - 1)  # the one space put between two pieces
        for token_start, token in _text_runs(text[a:b]):
            offsets.extend(range(a + token_start, a + token_start + len(token)))
    ranges: list[tuple[int, int]] = []
    for start, end in spans:
        inside = [unit for unit, offset in enumerate(offsets[: len(layout.units)])
                  if start <= offset < end]
        if inside:
            ranges.append((inside[0], inside[-1] + 1))
    return ranges


def _text_runs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, text) of each run of displayed text in ``text`` (tags skipped)."""
    offset = 0
    for token in markup.tokenize(text):
        if not token.is_tag:
            yield offset, token.raw
        offset += len(token.raw)


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
        """Units ``start..end`` as a line; a space where a line breaks between
        characters (Latin words in Japanese) is not kept at either end of it."""
        if not self.glue:
            while start < end and self.units[start] == " ":
                start += 1
            while end > start and self.units[end - 1] == " ":
                end -= 1
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
           language: str | None) -> tuple[float, bool]:
    """The layout's score (lower is better) and whether it is legal: every line fits and
    no line starts with closing punctuation or ends with opening punctuation."""
    widths = [layout.width(a, b) for a, b in spans]
    over = sum(max(0.0, w - limits.max_chars) for w in widths)
    legal = over == 0
    score = over * 100 + 0.5 * (max(widths) - min(widths)) + len(spans) * 4
    # Netflix and BBC prefer the top line shorter (a pyramid) when the two are close.
    if len(spans) == 2 and widths[0] > widths[1]:
        score += 1
    conjunctions = CONJUNCTIONS.get((language or "").split("-")[0], set())
    by_char = splits_by_character(language)
    no_start, no_end = _edges(language)
    for start, _end in spans[1:]:
        before = layout.plain[start - 1]
        after = layout.plain[start]
        # A syntactic break reads better than a perfectly even one.
        if before and before[-1] in _BREAK_AFTER:
            score -= 14
        elif after.lower() in conjunctions:
            score -= 8
        if after and after[0] in no_start:
            score += 1000
            legal = False
        if before and before[-1] in no_end:
            score += 1000
            legal = False
        if by_char:
            score += _inside_word_penalty(before[-1:], after[:1])
    if not by_char and len(layout.units) > 3 and any(b - a == 1 for a, b in spans):
        score += 30  # a one-word orphan line
    return score, legal


@lru_cache(maxsize=64)
def _edges(language: str | None) -> tuple[str, str]:
    """The characters a line may not start with, and may not end with. Quotation marks
    depend on the language: German „so“ closes with “ (English opens with it), and
    German »so« opens with »."""
    from subloc.qa.typography import quote_roles

    opening, closing = quote_roles(language)
    no_start = "".join(c for c in _NO_LINE_START if c not in opening) + closing
    no_end = "".join(c for c in _NO_LINE_END if c not in closing) + opening
    return no_start, no_end


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

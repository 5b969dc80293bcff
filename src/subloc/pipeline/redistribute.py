"""The redistribute stage: a merged segment's translation split back over its cues.

Same cues, same timings: the translation is cut at word boundaries (characters for
languages written without spaces) near each cue's share of the source characters,
preferring a cut after punctuation, and never leaving a cue empty.
"""

from __future__ import annotations

import re
from itertools import pairwise

from subloc import markup
from subloc.textwidth import splits_by_character

ELLIPSIS = "…"
_PUNCT_END = re.compile(r"[,.;:!?…、。，！？][\"'”’»)\]]*$")


def split_by_shares(text: str, shares: list[int], language: str | None = None) -> list[str]:
    """Cut ``text`` into ``len(shares)`` non-empty parts sized like ``shares``."""
    if len(shares) <= 1:
        return [text.strip()]
    by_char = splits_by_character(language)
    units = _units(text, by_char)
    if len(units) < len(shares):
        # Fewer words than cues (a terse translation): one word a cue, then an ellipsis,
        # which reads better than a word cut in pieces and never leaves a cue empty.
        return units + [ELLIPSIS] * (len(shares) - len(units))
    glue, gap = ("", 0) if by_char else (" ", 1)
    total = sum(len(markup.strip_tags(u)) + gap for u in units) or 1
    cuts: list[int] = []
    done = 0.0
    for share in shares[:-1]:
        done += share / sum(shares)
        high = len(units) - (len(shares) - len(cuts) - 1)
        cuts.append(_best_cut(units, done * total, cuts[-1] if cuts else 0, high, gap))
    bounds = [0, *cuts, len(units)]
    return [glue.join(units[a:b]).strip() for a, b in pairwise(bounds)]


def _units(text: str, by_char: bool) -> list[str]:
    return markup.char_units(text.strip()) if by_char else text.split()


def _best_cut(units: list[str], target: float, low: int, high: int, gap: int) -> int:
    """The index to cut before: near ``target`` characters, after punctuation if close."""
    best, best_score = low + 1, float("inf")
    position = sum(len(markup.strip_tags(u)) + gap for u in units[: low + 1])
    for index in range(low + 1, high + 1):
        score = abs(position - target)
        if _PUNCT_END.search(markup.strip_tags(units[index - 1])):
            score -= max(6.0, 0.15 * target)  # a cut after punctuation reads better
        if score < best_score:
            best, best_score = index, score
        position += len(markup.strip_tags(units[index])) + gap
    return best

"""Letter case for glossaries: all-caps spans, sentence starts, and locale-aware upper case.

"Case follows the source": a term found in an all-caps span (a sign, a scoreboard, a shout)
is inserted upper-cased, and a cue written all in capitals comes back all in capitals.
Upper-casing follows the target language where Unicode's default mapping is wrong for it
(Turkish and Azerbaijani dotted i, Greek capitals without accents).
"""

from __future__ import annotations

import re
import unicodedata

from subloc.textwidth import base_language

#: What may stand between a sentence end and the first word of the next sentence.
_OPENERS = "\"'“‘«¿¡(-–— "
_SENTENCE_END = ".!?…"
#: How far back a sentence start is looked for: keeps a long line linear.
LOOK_BACK = 64
_TAG_AT_END = re.compile(r"<[^<>]{0,40}>$")


def is_all_caps(text: str, minimum: int = 2) -> bool:
    """At least ``minimum`` cased letters and no lower-case letter ("GO, SEAGULLS!")."""
    cased = 0
    for char in text:
        if char.islower():
            return False
        if char.isupper():
            cased += 1
    return cased >= minimum


def upper(text: str, language: str | None) -> str:
    """``text`` in capitals, as the language writes them."""
    lang = base_language(language)
    if lang in ("tr", "az"):
        text = text.replace("i", "İ").replace("ı", "I")
    result = text.upper()
    if lang == "el":
        # Greek capitals drop the tonos (and keep the diaeresis).
        decomposed = unicodedata.normalize("NFD", result)
        result = unicodedata.normalize("NFC", decomposed.replace("\u0301", ""))
    return result


def at_sentence_start(text: str, position: int) -> bool:
    """Whether a word at ``position`` starts a sentence: the start of the text, or after
    ``. ! ? …`` (quotes, brackets, inverted marks, dialogue dashes and tags between)."""
    start = max(position - LOOK_BACK, 0)
    before = text[start:position]
    while True:
        stripped = before.rstrip(_OPENERS)
        tag = _TAG_AT_END.search(stripped) if stripped.endswith(">") else None
        if tag is None:
            break
        before = stripped[: tag.start()]
    before = before.rstrip(_OPENERS)
    if not before:
        return start == 0
    return before[-1] in _SENTENCE_END

"""Warnings of ``subloc glossary check`` about entries that look unsafe to enforce.

An entry can be valid and still force wrong subtitles. These shapes are warned about (they
are not errors: a reviewed entry may keep them, with a note saying why):

- a bare common word with several senses ("quarter": a coin, a time, a fraction, a game
  period, a district) enforced without a context: it will be checked, or inserted, where
  the film means another sense;
- an idiom or multi-word phrase marked ``mask``: inserted verbatim it cannot agree with the
  sentence, and a half-matched idiom leaves the other half in English;
- a common word marked ``mask``: a verbatim insertion ignores number, gender and case;
- a plural source with a singular-only target ("quarters" -> "moneda de 25 centavos"), in
  languages whose plurals can be told from the spelling.
"""

from __future__ import annotations

from collections.abc import Iterable

from subloc.glossary.model import Entry, Glossary, Problem, is_name, looks_like_phrase
from subloc.textwidth import base_language

#: English words common in dialogue with several unrelated senses (a sample, not a
#: dictionary: an entry for one of them should carry a context or be a hint).
_AMBIGUOUS_WORDS = """
    bank bar bark bass bat bear bill board bolt book bow bowl box break buck bug cabinet can
    cap capital case cell change check chip club coach college course court crane cross
    current date deck degree degrees diner draft drill duck fair fall fan figure file fine
    fire fit flat fly football foot game grade grave ground hand head iron jam key kid kind
    lead left letter lie light like line match mean mine minute miss mold nail nickel note
    novel order organ park party pass patient pen penny period pie pitch plane plant play
    point pool port post pound present press prom pupil quarter race record rest right ring
    rock row ruler saw scale seal season second set shower sign sink sole spring square staff
    stamp star stick stock story suit table tank tap tear tie tip toast track train trip
    trunk type watch wave well yard
"""
AMBIGUOUS = frozenset(_AMBIGUOUS_WORDS.split())
_IRREGULAR_PLURALS = frozenset({"feet", "teeth", "men", "women", "children", "people", "mice",
                                "geese", "dice", "oxen"})
_NOT_PLURAL_ENDINGS = ("ss", "us", "is", "ics", "'s", "’s", "news")
#: Languages whose plural nouns end in these letters (the head noun comes first there).
_PLURAL_ENDINGS = {"es": ("s",), "pt": ("s",), "ca": ("s",), "gl": ("s",), "fr": ("s", "x"),
                   "it": ("i", "e")}


def warnings(glossaries: Iterable[Glossary]) -> list[Problem]:
    """A warning for every entry that looks unsafe to enforce."""
    found: list[Problem] = []
    for glossary in glossaries:
        for entry in glossary.entries:
            for message in entry_warnings(entry, glossary.target_lang):
                found.append(Problem(entry.origin or glossary.origin, entry.line, message,
                                     severity="warning"))
    return found


def entry_warnings(entry: Entry, target_lang: str) -> list[str]:
    if entry.type not in ("term", "adapt"):
        return []
    messages = []
    mode = entry.mode
    words = entry.source.split()
    single = len(words) == 1 and not is_name(entry.source)
    if mode != "hint" and single and not entry.context and words[0].lower() in AMBIGUOUS:
        messages.append(
            f"{entry.source!r} is a bare common word with several senses; give it a context "
            "(context=next:/prev:/title), use a longer phrase, or make it a hint")
    if mode == "mask" and looks_like_phrase(entry.source):
        messages.append(
            f"{entry.source!r} looks like an idiom or a phrase but is masked: inserted "
            "verbatim it cannot agree with the sentence; make it a hint (or verify)")
    elif mode == "mask" and single and entry.source[:1].islower():
        messages.append(
            f"{entry.source!r} is a common word but is masked: a verbatim insertion ignores "
            "number, gender and case; use verify")
    if mode != "hint" and looks_plural(entry.source) and not entry.plurals \
            and singular_only(entry.targets, target_lang):
        messages.append(
            f"{entry.source!r} is plural but every target looks singular "
            f"({' | '.join(entry.targets)}); give plural targets")
    return messages


def looks_plural(source: str) -> bool:
    """An English source whose last word is a plural ("quarters", "feet")."""
    if not source or is_name(source):
        return False
    last = source.split()[-1].lower()
    if last in _IRREGULAR_PLURALS:
        return True
    return len(last) > 3 and last.endswith("s") and not last.endswith(_NOT_PLURAL_ENDINGS)


def singular_only(targets: Iterable[str], language: str) -> bool:
    """Every target's head word (the first) looks singular, in a language where that can
    be told from the spelling; False where it cannot."""
    endings = _PLURAL_ENDINGS.get(base_language(language))
    if endings is None:
        return False
    heads = [t.split()[0].lower() for t in targets if t.split()]
    return bool(heads) and not any(head.endswith(endings) for head in heads)

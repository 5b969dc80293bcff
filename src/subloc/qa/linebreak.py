"""Where a subtitle line must not break: units that belong together.

Style guides (Netflix's, the BBC's) ask never to separate a first name from a last name,
an article or adjective from its noun, a number from its unit, or a preposition from what
follows. :func:`cut_weights` scores every place between two words of a cue: 0 where a
line may break, :data:`STRONG` inside a glossary term, a ``dnt`` name, a capitalised name
sequence (``Maggie Okafor``, ``Día de Acción de Gracias``, ``Dr. Chen``) or a number and
its unit or currency (``5 km``, ``20 $``, ``6:15 a. m.``), and :data:`WEAK` after an
article or a preposition of the language (a short list per language: the words a line
must not end with). ``subloc.pipeline.fit`` breaks where the weight is lowest among the
layouts that fit; the ``line-break-unit`` rule reports a cue whose break splits a unit.

Everything here is linear in the words of a cue.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from subloc.textwidth import base_language

#: Weight of a break inside a name, a glossary term, or a number and its unit.
STRONG = 3
#: Weight of a break after an article or a preposition.
WEAK = 1

#: Words a line may start with (a break before them reads naturally), per language.
CONJUNCTIONS: dict[str, frozenset[str]] = {
    "en": frozenset({"and", "but", "or", "so", "because", "that", "which", "who", "when",
                     "if", "to"}),
    "es": frozenset({"y", "pero", "o", "que", "porque", "cuando", "si", "para", "como", "e",
                     "ni"}),
    "fr": frozenset({"et", "mais", "ou", "que", "qui", "parce", "quand", "si", "pour",
                     "comme", "car"}),
    "de": frozenset({"und", "aber", "oder", "dass", "weil", "wenn", "als", "denn", "sondern",
                     "um"}),
    "it": frozenset({"e", "ma", "o", "che", "perché", "quando", "se", "per", "come"}),
    "pt": frozenset({"e", "mas", "ou", "que", "porque", "quando", "se", "para", "como"}),
}

#: Articles and prepositions: a line does not end with one (it belongs to the next word).
#: Only words that are hardly ever anything else: English "in", "on", "up", "off" are
#: left out (they end phrasal verbs: "Come in", "Turn it off").
NO_BREAK_AFTER: dict[str, frozenset[str]] = {
    "en": frozenset({"a", "an", "the", "of", "for", "with", "from", "into", "onto", "at",
                     "my", "your", "his", "its", "our", "their"}),
    "es": frozenset({"el", "la", "los", "las", "un", "una", "unos", "unas", "lo", "al", "del",
                     "a", "de", "en", "con", "por", "para", "sin", "sobre", "entre", "hacia",
                     "hasta", "desde", "mi", "tu", "su", "mis", "tus", "sus", "nuestro",
                     "nuestra"}),
    "fr": frozenset({"le", "la", "les", "un", "une", "des", "du", "au", "aux", "de", "à",
                     "en", "dans", "sur", "sous", "avec", "pour", "par", "chez", "sans",
                     "vers", "mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses",
                     "notre", "votre", "leur", "leurs"}),
    "de": frozenset({"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen",
                     "einem", "einer", "eines", "im", "am", "vom", "zum", "zur", "beim",
                     "mit", "von", "für", "bei", "nach", "aus", "auf", "über", "unter",
                     "mein", "meine", "dein", "deine", "sein", "seine", "ihr", "ihre"}),
    "it": frozenset({"il", "lo", "la", "i", "gli", "le", "un", "uno", "una", "di", "a", "da",
                     "in", "con", "su", "per", "tra", "fra", "del", "dello", "della", "dei",
                     "degli", "delle", "al", "allo", "alla", "ai", "agli", "alle", "dal",
                     "dalla", "nel", "nello", "nella", "nei", "sul", "sulla", "mio", "mia",
                     "tuo", "tua", "suo", "sua"}),
    "pt": frozenset({"o", "a", "os", "as", "um", "uma", "uns", "umas", "de", "em", "com",
                     "por", "para", "sem", "do", "da", "dos", "das", "no", "na", "nos",
                     "nas", "ao", "aos", "à", "às", "pelo", "pela", "meu", "minha", "teu",
                     "tua", "seu", "sua"}),
}

#: Units and currencies written after a number.
UNITS = frozenset({
    "%", "‰", "°", "°C", "°F", "ºC", "ºF", "km", "m", "cm", "mm", "µm", "nm", "mi", "ft",
    "yd", "kg", "g", "mg", "lb", "lbs", "oz", "l", "L", "ml", "mL", "cl", "dl", "gal", "h",
    "min", "s", "ms", "km/h", "m/s", "mph", "kW", "Hz",
    "kHz", "MHz", "GHz", "KB", "MB", "GB", "TB", "$", "€", "£", "¥", "₩", "₹", "R$", "US$",
    "USD", "EUR", "GBP", "MXN", "BRL", "JPY", "CHF", "a.m.", "p.m.", "am", "pm", "AM",
    "PM", "Uhr", "h.", "hrs", "km²", "m²", "m³", "kmq", "mq",
})
#: Units of two words ("6:15 a. m.", Spanish style).
TWO_WORD_UNITS = frozenset({("a.", "m."), ("p.", "m.")})
#: Currencies written before a number ("$ 20", "R$ 5").
CURRENCY_BEFORE = frozenset({"$", "€", "£", "¥", "R$", "US$", "USD", "EUR", "GBP"})
#: Lowercase words inside a name ("Leonardo da Vinci", "Día de Acción de Gracias").
NAME_PARTICLES = frozenset({"de", "del", "della", "di", "da", "das", "do", "dos", "du",
                            "des", "van", "von", "der", "den", "ter", "la", "le", "bin",
                            "ibn", "al"})
#: Titles that belong to the name after them ("Dr. Chen", "señora Okafor").
TITLES = frozenset({"mr.", "mrs.", "ms.", "dr.", "st.", "prof.", "sr.", "sra.", "srta.",
                    "dra.", "hr.", "fr.", "sig.", "sig.ra", "mme", "mlle", "señor",
                    "señora", "señorita", "doña", "monsieur", "madame", "mademoiselle",
                    "herr", "frau", "signor", "signora", "signorina", "senhor", "senhora",
                    "mister", "madam", "tío", "tía", "uncle", "aunt", "capitán", "captain",
                    "capitaine", "kapitän", "detective", "detektiv", "officer"})
#: The titles as :func:`core` leaves them (``dr.`` -> ``dr``).
TITLE_CORES = frozenset(title.rstrip(".") for title in TITLES)

#: Spaces a line may break at: every Unicode space but the no-break ones (U+00A0 no-break
#: space, U+2007 figure space, U+202F narrow no-break space), which stay inside a word.
BREAKING_SPACES = ("\t\n\v\f\r \x1c-\x1f\x85\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029"
                   "\u205f\u3000")
_PIECE = re.compile(f"[^{BREAKING_SPACES}]+")


def words_of(text: str) -> list[str]:
    """The words of ``text`` as a line break sees them (no-break spaces inside words)."""
    return _PIECE.findall(text)


#: Punctuation that may lead or trail a word without being part of it.
_EDGE = "¿¡\"'“”„«»‹›‚‘’()[]{}…,.;:!?—–-♪*"
_TRAILING_STOP = ",.;:!?…)]}»”\"’—–"
_NUMBER = re.compile(r"^[-+−]?\d+(?:[.,:'’]\d+)*(?:[.,]\d+)?$")
_GROUP = re.compile(r"^\d{3}(?:[.,]\d+)?$")


def core(word: str) -> str:
    """``word`` without the punctuation around it (``¿Maggie,`` -> ``Maggie``)."""
    return word.strip(_EDGE)


def _capitalised(word: str, raw: str) -> bool:
    """Title case (``Maggie``, ``McKay``, ``Día``) or an initial (``J.``); not all caps,
    and not a one-letter word without a dot (English "I", Spanish "Y")."""
    if not word or not word[0].isupper():
        return False
    if len(word) == 1:
        return raw.endswith(".")
    return any(char.islower() for char in word[1:])


def _ends_phrase(word: str) -> bool:
    """A word ending in punctuation closes a name or phrase (``Hello,`` ``home.``)."""
    return bool(word) and word[-1] in _TRAILING_STOP


def _unit(word: str) -> bool:
    word = word.rstrip(",;:!?)")
    return word in UNITS or word.rstrip(".") in UNITS


@dataclass(frozen=True)
class TermIndex:
    """Glossary terms and ``dnt`` names, indexed by their first word so a cue is matched
    in one pass (whatever the number of terms)."""

    terms: tuple[str, ...] = ()
    _by_first: dict[str, tuple[tuple[str, ...], ...]] = field(
        default_factory=dict, repr=False, compare=False)
    #: Every word of every term (casefolded): a quick "could a term be here?" test.
    words: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    @classmethod
    def of(cls, terms: Iterable[str]) -> TermIndex:
        unique = tuple(dict.fromkeys(t.strip() for t in terms if t and t.strip()))
        by_first: dict[str, list[tuple[str, ...]]] = {}
        words: set[str] = set()
        for term in unique:
            parts = tuple(core(part).casefold() for part in term.split())
            parts = tuple(p for p in parts if p)
            if len(parts) < 2:
                continue  # a one-word term cannot be split by a line break
            by_first.setdefault(parts[0], []).append(parts)
            words.update(parts)
        return cls(unique, {k: tuple(sorted(v, key=len, reverse=True))
                            for k, v in by_first.items()}, frozenset(words))

    def ranges(self, folded: Sequence[str]) -> list[tuple[int, int]]:
        """Word ranges ``[start, end)`` of ``folded`` (casefolded cores) that are terms."""
        found: list[tuple[int, int]] = []
        if not self._by_first:
            return found
        for start, word in enumerate(folded):
            for parts in self._by_first.get(word, ()):
                end = start + len(parts)
                if end <= len(folded) and tuple(folded[start:end]) == parts:
                    found.append((start, end))
                    break
        return found


def cut_weights(words: Sequence[str], language: str | None,
                terms: TermIndex | None = None,
                ranges: Iterable[tuple[int, int]] = ()) -> list[int]:
    """``weights[k]``: the cost of a line break before ``words[k]`` (0 where a line may
    break; ``weights[0]`` and ``weights[len(words)]`` are 0). ``words`` are the displayed
    words of one cue (tags removed); ``ranges`` are extra word ranges ``[start, end)`` to
    keep whole (spans a caller protects)."""
    count = len(words)
    weights = [0] * (count + 1)
    if count < 2:
        return weights
    lang = base_language(language)
    stop = NO_BREAK_AFTER.get(lang, frozenset())
    conjunctions = CONJUNCTIONS.get(lang, frozenset())
    cores = [core(word) for word in words]
    folded = [c.casefold() for c in cores]

    def protect(start: int, end: int, weight: int) -> None:
        for cut in range(max(start + 1, 1), min(end, count)):
            if weights[cut] < weight:
                weights[cut] = weight

    for start, end in ranges:
        protect(start, end, STRONG)
    if terms is not None:
        for start, end in terms.ranges(folded):
            protect(start, end, STRONG)
    for index in range(count - 1):
        word, nxt = words[index], words[index + 1]
        if _ends_phrase(word):
            continue
        # A number and its unit or currency; a currency and its number; digit groups.
        if _NUMBER.match(cores[index]):
            if index + 2 < count and (nxt, words[index + 2].rstrip(",;:!?")) in TWO_WORD_UNITS:
                protect(index, index + 3, STRONG)
            elif _unit(nxt) or (len(cores[index]) <= 3 and _GROUP.match(cores[index + 1])):
                protect(index, index + 2, STRONG)
        elif word in CURRENCY_BEFORE and _NUMBER.match(cores[index + 1]):
            protect(index, index + 2, STRONG)
        # An article or a preposition belongs to the word after it.
        if folded[index] in stop and cores[index + 1] and folded[index + 1] not in conjunctions:
            protect(index, index + 2, WEAK)
    _protect_names(words, cores, folded, protect)
    return weights


def _protect_names(words: Sequence[str], cores: Sequence[str], folded: Sequence[str],
                   protect: Callable[[int, int, int], None]) -> None:
    """Capitalised words in a row (``Maggie Okafor``), with at most two particles between
    two of them (``Día de Acción de Gracias``), and a title before one (``Dr. Chen``,
    ``señora Okafor``): one unit each."""
    count = len(words)

    def closes(position: int) -> bool:
        """Whether the word at ``position`` ends the run (its punctuation is not that of
        a title or an initial)."""
        word = words[position]
        if not _ends_phrase(word):
            return False
        return not (word.endswith(".") and (folded[position] in TITLE_CORES
                                            or len(cores[position]) == 1))

    index = 0
    while index < count - 1:
        if not (_capitalised(cores[index], words[index]) or folded[index] in TITLE_CORES):
            index += 1
            continue
        last = index
        following = index + 1
        while following < count and not closes(last):
            if _capitalised(cores[following], words[following]):
                last = following
                following += 1
                continue
            step = following
            while step < count and step - following < 2 and folded[step] in NAME_PARTICLES \
                    and not _ends_phrase(words[step]):
                step += 1
            if following < step < count and _capitalised(cores[step], words[step]):
                last = step
                following = step + 1
                continue
            break
        if last > index:
            protect(index, last + 1, STRONG)
        index = max(last, index) + 1


def split_units(words: Sequence[str], weights: Sequence[int], cut: int) -> str:
    """The words around a break at ``cut`` that it splits, for a message:
    ``Día de / Acción de Gracias``."""
    start = cut - 1
    while start > 0 and weights[start] > 0:
        start -= 1
    end = cut + 1
    while end < len(words) and weights[end] > 0:
        end += 1
    return f"{' '.join(words[start:cut])} / {' '.join(words[cut:end])}"

"""Spell check with Hunspell, the engine and dictionaries of LibreOffice, Firefox and
Subtitle Edit.

subloc calls the Hunspell library (``libhunspell-1.7``) through :mod:`ctypes` and reads
the dictionaries the system has (Debian and Ubuntu: ``apt-get install hunspell-es
hunspell-fr hunspell-de-de``; macOS: ``brew install hunspell`` and the ``.aff``/``.dic``
files in ``~/Library/Spelling``); ``DICPATH`` adds folders, as it does for Hunspell itself.
No Python package is needed, and a missing library or dictionary is one info line per
track saying how to install it, never a failure.

A word is looked up once per run (per dictionary); then, for each cue, what is not an
error is left out: glossary terms and ``dnt`` names (the job's glossary), names in the
source cue (capitalised words the target keeps), numbers and words next to digits,
acronyms (all capitals, up to 4 letters), brand-like mixed case (``iPhone``), words with
letters the language's alphabet does not have (a foreign name, pseudo-localized text),
and the user's words (``--words FILE``, or ``words = [...]`` in the profile's ``[style]``).
A language written without spaces (Japanese, Chinese, Thai) is not spell-checked.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from subloc.issues import Issue
from subloc.qa.linebreak import UNITS
from subloc.textwidth import base_language, splits_by_character

if TYPE_CHECKING:
    from subloc.qa.rules import CheckContext
    from subloc.track import Cue

#: Where dictionaries are looked for, after the folders in ``DICPATH``.
SYSTEM_DIRS = ("/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts",
               "/usr/local/share/hunspell", "/opt/homebrew/share/hunspell",
               "/Library/Spelling", "~/Library/Spelling", "~/.local/share/hunspell")
#: The dictionaries a language without a region uses: a word any of them knows is right
#: (British and American English; Brazilian and European Portuguese).
DEFAULT_DICTIONARIES: Mapping[str, tuple[str, ...]] = {
    "en": ("en_US", "en_GB"), "pt": ("pt_BR", "pt_PT"), "es": ("es_ES", "es"),
    "fr": ("fr_FR", "fr"), "de": ("de_DE", "de_AT"), "it": ("it_IT",), "ca": ("ca_ES", "ca"),
    "nl": ("nl_NL", "nl"), "sv": ("sv_SE",), "da": ("da_DK",), "nb": ("nb_NO",),
    "cs": ("cs_CZ",), "pl": ("pl_PL",), "ru": ("ru_RU",), "uk": ("uk_UA",), "el": ("el_GR",),
}
#: Languages (and tags) whose regions spell differently: a region's missing dictionary is
#: not replaced by another region's.
REGIONAL_SPELLING = frozenset({"en", "pt", "de-CH"})
#: Debian's package of each language's dictionary (for the install hint).
DEBIAN_PACKAGES: Mapping[str, str] = {
    "en": "hunspell-en-us", "pt": "hunspell-pt-br", "de": "hunspell-de-de",
    "pt-PT": "hunspell-pt-pt", "en-GB": "hunspell-en-gb", "de-AT": "hunspell-de-at",
    "de-CH": "hunspell-de-ch", "sv": "hunspell-sv", "nb": "hunspell-no",
}
_LIBRARIES = ("libhunspell-1.7.so.0", "libhunspell-1.7.so", "libhunspell-1.7.0.dylib",
              "libhunspell-1.7.dylib", "libhunspell.so", "libhunspell.dylib", "libhunspell.dll",
              "hunspell.dll")

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_TRY = re.compile(r"^TRY[ \t]+(\S+)", re.MULTILINE)
_WORDCHARS = re.compile(r"^WORDCHARS[ \t]+(\S+)", re.MULTILINE)
_SET = re.compile(r"^SET[ \t]+(\S+)", re.MULTILINE)
_NEAR = "@#/_\\"
_SPACES = " \t\u00a0\u202f\u2007"


# --- the library and the dictionaries --------------------------------------------------

@lru_cache(maxsize=1)
def _library() -> ctypes.CDLL | None:
    names = list(_LIBRARIES)
    for short in ("hunspell-1.7", "hunspell"):
        found = ctypes.util.find_library(short)
        if found:
            names.insert(0, found)
    for name in names:
        try:
            library = ctypes.CDLL(name)
        except OSError:
            continue
        library.Hunspell_create.restype = ctypes.c_void_p
        library.Hunspell_create.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        library.Hunspell_spell.restype = ctypes.c_int
        library.Hunspell_spell.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        library.Hunspell_get_dic_encoding.restype = ctypes.c_char_p
        library.Hunspell_get_dic_encoding.argtypes = [ctypes.c_void_p]
        library.Hunspell_destroy.restype = None
        library.Hunspell_destroy.argtypes = [ctypes.c_void_p]
        return library
    return None


def search_dirs() -> list[Path]:
    """The folders searched for ``<name>.aff`` and ``<name>.dic``, in order."""
    extra = [p for p in os.environ.get("DICPATH", "").split(os.pathsep) if p]
    return [Path(p).expanduser() for p in (*extra, *SYSTEM_DIRS)]


def find_dictionaries(language: str) -> list[Path]:
    """The dictionaries (paths without ``.aff``/``.dic``) for ``language``: its region's
    (``es-MX``: ``es_MX``), else the language's defaults (:data:`DEFAULT_DICTIONARIES`),
    else any ``<lang>_*`` found. Each file once (Debian links every ``es_*`` to one)."""
    tag = language.replace("_", "-")
    base = base_language(tag)
    parts = tag.split("-")
    names: list[str] = []
    if len(parts) > 1:
        region = parts[1].upper() if len(parts[1]) == 2 else parts[1]
        names += [f"{base}_{region}", f"{base}-{region}"]
    else:
        names += list(DEFAULT_DICTIONARIES.get(base, (f"{base}_{base.upper()}", base)))
    found: list[Path] = []
    seen: set[Path] = set()
    folders = [d for d in search_dirs() if d.is_dir()]
    for name in names:
        for folder in folders:
            stem = folder / name
            if stem.with_suffix(".aff").is_file() and stem.with_suffix(".dic").is_file():
                real = stem.with_suffix(".dic").resolve()
                if real not in seen:
                    seen.add(real)
                    found.append(stem)
                break
        if found and len(parts) > 1:
            break
    if found:
        return found
    if len(parts) > 1:
        # A region without its own dictionary uses the language's, where regions spell
        # alike (es-AR, de-AT); not where they do not (en-GB, pt-PT, de-CH).
        if base in REGIONAL_SPELLING or tag in REGIONAL_SPELLING:
            return []
        return find_dictionaries(base)
    for folder in folders:
        for dic in sorted(folder.glob(f"{base}_*.dic")):
            if dic.with_suffix(".aff").is_file():
                return [dic.with_suffix("")]
    return []


def install_hint(language: str) -> str:
    tag = language.replace("_", "-")
    package = DEBIAN_PACKAGES.get(tag) or DEBIAN_PACKAGES.get(base_language(tag)) \
        or f"hunspell-{base_language(tag)}"
    return (f"install one (Debian/Ubuntu: apt-get install {package}), or put its .aff and "
            f".dic files in a folder named by DICPATH")


_VERDICT_LIMIT = 1_000_000
#: A word's verdict: right, wrong, or not for this dictionary to judge.
RIGHT, WRONG, SKIP = 1, 0, 2


class Speller:
    """One language's Hunspell dictionaries, and the verdict on every word looked up in
    this run (a word is looked up once)."""

    def __init__(self, stems: Sequence[Path], library: ctypes.CDLL) -> None:
        self.name = "+".join(stem.name for stem in stems)
        self._library = library
        self._handles: list[tuple[int, str]] = []
        alphabet: set[str] = set()
        for stem in stems:
            aff = stem.with_suffix(".aff").read_bytes()
            handle = library.Hunspell_create(os.fsencode(stem.with_suffix(".aff")),
                                             os.fsencode(stem.with_suffix(".dic")))
            if not handle:
                continue
            raw = library.Hunspell_get_dic_encoding(handle) or b"UTF-8"
            encoding = _python_encoding(raw.decode("ascii", "replace"))
            self._handles.append((handle, encoding))
            header = aff.decode(encoding, "replace")
            for pattern in (_TRY, _WORDCHARS):
                for match in pattern.finditer(header):
                    alphabet.update(match.group(1))
        letters = {c for c in alphabet if c.isalpha()}
        letters.update("abcdefghijklmnopqrstuvwxyz")
        self.alphabet = frozenset(letters | {c.upper() for c in letters}
                                  | {c.lower() for c in letters})
        #: The alphabet and what else a word of :data:`_WORD` holds.
        self._writable = self.alphabet | frozenset("'’-")
        self.verdicts: dict[str, int] = {}
        #: The words judged right (a set: a line's words are tested at once).
        self.right: set[str] = set()

    def __del__(self) -> None:
        for handle, _encoding in getattr(self, "_handles", ()):
            self._library.Hunspell_destroy(handle)

    def verdict(self, word: str) -> int:
        """:data:`RIGHT`, :data:`WRONG`, or :data:`SKIP` (a letter the language does not
        write: a foreign word or a name; not for this dictionary to judge)."""
        known = self.verdicts.get(word)
        if known is not None:
            return known
        if len(self.verdicts) >= _VERDICT_LIMIT:
            self.verdicts.clear()
            self.right.clear()
        result = self._judge(word)
        self.verdicts[word] = result
        if result == RIGHT:
            self.right.add(word)
        return result

    def _judge(self, word: str) -> int:
        if not self._writable.issuperset(word):
            return SKIP  # a letter the language does not write
        forms = [word]
        if "’" in word:
            forms.append(word.replace("’", "'"))
        elif "'" in word:
            forms.append(word.replace("'", "’"))
        encodable = False
        for form in forms:
            for handle, encoding in self._handles:
                try:
                    data = form.encode(encoding)
                except UnicodeEncodeError:
                    continue
                encodable = True
                if self._library.Hunspell_spell(handle, data):
                    return RIGHT
        if not encodable:
            return SKIP
        # "gibt's", "rock'n'roll": right when every part of three letters or more is.
        parts = [p for p in re.split(r"['’\-]", word) if p]
        if len(parts) > 1 and all(len(p) < 3 or self._judge(p) == RIGHT for p in parts):
            return RIGHT
        return WRONG


def _python_encoding(name: str) -> str:
    name = name.strip().lower()
    aliases = {"microsoft-cp1251": "cp1251", "iso8859-1": "iso-8859-1",
               "iso8859-2": "iso-8859-2", "iso8859-15": "iso-8859-15", "koi8-r": "koi8-r"}
    return aliases.get(name, name)


@dataclass(frozen=True)
class Missing:
    """Why a language cannot be spell-checked (the info line)."""

    message: str


@lru_cache(maxsize=64)
def speller(language: str) -> Speller | Missing:
    """The speller of ``language`` for this run, or why there is none."""
    library = _library()
    if library is None:
        return Missing("spelling not checked: the Hunspell library is not installed "
                       "(Debian/Ubuntu: apt-get install libhunspell-1.7-0; macOS: brew "
                       "install hunspell)")
    stems = find_dictionaries(language)
    if not stems:
        return Missing(f"spelling not checked: no Hunspell dictionary for {language}; "
                       f"{install_hint(language)}")
    result = Speller(stems, library)
    if not result._handles:
        return Missing(f"spelling not checked: Hunspell could not read {result.name}")
    return result


def available(language: str) -> bool:
    """Whether ``language`` can be spell-checked here."""
    return isinstance(speller(language), Speller)


# --- the words of a user's list ----------------------------------------------------------

def read_words(path: Path) -> list[str]:
    """The words of a word list: one per line (``#`` starts a comment; Hunspell's
    ``word/FLAGS`` and a first line giving the count are accepted too); a line of several
    words adds each."""
    words: list[str] = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.isdigit():
            continue
        line = line.split("/", 1)[0]
        words.extend(_WORD.findall(line))
    return words


# --- the rules ---------------------------------------------------------------------------

def _unknown(text: str, speller: Speller, known: frozenset[str], names: Iterable[str] | None,
             skip_capitalised: bool) -> list[str]:
    """The words of ``text`` the speller rejects and nothing excuses, each once."""
    verdicts = speller.verdicts
    verdict = speller.verdict
    # Most lines hold only words judged right (now or before): no positions needed.
    right = speller.right
    if not any(verdict(word) == WRONG for word in _WORD.findall(text)
               if word not in right and len(word) > 1):
        return []
    found: list[str] = []
    name_set: set[str] | None = None
    for match in _WORD.finditer(text):
        word = match.group()
        known_verdict = verdicts.get(word)
        if known_verdict is None:
            known_verdict = verdict(word)
        if known_verdict != WRONG or len(word) < 2:
            continue
        if word in found or word.casefold() in known:
            continue
        if word.isupper() and len(word) <= 4:
            continue  # an acronym
        if any(a.islower() and b.isupper() for a, b in pairwise(word)):
            continue  # iPhone, McKay
        start, end = match.start(), match.end()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if before.isdigit() or after.isdigit() or before in _NEAR or after in _NEAR \
                or (after == "." and text[end + 1 : end + 2].isalpha()) \
                or (before == "." and text[start - 2 : start - 1].isalpha()):
            continue  # 3D, mp3, @name, example.com
        if word in UNITS and text[:start].rstrip(_SPACES)[-1:].isdigit():
            continue  # 4,5 kg; 20 min
        if skip_capitalised and word[0].isupper():
            continue
        if names is not None and word[0].isupper():
            if name_set is None:
                name_set = set(names)
            if word in name_set:
                continue
        found.append(word)
    return found


def _names(sources: Iterable[Cue | None]) -> Iterator[str]:
    """Capitalised words of source cues: names the target keeps as they are."""
    for source in sources:
        if source is None:
            continue
        for word in _WORD.findall(source.plain_text):
            if word[0].isupper():
                yield word
                # A possessive or a plural of the name ("Maggie's") counts as the name.
                for mark in ("'", "’"):
                    if mark in word:
                        yield word.split(mark, 1)[0]


def _unavailable(message: str) -> Issue:
    """The one line about a track whose spelling could not be checked: always info (a
    missing dictionary is never a failure, whatever the profile makes of ``spelling``)."""
    return Issue("spelling-unavailable", "info", message)


def check_target(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    """The ``spelling`` rule over the target cues."""
    language = ctx.language
    if not cues or not language or splits_by_character(language) or not ctx.style.spelling:
        return
    found = speller(language)
    if isinstance(found, Missing):
        yield _unavailable(found.message)
        return
    known = ctx.known_words
    sources = ctx.sources
    severity = ctx.severity("spelling")
    right, find_words = found.right, _WORD.findall
    for index, cue in enumerate(cues):
        text = cue.plain_text
        if right.issuperset(find_words(text)):
            continue  # most lines: every word already judged right
        if sources:
            source = sources.get(cue.id)
            if source is not None and source.plain_text.strip() == text.strip():
                continue  # left in the source language: the untranslated rule's to say
        neighbours = (cues[i].id for i in (index - 1, index, index + 1) if 0 <= i < len(cues))
        names = _names(sources.get(cue_id) for cue_id in neighbours) if sources else None
        words = _unknown(text, found, known, names, skip_capitalised=False)
        if words:
            listed = ", ".join(repr(w) for w in words)
            yield Issue("spelling", severity, f"not in the {found.name} dictionary: {listed}",
                        cue=cue.id, value=words)


def check_source(cues: list[Cue], ctx: CheckContext) -> Iterator[Issue]:
    """The ``spelling-source`` rule: the source cue of each target cue (once, where
    several target cues share one), its capitalised words taken as names."""
    language = ctx.source_lang
    if not cues or not ctx.sources or not language or splits_by_character(language) \
            or not ctx.source_style.spelling:
        return
    found = speller(language)
    if isinstance(found, Missing):
        yield _unavailable(found.message.replace("spelling not checked",
                                                             "source spelling not checked"))
        return
    known = ctx.known_words
    severity = ctx.severity("spelling-source")
    previous = None
    for cue in cues:
        source = ctx.sources.get(cue.id)
        if source is None or source is previous:
            previous = source
            continue
        previous = source
        words = _unknown(source.plain_text, found, known, None, skip_capitalised=True)
        if words:
            listed = ", ".join(repr(w) for w in words)
            yield Issue("spelling-source", severity,
                        f"source: not in the {found.name} dictionary: {listed}", cue=cue.id,
                        value=words)


def known_words(words: Iterable[str], terms: Iterable[str]) -> frozenset[str]:
    """The words never reported, casefolded: the user's words and every word of the
    glossary's terms and names."""
    out = {w.casefold() for w in words}
    for term in terms:
        out.update(w.casefold() for w in _WORD.findall(term))
    return frozenset(out)


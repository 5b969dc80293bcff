"""Language identification of a whole file with langdetect (seeded, so results repeat)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from subloc import markup
from subloc.errors import InputError
from subloc.track import Cue

_LOCK = threading.Lock()  # langdetect's factory is global state
_SAMPLE_CHARS = 20_000


def sample_text(cues: Iterable[Cue]) -> str:
    """The displayed text of the first cues, as much as detection reads (a track of a
    million cues is not joined into one string to detect its language)."""
    pieces: list[str] = []
    size = 0
    for cue in cues:
        piece = markup.strip_tags(cue.text)
        pieces.append(piece)
        size += len(piece) + 1
        if size >= _SAMPLE_CHARS:
            break
    return "\n".join(pieces)


def detect_language(text: str, path: str = "<memory>") -> tuple[str, float]:
    """The language of ``text`` (ISO 639-1, ``zh`` for Chinese) and its probability."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    with _LOCK:
        DetectorFactory.seed = 0
        try:
            best = detect_langs(text[:_SAMPLE_CHARS])[0]
        except LangDetectException as error:
            raise InputError(f"cannot tell the language ({error}); pass --from LANG",
                             path=path) from error
    return best.lang.split("-")[0], round(float(best.prob), 4)


_PAIR_FACTORIES: dict[tuple[str, str], Any] = {}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
#: Mean Zipf-frequency margin (source minus target language) above which a line counts as
#: left in the source language. Measured on tests/data/untranslated (en->es/fr/de, 1,275
#: correct lines, 375 untranslated): the highest correct line scores 0.09, so 0.5 keeps a
#: margin; recall on lines of 2+ words is 97-100 % there (tests/test_untranslated.py).
WORD_MARGIN = 0.5
_NEEDS_TOKENIZER = frozenset({"ja", "zh", "ko"})
#: langdetect fallback (languages wordfreq lacks): source-language probability needed.
LANGDETECT_THRESHOLD = 0.99


def words_of(text: str) -> list[str]:
    """The lower-case words of ``text``, as the untranslated check counts them."""
    return [w.lower() for w in _WORD.findall(text)]


def is_untranslated(source: str, target: str, source_lang: str, target_lang: str,
                    kept: frozenset[str] = frozenset()) -> str | None:
    """Why ``target`` looks left in the source language, or None.

    Words in ``kept`` (lower-case words of the job's glossary terms and ``dnt`` names,
    which the target writes on purpose) are not evidence either way. Lines of one word
    once those are left out, and lines of only names or numbers, are skipped: they are
    often legitimately the same in both languages. A line identical to its source (2+ words) is
    untranslated; otherwise the decision is between the two languages only, by how common
    the line's words are in each (wordfreq's frequency lists). langdetect, even restricted
    to the two languages, flags 1-4 % of correct short lines (``Pas mal.``, ``Sag was.``)
    as English, far above the 0.5 % a reviewer can live with; word frequencies flag none.
    """
    words = [w for w in words_of(target) if w not in kept]
    if len(words) < 2:
        return None
    letters = _WORD.findall(target)
    if all(w[:1].isupper() for w in letters) and not target.isupper():
        return None  # names only ("Maggie Doyle")
    if words == [w for w in words_of(source) if w not in kept]:
        return "identical to its source"
    src, tgt = source_lang.split("-")[0], target_lang.split("-")[0]
    margin = _frequency_margin(words, src, tgt)
    if margin is not None:
        if margin > WORD_MARGIN:
            return f"its words are {src} words (frequency margin {margin:.1f}), not {tgt}"
        return None
    return _langdetect_verdict(target, src, tgt)


def _frequency_margin(words: list[str], source: str, target: str) -> float | None:
    from wordfreq import zipf_frequency

    known = _wordfreq_languages()
    # Japanese, Chinese and Korean need extra tokenizers (MeCab, jieba) in wordfreq.
    if source not in known or target not in known or {source, target} & _NEEDS_TOKENIZER:
        return None
    return sum(zipf_frequency(w, source) - zipf_frequency(w, target) for w in words) / len(
        words)


@lru_cache(maxsize=1)
def _wordfreq_languages() -> frozenset[str]:
    """Languages wordfreq has lists for (it globs its data directory on every call)."""
    from wordfreq import available_languages

    return frozenset(available_languages())


def _pair_factory(first: str, second: str) -> Any:
    """A langdetect factory that knows only two languages."""
    key = (first, second)
    if key not in _PAIR_FACTORIES:
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

        factory = DetectorFactory()
        profiles = []
        for code in key:
            path = Path(PROFILES_DIRECTORY) / code
            if not path.is_file():
                return None
            profiles.append(path.read_text(encoding="utf-8"))
        factory.load_json_profile(profiles)
        factory.set_seed(0)
        _PAIR_FACTORIES[key] = factory
    return _PAIR_FACTORIES[key]


def _langdetect_verdict(target: str, source: str, target_lang: str) -> str | None:
    factory = _pair_factory(source, target_lang)
    if factory is None:
        return None
    from langdetect.lang_detect_exception import LangDetectException

    with _LOCK:
        detector = factory.create()
        detector.append(target)
        try:
            best = detector.get_probabilities()[0]
        except LangDetectException:
            return None
    if best.lang == source and best.prob >= LANGDETECT_THRESHOLD:
        return f"identified as {best.lang} (p={best.prob:.2f}), not {target_lang}"
    return None

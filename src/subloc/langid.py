"""Language identification of a whole file with langdetect (seeded, so results repeat)."""

from __future__ import annotations

import threading

from subloc.errors import InputError

_LOCK = threading.Lock()  # langdetect's factory is global state
_SAMPLE_CHARS = 20_000


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

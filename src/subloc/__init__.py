"""subloc: localize subtitle tracks offline.

The Python API mirrors the command line::

    import subloc
    track = subloc.load("film.srt")          # any supported format, any encoding
    subloc.save(track, "film.vtt")           # format from the extension, UTF-8

Names are imported lazily so that ``subloc --help`` starts fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Track": "subloc.track",
    "Cue": "subloc.track",
    "load": "subloc.reader",
    "loads": "subloc.reader",
    "save": "subloc.writer",
    "dumps": "subloc.writer",
    "convert": "subloc.convert",
    "ConvertOptions": "subloc.convert",
    "SublocError": "subloc.errors",
    "localize": "subloc.localize",
    "LocalizeOptions": "subloc.localize",
    "check_files": "subloc.qa",
    "CheckOptions": "subloc.qa",
}

if TYPE_CHECKING:
    from subloc.convert import ConvertOptions, convert
    from subloc.errors import SublocError
    from subloc.localize import LocalizeOptions, localize
    from subloc.qa import CheckOptions, check_files
    from subloc.reader import load, loads
    from subloc.track import Cue, Track
    from subloc.writer import dumps, save

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'subloc' has no attribute {name!r}")

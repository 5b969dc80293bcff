"""subloc: localize subtitle tracks offline.

The Python API mirrors the command line::

    import subloc
    track = subloc.load("film.srt")          # any supported format, any encoding
    subloc.save(track, "film.vtt")           # format from the extension, UTF-8

The package is layered; data flows down, and nothing imports upwards:

- ``cli``: one module per command, and the one error boundary (exit codes);
- ``pipeline``: the stages in order (segment, mask, translate, restore, redistribute, fit,
  verify, fix), ``job`` (one source x one target) and the runs behind ``localize``,
  ``check`` and ``convert``;
- ``qa`` (rules, profiles, language identification), ``glossary`` (model, CSV/TBX,
  matching, units), ``engines`` (argos, pseudo, model packages, the translation cache),
  ``reports`` (the typed report and its writers: json, html, junit);
- ``io``: inputs, read, write, atomic writes, encodings, safe XML, over ``formats`` (one
  module per format, with shared ``_timing``/``_colors``/``_lines`` helpers);
- the data model every layer speaks: ``track`` (Track, Cue), ``issues`` (Issue, rule ids,
  severities, exit codes), ``markup``, ``textwidth``, ``errors``.

Names are imported lazily so that ``subloc --help`` starts fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Track": "subloc.track",
    "Cue": "subloc.track",
    "load": "subloc.io.read",
    "loads": "subloc.io.read",
    "save": "subloc.io.write",
    "dumps": "subloc.io.write",
    "convert": "subloc.pipeline.convert",
    "ConvertOptions": "subloc.pipeline.convert",
    "SublocError": "subloc.errors",
    "localize": "subloc.pipeline.localize",
    "LocalizeOptions": "subloc.pipeline.localize",
    "check_files": "subloc.pipeline.check",
    "CheckOptions": "subloc.pipeline.check",
    "deliver": "subloc.pipeline.deliver",
    "DeliveryTrack": "subloc.pipeline.deliver",
    "check_folder": "subloc.pipeline.deliver",
    "load_preset": "subloc.pipeline.presets",
}

if TYPE_CHECKING:
    from subloc.errors import SublocError
    from subloc.io.read import load, loads
    from subloc.io.write import dumps, save
    from subloc.pipeline.check import CheckOptions, check_files
    from subloc.pipeline.convert import ConvertOptions, convert
    from subloc.pipeline.deliver import DeliveryTrack, check_folder, deliver
    from subloc.pipeline.localize import LocalizeOptions, localize
    from subloc.pipeline.presets import load_preset
    from subloc.track import Cue, Track

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'subloc' has no attribute {name!r}")

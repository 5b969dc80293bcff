"""Expanding command-line inputs (files, directories, globs) into subtitle files."""

from __future__ import annotations

import glob
from collections.abc import Iterable
from pathlib import Path

from subloc.errors import InputError

#: Extensions picked up when a directory is given (files named explicitly are always read).
SUBTITLE_EXTENSIONS = frozenset(
    {".srt", ".vtt", ".ass", ".ssa", ".ttml", ".dfxp", ".smi", ".sami", ".sub", ".mpl",
     ".mpl2", ".tmp", ".stl", ".scc", ".json", ".xml", ".txt"}
)
#: In directories, these are only picked up when they look like subtitles (see caller).
_AMBIGUOUS = frozenset({".json", ".xml", ".txt"})


def expand_inputs(inputs: Iterable[str]) -> tuple[list[Path], list[InputError]]:
    """Files named, files under directories (recursively, subtitle extensions), glob matches.

    Returns the files in a stable order without duplicates, and an error for each input
    that matched nothing, so one bad argument does not stop the batch.
    """
    found: list[Path] = []
    errors: list[InputError] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            matches = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUBTITLE_EXTENSIONS
                and p.suffix.lower() not in _AMBIGUOUS and not p.name.startswith(".")
            )
        elif path.exists():
            matches = [path]
        elif glob.has_magic(raw):
            matches = sorted(Path(p) for p in glob.glob(raw, recursive=True) if Path(p).is_file())
        else:
            matches = []
        if not matches:
            reason = "no subtitle files in this directory" if path.is_dir() else (
                "no file matches this pattern" if glob.has_magic(raw) else "no such file")
            errors.append(InputError(reason, path=raw))
        found.extend(matches)
    seen: set[Path] = set()
    unique = []
    for path in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique, errors

"""``subloc tm``: the human translations of the translation cache, as TMX 1.4b.

Export writes every human entry (or one language pair's) as a translation unit; import
stores each (source, target) translation of a TMX file as a human entry, which later runs
use instead of MT for exactly that source segment. Matching is exact (whitespace collapsed):
a segment either is in the memory or it is not. Fuzzy matching would need an index of the
entries (word n-grams or a suffix structure) to find near sources, a similarity score with a
threshold, placeholders for numbers and names so they can be carried over, and a way to
send a fuzzy hit to a reviewer instead of straight into a track (an XLIFF match candidate,
``mtc:match``, rather than a target).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from subloc.engines.cache import HumanEntry, TranslationCache, language_key
from subloc.errors import SublocError, UsageError
from subloc.io.atomic import atomic_write
from subloc.io.read import MAX_INPUT_BYTES, read_bounded
from subloc.io.tmx import TmxEntry, read_tmx, write_tmx
from subloc.issues import exit_code

STATES = ("reviewed", "final")


def _pair(pair: str | None) -> tuple[str, str] | None:
    if not pair:
        return None
    source, _, target = pair.partition(":") if ":" in pair else pair.partition("-")
    if not source or not target:
        raise UsageError(f"--pair must look like en-es (or en-US:es-MX), not {pair!r}")
    return source, target


def export_tm(destination: Path, cache: TranslationCache, pair: str | None = None
              ) -> tuple[int, list[str]]:
    """Write the human translations to ``destination`` as TMX; returns how many, and
    warnings."""
    chosen = _pair(pair)
    rows = cache.human_entries(*chosen) if chosen else cache.human_entries()
    entries = [TmxEntry(source, target, entry.source, entry.translation, entry.state,
                        entry.origin, entry.pieces) for source, target, entry in rows]
    data, replaced = write_tmx(entries)
    atomic_write(destination, data)
    warnings = [f"{destination}: {replaced} characters XML cannot carry were written as "
                "U+FFFD"] if replaced else []
    return len(entries), warnings


@dataclass
class TmImport:
    stored: int = 0
    files: int = 0
    errors: list[SublocError] = field(default_factory=list)

    def exit_code(self) -> int:
        return exit_code(self.errors, (), "never")


def import_tm(paths: Sequence[Path], cache: TranslationCache, *,
              source_lang: str | None = None, target_lang: str | None = None,
              state: str | None = None) -> TmImport:
    """Store the translations of each TMX file as human entries. ``source_lang`` and
    ``target_lang`` pick the languages (a TMX's ``en-US`` is taken for ``en``) and are the
    codes the entries are stored under; ``state`` overrides the files' states. A file that
    cannot be read stores nothing; the others still do."""
    if state is not None and state not in STATES:
        raise UsageError(f"--state must be one of {', '.join(STATES)}")
    result = TmImport()
    for path in paths:
        try:
            entries = read_tmx(read_bounded(path, MAX_INPUT_BYTES), str(path))
        except SublocError as error:
            result.errors.append(error.located(path))
            continue
        groups: dict[tuple[str, str], list[HumanEntry]] = {}
        for entry in entries:
            source = _as(entry.source_lang, source_lang)
            target = _as(entry.target_lang, target_lang)
            if source is None or target is None or not entry.source or not entry.target:
                continue
            kept = state or (entry.state if entry.state in STATES else "reviewed")
            groups.setdefault((source, target), []).append(HumanEntry(
                entry.source, entry.target, kept, entry.pieces,
                entry.origin or path.name))
        for (source, target), items in sorted(groups.items()):
            result.stored += cache.put_human(source, target, items)
        result.files += 1
    return result


def _as(found: str, wanted: str | None) -> str | None:
    """``found`` (a TMX language) as stored: as it is when nothing is asked; ``wanted``
    when it is that language or a regional form of it; None when it is another language."""
    if wanted is None:
        return language_key(found)
    have, want = language_key(found), language_key(wanted)
    if have == want or have.split("-")[0] == want:
        return want
    return None


__all__ = ["TmImport", "export_tm", "import_tm"]

"""The data model shared by every stage: a ``Track`` of ``Cue`` objects.

Times are integer milliseconds. Cue text is kept as a list of lines in subloc's canonical
inline markup (see :mod:`subloc.markup`): ``<i>``, ``<b>``, ``<u>``,
``<font color="#rrggbb">`` and, verbatim, tags of the source format that have no
canonical form (WebVTT ``<c.yellow>``, ASS ``{\\fad(200,0)}``). Each writer maps the
canonical tags to its own syntax and drops the foreign tags it cannot carry.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from subloc import markup


class _NoMeta(dict[str, Any]):
    """The meta of every cue that has none: one shared, unchangeable empty dict (a million
    cues need not carry a million empty dicts). Give a cue meta by assigning a new dict."""

    def _refuse(self, *_args: object, **_kwargs: object) -> None:
        raise TypeError("Cue.meta is shared while empty: assign a new dict instead")

    __setitem__ = __delitem__ = update = setdefault = pop = popitem = clear = _refuse  # type: ignore[assignment]


NO_META: dict[str, Any] = _NoMeta()


@dataclass(slots=True)
class Cue:
    """One subtitle event.

    ``id`` is the 1-based position in the source file and survives renumbering, merging
    and re-wrapping, so reports can always point back to the source cue.
    ``align`` is the numpad position (1-9, 2 = bottom centre, 8 = top centre) when the
    source positions the cue; ``None`` means the format's default (bottom).
    ``meta`` holds what only one format can carry (ASS layer and margins, VTT cue
    settings and identifier) so that writing the same format again loses nothing.
    """

    id: int
    start_ms: int
    end_ms: int
    lines: list[str]
    speaker: str | None = None
    align: int | None = None
    style: str | None = None
    meta: dict[str, Any] = field(default_factory=lambda: NO_META)
    #: ``plain_lines``' cache for lines with markup: (those lines, their plain lines).
    _plain: tuple[tuple[str, ...], list[str]] | None = field(
        default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        """The lines joined with ``\\n``, markup included."""
        return "\n".join(self.lines)

    @property
    def plain_lines(self) -> list[str]:
        """The lines as displayed: markup removed (cached until ``lines`` changes: every QA
        rule asks for it)."""
        if not any("<" in line or "{" in line for line in self.lines):
            return list(self.lines)  # most cues: nothing to strip, and nothing cached
        key = tuple(self.lines)
        cached = self._plain
        if cached is None or cached[0] != key:
            cached = (key, [markup.strip_tags(line) for line in key])
            self._plain = cached
        return list(cached[1])

    @property
    def plain_text(self) -> str:
        return "\n".join(self.plain_lines)

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms

    def copy(self, **changes: Any) -> Cue:
        changes.setdefault("lines", list(self.lines))
        changes.setdefault("meta", dict(self.meta) if self.meta else NO_META)
        changes.setdefault("_plain", None)
        return replace(self, **changes)


@dataclass
class Track:
    """A subtitle file in memory.

    ``format`` is the format it was read from (a key of :data:`subloc.formats.FORMATS`),
    ``encoding`` the encoding it was decoded with, ``fps`` the frame rate when the format
    has one or the user gave one. ``header`` holds what a writer of the same format needs
    to write the file faithfully (ASS styles and script info, VTT STYLE/REGION blocks);
    ``warnings`` collects what the reader noticed but could carry on with.
    """

    cues: list[Cue]
    format: str | None = None
    language: str | None = None
    fps: float | None = None
    encoding: str | None = None
    path: str | None = None
    header: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: The input had no text at all (an empty file), as opposed to text with no cue in it.
    empty_input: bool = False

    def copy(self, **changes: Any) -> Track:
        changes.setdefault("cues", [cue.copy() for cue in self.cues])
        changes.setdefault("header", dict(self.header))
        changes.setdefault("warnings", list(self.warnings))
        return replace(self, **changes)


def renumbered(cues: list[Cue]) -> list[Cue]:
    """Give cues fresh 1-based ids in list order (used by readers, never after reading)."""
    for index, cue in enumerate(cues, start=1):
        cue.id = index
    return cues


class CuesById(Mapping[int, Cue]):
    """The cues of a track by id, without a dict of a million entries: a freshly read
    track numbers its cues 1..n in order, so an id is a position."""

    def __init__(self, cues: Sequence[Cue]) -> None:
        self._cues = cues
        dense = all(cue.id == index for index, cue in enumerate(cues, start=1))
        self._index: dict[int, Cue] | None = None if dense else {c.id: c for c in cues}

    def __getitem__(self, cue_id: int) -> Cue:
        if self._index is not None:
            return self._index[cue_id]
        if isinstance(cue_id, int) and 1 <= cue_id <= len(self._cues):
            return self._cues[cue_id - 1]
        raise KeyError(cue_id)

    def __iter__(self) -> Iterator[int]:
        return (cue.id for cue in self._cues)

    def __len__(self) -> int:
        return len(self._cues)


class CompactCues(Mapping[int, Cue]):
    """Cues kept for reference only (the source cues ``check`` compares a translation
    with), in about a fifth of the memory of :class:`Cue` objects: times in arrays, text as
    one string; a :class:`Cue` is rebuilt when asked for (formatting other than the text's
    inline markup, speaker and format data are not kept)."""

    def __init__(self, cues: Sequence[Cue]) -> None:
        self._starts = array("q", (cue.start_ms for cue in cues))
        self._ends = array("q", (cue.end_ms for cue in cues))
        self._texts = [cue.text for cue in cues]
        dense = all(cue.id == index for index, cue in enumerate(cues, start=1))
        self._index: dict[int, int] | None = None if dense else {
            cue.id: position for position, cue in enumerate(cues)}
        self._ids = None if dense else array("q", (cue.id for cue in cues))

    def _position(self, cue_id: int) -> int:
        if self._index is not None:
            return self._index[cue_id]
        if isinstance(cue_id, int) and 1 <= cue_id <= len(self._texts):
            return cue_id - 1
        raise KeyError(cue_id)

    def __getitem__(self, cue_id: int) -> Cue:
        return self.cue_at(self._position(cue_id))

    def cue_at(self, position: int) -> Cue:
        cue_id = self._ids[position] if self._ids is not None else position + 1
        return Cue(cue_id, self._starts[position], self._ends[position],
                   self._texts[position].split("\n"))

    def spans(self) -> list[tuple[int, int]]:
        """Each cue's (start, end), in order."""
        return list(zip(self._starts, self._ends, strict=True))

    def __iter__(self) -> Iterator[int]:
        if self._ids is not None:
            return iter(self._ids)
        return iter(range(1, len(self._texts) + 1))

    def __len__(self) -> int:
        return len(self._texts)

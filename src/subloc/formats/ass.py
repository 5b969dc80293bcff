"""Advanced SubStation Alpha (.ass), SubStation Alpha (.ssa) and pysubs2's JSON, via pysubs2.

pysubs2 reads the sections and fields (fed one line at a time, so that a line it cannot
read, a bad timestamp or colour, is named, and skipped under ``--lenient``); the event
text is read here, the way libass reads it, and converted to canonical markup and back:

* ``\\i \\b \\u \\c``/``\\1c`` become ``<i> <b> <u> <font color>``, ``\\an``/``\\a``
  becomes ``Cue.align`` (the first one counts, as in libass), ``\\N`` a line break,
  ``\\h`` a no-break space and ``\\{`` ``\\}`` literal braces;
* every other override tag (``\\fad``, ``\\pos``, ``\\clip``, ``\\t(…)``, ``\\move``,
  ``\\org``, ``\\p``, karaoke ``\\k``…) stays as a verbatim ``{\\…}`` block, so ASS written
  from ASS keeps it and the other formats drop it; tags are told apart as libass does
  (``\\clip`` is not ``\\c``, ``\\kf`` is not ``\\k``), whitespace inside a block is
  allowed, and no tag or argument makes a file unreadable;
* what is invisible and has no tag of its own is kept in reserved blocks that no override
  block can look like, because a tag's name never starts with a backslash: a comment
  block ``{note}`` (also ``{}``) is ``{\\\\note}``, and the drawing commands after
  ``\\p1`` are ``{\\\\\\m 0 0 l 10 0}``. Braces inside a block cannot be kept.

Formatting that comes from a style (an italic "Song" style) is made explicit on read, so
converting to SRT keeps it, and left to the style again on write. Times are centiseconds;
ASS's ``H:MM:SS.cc`` stops at 9:59:59.99 (Aegisub clamps later times), so a cue at 10 h or
later is written with two hour digits, which libass, VSFilter and pysubs2 read, and a
warning; one at 100 h or later cannot be written (a warning names it).
"""

from __future__ import annotations

import dataclasses
import io
import json
import math
import re
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TextIO, cast

import pysubs2
from pysubs2.formats import get_format_class

from subloc import markup
from subloc.errors import ParseError
from subloc.formats._colors import ass_color, is_ass_color, rgb_to_bgr
from subloc.formats._timing import clock_time, writable_times
from subloc.formats.base import ReadContext, SubtitleFormat, WriteContext
from subloc.track import Cue, Track

#: libass's override tags in the order it tries them: a tag is the first of these that its
#: name starts with (``\\clip`` is clip, not ``\\c`` with the argument "lip").
_TAG_NAMES = (
    "xbord", "ybord", "xshad", "yshad", "fax", "fay", "iclip", "blur", "fscx", "fscy", "fsc",
    "fsp", "fs", "bord", "move", "frx", "fry", "frz", "fr", "fn", "alpha", "an", "a", "pos",
    "fade", "fad", "org", "t", "clip", "c", "1c", "2c", "3c", "4c", "1a", "2a", "3a", "4a", "r",
    "be", "b", "i", "kt", "kf", "K", "ko", "k", "shad", "s", "u", "pbo", "p", "q", "fe",
)  # fmt: skip
#: Tags whose only arguments are the parenthesised ones (libass's "complex" tags).
_COMPLEX = frozenset({"iclip", "move", "pos", "fade", "fad", "org", "t", "clip"})
_MAX_ARGS = 8
#: SSA's ``\\a`` values (after libass's fix-up of 4 and 8) as numpad positions.
_LEGACY_ALIGN = {1: 1, 2: 2, 3: 3, 5: 7, 6: 8, 7: 9, 9: 4, 10: 5, 11: 6}
_STYLE_TAGS = (("italic", "i"), ("bold", "b"), ("underline", "u"))
#: Reserved canonical blocks (see the module docstring): comments and drawing commands.
_COMMENT = "{\\\\"
_DRAWING = "{\\\\\\"
_SPECIAL = re.compile(r"[{\\]")
_INT = re.compile(r"\s*([+-]?\d+)")
#: A backslash in text that ASS would read as an escape (``\\N``, ``\\h``, ``\\{``…), or
#: that ends a run of text (the next thing written may be a ``{`` block).
_TEXT_ESCAPE = re.compile(r"\\(?=[Nnh{}]|$)")
#: The latest time pysubs2 (two hour digits) reads back, and ASS's own limit (one digit).
_MAX_MS = 359_999_994
_SPEC_MAX_MS = 35_999_994
_EVENT_FIELDS = frozenset(f.name for f in dataclasses.fields(pysubs2.SSAEvent))
_STYLE_FIELDS = frozenset(f.name for f in dataclasses.fields(pysubs2.SSAStyle))


@dataclass(frozen=True)
class _Tag:
    """One override tag: its text (up to the next tag), libass's name for it, its args."""

    raw: str
    name: str | None
    args: tuple[str, ...]


def _push(args: list[str], value: str) -> None:
    value = value.rstrip(" \t")
    if value and len(args) < _MAX_ARGS:
        args.append(value)


def split_block(body: str) -> tuple[str, list[_Tag]]:
    """An override block's content (between ``{`` and ``}``) as libass parses it: the text
    before the first backslash (ignored by renderers: a comment) and the tags. Each tag's
    ``raw`` runs to the next tag, so the raws put together are the block again, less the
    comment (and a ``\\`` with no name before the first tag)."""
    first = body.find("\\")
    if first < 0:
        return body, []
    end, last_paren = len(body), body.rfind(")")
    found: list[tuple[int, str | None, tuple[str, ...]]] = []
    p = first
    while p < end:
        start = body.find("\\", p)
        if start < 0:
            break
        p = start + 1
        while p < end and body[p] in " \t":
            p += 1
        q = p
        while q < end and body[q] not in "(\\":
            q += 1
        if q == p:
            continue  # "\" with no name: libass skips it
        name_end = q
        args: list[str] = []
        if q < end and body[q] == "(":
            q += 1
            while True:
                while q < end and body[q] in " \t":
                    q += 1
                r = q
                while r < end and body[r] not in ",\\)":
                    r += 1
                if r < end and body[r] == ",":
                    _push(args, body[q:r])
                    q = r + 1
                    continue
                if r < end and body[r] == "\\":  # \t(…\tags…): one argument to ")"
                    paren = body.find(")", r) if r < last_paren else -1
                    r = paren if paren >= 0 else end
                _push(args, body[q:r])
                q = r + 1 if r < end else r
                break
        word = body[p:name_end]
        name = next((n for n in _TAG_NAMES if word.startswith(n)), None)
        if name is not None and name not in _COMPLEX:
            _push(args, word[len(name) :])
        found.append((start, name, tuple(args)))
        p = q
    tags = [
        _Tag(body[start : found[index + 1][0] if index + 1 < len(found) else end], name, args)
        for index, (start, name, args) in enumerate(found)
    ]
    return body[:first], tags


def _int_arg(arg: str | None) -> int | None:
    """An argument as libass's ``strtol`` reads it (no digits: 0); ``None`` for no argument."""
    if arg is None:
        return None
    match = _INT.match(arg)
    return int(match.group(1)) if match else 0


def _style_tags(style: Any) -> list[str]:
    """The canonical tags a style's own formatting opens, outermost first."""
    if style is None:
        return []
    return [tag for attribute, tag in reversed(_STYLE_TAGS) if getattr(style, attribute)]


def _reserved(prefix: str, payload: str) -> str:
    return prefix + payload.replace("{", "").replace("}", "") + "}"


class _Canonical:
    """Event text to canonical lines, one piece at a time (see :func:`ass_to_canonical`)."""

    def __init__(self, style: Any, styles: Mapping[str, Any]) -> None:
        self.style = style
        self.styles = styles
        self.base = _style_tags(style)
        self.open: list[str] = list(self.base)
        self.lines: list[list[str]] = [[]]
        self.align: int | None = None
        self.align_given = False
        self.drawing = False
        #: What is malformed (a colour that is not ``&HBBGGRR&``), read as libass reads it.
        self.problems: list[str] = []
        #: Tags kept verbatim, not yet emitted: what is emitted next goes after them.
        self.kept: list[str] = []

    def emit(self, piece: str) -> None:
        self.flush()
        self.lines[-1].append(piece)

    def flush(self) -> None:
        if self.kept:
            self.lines[-1].append("{" + "".join(self.kept).replace("{", "") + "}")
            self.kept = []

    def close(self, name: str) -> None:
        if name in self.open:
            self.open.remove(name)
            self.emit(f"</{name}>")

    def open_(self, name: str, tag: str) -> None:
        if name == "font":
            self.close("font")
        elif name in self.open:
            return
        self.open.append(name)
        self.emit(tag)

    def turn(self, name: str, on: bool) -> None:
        if on:
            self.open_(name, f"<{name}>")
        else:
            self.close(name)

    def reset(self, style: Any) -> None:
        for name in reversed(list(self.open)):
            self.close(name)
        for name in _style_tags(style):
            self.open_(name, f"<{name}>")

    def text(self, text: str) -> None:
        if self.drawing:
            self.emit(_reserved(_DRAWING, text))
            return
        pos = 0
        while True:
            slash = text.find("\\", pos)
            if slash < 0:
                self.emit(text[pos:])
                return
            self.emit(text[pos:slash])
            after = text[slash + 1 : slash + 2]
            if after in ("N", "n"):
                self.lines.append([])
            elif after == "h":
                self.emit("\u00a0")
            elif after in ("{", "}"):
                self.emit(after)
            else:
                self.emit("\\")
                pos = slash + 1
                continue
            pos = slash + 2

    def block(self, body: str) -> None:
        comment, tags = split_block(body)
        if not tags:
            self.emit(_reserved(_COMMENT, comment))
            return
        if comment.strip():
            self.emit(_reserved(_COMMENT, comment))
        for tag in tags:
            self.apply(tag)
        self.flush()

    def apply(self, tag: _Tag) -> None:
        """Apply a tag: map it to canonical markup, or keep it verbatim (``\\r`` both: it
        also resets what has no canonical form), in the order of the tags."""
        name, arg = tag.name, (tag.args[0] if tag.args else None)
        if name in ("c", "1c", "2c", "3c", "4c") and arg is not None and not is_ass_color(arg):
            self.problems.append(f"bad colour '{tag.raw.strip()}'")
        value = _int_arg(arg)
        if name in ("i", "u"):
            default = bool(getattr(self.style, "italic" if name == "i" else "underline", False))
            self.turn(name, bool(value) if value in (0, 1) else default)
        elif name == "b":
            if value is None or not (value in (0, 1) or value >= 100):
                self.turn("b", bool(getattr(self.style, "bold", False)))
            else:
                self.turn("b", value == 1 or value >= 600)
        elif name in ("c", "1c"):
            color = ass_color(arg) if arg is not None else None
            if color:
                self.open_("font", f'<font color="{color}">')
            else:
                self.close("font")
        elif name in ("an", "a"):
            if not self.align_given:  # libass: the first \an or \a of an event counts
                self.align_given = True
                number = value or 0
                if name == "an":
                    self.align = number if 1 <= number <= 9 else None
                elif 1 <= number <= 11:
                    self.align = _LEGACY_ALIGN.get(5 if number & 3 == 0 else number)
        elif name == "r":
            self.kept.append(tag.raw)
            target = self.styles.get(arg.strip()) if arg else None
            self.reset(target if target is not None else self.style)
        else:
            if name == "p":
                self.drawing = (value or 0) > 0
            self.kept.append(tag.raw)

    def result(self) -> list[str]:
        lines = ["".join(parts) for parts in self.lines]
        if not any(line.strip() for line in lines):
            return lines
        lines[0] = "".join(f"<{name}>" for name in self.base) + lines[0]
        lines[-1] += "".join(f"</{name}>" for name in reversed(self.open))
        return lines


def ass_to_canonical(
    text: str, style: Any = None, styles: Mapping[str, Any] | None = None,
    problems: list[str] | None = None,
) -> tuple[list[str], int | None]:
    """ASS event text to canonical lines and the alignment its first ``\\an``/``\\a`` sets.

    ``style`` is the event's pysubs2 style: its italic, bold and underline are made explicit
    (and are what ``\\i``, ``\\b``, ``\\u`` without a valid value, and ``\\r``, go back to);
    ``styles`` are the file's styles, for ``\\rName``. What is malformed (a bad colour) is
    read as libass reads it and described in ``problems``, when given.
    """
    state = _Canonical(style, styles or {})
    if problems is not None:
        state.problems = problems
    pos, end = 0, len(text)
    last_close = text.rfind("}")  # no block starts after it: "{" there is text
    while pos < end:
        if state.drawing:
            # libass: drawing commands run to the next "{" (one with a "}" after it).
            if text[pos] == "{" and pos < last_close:
                close = text.index("}", pos)
                state.block(text[pos + 1 : close])
                pos = close + 1
                continue
            stop = text.find("{", pos + 1)
            stop = end if stop < 0 else stop
            state.text(text[pos:stop])
            pos = stop
            continue
        match = _SPECIAL.search(text, pos)
        if match is None:
            state.text(text[pos:])
            break
        at = match.start()
        if text[at] == "\\":
            step = 2 if text[at + 1 : at + 2] in ("N", "n", "h", "{", "}") else 1
            state.text(text[pos : at + step])
            pos = at + step
            continue
        if at > pos:
            state.text(text[pos:at])
        close = text.find("}", at) if at < last_close else -1
        if close < 0:
            state.text("{")  # a "{" with no "}" after it is text
            pos = at + 1
            continue
        state.block(text[at + 1 : close])
        pos = close + 1
    return state.result(), state.align


def _escape_text(text: str, problems: set[str]) -> str:
    if "\\" in text:
        escaped = _TEXT_ESCAPE.sub("\\\\\u2060", text)
        if escaped != text:
            problems.add("ASS reads a backslash before N, n, h or a brace as a line break, "
                         "space or literal brace; written with a word joiner (U+2060) after it")
            text = escaped
    if "{" in text or "}" in text:
        text = text.replace("{", "\\{").replace("}", "\\}")
    return text


def _block_out(raw: str) -> str:
    if raw.startswith(_DRAWING):
        return raw[len(_DRAWING) : -1]
    if raw.startswith(_COMMENT):
        return "{" + raw[len(_COMMENT) :]
    return raw


def canonical_to_ass(lines: list[str], align: int | None,
                     problems: set[str] | None = None) -> str:
    """Canonical lines to ASS event text.

    Literal braces are written as libass's ``\\{`` ``\\}`` (read back as braces); what ASS
    cannot carry (foreign tags of other formats, a backslash ASS would read as an escape) is
    described in ``problems``, when given, for the caller to warn about.
    """
    found: set[str] = set()
    dropped: list[str] = []
    texts: list[str] = []
    for line in lines:
        out: list[str] = []
        for token in markup.tokenize(line):
            if token.kind == "text":
                out.append(_escape_text(token.raw, found))
            elif token.kind == "other" and token.raw.startswith("{\\"):
                out.append(_block_out(token.raw))
            elif token.name in ("i", "b", "u"):
                out.append(f"{{\\{token.name}{0 if token.kind == 'close' else 1}}}")
            elif token.name == "font":
                bgr = rgb_to_bgr(markup.font_color(token.raw)) if token.kind == "open" else None
                if bgr:
                    out.append(f"{{\\c&H{bgr}&}}")
                elif token.kind == "close":
                    out.append("{\\c}")
                elif token.raw not in dropped:
                    dropped.append(token.raw)
            elif token.kind != "close" and token.raw not in dropped:
                dropped.append(token.raw)
        texts.append("".join(out))
    if dropped:
        found.add(f"ASS cannot carry {', '.join(dropped)}; written without them")
    if problems is not None:
        problems.update(found)
    text = "\\N".join(texts)
    return f"{{\\an{align}}}{text}" if align is not None else text


def _unwrap(lines: list[str], tag: str) -> list[str] | None:
    """``lines`` without a whole-cue ``<tag>…</tag>`` wrap, or None if not wrapped."""
    text = "\n".join(lines)
    opening, closing = f"<{tag}>", f"</{tag}>"
    inner = text[len(opening) : -len(closing)]
    if text.startswith(opening) and text.endswith(closing) and opening not in inner:
        return inner.split("\n")
    return None


def ass_time(ms: int) -> str:
    """``H:MM:SS.cc`` for ``ms`` rounded to centiseconds, halves up, as Aegisub rounds
    (hours grow to two digits past 9:59:59.99)."""
    centis = (ms + 5) // 10
    hours, rest = divmod(centis, 360_000)
    minutes, rest = divmod(rest, 6000)
    seconds, centis = divmod(rest, 100)
    return f"{hours:d}:{minutes:02d}:{seconds:02d}.{centis:02d}"


def _field(value: Any) -> str:
    """A field as pysubs2 writes it."""
    if isinstance(value, bool):
        return "-1" if value else "0"
    if isinstance(value, float):
        return str(int(value) if value.is_integer() else value)
    return str(value)


class _LineFeed:
    """The lines of a text, one at a time, for pysubs2's parser; ``number`` is the last line
    given, so that the line a parse error comes from can be named."""

    def __init__(self, text: str) -> None:
        self._lines = iter(io.StringIO(text))
        self.number = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.number += 1
        return line


class _Events(list[Any]):
    """pysubs2's list of events, noting the line each event was read from."""

    def __init__(self, feed: _LineFeed, numbers: list[int]) -> None:
        super().__init__()
        self._feed = feed
        self._numbers = numbers

    def append(self, event: Any) -> None:
        self._numbers.append(self._feed.number)
        super().append(event)


def _merge(into: Any, part: Any) -> None:
    into.info.update(part.info)
    into.aegisub_project.update(part.aegisub_project)
    into.styles.update(part.styles)
    into.fonts_opaque.update(part.fonts_opaque)
    into.graphics_opaque.update(part.graphics_opaque)
    into.events.extend(part.events)


def _json_item_lines(text: str) -> dict[str, list[int]]:
    """The line each member of the top-level ``styles`` and ``events`` starts on."""
    decoder = json.JSONDecoder()
    space = re.compile(r"[ \t\n\r]*")
    found: dict[str, list[int]] = {}

    def skip(pos: int) -> int:
        match = space.match(text, pos)
        return match.end() if match else pos

    try:
        pos = skip(0)
        if text[pos] != "{":
            return found
        pos = skip(pos + 1)
        while text[pos] != "}":
            key, pos = decoder.raw_decode(text, pos)
            pos = skip(skip(pos) + 1)  # ":"
            if key in ("styles", "events") and text[pos] in "[{":
                opener, starts = text[pos], []
                pos = skip(pos + 1)
                while text[pos] not in "]}":
                    if opener == "{":
                        _, pos = decoder.raw_decode(text, pos)
                        pos = skip(skip(pos) + 1)
                    starts.append(pos)
                    _, pos = decoder.raw_decode(text, pos)
                    pos = skip(pos)
                    pos = skip(pos + 1) if text[pos] == "," else pos
                pos += 1
                numbers, line, last = [], 1, 0
                for start in starts:
                    line += text.count("\n", last, start)
                    last = start
                    numbers.append(line)
                found[key] = numbers
            else:
                _, pos = decoder.raw_decode(text, pos)
            pos = skip(pos)
            pos = skip(pos + 1) if text[pos] == "," else pos
    except (ValueError, IndexError):
        pass
    return found


def _json_number(fields: dict[str, Any], key: str, default: int) -> int:
    value = fields.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{key!r} must be a number of milliseconds, got {value!r}")
    return round(value)


def _json_event(fields: Any) -> Any:
    """A pysubs2 event from its JSON object; ``ValueError`` saying what is wrong."""
    if not isinstance(fields, dict):
        raise ValueError(f"an event must be a JSON object, got {fields!r:.40}")
    unknown = sorted(set(fields) - _EVENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(map(repr, unknown))}")
    values = dict(fields)
    for key in ("text", "style", "name", "effect", "type"):
        if key in values and not isinstance(values[key], str):
            raise ValueError(f"{key!r} must be a string, got {values[key]!r:.40}")
    for key in ("layer", "marginl", "marginr", "marginv"):
        if key in values and (isinstance(values[key], bool) or not isinstance(values[key], int)):
            raise ValueError(f"{key!r} must be a whole number, got {values[key]!r:.40}")
    if "marked" in values and not isinstance(values["marked"], bool):
        raise ValueError(f"'marked' must be true or false, got {values['marked']!r:.40}")
    values["start"] = _json_number(fields, "start", 0)
    values["end"] = _json_number(fields, "end", 10_000)
    return pysubs2.SSAEvent(**values)


def _json_style(fields: Any) -> Any:
    """A pysubs2 style from its JSON object; ``ValueError`` saying what is wrong."""
    if not isinstance(fields, dict):
        raise ValueError(f"a style must be a JSON object, got {fields!r:.40}")
    style = pysubs2.SSAStyle()
    for key, value in fields.items():
        if key not in _STYLE_FIELDS:
            raise ValueError(f"unknown field {key!r}")
        current = getattr(style, key)
        if isinstance(current, pysubs2.Color):
            parts = value if isinstance(value, dict) else {}
            if sorted(parts) not in (["b", "g", "r"], ["a", "b", "g", "r"]) or not all(
                    isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 255
                    for v in parts.values()):
                raise ValueError(f"colour {key!r} must be {{r, g, b, a}} of 0-255, "
                                 f"got {value!r:.60}")
            value = pysubs2.Color(**parts)
        elif key == "alignment":
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 9:
                raise ValueError(f"'alignment' must be 1-9, got {value!r:.40}")
            value = pysubs2.Alignment(value)
        elif isinstance(current, bool):
            if not isinstance(value, (bool, int)):
                raise ValueError(f"{key!r} must be true or false, got {value!r:.40}")
            value = bool(value)
        elif isinstance(current, int):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{key!r} must be a whole number, got {value!r:.40}")
        elif isinstance(current, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{key!r} must be a number, got {value!r:.40}")
        elif not isinstance(value, type(current)):
            raise ValueError(f"{key!r} must be a {type(current).__name__}, got {value!r:.40}")
        setattr(style, key, value)
    return style


class AssFormat(SubtitleFormat):
    """Advanced SubStation Alpha v4.00+: styles, positioning, override tags; everything
    an ASS file holds is kept when ASS is written from ASS."""

    name = "ass"
    extensions = (".ass",)
    time_step_ms = 10  # centiseconds
    description = "Advanced SubStation Alpha"
    pysubs2_format = "ass"

    @classmethod
    def sniff(cls, head: str) -> bool:
        start = head.lstrip("\ufeff \r\n\t")[:4000]
        return start.startswith("[Script Info]") and (
            "v4.00+" in start.lower() or "[v4+ styles]" in start.lower()
        )

    # -- reading -----------------------------------------------------------------------

    def read(self, text: str, ctx: ReadContext) -> Track:
        subs, numbers = self._parse(text, ctx)
        track = Track(cues=[], format=self.name)
        comments: list[tuple[int, Any]] = []
        for event, line in zip(subs.events, numbers, strict=True):
            if event.is_comment:
                comments.append((len(track.cues), event))
                continue
            cue = self._cue(event, subs, len(track.cues) + 1, line, ctx)
            if cue is not None:
                track.cues.append(cue)
        template = pysubs2.SSAFile()
        template.info = subs.info
        template.styles = subs.styles
        template.fonts_opaque = subs.fonts_opaque
        template.graphics_opaque = subs.graphics_opaque
        template.aegisub_project = subs.aegisub_project
        track.header.update({"ass_template": template, "ass_comments": comments})
        return track

    def _parse(self, text: str, ctx: ReadContext) -> tuple[Any, list[int | None]]:
        """pysubs2's model of the file and the line each event comes from. A line pysubs2
        cannot read is a :class:`ParseError` naming it, or skipped under ``--lenient``."""
        parser = get_format_class(self.pysubs2_format)
        feed = _LineFeed(text)
        numbers: list[int] = []
        subs = pysubs2.SSAFile()
        subs.info.clear()
        subs.styles.clear()
        failed: set[int] = set()
        while True:
            part = pysubs2.SSAFile()
            part.events = _Events(feed, numbers)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    parser.from_file(part, cast(TextIO, feed), self.pysubs2_format)
                except Exception as error:  # pysubs2 raises bare exceptions on bad fields
                    _merge(subs, part)
                    line = feed.number
                    if line in failed:  # not on a line of its own: nothing left to skip
                        raise ParseError(f"cannot read as {self.description} ({error})",
                                         path=ctx.path, line=line) from error
                    failed.add(line)
                    ctx.malformed(f"cannot read this line as {self.description} ({error})",
                                  line, fix="fix the line", lenient="skip the line",
                                  done="line skipped")
                    continue
                finally:
                    for warning in caught:
                        ctx.warn(f"{warning.message}", line=feed.number)
            _merge(subs, part)
            return subs, list(numbers)

    def _cue(self, event: Any, subs: Any, cue_id: int, line: int | None,
             ctx: ReadContext) -> Cue | None:
        start, end = int(event.start), int(event.end)
        if end < start:
            ctx.malformed(f"event ends ({ass_time(end)}) before it starts ({ass_time(start)})",
                          line or 1, fix="fix the times", lenient="skip this event",
                          done="event skipped")
            return None
        if start < 0:
            ctx.warn(f"event starts at -{ass_time(-start)}, before 0:00:00.00; "
                     "read as starting at 0", line=line, cue=cue_id)
            start, end = 0, max(end, 0)
        style = subs.styles.get(event.style)
        problems: list[str] = []
        lines, align = ass_to_canonical(event.text, style, subs.styles, problems)
        if problems:
            ctx.malformed(", ".join(problems), line or 1, expected=": expected '&HBBGGRR&'",
                          fix="fix the colour", lenient="read it as libass does",
                          done="read as libass reads it")
        if style is not None and align is None and style.alignment != 2:
            align = int(style.alignment)
        return Cue(
            id=cue_id,
            start_ms=start,
            end_ms=end,
            lines=lines,
            speaker=event.name or None,
            align=align,
            style=event.style,
            meta={
                "ass_event": {
                    "layer": event.layer,
                    "marginl": event.marginl,
                    "marginr": event.marginr,
                    "marginv": event.marginv,
                    "effect": event.effect,
                }
            },
        )

    # -- writing -----------------------------------------------------------------------

    def write(self, track: Track, ctx: WriteContext) -> str:
        subs = self._file(track)
        # Comment events are kept in place: each remembers how many cues preceded it.
        comments: dict[int, list[Any]] = {}
        for position, event in track.header.get("ass_comments", []):
            comments.setdefault(position, []).append(event)
        events: list[Any] = []
        for index, cue in enumerate(track.cues):
            events.extend(comment.copy() for comment in comments.get(index, []))
            event = self._event(cue, subs, ctx)
            if event is not None:
                events.append(event)
        events.extend(comment.copy() for comment in comments.get(len(track.cues), []))
        head = str(subs.to_string(self.pysubs2_format, fps=ctx.fps))
        return head + "".join(self._event_line(event) for event in events)

    def _file(self, track: Track) -> Any:
        template = track.header.get("ass_template")
        subs = pysubs2.SSAFile()
        if template is not None:
            subs.info = dict(template.info)
            subs.styles = dict(template.styles)
            subs.fonts_opaque = template.fonts_opaque
            subs.graphics_opaque = template.graphics_opaque
            subs.aegisub_project = dict(template.aegisub_project)
        return subs

    def _event_line(self, event: Any) -> str:
        """An event as pysubs2 writes it, with times up to 99:59:59.99 (pysubs2 would clamp
        them to 9:59:59.99 without a word)."""
        start = ass_time(min(max(int(event.start), 0), _MAX_MS))
        end = ass_time(min(max(int(event.end), 0), _MAX_MS))
        first = f"Marked={int(bool(event.marked)):d}" if self.pysubs2_format == "ssa" \
            else _field(event.layer)
        fields = [first, start, end, event.style, event.name, event.marginl, event.marginr,
                  event.marginv, event.effect, event.text]
        return f"{event.type}: " + ",".join(map(_field, fields)) + "\n"

    def _times(self, cue: Cue, ctx: WriteContext) -> tuple[int, int] | None:
        times = writable_times(self.description, cue, ctx, max_ms=_MAX_MS,
                               max_text="99:59:59.99")
        if times is not None and times[1] > _SPEC_MAX_MS:
            ctx.warn(f"cue runs to {clock_time(times[1])}: ASS/SSA times stop at 9:59:59.99 "
                     "(Aegisub clamps later ones); written with two hour digits, which "
                     "libass, VSFilter and pysubs2 read", cue=cue.id)
        return times

    def _event(self, cue: Cue, subs: Any, ctx: WriteContext) -> Any:
        times = self._times(cue, ctx)
        if times is None:
            return None
        style_name = cue.style if cue.style and cue.style in subs.styles else "Default"
        style = subs.styles.get(style_name)
        lines, align = list(cue.lines), cue.align
        if style is not None:
            for attribute, tag in _STYLE_TAGS:
                unwrapped = _unwrap(lines, tag) if getattr(style, attribute) else None
                if unwrapped is not None:
                    lines = unwrapped
            if align == style.alignment or (align is None and style.alignment == 2):
                align = None
            elif align is None:
                align = 2
        problems: set[str] = set()
        name = cue.speaker or ""
        if self.pysubs2_format != "json" and ("," in name or "\n" in name):
            problems.add(f"{self.description} cannot carry ',' in a speaker name; "
                         "written as ';'")
            name = name.replace(",", ";").replace("\n", " ")
        event = pysubs2.SSAEvent(
            start=times[0],
            end=times[1],
            text=canonical_to_ass(lines, align, problems),
            style=style_name,
            name=name,
        )
        for message in sorted(problems):
            ctx.warn(message, cue=cue.id)
        for field_name, value in cue.meta.get("ass_event", {}).items():
            setattr(event, field_name, value)
        return event


class SsaFormat(AssFormat):
    """SubStation Alpha v4.00 (the older .ssa): like ASS, with fewer style fields."""

    name = "ssa"
    extensions = (".ssa",)
    description = "SubStation Alpha"
    pysubs2_format = "ssa"

    @classmethod
    def sniff(cls, head: str) -> bool:
        start = head.lstrip("\ufeff \r\n\t")[:4000]
        return start.startswith("[Script Info]") and not AssFormat.sniff(head)


class JsonFormat(AssFormat):
    """pysubs2's JSON: the whole ASS model (styles, events with ASS markup) as JSON; it
    carries what ASS carries, and times of any length."""

    name = "json"
    extensions = (".json",)
    description = "pysubs2 JSON"
    pysubs2_format = "json"

    @classmethod
    def sniff(cls, head: str) -> bool:
        start = head.lstrip("\ufeff \r\n\t")
        return start.startswith("{") and ('"events"' in head or '"info"' in head[:200])

    def _parse(self, text: str, ctx: ReadContext) -> tuple[Any, list[int | None]]:
        """pysubs2's model of the document. Broken JSON is a :class:`ParseError` naming its
        line; a bad style or event is one naming the line it starts on, or is skipped with
        ``--lenient``."""
        text = text.lstrip("\ufeff")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ParseError(f"not valid JSON ({error.msg}, column {error.colno}); fix the "
                             "file", path=ctx.path, line=error.lineno) from None
        except RecursionError:
            raise ParseError("JSON nested too deeply to be subtitles", path=ctx.path) from None
        shape = isinstance(data, dict) and isinstance(data.get("events"), list) and \
            isinstance(data.get("info", {}), dict) and isinstance(data.get("styles", {}), dict)
        if not shape:
            raise ParseError("not pysubs2 JSON: expected an object with an 'events' list "
                             "(and 'info' and 'styles' objects)", path=ctx.path, line=1)
        item_lines = _json_item_lines(text)

        def bad(kind: str, index: int, label: str, error: ValueError) -> None:
            numbers = item_lines.get(kind, [])
            line = numbers[index] if index < len(numbers) else 1
            ctx.malformed(f"{label}: {error}", line, fix="fix it",
                          lenient=f"skip this {kind[:-1]}", done=f"{kind[:-1]} skipped")

        subs = pysubs2.SSAFile()
        subs.info.clear()
        subs.info.update({str(key): str(value) for key, value in data.get("info", {}).items()})
        subs.styles.clear()
        for index, (name, fields) in enumerate(data.get("styles", {}).items()):
            try:
                subs.styles[name] = _json_style(fields)
            except ValueError as error:
                bad("styles", index, f"style {name!r}", error)
        event_lines = item_lines.get("events", [])
        numbers: list[int | None] = []
        for index, fields in enumerate(data["events"]):
            try:
                subs.events.append(_json_event(fields))
            except ValueError as error:
                bad("events", index, f"event {index + 1}", error)
                continue
            numbers.append(event_lines[index] if index < len(event_lines) else None)
        return subs, numbers

    def write(self, track: Track, ctx: WriteContext) -> str:
        subs = self._file(track)
        comments: dict[int, list[Any]] = {}
        for position, event in track.header.get("ass_comments", []):
            comments.setdefault(position, []).append(event)
        for index, cue in enumerate(track.cues):
            subs.events.extend(comment.copy() for comment in comments.get(index, []))
            event = self._event(cue, subs, ctx)
            if event is not None:
                subs.events.append(event)
        subs.events.extend(comment.copy() for comment in comments.get(len(track.cues), []))
        return str(subs.to_string(self.pysubs2_format, fps=ctx.fps))

    def _times(self, cue: Cue, ctx: WriteContext) -> tuple[int, int] | None:
        return writable_times(self.description, cue, ctx)

"""Each language's typography, as data, with the checks and the fixes that are safe.

A language's conventions are a TOML table in ``subloc/qa/typography/<lang>.toml`` (and
``<lang>-<REGION>.toml`` for a region that differs: ``fr-CA``, ``de-CH``); a profile's
``[style]`` table overrides any key for every language and ``[style.<lang>]`` for one, so
a studio extends them without touching subloc. Keys:

- ``inverted-marks`` (bool): ¿…? and ¡…! (Spanish);
- ``dialogue-dash`` (str): how a speaker's line in a two-speaker cue starts (``"-"``,
  ``"- "``, ``"– "``);
- ``ellipsis`` (``"…"`` or ``"..."``): the profile's ellipsis;
- ``quotes`` (list of two-character strings): the accepted quotation marks, opening then
  closing; ``quote-fix`` (two characters): what straight or foreign quotes become, where
  that is the language's one convention (German „ “, French « »), else ``""``: reported
  only;
- ``space-before`` / ``space-after`` (tables: character -> the space it takes): French
  no-break spaces (U+00A0, U+202F; either is accepted where the other is asked);
- ``no-space-before`` / ``no-space-after`` (str): characters a space must not precede or
  follow (``Hola .``, ``¿ Qué?``);
- ``spelling`` (bool) and ``words`` (list of word-list files): see :mod:`subloc.qa.spelling`.

Every check here returns a :class:`Finding`; ``fixed`` holds the cue's corrected lines
when the correction is right wherever the rule fires (auto-fix applies it and reports it
before -> after), else ``None`` (a hint for the reviewer). Fixing twice changes nothing.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from subloc import markup
from subloc.errors import UsageError
from subloc.textwidth import base_language

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

if TYPE_CHECKING:
    from subloc.issues import RuleId

NBSP, NNBSP = "\u00a0", "\u202f"
_NO_BREAK = NBSP + NNBSP + "\u2007"
_SPACES = (" ", NBSP, NNBSP)
_DASHES = "-‐‑–—"
#: Double quotation marks, and the single ones that are never apostrophes.
QUOTE_CHARS = "\"“”„‟«»‹›‚"
_DOUBLE = "\"“”„‟«»"
_QUOTE_RE = re.compile(f"[{QUOTE_CHARS}]")

#: Spanish words that open a question or an exclamation: a sentence starting with one is
#: a question or exclamation from its first word, so ¿ or ¡ goes before it.
_INTERROGATIVES = frozenset({"qué", "quién", "quiénes", "cuál", "cuáles", "cómo", "dónde",
                             "adónde", "cuándo", "cuánto", "cuánta", "cuántos", "cuántas"})


# --- the conventions ---------------------------------------------------------------------

def _string(value: object, key: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string, not {value!r}")
    return value


def _check_value(key: str, value: object) -> object:
    """``value`` checked for ``key``; raises ValueError saying what is wrong."""
    if key in ("inverted-marks", "spelling"):
        if not isinstance(value, bool):
            raise ValueError(f"{key} must be true or false, not {value!r}")
        return value
    if key == "ellipsis":
        if value not in ("…", "..."):
            raise ValueError(f'ellipsis must be "…" or "...", not {value!r}')
        return value
    if key == "dialogue-dash":
        text = _string(value, key)
        if not text or text[0] not in _DASHES or text[1:].strip(" " + _NO_BREAK):
            raise ValueError(f'dialogue-dash must be a dash and optional spaces ("-", "- ", '
                             f'"– "), not {value!r}')
        return text
    if key == "quotes":
        if not isinstance(value, list) or not all(
                isinstance(pair, str) and len(pair) == 2 for pair in value):
            raise ValueError('quotes must be a list of two-character strings ("«»", "“”")')
        return tuple(value)
    if key == "quote-fix":
        text = _string(value, key)
        if text and (len(text) != 2 or any(c not in _DOUBLE for c in text)):
            raise ValueError(f'quote-fix must be two quotation marks ("„“") or "", not '
                             f"{value!r}")
        return text
    if key in ("space-before", "space-after"):
        if not isinstance(value, dict) or not all(
                isinstance(k, str) and len(k) == 1 and v in _SPACES for k, v in value.items()):
            raise ValueError(f"{key} must be a table of one character = a space "
                             '(" ", "\\u00a0" or "\\u202f")')
        return dict(value)
    if key in ("no-space-before", "no-space-after"):
        return _string(value, key)
    if key == "words":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("words must be a list of word-list files")
        return tuple(value)
    raise ValueError(f"unknown key {key!r}; known: {', '.join(sorted(STYLE_KEYS))}")


STYLE_KEYS = frozenset({"inverted-marks", "dialogue-dash", "ellipsis", "quotes", "quote-fix",
                        "space-before", "space-after", "no-space-before", "no-space-after",
                        "spelling", "words"})


def check_style(table: Mapping[str, object], where: str, source: str) -> dict[str, object]:
    """A ``[style]`` table (a profile's or a language file's) checked key by key; a
    mistake is a UsageError naming the file and the key."""
    checked: dict[str, object] = {}
    for key, value in table.items():
        try:
            checked[key] = _check_value(key, value)
        except ValueError as error:
            raise UsageError(f"[{where}] {error}", path=source) from error
    return checked


@lru_cache(maxsize=64)
def language_table(tag: str) -> Mapping[str, object]:
    """The shipped conventions of ``tag`` (``fr-CA``: French's, then Canada's)."""
    tag = tag.replace("_", "-")
    base = base_language(tag)
    merged: dict[str, object] = {}
    names = [base]
    region = tag.split("-")[1:] if "-" in tag else []
    if region:
        names.append(f"{base}-{region[0].upper() if len(region[0]) == 2 else region[0]}")
    folder = resources.files("subloc.qa").joinpath("typography")
    for name in names:
        entry = folder.joinpath(f"{name}.toml")
        if entry.is_file():
            data = tomllib.loads(entry.read_text("utf-8"))
            merged.update(check_style(data, name, f"subloc/qa/typography/{name}.toml"))
    return merged


@dataclass(frozen=True)
class Style:
    """One language's conventions, merged (see the module docstring)."""

    language: str = ""
    inverted_marks: bool = False
    dialogue_dash: str | None = None
    ellipsis: str | None = None
    quotes: tuple[str, ...] = ()
    quote_fix: str = ""
    space_before: Mapping[str, str] = field(default_factory=dict)
    space_after: Mapping[str, str] = field(default_factory=dict)
    no_space_before: str = ""
    no_space_after: str = ""
    spelling: bool = True

    @property
    def quote_chars(self) -> str:
        return "".join(dict.fromkeys("".join(self.quotes)))

    @cached_property
    def spacing_pattern(self) -> re.Pattern[str] | None:
        """What :func:`spacing` may find something at (a cheap first look), or None when
        the language asks nothing of spaces around punctuation."""
        parts = []
        if self.no_space_before:
            parts.append(f"[ \t][{re.escape(self.no_space_before)}]")
        if self.no_space_after:
            parts.append(f"[{re.escape(self.no_space_after)}][ \t]")
        marks = "".join(self.space_before) + "".join(self.space_after)
        if marks:
            parts.append(f"[{re.escape(marks)}]")
        return re.compile("|".join(parts)) if parts else None

    @cached_property
    def any_pattern(self) -> re.Pattern[str]:
        """What any check of this style may find something at (in displayed text): most
        cues hold none of it, and one search says so."""
        parts = [r"(?m:^ | $)", "  "]
        if self.ellipsis == "…":
            parts.append(r"\.\.\.")
        elif self.ellipsis == "...":
            parts.append("…")
        if self.quotes:
            parts.append(f"[{re.escape(QUOTE_CHARS)}]")
        if self.dialogue_dash:
            parts.append(f"[{re.escape(_DASHES)}]")
        if self.spacing_pattern is not None:
            parts.append(self.spacing_pattern.pattern)
        if self.inverted_marks:
            parts.append("[?!¿¡]")
        return re.compile("|".join(parts))


def resolve_style(profile_style: Mapping[str, Mapping[str, object]],
                  language: str | None) -> Style:
    """``language``'s conventions: the shipped table, then the profile's ``[style]``, then
    its ``[style.<lang>]`` and ``[style.<lang>-<REGION>]``."""
    tag = (language or "").replace("_", "-")
    merged: dict[str, object] = dict(language_table(tag)) if tag else {}
    merged.update(profile_style.get("", {}))
    base = base_language(tag)
    for key in dict.fromkeys((base, tag)):
        if key:
            merged.update(profile_style.get(key, {}))
    return Style(
        language=tag,
        inverted_marks=bool(merged.get("inverted-marks", False)),
        dialogue_dash=_opt_str(merged.get("dialogue-dash")),
        ellipsis=_opt_str(merged.get("ellipsis")),
        quotes=tuple(str(q) for q in _seq(merged.get("quotes"))),
        quote_fix=str(merged.get("quote-fix", "")),
        space_before=_map(merged.get("space-before")),
        space_after=_map(merged.get("space-after")),
        no_space_before=str(merged.get("no-space-before", "")),
        no_space_after=str(merged.get("no-space-after", "")),
        spelling=bool(merged.get("spelling", True)),
    )


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _seq(value: object) -> Sequence[object]:
    return value if isinstance(value, (list, tuple)) else ()


def _map(value: object) -> Mapping[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


@lru_cache(maxsize=64)
def quote_roles(language: str | None) -> tuple[str, str]:
    """The quotation marks that open and those that close in ``language`` (German „so“
    closes with “, which opens in English): what a line may not end or start with."""
    style = resolve_style({}, language)
    opening = "".join(dict.fromkeys(p[0] for p in style.quotes if p[0] != p[1]))
    closing = "".join(dict.fromkeys(p[1] for p in style.quotes if p[0] != p[1]))
    return opening, closing


# --- editing displayed text inside markup ------------------------------------------------

Edit = tuple[int, int, str]


def _plain_index(raw: str) -> tuple[str, list[int] | None]:
    """The displayed text of ``raw`` and the index in ``raw`` of each of its characters
    (``None`` when ``raw`` has no tags: the same)."""
    if "<" not in raw and "{" not in raw:
        return raw, None
    chars: list[str] = []
    index: list[int] = []
    position = 0
    for token in markup.tokenize(raw):
        if not token.is_tag:
            chars.append(token.raw)
            index.extend(range(position, position + len(token.raw)))
        position += len(token.raw)
    return "".join(chars), index


def apply_edits(raw: str, edits: Sequence[Edit]) -> str:
    """``raw`` with ``edits`` (start, end, replacement: positions in its displayed text,
    not overlapping) applied; tags stay where they are (an insertion goes just before the
    displayed character at its position, or after the last one)."""
    plain, index = _plain_index(raw)
    ordered = sorted(edits, key=lambda e: (e[0], e[1]), reverse=True)
    if index is None:
        text = raw
        for start, end, replacement in ordered:
            text = text[:start] + replacement + text[end:]
        return text
    chars = list(raw)
    for start, end, replacement in ordered:
        at = index[start] if start < len(plain) else (index[-1] + 1 if index else len(chars))
        for position in range(end - 1, start - 1, -1):
            del chars[index[position]]
        chars[at:at] = list(replacement)
    return "".join(chars)


@dataclass(frozen=True)
class Finding:
    """What a typography check found in a cue: a message, and the cue's lines corrected
    when the correction is safe (``None``: a hint for the reviewer)."""

    rule: RuleId
    message: str
    fixed: list[str] | None = None


def _edit_lines(lines: Sequence[str], plain: Sequence[str],
                find: Callable[[str], list[Edit]]) -> tuple[list[str], int]:
    """Each line with the edits ``find`` returns for its displayed text; and how many."""
    out: list[str] = []
    total = 0
    for raw, shown in zip(lines, plain, strict=True):
        edits = _disjoint(find(shown))
        total += len(edits)
        out.append(apply_edits(raw, edits) if edits else raw)
    return out, total


def _disjoint(edits: list[Edit]) -> list[Edit]:
    """``edits`` without those that touch the text another one already changes (two rules
    deleting the one space of ``¿ »``: it goes once)."""
    kept: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e[0], e[1])):
        if kept:
            start, end, _ = kept[-1]
            if edit[0] < end or (edit[0] == start and edit[1] == end):
                continue
        kept.append(edit)
    return kept


# --- the checks -----------------------------------------------------------------------

_DOUBLE_SPACE = re.compile(r"  +")


def whitespace(lines: Sequence[str], plain: Sequence[str]) -> Finding | None:
    """Leading, trailing and double spaces (the ``whitespace`` rule's fix): collapsed and
    stripped; a line of spaces only goes, when another line has text."""
    if not any(line[:1] == " " or line[-1:] == " " or "  " in line for line in plain):
        return None

    def find(shown: str) -> list[Edit]:
        edits: list[Edit] = [(m.start() + 1, m.end(), "") for m in _DOUBLE_SPACE.finditer(shown)
                             if m.start() > 0 and m.end() < len(shown)]
        lead = len(shown) - len(shown.lstrip(" "))
        trail = len(shown) - len(shown.rstrip(" "))
        if lead == len(shown):
            return [(0, len(shown), "")] if shown else []
        if lead:
            edits.append((0, lead, ""))
        if trail:
            edits.append((len(shown) - trail, len(shown), ""))
        return edits

    fixed, _ = _edit_lines(lines, plain, find)
    if any(p.strip(" ") for p in plain):
        fixed = [line for line, shown in zip(fixed, plain, strict=True) if shown.strip(" ")]
    return Finding("whitespace", "spaces collapsed and stripped", fixed)


_THREE_DOTS = re.compile(r"(?<!\.)\.\.\.(?!\.)")


def ellipsis(lines: Sequence[str], plain: Sequence[str], style: Style) -> Finding | None:
    """The profile's ellipsis: the single character … or three dots."""
    if style.ellipsis == "…":
        if not any("..." in line for line in plain):
            return None
        fixed, count = _edit_lines(lines, plain, lambda s: [
            (m.start(), m.end(), "…") for m in _THREE_DOTS.finditer(s)])
        return Finding("ellipsis-style", 'three dots where the profile asks for "…" '
                       "(U+2026)", fixed) if count else None
    if style.ellipsis == "...":
        if not any("…" in line for line in plain):
            return None
        fixed, _ = _edit_lines(lines, plain, lambda s: [
            (i, i + 1, "...") for i, c in enumerate(s) if c == "…"])
        return Finding("ellipsis-style", '"…" where the profile asks for three dots', fixed)
    return None


def is_dialogue(plain: Sequence[str]) -> bool:
    """Two speakers or more: every line with text starts with a dash (not ``--``)."""
    shown = [line.lstrip() for line in plain if line.strip()]
    return len(shown) >= 2 and all(
        line[0] in _DASHES and not line.startswith("--") for line in shown)


def dialogue_dash(lines: Sequence[str], plain: Sequence[str], style: Style
                  ) -> Finding | None:
    """Each speaker's line starts with the language's (or the profile's) dash."""
    want = style.dialogue_dash
    if not want or not is_dialogue(plain):
        return None
    safe = True
    edits_per_line: list[list[Edit]] = []
    for shown in plain:
        stripped = shown.lstrip()
        if not stripped:
            edits_per_line.append([])
            continue
        start = len(shown) - len(stripped)
        end = start + 1
        while end < len(shown) and shown[end] in " " + _NO_BREAK:
            end += 1
        if shown[start:end] == want:
            edits_per_line.append([])
            continue
        rest = shown[end:]
        if not rest.strip() or rest[:1] in style.no_space_before \
                or rest[:1] in style.space_before:
            # A dash and nothing after it, or punctuation whose space before it is the
            # spacing rule's to set: nothing for the dash to give.
            edits_per_line.append([])
            continue
        if want.rstrip() == want and rest[:1].isdigit():
            safe = False  # "-5 grados" would read as minus five
        edits_per_line.append([(start, end, want)])
    if not any(edits_per_line):
        return None
    fixed = [apply_edits(raw, edits) if edits else raw
             for raw, edits in zip(lines, edits_per_line, strict=True)]
    shown_want = want.replace(" ", "·")
    return Finding("dialogue-dash", f"dialogue lines start with {shown_want!r} in "
                   f"{style.language or 'this language'} (· is a space)",
                   fixed if safe else None)


def _classify(text: str, position: int) -> str:
    """``open``, ``close`` or ``?`` for the quotation mark at ``position`` of ``text``."""
    # Guillemets are often spaced (« ainsi »): look past the spaces around them.
    spaces = _NO_BREAK + (" " if text[position] in "«»‹›" else "")
    before = position - 1
    while before >= 0 and text[before] in spaces:
        before -= 1
    after = position + 1
    while after < len(text) and text[after] in spaces:
        after += 1
    prev = text[before] if before >= 0 else ""
    nxt = text[after] if after < len(text) else ""
    opens = (not prev or prev.isspace() or prev in "([{—–-/¡¿" + QUOTE_CHARS) and bool(nxt) \
        and not nxt.isspace()
    closes = bool(prev) and not prev.isspace() and (
        not nxt or nxt.isspace() or nxt in ",.;:!?…)]}—–-" + QUOTE_CHARS)
    if prev.isdigit() and text[position] in "\"″":
        return "?"  # 5'10" (inches)
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "?"


def quotes(lines: Sequence[str], plain: Sequence[str], style: Style) -> Finding | None:
    """Quotation marks of the language, each opening or closing as it does there
    (German „so“, French « ainsi », Spanish «así» or “así”); straight or foreign ones
    become the language's own where it has one convention (``quote-fix``)."""
    if not style.quotes:
        return None
    text = "\n".join(plain)
    if not _QUOTE_RE.search(text):
        return None
    accepted = style.quote_chars
    opening = {p[0] for p in style.quotes if p[0] != p[1]}
    closing = {p[1] for p in style.quotes if p[0] != p[1]}
    found: list[tuple[int, str, str]] = [(m.start(), m.group(), _classify(text, m.start()))
                                         for m in _QUOTE_RE.finditer(text)]
    problem = ""
    for _position, char, role in found:
        if char not in accepted:
            problem = f"{char} is not a quotation mark of {style.language}"
        elif role == "open" and char in closing and char not in opening:
            problem = f"{char} opens a quotation here; it closes one in {style.language}"
        elif role == "close" and char in opening and char not in closing:
            problem = f"{char} closes a quotation here; it opens one in {style.language}"
        if problem:
            break
    if not problem:
        problem = _mismatched(found, style)
    if not problem:
        return None
    wanted = " or ".join(f"{p[0]}…{p[1]}" for p in style.quotes)
    message = f"{problem} (use {wanted})"
    fix = style.quote_fix
    if not fix:
        return Finding("quote-style", message)
    doubles = [(p, c, r) for p, c, r in found if c in _DOUBLE]
    roles = [r for _p, _c, r in doubles]
    alternating = all(r == ("open" if i % 2 == 0 else "close") for i, r in enumerate(roles))
    if not doubles or not alternating or len(doubles) % 2 or len(doubles) != len(found):
        return Finding("quote-style", message)
    replace = {p: (fix[0] if r == "open" else fix[1]) for p, _c, r in doubles}
    # Map positions in the joined text back to (line, position in line).
    fixed: list[str] = []
    offset = 0
    for raw, shown in zip(lines, plain, strict=True):
        edits = [(p - offset, p - offset + 1, char) for p, char in replace.items()
                 if offset <= p < offset + len(shown)]
        fixed.append(apply_edits(raw, edits) if edits else raw)
        offset += len(shown) + 1
    return Finding("quote-style", message, fixed)


def _mismatched(found: Sequence[tuple[int, str, str]], style: Style) -> str:
    """A quotation opened with one mark and closed with another pair's (``«así"``)."""
    pairs = {p[0]: p[1] for p in style.quotes}
    stack: list[str] = []
    for _position, char, role in found:
        if role == "?":
            return ""
        if role == "open":
            stack.append(char)
        elif stack:
            opened = stack.pop()
            if pairs.get(opened, opened) != char:
                return f"{opened} is closed by {char}"
    return ""


def spacing(lines: Sequence[str], plain: Sequence[str], style: Style) -> Finding | None:
    """Spaces around punctuation: French no-break spaces before ; : ! ? » and after «
    (``space-before``/``space-after``), and no space before , . ; : ! ? ) elsewhere
    (``no-space-before``/``no-space-after``)."""
    before, after = style.space_before, style.space_after
    no_before, no_after = style.no_space_before, style.no_space_after
    if not (before or after or no_before or no_after):
        return None
    interesting = "".join(before) + "".join(after) + no_before + no_after
    if not any(c in interesting for line in plain for c in line):
        return None
    notes: list[str] = []

    def find(shown: str) -> list[Edit]:
        edits: list[Edit] = []
        length = len(shown)
        for position, char in enumerate(shown):
            if char in before and position:
                edit = _space_before(shown, position, before[char])
                if edit is not None:
                    edits.append(edit)
                    notes.append(f"a no-break space before {char}")
            elif char in no_before and position and shown[position - 1] in " \t" \
                    and not shown[position + 1 : position + 2].isdigit():
                start = position
                while start > 0 and shown[start - 1] in " \t":
                    start -= 1
                if start > 0:
                    edits.append((start, position, ""))
                    notes.append(f"no space before {char}")
            if char in after and position + 1 < length:
                edit = _space_after(shown, position, after[char])
                if edit is not None:
                    edits.append(edit)
                    notes.append(f"a no-break space after {char}")
            elif char in no_after and position + 1 < length and shown[position + 1] in " \t":
                end = position + 1
                while end < length and shown[end] in " \t":
                    end += 1
                if end < length:
                    edits.append((position + 1, end, ""))
                    notes.append(f"no space after {char}")
        return edits

    fixed, count = _edit_lines(lines, plain, find)
    if not count:
        return None
    return Finding("punctuation-spacing", f"{notes[0]} ({style.language})"
                   + (f" and {count - 1} more" if count > 1 else ""), fixed)


def _space_before(shown: str, position: int, space: str) -> Edit | None:
    """The edit giving the mark at ``position`` its no-break space, or None."""
    prev = shown[position - 1]
    if prev in _NO_BREAK:
        return None
    if prev in " \t":
        start = position - 1
        while start > 0 and shown[start - 1] in " \t":
            start -= 1
        return (start, position, space) if start > 0 else None
    char = shown[position]
    nxt = shown[position + 1 : position + 2]
    if prev in "!?…([{«“\"'’-–—/" or (prev in QUOTE_CHARS and prev != "»"):
        return None  # ?! clusters, "…?", "(?", quotes and dashes
    if char == ":" and ((prev.isdigit() and nxt.isdigit()) or nxt == "/"):
        return None  # 10:30, 16:9, http://
    return (position, position, space)


def _space_after(shown: str, position: int, space: str) -> Edit | None:
    nxt = shown[position + 1]
    if nxt in _NO_BREAK:
        return None
    if nxt in " \t":
        end = position + 1
        while end < len(shown) and shown[end] in " \t":
            end += 1
        return (position + 1, end, space) if end < len(shown) else None
    return (position + 1, position + 1, space)


_TERMINAL = ".?!…"


def ends_sentence(plain_text: str) -> bool:
    """Whether a cue's text ends a sentence (ignoring closing quotes, brackets, ♪)."""
    text = plain_text.rstrip(" \n" + _NO_BREAK + "♪\"'”’»)]}~")
    return not text or text[-1] in _TERMINAL + ":"


def inverted_marks(lines: Sequence[str], plain: Sequence[str], style: Style,
                   previous: str | None, following: str | None) -> Finding | None:
    """Spanish ¿…? and ¡…!: a closing mark without its opening one (or the reverse).
    Fixed only where the question or exclamation plainly starts with its sentence: a
    sentence of one word, or one starting with an interrogative (``qué``, ``dónde``…) and
    holding no comma; "Pero qué dices?" or "Juan, vienes?" are left to the reviewer
    ("Pero ¿qué dices?", "Juan, ¿vienes?"). ``previous`` and ``following`` are the
    displayed texts of the cues around (a sentence may run over cues)."""
    if not style.inverted_marks:
        return None
    text = "\n".join(plain)
    if not any(c in text for c in "?!¿¡"):
        return None
    dialogue = is_dialogue(plain)
    continues = previous is not None and not dialogue and not ends_sentence(previous)
    carried = {"?": continues and previous is not None
               and previous.count("¿") > previous.count("?"),
               "!": continues and previous is not None
               and previous.count("¡") > previous.count("!")}
    opener = {"?": "¿", "!": "¡"}
    problems: list[str] = []
    inserts: list[tuple[int, str]] = []
    unsafe = False
    start = _sentence_start(text, 0)
    first = True
    opened: dict[str, int] = {"?": 0, "!": 0}
    position, length = 0, len(text)

    def close_sentence(at: int) -> None:
        nonlocal opened, first, start, unsafe
        for mark, count in opened.items():
            if count:
                problems.append(f"{opener[mark]} without its closing {mark}")
                unsafe = True
        opened = {"?": 0, "!": 0}
        first = False
        start = _sentence_start(text, at)

    while position < length:
        char = text[position]
        if char in "¿¡":
            opened["?" if char == "¿" else "!"] += 1
        elif char in "?!":
            run_end = position
            while run_end < length and text[run_end] in "?!":
                run_end += 1
            marks = text[position:run_end]
            for mark in dict.fromkeys(marks):
                if opened[mark]:
                    opened[mark] -= 1
                elif first and carried[mark]:
                    carried[mark] = False
                else:
                    problems.append(f"{marks!r} without its opening {opener[mark]}")
                    if (first and continues) or len(set(marks)) > 1 \
                            or not _plain_start(text, start, position):
                        unsafe = True
                    else:
                        inserts.append((start, opener[mark]))
            position = run_end
            if position >= length or text[position] in " \n" + _NO_BREAK + "\"”»)]":
                close_sentence(position)
            continue
        elif char in ".…":
            abbreviation = char == "." and _abbreviation(text, position)
            while position + 1 < length and text[position + 1] in ".…":
                position += 1
            if not abbreviation and (position + 1 >= length or text[position + 1] in " \n"):
                close_sentence(position + 1)
        elif char == "\n" and dialogue:
            close_sentence(position + 1)
        position += 1
    if any(opened.values()) and (following is None or ends_sentence(text)):
        close_sentence(length)
    if not problems:
        return None
    message = problems[0] + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")
    if unsafe or not inserts:
        return Finding("inverted-marks", message)
    fixed: list[str] = []
    offset = 0
    for raw, shown in zip(lines, plain, strict=True):
        edits = [(p - offset, p - offset, m) for p, m in inserts
                 if offset <= p < offset + len(shown)]
        fixed.append(apply_edits(raw, edits) if edits else raw)
        offset += len(shown) + 1
    return Finding("inverted-marks", message, fixed)


#: Abbreviations whose period does not end a sentence ("¡Sr. Halvorsen!").
ABBREVIATIONS = frozenset({
    "sr", "sra", "srta", "sres", "dr", "dra", "dª", "lic", "ing", "prof", "profa", "arq",
    "mr", "mrs", "ms", "st", "mt", "hr", "fr", "frl", "mme", "mlle", "pr", "sig", "dott",
    "av", "avda", "pza", "núm", "nº", "vs", "aprox", "tel", "ud", "uds", "vd", "vds",
})


def _abbreviation(text: str, position: int) -> bool:
    """Whether the period at ``position`` closes an abbreviation or an initial (``Sr.``,
    ``J.``) rather than a sentence."""
    start = position
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] in "ªº"):
        start -= 1
    word = text[start:position]
    if not word:
        return False
    if len(word) == 1 and word.isupper():
        return True  # an initial: "J. Okafor"
    return word.casefold() in ABBREVIATIONS


def _sentence_start(text: str, position: int) -> int:
    """Where the words of the sentence from ``position`` start (after spaces, a dialogue
    dash, ♪, opening quotes and brackets)."""
    while position < len(text) and (text[position] in " \n\t" + _NO_BREAK + _DASHES + "♪"
                                    or text[position] in "«“\"„([{'‘"):
        position += 1
    return position


def _plain_start(text: str, start: int, end: int) -> bool:
    """Whether the question or exclamation ``text[start:end]`` starts with its sentence
    beyond doubt: one word, or an interrogative first word and no comma or other pause."""
    sentence = text[start:end]
    if not sentence or sentence.startswith(("...", "…")) or any(
            c in sentence for c in ",;:—–()«»\"“”…¿¡?!"):
        return False
    words = sentence.split()
    if len(words) == 1:
        return True
    first = words[0].casefold()
    return first in _INTERROGATIVES or (first == "por" and words[1].casefold() == "qué")


#: A check over one cue: (lines with markup, displayed lines, style, the displayed text
#: of the cue before and of the cue after, or None) -> a finding or None.
Check = Callable[[Sequence[str], Sequence[str], Style, "str | None", "str | None"],
                 "Finding | None"]

def candidates(plain: Sequence[str], style: Style) -> list[RuleId]:
    """The typography rules whose check may find something in a cue's displayed lines
    ``plain`` (what every check reads), in :data:`CHECKS` order: a cheap look that never
    leaves out a rule whose check would find something, so a track's every cue is not
    taken apart for every rule."""
    raw = "\n".join(plain)
    if style.any_pattern.search(raw) is None:
        return []
    found: list[RuleId] = []
    if raw[:1] == " " or raw[-1:] == " " or "  " in raw or " \n" in raw or "\n " in raw:
        found.append("whitespace")
    if (style.ellipsis == "…" and "..." in raw) or (style.ellipsis == "..." and "…" in raw):
        found.append("ellipsis-style")
    if style.quotes and _QUOTE_RE.search(raw) is not None:
        found.append("quote-style")
    if style.dialogue_dash and "\n" in raw and raw.lstrip()[:1] in _DASHES:
        found.append("dialogue-dash")
    pattern = style.spacing_pattern
    if pattern is not None and pattern.search(raw) is not None:
        found.append("punctuation-spacing")
    if style.inverted_marks and ("?" in raw or "!" in raw or "¿" in raw or "¡" in raw):
        found.append("inverted-marks")
    return found


#: Every typography check by rule id, in the order auto-fix applies them: spaces first,
#: then the marks, then the spacing around them (which French quotes need), then ¿¡.
CHECKS: dict[RuleId, Check] = {
    "whitespace": lambda lines, plain, style, previous, following: whitespace(lines, plain),
    "ellipsis-style": lambda lines, plain, style, previous, following:
        ellipsis(lines, plain, style),
    "quote-style": lambda lines, plain, style, previous, following:
        quotes(lines, plain, style),
    "dialogue-dash": lambda lines, plain, style, previous, following:
        dialogue_dash(lines, plain, style),
    "punctuation-spacing": lambda lines, plain, style, previous, following:
        spacing(lines, plain, style),
    "inverted-marks": inverted_marks,
}

"""The ``apertium`` engine: Apertium's rule-based language pairs, installed with apt.

Apertium suits closely related pairs (es<->ca, es<->gl, es<->pt, es<->it, fr<->es,
eu->es) and is a real engine to test the translation path with: it moves, merges and
drops words, leaves unknown words as they are, and changes sentence boundaries.

Modes: the pairs installed in Apertium's data directory (``$APERTIUM_DATADIR``, else
``<prefix>/share/apertium`` beside the ``apertium`` program), plus any ``--model DIR``
holding a ``modes/`` folder. A mode's name is two ISO 639 codes, two or three letters
(``eng-spa``, ``es-gl``), and maybe variants (``spa-cat_valencia``, ``spa-eng_US``);
they are matched to the requested pair through ``langcodes``, and a target's region or
variant picks the mode of that variant (``--to ca-valencia``, ``--to en-US``).

How it is driven: one long-running ``apertium -z -f none MODE`` pipeline per pair and
process, fed Apertium's own stream format, each segment its own null-flushed block (so
no word can move from one segment to another, as they do across the lines of one text)
ending with a marker that must come back at its end: a block that does not is an engine
error, never a silent shift. Inside a block:

- glossary placeholders ``⟦n⟧`` go as invented unknown words (``zqxbw``), which Apertium
  passes through whole (a bare ``⟦1⟧`` came back broken in about 1 % of lines);
- an inline tag pair (``<i>red</i>``) becomes a word-bound blank, which follows its
  words when Apertium reorders them (``the <i>red</i> car`` -> ``el coche <i>rojo</i>``);
  other tags, and the characters Apertium reads as marks (``* # @ ~``), go as
  superblanks, which pass through untouched;
- the output's marks (``*`` unknown, ``@`` not in the bilingual dictionary, ``#`` could
  not inflect) are taken out of the text and reported as ``mt-unknown-word`` notes, and
  the whitespace Apertium leaves (a space at the start, two after a full stop) cleaned.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import IO

from subloc import markup
from subloc.engines.base import Engine, EngineOptions, ModelInfo, Note, Translated
from subloc.errors import EngineError, ModelError

log = logging.getLogger(__name__)

PROGRAM = "apertium"
#: Changes whenever the way segments are sent or read back changes (so cached
#: translations of an older way are not reused).
STREAM_VERSION = "1"
#: Seconds without any output, while blocks are outstanding, before the pipeline is
#: declared stuck.
STALL_SECONDS = 120.0

_PLACEHOLDER = re.compile(r"⟦\s*(\d+)\s*⟧")
#: Invented words for placeholders: a prefix no language has (longer if the text has it),
#: then the number in letters.
_PREFIX = "zqx"
_DIGITS = "bcdfghjklm"
_END = "w"
_ESCAPED = frozenset("\\[]^$/<>{}")
#: Characters Apertium's tools read as marks or operators: sent as superblanks.
_GUARDED = frozenset("*#@~")
#: A block's marker superblank (not an escaped ``\[`` of the text).
_MARKER = re.compile(r"(?<!\\)(?:\\\\)*\[=\d+\]")
_LEAD = re.compile(r"(?:<[^<>]*>|\{\\[^{}]*\}|⟦\s*\d+\s*⟧|[^\w⟦<{])*")
_WORD = re.compile(r"[^\s\[\]\\^$/<>{}*#@~.,;:!?¿¡\"“”«»()…]+")


@dataclass(frozen=True)
class Mode:
    """One installed Apertium translation direction."""

    name: str
    source: str
    target: str
    variants: tuple[str, ...]
    datadir: Path

    @property
    def path(self) -> Path:
        return self.datadir / "modes" / f"{self.name}.mode"

    @property
    def pair(self) -> str:
        return f"{self.source}->{self.target}"

    @property
    def label(self) -> str:
        """The pair with the mode's variants as subtags (``es->ca-valencia``,
        ``es->en-US``): what ``--to`` asks for to get this mode."""
        variants = self.name.split("-", 1)[1].split("_")[1:]
        return self.pair + "".join(f"-{variant}" for variant in variants)

    @cached_property
    def digest(self) -> str:
        """The mode file and the size and time of every file it runs: it changes when the
        pair's package is upgraded."""
        digest = hashlib.blake2b(digest_size=8)
        try:
            text = self.path.read_bytes()
        except OSError:
            return "missing"
        digest.update(text)
        for name in sorted(set(re.findall(rb"'(/[^']+)'", text))):
            try:
                stat = os.stat(name)
            except OSError:
                digest.update(name + b":missing")
                continue
            digest.update(name + f":{stat.st_size}:{stat.st_mtime_ns}".encode())
        return digest.hexdigest()

    @property
    def size_bytes(self) -> int:
        total = 0
        try:
            names = set(re.findall(rb"'(/[^']+)'", self.path.read_bytes()))
        except OSError:
            return 0
        for name in names:
            try:
                total += os.stat(name).st_size
            except OSError:
                continue
        return total


def language(code: str) -> str | None:
    """The ISO 639 language of an Apertium or BCP 47 code (``spa`` and ``es`` are
    ``es``), or None if it is not one."""
    import langcodes

    try:
        parsed = langcodes.Language.get(code)
    except (ValueError, LookupError):
        return None
    if not parsed.language or not parsed.is_valid():
        return None
    return str(parsed.language)


def alpha3(code: str) -> str:
    import langcodes

    try:
        return str(langcodes.Language.get(code).to_alpha3())
    except (ValueError, LookupError):
        return code


def subtags(tag: str) -> tuple[str, tuple[str, ...]]:
    """A requested language tag's language and its region and variants, lowercased
    (``ca-valencia`` -> ``("ca", ("valencia",))``)."""
    import langcodes

    try:
        parsed = langcodes.Language.get(tag)
    except (ValueError, LookupError):
        return tag.lower(), ()
    extra = [*([parsed.territory] if parsed.territory else []), *(parsed.variants or [])]
    return str(parsed.language or tag).lower(), tuple(sorted(v.lower() for v in extra))


def parse_mode(name: str, datadir: Path) -> Mode | None:
    """A mode from its name (``eng-spa``, ``spa-cat_valencia``); None for Apertium's
    debugging modes (``eng-spa-tagger``) and names that are not two languages."""
    parts = name.split("-")
    if len(parts) != 2:
        return None
    source_code, *source_variants = parts[0].split("_")
    target_code, *variants = parts[1].split("_")
    source, target = language(source_code), language(target_code)
    if source is None or target is None or source_variants:
        return None
    return Mode(name, source, target, tuple(sorted(v.lower() for v in variants)), datadir)


def default_datadir() -> Path | None:
    """Where the ``apertium`` program looks for modes, or None if it is not installed."""
    program = shutil.which(PROGRAM)
    if program is None:
        return None
    if os.environ.get("APERTIUM_DATADIR"):
        return Path(os.environ["APERTIUM_DATADIR"])
    return Path(program).resolve().parent.parent / "share" / "apertium"


def find_modes(extra: Iterable[Path] = ()) -> list[Mode]:
    """Installed modes: ``extra`` data directories first, then Apertium's own; where two
    have the same mode name, the first wins."""
    found: dict[str, Mode] = {}
    default = default_datadir()
    for datadir in (*extra, *([default] if default else [])):
        folder = datadir / "modes"
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.mode")):
            mode = parse_mode(path.stem, datadir)
            if mode is not None:
                found.setdefault(mode.name, mode)
    return sorted(found.values(), key=lambda m: m.name)


def debian_packages(source: str, target: str) -> list[str]:
    """The Debian packages that may hold the pair (named either way round, with two- or
    three-letter codes): those apt knows, if apt is there and knows any; else the
    likeliest name."""
    s2, t2 = subtags(source)[0], subtags(target)[0]
    names = []
    for a, b in ((alpha3(s2), alpha3(t2)), (alpha3(t2), alpha3(s2)), (s2, t2), (t2, s2)):
        name = f"apertium-{a}-{b}"
        if name not in names:
            names.append(name)
    if shutil.which("apt-cache") is None:
        return names[:1]
    try:
        listed = subprocess.run(["apt-cache", "pkgnames", "apertium-"], capture_output=True,
                                text=True, timeout=20, check=False).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return names[:1]
    if not listed:  # no package lists (apt-get update never ran): the likeliest name
        return names[:1]
    return [name for name in names if name in listed]


# --- the stream -------------------------------------------------------------------------


@dataclass
class Encoded:
    """One segment in Apertium's stream format, and what its blanks stand for."""

    stream: str
    prefix: str
    source: str = ""
    #: Superblank ``[sK]`` -> the tag or character it holds.
    raws: list[str] = field(default_factory=list)
    #: Word-bound tag ``K`` -> its opening and closing tag.
    tags: list[tuple[str, str]] = field(default_factory=list)


def placeholder_word(prefix: str, number: int) -> str:
    """``⟦12⟧`` -> ``zqxcdw``: the prefix, the digits as consonants, and an end letter
    (so a placeholder glued to a word, as in CJK text, is still found)."""
    return prefix + "".join(_DIGITS[int(d)] for d in str(number)) + _END


def encode(text: str) -> Encoded:
    """``text`` (with placeholders and inline tags) as one block of Apertium's stream."""
    lowered = text.lower()
    prefix = _PREFIX
    while prefix in lowered:
        prefix += "j"
    encoded = Encoded("", prefix, text)
    tokens = markup.tokenize(text.replace("\0", " "))
    pairs = _tag_pairs(tokens)
    out: list[str] = []
    active: list[int] = []
    for index, token in enumerate(tokens):
        if index in pairs:
            tag = pairs[index]
            if token.kind == "open":
                encoded.tags.append((token.raw, ""))
                active.append(tag)
            else:
                encoded.tags[tag] = (encoded.tags[tag][0], token.raw)
                active.remove(tag)
            continue
        if token.is_tag:
            out.append(_superblank(encoded, token.raw))
            continue
        body = _escape(token.raw, encoded)
        if active and body.strip():
            lead = body[: len(body) - len(body.lstrip())]
            trail = body[len(body.rstrip()) :]
            ids = "x".join(str(t) for t in active)
            out.append(f"{lead}[[t:{ids}]]{body.strip()}[[/]]{trail}")
        else:
            out.append(body)
    encoded.stream = "".join(out)
    return encoded


def _tag_pairs(tokens: list[markup.Token]) -> dict[int, int]:
    """Token index -> tag number, for opening and closing tags that pair up (properly
    nested) around at least one word; other tags travel as superblanks."""
    pairs: dict[int, int] = {}
    stack: list[tuple[str, int]] = []
    found: list[tuple[int, int]] = []
    for index, token in enumerate(tokens):
        if token.kind == "open":
            stack.append((token.name, index))
        elif token.kind == "close" and stack and stack[-1][0] == token.name:
            _, start = stack.pop()
            inner = "".join(t.raw for t in tokens[start + 1 : index] if not t.is_tag)
            if re.search(r"\w", inner):
                found.append((start, index))
        elif token.kind == "close":
            stack.clear()  # crossing tags: nothing before pairs reliably
    for number, (start, end) in enumerate(sorted(found)):
        pairs[start] = pairs[end] = number
    return pairs


def _superblank(encoded: Encoded, raw: str) -> str:
    encoded.raws.append(raw)
    return f"[s{len(encoded.raws) - 1}]"


def _escape(text: str, encoded: Encoded) -> str:
    out: list[str] = []
    pos = 0
    for match in _PLACEHOLDER.finditer(text):
        out.append(_escape_plain(text[pos : match.start()], encoded))
        out.append(placeholder_word(encoded.prefix, int(match.group(1))))
        pos = match.end()
    out.append(_escape_plain(text[pos:], encoded))
    return "".join(out)


def _escape_plain(text: str, encoded: Encoded) -> str:
    out: list[str] = []
    for char in text:
        if char in _ESCAPED:
            out.append("\\" + char)
        elif char in _GUARDED:
            out.append(_superblank(encoded, char))
        elif char in "\r\n\t\v\f":
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


@dataclass
class Decoded:
    text: str
    unknown: list[str]
    uninflected: list[str]


def decode(block: str, encoded: Encoded) -> Decoded:
    """One block of Apertium's output (its marker already checked and removed) as text:
    escapes undone, superblanks and word-bound tags put back, marks taken out (and
    reported), placeholders restored, whitespace cleaned."""
    pieces: list[tuple[str, frozenset[int]]] = []  # (text, tag numbers on it)
    unknown: list[str] = []
    uninflected: list[str] = []
    current: frozenset[int] = frozenset()
    pos, size = 0, len(block)

    def add(text: str, tags: frozenset[int] = frozenset()) -> None:
        if pieces and pieces[-1][1] == tags:
            pieces[-1] = (pieces[-1][0] + text, tags)
        else:
            pieces.append((text, tags))

    while pos < size:
        char = block[pos]
        if char == "\\" and pos + 1 < size:
            add(block[pos + 1], current)
            pos += 2
        elif block.startswith("[[", pos):
            end = block.find("]]", pos + 2)
            end = size if end < 0 else end
            content = block[pos + 2 : end]
            current = frozenset() if content == "/" else _wordbound_tags(content)
            pos = end + 2
        elif char == "[":
            end = _superblank_end(block, pos + 1)
            content = block[pos + 1 : end]
            number = content[1:]
            if content[:1] == "s" and number.isdigit() and int(number) < len(encoded.raws):
                add(encoded.raws[int(number)])
            else:
                add(re.sub(r"\\(.)", r"\1", content))
            pos = end + 1
        elif char in "*@#" and (pos + 1 < size and not block[pos + 1].isspace()):
            start = pos + 1
            if block.startswith("[[", start):  # the mark before a word-bound blank
                start = block.find("]]", start) + 2 if "]]" in block[start:] else size
            word = _WORD.match(block, start)
            if word is not None and not _is_placeholder(word.group(0), encoded.prefix):
                (uninflected if char == "#" else unknown).append(word.group(0))
            pos += 1
        elif char == "~" or char in "*@#":
            pos += 1
        else:
            add(char, current)
            pos += 1
    placeholder = re.compile(rf"(?i){encoded.prefix}([{_DIGITS}]+){_END}")
    pieces = [(placeholder.sub(_placeholder_back, text), tags) for text, tags in pieces]
    text = _uncapitalize(_with_tags(pieces, encoded.tags), encoded.source)
    return Decoded(_collapse_space(text), _unique(unknown), _unique(uninflected))


def _collapse_space(text: str) -> str:
    """Runs of white space as one space, outside tags only (a tag comes back as it went,
    ``{\\an8}`` or ``<font color="#ff0000">`` included)."""
    return "".join(token.raw if token.is_tag else re.sub(r"\s+", " ", token.raw)
                   for token in markup.tokenize(text)).strip()


def _lead(text: str) -> tuple[int, bool]:
    """Where the first word of ``text`` starts, past tags, punctuation and placeholders;
    and whether a placeholder came before it."""
    match = _LEAD.match(text)
    assert match is not None  # the pattern matches the empty string
    return match.end(), "⟦" in match.group(0)


def _uncapitalize(text: str, source: str) -> str:
    """Apertium capitalizes the first word it knows when the sentence starts with an
    unknown word (``⟦0⟧ is here`` -> ``⟦0⟧ Es aquí``); lowercase it back when the word
    after the source's leading placeholder was lowercase."""
    start, placeholder = _lead(text)
    if not placeholder or start >= len(text):
        return text
    source_start, source_placeholder = _lead(source)
    if not source_placeholder or source_start >= len(source):
        return text
    word = re.match(r"\w+", text[start:])
    if (word is not None and source[source_start].islower() and word.group(0) != "I"
            and word.group(0)[0].isupper() and not word.group(0)[1:2].isupper()):
        return text[:start] + text[start].lower() + text[start + 1 :]
    return text


def _superblank_end(block: str, pos: int) -> int:
    while pos < len(block):
        if block[pos] == "\\":
            pos += 2
            continue
        if block[pos] == "]":
            return pos
        pos += 1
    return len(block)


def _wordbound_tags(content: str) -> frozenset[int]:
    if not content.startswith("t:"):
        return frozenset()
    return frozenset(int(n) for n in re.findall(r"\d+", content[2:]))


def _is_placeholder(word: str, prefix: str) -> bool:
    return prefix in word.lower()


def _placeholder_back(match: re.Match[str]) -> str:
    return "⟦" + "".join(str(_DIGITS.index(c)) for c in match.group(1).lower()) + "⟧"


def _unique(words: list[str]) -> list[str]:
    return list(dict.fromkeys(words))


def _with_tags(pieces: list[tuple[str, frozenset[int]]], tags: list[tuple[str, str]]) -> str:
    """The pieces joined, each tag pair around the text from the first to the last
    character that came back carrying it (a tag whose words all vanished is dropped:
    the restore stage then re-anchors the source's tags and says so)."""
    text = "".join(piece for piece, _ in pieces)
    if not tags:
        return text
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    offset = 0
    for piece, numbers in pieces:
        stripped = piece.strip()
        if stripped and numbers:
            start = offset + piece.index(stripped[0])
            end = offset + len(piece.rstrip())
            for number in numbers:
                first.setdefault(number, start)
                last[number] = end
        offset += len(piece)
    inserts: dict[int, list[tuple[int, int, str]]] = {}
    for number in first:
        opening, closing = tags[number]
        span = last[number] - first[number]
        # Closing tags first at a position; inner (shorter, later) ones close first and
        # outer (longer) ones open first.
        inserts.setdefault(first[number], []).append((1, -span, opening))
        inserts.setdefault(last[number], []).append((0, span, closing))
    out: list[str] = []
    pos = 0
    for at in sorted(inserts):
        out.append(text[pos:at])
        out.extend(raw for _, _, raw in sorted(inserts[at], key=lambda e: (e[0], e[1])))
        pos = at
    out.append(text[pos:])
    return "".join(out)


# --- the pipeline -----------------------------------------------------------------------


class Pipeline:
    """One long-running process group running a mode's programs, null-flushed (``-z``).

    The ``apertium`` script itself is not used: its ``gawk`` filter holds each block back
    until the next one arrives. The mode's own pipeline (from ``apertium-wblank-mode -z``,
    as that script runs it) flushes every block as soon as it is done.
    """

    def __init__(self, mode: Mode) -> None:
        program = shutil.which(PROGRAM)
        if program is None:
            raise ModelError(_not_installed())
        self.mode = mode
        self.serial = 0
        self.lock = threading.Lock()
        self._leftover = bytearray()
        self.owner = os.getpid()
        env = _environment(program)
        script = self._script(mode, env)
        # Open as long as the pipeline runs; closed in stop().
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            # $1: marks on unknown words (-g); $2: the tagger's options (none).
            self.process = subprocess.Popen(
                ["bash", "-c", script, "apertium", "-g", ""], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=self._stderr, env=env, start_new_session=True)
        except OSError as error:
            self._stderr.close()
            raise EngineError(f"cannot start Apertium ({mode.name}): "
                              f"{error.strerror or error}") from error

    @staticmethod
    def _script(mode: Mode, env: dict[str, str]) -> str:
        try:
            result = subprocess.run(["apertium-wblank-mode", "-z", str(mode.path)],
                                    capture_output=True, text=True, timeout=30, env=env,
                                    check=False)
        except (OSError, subprocess.SubprocessError) as error:
            raise EngineError(f"cannot read the Apertium mode {mode.path} ({error}); "
                              "Apertium 3.7 or later is needed") from error
        if result.returncode != 0 or not result.stdout.strip():
            raise EngineError(f"cannot read the Apertium mode {mode.path}: "
                              f"{result.stderr.strip() or 'apertium-wblank-mode failed'}")
        return result.stdout.strip()

    def run(self, blocks: Sequence[str], progress: Callable[[int], None] | None = None
            ) -> list[str]:
        """Each block translated, in order; an :class:`EngineError` (and the pipeline
        stopped) if the process fails, stalls, or its output is out of step."""
        with self.lock:
            first = self.serial
            self.serial += len(blocks)
            data = "".join(f"{block}[={first + i}]\0" for i, block in enumerate(blocks))
            failure: list[BaseException] = []
            writer = threading.Thread(target=self._write, args=(data.encode(), failure),
                                      daemon=True, name=f"apertium-{self.mode.name}")
            writer.start()
            try:
                return self._read(first, len(blocks), progress)
            finally:
                writer.join(timeout=STALL_SECONDS)

    def _write(self, data: bytes, failure: list[BaseException]) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        try:
            stdin.write(data)
            stdin.flush()
        except (OSError, ValueError) as error:  # the process is gone: the reader says why
            failure.append(error)

    def _read(self, first: int, count: int, progress: Callable[[int], None] | None
              ) -> list[str]:
        """``count`` blocks, each checked for its marker as it arrives."""
        stdout = self.process.stdout
        assert stdout is not None
        blocks: list[str] = []
        buffer = self._leftover
        with selectors.DefaultSelector() as selector:
            selector.register(stdout, selectors.EVENT_READ)
            while True:
                while len(blocks) < count and (end := buffer.find(b"\0")) >= 0:
                    blocks.append(self._unmark(bytes(buffer[:end]), first + len(blocks),
                                               len(blocks), count))
                    del buffer[: end + 1]
                    if progress is not None:
                        progress(1)
                if len(blocks) == count:
                    return blocks
                if not selector.select(STALL_SECONDS):
                    self.stop()
                    raise EngineError(f"Apertium ({self.mode.name}) stopped answering "
                                      f"for {STALL_SECONDS:.0f} s; stopped it")
                chunk = os.read(stdout.fileno(), 1 << 16)
                if not chunk:
                    reason = self._stderr_tail()
                    self.stop()
                    raise EngineError(f"Apertium ({self.mode.name}) stopped"
                                      f"{': ' + reason if reason else ''}")
                buffer += chunk

    def _unmark(self, raw: bytes, serial: int, index: int, count: int) -> str:
        """A block's text without its marker, which must be the one sent with it, at its
        end, and alone: anything else means blocks were merged, split or reordered."""
        text = raw.decode("utf-8", "replace").rstrip()
        marker = f"[={serial}]"
        if not text.endswith(marker) or len(_MARKER.findall(text)) != 1:
            self.stop()
            raise EngineError(
                f"Apertium ({self.mode.name}) answered out of step with its input (block "
                f"{index + 1} of {count} came back as {text[-60:]!r}); nothing from it "
                "was used")
        return text[: -len(marker)]

    def _stderr_tail(self) -> str:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self._stderr.seek(0)
        lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        return " ".join(lines[-3:])

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Close the pipeline's input and end its process group."""
        if os.getpid() != self.owner:
            return  # a forked worker: the pipeline is its parent's
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=2)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self._stderr.close()


def _environment(program: str) -> dict[str, str]:
    """The environment Apertium's tools run in: its programs first on PATH, and a UTF-8
    locale (as the ``apertium`` script makes sure of)."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(program).parent}{os.pathsep}{env.get('PATH', '')}"
    if env.get("LC_ALL") and "utf" not in env["LC_ALL"].lower():
        del env["LC_ALL"]  # it would override LC_CTYPE
    ctype = env.get("LC_ALL") or env.get("LC_CTYPE") or env.get("LANG", "")
    if "utf" not in ctype.lower():
        env["LC_CTYPE"] = "C.UTF-8"
    return env


def _stop_all(pipelines: dict[str, Pipeline]) -> None:
    for pipeline in list(pipelines.values()):
        pipeline.stop()
    pipelines.clear()


def _not_installed() -> str:
    return ("Apertium is not installed (no 'apertium' program on PATH); install it with: "
            "apt-get install apertium apertium-eng-spa  (and the pairs you need)")


# --- the engine -------------------------------------------------------------------------


class ApertiumEngine(Engine):
    """Apertium's installed pairs; see the module docstring."""

    name = "apertium"

    def __init__(self, options: EngineOptions | None = None) -> None:
        super().__init__(options)
        self._pipelines: dict[str, Pipeline] = {}
        self._lock = threading.Lock()
        self._finalizer = weakref.finalize(self, _stop_all, self._pipelines)

    @cached_property
    def modes(self) -> list[Mode]:
        extra = [path for path in self.options.model_paths if (path / "modes").is_dir()]
        return find_modes(extra)

    def mode(self, source: str, target: str) -> Mode:
        """The mode for a pair: the target's variant if asked (``ca-valencia``), else the
        plain one (``spa-cat``), else the one with the fewest variants."""
        source_language, _ = subtags(source)
        target_language, wanted = subtags(target)
        candidates = [m for m in self.modes
                      if m.source == source_language and m.target == target_language]
        if not candidates:
            raise ModelError(self._missing(source, target))
        return min(candidates, key=lambda m: (m.variants != wanted, len(m.variants), m.name))

    def _missing(self, source: str, target: str) -> str:
        if default_datadir() is None and not self.modes:
            return _not_installed()
        installed = ", ".join(sorted({m.pair for m in self.modes})) or "none"
        packages = debian_packages(source, target)
        if packages:
            fix = f"install it with: apt-get install {packages[0]}"
        else:
            fix = ("Debian has no Apertium package for it; see "
                   "https://wiki.apertium.org/wiki/List_of_language_pairs")
        return f"no Apertium pair for {source}->{target} (installed: {installed}); {fix}"

    def check_pair(self, source: str, target: str) -> None:
        self.mode(source, target)

    def describe_pair(self, source: str, target: str) -> str:
        return f"{source}->{target} (Apertium {self.mode(source, target).name})"

    def identity(self, source: str, target: str) -> str:
        mode = self.mode(source, target)
        return f"apertium:{mode.name}@{mode.digest}:stream{STREAM_VERSION}"

    def fingerprint(self) -> str:
        modes = ",".join(f"{m.name}@{m.digest}:{m.datadir}" for m in self.modes)
        return f"apertium:stream{STREAM_VERSION}:{modes}"

    def installed_models(self) -> list[ModelInfo]:
        return [ModelInfo(pair=m.label, name=m.name, version="", location=str(m.path),
                          size_bytes=m.size_bytes) for m in self.modes]

    def locations(self) -> list[str]:
        extra = [str(path / "modes") for path in self.options.model_paths
                 if (path / "modes").is_dir()]
        default = default_datadir()
        return [*extra, str(default / "modes") if default else "no 'apertium' program"]

    def install_hint(self) -> str:
        return "apt-get install apertium apertium-eng-spa  (Debian and Ubuntu)"

    def pipeline(self, mode: Mode) -> Pipeline:
        with self._lock:
            pipeline = self._pipelines.get(mode.name)
            if pipeline is None or not pipeline.alive:
                log.info("starting apertium %s", mode.name)
                pipeline = self._pipelines[mode.name] = Pipeline(mode)
            return pipeline

    def translate(self, segments: Sequence[str], source: str, target: str,
                  progress: Callable[[int], None] | None = None) -> list[str]:
        return [t.text for t in self.translate_with_notes(segments, source, target, progress)]

    def translate_with_notes(self, segments: Sequence[str], source: str, target: str,
                             progress: Callable[[int], None] | None = None
                             ) -> list[Translated]:
        mode = self.mode(source, target)
        out = [Translated(segment) for segment in segments]
        todo = [i for i, segment in enumerate(segments) if segment.strip()]
        if progress is not None and len(todo) < len(segments):
            progress(len(segments) - len(todo))  # blank: nothing to translate
        if not todo:
            return out
        encoded = [encode(segments[i]) for i in todo]
        blocks = self.pipeline(mode).run([e.stream for e in encoded], progress)
        for index, block, how in zip(todo, blocks, encoded, strict=True):
            decoded = decode(block, how)
            out[index] = Translated(decoded.text, _notes(decoded))
        return out

    def close(self) -> None:
        with self._lock:
            _stop_all(self._pipelines)


def _notes(decoded: Decoded) -> tuple[Note, ...]:
    if not decoded.unknown and not decoded.uninflected:
        return ()
    parts = []
    if decoded.unknown:
        parts.append("did not know " + ", ".join(repr(w) for w in decoded.unknown)
                     + " (left as in the source)")
    if decoded.uninflected:
        parts.append("could not inflect " + ", ".join(repr(w) for w in decoded.uninflected))
    return (Note("mt-unknown-word", "Apertium " + "; ".join(parts),
                 value=tuple(decoded.unknown + decoded.uninflected)),)

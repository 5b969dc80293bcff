"""Bytes to text and back: BOMs, UTF-8, UTF-16/32 and legacy code pages.

:func:`decode` turns the bytes of a subtitle file into text and says how it did it
(:class:`Decoded`); :func:`encode` does the reverse for the writers.

How :func:`decode` decides, in order:

1. ``encoding=`` given: that codec, strictly; a byte it cannot decode is a
   :class:`~subloc.errors.DecodeError` naming the line.
2. A byte-order mark: UTF-32 LE/BE (checked before UTF-16, whose BOM is a prefix of
   UTF-32 LE's), UTF-8, UTF-16 LE/BE.
3. UTF-16/32 without a BOM, when NUL bytes sit in the alternating positions that ASCII
   text (timestamps, digits, newlines) leaves in those encodings.
4. NUL bytes otherwise: binary data, not a subtitle file.
5. ISO-2022-JP/KR when their escape sequences appear, then strict UTF-8 (pure ASCII is
   reported as ``utf-8``). A file that is mostly valid UTF-8 with a few stray bytes is an
   error, not a legacy code page: decoding it as one would garble every correct character.
6. Legacy code pages (:data:`LEGACY_CANDIDATES`), scored on a sample of the file (the
   first 256 KiB and four 32 KiB chunks spread over the rest, cut at line ends); the
   whole file is then decoded with the winner, falling back to its wider relatives
   (Shift_JIS → cp932, EUC-KR → cp949, Big5 → cp950) or to a new detection that sees the
   failing lines, else a :class:`~subloc.errors.DecodeError` naming the line.
7. Detected text with more than a stray control character is binary data, not subtitles.

Legacy detection
----------------
Subtitle files are short dialogue between many ASCII timestamps, so only the lines that
contain non-ASCII bytes are looked at. Every candidate codec that decodes them strictly
is scored for *language plausibility* over its non-ASCII characters only: for each
language written in that code page, letters of the language's alphabet score by how
common they are, letters of other alphabets and scripts, odd symbols (``¤ ¦ ¶ ˇ`` …) and
control characters cost, and so do the shapes mojibake makes inside words (a symbol
between two letters, ``lowerUPPER`` case flips, runs of three accented Latin letters).
Chinese is scored by the share of its most frequent characters, Japanese by kana,
Korean by Hangul. The best score wins; candidates that decode to the very same text tie
and the first in :data:`LEGACY_CANDIDATES` is reported (the ISO name when the bytes hold
nothing that tells the Windows code page apart, e.g. no byte in 0x80–0x9F for
ISO-8859-1 versus cp1252).

charset-normalizer is consulted only when no candidate reads as a language we know (a
code page outside the list, e.g. Thai cp874 or DOS Cyrillic); its answer is kept when our
own language-neutral score agrees that it reads better. It is not the primary detector
because, measured with ``cp_isolation`` set to these code pages, charset-normalizer 3.5.2
decodes the cp1254 and ISO-8859-9 Turkish fixtures as cp1250 and cp1252 (ı ş ğ become
ý ţ đ / ý þ ð), and of 58 short files cross-encoded in sibling code pages (Czech,
Slovak, Polish, Croatian, Portuguese, Italian, Swedish, Greek, Turkish …) it garbles 14
(this module: none), of 281 one-line files 114 (this module: 13, all single accented
letters that are ambiguous even to a reader, such as Slovak "č" versus Italian "è").
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache

from subloc.errors import DecodeError, OutputError

log = logging.getLogger(__name__)

__all__ = ["LEGACY_CANDIDATES", "Decoded", "canonical_name", "decode", "encode"]


@dataclass(frozen=True)
class Decoded:
    """The text of a file and how it was decoded.

    ``text`` has the BOM removed and every line ending (CRLF, LF, lone CR) turned into
    ``"\\n"``; ``encoding`` is the canonical Python codec name used (``utf-8``,
    ``utf-16-le``, ``cp1252``, ``shift_jis`` …); ``bom`` tells whether a byte-order mark
    was present; ``newline`` is the most frequent original line ending (``"\\n"`` when
    there is none); ``detected`` is False when the caller forced the encoding.
    """

    text: str
    encoding: str
    bom: bool
    newline: str
    detected: bool


#: Legacy code pages tried, in the order that breaks ties between identical decodings.
LEGACY_CANDIDATES: tuple[str, ...] = (
    "iso-8859-1",
    "cp1252",
    "iso-8859-2",
    "cp1250",
    "cp1251",
    "iso-8859-7",
    "cp1253",
    "iso-8859-9",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "shift_jis",
    "cp932",
    "euc-jp",
    "gb18030",
    "big5",
    "cp950",
    "euc-kr",
    "cp949",
)

#: Wider codecs to try, in order, when the whole file does not decode with the detected one.
_WIDER: dict[str, tuple[str, ...]] = {
    "shift_jis": ("cp932",),
    "euc-kr": ("cp949",),
    "big5": ("cp950", "big5hkscs"),
    "cp950": ("big5hkscs",),
    "gb2312": ("gbk", "gb18030"),
    "gbk": ("gb18030",),
}

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: FF FE is a prefix of FF FE 00 00
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BOM_FOR = {name: bom for bom, name in _BOMS}

_UNKNOWN = "unknown encoding {name!r}; use a name like utf-8, cp1252, shift_jis"

#: Detection looks at the first _HEAD bytes plus _CHUNKS pieces of _CHUNK bytes spread
#: over the rest, so a file of any size costs the same to detect.
_HEAD = 256 * 1024
_CHUNK = 32 * 1024
_CHUNKS = 4
#: At most this many bytes of non-ASCII lines are scored (validity uses the whole sample):
#: hundreds of lines of dialogue, plenty to tell languages apart.
_SCORE_BYTES = 32 * 1024
#: Below this plausibility no candidate reads as a known language: ask charset-normalizer.
_LOW_SCORE = 0.3
#: A fallback decoding must read at least this well to be accepted after a failure.
_MIN_FALLBACK_SCORE = 0.2


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def canonical_name(encoding: str) -> str:
    """The canonical lower-case name of a text codec (``latin-1`` → ``iso-8859-1``).

    Raises :class:`~subloc.errors.DecodeError` for names Python does not know or that are
    not bytes↔text codecs (``base64``, ``rot13``).
    """
    try:
        name = codecs.lookup(encoding).name
        b"\x00\x00\x00\x00".decode(name)  # LookupError for base64, rot13 and the like
    except UnicodeDecodeError:
        pass
    except (LookupError, TypeError, ValueError):
        raise DecodeError(_UNKNOWN.format(name=encoding)) from None
    return _canonical(name)


def decode(data: bytes, *, encoding: str | None = None, path: str = "<memory>") -> Decoded:
    """Decode the bytes of a subtitle file; detect the encoding unless ``encoding`` is given.

    Raises :class:`~subloc.errors.DecodeError` for an unknown ``encoding``, for bytes that
    the forced or detected encoding cannot decode (naming the line of the first bad byte)
    and, when detecting, for data that is not text at all. A forced encoding is applied as
    is (only a BOM of that same encoding is removed): no binary check, no second guess.
    """
    if encoding is not None:
        try:
            name = canonical_name(encoding)
        except DecodeError as error:
            raise error.located(path) from None
        text, name, bom = _decode_forced(data, name, path)
        return _finish(text, name, bom, detected=False)
    for mark, name in _BOMS:
        if data.startswith(mark):
            text, name = _decode_with_bom(data, mark, name, path)
            _reject_binary(data[len(_BOM_FOR[name]) :], name, len(_BOM_FOR[name]), path)
            return _finish(text, name, True, detected=True)
    if b"\x00" in data:
        wide = _guess_unicode_without_bom(data, 4) or _guess_unicode_without_bom(data, 2)
        if wide is not None:
            try:
                text = data.decode(wide)
            except UnicodeDecodeError:
                raise _binary_error(data.index(b"\x00"), path) from None
            _reject_binary(data, wide, 0, path)
            return _finish(text, wide, False, detected=True)
        # Stray NULs in 8-bit text (WebVTT maps them to U+FFFD): the binary check decides.
    # Everything left is ASCII-compatible, with CR and LF never inside a multi-byte
    # character: line endings are counted and normalised on the bytes, which is faster.
    newline = _dominant_newline(data.count(b"\r\n"), data.count(b"\r"), data.count(b"\n"))
    body = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n") if b"\r" in data else data
    text, name = _decode_ascii_compatible(body, path)
    _reject_binary(data, name, 0, path)
    return Decoded(text=text, encoding=name, bom=False, newline=newline, detected=True)


def encode(text: str, encoding: str = "utf-8", *, bom: bool = False, newline: str = "\n") -> bytes:
    """:class:`Encoder` on one piece of text; see there."""
    encoder = Encoder(encoding, bom=bom, newline=newline)
    return encoder.encode(text) + encoder.finish()


class Encoder:
    """Encodes text for writing, piece by piece: line endings become ``newline``, a BOM is
    added if asked.

    ``bom`` writes a byte-order mark for UTF-8 (like ``utf-8-sig``), UTF-16 and UTF-32 and is
    ignored for code pages that have none; ``utf-8-sig`` always writes one, and so do the
    byte-order-less names ``utf-16``/``utf-32`` (as little-endian), since without a BOM
    their byte order could not be told. Any line ending in the text (LF, CRLF, CR, even
    split between two pieces) is written as ``newline``. Raises
    :class:`~subloc.errors.OutputError` naming the first character the encoding cannot
    represent, and its line.
    """

    def __init__(self, encoding: str = "utf-8", *, bom: bool = False,
                 newline: str = "\n") -> None:
        if newline not in ("\n", "\r\n", "\r"):
            raise OutputError(f"unknown line ending {newline!r}; use '\\n', '\\r\\n' or '\\r'")
        try:
            name = canonical_name(encoding)
        except DecodeError:
            raise OutputError(
                f"unknown output encoding {encoding!r}; use a name like utf-8, cp1252, "
                "shift_jis") from None
        if name == "utf-8-sig":
            name, bom = "utf-8", True
        elif name in ("utf-16", "utf-32"):
            name, bom = f"{name}-le", True
        self.name, self.newline = name, newline
        self._prefix = _BOM_FOR[name] if bom and name in _BOM_FOR else b""
        self._held = ""  # a CR at the end of a piece, which may be half of a CRLF
        self._lines = 0  # line breaks written so far, for error messages

    def encode(self, text: str) -> bytes:
        text = self._held + text
        self._held = ""
        if text.endswith("\r"):
            text, self._held = text[:-1], "\r"
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = text.count("\n")
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        try:
            data = text.encode(self.name)
        except UnicodeEncodeError as error:
            char = error.object[error.start]
            line = self._lines + error.object.count(self.newline, 0, error.start) + 1
            raise OutputError(
                f"character {char!r} (U+{ord(char):04X}) in line {line} cannot be written in "
                f"{self.name}; choose another --output-encoding such as utf-8",
                line=line,
            ) from None
        self._lines += lines
        data, self._prefix = self._prefix + data, b""
        return data

    def finish(self) -> bytes:
        """What is still held back (a final CR), and the BOM of an empty text."""
        held, self._held = self._held, ""
        return self.encode("\n") if held else self.encode("")


# ---------------------------------------------------------------------------------------
# Decoding steps
# ---------------------------------------------------------------------------------------


def _canonical(name: str) -> str:
    if name.startswith("shift_jis"):
        return name
    name = name.replace("_", "-")
    if name.startswith("iso8859-"):
        name = "iso-8859-" + name[len("iso8859-") :]
    return name


def _dominant_newline(crlf: int, cr_all: int, lf_all: int) -> str:
    """The most frequent line ending (ties: LF, CRLF, CR), ``"\\n"`` when there is none."""
    counts = {"\n": lf_all - crlf, "\r\n": crlf, "\r": cr_all - crlf}
    newline = max(counts, key=lambda key: counts[key])
    return newline if counts[newline] else "\n"


def _finish(text: str, encoding: str, bom: bool, *, detected: bool) -> Decoded:
    newline = _dominant_newline(text.count("\r\n"), text.count("\r"), text.count("\n"))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text=text, encoding=encoding, bom=bom, newline=newline, detected=detected)


def _decode_forced(data: bytes, name: str, path: str) -> tuple[str, str, bool]:
    """Decode with a codec the caller chose; a BOM of that encoding is still removed."""
    bom = False
    if name in ("utf-8", "utf-8-sig"):
        name = "utf-8"
        if data.startswith(codecs.BOM_UTF8):
            data, bom = data[3:], True
    elif name in ("utf-16", "utf-32"):
        width = 2 if name == "utf-16" else 4
        little, big = _BOM_FOR[f"{name}-le"], _BOM_FOR[f"{name}-be"]
        if data.startswith(little) and not (width == 2 and data.startswith(codecs.BOM_UTF32_LE)):
            name, data, bom = f"{name}-le", data[len(little) :], True
        elif data.startswith(big):
            name, data, bom = f"{name}-be", data[len(big) :], True
        else:
            name = _guess_unicode_without_bom(data, width) or f"{name}-le"
    elif name in _BOM_FOR and data.startswith(_BOM_FOR[name]):
        data, bom = data[len(_BOM_FOR[name]) :], True
    try:
        return data.decode(name), name, bom
    except UnicodeDecodeError as error:
        line = _line_of(data, error.start, name)
        raise DecodeError(
            f"byte 0x{data[error.start]:02X} in line {line} is not valid {name}; "
            "pass the right --encoding (or leave it out to detect the encoding)",
            path=path,
            line=line,
        ) from None


def _decode_with_bom(data: bytes, bom: bytes, name: str, path: str) -> tuple[str, str]:
    body = data[len(bom) :]
    try:
        return body.decode(name), name
    except UnicodeDecodeError as error:
        if name == "utf-32-le":  # FF FE 00 00 may also be UTF-16 LE starting with U+0000
            try:
                return data[2:].decode("utf-16-le"), "utf-16-le"
            except UnicodeDecodeError:
                pass
        line = _line_of(body, error.start, name)
        raise DecodeError(
            f"the file starts with a {name} byte-order mark but byte 0x{body[error.start]:02X} "
            f"in line {line} is not valid {name}; fix the file or pass --encoding",
            path=path,
            line=line,
        ) from None


def _guess_unicode_without_bom(data: bytes, width: int) -> str | None:
    """``utf-16-le``/``-be`` or ``utf-32-le``/``-be`` from the pattern of NUL bytes.

    Subtitle text is full of ASCII (timestamps, digits, newlines), which leaves NULs in the
    high byte of every such code unit and hardly anywhere else.
    """
    head = data[: 64 * 1024]
    size = len(head) - len(head) % width
    if size < 2 * width:
        return None
    head = head[:size]
    units = size // width
    zeros = [head[i::width].count(0) / units for i in range(width)]
    if width == 4:
        if zeros[2] > 0.9 and zeros[3] > 0.9 and zeros[0] < 0.5:
            return "utf-32-le"
        if zeros[0] > 0.9 and zeros[1] > 0.9 and zeros[3] < 0.5:
            return "utf-32-be"
        return None
    even, odd = zeros
    if odd >= 0.2 and even <= odd / 8:
        return "utf-16-le"
    if even >= 0.2 and odd <= even / 8:
        return "utf-16-be"
    return None


def _decode_ascii_compatible(data: bytes, path: str) -> tuple[str, str]:
    """UTF-8, else ISO-2022 (7-bit escapes), else a detected legacy code page."""
    if b"\x1b$" in data:  # ISO-2022-JP/KR escape sequences: 7-bit, so also valid UTF-8
        for name in ("iso2022-jp", "iso2022-kr"):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                continue
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    sample = _sample(data)
    if _mostly_utf8(sample):
        line = _line_of(data, utf8_error.start, "utf-8")
        raise DecodeError(
            f"byte 0x{data[utf8_error.start]:02X} in line {line} is not valid UTF-8, although "
            "the rest of the file is: it may mix encodings. Re-save the file as UTF-8, or "
            "pass --encoding to read all of it in one legacy encoding",
            path=path,
            line=line,
        )
    return _decode_legacy(data, sample, path)


_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def _mostly_utf8(sample: bytes) -> bool:
    """Whether the non-ASCII bytes are overwhelmingly well-formed UTF-8 sequences.

    Legacy text forms such sequences only by accident (an accented capital followed by a
    symbol), so four in five is far beyond what any code page produces.
    """
    sequences = _UTF8_SEQUENCE.findall(sample)
    in_sequences = sum(map(len, sequences))
    stray = len(_HIGH_BYTE.findall(sample)) - in_sequences
    return len(sequences) >= 4 and len(sequences) >= 4 * stray


def _decode_legacy(data: bytes, sample: bytes, path: str) -> tuple[str, str]:
    """Detect a legacy code page on ``sample`` and decode all of ``data`` with it.

    When the whole file does not decode (the sample missed the bytes that tell), the
    detected codec's wider relatives are tried (Shift_JIS → cp932, EUC-KR → cp949, Big5 →
    cp950), then detection runs again with the offending lines in view.
    """
    lines = _non_ascii_lines(sample)
    ranking = _rank(lines)
    best = ranking[0]
    first_error: tuple[str, UnicodeDecodeError] | None = None
    tried: set[str] = set()
    for _attempt in range(3):
        for name in (best.encoding, *_WIDER.get(best.encoding, ())):
            if name in tried:
                continue
            tried.add(name)
            try:
                text = data.decode(name)
            except UnicodeDecodeError as error:
                if first_error is None:
                    first_error = (name, error)
                continue
            if name != ranking[0].encoding:
                log.debug("%s: the whole file decodes as %s, not %s", path, name, best.encoding)
            return text, name
        assert first_error is not None
        # The lines around the failure go first, so that they are scored, not just validated.
        lines = _non_ascii_lines(_chunk_around(data, first_error[1].start)) + b"\n" + lines
        candidates = [c for c in _rank(lines) if c.encoding not in tried]
        if not candidates or candidates[0].score < _MIN_FALLBACK_SCORE:
            break
        best = candidates[0]
    assert first_error is not None
    name, offset = first_error[0], first_error[1].start
    line = _line_of(data, offset, name)
    raise DecodeError(
        f"the file looks like {name}, but byte 0x{data[offset]:02X} in line {line} is "
        "not valid in it nor in any other likely encoding; the file may mix encodings: "
        "re-save it as UTF-8 or pass --encoding",
        path=path,
        line=line,
    )


def _line_of(data: bytes, offset: int, encoding: str) -> int:
    """The 1-based line of byte ``offset`` in ``data`` decoded with ``encoding``."""
    prefix = data[:offset].decode(encoding, errors="replace")
    crlf = prefix.count("\r\n")
    return prefix.count("\n") + prefix.count("\r") - crlf + 1


# ---------------------------------------------------------------------------------------
# Binary data
# ---------------------------------------------------------------------------------------

#: Control characters that never occur in text (tab, line breaks, form feed and the DOS
#: end-of-file mark 0x1A are allowed); C1 controls count too, but not in UTF-8, where they
#: take two deliberate bytes.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x19\x1b-\x1f\x7f-\x9f]")
_CONTROL_NO_C1 = re.compile("[\x00-\x08\x0b\x0e-\x19\x1b-\x1f\x7f]")
_BINARY_CHECK_BYTES = 256 * 1024
#: Real subtitle files carry a stray control character now and then (the WebVTT tests
#: have files with 1-5 %); binary data carries far more, and runs of NULs.
_CONTROL_SHARE = 0.10
_NUL_RUN = b"\x00" * 8


def _binary_error(offset: int, path: str) -> DecodeError:
    return DecodeError(
        f"the file does not look like a text subtitle file (binary data at byte {offset})",
        path=path,
    )


def _reject_binary(body: bytes, encoding: str, skipped: int, path: str) -> None:
    """Raise when the start of the text has more than a stray control character or two.

    ``body`` is the original bytes after any BOM (``skipped`` bytes long), so the reported
    offset is the one a hex editor shows.
    """
    raw = body[:_BINARY_CHECK_BYTES]
    if encoding in ("utf-8", "ascii") and _NUL_RUN in raw:
        raise _binary_error(skipped + raw.index(_NUL_RUN), path)
    head = raw.decode(encoding, errors="replace")
    pattern = _CONTROL_NO_C1 if encoding == "utf-8" else _CONTROL
    controls = pattern.findall(head)
    if len(controls) < 2 or len(controls) < _CONTROL_SHARE * len(head):
        return
    first = pattern.search(head)
    assert first is not None
    offset = skipped + len(head[: first.start()].encode(encoding, errors="replace"))
    raise _binary_error(offset, path)


# ---------------------------------------------------------------------------------------
# Sampling
# ---------------------------------------------------------------------------------------


def _sample(data: bytes) -> bytes:
    """The head of the file plus a few chunks from the middle and end, cut at newlines.

    All legacy candidates are ASCII-compatible and none uses 0x0A inside a multi-byte
    character, so cutting after a newline never splits a character.
    """
    if len(data) <= _HEAD + _CHUNKS * _CHUNK:
        return data
    head = data[:_HEAD]
    pieces = [head[: head.rfind(b"\n") + 1] or head]
    step = (len(data) - _HEAD) // _CHUNKS
    for i in range(1, _CHUNKS + 1):
        start = min(_HEAD + i * step, len(data)) - _CHUNK
        pieces.append(_line_aligned(data, start, start + _CHUNK))
    return b"\n".join(pieces)


def _line_aligned(data: bytes, start: int, end: int) -> bytes:
    chunk = data[max(0, start) : end]
    if start > 0:
        chunk = chunk[chunk.find(b"\n") + 1 :]
    if end < len(data):
        chunk = chunk[: chunk.rfind(b"\n") + 1]
    return chunk


def _chunk_around(data: bytes, offset: int) -> bytes:
    return _line_aligned(data, offset - _CHUNK // 2, offset + _CHUNK // 2)


_NON_ASCII_LINE = re.compile(rb"[^\n]*[\x80-\xff][^\n]*")


def _non_ascii_lines(sample: bytes) -> bytes:
    """Only the lines with non-ASCII bytes: timestamps and numbers say nothing."""
    return b"\n".join(_NON_ASCII_LINE.findall(sample))


# ---------------------------------------------------------------------------------------
# Language plausibility
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Language:
    code: str
    script: str  # "LATIN", "CYRILLIC", "GREEK", "HEBREW", "ARABIC" or "CJK-ja"/"CJK-zh"/"CJK-ko"
    letters: dict[str, float]  # letter -> weight (most frequent 1.0 … rarest 0.5)
    prior: float


def _language(code: str, script: str, by_frequency: str, prior: float = 0.02) -> _Language:
    """A language whose (non-ASCII) letters are listed most frequent first."""
    letters: dict[str, float] = {}
    chars = [c for c in by_frequency if not c.isspace()]
    for rank, char in enumerate(chars):
        weight = 1.0 - 0.5 * rank / max(1, len(chars) - 1)
        for form in (char, char.upper()):
            if len(form) == 1:
                letters.setdefault(form, weight)
    return _Language(code, script, letters, prior)


_HEBREW_POINTS = "".join(chr(c) for c in range(0x05B0, 0x05C3) if c != 0x05BE)
_ARABIC_BASE = "ايلمونرتبةعدسفهكقأحجشطصىخإذثزضغءؤئظآـ"
_ARABIC_MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"

_LANGUAGES: dict[str, _Language] = {
    lang.code: lang
    for lang in (
        # Western European (ISO-8859-1 / cp1252)
        _language("en", "LATIN", "éï"),
        _language("fr", "LATIN", "éèàçêùâôîœëïûüÿæ"),
        _language("es", "LATIN", "óíáéñúü"),
        _language("pt", "LATIN", "ãçéáíóõêúâôà"),
        _language("it", "LATIN", "èàùòìéíóî"),
        _language("ca", "LATIN", "àèéíòóúçïü", 0.0),
        _language("de", "LATIN", "äüößé"),
        _language("nl", "LATIN", "ëéèïöüó"),
        _language("sv", "LATIN", "äåöé"),
        _language("da", "LATIN", "øåæé"),
        _language("fi", "LATIN", "äöå"),
        _language("is", "LATIN", "áðíóéúþæöý", 0.0),
        _language("et", "LATIN", "äõüöšž", 0.0),
        _language("sq", "LATIN", "ëç", 0.0),
        # Central European (ISO-8859-2 / cp1250)
        _language("cs", "LATIN", "íáéěýřčžšůúňťďó"),
        _language("sk", "LATIN", "áíéýčžšúôäľňťďóĺŕ"),
        _language("pl", "LATIN", "łęąóżśćńź"),
        _language("hu", "LATIN", "éáőöóüíúű"),
        _language("hr", "LATIN", "čšžćđ"),
        _language("ro", "LATIN", "ăîâşţ"),
        # Baltic (cp1257)
        _language("lt", "LATIN", "ėšųžąįūčę"),
        _language("lv", "LATIN", "āēīšūņļķčžģ"),
        # Turkish (ISO-8859-9 / cp1254)
        _language("tr", "LATIN", "ıüşçğöİâî", 0.03),
        # Cyrillic (cp1251)
        _language("ru", "CYRILLIC", "оеаинтсрвлкмдпуяызьбгчйхжшюцщэфъё"),
        _language("uk", "CYRILLIC", "оаніивтерклудмпсзяьбгйчхцшюжєїщфґ"),
        _language("be", "CYRILLIC", "аоыенірлсктдвмуяйзьбчгшхжўцюэёф", 0.0),
        _language("bg", "CYRILLIC", "аиоентрсвлкдпмзгяъубчцйжщхшюфь"),
        _language("sr", "CYRILLIC", "аиоенрсјтувдкмплзгбчцшжњћљхђфџ"),
        _language("mk", "CYRILLIC", "аиоенртсвдлкпмзјгуњбшчцѓжќфхљџѕ", 0.0),
        # Greek (ISO-8859-7 / cp1253)
        _language("el", "GREEK", "αοετιησνρκπυμλςάίόέγδήωύχθφβζξψώϊΐϋΰ"),
        # Hebrew (cp1255)
        _language("he", "HEBREW", "יוהלרבתמאשנעםדקחפסכגטצןזךףץװױײ" + _HEBREW_POINTS),
        # Arabic script (cp1256)
        _language("ar", "ARABIC", _ARABIC_BASE + _ARABIC_MARKS),
        _language("fa", "ARABIC", "اينرمدهوتبسلکشزفگعخقجآپحطصچذژغضظثئءأـ"),
        _language("ur", "ARABIC", "ايرنکہےوتمسلدبپجھشگحزعچقفٹڑخںڈصطضظذثغژآءؤئـ", 0.0),
        # CJK: scored by _cjk_value, not by letter lists
        _Language("ja", "CJK-ja", {}, 0.02),
        _Language("zh", "CJK-zh", {}, 0.02),
        _Language("ko", "CJK-ko", {}, 0.02),
    )
}

_WESTERN = ("en", "fr", "es", "pt", "it", "ca", "de", "nl", "sv", "da", "fi", "is", "et", "sq")
_CENTRAL = ("cs", "sk", "pl", "hu", "hr", "ro", "de", "sq")

#: Which languages are written in which code page.
_CODEC_LANGUAGES: dict[str, tuple[str, ...]] = {
    "iso-8859-1": _WESTERN,
    "cp1252": _WESTERN,
    "iso-8859-2": _CENTRAL,
    "cp1250": _CENTRAL,
    "cp1251": ("ru", "uk", "be", "bg", "sr", "mk"),
    "iso-8859-7": ("el",),
    "cp1253": ("el",),
    "iso-8859-9": ("tr",),
    "cp1254": ("tr",),
    "cp1255": ("he",),
    "cp1256": ("ar", "fa", "ur"),
    "cp1257": ("lt", "lv", "et"),
    "shift_jis": ("ja",),
    "cp932": ("ja",),
    "euc-jp": ("ja",),
    "gb18030": ("zh",),
    "big5": ("zh",),
    "cp950": ("zh",),
    "euc-kr": ("ko",),
    "cp949": ("ko",),
}

#: The most frequent characters of modern Chinese, simplified and traditional forms: in
#: real text most characters are among these, in another encoding's bytes read as Chinese
#: few are.
_COMMON_HANZI = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自"
    "之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些"
    "主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正"
    "业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回"
    "特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平"
    "系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命"
    "山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完"
    "设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争"
    "运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫"
    "台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线"
    "似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标"
    "谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投"
    "某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答"
    "紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男"
    "钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿"
    "脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获"
    "模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检"
    "差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优"
    "怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登"
    "货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯"
    "测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均"
    "销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督"
    "毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋"
    "宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握"
    "戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸哦嗯哎喂嘛咱俺啦哇嘿喔呃哼哟妹钥匙晚饭恭祝庆空等"
    # traditional forms
    "這個們來為國時說會對過發後裡裏經麼學現當沒動還進樣開從實軍無與長機關點業將兩間問頭體見"
    "產話給門兒東聲員論處義幾認條氣題爾別變總電數報結務場計資許統區隊決馬書則聽卻達權難記邊"
    "張該規萬覺術領確傳師觀讓識帶導爭運飛風轉令準遠單羅愛擊備連調質團價黨華級離況亞請際約復"
    "線視滿斷須寫稱嗎輕農裝廣顯標談圖歷醫專費號盡較語僅隨選紅響雖勢參眾構節維劃敵陳態護興驗"
    "責營夠嚴續講終緊黃絕項圍織鬥雙紀採舉殺蘇訴細願錢網熱屬臉職樂剛狀獨彈創錯蘭試腦預誰陽繼"
    "驚傷藥適衛險陸習勞財環納歡獲雲遊龍樹層衝範異漢簡擔靜積餘檢靈協徵揮勝階審堅媽劉讀壓銀買"
    "養懷執亂幫歲優鐵稅藝陣腳惡塊頓島戶評寶釋顧貨歐換聞壞討麗監臨葉鄉禮歸飯額順輸搖補謂療澤"
    "滅筆鮮詞聖擇尋廠煙諾倫賣載陰園謀榮孫頂鎮練爺館礎紙諸訓莊絲戲隱訪軟夥盤鑰慶喚嗎麼著啊"
)


@cache
def _char_info(char: str) -> tuple[str, str]:
    """(kind, script) of a non-ASCII character; kinds: letter, punct, cjk-punct, space,
    symbol, odd, control."""
    category = unicodedata.category(char)
    name = unicodedata.name(char, "")
    if category in ("Cc", "Co", "Cn", "Cs") or char == "\ufffd":
        return "control", ""
    if category[0] in "LM":
        if name.startswith("CJK"):
            return "letter", "HAN"
        if name.startswith("HALFWIDTH KATAKANA"):
            return "letter", "HALFWIDTH-KANA"
        if name.startswith(("HIRAGANA", "KATAKANA")):
            return "letter", "KANA"
        if name.startswith("FULLWIDTH"):
            return "cjk-punct", ""
        return "letter", name.split(" ", 1)[0]
    if category == "Zs":
        return ("cjk-punct" if char == "\u3000" else "space"), ""
    if char in _COMMON_PUNCT:
        return "punct", ""
    if char in _ODD_SYMBOLS:
        return "odd", ""
    if 0x3000 <= ord(char) <= 0x303F or name.startswith(("FULLWIDTH", "HALFWIDTH IDEOGRAPHIC")):
        return "cjk-punct", ""
    if char in _IN_WORD_OK:
        return "punct", ""
    return "symbol", ""


#: Punctuation that subtitles in any language use.
_COMMON_PUNCT = frozenset("“”‘’„‚«»…–—•·°€£¡¿♪♫№\u060c\u061b\u061f\u05be\u05f3\u05f4")
#: Symbols that are almost always mojibake in dialogue.
_ODD_SYMBOLS = frozenset("¤¦¨¬¯´¸¶˘˝ˇ˛˙ˆ˜ƒ‡†‰¹")
#: Non-letters that may sit between two letters of a word.
_IN_WORD_OK = frozenset("’'‐-·\u05be\u05f3\u05f4\u200c\u200d\u00ad")

_KIND_VALUE = {"punct": 0.5, "space": 0.0, "symbol": -0.5, "odd": -1.5, "control": -4.0}

_ASCII_LETTER = re.compile("[A-Za-z]")
_TOKEN = re.compile(r"(?:[^\W\d_]|[^\x00-\x7f])*[^\x00-\x7f](?:[^\W\d_]|[^\x00-\x7f])*")


@dataclass(frozen=True)
class _Profile:
    """What scoring needs from one decoded text: non-ASCII character counts and the
    language-independent penalty for mojibake shapes inside words."""

    chars: Counter[str]
    shape_penalty: float
    ascii_letters: int

    @property
    def size(self) -> int:
        return sum(self.chars.values())


def _profile(text: str) -> _Profile:
    tokens = Counter(_TOKEN.findall(text))
    chars: Counter[str] = Counter()
    penalty = 0.0
    for token, count in tokens.items():
        chars.update({c: n * count for c, n in Counter(token).items() if c > "\x7f"})
        penalty += _shape_penalty(token) * count
    return _Profile(chars, penalty, len(_ASCII_LETTER.findall(text)))


def _shape_penalty(token: str) -> float:
    penalty = 0.0
    latin_run = 0
    previous = ""
    for i, char in enumerate(token):
        if char > "\x7f":
            kind, script = _char_info(char)
            if kind == "letter" and script == "LATIN":
                latin_run += 1
            else:
                if latin_run >= 3:
                    penalty += latin_run
                latin_run = 0
            if (
                kind in ("symbol", "odd", "punct", "control")
                and char not in _IN_WORD_OK
                and 0 < i < len(token) - 1
                and previous.isalpha()
                and token[i + 1].isalpha()
            ):
                penalty += 2.0
            if _is_mark(char) and not (previous.isalpha() or _is_mark(previous)):
                penalty += 2.0  # a combining mark with no letter to sit on
        else:
            if latin_run >= 3:
                penalty += latin_run
            latin_run = 0
        if previous and (previous > "\x7f" or char > "\x7f"):
            if previous.islower() and char.isupper():
                penalty += 2.0  # "mÓj", "σΆ": a case flip inside a word
            if previous.isalpha() and char.isalpha() and _script(previous) != _script(char):
                penalty += 2.0  # "Dσnde", "Ïðèâåò" next to Cyrillic: two scripts in one word
        previous = char
    if latin_run >= 3:
        penalty += latin_run
    return penalty


def _is_mark(char: str) -> bool:
    return bool(char) and unicodedata.category(char)[0] == "M"


def _script(char: str) -> str:
    """The script of a letter, with CJK scripts merged (they mix within words)."""
    if char < "\x80":
        return "LATIN"
    script = _char_info(char)[1]
    return "CJK" if script in ("HAN", "KANA", "HALFWIDTH-KANA", "HANGUL") else script


@cache
def _in_codec(char: str, codec: str) -> bytes:
    try:
        return char.encode(codec)
    except UnicodeEncodeError:
        return b""


def _letter_value(char: str, script: str, language: _Language) -> float:
    weight = language.letters.get(char)
    if weight is not None:
        return weight
    return -1.0 if script == language.script else -2.0


def _cjk_value(char: str, kind: str, script: str, language: str) -> float:
    if kind == "cjk-punct":
        return 0.5
    if kind != "letter":
        return _KIND_VALUE[kind]
    if language == "ja":
        if script == "HAN":  # JIS level 1 kanji (Shift_JIS lead byte <= 0x9F) are the common ones
            return 0.8 if _in_codec(char, "cp932")[:1] <= b"\x9f" else 0.3
        return {"KANA": 1.0, "HALFWIDTH-KANA": -1.0}.get(script, -2.0)
    if language == "zh":
        if script == "HAN":
            return 1.0 if char in _COMMON_HANZI else 0.2
        return -1.0 if script == "KANA" else -2.0
    if script == "HANGUL":
        if not "\uac00" <= char <= "\ud7a3":
            return -0.5  # bare jamo (ㅋㅋ): rare, but what Japanese kana become in EUC-KR
        # The 2,350 syllables of KS X 1001 are the ones in use.
        return 1.0 if len(_in_codec(char, "euc-kr")) == 2 else 0.1
    return -0.5 if script == "HAN" else -2.0  # hanja are rare in Korean subtitles


def _language_score(profile: _Profile, language: _Language) -> float:
    total = 0.0
    kana = han = hangul = 0
    cjk = language.script.startswith("CJK")
    for char, count in profile.chars.items():
        kind, script = _char_info(char)
        if cjk:
            value = _cjk_value(char, kind, script, language.code)
            if script == "KANA":
                kana += count
            elif script == "HAN":
                han += count
            elif script == "HANGUL":
                hangul += count
        elif kind == "letter":
            value = _letter_value(char, script, language)
        elif kind == "cjk-punct":
            value = -1.0
        else:
            value = _KIND_VALUE[kind]
        total += value * count
    score = (total - profile.shape_penalty) / max(1, profile.size)
    if language.code == "ja" and kana < 0.3 * (kana + han):
        # Kana are most of any Japanese dialogue; without them it is another script's
        # bytes read as Japanese.
        score -= 4 * (0.3 - kana / (kana + han))
    if language.script != "LATIN":
        # Lines in a non-Latin script are mostly that script; Latin text read in a Cyrillic,
        # Greek … code page keeps its ASCII letters ("Merci, à demain" → "Merci, а demain").
        non_ascii = sum(n for c, n in profile.chars.items() if c.isalpha())
        ascii_share = profile.ascii_letters / max(1, profile.ascii_letters + non_ascii)
        score -= 2 * max(0.0, ascii_share - 0.5)
    # The prior breaks ties between languages in proportion to the evidence for them.
    if cjk:
        letters = kana + han + hangul
    else:
        letters = sum(n for c, n in profile.chars.items() if c in language.letters)
    return score + language.prior * letters / max(1, profile.size)


def _generic_score(profile: _Profile) -> float:
    """Plausibility without a language model: one script, no odd symbols or shapes."""
    scripts: Counter[str] = Counter()
    for char, count in profile.chars.items():
        kind, script = _char_info(char)
        if kind == "letter":
            scripts[script] += count
    main = scripts.most_common(1)[0][0] if scripts else ""
    total = 0.0
    for char, count in profile.chars.items():
        kind, script = _char_info(char)
        if kind == "letter":
            value = 1.0 if script == main else -1.0
        elif kind == "cjk-punct":
            value = 0.5
        else:
            value = _KIND_VALUE[kind]
        total += value * count
    return (total - profile.shape_penalty) / max(1, profile.size)


@dataclass(frozen=True)
class _Candidate:
    encoding: str
    score: float
    language: str


def _rank(lines: bytes) -> list[_Candidate]:
    """Candidates that decode ``lines`` strictly, most plausible first."""
    scored = lines[:_SCORE_BYTES]
    scored = scored[: scored.rfind(b"\n") + 1] if len(lines) > _SCORE_BYTES else scored
    results: list[tuple[float, int, _Candidate]] = []
    profiles: dict[str, _Profile] = {}
    for order, name in enumerate(LEGACY_CANDIDATES):
        try:
            lines.decode(name)
            text = scored.decode(name)
        except UnicodeDecodeError:
            continue
        profile = profiles.get(text)
        if profile is None:
            profile = profiles[text] = _profile(text)
        language, score = max(
            ((code, _language_score(profile, _LANGUAGES[code])) for code in _CODEC_LANGUAGES[name]),
            key=lambda item: item[1],
        )
        results.append((score, -order, _Candidate(name, score, language)))
    results.sort(key=lambda item: (item[0], item[1]), reverse=True)
    ranking = [candidate for _, _, candidate in results]
    if not ranking or ranking[0].score < _LOW_SCORE:
        other = _ask_charset_normalizer(scored, ranking)
        if other is not None:
            ranking.insert(0, other)
    if not ranking:  # cannot happen while iso-8859-1 is a candidate; keep the type honest
        ranking.append(_Candidate("iso-8859-1", 0.0, ""))
    log.debug("encoding candidates: %s", ranking[:4])
    return ranking


def _ask_charset_normalizer(lines: bytes, ranking: list[_Candidate]) -> _Candidate | None:
    """charset-normalizer's pick over all its code pages, if it reads better than ours."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    match = from_bytes(lines).best()
    if match is None:
        return None
    try:
        name = canonical_name(match.encoding)
        text = lines.decode(name)
    except (DecodeError, UnicodeDecodeError):
        return None
    if name.startswith(("utf-16", "utf-32")) or any(c.encoding == name for c in ranking):
        return None
    theirs = _generic_score(_profile(text))
    ours = max(
        (_generic_score(_profile(lines.decode(c.encoding))) for c in ranking[:3]), default=-9.0
    )
    if theirs <= ours or theirs < _LOW_SCORE:
        return None
    return _Candidate(name, theirs, match.language or "")

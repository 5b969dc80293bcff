"""SAMI (``.smi``): Microsoft's HTML-like caption format."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import PurePath

from subloc import markup
from subloc.errors import ParseError
from subloc.formats._lines import check_position, loss_messages, split_separators
from subloc.formats._timing import default_duration_ms, writable_times
from subloc.formats.base import ReadContext, SubtitleFormat, WriteContext
from subloc.track import NO_META, Cue, Track

#: English names of languages for the ``Name:`` of a SAMI class.
LANGUAGE_NAMES = {
    "ar": "Arabic", "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek",
    "en": "English", "es": "Spanish", "fi": "Finnish", "fr": "French", "he": "Hebrew",
    "hi": "Hindi", "hu": "Hungarian", "it": "Italian", "ja": "Japanese", "ko": "Korean",
    "nb": "Norwegian", "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sv": "Swedish", "th": "Thai",
    "tr": "Turkish", "uk": "Ukrainian", "vi": "Vietnamese", "zh": "Chinese",
}  # fmt: skip

DEFAULT_LANGUAGE = "en-US"
DEFAULT_P_STYLE = (
    "margin-left: 8pt; margin-right: 8pt; margin-bottom: 2pt; margin-top: 2pt; "
    "text-align: center; font-size: 20pt; font-family: Arial, sans-serif; "
    "font-weight: normal; color: white;"
)

_SYNC = re.compile(r"<sync\b([^>]*)>", re.IGNORECASE)
_START = re.compile(r"""\bstart\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*))""", re.IGNORECASE)
_P = re.compile(r"<p\b([^>]*)>", re.IGNORECASE)
_CLASS = re.compile(r"""\bclass\s*=\s*["']?([\w-]+)""", re.IGNORECASE)
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.IGNORECASE | re.DOTALL)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_RULE = re.compile(r"(?<![\w-])(\.?[A-Za-z][\w-]*)\s*\{([^{}]*)\}")
_DECL = re.compile(r"([\w-]+)\s*:\s*([^;]*)")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)([^>]*)>")
_HTML_COLOR = re.compile(r"""\bcolor\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*))""", re.IGNORECASE)
_SIMPLE = {"i": "i", "em": "i", "b": "b", "strong": "b", "u": "u"}
_LINE_BREAK = "\n"
#: HTML's whitespace (not Unicode's: an ideographic space or U+2028 is text).
_SPACES = re.compile(r"[ \t\n\r\f]+")
_SPACE_CHARS = " \t\n\r\f"


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _blank_comments(text: str) -> str:
    """Comments replaced by spaces (newlines kept, so positions and line numbers hold)."""
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


@dataclass
class _SamiClass:
    name: str
    lang: str | None


def _parse_style(text: str) -> tuple[dict[str, _SamiClass], list[str], str | None]:
    """The classes of the ``<STYLE>`` block (upper-cased name → class), in order, and the P rule."""
    classes: dict[str, _SamiClass] = {}
    order: list[str] = []
    p_style: str | None = None
    for block in _STYLE.finditer(text):
        css = block.group(1).replace("<!--", " ").replace("-->", " ")
        for rule in _RULE.finditer(css):
            selector, body = rule.group(1), rule.group(2)
            decls = {m.group(1).lower(): m.group(2).strip() for m in _DECL.finditer(body)}
            if selector.lower() == "p":
                p_style = " ".join(body.split())
            elif selector.startswith("."):
                key = selector[1:].upper()
                if key not in classes:
                    order.append(key)
                classes[key] = _SamiClass(decls.get("name", key), decls.get("lang") or None)
    return classes, order, p_style


@dataclass
class _Block:
    """The content of one ``<P>`` of a ``<SYNC>``."""

    cls: str | None
    html: str


@dataclass
class _Sync:
    start: int
    line: int
    blocks: list[_Block]


def _split_paragraphs(content: str) -> list[_Block]:
    matches = list(_P.finditer(content))
    if not matches:
        return [_Block(None, content)]
    blocks = []
    if content[: matches[0].start()].strip():
        blocks.append(_Block(None, content[: matches[0].start()]))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(content)
        cls = _CLASS.search(match.group(1))
        blocks.append(_Block(cls.group(1).upper() if cls else None, content[match.end() : end]))
    return blocks


def _open_tag(name: str, color: str | None) -> str:
    return f'<font color="{color}">' if name == "font" else f"<{name}>"


def balance_lines(lines: list[str]) -> list[str]:
    """Canonical lines in which every line opens and closes its own tags.

    Tags left open at the end of a line are closed there and opened again on the next
    line; stray closing tags are dropped; tags still open at the end are closed.
    """
    stack: list[tuple[str, str | None]] = []
    result = []
    for line in lines:
        out = [_open_tag(name, color) for name, color in stack]
        for token in markup.tokenize(line):
            if token.kind == "open" and token.name in markup.CANONICAL:
                color = markup.font_color(token.raw) if token.name == "font" else None
                stack.append((token.name, color))
                out.append(_open_tag(token.name, color))
            elif token.kind == "close" and token.name in markup.CANONICAL:
                names = [name for name, _ in stack]
                if token.name in names:
                    index = len(names) - 1 - names[::-1].index(token.name)
                    # Close the tags opened inside it too, then reopen those.
                    inner = stack[index + 1 :]
                    out.extend(f"</{name}>" for name, _ in reversed(inner))
                    out.append(f"</{token.name}>")
                    del stack[index:]
                    stack.extend(inner)
                    out.extend(_open_tag(name, color) for name, color in inner)
            else:
                out.append(token.raw)
        out.extend(f"</{name}>" for name, _ in reversed(stack))
        result.append(re.sub(r"<(i|b|u|font)(?: [^>]*)?></\1>", "", "".join(out)))
    return result


def _html_to_lines(content: str, ctx: ReadContext, line: int) -> list[str]:
    """A ``<P>``'s HTML as canonical lines: tags mapped, entities unescaped, no blank lines."""
    parts: list[str] = []
    fonts: list[bool] = []
    pos = 0
    for match in _HTML_TAG.finditer(content):
        parts.append(_text(content[pos : match.start()]))
        pos = match.end()
        closing, name = match.group(1) == "/", match.group(2).lower()
        if name == "br":
            parts.append(_LINE_BREAK)
        elif name in _SIMPLE:
            parts.append(f"<{'/' if closing else ''}{_SIMPLE[name]}>")
        elif name == "font" and closing:
            if fonts and fonts.pop():
                parts.append("</font>")
        elif name == "font":
            attr = _HTML_COLOR.search(match.group(3))
            raw = next((g for g in attr.groups() if g is not None), "") if attr else ""
            color = markup.normalize_color(raw)
            if raw and color is None:
                ctx.warn(f"unknown colour {raw!r} ignored", line=line)
            fonts.append(color is not None)
            if color is not None:
                parts.append(f'<font color="{color}">')
    parts.append(_text(content[pos:]))
    lines = []
    for raw_line in "".join(parts).split(_LINE_BREAK):
        lines.append(_SPACES.sub(" ", raw_line).strip(_SPACE_CHARS))
    return [ln for ln in balance_lines(lines) if markup.strip_tags(ln).strip(_SPACE_CHARS)]


def _text(raw: str) -> str:
    # HTML whitespace (newlines included) is a space; &nbsp; is a space to subloc.
    text = html.unescape(raw).replace("\xa0", " ")
    return _SPACES.sub(" ", text)


class SamiFormat(SubtitleFormat):
    """SAMI: ``<SYNC Start=ms><P Class=ENUSCC>text`` blocks in an HTML-like document.

    Carries start times in milliseconds (a cue ends at the next ``<SYNC>``; a sync holding
    only ``&nbsp;`` clears the screen), line breaks (``<br>``), ``<i> <b> <u>`` and
    ``<font color>`` (colour names are normalised to ``#rrggbb``), and one language per
    ``<P>`` class. It cannot carry cue positions, overlapping cues or foreign tags.

    Writing: a cue without text, or starting when the next cue starts, is not written, and
    one that lasts no time is written lasting 1 ms (a warning each); a track with no cue
    still gets a clearing ``<SYNC Start=0>``, so the file is one SAMI readers read. U+2028
    and U+2029 in the text are line breaks (``<br>``).

    Reading: when several classes (languages) are present the first one, in ``<STYLE>``
    order, is read and a warning names the others. A last cue with no clearing sync ends
    after :func:`subloc.formats._timing.default_duration_ms`. The document's title, class
    and ``P`` style are kept in ``track.header["sami"]`` so writing SAMI again reuses them.
    """

    name = "sami"
    extensions = (".smi", ".sami")
    description = "SAMI (Microsoft Synchronized Accessible Media Interchange)"

    @classmethod
    def sniff(cls, head: str) -> bool:
        return bool(
            re.search(r"<sami[\s>]", head, re.IGNORECASE)
            or re.search(r"<sync\s+start\s*=", head, re.IGNORECASE)
        )

    # -- reading -----------------------------------------------------------------------

    def read(self, text: str, ctx: ReadContext) -> Track:
        text = text.lstrip("\ufeff")
        classes, order, p_style = _parse_style(text)
        title_match = _TITLE.search(text)
        title = _text(title_match.group(1)).strip() if title_match else None
        scan = _blank_comments(text)
        body = _BODY.search(scan)
        body_start = body.end() if body else 0
        body_end_match = _BODY_END.search(scan, body_start)
        body_end = body_end_match.start() if body_end_match else len(scan)
        matches = [m for m in _SYNC.finditer(scan, body_start, body_end)]
        if not matches:
            raise ParseError(
                "no <SYNC Start=…> block: this is not a SAMI subtitle file, or it is empty",
                path=ctx.path,
                line=_line_of(text, body_start) if body else 1,
            )
        syncs: list[_Sync] = []
        for index, match in enumerate(matches):
            line = _line_of(text, match.start())
            end = matches[index + 1].start() if index + 1 < len(matches) else body_end
            start_attr = _START.search(match.group(1))
            value = (
                next(g for g in start_attr.groups() if g is not None).strip() if start_attr else ""
            )
            if not re.fullmatch(r"\d+", value):
                ctx.malformed(f"SYNC Start must be a whole number of milliseconds, got {value!r}",
                              line, lenient="skip this block", done="block skipped")
                continue
            syncs.append(_Sync(int(value), line, _split_paragraphs(scan[match.end() : end])))

        chosen = self._choose_class(syncs, classes, order, ctx)
        cues: list[Cue] = []
        open_cue: Cue | None = None
        for sync in syncs:
            if open_cue is not None:
                if sync.start > open_cue.start_ms:
                    open_cue.end_ms = sync.start
                    cues.append(open_cue)
                else:
                    relation = "earlier than" if sync.start < open_cue.start_ms else "the same as"
                    ctx.warn(
                        f"SYNC Start={sync.start} is {relation} the one before "
                        f"({open_cue.start_ms}); the cue before it was dropped",
                        line=sync.line,
                    )
                open_cue = None
            blocks = [b for b in sync.blocks if b.cls is None or chosen is None or b.cls == chosen]
            lines = [ln for b in blocks for ln in _html_to_lines(b.html, ctx, sync.line)]
            if lines:
                open_cue = Cue(id=0, start_ms=sync.start, end_ms=sync.start, lines=lines,
                               meta={"line": sync.line})
        if open_cue is not None:
            open_cue.end_ms = open_cue.start_ms + default_duration_ms(open_cue.lines)
            cues.append(open_cue)
        for number, cue in enumerate(cues, start=1):
            cue.id = number
            cue.meta = {k: v for k, v in cue.meta.items() if k != "line"} or NO_META

        track = Track(cues=cues, format=self.name, fps=ctx.fps)
        sami_header: dict[str, str] = {}
        if title:
            sami_header["title"] = title
        if p_style:
            sami_header["p_style"] = p_style
        if chosen is not None:
            sami_header["class"] = chosen
            if chosen in classes:
                sami_header["name"] = classes[chosen].name
                track.language = classes[chosen].lang
                if track.language:
                    sami_header["lang"] = track.language
        track.header["sami"] = sami_header
        return track

    @staticmethod
    def _choose_class(
        syncs: list[_Sync], classes: dict[str, _SamiClass], order: list[str], ctx: ReadContext
    ) -> str | None:
        used: list[str] = []
        for sync in syncs:
            for block in sync.blocks:
                if block.cls is not None and block.cls not in used:
                    used.append(block.cls)
        if not used:
            return None
        chosen = next((c for c in order if c in used), used[0])
        others = [c for c in used if c != chosen]
        if others:

            def describe(name: str) -> str:
                lang = classes[name].lang if name in classes else None
                return f"{name} ({lang})" if lang else name

            ctx.warn(
                f"SAMI file holds several languages; read {describe(chosen)}, ignored "
                + ", ".join(describe(c) for c in others)
            )
        return chosen

    # -- writing -----------------------------------------------------------------------

    def write(self, track: Track, ctx: WriteContext) -> str:
        saved = track.header.get("sami", {}) if isinstance(track.header.get("sami"), dict) else {}
        language = ctx.language or track.language or DEFAULT_LANGUAGE
        if saved.get("class") and saved.get("lang") == language:
            cls, name = saved["class"], saved.get("name") or saved["class"]
        else:
            cls = re.sub(r"[^A-Za-z0-9]", "", language).upper() + "CC"
            name = LANGUAGE_NAMES.get(language.split("-")[0].lower(), language)
        title = saved.get("title") or (PurePath(track.path).stem if track.path else "Subtitles")
        p_style = saved.get("p_style") or DEFAULT_P_STYLE
        out = [
            "<SAMI>",
            "<HEAD>",
            f"<TITLE>{html.escape(title, quote=False)}</TITLE>",
            '<STYLE TYPE="text/css">',
            "<!--",
            f"P {{ {p_style} }}",
            f".{cls} {{ Name: {name}; lang: {language}; SAMIType: CC; }}",
            "-->",
            "</STYLE>",
            "</HEAD>",
            "<BODY>",
        ]
        written: list[tuple[Cue, int, int]] = []
        for cue in track.cues:
            if not any(p.strip() for p in cue.plain_lines):
                ctx.warn("cue has no text; not written", cue=cue.id)
                continue
            times = writable_times("SAMI", cue, ctx)
            if times is None:
                continue
            start, end = times
            if end == start:
                ctx.warn("SAMI cannot show a cue that lasts no time; written lasting 1 ms",
                         cue=cue.id)
                end += 1
            written.append((cue, start, end))
        written.sort(key=lambda item: item[1])
        for index in range(len(written) - 2, -1, -1):
            cue, start, _ = written[index]
            if start == written[index + 1][1]:
                ctx.warn("SAMI cannot show overlapping cues; cue starts when cue "
                         f"{written[index + 1][0].id} does, so it is not written", cue=cue.id)
                del written[index]
        for index, (cue, start, end) in enumerate(written):
            check_position("SAMI", cue, ctx)
            body = "<br>".join(self._line_html(cue, ctx))
            out.append(f"<SYNC Start={start}><P Class={cls}>{body}")
            following = written[index + 1] if index + 1 < len(written) else None
            if following is not None and following[1] < end:
                ctx.warn(
                    f"SAMI cannot show overlapping cues; cue ends when cue {following[0].id} "
                    "starts", cue=cue.id)
            elif following is None or following[1] > end:
                out.append(f"<SYNC Start={end}><P Class={cls}>&nbsp;")
        if not written:
            # An empty track is still a SAMI file its readers read: one clearing SYNC.
            out.append(f"<SYNC Start=0><P Class={cls}>&nbsp;")
        out.extend(["</BODY>", "</SAMI>", ""])
        return "\n".join(out)

    @staticmethod
    def _line_html(cue: Cue, ctx: WriteContext) -> list[str]:
        stack: list[str] = []
        fonts: list[bool] = []
        dropped: list[str] = []
        lines: list[str] = []
        for line in split_separators(cue.lines):
            parts: list[str] = []
            for token in markup.tokenize(line):
                if token.kind == "text":
                    parts.append(html.escape(token.raw, quote=False))
                elif token.name in ("i", "b", "u") and token.kind == "open":
                    stack.append(token.name)
                    parts.append(f"<{token.name}>")
                elif token.name in ("i", "b", "u") and token.kind == "close":
                    if token.name in stack:
                        stack.reverse()
                        stack.remove(token.name)
                        stack.reverse()
                        parts.append(f"</{token.name}>")
                elif token.name == "font" and token.kind == "open":
                    raw = markup.font_color(token.raw)
                    color = markup.normalize_color(raw)
                    if raw and color is None:
                        dropped.append(token.raw)
                    fonts.append(color is not None)
                    if color is not None:
                        stack.append("font")
                        parts.append(f'<font color="{color}">')
                elif token.name == "font" and token.kind == "close":
                    if fonts and fonts.pop() and "font" in stack:
                        stack.reverse()
                        stack.remove("font")
                        stack.reverse()
                        parts.append("</font>")
                elif token.kind != "close" and token.raw not in dropped:
                    dropped.append(token.raw)
            lines.append("".join(parts).strip(_SPACE_CHARS))
        if stack:
            lines[-1] += "".join(f"</{name}>" for name in reversed(stack))
        shown = [ln for ln in lines if markup.strip_tags(ln).strip(_SPACE_CHARS)]
        if len(shown) < len(lines):
            ctx.warn("SAMI cannot carry blank lines in a cue; written without them", cue=cue.id)
        for message in loss_messages("SAMI", set(), set(), dropped):
            ctx.warn(message, cue=cue.id)
        return [ln for ln in lines if ln]


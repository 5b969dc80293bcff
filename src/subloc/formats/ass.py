"""Advanced SubStation Alpha (.ass), SubStation Alpha (.ssa) and pysubs2's JSON, via pysubs2.

pysubs2 keeps ASS markup in ``SSAEvent.text`` (``{\\i1}``, ``\\N``). Here it is converted
to canonical markup and back: ``\\i \\b \\u \\c`` become ``<i> <b> <u> <font color>``,
``\\an`` becomes ``Cue.align``, and other override tags (``\\fad``, ``\\pos``) stay as
verbatim ``{\\…}`` blocks, so ASS written from ASS keeps them. Formatting that comes from
a style (an italic "Song" style) is made explicit on read, so converting to SRT keeps
it, and left to the style again on write.
"""

from __future__ import annotations

import re
from typing import Any

import pysubs2

from subloc import markup
from subloc.errors import ParseError
from subloc.formats._colors import ass_color, rgb_to_bgr
from subloc.formats.base import ReadContext, SubtitleFormat, WriteContext
from subloc.track import Cue, Track

_OVERRIDE = re.compile(r"\{([^{}]*)\}")
_OVERRIDE_TAG = re.compile(
    r"\\(?:(?P<name>an|[ibu]|1c|c|a|r)(?P<arg>&H[0-9A-Fa-f]+&?|\d+|[^\\]*)?)"
)
_LEGACY_ALIGN = {1: 1, 2: 2, 3: 3, 5: 7, 6: 8, 7: 9, 9: 4, 10: 5, 11: 6}  # SSA \a → numpad
_STYLE_TAGS = (("italic", "i"), ("bold", "b"), ("underline", "u"))


def ass_to_canonical(text: str) -> tuple[list[str], int | None]:
    """ASS event text to canonical lines and the ``\\an`` alignment it sets, if any."""
    out: list[str] = []
    open_tags: list[str] = []
    align: int | None = None
    pos = 0

    def close(name: str) -> None:
        if name in open_tags:
            open_tags.remove(name)
            out.append(f"</{name}>")

    def open_(name: str, tag: str) -> None:
        if name in open_tags:
            close(name)
        open_tags.append(name)
        out.append(tag)

    for match in _OVERRIDE.finditer(text):
        out.append(text[pos : match.start()])
        pos = match.end()
        body = match.group(1)
        if "\\" not in body:
            continue  # a comment block: invisible in ASS
        rest = body
        for tag in _OVERRIDE_TAG.finditer(body):
            name, arg = tag.group("name"), (tag.group("arg") or "").strip()
            handled = True
            if name in ("i", "b", "u") and (arg == "" or arg.isdigit()):
                if arg in ("", "0"):
                    close(name)
                else:
                    open_(name, f"<{name}>")
            elif name in ("c", "1c"):
                color = ass_color(arg)
                if color:
                    open_("font", f'<font color="{color}">')
                else:
                    close("font")
            elif name == "an" and arg.isdigit() and 1 <= int(arg) <= 9:
                align = int(arg)
            elif name == "a" and arg.isdigit() and int(arg) in _LEGACY_ALIGN:
                align = _LEGACY_ALIGN[int(arg)]
            elif name == "r" and not arg:
                for open_name in reversed(list(open_tags)):
                    close(open_name)
            else:
                handled = False
            if handled:
                rest = rest.replace(tag.group(0), "", 1)
        if rest.strip():
            out.append("{" + rest + "}")
    out.append(text[pos:])
    for name in reversed(list(open_tags)):
        out.append(f"</{name}>")
    joined = "".join(out).replace("\\h", "\u00a0")
    return re.split(r"\\[Nn]", joined), align


def canonical_to_ass(lines: list[str], align: int | None) -> str:
    """Canonical lines to ASS event text (foreign non-ASS tags dropped)."""
    out: list[str] = []
    for token in markup.tokenize("\\N".join(lines)):
        if token.kind == "text":
            out.append(token.raw.replace("{", "(").replace("}", ")"))
        elif token.kind == "other" and token.raw.startswith("{"):
            out.append(token.raw)
        elif token.name in ("i", "b", "u"):
            out.append(f"{{\\{token.name}{0 if token.kind == 'close' else 1}}}")
        elif token.name == "font":
            bgr = rgb_to_bgr(markup.font_color(token.raw)) if token.kind == "open" else None
            if bgr:
                out.append(f"{{\\c&H{bgr}&}}")
            elif token.kind == "close":
                out.append("{\\c}")
    text = "".join(out)
    return f"{{\\an{align}}}{text}" if align is not None else text


def _unwrap(lines: list[str], tag: str) -> list[str] | None:
    """``lines`` without a whole-cue ``<tag>…</tag>`` wrap, or None if not wrapped."""
    text = "\n".join(lines)
    opening, closing = f"<{tag}>", f"</{tag}>"
    inner = text[len(opening) : -len(closing)]
    if text.startswith(opening) and text.endswith(closing) and opening not in inner:
        return inner.split("\n")
    return None


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

    def read(self, text: str, ctx: ReadContext) -> Track:
        try:
            subs = pysubs2.SSAFile.from_string(text, format_=self.pysubs2_format, fps=ctx.fps)
        except Exception as error:  # pysubs2 raises bare exceptions on malformed input
            raise ParseError(
                f"cannot read as {self.description}: {error}", path=ctx.path
            ) from error
        track = Track(cues=[], format=self.name)
        comments: list[tuple[int, Any]] = []
        for event in subs.events:
            if event.is_comment:
                comments.append((len(track.cues), event))
                continue
            track.cues.append(self._cue(event, subs, len(track.cues) + 1))
        template = subs.__class__()
        template.info = subs.info
        template.styles = subs.styles
        template.fonts_opaque = subs.fonts_opaque
        template.graphics_opaque = subs.graphics_opaque
        template.aegisub_project = subs.aegisub_project
        track.header.update({"ass_template": template, "ass_comments": comments})
        return track

    def _cue(self, event: Any, subs: Any, cue_id: int) -> Cue:
        lines, align = ass_to_canonical(event.text)
        style = subs.styles.get(event.style)
        if style is not None:
            for attribute, tag in _STYLE_TAGS:
                if getattr(style, attribute) and any(line.strip() for line in lines):
                    lines[0] = f"<{tag}>" + lines[0]
                    lines[-1] = lines[-1] + f"</{tag}>"
            if align is None and style.alignment != 2:
                align = int(style.alignment)
        return Cue(
            id=cue_id,
            start_ms=int(event.start),
            end_ms=int(event.end),
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

    def write(self, track: Track, ctx: WriteContext) -> str:
        template = track.header.get("ass_template")
        subs = pysubs2.SSAFile()
        if template is not None:
            subs.info = dict(template.info)
            subs.styles = dict(template.styles)
            subs.fonts_opaque = template.fonts_opaque
            subs.graphics_opaque = template.graphics_opaque
            subs.aegisub_project = dict(template.aegisub_project)
        # Comment events are kept in place: each remembers how many cues preceded it.
        comments: dict[int, list[Any]] = {}
        for position, event in track.header.get("ass_comments", []):
            comments.setdefault(position, []).append(event)
        for index, cue in enumerate(track.cues):
            subs.events.extend(event.copy() for event in comments.get(index, []))
            subs.events.append(self._event(cue, subs))
        subs.events.extend(event.copy() for event in comments.get(len(track.cues), []))
        return str(subs.to_string(self.pysubs2_format, fps=ctx.fps))

    def _event(self, cue: Cue, subs: Any) -> Any:
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
        event = pysubs2.SSAEvent(
            start=cue.start_ms,
            end=cue.end_ms,
            text=canonical_to_ass(lines, align),
            style=style_name,
            name=cue.speaker or "",
        )
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
    """pysubs2's JSON: the whole ASS model (styles, events with ASS markup) as JSON."""

    name = "json"
    extensions = (".json",)
    description = "pysubs2 JSON"
    pysubs2_format = "json"

    @classmethod
    def sniff(cls, head: str) -> bool:
        start = head.lstrip("\ufeff \r\n\t")
        return start.startswith("{") and ('"events"' in head or '"info"' in head[:200])

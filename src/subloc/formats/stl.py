"""EBU STL (Tech 3264) binary subtitles, read with ttconv's STL reader.

ttconv turns the GSI block and the TTI blocks into its TTML content model (teletext
colours and italics in the text field become styles, the vertical position a top or bottom
region); :func:`subloc.formats._ttconv.document_to_track` turns that model into a Track,
exactly as for TTML. Times are kept as the file has them (the GSI start-of-programme
time code ``TCP`` is recorded in ``track.header["stl_tcp"]``, not subtracted).
"""

from __future__ import annotations

import io
from fractions import Fraction

from ttconv.stl import reader as stl_reader

from subloc.errors import ParseError
from subloc.formats._ttconv import document_to_track, read_model
from subloc.formats.base import ReadContext, SubtitleFormat
from subloc.track import Track

GSI_SIZE = 1024
TTI_SIZE = 128

#: GSI Disk Format Code -> frame rate (EBU Tech 3264; ttconv supports the same set).
DISK_FORMAT_FPS = {
    b"STL23.01": Fraction(24000, 1001),
    b"STL24.01": Fraction(24),
    b"STL25.01": Fraction(25),
    b"STL30.01": Fraction(30000, 1001),
    b"STL50.01": Fraction(50),
}


class StlFormat(SubtitleFormat):
    """EBU STL (Tech 3264): a 1024-byte GSI block, then 128-byte TTI blocks.

    Read only. The frame rate comes from the GSI Disk Format Code, the language from the
    GSI language code; italics, underline and teletext colours in the text field become
    canonical tags, rows in the upper half of the screen ``align`` 8 (or 7/9).
    """

    name = "stl"
    extensions = (".stl",)
    description = "EBU STL (Tech 3264) binary subtitles"
    binary = True
    can_write = False

    @classmethod
    def sniff_bytes(cls, head: bytes) -> bool:
        return len(head) >= 11 and head[3:11] in DISK_FORMAT_FPS

    def read_bytes(self, data: bytes, ctx: ReadContext) -> Track:
        if len(data) < GSI_SIZE:
            raise ParseError(
                f"an EBU STL file starts with a {GSI_SIZE}-byte GSI block; this one has only "
                f"{len(data)} bytes",
                path=ctx.path,
            )
        dfc = data[3:11]
        fps = DISK_FORMAT_FPS.get(dfc)
        if fps is None:
            raise ParseError(
                f"unknown EBU STL disk format code {dfc!r} (expected one of "
                f"{', '.join(code.decode() for code in DISK_FORMAT_FPS)})",
                path=ctx.path,
            )
        extra = (len(data) - GSI_SIZE) % TTI_SIZE
        if extra:
            ctx.warn(f"the file ends with {extra} bytes that are not a whole TTI block; ignored")
            data = data[: len(data) - extra]
        data, comments = _without_comments(data)
        if comments:
            ctx.warn(f"{comments} comment block(s) (TTI comment flag set) skipped")
        doc = read_model(lambda: stl_reader.to_model(io.BytesIO(data)), "EBU STL file", ctx)
        track = document_to_track(doc, fmt=self.name, ctx=ctx, fps=float(fps))
        track.header["stl_tcp"] = _timecode(data[256:264])
        track.header["stl_dsc"] = data[11:12].decode("latin-1")
        return track


def _without_comments(data: bytes) -> tuple[bytes, int]:
    """Drop TTI blocks whose comment flag (CF, byte 15) is set: ttconv would show them."""
    blocks = [data[at: at + TTI_SIZE] for at in range(GSI_SIZE, len(data), TTI_SIZE)]
    kept = [block for block in blocks if block[15] != 0x01]
    if len(kept) == len(blocks):
        return data, 0
    return data[:GSI_SIZE] + b"".join(kept), len(blocks) - len(kept)


def _timecode(raw: bytes) -> str | None:
    text = raw.decode("latin-1")
    if len(text) != 8 or not text.isdigit():
        return None
    return f"{text[0:2]}:{text[2:4]}:{text[4:6]}:{text[6:8]}"


__all__ = ["DISK_FORMAT_FPS", "StlFormat"]

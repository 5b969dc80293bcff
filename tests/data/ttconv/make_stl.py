"""Generate ``sample.stl``, a small EBU STL (Tech 3264) test file, from scratch.

No freely redistributable STL sample was at hand, so this script writes one following
EBU Tech 3264-E: a 1024-byte GSI block (code page 850 header, 25 fps ``STL25.01``,
Level-1 teletext, English), then one 128-byte TTI block per subtitle. Text fields use the
ISO 6937 character table (CCT ``00``) and teletext control codes:

* ``0x80``/``0x81`` italics on/off, ``0x82``/``0x83`` underline on/off,
* ``0x0D`` double height, ``0x0B`` start box, ``0x03`` alpha yellow,
* ``0x8A`` CR/LF (twice between double-height rows), ``0x8F`` unused space (padding).

One block is a comment (CF = 1), which readers must skip.

In teletext a control code occupies a character cell, shown as a space; so codes stand in
for the spaces between words. Run ``python tests/data/ttconv/make_stl.py`` to rebuild; the
output is deterministic.
"""

from __future__ import annotations

import struct
from pathlib import Path

ITALIC_ON, ITALIC_OFF = b"\x80", b"\x81"
UNDERLINE_ON, UNDERLINE_OFF = b"\x82", b"\x83"
DOUBLE_HEIGHT, START_BOX, YELLOW = b"\x0d", b"\x0b", b"\x03"
NEWLINE = b"\x8a"
ACUTE = b"\xc2"  # ISO 6937 non-spacing acute accent, placed before the base letter

#: (start h, m, s, f), (end h, m, s, f), vertical position (teletext row 1-23), text field
#: and comment flag (a comment block is not a subtitle; readers must not show it)
SUBTITLES: list[tuple[tuple[int, int, int, int], tuple[int, int, int, int], int, bytes, int]] = [
    (
        (0, 0, 1, 0),
        (0, 0, 3, 12),
        20,
        DOUBLE_HEIGHT + START_BOX + START_BOX + b"Hello," + NEWLINE + NEWLINE
        + DOUBLE_HEIGHT + START_BOX + START_BOX + ITALIC_ON + b"my friend!" + ITALIC_OFF,
        0,
    ),
    (
        (0, 0, 4, 0),
        (0, 0, 6, 0),
        2,  # near the top of the screen
        DOUBLE_HEIGHT + START_BOX + START_BOX + b"On top,"
        + ITALIC_ON + b"in italics" + ITALIC_OFF + b"and not.",
        0,
    ),
    (
        (0, 0, 6, 0),
        (0, 0, 7, 0),
        20,
        b"Translator's note: not a subtitle",
        1,  # comment flag
    ),
    (
        (0, 0, 7, 10),
        (0, 0, 9, 5),
        22,
        START_BOX + START_BOX + YELLOW + b"Caf" + ACUTE + b"e au lait," + NEWLINE
        + START_BOX + START_BOX + UNDERLINE_ON + b"underlined" + UNDERLINE_OFF,
        0,
    ),
]


def gsi_block(block_count: int, subtitle_count: int) -> bytes:
    fields = [
        (b"850", 3),  # CPN code page number
        (b"STL25.01", 8),  # DFC disk format code: 25 fps
        (b"1", 1),  # DSC display standard: Level-1 teletext
        (b"00", 2),  # CCT character code table: Latin (ISO 6937)
        (b"09", 2),  # LC language code: English
        (b"subloc test", 32),  # OPT original programme title
        (b"", 32),  # OET original episode title
        (b"subloc test", 32),  # TPT translated programme title
        (b"", 32),  # TET translated episode title
        (b"subloc", 32),  # TN translator's name
        (b"", 32),  # TCD translator's contact details
        (b"", 16),  # SLR subtitle list reference code
        (b"240101", 6),  # CD creation date
        (b"240101", 6),  # RD revision date
        (b"01", 2),  # RN revision number
        (b"%05d" % block_count, 5),  # TNB total number of TTI blocks
        (b"%05d" % subtitle_count, 5),  # TNS total number of subtitles
        (b"001", 3),  # TNG total number of subtitle groups
        (b"40", 2),  # MNC maximum number of displayable characters in a row
        (b"23", 2),  # MNR maximum number of displayable rows
        (b"1", 1),  # TCS time code status: intended for use
        (b"00000000", 8),  # TCP time code: start of programme
        (b"00000100", 8),  # TCF time code: first in-cue
        (b"1", 1),  # TND total number of disks
        (b"1", 1),  # DSN disk sequence number
        (b"GBR", 3),  # CO country of origin
        (b"", 32),  # PUB publisher
        (b"", 32),  # EN editor's name
        (b"", 32),  # ECD editor's contact details
        (b"", 75),  # spare bytes
        (b"", 576),  # UDA user-defined area
    ]
    block = b"".join(value.ljust(size, b" ") for value, size in fields)
    assert len(block) == 1024, len(block)
    return block


def tti_block(number: int, start: tuple[int, ...], end: tuple[int, ...], row: int,
              text: bytes, comment: int) -> bytes:
    if len(text) > 112:
        raise ValueError("text field too long for one TTI block")
    return struct.pack(
        "<BHBBBBBBBBBBBBB112s",
        1,  # SGN subtitle group number
        number,  # SN subtitle number
        0xFF,  # EBN extension block number: last (only) block
        0x00,  # CS cumulative status: not cumulative
        *start,  # TCI time code in
        *end,  # TCO time code out
        row,  # VP vertical position
        0x02,  # JC justification code: centred
        comment,  # CF comment flag: 0 subtitle data, 1 comment
        text.ljust(112, b"\x8f"),  # TF text field, padded with unused-space codes
    )


def build() -> bytes:
    subtitles = sum(1 for *_, comment in SUBTITLES if not comment)
    blocks = [gsi_block(len(SUBTITLES), subtitles)]
    for number, (start, end, row, text, comment) in enumerate(SUBTITLES, start=1):
        blocks.append(tti_block(number, start, end, row, text, comment))
    return b"".join(blocks)


if __name__ == "__main__":
    target = Path(__file__).with_name("sample.stl")
    target.write_bytes(build())
    print(f"wrote {target} ({target.stat().st_size} bytes)")

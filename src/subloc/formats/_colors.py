"""Colour conversions of the formats that store colours their own way.

MicroDVD (``{c:$BBGGRR}``) and ASS (``\\c&HBBGGRR&``, ``\\1c&HAABBGGRR&``) write colours
with blue first. Canonical markup is ``<font color="#rrggbb">``; every value written goes
through :func:`subloc.markup.normalize_color`, the one colour normaliser.
"""

from __future__ import annotations

import re

from subloc import markup

_MICRODVD_COLOR = re.compile(r"\s*(?:\$|&H)?([0-9A-Fa-f]{6})&?\s*")
#: What C's ``strtol(…, 16)`` reads, as libass parses colour tags: sign, ``0x``, digits.
_ASS_NUMBER = re.compile(r"\s*([+-]?)(?:0[xX](?=[0-9A-Fa-f]))?([0-9A-Fa-f]*)")
#: A well-formed ASS colour argument: ``&HBBGGRR&`` or ``&HAABBGGRR&`` (either ``&`` may be
#: missing), or bare hexadecimal digits.
_ASS_COLOR = re.compile(r"[ \t]*&?[Hh]?[0-9A-Fa-f]{1,8}&?[ \t]*")


def rgb_hex(red: int, green: int, blue: int) -> str:
    """``#rrggbb`` for three 0–255 components."""
    return f"#{red:02x}{green:02x}{blue:02x}"


def bgr_to_rgb(value: int) -> str:
    """``#rrggbb`` for a ``0xBBGGRR`` number; bits above the 24 colour bits (ASS alpha)
    are ignored."""
    return rgb_hex(value & 0xFF, (value >> 8) & 0xFF, (value >> 16) & 0xFF)


def rgb_to_bgr(color: str | None) -> str | None:
    """``BBGGRR`` (upper-case hex, no prefix) for any colour value
    :func:`~subloc.markup.normalize_color` understands, else ``None``."""
    rgb = markup.normalize_color(color)
    if rgb is None:
        return None
    return (rgb[5:7] + rgb[3:5] + rgb[1:3]).upper()


def microdvd_color(value: str) -> str | None:
    """``#rrggbb`` for a MicroDVD ``{c:…}`` value: ``$BBGGRR`` (also ``&HBBGGRR&`` or bare
    ``BBGGRR``), else ``None``."""
    match = _MICRODVD_COLOR.fullmatch(value)
    return bgr_to_rgb(int(match.group(1), 16)) if match else None


def ass_color(arg: str) -> str | None:
    """``#rrggbb`` for the argument of an ASS ``\\c``/``\\1c`` tag, read as libass reads it:
    leading ``&`` and ``H`` skipped, then a hexadecimal ``BBGGRR`` number, as far as it goes
    (``&HBBGGRR&``, ``&HAABBGGRR&``, also ``\\c255``, hexadecimal too). A value with no
    digits is black, as libass shows it. ``None`` when the argument is empty: ``\\c`` alone
    resets the colour to the style's. Never raises: no colour makes a file unreadable.
    """
    if not arg.strip(" \t"):
        return None
    match = _ASS_NUMBER.match(arg.lstrip("&Hh"))
    sign, digits = match.groups() if match else ("", "")
    value = int(digits, 16) if digits else 0
    return bgr_to_rgb(-value if sign == "-" else value)


def is_ass_color(arg: str) -> bool:
    """Whether ``arg`` is a well-formed ASS colour (see :func:`ass_color` for how any
    argument is read)."""
    return _ASS_COLOR.fullmatch(arg) is not None

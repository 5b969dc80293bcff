"""The registry of subtitle formats: ``FORMATS`` maps a format name to its class.

To add a format, write a :class:`~subloc.formats.base.SubtitleFormat` subclass in a module
of this package and add it to ``FORMATS`` below. Detection tries the formats in this order,
so put stricter signatures first.
"""

from __future__ import annotations

from subloc.formats.ass import AssFormat, JsonFormat, SsaFormat
from subloc.formats.base import ReadContext, SubtitleFormat, WriteContext
from subloc.formats.dcp import DcpFormat, DcpInteropFormat
from subloc.formats.microdvd import MicroDvdFormat
from subloc.formats.mpl2 import Mpl2Format
from subloc.formats.sami import SamiFormat
from subloc.formats.scc import SccFormat
from subloc.formats.srt import SrtFormat
from subloc.formats.stl import StlFormat
from subloc.formats.tmp import TmpFormat
from subloc.formats.ttml import TtmlFormat
from subloc.formats.vtt import VttFormat

FORMATS: dict[str, type[SubtitleFormat]] = {
    cls.name: cls
    for cls in (
        VttFormat,
        AssFormat,
        SsaFormat,
        TtmlFormat,
        DcpFormat,
        DcpInteropFormat,
        SamiFormat,
        StlFormat,
        SccFormat,
        JsonFormat,
        SrtFormat,
        MicroDvdFormat,
        Mpl2Format,
        TmpFormat,
    )
}

#: Aliases users type for a format name.
ALIASES = {"webvtt": "vtt", "dfxp": "ttml", "imsc": "ttml", "smi": "sami", "sub": "microdvd",
           "subrip": "srt", "mpl": "mpl2", "tmplayer": "tmp", "smpte-dcp": "dcp",
           "dcst": "dcp", "interop": "dcp-interop", "cinecanvas": "dcp-interop"}

__all__ = ["ALIASES", "FORMATS", "ReadContext", "SubtitleFormat", "WriteContext"]

"""Hypothesis strategies for generated subtitle tracks."""

from __future__ import annotations

from hypothesis import strategies as st

from subloc.track import Cue, Track

WORD_CHARS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éèàçñüöÉßøå¿¡'?!.,-:;\"()$%"
)


@st.composite
def lines(draw: st.DrawFn, formatting: bool = True) -> list[str]:
    count = draw(st.integers(1, 2))
    result = []
    for _ in range(count):
        words = draw(st.lists(st.text(WORD_CHARS, min_size=1, max_size=10), min_size=1,
                              max_size=7))
        line = " ".join(words)
        if formatting:
            style = draw(st.sampled_from([None, None, "i", "b", "u", "inline-i"]))
            if style == "inline-i" and len(words) > 1:
                line = f"<i>{words[0]}</i> " + " ".join(words[1:])
            elif style in ("i", "b", "u"):
                line = f"<{style}>{line}</{style}>"
        result.append(line)
    return result


@st.composite
def tracks(draw: st.DrawFn, formatting: bool = True, max_cues: int = 12) -> Track:
    count = draw(st.integers(1, max_cues))
    cues = []
    time = draw(st.integers(0, 5_000))
    for number in range(1, count + 1):
        start = time + draw(st.integers(0, 3_000))
        end = start + draw(st.integers(1, 7_000))
        align = draw(st.sampled_from([None, None, None, 8]))
        cues.append(Cue(id=number, start_ms=start, end_ms=end,
                        lines=draw(lines(formatting)), align=align))
        time = end
    return Track(cues=cues)


def cue_view(track: Track) -> list[tuple[int, int, list[str], int | None]]:
    """A comparable view of a track's cues: timing, text with markup, position."""
    return [(c.start_ms, c.end_ms, c.lines, c.align) for c in track.cues]

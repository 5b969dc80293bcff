"""Segmentation, redistribution and fitting on the hard cases of real subtitles."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from subloc.io.read import load
from subloc.pipeline.fit import FitLimits, wrap
from subloc.pipeline.redistribute import split_by_shares
from subloc.pipeline.segment import analyse, segment
from subloc.textwidth import width
from subloc.track import Cue


def cue(number: int, start: int, end: int, *lines: str, speaker: str | None = None) -> Cue:
    return Cue(id=number, start_ms=start, end_ms=end, lines=list(lines), speaker=speaker)


def test_sample_film_segment_boundaries(samples) -> None:  # type: ignore[no-untyped-def]
    track = load(samples / "harbour_lights.srt")
    segments, parts = segment(track.cues)
    by_first = {s.cue_ids[0]: s for s in segments}
    # A sentence over three cues is one segment covering exactly those cues.
    assert by_first[31].cue_ids == [31, 32, 33]
    assert by_first[31].text.startswith("Your grandfather used to say")
    assert by_first[10].cue_ids == [10, 11] and by_first[42].cue_ids == [42, 43]
    # A two-speaker dash cue is one segment per speaker, dashes removed.
    dialogue = [s for s in segments if s.cue_ids == [37]]
    assert [(s.part, s.text) for s in dialogue] == [(0, "Where were you?"), (1, "At the harbour.")]
    # A whole-cue italic song: tags and ♪ off before MT, remembered for after.
    assert parts[2].wrap == ["<i>"] and parts[2].lyric == (True, True)
    assert by_first[2].text == "Sail away, sail away" and by_first[2].cue_ids == [2]
    # Inline italics stay in the text; {\an8} is the cue's position, not its text.
    assert "<i>thinking</i>" in by_first[102].text
    assert track.cues[0].align == 8 and "an8" not in by_first[1].text
    # Every cue with text is covered exactly once (dialogue cues once per part).
    covered = [c for s in segments if s.part in (None, 0) for c in s.cue_ids]
    assert covered == [c.id for c in track.cues if c.plain_text.strip()]


def test_merge_stops_at_punctuation_gap_speaker_and_limits() -> None:
    cues = [cue(1, 0, 1000, "I told him that"), cue(2, 1100, 2000, "he should go."),
            cue(3, 2100, 3000, "And then"), cue(4, 5000, 6000, "nothing happened.")]
    assert [s.cue_ids for s in segment(cues)[0]] == [[1, 2], [3], [4]]
    speakers = [cue(1, 0, 1000, "So you", speaker="A"), cue(2, 1100, 2000, "went", speaker="B")]
    assert [s.cue_ids for s in segment(speakers)[0]] == [[1], [2]]
    dash_next = [cue(1, 0, 1000, "So you"), cue(2, 1100, 2000, "- Went home?")]
    assert [s.cue_ids for s in segment(dash_next)[0]] == [[1], [2]]
    chain = [cue(n, n * 1000, n * 1000 + 900, f"word{n}") for n in range(1, 10)]
    assert [len(s.cue_ids) for s in segment(chain)[0]] == [4, 4, 1]


def test_analyse_per_line_italics_and_dialogue_with_italics() -> None:
    parts = analyse(cue(1, 0, 1, "<i>Mom, it's me.</i>", "<i>Call me back.</i>"))
    assert parts.wrap == ["<i>"] and parts.parts == ["Mom, it's me. Call me back."]
    parts = analyse(cue(1, 0, 1, "- <i>Hi.</i>", "- Hello."))
    assert parts.dialogue and parts.parts == ["<i>Hi.</i>", "Hello."]
    parts = analyse(cue(1, 0, 1, "<i>a</i> b <i>c</i>"))
    assert parts.wrap == [] and parts.parts == ["<i>a</i> b <i>c</i>"]


def test_redistribution_prefers_punctuation_and_never_leaves_a_cue_empty() -> None:
    parts = split_by_shares("Coach dice que si marco el viernes, un ojeador podría venir.",
                            [35, 30])
    assert parts == ["Coach dice que si marco el viernes,", "un ojeador podría venir."]
    assert split_by_shares("Le dije", [5, 5, 5]) == ["Le", "dije", "…"]
    japanese = split_by_shares("あなたのおじいさんはいつも言っていた。港の明かりは", [19, 7], "ja")
    assert japanese[0].endswith("。") and "".join(japanese) == "あなたのおじいさんはいつも言っていた。港の明かりは"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text("abcdefghij", min_size=1, max_size=8), min_size=1, max_size=30),
       st.lists(st.integers(1, 80), min_size=1, max_size=4))
def test_redistribution_keeps_every_word_in_order_and_fills_every_cue(
        words: list[str], shares: list[int]) -> None:
    parts = split_by_shares(" ".join(words), shares)
    assert len(parts) == len(shares)
    assert all(part.strip() for part in parts)
    assert " ".join(p for p in parts if p != "…").split() == words


def test_fit_balances_and_breaks_well() -> None:
    limits = FitLimits(42, 2)
    lines = wrap("Your grandfather used to say the harbour lights stay on until every boat is home.",
                 limits, "en")
    assert len(lines) == 2 and all(len(line) <= 42 for line in lines)
    assert wrap("Short line.", limits, "en") == ["Short line."]
    lines = wrap("When you came home, I was already asleep on the couch.", limits, "en")
    assert lines == ["When you came home,", "I was already asleep on the couch."]
    lines = wrap("I waited at the harbour all night and nobody came back.", limits, "en")
    assert lines == ["I waited at the harbour all night", "and nobody came back."]
    # Never break before punctuation (French spacing puts a space before "?").
    lines = wrap("Tu crois vraiment qu'il reviendra pour le dîner de Thanksgiving ?", limits, "fr")
    assert not lines[-1].startswith("?")
    # Tags are balanced per line when a break falls inside them.
    lines = wrap("<i>Mom, it is me. Call me back when you get this message, okay?</i>", limits, "en")
    assert all(line.startswith("<i>") and line.endswith("</i>") for line in lines)


def test_fit_counts_full_width_for_japanese() -> None:
    lines = wrap("あなたのおじいさんはいつも言っていた。港の明かりは", FitLimits(13, 2), "ja")
    assert len(lines) == 2
    assert lines[0].endswith("。") or max(width(line, "ja") for line in lines) <= 13
    assert not lines[1].startswith("。")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text("abcdefghijklmnop", min_size=1, max_size=12), min_size=1, max_size=16))
def test_fit_never_loses_or_reorders_words(words: list[str]) -> None:
    lines = wrap(" ".join(words), FitLimits(42, 2), "en")
    assert " ".join(lines).split() == words
    assert 1 <= len(lines) <= 2 and all(line.strip() for line in lines)

"""The restore stage on its own: tags back into translations, segments back into cues."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from subloc import markup
from subloc.pipeline.fit import FitLimits
from subloc.pipeline.restore import rebuild_cues, restore_tags
from subloc.pipeline.segment import segment
from subloc.track import Cue


def cue(cue_id: int, start: int, end: int, *lines: str) -> Cue:
    return Cue(id=cue_id, start_ms=start, end_ms=end, lines=list(lines))


def test_translation_that_kept_its_tags_is_used_as_is() -> None:
    text, moved = restore_tags("I <i>really</i> mean it.", "Lo digo <i>de verdad</i>.")
    assert (text, moved) == ("Lo digo <i>de verdad</i>.", False)


def test_lost_tags_are_reanchored_at_the_same_relative_position() -> None:
    text, moved = restore_tags("one two <i>three</i> four", "uno dos tres cuatro")
    assert moved is True
    assert text == "uno dos <i>tres</i> cuatro"
    assert markup.unbalanced_tags(text) == []


def test_tags_the_source_never_had_are_removed_without_an_issue() -> None:
    text, moved = restore_tags("plain words here", "palabras <b>simples</b> aquí")
    assert (text, moved) == ("palabras simples aquí", False)


def test_unbalanced_tags_in_the_translation_count_as_lost() -> None:
    text, moved = restore_tags("<b>Stop</b> now", "<b>Para</b></b> ya")
    assert moved is True
    assert markup.unbalanced_tags(text) == []
    assert markup.strip_tags(text) == "Para ya"


@given(st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta"]), min_size=1, max_size=8),
       st.integers(min_value=0, max_value=7), st.integers(min_value=1, max_value=12))
def test_reanchored_tags_are_balanced_and_words_kept(words: list[str], at: int,
                                                      count: int) -> None:
    at = min(at, len(words) - 1)
    source = " ".join([*words[:at], f"<i>{words[at]}</i>", *words[at + 1:]])
    translation = " ".join(f"w{i}" for i in range(count))
    text, moved = restore_tags(source, translation)
    assert moved
    assert markup.unbalanced_tags(text) == []
    assert markup.strip_tags(text).split() == translation.split()


def test_rebuild_splits_a_merged_sentence_over_the_same_cues() -> None:
    cues = [cue(1, 0, 2000, "When the tide comes in"), cue(2, 2100, 4000, "we leave the harbour.")]
    segments, parts = segment(cues)
    assert len(segments) == 1 and segments[0].cue_ids == [1, 2]
    result = rebuild_cues(cues, parts, segments, ["Cuando sube la marea salimos del puerto."],
                          "es", FitLimits())
    assert [(c.id, c.start_ms, c.end_ms) for c in result.cues] == [(1, 0, 2000), (2, 2100, 4000)]
    assert " ".join(" ".join(c.lines) for c in result.cues) == \
        "Cuando sube la marea salimos del puerto."
    assert all(c.lines and c.lines[0] for c in result.cues)
    assert result.issues == []


def test_rebuild_dialogue_uses_the_target_languages_dash() -> None:
    cues = [cue(1, 0, 2000, "- Hi.", "- Hello.")]
    segments, parts = segment(cues)
    assert [s.text for s in segments] == ["Hi.", "Hello."]
    spanish = rebuild_cues(cues, parts, segments, ["Hola.", "Buenas."], "es", FitLimits())
    french = rebuild_cues(cues, parts, segments, ["Salut.", "Bonjour."], "fr", FitLimits())
    assert spanish.cues[0].lines == ["-Hola.", "-Buenas."]
    assert french.cues[0].lines == ["- Salut.", "- Bonjour."]


def test_rebuild_puts_whole_cue_italics_and_notes_back() -> None:
    cues = [cue(1, 0, 3000, "<i>♪ The sea is calling me home ♪</i>")]
    segments, parts = segment(cues)
    assert segments[0].text == "The sea is calling me home"
    result = rebuild_cues(cues, parts, segments, ["El mar me llama a casa"], "es", FitLimits())
    assert result.cues[0].lines == ["<i>♪ El mar me llama a casa ♪</i>"]


def test_rebuild_keeps_the_source_when_the_engine_returns_nothing() -> None:
    cues = [cue(1, 0, 2000, "Good night.")]
    segments, parts = segment(cues)
    result = rebuild_cues(cues, parts, segments, ["   "], "es", FitLimits())
    assert result.cues[0].lines == ["Good night."]
    assert [(i.rule, i.cue) for i in result.issues] == [("mt-empty", 1)]


def test_rebuild_wraps_to_the_limits() -> None:
    cues = [cue(1, 0, 5000, "short")]
    segments, parts = segment(cues)
    long_text = "una frase bastante larga que no cabe en una sola línea de subtítulo"
    result = rebuild_cues(cues, parts, segments, [long_text], "es", FitLimits(max_chars=42))
    lines = result.cues[0].lines
    assert len(lines) == 2 and all(len(line) <= 42 for line in lines)
    assert " ".join(lines) == long_text


def test_rebuild_reports_reanchored_tags_on_the_segments_first_cue() -> None:
    cues = [cue(1, 0, 2000, "I <i>really</i> do.")]
    segments, parts = segment(cues)
    result = rebuild_cues(cues, parts, segments, ["De verdad que sí."], "es", FitLimits())
    assert [(i.rule, i.cue) for i in result.issues] == [("tag-reanchored", 1)]
    assert markup.unbalanced_tags(result.cues[0].text) == []
    assert "<i>" in result.cues[0].text

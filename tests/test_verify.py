"""The verify stage on its own: every glossary entry checked after translation."""

from __future__ import annotations

from subloc.glossary.model import Entry
from subloc.pipeline.verify import verify
from subloc.reports.model import GlossaryHit
from subloc.track import Cue


def cue(cue_id: int, *lines: str) -> Cue:
    return Cue(id=cue_id, start_ms=cue_id * 1000, end_ms=cue_id * 1000 + 900, lines=list(lines))


TERM = Entry("pumpkin pie", ("pastel de calabaza", "pay de calabaza"), "term")
DNT = Entry("Maggie", (), "dnt", case_sensitive=True)
FORBIDDEN = Entry("", ("coger",), "forbidden", note="vulgar in Latin America")


def test_a_rendered_term_is_a_hit_without_issue() -> None:
    result = verify([cue(1, "I love pumpkin pie.")], [cue(1, "Me encanta el pay de calabaza.")],
                    {}, [TERM], "en", "es")
    assert result.issues == []
    assert result.hits == [GlossaryHit(cue=1, source="pumpkin pie", target="pastel de calabaza",
                                       type="term", ok=True)]


def test_a_missing_term_is_an_issue_naming_term_and_cue() -> None:
    result = verify([cue(3, "Two pumpkin pies!")], [cue(3, "¡Dos tartas!")], {}, [TERM],
                    "en", "es")
    (issue,) = result.issues
    assert (issue.rule, issue.cue, issue.value) == ("glossary-term-missing", 3, "pumpkin pies")
    assert "pastel de calabaza | pay de calabaza" in issue.message
    assert result.hits[0].ok is False


def test_a_term_split_over_lines_counts() -> None:
    result = verify([cue(1, "pumpkin pie")], [cue(1, "pastel de", "calabaza")], {}, [TERM],
                    "en", "es")
    assert result.issues == []


def test_a_term_over_merged_cues_is_looked_for_in_the_whole_group() -> None:
    source = [cue(1, "We baked a pumpkin"), cue(2, "pie together.")]
    target = [cue(1, "Horneamos un pastel"), cue(2, "de calabaza juntos.")]
    result = verify(source, target, {1: [1, 2], 2: [1, 2]}, [TERM], "en", "es")
    assert result.issues == []
    assert [h.cue for h in result.hits] == [1]


def test_dnt_must_appear_unchanged_case_included() -> None:
    ok = verify([cue(1, "Maggie's boat.")], [cue(1, "El barco de Maggie.")], {}, [DNT],
                "en", "es")
    assert ok.issues == []
    altered = verify([cue(1, "Maggie!")], [cue(1, "¡MAGGIE!")], {}, [DNT], "en", "es")
    assert [(i.rule, i.cue) for i in altered.issues] == [("glossary-dnt-altered", 1)]


def test_forbidden_words_are_errors_wherever_they_appear() -> None:
    result = verify([cue(1, "Take the bus."), cue(2, "Grab it.")],
                    [cue(1, "Toma el autobús."), cue(2, "Hay que coger eso.")], {}, [FORBIDDEN],
                    "en", "es")
    (issue,) = result.issues
    assert (issue.rule, issue.severity, issue.cue) == ("glossary-forbidden", "error", 2)
    assert "vulgar in Latin America" in issue.message


def test_forbidden_matches_words_not_substrings() -> None:
    result = verify([cue(1, "x")], [cue(1, "Recogeremos todo.")], {}, [FORBIDDEN], "en", "es")
    assert result.issues == []


def test_cjk_terms_match_across_line_breaks_without_spaces() -> None:
    entry = Entry("Independence Day", ("独立記念日",), "term")
    result = verify([cue(1, "Happy Independence Day!")], [cue(1, "独立記", "念日おめでとう！")],
                    {}, [entry], "en", "ja")
    assert result.issues == []


def test_no_entries_no_findings() -> None:
    result = verify([cue(1, "pumpkin pie")], [cue(1, "x")], {}, [], "en", "es")
    assert (result.issues, result.hits) == ([], [])

"""The `untranslated` rule on a labelled set written for the project: for en->es, en->fr
and en->de, 425 correct target lines and 125 left in English, many of them short."""

from __future__ import annotations

import csv

import pytest

from conftest import DATA
from subloc.qa.langid import is_untranslated

PAIRS = sorted(p.stem for p in (DATA / "untranslated").glob("*.tsv"))


def rows(pair: str) -> list[dict[str, str]]:
    path = DATA / "untranslated" / f"{pair}.tsv"
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_MINIMAL))


@pytest.mark.parametrize("pair", PAIRS)
def test_false_positives_and_recall(pair: str) -> None:
    source_lang, target_lang = pair.split("-")
    data = rows(pair)
    correct = [r for r in data if r["label"] == "translated"]
    left = [r for r in data if r["label"] == "untranslated" and len(r["target"].split()) >= 2]
    assert len(correct) >= 300 and len(left) >= 100

    def flagged(row: dict[str, str]) -> bool:
        return is_untranslated(row["source"], row["target"], source_lang, target_lang) is not None

    false_positives = [r["target"] for r in correct if flagged(r)]
    found = [r for r in left if flagged(r)]
    assert len(false_positives) / len(correct) <= 0.005, false_positives
    assert len(found) / len(left) >= 0.85


def test_short_and_name_only_lines_are_skipped() -> None:
    assert is_untranslated("No.", "No.", "en", "es") is None
    assert is_untranslated("Maggie Doyle.", "Maggie Doyle.", "en", "fr") is None
    assert is_untranslated("1984.", "1984.", "en", "de") is None
    assert is_untranslated("Let's go.", "Let's go.", "en", "es") == "identical to its source"
    assert is_untranslated("Where are you going?", "Where are you going", "en", "fr")


def test_glossary_kept_words_are_no_evidence() -> None:
    # A team name the glossary keeps (dnt) plus a loanword is not an untranslated line...
    kept = frozenset({"seagulls"})
    assert is_untranslated("TOUCHDOWN, SEAGULLS!", "TOUCHDOWN, SEAGULLS!", "en", "es") \
        == "identical to its source"
    assert is_untranslated("TOUCHDOWN, SEAGULLS!", "TOUCHDOWN, SEAGULLS!", "en", "es",
                           kept) is None
    # ...but the rest of a line still counts: a kept name does not hide English around it.
    assert is_untranslated("Go home, Seagulls, the game is over", "Go home, Seagulls, the "
                           "game is over", "en", "es", kept) == "identical to its source"

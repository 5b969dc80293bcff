"""Issue 17: enforcement by entry kind, chosen so that it cannot break grammar.

Table-driven, per target language, on lines written for the test, against the shipped
glossaries (the default one and ``us-setting``): plurals, an ambiguous verb versus a title,
idioms, all caps, converted units, gender and case. Then the sample film with the pseudo
engine, the fallback, a hypothesis property of masking, and a 1 MB line.
"""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import subloc
from subloc.engines.pseudo import pseudo_localize
from subloc.glossary.casing import at_sentence_start, is_all_caps, upper
from subloc.glossary.match import ENFORCED, find_terms, normalize
from subloc.glossary.model import Entry, looks_like_phrase
from subloc.glossary.store import load_for_pair
from subloc.glossary.units import find_conversions
from subloc.pipeline.localize import LocalizeOptions, localize
from subloc.pipeline.mask import Masked, fallback_mask, inserted_issues, mask, unmask
from subloc.pipeline.restore import upper_markup
from subloc.pipeline.segment import SegmentOptions, segment
from subloc.pipeline.verify import verify
from subloc.track import Cue

LANGS = ("es", "fr", "de", "pt", "it", "ja")
US = Path("us-setting")


@cache
def shipped(lang: str, us: bool = True) -> list[Entry]:
    return load_for_pair([US] if us else [], "en", lang)


def cue(text: str, cue_id: int = 1) -> Cue:
    return Cue(id=cue_id, start_ms=0, end_ms=2000, lines=[text])


def matched(text: str, lang: str) -> list[tuple[str, str]]:
    """(surface, entry source) of every glossary match in an English line."""
    return [(m.surface, m.entry.source)
            for m in find_terms(text, shipped(lang), "en", types=ENFORCED)]


def check(source: str, translation: str, lang: str) -> list[tuple[str, str, bool]]:
    """(entry source, rule of the issue or "ok", ...) for one source/translation pair."""
    result = verify([cue(source)], [cue(translation)], {}, shipped(lang), "en", lang)
    issues = {(i.cue, i.value): i for i in result.issues}
    out = []
    for hit in result.hits:
        issue = issues.get((hit.cue, hit.source))
        out.append((hit.source, issue.rule if issue else "ok", hit.ok))
    return out


# ----------------------------------------------------------------- plurals

PLURALS = {
    # lang: (form a fallback inserts for "three miles", a correct translation,
    #        a correct translation of "two pumpkin pies")
    "es": ("millas", "Son tres millas hasta la escuela.", "Hice dos pasteles de calabaza."),
    "fr": ("miles", "C'est à trois miles de l'école.", "J'ai fait deux tartes à la citrouille."),
    "de": ("Meilen", "Es sind drei Meilen bis zur Schule.", "Ich backe zwei Kürbiskuchen."),
    "pt": ("milhas", "São três milhas até a escola.", "Fiz duas tortas de abóbora."),
    "it": ("miglia", "Sono tre miglia fino a scuola.", "Ho fatto due torte di zucca."),
    "ja": ("マイル", "学校まで3マイルだ。", "パンプキンパイを2つ焼いた。"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_plural_nouns_go_to_the_engine_and_the_fallback_form_is_plural(lang: str) -> None:
    plural_form, miles, pies = PLURALS[lang]
    masked = mask("It's three miles to school.", shipped(lang), "en", lang)
    assert masked.text == "It's three miles to school."  # not masked: the engine inflects
    (miles_check,) = masked.checks
    assert miles_check.form == plural_form
    assert check("It's three miles to school.", miles, lang) == [("miles", "ok", True)]
    assert check("I baked two pumpkin pies.", pies, lang) == [("pumpkin pies", "ok", True)]
    # The fallback (a second pass with the missing term masked) inserts the plural.
    again = fallback_mask(masked, "It's three something to school.")
    assert again is not None
    (slot,) = again.slots
    assert (slot.surface, slot.replacement) == ("miles", plural_form)


@pytest.mark.parametrize("lang", LANGS)
def test_a_singular_source_gets_the_singular_form(lang: str) -> None:
    masked = mask("It's a mile from here.", shipped(lang), "en", lang)
    (mile,) = masked.checks
    assert mile.form == mile.entry.targets[0]


# ----------------------------------------------------------------- ambiguous words

@pytest.mark.parametrize("lang", LANGS)
def test_a_verb_is_not_a_title_and_a_title_needs_its_name(lang: str) -> None:
    assert matched("Miss me?", lang) == []
    assert matched("I miss you, Maggie.", lang) == [("Maggie", "Maggie")]
    assert matched("Miss Okafor is here.", lang)[0] == ("Miss", "Miss")
    assert matched("I coach Little League.", lang) == []
    assert matched("Coach says we run.", lang) == []
    assert matched("Ask Coach Diaz.", lang) == [("Coach", "Coach")]
    assert matched("Mr. Halvorsen!", lang)[0][1] in ("Mr.", "Mr. Halvorsen")


@pytest.mark.parametrize("lang", LANGS)
def test_longest_phrases_win_over_the_bare_coin(lang: str) -> None:
    assert matched("Meet me at a quarter past nine.", lang) == [
        ("a quarter past", "a quarter past")]
    assert matched("I've only got four quarters.", lang) == [("quarters", "quarter")]
    assert matched("Add three quarters of a cup.", lang) == [
        ("three quarters", "three quarters")]
    assert matched("We won the first quarter.", lang) == [("first quarter", "first quarter")]
    assert matched("Profits in the fourth quarter of the year.", lang) == []
    assert matched("He lives in the French Quarter.", lang) == []
    assert matched("Quarters are tight on the ship.", lang) == []
    # The coin and the money senses belong to US-set films only.
    assert [m.entry.source for m in find_terms(
        "I've only got four quarters and ten bucks.", shipped(lang, us=False), "en")] == []


@pytest.mark.parametrize("lang", LANGS)
def test_units_count_after_a_figure_and_bare_degrees_is_no_entry(lang: str) -> None:
    assert matched("five feet tall", lang) == [("feet", "feet")]
    assert matched("We walked on foot.", lang) == []
    assert matched("My feet hurt.", lang) == []
    assert matched("It's 30 degrees out here.", lang) == []
    assert matched("He has two degrees from Harvard.", lang) == []
    assert matched("Bake at 425 degrees Fahrenheit.", lang) == [
        ("degrees Fahrenheit", "degrees Fahrenheit")]


# ----------------------------------------------------------------- idioms

IDIOMS = {
    "es": "Deja de irte por las ramas. La pelota está en tu cancha.",
    "fr": "Arrête de tourner autour du pot. La balle est dans ton camp.",
    "de": "Hör auf, um den heißen Brei herumzureden. Du bist am Zug.",
    "pt": "Pare de enrolar. A bola está com você.",
    "it": "Smettila di girarci intorno. Tocca a te.",
    "ja": "遠回しに言うな。君次第だ。",
}


@pytest.mark.parametrize("lang", LANGS)
def test_idioms_are_hints_never_inserted_never_half_replaced(lang: str) -> None:
    line = "Stop beating around the bush. The ball is in your court."
    masked = mask(line, shipped(lang), "en", lang)
    assert (masked.text, masked.slots, masked.checks) == (line, [], [])
    assert unmask(masked, masked.text) == line  # nothing doubled, nothing half-replaced
    assert check(line, IDIOMS[lang], lang) == [("around the bush", "ok", True),
                                               ("The ball is in your court", "ok", True)]
    literal = verify([cue(line)], [cue("Deja de golpear alrededor del arbusto.")], {},
                     shipped(lang), "en", lang)
    assert {(i.rule, i.severity) for i in literal.issues} == {("glossary-hint-missing", "info")}


# ----------------------------------------------------------------- case follows the source

CAPS = {
    # lang: (GO, SEAGULLS! inserted as, HAPPY THANKSGIVING! inserted or checked as)
    "es": ("SEAGULLS", "ACCIÓN DE GRACIAS"),
    "fr": ("SEAGULLS", "THANKSGIVING"),
    "de": ("SEAGULLS", "THANKSGIVING"),
    "pt": ("SEAGULLS", "AÇÃO DE GRAÇAS"),
    "it": ("SEAGULLS", "RINGRAZIAMENTO"),
    "ja": ("シーガルズ", "感謝祭"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_all_caps_spans_match_names_and_insert_capitals(lang: str) -> None:
    team, holiday = CAPS[lang]
    masked = mask("GO, SEAGULLS! SEAGULLS 14 - HAWKS 17", shipped(lang), "en", lang)
    assert [s.replacement for s in masked.slots][:2] == [team, team]
    assert unmask(masked, masked.text) is not None
    greeting = mask("HAPPY THANKSGIVING!", shipped(lang), "en", lang)
    inserted = [s.replacement for s in greeting.slots] + [c.form for c in greeting.checks]
    assert inserted == [holiday]
    # The birds are still birds, and a capital at a sentence start is no evidence.
    assert matched("Seagulls are loud birds.", lang) == []
    assert matched("We fed the seagulls.", lang) == []
    assert matched("Go, Seagulls!", lang) == [("Seagulls", "Seagulls")]


@pytest.mark.parametrize("lang", LANGS)
def test_verification_accepts_the_case_mapped_form(lang: str) -> None:
    team, holiday = CAPS[lang]
    assert check("GO, SEAGULLS!", f"¡VAMOS, {team}!", lang) == [("SEAGULLS", "ok", True)]
    assert check("HAPPY THANKSGIVING!", f"¡FELIZ {holiday}!", lang) == [
        ("THANKSGIVING", "ok", True)]
    # A name that was not in capitals must stay as written.
    assert check("Maggie!", "¡MAGGIE!", lang)[0][1] in (
        "glossary-dnt-altered", "glossary-term-missing")


def test_an_all_caps_cue_comes_back_in_capitals_with_its_glossary_target(
        tmp_path: Path) -> None:
    source = tmp_path / "sign.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:03,000\n<i>HAPPY THANKSGIVING, PORT ALDER!</i>"
                      "\n\n2\n00:00:04,000 --> 00:00:06,000\nHappy Thanksgiving, Maggie.\n",
                      encoding="utf-8")
    for lang, holiday, town in (("es", "ACCIÓN DE GRACIAS", "PORT ALDER"),
                                ("ja", "感謝祭", "ポート・オールダー")):
        localize([source], LocalizeOptions(targets=(lang,), engine="pseudo", source_lang="en",
                                           output_dir=tmp_path / "out", use_cache=False))
        sign, line = subloc.load(tmp_path / "out" / f"sign.{lang}.srt").cues
        assert holiday in sign.plain_text and town in sign.plain_text
        assert not any(c.islower() for c in sign.plain_text), sign.plain_text
        assert all(line.startswith("<i>") for line in sign.lines)  # tags untouched
        assert any(c.islower() for c in line.plain_text)


def test_upper_case_is_locale_aware_and_leaves_markup_alone() -> None:
    assert upper("istanbul", "tr") == "İSTANBUL"
    assert upper("istanbul", "en") == "ISTANBUL"
    assert upper("Καλημέρα", "el") == "ΚΑΛΗΜΕΡΑ"
    assert upper("Fuß", "de") == "FUSS"
    assert upper_markup('<font color="#ff0000">hola</font>\\N&amp; adiós', "es") == (
        '<font color="#ff0000">HOLA</font>\\N&amp; ADIÓS')
    assert is_all_caps("GO, SEAGULLS!") and not is_all_caps("Go!") and not is_all_caps("I")
    assert at_sentence_start("Hi. ¿Dónde", 5) and not at_sentence_start("Hi there", 3)


# ----------------------------------------------------------------- converted units

@pytest.mark.parametrize("lang", LANGS)
def test_a_converted_figure_satisfies_the_unit_entry(lang: str) -> None:
    line = "It's three miles to school, and the waves are 5 feet high."
    masked = mask(line, shipped(lang), "en", lang, adapt_units=True)
    conversions = [s.replacement for s in masked.slots if s.entry is None]
    assert conversions == [c.replacement for c in find_conversions(line, lang)]
    assert masked.checks == []  # the conversion took the span
    translation = unmask(masked, pseudo_localize(masked.text))
    assert translation is not None
    assert check(line, translation, lang) == [("miles", "ok", True), ("feet", "ok", True)]
    # The same figure with an ordinary space (a subtitler retyped it) counts too.
    retyped = translation.replace("\u00a0", " ")
    assert all(ok for _, _, ok in check(line, retyped, lang))


# ----------------------------------------------------------------- gender and case

GENDER_CASE = [
    ("de", "I saw Mr. Halvorsen.", "Ich habe Herrn Halvorsen gesehen."),
    ("de", "Ms. Okafor is the guidance counselor.", "Frau Okafor ist die Beratungslehrerin."),
    ("de", "The valedictorian spoke.", "Der Jahrgangsbesten wurde gratuliert."),
    ("fr", "Morning, Mr. Halvorsen!", "Bonjour, monsieur Halvorsen !"),
    ("fr", "Mr. Halvorsen is here.", "M. Halvorsen est là."),
    ("fr", "Ms. Okafor is the guidance counselor.",
     "Mme Okafor est la conseillère d'orientation."),
    ("es", "Ms. Okafor is the guidance counselor.", "La Sra. Okafor es la orientadora."),
    ("es", "Two root beers, please.", "Dos cervezas de raíz, por favor."),
    ("pt", "Ms. Okafor is the guidance counselor.", "A Sra. Okafor é a orientadora."),
    ("it", "Ms. Okafor is the guidance counselor.",
     "La signora Okafor è la consulente scolastica."),
]


@pytest.mark.parametrize(("lang", "source", "translation"), GENDER_CASE)
def test_gender_and_case_are_the_engines_and_every_form_counts(
        lang: str, source: str, translation: str) -> None:
    masked = mask(source, shipped(lang), "en", lang)
    assert all(slot.entry is None or slot.entry.type == "dnt" for slot in masked.slots)
    assert [rule for _, rule, _ in check(source, translation, lang)] == ["ok"] * len(
        check(source, translation, lang))


@pytest.mark.parametrize("lang", LANGS)
def test_a_missing_term_is_still_flagged(lang: str) -> None:
    found = check("Is she making her pumpkin pie this year?", "¿Hace algo este año?", lang)
    assert found == [("pumpkin pie", "glossary-term-missing", False)]
    found = check("Ms. Okafor called.", "Llamó alguien.", lang)
    expected = ("Ms. Okafor", "glossary-term-missing") if lang == "ja" else (
        "Okafor", "glossary-dnt-altered")
    assert (*expected, False) in found


# ----------------------------------------------------------------- the sample film

SAMPLES = ("harbour_lights.srt", "harbour_lights_scene2.vtt", "harbour_lights_scene3.ass")


@pytest.mark.parametrize("lang", LANGS)
def test_no_sample_line_gets_an_insertion_that_changes_number_or_halves_an_idiom(
        samples: Path, lang: str) -> None:
    entries = shipped(lang)
    for name in SAMPLES:
        track = subloc.load(samples / name)
        segments, _ = segment(track.cues, SegmentOptions())
        for seg in segments:
            masked = mask(seg.text, entries, "en", lang, adapt_units=True)
            matches = {m.surface: m for m in find_terms(normalize(seg.text), entries, "en",
                                                        types=ENFORCED)}
            for slot in masked.slots:
                if slot.entry is None:
                    continue  # a unit conversion
                entry = slot.entry
                assert entry.mode == "mask", (name, seg.text, entry.source)
                assert not looks_like_phrase(entry.source), (seg.text, entry.source)
                match = next(m for s, m in matches.items() if s.startswith(slot.surface))
                if entry.type != "dnt":
                    assert slot.replacement in (entry.form(match.plural),
                                                upper(entry.form(match.plural), lang))
                    if match.plural and not entry.plurals:
                        # Only names and holidays are masked: they have no plural.
                        assert entry.source[:1].isupper(), entry.source


def test_with_the_pseudo_engine_insertions_are_masked_entries_or_reported(
        samples: Path, tmp_path: Path) -> None:
    """Pseudo-localization accents every letter it translates, so a glossary target seen
    verbatim in its output was inserted: masked entries always; a ``verify`` entry only by
    the fallback pass, each insertion reported (``glossary-inserted``, naming the term); a hint
    (an idiom) never."""
    options = LocalizeOptions(targets=LANGS, engine="pseudo", output_dir=tmp_path,
                              use_cache=False, source_lang="en", glossaries=(US,),
                              adapt_units=True)
    result = localize([samples / n for n in SAMPLES], options)
    issues: set[tuple[str, str]] = set()
    for job in result.jobs:
        assert job.error is None
        entries = shipped(job.target_lang)
        out = {c.id: normalize(c.plain_text) for c in subloc.load(job.output).cues}
        by_source = {e.source.casefold(): e for e in entries}
        inserted = {str(i.value).casefold() for i in job.issues
                    if i.rule == "glossary-inserted"}
        for hit in job.glossary_hits:
            entry = _entry_of(hit.source, by_source)
            if entry.mode == "mask":
                assert hit.ok, (job.output.name, hit)
                continue
            for form in entry.forms:
                if len(form) > 3 and not form.isascii() and form in out[hit.cue]:
                    # "km", "Diner" look alike in both languages: longer non-ASCII forms only
                    assert entry.mode == "verify" and hit.source.casefold() in inserted, (
                        job.output.name, hit, form)
        issues |= {(i.rule, i.severity) for i in job.issues if i.rule.startswith("glossary")}
    assert ("glossary-hint-missing", "info") in issues
    assert ("glossary-inserted", "info") in issues


def _entry_of(surface: str, by_source: dict[str, Entry]) -> Entry:
    folded = surface.casefold()
    for candidate in (folded, folded[:-2], folded[:-1], folded[:-3] + "y"):
        if candidate in by_source:
            return by_source[candidate]
    raise AssertionError(surface)


# ----------------------------------------------------------------- the fallback

def test_the_fallback_pass_inserts_the_number_matched_form_and_says_so() -> None:
    entries = shipped("es")
    masked = mask("I've only got four quarters.", entries, "en", "es")
    first = unmask(masked, pseudo_localize(masked.text))
    assert first is not None and "monedas" not in first
    again = fallback_mask(masked, first)
    assert again is not None and again.forced
    second = unmask(again, pseudo_localize(again.text))
    assert second is not None and "monedas de 25 centavos" in second
    (issue,) = inserted_issues(again, cue=74)
    assert (issue.rule, issue.severity, issue.cue) == ("glossary-inserted", "info", 74)
    assert fallback_mask(masked, "Solo tengo cuatro monedas.") is None  # rendered: no retry
    assert fallback_mask(masked, None) is None


def test_an_untranslated_english_term_is_replaced_in_place() -> None:
    """Apertium leaves unknown words as they are: the glossary form goes where they are,
    in the source's number and the sentence's case; nothing else changes."""
    entries = shipped("es")
    masked = mask("Prom is in May.", entries, "en", "es")
    assert unmask(masked, "Prom es en mayo.") == "Baile de graduación es en mayo."
    masked = mask("The meatloafs are cold.", entries, "en", "es")
    assert unmask(masked, "Los meatloafs están fríos.") == "Los pasteles de carne están fríos."
    # Part of a name: the engine may keep it.
    masked = mask("He drove to Pike County, Maine.", entries, "en", "es")
    assert unmask(masked, "Condujo a Pike County, Maine.".replace("Pike", "⟦0⟧").replace(
        "Maine", "⟦1⟧")) == "Condujo a Pike County, Maine."
    masked = mask("We met at the Winter Prom.", entries, "en", "es")
    assert masked.checks[0].in_name
    assert unmask(masked, "Nos vimos en el Winter Prom.") == "Nos vimos en el Winter Prom."
    masked = mask("He drove to the county fair, Maggie.", entries, "en", "es")
    assert unmask(masked, "Fue a la county feria, ⟦0⟧.") == "Fue a la condado feria, Maggie."
    # "Miss me?" is not the title, so its 'Miss' is not ours to touch.
    masked = mask("Miss me? Miss Okafor is here.", entries, "en", "es")
    assert unmask(masked, "¿Miss me? Miss ⟦0⟧ está aquí.") == (
        "¿Miss me? Miss Okafor está aquí.")


# ----------------------------------------------------------------- a property and a big line

_WORDS = ["the", "and", "three", "a", "of", "is", "on", "Hey,", "it", "run", "Go", "GO",
          "Maggie", "Maggie's", "MAGGIE", "Seagulls", "SEAGULLS", "seagulls", "miles", "mile",
          "pumpkin", "pie", "pies", "Thanksgiving", "THANKSGIVING", "Miss", "miss", "me",
          "Okafor", "Coach", "coach", "quarter", "quarters", "past", "nine", "four", "feet",
          "foot", "around", "bush", "ball", "court", "in", "your", "Mr.", "Halvorsen", "10",
          "pounds", "degrees", "Fahrenheit", "ten", "bucks", "root", "beer", "Port", "Alder",
          ".", "!", "?", ",", "-", "¿", "⟧", "x⟦1⟧"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=st.lists(st.sampled_from(_WORDS), max_size=30), lang=st.sampled_from(LANGS),
       units=st.booleans())
def test_masking_and_unmasking_change_nothing_outside_the_matched_entries(
        words: list[str], lang: str, units: bool) -> None:
    text = " ".join(words)
    entries = shipped(lang)
    masked = mask(text, entries, "en", lang, adapt_units=units)
    result = unmask(masked, masked.text)
    if "⟦" in text or "⟧" in text:
        return  # a source with brackets of its own is refused or kept: nothing to compare
    assert result is not None
    spans = [(m.start, m.end) for m in find_terms(text, entries, "en", types=ENFORCED)]
    if units:
        spans += [(c.start, c.end) for c in find_conversions(text, lang)]
    outside = _outside(text, spans)
    position = 0
    for index, piece in enumerate(outside):
        found = result.find(piece, position)
        assert found >= 0, (text, result, piece)
        if index == 0:
            assert found == 0, (text, result)
        position = found + len(piece)
    assert result.endswith(outside[-1]), (text, result)


def _outside(text: str, spans: list[tuple[int, int]]) -> list[str]:
    pieces, position = [], 0
    for start, end in sorted(spans):
        if start >= position:
            pieces.append(text[position:start])
            position = end
        else:
            position = max(position, end)
    pieces.append(text[position:])
    return pieces


def test_a_1_mb_line_is_masked_unmasked_and_verified_fast() -> None:
    entries = shipped("es")
    unit = ("Maggie said it's three miles, Mr. Halvorsen, and the ball is in your court; "
            "four quarters buy a pumpkin pie for Thanksgiving, believe it or not. ")
    line = unit * (1_000_000 // len(unit))
    started = time.process_time()
    masked = mask(line, entries, "en", "es", adapt_units=True)
    translated = unmask(masked, masked.text)
    assert translated is not None
    result = verify([cue(line)], [cue(translated)], {}, entries, "en", "es")
    elapsed = time.process_time() - started
    assert len(result.hits) > 50_000
    assert elapsed < 30, elapsed  # linear: a few seconds; quadratic would take hours


def test_masked_slots_keep_their_positional_fields() -> None:
    """Engines' tests build Masked and Slot positionally (source, text, slots)."""
    from subloc.pipeline.mask import Slot

    masked = Masked("a ⟦0⟧", "a ⟦0⟧", [Slot(0, "X0", "x0")])
    assert unmask(masked, "b ⟦0⟧") == "b X0"

"""Each language's typography: correct lines get no issue; planted errors are found by rule
and cue; every fix is reported before -> after and fixing twice changes nothing more; what
cannot be fixed safely stays a hint. Also `punctuation-mismatch` against the source."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from subloc.errors import UsageError
from subloc.pipeline.fix import fix
from subloc.qa.profiles import Profile, load_profile
from subloc.qa.rules import CheckContext, check
from subloc.qa.typography import NBSP, NNBSP, language_table, resolve_style
from subloc.track import Cue

TYPOGRAPHY = {"whitespace", "ellipsis-style", "quote-style", "dialogue-dash",
              "punctuation-spacing", "inverted-marks"}


def cues(*texts: str | list[str]) -> list[Cue]:
    return [Cue(id=i + 1, start_ms=1000 + i * 3000, end_ms=3500 + i * 3000,
                lines=[t] if isinstance(t, str) else list(t)) for i, t in enumerate(texts)]


def ctx(language: str, profile: str | Profile = "netflix", **kwargs: object) -> CheckContext:
    loaded = load_profile(profile) if isinstance(profile, str) else profile
    return CheckContext(loaded, language, 25, **kwargs)  # type: ignore[arg-type]


def typography_issues(track: list[Cue], context: CheckContext) -> list[tuple[str, int | None]]:
    return [(i.rule, i.cue) for i in check(track, context) if i.rule in TYPOGRAPHY]


CORRECT = {
    "es": [
        "¿Dónde estabas anoche?", "¡Qué frío hace!", "Pero ¿qué dices?",
        "Juan, ¿vienes mañana?", ["-¿Vienes?", "-Sí, ahora voy."], "«Hola», me dijo.",
        "\"Hola\", me dijo.", "“Hola”, me dijo.", "Bueno… vale.", "Son las 10:30.",
        "¿Sabes lo que", "me dijo ayer?", "¡¿Cómo?!", "Vale, ¿y tú?",
    ],
    "fr": [
        f"Tu viens{NNBSP}?", f"Oui{NBSP}!", f"«{NBSP}Bonjour{NBSP}», dit-il.",
        "Il est 10:30.", [f"- Tu viens{NNBSP}?", "- Oui."], f"Attention{NBSP}: danger.",
        f"Il a dit «{NBSP}non{NBSP}» et “peut-être”.", f"Quoi…{NNBSP}?",
        f"Qu’est-ce que c’est{NNBSP}?!", "Voir http://exemple.fr pour 16:9.",
    ],
    "de": [
        "„Komm her“, sagte sie.", "»Komm her«, sagte sie.", ["-Kommst du?", "-Ja."],
        "Es ist 10:30 Uhr.", "Er sagte: „Ich weiß es nicht.“", "Warte… was?",
    ],
    "en": [
        ["-Are you coming?", "-In a minute."], "\"Hello,\" she said.", "“Hello,” she said.",
        "Wait… what?", "It's 5:30 (or so).", "Ready? Go!",
    ],
    "it": ["«Ciao», disse.", "\"Ciao\", disse.", "“Ciao”, disse.", "Non so perché."],
    "pt": ["“Olá”, disse ela.", "\"Olá\", disse ela.", "«Olá», disse ela.", "Não sei."],
    "pl": ["„Cześć”, powiedziała.", "Nie wiem."],
    "cs": ["„Ahoj“, řekla.", "»Ahoj«, řekla."],
}


@pytest.mark.parametrize("language", sorted(CORRECT))
def test_correct_lines_get_no_typography_issue(language: str) -> None:
    track = cues(*CORRECT[language])
    assert typography_issues(track, ctx(language)) == []
    # ...and auto-fix changes nothing in them.
    assert [i for i in fix(track, ctx(language)).issues if i.rule in TYPOGRAPHY] == []


#: (language, lines, rule, fixed lines or None when only a hint)
PLANTED = [
    ("es", "Qué haces aquí?", "inverted-marks", ["¿Qué haces aquí?"]),
    ("es", "Hola!", "inverted-marks", ["¡Hola!"]),
    ("es", "Por qué no vienes?", "inverted-marks", ["¿Por qué no vienes?"]),
    ("es", "<i>Dónde está?</i>", "inverted-marks", ["<i>¿Dónde está?</i>"]),
    ("es", "Pero qué dices?", "inverted-marks", None),  # "Pero ¿qué dices?": a person's call
    ("es", "Juan, vienes?", "inverted-marks", None),    # "Juan, ¿vienes?"
    ("es", "Vienes mañana?", "inverted-marks", None),   # where does the question start?
    ("es", "¿Vienes mañana.", "inverted-marks", None),
    ("es", ["- Hola.", "- ¿Qué tal?"], "dialogue-dash", ["-Hola.", "-¿Qué tal?"]),
    ("es", ["—Hola.", "—¿Qué tal?"], "dialogue-dash", ["-Hola.", "-¿Qué tal?"]),
    ("es", ["-¿Qué temperatura hace?", "- 5 grados."], "dialogue-dash", None),  # -5?
    ("es", "Esperé en el puerto .", "punctuation-spacing", ["Esperé en el puerto."]),
    ("es", "¿ Qué hora es?", "punctuation-spacing", ["¿Qué hora es?"]),
    ("es", "„Hola“, me dijo.", "quote-style", None),
    ("es", "Espera...", "ellipsis-style", ["Espera…"]),
    ("es", "Esperé en  el puerto. ", "whitespace", ["Esperé en el puerto."]),
    ("fr", "Tu viens ?", "punctuation-spacing", [f"Tu viens{NNBSP}?"]),
    ("fr", "Tu viens?", "punctuation-spacing", [f"Tu viens{NNBSP}?"]),
    ("fr", "<i>Quoi</i>?", "punctuation-spacing", [f"<i>Quoi</i>{NNBSP}?"]),
    ("fr", "Attention : danger.", "punctuation-spacing", [f"Attention{NBSP}: danger."]),
    ("fr", "«Bonjour»", "punctuation-spacing", [f"«{NBSP}Bonjour{NBSP}»"]),
    ("fr", "Il a dit \"non\".", "quote-style", ["Il a dit «non»."]),
    ("fr", "»Bonjour«", "quote-style", ["«Bonjour»"]),
    ("fr", ["-Tu viens ?", "-Oui."], "dialogue-dash", ["- Tu viens ?", "- Oui."]),
    ("de", "Er sagte: \"Hallo\".", "quote-style", ["Er sagte: „Hallo“."]),
    ("de", "Er sagte: “Hallo”.", "quote-style", ["Er sagte: „Hallo“."]),
    ("de", "Er ist 6'2\" groß.", "quote-style", None),  # inches, not a quotation mark
    ("de", ["- Kommst du?", "- Ja."], "dialogue-dash", ["-Kommst du?", "-Ja."]),
    ("de", "Hallo , Maggie.", "punctuation-spacing", ["Hallo, Maggie."]),
    ("en", ["- Are you coming?", "- In a minute."], "dialogue-dash",
     ["-Are you coming?", "-In a minute."]),
    ("en", "Wait... what?", "ellipsis-style", ["Wait… what?"]),
    ("en", "Hello !", "punctuation-spacing", ["Hello!"]),
    ("en", "„Hello“", "quote-style", None),
    ("it", "„Ciao“, disse.", "quote-style", None),
    ("pl", "\"Cześć\", powiedziała.", "quote-style", ["„Cześć”, powiedziała."]),
    ("cs", "“Ahoj”, řekla.", "quote-style", ["„Ahoj“, řekla."]),
]


@pytest.mark.parametrize(("language", "lines", "rule", "fixed"), PLANTED,
                         ids=[f"{p[0]}-{p[2]}-{n}" for n, p in enumerate(PLANTED)])
def test_planted_errors_are_found_and_fixed_only_when_safe(
        language: str, lines: str | list[str], rule: str, fixed: list[str] | None) -> None:
    clean = CORRECT[language][0]
    track = cues(clean, lines, clean)
    context = ctx(language)
    found = typography_issues(track, context)
    assert (rule, 2) in found, found
    assert all(cue == 2 for _rule, cue in found), found
    result = fix(track, context)
    changes = [i for i in result.issues if i.rule == rule and i.fixed]
    if fixed is None:
        assert changes == []
        assert result.cues[1].lines == track[1].lines or rule not in {
            r for r, _ in found}  # another rule may have fixed something else
        assert (rule, 2) in typography_issues(result.cues, context)  # still a hint
        return
    (change,) = changes
    assert change.cue == 2 and change.after == fixed
    assert change.before == track[1].lines or rule == "punctuation-spacing"
    # Fixing twice changes nothing more, and the check then finds nothing to fix.
    again = fix(result.cues, context)
    assert [i for i in again.issues if i.fixed] == []
    assert [c.lines for c in again.cues] == [c.lines for c in result.cues]
    assert rule not in {r for r, _ in typography_issues(result.cues, context)}


def test_french_straight_quotes_become_guillemets_with_no_break_spaces() -> None:
    track = cues("Il a dit \"non\" ?")
    result = fix(track, ctx("fr"))
    assert result.cues[0].lines == [f"Il a dit «{NBSP}non{NBSP}»{NNBSP}?"]
    rules = [i.rule for i in result.issues if i.fixed]
    assert rules == ["quote-style", "punctuation-spacing"]
    steps = [(i.before, i.after) for i in result.issues if i.fixed]
    assert steps[0] == (["Il a dit \"non\" ?"], ["Il a dit «non» ?"])
    assert steps[1][0] == ["Il a dit «non» ?"]
    assert fix(result.cues, ctx("fr")).issues == []


def test_canadian_french_asks_no_space_before_question_marks() -> None:
    track = cues("Tu viens?", f"Tu viens{NNBSP}?", "Attention: danger.")
    assert typography_issues(track, ctx("fr-CA")) == [("punctuation-spacing", 3)]
    assert language_table("fr-CA")["space-before"] == {":": NBSP, "»": NBSP}


def test_swiss_german_uses_guillemets() -> None:
    assert typography_issues(cues("«Komm her», sagte sie."), ctx("de-CH")) == []
    result = fix(cues("Er sagte: \"Hallo\"."), ctx("de-CH"))
    assert result.cues[0].lines == ["Er sagte: «Hallo»."]


def test_a_question_running_over_two_cues_is_not_flagged() -> None:
    track = cues("¿Sabes lo que", "me dijo ayer?", "Sabes lo que", "me dijo ayer?")
    assert typography_issues(track, ctx("es")) == [("inverted-marks", 4)]
    assert fix(track, ctx("es")).cues[3].lines == ["me dijo ayer?"]  # not safe: a hint


def test_ellipsis_follows_the_profile(tmp_path: Path) -> None:
    profile = tmp_path / "house.toml"
    profile.write_text('extends = "netflix"\n[style]\nellipsis = "..."\n[style.de]\n'
                       'ellipsis = "…"\n', encoding="utf-8")
    house = load_profile(str(profile))
    assert typography_issues(cues("Wait..."), ctx("en", house)) == []
    assert typography_issues(cues("Wait…"), ctx("en", house)) == [("ellipsis-style", 1)]
    assert fix(cues("Wait…"), ctx("en", house)).cues[0].lines == ["Wait..."]
    assert typography_issues(cues("Warte..."), ctx("de", house)) == [("ellipsis-style", 1)]
    # BBC's profile asks nothing of the ellipsis.
    assert typography_issues(cues("Wait...", "Wait…"), ctx("en", "bbc")) == []


def test_a_studio_extends_a_language_in_its_profile(tmp_path: Path) -> None:
    profile = tmp_path / "studio.toml"
    profile.write_text('extends = "netflix"\n[style.es]\nquotes = ["«»"]\nquote-fix = "«»"\n'
                       'dialogue-dash = "– "\n[style.nl]\nquotes = ["“”"]\n'
                       'no-space-before = ",.!?"\n', encoding="utf-8")
    studio = load_profile(str(profile))
    result = fix(cues("Dijo \"hola\".", ["-Sí.", "-No."], "Hallo !"), ctx("es", studio))
    assert result.cues[0].lines == ["Dijo «hola»."]
    assert result.cues[1].lines == ["– Sí.", "– No."]
    assert fix(cues("Hallo !"), ctx("nl", studio)).cues[0].lines == ["Hallo!"]
    assert resolve_style(studio.style, "es").inverted_marks  # the rest of Spanish stays


@pytest.mark.parametrize(("text", "message"), [
    ('[style]\nellipsis = "…."\n', "ellipsis must be"),
    ('[style]\ndialogue-dash = "*"\n', "dialogue-dash must be"),
    ('[style]\nquotes = ["«"]\n', "quotes must be"),
    ('[style]\ncolour = "red"\n', "unknown key 'colour'"),
    ('[style.es]\nwords = ["x.txt"]\n', "word lists go in [style]"),
    ('[style]\nwords = ["missing.txt"]\n', "cannot read the word list"),
])
def test_a_bad_style_is_one_line_naming_the_key(tmp_path: Path, text: str, message: str) -> None:
    profile = tmp_path / "bad.toml"
    profile.write_text('extends = "netflix"\n' + text, encoding="utf-8")
    with pytest.raises(UsageError, match=re.escape(message)):
        load_profile(str(profile))


def test_no_language_no_typography_but_whitespace_is_still_fixed() -> None:
    track = cues("Hello !  There")
    context = ctx(None)  # type: ignore[arg-type]
    assert typography_issues(track, context) == [("whitespace", 1)]
    assert fix(track, context).cues[0].lines == ["Hello ! There"]


# --- punctuation-mismatch -------------------------------------------------------------------

SOURCE = ["Where were you?", "Get out!", "What?!", "(Laughs) Fine.", "He said \"no\".",
          "Okay.", "Are you", "coming?"]


def mismatches(target: list[str], language: str = "es") -> list[int | None]:
    source = {c.id: c for c in cues(*SOURCE)}
    context = CheckContext(load_profile("netflix"), language, 25, source, "en")
    return [i.cue for i in check(cues(*target), context) if i.rule == "punctuation-mismatch"]


def test_punctuation_that_changes_the_meaning_is_reported() -> None:
    good = ["¿Dónde estabas?", "¡Fuera!", "¿Qué?", "(Risas) Bien.", "Dijo «no».", "Vale.",
            "¿Vienes", "o no?"]
    assert mismatches(good) == []
    bad = ["Dónde estabas.", "Fuera.", "¡Qué!", "(Risas Bien.", "Dijo «no.", "Vale?",
           "¿Vienes", "o no."]
    assert mismatches(bad) == [1, 2, 4, 5, 8]


def test_each_language_asks_with_its_own_mark() -> None:
    assert mismatches(["Πού ήσουν;"] + ["Vale."] * 7, "el") == [2, 3, 8]
    assert mismatches(["どこにいたの"] + ["はい。"] * 7, "ja") == []  # not always marked
    assert mismatches(["你去哪儿了？", "出去！", "什么？！"] + ["好。"] * 5, "zh") == [8]


# --- idempotence ------------------------------------------------------------------------------

_PIECES = ["Hola", "qué", "dices", "Maggie", "bien", "no", "10:30", "5", " ", " ", "  ", ",",
           ".", "...", "…", "?", "!", "¿", "¡", ";", ":", "\"", "“", "”", "„", "«", "»", "'",
           "(", ")", "- ", "-", "–", NBSP, NNBSP, "<i>", "</i>", "Sr.", "http://x.fr"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(language=st.sampled_from(["es", "fr", "fr-CA", "de", "de-CH", "en", "it", "pt", "pl",
                                 "cs", "nl"]),
       texts=st.lists(st.lists(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12)
                               .map("".join), min_size=1, max_size=2),
                      min_size=1, max_size=3))
def test_fixing_twice_changes_nothing_more(language: str, texts: list[list[str]]) -> None:
    track = cues(*texts)
    # Lines of any length: re-wrapping is the layout fix's, tested on its own.
    netflix = load_profile("netflix")
    wide = replace(netflix, limits={**netflix.limits, "cpl-max": 1000.0},
                   languages={k: {**v, "cpl-max": 1000.0} for k, v in netflix.languages.items()})
    context = ctx(language, wide)
    once = fix(track, context)
    twice = fix(once.cues, context)
    assert [c.lines for c in twice.cues] == [c.lines for c in once.cues]
    assert [i for i in twice.issues if i.fixed and i.rule in TYPOGRAPHY] == []
    for issue in once.issues:
        if issue.fixed and issue.rule in TYPOGRAPHY:
            assert issue.before is not None and issue.after is not None
            assert issue.before != issue.after


def test_an_abbreviation_does_not_end_the_sentence() -> None:
    # "Sr." is not the end of a sentence: ¡ belongs before it, which only a person may judge
    # (never "Sr. ¡Halvorsen!").
    context = ctx("es")
    assert typography_issues(cues("¡Sr. Halvorsen!", "¿Vio a la Dra. Okafor?"), context) == []
    track = cues("Sr. Halvorsen!")
    assert typography_issues(track, context) == [("inverted-marks", 1)]
    assert fix(track, context).cues[0].lines == ["Sr. Halvorsen!"]
    # A one-word question after a sentence is still fixed.
    assert fix(cues("Vale. Seguro?"), context).cues[0].lines == ["Vale. ¿Seguro?"]

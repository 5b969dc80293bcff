"""The `spelling` rule: Hunspell through ctypes, with Debian's dictionaries (tests of a
language skip, saying so, where its dictionary is not installed) and a tiny dictionary of
its own (tests/data/hunspell/qaa.*) for the logic, so it runs wherever libhunspell does."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DATA
from subloc.cli import main
from subloc.pipeline.check import CheckOptions, check_files
from subloc.qa import spelling
from subloc.qa.profiles import load_profile
from subloc.qa.rules import CheckContext, check, with_profile_severity
from subloc.track import Cue

TINY = DATA / "hunspell"
needs_hunspell = pytest.mark.skipif(spelling._library() is None,
                                    reason="the Hunspell library is not installed "
                                           "(apt-get install libhunspell-1.7-0)")


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Only the tiny dictionary is found (the system's are out of sight)."""
    monkeypatch.setenv("DICPATH", str(TINY))
    monkeypatch.setattr(spelling, "SYSTEM_DIRS", ())
    spelling.speller.cache_clear()
    yield
    spelling.speller.cache_clear()


def cues(*texts: str) -> list[Cue]:
    return [Cue(id=i + 1, start_ms=1000 + i * 3000, end_ms=3500 + i * 3000, lines=[t])
            for i, t in enumerate(texts)]


def spelling_issues(track: list[Cue], language: str, **kwargs: object
                    ) -> list[tuple[str, int | None, object]]:
    profile = kwargs.pop("profile", load_profile("netflix"))
    ctx = CheckContext(profile, language, 25, **kwargs)  # type: ignore[arg-type]
    return [(i.rule, i.cue, i.value) for i in check(track, ctx)
            if i.rule in ("spelling", "spelling-source")]


# --- the logic, on the tiny dictionary -------------------------------------------------------

@needs_hunspell
def test_words_not_in_the_dictionary_are_reported_by_cue(tiny: None) -> None:
    track = cues("The harbour lights were on.", "Nobody sayd a wrd.", "Storms and boats.")
    assert spelling_issues(track, "qaa") == [("spelling", 2, ["sayd", "wrd"])]


@needs_hunspell
def test_what_is_not_an_error_is_not_reported(tiny: None, tmp_path: Path) -> None:
    track = cues(
        "Maggie came back to the harbour.",       # a name of the source cue
        "The Okafor boat came back.",             # a dnt name of the glossary
        "The Día de Acción de Gracias storm.",    # a glossary term
        "The 3D word, mp3 and 42 boats.",         # numbers and words next to digits
        "The FBI and the NASA boat.",             # acronyms
        "The iPhone word.",                       # brand-like mixed case
        "The Ŵéŕé storm.",                        # letters this language does not write
        "The harbour, @storm, example.com.",      # handles and addresses
        "The Kowalczyk boat.",                    # a word of the user's list
    )
    sources = {c.id: c for c in cues("Maggie came back.", *["x"] * 8)}
    words = tmp_path / "names.txt"
    words.write_text("# character names\nKowalczyk\n", encoding="utf-8")
    profile = load_profile("netflix").with_words([words])
    assert spelling_issues(track, "qaa", profile=profile, sources=sources, source_lang="qaa",
                           terms=("Okafor", "Día de Acción de Gracias")) == []
    # Without them, the same words are reported.
    found = spelling_issues(track, "qaa")
    assert [(cue, value) for _rule, cue, value in found] == [
        (1, ["Maggie"]), (2, ["Okafor"]), (3, ["Día", "de", "Acción", "Gracias"]),
        (9, ["Kowalczyk"])]


@needs_hunspell
def test_a_line_left_in_the_source_language_is_the_untranslated_rules(tiny: None) -> None:
    sources = {c.id: c for c in cues("Nobody sayd a wrd.")}
    assert spelling_issues(cues("Nobody sayd a wrd."), "qaa", sources=sources,
                           source_lang="qaa") == [("spelling-source", 1, ["sayd", "wrd"])]


@needs_hunspell
def test_source_spelling_is_an_info_once_per_source_cue(tiny: None) -> None:
    source = cues("The harbour lihgts were on, Maggie.")
    target = [Cue(1, 1000, 2000, ["The harbour"]), Cue(2, 2000, 3500, ["lights were on."])]
    paired = {1: source[0], 2: source[0]}  # two target cues share one source cue
    ctx = CheckContext(load_profile("netflix"), "qaa", 25, paired, "qaa")
    found = [i for i in check(target, ctx) if i.rule == "spelling-source"]
    assert [(i.cue, i.value, i.severity) for i in found] == [(1, ["lihgts"], "info")]


@needs_hunspell
def test_each_word_is_looked_up_once_per_run(tiny: None, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    looked_up: list[str] = []
    judge = spelling.Speller._judge

    def counting(self: spelling.Speller, word: str) -> int:
        looked_up.append(word)
        return judge(self, word)

    monkeypatch.setattr(spelling.Speller, "_judge", counting)
    for _track in range(3):  # three tracks of one run
        spelling_issues(cues(*["The harbour lights were on, the boats came back."] * 50), "qaa")
    assert sorted(looked_up) == sorted(set(looked_up))
    assert len(looked_up) == 9  # The harbour lights were on the boats came back


def test_a_missing_dictionary_is_one_info_line_saying_how_to_install_it(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DICPATH", str(tmp_path))
    monkeypatch.setattr(spelling, "SYSTEM_DIRS", ())
    spelling.speller.cache_clear()
    try:
        ctx = CheckContext(load_profile("netflix"), "nl", 25)
        issues = [i for i in check(cues(*["Hallo daar."] * 12_000), ctx)
                  if i.rule.startswith("spelling")]
    finally:
        spelling.speller.cache_clear()
    (issue,) = issues  # once per track, not per window of cues
    assert issue.rule == "spelling-unavailable"
    assert issue.cue is None and issue.severity == "info"
    # localize gives every issue the profile's severity; a warning-level spelling rule does
    # not make the missing dictionary a warning (--fail-on warning would fail the run).
    assert ctx.severity("spelling") == "warning"
    assert [i.severity for i in with_profile_severity(issues, ctx)] == ["info"]
    assert "hunspell-nl" in issue.message or "Hunspell library" in issue.message


def test_spelling_can_be_turned_off_in_the_profile(tmp_path: Path) -> None:
    profile = tmp_path / "quiet.toml"
    profile.write_text('extends = "netflix"\n[style]\nspelling = false\n', encoding="utf-8")
    assert spelling_issues(cues("Nobody sayd a wrd."), "en",
                           profile=load_profile(str(profile))) == []


def test_languages_written_without_spaces_are_not_spell_checked() -> None:
    assert spelling_issues(cues("港の明かり"), "ja") == []


def test_word_lists_take_comments_flags_and_several_words(tmp_path: Path) -> None:
    words = tmp_path / "studio.dic"
    words.write_text("3\nOkafor/S\nPort Alder  # the town\n# nothing\n", encoding="utf-8")
    assert spelling.read_words(words) == ["Okafor", "Port", "Alder"]


# --- check and localize ------------------------------------------------------------------

@needs_hunspell
def test_check_takes_word_lists_on_the_command_line_and_in_the_profile(
        tiny: None, tmp_path: Path) -> None:
    track = tmp_path / "film.qaa.srt"
    track.write_text("1\n00:00:01,000 --> 00:00:03,500\nThe Kowalczyk boat came back.\n\n"
                     "2\n00:00:04,000 --> 00:00:06,500\nNobody sayd a word.\n", encoding="utf-8")
    words = tmp_path / "names.txt"
    words.write_text("Kowalczyk\n", encoding="utf-8")

    def found(*args: str) -> set[tuple[str, int]]:
        result = CliRunner().invoke(main, ["check", str(track), "--json", *args])
        assert result.exit_code in (0, 1), result.output
        return {(i["rule"], i["cue"]) for i in json.loads(result.stdout)["jobs"][0]["issues"]
                if i["rule"] == "spelling"}

    assert found() == {("spelling", 1), ("spelling", 2)}
    assert found("--words", str(words)) == {("spelling", 2)}
    profile = tmp_path / "studio.toml"
    profile.write_text('extends = "netflix"\n[style]\nwords = ["names.txt"]\n', encoding="utf-8")
    assert found("--profile", str(profile)) == {("spelling", 2)}
    run = check_files([track], CheckOptions(words=(words,)))
    assert [i.cue for i in run.results[0].issues if i.rule == "spelling"] == [2]


@needs_hunspell
def test_spelling_runs_in_localize(tiny: None, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from subloc.engines import pseudo
    from subloc.pipeline.localize import LocalizeOptions, localize

    source = tmp_path / "film.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:03,500\nThe lights were on.\n\n"
                      "2\n00:00:04,000 --> 00:00:06,500\nNobody said a word.\n", encoding="utf-8")
    translations = {"The lights were on.": "The lihgts were on.",
                    "Nobody said a word.": "Nobody said a word."}
    # The pseudo engine stands in for a real one: it writes words here.
    monkeypatch.setattr(pseudo, "pseudo_localize", lambda text: translations.get(text, text))
    monkeypatch.setattr(pseudo.PseudoEngine, "writes_words", True)
    run = localize([source], LocalizeOptions(targets=("qaa",), source_lang="en",
                                             engine="pseudo", output_dir=tmp_path / "out",
                                             use_cache=False))
    (job,) = run.jobs
    assert job.error is None
    found = [(i.rule, i.cue, i.value) for i in job.issues if i.rule.startswith("spelling")]
    assert ("spelling", 1, ["lihgts"]) in found
    # English has no dictionary here: one info line about the source, none per cue.
    assert not [cue for rule, cue, _ in found if rule == "spelling-source"]
    assert [(i.cue, i.severity) for i in job.issues if i.rule == "spelling-unavailable"] == [
        (None, "info")]


def test_pseudo_localized_tracks_are_not_spell_checked(tmp_path: Path) -> None:
    # Pseudo-localized "words" ("Ţĥé ĥàŕƀöûŕ") are not words: no spelling issue, and no
    # line about a missing dictionary either, whatever dictionaries this machine has.
    from subloc.pipeline.localize import LocalizeOptions, localize

    source = tmp_path / "film.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:03,500\nThe lights were on in the harbour.\n",
                      encoding="utf-8")
    run = localize([source], LocalizeOptions(targets=("es", "fr"), source_lang="en",
                                             engine="pseudo", output_dir=tmp_path / "out",
                                             use_cache=False))
    assert [job.error for job in run.jobs] == [None, None]
    assert not [i for job in run.jobs for i in job.issues if i.rule.startswith("spelling")]
    style = load_profile("netflix").without_spelling()
    assert CheckContext(style, "es").style.spelling is False
    assert CheckContext(load_profile("netflix"), "es").style.spelling is True


@needs_hunspell
def test_localize_takes_word_lists_on_the_command_line(tiny: None, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from subloc.engines import pseudo

    source = tmp_path / "film.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:03,500\nThe boat came back.\n", encoding="utf-8")
    monkeypatch.setattr(pseudo, "pseudo_localize",
                        lambda text: text.replace("The boat", "The Kowalczyk boat"))
    monkeypatch.setattr(pseudo.PseudoEngine, "writes_words", True)
    words = tmp_path / "names.txt"
    words.write_text("Kowalczyk\n", encoding="utf-8")

    def found(*args: str) -> list[object]:
        out = tmp_path / f"out{len(args)}"
        result = CliRunner().invoke(main, ["localize", str(source), "--to", "qaa", "--from",
                                           "en", "--engine", "pseudo", "--no-cache", "-o",
                                           str(out), "--fail-on", "never", *args])
        assert result.exit_code == 0, result.output
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        return [i["value"] for i in report["jobs"][0]["issues"] if i["rule"] == "spelling"]

    assert found() == [["Kowalczyk"]]
    assert found("--words", str(words)) == []


# --- real dictionaries, per language ---------------------------------------------------------

#: language -> (correct lines, a line with a planted error, the misspelt word)
FIXTURES = {
    "es": (["¿Dónde estabas anoche?", "Esperé en el puerto toda la noche.",
            "Mamá, soy yo. Llámame cuando puedas.", "La cena es a las 8:30, ¿vale?",
            "Hasta mañana. No llegues tarde otra vez."],
           "Esperé en el puertto.", "puertto"),
    "fr": (["Aujourd’hui, je ne sais pas.", "Aujourd'hui, c'est l'anniversaire de l'homme.",
            "Qu’est-ce que tu fais ce soir ?", "Il est peut-être déjà parti."],
           "Je ne sais pas pourqoi.", "pourqoi"),
    "de": (["Ich weiß nicht, warum er geht.", "Die Straße war nass.",
            "Gibt's noch Kaffee?", "Wir sehen uns morgen früh."],
           "Ich habe keine Ahnnung.", "Ahnnung"),
    "en": (["I waited at the harbour all night.", "I waited at the harbor all night.",
            "Don't worry, it's fine.", "We'll be back by seven o'clock."],
           "I recieved your message.", "recieved"),
    "it": (["Non so perché se n'è andato.", "Ci vediamo domani mattina.",
            "È l'inizio dell'anno."],
           "Grazie mille, amicco.", "amicco"),
    "pt": (["Não sei por que ele foi embora.", "Obrigado, até amanhã.",
            "Você está em casa?"],
           "Obrigado pela ajudda.", "ajudda"),
}


@pytest.mark.parametrize("language", sorted(FIXTURES))
def test_real_dictionaries_accept_correct_lines_and_find_planted_errors(language: str) -> None:
    spelling.speller.cache_clear()
    if not spelling.available(language):
        pytest.skip(f"no Hunspell dictionary for {language} here "
                    f"({spelling.install_hint(language)})")
    correct, planted, word = FIXTURES[language]
    assert spelling_issues(cues(*correct), language) == []
    track = cues(*correct, planted)
    assert spelling_issues(track, language) == [("spelling", len(track), [word])]

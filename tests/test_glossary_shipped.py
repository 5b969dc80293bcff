"""Issue 17: the shipped glossaries, entry by entry.

Every entry says why it is safe to enforce; ``glossary check`` has nothing to say about
them; every target form of every entry is accepted by verification (and its absence is
reported); the default glossary of a pair holds only entries safe in any film, the US
senses being in ``en-XX.us-setting.csv``; the forbidden lists have the gaps filled.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from subloc.cli import main
from subloc.glossary.csvio import read_csv
from subloc.glossary.match import ENFORCED, find_terms
from subloc.glossary.model import Entry
from subloc.glossary.store import load_for_pair, shipped_dir
from subloc.pipeline.verify import verify
from subloc.track import Cue

LANGS = ("es", "fr", "de", "pt", "it", "ja")
#: US-only senses: never in a pair's default glossary.
US_ONLY = {"football", "college", "pound", "buck", "quarter", "dime", "nickel", "penny", "DMV",
           "Independence Day", "Labor Day", "Fourth of July", "4th of July", "sheriff",
           "high school", "middle school", "senior year", "senior class", "freshman",
           "sophomore", "GPA", "SAT", "valedictorian", "prom", "touchdown", "quarterback",
           "end zone", "4th quarter", "fourth quarter", "first quarter"}


@cache
def default(lang: str) -> list[Entry]:
    return read_csv(shipped_dir() / f"en-{lang}.csv").entries


@cache
def us_setting(lang: str) -> list[Entry]:
    return read_csv(shipped_dir() / f"en-{lang}.us-setting.csv").entries


def cue(text: str) -> Cue:
    return Cue(id=1, start_ms=0, end_ms=2000, lines=[text])


@pytest.mark.parametrize("lang", LANGS)
def test_every_entry_says_why_it_is_safe_to_enforce(lang: str) -> None:
    for entry in default(lang) + us_setting(lang):
        assert entry.note, (lang, entry.line)
        if entry.type == "forbidden":
            continue
        assert entry.enforce, (lang, entry.source)  # decided, not left to the default
        reason = {"mask": "Masked", "verify": "Verify", "hint": "Hint"}[entry.mode]
        assert reason in entry.note, (lang, entry.source, entry.note)


def test_glossary_check_finds_no_problem_and_no_unsafe_entry() -> None:
    result = CliRunner().invoke(main, ["glossary", "check", str(shipped_dir())])
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stderr == ""
    assert ": 0 problems." in result.output


@pytest.mark.parametrize("lang", LANGS)
def test_default_glossaries_hold_only_senses_safe_in_any_film(lang: str) -> None:
    sources = {e.source for e in default(lang)}
    assert not sources & US_ONLY, sources & US_ONLY
    assert "degrees" not in sources | {e.source for e in us_setting(lang)}
    assert {"football", "quarter", "buck", "pound", "Labor Day", "college", "DMV"} <= {
        e.source for e in us_setting(lang)}
    # A name resolves to the pair's file; the default does not include it.
    assert len(load_for_pair([Path("us-setting")], "en", lang)) == len(default(lang)) + len(
        us_setting(lang))
    assert len(load_for_pair([], "en", lang)) == len(default(lang))


@pytest.mark.parametrize("lang", LANGS)
def test_idioms_are_hints_and_names_are_masked(lang: str) -> None:
    by_source = {e.source: e for e in default(lang)}
    for idiom in ("break a leg", "piece of cake", "raining cats and dogs", "around the bush",
                  "the ball is in your court", "spill the beans", "kick the bucket"):
        assert by_source[idiom].mode == "hint", idiom
    for name in ("Maggie", "Port Alder", "Seagulls", "Hawks"):
        assert by_source[name].mode == "mask", name


_TEMPLATES = ("I saw the {} there.", "It was 3 {} away.", "Got a {}?", "a {} of sugar",
              "Hello, {} Okafor.", "Hello, {} Diaz.", "Meet me at {} nine.", "{}", "GO, {}!")


def _source_line(entry: Entry, entries: list[Entry]) -> str | None:
    """A line in which ``entry`` (and no longer entry) is found."""
    for template in _TEMPLATES:
        line = template.format(entry.source)
        found = find_terms(line, entries, "en", types=ENFORCED)
        if any(m.entry == entry for m in found):
            return line
    return None


@pytest.mark.parametrize("lang", LANGS)
def test_every_target_form_counts_and_its_absence_is_reported(lang: str) -> None:
    entries = load_for_pair([Path("us-setting")], "en", lang)
    for entry in entries:
        if entry.type not in ("term", "adapt"):
            continue
        line = _source_line(entry, entries)
        assert line is not None, entry.source
        for form in entry.forms:
            result = verify([cue(line)], [cue(f"xx {form} yy")], {}, entries, "en", lang)
            hits = [h for h in result.hits if h.source.casefold().startswith(
                entry.source.casefold()[:3])]
            assert hits and all(h.ok for h in hits), (lang, entry.source, form, result.issues)
        missing = verify([cue(line)], [cue("xx yy")], {}, entries, "en", lang)
        rule = "glossary-hint-missing" if entry.mode == "hint" else "glossary-term-missing"
        assert rule in {i.rule for i in missing.issues}, (lang, entry.source)


@pytest.mark.parametrize("lang", ["es", "fr", "de", "pt", "it"])
def test_unit_entries_accept_the_symbols_adapt_units_writes(lang: str) -> None:
    symbols = {"mile": "km", "foot": "m", "feet": "m", "inch": "cm", "gallon": "l",
               "miles per hour": "km/h", "degrees Fahrenheit": "°C"}
    by_source = {e.source: e for e in default(lang)}
    for source, symbol in symbols.items():
        assert symbol in by_source[source].forms, (lang, source)
    assert "kg" in {e.source: e for e in us_setting(lang)}["pound"].forms


def forbidden_words(lang: str) -> set[str]:
    return {word for e in default(lang) if e.type == "forbidden" for word in e.targets}


def test_the_es_419_forbidden_list_has_vosotros_coger_and_pavos() -> None:
    words = forbidden_words("es")
    assert {"os", "estáis", "sois", "tenéis", "habéis", "podéis", "queréis", "vais"} <= words
    assert {"coger", "coge", "cogió", "cogía", "cogiendo", "cogido", "cojo", "cógelo"} <= words
    assert "pavos" in words
    result = verify([cue("x"), Cue(2, 0, 1, ["y"])],
                    [cue("Me costó diez pavos."), Cue(2, 0, 1, ["Asamos los pavos."])],
                    {}, default("es"), "en", "es")
    assert [(i.rule, i.cue, i.value) for i in result.issues] == [
        ("glossary-forbidden", 1, "pavos")]  # the turkeys stay allowed
    tenses = verify([cue("x")], [cue("¿Vosotros vais? Os lo dije; lo cogió.")], {},
                    default("es"), "en", "es")
    assert {i.value for i in tenses.issues} == {"vosotros", "vais", "os", "cogió"}


def test_the_pt_br_forbidden_list_has_portugal_only_words() -> None:
    words = forbidden_words("pt")
    assert {"puto", "propina", "autocarro", "telemóvel", "pequeno-almoço",
            "casa de banho"} <= words
    result = verify([cue("x")], [cue("Peguei o autocarro e deixei uma propina.")], {},
                    default("pt"), "en", "pt")
    assert {i.value for i in result.issues} == {"autocarro", "propina"}

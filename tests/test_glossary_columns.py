"""Issue 17: the glossary columns for enforcement (``plural``, ``enforce``, ``context``) in
CSV and TBX, their defaults, named shipped glossaries, and ``glossary check`` warnings."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from subloc.cli import main
from subloc.errors import InputError, ParseError
from subloc.glossary.csvio import parse_csv, write_csv
from subloc.glossary.model import Entry, Glossary, Problem, default_enforce, pair_from_name
from subloc.glossary.safety import entry_warnings
from subloc.glossary.store import glossary_files, load_for_pair
from subloc.glossary.tbx import parse_tbx, write_tbx

WIDE = textwrap.dedent("""\
    source,target,plural,type,enforce,case_sensitive,context,note
    quarter,moneda de 25 centavos,monedas de 25 centavos,term,verify,false,"prev:\\b(?:a|four)\\s+$;not-next:\\s+of\\b",coin
    Miss,Srta.|señorita,,term,,true,title,
    around the bush,por las ramas,,term,hint,false,,idiom
    Maggie,,,dnt,,true,,
    ,pavos,,forbidden,,false,prev:\\d\\s+$,money
    """)


def entries(text: str = WIDE) -> list[Entry]:
    return parse_csv(text, origin="en-es.csv", pair=("en", "es")).entries


def test_the_optional_columns_are_read_and_written_back() -> None:
    quarter, miss, bush, maggie, pavos = entries()
    assert (quarter.plurals, quarter.enforce, quarter.mode) == (
        ("monedas de 25 centavos",), "verify", "verify")
    assert quarter.context.startswith("prev:") and quarter.form(True) == "monedas de 25 centavos"
    assert (miss.enforce, miss.mode, miss.context) == ("", "mask", "title")
    assert (bush.mode, maggie.mode, pavos.context) == ("hint", "mask", "prev:\\d\\s+$")
    glossary = Glossary("en", "es", entries())
    again = parse_csv(write_csv(glossary), pair=("en", "es")).entries
    assert [(e.source, e.targets, e.plurals, e.enforce, e.context) for e in again] == [
        (e.source, e.targets, e.plurals, e.enforce, e.context) for e in glossary.entries]
    # Without the optional columns a glossary is written with the five classic ones.
    classic = Glossary("en", "es", [Entry("pie", ("pastel",), "term")])
    assert write_csv(classic).splitlines()[0] == "source,target,type,case_sensitive,note"


def test_bad_enforcement_values_name_the_line() -> None:
    bad = ("source,target,type,case_sensitive,enforce,context,plural,note\n"
           "a,b,term,false,force,,,\n"
           "c,d,term,false,,after:x,,\n"
           "e,f,term,false,,next:(,,\n"
           ",g,forbidden,false,mask,,,\n"
           "h,,dnt,false,,,hs,\n")
    problems: list[Problem] = []
    parse_csv(bad, pair=("en", "es"), problems=problems)
    assert [(p.line, p.message.split(" ")[0]) for p in problems] == [
        (2, "enforce"), (3, "unknown"), (4, "context"), (5, "a"), (6, "a")]
    with pytest.raises(InputError, match="enforce must be one of"):
        parse_csv(bad, pair=("en", "es"))


@pytest.mark.parametrize(("source", "type_", "case", "mode"), [
    ("Maggie", "dnt", True, "mask"),
    ("Port Alder", "dnt", False, "mask"),
    ("Mr. Halvorsen", "term", True, "mask"),        # a fixed title with a name
    ("Fourth of July", "term", True, "mask"),
    ("Thanksgiving", "term", False, "verify"),      # not case-sensitive: not surely a name
    ("pumpkin pie", "term", False, "verify"),       # a compound noun
    ("mac and cheese", "term", False, "hint"),      # shaped like a phrase: say verify
    ("break a leg", "term", False, "hint"),
    ("raining cats and dogs", "term", False, "hint"),
    ("", "forbidden", False, "verify"),
])
def test_enforcement_defaults_by_type_and_shape(source: str, type_: str, case: bool,
                                                mode: str) -> None:
    entry = Entry(source, ("x",), type_, case_sensitive=case)
    assert default_enforce(entry) == mode == entry.mode


@pytest.mark.parametrize("version", [2, 3])
def test_tbx_carries_enforcement_context_and_plurals(version: int) -> None:
    glossary = Glossary("en", "es", entries())
    text = write_tbx(glossary, version=version)
    assert '<descrip type="subloc-enforce">verify</descrip>' in text
    assert '<termNote type="grammaticalNumber">plural</termNote>' in text
    again = parse_tbx(text).entries
    assert [(e.source, e.targets, e.plurals, e.enforce, e.context, e.type) for e in again] == [
        (e.source, e.targets, e.plurals, e.enforce, e.context, e.type)
        for e in glossary.entries]


def test_tbx_refuses_a_bad_enforce_value() -> None:
    text = write_tbx(Glossary("en", "es", [Entry("a", ("b",), "term", enforce="hint")]))
    with pytest.raises(ParseError, match="subloc-enforce 'force'"):
        parse_tbx(text.replace(">hint<", ">force<"))


def test_a_shipped_glossary_is_named_and_resolved_per_pair(tmp_path: Path) -> None:
    assert pair_from_name(Path("en-es.us-setting.csv")) == ("en", "es")
    assert pair_from_name(Path("en-es.csv")) == ("en", "es")
    named = glossary_files([Path("us-setting")])
    assert {p.name for p in named} >= {"en-es.us-setting.csv", "en-ja.us-setting.csv"}
    es = load_for_pair([Path("us-setting")], "en", "es")
    assert {"football", "quarter"} <= {e.source for e in es}
    assert "football" not in {e.source for e in load_for_pair([], "en", "es")}
    assert load_for_pair([Path("us-setting")], "en", "ko", use_default=False) == []
    with pytest.raises(InputError, match=r"nor a shipped glossary name .*us-setting"):
        glossary_files([Path("uk-setting")])
    with pytest.raises(InputError):
        glossary_files([tmp_path / "missing.csv"])
    # The user's own files take the same naming.
    (tmp_path / "en-es.studio.csv").write_text(
        "source,target,type,case_sensitive,note\nharbour,puerto,term,false,\n",
        encoding="utf-8")
    assert [e.source for e in load_for_pair([tmp_path], "en", "es", use_default=False)] == [
        "harbour"]


def test_glossary_list_and_localize_take_the_name(samples: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["glossary", "list", "--pair", "en-es", "--glossary",
                                       "us-setting"])
    assert result.exit_code == 0, result.output
    assert "en-es.us-setting.csv" in result.output and "verify" in result.output
    result = CliRunner().invoke(main, ["localize", str(samples / "harbour_lights.srt"), "--to",
                                       "es", "--engine", "pseudo", "--from", "en", "-o",
                                       str(tmp_path), "--no-cache", "--glossary",
                                       "us-setting", "--fail-on", "never", "-q"])
    assert result.exit_code == 0, result.output + result.stderr
    report = (tmp_path / "report.json").read_text(encoding="utf-8")
    assert '"source": "touchdown"' in report


def test_glossary_check_warns_about_unsafe_entries(tmp_path: Path) -> None:
    path = tmp_path / "en-es.csv"
    path.write_text(textwrap.dedent("""\
        source,target,type,case_sensitive,enforce,context,note
        quarter,moneda de 25 centavos,term,false,,,
        quarters,moneda de 25 centavos,term,false,verify,anywhere,
        beat around the bush,irse por las ramas,term,false,mask,,
        pie,pastel,term,false,hint,,
        coach,entrenador,term,false,mask,title,
        """), encoding="utf-8")
    result = CliRunner().invoke(main, ["glossary", "check", str(path)])
    assert result.exit_code == 0, result.stderr  # warnings, not errors
    lines = result.stderr.splitlines()
    assert any(":2: 'quarter' is a bare common word" in line for line in lines)
    assert any(":3: 'quarters' is plural but every target looks singular" in line
               for line in lines)
    assert any(":4: 'beat around the bush' looks like an idiom" in line for line in lines)
    assert any(":6: 'coach' is a common word but is masked" in line for line in lines)
    assert not any(":5:" in line for line in lines)  # a hint is never inserted
    assert "0 problems, 4 warnings." in result.output


def test_plural_warnings_know_which_languages_show_number() -> None:
    quarters = Entry("quarters", ("moneda",), "term", context="anywhere")
    assert entry_warnings(quarters, "es")
    assert not entry_warnings(Entry("quarters", ("monedas",), "term", context="anywhere"), "es")
    assert not entry_warnings(quarters, "de")  # German plurals cannot be told this way
    assert not entry_warnings(Entry("quarters", ("moneda",), "term", context="anywhere",
                                    plurals=("monedas",)), "es")


def test_a_regional_target_takes_its_languages_glossaries(tmp_path: Path) -> None:
    # es-419 and pt-BR are what the Netflix preset asks for: the shipped en-es (Latin
    # American) and en-pt (Brazilian) glossaries apply to them, and so do the user's files
    # and shipped names for the language.
    for regional, plain in (("es-419", "es"), ("es-MX", "es"), ("pt-BR", "pt"), ("fr_FR", "fr")):
        assert load_for_pair([], "en", regional) == load_for_pair([], "en", plain) != []
    # Another market's words differ: pt-PT is not told "autocarro" is forbidden, es-ES not
    # told "coger" is, fr-CA gets no France-only forms.
    assert load_for_pair([], "en", "pt-PT") == load_for_pair([], "en", "es-ES") == []
    assert load_for_pair([], "en", "fr-CA") == []
    assert "autocarro" in {t for e in load_for_pair([], "en", "pt") for t in e.targets}
    assert load_for_pair([Path("us-setting")], "en-US", "es-419") == load_for_pair(
        [Path("us-setting")], "en", "es")
    (tmp_path / "en-es.studio.csv").write_text(
        "source,target,type,case_sensitive,note\nharbour,puerto,term,false,\n",
        encoding="utf-8")
    assert [e.source for e in load_for_pair([tmp_path], "en", "es-419", use_default=False)] == [
        "harbour"]
    # A glossary made for one region serves that region only.
    brazil = tmp_path / "brazil.tbx"
    brazil.write_text(write_tbx(Glossary("en", "pt-BR", [Entry("bus", ("ônibus",), "term")])),
                      encoding="utf-8")
    assert [e.source for e in load_for_pair([brazil], "en", "pt-BR", use_default=False)] == [
        "bus"]
    assert load_for_pair([brazil], "en", "pt-PT", use_default=False) == []
    assert load_for_pair([brazil], "en", "pt", use_default=False) == []

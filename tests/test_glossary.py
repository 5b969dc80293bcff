"""Cultural glossaries: the CSV format, matching, enforcement, verification, units, CLI."""

from __future__ import annotations

import csv
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from argos_factory import build_argos_package, install_package
from subloc.cli import main
from subloc.errors import InputError
from subloc.glossary.csvio import parse_csv, read_csv
from subloc.glossary.match import find_terms
from subloc.glossary.model import Entry, Problem
from subloc.glossary.store import load_for_pair, validate
from subloc.glossary.units import find_conversions
from subloc.io.read import load
from subloc.pipeline.localize import LocalizeOptions, localize
from subloc.pipeline.mask import mask, unmask

# Masked on purpose (enforce=mask): these tests are about the placeholder mechanism. The
# shipped glossaries leave common nouns to the engine (verify); see test_glossary_enforce.
ES = textwrap.dedent("""\
    source,target,type,case_sensitive,enforce,note
    Thanksgiving,Acción de Gracias|Día de Acción de Gracias,adapt,false,mask,US holiday
    pumpkin pie,pastel de calabaza|pay de calabaza,term,false,mask,
    pie,pastel,term,false,mask,
    Maggie,,dnt,true,,character
    Port Alder,,dnt,true,,place
    ,coger,forbidden,false,,vulgar in Latin America
    """)


def entries(text: str = ES) -> list[Entry]:
    return parse_csv(text, origin="en-es.csv", pair=("en", "es")).entries


def surfaces(text: str, language: str = "en") -> list[str]:
    return [m.surface for m in find_terms(text, entries(), language)]


def test_word_boundaries_case_longest_first_plural_possessive() -> None:
    assert surfaces("Two pumpkin pies for Thanksgiving's dinner.") == [
        "pumpkin pies", "Thanksgiving's"]
    assert surfaces("A piece of pie, not a pier or a magpie.") == ["pie"]
    assert surfaces("THANKSGIVING is coming") == ["THANKSGIVING"]
    assert surfaces("maggie is lowercase here, Maggie is not") == ["Maggie"]
    assert surfaces("Port  Alder") == ["Port  Alder"]


def test_cjk_substring_and_full_width_normalization() -> None:
    ja = parse_csv("source,target,type,case_sensitive,note\n感謝祭,Thanksgiving,term,false,\n"
                   "GPA,成績平均値,term,false,\n", origin="ja-en.csv", pair=("ja", "en")).entries
    assert [m.surface for m in find_terms("今年の感謝祭は家で", ja, "ja")] == ["感謝祭"]
    assert [m.entry.source for m in find_terms("私のＧＰＡは", ja, "ja")] == ["GPA"]


def test_mask_and_unmask_with_capitalization_and_fallback_detection() -> None:
    masked = mask("Maggie's pumpkin pie is ready for Thanksgiving.", entries(), "en", "es")
    assert masked.text == "⟦0⟧'s ⟦1⟧ is ready for ⟦2⟧."
    assert unmask(masked, "⟦1⟧ de ⟦0⟧ está listo para ⟦2⟧.") == (
        "Pastel de calabaza de Maggie está listo para Acción de Gracias.")
    assert unmask(masked, "- ⟦1⟧ de ⟦0⟧ para ⟦2⟧.") == "- Pastel de calabaza de Maggie para Acción de Gracias."
    assert unmask(masked, "El ⟦1⟧ de ⟦0⟧.") is None  # lost
    assert unmask(masked, "⟦1⟧ ⟦1⟧ ⟦0⟧ ⟦2⟧") is None  # duplicated
    assert unmask(masked, "⟦1⟧ de ⟦0⟧ para ⟦9⟧.") is None  # altered


def test_units_are_converted_and_formatted_for_the_locale() -> None:
    text = "It's three miles away, 5 feet tall, 10 pounds, two gallons, 70°F, 60 miles per hour."
    found = {c.surface: c.replacement for c in find_conversions(text, "es")}
    assert found == {"three miles": "5\u00a0km", "5 feet": "1,5\u00a0m", "10 pounds": "4,5\u00a0kg",
                     "two gallons": "7,5\u00a0l", "70°F": "21°C", "60 miles per hour": "97\u00a0km/h"}
    assert {c.replacement for c in find_conversions("5 feet", "en")} == {"1.5\u00a0m"}


def test_malformed_glossaries_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "en-es.csv"
    path.write_text("source,target,type,case_sensitive,note\nok,bien,term,false,\n"
                    "x,,term,false,\ny,z,slang,false,\nw,v,term,maybe,\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_csv(path)
    assert caught.value.line == 3 and "needs a source and a target" in str(caught.value)
    problems: list[Problem] = []
    read_csv(path, problems)
    assert [(p.line, p.message.split(" ")[0]) for p in problems] == [
        (3, "a"), (4, "unknown"), (5, "case_sensitive")]
    duplicate = parse_csv("source,target,type,case_sensitive,note\nMaggie,,dnt,true,\n"
                          "maggie,Magui,term,false,\nPie,pastel,term,false,\npie,tarta,term,false,\n",
                          origin="en-es.csv", pair=("en", "es"))
    found: list[Problem] = []
    validate([duplicate], found)
    assert ["both dnt (line 2) and term" in p.message for p in found] == [True, False]
    assert "duplicate entry" in found[1].message and found[1].line == 5


def test_glossary_check_cli(tmp_path: Path) -> None:
    good = tmp_path / "en-es.csv"
    good.write_text(ES, encoding="utf-8")
    bad = tmp_path / "en-fr.csv"
    bad.write_text('source,target,type\n"unclosed,quote,term\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["glossary", "check", str(good)])
    assert result.exit_code == 0 and "6 entries" in result.output
    result = CliRunner().invoke(main, ["glossary", "check", str(tmp_path)])
    assert result.exit_code == 2 and f"{bad}:" in result.stderr


def test_glossary_list_shows_what_applies(tmp_path: Path) -> None:
    (tmp_path / "en-es.csv").write_text(ES, encoding="utf-8")
    (tmp_path / "en-fr.csv").write_text("source,target,type,case_sensitive,note\n"
                                        "pie,tarte,term,false,\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["glossary", "list", "--pair", "en-es", "--glossary",
                                       str(tmp_path), "--no-default-glossary"])
    assert result.exit_code == 0 and "6 entries for en->es" in result.output
    assert "tarte" not in result.output


def test_pseudo_engine_renders_every_glossary_term_as_specified(samples: Path,
                                                                tmp_path: Path) -> None:
    glossary = tmp_path / "en-es.csv"
    glossary.write_text(ES, encoding="utf-8")
    options = LocalizeOptions(targets=("es",), engine="pseudo", output_dir=tmp_path / "out",
                              use_cache=False, glossaries=(glossary,), default_glossary=False)
    result = localize([samples / "harbour_lights.srt"], options)
    (job,) = result.jobs
    hits = job.glossary_hits
    assert len(hits) >= 10 and all(hit.ok for hit in hits)
    assert not [i for i in job.issues if i.rule.startswith("glossary")]
    out = load(tmp_path / "out" / "harbour_lights.es.srt")
    text = " ".join(c.plain_text for c in out.cues)
    assert "Acción de Gracias" in text and "pastel de calabaza" in text and "Port Alder" in text


def test_shipped_glossaries_with_pseudo_come_out_100_percent(samples: Path,
                                                             tmp_path: Path) -> None:
    """Every masked entry of the shipped glossaries (names, brands, holidays, titles with a
    name), with the US-setting glossary too, comes out as the glossary says. (Issue 17:
    common nouns and idioms are no longer masked; the pseudo engine does not translate
    them, so verification reports them, and only them.)"""
    targets = ("es", "fr", "de", "pt", "it", "ja")
    shipped = [t for t in targets if load_for_pair([], "en", t)]
    if len(shipped) < len(targets):
        pytest.skip("shipped glossaries not present yet")
    options = LocalizeOptions(targets=targets, engine="pseudo", output_dir=tmp_path,
                              use_cache=False, source_lang="en",
                              glossaries=(Path("us-setting"),))
    sources = [samples / n for n in ("harbour_lights.srt", "harbour_lights_scene2.vtt",
                                     "harbour_lights_scene3.ass")]
    result = localize(sources, options)
    for job in result.jobs:
        entries = {(e.source, e.type): e for e in load_for_pair(
            [Path("us-setting")], "en", job.target_lang)}
        assert job.glossary_hits, (job.source, job.target_lang)
        masked = [h for h in job.glossary_hits
                  if entries[_source_of(h.source, entries), h.type].mode == "mask"]
        assert masked, (job.source.name, job.target_lang)
        misses = [h for h in masked if not h.ok]
        assert misses == [], (job.source.name, job.target_lang, misses[:5])


def _source_of(surface: str, entries: dict[tuple[str, str], Entry]) -> str:
    """The entry source a hit's surface came from ("Danny's" -> "Danny")."""
    by_fold = {source.casefold(): source for source, _ in entries}
    folded = surface.casefold()
    for candidate in (folded, folded.removesuffix("'s"), folded.removesuffix("’s"),
                      folded.removesuffix("s"), folded.removesuffix("es")):
        if candidate in by_fold:
            return by_fold[candidate]
    raise AssertionError(f"no entry for {surface!r}")


def test_real_tiny_model_garbles_but_every_deviation_is_reported(
        samples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    packages = tmp_path / "packages"
    install_package(build_argos_package(tmp_path, from_code="en", to_code="es"), packages)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    glossary = tmp_path / "en-es.csv"
    glossary.write_text(ES + ",pastel,forbidden,false,,test ban\n", encoding="utf-8")
    options = LocalizeOptions(targets=("es",), engine="argos", output_dir=tmp_path / "out",
                              use_cache=False, glossaries=(glossary,), default_glossary=False)
    result = localize([samples / "harbour_lights.srt"], options)
    (job,) = result.jobs
    assert job.error is None
    out = load(tmp_path / "out" / "harbour_lights.es.srt")
    source = load(samples / "harbour_lights.srt")
    assert all(c.plain_text.strip() for c in out.cues)
    reported = {(i.rule, i.cue) for i in job.issues}
    for hit in job.glossary_hits:
        rule = "glossary-dnt-altered" if hit.type == "dnt" else "glossary-term-missing"
        assert hit.ok or (rule, hit.cue) in reported
    # Every occurrence in the source was looked at: none is lost silently.
    occurrences = sum(len(find_terms(" ".join(c.plain_lines), entries(), "en"))
                      for c in source.cues)
    assert len(job.glossary_hits) == occurrences
    forbidden_cues = {c.id for c in out.cues if "pastel" in c.plain_text.lower()}
    assert forbidden_cues == {i.cue for i in job.issues if i.rule == "glossary-forbidden"}


def test_csv_exports_neutralize_spreadsheet_formulas() -> None:
    from subloc.glossary.csvio import write_csv
    from subloc.glossary.model import Glossary

    hostile = Glossary("en", "es", [
        Entry("=cmd|' /C calc'!A1", ("+SUM(1)",), "term", note="@evil"),
        Entry("-ish", ("-ito",), "term"),
        Entry("Maggie", (), "dnt", case_sensitive=True)])
    text = write_csv(hostile)
    for line in text.splitlines()[1:]:
        for cell in next(csv.reader([line])):
            assert not cell.startswith(("=", "+", "-", "@")), line
    again = parse_csv(text, pair=("en", "es"))
    assert [(e.source, e.targets, e.note) for e in again.entries] == [
        (e.source, e.targets, e.note) for e in hostile.entries]

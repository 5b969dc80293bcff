"""The review loop: XLIFF out (validated against the official schemas, read by an
independent reader), reviewers' targets back in (only what they changed changes), human
translations remembered and reused, and bad review files refused one file at a time."""

from __future__ import annotations

import json
import re
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from conftest import DATA
from subloc import markup
from subloc.cli import main
from subloc.engines.cache import HumanEntry, TranslationCache
from subloc.engines.pseudo import PseudoEngine
from subloc.io.read import load
from subloc.io.xliff import GLS, MDA, SLR, XLIFF2, read_xliff

xmlschema = pytest.importorskip("xmlschema", reason="the schema tests need xmlschema "
                                                   "(pip install -e '.[test]')")

SCHEMAS = DATA / "xliff"

FILM = textwrap.dedent("""\
    1
    00:00:01,000 --> 00:00:03,000
    Hello there, my friend.

    2
    00:00:03,500 --> 00:00:05,000
    I was thinking that we could

    3
    00:00:05,200 --> 00:00:07,000
    go down to the harbour tonight.

    4
    00:00:08,000 --> 00:00:10,000
    - Are you coming?
    - Of course I am.

    5
    00:00:11,000 --> 00:00:13,000
    <i>The tide will bring you home.</i>

    6
    00:00:14,000 --> 00:00:16,000
    This is <b>really</b> important.

    7
    00:00:17,000 --> 00:00:19,000
    Thank you.

    8
    00:00:20,000 --> 00:00:22,000
    Yes.

    9
    00:00:24,000 --> 00:00:26,000
    Yes.
    """)

GLOSSARY = "source,target,type,case_sensitive,note\nharbour,puerto,term,false,the port\n"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A film localized into Spanish with the pseudo engine: film.srt, out/film.es.srt,
    out/report.json, a glossary and a translation cache, all under ``tmp_path``."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "film.srt").write_text(FILM, encoding="utf-8")
    (tmp_path / "en-es.csv").write_text(GLOSSARY, encoding="utf-8")
    result = invoke("localize", "film.srt", "--to", "es", "--from", "en", "--engine", "pseudo",
                    "-o", "out", "--cache", "cache.sqlite", "--glossary", "en-es.csv",
                    "--no-default-glossary", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    return tmp_path


def export(project: Path, *extra: str) -> Path:
    result = invoke("review", "export", "out", "-o", "review", "--cache", "cache.sqlite",
                    "--glossary", "en-es.csv", "--no-default-glossary", *extra)
    assert result.exit_code == 0, result.output
    (path,) = sorted((project / "review").glob("*.xlf"))
    return path


def review_import(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["review", "import", *map(str, args), "--cache",
                                     "cache.sqlite", "--report-dir", "reviewed-report",
                                     "--fail-on", "never"], catch_exceptions=False)


def blocks(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").strip().split("\n\n")


def times(path: Path) -> list[tuple[int, int]]:
    return [(cue.start_ms, cue.end_ms) for cue in load(path).cues]


def schema_2() -> Any:
    schema = xmlschema.XMLSchema(str(SCHEMAS / "xliff-2.1" / "xliff_core_2.0.xsd"))
    for namespace, name in ((MDA, "metadata.xsd"), (GLS, "glossary.xsd"),
                            (SLR, "size_restriction.xsd")):
        schema.import_schema(namespace, str(SCHEMAS / "xliff-2.1" / name))
    return schema


def schema_1() -> Any:
    xml_xsd = SCHEMAS / "xliff-2.1" / "informativeCopiesOf3rdPartySchemas" / "w3c" / "xml.xsd"
    # The 1.2 schema imports xml.xsd from the W3C's site: the local copy is used instead.
    return xmlschema.XMLSchema(str(SCHEMAS / "xliff-1.2" / "xliff-core-1.2-strict.xsd"),
                               uri_mapper={"http://www.w3.org/2001/xml.xsd": xml_xsd.as_uri()})


# --- editing an exported file, as a CAT tool would -------------------------------------

ET.register_namespace("", XLIFF2)
ET.register_namespace("mda", MDA)
ET.register_namespace("gls", GLS)
ET.register_namespace("slr", SLR)


def units(path: Path) -> tuple[ET.ElementTree, dict[str, ET.Element]]:
    tree = ET.parse(path)
    return tree, {unit.get("id", ""): unit for unit in tree.iter(f"{{{XLIFF2}}}unit")}


def set_target(unit: ET.Element, build: Callable[[ET.Element, ET.Element], None],
               state: str | None = None) -> None:
    """Replace a unit's target content: ``build(target, source)`` fills the empty target."""
    segment = unit.find(f"{{{XLIFF2}}}segment")
    assert segment is not None
    source = segment.find(f"{{{XLIFF2}}}source")
    target = segment.find(f"{{{XLIFF2}}}target")
    assert source is not None and target is not None
    target.clear()
    build(target, source)
    if state:
        segment.set("state", state)


def text(value: str) -> Callable[[ET.Element, ET.Element], None]:
    def build(target: ET.Element, _source: ET.Element) -> None:
        target.text = value
    return build


def unit_of(units_by_id: dict[str, ET.Element], cue: int) -> ET.Element:
    """The (first) unit covering ``cue``."""
    for unit in units_by_id.values():
        cues = next(meta.text for meta in unit.iter(f"{{{MDA}}}meta") if meta.get("type") == "cues")
        if str(cue) in (cues or "").split():
            return unit
    raise AssertionError(cue)


# --- export --------------------------------------------------------------------------------

def test_export_validates_against_the_official_xliff_2_1_schemas(project: Path) -> None:
    path = export(project)
    assert path.name == "film.en-es.xlf"
    schema = schema_2()
    schema.validate(str(path))
    # The modules are validated too: a metadata entry without its type is caught.
    broken = path.read_text(encoding="utf-8").replace('<mda:meta type="cues">', "<mda:meta>", 1)
    assert not schema.is_valid(broken)


def test_export_validates_against_the_official_xliff_1_2_schema(project: Path) -> None:
    path = export(project, "--xliff-version", "1.2")
    schema_1().validate(str(path))
    broken = path.read_text(encoding="utf-8").replace('size-unit="char"', 'size-unit="furlong"')
    assert not schema_1().is_valid(broken)


def test_units_carry_segments_cues_limits_glossary_codes_and_states(project: Path) -> None:
    path = export(project)
    (xfile,) = read_xliff(path.read_bytes(), str(path)).files
    assert (xfile.source_lang, xfile.target_lang) == ("en", "es")
    assert xfile.original == "../film.srt" and xfile.target_path == "../out/film.es.srt"
    by_cues = {unit.cues: unit for unit in xfile.units if unit.part is None}
    merged = by_cues[(2, 3)]
    assert merged.source_plain == "I was thinking that we could go down to the harbour tonight."
    assert merged.times == ((3500, 5000), (5200, 7000))
    assert merged.state == "translated" and merged.size == 42 * 2 * 2
    speakers = [unit for unit in xfile.units if unit.cues == (4,)]
    assert [(u.part, u.source_plain) for u in speakers] == [(0, "Are you coming?"),
                                                            (1, "Of course I am.")]
    assert speakers[0].size == 42
    raw = path.read_text(encoding="utf-8")
    # The glossary module, the limits and QA notes.
    assert "<gls:term source=\"subloc glossary\">harbour</gls:term>" in raw
    assert "<gls:translation>puerto</gls:translation>" in raw
    assert "at most 42 characters per line and 2 lines per cue, over 2 cues" in raw
    assert re.search(r'<note category="subloc:qa" priority="\d">cue \d: [a-z-]+ \(', raw)
    # The inline tag is a protected paired code, in source and target.
    assert raw.count('<pc id="1" canCopy="no" canDelete="no" dataRefEnd="d2" '
                     'dataRefStart="d1" type="fmt" subType="xlf:b">') == 2
    assert '<data id="d1">&lt;b&gt;</data>' in raw
    # Whole-cue italics are the cue's formatting, not the segment's text.
    assert by_cues[(5,)].source_plain == "The tide will bring you home."


def test_an_independent_reader_parses_both_versions(project: Path) -> None:
    from translate.storage import xliff, xliff2

    two = export(project)
    store2 = xliff2.Xliff2File.parsefile(str(two))
    units2 = [unit for unit in store2.units if not unit.isheader()]
    assert len(units2) == 9  # 9 cues: one sentence over two cues, one dialogue cue of two
    assert units2[0].source == "Hello there, my friend."
    assert units2[0].target.startswith("[Ĥéļļö ţĥéŕé")
    assert store2.getsourcelanguage() == "en" and store2.gettargetlanguage() == "es"
    one = export(project, "--xliff-version", "1.2")
    store1 = xliff.xlifffile.parsefile(str(one))
    units1 = [unit for unit in store1.units if not unit.isheader()]
    # 1.2 keeps the tags as native code in <bpt>/<ept>, which this reader shows as text.
    assert [markup.strip_tags(u.source) for u in units1] == [u.source for u in units2]
    assert units1[5].source == "This is <b>really</b> important."
    assert "at most 42 characters per line" in units1[0].getnotes()
    assert units1[0].getid().endswith("u1")  # prefixed with the file by this reader


# --- import ----------------------------------------------------------------------------

def test_edited_units_change_their_cues_and_nothing_else(project: Path) -> None:
    path = export(project)
    track = project / "out" / "film.es.srt"
    before, before_times = blocks(track), times(track)
    tree, by_id = units(path)
    set_target(unit_of(by_id, 2), text("Estaba pensando que esta noche podríamos bajar "
                                       "juntos al puerto del pueblo."))

    def with_bold(target: ET.Element, source: ET.Element) -> None:
        code = next(iter(source))
        target.text = "Esto es "
        copy = ET.SubElement(target, code.tag, dict(code.attrib))
        copy.text = "muy"
        copy.tail = " importante."

    set_target(unit_of(by_id, 6), with_bold)
    # A target long enough to break the layout: the QA runs again on the reviewed track.
    set_target(unit_of(by_id, 1), text("Hola, amigo mío, " * 8), state="final")
    tree.write(path, encoding="utf-8", xml_declaration=True)

    result = review_import(path)
    assert result.exit_code == 0, result.output
    assert "3 cues changed" in result.output or "4 cues changed" in result.output
    after = blocks(track)
    assert times(track) == before_times
    changed = {index + 1 for index, (a, b) in enumerate(zip(before, after, strict=True))
               if a != b}
    assert changed == {1, 2, 3, 6}
    assert after[5].endswith("Esto es <b>muy</b> importante.")
    split = " ".join(after[1].split("\n")[2:] + after[2].split("\n")[2:])
    assert split == ("Estaba pensando que esta noche podríamos bajar juntos al puerto del "
                     "pueblo.")
    report = json.loads((project / "reviewed-report" / "report.json").read_text())
    (job,) = report["jobs"]
    rules = [issue["rule"] for issue in job["issues"]]
    assert rules.count("review-changed") == 4
    assert {"cps-max", "lines-max"} & set(rules) or "cpl-max" in rules
    change = next(i for i in job["issues"] if i["rule"] == "review-changed" and i["cue"] == 6)
    assert change["before"].startswith("[Ŧĥíš íš") or change["before"].startswith("[")
    assert change["after"] == "Esto es <b>muy</b> importante."
    html = (project / "reviewed-report" / "report.html").read_text(encoding="utf-8")
    assert "review-changed" in html and "<ins>“Esto es &lt;b&gt;muy&lt;/b&gt; importante.”</ins>" in html


def test_unchanged_files_write_nothing(project: Path) -> None:
    path = export(project)
    track = project / "out" / "film.es.srt"
    stamp = track.stat().st_mtime_ns
    result = review_import(path)
    assert result.exit_code == 0, result.output
    assert "unchanged: 0 cues changed" in result.output
    assert track.stat().st_mtime_ns == stamp


def test_a_cat_tool_round_trip_through_an_independent_writer(project: Path) -> None:
    from translate.storage import xliff, xliff2

    for version, store_class in (("2.1", xliff2.Xliff2File), ("1.2", xliff.xlifffile)):
        path = export(project, "--xliff-version", version)
        store = store_class.parsefile(str(path))
        unit = next(u for u in store.units if not u.isheader() and u.source == "Thank you.")
        unit.target = f"Muchas gracias ({version})."
        path.write_bytes(bytes(store))
        result = review_import(path)
        assert result.exit_code == 0, result.output
        assert blocks(project / "out" / "film.es.srt")[6].endswith(f"Muchas gracias ({version}).")


def test_reviewed_translations_are_remembered_and_reused(project: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = export(project)
    tree, by_id = units(path)
    set_target(unit_of(by_id, 7), text("Mil gracias."), state="reviewed")
    set_target(unit_of(by_id, 2), text("Estaba pensando que podríamos bajar al puerto esta "
                                       "noche."))
    tree.write(path, encoding="utf-8", xml_declaration=True)
    # The reviewed track goes elsewhere: out/film.es.srt stays as the first run wrote it,
    # so only the human entries can tell the next run that something changed.
    result = review_import(path, "-o", "reviewed")
    assert result.exit_code == 0, result.output
    assert "2 translations remembered" in result.output
    reviewed = (project / "reviewed" / "film.es.srt").read_bytes()

    seen: list[str] = []
    translate = PseudoEngine.translate

    def spy(self: PseudoEngine, segments: Sequence[str], *args: Any, **kwargs: Any) -> list[str]:
        seen.extend(segments)
        return translate(self, segments, *args, **kwargs)

    monkeypatch.setattr(PseudoEngine, "translate", spy)
    result = invoke("localize", "film.srt", "--to", "es", "--from", "en", "--engine", "pseudo",
                    "-o", "out", "--cache", "cache.sqlite", "--glossary", "en-es.csv",
                    "--no-default-glossary", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    assert "unchanged since an earlier run" not in result.output  # the job ran again
    assert "Thank you." not in seen and not any("thinking" in text for text in seen)
    # The next run writes what the reviewer approved, split over the cues as they saw it.
    assert (project / "out" / "film.es.srt").read_bytes() == reviewed
    report = json.loads((project / "out" / "report.json").read_text())
    human = [i for i in report["jobs"][0]["issues"] if i["rule"] == "human-translation"]
    assert sorted(i["cue"] for i in human) == [2, 7]
    html = (project / "out" / "report.html").read_text(encoding="utf-8")
    assert html.count('<span class="human" title="a reviewer\'s translation, reused">'
                      "human</span>") == 2
    # ... and the next export says they are human translations.
    (xfile,) = read_xliff(export(project).read_bytes(), "x").files
    assert {u.cues: u.state for u in xfile.units}[(7,)] == "reviewed"


def test_a_re_cut_film_never_gets_a_unit_on_the_wrong_cue(project: Path) -> None:
    path = export(project)
    tree, by_id = units(path)
    set_target(unit_of(by_id, 1), text("Hola, amigo."))            # moves: still applies
    set_target(unit_of(by_id, 7), text("Muchísimas gracias."))     # its line was rewritten
    set_target(unit_of(by_id, 8), text("Sí, claro."))              # "Yes." twice, re-timed
    tree.write(path, encoding="utf-8", xml_declaration=True)
    recut = FILM.replace("Thank you.", "Thanks a lot.")
    recut = recut.replace("00:00:20,000 --> 00:00:22,000", "00:00:20,500 --> 00:00:22,500")
    recut = recut.replace("00:00:24,000 --> 00:00:26,000", "00:00:24,500 --> 00:00:26,500")
    recut = "0\n00:00:00,100 --> 00:00:00,900\nPreviously.\n\n" + recut
    (project / "film.srt").write_text(recut, encoding="utf-8")
    result = invoke("localize", "film.srt", "--to", "es", "--from", "en", "--engine", "pseudo",
                    "-o", "out", "--cache", "cache.sqlite", "--no-default-glossary",
                    "--fail-on", "never")
    assert result.exit_code == 0, result.output
    track = project / "out" / "film.es.srt"
    before = blocks(track)
    result = review_import(path)
    assert result.exit_code == 0, result.output
    after = blocks(track)
    changed = [index for index, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed == [1]  # "Hello there, my friend." is cue 2 now
    assert after[1].endswith("Hola, amigo.")
    report = json.loads((project / "reviewed-report" / "report.json").read_text())
    left = [i for i in report["jobs"][0]["issues"] if i["rule"] == "review-unmatched"]
    assert len(left) == 2 and all(i["severity"] == "warning" for i in left)
    assert "no longer in the track" in left[0]["message"] + left[1]["message"]


# --- bad review files ----------------------------------------------------------------------

def _malformed(path: Path, project: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace("</unit>", "</unti>", 1),
                    encoding="utf-8")


def _other_pair(path: Path, project: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace('trgLang="es"', 'trgLang="fr"'),
                    encoding="utf-8")


def _other_file(path: Path, project: Path) -> None:
    (project / "other.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nSomething else.\n\n"
                                       + "\n\n".join(FILM.split("\n\n")[1:]).replace(
                                           "Hello there", "Goodbye"), encoding="utf-8")
    (project / "other.es.srt").write_text("\n\n".join(
        b for b in (project / "out" / "film.es.srt").read_text(encoding="utf-8").split("\n\n")),
        encoding="utf-8")
    text_ = path.read_text(encoding="utf-8")
    for word in ("Hello", "thinking", "coming", "course", "tide", "really", "Thank", "Yes"):
        text_ = text_.replace(word, "Zz" + word)
    path.write_text(text_, encoding="utf-8")


def _broken_tag(path: Path, project: Path) -> None:
    tree, by_id = units(path)

    def lost_closing(target: ET.Element, source: ET.Element) -> None:
        code = next(iter(source))
        target.text = "Esto es "
        start = ET.SubElement(target, f"{{{XLIFF2}}}sc", {"id": code.get("id", ""),
                                                          "dataRef": "d1"})
        start.tail = "muy importante."

    set_target(unit_of(by_id, 6), lost_closing)
    tree.write(path, encoding="utf-8", xml_declaration=True)


@pytest.mark.parametrize(("damage", "says"), [
    (_malformed, r"film\.en-es\.xlf:\d+: malformed XML"),
    (_other_pair, r"film\.en-es\.xlf: is for en->fr, and the track .* is in es"),
    (_other_file, r"film\.en-es\.xlf: none of its 9 units matches"),
    (_broken_tag, r"film\.en-es\.xlf: unit u\d+: the target lacks its closing tag: inline code 1"),
])
def test_a_bad_file_is_one_line_exit_2_and_the_others_still_import(
        project: Path, damage: Callable[[Path, Path], None], says: str) -> None:
    good = export(project)
    bad = project / "review-bad" / good.name
    bad.parent.mkdir()
    bad.write_bytes(good.read_bytes())
    damage(bad, project)
    tree, by_id = units(good)
    set_target(unit_of(by_id, 7), text("Gracias de verdad."))
    tree.write(good, encoding="utf-8", xml_declaration=True)
    track = project / "out" / "film.es.srt"
    result = review_import(bad, good)
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and re.search(says, errors[0]), errors
    assert "Traceback" not in result.output
    # The good file still imported; the bad one wrote nothing.
    assert blocks(track)[6].endswith("Gracias de verdad.")
    assert "film.en-es.xlf: " in result.output and "1 cues changed" in result.output


def test_corrections_from_the_report_page(project: Path) -> None:
    track = project / "out" / "film.es.srt"
    cues = load(track).cues
    source = load(project / "film.srt").cues

    def item(index: int, **fields: Any) -> dict[str, Any]:
        cue = cues[index]
        return {"id": cue.id, "start_ms": cue.start_ms, "end_ms": cue.end_ms,
                "source": source[index].text, "mt": cue.text, "approved": False, **fields}

    corrections = {"schema": "subloc.corrections/1", "run_id": None, "jobs": [{
        "source": "film.srt", "target": "out/film.es.srt", "source_lang": "en",
        "target_lang": "es", "cues": [
            item(0, target="¡Hola, amigo!", comment="más cálido"),
            item(4, target="<i>La marea te traerá a casa.</i>", approved=True),
            item(6, approved=True),
        ]}]}
    path = project / "corrections.json"
    path.write_text(json.dumps(corrections, ensure_ascii=False), encoding="utf-8")
    before = blocks(track)
    result = review_import(path)
    assert result.exit_code == 0, result.output
    after = blocks(track)
    assert [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b] == [0, 4]
    assert after[4].endswith("<i>La marea te traerá a casa.</i>")
    report = json.loads((project / "reviewed-report" / "report.json").read_text())
    comments = [i for i in report["jobs"][0]["issues"] if i["rule"] == "review-comment"]
    assert [(c["cue"], c["message"]) for c in comments] == [(1, "más cálido")]
    cache = TranslationCache(project / "cache.sqlite")
    try:
        found = cache.get_human("en", "es", ["Hello there, my friend.",
                                             "The tide will bring you home.", "Thank you."])
    finally:
        cache.close()
    assert found["Hello there, my friend."].translation == "¡Hola, amigo!"
    assert found["The tide will bring you home."] == HumanEntry(
        "The tide will bring you home.", "La marea te traerá a casa.", "final", (),
        "corrections.json")
    assert found["Thank you."].state == "final"  # approved as it was
    # An edit that drops a tag is refused, and nothing of that file is written.
    corrections["jobs"][0]["cues"] = [item(5, target="Esto es muy importante.")]
    path.write_text(json.dumps(corrections, ensure_ascii=False), encoding="utf-8")
    result = review_import(path)
    assert result.exit_code == 2
    assert re.search(r"corrections\.json: cue 6: the edit breaks a tag", result.output)
    assert blocks(track) == after


def test_confidence_drives_review_priority(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    from argos_factory import build_argos_package, install_package

    packages = tmp_path / "argos-packages"
    install_package(build_argos_package(tmp_path / "built", seed=3), packages)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    monkeypatch.setenv("SUBLOC_MODELS_DIR", str(tmp_path / "subloc-models"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "film.srt").write_text(FILM, encoding="utf-8")
    args = ["localize", "film.srt", "--to", "es", "--from", "en", "--engine", "argos", "-o",
            "out", "--cache", "cache.sqlite", "--no-default-glossary", "--fail-on", "never",
            "--threads", "1"]
    first = invoke(*args, "--review-below", "-0.001")
    assert first.exit_code == 0, first.output
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    scores = {item["cue"]: item["score"] for item in report["jobs"][0]["confidence"]}
    assert set(scores) == set(range(1, 10)) and all(s <= 0 for s in scores.values())
    low = [i for i in report["jobs"][0]["issues"] if i["rule"] == "mt-low-confidence"]
    assert low and all(i["value"] < -0.001 and i["limit"] == -0.001 for i in low)
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert html.count('<span class="conf" title="engine confidence') == 9
    assert 'id="f-sort"' in html and 'value="conf"' in html
    # A rerun is answered from the cache, confidence included, with the same report.
    again = invoke(*args, "--review-below", "-0.001")
    assert "unchanged since an earlier run" in again.output
    assert json.loads((tmp_path / "out" / "report.json").read_text()) == report
    result = invoke("review", "export", "out", "--review-below", "-0.001", "--cache",
                    "cache.sqlite", "--no-default-glossary")
    assert result.exit_code == 0, result.output
    (xfile,) = read_xliff((tmp_path / "out" / "film.en-es.xlf").read_bytes(), "x").files
    for unit in xfile.units:
        assert unit.confidence == pytest.approx(min(scores[c] for c in unit.cues), abs=1e-4)
        assert unit.needs_review == (unit.confidence < -0.001)


def test_old_caches_keep_working(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE translations (engine TEXT NOT NULL, source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL, source_text TEXT NOT NULL, translation TEXT NOT NULL,
            PRIMARY KEY (engine, source_lang, target_lang, source_text)) WITHOUT ROWID;
        CREATE TABLE jobs (key TEXT PRIMARY KEY, result BLOB NOT NULL) WITHOUT ROWID;
        INSERT INTO translations VALUES ('pseudo:1', 'en', 'es', 'Hi.', '[Ĥí. ~~]');
    """)
    db.commit()
    db.close()
    cache = TranslationCache(path)
    try:
        assert cache.get_many("pseudo:1", "en", "es", ["Hi."]) == {"Hi.": "[Ĥí. ~~]"}
        assert cache.get_scores("pseudo:1", "en", "es", ["Hi."]) == {}
        assert cache.human_generation() == "0"
        assert cache.put_human("EN", "es_mx", [HumanEntry("Hi.", "Hola.")]) == 1
        assert cache.human_generation() == "1"
        assert cache.get_human("en", "es-MX", ["Hi."])["Hi."].translation == "Hola."
    finally:
        cache.close()


def test_engines_without_scores_mark_cues_with_unknown_words(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from subloc.engines.base import Note, Translated

    def noticing(self: PseudoEngine, segments: Sequence[str], *args: Any, **kwargs: Any
                 ) -> list[Translated]:
        return [Translated(text.upper(), (Note("mt-unknown-word", "did not know it", "info",
                                               ("harbour", "tonight")),)
                           if "harbour" in text else ())
                for text in segments]

    monkeypatch.setattr(PseudoEngine, "translate_with_notes", noticing)
    result = invoke("localize", "film.srt", "--to", "fr", "--from", "en", "--engine", "pseudo",
                    "-o", "out", "--no-cache", "--no-default-glossary", "--fail-on", "never",
                    "--review-below", "-0.5")
    assert result.exit_code == 0, result.output
    report = json.loads((project / "out" / "report.json").read_text())
    job = next(j for j in report["jobs"] if j["target_lang"] == "fr")
    (low,) = [i for i in job["issues"] if i["rule"] == "mt-low-confidence"]
    assert low["cue"] == 2 and low["value"] == 2
    assert "gives no confidence score; 2 unknown words" in low["message"]
    assert "confidence" not in job


@pytest.mark.parametrize(("version", "unit"), [("2.0", "unit"), ("1.2", "trans-unit")])
def test_a_unit_id_seen_twice_is_refused(version: str, unit: str) -> None:
    from subloc.errors import SublocError

    if version == "2.0":
        body = (f'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" '
                f'srcLang="en" trgLang="es"><file id="f1">'
                f'<{unit} id="u1"><segment><source>a</source></segment></{unit}>'
                f'<{unit} id="u1"><segment><source>b</source></segment></{unit}>'
                f'</file></xliff>')
    else:
        body = ('<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">'
                '<file original="f" source-language="en" target-language="es" '
                'datatype="plaintext"><body>'
                f'<{unit} id="u1"><source>a</source></{unit}>'
                f'<{unit} id="u1"><source>b</source></{unit}>'
                '</body></file></xliff>')
    with pytest.raises(SublocError, match="unit u1 appears twice"):
        read_xliff(body.encode("utf-8"), "film.es.xlf")

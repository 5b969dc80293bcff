"""TBX glossaries: TBX-Basic v2 (martif) and TBX v3 (tbx) read into the CSV model, written
back, and refused when unsafe or malformed."""

from __future__ import annotations

import textwrap
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from subloc.errors import DecodeError, OutputError, ParseError
from subloc.glossary.csvio import parse_csv, read_csv, write_csv
from subloc.glossary.model import Entry, Glossary
from subloc.glossary.tbx import parse_tbx, read_tbx, write_tbx

DATA = Path(__file__).resolve().parent / "data" / "glossary"
CSV = DATA / "en-es.csv"
NS = "{urn:iso:std:iso:30042:ed-2}"


def key(glossary: Glossary) -> list[tuple[str, tuple[str, ...], str, bool, str]]:
    return [(e.source, e.targets, e.type, e.case_sensitive, e.note) for e in glossary.entries]


def v3(body: str, root_lang: str = "en", header: str = "") -> str:
    return textwrap.dedent(f"""\
        <?xml version="1.0" encoding="UTF-8"?>
        <tbx type="TBX-Basic" style="dca" xml:lang="{root_lang}" xmlns="urn:iso:std:iso:30042:ed-2">
          <tbxHeader><fileDesc><sourceDesc><p>test</p>{header}</sourceDesc></fileDesc></tbxHeader>
          <text>
            <body>
        """) + textwrap.dedent(body) + "    </body>\n  </text>\n</tbx>\n"


# ----------------------------------------------------------------- the fixtures


def test_csv_fixture_is_in_canonical_form() -> None:
    glossary = read_csv(CSV)
    assert glossary.pair == ("en", "es")
    assert write_csv(glossary) == CSV.read_text(encoding="utf-8")
    assert {entry.type for entry in glossary.entries} == {"term", "dnt", "forbidden", "adapt"}


@pytest.mark.parametrize("name", ["sample-v2.tbx", "sample-v3.tbx"])
def test_fixture_reads_to_the_csv_entries(name: str) -> None:
    expected = read_csv(CSV)
    glossary = read_tbx(DATA / name)
    assert glossary.pair == ("en", "es")
    assert key(glossary) == key(expected)
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    for entry in glossary.entries:
        assert entry.origin == str(DATA / name)
        assert entry.line is not None
        assert "<termEntry" in lines[entry.line - 1] or "<conceptEntry" in lines[entry.line - 1]


@pytest.mark.parametrize("version", [2, 3])
def test_csv_to_tbx_to_csv_gives_the_same_text(version: int) -> None:
    glossary = read_csv(CSV)
    again = parse_tbx(write_tbx(glossary, version=version), origin="x.tbx")
    assert again.pair == glossary.pair
    assert write_csv(again) == CSV.read_text(encoding="utf-8")


@pytest.mark.parametrize("version", [2, 3])
def test_written_tbx_is_deterministic_and_escaped(version: int) -> None:
    glossary = read_csv(CSV)
    text = write_tbx(glossary, version=version)
    assert text == write_tbx(read_csv(CSV), version=version)
    assert "Agent &lt;name&gt; &amp; rank" in text
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    assert text.endswith("</tbx>\n" if version == 3 else "</martif>\n")
    assert write_tbx(glossary) == write_tbx(glossary, version=3)


def _children(element: ET.Element) -> list[str]:
    return [child.tag.rpartition("}")[2] for child in element]


@pytest.mark.parametrize("version", [2, 3])
def test_written_tbx_follows_the_core_structure(version: int) -> None:
    """The content models of the v2 core DTD and the v3 core RNG: auxiliary information
    before language sections, term first in a term section, then termNote, then the rest."""
    root = ET.fromstring(write_tbx(read_csv(CSV), version=version))
    ns = NS if version == 3 else ""
    names = {2: ("martif", "martifHeader", "termEntry", "langSet", "tig"),
             3: ("tbx", "tbxHeader", "conceptEntry", "langSec", "termSec")}[version]
    root_name, header, concept_tag, lang_tag, term_tag = names
    assert root.tag == ns + root_name
    assert root.get("type") == "TBX-Basic"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    if version == 3:
        assert root.get("style") == "dca"
    assert _children(root) == [header, "text"]
    assert root.find(f"{ns}{header}/{ns}fileDesc/{ns}sourceDesc/{ns}p") is not None
    concepts = root.findall(f"{ns}text/{ns}body/{ns}{concept_tag}")
    assert [c.get("id") for c in concepts] == [f"c{n}" for n in range(1, len(concepts) + 1)]
    aux = {"descrip", "note", "admin", "descripGrp", "adminGrp", "ref", "xref", "transacGrp"}
    for concept in concepts:
        kinds = _children(concept)
        first_lang = kinds.index(lang_tag)
        assert set(kinds[:first_lang]) <= aux
        assert set(kinds[first_lang:]) == {lang_tag}
        for lang in concept.findall(f"{ns}{lang_tag}"):
            assert lang.get("{http://www.w3.org/XML/1998/namespace}lang") in ("en", "es")
            assert _children(lang) and set(_children(lang)) == {term_tag}
            for section in lang:
                parts = _children(section)
                assert parts[0] == "term"
                assert parts[1:] == ["termNote"] * (len(parts) - 1)


# ----------------------------------------------------------------- generated glossaries

_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    min_size=1, max_size=20,
).filter(lambda s: s == s.strip() and bool(s))
_NOTE = st.one_of(
    st.just(""),
    st.lists(st.one_of(_TEXT, st.sampled_from(["\n", "\r\n", "\t", " & ", "<b>", "]]>", "DNT",
                                               "adapt", "do not translate"])),
             min_size=1, max_size=4).map("".join).map(str.strip),
)


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    kind = draw(st.sampled_from(["term", "dnt", "forbidden", "adapt"]))
    source = draw(st.just("") | _TEXT) if kind == "forbidden" else draw(_TEXT)
    minimum = 0 if kind == "dnt" else 1
    targets = tuple(draw(st.lists(_TEXT, min_size=minimum, max_size=3)))
    return Entry(source=source, targets=targets, type=kind, case_sensitive=draw(st.booleans()),
                 note=draw(_NOTE))


@st.composite
def glossaries(draw: st.DrawFn) -> Glossary:
    languages = draw(st.lists(st.sampled_from(["en", "es", "fr-CA", "pt-BR", "zh-Hans", "de"]),
                              min_size=2, max_size=2, unique=True))
    return Glossary(languages[0], languages[1], draw(st.lists(entries(), max_size=8)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(glossaries(), st.sampled_from([2, 3]))
def test_write_then_parse_round_trips(glossary: Glossary, version: int) -> None:
    text = write_tbx(glossary, version=version)
    again = parse_tbx(text, origin="gen.tbx")
    assert again.pair == glossary.pair
    assert key(again) == key(glossary)
    assert write_tbx(again, version=version) == text


def test_empty_and_single_language_glossaries_keep_their_pair() -> None:
    for glossary in (Glossary("en", "ja"),
                     Glossary("en", "ja", [Entry("Netflix", (), "dnt", note="Brand")])):
        for version in (2, 3):
            again = parse_tbx(write_tbx(glossary, version=version))
            assert again.pair == ("en", "ja")
            assert key(again) == key(glossary)


# ----------------------------------------------------------------- safety and errors


@pytest.mark.parametrize("name", ["bomb.tbx", "external.tbx"])
def test_unsafe_xml_is_refused_quickly(name: str) -> None:
    started = time.perf_counter()
    with pytest.raises(ParseError) as caught:
        read_tbx(DATA / name)
    assert time.perf_counter() - started < 1.0
    assert caught.value.path == str(DATA / name)
    assert caught.value.line == 2
    assert name in str(caught.value)
    assert "DOCTYPE" in str(caught.value)


def test_the_plain_tbx_basic_doctype_is_accepted_and_lines_still_count() -> None:
    text = textwrap.dedent("""\
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE martif SYSTEM
          "TBXBasiccoreStructV02.dtd">
        <martif type="TBX-Basic" xml:lang="en">
          <text>
            <body>
              <termEntry id="c1">
                <langSet xml:lang="en"><tig><term>ship</term></tig></langSet>
                <langSet xml:lang="es"><tig><term>nave</term></tig></langSet>
              </termEntry>
            </body>
          </text>
        </martif>
        """)
    glossary = parse_tbx(text)
    assert key(glossary) == [("ship", ("nave",), "term", False, "")]
    assert glossary.entries[0].line == 7
    # anything more in the DOCTYPE is still refused
    subset = text.replace('"TBXBasiccoreStructV02.dtd">', '"x.dtd" [<!ENTITY a "b">]>')
    with pytest.raises(ParseError, match="DOCTYPE"):
        parse_tbx(subset)
    # an undeclared entity is an error, not silently skipped
    with pytest.raises(ParseError, match="undefined entity"):
        parse_tbx(text.replace("<term>nave</term>", "<term>&nave;</term>"))


def test_malformed_tbx_names_the_line() -> None:
    text = v3("""\
          <conceptEntry id="c1">
            <langSec xml:lang="en"><termSec><term>ship</term></termSec></langSec>
            <langSec xml:lang="es"><termSec><term>nave</termSec></langSec>
          </conceptEntry>
        """)
    with pytest.raises(ParseError) as caught:
        parse_tbx(text, origin="broken.tbx")
    assert caught.value.line == 8
    assert "malformed XML" in str(caught.value)
    assert str(caught.value).startswith("broken.tbx:8:")


def test_a_root_that_is_not_tbx_is_refused() -> None:
    with pytest.raises(ParseError, match="not a TBX file"):
        parse_tbx('<?xml version="1.0"?>\n<tt xmlns="http://www.w3.org/ns/ttml"/>')


def test_bad_custom_values_are_errors_with_the_line() -> None:
    text = v3("""\
          <conceptEntry id="c1">
            <descrip type="subloc-case-sensitive">maybe</descrip>
            <langSec xml:lang="en"><termSec><term>ship</term></termSec></langSec>
            <langSec xml:lang="es"><termSec><term>nave</term></termSec></langSec>
          </conceptEntry>
        """)
    with pytest.raises(ParseError, match="subloc-case-sensitive") as caught:
        parse_tbx(text)
    assert caught.value.line == 7
    with pytest.raises(ParseError, match="subloc-type 'translate'"):
        parse_tbx(text.replace('subloc-case-sensitive">maybe', 'subloc-type">translate'))


# ----------------------------------------------------------------- languages


_TRILINGUAL = """\
  <conceptEntry id="c1">
    <langSec xml:lang="en"><termSec><term>ship</term></termSec></langSec>
    <langSec xml:lang="fr"><termSec><term>navire</term></termSec></langSec>
    <langSec xml:lang="de-DE"><termSec><term>Schiff</term></termSec></langSec>
  </conceptEntry>
"""


def test_more_than_two_languages_need_a_pair() -> None:
    with pytest.raises(ParseError, match=r"concept on line 6 has languages en, fr, de-DE; "
                                         r"pass a pair") as caught:
        parse_tbx(v3(_TRILINGUAL))
    assert caught.value.line == 6
    assert key(parse_tbx(v3(_TRILINGUAL), pair=("en", "fr"))) == [
        ("ship", ("navire",), "term", False, "")]
    german = parse_tbx(v3(_TRILINGUAL), pair=("fr", "de"))  # de matches de-DE
    assert german.pair == ("fr", "de")
    assert key(german) == [("navire", ("Schiff",), "term", False, "")]
    # a pair that is not in the concept gives nothing for it
    assert parse_tbx(v3(_TRILINGUAL), pair=("en", "ja")).entries == []


def test_a_third_language_across_concepts_needs_a_pair() -> None:
    text = v3("""\
          <conceptEntry id="c1">
            <langSec xml:lang="en"><termSec><term>ship</term></termSec></langSec>
            <langSec xml:lang="es"><termSec><term>nave</term></termSec></langSec>
          </conceptEntry>
          <conceptEntry id="c2">
            <langSec xml:lang="en"><termSec><term>ship</term></termSec></langSec>
            <langSec xml:lang="it"><termSec><term>nave</term></termSec></langSec>
          </conceptEntry>
        """)
    with pytest.raises(ParseError, match=r"concept on line 10 has languages en, it.*pass a pair"):
        parse_tbx(text)
    assert len(parse_tbx(text, pair=("en", "it")).entries) == 1


def test_source_language_from_the_root_else_the_first_language_section() -> None:
    body = """\
          <conceptEntry id="c1">
            <langSec xml:lang="es"><termSec><term>nave</term></termSec></langSec>
            <langSec xml:lang="en"><termSec><term>ship</term></termSec></langSec>
          </conceptEntry>
        """
    from_root = parse_tbx(v3(body, root_lang="en"))
    assert from_root.pair == ("en", "es")
    assert key(from_root) == [("ship", ("nave",), "term", False, "")]
    first = parse_tbx(v3(body, root_lang="fr"))
    assert first.pair == ("es", "en")
    assert key(first) == [("nave", ("ship",), "term", False, "")]
    # no concept has both languages: the order they first appear in
    split = v3("""\
          <conceptEntry id="c1">
            <langSec xml:lang="en"><termSec><term>Netflix</term></termSec></langSec>
            <note>DNT</note>
          </conceptEntry>
          <conceptEntry id="c2">
            <langSec xml:lang="es"><termSec><term>celular</term>
              <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>
            </termSec></langSec>
          </conceptEntry>
        """, root_lang="fr")
    assert parse_tbx(split).pair == ("en", "es")
    assert key(parse_tbx(split)) == [("Netflix", (), "dnt", False, ""),
                                     ("", ("celular",), "forbidden", False, "")]


# ----------------------------------------------------------------- mapping details


def test_statuses_synonyms_and_source_synonyms() -> None:
    text = v3("""\
          <conceptEntry id="c1">
            <langSec xml:lang="en">
              <termSec><term>text editor</term>
                <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec>
              <termSec><term>editor</term>
                <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
              <termSec><term>word processor</term>
                <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
            </langSec>
            <langSec xml:lang="es">
              <termSec><term>procesador</term>
                <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></termSec>
              <termSec><term>editor de <hi type="italics">texto</hi></term></termSec>
              <termSec><term>editor</term>
                <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
            </langSec>
          </conceptEntry>
        """)
    assert key(parse_tbx(text)) == [
        ("editor", ("editor", "editor de texto"), "term", False, ""),
        ("text editor", ("editor", "editor de texto"), "term", False, ""),
        ("editor", ("procesador",), "forbidden", False, ""),
    ]


def test_notes_from_every_level_and_markers() -> None:
    text = v3("""\
          <conceptEntry id="c1">
            <descrip type="subjectField">brands</descrip>
            <note>Brand name; do not translate in dialogue</note>
            <langSec xml:lang="en">
              <descrip type="definition">A streaming service</descrip>
              <termSec><term>Netflix</term><note>DNT.</note></termSec>
            </langSec>
            <langSec xml:lang="fr">
              <note>ignored: another language</note>
              <termSec><term>Netflix</term></termSec>
            </langSec>
          </conceptEntry>
        """)
    assert key(parse_tbx(text, pair=("en", "es"))) == [
        ("Netflix", (), "dnt", False,
         "Brand name; do not translate in dialogue; A streaming service")]


def test_tbx_v3_dct_style_data_categories() -> None:
    text = textwrap.dedent("""\
        <?xml version="1.0" encoding="UTF-8"?>
        <tbx type="TBX-Basic" style="dct" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"
             xmlns:basic="http://www.tbxinfo.net/ns/basic" xmlns:min="http://www.tbxinfo.net/ns/min">
          <tbxHeader><fileDesc><sourceDesc><p>dct</p></sourceDesc></fileDesc></tbxHeader>
          <text><body>
            <conceptEntry id="c1">
              <min:definition>A vehicle for space travel</min:definition>
              <langSec xml:lang="en"><termSec><term>spaceship</term></termSec></langSec>
              <langSec xml:lang="es">
                <termSec><term>astronave</term>
                  <basic:administrativeStatus>deprecatedTerm-admn-sts</basic:administrativeStatus>
                </termSec>
                <termSec><term>nave espacial</term></termSec>
              </langSec>
            </conceptEntry>
          </body></text>
        </tbx>
        """)
    assert key(parse_tbx(text)) == [
        ("spaceship", ("nave espacial",), "term", False, "A vehicle for space travel"),
        ("spaceship", ("astronave",), "forbidden", False, "A vehicle for space travel"),
    ]


def test_read_tbx_decodes_utf16_and_declared_encodings(tmp_path: Path) -> None:
    text = (DATA / "sample-v2.tbx").read_text(encoding="utf-8")
    utf16 = tmp_path / "utf16.tbx"
    utf16.write_bytes(text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    assert key(read_tbx(utf16)) == key(read_csv(CSV))
    latin = tmp_path / "latin.tbx"
    latin.write_bytes(text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
                      .encode("iso-8859-1"))
    assert key(read_tbx(latin)) == key(read_csv(CSV))
    broken = tmp_path / "broken.tbx"
    broken.write_bytes(b'<?xml version="1.0"?>\n<martif>\xff</martif>')
    with pytest.raises(DecodeError):
        read_tbx(broken)


def test_write_refuses_what_tbx_cannot_hold() -> None:
    with pytest.raises(OutputError, match="U\\+0001"):
        write_tbx(Glossary("en", "es", [Entry("a\x01", ("b",), "term")]))
    with pytest.raises(OutputError, match="needs a target"):
        write_tbx(Glossary("en", "es", [Entry("a", (), "term")]))
    with pytest.raises(OutputError, match="two different languages"):
        write_tbx(parse_csv("source,target,type\nship,nave,term\n", problems=[]))
    with pytest.raises(ValueError):
        write_tbx(Glossary("en", "es"), version=4)

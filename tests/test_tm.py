"""``subloc tm``: human translations out as TMX 1.4b and back, read by an independent
reader, and used by the next run instead of MT."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from subloc.cli import main
from subloc.engines.cache import HumanEntry, TranslationCache
from subloc.io.tmx import TmxEntry, read_tmx, write_tmx

ENTRIES = {
    ("en", "es"): [
        HumanEntry("Hello there, my friend.", "Hola, amigo mío.", "final", (), "film.xlf"),
        HumanEntry("This is <b>really</b> important.", "Esto es <b>muy</b> importante.",
                   "reviewed", (), "film.xlf"),
        HumanEntry("I was thinking that we could go down to the harbour tonight.",
                   "Pensaba que esta noche podríamos bajar al puerto.", "reviewed",
                   ("Pensaba que esta noche", "podríamos bajar al puerto."), "corrections.json"),
        HumanEntry("Odd </i>tag & <font color=\"#ff0000\">red", "Raro </i>tag & "
                   "<font color=\"#ff0000\">rojo", "reviewed", (), "film.xlf"),
    ],
    ("en", "fr"): [HumanEntry("Thank you.", "Merci.", "final", (), "film.fr.xlf")],
}


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def fill(path: Path) -> None:
    cache = TranslationCache(path)
    try:
        for (source, target), entries in ENTRIES.items():
            assert cache.put_human(source, target, entries) == len(entries)
    finally:
        cache.close()


def stored(path: Path) -> list[tuple[str, str, HumanEntry]]:
    cache = TranslationCache(path)
    try:
        return cache.human_entries()
    finally:
        cache.close()


def test_tmx_round_trip(tmp_path: Path) -> None:
    fill(tmp_path / "a.sqlite")
    result = invoke("tm", "export", tmp_path / "memory.tmx", "--cache", tmp_path / "a.sqlite")
    assert result.exit_code == 0, result.output
    assert "Wrote 5 translation units" in result.output
    data = (tmp_path / "memory.tmx").read_bytes()
    assert b'<tmx version="1.4">' in data and b'srclang="en"' in data
    assert b'<bpt i="1" x="1">&lt;b&gt;</bpt>muy<ept i="1">&lt;/b&gt;</ept>' in data
    assert b'<it pos="end" x="1">&lt;/i&gt;</it>' in data
    result = invoke("tm", "import", tmp_path / "memory.tmx", "--cache", tmp_path / "b.sqlite")
    assert result.exit_code == 0, result.output
    assert "Stored 5 human translations from 1 file" in result.output
    assert stored(tmp_path / "b.sqlite") == stored(tmp_path / "a.sqlite")
    # Same memory, same bytes.
    invoke("tm", "export", tmp_path / "again.tmx", "--cache", tmp_path / "b.sqlite")
    assert (tmp_path / "again.tmx").read_bytes() == data


def test_an_independent_reader_reads_the_tmx(tmp_path: Path) -> None:
    from translate.storage import tmx

    fill(tmp_path / "a.sqlite")
    invoke("tm", "export", tmp_path / "memory.tmx", "--pair", "en-es", "--cache",
           tmp_path / "a.sqlite")
    store = tmx.tmxfile.parsefile(str(tmp_path / "memory.tmx"))
    pairs = {(unit.source, unit.target) for unit in store.units}
    assert ("Hello there, my friend.", "Hola, amigo mío.") in pairs
    assert len(store.units) == 4


def test_cat_tool_memories_are_stored_under_the_codes_runs_use(tmp_path: Path) -> None:
    (tmp_path / "trados.tmx").write_text(textwrap.dedent("""\
        <?xml version="1.0" encoding="UTF-8"?>
        <tmx version="1.4">
          <header creationtool="SDL" creationtoolversion="1" segtype="sentence" o-tmf="x"
                  adminlang="en-US" srclang="en-US" datatype="plaintext"/>
          <body>
            <tu><tuv xml:lang="en-US"><seg>Good   <hi>morning</hi>.</seg></tuv>
                <tuv xml:lang="es-ES"><seg>Buenos días.</seg></tuv>
                <tuv xml:lang="de-DE"><seg>Guten Morgen.</seg></tuv></tu>
          </body>
        </tmx>
        """), encoding="utf-8")
    result = invoke("tm", "import", tmp_path / "trados.tmx", "--source-lang", "en",
                    "--target-lang", "es", "--state", "final", "--cache", tmp_path / "c.sqlite")
    assert result.exit_code == 0, result.output
    assert stored(tmp_path / "c.sqlite") == [
        ("en", "es", HumanEntry("Good morning.", "Buenos días.", "final", (), "trados.tmx"))]


@pytest.mark.parametrize(("content", "says"), [
    ("<tmx version='1.4'><header", r"bad\.tmx:1: malformed XML"),
    ("<xliff/>", r"bad\.tmx: is not TMX"),
    ("<tmx version='1.4'><header srclang='en'/><body><tu tuid='7'><tuv xml:lang='en'>"
     "<seg><bpt i='1'>&lt;i&gt;</bpt>x</seg></tuv></tu></body></tmx>",
     r"bad\.tmx: tu 7 \(en\): <bpt i=\"1\"> has no <ept>"),
])
def test_a_bad_tmx_is_one_line_exit_2_and_the_others_still_import(
        tmp_path: Path, content: str, says: str) -> None:
    import re

    fill(tmp_path / "a.sqlite")
    invoke("tm", "export", tmp_path / "good.tmx", "--cache", tmp_path / "a.sqlite")
    (tmp_path / "bad.tmx").write_text(content, encoding="utf-8")
    result = invoke("tm", "import", tmp_path / "bad.tmx", tmp_path / "good.tmx", "--cache",
                    tmp_path / "b.sqlite")
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and re.search(says, errors[0]), errors
    assert len(stored(tmp_path / "b.sqlite")) == 5


def test_write_and_read_tmx_directly() -> None:
    entries = [TmxEntry("en", "es", "A <i>b</i> {\\an8}c", "D <i>e</i> {\\an8}f", "final", "x",
                        ("D <i>e</i>", "{\\an8}f"))]
    data, replaced = write_tmx(entries)
    assert replaced == 0
    assert read_tmx(data, "m.tmx") == entries


def test_the_next_run_uses_an_imported_memory(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "film.srt").write_text(textwrap.dedent("""\
        1
        00:00:01,000 --> 00:00:03,000
        Hello there, my friend.

        2
        00:00:04,000 --> 00:00:06,000
        See you tomorrow.
        """), encoding="utf-8")
    fill(tmp_path / "a.sqlite")
    invoke("tm", "export", "memory.tmx", "--cache", "a.sqlite")
    assert invoke("tm", "import", "memory.tmx", "--cache", "cache.sqlite").exit_code == 0
    result = invoke("localize", "film.srt", "--to", "es", "--from", "en", "--engine", "pseudo",
                    "-o", "out", "--cache", "cache.sqlite", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    track = (tmp_path / "out" / "film.es.srt").read_text(encoding="utf-8")
    assert "Hola, amigo mío." in track and "[Šéé ýöû ţöɱöŕŕöŵ" in track
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    (human,) = [i for i in report["jobs"][0]["issues"] if i["rule"] == "human-translation"]
    assert human["cue"] == 1 and human["value"] == "final"

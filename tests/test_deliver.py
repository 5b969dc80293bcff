"""Delivery presets (``--deliver``), ``delivery.json``, ``subloc deliver check``, and the
SDH and cinema QA profiles."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from subloc.cli import main
from subloc.errors import UsageError
from subloc.io.read import load
from subloc.pipeline.deliver import (
    DeliveryTrack,
    check_folder,
    deliver,
    kind_from_name,
    language_from_name,
)
from subloc.pipeline.presets import builtin_presets, canonical_case, load_preset
from subloc.qa.profiles import load_profile
from subloc.qa.rules import CheckContext, check
from subloc.track import Cue, Track

SAMPLES = Path(__file__).resolve().parent.parent / "sample_subs"
FILM = SAMPLES / "harbour_lights.srt"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TT = "{http://www.w3.org/ns/ttml}"


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # DCP IssueDate


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def manifest(folder: Path) -> dict[str, dict[str, object]]:
    document = json.loads((folder / "delivery.json").read_text(encoding="utf-8"))
    return {entry["file"]: entry for entry in document["files"]}


#: A short line in each language whose lines English text would overflow (CJK).
CJK = {"ja": "はい、そうです。", "zh": "好的，我知道了。", "ko": "네, 알겠어요."}


def film_in(language: str, folder: Path) -> Path:
    """The sample film, its text replaced by a short line in ``language`` when English
    lines are too wide for it (Japanese: 13 characters a line), else as it is."""
    base = language.split("-")[0]
    if base not in CJK:
        return FILM
    track = load(FILM)
    for cue in track.cues:
        cue.lines = [CJK[base]]
    from subloc.io.write import save

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"harbour_lights.{language}.srt"
    save(track, path, format="srt")
    return path


def deliver_film(folder: Path, preset: str, language: str, *extra: str) -> tuple[int, str]:
    source = film_in(language, folder.parent / f"sources-{folder.name}")
    code, out, err = run("convert", str(source), "--deliver", preset, "--lang", language,
                         "-o", str(folder), *extra)
    return code, out + err


# --------------------------------------------------------------------------------------
# Each preset on the sample film


#: preset -> (language, kind) -> (file name, format) of every file it promises.
PROMISED = {
    "netflix": {("en", "subtitles"): [("harbour_lights_en.dfxp", "ttml")],
                ("es-419", "subtitles"): [("harbour_lights_es-419.dfxp", "ttml")],
                ("ja", "subtitles"): [("harbour_lights_ja.ttml", "ttml")],
                ("en", "sdh"): [("harbour_lights_en_SDH.dfxp", "ttml")],
                ("fr-CA", "forced"): [("harbour_lights_fr-CA_FORCED.dfxp", "ttml")]},
    "prime": {("en", "subtitles"): [("harbour_lights_en.srt", "srt")],
              ("en", "sdh"): [("harbour_lights_en_SDH.srt", "srt"),
                              ("harbour_lights_en_SDH.scc", "scc")],
              ("de", "forced"): [("harbour_lights_de_FORCED.srt", "srt")]},
    "youtube": {("es-419", "subtitles"): [("harbour_lights.es-419.srt", "srt")],
                ("zh-Hant", "subtitles"): [("harbour_lights.zh-Hant.srt", "srt")],
                ("en", "sdh"): [("harbour_lights.en.sdh.srt", "srt")]},
    "vimeo": {("pt-BR", "subtitles"): [("harbour_lights.pt-BR.vtt", "vtt")],
              ("en", "sdh"): [("harbour_lights.en.captions.vtt", "vtt")]},
    "festival": {("en", "subtitles"): [("harbour_lights_screener_en.srt", "srt"),
                                       ("harbour_lights_en_dcp.xml", "dcp")],
                 ("fr", "subtitles"): [("harbour_lights_fr_dcp.xml", "dcp")]},
    "hulu": {("es-419", "subtitles"): [("harbour_lights_es-419.dfxp", "ttml")],
             ("en", "sdh"): [("harbour_lights_en_CC.scc", "scc")],
             ("fr", "sdh"): [("harbour_lights_fr_CC.dfxp", "ttml")]},
}


def test_every_shipped_preset_is_tested() -> None:
    assert sorted(PROMISED) == builtin_presets()


@pytest.mark.parametrize("preset", sorted(PROMISED))
def test_preset_on_the_sample_film(preset: str, tmp_path: Path) -> None:
    out = tmp_path / preset
    promised = PROMISED[preset]
    for language, kind in promised:
        code, output = deliver_film(out, preset, language, "--kind", kind)
        assert code == 0, output
    expected = {name: (language, kind, fmt) for (language, kind), files in promised.items()
                for name, fmt in files}
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted([*expected, "delivery.json"])
    entries = manifest(out)
    assert sorted(entries) == sorted(expected)
    for name, (language, kind, fmt) in expected.items():
        entry = entries[name]
        data = (out / name).read_bytes()
        assert entry["language"] == language and entry["kind"] == kind
        assert entry["format"] == fmt and entry["encoding"] == "utf-8"
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
        assert entry["source"] in ("harbour_lights.srt", f"harbour_lights.{language}.srt")
        assert entry["cues"] == len(load(out / name, format=fmt).cues) > 150
        qa = entry["qa"]
        assert isinstance(qa, dict) and qa["verdict"] in ("pass", "warnings")
        assert not data.startswith(b"\xef\xbb\xbf")
        data.decode("utf-8")
    # What subloc delivered, deliver check takes.
    code, out_text, err = run("deliver", "check", str(out), "--deliver", preset,
                              "--languages", ",".join(sorted({lang for lang, kind in promised
                                                              if kind == "subtitles"})))
    assert code == 0, out_text + err
    assert "ready to deliver" in out_text


def test_manifest_bytes_are_deterministic(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        for language in ("fr", "en"):
            assert deliver_film(tmp_path / folder, "festival", language)[0] == 0
    first = (tmp_path / "a" / "delivery.json").read_bytes()
    assert first == (tmp_path / "b" / "delivery.json").read_bytes()
    for name in manifest(tmp_path / "a"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    document = json.loads(first)
    assert document["preset"] == "festival" and document["version"] == 1
    assert [e["file"] for e in document["files"]] == sorted(e["file"] for e in document["files"])


def test_festival_dcp_is_schema_valid_with_the_preset_options(tmp_path: Path) -> None:
    xmlschema = pytest.importorskip("xmlschema", reason="the test extra (xmlschema) is needed")
    assert deliver_film(tmp_path, "festival", "fr", "--title", "Harbour Lights")[0] == 0
    path = tmp_path / "Harbour Lights_fr_dcp.xml"
    schema = xmlschema.XMLSchema(str(Path(__file__).parent / "data" / "dcp" /
                                     "DCDMSubtitle-2014.xsd"))
    text = path.read_text(encoding="utf-8")
    assert list(schema.iter_errors(text)) == []
    assert "<ContentTitleText>Harbour Lights</ContentTitleText>" in text
    assert "<Language>fr</Language>" in text and "<EditRate>24 1</EditRate>" in text
    assert manifest(tmp_path)[path.name]["qa"]["profile"] == "dcp"  # type: ignore[index]


def test_netflix_ttml_read_by_ttconv_keeps_language_and_ids(tmp_path: Path,
                                                             caplog: pytest.LogCaptureFixture
                                                             ) -> None:
    from ttconv.imsc import reader

    assert deliver_film(tmp_path, "netflix", "pt-BR", "--fps", "24")[0] == 0
    path = tmp_path / "harbour_lights_pt-BR.dfxp"
    root = ET.parse(path).getroot()
    paragraphs = list(root.iter(f"{TT}p"))
    assert root.get(XML_LANG) == "pt-BR"
    assert root.get("{http://www.w3.org/ns/ttml#parameter}frameRate") == "24"
    ids = [p.get(XML_ID) for p in paragraphs]
    assert ids == [f"sub{n}" for n in range(1, len(paragraphs) + 1)]
    assert all(p.get("begin", "").count(":") == 3 for p in paragraphs)  # HH:MM:SS:FF
    with caplog.at_level(logging.WARNING, logger="ttconv"):
        doc = reader.to_model(ET.parse(path))
    assert [r.message for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert doc is not None and doc.get_lang() == "pt-BR"
    body = doc.get_body()
    assert body is not None
    shown = [p for div in body for p in div]
    assert len(shown) == len(paragraphs) == len(load(FILM).cues)
    # Regions keep their ids, and every paragraph is in one of them.
    regions = {region.get_id() for region in doc.iter_regions()}
    assert regions == {"bottom", "top"}
    assert {p.get_region().get_id() for p in shown} <= regions
    # The times ttconv reads are the film's, to the frame (24 fps).
    film = load(FILM).cues
    for paragraph, cue in zip(shown, film, strict=True):
        assert abs(float(paragraph.get_begin()) * 1000 - cue.start_ms) <= 1000 / 24


# --------------------------------------------------------------------------------------
# Language codes, kinds and names


def test_language_codes_follow_the_preset(tmp_path: Path) -> None:
    code, output = deliver_film(tmp_path, "netflix", "es")
    assert code == 2
    assert output.strip().splitlines() == [
        f"error: {FILM}: 'es' is ambiguous for netflix: use es-419 or es-ES "
        "(--deliver netflix)"]
    assert not (tmp_path / "delivery.json").exists()
    assert deliver_film(tmp_path, "netflix", "zh-CN")[0] == 0  # written as zh-Hans
    assert deliver_film(tmp_path, "netflix", "pt-br")[0] == 0  # case as BCP 47 writes it
    assert sorted(manifest(tmp_path)) == ["harbour_lights_pt-BR.dfxp",
                                          "harbour_lights_zh-Hans.dfxp"]
    root = ET.parse(tmp_path / "harbour_lights_zh-Hans.dfxp").getroot()
    assert root.get(XML_LANG) == "zh-Hans"
    # YouTube takes a bare "es".
    assert deliver_film(tmp_path / "yt", "youtube", "es")[0] == 0
    assert (tmp_path / "yt" / "harbour_lights.es.srt").is_file()


def test_language_and_kind_from_the_file_name(tmp_path: Path) -> None:
    assert language_from_name("film.es-419.srt") == "es-419"
    assert language_from_name("film.en.sdh.srt") == "en"
    assert language_from_name("film_pt-br_FORCED.dfxp") == "pt-BR"
    assert language_from_name("harbour_lights.srt") is None
    assert kind_from_name("film.en.sdh.srt") == "sdh"
    assert kind_from_name("film_es_CC.scc") == "sdh"
    assert kind_from_name("film.fr.forced.vtt") == "forced"
    assert kind_from_name("forced.srt") == "subtitles"  # the title is not a kind
    assert canonical_case("zh-hant-tw") == "zh-Hant-TW"
    source = tmp_path / "harbour_lights.en.sdh.srt"
    shutil.copy(FILM, source)
    code, out, err = run("convert", str(source), "--deliver", "netflix", "-o",
                         str(tmp_path / "out"))
    assert code == 0, out + err
    entry = manifest(tmp_path / "out")["harbour_lights_en_SDH.dfxp"]
    assert entry["kind"] == "sdh" and entry["qa"]["profile"] == "netflix-sdh"  # type: ignore[index]


def test_no_language_known_is_one_line(tmp_path: Path) -> None:
    code, _out, err = run("convert", str(FILM), "--deliver", "youtube", "-o", str(tmp_path))
    assert code == 2
    assert err.count("\n") == 1 and "pass --lang" in err and "harbour_lights.srt" in err


def test_a_preset_that_takes_no_such_track_says_so(tmp_path: Path) -> None:
    code, _out, err = run("convert", str(FILM), "--deliver", "festival", "--lang", "en",
                         "--kind", "sdh", "-o", str(tmp_path))
    assert code == 0
    assert "festival takes no sdh track in en; nothing written" in err


# --------------------------------------------------------------------------------------
# Bad presets


def test_unknown_preset_is_one_line_exit_2(tmp_path: Path) -> None:
    for args in (["convert", str(FILM), "--deliver", "netflx", "--lang", "en"],
                 ["check", str(FILM), "--deliver", "netflx"],
                 ["deliver", "check", str(tmp_path), "--deliver", "netflx"],
                 ["localize", str(FILM), "--to", "fr", "--engine", "pseudo",
                  "--deliver", "netflx", "-o", str(tmp_path)]):
        code, _out, err = run(*args)
        assert code == 2, args
        assert err.count("\n") == 1, err
        assert "unknown delivery preset 'netflx'; use one of festival, hulu, netflix" in err
        assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("body", "message"), [
    ('extends = "netflix"\nnamig = "{lang}{ext}"\n', "unknown key 'namig'"),
    ('extends = "netflix"\n[[outputs]]\nformat = "srt"\ncolour = 1\n',
     "unknown key 'colour' in [outputs #1]"),
    ('extends = "netflix"\n[[outputs]]\nformat = "mp4"\n', "unknown subtitle format 'mp4'"),
    ('extends = "netflix"\nnaming = "{title}{ext}"\n', "must carry the language"),
    ('extends = "netflix"\nprofile = "nope"\n', "unknown QA profile 'nope'"),
    ('extends = "netflix"\nmust-pass = ["overlaps"]\n', "unknown rule 'overlaps'"),
    ('extends = "netflix"\n[dcp]\nfade = 2\n', "unknown key 'fade' in [dcp]"),
    ('extends = "netflix"\nfail-on = "fatal"\n', "fail-on must be one of"),
    ('extends = "nope"\n', "unknown delivery preset 'nope'"),
    ('name = "x"\n', "needs [[outputs]]"),
    ('extends = "netflix"\n[languages]\naliases = { "zh-CN" = "Chinese!" }\n',
     "not a BCP 47 language tag"),
    ("extends = [\n", "invalid preset TOML"),
])
def test_preset_file_with_a_bad_key_is_one_line_exit_2(tmp_path: Path, body: str,
                                                       message: str) -> None:
    preset = tmp_path / "studio.toml"
    preset.write_text(body, encoding="utf-8")
    code, _out, err = run("convert", str(FILM), "--deliver", str(preset), "--lang", "en",
                         "-o", str(tmp_path / "out"))
    assert code == 2
    assert err.count("\n") == 1, err
    assert message in err and "studio.toml" in err
    assert not (tmp_path / "out").exists()


def test_a_studio_preset_extends_a_shipped_one(tmp_path: Path) -> None:
    preset = tmp_path / "studio.toml"
    preset.write_text('extends = "netflix"\nname = "studio"\nnaming = "{LANG}-{title}{kind}{ext}"\n'
                      '[kinds]\nsdh = "-HOH"\n', encoding="utf-8")
    loaded = load_preset(str(preset))
    assert loaded.name == "studio" and loaded.profile == "netflix"
    assert loaded.ambiguous["es"] == ("es-419", "es-ES")  # inherited
    assert deliver_film(tmp_path / "out", str(preset), "es-ES", "--kind", "sdh")[0] == 0
    assert sorted(manifest(tmp_path / "out")) == ["ES-ES-harbour_lights-HOH.dfxp"]
    code, out, err = run("deliver", "check", str(tmp_path / "out"), "--deliver", str(preset))
    assert code == 0, out + err


def test_load_preset_errors_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown delivery preset"):
        load_preset("nope")
    loop = tmp_path / "loop.toml"
    loop.write_text('extends = "loop.toml"\n', encoding="utf-8")
    with pytest.raises(UsageError, match="loop"):
        load_preset(str(loop))


# --------------------------------------------------------------------------------------
# deliver check on a broken folder


def test_deliver_check_names_each_problem(tmp_path: Path) -> None:
    good = tmp_path / "good"
    for language in ("es-419", "fr", "de", "it", "da"):
        assert deliver_film(good, "netflix", language)[0] == 0
    code, out, err = run("deliver", "check", str(good), "--deliver", "netflix",
                         "--languages", "es-419,fr,de")
    assert code == 0, out + err
    broken = tmp_path / "broken"
    shutil.copytree(good, broken)
    # 1. wrong case in the language code
    (broken / "harbour_lights_fr.dfxp").rename(broken / "harbour_lights_FR.dfxp")
    # 2. a byte-order mark and 3. a file changed since the manifest
    data = (broken / "harbour_lights_es-419.dfxp").read_bytes()
    (broken / "harbour_lights_es-419.dfxp").write_bytes(b"\xef\xbb\xbf" + data)
    # 4. SRT content under a .dfxp name
    shutil.copy(FILM, broken / "harbour_lights_it.dfxp")
    # 5. not UTF-8
    text = (good / "harbour_lights_da.dfxp").read_text(encoding="utf-8")
    (broken / "harbour_lights_da.dfxp").write_bytes(
        text.replace("WEATHER", "WÉATHER").encode("latin-1", "replace"))
    # 6. a format the preset does not take, 7. a name it does not know
    shutil.copy(FILM, broken / "harbour_lights_de.srt")
    shutil.copy(good / "harbour_lights_de.dfxp", broken / "harbour lights final.dfxp")
    (broken / "notes.txt").write_text("for the distributor", encoding="utf-8")
    shutil.copy(good / "harbour_lights_de.dfxp", broken / "Harbour_Lights_v2_de.dfxp")
    # 8. the file says another language than its name
    shutil.copy(good / "harbour_lights_de.dfxp", broken / "harbour_lights_pl.dfxp")
    # 9. Japanese in .dfxp (Netflix: IMSC 1.1 .ttml)
    shutil.copy(good / "harbour_lights_de.dfxp", broken / "harbour_lights_ja.dfxp")
    # 10. QA errors Netflix rejects (a four-line cue, an overlap)
    track = load(good / "harbour_lights_de.dfxp")
    track.cues[3].lines = ["one", "two", "three", "four"]
    track.cues[5].start_ms = track.cues[4].start_ms + 10
    from subloc.io.write import save
    save(track, broken / "harbour_lights_nl.dfxp", format="ttml", language="nl", fps=24,
         frame_times=True)
    # 11. clock times where Netflix wants frame-based ones
    save(load(good / "harbour_lights_de.dfxp"), broken / "harbour_lights_sv.dfxp",
         format="ttml", language="sv")

    code, out, err = run("deliver", "check", str(broken), "--deliver", "netflix",
                         "--languages", "es-419,fr,de,pt-BR")
    assert code == 1, err
    rows = [line for line in out.splitlines()[1:-1]]
    table = "\n".join(rows)

    def row(name: str, *words: str) -> None:
        assert any(line.startswith(name) and all(w in line for w in words) for line in rows), \
            (name, words, table)

    row("harbour_lights_FR.dfxp", "'FR' is written 'fr' in BCP 47")
    row("harbour_lights_es-419.dfxp", "warning", "byte-order mark")
    row("harbour_lights_es-419.dfxp", "changed since delivery.json was written")
    row("harbour_lights_it.dfxp", "the content is srt, not ttml")
    row("harbour_lights_da.dfxp", "not utf-8")
    row("harbour_lights_de.srt", ".srt: netflix takes .dfxp, .ttml files")
    row("harbour lights final.dfxp", "name does not follow netflix's convention")
    row("notes.txt", "warning", ".txt: netflix takes .dfxp, .ttml files")  # a look only
    row("Harbour_Lights_v2_de.dfxp", "warning",
        "titled 'Harbour_Lights_v2' where the other files say 'harbour_lights'")
    row("harbour_lights_pl.dfxp", "the file says its language is 'de', the name says 'pl'")
    row("harbour_lights_ja.dfxp", "netflix takes subtitles in ja as .ttml, not .dfxp")
    row("harbour_lights_nl.dfxp", "QA (netflix)", "lines-max x1", "overlap x1")
    row("harbour_lights_sv.dfxp", "not frame-based")
    row("harbour_lights_fr.dfxp", "missing: fr subtitles")
    row("harbour_lights_fr.dfxp", "listed in delivery.json but missing")
    row("harbour_lights_pt-BR.dfxp", "missing: pt-BR subtitles")
    row("harbour_lights_nl.dfxp", "warning", "not listed in delivery.json")
    assert "netflix would reject this delivery" in out.splitlines()[-1]
    # The problems of the good files are not invented: de is fine in both folders.
    assert not any(line.startswith("harbour_lights_de.dfxp") for line in rows)


def test_deliver_check_bad_input(tmp_path: Path) -> None:
    code, _, err = run("deliver", "check", str(tmp_path / "nowhere"), "--deliver", "netflix")
    assert code == 2 and err.count("\n") == 1 and "not a folder" in err
    code, _, err = run("deliver", "check", str(tmp_path), "--deliver", "netflix",
                       "--languages", "es")
    assert code == 2 and "'es' is ambiguous for netflix" in err
    # An empty folder with languages asked for: each is missing.
    code, out, _ = run("deliver", "check", str(tmp_path), "--deliver", "youtube",
                       "--languages", "fr,de")
    assert code == 1
    assert "missing: fr subtitles (expected <title>.fr.srt)" in out
    assert "missing: de subtitles" in out


def test_check_folder_api_without_manifest_warns_only(tmp_path: Path) -> None:
    preset = load_preset("youtube")
    result = deliver([DeliveryTrack(load(FILM), "en", "subtitles", str(FILM))], preset,
                     tmp_path)
    assert [f.path.name for f in result.files] == ["harbour_lights.en.srt"]
    (tmp_path / "delivery.json").unlink()
    found = check_folder(tmp_path, preset, ["en"])
    assert not found.rejected
    assert [(p.file, p.severity) for p in found.problems] == [("delivery.json", "warning")]


# --------------------------------------------------------------------------------------
# check --deliver and localize --deliver


def test_check_deliver_writes_the_manifest_and_fails_on_rejections(tmp_path: Path) -> None:
    assert deliver_film(tmp_path, "youtube", "en")[0] == 0
    (tmp_path / "delivery.json").unlink()
    path = tmp_path / "harbour_lights.en.srt"
    code, out, err = run("check", str(path), "--deliver", "youtube")
    assert code == 0, out + err
    assert "wrote" in out and (tmp_path / "delivery.json").is_file()
    entry = manifest(tmp_path)["harbour_lights.en.srt"]
    assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    # Two cues on screen at once: YouTube's preset (the netflix profile) rejects it.
    text = path.read_text(encoding="utf-8").replace("00:00:06,893", "00:00:04,000", 1)
    path.write_text(text, encoding="utf-8")
    code, out, err = run("check", str(path), "--deliver", "youtube")
    assert code == 1
    assert "overlap x1" in out
    assert manifest(tmp_path)["harbour_lights.en.srt"]["qa"]["verdict"] == "fail"  # type: ignore[index]


def test_localize_deliver(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, err = run("localize", str(FILM), "--to", "es-419,ja", "--engine", "pseudo",
                            "--no-cache", "--deliver", "netflix", "--fps", "24", "-o", str(out))
    assert code in (0, 1), err  # pseudo-localized text is long: QA may reject it
    names = sorted(p.name for p in out.iterdir())
    assert names == ["delivery.json", "harbour_lights_es-419.dfxp", "harbour_lights_ja.ttml",
                     "report.html", "report.json", "report.junit.xml"]  # no staging left
    entries = manifest(out)
    assert {e["language"] for e in entries.values()} == {"es-419", "ja"}
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    targets = sorted(Path(job["target"]).name for job in report["jobs"])
    assert targets == ["harbour_lights_es-419.dfxp", "harbour_lights_ja.ttml"]
    assert "harbour_lights_ja.ttml" in stdout
    assert code == (1 if any(e["qa"]["verdict"] == "fail" for e in entries.values()  # type: ignore[index]
                             ) else 0)
    # An ambiguous code fails before anything is translated.
    code, _, err = run("localize", str(FILM), "--to", "pt", "--engine", "pseudo",
                       "--no-cache", "--deliver", "netflix", "-o", str(tmp_path / "pt"))
    assert code == 2 and "'pt' is ambiguous for netflix: use pt-BR or pt-PT" in err
    assert not (tmp_path / "pt").exists() or not any((tmp_path / "pt").iterdir())


def test_deliver_presets_lists_them() -> None:
    code, out, _ = run("deliver", "presets")
    assert code == 0
    for name in builtin_presets():
        assert name in out
    assert "no public spec" in out  # hulu says so


def test_prime_preset_cites_the_published_spec() -> None:
    text = (Path(__file__).resolve().parent.parent / "src" / "subloc" / "pipeline" /
            "presets" / "prime.toml").read_text(encoding="utf-8")
    assert "videocentral.amazon.com/support/delivery-experience/" in text
    assert "linear (sequential) order" in text and "pop-on" in text


# --------------------------------------------------------------------------------------
# SDH and cinema profiles


def sdh_issues(cues: list[Cue], profile: str) -> list[tuple[str, int | None]]:
    ctx = CheckContext(load_profile(profile), "en", 24.0)
    return [(i.rule, i.cue) for i in check(cues, ctx)
            if i.rule.startswith("sdh-") or i.rule == "first-cue-min"]


def test_netflix_sdh_conventions() -> None:
    cues = [Cue(1, 5000, 7000, ["(door slams)"]),
            Cue(2, 8000, 10000, ["MAGGIE: Turn it down!"]),
            Cue(3, 11000, 13000, ["[DOOR SLAMS]"]),
            Cue(4, 14000, 16000, ["[Maggie] Hi [laughs"]),
            Cue(5, 17000, 19000, ["-[Tom] Hi.", "-[Ann] Hey."]),
            Cue(6, 20000, 22000, ["It's 6:15 now (I think)."]),
            Cue(7, 23000, 25000, ["[thunder rumbling]"]),
            Cue(8, 26000, 28000, ["{laughs}", "Yes."]),
            Cue(9, 29000, 31000, ["[MAGGIE]", "Over here!"])]
    assert sdh_issues(cues, "netflix-sdh") == [
        ("sdh-sound-tag", 1), ("sdh-speaker-label", 2), ("sdh-sound-case", 3),
        ("sdh-sound-tag", 4), ("sdh-sound-tag", 8)]
    assert sdh_issues(cues, "netflix") == []  # only the SDH profile checks them
    ctx = CheckContext(load_profile("netflix-sdh"), "en", 24.0)
    by_cue = {i.cue: i for i in check(cues, ctx) if i.rule.startswith("sdh-")}
    assert by_cue[1].severity == "error" and "write [door slams]" in by_cue[1].message
    assert "[MAGGIE]" in by_cue[2].message
    assert "[door slams]" in by_cue[3].message and by_cue[3].severity == "info"
    assert "not closed" in by_cue[4].message


def test_dcp_profile_cinema_rules() -> None:
    cues = [Cue(1, 1000, 1500, ["Too early and too short"]),
            Cue(2, 5000, 8000, ["one", "two", "three"]),
            Cue(3, 9000, 12000, ["one", "two", "three", "four"]),
            Cue(4, 12020, 15000, ["x" * 60])]
    ctx = CheckContext(load_profile("dcp"), "en", 24.0)
    found = {(i.rule, i.cue, i.severity) for i in check(cues, ctx)
             if i.rule in ("first-cue-min", "duration-min", "lines-max", "cpl-max", "gap-min")}
    assert found == {("first-cue-min", 1, "warning"), ("duration-min", 1, "error"),
                     ("lines-max", 3, "error"), ("gap-min", 3, "warning"),
                     ("cpl-max", 4, "warning")}
    # A later window of a long track does not report its first cue as the film's first.
    later = [Cue(7, 1000, 3000, ["a"])]
    assert sdh_issues(later, "dcp") == []


def test_festival_delivery_of_a_dcp_read_back(tmp_path: Path) -> None:
    """A DCP subtitle file read, translated elsewhere, and delivered again keeps its font
    and fades (the preset's options come over them)."""
    track = Track(cues=[Cue(1, 5000, 7000, ["Bonjour"])], format="dcp", language="fr")
    track.header["dcp"] = {"fade_up_ms": 40, "font_id": "Theirs"}
    result = deliver([DeliveryTrack(track, "fr", "subtitles", "film.xml")],
                     load_preset("festival"), tmp_path, title="Film")
    text = (tmp_path / "Film_fr_dcp.xml").read_text(encoding="utf-8")
    assert 'FadeUpTime="00:00:00:01"' in text  # 40 ms at 24 fps
    assert 'ID="Font1"' in text  # the preset's font id
    assert [f.verdict for f in result.files] == ["pass"]


def test_convert_deliver_conflicts_and_frame_rate_note(tmp_path: Path) -> None:
    code, _out, err = run("convert", str(FILM), "--to", "srt", "--deliver", "netflix",
                          "--lang", "fr", "-o", str(tmp_path))
    assert code == 2 and err.count("\n") == 1 and "--to and --deliver" in err
    assert not tmp_path.joinpath("delivery.json").exists()
    # Frame-based times at a rate nobody stated: said, once per file.
    code, _out, err = run("convert", str(FILM), "--deliver", "netflix", "--lang", "fr",
                          "-o", str(tmp_path / "a"))
    assert code == 0
    assert err.count("states no frame rate") == 1 and "23.976 fps" in err
    code, _out, err = run("convert", str(FILM), "--deliver", "netflix", "--lang", "fr",
                          "--fps", "25", "-o", str(tmp_path / "b"))
    assert code == 0 and "states no frame rate" not in err
    assert 'ttp:frameRate="25"' in (tmp_path / "b" / "harbour_lights_fr.dfxp").read_text()
    document = json.loads((tmp_path / "b" / "delivery.json").read_text(encoding="utf-8"))
    assert document["rejects"] == {"fail-on": "error",
                                   "must-pass": ["empty", "overlap", "tag-unbalanced",
                                                 "timing-invalid"]}


def test_python_api(tmp_path: Path) -> None:
    import subloc

    result = subloc.deliver([subloc.DeliveryTrack(subloc.load(FILM), "fr-CA")],
                            subloc.load_preset("vimeo"), tmp_path, title="Film")
    assert [f.path.name for f in result.files] == ["Film.fr-CA.vtt"]
    assert result.manifest == tmp_path / "delivery.json"
    found = subloc.check_folder(tmp_path, subloc.load_preset("vimeo"), ["fr-CA", "de"])
    assert [p.problem for p in found.problems] == [
        "missing: de subtitles (expected Film.de.vtt)"]


def test_deliver_check_json(tmp_path: Path) -> None:
    assert deliver_film(tmp_path, "youtube", "fr")[0] == 0
    shutil.copy(FILM, tmp_path / "harbour_lights.FR.srt")
    code, out, err = run("deliver", "check", str(tmp_path), "--deliver", "youtube",
                         "--languages", "fr,de", "--json")
    assert code == 1 and err == ""
    document = json.loads(out)
    assert document["preset"] == "youtube" and document["rejected"] is True
    problems = {(p["file"], p["severity"]): p["problem"] for p in document["problems"]}
    assert problems[("harbour_lights.FR.srt", "error")] == "'FR' is written 'fr' in BCP 47"
    assert problems[("harbour_lights.de.srt", "error")] == \
        "missing: de subtitles (expected harbour_lights.de.srt)"
    assert [f["file"] for f in document["files"]] == ["harbour_lights.fr.srt"]
    assert document["files"][0]["qa"]["profile"] == "netflix"


def test_check_takes_the_language_a_delivered_file_declares(tmp_path: Path) -> None:
    """film_fr.dfxp carries no .fr suffix: check reads xml:lang rather than guessing."""
    assert deliver_film(tmp_path, "netflix", "fr-CA")[0] == 0
    code, out, err = run("check", str(tmp_path / "harbour_lights_fr-CA.dfxp"))
    assert code in (0, 1), err
    row = next(line for line in out.splitlines() if line.startswith("harbour_lights_fr-CA"))
    assert row.split()[1] == "fr-CA"


def test_festival_wants_smpte_not_interop(tmp_path: Path) -> None:
    assert deliver_film(tmp_path, "festival", "fr")[0] == 0
    code, _out, err = run("convert", str(FILM), "--to", "dcp-interop", "-o", str(tmp_path / "i"))
    assert code == 0, err
    shutil.copy(tmp_path / "i" / "harbour_lights.xml", tmp_path / "harbour_lights_fr_dcp.xml")
    code, out, _err = run("deliver", "check", str(tmp_path), "--deliver", "festival")
    assert code == 1
    assert "the content is dcp-interop, not dcp" in out
    assert "changed since delivery.json was written" in out

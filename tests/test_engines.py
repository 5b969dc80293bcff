"""Translation engines, the cache and model management, on a tiny real Argos package."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from argos_factory import build_argos_package, install_package
from subloc.cli import main
from subloc.engines import EngineOptions, create_engine
from subloc.engines.argos import ArgosEngine, LoadedModel
from subloc.engines.cache import TranslationCache
from subloc.engines.packages import find_packages, install_file
from subloc.engines.pseudo import pseudo_localize
from subloc.errors import InputError, ModelError
from subloc.pipeline.translate import translate_texts

SENTENCES = [
    "Where were you last night?",
    "I waited at the harbour until the lights went out.",
    "Thanksgiving is on Thursday.",
    "He said he'd call on Sunday.",
    "Okay.",
    "Your grandfather used to say the harbour lights stay on until every boat is home.",
]


@pytest.fixture(scope="session")
def argos_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Tiny real packages, built once per session: en->es, es->en, en->de."""
    out = tmp_path_factory.mktemp("argosmodels")
    return {f"{a}_{b}": build_argos_package(out, from_code=a, to_code=b, seed=seed)
            for seed, (a, b) in enumerate([("en", "es"), ("es", "en"), ("en", "de")])}


@pytest.fixture
def packages_dir(argos_files: dict[str, Path], tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "argos-packages"
    for path in argos_files.values():
        install_package(path, directory)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(directory))
    monkeypatch.setenv("SUBLOC_MODELS_DIR", str(tmp_path / "subloc-models"))
    return directory


def engine(beam: int = 4, exact: bool = False) -> ArgosEngine:
    return ArgosEngine(EngineOptions(beam_size=beam, inter_threads=2, batch_tokens=40,
                                     exact=exact))


def test_packages_are_found_where_argostranslate_puts_them(packages_dir: Path) -> None:
    found = {p.pair: p for p in find_packages()}
    assert set(found) == {("en", "es"), ("es", "en"), ("en", "de")}
    assert found[("en", "es")].path.parent == packages_dir
    assert found[("en", "es")].version == "1.0"


@pytest.mark.parametrize("exact", [False, True])
def test_translations_are_real_deterministic_and_batch_independent(packages_dir: Path,
                                                                   exact: bool) -> None:
    first = engine(exact=exact).translate(SENTENCES, "en", "es")
    assert all(text.strip() for text in first)
    assert len(set(first)) == len(SENTENCES)  # different inputs, different outputs
    assert first == engine(exact=exact).translate(SENTENCES, "en", "es")
    one_by_one = engine(exact=exact)
    assert [one_by_one.translate([s], "en", "es")[0] for s in SENTENCES] == first
    duplicated = engine(exact=exact).translate(SENTENCES + SENTENCES[::-1], "en", "es")
    assert duplicated == first + first[::-1]


def test_model_is_loaded_once_per_pair(packages_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[tuple[str, str]] = []
    original = LoadedModel.__init__

    def counting(self: LoadedModel, package, options) -> None:  # type: ignore[no-untyped-def]
        loads.append(package.pair)
        original(self, package, options)

    monkeypatch.setattr(LoadedModel, "__init__", counting)
    shared = engine()
    for _ in range(3):
        shared.translate(SENTENCES, "en", "es")
        shared.translate(SENTENCES, "en", "de")
    assert sorted(loads) == [("en", "de"), ("en", "es")]


def test_pivot_through_english(packages_dir: Path) -> None:
    pivot = engine()
    assert pivot.describe_pair("es", "de") == "es->de via en (no direct model)"
    assert "es_en@1.0+en_de@1.0" in pivot.identity("es", "de")
    via = pivot.translate(["Hola, ¿dónde estabas?"], "es", "de")
    manual = pivot.translate(pivot.translate(["Hola, ¿dónde estabas?"], "es", "en"), "en", "de")
    assert via == manual and via[0].strip()


def test_missing_pair_lists_installed_pairs_and_the_install_command(packages_dir: Path) -> None:
    with pytest.raises(ModelError) as caught:
        engine().check_pair("fr", "ja")
    message = str(caught.value)
    assert "no Argos model for fr->ja" in message and "en->es" in message
    assert "subloc models install fr ja" in message
    assert caught.value.exit_code == 3


def test_identity_changes_with_decoding_options(packages_dir: Path) -> None:
    assert engine(4).identity("en", "es") != engine(1).identity("en", "es")
    assert engine(exact=True).identity("en", "es") != engine().identity("en", "es")


def test_cache_hit_never_touches_the_model(packages_dir: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    cache = TranslationCache(tmp_path / "cache.sqlite3")
    texts = SENTENCES * 2
    cold, stats = translate_texts(engine(), texts, "en", "es", cache)
    assert stats.translated == len(SENTENCES) and stats.cache_hits == 0

    def forbidden(*args: object, **kwargs: object) -> list[str]:
        raise AssertionError("the model was called on a warm cache")

    monkeypatch.setattr(LoadedModel, "translate", forbidden)
    monkeypatch.setattr(LoadedModel, "__init__", forbidden)
    warm, stats = translate_texts(engine(), texts, "en", "es", cache)
    assert warm == cold and stats.cache_hits == len(SENTENCES) and stats.translated == 0


def test_garbage_in_the_default_cache_location_is_moved_aside_and_rebuilt(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from subloc.engines import cache as cache_module

    path = tmp_path / "cache.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    monkeypatch.setattr(cache_module, "default_cache_path", lambda: path)
    cache = TranslationCache()
    assert cache.warnings and "moved it to" in cache.warnings[0]
    assert list(tmp_path.glob("cache.sqlite3.corrupt-*"))
    cache.put_many("e", "en", "es", [("Hi", "Hola")])
    assert cache.get_many("e", "en", "es", ["Hi", "Bye"]) == {"Hi": "Hola"}


def test_cache_is_shared_safely_between_connections(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    one, two = TranslationCache(path), TranslationCache(path)
    one.put_many("e", "en", "es", [(f"t{i}", f"u{i}") for i in range(1000)])
    two.put_many("e", "en", "es", [("x", "y")])
    assert len(two.get_many("e", "en", "es", [f"t{i}" for i in range(1000)])) == 1000
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_pseudo_expansion_and_protection() -> None:
    assert pseudo_localize("Hi") == "[Ĥí ~~]"  # +100 % for 1-5 characters
    assert pseudo_localize("<i>Hello</i> ⟦T0⟧ {0}").startswith("[<i>Ĥéļļö</i> ⟦T0⟧ {0}")
    assert pseudo_localize("Okay, see you.") == pseudo_localize("Okay, see you.")
    assert pseudo_localize("   ") == "   "


@settings(max_examples=200)
@given(st.text(st.characters(blacklist_characters="<>{}%$⟦~]"), min_size=1, max_size=300)
       .filter(lambda s: s.strip()))
def test_pseudo_expands_by_length_band(text: str) -> None:
    out = pseudo_localize(text)
    body = out[:-1]
    padding = len(body) - len(body.rstrip("~"))
    length = len(text)
    expected = {True: 1.0}.get(length <= 5) or (0.4 if length <= 10 else 0.3 if length <= 100
                                                 else 0.2)
    assert padding == max(1, round(length * expected))
    assert out.startswith("[") and out.endswith("]")


def test_create_engine_rejects_unknown_names() -> None:
    with pytest.raises(Exception, match="unknown engine"):
        create_engine("google")


def test_models_install_from_file_and_list(argos_files: dict[str, Path], tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("SUBLOC_MODELS_DIR", str(tmp_path / "models"))
    runner = CliRunner()
    result = runner.invoke(main, ["models", "list"])
    assert result.exit_code == 0 and "No models installed" in result.output
    result = runner.invoke(main, ["models", "install", str(argos_files["en_es"])])
    assert result.exit_code == 0, result.output
    assert "Installed en->es 1.0" in result.output
    result = runner.invoke(main, ["models", "list"])
    assert "en->es" in result.output and str(tmp_path / "models") in result.output
    # Installing again replaces the package atomically, leaving no staging folders.
    install_file(argos_files["en_es"])
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == ["translate-en_es"]


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("members, message", [
    ({"../evil/metadata.json": b"{}"}, "unsafe member"),
    ({"/abs/metadata.json": b"{}"}, "unsafe member"),
    ({"pkg/metadata.json": b"{}", "pkg/sentencepiece.model": b""}, "model/model.bin is missing"),
    ({"pkg/metadata.json": b"not json", "pkg/sentencepiece.model": b"",
      "pkg/model/model.bin": b""}, "metadata.json is not valid"),
    ({"a/metadata.json": b"{}", "b/x": b""}, "exactly one top-level folder"),
])
def test_models_install_rejects_bad_archives(tmp_path: Path, members: dict[str, bytes],
                                             message: str) -> None:
    archive = _zip(tmp_path / "bad.argosmodel", members)
    with pytest.raises(InputError, match=message):
        install_file(archive, tmp_path / "models")
    assert not (tmp_path / "models").exists() or not any((tmp_path / "models").iterdir())


def test_models_install_of_a_non_zip_and_of_a_pair_without_argostranslate(
        tmp_path: Path) -> None:
    (tmp_path / "x.argosmodel").write_text("nope")
    result = CliRunner().invoke(main, ["models", "install", str(tmp_path / "x.argosmodel")])
    assert result.exit_code == 2 and "cannot open as an .argosmodel zip" in result.stderr
    result = CliRunner().invoke(main, ["models", "install", "en", "xx"])
    assert result.exit_code == 3
    assert "subloc models install FILE.argosmodel" in result.stderr


def test_package_metadata_is_what_the_engine_reads(argos_files: dict[str, Path]) -> None:
    with zipfile.ZipFile(argos_files["en_es"]) as archive:
        (meta,) = [n for n in archive.namelist() if n.endswith("metadata.json")]
        data = json.loads(archive.read(meta))
    assert (data["from_code"], data["to_code"]) == ("en", "es")


def test_an_argosmodel_file_can_be_used_directly(argos_files: dict[str, Path], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("SUBLOC_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    direct = ArgosEngine(EngineOptions(model_paths=(argos_files["en_de"],), inter_threads=2))
    assert direct.describe_pair("en", "de") == "en->de"
    assert direct.translate(["Where were you?"], "en", "de")[0].strip()
    assert not (tmp_path / "models").exists()  # used from the cache, not installed

"""The ``apertium`` engine: modes and language codes, the stream codec, the long-running
pipeline (checked against a fake mode that misbehaves on purpose), and real Apertium on
short texts. Tests that need Apertium skip, saying what to install, when it is absent.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from subloc import markup
from subloc.cli import main
from subloc.engines import ENGINES, create_engine, summary
from subloc.engines import apertium as apertium_module
from subloc.engines.apertium import ApertiumEngine, decode, encode, parse_mode
from subloc.engines.base import Engine, EngineOptions, Note, Translated
from subloc.engines.cache import TranslationCache
from subloc.errors import EngineError, ModelError
from subloc.pipeline.mask import unmask
from subloc.pipeline.translate import note_issues, translate_texts

pytestmark = pytest.mark.apertium

INSTALL = "apt-get install apertium apertium-eng-spa apertium-spa-cat apertium-es-gl"


def installed_modes() -> set[str]:
    return {mode.name for mode in ApertiumEngine().modes}


def needs(*modes: str) -> pytest.MarkDecorator:
    """Skip, saying what to install, unless Apertium and these modes are installed."""
    if shutil.which("apertium") is None:
        return pytest.mark.skip(reason=f"Apertium is not installed ({INSTALL})")
    missing = [m for m in modes if m not in installed_modes()]
    return pytest.mark.skipif(
        bool(missing), reason=f"Apertium mode(s) {', '.join(missing)} not installed "
                              f"({INSTALL})")


def needs_tools() -> pytest.MarkDecorator:
    tools = ("apertium", "apertium-wblank-mode", "bash")
    missing = [tool for tool in tools if shutil.which(tool) is None]
    return pytest.mark.skipif(bool(missing), reason=f"{', '.join(missing)} not found "
                                                    f"({INSTALL})")


# --- modes and language codes -----------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("eng-spa", ("en", "es", ())),
    ("es-gl", ("es", "gl", ())),
    ("spa-cat_valencia", ("es", "ca", ("valencia",))),
    ("spa-cat_valencia_uni", ("es", "ca", ("uni", "valencia"))),
    ("spa-eng_US", ("es", "en", ("us",))),
    ("nob-nno", ("nb", "nn", ())),
    ("eus-spa", ("eu", "es", ())),
    ("eng-spa-tagger", None),  # a debugging mode
    ("spa", None),
    ("xyz-spa", None),  # not a language
])
def test_mode_names_map_to_iso_639_languages(name: str, expected: tuple[str, str, tuple[str,
                                             ...]] | None, tmp_path: Path) -> None:
    mode = parse_mode(name, tmp_path)
    assert (None if mode is None else (mode.source, mode.target, mode.variants)) == expected


def fake_datadir(root: Path, names: Sequence[str], command: str = "cat") -> Path:
    (root / "modes").mkdir(parents=True, exist_ok=True)
    for name in names:
        (root / "modes" / f"{name}.mode").write_text(command + "\n")
    return root


def test_the_mode_for_a_pair_follows_the_targets_variant(tmp_path: Path) -> None:
    datadir = fake_datadir(tmp_path, ["spa-cat", "spa-cat_valencia", "spa-eng_US",
                                      "spa-eng", "eng-spa"])
    engine = ApertiumEngine(EngineOptions(model_paths=(datadir,)))
    assert engine.mode("es", "ca").name == "spa-cat"
    assert engine.mode("es", "ca-valencia").name == "spa-cat_valencia"
    assert engine.mode("es", "en-US").name == "spa-eng_US"
    assert engine.mode("es", "en-GB").name == "spa-eng"
    assert engine.mode("en-US", "es-419").name == "eng-spa"
    assert engine.describe_pair("es", "ca-valencia") == "es->ca-valencia (Apertium spa-cat_valencia)"
    assert [m.label for m in engine.modes if m.datadir == datadir] == ["en->es", "es->ca", "es->ca-valencia",
                                               "es->en", "es->en-US"]
    assert engine.identity("es", "ca") != engine.identity("es", "ca-valencia")


def test_a_missing_pair_names_the_package_that_would_fix_it(tmp_path: Path) -> None:
    engine = ApertiumEngine(EngineOptions(model_paths=(fake_datadir(tmp_path, ["eng-spa"]),)))
    with pytest.raises(ModelError) as caught:
        engine.check_pair("es", "pt")
    message = str(caught.value)
    assert caught.value.exit_code == 3
    assert "no Apertium pair for es->pt" in message and "en->es" in message
    if shutil.which("apertium") is not None:
        assert "apt-get install apertium-" in message


def test_without_apertium_the_error_says_how_to_install_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apertium_module.shutil, "which", lambda name: None)
    with pytest.raises(ModelError, match=r"Apertium is not installed.*apt-get install "
                                         "apertium apertium-eng-spa"):
        ApertiumEngine().check_pair("en", "es")


def test_the_registry_drives_the_command_line(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def squeeze(text: str) -> str:  # help is wrapped, at spaces and hyphens
        return "".join(text.split()).replace("-", "")

    help_text = squeeze(CliRunner().invoke(main, ["localize", "--help"]).stdout)
    assert squeeze(f"[{'|'.join(ENGINES)}]") in help_text
    for name in ENGINES:
        assert squeeze(f"{name}: {summary(name)}") in help_text
    assert isinstance(create_engine("apertium"), ApertiumEngine)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "subloc.toml").write_text('engine = "nope"\n')
    (tmp_path / "a.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nHello.\n")
    result = CliRunner().invoke(main, ["localize", "a.srt", "--to", "es"])
    assert result.exit_code == 2 and "subloc.toml" in result.stderr
    assert "engine" in result.stderr and "apertium" in result.stderr


def test_models_list_shows_every_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    monkeypatch.setenv("SUBLOC_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos"))
    result = CliRunner().invoke(main, ["models", "list"])
    assert result.exit_code == 0
    for name in ENGINES:
        assert f"{name}: " in result.stdout
    for mode in ApertiumEngine().modes:
        (line,) = [line for line in result.stdout.splitlines()
                   if line.split()[:2] == [mode.label, mode.name]]
        assert line.endswith(str(mode.path))


# --- the stream codec -------------------------------------------------------------------


def roundtrip(text: str) -> str:
    """What comes back when the engine changes nothing."""
    encoded = encode(text)
    return decode(encoded.stream, encoded).text


def normal(text: str) -> str:
    return " ".join(text.split())


def test_the_codec_keeps_what_apertium_would_read_as_its_own() -> None:
    text = "a *b* [c] <i>d</i> ⟦ 3 ⟧ e\\f ~g @h #i ^j$ {k} /l <3"
    encoded = encode(text)
    assert "zqxfw" in encoded.stream and "[[t:0]]d[[/]]" in encoded.stream
    assert not any(c in encoded.stream.replace("[s", "").replace("\\", "")
                   for c in "*~@#")
    assert roundtrip(text) == "a *b* [c] <i>d</i> ⟦3⟧ e\\f ~g @h #i ^j$ {k} /l <3"


words = st.text(alphabet="abcxyzñé *#@~[]=0\\^$/<>{}.,!?¿'’-\t", min_size=1, max_size=12)
pieces = st.one_of(words, st.sampled_from(["⟦0⟧", "⟦12⟧", "zqx", "<i>", "</i>", "<b>",
                                           "</b>", "{\\an8}", "<font color=\"#ff0000\">",
                                           "</font>", "\n"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces, min_size=1, max_size=12))
def test_the_codec_round_trips_words_tags_and_placeholders(parts: list[str]) -> None:
    text = "".join(parts)
    back = roundtrip(text)
    assert normal(markup.strip_tags(back)) == normal(
        markup.strip_tags(text).replace("\n", " "))
    assert Counter(t.raw for t in markup.tokenize(back) if t.is_tag) == Counter(
        t.raw for t in markup.tokenize(text) if t.is_tag)


def test_decoding_follows_word_bound_tags_and_takes_out_marks() -> None:
    encoded = encode("The <i>red</i> car of ⟦0⟧ is <b>very big</b>.")
    # What eng-spa answers: the tag moved with its word; the bold one is now per word.
    block = ("El coche [[t:0]]rojo[[/]] de *zqxbw es [[t:1]]muy[[/]] *[[t:1]]grandote[[/]]"
             "  #tener. ")
    decoded = decode(block, encoded)
    assert decoded.text == "El coche <i>rojo</i> de ⟦0⟧ es <b>muy grandote</b> tener."
    assert decoded.unknown == ["grandote"] and decoded.uninflected == ["tener"]


def test_a_leading_placeholder_does_not_capitalize_the_next_word() -> None:
    encoded = encode("⟦0⟧ and ⟦1⟧ are here.")
    assert decode(" zqxbw Y zqxcw es aquí.", encoded).text == "⟦0⟧ y ⟦1⟧ es aquí."
    encoded = encode("⟦0⟧ Maggie is here.")
    assert decode("zqxbw Maggie es aquí.", encoded).text == "⟦0⟧ Maggie es aquí."


def test_crossing_or_empty_tags_travel_as_superblanks() -> None:
    for text in ["<i>a <b>b</i> c</b>", "<i></i>x", "x</i>", "{\\an8}<i>top</i>"]:
        assert normal(roundtrip(text)) == normal(text)


# --- the pipeline, against a fake mode --------------------------------------------------

FAKE = """\
#!{python}
import os, sys, time
how = os.environ.get("FAKE_APERTIUM", "echo")
out, data, count, held = sys.stdout.buffer, b"", 0, None
while True:
    chunk = os.read(0, 65536)
    if not chunk:
        break
    data += chunk
    while b"\\0" in data:
        block, data = data.split(b"\\0", 1)
        count += 1
        if how == "die" and count == 2:
            sys.stderr.write("fake-apertium: Segmentation fault\\n")
            sys.exit(3)
        if how == "stall" and count == 2:
            time.sleep(60)
        if how == "merge" and count == 2:
            out.write(block + b" ")
            continue
        if how == "swap" and count == 1:
            held = block
            continue
        out.write(block.replace(b"Hello", b"*Hola") + b"\\0")
        if held is not None:
            out.write(held + b"\\0")
            held = None
        out.flush()
"""


@pytest.fixture
def fake(tmp_path: Path) -> ApertiumEngine:
    script = tmp_path / "fake-apertium"
    script.write_text(FAKE.format(python=sys.executable))
    script.chmod(0o755)
    datadir = fake_datadir(tmp_path / "data", ["eng-spa"], str(script))
    return ApertiumEngine(EngineOptions(model_paths=(datadir,)))


SEGMENTS = ["Hello, where were you?", "I waited ⟦0⟧ years.", "<i>Hello</i> again!",
            "It's 6:15.", "Bye."]


@needs_tools()
def test_text_that_looks_like_the_stream_passes_through(fake: ApertiumEngine) -> None:
    texts = ["[=0] and [=1]", "\\[=2]", "^a/b<n>$", "[[t:0]]x[[/]]", "[s0] ⟦x⟧ zqxbw"]
    assert fake.translate(texts, "en", "es") == [normal(t) for t in texts]
    fake.close()


@needs_tools()
def test_one_pipeline_answers_every_call(fake: ApertiumEngine) -> None:
    done: list[int] = []
    first = fake.translate_with_notes(SEGMENTS, "en", "es", progress=done.append)
    assert [t.text for t in first] == ["Hola, where were you?", "I waited ⟦0⟧ years.",
                                       "<i>Hola</i> again!", "It's 6:15.", "Bye."]
    assert first[0].notes == (Note("mt-unknown-word", "Apertium did not know 'Hola' (left "
                                   "as in the source)", value=("Hola",)),)
    assert sum(done) == len(SEGMENTS)
    pid = fake.pipeline(fake.mode("en", "es")).process.pid
    assert fake.translate(["", "Bye.", "  "], "en", "es") == ["", "Bye.", "  "]
    assert fake.pipeline(fake.mode("en", "es")).process.pid == pid  # the same process
    fake.close()


@needs_tools()
@pytest.mark.parametrize("how, message", [
    ("swap", "out of step"),
    ("merge", "out of step"),
    ("die", "stopped: fake-apertium: Segmentation fault"),
    ("stall", "stopped answering"),
])
def test_a_pipeline_out_of_step_or_gone_is_an_engine_error_never_a_shift(
        fake: ApertiumEngine, how: str, message: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_APERTIUM", how)
    monkeypatch.setattr(apertium_module, "STALL_SECONDS", 1.0)
    started = time.monotonic()
    with pytest.raises(EngineError, match=message) as caught:
        fake.translate(SEGMENTS, "en", "es")
    assert caught.value.exit_code == 3
    assert time.monotonic() - started < 10
    # The broken pipeline is gone; the next call starts a new one.
    monkeypatch.setenv("FAKE_APERTIUM", "echo")
    assert fake.translate(["Hello."], "en", "es") == ["Hola."]
    fake.close()


# --- the translate stage keeps the engine's notes ----------------------------------------


class Noting(Engine):
    name = "noting"

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def identity(self, source: str, target: str) -> str:
        return "noting:1"

    def translate_with_notes(self, segments: Sequence[str], source: str, target: str,
                             progress: Callable[[int], None] | None = None
                             ) -> list[Translated]:
        self.calls += 1
        return [Translated(s.upper(), (Note("mt-unknown-word", f"did not know {s!r}",
                                            value=(s,)),) if "zorb" in s else ())
                for s in segments]


def test_notes_come_back_per_text_and_from_the_cache(tmp_path: Path) -> None:
    texts = ["a zorb", "b", "a zorb"]
    cache = TranslationCache(tmp_path / "cache.sqlite3")
    engine = Noting()
    out, stats = translate_texts(engine, texts, "en", "es", cache)
    assert out == ["A ZORB", "B", "A ZORB"]
    assert stats.notes == {"a zorb": (Note("mt-unknown-word", "did not know 'a zorb'",
                                           value=("a zorb",)),)}
    again, warm = translate_texts(engine, texts, "en", "es", cache)
    assert engine.calls == 1 and again == out and warm.notes == stats.notes
    cache.close()
    (issue,) = note_issues(stats.notes["a zorb"], 7)
    assert (issue.rule, issue.severity, issue.cue, issue.value) == (
        "mt-unknown-word", "info", 7, "a zorb")


# --- real Apertium ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> Iterator[ApertiumEngine]:
    engine = ApertiumEngine()
    yield engine
    engine.close()


@needs("eng-spa")
def test_real_apertium_keeps_placeholders_tags_and_reports_unknown_words(
        real: ApertiumEngine) -> None:
    out = real.translate_with_notes([
        "I waited ⟦1⟧ years for Zorblax.",
        "The <i>red</i> car is <b>very big</b>.",
        "⟦0⟧ is here, and ⟦1⟧ too.",
        "Hello, where were you?",
    ], "en", "es")
    assert out[0].text == "Esperé ⟦1⟧ años para Zorblax."
    assert out[0].notes[0].value == ("Zorblax",) and "*" not in out[0].text
    assert out[1].text == "El coche <i>rojo</i> es <b>muy grande</b>."
    assert out[2].text.startswith("⟦0⟧ es aquí")
    assert not out[3].notes and not out[3].text.startswith(" ")


@needs("eng-spa")
def test_a_second_call_reuses_the_running_pipeline(real: ApertiumEngine) -> None:
    real.translate(["Warm up."], "en", "es")
    pid = real.pipeline(real.mode("en", "es")).process.pid
    assert real.translate(["Good morning."], "en", "es") == ["Buenos días."]
    assert real.pipeline(real.mode("en", "es")).process.pid == pid


PLACEHOLDER_SENTENCES = textwrap.dedent("""\
    We always eat ⟦0⟧ on Thursday.
    ⟦0⟧ said the boat is late.
    Is that ⟦0⟧ or ⟦1⟧?
    My grandmother made ⟦0⟧ with ⟦1⟧ every year.
    The ⟦0⟧ is three ⟦1⟧ from the harbour.
    - ⟦0⟧! Hey, wait up!
    I told ⟦0⟧ that ⟦1⟧ would call on ⟦2⟧.
    Turn left at ⟦0⟧, then walk to ⟦1⟧.
    ⟦0⟧'s mother works at ⟦1⟧.
    You have ⟦0⟧ minutes, ⟦1⟧.
""").splitlines()


@needs("eng-spa", "spa-cat")
@pytest.mark.parametrize("pair", [("en", "es"), ("es", "ca")])
def test_placeholders_survive_real_apertium(real: ApertiumEngine, pair: tuple[str, str]
                                            ) -> None:
    """Every placeholder comes back exactly once (so the fallback would not run)."""
    from subloc.pipeline.mask import Masked, Slot

    source = PLACEHOLDER_SENTENCES
    if pair == ("es", "ca"):
        source = real.translate(PLACEHOLDER_SENTENCES, "en", "es")
    for text, translated in zip(source, real.translate(source, *pair), strict=True):
        count = text.count("⟦")
        masked = Masked(text, text, [Slot(n, f"X{n}", f"x{n}") for n in range(count)])
        assert unmask(masked, translated) is not None, (text, translated)


def test_a_missing_mode_skips_saying_what_to_install() -> None:
    assert "apt-get install" in needs("no-such-mode").kwargs["reason"]

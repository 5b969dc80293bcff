"""Pinned outputs: the exact bytes `localize` writes for the bundled samples (pseudo engine)
and `check --fix` writes for the human-translation fixture.

These pins guard refactoring: a change that alters a track, report.json or the JUnit XML
by one byte fails here. report.html is compared as its parsed structure (elements,
attributes and text, whitespace between tags ignored), so the template may be laid out
differently but must show the same thing. To accept an intended change, rerun with
``SUBLOC_UPDATE_PINS=1`` and review the diff of ``tests/data/pinned/`` before committing.
"""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DATA, SAMPLES
from subloc.cli import main
from subloc.qa import spelling

PINS = DATA / "pinned"
UPDATE = os.environ.get("SUBLOC_UPDATE_PINS") == "1"


@pytest.fixture(autouse=True)
def no_dictionaries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pins do not depend on the Hunspell dictionaries this machine has (or their
    versions): every language reads as one without a dictionary, as on a bare machine.
    Spelling itself is tested in test_spelling.py."""
    monkeypatch.setattr(spelling, "speller", lambda language: spelling.Missing(
        f"spelling not checked: no Hunspell dictionary for {language}; "
        f"{spelling.install_hint(language)}"))


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items.append(f"<{tag} {sorted((k, v or '') for k, v in attrs)}>")

    def handle_endtag(self, tag: str) -> None:
        self.items.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        text = re.sub(r"\s+", " ", data).strip()
        if text:
            self.items.append(text)


def html_structure(data: bytes) -> str:
    parser = _Structure()
    parser.feed(data.decode("utf-8"))
    parser.close()
    return "\n".join(parser.items) + "\n"


def _compare(produced: Path, pinned: Path) -> None:
    """Every file under ``produced`` equals its pin (HTML by structure)."""
    files = sorted(p.relative_to(produced) for p in produced.rglob("*") if p.is_file())
    if UPDATE:
        shutil.rmtree(pinned, ignore_errors=True)
    for name in files:
        data = (produced / name).read_bytes()
        if name.suffix == ".html":
            data = html_structure(data).encode("utf-8")
            name = name.with_suffix(".html.structure")
        target = pinned / name
        if UPDATE:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            continue
        assert target.is_file(), f"{name} is new: no pin for it"
        assert data == target.read_bytes(), f"{name} differs from its pin {target}"
    expected = sorted(p.relative_to(pinned) for p in pinned.rglob("*") if p.is_file())
    produced_names = sorted(n.with_suffix(".html.structure") if n.suffix == ".html" else n
                            for n in files)
    assert produced_names == expected


def test_localize_samples_pinned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(SAMPLES, tmp_path / "sample_subs")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["localize", "sample_subs", "--to", "es,fr,ja",
                                       "--engine", "pseudo", "-o", "out", "--no-cache",
                                       "--adapt-units", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    _compare(tmp_path / "out", PINS / "localize")


def test_check_human_fixture_pinned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(DATA / "human", tmp_path / "human")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "human/harbour.es.srt", "--fix", "-o", "qa"])
    assert result.exit_code == 1, result.output  # errors remain after fixing
    _compare(tmp_path / "qa", PINS / "check")
    result = CliRunner().invoke(main, ["check", "human/harbour.es.srt", "--json"])
    assert result.exit_code == 1
    pin = PINS / "check-stdout.json"
    if UPDATE:
        pin.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == pin.read_text(encoding="utf-8")

"""Parity with argostranslate: for single sentences on the same package, the argos engine's
output equals ``argostranslate.translate``'s. Needs the optional ``subloc[argos]`` extra
(CI installs it without CUDA: see .ci/run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from argos_factory import build_argos_package, install_package
from subloc.engines import EngineOptions
from subloc.engines.argos import ArgosEngine

pytestmark = pytest.mark.argos

SENTENCES = [
    "Where were you last night?",
    "I waited at the harbour until the lights went out.",
    "Thanksgiving is on Thursday, and Mom is making pumpkin pie.",
    "He said he'd call on Sunday.",
    "Okay.",
    "It's three miles to school.",
    # Not "Mr. Halvorsen ...": argostranslate's sentence splitter cuts after "Mr.", so to
    # it that is two sentences, translated apart (parity is for single sentences).
    "The lighthouse keeper has kept the light on for forty-one years.",
    "Is that so much to ask?",
    "Your GPA is 3.8.",
    "- Where were you?",
    "snake_case and spaces   inside",
    "¿Dónde estabas?",
]

RUN_ARGOS = """
import json, sys
import argostranslate.translate as translate
sentences = json.loads(sys.stdin.read())
print(json.dumps([translate.translate(s, "en", "es") for s in sentences]))
"""


@pytest.mark.parametrize("exact", [True, False])
def test_engine_output_equals_argostranslate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             exact: bool) -> None:
    pytest.importorskip("argostranslate.translate")
    packages = tmp_path / "packages"
    install_package(build_argos_package(tmp_path, from_code="en", to_code="es"), packages)
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(packages), "HOME": str(tmp_path / "home"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "ARGOS_DEVICE_TYPE": "cpu"}
    done = subprocess.run([sys.executable, "-c", RUN_ARGOS], input=json.dumps(SENTENCES),
                          capture_output=True, text=True, env=env, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    theirs = json.loads(done.stdout.strip().splitlines()[-1])
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    monkeypatch.setenv("SUBLOC_MODELS_DIR", str(tmp_path / "none"))
    options = EngineOptions(beam_size=4, inter_threads=2, exact=exact)
    ours = ArgosEngine(options).translate(SENTENCES, "en", "es")
    assert ours == theirs

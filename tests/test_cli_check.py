"""`subloc check` on a human translation with known problems, and `subloc profiles`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from conftest import DATA
from subloc.cli import main
from subloc.io.read import load

KNOWN = {
    ("whitespace", 2),        # double space
    ("tag-mismatch", 3),      # the voice on the phone lost its italics
    ("number-mismatch", 4),   # 7:30 became 8:30
    ("untranslated", 5),      # left in English
    ("overlap", 6),           # starts 100 ms before cue 5 ends
    ("cpl-max", 7),           # 50 characters on one line
    ("cps-worse", 7),         # ...and too fast where the source was not
    ("cps-max", 7),
}


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def test_check_reports_exactly_the_known_problems(tmp_path: Path) -> None:
    shutil.copytree(DATA / "human", tmp_path / "human")
    code, stdout, _ = invoke("check", str(tmp_path / "human" / "harbour.es.srt"), "--json")
    assert code == 1  # errors (untranslated, overlap, cpl-max) at the default --fail-on
    report = json.loads(stdout)
    (job,) = report["jobs"]
    assert job["source"].endswith("harbour.srt") and job["target_lang"] == "es"
    assert {(i["rule"], i["cue"]) for i in job["issues"]} == KNOWN


def test_check_writes_reports_and_fixes(tmp_path: Path) -> None:
    shutil.copytree(DATA / "human", tmp_path / "human")
    out = tmp_path / "out"
    code, stdout, _ = invoke("check", str(tmp_path / "human" / "harbour.es.srt"), "--fix",
                             "-o", str(out), "--fail-on", "never")
    assert code == 0
    assert {p.name for p in out.iterdir()} == {"harbour.es.srt", "report.json", "report.html",
                                               "report.junit.xml"}
    fixed = load(out / "harbour.es.srt")
    assert fixed.cues[5].start_ms - fixed.cues[4].end_ms >= 84  # overlap fixed
    assert all(len(line) <= 42 for line in fixed.cues[6].plain_lines)  # re-wrapped
    report = json.loads((out / "report.json").read_text())
    fixes = {(i["rule"], i["cue"]) for i in report["jobs"][0]["issues"] if i["fixed"]}
    assert ("overlap", 5) in fixes and ("rewrap", 7) in fixes
    assert "harbour.es.srt" in stdout and "wrote" in stdout


def test_check_fix_needs_an_output_dir_and_fail_on_never(tmp_path: Path) -> None:
    shutil.copytree(DATA / "human", tmp_path / "human")
    code, _, stderr = invoke("check", str(tmp_path / "human" / "harbour.es.srt"), "--fix")
    assert code == 2 and "-o" in stderr
    code, _, _ = invoke("check", str(tmp_path / "human" / "harbour.es.srt"), "--fail-on",
                        "never")
    assert code == 0


def test_check_with_explicit_source_and_language(tmp_path: Path) -> None:
    target = tmp_path / "translation.srt"
    shutil.copy(DATA / "human" / "harbour.es.srt", target)
    code, stdout, _ = invoke("check", str(target), "--source", str(DATA / "human" / "harbour.srt"),
                             "--lang", "es", "--json")
    assert code == 1
    issues = {(i["rule"], i["cue"]) for i in json.loads(stdout)["jobs"][0]["issues"]}
    assert issues == KNOWN


def test_profiles_list_and_show() -> None:
    code, stdout, _ = invoke("profiles", "list")
    assert code == 0 and "netflix-children" in stdout and "bbc" in stdout
    code, stdout, _ = invoke("profiles", "show", "netflix")
    assert code == 0 and "cpl-max" in stdout and "[ja] cpl-max 13" in stdout
    code, _, stderr = invoke("profiles", "show", "nope")
    assert code == 2 and "unknown profile" in stderr

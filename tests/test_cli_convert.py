"""`subloc convert` through click's CliRunner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import srt
from click.testing import CliRunner

from subloc import __version__
from subloc.cli import main

GOOD = "1\n00:00:01,000 --> 00:00:02,000\n<i>Hello.</i>\n\n2\n00:00:03,000 --> 00:00:04,000\nBye.\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def test_version_and_help() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out
    code, out, _ = run("--help")
    assert code == 0 and "convert" in out and "Exit codes" in out
    code, out, _ = run("convert", "--help")
    assert code == 0 and "--to" in out and "--lenient" in out and "--output-encoding" in out


def test_convert_a_file_beside_it(tmp_path: Path) -> None:
    source = tmp_path / "film.srt"
    source.write_text(GOOD)
    code, out, err = run("convert", str(source), "--to", "vtt")
    assert code == 0, err
    assert (tmp_path / "film.vtt").read_text().startswith("WEBVTT\n\n00:00:01.000 --> ")
    assert "<i>Hello.</i>" in (tmp_path / "film.vtt").read_text()
    assert out.strip().startswith("Converted 1 file (2 cues) to vtt in ")
    assert out.strip().endswith("0 failed, 0 warnings.")


def test_directory_and_glob_inputs(tmp_path: Path, samples: Path) -> None:
    shutil.copytree(samples, tmp_path / "in")
    out_dir = tmp_path / "out"
    code, out, err = run("convert", str(tmp_path / "in"), "--to", "srt", "-o", str(out_dir))
    assert code == 0, err
    written = sorted(p.name for p in out_dir.iterdir())
    assert written == sorted(p.stem + ".srt" for p in samples.iterdir())
    for path in out_dir.iterdir():
        assert list(srt.parse(path.read_text(encoding="utf-8")))
    code, out, _ = run("convert", str(tmp_path / "in" / "*.srt"), "--to", "vtt", "-o",
                       str(tmp_path / "globbed"))
    assert code == 0 and "Converted 2 files" in out
    assert len(list((tmp_path / "globbed").iterdir())) == 2


def test_a_batch_with_one_bad_file_reports_it_and_finishes_the_others(tmp_path: Path) -> None:
    (tmp_path / "a.srt").write_text(GOOD)
    (tmp_path / "b.srt").write_text("1\n00:00:01,000 -> broken\nHi\n")
    (tmp_path / "c.srt").write_text(GOOD)
    out_dir = tmp_path / "out"
    code, out, err = run("convert", str(tmp_path / "a.srt"), str(tmp_path / "b.srt"),
                         str(tmp_path / "c.srt"), "--to", "vtt", "-o", str(out_dir))
    assert code == 2
    assert sorted(p.name for p in out_dir.iterdir()) == ["a.vtt", "c.vtt"]
    assert err.count("error:") == 1 and f"{tmp_path / 'b.srt'}:2: malformed SRT block" in err
    assert "Traceback" not in err + out
    assert "Converted 2 files (4 cues) to vtt" in out and "1 failed" in out


def test_never_overwrites_an_input(tmp_path: Path) -> None:
    source = tmp_path / "film.srt"
    source.write_text(GOOD)
    code, _, err = run("convert", str(source), "--to", "srt")
    assert code == 2 and "would overwrite an input" in err
    assert source.read_text() == GOOD


def test_unknown_output_format_and_missing_input(tmp_path: Path) -> None:
    code, _, err = run("convert", str(tmp_path), "--to", "docx")
    assert code == 2 and "unknown subtitle format 'docx'" in err
    code, _, err = run("convert", str(tmp_path / "none.srt"), "--to", "vtt")
    assert code == 2 and "no such file" in err


def test_output_encoding_and_bom(tmp_path: Path) -> None:
    source = tmp_path / "film.srt"
    source.write_text(GOOD.replace("Bye", "Adiós"), encoding="cp1252")
    code, _, err = run("convert", str(source), "--to", "vtt", "--output-encoding", "utf-16",
                       "--bom")
    assert code == 0, err
    data = (tmp_path / "film.vtt").read_bytes()
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert "Adiós" in data.decode("utf-16")


@pytest.mark.parametrize("fmt", ["srt", "vtt", "ass", "ssa", "ttml", "sami", "microdvd", "mpl2",
                                 "tmp", "json", "scc"])
def test_every_output_format_from_the_sample_film(tmp_path: Path, samples: Path, fmt: str) -> None:
    code, _, err = run("convert", str(samples / "harbour_lights.srt"), "--to", fmt, "-o",
                       str(tmp_path), "--fps", "25")
    assert code == 0, err
    assert len(list(tmp_path.iterdir())) == 1


def test_a_file_with_content_but_no_cue_exits_1_with_a_warning(tmp_path: Path) -> None:
    weird = tmp_path / "notes.srt"
    weird.write_text("1\nthis has no timing line at all\n")
    empty = tmp_path / "empty.srt"
    empty.write_text("")
    code, _, err = run("convert", str(empty), "--to", "vtt", "-o", str(tmp_path / "a"))
    assert code == 0 and "the file is empty" in err
    code, _, err = run("convert", str(weird), "--to", "vtt", "-o", str(tmp_path / "b"),
                       "--lenient")
    assert code == 1, err
    assert "no cues found in the file" in err or "skipped" in err

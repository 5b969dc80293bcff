"""The CLI's one error boundary, config through click, global options, help everywhere.

Every failure is one line on stderr and a documented exit code; a traceback only with
``--debug``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from subloc.cli import main

SCENE = str(SAMPLES / "harbour_lights_scene2.vtt")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def pseudo(tmp_path: Path, *extra: str) -> tuple[int, str, str]:
    return run("localize", SCENE, "--to", "fr", "--engine", "pseudo", "-o",
               str(tmp_path / "out"), "--fail-on", "never", *extra)


def test_an_unopenable_cache_degrades_to_no_cache_with_a_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    code, stdout, stderr = pseudo(tmp_path, "--cache", str(blocker / "cache.sqlite3"))
    assert code == 0, stderr
    assert "cannot open the translation cache" in stderr and "Traceback" not in stderr
    assert (tmp_path / "out" / "harbour_lights_scene2.fr.vtt").is_file()
    assert "segments" in stdout


def test_a_bad_option_is_one_line_too(tmp_path: Path) -> None:
    code, _, stderr = pseudo(tmp_path, "--cache", str(tmp_path))
    assert code == 2
    assert "is a directory" in one_line(stderr) and "subloc localize --help" in stderr
    code, _, stderr = run("localize", SCENE, "--bogus")
    assert code == 2 and "--bogus" in one_line(stderr)


@pytest.mark.parametrize(("raised", "code", "words"), [
    (RuntimeError("boom"), 4, "internal error, a bug in subloc: RuntimeError: boom"),
    (PermissionError(13, "Permission denied", "/srv/films"), 2,
     "/srv/films: Permission denied"),
    (sqlite3.OperationalError("disk I/O error"), 2, "database error (disk I/O error)"),
    (MemoryError(), 2, "out of memory"),
    (KeyboardInterrupt(), 130, "interrupted"),
])
def test_failures_become_one_line_and_an_exit_code(
        raised: BaseException, code: int, words: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import subloc.pipeline.localize as pipeline

    def explode(*_args: object, **_kwargs: object) -> None:
        raise raised

    monkeypatch.setattr(pipeline, "localize", explode)
    status, _, stderr = pseudo(tmp_path)
    assert status == code
    line = one_line(stderr)
    assert line.startswith("error: ") and words in line


def test_debug_shows_the_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subloc.pipeline.localize as pipeline

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "localize", explode)
    for args in (("--debug", "localize"), ("localize", "--debug")):
        status, _, stderr = run(*args, SCENE, "--to", "fr", "--engine", "pseudo",
                                "-o", str(tmp_path))
        assert status == 4
        assert "Traceback" in stderr and "RuntimeError: boom" in stderr


def test_subloc_errors_keep_their_own_exit_code(tmp_path: Path) -> None:
    status, _, stderr = run("localize", SCENE, "--to", "fr", "--engine", "pseudo",
                            "--profile", "no-such-profile", "-o", str(tmp_path))
    assert status == 2 and "unknown profile 'no-such-profile'" in one_line(stderr)
    status, _, stderr = run("models", "install", "a", "b", "c")
    assert status == 2 and "give FILE.argosmodel" in one_line(stderr)


def test_config_values_go_through_clicks_conversion(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "subloc.toml").write_text(
        'to = "de,it"\nengine = "pseudo"\nno_cache = true\nfail_on = "never"\n'
        '[localize]\njobs = "2"\noutput_dir = "cfg"\nglossary = []\n')
    status, _, stderr = run("localize", SCENE)
    assert status == 0, stderr
    assert sorted(p.name for p in (tmp_path / "cfg").glob("*.vtt")) == [
        "harbour_lights_scene2.de.vtt", "harbour_lights_scene2.it.vtt"]


@pytest.mark.parametrize(("config", "words"), [
    ('[localize]\njobs = "two"\n', "subloc.toml: jobs: 'two' is not a valid integer"),
    ("[localize]\njobs = 0\n", "subloc.toml: jobs:"),
    ('fail_on = "sometimes"\n', "subloc.toml: fail_on:"),
    ('engine = "babelfish"\n', "subloc.toml: engine:"),
    ("[localize]\ncolour = 'blue'\n", "subloc.toml: unknown key 'colour' in [localize]"),
    ("colour = 'blue'\n", "subloc.toml: unknown key 'colour'"),
    ("[render]\nx = 1\n", "subloc.toml: unknown table [render]"),
    ("to = [1, 2]\n", "subloc.toml: to: expected text like 'es,fr'"),
    ("to = \n", "subloc.toml: invalid TOML"),
])
def test_a_bad_config_is_one_line_naming_the_file_and_key(
        config: str, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "subloc.toml").write_text(config)
    status, _, stderr = run("localize", SCENE, "--to", "fr", "--engine", "pseudo", "-o",
                            str(tmp_path / "out"))
    assert status == 2
    assert words in one_line(stderr)


def test_a_config_key_another_command_knows_is_fine(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "subloc.toml").write_text('engine = "pseudo"\nprofile = "bbc"\n'
                                          '[check]\nfail_on = "never"\n')
    status, stdout, stderr = run("check", SCENE)
    assert status == 0, stderr  # engine is a localize key; check ignores it
    assert "harbour_lights_scene2.vtt" in stdout


def test_quiet_and_verbose_work_after_the_command_name(tmp_path: Path) -> None:
    status, stdout, stderr = pseudo(tmp_path, "-q")
    assert status == 0 and stdout == "" and stderr == ""
    status, stdout, _ = run("-q", "localize", SCENE, "--to", "fr", "--engine", "pseudo",
                            "-o", str(tmp_path / "again"), "--fail-on", "never")
    assert status == 0 and stdout == ""
    status, stdout, _ = pseudo(tmp_path, "-v")
    assert status == 0 and "segments" in stdout


@pytest.mark.parametrize("value", ["nan", "inf", "0", "-5", "fast"])
def test_a_bad_frame_rate_is_a_usage_error(value: str, tmp_path: Path) -> None:
    status, _, stderr = run("convert", SCENE, "--to", "srt", "--fps", value, "-o",
                            str(tmp_path))
    assert status == 2 and "--fps" in stderr and "Traceback" not in stderr


def test_a_profile_value_of_the_wrong_type_is_one_line(tmp_path: Path) -> None:
    profile = tmp_path / "studio.toml"
    for text, words in [('extends = "netflix"\n[limits]\ncpl-max = "forty"\n',
                         "[limits] cpl-max must be a number"),
                        ('[severity]\ncpl-max = "fatal"\n', "[severity] cpl-max must be one of"),
                        ("[limits]\ncpl-maxx = 40\n", "unknown key 'cpl-maxx' in [limits]"),
                        ('extends = "studio.toml"\n', "extend each other in a loop")]:
        profile.write_text(text)
        status, _, stderr = run("check", SCENE, "--profile", str(profile))
        assert status == 2
        assert words in one_line(stderr)


def test_control_characters_in_file_names_are_escaped(tmp_path: Path) -> None:
    status, _, stderr = run("convert", str(tmp_path / "evil\x1b[31m\nname.srt"), "--to", "vtt")
    assert status == 2
    line = one_line(stderr)
    assert "\x1b" not in line and "\\x1b[31m\\nname.srt" in line


def _all_commands() -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = [("subloc", main)]
    context = click.Context(main)
    for name in main.list_commands(context):
        command = main.get_command(context, name)
        assert command is not None, name
        found.append((f"subloc {name}", command))
        if isinstance(command, click.Group):
            found.extend((f"subloc {name} {sub}", child)
                         for sub, child in command.commands.items())
    return found


@pytest.mark.parametrize(("name", "command"), _all_commands(), ids=lambda v: str(v))
def test_every_command_and_option_has_help(name: str, command: click.Command) -> None:
    assert command.help and command.help.strip(), f"{name} has no help"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help and param.help.strip(), f"{name} {param.opts} has no help"
            assert "%%" not in param.help
    status, stdout, _ = run(*name.split()[1:], "--help")
    assert status == 0 and "Usage:" in stdout


def test_the_command_table_matches_the_commands() -> None:
    from subloc.cli.app import COMMANDS

    context = click.Context(main)
    for name, (_module, line) in COMMANDS.items():
        command = main.get_command(context, name)
        assert command is not None and command.name == name
        assert line and line.endswith(".")
    _, stdout, _ = run("--help")
    assert all(name in stdout for name in COMMANDS)


def test_exact_help_prints_a_single_percent() -> None:
    _, stdout, _ = run("localize", "--help")
    assert "15 % slower" in stdout.replace("\n", " ").replace("  ", " ") or "15 %" in stdout
    assert "%%" not in stdout

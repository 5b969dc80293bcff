"""The read stage on bad input: every case gives one clear error naming the file (and line)."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from subloc.errors import DecodeError, FormatError, InputError, ParseError
from subloc.io.read import load

GOOD = "1\n00:00:01,000 --> 00:00:02,000\nHello.\n\n2\n00:00:03,000 --> 00:00:04,000\nBye.\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_unknown_format_names_the_file_and_says_what_to_do(tmp_path: Path) -> None:
    path = write(tmp_path, "notes.xyz", b"Just some notes about the film.\n")
    with pytest.raises(FormatError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}: cannot tell which subtitle format")
    assert "--format" in str(caught.value)


def test_undecodable_bytes_with_forced_encoding_name_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.srt", GOOD.replace("Bye", "Caf\xe9").encode("cp1252"))
    with pytest.raises(DecodeError) as caught:
        load(path, encoding="utf-8")
    assert caught.value.line == 7
    assert "--encoding" in str(caught.value)


def test_truncated_file_names_the_broken_timing_line(tmp_path: Path) -> None:
    path = write(tmp_path, "cut.srt", GOOD.encode()[: GOOD.index("Bye") - 12])
    with pytest.raises(ParseError) as caught:
        load(path)
    assert caught.value.line == 6  # the cut timing line, after the block's number


def test_empty_file_is_valid_with_a_warning(tmp_path: Path) -> None:
    for data in (b"", b"\n\n  \n", b"\xef\xbb\xbf"):
        track = load(write(tmp_path, "empty.srt", data))
        assert track.cues == []
        assert any("empty" in w for w in track.warnings)


def test_binary_garbage_is_rejected(tmp_path: Path) -> None:
    rng = random.Random(1)
    path = write(tmp_path, "movie.srt", bytes(rng.randrange(256) for _ in range(20_000)))
    with pytest.raises(InputError) as caught:
        load(path)
    assert str(caught.value).startswith(str(path))


def test_a_single_100k_character_line(tmp_path: Path) -> None:
    with pytest.raises(FormatError):
        load(write(tmp_path, "line.txt", b"x" * 100_000))
    long_cue = f"1\n00:00:01,000 --> 00:00:02,000\n{'word ' * 20_000}\n".encode()
    track = load(write(tmp_path, "long.srt", long_cue))
    assert len(track.cues) == 1 and len(track.cues[0].lines[0]) >= 99_999


def test_out_of_order_is_a_warning_and_end_before_start_an_error(tmp_path: Path) -> None:
    swapped = "1\n00:00:05,000 --> 00:00:06,000\nA\n\n2\n00:00:01,000 --> 00:00:02,000\nB\n"
    track = load(write(tmp_path, "order.srt", swapped.encode()))
    assert len(track.cues) == 2 and any("out of order" in w for w in track.warnings)
    reversed_cue = "1\n00:00:05,000 --> 00:00:04,000\nA\n"
    with pytest.raises(ParseError) as caught:
        load(write(tmp_path, "rev.srt", reversed_cue.encode()))
    assert caught.value.line == 2


@pytest.mark.slow
def test_a_50_mb_file_reads_and_a_late_error_has_the_right_line(tmp_path: Path) -> None:
    block = "{n}\n00:00:01,000 --> 00:00:02,000\nThe harbour lights were on when she came back.\n\n"
    count = 50 * 2**20 // len(block.format(n=100_000))
    text = "".join(block.format(n=n) for n in range(1, count + 1))
    path = write(tmp_path, "big.srt", text.encode())
    assert os.path.getsize(path) >= 50 * 10**6
    assert len(load(path).cues) == count
    broken = write(tmp_path, "big_broken.srt", (text + "oops\n").encode())
    with pytest.raises(ParseError) as caught:
        load(broken)
    assert caught.value.line == count * 4 + 1


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read file"):
        load(tmp_path / "nope.srt")
    with pytest.raises(InputError, match="directory"):
        load(tmp_path)

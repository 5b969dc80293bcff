"""Tests for subloc.io.encoding: BOMs, UTF-8/16/32, legacy code pages, errors, encode."""

from __future__ import annotations

import codecs
import itertools
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from subloc.errors import DecodeError, OutputError
from subloc.io.encoding import LEGACY_CANDIDATES, Decoded, canonical_name, decode, encode

FIXTURES = Path(__file__).resolve().parent / "data" / "encodings"
EXPECTED: dict[str, dict[str, Any]] = json.loads(
    (FIXTURES / "expected.json").read_text(encoding="utf-8")
)

SRT = "1\n00:00:01,000 --> 00:00:03,000\n{}\n\n2\n00:00:03,500 --> 00:00:05,000\n{}\n"


# --- fixtures ------------------------------------------------------------------------


def test_every_fixture_is_listed() -> None:
    on_disk = {p.name for p in FIXTURES.glob("*.srt")}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_decodes_to_expected_text(name: str) -> None:
    expected = EXPECTED[name]
    result = decode((FIXTURES / name).read_bytes(), path=name)
    assert result.text == expected["text"]
    assert result.encoding in [expected["encoding"], *expected["also"]]
    assert result.bom is expected["bom"]
    assert result.newline == expected["newline"]
    assert result.detected is True


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_reports_its_own_encoding(name: str) -> None:
    """Where siblings decode to the same text, the ISO name is the one reported."""
    assert decode((FIXTURES / name).read_bytes()).encoding == EXPECTED[name]["encoding"]


# The same texts written in the sibling code page that also serves their language:
# the classic confusions (š/ś/ž/ź/ą between cp1250 and ISO-8859-2, Ά between cp1253 and
# ISO-8859-7, ı/ş/ğ between cp1254 and Latin-1, Hebrew versus Cyrillic …).
CROSS = [
    ("cp1250.srt", "iso-8859-2"),
    ("iso-8859-2.srt", "cp1250"),
    ("iso-8859-7.srt", "cp1253"),
    ("iso-8859-9.srt", "cp1254"),
    ("iso-8859-1.srt", "cp1252"),
    ("cp1253.srt", "cp1253"),
    ("gb18030.srt", "gbk"),
    ("big5.srt", "cp950"),
    ("euc-kr.srt", "cp949"),
    ("shift_jis.srt", "cp932"),
    ("utf-8.srt", "utf-8"),
]


@pytest.mark.parametrize(("name", "codec"), CROSS)
def test_fixture_text_in_sibling_code_page(name: str, codec: str) -> None:
    text = EXPECTED[name]["text"]
    assert decode(text.encode(codec)).text == text


@pytest.mark.parametrize(
    ("lines", "codec", "reported"),
    [
        # Czech without any letter that tells cp1250 from ISO-8859-2: same text either way.
        (("Dobrý den, paní Nováková.", "Děkuji, máte pravdu."), "cp1250", {"iso-8859-2", "cp1250"}),
        # Slovak, with ľ ť š ž that differ between the two.
        (
            ("Ďakujem, mám sa dobre.", "Päť ľudí čakalo. Ešte ťa uvidím."),
            "iso-8859-2",
            {"iso-8859-2"},
        ),
        (("Ďakujem, mám sa dobre.", "Päť ľudí čakalo. Ešte ťa uvidím."), "cp1250", {"cp1250"}),
        # Hungarian ő/ű exist in both Central European pages, not in Latin-1.
        (
            ("Köszönöm, jól vagyok.", "Ő a legjobb barátom, ütős."),
            "cp1250",
            {"iso-8859-2", "cp1250"},
        ),
        # German and Portuguese are Western European.
        (("Grüß dich! Wie geht’s?", "Ich war in Österreich."), "cp1252", {"cp1252"}),
        (("Você já jantou?", "Não, estava à tua espera."), "iso-8859-1", {"iso-8859-1"}),
        # Turkish ı/ş/ğ are Icelandic ý/þ/ð in Latin-1.
        (("Işık yanıyor mu?", "Şimdi değil, ağabey."), "iso-8859-9", {"iso-8859-9"}),
        # Icelandic ð/þ stay Icelandic.
        (("Hvað ertu að gera?", "Viltu fá þér kaffi? Já, takk."), "iso-8859-1", {"iso-8859-1"}),
        # Cyrillic that is not Russian.
        (("Привіт! Ти вже їв?", "Ще ні. Ходімо до їдальні?"), "cp1251", {"cp1251"}),
        (("Къде беше цяла нощ?", "Защо не ми се обади?"), "cp1251", {"cp1251"}),
        # Persian in cp1256 (with ZWNJ).
        (("سلام، حال شما چطور است؟", "پس شام را با هم مي\u200cخوريم؟"), "cp1256", {"cp1256"}),
        # Traditional Chinese without sentence punctuation, as fansubs write it.
        (("你到底想怎樣", "我只是想跟你談談 沒什麼好談的"), "big5", {"big5"}),
        (("你去哪儿了", "我找了你一个下午 对不起 手机没电了"), "gb18030", {"gb18030"}),
        (("괜찮아? 걱정하지 마.", "진짜야? 얼굴이 안 좋아 보여."), "euc-kr", {"euc-kr"}),
        # Japanese in EUC-JP and ISO-2022-JP (kana are jamo in EUC-KR, escapes in 2022).
        (("すみません、駅はどこですか？", "ちょっと待って！"), "euc-jp", {"euc-jp"}),
        (("すみません、駅はどこですか？", "ちょっと待って！"), "iso2022_jp", {"iso2022-jp"}),
        # A single accented letter as a word must not turn French into Russian ("à" → "а").
        (("Je t’ai attendu.", "Merci, à demain."), "cp1252", {"cp1252"}),
        # All capitals.
        (
            ("ΚΑΛΗΜΕΡΑ, ΚΥΡΙΑ ΠΑΠΑΔΟΠΟΥΛΟΥ.", "ΗΡΘΑ ΓΙΑ ΤΟ ΔΙΑΜΕΡΙΣΜΑ."),
            "iso-8859-7",
            {"iso-8859-7"},
        ),
        (("ТЫ СЛЫШАЛ, ЧТО СЛУЧИЛОСЬ?", "НЕТ. Я ВЕСЬ ДЕНЬ БЫЛ НА РАБОТЕ."), "cp1251", {"cp1251"}),
        (("ŻÓŁĆ I GĘŚ TO TRUDNE SŁOWA.", "ŹLE SIĘ POCZUŁA."), "cp1250", {"cp1250"}),
        # English with only typographic punctuation: cp1252 (C1 controls in Latin-1).
        (
            ("“Where are you going?” she asked.", "To the station… I’ll be back."),
            "cp1252",
            {"cp1252"},
        ),
    ],
)
def test_short_files_in_legacy_code_pages(
    lines: tuple[str, str], codec: str, reported: set[str]
) -> None:
    text = SRT.format(*lines)
    result = decode(text.encode(codec))
    assert result.text == text
    assert result.encoding in reported


def test_code_page_outside_the_list_is_read_through_charset_normalizer() -> None:
    text = SRT.format("สวัสดีครับ คุณสบายดีไหม", "ผมสบายดี ขอบคุณครับ วันนี้อากาศร้อนมาก")
    result = decode(text.encode("cp874"))
    assert result.text == text
    assert result.encoding in {"cp874", "tis-620", "iso-8859-11"}


def test_legacy_candidates_are_canonical_names() -> None:
    for name in LEGACY_CANDIDATES:
        assert canonical_name(name) == name


# --- BOMs and UTF-16/32 --------------------------------------------------------------


def test_utf32_bom_is_checked_before_utf16() -> None:
    text = SRT.format("Hello", "World")
    result = decode(codecs.BOM_UTF32_LE + text.encode("utf-32-le"))
    assert (result.encoding, result.bom, result.text) == ("utf-32-le", True, text)


@pytest.mark.parametrize("codec", ["utf-32-be", "utf-16-be", "utf-16-le", "utf-8"])
def test_other_boms(codec: str) -> None:
    bom = {
        "utf-32-be": codecs.BOM_UTF32_BE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-8": codecs.BOM_UTF8,
    }[codec]
    text = SRT.format("Zoë’s café", "日本語もOK")
    result = decode(bom + text.encode(codec))
    assert (result.encoding, result.bom, result.text) == (codec, True, text)


@pytest.mark.parametrize("codec", ["utf-16-be", "utf-16-le", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_bom(codec: str) -> None:
    text = SRT.format("Привет, как дела?", "你好，世界")
    result = decode(text.encode(codec))
    assert (result.encoding, result.bom, result.text) == (codec, False, text)


def test_bad_bytes_after_a_bom_name_the_line() -> None:
    data = codecs.BOM_UTF8 + b"1\n00:00:01,000 --> 00:00:02,000\nbad \xff here\n"
    with pytest.raises(DecodeError) as caught:
        decode(data)
    assert caught.value.line == 3


# --- UTF-8 ---------------------------------------------------------------------------


def test_ascii_is_utf8() -> None:
    result = decode(SRT.format("Hello", "World").encode("ascii"))
    assert (result.encoding, result.bom, result.detected) == ("utf-8", False, True)


def test_empty_input() -> None:
    assert decode(b"") == Decoded(text="", encoding="utf-8", bom=False, newline="\n", detected=True)


def test_mostly_utf8_with_a_stray_byte_is_an_error_with_its_line() -> None:
    good = SRT.format("Grüße aus Köln, schöne Grüße", "Très bien, à bientôt, naïve")
    data = good.encode("utf-8") + b"\n3\n00:00:06,000 --> 00:00:07,000\nCaf\xe9\n"
    with pytest.raises(DecodeError) as caught:
        decode(data, path="mixed.srt")
    error = caught.value
    assert error.line == 11
    assert error.path == "mixed.srt"
    assert "line 11" in error.message
    assert "--encoding" in error.message


# --- forced encoding -----------------------------------------------------------------


def test_forced_encoding_wins_over_detection() -> None:
    data = (FIXTURES / "cp1252.srt").read_bytes()
    result = decode(data, encoding="cp1250")
    assert result.encoding == "cp1250"
    assert result.detected is False
    assert result.text == data.decode("cp1250").replace("\r\n", "\n")


@pytest.mark.parametrize(
    ("given_name", "canonical"),
    [
        ("latin-1", "iso-8859-1"),
        ("Windows-1251", "cp1251"),
        ("EUC_KR", "euc-kr"),
        ("sjis", "shift_jis"),
    ],
)
def test_forced_encoding_is_reported_canonically(given_name: str, canonical: str) -> None:
    assert decode(b"abc", encoding=given_name).encoding == canonical


def test_forced_utf8_removes_a_bom() -> None:
    result = decode(codecs.BOM_UTF8 + b"abc\r\n", encoding="utf-8")
    assert (result.text, result.bom, result.newline) == ("abc\n", True, "\r\n")


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])
def test_forced_utf16_follows_the_bom(bom: bytes) -> None:
    codec = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
    result = decode(bom + "héllo\n".encode(codec), encoding="utf-16")
    assert (result.text, result.encoding, result.bom) == ("héllo\n", codec, True)


@pytest.mark.parametrize("name", ["klingon", "base64", "rot13", ""])
def test_unknown_forced_encoding(name: str) -> None:
    with pytest.raises(DecodeError) as caught:
        decode(b"abc", encoding=name, path="film.srt")
    assert caught.value.message == (
        f"unknown encoding {name!r}; use a name like utf-8, cp1252, shift_jis"
    )
    assert caught.value.path == "film.srt"


@pytest.mark.parametrize(
    ("newline", "codec"), [("\n", "utf-8"), ("\r\n", "utf-8"), ("\r", "shift_jis")]
)
def test_forced_encoding_error_names_the_line(newline: str, codec: str) -> None:
    lines = ["1", "00:00:01,000 --> 00:00:02,000", "fine", "", "2", "broken ", "after"]
    data = newline.join(lines).encode("ascii").replace(b"broken ", b"broken \xff\xfe")
    with pytest.raises(DecodeError) as caught:
        decode(data, encoding=codec, path="film.srt")
    error = caught.value
    assert error.line == 6
    assert "line 6" in error.message
    assert "--encoding" in error.message
    assert str(error).startswith("film.srt:6: ")


# --- binary data ---------------------------------------------------------------------


def test_nul_bytes_without_a_utf16_pattern_are_binary() -> None:
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    with pytest.raises(DecodeError) as caught:
        decode(data, path="cover.png")
    assert caught.value.message == (
        "the file does not look like a text subtitle file (binary data at byte 8)"
    )


def test_random_bytes_without_nul_are_binary() -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(1, 256) for _ in range(4096))
    with pytest.raises(
        DecodeError, match=r"does not look like a text subtitle file \(binary data at byte \d+\)"
    ):
        decode(data)


def test_control_characters_in_text_are_binary_at_their_offset() -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nÄpfel\n".encode()
    with pytest.raises(DecodeError) as caught:
        decode(text + bytes(range(1, 9)) * 20)
    assert caught.value.message.endswith(f"(binary data at byte {len(text)})")


def test_a_stray_control_character_is_tolerated() -> None:
    text = SRT.format("Hello", "World") + "\x1a"
    assert decode(text.encode("ascii")).text == text


# --- line endings --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "newline"),
    [
        ("a\nb\nc\n", "\n"),
        ("a\r\nb\r\nc\r\n", "\r\n"),
        ("a\rb\rc\r", "\r"),
        ("a\r\nb\r\nc\nd", "\r\n"),  # mixed: the most frequent wins
        ("a\rb\r\nc\rd\r", "\r"),
        ("no line break", "\n"),
    ],
)
@pytest.mark.parametrize("codec", ["utf-8", "cp1251", "utf-16", "utf-16-be"])
def test_line_endings_are_normalised(raw: str, newline: str, codec: str) -> None:
    text = "Привет, " + raw if codec == "cp1251" else raw
    result = decode(text.encode(codec))
    assert result.text == text.replace("\r\n", "\n").replace("\r", "\n")
    assert result.newline == newline


def test_line_endings_with_forced_encoding() -> None:
    result = decode("x\r\ny\rz\r".encode("utf-16-le"), encoding="utf-16-le")
    assert (result.text, result.newline) == ("x\ny\nz\n", "\r")


def test_cr_fixture_is_normalised() -> None:
    result = decode((FIXTURES / "iso-8859-1.srt").read_bytes())
    assert result.newline == "\r"
    assert "\r" not in result.text


# --- encode --------------------------------------------------------------------------


def test_encode_defaults_to_utf8_without_bom() -> None:
    assert encode("Zoë\n") == "Zoë\n".encode()


def test_encode_bom_and_newline() -> None:
    assert encode("a\nb", "utf-8", bom=True, newline="\r\n") == codecs.BOM_UTF8 + b"a\r\nb"
    assert encode("a\n", "utf-8-sig") == codecs.BOM_UTF8 + b"a\n"
    assert encode("a", "utf-16-le", bom=True) == codecs.BOM_UTF16_LE + b"a\x00"
    assert encode("a", "utf-16-be") == b"\x00a"
    assert encode("a", "utf-32-be", bom=True) == codecs.BOM_UTF32_BE + b"\x00\x00\x00a"
    assert encode("a", "utf-16") == codecs.BOM_UTF16_LE + b"a\x00"
    assert encode("é", "cp1252", bom=True) == b"\xe9"  # no BOM in a code page
    assert encode("a\r\nb\rc\n", newline="\r") == b"a\rb\rc\r"


def test_encode_error_names_character_and_line() -> None:
    with pytest.raises(OutputError) as caught:
        encode("1\r\nCafé\r\nGyőr\r\n", "cp1252", newline="\r\n")
    assert caught.value.message == (
        "character 'ő' (U+0151) in line 3 cannot be written in cp1252; "
        "choose another --output-encoding such as utf-8"
    )
    assert caught.value.line == 3


def test_encode_unknown_encoding_or_newline() -> None:
    with pytest.raises(OutputError, match="unknown output encoding 'nope'"):
        encode("a", "nope")
    with pytest.raises(OutputError, match="unknown line ending"):
        encode("a", newline="\n\r")


ROUND_TRIP_CODECS = [
    "utf-8",
    "utf-16-le",
    "utf-16-be",
    "utf-32-le",
    "cp1250",
    "cp1251",
    "cp1252",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "iso-8859-1",
    "iso-8859-2",
    "iso-8859-7",
    "iso-8859-9",
    "shift_jis",
    "gb18030",
    "big5",
    "euc-kr",
]
#: Characters these codecs encode but decode as something else (¥ → \ in Shift_JIS).
NOT_ROUND_TRIPPABLE = {"shift_jis": "¥‾", "euc-kr": "\u3164"}


@st.composite
def encodable_text(draw: st.DrawFn) -> tuple[str, str]:
    codec = draw(st.sampled_from(ROUND_TRIP_CODECS))
    text = draw(
        st.text(
            st.characters(
                codec=codec,
                exclude_categories=["Cs"],
                exclude_characters=NOT_ROUND_TRIPPABLE.get(codec, ""),
            )
        )
    )
    return codec, text


@given(encodable_text(), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_encode_decode_round_trip(case: tuple[str, str], newline: str, bom: bool) -> None:
    codec, text = case
    if codec.startswith("utf"):
        assume(bom or not text.startswith("\ufeff"))  # a leading U+FEFF *is* a BOM
    data = encode(text, codec, bom=bom, newline=newline)
    result = decode(data, encoding=codec)
    assert result.text == text.replace("\r\n", "\n").replace("\r", "\n")
    assert result.encoding == codec
    assert result.bom is (bom and codec.startswith("utf"))
    if "\n" in result.text:
        assert result.newline == newline


# --- large files ---------------------------------------------------------------------


def test_fifty_megabytes_decode_in_one_pass() -> None:
    """One run on a 50 MB legacy file: detection works on a sample, not the whole."""
    cue = (FIXTURES / "cp1251.srt").read_bytes() + b"\r\n"
    data = cue * (50_000_000 // len(cue) + 1)
    result = decode(data)
    assert result.encoding == "cp1251"
    assert result.newline == "\r\n"
    assert len(result.text) == len(data) - data.count(b"\r\n")
    assert result.text.startswith(EXPECTED["cp1251.srt"]["text"])


def test_bytes_beyond_the_sample_widen_the_codec() -> None:
    """A cp932-only character (①) far from the sampled parts: Shift_JIS → cp932."""
    block = EXPECTED["shift_jis.srt"]["text"].encode("shift_jis") + b"\n"
    head = block * (300_000 // len(block))
    tail = block * (700_000 // len(block))
    data = head + "①番目の信号\n".encode("cp932") + tail
    result = decode(data)
    assert result.encoding == "cp932"
    assert "①番目の信号" in result.text


def test_legacy_file_with_undecodable_bytes_names_the_line() -> None:
    """French cp1252 text with bytes no plausible code page reads, past the sample."""
    block = EXPECTED["cp1252.srt"]["text"].encode("cp1252") + b"\n"
    head = block * (450_000 // len(block))
    data = head + b"x\x81\x8d\x8f\x90\x9d\n" + block * 200
    with pytest.raises(DecodeError) as caught:
        decode(data, path="film.srt")
    assert caught.value.line == head.count(b"\n") + 1
    assert "--encoding" in caught.value.message


@given(st.text(alphabet="ab\r\n é", max_size=40), st.lists(st.integers(0, 40), max_size=5),
       st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_encoding_in_pieces_is_encoding_at_once(text: str, cuts: list[int], newline: str,
                                                bom: bool) -> None:
    from subloc.io.encoding import Encoder

    bounds = sorted({0, len(text), *(min(c, len(text)) for c in cuts)})
    encoder = Encoder("utf-8", bom=bom, newline=newline)
    pieces = b"".join(encoder.encode(text[a:b]) for a, b in itertools.pairwise(bounds))
    assert pieces + encoder.finish() == encode(text, "utf-8", bom=bom, newline=newline)


def test_an_unencodable_character_names_its_line_across_pieces() -> None:
    from subloc.io.encoding import Encoder

    encoder = Encoder("cp1252")
    encoder.encode("one\ntwo\n")
    with pytest.raises(OutputError) as caught:
        encoder.encode("three\n★\n")
    assert caught.value.line == 4

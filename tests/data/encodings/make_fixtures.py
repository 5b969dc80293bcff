"""Generate the encoding fixtures in this folder and ``expected.json``.

Each fixture is a short SRT file (3–5 cues of ordinary dialogue) in a language that really
uses that encoding, written with the encoding's own BOM (if any) and line endings. The
decoded text every fixture must produce is stored in ``expected.json`` (UTF-8, "\\n" line
endings), together with the encoding, BOM flag and original line ending, so the tests never
depend on this script's source encoding.

Run from anywhere::

    python tests/data/encodings/make_fixtures.py
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent


class Fixture(NamedTuple):
    name: str  # file name
    encoding: str  # codec the bytes are written in (canonical name decode() should report)
    language: str
    text: str  # "\n" line endings
    newline: str = "\n"
    bom: bool = False
    # Other codec names that decode these bytes to exactly the same text (a detector may
    # report either).
    also: tuple[str, ...] = ()


def srt(*cues: tuple[str, str, str]) -> str:
    blocks = [f"{n}\n{start} --> {end}\n{body}\n" for n, (start, end, body) in enumerate(cues, 1)]
    return "\n".join(blocks)


FIXTURES = [
    Fixture(
        "cp1250.srt",
        "cp1250",
        "cs",
        srt(
            ("00:00:01,000", "00:00:03,500", "Dobrý večer. Čekal jsem na vás."),
            (
                "00:00:04,000",
                "00:00:06,800",
                "Promiňte, že jdu pozdě.\nJeště jsem musel zajít na poštu.",
            ),
            ("00:00:07,200", "00:00:10,000", "- Dáte si kávu, nebo čaj?\n- Šálek čaje, děkuji."),
            ("00:00:10,500", "00:00:13,000", "Žádný spěch. Zaplaťte, až budete chtít."),
        ),
        newline="\r\n",
    ),
    Fixture(
        "iso-8859-2.srt",
        "iso-8859-2",
        "pl",
        srt(
            ("00:00:00,800", "00:00:03,200", "Gdzie byłeś przez całą noc?"),
            (
                "00:00:03,600",
                "00:00:06,400",
                "Musiałem odwieźć Zośkę do szpitala.\nŹle się poczuła.",
            ),
            (
                "00:00:06,900",
                "00:00:09,500",
                "- Dlaczego nie zadzwoniłeś?\n- Bateria mi się rozładowała.",
            ),
            ("00:00:10,000", "00:00:12,300", "Śniadanie już jest w lodówce. Idę spać."),
        ),
    ),
    Fixture(
        "cp1251.srt",
        "cp1251",
        "ru",
        srt(
            ("00:00:01,200", "00:00:03,800", "Ты слышал, что случилось вчера вечером?"),
            ("00:00:04,100", "00:00:06,900", "Нет. Я весь день был на работе."),
            (
                "00:00:07,300",
                "00:00:10,200",
                "- Кто-то разбил окно в нашем подъезде.\n- Опять эти подростки?",
            ),
            (
                "00:00:10,600",
                "00:00:13,400",
                "Не знаю. «Скорая» приехала — а потом и полиция.\nЕё до сих пор трясёт.",
            ),
        ),
        newline="\r\n",
    ),
    Fixture(
        "cp1252.srt",
        "cp1252",
        "fr",
        srt(
            ("00:00:01,500", "00:00:04,000", "Je t’ai attendu toute la soirée…"),
            ("00:00:04,400", "00:00:07,200", "Il m’a dit : “Ne t’inquiète pas,\nelle viendra.”"),
            ("00:00:07,600", "00:00:10,100", "- Où étais-tu passée ?\n- Chez ma sœur, à Lyon."),
            ("00:00:10,500", "00:00:13,000", "Ça ne se reproduira plus, c’est promis."),
        ),
        newline="\r\n",
    ),
    Fixture(
        "iso-8859-1.srt",
        "iso-8859-1",
        "es",
        srt(
            ("00:00:00,500", "00:00:02,900", "¿Dónde está mi pasaporte?"),
            ("00:00:03,300", "00:00:05,800", "Lo dejaste en el cajón de la cocina."),
            (
                "00:00:06,200",
                "00:00:09,000",
                "- ¡No está allí! Ya lo busqué.\n- Mira en la maleta pequeña.",
            ),
            ("00:00:09,400", "00:00:12,000", "Aquí está. ¡Qué susto, por Dios!"),
        ),
        newline="\r",
        also=("cp1252",),
    ),
    Fixture(
        "cp1253.srt",
        "cp1253",
        "el",
        srt(
            ("00:00:01,000", "00:00:03,400", "Άργησες πάλι. Τι έγινε;"),
            ("00:00:03,800", "00:00:06,500", "Έχασα το λεωφορείο… Συγγνώμη."),
            ("00:00:07,000", "00:00:09,800", "- Ο διευθυντής σε ζητούσε.\n- Τι ήθελε;"),
            ("00:00:10,200", "00:00:12,600", "Είπε “αμέσως στο γραφείο του”."),
        ),
    ),
    Fixture(
        "iso-8859-7.srt",
        "iso-8859-7",
        "el",
        srt(
            ("00:00:00,700", "00:00:03,000", "Καλημέρα, κυρία Παπαδοπούλου."),
            ("00:00:03,400", "00:00:06,100", "Ήρθα για το διαμέρισμα που νοικιάζετε."),
            (
                "00:00:06,500",
                "00:00:09,200",
                "- Άδειασε μόλις χθες. Θέλετε να το δείτε;\n- Ναι, αν είναι δυνατόν.",
            ),
            ("00:00:09,600", "00:00:12,000", "Ακολουθήστε με. Είναι στον τρίτο όροφο."),
        ),
    ),
    Fixture(
        "cp1254.srt",
        "cp1254",
        "tr",
        srt(
            ("00:00:01,000", "00:00:03,600", "Bu saatte nereye gidiyorsun?"),
            ("00:00:04,000", "00:00:06,700", "Annemi görmeye. Hastanede yatıyor…"),
            (
                "00:00:07,100",
                "00:00:09,900",
                "- Neden bana söylemedin?\n- “Endişelenme” dedi, o kadar.",
            ),
            (
                "00:00:10,300",
                "00:00:12,800",
                "Şimdi seninle geliyorum.\nİstanbul’a kadar ben sürerim.",
            ),
        ),
    ),
    Fixture(
        "iso-8859-9.srt",
        "iso-8859-9",
        "tr",
        srt(
            ("00:00:00,900", "00:00:03,300", "Günaydın! Kahvaltı hazır mı?"),
            ("00:00:03,700", "00:00:06,400", "Birazdan. Çayı yeni demledim."),
            (
                "00:00:06,800",
                "00:00:09,500",
                "- Işıl okula gitti mi?\n- Evet, servis bugün erken geldi.",
            ),
            (
                "00:00:09,900",
                "00:00:12,400",
                "Şu gazeteyi uzatır mısın?\nİyi günler, öğleden sonra görüşürüz.",
            ),
        ),
        also=("cp1254",),
    ),
    Fixture(
        "cp1255.srt",
        "cp1255",
        "he",
        srt(
            ("00:00:01,000", "00:00:03,200", "שלום, אני מחפש את דני."),
            ("00:00:03,600", "00:00:06,000", "הוא יצא לפני חצי שעה."),
            (
                "00:00:06,400",
                "00:00:09,000",
                "- אתה יודע מתי הוא יחזור?\n- אין לי מושג. נסה להתקשר אליו.",
            ),
            ("00:00:09,400", "00:00:11,800", "תודה רבה. אני אחכה בחוץ."),
        ),
    ),
    Fixture(
        "cp1256.srt",
        "cp1256",
        "ar",
        srt(
            ("00:00:01,000", "00:00:03,500", "مساء الخير، هل أنت بخير؟"),
            ("00:00:03,900", "00:00:06,400", "نعم، لكنني متعب قليلاً."),
            (
                "00:00:06,800",
                "00:00:09,300",
                "- هل تريد فنجان قهوة؟\n- لا، شكراً. أريد أن أنام فقط.",
            ),
            ("00:00:09,700", "00:00:12,000", "حسناً، سأراك غداً صباحاً."),
        ),
        newline="\r\n",
    ),
    Fixture(
        "shift_jis.srt",
        "shift_jis",
        "ja",
        srt(
            ("00:00:01,000", "00:00:03,500", "すみません、駅はどこですか？"),
            ("00:00:03,900", "00:00:06,300", "この道をまっすぐ行って、\n二つ目の信号を右です。"),
            ("00:00:06,700", "00:00:09,000", "（男性）ありがとうございます。"),
            ("00:00:09,400", "00:00:11,800", "いえいえ、気をつけて。"),
        ),
        newline="\r\n",
        also=("cp932",),
    ),
    Fixture(
        "gb18030.srt",
        "gb18030",
        "zh-Hans",
        srt(
            ("00:00:01,000", "00:00:03,200", "你今天晚上有空吗？"),
            ("00:00:03,600", "00:00:06,000", "有啊，怎么了？"),
            ("00:00:06,400", "00:00:09,000", "我想请你吃饭，\n庆祝我找到新工作了。"),
            ("00:00:09,400", "00:00:11,500", "太好了！恭喜你！"),
        ),
        also=("gbk", "gb2312"),
    ),
    Fixture(
        "big5.srt",
        "big5",
        "zh-Hant",
        srt(
            ("00:00:01,000", "00:00:03,400", "對不起，我來晚了。"),
            ("00:00:03,800", "00:00:06,200", "沒關係，電影還沒開始。"),
            ("00:00:06,600", "00:00:09,000", "你買爆米花了嗎？"),
            ("00:00:09,400", "00:00:11,800", "買了，還有兩杯可樂。"),
        ),
        newline="\r\n",
        also=("cp950", "big5hkscs"),
    ),
    Fixture(
        "euc-kr.srt",
        "euc-kr",
        "ko",
        srt(
            ("00:00:01,000", "00:00:03,300", "어디 가세요? 비가 많이 오는데."),
            ("00:00:03,700", "00:00:06,100", "편의점에 잠깐 다녀올게요."),
            ("00:00:06,500", "00:00:09,000", "우산 가져가요. 현관에 있어요."),
            ("00:00:09,400", "00:00:11,600", "고마워요. 금방 올게요."),
        ),
        also=("cp949",),
    ),
    Fixture(
        "utf-8.srt",
        "utf-8",
        "en",
        srt(
            ("00:00:01,000", "00:00:03,000", "<i>♪ Somewhere over the rainbow ♪</i>"),
            (
                "00:00:03,500",
                "00:00:05,500",
                "That’s Zoë’s café — she makes\nthe best crème brûlée in town.",
            ),
            ("00:00:06,000", "00:00:08,000", "- See you at 8?\n- Sure 👍"),
        ),
    ),
    Fixture(
        "utf-8-sig.srt",
        "utf-8",
        "de",
        srt(
            ("00:00:01,000", "00:00:03,000", "Grüß dich! Lange nicht gesehen."),
            (
                "00:00:03,400",
                "00:00:06,000",
                "Ich war drei Monate in Österreich,\nbei meiner Großmutter.",
            ),
            (
                "00:00:06,500",
                "00:00:09,000",
                "- Und? Wie geht’s ihr?\n- Besser. Sie lässt dich grüßen.",
            ),
        ),
        newline="\r\n",
        bom=True,
    ),
    Fixture(
        "utf-16-le.srt",
        "utf-16-le",
        "vi",
        srt(
            ("00:00:01,000", "00:00:03,000", "Chào anh, anh có khỏe không?"),
            ("00:00:03,400", "00:00:05,800", "Tôi khỏe, cảm ơn. Còn em thì sao?"),
            ("00:00:06,200", "00:00:08,500", "Em cũng ổn. Mình đi uống cà phê nhé?"),
        ),
        newline="\r\n",
        bom=True,
    ),
    Fixture(
        "utf-16-be.srt",
        "utf-16-be",
        "uk",
        srt(
            ("00:00:01,000", "00:00:03,200", "Привіт! Ти вже їв?"),
            ("00:00:03,600", "00:00:06,000", "Ще ні. Ходімо до їдальні?"),
            ("00:00:06,400", "00:00:08,800", "Добре, тільки візьму ґаманець."),
        ),
        bom=True,
    ),
    Fixture(
        "utf-32-le.srt",
        "utf-32-le",
        "hi",
        srt(
            ("00:00:01,000", "00:00:03,000", "नमस्ते, आप कैसे हैं?"),
            ("00:00:03,500", "00:00:05,500", "मैं ठीक हूँ, धन्यवाद।"),
            ("00:00:06,000", "00:00:08,000", "चलिए, चाय पीते हैं।"),
        ),
        bom=True,
    ),
    Fixture(
        "utf-16-le-nobom.srt",
        "utf-16-le",
        "en",
        srt(
            ("00:00:01,000", "00:00:03,000", "Where were you last night?"),
            ("00:00:03,500", "00:00:05,500", "At the office. The deadline's tomorrow."),
            ("00:00:06,000", "00:00:08,000", "- Again?\n- Again."),
        ),
        newline="\r\n",
    ),
]

_BOMS = {
    "utf-8": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}


def render(fixture: Fixture) -> bytes:
    body = fixture.text.replace("\n", fixture.newline).encode(fixture.encoding)
    return (_BOMS[fixture.encoding] if fixture.bom else b"") + body


def main() -> None:
    expected = {}
    for fixture in FIXTURES:
        data = render(fixture)
        # Every fixture must really be in its encoding and nothing else sneaks in.
        assert fixture.text.encode(fixture.encoding).decode(fixture.encoding) == fixture.text
        (HERE / fixture.name).write_bytes(data)
        expected[fixture.name] = {
            "encoding": fixture.encoding,
            "also": list(fixture.also),
            "language": fixture.language,
            "bom": fixture.bom,
            "newline": fixture.newline,
            "text": fixture.text,
        }
    with open(HERE / "expected.json", "w", encoding="utf-8", newline="\n") as out:
        json.dump(expected, out, ensure_ascii=False, indent=2, sort_keys=True)
        out.write("\n")


if __name__ == "__main__":
    main()

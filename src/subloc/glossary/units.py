"""Unit adaptation (``--adapt-units``): US units in the source become metric in the target,
rounded as a subtitler would, in the target locale's number format."""

from __future__ import annotations

import re
from dataclasses import dataclass

from subloc.textwidth import base_language

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100,
}
#: unit pattern -> (factor, offset, metric unit symbol)
_UNITS: list[tuple[str, float, float, str]] = [
    (r"miles?(?:\s+(?:per|an|a)\s+hour)", 1.609344, 0.0, "km/h"),
    (r"mph", 1.609344, 0.0, "km/h"),
    (r"miles?|mi\b", 1.609344, 0.0, "km"),
    (r"(?:feet|foot|ft)\b", 0.3048, 0.0, "m"),
    (r"(?:inch(?:es)?|in\.)", 2.54, 0.0, "cm"),
    (r"(?:pounds?|lbs?)\b", 0.45359237, 0.0, "kg"),
    (r"gallons?", 3.785411784, 0.0, "l"),
    (r"(?:°\s?F|degrees\s+Fahrenheit|℉)", 5 / 9, -32.0, "°C"),
]
_NUMBER = r"(?P<number>\d+(?:[.,]\d+)?|" + "|".join(
    sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True)) + ")"
_PATTERN = re.compile(
    rf"(?<![\w.,]){_NUMBER}(?:\s*|-)(?P<unit>{'|'.join(u for u, *_ in _UNITS)})(?!\w)",
    re.IGNORECASE,
)
#: Languages that write a decimal comma.
DECIMAL_COMMA = frozenset({"es", "fr", "de", "pt", "it", "nl", "pl", "ru", "tr", "cs", "sv",
                           "da", "fi", "nb", "ro", "hu", "el", "uk", "ca"})


@dataclass(frozen=True)
class Conversion:
    start: int
    end: int
    surface: str
    replacement: str


def subtitler_round(value: float) -> float:
    """Round as a subtitler would: whole numbers from 10 up, halves below, one decimal under 1."""
    if abs(value) >= 10:
        return float(round(value))
    if abs(value) >= 1:
        return round(value * 2) / 2
    return round(value, 1)


def format_number(value: float, language: str | None) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return text.replace(".", ",") if base_language(language) in DECIMAL_COMMA else text


def find_conversions(text: str, target_language: str | None) -> list[Conversion]:
    found = []
    for match in _PATTERN.finditer(text):
        raw = match.group("number").lower()
        number = float(_NUMBER_WORDS[raw]) if raw in _NUMBER_WORDS else float(raw.replace(",", "."))
        unit_text = match.group("unit")
        for pattern, factor, offset, symbol in _UNITS:
            if re.fullmatch(pattern, unit_text, re.IGNORECASE):
                value = subtitler_round((number + offset) * factor)
                space = "" if symbol == "°C" else "\u00a0"
                replacement = f"{format_number(value, target_language)}{space}{symbol}"
                found.append(Conversion(match.start(), match.end(), match.group(0), replacement))
                break
    return found

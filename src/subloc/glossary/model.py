"""Cultural glossaries: the data model and the CSV master format.

A CSV glossary (UTF-8) has the header ``source,target,type,case_sensitive,note``; the
language pair comes from the file name (``en-es.csv``) or from ``src_lang,tgt_lang``
columns. Synonyms in ``target`` are separated by ``|``; the first is the one enforced.

Types:
- ``term``: translate the source this way (one of the targets must appear);
- ``dnt``: do not translate (names, brands): the source must appear unchanged;
- ``forbidden``: the target word(s) must not appear in the translation (source optional);
- ``adapt``: a cultural substitution (a holiday, a dish, a school grade): like ``term``,
  reported separately so reviewers can see every adaptation.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from subloc.errors import InputError

Reporter = Callable[[int | None, str], None]
TYPES = ("term", "dnt", "forbidden", "adapt")
HEADER = ("source", "target", "type", "case_sensitive", "note")
_LANG = r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?"
_PAIR_NAME = re.compile(rf"^({_LANG})[-_]({_LANG})$")
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n", ""}


@dataclass(frozen=True)
class Entry:
    """One glossary concept. ``line`` is the 1-based line in ``origin`` (for errors)."""

    source: str
    targets: tuple[str, ...]
    type: str
    case_sensitive: bool = False
    note: str = ""
    origin: str = ""
    line: int | None = None

    @property
    def target(self) -> str:
        """The enforced target (the first synonym); the source itself for ``dnt``."""
        return self.targets[0] if self.targets else self.source


@dataclass
class Glossary:
    source_lang: str
    target_lang: str
    entries: list[Entry] = field(default_factory=list)
    origin: str = ""

    @property
    def pair(self) -> tuple[str, str]:
        return self.source_lang, self.target_lang


@dataclass(frozen=True)
class Problem:
    """A finding of ``subloc glossary check``."""

    origin: str
    line: int | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.origin + (f":{self.line}" if self.line else "")
        return f"{where}: {self.message}"


def pair_from_name(path: Path) -> tuple[str, str] | None:
    match = _PAIR_NAME.match(path.stem)
    return (match.group(1), match.group(2)) if match else None


def parse_bool(value: str) -> bool | None:
    value = value.strip().lower()
    return True if value in _TRUE else False if value in _FALSE else None


def read_csv(path: Path, problems: list[Problem] | None = None) -> Glossary:
    """Read a CSV glossary. Bad rows raise :class:`InputError` naming file and line, unless
    ``problems`` is given, where they are collected (for ``subloc glossary check``)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read glossary as UTF-8 CSV: {error}", path=path) from error
    return parse_csv(text, origin=str(path), pair=pair_from_name(path), problems=problems)


def parse_csv(text: str, *, origin: str = "<memory>", pair: tuple[str, str] | None = None,
              problems: list[Problem] | None = None) -> Glossary:
    def report(line: int | None, message: str) -> None:
        problem = Problem(origin, line, message)
        if problems is None:
            raise InputError(message, path=origin, line=line)
        problems.append(problem)

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        report(1, "empty glossary: expected the header " + ",".join(HEADER))
        return Glossary("und", "und", origin=origin)
    except csv.Error as error:
        report(1, f"bad CSV: {error}")
        return Glossary("und", "und", origin=origin)
    missing = [name for name in HEADER[:3] if name not in header]
    if missing:
        report(1, f"header lacks {', '.join(missing)}; expected " + ",".join(HEADER))
        return Glossary("und", "und", origin=origin)
    glossary = Glossary(*(pair or ("und", "und")), origin=origin)
    column = {name: header.index(name) for name in header}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                report(line, f"{len(row)} fields where the header has {len(header)} "
                             "(quote fields that contain commas)")
                continue
            values = {name: (row[i].strip() if i < len(row) else "") for name, i in column.items()}
            if pair is None and values.get("src_lang") and values.get("tgt_lang"):
                glossary.source_lang, glossary.target_lang = values["src_lang"], values["tgt_lang"]
                pair = glossary.pair
            entry = _entry(values, origin, line, report)
            if entry is not None:
                glossary.entries.append(entry)
    except csv.Error as error:
        report(reader.line_num, f"bad CSV: {error}")
    if glossary.pair == ("und", "und"):
        report(None, "no language pair: name the file like en-es.csv or add src_lang,tgt_lang "
                     "columns")
    return glossary


def _entry(values: dict[str, str], origin: str, line: int, report: Reporter) -> Entry | None:
    kind = values["type"].lower()
    targets = tuple(t.strip() for t in values["target"].split("|") if t.strip())
    source = values["source"]
    case = parse_bool(values.get("case_sensitive", ""))
    problem = None
    if kind not in TYPES:
        problem = f"unknown type {values['type']!r}; use one of {', '.join(TYPES)}"
    elif kind in ("term", "adapt") and (not source or not targets):
        problem = f"a {kind} entry needs a source and a target"
    elif kind == "dnt" and not source:
        problem = "a dnt entry needs a source"
    elif kind == "forbidden" and not targets:
        problem = "a forbidden entry needs the forbidden word in target"
    elif case is None:
        problem = f"case_sensitive must be true or false, not {values['case_sensitive']!r}"
    if problem is not None:
        report(line, problem)
        return None
    return Entry(source=source, targets=targets, type=kind, case_sensitive=bool(case),
                 note=values.get("note", ""), origin=origin, line=line)


def write_csv(glossary: Glossary) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for entry in glossary.entries:
        writer.writerow([entry.source, "|".join(entry.targets), entry.type,
                         "true" if entry.case_sensitive else "false", entry.note])
    return out.getvalue()


def validate(glossaries: Iterable[Glossary], problems: list[Problem]) -> None:
    """Cross-entry checks: duplicates, a term that is both dnt and term."""
    for glossary in glossaries:
        seen: dict[tuple[str, str], Entry] = {}
        for entry in glossary.entries:
            key_source = entry.source.lower()
            if entry.type == "forbidden":
                key_source = "|".join(entry.targets).lower()
            kinds = "dnt/term" if entry.type in ("dnt", "term", "adapt") else entry.type
            key = (kinds, key_source)
            if key in seen:
                first = seen[key]
                if first.type != entry.type:
                    problems.append(Problem(entry.origin, entry.line,
                        f"{entry.source!r} is both {first.type} (line {first.line}) and "
                        f"{entry.type}; keep one"))
                else:
                    problems.append(Problem(entry.origin, entry.line,
                        f"duplicate entry {entry.source or entry.target!r} (first on line "
                        f"{first.line})"))
            else:
                seen[key] = entry


def read_any(path: Path, problems: list[Problem] | None = None) -> Glossary:
    """A CSV or TBX glossary file."""
    if path.suffix.lower() == ".tbx":
        from subloc.glossary.tbx import read_tbx

        return read_tbx(path)
    return read_csv(path, problems)


def shipped_dir() -> Path:
    """The glossaries that ship with subloc (``glossaries/`` in the repository)."""
    return Path(__file__).resolve().parent / "shipped"


def glossary_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*")
                                if p.suffix.lower() in (".csv", ".tbx") and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise InputError("no such glossary file or directory", path=path)
    return files


def load_for_pair(paths: Iterable[Path], source_lang: str, target_lang: str,
                  *, use_default: bool = True) -> list[Entry]:
    """Entries of every glossary for the pair: given files and directories (files for other
    pairs ignored), then the shipped glossary unless ``use_default`` is off."""
    files = glossary_files(paths)
    if use_default:
        shipped = shipped_dir() / f"{source_lang}-{target_lang}.csv"
        if shipped.is_file():
            files.append(shipped)
    entries: list[Entry] = []
    for path in files:
        pair = pair_from_name(path)
        if pair is not None and _base(pair) != (source_lang, target_lang):
            continue
        glossary = read_any(path)
        if _base(glossary.pair) == (source_lang, target_lang):
            entries.extend(glossary.entries)
    return entries


def _base(pair: tuple[str, str]) -> tuple[str, str]:
    return pair[0].split("-")[0].lower(), pair[1].split("-")[0].lower()

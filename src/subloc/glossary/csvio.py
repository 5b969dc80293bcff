"""The CSV master format of glossaries: ``source,target,type,case_sensitive,note`` (UTF-8),
synonyms in ``target`` separated by ``|``, and the optional columns ``plural`` (the targets'
plural forms), ``enforce`` (``mask``, ``verify`` or ``hint``) and ``context`` (where the
source counts); see :mod:`subloc.glossary.model`. Columns are found by their header, in any
order; a glossary that uses none of the optional columns is written with the five classic
ones."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from subloc.errors import InputError
from subloc.glossary.context import ContextError, parse_context
from subloc.glossary.model import (
    ENFORCE,
    HEADER,
    TYPES,
    Entry,
    Glossary,
    Problem,
    Reporter,
    pair_from_name,
    parse_bool,
)


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
            values = {name: _restore(row[i].strip()) if i < len(row) else ""
                      for name, i in column.items()}
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
    targets = _split(values["target"])
    plurals = _split(values.get("plural", ""))
    enforce = values.get("enforce", "").lower()
    context = values.get("context", "")
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
    elif enforce and enforce not in ENFORCE:
        problem = f"enforce must be one of {', '.join(ENFORCE)} (or empty), not {enforce!r}"
    elif enforce and kind == "forbidden":
        problem = "a forbidden entry is checked in the target; enforce does not apply to it"
    elif plurals and kind not in ("term", "adapt"):
        problem = f"a {kind} entry has no plural forms (only term and adapt entries do)"
    else:
        problem = context_problem(context)
    if problem is not None:
        report(line, problem)
        return None
    return Entry(source=source, targets=targets, type=kind, case_sensitive=bool(case),
                 note=values.get("note", ""), origin=origin, line=line, enforce=enforce,
                 context=context, plurals=plurals)


def context_problem(context: str) -> str | None:
    """What is wrong with a context string, or None."""
    try:
        parse_context(context)
    except ContextError as error:
        return str(error)
    return None


def _split(cell: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in cell.split("|") if t.strip())


#: A cell starting with one of these is a formula to a spreadsheet (``=cmd|' /C calc'!A1``).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(cell: str) -> str:
    """A cell a spreadsheet will show as text, never run (OWASP's advice for CSV
    injection): a leading formula character gets a ``'`` before it. ``parse_csv`` takes
    that quote off again, so a glossary survives the round trip."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _restore(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell


#: The header when an entry uses the optional columns.
WIDE_HEADER = ("source", "target", "plural", "type", "enforce", "case_sensitive", "context",
               "note")


def write_csv(glossary: Glossary) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    wide = any(e.enforce or e.context or e.plurals for e in glossary.entries)
    writer.writerow(WIDE_HEADER if wide else HEADER)
    for entry in glossary.entries:
        case = "true" if entry.case_sensitive else "false"
        cells: tuple[str, ...]
        if wide:
            cells = (entry.source, "|".join(entry.targets), "|".join(entry.plurals),
                     entry.type, entry.enforce, case, entry.context, entry.note)
        else:
            cells = (entry.source, "|".join(entry.targets), entry.type, case, entry.note)
        writer.writerow([neutralize(cell) for cell in cells])
    return out.getvalue()

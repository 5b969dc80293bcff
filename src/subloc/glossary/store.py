"""Finding and loading glossaries: the shipped ones, files and folders the user names, the
entries that apply to a language pair, and the cross-entry checks of ``glossary check``.

The shipped glossary of a pair (``glossaries/en-es.csv``) holds only entries that are safe
in any film and applies by default. Others ship beside it under a name
(``en-es.us-setting.csv``: US football, school grades, coins, holidays) and apply when
``--glossary`` names them: ``--glossary us-setting`` is the shipped file of that name for
each pair translated (a pair without one is skipped).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from subloc.errors import InputError
from subloc.glossary.csvio import read_csv
from subloc.glossary.model import Entry, Glossary, Problem, pair_from_name
from subloc.glossary.tbx import read_tbx


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
        return read_tbx(path)
    return read_csv(path, problems)


def shipped_dir() -> Path:
    """The glossaries that ship with subloc (``glossaries/`` in the repository)."""
    return Path(__file__).resolve().parent / "shipped"


#: A shipped glossary's name: ``us-setting`` in ``en-es.us-setting.csv``.
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def shipped_names() -> list[str]:
    """The names of the shipped glossaries that apply only when named."""
    return sorted({p.stem.split(".", 1)[1] for p in shipped_dir().glob("*.*.csv")})


def named_files(name: str) -> list[Path]:
    """The shipped glossaries called ``name``, one per pair that has one."""
    return sorted(shipped_dir().glob(f"*.{name}.csv")) if _NAME.match(name) else []


def glossary_files(paths: Iterable[Path]) -> list[Path]:
    """The glossary files of the given files, directories (searched recursively) and
    shipped glossary names (every pair's file of that name)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*")
                                if p.suffix.lower() in (".csv", ".tbx") and p.is_file()))
        elif path.is_file():
            files.append(path)
        elif named_files(str(path)):
            files.extend(named_files(str(path)))
        else:
            names = ", ".join(shipped_names()) or "none"
            raise InputError(f"no such glossary file or directory, nor a shipped glossary "
                             f"name (shipped: {names})", path=path)
    return files


def load_for_pair(paths: Iterable[Path], source_lang: str, target_lang: str,
                  *, use_default: bool = True) -> list[Entry]:
    """Entries of every glossary for the pair: given files and directories (files for other
    pairs ignored), then the shipped glossary unless ``use_default`` is off. A regional
    target (es-419, pt-BR) takes its language's glossaries and those made for that region
    only; the shipped one only when the region is the market it was written for
    (:data:`SHIPPED_REGIONS`)."""
    files = glossary_files(paths)
    if use_default and shipped_applies(target_lang):
        shipped = shipped_dir() / f"{_base_tag(source_lang)}-{_base_tag(target_lang)}.csv"
        if shipped.is_file():
            files.append(shipped)
    entries: list[Entry] = []
    for path in files:
        pair = pair_from_name(path)
        if pair is not None and not _applies(pair, source_lang, target_lang):
            continue
        glossary = read_any(path)
        if _applies(glossary.pair, source_lang, target_lang):
            entries.extend(glossary.entries)
    return entries


#: The markets the shipped glossaries are written for (their notes and forbidden words are
#: those markets'): a target with a region outside them gets none, since its words differ
#: ("autocarro" is right in Portugal and forbidden for Brazil; "coger" the other way round
#: between Spain and Latin America). A target without a region gets the shipped one.
SHIPPED_REGIONS: dict[str, frozenset[str]] = {
    "es": frozenset({"419", "MX", "AR", "CO", "CL", "PE", "VE", "EC", "GT", "CU", "BO",
                     "DO", "HN", "PY", "SV", "NI", "CR", "PA", "UY", "PR", "US"}),
    "pt": frozenset({"BR"}),
    "fr": frozenset({"FR", "BE", "CH", "LU"}),
    "de": frozenset({"DE", "AT"}),
    "it": frozenset({"IT", "CH"}),
    "ja": frozenset({"JP"}),
}


def shipped_applies(target_lang: str) -> bool:
    """Whether the shipped glossary of ``target_lang``'s language serves it."""
    parts = target_lang.replace("_", "-").split("-")
    regions = [part.upper() for part in parts[1:] if len(part) in (2, 3) and part[:1].isalnum()
               and (len(part) == 2 or part.isdigit())]
    if not regions:
        return True  # es, pt, zh-Hant: no region named
    return regions[0] in SHIPPED_REGIONS.get(parts[0].lower(), frozenset(regions[:1]))


def _applies(pair: tuple[str, str], source_lang: str, target_lang: str) -> bool:
    """Whether a glossary for ``pair`` serves source_lang -> target_lang: each side the same
    language, and a side with a region (pt-BR) only for that region."""
    return all(_base_tag(have) == _base_tag(want)
               and ("-" not in have.replace("_", "-") or _same_tag(have, want))
               for have, want in zip(pair, (source_lang, target_lang), strict=True))


def _base_tag(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def _same_tag(first: str, second: str) -> bool:
    return first.replace("_", "-").lower() == second.replace("_", "-").lower()

"""Delivery profiles: limits and severities per QA rule, per language where they differ.

Built-in profiles are TOML files in this package; a user profile file may say
``extends = "netflix"`` and override any limit or severity, globally (``[limits]``,
``[severity]``) or per language (``[languages.xx]``). Every key and value is validated
when the profile is loaded, so a typo is one line naming the file and the key, not a
crash in the middle of a run.

``[style]`` holds the house style of the text (see :mod:`subloc.qa.typography`): the
ellipsis, the dialogue dash, quotation marks, spacing around punctuation, whether to spell
check, and ``words`` (word-list files, relative to the profile, whose words are never
spelling errors); ``[style.xx]`` overrides it for one language.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from subloc.errors import UsageError
from subloc.issues import RULE_IDS, SEVERITIES, RuleId, Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = ["Profile", "builtin_names", "load_profile", "tomllib"]

_KEYS = {"name", "description", "extends", "limits", "severity", "languages", "style"}
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Profile:
    name: str
    limits: Mapping[str, float]
    severity: Mapping[str, Severity]
    languages: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    #: The ``[style]`` table: ``""`` -> the keys for every language, ``"es"`` -> Spanish's.
    style: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    #: Words that are never spelling errors (the word lists of ``[style] words`` and
    #: ``--words``), sorted.
    words: tuple[str, ...] = ()

    def with_words(self, paths: Iterable[Path | str]) -> Profile:
        """This profile with the words of the word lists ``paths`` added."""
        words = set(self.words)
        for path in paths:
            words.update(_read_words(Path(path), str(path)))
        return replace(self, words=tuple(sorted(words)))

    def without_spelling(self) -> Profile:
        """This profile with spelling off for every language (``spelling = false`` in each
        ``[style]`` table)."""
        style = {key: {**table, "spelling": False} for key, table in self.style.items()}
        style[""] = {**self.style.get("", {}), "spelling": False}
        return replace(self, style=style)

    def limit(self, rule: RuleId, language: str | None = None) -> float | None:
        """The limit of ``rule`` for ``language`` (``en-US``, then ``en``, then global)."""
        tag = (language or "").replace("_", "-")
        for key in (tag, tag.split("-")[0]):
            if key and rule in self.languages.get(key, {}):
                return self.languages[key][rule]
        return self.limits.get(rule)


def builtin_names() -> list[str]:
    files = resources.files(__package__)
    return sorted(p.name[:-5] for p in files.iterdir() if p.name.endswith(".toml"))


def load_profile(name_or_path: str, _seen: tuple[str, ...] = ()) -> Profile:
    """A built-in profile by name, or a TOML profile file (which may extend another)."""
    path = Path(name_or_path)
    from_file = name_or_path not in builtin_names()
    if not from_file:
        text = resources.files(__package__).joinpath(f"{name_or_path}.toml").read_text("utf-8")
        source = name_or_path
    elif path.suffix == ".toml" and path.is_file():
        try:
            text, source = path.read_text(encoding="utf-8"), str(path)
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"cannot read the profile: {error}", path=path) from error
    else:
        raise UsageError(f"unknown profile {name_or_path!r}; use one of "
                         f"{', '.join(builtin_names())} or a .toml profile file")
    if source in _seen:
        raise UsageError(f"profiles extend each other in a loop ({' -> '.join(_seen)})",
                         path=source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"invalid profile TOML: {error}", path=source) from error
    _check_keys(data, _KEYS, "", source)
    extends = data.get("extends")
    if extends is not None and not isinstance(extends, str):
        raise UsageError("'extends' must name a profile", path=source)
    if from_file and extends and extends.endswith(".toml") and not Path(extends).is_absolute():
        extends = str(path.parent / extends)  # relative to the file that extends it
    base = load_profile(extends, (*_seen, source)) if extends else None
    limits = {**(base.limits if base else {}), **_limits(data.get("limits", {}), "limits",
                                                         source)}
    severity = {**(base.severity if base else {}), **_severities(data.get("severity", {}),
                                                                 source)}
    languages = {k: dict(v) for k, v in (base.languages if base else {}).items()}
    table = data.get("languages", {})
    if not isinstance(table, dict):
        raise UsageError("[languages] must be a table of [languages.xx] tables", path=source)
    for language, overrides in table.items():
        languages.setdefault(language, {}).update(
            _limits(overrides, f"languages.{language}", source))
    style = {k: dict(v) for k, v in (base.style if base else {}).items()}
    words = set(base.words if base else ())
    for key, checked in _style(data.get("style", {}), source).items():
        names = checked.pop("words", ())
        folder = path.parent if from_file else Path.cwd()
        for name in names if isinstance(names, tuple) else ():
            words.update(_read_words(folder / str(name), source))
        style.setdefault(key, {}).update(checked)
    return Profile(name=str(data.get("name", path.stem)), limits=limits, severity=severity,
                   languages=languages, style=style, words=tuple(sorted(words)))


def _style(table: object, source: str) -> dict[str, dict[str, object]]:
    """``[style]`` checked: its own keys under ``""``, each ``[style.xx]`` under ``xx``."""
    from subloc.qa.typography import STYLE_KEYS, check_style

    if not isinstance(table, dict):
        raise UsageError("[style] must be a table", path=source)
    common = {k: v for k, v in table.items() if k in STYLE_KEYS}
    out = {"": check_style(common, "style", source)}
    for key, value in table.items():
        if key in STYLE_KEYS:
            continue
        if not _LANGUAGE_TAG.match(key) or not isinstance(value, dict):
            raise UsageError(f"unknown key {key!r} in [style]; known: "
                             f"{', '.join(sorted(STYLE_KEYS))}, or a [style.<lang>] table",
                             path=source)
        if "words" in value:
            raise UsageError(f"[style.{key}] words: word lists go in [style], for every "
                             "language", path=source)
        out[key] = check_style(value, f"style.{key}", source)
    return out


def _read_words(path: Path, source: str) -> list[str]:
    from subloc.qa.spelling import read_words

    try:
        return read_words(path)
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read the word list {path}: {error}", path=source) from error


def _check_keys(table: Mapping[str, object], allowed: set[str] | frozenset[str], where: str,
                source: str) -> None:
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        place = f" in [{where}]" if where else ""
        raise UsageError(f"unknown key {unknown[0]!r}{place}; known: "
                         f"{', '.join(sorted(allowed))}", path=source)


def _limits(table: object, where: str, source: str) -> dict[str, float]:
    if not isinstance(table, dict):
        raise UsageError(f"[{where}] must be a table of rule = number", path=source)
    _check_keys(table, RULE_IDS, where, source)
    limits: dict[str, float] = {}
    for rule, value in table.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise UsageError(f"[{where}] {rule} must be a number >= 0, not {value!r}",
                             path=source)
        limits[rule] = value
    return limits


def _severities(table: object, source: str) -> dict[str, Severity]:
    if not isinstance(table, dict):
        raise UsageError("[severity] must be a table of rule = severity", path=source)
    _check_keys(table, RULE_IDS, "severity", source)
    severities: dict[str, Severity] = {}
    for rule, value in table.items():
        for severity in SEVERITIES:
            if value == severity:
                severities[rule] = severity
                break
        else:
            raise UsageError(f"[severity] {rule} must be one of {', '.join(SEVERITIES)}, not "
                             f"{value!r}", path=source)
    return severities

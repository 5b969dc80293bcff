"""Delivery presets: what a platform or festival takes, as data.

A preset is a TOML file (the built-in ones are in ``pipeline/presets/``; a studio's own
file may say ``extends = "netflix"`` and change any key). It sets:

* ``[[outputs]]``: the files written for each track: ``format`` (a registry name),
  ``extension``, the ``languages`` it is for (``[]``: every language; a base tag such as
  ``ja`` takes ``ja-JP`` too) or ``except-languages``, the ``kinds`` (``subtitles``,
  ``sdh``, ``forced``), ``frame-times`` (TTML ``HH:MM:SS:FF``) and ``naming``;
* ``encoding``, ``bom`` and ``newline`` of the files written;
* ``naming``: the file name, from ``{title}``, ``{lang}`` (the BCP 47 tag as the preset
  writes it), ``{LANG}`` (upper case), ``{kind}`` (``[kinds]``' suffix) and ``{ext}``;
* ``[kinds]``: the suffix each kind of track carries in its name;
* ``[languages]``: the language-code convention: ``ambiguous`` (a bare tag the platform
  refuses, with the tags to choose from: ``es`` -> ``es-419`` or ``es-ES``) and
  ``aliases`` (a tag written as another: ``zh-CN`` -> ``zh-Hans``);
* ``profile`` (QA profile per kind in ``[profiles]``), ``fix`` (the automatic fixes),
  ``fail-on`` (the severity that rejects a file) and ``must-pass`` (rules whose every
  issue rejects a file, whatever its severity);
* ``fps``: the frame rate stated when neither the source nor ``--fps`` gives one;
* ``[dcp]``: DCP subtitle options (:func:`subloc.formats.dcp.option_keys`).

Every key and value is checked when the preset is read: an unknown key, a wrong type or
an unknown format is one line naming the file and the key (a :class:`UsageError`, exit 2).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

from subloc.errors import UsageError
from subloc.formats import FORMATS
from subloc.formats.dcp import option_keys
from subloc.io.read import resolve_format
from subloc.issues import RULE_IDS, SEVERITIES, Severity
from subloc.languages import is_valid_tag
from subloc.qa.profiles import tomllib

__all__ = ["KINDS", "Kind", "Output", "Preset", "builtin_presets", "load_preset"]

Kind = Literal["subtitles", "sdh", "forced"]
KINDS: tuple[Kind, ...] = get_args(Kind)

_KEYS = {"name", "description", "extends", "outputs", "encoding", "bom", "newline",
         "naming", "kinds", "languages", "profile", "profiles", "fix", "fail-on", "must-pass",
         "fps", "dcp"}
_OUTPUT_KEYS = {"format", "extension", "languages", "except-languages", "kinds",
                "frame-times", "naming", "profile"}
_DEFAULT_KINDS = {"subtitles": "", "sdh": ".sdh", "forced": ".forced"}
_LANGUAGE_KEYS = {"ambiguous", "aliases"}
_FIELDS = ("{title}", "{lang}", "{LANG}", "{kind}", "{ext}")
_NEWLINES = {"lf": "\n", "crlf": "\r\n"}


@dataclass(frozen=True)
class Output:
    """One file written per track: its format, extension, and which tracks it is for."""

    format: str
    extension: str
    languages: tuple[str, ...] = ()
    except_languages: tuple[str, ...] = ()
    kinds: tuple[Kind, ...] = KINDS
    frame_times: bool = False
    naming: str = ""
    #: The QA profile of this output's files (a DCP's cinema rules), else the preset's.
    profile: str = ""

    def applies(self, language: str, kind: Kind) -> bool:
        """Whether a track in ``language`` of ``kind`` is written in this output."""
        if kind not in self.kinds:
            return False
        if self.languages and not any(_matches(language, tag) for tag in self.languages):
            return False
        return not any(_matches(language, tag) for tag in self.except_languages)


@dataclass(frozen=True)
class Preset:
    """A delivery preset (see the module docstring)."""

    name: str
    description: str
    outputs: tuple[Output, ...]
    source: str = ""
    encoding: str = "utf-8"
    bom: bool = False
    newline: str = "\n"
    naming: str = "{title}.{lang}{kind}{ext}"
    kinds: Mapping[str, str] = field(default_factory=lambda: dict(_DEFAULT_KINDS))
    ambiguous: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)
    profile: str = "netflix"
    profiles: Mapping[str, str] = field(default_factory=dict)
    fix: bool = True
    fail_on: Severity = "error"
    must_pass: tuple[str, ...] = ()
    fps: float | None = None
    dcp: Mapping[str, Any] = field(default_factory=dict)

    def profile_for(self, kind: Kind, output: Output | None = None) -> str:
        """The QA profile of a track of ``kind`` written by ``output``."""
        if output is not None and output.profile:
            return output.profile
        return self.profiles.get(kind, self.profile)

    def outputs_for(self, language: str, kind: Kind) -> list[Output]:
        return [output for output in self.outputs if output.applies(language, kind)]

    def extensions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(output.extension for output in self.outputs))

    def file_name(self, output: Output, title: str, language: str, kind: Kind) -> str:
        """The name of the file ``output`` writes for a track."""
        template = output.naming or self.naming
        return (template.replace("{title}", title).replace("{lang}", language)
                .replace("{LANG}", language.upper()).replace("{kind}", self.kinds[kind])
                .replace("{ext}", output.extension))

    def name_pattern(self, output: Output) -> re.Pattern[str]:
        """A regular expression matching the names ``output`` writes, with the groups
        ``title``, ``lang`` and ``kind`` (its suffix)."""
        template = output.naming or self.naming
        suffixes = sorted({re.escape(s) for s in self.kinds.values() if s}, key=len,
                          reverse=True)
        kind = f"(?P<kind>{'|'.join(suffixes)})?" if suffixes else "(?P<kind>)"
        parts = re.split(r"(\{title\}|\{lang\}|\{LANG\}|\{kind\}|\{ext\})", template)
        pattern = ""
        seen: set[str] = set()
        for part in parts:
            if part == "{title}" and "title" not in seen:
                pattern += r"(?P<title>.+?)"
                seen.add("title")
            elif part in ("{lang}", "{LANG}") and "lang" not in seen:
                pattern += r"(?P<lang>[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)"
                seen.add("lang")
            elif part == "{kind}" and "kind" not in seen:
                pattern += kind
                seen.add("kind")
            elif part == "{ext}":
                pattern += re.escape(output.extension)
            else:
                pattern += re.escape(part)
        return re.compile(pattern + r"\Z", re.IGNORECASE)

    def upper_case_language(self, output: Output) -> bool:
        """Whether ``output``'s names write the language in capitals (``{LANG}``)."""
        return "{LANG}" in (output.naming or self.naming)

    def kind_of_suffix(self, suffix: str) -> Kind:
        for kind in KINDS:
            if self.kinds[kind].lower() == (suffix or "").lower():
                return kind
        return "subtitles"

    def language_problem(self, tag: str) -> str | None:
        """Why ``tag`` is not a language code this preset takes (``None``: it is)."""
        if not is_valid_tag(tag):
            return f"{tag!r} is not a BCP 47 language tag"
        if tag != canonical_case(tag):
            return f"{tag!r} is written {canonical_case(tag)!r} in BCP 47"
        if tag in self.ambiguous:
            return (f"{tag!r} is ambiguous for {self.name}: use "
                    f"{' or '.join(self.ambiguous[tag])}")
        if tag in self.aliases:
            return f"{self.name} writes {tag!r} as {self.aliases[tag]!r}"
        return None

    def delivery_tag(self, tag: str, where: str = "") -> str:
        """``tag`` as this preset writes it (case, aliases); a :class:`UsageError` for a
        tag the platform refuses (``es`` for Netflix: say es-419 or es-ES)."""
        written = canonical_case(tag.replace("_", "-"))
        written = self.aliases.get(written, written)
        problem = self.language_problem(written)
        if problem is not None:
            raise UsageError(f"{problem} (--deliver {self.name})", path=where or None)
        return written


def canonical_case(tag: str) -> str:
    """A BCP 47 tag in its conventional case: ``pt-br`` -> ``pt-BR``, ``zh-hant`` ->
    ``zh-Hant``."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def _matches(language: str, tag: str) -> bool:
    language, tag = language.lower(), tag.lower()
    return language == tag or language.startswith(tag + "-")


def _presets_folder() -> Any:
    return resources.files(__package__).joinpath("presets")


def builtin_presets() -> list[str]:
    """The names of the presets shipped with subloc."""
    return sorted(p.name[:-5] for p in _presets_folder().iterdir() if p.name.endswith(".toml"))


def load_preset(name_or_path: str, _seen: tuple[str, ...] = ()) -> Preset:
    """A built-in preset by name, or a preset TOML file (which may extend another)."""
    builtin = builtin_presets()
    path = Path(name_or_path)
    if name_or_path in builtin:
        text = _presets_folder().joinpath(f"{name_or_path}.toml").read_text("utf-8")
        source = name_or_path
    elif path.suffix == ".toml" and path.is_file():
        try:
            text, source = path.read_text(encoding="utf-8"), str(path)
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"cannot read the delivery preset: {error}", path=path) from None
    elif path.suffix == ".toml":
        raise UsageError("no such delivery preset file; give an existing .toml file or one "
                         f"of {', '.join(builtin)}", path=path)
    else:
        raise UsageError(f"unknown delivery preset {name_or_path!r}; use one of "
                         f"{', '.join(builtin)} or a .toml preset file")
    if source in _seen:
        raise UsageError(f"presets extend each other in a loop ({' -> '.join(_seen)})",
                         path=source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"invalid preset TOML: {error}", path=source) from None
    return _build(data, source, path if name_or_path not in builtin else None, _seen)


def _build(data: dict[str, Any], source: str, path: Path | None,
           seen: tuple[str, ...]) -> Preset:
    checker = _Checker(source, path)
    checker.keys(data, _KEYS, "")
    extends = data.get("extends")
    base: Preset | None = None
    if extends is not None:
        extends = checker.string(extends, "extends")
        if path is not None and extends.endswith(".toml") and not Path(extends).is_absolute():
            extends = str(path.parent / extends)
        try:
            base = load_preset(extends, (*seen, source))
        except UsageError as error:
            if error.path is not None:
                raise
            raise UsageError(f"extends: {error.message}", path=source) from None
    values: dict[str, Any] = {}
    if base is not None:
        values = {key: getattr(base, key) for key in Preset.__dataclass_fields__}
    values["source"] = source
    values["name"] = checker.string(data.get("name", path.stem if path else source), "name")
    if "description" in data or base is None:
        values["description"] = checker.string(data.get("description", ""), "description")
    if "outputs" in data:
        values["outputs"] = checker.outputs(data["outputs"])
    elif base is None:
        raise UsageError("a preset needs [[outputs]] (or extends = another preset)",
                         path=source)
    if "encoding" in data:
        values["encoding"] = checker.encoding(data["encoding"])
    if "bom" in data:
        values["bom"] = checker.boolean(data["bom"], "bom")
    if "newline" in data:
        newline = checker.string(data["newline"], "newline")
        if newline not in _NEWLINES:
            raise UsageError(f"newline must be lf or crlf, not {newline!r}", path=source)
        values["newline"] = _NEWLINES[newline]
    if "naming" in data:
        values["naming"] = checker.naming(data["naming"], "naming")
    if "kinds" in data:
        table = checker.table(data["kinds"], "kinds")
        checker.keys(table, set(KINDS), "kinds")
        kinds = dict(values.get("kinds") or _DEFAULT_KINDS)
        kinds.update({key: checker.string(value, f"kinds.{key}") for key, value in
                      table.items()})
        values["kinds"] = kinds
    if "languages" in data:
        table = checker.table(data["languages"], "languages")
        checker.keys(table, _LANGUAGE_KEYS, "languages")
        if "ambiguous" in table:
            ambiguous = checker.table(table["ambiguous"], "languages.ambiguous")
            values["ambiguous"] = {
                **dict(values.get("ambiguous", {})),
                **{key: checker.tags(value, f"languages.ambiguous.{key}")
                   for key, value in ambiguous.items()}}
        if "aliases" in table:
            aliases = checker.table(table["aliases"], "languages.aliases")
            values["aliases"] = {
                **dict(values.get("aliases", {})),
                **{key: checker.tags([value], f"languages.aliases.{key}")[0]
                   for key, value in aliases.items()}}
    if "profile" in data:
        values["profile"] = checker.profile(data["profile"], "profile", path)
    if "profiles" in data:
        table = checker.table(data["profiles"], "profiles")
        checker.keys(table, set(KINDS), "profiles")
        values["profiles"] = {**dict(values.get("profiles", {})),
                              **{key: checker.profile(value, f"profiles.{key}", path)
                                 for key, value in table.items()}}
    if "fix" in data:
        values["fix"] = checker.boolean(data["fix"], "fix")
    if "fail-on" in data:
        severity = checker.string(data["fail-on"], "fail-on")
        if severity not in SEVERITIES:
            raise UsageError(f"fail-on must be one of {', '.join(SEVERITIES)}, not "
                             f"{severity!r}", path=source)
        values["fail_on"] = severity
    if "must-pass" in data:
        rules = checker.strings(data["must-pass"], "must-pass")
        unknown = [rule for rule in rules if rule not in RULE_IDS]
        if unknown:
            raise UsageError(f"must-pass: unknown rule {unknown[0]!r} (subloc profiles show "
                             "lists the rules)", path=source)
        values["must_pass"] = rules
    if "fps" in data:
        fps = data["fps"]
        if isinstance(fps, bool) or not isinstance(fps, (int, float)) or fps <= 0:
            raise UsageError(f"fps must be a positive number, not {fps!r}", path=source)
        values["fps"] = float(fps)
    if "dcp" in data:
        table = checker.table(data["dcp"], "dcp")
        checker.keys(table, set(option_keys()), "dcp")
        values["dcp"] = {**dict(values.get("dcp", {})), **table}
    if not values.get("outputs"):
        raise UsageError("a preset needs at least one [[outputs]] entry", path=source)
    return Preset(**values)


class _Checker:
    """Checks of a preset's keys and values, each failing as one line naming the file."""

    def __init__(self, source: str, path: Path | None) -> None:
        self.source, self.path = source, path

    def fail(self, message: str) -> UsageError:
        return UsageError(message, path=self.source)

    def keys(self, table: Mapping[str, Any], known: set[str], where: str) -> None:
        for key in table:
            if key not in known:
                place = f" in [{where}]" if where else ""
                raise self.fail(f"unknown key {key!r}{place}; known: "
                                f"{', '.join(sorted(known))}")

    def table(self, value: object, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"[{where}] must be a table")
        return value

    def string(self, value: object, where: str) -> str:
        if not isinstance(value, str):
            raise self.fail(f"{where} must be a string, not {value!r}")
        return value

    def strings(self, value: object, where: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(f"{where} must be a list of strings, not {value!r}")
        return tuple(value)

    def boolean(self, value: object, where: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(f"{where} must be true or false, not {value!r}")
        return value

    def tags(self, value: object, where: str) -> tuple[str, ...]:
        tags = self.strings(value, where) if isinstance(value, list) else \
            (self.string(value, where),)
        for tag in tags:
            if not is_valid_tag(tag):
                raise self.fail(f"{where}: {tag!r} is not a BCP 47 language tag")
        return tags

    def encoding(self, value: object) -> str:
        import codecs

        name = self.string(value, "encoding")
        try:
            codecs.lookup(name)
        except LookupError:
            raise self.fail(f"encoding: unknown encoding {name!r}") from None
        return name

    def naming(self, value: object, where: str) -> str:
        template = self.string(value, where)
        rest = template
        for name in _FIELDS:
            rest = rest.replace(name, "")
        if "{" in rest or "}" in rest:
            raise self.fail(f"{where}: {template!r} has an unknown field; use "
                            f"{', '.join(_FIELDS)}")
        if "{lang}" not in template and "{LANG}" not in template:
            raise self.fail(f"{where}: {template!r} must carry the language ({{lang}})")
        if "/" in template or "\\" in template:
            raise self.fail(f"{where}: {template!r} must be a file name, not a path")
        return template

    def profile(self, value: object, where: str, path: Path | None) -> str:
        from subloc.qa.profiles import builtin_names

        name = self.string(value, where)
        if name in builtin_names():
            return name
        if name.endswith(".toml"):
            if path is not None and not Path(name).is_absolute():
                name = str(path.parent / name)
            if Path(name).is_file():
                return name
        raise self.fail(f"{where}: unknown QA profile {name!r}; use one of "
                        f"{', '.join(builtin_names())} or a .toml profile file")

    def outputs(self, value: object) -> tuple[Output, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail("outputs must be a list of [[outputs]] tables")
        outputs = []
        for number, item in enumerate(value, start=1):
            where = f"outputs #{number}"
            table = self.table(item, where)
            self.keys(table, _OUTPUT_KEYS, where)
            if "format" not in table:
                raise self.fail(f"{where}: format is required")
            try:
                fmt = resolve_format(self.string(table["format"], f"{where} format"))
            except UsageError as error:
                raise self.fail(f"{where}: {error.message}") from None
            if not FORMATS[fmt].can_write:
                raise self.fail(f"{where}: subloc cannot write {fmt}")
            extension = self.string(table.get("extension", FORMATS[fmt].extensions[0]),
                                    f"{where} extension")
            if not extension.startswith(".") or "/" in extension:
                raise self.fail(f"{where}: extension must start with a dot, not "
                                f"{extension!r}")
            kinds = self.strings(table.get("kinds", list(KINDS)), f"{where} kinds")
            for kind in kinds:
                if kind not in KINDS:
                    raise self.fail(f"{where}: unknown kind {kind!r}; use "
                                    f"{', '.join(KINDS)}")
            outputs.append(Output(
                format=fmt, extension=extension,
                languages=self.tags(table.get("languages", []), f"{where} languages"),
                except_languages=self.tags(table.get("except-languages", []),
                                           f"{where} except-languages"),
                kinds=tuple(kind for kind in KINDS if kind in kinds),
                frame_times=self.boolean(table.get("frame-times", False),
                                         f"{where} frame-times"),
                naming=self.naming(table["naming"], f"{where} naming")
                if "naming" in table else "",
                profile=self.profile(table["profile"], f"{where} profile", self.path)
                if "profile" in table else ""))
        return tuple(outputs)

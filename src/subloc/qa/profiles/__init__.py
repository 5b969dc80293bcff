"""Delivery profiles: limits and severities per QA rule, per language where they differ.

Built-in profiles are TOML files in this package; a user profile file may say
``extends = "netflix"`` and override any limit or severity, globally (``[limits]``,
``[severity]``) or per language (``[languages.xx]``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from subloc.errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = ["Profile", "builtin_names", "load_profile", "tomllib"]


@dataclass(frozen=True)
class Profile:
    name: str
    limits: dict[str, Any]
    severity: dict[str, str]
    languages: dict[str, dict[str, Any]] = field(default_factory=dict)

    def limit(self, rule: str, language: str | None = None) -> Any:
        """The limit of ``rule`` for ``language`` (``en-US``, then ``en``, then global)."""
        tag = (language or "").replace("_", "-")
        for key in (tag, tag.split("-")[0]):
            if key and rule in self.languages.get(key, {}):
                return self.languages[key][rule]
        return self.limits.get(rule)


def builtin_names() -> list[str]:
    files = resources.files(__package__)
    return sorted(p.name[:-5] for p in files.iterdir() if p.name.endswith(".toml"))


def load_profile(name_or_path: str) -> Profile:
    """A built-in profile by name, or a TOML profile file (which may extend another)."""
    path = Path(name_or_path)
    if name_or_path in builtin_names():
        text = resources.files(__package__).joinpath(f"{name_or_path}.toml").read_text("utf-8")
        source = name_or_path
    elif path.suffix == ".toml" and path.is_file():
        text, source = path.read_text(encoding="utf-8"), str(path)
    else:
        raise UsageError(f"unknown profile {name_or_path!r}; use one of "
                         f"{', '.join(builtin_names())} or a .toml profile file")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"invalid profile TOML: {error}", path=source) from error
    base = load_profile(data["extends"]) if "extends" in data else None
    limits = {**(base.limits if base else {}), **data.get("limits", {})}
    severity = {**(base.severity if base else {}), **data.get("severity", {})}
    languages = {k: dict(v) for k, v in (base.languages if base else {}).items()}
    for language, overrides in data.get("languages", {}).items():
        languages.setdefault(language, {}).update(overrides)
    return Profile(name=str(data.get("name", path.stem)), limits=limits, severity=severity,
                   languages=languages)

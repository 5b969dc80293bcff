"""``Issue``: one finding about a job, from any stage (QA rules, fixes, fallbacks)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SEVERITIES = ("info", "warning", "error")


@dataclass
class Issue:
    """A finding: ``rule`` is a stable public id; ``cue`` the source cue id (or None for
    the whole file); ``value``/``limit`` the measured value and the limit it broke; a fix
    is an issue with ``fixed=True`` and ``before``/``after`` values."""

    rule: str
    severity: str
    message: str
    cue: int | None = None
    value: Any = None
    limit: Any = None
    fixed: bool = False
    before: Any = None
    after: Any = None

    def to_json(self) -> dict[str, Any]:
        data = {"rule": self.rule, "severity": self.severity, "message": self.message,
                "cue": self.cue, "value": self.value, "limit": self.limit,
                "fixed": self.fixed}
        if self.fixed:
            data["before"], data["after"] = self.before, self.after
        return data


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)

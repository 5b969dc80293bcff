"""Report writers. ``report.json`` has a versioned schema (``subloc.report/1``) and no
timestamps or durations, so the same inputs give the same bytes."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from subloc import __version__
from subloc.io.write import atomic_write
from subloc.issues import SEVERITIES, Issue

SCHEMA_ID = "subloc.report/1"


def summarize(issues: list[Issue]) -> dict[str, int]:
    counts = Counter(i.severity for i in issues if not i.fixed)
    summary = {severity: counts.get(severity, 0) for severity in reversed(SEVERITIES)}
    summary["fixed"] = sum(1 for i in issues if i.fixed)
    return summary


def build_report(jobs: list[dict[str, Any]], profile: str) -> dict[str, Any]:
    summary = Counter({key: 0 for key in (*reversed(SEVERITIES), "fixed")})
    for job in jobs:
        summary.update(job.pop("_summary"))
    return {
        "schema": SCHEMA_ID,
        "tool": {"name": "subloc", "version": __version__},
        "profile": profile,
        "jobs": jobs,
        "summary": dict(summary),
    }


def job_entry(*, source: str | None, target: str | None, source_lang: str | None,
              target_lang: str, engine: str, cues: int, issues: list[Issue],
              extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "source": source,
        "target": target,
        "source_lang": source_lang,
        "target_lang": target_lang,
        "engine": engine,
        "cues": cues,
        "source_lang_probability": None,
        "segments": 0,
        "glossary_hits": [],
        "error": None,
        **(extra or {}),
        "issues": [issue.to_json() for issue in issues],
        "_summary": summarize(issues),
    }


def write_json(report: dict[str, Any], path: Path) -> None:
    text = json.dumps(report, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    atomic_write(path, text.encode("utf-8"))


def write_reports(report: dict[str, Any], rows: list[list[dict[str, Any]]],
                  directory: Path) -> list[Path]:
    """``report.json``, ``report.html`` and ``report.junit.xml`` into ``directory``."""
    from subloc.reports.html import render_html
    from subloc.reports.junit import render_junit

    paths = [directory / "report.json", directory / "report.html",
             directory / "report.junit.xml"]
    write_json(report, paths[0])
    atomic_write(paths[1], render_html(report, rows).encode("utf-8"))
    atomic_write(paths[2], render_junit(report).encode("utf-8"))
    return paths

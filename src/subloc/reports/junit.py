"""JUnit XML for CI servers (Jenkins, GitLab, GitHub Actions test reporters).

One ``<testsuite name="subloc">`` inside ``<testsuites>``; one ``<testcase>`` per job with
``classname`` = the source file (the checked track when a job has no source) and ``name`` =
the target language. A failed job carries
an ``<error>``; every unfixed error-level issue is a ``<failure>`` (``message`` = rule and
cue, ``type`` = rule, body = message, value and limit). Warnings, info and fixes do not
fail a test case; they are counted in ``<system-out>``.

``failures`` and ``errors`` count the ``<failure>`` and ``<error>`` elements, so a job
with three line-length errors adds three failures. No timestamps or durations: the same
report gives the same bytes. Characters XML 1.0 cannot carry are replaced by U+FFFD.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from subloc.io.write import atomic_write

_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: Any) -> str:
    """Any value as XML-safe text."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           sort_keys=True, default=str)
    return _INVALID_XML.sub("\ufffd", text)


def _is_failure(issue: Mapping[str, Any]) -> bool:
    return issue.get("severity") == "error" and not issue.get("fixed")


def _failure(case: ET.Element, issue: Mapping[str, Any]) -> None:
    rule = _text(issue.get("rule", ""))
    cue = issue.get("cue")
    where = f"cue {_text(cue)}" if cue is not None else "whole file"
    lines = [_text(issue.get("message", ""))]
    if issue.get("value") is not None:
        lines.append(f"value: {_text(issue.get('value'))}")
    if issue.get("limit") is not None:
        lines.append(f"limit: {_text(issue.get('limit'))}")
    element = ET.SubElement(case, "failure", {"message": f"{rule} ({where})", "type": rule})
    element.text = "\n".join(lines)


def render_junit(report: dict[str, Any]) -> str:
    """The JUnit XML document for a report dict (see :mod:`subloc.reports.json`)."""
    jobs = [job for job in report.get("jobs") or [] if isinstance(job, Mapping)]
    failures = sum(1 for job in jobs for issue in job.get("issues") or []
                   if isinstance(issue, Mapping) and _is_failure(issue))
    errors = sum(1 for job in jobs if job.get("error"))
    counts = {"tests": str(len(jobs)), "failures": str(failures), "errors": str(errors)}
    root = ET.Element("testsuites", {"name": "subloc", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "subloc", **counts, "skipped": "0"})
    properties = ET.SubElement(suite, "properties")
    tool = report.get("tool")
    tool = tool if isinstance(tool, Mapping) else {}
    for name, value in (("schema", report.get("schema")), ("profile", report.get("profile")),
                        ("version", tool.get("version"))):
        if value is not None:
            ET.SubElement(properties, "property", {"name": name, "value": _text(value)})
    for job in jobs:
        case = ET.SubElement(suite, "testcase", {
            "classname": _text(job.get("source") or job.get("target") or ""),
            "name": _text(job.get("target_lang", "")),
        })
        if job.get("error"):
            error = ET.SubElement(case, "error", {"message": _text(job.get("error")),
                                                  "type": "job-error"})
            error.text = _text(job.get("error"))
        issues = [issue for issue in job.get("issues") or [] if isinstance(issue, Mapping)]
        for issue in issues:
            if _is_failure(issue):
                _failure(case, issue)
        tally = Counter("fixed" if i.get("fixed") else str(i.get("severity")) for i in issues)
        out = ET.SubElement(case, "system-out")
        out.text = (f"engine: {_text(job.get('engine', ''))}; cues: {_text(job.get('cues', 0))}; "
                    f"issues: {tally.get('error', 0)} error, {tally.get('warning', 0)} warning, "
                    f"{tally.get('info', 0)} info, {tally.get('fixed', 0)} fixed; "
                    f"output: {_text(job.get('target') or '-')}")
    ET.indent(root, space="  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(root, encoding="unicode") + "\n")


def write_junit(report: dict[str, Any], path: str | Path) -> None:
    """Render and write the JUnit XML atomically (UTF-8)."""
    atomic_write(path, render_junit(report).encode("utf-8"))

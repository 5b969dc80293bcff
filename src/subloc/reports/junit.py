"""JUnit XML for CI servers (Jenkins, GitLab, GitHub Actions test reporters).

One ``<testsuite name="subloc">`` inside ``<testsuites>``; one ``<testcase>`` per job with
``classname`` = the source file (the checked track when a job has no source) and ``name`` =
the target language. A failed job carries an ``<error>``; every unfixed error-level issue
is a ``<failure>`` (``message`` = rule and cue, ``type`` = rule, body = message, value and
limit). Warnings, info and fixes do not fail a test case; they are counted in
``<system-out>``.

``failures`` and ``errors`` count the ``<failure>`` and ``<error>`` elements, so a job
with three line-length errors adds three failures. No timestamps or durations: the same
report gives the same bytes. Characters XML 1.0 cannot carry are replaced by U+FFFD.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from subloc.io.xmlsafe import replace_invalid_xml_chars
from subloc.issues import Issue
from subloc.reports.base import ReportWriter, Rows
from subloc.reports.model import Report


def _text(value: object) -> str:
    """Any value as XML-safe text."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           sort_keys=True, default=str)
    return replace_invalid_xml_chars(text)[0]


def _is_failure(issue: Issue) -> bool:
    return issue.severity == "error" and not issue.fixed


def _failure(case: ET.Element, issue: Issue) -> None:
    where = f"cue {_text(issue.cue)}" if issue.cue is not None else "whole file"
    lines = [_text(issue.message)]
    if issue.value is not None:
        lines.append(f"value: {_text(issue.value)}")
    if issue.limit is not None:
        lines.append(f"limit: {_text(issue.limit)}")
    element = ET.SubElement(case, "failure", {"message": f"{issue.rule} ({where})",
                                              "type": issue.rule})
    element.text = "\n".join(lines)


def render_junit(report: Report) -> str:
    """The JUnit XML document for a report."""
    failures = sum(1 for job in report.jobs for issue in job.issues if _is_failure(issue))
    errors = sum(1 for job in report.jobs if job.error)
    counts = {"tests": str(len(report.jobs)), "failures": str(failures),
              "errors": str(errors)}
    root = ET.Element("testsuites", {"name": "subloc", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "subloc", **counts, "skipped": "0"})
    properties = ET.SubElement(suite, "properties")
    for name, value in (("schema", report.schema), ("run_id", report.run_id),
                        ("profile", report.profile), ("version", report.tool_version)):
        ET.SubElement(properties, "property", {"name": name, "value": _text(value)})
    for job in report.jobs:
        case = ET.SubElement(suite, "testcase", {"classname": _text(job.file),
                                                 "name": _text(job.target_lang)})
        if job.error:
            error = ET.SubElement(case, "error", {"message": _text(job.error),
                                                  "type": "job-error"})
            error.text = _text(job.error)
        for issue in job.issues:
            if _is_failure(issue):
                _failure(case, issue)
        tally = job.counts
        out = ET.SubElement(case, "system-out")
        out.text = (f"engine: {_text(job.engine)}; cues: {job.cues}; "
                    f"issues: {tally.error} error, {tally.warning} warning, "
                    f"{tally.info} info, {tally.fixed} fixed; "
                    f"output: {_text(job.target or '-')}")
    ET.indent(root, space="  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(root, encoding="unicode") + "\n")


class JunitWriter(ReportWriter):
    name = "junit"
    filename = "report.junit.xml"

    def render(self, report: Report, rows: Rows) -> bytes:
        return render_junit(report).encode("utf-8")

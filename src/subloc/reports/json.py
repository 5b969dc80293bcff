"""``report.json``: the machine-readable report, schema ``subloc.report/1``; the same
report gives the same bytes (no timestamps or durations).

Written as a stream, one issue at a time, so a run of a million cues never holds its
report as one object tree or one string; the bytes are exactly ``json.dumps(report,
indent=2, ensure_ascii=False)`` plus a newline.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import BinaryIO

from subloc.reports.base import ReportWriter, Rows
from subloc.reports.model import JobReport, Report, confidence_json, issue_json

_INDENT = "  "


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


class _Lazy:
    """A JSON array whose items are made one at a time while it is written."""

    def __init__(self, items: Iterable[object]) -> None:
        self.items = items


def _job(job: JobReport) -> dict[str, object]:
    data = job.to_json(with_issues=False)
    data["glossary_hits"] = _Lazy(hit.to_json() for hit in job.glossary_hits)
    data["issues"] = _Lazy(issue_json(issue) for issue in job.issues)
    if job.confidence:
        data["confidence"] = _Lazy(confidence_json(cue, score) for cue, score in job.confidence)
    return data


def _chunks(value: object, level: int) -> Iterator[str]:
    """``json.dumps(value, indent=2)`` at nesting ``level``, in pieces: containers holding
    lazy arrays are walked; anything else is dumped in one call and re-indented."""
    if isinstance(value, Mapping) and _has_lazy(value):
        inner = "\n" + _INDENT * (level + 1)
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            yield ("," if index else "") + inner + json.dumps(key, ensure_ascii=False) + ": "
            yield from _chunks(item, level + 1)
        yield "\n" + _INDENT * level + "}"
    elif isinstance(value, _Lazy):
        inner = "\n" + _INDENT * (level + 1)
        empty = True
        for item in value.items:
            yield ("[" if empty else ",") + inner
            empty = False
            yield from _chunks(item, level + 1)
        yield "[]" if empty else "\n" + _INDENT * level + "]"
    elif isinstance(value, dict) and all(_flat(item) for item in value.values()):
        yield _flat_object(value, level)
    else:
        text = json.dumps(value, ensure_ascii=False, indent=2)
        yield text.replace("\n", "\n" + _INDENT * level) if level else text


def _flat(value: object) -> bool:
    return not isinstance(value, (dict, list, tuple)) or (
        isinstance(value, (list, tuple)) and not any(isinstance(v, (dict, list, tuple))
                                                     for v in value))


def _flat_object(value: dict[str, object], level: int) -> str:
    """An object of scalars and lists of scalars (every issue and glossary hit) exactly as
    ``json.dumps(indent=2)`` lays it out, with the C encoder for each value (the indenting
    encoder is pure Python, and a report can hold millions of issues)."""
    if not value:
        return "{}"
    pad = "\n" + _INDENT * (level + 1)
    parts = []
    for key, item in value.items():
        if isinstance(item, (list, tuple)):
            if item:
                inner = pad + _INDENT
                text = "[" + ",".join(inner + _dumps(v) for v in item) + pad + "]"
            else:
                text = "[]"
        else:
            text = _dumps(item)
        parts.append(pad + _dumps(key) + ": " + text)
    return "{" + ",".join(parts) + "\n" + _INDENT * level + "}"


_dumps = json.JSONEncoder(ensure_ascii=False).encode


def _has_lazy(value: Mapping[str, object]) -> bool:
    return any(isinstance(item, _Lazy) or (isinstance(item, Mapping) and _has_lazy(item))
               for item in value.values())


def write_json(report: Report, handle: BinaryIO) -> None:
    document = report.to_json(with_jobs=False)
    document["jobs"] = _Lazy(_job(job) for job in report.jobs)
    document["summary"] = document.pop("summary")  # keep the key order: jobs, then summary
    buffer: list[str] = []
    size = 0
    for chunk in _chunks(document, 0):
        buffer.append(chunk)
        size += len(chunk)
        if size > 1 << 16:
            handle.write("".join(buffer).encode("utf-8"))
            buffer, size = [], 0
    buffer.append("\n")
    handle.write("".join(buffer).encode("utf-8"))


class JsonWriter(ReportWriter):
    name = "json"
    filename = "report.json"

    def render(self, report: Report, rows: Rows) -> bytes:
        return render_json(report).encode("utf-8")

    def write(self, report: Report, rows: Rows, handle: BinaryIO) -> None:
        write_json(report, handle)

"""``report.json``: the machine-readable report, schema ``subloc.report/1``; the same
report gives the same bytes (no timestamps or durations)."""

from __future__ import annotations

import json

from subloc.reports.base import ReportWriter, Rows
from subloc.reports.model import Report


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


class JsonWriter(ReportWriter):
    name = "json"
    filename = "report.json"

    def render(self, report: Report, rows: Rows) -> bytes:
        return render_json(report).encode("utf-8")

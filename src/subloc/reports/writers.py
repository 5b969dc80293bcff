"""The registry of report writers: ``WRITERS`` maps a name to a
:class:`~subloc.reports.base.ReportWriter` subclass (see there to add one), and
:func:`write_reports` writes a run's reports atomically into one directory."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

from subloc.io.atomic import atomic_write_with
from subloc.reports.base import ReportWriter, Rows
from subloc.reports.html import HtmlWriter
from subloc.reports.json import JsonWriter
from subloc.reports.junit import JunitWriter
from subloc.reports.model import Report

WRITERS: dict[str, type[ReportWriter]] = {
    cls.name: cls for cls in (JsonWriter, HtmlWriter, JunitWriter)}
DEFAULT_REPORTS = ("json", "html", "junit")


def write_reports(report: Report, rows: Rows, directory: Path,
                  names: Sequence[str] = DEFAULT_REPORTS) -> list[Path]:
    """Write the named reports into ``directory``; returns their paths in that order."""
    paths = []
    for name in names:
        writer = WRITERS[name]()
        path = directory / writer.filename
        atomic_write_with(path, functools.partial(writer.write, report, rows))
        paths.append(path)
    return paths


#: Where each report carries its run id, and how far into the file to look for it.
_RUN_ID_MARKS = {"json": ('"run_id": "{}"', 4096), "junit": ('value="{}"', 4096),
                 "html": ("run {}", 1 << 16)}


def reports_current(report: Report, directory: Path,
                    names: Sequence[str] = DEFAULT_REPORTS) -> bool:
    """Whether the reports in ``directory`` are already this report's (the same run id, a
    digest of everything in them): a rerun that changed nothing need not rewrite them."""
    for name in names:
        mark, reach = _RUN_ID_MARKS[name]
        try:
            with open(directory / WRITERS[name].filename, "rb") as handle:
                head = handle.read(reach).decode("utf-8", "replace")
        except OSError:
            return False
        if mark.format(report.run_id) not in head:
            return False
    return True

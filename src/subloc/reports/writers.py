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

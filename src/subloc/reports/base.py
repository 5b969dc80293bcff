"""The base class of report writers (the registry is :mod:`subloc.reports.writers`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO

from subloc.reports.model import CueRow, Report

#: ``rows[i]`` are the cue rows of ``report.jobs[i]``; may be shorter than the jobs (a job
#: without rows lists only its issues).
Rows = Sequence[Sequence[CueRow]]


class ReportWriter:
    """One report file. To add one: subclass, set ``name`` and ``filename``, implement
    ``render`` (the same bytes for the same report; override ``write`` to stream a large
    one), and add the class to :data:`subloc.reports.writers.WRITERS`."""

    name = ""
    filename = ""

    def render(self, report: Report, rows: Rows) -> bytes:
        raise NotImplementedError

    def write(self, report: Report, rows: Rows, handle: BinaryIO) -> None:
        handle.write(self.render(report, rows))

"""Reports of a run: the typed report (:mod:`~subloc.reports.model`), and a registry of
writers, one per file (``report.json``, ``report.html``, ``report.junit.xml``); see
:mod:`~subloc.reports.writers`."""

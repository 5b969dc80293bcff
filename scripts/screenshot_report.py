#!/usr/bin/env python
"""Render a sample ``report.html`` from the bundled samples and screenshot it.

Runs ``subloc.pipeline.localize.localize`` on ``sample_subs/`` (pseudo engine, so no model is
needed) into a temp dir, with a small en→es/en→fr glossary, unit adaptation on, and one
unreadable file so the report shows a failed job; then renders the HTML and takes
screenshots with headless Chromium (``apt-get install -y chromium``):

    PYTHONPATH=src python scripts/screenshot_report.py \\
        --out /tmp/report_screenshot.png --html /tmp/report_sample.html \\
        --filtered "sev=error,warning&only=1"

``--filtered`` takes a filter state as the report's URL fragment and writes a second
screenshot next to ``--out`` (``*_filtered.png``) so the filters can be checked by eye;
``--scrolled`` an anchor (``*_scrolled.png``) to check the sticky headers.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import replace
from html import escape
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from subloc.pipeline.localize import LocalizeOptions, localize  # noqa: E402
from subloc.reports.html import render_html  # noqa: E402
from subloc.reports.junit import render_junit  # noqa: E402
from subloc.reports.model import CueRow, Report  # noqa: E402

GLOSSARY = """\
source,target,type,case_sensitive,note
Thanksgiving,{thanksgiving},adapt,false,US holiday
pumpkin pie,{pie},term,false,
Port Alder,,dnt,true,town name
root beer,{root_beer},adapt,false,
"""
TERMS = {
    "es": {"thanksgiving": "Acción de Gracias", "pie": "pastel de calabaza",
           "root_beer": "refresco de raíz"},
    "fr": {"thanksgiving": "Thanksgiving", "pie": "tarte à la citrouille",
           "root_beer": "soda à la racinette"},
}
EDGE_CASES = textwrap.dedent("""\
    1
    00:00:01,000 --> 00:00:01,400
    Quick!

    2
    00:00:02,000 --> 00:00:05,000
    <font color="#ffff00">The lighthouse</font> at <b>Port Alder</b>
    <script>alert(1)</script>

    3
    00:00:05,500 --> 00:00:09,000
    <i>Pumpkin pie for Thanksgiving?</i>
    """)


def build(workdir: Path) -> tuple[Report, list[tuple[CueRow, ...]]]:
    inputs = workdir / "in"
    inputs.mkdir()
    for sample in sorted((REPO / "sample_subs").iterdir()):
        shutil.copy(sample, inputs / sample.name)
    (inputs / "edge_cases.srt").write_text(EDGE_CASES, encoding="utf-8")
    (inputs / "broken.srt").write_bytes(b"1\nthis is not a timing line\n\x00\x01\x02")
    glossaries = []
    for lang, terms in TERMS.items():
        path = workdir / f"en-{lang}.csv"
        path.write_text(GLOSSARY.format(**terms), encoding="utf-8")
        glossaries.append(path)
    out = workdir / "out"
    options = LocalizeOptions(targets=("es", "fr"), engine="pseudo", output_dir=out,
                              use_cache=False, glossaries=tuple(glossaries), adapt_units=True)
    result = localize(sorted(inputs.iterdir()), options)

    def relative(path: str | None) -> str | None:
        # Paths relative to the temp dir read better in the screenshot.
        return str(Path(path).relative_to(workdir)) if path else None

    jobs = [replace(job, source=relative(job.source), target=relative(job.target),
                    error=job.error.replace(f"{workdir}/", "") if job.error else None)
            for job in result.report.jobs]
    report = Report.build(jobs, result.report.profile)
    return report, [job.rows for job in result.jobs]


def screenshot(html: Path, png: Path, fragment: str = "", size: str = "1400,2000") -> None:
    """Headless Chromium screenshot of ``html`` (with ``#fragment``). Headless Chromium
    paints nothing for a page scrolled to an anchor, so the page is shown in a
    full-window iframe of a throwaway wrapper page, which it paints scrolled."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    width, height = (int(n) for n in size.split(","))
    with tempfile.TemporaryDirectory() as profile:
        target = html.resolve().as_uri() + (f"#{fragment}" if fragment else "")
        wrapper = Path(profile) / "frame.html"
        wrapper.write_text(
            '<!DOCTYPE html><html><body style="margin:0;overflow:hidden">'
            f'<iframe src="{escape(target)}" style="border:0;width:{width}px;'
            f'height:{height}px"></iframe></body></html>', encoding="utf-8")
        url = wrapper.as_uri()
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={profile}", f"--window-size={size}",
             "--hide-scrollbars", "--virtual-time-budget=3000", f"--screenshot={png}", url],
            check=True, capture_output=True, timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/report_screenshot.png"))
    parser.add_argument("--html", type=Path, default=Path("/tmp/report_sample.html"))
    parser.add_argument("--junit", type=Path, default=None)
    parser.add_argument("--filtered", default="sev=error,warning&only=1",
                        help="URL fragment for a second, filtered screenshot ('' to skip)")
    parser.add_argument("--scrolled", default="job-5-cue-30",
                        help="anchor for a third screenshot, scrolled down ('' to skip)")
    parser.add_argument("--size", default="1400,2000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report, cues = build(Path(tmp))
    args.html.write_text(render_html(report, cues), encoding="utf-8")
    if args.junit:
        args.junit.write_text(render_junit(report), encoding="utf-8")
    screenshot(args.html, args.out, size=args.size)
    print(f"{args.html}\n{args.out}")
    if args.filtered:
        filtered = args.out.with_name(args.out.stem + "_filtered" + args.out.suffix)
        screenshot(args.html, filtered, args.filtered, size=args.size)
        print(filtered)
    if args.scrolled:
        scrolled = args.out.with_name(args.out.stem + "_scrolled" + args.out.suffix)
        screenshot(args.html, scrolled, args.scrolled, size=args.size)
        print(scrolled)


if __name__ == "__main__":
    main()

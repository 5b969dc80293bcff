"""``report.html``: the reviewers' view of a run, one self-contained file.

Every cue of every job side by side (source, target) with its issues inline, fixes as
before → after, glossary hits highlighted in the target text, and filters by severity,
rule, file and language. Inline CSS and JS only: no external asset, font or CDN, so the
file works offline and can be mailed or archived as is. A Content-Security-Policy pins
the one inline script by its hash and forbids every fetch.

The page is the Jinja2 template ``templates/report.html.j2``, rendered with autoescaping
on and undefined names as errors; its style and script are the package files
``assets/report.css`` and ``assets/report.js``, inlined verbatim (the policy's script hash
is computed from the exact text inlined). This module only prepares typed view data
(:class:`PageView` and the classes it holds) and does what a template should not: value
formatting, and cue text as HTML (:func:`render_markup`).

Everything in a report (file names, cue text, glossary terms, messages, rule ids) is
untrusted: the template escapes every value it prints. The one place that builds HTML from
untrusted text is :func:`render_markup`, which escapes every piece of text with
:func:`markupsafe.escape` and renders only subloc's four canonical tags (``<i>``, ``<b>``,
``<u>``, ``<font color>``) as formatting, rebuilt from scratch rather than passed through.
No data is embedded as JSON: filters read ``data-`` attributes.

Filter state lives in the URL fragment (``report.html#sev=error,warning&rule=cpl-max&
file=film.srt&lang=es&only=1&conf=-0.693&sort=conf``), so a filtered view can be
bookmarked or shared. The output is deterministic: same report, same bytes. Jinja2 is
imported on first render only.

Review in the page: with JavaScript on, a reviewer can edit a target cue, comment on it and
approve it; the edits are kept in the browser's localStorage (per run id) until they are
downloaded as one corrections file (``subloc.corrections/1``, see
:mod:`subloc.io.corrections`) for ``subloc review import``. What the script needs of a cue
(its exact texts in canonical markup, times and the engine's confidence) travels in one
hidden input per cue, its value percent-encoded JSON (:func:`cue_data`), so no raw tag text
ever appears in the page; with JavaScript off the page is the read-only report it was.
The engine's confidence shows per cue as a per-token probability (``exp`` of the mean
log-probability), and the page can sort and filter by it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import heapq
import itertools
import json
import math
import re
import urllib.parse
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Literal

from markupsafe import Markup, escape

from subloc import markup
from subloc.formats._timing import clock_time
from subloc.issues import Issue, Severity, Value
from subloc.reports.base import ReportWriter, Rows
from subloc.reports.model import Counts, CueRow, GlossaryHit, JobReport, Report

if TYPE_CHECKING:
    import jinja2

#: A filter category: an unfixed issue counts under its severity, a fixed one as "fixed".
Category = Literal["error", "warning", "info", "fixed"]
CATEGORIES: tuple[Category, ...] = ("error", "warning", "info", "fixed")
_CATEGORY_LABELS: dict[Category, str] = {
    "error": "Errors", "warning": "Warnings", "info": "Info", "fixed": "Fixed"}
_GLOSSARY_TYPES = ("term", "dnt", "forbidden", "adapt")
_HEX_COLOR = re.compile(r"#?(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})")
_NAMED_COLOR = re.compile(r"[a-z]{3,20}")
#: Scripts written without spaces: glossary terms match there without word boundaries.
_NO_SPACE_SCRIPTS = re.compile(r"[\u0e00-\u0eff\u1780-\u17ff\u2e80-\u9fff\uac00-\ud7af"
                               r"\uf900-\ufaff\uff00-\uffef]")

#: The page template, in the package's ``templates`` directory.
TEMPLATE = "report.html.j2"


# --- values -------------------------------------------------------------------------

def format_time(ms: int) -> str:
    """``HH:MM:SS,mmm`` (SRT style); negative times keep their sign."""
    return ("-" if ms < 0 else "") + clock_time(abs(int(ms)), ",")


def _format_number(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    return str(int(value)) if value.is_integer() else f"{value:.6g}"


def _span(value: Value) -> tuple[int, int] | None:
    """``[start_ms, end_ms]``, how timing fixes record a cue's times, or ``None``."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None
    start, end = value
    if (isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool)
            and not isinstance(end, bool) and 0 <= start <= end):
        return start, end
    return None


def format_value(value: Value) -> str:
    """A measured value, limit, or before/after value as plain text (escaped on output)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _format_number(value)
    if isinstance(value, str):
        return f"“{value}”"
    span = _span(value)
    if span is not None:
        return f"{format_time(span[0])} – {format_time(span[1])}"
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _color(raw_tag: str) -> str | None:
    color = markup.font_color(raw_tag)
    if color is None:
        return None
    if _HEX_COLOR.fullmatch(color):
        return color if color.startswith("#") else "#" + color
    return color if _NAMED_COLOR.fullmatch(color) else None


def _glossary_kind(kind: str) -> str:
    """A glossary entry type as a CSS class suffix: a known type, else ``term``."""
    return kind if kind in _GLOSSARY_TYPES else "term"


# --- cue text -----------------------------------------------------------------------

@dataclass(frozen=True)
class _Mark:
    """A glossary target term found at ``start:end`` of a cue's displayed text."""

    start: int
    end: int
    source: str
    kind: str


class _Highlighter:
    """Finds glossary target terms, longest first, on word boundaries for space-separated
    scripts, case-insensitively."""

    def __init__(self, hits: Iterable[GlossaryHit]) -> None:
        unique: dict[str, tuple[str, str]] = {}
        for hit in hits:
            if hit.target.strip():
                unique.setdefault(hit.target, (hit.source, hit.type))
        self.titles: list[tuple[str, str]] = []
        parts: list[str] = []
        for index, target in enumerate(sorted(unique, key=lambda t: (-len(t), t))):
            words = [re.escape(word) for word in target.split()]
            pattern = r"\s+".join(words)
            if not _NO_SPACE_SCRIPTS.match(target.strip()[0]):
                pattern = r"(?<!\w)" + pattern
            if not _NO_SPACE_SCRIPTS.match(target.strip()[-1]):
                pattern += r"(?!\w)"
            parts.append(f"(?P<g{index}>{pattern})")
            self.titles.append(unique[target])
        self.regex = re.compile("|".join(parts), re.IGNORECASE) if parts else None

    def find(self, text: str) -> list[_Mark]:
        """Every target term in ``text``."""
        if self.regex is None:
            return []
        found = []
        for match in self.regex.finditer(text):
            source, kind = self.titles[int((match.lastgroup or "g0")[1:])]
            found.append(_Mark(match.start(), match.end(), source, _glossary_kind(kind)))
        return found


_BR = Markup("<br>")
_OPEN = {"i": Markup("<i>"), "b": Markup("<b>"), "u": Markup("<u>")}
_CLOSE = {"i": Markup("</i>"), "b": Markup("</b>"), "u": Markup("</u>"),
          "font": Markup("</span>")}
_FONT = Markup('<span class="fc">')
_FONT_COLOR = Markup('<span class="fc" style="--fc:{0}" title="colour {0}">')
_OTHER_TAG = Markup('<span class="tag" title="markup kept from the source format">{0}</span>')
_MARK = Markup('<mark class="gl gl-{0}" title="{1}">{2}</mark>')


def _plain(text: str) -> Markup:
    """Text escaped, line breaks as ``<br>``."""
    return _BR.join(escape(line) for line in text.replace("\r\n", "\n").split("\n"))


def render_markup(text: str, highlighter: _Highlighter | None = None) -> Markup:
    """Cue text as HTML: canonical tags as formatting (always balanced), every other tag
    shown escaped and dimmed, line breaks as ``<br>``, everything else escaped.

    Glossary terms are found in the displayed text (tags removed), so a term the layout
    split over two lines or two formatting runs is still marked, one ``<mark>`` per run.
    """
    tokens = markup.tokenize(text)
    plain = "".join(token.raw for token in tokens if token.kind == "text")
    marks = highlighter.find(plain) if highlighter else []
    out: list[Markup] = []
    stack: list[tuple[str, Markup]] = []  # (name, opening HTML)
    offset = 0
    for token in tokens:
        if token.kind == "text":
            out.append(_marked(token.raw, offset, marks))
            offset += len(token.raw)
        elif token.kind == "open" and token.name in markup.CANONICAL:
            if token.name == "font":
                color = _color(token.raw)
                opening = _FONT_COLOR.format(color) if color else _FONT
            else:
                opening = _OPEN[token.name]
            stack.append((token.name, opening))
            out.append(opening)
        elif token.kind == "close" and token.name in markup.CANONICAL:
            names = [name for name, _ in stack]
            if token.name not in names:
                continue  # a stray closing tag: nothing to close
            index = len(names) - 1 - names[::-1].index(token.name)
            above = stack[index + 1 :]
            out.extend(_CLOSE[name] for name, _ in reversed(stack[index:]))
            del stack[index:]
            stack.extend(above)  # tags crossing each other: reopen what was inside
            out.extend(opening for _, opening in above)
        else:
            out.append(_OTHER_TAG.format(token.raw))
    out.extend(_CLOSE[name] for name, _ in reversed(stack))
    return Markup("").join(out)


def _marked(run: str, offset: int, marks: Sequence[_Mark]) -> Markup:
    """One text run (starting at ``offset`` of the displayed text), glossary terms marked."""
    out: list[Markup] = []
    pos = 0
    for mark in marks:
        start, end = max(mark.start - offset, pos), min(mark.end - offset, len(run))
        if start >= end:
            continue
        out.append(_plain(run[pos:start]))
        piece = run[start:end]
        out.append(_MARK.format(mark.kind, mark.source, _plain(piece)) if piece.strip()
                   else _plain(piece))
        pos = end
    out.append(_plain(run[pos:]))
    return Markup("").join(out)


# --- view data ----------------------------------------------------------------------

@dataclass(frozen=True)
class Tally:
    """How many issues fall in one category, and the category's label."""

    category: Category
    label: str
    count: int


@dataclass(frozen=True)
class Pill:
    """A job's badge: ``3 errors``."""

    category: Category
    count: int
    label: str


@dataclass(frozen=True)
class IssueView:
    """One issue as shown: values already formatted as text."""

    category: Category
    severity: Severity
    rule: str
    cue: int | None
    message: str
    value: str | None
    limit: str | None
    #: ``(before, after)`` of a fix.
    change: tuple[str, str] | None


@dataclass(frozen=True)
class HitView:
    """A glossary term the translation honoured, listed under its cue."""

    kind: str
    source: str
    target: str


@dataclass(frozen=True)
class CueView:
    id: int
    #: The most severe category of the cue's issues, or ``none``.
    level: str
    start: str
    end: str
    duration: str
    #: The texts as HTML (from :func:`render_markup`); ``None`` shows a placeholder.
    source_html: Markup | None
    target_html: Markup | None
    issues: tuple[IssueView, ...]
    hits: tuple[HitView, ...]
    #: Whether the cue has a notes box (issues, or glossary hits honoured or not).
    notes: bool
    #: For the page's script: the cue's exact texts, times and confidence (:func:`cue_data`).
    data: str = ""
    #: The engine's confidence as a per-token probability (``79%``) and its explanation.
    confidence: str | None = None
    confidence_title: str = ""
    #: The translation is a reviewer's, reused from the cache.
    human: bool = False


@dataclass(frozen=True)
class JobView:
    index: int
    file: str
    file_dir: str
    file_base: str
    source_lang: str
    target_lang: str
    engine: str
    cues: int
    segments: int
    #: The detection probability of the source language (``99%``), if detected.
    detected: str | None
    target: str | None
    error: str | None
    counts: tuple[Tally, ...]
    pills: tuple[Pill, ...]
    #: ``honoured/found`` glossary hits, or ``—``.
    glossary: str
    file_issues: tuple[IssueView, ...]
    rows: tuple[CueView, ...]
    #: Cues of this job left out of the page (it embeds at most MAX_CUES in all).
    omitted: int
    #: Issues of the left-out cues: listed in report.json, counted here.
    omitted_issues: int
    #: For the page's script: the job's files and languages (percent-encoded JSON).
    data: str = ""


@dataclass(frozen=True)
class PageView:
    schema: str
    run_id: str
    profile: str
    version: str
    totals: tuple[Tally, ...]
    filters: tuple[Tally, ...]
    #: The options of the rule, file and language filters: ``(value, text)``.
    rules: tuple[tuple[str, str], ...]
    files: tuple[tuple[str, str], ...]
    langs: tuple[tuple[str, str], ...]
    jobs: tuple[JobView, ...]
    failed: int
    total_cues: int
    #: Whether any cue has the engine's confidence (the page offers sorting by it).
    scored: bool = False


def _category(issue: Issue) -> Category:
    return "fixed" if issue.fixed else issue.severity


def _tallies(counts: Counts | Counter[Category]) -> tuple[Tally, ...]:
    """One tally per category, in :data:`CATEGORIES` order."""
    if isinstance(counts, Counts):
        counts = Counter({"error": counts.error, "warning": counts.warning,
                          "info": counts.info, "fixed": counts.fixed})
    return tuple(Tally(c, _CATEGORY_LABELS[c], counts[c]) for c in CATEGORIES)


def _pills(counts: Counts) -> tuple[Pill, ...]:
    pills = []
    for tally in _tallies(counts):
        if tally.count:
            plural = tally.count != 1 and tally.category in ("error", "warning")
            pills.append(Pill(tally.category, tally.count,
                              tally.category + ("s" if plural else "")))
    return tuple(pills)


def _issue_view(issue: Issue) -> IssueView:
    return IssueView(
        category=_category(issue), severity=issue.severity, rule=issue.rule, cue=issue.cue,
        message=issue.message,
        value=None if issue.value is None else format_value(issue.value),
        limit=None if issue.limit is None else format_value(issue.limit),
        change=((format_value(issue.before), format_value(issue.after)) if issue.fixed
                else None))


def _glossary_misses(job: JobReport) -> list[Issue]:
    """Failed glossary hits that no issue reports yet, as issues of their own."""
    reported = {(issue.cue, value) for issue in job.issues if issue.rule.startswith("glossary")
                for value in (issue.value, issue.limit) if isinstance(value, str)}
    misses = []
    for hit in job.glossary_hits:
        if hit.ok or (hit.cue, hit.source) in reported or (hit.cue, hit.target) in reported:
            continue
        if hit.type == "dnt":
            misses.append(Issue(
                "glossary-dnt-altered", "warning",
                f"do-not-translate term {hit.source!r} does not appear unchanged",
                cue=hit.cue, value=hit.source, limit=hit.target))
        else:
            misses.append(Issue(
                "glossary-term-missing", "warning",
                f"glossary {hit.type} {hit.source!r} should be rendered as {hit.target!r}",
                cue=hit.cue, value=hit.source, limit=hit.target))
    return misses


def _split_path(path: str) -> tuple[str, str]:
    cut = max(path.rfind("/"), path.rfind("\\")) + 1
    return path[:cut], path[cut:]


def _percent_json(value: object) -> str:
    """``value`` as JSON, percent-encoded: no ``<``, ``>``, ``&`` or quote survives, so the
    page carries exact texts without a tag in sight (``decodeURIComponent`` reads it)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return urllib.parse.quote(text, safe=" ,:;!?()*-._~[]{}/")


def cue_data(row: CueRow) -> str:
    """What the page's script needs of a cue: its id, times, source and target texts (in
    canonical markup) and the engine's confidence."""
    return _percent_json({"id": row.id, "start": row.start_ms, "end": row.end_ms,
                          "source": row.source, "target": row.target,
                          "score": None if row.confidence is None else round(row.confidence, 4)})


def _confidence(score: float | None) -> tuple[str | None, str]:
    if score is None:
        return None, ""
    probability = math.exp(min(score, 0.0))
    return (f"{probability:.0%}", f"engine confidence {score:.3f} (mean log-probability per "
                                  f"token): {probability:.0%} per token")


def _cue_view(row: CueRow, issues: Sequence[Issue], hits: Sequence[GlossaryHit]) -> CueView:
    honoured = [hit for hit in hits if hit.ok]
    tally = Counter(_category(issue) for issue in issues)
    label, title = _confidence(row.confidence)
    return CueView(
        id=row.id,
        level=next((c for c in CATEGORIES if tally[c]), "none"),
        start=format_time(row.start_ms),
        end=format_time(row.end_ms),
        duration=f"{(row.end_ms - row.start_ms) / 1000:.2f}",
        source_html=render_markup(row.source) if row.source else None,
        target_html=(render_markup(row.target, _Highlighter(honoured))
                     if row.target.strip() else None),
        issues=tuple(_issue_view(issue) for issue in issues),
        hits=tuple(HitView(_glossary_kind(hit.type), hit.source, hit.target)
                   for hit in honoured),
        notes=bool(issues or hits), data=cue_data(row), confidence=label,
        confidence_title=title,
        human=any(issue.rule == "human-translation" for issue in issues))


#: report.html embeds at most this many cues in all (a page of a million cues would not
#: open): the cues with the most severe issues first, each job's in cue order; report.json
#: holds every issue of every cue.
MAX_CUES = 2000
_RANK = {"error": 0, "warning": 1, "info": 2, "fixed": 2}


def issue_rank(issue: Issue) -> int:
    """How much an issue needs a reviewer: 0 an error, 1 a warning, 2 anything else (a cue
    without issues ranks 3)."""
    return _RANK[_category(issue)]


def cue_ranks(issues: Iterable[Issue]) -> dict[int, int]:
    """Cue id -> the rank of its most pressing issue (see :func:`issue_rank`)."""
    ranks: dict[int, int] = {}
    for issue in issues:
        if issue.cue is not None:
            ranks[issue.cue] = min(issue_rank(issue), ranks.get(issue.cue, 3))
    return ranks


class RowPicker:
    """Keeps the rows :func:`rows_to_show` would keep, given one at a time with its rank:
    at most ``limit`` rows are ever held, however long the track."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = MAX_CUES if limit is None else limit
        self._heap: list[tuple[int, int, CueRow]] = []  # (-rank, -position, row)

    def add(self, position: int, rank: int, row: CueRow) -> None:
        heapq.heappush(self._heap, (-rank, -position, row))
        if len(self._heap) > self.limit:
            heapq.heappop(self._heap)  # the least pressing, latest row goes

    def rows(self) -> tuple[CueRow, ...]:
        return tuple(row for _rank, _position, row in sorted(self._heap, key=lambda e: -e[1]))


def rows_to_show(rows: Sequence[CueRow], issues: Iterable[Issue],
                 limit: int | None = None) -> tuple[CueRow, ...]:
    """The rows of one job worth embedding: all of them when they fit, else the ``limit``
    (default :data:`MAX_CUES`) most in need of review, in cue order (the pipeline keeps
    only these in memory)."""
    limit = MAX_CUES if limit is None else limit
    if len(rows) <= limit:
        return tuple(rows)
    ranks = cue_ranks(issues)
    chosen = sorted(range(len(rows)), key=lambda i: (ranks.get(rows[i].id, 3), i))[:limit]
    return tuple(rows[i] for i in sorted(chosen))


def _page_rows(jobs: Sequence[JobReport], rows: Sequence[Sequence[CueRow]]
               ) -> list[tuple[CueRow, ...]]:
    """Each job's rows cut to :data:`MAX_CUES` over the whole page, the same way."""
    if sum(len(r) for r in rows) <= MAX_CUES:
        return [tuple(r) for r in rows]
    candidates: list[tuple[int, int, int]] = []
    for index, (job, job_rows) in enumerate(zip(jobs, rows, strict=True)):
        ranks = cue_ranks(job.issues)
        candidates.extend((ranks.get(row.id, 3), index, position)
                          for position, row in enumerate(job_rows))
    keep = {(index, position) for _rank, index, position in sorted(candidates)[:MAX_CUES]}
    return [tuple(row for position, row in enumerate(job_rows) if (index, position) in keep)
            for index, job_rows in enumerate(rows)]


def _job_view(index: int, job: JobReport, rows: Sequence[CueRow], had_rows: bool) -> JobView:
    issues = itertools.chain(job.issues, _glossary_misses(job))
    row_ids = {row.id for row in rows}
    by_cue: dict[int, list[Issue]] = {}
    loose: list[Issue] = []
    omitted_issues = 0
    # A written or checked track given with its rows: the cues left out are counted.
    omitted = max(job.cues - len(rows), 0) if had_rows and job.target and not job.error \
        else 0
    for issue in issues:
        if issue.cue is not None and issue.cue in row_ids:
            by_cue.setdefault(issue.cue, []).append(issue)
        elif issue.cue is not None and omitted:
            omitted_issues += 1
        else:
            loose.append(issue)
    hits_by_cue: dict[int, list[GlossaryHit]] = {}
    for hit in job.glossary_hits:
        hits_by_cue.setdefault(hit.cue, []).append(hit)
    honoured = sum(1 for hit in job.glossary_hits if hit.ok)
    probability = job.source_lang_probability
    file_dir, file_base = _split_path(job.file)
    counts = job.counts
    return JobView(
        index=index, file=job.file, file_dir=file_dir, file_base=file_base,
        source_lang=job.source_lang or "", target_lang=job.target_lang, engine=job.engine,
        cues=job.cues, segments=job.segments,
        detected=None if probability is None else f"{probability:.0%}",
        target=job.target or None, error=job.error or None,
        counts=_tallies(counts), pills=_pills(counts),
        glossary=f"{honoured}/{len(job.glossary_hits)}" if job.glossary_hits else "—",
        file_issues=tuple(_issue_view(issue) for issue in loose),
        rows=tuple(_cue_view(row, by_cue.get(row.id, []), hits_by_cue.get(row.id, []))
                   for row in rows),
        omitted=omitted, omitted_issues=omitted_issues,
        data=_percent_json({"index": index, "source": job.source, "target": job.target,
                            "source_lang": job.source_lang, "target_lang": job.target_lang}))


def page_view(report: Report, rows: Rows) -> PageView:
    """The view data of a report; ``rows[i]`` are the cue rows of ``report.jobs[i]`` (a job
    without rows, failed or not given, still lists its issues)."""
    jobs = report.jobs
    if len(rows) > len(jobs):
        raise ValueError(f"{len(rows)} cue lists for {len(jobs)} jobs")
    given = [rows[i] if i < len(rows) else () for i in range(len(jobs))]
    job_rows = _page_rows(jobs, given)
    categories: Counter[Category] = Counter()
    rules: Counter[str] = Counter()
    for job in jobs:  # one pass each: a long job's issues are read back from disk
        for issue in itertools.chain(job.issues, _glossary_misses(job)):
            categories[_category(issue)] += 1
            rules[issue.rule] += 1
    return PageView(
        schema=report.schema,
        run_id=report.run_id,
        profile=report.profile,
        version=f"{report.tool_name} {report.tool_version}".strip(),
        totals=_tallies(report.summary),
        filters=_tallies(categories),
        rules=tuple((rule, f"{rule} ({count})") for rule, count in sorted(rules.items())),
        files=tuple((file, file) for file in sorted({job.file for job in jobs})),
        langs=tuple((lang, lang) for lang in sorted({job.target_lang for job in jobs})),
        jobs=tuple(_job_view(index, job, r, bool(g)) for index, (job, r, g)
                   in enumerate(zip(jobs, job_rows, given, strict=True), start=1)),
        failed=sum(1 for job in jobs if job.error),
        total_cues=sum(len(r) for r in job_rows),
        scored=any(row.confidence is not None for r in job_rows for row in r))


# --- page ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Assets:
    """The inlined style and script (trusted package files), and the script's hash."""

    css: Markup
    js: Markup
    script_hash: str


def _asset(name: str) -> str:
    text = (resources.files("subloc.reports") / "assets" / name).read_text("utf-8")
    return text.strip()


@functools.cache
def _assets() -> _Assets:
    css, js = _asset("report.css"), _asset("report.js")
    # Inlined as is: the package's own files, which must not close their element early.
    if "</style" in css.lower() or "</script" in js.lower():
        raise ValueError("report assets must not contain </style or </script")
    digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii")
    return _Assets(Markup(css), Markup(js), digest)


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the report templates (created once, on first use):
    autoescaping on, undefined names are errors."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("subloc.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


@functools.cache
def _template() -> jinja2.Template:
    return environment().get_template(TEMPLATE)


def render_html(report: Report, rows: Rows) -> str:
    """The HTML page of a report (see :func:`page_view` for ``rows``)."""
    assets = _assets()
    return _template().render(page=page_view(report, rows), css=assets.css, js=assets.js,
                              script_hash=assets.script_hash)


class HtmlWriter(ReportWriter):
    name = "html"
    filename = "report.html"

    def render(self, report: Report, rows: Rows) -> bytes:
        return render_html(report, rows).encode("utf-8")

"""``report.html``: the reviewers' view of a run, one self-contained file.

Every cue of every job side by side (source, target) with its issues inline, fixes as
before → after, glossary hits highlighted in the target text, and filters by severity,
rule, file and language. Inline CSS and JS only: no external asset, font or CDN, so the
file works offline and can be mailed or archived as is. A Content-Security-Policy pins
the one inline script by its hash and forbids every fetch.

Everything in a report (file names, cue text, glossary terms, messages, rule ids) is
untrusted and HTML-escaped; only subloc's four canonical tags (``<i>``, ``<b>``, ``<u>``,
``<font color>``) are rendered as formatting, rebuilt from scratch rather than passed
through. No data is embedded as JSON: filters read ``data-`` attributes.

Filter state lives in the URL fragment (``report.html#sev=error,warning&rule=cpl-max&
file=film.srt&lang=es&only=1``), so a filtered view can be bookmarked or shared. The
output is deterministic: same report, same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from subloc import markup
from subloc.io.write import atomic_write
from subloc.track import Cue

#: Filter categories: an unfixed issue counts under its severity, a fixed one as "fixed".
CATEGORIES = ("error", "warning", "info", "fixed")
_CATEGORY_LABELS = {"error": "Errors", "warning": "Warnings", "info": "Info", "fixed": "Fixed"}
_GLOSSARY_TYPES = ("term", "dnt", "forbidden", "adapt")
_HEX_COLOR = re.compile(r"#?(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})")
_NAMED_COLOR = re.compile(r"[a-z]{3,20}")
#: Scripts written without spaces: glossary terms match there without word boundaries.
_NO_SPACE_SCRIPTS = re.compile(r"[\u0e00-\u0eff\u1780-\u17ff\u2e80-\u9fff\uac00-\ud7af"
                               r"\uf900-\ufaff\uff00-\uffef]")


def _e(value: Any) -> str:
    """HTML-escape any value for text and for quoted attributes (``None`` is empty)."""
    return "" if value is None else escape(str(value), quote=True)


def format_time(ms: int) -> str:
    """``HH:MM:SS,mmm`` (SRT style); negative times keep their sign."""
    sign = "-" if ms < 0 else ""
    ms = abs(int(ms))
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{sign}{hours:02d}:{minutes:02d}:{seconds:02d},{millis:03d}"


def cue_rows(source: Sequence[Cue] | None, target: Sequence[Cue]) -> list[dict[str, Any]]:
    """The rows :func:`render_html` takes for one job, from the source and localized cues.

    One row per target cue (its times are the ones delivered); the source text is the
    source cue with the same id, or ``None``.
    """
    by_id = {cue.id: cue for cue in source or ()}
    return [
        {"id": cue.id, "start_ms": cue.start_ms, "end_ms": cue.end_ms,
         "source": by_id[cue.id].text if cue.id in by_id else None, "target": cue.text}
        for cue in target
    ]


# --- values -------------------------------------------------------------------------

def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _format_number(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    return str(int(value)) if value.is_integer() else f"{value:.6g}"


def _is_span(value: Any) -> bool:
    """``[start_ms, end_ms]``: how timing fixes record a cue's times."""
    return (isinstance(value, (list, tuple)) and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            and 0 <= value[0] <= value[1])


def format_value(value: Any) -> str:
    """A measured value, limit, or before/after value as plain text (not yet escaped)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if _is_number(value):
        return _format_number(value)
    if isinstance(value, str):
        return f"“{value}”"
    if _is_span(value):
        return f"{format_time(value[0])} – {format_time(value[1])}"
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _color(raw_tag: str) -> str | None:
    color = markup.font_color(raw_tag)
    if color is None:
        return None
    if _HEX_COLOR.fullmatch(color):
        return color if color.startswith("#") else "#" + color
    return color if _NAMED_COLOR.fullmatch(color) else None


# --- cue text -----------------------------------------------------------------------

class _Highlighter:
    """Wraps glossary target terms in ``<mark>``, longest first, on word boundaries for
    space-separated scripts, case-insensitively."""

    def __init__(self, terms: Iterable[tuple[str, str, str]]) -> None:
        unique: dict[str, tuple[str, str]] = {}
        for target, source, kind in terms:
            if target.strip():
                unique.setdefault(target, (source, kind))
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

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """``(start, end, source term, type)`` of every target term in ``text``."""
        if self.regex is None:
            return []
        found = []
        for match in self.regex.finditer(text):
            source, kind = self.titles[int((match.lastgroup or "g0")[1:])]
            found.append((match.start(), match.end(), source,
                          kind if kind in _GLOSSARY_TYPES else "term"))
        return found


def _plain(text: str) -> str:
    return _e(text).replace("\r\n", "\n").replace("\n", "<br>")


_OPEN = {"i": "<i>", "b": "<b>", "u": "<u>"}
_CLOSE = {"i": "</i>", "b": "</b>", "u": "</u>", "font": "</span>"}


def render_markup(text: str, highlighter: _Highlighter | None = None) -> str:
    """Cue text as HTML: canonical tags as formatting (always balanced), every other tag
    shown escaped and dimmed, line breaks as ``<br>``, everything else escaped.

    Glossary terms are found in the displayed text (tags removed), so a term the layout
    split over two lines or two formatting runs is still marked, one ``<mark>`` per run.
    """
    tokens = markup.tokenize(text)
    plain = "".join(token.raw for token in tokens if token.kind == "text")
    marks = highlighter.find(plain) if highlighter else []
    out: list[str] = []
    stack: list[tuple[str, str]] = []  # (name, opening HTML)
    offset = 0
    for token in tokens:
        if token.kind == "text":
            out.append(_marked(token.raw, offset, marks))
            offset += len(token.raw)
        elif token.kind == "open" and token.name in markup.CANONICAL:
            if token.name == "font":
                color = _color(token.raw)
                opening = (f'<span class="fc" style="--fc:{color}" title="colour {color}">'
                           if color else '<span class="fc">')
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
            out.append(f'<span class="tag" title="markup kept from the source format">'
                       f"{_e(token.raw)}</span>")
    out.extend(_CLOSE[name] for name, _ in reversed(stack))
    return "".join(out)


def _marked(run: str, offset: int, marks: list[tuple[int, int, str, str]]) -> str:
    """One text run (starting at ``offset`` of the displayed text), glossary terms marked."""
    out: list[str] = []
    pos = 0
    for start, end, source, kind in marks:
        start, end = max(start - offset, pos), min(end - offset, len(run))
        if start >= end:
            continue
        out.append(_plain(run[pos:start]))
        piece = run[start:end]
        out.append(f'<mark class="gl gl-{kind}" title="{_e(source)}">{_plain(piece)}</mark>'
                   if piece.strip() else _plain(piece))
        pos = end
    out.append(_plain(run[pos:]))
    return "".join(out)


# --- issues -------------------------------------------------------------------------

def _category(issue: Mapping[str, Any]) -> str:
    if issue.get("fixed"):
        return "fixed"
    severity = issue.get("severity")
    return severity if severity in ("error", "warning", "info") else "info"


def _counts(issues: Iterable[Mapping[str, Any]]) -> Counter[str]:
    return Counter(_category(issue) for issue in issues)


def _render_issue(issue: Mapping[str, Any], *, show_cue: bool = False) -> str:
    category = _category(issue)
    severity = str(issue.get("severity", ""))
    rule = str(issue.get("rule", ""))
    parts = [f'<li class="issue cat-{category}" data-cat="{category}" data-rule="{_e(rule)}">']
    if category == "fixed":
        parts.append('<span class="badge b-fixed">fixed</span>')
        sev_class = severity if severity in ("error", "warning", "info") else "info"
        parts.append(f'<span class="was was-{sev_class}">{_e(severity)}</span>')
    else:
        parts.append(f'<span class="badge b-{category}">{_e(severity or category)}</span>')
    parts.append(f'<code class="rule">{_e(rule)}</code>')
    if show_cue and issue.get("cue") is not None:
        parts.append(f'<span class="cueref">cue {_e(issue.get("cue"))}</span>')
    parts.append(f'<span class="msg">{_e(issue.get("message", ""))}</span>')
    value, limit = issue.get("value"), issue.get("limit")
    if value is not None or limit is not None:
        parts.append('<span class="vl">')
        if value is not None:
            parts.append(f'<span>value <b>{_e(format_value(value))}</b></span>')
        if limit is not None:
            parts.append(f'<span>limit <b>{_e(format_value(limit))}</b></span>')
        parts.append("</span>")
    if category == "fixed" and ("before" in issue or "after" in issue):
        parts.append(f'<span class="diff"><del>{_e(format_value(issue.get("before")))}</del>'
                     f'<span class="arrow" aria-label="changed to">→</span>'
                     f'<ins>{_e(format_value(issue.get("after")))}</ins></span>')
    parts.append("</li>")
    return "".join(parts)


def _glossary_misses(hits: list[Mapping[str, Any]],
                     issues: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Failed glossary hits that no issue reports yet, as issues of their own."""
    reported = {(i.get("cue"), str(i.get("value"))) for i in issues
                if str(i.get("rule", "")).startswith("glossary")}
    reported |= {(i.get("cue"), str(i.get("limit"))) for i in issues
                 if str(i.get("rule", "")).startswith("glossary")}
    misses = []
    for hit in hits:
        if hit.get("ok"):
            continue
        cue, source, target = hit.get("cue"), hit.get("source"), hit.get("target")
        if (cue, str(source)) in reported or (cue, str(target)) in reported:
            continue
        kind = str(hit.get("type", "term"))
        dnt = kind == "dnt"
        misses.append({
            "rule": "glossary-dnt-altered" if dnt else "glossary-term-missing",
            "severity": "warning", "cue": cue, "fixed": False, "value": source,
            "limit": target,
            "message": (f"do-not-translate term {source!r} does not appear unchanged" if dnt
                        else f"glossary {kind} {source!r} should be rendered as {target!r}"),
        })
    return misses


# --- page ---------------------------------------------------------------------------

def _job_file(job: Mapping[str, Any]) -> str:
    """The file a job is about: its source, or the checked track when there is none."""
    return str(job.get("source") or job.get("target") or "")


def _split_path(path: str) -> tuple[str, str]:
    cut = max(path.rfind("/"), path.rfind("\\")) + 1
    return path[:cut], path[cut:]


def _file_label(path: str) -> str:
    directory, name = _split_path(path)
    return f'<span class="dir">{_e(directory)}</span><span class="base">{_e(name)}</span>'


def _langs(job: Mapping[str, Any]) -> str:
    source = job.get("source_lang")
    return f"{_e(source or '?')} → {_e(job.get('target_lang', ''))}"


def _count_cell(count: int, category: str) -> str:
    if not count:
        return '<td class="num zero">0</td>'
    return f'<td class="num"><span class="pill p-{category}">{count}</span></td>'


def _job_badges(counts: Counter[str]) -> str:
    out = []
    for category in CATEGORIES:
        count = counts.get(category, 0)
        if count:
            label = category + ("s" if count != 1 and category in ("error", "warning") else "")
            out.append(f'<span class="pill p-{category}">{count} {label}</span>')
    return "".join(out) or '<span class="pill p-clean">no issues</span>'


def _overview(jobs: list[Mapping[str, Any]], counts: list[Counter[str]]) -> str:
    rows = []
    for index, (job, count) in enumerate(zip(jobs, counts, strict=True), start=1):
        hits = [h for h in job.get("glossary_hits") or [] if isinstance(h, Mapping)]
        ok = sum(1 for h in hits if h.get("ok"))
        glossary = f"{ok}/{len(hits)}" if hits else "—"
        error = job.get("error")
        if error:
            status = f'<td class="status failed"><b>Failed</b> {_e(error)}</td>'
        elif job.get("target"):
            status = f'<td class="status"><code>{_e(job.get("target"))}</code></td>'
        else:
            status = '<td class="status muted">not written</td>'
        rows.append(
            f'<tr class="{"failed" if error else ""}" data-file="{_e(_job_file(job))}" '
            f'data-lang="{_e(job.get("target_lang", ""))}">'
            f'<td class="file"><a href="#job-{index}">{_file_label(_job_file(job))}'
            f"</a></td><td class=\"langs\">{_langs(job)}</td>"
            f'<td class="engine">{_e(job.get("engine", ""))}</td>'
            f'<td class="num">{_e(job.get("cues", ""))}</td>'
            + "".join(_count_cell(count.get(c, 0), c) for c in CATEGORIES)
            + f'<td class="num">{glossary}</td>{status}</tr>'
        )
    return (
        '<section class="card overview"><h2>Jobs</h2><div class="table-wrap"><table>'
        "<thead><tr><th>Source file</th><th>Languages</th><th>Engine</th>"
        '<th class="num">Cues</th><th class="num">Errors</th><th class="num">Warnings</th>'
        '<th class="num">Info</th><th class="num">Fixed</th><th class="num">Glossary</th>'
        "<th>Output</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div></section>"
    )


def _cue_html(job_index: int, row: Mapping[str, Any], issues: list[Mapping[str, Any]],
              hits: list[Mapping[str, Any]], langs: tuple[str, str]) -> str:
    cue_id = row.get("id")
    highlighter = _Highlighter(
        (str(h.get("target", "")), str(h.get("source", "")), str(h.get("type", "term")))
        for h in hits if h.get("ok"))
    source = row.get("source")
    target = str(row.get("target") or "")
    source_html = (render_markup(source) if source else
                   '<span class="none">no source text</span>')
    target_html = (render_markup(target, highlighter) if target.strip() else
                   '<span class="none">empty</span>')
    counts = _counts(issues)
    level = next((c for c in CATEGORIES if counts.get(c)), "none")
    start, end = int(row.get("start_ms") or 0), int(row.get("end_ms") or 0)
    duration = (end - start) / 1000
    source_lang, target_lang = langs
    parts = [
        f'<article class="cue lvl-{level}" id="job-{job_index}-cue-{_e(cue_id)}">',
        f'<a class="cid" href="#job-{job_index}-cue-{_e(cue_id)}">{_e(cue_id)}</a>',
        f'<div class="time"><span>{format_time(start)}</span><span>{format_time(end)}</span>'
        f'<span class="dur">{duration:.2f} s</span></div>',
        f'<div class="txt src" lang="{_e(source_lang)}" dir="auto">{source_html}</div>',
        f'<div class="txt tgt" lang="{_e(target_lang)}" dir="auto">{target_html}</div>',
    ]
    if issues or hits:
        parts.append('<div class="notes">')
        if issues:
            parts.append('<ul class="issues">' + "".join(_render_issue(i) for i in issues)
                         + "</ul>")
        ok_hits = [h for h in hits if h.get("ok")]
        if ok_hits:
            parts.append('<div class="glossary"><span class="gl-label">Glossary</span>')
            for hit in ok_hits:
                kind = str(hit.get("type", "term"))
                kind = kind if kind in _GLOSSARY_TYPES else "term"
                parts.append(f'<span class="gl-hit gl-{kind}" title="{_e(kind)}">'
                             f'{_e(hit.get("source", ""))} <span class="arrow">→</span> '
                             f'{_e(hit.get("target", ""))} <span class="ok">✓</span></span>')
            parts.append("</div>")
        parts.append("</div>")
    parts.append("</article>")
    return "".join(parts)


def _job_html(index: int, job: Mapping[str, Any], rows: Sequence[Mapping[str, Any]],
              counts: Counter[str]) -> str:
    issues = [i for i in job.get("issues") or [] if isinstance(i, Mapping)]
    hits = [h for h in job.get("glossary_hits") or [] if isinstance(h, Mapping)]
    issues = [*issues, *_glossary_misses(hits, issues)]
    row_ids = {row.get("id") for row in rows}
    by_cue: dict[Any, list[Mapping[str, Any]]] = {}
    loose: list[Mapping[str, Any]] = []
    for issue in issues:
        if issue.get("cue") is not None and issue.get("cue") in row_ids:
            by_cue.setdefault(issue.get("cue"), []).append(issue)
        else:
            loose.append(issue)
    hits_by_cue: dict[Any, list[Mapping[str, Any]]] = {}
    for hit in hits:
        hits_by_cue.setdefault(hit.get("cue"), []).append(hit)
    source = _job_file(job)
    source_lang = str(job.get("source_lang") or "")
    target_lang = str(job.get("target_lang", ""))
    meta = [f'<span class="engine">{_e(job.get("engine", ""))}</span>',
            f'<span>{_e(job.get("cues", 0))} cues</span>']
    if job.get("segments") is not None:
        meta.append(f'<span>{_e(job.get("segments"))} segments</span>')
    probability = job.get("source_lang_probability")
    if _is_number(probability):
        meta.append(f"<span>{_e(source_lang)} detected ({probability:.0%})</span>")
    if job.get("target"):
        meta.append(f'<span>→ <code>{_e(job.get("target"))}</code></span>')
    badges = _job_badges(counts)
    if job.get("error"):
        badges = '<span class="pill p-error">failed</span>' + badges.replace(
            '<span class="pill p-clean">no issues</span>', "")
    parts = [
        f'<section class="job{" failed" if job.get("error") else ""}" id="job-{index}" '
        f'data-file="{_e(source)}" data-lang="{_e(target_lang)}">',
        '<div class="job-head">',
        '<div class="job-title">',
        f'<button type="button" class="fold" aria-expanded="true" aria-controls="job-{index}-body"'
        f' title="Collapse or expand this job"><span aria-hidden="true">▾</span></button>',
        f'<h2>{_file_label(source)}</h2><span class="langs">{_langs(job)}</span>',
        f'<span class="badges">{badges}</span>',
        "</div>",
        f'<div class="job-meta">{"".join(meta)}</div>',
        ('<div class="cols" aria-hidden="true"><span>#</span><span>Time</span>'
         f"<span>Source · {_e(source_lang or '?')}</span><span>Target · {_e(target_lang)}</span>"
         "</div>" if rows else ""),
        "</div>",
        f'<div class="job-body" id="job-{index}-body">',
    ]
    if job.get("error"):
        parts.append(f'<div class="job-error"><b>This job failed.</b> {_e(job.get("error"))}</div>')
    if loose:
        parts.append('<div class="file-issues"><h3>File-level issues</h3><ul class="issues">'
                     + "".join(_render_issue(i, show_cue=True) for i in loose) + "</ul></div>")
    parts.extend(_cue_html(index, row, by_cue.get(row.get("id"), []),
                           hits_by_cue.get(row.get("id"), []), (source_lang, target_lang))
                 for row in rows)
    if rows:
        parts.append('<p class="empty" hidden>No cues match the filters.</p>')
    elif not job.get("error"):
        parts.append('<p class="empty">No cues to show.</p>')
    parts.append("</div></section>")
    return "".join(parts)


def _select(name: str, label: str, all_label: str, options: list[tuple[str, str]]) -> str:
    items = "".join(f'<option value="{_e(value)}">{_e(text)}</option>' for value, text in options)
    return (f'<label class="field"><span class="sr-only">{label}</span>'
            f'<select id="f-{name}" name="{name}"><option value="">{all_label}</option>{items}'
            "</select></label>")


def render_html(report: dict[str, Any], cues: list[list[dict[str, Any]]]) -> str:
    """The HTML report. ``cues[i]`` are the rows of ``report["jobs"][i]``:
    ``{"id", "start_ms", "end_ms", "source" (or None), "target"}``, texts in canonical
    markup; a job without rows (failed, or not given) still lists its issues."""
    jobs = [job for job in report.get("jobs") or [] if isinstance(job, Mapping)]
    if len(cues) > len(jobs):
        raise ValueError(f"{len(cues)} cue lists for {len(jobs)} jobs")
    rows = [list(cues[i]) if i < len(cues) else [] for i in range(len(jobs))]
    job_counts = [_counts(i for i in job.get("issues") or [] if isinstance(i, Mapping))
                  for job in jobs]
    all_issues = [issue for job in jobs for issue in job.get("issues") or []
                  if isinstance(issue, Mapping)]
    all_issues += [miss for job in jobs for miss in _glossary_misses(
        [h for h in job.get("glossary_hits") or [] if isinstance(h, Mapping)],
        [i for i in job.get("issues") or [] if isinstance(i, Mapping)])]
    filter_counts = _counts(all_issues)
    rule_counts = Counter(str(issue.get("rule", "")) for issue in all_issues)
    summary = report.get("summary") if isinstance(report.get("summary"), Mapping) else None
    totals = {c: int(summary.get(c, 0)) for c in CATEGORIES} if summary else {
        c: sum(count.get(c, 0) for count in job_counts) for c in CATEGORIES}
    tool = report.get("tool")
    tool = tool if isinstance(tool, Mapping) else {}
    version = f"{tool.get('name', 'subloc')} {tool.get('version', '')}".strip()
    profile = report.get("profile", "")
    failed = sum(1 for job in jobs if job.get("error"))
    total_cues = sum(len(r) for r in rows)
    files = sorted({_job_file(job) for job in jobs})
    langs = sorted({str(job.get("target_lang", "")) for job in jobs})

    chips = "".join(
        f'<button type="button" class="chip c-{c}" data-cat="{c}" aria-pressed="true">'
        f'<span class="dot"></span>{_CATEGORY_LABELS[c]}'
        f'<span class="n">{filter_counts.get(c, 0)}</span></button>'
        for c in CATEGORIES)
    filters = (
        '<div class="filters" role="group" aria-label="Filters">'
        f'<div class="chips" role="group" aria-label="Severity">{chips}</div>'
        + _select("rule", "Rule", "All rules",
                  [(rule, f"{rule} ({count})") for rule, count in sorted(rule_counts.items())])
        + _select("file", "File", "All files", [(f, f) for f in files])
        + _select("lang", "Language", "All languages", [(lang, lang) for lang in langs])
        + '<label class="switch"><input type="checkbox" id="f-only">'
        '<span class="track" aria-hidden="true"></span><span>Only cues with issues</span></label>'
        "</div>"
    )
    stats = "".join(
        f'<div class="stat s-{c}"><span class="k">{_CATEGORY_LABELS[c]}</span>'
        f'<span class="v">{totals[c]}</span></div>' for c in CATEGORIES)
    stats += (f'<div class="stat s-jobs"><span class="k">Jobs</span><span class="v">{len(jobs)}'
              f'</span><span class="sub">{failed} failed</span></div>' if failed else
              f'<div class="stat s-jobs"><span class="k">Jobs</span><span class="v">{len(jobs)}'
              "</span></div>")
    stats += (f'<div class="stat s-cues"><span class="k">Cues</span><span class="v">{total_cues}'
              "</span></div>")
    body = [
        '<header class="bar" id="bar"><div class="bar-top">'
        '<div class="brand"><span class="logo" aria-hidden="true">s</span>'
        '<h1>Subtitle QA report</h1>'
        f'<div class="meta"><span>profile <b>{_e(profile)}</b></span>'
        f"<span>{_e(version)}</span><span>{_e(report.get('schema', ''))}</span></div></div>"
        f'<div class="view"><span class="status" id="f-status" aria-live="polite">{total_cues}'
        ' cues</span><button type="button" class="reset" id="f-reset">Reset filters</button>'
        "</div></div>"
        f"{filters}</header>",
        '<main id="main">',
        f'<section class="stats" aria-label="Totals">{stats}</section>',
        _overview(jobs, job_counts),
        *(_job_html(i, job, r, c) for i, (job, r, c)
          in enumerate(zip(jobs, rows, job_counts, strict=True), start=1)),
        '<p class="empty-all" id="empty-all" hidden>No job matches the filters.</p>',
        "</main>",
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>subloc QA report · {_e(profile)}</title>"
        f"<style>{_CSS}</style></head>"
        f'<body>{"".join(body)}<script>{_JS}</script></body></html>\n'
    )


def write_html(report: dict[str, Any], cues: list[list[dict[str, Any]]],
               path: str | Path) -> None:
    """Render and write ``report.html`` atomically (UTF-8)."""
    atomic_write(path, render_html(report, cues).encode("utf-8"))


_CSS = """
:root{--bg:#f5f6f8;--card:#fff;--ink:#1d2433;--muted:#667085;--faint:#98a2b3;--line:#e4e7ec;
--soft:#f9fafb;--accent:#3d5afe;--bar-h:112px;
--err:#b42318;--err-bg:#fef3f2;--err-bd:#fecdca;--warn:#b54708;--warn-bg:#fffaeb;--warn-bd:#fedf89;
--info:#175cd3;--info-bg:#eff8ff;--info-bd:#b2ddff;--fix:#067647;--fix-bg:#ecfdf3;--fix-bd:#abefc6;
--mark:#fff3b0;--mark-bd:#f5c400;
--sans:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","Noto Sans","Liberation Sans",Arial,sans-serif;
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace}
@media (prefers-color-scheme:dark){:root{--bg:#0f1320;--accent:#8c9eff;--card:#171c2b;--ink:#e6e9f0;--muted:#a0a8ba;
--faint:#6b7385;--line:#2a3144;--soft:#1c2232;--err:#ff8a80;--err-bg:#3a1a1c;--err-bd:#6b2a2c;
--warn:#ffc46b;--warn-bg:#33270f;--warn-bd:#5e4715;--info:#84c5ff;--info-bg:#132a44;--info-bd:#24466d;
--fix:#6ee7a8;--fix-bg:#0f3323;--fix-bd:#1c5a3d;--mark:#4a3f0a;--mark-bd:#b38f00}}
*{box-sizing:border-box}
html{scroll-padding-top:calc(var(--bar-h) + 96px)}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 var(--sans);
-webkit-font-smoothing:antialiased}
code{font-family:var(--mono);font-size:.88em}
a{color:inherit}
[hidden]{display:none!important}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.bar{position:sticky;top:0;z-index:20;background:var(--card);border-bottom:1px solid var(--line);
box-shadow:0 1px 3px rgba(16,24,40,.06);padding:10px 28px 12px}
.bar-top{display:flex;align-items:center;justify-content:space-between;gap:16px;margin-bottom:10px}
.brand{display:flex;align-items:center;gap:10px}
.brand .meta{margin-left:10px}
.view{display:flex;align-items:center;gap:10px}
.logo{display:inline-grid;place-items:center;width:28px;height:28px;border-radius:7px;
background:var(--accent);color:#fff;font-weight:700;font-size:16px}
h1{font-size:17px;margin:0;font-weight:650;letter-spacing:-.01em}
.meta{display:flex;gap:14px;color:var(--muted);font-size:13px}
.meta span+span::before{content:"·";margin-right:14px;color:var(--faint)}
.filters{display:flex;flex-wrap:wrap;align-items:center;gap:10px 14px}
.chips{display:flex;gap:6px}
.chip{display:inline-flex;align-items:center;gap:6px;border:1px solid var(--line);background:var(--card);
color:var(--ink);border-radius:999px;padding:4px 10px 4px 9px;font:inherit;font-size:13px;cursor:pointer}
.chip .n{font-variant-numeric:tabular-nums;color:var(--muted);font-size:12px}
.chip .dot{width:8px;height:8px;border-radius:50%}
.chip.c-error .dot{background:var(--err)}.chip.c-warning .dot{background:var(--warn)}
.chip.c-info .dot{background:var(--info)}.chip.c-fixed .dot{background:var(--fix)}
.chip[aria-pressed=true].c-error{background:var(--err-bg);border-color:var(--err-bd)}
.chip[aria-pressed=true].c-warning{background:var(--warn-bg);border-color:var(--warn-bd)}
.chip[aria-pressed=true].c-info{background:var(--info-bg);border-color:var(--info-bd)}
.chip[aria-pressed=true].c-fixed{background:var(--fix-bg);border-color:var(--fix-bd)}
.chip[aria-pressed=false]{opacity:.55;text-decoration:line-through}
.field{display:inline-flex;align-items:center;gap:6px;font-size:13px;color:var(--muted)}
select{font:inherit;font-size:13px;color:var(--ink);background:var(--card);border:1px solid var(--line);
border-radius:7px;padding:4px 8px;max-width:190px}
.switch{display:inline-flex;align-items:center;gap:8px;font-size:13px;cursor:pointer;user-select:none}
.switch input{position:absolute;opacity:0;width:1px;height:1px}
.switch .track{width:30px;height:18px;border-radius:999px;background:var(--line);position:relative}
.switch .track::after{content:"";position:absolute;top:2px;left:2px;width:14px;height:14px;border-radius:50%;
background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.25)}
.switch input:checked+.track{background:var(--accent)}
.switch input:checked+.track::after{left:14px}
.switch input:focus-visible+.track,.chip:focus-visible,select:focus-visible,.reset:focus-visible,
.fold:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.status{color:var(--muted);font-size:13px;font-variant-numeric:tabular-nums}
.reset{font:inherit;font-size:13px;border:0;background:none;color:var(--accent);cursor:pointer;padding:2px 4px}
main{max-width:1440px;margin:0 auto;padding:20px 28px 60px}
.stats{display:grid;grid-template-columns:repeat(6,1fr);gap:12px;margin-bottom:18px}
.stat{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 14px;
border-top:3px solid var(--line)}
.stat .k{display:block;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}
.stat .v{font-size:24px;font-weight:650;font-variant-numeric:tabular-nums}
.stat .sub{margin-left:8px;color:var(--err);font-size:12px;font-weight:600}
.s-error{border-top-color:var(--err)}.s-error .v{color:var(--err)}
.s-warning{border-top-color:var(--warn)}.s-warning .v{color:var(--warn)}
.s-info{border-top-color:var(--info)}.s-info .v{color:var(--info)}
.s-fixed{border-top-color:var(--fix)}.s-fixed .v{color:var(--fix)}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;margin-bottom:22px}
.overview h2{font-size:14px;margin:0;padding:12px 16px;border-bottom:1px solid var(--line)}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13px}
th{text-align:left;font-weight:600;color:var(--muted);font-size:12px;background:var(--soft);
padding:7px 12px;border-bottom:1px solid var(--line);white-space:nowrap}
td{padding:7px 12px;border-bottom:1px solid var(--line);vertical-align:top}
tbody tr:last-child td{border-bottom:0}
tbody tr:hover{background:var(--soft)}
tr.failed td:first-child{box-shadow:inset 3px 0 0 var(--err)}
.num{text-align:right;font-variant-numeric:tabular-nums}
td.zero{color:var(--faint)}
td.file a{text-decoration:none}td.file a:hover .base{text-decoration:underline}
.dir{color:var(--muted)}.base{font-weight:600}
td.langs,td.engine{white-space:nowrap}
td.status code{color:var(--muted);font-size:12px;word-break:break-all}
td.status.failed{color:var(--err)}
.muted{color:var(--faint)}
.pill{display:inline-block;border-radius:999px;padding:0 8px;font-size:12px;font-weight:600;line-height:20px;
font-variant-numeric:tabular-nums;border:1px solid transparent;white-space:nowrap}
.p-error{color:var(--err);background:var(--err-bg);border-color:var(--err-bd)}
.p-warning{color:var(--warn);background:var(--warn-bg);border-color:var(--warn-bd)}
.p-info{color:var(--info);background:var(--info-bg);border-color:var(--info-bd)}
.p-fixed{color:var(--fix);background:var(--fix-bg);border-color:var(--fix-bd)}
.p-clean{color:var(--muted);background:var(--soft);border-color:var(--line)}
.job{background:var(--card);border:1px solid var(--line);border-radius:10px;margin-bottom:22px}
.job.failed{border-color:var(--err-bd)}
.job-head{position:sticky;top:var(--bar-h);z-index:10;background:var(--card);border-bottom:1px solid var(--line);
border-radius:10px 10px 0 0}
.job-title{display:flex;align-items:center;gap:10px;padding:12px 16px 2px;flex-wrap:wrap}
.job-title h2{font-size:15px;margin:0;font-weight:500}
.job-title .langs{font-weight:600;color:var(--accent);background:var(--soft);border:1px solid var(--line);
border-radius:6px;padding:0 7px;font-size:13px}
.job-title .badges{display:flex;gap:6px;margin-left:auto}
.fold{border:0;background:none;color:var(--muted);cursor:pointer;font-size:14px;width:22px;height:22px;
border-radius:5px;padding:0;line-height:22px}
.fold:hover{background:var(--soft)}
.job.collapsed .fold span{display:inline-block;transform:rotate(-90deg)}
.job.collapsed .job-body,.job.collapsed .cols{display:none}
.job.collapsed .job-head{border-bottom:0;position:static}
.job-meta{display:flex;flex-wrap:wrap;gap:4px 16px;color:var(--muted);font-size:12.5px;padding:0 16px 10px 48px}
.job-meta code{font-size:12px}
.cols,.cue{display:grid;grid-template-columns:52px 118px minmax(0,1fr) minmax(0,1fr);column-gap:18px}
.cols{padding:6px 16px;background:var(--soft);border-top:1px solid var(--line);font-size:11.5px;font-weight:600;
color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
.cue{padding:10px 16px;border-bottom:1px solid var(--line);box-shadow:inset 3px 0 0 transparent}
.cue:last-of-type{border-bottom:0}
.cue:target{background:var(--info-bg)}
.cue.lvl-error{box-shadow:inset 3px 0 0 var(--err)}
.cue.lvl-warning{box-shadow:inset 3px 0 0 var(--warn)}
.cue.lvl-info{box-shadow:inset 3px 0 0 var(--info)}
.cue.lvl-fixed{box-shadow:inset 3px 0 0 var(--fix)}
.cid{font-variant-numeric:tabular-nums;color:var(--muted);text-decoration:none;font-weight:600;padding-top:1px}
.cid:hover{color:var(--accent)}
.time{display:flex;flex-direction:column;font-family:var(--mono);font-size:12px;color:var(--muted);line-height:1.45}
.time .dur{color:var(--faint);font-size:11px}
.txt{font-size:15px;line-height:1.5;overflow-wrap:anywhere}
.txt.tgt{padding-left:18px;border-left:1px solid var(--line)}
.none{color:var(--faint);font-style:italic;font-size:13px}
.tag{font-family:var(--mono);font-size:11.5px;color:var(--faint);background:var(--soft);border-radius:3px;padding:0 2px}
.fc::before{content:"";display:inline-block;width:.62em;height:.62em;border-radius:50%;background:var(--fc,transparent);
border:1px solid rgba(0,0,0,.35);margin-right:.28em;vertical-align:.04em}
mark.gl{background:var(--mark);color:inherit;border-bottom:2px solid var(--mark-bd);border-radius:2px;padding:0 1px;cursor:help}
.notes{grid-column:3/-1;margin-top:8px;display:flex;flex-direction:column;gap:6px}
.issues{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:4px}
.issue{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 8px;font-size:13px;padding:4px 8px;border-radius:6px;
background:var(--soft);border:1px solid var(--line)}
.issue.cat-error{background:var(--err-bg);border-color:var(--err-bd)}
.issue.cat-warning{background:var(--warn-bg);border-color:var(--warn-bd)}
.issue.cat-info{background:var(--info-bg);border-color:var(--info-bd)}
.issue.cat-fixed{background:var(--fix-bg);border-color:var(--fix-bd)}
.badge{display:inline-block;font-size:10.5px;font-weight:700;text-transform:uppercase;letter-spacing:.05em;
border-radius:4px;padding:0 6px;line-height:18px;color:#fff;min-width:62px;text-align:center}
.b-error{background:var(--err)}.b-warning{background:var(--warn)}.b-info{background:var(--info)}
.b-fixed{background:var(--fix)}
@media (prefers-color-scheme:dark){.badge{color:#10131c}}
.was{font-size:11px;color:var(--muted)}.was::before{content:"was "}
.rule{font-weight:600}
.cueref{color:var(--muted);font-size:12px}
.msg{color:var(--ink)}
.vl{display:inline-flex;gap:10px;color:var(--muted);font-size:12px;font-variant-numeric:tabular-nums}
.vl b{color:var(--ink);font-weight:600}
.diff{display:inline-flex;align-items:baseline;gap:6px;font-family:var(--mono);font-size:12px}
.diff del{color:var(--err);text-decoration:line-through;text-decoration-color:rgba(180,35,24,.5)}
.diff ins{color:var(--fix);text-decoration:none;font-weight:600}
.arrow{color:var(--faint)}
.glossary{display:flex;flex-wrap:wrap;align-items:center;gap:6px;font-size:12.5px}
.gl-label{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);font-weight:600}
.gl-hit{border:1px solid var(--mark-bd);background:var(--mark);border-radius:999px;padding:0 9px}
.gl-hit .ok{color:var(--fix);font-weight:700}
.file-issues{padding:10px 16px;border-bottom:1px solid var(--line)}
.file-issues h3{margin:0 0 6px;font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.job-error{margin:12px 16px;padding:10px 12px;border-radius:8px;background:var(--err-bg);border:1px solid var(--err-bd);
color:var(--err);overflow-wrap:anywhere}
.empty,.empty-all{color:var(--muted);padding:14px 16px;margin:0;font-style:italic}
@media (max-width:900px){.stats{grid-template-columns:repeat(3,1fr)}
.cols,.cue{grid-template-columns:44px minmax(0,1fr) minmax(0,1fr)}.cols span:nth-child(2),.time{display:none}
.notes{grid-column:2/-1}.bar{position:static}.job-head{top:0}}
@media print{.bar{position:static}.filters{display:none}.job-head{position:static}.job{break-inside:auto}
.cue{break-inside:avoid}}
""".strip()  # noqa: E501

_JS = """
(function(){"use strict";
var d=document,bar=d.getElementById("bar"),root=d.documentElement;
var CATS=["error","warning","info","fixed"];
var chips=[].slice.call(d.querySelectorAll(".chip[data-cat]"));
var sel={rule:d.getElementById("f-rule"),file:d.getElementById("f-file"),lang:d.getElementById("f-lang")};
var only=d.getElementById("f-only"),status=d.getElementById("f-status");
var jobs=[].slice.call(d.querySelectorAll("section.job"));
var rows=[].slice.call(d.querySelectorAll(".overview tbody tr"));
function fresh(){return{sev:{error:true,warning:true,info:true,fixed:true},rule:"",file:"",lang:"",only:false};}
var st=fresh();
function has(select,value){return [].some.call(select.options,function(o){return o.value===value;});}
function readHash(){
var h=location.hash.slice(1);st=fresh();if(h.indexOf("=")<0)return;
h.split("&").forEach(function(kv){var i=kv.indexOf("=");if(i<0)return;var k,v;
try{k=decodeURIComponent(kv.slice(0,i));v=decodeURIComponent(kv.slice(i+1));}catch(err){return;}
if(k==="sev"){CATS.forEach(function(c){st.sev[c]=false;});
v.split(",").forEach(function(c){if(CATS.indexOf(c)>=0)st.sev[c]=true;});}
else if(k in sel){if(has(sel[k],v))st[k]=v;}
else if(k==="only"){st.only=v==="1";}});}
function writeHash(){var p=[],on=CATS.filter(function(c){return st.sev[c];});
if(on.length<CATS.length)p.push("sev="+on.join(","));
["rule","file","lang"].forEach(function(k){if(st[k])p.push(k+"="+encodeURIComponent(st[k]));});
if(st.only)p.push("only=1");
var url=p.length?"#"+p.join("&"):location.pathname+location.search;
try{history.replaceState(null,"",url);}catch(err){}}
function apply(){
chips.forEach(function(b){b.setAttribute("aria-pressed",st.sev[b.dataset.cat]?"true":"false");});
Object.keys(sel).forEach(function(k){sel[k].value=st[k];});only.checked=st.only;
var shown=0,total=0,anyJob=false;
function issueOn(li){return st.sev[li.dataset.cat]&&(!st.rule||li.dataset.rule===st.rule);}
jobs.forEach(function(job){
var on=(!st.file||job.dataset.file===st.file)&&(!st.lang||job.dataset.lang===st.lang);
job.hidden=!on;
[].forEach.call(job.querySelectorAll(".file-issues .issue"),function(li){li.hidden=!issueOn(li);});
[].forEach.call(job.querySelectorAll(".file-issues"),function(box){
box.hidden=!box.querySelector(".issue:not([hidden])");});
var cues=job.querySelectorAll("article.cue"),visible=0;
[].forEach.call(cues,function(cue){var lis=cue.querySelectorAll(".issue"),hit=false;
[].forEach.call(lis,function(li){var v=issueOn(li);li.hidden=!v;if(v)hit=true;});
var v=on&&(hit||(!st.only&&!st.rule));cue.hidden=!v;if(v)visible++;});
total+=cues.length;shown+=visible;
if(on&&(st.only||st.rule)&&!visible&&!job.querySelector(".file-issues:not([hidden])")
&&!(job.classList.contains("failed")&&st.sev.error))job.hidden=true;
if(!job.hidden)anyJob=true;
var empty=job.querySelector(".empty");if(empty)empty.hidden=cues.length>0&&visible>0;});
rows.forEach(function(tr){tr.hidden=!((!st.file||tr.dataset.file===st.file)&&(!st.lang||tr.dataset.lang===st.lang));});
d.getElementById("empty-all").hidden=anyJob;
d.getElementById("f-reset").hidden=!st.only&&!st.rule&&!st.file&&!st.lang&&CATS.every(function(c){return st.sev[c];});
status.textContent=shown===total?total+" cues":"Showing "+shown+" of "+total+" cues";}
function update(){writeHash();apply();}
chips.forEach(function(b){b.addEventListener("click",function(){st.sev[b.dataset.cat]=!st.sev[b.dataset.cat];update();});});
Object.keys(sel).forEach(function(k){sel[k].addEventListener("change",function(){st[k]=sel[k].value;update();});});
only.addEventListener("change",function(){st.only=only.checked;update();});
d.getElementById("f-reset").addEventListener("click",function(){st=fresh();update();});
[].forEach.call(d.querySelectorAll(".fold"),function(b){b.addEventListener("click",function(){
var job=b.closest(".job"),c=job.classList.toggle("collapsed");b.setAttribute("aria-expanded",c?"false":"true");});});
function measure(){root.style.setProperty("--bar-h",bar.offsetHeight+"px");}
window.addEventListener("resize",measure);
window.addEventListener("hashchange",function(){if(location.hash.indexOf("=")>=0){readHash();apply();}});
measure();readHash();apply();})();
""".strip()  # noqa: E501

_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
        "form-action 'none'; script-src 'sha256-"
        + base64.b64encode(hashlib.sha256(_JS.encode("utf-8")).digest()).decode("ascii") + "'")

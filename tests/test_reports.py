"""Report writers: the report.json schema, report.html and JUnit XML, on the typed report."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any, cast

import jinja2
import jsonschema
import pytest
from markupsafe import Markup

from subloc.issues import Issue, RuleId
from subloc.reports.html import (
    TEMPLATE,
    HtmlWriter,
    environment,
    format_time,
    format_value,
    render_html,
    render_markup,
)
from subloc.reports.json import JsonWriter, render_json
from subloc.reports.junit import JunitWriter, render_junit
from subloc.reports.model import SCHEMA_ID, CueRow, GlossaryHit, JobReport, Report
from subloc.reports.writers import write_reports

XSS = "<script>alert(1)</script>"

Rows = list[list[CueRow]]


def load_schema() -> dict[str, Any]:
    text = resources.files("subloc").joinpath("reports/schemas/report.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(load_schema())


def make_jobs() -> list[JobReport]:
    """Three jobs: en→es with every kind of finding, en→fr clean-ish, and a failed one."""
    es_issues = (
        Issue("cpl-max", "error", "line of 46 characters (limit 42)", cue=2, value=46.0, limit=42.0),
        Issue("cps-max", "warning", "18.3 characters per second", cue=1, value=18.3, limit=17.0),
        Issue("same-language", "info", "whole-file note & <b>hint</b>"),
        Issue("duration-min", "warning", "extended to the minimum", cue=1, value=500, limit=833,
              fixed=True, before=[1000, 1500], after=[1000, 1833]),
        Issue("cpl-max", "error", "re-wrapped", cue=3, value=44, limit=42, fixed=True,
              before="a very long line", after="a very\nlong line"),
        Issue("glossary-term-missing", "warning", f"glossary term {XSS!r} should be rendered as 'x'",
              cue=3, value=XSS, limit="x"),
    )
    es = JobReport(
        kind="localize", source="sample_subs/film.srt", target="out/film.es.srt", source_lang="en",
        target_lang="es", engine="argos en->es", cues=3, issues=es_issues,
        glossary_hits=(
            GlossaryHit(2, "pumpkin pie", "pastel de calabaza", "term", True),
            GlossaryHit(3, XSS, "x", "term", False),
            GlossaryHit(1, "Thanksgiving", "Acción de Gracias", "adapt", False),
        ),
        source_lang_probability=0.99, segments=3)
    fr = JobReport(
        kind="localize", source="sample_subs/film.srt", target="out/film.fr.srt", source_lang="en",
        target_lang="fr", engine="pseudo en->fr", cues=3,
        issues=(Issue("cps-max", "warning", "fast", cue=2, value=20, limit=17),),
        glossary_hits=(GlossaryHit(2, "Port Alder", "Port Alder", "dnt", True),), segments=2)
    failed = JobReport(
        kind="localize", source="in/broken <&>.srt", target=None, source_lang=None,
        target_lang="de", engine="human", cues=0, issues=(),
        error="in/broken.srt: the file does not look like a text subtitle file <binary> & \x01")
    return [es, fr, failed]


def make_report() -> Report:
    return Report.build(make_jobs(), "netflix")


def make_cues() -> Rows:
    es = [
        CueRow(1, 1000, 1833, "Happy Thanksgiving!", "¡Feliz Día de Acción de Gracias!"),
        CueRow(2, 2000, 4500, "<i>Is there pumpkin pie?</i>", "<i>¿Hay pastel de\ncalabaza?</i>"),
        CueRow(3, 3_723_004, 3_725_000, XSS, f'{XSS} <font color="#ffff00">amarillo</font> <b>negrita'),
    ]
    fr = [
        CueRow(1, 1000, 1833, "Hello", "Bonjour"),
        CueRow(2, 2000, 4500, "Port Alder", "<b>Port</b>\n<b>Alder</b>"),
        CueRow(3, 5000, 6000, None, ""),
    ]
    return [es, fr, []]


def report_json(report: Report) -> dict[str, Any]:
    """The report as a reader of report.json sees it."""
    data: dict[str, Any] = json.loads(render_json(report))
    return data


# --- schema ---------------------------------------------------------------------------

def test_schema_is_valid_draft_2020_12() -> None:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema"]["const"] == SCHEMA_ID


def test_hand_built_report_validates() -> None:
    report = make_report()
    data = report_json(report)
    validator().validate(data)
    assert data["summary"] == {"error": 1, "warning": 3, "info": 1, "fixed": 2}
    assert data["jobs"][0]["issues"][3]["before"] == [1000, 1500]


def test_report_build_validates() -> None:
    issues = (Issue("cpl-max", "error", "too long", cue=1, value=43.0, limit=42.0),
              Issue("duration-min", "warning", "extended", cue=2, value=500, limit=833, fixed=True,
                    before=[0, 500], after=[0, 833]))
    job = JobReport(kind="localize", source="a.srt", target="a.es.srt", source_lang="en",
                    target_lang="es", engine="pseudo en->es", cues=2, issues=issues,
                    source_lang_probability=0.9, segments=2)
    report = report_json(Report.build([job], "netflix"))
    validator().validate(report)
    assert report["summary"] == {"info": 0, "warning": 0, "error": 1, "fixed": 1}


def test_check_job_validates() -> None:
    job = JobReport(kind="check", source=None, target="a.es.srt", source_lang=None,
                    target_lang="es", engine="human", cues=1,
                    issues=(Issue("empty", "error", "empty cue", cue=1),), output="qa/a.es.srt")
    report = report_json(Report.build([job], "default"))
    validator().validate(report)
    assert report["jobs"][0]["output"] == "qa/a.es.srt"


Mutation = Callable[[dict[str, Any]], None]


def _drop(path: list[Any]) -> Mutation:
    def mutate(report: dict[str, Any]) -> None:
        target: Any = report
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return mutate


def _set(path: list[Any], value: Any) -> Mutation:
    def mutate(report: dict[str, Any]) -> None:
        target: Any = report
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return mutate


@pytest.mark.parametrize("mutate", [
    _drop(["summary"]),
    _drop(["jobs", 0, "engine"]),
    _drop(["jobs", 1, "issues"]),
    _drop(["jobs", 0, "issues", 0, "rule"]),
    _drop(["jobs", 0, "issues", 3, "before"]),  # a fix without its before value
    _drop(["summary", "fixed"]),
    _set(["jobs", 0, "issues", 0, "severity"], "fatal"),
    _set(["schema"], "subloc.report/2"),
    _set(["jobs", 0, "cues"], "171"),
    _set(["jobs", 0, "glossary_hits", 0, "ok"], "yes"),
    _set(["summary", "error"], -1),
    _set(["jobs"], {}),
], ids=["no-summary", "no-engine", "no-issues", "no-rule", "fix-without-before", "no-fixed-count",
        "bad-severity", "wrong-schema", "cues-as-string", "ok-as-string", "negative-count",
        "jobs-not-list"])
def test_broken_report_fails_validation(mutate: Mutation) -> None:
    report = report_json(make_report())
    validator().validate(report)
    mutate(report)
    with pytest.raises(jsonschema.ValidationError):
        validator().validate(report)


def test_localize_report_validates(tmp_path: Path, samples: Path) -> None:
    """The contract: what `subloc localize` writes is what the schema describes."""
    from subloc.pipeline.localize import LocalizeOptions, localize

    source = tmp_path / "scene.vtt"
    shutil.copy(samples / "harbour_lights_scene2.vtt", source)
    broken = tmp_path / "broken.srt"
    broken.write_bytes(b"\x00\x01\x02 not subtitles")
    result = localize([source, broken], LocalizeOptions(targets=("es",), engine="pseudo",
                                                        output_dir=tmp_path / "out", use_cache=False))
    assert result.report_path is not None
    report = json.loads(result.report_path.read_text("utf-8"))
    validator().validate(report)
    assert any(job["error"] for job in report["jobs"])


def test_json_writer_is_deterministic() -> None:
    data = JsonWriter().render(make_report(), make_cues())
    assert data == JsonWriter().render(make_report(), [])
    assert data.endswith(b"\n")
    validator().validate(json.loads(data))


# --- HTML -----------------------------------------------------------------------------

def render(report: Report, rows: Rows) -> str:
    return HtmlWriter().render(report, rows).decode("utf-8")


@pytest.fixture
def page() -> str:
    return render(make_report(), make_cues())


#: Every element the page may contain (anything else came from report data).
PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "div", "span", "h1", "h2",
             "h3", "label", "select", "option", "input", "button", "main", "section", "table",
             "thead", "tbody", "tr", "th", "td", "a", "code", "b", "i", "u", "br", "article", "ul",
             "li", "mark", "del", "ins", "p", "script"}
#: Every attribute the page may carry.
PAGE_ATTRIBUTES = {"lang", "charset", "http-equiv", "content", "name", "class", "id", "role",
                   "aria-label", "aria-hidden", "aria-live", "aria-pressed", "aria-expanded",
                   "aria-controls", "type", "value", "title", "href", "hidden", "data-cat",
                   "data-rule", "data-file", "data-lang", "dir", "style"}


class _Page(HTMLParser):
    """Every element with its attributes, and all text and attribute values, as a browser
    parses them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.strings: list[str] = []
        self.raw_text: dict[str, list[str]] = {"style": [], "script": []}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self.strings.extend(value for _, value in attrs if value)
        self._open = tag if tag in self.raw_text else None

    def handle_endtag(self, tag: str) -> None:
        self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.raw_text[self._open].append(data)
        else:
            self.strings.append(data)


def parse(html: str) -> _Page:
    parser = _Page()
    parser.feed(html)
    parser.close()
    return parser


def assert_no_injection(html: str) -> _Page:
    """Only the page's own elements and attributes, one script, one style."""
    parsed = parse(html)
    for tag, attrs in parsed.elements:
        assert tag in PAGE_TAGS, tag
        assert set(attrs) <= PAGE_ATTRIBUTES, (tag, attrs)
        style = attrs.get("style")
        assert style is None or re.fullmatch(r"--fc:#?[0-9a-z]+", style), style
        href = attrs.get("href")
        assert href is None or href.startswith("#"), href
    assert [tag for tag, _ in parsed.elements].count("script") == 1
    assert [tag for tag, _ in parsed.elements].count("style") == 1
    assert html.lower().count("<script") == 1 and html.lower().count("</script") == 1
    return parsed


def test_html_escapes_untrusted_text(page: str) -> None:
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)" in page  # the glossary term, in attributes and text
    assert "&lt;script&gt;" in page  # the cue text (its tags shown as literal, dimmed)
    assert page.count("<script") == 1  # only the report's own script
    assert "in/broken &lt;&amp;&gt;.srt" in page
    assert "&lt;binary&gt; &amp;" in page
    assert "whole-file note &amp; &lt;b&gt;hint&lt;/b&gt;" in page
    body = page.split("<script>")[0]
    for tag in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", body):
        assert tag in PAGE_TAGS - {"script"}, tag
    parsed = assert_no_injection(page)
    assert f"glossary term {XSS!r} should be rendered as 'x'" in parsed.strings  # shown, not dropped
    assert '<span class="tag" title="markup kept from the source format">&lt;script&gt;</span>' in page


def test_html_escapes_attributes() -> None:
    job = make_jobs()[0]
    issues = list(job.issues)
    issues[0] = dataclasses.replace(issues[0], rule=cast(RuleId, 'x" onmouseover="alert(1)'))
    job = dataclasses.replace(job, source='"><img src=x onerror=alert(1)>', issues=tuple(issues))
    page = render(Report.build([job], "netflix"), make_cues()[:1])
    assert "<img" not in page
    assert 'onmouseover="' not in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    parsed = assert_no_injection(page)
    assert any(attrs.get("data-rule") == 'x" onmouseover="alert(1)' for _, attrs in parsed.elements)
    assert any(attrs.get("data-file") == '"><img src=x onerror=alert(1)>' for _, attrs in parsed.elements)


HOSTILE = "\"'><script>alert(1)</script><img src=x onerror=alert(1)>&amp;"


def hostile_report() -> tuple[Report, Rows]:
    """``HOSTILE`` in every string field that reaches the page."""
    h = HOSTILE
    rule = cast(RuleId, f"rule-{h}")
    issues = (
        Issue(rule, "error", f"message {h}", cue=1, value=h, limit=h),
        Issue(rule, "warning", f"message {h}", cue=None, value=[h, 1], limit=h),
        Issue(rule, "info", f"fix {h}", cue=1, value=h, limit=h, fixed=True, before=h, after=[h]),
        Issue(rule, "error", f"elsewhere {h}", cue=99, value=h),
    )
    hits = (GlossaryHit(1, f"source {h}", f"target {h}", h, True),
            GlossaryHit(1, f"miss {h}", f"missed {h}", h, False),
            GlossaryHit(1, f"dnt {h}", f"dnt {h}", "dnt", False))
    job = JobReport(kind="localize", source=f"dir {h}/file {h}.srt", target=f"out/{h}.srt",
                    source_lang=f"lang {h}", target_lang=f"target {h}", engine=f"engine {h}",
                    cues=1, issues=issues, glossary_hits=hits, source_lang_probability=0.5,
                    segments=1)
    failed = JobReport(kind="check", source=None, target=f"{h}.srt", source_lang=None,
                       target_lang=h, engine=h, cues=0, issues=(), error=f"error {h}",
                       output=f"{h}.out")
    report = dataclasses.replace(Report.build([job, failed], f"profile {h}"),
                                 schema=f"schema {h}", tool_name=f"tool {h}",
                                 tool_version=f"version {h}")
    text = (f'{h}<i>{h}</i><font color="{h}">{h}</font><font color=\'red" onclick="x\'>r</font>'
            f'<b>target {h}</b>\n{{\\an8}}<c.x onmouseover="alert(1)">{h}</c>')
    rows = [[CueRow(1, 0, 1000, text, text)]]
    return report, rows


def test_html_escapes_every_field() -> None:
    report, rows = hostile_report()
    page = render(report, rows)
    assert "<img" not in page and "onerror=alert(1)>" not in page
    assert "onclick=" not in page
    parsed = assert_no_injection(page)
    text = "\n".join(parsed.strings)
    # Each field is shown (escaped), not dropped.
    for shown in (f"profile {HOSTILE}", f"tool {HOSTILE} version {HOSTILE}", f"schema {HOSTILE}",
                  f"file {HOSTILE}.srt", f"out/{HOSTILE}.srt", f"engine {HOSTILE}",
                  f"lang {HOSTILE}", f"target {HOSTILE}", f"rule-{HOSTILE}", f"message {HOSTILE}",
                  f"fix {HOSTILE}", f"source {HOSTILE}", f"miss {HOSTILE}", f"error {HOSTILE}",
                  f"“{HOSTILE}”", '<c.x onmouseover="alert(1)">'):
        assert shown in text, shown
    # The cue texts' canonical tags are formatting; the rest is text.
    assert page.count("<i>") >= 2 and "&lt;i&gt;" not in page


def test_html_renders_canonical_markup(page: str) -> None:
    assert "<i>Is there pumpkin pie?</i>" in page
    assert '<span class="fc" style="--fc:#ffff00" title="colour #ffff00">amarillo</span>' in page
    assert "<b>negrita</b>" in page  # an unclosed tag is closed
    assert "pastel de<br>" in page or "pastel de</mark><br>" in page


def test_render_markup_builds_safe_markup() -> None:
    html = render_markup('<b>a & "b"</b> <i>x<u>y</i>z</u>\n<script>s</script>{\\an8}</b>')
    assert isinstance(html, Markup)
    assert html == ('<b>a &amp; &#34;b&#34;</b> <i>x<u>y</u></i><u>z</u><br>'
                    '<span class="tag" title="markup kept from the source format">&lt;script&gt;</span>s'
                    '<span class="tag" title="markup kept from the source format">&lt;/script&gt;</span>'
                    '<span class="tag" title="markup kept from the source format">{\\an8}</span>')
    # Only a plain colour name or hex value reaches the style attribute.
    assert render_markup('<font color="#12345g">r</font>') == '<span class="fc">r</span>'
    assert render_markup('<font color="red;background:url(x)">r</font>') == (
        '<span class="fc" style="--fc:red" title="colour red">r</span>')


def test_html_highlights_glossary_hits(page: str) -> None:
    # A term the layout split over two lines is still found.
    assert '<mark class="gl gl-term" title="pumpkin pie">pastel de<br>calabaza</mark>' in page
    # ... and over two formatting runs: one <mark> per run.
    assert ('<b><mark class="gl gl-dnt" title="Port Alder">Port</mark></b><br>'
            '<b><mark class="gl gl-dnt" title="Port Alder">Alder</mark></b>') in page
    # A miss nobody reported yet becomes an issue; a reported one is not repeated.
    assert page.count('data-rule="glossary-term-missing"') == 2
    assert "glossary adapt &#39;Thanksgiving&#39; should be rendered as" in page
    assert "glossary adapt 'Thanksgiving' should be rendered as 'Acción de Gracias'" in parse(page).strings


def test_html_shows_issues_fixes_and_failures(page: str) -> None:
    assert 'data-cat="error" data-rule="cpl-max"' in page
    assert 'data-cat="fixed" data-rule="duration-min"' in page
    assert "<del>00:00:01,000 – 00:00:01,500</del>" in page
    assert "<ins>00:00:01,000 – 00:00:01,833</ins>" in page
    assert "<del>“a very long line”</del>" in page
    assert "value <b>46</b>" in page and "limit <b>42</b>" in page
    assert "01:02:03,004" in page
    assert "This job failed." in page
    assert "File-level issues" in page
    for option in ('value="cpl-max"', 'value="sample_subs/film.srt"', 'value="es"', 'value="de"'):
        assert option in page
    assert '<option value="cpl-max">cpl-max (2)</option>' in page
    assert 'id="f-only"' in page
    assert '<span class="pill p-error">failed</span>' in page
    assert '<span>en detected (99%)</span>' in page


def test_html_is_self_contained(page: str) -> None:
    lowered = page.lower()
    assert 'src="http' not in lowered and "href=\"http" not in lowered
    assert "@import" not in lowered and "url(" not in lowered
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", lowered)
    assert "<link" not in lowered


def test_html_csp_pins_the_inline_script(page: str) -> None:
    script = page.split("<script>", 1)[1].split("</script>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in page
    assert "default-src 'none'" in page
    policy = next(attrs["content"] for tag, attrs in parse(page).elements
                  if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
    assert policy == ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                      f"base-uri 'none'; form-action 'none'; script-src 'sha256-{digest}'")


def test_html_inlines_the_package_assets(page: str) -> None:
    assets = resources.files("subloc.reports") / "assets"
    css = (assets / "report.css").read_text("utf-8").strip()
    js = (assets / "report.js").read_text("utf-8").strip()
    assert f"<style>{css}</style>" in page
    assert f"<script>{js}</script>" in page
    parsed = parse(page)
    assert parsed.raw_text == {"style": [css], "script": [js]}


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to parse the script")
def test_html_script_parses(page: str, tmp_path: Path) -> None:
    script = page.split("<script>", 1)[1].split("</script>", 1)[0]
    path = tmp_path / "report.js"
    path.write_text(script, encoding="utf-8")
    subprocess.run(["node", "--check", str(path)], check=True, capture_output=True)


def test_html_is_deterministic() -> None:
    first = HtmlWriter().render(make_report(), make_cues())
    assert HtmlWriter().render(make_report(), make_cues()) == first
    assert first.endswith(b"</html>\n") and first.startswith(b"<!DOCTYPE html>\n")


def test_html_without_cue_rows_still_lists_issues() -> None:
    page = render(make_report(), [])
    assert 'data-rule="cpl-max"' in page
    assert "No cues to show." in page
    with pytest.raises(ValueError):
        render(make_report(), [[], [], [], []])


def test_html_clean_job_has_no_issues_pill() -> None:
    job = dataclasses.replace(make_jobs()[1], issues=(), glossary_hits=())
    page = render(Report.build([job], "netflix"), make_cues()[1:2])
    assert '<span class="pill p-clean">no issues</span>' in page
    assert '<td class="num">—</td>' in page  # no glossary hits


def test_job_without_source_is_labelled_by_its_target() -> None:
    """`subloc check` on a track without its source: the job is about the target file."""
    jobs = make_jobs()
    jobs[1] = dataclasses.replace(jobs[1], source=None, engine="human")
    report = Report.build(jobs, "netflix")
    validator().validate(report_json(report))
    page = render(report, make_cues())
    assert '<span class="dir">out/</span><span class="base">film.fr.srt</span>' in page
    assert 'data-file="out/film.fr.srt"' in page and "None" not in page
    cases = list(ET.fromstring(render_junit(report)).iter("testcase"))
    assert cases[1].get("classname") == "out/film.fr.srt"


def test_template_autoescapes() -> None:
    env = environment()
    assert env is environment()  # created once
    autoescape = env.autoescape
    assert autoescape is True or (callable(autoescape) and autoescape(TEMPLATE))
    assert env.undefined is jinja2.StrictUndefined
    template = env.get_template(TEMPLATE)
    assert template.environment is env
    assert env.from_string("{{ x }}").render(x="<b>&") == "&lt;b&gt;&amp;"
    with pytest.raises(jinja2.UndefinedError):
        template.render()  # a name the page needs is missing: an error, not an empty string


def test_template_and_assets_are_package_data() -> None:
    package = resources.files("subloc.reports")
    for path in (f"templates/{TEMPLATE}", "assets/report.css", "assets/report.js"):
        resource = package
        for part in path.split("/"):
            resource = resource / part
        assert resource.is_file(), path


def test_jinja_is_imported_on_first_render_only() -> None:
    code = ("import sys\n"
            "import subloc.reports.writers\n"
            "assert 'jinja2' not in sys.modules\n"
            "from subloc.reports.html import render_html\n"
            "from subloc.reports.model import Report\n"
            "render_html(Report.build([], 'p'), [])\n"
            "assert 'jinja2' in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_render_html_is_the_writer() -> None:
    assert render_html(make_report(), make_cues()).encode("utf-8") == HtmlWriter().render(
        make_report(), make_cues())


def test_write_reports(tmp_path: Path) -> None:
    report, rows = make_report(), make_cues()
    paths = write_reports(report, rows, tmp_path)
    assert [p.name for p in paths] == ["report.json", "report.html", "report.junit.xml"]
    assert paths[0].read_bytes() == JsonWriter().render(report, rows)
    assert paths[1].read_bytes() == HtmlWriter().render(report, rows)
    assert paths[2].read_bytes() == JunitWriter().render(report, rows)
    ET.parse(paths[2])


def test_format_helpers() -> None:
    assert format_time(0) == "00:00:00,000"
    assert format_time(3_723_004) == "01:02:03,004"
    assert format_time(-1500) == "-00:00:01,500"
    assert format_value(42.0) == "42" and format_value(17.25) == "17.25"
    assert format_value(7) == "7" and format_value(True) == "true"
    assert format_value([1000, 1833]) == "00:00:01,000 – 00:00:01,833"
    assert format_value((1000, 1833)) == "00:00:01,000 – 00:00:01,833"
    assert format_value("x") == "“x”" and format_value(None) == "—"
    assert format_value(["b", 1, None]) == '["b", 1, null]'
    assert format_value([2000, 1000]) == "[2000, 1000]"  # not a span: end before start


# --- JUnit ----------------------------------------------------------------------------

def test_junit_structure() -> None:
    report = make_report()
    root = ET.fromstring(render_junit(report))
    suites = root.findall("testsuite") if root.tag == "testsuites" else [root]
    assert len(suites) == 1 and suites[0].get("name") == "subloc"
    suite = suites[0]
    cases = suite.findall("testcase")
    assert len(cases) == len(report.jobs)
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("sample_subs/film.srt", "es"), ("sample_subs/film.srt", "fr"), ("in/broken <&>.srt", "de")]
    expected = [sum(1 for i in job.issues if i.severity == "error" and not i.fixed)
                for job in report.jobs]
    assert [len(c.findall("failure")) for c in cases] == expected == [1, 0, 0]
    failure = cases[0].find("failure")
    assert failure is not None
    assert failure.get("message") == "cpl-max (cue 2)" and failure.get("type") == "cpl-max"
    assert "line of 46 characters" in (failure.text or "")
    assert "value: 46.0" in (failure.text or "") and "limit: 42.0" in (failure.text or "")
    assert [len(c.findall("error")) for c in cases] == [0, 0, 1]
    error = cases[2].find("error")
    assert error is not None and "<binary> &" in (error.get("message") or "")
    assert "\x01" not in (error.get("message") or "")
    assert suite.get("tests") == "3" and suite.get("failures") == "1" and suite.get("errors") == "1"
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["schema"] == SCHEMA_ID and properties["profile"] == "netflix"


def test_junit_escapes_and_counts_many_failures() -> None:
    jobs = make_jobs()
    jobs[1] = dataclasses.replace(jobs[1], issues=(
        *jobs[1].issues,
        Issue("glossary-forbidden", "error", f'forbidden "{XSS}" & ]]> appears', value=XSS),
        Issue("cpl-max", "error", "m", cue=1, value=50, limit=42),
    ))
    text = render_junit(Report.build(jobs, "netflix"))
    assert "<script>" not in text
    root = ET.fromstring(text)
    failures = list(root.iter("failure"))
    assert len(failures) == 3
    assert failures[1].get("message") == "glossary-forbidden (whole file)"
    assert f'forbidden "{XSS}" & ]]> appears' in (failures[1].text or "")
    suite = root.find("testsuite") if root.tag == "testsuites" else root
    assert suite is not None and suite.get("failures") == "3"


def test_junit_is_deterministic() -> None:
    text = render_junit(make_report())
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert render_junit(make_report()) == text
    assert JunitWriter().render(make_report(), []) == text.encode("utf-8")


def test_a_huge_run_embeds_the_cues_that_matter_and_says_so(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from subloc.issues import Issue
    from subloc.reports import html
    from subloc.reports.html import render_html, rows_to_show
    from subloc.reports.model import CueRow, JobReport, Report

    monkeypatch.setattr(html, "MAX_CUES", 10)
    rows = [CueRow(i, i * 1000, i * 1000 + 900, f"source {i}", f"target {i}")
            for i in range(1, 101)]
    issues = ([Issue("cpl-max", "error", "too long", cue=77)]
              + [Issue("cps-max", "warning", "fast", cue=i) for i in (5, 50, 99)]
              + [Issue("line-balance", "info", "uneven", cue=i) for i in range(20, 40)])
    kept = rows_to_show(rows, issues)
    assert len(kept) == 10
    assert [r.id for r in kept] == sorted(r.id for r in kept)  # cue order
    assert {5, 50, 77, 99} <= {r.id for r in kept}  # the error and warnings first
    job = JobReport(kind="check", source=None, target="film.es.srt", source_lang=None,
                    target_lang="es", engine="human", cues=100, issues=tuple(issues))
    page = render_html(Report.build([job], "netflix"), [kept])
    assert page.count('<article class="cue') == 10
    assert "This page shows 10 of this track" in page and "90 cues" in page
    assert "in report.json" in page

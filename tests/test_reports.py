"""Report writers: the report.json schema, report.html and JUnit XML."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from subloc.issues import Issue
from subloc.pipeline.localize import LocalizeOptions, localize
from subloc.reports.html import cue_rows, format_time, format_value, render_html, write_html
from subloc.reports.json import SCHEMA_ID, build_report, job_entry
from subloc.reports.junit import render_junit, write_junit
from subloc.track import Cue

XSS = "<script>alert(1)</script>"


def load_schema() -> dict[str, Any]:
    text = resources.files("subloc").joinpath("reports/schemas/report.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(load_schema())


def make_report() -> dict[str, Any]:
    """Three jobs: en→es with every kind of finding, en→fr clean-ish, and a failed one."""
    es_issues = [
        {"rule": "cpl-max", "severity": "error", "cue": 2, "message": "line of 46 characters (limit 42)",
         "value": 46.0, "limit": 42.0, "fixed": False},
        {"rule": "cps-max", "severity": "warning", "cue": 1, "message": "18.3 characters per second",
         "value": 18.3, "limit": 17.0, "fixed": False},
        {"rule": "same-speaker", "severity": "info", "cue": None, "message": "whole-file note & <b>hint</b>",
         "value": None, "limit": None, "fixed": False},
        {"rule": "duration-min", "severity": "warning", "cue": 1, "message": "extended to the minimum",
         "value": 500, "limit": 833, "fixed": True, "before": [1000, 1500], "after": [1000, 1833]},
        {"rule": "cpl-max", "severity": "error", "cue": 3, "message": "re-wrapped", "value": 44, "limit": 42,
         "fixed": True, "before": "a very long line", "after": "a very\nlong line"},
        {"rule": "glossary-term-missing", "severity": "warning", "cue": 3,
         "message": f"glossary term {XSS!r} should be rendered as 'x'", "value": XSS, "limit": "x",
         "fixed": False},
    ]
    es = {
        "source": "sample_subs/film.srt", "target": "out/film.es.srt", "source_lang": "en",
        "target_lang": "es", "engine": "argos en->es", "cues": 3, "source_lang_probability": 0.99,
        "segments": 3, "error": None,
        "glossary_hits": [
            {"cue": 2, "source": "pumpkin pie", "target": "pastel de calabaza", "type": "term", "ok": True},
            {"cue": 3, "source": XSS, "target": "x", "type": "term", "ok": False},
            {"cue": 1, "source": "Thanksgiving", "target": "Acción de Gracias", "type": "adapt", "ok": False},
        ],
        "issues": es_issues,
        "cache_hits": 0,  # jobs may carry extra keys
    }
    fr = {
        "source": "sample_subs/film.srt", "target": "out/film.fr.srt", "source_lang": "en",
        "target_lang": "fr", "engine": "pseudo en->fr", "cues": 3, "source_lang_probability": None,
        "segments": 2, "error": None,
        "glossary_hits": [{"cue": 2, "source": "Port Alder", "target": "Port Alder", "type": "dnt", "ok": True}],
        "issues": [{"rule": "cps-max", "severity": "warning", "cue": 2, "message": "fast", "value": 20,
                    "limit": 17, "fixed": False}],
    }
    failed = {
        "source": "in/broken <&>.srt", "target": None, "source_lang": None, "target_lang": "de",
        "engine": "human", "cues": 0, "source_lang_probability": None, "segments": 0,
        "error": "in/broken.srt: the file does not look like a text subtitle file <binary> & \x01",
        "glossary_hits": [], "issues": [],
    }
    return {
        "schema": SCHEMA_ID, "tool": {"name": "subloc", "version": "0.1.0"}, "profile": "netflix",
        "jobs": [es, fr, failed],
        "summary": {"error": 1, "warning": 3, "info": 1, "fixed": 2},
    }


def make_cues() -> list[list[dict[str, Any]]]:
    es = [
        {"id": 1, "start_ms": 1000, "end_ms": 1833, "source": "Happy Thanksgiving!",
         "target": "¡Feliz Día de Acción de Gracias!"},
        {"id": 2, "start_ms": 2000, "end_ms": 4500, "source": "<i>Is there pumpkin pie?</i>",
         "target": "<i>¿Hay pastel de\ncalabaza?</i>"},
        {"id": 3, "start_ms": 3_723_004, "end_ms": 3_725_000, "source": XSS,
         "target": f'{XSS} <font color="#ffff00">amarillo</font> <b>negrita'},
    ]
    fr = [
        {"id": 1, "start_ms": 1000, "end_ms": 1833, "source": "Hello", "target": "Bonjour"},
        {"id": 2, "start_ms": 2000, "end_ms": 4500, "source": "Port Alder", "target": "<b>Port</b>\n<b>Alder</b>"},
        {"id": 3, "start_ms": 5000, "end_ms": 6000, "source": None, "target": ""},
    ]
    return [es, fr, []]


# --- schema ---------------------------------------------------------------------------

def test_schema_is_valid_draft_2020_12() -> None:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema"]["const"] == SCHEMA_ID


def test_hand_built_report_validates() -> None:
    validator().validate(make_report())


def test_report_from_build_report_validates() -> None:
    issues = [Issue("cpl-max", "error", "too long", cue=1, value=43.0, limit=42.0),
              Issue("duration-min", "warning", "extended", cue=2, value=500, limit=833, fixed=True,
                    before=[0, 500], after=[0, 833])]
    job = job_entry(source="a.srt", target="a.es.srt", source_lang="en", target_lang="es",
                    engine="pseudo en->es", cues=2, issues=issues,
                    extra={"source_lang_probability": 0.9, "segments": 2, "glossary_hits": [],
                           "error": None})
    report = json.loads(json.dumps(build_report([job], "netflix")))
    validator().validate(report)
    assert report["summary"] == {"info": 0, "warning": 0, "error": 1, "fixed": 1}


def _drop(path: list[Any]) -> Any:
    def mutate(report: dict[str, Any]) -> None:
        target: Any = report
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return mutate


def _set(path: list[Any], value: Any) -> Any:
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
def test_broken_report_fails_validation(mutate: Any) -> None:
    report = make_report()
    mutate(report)
    with pytest.raises(jsonschema.ValidationError):
        validator().validate(report)


def test_localize_report_validates(tmp_path: Path, samples: Path) -> None:
    """The contract: what `subloc localize` writes is what the schema describes."""
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


# --- HTML -----------------------------------------------------------------------------

@pytest.fixture
def page() -> str:
    return render_html(make_report(), make_cues())


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
        assert tag in {"html", "head", "meta", "title", "style", "body", "header", "div", "span",
                       "h1", "h2", "h3", "label", "select", "option", "input", "button", "main",
                       "section", "table", "thead", "tbody", "tr", "th", "td", "a", "code", "b",
                       "i", "u", "br", "article", "ul", "li", "mark", "del", "ins", "p"}, tag


def test_html_escapes_attributes() -> None:
    report = make_report()
    report["jobs"][0]["source"] = '"><img src=x onerror=alert(1)>'
    report["jobs"][0]["issues"][0]["rule"] = "x\" onmouseover=\"alert(1)"
    page = render_html(report, make_cues())
    assert "<img" not in page
    assert 'onmouseover="' not in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page


def test_html_renders_canonical_markup(page: str) -> None:
    assert "<i>Is there pumpkin pie?</i>" in page
    assert '<span class="fc" style="--fc:#ffff00" title="colour #ffff00">amarillo</span>' in page
    assert "<b>negrita</b>" in page  # an unclosed tag is closed
    assert "pastel de<br>" in page or "pastel de</mark><br>" in page


def test_html_highlights_glossary_hits(page: str) -> None:
    # A term the layout split over two lines is still found.
    assert '<mark class="gl gl-term" title="pumpkin pie">pastel de<br>calabaza</mark>' in page
    # ... and over two formatting runs: one <mark> per run.
    assert ('<b><mark class="gl gl-dnt" title="Port Alder">Port</mark></b><br>'
            '<b><mark class="gl gl-dnt" title="Port Alder">Alder</mark></b>') in page
    # A miss nobody reported yet becomes an issue; a reported one is not repeated.
    assert page.count('data-rule="glossary-term-missing"') == 2
    assert "glossary adapt &#x27;Thanksgiving&#x27; should be rendered as" in page


def test_html_shows_issues_fixes_and_failures(page: str) -> None:
    assert 'data-cat="error" data-rule="cpl-max"' in page
    assert 'data-cat="fixed" data-rule="duration-min"' in page
    assert "<del>00:00:01,000 – 00:00:01,500</del>" in page
    assert "<ins>00:00:01,000 – 00:00:01,833</ins>" in page
    assert "value <b>46</b>" in page and "limit <b>42</b>" in page
    assert "01:02:03,004" in page
    assert "This job failed." in page
    assert "File-level issues" in page
    for option in ('value="cpl-max"', 'value="sample_subs/film.srt"', 'value="es"', 'value="de"'):
        assert option in page
    assert 'id="f-only"' in page


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


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to parse the script")
def test_html_script_parses(page: str, tmp_path: Path) -> None:
    script = page.split("<script>", 1)[1].split("</script>", 1)[0]
    path = tmp_path / "report.js"
    path.write_text(script, encoding="utf-8")
    subprocess.run(["node", "--check", str(path)], check=True, capture_output=True)


def test_html_is_deterministic() -> None:
    first = render_html(make_report(), make_cues())
    assert render_html(copy.deepcopy(make_report()), copy.deepcopy(make_cues())) == first


def test_html_without_cue_rows_still_lists_issues() -> None:
    page = render_html(make_report(), [])
    assert 'data-rule="cpl-max"' in page
    with pytest.raises(ValueError):
        render_html(make_report(), [[], [], [], []])


def test_job_without_source_is_labelled_by_its_target() -> None:
    """`subloc check` on a track without its source: the job is about the target file."""
    report = make_report()
    job = report["jobs"][1]
    job["source"], job["engine"] = None, "human"
    validator().validate(report)
    page = render_html(report, make_cues())
    assert '<span class="dir">out/</span><span class="base">film.fr.srt</span>' in page
    assert 'data-file="out/film.fr.srt"' in page and "None" not in page
    cases = list(ET.fromstring(render_junit(report)).iter("testcase"))
    assert cases[1].get("classname") == "out/film.fr.srt"


def test_write_html_and_junit(tmp_path: Path) -> None:
    write_html(make_report(), make_cues(), tmp_path / "report.html")
    write_junit(make_report(), tmp_path / "junit.xml")
    assert (tmp_path / "report.html").read_text("utf-8") == render_html(make_report(), make_cues())
    ET.parse(tmp_path / "junit.xml")


def test_cue_rows_pairs_by_id() -> None:
    source = [Cue(1, 0, 1000, ["Hello"]), Cue(2, 1000, 2000, ["<i>World</i>", "again"])]
    target = [Cue(1, 0, 1200, ["Hola"]), Cue(2, 1200, 2000, ["<i>Mundo</i>"]),
              Cue(3, 2000, 2500, ["extra"])]
    assert cue_rows(source, target) == [
        {"id": 1, "start_ms": 0, "end_ms": 1200, "source": "Hello", "target": "Hola"},
        {"id": 2, "start_ms": 1200, "end_ms": 2000, "source": "<i>World</i>\nagain",
         "target": "<i>Mundo</i>"},
        {"id": 3, "start_ms": 2000, "end_ms": 2500, "source": None, "target": "extra"},
    ]


def test_format_helpers() -> None:
    assert format_time(0) == "00:00:00,000"
    assert format_time(3_723_004) == "01:02:03,004"
    assert format_value(42.0) == "42" and format_value(17.25) == "17.25"
    assert format_value([1000, 1833]) == "00:00:01,000 – 00:00:01,833"
    assert format_value("x") == "“x”" and format_value(None) == "—"
    assert format_value({"b": 1, "a": [1, 2, 3]}) == '{"a": [1, 2, 3], "b": 1}'


# --- JUnit ----------------------------------------------------------------------------

def test_junit_structure() -> None:
    report = make_report()
    root = ET.fromstring(render_junit(report))
    suites = root.findall("testsuite") if root.tag == "testsuites" else [root]
    assert len(suites) == 1 and suites[0].get("name") == "subloc"
    suite = suites[0]
    cases = suite.findall("testcase")
    assert len(cases) == len(report["jobs"])
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("sample_subs/film.srt", "es"), ("sample_subs/film.srt", "fr"), ("in/broken <&>.srt", "de")]
    expected = [sum(1 for i in job["issues"] if i["severity"] == "error" and not i["fixed"])
                for job in report["jobs"]]
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
    report = make_report()
    report["jobs"][1]["issues"] += [
        {"rule": "glossary-forbidden", "severity": "error", "cue": None,
         "message": f'forbidden "{XSS}" & ]]> appears', "value": XSS, "limit": None, "fixed": False},
        {"rule": "cpl-max", "severity": "error", "cue": 1, "message": "m", "value": 50, "limit": 42,
         "fixed": False},
    ]
    text = render_junit(report)
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
    assert render_junit(copy.deepcopy(make_report())) == text

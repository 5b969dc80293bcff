"""Bounded memory: issues spill to disk, and long tracks are checked and restored in
windows that give exactly what one pass over the whole track gives."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategies import tracks
from subloc.issues import Issue, IssueLog
from subloc.pipeline import job as job_module
from subloc.pipeline.localize import LocalizeOptions, localize
from subloc.qa import rules
from subloc.qa.profiles import load_profile
from subloc.qa.rules import CheckContext, check
from subloc.track import Cue, CuesById, Track


def issue(number: int) -> Issue:
    return Issue("cps-max", "warning" if number % 3 else "error", f"issue {number}",
                 cue=number, value=number / 10, limit=17)


def test_an_issue_log_spills_and_reads_back_in_order() -> None:
    log = IssueLog(keep=10, batch=7)
    log.extend(issue(n) for n in range(100))
    assert len(log) == 100 and log._spilled > 0
    assert [i.cue for i in log] == list(range(100))
    assert [i.cue for i in log] == list(range(100))  # iterable again
    assert log[3].cue == 3 and log[50].cue == 50
    assert log.counts == {"error": 34, "warning": 66, "info": 0, "fixed": 0}


def test_a_pickled_log_hands_its_file_over() -> None:
    log = IssueLog((issue(n) for n in range(50)), keep=5, batch=10)
    path = log._path
    assert path is not None and Path(path).exists()
    copy = pickle.loads(pickle.dumps(log))
    del log  # the sender's copy goes away, as in a worker process
    assert Path(path).exists()
    assert [i.cue for i in copy] == list(range(50))
    del copy
    assert not Path(path).exists()  # the receiver cleans up


@settings(max_examples=40, deadline=None)
@given(track=tracks(max_cues=30), window=st.integers(1, 7))
def test_checking_in_windows_gives_what_one_pass_gives(track: Track, window: int) -> None:
    ctx = CheckContext(load_profile("netflix"), "en", 25.0)
    whole = check(track.cues, ctx)
    saved = rules.WINDOW
    rules.WINDOW = window
    try:
        assert check(track.cues, ctx) == whole
    finally:
        rules.WINDOW = saved


def test_cues_by_id_positions_and_falls_back_to_a_dict() -> None:
    cues = [Cue(i, i * 10, i * 10 + 5, [f"c{i}"]) for i in range(1, 6)]
    by_id = CuesById(cues)
    assert by_id[3] is cues[2] and 6 not in by_id and 0 not in by_id and len(by_id) == 5
    shuffled = CuesById([cues[2], cues[0]])
    assert shuffled[3] is cues[2] and shuffled.get(2) is None


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(track=tracks(max_cues=40))
def test_restoring_in_windows_gives_the_same_track(track: Track, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from subloc.io.write import save

    source = tmp_path / "film.srt"
    save(track, source)
    outputs = []
    for window in (10_000, 3):
        monkeypatch.setattr(job_module, "SEGMENT_WINDOW", window)
        out = tmp_path / f"out{window}"
        result = localize([source], LocalizeOptions(targets=("es",), source_lang="en",
                                                    engine="pseudo", output_dir=out,
                                                    use_cache=False))
        (job,) = result.jobs
        assert job.error is None, job.error
        outputs.append(((out / "film.es.srt").read_bytes(), sorted(
            (i.rule, i.cue, i.message) for i in job.issues)))
    assert outputs[0] == outputs[1]


_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12),
                    st.lists(st.one_of(st.integers(0, 9999), st.text(max_size=6)), max_size=3))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=20), _VALUES, _VALUES, st.booleans(), _VALUES),
                max_size=8), st.booleans())
def test_the_streamed_json_report_is_json_dumps(
        raw: list[tuple[str, object, object, bool, object]], with_job: bool) -> None:
    import io
    import json

    from subloc.reports.json import render_json, write_json
    from subloc.reports.model import GlossaryHit, JobReport, Report

    issues = IssueLog(keep=3, batch=2)
    issues.extend(Issue("cps-max", "warning", message, cue=n, value=value, limit=limit,  # type: ignore[arg-type]
                        fixed=fixed, before=after, after=after)
                  for n, (message, value, limit, fixed, after) in enumerate(raw))
    jobs = [JobReport(kind="localize", source="a ü.srt", target=None, source_lang="en",
                      target_lang="es", engine="pseudo", cues=3, issues=issues,
                      glossary_hits=(GlossaryHit(1, "pie", "pastel", "term", True),))
            ] if with_job else []
    report = Report.build(jobs, "netflix")
    stream = io.BytesIO()
    write_json(report, stream)
    assert stream.getvalue().decode("utf-8") == render_json(report)
    assert json.loads(stream.getvalue())["summary"] == report.summary.to_json()


def test_compact_cues_give_back_what_the_rules_read() -> None:
    from subloc.track import CompactCues

    cues = [Cue(1, 0, 900, ["<i>Hello</i>", "there"]), Cue(2, 1000, 1900, ["Bye."])]
    compact = CompactCues(cues)
    assert list(compact) == [1, 2] and len(compact) == 2 and 3 not in compact
    for original in cues:
        again = compact[original.id]
        assert (again.id, again.start_ms, again.end_ms, again.text, again.plain_text) == (
            original.id, original.start_ms, original.end_ms, original.text,
            original.plain_text)
    sparse = CompactCues([Cue(7, 0, 5, ["a"]), Cue(9, 6, 9, ["b"])])
    assert list(sparse) == [7, 9] and sparse[9].text == "b" and sparse.get(8) is None


def test_check_pairs_by_timing_when_ids_differ(tmp_path: Path) -> None:
    from subloc.pipeline.check import pair_cues
    from subloc.track import CompactCues

    source = CompactCues([Cue(1, 0, 1000, ["one"]), Cue(2, 1000, 2000, ["two"]),
                          Cue(3, 2000, 3000, ["three"])])
    target = [Cue(1, 50, 900, ["uno"]), Cue(2, 1100, 2900, ["dos y tres"])]
    paired = pair_cues(source, target)
    assert paired[1].text == "one" and paired[2].text in ("two", "three")

"""QA rules, profiles and auto-fix."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from subloc.issues import RULE_IDS
from subloc.pipeline.fix import fix
from subloc.qa.profiles import builtin_names, load_profile
from subloc.qa.rules import RULES, CheckContext, check
from subloc.track import Cue

SOURCE = ["Where were you last night?", "I waited at the harbour.", "It was cold.",
          "Mom made dinner at 7:30.", "Nobody came home.", "See you tomorrow, Maggie."]
TARGET = ["¿Dónde estabas anoche?", "Esperé en el puerto.", "Hacía frío.",
          "Mamá hizo la cena a las 7:30.", "Nadie volvió a casa.", "Hasta mañana, Maggie."]


def track(lines: list[str], first_id: int = 1) -> list[Cue]:
    return [Cue(id=first_id + i, start_ms=1000 + i * 3500, end_ms=3500 + i * 3500,
                lines=[text]) for i, text in enumerate(lines)]


def context(profile: str = "netflix", language: str = "es", with_sources: bool = True,
            fps: float = 25) -> CheckContext:
    sources = {c.id: c for c in track(SOURCE)} if with_sources else {}
    return CheckContext(load_profile(profile), language, fps, sources, "en")


def fired(cues: list[Cue], ctx: CheckContext) -> list[tuple[str, int | None]]:
    return [(i.rule, i.cue) for i in check(cues, ctx)]


@pytest.mark.parametrize("profile", builtin_names())
def test_a_clean_track_breaks_no_rule(profile: str) -> None:
    # 4 s in: a cinema screen (the dcp profile) shows no subtitle earlier (Bv2.1 7.2.4).
    cues = [c.copy(start_ms=c.start_ms + 4000, end_ms=c.end_ms + 4000) for c in track(TARGET)]
    assert fired(cues, context(profile)) == []


def broken(index: int, **changes: object) -> list[Cue]:
    cues = track(TARGET)
    for name, value in changes.items():
        setattr(cues[index], name, value)
    return cues


CASES = [
    ("cpl-max", broken(1, lines=["Esperé en el puerto hasta que se apagaron las luces."],
                       end_ms=1000 + 3500 + 3300), 2, 52.0),
    ("lines-max", broken(2, lines=["Hacía", "mucho", "frío."]), 3, 3),
    ("cps-max", broken(4, end_ms=4 * 3500 + 1000 + 900), 5, 22.2),
    ("duration-min", broken(2, lines=["Frío."], end_ms=2 * 3500 + 1000 + 500), 3, 500),
    ("duration-max", broken(5, end_ms=5 * 3500 + 1000 + 8400), 6, 8400),
    ("overlap", broken(3, start_ms=2 * 3500 + 3500 - 100), 4, 100),
    ("gap-min", broken(1, end_ms=2 * 3500 + 1000 - 40), 2, 40),
    ("empty", broken(2, lines=[""]), 3, None),
    ("whitespace", broken(1, lines=["Esperé en  el puerto."]), 2, "Esperé en  el puerto."),
    ("tag-unbalanced", broken(1, lines=["Esperé en el puerto.</i>"]), 2, ["i"]),
    ("repeated-word", broken(4, lines=["Nadie nadie volvió a casa."]), 5, "Nadie nadie"),
    ("number-mismatch", broken(3, lines=["Mamá hizo la cena a las 8:30."]), 4, ["8:30"]),
    ("tag-mismatch", broken(2, lines=["<b>Hacía frío.</b>"]), 3, ["b"]),
    ("length-ratio", broken(2, lines=["Hacía muchísimo frío en el puerto anoche."]),
     3, 3.42),
    ("untranslated", broken(4, lines=["Nobody came home."]), 5, "Nobody came home."),
]


@pytest.mark.parametrize("rule, cues, cue, value", CASES, ids=[c[0] for c in CASES])
def test_each_rule_fires_alone_on_the_right_cue(rule: str, cues: list[Cue], cue: int,
                                                value: object) -> None:
    issues = check(cues, context())
    assert [(i.rule, i.cue) for i in issues if i.rule == rule] == [(rule, cue)]
    (issue,) = [i for i in issues if i.rule == rule]
    assert issue.value == value
    others = [(i.rule, i.cue) for i in issues if i.rule != rule and i.rule != "cps-worse"]
    assert others == [], others


def test_timing_invalid_and_line_balance_and_wpm_and_cps_worse() -> None:
    cues = broken(2, end_ms=2 * 3500 + 1000)  # ends as it starts
    assert ("timing-invalid", 3) in fired(cues, context())
    out_of_order = track(TARGET)
    out_of_order[4].start_ms, out_of_order[4].end_ms = 500, 900
    assert ("timing-invalid", 5) in fired(out_of_order, context())
    unbalanced = broken(1, lines=["Esperé en el puerto toda la noche", "sola."],
                        end_ms=1000 + 3500 + 3400)
    assert ("line-balance", 2) in fired(unbalanced, context())
    fast = broken(1, lines=["Esperé en el puerto toda la noche y no vino nadie."],
                  end_ms=1000 + 3500 + 2200)
    assert ("wpm-max", 2) in fired(fast, context("bbc"))
    assert ("cps-worse", 2) in fired(fast, context())


def test_profiles_extend_and_override(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "studio.toml"
    path.write_text('extends = "netflix"\nname = "studio"\n[limits]\ncpl-max = 38\n'
                    '[severity]\ncps-max = "error"\n[languages.es]\ncpl-max = 40\n')
    profile = load_profile(str(path))
    assert profile.limit("cpl-max", "fr") == 38 and profile.limit("cpl-max", "es") == 40
    assert profile.limit("cpl-max", "ja") == 13  # inherited per-language table
    assert profile.severity["cps-max"] == "error"
    assert load_profile("netflix-children").limit("cps-max", "en") == 13
    assert load_profile("netflix").limit("cps-max", "en-US") == 20
    assert load_profile("bbc").limit("cpl-max") == 37


def test_cjk_counts_full_width_as_one_and_half_width_as_half() -> None:
    ja = [Cue(id=1, start_ms=0, end_ms=6000, lines=["あいうえおかきくけこさしす"]),
          Cue(id=2, start_ms=7000, end_ms=13000, lines=["あいうえおかきくけこさしABC"])]
    issues = check(ja, CheckContext(load_profile("netflix"), "ja", 25))
    assert [(i.rule, i.cue, i.value) for i in issues if i.rule == "cpl-max"] == [
        ("cpl-max", 2, 13.5)]


def test_every_rule_id_is_registered_with_a_description() -> None:
    assert all(rule.description for rule in RULES.values())
    assert set(RULES) == RULE_IDS  # the registry and the public id list agree


@st.composite
def messy_timings(draw: st.DrawFn) -> list[Cue]:
    count = draw(st.integers(1, 15))
    cues, time = [], 0
    for number in range(1, count + 1):
        time += draw(st.integers(-800, 1500))
        start = max(time, 0)
        end = start + draw(st.integers(1, 9000))
        cues.append(Cue(id=number, start_ms=start, end_ms=end, lines=["Hola."]))
        time = start
    cues.sort(key=lambda c: c.start_ms)
    for index, cue in enumerate(cues, start=1):
        cue.id = index
    return cues


@settings(max_examples=300, deadline=None)
@given(messy_timings(), st.sampled_from([23.976, 25.0, 29.97]))
def test_fix_invariants(cues: list[Cue], fps: float) -> None:
    ctx = CheckContext(load_profile("netflix"), "es", fps)
    before = {c.id: c for c in cues}
    result = fix(cues, ctx)
    after = result.cues
    assert [c.id for c in after] == [c.id for c in cues]  # order unchanged
    remaining = {i.rule for i in check(after, ctx)}
    assert not remaining & {"gap-min", "overlap"}, remaining
    minimum = ctx.frames_to_ms(2)
    for index, cue in enumerate(after):
        original = before[cue.id]
        assert cue.end_ms > cue.start_ms
        if index:
            assert cue.start_ms >= min(original.start_ms, after[index - 1].end_ms + minimum)
        if cue.duration_ms < original.duration_ms:
            following = cues[index + 1] if index + 1 < len(cues) else None
            too_close = following is not None and following.start_ms - original.end_ms < minimum
            moved = cue.start_ms > original.start_ms
            assert too_close or moved or original.duration_ms > 7000, (original, cue)
    for issue in result.issues:
        assert issue.fixed and issue.before != issue.after


def test_fix_chains_small_gaps_and_extends_short_cues() -> None:
    ctx = CheckContext(load_profile("netflix"), "es", 25)
    cues = [Cue(1, 0, 2000, ["Uno."]), Cue(2, 2200, 2600, ["Dos."]), Cue(3, 5000, 7000, ["Tres."])]
    result = fix(cues, ctx)
    first, second, _third = result.cues
    assert second.start_ms - first.end_ms == 80  # 200 ms < 12 frames: chained to 2 frames
    assert second.duration_ms == 833  # extended to the minimum duration
    assert {(i.rule, i.cue) for i in result.issues} == {("gap-min", 1), ("duration-min", 2)}


def test_zero_width_characters_take_no_room_in_a_line() -> None:
    from subloc.textwidth import width

    assert width("<\u2060LAUGHING>", "en") == width("<LAUGHING>", "en") == 10
    assert width("zero\u200bwidth", "en") == 9
    assert width("漢\u2060字", "ja") == 2

"""Line breaks that respect units (subloc.qa.linebreak, subloc.pipeline.fit): glossary terms,
names, numbers and their units, and per language an article or a preposition and its word
are never split when a layout that fits keeps them whole; `line-break-unit` says when no
such layout exists. Also: the glossary film through `localize`, and case that follows an
all-caps source cue."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import subloc
from subloc.glossary.model import Entry
from subloc.pipeline.fit import FitLimits, fit_lines, glossary_terms, wrap
from subloc.pipeline.fix import fix
from subloc.pipeline.localize import LocalizeOptions, localize
from subloc.qa.linebreak import STRONG, TermIndex, cut_weights, words_of
from subloc.qa.profiles import load_profile
from subloc.qa.rules import CheckContext, check
from subloc.track import Cue

HOLIDAY = "Día de Acción de Gracias"


# --- what is a unit --------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "text", "unit"), [
    ("es", "Mañana celebramos el Día de Acción de Gracias con toda la familia", HOLIDAY),
    ("en", "I told you that Maggie Okafor would never come back", "Maggie Okafor"),
    ("en", "The doctor said that Dr. Chen is waiting for you outside", "Dr. Chen"),
    ("es", "La escuela está a 5 km de aquí y tardamos mucho en llegar", "5 km"),
    ("es", "Me costó 20 $ y ni siquiera funciona como me prometieron", "20 $"),
    ("es", "El barco sale mañana a las 6:15 a. m. desde el muelle norte", "6:15 a. m."),
    ("fr", "Il a acheté la maison de ses parents pour un euro symbolique", "la maison"),
    ("de", "Wir haben das ganze Wochenende mit der Familie verbracht", "der Familie"),
])
def test_units_are_weighed_as_unbreakable(language: str, text: str, unit: str) -> None:
    words = words_of(text)
    weights = cut_weights(words, language, TermIndex.of([HOLIDAY]))
    start = len(words_of(text[: text.index(unit)]))
    inside = range(start + 1, start + len(words_of(unit)))
    assert all(weights[cut] for cut in inside), (unit, weights)
    assert weights[start] < STRONG and weights[start + len(words_of(unit))] < STRONG


def test_a_comma_ends_a_name_and_phrasal_verbs_keep_their_particle() -> None:
    words = words_of("Thanks, Maggie. Come in and turn it off")
    weights = cut_weights(words, "en")
    assert weights[words.index("Maggie.") + 1] == 0  # "Maggie. / Come"
    assert weights[words.index("Maggie.")] == 0  # "Thanks, / Maggie."
    assert not any(weights)


@pytest.mark.parametrize(("language", "text", "limit", "expected"), [
    ("es", "Mañana es el Día de Acción de Gracias y vendrá toda la familia", 30,
     ["Mañana es el Día de Acción de Gracias", "y vendrá toda la familia"]),
    ("en", "I can't believe that Maggie Okafor is finally coming home", 36,
     ["I can't believe that Maggie Okafor", "is finally coming home"]),
    ("es", "Dice que la escuela está a 5 km del puerto de Port Alder", 30,
     ["Dice que la escuela está", "a 5 km del puerto de Port Alder"]),
])
def test_fit_breaks_elsewhere_when_it_can(language: str, text: str, limit: int,
                                          expected: list[str]) -> None:
    limits = FitLimits(max(limit, max(len(line) for line in expected)), 2)
    fitted = fit_lines(text, limits, language, [HOLIDAY])
    assert fitted.lines == expected and fitted.split == ()


def test_when_only_a_split_fits_it_is_said() -> None:
    text = "Feliz Día de Acción de Gracias"
    fitted = fit_lines(text, FitLimits(18, 2), "es", [HOLIDAY])
    assert all(len(line) <= 18 for line in fitted.lines)
    assert len(fitted.split) == 1 and "/" in fitted.split[0]
    # The check says so too (info), and says that nothing better fits.
    cue = Cue(1, 0, 3000, fitted.lines)
    ctx = CheckContext(load_profile("netflix"), "es", 25, terms=(HOLIDAY,))
    (issue,) = [i for i in check([cue], ctx) if i.rule == "line-break-unit"]
    assert issue.severity == "info" and "no break that fits" in issue.message


def test_no_break_spaces_are_never_broken() -> None:
    text = "Son 4,5\u00a0kg de pastel de calabaza para la cena de esta noche"
    for limit in range(18, 40):
        lines = wrap(text, FitLimits(limit, 2), "es")
        assert not any(line.endswith("4,5") for line in lines)


def test_fix_rebreaks_a_human_line_that_splits_a_term() -> None:
    cue = Cue(1, 0, 4000, ["Mañana celebramos el Día", "de Acción de Gracias en casa."])
    ctx = CheckContext(load_profile("netflix"), "es", 25, terms=(HOLIDAY,))
    assert [i.rule for i in check([cue], ctx) if i.rule == "line-break-unit"] == [
        "line-break-unit"]
    result = fix([cue], ctx)
    (change,) = [i for i in result.issues if i.rule == "line-break-unit" and i.fixed]
    assert change.before == cue.lines
    assert any(HOLIDAY in line for line in result.cues[0].lines)
    assert fix(result.cues, ctx).issues == []  # fixing twice changes nothing more


# --- the property ----------------------------------------------------------------------------

_VOCAB = ["el", "la", "de", "y", "que", "en", "mañana", "casa", "barco", "puerto", "noche",
          "Maggie", "Okafor", "5", "km", "20", "$", "vendrá", "familia", "con", "dijo",
          "siempre", "nunca", "pastel", "calabaza", "luces", "Port", "Alder", "Gracias,"]
_TERMS = [HOLIDAY, "pastel de calabaza", "Port Alder", "cerveza de raíz"]


def _legal_whole_layout(words: list[str], weights: list[int], limit: int) -> bool:
    """Whether some two-line break fits ``limit`` and splits no strong unit."""
    for cut in range(1, len(words)):
        top, bottom = " ".join(words[:cut]), " ".join(words[cut:])
        if weights[cut] < STRONG and len(top) <= limit and len(bottom) <= limit \
                and bottom[0] not in ",.;:!?…)]}»”’":
            return True
    return False


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=st.lists(st.sampled_from(_VOCAB), max_size=8),
       term=st.sampled_from(_TERMS),
       after=st.lists(st.sampled_from(_VOCAB), max_size=8),
       limit=st.integers(min_value=12, max_value=42))
def test_fit_never_breaks_inside_a_protected_unit_when_a_legal_break_exists(
        before: list[str], term: str, after: list[str], limit: int) -> None:
    text = " ".join([*before, term, *after])
    words = text.split()
    if len(text) <= limit:
        return
    weights = cut_weights(words, "es", TermIndex.of(_TERMS))
    fitted = fit_lines(text, FitLimits(limit, 2), "es", _TERMS)
    if not _legal_whole_layout(words, weights, limit):
        return
    cut = len(fitted.lines[0].split()) if len(fitted.lines) == 2 else 0
    assert cut == 0 or weights[cut] < STRONG, (fitted.lines, weights)
    assert term in fitted.lines[0] or term in fitted.lines[-1], fitted.lines
    assert all(len(line) <= limit for line in fitted.lines), fitted.lines


# --- the glossary film ------------------------------------------------------------------------

def test_the_glossary_film_never_splits_the_holiday(tmp_path: Path) -> None:
    """harbour_lights.srt through the shipped en->es glossary, with "Día de Acción de
    Gracias" as a studio's first choice and lines narrow enough that every cue that holds
    it must break: the term is never split across lines."""
    glossary = tmp_path / "en-es.studio.csv"
    glossary.write_text("source,target,plural,type,enforce,case_sensitive,context,note\n"
                        f"Thanksgiving,{HOLIDAY},,term,mask,false,,the holiday\n",
                        encoding="utf-8")
    samples = Path(__file__).resolve().parent.parent / "sample_subs"
    for cpl in (30, 36, 42):
        profile = tmp_path / f"narrow{cpl}.toml"
        profile.write_text(f'extends = "netflix"\n[limits]\ncpl-max = {cpl}\n',
                           encoding="utf-8")
        out = tmp_path / f"out{cpl}"
        run = localize([samples / "harbour_lights.srt"], LocalizeOptions(
            targets=("es",), engine="pseudo", source_lang="en", output_dir=out,
            use_cache=False, glossaries=(glossary,), profile=str(profile)))
        (job,) = run.jobs
        unavoidable = {i.cue for i in job.issues if i.rule == "line-break-unit"
                       and "no break that fits" in i.message}
        cues = subloc.load(out / "harbour_lights.es.srt").cues
        holding = [c for c in cues if HOLIDAY.casefold() in " ".join(
            c.plain_text.split()).casefold()]
        assert len(holding) >= 3, cpl
        for cue in holding:
            whole = any(HOLIDAY.casefold() in line.casefold() for line in cue.plain_lines)
            # Split only where no two lines of this width can keep it whole, and then said.
            assert whole or (cpl < 42 and cue.id in unavoidable), (cpl, cue.plain_lines)
        assert sum(len(c.plain_lines) == 2 for c in holding) >= 2


def test_glossary_terms_are_what_the_target_writes() -> None:
    entries = [Entry("Thanksgiving", ("Acción de Gracias", HOLIDAY), "term"),
               Entry("Maggie", (), "dnt"), Entry("y'all", ("vosotros",), "forbidden")]
    assert glossary_terms(entries) == ("Acción de Gracias", HOLIDAY, "Maggie")


# --- case follows the source ------------------------------------------------------------------

def test_an_all_caps_cue_gets_its_glossary_terms_in_capitals(tmp_path: Path) -> None:
    """The issue's case: "PORT ALDER, MAINE / THANKSGIVING WEEK" (harbour_lights.srt, cue
    1) through the shipped en->es glossary."""
    samples = Path(__file__).resolve().parent.parent / "sample_subs"
    run = localize([samples / "harbour_lights.srt"], LocalizeOptions(
        targets=("es",), engine="pseudo", source_lang="en", output_dir=tmp_path,
        use_cache=False))
    sign = subloc.load(tmp_path / "harbour_lights.es.srt").cues[0]
    text = " ".join(sign.plain_text.split())
    assert "ACCIÓN DE GRACIAS" in text and "PORT ALDER" in text, text
    assert not any(c.islower() for c in text), text
    (job,) = run.jobs
    assert not [i for i in job.issues if i.rule == "glossary-term-missing" and i.cue == 1]

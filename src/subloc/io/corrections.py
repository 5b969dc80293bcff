"""The corrections file report.html downloads: what a reviewer did to the cues of a report.

Schema ``subloc.corrections/1`` (JSON Schema in ``subloc/reports/schemas/
corrections.schema.json``)::

    {"schema": "subloc.corrections/1", "run_id": "3f2a...",
     "jobs": [{"source": "film.srt", "target": "out/film.es.srt",
               "source_lang": "en", "target_lang": "es",
               "cues": [{"id": 4, "start_ms": 8000, "end_ms": 9500,
                         "source": "Hello.", "mt": "Hola.", "target": "¡Hola!",
                         "comment": "warmer", "approved": true}]}]}

The page works on cues (that is what it shows), so corrections are cue-level: ``mt`` is the
text the reviewer saw, ``target`` theirs when they changed it. JSON rather than XLIFF
because the page must build it with a few lines of script under a strict policy, and a
cue's edit, comment and approval fit it exactly; CAT tools get XLIFF from ``subloc review
export``. Read here by hand (no schema library at run time): anything out of shape is a
:class:`CorrectionsError` naming the file, the job and the cue.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from subloc.errors import ParseError

SCHEMA_ID = "subloc.corrections/1"


class CorrectionsError(ParseError):
    """A corrections file that is not one subloc wrote, or is damaged."""


@dataclass(frozen=True)
class CueCorrection:
    id: int
    start_ms: int
    end_ms: int
    source: str | None
    mt: str
    target: str | None = None
    comment: str | None = None
    approved: bool = False

    @property
    def edited(self) -> bool:
        return self.target is not None and self.target != self.mt


@dataclass(frozen=True)
class JobCorrections:
    source: str | None
    target: str
    source_lang: str | None
    target_lang: str
    cues: tuple[CueCorrection, ...]


@dataclass(frozen=True)
class Corrections:
    run_id: str | None
    jobs: tuple[JobCorrections, ...]


def read_corrections(data: bytes, path: str) -> Corrections:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise CorrectionsError(f"is not UTF-8 text ({error.reason} at byte {error.start})",
                               path=path) from None
    except json.JSONDecodeError as error:
        raise CorrectionsError(f"malformed JSON ({error.msg}, column {error.colno})",
                               path=path, line=error.lineno) from None
    if not isinstance(document, dict) or document.get("schema") != SCHEMA_ID:
        raise CorrectionsError(f"is not a subloc corrections file (no \"schema\": "
                               f"\"{SCHEMA_ID}\"); download it again from report.html",
                               path=path)
    jobs = document.get("jobs")
    if not isinstance(jobs, list):
        raise CorrectionsError("\"jobs\" must be a list", path=path)
    run_id = document.get("run_id")
    return Corrections(run_id if isinstance(run_id, str) else None,
                       tuple(_job(job, number, path) for number, job in
                             enumerate(jobs, start=1)))


def _job(value: object, number: int, path: str) -> JobCorrections:
    where = f"job {number}"
    if not isinstance(value, dict):
        raise CorrectionsError(f"{where} is not an object", path=path)
    target, lang, cues = value.get("target"), value.get("target_lang"), value.get("cues")
    if not isinstance(target, str) or not target or not isinstance(lang, str) or not lang:
        raise CorrectionsError(f"{where} needs \"target\" and \"target_lang\"", path=path)
    if not isinstance(cues, list):
        raise CorrectionsError(f"{where}: \"cues\" must be a list", path=path)
    return JobCorrections(_text(value.get("source"), path, where, "source"), target,
                          _text(value.get("source_lang"), path, where, "source_lang"), lang,
                          tuple(_cue(cue, path, f"{where} ({target})") for cue in cues))


def _cue(value: object, path: str, where: str) -> CueCorrection:
    if not isinstance(value, dict):
        raise CorrectionsError(f"{where}: a cue is not an object", path=path)
    cue_id = value.get("id")
    if not isinstance(cue_id, int) or isinstance(cue_id, bool) or cue_id < 1:
        raise CorrectionsError(f"{where}: a cue has no valid \"id\"", path=path)
    where = f"{where}, cue {cue_id}"
    start, end = value.get("start_ms"), value.get("end_ms")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        raise CorrectionsError(f"{where}: \"start_ms\" and \"end_ms\" must be integers",
                               path=path)
    mt = value.get("mt")
    if not isinstance(mt, str):
        raise CorrectionsError(f"{where}: \"mt\" must be the text the reviewer saw", path=path)
    approved = value.get("approved", False)
    if not isinstance(approved, bool):
        raise CorrectionsError(f"{where}: \"approved\" must be true or false", path=path)
    assert isinstance(start, int) and isinstance(end, int)
    return CueCorrection(cue_id, start, end, _text(value.get("source"), path, where, "source"),
                         mt, _text(value.get("target"), path, where, "target"),
                         _text(value.get("comment"), path, where, "comment"), approved)


def _text(value: object, path: str, where: str, key: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise CorrectionsError(f"{where}: \"{key}\" must be text or null", path=path)


__all__ = ["SCHEMA_ID", "Corrections", "CorrectionsError", "CueCorrection", "JobCorrections",
           "read_corrections"]

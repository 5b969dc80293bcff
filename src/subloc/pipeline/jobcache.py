"""Finished jobs, reused: a rerun of the same file into the same language with the same
everything is answered from the translation cache, without reading the file again.

A job's key digests everything its output depends on: the source file's bytes, the target
language and output folder, the run's fingerprint (subloc's own code, the engine and its
models, the glossaries' contents, the profile, the options that shape the output). A hit
is used only if the written track is still there, byte for byte as it was written; else
the job runs again. A build script rerunning a batch after changing one file pays for that
file only.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from subloc.engines.base import Engine
from subloc.engines.cache import TranslationCache
from subloc.glossary.store import glossary_files, shipped_dir
from subloc.issues import Issue
from subloc.pipeline.job import JobSettings
from subloc.qa.profiles import Profile
from subloc.reports.model import CueRow, GlossaryHit

log = logging.getLogger(__name__)

#: Jobs with more issues than this are not stored (a pathological track's issues would
#: make the cache grow by hundreds of MB for a rerun nobody will make).
MAX_STORED_ISSUES = 100_000
_FORMAT = 1  # bump when StoredJob changes


@dataclass(frozen=True)
class StoredJob:
    """What a finished job produced, as the report needs it."""

    output: str
    output_digest: str
    source_lang: str | None
    probability: float | None
    cues: int
    segments: int
    engine: str
    issues: tuple[Issue, ...]
    glossary_hits: tuple[GlossaryHit, ...]
    rows: tuple[CueRow, ...]
    warnings: tuple[str, ...]


@functools.cache
def code_digest() -> str:
    """subloc's own code and data: a new version or a local change invalidates every job."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".toml", ".json", ".j2", ".css", ".js"):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def file_digest(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def run_fingerprint(engine: Engine, profile: Profile, settings: JobSettings,
                    glossaries: Iterable[Path], default_glossary: bool, adapt_units: bool,
                    source_lang: str) -> str:
    """Everything of a run that decides a job's output, whatever the file."""
    digest = hashlib.sha256()
    for part in (code_digest(), engine.fingerprint(), repr(profile), repr(settings),
                 repr((default_glossary, adapt_units, source_lang))):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    files = glossary_files(glossaries)
    if default_glossary:
        files += sorted(shipped_dir().glob("*.csv"))
    for path in files:
        digest.update(str(path).encode("utf-8"))
        digest.update((file_digest(path) or "missing").encode())
    return digest.hexdigest()


def job_key(fingerprint: str, source_digest: str, target: str,
            output_dir: Path | None) -> str:
    text = f"{_FORMAT}\0{fingerprint}\0{source_digest}\0{target}\0{output_dir}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load(cache: TranslationCache, key: str) -> StoredJob | None:
    """The stored job, if its written track is still exactly what it wrote."""
    blob = cache.get_job(key)
    if blob is None:
        return None
    try:
        stored = pickle.loads(blob)
    except Exception:  # an older or damaged entry: run the job again
        log.debug("ignoring an unreadable stored job %s", key)
        return None
    if not isinstance(stored, StoredJob):
        return None
    if stored.output and file_digest(Path(stored.output)) != stored.output_digest:
        return None  # the track was changed or removed since: write it again
    return stored


def store(cache: TranslationCache, key: str, stored: StoredJob) -> None:
    if len(stored.issues) <= MAX_STORED_ISSUES:
        cache.put_job(key, pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL))

"""The translation cache: SQLite, keyed by engine identity, language pair and exact text.

Safe for concurrent runs (WAL journal, a busy timeout, retries). A rerun of the same batch
is answered entirely from here, without touching the model.

Besides machine translations (and what the engine noticed about them, and its confidence
in them) it keeps **human translations**: what reviewers imported with ``subloc review
import`` or ``subloc tm import``, keyed by language pair and exact source segment, not by
engine. A human entry takes precedence over MT for the same segment in every later run,
whatever the engine. Each write of human entries bumps a generation number
(:meth:`TranslationCache.human_generation`), which finished jobs are keyed by, so a new
reviewer translation reruns the jobs it may change. The tables were added without changing
the old ones: a cache from before them works as it did.

What can go wrong, and what happens:

- a ``--cache`` path that exists and is not a subloc cache (``--cache film.srt``, another
  program's database): refused with :class:`CacheRefused`, never renamed or touched (in
  subloc's own default location, such a file is treated as corrupt);
- the file is a subloc cache that SQLite finds corrupt (``PRAGMA integrity_check`` fails,
  or "database disk image is malformed"): moved aside as ``.corrupt-<time>`` and rebuilt,
  with a warning;
- the location cannot be written (read-only, full disk, a directory): the caller gets
  :class:`CacheUnavailable` when opening, and a cache that fails while the run goes on
  turns itself off with one warning, so a run never fails for its cache.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from subloc.engines.base import Note
from subloc.errors import UsageError
from subloc.issues import RULE_IDS, SEVERITIES

log = logging.getLogger(__name__)

_TABLE = "translations"
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {_TABLE} (
    engine TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source_text TEXT NOT NULL,
    translation TEXT NOT NULL,
    PRIMARY KEY (engine, source_lang, target_lang, source_text)
) WITHOUT ROWID
"""
#: What the engine noticed about a translation (see :class:`~subloc.engines.base.Note`),
#: as JSON, for the few translations it noticed something about.
_NOTES_SCHEMA = """
CREATE TABLE IF NOT EXISTS notes (
    engine TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source_text TEXT NOT NULL,
    notes TEXT NOT NULL,
    PRIMARY KEY (engine, source_lang, target_lang, source_text)
) WITHOUT ROWID
"""
#: The engine's confidence in a translation (mean log-probability per token), for the
#: engines that score their output.
_SCORES_SCHEMA = """
CREATE TABLE IF NOT EXISTS scores (
    engine TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source_text TEXT NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY (engine, source_lang, target_lang, source_text)
) WITHOUT ROWID
"""
#: Human translations of whole segments (see :class:`HumanEntry`), engine-independent.
_HUMAN_SCHEMA = """
CREATE TABLE IF NOT EXISTS human (
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source_text TEXT NOT NULL,
    translation TEXT NOT NULL,
    state TEXT NOT NULL,
    pieces TEXT,
    origin TEXT NOT NULL,
    PRIMARY KEY (source_lang, target_lang, source_text)
) WITHOUT ROWID
"""
_META_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID
"""
#: Finished jobs (see :mod:`subloc.pipeline.jobcache`): a key, and the pickled result.
_JOBS_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    key TEXT PRIMARY KEY,
    result BLOB NOT NULL
) WITHOUT ROWID
"""
_SQLITE_HEADER = b"SQLite format 3\x00"
_CHUNK = 500  # stay well under SQLite's limit on bound variables
_RETRIES = 5


@dataclass(frozen=True)
class HumanEntry:
    """A reviewer's translation of one source segment (canonical markup), as imported.

    ``state`` is ``reviewed`` or ``final`` (XLIFF 2 states); ``pieces`` is how the
    translation was split over the segment's cues when a reviewer saw it so (a sentence
    running over several cues), or ``()`` to split it by the cues' shares as MT is;
    ``origin`` says where it came from (an XLIFF or TMX file, a report's corrections)."""

    source: str
    translation: str
    state: str = "reviewed"
    pieces: tuple[str, ...] = ()
    origin: str = ""


class CacheRefused(UsageError):
    """``--cache`` names a file that is not a subloc translation cache."""


class CacheUnavailable(Exception):
    """The cache location cannot be opened or written (read-only, full, not a file)."""


def default_cache_path() -> Path:
    return Path(user_cache_dir("subloc")) / "translations.sqlite3"


class TranslationCache:
    """A persistent map ``(engine identity, source, target, text) -> translation``."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_cache_path()
        #: A path the user chose may be anything of theirs; subloc's own default location
        #: holds only our cache, so there unreadable content is treated as corruption.
        self._ours = path is None
        self.warnings: list[str] = []
        self._db: sqlite3.Connection | None = self._open()

    def _open(self) -> sqlite3.Connection:
        if not self._ours:
            self._refuse_foreign()
        try:
            return self._connect()
        except sqlite3.DatabaseError as error:
            if not _is_corruption(error):
                raise CacheUnavailable(str(error)) from error
            return self._rebuild(error)
        except OSError as error:
            raise CacheUnavailable(error.strerror or str(error)) from error

    def _refuse_foreign(self) -> None:
        """An existing file must be a SQLite database holding our table (or be empty)."""
        if not self.path.exists():
            return
        if not self.path.is_file():
            raise CacheUnavailable("not a regular file")
        with open(self.path, "rb") as handle:
            head = handle.read(len(_SQLITE_HEADER))
        if head and head != _SQLITE_HEADER:
            raise CacheRefused("exists and is not a subloc translation cache (not a SQLite "
                               "database); choose another --cache path", path=self.path)
        if not head:
            return
        try:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
            try:
                tables = {row[0] for row in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")}
            finally:
                db.close()
        except sqlite3.DatabaseError as error:
            if _is_corruption(error):
                return  # ours or not, it cannot be read: _open decides by integrity_check
            raise CacheUnavailable(str(error)) from error
        if tables and _TABLE not in tables:
            raise CacheRefused("is another program's SQLite database, not a subloc "
                               "translation cache; choose another --cache path", path=self.path)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout = 30000")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute(_SCHEMA)
            db.execute(_JOBS_SCHEMA)
            db.execute(_NOTES_SCHEMA)
            db.execute(_SCORES_SCHEMA)
            db.execute(_HUMAN_SCHEMA)
            db.execute(_META_SCHEMA)
            db.execute(f"SELECT count(*) FROM {_TABLE} LIMIT 1").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _rebuild(self, error: sqlite3.DatabaseError) -> sqlite3.Connection:
        aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
        try:
            self.path.replace(aside)
            for suffix in ("-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            db = self._connect()
        except (OSError, sqlite3.Error) as again:
            raise CacheUnavailable(str(again)) from again
        self._warn(f"{self.path}: the translation cache was corrupt ({error}); moved it to "
                   f"{aside.name} and started a new one")
        return db

    def _warn(self, message: str) -> None:
        self.warnings.append(message)
        log.debug("%s", message)

    def _give_up(self, error: sqlite3.Error) -> None:
        """The cache failed mid-run (disk full, read-only): carry on without it."""
        self._warn(f"{self.path}: the translation cache stopped working ({error}); "
                   "carrying on without it")
        self.close()

    def get_many(self, engine: str, source: str, target: str,
                 texts: Sequence[str]) -> dict[str, str]:
        """The cached translations of ``texts`` (missing ones are absent)."""
        found: dict[str, str] = {}
        for start in range(0, len(texts), _CHUNK):
            chunk = texts[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._retry(
                f"SELECT source_text, translation FROM {_TABLE} WHERE engine = ? AND "
                f"source_lang = ? AND target_lang = ? AND source_text IN ({marks})",
                (engine, source, target, *chunk),
            )
            found.update(rows)
        return found

    def get_notes(self, engine: str, source: str, target: str,
                  texts: Sequence[str]) -> dict[str, tuple[Note, ...]]:
        """What the engine noticed about the cached translations of ``texts`` (only those
        it noticed something about)."""
        found: dict[str, tuple[Note, ...]] = {}
        for start in range(0, len(texts), _CHUNK):
            chunk = texts[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._retry(
                f"SELECT source_text, notes FROM notes WHERE engine = ? AND source_lang = ? "
                f"AND target_lang = ? AND source_text IN ({marks})",
                (engine, source, target, *chunk),
            )
            for text, value in rows:
                notes = _notes_from_json(value)
                if notes:
                    found[text] = notes
        return found

    def get_scores(self, engine: str, source: str, target: str,
                   texts: Sequence[str]) -> dict[str, float]:
        """The engine's confidence in the cached translations of ``texts`` (only those it
        scored)."""
        found: dict[str, float] = {}
        for start in range(0, len(texts), _CHUNK):
            chunk = texts[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._retry(
                f"SELECT source_text, score FROM scores WHERE engine = ? AND source_lang = ? "
                f"AND target_lang = ? AND source_text IN ({marks})",
                (engine, source, target, *chunk),
            )
            found.update((text, float(score)) for text, score in rows
                         if isinstance(score, (int, float)))
        return found

    def put_many(self, engine: str, source: str, target: str,
                 pairs: Iterable[tuple[str, str]],
                 notes: Mapping[str, tuple[Note, ...]] | None = None,
                 scores: Mapping[str, float] | None = None) -> None:
        rows = [(engine, source, target, text, translation) for text, translation in pairs]
        noted = [(engine, source, target, text, _notes_to_json(value))
                 for text, value in (notes or {}).items() if value]
        scored = [(engine, source, target, text, score)
                  for text, score in (scores or {}).items()]

        def write(db: sqlite3.Connection) -> None:
            db.executemany(f"INSERT OR REPLACE INTO {_TABLE} VALUES (?, ?, ?, ?, ?)", rows)
            if noted:
                db.executemany("INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?)", noted)
            if scored:
                db.executemany("INSERT OR REPLACE INTO scores VALUES (?, ?, ?, ?, ?)", scored)

        self._write(write)

    # --- human translations ---------------------------------------------------------

    def get_human(self, source: str, target: str,
                  texts: Sequence[str]) -> dict[str, HumanEntry]:
        """The human translations of ``texts`` for the pair (missing ones are absent)."""
        found: dict[str, HumanEntry] = {}
        source, target = language_key(source), language_key(target)
        for start in range(0, len(texts), _CHUNK):
            chunk = texts[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._retry_rows(
                "SELECT source_text, translation, state, pieces, origin FROM human WHERE "
                f"source_lang = ? AND target_lang = ? AND source_text IN ({marks})",
                (source, target, *chunk),
            )
            for text, translation, state, pieces, origin in rows:
                found[text] = HumanEntry(text, translation, state, _pieces_from_json(pieces),
                                         origin)
        return found

    def human_entries(self, source: str | None = None, target: str | None = None
                      ) -> list[tuple[str, str, HumanEntry]]:
        """Every human translation ``(source_lang, target_lang, entry)``, in a stable
        order, optionally of one pair only."""
        sql = ("SELECT source_lang, target_lang, source_text, translation, state, pieces, "
               "origin FROM human")
        params: tuple[str, ...] = ()
        if source is not None and target is not None:
            sql += " WHERE source_lang = ? AND target_lang = ?"
            params = (language_key(source), language_key(target))
        sql += " ORDER BY source_lang, target_lang, source_text"
        return [(a, b, HumanEntry(text, translation, state, _pieces_from_json(pieces), origin))
                for a, b, text, translation, state, pieces, origin
                in self._retry_rows(sql, params)]

    def put_human(self, source: str, target: str, entries: Iterable[HumanEntry]) -> int:
        """Store human translations (replacing earlier ones of the same segments) and bump
        the generation; returns how many were given (0 if the cache failed). Entries the
        cache already holds as they are change nothing, not even the generation."""
        given = list(entries)
        known = self.get_human(source, target, [e.source for e in given])
        fresh = [e for e in given if known.get(e.source) != e]
        source, target = language_key(source), language_key(target)
        rows = [(source, target, e.source, e.translation, e.state,
                 json.dumps(list(e.pieces), ensure_ascii=False) if e.pieces else None,
                 e.origin) for e in fresh]
        if not rows:
            return len(given) if self._db is not None else 0

        def write(db: sqlite3.Connection) -> None:
            db.executemany("INSERT OR REPLACE INTO human VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            generation = db.execute("SELECT value FROM meta WHERE key = 'human'").fetchone()
            number = int(generation[0]) + 1 if generation and str(generation[0]).isdigit() \
                else 1
            db.execute("INSERT OR REPLACE INTO meta VALUES ('human', ?)", (str(number),))

        return len(given) if self._write(write) else 0

    def human_generation(self) -> str:
        """Changes whenever human translations are written (finished jobs are keyed by it:
        a new reviewer translation must not be hidden by a reused job)."""
        rows = self._retry_rows("SELECT value FROM meta WHERE key = 'human'", ())
        return str(rows[0][0]) if rows else "0"

    def _write(self, write: Callable[[sqlite3.Connection], None]) -> bool:
        """Run ``write`` in one immediate transaction, retrying while the database is
        locked; a cache that fails turns itself off (see :meth:`_give_up`)."""
        for attempt in range(_RETRIES):
            if self._db is None:
                return False
            try:
                with self._db:
                    self._db.execute("BEGIN IMMEDIATE")
                    write(self._db)
                return True
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or attempt == _RETRIES - 1:
                    self._give_up(error)
                    return False
                time.sleep(0.05 * 2**attempt)
            except sqlite3.DatabaseError as error:
                self._give_up(error)
                return False
        return False

    def get_job(self, key: str) -> bytes | None:
        """A finished job's stored result, or None."""
        rows = self._retry("SELECT key, result FROM jobs WHERE key = ?", (key,))
        return bytes(rows[0][1]) if rows else None

    def put_job(self, key: str, result: bytes) -> None:
        for attempt in range(_RETRIES):
            if self._db is None:
                return
            try:
                with self._db:
                    self._db.execute("BEGIN IMMEDIATE")
                    self._db.execute("INSERT OR REPLACE INTO jobs VALUES (?, ?)", (key, result))
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or attempt == _RETRIES - 1:
                    self._give_up(error)
                    return
                time.sleep(0.05 * 2**attempt)
            except sqlite3.DatabaseError as error:
                self._give_up(error)
                return

    def _retry_rows(self, sql: str, params: tuple[str, ...]) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self._retry(sql, params)]

    def _retry(self, sql: str, params: tuple[str, ...]) -> list[tuple[Any, Any]]:
        for attempt in range(_RETRIES):
            if self._db is None:
                return []
            try:
                return list(self._db.execute(sql, params))
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or attempt == _RETRIES - 1:
                    self._give_up(error)
                    return []
                time.sleep(0.05 * 2**attempt)
            except sqlite3.DatabaseError as error:
                self._give_up(error)
                return []
        return []

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def language_key(code: str) -> str:
    """A language tag as human translations are keyed: ``_`` as ``-``, the language and
    other subtags lower case, a script Title case and a region upper case (``pt-BR``,
    ``zh-Hant-TW``), so ``EN_us`` and ``en-US`` are one language."""
    parts = code.strip().replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def _pieces_from_json(value: object) -> tuple[str, ...]:
    if not value:
        return ()
    try:
        items = json.loads(str(value))
    except ValueError:
        return ()
    if isinstance(items, list) and all(isinstance(item, str) for item in items):
        return tuple(items)
    return ()


def _notes_to_json(notes: tuple[Note, ...]) -> str:
    return json.dumps([[n.rule, n.severity, n.message, list(n.value)] for n in notes],
                      ensure_ascii=False)


def _notes_from_json(value: object) -> tuple[Note, ...]:
    """Notes read back; anything that is not a note of a known rule is left out."""
    try:
        items = json.loads(str(value))
    except ValueError:
        return ()
    notes = []
    for item in items if isinstance(items, list) else []:
        if (isinstance(item, list) and len(item) == 4 and item[0] in RULE_IDS
                and item[1] in SEVERITIES and isinstance(item[2], str)
                and isinstance(item[3], list)):
            notes.append(Note(item[0], item[2], item[1], tuple(str(v) for v in item[3])))
    return tuple(notes)


def _is_corruption(error: sqlite3.DatabaseError) -> bool:
    """Only what SQLite itself calls a damaged database; a locked, read-only or full one is
    not corrupt."""
    text = str(error).lower()
    return "malformed" in text or "file is not a database" in text or "corrupt" in text

"""The translation cache: SQLite, keyed by engine identity, language pair and exact text.

Safe for concurrent runs (WAL journal, a busy timeout, retries); a corrupt cache file is
reported, moved aside and rebuilt, never fatal. A rerun of the same batch is answered
entirely from here, without touching the model.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from platformdirs import user_cache_dir

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    engine TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source_text TEXT NOT NULL,
    translation TEXT NOT NULL,
    PRIMARY KEY (engine, source_lang, target_lang, source_text)
) WITHOUT ROWID
"""
_CHUNK = 500  # stay well under SQLite's limit on bound variables
_RETRIES = 5


def default_cache_path() -> Path:
    return Path(user_cache_dir("subloc")) / "translations.sqlite3"


class TranslationCache:
    """A persistent map ``(engine identity, source, target, text) -> translation``."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_cache_path()
        self.warnings: list[str] = []
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError as error:
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
            self.path.replace(aside)
            for suffix in ("-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            self.warnings.append(
                f"{self.path}: translation cache was unreadable ({error}); moved it to "
                f"{aside.name} and started a new one"
            )
            log.warning("%s", self.warnings[-1])
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout = 30000")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute(_SCHEMA)
            db.execute("SELECT count(*) FROM translations LIMIT 1").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def get_many(self, engine: str, source: str, target: str,
                 texts: Sequence[str]) -> dict[str, str]:
        """The cached translations of ``texts`` (missing ones are absent)."""
        found: dict[str, str] = {}
        for start in range(0, len(texts), _CHUNK):
            chunk = texts[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._retry(
                f"SELECT source_text, translation FROM translations WHERE engine = ? AND "
                f"source_lang = ? AND target_lang = ? AND source_text IN ({marks})",
                (engine, source, target, *chunk),
            )
            found.update(rows)
        return found

    def put_many(self, engine: str, source: str, target: str,
                 pairs: Iterable[tuple[str, str]]) -> None:
        rows = [(engine, source, target, text, translation) for text, translation in pairs]
        for attempt in range(_RETRIES):
            try:
                with self._db:
                    self._db.execute("BEGIN IMMEDIATE")
                    self._db.executemany(
                        "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?)", rows)
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or attempt == _RETRIES - 1:
                    raise
                time.sleep(0.05 * 2**attempt)

    def _retry(self, sql: str, params: tuple[str, ...]) -> list[tuple[str, str]]:
        for attempt in range(_RETRIES):
            try:
                return list(self._db.execute(sql, params))
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or attempt == _RETRIES - 1:
                    raise
                time.sleep(0.05 * 2**attempt)
        return []

    def close(self) -> None:
        self._db.close()

"""The scan's SQLite store: results keyed by (content SHA-256, rule-set version), and the list of
files of each run, so that a rescan reuses unchanged files and an interrupted scan resumes."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from clauselint.errors import ClauselintError

SCHEMA_VERSION = "2"
KEEP_RUNS = 10
_CHUNK = 1024 * 1024

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results(
    sha256 TEXT NOT NULL, ruleset TEXT NOT NULL, result TEXT NOT NULL, digest TEXT NOT NULL, created REAL NOT NULL,
    PRIMARY KEY(sha256, ruleset)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stats(
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs(
    id INTEGER PRIMARY KEY, started REAL NOT NULL, finished REAL, ruleset TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS run_files(
    run INTEGER NOT NULL, path TEXT NOT NULL, sha256 TEXT, error TEXT, cached INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY(run, path)) WITHOUT ROWID;
"""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class Store:
    """One SQLite database in WAL mode; the parent process is its only writer."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
            row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is not None and row[0] != SCHEMA_VERSION:
                # The store is a cache: an older layout is dropped and rebuilt, not migrated.
                for table in ("results", "stats", "runs", "run_files", "meta"):
                    self.db.execute(f"DROP TABLE IF EXISTS {table}")
                self.db.executescript(_SCHEMA)
                row = None
            if row is None:
                self.db.execute("INSERT INTO meta VALUES('schema', ?)", (SCHEMA_VERSION,))
        except sqlite3.DatabaseError as exc:
            raise ClauselintError(f"base de résultats illisible ({exc}) ; supprimez-la ou choisissez-en "
                                  "une autre avec --db", where=self.path) from None
        except OSError as exc:
            raise ClauselintError(f"base de résultats impossible à créer ({exc.strerror or exc}) ; "
                                  "choisissez un autre chemin avec --db", where=self.path) from None
        self._pending = 0
        self._last_commit = time.monotonic()
        self.db.execute("BEGIN")

    # --- transactions: one commit per small batch, so an interruption loses little ---

    def maybe_commit(self, every: int = 25, seconds: float = 1.0) -> None:
        self._pending += 1
        if self._pending >= every or time.monotonic() - self._last_commit >= seconds:
            self.commit()

    def commit(self) -> None:
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")
        self._pending = 0
        self._last_commit = time.monotonic()

    def close(self) -> None:
        try:
            self.db.execute("COMMIT")
        except sqlite3.OperationalError:
            pass
        self.db.close()

    # --- content hashes, with a stat cache so that an unchanged file is not read again ---

    def content_hash(self, path: Path) -> str:
        key = str(path)
        info = path.stat()
        row = self.db.execute("SELECT size, mtime_ns, sha256 FROM stats WHERE path=?", (key,)).fetchone()
        if row and row[0] == info.st_size and row[1] == info.st_mtime_ns:
            return row[2]
        digest = sha256_file(path)
        self.db.execute("INSERT OR REPLACE INTO stats VALUES(?,?,?,?)", (key, info.st_size, info.st_mtime_ns, digest))
        return digest

    # --- results ---

    def has_result(self, sha256: str, ruleset: str) -> bool:
        return self.db.execute("SELECT 1 FROM results WHERE sha256=? AND ruleset=?", (sha256, ruleset)).fetchone() is not None

    def put_result(self, sha256: str, ruleset: str, entry: dict[str, Any]) -> None:
        self.db.execute("INSERT OR REPLACE INTO results VALUES(?,?,?,?,?)",
                        (sha256, ruleset, json.dumps(entry, ensure_ascii=False), json.dumps(digest(entry)), time.time()))

    # --- runs ---

    def start_run(self, ruleset: str) -> int:
        cursor = self.db.execute("INSERT INTO runs(started, ruleset) VALUES(?, ?)", (time.time(), ruleset))
        run = int(cursor.lastrowid)
        old = [r[0] for r in self.db.execute("SELECT id FROM runs ORDER BY id DESC LIMIT -1 OFFSET ?", (KEEP_RUNS,))]
        for run_id in old:
            self.db.execute("DELETE FROM run_files WHERE run=?", (run_id,))
            self.db.execute("DELETE FROM runs WHERE id=?", (run_id,))
        self.commit()
        return run

    def add_file(self, run: int, path: str, sha256: str | None, error: str | None = None, cached: bool = False) -> None:
        self.db.execute("INSERT OR REPLACE INTO run_files VALUES(?,?,?,?,?)", (run, path, sha256, error, int(cached)))

    def finish_run(self, run: int) -> None:
        self.db.execute("UPDATE runs SET finished=? WHERE id=?", (time.time(), run))
        self.commit()

    def _rows(self, run: int, column: str, only_findings: bool = False) -> Iterator[tuple[str, str | None, str | None]]:
        ruleset = self.db.execute("SELECT ruleset FROM runs WHERE id=?", (run,)).fetchone()[0]
        reader = sqlite3.connect(str(self.path), timeout=30)
        try:
            query = (f"SELECT f.path, f.error, r.{column} FROM run_files f LEFT JOIN results r "
                     "ON r.sha256=f.sha256 AND r.ruleset=? WHERE f.run=?")
            if only_findings:
                # The digest starts with the error and ends with the findings (see ``digest``).
                query += """ AND NOT (r.digest IS NOT NULL AND r.digest LIKE '{"e": null,%' AND r.digest LIKE '%"f": []}')"""
            yield from reader.execute(query + " ORDER BY f.path", (ruleset, run))
        finally:
            reader.close()

    def entries(self, run: int, only_findings: bool = False) -> Iterator[dict[str, Any]]:
        """The run's file entries in path order, read one at a time (never all in memory)."""
        from clauselint.scan.analyse import error_entry

        for path, error, result in self._rows(run, "result", only_findings):
            if result is not None:
                entry = json.loads(result)
            else:
                entry = error_entry(error or "fichier non analysé (analyse interrompue)")
            yield {"path": path, **entry}

    def raw_entries(self, run: int) -> Iterator[str]:
        """Each entry as its JSON text with "path" first, without parsing the stored result."""
        from clauselint.scan.analyse import error_entry

        for path, error, result in self._rows(run, "result"):
            if result is None:
                result = json.dumps(error_entry(error or "fichier non analysé (analyse interrompue)"), ensure_ascii=False)
            yield '{"path": ' + json.dumps(path, ensure_ascii=False) + ", " + result[1:]

    def digests(self, run: int) -> Iterator[dict[str, Any]]:
        """The small per-file digest the summary needs (see ``digest``)."""
        for path, error, value in self._rows(run, "digest"):
            if value is None:
                yield {"path": path, "e": error or "fichier non analysé (analyse interrompue)", "firms": [], "f": []}
            else:
                yield {"path": path, **json.loads(value)}


def digest(entry: dict[str, Any]) -> dict[str, Any]:
    """What the summary and the exit code need from an entry, a few dozen bytes instead of kilobytes."""
    return {
        "e": entry.get("error"), "c": entry["authorship"]["consultant"], "m": entry["provenance_mention"]["present"],
        "i": entry["insignia"]["present"], "firms": entry["authorship"]["firms"],
        "f": [[f["code"], f["severity"], f.get("firms", [])] for f in entry["findings"]],
    }


def default_db() -> Path:
    return Path(os.environ.get("CLAUSELINT_SCAN_DB", ".clauselint/scan.db"))

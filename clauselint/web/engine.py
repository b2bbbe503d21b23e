"""The linter (spaCy pipeline and detectors), built once per server process and shared by every request.

spaCy does not promise that one pipeline may run in several threads at once, and the engine keeps
caches; so every call into it (lint, fix, scan) holds one lock. Reading a Word or OpenDocument
file (zip, XML) happens outside the lock; reading a PDF inside it (PDFium is not thread-safe). The counters say how long requests waited for the lock and
how long they held it (GET /api/etat; bench/web.py prints them).
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clauselint.documents.model import Document
    from clauselint.library import Library
    from clauselint.lint.findings import FileReport


@dataclass
class EngineStats:
    calls: int = 0
    waited: float = 0.0  # seconds spent waiting for the lock
    held: float = 0.0  # seconds spent inside the engine
    max_waited: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"appels": self.calls, "attente_s": round(self.waited, 3), "attente_max_s": round(self.max_waited, 3),
                "analyse_s": round(self.held, 3)}


@dataclass
class SharedEngine:
    library_folders: tuple[Path, ...] = ()
    lock: threading.Lock = field(default_factory=threading.Lock)
    stats: EngineStats = field(default_factory=EngineStats)
    ready: threading.Event = field(default_factory=threading.Event)

    @contextmanager
    def exclusive(self):
        """Hold the engine alone; the time waited and held is counted."""
        asked = time.perf_counter()
        with self.lock:
            got = time.perf_counter()
            try:
                yield
            finally:
                done = time.perf_counter()
                self.stats.calls += 1
                self.stats.waited += got - asked
                self.stats.max_waited = max(self.stats.max_waited, got - asked)
                self.stats.held += done - got

    def engine(self) -> tuple["Library", Any]:
        """The library and the Linter (call with the lock held: building them is not thread-safe)."""
        from clauselint.lint.runner import load_engine

        library, linter = load_engine(self.library_folders)
        self.ready.set()
        return library, linter

    def warm_up(self) -> None:
        """Build the engine and run it once on a small text, so the first review pays nothing extra."""
        from clauselint.documents.model import Block, Document, Location
        from clauselint.lint.findings import selected_codes
        from clauselint.lint.runner import LintOptions, lint_document

        with self.exclusive():
            library, linter = self.engine()
            clause = next(iter(library))
            blocks = [Block(text=p, location=Location(paragraph=i + 1)) for i, p in enumerate(clause.text.split("\n\n"))]
            document = Document(path=Path("echauffement.txt"), format="txt", blocks=blocks)
            lint_document(document, "echauffement.txt", linter, library, LintOptions(selected=selected_codes(None, None)))

    def review(self, path: Path, display: str, max_file_bytes: int, category: int | None = None,
               agile: bool | None = None, personal_data: bool | None = None
               ) -> tuple["Document", "FileReport", "Library"]:
        """Read a document (outside the lock) and lint it with the shared engine, as ``clauselint lint`` does."""
        from clauselint.lint.findings import selected_codes
        from clauselint.lint.runner import LintOptions, lint_document, read_document

        options = LintOptions(selected=selected_codes(None, None), category=category, agile=agile,
                              personal_data=personal_data, library_folders=self.library_folders,
                              max_file_bytes=max_file_bytes)
        # PDFium (the PDF reader) must never run in two threads at once, not even on two documents:
        # a PDF is read under the engine's lock, which the scan and the fixer (they read PDFs too) hold.
        pdf = path.suffix.lower() == ".pdf"
        document = None if pdf else read_document(path, max_file_bytes)
        with self.exclusive():
            if document is None:
                document = read_document(path, max_file_bytes)
            library, linter = self.engine()
            report = lint_document(document, display, linter, library, options)
        return document, report, library

    def fix(self, path: Path, output: Path, max_file_bytes: int, category: int | None = None,
            agile: bool | None = None, personal_data: bool | None = None) -> Any:
        """``clauselint fix`` on one contract (it lints again, so it holds the engine)."""
        from clauselint.fix import FixOptions, RenderValues, fix_file
        from clauselint.lint.findings import lint_codes

        options = FixOptions(
            selected=frozenset(c for c in lint_codes() if c[:2] in ("C1", "C2")),
            values=RenderValues(), category=category, agile=agile, personal_data=personal_data,
            library_folders=self.library_folders, max_file_bytes=max_file_bytes,
        )
        with self.exclusive():
            self.engine()
            return fix_file(path, output, options)

    def scan(self, files: list[Path], store_path: Path, max_file_bytes: int) -> tuple[Any, Any, dict[str, Any]]:
        """``clauselint scan`` over the uploaded files, in this process, with a throw-away result store."""
        from clauselint.config import find_config
        from clauselint.scan.analyse import Options
        from clauselint.scan.engine import run_scan
        from clauselint.scan.firms import load_firms
        from clauselint.scan.store import Store
        from clauselint.scan.summary import summarise

        options = Options(firms=load_firms(find_config()), max_file_bytes=max_file_bytes)
        store = Store(store_path)
        with self.exclusive():
            stats = run_scan(files, options, store, jobs=1)
        summary = summarise(lambda: store.digests(stats.run), stats)
        summary["ruleset"] = options.ruleset()
        return store, stats, summary

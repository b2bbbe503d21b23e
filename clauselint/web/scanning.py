"""The « Contrôler des livrables » page: ``clauselint scan`` on the uploaded files, and its own HTML report."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clauselint.web.engine import SharedEngine
    from clauselint.web.uploads import UploadedFile

REPORT_TITLE = "Contrôle des livrables"


@dataclass
class ScanReport:
    html: str  # the report exactly as ``clauselint scan --format html`` writes it
    summary: dict[str, Any]
    files: int
    notes: list[str] = field(default_factory=list)
    script_hashes: list[str] = field(default_factory=list)

    @property
    def href(self) -> str:
        from clauselint.web.review import data_href

        return data_href(self.html, "text/html")


def scan_report(engine: "SharedEngine", files: list["UploadedFile"], folder: Path, max_file_bytes: int) -> ScanReport:
    """Scan the files (server-side names) and write the scan's HTML report with the names users gave them."""
    from clauselint.reports.scan_html import write
    from clauselint.web.app import csp_hashes

    shown = {str(f.path): f.display_name for f in files}
    store, stats, summary = engine.scan([f.path for f in files], folder / "scan.db", max_file_bytes)
    try:
        def entries():
            for entry in store.entries(stats.run, only_findings=True):
                yield {**entry, "path": shown.get(entry["path"], entry["path"])}

        buffer = io.StringIO()
        write(entries, summary, buffer, title=REPORT_TITLE)
    finally:
        store.close()
    html = buffer.getvalue()
    return ScanReport(html=html, summary=summary, files=len(files), notes=list(stats.warnings or []),
                      script_hashes=csp_hashes(html, "script"))

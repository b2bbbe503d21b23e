"""Wall time of a full package through the real CLI (process start included) and of ``clauselint --help``.

    .venv/bin/python bench/assemble.py [--runs 7]

Targets on a 2-core machine: whole package < 1.5 s, --help < 0.3 s (medians).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "clauselint"]
TARGETS = {"help": 0.3, "docx": 1.5}


def timed(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return times


def report(label: str, times: list[float], target: float | None) -> None:
    median = statistics.median(times)
    verdict = "" if target is None else (f"  (cible < {target:.1f} s : {'ok' if median < target else 'DÉPASSÉE'})")
    print(f"{label:<44} médiane {median:5.2f} s   min {min(times):5.2f} s   max {max(times):5.2f} s{verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    spec = ROOT / "examples" / "tender.yaml"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"clauselint assemble : {args.runs} exécutions par mesure, charge moyenne {load:.2f}, {os.cpu_count()} cœurs")
    with tempfile.TemporaryDirectory(prefix="clauselint-bench-") as tmp:
        out = Path(tmp) / "dossier"
        # Warm-up: the first run compiles the templates (kept in the user's cache for the next runs).
        subprocess.run([*CLI, "assemble", str(spec), "-o", str(out), "--force"], check=True,
                       stdout=subprocess.DEVNULL, cwd=ROOT)
        report("clauselint --help", timed([*CLI, "--help"], args.runs), TARGETS["help"])
        report("clauselint assemble (docx, 9 documents)",
               timed([*CLI, "assemble", str(spec), "-o", str(out), "--force"], args.runs), TARGETS["docx"])
        report("clauselint assemble --format md",
               timed([*CLI, "assemble", str(spec), "-o", str(out), "--force", "--format", "md"], args.runs), None)
        if shutil.which("soffice"):
            report("clauselint assemble --pdf (LibreOffice)",
                   timed([*CLI, "assemble", str(spec), "-o", str(out), "--force", "--pdf"], max(1, args.runs // 3)), None)
        else:
            print("clauselint assemble --pdf : LibreOffice absent, non mesuré")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of `clauselint scan`: files/s with -j 1 and -j 2, warm-rescan speed-up, peak memory.

    python bench/scan.py              # 2000 generated deliverables, mixed formats
    python bench/scan.py -n 300       # quicker
    python bench/scan.py --keep DIR   # keep the generated files in DIR

Deliverables are generated with the corpus builder (corpus/deliverables/build_deliverables.py):
.docx with metadata, comments and tracked changes, .pptx with masters and footers, .pdf with
Info/XMP, .odt, .md and .txt; one in three carries a consultant signal. Each scan runs as a
separate `clauselint scan` process writing JSON to a file; its memory is the sum of the resident
sizes of the process and its workers, sampled every 50 ms (psutil).
Targets: warm rescan ≥ 20× faster than the cold scan; peak memory < 1 GB whatever N.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "corpus" / "deliverables"))
sys.path.insert(0, str(ROOT))

FIRMS = ["Wavestone", "Capgemini Invent", "Sopra Steria", "KPMG Advisory", "Accenture", "Inetum", "Deloitte"]
WORDS = ("cadrage pilotage comité lot livrable recommandation architecture données usagers démarche "
         "portail hébergement sécurité accessibilité budget calendrier risque jalon équipe atelier").split()


def _sentences(rng: random.Random, n: int) -> list[str]:
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18))).capitalize() + "." for _ in range(n)]


def generate(folder: Path, n: int, seed: int = 7) -> dict[str, int]:
    import build_deliverables as b

    rng = random.Random(seed)
    counts: dict[str, int] = {}
    kinds = ["docx"] * 4 + ["pptx"] * 2 + ["pdf"] * 2 + ["odt"] * 2 + ["md", "txt"]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        consultant = i % 3 == 0
        firm = rng.choice(FIRMS)
        body = _sentences(rng, rng.randint(6, 30))
        title = f"Livrable {i} — {rng.choice(WORDS)}"
        path = folder / f"{i % 50:02d}" / f"livrable-{i:05d}.{kind}"
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "docx":
            b.docx(path, cover=[title, "Version 1"], body=body, creator="Agent" if not consultant else "C. Martin",
                   last_modified_by="Agent", company=firm if consultant else "Ministère",
                   comments=[(f"C. Martin ({firm})", "À revoir")] if consultant and i % 2 else None,
                   revision=(f"{firm} – C. Martin", "Ajout.") if consultant and i % 4 == 0 else None,
                   header=b.BLOC if i % 5 == 0 else None)
        elif kind == "pptx":
            b.pptx(path, creator="Agent", slides=[(title, body[:3]), ("Suite", body[3:6] or ["—"])],
                   footer=f"{firm} — Comité" if consultant else "Comité de pilotage",
                   master_text=b.BLOC if i % 5 == 0 else None)
        elif kind == "pdf":
            b.pdf(path, pages=[[title] + body[:20], body[20:] or ["Fin."]],
                  info={"/Author": firm if consultant else "Direction"}, xmp_creator=firm if consultant else None)
        elif kind == "odt":
            b.odt(path, paragraphs=[title] + body, initial_creator=f"P. Durand - {firm}" if consultant else "P. Durand",
                  header=[f"{firm} — Compte rendu"] if consultant else ["Compte rendu"])
        else:
            byline = f"Rédigé par : équipe {firm}\n\n" if consultant and i % 2 else ""
            path.write_text(f"{title}\n\n{byline}" + "\n\n".join(body) + "\n", encoding="utf-8")
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def _sample_memory(pid: int, stop: threading.Event, peak: list[int]) -> None:
    import psutil

    try:
        root = psutil.Process(pid)
    except psutil.Error:
        return
    while not stop.is_set():
        try:
            total = root.memory_info().rss + sum(c.memory_info().rss for c in root.children(recursive=True))
            peak[0] = max(peak[0], total)
        except psutil.Error:
            pass
        time.sleep(0.05)


def run(folder: Path, db: Path, jobs: int, out: Path) -> tuple[float, int, str]:
    command = [sys.executable, "-m", "clauselint", "scan", str(folder), "--db", str(db), "-j", str(jobs),
               "-f", "json", "-o", str(out), "--fail-level", "none"]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    stop, peak = threading.Event(), [0]
    sampler = threading.Thread(target=_sample_memory, args=(process.pid, stop, peak), daemon=True)
    sampler.start()
    _stdout, stderr = process.communicate()
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"scan failed ({process.returncode}): {stderr}")
    return seconds, peak[0], stderr.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="number of deliverables (default 2000)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="clauselint-bench-"))
    folder = args.keep or work / "livrables"
    try:
        start = time.perf_counter()
        counts = generate(folder, args.n)
        print(f"generated {args.n} deliverables in {time.perf_counter() - start:.1f} s: "
              + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        figures = {}
        for jobs in (1, 2):
            db = work / f"scan-j{jobs}.db"
            seconds, peak, _ = run(folder, db, jobs, work / f"j{jobs}.json")
            figures[jobs] = (seconds, peak)
            print(f"cold scan -j {jobs}: {seconds:.1f} s, {args.n / seconds:.1f} files/s, peak memory {peak / 2**20:.0f} MB")
        warm, warm_peak, _ = run(folder, work / "scan-j2.db", 2, work / "warm.json")
        print(f"warm rescan -j 2: {warm:.2f} s, {args.n / warm:.0f} files/s, speed-up ×{figures[2][0] / warm:.1f} "
              f"against cold -j 2, ×{figures[1][0] / warm:.1f} against cold -j 1 (target ≥ 20), "
              f"peak memory {warm_peak / 2**20:.0f} MB")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "clauselint", "--version"], check=True, capture_output=True, cwd=ROOT)
        print(f"of which the CLI's start-up (python -m clauselint --version): {time.perf_counter() - start:.2f} s")
        peak = max(p for _, p in figures.values())
        print(f"peak memory of a scan: {peak / 2**20:.0f} MB (target < 1024 MB)")
        import json

        summary = json.loads((work / "j2.json").read_text(encoding="utf-8"))["summary"]
        print(f"findings: D301 {summary['findings']['D301']}, D302 {summary['findings']['D302']}, "
              f"errors {summary['errors']}, consultant files {summary['consultant']}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

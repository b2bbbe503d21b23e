"""Latency of « Vérifier un contrat » on a warm ``clauselint serve``: concurrent reviews of a 50-page contract.

    .venv/bin/python bench/web.py [--clients 4] [--requests 5] [--pages 50] [--workers 1]

Starts the real server (``python -m clauselint serve``) on a free port of 127.0.0.1, waits until
its engine is warm, sends one review to warm the caches, then has ``--clients`` clients send
``--requests`` reviews each at the same time (httpx). The contracts are generated .docx files of
about 440 words a page, made of the corpus's own contract sources (corpus/contracts/src) with
their numbers shifted so that no two requests send the same sentences. Prints the latency
(p50, p95, max), the throughput and how long requests waited for the shared engine.
Target: a review answers in under 3 s once the server is warm.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "corpus" / "contracts" / "src"
WORDS_PER_PAGE = 440
TARGET_SECONDS = 3.0


def _lines() -> list[str]:
    out = []
    for source in sorted(SOURCES.glob("*.md")):
        body = source.read_text(encoding="utf-8").split("---", 2)[2]
        for line in body.splitlines():
            line = line.strip()
            if line and not line.startswith(("\\", "%", ">", "|", "[^")):
                out.append(line)
    return out


def build_contract(target: Path, pages: int, variant: int) -> int:
    """A Word contract of about ``pages`` pages; returns its word count."""
    import docx

    document = docx.Document()
    document.add_heading(f"Cahier des clauses administratives particulières — variante {variant}", 0)
    lines = _lines()
    words, article, round_ = 0, 0, 0
    wanted = pages * WORDS_PER_PAGE
    while words < wanted:
        shift = variant * 1000 + round_ * 7
        for line in lines:
            if shift:
                line = re.sub(r"\d+", lambda m: str(int(m.group()) + shift), line)
            if line.startswith("# "):
                article += 1
                document.add_heading(f"Article {article} – " + line[2:].split("–", 1)[-1].strip(), 1)
            elif line.startswith("## "):
                document.add_heading(line[3:], 2)
            else:
                document.add_paragraph(line.lstrip("-* "))
            words += len(line.split())
            if words >= wanted:
                break
        round_ += 1
    document.save(str(target))
    return words


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def review(base: str, path: Path) -> float:
    with httpx.Client(timeout=300) as client:
        start = time.perf_counter()
        response = client.post(f"{base}/verifier", files={"document": (path.name, path.read_bytes(),
                                                                       "application/octet-stream")})
        elapsed = time.perf_counter() - start
    if response.status_code != 200 or "Vérification de" not in response.text:
        raise SystemExit(f"réponse inattendue {response.status_code} pour {path.name}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=5, help="reviews per client")
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1, help="server processes (clauselint serve --workers)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="clauselint-bench-web-") as tmp:
        folder = Path(tmp)
        contracts = []
        for variant in range(args.clients + 1):
            path = folder / f"contrat-{variant}.docx"
            words = build_contract(path, args.pages, variant)
            contracts.append(path)
        size = contracts[0].stat().st_size
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"clauselint serve --workers {args.workers} : {args.clients} clients × {args.requests} vérifications d'un contrat de "
              f"{args.pages} pages ({words} mots, {size // 1024} Ko), charge moyenne {load:.2f}, {os.cpu_count()} cœurs")
        server = subprocess.Popen(
            [sys.executable, "-m", "clauselint", "serve", "--port", str(port), "--dossier-temporaire",
             str(folder / "serveur"), "--workers", str(args.workers)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        try:
            start = time.perf_counter()
            deadline = start + 180
            while True:
                if server.poll() is not None:
                    raise SystemExit(f"le serveur s'est arrêté : {server.stderr.read().decode()[-2000:]}")
                try:
                    # with several workers, each answers in turn: ask until many answers in a row say ready
                    ready = all(httpx.get(f"{base}/api/etat", timeout=2).json()["moteur_pret"]
                                for _ in range(4 * args.workers))
                    if ready:
                        break
                except httpx.HTTPError:
                    pass
                if time.perf_counter() > deadline:
                    raise SystemExit("le moteur n'est pas prêt après 180 s")
                time.sleep(0.2)
            print(f"démarrage jusqu'au moteur prêt : {time.perf_counter() - start:.1f} s")
            first = review(base, contracts[-1])
            print(f"première vérification (échauffement) : {first:.2f} s")
            alone = [review(base, contracts[i % args.clients]) for i in range(3)]
            print(f"une à la fois : médiane {statistics.median(alone):.2f} s")
            jobs = [contracts[c] for c in range(args.clients) for _ in range(args.requests)]
            begin = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.clients) as pool:
                latencies = list(pool.map(lambda p: review(base, p), jobs))
            wall = time.perf_counter() - begin
            state = httpx.get(f"{base}/api/etat", timeout=5).json()
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
        verdict = "ok" if p50 < TARGET_SECONDS else "DÉPASSÉE"
        print(f"{len(latencies)} vérifications concurrentes en {wall:.1f} s : p50 {p50:.2f} s, p95 {p95:.2f} s, "
              f"max {max(latencies):.2f} s, débit {len(latencies) / wall:.2f} vérifications/s "
              f"(cible p50 < {TARGET_SECONDS:.0f} s : {verdict})")
        engine = state["moteur"]
        which = "" if args.workers == 1 else " (l'un des processus)"
        print(f"moteur partagé{which} : {engine['appels']} appels, {engine['analyse_s']:.1f} s d'analyse sous verrou, "
              f"attente du verrou {engine['attente_s']:.1f} s au total (max {engine['attente_max_s']:.2f} s)")
        leftovers = list((folder / "serveur").rglob("*.docx"))
        print(f"fichiers envoyés restés sur le disque après les réponses : {len(leftovers)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

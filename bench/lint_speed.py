"""Lint speed: a 100-page contract linted cold vs ``spacy.load`` alone; batch throughput with -j 2.

    .venv/bin/python bench/lint_speed.py            # (a) and (b), 3 runs each, medians
    .venv/bin/python bench/lint_speed.py --runs 5 --only cold

(a) Cold: every measure is a fresh process (wall time, as a user waits for it):
    - ``import spacy; spacy.load("fr_core_news_sm")`` — the reference;
    - ``clauselint lint contrat.docx`` (the whole CLI: read, analyse, report);
    - the same with an empty cache directory (first run on a machine: the compiled-regex and
      example caches are built), and with the regex cache disabled.
    The budget: lint cold ≤ spacy.load + 1.5 s.
(b) Batch: ``clauselint lint -j 2`` over many contracts vs reading their text alone
    (``read_document`` on each file, one process), measured side by side. The target: lint
    -j 2 reaches at least 30 % of text extraction's throughput (words per second).

The 100-page contract is a .docx of about 45 000 words (≈ 450 words a page) assembled in a
temporary folder from the real documents of ../shared/corpus-external (read from there, never
copied into the project), so that the text is real contract prose.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CLAUSELINT = str(Path(PYTHON).with_name("clauselint"))
EXTERNAL = ROOT.parent / "shared" / "corpus-external" / "texts"
WORDS_PER_PAGE = 450
PAGES = 100
BATCH_TARGET = 0.30  # lint -j 2 throughput / text extraction throughput


def external_paragraphs() -> list[str]:
    paragraphs: list[str] = []
    for path in sorted(EXTERNAL.glob("*.txt")):
        text = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        paragraphs.extend(" ".join(p.split()) for p in text.split("\n\n") if p.strip())
    return paragraphs


def build_contract(folder: Path, pages: int = PAGES) -> tuple[Path, int]:
    """A .docx of ``pages`` × 450 words with headings, from real French procurement prose."""
    from docx import Document
    from docx.enum.text import WD_BREAK

    source = external_paragraphs()
    if not source:
        raise SystemExit(f"no texts under {EXTERNAL}")
    document = Document()
    target = pages * WORDS_PER_PAGE
    words = page_words = 0
    article = 0
    i = 0
    while words < target:
        paragraph = source[i % len(source)]
        i += 1
        if i % 25 == 1:
            article += 1
            document.add_heading(f"Article {article} – Stipulations", level=1)
        document.add_paragraph(paragraph)
        n = len(paragraph.split())
        words += n
        page_words += n
        if page_words >= WORDS_PER_PAGE:
            document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
            page_words = 0
    path = folder / "contrat-100-pages.docx"
    document.save(path)
    return path, words


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    seconds = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return seconds


def median_of(runs: int, cmd: list[str], env: dict[str, str] | None = None, before=None) -> float:
    values = []
    for _ in range(runs):
        if before:
            before()
        values.append(timed(cmd, env))
    return statistics.median(values)


def bench_cold(runs: int, folder: Path) -> None:
    contract, words = build_contract(folder)
    print(f"(a) cold: {contract.name}, {words} words (≈ {PAGES} pages), median of {runs} fresh processes")
    base_env = dict(os.environ)
    warm_cache = folder / "cache"
    env = {**base_env, "CLAUSELINT_CACHE_DIR": str(warm_cache)}
    timed([CLAUSELINT, "lint", str(contract), "-f", "json", "-o", str(folder / "warmup.json")], env)  # fills the caches
    spacy_load = median_of(runs, [PYTHON, "-c", "import spacy; spacy.load('fr_core_news_sm')"], base_env)
    lint = median_of(runs, [CLAUSELINT, "lint", str(contract), "-f", "json", "-o", str(folder / "out.json")], env)
    engine = median_of(
        runs,
        [PYTHON, "-c",
         "import sys; from clauselint.documents import read_document; from clauselint.library import load_library; "
         "from clauselint.lint.engine import Linter; Linter(load_library()).analyse(read_document(sys.argv[1]))",
         str(contract)],
        env,
    )
    no_regex_cache = median_of(runs, [CLAUSELINT, "lint", str(contract), "-f", "json", "-o", str(folder / "out2.json")],
                               {**env, "CLAUSELINT_REGEX_CACHE": "0"})
    counter = iter(range(1000))

    def empty_cache_dir() -> None:
        env_first["CLAUSELINT_CACHE_DIR"] = str(folder / f"empty-{next(counter)}")

    env_first = dict(env)
    first_run = median_of(runs, [CLAUSELINT, "lint", str(contract), "-f", "json", "-o", str(folder / "out3.json")], env_first, before=empty_cache_dir)
    load_model = median_of(runs, [PYTHON, "-c", "from clauselint.nlp.pipeline import get_nlp; get_nlp()"], env)
    print(f"  spacy.load('fr_core_news_sm') alone           {spacy_load:6.2f} s   (reference)")
    print(f"  clauselint get_nlp() alone (regex cache)      {load_model:6.2f} s")
    print(f"  clauselint lint (CLI, caches warm)            {lint:6.2f} s   {lint - spacy_load:+.2f} s vs reference (budget +1.50 s)")
    print(f"  engine only: read + Linter + analyse          {engine:6.2f} s   {engine - spacy_load:+.2f} s")
    print(f"  clauselint lint, regex cache disabled         {no_regex_cache:6.2f} s   {no_regex_cache - spacy_load:+.2f} s")
    print(f"  clauselint lint, first run (empty cache dir)  {first_run:6.2f} s   {first_run - spacy_load:+.2f} s")
    verdict = "OK" if lint - spacy_load <= 1.5 else "OVER BUDGET"
    print(f"  budget: {verdict}")


def bench_batch(runs: int, folder: Path) -> None:
    contracts = sorted((ROOT / "corpus" / "contracts").glob("*.docx")) + sorted((ROOT / "corpus" / "contracts").glob("*.odt")) + sorted((ROOT / "corpus" / "contracts").glob("*.pdf"))
    externals = sorted(EXTERNAL.glob("*.txt"))
    files = [str(p) for p in contracts + externals]
    if not files:
        print("(b) batch: no files")
        return
    words_cmd = (
        "import sys; from clauselint.documents import read_document; "
        "print(sum(read_document(p).word_count() for p in sys.argv[1:]))"
    )
    words = int(subprocess.run([PYTHON, "-c", words_cmd, *files], capture_output=True, text=True, cwd=ROOT).stdout.strip() or 0)
    env = {**os.environ, "CLAUSELINT_CACHE_DIR": str(folder / "cache")}
    read_only = median_of(runs, [PYTHON, "-c", words_cmd, *files], env)
    j1 = median_of(runs, [CLAUSELINT, "lint", "-j", "1", "-f", "json", "-o", str(folder / "b1.json"), *files], env)
    j2 = median_of(runs, [CLAUSELINT, "lint", "-j", "2", "-f", "json", "-o", str(folder / "b2.json"), *files], env)
    print(f"(b) batch: {len(files)} files, {words} words, median of {runs} runs (fresh processes)")
    print(f"  text extraction alone (read_document)   {read_only:6.2f} s   {words / read_only:8.0f} words/s")
    print(f"  clauselint lint -j 1                    {j1:6.2f} s   {words / j1:8.0f} words/s   {len(files) / j1:5.1f} files/s")
    print(f"  clauselint lint -j 2                    {j2:6.2f} s   {words / j2:8.0f} words/s   {len(files) / j2:5.1f} files/s")
    ratio = read_only / j2
    verdict = "OK" if ratio >= BATCH_TARGET else "BELOW TARGET"
    print(f"  lint -j 2 / extraction throughput       {ratio:6.1%}   (target {BATCH_TARGET:.0%}: {verdict}; -j 1: {read_only / j1:.1%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=("cold", "batch"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="clauselint-speed-") as tmp:
        folder = Path(tmp)
        if args.only in (None, "cold"):
            bench_cold(args.runs, folder)
        if args.only in (None, "batch"):
            bench_batch(args.runs, folder)


if __name__ == "__main__":
    main()

"""Lint speed: a 100-page contract linted cold vs ``spacy.load`` alone; batch throughput with -j 2.

    .venv/bin/python bench/lint_speed.py            # (a) and (b), 3 runs each, medians
    .venv/bin/python bench/lint_speed.py --runs 5 --only cold
    .venv/bin/python bench/lint_speed.py --only batch --files 400    # a larger built batch
    .venv/bin/python bench/lint_speed.py --only batch --files 400   # a larger built batch

(a) Cold: every measure is a fresh process (wall time, as a user waits for it):
    - ``import spacy; spacy.load("fr_core_news_sm")`` — the reference;
    - ``clauselint lint contrat.docx`` (the whole CLI: read, analyse, report);
    - the same with an empty cache directory (first run on a machine: the compiled-regex and
      example caches are built), and with the regex cache disabled.
    The budget: lint cold ≤ spacy.load + 1.5 s.
(b) Batch: ``clauselint lint -j 2`` over many contracts vs reading their text alone
    (``read_document`` on each file, one process), measured side by side. The target: lint
    -j 2 reaches at least 30 % of text extraction's throughput (words per second). Two
    batches, each with its own ratio: the 40 real files (14 corpus contracts, 26 external
    texts: a ≈ 2 s model start per worker weighs a lot there), and ``--files`` (200) distinct
    contracts built from the external corpus' paragraphs, each its own selection and order.
    CPU seconds (user + system, workers included) are printed next to wall times: the machine
    is shared, and wall times vary with the other jobs.

The 100-page contract is a .docx of about 45 000 words (≈ 450 words a page) assembled in a
temporary folder from the real documents of ../shared/corpus-external (read from there, never
copied into the project), so that the text is real contract prose.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CLAUSELINT = str(Path(PYTHON).with_name("clauselint"))


def _external_root() -> Path:
    """../shared/corpus-external, also from a git worktree one level deeper (or $CLAUSELINT_EXTERNAL_CORPUS)."""
    if os.environ.get("CLAUSELINT_EXTERNAL_CORPUS"):
        return Path(os.environ["CLAUSELINT_EXTERNAL_CORPUS"])
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "corpus-external").is_dir():
            return base / "shared" / "corpus-external"
    return ROOT.parent / "shared" / "corpus-external"


EXTERNAL_ROOT = _external_root()
EXTERNAL = EXTERNAL_ROOT / "texts"
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


CPU: dict[tuple[str, ...], list[float]] = {}  # CPU seconds (user + system) of each measured command, its workers included


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.setdefault(tuple(cmd), []).append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
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


def build_batch(folder: Path, count: int, seed: int = 6391) -> list[Path]:
    """``count`` distinct contracts (.docx, one in three .txt) of 1 500–9 000 words each.

    Each is the external corpus' paragraphs in its own random order and its own selection, with
    article headings: real procurement prose, not one text repeated. Paragraphs do recur from
    file to file (the corpus has ≈ 114 000 words), as boilerplate recurs between real contracts.
    """
    import random

    from docx import Document

    source = external_paragraphs()
    if not source:
        raise SystemExit(f"no texts under {EXTERNAL}")
    batch = folder / "batch"
    batch.mkdir(exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for n in range(count):
        target = rng.randint(1500, 9000)
        order = rng.sample(range(len(source)), len(source))
        paragraphs, words = [], 0
        for k in order:
            paragraphs.append(source[k])
            words += len(source[k].split())
            if words >= target:
                break
        if n % 3 == 2:
            path = batch / f"contrat-{n:03d}.txt"
            lines = []
            for i, p in enumerate(paragraphs):
                if i % 20 == 0:
                    lines.append(f"ARTICLE {i // 20 + 1} – STIPULATIONS")
                lines.append(p)
            path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        else:
            document = Document()
            for i, p in enumerate(paragraphs):
                if i % 20 == 0:
                    document.add_heading(f"Article {i // 20 + 1} – Stipulations", level=1)
                document.add_paragraph(p)
            path = batch / f"contrat-{n:03d}.docx"
            document.save(path)
        paths.append(path)
    return paths


def _batch_figures(label: str, files: list[str], runs: int, folder: Path, env: dict[str, str]) -> None:
    words_cmd = (
        "import sys; from clauselint.documents import read_document; "
        "print(sum(read_document(p).word_count() for p in sys.argv[1:]))"
    )
    words = int(subprocess.run([PYTHON, "-c", words_cmd, *files], capture_output=True, text=True, cwd=ROOT).stdout.strip() or 0)
    read_only = median_of(runs, [PYTHON, "-c", words_cmd, *files], env)
    j1 = median_of(runs, [CLAUSELINT, "lint", "-j", "1", "-f", "json", "-o", str(folder / "b1.json"), *files], env)
    j2 = median_of(runs, [CLAUSELINT, "lint", "-j", "2", "-f", "json", "-o", str(folder / "b2.json"), *files], env)
    def cpu(cmd_start: str) -> float:
        return statistics.median(next(v for k, v in CPU.items() if k[: len(cmd_start.split())] == tuple(cmd_start.split()) and k[-1] == files[-1]))

    cpu_read, cpu1, cpu2 = cpu(PYTHON + " -c"), cpu(CLAUSELINT + " lint -j 1"), cpu(CLAUSELINT + " lint -j 2")
    print(f"(b) batch, {label}: {len(files)} files, {words} words, median of {runs} runs (fresh processes; wall, then CPU user+sys)")
    print(f"  text extraction alone (read_document)   {read_only:6.2f} s   {words / read_only:8.0f} words/s   cpu {cpu_read:6.2f} s")
    print(f"  clauselint lint -j 1                    {j1:6.2f} s   {words / j1:8.0f} words/s   cpu {cpu1:6.2f} s   {len(files) / j1:5.1f} files/s")
    print(f"  clauselint lint -j 2                    {j2:6.2f} s   {words / j2:8.0f} words/s   cpu {cpu2:6.2f} s   {len(files) / j2:5.1f} files/s")
    ratio = read_only / j2
    verdict = "OK" if ratio >= BATCH_TARGET else "BELOW TARGET"
    print(f"  lint -j 2 / extraction throughput       {ratio:6.1%}   (target {BATCH_TARGET:.0%}: {verdict}; -j 1: {read_only / j1:.1%})")


def bench_batch(runs: int, folder: Path, count: int) -> None:
    """(b) on the 40 real files, then on ``count`` distinct contracts built from the external corpus."""
    contracts = sorted((ROOT / "corpus" / "contracts").glob("*.docx")) + sorted((ROOT / "corpus" / "contracts").glob("*.odt")) + sorted((ROOT / "corpus" / "contracts").glob("*.pdf"))
    externals = sorted(EXTERNAL.glob("*.txt"))
    files = [str(p) for p in contracts + externals]
    if not files:
        print("(b) batch: no files")
        return
    env = {**os.environ, "CLAUSELINT_CACHE_DIR": str(folder / "cache")}
    # fill the caches (compiled regexes, analysed examples, detectors) as a first run would
    timed([CLAUSELINT, "lint", "-f", "json", "-o", str(folder / "warmup.json"), files[0]], env)
    _batch_figures("corpus contracts + external texts", files, runs, folder, env)
    if count:
        built = [str(p) for p in build_batch(folder, count)]
        _batch_figures(f"{count} contracts built from the external corpus", built, runs, folder, env)


def bench_stages(folder: Path, count: int) -> None:
    """Where one process's CPU goes, per stage, on the 40 real files and on the built batch (chunks of 4 as the runner does)."""
    import functools

    sys.path.insert(0, str(ROOT))
    from clauselint.documents import read_document
    from clauselint.lint import detector, engine
    from clauselint.lint.runner import CHUNK_FILES, load_engine
    from clauselint.lint import units
    from clauselint.nlp import analysis, polarity

    start = time.process_time()
    _, linter = load_engine(())
    print(f"(c) stages, one process, CPU seconds: engine start (imports, model, library, detectors) {time.process_time() - start:.2f} s")
    spent: dict[str, float] = {}

    def wrap(owner, name: str, label: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed_call(*args, **kwargs):
            t = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.process_time() - t

        setattr(owner, name, timed_call)

    wrap(engine, "document_units", "sentences and stems (units)")
    wrap(detector.FamilyDetector, "candidates", "candidate windows")
    wrap(analysis, "analyse", "spaCy (nlp.pipe + token records)")
    wrap(engine.Linter, "_judge", "judgement (polarity, similarity)")
    wrap(engine, "infer_context", "context (category, agile, data)")
    real = sorted((ROOT / "corpus" / "contracts").glob("*.docx")) + sorted((ROOT / "corpus" / "contracts").glob("*.odt")) + sorted((ROOT / "corpus" / "contracts").glob("*.pdf")) + sorted(EXTERNAL.glob("*.txt"))
    batches = [("40 real files", real)]
    if count:
        built = sorted((folder / "batch").glob("contrat-*")) or build_batch(folder, count)
        batches.append((f"{len(built)} built contracts", built))
    for label, paths in batches:
        spent.clear()
        linter._sentences.clear()  # each batch from cold caches (sentences, judgements, stems, polarities)
        linter._judged.clear()
        units._LEX.clear()
        units._BLOCKS.clear()
        polarity._POLARITY_CACHE.clear()
        t = time.process_time()
        documents = [read_document(p) for p in paths]
        reading = time.process_time() - t
        words = sum(d.word_count() for d in documents)
        t = time.process_time()
        for i in range(0, len(documents), CHUNK_FILES):
            linter.analyse_many(documents[i : i + CHUNK_FILES])
        total = time.process_time() - t
        print(f"  {label}: {words} words; reading {reading:.2f} s ({reading / words * 1e6:.1f} µs/word); analysis {total:.2f} s ({total / words * 1e6:.1f} µs/word)")
        for name, seconds in spent.items():
            print(f"    {name:36s} {seconds:6.2f} s  {seconds / words * 1e6:5.1f} µs/word  {seconds / total:4.0%}")
        rest = total - sum(spent.values())
        print(f"    {'other (status, evidence)':36s} {rest:6.2f} s  {rest / words * 1e6:5.1f} µs/word  {rest / total:4.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=("cold", "batch", "stages"))
    parser.add_argument("--files", type=int, default=200, help="contracts in the large batch (0: only the 40 real files)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="clauselint-speed-") as tmp:
        folder = Path(tmp)
        if args.only in (None, "cold"):
            bench_cold(args.runs, folder)
        if args.only in (None, "batch"):
            bench_batch(args.runs, folder, args.files)
        if args.only in (None, "stages"):
            bench_stages(folder, args.files)


if __name__ == "__main__":
    main()

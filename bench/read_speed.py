"""Reader speed: files/s and words/s per format on the external corpus and a generated 100-page .docx.

Usage: .venv/bin/python bench/read_speed.py [--repeat N] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clauselint.documents import read_document  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus-external" / "files"

# Our own words, shuffled into sentences: enough to make a long contract-shaped document.
_WORDS = ("le titulaire prestation marché délai rapport données administration confidentialité pénalité "
          "livrable réunion pilotage comité qualité sécurité propriété résultats exécution réception "
          "facturation avance révision prix durée reconduction résiliation sous-traitance assurance").split()


def generated_docx(folder: Path, pages: int = 100) -> Path:
    """A contract of about ``pages`` pages: articles, sub-articles, paragraphs and a table per article."""
    import docx

    rng = random.Random(7)
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Ministère de l’Exemple – CCAP de démonstration"
    section.footer.paragraphs[0].text = "Document généré pour la mesure de vitesse"
    paragraphs_per_page = 5
    for number in range(1, pages // 2 + 1):
        document.add_heading(f"Article {number} – Stipulations {number}", level=1)
        for sub in range(1, 3):
            document.add_heading(f"{number}.{sub} Modalités", level=2)
            for _ in range(paragraphs_per_page - 1):
                words = [rng.choice(_WORDS) for _ in range(rng.randint(45, 70))]
                document.add_paragraph(" ".join(words).capitalize() + ".")
        table = document.add_table(rows=3, cols=3)
        for row in table.rows:
            for cell in row.cells:
                cell.text = " ".join(rng.choice(_WORDS) for _ in range(4))
    path = folder / "generated-100-pages.docx"
    document.save(path)
    return path


def measure(paths: list[Path], repeat: int) -> dict[str, list[float]]:
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])  # files, words, seconds
    for path in paths:
        for _ in range(repeat):
            started = time.perf_counter()
            doc = read_document(path)
            elapsed = time.perf_counter() - started
            row = totals[doc.format]
            row[0] += 1
            row[1] += doc.word_count()
            row[2] += elapsed
    return totals


def python_docx_seconds(path: Path, repeat: int) -> float:
    """The same text read with python-docx (body, tables, headers), for comparison."""
    import docx

    started = time.perf_counter()
    for _ in range(repeat):
        document = docx.Document(str(path))
        texts = [p.text for p in document.paragraphs]
        for table in document.tables:
            texts.extend(cell.text for row in table.rows for cell in row.cells)
        for section in document.sections:
            texts.extend(p.text for p in section.header.paragraphs)
    return (time.perf_counter() - started) / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="reads per file")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    corpus = sorted(p for p in args.corpus.glob("*") if p.is_file()) if args.corpus.is_dir() else []
    read_document  # warm the import of each reader once, outside the timings
    for path in corpus:
        read_document(path)
    print(f"Corpus: {len(corpus)} files in {args.corpus} ({args.repeat} reads each)")
    print(f"{'format':<8}{'files':>7}{'words':>10}{'seconds':>10}{'files/s':>10}{'words/s':>12}")
    for fmt, (files, words, seconds) in sorted(measure(corpus, args.repeat).items()):
        print(f"{fmt:<8}{files:>7}{words:>10}{seconds:>10.2f}{files / seconds:>10.1f}{words / seconds:>12,.0f}")
    with tempfile.TemporaryDirectory() as folder:
        big = generated_docx(Path(folder))
        doc = read_document(big)
        totals = measure([big], args.repeat)["docx"]
        seconds = totals[2] / args.repeat
        print(f"\nGenerated .docx: {doc.word_count():,} words, {len(doc.blocks)} blocks, "
              f"{sum(1 for b in doc.blocks if b.kind == 'heading')} headings")
        print(f"  clauselint reader: {seconds * 1000:.0f} ms/file, {doc.word_count() / seconds:,.0f} words/s")
        reference = python_docx_seconds(big, args.repeat)
        print(f"  python-docx (same text): {reference * 1000:.0f} ms/file ({reference / seconds:.1f}× slower)")


if __name__ == "__main__":
    main()

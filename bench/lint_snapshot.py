"""Snapshot of every family's verdict on the three corpora, to prove a change left results alone.

    .venv/bin/python bench/lint_snapshot.py -o /tmp/before.json        # dump
    .venv/bin/python bench/lint_snapshot.py --compare /tmp/before.json # dump now and diff

For every document of (1) corpus/passages (each passage alone, analysed in one
``analyse_many`` as bench/quality.py does), (2) corpus/contracts (one ``analyse`` each) and
(3) ../shared/corpus-external (one ``analyse_many``; from a git worktree under
/work/wt/, /work/shared; or ``$CLAUSELINT_EXTERNAL_CORPUS``), and for every family: status,
confidence, evidence text and location, and the candidates the status lists (text, location,
score). A performance change must leave the file identical. Nothing of the external corpus is
written in the project: the snapshot goes where ``-o`` says (a temporary folder).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from quality import CONTRACTS, load_passages, passage_document  # noqa: E402
from lint_speed import EXTERNAL_ROOT as EXTERNAL  # noqa: E402


def _location(loc) -> list | None:
    if loc is None:
        return None
    return [loc.page, loc.paragraph, loc.section, loc.line]


def _evidence(e) -> list | None:
    if e is None:
        return None
    return [e.text, _location(e.location), e.score]


def _families(analysis) -> dict:
    return {
        s.family: {
            "status": s.status,
            "confidence": s.confidence,
            "required": s.required,
            "evidence": _evidence(s.evidence),
            "candidates": [_evidence(c) for c in s.candidates],
        }
        for s in analysis.families
    }


def snapshot(linter) -> dict:
    from clauselint.documents import read_document

    out: dict[str, dict] = {}
    items = load_passages()
    docs = [passage_document(text, pid) for _, pid, _, text in items]
    out["passages"] = {f"{fam}/{pid}": _families(a) for (fam, pid, _, _), a in zip(items, linter.analyse_many(docs))}
    contracts = {}
    for path in sorted(CONTRACTS.glob("*")):
        if path.suffix.lower() in (".docx", ".odt", ".pdf"):
            a = linter.analyse(read_document(path))
            contracts[path.name] = {"context": [a.context.category, a.context.agile, a.context.personal_data], **_families(a)}
    out["contracts"] = contracts
    texts = sorted((EXTERNAL / "texts").glob("*.txt"))
    analyses = linter.analyse_many([read_document(p) for p in texts])
    out["external"] = {p.name: _families(a) for p, a in zip(texts, analyses)}
    return out


def diff(old: dict, new: dict, limit: int = 40) -> list[str]:
    lines = []
    for corpus in sorted(set(old) | set(new)):
        a, b = old.get(corpus, {}), new.get(corpus, {})
        for doc in sorted(set(a) | set(b)):
            if a.get(doc) == b.get(doc):
                continue
            for fam in sorted(set(a.get(doc, {})) | set(b.get(doc, {}))):
                x, y = a.get(doc, {}).get(fam), b.get(doc, {}).get(fam)
                if x != y:
                    lines.append(f"{corpus}/{doc}/{fam}:\n    before {json.dumps(x, ensure_ascii=False)[:400]}\n    after  {json.dumps(y, ensure_ascii=False)[:400]}")
    return lines[:limit] + ([f"... {len(lines) - limit} more"] if len(lines) > limit else [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, help="write the snapshot here")
    parser.add_argument("--compare", type=Path, help="diff against this earlier snapshot (exit 1 on a difference)")
    args = parser.parse_args()
    from clauselint.library import load_library
    from clauselint.lint.engine import Linter

    start = time.perf_counter()
    linter = Linter(load_library())
    built = time.perf_counter()
    data = snapshot(linter)
    done = time.perf_counter()
    n = sum(len(v) for v in data.values())
    print(f"{n} documents: engine {built - start:.1f} s, analyses {done - built:.1f} s", file=sys.stderr)
    if args.output:
        args.output.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    if args.compare:
        old = json.loads(args.compare.read_text(encoding="utf-8"))
        lines = diff(old, json.loads(json.dumps(data)))
        if lines:
            print("\n".join(lines))
            print("DIFFERENT")
            raise SystemExit(1)
        print("identical")


if __name__ == "__main__":
    main()

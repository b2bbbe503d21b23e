"""Detection quality of the lint engine: precision, recall, F1 per family; contradiction accuracy.

    .venv/bin/python bench/quality.py                 # our corpus + the external corpus
    .venv/bin/python bench/quality.py --misses        # also list every miss
    .venv/bin/python bench/quality.py --only passages|contracts|external

(1) corpus/passages/*.yaml: each passage alone is a document; positive → present, negative →
missing, contradicted → contradicted. (2) corpus/contracts/expected.yaml, when it exists.
(3) ../shared/corpus-external: real documents with labels A–H (read from there, never copied);
parts of one doc_group are scored by OR; « unsure » is skipped; any « contradicted » there is
counted as a false contradiction.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clauselint.documents.model import Block, Document, Location  # noqa: E402
from clauselint.library.families import FAMILY_IDS  # noqa: E402

PASSAGES = ROOT / "corpus" / "passages"
CONTRACTS = ROOT / "corpus" / "contracts"
# ../shared/corpus-external beside the checkout; CLAUSELINT_EXTERNAL_CORPUS names another place
# (a git worktree, a CI layout).
EXTERNAL = Path(os.environ.get("CLAUSELINT_EXTERNAL_CORPUS") or ROOT.parent / "shared" / "corpus-external")
EXTERNAL_FAMILIES = {
    "A": ("insignia",),
    "B": ("consultant-mention",),
    "C": ("conflict-of-interest",),
    "D": ("agile",),
    "E": ("evaluation",),
    "F": ("cybersecurity", "data-destruction"),
    "G": ("confidentiality",),
    "H": ("intellectual-property",),
}


def passage_document(text: str, name: str) -> Document:
    """A passage as a document: table rows (« a | b ») become cells of one section."""
    section = "Article 1 – Passage"
    if " | " in text:
        cells = [c.strip() for c in text.split(" | ") if c.strip()]
        blocks = [Block(c, kind="table-cell", location=Location(paragraph=i + 1, section=section, line=1)) for i, c in enumerate(cells)]
    else:
        blocks = [Block(text, location=Location(paragraph=1, section=section, line=1))]
    return Document(path=Path(name), format="txt", blocks=blocks)


def load_passages() -> list[tuple[str, str, str, str]]:
    """(family, id, expected status, text) for every passage."""
    out = []
    expected = {"positive": "present", "negative": "missing", "contradicted": "contradicted"}
    for path in sorted(PASSAGES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        family = data["family"]
        for kind, status in expected.items():
            for item in data.get(kind, []) or []:
                out.append((family, item["id"], status, item["text"]))
    return out


class Score:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = self.tn = 0
        self.contra_total = self.contra_hit = self.false_contra = 0
        self.misses: list[str] = []

    def add(self, expected: str, got: str, label: str) -> None:
        exp_present, got_present = expected == "present", got == "present"
        if exp_present and got_present:
            self.tp += 1
        elif got_present:
            self.fp += 1
        elif exp_present:
            self.fn += 1
        else:
            self.tn += 1
        if expected == "contradicted":
            self.contra_total += 1
            self.contra_hit += got == "contradicted"
        elif got == "contradicted":
            self.false_contra += 1
        if expected != got:
            self.misses.append(f"    expected {expected:12s} got {got:12s} {label}")

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def print_table(title: str, scores: dict[str, Score], misses: bool, extra: dict[str, str] | None = None) -> None:
    print(f"\n{title}")
    print(f"  {'family':24s} {'P':>5s} {'R':>5s} {'F1':>5s}  {'tp':>3s} {'fp':>3s} {'fn':>3s} {'tn':>3s}  {'contra':>7s} {'false-c':>7s}")
    total = Score()
    for family, s in scores.items():
        contra = f"{s.contra_hit}/{s.contra_total}" if s.contra_total else "-"
        more = f"  {extra[family]}" if extra and family in extra else ""
        print(f"  {family:24s} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f}  {s.tp:3d} {s.fp:3d} {s.fn:3d} {s.tn:3d}  {contra:>7s} {s.false_contra:7d}{more}")
        for name in ("tp", "fp", "fn", "tn", "contra_total", "contra_hit", "false_contra"):
            setattr(total, name, getattr(total, name) + getattr(s, name))
    contra = f"{total.contra_hit}/{total.contra_total}" if total.contra_total else "-"
    print(f"  {'ALL (micro)':24s} {total.precision:5.2f} {total.recall:5.2f} {total.f1:5.2f}  {total.tp:3d} {total.fp:3d} {total.fn:3d} {total.tn:3d}  {contra:>7s} {total.false_contra:7d}")
    if misses:
        for family, s in scores.items():
            if s.misses:
                print(f"  {family}:")
                print("\n".join(s.misses))


def bench_passages(linter, misses: bool) -> None:
    items = load_passages()
    docs = [passage_document(text, pid) for _, pid, _, text in items]
    start = time.perf_counter()
    analyses = linter.analyse_many(docs)
    seconds = time.perf_counter() - start
    scores = {f: Score() for f in FAMILY_IDS}
    cross_fp: dict[str, list[str]] = defaultdict(list)
    for (family, pid, expected, text), analysis in zip(items, analyses):
        for status in analysis.families:
            if status.family == family:
                scores[family].add(expected, status.status, f"{pid}: {text[:110]}")
            elif status.status != "missing" and expected != "contradicted":
                cross_fp[status.family].append(f"{pid}→{status.status}")
    extra = {f: f"x-fam: {len(v)}" for f, v in cross_fp.items()}
    print_table(f"(1) corpus/passages — {len(items)} passages, {seconds:.1f} s", scores, misses, extra)
    print_calibration(items, analyses)
    if misses and cross_fp:
        print("  other families' passages found present/contradicted:")
        for f, v in cross_fp.items():
            print(f"    {f}: {', '.join(v)}")


def print_calibration(items, analyses) -> None:
    """Accuracy of the passage's own family status by confidence bucket (is 0.8 right 80 % of the time?)."""
    buckets: dict[tuple[str, int], list[bool]] = defaultdict(list)
    for (family, _pid, expected, _text), analysis in zip(items, analyses):
        status = analysis.status(family)
        bucket = min(4, int((status.confidence - 0.5) * 10)) if status.confidence >= 0.5 else 0
        buckets[(status.status, bucket)].append(status.status == expected)
    print("  calibration (passages, own family): status, confidence bucket → share right (n)")
    for state in ("present", "missing", "contradicted"):
        cells = []
        for b in range(5):
            hits = buckets.get((state, b), [])
            low = 0.5 + b / 10
            cells.append(f"{low:.1f}+ {sum(hits) / len(hits):4.0%} ({len(hits)})" if hits else f"{low:.1f}+    - (0)")
        print(f"    {state:12s} " + "  ".join(cells))


def bench_contracts(linter, misses: bool) -> None:
    expected_file = CONTRACTS / "expected.yaml"
    if not expected_file.exists():
        print("\n(2) corpus/contracts — no expected.yaml yet, skipped")
        return
    from clauselint.documents import read_document

    data = yaml.safe_load(expected_file.read_text(encoding="utf-8"))
    scores = {f: Score() for f in FAMILY_IDS}
    context_misses = []
    n = 0
    for entry in data["contracts"]:
        path = CONTRACTS / entry["file"]
        if not path.exists():
            continue
        n += 1
        analysis = linter.analyse(read_document(path))
        statuses = {s.family: s for s in analysis.families}
        for family, expected in entry["statuses"].items():
            got = statuses[family]
            where = f" « {got.evidence.text[:90]} »" if got.evidence and got.status != expected else ""
            scores[family].add(expected, got.status, f"{path.name}{where}")
        ctx = analysis.context
        checks = ["agile", "personal_data"] + (["category"] if entry.get("nomenclature") else [])
        for key in checks:
            if key in entry and entry[key] != getattr(ctx, key):
                context_misses.append(f"    {path.name}: {key} expected {entry[key]} got {getattr(ctx, key)} ({ctx.sources.get(key)})")
    print_table(f"(2) corpus/contracts — {n} contracts", scores, misses)
    if context_misses:
        print("  context inference misses:")
        print("\n".join(context_misses))


def bench_external(linter, misses: bool) -> None:
    from clauselint.documents import read_document

    labels = yaml.safe_load((EXTERNAL / "labels.yaml").read_text(encoding="utf-8"))["files"]
    groups: dict[str, list[str]] = defaultdict(list)
    for name, entry in labels.items():
        groups[entry.get("doc_group") or name].append(name)
    predicted: dict[str, dict[str, str]] = {}
    start = time.perf_counter()
    docs = [read_document(EXTERNAL / "texts" / name) for name in labels]
    words = sum(d.word_count() for d in docs)
    analyses = linter.analyse_many(docs)
    seconds = time.perf_counter() - start
    for name, analysis in zip(labels, analyses):
        predicted[name] = {s.family: s.status for s in analysis.families}
    scores = {f"{letter} {'/'.join(fams)}": Score() for letter, fams in EXTERNAL_FAMILIES.items()}
    for group, names in groups.items():
        for letter, fams in EXTERNAL_FAMILIES.items():
            values = [labels[n]["labels"][letter]["present"] for n in names]
            if True in values:
                expected = "present"
            elif "unsure" in values:
                continue
            else:
                expected = "missing"
            statuses = [predicted[n][f] for n in names for f in fams]
            got = "present" if "present" in statuses else ("contradicted" if "contradicted" in statuses else "missing")
            scores[f"{letter} {'/'.join(fams)}"].add(expected, got, f"{group} ({', '.join(n[:2] for n in names)})")
    # A contradiction in one file of a group is hidden by another file's presence above: count
    # every file's contradictions, in every family (labelled or not).
    per_file = Score()
    for name, analysis in zip(labels, analyses):
        for status in analysis.families:
            if status.status == "contradicted":
                per_file.false_contra += 1
                text = " ".join(status.evidence.text.split())[:110] if status.evidence else ""
                per_file.misses.append(f"    {name}: {status.family} contradicted « {text} »")
    print_table(f"(3) corpus-external — {len(groups)} documents ({len(labels)} files, {words} words), {seconds:.1f} s", scores, misses)
    print(f"  contradictions in any file and family (all false: the corpus labels none): {per_file.false_contra}")
    for line in per_file.misses:
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("--only", choices=("passages", "contracts", "external"))
    args = parser.parse_args()
    from clauselint.library import load_library
    from clauselint.lint.engine import Linter

    start = time.perf_counter()
    linter = Linter(load_library())
    print(f"engine built in {time.perf_counter() - start:.1f} s ({len(linter.library)} clauses)")
    if args.only in (None, "passages"):
        bench_passages(linter, args.misses)
    if args.only in (None, "contracts"):
        bench_contracts(linter, args.misses)
    if args.only in (None, "external"):
        if EXTERNAL.exists():
            bench_external(linter, args.misses)
        else:
            print(f"\n(3) corpus-external — not found at {EXTERNAL}: skipped (set CLAUSELINT_EXTERNAL_CORPUS)")


if __name__ == "__main__":
    main()

"""The runner lints files in chunks with one batched analysis, and a failure stays with its file."""

from __future__ import annotations

from pathlib import Path

from clauselint.lint import runner
from lint_support import ScriptedLinter, read_text_document


class BatchingLinter(ScriptedLinter):
    """The stand-in engine with a batched entry point that, like a real failure, breaks the whole
    batch when one document is at fault (« [boom] »)."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[int] = []

    def _check(self, document) -> None:
        if any("[boom]" in b.text for b in document.blocks):
            raise RuntimeError("analyse impossible")

    def analyse(self, document, **context):
        self._check(document)
        return super().analyse(document, **context)

    def analyse_many(self, documents, **context):
        self.batches.append(len(documents))
        for document in documents:
            self._check(document)
        return [super(BatchingLinter, self).analyse(d, **context) for d in documents]


def _targets(tmp_path: Path, texts: dict[str, str]) -> list:
    out = []
    for name, text in texts.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        out.append(runner._Target(path=path, display=name))
    return out


def _run(monkeypatch, targets):
    linter = BatchingLinter()
    monkeypatch.setattr(runner, "load_engine", lambda folders: (None, linter))
    monkeypatch.setattr(runner, "read_document", lambda path, max_bytes: read_text_document(path))
    options = runner.LintOptions(selected=frozenset({"C101", "C201"}))
    return linter, runner.lint_chunk(targets, options)


def test_a_chunk_is_analysed_in_one_batch(tmp_path, monkeypatch):
    targets = _targets(tmp_path, {"a.txt": "[present insignia] Le titulaire n'utilise pas le logo.", "b.txt": "Objet."})
    linter, reports = _run(monkeypatch, targets)
    assert linter.batches == [2]
    assert [r.path for r in reports] == ["a.txt", "b.txt"]
    assert [r.error for r in reports] == [None, None]
    assert [f.code for f in reports[1].findings] == ["C101"]
    assert reports[0].findings == []


def test_a_failing_batch_is_redone_file_by_file_and_only_the_culprit_fails(tmp_path, monkeypatch):
    targets = _targets(tmp_path, {"a.txt": "Objet.", "b.txt": "[boom] texte", "c.txt": "[present insignia] Logo interdit."})
    linter, reports = _run(monkeypatch, targets)
    assert linter.batches == [3]
    assert [r.path for r in reports] == ["a.txt", "b.txt", "c.txt"]
    assert reports[0].error is None and reports[2].error is None
    assert reports[1].error is not None and "analyse impossible" in reports[1].error
    assert [f.code for f in reports[0].findings] == ["C101"]

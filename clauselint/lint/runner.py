"""Run `clauselint lint` over files, folders and globs: read, analyse, find, suppress — in parallel if asked.

The engine is built once per process (a spaCy pipeline takes seconds to load): once in this
process for ``jobs=1``, once in each worker otherwise. Files are analysed in chunks (one
``nlp.pipe`` per chunk). A file that cannot be read or analysed becomes a one-line error in its
own report entry; the other files are still linted.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clauselint.documents.model import Location
from clauselint.errors import ClauselintError
from clauselint.library.families import BY_ID, FAMILY_IDS
from clauselint.lint.findings import (
    ClauseStatus,
    Context,
    FileReport,
    LintReport,
    Skipped,
    family_findings,
    reader_warnings,
    sort_findings,
)
from clauselint.lint.suppress import apply_suppressions, find_suppressions

if TYPE_CHECKING:
    from clauselint.documents.model import Document
    from clauselint.library import Library

# What a contract comes as. Slides (.pptx) are deliverables, for `clauselint scan`. Old binary
# formats are handed to the reader all the same: its error tells how to convert them.
LISTED_FORMATS = (".docx", ".pdf", ".odt", ".txt", ".md", ".html")
SUPPORTED_SUFFIXES = frozenset({
    ".docx", ".docm", ".dotx", ".pdf", ".odt", ".ott", ".txt", ".md", ".markdown", ".html", ".htm",
    ".doc", ".dot", ".rtf",
})
_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class LintOptions:
    """What the command line and the configuration decided, for every file of the run."""

    selected: frozenset[str]
    category: int | None = None
    agile: bool | None = None
    personal_data: bool | None = None
    library_folders: tuple[Path, ...] = ()
    max_file_bytes: int | None = None
    debug: bool = False
    dossier: bool = False  # each folder given is one contract (see lint/dossier.py)


@dataclass(frozen=True)
class _Target:
    path: Path
    display: str


@dataclass
class Collected:
    """The inputs sorted out: files to lint, per-input errors, files left aside."""

    targets: list[_Target] = field(default_factory=list)
    errors: list[FileReport] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    order: list[str] = field(default_factory=list)  # display paths, in the order given
    dossiers: dict[str, list[str]] = field(default_factory=dict)  # folder given → its files to lint


def _supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def _formats() -> str:
    return " ".join(LISTED_FORMATS)


def _unsupported_reason(path: Path) -> str:
    suffix = path.suffix.lower() or "(sans extension)"
    return f"format {suffix} non pris en charge ; formats lus : {_formats()}"


def _hidden(parts: Iterable[str]) -> bool:
    return any(part.startswith(".") for part in parts)


def _display(path: Path) -> str:
    return path.as_posix() if not path.is_absolute() else str(path)


def collect(paths: Sequence[str]) -> Collected:
    """Expand folders (recursively) and globs (for shells that do not); keep the given order."""
    out = Collected()
    seen: set[Path] = set()

    def add(path: Path, explicit: bool) -> bool:
        key = path.resolve()
        if key in seen:
            return False
        seen.add(key)
        shown = _display(path)
        out.order.append(shown)
        if path.name.startswith("~$"):
            out.skipped.append(Skipped(shown, "fichier de verrouillage de Word (document ouvert ailleurs)"))
        elif not _supported(path):
            if explicit:
                out.errors.append(FileReport(path=shown, error=_unsupported_reason(path)))
            else:
                out.skipped.append(Skipped(shown, _unsupported_reason(path)))
        else:
            out.targets.append(_Target(path=path, display=shown))
            return True
        return False

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and not _hidden(p.relative_to(path).parts)
            )
            if not found:
                out.skipped.append(Skipped(_display(path), "dossier sans fichier"))
            members = [_display(p) for p in found if add(p, explicit=False)]
            if members:
                out.dossiers[_display(path)] = members
        elif path.exists():
            add(path, explicit=True)
        elif _GLOB_CHARS & set(raw):
            matches = sorted(Path(m) for m in glob.glob(raw, recursive=True))
            files = [m for m in matches if m.is_file()]  # glob skips dot-files itself
            if not files:
                out.order.append(raw)
                out.errors.append(FileReport(path=raw, error="aucun fichier ne correspond à ce motif ; vérifiez le chemin"))
            for m in files:
                add(m, explicit=False)
        else:
            out.order.append(raw)
            out.errors.append(FileReport(path=raw, error="fichier introuvable ; vérifiez le chemin"))
    return out


# --- the engine, once per process -------------------------------------------------------------

_ENGINES: dict[tuple[Path, ...], tuple["Library", Any]] = {}
_LIBRARIES: dict[tuple[Path, ...], "Library"] = {}


def library_for(folders: tuple[Path, ...]) -> "Library":
    """The clause library for ``folders`` (built-in first), read once per process."""
    if folders not in _LIBRARIES:
        from clauselint.library import load_library

        _LIBRARIES[folders] = load_library(list(folders))
    return _LIBRARIES[folders]


def load_engine(folders: tuple[Path, ...]) -> tuple["Library", Any]:
    """The clause library and the engine's Linter for ``folders``, built once per process."""
    if folders not in _ENGINES:
        from clauselint.lint.engine import Linter

        library = library_for(folders)
        _ENGINES[folders] = (library, Linter(library))
    return _ENGINES[folders]


def read_document(path: Path, max_file_bytes: int | None) -> "Document":
    from clauselint.documents import read_document as _read
    from clauselint.documents.limits import Limits

    limits = Limits(max_file_bytes=max_file_bytes) if max_file_bytes else Limits()
    return _read(path, limits)


# --- one file ---------------------------------------------------------------------------------


def _location(value: Any) -> Location | None:
    if value is None or isinstance(value, Location):
        return value
    if isinstance(value, dict):
        return Location(**{k: value.get(k) for k in ("page", "paragraph", "section", "line")})
    return None


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)


def _family_id(value: Any) -> str:
    return getattr(value, "id", value)


def statuses(analysis: Any) -> tuple[Context, list[ClauseStatus]]:
    """Copy the engine's answer into plain data, one status per family in the families' order."""
    ctx = analysis.context
    context = Context(
        category=ctx.category,
        agile=ctx.agile,
        personal_data=ctx.personal_data,
        sources=_jsonable(dict(ctx.sources or {})),
    )
    by_family: dict[str, ClauseStatus] = {}
    for item in analysis.families:
        fam = _family_id(item.family)
        evidence = item.evidence
        by_family[fam] = ClauseStatus(
            family=fam,
            status=item.status,
            required=bool(item.required),
            confidence=round(float(item.confidence), 4),
            evidence_text=" ".join(evidence.text.split()) if evidence is not None else None,
            evidence_location=_location(evidence.location) if evidence is not None else None,
        )
    missing = [f for f in FAMILY_IDS if f not in by_family]
    if missing or set(by_family) - set(BY_ID):
        raise RuntimeError(f"the engine did not answer for every family exactly once (missing: {missing})")
    return context, [by_family[f] for f in FAMILY_IDS]


def lint_document(document: "Document", display: str, linter: Any, library: "Library | None", options: LintOptions) -> FileReport:
    """Analyse a document that was read, and turn the analysis into findings."""
    analysis = linter.analyse(
        document, category=options.category, agile=options.agile, personal_data=options.personal_data
    )
    return _report(document, display, analysis, library, options)


def _report(document: "Document", display: str, analysis: Any, library: "Library | None", options: LintOptions) -> FileReport:
    context, clauses = statuses(analysis)
    findings = family_findings(clauses, context, library, options.selected)
    findings += reader_warnings(getattr(document, "warnings", []) or [], options.selected)
    suppressions = find_suppressions(document)
    findings = apply_suppressions(findings, suppressions, options.selected)
    return FileReport(path=display, context=context, clauses=clauses, findings=sort_findings(findings),
                      suppressions=suppressions, outside_contract=document.outside_contract())


def _error_report(target: _Target, exc: Exception, options: LintOptions) -> FileReport:
    """The one-line entry of a file that failed; with --debug the run stops on it instead."""
    if options.debug:
        raise exc
    if isinstance(exc, ClauselintError):
        return FileReport(path=target.display, error=" ".join(exc.message.split()))
    # One broken file must not stop the run; --debug shows the trace.
    return FileReport(
        path=target.display,
        error=f"erreur interne en vérifiant ce fichier ({type(exc).__name__}: {exc}) ; "
        "relancez avec --debug et signalez-la",
    )


def lint_file(target: _Target, options: LintOptions) -> FileReport:
    return lint_chunk([target], options)[0]


def lint_chunk(targets: Sequence[_Target], options: LintOptions) -> list[FileReport]:
    """Lint a few files together: read each, then one ``analyse_many`` (one ``nlp.pipe`` for
    every candidate sentence of the chunk, much cheaper than one per file).

    Each file still fails alone: a file that cannot be read gets its error; if the batch fails,
    the chunk's files are analysed one by one, so only the file at fault gets an error.
    """
    reports: list[FileReport | None] = [None] * len(targets)
    try:
        library, linter = load_engine(options.library_folders)
    except Exception as exc:
        return [_error_report(t, exc, options) for t in targets]
    read: list[tuple[int, "Document"]] = []
    for n, target in enumerate(targets):
        try:
            read.append((n, read_document(target.path, options.max_file_bytes)))
        except Exception as exc:
            reports[n] = _error_report(target, exc, options)
    analyses: list[Any] | None = None
    batch = getattr(linter, "analyse_many", None)
    if batch is not None and len(read) > 1:
        try:
            analyses = batch(
                [doc for _, doc in read],
                category=options.category, agile=options.agile, personal_data=options.personal_data,
            )
        except Exception:
            if options.debug:
                raise
            analyses = None  # find the file at fault below, one by one
    for k, (n, document) in enumerate(read):
        target = targets[n]
        try:
            if analyses is not None:
                reports[n] = _report(document, target.display, analyses[k], library, options)
            else:
                reports[n] = lint_document(document, target.display, linter, library, options)
        except Exception as exc:
            reports[n] = _error_report(target, exc, options)
    return [r for r in reports if r is not None]


def _init_worker(folders: tuple[Path, ...]) -> None:
    load_engine(folders)


# Files analysed together by one worker. Four fill nlp.pipe's batches (≈ 27 candidate sentences a
# file) while leaving enough chunks to share the work between workers. The chunks depend on the
# files only, never on -j, so `-j 1` and `-j N` analyse the same batches and report the same.
CHUNK_FILES = 4
# A worker loads its own spaCy pipeline (≈ 2 s): below this many files per worker, one process
# that loads it once is faster than several that each load it.
MIN_FILES_PER_WORKER = 8


def chunks(targets: Sequence[_Target], size: int = CHUNK_FILES) -> list[list[_Target]]:
    return [list(targets[i : i + size]) for i in range(0, len(targets), size)]


def default_jobs(files: int) -> int:
    if files <= 1:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, files // MIN_FILES_PER_WORKER))


def run(paths: Sequence[str], options: LintOptions, jobs: int | None = None) -> LintReport:
    """Lint every document named by ``paths``; the report keeps the order the paths were given in."""
    return run_collected(collect(paths), options, jobs)


def run_collected(collected: Collected, options: LintOptions, jobs: int | None = None) -> LintReport:
    targets = collected.targets
    workers = default_jobs(len(targets)) if jobs is None else max(1, min(jobs, len(targets) or 1))
    if workers > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Fail on a broken library here, with its French message, not in every worker.
        library_for(options.library_folders)
        # "spawn": a fresh interpreter per worker, safe whatever threads this process runs.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(options.library_folders,)
        ) as pool:
            reports = [r for chunk in pool.map(lint_chunk, chunks(targets), repeat(options)) for r in chunk]
    else:
        if targets:
            load_engine(options.library_folders)  # a broken library is the run's error, not a file's
        reports = [r for chunk in chunks(targets) for r in lint_chunk(chunk, options)]
    by_path = {r.path: r for r in [*reports, *collected.errors]}
    ordered = [by_path[p] for p in collected.order if p in by_path]
    if options.dossier and collected.dossiers:
        from clauselint.lint.dossier import combine

        ordered, outside = combine(ordered, collected.dossiers, library_for(options.library_folders), options.selected)
        skipped = [*collected.skipped, *outside]
        return LintReport(files=ordered, skipped=skipped)
    return LintReport(files=ordered, skipped=collected.skipped)

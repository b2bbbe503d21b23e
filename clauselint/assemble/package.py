"""Assemble the whole package: spec → plan → documents → files, written atomically with a manifest."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clauselint import __version__
from clauselint.errors import ClauselintError

if TYPE_CHECKING:
    from clauselint.assemble.content import Document
    from clauselint.assemble.plan import Plan
    from clauselint.library import Library
    from clauselint.policy import Assessment

FORMATS = ("docx", "md")
INTERNAL_FOLDER = "interne"  # the buyer's note: not part of what bidders receive
MANIFEST = "manifest.json"


@dataclass
class Package:
    """What was written: the folder, each file (relative path) and the decisions behind it."""

    folder: Path
    files: list[dict[str, Any]]
    plan: "Plan"
    assessment: "Assessment"
    documents: list["Document"] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return self.plan.warnings


def safe_child(root: Path, relative: str) -> Path:
    """``root / relative``, refusing any path that would land outside ``root``."""
    candidate = Path(relative)
    if candidate.is_absolute() or ".." in candidate.parts or not candidate.parts:
        raise ClauselintError(f"chemin de sortie refusé « {relative} » : il sortirait du dossier de sortie")
    target = (root / candidate).resolve()
    try:
        target.relative_to(root.resolve())
    except ValueError:
        raise ClauselintError(f"chemin de sortie refusé « {relative} » : il sortirait du dossier de sortie") from None
    return target


def check_output_folder(folder: Path, force: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise ClauselintError("existe et n'est pas un dossier ; choisissez un autre dossier avec -o", where=folder)
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise ClauselintError(
            "le dossier existe et n'est pas vide ; relancez avec --force pour le remplacer, "
            "ou choisissez un autre dossier avec -o",
            where=folder,
        )


def _assess(loaded: Any) -> "Assessment":
    from clauselint.config import find_config
    from clauselint.policy import assess, configured_a_priori_threshold

    spec = loaded.spec
    threshold = spec.acheteur.seuil_controle_a_priori_ht
    if threshold is None:
        threshold = configured_a_priori_threshold(find_config(loaded.path.parent))
    return assess(
        code=spec.marche.code_nomenclature,
        amount=spec.marche.montant_estime_ht,
        project_amount=spec.projet.montant_total_ht if spec.projet else None,
        outsourcing=spec.projet.taux_externalisation if spec.projet else None,
        pro_bono=spec.marche.pro_bono,
        a_priori_threshold=threshold,
    )


def build_documents(loaded: Any, library: "Library", today: dt.date | None = None) -> tuple["Plan", list["Document"]]:
    """The plan and every document's content (no file written)."""
    from clauselint.assemble import documents as docs
    from clauselint.assemble.facts import Facts
    from clauselint.assemble.plan import make_plan

    assessment = _assess(loaded)
    edition = loaded.spec.consultation.date or today or dt.date.today()
    facts = Facts(spec=loaded.spec, assessment=assessment, edition_date=edition)
    plan = make_plan(loaded, library, facts)
    docs.build_ccap(plan)  # first pass: numbers the CCAP's articles for cross-references
    ccap = docs.build_ccap(plan)
    main = [docs.build_rc(plan), ccap, docs.build_cctp(plan), docs.build_ae(plan), *docs.build_annexes(plan)]
    note = docs.build_note(plan, main, loaded.path.name, loaded.sha256)
    return plan, [*main, note]


def _relative_name(doc: "Document", suffix: str) -> str:
    name = f"{doc.filename}.{suffix}"
    return f"{INTERNAL_FOLDER}/{name}" if doc.key == "note" else name


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def assemble(
    spec_path: Path,
    output: Path,
    library: "Library",
    fmt: str = "docx",
    pdf: bool = False,
    force: bool = False,
    today: dt.date | None = None,
) -> Package:
    """Write the package for the spec at ``spec_path`` into ``output`` (replaced only with ``force``)."""
    from clauselint.assemble.pdf import require_soffice
    from clauselint.paths import builtin_templates_dir
    from clauselint.spec import load_spec

    if fmt not in FORMATS:
        raise ClauselintError(f"format « {fmt} » inconnu ; formats possibles : {', '.join(FORMATS)}")
    if pdf and fmt != "docx":
        raise ClauselintError("--pdf convertit les documents Word : retirez --format md ou --pdf")
    output = Path(output)
    check_output_folder(output, force)
    if pdf:
        require_soffice()  # before any work: say how to install it

    loaded = load_spec(spec_path, library)
    plan, documents = build_documents(loaded, library, today)
    facts = plan.facts
    templates = builtin_templates_dir()

    parent = output.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.tmp-", dir=parent))
    os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes it private; the package folder is an ordinary one
    try:
        written: list[tuple["Document", Path]] = []
        for doc in documents:
            relative = _relative_name(doc, fmt)
            target = safe_child(staging, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            if fmt == "docx":
                from clauselint.assemble.docx_out import render_docx

                target.write_bytes(render_docx(doc, facts, templates))
            else:
                from clauselint.assemble.md_out import render_markdown

                target.write_text(render_markdown(doc, facts), encoding="utf-8")
            written.append((doc, target))
        if pdf:
            from clauselint.assemble.pdf import convert_to_pdf

            convert_to_pdf([path for _doc, path in written])
            written += [(doc, path.with_suffix(".pdf")) for doc, path in list(written)]

        files = [
            {
                "path": path.relative_to(staging).as_posix(),
                "document": doc.key,
                "title": doc.title,
                "sha256": _sha256(path),
                "bytes": path.stat().st_size,
                "clauses": [{"id": cid, "version": version} for cid, version in doc.clauses],
            }
            for doc, path in written
        ]
        manifest = {
            "clauselint": __version__,
            "format": fmt,
            "spec": {"file": loaded.path.name, "sha256": loaded.sha256},
            "edition_date": facts.edition_date.isoformat(),
            "nomenclature_code": facts.assessment.code,
            "category": facts.assessment.category,
            "conditions": loaded.spec.conditions(),
            "library": [str(source) for source in library.sources],
            "files": files,
        }
        safe_child(staging, MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        for path in staging.rglob("*"):
            if path.is_file():
                _fsync(path)
        _swap_into_place(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Package(folder=output, files=files, plan=plan, assessment=facts.assessment, documents=documents)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap_into_place(staging: Path, output: Path) -> None:
    """Rename the finished staging folder to ``output``; a previous folder is moved aside, then removed."""
    old = None
    if output.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=staging.parent))
        old.rmdir()
        os.rename(output, old)
    try:
        os.rename(staging, output)
    except BaseException:
        if old is not None:
            os.rename(old, output)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)

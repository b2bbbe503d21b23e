"""The assembler page's live parts — classification, policy warnings, selected clauses — and the package ZIP.

The category, control regime and T4xx warnings come from ``clauselint.policy.assess``; the
clauses from ``Library.select`` (or, once the form is a valid spec, from the assembler's own
plan, with the text each clause will have); the ZIP from ``clauselint.assemble.assemble``.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from clauselint.spec import model as spec_model

if TYPE_CHECKING:
    from jinja2 import Environment

    from clauselint.library import Library
    from clauselint.policy import Assessment
    from clauselint.spec.model import TenderSpec
    from clauselint.web.specform import FormState, Section

CODE = "marche.code_nomenclature"
AMOUNTS = {
    "marche.montant_estime_ht": "amount",
    "projet.montant_total_ht": "project_amount",
    "acheteur.seuil_controle_a_priori_ht": "a_priori_threshold",
}
RATE = "projet.taux_externalisation"
CONDITIONS = {"execution.agile": "agile", "execution.donnees_personnelles": "personal_data", "marche.pro_bono": "pro_bono"}
LIVE_FIELDS = (CODE, *AMOUNTS, RATE, *CONDITIONS)
DOCUMENT_LABELS = {"ccap": "CCAP", "cctp": "CCTP", "rc": "RC", "ae": "acte d'engagement", "annex": "annexe"}

_AMOUNT = TypeAdapter(spec_model.Amount)
_RATE = TypeAdapter(spec_model.Rate)
_BOOL = TypeAdapter(spec_model.Bool)


@dataclass
class Classification:
    """What the policy engine says of the values typed so far (with each unreadable input's error)."""

    assessment: "Assessment | None" = None
    errors: dict[str, str] = field(default_factory=dict)
    conditions: dict[str, bool] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)  # conditions not answered yet

    @property
    def category(self) -> int | None:
        return self.assessment.category if self.assessment else None


def _message(exc: ValidationError) -> str:
    err = exc.errors()[0]
    text = str((err.get("ctx") or {}).get("error", err["msg"]))
    return text[:1].upper() + text[1:]


def classify(values: Mapping[str, str]) -> Classification:
    from clauselint.errors import PolicyError
    from clauselint.policy import assess
    from clauselint.policy.nomenclature import entry

    out = Classification()
    for name, key in CONDITIONS.items():
        raw = (values.get(name) or "").strip()
        try:
            out.conditions[key] = bool(_BOOL.validate_python(raw)) if raw else False
        except ValidationError:
            out.conditions[key] = False
        if not raw:
            out.unknown.append(key)
    code = (values.get(CODE) or "").strip()
    arguments: dict[str, Any] = {}
    for name, key in AMOUNTS.items():
        raw = (values.get(name) or "").strip()
        if raw:
            try:
                arguments[key] = _AMOUNT.validate_python(raw)
            except ValidationError as exc:
                out.errors[name] = _message(exc)
    raw_rate = (values.get(RATE) or "").strip()
    if raw_rate:
        try:
            arguments["outsourcing"] = _RATE.validate_python(raw_rate)
        except ValidationError as exc:
            out.errors[RATE] = _message(exc)
    if not code:
        return out
    try:
        entry(code)
    except PolicyError as exc:
        out.errors[CODE] = exc.message[:1].upper() + exc.message[1:]
        return out
    try:
        out.assessment = assess(code, pro_bono=out.conditions["pro_bono"], **arguments)
    except PolicyError as exc:  # the order above the project's total: the project's amount is the one to check
        out.errors["projet.montant_total_ht"] = exc.message[:1].upper() + exc.message[1:]
        arguments.pop("project_amount", None)
        out.assessment = assess(code, pro_bono=out.conditions["pro_bono"], **arguments)
    return out


def selected_ids(library: "Library", result: Classification) -> list[str]:
    if result.category is None:
        return []
    return [c.id for c in library.select(result.category, result.conditions)]


def excluded_reasons(library: "Library", result: Classification) -> dict[str, str]:
    """Why each clause is left out, in the assembler's own words (clauselint.assemble.plan)."""
    from clauselint.assemble.plan import why_excluded

    if result.category is None:
        return {}
    chosen = set(selected_ids(library, result))
    return {c.id: why_excluded(c, result.category, result.conditions) for c in library if c.id not in chosen}


def live(values: Mapping[str, str], library: "Library", env: "Environment") -> dict[str, Any]:
    """The JSON answer of /api/classement: the assessment, the selected clauses and the panel's HTML."""
    result = classify(values)
    return {
        "code": result.assessment.code if result.assessment else None,
        "categorie": result.category,
        "classement": result.assessment.to_dict() if result.assessment else None,
        "erreurs": result.errors,
        "conditions": result.conditions,
        "clauses": selected_ids(library, result),
        "raisons": excluded_reasons(library, result),
        "html": env.get_template("_classement.html").render(result=result),
    }


@dataclass
class ClauseItem:
    id: str
    title: str
    family: str
    documents: str
    included: bool
    reason: str | None
    basis: list[str]
    paragraphs: list[str]


@dataclass
class Preview:
    panel: str  # the classification panel's HTML (same template as the live answer)
    result: Classification
    clauses: list[ClauseItem]
    exact: bool  # the texts are those the package will have (the form is a valid spec)
    total_weight: int | None
    todo: int | None = None
    warnings: list[str] = field(default_factory=list)


def _weights(form: "FormState", sections: tuple["Section", ...]) -> int | None:
    from clauselint.web.specform import groups_of, row_name

    group = groups_of(sections).get("criteres")
    if group is None:
        return None
    weight = next(f for f in group.fields if f.name == "ponderation")
    total, seen = 0, False
    for index in range(form.row_count(group)):
        raw = form.get(row_name(group, index, weight)).strip()
        if raw.lstrip("-").isdigit():
            total += int(raw)
            seen = True
    return total if seen else None


def loaded_spec(spec: "TenderSpec", folder: Path) -> Any:
    """The spec as the loader would hand it over (no line numbers: it did not come from a file)."""
    from clauselint.spec.loader import LineMap, LoadedSpec
    from clauselint.web.specform import spec_yaml

    text = spec_yaml(spec)
    return LoadedSpec(spec=spec, path=folder / "tender.yaml", sha256=hashlib.sha256(text.encode()).hexdigest(),
                      lines=LineMap())


def preview(form: "FormState", sections: tuple["Section", ...], library: "Library", env: "Environment",
            spec_folder: Path | None = None) -> Preview:
    from clauselint.errors import ClauselintError
    from clauselint.library.families import BY_ID
    from clauselint.library.render import paragraphs, render_clause
    from clauselint.web.specform import validate

    result = classify(form.values)
    panel = env.get_template("_classement.html").render(result=result)
    plan = documents = None
    spec = validate(sections, form).spec
    if spec is not None:
        from clauselint.assemble.package import build_documents

        try:
            plan, documents = build_documents(loaded_spec(spec, spec_folder or Path.cwd()), library)
        except ClauselintError:
            plan = None
    chosen = set(selected_ids(library, result)) if plan is None else {c.id for c in plan.selected}
    reasons = {c.id: why for c, why in plan.excluded} if plan is not None else excluded_reasons(library, result)
    items = []
    for clause in library:
        included = clause.id in chosen
        text = plan.render(clause) if plan is not None and included else render_clause(clause)
        items.append(ClauseItem(
            id=clause.id, title=clause.title, family=BY_ID[clause.family].label,
            documents=", ".join(DOCUMENT_LABELS[d] for d in clause.applies.documents),
            included=included, reason=reasons.get(clause.id), basis=list(clause.basis), paragraphs=paragraphs(text),
        ))
    todo = sum(d.todo_count() for d in documents if d.key != "note") if documents else None
    return Preview(panel=panel, result=result, clauses=items, exact=plan is not None,
                   total_weight=_weights(form, sections), todo=todo, warnings=list(plan.warnings) if plan else [])


def zip_bytes(folder: Path) -> bytes:
    """Every file under ``folder`` in a ZIP, with paths relative to it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def package_zip(spec: "TenderSpec", library: "Library", folder: Path, fmt: str = "docx", pdf: bool = False) -> bytes:
    """The package ``clauselint assemble`` writes for this spec, zipped: the spec is saved as YAML in the
    request's folder and assembled by the CLI's own function."""
    from clauselint.assemble import assemble
    from clauselint.web.specform import spec_yaml

    spec_path = folder / "tender.yaml"
    spec_path.write_text(spec_yaml(spec), encoding="utf-8")
    output = folder / "dce"
    assemble(spec_path, output, library, fmt=fmt, pdf=pdf)
    return zip_bytes(output)

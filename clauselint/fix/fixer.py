"""`clauselint fix`: lint a contract, then amend it as Word tracked changes, each with a comment.

A missing required clause becomes a new article (the library's clause for the contract's
context), placed after the article whose heading best matches its family; a contradicting
sentence gets a comment proposing the library's wording, and with ``replace_contradictions``
a tracked deletion followed by that wording as a tracked insertion.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clauselint.errors import ClauselintError
from clauselint.library.families import BY_ID
from clauselint.fix.docx_edit import (
    DocxPackage,
    first_text_run_properties,
    has_numbering,
    paragraph_properties,
    paragraph_text,
    w,
)
from clauselint.fix.placement import Article, ManualNumber, Outline, article_is_automatic, build_outline, numbered_title
from clauselint.fix.values import RenderValues

if TYPE_CHECKING:
    from lxml import etree

    from clauselint.documents.model import Document
    from clauselint.library import Clause, Library
    from clauselint.lint.findings import ClauseStatus, FileReport

AUTHOR = "clauselint"
ODT_TIMEOUT_SECONDS = 180
EDITABLE = (".docx",)
CONVERTIBLE = (".odt",)


@dataclass
class Change:
    """One amendment, as shown by --dry-run and recorded in the document."""

    kind: str  # "insertion" (missing clause) or "contradiction"
    family: str
    code: str
    rule: str
    clauses: list[tuple[str, int]]
    action: str  # "insertion", "commentaire" or "remplacement"
    anchor: str | None = None  # heading of the article it follows (or precedes), or of the sentence
    position: str = "after"  # "after", "before", "end" (insertion); "at" (contradiction)
    heading: str | None = None  # the new article's heading
    text: list[str] = field(default_factory=list)  # inserted paragraphs
    sentence: str | None = None  # the contradicting sentence
    note: str | None = None  # French: why a replacement fell back to a comment

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "family": self.family,
            "code": self.code,
            "rule": self.rule,
            "action": self.action,
            "clauses": [{"id": cid, "version": version} for cid, version in self.clauses],
            "anchor": self.anchor,
            "position": self.position,
            "heading": self.heading,
            "text": self.text,
            "sentence": self.sentence,
            "note": self.note,
        }


@dataclass(frozen=True)
class Skipped:
    family: str
    code: str
    reason: str  # French


@dataclass
class FixResult:
    input: Path
    output: Path | None
    written: bool
    context: Any  # clauselint.lint.findings.Context
    changes: list[Change] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    converted_from: Path | None = None  # the .odt the .docx was converted from


@dataclass
class FixOptions:
    selected: frozenset[str]
    values: RenderValues
    category: int | None = None
    agile: bool | None = None
    personal_data: bool | None = None
    replace_contradictions: bool = False
    dry_run: bool = False
    force: bool = False
    library_folders: tuple[Path, ...] = ()
    max_file_bytes: int | None = None


# --- inputs -----------------------------------------------------------------------------------


def check_paths(source: Path, output: Path | None, options: FixOptions) -> None:
    from clauselint.atomic import refuse_overwrite

    if not source.exists():
        raise ClauselintError("fichier introuvable ; vérifiez le chemin", where=source)
    if source.is_dir():
        raise ClauselintError("c'est un dossier ; clauselint fix corrige un contrat à la fois (un fichier .docx)",
                              where=source)
    suffix = source.suffix.lower()
    if suffix == ".pdf":
        raise ClauselintError(
            "un PDF ne se corrige pas en modifications suivies : clauselint fix travaille sur un document Word "
            "(.docx) ; demandez la version .docx du contrat (ou .odt), ou vérifiez le PDF avec « clauselint lint »",
            where=source)
    if suffix not in EDITABLE + CONVERTIBLE:
        raise ClauselintError(
            f"format {suffix or '(sans extension)'} non pris en charge par clauselint fix : enregistrez le contrat "
            "au format Word (.docx) puis relancez", where=source)
    if options.dry_run:
        return
    if output is None:
        raise ClauselintError("indiquez le fichier corrigé avec -o (ex. -o contrat.corrige.docx), "
                              "ou simulez avec --dry-run")
    if output.suffix.lower() != ".docx":
        raise ClauselintError("le fichier corrigé est un document Word : donnez-lui l'extension .docx", where=output)
    if output.resolve() == source.resolve():
        raise ClauselintError("le fichier corrigé remplacerait le contrat d'origine, que clauselint fix ne modifie "
                              "jamais ; choisissez un autre nom avec -o", where=output)
    refuse_overwrite(output, options.force)


def convert_odt(source: Path, folder: Path) -> Path:
    """An .odt converted to .docx by LibreOffice headless, in ``folder`` (a private temporary folder)."""
    from clauselint.assemble.pdf import find_soffice

    soffice = find_soffice()
    if soffice is None:
        raise ClauselintError(
            "clauselint fix modifie des documents Word (.docx) et LibreOffice (« soffice ») est introuvable pour "
            "convertir ce fichier .odt : ouvrez-le dans LibreOffice, « Enregistrer sous » au format Word (.docx), "
            "puis relancez sur le .docx (ou installez LibreOffice : apt-get install libreoffice-writer-nogui)",
            where=source)
    profile = folder / "profile"
    command = [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder), str(source.resolve())]
    try:
        subprocess.run(command, check=False, capture_output=True, timeout=ODT_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise ClauselintError(f"LibreOffice n'a pas converti le fichier en {ODT_TIMEOUT_SECONDS} s ; fermez les "
                              "instances de LibreOffice ouvertes et relancez", where=source) from None
    converted = folder / (source.stem + ".docx")
    if not converted.is_file():
        raise ClauselintError("LibreOffice n'a pas pu convertir ce fichier en .docx ; ouvrez-le dans LibreOffice "
                              "et enregistrez-le au format Word (.docx) puis relancez", where=source)
    return converted


# --- the run ------------------------------------------------------------------------------------


def fix_file(source: Path, output: Path | None, options: FixOptions) -> FixResult:
    """Lint ``source`` and write the amended copy to ``output`` (nothing written with dry_run)."""
    source = Path(source)
    output = Path(output) if output is not None else None
    check_paths(source, output, options)
    if source.suffix.lower() in CONVERTIBLE:
        with tempfile.TemporaryDirectory(prefix="clauselint-fix-") as tmp:
            converted = convert_odt(source, Path(tmp))
            result = _fix_docx(converted, source, output, options)
            result.converted_from = source
            return result
    return _fix_docx(source, source, output, options)


def _fix_docx(path: Path, shown: Path, output: Path | None, options: FixOptions) -> FixResult:
    from clauselint.documents.limits import Limits
    from clauselint.lint.runner import LintOptions, lint_document, load_engine, read_document

    library, linter = load_engine(options.library_folders)
    document = read_document(path, options.max_file_bytes)
    spec_conditions = options.values.conditions or {}
    lint_options = LintOptions(
        selected=options.selected,
        category=options.category if options.category is not None else options.values.category,
        agile=options.agile if options.agile is not None else spec_conditions.get("agile"),
        personal_data=options.personal_data if options.personal_data is not None else spec_conditions.get("personal_data"),
        library_folders=options.library_folders,
    )
    report = lint_document(document, str(shown), linter, library, lint_options)
    limits = Limits(max_file_bytes=options.max_file_bytes) if options.max_file_bytes else Limits()
    package = DocxPackage.open(path, limits)
    package.author = AUTHOR
    fixer = _Fixer(package, document, report, library, options)
    fixer.run()
    result = FixResult(input=shown, output=output, written=False, context=report.context,
                       changes=fixer.changes, skipped=fixer.skipped)
    if fixer.changes and not options.dry_run and output is not None:
        from clauselint.atomic import refuse_overwrite, write_bytes_atomic

        refuse_overwrite(output, options.force)  # again: the analysis took seconds
        write_bytes_atomic(output, package.save())
        result.written = True
    return result


# --- deciding and editing ---------------------------------------------------------------------


def applicable_clauses(library: "Library", family: str, context: Any) -> list["Clause"] | None:
    """The CCAP clauses of ``family`` for the contract's context; None when the category is
    unknown and the categories disagree on them."""
    conditions = {"agile": bool(context.agile), "personal_data": bool(context.personal_data), "pro_bono": False}
    if context.category is not None:
        return [c for c in library.select(context.category, conditions, document="ccap") if c.family == family]
    per_category = [[c for c in library.select(cat, conditions, document="ccap") if c.family == family]
                    for cat in (1, 2, 3)]
    ids = {tuple(c.id for c in clauses) for clauses in per_category}
    return per_category[0] if len(ids) == 1 else None


def _family_order(family: str) -> int:
    from clauselint.assemble.layout import CCAP_FAMILY_ORDER

    return CCAP_FAMILY_ORDER.index(family) if family in CCAP_FAMILY_ORDER else len(CCAP_FAMILY_ORDER)


class _Fixer:
    def __init__(self, package: DocxPackage, document: "Document", report: "FileReport", library: "Library",
                 options: FixOptions) -> None:
        self.package = package
        self.document = document
        self.report = report
        self.library = library
        self.options = options
        self.changes: list[Change] = []
        self.skipped: list[Skipped] = []
        self.outline: Outline = build_outline(package, document)
        # Per anchor article: the last element inserted after it and its hand-typed number.
        self._chain: dict[int, tuple["etree._Element", ManualNumber | None]] = {}
        # Families whose anchor heading names the family itself (« Article 8 – Confidentialité »).
        self._close_heading: dict[str, str] = {}

    def run(self) -> None:
        statuses = {s.family: s for s in self.report.clauses}
        missing, contradicted = [], []
        for finding in self.report.findings:
            if finding.family is None:
                continue
            if finding.suppressed is not None:
                reason = finding.suppressed.reason or "sans motif"
                self.skipped.append(Skipped(finding.family, finding.code,
                                            f"ignorée dans le document (« clauselint: ignore », {reason})"))
                continue
            status = statuses[finding.family]
            if not status.required:
                continue  # not required here: nothing to insert or to replace
            if finding.code.startswith("C1"):
                missing.append((finding, status))
            elif finding.code.startswith("C2"):
                contradicted.append((finding, status))
        for finding, status in sorted(missing, key=lambda item: _family_order(item[1].family)):
            self._insert_missing(finding.code, finding.name, status)
        for finding, status in contradicted:
            self._handle_contradiction(finding.code, finding.name, status)

    # --- missing clauses

    def _clauses(self, family: str, code: str) -> list["Clause"] | None:
        clauses = applicable_clauses(self.library, family, self.report.context)
        if clauses is None:
            self.skipped.append(Skipped(family, code, "catégorie du marché indéterminée et clause différente selon la "
                                        "catégorie : précisez --categorie 1, 2 ou 3 (ou --spec)"))
            return None
        if not clauses:
            self.skipped.append(Skipped(family, code, "aucune clause de la bibliothèque pour ce contexte"))
            return None
        return clauses

    def _insert_missing(self, code: str, rule: str, status: "ClauseStatus") -> None:
        family = status.family
        clauses = self._clauses(family, code)
        if not clauses:
            return
        anchor, position, why = self._placement(family)
        for clause in clauses:
            self._insert_article(code, rule, clause, anchor, position, why)

    def _placement(self, family: str) -> tuple[Article | None, str, str]:
        outline = self.outline
        match = outline.best_match(family)
        if match is not None:
            article, score = match
            if score >= outline.top_score(family):
                self._close_heading[family] = article.heading.text
            return self._last_of_number(article), "after", "intitulé le plus proche de la famille"
        final = outline.first_final()
        if final is not None:
            previous = outline.previous(final)
            if previous is not None:
                return self._last_of_number(previous), "after", f"avant les dispositions finales (« {final.heading.text} »)"
            return final, "before", "avant les dispositions finales"
        if outline.articles:
            return outline.articles[-1], "after", "après le dernier article"
        return None, "end", "fin du document (aucun article reconnu)"

    def _last_of_number(self, article: Article) -> Article:
        """After « Article 7 », an existing « Article 7 bis » comes first: insert after it."""
        manual = article.manual
        while manual is not None:
            following = self.outline.following(article)
            if following is None or following.manual is None or following.manual.number != manual.number:
                break
            article = following
        return article

    def _body_model(self, article: Article | None) -> tuple["etree._Element | None", "etree._Element | None"]:
        """pPr and rPr of an ordinary body paragraph, from the anchor article first."""
        heading_elements = {id(h.element) for h in self.outline.headings}
        articles = ([article] if article is not None else []) + self.outline.articles
        for candidate in articles:
            for element in candidate.elements[1:]:
                if element.tag != w("p") or id(element) in heading_elements or has_numbering(element):
                    continue
                if paragraph_text(element):
                    return paragraph_properties(element), first_text_run_properties(element)
        for element in self.outline.children:
            if element.tag == w("p") and id(element) not in heading_elements and not has_numbering(element):
                if paragraph_text(element):
                    return paragraph_properties(element), first_text_run_properties(element)
        return None, None

    def _bullet_model(self) -> "etree._Element | None":
        styles = self.package.styles()
        if styles is None:
            return None
        names = {}
        for style in styles.iter(w("style")):
            name = style.find(w("name"))
            if name is not None:
                names[style.get(w("styleId"))] = (name.get(w("val")) or "").lower()
        for element in self.outline.children:
            if element.tag != w("p"):
                continue
            ppr = element.find(w("pPr"))
            style = ppr.find(w("pStyle")) if ppr is not None else None
            if style is None:
                continue
            name = names.get(style.get(w("val")), "")
            if "bullet" in name or "puce" in name:
                return ppr
        return None

    def _sub_heading_model(self) -> "etree._Element | None":
        level = self.outline.level
        for heading in self.outline.headings:
            if level is not None and heading.level == level + 1:
                return heading.element.find(w("pPr"))
        return None

    def _insert_article(self, code: str, rule: str, clause: "Clause", anchor: Article | None, position: str,
                        why: str) -> None:
        from clauselint.assemble.documents import clause_blocks

        package = self.package
        key = id(anchor) if anchor is not None else 0
        chained = self._chain.get(key)
        outline = self.outline
        in_middle = position == "after" and anchor is not None and outline.following(anchor) is not None
        previous_number = chained[1] if chained else None
        if position == "before":
            heading_text, number = clause.title, None
        else:
            heading_text, number = numbered_title(anchor, previous_number, in_middle, clause.title)
        automatic = anchor is not None and article_is_automatic(anchor)
        heading_model = anchor.heading.element if anchor is not None else None
        heading_ppr = paragraph_properties(heading_model) if heading_model is not None else None
        heading_rpr = first_text_run_properties(heading_model) if heading_model is not None else None
        body_ppr, body_rpr = self._body_model(anchor)
        text = self.options.values.render(clause, self.report.context.category)
        new: list["etree._Element"] = [package.new_paragraph(heading_ppr, heading_rpr, heading_text)]
        shown: list[str] = []
        bullet_ppr = None
        for kind, content in clause_blocks(text):
            if kind == "bullet":
                bullet_ppr = bullet_ppr if bullet_ppr is not None else self._bullet_model()
                if bullet_ppr is not None:
                    new.append(package.new_paragraph(bullet_ppr, body_rpr, content))
                else:
                    new.append(package.new_paragraph(body_ppr, body_rpr, "– " + content))
                shown.append("– " + content)
            elif kind in ("h2", "caption"):
                sub = self._sub_heading_model()
                new.append(package.new_paragraph(sub if sub is not None else body_ppr, body_rpr, content))
                shown.append(content)
            else:
                new.append(package.new_paragraph(body_ppr, body_rpr, content))
                shown.append(content)
        # Where: after the anchor article (or the article inserted just before), before it, or at the end.
        if position == "after" and anchor is not None:
            after = chained[0] if chained else package.top_level(anchor.last_content())
            for element in new:
                after.addnext(element)
                after = element
        elif position == "before" and anchor is not None:
            before = package.top_level(anchor.heading.element)
            if chained:
                after = chained[0]
                for element in new:
                    after.addnext(element)
                    after = element
            else:
                for element in new:
                    before.addprevious(element)
        else:
            after = chained[0] if chained else outline.last_body_element()
            if after is None:
                sect = package.body.find(w("sectPr"))
                for element in new:
                    if sect is not None:
                        sect.addprevious(element)
                    else:
                        package.body.append(element)
            else:
                for element in new:
                    after.addnext(element)
                    after = element
        self._chain[key] = (new[-1], number)

        fam = BY_ID[clause.family]
        anchor_text = anchor.heading.text if anchor is not None else None
        where = {
            "after": f"Placé après l'article « {anchor_text} » ({why}).",
            "before": f"Placé avant l'article « {anchor_text} » ({why}).",
            "end": "Placé à la fin du document (aucun article reconnu).",
        }[position]
        lines = [
            f"clauselint — {code} {rule} : clause manquante, {fam.label[:1].lower() + fam.label[1:]} "
            f"(exigée {self._context_phrase()}).",
            f"Article inséré : clause type « {clause.id} », version {clause.version}, de la bibliothèque "
            f"clauselint ({clause.origin}) — {clause.title}.",
            "Base légale : " + " ; ".join(clause.basis) + ".",
            where,
        ]
        close = self._close_heading.get(clause.family)
        if close:
            lines.append(f"L'article « {close} » porte déjà un intitulé de cette famille : vérifiez qu'il ne couvre pas "
                         "l'obligation avant d'accepter l'insertion (clauselint ne l'y a pas reconnue).")
        if number is not None:
            lines.append("Numéroté à la suite des articles existants, sans renuméroter les articles suivants.")
        elif automatic and position != "end" and (in_middle or position == "before"):
            lines.append("Numérotation automatique : les articles suivants sont renumérotés ; vérifiez les renvois "
                         "internes et mettez à jour la table des matières.")
        derogated = [d.article for d in clause.derogates]
        if derogated:
            articles = ", ".join(derogated)
            lines.append(f"Cette clause complète ou modifie le CCAG-TIC 2021 (article {articles}) : reportez-la dans "
                         "l'article du contrat qui récapitule les dérogations au CCAG.")
        lines.append("Modification suivie : acceptez-la ou refusez-la avec les outils de révision.")
        cid = package.comment(lines)
        package.anchor_comment(new[0], new[-1], cid, inserted=True)
        self.changes.append(Change(
            kind="insertion", family=clause.family, code=code, rule=rule, clauses=[(clause.id, clause.version)],
            action="insertion", anchor=anchor_text, position=position, heading=heading_text, text=shown,
        ))

    def _context_phrase(self) -> str:
        ctx = self.report.context
        parts = [f"en catégorie {ctx.category}" if ctx.category else "toutes catégories"]
        parts.append("marché agile" if ctx.agile else "marché non agile")
        parts.append("avec données personnelles" if ctx.personal_data else "sans données personnelles")
        return ", ".join(parts)

    # --- contradictions

    def _handle_contradiction(self, code: str, rule: str, status: "ClauseStatus") -> None:
        from clauselint.fix.contradiction import locate_sentences

        family = status.family
        clauses = self._clauses(family, code)
        if not clauses:
            return
        # The family's own clause when there is one (e.g. « data-destruction » rather than « personal-data »).
        clause = next((c for c in clauses if c.id == family), clauses[0])
        located = locate_sentences(self.package, self.document, status.evidence_text, status.evidence_location)
        if not located:
            self.skipped.append(Skipped(family, code, "phrase contradictoire introuvable dans le corps du document "
                                        "(note, en-tête ou zone de texte ?) : corrigez-la à la main"))
            return
        text = self.options.values.render(clause, self.report.context.category)
        from clauselint.library.render import paragraphs as clause_paragraphs

        proposal = clause_paragraphs(text)
        fam = BY_ID[family]
        sentence = " ".join(s.text for s in located)
        replace = self.options.replace_contradictions
        note = None
        runs_per_sentence = []
        if replace:
            for spot in located:
                runs = self.package.isolate(spot.paragraph, spot.start, spot.end)
                if runs is None:
                    runs_per_sentence = []
                    note = ("remplacement automatique impossible (la phrase contient un lien, un champ ou une "
                            "révision antérieure) : commentaire seul")
                    break
                runs_per_sentence.append(runs)
            replace = bool(runs_per_sentence)
        from clauselint.rules.registry import get_rule

        summary = get_rule(code).summary
        lines = [
            f"clauselint — {code} {rule} : clause contredite, {fam.label[:1].lower() + fam.label[1:]} "
            f"(exigée {self._context_phrase()}).",
            f"Cette phrase écarte ou renverse l'obligation. {summary}",
        ]
        if replace:
            lines.append(f"La phrase est supprimée et remplacée par la clause type « {clause.id} », version "
                         f"{clause.version} (modifications suivies).")
        else:
            lines.append(f"Rédaction proposée (clause type « {clause.id} », version {clause.version}) :")
            lines.extend(proposal)
        lines.append("Base légale : " + " ; ".join(clause.basis) + ".")
        if note:
            lines.append(f"Remarque : {note}.")
        cid = self.package.comment(lines)
        if replace:
            last_paragraph = located[-1].paragraph
            deletions = [self.package.delete_runs(runs) for runs in runs_per_sentence]
            ppr = paragraph_properties(last_paragraph)
            if ppr is not None and ppr.find(w("numPr")) is not None:
                ppr, _ = self._body_model(None)
            rpr = first_text_run_properties(last_paragraph)
            new = [self.package.new_paragraph(ppr, rpr, content) for content in proposal]
            after = last_paragraph
            for element in new:
                after.addnext(element)
                after = element
            self.package.anchor_comment_on_runs(deletions[0], deletions[-1], cid, end_paragraph=new[-1],
                                                inserted=True)
            action = "remplacement"
        else:
            first, last = located[0], located[-1]
            first_runs = self.package.isolate(first.paragraph, first.start, first.end)
            last_runs = self.package.isolate(last.paragraph, last.start, last.end) if last is not first else first_runs
            if first_runs and last_runs and first.paragraph is last.paragraph:
                self.package.anchor_comment_on_runs(first_runs[0], last_runs[-1], cid)
            else:
                self.package.anchor_comment(first.paragraph, last.paragraph, cid, inserted=False)
            action = "commentaire"
        self.changes.append(Change(
            kind="contradiction", family=family, code=code, rule=rule, clauses=[(clause.id, clause.version)],
            action=action, anchor=located[0].section, position="at", heading=None,
            text=proposal, sentence=sentence, note=note,
        ))


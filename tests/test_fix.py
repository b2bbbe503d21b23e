"""``clauselint fix``: tracked insertions and deletions, comments, placement and styles, read back at XML level.

Every fixed document is also checked the way a reviewer would use it: accepting every change
must leave a contract the linter finds complete, rejecting every change must give back the
original text exactly.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from docx import Document as open_docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from clauselint.library.families import BY_ID
from clauselint.library.render import paragraphs, render_clause

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "contracts"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))["contracts"]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def q(name: str) -> str:
    return f"{{{W}}}{name}"


# ---------------------------------------------------------------------------------------------
# Reading a .docx at XML level; accepting or rejecting every tracked change, as Word does.


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def document_xml(path: Path) -> etree._Element:
    return etree.fromstring(parts(path)["word/document.xml"])


def comments(path: Path) -> dict[str, str]:
    data = parts(path).get("word/comments.xml")
    if data is None:
        return {}
    root = etree.fromstring(data)
    return {c.get(q("id")): "\n".join("".join(t.text or "" for t in p.iter(q("t"))) for p in c.iter(q("p")))
            for c in root.iter(q("comment"))}


def paragraph_texts(root: etree._Element) -> list[str]:
    """The text of every paragraph of the body (tables included), in order."""
    out = []
    for p in root.find(q("body")).iter(q("p")):
        out.append("".join(t.text or "" for t in p.iter(q("t"))))
    return out


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for child in list(element):
        parent.insert(index, child)
        index += 1
    parent.remove(element)


def accept_all(root: etree._Element) -> etree._Element:
    root = etree.fromstring(etree.tostring(root))
    for deletion in list(root.iter(q("del"))):
        if deletion.getparent().tag == q("rPr"):
            raise AssertionError("a deleted paragraph mark: not produced by clauselint fix")
        deletion.getparent().remove(deletion)
    for mark in list(root.iter(q("ins"))):
        if mark.getparent().tag == q("rPr"):
            mark.getparent().remove(mark)
    for insertion in list(root.iter(q("ins"))):
        _unwrap(insertion)
    return root


def reject_all(root: etree._Element) -> etree._Element:
    root = etree.fromstring(etree.tostring(root))
    for insertion in list(root.iter(q("ins"))):
        if insertion.getparent().tag != q("rPr"):
            insertion.getparent().remove(insertion)
    for mark in list(root.iter(q("ins"))):
        p = mark.getparent().getparent().getparent()
        assert "".join(t.text or "" for t in p.iter(q("t"))) == "", "an inserted paragraph kept text"
        p.getparent().remove(p)
    for deletion in list(root.iter(q("del"))):
        for t in deletion.iter(q("delText")):
            t.tag = q("t")
        _unwrap(deletion)
    return root


def write_with_document(source: Path, root: etree._Element, target: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) \
                if name == "word/document.xml" else old.read(name)
            new.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def lint_findings(path: Path, category: int | None = None, agile: bool | None = None,
                  personal_data: bool | None = None) -> list:
    from clauselint.lint.findings import lint_codes
    from clauselint.lint.runner import LintOptions, lint_document, load_engine, read_document

    library, linter = load_engine(())
    options = LintOptions(selected=frozenset(lint_codes()), category=category, agile=agile, personal_data=personal_data)
    return lint_document(read_document(path, None), path.name, linter, library, options).findings


def inserted_headings(root: etree._Element) -> list[etree._Element]:
    """Inserted paragraphs that open an inserted article (their comment range starts there)."""
    return [p for p in root.iter(q("p"))
            if p.find(f"{q('pPr')}/{q('rPr')}/{q('ins')}") is not None and p.find(q("commentRangeStart")) is not None]


def heading_before(root: etree._Element, p: etree._Element, style: str = "Heading1") -> str:
    """The nearest earlier original (not inserted) heading's text."""
    previous = None
    for candidate in root.find(q("body")).iter(q("p")):
        if candidate is p:
            return previous
        ppr = candidate.find(q("pPr"))
        sid = ppr.find(q("pStyle")).get(q("val")) if ppr is not None and ppr.find(q("pStyle")) is not None else None
        inserted = ppr is not None and ppr.find(f"{q('rPr')}/{q('ins')}") is not None
        if sid == style and not inserted:
            previous = "".join(t.text or "" for t in candidate.iter(q("t")))
    raise AssertionError("paragraph not in the body")


def ppr_without_mark(p: etree._Element) -> bytes:
    ppr = etree.fromstring(etree.tostring(p.find(q("pPr"))))
    mark = ppr.find(q("rPr"))
    if mark is not None:
        ppr.remove(mark)
    return etree.tostring(ppr)


def assert_tracked_changes_well_formed(original: Path, fixed: Path) -> None:
    """Author, date and ids of every change; ids unique and unused in the original."""
    before = set(re.findall(rb'w:id="(\d+)"', b"".join(parts(original).values())))
    root = document_xml(fixed)
    ids = []
    for kind in ("ins", "del"):
        for change in root.iter(q(kind)):
            assert change.get(q("author")) == "clauselint"
            assert DATE_RE.match(change.get(q("date"))), change.get(q("date"))
            ids.append(change.get(q("id")))
    ids += [c for c in comments(fixed) if c not in comments(original)]
    assert len(ids) == len(set(ids)), "duplicate w:id"
    assert not {i.encode() for i in ids} & before, "a new w:id collides with an existing one"
    # Every comment range and reference points at a comment that exists.
    known = set(comments(fixed))
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        for mark in root.iter(q(tag)):
            assert mark.get(q("id")) in known
    kinds = parts(fixed)["[Content_Types].xml"].decode()
    assert 'PartName="/word/comments.xml"' in kinds
    assert "relationships/comments" in parts(fixed)["word/_rels/document.xml.rels"].decode()


def assert_other_parts_identical(original: Path, fixed: Path) -> None:
    old, new = parts(original), parts(fixed)
    changed = {"word/document.xml", "word/comments.xml", "[Content_Types].xml", "word/_rels/document.xml.rels"}
    for name, data in old.items():
        if name not in changed:
            assert new[name] == data, f"{name} changed"
    assert list(old)[: len(old)] == [n for n in new if n in old], "parts reordered"


# ---------------------------------------------------------------------------------------------
# A realistic CCAP built with python-docx: automatic article numbering (« Article %1 – ») through
# direct numPr on the headings; every required family stated (the library's own text, or a short
# article of our own where the library's text also mentions other families) except three.

CCAP_ARTICLES = [
    ("Objet du marché", ["Le présent marché a pour objet des prestations de tierce maintenance applicative des "
                         "applications de gestion (code 33.04.09 de la nomenclature des achats)."]),
    ("Pièces contractuelles", ["Les pièces contractuelles sont, par ordre de priorité décroissante : l'acte "
                               "d'engagement, le présent CCAP, le CCTP et le CCAG-TIC 2021."]),
    ("Durée", ["Le marché est conclu pour une durée de vingt-quatre mois à compter de sa notification."]),
    ("Pilotage de la prestation", "steering"),
    ("Prévention des conflits d'intérêts", "conflict-of-interest"),
    ("Confidentialité", ["Le titulaire est tenu au secret professionnel et à une obligation de confidentialité sur "
                         "toutes les informations et tous les documents dont il a connaissance à l'occasion du "
                         "marché.", "Il ne peut les communiquer à des tiers sans l'accord écrit de l'administration. "
                         "Cette obligation demeure pendant cinq ans après la fin du marché."]),
    ("Sécurité des systèmes d'information", "cybersecurity"),
    ("Propriété intellectuelle", "intellectual-property"),
    ("Évaluation de la prestation", ["La prestation fait l'objet d'une évaluation systématique par "
                                     "l'administration à l'issue de chaque bon de commande et au terme du marché, "
                                     "au moyen d'une fiche d'évaluation transmise au titulaire.",
                                     "Le titulaire peut présenter ses observations dans un délai de quinze jours."]),
    ("Prix et règlement", ["Les prestations sont réglées par virement dans un délai global de paiement de trente "
                           "jours.", "Les prix sont fermes pendant la première année."]),
    ("Résiliation", ["Les stipulations du chapitre 8 du CCAG-TIC 2021 s'appliquent."]),
    ("Règlement des litiges", ["Tout différend relève du tribunal administratif de Paris."]),
]
CCAP_MISSING = ("insignia", "consultant-mention", "data-destruction")


def build_ccap(path: Path, library, numbering: str = "auto") -> Path:
    """numbering: "auto" (Word numbers the headings) or "manual" (« Article 7 – » typed)."""
    doc = open_docx()
    doc.add_paragraph("Cahier des clauses administratives particulières", style="Title")
    num_id = None
    if numbering == "auto":
        root = doc.part.numbering_part.element
        root.insert(0, parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:multiLevelType w:val="singleLevel"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            '<w:lvlText w:val="Article %1 –"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'))
        root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
        num_id = 90
    for number, (title, body) in enumerate(CCAP_ARTICLES, start=1):
        heading = doc.add_paragraph(title if numbering == "auto" else f"Article {number} – {title}",
                                    style="Heading 1")
        if num_id is not None:
            num_pr = heading._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num_id
        texts = body if isinstance(body, list) else paragraphs(render_clause(library.get(body)))
        for text in texts:
            paragraph = doc.add_paragraph(text)
            paragraph.paragraph_format.first_line_indent = 0
    doc.save(path)
    return path


CONTEXT_OPTIONS = ("--categorie", "3", "--non-agile", "--sans-donnees-personnelles")


@pytest.fixture(scope="module")
def auto_ccap(tmp_path_factory, library):
    folder = tmp_path_factory.mktemp("auto")
    return build_ccap(folder / "ccap.docx", library, "auto")


@pytest.fixture(scope="module")
def auto_fixed(auto_ccap):
    from typer.testing import CliRunner

    from clauselint.cli.app import app

    output = auto_ccap.with_name("ccap.corrige.docx")
    result = CliRunner().invoke(app, ["fix", str(auto_ccap), "-o", str(output), *CONTEXT_OPTIONS, "--format", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return output, json.loads(result.stdout)


def test_auto_numbered_ccap_gets_the_three_missing_articles(auto_ccap, auto_fixed, library):
    output, report = auto_fixed
    assert report["written"] is True
    inserted = {c["family"] for c in report["changes"] if c["kind"] == "insertion"}
    assert inserted == set(CCAP_MISSING)
    root = document_xml(output)
    headings = inserted_headings(root)
    assert len(headings) == 3
    texts = {"".join(t.text for t in p.iter(q("t"))): p for p in headings}
    # Automatic numbering: the heading holds the clause's title only; Word numbers it.
    expected = {
        "data-destruction": ("Destruction systématique des données en fin de marché", "Confidentialité"),
        "consultant-mention": ("Mention de l'intervention des consultants sur les documents", "Propriété intellectuelle"),
        "insignia": ("Interdiction d'utiliser les signes distinctifs de l'administration", "Résiliation"),
    }
    original_headings = {("".join(t.text for t in p.iter(q("t")))): p for p in document_xml(auto_ccap).iter(q("p"))
                         if p.find(f"{q('pPr')}/{q('numPr')}") is not None}
    for family, (title, anchor) in expected.items():
        p = texts[title]
        assert heading_before(root, p) == anchor, family
        # Same paragraph properties as the article it follows: style and numbering (numPr) copied.
        assert ppr_without_mark(p) == ppr_without_mark(original_headings[anchor])
        num_pr = p.find(f"{q('pPr')}/{q('numPr')}")
        assert num_pr.find(q("numId")).get(q("val")) == "90"
        change = next(c for c in report["changes"] if c["family"] == family)
        assert change["heading"] == title and change["anchor"].endswith(anchor) and change["position"] == "after"
        clause = library.get(family)
        assert change["clauses"] == [{"id": family, "version": clause.version}]
        assert change["text"] == paragraphs(render_clause(clause))
    # The reader sees them as numbered articles in sequence.
    from clauselint.documents import read_document

    shown = [b.text for b in read_document(output).blocks if b.kind == "heading"]
    start = shown.index("Article 6 – Confidentialité")
    assert shown[start:start + 3] == ["Article 6 – Confidentialité",
                                      "Article 7 – Destruction systématique des données en fin de marché",
                                      "Article 8 – Sécurité des systèmes d'information"]
    assert shown[-1] == "Article 15 – Règlement des litiges"


def test_comments_cite_rule_clause_version_and_basis(auto_ccap, auto_fixed, library):
    output, _ = auto_fixed
    root = document_xml(output)
    found = comments(output)
    assert len(found) == 3
    for p in inserted_headings(root):
        cid = p.find(q("commentRangeStart")).get(q("id"))
        text = found[cid]
        title = "".join(t.text for t in p.iter(q("t")))
        family = next(f for f in CCAP_MISSING if library.get(f).title == title)
        clause, fam = library.get(family), BY_ID[family]
        assert text.startswith(f"clauselint — {fam.missing_code} missing-{family} : clause manquante, ")
        assert f"clause type « {family} », version {clause.version}" in text
        assert "Base légale : " + " ; ".join(clause.basis) + "." in text
        assert "exigée en catégorie 3, marché non agile, sans données personnelles" in text
        assert "les articles suivants sont renumérotés" in text
    # The comment range closes on the article's last inserted paragraph, with an inserted reference run.
    for ref in root.iter(q("commentReference")):
        assert ref.getparent().getparent().tag == q("ins")


def test_auto_fixed_changes_are_well_formed_and_other_parts_untouched(auto_ccap, auto_fixed):
    output, _ = auto_fixed
    assert_tracked_changes_well_formed(auto_ccap, output)
    assert_other_parts_identical(auto_ccap, output)
    # python-docx opens it, and sees the original paragraphs plus the inserted ones.
    assert len(open_docx(output).paragraphs) > len(open_docx(auto_ccap).paragraphs)


def test_accept_all_completes_the_contract_and_reject_all_restores_it(auto_ccap, auto_fixed, tmp_path):
    output, _ = auto_fixed
    root = document_xml(output)
    rejected = reject_all(root)
    assert paragraph_texts(rejected) == paragraph_texts(document_xml(auto_ccap))
    accepted = write_with_document(output, accept_all(root), tmp_path / "accepted.docx")
    missing = {f.family for f in lint_findings(accepted, 3, False, False) if f.code.startswith("C1")}
    assert not missing & set(CCAP_MISSING), missing


def test_manual_numbering_gets_bis_and_next_number(tmp_path, library, cli):
    source = build_ccap(tmp_path / "manuel.docx", library, "manual")
    output = tmp_path / "manuel.corrige.docx"
    result = cli("fix", source, "-o", output, *CONTEXT_OPTIONS, "--format", "json")
    assert result.exit_code == 0, result.output
    headings = {c["family"]: c["heading"] for c in json.loads(result.stdout)["changes"]}
    assert headings == {
        "consultant-mention": "Article 8 bis – Mention de l'intervention des consultants sur les documents",
        "insignia": "Article 11 bis – Interdiction d'utiliser les signes distinctifs de l'administration",
        "data-destruction": "Article 6 bis – Destruction systématique des données en fin de marché",
    }
    root = document_xml(output)
    for p in inserted_headings(root):
        # Same style as the other articles, no numbering property (the number is typed).
        assert p.find(f"{q('pPr')}/{q('pStyle')}").get(q("val")) == "Heading1"
        assert p.find(f"{q('pPr')}/{q('numPr')}") is None
    notes = "\n".join(comments(output).values())
    assert "sans renuméroter les articles suivants" in notes
    # The existing articles keep their numbers.
    texts = paragraph_texts(reject_all(root))
    assert "Article 12 – Règlement des litiges" in texts and "Article 7 – Sécurité des systèmes d'information" in texts


# ---------------------------------------------------------------------------------------------
# A DCE assembled by `clauselint assemble`, stripped of three families' articles (with their
# table-of-contents lines and derogation rows, as a drafter deleting them would leave).

STRIPPED_TITLES = (
    "Interdiction d'utiliser les signes distinctifs de l'administration",
    "Mention de l'intervention des consultants sur les documents",
    "Évaluation systématique de la prestation",
    "Pénalités pour manquement aux clauses types et pour défaut de qualité",
)
STRIPPED_FAMILIES = {"insignia", "consultant-mention", "evaluation"}


def strip_articles(source: Path, target: Path, titles: tuple[str, ...]) -> Path:
    doc = open_docx(source)
    body = doc.element.body
    removing = False
    for element in list(body.iterchildren()):
        text = "".join(t.text or "" for t in element.iter(qn("w:t")))
        if element.tag == qn("w:p"):
            style = element.find(f".//{qn('w:pStyle')}")
            style_id = style.get(qn("w:val")) if style is not None else ""
            if style_id == "Heading1":
                removing = text.strip() in titles
            elif style_id.startswith("TOC") and any(t in text for t in titles):
                body.remove(element)
                continue
        elif element.tag == qn("w:tbl"):
            for row in list(element.iter(qn("w:tr"))):
                if any(t in "".join(x.text or "" for x in row.iter(qn("w:t"))) for t in titles):
                    row.getparent().remove(row)
        if removing and element.tag != qn("w:sectPr"):
            body.remove(element)
    doc.save(target)
    return target


@pytest.fixture(scope="module")
def assembled(tmp_path_factory, library):
    from clauselint.assemble import assemble
    from clauselint.spec.example import example_spec

    folder = tmp_path_factory.mktemp("dce")
    data = yaml.safe_load(example_spec(3, "tender.yaml", "utilisation"))
    data["execution"]["agile"] = False
    data["execution"]["donnees_personnelles"] = False
    data["execution"].pop("unites_oeuvre", None)
    data["consultation"]["date"] = "2025-09-01"
    spec = folder / "tender.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assemble(spec, folder / "dce", library)
    stripped = strip_articles(folder / "dce" / "ccap.docx", folder / "ccap-incomplet.docx", STRIPPED_TITLES)
    return spec, stripped


def test_assembled_ccap_stripped_of_three_families(assembled, tmp_path, cli, library):
    spec, stripped = assembled
    output = tmp_path / "ccap.corrige.docx"
    before = sha256(stripped)
    result = cli("fix", stripped, "-o", output, "--spec", spec, "--set", "insignia.delai_mise_en_demeure_jours=8",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    assert sha256(stripped) == before
    report = json.loads(result.stdout)
    assert report["context"] == {"category": 3, "agile": False, "personal_data": False}
    inserted = [c for c in report["changes"] if c["kind"] == "insertion"]
    assert {c["family"] for c in inserted} == STRIPPED_FAMILIES
    # The evaluation family is two CCAP clauses: two articles.
    assert sorted(c["clauses"][0]["id"] for c in inserted) == ["consultant-mention", "evaluation", "insignia",
                                                               "penalties"]
    root = document_xml(output)
    original = document_xml(stripped)
    heading_ppr = {"".join(t.text or "" for t in p.iter(q("t"))): ppr_without_mark(p)
                   for p in original.iter(q("p")) if p.find(f"{q('pPr')}/{q('pStyle')}") is not None
                   and p.find(f"{q('pPr')}/{q('pStyle')}").get(q("val")) == "Heading1"}
    for p in inserted_headings(root):
        anchor = heading_before(root, p)
        assert ppr_without_mark(p) == heading_ppr[anchor]  # Heading1, numbered by the style
    # Rendered with the spec (the buyer) and --set (the formal notice deadline).
    insignia = next(c for c in inserted if c["family"] == "insignia")
    clause = library.get("insignia")
    from clauselint.fix import from_spec

    values = from_spec(spec, library)
    expected = paragraphs(render_clause(clause, {"delai_mise_en_demeure_jours": "8"}, values.context))
    assert insignia["text"] == expected
    assert any("ministère de l'Intérieur" in t for t in expected)
    assert_tracked_changes_well_formed(stripped, output)
    assert_other_parts_identical(stripped, output)
    assert paragraph_texts(reject_all(root)) == paragraph_texts(original)
    accepted = write_with_document(output, accept_all(root), tmp_path / "accepted.docx")
    missing = {f.family for f in lint_findings(accepted, 3, False, False) if f.code.startswith("C1")}
    assert not missing & STRIPPED_FAMILIES


# ---------------------------------------------------------------------------------------------
# The corpus contracts: fix inserts exactly what lint reports missing; accept and reject hold.

DOCX_CONTRACTS = [c for c in EXPECTED if c["file"].endswith(".docx")]


def _context_args(contract: dict) -> list[str]:
    args = ["--categorie", str(contract["category"])]
    args.append("--agile" if contract["agile"] else "--non-agile")
    args.append("--donnees-personnelles" if contract["personal_data"] else "--sans-donnees-personnelles")
    return args


@pytest.mark.parametrize("contract", DOCX_CONTRACTS, ids=[c["file"][5:30] for c in DOCX_CONTRACTS])
def test_corpus_contract(contract, tmp_path, cli):
    source = CORPUS / contract["file"]
    before = sha256(source)
    output = tmp_path / "corrige.docx"
    context = _context_args(contract)
    lint = cli("lint", source, *context, "--format", "json")
    report = json.loads(lint.stdout)["files"][0]
    missing = {f["family"] for f in report["findings"] if f["code"].startswith("C1") and f["severity"] == "error"}
    contradicted = {f["family"] for f in report["findings"] if f["code"].startswith("C2") and f["severity"] == "error"}
    result = cli("fix", source, "-o", output, *context, "--format", "json")
    assert result.exit_code == 0, result.output
    assert sha256(source) == before
    fixed = json.loads(result.stdout)
    assert {c["family"] for c in fixed["changes"] if c["kind"] == "insertion"} == missing
    handled = {c["family"] for c in fixed["changes"] if c["kind"] == "contradiction"}
    assert handled | {s["family"] for s in fixed["skipped"]} >= contradicted
    if not fixed["changes"]:
        assert not output.exists() and "Rien à corriger" in cli("fix", source, "-o", output, *context).stdout
        return
    original, root = document_xml(source), document_xml(output)
    assert_tracked_changes_well_formed(source, output)
    assert_other_parts_identical(source, output)
    assert paragraph_texts(reject_all(root)) == paragraph_texts(original)
    for p in inserted_headings(root):
        anchor_style = p.find(f"{q('pPr')}/{q('pStyle')}").get(q("val"))
        assert anchor_style == "Heading1"
    accepted = write_with_document(output, accept_all(root), tmp_path / "accepted.docx")
    still = {f.family for f in lint_findings(accepted, contract["category"], contract["agile"],
                                             contract["personal_data"]) if f.code.startswith("C1")}
    assert not still & missing, still & missing


def test_agriculture_data_destruction_goes_after_confidentiality(tmp_path, cli, library):
    source = CORPUS / "ccap-ministere-agriculture-strategie-numerique.docx"
    output = tmp_path / "agri.docx"
    result = cli("fix", source, "-o", output, "--categorie", "1", "--non-agile", "--sans-donnees-personnelles",
                 "--only", "data-destruction")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == (
        "  C107 missing-data-destruction : insère l'article « Article 6 bis – Destruction systématique des données "
        "en fin de marché » (clause data-destruction v1) après « Article 6 – Confidentialité »")
    root = document_xml(output)
    [p] = inserted_headings(root)
    assert heading_before(root, p) == "Article 6 – Confidentialité"
    following = [x for x in root.iter(q("p"))]
    index = following.index(p)
    body = following[index + 1: index + 1 + len(paragraphs(render_clause(library.get("data-destruction"))))]
    assert ["".join(t.text for t in x.iter(q("t"))) for x in body] == paragraphs(render_clause(library.get("data-destruction")))
    # Body paragraphs copy the contract's own body paragraph properties (justified text).
    assert all(x.find(f"{q('pPr')}/{q('jc')}").get(q("val")) == "both" for x in body)
    text = comments(output)[p.find(q("commentRangeStart")).get(q("id"))]
    assert "« Article 6 – Confidentialité »" in text
    assert "CCAG-TIC 2021 (article 42)" in text


# ---------------------------------------------------------------------------------------------
# Contradictions.

DGFIP = CORPUS / "ccap-dgfip-tma-applications-recouvrement.docx"
DGFIP_QUOTE = next(c for c in EXPECTED if c["file"] == DGFIP.name)["contradiction_quotes"]["conflict-of-interest"]
DGFIP_CONTEXT = ("--categorie", "3", "--non-agile", "--donnees-personnelles")


def test_contradiction_is_commented_not_rewritten(tmp_path, cli, library):
    output = tmp_path / "dgfip.docx"
    result = cli("fix", DGFIP, "-o", output, *DGFIP_CONTEXT, "--only", "C203")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith(
        "  C203 contradicted-conflict-of-interest : commente la phrase « Le titulaire n'a pas à fournir")
    root = document_xml(output)
    assert not list(root.iter(q("del"))) and not list(root.iter(q("ins")))
    [start] = list(root.iter(q("commentRangeStart")))
    # The range holds exactly the sentence (the runs were split at its boundaries).
    covered, node = [], start.getnext()
    while node.tag != q("commentRangeEnd"):
        covered.append("".join(t.text or "" for t in node.iter(q("t"))))
        node = node.getnext()
    assert "".join(covered).strip() == DGFIP_QUOTE
    [text] = comments(output).values()
    assert text.startswith("clauselint — C203 contradicted-conflict-of-interest : clause contredite")
    clause = library.get("conflict-of-interest")
    assert f"Rédaction proposée (clause type « conflict-of-interest », version {clause.version}) :" in text
    assert paragraphs(render_clause(clause))[0] in text
    assert paragraph_texts(root) == paragraph_texts(document_xml(DGFIP))


def test_replace_contradictions_deletes_exactly_the_sentence(tmp_path, cli, library):
    output = tmp_path / "dgfip.docx"
    result = cli("fix", DGFIP, "-o", output, *DGFIP_CONTEXT, "--only", "C203", "--replace-contradictions")
    assert result.exit_code == 0, result.output
    root = document_xml(output)
    [deletion] = list(root.iter(q("del")))
    deleted = "".join(t.text for t in deletion.iter(q("delText")))
    assert deleted.strip() == DGFIP_QUOTE
    assert deletion.get(q("author")) == "clauselint" and DATE_RE.match(deletion.get(q("date")))
    # The library's wording follows as inserted paragraphs.
    proposal = paragraphs(render_clause(library.get("conflict-of-interest")))
    accepted = paragraph_texts(accept_all(root))
    assert DGFIP_QUOTE not in " ".join(accepted)
    start = accepted.index(proposal[0])
    assert accepted[start:start + len(proposal)] == proposal
    assert paragraph_texts(reject_all(root)) == paragraph_texts(document_xml(DGFIP))
    assert_tracked_changes_well_formed(DGFIP, output)
    [text] = comments(output).values()
    assert "La phrase est supprimée et remplacée par la clause type « conflict-of-interest »" in text


def test_sentence_across_formatted_runs_is_split_at_its_boundaries(tmp_path):
    from clauselint.fix.docx_edit import DocxPackage, paragraph_text

    doc = open_docx()
    p = doc.add_paragraph("Préambule. Le titulaire ")
    p.add_run("peut conserver").bold = True
    p.add_run(" une copie des données. Fin du paragraphe.")
    source = tmp_path / "runs.docx"
    doc.save(source)
    package = DocxPackage.open(source)
    element = package.body_paragraphs()[0].element
    text = paragraph_text(element)
    start = text.index("Le titulaire")
    end = text.index("données.") + len("données.")
    runs = package.isolate(element, start, end)
    deletion = package.delete_runs(runs)
    assert "".join(t.text for t in deletion.iter(q("delText"))) == "Le titulaire peut conserver une copie des données."
    assert [r.find(q("rPr")) is not None for r in deletion.iter(q("r"))] == [False, True, False]
    assert paragraph_text(element) == "Préambule. Fin du paragraphe."
    out = tmp_path / "out.docx"
    out.write_bytes(package.save())
    assert paragraph_texts(reject_all(document_xml(out))) == paragraph_texts(document_xml(source))


# ---------------------------------------------------------------------------------------------
# Dry run, --only, inputs and outputs.

AGRI = CORPUS / "ccap-ministere-agriculture-strategie-numerique.docx"
AGRI_CONTEXT = ("--categorie", "1", "--non-agile", "--sans-donnees-personnelles")


def test_dry_run_text_and_json(tmp_path, cli, library):
    output = tmp_path / "x.docx"
    result = cli("fix", AGRI, "-o", output, *AGRI_CONTEXT, "--only", "C107", "--dry-run")
    assert result.exit_code == 0, result.output
    assert not output.exists()
    lines = result.stdout.splitlines()
    assert lines[0] == f"{AGRI} — catégorie 1, non agile, sans données personnelles"
    assert lines[1] == ("  C107 missing-data-destruction : insérerait l'article « Article 6 bis – Destruction "
                        "systématique des données en fin de marché » (clause data-destruction v1) après « Article 6 – "
                        "Confidentialité »")
    text = paragraphs(render_clause(library.get("data-destruction")))
    assert lines[2:2 + len(text)] == [f"      | {t}" for t in text]
    assert lines[-1] == "Simulation : 1 modification suivie ; aucun fichier écrit."
    data = json.loads(cli("fix", AGRI, *AGRI_CONTEXT, "--only", "C107", "--dry-run", "--format", "json").stdout)
    assert data["dry_run"] is True and data["written"] is False and data["output"] is None
    assert data["changes"] == [{
        "kind": "insertion", "family": "data-destruction", "code": "C107", "rule": "missing-data-destruction",
        "action": "insertion", "clauses": [{"id": "data-destruction", "version": 1}],
        "anchor": "Article 6 – Confidentialité", "position": "after",
        "heading": "Article 6 bis – Destruction systématique des données en fin de marché",
        "text": text, "sentence": None, "note": None,
    }]


def test_only_limits_the_changes(tmp_path, cli):
    source = CORPUS / "ccap-commune-saint-aubin-site-internet.docx"
    args = ("--categorie", "3", "--non-agile", "--sans-donnees-personnelles", "--dry-run", "--format", "json")
    everything = json.loads(cli("fix", source, *args).stdout)["changes"]
    assert len({c["code"] for c in everything}) > 2
    chosen = {c["code"] for c in everything}
    first, second = sorted(chosen)[:2]
    family = BY_ID[next(c["family"] for c in everything if c["code"] == second)].id
    only = json.loads(cli("fix", source, *args, "--only", f"{first},{family}").stdout)["changes"]
    assert {c["code"] for c in only} == {first, second}
    bad = cli("fix", source, *args, "--only", "C301")
    assert bad.exit_code == 2
    assert "aucune règle corrigeable" in bad.stderr


def test_refuses_to_overwrite_and_never_touches_the_input(tmp_path, cli):
    output = tmp_path / "corrige.docx"
    output.write_bytes(b"previous")
    before = sha256(AGRI)
    result = cli("fix", AGRI, "-o", output, *AGRI_CONTEXT)
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"clauselint: erreur : {output}: le fichier existe déjà ; relancez avec --force "
                                     "pour le remplacer, ou choisissez un autre nom avec -o")
    assert output.read_bytes() == b"previous"
    result = cli("fix", AGRI, "-o", output, *AGRI_CONTEXT, "--force")
    assert result.exit_code == 0 and zipfile.is_zipfile(output)
    same = cli("fix", AGRI, "-o", AGRI, *AGRI_CONTEXT, "--force")
    assert same.exit_code == 2 and "ne modifie jamais" in same.stderr
    assert sha256(AGRI) == before


def test_pdf_and_other_inputs_are_refused_with_a_french_message(tmp_path, cli):
    pdf = CORPUS / "ccap-cpap-tierce-recette-applicative.pdf"
    result = cli("fix", pdf, "-o", tmp_path / "x.docx")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"clauselint: erreur : {pdf}: un PDF ne se corrige pas en modifications suivies : clauselint fix travaille sur "
        "un document Word (.docx) ; demandez la version .docx du contrat (ou .odt), ou vérifiez le PDF avec "
        "« clauselint lint »")
    text = tmp_path / "contrat.txt"
    text.write_text("Article 1 – Objet", encoding="utf-8")
    assert "enregistrez le contrat au format Word (.docx)" in cli("fix", text, "-o", tmp_path / "y.docx").stderr
    missing = cli("fix", tmp_path / "absent.docx", "-o", tmp_path / "z.docx")
    assert missing.exit_code == 2 and "fichier introuvable" in missing.stderr
    no_output = cli("fix", AGRI)
    assert no_output.exit_code == 2 and "indiquez le fichier corrigé avec -o" in no_output.stderr
    wrong = cli("fix", AGRI, "-o", tmp_path / "x.pdf")
    assert wrong.exit_code == 2 and "l'extension .docx" in wrong.stderr
    bad_set = cli("fix", AGRI, "--dry-run", "--set", "inconnue=3")
    assert bad_set.exit_code == 2 and "aucune clause n'a de variable « inconnue »" in bad_set.stderr
    bad_value = cli("fix", AGRI, "--dry-run", "--set", "delai_jours=beaucoup")
    assert bad_value.exit_code == 2 and "n'est pas un nombre entier" in bad_value.stderr


def test_set_values_reach_the_inserted_text(cli):
    result = cli("fix", AGRI, *AGRI_CONTEXT, "--only", "C107", "--dry-run", "--format", "json",
                 "--set", "delai_jours=15", "--set", "data-destruction.delai_sauvegardes_jours=60")
    [change] = json.loads(result.stdout)["changes"]
    joined = " ".join(change["text"])
    assert "dans un délai de 15 jours" in joined and "ne peut excéder 60 jours" in joined


def test_odt_is_converted_when_libreoffice_is_there(tmp_path, cli):
    import shutil

    source = CORPUS / "ccap-ministere-culture-accompagnement-agile.odt"
    output = tmp_path / "culture.docx"
    if shutil.which("soffice") is None:
        result = cli("fix", source, "-o", output)
        assert result.exit_code == 2 and "Enregistrer sous" in result.stderr
        return
    contract = next(c for c in EXPECTED if c["file"] == source.name)
    result = cli("fix", source, "-o", output, *_context_args(contract))
    assert result.exit_code == 0, result.output
    assert "(.odt converti en .docx par LibreOffice : le fichier corrigé est un .docx)" in result.stdout
    if "Rien à corriger" not in result.stdout:
        assert zipfile.is_zipfile(output)
        assert paragraph_texts(reject_all(document_xml(output)))  # a Word document with the original text


def test_existing_bis_article_is_followed_by_ter(tmp_path, cli):
    doc = open_docx()
    articles = [("Article 1 – Objet", "Le marché porte sur des prestations de conseil (code 33.04.09)."),
                ("Article 2 – Confidentialité", "Le titulaire est tenu au secret professionnel sur toutes les "
                 "informations dont il a connaissance à l'occasion du marché."),
                ("Article 2 bis – Sécurité", "Le titulaire respecte la politique de sécurité de l'administration."),
                ("Article 3 – Litiges", "Tout différend relève du tribunal administratif compétent.")]
    for heading, text in articles:
        doc.add_paragraph(heading, style="Heading 1")
        doc.add_paragraph(text)
    source = tmp_path / "bis.docx"
    doc.save(source)
    output = tmp_path / "bis.corrige.docx"
    result = cli("fix", source, "-o", output, *CONTEXT_OPTIONS, "--only", "data-destruction", "--format", "json")
    assert result.exit_code == 0, result.output
    [change] = json.loads(result.stdout)["changes"]
    assert change["heading"] == "Article 2 ter – Destruction systématique des données en fin de marché"
    assert change["anchor"] == "Article 2 bis – Sécurité"
    root = document_xml(output)
    [p] = inserted_headings(root)
    assert heading_before(root, p) == "Article 2 bis – Sécurité"


def test_document_without_articles_gets_the_clause_at_its_end(tmp_path, cli, library):
    doc = open_docx()
    doc.add_paragraph("Le marché porte sur des prestations de conseil en stratégie numérique (code 33.04.01).")
    doc.add_paragraph("Le titulaire remet un rapport final au terme de la mission.")
    source = tmp_path / "plat.docx"
    doc.save(source)
    output = tmp_path / "plat.corrige.docx"
    result = cli("fix", source, "-o", output, *CONTEXT_OPTIONS, "--only", "C107", "--format", "json")
    assert result.exit_code == 0, result.output
    [change] = json.loads(result.stdout)["changes"]
    assert change["position"] == "end" and change["anchor"] is None
    texts = paragraph_texts(accept_all(document_xml(output)))
    clause = paragraphs(render_clause(library.get("data-destruction")))
    assert texts[:2] == paragraph_texts(document_xml(source))[:2]
    assert texts[2:] == ["Destruction systématique des données en fin de marché", *clause]


def test_the_contracts_category_reaches_the_clause_text(tmp_path, cli):
    doc = open_docx()
    doc.add_paragraph("Article 1 – Objet", style="Heading 1")
    doc.add_paragraph("Le marché porte sur la maintenance applicative des applications de gestion.")
    source = tmp_path / "pilotage.docx"
    doc.save(source)
    sentence = "Les prestations sont pilotées et encadrées sous la responsabilité du directeur du numérique du ministère."
    texts = {}
    for category in ("2", "3"):
        result = cli("fix", source, "--dry-run", "--format", "json", "--only", "steering", "--categorie", category,
                     "--non-agile", "--sans-donnees-personnelles")
        [change] = json.loads(result.stdout)["changes"]
        texts[category] = " ".join(change["text"])
    assert sentence in texts["3"] and sentence not in texts["2"]

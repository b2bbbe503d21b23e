"""``clauselint assemble``: real Word documents, built from the spec and read back with python-docx."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from docx import Document as open_docx
from docx.oxml.ns import qn

from clauselint import french
from clauselint.assemble.layout import TODO_PREFIX
from clauselint.assemble.documents import clause_blocks
from clauselint.library.render import applicable_derogations, render_clause
from clauselint.spec.example import example_spec

BUYER = "Ministère de l'Intérieur et des Outre-mer"


# ---------------------------------------------------------------------------------------------
# Helpers: a spec for a combination, and the text of a Word file as a reader sees it.

def write_spec(path: Path, category: int, agile: bool, personal_data: bool, **changes) -> dict:
    data = yaml.safe_load(example_spec(category, path.name, "utilisation"))
    execution = data["execution"]
    execution["agile"] = agile
    execution["donnees_personnelles"] = personal_data
    if agile:
        execution["unites_oeuvre"] = [
            {"code": "UO1", "libelle": "Sprint de deux semaines d'une équipe"},
            {"code": "UO2", "libelle": "Atelier de cadrage", "description": "Une journée d'atelier"},
        ]
    else:
        execution.pop("unites_oeuvre", None)
    data["consultation"]["date"] = "2025-09-01"
    for dotted, value in changes.items():
        section, key = dotted.split("__")
        data[section][key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return data


def body_paragraphs(doc):
    """Every paragraph of the body in reading order, table cells included."""
    body = doc.element.body
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out = []
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            out.append(Paragraph(child, doc))
        elif child.tag == qn("w:tbl"):
            for row in Table(child, doc).rows:
                for cell in row.cells:
                    out.extend(cell.paragraphs)
    return out


def full_text(path: Path) -> str:
    doc = open_docx(path)
    parts = [p.text for p in body_paragraphs(doc)]
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            parts += [p.text for p in part.paragraphs]
    return "\n".join(parts)


def headings(path: Path, level: int = 1) -> list[str]:
    doc = open_docx(path)
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def tables(path: Path) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in open_docx(path).tables]


# ---------------------------------------------------------------------------------------------
# The package for each category and each value of the conditions.

COMBINATIONS = [
    (1, False, False),
    (1, True, True),
    (2, False, True),
    (2, True, False),
    (3, True, True),
    (3, False, False),
]


@pytest.fixture(scope="module")
def library():
    from clauselint.library import load_library

    return load_library()


@pytest.fixture(scope="module", params=COMBINATIONS, ids=lambda c: f"cat{c[0]}-{'agile' if c[1] else 'forfait'}-{'dcp' if c[2] else 'sans-dcp'}")
def package(request, tmp_path_factory):
    from typer.testing import CliRunner

    from clauselint.cli.app import app

    category, agile, personal_data = request.param
    folder = tmp_path_factory.mktemp(f"cat{category}")
    spec = folder / "tender.yaml"
    data = write_spec(spec, category, agile, personal_data)
    out = folder / "dossier"
    result = CliRunner().invoke(app, ["assemble", str(spec), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {"category": category, "agile": agile, "personal_data": personal_data, "spec": spec, "data": data,
            "out": out, "stdout": result.stdout}


def docx_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.docx"))


def test_package_files(package, library):
    out = package["out"]
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    annexes = library.select(package["category"], _conditions(package), document="annex")
    assert {"rc.docx", "ccap.docx", "cctp.docx", "ae.docx", "interne/note-de-conformite.docx", "manifest.json"} <= names
    assert len([n for n in names if n.startswith("annexe-")]) == len(annexes)
    for number, clause in enumerate(annexes, start=1):
        (path,) = out.glob(f"annexe-{number}-*.docx")
        assert clause.title in full_text(path)
    # Nothing else (no staging folder left behind).
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".dossier")]


def _conditions(package) -> dict[str, bool]:
    return {"agile": package["agile"], "personal_data": package["personal_data"], "pro_bono": False}


def test_selected_clauses_present_and_others_absent(package, library):
    out, category, conditions = package["out"], package["category"], _conditions(package)
    ccap_headings = headings(out / "ccap.docx")
    cctp_headings = headings(out / "cctp.docx")
    for clause in library.select(category, conditions, document="ccap"):
        assert clause.title in ccap_headings
    for clause in library.select(category, conditions, document="cctp"):
        assert clause.title in cctp_headings
    selected = {c.id for d in ("ccap", "cctp", "rc", "ae", "annex") for c in library.select(category, conditions, document=d)}
    excluded = [c for c in library if c.id not in selected]
    assert excluded, "every combination leaves some clause out (category- or condition-specific)"
    dce_paragraphs = {line.strip() for p in docx_files(out) if "interne" not in p.parts for line in full_text(p).split("\n")}
    context = {"acheteur": "le ministère", "objet": "x", "reference": "x", "categorie": category, "direction": "x",
               "signataire": "x"}
    for clause in excluded:
        assert clause.title not in dce_paragraphs
        assert not any(line.endswith(f"– {clause.title}") for line in dce_paragraphs)  # TOC entries
        # Its text is not there either (clauses of one family may share a paragraph, not all of them).
        own = {**context, "categorie": clause.applies.categories[0]}
        blocks = [text for _kind, text in clause_blocks(render_clause(clause, None, own))]
        assert not all(block in dce_paragraphs for block in blocks), clause.id
    # The agile section of the CCTP follows the spec.
    agile_clauses = [c for c in library if c.applies.when.get("agile") is True and "cctp" in c.applies.documents]
    for clause in agile_clauses:
        assert (clause.title in cctp_headings) is package["agile"]
    assert ("Unités d'œuvre" in cctp_headings) is package["agile"]


def test_headings_are_numbered_word_headings(package):
    out = package["out"]
    doc = open_docx(out / "ccap.docx")
    articles = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert len(articles) > 10
    assert articles[0].text == "Objet et forme du marché"
    for paragraph in articles:
        num_pr = paragraph._p.pPr.numPr
        assert num_pr is not None and num_pr.numId.val == 1 and num_pr.ilvl.val == 0
    # The style itself carries the numbering, so a heading added by hand is numbered too.
    style_num = doc.styles["Heading 1"].element.pPr.numPr
    assert style_num is not None and style_num.numId.val == 1
    numbering = doc.part.numbering_part.element
    level0 = numbering.xpath('./w:abstractNum[@w:abstractNumId="0"]/w:lvl[@w:ilvl="0"]')[0]
    assert level0.find(qn("w:lvlText")).get(qn("w:val")) == "Article %1 –"
    assert level0.find(qn("w:pStyle")).get(qn("w:val")) == "Heading1"
    # No typed numbers: the heading text is the title only.
    assert not any(p.text.startswith("Article ") for p in articles)
    sections = [p for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert [p.text for p in sections[:3]] == ["Objet", "Forme", "Allotissement"]
    assert all(p._p.pPr.numPr.ilvl.val == 1 for p in sections)


def test_derogation_article_lists_exactly_the_selected_derogations(package, library):
    out, category = package["out"], package["category"]
    ccap = out / "ccap.docx"
    assert headings(ccap)[-1] == "Dérogations au CCAG-TIC"
    numbers = {title: i for i, title in enumerate(headings(ccap), start=1)}
    from clauselint.assemble.documents import ccag_article_label

    expected = set()
    context = {"acheteur": "x", "objet": "x", "reference": "x", "categorie": category, "direction": "x", "signataire": "x"}
    overrides = {"intellectual-property": {"option": "utilisation"}}
    for clause in library.select(category, _conditions(package), document="ccap"):
        for d in applicable_derogations(clause, overrides.get(clause.id), context):
            expected.add((ccag_article_label(d.article), f"Article {numbers[clause.title]} – {clause.title}", d.reason))
    last = tables(ccap)[-1]
    assert last[0] == ["Article du CCAG-TIC", "Article du CCAP", "Objet de la dérogation"]
    assert {tuple(row) for row in last[1:]} == expected
    assert len(last) - 1 == len(expected)


def test_no_template_code_left_and_same_facts_everywhere(package):
    out, data = package["out"], package["data"]
    objet = data["consultation"]["objet"]
    reference = data["consultation"]["reference"]
    months = data["marche"]["duree_mois"]
    for path in docx_files(out):
        text = full_text(path)
        assert "{{" not in text and "{%" not in text and "}}" not in text, path.name
        assert objet in text, path.name
        assert reference in text, path.name
        if path.name.startswith(("rc", "ccap", "cctp", "ae", "note")):
            assert f"{months} mois à compter de la date de notification" in text, path.name


def test_headers_footers_toc_and_page_numbers(package):
    out, reference = package["out"], package["data"]["consultation"]["reference"]
    for path in docx_files(out):
        doc = open_docx(path)
        section = doc.sections[0]
        header = "\n".join(p.text for p in section.header.paragraphs)
        footer_xml = section.footer._element.xml
        assert BUYER in header and "Direction du numérique (DNUM)" in header
        assert f"Consultation réf. {reference}" in "\n".join(p.text for p in section.footer.paragraphs)
        assert 'w:instr=" PAGE "' in footer_xml and 'w:instr=" NUMPAGES "' in footer_xml
        with zipfile.ZipFile(path) as package_zip:
            settings = package_zip.read("word/settings.xml").decode()
            document = package_zip.read("word/document.xml").decode()
        assert '<w:updateFields w:val="true"/>' in settings
        has_toc = path.stem in ("rc", "ccap", "cctp", "note-de-conformite")
        assert ('TOC \\o "1-2"' in document) is has_toc, path.name
    toc = [p.text for p in open_docx(out / "ccap.docx").paragraphs if p.style.name == "toc 1" and p.text]
    assert toc[0] == "Article 1 – Objet et forme du marché"


def test_french_amounts_and_highlighted_markers(package):
    out, data = package["out"], package["data"]
    ccap = full_text(out / "ccap.docx")
    assert f"est de {french.amount(data['marche']['montant_estime_ht'])} sur sa durée totale" in ccap
    assert "\u00a0€ HT" in ccap
    assert "Dossier établi le 1er septembre 2025." in ccap
    doc = open_docx(out / "cctp.docx")
    marked = [r for p in doc.paragraphs for r in p.runs if r.text.startswith(TODO_PREFIX)]
    assert marked and all(r.font.highlight_color is not None for r in marked)


def test_manifest_matches_the_files(package, library):
    out = package["out"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["spec"]["sha256"] == hashlib.sha256(package["spec"].read_bytes()).hexdigest()
    assert manifest["category"] == package["category"]
    from clauselint import __version__

    assert manifest["clauselint"] == __version__
    listed = {f["path"] for f in manifest["files"]}
    assert listed == {p.relative_to(out).as_posix() for p in docx_files(out)}
    for entry in manifest["files"]:
        assert entry["sha256"] == hashlib.sha256((out / entry["path"]).read_bytes()).hexdigest()
    ccap = next(f for f in manifest["files"] if f["path"] == "ccap.docx")
    expected = [(c.id, c.version) for c in library.select(package["category"], _conditions(package), document="ccap")]
    assert sorted((c["id"], c["version"]) for c in ccap["clauses"]) == sorted(expected)


def test_note_reports_category_regime_and_clauses(package, library):
    text = full_text(package["out"] / "interne" / "note-de-conformite.docx")
    assert "Document interne à l'acheteur – ne pas joindre au dossier de consultation" in text
    from clauselint.policy import CATEGORY_LABELS

    assert CATEGORY_LABELS[package["category"]] in text
    for clause in library.select(package["category"], _conditions(package)):
        assert clause.id in text and clause.basis[0] in text
    if package["category"] == 1:
        # The example's project: above 9 M€ and 65 % outsourced; the threshold is set in the spec.
        for code in ("T401", "T402", "T406", "T408"):
            assert code in text


def test_template_variables_are_all_provided(library, tmp_path):
    from docxtpl import DocxTemplate

    from clauselint.assemble import build_documents
    from clauselint.assemble.docx_out import template_context, template_environment
    from clauselint.paths import builtin_templates_dir
    from clauselint.spec import load_spec

    spec = tmp_path / "tender.yaml"
    write_spec(spec, 3, True, True)
    plan, documents = build_documents(load_spec(spec, library), library)
    templates = {d.template: d for d in documents}
    assert set(templates) == {p.stem for p in builtin_templates_dir().glob("*.docx")}
    for name, doc in templates.items():
        template = DocxTemplate(builtin_templates_dir() / f"{name}.docx")
        context = template_context(doc, plan.facts)
        assert template.get_undeclared_template_variables(jinja_env=template_environment(), context=context) == set(), name
        # And nothing provided is left unused (the short documents have no table of contents).
        unused = {"toc"} if name in ("ae", "annexe") else set()
        assert template.get_undeclared_template_variables(jinja_env=template_environment()) == set(context) - unused


def test_spec_values_are_data_not_template_code(cli, tmp_path):
    spec = tmp_path / "tender.yaml"
    hostile = "Refonte {{ 7*7 }} {% if true %}oui{% endif %} <b>&amp;</b> \"x\""
    write_spec(spec, 2, False, True, consultation__objet=hostile, acheteur__direction="Direction {{ config }}")
    result = cli("assemble", spec, "-o", tmp_path / "dossier")
    assert result.exit_code == 0, result.output
    for path in docx_files(tmp_path / "dossier"):
        text = full_text(path)
        assert hostile in text, path.name
        assert "49" not in text.replace(hostile, "")
    assert "Direction {{ config }}" in full_text(tmp_path / "dossier" / "ccap.docx")
    result = cli("assemble", spec, "-o", tmp_path / "apercu", "--format", "md")
    assert result.exit_code == 0
    markdown = (tmp_path / "apercu" / "ccap.md").read_text(encoding="utf-8")
    assert "Refonte {{ 7*7 }} {% if true %}oui{% endif %} &lt;b>&amp;amp;&lt;/b> \"x\"" in markdown


def test_output_folder_is_not_replaced_without_force(cli, tmp_path):
    spec = tmp_path / "tender.yaml"
    write_spec(spec, 1, False, False)
    out = tmp_path / "dossier"
    out.mkdir()
    (out / "mon-fichier.txt").write_text("à garder", encoding="utf-8")
    result = cli("assemble", spec, "-o", out)
    assert result.exit_code == 2
    assert result.stderr == (
        f"clauselint: erreur : {out}: le dossier existe et n'est pas vide ; relancez avec --force pour le "
        "remplacer, ou choisissez un autre dossier avec -o\n"
    )
    assert [p.name for p in out.iterdir()] == ["mon-fichier.txt"]
    result = cli("assemble", spec, "-o", out, "--force")
    assert result.exit_code == 0, result.output
    assert not (out / "mon-fichier.txt").exists() and (out / "ccap.docx").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dossier", "tender.yaml"]
    # A failing run leaves the previous package untouched and no staging folder behind.
    before = (out / "manifest.json").read_bytes()
    spec.write_text(spec.read_text(encoding="utf-8").replace("duree_mois: 12", "duree_mois: douze"), encoding="utf-8")
    assert cli("assemble", spec, "-o", out, "--force").exit_code == 2
    assert (out / "manifest.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dossier", "tender.yaml"]


def test_output_into_an_existing_empty_folder_and_a_file(cli, tmp_path):
    spec = tmp_path / "tender.yaml"
    write_spec(spec, 1, False, False)
    (tmp_path / "vide").mkdir()
    assert cli("assemble", spec, "-o", tmp_path / "vide").exit_code == 0
    (tmp_path / "fichier").write_text("x")
    result = cli("assemble", spec, "-o", tmp_path / "fichier", "--force")
    assert result.exit_code == 2
    assert "existe et n'est pas un dossier" in result.stderr


def test_output_paths_cannot_escape(tmp_path):
    from clauselint.assemble.package import safe_child
    from clauselint.errors import ClauselintError

    assert safe_child(tmp_path, "interne/note.docx") == (tmp_path / "interne" / "note.docx").resolve()
    for bad in ("../evil.docx", "/etc/passwd", "interne/../../x", ""):
        with pytest.raises(ClauselintError):
            safe_child(tmp_path, bad)


def test_markdown_previews(cli, tmp_path):
    spec = tmp_path / "tender.yaml"
    write_spec(spec, 3, True, True)
    out = tmp_path / "apercu"
    result = cli("assemble", spec, "-o", out, "--format", "md")
    assert result.exit_code == 0, result.output
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert "ccap.md" in names and "interne/note-de-conformite.md" in names and "manifest.json" in names
    assert not [n for n in names if n.endswith(".docx")]
    ccap = (out / "ccap.md").read_text(encoding="utf-8")
    assert ccap.startswith("# Cahier des clauses administratives particulières\n")
    assert "## Article 1 – Objet et forme du marché\n" in ccap
    assert "### 1.1 Objet\n" in ccap
    assert "**[À COMPLÉTER PAR L'ACHETEUR : motifs de l'absence d'allotissement]**" in ccap
    assert "| Article du CCAG-TIC | Article du CCAP | Objet de la dérogation |" in ccap
    cctp = (out / "cctp.md").read_text(encoding="utf-8")
    assert "## 4. Organisation de l'exécution agile (CCTP)" in cctp
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "md"
    assert all(f["sha256"] == hashlib.sha256((out / f["path"]).read_bytes()).hexdigest() for f in manifest["files"])


def test_pdf_without_libreoffice_says_how_to_install_it(cli, tmp_path, monkeypatch):
    spec = tmp_path / "tender.yaml"
    write_spec(spec, 1, False, False)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = cli("assemble", spec, "-o", tmp_path / "dossier", "--pdf")
    assert result.exit_code == 2
    assert result.stderr == (
        "clauselint: erreur : LibreOffice (commande « soffice ») introuvable dans le PATH : la conversion en PDF "
        "en a besoin ; installez-le (Debian, Ubuntu : « apt-get install libreoffice-writer-nogui ») puis "
        "relancez, ou retirez --pdf\n"
    )
    assert not (tmp_path / "dossier").exists()
    result = cli("assemble", spec, "-o", tmp_path / "dossier", "--pdf", "--format", "md")
    assert result.exit_code == 2
    assert "--pdf convertit les documents Word" in result.stderr


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) absent : apt-get install libreoffice-writer-nogui")
def test_pdf_shows_the_automatic_article_numbers(cli, tmp_path):
    from pypdf import PdfReader

    spec = tmp_path / "tender.yaml"
    write_spec(spec, 3, True, True)
    out = tmp_path / "dossier"
    result = cli("assemble", spec, "-o", out, "--pdf")
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    pdfs = {f["path"]: f for f in manifest["files"] if f["path"].endswith(".pdf")}
    assert set(pdfs) == {p.relative_to(out).with_suffix(".pdf").as_posix() for p in docx_files(out)}
    for path, entry in pdfs.items():
        assert entry["sha256"] == hashlib.sha256((out / path).read_bytes()).hexdigest()
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(out / "ccap.pdf").pages]
    # The body page where article 1 starts shows the number LibreOffice computed from numbering.xml
    # (the text itself carries no number).
    body = next(p for p in pages if "Le présent cahier des clauses administratives particulières (CCAP)" in p)
    assert "Article 1 – Objet et forme du marché" in body
    assert "1.1 Objet" in body
    last = len(headings(out / "ccap.docx"))
    assert any(f"Article {last} – Dérogations au CCAG-TIC" in p for p in pages if "Sommaire" not in p)
    # The TOC was rebuilt before the export: its entries end with page numbers.
    toc_page = next(p for p in pages if "Sommaire" in p)
    assert re.search(r"Article 1 – Objet et forme du marché[ .…]*\d+", toc_page), toc_page[:300]


def test_pro_bono_mission(cli, tmp_path, library):
    spec = tmp_path / "tender.yaml"
    write_spec(spec, 2, False, False, marche__pro_bono=True, marche__montant_estime_ht=0)
    out = tmp_path / "dossier"
    result = cli("assemble", spec, "-o", out)
    assert result.exit_code == 0, result.output
    pro_bono = [c for c in library if c.applies.when.get("pro_bono") is True and "ccap" in c.applies.documents]
    assert pro_bono
    ccap_headings = headings(out / "ccap.docx")
    for clause in pro_bono:
        assert clause.title in ccap_headings
    ccap = full_text(out / "ccap.docx")
    assert "La mission est effectuée à titre gracieux : elle ne donne lieu à aucun prix" in ccap
    assert "La mission est effectuée à titre gracieux : aucun prix n'est dû." in full_text(out / "ae.docx")
    assert "DPGF" not in full_text(out / "rc.docx") and "DPGF" not in ccap  # no price schedule to ask for
    note = full_text(out / "interne" / "note-de-conformite.docx")
    assert "T404" in note and "secrétaire général" in note
    assert "T405" not in note  # no counterpart: the amount is 0
    assert "info T404" in result.stdout or "attention T404" in result.stdout


def test_lots_show_in_every_main_document(cli, tmp_path):
    spec = tmp_path / "tender.yaml"
    lots = [
        {"numero": 1, "intitule": "Portail des usagers", "montant_estime_ht": 1_500_000},
        {"numero": 2, "intitule": "Outils des agents", "montant_estime_ht": 900_000},
    ]
    write_spec(spec, 3, True, True, marche__lots=lots)
    out = tmp_path / "dossier"
    assert cli("assemble", spec, "-o", out).exit_code == 0
    ccap = full_text(out / "ccap.docx")
    assert "L'accord-cadre est décomposé en 2 lots :" in ccap
    assert f"lot n° 1 : Portail des usagers (montant estimé : {french.amount(1_500_000)}) ;" in ccap
    assert "lot 1 : Portail des usagers; lot 2 : Outils des agents" not in ccap
    assert "lot 1 : Portail des usagers ; lot 2 : Outils des agents" in full_text(out / "rc.docx")
    assert "Lot(s) pour le(s)quel(s) le candidat s'engage" in full_text(out / "ae.docx")
    # Lots that do not add up to the estimate are refused, on the line of « lots ».
    lots[1]["montant_estime_ht"] = 800_000
    write_spec(spec, 3, True, True, marche__lots=lots)
    result = cli("assemble", spec, "-o", tmp_path / "autre")
    assert result.exit_code == 2
    assert "« marche.lots » : les montants des lots totalisent 2\u00a0300\u00a0000\u00a0€ HT mais le montant estimé" in result.stderr


def test_overrides_of_a_clause_left_out_are_reported(cli, tmp_path, library):
    spec = tmp_path / "tender.yaml"
    category_one_only = next(c for c in library if c.applies.categories == [1] and c.variables)
    name = next(iter(category_one_only.variables))
    data = write_spec(spec, 3, False, False)
    data["variables"] = {category_one_only.id: {name: category_one_only.variables[name].default}}
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = cli("assemble", spec, "-o", tmp_path / "dossier")
    assert result.exit_code == 0, result.output
    line = next(i for i, text in enumerate(spec.read_text(encoding="utf-8").splitlines(), 1)
                if text.strip() == f"{category_one_only.id}:")
    expected = (f"{spec}:{line}: « variables.{category_one_only.id} » ignorées : la clause n'est pas retenue pour ce "
                "marché (réservée aux achats de catégorie 1 (achat de catégorie 3))")
    assert result.stderr == f"clauselint: attention : {expected}\n"
    assert f"Spec : {expected}" in full_text(tmp_path / "dossier" / "interne" / "note-de-conformite.docx")


def test_missing_a_priori_threshold_is_flagged(cli, tmp_path, monkeypatch):
    spec = tmp_path / "tender.yaml"
    data = write_spec(spec, 1, False, False)
    del data["acheteur"]["seuil_controle_a_priori_ht"]
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # no clauselint.toml above: the threshold is unknown
    result = cli("assemble", spec, "-o", tmp_path / "dossier")
    assert result.exit_code == 0, result.output
    assert "T407" in full_text(tmp_path / "dossier" / "interne" / "note-de-conformite.docx")
    (tmp_path / "clauselint.toml").write_text("a_priori_threshold = 500000\n", encoding="utf-8")
    result = cli("assemble", spec, "-o", tmp_path / "dossier", "--force")
    note = full_text(tmp_path / "dossier" / "interne" / "note-de-conformite.docx")
    assert "T407" not in note and "T406" not in note  # 450 000 € is below the configured 500 000 €
    assert f"seuil : {french.amount(500_000)}" in note


def test_blocking_policy_finding_exits_1_with_the_package_written(cli, tmp_path):
    spec = tmp_path / "tender.yaml"
    write_spec(spec, 3, True, True, projet__taux_externalisation="85 %")
    out = tmp_path / "dossier"
    result = cli("assemble", spec, "-o", out)
    assert result.exit_code == 1
    assert (out / "ccap.docx").is_file() and (out / "manifest.json").is_file()
    assert "  erreur T403 : pilotage ou réalisation externalisé à 85\u00a0%" in result.stdout
    assert result.stdout.endswith(
        "Dossier écrit, mais l'achat présente un point bloquant de la circulaire (T403) : traitez-le avant de publier.\n"
    )


@pytest.mark.slow
@pytest.mark.parametrize("category", [1, 3])
def test_the_assembled_ccap_passes_the_linter(cli, tmp_path, category):
    """The package and the linter read the same clause files: what assemble writes, lint finds."""
    spec = tmp_path / "tender.yaml"
    write_spec(spec, category, category == 3, category == 3)
    out = tmp_path / "dossier"
    assert cli("assemble", spec, "-o", out).exit_code in (0, 1)
    agile = "--agile" if category == 3 else "--non-agile"
    data = "--donnees-personnelles" if category == 3 else "--sans-donnees-personnelles"
    result = cli("lint", out / "ccap.docx", "--categorie", str(category), agile, data, "--format", "json")
    assert result.exit_code == 0, result.stdout[:2000]
    (checked,) = json.loads(result.stdout)["files"]
    assert checked["error"] is None
    assert [(f["code"], f["severity"]) for f in checked["findings"] if f["severity"] != "info"] == []


def test_every_spec_choice_has_its_wording():
    from typing import get_args

    from clauselint.assemble.facts import FORM_NAMES, HOSTING, PROCEDURE_NAMES, SECURITY_LEVELS
    from clauselint.spec.model import Consultation, Execution, Marche

    def choices(model, field):
        return set(get_args(model.model_fields[field].annotation))

    assert choices(Consultation, "procedure") == set(PROCEDURE_NAMES)
    assert choices(Marche, "forme") == set(FORM_NAMES)
    assert choices(Execution, "hebergement") == set(HOSTING)
    assert choices(Execution, "niveau_securite") == set(SECURITY_LEVELS)


@pytest.mark.parametrize(("agile", "schedule", "absent"), [(True, "BPU", "DPGF"), (False, "DPGF", "BPU")])
def test_a_single_contract_is_priced_as_it_is_ordered(tmp_path, library, agile, schedule, absent):
    """Agile work is ordered in work units, hence unit prices, even in a single contract."""
    from clauselint.assemble import assemble

    spec = tmp_path / "tender.yaml"
    write_spec(spec, 1, agile, False, marche__forme="marche-unique")
    assemble(spec, tmp_path / "dossier", library)
    for name in ("rc.docx", "ccap.docx"):
        text = full_text(tmp_path / "dossier" / name)
        assert schedule in text, name
        assert absent not in text, name
    ae = full_text(tmp_path / "dossier" / "ae.docx")
    assert ("prix unitaires du BPU" in ae) is agile
    assert ("prix global et forfaitaire" in ae) is not agile


# ---------------------------------------------------------------------------------------------
# The linter on what assemble wrote: one clause library feeds both, so they must agree.

@pytest.mark.slow
def test_linter_finds_every_required_clause_and_no_contradiction_in_the_package(package, library):
    """Every document of the package, read back and linted with the real spaCy model: the CCAP
    carries every family the tender requires, and no document reads as contradicting a clause
    (our own templates — « aucun hébergement n'est demandé », « aucune donnée personnelle » — are
    statements of scope, not waivers)."""
    from clauselint.documents import read_document
    from clauselint.lint.runner import load_engine

    _, linter = load_engine(())
    out = package["out"]
    required = library.required_families(package["category"], _conditions(package))
    documents = [read_document(path) for path in docx_files(out)]
    contradicted = []
    inferred = {"agile": False, "personal_data": False}
    for path, analysis in zip(docx_files(out), linter.analyse_many(documents)):
        if path.parent.name != "interne":  # the buyer's note discusses clauses it left out
            for key in inferred:
                inferred[key] |= bool(getattr(analysis.context, key))
        for status in analysis.families:
            if status.status == "contradicted":
                contradicted.append(f"{path.name}: {status.family} « {status.evidence.text} »")
        if path.name == "ccap.docx":
            missing = sorted(f for f in required if analysis.status(f).status != "present")
            assert missing == [], f"CCAP assemblé : familles exigées non trouvées : {missing}"
    assert contradicted == []
    # what the pieces say of the tender is what the spec said (no stray « données à caractère
    # personnel » in the penalties or the certificate of a tender without any). (Agile only one
    # way: the category 3 example's object reads « en méthode agile » whatever the test sets.)
    assert inferred["personal_data"] == package["personal_data"]
    assert inferred["agile"] or not package["agile"]

"""The .docx reader on documents built here with python-docx plus raw XML edits."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from clauselint.documents import read_document

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def rewrite_zip(path: Path, replace: dict[str, bytes], edit=None) -> None:
    """Rewrite a package, replacing or adding members; ``edit(name, data)`` may change others."""
    source = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in replace:
                continue
            data = old.read(info.filename)
            if edit is not None:
                data = edit(info.filename, data)
            new.writestr(info.filename, data)
        for name, data in replace.items():
            new.writestr(name, data)


def add_part(path: Path, name: str, content_type: str, rel_type: str, data: bytes, owner: str = "word/document.xml") -> None:
    """Add a part with its content type and a relationship from ``owner`` (or the package)."""
    folder, _, base = owner.rpartition("/")
    rels_name = f"{folder}/_rels/{base}.rels" if owner else "_rels/.rels"
    target = name[len(folder) + 1:] if owner and name.startswith(folder + "/") else name

    def edit(member: str, content: bytes) -> bytes:
        if member == "[Content_Types].xml":
            return content.replace(b"</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'.encode())
        if member == rels_name:
            return content.replace(b"</Relationships>",
                                   f'<Relationship Id="rIdX{abs(hash(name)) % 10000}" Type="{rel_type}" Target="{target}"/></Relationships>'.encode())
        return content

    rewrite_zip(path, {name: data}, edit)


def _run_xml(inner: str) -> str:
    return f"<w:r {nsdecls('w')}>{inner}</w:r>"


@pytest.fixture(scope="module")
def contract(tmp_path_factory) -> Path:
    """A contract with every feature the reader handles."""
    path = tmp_path_factory.mktemp("docx") / "ccap.docx"
    document = docx.Document()
    # docProps/core.xml is written by hand below: once docxcompose is imported (by docxtpl, in
    # the same test session) it remaps python-docx's "cp" prefix, and python-docx then writes
    # lastModifiedBy in the wrong namespace.

    section = document.sections[0]
    section.header.paragraphs[0].text = "Ministère de l’Exemple – CCAP"
    section.footer.paragraphs[0].text = "Page de pied – diffusion restreinte"

    document.add_paragraph("Cahier des clauses administratives particulières", style="Title")
    document.add_heading("Article 7 – Confidentialité", level=1)
    p = document.add_paragraph("Le titulaire garde le secret sur les informations reçues.")
    document.add_heading("7.2 Données personnelles", level=2)
    commented = document.add_paragraph("Les données sont détruites au terme du marché.")
    document.add_comment(commented.runs, text="Préciser le délai de destruction", author="Alice Martin", initials="AM")

    # Tracked changes: an insertion kept and flagged, a deletion dropped.
    tracked = document.add_paragraph("Le titulaire ")
    tracked._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="91" w:author="Cabinet Conseil" w:date="2024-01-01T00:00:00Z">'
        '<w:r><w:t xml:space="preserve">ne mentionne pas </w:t></w:r></w:ins>'))
    tracked._p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="92" w:author="Jeanne Acheteuse" w:date="2024-01-02T00:00:00Z">'
        '<w:r><w:delText xml:space="preserve">mentionne </w:delText></w:r></w:del>'))
    tracked.add_run("son intervention.")

    # A footnote reference in the body; the footnotes part is added to the package below.
    noted = document.add_paragraph("Les prix sont fermes")
    noted._p.append(parse_xml(_run_xml('<w:footnoteReference w:id="1"/>')))
    noted.add_run(" et non révisables.")

    # A text box (DrawingML Choice plus its VML Fallback, which holds the same text).
    boxed = document.add_paragraph("Paragraphe avec une zone de texte.")
    box_text = "Zone de texte : logo interdit"
    boxed._p.append(parse_xml(
        f'<w:r {nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f'<wps:txbx><w:txbxContent><w:p><w:r><w:t>{box_text}</w:t></w:r></w:p></w:txbxContent></wps:txbx>'
        '</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r>'
        f'<w:t>{box_text}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
        '</mc:AlternateContent></w:r>'))

    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Prestation"
    table.cell(0, 1).text = "Prix"
    table.cell(1, 0).text = "Audit"
    cell = table.cell(1, 1)
    cell.text = "1 000 €"
    cell.add_paragraph("HT")

    # Headings without styles, as many buyers type them.
    document.add_paragraph("ARTICLE 8 – PÉNALITÉS")
    document.add_paragraph("8.1 Retards")
    document.add_paragraph("Une pénalité de 100 euros par jour de retard s’applique.")
    document.add_paragraph("Article 9 du CCAG-TIC : cette phrase n’est pas un titre.")
    document.save(path)

    footnotes = (
        f'<w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:t>Prix établis aux conditions économiques du mois zéro.</w:t></w:r></w:p></w:footnote>'
        '</w:footnotes>'
    ).encode()
    add_part(path, "word/footnotes.xml",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
             "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes", footnotes)
    custom = (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Cabinet">'
        '<vt:lpwstr>Conseil &amp; Associés</vt:lpwstr></property></Properties>'
    ).encode()
    add_part(path, "docProps/custom.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml",
             "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties", custom, owner="")
    app = (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        '<Application>Microsoft Office Word</Application><Company>Cabinet Conseil SA</Company>'
        '<Manager>M. Directeur</Manager><Template>Modele-Cabinet.dotx</Template><Pages>3</Pages></Properties>'
    ).encode()
    core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<dc:title>CCAP – Prestations de conseil</dc:title><dc:creator>Jeanne Acheteuse</dc:creator>'
        '<cp:lastModifiedBy>Paul Relecteur</cp:lastModifiedBy><cp:revision>1</cp:revision>'
        '<dcterms:created xsi:type="dcterms:W3CDTF">2024-03-01T09:00:00Z</dcterms:created>'
        '</cp:coreProperties>'
    ).encode()
    rewrite_zip(path, {"docProps/app.xml": app, "docProps/core.xml": core})
    return path


@pytest.fixture(scope="module")
def doc(contract):
    return read_document(contract)


def _find(doc, text):
    matches = [b for b in doc.blocks if text in b.text]
    assert matches, f"no block contains {text!r}"
    return matches[0]


def test_body_text_and_styled_headings(doc):
    heading = _find(doc, "Article 7 – Confidentialité")
    assert heading.kind == "heading" and heading.heading_level == 1
    sub = _find(doc, "7.2 Données personnelles")
    assert sub.kind == "heading" and sub.heading_level == 2
    body = _find(doc, "garde le secret")
    assert body.kind == "paragraph"
    assert body.location.section == "Article 7 – Confidentialité"
    assert _find(doc, "détruites").location.section == "Article 7 – Confidentialité › 7.2 Données personnelles"
    assert _find(doc, "Cahier des clauses").kind == "paragraph"  # the Title style is not a heading


def test_paragraph_numbers_follow_block_order(doc):
    assert [b.location.paragraph for b in doc.blocks] == list(range(1, len(doc.blocks) + 1))
    assert all(b.location.line == b.location.paragraph for b in doc.blocks)


def test_headings_recognised_without_styles(doc):
    article = _find(doc, "ARTICLE 8 – PÉNALITÉS")
    assert article.kind == "heading" and article.heading_level == 1
    assert _find(doc, "8.1 Retards").heading_level == 2
    assert _find(doc, "100 euros").location.section == "ARTICLE 8 – PÉNALITÉS › 8.1 Retards"
    assert _find(doc, "Article 9 du CCAG-TIC").kind == "paragraph"


def test_tracked_insertion_kept_and_flagged_deletion_dropped(doc):
    block = _find(doc, "ne mentionne pas")
    assert block.text == "Le titulaire ne mentionne pas son intervention."
    assert block.inserted is True and block.author == "Cabinet Conseil"
    assert "mentionne mentionne" not in doc.text()
    assert doc.revision_authors == ["Cabinet Conseil", "Jeanne Acheteuse"]
    assert not _find(doc, "garde le secret").inserted


def test_comment_kept_apart_with_author_and_anchor(doc):
    assert len(doc.comments) == 1
    comment = doc.comments[0]
    assert comment.text == "Préciser le délai de destruction"
    assert comment.author == "Alice Martin"
    assert comment.anchor == "Les données sont détruites au terme du marché."
    assert comment.location.section == "Article 7 – Confidentialité › 7.2 Données personnelles"
    assert "Préciser le délai" not in doc.text()


def test_footnote_read_once_with_its_section(doc):
    note = _find(doc, "mois zéro")
    assert note.kind == "footnote"
    assert note.location.section == "Article 7 – Confidentialité › 7.2 Données personnelles"
    assert _find(doc, "Les prix sont fermes").text == "Les prix sont fermes et non révisables."


def test_text_box_read_once_not_in_the_body_paragraph(doc):
    boxes = [b for b in doc.blocks if "logo interdit" in b.text]
    assert [b.kind for b in boxes] == ["textbox"]
    assert boxes[0].text == "Zone de texte : logo interdit"
    assert _find(doc, "Paragraphe avec une zone").text == "Paragraphe avec une zone de texte."


def test_tables_cell_by_cell_in_reading_order(doc):
    cells = [b.text for b in doc.blocks if b.kind == "table-cell"]
    assert cells == ["Prestation", "Prix", "Audit", "1 000 €\nHT"]


def test_headers_and_footers(doc):
    assert [b.text for b in doc.blocks if b.kind == "header"] == ["Ministère de l’Exemple – CCAP"]
    footer = [b for b in doc.blocks if b.kind == "footer"]
    assert [b.text for b in footer] == ["Page de pied – diffusion restreinte"]
    assert footer[0].location.section is None
    assert all(b.kind not in ("header", "footer") for b in doc.body())


def test_metadata_core_app_custom(doc):
    meta = doc.metadata
    assert meta["title"] == "CCAP – Prestations de conseil"
    assert meta["creator"] == "Jeanne Acheteuse"
    assert meta["last_modified_by"] == "Paul Relecteur"
    assert meta["company"] == "Cabinet Conseil SA"
    assert meta["manager"] == "M. Directeur"
    assert meta["template"] == "Modele-Cabinet.dotx"
    assert meta["application"] == "Microsoft Office Word"
    assert meta["custom.Cabinet"] == "Conseil & Associés"
    assert "created" in meta and meta["created"][:4].isdigit()
    assert doc.pages == 3
    assert doc.format == "docx"


def test_numbered_heading_styles_get_their_label(tmp_path):
    """Word numbering (numbering.xml) gives « Article 1 – », « Article 2 – » to styled headings."""
    path = tmp_path / "numbered.docx"
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="40">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Article %1 –"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="40"><w:abstractNumId w:val="40"/></w:num>'))
    for text, level in [("Objet", 0), ("Durée", 0), ("Reconduction", 1), ("Prix", 0)]:
        para = document.add_heading(text, level=level + 1)
        ppr = para._p.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="40"/></w:numPr>'))
    document.add_paragraph("Texte de l’article.")
    document.save(path)
    doc = read_document(path)
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert headings == ["Article 1 – Objet", "Article 2 – Durée", "2.1 Reconduction", "Article 3 – Prix"]
    assert doc.blocks[-1].location.section == "Article 3 – Prix"


def test_strict_body_content_controls_and_nested_tables(tmp_path):
    path = tmp_path / "controls.docx"
    document = docx.Document()
    body = document.element.body
    body.insert(0, parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtContent><w:p><w:r><w:t>Texte dans un contrôle de contenu.</w:t></w:r></w:p>'
        '</w:sdtContent></w:sdt>'))
    outer = document.add_table(rows=1, cols=1)
    outer.cell(0, 0).text = "Avant"
    inner = outer.cell(0, 0).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "Interne A"
    inner.cell(0, 1).text = "Interne B"
    outer.cell(0, 0).add_paragraph("Après")
    document.save(path)
    doc = read_document(path)
    assert doc.blocks[0].text == "Texte dans un contrôle de contenu."
    assert [b.text for b in doc.blocks if b.kind == "table-cell"] == ["Avant", "Interne A", "Interne B", "Après"]


def test_images_listed_and_readable(tmp_path):
    from clauselint.documents import read_image

    png = _tiny_png()
    image = tmp_path / "logo.png"
    image.write_bytes(png)
    path = tmp_path / "img.docx"
    document = docx.Document()
    document.add_picture(str(image))
    document.save(path)
    doc = read_document(path)
    assert len(doc.image_names) == 1 and doc.image_names[0].startswith("word/media/")
    assert read_image(doc, doc.image_names[0]) == png


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"\x00\xff\x00\x00"  # one red pixel
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_renamed_doc_that_is_a_docx_is_read(tmp_path, contract):
    renamed = tmp_path / "ancien.doc"
    renamed.write_bytes(contract.read_bytes())
    doc = read_document(renamed)
    assert doc.format == "docx"
    assert any("garde le secret" in b.text for b in doc.blocks)


def test_reading_does_not_import_python_docx(contract):
    import subprocess
    import sys

    code = ("import sys; from clauselint.documents import read_document; "
            f"doc = read_document({str(contract)!r}); print(len(doc.blocks) > 0, 'docx' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "False"]

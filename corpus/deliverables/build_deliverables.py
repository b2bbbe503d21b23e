"""Build the labelled deliverables corpus of `clauselint scan` (and the D301/D302 rule fixtures).

    python corpus/deliverables/build_deliverables.py            # into corpus/deliverables/files/
    python corpus/deliverables/build_deliverables.py --out /tmp/x

Every file is written by this script (python-docx, python-pptx, pypdf, raw ODF zip), with the
signals a consultant's deliverable carries: metadata, comments, tracked changes, PDF info and XMP,
slide masters and footers, e-mail addresses, bylines. `expected.yaml` beside this script holds
the exact result the scanner must give for each file.

Insignia as an image: the State's Marianne and bloc-marque are reserved to the administration
(the design system's terms of use), so no real insignia image is put in a fixture. The script
draws a *synthetic* emblem instead — a blue/red flag with a white geometric figure and the words
« RÉPUBLIQUE FICTIVE » — and writes its perceptual hash to `test_insignia_hashes.yaml`, a
test-only reference set passed with `--empreintes`. The real references (built from the design
system, see clauselint/scan/data/build_insignia_hashes.py) are exercised on the external corpus.
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FIXED_DATE = "2024-03-14T09:30:00Z"


# --- the synthetic emblem (never the real Marianne) ---

def emblem_png(width: int = 600) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    height = int(width * 0.62)
    flag_h = int(width / 2.75 * 0.55)
    flag_w = int(flag_h * 2.75)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, flag_w // 2, flag_h), fill=(0, 0, 145))
    draw.rectangle((flag_w // 2, 0, flag_w, flag_h), fill=(225, 0, 15))
    # A white star and disc: clearly not the Marianne's profile.
    cx, cy, r = flag_w // 2, flag_h // 2, flag_h * 0.42
    points = []
    import math

    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.45
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    draw.polygon(points, fill="white")
    draw.ellipse((cx - r * 0.2, cy - r * 0.2, cx + r * 0.2, cy + r * 0.2), fill=(0, 0, 145))
    font = ImageFont.load_default(size=int(width * 0.09))
    draw.text((0, flag_h + 20), "RÉPUBLIQUE", font=font, fill="black")
    draw.text((0, flag_h + 20 + int(width * 0.1)), "FICTIVE", font=font, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()


def write_test_hashes(path: Path) -> None:
    from PIL import Image

    from clauselint.scan.imagehashes import hashes

    phash, dhash = hashes(Image.open(io.BytesIO(emblem_png())))
    path.write_text(
        "# Test-only reference: the synthetic emblem drawn by corpus/deliverables/build_deliverables.py\n"
        "# (not a State insignia). Pass it to the scanner with --empreintes.\n"
        "references:\n"
        "  - id: embleme-fictif\n"
        "    label: \"emblème fictif de test\"\n"
        f"    phash: \"{phash:016x}\"\n"
        f"    dhash: \"{dhash:016x}\"\n", encoding="utf-8")


# --- .docx ---

def _set_app_properties(path: Path, company: str | None = None, manager: str | None = None,
                        template: str | None = None) -> None:
    """python-docx does not write docProps/app.xml's Company, Manager, Template: patch the zip."""
    fields = {"Template": template, "Manager": manager, "Company": company}
    if not any(fields.values()):
        return
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info.filename)) for info in src.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            if info.filename == "docProps/app.xml":
                text = data.decode("utf-8")
                for key, value in fields.items():
                    if value is None:
                        continue
                    text = re.sub(rf"<{key}>.*?</{key}>|<{key}/>", "", text)
                    text = text.replace("</Properties>", f"<{key}>{_xml(value)}</{key}></Properties>")
                data = text.encode("utf-8")
            dst.writestr(info, data)
    path.write_bytes(out.getvalue())


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _tracked_insertion(paragraph, text: str, author: str) -> None:
    from docx.oxml.ns import qn
    from lxml import etree

    ins = etree.SubElement(paragraph._p, qn("w:ins"))
    ins.set(qn("w:id"), "901")
    ins.set(qn("w:author"), author)
    ins.set(qn("w:date"), FIXED_DATE)
    run = etree.SubElement(ins, qn("w:r"))
    t = etree.SubElement(run, qn("w:t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def docx(path: Path, *, cover: list[str], body: list[str], header: list[str] | None = None,
         footer: list[str] | None = None, creator: str = "", last_modified_by: str = "",
         company: str | None = None, manager: str | None = None, template: str | None = None,
         comments: list[tuple[str, str]] | None = None, revision: tuple[str, str] | None = None,
         header_image: bool = False, cover_image: bool = False) -> None:
    import datetime

    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm

    doc = Document()
    props = doc.core_properties
    props.author = creator
    props.last_modified_by = last_modified_by
    props.title = cover[0] if cover else ""
    props.created = props.modified = datetime.datetime(2024, 3, 14, 9, 30)
    props.revision = 1
    section = doc.sections[0]
    if header or header_image:
        first = section.header.paragraphs[0]
        if header_image:
            first.add_run().add_picture(io.BytesIO(emblem_png()), width=Cm(4))
        for i, line in enumerate(header or []):
            (first if i == 0 and not header_image else section.header.add_paragraph()).add_run(line)
    for i, line in enumerate(footer or []):
        (section.footer.paragraphs[0] if i == 0 else section.footer.add_paragraph()).add_run(line)
    if cover_image:
        doc.add_picture(io.BytesIO(emblem_png()), width=Cm(5))
    for i, line in enumerate(cover):
        if i == 0:
            doc.add_heading(line, level=0)
        else:
            doc.add_paragraph(line)
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    paragraphs = [doc.add_paragraph(text) for text in body]
    for i, (author, text) in enumerate(comments or []):
        target = paragraphs[i % len(paragraphs)]
        doc.add_comment(target.runs, text=text, author=author, initials="".join(w[0] for w in author.split()[:2]))
    if revision:
        _tracked_insertion(paragraphs[-1], " " + revision[1], revision[0])
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    _set_app_properties(path, company=company, manager=manager, template=template)


# --- .pptx ---

def _clone_placeholder_text(slide, layout_type, text: str) -> None:
    """Put ``text`` in a footer placeholder on the slide, as PowerPoint does with « Pied de page »."""
    import copy

    for shape in slide.slide_layout.placeholders:
        if shape.placeholder_format.type == layout_type:
            element = copy.deepcopy(shape._element)
            slide.shapes._spTree.append(element)
            placeholder = slide.shapes[-1]
            placeholder.text_frame.text = text
            return
    raise RuntimeError("layout without footer placeholder")


def pptx(path: Path, *, slides: list[tuple[str, list[str]]], master_text: list[str] | None = None,
         footer: str | None = None, creator: str = "", company: str | None = None, master_image: bool = False,
         notes: list[str] | None = None) -> None:
    import copy
    import datetime

    from pptx import Presentation
    from pptx.enum.shapes import PP_PLACEHOLDER
    from pptx.util import Cm, Pt

    prs = Presentation()
    props = prs.core_properties
    props.author = creator
    props.last_modified_by = creator
    props.created = props.modified = datetime.datetime(2024, 3, 14, 9, 30)
    props.revision = 1
    master = prs.slide_master
    scratch_layout = prs.slide_layouts[6]
    if master_text or master_image:
        scratch = prs.slides.add_slide(scratch_layout)
        if master_text:
            box = scratch.shapes.add_textbox(Cm(0.5), Cm(0.3), Cm(8), Cm(3))
            box.text_frame.text = master_text[0]
            for line in master_text[1:]:
                box.text_frame.add_paragraph().text = line
            for paragraph in box.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(10)
            master.shapes._spTree.append(copy.deepcopy(box._element))
        if master_image:
            picture = scratch.shapes.add_picture(io.BytesIO(emblem_png()), Cm(20), Cm(0.3), width=Cm(4))
            image_part = picture.part.related_part(picture._element.blip_rId)
            rid = master.part.relate_to(image_part, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image")
            element = copy.deepcopy(picture._element)
            element.blipFill.blip.rEmbed = rid
            master.shapes._spTree.append(element)
        # Drop the scratch slide: its shapes now live in the master.
        sld_ids = prs.slides._sldIdLst
        rid = sld_ids[-1].rId
        prs.part.drop_rel(rid)
        sld_ids.remove(sld_ids[-1])
    for number, (title, bullets) in enumerate(slides, 1):
        slide = prs.slides.add_slide(prs.slide_layouts[0 if number == 1 else 1])
        slide.shapes.title.text = title
        body = slide.placeholders[1]
        body.text_frame.text = bullets[0] if bullets else ""
        for line in bullets[1:]:
            body.text_frame.add_paragraph().text = line
        if footer:
            _clone_placeholder_text(slide, PP_PLACEHOLDER.FOOTER, footer)
        if notes and number <= len(notes):
            slide.notes_slide.notes_text_frame.text = notes[number - 1]
    path.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(path))
    if company:
        _set_app_properties(path, company=company)


# --- .pdf (pypdf only: a page of Helvetica text lines, an optional JPEG image) ---

def pdf(path: Path, *, pages: list[list[str]], info: dict[str, str] | None = None, xmp_creator: str | None = None,
        header: str | None = None, image_on_first: bool = False) -> None:
    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject, StreamObject,
    )

    writer = PdfWriter()
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    })
    font_ref = writer._add_object(font)
    image_ref = None
    if image_on_first:
        from PIL import Image

        emblem = Image.open(io.BytesIO(emblem_png(300))).convert("RGB")
        buffer = io.BytesIO()
        emblem.save(buffer, "JPEG", quality=92)
        image = StreamObject()
        image._data = buffer.getvalue()
        image.update({
            NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(emblem.width), NameObject("/Height"): NumberObject(emblem.height),
            NameObject("/ColorSpace"): NameObject("/DeviceRGB"), NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/DCTDecode"),
        })
        image_ref = writer._add_object(image)

    def escape(text: str) -> bytes:
        raw = text.encode("cp1252", "replace")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    for number, lines in enumerate(pages, 1):
        page = writer.add_blank_page(width=595, height=842)
        ops = [b"BT /F1 11 Tf"]
        if header:
            ops.append(b"1 0 0 1 56 800 Tm (" + escape(header) + b") Tj")
        y = 740 if number == 1 and image_on_first else 770
        for line in lines:
            ops.append(b"1 0 0 1 56 %d Tm (" % y + escape(line) + b") Tj")
            y -= 16
        ops.append(b"1 0 0 1 280 30 Tm (" + escape(f"Page {number}") + b") Tj ET")
        resources = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font_ref})})
        if number == 1 and image_ref is not None:
            ops.append(b"q 150 0 0 93 56 750 cm /Im1 Do Q")
            resources[NameObject("/XObject")] = DictionaryObject({NameObject("/Im1"): image_ref})
        content = DecodedStreamObject()
        content.set_data(b"\n".join(ops))
        page[NameObject("/Contents")] = writer._add_object(content)
        page[NameObject("/Resources")] = resources
    if info:
        writer.add_metadata(info)
    if xmp_creator:
        xmp = (
            '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
            f'<dc:creator><rdf:Seq><rdf:li>{_xml(xmp_creator)}</rdf:li></rdf:Seq></dc:creator>'
            '<xmp:CreatorTool>Microsoft Word</xmp:CreatorTool>'
            '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
        ).encode("utf-8")
        stream = DecodedStreamObject()
        stream.set_data(xmp)
        stream.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
        writer._root_object[NameObject("/Metadata")] = writer._add_object(stream)
    writer._ID = ArrayObject()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        writer.write(handle)


# --- .odt (raw ODF package) ---

def odt(path: Path, *, paragraphs: list[str], header: list[str] | None = None, creator: str = "",
        initial_creator: str = "") -> None:
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/" '
          'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3"')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body><office:text>'
               + "".join(f"<text:p>{_xml(p)}</text:p>" for p in paragraphs)
               + "</office:text></office:body></office:document-content>")
    head = "".join(f"<text:p>{_xml(p)}</text:p>" for p in header or [])
    styles = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {ns}><office:master-styles>'
              f'<style:master-page style:name="Standard"><style:header>{head}</style:header></style:master-page>'
              "</office:master-styles></office:document-styles>")
    meta = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ns}><office:meta>'
            f"<meta:initial-creator>{_xml(initial_creator)}</meta:initial-creator><dc:creator>{_xml(creator)}</dc:creator>"
            f"<meta:creation-date>2024-03-14T09:30:00</meta:creation-date></office:meta></office:document-meta>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", (2024, 3, 14, 9, 30, 0)), "application/vnd.oasis.opendocument.text")
        for name, text in (("content.xml", content), ("styles.xml", styles), ("meta.xml", meta),
                           ("META-INF/manifest.xml", manifest)):
            archive.writestr(zipfile.ZipInfo(name, (2024, 3, 14, 9, 30, 0)), text, compress_type=zipfile.ZIP_DEFLATED)


# --- the corpus ---

BLOC = ["RÉPUBLIQUE FRANÇAISE", "Liberté Égalité Fraternité", "Ministère de l'Intérieur"]
FILLER = [
    "Le présent document rend compte des travaux conduits pendant la phase de cadrage du projet.",
    "Les ateliers ont réuni les équipes métier et les équipes techniques de la direction.",
    "Les recommandations sont classées par priorité et par effort estimé.",
]


def build_corpus(out: Path) -> None:
    files = out
    files.mkdir(parents=True, exist_ok=True)
    # 1. Company in the hidden metadata only.
    docx(files / "rapport-etape-metadonnees.docx", creator="Julien Morel", last_modified_by="Julien Morel",
         company="Wavestone", cover=["Rapport d'étape", "Refonte du portail des démarches", "Mars 2024"], body=FILLER)
    # 2. Comments and a tracked change by the firm's consultants.
    docx(files / "note-cadrage-commentaires.docx", creator="Direction du numérique", last_modified_by="Direction du numérique",
         cover=["Note de cadrage", "Programme de modernisation"], body=FILLER,
         comments=[("Claire Dumas (Capgemini Invent)", "Proposition de reformulation."),
                   ("Claire Dumas (Capgemini Invent)", "Voir le chiffrage joint : claire.dumas@capgemini.com")],
         revision=("Capgemini Invent – C. Dumas", "Ce point reste à arbitrer."))
    # 3. Consultant file that carries the mention on its cover.
    docx(files / "etude-opportunite-mention.docx", creator="Marc Lefèvre", last_modified_by="Marc Lefèvre",
         company="Deloitte", cover=["Étude d'opportunité", "Document réalisé par Deloitte pour le compte de la DINUM"],
         body=FILLER)
    # 4. Hard case: firms quoted as sources in an administration's own note.
    docx(files / "synthese-sources-citees.docx", creator="Bureau des études", last_modified_by="Bureau des études",
         company="Ministère de l'Intérieur",
         cover=["Synthèse documentaire", "Source : étude McKinsey 2023 sur le numérique public"],
         body=["Selon le rapport publié par Roland Berger en 2022, la dépense numérique progresse.",
               "D'après une enquête de KPMG, les usagers attendent des démarches plus simples."] + FILLER)
    # 5. An administration's internal document with the bloc-marque: no finding.
    docx(files / "note-interne-bloc-marque.docx", creator="Agent DINUM", last_modified_by="Agent DINUM",
         header=BLOC, cover=["Note à l'attention du directeur", "Objet : calendrier des instances"], body=FILLER)
    # 6. Slides: bloc-marque typed in the master, the firm's name in every footer, no mention.
    pptx(files / "comite-pilotage-bloc-marque.pptx", creator="Thomas Girard", master_text=BLOC,
         footer="Sopra Steria Next — Comité de pilotage",
         slides=[("Comité de pilotage n° 3", ["Avancement", "Risques"]), ("Avancement", ["Lot 1 livré", "Lot 2 en cours"])])
    # 7. Slides with the mention in every footer and an emblem image in the master: D302 only.
    pptx(files / "atelier-mention-embleme.pptx", creator="Léa Bernard", master_image=True,
         footer="Document élaboré avec l'appui du cabinet Sia Partners",
         slides=[("Atelier de co-conception", ["Objectifs", "Participants"]), ("Synthèse", ["Irritants", "Pistes"])],
         notes=["Rappeler les objectifs de l'atelier.", "Insister sur les irritants."])
    # 8. PDF: author in the info dictionary and the XMP, nothing visible.
    pdf(files / "diagnostic-xmp.pdf", info={"/Author": "KPMG Advisory", "/Creator": "Microsoft Word", "/Title": "Diagnostic"},
        xmp_creator="KPMG Advisory", pages=[["Diagnostic du système d'information", "Version 1.0 — mars 2024"], FILLER])
    # 9. PDF with the mention and the bloc-marque words in the header: D302 only.
    pdf(files / "schema-directeur-mention.pdf", info={"/Author": "Accenture"}, header="RÉPUBLIQUE FRANÇAISE",
        pages=[["Schéma directeur du numérique", "Rapport élaboré avec l'appui du cabinet Accenture",
                "Liberté Égalité Fraternité"], FILLER])
    # 10. ODT: the initial creator names the firm; the header repeats it.
    odt(files / "compte-rendu-inetum.odt", initial_creator="Paul Durand - Inetum", creator="Paul Durand",
        header=["Inetum — Compte rendu de réunion"], paragraphs=["Compte rendu du comité technique"] + FILLER)
    # 11. Text: a byline with a firm e-mail address, but no firm named.
    (files / "courriel-synthese.txt").write_text(
        "Synthèse des entretiens\n\nRédigé par : Anne Petit <anne.petit@bearingpoint.com>\n\n" + "\n".join(FILLER) + "\n",
        encoding="utf-8")
    # 12. Markdown: « CGI » as the tax code, not the firm.
    (files / "note-fiscale-cgi.md").write_text(
        "# Note sur la TVA des prestations\n\nL'article 289 du CGI fixe les règles de facturation.\n\n"
        "Le CGI prévoit aussi des mentions obligatoires.\n", encoding="utf-8")
    # 13. Markdown: the firm signs the byline (a mention) under the bloc-marque words.
    (files / "feuille-de-route-cgi.md").write_text(
        "RÉPUBLIQUE FRANÇAISE\n\nLiberté Égalité Fraternité\n\n# Feuille de route\n\nAuteurs : équipe CGI France\n\n"
        + "\n\n".join(FILLER) + "\n", encoding="utf-8")
    # 14. Acronym in the metadata: company « EY ».
    docx(files / "benchmark-ey.docx", creator="S. Laurent", last_modified_by="S. Laurent", company="EY",
         cover=["Benchmark des solutions", "Version de travail"], body=FILLER)
    # 15. Template path and an emblem in the header: D301 and D302.
    docx(files / "rapport-final-embleme.docx", creator="Marc Leroy", last_modified_by="Marc Leroy",
         template="C:\\Users\\mleroy\\AppData\\Roaming\\Microsoft\\Templates\\Talan_Rapport.dotx",
         header_image=True, cover=["Rapport final", "Accompagnement à la conduite du changement"], body=FILLER)
    # 16. Internal document with the emblem image on its cover: insignia, no finding.
    docx(files / "circulaire-interne-embleme.docx", creator="Secrétariat général", last_modified_by="Secrétariat général",
         cover_image=True, cover=["Circulaire interne", "Organisation des astreintes"], body=FILLER)
    # 17. A damaged file: the batch goes on.
    (files / "fichier-endommage.docx").write_bytes(b"PK\x03\x04 ceci n'est pas une archive complete")
    # 18. Not a deliverable format: skipped and counted.
    (files / "tableau-suivi.xlsx").write_bytes(b"PK\x03\x04")


def build_rule_fixtures(root: Path) -> None:
    d301, d302 = root / "D301", root / "D302"
    docx(d301 / "trigger.docx", creator="Julien Morel", last_modified_by="Julien Morel", company="Wavestone",
         cover=["Rapport d'étape", "Refonte du portail"], body=FILLER)
    docx(d301 / "clean.docx", creator="Julien Morel", last_modified_by="Julien Morel", company="Wavestone",
         cover=["Rapport d'étape", "Document réalisé par Wavestone pour le compte du ministère de l'Intérieur"],
         body=FILLER)
    docx(d302 / "trigger.docx", creator="Julien Morel", last_modified_by="Julien Morel", company="Wavestone",
         header=BLOC, cover=["Rapport d'étape", "Document réalisé par Wavestone pour le compte du ministère de l'Intérieur"],
         body=FILLER)
    docx(d302 / "clean.docx", creator="Agent DINUM", last_modified_by="Agent DINUM", header=BLOC,
         cover=["Note à l'attention du directeur", "Objet : calendrier des instances"], body=FILLER)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "files", help="output folder")
    parser.add_argument("--fixtures", type=Path, default=ROOT / "tests" / "fixtures" / "rules",
                        help="where the D301/D302 rule fixtures go")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.out.exists() and args.out.resolve() == (HERE / "files").resolve():
        shutil.rmtree(args.out)
    build_corpus(args.out)
    write_test_hashes(HERE / "test_insignia_hashes.yaml")
    build_rule_fixtures(args.fixtures)
    print(f"wrote {len(list(args.out.iterdir()))} files into {args.out}")


if __name__ == "__main__":
    main()
